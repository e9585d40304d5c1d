/* The recording proxy's forwarding: a request sent upstream with the URLs
 * of proxied origins mapped back (query, form, JSON body, Origin), the
 * answer sent to the client with upstream URLs rewritten (challenge,
 * Location, JSON and text bodies), both recorded. */
#include "proxy_int.h"

#include "../wire/redact.h"
#include "../wire/rewrite.h"
#include "../wire/ssrf.h"
#include "../wire/url.h"

#include <arpa/inet.h>

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

/* ---------- rewriting ---------- */

/* JSON fields whose URLs name origins the client will talk to next. */
static const char *const url_fields[] = {
    "resource",
    "authorization_servers",
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "registration_endpoint",
    "revocation_endpoint",
    "introspection_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "device_authorization_endpoint",
    "pushed_authorization_request_endpoint",
    "end_session_endpoint",
    "registration_client_uri",
};

static int is_url_field(const char *k)
{
    for (size_t i = 0; k && i < sizeof url_fields / sizeof *url_fields; i++)
        if (strcmp(k, url_fields[i]) == 0)
            return 1;
    return 0;
}

/* Rewrites every string in j that is a URL of a proxied origin; returns how
 * many changed. Upstream-bound: local → upstream; client-bound: upstream →
 * local, starting listeners for origins named by url_fields. */
static int rewrite_json(proxy *px, json_t *j, const char *key, int upstream, int depth)
{
    int changed = 0;
    if (depth > 32)
        return 0;
    if (json_is_string(j)) {
        char *m = mc_proxy_map(px, json_string_value(j), upstream, !upstream && is_url_field(key));
        if (m) {
            json_string_set(j, m);
            changed++;
        }
        free(m);
    } else if (json_is_object(j)) {
        const char *k;
        json_t *v;
        json_object_foreach(j, k, v) changed += rewrite_json(px, v, k, upstream, depth + 1);
    } else if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) changed += rewrite_json(px, v, key, upstream, depth + 1);
    }
    return changed;
}

/* mc_rewrite_* callbacks: towards the client (optionally starting a
 * listener for a new origin), or back upstream */
typedef struct {
    proxy *px;
    int upstream, add;
} mapping;

static char *map_cb(const char *url, void *ctx)
{
    const mapping *m = ctx;
    return mc_proxy_map(m->px, url, m->upstream, m->add);
}

/* ---------- upstream ---------- */

typedef struct {
    mc_buf body, headers;
} upstream_answer;

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
    mc_buf *b = ud;
    return mc_buf_add(b, p, sz * n) == 0 ? sz * n : 0; /* past the cap: abort */
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
    upstream_answer *a = ud;
    if (n * sz >= 5 && strncmp(p, "HTTP/", 5) == 0)
        a->headers.len = 0; /* a new response (after 100 Continue) */
    return mc_buf_add(&a->headers, p, sz * n) == 0 ? sz * n : 0;
}

static const char *const hop_by_hop[] = {
    "host",
    "connection",
    "keep-alive",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "accept-encoding",
    "expect",
    "content-encoding",
};

static int is_hop_by_hop(const char *name, size_t n)
{
    for (size_t i = 0; i < sizeof hop_by_hop / sizeof *hop_by_hop; i++)
        if (strlen(hop_by_hop[i]) == n && strncasecmp(name, hop_by_hop[i], n) == 0)
            return 1;
    return 0;
}

typedef struct {
    proxy *px;
    struct curl_slist *list;
} header_ctx;

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
    (void)kind;
    header_ctx *h = cls;
    if (is_hop_by_hop(k, strlen(k)))
        return MHD_YES;
    char *m = NULL;
    if (strcasecmp(k, "origin") == 0 || strcasecmp(k, "referer") == 0)
        m = mc_proxy_to_upstream(h->px, v);
    char *line = mc_xasprintf("%s: %s", k, m ? m : v ? v : "");
    h->list = curl_slist_append(h->list, line);
    mc_secret_free(line);
    free(m);
    return MHD_YES;
}

