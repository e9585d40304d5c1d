/* The JSON report (DESIGN.md §6), through Jansson. */
#include "reports.h"

#include <jansson.h>

static json_t *checks_json(const mc_step_result *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->nchecks; i++) {
        const mc_check_result *c = &s->checks[i];
        json_array_append_new(
            a, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", c->def->id, "status",
                         mc_status_name(c->status), "keyword", mc_keyword_name(c->keyword),
                         "ref", c->def->ref, "message", c->message, "spec_revision",
                         mc_rev_names[c->rev], "party", c->def->party));
    }
    return a;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *exchanges_json(const mc_step_result *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->nexchanges; i++) {
        const mc_exchange *e = s->exchanges[i];
        json_array_append_new(
            a, json_pack("{s:s, s:s, s:o, s:o, s:i, s:o, s:o, s:o, s:f}", "method", e->method,
                         "url", e->url, "request_headers", str_or_null(e->request_headers),
                         "request_body", str_or_null(e->request_body), "status",
                         (int)e->status, "response_headers", str_or_null(e->response_headers),
                         "response_body", str_or_null(e->response_body), "error",
                         str_or_null(e->error), "ms", e->ms));
    }
    return a;
}

static json_t *step_json(const mc_step_result *s)
{
    mc_status st = s->status == MC_PASS ? mc_step_summary(s) : s->status;
    json_t *o = json_pack("{s:s, s:s, s:o, s:o}", "id", mc_step_names[s->id], "status",
                          mc_status_name(st), "checks", checks_json(s), "exchanges",
                          exchanges_json(s));
    if (s->failed_check)
        json_object_set_new(o, "failed_check", json_string(s->failed_check));
    if (s->reason)
        json_object_set_new(o, "reason", json_string(s->reason));
    return o;
}

json_t *mc_report_json_value(const mc_run_result *r);

json_t *mc_report_json_value(const mc_run_result *r)
{
    json_t *profiles = json_array();
    for (size_t i = 0; i < r->nruns; i++) {
        const mc_profile_run *p = &r->runs[i];
        json_t *steps = json_array();
        for (int s = 0; s < MC_STEP_COUNT; s++)
            json_array_append_new(steps, step_json(&p->steps[s]));
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "id", p->profile_id,
                              "client", p->client, "client_version", p->client_version,
                              "spec_revision", mc_rev_names[p->rev], "result",
                              p->broke ? "broke" : "pass", "failed_at",
                              p->broke ? json_string(mc_step_names[p->failed_at]) : json_null(),
                              "steps", steps);
        if (p->expected) {
            json_object_set_new(o, "expected", json_string(p->expected));
            json_object_set_new(o, "as_expected", json_boolean(p->as_expected));
        }
        if (p->note)
            json_object_set_new(o, "note", json_string(p->note));
        json_array_append_new(profiles, o);
    }
    json_t *server = json_pack("{s:o, s:o}", "checks", checks_json(&r->server), "exchanges",
                               exchanges_json(&r->server));
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "tool", "mcpcompat", "version",
                     r->tool_version, "target", r->target, "spec_revision",
                     mc_rev_names[r->rev], "profiles", profiles, "server", server);
}

int mc_report_json(const char *path, const mc_run_result *r)
{
    json_t *j = mc_report_json_value(r);
    int rc = json_dump_file(j, path, JSON_INDENT(2) | JSON_ENSURE_ASCII) == 0 ? 0 : -1;
    json_decref(j);
    return rc;
}
