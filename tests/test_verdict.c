/* The verdict model (one reading of a run every report renders), --fail-on,
 * the "did you mean" suggestions, the references' addresses, the stacks a
 * run recognises and the one remedy a finding has. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/model/verdict.h"
#include "../harness/wire/buf.h"
#include "../harness/wire/suggest.h"
#include "../reports/reports.h"

/* One client: broke at step (or -1: passed), with an expectation (or NULL). */
static void client(mc_profile_run *p, int broke_at, const char *expected)
{
    memset(p, 0, sizeof *p);
    p->profile_id = mc_xstrdup("c");
    p->client = mc_xstrdup("Client");
    p->client_version = mc_xstrdup("1");
    p->nsteps = MC_STEP_REFRESH;
    for (int i = 0; i < p->nsteps; i++) {
        p->steps[i].id = (mc_step_id)i;
        p->steps[i].status = broke_at >= 0 && i > broke_at ? MC_SKIP : MC_PASS;
    }
    p->broke = broke_at >= 0;
    p->failed_at = broke_at;
    if (broke_at >= 0) {
        p->steps[broke_at].status = MC_FAIL;
        p->steps[broke_at].failed_check = "reg.client-obtained";
    }
    p->expected = expected ? mc_xstrdup(expected) : NULL;
}

static void test_client_verdict_of_each_case(void **state)
{
    (void)state;
    mc_profile_run p;
    client(&p, -1, NULL);
    assert_int_equal(mc_client_verdict_of(&p), MC_V_CONNECTS);
    mc_profile_run_free(&p);
    client(&p, MC_STEP_REGISTRATION, NULL);
    assert_int_equal(mc_client_verdict_of(&p), MC_V_BREAKS);
    mc_profile_run_free(&p);
    client(&p, MC_STEP_REGISTRATION, "broke:registration");
    assert_int_equal(mc_client_verdict_of(&p), MC_V_BREAKS_AS_EXPECTED);
    mc_profile_run_free(&p);
    client(&p, MC_STEP_TOKEN, "broke:registration");
    assert_int_equal(mc_client_verdict_of(&p), MC_V_BREAKS_ELSEWHERE);
    mc_profile_run_free(&p);
    client(&p, -1, "broke:registration");
    assert_int_equal(mc_client_verdict_of(&p), MC_V_EXPECTED_BREAK_MISSING);
    mc_profile_run_free(&p);
    client(&p, MC_STEP_REGISTRATION, "pass");
    assert_int_equal(mc_client_verdict_of(&p), MC_V_BREAKS);
    mc_profile_run_free(&p);
    client(&p, MC_STEP_PROBE, NULL);
    p.steps[0].status = MC_ERROR;
    assert_int_equal(mc_client_verdict_of(&p), MC_V_NOT_RUN);
    mc_profile_run_free(&p);
}

static void test_gates_parse_words_and_errors(void **state)
{
    (void)state;
    int g;
    const char *bad;
    size_t badlen;
    assert_int_equal(mc_gates_parse("break,must", &g, &bad, &badlen), 0);
    assert_int_equal(mc_gates_effective(g), MC_GATE_BREAK | MC_GATE_MUST);
    assert_int_equal(mc_gates_parse("none", &g, &bad, &badlen), 0);
    assert_int_equal(mc_gates_effective(g), 0); /* none is not the default */
    assert_int_equal(mc_gates_effective(0), MC_GATE_DEFAULT);
    assert_int_equal(mc_gates_parse("break,shuld", &g, &bad, &badlen), -1);
    assert_int_equal(badlen, 5);
    assert_memory_equal(bad, "shuld", 5);
    assert_int_equal(mc_gates_parse("", &g, &bad, &badlen), -1);
    assert_int_equal(mc_gates_parse("break,", &g, &bad, &badlen), -1);
    char *n = mc_gates_name(MC_GATE_BREAK | MC_GATE_NOT_RUN);
    assert_string_equal(n, "break,not-run");
    free(n);
}

/* A run of two clients (one broke as expected) and a server suite with a
 * MUST failure, a warning and a check not run. */
