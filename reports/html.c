/* The HTML report of a run (of each revision's, for --spec all): the
 * scoreboard, the findings, the server suite, each client's handshake, the
 * comparison of revisions. The page around them, its policy, style and
 * script are html_page.c's; the sequence diagrams html_diagram.c's. */
#include "html_int.h"

#include "../harness/model/verdict.h"

#include <stdlib.h>
#include <string.h>

/* A client's row: its result, the step it broke at (a link to the
 * exchange it stopped at), why and the remedy, the expectation. */
static void client_row(W w, const mc_run_result *r, const mc_profile_run *p, int exp)
{
    const mc_step_result *f = p->broke || p->not_run ? &p->steps[p->failed_at] : NULL;
    mc_client_verdict v = mc_client_verdict_of(p);
    open_el(w, "tr", "client-row");
    attr(w, "data-verdict", mc_client_verdict_id(v));
    attr(w, "data-profile", p->profile_id);
    attr(w, "data-result", mc_profile_result_name(p));
    attr(w, "data-failed-at", f ? mc_step_names[f->id] : "");
    open_el(w, "td", NULL);
    char *href = anchor("#client-", p->profile_id, NULL);
    char name[160];
    mc_client_name(p, name, sizeof name);
    link(w, href, NULL, name);
    free(href);
    end(w);
    open_el(w, "td", NULL);
    el(w, "span", badge_class(p), mc_run_result_label(p));
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
        mc_remedy rm = mc_break_remedy(r, p);
        remedy_el(w, "div", "remedy", "Remedy: ", &rm);
        if (p->decided_by) { /* how much the verdict weighs */
            char *m = mc_xasprintf("Rests on %s (%s evidence)%s%s", p->decided_by, p->decided_kind,
                                   p->decided_evidence ? ": " : "",
                                   p->decided_evidence ? p->decided_evidence : "");
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
            el(w, "span",
               v == MC_V_BREAKS_AS_EXPECTED ? "badge expected"
               : p->as_expected             ? "badge pass"
                                            : "badge broke",
               p->as_expected ? "as expected" : "DIFFERS");
        if (p->expected && !p->as_expected)
            el(w, "div", "small mono", p->expected);
        end(w);
    }
    end(w);
}

/* The server suite's row: its result and its counts (a link to it). */
static void server_row(W w, const mc_run_result *r, const char *sfx, int exp)
{
    int bad, warn;
    mc_count_checks(&r->server, &bad, &warn);
    open_el(w, "tr", "server-row");
    open_el(w, "td", NULL);
    char *href = mc_xasprintf("#server%s", sfx);
    link(w, href, NULL, "Server suite");
    free(href);
    end(w);
    open_el(w, "td", NULL);
    const char *label = mc_server_label(&r->server, bad);
    el(w, "span",
       bad                          ? "badge fail"
       : strcmp(label, "PASS") == 0 ? "badge pass"
                                    : "badge skip",
       label);
    end(w);
    el(w, "td", NULL, "");
    open_el(w, "td", NULL);
    textf(w, "%d failed, %d warnings; %zu of %zu checks ran", bad, warn, r->server.nchecks,
          r->server.nchecks + r->server.nnot_run);
    end(w);
    if (exp)
        el(w, "td", NULL, "");
    end(w);
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
    size_t *order = mc_report_order(r); /* broken first */
    for (size_t i = 0; i < r->nruns; i++)
        client_row(w, r, &r->runs[order[i]], exp);
    free(order);
    if (r->server_ran)
        server_row(w, r, sfx, exp);
    end(w); /* tbody */
    end(w); /* table */
    end(w); /* section */
}

/* A reference of the catalogue ("RFC8252-7.3", "OAuth2.1-4.1.1",
 * "MCP-2025-11-25 scope-selection-strategy", "MCP transports
 * protocol-version-header") as the address of that section, or NULL;
 * owned. */
