/* The HTML report: one self-contained page through libxml2's xmlTextWriter
 * (library escaping of every string; the target's strings only ever become
 * text or attribute values). The page's own style and script are constants;
 * a Content-Security-Policy allows that script by its hash and nothing
 * else: no network access, no other script, even if a string slipped
 * through. */
#include "reports.h"

#include "../harness/wire/url.h"

#include <jansson.h>
#include <libxml/xmlwriter.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A body is shown up to this many bytes; the JSON report has all of it. */
#define BODY_SHOWN (64 * 1024)

/* The four lanes of a sequence diagram. */
enum { LANE_CLIENT, LANE_BROWSER, LANE_MCP, LANE_AS, LANE_COUNT };
static const char *const lane_names[LANE_COUNT] = {"Client", "Browser", "MCP server",
                                                   "Authorization server"};

/* The style, in pieces (C11 caps a string literal's length). */
static const char *const css[] = {
    ":root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;"
    "--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--warn:#9a6700;"
    "--warn-bg:#fff8c5;--skip:#818b98;--accent:#0969da}"
    "*{box-sizing:border-box}"
    "body{margin:0;font:14px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',"
    "Arial,sans-serif;color:var(--fg);background:var(--soft)}"
    "header{background:#24292f;color:#fff;padding:20px 32px}"
    "header h1{margin:0;font-size:20px;font-weight:600;letter-spacing:.2px}",
    "header .sub{color:#c9d1d9;margin-top:4px;word-break:break-all}"
    ".chips{margin-top:12px;display:flex;gap:8px;flex-wrap:wrap}"
    ".chip{border-radius:999px;padding:2px 10px;font-size:12px;font-weight:600;"
    "background:#3d444d;color:#fff}"
    ".chip.pass{background:var(--pass)}.chip.broke{background:var(--fail)}"
    "main{max-width:1180px;margin:0 auto;padding:24px 32px 64px}"
    "section{background:var(--bg);border:1px solid var(--line);border-radius:8px;"
    "padding:16px 20px;margin-bottom:20px}",
    "h2{font-size:16px;margin:0 0 12px}h3{font-size:15px;margin:0}"
    "table{border-collapse:collapse;width:100%}"
    "th{text-align:left;font-size:12px;text-transform:uppercase;letter-spacing:.4px;"
    "color:var(--muted);font-weight:600;border-bottom:1px solid var(--line);padding:6px 8px}"
    "td{border-bottom:1px solid var(--line);padding:7px 8px;vertical-align:top}"
    "tr:last-child td{border-bottom:0}"
    "a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}"
    "code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono',",
    "monospace;font-size:12.5px}"
    ".badge{display:inline-block;white-space:nowrap;min-width:52px;text-align:center;border-radius:"
    "4px;"
    "padding:1px 6px;font-size:12px;font-weight:700;letter-spacing:.3px}"
    ".badge.pass{color:var(--pass);background:var(--pass-bg)}"
    ".badge.broke,.badge.fail{color:var(--fail);background:var(--fail-bg)}"
    ".badge.warn{color:var(--warn);background:var(--warn-bg)}"
    ".badge.skip,.badge.error{color:var(--skip);background:var(--soft)}"
    ".muted{color:var(--muted)}.small{font-size:12px}",
    ".why{max-width:560px;overflow-wrap:anywhere}.remedy{color:var(--muted);font-size:12.5px;"
    "margin-top:2px}"
    ".finding{border-left:3px solid var(--warn);padding:6px 12px;margin:10px 0}"
    ".finding.FAIL,.finding.BROKE{border-color:var(--fail)}"
    ".finding dl{display:grid;grid-template-columns:80px 1fr;gap:2px 12px;margin:6px 0 0}"
    ".finding dt{color:var(--muted);font-size:12px}.finding dd{margin:0}"
    ".client{scroll-margin-top:12px}"
    ".client-head{display:flex;align-items:center;gap:12px;flex-wrap:wrap}"
    ".steps{display:flex;gap:4px;flex-wrap:wrap;margin:10px 0 14px}",
    ".steps a{font-size:12px;border-radius:4px;padding:2px 8px;border:1px solid var(--line);"
    "color:var(--fg)}"
    ".steps .pass{background:var(--pass-bg);border-color:#aceebb}"
    ".steps .warn{background:var(--warn-bg);border-color:#f5e0a0}"
    ".steps .fail{background:var(--fail);border-color:var(--fail);color:#fff;font-weight:600}"
    ".steps .skip{color:var(--skip);border-style:dashed}"
    ".note{background:var(--warn-bg);border-radius:6px;padding:6px 10px;margin:8px 0}"
    ".seq{border:1px solid var(--line);border-radius:6px;overflow:hidden}",
    ".lanes,.row{display:grid;grid-template-columns:repeat(8,1fr)}"
    ".lanes{background:var(--soft);border-bottom:1px solid var(--line);padding:8px 0}"
    ".lane{grid-column:span 2;text-align:center;font-weight:600;font-size:12.5px}"
    ".row,.band{background-image:linear-gradient(90deg,transparent calc(12.5% - 1px),#d8dee4 "
    "calc(12.5% - 1px),#d8dee4 calc(12.5% + 1px),transparent calc(12.5% + 1px),transparent "
    "calc(37.5% - 1px),#d8dee4 calc(37.5% - 1px),#d8dee4 calc(37.5% + 1px),transparent "
    "calc(37.5% + 1px),transparent calc(62.5% - 1px),#d8dee4 calc(62.5% - 1px),#d8dee4 "
    "calc(62.5% + 1px),transparent calc(62.5% + 1px),transparent calc(87.5% - 1px),#d8dee4 ",
    "calc(87.5% - 1px),#d8dee4 calc(87.5% + 1px),transparent calc(87.5% + 1px))}"
    ".band{display:flex;gap:10px;align-items:baseline;padding:5px 10px;font-size:12px;"
    "border-top:1px dashed var(--line);color:var(--muted);scroll-margin-top:12px}"
    ".band b{color:var(--fg);text-transform:uppercase;letter-spacing:.5px;font-size:11px;"
    "background:var(--bg);padding:0 4px}"
    ".band.fail{background-color:var(--fail-bg);color:var(--fail)}"
    ".band.fail b{color:var(--fail);background:var(--fail-bg)}"
    ".band.fail{background-image:none}.band.skip{opacity:.55}",
    "details.msg>summary{list-style:none;cursor:pointer;padding:0}"
    "details.msg>summary::-webkit-details-marker{display:none}"
    "details.msg>summary:hover .arrow{color:var(--accent)}"
    ".arrow{position:relative;height:34px;border-bottom:2px solid currentColor;color:#57606a;"
    "display:flex;align-items:flex-end;justify-content:center;gap:6px;padding-bottom:2px;"
    "margin-bottom:8px;white-space:nowrap;min-width:0}"
    ".arrow::after{content:'';position:absolute;bottom:-6px;right:-1px;border-left:10px solid "
    "currentColor;border-top:5px solid transparent;border-bottom:5px solid transparent}",
    ".arrow.rev::after{right:auto;left:-1px;border-left:0;border-right:10px solid currentColor}"
    ".arrow .lbl{color:var(--fg);overflow:hidden;text-overflow:ellipsis;background:var(--bg);"
    "padding:0 4px;border-radius:3px}"
    ".arrow .code{font-weight:700;border-radius:3px;padding:0 5px;font-size:11.5px}"
    ".code.ok{color:var(--pass);background:var(--pass-bg)}"
    ".code.redir{color:var(--accent);background:#ddf4ff}"
    ".code.err{color:var(--fail);background:var(--fail-bg)}"
    ".code.other{color:#57606a;background:#eaeef2}"
    ".handoff .arrow{border-bottom-style:dotted;color:#8c959f;height:28px}",
    ".handoff .lbl{color:var(--muted);font-style:italic}"
    ".msg[open] .arrow{color:var(--accent)}"
    ".msg.fail .arrow,.missing .arrow{color:var(--fail);border-bottom-width:3px}"
    ".missing .arrow{border-bottom-style:dashed}"
    ".msg.fail .lbl::before,.missing .lbl::before{content:'\\2715  ';color:var(--fail);"
    "font-weight:700}"
    ".ex{grid-column:1/-1;margin:0 10px 10px;border:1px solid var(--line);border-radius:6px;"
    "background:var(--soft);padding:8px 12px;display:grid;grid-template-columns:1fr 1fr;gap:12px}",
    ".ex h4{margin:0 0 4px;font-size:12px;color:var(--muted);text-transform:uppercase}"
    ".ex pre{margin:0 0 6px;white-space:pre-wrap;word-break:break-all;background:var(--bg);"
    "border:1px solid var(--line);border-radius:4px;padding:6px 8px;max-height:360px;"
    "overflow:auto}"
    ".toolbar{float:right}.toolbar button{font:inherit;font-size:12px;border:1px solid "
    "var(--line);background:var(--bg);border-radius:6px;padding:2px 10px;cursor:pointer;"
    "margin-left:6px}"
    ".heat td.cell{text-align:center;padding:4px}",
    ".heat a,.heat span.ok{display:block;border-radius:4px;padding:4px 6px;font-weight:600;"
    "font-size:12.5px}"
    ".heat span.ok{background:var(--pass-bg);color:var(--pass)}"
    ".heat a.broke{background:var(--fail);color:#fff}"
    ".heat th.pol{text-align:center}.heat td.name{white-space:nowrap;padding-right:16px}"
    ".suite-head{margin:18px 0 8px}.policies{margin-top:14px}.policies td{padding:3px 8px}"
    ":target{outline:2px solid var(--accent);outline-offset:2px}"
    "footer{color:var(--muted);font-size:12px;text-align:center;margin-top:24px}"
    "@media print{.toolbar{display:none}body{background:#fff}}",
};

