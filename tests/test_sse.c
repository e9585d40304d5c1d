/* SSE parsing: line endings, multi-line data, comments, pieces, caps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/wire/sse.h"

static void test_sse_next_events(void **state)
{
    (void)state;
    const char *s = ": keepalive\r\nevent: message\r\nid: 7\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\n"
                    "data:no-space\n\n";
    size_t pos = 0;
    mc_sse_event ev;
    assert_int_equal(mc_sse_next(s, strlen(s), &pos, &ev), 1);
    assert_string_equal(ev.event, "message");
    assert_string_equal(ev.id, "7");
    assert_string_equal(ev.data, "{\"a\":\n1}");
    mc_sse_event_free(&ev);
    assert_int_equal(mc_sse_next(s, strlen(s), &pos, &ev), 1);
    assert_string_equal(ev.data, "no-space");
    mc_sse_event_free(&ev);
    assert_int_equal(mc_sse_next(s, strlen(s), &pos, &ev), 0);
}

static void test_sse_next_incomplete_waits(void **state)
{
    (void)state;
    /* an event that arrived in pieces is not dispatched before its blank line */
    const char *s = "data: {\"jsonrpc\":\"2.0\"";
    size_t pos = 0;
    mc_sse_event ev;
    assert_int_equal(mc_sse_next(s, strlen(s), &pos, &ev), 0);
    assert_int_equal(pos, 0);
    const char *more = "data: x\n";
    assert_int_equal(mc_sse_next(more, strlen(more), &pos, &ev), 0);
    const char *whole = "data: x\n\n";
    assert_int_equal(mc_sse_next(whole, strlen(whole), &pos, &ev), 1);
    mc_sse_event_free(&ev);
}

static void test_sse_next_hostile(void **state)
{
    (void)state;
    static const char *const odd[] = {"\n\n\n",   "event: x\n\n",  ":\n:\n\n", "\r\r\r",
                                      "data\n\n", "retry: 10\n\n", ""};
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
        size_t pos = 0;
        mc_sse_event ev;
        int rc;
        while ((rc = mc_sse_next(odd[i], strlen(odd[i]), &pos, &ev)) == 1)
            mc_sse_event_free(&ev);
        assert_true(rc == 0);
    }
    /* a data field larger than the cap is refused */
    size_t n = MC_SSE_MAX_DATA + 16;
    char *big = malloc(n + 10);
    memcpy(big, "data: ", 6);
    memset(big + 6, 'x', n);
    memcpy(big + 6 + n, "\n\n", 3);
    size_t pos = 0;
    mc_sse_event ev;
    assert_int_equal(mc_sse_next(big, strlen(big), &pos, &ev), -1);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sse_next_events),
        cmocka_unit_test(test_sse_next_incomplete_waits),
        cmocka_unit_test(test_sse_next_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
