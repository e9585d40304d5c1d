/* Step 7: the authorized MCP session over Streamable HTTP: initialize,
 * notifications/initialized, tools/list (JSON or SSE responses). */
#include "steps.h"

#include "../wire/buf.h"
#include "../wire/sse.h"
#include "../wire/www_auth.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    long status;
    json_t *message; /* the JSON-RPC response to our id, owned */
    char *media;
    char *session_id;
    char *www; /* WWW-Authenticate of a 401/403 */
} rpc_reply;

/* The JSON-RPC response with id among the SSE events of body. */
static json_t *from_sse(const char *body, size_t len, int id)
{
    size_t pos = 0;
    mc_sse_event ev;
    while (mc_sse_next(body, len, &pos, &ev) == 1) {
        json_t *m = json_loads(ev.data, 0, NULL);
        mc_sse_event_free(&ev);
        json_t *mid = json_object_get(m, "id");
        if (json_is_integer(mid) && json_integer_value(mid) == id)
            return m;
        json_decref(m);
    }
    return NULL;
}

static void rpc(mc_client *c, mc_step_result *s, const char *method, json_t *params, int notify,
                rpc_reply *out)
{
    memset(out, 0, sizeof *out);
    int id = ++c->json_id;
    json_t *msg = json_pack("{s:s, s:s}", "jsonrpc", "2.0", "method", method);
    if (!notify)
        json_object_set_new(msg, "id", json_integer(id));
    if (params)
        json_object_set(msg, "params", params);
    const char *version = c->protocol_version ? c->protocol_version : c->p->mcp_protocol_version;
    int r4 = strcmp(version, "2026-07-28") == 0;
    if ((c->p->mcp_meta_protocol_version && r4) || strcmp(method, "server/discover") == 0) {
        /* 2026-07-28: the revision travels in _meta too, and must match */
        json_t *ps = json_object_get(msg, "params");
        if (!ps) {
            ps = json_object();
            json_object_set_new(msg, "params", ps);
        }
        json_t *meta = json_object_get(ps, "_meta");
        if (!meta) {
            meta = json_object();
            json_object_set_new(ps, "_meta", meta);
        }
        json_object_set_new(
            meta, "io.modelcontextprotocol/protocolVersion",
            json_string(strcmp(method, "server/discover") == 0 ? "2026-07-28" : version));
    }
    char *body = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    mc_hdrs h = {0};
    mc_hdrs_add(&h, "Accept: %s", c->p->mcp_accept);
    if (c->access_token) /* none yet: the requests a client makes before authorizing */
        mc_hdrs_add(&h, "Authorization: Bearer %s", c->access_token);
    /* server/discover is a 2026-07-28 request: it names its revision and
     * method in headers (MCP 2026-07-28 streamable-http) */
    int discover = strcmp(method, "server/discover") == 0;
    if (discover)
        mc_hdrs_add(&h, "MCP-Protocol-Version: 2026-07-28");
    else if (strcmp(method, "initialize") != 0 && c->p->mcp_protocol_header)
        mc_hdrs_add(&h, "MCP-Protocol-Version: %s", version);
    if (c->p->mcp_method_header || discover)
        mc_hdrs_add(&h, "Mcp-Method: %s", method);
    if (c->session_id)
        mc_hdrs_add(&h, "Mcp-Session-Id: %s", c->session_id);
    mc_request rq = {
        .method = "POST", .url = c->cfg->mcp_url, .content_type = "application/json", .body = body};
    mc_response rs;
    mc_client_exchange(c, s, &rq, &h, &rs);
    free(body);
    out->status = rs.status;
    out->media = mc_response_media_type(&rs);
    out->session_id = mc_response_header(&rs, "Mcp-Session-Id");
    if (rs.status == 401 || rs.status == 403)
        out->www = mc_response_header_all(&rs, "WWW-Authenticate");
    if (!notify && rs.status == 200 && out->media) {
        if (strcmp(out->media, "text/event-stream") == 0)
            out->message = from_sse(rs.body, rs.body_len, id);
        else if (strcmp(out->media, "application/json") == 0)
            out->message = json_loadb(rs.body, rs.body_len, 0, NULL);
    }
    mc_response_free(&rs);
}

