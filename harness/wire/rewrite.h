/* URL rewriting for the recording proxy: the URLs of some origins are
 * replaced wherever they appear in text (a challenge, HTML, an event
 * stream), in the values of a form or query, and in a redirect's Location
 * and its query. Pure and bounded by the input: the caller's map decides
 * what a URL becomes. */
#ifndef MC_REWRITE_H
#define MC_REWRITE_H

#include <stddef.h>

/* The replacement for url (owned), or NULL to keep it. In text, url is only
 * the "scheme://authority" prefix. */
typedef char *(*mc_url_map)(const char *url, void *ctx);

/* Length of "scheme://authority" at the start of s (http or https, any
 * case); 0 when there is none. */
size_t mc_origin_len(const char *s);
/* Each (*changed)++ counts a replacement; every result is owned. */
char *mc_rewrite_text(const char *text, size_t len, mc_url_map map, void *ctx, int *changed);
/* name=value pairs joined by "&": a value that decodes to a mapped URL is
 * replaced (percent-encoded); everything else is kept byte for byte. */
char *mc_rewrite_form(const char *form, mc_url_map map, void *ctx, int *changed);
/* The Location itself, then the values of its query; the fragment kept. */
char *mc_rewrite_location(const char *loc, mc_url_map map, void *ctx, int *changed);

#endif
