/* `mcpcompat proxy UPSTREAM_MCP_URL --record FILE`: a recording reverse
 * proxy on loopback in front of a user's MCP server and its authorization
 * server(s), so a real client's whole handshake can be recorded on the
 * user's machine and compared with `mcpcompat fidelity`.
 *
 * Each upstream origin gets its own listener on 127.0.0.1 (the MCP server's
 * first, more as the handshake names them), so paths, and with them the
 * well-known URLs a client derives from an issuer, stay what they are
 * upstream. URLs of known origins are rewritten in both directions: in
 * WWW-Authenticate, Location (and its query, e.g. RFC 9207 iss), JSON
 * bodies (resource, authorization_servers, issuer, endpoints), HTML and
 * event streams on the way to the client; in the query, forms, JSON bodies
 * and Origin on the way upstream (e.g. the resource parameter). What the
 * client sent and what it got are written in the recorder's trace format,
 * with secrets redacted. */
#include "../engine/run.h"

#include "../wire/buf.h"
#include "../wire/record.h"
#include "../wire/redact.h"
#include "../wire/rewrite.h"
#include "../wire/url.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <unistd.h>

#define MAX_ORIGINS 8
#define MAX_REQ_BODY (1024 * 1024)
#define MAX_RESP_BODY (2 * 1024 * 1024)
#define MAX_RESP_HEADERS (64 * 1024)

typedef struct proxy proxy;

typedef struct {
    char *key;      /* scheme://host:port, lower-case, port explicit */
    char *spelling; /* scheme://authority as first seen, for HTML */
    char *local;    /* http://127.0.0.1:PORT */
    long port;
    struct MHD_Daemon *d;
    proxy *px;
} origin;

struct proxy {
    origin o[MAX_ORIGINS];
    size_t n;
    pthread_mutex_t lock;
    FILE *rec;
    unsigned long seq;
    double t0;
    const mc_config *cfg;
};

typedef struct {
    mc_buf body;
    int too_big;
} req_state;

static double now_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec * 1000.0 + tv.tv_usec / 1000.0;
}

/* ---------- origins ---------- */

/* The origin key of url (owned; *n: the length of its origin), or NULL
 * when url is no absolute http(s) URL. */
static char *key_of(const char *url, size_t *n)
{
    *n = mc_origin_len(url);
    if (!*n)
        return NULL;
    char *o = mc_xstrndup(url, *n);
    char *host = mc_url_host(o);
    long port = mc_url_port(o);
    char *key = host && port > 0
                    ? mc_xasprintf("%s://%s:%ld", mc_url_scheme_is(o, "https") ? "https" : "http",
                                   host, port)
                    : NULL;
    free(host);
    free(o);
    return key;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls);
static void on_done(void *cls, struct MHD_Connection *conn, void **con_cls,
                    enum MHD_RequestTerminationCode toe);

/* Starts a listener for the upstream origin key; called with px->lock held. */
static origin *listen_for(proxy *px, const char *key, const char *spelling, long port)
{
    if (px->n == MAX_ORIGINS)
        return NULL;
    origin *o = &px->o[px->n];
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    o->px = px;
    o->d =
        MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL,
                         NULL, on_request, o, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&a,
                         MHD_OPTION_NOTIFY_COMPLETED, on_done, o, MHD_OPTION_CONNECTION_TIMEOUT,
                         (unsigned)60, MHD_OPTION_CONNECTION_LIMIT, (unsigned)64, MHD_OPTION_END);
    if (!o->d)
        return NULL;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(o->d, MHD_DAEMON_INFO_BIND_PORT);
    o->port = info ? info->port : 0;
    o->key = mc_xstrdup(key);
    o->spelling = mc_xstrdup(spelling);
    o->local = mc_xasprintf("http://127.0.0.1:%ld", o->port);
    px->n++;
    fprintf(stderr, "mcpcompat: proxying %s at %s\n", o->spelling, o->local);
    return o;
}

/* The local URL for an upstream one (owned), or NULL when its origin is not
 * proxied; add: start a listener for a new origin. */
