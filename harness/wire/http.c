#include "http.h"

#include "buf.h"
#include "redact.h"
#include "ssrf.h"
#include "url.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>

long (*mc_http_fuzz_answer)(const mc_request *rq, const char *method, mc_buf *headers,
                            mc_buf *body);

static volatile sig_atomic_t stop_signal;
static double deadline_ms; /* 0: none */
static char deadline_why[64];
static volatile sig_atomic_t deadline_hit; /* an exchange the deadline cut short */

static double now_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec * 1000.0 + tv.tv_usec / 1000.0;
}

void mc_http_interrupt(int sig)
{
    stop_signal = sig;
}

void mc_http_set_deadline(long seconds)
{
    deadline_ms = seconds > 0 ? now_ms() + seconds * 1000.0 : 0;
    deadline_hit = 0;
    snprintf(deadline_why, sizeof deadline_why, "the run exceeded --max-time %ld s", seconds);
}

const char *mc_http_stopped(void)
{
    if (stop_signal)
        return stop_signal == SIGINT ? "interrupted by SIGINT" : "interrupted by SIGTERM";
    if (deadline_ms && (deadline_hit || now_ms() >= deadline_ms))
        return deadline_why;
    return NULL;
}

long mc_http_deadline_left_ms(void)
{
    if (!deadline_ms)
        return -1;
    double left = deadline_ms - now_ms();
    return left > 0 ? (long)left : 0;
}

/* A transfer under way ends as soon as a signal arrives. */
static int on_progress(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)ud, (void)dt, (void)dn, (void)ut, (void)un;
    return stop_signal ? 1 : 0;
}

int mc_http_source_address(unsigned long n, char out[16])
{
    /* the nth of 127.0.0.0/8 without .0 and .255 endings, 127.0.0.1 the 0th */
    unsigned long idx = n + 1;
    if (n >= 256UL * 256 * 254 - 1)
        return -1;
    unsigned long d = idx % 254 + 1, rest = idx / 254;
    snprintf(out, 16, "127.%lu.%lu.%lu", rest / 256, rest % 256, d);
    return 0;
}

/* A connection to IPv4 loopback from the emulated client's own address
 * (opts.source); where it cannot be bound (a system with only 127.0.0.1,
 * e.g. macOS), from the system's, said once with -v. */
static void bind_source(mc_http *h, curl_socket_t fd)
{
    if (!h->opts.source[0] || h->source_failed)
        return;
    struct sockaddr_in sin = {.sin_family = AF_INET};
    if (inet_pton(AF_INET, h->opts.source, &sin.sin_addr) == 1 &&
        bind(fd, (struct sockaddr *)&sin, sizeof sin) == 0)
        return;
    h->source_failed = 1;
    if (h->opts.verbose)
        fprintf(stderr,
                "mcpcompat: cannot connect from %s (%s): from the system's address instead\n",
                h->opts.source, strerror(errno));
}

/* The SSRF guard, before any connection is made: the address curl resolved
 * (a name, a literal, or a redirect's target) must be public, or on the
 * target's own kind of network. */
static curl_socket_t on_open_socket(void *ud, curlsocktype purpose, struct curl_sockaddr *a)
{
    mc_http *h = ud;
    (void)purpose;
    mc_net_class k = mc_net_classify(&a->addr);
    char ip[64] = "?";
    if (a->family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)&a->addr)->sin_addr, ip, sizeof ip);
    else if (a->family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)(void *)&a->addr)->sin6_addr, ip, sizeof ip);
    if (h->opts.guard) {
        if (h->to_target && h->target_class < 0)
            h->target_class = (int)k;
        mc_net_class target = h->target_class < 0 ? MC_NET_PUBLIC : (mc_net_class)h->target_class;
        if (!h->to_target && !mc_net_allowed(target, k, h->opts.allow_private)) {
            snprintf(h->refused, sizeof h->refused,
                     "refused to connect to %s (a %s address) for a URL the server gave, the "
                     "target being %s (--allow-private allows it)",
                     ip, mc_net_class_name(k), mc_net_class_name(target));
            return CURL_SOCKET_BAD;
        }
    }
    if (h->resolve && k != MC_NET_LOOPBACK) { /* the tests' safety net */
        snprintf(h->refused, sizeof h->refused,
                 "MCPCOMPAT_TEST_RESOLVE is set: only loopback addresses are connected to, not %s",
                 ip);
        return CURL_SOCKET_BAD;
    }
#ifdef SOCK_CLOEXEC /* atomic where the system has it (Linux, the BSDs) */
    curl_socket_t fd = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
#else /* macOS */
    curl_socket_t fd = socket(a->family, a->socktype, a->protocol);
    if (fd != CURL_SOCKET_BAD)
        fcntl(fd, F_SETFD, FD_CLOEXEC);