static void run_with_suite(mc_run_result *r, int gates)
{
    memset(r, 0, sizeof *r);
    r->rev = MC_REV_2025_11_25;
    r->gates = gates;
    r->runs = mc_xcalloc(2, sizeof *r->runs);
    r->nruns = 2;
    client(&r->runs[0], -1, NULL);
    client(&r->runs[1], MC_STEP_REGISTRATION, "broke:registration");
    r->server_ran = 1;
    r->server.id = MC_STEP_SERVER;
    mc_step_check(&r->server, r->rev, "server.invalid-token-401", 0, "500");
    mc_step_check(&r->server, r->rev, "server.invalid-token-401", 1, "401"); /* counted once */
    mc_step_check(&r->server, r->rev, "server.as-audience-binding", 0, "issued");
    mc_step_not_run(&r->server, r->rev, "server.cimd-validates", "no CIMD");
    mc_step_not_run(&r->server, r->rev, "server.cimd-validates", "twice"); /* listed once */
    mc_step_not_run(&r->server, r->rev, "server.header-mismatch", "not in 2025-11-25");
}

static void test_verdict_line_and_exit_code(void **state)
{
    (void)state;
    mc_run_result r;
    run_with_suite(&r, 0);
    const mc_run_result *one = &r;
    mc_verdict v;
    mc_verdict_of(&one, 1, &v);
    assert_int_equal(v.exit_code, 1);
    assert_int_equal(v.ran, 2);
    assert_int_equal(v.not_run, 1); /* header-mismatch is no check of 2025-11-25 */
    char *line = mc_verdict_line(&v);
    assert_string_equal(line, "FAIL (exit 1): 1 of 2 clients connect, 1 broke as expected; server "
                              "suite: 2 of 3 checks ran, 1 MUST failed, 1 warned (SHOULD/MAY), 1 "
                              "not run (fails on: break,must)");
    free(line);
    mc_run_result_free(&r);
    /* gated on client breaks only: the MUST failure is reported, not failing */
    int g;
    const char *bad;
    size_t badlen;
    mc_gates_parse("break", &g, &bad, &badlen);
    run_with_suite(&r, g);
    mc_verdict_of(&one, 1, &v);
    assert_int_equal(v.exit_code, 0);
    assert_int_equal(v.must_failed, 1);
    mc_run_result_free(&r);
    mc_gates_parse("not-run", &g, &bad, &badlen);
    run_with_suite(&r, g);
    mc_verdict_of(&one, 1, &v);
    assert_int_equal(v.exit_code, 1);
    assert_int_equal(v.gating, 1);
    mc_run_result_free(&r);
}

static void test_not_run_rest_lists_every_check(void **state)
{
    (void)state;
    mc_step_result s = {.id = MC_STEP_SERVER};
    mc_step_check(&s, MC_REV_2025_11_25, "server.invalid-token-401", 1, "401");
    mc_step_not_run_rest(&s, MC_REV_2025_11_25, "not reached");
    size_t want = 0;
    for (size_t i = 0; i < mc_checks_count; i++)
        want +=
            mc_checks[i].step == MC_STEP_SERVER && mc_checks[i].kw[MC_REV_2025_11_25] != MC_KW_NONE;
    assert_int_equal(s.nchecks + s.nnot_run, want);
    mc_step_result_free(&s);
}

static void test_suggest_typos_prefixes_and_nothing(void **state)
{
    (void)state;
    static const char *const words[] = {"vscode", "cursor", "claude-code", "claude-desktop",
                                        "Cursor", "serve",  "profiles",    "proxy"};
    char *s;
    mc_suggest("vscod", words, 8, 3, &s);
    assert_string_equal(s, "vscode");
    free(s);
    mc_suggest("cursr", words, 8, 3, &s);
    assert_string_equal(s, "cursor"); /* "Cursor" is the same word */
    free(s);
    mc_suggest("claude", words, 8, 3, &s);
    assert_string_equal(s, "claude-code, claude-desktop");
    free(s);
    mc_suggest("srve", words, 8, 3, &s);
    assert_string_equal(s, "serve");
    free(s);
    mc_suggest("zzzzzz", words, 8, 3, &s);
    assert_null(s);
    mc_suggest("", words, 8, 3, &s);
    assert_null(s);
    assert_int_equal(mc_edit_distance("ab", "ba", 3), 1); /* a swap is one edit */
    assert_int_equal(mc_edit_distance("kitten", "sitting", 5), 3);
    char longw[200];
    memset(longw, 'a', sizeof longw - 1);
    longw[sizeof longw - 1] = '\0';
    assert_int_equal(mc_edit_distance(longw, "a", 2), 3); /* capped, bounded */
}