static char *to_local(proxy *px, const char *url, int add)
{
    size_t n;
    char *key = key_of(url, &n);
    if (!key)
        return NULL;
    char *out = NULL;
    pthread_mutex_lock(&px->lock);
    origin *hit = NULL;
    for (size_t i = 0; i < px->n && !hit; i++)
        if (strcmp(px->o[i].key, key) == 0)
            hit = &px->o[i];
    if (!hit && add) {
        char *spelling = mc_xstrndup(url, n);
        hit = listen_for(px, key, spelling, 0);
        if (!hit)
            fprintf(stderr, "mcpcompat: cannot proxy %s (at most %d origins)\n", spelling,
                    MAX_ORIGINS);
        free(spelling);
    }
    if (hit)
        out = mc_xasprintf("%s%s", hit->local, url + n);
    pthread_mutex_unlock(&px->lock);
    free(key);
    return out;
}

/* The upstream URL for a local one (owned), or NULL. */
static char *to_upstream(proxy *px, const char *url)
{
    size_t n;
    char *key = key_of(url, &n);
    if (!key)
        return NULL;
    char *out = NULL;
    pthread_mutex_lock(&px->lock);
    for (size_t i = 0; i < px->n && !out; i++) {
        char *a = mc_xasprintf("http://127.0.0.1:%ld", px->o[i].port);
        char *b = mc_xasprintf("http://localhost:%ld", px->o[i].port);
        if (strcmp(key, a) == 0 || strcmp(key, b) == 0)
            out = mc_xasprintf("%s%s", px->o[i].spelling, url + n);
        free(a);
        free(b);
    }
    pthread_mutex_unlock(&px->lock);
    free(key);
    return out;
}

static char *map(proxy *px, const char *url, int upstream, int add)
{
    return upstream ? to_upstream(px, url) : to_local(px, url, add);
}

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
        char *m = map(px, json_string_value(j), upstream, !upstream && is_url_field(key));
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
    return map(m->px, url, m->upstream, m->add);
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
        m = to_upstream(h->px, v);
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
    char *m = v ? to_upstream(q->px, v) : NULL;
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

/* ---------- one request ---------- */

static enum MHD_Result answer(struct MHD_Connection *conn, unsigned status, const char *ctype,
                              const char *body, size_t len, const char *const *headers,
                              size_t nheaders)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)(body ? body : ""), MHD_RESPMEM_MUST_COPY);
    if (ctype)
        MHD_add_response_header(resp, "Content-Type", ctype);
    for (size_t i = 0; i + 1 < nheaders; i += 2)
        MHD_add_response_header(resp, headers[i], headers[i + 1]);
    enum MHD_Result rc = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return rc;
}

/* Secrets the upstream issued or the client sent, so mc_redact replaces
 * them wherever they appear (a Location's code, a later body). */
static void register_secrets(const char *body, size_t len)
{
    static const char *const fields[] = {"access_token",  "refresh_token", "id_token",
                                         "client_secret", "code",          "code_verifier",
                                         "password",      "device_code"};
    json_t *j = len ? json_loadb(body, len, 0, NULL) : NULL;
    for (size_t i = 0; j && i < sizeof fields / sizeof *fields; i++)
        mc_secret_register(json_string_value(json_object_get(j, fields[i])));
    json_decref(j);
}

