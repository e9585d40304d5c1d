/* JUnit XML through libxml2's xmlTextWriter: one root, library escaping,
 * valid against ../shared/schemas/junit-10.xsd. */
#include "reports.h"

#include "../harness/model/verdict.h"
#include "../harness/wire/buf.h"

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Replaces invalid UTF-8 sequences and control characters by '?'. */
char *mc_xml_safe(const char *s)
{
    mc_buf b;
    mc_buf_init(&b, 0);
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        unsigned char c = *p;
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        int ok = n > 0;
        for (size_t i = 1; ok && i < n; i++)
            ok = (p[i] & 0xC0) == 0x80;
        if (ok && n == 2)
            ok = c >= 0xC2;
        if (ok && n == 3) {
            unsigned cp = ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
            ok = cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF) && cp != 0xFFFE && cp != 0xFFFF;
        }
        if (ok && n == 4) {
            unsigned cp =
                ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
            ok = cp >= 0x10000 && cp <= 0x10FFFF;
        }
        if (ok && n == 1 && c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            ok = 0;
        if (ok && n == 1 && c == 0x7F)
            ok = 0;
        if (!ok) {
            mc_buf_add(&b, "?", 1);
            p++;
            continue;
        }
        mc_buf_add(&b, (const char *)p, n);
        p += n;
    }
    return mc_buf_steal(&b);
}

static void attr(xmlTextWriterPtr w, const char *name, const char *value)
{
    char *v = mc_xml_safe(value);
    xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST v);
    free(v);
}

static void attr_num(xmlTextWriterPtr w, const char *name, double v, int decimals)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    attr(w, name, tmp);
}

static void text(xmlTextWriterPtr w, const char *s)
{
    char *v = mc_xml_safe(s);
    xmlTextWriterWriteString(w, BAD_CAST v);
    free(v);
}

static void property(xmlTextWriterPtr w, const char *name, const char *value)
{
    xmlTextWriterStartElement(w, BAD_CAST "property");
    attr(w, "name", name);
    attr(w, "value", value ? value : "");
    xmlTextWriterEndElement(w);
}

static void checks_text(mc_buf *b, const mc_step_result *s, int only_problems)
{
    for (size_t i = 0; i < s->nchecks; i++) {
        const mc_check_result *c = &s->checks[i];
        if (only_problems && c->status == MC_PASS)
            continue;
        mc_buf_printf(b, "%s %s (%s, %s): %s\n", mc_status_name(c->status), c->def->id,
                      mc_keyword_name(c->keyword), c->def->ref, c->message);
    }
}

static void exchanges_text(mc_buf *b, const mc_step_result *s)
{
    for (size_t i = 0; i < s->nexchanges; i++) {
        const mc_exchange *e = s->exchanges[i];
        mc_buf_printf(b, "\n> %s %s\n%s", e->method, e->url,
                      e->request_headers ? e->request_headers : "");
        if (e->request_body)
            mc_buf_printf(b, "  %.4000s\n", e->request_body);
        if (e->error)
            mc_buf_printf(b, "< no response: %s\n", e->error);
        else
            mc_buf_printf(b, "< %ld\n%s  %.4000s\n", e->status,
                          e->response_headers ? e->response_headers : "",
                          e->response_body ? e->response_body : "");
    }
}

/* What one testcase says: JUnit's failures and errors are exactly what makes
 * the run fail (exit 1) or not run (exit 3); a break the scenario expected
 * is a passing case that says so. */
typedef enum { CASE_PASS, CASE_FAILURE, CASE_ERROR, CASE_SKIPPED } case_kind;

static int has_step(const mc_profile_run *p, const char *name)
{
    for (int i = 0; i < p->nsteps; i++)
        if (strcmp(mc_step_names[p->steps[i].id], name) == 0)
            return 1;
    return 0;
}

static case_kind step_case(const mc_profile_run *p, int i, int gates)
{
    const mc_step_result *s = &p->steps[i];
    mc_client_verdict v = mc_client_verdict_of(p);
    if (s->status == MC_SKIP)
        return CASE_SKIPPED;
    if (s->status == MC_ERROR)
        return CASE_ERROR;
    if (s->status == MC_FAIL)
        return mc_client_verdict_gates(v, gates) ? CASE_FAILURE : CASE_PASS;
    /* a break was expected here and did not happen */
    if (v == MC_V_EXPECTED_BREAK_MISSING && mc_client_verdict_gates(v, gates) &&
        (strcmp(p->expected + 6, mc_step_names[s->id]) == 0 ||
         (i == p->nsteps - 1 && !has_step(p, p->expected + 6))))
        return CASE_FAILURE;
    return CASE_PASS;
}

