/* The SSRF guard's address classes and decision: every range the guard
 * covers, its edges, IPv4-mapped IPv6, and text that is no address. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <string.h>

#include "../harness/wire/ssrf.h"

static const struct {
    const char *text;
    int want; /* mc_net_class, or -1: not an address */
} table[] = {
    {"10.0.0.1", MC_NET_PRIVATE},
    {"10.255.255.255", MC_NET_PRIVATE},
    {"11.0.0.1", MC_NET_PUBLIC},
    {"172.15.255.255", MC_NET_PUBLIC},
    {"172.16.0.0", MC_NET_PRIVATE},
    {"172.31.255.255", MC_NET_PRIVATE},
    {"172.32.0.0", MC_NET_PUBLIC},
    {"192.168.1.1", MC_NET_PRIVATE},
    {"192.169.0.1", MC_NET_PUBLIC},
    {"100.64.0.1", MC_NET_PRIVATE},
    {"100.128.0.1", MC_NET_PUBLIC},
    {"169.254.169.254", MC_NET_LINK_LOCAL},
    {"169.253.1.1", MC_NET_PUBLIC},
    {"127.0.0.1", MC_NET_LOOPBACK},
    {"127.255.0.9", MC_NET_LOOPBACK},
    {"0.0.0.0", MC_NET_LOOPBACK},
    {"8.8.8.8", MC_NET_PUBLIC},
    {"::1", MC_NET_LOOPBACK},
    {"[::1]", MC_NET_LOOPBACK},
    {"::", MC_NET_LOOPBACK},
    {"::2", MC_NET_LOOPBACK}, /* IPv4-compatible 0.0.0.2 */
    /* IPv4 inside IPv6 (issue 21): classified by the IPv4 address */
    {"::169.254.169.254", MC_NET_LINK_LOCAL}, /* IPv4-compatible (deprecated, RFC 4291 §2.5.5.1) */
    {"::10.0.0.1", MC_NET_PRIVATE},
    {"::127.0.0.1", MC_NET_LOOPBACK},
    {"::8.8.8.8", MC_NET_PUBLIC},
    {"64:ff9b::169.254.169.254", MC_NET_LINK_LOCAL}, /* NAT64 well-known prefix, RFC 6052 */
    {"64:ff9b::a9fe:a9fe", MC_NET_LINK_LOCAL},
    {"64:ff9b::7f00:1", MC_NET_LOOPBACK},
    {"64:ff9b::192.168.0.1", MC_NET_PRIVATE},
    {"64:ff9b::8.8.8.8", MC_NET_PUBLIC},
    {"64:ff9b:1::169.254.169.254", MC_NET_LINK_LOCAL}, /* local-use NAT64, RFC 8215 */
    {"64:ff9b:1::10.0.0.1", MC_NET_PRIVATE},
    {"64:ff9b:1::8.8.8.8", MC_NET_PRIVATE},   /* a local translator: never public */
    {"64:ff9b:2::8.8.8.8", MC_NET_PUBLIC},    /* outside both prefixes */
    {"2002:a9fe:a9fe::1", MC_NET_LINK_LOCAL}, /* 6to4, RFC 3056 */
    {"2002:0808:0808::1", MC_NET_PUBLIC},
    {"fc00::1", MC_NET_PRIVATE},
    {"[fd12:3456::1]", MC_NET_PRIVATE},
    {"fe80::1", MC_NET_LINK_LOCAL},
    {"fe80::1%eth0", MC_NET_LINK_LOCAL},
    {"febf::1", MC_NET_LINK_LOCAL},
    {"fec0::1", MC_NET_PRIVATE},
    {"2001:db8::1", MC_NET_PUBLIC},
    {"::ffff:169.254.169.254", MC_NET_LINK_LOCAL},
    {"::ffff:127.0.0.1", MC_NET_LOOPBACK},
    {"::ffff:8.8.8.8", MC_NET_PUBLIC},
    {"metadata.test", -1},
    {"", -1},
    {"[", -1},
    {"[]", -1},
    {"1.2.3", -1},
    {"999.1.1.1", -1},
    {"0x7f.0.0.1", -1},
    {"[::1", -1},
    {"::1]", -1},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", -1},
};

static void test_net_classify_text_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        int got = mc_net_classify_text(table[i].text);
        if (got != table[i].want)
            fail_msg("%s: class %d, want %d", table[i].text, got, table[i].want);
    }
    assert_int_equal(mc_net_classify_text(NULL), -1);
}