static void record(proxy *px, struct MHD_Connection *conn, const char *method, const char *path,
                   const char *body, size_t len, unsigned status, const char *www,
                   const char *location, const char *resp, size_t resp_len, const char *upstream,
                   json_t *notes)
{
    register_secrets(resp, resp_len);
    pthread_mutex_lock(&px->lock);
    json_t *e =
        mc_record_entry(conn, ++px->seq, now_ms() - px->t0, method, path, body, len, status);
    /* cookies are credentials: names only */
    json_t *hdrs = json_object_get(e, "headers");
    json_t *sent = json_object_get(e, "body");
    mc_secret_register(json_string_value(json_object_get(sent, "code")));
    mc_secret_register(json_string_value(json_object_get(sent, "refresh_token")));
    mc_secret_register(json_string_value(json_object_get(sent, "client_secret")));
    const char *cookie = json_string_value(json_object_get(hdrs, "cookie"));
    if (cookie) {
        mc_buf b;
        mc_buf_init(&b, 4096);
        char *copy = mc_xstrdup(cookie), *save = NULL;
        for (char *c = strtok_r(copy, ";", &save); c; c = strtok_r(NULL, ";", &save)) {
            while (*c == ' ')
                c++;
            char *eq = strchr(c, '=');
            mc_buf_printf(&b, "%s%.*s=…", b.len ? "; " : "", (int)(eq ? eq - c : (long)strlen(c)),
                          c);
        }
        mc_secret_free(copy);
        char *names = mc_buf_steal(&b);
        json_object_set_new(hdrs, "cookie", json_string(names));
        free(names);
    }
    /* credentials: the scheme and a prefix (mc_redact leaves a value that
     * ends a JSON string alone, as it does a challenge's parameters) */
    const char *auth = json_string_value(json_object_get(hdrs, "authorization"));
    if (auth) {
        const char *sp = strchr(auth, ' ');
        char *r = mc_redact_value(sp ? sp + 1 : auth);
        char *v = mc_xasprintf("%.*s%s", sp ? (int)(sp - auth + 1) : 0, auth, r);
        json_object_set_new(hdrs, "authorization", json_string(v));
        free(v);
        free(r);
    }
    if (upstream)
        json_object_set_new(e, "upstream", json_string(upstream));
    if (json_array_size(notes))
        json_object_set(e, "notes", notes);
    if (px->rec)
        mc_record_write(px->rec, e, www, location, resp, resp_len);
    else
        json_decref(e);
    pthread_mutex_unlock(&px->lock);
}

static void note(json_t *notes, const char *fmt, const char *arg)
{
    char *s = mc_xasprintf(fmt, arg);
    json_array_append_new(notes, json_string(s));
    free(s);
}

