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
    /* RFC 7592: the client configuration endpoint's bearer credential */
    expect("{\"registration_access_token\":\"oyFVSasbW18aqvb3\"}",
           "{\"registration_access_token\":\"oyFV…\"}");
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

/* Issue 21: cookies, hidden form fields and Basic credentials, by rule. */
static void test_redact_cookie_headers(void **state)
{
    (void)state;
    /* every value of a Cookie header; a Set-Cookie's value, its attributes kept */
    expect("  Cookie: _session=0Q7P1ShTmgxIVhfekb2A; theme=dark\n",
           "  Cookie: _session=0Q7P…; theme=…\n");
    expect("Set-Cookie: _interaction=4712nRwcrmYVLojHNx; path=/as; samesite=lax; httponly\r\n",
           "Set-Cookie: _interaction=4712…; path=/as; samesite=lax; httponly\r\n");
    expect("set-cookie: sid=abc\r\n", "set-cookie: sid=…\r\n");
    /* in a JSON trace */
    expect("{\"cookie\":\"a=1234567890abc; b=xyzxyzxyz\",\"x\":1}",
           "{\"cookie\":\"a=1234…; b=xyzx…\",\"x\":1}");
    /* a word that merely ends in cookie */
    expect("no-cookie: value", "no-cookie: value");
    expect("cookies are fine", "cookies are fine");
}

static void test_redact_hidden_fields(void **state)
{
    (void)state;
    expect("<form><input type=\"hidden\" name=\"txn\" value=\"txn-abcdefghijkl\">"
           "<input type=\"text\" name=\"login\" value=\"alice\"></form>",
           "<form><input type=\"hidden\" name=\"txn\" value=\"txn-…\">"
           "<input type=\"text\" name=\"login\" value=\"alice\"></form>");
    expect("<INPUT value='Zz9-0123456789' TYPE=HIDDEN name=x>",
           "<INPUT value='Zz9-…' TYPE=HIDDEN name=x>");
    expect("<input type=hidden name=prompt value=login>",
           "<input type=hidden name=prompt value=…>");
    /* an unterminated tag: no read past the end */
    expect("<input type=hidden value=\"abc", "<input type=hidden value=\"…");
    expect("<input type=hidden", "<input type=hidden");
}

static void test_redact_learn(void **state)
{
    (void)state;
    /* what a response set and a page hid, redacted wherever it shows later */
    mc_redact_learn_headers("HTTP/1.1 200 OK\r\nSet-Cookie: _interaction=4712nRwcrmYVLojHNx; "
                            "path=/as/interaction/4712nRwcrmYVLojHNx\r\n\r\n");
    expect("GET /as/interaction/4712nRwcrmYVLojHNx/login", "GET /as/interaction/4712…/login");
    const char *page = "<form method=post><input type=hidden name=uid value=\"Tx9-abcdefgh01\">"
                       "<input type=hidden name=prompt value=\"consent\"></form>";
    mc_redact_learn_html(page, strlen(page));
    /* the form submitted back: the hidden fields' values, whatever their length */
    expect("uid=Tx9-abcdefgh01&prompt=consent&submit=yes", "uid=Tx9-…&prompt=…&submit=yes");
    expect("{\"uid\":\"Tx9-abcdefgh01\"}", "{\"uid\":\"Tx9-…\"}");
    /* a protocol parameter hidden in a consent form is not made a secret */
    const char *consent = "<input type=hidden name=client_id value=\"mcp-client-1\">"
                          "<input type=hidden name=state value=\"st\">";
    mc_redact_learn_html(consent, strlen(consent));
    expect("client_id=mcp-client-1&state=st", "client_id=mcp-client-1&state=st");
    /* a Basic credential: the encoded pair and the secret inside it */
    mc_redact_learn_headers("  Authorization: Basic bXktY2xpZW50Om15LXNlY3JldC12YWx1ZQ==\n");
    expect("secret my-secret-value", "secret my-s…");
    mc_secrets_clear();
    expect("GET /as/interaction/4712nRwcrmYVLojHNx/login",
           "GET /as/interaction/4712nRwcrmYVLojHNx/login");
    expect("uid=Tx9-abcdefgh01", "uid=Tx9-abcdefgh01");
    mc_redact_learn_headers(NULL);
    mc_redact_learn_html(NULL, 0);
}

static void test_redact_basic_quoted(void **state)
{
    (void)state;
    /* a trace's JSON: the credential ends at the closing quote */
    expect("{\"authorization\":\"Basic bXktY2xpZW50Om15LXNlY3JldA==\"}",
           "{\"authorization\":\"Basic bXkt…\"}");
    /* a challenge, or prose, is not a credential */
    expect("{\"www\":\"Basic realm=\\\"x\\\"\"}", "{\"www\":\"Basic realm=\\\"x\\\"\"}");
    expect("{\"m\":\"a 401 without a Bearer challenge\"}",
           "{\"m\":\"a 401 without a Bearer challenge\"}");
    expect("{\"m\":\"want Basic challenge\"}", "{\"m\":\"want Basic challenge\"}");
}

static void test_redact_header_value(void **state)
{
    (void)state;
    char *v = mc_redact_header("Authorization", "Basic bXktY2xpZW50Om15LXNlY3JldA==");
    assert_string_equal(v, "Basic bXkt…");
    free(v);
    v = mc_redact_header("cookie", "a=1234567890; b=2");
    assert_string_equal(v, "a=1234…; b=…");
    free(v);
    v = mc_redact_header("Proxy-Authorization", "Bearer zzzzzzzzzzzz");
    assert_string_equal(v, "Bearer zzzz…");
    free(v);
    assert_null(mc_redact_header("Accept", "text/html"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_redact_fields),         cmocka_unit_test(test_redact_registry),
        cmocka_unit_test(test_redact_cookie_headers), cmocka_unit_test(test_redact_hidden_fields),
        cmocka_unit_test(test_redact_learn),          cmocka_unit_test(test_redact_basic_quoted),
        cmocka_unit_test(test_redact_header_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
