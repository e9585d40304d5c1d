/* Step 8 (optional): refresh-token use and rotation. With a short-lived
 * access token (the fixture's token-ttl) the client first sees it expire;
 * otherwise it refreshes proactively. */
#include "steps.h"

#include "../wire/buf.h"
#include "../wire/redact.h"
#include "../wire/url.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAX_EXPIRY_WAIT MC_SHORT_TOKEN_TTL /* seconds to wait for a token to expire */

static long mcp_status(mc_client *c, mc_step_result *s)
{
    return mc_mcp_request(c, s, "tools/list");
}

/* token.refresh_endpoint "mcp-url" (mcpc 0.2.6 discoverTokenEndpoint()): the
 * token endpoint of the first of <MCP URL>/.well-known/oauth-authorization-server,
 * <MCP URL>/.well-known/openid-configuration and the same two at the MCP
 * origin that answers 200 with one; the login's authorization server is not
 * asked. NULL when none does (owned otherwise). */
static char *token_endpoint_at_mcp_url(mc_client *c, mc_step_result *s)
{
    static const char *const docs[] = {"oauth-authorization-server", "openid-configuration"};
    char *url = mc_xstrdup(c->cfg->mcp_url);
    for (size_t n = strlen(url); n > 0 && url[n - 1] == '/'; n--)
        url[n - 1] = '\0';
    char *origin = mc_url_origin(url);
    const char *bases[] = {url, origin && strcmp(origin, url) != 0 ? origin : NULL};
    char *found = NULL;
    for (size_t b = 0; b < 2 && !found; b++) {
        for (size_t d = 0; d < 2 && bases[b] && !found; d++) {
            char *at = mc_xasprintf("%s/.well-known/%s", bases[b], docs[d]);
            mc_hdrs h = {0};
            mc_hdrs_add(&h, "Accept: application/json");
            mc_request rq = {.method = "GET", .url = at};
            mc_response rs;
            mc_client_exchange(c, s, &rq, &h, &rs);
            json_t *j = rs.status == 200 ? json_loadb(rs.body, rs.body_len, 0, NULL) : NULL;
            const char *ep = json_string_value(json_object_get(j, "token_endpoint"));
            if (ep && *ep)
                found = mc_xstrdup(ep);
            json_decref(j);
            mc_response_free(&rs);
            free(at);
        }
    }
    free(origin);
    free(url);
    return found;
}

/* POST grant_type=refresh_token to ep, the secret in the Basic header when
 * `basic`; the answer in *rs. */
static void refresh_exchange(mc_client *c, mc_step_result *s, const char *ep, const char *rt,
                             const char *scope, int basic, mc_response *rs)
{
    mc_hdrs h = {0};
    mc_hdrs_add(&h, "Accept: application/json");
    if (basic)
        mc_hdrs_add_basic(&h, c->client_id, c->client_secret);
    static const char *const names[] = {"grant_type", "refresh_token", "scope",
                                        "resource",   "client_id",     "client_secret"};
    const char *values[] = {"refresh_token",
                            rt,
                            scope                 ? scope
                            : c->p->refresh_scope ? c->scope
                                                  : NULL,
                            c->resource && c->p->refresh_resource ? c->resource : NULL,
                            basic ? NULL : c->client_id,
                            basic ? NULL : c->client_secret};
    char *form = mc_form_ordered(c->p->refresh_param_order, names, values, 6);
    mc_request rq = {.method = "POST",
                     .url = ep,
                     .content_type = "application/x-www-form-urlencoded",
                     .body = form};
    mc_client_exchange(c, s, &rq, &h, rs);
    mc_secret_free(form);
}

/* A refresh grant at ep (sent again with the secret in the body where
 * token.basic_refused_retry_post says, as for the code); returns the parsed
 * answer (owned). */
static json_t *refresh_grant(mc_client *c, mc_step_result *s, const char *ep, const char *rt,
                             const char *scope, long *status)
{
    int basic =
        c->client_secret && c->client_auth && strcmp(c->client_auth, "client_secret_basic") == 0;
    mc_response rs;
    refresh_exchange(c, s, ep, rt, scope, basic, &rs);
    if (basic && mc_basic_refused(c, "client_secret_basic", &rs)) {
        mc_response_free(&rs);
        refresh_exchange(c, s, ep, rt, scope, 0, &rs);
    }
    *status = rs.status;
    json_t *j = rs.status ? json_loadb(rs.body, rs.body_len, 0, NULL) : NULL;
    mc_secret_register(json_string_value(json_object_get(j, "access_token")));
    mc_secret_register(json_string_value(json_object_get(j, "refresh_token")));
    mc_response_free(&rs);
    return j;
}

