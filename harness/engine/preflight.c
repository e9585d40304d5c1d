#include "preflight.h"

#include "../wire/buf.h"
#include "../wire/url.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The longest wait for the plain-http retry of an https URL. */
#define PLAIN_RETRY_MS 5000

static int post_initialize(mc_http *h, const char *url, mc_rev rev, mc_response *rs)
{
    char *body = mc_xasprintf(
        "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
        "\"%s\",\"capabilities\":{},\"clientInfo\":{\"name\":\"mcpcompat\",\"version\":"
        "\"preflight\"}}}",
        mc_rev_names[rev]);
    mc_request rq = {.method = "POST",
                     .url = url,
                     .content_type = "application/json",
                     .body = body,
                     .headers = {"Accept: application/json, text/event-stream", NULL}};
    int rc = mc_http_do(h, &rq, rs, NULL);
    free(body);
    return rc;
}

/* 1 when the URL's protected resource metadata is served: the URL is an
 * MCP endpoint even if it answers 404 to a request without a token. */
static int has_prm(mc_http *h, const char *url)
{
    char *prm = mc_url_well_known_insert(url, "oauth-protected-resource");
    mc_request rq = {.method = "GET", .url = prm, .headers = {"Accept: application/json", NULL}};
    mc_response rs;
    int ok = prm && mc_http_do(h, &rq, &rs, NULL) == 0 && rs.status == 200;
    json_t *j = ok ? json_loadb(rs.body, rs.body_len, 0, NULL) : NULL;
    ok = json_is_object(j);
    json_decref(j);
    if (prm)
        mc_response_free(&rs);
    free(prm);
    return ok;
}

/* 1 when the https URL's port answers plain HTTP. */
static int plain_http(const mc_http_opts *opts, const char *url, mc_rev rev)
{
    if (strncasecmp(url, "https://", 8) != 0)
        return 0;
    char *plain = mc_xasprintf("http://%s", url + 8);
    mc_http_opts o = *opts;
    o.verbose = 0;
    if (!o.timeout_ms || o.timeout_ms > PLAIN_RETRY_MS)
        o.timeout_ms = PLAIN_RETRY_MS;
    mc_http h;
    mc_response rs;
    int yes =
        mc_http_init(&h, &o) == 0 && post_initialize(&h, plain, rev, &rs) == 0 && rs.status > 0;
    if (h.curl)
        mc_response_free(&rs);
    mc_http_cleanup(&h);
    free(plain);
    return yes;
}

int mc_target_preflight(const char *url, const mc_http_opts *opts, mc_rev rev, char **why,
                        long *status, int *loopback4)
{
    *why = NULL;
    *status = 0;
    *loopback4 = 0;
    mc_http_opts o = *opts;
    o.verbose = 0;
    mc_http h;
    if (mc_http_init(&h, &o) != 0) {
        *why = mc_xstrdup("cannot start an HTTP client");
        return -1;
    }
    long secs = (h.opts.timeout_ms + 999) / 1000;
    char *host = mc_url_host(url);
    long port = mc_url_port(url);
    char *path = mc_url_path(url);
    mc_response rs;
    int got = post_initialize(&h, url, rev, &rs) == 0;
    curl_off_t connect_us = 0;
    curl_easy_getinfo(h.curl, CURLINFO_CONNECT_TIME_T, &connect_us);
    const char *stopped = mc_http_stopped();
    if (got) {
        char *ip = NULL;
        struct in_addr a;
        *status = rs.status;
        *loopback4 = curl_easy_getinfo(h.curl, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip &&
                     inet_pton(AF_INET, ip, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
    }
    if (got && (rs.status == 404 || rs.status == 410)) {
        char *www = mc_response_header(&rs, "WWW-Authenticate");
        if (!www && !has_prm(&h, url))
            *why = mc_xasprintf("%ld for POST initialize at %s, and no protected resource "
                                "metadata for it: is this the MCP endpoint?",
                                rs.status, path);
        free(www);
    } else if (got) {
        /* any other answer is the server's to be judged on */
    } else if (stopped) {
        *why = mc_xstrdup(stopped);
    } else if (rs.code == CURLE_COULDNT_RESOLVE_HOST) {
        *why = mc_xasprintf("cannot resolve %s (%s): is the host name right?", host, rs.error);
    } else if (rs.code == CURLE_COULDNT_CONNECT) {
        *why = mc_xasprintf("nothing accepts connections at %s:%ld (%s): is the server running, "
                            "and is this its port?",
                            host, port, rs.error);
    } else if (rs.code == CURLE_OPERATION_TIMEDOUT && connect_us > 0) {
        *why = mc_xasprintf("%s:%ld accepted the connection but sent no HTTP answer to POST "
                            "initialize within %ld s (--timeout): is this the MCP server's port?",
                            host, port, secs);
    } else if (rs.code == CURLE_OPERATION_TIMEDOUT) {
        *why = mc_xasprintf("no connection to %s:%ld within %ld s (--timeout): a wrong host, or "
                            "a firewall dropping the packets?",
                            host, port, secs);
    } else if (rs.code == CURLE_PEER_FAILED_VERIFICATION) {
        *why = mc_xasprintf("cannot reach %s: %s (--cacert FILE trusts its certificate, "
                            "--insecure trusts any)",
                            url, rs.error);
    } else if (mc_url_scheme_is(url, "https") && plain_http(&o, url, rev)) {
        *why = mc_xasprintf("%s:%ld answers plain HTTP, not TLS (%s): is the URL http://%s?", host,
                            port, rs.error, url + 8);
    } else {
        *why = mc_xasprintf("cannot reach %s: %s", url, rs.error ? rs.error : "no answer");
    }
    mc_response_free(&rs);
    mc_http_cleanup(&h);
    free(host);
    free(path);
    return *why ? -1 : 0;
}

long mc_target_initialize_status(const char *url, const mc_http_opts *opts, mc_rev rev,
                                 int *from_source)
{
    mc_http_opts o = *opts;
    o.verbose = 0;
    mc_http h;
    long status = 0;
    mc_response rs;
    *from_source = 0;
    if (mc_http_init(&h, &o) == 0 && post_initialize(&h, url, rev, &rs) == 0) {
        status = rs.status;
        *from_source = h.own_source;
    }
    if (h.curl)
        mc_response_free(&rs);
    mc_http_cleanup(&h);
    return status;
}
