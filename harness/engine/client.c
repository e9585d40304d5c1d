#define _GNU_SOURCE
#include "client.h"

#include "../steps/cimd_host.h"
#include "failsafe.h"

#include "../steps/steps.h"
#include "../wire/buf.h"
#include "../wire/redact.h"
#include "../wire/url.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

typedef mc_step_rc (*step_fn)(mc_client *, mc_step_result *);

static const step_fn steps[MC_STEP_COUNT] = {
    mc_step_probe,        mc_step_resource_metadata, mc_step_as_metadata,
    mc_step_registration, mc_step_authorization,     mc_step_token,
    mc_step_mcp_call,     mc_step_refresh,
};

static double now_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec * 1000.0 + tv.tv_usec / 1000.0;
}

static void client_free(mc_client *c)
{
    mc_http_cleanup(&c->http);
    mc_http_cleanup(&c->browser);
    json_decref(c->prm);
    json_decref(c->as_meta);
    free(c->www_resource_metadata);
    free(c->www_scope);
    free(c->issuer);
    free(c->authz_ep);
    free(c->token_ep);
    free(c->reg_ep);
    free(c->redirect_uri);
    free(c->client_id);
    mc_secret_free(c->client_secret);
    free(c->client_auth);
    mc_secret_free(c->verifier);
    free(c->state);
    free(c->scope);
    free(c->resource);
    mc_secret_free(c->code);
    mc_secret_free(c->access_token);
    mc_secret_free(c->refresh_token);
    free(c->session_id);
    free(c->protocol_version);
    free(c->redirect_note);
    free(c->rate_limited);
    mc_cimd_host_stop(c->cimd_host);
    free(c->tool);
    free(c->auth_started_at);
    for (size_t i = 0; i < c->npublic; i++)
        free(c->public_requests[i]);
}

/* A step that stopped on a 429 says so, with the server's Retry-After. */
static void note_rate_limit(mc_client *c, mc_step_result *s)
{
    for (size_t i = 0; i < s->nexchanges; i++) {
        const mc_exchange *e = s->exchanges[i];
        if (e->status != 429)
            continue;
        const char *ra =
            e->response_headers ? strcasestr(e->response_headers, "\nRetry-After:") : NULL;
        char after[32] = "";
        if (ra)
            sscanf(ra + 13, " %31[^\r\n]", after);
        mc_step_check(s, c->rev, "transport.rate-limited", 0, "%s %s answered 429%s%s", e->method,
                      e->url, *after ? ", Retry-After: " : "", after);
        char *why = mc_xasprintf("%s (rate limited: 429%s%s)", s->reason ? s->reason : "stopped",
                                 *after ? ", Retry-After " : "", after);
        free(s->reason);
        s->reason = why;
        return;
    }
}

/* A step that could not run: status error, the reason why, and none of the
 * checks it recorded on the answer that stopped it. */
static void not_run(mc_step_result *s, const char *why)
{
    char *r =
        mc_xasprintf("not run: %s%s%s", why, s->reason ? "; " : "", s->reason ? s->reason : "");
    free(s->reason);
    s->reason = r;
    s->status = MC_ERROR;
    s->failed_check = NULL;
    size_t kept = 0;
    for (size_t k = 0; k < s->nchecks; k++) {
        if (s->checks[k].status == MC_FAIL || s->checks[k].status == MC_WARN)
            free(s->checks[k].message);
        else
            s->checks[kept++] = s->checks[k];
    }
    s->nchecks = kept;
}

/* Runs steps [0, last]; returns the failing step index, -1 when all passed,
 * or -2 when the target was unreachable. */
