/* Helpers every step shares: request headers, ordered forms, one recorded
 * HTTP exchange, a JSON metadata GET. */
#define _GNU_SOURCE
#include "steps.h"

#include "../wire/buf.h"
#include "../wire/redact.h"
#include "../wire/url.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void mc_hdrs_add(mc_hdrs *h, const char *fmt, ...)
{
    if (h->n == MC_HTTP_MAX_REQ_HEADERS - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    char tmp[2048];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    h->items[h->n++] = mc_xstrdup(tmp);
}

void mc_hdrs_apply(const mc_hdrs *h, mc_request *rq)
{
    for (size_t i = 0; i < h->n; i++)
        rq->headers[i] = h->items[i];
    rq->headers[h->n] = NULL;
}

void mc_hdrs_free(mc_hdrs *h)
{
    for (size_t i = 0; i < h->n; i++)
        mc_secret_free(h->items[i]);
    h->n = 0;
}

char *mc_form_ordered(const json_t *order, const char *const *names, const char *const *values,
                      size_t n)
{
    char *form = mc_xstrdup("");
    int *done = mc_xcalloc(n, sizeof *done);
    size_t i;
    json_t *e;
    json_array_foreach((json_t *)order, i, e)
    {
        for (size_t k = 0; k < n; k++) {
            if (!done[k] && values[k] && json_is_string(e) &&
                strcmp(names[k], json_string_value(e)) == 0) {
                mc_form_append(&form, names[k], values[k]);
                done[k] = 1;
            }
        }
    }
    for (size_t k = 0; k < n; k++)
        if (!done[k] && values[k])
            mc_form_append(&form, names[k], values[k]);
    free(done);
    return form;
}

void mc_hdrs_add_basic(mc_hdrs *h, const char *id, const char *secret)
{
    char *eid = curl_easy_escape(NULL, id, 0);
    char *esec = curl_easy_escape(NULL, secret, 0);
    char *pair = mc_xasprintf("%s:%s", eid, esec);
    size_t n = strlen(pair);
    unsigned char *b64 = mc_xmalloc(4 * ((n + 2) / 3) + 1);
    EVP_EncodeBlock(b64, (const unsigned char *)pair, (int)n);
    mc_secret_register((const char *)b64);
    mc_hdrs_add(h, "Authorization: Basic %s", (const char *)b64);
    mc_secret_free((char *)b64);
    mc_secret_free(pair);
    curl_free(eid);
    curl_free(esec);
}

/* Retry-After in seconds (RFC 9110 §10.2.3); -1 when absent or a date. */
static long retry_after(const mc_response *rs)
{
    char *v = mc_response_header(rs, "Retry-After");
    char *end = NULL;
    long secs = v ? strtol(v, &end, 10) : -1;
    if (!v || end == v || *end || secs < 0)
        secs = -1;
    free(v);
    return secs;
}

/* Waits secs seconds unless a signal or --max-time stops the run first. */
static void wait_seconds(long secs)
{
    for (long ms = 0; ms < secs * 1000 && !mc_http_stopped(); ms += 100) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

int mc_client_exchange(mc_client *c, mc_step_result *s, mc_request *rq, mc_hdrs *h, mc_response *rs)
{
    if (h)
        mc_hdrs_apply(h, rq);
    mc_footprint *fp = c->cfg->footprint;
    int is_reg = c->reg_ep && rq->url && strcmp(rq->url, c->reg_ep) == 0;
    long before = fp ? mc_footprint_count(fp, rq->url) : 0;
    mc_exchange *ex = NULL;
    int rc = mc_http_do(&c->http, rq, rs, &ex);
    mc_step_add_exchange(s, ex);
    /* a 429 after this run's own requests there (any registration: a real
     * user's client registers once) is the run's doing: wait a short
     * Retry-After out once, within --max-time; else the client did not run */
    if (fp && rs->status == 429 && (is_reg || before > 0)) {
        long secs = retry_after(rs);
        long left = mc_http_deadline_left_ms();
        int wait =
            secs >= 0 && (left >= 0 ? secs * 1000 + 1000 < left : secs <= MC_RETRY_AFTER_WAIT);
        if (wait) {
            wait_seconds(secs);
            mc_response_free(rs);
            before = mc_footprint_count(fp, rq->url);
            ex = NULL;
            rc = mc_http_do(&c->http, rq, rs, &ex);
            mc_step_add_exchange(s, ex);
        }
        if (rs->status == 429) {
            secs = retry_after(rs);
            char after[48] = "";
            if (secs >= 0)
                snprintf(after, sizeof after, ", Retry-After %ld s", secs);
            const char *what = is_reg                                             ? "registration"
                               : c->token_ep && strcmp(rq->url, c->token_ep) == 0 ? "token request"
                                                                                  : "request there";
            /* from one address (a remote target, --one-address, or none
             * could be bound) real clients would not be counted together */
            const char *whence =
                c->http.own_source
                    ? ", each client from its own address: the limit counts them together"
                    : " from one address (real clients, each from its own address, would not "
                      "reach this limit)";
            free(c->rate_limited);
            c->rate_limited = mc_xasprintf("rate-limited by the authorization server (429%s) after "
                                           "%ld %s%s by this run%s",
                                           after, before, what, before == 1 ? "" : "s", whence);
        }
    }
    if (h)
        mc_hdrs_free(h);
    return rc;
}

#define MAX_METADATA_REDIRECTS 5

json_t *mc_get_json(mc_client *c, mc_step_result *s, const char *url, long *status,
                    char **media_type)
{
    mc_hdrs h = {0};
    mc_hdrs_add(&h, "Accept: application/json");
    if (c->p->metadata_protocol_header)
        mc_hdrs_add(&h, "MCP-Protocol-Version: %s", c->p->metadata_protocol_header);
    mc_response rs;
    char *at = mc_xstrdup(url);
    /* metadata may move, also to another origin: follow a few redirects as
     * the clients' HTTP stacks do, each hop recorded */
    for (int hop = 0;; hop++) {
        mc_request rq = {.method = "GET", .url = at};
        mc_hdrs_apply(&h, &rq);
        mc_client_exchange(c, s, &rq, NULL, &rs);
        char *loc =
            rs.status >= 300 && rs.status < 400 ? mc_response_header(&rs, "Location") : NULL;
        char *next = loc ? mc_url_resolve(at, loc) : NULL;
        free(loc);
        if (!next || hop == MAX_METADATA_REDIRECTS) {
            free(next);
            break;
        }
        mc_response_free(&rs);
        free(at);
        at = next;
    }
    free(at);
    mc_hdrs_free(&h);
    *status = rs.status;
    if (media_type)
        *media_type = mc_response_media_type(&rs);
    json_t *j = NULL;
    c->json_problem = NULL;
    if (rs.status == 0) {
        snprintf(c->json_problem_buf, sizeof c->json_problem_buf, "no answer (%.280s)",
                 rs.error ? rs.error : "?");
        c->json_problem = c->json_problem_buf;
    } else if (rs.status != 200)
        c->json_problem = rs.status == 404 ? "404 Not Found" : "an error status";
    else if (rs.body_truncated)
        c->json_problem = "a body larger than the 2 MiB cap";
    else if (!(j = json_loadb(rs.body, rs.body_len, 0, NULL)))
        c->json_problem = "200 but not valid JSON";
    else if (!json_is_object(j)) {
        c->json_problem = "200 but not a JSON object";
        json_decref(j);
        j = NULL;
    }
    mc_response_free(&rs);
    return j;
}

const char *mc_get_json_problem(const mc_client *c)
{
    return c->json_problem;
}
