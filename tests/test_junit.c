/* The JUnit writer: hostile text still yields one valid document. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness/wire/buf.h"
#include "../reports/reports.h"

static const char hostile[] = "end ]]> of \"cdata\" & <tag> 'q' \x01\x02\x1b[31m bad \xff\xfe "
                              "utf8 \xc3\x28 \xed\xa0\x80 ok \xc3\xa9 \xf0\x9f\x98\x80";

static void fill(mc_run_result *r)
{
    memset(r, 0, sizeof *r);
    r->tool_version = mc_xstrdup("test");
    r->target = mc_xstrdup("http://127.0.0.1:1/mcp?a=<b>&c=\"d\"");
    r->rev = MC_REV_2025_11_25;
    r->runs = mc_xcalloc(1, sizeof *r->runs);
    r->nruns = 1;
    mc_profile_run *p = &r->runs[0];
    p->profile_id = mc_xstrdup("weird-<id>");
    p->client = mc_xstrdup(hostile);
    p->client_version = mc_xstrdup("1.0");
    p->rev = MC_REV_2025_11_25;
    p->nsteps = 7;
    for (int i = 0; i < p->nsteps; i++) {
        p->steps[i].id = (mc_step_id)i;
        p->steps[i].status = i < MC_STEP_REGISTRATION ? MC_PASS : MC_SKIP;
    }
    mc_step_result *s = &p->steps[MC_STEP_REGISTRATION];
    s->status = MC_PASS;
    mc_step_check(s, MC_REV_2025_11_25, "reg.client-obtained", 0, "%s", hostile);
    mc_step_fail(s, "reg.client-obtained", "%s", hostile);
    mc_exchange *ex = mc_xcalloc(1, sizeof *ex);
    ex->method = mc_xstrdup("POST");
    ex->url = mc_xstrdup("http://127.0.0.1:1/register");
    ex->request_body = mc_xstrdup(hostile);
    ex->response_body = mc_xstrdup(hostile);
    ex->status = 400;
    mc_step_add_exchange(s, ex);
    mc_step_check(&p->steps[MC_STEP_PROBE], MC_REV_2025_11_25, "probe.scope-param", 0, "%s",
                  hostile);
    p->broke = 1;
    p->failed_at = MC_STEP_REGISTRATION;
    p->auth_started_at = mc_xstrdup(hostile); /* a server's method names are not trusted */
    p->public_requests[p->npublic++] = mc_xstrdup("initialize");
    p->public_requests[p->npublic++] = mc_xstrdup(hostile);
    r->server_ran = 1;
    r->server.id = MC_STEP_SERVER;
    mc_step_check(&r->server, MC_REV_2025_11_25, "server.invalid-token-401", 0, "%s", hostile);
}

static int validate(const char *path)
{
    const char *xsd = getenv("MCPCOMPAT_SCHEMA");
    assert_non_null(xsd);
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(xsd);
    xmlSchemaPtr schema = xmlSchemaParse(pc);
    assert_non_null(schema);
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
    int rc = xmlSchemaValidateFile(vc, path, 0);
    xmlSchemaFreeValidCtxt(vc);
    xmlSchemaFree(schema);
    xmlSchemaFreeParserCtxt(pc);
    return rc;
}

static void test_junit_hostile_text_validates(void **state)
{
    (void)state;
    mc_run_result r;
    fill(&r);
    char path[] = "/tmp/mcpcompat-junit-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    const mc_run_result *one = &r;
    assert_int_equal(mc_report_junit(path, &one, 1), 0);
    assert_int_equal(validate(path), 0);
    xmlDocPtr doc = xmlReadFile(path, NULL, 0);
    assert_non_null(doc);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)root->name, "testsuites");
    xmlChar *failures = xmlGetProp(root, BAD_CAST "failures");
    assert_string_equal((const char *)failures, "2");
    xmlFree(failures);
    /* where authorization started: a property of the client's testsuite */
    xmlNodePtr suite = root->children;
    while (suite && suite->type != XML_ELEMENT_NODE)
        suite = suite->next;
    assert_non_null(suite);
    int found = 0;
    for (xmlNodePtr props = suite->children; props; props = props->next) {
        if (props->type != XML_ELEMENT_NODE || strcmp((const char *)props->name, "properties") != 0)
            continue;
        for (xmlNodePtr q = props->children; q; q = q->next) {
            xmlChar *name = q->type == XML_ELEMENT_NODE ? xmlGetProp(q, BAD_CAST "name") : NULL;
            found |= name && strcmp((const char *)name, "auth_started_at") == 0;
            xmlFree(name);
        }
    }
    assert_true(found);
    xmlFreeDoc(doc);
    unlink(path);
    mc_run_result_free(&r);
}

static void test_xml_safe(void **state)
{
    (void)state;
    char *s = mc_xml_safe("a\x01"
                          "b\xff"
                          "c\xc3\xa9\x7f\t\n");
    assert_string_equal(s, "a?b?c\xc3\xa9?\t\n");
    free(s);
    s = mc_xml_safe("\xed\xa0\x80\xef\xbf\xbe\xf4\x90\x80\x80");
    assert_string_equal(s, "??????????");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_junit_hostile_text_validates),
        cmocka_unit_test(test_xml_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
