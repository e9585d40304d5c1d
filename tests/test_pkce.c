/* PKCE S256: the RFC 7636 Appendix B vector; verifier shape and freshness. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/wire/pkce.h"

static void test_pkce_s256_rfc7636_appendix_b(void **state)
{
    (void)state;
    char *c = mc_pkce_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    assert_string_equal(c, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    free(c);
}

static void test_pkce_b64url_rfc7636_octets(void **state)
{
    (void)state;
    /* RFC 7636 Appendix B: the 32 octets that encode to the verifier above */
    static const unsigned char octets[32] = {116, 24,  223, 180, 151, 153, 224, 37,  79,  250, 96,
                                             125, 216, 173, 187, 186, 22,  212, 37,  77,  105, 214,
                                             191, 240, 91,  88,  5,   88,  83,  132, 141, 121};
    char *v = mc_b64url(octets, sizeof octets);
    assert_string_equal(v, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    free(v);
}

static void test_pkce_verifier_fresh_and_valid(void **state)
{
    (void)state;
    char *a = mc_pkce_verifier(), *b = mc_pkce_verifier();
    assert_int_equal(strlen(a), 43);
    assert_true(mc_pkce_verifier_valid(a));
    assert_string_not_equal(a, b);
    free(a);
    free(b);
}

static void test_pkce_verifier_valid_hostile(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "short",
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX",  /* 42 chars */
        "dBjftJeZ4CVP+mB92K27uhbUJU1p1r/wW1gFWFOEjXk", /* base64, not url */
        "dBjftJeZ4CVP mB92K27uhbUJU1p1r_wW1gFWFOEjXkk",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(mc_pkce_verifier_valid(bad[i]));
    assert_false(mc_pkce_verifier_valid(NULL));
    char long_one[130];
    memset(long_one, 'a', 129);
    long_one[129] = '\0';
    assert_false(mc_pkce_verifier_valid(long_one));
    long_one[128] = '\0';
    assert_true(mc_pkce_verifier_valid(long_one));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pkce_s256_rfc7636_appendix_b),
        cmocka_unit_test(test_pkce_b64url_rfc7636_octets),
        cmocka_unit_test(test_pkce_verifier_fresh_and_valid),
        cmocka_unit_test(test_pkce_verifier_valid_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