mc_step_rc mc_step_refresh(mc_client *c, mc_step_result *s)
{
    if (!c->refresh_token) {
        /* MCP 2026-07-28: clients MUST NOT assume a refresh token (S8-10) */
        s->status = MC_SKIP;
        s->reason = mc_xstrdup("no refresh token was issued: the client would authorize again");
        return MC_GO;
    }
    if (c->expires_in > 0 && c->expires_in <= MAX_EXPIRY_WAIT) {
        sleep((unsigned)c->expires_in + 1);
        long st = mcp_status(c, s);
        mc_step_check(s, c->rev, "refresh.expired-token-401", st == 401,
                      "a request with the expired access token answered %ld", st);
    }
    char *ep = c->p->refresh_at_mcp_url ? token_endpoint_at_mcp_url(c, s)
               : c->token_ep            ? mc_xstrdup(c->token_ep)
                                        : NULL;
    if (!ep) {
        mc_step_fail(s, "refresh.token-endpoint-found",
                     "the client looks for the token endpoint only in authorization server "
                     "metadata at the MCP URL and at its origin, not at the authorization "
                     "server it logged in with, and none is there: it cannot refresh, the user "
                     "must log in again");
        return MC_STOP;
    }
    char *old = mc_xstrdup(c->refresh_token);
    long status = 0;
    json_t *r = refresh_grant(c, s, ep, old, NULL, &status);
    const char *at = json_string_value(json_object_get(r, "access_token"));
    const char *rt = json_string_value(json_object_get(r, "refresh_token"));
    int ok = status == 200 && at;
    mc_step_check(s, c->rev, "refresh.success", ok, "refresh grant answered %ld", status);
    if (!ok) {
        const char *err = json_string_value(json_object_get(r, "error"));
        mc_step_fail(s, "refresh.success",
                     "refresh failed: %ld %s: the client must authorize again", status,
                     err ? err : "");
        json_decref(r);
        mc_secret_free(old);
        free(ep);
        return MC_STOP;
    }
    int public_client = !c->client_secret;
    int rotated = rt && strcmp(rt, old) != 0;
    if (public_client)
        mc_step_check(s, c->rev, "refresh.rotation", rotated,
                      rotated ? "a new refresh token was issued"
                              : "the refresh token was not rotated for a public client");
    mc_secret_free(c->access_token);
    c->access_token = mc_xstrdup(at);
    if (rt) {
        mc_secret_free(c->refresh_token);
        c->refresh_token = mc_xstrdup(rt);
    }
    json_decref(r);
    if (public_client && rotated) {
        long again = 0;
        json_t *r2 = refresh_grant(c, s, ep, old, NULL, &again);
        const char *err = json_string_value(json_object_get(r2, "error"));
        mc_step_check(s, c->rev, "refresh.old-rejected", again == 400 || again == 401,
                      "reusing the rotated-out refresh token answered %ld %s", again,
                      err ? err : "");
        json_decref(r2);
    }
    mc_secret_free(old);
    long st = mcp_status(c, s);
    /* last, with the newest refresh token: ask for more than was granted */
    if (c->refresh_token) {
        char *wider =
            mc_xasprintf("%s%smcpcompat:wider", c->scope ? c->scope : "", c->scope ? " " : "");
        long ws = 0;
        json_t *r3 = refresh_grant(c, s, ep, c->refresh_token, wider, &ws);
        int granted = ws == 200 && json_object_get(r3, "access_token");
        const char *got = json_string_value(json_object_get(r3, "scope"));
        int widened = granted && (!got || strstr(got, "mcpcompat:wider"));
        mc_step_check(s, c->rev, "refresh.no-wider-scope", !widened,
                      widened ? "a refresh for \"%s\" was granted"
                              : "a refresh for \"%s\" was refused",
                      wider);
        json_decref(r3);
        free(wider);
    }
    free(ep);
    mc_step_check(s, c->rev, "refresh.new-token-works", st == 200,
                  "a request with the refreshed access token answered %ld", st);
    if (st != 200) {
        mc_step_fail(s, "refresh.new-token-works", "the refreshed access token was refused (%ld)",
                     st);
        return MC_STOP;
    }
    return MC_GO;
}
