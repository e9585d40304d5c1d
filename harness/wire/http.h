/* One HTTP exchange through libcurl: no automatic redirects, connect and
 * total timeouts, capped bodies, and a redacted record of the exchange for
 * the reports. */
#ifndef MC_HTTP_H
#define MC_HTTP_H

#include "buf.h"

#include <curl/curl.h>
#include <stddef.h>

#define MC_HTTP_MAX_BODY (2 * 1024 * 1024)
#define MC_HTTP_MAX_HEADERS (64 * 1024)
#define MC_HTTP_MAX_REQ_HEADERS 12

typedef struct {
    long connect_timeout_ms;
    long timeout_ms;
    const char *cacert; /* borrowed */
    int insecure;
    int verbose; /* print the redacted transcript to stderr */
    /* the SSRF guard (a client's handle): hosts other than target_host are
     * only connected to on public addresses or on the target's own kind of
     * network, unless allow_private */
    int guard;
    const char *target_host; /* borrowed */
    int allow_private;
    /* keep cookies (the headless browser's handle); a client's own HTTP
     * stack keeps none: no browser cookie reaches its back channel */
    int cookies;
    /* the source address of connections to IPv4 loopback (127.0.0.0/8),
     * one per emulated client (mc_http_source_address), or "": the
     * system's. Real users' clients each come from their own machine; on a
     * loopback target, one address each keeps a server's per-address
     * limits (registrations an hour per IP) from counting them together.
     * Where the address cannot be bound, the system's (said with -v). */
    char source[16];
} mc_http_opts;

typedef struct {
    CURL *curl; /* one handle per user agent: connection reuse (and cookies, opts.cookies) */
    mc_http_opts opts;
    int target_class;           /* the target's network (mc_net_class), -1 until known */
    int to_target;              /* the exchange under way goes to target_host */
    char refused[256];          /* why the guard refused a connection, or "" */
    struct curl_slist *resolve; /* MCPCOMPAT_TEST_RESOLVE */
    int source_failed;          /* opts.source could not be bound (said once with -v) */
    int own_source;             /* the last exchange's connection came from opts.source */
} mc_http;

typedef struct {
    const char *method;
    const char *url;
    const char *content_type;                     /* NULL: none */
    const char *body;                             /* NULL: none */
    const char *headers[MC_HTTP_MAX_REQ_HEADERS]; /* "Name: value", NULL-ended */
} mc_request;

typedef struct {
    long status;   /* 0 when no response arrived */
    char *headers; /* raw header block, capped */
    char *body;    /* capped, NUL-terminated */
    size_t body_len;
    int body_truncated;
    char *error; /* one line when the transfer failed, else NULL */
    CURLcode code;
    double ms;
} mc_response;

/* The recorded, redacted form of one exchange. */
typedef struct {
    char *method;
    char *url;
    char *request_headers;
    char *request_body;
    long status;
    char *response_headers;
    char *response_body;
    char *error;
    double ms;
} mc_exchange;

/* The source address of the nth emulated client of a run (n from 0):
 * 127.0.0.2, 127.0.0.3, … through 127.255.255.254, never an address ending
 * in .0 or .255 nor 127.0.0.1 (the system's own, shared with everything
 * else on the machine). Writes it to out (16 bytes); -1 when n is past the
 * last. */
int mc_http_source_address(unsigned long n, char out[16]);

int mc_http_init(mc_http *h, const mc_http_opts *opts);
void mc_http_cleanup(mc_http *h);
/* Performs rq. Returns 0 when a response arrived (any status), -1 when the
 * transfer failed (rs->error says why). *ex (optional) gets the owned,
 * redacted record either way. */
int mc_http_do(mc_http *h, const mc_request *rq, mc_response *rs, mc_exchange **ex);
void mc_response_free(mc_response *rs);
/* For the in-process fuzz targets only (tests/fuzz), NULL in the program:
 * when set, every exchange is answered by it instead of the network; it
 * adds the answer's header block ("HTTP/1.1 STATUS …\r\n", header lines,
 * "\r\n") and body to the capped buffers and returns the status, or 0 for
 * no answer. All that follows the transfer (caps, redaction, the record,
 * the caller's parsing) is the same code. */
extern long (*mc_http_fuzz_answer)(const mc_request *rq, const char *method, mc_buf *headers,
                                   mc_buf *body);

/* Process-wide stops for every exchange: a signal (async-signal-safe: only
 * sets a flag; transfers under way end at once) and a deadline for the
 * whole run (--max-time; 0 clears it). mc_http_stopped() says why new
 * exchanges fail at once, or NULL. */
void mc_http_interrupt(int sig);
void mc_http_set_deadline(long seconds);
const char *mc_http_stopped(void);
/* Milliseconds left before the run's deadline, -1 when it has none. */
long mc_http_deadline_left_ms(void);
void mc_exchange_free(mc_exchange *ex);
/* The first value of header name (case-insensitive), owned; NULL if absent.
 * mc_response_header_all joins repeated headers with ", ". */
char *mc_response_header(const mc_response *rs, const char *name);
char *mc_response_header_all(const mc_response *rs, const char *name);
/* Media type of Content-Type, lower-case, without parameters; owned. */
char *mc_response_media_type(const mc_response *rs);

#endif
