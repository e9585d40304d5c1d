#include "rewrite.h"

#include "buf.h"
#include "url.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

size_t mc_origin_len(const char *s)
{
    size_t k;
    if (!s)
        return 0;
    if (strncasecmp(s, "http://", 7) == 0)
        k = 7;
    else if (strncasecmp(s, "https://", 8) == 0)
        k = 8;
    else
        return 0;
    size_t start = k;
    while (s[k] && !strchr("/?#\"' <>,\\\r\n\t", s[k]))
        k++;
    return k > start ? k : 0;
}

char *mc_rewrite_text(const char *text, size_t len, mc_url_map map, void *ctx, int *changed)
{
    mc_buf b;
    mc_buf_init(&b, 0);
    size_t i = 0;
    while (text && i < len) {
        /* origin_len reads up to a NUL: a bounded copy of what is left */
        size_t n = 0;
        if ((text[i] == 'h' || text[i] == 'H') && len - i >= 8) {
            size_t look = len - i < 512 ? len - i : 512;
            char *w = mc_xstrndup(text + i, look);
            n = mc_origin_len(w);
            if (n) {
                w[n] = '\0';
                char *m = map(w, ctx);
                mc_buf_adds(&b, m ? m : w);
                *changed += m != NULL;
                free(m);
            }
            free(w);
        }
        if (n) {
            i += n;
            continue;
        }
        mc_buf_add(&b, text + i, 1);
        i++;
    }
    return mc_buf_steal(&b);
}

/* only: rewrite that parameter alone (NULL: every one) */
static char *rewrite_form(const char *form, const char *only, mc_url_map map, void *ctx,
                          int *changed)
{
    mc_buf b;
    mc_buf_init(&b, 0);
    const char *p = form ? form : "";
    while (1) {
        size_t n = strcspn(p, "&");
        const char *eq = memchr(p, '=', n);
        char *m = NULL;
        if (eq &&
            (!only || ((size_t)(eq - p) == strlen(only) && strncmp(p, only, strlen(only)) == 0))) {
            char *pair = mc_xasprintf("x=%.*s", (int)(n - (size_t)(eq + 1 - p)), eq + 1);
            char *val = mc_query_get(pair, "x");
            m = val ? map(val, ctx) : NULL;
            mc_secret_free(val);
            mc_secret_free(pair);
        }
        if (m) {
            char *ev = curl_easy_escape(NULL, m, 0);
            mc_buf_add(&b, p, (size_t)(eq + 1 - p));
            mc_buf_adds(&b, ev ? ev : "");
            curl_free(ev);
            free(m);
            (*changed)++;
        } else {
            mc_buf_add(&b, p, n);
        }
        if (!p[n])
            break;
        mc_buf_add(&b, "&", 1);
        p += n + 1;
    }
    return mc_buf_steal(&b);
}

char *mc_rewrite_form(const char *form, mc_url_map map, void *ctx, int *changed)
{
    return rewrite_form(form, NULL, map, ctx, changed);
}

char *mc_rewrite_location(const char *loc, mc_url_map map, void *ctx, int *changed)
{
    char *base = loc ? map(loc, ctx) : NULL;
    const char *s = base ? base : loc ? loc : "";
    *changed += base != NULL;
    const char *q = strchr(s, '?');
    char *out;
    if (q) {
        const char *hash = strchr(q, '#');
        char *query = hash ? mc_xstrndup(q + 1, (size_t)(hash - q - 1)) : mc_xstrdup(q + 1);
        /* a redirect to an origin that is not proxied (the client's
         * callback, or a third party such as the upstream identity provider
         * of an OAuth proxy) goes there directly: only its RFC 9207 iss is
         * mapped, for the client; the rest (a redirect_uri the third party
         * compares) stays as the server wrote it */
        int elsewhere = !base && mc_origin_len(s) > 0;
        char *nq = rewrite_form(query, elsewhere ? "iss" : NULL, map, ctx, changed);
        out = mc_xasprintf("%.*s?%s%s", (int)(q - s), s, nq, hash ? hash : "");
        mc_secret_free(query);
        mc_secret_free(nq);
    } else {
        out = mc_xstrdup(s);
    }
    free(base);
    return out;
}
