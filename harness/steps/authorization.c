/* Step 5: the authorization request (PKCE, state, resource, scope, redirect
 * URI), driven through the headless user agent to the redirect URI. */
#include "steps.h"

#include "../wire/buf.h"
#include "../wire/pkce.h"
#include "../wire/redact.h"
#include "../wire/url.h"
#include "cimd_host.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *join_scopes(json_t *arr)
{
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return NULL;
    mc_buf b;
    mc_buf_init(&b, 4096);
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        if (json_is_string(e))
            mc_buf_printf(&b, "%s%s", b.len ? " " : "", json_string_value(e));
    }
    return mc_buf_steal(&b);
}

/* MCP 2025-11-25 scope selection: challenge, then PRM, in the profile's order. */
char *mc_select_scope(const mc_client *c)
{
    for (size_t i = 0; i < c->p->nscope; i++) {
        char *s = NULL;
        switch (c->p->scope_order[i]) {
        case MC_SCOPE_WWW:
            s = mc_xstrdup(c->www_scope);
            break;
        case MC_SCOPE_PRM:
            s = join_scopes(json_object_get(c->prm, "scopes_supported"));
            break;
        case MC_SCOPE_AS:
            s = join_scopes(json_object_get(c->as_meta, "scopes_supported"));
            break;
        }
        if (s && *s)
            return s;
        free(s);
    }
    return NULL;
}

static int mentions_redirect(const char *text)
{
    if (!text)
        return 0;
    char *low = mc_xstrdup(text);
    for (char *p = low; *p; p++)
        *p = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    int yes = strstr(low, "redirect") != NULL;
    free(low);
    return yes;
}

/* The authorization request's URL (owned): PKCE, state, scope and
 * resource as the profile sends them, in its parameter order. */
static char *authorization_url(mc_client *c)
{
    const mc_profile *p = c->p;
    char *challenge = NULL;
    if (p->pkce && !c->cfg->omit_pkce) {
        /* a verifier of n base64url characters carries n*6/8 random bytes */
        c->verifier = mc_random_b64url((size_t)p->verifier_length * 3 / 4);
        c->verifier[p->verifier_length] = '\0';
        mc_secret_register(c->verifier);
        challenge = mc_pkce_s256(c->verifier);
    }
    if (p->send_state)
        c->state = mc_random_b64url(16);
    c->scope = mc_select_scope(c);
    /* scopes the client always adds (claude.ai connectors: offline_access) */
    size_t i;
    json_t *e;
    json_array_foreach(p->scope_add, i, e)
    {
        char *more = c->scope && *c->scope ? mc_xasprintf("%s %s", c->scope, json_string_value(e))
                                           : mc_xstrdup(json_string_value(e));
        free(c->scope);
        c->scope = more;
    }
    /* SDK-style clients send resource only for a resource whose metadata they
     * accepted; strict clients always do (MCP 2025-06-18 resource parameter).
     * The value: the MCP URL, or the `resource` of the metadata the client
     * accepted, as written (resource_from "prm") or as its URL parser
     * writes it back ("prm-href": an origin gets a trailing slash) */
    const char *prm_resource =
        c->prm ? json_string_value(json_object_get(c->prm, "resource")) : NULL;
    if (c->cfg->resource)
        c->resource = mc_xstrdup(c->cfg->resource);
    else if (p->send_resource && (c->prm || !p->legacy_fallback))
        c->resource = !prm_resource || !p->resource_from_prm ? mc_url_canonical(c->cfg->mcp_url)
                      : p->resource_from_prm == 2            ? mc_url_serialize(prm_resource)
                                                             : mc_xstrdup(prm_resource);
    static const char *const names[] = {
        "response_type", "client_id", "redirect_uri", "code_challenge", "code_challenge_method",
        "state",         "scope",     "resource",     "prompt"};
    const char *values[] = {
        "code",   c->client_id, c->redirect_uri, challenge, challenge ? "S256" : NULL,
        c->state, c->scope,     c->resource,     p->prompt};
    char *q = mc_form_ordered(p->authz_param_order, names, values, sizeof names / sizeof *names);
    free(challenge);
    char *url = mc_url_add_query(c->authz_ep, q);
    free(q);
    return url;
}

/* The user agent never came back to the redirect URI: the redirect URI
 * refused, an answer without a redirect, or a login not completed. */
static void not_redirected(mc_client *c, mc_step_result *s, const mc_ua_result *ua, const char *why)
{
    /* RFC 8252 §7.3's any-port rule is for IP literals (A10) */
    char *host = mc_url_host(c->redirect_uri);
    int loopback = host && (strncmp(host, "127.", 4) == 0 || strcmp(host, "[::1]") == 0);
    free(host);
    if (ua->refused_text && loopback && mentions_redirect(ua->refused_text)) {
        mc_step_check(s, c->rev, "authz.loopback-any-port", 0, "redirect URI %s refused: %s",
                      c->redirect_uri, ua->refused_text);
        mc_step_fail(s, "authz.loopback-any-port",
                     "the authorization server rejected redirect URI %s%s%s%s (%ld: %s)",
                     c->redirect_uri, c->redirect_note ? " (" : "",
                     c->redirect_note ? c->redirect_note : "", c->redirect_note ? ")" : "",
                     ua->refused_status, ua->refused_text);
    } else if (ua->refused_text) {
        /* an AS that said it offers no authorization_code refuses it as it said */
        char *no_flow = mc_no_client_flow(c);
        const char *id = no_flow ? "asm.grant-implemented" : "authz.redirected-with-code";
        mc_step_check(s, c->rev, id, 0, "%s%sanswered %ld without redirecting: %s",
                      no_flow ? no_flow : "", no_flow ? "; " : "", ua->refused_status,
                      ua->refused_text);
        mc_step_fail(s, id,
                     "%s%s%sthe authorization server answered %ld without redirecting back: %s",
                     no_flow ? "no flow this client implements: " : "", no_flow ? no_flow : "",
                     no_flow ? "; " : "", ua->refused_status, ua->refused_text);
        free(no_flow);
    } else {
        mc_step_fail(s, "authz.login-completed", "%s", why ? why : "login not completed");
    }
}