/* The one remedy for a client's break (mc_break_remedy: the scenario's or
 * the persona's for this setup, the stack's, or the check's), once. */
static void remedy_text(mc_buf *b, const mc_run_result *r, const mc_profile_run *p,
                        const mc_check_def *d)
{
    /* the setup's remedy first (a persona's product setting), as before */
    mc_remedy rm = mc_break_remedy(r, p);
    char *line = mc_remedy_line(&rm);
    if (line && p->remedy)
        mc_buf_printf(b, "remedy for this setup: %s\n", line);
    if (d)
        mc_buf_printf(b, "expected: %s\nreference: %s\n", d->summary, d->ref);
    if (line && !p->remedy)
        mc_buf_printf(b, "remedy: %s\n", line);
    free(line);
    mc_buf_adds(b, "\n");
}

static void testcase(xmlTextWriterPtr w, const mc_run_result *r, const mc_profile_run *p, int i,
                     int gates)
{
    const mc_step_result *s = &p->steps[i];
    const char *failed_at = p->broke || p->not_run ? mc_step_names[p->failed_at] : NULL;
    mc_client_verdict v = mc_client_verdict_of(p);
    case_kind k = step_case(p, i, gates);
    xmlTextWriterStartElement(w, BAD_CAST "testcase");
    char *cls = mc_xasprintf("mcpcompat.%s", p->profile_id);
    attr(w, "classname", cls);
    free(cls);
    attr(w, "name", mc_step_names[s->id]);
    attr_num(w, "time", s->ms / 1000.0, 3);
    mc_buf b;
    mc_buf_init(&b, 0);
    const mc_check_def *d = s->failed_check ? mc_check_find(s->failed_check) : NULL;
    if (k == CASE_SKIPPED) {
        xmlTextWriterStartElement(w, BAD_CAST "skipped");
        char *m = failed_at ? mc_xasprintf("not reached: %s at %s",
                                           p->not_run ? "could not run" : "failed", failed_at)
                            : mc_xstrdup("not run");
        attr(w, "message", m);
        free(m);
        xmlTextWriterEndElement(w);
    } else if (k == CASE_FAILURE && s->status != MC_FAIL) {
        /* the scenario expected a break here; the client went through */
        xmlTextWriterStartElement(w, BAD_CAST "failure");
        attr(w, "type", "expectation");
        char *m = mc_xasprintf("expected to break at %s; it connected", p->expected + 6);
        attr(w, "message", m);
        free(m);
        text(w, "The scenario expects this client to break here (expect: ");
        text(w, p->expected);
        text(w, "); it connected. Update the expectation if the server was fixed.\n");
        xmlTextWriterEndElement(w);
    } else if (k == CASE_FAILURE || k == CASE_ERROR) {
        xmlTextWriterStartElement(w, BAD_CAST(k == CASE_FAILURE ? "failure" : "error"));
        attr(w, "type", s->failed_check ? s->failed_check : "error");
        char *m =
            v == MC_V_BREAKS_ELSEWHERE
                ? mc_xasprintf("%s (expected: %s)", s->reason ? s->reason : "failed", p->expected)
                : mc_xstrdup(s->reason ? s->reason : "failed");
        attr(w, "message", m);
        free(m);
        remedy_text(&b, r, p, d);
        checks_text(&b, s, 0);
        exchanges_text(&b, s);
        text(w, b.data ? b.data : "");
        xmlTextWriterEndElement(w);
    } else if (s->status == MC_FAIL) {
        /* broke, and that does not fail the run: as expected, or not gated */
        mc_buf_printf(&b, "%s at %s (%s): %s\n",
                      v == MC_V_BREAKS_AS_EXPECTED ? "BROKE as expected"
                                                   : "BROKE (does not fail "
                                                     "the run: --fail-on)",
                      mc_step_names[s->id], s->failed_check ? s->failed_check : "error",
                      s->reason ? s->reason : "");
        remedy_text(&b, r, p, d);
        checks_text(&b, s, 0);
        exchanges_text(&b, s);
        xmlTextWriterStartElement(w, BAD_CAST "system-out");
        text(w, b.data);
        xmlTextWriterEndElement(w);
    } else if (mc_step_summary(s) == MC_WARN) {
        checks_text(&b, s, 1);
        xmlTextWriterStartElement(w, BAD_CAST "system-out");
        text(w, b.data);
        xmlTextWriterEndElement(w);
    }
    mc_buf_free(&b);
    xmlTextWriterEndElement(w);
}

