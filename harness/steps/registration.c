/* Step 4: a pre-registered client, a Client ID Metadata Document, or RFC 7591
 * Dynamic Client Registration, in the profile's order. */
#include "steps.h"

#include "../wire/buf.h"
#include "../wire/pkce.h"
#include "../wire/redact.h"
#include "../wire/sanitize.h"
#include "../wire/url.h"
#include "cimd_host.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <stdio.h>
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

static void digest_hex(const EVP_MD *md, const char *s, char *hex, size_t n)
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_Digest(s, strlen(s), d, &len, md, NULL);
    for (unsigned i = 0; i < len && 2 * i + 2 < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* mcp-remote: 3335 + (first 4 hex digits of md5(server URL)) mod 45816
 * (src/lib/utils.ts, reference/clients.md §5). Its getServerUrlHash joins
 * further parts with '|': a client metadata URL given on its command line is
 * one (traces/mcp-remote-0.15.1-cimd.jsonl: md5("<url>|<metadata url>") gives
 * the recorded port 19805, md5("<url>") would give 12514). */
long mc_hash_port(const char *url, const char *cimd_url)
{
    char hex[33] = "";
    char *parts = cimd_url ? mc_xasprintf("%s|%s", url, cimd_url) : mc_xstrdup(url);
    digest_hex(EVP_md5(), parts, hex, sizeof hex);
    free(parts);
    hex[4] = '\0';
    return 3335 + strtol(hex, NULL, 16) % 45816;
}

char *mc_fill_template(const char *s, const char *const *names, const char *const *values)
{
    mc_buf b;
    mc_buf_init(&b, 0);
    while (*s) {
        int hit = 0;
        for (size_t i = 0; names[i] && !hit; i++) {
            size_t n = strlen(names[i]);
            if (strncmp(s, names[i], n) == 0) {
                mc_buf_adds(&b, values[i] ? values[i] : "");
                s += n;
                hit = 1;
            }
        }
        if (!hit)
            mc_buf_add(&b, s++, 1);
    }
    return mc_buf_steal(&b);
}

/* A stable per-server id (12 URL-safe characters, like Codex's callback path
 * segment and its metadata document URL): the server's name and URL hashed. */
static char *server_id(const char *server_name, const char *mcp_url)
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    char *key = mc_xasprintf("%s\n%s", server_name ? server_name : "", mcp_url);
    EVP_Digest(key, strlen(key), d, &len, EVP_sha256(), NULL);
    free(key);
    return mc_b64url(d, 9);
}

/* The redirect URI from a callback URL the user configured, or NULL when
 * this client offers no such setting. */
static char *configured_redirect(const mc_profile *p, const char *mcp_url, const char *server_name,
                                 const char *callback_url)
{
    if (!callback_url || p->redirect_url || p->callback_url == MC_CALLBACK_NONE)
        return NULL;
    if (p->callback_url == MC_CALLBACK_VERBATIM)
        return mc_xstrdup(callback_url);
    char *id = server_id(server_name, mcp_url);
    size_t n = strlen(callback_url);
    char *uri = mc_xasprintf("%.*s/%s", (int)(n && callback_url[n - 1] == '/' ? n - 1 : n),
                             callback_url, id);
    free(id);
    return uri;
}

static char *build_redirect(const mc_profile *p, const mc_client_config *cfg, long port,
                            const char *path_template)
{
    const char *mcp_url = cfg->mcp_url, *server_name = cfg->server_name;
    char *configured = configured_redirect(p, mcp_url, server_name, cfg->callback_url);
    if (configured)
        return configured;
    if (p->redirect_url)
        return mc_xstrdup(p->redirect_url);
    char *id = server_id(server_name, mcp_url);
    static const char *const names[] = {"{server-id}", NULL};
    const char *values[] = {id, NULL};
    char *path = mc_fill_template(path_template, names, values);
    char *uri = mc_xasprintf("http://%s:%ld%s", p->redirect_host, port, path);
    free(path);
    free(id);
    return uri;
}

