#include "url.h"

#include "buf.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static CURLU *parse(const char *url)
{
    if (!url)
        return NULL;
    CURLU *u = curl_url();
    if (!u)
        return NULL;
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
        curl_url_cleanup(u);
        return NULL;
    }
    char *scheme = NULL;
    int ok = curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
             (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0);
    curl_free(scheme);
    if (!ok) {
        curl_url_cleanup(u);
        return NULL;
    }
    return u;
}

static char *get_part(CURLU *u, CURLUPart part, unsigned flags)
{
    char *v = NULL;
    if (curl_url_get(u, part, &v, flags) != CURLUE_OK)
        return NULL;
    char *d = mc_xstrdup(v);
    curl_free(v);
    return d;
}

static void lower(char *s)
{
    for (; s && *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

char *mc_url_origin(const char *url)
{
    CURLU *u = parse(url);
    if (!u)
        return NULL;
    char *scheme = get_part(u, CURLUPART_SCHEME, 0);
    char *host = get_part(u, CURLUPART_HOST, 0);
    char *port = get_part(u, CURLUPART_PORT, 0);
    lower(host);
    char *o = port ? mc_xasprintf("%s://%s:%s", scheme, host, port)
                   : mc_xasprintf("%s://%s", scheme, host);
    free(scheme);
    free(host);
    free(port);
    curl_url_cleanup(u);
    return o;
}

static char *strip_trailing_slash(char *path)
{
    size_t n = strlen(path);
    while (n > 0 && path[n - 1] == '/')
        path[--n] = '\0';
    return path;
}

char *mc_url_well_known_insert(const char *url, const char *name)
{
    CURLU *u = parse(url);
    if (!u)
        return NULL;
    char *origin = mc_url_origin(url);
    char *path = strip_trailing_slash(get_part(u, CURLUPART_PATH, 0));
    char *query = get_part(u, CURLUPART_QUERY, 0);
    char *r = mc_xasprintf("%s/.well-known/%s%s%s%s", origin, name, path, query ? "?" : "",
                           query ? query : "");
    free(origin);
    free(path);
    free(query);
    curl_url_cleanup(u);
    return r;
}

char *mc_url_well_known_append(const char *url, const char *name)
{
    CURLU *u = parse(url);
    if (!u)
        return NULL;
    char *origin = mc_url_origin(url);
    char *path = strip_trailing_slash(get_part(u, CURLUPART_PATH, 0));
    char *r = mc_xasprintf("%s%s/.well-known/%s", origin, path, name);
    free(origin);
    free(path);
    curl_url_cleanup(u);
    return r;
}

char *mc_url_canonical(const char *url)
{
    CURLU *u = parse(url);
    if (!u)
        return NULL;
    char *origin = mc_url_origin(url);
    char *path = get_part(u, CURLUPART_PATH, 0);
    char *query = get_part(u, CURLUPART_QUERY, 0);
    /* curl keeps a default port that was written out; drop it. */
    char *port = get_part(u, CURLUPART_PORT, 0);
    char *scheme = get_part(u, CURLUPART_SCHEME, 0);
    if (port && ((strcmp(scheme, "https") == 0 && strcmp(port, "443") == 0) ||
                 (strcmp(scheme, "http") == 0 && strcmp(port, "80") == 0))) {
        char *colon = strrchr(origin, ':');
        *colon = '\0';
    }
    strip_trailing_slash(path);
    char *r = mc_xasprintf("%s%s%s%s", origin, path, query ? "?" : "", query ? query : "");
    free(origin);
    free(path);
    free(query);
    free(port);
    free(scheme);
    curl_url_cleanup(u);
    return r;
}

char *mc_url_serialize(const char *url)
{
    CURLU *u = parse(url);
    char *r = u ? get_part(u, CURLUPART_URL, 0) : NULL;
    curl_url_cleanup(u);
    return r;
}

int mc_url_same_resource(const char *a, const char *b)
{
    char *ca = mc_url_canonical(a), *cb = mc_url_canonical(b);
    int same = ca && cb && strcmp(ca, cb) == 0;
    free(ca);
    free(cb);
    return same;
}

char *mc_url_resolve(const char *base, const char *ref)
{
    CURLU *u = parse(base);
    if (!u || !ref)
        return (curl_url_cleanup(u), NULL);
    char *r = NULL;
    if (curl_url_set(u, CURLUPART_URL, ref, 0) == CURLUE_OK)
        r = get_part(u, CURLUPART_URL, 0);
    curl_url_cleanup(u);
    return r;
}

char *mc_url_host(const char *url)
{
    CURLU *u = parse(url);
    if (!u)
        return NULL;
    char *h = get_part(u, CURLUPART_HOST, 0);
    lower(h);
    curl_url_cleanup(u);
    return h;
}

char *mc_url_path(const char *url)
{
    CURLU *u = parse(url);
    if (!u)
        return NULL;
    char *p = get_part(u, CURLUPART_PATH, 0);
    curl_url_cleanup(u);
    return p ? p : mc_xstrdup("/");
}

long mc_url_port(const char *url)
{
    CURLU *u = parse(url);
    if (!u)
        return -1;
    char *p = get_part(u, CURLUPART_PORT, CURLU_DEFAULT_PORT);
    long port = p ? strtol(p, NULL, 10) : -1;
    free(p);
    curl_url_cleanup(u);
    return port;
}

int mc_url_scheme_is(const char *url, const char *scheme)
{
    size_t n = strlen(scheme);
    return url && strncasecmp(url, scheme, n) == 0 && url[n] == ':';
}

int mc_url_is_loopback(const char *url)
{
    char *h = mc_url_host(url);
    struct in_addr v4;
    int yes = h && (strcmp(h, "localhost") == 0 || strcmp(h, "[::1]") == 0 ||
                    (inet_pton(AF_INET, h, &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127));
    free(h);
    return yes;
}

char *mc_query_get(const char *query, const char *name)
{
    if (!query)
        return NULL;
    size_t nlen = strlen(name);
    const char *p = query;
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t seg = amp ? (size_t)(amp - p) : strlen(p);
        if (seg > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
            char *raw = mc_xstrndup(p + nlen + 1, seg - nlen - 1);
            for (char *q = raw; *q; q++)
                if (*q == '+')
                    *q = ' ';
            int outlen = 0;
            char *dec = curl_easy_unescape(NULL, raw, 0, &outlen);
            free(raw);
            if (!dec)
                return NULL;
            char *r = mc_xstrndup(dec, (size_t)outlen);
            curl_free(dec);
            return r;
        }
        if (seg == nlen && strncmp(p, name, nlen) == 0)
            return mc_xstrdup("");
        if (!amp)
            break;
        p = amp + 1;
    }
    return NULL;
}

char *mc_url_query_get(const char *url, const char *name)
{
    /* any scheme: a redirect URI may be a native app's private-use one */
    const char *q = url ? strchr(url, '?') : NULL;
    if (!q)
        return NULL;
    const char *hash = strchr(q, '#');
    char *query = mc_xstrndup(q + 1, hash ? (size_t)(hash - q - 1) : strlen(q + 1));
    char *v = mc_query_get(query, name);
    free(query);
    return v;
}

void mc_form_append(char **form, const char *name, const char *value)
{
    char *ev = curl_easy_escape(NULL, value ? value : "", 0);
    char *en = curl_easy_escape(NULL, name, 0);
    char *n = mc_xasprintf("%s%s%s=%s", *form ? *form : "", *form && **form ? "&" : "", en, ev);
    curl_free(ev);
    curl_free(en);
    free(*form);
    *form = n;
}

char *mc_url_add_query(const char *url, const char *query)
{
    return mc_xasprintf("%s%c%s", url, strchr(url, '?') ? '&' : '?', query);
}
