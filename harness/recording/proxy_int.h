/* What the recording proxy's files share (not a public interface: run.h's
 * mc_cmd_proxy is). Each part is one file:
 *   proxy.c          the listeners, one per upstream origin, and the mapping
 *                    of URLs between them and upstream; each request's
 *                    answer and its entry in the trace; the command
 *   proxy_forward.c  forwarding a request upstream and its answer back,
 *                    with URLs rewritten both ways */
#ifndef MC_PROXY_INT_H
#define MC_PROXY_INT_H

#include "../engine/run.h"
#include "../wire/buf.h"

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

#define MAX_ORIGINS 8
#define MAX_REQ_BODY (1024 * 1024)
#define MAX_RESP_BODY (2 * 1024 * 1024)
#define MAX_RESP_HEADERS (64 * 1024)

typedef struct proxy proxy;

typedef struct {
    char *key;      /* scheme://host:port, lower-case, port explicit */
    char *spelling; /* scheme://authority as first seen, for HTML */
    char *local;    /* http://127.0.0.1:PORT */
    long port;
    struct MHD_Daemon *d;
    proxy *px;
} origin;

struct proxy {
    origin o[MAX_ORIGINS];
    size_t n;
    pthread_mutex_t lock;
    FILE *rec;
    struct mc_conn_guard *guard; /* per-request deadlines for every listener */
    int rec_errno;               /* the first failed trace write, 0 if none */
    unsigned long rec_failed_at; /* its request's number */
    unsigned long seq;
    double t0;
    const mc_config *cfg;
    /* the SSRF guard: the upstream MCP server's kind of network
     * (mc_net_class), -1 until its first connection */
    int target_class;
};

/* The upstream URL for a local one (owned), or NULL. */
char *mc_proxy_to_upstream(proxy *px, const char *url);
/* url mapped upstream (upstream) or towards the client (owned), or NULL
 * when its origin is not proxied; add: start a listener for a new origin. */
char *mc_proxy_map(proxy *px, const char *url, int upstream, int add);
/* Queues an answer: status, content type (may be NULL), body, and nheaders
 * strings, name and value in turn. */
enum MHD_Result mc_proxy_answer(struct MHD_Connection *conn, unsigned status, const char *ctype,
                                const char *body, size_t len, const char *const *headers,
                                size_t nheaders);
/* Writes one exchange to the trace, its secrets redacted. */
void mc_proxy_record(proxy *px, struct MHD_Connection *conn, const char *method, const char *path,
                     const char *body, size_t len, unsigned status, const char *www,
                     const char *location, const char *resp, size_t resp_len, const char *upstream,
                     json_t *notes);
/* Forwards one request upstream and the answer back (proxy_forward.c). */
enum MHD_Result mc_proxy_forward(origin *o, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *body, size_t len);

#endif
