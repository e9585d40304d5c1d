/* Step 1: the client's first unauthenticated MCP request. */
#include "steps.h"

#include "../wire/buf.h"
#include "../wire/url.h"
#include "../wire/www_auth.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *probe_body(const mc_profile *p)
{
    json_t *params =
        p->probe_meta
            /* Copilot CLI's server/discover (traces/copilot-cli-1.0.102-default.jsonl:2) */
            ? json_pack("{s:{s:s, s:{s:s, s:s}, s:{}}}", "_meta",
                        "io.modelcontextprotocol/protocolVersion", p->probe_protocol_version,
                        "io.modelcontextprotocol/clientInfo", "name", "mcpcompat", "version",
                        p->client_version, "io.modelcontextprotocol/clientCapabilities")
            : json_pack("{s:s, s:{}, s:{s:s, s:s}}", "protocolVersion", p->probe_protocol_version,
                        "capabilities", "clientInfo", "name", "mcpcompat", "version",
                        p->client_version);
    if (!p->probe_meta && strcmp(p->probe_method, "server/discover") == 0)
        /* 2026-07-28: the revision travels in _meta too (streamable-http) */
        json_object_set_new(params, "_meta",
                            json_pack("{s:s}", "io.modelcontextprotocol/protocolVersion",
                                      p->probe_protocol_version));
    json_t *msg = json_pack("{s:s, s:i, s:s, s:o}", "jsonrpc", "2.0", "id", 0, "method",
                            p->probe_method, "params", params);
    char *body = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    return body;
}

static void check_challenge(mc_client *c, mc_step_result *s, const char *header)
{
    mc_challenges ch;
    const char *err = NULL;
    int parsed = header && mc_www_auth_parse(header, strlen(header), &ch, &err) == 0;
    const mc_challenge *bearer = parsed ? mc_challenges_find(&ch, "Bearer") : NULL;
    mc_step_check(s, c->rev, "probe.bearer-challenge", bearer != NULL,
                  header ? (parsed ? (bearer ? "Bearer challenge present"
                                             : "WWW-Authenticate has no Bearer challenge: %s")
                                   : "WWW-Authenticate does not parse (%s)")
                         : "no WWW-Authenticate header on the 401%s",
                  header ? (parsed ? header : err) : "");
    if (!bearer) {
        if (parsed)
            mc_challenges_free(&ch);
        return;
    }
    static const char *const once[] = {"realm", "scope", "error", "error_description", "error_uri"};
    int dup = 0;
    for (size_t i = 0; i < sizeof once / sizeof *once; i++)
        dup |= mc_challenge_param_count(bearer, once[i]) > 1;
    mc_step_check(s, c->rev, "probe.challenge-params-once", !dup,
                  dup ? "a challenge parameter is repeated" : "each parameter once");
    const char *error = mc_challenge_param(bearer, "error");
    mc_step_check(s, c->rev, "probe.no-error-without-credentials", !error,
                  error ? "error=\"%s\" on a request without credentials" : "no error%s",
                  error ? error : "");
    const char *rm = mc_challenge_param(bearer, "resource_metadata");
    mc_step_check(s, c->rev, "probe.resource-metadata-param", rm != NULL,
                  rm ? "resource_metadata=\"%s\"" : "no resource_metadata parameter%s",
                  rm ? rm : "");
    const char *scope = mc_challenge_param(bearer, "scope");
    mc_step_check(s, c->rev, "probe.scope-param", scope != NULL,
                  scope ? "scope=\"%s\"" : "no scope parameter%s", scope ? scope : "");
    if (scope)
        mc_step_check(s, c->rev, "probe.no-offline-access", !strstr(scope, "offline_access"),
                      "challenged scope \"%s\"", scope);
    mc_challenges_free(&ch);
}

/* The value of a quoted name="…" anywhere in the header, as a regex finds it. */
static char *quoted_param(const char *header, const char *name)
{
    char *needle = mc_xasprintf("%s=\"", name);
    const char *at = strstr(header, needle);
    char *v = NULL;
    if (at) {
        at += strlen(needle);
        const char *end = strchr(at, '"');
        if (end)
            v = mc_xstrndup(at, (size_t)(end - at));
    }
    free(needle);
    return v;
}

/* What this client takes from the challenge: its own reading, which is not
 * always RFC 9110's (profile knob challenge_parse, reference/clients.md). */
