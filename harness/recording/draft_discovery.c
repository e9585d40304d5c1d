/* `mcpcompat profile draft`: the knobs of the probe and of discovery, read
 * off the trace's requests before the first registration or authorization
 * request. */
#include "draft_int.h"

#include "../wire/buf.h"
#include "../wire/url.h"

#include <stdlib.h>
#include <string.h>

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

void mc_draft_probe(draft *d, const json_t *reqs)
{
    const json_t *r = json_array_get(reqs, 0);
    if (!r)
        return;
    if (!is_mcp(r)) {
        mc_draft_knob(d, "probe.request", json_string("none"), r,
                      "the first request is %s %s: discovery without a probe",
                      str(r, "method") ? str(r, "method") : "?",
                      str(r, "path") ? str(r, "path") : "?");
        return;
    }
    const char *m = str(r, "method");
    if (!m)
        return; /* a trace line without a method shows no probe */
    mc_draft_knob(d, "probe.request", json_string(m), r, "the first request: %s /mcp", m);
    const json_t *body = json_object_get(r, "body");
    const char *rpc = str(body, "method");
    const char *pv = str(json_object_get(body, "params"), "protocolVersion");
    if (strcmp(m, "POST") == 0 && rpc)
        mc_draft_knob(d, "probe.method", json_string(rpc), r, "its JSON-RPC method");
    /* a 2026-07-28 request: the version in params._meta instead */
    const char *meta_pv = str(json_object_get(json_object_get(body, "params"), "_meta"),
                              "io.modelcontextprotocol/protocolVersion");
    if (meta_pv && !pv) {
        mc_draft_knob(d, "probe.meta", json_true(), r, "params carry _meta, no protocolVersion");
        pv = meta_pv;
    }
    if (pv)
        mc_draft_knob(d, "probe.protocol_version", json_string(pv), r, "its protocolVersion");
    const char *mpv = hdr(r, "mcp-protocol-version");
    mc_draft_knob(d, "probe.protocol_header", mpv ? json_string(mpv) : json_null(), r,
                  "MCP-Protocol-Version %s on the probe", mpv ? mpv : "absent");
    mc_draft_knob(d, "probe.mcp_method_header", json_boolean(hdr(r, "mcp-method") != NULL), r,
                  "Mcp-Method %s", hdr(r, "mcp-method") ? "sent" : "absent");
    if (hdr(r, "accept"))
        mc_draft_knob(d, "probe.accept", json_string(hdr(r, "accept")), r, "its Accept");
    const json_t *next = NULL;
    size_t i;
    json_t *h;
    json_array_foreach(reqs, i, h)
    {
        if (bearer(h))
            break;
        if (is_mcp(h) && method_is(h, "HEAD")) {
            next = h;
            break;
        }
    }
    int head = next != NULL;
    mc_draft_knob(d, "probe.head_after_401", json_boolean(head), head ? next : r, "%s",
                  head ? "a HEAD /mcp follows the 401" : "no HEAD after the 401");
}

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

/* Whether an authorization server metadata request in [from, end) asks
 * below the issuer path ip (the client used the document that named it). */
static int later_as_under(const json_t *reqs, size_t from, size_t end, const char *ip)
{
    for (size_t i = from; i < end && i < json_array_size(reqs); i++) {
        const char *p = str(json_array_get(reqs, i), "path");
        if (p && strstr(p, "/.well-known/") && !strstr(p, "oauth-protected-resource") &&
            strstr(p, ip))
            return 1;
    }
    return 0;
}

/* The sources discovery tried, in the order the client tried them. */
typedef struct {
    json_t *prm, *as, *also; /* protected resource metadata, AS metadata, AS
                                metadata again after the first success */
    int prm_ok, as_ok;
    int legacy_mcp_url; /* no PRM, and the MCP URL taken for the issuer (Auggie) */
    const json_t *first_md, *first_prm, *first_as;
} tried;

