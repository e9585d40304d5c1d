/* Text a hostile server sent, made safe to quote in a reason or a report:
 * valid UTF-8, one line, no terminal escapes, bounded. */
#ifndef MC_SANITIZE_H
#define MC_SANITIZE_H

#include <jansson.h>
#include <stddef.h>

/* s[0..len) as UTF-8 with invalid bytes replaced by U+FFFD, control
 * characters (C0 including tab and newline, DEL, C1) escaped as \xNN and
 * bidirectional overrides as \uNNNN, cut after max code points with "…"
 * (0: no cut). Never NULL; owned. */
char *mc_sanitize(const char *s, size_t len, size_t max);
/* s with invalid UTF-8 bytes replaced by U+FFFD, everything else kept
 * (for bodies in reports); NULL for NULL; owned. */
char *mc_utf8_repair(const char *s);
/* Any text as a JSON string, invalid UTF-8 repaired (a hostile server's
 * words, which Jansson refuses as they are), or JSON null for NULL; never
 * NULL, which would drop the whole document it goes in. Owned. */
json_t *mc_json_text(const char *s);
/* A JSON text read even when it carries invalid UTF-8 or raw control
 * characters inside strings (both repaired first), NUL escapes allowed;
 * NULL when it still is not JSON. Owned. */
json_t *mc_json_load_lenient(const char *buf, size_t len);
/* The OAuth error of a response body (RFC 6749 §5.2, RFC 7591 §3.2.2):
 * *error and *description sanitised and owned, NULL when absent. */
void mc_oauth_error_read(const char *body, size_t len, char **error, char **description);

#endif