static enum MHD_Result forward(origin *o, struct MHD_Connection *conn, const char *url,
                               const char *method, const char *body, size_t len)
{
    proxy *px = o->px;
    json_t *notes = json_array();
    const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept");
    if (strcmp(method, "GET") == 0 && accept && strstr(accept, "text/event-stream")) {
        /* a standalone event stream never ends: this proxy records
         * handshakes, and the spec lets a server decline the stream */
        note(notes, "%s",
             "event stream not proxied: answered 405 (MCP transports: a server "
             "may decline GET)");
        answer(conn, 405, NULL, "", 0, (const char *const[]){"Allow", "POST"}, 2);
        record(px, conn, method, url, body, len, 405, NULL, NULL, NULL, 0, NULL, notes);
        json_decref(notes);
        return MHD_YES;
    }
    /* the upstream URL: path as sent, query values mapped back */
    query_ctx q = {px, NULL, 0};
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_arg, &q);
    char *target =
        mc_xasprintf("%s%s%s%s", o->spelling, url, q.query ? "?" : "", q.query ? q.query : "");
    mc_secret_free(q.query);
    if (q.changed)
        note(notes, "%s", "query: proxied URLs mapped to upstream");
    /* the body: URLs of proxied origins mapped back (e.g. resource) */
    char *send = NULL;
    size_t send_len = len;
    const char *ctype = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
    if (len && ctype && strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0) {
        char *form = mc_xstrndup(body, len);
        int changed = 0;
        mapping up = {px, 1, 0};
        char *nf = mc_rewrite_form(form, map_cb, &up, &changed);
        mc_secret_free(form);
        if (changed) {
            send = nf;
            send_len = strlen(nf);
            note(notes, "%s", "form: proxied URLs mapped to upstream");
        } else {
            mc_secret_free(nf);
        }
    } else if (len && ctype && strstr(ctype, "json")) {
        json_t *j = json_loadb(body, len, 0, NULL);
        if (j && rewrite_json(px, j, NULL, 1, 0)) {
            send = json_dumps(j, JSON_COMPACT);
            send_len = send ? strlen(send) : 0;
            note(notes, "%s", "JSON body: proxied URLs mapped to upstream");
        }
        json_decref(j);
    }
    header_ctx h = {px, NULL};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, add_header, &h);
    h.list = curl_slist_append(h.list, "Expect:");
    const mc_config *cfg = px->cfg;
    upstream_answer a;
    mc_buf_init(&a.body, MAX_RESP_BODY);
    mc_buf_init(&a.headers, MAX_RESP_HEADERS);
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, target);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (len || strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, send ? send : body ? body : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)(send ? send_len : len));
    } else if (strcmp(method, "HEAD") == 0) {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h.list);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &a.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &a);
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
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    curl_slist_free_all(h.list);
    if (send)
        mc_secret_free(send);
    char *upstream_url = mc_xstrdup(target);
    char *qm = strchr(upstream_url, '?');
    if (qm)
        *qm = '\0'; /* the query is in the entry already */
    mc_secret_free(target);
    if (rc != CURLE_OK || status < 100) {
        const char *why = a.body.truncated      ? "response larger than 2 MiB"
                          : a.headers.truncated ? "response headers larger than 64 KiB"
                                                : curl_easy_strerror(rc);
        fprintf(stderr, "mcpcompat: %s %s: %s\n", method, upstream_url, why);
        note(notes, "upstream failed: %s", why);
        json_t *err = json_pack("{s:s, s:s}", "error", "bad_gateway", "error_description", why);
        char *eb = json_dumps(err, JSON_COMPACT);
        json_decref(err);
        answer(conn, 502, "application/json", eb, strlen(eb), NULL, 0);
        record(px, conn, method, url, body, len, 502, NULL, NULL, eb, strlen(eb), upstream_url,
               notes);
        free(eb);
        goto done;
    }
    /* the answer's headers, rewritten for the client */
    const char *hv[128];
    char *owned[64];
    size_t nh = 0, no = 0;
    char *www = NULL, *location = NULL, *ctype_resp = NULL;
    char *hb = a.headers.data ? a.headers.data : "";
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
        if (is_hop_by_hop(line, strlen(line)) || nh + 2 > 128 || no + 1 > 64)
            continue;
        char *value = NULL;
        int changed = 0;
        if (strcasecmp(line, "WWW-Authenticate") == 0) {
            mapping m = {px, 0, 1};
            value = mc_rewrite_text(v, strlen(v), map_cb, &m, &changed);
            if (!www)
                www = mc_xstrdup(value);
        } else if (strcasecmp(line, "Location") == 0) {
            mapping m = {px, 0, 0};
            value = mc_rewrite_location(v, map_cb, &m, &changed);
            free(location);
            location = mc_xstrdup(value);
        } else {
            if (strcasecmp(line, "Content-Type") == 0 && !ctype_resp)
                ctype_resp = mc_xstrdup(v);
            value = mc_xstrdup(v);
        }
        if (changed)
            note(notes, "%s: proxied URLs rewritten", line);
        owned[no++] = value;
        hv[nh++] = line;
        hv[nh++] = value;
    }
    /* the body, rewritten for the client */
    const char *out = a.body.data ? a.body.data : "";
    size_t out_len = a.body.len;
    char *rewritten = NULL;
    int json_resp = ctype_resp && strstr(ctype_resp, "json");
    if (json_resp && out_len) {
        json_t *j = json_loadb(out, out_len, 0, NULL);
        if (j && rewrite_json(px, j, NULL, 0, 0)) {
            rewritten = json_dumps(j, JSON_COMPACT);
            note(notes, "%s", "JSON body: upstream URLs rewritten");
        }
        json_decref(j);
    } else if (ctype_resp && out_len &&
               (strncasecmp(ctype_resp, "text/", 5) == 0 || strstr(ctype_resp, "xml"))) {
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
    if (rewritten) {
        out = rewritten;
        out_len = strlen(rewritten);
    }
    answer(conn, (unsigned)status, NULL, out, out_len, hv, nh);
    record(px, conn, method, url, body, len, (unsigned)status, www, location, out,
           json_resp ? out_len : 0, upstream_url, notes);
    for (size_t i = 0; i < no; i++)
        free(owned[i]);
    free(www);
    free(location);
    free(ctype_resp);
    mc_secret_free(rewritten);
done:
    free(upstream_url);
    mc_buf_free(&a.headers);
    mc_buf_free(&a.body);
    json_decref(notes);
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    req_state *st = *con_cls;
    if (!st) {
        st = mc_xcalloc(1, sizeof *st);
        mc_buf_init(&st->body, MAX_REQ_BODY);
        *con_cls = st;
        return MHD_YES;
    }
    if (*upload_size) {
        if (mc_buf_add(&st->body, upload, *upload_size) != 0)
            st->too_big = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    origin *o = cls;
    if (st->too_big) {
        const char *e = "{\"error\":\"invalid_request\",\"error_description\":\"request body "
                        "larger than 1 MiB\"}";
        json_t *notes = json_pack("[s]", "request body larger than 1 MiB: not forwarded");
        answer(conn, 413, "application/json", e, strlen(e), NULL, 0);
        record(o->px, conn, method, url, NULL, 0, 413, NULL, NULL, e, strlen(e), NULL, notes);
        json_decref(notes);
        return MHD_YES;
    }
    return forward(o, conn, url, method, st->body.data, st->body.len);
}

static void on_done(void *cls, struct MHD_Connection *conn, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    req_state *st = *con_cls;
    if (st) {
        /* bodies carry codes, secrets and passwords */
        if (st->body.data)
            memset(st->body.data, 0, st->body.len);
        mc_buf_free(&st->body);
        free(st);
    }
    *con_cls = NULL;
}

/* ---------- the command ---------- */

int mc_cmd_proxy(const mc_config *cfg)
{
    if (!cfg->url)
        return mc_usage_error("proxy needs the upstream MCP URL (proxy URL --record FILE)");
    if (!cfg->record)
        return mc_usage_error("proxy needs --record FILE");
    size_t n;
    char *key = key_of(cfg->url, &n);
    if (!key)
        return mc_usage_error("proxy: the upstream MCP URL must be an absolute http(s) URL");
    /* SIGINT/SIGTERM blocked in every thread (the listeners' and curl's
     * inherit the mask) and taken by sigwait here: a handler could run on
     * any thread and leave this one waiting */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    proxy *px = mc_xcalloc(1, sizeof *px);
    px->cfg = cfg;
    px->t0 = now_ms();
    pthread_mutex_init(&px->lock, NULL);
    int rc = MC_EXIT_OK;
    px->rec = fopen(cfg->record, "w");
    if (!px->rec) {
        fprintf(stderr, "mcpcompat: cannot write %s\n", cfg->record);
        rc = MC_EXIT_USAGE;
        goto out;
    }
    char *spelling = mc_xstrndup(cfg->url, n);
    pthread_mutex_lock(&px->lock);
    origin *o = listen_for(px, key, spelling, cfg->port);
    pthread_mutex_unlock(&px->lock);
    free(spelling);
    if (!o) {
        fprintf(stderr, "mcpcompat: cannot listen on 127.0.0.1:%ld\n", cfg->port);
        rc = MC_EXIT_CANNOT;
        goto out;
    }
    printf("%s%s\n", o->local, cfg->url + n);
    fflush(stdout);
    fprintf(stderr, "mcpcompat: recording to %s until SIGINT/SIGTERM\n", cfg->record);
    int sig;
    sigwait(&stop, &sig);
out:
    for (size_t i = 0; i < px->n; i++)
        MHD_stop_daemon(px->o[i].d);
    for (size_t i = 0; i < px->n; i++) {
        free(px->o[i].key);
        free(px->o[i].spelling);
        free(px->o[i].local);
    }
    if (px->rec && fclose(px->rec) != 0 && rc == MC_EXIT_OK) {
        fprintf(stderr, "mcpcompat: cannot write %s\n", cfg->record);
        rc = MC_EXIT_CANNOT;
    }
    if (rc == MC_EXIT_OK)
        fprintf(stderr, "mcpcompat: %lu requests recorded in %s\n", px->seq, cfg->record);
    pthread_mutex_destroy(&px->lock);
    free(px);
    free(key);
    mc_secrets_clear();
    return rc;
}