/* A 401 from /mcp with a challenge: its resource_metadata hint and scope. */
static void challenge_seen(context *cx, const json_t *r)
{
    cx->www_req = r;
    char *hint = challenge_param(str(r, "www_authenticate"), "resource_metadata");
    cx->hint_path = hint ? mc_url_path(hint) : NULL;
    cx->www_scope = challenge_param(str(r, "www_authenticate"), "scope");
    free(hint);
}

/* A protected resource metadata request (reqs[i]): where the client looked,
 * and the document it found. */
static void prm_request(draft *d, const json_t *reqs, size_t i, const json_t *r, context *cx,
                        tried *t)
{
    const char *path = str(r, "path");
    if (t->prm_ok)
        return;
    if (!t->first_prm)
        t->first_prm = r;
    const char *src =
        cx->hint_path && strcmp(path, cx->hint_path) == 0 && json_array_size(t->prm) == 0 ? "hint"
        : strcmp(path, "/.well-known/oauth-protected-resource/mcp") == 0                  ? "path"
        : strcmp(path, "/.well-known/oauth-protected-resource") == 0                      ? "root"
        : strcmp(path, "/mcp/.well-known/oauth-protected-resource") == 0 ? "path-appended"
                                                                         : NULL;
    if (src)
        json_array_append_new(t->prm, json_string(src));
    if (ok(r) && src && strcmp(src, "root") == 0 && !later_as(reqs, i + 1, cx->end)) {
        /* a root document naming the endpoint, and the client went
         * no further: it wants the origin there */
        const char *res = str(json_object_get(r, "response"), "resource");
        char *o = res ? mc_url_origin(res) : NULL;
        if (res && o && !mc_url_same_resource(res, o))
            mc_draft_knob(d, "discovery.prm_root_resource", json_string("origin"), r,
                          "the root document names %s, and the client stopped there", res);
        free(o);
    }
    if (ok(r)) {
        t->prm_ok = 1;
        cx->prm_doc = json_object_get(r, "response");
        const char *asu = json_string_value(
            json_array_get(json_object_get(cx->prm_doc, "authorization_servers"), 0));
        char *ip = asu ? mc_url_path(asu) : NULL;
        if (ip && strcmp(ip, "/") == 0)
            ip[0] = '\0';
        const char *res = str(cx->prm_doc, "resource");
        char *o = res ? mc_url_origin(res) : NULL;
        if (src && strcmp(src, "root") == 0 && res && o && !mc_url_same_resource(res, o) && ip &&
            *ip && later_as(reqs, i + 1, cx->end) && !later_as_under(reqs, i + 1, cx->end, ip)) {
            /* a root document naming the endpoint, and the client went on
             * at the MCP origin: it dropped the document (VS Code) */
            mc_draft_knob(d, "discovery.prm_root_resource", json_string("origin"), r,
                          "the root document names %s, and the client asked the MCP origin "
                          "for metadata next",
                          res);
            mc_draft_knob(d, "discovery.invalid_next", json_true(), r,
                          "a document naming another resource is passed over");
            mc_draft_knob(d, "discovery.legacy_fallback", json_true(), r,
                          "no usable protected resource metadata: the MCP origin is the "
                          "authorization server");
            cx->prm_doc = NULL;
            ip[0] = '\0';
        } else if (!asu && later_as(reqs, i + 1, cx->end)) {
            mc_draft_knob(d, "discovery.prm_without_as", json_string("mcp-origin"), r,
                          "no authorization_servers, and the client asked the MCP origin for "
                          "metadata next");
        }
        free(o);
        free(cx->issuer_path); /* an earlier guess from the MCP URL */
        cx->issuer_path = ip;
    }
}

/* An authorization server metadata request: where the client looked
 * (relative to the issuer's path), and the document it found. */
