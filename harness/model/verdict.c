#include "verdict.h"

#include "../wire/buf.h"

#include <stdlib.h>
#include <string.h>

const char *const mc_gate_words[] = {"break", "must", "should", "not-run", "none", "all", NULL};
static const int gate_bits[] = {MC_GATE_BREAK,
                                MC_GATE_MUST,
                                MC_GATE_SHOULD,
                                MC_GATE_NOT_RUN,
                                0,
                                MC_GATE_BREAK | MC_GATE_MUST | MC_GATE_SHOULD | MC_GATE_NOT_RUN};

int mc_gates_parse(const char *s, int *gates, const char **bad, size_t *badlen)
{
    int g = 0;
    const char *p = s ? s : "";
    do {
        size_t n = strcspn(p, ",");
        size_t k = 0;
        while (mc_gate_words[k] &&
               (strlen(mc_gate_words[k]) != n || strncmp(mc_gate_words[k], p, n) != 0))
            k++;
        if (!mc_gate_words[k]) {
            *bad = p;
            *badlen = n;
            return -1;
        }
        g |= gate_bits[k];
        p += n;
    } while (*p++ == ',');
    *gates = g | MC_GATE_SET;
    return 0;
}

int mc_gates_effective(int gates)
{
    return gates & MC_GATE_SET ? gates & ~MC_GATE_SET : MC_GATE_DEFAULT;
}

char *mc_gates_name(int gates)
{
    mc_buf b;
    mc_buf_init(&b, 64);
    for (size_t k = 0; k < 4; k++)
        if (gates & gate_bits[k])
            mc_buf_printf(&b, "%s%s", b.len ? "," : "", mc_gate_words[k]);
    if (!b.len)
        mc_buf_adds(&b, "none");
    return mc_buf_steal(&b);
}

static int expected_here(const mc_profile_run *p)
{
    return strcmp(p->expected + 6, mc_step_names[p->steps[p->failed_at].id]) == 0;
}

mc_client_verdict mc_client_verdict_of(const mc_profile_run *p)
{
    if (p->not_run || (p->broke && p->failed_at >= 0 && p->steps[p->failed_at].status == MC_ERROR))
        return MC_V_NOT_RUN;
    int expect_break = p->expected && strncmp(p->expected, "broke:", 6) == 0;
    if (!p->broke)
        return expect_break ? MC_V_EXPECTED_BREAK_MISSING : MC_V_CONNECTS;
    if (!expect_break)
        return MC_V_BREAKS;
    return expected_here(p) ? MC_V_BREAKS_AS_EXPECTED : MC_V_BREAKS_ELSEWHERE;
}

const char *mc_client_verdict_id(mc_client_verdict v)
{
    static const char *const ids[] = {
        "connects", "breaks", "breaks-as-expected", "breaks-elsewhere", "expected-break-missing",
        "not-run"};
    return ids[v];
}

const char *mc_client_verdict_label(mc_client_verdict v)
{
    static const char *const labels[] = {
        "PASS",   "BROKE", "BROKE as expected", "BROKE elsewhere", "PASS, expected a break",
        "NOT RUN"};
    return labels[v];
}

const char *mc_run_result_label(const mc_profile_run *p)
{
    return p->not_run ? "NOT RUN" : p->broke ? "BROKE" : p->needs_public ? "PASS*" : "PASS";
}

int mc_client_verdict_gates(mc_client_verdict v, int gates)
{
    switch (v) {
    case MC_V_BREAKS:
    case MC_V_BREAKS_ELSEWHERE:
    case MC_V_EXPECTED_BREAK_MISSING:
        return (gates & MC_GATE_BREAK) != 0;
    default: /* a client that could not run exits 3, when nothing else fails */
        return 0;
    }
}

int mc_check_status_gates(mc_status st, int gates)
{
    return (st == MC_FAIL && (gates & MC_GATE_MUST)) ||
           (st == MC_WARN && (gates & MC_GATE_SHOULD)) ||
           (st == MC_SKIP && (gates & MC_GATE_NOT_RUN));
}

