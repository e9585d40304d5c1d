/* `mcpcompat profile draft`: the knobs of the handshake after discovery,
 * read off the trace: registration, the redirect URI and its port policy,
 * the authorization request and response, the token requests, MCP calls. */
#include "draft_int.h"

#include "../steps/steps.h"
#include "../wire/buf.h"
#include "../wire/redact.h"
#include "../wire/url.h"
#include "fidelity.h"

#include <stdlib.h>
#include <string.h>

static json_t *names_of(const json_t *obj)
{
    json_t *a = json_array();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v) json_array_append_new(a, json_string(k));
    return a;
}

static char *joined_scopes(const json_t *doc)
{
    const json_t *a = json_object_get(doc, "scopes_supported");
    if (!json_array_size(a))
        return NULL;
    mc_buf b;
    mc_buf_init(&b, 0);
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) mc_buf_printf(&b, "%s%s", i ? " " : "", json_string_value(v));
    return mc_buf_steal(&b);
}

static const char *client_auth(const json_t *r)
{
    const char *a = hdr(r, "authorization");
    if (a && strncasecmp(a, "Basic ", 6) == 0)
        return "client_secret_basic";
    return str(json_object_get(r, "body"), "client_secret") ? "client_secret_post" : "none";
}

/* How the client got its client id: "dcr", "cimd", "static", or NULL. */
static const char *registered_by(const json_t *reg, const char *id)
{
    const char *issued = reg ? str(json_object_get(reg, "response"), "client_id") : NULL;
    return reg && id && issued && strcmp(id, issued) == 0                          ? "dcr"
           : id && (mc_url_scheme_is(id, "https") || mc_url_scheme_is(id, "http")) ? "cimd"
           : id && !reg                                                            ? "static"
           : reg                                                                   ? "dcr"
                                                                                   : NULL;
}

/* registration.order: the approach used, with the base's order when it
 * explains the trace */
static void registration_order(draft *d, const json_t *base, const json_t *mode,
                               const json_t *authz, const json_t *reg, const char *used,
                               const context *cx)
{
    /* the base's order explains the trace when every approach before
     * the one used could not apply: no configured client, no CIMD
     * advertised */
    const json_t *bo = base_get(base, "registration.order");
    int consistent = 0;
    size_t i;
    json_t *e;
    json_array_foreach(bo, i, e)
    {
        const char *m = json_string_value(e);
        if (strcmp(m, used) == 0) {
            consistent = 1;
            break;
        }
        if (strcmp(m, "static") == 0 && json_is_true(json_object_get(mode, "static_client")))
            break;
        if (strcmp(m, "cimd") == 0 &&
            json_is_true(json_object_get(cx->as_doc, "client_id_metadata_document_supported")))
            break;
    }
    json_t *order = consistent ? json_deep_copy(bo) : json_pack("[s]", used);
    mc_draft_knob(d, "registration.order",
                  consistent ? order : mc_draft_order_with_rest(order, 1, bo),
                  strcmp(used, "dcr") == 0 ? reg : authz, "registered by %s%s", used,
                  consistent ? ", the approaches before it not applicable here"
                             : "; the approaches after it are the base's");
}

