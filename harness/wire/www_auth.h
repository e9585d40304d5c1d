/* WWW-Authenticate parsing (RFC 9110 §11.6.1): several challenges in one
 * header, token68 or auth-params, quoted strings with escapes,
 * case-insensitive scheme and parameter names. Pure and bounded. */
#ifndef MC_WWW_AUTH_H
#define MC_WWW_AUTH_H

#include <stddef.h>

#define MC_WWWA_MAX_INPUT 16384
#define MC_WWWA_MAX_CHALLENGES 16
#define MC_WWWA_MAX_PARAMS 32

typedef struct {
    char *name;  /* as sent */
    char *value; /* unquoted, escapes removed */
} mc_auth_param;

typedef struct {
    char *scheme;
    char *token68; /* NULL unless the challenge carries one */
    mc_auth_param params[MC_WWWA_MAX_PARAMS];
    size_t nparams;
} mc_challenge;

typedef struct {
    mc_challenge items[MC_WWWA_MAX_CHALLENGES];
    size_t n;
} mc_challenges;

/* Parses buf[0..len). Returns 0, or -1 with *err set to a static one-line
 * reason; what parsed before the error is kept in out. */
int mc_www_auth_parse(const char *buf, size_t len, mc_challenges *out, const char **err);
void mc_challenges_free(mc_challenges *c);
/* Borrowed; NULL when absent. */
const mc_challenge *mc_challenges_find(const mc_challenges *c, const char *scheme);
const char *mc_challenge_param(const mc_challenge *ch, const char *name);
size_t mc_challenge_param_count(const mc_challenge *ch, const char *name);

#endif