char *mc_redirect_uri_for(const mc_profile *p, const mc_client_config *cfg, long port)
{
    return build_redirect(p, cfg, port, p->redirect_path);
}

/* 1 when the client finds port taken on the user's machine: a condition of
 * the scenario (busy_ports), never of the machine mcpcompat runs on. The
 * emulated client needs no listener (the browser stops at the redirect
 * URI), so whatever listens on this host decides nothing. */
static int port_taken(const mc_client *c, long port)
{
    size_t i;
    json_t *e;
    json_array_foreach(c->cfg->busy_ports, i, e)
    {
        if (json_integer_value(e) == port)
            return 1;
    }
    return 0;
}

/* The redirect URI the client will use, or NULL with *why when it cannot
 * listen (a busy fixed port and no fallback). */
static char *redirect_uri(mc_client *c, char **why)
{
    const mc_profile *p = c->p;
    char *configured =
        configured_redirect(p, c->cfg->mcp_url, c->cfg->server_name, c->cfg->callback_url);
    if (configured) {
        long port = mc_url_port(configured);
        if (port > 0 && port_taken(c, port)) {
            *why = mc_xasprintf("callback port %ld is already in use", port);
            free(configured);
            return NULL;
        }
        return configured;
    }
    if (p->redirect_url)
        return mc_xstrdup(p->redirect_url);
    long port = 0;
    if (c->cfg->callback_port)
        port = c->cfg->callback_port;
    else if (p->port_policy == MC_PORT_FIXED)
        port = p->redirect_port;
    else if (p->port_policy == MC_PORT_HASH)
        port = mc_hash_port(c->cfg->mcp_url, c->cfg->cimd_url);
    if (port && port_taken(c, port)) {
        if (!p->busy_random || c->cfg->callback_port) {
            *why = mc_xasprintf("callback port %ld is already in use", port);
            return NULL;
        }
        long wanted = port;
        port = ephemeral_port();
        c->redirect_random = 1;
        free(c->redirect_note);
        c->redirect_note =
            mc_xasprintf("port %ld was busy, so the client fell back to port %ld", wanted, port);
    }
    if (!port) {
        port = ephemeral_port();
        c->redirect_random = 1;
    }
    /* Codex drops its per-server path segment when the AS advertises
     * RFC 9207 iss (traces/codex-0.171.0-bad-iss.jsonl:8) */
    const char *path =
        p->redirect_path_iss && c->iss_supported ? p->redirect_path_iss : p->redirect_path;
    return build_redirect(p, c->cfg, port, path);
}

/* Copilot CLI listens on another path when its client id is a metadata
 * document (traces/copilot-cli-1.0.102-cimd.jsonl:6): same port, new path. */
static void cimd_redirect(mc_client *c)
{
    if (!c->p->redirect_path_cimd)
        return;
    long port = mc_url_port(c->redirect_uri);
    free(c->redirect_uri);
    c->redirect_uri = build_redirect(c->p, c->cfg, port, c->p->redirect_path_cimd);
}

static int use_static(mc_client *c)
{
    c->client_id = mc_xstrdup(c->cfg->client_id);
    /* static_auth "none": a configured secret never reaches the client's
     * OAuth (Auggie keeps only clientId from its settings) */
    c->secret_dropped = c->cfg->client_secret && strcmp(c->p->static_auth, "none") == 0;
    if (c->cfg->client_secret && !c->secret_dropped) {
        c->client_secret = mc_xstrdup(c->cfg->client_secret);
        mc_secret_register(c->client_secret);
    }
    c->client_auth = mc_xstrdup(c->client_secret ? c->p->static_auth : "none");
    return 0;
}

/* VS Code: the grant types it wants that the AS lists (all of them when
 * the AS lists none) */
