/* GitHub-flavoured Markdown: the scoreboard and the findings with what was
 * expected, the reference and the remedy, for a job's step summary or a pull
 * request comment. Every string a target or a profile controls is escaped
 * so that it can neither end a table cell nor inject markup or HTML. */
#include "reports.h"

#include "../harness/model/verdict.h"

#include <stdlib.h>
#include <string.h>

/* Text in a paragraph or a table cell: valid UTF-8 on one line, Markdown's
 * punctuation backslash-escaped, HTML's entities, no @mention. */
static void text(FILE *out, const char *s)
{
    char *safe = mc_xml_safe(s ? s : "");
    for (const char *p = safe; *p; p++) {
        switch (*p) {
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '&':
            fputs("&amp;", out);
            break;
        case '@':
            fputs("&#64;", out);
            break;
        case '\n':
        case '\t':
            fputc(' ', out);
            break;
        default:
            if (strchr("\\`*_[]|#~", *p))
                fputc('\\', out);
            fputc(*p, out);
        }
    }
    free(safe);
}

/* An identifier as code, unless it holds what a code span cannot. */
static void code(FILE *out, const char *s)
{
    if (s && *s && !strpbrk(s, "`|<>&@\\\n\r\t")) {
        fprintf(out, "`%s`", s);
        return;
    }
    text(out, s);
}

static const char *mark(const char *label)
{
    return strcmp(label, "WARN") == 0 ? "\u26a0\ufe0f" : "\u274c";
}

static void scoreboard(FILE *out, const mc_run_result *r)
{
    int exp = 0;
    for (size_t i = 0; i < r->nruns; i++)
        exp |= r->runs[i].expected != NULL;
    fprintf(out, "| Client | Profile | Result | Failed at |%s\n| --- | --- | --- | --- |%s\n",
            exp ? " Expected |" : "", exp ? " --- |" : "");
    size_t *order = mc_report_order(r);
    char name[160];
    for (size_t i = 0; i < r->nruns; i++) {
        const mc_profile_run *p = &r->runs[order[i]];
        fputs("| ", out);
        mc_client_name(p, name, sizeof name);
        text(out, name);
        fputs(" | ", out);
        code(out, p->profile_id);
        fprintf(out, " | %s | ",
                p->not_run        ? "\u26a0\ufe0f NOT RUN"
                : p->broke        ? "\u274c BROKE"
                : p->needs_public ? "\u2705 PASS\\*"
                                  : "\u2705 PASS");
        if (p->broke || p->not_run)
            code(out, mc_step_names[p->steps[p->failed_at].id]);
        fputs(" |", out);
        if (exp && p->expected) {
            fputs(p->as_expected ? " as expected" : " **differs**: expected ", out);
            if (!p->as_expected)
                code(out, p->expected);
            fputs(" |", out);
        } else if (exp) {
            fputs("  |", out);
        }
        fputc('\n', out);
    }
    free(order);
    if (r->server_ran) {
        int bad, warn;
        mc_count_checks(&r->server, &bad, &warn);
        const char *label = mc_server_label(&r->server, bad);
        fprintf(out,
                "| Server suite |  | %s %s | %d failed, %d warnings, %zu of %zu checks ran |%s\n",
                bad                          ? "\u274c"
                : strcmp(label, "PASS") == 0 ? "\u2705"
                                             : "\u26a0\ufe0f",
                label, bad, warn, r->server.nchecks, r->server.nchecks + r->server.nnot_run,
                exp ? "  |" : "");
    }
}

/* The clients with no verdict, and why. */
static void not_run(FILE *out, const mc_run_result *r)
{
    int any = 0;
    for (size_t i = 0; i < r->nruns; i++) {
        const mc_profile_run *p = &r->runs[i];
        if (!p->not_run)
            continue;
        if (!any++)
            fputs("\n#### Clients not run\n\n", out);
        const mc_step_result *f = &p->steps[p->failed_at];
        char name[160];
        mc_client_name(p, name, sizeof name);
        fputs("- **", out);
        text(out, name);
        fputs("**: ", out);
        code(out, mc_step_names[f->id]);
        fputs(" did not run: ", out);
        text(out, f->reason);
        fputc('\n', out);
    }
}