char *mc_ref_url(const char *ref, mc_rev rev)
{
    unsigned num;
    int used = 0;
    char sec[32] = "";
    if (sscanf(ref, "RFC%u%n", &num, &used) == 1) {
        if (ref[used] == '-')
            sscanf(ref + used + 1, "%31[0-9.]", sec);
        return *sec ? mc_xasprintf("https://www.rfc-editor.org/rfc/rfc%u.html#section-%s", num, sec)
                    : mc_xasprintf("https://www.rfc-editor.org/rfc/rfc%u.html", num);
    }
    if (sscanf(ref, "OAuth2.1-%31[0-9.]", sec) == 1)
        return mc_xasprintf("https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1-13"
                            "#section-%s",
                            sec);
    if (strncmp(ref, "OIDC-Discovery", 14) == 0)
        return mc_xstrdup("https://openid.net/specs/openid-connect-discovery-1_0.html");
    if (sscanf(ref, "draft-ietf-oauth-client-id-metadata-document-00 %31[0-9.]", sec) == 1)
        return mc_xasprintf("https://datatracker.ietf.org/doc/html/"
                            "draft-ietf-oauth-client-id-metadata-document-00#section-%s",
                            sec);
    if (strncmp(ref, "MCP", 3) != 0)
        return NULL;
    /* "MCP-<rev> anchor", "MCP-authorization anchor", "MCP page/sub", "MCP
     * transports anchor", "MCP anchor" (the authorization page) */
    char revbuf[16];
    snprintf(revbuf, sizeof revbuf, "%s", mc_rev_names[rev]);
    const char *p = ref + 3;
    mc_rev named;
    if (*p == '-' && strlen(p) >= 11) {
        snprintf(revbuf, sizeof revbuf, "%.10s", p + 1);
        if (mc_rev_parse(revbuf, &named) == 0)
            p += 11;
        else
            snprintf(revbuf, sizeof revbuf, "%s", mc_rev_names[rev]);
    }
    if (strncmp(p, "-authorization", 14) == 0)
        p += 14;
    char first[48] = "", second[64] = "";
    sscanf(p, " %47s %63[^ (]", first, second);
    const char *page = "basic/authorization";
    const char *frag = first;
    if (!strcmp(first, "transports") || !strcmp(first, "streamable-http")) {
        page = "basic/transports";
        frag = second;
    } else if (strchr(first, '/')) {
        page = !strcmp(first, "transports/streamable-http") ? "basic/transports" : first;
        frag = "";
    }
    return *frag
               ? mc_xasprintf("https://modelcontextprotocol.io/specification/%s/%s#%s", revbuf,
                              page, frag)
               : mc_xasprintf("https://modelcontextprotocol.io/specification/%s/%s", revbuf, page);
}

/* "A; B": each reference a link to its section where it has one. */
static void refs(W w, const char *ref, mc_rev rev)
{
    char *all = mc_xstrdup(ref);
    char *save = NULL;
    int k = 0;
    for (char *t = strtok_r(all, ";", &save); t; t = strtok_r(NULL, ";", &save), k++) {
        while (*t == ' ')
            t++;
        if (k)
            text(w, "; ");
        char *url = mc_ref_url(t, rev);
        if (url) {
            open_el(w, "a", NULL);
            attr(w, "href", url);
            attr(w, "rel", "noreferrer");
            text(w, t);
            end(w);
        } else {
            text(w, t);
        }
        free(url);
    }
    free(all);
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
    for (int k = 0; k < MC_PART_COUNT; k++)
        if (r->stack[k]) { /* the remedies below are worded for it */
            open_el(w, "p", "stack");
            text(w, "Stack recognised for the ");
            text(w, mc_stack_part_name((mc_stack_part)k));
            text(w, ": ");
            open_el(w, "a", NULL);
            attr(w, "href", r->stack[k]->doc);
            attr(w, "rel", "noreferrer");
            text(w, r->stack[k]->name);
            end(w);
            text(w, ", because ");
            text(w, r->stack_why[k]);
            text(w, "; remedies are worded for it.");
            end(w);
        }
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
                open_el(w, "dd", "mono refs");
                refs(w, x->def->ref, r->rev);
                end(w);
            }
            if (x->remedy.text && !x->remedy_above) {
                el(w, "dt", NULL, "remedy");
                remedy_el(w, "dd", NULL, NULL, &x->remedy);
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
    char *ran = mc_xasprintf("%zu of %zu checks ran; each check that could not run says why.",
                             r->server.nchecks, r->server.nchecks + r->server.nnot_run);
    el(w, "p", "muted small", ran);
    free(ran);
    open_el(w, "table", "server");
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
        open_el(w, "td", "mono small refs");
        refs(w, c->def->ref, c->rev);
        end(w);
        el(w, "td", NULL, c->message);
        end(w);
    }
    for (size_t i = 0; i < r->server.nnot_run; i++) {
        const mc_not_run *x = &r->server.not_run[i];
        open_el(w, "tr", NULL);
        attr(w, "data-check", x->def->id);
        attr(w, "data-status", "not-run");
        open_el(w, "td", NULL);
        el(w, "span", "badge skip", "not run");
        end(w);
        el(w, "td", "mono small", x->def->id);
        el(w, "td", "small", mc_keyword_name(x->def->kw[x->rev]));
        open_el(w, "td", "mono small refs");
        refs(w, x->def->ref, x->rev);
        end(w);
        el(w, "td", NULL, x->why);
        end(w);
    }
    end(w);
    if (r->server.nexchanges) {
        /* the suite's own requests, each to the party it probes */
        el(w, "h3", "suite-head", "The suite's requests");
        mc_html_lanes(w, "mcpcompat");
        for (size_t k = 0; k < r->server.nexchanges; k++) {
            char *xid = mc_xasprintf("server%s-%zu", sfx, k + 1);
            mc_html_exchange(w, r->server.exchanges[k], MC_STEP_SERVER, r->target, 0, xid);
            free(xid);
        }
        end(w);
    }
    end(w);
}

