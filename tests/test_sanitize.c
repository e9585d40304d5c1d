/* The sanitiser of text from hostile servers, and the lenient OAuth error
 * reader: a table of hostile inputs (picohttpparser's style). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/wire/sanitize.h"

#define FFFD "\xEF\xBF\xBD"

static const struct {
    const char *in;
    size_t len;
    size_t max;
    const char *want;
} table[] = {
    {"plain text", 10, 0, "plain text"},
    {"caf\xC3\xA9", 5, 0, "caf\xC3\xA9"},                 /* valid 2-byte */
    {"\xF0\x9F\x94\x92 ok", 7, 0, "\xF0\x9F\x94\x92 ok"}, /* valid 4-byte */
    {"a\xFF"
     "b",
     3, 0, "a" FFFD "b"},                                 /* invalid byte */
    {"\x80\x80", 2, 0, FFFD FFFD},                        /* lone continuations */
    {"\xC0\xAF", 2, 0, FFFD FFFD},                        /* overlong '/' */
    {"\xE0\x80\xAF", 3, 0, FFFD FFFD FFFD},               /* overlong, 3 bytes */
    {"\xED\xA0\x80", 3, 0, FFFD FFFD FFFD},               /* UTF-16 surrogate */
    {"\xF4\x90\x80\x80", 4, 0, FFFD FFFD FFFD FFFD},      /* above U+10FFFF */
    {"end\xE2\x82", 5, 0, "end" FFFD FFFD},               /* truncated at the end */
    {"bell\x07", 5, 0, "bell\\x07"},                      /* C0 */
    {"\x1b[31mred", 8, 0, "\\x1b[31mred"},                /* terminal escape */
    {"two\nlines\r\n", 11, 0, "two\\x0alines\\x0d\\x0a"}, /* one line */
    {"tab\there", 8, 0, "tab\\x09here"},
    {"del\x7f", 4, 0, "del\\x7f"},
    {"c1\xC2\x85", 4, 0, "c1\\x85"},                                    /* C1 NEL */
    {"nul\0after", 9, 0, "nul\\x00after"},                              /* NUL kept visible */
    {"rtl\xE2\x80\xAEgnp.exe", 13, 0, "rtl\\u202egnp.exe"},             /* bidi override */
    {"abcdef", 6, 3, "abc\xE2\x80\xA6"},                                /* cut, code points */
    {"\xC3\xA9\xC3\xA9\xC3\xA9", 6, 2, "\xC3\xA9\xC3\xA9\xE2\x80\xA6"}, /* cut not mid-char */
    {"abc", 3, 3, "abc"},                                               /* exactly max */
    {"", 0, 0, ""},
};

static void test_sanitize_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        char *got = mc_sanitize(table[i].in, table[i].len, table[i].max);
        if (strcmp(got, table[i].want) != 0)
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, got, table[i].want);
        free(got);
    }
    char *n = mc_sanitize(NULL, 5, 0);
    assert_string_equal(n, "");
    free(n);
}

static void test_sanitize_output_is_clean(void **state)
{
    (void)state;
    /* every byte value, twice over: the output is valid UTF-8 without controls */
    unsigned char all[512];
    for (size_t i = 0; i < sizeof all; i++)
        all[i] = (unsigned char)(i * 7);
    char *got = mc_sanitize((const char *)all, sizeof all, 0);
    for (const unsigned char *p = (const unsigned char *)got; *p; p++)
        assert_true(*p >= 0x20 && *p != 0x7f);
    json_t *j = json_string(got); /* Jansson validates UTF-8 */
    assert_non_null(j);
    json_decref(j);
    free(got);
}

static void test_utf8_repair_keeps_controls(void **state)
{
    (void)state;
    char *got = mc_utf8_repair("a\xFFline\nnext");
    assert_string_equal(got, "a" FFFD "line\nnext");
    free(got);
    assert_null(mc_utf8_repair(NULL));
}

/* Any text as a JSON string: kept when valid, repaired when not (Jansson
 * refuses invalid UTF-8), null for none. */
static void test_json_text_each_case(void **state)
{
    (void)state;
    json_t *j = mc_json_text(NULL);
    assert_true(json_is_null(j));
    json_decref(j);
    j = mc_json_text("caf\xC3\xA9 \"q\"\n");
    assert_string_equal(json_string_value(j), "caf\xC3\xA9 \"q\"\n");
    json_decref(j);
    j = mc_json_text("a\xFF\xFE"
                     "b");
    assert_string_equal(json_string_value(j), "a" FFFD FFFD "b");
    json_decref(j);
    j = mc_json_text("");
    assert_string_equal(json_string_value(j), "");
    json_decref(j);
}

static void test_oauth_error_read_hostile(void **state)
{
    (void)state;
    static const char body[] = "{\"error\":\"invalid_client_metadata\",\"error_description\":"
                               "\"bad \xFF\xFE \x07\x1b[31m\\u0000 uri\xE2\x82\"}";
    char *err, *desc;
    mc_oauth_error_read(body, sizeof body - 1, &err, &desc);
    assert_non_null(err);
    assert_string_equal(err, "invalid_client_metadata");
    assert_non_null(desc);
    assert_string_equal(desc, "bad " FFFD FFFD " \\x07\\x1b[31m\\x00 uri" FFFD FFFD);
    free(err);
    free(desc);
}

static void test_oauth_error_read_not_json(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "",
        "<html>500</html>",
        "{\"error\":",
        "[\"error\"]",
        "{\"error\": 42}",
        "{\"error_description\": \"x\"}",
        "\"\\",
        "{\"a\":\"\\",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
        char *err = (char *)1, *desc = (char *)1;
        mc_oauth_error_read(bodies[i], strlen(bodies[i]), &err, &desc);
        if (err)
            fail_msg("body %zu: an error from %s", i, bodies[i]);
        free(desc);
    }
    char *err, *desc;
    mc_oauth_error_read(NULL, 0, &err, &desc);
    assert_null(err);
    assert_null(desc);
}

static void test_oauth_error_read_caps(void **state)
{
    (void)state;
    char body[8192];
    int n = snprintf(body, sizeof body, "{\"error\":\"%0200d\",\"error_description\":\"%05000d\"}",
                     0, 0);
    char *err, *desc;
    mc_oauth_error_read(body, (size_t)n, &err, &desc);
    assert_int_equal(strlen(err), 80 + 3); /* 80 code points and "…" */
    assert_int_equal(strlen(desc), 300 + 3);
    free(err);
    free(desc);
}

static void test_json_lenient_escaped_quote(void **state)
{
    (void)state;
    /* an escaped quote does not end the string: the raw tab after it is
     * still inside and gets escaped */
    static const char body[] = "{\"k\":\"a\\\"b\tc\xFF\"}";
    json_t *j = mc_json_load_lenient(body, sizeof body - 1);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "k")), "a\"b\tc" FFFD);
    json_decref(j);
    assert_null(mc_json_load_lenient("{\"k\":", 5));
    assert_null(mc_json_load_lenient(NULL, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sanitize_table),
        cmocka_unit_test(test_sanitize_output_is_clean),
        cmocka_unit_test(test_utf8_repair_keeps_controls),
        cmocka_unit_test(test_json_text_each_case),
        cmocka_unit_test(test_oauth_error_read_hostile),
        cmocka_unit_test(test_oauth_error_read_not_json),
        cmocka_unit_test(test_oauth_error_read_caps),
        cmocka_unit_test(test_json_lenient_escaped_quote),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
