/* Secrets never leave the process whole. Every token, code, verifier,
 * client secret and password the harness or the fixture handles is
 * registered here; mc_redact() replaces each registered value, and any
 * value of a well-known secret field (form, query, JSON, Authorization
 * header), by a short prefix followed by "…". */
#ifndef MC_REDACT_H
#define MC_REDACT_H

void mc_secret_register(const char *value);
/* Owned copy of text with secrets redacted; NULL stays NULL. */
char *mc_redact(const char *text);
/* Short redacted form of one secret, e.g. "at-x…"; owned. */
char *mc_redact_value(const char *value);
void mc_secrets_clear(void);

#endif
