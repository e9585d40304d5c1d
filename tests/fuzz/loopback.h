/* The network fuzz targets' client side (fuzz_fixture, fuzz_proxy): one
 * TCP connection to a listener of this process on loopback, a request
 * written, the answer read and dropped. Static: each target includes it
 * once. */
#ifndef MC_FUZZ_LOOPBACK_H
#define MC_FUZZ_LOOPBACK_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* A socket connected to 127.0.0.1:port, reads and writes timing out after
 * timeout_s seconds; -1 with errno set (the socket closed) when the
 * connect fails. */
static inline int fuzz_connect_loopback(long port, long timeout_s)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {.tv_sec = timeout_s};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int c = connect(s, (struct sockaddr *)&a, sizeof a);
    if (c != 0 && errno == EINTR) { /* libFuzzer's timer: the connect goes on */
        struct pollfd pf = {.fd = s, .events = POLLOUT};
        int err = 0;
        socklen_t el = sizeof err;
        while (poll(&pf, 1, 5000) < 0 && errno == EINTR)
            ;
        getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &el);
        c = err ? -1 : 0;
        errno = err;
    }
    if (c != 0) {
        int e = errno;
        close(s);
        errno = e;
        return -1;
    }
    return s;
}

/* Writes req to the connected socket s, ends the request there (whatever
 * it said), reads the answer to its end and closes s with a reset: no
 * TIME_WAIT, so a long run does not exhaust this side's ephemeral ports. */
static inline void fuzz_exchange(int s, const char *req, size_t len)
{
    if (len)
        (void)!write(s, req, len);
    shutdown(s, SHUT_WR);
    char buf[4096];
    while (read(s, buf, sizeof buf) > 0)
        ;
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(s);
}

#endif
