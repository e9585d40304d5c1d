/* URL building: the RFC 9728 §3.1 and RFC 8414 §3.1 examples, OIDC
 * appending, canonical resources, query reading; hostile inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/wire/url.h"

static void expect(char *got, const char *want)
{
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_url_well_known_insert_rfc9728(void **state)
{
    (void)state;
    /* RFC 9728 §3.1 */
    expect(mc_url_well_known_insert("https://resource.example.com/resource1",
                                    "oauth-protected-resource"),
           "https://resource.example.com/.well-known/oauth-protected-resource/resource1");
    expect(mc_url_well_known_insert("https://r.example/", "oauth-protected-resource"),
           "https://r.example/.well-known/oauth-protected-resource");
    expect(mc_url_well_known_insert("https://r.example/mcp?x=1", "oauth-protected-resource"),
           "https://r.example/.well-known/oauth-protected-resource/mcp?x=1");
    /* spec-matrix.md 3.5 worked example */
    expect(mc_url_well_known_insert("https://mcp.example.com:8443/api/mcp",
                                    "oauth-protected-resource"),
           "https://mcp.example.com:8443/.well-known/oauth-protected-resource/api/mcp");
}

static void test_url_well_known_insert_rfc8414(void **state)
{
    (void)state;
    /* RFC 8414 §3.1 */
    expect(mc_url_well_known_insert("https://example.com/issuer1", "oauth-authorization-server"),
           "https://example.com/.well-known/oauth-authorization-server/issuer1");
    expect(mc_url_well_known_insert("https://example.com", "oauth-authorization-server"),
           "https://example.com/.well-known/oauth-authorization-server");
    expect(mc_url_well_known_insert("https://auth.example.com/tenant1/", "openid-configuration"),
           "https://auth.example.com/.well-known/openid-configuration/tenant1");
}

static void test_url_well_known_append_oidc(void **state)
{
    (void)state;
    expect(mc_url_well_known_append("https://auth.example.com/tenant1", "openid-configuration"),
           "https://auth.example.com/tenant1/.well-known/openid-configuration");
    expect(mc_url_well_known_append("https://auth.example.com/", "openid-configuration"),
           "https://auth.example.com/.well-known/openid-configuration");
}

