#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void *mc_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("mcpcompat: out of memory\n", stderr);
        exit(3);
    }
    return p;
}

void *mc_xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz ? sz : 1);
    if (!p) {
        fputs("mcpcompat: out of memory\n", stderr);
        exit(3);
    }
    return p;
}

void *mc_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("mcpcompat: out of memory\n", stderr);
        exit(3);
    }
    return q;
}

char *mc_xstrdup(const char *s)
{
    return s ? mc_xstrndup(s, strlen(s)) : NULL;
}

char *mc_xstrndup(const char *s, size_t n)
{
    char *d = mc_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* fmt formatted with ap, owned; its length in *len */
static char *xvasprintf(size_t *len, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = mc_xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    *len = (size_t)n;
    return s;
}

char *mc_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n;
    char *s = xvasprintf(&n, fmt, ap);
    va_end(ap);
    return s;
}

void mc_secret_free(char *s)
{
    if (s) {
        OPENSSL_cleanse(s, strlen(s));
        free(s);
    }
}

void mc_buf_init(mc_buf *b, size_t limit)
{
    memset(b, 0, sizeof *b);
    b->limit = limit;
}

int mc_buf_add(mc_buf *b, const char *s, size_t n)
{
    int rc = 0;
    if (b->limit && b->len + n > b->limit) {
        n = b->limit > b->len ? b->limit - b->len : 0;
        b->truncated = 1;
        rc = -1;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->data = mc_xrealloc(b->data, cap);
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return rc;
}

int mc_buf_adds(mc_buf *b, const char *s)
{
    return mc_buf_add(b, s, strlen(s));
}

int mc_buf_printf(mc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n;
    char *tmp = xvasprintf(&n, fmt, ap);
    va_end(ap);
    int rc = mc_buf_add(b, tmp, n);
    free(tmp);
    return rc;
}

char *mc_buf_steal(mc_buf *b)
{
    char *s = b->data ? b->data : mc_xstrdup("");
    size_t limit = b->limit;
    mc_buf_init(b, limit);
    return s;
}

void mc_buf_free(mc_buf *b)
{
    free(b->data);
    mc_buf_init(b, b->limit);
}

static const char *kind_of(mode_t m)
{
    return S_ISDIR(m)    ? "a directory"
           : S_ISFIFO(m) ? "a pipe"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISSOCK(m) ? "a socket"
                         : "not a plain file";
}

/* Opens path for reading without blocking (a FIFO would block open() until
 * a writer came) and keeps it only when it is a regular file; -1 and why. */
static int open_regular(const char *path, char *why, size_t n)
{
    if (!path || !*path) {
        snprintf(why, n, "an empty path");
        return -1;
    }
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        snprintf(why, n, "cannot open: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, n, "not a regular file: %s", fstat(fd, &st) == 0 ? kind_of(st.st_mode) : "?");
        close(fd);
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

int mc_check_regular(const char *path, char *why, size_t n)
{
    int fd = open_regular(path, why, n);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

int mc_read_regular(const char *path, size_t cap, char **out, size_t *len, char *why, size_t n)
{
    *out = NULL;
    *len = 0;
    if (n)
        why[0] = '\0';
    int fd = open_regular(path, why, n);
    if (fd < 0)
        return -1;
    mc_buf b;
    mc_buf_init(&b, cap);
    char chunk[16384];
    for (;;) {
        ssize_t got = read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            snprintf(why, n, "read error: %s", strerror(errno));
            break;
        }
        if (got == 0)
            break;
        if (mc_buf_add(&b, chunk, (size_t)got) != 0) { /* a file grown past the cap */
            snprintf(why, n, "larger than %zu bytes", cap);
            got = -1;
            break;
        }
    }
    close(fd);
    if (*why) {
        mc_buf_free(&b);
        return -1;
    }
    *len = b.len;
    *out = mc_buf_steal(&b);
    return 0;
}
