/* `mcpcompat fidelity TRACE`: the profile of the client a trace recorded,
 * against the fixture configured the way the recorder was, compared with the
 * trace aspect by aspect (fidelity.c makes the fingerprints). */
#include "../engine/run.h"

#include "../../fixtures/fixture.h"
#include "../data/data.h"
#include "../data/profile.h"
#include "../engine/client.h"
#include "../steps/steps.h"
#include "../wire/buf.h"
#include "../wire/redact.h"
#include "../wire/url.h"
#include "fidelity.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static int ends_with_jsonl(const char *s)
{
    size_t n = strlen(s);
    return n > 6 && strcmp(s + n - 6, ".jsonl") == 0;
}

static long free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    long port = 0;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

/* The pre-registered client a static-client trace used: id and redirect
 * from /authorize, the secret from the token request. */
static void trace_static_client(const json_t *reqs, char **id, char **secret, char **redirect)
{
    size_t i;
    json_t *r;
    json_array_foreach(reqs, i, r)
    {
        const char *path = json_string_value(json_object_get(r, "path"));
        if (!path)
            continue;
        json_t *q = json_object_get(r, "query");
        if (!*id && strstr(path, "/authorize") && json_object_get(q, "client_id")) {
            *id = mc_xstrdup(json_string_value(json_object_get(q, "client_id")));
            *redirect = mc_xstrdup(json_string_value(json_object_get(q, "redirect_uri")));
        }
        if (!*secret && strstr(path, "/token")) {
            const char *s =
                json_string_value(json_object_get(json_object_get(r, "body"), "client_secret"));
            const char *auth =
                json_string_value(json_object_get(json_object_get(r, "headers"), "authorization"));
            if (s) {
                *secret = mc_xstrdup(s);
            } else if (auth && strncasecmp(auth, "Basic ", 6) == 0) {
                unsigned char dec[512];
                size_t n = strlen(auth + 6);
                int len =
                    n < 600 ? EVP_DecodeBlock(dec, (const unsigned char *)auth + 6, (int)n) : -1;
                if (len > 0) {
                    dec[len] = '\0';
                    char *colon = strchr((char *)dec, ':');
                    if (colon) {
                        char *pair = mc_xasprintf("x=%s", colon + 1);
                        *secret = mc_query_get(pair, "x");
                        free(pair);
                    }
                }
            }
        }
    }
}

static int add_quirks(mc_fixture_config *fc, json_t *list, const char **err)
{
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        if (mc_fixture_quirk(fc, json_string_value(e), err) != 0)
            return -1;
    }
    return 0;
}