static void suite_counts(const mc_profile_run *p, int gates, int *fail, int *err, int *skip)
{
    *fail = *err = *skip = 0;
    for (int i = 0; i < p->nsteps; i++) {
        case_kind k = step_case(p, i, gates);
        *fail += k == CASE_FAILURE;
        *err += k == CASE_ERROR;
        *skip += k == CASE_SKIPPED;
    }
}

static void profile_suite(xmlTextWriterPtr w, const mc_run_result *r, const mc_profile_run *p,
                          int gates)
{
    int fail, err, skip;
    suite_counts(p, gates, &fail, &err, &skip);
    double ms = 0;
    for (int i = 0; i < p->nsteps; i++)
        ms += p->steps[i].ms;
    xmlTextWriterStartElement(w, BAD_CAST "testsuite");
    attr(w, "name", p->profile_id);
    attr_num(w, "tests", p->nsteps, 0);
    attr_num(w, "failures", fail, 0);
    attr_num(w, "errors", err, 0);
    attr_num(w, "skipped", skip, 0);
    attr_num(w, "time", ms / 1000.0, 3);
    xmlTextWriterStartElement(w, BAD_CAST "properties");
    property(w, "client", p->client);
    property(w, "client_version", p->client_version);
    property(w, "spec_revision", mc_rev_names[p->rev]);
    property(w, "target", r->target);
    if (r->persona)
        property(w, "persona", r->persona);
    property(w, "result", mc_profile_result_name(p));
    property(w, "failed_at", p->broke || p->not_run ? mc_step_names[p->failed_at] : "");
    property(w, "verdict", mc_client_verdict_id(mc_client_verdict_of(p)));
    if (p->expected)
        property(w, "expected", p->expected);
    if (p->auth_started_at)
        property(w, "auth_started_at", p->auth_started_at);
    xmlTextWriterEndElement(w);
    for (int i = 0; i < p->nsteps; i++)
        testcase(w, r, p, i, gates);
    mc_buf out;
    mc_buf_init(&out, 0);
    if (p->note)
        mc_buf_printf(&out, "NOTE %s\n", p->note);
    char *auth = mc_profile_run_auth_note(p);
    if (auth)
        mc_buf_printf(&out, "NOTE %s\n", auth);
    free(auth);
    for (int i = 0; i < p->nsteps; i++)
        checks_text(&out, &p->steps[i], 1);
    if (out.len) {
        xmlTextWriterStartElement(w, BAD_CAST "system-out");
        text(w, out.data);
        xmlTextWriterEndElement(w);
    }
    mc_buf_free(&out);
    xmlTextWriterEndElement(w);
}

/* The server suite's failures: the checks that make the run fail. */
static void server_counts(const mc_step_result *s, int gates, int *fail)
{
    *fail = 0;
    for (size_t i = 0; i < s->nchecks; i++)
        *fail += mc_check_status_gates(s->checks[i].status, gates);
    *fail += (int)s->nnot_run * mc_check_status_gates(MC_SKIP, gates);
}

