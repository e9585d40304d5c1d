/* The HTML writer: hostile text stays text, bodies are capped, the policy
 * names the page's own script. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/wire/buf.h"
#include "../reports/reports.h"
#include "report_text.h"

static const char hostile[] = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>]]> "
                              "<!-- \x01\x1b[31m bad \xff\xfe \xc3\x28 \xed\xa0\x80 ok \xc3\xa9";

static mc_exchange *exchange(const char *method, const char *url, long status, const char *body)
{
    mc_exchange *ex = mc_xcalloc(1, sizeof *ex);
    ex->method = mc_xstrdup(method);
    ex->url = mc_xstrdup(url);
    ex->request_headers = mc_xstrdup(hostile);
    ex->response_headers = mc_xstrdup(hostile);
    ex->response_body = mc_xstrdup(body);
    ex->status = status;
    return ex;
}

/* One client that broke at registration after a hostile exchange, and a
 * server suite whose check message is hostile. */
static void fill(mc_run_result *r, const char *body)
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
        p->steps[i].status = i <= MC_STEP_REGISTRATION ? MC_PASS : MC_SKIP;
    }
    mc_step_result *s = &p->steps[MC_STEP_REGISTRATION];
    mc_step_check(s, MC_REV_2025_11_25, "reg.client-obtained", 0, "%s", hostile);
    mc_step_fail(s, "reg.client-obtained", "%s", hostile);
    mc_step_add_exchange(s, exchange("POST", "http://127.0.0.1:1/register?<x>", 400, body));
    p->broke = 1;
    p->failed_at = MC_STEP_REGISTRATION;
    r->server_ran = 1;
    r->server.id = MC_STEP_SERVER;
    mc_step_check(&r->server, MC_REV_2025_11_25, "server.invalid-token-401", 0, "%s", hostile);
    mc_step_add_exchange(&r->server, exchange("GET", "http://127.0.0.1:1/mcp", 401, hostile));
}

static double count(xmlDocPtr doc, const char *xpath)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
    assert_non_null(o);
    double v = o->floatval;
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(ctx);
    return v;
}

static void test_html_hostile_text_stays_text(void **state)
{
    (void)state;
    mc_run_result r;
    fill(&r, hostile);
    size_t len;
    char *page = report_text(mc_report_html, &r, &len);
    assert_true(xmlCheckUTF8(BAD_CAST page));
    htmlDocPtr doc = htmlReadMemory(page, (int)len, NULL, "utf-8",
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    assert_non_null(doc);
    assert_int_equal(count(doc, "count(//script)"), 1);
    assert_int_equal(count(doc, "count(//img)"), 0);
    assert_int_equal(count(doc, "count(//*[@onerror])"), 0);
    assert_int_equal(count(doc, "count(//comment())"), 0);
    /* shown as text where it reached: the client's name, the reason, the
     * check, the headers and bodies */
    assert_true(count(doc, "count(//text()[contains(., '<script>alert(1)</script>\"><img src=x "
                           "onerror=alert(2)>]]>')])") >= 6);
    assert_int_equal(
        count(doc, "count(//tr[@data-result='broke'][@data-failed-at='registration'])"), 1);
    assert_int_equal(count(doc, "count(//details[@data-failing='1'][@data-step='registration'])"),
                     1);
    /* the server suite's check and its request */
    assert_int_equal(count(doc, "count(//section[@id='server']//details)"), 1);
    xmlFreeDoc(doc);
    free(page);
    mc_run_result_free(&r);
}

static void test_html_policy_names_the_script(void **state)
{
    (void)state;
    mc_run_result r;
    fill(&r, "{}");
    size_t len;
    char *page = report_text(mc_report_html, &r, &len);
    const char *open = strstr(page, "<script>"), *close = open ? strstr(open, "</script>") : NULL;
    assert_non_null(close);
    open += strlen("<script>");
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_Digest(open, (size_t)(close - open), md, &mdlen, EVP_sha256(), NULL);
    char b64[64];
    EVP_EncodeBlock((unsigned char *)b64, md, (int)mdlen);
    char *want = mc_xasprintf("default-src 'none'; style-src 'unsafe-inline'; script-src "
                              "'sha256-%s'",
                              b64);
    assert_non_null(strstr(page, want));
    /* one script: the page's own, the only one the policy allows */
    assert_null(strstr(close + 1, "<script"));
    free(want);
    free(page);
    mc_run_result_free(&r);
}

static void test_html_body_capped(void **state)
{
    (void)state;
    size_t big = 1024 * 1024;
    char *body = mc_xmalloc(big + 1);
    memset(body, 'x', big);
    body[big] = 0;
    mc_run_result r;
    fill(&r, body);
    free(body);
    size_t len;
    char *page = report_text(mc_report_html, &r, &len);
    assert_true(len < 200 * 1024);
    assert_non_null(strstr(page, "more bytes in the JSON report"));
    free(page);
    mc_run_result_free(&r);
}

static void test_html_unwritable_path(void **state)
{
    (void)state;
    mc_run_result r;
    fill(&r, "{}");
    const mc_run_result *one = &r;
    assert_int_equal(mc_report_html("/nonexistent/dir/r.html", &one, 1), -1);
    mc_matrix_policy pol = {"", NULL, NULL};
    assert_int_equal(mc_report_matrix_html("/nonexistent/dir/m.html", &pol, &r, 1), -1);
    mc_run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_hostile_text_stays_text),
        cmocka_unit_test(test_html_policy_names_the_script),
        cmocka_unit_test(test_html_body_capped),
        cmocka_unit_test(test_html_unwritable_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
