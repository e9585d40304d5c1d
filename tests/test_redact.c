/* Secrets are redacted by registry and by field name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/wire/redact.h"

static void expect(const char *in, const char *want)
{
    char *got = mc_redact(in);
    assert_string_equal(got, want);
    free(got);
}

static void test_redact_fields(void **state)
{
    (void)state;
    expect("grant_type=authorization_code&code=abcdefghijkl&code_verifier=0123456789abcdef",
           "grant_type=authorization_code&code=abcd…&code_verifier=0123…");
    expect("{\"access_token\": \"at-1234567890\",\"token_type\":\"Bearer\"}",
           "{\"access_token\": \"at-1…\",\"token_type\":\"Bearer\"}");
    expect("Authorization: Bearer at-abcdefghijklmnop\n", "Authorization: Bearer at-a…\n");
    expect("Authorization: Basic Zm9vOmJhcmJhemJheg==", "Authorization: Basic Zm9v…");
    /* a challenge is not a credential */
    expect("WWW-Authenticate: Bearer resource_metadata=\"https://x/y\"",
           "WWW-Authenticate: Bearer resource_metadata=\"https://x/y\"");
    /* names that merely contain a secret field name stay */
    expect("response_types_supported=code&barcode=123456789",
           "response_types_supported=code&barcode=123456789");
    expect("password=ab", "password=…");
}

static void test_redact_registry(void **state)
{
    (void)state;
    mc_secret_register("sup3r-s3cret-value");
    expect("x sup3r-s3cret-value y sup3r-s3cret-value", "x sup3… y sup3…");
    mc_secret_register("short"); /* too short to register: no false hits */
    expect("a short word", "a short word");
    mc_secrets_clear();
    expect("x sup3r-s3cret-value", "x sup3r-s3cret-value");
    assert_null(mc_redact(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_redact_fields),
        cmocka_unit_test(test_redact_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
