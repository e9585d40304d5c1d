/* The HTML report's sequence diagrams: one client's handshake (or the
 * server suite's requests) as arrows between four lanes, each arrow a
 * recorded exchange that opens to its redacted request and response. */
#include "html_int.h"

#include "../harness/wire/url.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* A body is shown up to this many bytes; the JSON report has all of it. */
#define BODY_SHOWN (64 * 1024)

/* The four lanes of a sequence diagram. */
enum { LANE_CLIENT, LANE_BROWSER, LANE_MCP, LANE_AS, LANE_COUNT };
static const char *const lane_names[LANE_COUNT] = {"Client", "Browser", "MCP server",
                                                   "Authorization server"};

/* What a recorded body looks like on the page: capped, JSON indented. */
static char *body_shown(const char *body)
{
    size_t len = strlen(body);
    if (len <= BODY_SHOWN && (*body == '{' || *body == '[')) {
        json_t *j = json_loads(body, 0, NULL);
        char *s = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
        json_decref(j);
        if (s)
            return s;
    }
    if (len <= BODY_SHOWN)
        return mc_xstrdup(body);
    return mc_xasprintf("%.*s\n… (%zu more bytes in the JSON report)", BODY_SHOWN, body,
                        len - BODY_SHOWN);
}

static void pre(W w, const char *s)
{
    if (!s || !*s)
        return;
    char *b = body_shown(s);
    el(w, "pre", NULL, b);
    free(b);
}

/* Which lanes an exchange runs between: the step says who sends it; the
 * server suite's requests go to the MCP server (the target and its resource
 * metadata) or the authorization server (the rest). */
static void lanes_of(mc_step_id step, const mc_exchange *e, const char *target, int *from, int *to)
{
    *from = LANE_CLIENT;
    switch (step) {
    case MC_STEP_PROBE:
    case MC_STEP_PRM:
    case MC_STEP_MCP_CALL:
        *to = LANE_MCP;
        return;
    case MC_STEP_AUTHORIZATION:
        *from = LANE_BROWSER;
        *to = LANE_AS;
        return;
    case MC_STEP_SERVER: {
        char *p = mc_url_path(e->url), *tp = mc_url_path(target);
        *to = (p && tp && strcmp(p, tp) == 0) ||
                      (p && strncmp(p, "/.well-known/oauth-protected-resource", 37) == 0)
                  ? LANE_MCP
                  : LANE_AS;
        free(p);
        free(tp);
        return;
    }
    default:
        *to = LANE_AS;
    }
}

/* One arrow row: from → to, a label, an optional status chip. */
static void arrow(W w, int from, int to, const char *label, const char *code, const char *code_cls)
{
    int lo = from < to ? from : to, hi = from < to ? to : from;
    char cls[48];
    snprintf(cls, sizeof cls, "arrow%s", from > to ? " rev" : "");
    open_el(w, "span", cls);
    char style[48];
    snprintf(style, sizeof style, "grid-column:%d/%d", 2 * lo + 2, 2 * hi + 2);
    attr(w, "style", style);
    el(w, "span", "lbl mono", label);
    if (code)
        el(w, "span", code_cls, code);
    end(w);
}

static void handoff(W w, int from, int to, const char *label)
{
    open_el(w, "div", "row handoff");
    arrow(w, from, to, label, NULL, NULL);
    end(w);
}

static void headers_block(W w, const char *first, const char *headers, const char *body)
{
    char *h = mc_xasprintf("%s\n%s", first, headers ? headers : "");
    el(w, "pre", NULL, h);
    free(h);
    pre(w, body);
}

/* A recorded exchange: the arrow, and (when clicked) its redacted request
 * and response. */
void mc_html_exchange(W w, const mc_exchange *e, mc_step_id step, const char *target, int failing,
                      const char *id)
{
    int from, to;
    lanes_of(step, e, target, &from, &to);
    open_el(w, "details", failing ? "msg fail" : "msg");
    attr(w, "id", id);
    if (failing)
        attr(w, "data-failing", "1");
    attr(w, "data-step", mc_step_names[step]);
    char *path = mc_url_path(e->url);
    char *label = mc_xasprintf("%s %s", e->method, path ? path : e->url);
    char code[32];
    const char *code_cls = "code err";
    /* the GET that opens the SSE stream: a stream left open (the wait ends)
     * or 405 (the server offers none) is the server working as allowed */
    int stream = step == MC_STEP_MCP_CALL && !strcmp(e->method, "GET") && !failing;
    if (stream && e->error && strstr(e->error, "timed out")) {
        snprintf(code, sizeof code, "stream open");
        code_cls = "code ok";
    } else if (stream && e->status == 405) {
        snprintf(code, sizeof code, "405 no stream");
        code_cls = "code ok";
    } else if (e->error)
        snprintf(code, sizeof code, "no response");
    else {
        snprintf(code, sizeof code, "%ld", e->status);
        /* red only where the client stopped: a 401 to the first request is
         * the handshake working */
        code_cls = e->status < 300   ? "code ok"
                   : e->status < 400 ? "code redir"
                   : failing         ? "code err"
                                     : "code other";
    }
    open_el(w, "summary", "row");
    char *title = mc_xasprintf("%s → %s: %s %s, %.0f ms (click for the request and response)",
                               lane_names[from], lane_names[to], label, code, e->ms);
    attr(w, "title", title);
    free(title);
    arrow(w, from, to, label, code, code_cls);
    free(label);
    free(path);
    end(w); /* summary */
    open_el(w, "div", "ex");
    open_el(w, "div", NULL);
    el(w, "h4", NULL, "Request");
    char *first = mc_xasprintf("%s %s", e->method, e->url);
    headers_block(w, first, e->request_headers, e->request_body);
    free(first);
    end(w);
    open_el(w, "div", NULL);
    el(w, "h4", NULL, "Response");
    if (e->error) {
        char *m = mc_xasprintf("no response: %s", e->error);
        el(w, "pre", NULL, m);
        free(m);
    } else {
        char *st = mc_xasprintf("%ld (%.0f ms)", e->status, e->ms);
        headers_block(w, st, e->response_headers, e->response_body);
        free(st);
    }
    end(w);
    end(w); /* .ex */
    end(w); /* details */
}