static void reply_free(rpc_reply *r)
{
    json_decref(r->message);
    free(r->media);
    free(r->session_id);
    free(r->www);
}

/* Records the check for one request; returns 1 when it got a result. */
static int judge(mc_client *c, mc_step_result *s, const char *check, const char *method,
                 const rpc_reply *r)
{
    json_t *result = json_object_get(r->message, "result");
    json_t *error = json_object_get(r->message, "error");
    int ok = r->status == 200 && json_is_object(result);
    if (r->status == 200 && r->media)
        mc_step_check(s, c->rev, "mcp.content-type",
                      strcmp(r->media, "application/json") == 0 ||
                          strcmp(r->media, "text/event-stream") == 0,
                      "%s answered as %s", method, r->media);
    if (ok) {
        mc_step_check(s, c->rev, check, 1, "%s returned a result", method);
        return 1;
    }
    const char *emsg = json_string_value(json_object_get(error, "message"));
    mc_step_check(s, c->rev, check, 0, "%s answered %ld%s%s", method, r->status, emsg ? ": " : "",
                  emsg ? emsg : "");
    mc_step_fail(s, check, "authorized %s answered %ld%s%s", method, r->status,
                 emsg               ? ": "
                 : r->status == 200 ? " without a JSON-RPC result"
                                    : "",
                 emsg ? emsg : "");
    return 0;
}

/* The GET that opens the server-to-client SSE stream; a server without one
 * answers 405. Bounded: a stream that stays open ends the wait. Returns the
 * status; a 401's challenge goes to *www (owned). */
static long open_stream(mc_client *c, mc_step_result *s, char **www)
{
    mc_hdrs h = {0};
    mc_hdrs_add(&h, "Accept: text/event-stream");
    if (c->access_token)
        mc_hdrs_add(&h, "Authorization: Bearer %s", c->access_token);
    if (c->p->mcp_protocol_header)
        mc_hdrs_add(&h, "MCP-Protocol-Version: %s", c->p->mcp_protocol_version);
    if (c->session_id)
        mc_hdrs_add(&h, "Mcp-Session-Id: %s", c->session_id);
    mc_request rq = {.method = "GET", .url = c->cfg->mcp_url};
    mc_hdrs_apply(&h, &rq);
    mc_http http;
    mc_http_opts o = c->cfg->http;
    o.timeout_ms = 1500;
    mc_http_init(&http, &o);
    mc_response rs;
    mc_exchange *ex = NULL;
    mc_http_do(&http, &rq, &rs, &ex);
    mc_step_add_exchange(s, ex);
    mc_http_cleanup(&http);
    mc_hdrs_free(&h);
    long status = rs.status;
    if (status == 401)
        *www = mc_response_header_all(&rs, "WWW-Authenticate");
    mc_response_free(&rs);
    return status;
}

long mc_mcp_request(mc_client *c, mc_step_result *s, const char *method)
{
    rpc_reply r;
    rpc(c, s, method, NULL, 0, &r);
    long status = r.status;
    reply_free(&r);
    return status;
}

/* Drops what the last authorization and token exchange gave the client, so
 * that they can run again (step-up). */
static void forget_grant(mc_client *c)
{
    char **plain[] = {&c->scope, &c->state, &c->resource};
    char **secret[] = {&c->code, &c->verifier, &c->access_token, &c->refresh_token};
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
        free(*plain[i]);
        *plain[i] = NULL;
    }
    for (size_t i = 0; i < sizeof secret / sizeof *secret; i++) {
        mc_secret_free(*secret[i]);
        *secret[i] = NULL;
    }
}

/* The scopes a step-up re-authorization asks for: the challenged ones, or
 * (2026-07-28, SEP-2350) their union with those already requested. */
