/* The server suite: checks that belong to no client, run once per target
 * with the revision's reference client:
 * - a garbage bearer token must get 401 with error="invalid_token";
 * - a token minted for another resource must be rejected (or not minted);
 * - with a good token: an unsupported MCP-Protocol-Version is 400, a foreign
 *   Origin 403, and (2026-07-28) a header that disagrees with _meta 400;
 * - the authorization server refuses an authorization without PKCE, a
 *   replayed code, and a Client ID Metadata Document that is not its own. */
#include "server_suite.h"

#include "../steps/cimd_host.h"
#include "../steps/steps.h"
#include "../wire/buf.h"
#include "../wire/pkce.h"
#include "../wire/redact.h"
#include "../wire/url.h"
#include "../wire/www_auth.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    long status;
    char *www;
    json_t *body;
} answer;

static void answer_free(answer *a)
{
    free(a->www);
    json_decref(a->body);
    memset(a, 0, sizeof *a);
}

/* One POST to the MCP endpoint with token and extra headers. */
static void post(mc_http *h, mc_step_result *s, const char *url, const char *token,
                 const char *body, const char *const *extra, answer *out)
{
    memset(out, 0, sizeof *out);
    char *auth = mc_xasprintf("Authorization: Bearer %s", token);
    mc_request rq = {
        .method = "POST", .url = url, .content_type = "application/json", .body = body};
    size_t n = 0;
    rq.headers[n++] = "Accept: application/json, text/event-stream";
    rq.headers[n++] = auth;
    for (size_t i = 0; extra && extra[i] && n < MC_HTTP_MAX_REQ_HEADERS - 1; i++)
        rq.headers[n++] = extra[i];
    rq.headers[n] = NULL;
    mc_response rs;
    mc_exchange *ex = NULL;
    mc_http_do(h, &rq, &rs, &ex);
    mc_step_add_exchange(s, ex);
    free(auth);
    out->status = rs.status;
    out->www = mc_response_header_all(&rs, "WWW-Authenticate");
    out->body = rs.status ? json_loadb(rs.body, rs.body_len, 0, NULL) : NULL;
    mc_response_free(&rs);
}

static const char initialize_body[] =
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
    "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
    "\"clientInfo\":{\"name\":\"mcpcompat\",\"version\":\"server-suite\"}}}";

static void invalid_token(mc_http *h, mc_step_result *s, const char *url, mc_rev rev)
{
    answer a;
    post(h, s, url, "mcpcompat-garbage-token-not-issued-by-anyone", initialize_body, NULL, &a);
    mc_step_check(s, rev, "server.invalid-token-401", a.status == 401,
                  "a garbage bearer token was answered %ld", a.status);
    mc_challenges ch;
    const char *err = NULL;
    int error_ok = 0;
    if (a.www && mc_www_auth_parse(a.www, strlen(a.www), &ch, &err) == 0) {
        const char *e = mc_challenge_param(mc_challenges_find(&ch, "Bearer"), "error");
        error_ok = e && strcmp(e, "invalid_token") == 0;
        mc_challenges_free(&ch);
    }
    if (a.status == 401)
        mc_step_check(s, rev, "server.invalid-token-challenge", error_ok, "WWW-Authenticate: %s",
                      a.www ? a.www : "(none)");
    else
        mc_step_not_run(s, rev, "server.invalid-token-challenge",
                        "the garbage token was answered %ld, not 401: no challenge to read",
                        a.status);
    answer_free(&a);
}