/* Marks the page as rendered, expands or collapses every exchange, opens
 * the exchange a link points at. */
static const char script[] =
    "(function(){var d=document;d.documentElement.setAttribute('data-ready','1');"
    "function all(o){d.querySelectorAll('details.msg').forEach(function(x){x.open=o;});}"
    "d.querySelectorAll('button[data-expand]').forEach(function(b){"
    "b.addEventListener('click',function(){all(b.getAttribute('data-expand')==='1');});});"
    "function hash(){var e=location.hash?d.getElementById(location.hash.slice(1)):null;"
    "if(e&&e.tagName==='DETAILS')e.open=true;}"
    "addEventListener('hashchange',hash);hash();})();";

typedef xmlTextWriterPtr W;

/* Every string reaches the page through these: valid UTF-8 first, then the
 * writer's escaping. */
static void attr(W w, const char *name, const char *value)
{
    char *v = mc_xml_safe(value);
    xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST v);
    free(v);
}

static void text(W w, const char *s)
{
    char *v = mc_xml_safe(s);
    xmlTextWriterWriteString(w, BAD_CAST v);
    free(v);
}

static void textf(W w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void textf(W w, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    text(w, tmp);
}

/* <name class="cls"> (cls may be NULL). */
static void open_el(W w, const char *name, const char *cls)
{
    xmlTextWriterStartElement(w, BAD_CAST name);
    if (cls)
        attr(w, "class", cls);
}

/* HTML has no self-closing elements but the void ones: always </name>. */
static void end(W w)
{
    xmlTextWriterFullEndElement(w);
}

static void el(W w, const char *name, const char *cls, const char *s)
{
    open_el(w, name, cls);
    text(w, s ? s : "");
    end(w);
}

static void link(W w, const char *href, const char *cls, const char *s)
{
    open_el(w, "a", cls);
    attr(w, "href", href);
    text(w, s);
    end(w);
}

/* <section id="id"><h2>heading</h2>: the caller ends the section. */
static void section(W w, const char *id, const char *heading)
{
    open_el(w, "section", NULL);
    attr(w, "id", id);
    el(w, "h2", NULL, heading);
}

/* A section of one run's: its id is name, then sfx (several runs on a page
 * have one each). */
static void run_section(W w, const char *name, const char *sfx, const char *heading)
{
    char *id = mc_xasprintf("%s%s", name, sfx);
    section(w, id, heading);
    free(id);
}

/* prefix, then s as an id usable as a fragment (its characters outside
 * [A-Za-z0-9._-] become '-'), then suffix; owned. */
static char *anchor(const char *prefix, const char *s, const char *suffix)
{
    char *a = mc_xasprintf("%s%s%s", prefix, s, suffix ? suffix : "");
    for (char *p = a + strlen(prefix); *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            *p = '-';
    return a;
}

static const char *status_class(mc_status st)
{
    return mc_status_name(st); /* pass, fail, warn, skip, error */
}

static mc_status shown_status(const mc_step_result *s)
{
    return s->status == MC_PASS ? mc_step_summary(s) : s->status;
}

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
static void exchange(W w, const mc_exchange *e, mc_step_id step, const char *target, int failing,
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
    if (e->error)
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
static void lanes(W w, const char *client)
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
    lanes(w, p->client);
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
            exchange(w, s->exchanges[k], s->id, target, broke_here && k + 1 == s->nexchanges, xid);
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

static void client_section(W w, const mc_profile_run *p, const char *target)
{
    char *id = anchor("client-", p->profile_id, NULL);
    open_el(w, "section", "client");
    attr(w, "id", id);
    attr(w, "data-profile", p->profile_id);
    attr(w, "data-result", p->broke ? "broke" : "pass");
    open_el(w, "div", "client-head");
    char *name = mc_xasprintf("%s %s", p->client, p->client_version);
    el(w, "h3", NULL, name);
    free(name);
    el(w, "span", p->broke ? "badge broke" : "badge pass", p->broke ? "BROKE" : "PASS");
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

static void scoreboard(W w, const mc_run_result *r, const char *heading, const char *sfx)
{
    int exp = 0;
    for (size_t i = 0; i < r->nruns; i++)
        exp |= r->runs[i].expected != NULL;
    run_section(w, "scoreboard", sfx, heading);
    open_el(w, "table", "scoreboard");
    open_el(w, "thead", NULL);
    open_el(w, "tr", NULL);
    const char *cols[] = {"Client", "Result", "Failed at", "Why", exp ? "Expected" : NULL};
    for (size_t c = 0; c < 5 && cols[c]; c++)
        el(w, "th", NULL, cols[c]);
    end(w);
    end(w);
    open_el(w, "tbody", NULL);
    for (size_t i = 0; i < r->nruns; i++) {
        const mc_profile_run *p = &r->runs[i];
        const mc_step_result *f = p->broke ? &p->steps[p->failed_at] : NULL;
        open_el(w, "tr", "client-row");
        attr(w, "data-profile", p->profile_id);
        attr(w, "data-result", p->broke ? "broke" : "pass");
        attr(w, "data-failed-at", f ? mc_step_names[f->id] : "");
        open_el(w, "td", NULL);
        char *href = anchor("#client-", p->profile_id, NULL);
        char *name = mc_xasprintf("%s %s", p->client, p->client_version);
        link(w, href, NULL, name);
        free(name);
        free(href);
        end(w);
        open_el(w, "td", NULL);
        el(w, "span", p->broke ? "badge broke" : "badge pass", p->broke ? "BROKE" : "PASS");
        end(w);
        open_el(w, "td", "mono");
        if (f) {
            char *bid = anchor("#c-", p->profile_id, NULL);
            /* to the exchange it stopped at, opened; else to the step */
            char *sh = f->nexchanges
                           ? mc_xasprintf("%s-%s-%zu", bid, mc_step_names[f->id], f->nexchanges)
                           : mc_xasprintf("%s-%s", bid, mc_step_names[f->id]);
            link(w, sh, NULL, mc_step_names[f->id]);
            free(sh);
            free(bid);
        }
        end(w);
        open_el(w, "td", "why");
        if (f) {
            el(w, "div", "mono small", f->failed_check ? f->failed_check : "error");
            el(w, "div", NULL, f->reason ? f->reason : "");
            const mc_check_def *d = f->failed_check ? mc_check_find(f->failed_check) : NULL;
            if (p->remedy || d) {
                char *m = mc_xasprintf("Remedy: %s", p->remedy ? p->remedy : d->remedy);
                el(w, "div", "remedy", m);
                free(m);
            }
        }
        if (p->note)
            el(w, "div", "remedy", p->note);
        end(w);
        if (exp) {
            open_el(w, "td", NULL);
            if (p->expected)
                el(w, "span", p->as_expected ? "badge pass" : "badge broke",
                   p->as_expected ? "as expected" : "DIFFERS");
            if (p->expected && !p->as_expected)
                el(w, "div", "small mono", p->expected);
            end(w);
        }
        end(w);
    }
    if (r->server_ran) {
        int bad, warn;
        mc_count_checks(&r->server, &bad, &warn);
        open_el(w, "tr", "server-row");
        open_el(w, "td", NULL);
        char *href = mc_xasprintf("#server%s", sfx);
        link(w, href, NULL, "Server suite");
        free(href);
        end(w);
        open_el(w, "td", NULL);
        el(w, "span", bad ? "badge fail" : "badge pass", bad ? "FAIL" : "PASS");
        end(w);
        el(w, "td", NULL, "");
        open_el(w, "td", NULL);
        textf(w, "%d failed, %d warnings", bad, warn);
        end(w);
        if (exp)
            el(w, "td", NULL, "");
        end(w);
    }
    end(w); /* tbody */
    end(w); /* table */
    end(w); /* section */
}

static void findings_section(W w, const mc_run_result *r, const char *sfx)
{
    mc_findings f;
    mc_findings_collect(&f, r);
    if (!f.n) {
        mc_findings_free(&f);
        return;
    }
    run_section(w, "findings", sfx, "Findings");
    static const char *const order[] = {"BROKE", "FAIL", "WARN"};
    for (size_t o = 0; o < 3; o++) {
        for (size_t i = 0; i < f.n; i++) {
            const mc_finding *x = &f.items[i];
            if (strcmp(x->label, order[o]) != 0)
                continue;
            char cls[32];
            snprintf(cls, sizeof cls, "finding %s", x->label);
            open_el(w, "div", cls);
            open_el(w, "div", NULL);
            el(w, "span", o < 2 ? "badge fail" : "badge warn", x->label);
            text(w, " ");
            char *what = mc_xasprintf("%s/%s", x->step, x->def ? x->def->id : "error");
            el(w, "code", NULL, what);
            free(what);
            text(w, ": ");
            text(w, x->message);
            end(w);
            open_el(w, "dl", NULL);
            el(w, "dt", NULL, "seen by");
            el(w, "dd", "mono", x->who.data);
            if (x->stopped.len) {
                el(w, "dt", NULL, "stopped");
                el(w, "dd", "mono", x->stopped.data);
            }
            if (x->def && x->keyword) {
                el(w, "dt", NULL, "expected");
                char *e = mc_xasprintf("%s (%s %s)", x->def->summary, x->keyword, x->rev);
                el(w, "dd", NULL, e);
                free(e);
            }
            if (x->def) {
                el(w, "dt", NULL, "reference");
                el(w, "dd", "mono", x->def->ref);
                el(w, "dt", NULL, "remedy");
                el(w, "dd", NULL, x->def->remedy);
            }
            end(w); /* dl */
            end(w); /* finding */
        }
    }
    end(w);
    mc_findings_free(&f);
}

static void server_section(W w, const mc_run_result *r, const char *sfx)
{
    if (!r->server_ran)
        return;
    run_section(w, "server", sfx, "Server suite");
    if (r->server.reason)
        el(w, "div", "note", r->server.reason);
    open_el(w, "table", NULL);
    open_el(w, "tr", NULL);
    const char *cols[] = {"Status", "Check", "Keyword", "Reference", "Observed"};
    for (size_t c = 0; c < 5; c++)
        el(w, "th", NULL, cols[c]);
    end(w);
    for (size_t i = 0; i < r->server.nchecks; i++) {
        const mc_check_result *c = &r->server.checks[i];
        char cls[16];
        snprintf(cls, sizeof cls, "badge %s", status_class(c->status));
        open_el(w, "tr", NULL);
        attr(w, "data-check", c->def->id);
        attr(w, "data-status", mc_status_name(c->status));
        open_el(w, "td", NULL);
        el(w, "span", cls, mc_status_name(c->status));
        end(w);
        el(w, "td", "mono small", c->def->id);
        el(w, "td", "small", mc_keyword_name(c->keyword));
        el(w, "td", "mono small", c->def->ref);
        el(w, "td", NULL, c->message);
        end(w);
    }
    end(w);
    if (r->server.nexchanges) {
        /* the suite's own requests, each to the party it probes */
        el(w, "h3", "suite-head", "The suite's requests");
        lanes(w, "mcpcompat");
        for (size_t k = 0; k < r->server.nexchanges; k++) {
            char *xid = mc_xasprintf("server%s-%zu", sfx, k + 1);
            exchange(w, r->server.exchanges[k], MC_STEP_SERVER, r->target, 0, xid);
            free(xid);
        }
        end(w);
    }
    end(w);
}

/* Begins the page: doctype, head with the policy, style and title. */
static W page_begin(const char *path, const char *title, FILE **f)
{
    /* opened here so that a bad path is one line from the caller, not
     * libxml2's own messages */
    *f = fopen(path, "w");
    if (!*f)
        return NULL;
    W w = xmlNewTextWriter(xmlOutputBufferCreateFile(*f, NULL));
    if (!w) {
        fclose(*f);
        return NULL;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_Digest(script, strlen(script), md, &mdlen, EVP_sha256(), NULL);
    char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
    EVP_EncodeBlock((unsigned char *)b64, md, (int)mdlen);
    char *csp = mc_xasprintf("default-src 'none'; style-src 'unsafe-inline'; "
                             "script-src 'sha256-%s'; base-uri 'none'; form-action 'none'",
                             b64);
    xmlTextWriterWriteRaw(w, BAD_CAST "<!DOCTYPE html>\n");
    open_el(w, "html", NULL);
    attr(w, "lang", "en");
    open_el(w, "head", NULL);
    open_el(w, "meta", NULL);
    attr(w, "charset", "utf-8");
    xmlTextWriterEndElement(w);
    open_el(w, "meta", NULL);
    attr(w, "http-equiv", "Content-Security-Policy");
    attr(w, "content", csp);
    xmlTextWriterEndElement(w);
    free(csp);
    open_el(w, "meta", NULL);
    attr(w, "name", "viewport");
    attr(w, "content", "width=device-width, initial-scale=1");
    xmlTextWriterEndElement(w);
    el(w, "title", NULL, title);
    open_el(w, "style", NULL);
    for (size_t i = 0; i < sizeof css / sizeof *css; i++)
        xmlTextWriterWriteRaw(w, BAD_CAST css[i]); /* constants without '<' */
    end(w);
    end(w); /* head */
    open_el(w, "body", NULL);
    return w;
}

/* Ends the page with the script; 0, or -1 when the file could not be
 * written. */
static int page_end(W w, FILE *f)
{
    open_el(w, "footer", NULL);
    text(w, "mcpcompat: secrets are redacted; the JSON report (--json) has every byte.");
    end(w);
    open_el(w, "script", NULL);
    xmlTextWriterWriteRaw(w, BAD_CAST script); /* a constant, allowed by its hash */
    end(w);
    end(w); /* body */
    end(w); /* html */
    int rc = xmlTextWriterWriteRaw(w, BAD_CAST "\n") < 0 ? -1 : 0;
    rc |= xmlTextWriterFlush(w) < 0 ? -1 : 0;
    xmlFreeTextWriter(w);
    rc |= fclose(f) != 0 ? -1 : 0;
    return rc;
}

static void header(W w, const char *title, const char *sub, int pass, int broke)
{
    open_el(w, "header", NULL);
    el(w, "h1", NULL, title);
    el(w, "div", "sub", sub);
    open_el(w, "div", "chips");
    if (pass >= 0) {
        char *s = mc_xasprintf("%d passed", pass);
        el(w, "span", "chip pass", s);
        free(s);
        s = mc_xasprintf("%d broke", broke);
        el(w, "span", "chip broke", s);
        free(s);
    }
    end(w);
    end(w);
}

static void toolbar(W w)
{
    open_el(w, "span", "toolbar");
    open_el(w, "button", NULL);
    attr(w, "type", "button");
    attr(w, "data-expand", "1");
    text(w, "Expand all exchanges");
    end(w);
    open_el(w, "button", NULL);
    attr(w, "type", "button");
    attr(w, "data-expand", "0");
    text(w, "Collapse all");
    end(w);
    end(w);
}

static void clients_section(W w, const mc_run_result *r, const char *sfx)
{
    char *id = mc_xasprintf("handshakes%s", sfx);
    open_el(w, "section", NULL);
    attr(w, "id", id);
    free(id);
    toolbar(w);
    el(w, "h2", NULL, "Handshakes");
    el(w, "p", "muted small",
       "Each client's handshake as it was recorded: click an arrow for its request and "
       "response (secrets redacted). The step where a client broke and its last exchange are "
       "marked in red.");
    end(w);
    for (size_t i = 0; i < r->nruns; i++)
        client_section(w, &r->runs[i], r->target);
}

static void compare_table(W w, const mc_run_result *const *runs, size_t n)
{
    section(w, "compare", "Side by side: each revision's reference client, judged by its revision");
    open_el(w, "table", "compare");
    open_el(w, "tr", NULL);
    el(w, "th", NULL, "Step / check");
    for (size_t k = 0; k < n; k++)
        el(w, "th", NULL, mc_rev_names[runs[k]->rev]);
    end(w);
    for (int step = 0; step <= MC_STEP_COUNT; step++) {
        int any = step == MC_STEP_COUNT;
        for (size_t k = 0; k < n && !any; k++)
            any |= runs[k]->nruns && step < runs[k]->runs[0].nsteps;
        if (!any)
            continue;
        open_el(w, "tr", NULL);
        el(w, "td", NULL, step == MC_STEP_COUNT ? "server suite" : mc_step_names[step]);
        for (size_t k = 0; k < n; k++) {
            const char *cell;
            if (step == MC_STEP_COUNT) {
                int bad = 0;
                for (size_t c = 0; c < runs[k]->server.nchecks; c++)
                    bad += runs[k]->server.checks[c].status == MC_FAIL;
                cell = !runs[k]->server_ran ? "-" : bad ? "fail" : "pass";
            } else
                cell = mc_compare_step_cell(runs[k], step);
            open_el(w, "td", NULL);
            const char *cls = !strcmp(cell, "BROKE")  ? "badge broke"
                              : !strcmp(cell, "fail") ? "badge fail"
                              : !strcmp(cell, "warn") ? "badge warn"
                              : !strcmp(cell, "pass") ? "badge pass"
                                                      : "badge skip";
            el(w, "span", cls, cell);
            end(w);
        }
        end(w);
        for (size_t c = 0; c < mc_checks_count; c++) {
            if ((int)mc_checks[c].step != step || !mc_compare_differs(runs, n, mc_checks[c].id))
                continue;
            open_el(w, "tr", NULL);
            el(w, "td", "mono small", mc_checks[c].id);
            for (size_t k = 0; k < n; k++) {
                const char *cell = mc_compare_check_cell(runs[k], mc_checks[c].id);
                el(w, "td", "small", *cell ? cell : "(not reached)");
            }
            end(w);
        }
    }
    end(w);
    end(w);
}

static void count(const mc_run_result *const *runs, size_t n, int *pass, int *broke)
{
    *pass = *broke = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < runs[k]->nruns; i++)
            *(runs[k]->runs[i].broke ? broke : pass) += 1;
}

int mc_report_html(const char *path, const mc_run_result *const *runs, size_t n)
{
    const mc_run_result *r0 = runs[0];
    char *title = mc_xasprintf("mcpcompat %s: %s", r0->tool_version, r0->target);
    FILE *f;
    W w = page_begin(path, title, &f);
    if (!w) {
        free(title);
        return -1;
    }
    int pass, broke;
    count(runs, n, &pass, &broke);
    char *sub = n == 1 ? mc_xasprintf("%s, judged by MCP %s", r0->target, mc_rev_names[r0->rev])
                       : mc_xasprintf("%s, each revision's reference client", r0->target);
    header(w, "mcpcompat report", sub, pass, broke);
    free(sub);
    free(title);
    open_el(w, "main", NULL);
    if (n > 1)
        compare_table(w, runs, n);
    for (size_t k = 0; k < n; k++) {
        const mc_run_result *r = runs[k];
        char *h = n == 1 ? mc_xstrdup("Scoreboard") : mc_xasprintf("MCP %s", mc_rev_names[r->rev]);
        char *sfx = n == 1 ? mc_xstrdup("") : mc_xasprintf("-%s", mc_rev_names[r->rev]);
        scoreboard(w, r, h, sfx);
        free(h);
        findings_section(w, r, sfx);
        server_section(w, r, sfx);
        clients_section(w, r, sfx);
        free(sfx);
    }
    end(w); /* main */
    return page_end(w, f);
}

/* Short step names for narrow cells (as in the text matrix). */
static const char *const short_steps[] = {"probe", "prm",   "asm", "reg",
                                          "authz", "token", "mcp", "refr"};

/* A column's name: its persona (--as), its quirks, or the defaults. */
static const char *policy_label(const mc_matrix_policy *p)
{
    return p->persona ? p->persona : *p->quirks ? p->quirks : "(defaults)";
}

int mc_report_matrix_html(const char *path, const mc_matrix_policy *pol, const mc_run_result *res,
                          size_t n)
{
    size_t rows = n ? res[0].nruns : 0;
    char *title = mc_xasprintf("mcpcompat %s: matrix", n ? res[0].tool_version : "");
    FILE *f;
    W w = page_begin(path, title, &f);
    free(title);
    if (!w)
        return -1;
    int pass = 0, broke = 0;
    for (size_t c = 0; c < n; c++)
        for (size_t r = 0; r < res[c].nruns; r++)
            *(res[c].runs[r].broke ? &broke : &pass) += 1;
    char *sub = mc_xasprintf("%zu clients against the embedded fixture under %zu server %s", rows,
                             n, n == 1 ? "policy" : "policies");
    header(w, "mcpcompat matrix", sub, pass, broke);
    free(sub);
    open_el(w, "main", NULL);
    section(w, "matrix", "Clients × server policies");
    open_el(w, "table", "heat");
    open_el(w, "tr", NULL);
    el(w, "th", NULL, "Client");
    for (size_t c = 0; c < n; c++) {
        open_el(w, "th", "pol");
        attr(w, "title", policy_label(&pol[c]));
        char *href = mc_xasprintf("#policy-%zu", c + 1);
        char *num = mc_xasprintf("%zu", c + 1);
        link(w, href, NULL, num);
        free(num);
        free(href);
        end(w);
    }
    end(w);
    for (size_t r = 0; r < rows; r++) {
        open_el(w, "tr", "client-row");
        attr(w, "data-profile", res[0].runs[r].profile_id);
        char *name = mc_xasprintf("%s %s", res[0].runs[r].client, res[0].runs[r].client_version);
        el(w, "td", "name", name);
        free(name);
        for (size_t c = 0; c < n; c++) {
            const mc_profile_run *p = r < res[c].nruns ? &res[c].runs[r] : NULL;
            open_el(w, "td", "cell");
            if (p && p->broke) {
                char *href = mc_xasprintf("#cell-%zu-%zu", r + 1, c + 1);
                link(w, href, "broke", short_steps[p->steps[p->failed_at].id]);
                free(href);
            } else
                el(w, "span", p ? "ok" : "skip", p ? "ok" : "?");
            end(w);
        }
        end(w);
    }
    end(w);
    open_el(w, "table", "policies");
    for (size_t c = 0; c < n; c++) {
        open_el(w, "tr", NULL);
        char *id = mc_xasprintf("policy-%zu", c + 1);
        attr(w, "id", id);
        free(id);
        char *num = mc_xasprintf("%zu", c + 1);
        el(w, "td", "mono small", num);
        free(num);
        el(w, "td", "mono small", policy_label(&pol[c]));
        el(w, "td", "small", pol[c].what ? pol[c].what : "");
        end(w);
    }
    end(w);
    el(w, "p", "muted small",
       "A cell is ok, or the step where the client broke (prm: resource metadata, asm: "
       "authorization server metadata, reg: registration, authz: authorization); a broken cell "
       "links to its reason. `mcpcompat run --profile ID --quirk Q --html FILE` draws that "
       "handshake.");
    end(w);
    section(w, "reasons", "Why each cell broke");
    for (size_t c = 0; c < n; c++) {
        for (size_t r = 0; r < res[c].nruns; r++) {
            const mc_profile_run *p = &res[c].runs[r];
            if (!p->broke)
                continue;
            const mc_step_result *f = &p->steps[p->failed_at];
            char *id = mc_xasprintf("cell-%zu-%zu", r + 1, c + 1);
            open_el(w, "div", "finding FAIL");
            attr(w, "id", id);
            free(id);
            open_el(w, "div", NULL);
            char *who = mc_xasprintf("%s %s", p->client, p->client_version);
            el(w, "b", NULL, who);
            free(who);
            text(w, " under ");
            el(w, "code", NULL, policy_label(&pol[c]));
            text(w, " broke at ");
            el(w, "code", NULL, mc_step_names[f->id]);
            end(w);
            open_el(w, "dl", NULL);
            el(w, "dt", NULL, "check");
            el(w, "dd", "mono", f->failed_check ? f->failed_check : "error");
            el(w, "dt", NULL, "why");
            el(w, "dd", NULL, f->reason ? f->reason : "");
            const mc_check_def *d = f->failed_check ? mc_check_find(f->failed_check) : NULL;
            if (p->remedy || d) { /* a persona's remedy names the product's setting */
                el(w, "dt", NULL, "remedy");
                el(w, "dd", NULL, p->remedy ? p->remedy : d->remedy);
            }
            end(w);
            end(w);
        }
    }
    end(w);
    end(w); /* main */
    return page_end(w, f);
}
