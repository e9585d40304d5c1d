/* `mcpcompat fidelity TRACE`: the profile of the client a trace recorded,
 * against the fixture configured the way the recorder was, compared with the
 * trace aspect by aspect (fidelity.c makes the fingerprints). */
#include "../engine/run.h"

#include "../../fixtures/fixture.h"
#include "../data/data.h"
#include "../data/profile.h"
#include "../data/schema.h"
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

/* modes.json: MCPCOMPAT_MODES, or the one beside the traces. */
static json_t *load_modes(char *own, size_t cap, const char **path)
{
    const char *env = getenv("MCPCOMPAT_MODES");
    snprintf(own, cap, "%s/modes.json", mc_data_dir(MC_DATA_TRACES));
    *path = env && *env ? env : own;
    mc_error je;
    json_t *modes = mc_schema_load_json(*path, &je); /* the capped reader */
    if (!modes)
        fprintf(stderr, "mcpcompat: %s\n", mc_error_str(&je));
    return modes;
}

/* The fixture configured the way the recorder was: the base quirks, the
 * client's (unless the mode turns them off), the mode's. */
static int recorder_quirks(mc_fixture_config *fc, const json_t *modes, const json_t *m,
                           const char *client, const char **qerr)
{
    if (add_quirks(fc, json_object_get(modes, "base"), qerr) != 0)
        return -1;
    if (!json_is_true(json_object_get(m, "no_client_quirks")) &&
        add_quirks(fc, json_object_get(json_object_get(modes, "client_quirks"), client), qerr) != 0)
        return -1;
    return add_quirks(fc, json_object_get(m, "quirks"), qerr);
}

/* The fixture's MCP URL on a free port. No callback port is busy here (no
 * scenario says so): the client listens where the recording shows. */
static char *fixture_mcp_url(mc_fixture_config *fc)
{
    fc->port = free_port();
    return mc_xasprintf("http://127.0.0.1:%ld/mcp", fc->port);
}

/* The pre-registered client of a static-client mode, as the recording
 * shows it (the client id, secret and redirect URI the user configured). */
typedef struct {
    char *id, *secret, *redirect, *callback_url;
} trace_client;

/* settings the user gave the client, read off the recording: its
 * callback port, or a callback URL (the recorded redirect URI without
 * the per-server segment the client appends), and its static client */
static void trace_settings(const json_t *m, const mc_profile *p, trace_client *t,
                           mc_client_config *cc, mc_fixture_config *fc)
{
    if (json_is_true(json_object_get(m, "callback_port_from_trace")) && t->redirect)
        cc->callback_port = mc_url_port(t->redirect);
    if (json_is_true(json_object_get(m, "callback_url_from_trace")) && t->redirect) {
        t->callback_url = mc_xstrdup(t->redirect);
        char *slash = strrchr(t->callback_url, '/');
        if (slash && slash > strstr(t->callback_url, "://") + 2)
            *slash = '\0';
        cc->callback_url = t->callback_url;
    }
    if (json_is_true(json_object_get(m, "static_client"))) {
        /* a secret the user configured that the client never sent: the
         * authorization server registered it, the profile is given it */
        const char *configured = json_string_value(json_object_get(m, "static_secret"));
        if (configured && !t->secret)
            t->secret = mc_xstrdup(configured);
        if (!t->id) {
            /* the client never used the configured one (it ignores it): any
             * id shows whether the profile ignores it too */
            t->id = mc_xstrdup("configured-but-unused");
            free(t->redirect);
            t->redirect = mc_xasprintf("http://localhost:%ld/oauth/callback", free_port());
        }
        cc->client_id = t->id;
        cc->client_secret = t->secret;
        cc->callback_port = mc_url_port(t->redirect);
        /* register the redirect URI this profile will use on that port, or
         * the callback URL as the user configured it */
        const char *redirects[] = {NULL, NULL};
        char *registered =
            json_is_true(json_object_get(m, "register_callback_url")) && cc->callback_url
                ? mc_xstrdup(cc->callback_url)
                : mc_redirect_uri_for(p, cc, cc->callback_port);
        redirects[0] = registered;
        mc_fixture_add_client(fc, t->id, t->secret, redirects);
        free(registered);
    }
}

