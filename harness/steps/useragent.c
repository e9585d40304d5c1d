/* The headless user agent: the browser the client opens the authorization
 * URL in. It follows the authorization server's redirects, keeps its own
 * cookies (its own handle: none reach the client's back channel, and none of
 * the client's reach it), sends Origin and Referer on form submissions as
 * Chromium does, fills login and consent forms, and stops when a Location
 * points at the redirect URI, without needing that URI to be reachable. */
#define _GNU_SOURCE
#include "steps.h"

#include "../wire/buf.h"
#include "../wire/form.h"
#include "../wire/redact.h"
#include "../wire/url.h"

#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_HOPS 16

static int at_redirect_uri(const char *location, const char *redirect_uri)
{
    if (!mc_url_scheme_is(redirect_uri, "http") && !mc_url_scheme_is(redirect_uri, "https")) {
        /* a private-use scheme (cursor://…): the same URI, then the query */
        size_t n = strlen(redirect_uri);
        return strncmp(location, redirect_uri, n) == 0 &&
               (location[n] == '\0' || location[n] == '?' || location[n] == '#');
    }
    char *h1 = mc_url_host(location), *h2 = mc_url_host(redirect_uri);
    char *p1 = mc_url_path(location), *p2 = mc_url_path(redirect_uri);
    int same = h1 && h2 && strcmp(h1, h2) == 0 && strcmp(p1, p2) == 0 &&
               mc_url_port(location) == mc_url_port(redirect_uri) &&
               mc_url_scheme_is(location, "http") == mc_url_scheme_is(redirect_uri, "http");
    free(h1);
    free(h2);
    free(p1);
    free(p2);
    return same;
}

/* The visible text of an error page, squeezed to one short line. */
static char *page_excerpt(const char *body)
{
    mc_buf b;
    mc_buf_init(&b, 200);
    int in_tag = 0, space = 1;
    for (const char *p = body ? body : ""; *p && !b.truncated; p++) {
        if (strncasecmp(p, "<style", 6) == 0 || strncasecmp(p, "<script", 7) == 0) {
            const char *end = strcasestr(
                p, p[1] == 's' && (p[2] == 't' || p[2] == 'T') ? "</style>" : "</script>");
            if (end) {
                p = end + 7;
                continue;
            }
        }
        if (*p == '<') {
            in_tag = 1;
            if (!space)
                mc_buf_add(&b, " ", 1);
            space = 1;
            continue;
        }
        if (*p == '>') {
            in_tag = 0;
            continue;
        }
        if (in_tag)
            continue;
        if (isspace((unsigned char)*p)) {
            if (!space)
                mc_buf_add(&b, " ", 1);
            space = 1;
            continue;
        }
        space = 0;
        mc_buf_add(&b, p, 1);
    }
    while (b.len && b.data[b.len - 1] == ' ')
        b.data[--b.len] = '\0';
    /* the few entities error pages use */
    static const char *const ent[][2] = {{"&#39;", "'"}, {"&quot;", "\""}, {"&amp;", "&"},
                                         {"&lt;", "<"},  {"&gt;", ">"},    {"&#x27;", "'"}};
    char *text = mc_buf_steal(&b);
    for (size_t i = 0; i < sizeof ent / sizeof *ent; i++) {
        char *at;
        while ((at = strstr(text, ent[i][0]))) {
            size_t el = strlen(ent[i][0]);
            memcpy(at, ent[i][1], 1);
            memmove(at + 1, at + el, strlen(at + el) + 1);
        }
    }
    return text;
}

/* One request of the browser, recorded in s like the client's own. */
static int browser_exchange(mc_client *c, mc_step_result *s, mc_request *rq, mc_hdrs *h,
                            mc_response *rs)
{
    mc_hdrs_apply(h, rq);
    mc_exchange *ex = NULL;
    int rc = mc_http_do(&c->browser, rq, rs, &ex);
    mc_step_add_exchange(s, ex);
    mc_hdrs_free(h);
    return rc;
}

void mc_ua_result_free(mc_ua_result *r)
{
    mc_secret_free(r->code);
    free(r->state);
    free(r->iss);
    free(r->error);
    free(r->error_description);
    free(r->refused_text);
    memset(r, 0, sizeof *r);
}

/* The authorization response the redirect URI received. */
static void read_response(const char *next, mc_ua_result *out)
{
    out->code = mc_url_query_get(next, "code");
    mc_secret_register(out->code);
    out->state = mc_url_query_get(next, "state");
    out->iss = mc_url_query_get(next, "iss");
    out->has_iss = out->iss != NULL;
    out->error = mc_url_query_get(next, "error");
    out->error_description = mc_url_query_get(next, "error_description");
}

/* The form to submit on a page: its (last) login form, else its first. */
static const mc_form *pick_form(const mc_forms *forms, int nf)
{
    const mc_form *f = &forms->forms[0];
    for (int i = 0; i < nf; i++)
        if (mc_form_is_login(&forms->forms[i]))
            f = &forms->forms[i];
    return f;
}

