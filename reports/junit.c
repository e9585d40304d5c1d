/* JUnit XML through libxml2's xmlTextWriter: one root, library escaping,
 * valid against ../shared/schemas/junit-10.xsd. */
#include "reports.h"

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

/* remedy: the scenario's or the persona's for this client's break, or NULL */
static void testcase(xmlTextWriterPtr w, const char *suite, const mc_step_result *s,
                     const char *failed_at, const char *remedy)
{
    xmlTextWriterStartElement(w, BAD_CAST "testcase");
    char *cls = mc_xasprintf("mcpcompat.%s", suite);
    attr(w, "classname", cls);
    free(cls);
    attr(w, "name", mc_step_names[s->id]);
    attr_num(w, "time", s->ms / 1000.0, 3);
    mc_buf b;
    mc_buf_init(&b, 0);
    if (s->status == MC_SKIP) {
        xmlTextWriterStartElement(w, BAD_CAST "skipped");
        char *m = failed_at ? mc_xasprintf("not reached: failed at %s", failed_at)
                            : mc_xstrdup("not run");
        attr(w, "message", m);
        free(m);
        xmlTextWriterEndElement(w);
    } else if (s->status == MC_FAIL || s->status == MC_ERROR) {
        xmlTextWriterStartElement(w, BAD_CAST(s->status == MC_FAIL ? "failure" : "error"));
        attr(w, "type", s->failed_check ? s->failed_check : "error");
        attr(w, "message", s->reason ? s->reason : "failed");
        const mc_check_def *d = s->failed_check ? mc_check_find(s->failed_check) : NULL;
        if (remedy)
            mc_buf_printf(&b, "remedy for this setup: %s\n", remedy);
        if (d)
            mc_buf_printf(&b, "expected: %s\nreference: %s\nremedy: %s\n\n", d->summary, d->ref,
                          d->remedy);
        checks_text(&b, s, 0);
        exchanges_text(&b, s);
        text(w, b.data ? b.data : "");
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

static void suite_counts(const mc_step_result *steps, size_t n, int *fail, int *err, int *skip)
{
    *fail = *err = *skip = 0;
    for (size_t i = 0; i < n; i++) {
        *fail += steps[i].status == MC_FAIL;
        *err += steps[i].status == MC_ERROR;
        *skip += steps[i].status == MC_SKIP;
    }
}

static void profile_suite(xmlTextWriterPtr w, const mc_run_result *r, const mc_profile_run *p)
{
    int fail, err, skip;
    suite_counts(p->steps, (size_t)p->nsteps, &fail, &err, &skip);
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
    property(w, "result", p->broke ? "broke" : "pass");
    property(w, "failed_at", p->broke ? mc_step_names[p->failed_at] : "");
    if (p->expected)
        property(w, "expected", p->expected);
    if (p->auth_started_at)
        property(w, "auth_started_at", p->auth_started_at);
    xmlTextWriterEndElement(w);
    const char *failed_at = p->broke ? mc_step_names[p->failed_at] : NULL;
    for (int i = 0; i < p->nsteps; i++)
        testcase(w, p->profile_id, &p->steps[i], failed_at, p->remedy);
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

static void server_suite(xmlTextWriterPtr w, const mc_run_result *r, int several)
{
    const mc_step_result *s = &r->server;
    int fail = 0, warn = 0;
    xmlTextWriterStartElement(w, BAD_CAST "testsuite");
    char *name = several ? mc_xasprintf("server-%s", mc_rev_names[r->rev]) : mc_xstrdup("server");
    attr(w, "name", name);
    free(name);
    for (size_t i = 0; i < s->nchecks; i++) {
        fail += s->checks[i].status == MC_FAIL;
        warn += s->checks[i].status == MC_WARN;
    }
    attr_num(w, "tests", (double)s->nchecks, 0);
    attr_num(w, "failures", fail, 0);
    attr_num(w, "errors", 0, 0);
    attr_num(w, "time", s->ms / 1000.0, 3);
    xmlTextWriterStartElement(w, BAD_CAST "properties");
    property(w, "target", r->target);
    property(w, "spec_revision", mc_rev_names[r->rev]);
    property(w, "result", fail ? "fail" : "pass");
    xmlTextWriterEndElement(w);
    for (size_t i = 0; i < s->nchecks; i++) {
        const mc_check_result *c = &s->checks[i];
        xmlTextWriterStartElement(w, BAD_CAST "testcase");
        attr(w, "classname", "mcpcompat.server");
        attr(w, "name", c->def->id);
        if (c->status == MC_FAIL) {
            xmlTextWriterStartElement(w, BAD_CAST "failure");
            attr(w, "type", c->def->id);
            attr(w, "message", c->message);
            mc_buf b;
            mc_buf_init(&b, 0);
            mc_buf_printf(&b, "expected: %s\nreference: %s\nremedy: %s\n", c->def->summary,
                          c->def->ref, c->def->remedy);
            exchanges_text(&b, s);
            text(w, b.data);
            mc_buf_free(&b);
            xmlTextWriterEndElement(w);
        } else if (c->status == MC_WARN) {
            xmlTextWriterStartElement(w, BAD_CAST "system-out");
            text(w, c->message);
            xmlTextWriterEndElement(w);
        }
        xmlTextWriterEndElement(w);
    }
    xmlTextWriterEndElement(w);
}

int mc_report_junit(const char *path, const mc_run_result *const *runs, size_t n)
{
    mc_out o;
    if (!mc_out_open(&o, path))
        return -1;
    xmlTextWriterPtr w = xmlNewTextWriter(xmlOutputBufferCreateIO(mc_out_write, NULL, &o, NULL));
    if (!w) {
        mc_out_close(&o, 0);
        return -1;
    }
    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
    xmlTextWriterStartElement(w, BAD_CAST "testsuites");
    attr(w, "name", "mcpcompat");
    int tests = 0, fail = 0, err = 0;
    double ms = 0;
    for (size_t k = 0; k < n; k++) {
        const mc_run_result *r = runs[k];
        ms += r->ms;
        for (size_t i = 0; i < r->nruns; i++) {
            int f, e, s;
            suite_counts(r->runs[i].steps, (size_t)r->runs[i].nsteps, &f, &e, &s);
            tests += r->runs[i].nsteps, fail += f, err += e;
        }
        if (r->server_ran) {
            tests += (int)r->server.nchecks;
            for (size_t i = 0; i < r->server.nchecks; i++)
                fail += r->server.checks[i].status == MC_FAIL;
        }
    }
    attr_num(w, "tests", tests, 0);
    attr_num(w, "failures", fail, 0);
    attr_num(w, "errors", err, 0);
    attr_num(w, "time", ms / 1000.0, 3);
    for (size_t k = 0; k < n; k++) {
        for (size_t i = 0; i < runs[k]->nruns; i++)
            profile_suite(w, runs[k], &runs[k]->runs[i]);
        if (runs[k]->server_ran)
            server_suite(w, runs[k], n > 1);
    }
    xmlTextWriterEndElement(w);
    int rc = xmlTextWriterEndDocument(w) < 0 ? -1 : 0;
    rc |= xmlTextWriterFlush(w) < 0 ? -1 : 0;
    xmlFreeTextWriter(w);
    return mc_out_close(&o, rc == 0);
}