static void grant_types_from_as(const mc_client *c, json_t *body)
{
    json_t *offered = json_object_get(c->as_meta, "grant_types_supported");
    json_t *wanted = json_object_get(body, "grant_types");
    if (json_is_array(offered) && json_is_array(wanted)) {
        json_t *keep = json_array();
        size_t a, b;
        json_t *x, *y;
        json_array_foreach(wanted, a, x)
        {
            json_array_foreach(offered, b, y)
            {
                if (json_equal(x, y)) {
                    json_array_append(keep, x);
                    break;
                }
            }
        }
        json_object_set_new(body, "grant_types", keep);
    }
}

/* The first method of the profile's preference list the AS lists in
 * token_endpoint_auth_methods_supported; the body's own value (or none in
 * the body) when it lists none of them or nothing: mcp-remote's body says
 * none, Auggie's says nothing (it sends none only when the AS lists it) */
static void auth_from_as(const mc_client *c, json_t *body)
{
    json_t *offered = json_object_get(c->as_meta, "token_endpoint_auth_methods_supported");
    if (!json_is_array(offered) || !json_array_size(offered))
        return;
    const char *pick = NULL;
    size_t a, b;
    json_t *x, *y;
    json_array_foreach(c->p->dcr_auth_from_as, a, x)
    {
        json_array_foreach(offered, b, y)
        {
            if (json_equal(x, y)) {
                pick = json_string_value(x);
                break;
            }
        }
        if (pick)
            break;
    }
    if (pick)
        json_object_set_new(body, "token_endpoint_auth_method", json_string(pick));
}

/* The DCR request's body: the profile's template filled in, the redirect
 * URIs, grant types, scope, and the user's metadata where the client takes
 * it (owned). */
static json_t *dcr_body(mc_client *c)
{
    static const char *const names[] = {"{redirect_uri}", "{server-name}", NULL};
    const char *values[] = {c->redirect_uri, c->cfg->server_name, NULL};
    json_t *body = json_deep_copy(c->p->dcr_body);
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v)
    {
        if (json_is_string(v)) {
            char *filled = mc_fill_template(json_string_value(v), names, values);
            json_string_set(v, filled);
            free(filled);
        }
    }
    json_t *uris = json_array();
    size_t i;
    json_array_foreach(c->p->dcr_redirect_uris, i, v)
    {
        char *filled = mc_fill_template(json_string_value(v), names, values);
        json_array_append_new(uris, json_string(filled));
        free(filled);
    }
    json_object_set_new(body, "redirect_uris", uris);
    if (c->p->dcr_grant_types_from_as)
        grant_types_from_as(c, body);
    if (c->p->dcr_auth_from_as)
        auth_from_as(c, body);
    if (c->p->dcr_scope && c->p->dcr_scope_prm) {
        /* VS Code registers with the PRM's scopes_supported whatever scope
         * it then asks for (1.139 $registerDynamicAuthProvider) */
        json_t *ps = json_object_get(c->prm, "scopes_supported");
        mc_buf b;
        mc_buf_init(&b, 256);
        size_t k;
        json_t *e;
        json_array_foreach(ps, k, e) if (json_is_string(e))
            mc_buf_printf(&b, "%s%s", b.len ? " " : "", json_string_value(e));
        char *scope = mc_buf_steal(&b);
        if (*scope)
            json_object_set_new(body, "scope", json_string(scope));
        free(scope);
    } else if (c->p->dcr_scope) {
        char *scope = mc_select_scope(c);
        if (scope)
            json_object_set_new(body, "scope", json_string(scope));
        free(scope);
    }
    /* mcp-remote's --static-oauth-client-metadata: the user's fields win */
    if (c->p->user_metadata && c->cfg->registration_metadata)
        json_object_update(body, (json_t *)c->cfg->registration_metadata);
    return body;
}

/* What makes two registration requests the same: the endpoint and the body,
 * and for a client whose callback port is random, the body whatever port it
 * drew (it could as well have drawn the other's). */
