#include "reports.h"

#include "../harness/wire/buf.h"

#include <string.h>

static const char *paint(int color, const char *code)
{
    return color ? code : "";
}

static void scoreboard(FILE *out, const mc_run_result *r, int color)
{
    fprintf(out, "%-34s %-6s %-18s %s\n", "Client", "Result", "Failed at", "Reason");
    fprintf(out, "%.*s\n", 100,
            "----------------------------------------------------------------------------"
            "------------------------");
    for (size_t i = 0; i < r->nruns; i++) {
        const mc_profile_run *p = &r->runs[i];
        char name[128];
        snprintf(name, sizeof name, "%s %s", p->client, p->client_version);
        const mc_step_result *f = p->broke ? &p->steps[p->failed_at] : NULL;
        fprintf(out, "%-34.34s %s%-6s%s %-18s %s", name,
                paint(color, p->broke ? "\033[31m" : "\033[32m"),
                p->broke ? "BROKE" : "PASS", paint(color, "\033[0m"),
                f ? mc_step_names[f->id] : "", f && f->reason ? f->reason : "");
        if (p->expected)
            fprintf(out, "  [expected %s: %s]", p->expected,
                    p->as_expected ? "ok" : "DIFFERS");
        fputc('\n', out);
    }
    if (r->server_ran) {
        int bad = 0, warn = 0;
        for (size_t i = 0; i < r->server.nchecks; i++) {
            bad += r->server.checks[i].status == MC_FAIL;
            warn += r->server.checks[i].status == MC_WARN;
        }
        fprintf(out, "%-34s %s%-6s%s %d failed, %d warnings\n", "Server suite",
                paint(color, bad ? "\033[31m" : "\033[32m"), bad ? "FAIL" : "PASS",
                paint(color, "\033[0m"), bad, warn);
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
        for (int s = 0; s < MC_STEP_COUNT; s++) {
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
