#include "reports.h"

#include "../harness/model/verdict.h"
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
    char name[160];
    for (size_t i = 0; i < r->nruns; i++) {
        mc_client_name(&r->runs[i], name, sizeof name);
        int n = (int)strlen(name);
        w = n > w ? n : w;
    }
    size_t *order = mc_report_order(r);
    w = w > 64 ? 64 : w;
    fprintf(out, "%-*s %-7s %-18s%s\n", w, "Client", "Result", "Failed at", exp ? "Expected" : "");
    fprintf(out, "%.*s\n", w + (exp ? 48 : 26),
            "--------------------------------------------------------------------------------"
            "--------------------");
    for (size_t i = 0; i < r->nruns; i++) {
        const mc_profile_run *p = &r->runs[order[i]];
        mc_client_name(p, name, sizeof name);
        const mc_step_result *f = p->broke || p->not_run ? &p->steps[p->failed_at] : NULL;
        fprintf(out, "%-*s %s%-7s%s %-18s", w, name,
                paint(color, p->not_run ? "\033[33m"
                             : p->broke ? "\033[31m"
                                        : "\033[32m"),
                mc_run_result_label(p), paint(color, "\033[0m"), f ? mc_step_names[f->id] : "");
        if (p->expected)
            fprintf(out, "%s%s", p->as_expected ? "as expected" : "DIFFERS: expected ",
                    p->as_expected ? "" : p->expected);
        fputc('\n', out);
    }
    for (size_t i = 0; i < r->nruns; i++)
        if (r->runs[i].needs_public) {
            fputs("* runs its OAuth from the vendor's servers: connects once the server is "
                  "reachable from the internet\n",
                  out);
            break;
        }
    if (r->server_ran) {
        int bad, warn;
        mc_count_checks(&r->server, &bad, &warn);
        const char *label = mc_server_label(&r->server, bad);
        fprintf(out, "%-*s %s%-7s%s %d failed, %d warnings; %zu of %zu checks ran\n", w,
                "Server suite",
                paint(color, bad                          ? "\033[31m"
                             : strcmp(label, "PASS") == 0 ? "\033[32m"
                                                          : "\033[33m"),
                label, paint(color, "\033[0m"), bad, warn, r->server.nchecks,
                r->server.nchecks + r->server.nnot_run);
    }
    for (size_t i = 0; i < r->nruns; i++) {
        const mc_profile_run *p = &r->runs[order[i]];
        if (p->not_run) {
            const mc_step_result *f = &p->steps[p->failed_at];
            mc_client_name(p, name, sizeof name);
            fprintf(out, "\n%s: no verdict, %s did not run\n", name, mc_step_names[f->id]);
            fprintf(out, "  why:    %s\n", f->reason ? f->reason : "");
            continue;
        }
        if (!p->broke)
            continue;
        const mc_step_result *f = &p->steps[p->failed_at];
        mc_client_name(p, name, sizeof name);
        fprintf(out, "\n%s broke at %s (%s)\n", name, mc_step_names[f->id],
                f->failed_check ? f->failed_check : "error");
        fprintf(out, "  why:    %s\n", f->reason ? f->reason : "");
        mc_remedy rm = mc_break_remedy(r, p);
        char *line = mc_remedy_line(&rm);
        if (line)
            fprintf(out, "  remedy: %s\n", line);
        free(line);
        if (p->decided_by)
            fprintf(out, "  rests on: %s, %s evidence%s%s\n", p->decided_by, p->decided_kind,
                    p->decided_evidence ? ": " : "",
                    p->decided_evidence ? p->decided_evidence : "");
    }
    free(order);
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
            if (x->def && strcmp(x->def->party, "client") == 0 && o > 0)
                fprintf(out, "        party:    the client (a deviation of the client, not of your "
                             "server)\n");
            if (x->stopped.len)
                fprintf(out, "        stopped:  %s\n", x->stopped.data);
            if (x->def && x->keyword)
                fprintf(out, "        expected: %s (%s %s, %s)\n", x->def->summary, x->keyword,
                        x->rev, x->def->ref);
            char *line = x->remedy_above ? NULL : mc_remedy_line(&x->remedy);
            if (line)
                fprintf(out, "        remedy:   %s\n", line);
            free(line);
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
    if (r->server_ran && r->server.nnot_run) {
        fprintf(out, "\nNot run (server suite, %zu of %zu checks):\n", r->server.nnot_run,
                r->server.nchecks + r->server.nnot_run);
        for (size_t i = 0; i < r->server.nnot_run; i++)
            fprintf(out, "  %s: %s\n", r->server.not_run[i].def->id, r->server.not_run[i].why);
    }
    for (int k = 0, any = 0; k < MC_PART_COUNT; k++)
        if (r->stack[k]) {
            if (!any++)
                fputs("\nStack recognised (remedies are worded for it):\n", out);
            fprintf(out, "  %s: %s, because %s\n", mc_stack_part_name((mc_stack_part)k),
                    r->stack[k]->name, r->stack_why[k]);
        }
    mc_findings f;
    mc_findings_collect(&f, r);
    if (f.n)
        fputs("\nFindings (each listed once, with the clients that met it):\n", out);
    print_findings(out, &f, color);
    mc_report_verdict_line(out, &r, 1, color);
}

void mc_report_verdict_line(FILE *out, const mc_run_result *const *runs, size_t n, int color)
{
    mc_verdict v;
    mc_verdict_of(runs, n, &v);
    char *line = mc_verdict_line(&v);
    fprintf(out, "\n%s%s%s\n", paint(color, v.exit_code ? "\033[1;31m" : "\033[1;32m"), line,
            paint(color, "\033[0m"));
    free(line);
}