/* The next request: form f submitted (the login filled in) from the page
 * at *url. *url, *method and *body (NULL for a GET) are replaced; *url is
 * NULL for an unusable action. */
static void next_from_form(const mc_client *c, const mc_form *f, char **url, char **method,
                           char **body)
{
    *body = mc_form_encode(f, c->cfg->login_user, c->cfg->login_password);
    char *action = f->action && *f->action ? mc_url_resolve(*url, f->action) : mc_xstrdup(*url);
    free(*method);
    *method = mc_xstrdup(strcmp(f->method, "post") == 0 ? "POST" : "GET");
    if (strcmp(*method, "GET") == 0) {
        char *u = mc_url_add_query(action, *body);
        free(action);
        action = u;
        mc_secret_free(*body);
        *body = NULL;
    }
    free(*url);
    *url = action;
}

int mc_ua_authorize(mc_client *c, mc_step_result *s, const char *start, mc_ua_result *out,
                    char **why)
{
    memset(out, 0, sizeof *out);
    char *url = mc_xstrdup(start);
    char *method = mc_xstrdup("GET");
    char *body = NULL;
    /* the document that started the navigation under way (a form's page),
     * its referrer policy, and the Origin of a form POST; the first request
     * is the client opening the URL: neither */
    char *referrer = NULL, *policy = NULL, *origin = NULL;
    int rc = -1;
    for (int hop = 0; hop < MAX_HOPS; hop++) {
        mc_request rq = {.method = method,
                         .url = url,
                         .body = body,
                         .content_type = body ? "application/x-www-form-urlencoded" : NULL};
        mc_hdrs h = {0};
        mc_hdrs_add(&h, "Accept: text/html,application/xhtml+xml");
        if (origin && strcmp(method, "POST") == 0)
            mc_hdrs_add(&h, "Origin: %s", origin);
        char *ref = referrer ? mc_url_referrer(referrer, url, policy) : NULL;
        if (ref)
            mc_hdrs_add(&h, "Referer: %s", ref);
        free(ref);
        mc_response rs;
        int ok = browser_exchange(c, s, &rq, &h, &rs) == 0;
        mc_secret_free(body);
        body = NULL;
        free(origin); /* a redirect after a POST is a GET: no Origin */
        origin = NULL;
        if (!ok) {
            *why = mc_xasprintf("authorization server unreachable: %s", rs.error);
            mc_response_free(&rs);
            break;
        }
        char *loc =
            rs.status >= 300 && rs.status < 400 ? mc_response_header(&rs, "Location") : NULL;
        if (loc) {
            /* a redirect may set the policy the next hop's Referer follows */
            char *rp = mc_response_header(&rs, "Referrer-Policy");
            if (rp) {
                free(policy);
                policy = rp;
            }
            char *next =
                mc_url_scheme_is(loc, "http") || mc_url_scheme_is(loc, "https") || !strchr(loc, ':')
                    ? mc_url_resolve(url, loc)
                    : mc_xstrdup(loc);
            free(loc);
            mc_response_free(&rs);
            if (!next) {
                *why = mc_xstrdup("redirect to an unusable Location");
                break;
            }
            if (at_redirect_uri(next, c->redirect_uri)) {
                read_response(next, out);
                free(next);
                rc = 0;
                break;
            }
            free(url);
            url = next;
            free(method);
            method = mc_xstrdup("GET");
            continue;
        }
        mc_forms forms;
        int nf = rs.status == 200 ? mc_forms_parse(rs.body, rs.body_len, &forms) : 0;
        if (nf <= 0) {
            out->refused_status = rs.status;
            out->refused_text = page_excerpt(rs.body);
            mc_response_free(&rs);
            break;
        }
        const mc_form *f = pick_form(&forms, nf);
        if (mc_form_is_login(f) && (!c->cfg->login_user || !c->cfg->login_password)) {
            *why = mc_xstrdup("the authorization server shows a login form and no credentials "
                              "were given (--login-user-env/--login-password-env, or "
                              "--login-command for logins a form cannot do)");
            mc_forms_free(&forms);
            mc_response_free(&rs);
            break;
        }
        /* the page submits the form: it is the referrer, its origin the Origin */
        free(referrer);
        referrer = mc_xstrdup(url);
        free(policy);
        policy = mc_response_header(&rs, "Referrer-Policy");
        origin = mc_url_origin(url);
        next_from_form(c, f, &url, &method, &body);
        mc_forms_free(&forms);
        mc_response_free(&rs);
        if (!url) {
            *why = mc_xstrdup("form with an unusable action");
            break;
        }
    }
    if (rc != 0 && !*why && !out->refused_text)
        *why = mc_xasprintf("gave up after %d redirects and forms", MAX_HOPS);
    free(url);
    free(method);
    free(referrer);
    free(policy);
    free(origin);
    mc_secret_free(body);
    return rc;
}