static void test_ref_url_each_kind(void **state)
{
    (void)state;
    static const struct {
        const char *ref, *url;
    } cases[] = {
        {"RFC8252-7.3", "https://www.rfc-editor.org/rfc/rfc8252.html#section-7.3"},
        {"RFC7591", "https://www.rfc-editor.org/rfc/rfc7591.html"},
        {"OAuth2.1-4.1.1",
         "https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1-13#section-4.1.1"},
        {"MCP-2025-06-18 canonical-server-uri",
         "https://modelcontextprotocol.io/specification/2025-06-18/basic/"
         "authorization#canonical-server-uri"},
        {"MCP transports protocol-version-header",
         "https://modelcontextprotocol.io/specification/2025-11-25/basic/"
         "transports#protocol-version-header"},
        {"MCP basic/lifecycle",
         "https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle"},
        {"MCP-authorization error-handling", "https://modelcontextprotocol.io/specification/"
                                             "2025-11-25/basic/authorization#error-handling"},
        {"something else", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *u = mc_ref_url(cases[i].ref, MC_REV_2025_11_25);
        if (cases[i].url)
            assert_string_equal(u, cases[i].url);
        else
            assert_null(u);
        free(u);
    }
}

/* An exchange answered with status, headers and body, recorded in s. */
static void answered(mc_step_result *s, const char *url, long status, const char *headers,
                     const char *body)
{
    mc_exchange *ex = mc_xcalloc(1, sizeof *ex);
    ex->method = mc_xstrdup("POST");
    ex->url = mc_xstrdup(url);
    ex->status = status;
    ex->response_headers = mc_xasprintf("HTTP/1.1 %ld X\r\n%s", status, headers);
    ex->response_body = mc_xstrdup(body);
    mc_step_add_exchange(s, ex);
}

static void test_stacks_recognised_from_what_the_run_saw(void **state)
{
    (void)state;
    mc_run_result r;
    memset(&r, 0, sizeof r);
    r.server_ran = 1;
    /* nothing known: no stack, generic remedies */
    answered(&r.server, "http://a/mcp", 401, "WWW-Authenticate: Bearer\r\n", "{}");
    answered(&r.server, "http://a/token", 200, "RateLimit-Policy: 150;w=900\r\n", "{}");
    mc_stacks_recognise(&r, NULL);
    assert_null(r.stack[MC_PART_RS]);
    assert_null(r.stack[MC_PART_AS]); /* 150;w=900 is not the SDK's 50;w=900 */
    const mc_check_def *aud = mc_check_find("server.audience");
    mc_remedy m = mc_remedy_of(&r, aud, "x", NULL);
    assert_ptr_equal(m.text, aud->remedy);
    assert_null(m.by);
    /* the SDK's requireBearerAuth and token handler */
    answered(
        &r.server, "http://a/mcp", 401, "X-Powered-By: Express\r\n",
        "{\"error\":\"invalid_token\",\"error_description\":\"Missing Authorization header\"}");
    answered(&r.server, "http://a/token", 400, "ratelimit-policy:  50;w=900\r\n", "{}");
    mc_stacks_recognise(&r, NULL);
    assert_non_null(r.stack[MC_PART_RS]);
    assert_string_equal(r.stack[MC_PART_RS]->id, "mcp-typescript-sdk");
    assert_string_equal(r.stack[MC_PART_AS]->id, "mcp-typescript-sdk");
    assert_non_null(strstr(r.stack_why[MC_PART_AS], "50;w=900"));
    m = mc_remedy_of(&r, aud, "x", NULL);
    assert_non_null(strstr(m.text, "expectedResource"));
    assert_non_null(strstr(m.doc, "typescript-sdk"));
    char *line = mc_remedy_line(&m);
    assert_non_null(strstr(line, "TypeScript MCP SDK"));
    assert_non_null(strstr(line, "(see https://"));
    free(line);
    /* a setup's remedy wins; a check with no SDK wording keeps its own */
    m = mc_remedy_of(&r, aud, "x", "the scenario's");
    assert_string_equal(m.text, "the scenario's");
    const mc_check_def *ab = mc_check_find("server.as-audience-binding");
    assert_ptr_equal(mc_remedy_of(&r, ab, "x", NULL).text, ab->remedy);
    /* two stacks for one party: none (nothing guessed) */
    answered(&r.server, "http://a/mcp", 401, "",
             "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"missing authorization "
             "header\"},\"id\":null}");
    mc_stacks_recognise(&r, NULL);
    assert_null(r.stack[MC_PART_RS]);
    assert_non_null(r.stack[MC_PART_AS]);
    /* a persona names the authorization server's product */
    mc_stacks_recognise(&r, "better-auth-1.8");
    assert_string_equal(r.stack[MC_PART_AS]->id, "better-auth");
    const mc_check_def *reg = mc_check_find("reg.client-obtained");
    /* Better Auth's wording only for the refusal it words */
    assert_ptr_equal(mc_remedy_of(&r, reg, "no registration_endpoint", NULL).text, reg->remedy);
    m = mc_remedy_of(&r, reg, "400 invalid_redirect_uri: web clients require https redirect URIs",
                     NULL);
    assert_non_null(strstr(m.text, "clientRegistrationDefaultApplicationType"));
    mc_stacks_recognise(&r, "auth0-2026");
    assert_string_equal(r.stack[MC_PART_AS]->id, "mcp-typescript-sdk"); /* from the exchanges */
    mc_run_result_free(&r);
}

/* An exchange without a URL or a body (the request never got an answer's
 * body) matches no fingerprint that asks for one; a remedy that asks for a
 * message does not fit an outcome without one, a remedy that asks for none
 * fits any. */
static void test_stacks_match_without_url_body_or_message(void **state)
{
    (void)state;
    mc_run_result r;
    memset(&r, 0, sizeof r);
    r.server_ran = 1;
    mc_exchange *ex = mc_xcalloc(1, sizeof *ex); /* the SDK's 401, its body missing */
    ex->status = 401;
    mc_step_add_exchange(&r.server, ex);
    ex = mc_xcalloc(1, sizeof *ex); /* Better Auth's refusal, its /register URL missing */
    ex->status = 400;
    ex->response_body =
        mc_xstrdup("{\"error_description\":\"web clients require https redirect URIs on "
                   "non-loopback hosts\"}");
    mc_step_add_exchange(&r.server, ex);
    mc_stacks_recognise(&r, NULL);
    assert_null(r.stack[MC_PART_RS]);
    assert_null(r.stack[MC_PART_AS]);
    answered(&r.server, "http://a/mcp", 401, "",
             "{\"error\":\"invalid_token\",\"error_description\":\"Missing Authorization "
             "header\"}");
    mc_stacks_recognise(&r, "better-auth-1.8");
    assert_string_equal(r.stack[MC_PART_RS]->id, "mcp-typescript-sdk");
    assert_string_equal(r.stack[MC_PART_AS]->id, "better-auth");
    mc_remedy m = mc_stack_remedy(&r, mc_check_find("server.audience"), NULL);
    assert_non_null(m.text);
    assert_non_null(strstr(m.text, "expectedResource"));
    assert_null(mc_stack_remedy(&r, mc_check_find("reg.client-obtained"), NULL).text);
    m = mc_stack_remedy(&r, mc_check_find("reg.client-obtained"), "web clients require https");
    assert_non_null(m.text);
    mc_run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_verdict_of_each_case),
        cmocka_unit_test(test_gates_parse_words_and_errors),
        cmocka_unit_test(test_verdict_line_and_exit_code),
        cmocka_unit_test(test_not_run_rest_lists_every_check),
        cmocka_unit_test(test_suggest_typos_prefixes_and_nothing),
        cmocka_unit_test(test_ref_url_each_kind),
        cmocka_unit_test(test_stacks_recognised_from_what_the_run_saw),
        cmocka_unit_test(test_stacks_match_without_url_body_or_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
