#define _GNU_SOURCE
/* Step 6: the code exchange (client authentication, code_verifier, resource). */
#include "steps.h"

#include "../wire/buf.h"
#include "../wire/pkce.h"
#include "../wire/redact.h"
#include "../wire/sanitize.h"
#include "../wire/url.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *auth_method(const mc_client *c)
{
    if (strcmp(c->p->token_auth, "registered") != 0)
        return c->p->token_auth;
    return c->client_auth ? c->client_auth : "none";
}

/* One code exchange with client authentication `method`; 1 when an answer came. */
static int exchange(mc_client *c, mc_step_result *s, const char *method, mc_response *rs)
{
    const mc_profile *p = c->p;
    mc_hdrs h = {0};
    mc_hdrs_add(&h, "Accept: application/json");
    int basic = strcmp(method, "client_secret_basic") == 0 && c->client_secret;
    int post_secret = strcmp(method, "client_secret_post") == 0 && c->client_secret;
    if (basic)
        mc_hdrs_add_basic(&h, c->client_id, c->client_secret);
    static const char *const names[] = {"grant_type", "code",      "redirect_uri", "code_verifier",
                                        "resource",   "client_id", "client_secret"};
    const char *values[] = {"authorization_code",
                            c->code,
                            p->token_redirect_uri ? c->redirect_uri : NULL,
                            c->verifier,
                            c->resource && p->token_resource ? c->resource : NULL,
                            basic ? NULL : c->client_id,
                            post_secret ? c->client_secret : NULL};
    char *form = mc_form_ordered(p->token_param_order, names, values, 7);
    mc_request rq = {.method = "POST",
                     .url = c->token_ep,
                     .content_type = "application/x-www-form-urlencoded",
                     .body = form};
    int ok = mc_client_exchange(c, s, &rq, &h, rs) == 0;
    mc_secret_free(form);
    return ok;
}

/* token.basic_refused_retry_post (Auggie 0.36.0 authorizationCodeGrant(),
 * _isClientSecretBasicAuthFailure(), and _performRefresh() for a refresh):
 * a Basic exchange refused with the error invalid_client or unauthorized, or
 * a 401 with a challenge. */
int mc_basic_refused(const mc_client *c, const char *method, const mc_response *rs)
{
    if (!c->p->basic_refused_retry_post || !c->client_secret ||
        strcmp(method, "client_secret_basic") != 0 || rs->status < 400 || rs->status >= 500)
        return 0;
    char *err, *desc;
    mc_oauth_error_read(rs->body, rs->body_len, &err, &desc);
    int refused = err && (strcmp(err, "invalid_client") == 0 || strcmp(err, "unauthorized") == 0);
    free(err);
    free(desc);
    if (!refused && rs->status == 401) {
        char *challenge = mc_response_header(rs, "WWW-Authenticate");
        refused = challenge != NULL;
        free(challenge);
    }
    return refused;
}

mc_step_rc mc_step_token(mc_client *c, mc_step_result *s)
{
    const char *method = auth_method(c);
    mc_response rs;
    int ok = exchange(c, s, method, &rs);
    if (ok && mc_basic_refused(c, method, &rs)) {
        mc_response_free(&rs);
        ok = exchange(c, s, "client_secret_post", &rs);
    }
    json_t *r = ok ? json_loadb(rs.body, rs.body_len, 0, NULL) : NULL;
    const char *at = json_string_value(json_object_get(r, "access_token"));
    const char *rt = json_string_value(json_object_get(r, "refresh_token"));
    const char *type = json_string_value(json_object_get(r, "token_type"));
    mc_secret_register(at);
    mc_secret_register(rt);
    int good = rs.status == 200 && at && type && strcasecmp(type, "Bearer") == 0;
    mc_step_rc out = MC_GO;
    if (!good) {
        /* the error kept, sanitised, even from a body that is not valid JSON */
        char *err, *desc;
        mc_oauth_error_read(rs.body, rs.body_len, &err, &desc);
        /* an AS that said it offers no authorization_code refuses it as it said */
        char *no_flow = mc_no_client_flow(c);
        /* a client that never sends the configured secret, refused: its
         * doing, not the authorization server's */
        const char *dropped = c->secret_dropped ? "the client sent no client secret although one "
                                                  "was configured (it keeps only the client id): "
                                                : NULL;
        const char *id = no_flow   ? "asm.grant-implemented"
                         : dropped ? "token.client-secret-sent"
                                   : "token.success";
        mc_step_check(s, c->rev, id, 0, "%s%s%stoken endpoint answered %ld %s",
                      no_flow ? no_flow : "", no_flow ? "; the " : "", dropped ? dropped : "",
                      rs.status, err ? err : "");
        /* a refused method the client chose for a DCR secret whose answer
         * named none: token.secret_auth_default decided it */
        if (strcmp(id, "token.success") == 0 && c->auth_unnamed &&
            (rs.status == 400 || rs.status == 401))
            s->deciding_knob = "token.secret_auth_default";
        mc_step_fail(s, id, "%s%s%s%scode exchange failed: %ld %s%s%s",
                     no_flow ? "no flow this client implements: " : "", no_flow ? no_flow : "",
                     no_flow ? "; " : "", dropped && !no_flow ? dropped : "", rs.status,
                     err  ? err
                     : ok ? "(no access_token)"
                          : rs.error,
                     desc ? ": " : "", desc ? desc : "");
        free(no_flow);
        free(err);
        free(desc);
        out = MC_STOP;
    } else {
        mc_step_check(s, c->rev, "token.success", 1, "access token issued (%s)", type);
        char *cc = mc_response_header(&rs, "Cache-Control");
        mc_step_check(s, c->rev, "token.no-store", cc && strcasestr(cc, "no-store"),
                      "Cache-Control: %s", cc ? cc : "(none)");
        free(cc);
        mc_step_check(s, c->rev, "token.expires-in",
                      json_is_integer(json_object_get(r, "expires_in")), "expires_in %s",
                      json_object_get(r, "expires_in") ? "given" : "absent");
        c->access_token = mc_xstrdup(at);
        json_t *exp = json_object_get(r, "expires_in");
        c->expires_in = json_is_integer(exp) ? (long)json_integer_value(exp) : 0;
        c->refresh_token = mc_xstrdup(rt);
    }
    json_decref(r);
    mc_response_free(&rs);
    return out;
}