static void client_reads(mc_client *c, const char *header)
{
    const mc_profile *p = c->p;
    char *rm = NULL, *scope = NULL;
    if (!header)
        return;
    if (p->challenge_parse == MC_CHALLENGE_QUOTED_REGEX) {
        rm = quoted_param(header, "resource_metadata"); /* scope is not read */
    } else {
        mc_challenges ch;
        const char *err = NULL;
        if (mc_www_auth_parse(header, strlen(header), &ch, &err) != 0) {
            mc_challenges_free(&ch);
            return;
        }
        const mc_challenge *b = NULL;
        if (p->challenge_parse == MC_CHALLENGE_FIRST_BEARER)
            b = ch.n && strcasecmp(ch.items[0].scheme, "Bearer") == 0 ? &ch.items[0] : NULL;
        else if (p->challenge_parse == MC_CHALLENGE_EXACT_BEARER) {
            for (size_t i = 0; i < ch.n && !b; i++)
                if (strcmp(ch.items[i].scheme, "Bearer") == 0)
                    b = &ch.items[i];
        } else
            b = mc_challenges_find(&ch, "Bearer");
        rm = mc_xstrdup(mc_challenge_param(b, "resource_metadata"));
        scope = mc_xstrdup(mc_challenge_param(b, "scope"));
        mc_challenges_free(&ch);
    }
    if (rm) {
        int absolute = mc_url_scheme_is(rm, "http") || mc_url_scheme_is(rm, "https");
        char *url = absolute || !p->rm_drop_relative ? mc_url_resolve(c->cfg->mcp_url, rm) : NULL;
        if (url && p->rm_same_origin) {
            char *a = mc_url_origin(url), *b = mc_url_origin(c->cfg->mcp_url);
            if (!a || !b || strcmp(a, b) != 0) {
                free(url);
                url = NULL;
            }
            free(a);
            free(b);
        }
        c->www_resource_metadata = url;
    }
    c->www_scope = scope;
    free(rm);
}

/* Gemini CLI reads the challenge from a HEAD request after the 401. */
static char *head_challenge(mc_client *c, mc_step_result *s)
{
    mc_request rq = {.method = "HEAD", .url = c->cfg->mcp_url};
    mc_response rs;
    mc_client_exchange(c, s, &rq, NULL, &rs);
    char *www = rs.status == 401 ? mc_response_header_all(&rs, "WWW-Authenticate") : NULL;
    mc_response_free(&rs);
    return www;
}

/* The first request was answered without a token. A client built on the
 * TypeScript SDK carries on with its lifecycle and authorizes at the first
 * 401, wherever it comes (streamableHttp.js: send() runs auth() on any 401
 * and retries that request); one that authorizes only while connecting
 * stops at a later one (probe.auth_trigger "connect"). */
static mc_step_rc public_start(mc_client *c, mc_step_result *s, int post, mc_response *rs,
                               char **www)
{
    const mc_profile *p = c->p;
    long status = rs->status;
    int from = MC_LC_OPEN;
    if (post && mc_mcp_opened(c, p->probe_method, rs)) {
        c->public_requests[c->npublic++] = mc_xstrdup(p->probe_method);
        from = c->discovered ? MC_LC_LIST : MC_LC_INITIALIZED;
    } else if (post && status == 200 && strcmp(p->probe_method, "server/discover") == 0) {
        c->no_discover = 1; /* an older server's JSON-RPC error: initialize next */
    } else if (!post) {
        c->public_requests[c->npublic++] = mc_xstrdup("GET");
    } else {
        mc_response_free(rs);
        mc_step_check(s, c->rev, "probe.status-401", 0, "unauthenticated POST %s answered %ld",
                      p->probe_method, status);
        mc_step_fail(s, "probe.status-401",
                     "expected 401 to start OAuth, got %ld: the client never starts "
                     "authorization",
                     status);
        return MC_STOP;
    }
    mc_response_free(rs);
    int at = mc_mcp_anonymous(c, s, from, www);
    if (at < 0)
        return MC_STOP;
    mc_buf b;
    mc_buf_init(&b, 1024);
    for (size_t i = 0; i < c->npublic; i++)
        mc_buf_printf(&b, "%s%s", i ? ", " : "", c->public_requests[i]);
    char *public = mc_buf_steal(&b);
    if (at == MC_LC_DONE) {
        mc_step_check(s, c->rev, "probe.status-401", 0, "%s answered without a token", public);
        mc_step_fail(s, "probe.status-401",
                     "%s answered without a token and nothing drew a 401: the client never "
                     "starts authorization",
                     public);
        free(public);
        return MC_STOP;
    }
    mc_step_check(s, c->rev, "probe.status-401", 1,
                  "unauthenticated %s answered 401 (%s answered without a token)",
                  c->auth_started_at, *public ? public : "nothing");
    if (p->auth_connect_only && at > MC_LC_INITIALIZED) {
        mc_step_check(s, c->rev, "probe.oauth-on-401", 0,
                      "a 401 to %s, after connecting without a token, does not start OAuth",
                      c->auth_started_at);
        mc_step_fail(s, "probe.oauth-on-401",
                     "%s answered 401 after %s answered without a token: this client starts "
                     "authorization only on a 401 while connecting, so it never authorizes",
                     c->auth_started_at, public);
        free(public);
        return MC_STOP;
    }
    mc_step_check(s, c->rev, "probe.oauth-on-401", 1, "authorization starts at the 401 to %s",
                  c->auth_started_at);
    free(public);
    return MC_GO;
}

