#include "result.h"

#include "../wire/buf.h"
#include "../wire/redact.h"
#include "../wire/sanitize.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *mc_status_name(mc_status st)
{
    static const char *const names[] = {"pass", "fail", "warn", "skip", "error"};
    return names[st];
}

static char *vline(const char *fmt, va_list ap)
{
    char tmp[1024];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    for (char *p = tmp; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    /* server text in a message: no terminal escapes, valid UTF-8 (the cut
     * above may split a character) */
    char *clean = mc_sanitize(tmp, strlen(tmp), 0);
    char *out = mc_redact(clean);
    free(clean);
    return out;
}

const char *mc_profile_result_name(const mc_profile_run *r)
{
    return r->not_run ? "not-run" : r->broke ? "broke" : "pass";
}

mc_status mc_step_check(mc_step_result *s, mc_rev rev, const char *id, int ok, const char *fmt, ...)
{
    const mc_check_def *def = mc_check_find(id);
    if (!def) {
        fprintf(stderr, "mcpcompat: internal: unknown check %s\n", id);
        abort();
    }
    mc_keyword kw = def->kw[rev];
    if (kw == MC_KW_NONE)
        return MC_SKIP;
    mc_status st = ok ? MC_PASS : kw == MC_KW_MUST ? MC_FAIL : MC_WARN;
    s->checks = mc_xrealloc(s->checks, (s->nchecks + 1) * sizeof *s->checks);
    mc_check_result *c = &s->checks[s->nchecks++];
    c->def = def;
    c->status = st;
    c->keyword = kw;
    c->rev = rev;
    va_list ap;
    va_start(ap, fmt);
    c->message = vline(fmt, ap);
    va_end(ap);
    return st;
}

static int recorded(const mc_step_result *s, const mc_check_def *def)
{
    for (size_t i = 0; i < s->nchecks; i++)
        if (s->checks[i].def == def)
            return 1;
    for (size_t i = 0; i < s->nnot_run; i++)
        if (s->not_run[i].def == def)
            return 1;
    return 0;
}

static void add_not_run(mc_step_result *s, mc_rev rev, const mc_check_def *def, char *why)
{
    s->not_run = mc_xrealloc(s->not_run, (s->nnot_run + 1) * sizeof *s->not_run);
    s->not_run[s->nnot_run++] = (mc_not_run){.def = def, .rev = rev, .why = why};
}

void mc_step_not_run(mc_step_result *s, mc_rev rev, const char *id, const char *fmt, ...)
{
    const mc_check_def *def = mc_check_find(id);
    if (!def) {
        fprintf(stderr, "mcpcompat: internal: unknown check %s\n", id);
        abort();
    }
    if (def->kw[rev] == MC_KW_NONE || recorded(s, def))
        return;
    va_list ap;
    va_start(ap, fmt);
    add_not_run(s, rev, def, vline(fmt, ap));
    va_end(ap);
}

void mc_step_not_run_rest(mc_step_result *s, mc_rev rev, const char *why)
{
    for (size_t i = 0; i < mc_checks_count; i++) {
        const mc_check_def *def = &mc_checks[i];
        if (def->step == s->id && def->kw[rev] != MC_KW_NONE && !recorded(s, def))
            add_not_run(s, rev, def, mc_xstrdup(why));
    }
}

void mc_step_fail(mc_step_result *s, const char *id, const char *fmt, ...)
{
    s->status = MC_FAIL;
    s->failed_check = mc_check_find(id) ? mc_check_find(id)->id : id;
    free(s->reason);
    va_list ap;
    va_start(ap, fmt);
    s->reason = vline(fmt, ap);
    va_end(ap);
}

void mc_step_add_exchange(mc_step_result *s, mc_exchange *ex)
{
    if (!ex)
        return;
    s->exchanges = mc_xrealloc(s->exchanges, (s->nexchanges + 1) * sizeof *s->exchanges);
    s->exchanges[s->nexchanges++] = ex;
}

mc_status mc_step_summary(const mc_step_result *s)
{
    if (s->status != MC_PASS)
        return s->status;
    for (size_t i = 0; i < s->nchecks; i++)
        if (s->checks[i].status == MC_FAIL || s->checks[i].status == MC_WARN)
            return MC_WARN;
    return MC_PASS;
}

void mc_step_result_free(mc_step_result *s)
{
    for (size_t i = 0; i < s->nchecks; i++)
        free(s->checks[i].message);
    free(s->checks);
    for (size_t i = 0; i < s->nexchanges; i++)
        mc_exchange_free(s->exchanges[i]);
    free(s->exchanges);
    for (size_t i = 0; i < s->nnot_run; i++)
        free(s->not_run[i].why);
    free(s->not_run);
    free(s->reason);
    memset(s, 0, sizeof *s);
}

void mc_profile_run_free(mc_profile_run *r)
{
    for (int i = 0; i < MC_STEP_COUNT; i++)
        mc_step_result_free(&r->steps[i]);
    free(r->profile_id);
    free(r->client);
    free(r->client_version);
    free(r->expected);
    free(r->note);
    free(r->remedy);
    free(r->decided_by);
    free(r->decided_kind);
    free(r->decided_evidence);
    free(r->auth_started_at);
    for (size_t i = 0; i < r->npublic; i++)
        free(r->public_requests[i]);
}

void mc_run_result_free(mc_run_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nruns; i++)
        mc_profile_run_free(&r->runs[i]);
    free(r->runs);
    mc_step_result_free(&r->server);
    free(r->target);
    free(r->persona);
    free(r->tool_version);
    for (int p = 0; p < MC_PART_COUNT; p++)
        free(r->stack_why[p]);
    memset(r, 0, sizeof *r);
}

char *mc_profile_run_auth_note(const mc_profile_run *r)
{
    if (!r->npublic)
        return NULL;
    mc_buf b;
    mc_buf_init(&b, 1024);
    if (r->auth_started_at)
        mc_buf_printf(&b, "authorization started at %s (", r->auth_started_at);
    for (size_t i = 0; i < r->npublic; i++)
        mc_buf_printf(&b, "%s%s", i ? ", " : "", r->public_requests[i]);
    mc_buf_adds(&b, r->auth_started_at ? " answered without a token)"
                                       : " answered without a token; no 401");
    return mc_buf_steal(&b);
}
