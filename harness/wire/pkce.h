/* PKCE S256 (RFC 7636) and unguessable values from OpenSSL's RNG. */
#ifndef MC_PKCE_H
#define MC_PKCE_H

#include <stddef.h>

/* base64url without padding of len bytes; owned. */
char *mc_b64url(const unsigned char *data, size_t len);
/* nbytes of randomness as base64url; owned; NULL if the RNG failed. */
char *mc_random_b64url(size_t nbytes);
/* A 43-character verifier from 32 random bytes; owned. */
char *mc_pkce_verifier(void);
/* BASE64URL(SHA256(ASCII(verifier))); owned. */
char *mc_pkce_s256(const char *verifier);
/* 1 when verifier is 43-128 chars of [A-Za-z0-9-._~] (RFC 7636 §4.1). */
int mc_pkce_verifier_valid(const char *verifier);

#endif