static char *registration_key(const mc_client *c, const char *text)
{
    char *body = mc_xstrdup(text);
    if (c->redirect_random) {
        long port = mc_url_port(c->redirect_uri);
        char *any = NULL;
        char num[24];
        snprintf(num, sizeof num, ":%ld", port);
        const char *at = strstr(c->redirect_uri, num);
        if (at)
            any = mc_xasprintf("%.*s:{port}%s", (int)(at - c->redirect_uri), c->redirect_uri,
                               at + strlen(num));
        const char *names[] = {c->redirect_uri, NULL};
        const char *values[] = {any, NULL};
        if (any) {
            free(body);
            body = mc_fill_template(text, names, values);
        }
        free(any);
    }
    char *key = mc_xasprintf("%s\n%s", c->reg_ep, body);
    free(body);
    return key;
}

/* Whether the AS metadata lists method in token_endpoint_auth_methods_supported. */
static int as_lists(const json_t *as_meta, const char *method)
{
    json_t *m = json_object_get(as_meta, "token_endpoint_auth_methods_supported");
    size_t i;
    json_t *v;
    json_array_foreach(m, i, v) if (json_is_string(v) &&
                                    strcmp(json_string_value(v), method) == 0) return 1;
    return 0;
}

/* The client authentication of a DCR secret whose answer names no
 * token_endpoint_auth_method (token.secret_auth_default). "requested": the
 * method the request named, else RFC 7591 §2's default client_secret_basic;
 * "as-metadata": the TypeScript SDK's selectClientAuthMethod(): Basic when the
 * metadata lists no method or lists it, else client_secret_post when listed,
 * else none when listed, else client_secret_post. */
static const char *unnamed_secret_auth(const mc_client *c, const char *requested)
{
    const char *d = c->p->secret_auth_default;
    if (strcmp(d, "requested") == 0)
        return requested ? requested : "client_secret_basic";
    if (strcmp(d, "as-metadata") != 0)
        return d;
    json_t *m = json_object_get(c->as_meta, "token_endpoint_auth_methods_supported");
    if (!json_is_array(m) || !json_array_size(m) || as_lists(c->as_meta, "client_secret_basic"))
        return "client_secret_basic";
    if (as_lists(c->as_meta, "client_secret_post"))
        return "client_secret_post";
    return as_lists(c->as_meta, "none") ? "none" : "client_secret_post";
}

/* Whether the client goes by the method the registration answer names:
 * always, but with "as-metadata" (selectClientAuthMethod()) only a method it
 * knows that the metadata lists, or any when the metadata lists none. */
static int answer_taken(const mc_client *c, const char *auth)
{
    if (!auth)
        return 0;
    if (strcmp(c->p->secret_auth_default, "as-metadata") != 0)
        return 1;
    static const char *const known[] = {"client_secret_basic", "client_secret_post", "none"};
    int is_known = 0;
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        is_known |= strcmp(auth, known[i]) == 0;
    json_t *m = json_object_get(c->as_meta, "token_endpoint_auth_methods_supported");
    return is_known && (!json_is_array(m) || !json_array_size(m) || as_lists(c->as_meta, auth));
}

/* Returns 1 when registered, 0 when the AS does not offer DCR, -1 when it
 * refused (the step has failed). */