static char *step_up_scope(const mc_client *c, const char *challenged)
{
    if (c->p->step_up != 2 || !c->scope || !*c->scope)
        return mc_xstrdup(challenged);
    mc_buf b;
    mc_buf_init(&b, 4096);
    mc_buf_adds(&b, c->scope);
    char *copy = mc_xstrdup(challenged), *save = NULL;
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        char *padded = mc_xasprintf(" %s ", c->scope);
        char *needle = mc_xasprintf(" %s ", t);
        if (!strstr(padded, needle))
            mc_buf_printf(&b, " %s", t);
        free(padded);
        free(needle);
    }
    free(copy);
    return mc_buf_steal(&b);
}

/* Without a count limit (the TypeScript SDK) the harness still stops a
 * client that a server keeps asking for more scope, after this many
 * re-authorizations, and says the real client would go on. */
#define MC_STEP_UP_CAP 10

/* The challenge of a 403 (or a 401 insufficient_scope) to a call with a
 * token: recorded, and the scope set a stepping-up client asks for next
 * (owned, NULL when the challenge names none). */
static char *step_up_challenge(mc_client *c, mc_step_result *s, const char *method,
                               const rpc_reply *r)
{
    mc_step_check(s, c->rev, "mcp.step-up-403", r->status == 403,
                  "%s without the needed scope answered %ld", method, r->status);
    mc_challenges ch;
    const char *err = NULL;
    int parsed = r->www && mc_www_auth_parse(r->www, strlen(r->www), &ch, &err) == 0;
    const mc_challenge *b = parsed ? mc_challenges_find(&ch, "Bearer") : NULL;
    const char *scope = mc_challenge_param(b, "scope");
    const char *error = mc_challenge_param(b, "error");
    int good = error && strcmp(error, "insufficient_scope") == 0 && scope &&
               mc_challenge_param(b, "resource_metadata");
    mc_step_check(s, c->rev, "mcp.step-up-challenge", good, "WWW-Authenticate: %s",
                  r->www ? r->www : "(none)");
    char *want = scope ? step_up_scope(c, scope) : NULL;
    if (parsed)
        mc_challenges_free(&ch);
    return want;
}

static int needs_step_up(const rpc_reply *r)
{
    return r->status == 403 || (r->status == 401 && r->www && strstr(r->www, "insufficient_scope"));
}

/* VS Code (_fetchWithAuthRetry): still refused with a fresh token, it
 * drops its registration, registers and logs in again, once, and retries.
 * Returns 1 when that ends the step-up (*ok: the request got a result), 0
 * when the answer asks for more scope again. */
static int register_anew(mc_client *c, mc_step_result *s, const char *method, json_t *params,
                         rpc_reply *r, int *ok)
{
    reply_free(r);
    memset(r, 0, sizeof *r);
    forget_grant(c);
    char **reg[] = {&c->client_id, &c->redirect_uri, &c->client_auth};
    for (size_t k = 0; k < sizeof reg / sizeof *reg; k++) {
        free(*reg[k]);
        *reg[k] = NULL;
    }
    mc_secret_free(c->client_secret);
    c->client_secret = NULL;
    mc_step_check(s, c->rev, "mcp.step-up-completed", 0,
                  "%s refused again after re-authorizing: the client registers anew", method);
    if (mc_step_registration(c, s) != MC_GO || mc_step_authorization(c, s) != MC_GO ||
        mc_step_token(c, s) != MC_GO)
        return 1;
    rpc(c, s, method, params, 0, r);
    if (!needs_step_up(r)) {
        *ok = r->status == 200 && json_is_object(json_object_get(r->message, "result"));
        if (!*ok)
            mc_step_fail(s, "mcp.step-up-completed",
                         "%s still refused after registering anew (%ld)", method, r->status);
        return 1;
    }
    return 0;
}

/* The client stops stepping up: the same challenge again, its retry limit
 * reached, or mcpcompat's cap for a client without a limit. */
