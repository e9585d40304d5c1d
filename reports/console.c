#include "reports.h"

#include "../harness/wire/buf.h"

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
    fprintf(out, "%-*s %-7s %-18s%s\n", w, "Client", "Result", "Failed at",
            exp ? "Expected" : "");
    fprintf(out, "%.*s\n", w + (exp ? 48 : 26),
            "--------------------------------------------------------------------------------"
            "--------------------");
    for (size_t i = 0; i < r->nruns; i++) {
        const mc_profile_run *p = &r->runs[i];
        char name[160];
        snprintf(name, sizeof name, "%s %s", p->client, p->client_version);
        const mc_step_result *f = p->broke ? &p->steps[p->failed_at] : NULL;
        fprintf(out, "%-*s %s%-7s%s %-18s", w, name,
                paint(color, p->broke ? "\033[31m" : "\033[32m"), p->broke ? "BROKE" : "PASS",
                paint(color, "\033[0m"), f ? mc_step_names[f->id] : "");
        if (p->expected)
            fprintf(out, "%s%s", p->as_expected ? "as expected" : "DIFFERS: expected ",
                    p->as_expected ? "" : p->expected);
        fputc('\n', out);
    }
    if (r->server_ran) {
        int bad = 0, warn = 0;
        for (size_t i = 0; i < r->server.nchecks; i++) {
            bad += r->server.checks[i].status == MC_FAIL;
            warn += r->server.checks[i].status == MC_WARN;
        }
        fprintf(out, "%-*s %s%-7s%s %d failed, %d warnings\n", w, "Server suite",
                paint(color, bad ? "\033[31m" : "\033[32m"), bad ? "FAIL" : "PASS",
                paint(color, "\033[0m"), bad, warn);
    }
    for (size_t i = 0; i < r->nruns; i++) {
        const mc_profile_run *p = &r->runs[i];
        if (!p->broke)
            continue;
        const mc_step_result *f = &p->steps[p->failed_at];
        const mc_check_def *d = f->failed_check ? mc_check_find(f->failed_check) : NULL;
        fprintf(out, "\n%s %s broke at %s (%s)\n", p->client, p->client_version,
                mc_step_names[f->id], f->failed_check ? f->failed_check : "error");
        fprintf(out, "  why:    %s\n", f->reason ? f->reason : "");
        if (p->remedy || d)
            fprintf(out, "  remedy: %s\n", p->remedy ? p->remedy : d->remedy);
    }
}

static void detail(FILE *out, const char *who, const mc_step_result *s, int color)
{
    for (size_t k = 0; k < s->nchecks; k++) {
        const mc_check_result *c = &s->checks[k];
        if (c->status == MC_PASS)
            continue;
        int stopped = s->failed_check && strcmp(s->failed_check, c->def->id) == 0;
        fprintf(out, "  %s%s%s %s %s/%s: %s%s\n", paint(color, c->status == MC_FAIL ? "\033[31m" : "\033[33m"),
                c->status == MC_FAIL ? "FAIL" : "WARN", paint(color, "\033[0m"), who,
                mc_step_names[s->id], c->def->id, c->message, stopped ? "  <- client stopped here" : "");
        fprintf(out, "       expected: %s (%s %s, %s)\n", c->def->summary,
                mc_keyword_name(c->keyword), mc_rev_names[c->rev], c->def->ref);
        fprintf(out, "       remedy:   %s\n", c->def->remedy);
    }
}

void mc_report_console(FILE *out, const mc_run_result *r, int color)
{
    fprintf(out, "mcpcompat %s: %s (judged by MCP %s)\n\n", r->tool_version, r->target,
            mc_rev_names[r->rev]);
    scoreboard(out, r, color);
    int header = 0;
    for (size_t i = 0; i < r->nruns; i++) {
        const mc_profile_run *p = &r->runs[i];
        if (p->note) {
            if (!header++)
                fputs("\nDetails:\n", out);
            fprintf(out, "  NOTE %s: %s\n", p->profile_id, p->note);
        }
        for (int s = 0; s < p->nsteps; s++) {
            const mc_step_result *st = &p->steps[s];
            if (mc_step_summary(st) == MC_PASS || st->status == MC_SKIP)
                continue;
            if (!header++)
                fputs("\nDetails:\n", out);
            if (st->status == MC_FAIL && st->failed_check) {
                int listed = 0;
                for (size_t k = 0; k < st->nchecks; k++)
                    listed |= strcmp(st->checks[k].def->id, st->failed_check) == 0 &&
                              st->checks[k].status != MC_PASS;
                if (!listed) {
                    const mc_check_def *d = mc_check_find(st->failed_check);
                    fprintf(out, "  %sBROKE%s %s %s/%s: %s\n", paint(color, "\033[31m"),
                            paint(color, "\033[0m"), p->profile_id, mc_step_names[s],
                            st->failed_check, st->reason ? st->reason : "");
                    if (d)
                        fprintf(out, "       remedy:   %s\n", d->remedy);
                }
            }
            detail(out, p->profile_id, st, color);
        }
    }
    if (r->server_ran && mc_step_summary(&r->server) != MC_PASS) {
        if (!header++)
            fputs("\nDetails:\n", out);
        detail(out, "server", &r->server, color);
    }
}
