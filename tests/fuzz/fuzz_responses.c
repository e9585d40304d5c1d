/* libFuzzer target over the readers of what a server answers during the
 * handshake: protected resource metadata, authorization server metadata,
 * the registration and token responses, and the MCP server's answer. A
 * loopback server (libmicrohttpd) serves spec-correct documents except the
 * one the first input byte picks, which is the rest of the input ("@@"
 * becomes the server's base URL, so the fuzzer can build same-origin URLs);
 * the second byte picks the status and the client profile. The real
 * client steps run against it, as `mcpcompat run` would. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../harness/data/profile.h"
#include "../../harness/data/schema.h"
#include "../../harness/engine/client.h"
#include "../../harness/wire/buf.h"
#include "../../harness/wire/http.h"
#include "../../harness/wire/redact.h"
#include "../../harness/wire/rewrite.h"
#include "../../harness/wire/url.h"

#ifndef MC_SOURCE_DIR
#define MC_SOURCE_DIR "."
#endif

enum { DOC_PRM, DOC_AS, DOC_REGISTRATION, DOC_TOKEN, DOC_MCP, DOC_COUNT };

static struct MHD_Daemon *daemon_;
static int ready;
static char base[64];
static mc_profiles all;
static int fuzzed;        /* which document the input replaces */
static unsigned status;   /* its status */
static char *fuzzed_body; /* with @@ replaced */
static size_t fuzzed_len;

static char *with_base(const char *s, size_t n, size_t *out_len)
{
    mc_buf b;
    mc_buf_init(&b, 0);
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && s[i] == '@' && s[i + 1] == '@') {
            mc_buf_adds(&b, base);
            i++;
        } else {
            mc_buf_add(&b, s + i, 1);
        }
    }
    *out_len = b.len;
    return mc_buf_steal(&b);
}

/* One answer: status, content type (or NULL), body, one more header (or
 * NULL); owned strings. */
typedef struct {
    unsigned status;
    const char *type;
    char *body;
    size_t len;
    const char *hname;
    char *hvalue;
} answer;

static void doc(answer *a, int which, unsigned code, const char *fmt)
{
    a->type = "application/json";
    if (fuzzed == which) {
        a->status = status;
        a->body = mc_xstrndup(fuzzed_body, fuzzed_len);
        a->len = fuzzed_len;
        return;
    }
    a->status = code;
    a->body = mc_xasprintf(fmt, base, base, base, base, base);
    a->len = strlen(a->body);
}

/* What the server answers a request for path (redirect, st: /authorize's
 * query values; authorized: it carried an Authorization header). */
static void route(const char *url, const char *redirect, const char *st, int authorized, answer *a)
{
    memset(a, 0, sizeof *a);
    if (strncmp(url, "/.well-known/oauth-protected-resource", 37) == 0)
        doc(a, DOC_PRM, 200,
            "{\"resource\":\"%s/mcp\",\"authorization_servers\":[\"%s\"],"
            "\"scopes_supported\":[\"mcp\"]}");
    else if (strncmp(url, "/.well-known/oauth-authorization-server", 39) == 0 ||
             strncmp(url, "/.well-known/openid-configuration", 33) == 0)
        doc(a, DOC_AS, 200,
            "{\"issuer\":\"%s\",\"authorization_endpoint\":\"%s/authorize\","
            "\"token_endpoint\":\"%s/token\",\"registration_endpoint\":\"%s/register\","
            "\"response_types_supported\":[\"code\"],"
            "\"code_challenge_methods_supported\":[\"S256\"],"
            "\"client_id_metadata_document_supported\":false}");
    else if (strcmp(url, "/register") == 0)
        doc(a, DOC_REGISTRATION, 201,
            "{\"client_id\":\"fuzz-client\",\"token_endpoint_auth_method\":\"none\"}");
    else if (strcmp(url, "/token") == 0)
        doc(a, DOC_TOKEN, 200,
            "{\"access_token\":\"at-fuzz-0123456789abcdef\",\"token_type\":\"Bearer\","
            "\"expires_in\":3600}");
    else if (strcmp(url, "/authorize") == 0) {
        a->status = 302;
        a->body = mc_xstrdup("");
        a->hname = "Location";
        a->hvalue = mc_xasprintf("%s%scode=code-fuzz&state=%s&iss=%s", redirect ? redirect : "/",
                                 redirect && strchr(redirect, '?') ? "&" : "?", st ? st : "", base);
    } else if (strcmp(url, "/mcp") == 0 && authorized) {
        doc(a, DOC_MCP, 200,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":"
            "\"2025-11-25\",\"capabilities\":{},\"serverInfo\":{\"name\":\"%s\","
            "\"version\":\"1\"},\"tools\":[]}}");
    } else if (strcmp(url, "/mcp") == 0) {
        a->status = 401;
        a->type = "application/json";
        a->body = mc_xstrdup("{}");
        a->len = 2;
        a->hname = "WWW-Authenticate";
        a->hvalue = mc_xasprintf("Bearer resource_metadata=\"%s/.well-known/"
                                 "oauth-protected-resource/mcp\", scope=\"mcp\"",
                                 base);
    } else {
        a->status = 404;
        a->body = mc_xstrdup("");
    }
}