static int run_steps(mc_client *c, mc_profile_run *run, int last, char **why)
{
    run->profile_id = mc_xstrdup(c->p->id);
    run->client = mc_xstrdup(c->p->client);
    run->client_version = mc_xstrdup(c->p->client_version);
    run->rev = c->rev;
    run->failed_at = -1;
    /* the optional refresh step: asked for (--refresh), or the access token
     * is short-lived enough to expire during the run (token-ttl) */
    int refresh = c->p->mcp_refresh && c->cfg->refresh;
    run->nsteps = refresh ? MC_STEP_COUNT : MC_STEP_REFRESH;
    int failed = -1;
    for (int i = 0; i < run->nsteps; i++) {
        if (i == MC_STEP_REFRESH - 1 && c->p->mcp_refresh && c->expires_in > 0 &&
            c->expires_in <= MC_SHORT_TOKEN_TTL)
            run->nsteps = MC_STEP_COUNT;
        mc_step_result *s = &run->steps[i];
        s->id = (mc_step_id)i;
        if (failed >= 0 || i > last) {
            s->status = MC_SKIP;
            continue;
        }
        s->status = MC_PASS;
        double t0 = now_ms();
        mc_step_rc rc = steps[i](c, s);
        s->ms = now_ms() - t0;
        /* a signal or --max-time: the step could not run to its end */
        const char *stopped = rc != MC_GO ? mc_http_stopped() : NULL;
        if (stopped && s->status != MC_SKIP) {
            s->status = MC_ERROR;
            s->failed_check = NULL;
            char *r = s->reason && strstr(s->reason, stopped)
                          ? mc_xstrdup(s->reason)
                          : mc_xasprintf("%s%s%s", stopped, s->reason ? ": " : "",
                                         s->reason ? s->reason : "");
            free(s->reason);
            s->reason = r;
            rc = MC_UNREACHABLE;
        }
        if (rc == MC_UNREACHABLE) {
            if (why && !*why)
                *why = mc_xstrdup(s->reason ? s->reason : "target unreachable");
            s->status = MC_ERROR;
            run->not_run = 1;
            run->failed_at = i;
            mc_profile_run_skip_from(run, i + 1);
            return -2;
        }
        if (rc == MC_STOP && c->rate_limited) {
            /* the run's own volume, not this client, drew the 429: no
             * verdict on the client, no finding against the server */
            not_run(s, c->rate_limited);
            run->not_run = 1;
            failed = i;
            continue;
        }
        if (rc == MC_STOP) {
            if (s->status == MC_PASS)
                s->status = MC_FAIL;
            failed = i;
            note_rate_limit(c, s);
        }
    }
    run->broke = failed >= 0 && !run->not_run;
    run->failed_at = failed;
    free(run->auth_started_at);
    run->auth_started_at = mc_xstrdup(c->auth_started_at);
    for (size_t i = 0; i < run->npublic; i++)
        free(run->public_requests[i]);
    run->npublic = 0;
    for (size_t i = 0; i < c->npublic && i < MC_MAX_PUBLIC; i++)
        run->public_requests[run->npublic++] = mc_xstrdup(c->public_requests[i]);
    return failed;
}

static void client_init(mc_client *c, const mc_profile *p, const mc_client_config *cfg)
{
    memset(c, 0, sizeof *c);
    c->p = p;
    c->cfg = cfg;
    c->rev = cfg->rev;
    mc_http_init(&c->http, &cfg->http);
    if (cfg->http.verbose && cfg->http.source[0] && cfg->mcp_url &&
        mc_url_is_loopback(cfg->mcp_url))
        fprintf(stderr, "mcpcompat: %s: connections to loopback from %s\n", p->id,
                cfg->http.source);
    mc_http_opts browser = cfg->http;
    browser.cookies = 1;
    mc_http_init(&c->browser, &browser);
}

mc_step_rc mc_client_run(const mc_profile *p, const mc_client_config *cfg, mc_profile_run *run,
                         char **why)
{
    mc_client c;
    client_init(&c, p, cfg);
    int rc = run_steps(&c, run, MC_STEP_COUNT - 1, why);
    client_free(&c);
    return rc == -2 ? MC_UNREACHABLE : MC_GO;
}

mc_client *mc_client_open(const mc_profile *p, const mc_client_config *cfg)
{
    mc_client *c = mc_xmalloc(sizeof *c);
    client_init(c, p, cfg);
    return c;
}

int mc_client_steps(mc_client *c, mc_profile_run *run, int last)
{
    char *why = NULL;
    int rc = run_steps(c, run, last, &why);
    free(why);
    return rc;
}

void mc_client_close(mc_client *c)
{
    if (!c)
        return;
    client_free(c);
    free(c);
}

int mc_client_token_only(const mc_profile *p, const mc_client_config *cfg, mc_profile_run *run,
                         char **token)
{
    mc_client c;
    client_init(&c, p, cfg);
    char *why = NULL;
    int rc = run_steps(&c, run, MC_STEP_TOKEN, &why);
    free(why);
    *token = rc == -1 && c.access_token ? mc_xstrdup(c.access_token) : NULL;
    client_free(&c);
    return rc == -2 ? MC_STEP_PROBE : rc;
}