/* The profile run against the fixture, which records what it receives into
 * a temporary file (*rec, owned); that recording, or NULL. */
static json_t *run_recorded(mc_fixture_config *fc, const mc_profile *p, const mc_client_config *cc,
                            char **rec, char **why)
{
    char tmpl[] = "/tmp/mcpcompat-fidelity-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd >= 0)
        close(fd);
    *rec = mc_xstrdup(tmpl);
    fc->record_path = mc_xstrdup(*rec);
    mc_fixture *fx = NULL;
    if (mc_fixture_start(fc, &fx, why) != 0) {
        fprintf(stderr, "mcpcompat: could not start the fixture: %s\n", *why);
        return NULL;
    }
    mc_profile_run run = {0};
    char *fail = NULL;
    mc_client_run(p, cc, &run, &fail);
    free(fail);
    mc_profile_run_free(&run);
    mc_fixture_stop(fx);
    json_t *ours = mc_trace_load(*rec, why);
    if (!ours)
        fprintf(stderr, "mcpcompat: %s\n", *why);
    return ours;
}

/* The recording and the profile's run, aspect by aspect (less the ones the
 * trace's notes ignore): the first difference decides. */
static int compare_fingerprints(const char *base, const mc_profile *p, const json_t *reqs,
                                const json_t *ours, const json_t *tnote, long callback_port,
                                int verbose)
{
    int rc;
    /* per-trace notes: a recording that ended early, aspects not comparable */
    int cap = mc_phase_index(json_string_value(json_object_get(tnote, "ends_after")));
    mc_fingerprint a, b;
    mc_fingerprint_make(reqs, p, callback_port, cap ? cap : 7, &a);
    mc_fingerprint_make(ours, p, callback_port, cap ? cap : 7, &b);
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
    if (verbose)
        for (int i = 0; i < MC_FP_ASPECTS; i++)
            fprintf(stderr, "mcpcompat: %-28s %s\n%-40s %s\n", mc_fp_aspects[i], a.value[i], "",
                    b.value[i]);
    mc_fingerprint_free(&a);
    mc_fingerprint_free(&b);
    return rc;
}

/* The recorded trace (reqs) replayed: profile p against the fixture
 * configured as mode m says, and the two compared. */
static int replay(const mc_config *cfg, const char *base, const char *name, const json_t *modes,
                  const char *modes_path, const json_t *m, const char *client, const mc_profile *p,
                  const json_t *reqs)
{
    int rc = MC_EXIT_USAGE;
    mc_fixture_config fc;
    mc_fixture_config_init(&fc);
    trace_client t = {0};
    char *why = NULL, *rec = NULL;
    json_t *ours = NULL;
    const char *qerr = NULL;
    if (recorder_quirks(&fc, modes, m, client, &qerr) != 0) {
        fprintf(stderr, "mcpcompat: %s: %s\n", modes_path, qerr);
        goto out;
    }
    /* what the recording's first authorization request shows: the client
     * id and redirect URI (and its token request's secret) */
    trace_static_client(reqs, &t.id, &t.secret, &t.redirect);
    mc_secret_register(t.secret);
    /* the user gave the client its metadata document URL: the one it used */
    json_t *tnote = json_object_get(json_object_get(modes, "traces"), name);
    const char *cimd = json_is_true(json_object_get(m, "cimd_url_from_trace")) ||
                               json_is_true(json_object_get(tnote, "cimd_url_from_trace"))
                           ? t.id
                           : NULL;
    char *mcp_url = fixture_mcp_url(&fc);
    mc_client_config cc = {.mcp_url = mcp_url,
                           .rev = p->rev,
                           .server_name = "rec",
                           .login_user = MC_FIXTURE_USER,
                           .login_password = MC_FIXTURE_PASSWORD,
                           .cimd_url = cimd,
                           .registration_metadata = json_object_get(m, "registration_metadata"),
                           .http = {.verbose = cfg->verbose}};
    trace_settings(m, p, &t, &cc, &fc);
    ours = run_recorded(&fc, p, &cc, &rec, &why);
    free(mcp_url);
    if (!ours) {
        rc = MC_EXIT_CANNOT;
        goto out;
    }
    rc = compare_fingerprints(base, p, reqs, ours, tnote, cc.callback_port, cfg->verbose);
out:
    mc_fixture_config_free(&fc);
    if (rec)
        unlink(rec);
    free(rec);
    json_decref(ours);
    free(why);
    free(t.id);
    free(t.callback_url);
    mc_secret_free(t.secret);
    free(t.redirect);
    return rc;
}