/* A check id recorded more than once (a flow run twice) counts once, by its
 * worst outcome. */
static mc_status worst_of(const mc_step_result *s, size_t upto, const mc_check_def *def, int *first)
{
    mc_status st = MC_PASS;
    *first = 1;
    for (size_t i = 0; i < s->nchecks; i++) {
        if (s->checks[i].def != def)
            continue;
        if (i < upto)
            *first = 0;
        if (s->checks[i].status == MC_FAIL || (s->checks[i].status == MC_WARN && st == MC_PASS))
            st = s->checks[i].status;
    }
    return st;
}

void mc_verdict_of(const mc_run_result *const *runs, size_t n, mc_verdict *v)
{
    memset(v, 0, sizeof *v);
    v->gates = mc_gates_effective(n ? runs[0]->gates : 0);
    int error = 0;
    for (size_t k = 0; k < n; k++) {
        const mc_run_result *r = runs[k];
        for (size_t i = 0; i < r->nruns; i++) {
            mc_client_verdict cv = mc_client_verdict_of(&r->runs[i]);
            v->clients++;
            v->n[cv]++;
            v->once_public += cv == MC_V_CONNECTS && r->runs[i].needs_public;
            error |= cv == MC_V_NOT_RUN;
            v->gating += mc_client_verdict_gates(cv, v->gates);
        }
        if (!r->server_ran)
            continue;
        v->suites++;
        const mc_step_result *s = &r->server;
        for (size_t i = 0; i < s->nchecks; i++) {
            int first;
            mc_status st = worst_of(s, i, s->checks[i].def, &first);
            if (!first)
                continue;
            v->ran++;
            v->must_failed += st == MC_FAIL;
            v->should_failed += st == MC_WARN;
            v->gating += mc_check_status_gates(st, v->gates);
        }
        v->not_run += s->nnot_run;
        if (v->gates & MC_GATE_NOT_RUN)
            v->gating += s->nnot_run;
    }
    v->checks = v->ran + v->not_run;
    /* a break or a failure gated says more than a client that could not run */
    v->exit_code = v->gating ? 1 : error ? 3 : 0;
}

const char *mc_verdict_what(int k)
{
    static const char *const what[] = {NULL,
                                       "broke",
                                       "broke as expected",
                                       "broke elsewhere than expected",
                                       "connected where a break was expected",
                                       "could not run"};
    return k > 0 && k < (int)(sizeof what / sizeof *what) ? what[k] : "";
}

const char *mc_verdict_word(const mc_verdict *v)
{
    return v->exit_code == 3 ? "ERROR" : v->exit_code ? "FAIL" : "PASS";
}

char *mc_verdict_line(const mc_verdict *v)
{
    mc_buf b;
    mc_buf_init(&b, 256);
    mc_buf_printf(&b, "%s (exit %d): ", mc_verdict_word(v), v->exit_code);
    mc_buf_printf(&b, "%zu of %zu client%s connect%s", v->n[MC_V_CONNECTS], v->clients,
                  v->clients == 1 ? "" : "s", v->clients == 1 ? "s" : "");
    if (v->once_public)
        mc_buf_printf(&b, " (%zu only once the server is public)", v->once_public);
    for (int k = 1; k < MC_V_COUNT; k++)
        if (v->n[k])
            mc_buf_printf(&b, ", %zu %s", v->n[k], mc_verdict_what(k));
    if (v->suites)
        mc_buf_printf(&b,
                      "; server suite: %zu of %zu checks ran, %zu MUST failed, %zu warned "
                      "(SHOULD/MAY), %zu not run",
                      v->ran, v->checks, v->must_failed, v->should_failed, v->not_run);
    else
        mc_buf_adds(&b, "; no server suite");
    char *g = mc_gates_name(v->gates);
    mc_buf_printf(&b, " (fails on: %s)", g);
    free(g);
    return mc_buf_steal(&b);
}
