/* The JSON report (DESIGN.md §6), through Jansson. */
#include "reports.h"

#include "../harness/model/verdict.h"
#include "../harness/wire/sanitize.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The checks of a step; r: for the server suite's, whose findings carry their
 * remedy (a client's break carries its own, once, in the profile). */
static json_t *checks_json(const mc_step_result *s, const mc_run_result *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->nchecks; i++) {
        const mc_check_result *c = &s->checks[i];
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "id", c->def->id, "status",
                              mc_status_name(c->status), "keyword", mc_keyword_name(c->keyword),
                              "ref", c->def->ref, "message", mc_json_text(c->message),
                              "spec_revision", mc_rev_names[c->rev], "party", c->def->party);
        if (r && c->status != MC_PASS) {
            mc_remedy rm = mc_remedy_of(r, c->def, c->message, NULL);
            char *line = mc_remedy_line(&rm);
            json_object_set_new(o, "remedy", mc_json_text(line));
            free(line);
        }
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *exchanges_json(const mc_step_result *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->nexchanges; i++) {
        const mc_exchange *e = s->exchanges[i];
        json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:i, s:o, s:o, s:o, s:f}",
                                           "method", mc_json_text(e->method), "url",
                                           mc_json_text(e->url), "request_headers",
                                           mc_json_text(e->request_headers), "request_body",
                                           mc_json_text(e->request_body), "status", (int)e->status,
                                           "response_headers", mc_json_text(e->response_headers),
                                           "response_body", mc_json_text(e->response_body), "error",
                                           mc_json_text(e->error), "ms", e->ms));
    }
    return a;
}

static json_t *step_json(const mc_step_result *s)
{
    mc_status st = s->status == MC_PASS ? mc_step_summary(s) : s->status;
    json_t *o =
        json_pack("{s:s, s:s, s:o, s:o}", "id", mc_step_names[s->id], "status", mc_status_name(st),
                  "checks", checks_json(s, NULL), "exchanges", exchanges_json(s));
    if (s->failed_check)
        json_object_set_new(o, "failed_check", json_string(s->failed_check));
    if (s->reason)
        json_object_set_new(o, "reason", mc_json_text(s->reason));
    return o;
}

static json_t *profile_json(const mc_run_result *r, const mc_profile_run *p)
{
    json_t *steps = json_array();
    for (int s = 0; s < p->nsteps; s++)
        json_array_append_new(steps, step_json(&p->steps[s]));
    json_t *o = json_pack(
        "{s:o, s:o, s:o, s:s, s:s, s:o, s:o}", "id", mc_json_text(p->profile_id), "client",
        mc_json_text(p->client), "client_version", mc_json_text(p->client_version), "spec_revision",
        mc_rev_names[p->rev], "result", mc_profile_result_name(p), "failed_at",
        p->broke || p->not_run ? json_string(mc_step_names[p->failed_at]) : json_null(), "steps",
        steps);
    json_object_set_new(o, "verdict", json_string(mc_client_verdict_id(mc_client_verdict_of(p))));
    if (p->needs_public) /* its OAuth runs from the vendor's servers */
        json_object_set_new(o, "connects_once_public", json_true());
    if (p->expected) {
        json_object_set_new(o, "expected", mc_json_text(p->expected));
        json_object_set_new(o, "as_expected", json_boolean(p->as_expected));
    }
    if (p->note)
        json_object_set_new(o, "note", mc_json_text(p->note));
    /* where authorization began: the request that drew the first 401, and
     * those answered without a token before it */
    json_object_set_new(o, "auth_started_at", mc_json_text(p->auth_started_at));
    json_t *pub = json_array();
    for (size_t i = 0; i < p->npublic; i++)
        json_array_append_new(pub, mc_json_text(p->public_requests[i]));
    json_object_set_new(o, "unauthenticated", pub);
    mc_remedy rm = mc_break_remedy(r, p);
    char *remedy = mc_remedy_line(&rm);
    if (remedy)
        json_object_set_new(o, "remedy", mc_json_text(remedy));
    free(remedy);
    /* the profile knob that made the client stop, and what its value rests on */
    if (p->broke)
        json_object_set_new(o, "decided_by",
                            p->decided_by ? json_pack("{s:s, s:s, s:o}", "knob", p->decided_by,
                                                      "evidence_kind", p->decided_kind, "evidence",
                                                      mc_json_text(p->decided_evidence))
                                          : json_null());
    return o;
}