static void step_band(W w, const mc_step_result *s, int broke_here, const char *id)
{
    mc_status st = shown_status(s);
    char cls[32];
    snprintf(cls, sizeof cls, "band %s", broke_here ? "fail" : status_class(st));
    open_el(w, "div", cls);
    attr(w, "id", id);
    attr(w, "data-step", mc_step_names[s->id]);
    el(w, "b", NULL, mc_step_names[s->id]);
    el(w, "span", NULL, broke_here ? "BROKE" : st == MC_SKIP ? "not reached" : mc_status_name(st));
    if (broke_here) {
        char *m = mc_xasprintf("%s: %s", s->failed_check ? s->failed_check : "error",
                               s->reason ? s->reason : "");
        el(w, "span", "why", m);
        free(m);
    }
    end(w);
}

/* A diagram's frame and lane heads; the caller ends it. */
void mc_html_lanes(W w, const char *client)
{
    open_el(w, "div", "seq");
    open_el(w, "div", "lanes");
    for (int l = 0; l < LANE_COUNT; l++)
        el(w, "div", "lane", l == LANE_CLIENT ? client : lane_names[l]);
    end(w);
}

/* The sequence diagram of one client's handshake, step by step. */
static void diagram(W w, const mc_profile_run *p, const char *target)
{
    mc_html_lanes(w, p->client);
    for (int i = 0; i < p->nsteps; i++) {
        const mc_step_result *s = &p->steps[i];
        int broke_here = p->broke && p->failed_at == i;
        char *bid = anchor("c-", p->profile_id, NULL);
        char *sid = mc_xasprintf("%s-%s", bid, mc_step_names[s->id]);
        step_band(w, s, broke_here, sid);
        if (s->id == MC_STEP_AUTHORIZATION && s->status != MC_SKIP)
            handoff(w, LANE_CLIENT, LANE_BROWSER, "opens the authorization URL");
        for (size_t k = 0; k < s->nexchanges; k++) {
            char *xid = mc_xasprintf("%s-%zu", sid, k + 1);
            mc_html_exchange(w, s->exchanges[k], s->id, target,
                             broke_here && k + 1 == s->nexchanges, xid);
            free(xid);
        }
        if (broke_here && !s->nexchanges) {
            /* the client stopped before sending anything: the request it
             * could not make, crossed out */
            open_el(w, "div", "row missing");
            attr(w, "data-failing", "1");
            attr(w, "data-step", mc_step_names[s->id]);
            int from, to;
            lanes_of(s->id, NULL, target, &from, &to);
            char *l = mc_xasprintf("%s: no request sent", mc_step_names[s->id]);
            arrow(w, from, to, l, NULL, NULL);
            free(l);
            end(w);
        }
        if (s->id == MC_STEP_AUTHORIZATION && s->status == MC_PASS)
            handoff(w, LANE_BROWSER, LANE_CLIENT, "redirect with the code");
        free(sid);
        free(bid);
    }
    end(w);
}

/* One client's section: its head, its steps, its sequence diagram. */
void mc_html_client_section(W w, const mc_profile_run *p, const char *target)
{
    char *id = anchor("client-", p->profile_id, NULL);
    open_el(w, "section", "client");
    attr(w, "id", id);
    attr(w, "data-profile", p->profile_id);
    attr(w, "data-result", mc_profile_result_name(p));
    open_el(w, "div", "client-head");
    char name[160];
    mc_client_name(p, name, sizeof name);
    el(w, "h3", NULL, name);
    el(w, "span", badge_class(p), badge_text(p));
    el(w, "span", "muted mono small", p->profile_id);
    end(w);
    if (p->note)
        el(w, "div", "note", p->note);
    open_el(w, "div", "steps");
    char *bid = anchor("c-", p->profile_id, NULL);
    for (int i = 0; i < p->nsteps; i++) {
        const mc_step_result *s = &p->steps[i];
        int broke_here = p->broke && p->failed_at == i;
        char *href = mc_xasprintf("#%s-%s", bid, mc_step_names[s->id]);
        link(w, href, broke_here ? "fail" : status_class(shown_status(s)), mc_step_names[s->id]);
        free(href);
    }
    free(bid);
    end(w);
    diagram(w, p, target);
    end(w);
    free(id);
}
