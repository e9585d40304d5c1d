/* --spec all: the same target through each revision's reference client,
 * one column per revision. */
#include "reports.h"

#include <stdlib.h>

#include "../harness/wire/buf.h"

#include <stdlib.h>
#include <string.h>

/* The status of check id in a run (its profile's steps, then the server
 * suite), as shown in a cell; "-" when that revision does not have it. */
const char *mc_compare_check_cell(const mc_run_result *r, const char *id)
{
    /* every profile's steps (one profile in --spec all's runs, but the
     * writer reads any run), then the server suite */
    const mc_step_result **lists = mc_xcalloc(r->nruns * MC_STEP_COUNT + 1, sizeof *lists);
    size_t n = 0;
    for (size_t i = 0; i < r->nruns; i++)
        for (int s = 0; s < r->runs[i].nsteps; s++)
            lists[n++] = &r->runs[i].steps[s];
    if (r->server_ran)
        lists[n++] = &r->server;
    if (r->nruns && r->runs[0].rev < MC_REV_COUNT && mc_check_find(id)->kw[r->rev] == MC_KW_NONE) {
        free(lists);
        return "-"; /* not a requirement of this revision */
    }
    const char *worst = NULL;
    for (size_t k = 0; k < n; k++) {
        for (size_t c = 0; c < lists[k]->nchecks; c++) {
            const mc_check_result *cr = &lists[k]->checks[c];
            if (strcmp(cr->def->id, id) != 0)
                continue;
            const char *st = mc_status_name(cr->status);
            if (!worst || cr->status == MC_FAIL || (cr->status == MC_WARN && strcmp(worst, "fail")))
                worst = st;
        }
    }
    free(lists);
    return worst ? worst : ""; /* not reached */
}

/* A check row is worth showing when two revisions that judged it (or do not
 * have it at all) disagree; a revision that never got that far is left out. */
int mc_compare_differs(const mc_run_result *const *runs, size_t n, const char *id)
{
    const char *first = NULL;
    for (size_t k = 0; k < n; k++) {
        const char *c = mc_compare_check_cell(runs[k], id);
        if (!*c)
            continue;
        if (!first)
            first = c;
        else if (strcmp(first, c) != 0)
            return 1;
    }
    return 0;
}

const char *mc_compare_step_cell(const mc_run_result *r, int step)
{
    if (!r->nruns)
        return "-";
    const mc_profile_run *p = &r->runs[0];
    if (step >= p->nsteps)
        return "-";
    const mc_step_result *s = &p->steps[step];
    if (p->broke && p->failed_at == step)
        return "BROKE";
    if (p->not_run && p->failed_at == step)
        return "NOT RUN";
    return mc_status_name(s->status == MC_PASS ? mc_step_summary(s) : s->status);
}

static void check_row(FILE *out, const mc_run_result *const *runs, size_t n, const mc_check_def *d)
{
    if (!mc_compare_differs(runs, n, d->id))
        return;
    fprintf(out, "  %-32s", d->id);
    for (size_t k = 0; k < n; k++) {
        const char *cell = mc_compare_check_cell(runs[k], d->id);
        fprintf(out, " %-12s", *cell ? cell : "(not reached)");
    }
    fputc('\n', out);
}

void mc_report_compare(FILE *out, const mc_run_result *const *runs, size_t n, int color)
{
    (void)color;
    fprintf(out, "mcpcompat %s: %s, each revision's reference client judged by its revision\n\n",
            runs[0]->tool_version, runs[0]->target);
    fprintf(out, "%-34s", "Step / check");
    for (size_t k = 0; k < n; k++)
        fprintf(out, " %-12s", mc_rev_names[runs[k]->rev]);
    fputc('\n', out);
    fprintf(out, "%.*s\n", (int)(34 + 13 * n),
            "---------------------------------------------------------------------------------"
            "-----------------------------");
    for (int step = 0; step < MC_STEP_COUNT; step++) {
        int any = 0;
        for (size_t k = 0; k < n; k++)
            any |= runs[k]->nruns && step < runs[k]->runs[0].nsteps;
        if (!any)
            continue;
        fprintf(out, "%-34s", mc_step_names[step]);
        for (size_t k = 0; k < n; k++)
            fprintf(out, " %-12s", mc_compare_step_cell(runs[k], step));
        fputc('\n', out);
        /* the checks of this step whose verdict differs between revisions */
        for (size_t c = 0; c < mc_checks_count; c++)
            if ((int)mc_checks[c].step == step)
                check_row(out, runs, n, &mc_checks[c]);
    }
    fprintf(out, "%-34s", "server suite");
    for (size_t k = 0; k < n; k++) {
        int bad = 0;
        for (size_t c = 0; c < runs[k]->server.nchecks; c++)
            bad += runs[k]->server.checks[c].status == MC_FAIL;
        fprintf(out, " %-12s", !runs[k]->server_ran ? "-" : bad ? "fail" : "pass");
    }
    fputc('\n', out);
    for (size_t c = 0; c < mc_checks_count; c++)
        if (mc_checks[c].step == MC_STEP_SERVER)
            check_row(out, runs, n, &mc_checks[c]);
    fprintf(out, "%-34s", "result");
    for (size_t k = 0; k < n; k++) {
        const mc_profile_run *p = runs[k]->nruns ? &runs[k]->runs[0] : NULL;
        fprintf(out, " %-12s", !p ? "-" : p->not_run ? "NOT RUN" : p->broke ? "BROKE" : "PASS");
    }
    fputc('\n', out);
    for (size_t k = 0; k < n; k++) {
        const mc_profile_run *p = runs[k]->nruns ? &runs[k]->runs[0] : NULL;
        if (!p || !p->broke)
            continue;
        const mc_step_result *f = &p->steps[p->failed_at];
        fprintf(out, "\n%s broke at %s (%s)\n  why: %s\n", mc_rev_names[runs[k]->rev],
                mc_step_names[f->id], f->failed_check ? f->failed_check : "error",
                f->reason ? f->reason : "");
        mc_remedy rm = mc_break_remedy(runs[k], p);
        char *line = mc_remedy_line(&rm);
        if (line)
            fprintf(out, "  remedy: %s\n", line);
        free(line);
    }
}