int mc_cmd_fidelity(const mc_config *cfg)
{
    int rc = MC_EXIT_USAGE;
    if (!cfg->url)
        return mc_usage_error("fidelity needs a trace file (fixtures/traces/*.jsonl)");
    const char *env = getenv("MCPCOMPAT_MODES");
    char modes_own[4096];
    snprintf(modes_own, sizeof modes_own, "%s/modes.json", mc_data_dir(MC_DATA_TRACES));
    const char *modes_path = env && *env ? env : modes_own;
    json_error_t je;
    json_t *modes = json_load_file(modes_path, 0, &je);
    if (!modes) {
        fprintf(stderr, "mcpcompat: %s:%d:%d: %s\n", modes_path, je.line, je.column, je.text);
        return MC_EXIT_USAGE;
    }
    /* <client>-<version>-<mode>.jsonl */
    const char *base = strrchr(cfg->url, '/') ? strrchr(cfg->url, '/') + 1 : cfg->url;
    char *name = mc_xstrdup(base);
    if (ends_with_jsonl(name))
        name[strlen(name) - 6] = '\0';
    const char *mode = NULL;
    const char *client = mc_trace_client(modes, name, &mode);
    mc_profiles all = {0};
    mc_error err;
    json_t *reqs = NULL, *ours = NULL;
    mc_fixture *fx = NULL;
    mc_fixture_config fc;
    int have_fc = 0;
    char *why = NULL, *sid = NULL, *callback_url = NULL, *ssecret = NULL, *sredirect = NULL,
         *rec = NULL;
    if (!client) {
        fprintf(stderr, "mcpcompat: %s: no client in %s names this trace\n", base, modes_path);
        goto out;
    }
    json_t *nc = json_object_get(modes, "not_compared");
    const char *skip = json_string_value(json_object_get(nc, name));
    if (!skip)
        skip = json_string_value(json_object_get(nc, mode));
    if (skip) {
        printf("%s: not compared: %s\n", base, skip);
        rc = MC_EXIT_NOT_COMPARED;
        goto out;
    }
    json_t *m = json_object_get(json_object_get(modes, "modes"), mode);
    if (!m) {
        fprintf(stderr,
                "mcpcompat: %s: mode \"%s\" is neither in modes nor in not_compared of %s\n", base,
                mode, modes_path);
        goto out;
    }
    if (mc_profiles_load_set(cfg->profiles, &all, &err) != 0) {
        fprintf(stderr, "mcpcompat: %s\n", mc_error_str(&err));
        goto out;
    }
    const char *pid =
        cfg->profiles
            ? cfg->profiles
            : json_string_value(json_object_get(json_object_get(modes, "clients"), client));
    const mc_profile *p = mc_profiles_find(&all, pid);
    if (!p) {
        fprintf(stderr, "mcpcompat: unknown profile \"%s\"\n", pid);
        goto out;
    }
    reqs = mc_trace_load(cfg->url, &why);
    if (!reqs) {
        fprintf(stderr, "mcpcompat: %s\n", why);
        goto out;
    }
    /* the fixture, configured the way the recorder was */
    mc_fixture_config_init(&fc);
    have_fc = 1;
    const char *qerr = NULL;
    if (add_quirks(&fc, json_object_get(modes, "base"), &qerr) != 0 ||
        (!json_is_true(json_object_get(m, "no_client_quirks")) &&
         add_quirks(&fc, json_object_get(json_object_get(modes, "client_quirks"), client), &qerr) !=
             0) ||
        add_quirks(&fc, json_object_get(m, "quirks"), &qerr) != 0) {
        fprintf(stderr, "mcpcompat: %s: %s\n", modes_path, qerr);
        goto out;
    }
    /* what the recording's first authorization request shows: the client
     * id and redirect URI (and its token request's secret) */
    trace_static_client(reqs, &sid, &ssecret, &sredirect);
    mc_secret_register(ssecret);
    /* the user gave the client its metadata document URL: the one it used */
    json_t *tnote = json_object_get(json_object_get(modes, "traces"), name);
    const char *cimd = json_is_true(json_object_get(m, "cimd_url_from_trace")) ||
                               json_is_true(json_object_get(tnote, "cimd_url_from_trace"))
                           ? sid
                           : NULL;
    /* a fixture port whose hash-derived callback port (mcp-remote) is free:
     * a busy one would make the client fall back, as it really does, but
     * that is not what the recording shows */
    char *mcp_url = NULL;
    for (int tries = 0; tries < 20; tries++) {
        fc.port = free_port();
        free(mcp_url);
        mcp_url = mc_xasprintf("http://127.0.0.1:%ld/mcp", fc.port);
        if (p->port_policy != MC_PORT_HASH || !mc_port_busy(mc_hash_port(mcp_url, cimd)))
            break;
    }
    mc_client_config cc = {.mcp_url = mcp_url,
                           .rev = p->rev,
                           .server_name = "rec",
                           .login_user = MC_FIXTURE_USER,
                           .login_password = MC_FIXTURE_PASSWORD,
                           .cimd_url = cimd,
                           .registration_metadata = json_object_get(m, "registration_metadata"),
                           .http = {.verbose = cfg->verbose}};
    /* settings the user gave the client, read off the recording: its
     * callback port, or a callback URL (the recorded redirect URI without
     * the per-server segment the client appends) */
    if (json_is_true(json_object_get(m, "callback_port_from_trace")) && sredirect)
        cc.callback_port = mc_url_port(sredirect);
    if (json_is_true(json_object_get(m, "callback_url_from_trace")) && sredirect) {
        callback_url = mc_xstrdup(sredirect);
        char *slash = strrchr(callback_url, '/');
        if (slash && slash > strstr(callback_url, "://") + 2)
            *slash = '\0';
        cc.callback_url = callback_url;
    }
    if (json_is_true(json_object_get(m, "static_client"))) {
        if (!sid) {
            /* the client never used the configured one (it ignores it): any
             * id shows whether the profile ignores it too */
            sid = mc_xstrdup("configured-but-unused");
            free(sredirect);
            sredirect = mc_xasprintf("http://localhost:%ld/oauth/callback", free_port());
        }
        cc.client_id = sid;
        cc.client_secret = ssecret;
        cc.callback_port = mc_url_port(sredirect);
        /* register the redirect URI this profile will use on that port, or
         * the callback URL as the user configured it */
        const char *redirects[] = {NULL, NULL};
        char *registered =
            json_is_true(json_object_get(m, "register_callback_url")) && cc.callback_url
                ? mc_xstrdup(cc.callback_url)
                : mc_redirect_uri_for(p, &cc, cc.callback_port);
        redirects[0] = registered;
        mc_fixture_add_client(&fc, sid, ssecret, redirects);
        free(registered);
    }
    char tmpl[] = "/tmp/mcpcompat-fidelity-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd >= 0)
        close(fd);
    rec = mc_xstrdup(tmpl);
    fc.record_path = mc_xstrdup(rec);
    if (mc_fixture_start(&fc, &fx, &why) != 0) {
        fprintf(stderr, "mcpcompat: could not start the fixture: %s\n", why);
        free(mcp_url);
        rc = MC_EXIT_CANNOT;
        goto out;
    }
    mc_profile_run run = {0};
    char *fail = NULL;
    mc_client_run(p, &cc, &run, &fail);
    free(fail);
    mc_profile_run_free(&run);
    mc_fixture_stop(fx);
    fx = NULL;
    free(mcp_url);
    ours = mc_trace_load(rec, &why);
    if (!ours) {
        fprintf(stderr, "mcpcompat: %s\n", why);
        rc = MC_EXIT_CANNOT;
        goto out;
    }
    /* per-trace notes: a recording that ended early, aspects not comparable */
    int cap = mc_phase_index(json_string_value(json_object_get(tnote, "ends_after")));
    mc_fingerprint a, b;
    mc_fingerprint_make(reqs, p, cc.callback_port, cap ? cap : 7, &a);
    mc_fingerprint_make(ours, p, cc.callback_port, cap ? cap : 7, &b);
    int differ = -1;
    for (int i = 0; i < MC_FP_ASPECTS && differ < 0; i++) {
        int ignored = 0;
        size_t k;
        json_t *e;
        json_array_foreach(json_object_get(tnote, "ignore"), k, e) ignored |=
            strcmp(json_string_value(e), mc_fp_aspects[i]) == 0;
        if (!ignored && strcmp(a.value[i], b.value[i]) != 0)
            differ = i;
    }
    if (differ < 0) {
        printf("%s: %s matches the recording on all %d aspects\n", base, p->id, MC_FP_ASPECTS);
        rc = MC_EXIT_OK;
    } else {
        printf("%s: %s differs from the recording: %s\n", base, p->id, mc_fp_aspects[differ]);
        printf("  recorded (request #%ld): %s\n", a.seq[differ], a.value[differ]);
        printf("  profile  (request #%ld): %s\n", b.seq[differ], b.value[differ]);
        for (int i = differ + 1; i < MC_FP_ASPECTS; i++)
            if (strcmp(a.value[i], b.value[i]) != 0)
                printf("  (also differs: %s)\n", mc_fp_aspects[i]);
        rc = MC_EXIT_BROKE;
    }
    if (cfg->verbose)
        for (int i = 0; i < MC_FP_ASPECTS; i++)
            fprintf(stderr, "mcpcompat: %-28s %s\n%-40s %s\n", mc_fp_aspects[i], a.value[i], "",
                    b.value[i]);
    mc_fingerprint_free(&a);
    mc_fingerprint_free(&b);
out:
    mc_fixture_stop(fx);
    if (have_fc)
        mc_fixture_config_free(&fc);
    if (rec)
        unlink(rec);
    free(rec);
    json_decref(reqs);
    json_decref(ours);
    free(why);
    free(sid);
    free(callback_url);
    mc_secret_free(ssecret);
    free(sredirect);
    free(name);
    mc_profiles_free(&all);
    json_decref(modes);
    mc_secrets_clear();
    return rc;
}