static int use_dcr(mc_client *c, mc_step_result *s)
{
    if (c->p->rediscover && mc_asm_rediscover(c, s) != 0) {
        mc_step_fail(s, "reg.dcr-offered",
                     "this client looks the registration endpoint up again (from the metadata's "
                     "issuer, or its authorization endpoint's origin) and finds no metadata there");
        return -1;
    }
    if (!c->reg_ep) {
        mc_step_check(s, c->rev, "reg.dcr-offered", 0,
                      "no registration_endpoint in the authorization server metadata");
        return 0;
    }
    mc_step_check(s, c->rev, "reg.dcr-offered", 1, "registration_endpoint %s", c->reg_ep);
    json_t *body = dcr_body(c);
    char *text = json_dumps(body, JSON_COMPACT);
    const char *want_auth = json_string_value(json_object_get(body, "token_endpoint_auth_method"));
    /* a byte-identical request this run already made (VS Code's two eras):
     * the AS could not tell the two clients apart, so the one registration
     * serves both, as one per real user's machine would; a client
     * registering anew (VS Code after a failed step-up) sends its own */
    mc_footprint *fp = c->registrations > 1 ? NULL : c->cfg->footprint;
    char *key = fp ? registration_key(c, text) : NULL;
    mc_registration same;
    if (fp && mc_footprint_claim(fp, key, &same)) {
        if (c->redirect_random) { /* its random port: the one the other client drew */
            free(c->redirect_uri);
            c->redirect_uri = mc_xstrdup(same.redirect_uri);
        }
        mc_step_check(s, c->rev, "reg.dcr-response", 1,
                      "the registration this run made for an identical request (client %s)",
                      same.client_id);
        c->client_id = mc_xstrdup(same.client_id);
        c->client_secret = mc_xstrdup(same.client_secret);
        c->client_auth = mc_xstrdup(same.client_auth);
        mc_footprint_registered(fp, NULL, c->p->id, c->reg_ep, &same);
        mc_registration_clear(&same);
        free(key);
        free(text);
        json_decref(body);
        return 1;
    }
    mc_request rq = {
        .method = "POST", .url = c->reg_ep, .content_type = "application/json", .body = text};
    mc_hdrs h = {0};
    mc_hdrs_add(&h, "Accept: application/json");
    mc_response rs;
    mc_client_exchange(c, s, &rq, &h, &rs);
    free(text);
    json_t *r = rs.status ? json_loadb(rs.body, rs.body_len, 0, NULL) : NULL;
    const char *id = json_string_value(json_object_get(r, "client_id"));
    const char *secret = json_string_value(json_object_get(r, "client_secret"));
    const char *auth = json_string_value(json_object_get(r, "token_endpoint_auth_method"));
    int ok = (rs.status == 201 || rs.status == 200) && id;
    const char *rfc_error = json_string_value(json_object_get(r, "error"));
    /* RFC 7591 §3.2.2: a refusal is a 400 with an error code; that is a
     * well-formed answer, not a broken endpoint */
    int well_formed = (ok && rs.status == 201) || (rs.status == 400 && rfc_error);
    mc_step_check(s, c->rev, "reg.dcr-response", well_formed,
                  ok          ? "registered with status %ld"
                  : rfc_error ? "registration refused with %ld %s"
                              : "registration answered %ld%s",
                  rs.status, rfc_error ? rfc_error : "");
    if (ok) {
        c->client_id = mc_xstrdup(id);
        if (secret) {
            c->client_secret = mc_xstrdup(secret);
            mc_secret_register(secret);
        }
        int taken = answer_taken(c, auth);
        c->auth_unnamed = !taken && secret;
        c->client_auth = mc_xstrdup(taken       ? auth
                                    : secret    ? unnamed_secret_auth(c, want_auth)
                                    : want_auth ? want_auth
                                                : "none");
        mc_registration made = {.client_id = c->client_id,
                                .client_secret = c->client_secret,
                                .client_auth = c->client_auth,
                                .redirect_uri = c->redirect_uri};
        if (fp)
            mc_footprint_registered(fp, key, c->p->id, c->reg_ep, &made);
    } else {
        if (fp)
            mc_footprint_registered(fp, key, NULL, NULL, NULL);
        /* the error kept, sanitised, even from a body that is not valid JSON */
        char *err, *desc;
        mc_oauth_error_read(rs.body, rs.body_len, &err, &desc);
        mc_step_fail(s, well_formed ? "reg.client-obtained" : "reg.dcr-response",
                     "dynamic client registration %s: %ld %s%s%s",
                     well_formed ? "refused" : "failed", rs.status,
                     err        ? err
                     : rs.error ? rs.error
                                : "",
                     desc ? ": " : "", desc ? desc : "");
        free(err);
        free(desc);
    }
    free(key);
    json_decref(r);
    json_decref(body);
    mc_response_free(&rs);
    return ok ? 1 : -1;
}