/* The DCR request's knobs: its body as a template, scope, redirect URIs. */
static void dcr_knobs(draft *d, const json_t *mode, const json_t *authz, const json_t *reg,
                      const context *cx)
{
    const json_t *body = json_object_get(reg, "body");
    json_t *tmpl = json_deep_copy(body);
    json_object_del(tmpl, "redirect_uris");
    json_object_del(tmpl, "scope");
    /* what the user gave (modes.json registration_metadata) is not the client's */
    const char *k;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(json_object_get(mode, "registration_metadata"), tmp, k, v)
        json_object_del(tmpl, k);
    if (json_object_size(json_object_get(mode, "registration_metadata")))
        mc_draft_knob(d, "registration.user_metadata", json_true(), reg,
                      "the registration metadata given for this recording is in the body");
    /* the recorder named the server "rec" */
    const char *name = str(tmpl, "client_name");
    const char *rec = name ? strstr(name, "(rec)") : NULL;
    if (rec) {
        char *n = mc_xasprintf("%.*s({server-name})%s", (int)(rec - name), name, rec + 5);
        json_object_set_new(tmpl, "client_name", json_string(n));
        free(n);
    }
    char *names = mc_names_in_order(body);
    mc_draft_knob(d, "registration.dcr_body", tmpl, reg,
                  "the DCR body (%s), without redirect_uris%s", names,
                  str(body, "scope") ? " and scope" : "");
    free(names);
    /* registered with the metadata's scopes, then asked for others (VS Code) */
    char *prm_scopes = joined_scopes(cx->prm_doc);
    const char *asked = str(json_object_get(authz, "query"), "scope");
    if (str(body, "scope") && prm_scopes && strcmp(prm_scopes, str(body, "scope")) == 0 && asked &&
        strcmp(asked, str(body, "scope")) != 0)
        mc_draft_knob(d, "registration.dcr_scope_from", json_string("prm"), reg,
                      "the DCR scope %s is the resource metadata's, the authorization asks for %s",
                      str(body, "scope"), asked);
    free(prm_scopes);
    mc_draft_knob(d, "registration.dcr_scope", json_boolean(str(body, "scope") != NULL), reg,
                  "scope %s in the DCR body", str(body, "scope") ? "sent" : "absent");
    const char *redirect = str(json_object_get(authz, "query"), "redirect_uri");
    const json_t *uris = json_object_get(body, "redirect_uris");
    json_t *t = json_array();
    size_t i;
    json_array_foreach(uris, i, v)
    {
        const char *u = json_string_value(v);
        json_array_append_new(t, json_string(redirect && u && strcmp(u, redirect) == 0
                                                 ? "{redirect_uri}"
                                             : u ? u
                                                 : ""));
    }
    if (json_array_size(t) != 1 ||
        strcmp(json_string_value(json_array_get(t, 0)), "{redirect_uri}") != 0)
        mc_draft_knob(d, "registration.dcr_redirect_uris", t, reg, "the redirect URIs registered");
    else
        json_decref(t);
}