#endif
    if (fd != CURL_SOCKET_BAD && a->family == AF_INET && k == MC_NET_LOOPBACK)
        bind_source(h, fd);
    return fd;
}

/* With MCPCOMPAT_TEST_RESOLVE set, no name is looked up but its own
 * entries and localhost: the tests' safety net also keeps DNS queries off
 * the network. 0 when url's host may be used. */
static int test_lookup_refused(const char *url, char *why, size_t n)
{
    char *host = mc_url_host(url);
    long port = mc_url_port(url);
    int ok = host &&
             (mc_net_classify_text(host) == MC_NET_LOOPBACK || strcasecmp(host, "localhost") == 0);
    const char *env = getenv("MCPCOMPAT_TEST_RESOLVE");
    char *copy = mc_xstrdup(env ? env : ""), *save = NULL;
    for (char *e = strtok_r(copy, ",", &save); host && !ok && e; e = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(e, ':');
        ok = colon && (size_t)(colon - e) == strlen(host) &&
             strncasecmp(e, host, strlen(host)) == 0 && strtol(colon + 1, NULL, 10) == port;
    }
    free(copy);
    if (!ok)
        snprintf(why, n,
                 "MCPCOMPAT_TEST_RESOLVE is set: %s is not looked up (only loopback, localhost "
                 "and its own entries)",
                 host ? host : url);
    free(host);
    return !ok;
}

/* MCPCOMPAT_TEST_RESOLVE=HOST:PORT:ADDR[,...]: for the tests only, names
 * resolved as curl's --resolve says, without /etc/hosts. */
static struct curl_slist *test_resolve(void)
{
    const char *env = getenv("MCPCOMPAT_TEST_RESOLVE");
    if (!env || !*env)
        return NULL;
    struct curl_slist *l = NULL;
    char *copy = mc_xstrdup(env), *save = NULL;
    for (char *e = strtok_r(copy, ",", &save); e; e = strtok_r(NULL, ",", &save))
        l = curl_slist_append(l, e);
    free(copy);
    return l;
}

int mc_http_init(mc_http *h, const mc_http_opts *opts)
{
    memset(h, 0, sizeof *h);
    h->opts = *opts;
    h->target_class = mc_net_classify_text(opts->target_host);
    if (!h->opts.connect_timeout_ms)
        h->opts.connect_timeout_ms = 5000;
    if (!h->opts.timeout_ms)
        h->opts.timeout_ms = 15000;
    h->curl = curl_easy_init();
    if (!h->curl)
        return -1;
    if (h->opts.cookies)
        curl_easy_setopt(h->curl, CURLOPT_COOKIEFILE, ""); /* in-memory cookies */
    curl_easy_setopt(h->curl, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
    curl_easy_setopt(h->curl, CURLOPT_OPENSOCKETDATA, h);
    curl_easy_setopt(h->curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    h->resolve = test_resolve();
    if (h->resolve)
        curl_easy_setopt(h->curl, CURLOPT_RESOLVE, h->resolve);
    if (h->opts.cacert)
        curl_easy_setopt(h->curl, CURLOPT_CAINFO, h->opts.cacert);
    if (h->opts.insecure) {
        curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    return 0;
}

void mc_http_cleanup(mc_http *h)
{
    if (h->curl)
        curl_easy_cleanup(h->curl);
    h->curl = NULL;
    curl_slist_free_all(h->resolve);
    h->resolve = NULL;
}

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
    mc_buf *b = ud;
    mc_buf_add(b, p, sz * n);
    return b->truncated ? 0 : sz * n; /* over the cap: end the transfer */
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
    mc_buf *b = ud;
    /* a new status line (after 100-continue) starts a new block */
    if (sz * n >= 5 && strncmp(p, "HTTP/", 5) == 0)
        b->len = 0;
    mc_buf_add(b, p, sz * n);
    return sz * n;
}

static char *one_line(const char *s)
{
    char *d = mc_xstrdup(s);
    for (char *p = d; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return d;
}

static void print_transcript(const mc_exchange *ex)
{
    fprintf(stderr, "mcpcompat: > %s %s\n", ex->method, ex->url);
    if (ex->request_headers && *ex->request_headers)
        fprintf(stderr, "%s", ex->request_headers);
    if (ex->request_body)
        fprintf(stderr, "  %s\n", ex->request_body);
    if (ex->error) {
        fprintf(stderr, "mcpcompat: < (no response) %s\n", ex->error);
        return;
    }
    fprintf(stderr, "mcpcompat: < %ld (%.0f ms)\n", ex->status, ex->ms);
    if (ex->response_headers)
        fprintf(stderr, "%s", ex->response_headers);
    if (ex->response_body && *ex->response_body)
        fprintf(stderr, "  %.2000s\n", ex->response_body);
}

/* The exchange's timeout: the configured one, or what is left of a run's
 * deadline (--max-time) when that is shorter (*clamped). */
static long exchange_timeout(const mc_http *h, int *clamped)
{
    long timeout_ms = h->opts.timeout_ms;
    *clamped = 0;
    if (deadline_ms) {
        double left = deadline_ms - now_ms();
        if (left < (double)timeout_ms) {
            timeout_ms = left < 1 ? 1 : (long)left;
            *clamped = 1;
        }
    }
    return timeout_ms;
}

/* The transfer's options: URL, protocols, timeouts, where the answer goes,
 * the method and body. */
static void set_transfer(CURL *c, const mc_http *h, const mc_request *rq, const char *method,
                         long timeout_ms, char *errbuf, mc_buf *body, mc_buf *hdrs)
{
    curl_easy_setopt(c, CURLOPT_URL, rq->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, h->opts.connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, hdrs);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "mcpcompat/0.1");
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, NULL);
    curl_easy_setopt(c, CURLOPT_NOBODY, strcmp(method, "HEAD") == 0 ? 1L : 0L);
    if (rq->body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(rq->body));
    }
    if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0 && strcmp(method, "HEAD") != 0)
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    else if (strcmp(method, "POST") == 0 && !rq->body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
    }
}