static void test_host_is_loopback_listener(void **state)
{
    (void)state;
    assert_true(mc_host_is_loopback_listener("127.0.0.1:8080", 8080, 0));
    assert_true(mc_host_is_loopback_listener("localhost:8080", 8080, 0));
    assert_true(mc_host_is_loopback_listener("LOCALHOST:8080", 8080, 0));
    assert_true(mc_host_is_loopback_listener("[::1]:8080", 8080, 1));
    assert_true(mc_host_is_loopback_listener("localhost", 80, 0));
    assert_true(mc_host_is_loopback_listener("127.0.0.1", 443, 1));
    /* a rebound name, another port, tricks */
    assert_false(mc_host_is_loopback_listener("evil.example:8080", 8080, 0));
    assert_false(mc_host_is_loopback_listener("127.0.0.1:8081", 8080, 0));
    assert_false(mc_host_is_loopback_listener("localhost", 8080, 0));
    assert_false(mc_host_is_loopback_listener("localhost.evil.example:8080", 8080, 0));
    assert_false(mc_host_is_loopback_listener("127.0.0.1:8080x", 8080, 0));
    assert_false(mc_host_is_loopback_listener("127.0.0.1:", 8080, 0));
    assert_false(mc_host_is_loopback_listener("127.0.0.1:+8080", 8080, 0));
    assert_false(mc_host_is_loopback_listener("127.0.0.1@evil:8080", 8080, 0));
    assert_false(mc_host_is_loopback_listener("", 8080, 0));
    assert_false(mc_host_is_loopback_listener(NULL, 8080, 0));
}

static void test_net_classify_sockaddr(void **state)
{
    (void)state;
    struct sockaddr_in a = {.sin_family = AF_INET};
    inet_pton(AF_INET, "169.254.169.254", &a.sin_addr);
    assert_int_equal(mc_net_classify((struct sockaddr *)&a), MC_NET_LINK_LOCAL);
    inet_pton(AF_INET, "93.184.216.34", &a.sin_addr);
    assert_int_equal(mc_net_classify((struct sockaddr *)&a), MC_NET_PUBLIC);
    struct sockaddr_in6 b = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, "fd00::5", &b.sin6_addr);
    assert_int_equal(mc_net_classify((struct sockaddr *)&b), MC_NET_PRIVATE);
    inet_pton(AF_INET6, "::ffff:10.1.2.3", &b.sin6_addr);
    assert_int_equal(mc_net_classify((struct sockaddr *)&b), MC_NET_PRIVATE);
    struct sockaddr other = {.sa_family = AF_UNIX};
    assert_int_equal(mc_net_classify(&other), MC_NET_PUBLIC);
    assert_int_equal(mc_net_classify(NULL), MC_NET_PUBLIC);
}

static void test_net_allowed_decisions(void **state)
{
    (void)state;
    /* public is always reachable */
    assert_true(mc_net_allowed(MC_NET_PUBLIC, MC_NET_PUBLIC, 0));
    assert_true(mc_net_allowed(MC_NET_LOOPBACK, MC_NET_PUBLIC, 0));
    /* a public target cannot steer the harness inside */
    assert_false(mc_net_allowed(MC_NET_PUBLIC, MC_NET_LINK_LOCAL, 0));
    assert_false(mc_net_allowed(MC_NET_PUBLIC, MC_NET_PRIVATE, 0));
    assert_false(mc_net_allowed(MC_NET_PUBLIC, MC_NET_LOOPBACK, 0));
    /* nor a loopback or private target onto cloud metadata */
    assert_false(mc_net_allowed(MC_NET_LOOPBACK, MC_NET_LINK_LOCAL, 0));
    assert_false(mc_net_allowed(MC_NET_PRIVATE, MC_NET_LINK_LOCAL, 0));
    assert_false(mc_net_allowed(MC_NET_LOOPBACK, MC_NET_PRIVATE, 0));
    /* the target's own kind of network, and --allow-private */
    assert_true(mc_net_allowed(MC_NET_LOOPBACK, MC_NET_LOOPBACK, 0));
    assert_true(mc_net_allowed(MC_NET_PRIVATE, MC_NET_PRIVATE, 0));
    assert_true(mc_net_allowed(MC_NET_PUBLIC, MC_NET_LINK_LOCAL, 1));
    assert_true(mc_net_allowed(MC_NET_LOOPBACK, MC_NET_PRIVATE, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_net_classify_text_table),
        cmocka_unit_test(test_net_classify_sockaddr),
        cmocka_unit_test(test_host_is_loopback_listener),
        cmocka_unit_test(test_net_allowed_decisions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
