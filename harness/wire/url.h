/* URL work through curl_url(): well-known insertion (RFC 9728 §3.1,
 * RFC 8414 §3.1), OIDC appending, canonical resource comparison, query
 * reading and building. Every function returns an owned string or NULL when
 * the input is not an absolute http(s) URL. */
#ifndef MC_URL_H
#define MC_URL_H

#include <stddef.h>

/* scheme://host[:port]/.well-known/<name><path>[?query]; a lone "/" path
 * and a terminating "/" are dropped first. */
char *mc_url_well_known_insert(const char *url, const char *name);
/* <url without a terminating "/">/.well-known/<name> (OIDC Discovery §4). */
char *mc_url_well_known_append(const char *url, const char *name);
/* scheme://host[:port] */
char *mc_url_origin(const char *url);
/* Lower-case scheme and host, no fragment, default port dropped, no
 * terminating "/" on the path (RFC 8707 / MCP canonical server URI). */
char *mc_url_canonical(const char *url);
/* The URL as a WHATWG URL parser writes it back (`new URL(u).href`): an
 * empty path becomes "/", scheme and host lower case; NULL if unparsable. */
char *mc_url_serialize(const char *url);
/* 1 when both canonicalise to the same string. */
int mc_url_same_resource(const char *a, const char *b);
/* Resolves ref against base (RFC 3986 §5). */
char *mc_url_resolve(const char *base, const char *ref);
/* Host of url, lower-case; NULL when unparsable. */
char *mc_url_host(const char *url);
/* Path of url ("/" when empty). */
char *mc_url_path(const char *url);
/* Port number (explicit or the scheme's default); -1 when unparsable. */
long mc_url_port(const char *url);
int mc_url_scheme_is(const char *url, const char *scheme);
int mc_url_is_loopback(const char *url);
/* The decoded value of the first name=value in an x-www-form-urlencoded
 * query string (query may be NULL); NULL when absent. */
char *mc_query_get(const char *query, const char *name);
/* The query of a URL (decoded value of name in it). */
char *mc_url_query_get(const char *url, const char *name);
/* Appends name=value (value percent-encoded) to an urlencoded string. */
void mc_form_append(char **form, const char *name, const char *value);
/* url + "?" or "&" + query */
char *mc_url_add_query(const char *url, const char *query);

#endif