/* The request's headers for curl (owned), each also written to reqh for
 * the transcript. */
static struct curl_slist *request_headers(const mc_request *rq, mc_buf *reqh)
{
    struct curl_slist *list = NULL;
    if (rq->content_type) {
        char *ct = mc_xasprintf("Content-Type: %s", rq->content_type);
        list = curl_slist_append(list, ct);
        mc_buf_printf(reqh, "  %s\n", ct);
        free(ct);
    }
    list = curl_slist_append(list, "Expect:");
    for (size_t i = 0; i < MC_HTTP_MAX_REQ_HEADERS && rq->headers[i]; i++) {
        list = curl_slist_append(list, rq->headers[i]);
        mc_buf_printf(reqh, "  %s\n", rq->headers[i]);
    }
    return list;
}

/* One line saying why a transfer failed (owned). */
static char *transfer_error(const mc_http *h, CURLcode rc, const char *errbuf, long timeout_ms)
{
    const char *stopped = mc_http_stopped();
    if (stopped)
        return mc_xstrdup(stopped);
    if (h->refused[0])
        return mc_xstrdup(h->refused);
    if (rc == CURLE_OPERATION_TIMEDOUT) {
        char *why = one_line(*errbuf ? errbuf : curl_easy_strerror(rc));
        char *error = mc_xasprintf("no complete answer within %ld ms (%s)", timeout_ms, why);
        free(why);
        return error;
    }
    return one_line(*errbuf ? errbuf : curl_easy_strerror(rc));
}

/* The exchange as recorded (redacted), printed with --verbose and handed
 * to the caller when it asks (*exp). */
static void record_exchange(const mc_http *h, const mc_request *rq, const char *method,
                            const mc_response *rs, mc_buf *reqh, mc_exchange **exp)
{
    mc_exchange *ex = mc_xcalloc(1, sizeof *ex);
    ex->method = mc_xstrdup(method);
    ex->url = mc_redact(rq->url);
    char *rh = mc_buf_steal(reqh);
    ex->request_headers = mc_redact(rh);
    free(rh);
    ex->request_body = mc_redact(rq->body);
    ex->status = rs->status;
    if (rs->status) {
        /* drop the status line and blank terminator from the record */
        ex->response_headers = mc_redact(rs->headers);
        ex->response_body = mc_redact(rs->body);
    }
    ex->error = mc_xstrdup(rs->error);
    ex->ms = rs->ms;
    if (h->opts.verbose)
        print_transcript(ex);
    if (exp)
        *exp = ex;
    else
        mc_exchange_free(ex);
}