/* The checks of a suite that could not run, each with why. */
static json_t *not_run_json(const mc_step_result *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->nnot_run; i++) {
        const mc_not_run *x = &s->not_run[i];
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:o, s:s}", "id", x->def->id,
                                           "keyword", mc_keyword_name(x->def->kw[x->rev]), "ref",
                                           x->def->ref, "spec_revision", mc_rev_names[x->rev],
                                           "reason", mc_json_text(x->why), "party", x->def->party));
    }
    return a;
}

/* The verdict every report shows, and the exit code it gives. */
static json_t *verdict_json(const mc_run_result *const *runs, size_t n)
{
    mc_verdict v;
    mc_verdict_of(runs, n, &v);
    char *line = mc_verdict_line(&v);
    char *gates = mc_gates_name(v.gates);
    json_t *fail_on = json_array();
    for (char *save = NULL, *w = strtok_r(gates, ",", &save); w; w = strtok_r(NULL, ",", &save))
        if (strcmp(w, "none") != 0)
            json_array_append_new(fail_on, json_string(w));
    json_t *clients = json_object();
    json_object_set_new(clients, "total", json_integer((json_int_t)v.clients));
    json_object_set_new(clients, "connects_once_public", json_integer((json_int_t)v.once_public));
    for (int k = 0; k < MC_V_COUNT; k++)
        json_object_set_new(clients, mc_client_verdict_id((mc_client_verdict)k),
                            json_integer((json_int_t)v.n[k]));
    json_t *server = json_pack("{s:b, s:I, s:I, s:I, s:I, s:I}", "ran", v.suites > 0, "checks",
                               (json_int_t)v.checks, "checks_ran", (json_int_t)v.ran, "must_failed",
                               (json_int_t)v.must_failed, "should_failed",
                               (json_int_t)v.should_failed, "not_run", (json_int_t)v.not_run);
    json_t *j = json_pack("{s:s, s:i, s:o, s:s, s:o, s:o}", "result", mc_verdict_word(&v),
                          "exit_code", v.exit_code, "fail_on", fail_on, "summary", line, "clients",
                          clients, "server", server);
    free(gates);
    free(line);
    return j;
}

static json_t *runs_json(const mc_run_result *const *runs, size_t n)
{
    json_t *profiles = json_array();
    json_t *checks = json_array();
    json_t *not_run = json_array();
    json_t *exchanges = json_array();
    for (size_t k = 0; k < n; k++) {
        for (size_t i = 0; i < runs[k]->nruns; i++)
            json_array_append_new(profiles, profile_json(runs[k], &runs[k]->runs[i]));
        json_t *c = checks_json(&runs[k]->server, runs[k]);
        json_array_extend(checks, c);
        json_decref(c);
        json_t *nr = not_run_json(&runs[k]->server);
        json_array_extend(not_run, nr);
        json_decref(nr);
        json_t *e = exchanges_json(&runs[k]->server);
        json_array_extend(exchanges, e);
        json_decref(e);
    }
    const mc_run_result *r = runs[0];
    json_t *j = json_pack(
        "{s:s, s:o, s:o, s:s, s:o, s:o, s:{s:o, s:o, s:o}}", "tool", "mcpcompat", "version",
        mc_json_text(r->tool_version), "target", mc_json_text(r->target), "spec_revision",
        n == 1 ? mc_rev_names[r->rev] : "all", "verdict", verdict_json(runs, n), "profiles",
        profiles, "server", "checks", checks, "not_run", not_run, "exchanges", exchanges);
    if (r->persona) /* the authorization server the fixture played */
        json_object_set_new(j, "persona", json_string(r->persona));
    /* the stacks the run recognised, and what showed each */
    static const char *const part_keys[MC_PART_COUNT] = {"mcp_server", "authorization_server"};
    json_t *stacks = json_object();
    for (int p = 0; p < MC_PART_COUNT; p++)
        if (r->stack[p])
            json_object_set_new(stacks, part_keys[p],
                                json_pack("{s:s, s:s, s:s, s:o}", "id", r->stack[p]->id, "name",
                                          r->stack[p]->name, "doc", r->stack[p]->doc, "why",
                                          mc_json_text(r->stack_why[p])));
    json_object_set_new(j, "stacks", stacks);
    return j;
}

int mc_report_json_doc(const char *path, json_t *j)
{
    mc_out o;
    int rc = -1;
    if (mc_out_open(&o, path))
        rc = mc_out_close(&o, json_dumpf(j, o.f, JSON_INDENT(2) | JSON_ENSURE_ASCII) == 0);
    json_decref(j);
    return rc;
}

int mc_report_json_runs(const char *path, const mc_run_result *const *runs, size_t n)
{
    return mc_report_json_doc(path, runs_json(runs, n));
}

int mc_report_json(const char *path, const mc_run_result *r)
{
    return mc_report_json_runs(path, &r, 1);
}