mc_step_rc mc_step_probe(mc_client *c, mc_step_result *s)
{
    const mc_profile *p = c->p;
    if (p->probe == MC_PROBE_NONE) {
        /* e.g. `claude mcp login`: discovery starts from the URL alone */
        c->no_probe = 1;
        s->status = MC_SKIP;
        s->reason = mc_xstrdup("this client does not probe before discovery");
        return MC_GO;
    }
    int post = p->probe == MC_PROBE_POST;
    char *body = post ? probe_body(p) : NULL;
    mc_hdrs h = {0};
    mc_hdrs_add(&h, "Accept: %s", p->probe_accept);
    if (p->probe_protocol_header)
        mc_hdrs_add(&h, "MCP-Protocol-Version: %s", p->probe_protocol_header);
    if (post && p->probe_mcp_method_header)
        mc_hdrs_add(&h, "Mcp-Method: %s", p->probe_method);
    /* HEAD: Qwen Code probes for a challenge before it ever connects */
    mc_request rq = {.method = post                        ? "POST"
                               : p->probe == MC_PROBE_HEAD ? "HEAD"
                                                           : "GET",
                     .url = c->cfg->mcp_url,
                     .content_type = post ? "application/json" : NULL,
                     .body = body};
    mc_response rs;
    int rc = mc_client_exchange(c, s, &rq, &h, &rs);
    free(body);
    if (rc != 0) {
        s->status = MC_ERROR;
        /* https to a port that speaks plain HTTP: OpenSSL's words name no cause */
        int plain = mc_url_scheme_is(c->cfg->mcp_url, "https") && rs.error &&
                    strstr(rs.error, "wrong version number");
        s->reason = mc_xasprintf("cannot reach %s: %s%s", c->cfg->mcp_url, rs.error,
                                 plain ? " (the port answers plain HTTP, not TLS: is the URL "
                                         "http://…?)"
                                       : "");
        mc_response_free(&rs);
        return MC_UNREACHABLE;
    }
    int https = mc_url_scheme_is(c->cfg->mcp_url, "https");
    int loopback = mc_url_is_loopback(c->cfg->mcp_url);
    mc_step_check(s, c->rev, "transport.https", https || loopback,
                  https      ? "https"
                  : loopback ? "http on loopback (accepted for development)"
                             : "the MCP endpoint is plain http");
    char *www = NULL;
    if (rs.status == 403 && p->auth_on_403) {
        /* VS Code takes a 403 as "authentication needed" too */
        c->auth_started_at = mc_xstrdup(post ? p->probe_method : "GET");
        mc_step_check(s, c->rev, "probe.status-401", 0,
                      "unauthenticated %s%s%s answered 403, not 401 (this client starts "
                      "authorization on it all the same)",
                      rq.method, post ? " " : "", post ? p->probe_method : "");
        www = mc_response_header_all(&rs, "WWW-Authenticate");
        mc_response_free(&rs);
    } else if (rs.status == 401) {
        c->auth_started_at = mc_xstrdup(post ? p->probe_method : "GET");
        mc_step_check(s, c->rev, "probe.status-401", 1, "unauthenticated %s%s%s answered 401",
                      rq.method, post ? " " : "", post ? p->probe_method : "");
        www = mc_response_header_all(&rs, "WWW-Authenticate");
        mc_response_free(&rs);
    } else {
        mc_step_rc out = public_start(c, s, post, &rs, &www);
        if (out != MC_GO)
            return out;
    }
    if (p->head_after_401) {
        free(www);
        www = head_challenge(c, s);
    }
    check_challenge(c, s, www);
    client_reads(c, www);
    free(www);
    return MC_GO;
}
