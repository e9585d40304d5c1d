/* `mcpcompat profile draft TRACE [--from PROFILE] [-o FILE]`: a draft
 * profile read off a recording — discovery order, first MCP request and
 * protocol version, DCR body, redirect URI and port policy, authorization
 * and token parameters and their order, client authentication, iss
 * handling, refresh — each knob with its evidence (TRACE:LINE). Knobs a
 * trace cannot show keep the base profile's value: --from PROFILE, else the
 * spec's reference client. With --from only the knobs that differ are
 * printed. The trace is read by fidelity.c's reader. */
#include "../engine/run.h"

#include "../data/data.h"
#include "../steps/steps.h"
#include "../wire/buf.h"
#include "../wire/url.h"
#include "fidelity.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BASE_ID "spec-2025-11-25"

typedef struct {
    const char *trace; /* as given: evidence cites it */
    json_t *knobs;     /* "section.knob" → value, in the order found */
    json_t *evidence;  /* "section.knob" → "TRACE:LINE: what" */
} draft;

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static const char *hdr(const json_t *r, const char *name)
{
    return str(json_object_get(r, "headers"), name);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = s ? strlen(s) : 0, b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static long line_of(const json_t *r)
{
    return r ? (long)json_integer_value(json_object_get(r, "_line")) : 0;
}

static void knob(draft *d, const char *name, json_t *value, const json_t *r, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void knob(draft *d, const char *name, json_t *value, const json_t *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char what[512];
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char *ev = r ? mc_xasprintf("%s:%ld: %s", d->trace, line_of(r), what)
                 : mc_xasprintf("%s: %s", d->trace, what);
    json_object_set_new(d->knobs, name, value);
    json_object_set_new(d->evidence, name, json_string(ev));
    free(ev);
}

static json_t *names_of(const json_t *obj)
{
    json_t *a = json_array();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v) json_array_append_new(a, json_string(k));
    return a;
}

static int is_mcp(const json_t *r)
{
    const char *p = str(r, "path");
    return p && strcmp(p, "/mcp") == 0;
}

static int bearer(const json_t *r)
{
    const char *a = hdr(r, "authorization");
    return a && strncasecmp(a, "Bearer ", 7) == 0;
}

static int ok(const json_t *r)
{
    long s = (long)json_integer_value(json_object_get(r, "status"));
    return s >= 200 && s < 300;
}

/* The quoted value of param in a challenge (owned), or NULL. */
static char *challenge_param(const char *www, const char *param)
{
    const char *p = www ? strstr(www, param) : NULL;
    if (!p || p[strlen(param)] != '=')
        return NULL;
    p += strlen(param) + 1;
    if (*p == '"') {
        const char *e = strchr(p + 1, '"');
        return e ? mc_xstrndup(p + 1, (size_t)(e - p - 1)) : NULL;
    }
    size_t n = strcspn(p, ", ");
    return mc_xstrndup(p, n);
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

/* The knob values are ordered lists: the observed attempts, then (after a
 * success ends the search) the base's remaining entries, untestable here. */
static json_t *order_with_rest(json_t *seen, int ended_on_success, const json_t *base_order)
{
    if (ended_on_success) {
        size_t i, k;
        json_t *b, *s;
        json_array_foreach(base_order, i, b)
        {
            int have = 0;
            json_array_foreach(seen, k, s) have |= json_equal(s, b);
            if (!have)
                json_array_append(seen, b);
        }
    }
    return seen;
}

static const json_t *base_get(const json_t *base, const char *name)
{
    char section[64];
    const char *dot = strchr(name, '.');
    snprintf(section, sizeof section, "%.*s", (int)(dot - name), name);
    return json_object_get(json_object_get(base, section), dot + 1);
}

/* ---------- the knobs, phase by phase ---------- */

static void draft_probe(draft *d, const json_t *reqs)
{
    const json_t *r = json_array_get(reqs, 0);
    if (!r)
        return;
    if (!is_mcp(r)) {
        knob(d, "probe.request", json_string("none"), r,
             "the first request is %s %s: discovery without a probe", str(r, "method"),
             str(r, "path"));
        return;
    }
    const char *m = str(r, "method");
    knob(d, "probe.request", json_string(m), r, "the first request: %s /mcp", m);
    const json_t *body = json_object_get(r, "body");
    const char *rpc = str(body, "method");
    const char *pv = str(json_object_get(body, "params"), "protocolVersion");
    if (strcmp(m, "POST") == 0 && rpc)
        knob(d, "probe.method", json_string(rpc), r, "its JSON-RPC method");
    /* a 2026-07-28 request: the version in params._meta instead */
    const char *meta_pv = str(json_object_get(json_object_get(body, "params"), "_meta"),
                              "io.modelcontextprotocol/protocolVersion");
    if (meta_pv && !pv) {
        knob(d, "probe.meta", json_true(), r, "params carry _meta, no protocolVersion");
        pv = meta_pv;
    }
    if (pv)
        knob(d, "probe.protocol_version", json_string(pv), r, "its protocolVersion");
    const char *mpv = hdr(r, "mcp-protocol-version");
    knob(d, "probe.protocol_header", mpv ? json_string(mpv) : json_null(), r,
         "MCP-Protocol-Version %s on the probe", mpv ? mpv : "absent");
    knob(d, "probe.mcp_method_header", json_boolean(hdr(r, "mcp-method") != NULL), r,
         "Mcp-Method %s", hdr(r, "mcp-method") ? "sent" : "absent");
    if (hdr(r, "accept"))
        knob(d, "probe.accept", json_string(hdr(r, "accept")), r, "its Accept");
    const json_t *next = NULL;
    size_t i;
    json_t *h;
    json_array_foreach(reqs, i, h)
    {
        if (bearer(h))
            break;
        if (is_mcp(h) && strcmp(str(h, "method"), "HEAD") == 0) {
            next = h;
            break;
        }
    }
    int head = next != NULL;
    knob(d, "probe.head_after_401", json_boolean(head), head ? next : r, "%s",
         head ? "a HEAD /mcp follows the 401" : "no HEAD after the 401");
}

typedef struct {
    const json_t *first_rm; /* the first 401 with a challenge */
    char *hint_path;        /* its resource_metadata's path */
    char *issuer_path;      /* of the first authorization server named */
    const json_t *prm_doc, *as_doc, *www_req, *as_req;
    char *www_scope;
    size_t end; /* index of the first registration or authorization request */
} context;

/* Whether an authorization server metadata request follows in [from, end). */
static int later_as(const json_t *reqs, size_t from, size_t end)
{
    for (size_t i = from; i < end && i < json_array_size(reqs); i++) {
        const char *p = str(json_array_get(reqs, i), "path");
        if (p && strstr(p, "/.well-known/") && !strstr(p, "oauth-protected-resource"))
            return 1;
    }
    return 0;
}

static void draft_discovery(draft *d, const json_t *reqs, const json_t *base, context *cx)
{
    json_t *prm = json_array(), *as = json_array(), *also = json_array();
    int prm_ok = 0, as_ok = 0;
    const json_t *first_md = NULL, *first_prm = NULL, *first_as = NULL;
    size_t i;
    json_t *r;
    json_array_foreach(reqs, i, r)
    {
        const char *path = str(r, "path");
        if (!path || i >= cx->end)
            break;
        if (is_mcp(r) && !bearer(r) && str(r, "www_authenticate") && !cx->www_req) {
            cx->www_req = r;
            char *hint = challenge_param(str(r, "www_authenticate"), "resource_metadata");
            cx->hint_path = hint ? mc_url_path(hint) : NULL;
            cx->www_scope = challenge_param(str(r, "www_authenticate"), "scope");
            free(hint);
        }
        if (!strstr(path, "/.well-known/") || strcmp(str(r, "method"), "GET") != 0)
            continue;
        if (!first_md)
            first_md = r;
        if (strstr(path, "oauth-protected-resource")) {
            if (prm_ok)
                continue;
            if (!first_prm)
                first_prm = r;
            const char *src =
                cx->hint_path && strcmp(path, cx->hint_path) == 0 && json_array_size(prm) == 0
                    ? "hint"
                : strcmp(path, "/.well-known/oauth-protected-resource/mcp") == 0 ? "path"
                : strcmp(path, "/.well-known/oauth-protected-resource") == 0     ? "root"
                : strcmp(path, "/mcp/.well-known/oauth-protected-resource") == 0 ? "path-appended"
                                                                                 : NULL;
            if (src)
                json_array_append_new(prm, json_string(src));
            if (ok(r) && src && strcmp(src, "root") == 0 && !later_as(reqs, i + 1, cx->end)) {
                /* a root document naming the endpoint, and the client went
                 * no further: it wants the origin there */
                const char *res = str(json_object_get(r, "response"), "resource");
                char *o = res ? mc_url_origin(res) : NULL;
                if (res && o && !mc_url_same_resource(res, o))
                    knob(d, "discovery.prm_root_resource", json_string("origin"), r,
                         "the root document names %s, and the client stopped there", res);
                free(o);
            }
            if (ok(r)) {
                prm_ok = 1;
                cx->prm_doc = json_object_get(r, "response");
                const char *asu = json_string_value(
                    json_array_get(json_object_get(cx->prm_doc, "authorization_servers"), 0));
                char *ip = asu ? mc_url_path(asu) : NULL;
                if (ip && strcmp(ip, "/") == 0)
                    ip[0] = '\0';
                cx->issuer_path = ip;
            }
            continue;
        }
        if (!first_as)
            first_as = r;
        const char *ip = cx->issuer_path ? cx->issuer_path : "";
        char *oi = mc_xasprintf("/.well-known/oauth-authorization-server%s", ip);
        char *di = mc_xasprintf("/.well-known/openid-configuration%s", ip);
        char *da = mc_xasprintf("%s/.well-known/openid-configuration", ip);
        const char *src =
            strcmp(path, oi) == 0                                                 ? "oauth-insert"
            : strcmp(path, di) == 0                                               ? "oidc-insert"
            : strcmp(path, da) == 0                                               ? "oidc-append"
            : *ip && strcmp(path, "/.well-known/oauth-authorization-server") == 0 ? "oauth-origin"
            : *ip && strcmp(path, "/.well-known/openid-configuration") == 0       ? "oidc-origin"
                                                                                  : NULL;
        free(oi), free(di), free(da);
        json_t *into = as_ok ? also : as;
        int dup = 0;
        size_t k;
        json_t *e;
        json_array_foreach(as, k, e) dup |= src && strcmp(json_string_value(e), src) == 0;
        json_array_foreach(also, k, e) dup |= src && strcmp(json_string_value(e), src) == 0;
        if (src && !dup)
            json_array_append_new(into, json_string(src));
        if (ok(r) && !as_ok) {
            as_ok = 1;
            cx->as_doc = json_object_get(r, "response");
            cx->as_req = r;
        }
    }
    /* without a hint to follow, the base's order without "hint" explains it */
    const json_t *bp = base_get(base, "discovery.prm_order");
    json_t *applicable = json_array();
    size_t k;
    json_t *e;
    json_array_foreach(bp, k, e) if (cx->hint_path || strcmp(json_string_value(e), "hint") != 0)
        json_array_append(applicable, e);
    int prefix = json_array_size(prm) <= json_array_size(applicable);
    json_array_foreach(prm, k, e) prefix &= prefix && json_equal(e, json_array_get(applicable, k));
    json_decref(applicable);
    if (prefix && prm_ok && json_array_size(prm)) {
        json_array_clear(prm);
        json_array_extend(prm, (json_t *)bp);
    }
    if (json_array_size(prm))
        knob(d, "discovery.prm_order", order_with_rest(prm, prm_ok, bp), first_prm,
             "protected resource metadata looked for in this order%s",
             prm_ok ? "; after the first success, the base's order" : "");
    else
        json_decref(prm);
    if (json_array_size(as))
        knob(d, "discovery.as_order",
             order_with_rest(as, as_ok, base_get(base, "discovery.as_order")), first_as,
             "authorization server metadata looked for in this order%s",
             as_ok ? "; after the first success, the base's order" : "");
    else
        json_decref(as);
    if (json_array_size(also))
        knob(d, "discovery.as_also", also, cx->as_req,
             "metadata fetched again after the first success, at other URLs");
    else
        json_decref(also);
    /* the header as the client's metadata requests carry it, on any of them */
    const json_t *with = NULL;
    json_array_foreach(reqs, i, r)
    {
        const char *path = str(r, "path");
        if (is_mcp(r) && bearer(r))
            break;
        if (!with && path && strstr(path, "/.well-known/") && hdr(r, "mcp-protocol-version"))
            with = r;
    }
    if (first_md) {
        const char *mpv = with ? hdr(with, "mcp-protocol-version") : NULL;
        knob(d, "discovery.protocol_header", mpv ? json_string(mpv) : json_null(),
             with ? with : first_md, "MCP-Protocol-Version %s on metadata requests",
             mpv ? mpv : "absent");
    }
}

/* The first request in reqs whose path ends with suffix (and, when grant is
 * given, whose body's grant_type is grant). */
static const json_t *find(const json_t *reqs, const char *suffix, const char *method,
                          const char *grant)
{
    size_t i;
    json_t *r;
    json_array_foreach(reqs, i, r)
    {
        if (!ends_with(str(r, "path"), suffix) || (method && strcmp(str(r, "method"), method)))
            continue;
        if (grant && (!str(json_object_get(r, "body"), "grant_type") ||
                      strcmp(str(json_object_get(r, "body"), "grant_type"), grant) != 0))
            continue;
        return r;
    }
    return NULL;
}

static const char *client_auth(const json_t *r)
{
    const char *a = hdr(r, "authorization");
    if (a && strncasecmp(a, "Basic ", 6) == 0)
        return "client_secret_basic";
    return str(json_object_get(r, "body"), "client_secret") ? "client_secret_post" : "none";
}

static void draft_registration(draft *d, const json_t *reqs, const json_t *base, const json_t *mode,
                               const json_t *authz, const context *cx)
{
    const json_t *reg = find(reqs, "/register", "POST", NULL);
    const char *id = str(json_object_get(authz, "query"), "client_id");
    const char *issued = reg ? str(json_object_get(reg, "response"), "client_id") : NULL;
    const char *used = reg && id && issued && strcmp(id, issued) == 0 ? "dcr"
                       : id && (mc_url_scheme_is(id, "https") || mc_url_scheme_is(id, "http"))
                           ? "cimd"
                       : id && !reg ? "static"
                       : reg        ? "dcr"
                                    : NULL;
    if (used) {
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
        knob(d, "registration.order", consistent ? order : order_with_rest(order, 1, bo),
             strcmp(used, "dcr") == 0 ? reg : authz, "registered by %s%s", used,
             consistent ? ", the approaches before it not applicable here"
                        : "; the approaches after it are the base's");
    }
    int configured = json_is_true(json_object_get(mode, "static_client"));
    if (configured && !used && cx->as_req)
        knob(d, "registration.honour_static", json_false(), cx->as_req,
             "a client id was configured for this recording, and the client stopped after "
             "discovery without using it");
    if (configured && used)
        knob(d, "registration.honour_static", json_boolean(strcmp(used, "static") == 0), authz,
             "a client id was configured for this recording, and the client %s it",
             strcmp(used, "static") == 0 ? "used" : "did not use");
    if (used && strcmp(used, "cimd") == 0 &&
        !json_is_true(json_object_get(mode, "cimd_url_from_trace")))
        knob(d, "registration.cimd_url", json_string(id), authz,
             "client_id is the client's metadata document URL");
    if (!reg)
        return;
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
        knob(d, "registration.user_metadata", json_true(), reg,
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
    knob(d, "registration.dcr_body", tmpl, reg, "the DCR body (%s), without redirect_uris%s", names,
         str(body, "scope") ? " and scope" : "");
    free(names);
    knob(d, "registration.dcr_scope", json_boolean(str(body, "scope") != NULL), reg,
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
        knob(d, "registration.dcr_redirect_uris", t, reg, "the redirect URIs registered");
    else
        json_decref(t);
}

static void draft_redirect(draft *d, const json_t *reqs, const json_t *authz, const json_t *mode)
{
    const char *redirect = str(json_object_get(authz, "query"), "redirect_uri");
    if (!redirect)
        return;
    if (!mc_url_is_loopback(redirect) || !mc_url_scheme_is(redirect, "http")) {
        knob(d, "redirect.url", json_string(redirect), authz, "a fixed redirect URI");
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
    knob(d, "redirect.host", json_string(host), authz, "redirect_uri %s", redirect);
    knob(d, "redirect.path", json_string(path), authz, "redirect_uri %s", redirect);
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
        knob(d, "redirect.port_policy", json_string("hash"), authz,
             "port %ld is the one derived from the server URL's hash", port);
    } else if (json_is_true(json_object_get(mode, "callback_port_from_trace")) ||
               json_is_true(json_object_get(mode, "static_client"))) {
        /* the port was the user's setting: nothing to read about the policy */
    } else if (port >= 32768) {
        knob(d, "redirect.port_policy", json_string("random"), authz,
             "port %ld, in the ephemeral range: assumed random (one recording cannot tell)", port);
    } else {
        knob(d, "redirect.port_policy", json_string("fixed"), authz,
             "port %ld, below the ephemeral range: assumed fixed (one recording cannot tell)",
             port);
        knob(d, "redirect.port", json_integer(port), authz, "redirect_uri %s", redirect);
    }
    free(host);
    free(path);
}

static void draft_authorization(draft *d, const json_t *reqs, const json_t *base,
                                const json_t *authz, context *cx)
{
    const json_t *q = json_object_get(authz, "query");
    char *names = mc_names_in_order(q);
    knob(d, "authorization.param_order", names_of(q), authz, "parameters %s", names);
    free(names);
    knob(d, "authorization.pkce", json_string(str(q, "code_challenge_method") ? "S256" : "none"),
         authz, "code_challenge_method %s",
         str(q, "code_challenge_method") ? str(q, "code_challenge_method") : "absent");
    knob(d, "authorization.state", json_boolean(str(q, "state") != NULL), authz, "state %s",
         str(q, "state") ? "sent" : "absent");
    knob(d, "authorization.resource", json_boolean(str(q, "resource") != NULL), authz,
         "resource %s", str(q, "resource") ? "sent" : "absent");
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
    knob(d, "authorization.scope_order", order, authz,
         "scope %s (challenge: %s, resource metadata: %s, AS metadata: %s)",
         scope ? scope : "absent", cx->www_scope ? cx->www_scope : "-", prm ? prm : "-",
         as ? as : "-");
    free(prm), free(as);
    /* iss: what the authorization response carried, and whether the
     * client went on to the token endpoint */
    const char *loc = str(authz, "location");
    char *iss = loc ? mc_url_query_get(loc, "iss") : NULL;
    const char *issuer = str(cx->as_doc, "issuer");
    const json_t *tok = find(reqs, "/token", "POST", "authorization_code");
    char *code = loc ? mc_url_query_get(loc, "code") : NULL;
    int has_code = code != NULL;
    mc_secret_free(code);
    if (has_code) {
        int went_on = tok != NULL;
        const char *mode = NULL;
        if (iss && issuer && strcmp(iss, issuer) != 0)
            mode = went_on ? "ignore" : "if-present";
        else if (!iss && !went_on)
            mode = "require";
        if (mode)
            knob(d, "authorization.iss", json_string(mode), authz, "iss %s%s, and the client %s",
                 iss ? iss : "absent",
                 iss && issuer && strcmp(iss, issuer) ? " (not the issuer)" : "",
                 went_on ? "exchanged the code" : "stopped");
    }
    free(iss);
}

static void draft_token(draft *d, const json_t *reqs, const json_t *mode)
{
    const json_t *t = find(reqs, "/token", "POST", "authorization_code");
    if (t) {
        const json_t *b = json_object_get(t, "body");
        char *names = mc_names_in_order(b);
        knob(d, "token.param_order", names_of(b), t, "parameters %s", names);
        free(names);
        const char *how = client_auth(t);
        const json_t *reg = find(reqs, "/register", "POST", NULL);
        const char *dcr = str(json_object_get(reg, "body"), "token_endpoint_auth_method");
        /* "registered": DCR's method, a configured client's, none for a
         * public one (a metadata document's, or a client without secret) */
        int configured = json_is_true(json_object_get(mode, "static_client"));
        int registered = reg ? dcr && strcmp(dcr, how) == 0 : configured || !strcmp(how, "none");
        knob(d, "token.auth", json_string(registered ? "registered" : how), t,
             "client authentication: %s%s", how,
             registered ? reg ? ", the method the client registered"
                              : ", what the client has without registering"
                        : "");
        if (json_is_true(json_object_get(mode, "static_client")) && strcmp(how, "none") != 0)
            knob(d, "registration.static_auth", json_string(how), t,
                 "the configured client authenticates with %s", how);
        knob(d, "token.resource", json_boolean(str(b, "resource") != NULL), t, "resource %s",
             str(b, "resource") ? "sent" : "absent");
        knob(d, "token.redirect_uri", json_boolean(str(b, "redirect_uri") != NULL), t,
             "redirect_uri %s", str(b, "redirect_uri") ? "sent" : "absent");
    }
    const json_t *r = find(reqs, "/token", "POST", "refresh_token");
    int expiring = 0;
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(mode, "quirks"), i, q) expiring |=
        strncmp(json_string_value(q), "token-ttl=", 10) == 0;
    if (r) {
        const json_t *b = json_object_get(r, "body");
        char *names = mc_names_in_order(b);
        knob(d, "token.refresh_param_order", names_of(b), r, "refresh parameters %s", names);
        free(names);
        knob(d, "token.refresh_scope", json_boolean(str(b, "scope") != NULL), r,
             "scope %s on refresh", str(b, "scope") ? "sent" : "absent");
        knob(d, "mcp.refresh", json_true(), r, "a refresh_token grant");
    } else if (expiring) {
        knob(d, "mcp.refresh", json_false(), NULL,
             "no refresh_token grant although the recording's tokens expired");
    }
}

static void draft_mcp(draft *d, const json_t *reqs)
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
        else if (!later && strcmp(str(r, "method"), "POST") == 0 && m &&
                 strcmp(m, "initialize") != 0 && strcmp(m, "server/discover") != 0)
            later = r;
    }
    if (!first)
        return;
    const json_t *body = json_object_get(first, "body");
    const char *rpc = str(body, "method");
    const char *pv = str(json_object_get(body, "params"), "protocolVersion");
    if (rpc)
        knob(d, "mcp.discover_first", json_boolean(strcmp(rpc, "server/discover") == 0), first,
             "the first authorized request: %s", rpc);
    if (pv)
        knob(d, "mcp.protocol_version", json_string(pv), first, "protocolVersion %s", pv);
    if (later)
        knob(d, "mcp.protocol_header", json_boolean(hdr(later, "mcp-protocol-version") != NULL),
             later, "MCP-Protocol-Version %s after initialize",
             hdr(later, "mcp-protocol-version") ? "sent" : "absent");
    int get_stream = 0;
    json_array_foreach(reqs, i, r) get_stream |=
        is_mcp(r) && bearer(r) && strcmp(str(r, "method"), "GET") == 0;
    knob(d, "mcp.get_stream", json_boolean(get_stream), first, "%s",
         get_stream ? "a GET /mcp event stream is opened" : "no GET /mcp event stream");
}

/* ---------- the command ---------- */

/* A profile's parameter order lists names a client may leave out: it
 * agrees with the trace when, without those, it is the trace's. */
static int same(const char *name, const json_t *old, const json_t *now)
{
    if (json_equal(old, now))
        return 1;
    if (!ends_with(name, "param_order") || !json_is_array(old) || !json_is_array(now))
        return 0;
    json_t *kept = json_array();
    size_t i, k;
    json_t *o, *n;
    json_array_foreach(old, i, o)
    {
        int sent = 0;
        json_array_foreach(now, k, n) sent |= json_equal(o, n);
        if (sent)
            json_array_append(kept, o);
    }
    int eq = json_equal(kept, now);
    json_decref(kept);
    return eq;
}

static json_t *load_base(const char *from, char **base_id)
{
    const char *path = NULL;
    mc_profiles all = {0};
    mc_error err;
    char *owned = NULL;
    if (from && mc_profile_arg_is_path(from)) {
        path = from;
    } else {
        if (mc_profiles_load_set(NULL, &all, &err) != 0) {
            fprintf(stderr, "mcpcompat: %s\n", mc_error_str(&err));
            return NULL;
        }
        const mc_profile *p = mc_profiles_find(&all, from ? from : BASE_ID);
        if (!p) {
            fprintf(stderr, "mcpcompat: unknown profile \"%s\"\n", from);
            mc_profiles_free(&all);
            return NULL;
        }
        path = owned = mc_xstrdup(p->path);
        mc_profiles_free(&all);
    }
    json_error_t je;
    json_t *base = json_load_file(path, 0, &je);
    if (!json_is_object(base))
        fprintf(stderr, "mcpcompat: %s:%d:%d: %s\n", path, je.line, je.column,
                base ? "not a profile" : je.text);
    else
        *base_id = mc_xstrdup(str(base, "id"));
    free(owned);
    if (!json_is_object(base)) {
        json_decref(base);
        return NULL;
    }
    return base;
}

/* The trace's mode in modes.json (what the recorder was told), or NULL. */
static json_t *trace_mode(const char *trace)
{
    const char *env = getenv("MCPCOMPAT_MODES");
    char *own = mc_xasprintf("%s/modes.json", mc_data_dir(MC_DATA_TRACES));
    json_t *modes = json_load_file(env && *env ? env : own, 0, NULL);
    free(own);
    const char *base = strrchr(trace, '/') ? strrchr(trace, '/') + 1 : trace;
    char *name = mc_xstrdup(base);
    if (ends_with(name, ".jsonl"))
        name[strlen(name) - 6] = '\0';
    const char *mode = NULL;
    json_t *m = NULL;
    if (mc_trace_client(modes, name, &mode))
        m = json_incref(json_object_get(json_object_get(modes, "modes"), mode));
    free(name);
    json_decref(modes);
    return m;
}

int mc_cmd_profile_draft(const mc_config *cfg)
{
    if (!cfg->url)
        return mc_usage_error("profile draft needs a trace file");
    char *why = NULL, *base_id = NULL;
    json_t *reqs = mc_trace_load(cfg->url, &why);
    if (!reqs) {
        fprintf(stderr, "mcpcompat: %s\n", why);
        free(why);
        return MC_EXIT_USAGE;
    }
    if (!json_array_size(reqs)) {
        json_decref(reqs);
        fprintf(stderr, "mcpcompat: %s: no requests in the trace\n", cfg->url);
        return MC_EXIT_USAGE;
    }
    json_t *base = load_base(cfg->from, &base_id);
    if (!base) {
        json_decref(reqs);
        return MC_EXIT_USAGE;
    }
    json_t *mode = trace_mode(cfg->url);
    draft d = {cfg->url, json_object(), json_object()};
    context cx = {0};
    cx.end = json_array_size(reqs);
    size_t i;
    json_t *r;
    json_array_foreach(reqs, i, r)
    {
        const char *p = str(r, "path");
        if (ends_with(p, "/register") || ends_with(p, "/authorize") || (is_mcp(r) && bearer(r))) {
            cx.end = i;
            break;
        }
    }
    const json_t *authz = find(reqs, "/authorize", NULL, NULL);
    draft_probe(&d, reqs);
    draft_discovery(&d, reqs, base, &cx);
    draft_registration(&d, reqs, base, mode, authz, &cx);
    if (authz) {
        draft_redirect(&d, reqs, authz, mode);
        draft_authorization(&d, reqs, base, authz, &cx);
    }
    draft_token(&d, reqs, mode);
    draft_mcp(&d, reqs);
    const char *pv =
        json_string_value(d.knobs ? json_object_get(d.knobs, "probe.protocol_version") : NULL);
    static const char *const revs[] = {"2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"};
    for (size_t k = 0; pv && k < sizeof revs / sizeof *revs; k++)
        if (strcmp(pv, revs[k]) == 0)
            knob(&d, "spec_revision", json_string(pv), json_array_get(reqs, 0),
                 "the protocol version the client speaks");

    json_t *out;
    const char *name;
    json_t *v;
#ifdef MC_SOURCE_DIR /* the loader's defaults, as the source tree writes them down */
    json_t *defaults = json_load_file(MC_SOURCE_DIR "/tests/profile-defaults.json", 0, NULL);
#else
    json_t *defaults = NULL;
#endif
    if (cfg->from) {
        /* only what differs, with the profile's value beside the trace's */
        out = json_object();
        json_t *differs = json_object();
        json_object_foreach(d.knobs, name, v)
        {
            const json_t *old =
                strchr(name, '.') ? base_get(base, name) : json_object_get(base, name);
            if (!old && strchr(name, '.'))
                old = base_get(defaults, name); /* what the loader gives an absent knob */
            if (old && same(name, old, v))
                continue;
            json_object_set_new(differs, name,
                                json_pack("{s:O, s:O, s:O}", "profile", old ? old : json_null(),
                                          "trace", v, "evidence",
                                          json_object_get(d.evidence, name)));
        }
        json_object_set_new(out, "from", json_string(base_id));
        json_object_set_new(out, "trace", json_string(cfg->url));
        json_object_set_new(out, "differs", differs);
    } else {
        out = json_deep_copy(base);
        const char *tb = strrchr(cfg->url, '/') ? strrchr(cfg->url, '/') + 1 : cfg->url;
        char *id = mc_xasprintf("draft-%.*s",
                                (int)(ends_with(tb, ".jsonl") ? strlen(tb) - 6 : strlen(tb)), tb);
        json_object_set_new(out, "id", json_string(id));
        json_object_set_new(out, "client", json_string(id));
        json_object_set_new(out, "client_version", json_string("draft"));
        char *desc = mc_xasprintf("A draft read off %s by mcpcompat profile draft; knobs the "
                                  "trace cannot show are %s's.",
                                  tb, base_id);
        json_object_set_new(out, "description", json_string(desc));
        free(desc);
        free(id);
        json_t *ev = json_object();
        json_object_foreach(json_object_get(base, "evidence"), name, v)
        {
            char *e = mc_xasprintf("as in %s (not shown by the trace): %s", base_id,
                                   json_string_value(v));
            json_object_set_new(ev, name, json_string(e));
            free(e);
        }
        json_object_foreach(d.knobs, name, v)
        {
            const char *dot = strchr(name, '.');
            if (!dot) {
                json_object_set(out, name, v);
            } else {
                char section[64];
                snprintf(section, sizeof section, "%.*s", (int)(dot - name), name);
                json_t *s = json_object_get(out, section);
                if (!s)
                    json_object_set_new(out, section, s = json_object());
                json_object_set(s, dot + 1, v);
            }
            json_object_set(ev, name, json_object_get(d.evidence, name));
        }
        json_object_set_new(out, "evidence", ev);
    }
    int rc = MC_EXIT_OK;
    FILE *f = cfg->output ? fopen(cfg->output, "w") : stdout;
    if (!f) {
        fprintf(stderr, "mcpcompat: cannot write %s\n", cfg->output);
        rc = MC_EXIT_USAGE;
    } else {
        json_dumpf(out, f, JSON_INDENT(2));
        fputc('\n', f);
        if (f != stdout && fclose(f) != 0) {
            fprintf(stderr, "mcpcompat: cannot write %s\n", cfg->output);
            rc = MC_EXIT_CANNOT;
        }
    }
    json_decref(out);
    json_decref(defaults);
    json_decref(d.knobs);
    json_decref(d.evidence);
    json_decref(mode);
    json_decref(base);
    json_decref(reqs);
    free(base_id);
    free(cx.hint_path);
    free(cx.issuer_path);
    free(cx.www_scope);
    return rc;
}
