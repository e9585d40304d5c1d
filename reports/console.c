#include "reports.h"

#include "../harness/wire/buf.h"

#include <stdlib.h>

#include <string.h>

static const char *paint(int color, const char *code)
{
    return color ? code : "";
}

static int any_expected(const mc_run_result *r)
{
    for (size_t i = 0; i < r->nruns; i++)
        if (r->runs[i].expected)
            return 1;
    return 0;
}

/* The seed's table: client, result, the step it broke at; then, for each
 * break, why and what the server author can do about it. */
static void scoreboard(FILE *out, const mc_run_result *r, int color)
{
    int exp = any_expected(r);
    int w = 12;
    for (size_t i = 0; i < r->nruns; i++) {
        int n = (int)(strlen(r->runs[i].client) + 1 + strlen(r->runs[i].client_version));
        w = n > w ? n : w;
    }
    w = w > 64 ? 64 : w;
    fprintf(out, "%-*s %-7s %-18s%s\n", w, "Client", "Result", "Failed at", exp ? "Expected" : "");
    fprintf(out, "%.*s\n", w + (exp ? 48 : 26),
            "--------------------------------------------------------------------------------"
            "--------------------");
    for (size_t i = 0; i < r->nruns; i++) {
        const mc_profile_run *p = &r->runs[i];
        char name[160];
        snprintf(name, sizeof name, "%s %s", p->client, p->client_version);
        const mc_step_result *f = p->broke || p->not_run ? &p->steps[p->failed_at] : NULL;
        fprintf(out, "%-*s %s%-7s%s %-18s", w, name,
                paint(color, p->not_run ? "\033[33m"
                             : p->broke ? "\033[31m"
                                        : "\033[32m"),
                p->not_run ? "NOT RUN"
                : p->broke ? "BROKE"
                           : "PASS",
                paint(color, "\033[0m"), f ? mc_step_names[f->id] : "");
        if (p->expected)
            fprintf(out, "%s%s", p->as_expected ? "as expected" : "DIFFERS: expected ",
                    p->as_expected ? "" : p->expected);
        fputc('\n', out);
    }
    if (r->server_ran) {
        int bad, warn;
        mc_count_checks(&r->server, &bad, &warn);
        int skipped = 0;
        const char *why = NULL; /* the first check not run says why */
        for (size_t k = 0; k < r->server.nchecks; k++)
            if (r->server.checks[k].status == MC_SKIP && !skipped++)
                why = r->server.checks[k].message;
        fprintf(out, "%-*s %s%-7s%s %d failed, %d warnings", w, "Server suite",
                paint(color, bad ? "\033[31m" : "\033[32m"), bad ? "FAIL" : "PASS",
                paint(color, "\033[0m"), bad, warn);
        if (skipped)
            fprintf(out, ", %d not run: %s", skipped, why + (strncmp(why, "not run: ", 9) ? 0 : 9));
        fputc('\n', out);
    }
    for (size_t i = 0; i < r->nruns; i++) {
        const mc_profile_run *p = &r->runs[i];
        if (p->not_run) {
            const mc_step_result *f = &p->steps[p->failed_at];
            fprintf(out, "\n%s %s: no verdict, %s did not run\n", p->client, p->client_version,
                    mc_step_names[f->id]);
            fprintf(out, "  why:    %s\n", f->reason ? f->reason : "");
            continue;
        }
        if (!p->broke)
            continue;
        const mc_step_result *f = &p->steps[p->failed_at];
        const mc_check_def *d = f->failed_check ? mc_check_find(f->failed_check) : NULL;
        fprintf(out, "\n%s %s broke at %s (%s)\n", p->client, p->client_version,
                mc_step_names[f->id], f->failed_check ? f->failed_check : "error");
        fprintf(out, "  why:    %s\n", f->reason ? f->reason : "");
        if (p->remedy || d)
            fprintf(out, "  remedy: %s\n", p->remedy ? p->remedy : d->remedy);
        if (p->decided_by)
            fprintf(out, "  rests on: %s, %s evidence%s%s\n", p->decided_by, p->decided_kind,
                    p->decided_evidence ? ": " : "",
                    p->decided_evidence ? p->decided_evidence : "");
    }
}

static void print_findings(FILE *out, mc_findings *f, int color)
{
    /* failures first, then warnings, each in order of appearance */
    static const char *const order[] = {"BROKE", "FAIL", "WARN"};
    for (size_t o = 0; o < 3; o++) {
        for (size_t i = 0; i < f->n; i++) {
            mc_finding *x = &f->items[i];
            if (strcmp(x->label, order[o]) != 0)
                continue;
            fprintf(out, "  %s%-5s%s %s/%s: %s\n", paint(color, o < 2 ? "\033[31m" : "\033[33m"),
                    x->label, paint(color, "\033[0m"), x->step, x->def ? x->def->id : "error",
                    x->message);
            fprintf(out, "        seen by:  %s\n", x->who.data);
            if (x->stopped.len)
                fprintf(out, "        stopped:  %s\n", x->stopped.data);
            if (x->def && x->keyword)
                fprintf(out, "        expected: %s (%s %s, %s)\n", x->def->summary, x->keyword,
                        x->rev, x->def->ref);
            if (x->def)
                fprintf(out, "        remedy:   %s\n", x->def->remedy);
        }
    }
    mc_findings_free(f);
}

void mc_report_console(FILE *out, const mc_run_result *r, int color)
{
    fprintf(out, "mcpcompat %s: %s (judged by MCP %s%s%s)\n\n", r->tool_version, r->target,
            mc_rev_names[r->rev], r->persona ? "; the fixture plays " : "",
            r->persona ? r->persona : "");
    scoreboard(out, r, color);
    int notes = 0;
    for (size_t i = 0; i < r->nruns; i++) {
        const mc_profile_run *p = &r->runs[i];
        if (p->note) {
            if (!notes++)
                fputs("\nNotes:\n", out);
            fprintf(out, "  %s: %s\n", p->profile_id, p->note);
        }
        char *auth = mc_profile_run_auth_note(p);
        if (auth) {
            if (!notes++)
                fputs("\nNotes:\n", out);
            fprintf(out, "  %s: %s\n", p->profile_id, auth);
            free(auth);
        }
    }
    if (r->server_ran && r->server.reason)
        fprintf(out, "\nServer suite: %s\n", r->server.reason);
    mc_findings f;
    mc_findings_collect(&f, r);
    if (f.n)
        fputs("\nFindings (each listed once, with the clients that met it):\n", out);
    print_findings(out, &f, color);
}
