#include "http.h"

#include "buf.h"
#include "redact.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int mc_http_init(mc_http *h, const mc_http_opts *opts)
{
    memset(h, 0, sizeof *h);
    h->opts = *opts;
    if (!h->opts.connect_timeout_ms)
        h->opts.connect_timeout_ms = 5000;
    if (!h->opts.timeout_ms)
        h->opts.timeout_ms = 15000;
    h->curl = curl_easy_init();
    if (!h->curl)
        return -1;
    curl_easy_setopt(h->curl, CURLOPT_COOKIEFILE, ""); /* in-memory cookies */
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
}

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
    mc_buf *b = ud;
    mc_buf_add(b, p, sz * n);
    return sz * n; /* keep reading; the cap only drops the excess */
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

int mc_http_do(mc_http *h, const mc_request *rq, mc_response *rs, mc_exchange **exp)
{
    memset(rs, 0, sizeof *rs);
    CURL *c = h->curl; /* not reset between requests: that keeps the cookies */
    mc_buf body, hdrs, reqh;
    mc_buf_init(&body, MC_HTTP_MAX_BODY);
    mc_buf_init(&hdrs, MC_HTTP_MAX_HEADERS);
    mc_buf_init(&reqh, 0);
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *list = NULL;

    curl_easy_setopt(c, CURLOPT_URL, rq->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, h->opts.connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, h->opts.timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &hdrs);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "mcpcompat/0.1");
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    const char *method = rq->method ? rq->method : "GET";
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
    if (rq->content_type) {
        char *ct = mc_xasprintf("Content-Type: %s", rq->content_type);
        list = curl_slist_append(list, ct);
        mc_buf_printf(&reqh, "  %s\n", ct);
        free(ct);
    }
    list = curl_slist_append(list, "Expect:");
    for (size_t i = 0; i < MC_HTTP_MAX_REQ_HEADERS && rq->headers[i]; i++) {
        list = curl_slist_append(list, rq->headers[i]);
        mc_buf_printf(&reqh, "  %s\n", rq->headers[i]);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);

    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(list);
    double secs = 0;
    curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &secs);
    rs->ms = secs * 1000.0;
    rs->code = rc;
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &rs->status);
    } else {
        rs->error = one_line(*errbuf ? errbuf : curl_easy_strerror(rc));
    }
    rs->body_truncated = body.truncated;
    rs->body_len = body.len;
    rs->body = mc_buf_steal(&body);
    rs->headers = mc_buf_steal(&hdrs);

    if (exp || h->opts.verbose) {
        mc_exchange *ex = mc_xcalloc(1, sizeof *ex);
        ex->method = mc_xstrdup(method);
        ex->url = mc_redact(rq->url);
        char *rh = mc_buf_steal(&reqh);
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