static void give_up(mc_client *c, mc_step_result *s, const char *method, const rpc_reply *r,
                    int tries, int repeated, const char *want)
{
    int limit = c->p->step_up_limit;
    mc_step_check(s, c->rev, "mcp.step-up-completed", 0,
                  "%s refused after %d re-authorization%s (%ld)", method, tries,
                  tries == 1 ? "" : "s", r->status);
    if (repeated)
        mc_step_fail(s, "mcp.step-up-completed",
                     "%s still refused after re-authorizing with \"%s\" (%ld, the same "
                     "challenge again): the client gives up",
                     method, c->www_scope, r->status);
    else if (limit)
        mc_step_fail(s, "mcp.step-up-completed",
                     "%s asked for more scope after each of %d re-authorizations (now "
                     "\"%s\"): the client gives up at its retry limit of %d",
                     method, tries, want, limit);
    else
        mc_step_fail(s, "mcp.step-up-completed",
                     "%s asked for more scope after each of %d re-authorizations (now "
                     "\"%s\"): this client has no retry limit but a repeated challenge "
                     "and would go on; mcpcompat stopped it",
                     method, tries, want);
}

/* One authorized request (tools/list, tools/call); on 403
 * insufficient_scope a client that steps up re-authorizes with the
 * challenged scopes and retries (MCP 2025-11-25 step-up authorization flow;
 * the TypeScript SDK does it for any request), at most its retry limit
 * times, and never for a challenge it already answered (S10-15). Returns 1
 * when the request got a result; *r holds the last answer (free it). */
static int with_step_up(mc_client *c, mc_step_result *s, const char *method, json_t *params,
                        const char *check, rpc_reply *r)
{
    rpc(c, s, method, params, 0, r);
    if (!needs_step_up(r))
        return judge(c, s, check, method, r);
    int limit = c->p->step_up_limit, tries = 0, ok = 0, reregistered = 0;
    char *last = NULL; /* the challenge the last re-authorization answered */
    for (;;) {
        char *want = step_up_challenge(c, s, method, r);
        if (!c->p->step_up || !want) {
            mc_step_fail(s, "mcp.step-up-completed",
                         "%s needs more scope and this client does not step up%s%s", method,
                         want ? ": " : "", want ? want : "");
            free(want);
            break;
        }
        int repeated = last && r->www && strcmp(last, r->www) == 0;
        if ((repeated || (limit && tries == limit)) && tries && c->p->step_up_reregister &&
            !reregistered) {
            /* VS Code (_fetchWithAuthRetry): still refused with a fresh
             * token, it drops its registration, registers and logs in
             * again, once, and retries */
            reregistered = 1;
            free(want);
            if (register_anew(c, s, method, params, r, &ok))
                break;
            continue;
        }
        if (repeated || (limit && tries == limit) || tries == MC_STEP_UP_CAP) {
            give_up(c, s, method, r, tries, repeated, want);
            free(want);
            break;
        }
        /* re-authorize with the new scope set: the same steps, recorded here */
        free(last);
        last = r->www ? mc_xstrdup(r->www) : NULL;
        reply_free(r);
        memset(r, 0, sizeof *r);
        free(c->www_scope);
        c->www_scope = want;
        forget_grant(c);
        tries++;
        if (mc_step_authorization(c, s) != MC_GO || mc_step_token(c, s) != MC_GO)
            break;
        rpc(c, s, method, params, 0, r);
        if (!needs_step_up(r)) {
            ok = r->status == 200 && json_is_object(json_object_get(r->message, "result"));
            mc_step_check(s, c->rev, "mcp.step-up-completed", ok,
                          "%s after %d re-authorization%s answered %ld", method, tries,
                          tries == 1 ? "" : "s", r->status);
            if (!ok)
                mc_step_fail(s, "mcp.step-up-completed",
                             "%s still refused after re-authorizing with \"%s\" (%ld)", method,
                             c->www_scope, r->status);
            break;
        }
    }
    free(last);
    return ok;
}