/* Serves this client's metadata document from the harness (loopback). */
static int host_document(mc_client *c, char **why)
{
    json_t *doc = json_deep_copy(c->p->dcr_body);
    json_object_del(doc, "client_secret");
    json_object_set_new(doc, "token_endpoint_auth_method", json_string("none"));
    json_object_set_new(doc, "redirect_uris", json_pack("[s]", c->redirect_uri));
    int rc = mc_cimd_host_start(doc, &c->cimd_host, why);
    json_decref(doc);
    return rc;
}

/* The vendor's metadata document URL of profile p, per-server id filled
 * in, or NULL when p has none of its own. */
char *mc_vendor_cimd_url(const mc_profile *p, const mc_client_config *cfg)
{
    if (!p->cimd_url || strcmp(p->cimd_url, "harness") == 0)
        return NULL;
    char *id = server_id(cfg->server_name, cfg->mcp_url);
    static const char *const names[] = {"{server-id}", "{server-name}", NULL};
    const char *values[] = {id, cfg->server_name, NULL};
    char *u = mc_fill_template(p->cimd_url, names, values);
    free(id);
    return u;
}

/* Whether the metadata lists `none` in token_endpoint_auth_methods_supported. */
static int lists_none(const json_t *as_meta)
{
    json_t *m = json_object_get(as_meta, "token_endpoint_auth_methods_supported");
    size_t i;
    json_t *e;
    json_array_foreach(m, i, e) if (json_is_string(e) &&
                                    strcmp(json_string_value(e), "none") == 0) return 1;
    return 0;
}

/* A Client ID Metadata Document, when the authorization server takes
 * them: the vendor's URL, the user's, or one the harness serves. Returns
 * 1 when the client has its id, -1 when it cannot go on (the step has
 * failed), 0 with the reason added to why_buf. */
static int use_cimd(mc_client *c, mc_step_result *s, mc_buf *why_buf)
{
    const mc_profile *p = c->p;
    int offered =
        json_is_true(json_object_get(c->as_meta, "client_id_metadata_document_supported"));
    /* a client whose document declares a public client takes this path only
     * when the AS lists `none` (claude.ai connectors, opencode) */
    int public_ok = !p->cimd_requires_none || lists_none(c->as_meta);
    /* a vendor's own document URL is fixed; a reference client's
     * ("harness") or a client without one takes the user's */
    char *vendor = mc_vendor_cimd_url(p, c->cfg);
    const char *doc_url = vendor ? vendor : c->cfg->cimd_url ? c->cfg->cimd_url : p->cimd_url;
    if (doc_url && offered && public_ok && strcmp(doc_url, "harness") == 0) {
        char *why = NULL;
        if (host_document(c, &why) != 0) {
            mc_step_fail(s, "reg.client-obtained", "%s", why);
            free(why);
            return -1;
        }
        c->client_id = mc_xstrdup(mc_cimd_host_url(c->cimd_host));
        c->client_auth = mc_xstrdup("none");
        cimd_redirect(c);
        mc_step_check(s, c->rev, "reg.client-obtained", 1,
                      "Client ID Metadata Document served by the harness at %s", c->client_id);
        return 1;
    }
    if (doc_url && offered && public_ok) {
        c->client_id = mc_xstrdup(doc_url);
        c->client_auth = mc_xstrdup("none");
        cimd_redirect(c);
        mc_step_check(s, c->rev, "reg.client-obtained", 1, "Client ID Metadata Document %s",
                      c->client_id);
        free(vendor);
        return 1;
    }
    mc_buf_printf(why_buf, "; cimd: %s",
                  !doc_url   ? "no metadata document URL configured (--cimd-url)"
                  : !offered ? "not advertised by the authorization server"
                             : "advertised, but `none` is not among the authorization server's "
                               "token_endpoint_auth_methods_supported, which this client "
                               "requires for its public metadata-document client");
    free(vendor);
    return 0;
}