static void test_url_canonical(void **state)
{
    (void)state;
    expect(mc_url_canonical("HTTPS://MCP.Example.COM/mcp"), "https://mcp.example.com/mcp");
    expect(mc_url_canonical("https://mcp.example.com:443/mcp/"), "https://mcp.example.com/mcp");
    expect(mc_url_canonical("https://mcp.example.com/mcp#frag"), "https://mcp.example.com/mcp");
    expect(mc_url_canonical("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
    assert_true(mc_url_same_resource("https://A.example/mcp", "https://a.example:443/mcp/"));
    assert_false(mc_url_same_resource("https://a.example/mcp", "https://a.example/other"));
    assert_false(mc_url_same_resource("https://a.example/mcp", NULL));
}

static void test_url_parts(void **state)
{
    (void)state;
    expect(mc_url_origin("https://a.example:8443/x/y?z"), "https://a.example:8443");
    expect(mc_url_resolve("https://a.example/x/y", "../z?q=1"), "https://a.example/z?q=1");
    expect(mc_url_resolve("https://a.example/x/y", "https://b.example/"), "https://b.example/");
    assert_int_equal(mc_url_port("https://a.example/x"), 443);
    assert_int_equal(mc_url_port("http://127.0.0.1:33418/"), 33418);
    assert_true(mc_url_is_loopback("http://127.0.0.1:1/cb"));
    assert_true(mc_url_is_loopback("http://localhost/cb"));
    assert_false(mc_url_is_loopback("http://127.example.com/cb"));
}

static void test_url_query(void **state)
{
    (void)state;
    expect(mc_query_get("a=1&code=x%20y+z&c", "code"), "x y z");
    expect(mc_query_get("a=1&c", "c"), "");
    expect(mc_query_get("ab=1", "a"), NULL);
    expect(mc_query_get(NULL, "a"), NULL);
    expect(mc_url_query_get("http://127.0.0.1:5/cb?code=abc&state=s%2F1", "state"), "s/1");
    char *f = NULL;
    mc_form_append(&f, "redirect_uri", "http://127.0.0.1/cb?a=b&c");
    mc_form_append(&f, "x", "");
    assert_string_equal(f, "redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb%3Fa%3Db%26c&x=");
    free(f);
}

/* What Chromium sends as Referer from a login page (Referrer Policy §8.3). */
static void test_url_referrer(void **state)
{
    (void)state;
    const char *page = "https://as.example/login?client_id=a&state=s#frag";
    /* the default, strict-origin-when-cross-origin */
    expect(mc_url_referrer(page, "https://as.example/session", NULL),
           "https://as.example/login?client_id=a&state=s");
    expect(mc_url_referrer(page, "https://idp.example/", NULL), "https://as.example/");
    expect(mc_url_referrer(page, "http://as.example/session", NULL), NULL);
    expect(mc_url_referrer("http://127.0.0.1:3000/login", "http://127.0.0.1:3000/api", NULL),
           "http://127.0.0.1:3000/login");
    expect(mc_url_referrer("http://127.0.0.1:3000/login", "http://127.0.0.1:3001/api", ""),
           "http://127.0.0.1:3000/");
    /* the page's own Referrer-Policy */
    expect(mc_url_referrer(page, "https://as.example/session", "no-referrer"), NULL);
    expect(mc_url_referrer(page, "https://as.example/session", "origin"), "https://as.example/");
    expect(mc_url_referrer(page, "https://idp.example/", "same-origin"), NULL);
    expect(mc_url_referrer(page, "http://idp.example/", "unsafe-url"),
           "https://as.example/login?client_id=a&state=s");
    expect(mc_url_referrer(page, "http://as.example/", "strict-origin"), NULL);
    expect(mc_url_referrer(page, "https://idp.example/", "origin-when-cross-origin"),
           "https://as.example/");
    expect(mc_url_referrer(page, "http://as.example/", "no-referrer-when-downgrade"), NULL);
    /* the last known token wins; unknown ones are ignored */
    expect(mc_url_referrer(page, "https://as.example/x", "no-referrer, bogus"), NULL);
    expect(mc_url_referrer(page, "https://as.example/x", "bogus,  origin"), "https://as.example/");
    expect(mc_url_referrer(page, "https://as.example/x", "no-referrer,unsafe-url"),
           "https://as.example/login?client_id=a&state=s");
    /* credentials never leave */
    expect(mc_url_referrer("https://u:p@as.example/login", "https://as.example/x", NULL),
           "https://as.example/login");
    expect(mc_url_referrer("not a url", "https://as.example/x", NULL), NULL);
    expect(mc_url_referrer(page, "javascript:alert(1)", NULL), NULL);
}

static void test_url_hostile(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "not a url",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/plain,x",
        "//no-scheme.example/x",
        "https://",
        "http://[::1",
        "ftp://a.example/",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_null(mc_url_well_known_insert(bad[i], "oauth-protected-resource"));
        assert_null(mc_url_canonical(bad[i]));
        assert_null(mc_url_origin(bad[i]));
        assert_int_equal(mc_url_port(bad[i]), -1);
    }
    assert_null(mc_url_canonical(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_well_known_insert_rfc9728),
        cmocka_unit_test(test_url_well_known_insert_rfc8414),
        cmocka_unit_test(test_url_well_known_append_oidc),
        cmocka_unit_test(test_url_canonical),
        cmocka_unit_test(test_url_parts),
        cmocka_unit_test(test_url_query),
        cmocka_unit_test(test_url_referrer),
        cmocka_unit_test(test_url_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