static char *first_tool(const rpc_reply *r)
{
    json_t *tools = json_object_get(json_object_get(r->message, "result"), "tools");
    return mc_xstrdup(json_string_value(json_object_get(json_array_get(tools, 0), "name")));
}

/* What the client keeps from the answer to its opening request: the session
 * id and the version initialize negotiated (server/discover: 2026-07-28).
 * Returns 1 when the answer carried a result. */
static int keep_opening(mc_client *c, const char *method, rpc_reply *r)
{
    if (r->status != 200 || !json_is_object(json_object_get(r->message, "result")))
        return 0;
    free(c->protocol_version);
    if (strcmp(method, "server/discover") == 0) {
        c->discovered = 1;
        c->protocol_version = mc_xstrdup("2026-07-28");
        return 1;
    }
    free(c->session_id);
    c->session_id = r->session_id;
    r->session_id = NULL;
    /* the version the server chose is the one every later request names */
    const char *chosen = json_string_value(
        json_object_get(json_object_get(r->message, "result"), "protocolVersion"));
    c->protocol_version = chosen ? mc_xstrdup(chosen) : NULL;
    return 1;
}

int mc_mcp_opened(mc_client *c, const char *method, const mc_response *rs)
{
    rpc_reply r = {.status = rs->status};
    r.media = mc_response_media_type(rs);
    r.session_id = mc_response_header(rs, "Mcp-Session-Id");
    if (rs->status == 200 && r.media && rs->body) {
        if (strcmp(r.media, "text/event-stream") == 0)
            r.message = from_sse(rs->body, rs->body_len, 0); /* the probe's id */
        else if (strcmp(r.media, "application/json") == 0)
            r.message = json_loadb(rs->body, rs->body_len, 0, NULL);
    }
    int ok = keep_opening(c, method, &r);
    reply_free(&r);
    return ok;
}

/* initialize, or server/discover first for a client that tries it (Claude
 * Code: a JSON-RPC error means an older server, and it falls back). */
static const char *open_session(mc_client *c, mc_step_result *s, rpc_reply *r)
{
    if (c->p->mcp_discover_first && !c->no_discover) {
        rpc(c, s, "server/discover", NULL, 0, r);
        if ((r->status == 401 && !c->access_token) || keep_opening(c, "server/discover", r))
            return "server/discover";
        reply_free(r);
        c->no_discover = 1;
    }
    json_t *params = json_pack("{s:s, s:{}, s:{s:s, s:s}}", "protocolVersion",
                               c->p->mcp_protocol_version, "capabilities", "clientInfo", "name",
                               "mcpcompat", "version", c->p->client_version);
    rpc(c, s, "initialize", params, 0, r);
    json_decref(params);
    return "initialize";
}

static int stage_skipped(const mc_client *c, int st)
{
    switch (st) {
    case MC_LC_INITIALIZED:
        return c->discovered;
    case MC_LC_STREAM:
        return c->discovered || !c->p->mcp_get_stream;
    case MC_LC_CALL:
        return !(c->p->mcp_call_tool || c->user_calls_tool) || !c->tool;
    }
    return 0;
}

/* Whether the answer to one lifecycle request lets the client go on. With a
 * token it is judged (mcp.*); without one only a result will do, and
 * anything but a result or 401 is a server that refuses without asking for
 * authorization (probe.status-401). */
static int answered(mc_client *c, mc_step_result *s, int st, const char *method, const rpc_reply *r)
{
    int anon = !c->access_token;
    int result = r->status == 200 && json_is_object(json_object_get(r->message, "result"));
    if (st == MC_LC_STREAM || (st == MC_LC_INITIALIZED && !anon))
        return 1; /* a 405 stream, an unjudged notification: the client goes on */
    if (st == MC_LC_INITIALIZED)
        result = r->status >= 200 && r->status < 300;
    if (!anon) {
        if (st != MC_LC_OPEN)
            return 1; /* judged with its step-up */
        if (strcmp(method, "server/discover") == 0)
            return result;
        return judge(c, s, "mcp.initialize", method, r);
    }
    if (result)
        return 1;
    mc_step_check(s, c->rev, "probe.status-401", 0, "unauthenticated %s answered %ld", method,
                  r->status);
    mc_step_fail(s, "probe.status-401",
                 "unauthenticated %s answered %ld, neither a result nor 401: the client stops "
                 "before it authorizes",
                 method, r->status);
    return 0;
}