void mc_draft_registration(draft *d, const json_t *reqs, const json_t *base, const json_t *mode,
                           const json_t *authz, const context *cx)
{
    const json_t *reg = mc_draft_find(reqs, "/register", "POST", NULL);
    const char *id = str(json_object_get(authz, "query"), "client_id");
    const char *used = registered_by(reg, id);
    if (used)
        registration_order(d, base, mode, authz, reg, used, cx);
    int configured = json_is_true(json_object_get(mode, "static_client"));
    if (configured && !used && cx->as_req)
        mc_draft_knob(d, "registration.honour_static", json_false(), cx->as_req,
                      "a client id was configured for this recording, and the client stopped "
                      "after discovery without using it");
    if (configured && used)
        mc_draft_knob(d, "registration.honour_static", json_boolean(strcmp(used, "static") == 0),
                      authz, "a client id was configured for this recording, and the client %s it",
                      strcmp(used, "static") == 0 ? "used" : "did not use");
    if (used && strcmp(used, "cimd") == 0 &&
        !json_is_true(json_object_get(mode, "cimd_url_from_trace")))
        mc_draft_knob(d, "registration.cimd_url", json_string(id), authz,
                      "client_id is the client's metadata document URL");
    if (reg)
        dcr_knobs(d, mode, authz, reg, cx);
}
void mc_draft_redirect(draft *d, const json_t *reqs, const json_t *authz, const json_t *mode)
{
    const char *redirect = str(json_object_get(authz, "query"), "redirect_uri");
    if (!redirect)
        return;
    if (!mc_url_is_loopback(redirect) || !mc_url_scheme_is(redirect, "http")) {
        mc_draft_knob(d, "redirect.url", json_string(redirect), authz, "a fixed redirect URI");
        return;
    }
    char *host = mc_url_host(redirect), *path = mc_url_path(redirect);
    /* a per-server segment of 12 URL-safe characters (Codex) */
    char *seg = strrchr(path, '/');
    if (seg && strlen(seg + 1) == 12 &&
        strspn(seg + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == 12) {
        *seg = '\0';
        char *p = mc_xasprintf("%s/{server-id}", path);
        free(path);
        path = p;
    }
    mc_draft_knob(d, "redirect.host", json_string(host), authz, "redirect_uri %s", redirect);
    mc_draft_knob(d, "redirect.path", json_string(path), authz, "redirect_uri %s", redirect);
    long port = mc_url_port(redirect);
    /* mcp-remote's: a port derived from the server URL (and metadata URL) */
    const char *h = hdr(json_array_get(reqs, 0), "host");
    const char *id = str(json_object_get(authz, "query"), "client_id");
    char *mcp_url = mc_xasprintf("http://%s/mcp", h ? h : "?");
    long hashed = mc_hash_port(mcp_url, id && mc_url_scheme_is(id, "http")    ? id
                                        : id && mc_url_scheme_is(id, "https") ? id
                                                                              : NULL);
    free(mcp_url);
    if (port == hashed) {
        mc_draft_knob(d, "redirect.port_policy", json_string("hash"), authz,
                      "port %ld is the one derived from the server URL's hash", port);
    } else if (json_is_true(json_object_get(mode, "callback_port_from_trace")) ||
               json_is_true(json_object_get(mode, "static_client"))) {
        /* the port was the user's setting: nothing to read about the policy */
    } else if (port >= 32768) {
        mc_draft_knob(
            d, "redirect.port_policy", json_string("random"), authz,
            "port %ld, in the ephemeral range: assumed random (one recording cannot tell)", port);
    } else {
        mc_draft_knob(
            d, "redirect.port_policy", json_string("fixed"), authz,
            "port %ld, below the ephemeral range: assumed fixed (one recording cannot tell)", port);
        mc_draft_knob(d, "redirect.port", json_integer(port), authz, "redirect_uri %s", redirect);
    }
    free(host);
    free(path);
}

void mc_draft_authorization(draft *d, const json_t *reqs, const json_t *base, const json_t *authz,
                            context *cx)
{
    const json_t *q = json_object_get(authz, "query");
    char *names = mc_names_in_order(q);
    mc_draft_knob(d, "authorization.param_order", names_of(q), authz, "parameters %s", names);
    free(names);
    mc_draft_knob(d, "authorization.pkce",
                  json_string(str(q, "code_challenge_method") ? "S256" : "none"), authz,
                  "code_challenge_method %s",
                  str(q, "code_challenge_method") ? str(q, "code_challenge_method") : "absent");
    mc_draft_knob(d, "authorization.state", json_boolean(str(q, "state") != NULL), authz,
                  "state %s", str(q, "state") ? "sent" : "absent");
    mc_draft_knob(d, "authorization.resource", json_boolean(str(q, "resource") != NULL), authz,
                  "resource %s", str(q, "resource") ? "sent" : "absent");
    /* the metadata's resource as written, where it is not the endpoint */
    const char *res = str(q, "resource"), *named = str(cx->prm_doc, "resource");
    char *rpath = res ? mc_url_path(res) : NULL;
    if (res && named && strcmp(res, named) == 0 && (!rpath || strcmp(rpath, "/mcp") != 0))
        mc_draft_knob(d, "authorization.resource_from", json_string("prm"), authz,
                      "resource %s, as the resource metadata names it", res);
    free(rpath);
    /* scope: the sources that offered this value (or none), in the spec's order */
    const char *scope = str(q, "scope");
    char *prm = joined_scopes(cx->prm_doc), *as = joined_scopes(cx->as_doc);
    const char *vals[] = {cx->www_scope, prm, as};
    const char *srcs[] = {"www-authenticate", "prm", "as"};
    /* the base's order, if it picks the same value */
    const json_t *bo = base_get(base, "authorization.scope_order");
    const char *picked = NULL;
    size_t k;
    json_t *e;
    json_array_foreach(bo, k, e)
    {
        for (int i = 0; i < 3 && !picked; i++)
            if (strcmp(json_string_value(e), srcs[i]) == 0 && vals[i] && *vals[i])
                picked = vals[i];
        if (picked)
            break;
    }
    json_t *order = json_array();
    if ((!scope && !picked) || (scope && picked && strcmp(scope, picked) == 0))
        json_array_extend(order, (json_t *)bo);
    else if (scope)
        for (int i = 0; i < 3; i++)
            if (!vals[i] || !*vals[i] || strcmp(vals[i], scope) == 0)
                json_array_append_new(order, json_string(srcs[i]));
    mc_draft_knob(d, "authorization.scope_order", order, authz,
                  "scope %s (challenge: %s, resource metadata: %s, AS metadata: %s)",
                  scope ? scope : "absent", cx->www_scope ? cx->www_scope : "-", prm ? prm : "-",
                  as ? as : "-");
    free(prm), free(as);
    /* iss: what the authorization response carried, and whether the
     * client went on to the token endpoint */
    const char *loc = str(authz, "location");
    char *iss = loc ? mc_url_query_get(loc, "iss") : NULL;
    const char *issuer = str(cx->as_doc, "issuer");
    const json_t *tok = mc_draft_find(reqs, "/token", "POST", "authorization_code");
    char *code = loc ? mc_url_query_get(loc, "code") : NULL;
    int has_code = code != NULL;
    mc_secret_free(code);
    if (has_code) {
        int went_on = tok != NULL;
        const char *mode = NULL;
        int advertised = json_is_true(
            json_object_get(cx->as_doc, "authorization_response_iss_parameter_supported"));
        if (iss && issuer && strcmp(iss, issuer) != 0)
            mode = went_on ? "ignore" : "if-present";
        else if (!iss && !went_on)
            mode = advertised ? "rfc9207" : "require";
        else if (!iss && advertised)
            mode = "ignore"; /* advertised, absent, and the code exchanged */
        if (mode)
            mc_draft_knob(d, "authorization.iss", json_string(mode), authz,
                          "iss %s%s, and the client %s", iss ? iss : "absent",
                          iss && issuer && strcmp(iss, issuer) ? " (not the issuer)" : "",
                          went_on ? "exchanged the code" : "stopped");
    }
    free(iss);
}

void mc_draft_token(draft *d, const json_t *reqs, const json_t *mode)
{
    const json_t *t = mc_draft_find(reqs, "/token", "POST", "authorization_code");
    if (t) {
        const json_t *b = json_object_get(t, "body");
        char *names = mc_names_in_order(b);
        mc_draft_knob(d, "token.param_order", names_of(b), t, "parameters %s", names);
        free(names);
        const char *how = client_auth(t);
        const json_t *reg = mc_draft_find(reqs, "/register", "POST", NULL);
        const char *dcr = str(json_object_get(reg, "body"), "token_endpoint_auth_method");
        /* "registered": DCR's method, a configured client's, none for a
         * public one (a metadata document's, or a client without secret) */
        int configured = json_is_true(json_object_get(mode, "static_client"));
        int registered = reg ? dcr && strcmp(dcr, how) == 0 : configured || !strcmp(how, "none");
        mc_draft_knob(d, "token.auth", json_string(registered ? "registered" : how), t,
                      "client authentication: %s%s", how,
                      registered ? reg ? ", the method the client registered"
                                       : ", what the client has without registering"
                                 : "");
        int secret_given = json_is_string(json_object_get(mode, "static_secret"));
        if (configured && (strcmp(how, "none") != 0 || secret_given))
            mc_draft_knob(d, "registration.static_auth", json_string(how), t,
                          "the configured client authenticates with %s%s", how,
                          strcmp(how, "none") == 0 ? ": the configured secret is not sent" : "");
        mc_draft_knob(d, "token.resource", json_boolean(str(b, "resource") != NULL), t,
                      "resource %s", str(b, "resource") ? "sent" : "absent");
        mc_draft_knob(d, "token.redirect_uri", json_boolean(str(b, "redirect_uri") != NULL), t,
                      "redirect_uri %s", str(b, "redirect_uri") ? "sent" : "absent");
    }
    const json_t *r = mc_draft_find(reqs, "/token", "POST", "refresh_token");
    int expiring = 0;
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(mode, "quirks"), i, q) expiring |=
        strncmp(json_string_value(q), "token-ttl=", 10) == 0;
    if (r) {
        const json_t *b = json_object_get(r, "body");
        char *names = mc_names_in_order(b);
        mc_draft_knob(d, "token.refresh_param_order", names_of(b), r, "refresh parameters %s",
                      names);
        free(names);
        mc_draft_knob(d, "token.refresh_scope", json_boolean(str(b, "scope") != NULL), r,
                      "scope %s on refresh", str(b, "scope") ? "sent" : "absent");
        mc_draft_knob(d, "token.refresh_resource", json_boolean(str(b, "resource") != NULL), r,
                      "resource %s on refresh", str(b, "resource") ? "sent" : "absent");
        mc_draft_knob(d, "mcp.refresh", json_true(), r, "a refresh_token grant");
        /* mcpc: metadata appended to the MCP URL's path, asked for just before
         * the refresh (token.refresh_endpoint "mcp-url") */
        const json_t *lookup = NULL;
        json_array_foreach(reqs, i, q)
        {
            if (q == r)
                break;
            const char *path = str(q, "path"), *method = str(q, "method");
            if (path && method && strcmp(method, "GET") == 0 &&
                strncmp(path, "/.well-known/", 13) != 0 &&
                strstr(path, "/.well-known/oauth-authorization-server"))
                lookup = q;
        }
        if (lookup)
            mc_draft_knob(d, "token.refresh_endpoint", json_string("mcp-url"), lookup,
                          "the token endpoint looked up at %s before the refresh",
                          str(lookup, "path"));
    } else if (expiring) {
        mc_draft_knob(d, "mcp.refresh", json_false(), NULL,
                      "no refresh_token grant although the recording's tokens expired");
    }
}

