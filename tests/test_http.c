/* Response header reading: case, repeats, folding of parameters, hostile
 * header blocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/wire/http.h"

static mc_response with_headers(const char *h)
{
    mc_response rs = {0};
    rs.headers = (char *)h;
    return rs;
}

static void test_response_header_lookup(void **state)
{
    (void)state;
    mc_response rs = with_headers("HTTP/1.1 401 Unauthorized\r\n"
                                  "content-type: Application/JSON ; charset=utf-8\r\n"
                                  "WWW-Authenticate: Basic realm=\"x\"\r\n"
                                  "www-authenticate:   Bearer resource_metadata=\"u\"  \r\n\r\n");
    char *v = mc_response_header(&rs, "Content-Type");
    assert_string_equal(v, "Application/JSON ; charset=utf-8");
    free(v);
    v = mc_response_media_type(&rs);
    assert_string_equal(v, "application/json");
    free(v);
    v = mc_response_header_all(&rs, "WWW-Authenticate");
    assert_string_equal(v, "Basic realm=\"x\", Bearer resource_metadata=\"u\"");
    free(v);
    assert_null(mc_response_header(&rs, "Location"));
    assert_null(mc_response_header(&rs, "Content")); /* a prefix is not a name */
}

static void test_response_header_hostile(void **state)
{
    (void)state;
    static const char *const odd[] = {
        "", "\r\n", ":", "Location", "Location:\r\n", "HTTP/1.1 200\nLocation:x", "\n\n\n:\n"};
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
        mc_response rs = with_headers(odd[i]);
        char *v = mc_response_header(&rs, "Location");
        free(v);
        v = mc_response_media_type(&rs);
        free(v);
    }
    mc_response none = {0};
    assert_null(mc_response_header(&none, "Location"));
    mc_response rs = with_headers("Location:x");
    char *v = mc_response_header(&rs, "Location");
    assert_string_equal(v, "x");
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_response_header_lookup),
        cmocka_unit_test(test_response_header_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
