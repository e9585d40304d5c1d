/* Room wire/: pure, bounded helpers (HTTP exchange and redaction, URLs,
 * WWW-Authenticate, PKCE, SSE, forms, SSRF classes); calls nothing of the
 * project. */
/* A growable byte buffer with a hard cap, NUL-terminated at all times. */
#ifndef MC_BUF_H
#define MC_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
    char *data; /* owned; always NUL-terminated once anything was added */
    size_t len;
    size_t cap;   /* allocated */
    size_t limit; /* 0 = unlimited; appends past it set truncated */
    int truncated;
} mc_buf;

void mc_buf_init(mc_buf *b, size_t limit);
/* Returns 0, or -1 when the limit was hit (what fits is kept). */
int mc_buf_add(mc_buf *b, const char *s, size_t n);
int mc_buf_adds(mc_buf *b, const char *s);
int mc_buf_printf(mc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the string to the caller (never NULL); the buffer is emptied. */
char *mc_buf_steal(mc_buf *b);
void mc_buf_free(mc_buf *b);

/* Small helpers used everywhere; they abort on out-of-memory. */
void *mc_xmalloc(size_t n);
void *mc_xcalloc(size_t n, size_t sz);
void *mc_xrealloc(void *p, size_t n);
char *mc_xstrdup(const char *s); /* NULL stays NULL */
char *mc_xstrndup(const char *s, size_t n);
char *mc_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Overwrites then frees a secret. */
void mc_secret_free(char *s);

/* The one reader of the files a user names (profiles, scenarios, personas,
 * traces, certificates, --from): a regular file only (opened without
 * blocking, then fstat: a pipe, a device such as /dev/zero or a directory is
 * refused at once), at most cap bytes. 0 with *out owned and NUL-terminated
 * (*len without the NUL); else -1 and one line in why ("not a regular file:
 * a pipe", "larger than 1048576 bytes", "cannot open: ..."). */
int mc_read_regular(const char *path, size_t cap, char **out, size_t *len, char *why, size_t n);
/* The same test for a file another library opens (curl's --cacert): 0 when
 * path is a regular file that can be read, else -1 and why. */
int mc_check_regular(const char *path, char *why, size_t n);

#endif