typedef enum { LC_DONE, LC_AUTH, LC_STOP } lc_rc;

/* The lifecycle from stage from. Without a token the first 401 ends it
 * (LC_AUTH: c->auth_started_at and resume_at name the request, *www is its
 * challenge, owned); with one every answer is judged. LC_STOP: the client
 * stops, the reason recorded in s. */
static lc_rc lifecycle(mc_client *c, mc_step_result *s, int from, char **www)
{
    int anon = !c->access_token;
    for (int st = from; st < MC_LC_DONE; st++) {
        if (stage_skipped(c, st))
            continue;
        rpc_reply r;
        memset(&r, 0, sizeof r);
        static const char *const methods[] = {"initialize", "notifications/initialized", "GET",
                                              "tools/list", "tools/call"};
        const char *method = methods[st];
        if (st == MC_LC_OPEN)
            method = open_session(c, s, &r);
        else if (st == MC_LC_INITIALIZED)
            rpc(c, s, method, NULL, 1, &r);
        else if (st == MC_LC_STREAM)
            r.status = open_stream(c, s, &r.www);
        else {
            json_t *params =
                st == MC_LC_CALL ? json_pack("{s:s, s:{}}", "name", c->tool, "arguments") : NULL;
            if (anon)
                rpc(c, s, method, params, 0, &r);
            else if (!with_step_up(c, s, method, params,
                                   st == MC_LC_CALL ? "mcp.tools-call" : "mcp.tools-list", &r)) {
                json_decref(params);
                reply_free(&r);
                return LC_STOP;
            }
            json_decref(params);
        }
        if (anon && (r.status == 401 || (r.status == 403 && c->p->auth_on_403))) {
            c->auth_started_at = mc_xstrdup(method);
            c->resume_at = st;
            *www = r.www;
            r.www = NULL;
            reply_free(&r);
            return LC_AUTH;
        }
        int ok = answered(c, s, st, method, &r);
        if (ok && st == MC_LC_OPEN)
            keep_opening(c, method, &r);
        if (ok && st == MC_LC_LIST) {
            free(c->tool);
            c->tool = first_tool(&r);
        }
        if (ok && anon && c->npublic < sizeof c->public_requests / sizeof *c->public_requests)
            c->public_requests[c->npublic++] = mc_xstrdup(method);
        reply_free(&r);
        if (!ok)
            return LC_STOP;
    }
    return LC_DONE;
}

int mc_mcp_anonymous(mc_client *c, mc_step_result *s, int from, char **www)
{
    *www = NULL;
    lc_rc rc = lifecycle(c, s, from, www);
    if (rc == LC_DONE && !c->p->mcp_call_tool && c->tool) {
        /* everything the client does by itself was public: its user calls
         * a tool next, and that is where a server like this asks */
        c->user_calls_tool = 1;
        rc = lifecycle(c, s, MC_LC_CALL, www);
    }
    return rc == LC_AUTH ? c->resume_at : rc == LC_DONE ? MC_LC_DONE : -1;
}

mc_step_rc mc_step_mcp_call(mc_client *c, mc_step_result *s)
{
    /* the whole lifecycle, or (authorization started later) from the
     * request that drew the 401, retried with the token in the same
     * session, as the TypeScript SDK's transport does */
    char *www = NULL;
    lc_rc rc = lifecycle(c, s, c->resume_at, &www);
    free(www);
    return rc == LC_STOP ? MC_STOP : MC_GO;
}
