/* libFuzzer target over the recording proxy (`mcpcompat proxy`), through
 * its real listener on loopback (a slow, network target: run it for a time
 * budget): the request target, its query and headers, the body mapped back
 * upstream (form, JSON), the upstream's answer rewritten for the client
 * (WWW-Authenticate, Location, JSON, text and HTML bodies, new origins'
 * listeners) and the trace writer. The proxy runs in a thread, its
 * upstream is a loopback server of this target's own (libmicrohttpd).
 * The input is a raw HTTP request, a NUL, then the upstream's answer:
 * header lines, an empty line, the body; its first byte picks the answer's
 * status. "{P}" becomes the proxy's port and "{U}" the upstream's origin,
 * so the seeds can name them. A crash, leak or hang fails the target; the
 * answer itself is not judged. */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../harness/engine/run.h"
#include "../../harness/wire/buf.h"
#include "loopback.h"

/* libxml2 keeps a state per thread that uses it (xmlGetGlobalState), freed
 * by its key's destructor as the thread ends. The proxy parses HTML in its
 * connection threads (redaction by rule), one thread a connection: a leak
 * check that runs while such a thread is ending (glibc clears the key's
 * slot before it calls the destructor) finds that state unreferenced. It
 * is no leak of the program's; anything else still is. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:xmlGetGlobalState\n";
}

static struct MHD_Daemon *upstream;
static char upstream_origin[64], upstream_mcp[80];
static long proxy_port;
static mc_config cfg;

/* the answer the upstream gives to the next request (set before it is sent) */
static unsigned answer_status;
static char *answer; /* header lines, an empty line, the body */
static size_t answer_len;
static pthread_mutex_t answer_lock = PTHREAD_MUTEX_INITIALIZER;

static enum MHD_Result upstream_handle(void *cls, struct MHD_Connection *conn, const char *url,
                                       const char *method, const char *version, const char *upload,
                                       size_t *upload_size, void **state)
{
    (void)cls, (void)url, (void)method, (void)version, (void)upload;
    static int marker;
    if (!*state) {
        *state = &marker;
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0;
        return MHD_YES;
    }
    pthread_mutex_lock(&answer_lock);
    const char *a = answer ? answer : "";
    size_t n = answer ? answer_len : 0;
    const char *end = NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if (a[i] == '\n' && a[i + 1] == '\n') {
            end = a + i;
            break;
        }
    const char *body = end ? end + 2 : a + n;
    struct MHD_Response *r = MHD_create_response_from_buffer((size_t)(a + n - body), (void *)body,
                                                             MHD_RESPMEM_MUST_COPY);
    for (const char *line = a; end && line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *stop = nl ? nl : end;
        const char *colon = memchr(line, ':', (size_t)(stop - line));
        if (colon) {
            char *name = mc_xstrndup(line, (size_t)(colon - line));
            const char *v = colon + 1;
            while (v < stop && *v == ' ')
                v++;
            char *value = mc_xstrndup(v, (size_t)(stop - v));
            MHD_add_response_header(r, name, value); /* MHD refuses what is not a header */
            free(name);
            free(value);
        }
        line = stop + 1;
    }
    pthread_mutex_unlock(&answer_lock);
    enum MHD_Result ok = MHD_queue_response(conn, answer_status, r);
    MHD_destroy_response(r);
    return ok;
}

static void *run_proxy(void *arg)
{
    (void)arg;
    mc_cmd_proxy(&cfg); /* until the process ends: it waits for SIGINT/SIGTERM */
    return NULL;
}

static long free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(s, (struct sockaddr *)&a, &al) != 0)
        abort();
    close(s);
    return ntohs(a.sin_port);
}

static void setup(void)
{
    /* libcurl (and OpenSSL) initialised on this thread, as main() does: else
     * the first fetch initialises them in a handler thread, whose per-thread
     * OpenSSL error state LeakSanitizer may see unreachable at exit */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    upstream = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, upstream_handle,
                                NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&a, MHD_OPTION_END);
    if (!upstream)
        abort();
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(upstream, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(upstream_origin, sizeof upstream_origin, "http://127.0.0.1:%u", (unsigned)info->port);
    snprintf(upstream_mcp, sizeof upstream_mcp, "%s/mcp", upstream_origin);
    proxy_port = free_port();
    cfg.url = upstream_mcp;
    cfg.record = "/dev/null"; /* the trace writer runs; its lines are not kept */
    cfg.port = proxy_port;
    cfg.timeout = 5;
    pthread_t t;
    if (pthread_create(&t, NULL, run_proxy, NULL) != 0)
        abort();
    pthread_detach(t);
    for (int i = 0; i < 200; i++) { /* until its first listener answers */
        int s = fuzz_connect_loopback(proxy_port, 20);
        if (s >= 0) {
            close(s);
            return;
        }
        usleep(10000);
    }
    fprintf(stderr, "fuzz_proxy: the proxy did not listen on %ld\n", proxy_port);
    abort();
}

/* The threads of this process (each of the proxy's connections has one). */
static int threads(void)
{
    DIR *d = opendir("/proc/self/task");
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

/* s with {P} and {U} replaced */
static void expand(mc_buf *b, const uint8_t *s, size_t n, const char *port)
{
    for (size_t i = 0; i < n; i++) {
        if (i + 3 <= n && memcmp(s + i, "{P}", 3) == 0) {
            mc_buf_adds(b, port);
            i += 2;
        } else if (i + 3 <= n && memcmp(s + i, "{U}", 3) == 0) {
            mc_buf_adds(b, upstream_origin);
            i += 2;
        } else {
            mc_buf_add(b, (const char *)s + i, 1);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!upstream)
        setup();
    if (size < 1)
        return 0;
    static const unsigned statuses[] = {200, 401, 302, 201, 400, 403, 500, 204};
    answer_status = statuses[data[0] % 8];
    const uint8_t *rest = data + 1;
    size_t n = size - 1;
    const uint8_t *nul = memchr(rest, 0, n);
    size_t req_n = nul ? (size_t)(nul - rest) : n;
    char port[16];
    snprintf(port, sizeof port, "%ld", proxy_port);
    mc_buf req, ans;
    mc_buf_init(&req, 1 << 20);
    mc_buf_init(&ans, 1 << 20);
    expand(&req, rest, req_n, port);
    if (nul)
        expand(&ans, nul + 1, (size_t)(rest + n - nul - 1), port);
    pthread_mutex_lock(&answer_lock);
    answer = ans.data;
    answer_len = ans.len;
    pthread_mutex_unlock(&answer_lock);
    int before = threads();
    int s = fuzz_connect_loopback(proxy_port, 20);
    if (s < 0) {
        if (errno != EADDRNOTAVAIL && errno != EAGAIN) { /* not this side's ports: the listener */
            fprintf(stderr, "fuzz_proxy: connect: %s\n", strerror(errno));
            abort();
        }
    } else
        fuzz_exchange(s, req.data, req.len);
    /* the connection's thread ended (up to 2 s: a new origin's listener
     * adds one for good): the leak check after this input finds nothing
     * of the request still in flight */
    for (int i = 0; i < 200 && threads() > before; i++)
        usleep(10000);
    pthread_mutex_lock(&answer_lock);
    answer = NULL;
    pthread_mutex_unlock(&answer_lock);
    mc_buf_free(&req);
    mc_buf_free(&ans);
    return 0;
}
