/* `mcpcompat matrix`: one row per client, one column per server policy; a
 * cell is "ok" or the step where the client broke. */
#include "reports.h"

#include "../harness/wire/sanitize.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Short step names for narrow cells. */
static const char *const short_steps[] = {"probe", "prm",   "asm", "reg",
                                          "authz", "token", "mcp", "refr"};

void mc_report_matrix(FILE *out, const mc_matrix_policy *pol, const mc_run_result *res, size_t n,
                      int color)
{
    size_t rows = n ? res[0].nruns : 0;
    if (n && pol[0].persona)
        fprintf(out, "mcpcompat %s: %zu clients against the embedded fixture playing %zu %s\n\n",
                res[0].tool_version, rows, n,
                n == 1 ? "authorization server" : "authorization servers");
    else
        fprintf(out,
                "mcpcompat %s: %zu clients against the embedded fixture under %zu server %s\n\n",
                n ? res[0].tool_version : "", rows, n, n == 1 ? "policy" : "policies");
    int w = 6;
    for (size_t r = 0; r < rows; r++) {
        int len = (int)(strlen(res[0].runs[r].client) + 1 + strlen(res[0].runs[r].client_version));
        w = len > w ? len : w;
    }
    fprintf(out, "%-*s", w, "Client");
    for (size_t c = 0; c < n; c++)
        fprintf(out, " %5zu", c + 1);
    fputc('\n', out);
    for (size_t r = 0; r < rows; r++) {
        char name[160];
        snprintf(name, sizeof name, "%s %s", res[0].runs[r].client, res[0].runs[r].client_version);
        fprintf(out, "%-*s", w, name);
        for (size_t c = 0; c < n; c++) {
            const mc_profile_run *p = r < res[c].nruns ? &res[c].runs[r] : NULL;
            const char *cell = !p           ? "?"
                               : p->not_run ? "n/r"
                               : p->broke   ? short_steps[p->steps[p->failed_at].id]
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
    fputc('\n', out);
    for (size_t c = 0; c < n; c++)
        fprintf(out, "%3zu  %-28s %s\n", c + 1,
                pol[c].persona   ? pol[c].persona
                : *pol[c].quirks ? pol[c].quirks
                                 : "(defaults)",
                pol[c].what ? pol[c].what : "");
    fputs(
        "\nA cell is ok, or the step where the client broke (prm: resource metadata, asm:\n"
        "authorization server metadata, reg: registration, authz: authorization), or n/r when the\n"
        "client could not be run to a verdict. `mcpcompat run --profile ID --quirk Q` (or `--as\n"
        "PERSONA`) shows why.\n",
        out);
}

/* A JSON string of any text (invalid UTF-8 repaired: a reason may quote a
 * server), or null; never NULL, which would drop the whole document. */
static json_t *text(const char *s)
{
    if (!s)
        return json_null();
    json_t *j = json_string(s);
    if (!j) {
        char *fixed = mc_utf8_repair(s);
        j = json_string(fixed);
        free(fixed);
    }
    return j ? j : json_null();
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
                clients, json_pack("{s:o, s:s, s:o, s:o, s:o, s:o}", "id", text(p->profile_id),
                                   "result", mc_profile_result_name(p), "failed_at",
                                   f ? json_string(mc_step_names[f->id]) : json_null(), "check",
                                   text(f ? f->failed_check : NULL), "reason",
                                   text(f ? f->reason : NULL), "remedy", text(remedy)));
            free(remedy);
        }
        json_t *col =
            json_pack("{s:o, s:o, s:o}", "quirks", text(pol[c].quirks ? pol[c].quirks : ""), "what",
                      text(pol[c].what), "profiles", clients);
        if (pol[c].persona)
            json_object_set_new(col, "persona", text(pol[c].persona));
        json_array_append_new(cols, col);
    }
    json_t *j = json_pack("{s:s, s:o, s:s, s:o}", "tool", "mcpcompat", "version",
                          text(n ? res[0].tool_version : ""), "target", "embedded fixture",
                          "policies", cols);
    mc_out o;
    int rc = -1;
    if (mc_out_open(&o, path))
        rc = mc_out_close(&o, json_dumpf(j, o.f, JSON_INDENT(2) | JSON_ENSURE_ASCII) == 0);
    json_decref(j);
    return rc;
}
