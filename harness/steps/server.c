/* The server suite: checks that belong to no client, run once per target.
 * (a) a garbage bearer token must get 401 with error="invalid_token";
 * (b) a token minted for another resource must be rejected. */
#include "server.h"

#include "../wire/buf.h"
#include "../wire/url.h"
#include "../wire/www_auth.h"

#include <stdlib.h>
#include <string.h>

static long call_with_token(mc_http *h, mc_step_result *s, const char *url,
                            const char *token, char **www)
{
    static const char body[] =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
        "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
        "\"clientInfo\":{\"name\":\"mcpcompat\",\"version\":\"server-suite\"}}}";
    char *auth = mc_xasprintf("Authorization: Bearer %s", token);
    mc_request rq = {.method = "POST", .url = url, .content_type = "application/json",
                     .body = body,
                     .headers = {"Accept: application/json, text/event-stream", auth, NULL}};
    mc_response rs;
    mc_exchange *ex = NULL;
    mc_http_do(h, &rq, &rs, &ex);
    mc_step_add_exchange(s, ex);
    free(auth);
    if (www)
        *www = mc_response_header_all(&rs, "WWW-Authenticate");
    long status = rs.status;
    mc_response_free(&rs);
    return status;
}

static void invalid_token(mc_http *h, mc_step_result *s, const char *url, mc_rev rev)
{
    char *www = NULL;
    long st = call_with_token(h, s, url, "mcpcompat-garbage-token-not-issued-by-anyone", &www);
    mc_step_check(s, rev, "server.invalid-token-401", st == 401,
                  "a garbage bearer token was answered %ld", st);
    mc_challenges ch;
    const char *err = NULL;
    int error_ok = 0;
    if (www && mc_www_auth_parse(www, strlen(www), &ch, &err) == 0) {
        const char *e = mc_challenge_param(mc_challenges_find(&ch, "Bearer"), "error");
        error_ok = e && strcmp(e, "invalid_token") == 0;
        mc_challenges_free(&ch);
    }
    if (st == 401)
        mc_step_check(s, rev, "server.invalid-token-challenge", error_ok,
                      "WWW-Authenticate: %s", www ? www : "(none)");
    free(www);
}

void mc_server_suite(const mc_profile *p, const mc_client_config *cfg, mc_step_result *s)
{
    s->id = MC_STEP_SERVER;
    s->status = MC_PASS;
    mc_http h;
    mc_http_init(&h, &cfg->http);
    invalid_token(&h, s, cfg->mcp_url, cfg->rev);

    /* (b) the whole flow again, asking for a token for another resource */
    char *origin = mc_url_origin(cfg->mcp_url);
    char *other = mc_xasprintf("%s/mcpcompat-other-resource", origin ? origin : "");
    mc_client_config alt = *cfg;
    alt.resource = other;
    mc_profile_run run = {0};
    char *token = NULL;
    int failed = mc_client_token_only(p, &alt, &run, &token);
    const mc_step_result *fs = failed >= 0 ? &run.steps[failed] : NULL;
    if (token) {
        mc_step_check(s, cfg->rev, "server.as-audience-binding", 0,
                      "the authorization server issued a token for %s", other);
        long st = call_with_token(&h, s, cfg->mcp_url, token, NULL);
        mc_step_check(s, cfg->rev, "server.audience", st == 401 || st == 403,
                      "a token for %s was answered %ld by %s", other, st, cfg->mcp_url);
    } else if (fs && (fs->id == MC_STEP_TOKEN || fs->id == MC_STEP_AUTHORIZATION) &&
               fs->reason && strstr(fs->reason, "invalid_target")) {
        mc_step_check(s, cfg->rev, "server.as-audience-binding", 1,
                      "the authorization server refused %s (invalid_target): it enforces "
                      "audience binding", other);
    } else {
        /* could not get that far: say so rather than guess */
        mc_buf why;
        mc_buf_init(&why, 600);
        mc_buf_printf(&why, "audience check not run: the flow for another resource "
                            "stopped at %s%s%s",
                      fs ? mc_step_names[fs->id] : "?", fs && fs->reason ? ": " : "",
                      fs && fs->reason ? fs->reason : "");
        free(s->reason);
        s->reason = mc_buf_steal(&why);
    }
    mc_secret_free(token);
    mc_profile_run_free(&run);
    free(other);
    free(origin);
    mc_http_cleanup(&h);
}
