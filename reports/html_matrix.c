/* The HTML matrix report: clients × server policies as a heat table, the
 * policies, and why each cell broke. */
#include "html_int.h"

#include <stdlib.h>

/* A column's name: its persona (--as), its quirks, or the defaults. */
static const char *policy_label(const mc_matrix_policy *p)
{
    return p->persona ? p->persona : *p->quirks ? p->quirks : "(defaults)";
}

/* The heat table: a row per client, a column per policy, each cell ok or
 * the step it broke at (a link to why). */
static void heat_table(W w, const mc_matrix_policy *pol, const mc_run_result *res, size_t n,
                       size_t rows)
{
    open_el(w, "table", "heat");
    open_el(w, "tr", NULL);
    el(w, "th", NULL, "Client");
    for (size_t c = 0; c < n; c++) {
        /* headed by the product or the policy, not a number to look up */
        open_el(w, "th", "pol");
        char *title = mc_xasprintf("%s: %s", policy_label(&pol[c]), pol[c].what ? pol[c].what : "");
        attr(w, "title", title);
        free(title);
        char *href = mc_xasprintf("#policy-%zu", c + 1);
        /* written upwards (CSS): a narrow column whatever the name's length */
        link(w, href, "vert", policy_label(&pol[c]));
        free(href);
        end(w);
    }
    end(w);
    for (size_t r = 0; r < rows; r++) {
        open_el(w, "tr", "client-row");
        attr(w, "data-profile", res[0].runs[r].profile_id);
        char name[160];
        mc_client_name(&res[0].runs[r], name, sizeof name);
        el(w, "td", "name", name);
        for (size_t c = 0; c < n; c++) {
            const mc_profile_run *p = r < res[c].nruns ? &res[c].runs[r] : NULL;
            open_el(w, "td", "cell");
            if (p && p->broke) {
                char *href = mc_xasprintf("#cell-%zu-%zu", r + 1, c + 1);
                link(w, href, "broke", mc_matrix_short_steps[p->steps[p->failed_at].id]);
                free(href);
            } else
                el(w, "span", p ? "ok" : "skip", p ? "ok" : "?");
            end(w);
        }
        end(w);
    }
    /* per column: how many clients connect under that policy */
    open_el(w, "tr", "totals");
    el(w, "th", NULL, "Clients that connect");
    for (size_t c = 0; c < n; c++) {
        char *t = mc_xasprintf("%zu/%zu", mc_matrix_connects(&res[c]), res[c].nruns);
        el(w, "td", "cell mono small", t);
        free(t);
    }
    end(w);
    end(w);
}

/* The policies by number: quirks (or persona) and what they do. */
static void policies_table(W w, const mc_matrix_policy *pol, size_t n)
{
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
}

/* One broken cell: who broke under which policy, at which step, why, and
 * the remedy. */
static void cell_reason(W w, const mc_matrix_policy *pol, const mc_run_result *run,
                        const mc_profile_run *p, size_t r, size_t c)
{
    const mc_step_result *f = &p->steps[p->failed_at];
    char *id = mc_xasprintf("cell-%zu-%zu", r + 1, c + 1);
    open_el(w, "div", "finding FAIL");
    attr(w, "id", id);
    free(id);
    open_el(w, "div", NULL);
    char who[160];
    mc_client_name(p, who, sizeof who);
    el(w, "b", NULL, who);
    text(w, " under ");
    el(w, "code", NULL, policy_label(pol));
    text(w, " broke at ");
    el(w, "code", NULL, mc_step_names[f->id]);
    end(w);
    open_el(w, "dl", NULL);
    el(w, "dt", NULL, "check");
    el(w, "dd", "mono", f->failed_check ? f->failed_check : "error");
    el(w, "dt", NULL, "why");
    el(w, "dd", NULL, f->reason ? f->reason : "");
    mc_remedy rm = mc_break_remedy(run, p); /* a persona's names the product's setting */
    if (rm.text) {
        el(w, "dt", NULL, "remedy");
        remedy_el(w, "dd", NULL, NULL, &rm);
    }
    end(w);
    end(w);
}

int mc_report_matrix_html(const char *path, const mc_matrix_policy *pol, const mc_run_result *res,
                          size_t n)
{
    size_t rows = n ? res[0].nruns : 0;
    char *title = mc_xasprintf("mcpcompat %s: matrix", n ? res[0].tool_version : "");
    mc_out f;
    W w = mc_html_page_begin(path, title, &f);
    free(title);
    if (!w)
        return -1;
    int pass = 0, broke = 0;
    for (size_t c = 0; c < n; c++)
        for (size_t r = 0; r < res[c].nruns; r++)
            *(res[c].runs[r].broke ? &broke : &pass) += 1;
    const char *cols = mc_matrix_columns(pol, n);
    char *sub = mc_xasprintf("%zu clients against the embedded fixture %s %zu %s", rows,
                             n && pol[0].persona ? "playing" : "under", n, cols);
    mc_html_header(w, "mcpcompat matrix", sub, pass, broke);
    free(sub);
    open_el(w, "main", NULL);
    char *heading = mc_xasprintf("Clients × %s", cols);
    section(w, "matrix", heading);
    free(heading);
    heat_table(w, pol, res, n, rows);
    policies_table(w, pol, n);
    char *legend = mc_xasprintf("A cell is ok, or the step where the client broke (%s); a broken "
                                "cell links to its reason. `mcpcompat run --profile ID --quirk Q "
                                "--html FILE` draws that handshake.",
                                mc_matrix_step_legend);
    el(w, "p", "muted small", legend);
    free(legend);
    end(w);
    section(w, "reasons", "Why each cell broke");
    for (size_t c = 0; c < n; c++)
        for (size_t r = 0; r < res[c].nruns; r++)
            if (res[c].runs[r].broke)
                cell_reason(w, &pol[c], &res[c], &res[c].runs[r], r, c);
    end(w);
    end(w); /* main */
    return mc_html_page_end(w, &f);
}
