/* Step 4: a pre-registered client, a Client ID Metadata Document, or RFC 7591
 * Dynamic Client Registration, in the profile's order. */
#include "steps.h"

#include "../wire/buf.h"
#include "../wire/redact.h"
#include "../wire/url.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* An ephemeral loopback port, as a client's callback listener would get. */
static long ephemeral_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    long port = 0;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

static char *redirect_uri(const mc_profile *p)
{
    long port = p->redirect_port ? p->redirect_port : ephemeral_port();
    return mc_xasprintf("http://%s:%ld%s", p->redirect_host, port, p->redirect_path);
}

static int use_static(mc_client *c)
{
    c->client_id = mc_xstrdup(c->cfg->client_id);
    if (c->cfg->client_secret) {
        c->client_secret = mc_xstrdup(c->cfg->client_secret);
        mc_secret_register(c->client_secret);
    }
    c->client_auth = mc_xstrdup(c->client_secret ? "client_secret_basic" : "none");
    return 0;
}

/* Returns 1 when registered, 0 when the AS does not offer DCR, -1 when it
 * refused (the step has failed). */
static int use_dcr(mc_client *c, mc_step_result *s)
{
    if (!c->reg_ep) {
        mc_step_check(s, c->rev, "reg.dcr-offered", 0,
                      "no registration_endpoint in the authorization server metadata");
        return 0;
    }
    mc_step_check(s, c->rev, "reg.dcr-offered", 1, "registration_endpoint %s", c->reg_ep);
    json_t *body = json_deep_copy(c->p->dcr_body);
    json_object_set_new(body, "redirect_uris", json_pack("[s]", c->redirect_uri));
    char *text = json_dumps(body, JSON_COMPACT);
    const char *want_auth = json_string_value(json_object_get(body, "token_endpoint_auth_method"));
    mc_request rq = {.method = "POST", .url = c->reg_ep,
                     .content_type = "application/json", .body = text};
    mc_hdrs h = {0};
    mc_hdrs_add(&h, "Accept: application/json");
    mc_hdrs_apply(&h, &rq);
    mc_response rs;
    mc_exchange *ex = NULL;
    mc_http_do(&c->http, &rq, &rs, &ex);
    mc_step_add_exchange(s, ex);
    mc_hdrs_free(&h);
    free(text);
    json_t *r = rs.status ? json_loadb(rs.body, rs.body_len, 0, NULL) : NULL;
    const char *id = json_string_value(json_object_get(r, "client_id"));
    const char *secret = json_string_value(json_object_get(r, "client_secret"));
    const char *auth = json_string_value(json_object_get(r, "token_endpoint_auth_method"));
    int ok = (rs.status == 201 || rs.status == 200) && id;
    mc_step_check(s, c->rev, "reg.dcr-response", ok && rs.status == 201,
                  ok ? "registered with status %ld" : "registration answered %ld", rs.status);
    if (ok) {
        c->client_id = mc_xstrdup(id);
        if (secret) {
            c->client_secret = mc_xstrdup(secret);
            mc_secret_register(secret);
        }
        c->client_auth = mc_xstrdup(auth ? auth : want_auth ? want_auth
                                         : secret ? "client_secret_basic" : "none");
    } else {
        const char *err = json_string_value(json_object_get(r, "error"));
        const char *desc = json_string_value(json_object_get(r, "error_description"));
        mc_step_fail(s, "reg.dcr-response", "dynamic client registration failed: %ld %s%s%s",
                     rs.status, err ? err : rs.error ? rs.error : "",
                     desc ? ": " : "", desc ? desc : "");
    }
    json_decref(r);
    json_decref(body);
    mc_response_free(&rs);
    return ok ? 1 : -1;
}

mc_step_rc mc_step_registration(mc_client *c, mc_step_result *s)
{
    const mc_profile *p = c->p;
    c->redirect_uri = redirect_uri(p);
    mc_buf why;
    mc_buf_init(&why, 1024);
    for (size_t i = 0; i < p->nreg; i++) {
        switch (p->reg_order[i]) {
        case MC_REG_STATIC:
            if (c->cfg->client_id && p->honour_static) {
                use_static(c);
                mc_step_check(s, c->rev, "reg.client-obtained", 1,
                              "pre-registered client %s", c->client_id);
                mc_buf_free(&why);
                return MC_GO;
            }
            mc_buf_printf(&why, "; static: %s", c->cfg->client_id
                          ? "the configured client id is ignored by this client"
                          : "no client id configured");
            break;
        case MC_REG_CIMD: {
            int offered = json_is_true(
                json_object_get(c->as_meta, "client_id_metadata_document_supported"));
            if (p->cimd_url && offered) {
                c->client_id = mc_xstrdup(p->cimd_url);
                c->client_auth = mc_xstrdup("none");
                mc_step_check(s, c->rev, "reg.client-obtained", 1,
                              "Client ID Metadata Document %s", p->cimd_url);
                mc_buf_free(&why);
                return MC_GO;
            }
            mc_buf_printf(&why, "; cimd: %s", p->cimd_url
                          ? "not advertised by the authorization server"
                          : "the client has no metadata document");
            break;
        }
        case MC_REG_DCR: {
            int rc = use_dcr(c, s);
            if (rc == 1) {
                mc_step_check(s, c->rev, "reg.client-obtained", 1,
                              "dynamically registered client %s", c->client_id);
                mc_buf_free(&why);
                return MC_GO;
            }
            if (rc < 0) {
                mc_buf_free(&why);
                return MC_STOP;
            }
            mc_buf_adds(&why, "; dcr: no registration_endpoint");
            break;
        }
        }
    }
    const char *reasons = why.data ? why.data + 2 : "no registration method";
    mc_step_check(s, c->rev, "reg.client-obtained", 0, "%s", reasons);
    mc_step_fail(s, "reg.client-obtained", "no client id: %s", reasons);
    mc_buf_free(&why);
    return MC_STOP;
}
