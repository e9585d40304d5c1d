/* Which kind of network an address belongs to, and whether a discovered URL
 * may be contacted there: a server must not steer the harness at private,
 * link-local (cloud metadata) or loopback services it cannot reach itself. */
#ifndef MC_SSRF_H
#define MC_SSRF_H

#include <sys/socket.h>

typedef enum {
    MC_NET_PUBLIC,
    MC_NET_LOOPBACK,   /* 127/8, ::1, 0/8 */
    MC_NET_PRIVATE,    /* 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, fec0::/10 */
    MC_NET_LINK_LOCAL, /* 169.254/16, fe80::/10 */
} mc_net_class;

const char *mc_net_class_name(mc_net_class k);
/* The class of a socket address (AF_INET, AF_INET6; an IPv6 address that
 * carries an IPv4 one, mapped, compatible, NAT64 or 6to4, as that IPv4
 * address); anything else is MC_NET_PUBLIC. */
mc_net_class mc_net_classify(const struct sockaddr *sa);
/* The class of a literal address ("10.0.0.1", "::1", "[fe80::1]"); -1 when
 * text is not an IP address. */
int mc_net_classify_text(const char *text);
/* A connection to an address of class dest, for a client whose target is of
 * class target: public is always allowed, so is the target's own class, and
 * everything with allow_private (--allow-private). */
int mc_net_allowed(mc_net_class target, mc_net_class dest, int allow_private);
/* 1 when a request's Host header names this loopback listener: 127.0.0.1,
 * localhost or [::1], with its port (the port may be left out only where it
 * is the scheme's default, 80 for http, 443 for https). A page whose name
 * was rebound to 127.0.0.1 sends its own name: a listener on loopback
 * answers it 421 (DNS rebinding). */
int mc_host_is_loopback_listener(const char *host, long port, int https);

#endif