static void server_suite(xmlTextWriterPtr w, const mc_run_result *r, int several, int gates)
{
    const mc_step_result *s = &r->server;
    int fail, bad, warn;
    server_counts(s, gates, &fail);
    mc_count_checks(s, &bad, &warn);
    xmlTextWriterStartElement(w, BAD_CAST "testsuite");
    char *name = several ? mc_xasprintf("server-%s", mc_rev_names[r->rev]) : mc_xstrdup("server");
    attr(w, "name", name);
    free(name);
    attr_num(w, "tests", (double)(s->nchecks + s->nnot_run), 0);
    attr_num(w, "failures", fail, 0);
    attr_num(w, "errors", 0, 0);
    attr_num(w, "skipped", mc_check_status_gates(MC_SKIP, gates) ? 0 : (double)s->nnot_run, 0);
    attr_num(w, "time", s->ms / 1000.0, 3);
    xmlTextWriterStartElement(w, BAD_CAST "properties");
    property(w, "target", r->target);
    property(w, "spec_revision", mc_rev_names[r->rev]);
    property(w, "result", bad ? "fail" : "pass");
    char *n = mc_xasprintf("%zu of %zu", s->nchecks, s->nchecks + s->nnot_run);
    property(w, "checks_ran", n);
    free(n);
    xmlTextWriterEndElement(w);
    for (size_t i = 0; i < s->nchecks; i++) {
        const mc_check_result *c = &s->checks[i];
        xmlTextWriterStartElement(w, BAD_CAST "testcase");
        attr(w, "classname", "mcpcompat.server");
        attr(w, "name", c->def->id);
        if (mc_check_status_gates(c->status, gates)) {
            xmlTextWriterStartElement(w, BAD_CAST "failure");
            attr(w, "type", c->def->id);
            attr(w, "message", c->message);
            mc_buf b;
            mc_buf_init(&b, 0);
            mc_remedy rm = mc_remedy_of(r, c->def, c->message, NULL);
            char *remedy = mc_remedy_line(&rm);
            mc_buf_printf(&b, "%s (%s)\nexpected: %s\nreference: %s\nremedy: %s\n",
                          mc_status_name(c->status), mc_keyword_name(c->keyword), c->def->summary,
                          c->def->ref, remedy ? remedy : "");
            free(remedy);
            exchanges_text(&b, s);
            text(w, b.data);
            mc_buf_free(&b);
            xmlTextWriterEndElement(w);
        } else if (c->status != MC_PASS) {
            /* a finding that does not fail the run (a SHOULD; or not gated by --fail-on) */
            mc_remedy rm = mc_remedy_of(r, c->def, c->message, NULL);
            char *remedy = mc_remedy_line(&rm);
            char *m = mc_xasprintf("%s (%s, does not fail the run): %s%s%s",
                                   mc_status_name(c->status), mc_keyword_name(c->keyword),
                                   c->message, remedy ? "\nremedy: " : "", remedy ? remedy : "");
            free(remedy);
            xmlTextWriterStartElement(w, BAD_CAST "system-out");
            text(w, m);
            xmlTextWriterEndElement(w);
            free(m);
        }
        xmlTextWriterEndElement(w);
    }
    for (size_t i = 0; i < s->nnot_run; i++) {
        const mc_not_run *x = &s->not_run[i];
        xmlTextWriterStartElement(w, BAD_CAST "testcase");
        attr(w, "classname", "mcpcompat.server");
        attr(w, "name", x->def->id);
        char *m = mc_xasprintf("not run: %s", x->why);
        if (mc_check_status_gates(MC_SKIP, gates)) {
            xmlTextWriterStartElement(w, BAD_CAST "failure");
            attr(w, "type", "not-run");
        } else {
            xmlTextWriterStartElement(w, BAD_CAST "skipped");
        }
        attr(w, "message", m);
        xmlTextWriterEndElement(w);
        free(m);
        xmlTextWriterEndElement(w);
    }
    xmlTextWriterEndElement(w);
}

/* A JUnit document written whole or not at all (mc_out), opened at its
 * <testsuites name=NAME>; NULL when it cannot be. */
static xmlTextWriterPtr open_testsuites(mc_out *o, const char *path, const char *name)
{
    if (!mc_out_open(o, path))
        return NULL;
    xmlTextWriterPtr w = xmlNewTextWriter(xmlOutputBufferCreateIO(mc_out_write, NULL, o, NULL));
    if (!w) {
        mc_out_close(o, 0);
        return NULL;
    }
    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
    xmlTextWriterStartElement(w, BAD_CAST "testsuites");
    attr(w, "name", name);
    return w;
}

