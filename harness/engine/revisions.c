/* `mcpcompat run --spec all`: each revision's reference profile against the
 * same target, judged by its own revision; the comparison on the console
 * and in the reports. */
#include "run_int.h"

#include "../../reports/reports.h"
#include "../data/profile.h"

#include <stdio.h>

/* --spec all: each revision's reference profile against the same target,
 * judged by its own revision, side by side. */
int mc_run_all_revisions(const run_plan *base)
{
    mc_run_result res[MC_REV_COUNT];
    const mc_run_result *ptrs[MC_REV_COUNT];
    size_t n = 0;
    int rc = MC_EXIT_OK;
    for (int r = 0; r < MC_REV_COUNT && rc == MC_EXIT_OK; r++) {
        char id[32];
        snprintf(id, sizeof id, "spec-%s", mc_rev_names[r]);
        mc_profile *p = mc_profiles_find(base->all, id);
        if (!p) {
            fprintf(stderr, "mcpcompat: no reference profile %s\n", id);
            rc = MC_EXIT_USAGE;
            break;
        }
        run_plan plan = *base;
        plan.profiles = &p;
        plan.nprofiles = 1;
        plan.rev = (mc_rev)r;
        rc = mc_run_execute(&plan, &res[n]);
        if (rc == MC_EXIT_OK || (rc == MC_EXIT_CANNOT && res[n].nruns)) {
            ptrs[n] = &res[n];
            n++;
        }
    }
    if (rc == MC_EXIT_CANNOT && n) { /* the reports still record the error */
        if (base->cfg->junit)
            mc_report_junit(base->cfg->junit, ptrs, n);
        if (base->cfg->json)
            mc_report_json_runs(base->cfg->json, ptrs, n);
        if (base->cfg->html)
            mc_report_html(base->cfg->html, ptrs, n);
        if (base->cfg->markdown)
            mc_report_markdown(base->cfg->markdown, ptrs, n);
    }
    if (rc == MC_EXIT_OK) {
        mc_report_compare(stdout, ptrs, n, mc_use_color());
        mc_report_verdict_line(stdout, ptrs, n, mc_use_color());
        if (base->cfg->junit && mc_report_junit(base->cfg->junit, ptrs, n) != 0)
            rc = mc_report_failed(base->cfg->junit);
        if (base->cfg->json && mc_report_json_runs(base->cfg->json, ptrs, n) != 0)
            rc = mc_report_failed(base->cfg->json);
        if (base->cfg->html && mc_report_html(base->cfg->html, ptrs, n) != 0)
            rc = mc_report_failed(base->cfg->html);
        if (base->cfg->markdown && mc_report_markdown(base->cfg->markdown, ptrs, n) != 0)
            rc = mc_report_failed(base->cfg->markdown);
        if (rc == MC_EXIT_OK)
            rc = mc_run_verdict(ptrs, n);
    }
    for (size_t i = 0; i < n; i++)
        mc_run_result_free(&res[i]);
    return rc;
}
