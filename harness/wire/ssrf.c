#include "ssrf.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *mc_net_class_name(mc_net_class k)
{
    static const char *const names[] = {"public", "loopback", "private", "link-local"};
    return names[k];
}

static mc_net_class classify_v4(uint32_t ip)
{
    if ((ip >> 24) == 127 || (ip >> 24) == 0)
        return MC_NET_LOOPBACK;
    if ((ip >> 16) == 0xA9FE)
        return MC_NET_LINK_LOCAL;
    if ((ip >> 24) == 10 || (ip >> 20) == 0xAC1 || (ip >> 16) == 0xC0A8 ||
        (ip >> 22) == (0x6440 >> 6)) /* 100.64/10, carrier-grade NAT */
        return MC_NET_PRIVATE;
    return MC_NET_PUBLIC;
}

static uint32_t v4_at(const unsigned char *a)
{
    return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

/* An IPv6 address that carries an IPv4 one reaches what the IPv4 address
 * reaches: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d; :: and
 * ::1 fall in 0/8, this host), NAT64 (64:ff9b::/96, RFC 6052; the local-use
 * 64:ff9b:1::/48 of RFC 8215 read as its /96 form, and never public: its
 * translator is local) and 6to4 (2002::/16, RFC 3056). */
static mc_net_class classify_v6(const unsigned char *a)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const unsigned char zero[12] = {0};
    static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    static const unsigned char nat64_local[6] = {0, 0x64, 0xff, 0x9b, 0, 1};
    if (memcmp(a, mapped, 12) == 0 || memcmp(a, zero, 12) == 0 || memcmp(a, nat64, 12) == 0)
        return classify_v4(v4_at(a + 12));
    if (memcmp(a, nat64_local, 6) == 0) {
        mc_net_class k = classify_v4(v4_at(a + 12));
        return k == MC_NET_PUBLIC ? MC_NET_PRIVATE : k;
    }
    if (a[0] == 0x20 && a[1] == 0x02)
        return classify_v4(v4_at(a + 2));
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
        return MC_NET_LINK_LOCAL;
    if ((a[0] & 0xfe) == 0xfc || (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0))
        return MC_NET_PRIVATE;
    return MC_NET_PUBLIC;
}

mc_net_class mc_net_classify(const struct sockaddr *sa)
{
    if (sa && sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        return classify_v4(ntohl(in->sin_addr.s_addr));
    }
    if (sa && sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        return classify_v6(in6->sin6_addr.s6_addr);
    }
    return MC_NET_PUBLIC;
}

int mc_net_classify_text(const char *text)
{
    if (!text)
        return -1;
    char buf[64];
    size_t n = strlen(text);
    if (n >= 2 && text[0] == '[' && text[n - 1] == ']') {
        text++;
        n -= 2;
    }
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, text, n);
    buf[n] = '\0';
    char *zone = strchr(buf, '%'); /* fe80::1%eth0 */
    if (zone)
        *zone = '\0';
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, buf, &a4) == 1)
        return (int)classify_v4(ntohl(a4.s_addr));
    if (inet_pton(AF_INET6, buf, &a6) == 1)
        return (int)classify_v6(a6.s6_addr);
    return -1;
}

int mc_host_is_loopback_listener(const char *host, long port, int https)
{
    static const char *const names[] = {"127.0.0.1", "localhost", "[::1]"};
    if (!host)
        return 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        size_t k = strlen(names[i]);
        if (strncasecmp(host, names[i], k) != 0)
            continue;
        const char *p = host + k;
        if (*p == '\0')
            return port == (https ? 443 : 80);
        if (*p != ':' || p[1] < '0' || p[1] > '9')
            return 0;
        char *end;
        long got = strtol(p + 1, &end, 10);
        return *end == '\0' && got == port;
    }
    return 0;
}

int mc_net_allowed(mc_net_class target, mc_net_class dest, int allow_private)
{
    return dest == MC_NET_PUBLIC || dest == target || allow_private;
}
