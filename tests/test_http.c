/* Response header reading: case, repeats, folding of parameters, hostile
 * header blocks. Each emulated client's own loopback source address: which
 * address the nth client gets, that a connection comes from it, and the
 * system's address where it cannot be bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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

static void test_source_address(void **state)
{
    (void)state;
    char a[16];
    assert_int_equal(mc_http_source_address(0, a), 0);
    assert_string_equal(a, "127.0.0.2"); /* 127.0.0.1 is the system's own */
    assert_int_equal(mc_http_source_address(1, a), 0);
    assert_string_equal(a, "127.0.0.3");
    assert_int_equal(mc_http_source_address(252, a), 0);
    assert_string_equal(a, "127.0.0.254");
    assert_int_equal(mc_http_source_address(253, a), 0); /* no .255, no .0 */
    assert_string_equal(a, "127.0.1.1");
    assert_int_equal(mc_http_source_address(256UL * 254 - 2, a), 0);
    assert_string_equal(a, "127.0.255.254");
    assert_int_equal(mc_http_source_address(256UL * 254 - 1, a), 0);
    assert_string_equal(a, "127.1.0.1");
    assert_int_equal(mc_http_source_address(256UL * 256 * 254 - 2, a), 0);
    assert_string_equal(a, "127.255.255.254");
    assert_int_equal(mc_http_source_address(256UL * 256 * 254 - 1, a), -1);
    /* the first thousand: distinct, each a unicast address of 127.0.0.0/8 */
    static char seen[1000][16];
    for (unsigned long n = 0; n < 1000; n++) {
        assert_int_equal(mc_http_source_address(n, seen[n]), 0);
        struct in_addr in;
        assert_int_equal(inet_pton(AF_INET, seen[n], &in), 1);
        unsigned long ip = ntohl(in.s_addr);
        assert_int_equal(ip >> 24, 127);
        assert_true((ip & 0xff) != 0 && (ip & 0xff) != 255 && ip != 0x7f000001UL);
        for (unsigned long k = 0; k < n; k++)
            assert_string_not_equal(seen[k], seen[n]);
    }
}

/* A one-connection HTTP server on 127.0.0.1: answers 200 and keeps the
 * address the connection came from. */
typedef struct {
    int fd;
    char peer[INET_ADDRSTRLEN];
} one_server;

static void *serve_one(void *ud)
{
    one_server *s = ud;
    struct sockaddr_in from;
    socklen_t len = sizeof from;
    int c = accept(s->fd, (struct sockaddr *)&from, &len);
    if (c < 0)
        return NULL;
    inet_ntop(AF_INET, &from.sin_addr, s->peer, sizeof s->peer);
    char buf[4096];
    ssize_t n = read(c, buf, sizeof buf); /* the request (small, one read) */
    (void)n;
    static const char answer[] =
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    ssize_t w = write(c, answer, sizeof answer - 1);
    (void)w;
    close(c);
    return NULL;
}

/* One GET to a server on 127.0.0.1 from source (NULL: none set); *peer
 * gets the address the server saw; returns h.own_source. */
static int get_from(const char *source, char peer[INET_ADDRSTRLEN], int *failed)
{
    one_server s = {.fd = socket(AF_INET, SOCK_STREAM, 0)};
    assert_true(s.fd >= 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(s.fd, (struct sockaddr *)&sin, sizeof sin), 0);
    assert_int_equal(listen(s.fd, 1), 0);
    socklen_t len = sizeof sin;
    assert_int_equal(getsockname(s.fd, (struct sockaddr *)&sin, &len), 0);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, serve_one, &s), 0);

    mc_http_opts o = {.timeout_ms = 5000, .guard = 1, .target_host = "127.0.0.1"};
    if (source)
        snprintf(o.source, sizeof o.source, "%s", source);
    mc_http h;
    assert_int_equal(mc_http_init(&h, &o), 0);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", ntohs(sin.sin_port));
    mc_request rq = {.method = "GET", .url = url};
    mc_response rs;
    assert_int_equal(mc_http_do(&h, &rq, &rs, NULL), 0);
    assert_int_equal(rs.status, 200);
    int own = h.own_source;
    *failed = h.source_failed;
    mc_response_free(&rs);
    mc_http_cleanup(&h);
    pthread_join(t, NULL);
    close(s.fd);
    snprintf(peer, INET_ADDRSTRLEN, "%s", s.peer);
    return own;
}

static void test_source_bound(void **state)
{
    (void)state;
    char peer[INET_ADDRSTRLEN];
    int failed;
    /* none set: the system's address */
    assert_int_equal(get_from(NULL, peer, &failed), 0);
    assert_string_equal(peer, "127.0.0.1");
    assert_int_equal(failed, 0);
#ifdef __linux__ /* all of 127.0.0.0/8 is the loopback interface's */
    assert_int_equal(get_from("127.0.0.9", peer, &failed), 1);
    assert_string_equal(peer, "127.0.0.9");
    assert_int_equal(failed, 0);
#endif
    /* an address this machine does not have (TEST-NET-1): the connection
     * comes from the system's address, and the exchange is not told as
     * from the client's own */
    assert_int_equal(get_from("192.0.2.1", peer, &failed), 0);
    assert_string_equal(peer, "127.0.0.1");
    assert_int_equal(failed, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_response_header_lookup),
        cmocka_unit_test(test_response_header_hostile),
        cmocka_unit_test(test_source_address),
        cmocka_unit_test(test_source_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
