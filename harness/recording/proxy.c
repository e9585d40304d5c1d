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
#include "proxy_int.h"

#include "../engine/failsafe.h"
#include "../wire/buf.h"
#include "../wire/guard.h"
#include "../wire/record.h"
#include "../wire/redact.h"
#include "../wire/rewrite.h"
#include "../wire/ssrf.h"
#include "../wire/url.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

typedef struct {
    mc_buf body;
    int too_big;
    int refused; /* answered before its body: the rest is dropped */
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
    o->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0,
                            NULL, NULL, on_request, o, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&a,
                            MHD_OPTION_NOTIFY_COMPLETED, on_done, o, MHD_OPTION_CONNECTION_TIMEOUT,
                            (unsigned)60, MHD_OPTION_CONNECTION_LIMIT, MC_GUARD_CONNECTIONS,
                            MHD_OPTION_NOTIFY_CONNECTION, mc_conn_guard_notify, px->guard,
                            MHD_OPTION_END);
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
char *mc_proxy_to_upstream(proxy *px, const char *url)
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

/* url mapped upstream (upstream) or towards the client, or NULL. */
char *mc_proxy_map(proxy *px, const char *url, int upstream, int add)
{
    return upstream ? mc_proxy_to_upstream(px, url) : to_local(px, url, add);
}

/* ---------- one request ---------- */

enum MHD_Result mc_proxy_answer(struct MHD_Connection *conn, unsigned status, const char *ctype,
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

void mc_proxy_record(proxy *px, struct MHD_Connection *conn, const char *method, const char *path,
                     const char *body, size_t len, unsigned status, const char *www,
                     const char *location, const char *resp, size_t resp_len, const char *upstream,
                     json_t *notes)
{
    register_secrets(resp, resp_len);
    pthread_mutex_lock(&px->lock);
    json_t *e =
        mc_record_entry(conn, ++px->seq, now_ms() - px->t0, method, path, body, len, status);
    /* cookies and credentials: redacted by header name (mc_record_entry) */
    json_t *sent = json_object_get(e, "body");
    mc_secret_register(json_string_value(json_object_get(sent, "code")));
    mc_secret_register(json_string_value(json_object_get(sent, "refresh_token")));
    mc_secret_register(json_string_value(json_object_get(sent, "client_secret")));
    if (upstream)
        json_object_set_new(e, "upstream", json_string(upstream));
    if (json_array_size(notes))
        json_object_set(e, "notes", notes);
    if (px->rec) {
        if (mc_record_write(px->rec, e, www, location, resp, resp_len) != 0 && !px->rec_errno) {
            px->rec_errno = errno ? errno : EIO;
            px->rec_failed_at = px->seq;
        }
    } else
        json_decref(e);
    pthread_mutex_unlock(&px->lock);
}

/* Before anything is forwarded: the request target must be a path (an
 * authority-form or absolute-form target would become part of the upstream
 * URL: "@host:port/" its userinfo and host), and the Host one of this
 * listener's own names (a page whose name was rebound to 127.0.0.1 must not
 * read the proxied answers). A refused request is answered and recorded. */
static enum MHD_Result refuse(origin *o, struct MHD_Connection *conn, const char *url,
                              const char *method, req_state *st)
{
    const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
    unsigned status = 0;
    const char *why = NULL;
    if (url[0] != '/')
        status = 400, why = "the request target must be a path (origin-form, RFC 9112 §3.2.1)";
    else if (!mc_host_is_loopback_listener(host, o->port, 0))
        status = 421, why = "Host must be 127.0.0.1, localhost or [::1] with this port";
    if (!status)
        return MHD_YES;
    st->refused = 1;
    json_t *err = json_pack("{s:s, s:s}", "error", "invalid_request", "error_description", why);
    char *eb = json_dumps(err, JSON_COMPACT);
    json_decref(err);
    mc_proxy_answer(conn, status, "application/json", eb, strlen(eb), NULL, 0);
    json_t *notes = json_pack("[s]", "refused, not forwarded");
    mc_proxy_record(o->px, conn, method, url, NULL, 0, status, NULL, NULL, eb, strlen(eb), NULL,
                    notes);
    json_decref(notes);
    free(eb);
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
        return refuse(cls, conn, url, method, st);
    }
    if (st->refused) {
        *upload_size = 0;
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
        mc_proxy_answer(conn, 413, "application/json", e, strlen(e), NULL, 0);
        mc_proxy_record(o->px, conn, method, url, NULL, 0, 413, NULL, NULL, e, strlen(e), NULL,
                        notes);
        json_decref(notes);
        return MHD_YES;
    }
    mc_conn_guard_received(conn); /* whole: forwarding it is not cut */
    return mc_proxy_forward(o, conn, url, method, st->body.data, st->body.len);
}

static void on_done(void *cls, struct MHD_Connection *conn, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)toe;
    mc_conn_guard_answered(conn);
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
    if (mc_cacert_preflight(cfg->cacert) != 0)
        return MC_EXIT_USAGE;
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
    px->target_class = -1;
    px->t0 = now_ms();
    px->guard = mc_conn_guard_new(MC_GUARD_DEADLINE_S);
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
    mc_conn_guard_free(px->guard);
    for (size_t i = 0; i < px->n; i++) {
        free(px->o[i].key);
        free(px->o[i].spelling);
        free(px->o[i].local);
    }
    if (px->rec && fclose(px->rec) != 0 && !px->rec_errno) {
        px->rec_errno = errno ? errno : EIO;
        px->rec_failed_at = px->seq;
    }
    if (px->rec_errno && rc == MC_EXIT_OK) { /* the trace is incomplete: say so, and fail */
        fprintf(stderr, "mcpcompat: cannot write %s: %s (request %lu of %lu on)\n", cfg->record,
                strerror(px->rec_errno), px->rec_failed_at, px->seq);
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