int mc_cmd_fidelity(const mc_config *cfg)
{
    int rc = MC_EXIT_USAGE;
    if (!cfg->url)
        return mc_usage_error("fidelity needs a trace file (fixtures/traces/*.jsonl)");
    char modes_own[4096];
    const char *modes_path;
    json_t *modes = load_modes(modes_own, sizeof modes_own, &modes_path);
    if (!modes)
        return MC_EXIT_USAGE;
    /* <client>-<version>-<mode>.jsonl */
    const char *base = strrchr(cfg->url, '/') ? strrchr(cfg->url, '/') + 1 : cfg->url;
    char *name = mc_xstrdup(base);
    if (ends_with_jsonl(name))
        name[strlen(name) - 6] = '\0';
    const char *mode = NULL;
    const char *client = mc_trace_client(modes, name, &mode);
    mc_profiles all = {0};
    mc_profile **sel = NULL, *own[1];
    size_t nsel = 0;
    mc_error err;
    json_t *reqs = NULL;
    char *why = NULL;
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
    /* --profile: each profile it names (ids, client names for their newest,
     * files, sets), as `run` reads it; else the one modes.json names for the
     * trace's client */
    mc_profile **list = own;
    size_t n = 1;
    if (cfg->profiles) {
        if (mc_select_profiles(cfg, NULL, &all, &sel, &nsel) != 0)
            goto out; /* said */
        list = sel;
        n = nsel;
    } else {
        const char *pid =
            json_string_value(json_object_get(json_object_get(modes, "clients"), client));
        own[0] = mc_profiles_find(&all, pid);
        if (!own[0]) {
            fprintf(stderr, "mcpcompat: unknown profile \"%s\"\n", pid ? pid : "");
            goto out;
        }
    }
    /* a bare trace name: the one in the traces folder (or the traces pack) */
    char *trace = strchr(cfg->url, '/') || mc_data_exists(cfg->url)
                      ? mc_xstrdup(cfg->url)
                      : mc_xasprintf("%s/%s%s", mc_data_dir(MC_DATA_TRACES), cfg->url,
                                     ends_with_jsonl(cfg->url) ? "" : ".jsonl");
    reqs = mc_trace_load(trace, &why);
    free(trace);
    if (!reqs) {
        fprintf(stderr, "mcpcompat: %s\n", why);
        goto out;
    }
    /* a line a profile; the exit is the worst (usage or could not run over
     * differs over matches), a usage error ending the list */
    rc = MC_EXIT_OK;
    for (size_t i = 0; i < n; i++) {
        int one = replay(cfg, base, name, modes, modes_path, m, client, list[i], reqs);
        if (one == MC_EXIT_USAGE) {
            rc = one;
            break;
        }
        if (one == MC_EXIT_CANNOT || (one == MC_EXIT_BROKE && rc == MC_EXIT_OK))
            rc = one;
        fflush(stdout);
    }
out:
    json_decref(reqs);
    free(why);
    free(name);
    free(sel);
    mc_profiles_free(&all);
    json_decref(modes);
    mc_secrets_clear();
    return rc;
}