/* Transport rules, with a token the server accepts. */
static void transport(mc_http *h, mc_step_result *s, const char *url, const char *token, mc_rev rev)
{
    static const char list[] = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";
    answer a;
    const char *bad_version[] = {"MCP-Protocol-Version: 1999-01-01", NULL};
    post(h, s, url, token, list, bad_version, &a);
    mc_step_check(s, rev, "server.protocol-version-400", a.status == 400,
                  "MCP-Protocol-Version 1999-01-01 was answered %ld", a.status);
    answer_free(&a);
    char *second = mc_xstrdup("Authorization: Bearer mcpcompat-second-credential");
    const char *twice[] = {second, NULL};
    post(h, s, url, token, list, twice, &a);
    mc_step_check(s, rev, "server.malformed-auth-400", a.status == 400,
                  "a request with two Authorization headers was answered %ld", a.status);
    answer_free(&a);
    free(second);
    const char *evil[] = {"Origin: https://evil.example", NULL};
    post(h, s, url, token, initialize_body, evil, &a);
    mc_step_check(s, rev, "server.origin-403", a.status == 403,
                  "Origin https://evil.example was answered %ld", a.status);
    answer_free(&a);
    if (rev >= MC_REV_2026_07_28) {
        static const char meta[] =
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\",\"params\":{\"_meta\":"
            "{\"io.modelcontextprotocol/protocolVersion\":\"2025-11-25\"}}}";
        const char *hdrs[] = {"MCP-Protocol-Version: 2026-07-28", "Mcp-Method: tools/list", NULL};
        post(h, s, url, token, meta, hdrs, &a);
        json_t *code = json_object_get(json_object_get(a.body, "error"), "code");
        int ok = a.status == 400 && json_integer_value(code) == -32020;
        mc_step_check(s, rev, "server.header-mismatch", ok,
                      "a header (2026-07-28) that disagrees with _meta (2025-11-25) was "
                      "answered %ld%s",
                      a.status,
                      ok     ? " HeaderMismatch"
                      : code ? " with another error code"
                             : "");
        answer_free(&a);
    }
}

/* POSTs the token request again with the code the client already used. */
static void code_replay(mc_client *c, mc_step_result *s, mc_rev rev)
{
    char *form = NULL;
    mc_form_append(&form, "grant_type", "authorization_code");
    mc_form_append(&form, "code", c->code);
    mc_form_append(&form, "redirect_uri", c->redirect_uri);
    if (c->verifier)
        mc_form_append(&form, "code_verifier", c->verifier);
    if (c->resource)
        mc_form_append(&form, "resource", c->resource);
    mc_form_append(&form, "client_id", c->client_id);
    if (c->client_secret)
        mc_form_append(&form, "client_secret", c->client_secret);
    mc_request rq = {.method = "POST",
                     .url = c->token_ep,
                     .content_type = "application/x-www-form-urlencoded",
                     .body = form,
                     .headers = {"Accept: application/json", NULL}};
    mc_response rs;
    mc_client_exchange(c, s, &rq, NULL, &rs);
    mc_secret_free(form);
    json_t *j = rs.status ? json_loadb(rs.body, rs.body_len, 0, NULL) : NULL;
    mc_secret_register(json_string_value(json_object_get(j, "access_token")));
    int refused = rs.status >= 400 && !json_object_get(j, "access_token");
    mc_step_check(s, rev, "server.code-single-use", refused,
                  "the same code a second time was answered %ld", rs.status);
    if (!refused)
        mc_step_not_run(s, rev, "server.token-error-format",
                        "the replayed code was not refused: no error response to read");
    else
        mc_step_check(s, rev, "server.token-error-format",
                      (rs.status == 400 || rs.status == 401) &&
                          json_is_string(json_object_get(j, "error")),
                      "the refusal was %ld %s", rs.status,
                      json_is_string(json_object_get(j, "error"))
                          ? json_string_value(json_object_get(j, "error"))
                          : "without a JSON error");
    json_decref(j);
    mc_response_free(&rs);
}

