/* The Markdown writer: hostile text from a target or a profile cannot end a
 * table cell, open a link, inject HTML or mention anyone; rows keep their
 * cells. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/wire/buf.h"
#include "../reports/reports.h"
#include "report_text.h"

static const char hostile[] = "a | b `code` <img src=x onerror=alert(1)> [l](http://e) "
                              "![i](http://e) @octocat *em* _u_ \\| \n# heading\t\x01\x1b[31m "
                              "\xff\xfe \xc3\xa9";

static void fill(mc_run_result *r)
{
    memset(r, 0, sizeof *r);
    r->tool_version = mc_xstrdup("test");
    r->target = mc_xstrdup("http://127.0.0.1:1/mcp?a=<b>|c");
    r->rev = MC_REV_2025_11_25;
    r->runs = mc_xcalloc(2, sizeof *r->runs);
    r->nruns = 2;
    for (size_t k = 0; k < 2; k++) {
        mc_profile_run *p = &r->runs[k];
        p->profile_id = mc_xstrdup(k ? "plain-1" : "weird|`id`");
        p->client = mc_xstrdup(hostile);
        p->client_version = mc_xstrdup("1.0|2");
        p->rev = MC_REV_2025_11_25;
        p->nsteps = 7;
        p->failed_at = -1;
        for (int i = 0; i < p->nsteps; i++) {
            p->steps[i].id = (mc_step_id)i;
            p->steps[i].status = MC_PASS;
        }
    }
    mc_profile_run *p = &r->runs[0];
    mc_step_result *s = &p->steps[MC_STEP_REGISTRATION];
    mc_step_check(s, MC_REV_2025_11_25, "reg.client-obtained", 0, "%s", hostile);
    mc_step_fail(s, "reg.client-obtained", "%s", hostile);
    for (int i = MC_STEP_REGISTRATION + 1; i < p->nsteps; i++)
        p->steps[i].status = MC_SKIP;
    p->broke = 1;
    p->failed_at = MC_STEP_REGISTRATION;
    p->expected = mc_xstrdup("pass");
    p->note = mc_xstrdup(hostile);
    p->remedy = mc_xstrdup(hostile);
    r->runs[1].expected = mc_xstrdup("pass");
    r->runs[1].as_expected = 1;
    r->server_ran = 1;
    r->server.id = MC_STEP_SERVER;
    mc_step_check(&r->server, MC_REV_2025_11_25, "server.invalid-token-401", 0, "%s", hostile);
}

/* s holds needle not right after a backslash */
static int unescaped(const char *s, const char *needle)
{
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        if (p == s || p[-1] != '\\')
            return 1;
    return 0;
}

/* Cells of a table row: pipes not preceded by a backslash, minus the two
 * outer ones. */
static int cells(const char *line, size_t n)
{
    int pipes = 0;
    for (size_t i = 0; i < n; i++)
        pipes += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
    return pipes - 1;
}

static void test_markdown_hostile_text_is_inert(void **state)
{
    (void)state;
    mc_run_result r;
    fill(&r);
    char *md = report_text(mc_report_markdown, &r, NULL);
    /* no raw HTML, link, image or mention survives */
    assert_null(strstr(md, "<img"));
    assert_null(strstr(md, "<b>"));
    assert_false(unescaped(md, "](http"));
    assert_null(strstr(md, " @octocat"));
    assert_non_null(strstr(md, "&lt;img src=x onerror=alert(1)&gt; \\[l\\](http://e)"));
    assert_non_null(strstr(md, "&#64;octocat"));
    assert_non_null(strstr(md, "a \\| b \\`code\\`"));
    /* a backslash before a pipe stays a literal backslash, the pipe escaped */
    assert_non_null(strstr(md, "\\\\\\|"));
    /* no line starts a heading from hostile text; control bytes are gone */
    assert_null(strstr(md, "\n# heading"));
    assert_null(strchr(md, '\x1b'));
    assert_null(strchr(md, '\x01'));
    /* every table row has as many cells as its header */
    int header = -1, rows = 0;
    for (const char *line = md; *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        if (n > 2 && line[0] == '|') {
            int c = cells(line, n);
            if (strncmp(line, "| Client |", 10) == 0)
                header = c;
            else if (strncmp(line, "| Policy |", 10) != 0) {
                assert_int_equal(c, header);
                rows++;
            }
        }
        line += n + (end ? 1 : 0);
    }
    assert_int_equal(header, 5);
    assert_int_equal(rows, 1 + 3); /* separator, two profiles, the server suite */
    /* the verdicts and the expectation */
    assert_non_null(strstr(md, "| \u274c BROKE | `registration` | **differs**: expected `pass` |"));
    assert_non_null(strstr(md, "| `plain-1` | \u2705 PASS |  | as expected |"));
    assert_non_null(strstr(
        md, "| Server suite |  | \u274c FAIL | 1 failed, 0 warnings, 1 of 1 checks ran |  |"));
    free(md);
    mc_run_result_free(&r);
}

static void test_markdown_unwritable_path_fails(void **state)
{
    (void)state;
    mc_run_result r;
    fill(&r);
    const mc_run_result *one = &r;
    assert_int_equal(mc_report_markdown("/nonexistent-dir/x.md", &one, 1), -1);
    mc_run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_markdown_hostile_text_is_inert),
        cmocka_unit_test(test_markdown_unwritable_path_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