typedef struct {
    proxy *px;
    char *query;
    int changed;
} query_ctx;

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
    (void)kind;
    query_ctx *q = cls;
    char *m = v ? mc_proxy_to_upstream(q->px, v) : NULL;
    if (m)
        q->changed++;
    if (v) {
        mc_form_append(&q->query, k, m ? m : v);
    } else {
        char *en = curl_easy_escape(NULL, k, 0);
        char *n = mc_xasprintf("%s%s%s", q->query ? q->query : "", q->query ? "&" : "", en);
        curl_free(en);
        mc_secret_free(q->query);
        q->query = n;
    }
    free(m);
    return MHD_YES;
}

static void note(json_t *notes, const char *fmt, const char *arg)
{
    char *s = mc_xasprintf(fmt, arg);
    json_array_append_new(notes, json_string(s));
    free(s);
}

/* A GET for a standalone event stream: declined with 405, since such a
 * stream never ends and this proxy records handshakes (the spec lets a
 * server decline the stream). */
static enum MHD_Result decline_stream(proxy *px, struct MHD_Connection *conn, const char *url,
                                      const char *method, const char *body, size_t len)
{
    json_t *notes = json_array();
    /* a standalone event stream never ends: this proxy records
     * handshakes, and the spec lets a server decline the stream */
    note(notes, "%s",
         "event stream not proxied: answered 405 (MCP transports: a server "
         "may decline GET)");
    mc_proxy_answer(conn, 405, NULL, "", 0, (const char *const[]){"Allow", "POST"}, 2);
    mc_proxy_record(px, conn, method, url, body, len, 405, NULL, NULL, NULL, 0, NULL, notes);
    json_decref(notes);
    return MHD_YES;
}

/* The upstream URL (owned): path as sent, query values mapped back. */
static char *upstream_target(const origin *o, struct MHD_Connection *conn, const char *url,
                             json_t *notes)
{
    query_ctx q = {o->px, NULL, 0};
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_arg, &q);
    char *target =
        mc_xasprintf("%s%s%s%s", o->spelling, url, q.query ? "?" : "", q.query ? q.query : "");
    mc_secret_free(q.query);
    if (q.changed)
        note(notes, "%s", "query: proxied URLs mapped to upstream");
    return target;
}

/* The body to send upstream when it differs from the client's (owned,
 * *send_len), with URLs of proxied origins mapped back (e.g. resource);
 * else NULL. */
static char *upstream_body(proxy *px, struct MHD_Connection *conn, const char *body, size_t len,
                           size_t *send_len, json_t *notes)
{
    char *send = NULL;
    const char *ctype = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
    if (len && ctype && strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0) {
        char *form = mc_xstrndup(body, len);
        int changed = 0;
        mapping up = {px, 1, 0};
        char *nf = mc_rewrite_form(form, map_cb, &up, &changed);
        mc_secret_free(form);
        if (changed) {
            send = nf;
            *send_len = strlen(nf);
            note(notes, "%s", "form: proxied URLs mapped to upstream");
        } else {
            mc_secret_free(nf);
        }
    } else if (len && ctype && strstr(ctype, "json")) {
        json_t *j = json_loadb(body, len, 0, NULL);
        if (j && rewrite_json(px, j, NULL, 1, 0)) {
            send = json_dumps(j, JSON_COMPACT);
            *send_len = send ? strlen(send) : 0;
            note(notes, "%s", "JSON body: proxied URLs mapped to upstream");
        }
        json_decref(j);
    }
    return send;
}

/* The SSRF guard run applies, before any connection: an origin the
 * upstream named (not the one the user gave, the first) is only connected
 * to on a public address, on the upstream's own kind of network, or on
 * loopback (the proxy and what it fronts run on this machine), unless
 * --allow-private; IPv6 forms that carry an IPv4 address (mapped,
 * compatible, NAT64, 6to4) count as that address (mc_net_classify). */
typedef struct {
    origin *o;
    char refused[200];
} guard_ctx;

