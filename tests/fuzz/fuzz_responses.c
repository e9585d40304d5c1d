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

#include "../../harness/data/profile.h"
#include "../../harness/data/schema.h"
#include "../../harness/engine/client.h"
#include "../../harness/wire/buf.h"

#ifndef MC_SOURCE_DIR
#define MC_SOURCE_DIR "."
#endif

enum { DOC_PRM, DOC_AS, DOC_REGISTRATION, DOC_TOKEN, DOC_MCP, DOC_COUNT };

static struct MHD_Daemon *daemon_;
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

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned code, const char *type,
                             const char *body, size_t len, const char *hname, const char *hvalue)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (type)
        MHD_add_response_header(r, "Content-Type", type);
    if (hname)
        MHD_add_response_header(r, hname, hvalue);
    enum MHD_Result ok = MHD_queue_response(conn, code, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result doc(struct MHD_Connection *conn, int which, unsigned code, const char *fmt)
{
    if (fuzzed == which)
        return reply(conn, status, "application/json", fuzzed_body, fuzzed_len, NULL, NULL);
    char *body = mc_xasprintf(fmt, base, base, base, base, base);
    enum MHD_Result ok = reply(conn, code, "application/json", body, strlen(body), NULL, NULL);
    free(body);
    return ok;
}

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
    if (strncmp(url, "/.well-known/oauth-protected-resource", 37) == 0)
        return doc(conn, DOC_PRM, 200,
                   "{\"resource\":\"%s/mcp\",\"authorization_servers\":[\"%s\"],"
                   "\"scopes_supported\":[\"mcp\"]}");
    if (strncmp(url, "/.well-known/oauth-authorization-server", 39) == 0 ||
        strncmp(url, "/.well-known/openid-configuration", 33) == 0)
        return doc(conn, DOC_AS, 200,
                   "{\"issuer\":\"%s\",\"authorization_endpoint\":\"%s/authorize\","
                   "\"token_endpoint\":\"%s/token\",\"registration_endpoint\":\"%s/register\","
                   "\"response_types_supported\":[\"code\"],"
                   "\"code_challenge_methods_supported\":[\"S256\"],"
                   "\"client_id_metadata_document_supported\":false}");
    if (strcmp(url, "/register") == 0)
        return doc(conn, DOC_REGISTRATION, 201,
                   "{\"client_id\":\"fuzz-client\",\"token_endpoint_auth_method\":\"none\"}");
    if (strcmp(url, "/token") == 0)
        return doc(conn, DOC_TOKEN, 200,
                   "{\"access_token\":\"at-fuzz-0123456789abcdef\",\"token_type\":\"Bearer\","
                   "\"expires_in\":3600}");
    if (strcmp(url, "/authorize") == 0) {
        const char *redirect =
            MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "redirect_uri");
        const char *st = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "state");
        char *loc = mc_xasprintf("%s%scode=code-fuzz&state=%s&iss=%s", redirect ? redirect : "/",
                                 redirect && strchr(redirect, '?') ? "&" : "?", st ? st : "", base);
        enum MHD_Result ok = reply(conn, 302, NULL, "", 0, "Location", loc);
        free(loc);
        return ok;
    }
    if (strcmp(url, "/mcp") == 0) {
        if (MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization"))
            return doc(conn, DOC_MCP, 200,
                       "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":"
                       "\"2025-11-25\",\"capabilities\":{},\"serverInfo\":{\"name\":\"%s\","
                       "\"version\":\"1\"},\"tools\":[]}}");
        char *www = mc_xasprintf("Bearer resource_metadata=\"%s/.well-known/"
                                 "oauth-protected-resource/mcp\", scope=\"mcp\"",
                                 base);
        enum MHD_Result ok = reply(conn, 401, "application/json", "{}", 2, "WWW-Authenticate", www);
        free(www);
        return ok;
    }
    return reply(conn, 404, NULL, "", 0, NULL, NULL);
}

static void setup(void)
{
    /* the tests' safety net: only loopback is ever connected to, and no
     * name the input makes up is looked up (it names its own server) */
    setenv("MCPCOMPAT_TEST_RESOLVE", "fuzz.invalid:1:127.0.0.1", 1);
    mc_error err;
    if (mc_profiles_load_dir(MC_SOURCE_DIR "/profiles", &all, &err) != 0 || !all.n) {
        fprintf(stderr, "fuzz_responses: %s\n", mc_error_str(&err));
        abort();
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
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
    if (!daemon_)
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
    free(fuzzed_body);
    fuzzed_body = NULL;
    return 0;
}
