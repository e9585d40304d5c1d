/* `mcpcompat matrix`: one row per client, one column per server policy; a
 * cell is "ok" or the step where the client broke. */
#include "reports.h"

#include "../harness/wire/sanitize.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Short step names for narrow cells, and what each stands for. */
const char *const mc_matrix_short_steps[MC_STEP_COUNT] = {"probe", "prm",   "asm", "reg",
                                                          "authz", "token", "mcp", "refr"};
const char *const mc_matrix_step_legend =
    "probe: the first request and its 401, prm: protected resource metadata, asm: "
    "authorization server metadata, reg: registration, authz: authorization, token: the code "
    "exchange, mcp: the authorized MCP call, refr: refresh";

const char *mc_matrix_columns(const mc_matrix_policy *pol, size_t n)
{
    if (n && pol[0].persona)
        return n == 1 ? "authorization server" : "authorization servers";
    return n == 1 ? "server policy" : "server policies";
}

size_t mc_matrix_connects(const mc_run_result *r)
{
    size_t ok = 0;
    for (size_t i = 0; i < r->nruns; i++)
        ok += !r->runs[i].broke && !r->runs[i].not_run;
    return ok;
}

/* Words of text folded to lines of at most width columns, each after indent. */
static void fold(FILE *out, const char *text, int width)
{
    int col = 0;
    while (*text) {
        size_t len = strcspn(text, " ");
        if (col && col + 1 + (int)len > width) {
            fputc('\n', out);
            col = 0;
        } else if (col) {
            fputc(' ', out);
            col++;
        }
        fwrite(text, 1, len, out);
        col += (int)len;
        text += len;
        while (*text == ' ')
            text++;
    }
    fputc('\n', out);
}

void mc_report_matrix(FILE *out, const mc_matrix_policy *pol, const mc_run_result *res, size_t n,
                      int color)
{
    size_t rows = n ? res[0].nruns : 0;
    fprintf(out, "mcpcompat %s: %zu clients against the embedded fixture %s %zu %s\n\n",
            n ? res[0].tool_version : "", rows, n && pol[0].persona ? "playing" : "under", n,
            mc_matrix_columns(pol, n));
    static const char totals[] = "Clients that connect";
    int w = (int)sizeof totals - 1;
    for (size_t r = 0; r < rows; r++) {
        char name[160];
        mc_client_name(&res[0].runs[r], name, sizeof name);
        int len = (int)strlen(name);
        w = len > w ? len : w;
    }
    fprintf(out, "%-*s", w, "Client");
    for (size_t c = 0; c < n; c++)
        fprintf(out, " %5zu", c + 1);
    fputc('\n', out);
    for (size_t r = 0; r < rows; r++) {
        char name[160];
        mc_client_name(&res[0].runs[r], name, sizeof name);
        fprintf(out, "%-*s", w, name);
        for (size_t c = 0; c < n; c++) {
            const mc_profile_run *p = r < res[c].nruns ? &res[c].runs[r] : NULL;
            const char *cell = !p           ? "?"
                               : p->not_run ? "n/r"
                               : p->broke   ? mc_matrix_short_steps[p->steps[p->failed_at].id]
                                            : "ok";
            fprintf(out, " %s%5s%s",
                    !color            ? ""
                    : p && p->not_run ? "\033[33m"
                    : p && !p->broke  ? "\033[32m"
                                      : "\033[31m",
                    cell, color ? "\033[0m" : "");
        }
        fputc('\n', out);
    }
    /* per column: how many clients connect under it */
    fprintf(out, "%-*s", w, totals);
    for (size_t c = 0; c < n; c++) {
        char t[32];
        snprintf(t, sizeof t, "%zu/%zu", mc_matrix_connects(&res[c]), res[c].nruns);
        fprintf(out, " %5s", t);
    }
    fputc('\n', out);
    fputc('\n', out);
    for (size_t c = 0; c < n; c++)
        fprintf(out, "%3zu  %-28s %s\n", c + 1,
                pol[c].persona   ? pol[c].persona
                : *pol[c].quirks ? pol[c].quirks
                                 : "(defaults)",
                pol[c].what ? pol[c].what : "");
    char *legend = mc_xasprintf(
        "A cell is ok, or the step where the client broke (%s), or n/r when the client could "
        "not be run to a verdict. `mcpcompat run --profile ID --quirk Q` (or `--as PERSONA`) "
        "shows why.",
        mc_matrix_step_legend);
    fputc('\n', out);
    fold(out, legend, 90);
    free(legend);
}

int mc_report_matrix_json(const char *path, const mc_matrix_policy *pol, const mc_run_result *res,
                          size_t n)
{
    json_t *cols = json_array();
    for (size_t c = 0; c < n; c++) {
        json_t *clients = json_array();
        for (size_t r = 0; r < res[c].nruns; r++) {
            const mc_profile_run *p = &res[c].runs[r];
            mc_remedy rm = mc_break_remedy(&res[c], p);
            char *remedy = mc_remedy_line(&rm);
            const mc_step_result *f = p->broke || p->not_run ? &p->steps[p->failed_at] : NULL;
            /* a cell explains itself: the step, the check that stopped the
             * client, why, and (for a persona) the product's remedy */
            json_array_append_new(
                clients,
                json_pack("{s:o, s:s, s:o, s:o, s:o, s:o}", "id", mc_json_text(p->profile_id),
                          "result", mc_profile_result_name(p), "failed_at",
                          f ? json_string(mc_step_names[f->id]) : json_null(), "check",
                          mc_json_text(f ? f->failed_check : NULL), "reason",
                          mc_json_text(f ? f->reason : NULL), "remedy", mc_json_text(remedy)));
            free(remedy);
        }
        json_t *col =
            json_pack("{s:o, s:o, s:o}", "quirks", mc_json_text(pol[c].quirks ? pol[c].quirks : ""),
                      "what", mc_json_text(pol[c].what), "profiles", clients);
        if (pol[c].persona)
            json_object_set_new(col, "persona", mc_json_text(pol[c].persona));
        json_array_append_new(cols, col);
    }
    json_t *j = json_pack("{s:s, s:o, s:s, s:o}", "tool", "mcpcompat", "version",
                          mc_json_text(n ? res[0].tool_version : ""), "target", "embedded fixture",
                          "policies", cols);
    return mc_report_json_doc(path, j);
}