/* The flow again without code_challenge: refused at /authorize or /token. */
static void pkce_enforced(const mc_profile *p, const mc_client_config *cfg, mc_step_result *s)
{
    mc_client_config alt = *cfg;
    alt.omit_pkce = 1;
    mc_client *c = mc_client_open(p, &alt);
    mc_profile_run run = {0};
    int failed = mc_client_steps(c, &run, MC_STEP_TOKEN);
    if (failed == MC_STEP_AUTHORIZATION || failed == MC_STEP_TOKEN) {
        mc_step_check(s, cfg->rev, "server.pkce-enforced", 1,
                      "without code_challenge the flow stopped at %s: %s", mc_step_names[failed],
                      run.steps[failed].reason ? run.steps[failed].reason : "");
    } else if (failed == -1) {
        mc_step_check(s, cfg->rev, "server.pkce-enforced", 0,
                      "an authorization without code_challenge was exchanged for a token");
    } else { /* stopped earlier: nothing learned about PKCE */
        mc_step_not_run(s, cfg->rev, "server.pkce-enforced",
                        "the flow without code_challenge stopped at %s, before authorization%s%s",
                        mc_step_names[failed], run.steps[failed].reason ? ": " : "",
                        run.steps[failed].reason ? run.steps[failed].reason : "");
    }
    for (int i = MC_STEP_AUTHORIZATION; i <= MC_STEP_TOKEN; i++)
        for (size_t k = 0; k < run.steps[i].nexchanges; k++) {
            mc_step_add_exchange(s, run.steps[i].exchanges[k]);
            run.steps[i].exchanges[k] = NULL;
        }
    mc_profile_run_free(&run);
    mc_client_close(c);
}

/* The client's redirect URI with another path must not be redirected to. */
static void redirect_exact(mc_client *c, mc_step_result *s, mc_rev rev)
{
    if (!c->redirect_uri || (!mc_url_scheme_is(c->redirect_uri, "http") &&
                             !mc_url_scheme_is(c->redirect_uri, "https"))) {
        mc_step_not_run(s, rev, "server.redirect-exact",
                        "the reference client's redirect URI is not an http(s) URL");
        return;
    }
    char *path = mc_url_path(c->redirect_uri);
    char *origin = mc_url_origin(c->redirect_uri);
    char *evil = mc_xasprintf("%s%s%smcpcompat-unregistered", origin, path,
                              path[strlen(path) - 1] == '/' ? "" : "/");
    char *verifier = mc_pkce_verifier();
    char *challenge = mc_pkce_s256(verifier);
    char *q = NULL;
    mc_form_append(&q, "response_type", "code");
    mc_form_append(&q, "client_id", c->client_id);
    mc_form_append(&q, "redirect_uri", evil);
    mc_form_append(&q, "code_challenge", challenge);
    mc_form_append(&q, "code_challenge_method", "S256");
    if (c->resource)
        mc_form_append(&q, "resource", c->resource);
    char *url = mc_url_add_query(c->authz_ep, q);
    /* the user agent stops at the redirect URI it is given: the changed one */
    char *saved = c->redirect_uri;
    c->redirect_uri = evil;
    mc_ua_result ua;
    char *why = NULL;
    int reached = mc_ua_authorize(c, s, url, &ua, &why) == 0;
    c->redirect_uri = saved;
    mc_step_check(s, rev, "server.redirect-exact", !reached,
                  reached ? "the authorization server redirected to %s" : "%s was refused", evil);
    mc_ua_result_free(&ua);
    free(why);
    free(url);
    free(q);
    free(challenge);
    mc_secret_free(verifier);
    free(evil);
    free(origin);
    free(path);
}