static void as_request(const json_t *r, context *cx, tried *t)
{
    const char *path = str(r, "path");
    if (!t->first_as) {
        t->first_as = r;
        /* no resource metadata, and the first look is under the MCP URL's
         * path: the MCP URL, path and all, is the issuer */
        char *mp = cx->mcp_path
                       ? mc_xasprintf("/.well-known/oauth-authorization-server%s", cx->mcp_path)
                       : NULL;
        if (!t->prm_ok && !cx->issuer_path && mp && strcmp(mp, path) == 0 &&
            strcmp(cx->mcp_path, "/") != 0) {
            t->legacy_mcp_url = 1;
            cx->issuer_path = mc_xstrdup(cx->mcp_path);
        }
        free(mp);
    }
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
    /* a later metadata request no pass over the issuer or the MCP origin
     * explains: the registration endpoint looked up from the metadata's own
     * issuer (Gemini CLI) */
    if (t->as_ok && !src && strcmp(path, "/.well-known/oauth-authorization-server") != 0 &&
        strcmp(path, "/.well-known/openid-configuration") != 0)
        cx->rediscovers = 1;
    json_t *into = t->as_ok ? t->also : t->as;
    int dup = 0;
    size_t k;
    json_t *e;
    json_array_foreach(t->as, k, e) dup |= src && strcmp(json_string_value(e), src) == 0;
    json_array_foreach(t->also, k, e) dup |= src && strcmp(json_string_value(e), src) == 0;
    if (src && !dup)
        json_array_append_new(into, json_string(src));
    if (ok(r) && !t->as_ok) {
        t->as_ok = 1;
        cx->as_doc = json_object_get(r, "response");
        cx->as_req = r;
    }
}

/* discovery.prm_order: the base's when the trace is a prefix of it (without
 * "hint" when there was no hint to follow), else what was tried. */
static void prm_order_knob(draft *d, const json_t *base, const context *cx, tried *t)
{
    /* without a hint to follow, the base's order without "hint" explains it */
    const json_t *bp = base_get(base, "discovery.prm_order");
    json_t *applicable = json_array();
    size_t k;
    json_t *e;
    json_array_foreach(bp, k, e) if (cx->hint_path || strcmp(json_string_value(e), "hint") != 0)
        json_array_append(applicable, e);
    int prefix = json_array_size(t->prm) <= json_array_size(applicable);
    json_array_foreach(t->prm, k, e) prefix &=
        prefix && json_equal(e, json_array_get(applicable, k));
    json_decref(applicable);
    if (prefix && t->prm_ok && json_array_size(t->prm)) {
        json_array_clear(t->prm);
        json_array_extend(t->prm, (json_t *)bp);
    }
    if (json_array_size(t->prm))
        mc_draft_knob(d, "discovery.prm_order", mc_draft_order_with_rest(t->prm, t->prm_ok, bp),
                      t->first_prm, "protected resource metadata looked for in this order%s",
                      t->prm_ok ? "; after the first success, the base's order" : "");
    else
        json_decref(t->prm);
}

/* discovery.protocol_header: the header as the client's metadata requests
 * carry it, on any of them */
static void protocol_header_knob(draft *d, const json_t *reqs, const json_t *first_md)
{
    const json_t *with = NULL;
    size_t i;
    json_t *r;
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
        mc_draft_knob(d, "discovery.protocol_header", mpv ? json_string(mpv) : json_null(),
                      with ? with : first_md, "MCP-Protocol-Version %s on metadata requests",
                      mpv ? mpv : "absent");
    }
}