static curl_socket_t open_guarded(void *ud, curlsocktype purpose, struct curl_sockaddr *a)
{
    guard_ctx *g = ud;
    proxy *px = g->o->px;
    (void)purpose;
    mc_net_class k = mc_net_classify(&a->addr);
    pthread_mutex_lock(&px->lock);
    int first = g->o == &px->o[0];
    if (first && px->target_class < 0)
        px->target_class = (int)k;
    mc_net_class target = px->target_class < 0 ? MC_NET_PUBLIC : (mc_net_class)px->target_class;
    pthread_mutex_unlock(&px->lock);
    if (!first && k != MC_NET_LOOPBACK && !mc_net_allowed(target, k, px->cfg->allow_private)) {
        char ip[64] = "?";
        if (a->family == AF_INET)
            inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)&a->addr)->sin_addr, ip, sizeof ip);
        else if (a->family == AF_INET6)
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)(void *)&a->addr)->sin6_addr, ip,
                      sizeof ip);
        snprintf(g->refused, sizeof g->refused,
                 "refused to connect to %s (a %s address) for an origin the upstream named, the "
                 "upstream being %s (--allow-private allows it)",
                 ip, mc_net_class_name(k), mc_net_class_name(target));
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/* The request sent upstream (body: the client's, or send when it was
 * rewritten); the answer into *a, its status into *status. */
static CURLcode fetch(const mc_config *cfg, guard_ctx *g, const char *target, const char *method,
                      const char *body, size_t len, const char *send, size_t send_len,
                      struct curl_slist *headers, upstream_answer *a, long *status)
{
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_guarded);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, g);
    curl_easy_setopt(c, CURLOPT_URL, target);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (len || strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, send ? send : body ? body : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)(send ? send_len : len));
    } else if (strcmp(method, "HEAD") == 0) {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &a->body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, a);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (cfg->timeout ? cfg->timeout : 15) * 1000L);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    if (cfg->cacert)
        curl_easy_setopt(c, CURLOPT_CAINFO, cfg->cacert);
    if (cfg->insecure) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    CURLcode rc = curl_easy_perform(c);
    *status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    curl_easy_cleanup(c);
    return rc;
}

/* The upstream did not answer (or answered too much): 502 to the client. */
static void bad_gateway(proxy *px, struct MHD_Connection *conn, const char *url, const char *method,
                        const char *body, size_t len, const upstream_answer *a, CURLcode rc,
                        const char *refused, const char *upstream_url, json_t *notes)
{
    const char *why = a->body.truncated      ? "response larger than 2 MiB"
                      : a->headers.truncated ? "response headers larger than 64 KiB"
                      : *refused             ? refused
                                             : curl_easy_strerror(rc);
    fprintf(stderr, "mcpcompat: %s %s: %s\n", method, upstream_url, why);
    note(notes, "upstream failed: %s", why);
    json_t *err = json_pack("{s:s, s:s}", "error", "bad_gateway", "error_description", why);
    char *eb = json_dumps(err, JSON_COMPACT);
    json_decref(err);
    mc_proxy_answer(conn, 502, "application/json", eb, strlen(eb), NULL, 0);
    mc_proxy_record(px, conn, method, url, body, len, 502, NULL, NULL, eb, strlen(eb), upstream_url,
                    notes);
    free(eb);
}

/* The answer's headers for the client: name, value pairs (hv), values
 * owned, the challenge and Location as rewritten, the content type. */
typedef struct {
    const char *hv[128];
    char *owned[64];
    size_t nh, no;
    char *www, *location, *ctype;
} client_headers;

/* The answer's headers (parsed in place), rewritten for the client. */
static void rewrite_headers(proxy *px, upstream_answer *a, client_headers *ch, json_t *notes)
{
    char *hb = a->headers.data ? a->headers.data : "";
    for (char *line = hb, *next; line && *line; line = next) {
        next = strstr(line, "\r\n");
        if (next) {
            *next = '\0';
            next += 2;
        }
        char *colon = strchr(line, ':');
        if (!colon || strncmp(line, "HTTP/", 5) == 0)
            continue;
        *colon = '\0';
        char *v = colon + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        if (is_hop_by_hop(line, strlen(line)) || ch->nh + 2 > 128 || ch->no + 1 > 64)
            continue;
        char *value = NULL;
        int changed = 0;
        if (strcasecmp(line, "WWW-Authenticate") == 0) {
            mapping m = {px, 0, 1};
            value = mc_rewrite_text(v, strlen(v), map_cb, &m, &changed);
            if (!ch->www)
                ch->www = mc_xstrdup(value);
        } else if (strcasecmp(line, "Location") == 0) {
            mapping m = {px, 0, 0};
            value = mc_rewrite_location(v, map_cb, &m, &changed);
            free(ch->location);
            ch->location = mc_xstrdup(value);
        } else {
            if (strcasecmp(line, "Content-Type") == 0 && !ch->ctype)
                ch->ctype = mc_xstrdup(v);
            value = mc_xstrdup(v);
        }
        if (changed)
            note(notes, "%s: proxied URLs rewritten", line);
        ch->owned[ch->no++] = value;
        ch->hv[ch->nh++] = line;
        ch->hv[ch->nh++] = value;
    }
}