/* No approach gave a client id: the reasons, and the settings this client
 * has no use for. */
static void no_client(mc_client *c, mc_step_result *s, mc_buf *why_buf)
{
    const mc_profile *p = c->p;
    int static_listed = 0, cimd_listed = 0;
    for (size_t i = 0; i < p->nreg; i++) {
        static_listed |= p->reg_order[i] == MC_REG_STATIC;
        cimd_listed |= p->reg_order[i] == MC_REG_CIMD;
    }
    if (c->cfg->client_id && !static_listed)
        mc_buf_printf(why_buf, "; the configured client id %s is ignored by this client",
                      c->cfg->client_id);
    if (c->cfg->cimd_url && !cimd_listed)
        mc_buf_printf(why_buf, "; this client takes no metadata document URL (--cimd-url)");
    const char *reasons = why_buf->data ? why_buf->data + 2 : "no registration method";
    mc_step_check(s, c->rev, "reg.client-obtained", 0, "%s", reasons);
    mc_step_fail(s, "reg.client-obtained", "no client id: %s", reasons);
}

mc_step_rc mc_step_registration(mc_client *c, mc_step_result *s)
{
    const mc_profile *p = c->p;
    /* the server suite's flows: one client authorizing again, with the
     * registration (and so the redirect URI) it made earlier in this run */
    mc_registration earlier;
    int again = c->registrations++;
    if (!again && c->cfg->reuse_registration && c->cfg->footprint &&
        mc_footprint_client(c->cfg->footprint, p->id, c->reg_ep, &earlier)) {
        c->client_id = earlier.client_id;
        c->client_secret = earlier.client_secret;
        c->client_auth = earlier.client_auth;
        c->redirect_uri = earlier.redirect_uri;
        mc_step_check(s, c->rev, "reg.client-obtained", 1,
                      "the client %s this client registered earlier in this run", c->client_id);
        return MC_GO;
    }
    char *no_listener = NULL;
    c->redirect_uri = redirect_uri(c, &no_listener);
    if (!c->redirect_uri) {
        mc_step_fail(s, "reg.client-obtained", "%s: the client cannot start its login",
                     no_listener);
        free(no_listener);
        return MC_STOP;
    }
    mc_buf why_buf;
    mc_buf_init(&why_buf, 1024);
    for (size_t i = 0; i < p->nreg; i++) {
        switch (p->reg_order[i]) {
        case MC_REG_STATIC:
            if (c->cfg->client_id && p->honour_static) {
                use_static(c);
                mc_step_check(s, c->rev, "reg.client-obtained", 1, "pre-registered client %s",
                              c->client_id);
                mc_buf_free(&why_buf);
                return MC_GO;
            }
            mc_buf_printf(&why_buf, "; static: %s",
                          c->cfg->client_id ? "the configured client id is ignored by this client"
                                            : "no client id configured");
            break;
        case MC_REG_CIMD: {
            int rc = use_cimd(c, s, &why_buf);
            if (rc != 0) {
                mc_buf_free(&why_buf);
                return rc > 0 ? MC_GO : MC_STOP;
            }
            break;
        }
        case MC_REG_DCR: {
            int rc = use_dcr(c, s);
            if (rc == 1) {
                mc_step_check(s, c->rev, "reg.client-obtained", 1,
                              "dynamically registered client %s", c->client_id);
                mc_buf_free(&why_buf);
                return MC_GO;
            }
            if (rc < 0) {
                mc_buf_free(&why_buf);
                return MC_STOP;
            }
            mc_buf_adds(&why_buf, "; dcr: no registration_endpoint");
            break;
        }
        }
    }
    no_client(c, s, &why_buf);
    mc_buf_free(&why_buf);
    return MC_STOP;
}