void mc_draft_discovery(draft *d, const json_t *reqs, const json_t *base, context *cx)
{
    tried t = {.prm = json_array(), .as = json_array(), .also = json_array()};
    size_t i;
    json_t *r;
    json_array_foreach(reqs, i, r) if (!cx->mcp_path && is_mcp(r)) cx->mcp_path = str(r, "path");
    json_array_foreach(reqs, i, r)
    {
        const char *path = str(r, "path");
        if (!path || i >= cx->end)
            break;
        if (is_mcp(r) && !bearer(r) && str(r, "www_authenticate") && !cx->www_req)
            challenge_seen(cx, r);
        if (!strstr(path, "/.well-known/") || !method_is(r, "GET"))
            continue;
        if (!t.first_md)
            t.first_md = r;
        if (strstr(path, "oauth-protected-resource"))
            prm_request(d, reqs, i, r, cx, &t);
        else
            as_request(r, cx, &t);
    }
    prm_order_knob(d, base, cx, &t);
    if (json_array_size(t.as))
        mc_draft_knob(d, "discovery.as_order",
                      mc_draft_order_with_rest(t.as, t.as_ok, base_get(base, "discovery.as_order")),
                      t.first_as, "authorization server metadata looked for in this order%s",
                      t.as_ok ? "; after the first success, the base's order" : "");
    else
        json_decref(t.as);
    if (cx->rediscovers) {
        mc_draft_knob(d, "registration.rediscover", json_true(), cx->as_req,
                      "after the metadata, more metadata requests at URLs built from its issuer");
        json_decref(t.also);
    } else if (json_array_size(t.also)) {
        mc_draft_knob(d, "discovery.as_also", t.also, cx->as_req,
                      "metadata fetched again after the first success, at other URLs");
    } else {
        json_decref(t.also);
    }
    /* no metadata, yet the client registered or authorized: the default
     * endpoints on the MCP origin */
    const json_t *next = json_array_get(reqs, cx->end);
    const char *np = next ? str(next, "path") : NULL;
    int went_on = np && (ends_with(np, "/register") || ends_with(np, "/authorize"));
    if (!t.as_ok && t.first_as && went_on && !t.legacy_mcp_url)
        mc_draft_knob(d, "discovery.legacy_fallback", json_true(), next,
                      "no authorization server metadata, and the client went on to %s", np);
    if (t.legacy_mcp_url) {
        mc_draft_knob(d, "discovery.legacy_fallback", json_true(), t.first_as,
                      "no protected resource metadata: the client looked for an authorization "
                      "server itself");
        mc_draft_knob(d, "discovery.legacy_issuer", json_string("mcp-url"), t.first_as,
                      "at the MCP URL, path and all (%s)", str(t.first_as, "path"));
        if (!t.as_ok)
            mc_draft_knob(d, "discovery.legacy_defaults", json_boolean(went_on),
                          went_on ? next : t.first_as,
                          went_on ? "no metadata, and the client went on to the default endpoints"
                                  : "no metadata, and the client went no further");
    }
    protocol_header_knob(d, reqs, t.first_md);
}

void mc_draft_issuer(draft *d, const json_t *reqs, const context *cx)
{
    const char *named =
        json_string_value(json_array_get(json_object_get(cx->prm_doc, "authorization_servers"), 0));
    const char *issuer = str(cx->as_doc, "issuer");
    if (!named || !issuer || strcmp(named, issuer) == 0 || !cx->as_req)
        return;
    /* a client that looks metadata up again from that issuer used it too */
    int went_on = mc_draft_find(reqs, "/register", "POST", NULL) ||
                  mc_draft_find(reqs, "/authorize", NULL, NULL) ||
                  mc_draft_find(reqs, "/token", "POST", NULL) || cx->rediscovers;
    size_t n = strlen(named), m = strlen(issuer);
    int slash_named = n == m + 1 && named[m] == '/' && strncmp(named, issuer, m) == 0;
    int slash_issuer = m == n + 1 && issuer[n] == '/' && strncmp(named, issuer, n) == 0;
    const char *v = !went_on       ? "exact"
                    : slash_named  ? "slash-tolerant"
                    : slash_issuer ? "slash-insensitive"
                                   : NULL;
    mc_draft_knob(d, "discovery.check_issuer", v ? json_string(v) : json_false(), cx->as_req,
                  "the metadata's issuer %s, the resource metadata named %s, and the client %s",
                  issuer, named, went_on ? "went on" : "stopped after the metadata");
}