int mc_report_junit(const char *path, const mc_run_result *const *runs, size_t n)
{
    mc_out o;
    xmlTextWriterPtr w = open_testsuites(&o, path, "mcpcompat");
    if (!w)
        return -1;
    int tests = 0, fail = 0, err = 0;
    int gates = mc_gates_effective(n ? runs[0]->gates : 0);
    double ms = 0;
    for (size_t k = 0; k < n; k++) {
        const mc_run_result *r = runs[k];
        ms += r->ms;
        for (size_t i = 0; i < r->nruns; i++) {
            int f, e, s;
            suite_counts(&r->runs[i], gates, &f, &e, &s);
            tests += r->runs[i].nsteps, fail += f, err += e;
        }
        if (r->server_ran) {
            int f;
            server_counts(&r->server, gates, &f);
            tests += (int)(r->server.nchecks + r->server.nnot_run);
            fail += f;
        }
    }
    attr_num(w, "tests", tests, 0);
    attr_num(w, "failures", fail, 0);
    attr_num(w, "errors", err, 0);
    attr_num(w, "time", ms / 1000.0, 3);
    for (size_t k = 0; k < n; k++) {
        for (size_t i = 0; i < runs[k]->nruns; i++)
            profile_suite(w, runs[k], &runs[k]->runs[i], gates);
        if (runs[k]->server_ran)
            server_suite(w, runs[k], n > 1, gates);
    }
    xmlTextWriterEndElement(w);
    int rc = xmlTextWriterEndDocument(w) < 0 ? -1 : 0;
    rc |= xmlTextWriterFlush(w) < 0 ? -1 : 0;
    xmlFreeTextWriter(w);
    return mc_out_close(&o, rc == 0);
}

/* `mcpcompat matrix` as JUnit: a suite per server policy, a case per client.
 * The matrix is a survey (it exits 0): a broken cell is no failure, its
 * case says where the client broke and why. */
int mc_report_matrix_junit(const char *path, const mc_matrix_policy *pol, const mc_run_result *res,
                           size_t n)
{
    mc_out o;
    xmlTextWriterPtr w = open_testsuites(&o, path, "mcpcompat matrix");
    if (!w)
        return -1;
    size_t tests = 0;
    double ms = 0;
    for (size_t c = 0; c < n; c++) {
        tests += res[c].nruns;
        ms += res[c].ms;
    }
    attr_num(w, "tests", (double)tests, 0);
    attr_num(w, "failures", 0, 0);
    attr_num(w, "errors", 0, 0);
    attr_num(w, "time", ms / 1000.0, 3);
    for (size_t c = 0; c < n; c++) {
        const char *label = pol[c].persona   ? pol[c].persona
                            : *pol[c].quirks ? pol[c].quirks
                                             : "(defaults)";
        xmlTextWriterStartElement(w, BAD_CAST "testsuite");
        attr(w, "name", label);
        attr_num(w, "tests", (double)res[c].nruns, 0);
        attr_num(w, "failures", 0, 0);
        attr_num(w, "errors", 0, 0);
        attr_num(w, "time", res[c].ms / 1000.0, 3);
        xmlTextWriterStartElement(w, BAD_CAST "properties");
        property(w, "quirks", pol[c].quirks);
        if (pol[c].persona)
            property(w, "persona", pol[c].persona);
        if (pol[c].what)
            property(w, "what", pol[c].what);
        size_t ok = 0;
        for (size_t r = 0; r < res[c].nruns; r++)
            ok += !res[c].runs[r].broke && !res[c].runs[r].not_run;
        char *t = mc_xasprintf("%zu/%zu", ok, res[c].nruns);
        property(w, "clients_that_connect", t);
        free(t);
        xmlTextWriterEndElement(w);
        for (size_t r = 0; r < res[c].nruns; r++) {
            const mc_profile_run *p = &res[c].runs[r];
            xmlTextWriterStartElement(w, BAD_CAST "testcase");
            attr(w, "classname", "mcpcompat.matrix");
            attr(w, "name", p->profile_id);
            if (p->broke || p->not_run) {
                const mc_step_result *f = &p->steps[p->failed_at];
                char *m = mc_xasprintf(
                    "%s at %s (%s): %s", p->not_run ? "NOT RUN" : "BROKE", mc_step_names[f->id],
                    f->failed_check ? f->failed_check : "error", f->reason ? f->reason : "");
                xmlTextWriterStartElement(w, BAD_CAST "system-out");
                text(w, m);
                xmlTextWriterEndElement(w);
                free(m);
            }
            xmlTextWriterEndElement(w);
        }
        xmlTextWriterEndElement(w);
    }
    xmlTextWriterEndElement(w);
    int rc = xmlTextWriterEndDocument(w) < 0 ? -1 : 0;
    rc |= xmlTextWriterFlush(w) < 0 ? -1 : 0;
    xmlFreeTextWriter(w);
    return mc_out_close(&o, rc == 0);
}