/* A remedy after lead; a stack's names the stack and links its documentation. */
static void remedy(FILE *out, const mc_remedy *m, const char *lead)
{
    if (!m->text)
        return;
    fputs(lead, out);
    if (m->by) {
        text(out, m->by);
        fputs(": ", out);
    }
    text(out, m->text);
    if (m->doc)
        fprintf(out, " ([documentation](%s))", m->doc);
}

static void breaks(FILE *out, const mc_run_result *r)
{
    int any = 0;
    char name[160];
    size_t nbroke = 0;
    for (size_t i = 0; i < r->nruns; i++)
        nbroke += r->runs[i].broke != 0;
    /* a few breaks shown; more folded, so that a pull request comment stays
     * short (the scoreboard above already says who broke where) */
    int fold = nbroke > 3;
    size_t *order = mc_report_order(r);
    for (size_t i = 0; i < r->nruns; i++) {
        const mc_profile_run *p = &r->runs[order[i]];
        if (!p->broke)
            continue;
        if (!any++) {
            if (fold)
                fprintf(out,
                        "\n<details><summary>Why %zu clients broke, and the remedies</summary>\n\n",
                        nbroke);
            else
                fputs("\n#### Why clients broke\n\n", out);
        }
        const mc_step_result *f = &p->steps[p->failed_at];
        fputs("- **", out);
        mc_client_name(p, name, sizeof name);
        text(out, name);
        fputs("** broke at ", out);
        code(out, mc_step_names[f->id]);
        fputs(" (", out);
        code(out, f->failed_check ? f->failed_check : "error");
        fputs("): ", out);
        text(out, f->reason);
        fputc('\n', out);
        mc_remedy rm = mc_break_remedy(r, p);
        remedy(out, &rm, "  - **Remedy:** ");
        if (rm.text)
            fputc('\n', out);
    }
    if (fold)
        fputs("\n</details>\n", out);
    free(order);
}

static void findings(FILE *out, const mc_run_result *r)
{
    mc_findings f = {0};
    mc_findings_collect(&f, r);
    for (int k = 0; k < MC_PART_COUNT; k++)
        if (r->stack[k]) { /* the remedies are worded for it */
            fprintf(out, "\nStack recognised for the %s: [", mc_stack_part_name((mc_stack_part)k));
            text(out, r->stack[k]->name);
            fprintf(out, "](%s), because ", r->stack[k]->doc);
            text(out, r->stack_why[k]);
            fputs("; remedies are worded for it.\n", out);
        }
    /* folded: a pull request comment stays short */
    if (f.n)
        fprintf(out,
                "\n<details><summary>Findings (%zu), each listed once with the clients that met "
                "it</summary>\n\n",
                f.n);
    /* failures first, then warnings, each in order of appearance */
    static const char *const order[] = {"BROKE", "FAIL", "WARN"};
    for (size_t o = 0; o < 3; o++)
        for (size_t i = 0; i < f.n; i++) {
            const mc_finding *x = &f.items[i];
            if (strcmp(x->label, order[o]) != 0)
                continue;
            fprintf(out, "- %s **%s** ", mark(x->label), x->label);
            code(out, x->step);
            fputs(" / ", out);
            code(out, x->def ? x->def->id : "error");
            fputs(": ", out);
            text(out, x->message);
            fputs("\n  - seen by: ", out);
            text(out, x->who.data);
            if (x->def && strcmp(x->def->party, "client") == 0 && o > 0)
                fputs("\n  - party: the client (a deviation of the client, not of your server)",
                      out);
            if (x->stopped.len) {
                fputs("\n  - stopped: ", out);
                text(out, x->stopped.data);
            }
            if (x->def && x->keyword) {
                fputs("\n  - expected: ", out);
                text(out, x->def->summary);
                fprintf(out, " (%s %s, ", x->keyword, x->rev);
                text(out, x->def->ref);
                fputc(')', out);
            }
            if (!x->remedy_above)
                remedy(out, &x->remedy, "\n  - remedy: ");
            fputc('\n', out);
        }
    if (f.n)
        fputs("\n</details>\n", out);
    mc_findings_free(&f);
    if (r->server_ran && r->server.nnot_run) {
        fprintf(out, "\n<details><summary>Not run (server suite): %zu of %zu checks</summary>\n\n",
                r->server.nnot_run, r->server.nchecks + r->server.nnot_run);
        for (size_t i = 0; i < r->server.nnot_run; i++) {
            fputs("- ", out);
            code(out, r->server.not_run[i].def->id);
            fputs(": ", out);
            text(out, r->server.not_run[i].why);
            fputc('\n', out);
        }
        fputs("\n</details>\n", out);
    }
    int notes = 0;
    for (size_t i = 0; i < r->nruns; i++)
        if (r->runs[i].note) {
            fputs(notes++ ? "" : "\n<details><summary>Notes</summary>\n\n", out);
            fputs("- ", out);
            code(out, r->runs[i].profile_id);
            fputs(": ", out);
            text(out, r->runs[i].note);
            fputc('\n', out);
        }
    if (notes)
        fputs("\n</details>\n", out);
}