static void chip(W w, const char *cls, size_t n, const char *what)
{
    char *s = mc_xasprintf("%zu %s", n, what);
    el(w, "span", cls, s);
    free(s);
}

/* The verdict every report shows: the chips count what it counts, and the
 * line says it in words, with the exit code it gives. */
static void verdict_header(W w, const char *title, const char *sub,
                           const mc_run_result *const *runs, size_t n)
{
    mc_verdict v;
    mc_verdict_of(runs, n, &v);
    open_el(w, "header", NULL);
    attr(w, "data-exit-code", v.exit_code == 3 ? "3" : v.exit_code ? "1" : "0");
    el(w, "h1", NULL, title);
    el(w, "div", "sub", sub);
    open_el(w, "div", "chips");
    el(w, "span", v.exit_code ? "chip broke" : "chip pass", mc_verdict_word(&v));
    chip(w, "chip pass", v.n[MC_V_CONNECTS], "connect");
    for (int k = 1; k < MC_V_COUNT; k++)
        if (v.n[k])
            chip(w, k == MC_V_BREAKS_AS_EXPECTED ? "chip expected" : "chip broke", v.n[k],
                 mc_verdict_what(k));
    if (v.suites) {
        char *s = mc_xasprintf("server suite: %zu of %zu checks ran", v.ran, v.checks);
        el(w, "span", "chip", s);
        free(s);
        if (v.must_failed)
            chip(w, "chip broke", v.must_failed, "MUST failed");
        if (v.should_failed)
            chip(w, "chip", v.should_failed, "warned");
        if (v.not_run)
            chip(w, "chip", v.not_run, "not run");
    }
    end(w);
    char *line = mc_verdict_line(&v);
    el(w, "div", "verdict", line);
    free(line);
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
        mc_html_client_section(w, &r->runs[i], r->target);
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

int mc_report_html(const char *path, const mc_run_result *const *runs, size_t n)
{
    const mc_run_result *r0 = runs[0];
    char *title = mc_xasprintf("mcpcompat %s: %s", r0->tool_version, r0->target);
    mc_out f;
    W w = mc_html_page_begin(path, title, &f);
    if (!w) {
        free(title);
        return -1;
    }
    char *sub = n == 1 ? mc_xasprintf("%s, judged by MCP %s", r0->target, mc_rev_names[r0->rev])
                       : mc_xasprintf("%s, each revision's reference client", r0->target);
    verdict_header(w, "mcpcompat report", sub, runs, n);
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
    return mc_html_page_end(w, &f);
}
