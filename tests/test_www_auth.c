/* WWW-Authenticate parser: RFC 9110 §11.6.1 grammar, hostile inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/wire/www_auth.h"

static void test_www_auth_parse_single_bearer(void **state)
{
    (void)state;
    mc_challenges c;
    const char *h = "Bearer resource_metadata=\"https://r.example/.well-known/"
                    "oauth-protected-resource/mcp\", scope=\"a b\"";
    assert_int_equal(mc_www_auth_parse(h, strlen(h), &c, NULL), 0);
    assert_int_equal(c.n, 1);
    const mc_challenge *b = mc_challenges_find(&c, "bearer");
    assert_non_null(b);
    assert_string_equal(mc_challenge_param(b, "RESOURCE_METADATA"),
                        "https://r.example/.well-known/oauth-protected-resource/mcp");
    assert_string_equal(mc_challenge_param(b, "scope"), "a b");
    mc_challenges_free(&c);
}

static void test_www_auth_parse_several_challenges(void **state)
{
    (void)state;
    mc_challenges c;
    const char *h = "Basic realm=\"x\", Negotiate abc123==, BEARER error=invalid_token,"
                    " error_description=\"expired, try again\"";
    assert_int_equal(mc_www_auth_parse(h, strlen(h), &c, NULL), 0);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.items[1].scheme, "Negotiate");
    assert_string_equal(c.items[1].token68, "abc123==");
    const mc_challenge *b = mc_challenges_find(&c, "Bearer");
    assert_string_equal(mc_challenge_param(b, "error"), "invalid_token");
    assert_string_equal(mc_challenge_param(b, "error_description"), "expired, try again");
    mc_challenges_free(&c);
}

static void test_www_auth_parse_escapes(void **state)
{
    (void)state;
    mc_challenges c;
    const char *h = "Bearer realm=\"a \\\"quoted\\\" \\\\ word\"";
    assert_int_equal(mc_www_auth_parse(h, strlen(h), &c, NULL), 0);
    assert_string_equal(mc_challenge_param(&c.items[0], "realm"), "a \"quoted\" \\ word");
    mc_challenges_free(&c);
}

static void test_www_auth_parse_bare_scheme_and_bws(void **state)
{
    (void)state;
    mc_challenges c;
    const char *h = "Bearer";
    assert_int_equal(mc_www_auth_parse(h, strlen(h), &c, NULL), 0);
    assert_int_equal(c.items[0].nparams, 0);
    mc_challenges_free(&c);
    h = "Bearer realm="; /* a token68 by the grammar, not a parameter */
    assert_int_equal(mc_www_auth_parse(h, strlen(h), &c, NULL), 0);
    assert_string_equal(c.items[0].token68, "realm=");
    mc_challenges_free(&c);
    h = "Bearer scope = \"x\" ,  realm=y";
    assert_int_equal(mc_www_auth_parse(h, strlen(h), &c, NULL), 0);
    assert_string_equal(mc_challenge_param(&c.items[0], "realm"), "y");
    mc_challenges_free(&c);
}

static void test_www_auth_param_count_duplicates(void **state)
{
    (void)state;
    mc_challenges c;
    const char *h = "Bearer scope=\"a\", scope=\"b\"";
    assert_int_equal(mc_www_auth_parse(h, strlen(h), &c, NULL), 0);
    assert_int_equal(mc_challenge_param_count(&c.items[0], "scope"), 2);
    mc_challenges_free(&c);
}

/* Hostile inputs: each must fail cleanly (no crash, no leak under ASan). */
static void test_www_auth_parse_hostile(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",      /* empty */
        ",,, ,", /* only separators */
        "Bearer realm=\"unterminated",
        "Bearer realm=\"dangling\\",
        "Bearer a=b, c=",          /* missing value after a parameter */
        "Bearer realm=\"a\" junk", /* no comma between params */
        "=value",                  /* no scheme */
        "Bearer realm=\"a\rb\"",   /* CR inside */
        "Bear\x01er x=y",          /* control char in scheme */
        "Bearer abc== def",        /* data after token68 */
        "Bearer x=\"\x02\"",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        mc_challenges c;
        const char *err = NULL;
        int rc = mc_www_auth_parse(bad[i], strlen(bad[i]), &c, &err);
        mc_challenges_free(&c);
        if (rc != -1)
            fail_msg("accepted hostile input #%zu: %s", i, bad[i]);
        assert_non_null(err);
    }
    /* an embedded NUL within the given length */
    mc_challenges c;
    assert_int_equal(mc_www_auth_parse("Bearer\0x=y", 10, &c, NULL), -1);
    mc_challenges_free(&c);
    /* NULL and oversized input */
    assert_int_equal(mc_www_auth_parse(NULL, 0, &c, NULL), -1);
    char *big = malloc(MC_WWWA_MAX_INPUT + 2);
    memset(big, 'a', MC_WWWA_MAX_INPUT + 1);
    big[MC_WWWA_MAX_INPUT + 1] = '\0';
    assert_int_equal(mc_www_auth_parse(big, strlen(big), &c, NULL), -1);
    free(big);
}

static void test_www_auth_parse_caps(void **state)
{
    (void)state;
    /* more challenges and parameters than the caps: refused, not overflowed */
    char h[4096] = "";
    for (int i = 0; i < MC_WWWA_MAX_CHALLENGES + 2; i++)
        strcat(h, "X, ");
    mc_challenges c;
    assert_int_equal(mc_www_auth_parse(h, strlen(h), &c, NULL), -1);
    mc_challenges_free(&c);
    strcpy(h, "Bearer ");
    for (int i = 0; i < MC_WWWA_MAX_PARAMS + 2; i++)
        strcat(h, "a=b, ");
    assert_int_equal(mc_www_auth_parse(h, strlen(h), &c, NULL), -1);
    mc_challenges_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_www_auth_parse_single_bearer),
        cmocka_unit_test(test_www_auth_parse_several_challenges),
        cmocka_unit_test(test_www_auth_parse_escapes),
        cmocka_unit_test(test_www_auth_parse_bare_scheme_and_bws),
        cmocka_unit_test(test_www_auth_param_count_duplicates),
        cmocka_unit_test(test_www_auth_parse_hostile),
        cmocka_unit_test(test_www_auth_parse_caps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
