/* The recording proxy's URL rewriting: challenges, forms, Location with
 * iss; hostile inputs (no URL, a bare scheme, unterminated text, bytes past
 * the length, empty and odd form fields, huge inputs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/wire/buf.h"
#include "../harness/wire/rewrite.h"

/* http://up.example:8443 → http://127.0.0.1:9000, the rest kept */
static char *to_local(const char *url, void *ctx)
{
    (void)ctx;
    const char *up = "http://up.example:8443";
    size_t n = strlen(up);
    if (strncmp(url, up, n) != 0 || (url[n] && url[n] != '/' && url[n] != '?'))
        return NULL;
    return mc_xasprintf("http://127.0.0.1:9000%s", url + n);
}

static void expect_text(const char *in, const char *want, int want_changed)
{
    int changed = 0;
    char *got = mc_rewrite_text(in, strlen(in), to_local, NULL, &changed);
    assert_string_equal(got, want);
    assert_int_equal(changed, want_changed);
    free(got);
}

/* A rewriter of a NUL-terminated text: forms, Location. */
typedef char *(*rewriter)(const char *, mc_url_map, void *, int *);

static void expect_rewrite(rewriter rewrite, const char *in, const char *want, int want_changed)
{
    int changed = 0;
    char *got = rewrite(in, to_local, NULL, &changed);
    assert_string_equal(got, want);
    assert_int_equal(changed, want_changed);
    free(got);
}

/* Inputs each rewriter must give back unchanged. */
static void expect_kept(rewriter rewrite, const char *const *in, size_t n)
{
    for (size_t i = 0; i < n; i++)
        expect_rewrite(rewrite, in[i], in[i], 0);
}

static void test_rewrite_text_challenge(void **state)
{
    (void)state;
    expect_text("Bearer resource_metadata=\"http://up.example:8443/.well-known/"
                "oauth-protected-resource/mcp\", scope=\"a\"",
                "Bearer resource_metadata=\"http://127.0.0.1:9000/.well-known/"
                "oauth-protected-resource/mcp\", scope=\"a\"",
                1);
    expect_text("<a href='http://up.example:8443/x'>HTTP://UP.EXAMPLE:8443</a>",
                "<a href='http://127.0.0.1:9000/x'>HTTP://UP.EXAMPLE:8443</a>", 1);
    expect_text("data: {\"u\":\"http://other.example/x\"}\n\n",
                "data: {\"u\":\"http://other.example/x\"}\n\n", 0);
}

static void test_rewrite_text_hostile(void **state)
{
    (void)state;
    const char *const keep[] = {"",         "h",         "http",
                                "http://",  "https://",  "http:/x",
                                "hhttp://", "http://\"", "ftp://up.example:8443/"};
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
        expect_text(keep[i], keep[i], 0);
    /* the length bounds the input, not a NUL */
    int changed = 0;
    char *got = mc_rewrite_text("http://up.example:8443/xyz", 10, to_local, NULL, &changed);
    assert_string_equal(got, "http://up.");
    assert_int_equal(changed, 0);
    free(got);
    /* a huge input with many URLs: linear, every one replaced */
    mc_buf b;
    mc_buf_init(&b, 0);
    for (int i = 0; i < 20000; i++)
        mc_buf_adds(&b, "http://up.example:8443/ ");
    changed = 0;
    got = mc_rewrite_text(b.data, b.len, to_local, NULL, &changed);
    assert_int_equal(changed, 20000);
    assert_int_equal(strlen(got), 20000 * strlen("http://127.0.0.1:9000/ "));
    free(got);
    mc_buf_free(&b);
}

static void test_rewrite_form_resource(void **state)
{
    (void)state;
    expect_rewrite(mc_rewrite_form,
                   "grant_type=authorization_code&resource=http%3A%2F%2Fup.example%3A8443%2Fmcp&"
                   "code=abc",
                   "grant_type=authorization_code&resource=http%3A%2F%2F127.0.0.1%3A9000%2Fmcp&"
                   "code=abc",
                   1);
}

static void test_rewrite_form_hostile(void **state)
{
    (void)state;
    const char *const keep[] = {
        "", "&", "&&", "=", "a", "a=", "a=%", "a=%zz&b=", "==&&==", "a=b=c&&d", "%00=1"};
    expect_kept(mc_rewrite_form, keep, sizeof keep / sizeof *keep);
    int changed = 0;
    char *got = mc_rewrite_form(NULL, to_local, NULL, &changed);
    assert_string_equal(got, "");
    free(got);
}

static void test_rewrite_location_iss(void **state)
{
    (void)state;
    /* the client's own callback keeps its origin; iss is mapped */
    expect_rewrite(mc_rewrite_location,
                   "http://localhost:8090/callback?code=c&iss=http%3A%2F%2Fup.example%3A8443%2F&"
                   "state=s#frag",
                   "http://localhost:8090/callback?code=c&iss=http%3A%2F%2F127.0.0.1%3A9000%2F&"
                   "state=s#frag",
                   1);
    expect_rewrite(mc_rewrite_location, "http://up.example:8443/login?next=%2Fauthorize",
                   "http://127.0.0.1:9000/login?next=%2Fauthorize", 1);
    /* a redirect to a third party (an OAuth proxy's upstream identity
     * provider) keeps the redirect_uri that party compares */
    expect_rewrite(mc_rewrite_location,
                   "http://idp.example/auth?client_id=x&redirect_uri=http%3A%2F%2Fup.example%3A"
                   "8443%2Foauth%2Fcallback&state=s",
                   "http://idp.example/auth?client_id=x&redirect_uri=http%3A%2F%2Fup.example%3A"
                   "8443%2Foauth%2Fcallback&state=s",
                   0);
    /* a relative one stays on the proxied origin: its URLs are mapped (and
     * mapped back when the browser arrives) */
    expect_rewrite(mc_rewrite_location, "/login?next=http%3A%2F%2Fup.example%3A8443%2Fa",
                   "/login?next=http%3A%2F%2F127.0.0.1%3A9000%2Fa", 1);
    const char *const keep[] = {"", "/relative?x=1", "?", "#", "x?#?"};
    expect_kept(mc_rewrite_location, keep, sizeof keep / sizeof *keep);
}

static void test_origin_len_cases(void **state)
{
    (void)state;
    assert_int_equal(mc_origin_len("http://a:1/x"), strlen("http://a:1"));
    assert_int_equal(mc_origin_len("HTTPS://A.B?x"), strlen("HTTPS://A.B"));
    assert_int_equal(mc_origin_len("http://"), 0);
    assert_int_equal(mc_origin_len("mailto:x"), 0);
    assert_int_equal(mc_origin_len(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rewrite_text_challenge), cmocka_unit_test(test_rewrite_text_hostile),
        cmocka_unit_test(test_rewrite_form_resource),  cmocka_unit_test(test_rewrite_form_hostile),
        cmocka_unit_test(test_rewrite_location_iss),   cmocka_unit_test(test_origin_len_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
