/* The findings of a run: every failed or warned check (and every break no
 * check recorded), identical ones merged, with the clients that met them.
 * The console, HTML and Markdown reports list them. */
#include "reports.h"

#include "../harness/model/stacks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

mc_remedy mc_remedy_of(const mc_run_result *r, const mc_check_def *def, const char *text,
                       const char *setup)
{
    mc_remedy m = {NULL, NULL, NULL};
    if (setup) {
        m.text = setup;
        return m;
    }
    m = mc_stack_remedy(r, def, text);
    if (!m.text && def)
        m.text = def->remedy;
    return m;
}

mc_remedy mc_break_remedy(const mc_run_result *r, const mc_profile_run *p)
{
    mc_remedy none = {NULL, NULL, NULL};
    if (!p->broke)
        return none;
    const mc_step_result *f = &p->steps[p->failed_at];
    return mc_remedy_of(r, f->failed_check ? mc_check_find(f->failed_check) : NULL, f->reason,
                        p->remedy);
}

char *mc_remedy_line(const mc_remedy *m)
{
    if (!m->text)
        return NULL;
    if (m->by)
        return mc_xasprintf("%s: %s (see %s)", m->by, m->text, m->doc);
    return mc_xstrdup(m->text);
}

static int same_remedy(const mc_remedy *a, const mc_remedy *b)
{
    return a->text == b->text || (a->text && b->text && strcmp(a->text, b->text) == 0);
}

static void add_finding(mc_findings *f, const mc_check_def *def, const char *label,
                        const char *step, const char *message, const char *keyword, const char *rev,
                        const char *who, int stopped, mc_remedy remedy)
{
    mc_finding *x = NULL;
    for (size_t i = 0; i < f->n && !x; i++)
        if (f->items[i].def == def && strcmp(f->items[i].label, label) == 0 &&
            strcmp(f->items[i].message, message) == 0)
            x = &f->items[i];
    if (!x) {
        f->items = mc_xrealloc(f->items, (f->n + 1) * sizeof *f->items);
        x = &f->items[f->n++];
        memset(x, 0, sizeof *x);
        x->def = def, x->label = label, x->step = step, x->message = message;
        x->keyword = keyword, x->rev = rev;
        x->remedy = remedy;
        mc_buf_init(&x->who, 0);
        mc_buf_init(&x->stopped, 0);
    }
    /* one remedy a finding: the setup's (scenario, persona) for a client it
     * stopped, else the stack's, else the check's */
    if (stopped && remedy.text && !same_remedy(&x->remedy, &remedy)) {
        if (x->nstopped)
            x->remedy_varies = 1; /* each break says its own */
        else
            x->remedy = remedy;
    }
    x->nwho++;
    mc_buf_printf(&x->who, "%s%s", x->who.len ? ", " : "", who);
    if (stopped) {
        x->nstopped++;
        mc_buf_printf(&x->stopped, "%s%s", x->stopped.len ? ", " : "", who);
    }
}

static void collect(mc_findings *f, const mc_run_result *r, const char *who,
                    const mc_step_result *s, const char *setup)
{
    int listed = 0;
    for (size_t k = 0; k < s->nchecks; k++) {
        const mc_check_result *c = &s->checks[k];
        if (c->status == MC_PASS)
            continue;
        int stopped = s->failed_check && strcmp(s->failed_check, c->def->id) == 0;
        listed |= stopped;
        /* a break's remedy is the one its client's break shows */
        mc_remedy m = stopped ? mc_remedy_of(r, c->def, s->reason, setup)
                              : mc_remedy_of(r, c->def, c->message, NULL);
        add_finding(f, c->def, c->status == MC_FAIL ? "FAIL" : "WARN", mc_step_names[s->id],
                    c->message, mc_keyword_name(c->keyword), mc_rev_names[c->rev], who, stopped, m);
    }
    if (s->status == MC_FAIL && s->failed_check && !listed) {
        const mc_check_def *d = mc_check_find(s->failed_check);
        add_finding(f, d, "BROKE", mc_step_names[s->id], s->reason ? s->reason : "", NULL, NULL,
                    who, 1, mc_remedy_of(r, d, s->reason, setup));
    }
}

void mc_findings_collect(mc_findings *f, const mc_run_result *r)
{
    memset(f, 0, sizeof *f);
    for (size_t i = 0; i < r->nruns; i++) {
        const mc_profile_run *p = &r->runs[i];
        for (int s = 0; s < p->nsteps; s++)
            if (p->steps[s].status != MC_SKIP)
                collect(f, r, p->profile_id, &p->steps[s], p->remedy);
    }
    if (r->server_ran)
        collect(f, r, "server suite", &r->server, NULL);
    /* met by every client: say so rather than list them all */
    for (size_t i = 0; i < f->n; i++) {
        mc_finding *x = &f->items[i];
        /* every client that met it broke on it: its remedy is given with each
         * break, and the finding does not repeat it */
        x->remedy_above = x->nstopped == x->nwho && !x->remedy_varies;
        if (r->nruns > 2 && x->nwho == r->nruns) {
            mc_buf_free(&x->who);
            mc_buf_init(&x->who, 0);
            mc_buf_printf(&x->who, "all %zu clients", r->nruns);
        }
    }
}

void mc_client_name(const mc_profile_run *p, char *buf, size_t n)
{
    /* "Reference client (MCP 2025-03-26)" already names its version */
    if (!p->client_version || !*p->client_version || strstr(p->client, p->client_version))
        snprintf(buf, n, "%s", p->client);
    else
        snprintf(buf, n, "%s %s", p->client, p->client_version);
}

size_t *mc_report_order(const mc_run_result *r)
{
    size_t *order = mc_xcalloc(r->nruns ? r->nruns : 1, sizeof *order);
    size_t k = 0;
    for (int broke = 1; broke >= 0; broke--)
        for (size_t i = 0; i < r->nruns; i++)
            if (r->runs[i].broke == broke)
                order[k++] = i;
    return order;
}

void mc_findings_free(mc_findings *f)
{
    for (size_t i = 0; i < f->n; i++) {
        mc_buf_free(&f->items[i].who);
        mc_buf_free(&f->items[i].stopped);
    }
    free(f->items);
    f->items = NULL;
    f->n = 0;
}

const char *mc_server_label(const mc_step_result *s, int bad)
{
    if (bad)
        return "FAIL";
    if (s->nchecks == 0)
        return "NOT RUN";
    return s->nnot_run > s->nchecks ? "PARTIAL" : "PASS";
}

void mc_count_checks(const mc_step_result *s, int *bad, int *warn)
{
    *bad = *warn = 0;
    for (size_t i = 0; i < s->nchecks; i++) {
        *bad += s->checks[i].status == MC_FAIL;
        *warn += s->checks[i].status == MC_WARN;
    }
}