/* A metadata document whose client_id is not its own URL must be refused. */
static void cimd_validation(mc_client *c, mc_step_result *s, mc_rev rev)
{
    if (!json_is_true(json_object_get(c->as_meta, "client_id_metadata_document_supported"))) {
        mc_step_not_run(s, rev, "server.cimd-validates",
                        "the authorization server does not offer Client ID Metadata Documents "
                        "(client_id_metadata_document_supported)");
        return;
    }
    json_t *doc = json_pack("{s:s, s:[s], s:s}", "client_name", "mcpcompat impostor",
                            "redirect_uris", c->redirect_uri, "token_endpoint_auth_method", "none");
    mc_cimd_host *host = NULL;
    char *why = NULL;
    if (mc_cimd_host_start(doc, &host, &why) != 0) {
        mc_step_not_run(s, rev, "server.cimd-validates", "could not host a metadata document: %s",
                        why ? why : "");
        free(why);
        json_decref(doc);
        return;
    }
    json_decref(doc);
    /* serve the document under a client_id that is not its URL */
    char *claimed = mc_xasprintf("%s?impostor=1", mc_cimd_host_url(host));
    char *q = NULL;
    char *verifier = mc_pkce_verifier();
    char *challenge = mc_pkce_s256(verifier);
    mc_form_append(&q, "response_type", "code");
    mc_form_append(&q, "client_id", claimed);
    mc_form_append(&q, "redirect_uri", c->redirect_uri);
    mc_form_append(&q, "code_challenge", challenge);
    mc_form_append(&q, "code_challenge_method", "S256");
    char *url = mc_url_add_query(c->authz_ep, q);
    mc_ua_result ua;
    char *ua_why = NULL;
    int reached = mc_ua_authorize(c, s, url, &ua, &ua_why) == 0;
    int refused = !reached || !ua.code;
    mc_step_check(s, rev, "server.cimd-validates", refused,
                  refused ? "a metadata document naming another client_id was refused"
                          : "a metadata document naming another client_id got a code");
    mc_ua_result_free(&ua);
    free(ua_why);
    free(url);
    free(q);
    free(challenge);
    mc_secret_free(verifier);
    free(claimed);
    mc_cimd_host_stop(host);
}

/* The flow with the MCP URL's scheme and host in upper case (S6-07): the
 * same resource, which the authorization server should accept. */
static void resource_case(const mc_profile *p, const mc_client_config *cfg, mc_step_result *s)
{
    char *canon = mc_url_canonical(cfg->mcp_url);
    char *upper = canon ? mc_xstrdup(canon) : NULL;
    char *host_end = upper ? strchr(strstr(upper, "://") + 3, '/') : NULL;
    for (char *q = upper; q && *q && (!host_end || q < host_end); q++)
        *q = (char)toupper((unsigned char)*q);
    if (upper) {
        mc_client_config ucfg = *cfg;
        ucfg.resource = upper;
        mc_profile_run urun = {0};
        char *utoken = NULL;
        int uf = mc_client_token_only(p, &ucfg, &urun, &utoken);
        if (uf == -1 || uf >= MC_STEP_AUTHORIZATION)
            mc_step_check(s, cfg->rev, "server.resource-case", utoken != NULL,
                          utoken ? "resource=%s was accepted" : "resource=%s was refused", upper);
        else
            mc_step_not_run(s, cfg->rev, "server.resource-case",
                            "the flow with resource=%s stopped at %s, before authorization%s%s",
                            upper, mc_step_names[uf], urun.steps[uf].reason ? ": " : "",
                            urun.steps[uf].reason ? urun.steps[uf].reason : "");
        mc_secret_free(utoken);
        mc_profile_run_free(&urun);
    }
    free(upper);
    free(canon);
}

/* The whole flow again, asking for a token for another resource: the
 * authorization server should refuse it, or the MCP server the token. */