/* The answer's body rewritten for the client (owned), or NULL when nothing
 * in it changed: JSON, text or XML with upstream URLs. */
static char *rewrite_body(proxy *px, const char *ctype, const char *out, size_t out_len,
                          json_t *notes)
{
    char *rewritten = NULL;
    if (ctype && strstr(ctype, "json") && out_len) {
        json_t *j = json_loadb(out, out_len, 0, NULL);
        if (j && rewrite_json(px, j, NULL, 0, 0)) {
            rewritten = json_dumps(j, JSON_COMPACT);
            note(notes, "%s", "JSON body: upstream URLs rewritten");
        }
        json_decref(j);
    } else if (ctype && out_len && (strncasecmp(ctype, "text/", 5) == 0 || strstr(ctype, "xml"))) {
        int changed = 0;
        mapping m = {px, 0, 0};
        rewritten = mc_rewrite_text(out, out_len, map_cb, &m, &changed);
        if (!changed) {
            free(rewritten);
            rewritten = NULL;
        } else {
            note(notes, "%s", "body: upstream URLs rewritten");
        }
    }
    return rewritten;
}

enum MHD_Result mc_proxy_forward(origin *o, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *body, size_t len)
{
    proxy *px = o->px;
    const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept");
    if (strcmp(method, "GET") == 0 && accept && strstr(accept, "text/event-stream"))
        return decline_stream(px, conn, url, method, body, len);
    json_t *notes = json_array();
    char *target = upstream_target(o, conn, url, notes);
    size_t send_len = len;
    char *send = upstream_body(px, conn, body, len, &send_len, notes);
    header_ctx h = {px, NULL};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, add_header, &h);
    h.list = curl_slist_append(h.list, "Expect:");
    upstream_answer a;
    mc_buf_init(&a.body, MAX_RESP_BODY);
    mc_buf_init(&a.headers, MAX_RESP_HEADERS);
    long status;
    guard_ctx g = {o, ""};
    CURLcode rc =
        fetch(px->cfg, &g, target, method, body, len, send, send_len, h.list, &a, &status);
    curl_slist_free_all(h.list);
    if (send)
        mc_secret_free(send);
    char *upstream_url = mc_xstrdup(target);
    char *qm = strchr(upstream_url, '?');
    if (qm)
        *qm = '\0'; /* the query is in the entry already */
    mc_secret_free(target);
    if (rc != CURLE_OK || status < 100) {
        bad_gateway(px, conn, url, method, body, len, &a, rc, g.refused, upstream_url, notes);
        goto done;
    }
    /* what the upstream set (cookies) and hid (a page's hidden fields) is a
     * secret wherever it shows in the trace */
    mc_redact_learn_headers(a.headers.data);
    if (a.body.len && a.headers.data && strstr(a.headers.data, "text/html"))
        mc_redact_learn_html(a.body.data, a.body.len);
    client_headers ch = {.nh = 0};
    rewrite_headers(px, &a, &ch, notes);
    const char *out = a.body.data ? a.body.data : "";
    size_t out_len = a.body.len;
    int json_resp = ch.ctype && strstr(ch.ctype, "json");
    char *rewritten = rewrite_body(px, ch.ctype, out, out_len, notes);
    if (rewritten) {
        out = rewritten;
        out_len = strlen(rewritten);
    }
    mc_proxy_answer(conn, (unsigned)status, NULL, out, out_len, ch.hv, ch.nh);
    mc_proxy_record(px, conn, method, url, body, len, (unsigned)status, ch.www, ch.location, out,
                    json_resp ? out_len : 0, upstream_url, notes);
    for (size_t i = 0; i < ch.no; i++)
        free(ch.owned[i]);
    free(ch.www);
    free(ch.location);
    free(ch.ctype);
    mc_secret_free(rewritten);
done:
    free(upstream_url);
    mc_buf_free(&a.headers);
    mc_buf_free(&a.body);
    json_decref(notes);
    return MHD_YES;
}