void mc_draft_mcp(draft *d, const json_t *reqs)
{
    size_t i;
    json_t *r;
    const json_t *first = NULL, *later = NULL;
    json_array_foreach(reqs, i, r)
    {
        if (!is_mcp(r) || !bearer(r))
            continue;
        const char *m = str(json_object_get(r, "body"), "method");
        if (!first)
            first = r;
        else if (!later && method_is(r, "POST") && m && strcmp(m, "initialize") != 0 &&
                 strcmp(m, "server/discover") != 0)
            later = r;
    }
    /* a public lifecycle: the first request after initialize may have been
     * answered without a token, or be the first authorized one */
    const json_t *after = NULL;
    int opened = 0;
    json_array_foreach(reqs, i, r)
    {
        const char *m = is_mcp(r) ? str(json_object_get(r, "body"), "method") : NULL;
        if (m && strcmp(m, "initialize") == 0 && (bearer(r) || ok(r)))
            opened = 1;
        else if (!after && opened && m && method_is(r, "POST") && (bearer(r) || ok(r)) &&
                 strcmp(m, "server/discover") != 0)
            after = r;
    }
    if (!later && after)
        later = after;
    if (!first)
        return;
    const json_t *body = json_object_get(first, "body");
    const char *rpc = str(body, "method");
    const char *pv = str(json_object_get(body, "params"), "protocolVersion");
    if (rpc)
        mc_draft_knob(d, "mcp.discover_first", json_boolean(strcmp(rpc, "server/discover") == 0),
                      first, "the first authorized request: %s", rpc);
    if (pv)
        mc_draft_knob(d, "mcp.protocol_version", json_string(pv), first, "protocolVersion %s", pv);
    if (later)
        mc_draft_knob(d, "mcp.protocol_header",
                      json_boolean(hdr(later, "mcp-protocol-version") != NULL), later,
                      "MCP-Protocol-Version %s after initialize",
                      hdr(later, "mcp-protocol-version") ? "sent" : "absent");
    int get_stream = 0;
    json_array_foreach(reqs, i, r) get_stream |= is_mcp(r) && bearer(r) && method_is(r, "GET");
    mc_draft_knob(d, "mcp.get_stream", json_boolean(get_stream), first, "%s",
                  get_stream ? "a GET /mcp event stream is opened" : "no GET /mcp event stream");
}
