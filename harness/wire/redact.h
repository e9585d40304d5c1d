/* Secrets never leave the process whole. Every token, code, verifier,
 * client secret and password the harness or the fixture handles is
 * registered here; mc_redact() replaces each registered value, and any
 * value of a well-known secret field (form, query, JSON, Authorization
 * header), by a short prefix followed by "…". */
#ifndef MC_REDACT_H
#define MC_REDACT_H

#include <stddef.h>

void mc_secret_register(const char *value);
/* Owned copy of text with secrets redacted; NULL stays NULL. */
char *mc_redact(const char *text);
/* Short redacted form of one secret, e.g. "at-x…"; owned. */
char *mc_redact_value(const char *value);
void mc_secrets_clear(void);

/* Redaction by rule (issue 21), for servers whose secrets nobody registered:
 * - mc_redact always replaces every Cookie value and a Set-Cookie's value
 *   (header lines and a trace's "cookie"/"set-cookie" members), the value of
 *   every hidden <input>, and a Basic credential even where a quote ends it;
 * - mc_redact_learn_headers registers what a header block carries (Cookie
 *   and Set-Cookie values, a Basic pair's encoded form and its secret, a
 *   Bearer token), and mc_redact_learn_html a page's hidden fields (their
 *   names become secret field names, except the OAuth protocol parameters a
 *   consent form may repeat; their values are registered), so that they are
 *   redacted wherever they appear later: a path, a Location, a form body.
 * Both accept NULL. */
void mc_redact_learn_headers(const char *block);
void mc_redact_learn_html(const char *html, size_t len);
/* The redacted value of a credential header (Authorization and
 * Proxy-Authorization: the scheme and a prefix; Cookie and Set-Cookie: the
 * names); NULL for any other header. Owned. */
char *mc_redact_header(const char *name, const char *value);

#endif
