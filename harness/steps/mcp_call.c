/* Step 7: the authorized MCP session over Streamable HTTP: initialize,
 * notifications/initialized, tools/list (JSON or SSE responses). */
#include "steps.h"

#include "../wire/buf.h"
#include "../wire/sse.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    long status;
    json_t *message; /* the JSON-RPC response to our id, owned */
    char *media;
    char *session_id;
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

static void rpc(mc_client *c, mc_step_result *s, const char *method,
                json_t *params, int notify, rpc_reply *out)
{
    memset(out, 0, sizeof *out);
    int id = ++c->json_id;
    json_t *msg = json_pack("{s:s, s:s}", "jsonrpc", "2.0", "method", method);
    if (!notify)
        json_object_set_new(msg, "id", json_integer(id));
    if (params)
        json_object_set(msg, "params", params);
    char *body = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    mc_hdrs h = {0};
    mc_hdrs_add(&h, "Accept: %s", c->p->mcp_accept);
    mc_hdrs_add(&h, "Authorization: Bearer %s", c->access_token);
    /* server/discover is a 2026-07-28 request: it names its revision and
     * method in headers (MCP 2026-07-28 streamable-http) */
    int discover = strcmp(method, "server/discover") == 0;
    if (discover)
        mc_hdrs_add(&h, "MCP-Protocol-Version: 2026-07-28");
    else if (strcmp(method, "initialize") != 0 && c->p->mcp_protocol_header)
        mc_hdrs_add(&h, "MCP-Protocol-Version: %s", c->p->mcp_protocol_version);
    if (c->p->mcp_method_header || discover)
        mc_hdrs_add(&h, "Mcp-Method: %s", method);
    if (c->session_id)
        mc_hdrs_add(&h, "Mcp-Session-Id: %s", c->session_id);
    mc_request rq = {.method = "POST", .url = c->cfg->mcp_url,
                     .content_type = "application/json", .body = body};
    mc_hdrs_apply(&h, &rq);
    mc_response rs;
    mc_exchange *ex = NULL;
    mc_http_do(&c->http, &rq, &rs, &ex);
    mc_step_add_exchange(s, ex);
    mc_hdrs_free(&h);
    free(body);
    out->status = rs.status;
    out->media = mc_response_media_type(&rs);
    out->session_id = mc_response_header(&rs, "Mcp-Session-Id");
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
}

/* Records the check for one request; returns 1 when it got a result. */
static int judge(mc_client *c, mc_step_result *s, const char *check,
                 const char *method, const rpc_reply *r)
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
    mc_step_check(s, c->rev, check, 0, "%s answered %ld%s%s", method, r->status,
                  emsg ? ": " : "", emsg ? emsg : "");
    mc_step_fail(s, check, "authorized %s answered %ld%s%s", method, r->status,
                 emsg ? ": " : r->status == 200 ? " without a JSON-RPC result" : "",
                 emsg ? emsg : "");
    return 0;
}

/* The GET that opens the server-to-client SSE stream; a server without one
 * answers 405. Bounded: a stream that stays open ends the wait. */
static void open_stream(mc_client *c, mc_step_result *s)
{
    mc_hdrs h = {0};
    mc_hdrs_add(&h, "Accept: text/event-stream");
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
    mc_response_free(&rs);
}

mc_step_rc mc_step_mcp_call(mc_client *c, mc_step_result *s)
{
    json_t *params = json_pack("{s:s, s:{}, s:{s:s, s:s}}", "protocolVersion",
                               c->p->mcp_protocol_version, "capabilities", "clientInfo",
                               "name", "mcpcompat", "version", c->p->client_version);
    rpc_reply r;
    if (c->p->mcp_discover_first) {
        /* Claude Code: server/discover (2026-07-28); a JSON-RPC error means an
         * older server, and it falls back to initialize */
        rpc(c, s, "server/discover", NULL, 0, &r);
        int ok = r.status == 200 && json_is_object(json_object_get(r.message, "result"));
        reply_free(&r);
        if (ok) {
            rpc(c, s, "tools/list", NULL, 0, &r);
            ok = judge(c, s, "mcp.tools-list", "tools/list", &r);
            reply_free(&r);
            json_decref(params);
            return ok ? MC_GO : MC_STOP;
        }
    }
    rpc(c, s, "initialize", params, 0, &r);
    json_decref(params);
    int ok = judge(c, s, "mcp.initialize", "initialize", &r);
    c->session_id = r.session_id;
    r.session_id = NULL;
    reply_free(&r);
    if (!ok)
        return MC_STOP;
    rpc(c, s, "notifications/initialized", NULL, 1, &r);
    reply_free(&r);
    if (c->p->mcp_get_stream)
        open_stream(c, s);
    rpc(c, s, "tools/list", NULL, 0, &r);
    ok = judge(c, s, "mcp.tools-list", "tools/list", &r);
    reply_free(&r);
    return ok ? MC_GO : MC_STOP;
}