/* RFC 9207's iss: checked as MCP 2026-07-28 tabulates it, then what this
 * client does with it. Returns 1 when the client drops the code (the step
 * failed). */
static int iss_drops_code(mc_client *c, mc_step_result *s, const mc_ua_result *ua)
{
    const mc_profile *p = c->p;
    /* RFC 9207 as MCP 2026-07-28 tabulates it (A4-index): flag & present →
     * compare; flag & absent → reject; no flag & present → compare. */
    const char *issuer = json_string_value(json_object_get(c->as_meta, "issuer"));
    int iss_equal = ua->has_iss && issuer && strcmp(ua->iss, issuer) == 0;
    int iss_ok = ua->has_iss ? iss_equal : !c->iss_supported;
    mc_step_check(s, c->rev, "authz.iss-sent", ua->has_iss,
                  ua->has_iss ? "iss=%s" : "no iss in the response%s", ua->has_iss ? ua->iss : "");
    if (ua->has_iss)
        mc_step_check(s, c->rev, "authz.iss-advertised", c->iss_supported,
                      c->iss_supported ? "iss sent and advertised"
                                       : "iss sent but the metadata does not advertise it");
    if (ua->has_iss || c->iss_supported)
        mc_step_check(s, c->rev, "authz.iss-matches", iss_ok,
                      ua->has_iss ? "iss %s, issuer %s" : "iss absent although advertised%s%s",
                      ua->has_iss ? ua->iss : "", ua->has_iss ? (issuer ? issuer : "?") : "");
    /* what this client does with it */
    int drops = 0;
    switch (p->iss) {
    case MC_ISS_IGNORE:
        drops = 0;
        break;
    case MC_ISS_IF_PRESENT:
        drops = ua->has_iss && !iss_equal;
        break;
    case MC_ISS_REQUIRE:
        drops = !iss_equal;
        break;
    case MC_ISS_RFC9207:
        drops = !iss_ok;
        break;
    }
    if (drops)
        mc_step_fail(s, "authz.iss-matches",
                     ua->has_iss ? "iss %s is not the issuer %s: the client drops the code"
                                 : "no iss in the authorization response%s%s: the client "
                                   "suspects a mix-up and drops the code",
                     ua->has_iss ? ua->iss : "", ua->has_iss ? (issuer ? issuer : "?") : "");
    return drops;
}

mc_step_rc mc_step_authorization(mc_client *c, mc_step_result *s)
{
    const mc_profile *p = c->p;
    char *url = authorization_url(c);
    mc_ua_result ua;
    char *why = NULL;
    int reached = (c->cfg->login_command  ? mc_login_command(c, url, &ua, &why)
                   : c->cfg->login_manual ? mc_login_manual(c, url, &ua, &why)
                                          : mc_ua_authorize(c, s, url, &ua, &why)) == 0;
    free(url);
    mc_step_rc out = MC_GO;
    if (!reached) {
        not_redirected(c, s, &ua, why);
        goto done;
    }
    if (ua.error || !ua.code) {
        /* an AS that said it offers no authorization_code refuses it as it said */
        char *no_flow = mc_no_client_flow(c);
        const char *id = no_flow ? "asm.grant-implemented" : "authz.redirected-with-code";
        mc_step_check(s, c->rev, id, 0, "%s%serror=%s %s", no_flow ? no_flow : "",
                      no_flow ? "; " : "", ua.error ? ua.error : "(no code)",
                      ua.error_description ? ua.error_description : "");
        mc_step_fail(s, id, "%s%s%sauthorization refused: %s%s%s",
                     no_flow ? "no flow this client implements: " : "", no_flow ? no_flow : "",
                     no_flow ? "; " : "", ua.error ? ua.error : "no code in the redirect",
                     ua.error_description ? ": " : "",
                     ua.error_description ? ua.error_description : "");
        free(no_flow);
        out = MC_STOP;
        goto done;
    }
    mc_step_check(s, c->rev, "authz.redirected-with-code", 1, "code received");
    if (c->cimd_host)
        mc_step_check(s, c->rev, "reg.cimd-fetched", mc_cimd_host_fetches(c->cimd_host) > 0,
                      "the metadata document was fetched %d time(s)",
                      mc_cimd_host_fetches(c->cimd_host));
    if (c->state) {
        int same = ua.state && strcmp(ua.state, c->state) == 0;
        mc_step_check(s, c->rev, "authz.state-echoed", same,
                      same ? "state echoed" : "state missing or changed");
        if (!same && p->verify_state) {
            mc_step_fail(s, "authz.state-echoed",
                         "state missing or changed: the client discards the response");
            goto done;
        }
    }
    if (iss_drops_code(c, s, &ua))
        goto done;
    c->code = ua.code;
    ua.code = NULL;
done:
    if (s->status == MC_FAIL)
        out = MC_STOP;
    free(why);
    mc_ua_result_free(&ua);
    return out;
}
