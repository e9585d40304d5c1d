/* The growable buffer and the allocating formatters (mc_xasprintf,
 * mc_buf_printf, one formatting helper): lengths past the buffer's first
 * size, the cap kept, an empty result. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/wire/buf.h"

static void test_xasprintf_long_and_empty(void **state)
{
    (void)state;
    char many[1001];
    memset(many, 'a', 1000);
    many[1000] = '\0';
    char *s = mc_xasprintf("%s-%d", many, 42);
    assert_int_equal(strlen(s), 1003);
    assert_memory_equal(s, many, 1000);
    assert_string_equal(s + 1000, "-42");
    free(s);
    s = mc_xasprintf("%s", "");
    assert_string_equal(s, "");
    free(s);
}

static void test_buf_printf_appends_up_to_the_cap(void **state)
{
    (void)state;
    mc_buf b;
    mc_buf_init(&b, 10);
    assert_int_equal(mc_buf_printf(&b, "%d", 12345), 0);
    assert_string_equal(b.data, "12345");
    assert_int_equal(mc_buf_printf(&b, "%s", ""), 0);
    assert_int_equal(b.len, 5);
    assert_false(b.truncated);
    assert_int_equal(mc_buf_printf(&b, "%s|", "abc"), 0);
    assert_string_equal(b.data, "12345abc|");
    assert_false(b.truncated);
    assert_int_equal(mc_buf_printf(&b, "%c%s", 'x', "yz"), -1); /* what fits: x */
    assert_string_equal(b.data, "12345abc|x");
    assert_true(b.truncated);
    assert_int_equal(mc_buf_printf(&b, "%s", "more"), -1); /* what fits: nothing */
    assert_int_equal(b.len, 10);
    mc_buf_free(&b);
    mc_buf_init(&b, 0);
    for (int i = 0; i < 100; i++)
        assert_int_equal(mc_buf_printf(&b, "%03d,", i), 0);
    assert_int_equal(b.len, 400);
    assert_string_equal(b.data + 396, "099,");
    mc_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xasprintf_long_and_empty),
        cmocka_unit_test(test_buf_printf_appends_up_to_the_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