int mc_http_do(mc_http *h, const mc_request *rq, mc_response *rs, mc_exchange **exp)
{
    memset(rs, 0, sizeof *rs);
    CURL *c = h->curl; /* not reset between requests: that keeps connections and cookies */
    mc_buf body, hdrs, reqh;
    mc_buf_init(&body, MC_HTTP_MAX_BODY);
    mc_buf_init(&hdrs, MC_HTTP_MAX_HEADERS);
    mc_buf_init(&reqh, 0);
    char errbuf[CURL_ERROR_SIZE] = "";

    /* the guard knows which connections go to the target itself */
    char *host = h->opts.target_host ? mc_url_host(rq->url) : NULL;
    h->to_target = host && strcasecmp(host, h->opts.target_host) == 0;
    free(host);
    h->refused[0] = '\0';
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, h);
    /* a run's deadline (--max-time) shortens the last exchanges */
    int clamped;
    long timeout_ms = exchange_timeout(h, &clamped);
    const char *method = rq->method ? rq->method : "GET";
    set_transfer(c, h, rq, method, timeout_ms, errbuf, &body, &hdrs);
    struct curl_slist *list = request_headers(rq, &reqh);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);

    const char *stopped = mc_http_stopped();
    long fuzz_status = 0;
    CURLcode rc = stopped ? CURLE_ABORTED_BY_CALLBACK
                  : h->resolve && test_lookup_refused(rq->url, h->refused, sizeof h->refused)
                      ? CURLE_COULDNT_RESOLVE_HOST
                  : mc_http_fuzz_answer
                      ? ((fuzz_status = mc_http_fuzz_answer(rq, method, &hdrs, &body)) > 0
                             ? CURLE_OK
                             : CURLE_COULDNT_CONNECT)
                      : curl_easy_perform(c);
    curl_slist_free_all(list);
    double secs = 0;
    if (!stopped && !mc_http_fuzz_answer)
        curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &secs);
    rs->ms = secs * 1000.0;
    /* a body over the cap ended the transfer: the answer is there, capped */
    if (rc == CURLE_WRITE_ERROR && body.truncated)
        rc = CURLE_OK;
    if (rc == CURLE_OPERATION_TIMEDOUT && clamped)
        deadline_hit = 1;
    rs->code = rc;
    if (rc == CURLE_OK && fuzz_status)
        rs->status = fuzz_status;
    else if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &rs->status);
    else
        rs->error = transfer_error(h, rc, errbuf, timeout_ms);
    /* whether the connection came from the client's own address */
    char *local = NULL;
    h->own_source = rc == CURLE_OK && !fuzz_status && h->opts.source[0] &&
                    curl_easy_getinfo(c, CURLINFO_LOCAL_IP, &local) == CURLE_OK && local &&
                    strcmp(local, h->opts.source) == 0;
    rs->body_truncated = body.truncated;
    rs->body_len = body.len;
    rs->body = mc_buf_steal(&body);
    rs->headers = mc_buf_steal(&hdrs);
    /* redaction by rule: what this exchange carries (cookies, a Basic pair,
     * a page's hidden fields) is a secret wherever it shows from now on */
    for (size_t i = 0; i < MC_HTTP_MAX_REQ_HEADERS && rq->headers[i]; i++)
        mc_redact_learn_headers(rq->headers[i]);
    mc_redact_learn_headers(rs->headers);
    if (rs->body_len && strstr(rs->headers, "text/html"))
        mc_redact_learn_html(rs->body, rs->body_len);

    if (exp || h->opts.verbose)
        record_exchange(h, rq, method, rs, &reqh, exp);
    mc_buf_free(&reqh);
    return rc == CURLE_OK ? 0 : -1;
}

void mc_response_free(mc_response *rs)
{
    free(rs->headers);
    free(rs->body);
    free(rs->error);
    memset(rs, 0, sizeof *rs);
}

void mc_exchange_free(mc_exchange *ex)
{
    if (!ex)
        return;
    free(ex->method);
    free(ex->url);
    free(ex->request_headers);
    free(ex->request_body);
    free(ex->response_headers);
    free(ex->response_body);
    free(ex->error);
    free(ex);
}

static char *header_values(const mc_response *rs, const char *name, int all)
{
    if (!rs->headers)
        return NULL;
    size_t nl = strlen(name);
    mc_buf out;
    mc_buf_init(&out, MC_HTTP_MAX_HEADERS);
    int found = 0;
    const char *p = rs->headers;
    while (*p) {
        const char *eol = strpbrk(p, "\r\n");
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            const char *end = p + len;
            while (v < end && (*v == ' ' || *v == '\t'))
                v++;
            while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
                end--;
            if (found)
                mc_buf_adds(&out, ", ");
            mc_buf_add(&out, v, (size_t)(end - v));
            found = 1;
            if (!all)
                break;
        }
        if (!eol)
            break;
        p = eol + 1;
    }
    if (!found) {
        mc_buf_free(&out);
        return NULL;
    }
    return mc_buf_steal(&out);
}

char *mc_response_header(const mc_response *rs, const char *name)
{
    return header_values(rs, name, 0);
}

char *mc_response_header_all(const mc_response *rs, const char *name)
{
    return header_values(rs, name, 1);
}

char *mc_response_media_type(const mc_response *rs)
{
    char *ct = mc_response_header(rs, "Content-Type");
    if (!ct)
        return NULL;
    char *semi = strchr(ct, ';');
    if (semi)
        *semi = '\0';
    size_t n = strlen(ct);
    while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
        ct[--n] = '\0';
    for (char *p = ct; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return ct;
}