static void audience(mc_http *h, const mc_profile *p, const mc_client_config *cfg,
                     mc_step_result *s)
{
    char *origin = mc_url_origin(cfg->mcp_url);
    char *other = mc_xasprintf("%s/mcpcompat-other-resource", origin ? origin : "");
    mc_client_config alt = *cfg;
    alt.resource = other;
    mc_profile_run orun = {0};
    char *token = NULL;
    int failed = mc_client_token_only(p, &alt, &orun, &token);
    const mc_step_result *fs = failed >= 0 ? &orun.steps[failed] : NULL;
    if (token) {
        mc_step_check(s, cfg->rev, "server.as-audience-binding", 0,
                      "the authorization server issued a token for %s", other);
        answer a;
        post(h, s, cfg->mcp_url, token, initialize_body, NULL, &a);
        mc_step_check(s, cfg->rev, "server.audience", a.status == 401 || a.status == 403,
                      "a token for %s was answered %ld by %s", other, a.status, cfg->mcp_url);
        answer_free(&a);
    } else if (fs && (fs->id == MC_STEP_TOKEN || fs->id == MC_STEP_AUTHORIZATION)) {
        int target = fs->reason && strstr(fs->reason, "invalid_target");
        mc_step_check(s, cfg->rev, "server.as-audience-binding", 1,
                      "the authorization server refused a token for %s%s%s", other,
                      target ? " (invalid_target): it enforces audience binding" : ": ",
                      target       ? ""
                      : fs->reason ? fs->reason
                                   : "");
        mc_step_not_run(s, cfg->rev, "server.audience",
                        "the authorization server issued no token for %s to present", other);
    } else {
        /* could not get that far: say so rather than guess */
        char *why = mc_xasprintf("the flow for another resource stopped at %s%s%s",
                                 fs ? mc_step_names[fs->id] : "?", fs && fs->reason ? ": " : "",
                                 fs && fs->reason ? fs->reason : "");
        mc_step_not_run(s, cfg->rev, "server.audience", "%s", why);
        mc_step_not_run(s, cfg->rev, "server.as-audience-binding", "%s", why);
        free(s->reason);
        s->reason = mc_xasprintf("audience check not run: %s", why);
        free(why);
    }
    mc_secret_free(token);
    mc_profile_run_free(&orun);
    free(other);
    free(origin);
}

void mc_server_suite(const mc_profile *p, const mc_client_config *cfg, mc_step_result *s)
{
    s->id = MC_STEP_SERVER;
    s->status = MC_PASS;
    mc_http h;
    mc_http_init(&h, &cfg->http);
    invalid_token(&h, s, cfg->mcp_url, cfg->rev);

    /* a good token for this server, then what it can be used to probe */
    mc_client *c = mc_client_open(p, cfg);
    mc_profile_run run = {0};
    int failed = mc_client_steps(c, &run, MC_STEP_TOKEN);
    if (failed == -1 && c->access_token) {
        transport(&h, s, cfg->mcp_url, c->access_token, cfg->rev);
        code_replay(c, s, cfg->rev);
        redirect_exact(c, s, cfg->rev);
        cimd_validation(c, s, cfg->rev);
        pkce_enforced(p, cfg, s);
    } else {
        /* every check that needs the suite's own token: not run, and why */
        const mc_step_result *fs = failed >= 0 ? &run.steps[failed] : NULL;
        char *why = mc_xasprintf("the suite's flow with %s stopped at %s%s%s", p->id,
                                 fs ? mc_step_names[fs->id] : "mcp-call",
                                 fs && fs->reason ? ": " : "", fs && fs->reason ? fs->reason : "");
        static const char *const need_token[] = {
            "server.protocol-version-400", "server.malformed-auth-400", "server.origin-403",
            "server.header-mismatch",      "server.code-single-use",    "server.token-error-format",
            "server.redirect-exact",       "server.cimd-validates",     "server.pkce-enforced"};
        for (size_t i = 0; i < sizeof need_token / sizeof *need_token; i++)
            mc_step_not_run(s, cfg->rev, need_token[i], "%s", why);
        free(why);
    }
    mc_profile_run_free(&run);
    mc_client_close(c);

    if (cfg->rev >= MC_REV_2025_06_18)
        resource_case(p, cfg, s);
    audience(&h, p, cfg, s);
    mc_http_cleanup(&h);
    /* whatever the suite did not reach is listed too: no check is silently absent */
    mc_step_not_run_rest(s, cfg->rev, "not reached by the suite");
}