#ifdef MC_FUZZ_IN_PROCESS
/* The hook every exchange goes through instead of the network: the same
 * answers as the loopback server's, as a header block and a body. */
static long answer_in_process(const mc_request *rq, const char *method, mc_buf *headers,
                              mc_buf *body)
{
    (void)method;
    size_t n = mc_origin_len(rq->url);
    if (!n || strncmp(rq->url, base, n) != 0 || strlen(base) != n)
        return 0; /* another origin: no answer, as nothing listens there */
    char *path = mc_xstrdup(rq->url + n);
    char *q = strchr(path, '?');
    if (q)
        *q = '\0';
    char *redirect = mc_url_query_get(rq->url, "redirect_uri");
    char *st = mc_url_query_get(rq->url, "state");
    int authorized = 0;
    for (size_t i = 0; i < MC_HTTP_MAX_REQ_HEADERS && rq->headers[i]; i++)
        authorized |= strncasecmp(rq->headers[i], "Authorization:", 14) == 0;
    answer a;
    route(*path ? path : "/", redirect, st, authorized, &a);
    mc_buf_printf(headers, "HTTP/1.1 %u X\r\n", a.status);
    if (a.type)
        mc_buf_printf(headers, "Content-Type: %s\r\n", a.type);
    if (a.hname)
        mc_buf_printf(headers, "%s: %s\r\n", a.hname, a.hvalue);
    mc_buf_printf(headers, "Content-Length: %zu\r\n\r\n", a.len);
    mc_buf_add(body, a.body, a.len);
    free(a.body);
    free(a.hvalue);
    free(path);
    free(redirect);
    free(st);
    return a.status;
}
#endif

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
    (void)cls, (void)method, (void)version, (void)upload;
    static int marker;
    if (!*state) {
        *state = &marker;
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0; /* the bodies the client sends are not needed */
        return MHD_YES;
    }
    answer a;
    route(url, MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "redirect_uri"),
          MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "state"),
          MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization") != NULL, &a);
    struct MHD_Response *r = MHD_create_response_from_buffer(a.len, a.body, MHD_RESPMEM_MUST_COPY);
    if (a.type)
        MHD_add_response_header(r, "Content-Type", a.type);
    if (a.hname)
        MHD_add_response_header(r, a.hname, a.hvalue);
    enum MHD_Result ok = MHD_queue_response(conn, a.status, r);
    MHD_destroy_response(r);
    free(a.body);
    free(a.hvalue);
    return ok;
}

static void setup(void)
{
    ready = 1;
    /* the tests' safety net: only loopback is ever connected to, and no
     * name the input makes up is looked up (it names its own server) */
    setenv("MCPCOMPAT_TEST_RESOLVE", "fuzz.invalid:1:127.0.0.1", 1);
    mc_error err;
    if (mc_profiles_load_dir(MC_SOURCE_DIR "/profiles", &all, &err) != 0 || !all.n) {
        fprintf(stderr, "fuzz_responses: %s\n", mc_error_str(&err));
        abort();
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
#ifdef MC_FUZZ_IN_PROCESS
    /* no listener: every exchange is answered in this process */
    snprintf(base, sizeof base, "http://127.0.0.1:9");
    mc_http_fuzz_answer = answer_in_process;
    return;
#endif
    /* bound to loopback: an ephemeral port on 127.0.0.1 */
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    daemon_ = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handle, NULL,
                               MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&a, MHD_OPTION_END);
    if (!daemon_)
        abort();
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(base, sizeof base, "http://127.0.0.1:%u", (unsigned)info->port);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready)
        setup();
    if (size < 2)
        return 0;
    static const unsigned statuses[] = {200, 201, 400, 401, 302, 500};
    fuzzed = data[0] % DOC_COUNT;
    status = statuses[data[1] % 6];
    fuzzed_body = with_base((const char *)data + 2, size - 2, &fuzzed_len);
    const mc_profile *p = all.items[(data[1] / 6) % all.n];
    char *mcp_url = mc_xasprintf("%s/mcp", base);
    mc_client_config cc = {.mcp_url = mcp_url,
                           .rev = p->rev,
                           .server_name = "fuzz",
                           .login_timeout = 1,
                           .http = {.timeout_ms = 2000,
                                    .connect_timeout_ms = 1000,
                                    .guard = 1,
                                    .target_host = "127.0.0.1"}};
    mc_profile_run run;
    memset(&run, 0, sizeof run);
    char *why = NULL;
    mc_client_run(p, &cc, &run, &why);
    free(why);
    mc_profile_run_free(&run);
    free(mcp_url);
    mc_secrets_clear(); /* as a run ends: the next input starts with none learnt */
    free(fuzzed_body);
    fuzzed_body = NULL;
    return 0;
}