static int finish(mc_out *o)
{
    return mc_out_close(o, 1); /* any write error is in the stream's state */
}

int mc_report_markdown(const char *path, const mc_run_result *const *runs, size_t n)
{
    mc_out o;
    FILE *out = mc_out_open(&o, path);
    if (!out)
        return -1;
    /* the verdict first: what the job's exit code says, and why */
    mc_verdict v;
    mc_verdict_of(runs, n, &v);
    char *line = mc_verdict_line(&v);
    const char *colon = strchr(line, ':');
    fprintf(out, "%s **%.*s**", v.exit_code ? "\u274c" : "\u2705", (int)(colon - line), line);
    text(out, colon);
    fputs("\n\n", out);
    free(line);
    for (size_t k = 0; k < n; k++) {
        const mc_run_result *r = runs[k];
        fprintf(out,
                "%s### mcpcompat %s: which clients connect (MCP %s)\n\nTarget: ", k ? "\n" : "",
                r->tool_version, mc_rev_names[r->rev]);
        text(out, r->target);
        fputs("\n\n", out);
        scoreboard(out, r);
        breaks(out, r);
        not_run(out, r);
        findings(out, r);
    }
    return finish(&o);
}

int mc_report_matrix_markdown(const char *path, const mc_matrix_policy *pol,
                              const mc_run_result *res, size_t n)
{
    mc_out o;
    FILE *out = mc_out_open(&o, path);
    if (!out)
        return -1;
    fprintf(out, "### mcpcompat %s: clients %s %zu %s\n\n| Client |", n ? res[0].tool_version : "",
            n && pol[0].persona ? "against" : "under", n, mc_matrix_columns(pol, n));
    for (size_t c = 0; c < n; c++)
        fprintf(out, " %zu |", c + 1);
    fputs("\n| --- |", out);
    for (size_t c = 0; c < n; c++)
        fputs(" --- |", out);
    fputc('\n', out);
    for (size_t r = 0; n && r < res[0].nruns; r++) {
        char name[160];
        mc_client_name(&res[0].runs[r], name, sizeof name);
        fputs("| ", out);
        text(out, name);
        fputs(" |", out);
        for (size_t c = 0; c < n; c++) {
            const mc_profile_run *p = r < res[c].nruns ? &res[c].runs[r] : NULL;
            fputs(!p ? " ? |" : p->broke ? " \u274c " : " \u2705 |", out);
            if (p && p->broke) {
                code(out, mc_step_names[p->steps[p->failed_at].id]);
                fputs(" |", out);
            }
        }
        fputc('\n', out);
    }
    /* per column: how many clients connect under it */
    fputs("| **Clients that connect** |", out);
    for (size_t c = 0; c < n; c++)
        fprintf(out, " %zu/%zu |", mc_matrix_connects(&res[c]), res[c].nruns);
    fputc('\n', out);
    fprintf(out, "\n| # | %s | What |\n| --- | --- | --- |\n",
            n && pol[0].persona ? "Authorization server (persona)" : "Fixture quirks");
    for (size_t c = 0; c < n; c++) {
        fprintf(out, "| %zu | ", c + 1);
        code(out, pol[c].persona ? pol[c].persona : *pol[c].quirks ? pol[c].quirks : "(defaults)");
        fputs(" | ", out);
        text(out, pol[c].what);
        fputs(" |\n", out);
    }
    fprintf(out,
            "\nA cell is \u2705, or \u274c and the step where the client broke; `mcpcompat run "
            "--profile ID --quirk Q` (or `--as PERSONA`) shows why.\n");
    return finish(&o);
}
