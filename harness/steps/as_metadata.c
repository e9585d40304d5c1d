/* Step 3: RFC 8414 / OpenID Connect discovery of the authorization server,
 * in the profile's order. */
#include "steps.h"

#include "../wire/buf.h"
#include "../wire/url.h"

#include <stdlib.h>
#include <string.h>

static char *candidate_for(const mc_client *c, const char *issuer, mc_as_source src)
{
    switch (src) {
    case MC_AS_OAUTH_INSERT:
        return mc_url_well_known_insert(issuer, "oauth-authorization-server");
    case MC_AS_OIDC_INSERT:
        return mc_url_well_known_insert(issuer, "openid-configuration");
    case MC_AS_OIDC_APPEND:
        return mc_url_well_known_append(issuer, "openid-configuration");
    case MC_AS_OAUTH_ORIGIN:
    case MC_AS_OIDC_ORIGIN:
    case MC_AS_MCP_ORIGIN:
    case MC_AS_MCP_ORIGIN_OIDC: {
        int mcp = src == MC_AS_MCP_ORIGIN || src == MC_AS_MCP_ORIGIN_OIDC;
        int oidc = src == MC_AS_OIDC_ORIGIN || src == MC_AS_MCP_ORIGIN_OIDC;
        char *origin = mc_url_origin(mcp ? c->cfg->mcp_url : issuer);
        char *u = origin
                      ? mc_xasprintf("%s/.well-known/%s", origin,
                                     oidc ? "openid-configuration" : "oauth-authorization-server")
                      : NULL;
        free(origin);
        return u;
    }
    }
    return NULL;
}

static char *candidate(const mc_client *c, mc_as_source src)
{
    return candidate_for(c, c->issuer, src);
}

/* Metadata for one issuer, at the URLs of the profile's order (each URL
 * once); NULL when none answers. */
static json_t *discover(mc_client *c, mc_step_result *s, const char *issuer, size_t *ntried)
{
    const mc_profile *p = c->p;
    json_t *m = NULL;
    char *tried[MC_MAX_ORDER];
    size_t n = 0;
    for (size_t i = 0; i < p->nas && !m; i++) {
        char *url = candidate_for(c, issuer, p->as_order[i]);
        int dup = !url;
        for (size_t k = 0; k < n && !dup; k++)
            dup = strcmp(tried[k], url) == 0;
        if (dup) {
            free(url);
            continue;
        }
        tried[n++] = url;
        long status;
        m = mc_get_json(c, s, url, &status, NULL);
    }
    for (size_t k = 0; k < n; k++)
        free(tried[k]);
    if (ntried)
        *ntried = n;
    return m;
}

int mc_asm_rediscover(mc_client *c, mc_step_result *s)
{
    /* Gemini CLI's discoverAuthServerMetadataForRegistration(): the
     * metadata's own issuer, as origin, origin + path (an /authorize-like
     * suffix cut), and that path without a trailing vN segment */
    const char *issuer = json_string_value(json_object_get(c->as_meta, "issuer"));
    if (c->p->rediscover == 2) {
        /* Qwen Code: only after the challenge's resource_metadata, and at the
         * authorization endpoint's origin alone */
        if (!c->www_resource_metadata)
            return 0;
        issuer = c->authz_ep;
    }
    char *origin = issuer ? mc_url_origin(issuer) : NULL;
    if (!origin) {
        mc_step_check(s, c->rev, "reg.dcr-offered", 0,
                      "no issuer in the metadata to look the registration endpoint up from");
        return -1;
    }
    char *path = c->p->rediscover == 2 ? NULL : mc_url_path(issuer);
    size_t n = path ? strlen(path) : 0;
    while (n && path[n - 1] == '/')
        path[--n] = '\0';
    static const char *const suffixes[] = {"/protocol/openid-connect/auth",
                                           "/protocol/openid-connect/authorize",
                                           "/oauth2/authorize", "/oauth/authorize", "/authorize"};
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        size_t k = strlen(suffixes[i]);
        if (n >= k && strcmp(path + n - k, suffixes[i]) == 0) {
            path[n -= k] = '\0';
            break;
        }
    }
    char *cands[3] = {mc_xstrdup(origin), NULL, NULL};
    size_t nc = 1;
    if (n) {
        cands[nc++] = mc_xasprintf("%s%s", origin, path);
        const char *last = strrchr(path, '/');
        int version = last && (last[1] == 'v' || last[1] == 'V') && last[2] >= '0' &&
                      last[2] <= '9' && strspn(last + 2, "0123456789.") == strlen(last + 2);
        if (version && last != path)
            cands[nc++] = mc_xasprintf("%s%.*s", origin, (int)(last - path), path);
    }
    json_t *m = NULL;
    for (size_t i = 0; i < nc && !m; i++) {
        /* parsed as a WHATWG URL, as the client does: { and } are
         * percent-encoded in a path (Entra's {tenantid}) */
        mc_buf b;
        mc_buf_init(&b, 0);
        for (const char *q = cands[i]; *q; q++)
            *q == '{'   ? mc_buf_adds(&b, "%7B")
            : *q == '}' ? mc_buf_adds(&b, "%7D")
                        : mc_buf_add(&b, q, 1);
        char *u = mc_buf_steal(&b);
        m = discover(c, s, u, NULL);
        free(u);
    }
    const char *reg = json_string_value(json_object_get(m, "registration_endpoint"));
    free(c->reg_ep);
    c->reg_ep = mc_xstrdup(reg);
    int rc = m ? 0 : -1;
    if (!m)
        mc_step_check(s, c->rev, "reg.dcr-offered", 0,
                      "the registration endpoint is looked up again from %s, and no metadata "
                      "answers there (%zu issuer URL(s) tried)",
                      issuer, nc);
    json_decref(m);
    for (size_t i = 0; i < nc; i++)
        free(cands[i]);
    free(path);
    free(origin);
    return rc;
}

static int has_string(json_t *arr, const char *s)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        if (json_is_string(e) && strcmp(json_string_value(e), s) == 0)
            return 1;
    }
    return 0;
}

static int endpoint_ok(const char *url)
{
    return url && (mc_url_scheme_is(url, "https") ||
                   (mc_url_scheme_is(url, "http") && mc_url_is_loopback(url)));
}

/* discovery.invalid_next (VS Code's isAuthorizationServerMetadata): a
 * document without issuer, or with an endpoint that is not an http(s) URL
 * string, counts as not found and the next URL is tried. */
static int usable(mc_client *c, mc_step_result *s, const json_t *m, const char *url)
{
    static const char *const fields[] = {"issuer", "authorization_endpoint", "token_endpoint",
                                         "registration_endpoint", "jwks_uri"};
    const char *bad = json_is_string(json_object_get(m, "issuer")) ? NULL : "issuer";
    for (size_t i = 0; i < sizeof fields / sizeof *fields && !bad; i++) {
        const json_t *v = json_object_get(m, fields[i]);
        const char *u = json_string_value(v);
        if (v && !json_is_null(v) &&
            (!u || (!mc_url_scheme_is(u, "http") && !mc_url_scheme_is(u, "https"))))
            bad = fields[i];
    }
    if (bad)
        mc_step_check(s, c->rev, "asm.required-fields", 0,
                      "%s: %s missing or not an http(s) URL: this client tries the next URL", url,
                      bad);
    return bad == NULL;
}

static mc_step_rc use_defaults(mc_client *c, mc_step_result *s)
{
    /* 2025-03-26 "Fallbacks for Servers without Metadata Discovery" */
    char *origin = mc_url_origin(c->cfg->mcp_url);
    c->authz_ep = mc_xasprintf("%s/authorize", origin);
    c->token_ep = mc_xasprintf("%s/token", origin);
    c->reg_ep = mc_xasprintf("%s/register", origin);
    free(origin);
    mc_step_check(s, c->rev, "asm.available", 0,
                  "no metadata: using the default /authorize, /token, /register");
    return MC_GO;
}

char *mc_no_client_flow(const mc_client *c)
{
    json_t *offered = json_object_get(c->as_meta, "grant_types_supported");
    if (!json_is_array(offered) || json_array_size(offered) == 0)
        return NULL; /* not said: RFC 8414 §2's default includes authorization_code */
    mc_buf list;
    mc_buf_init(&list, 512);
    size_t i;
    json_t *g;
    json_array_foreach(offered, i, g)
    {
        const char *name = json_string_value(g);
        if (name && strcmp(name, "authorization_code") == 0) {
            mc_buf_free(&list);
            return NULL;
        }
        if (name)
            mc_buf_printf(&list, "%s%s", list.len ? ", " : "", name);
    }
    char *offered_text = mc_buf_steal(&list);
    char *why =
        mc_xasprintf("the authorization server offers only %s (grant_types_supported) "
                     "and %s implements authorization_code",
                     *offered_text ? offered_text : "grants it does not name", c->p->client);
    free(offered_text);
    return why;
}

/* Whether url is one of the metadata URLs MCP 2025-11-25 lists for the
 * issuer (path insertion for RFC 8414 and OIDC, OIDC appending; for an
 * issuer without a path the two root documents). */
static int spec_listed(const mc_client *c, const char *url)
{
    static const mc_as_source listed[] = {MC_AS_OAUTH_INSERT, MC_AS_OIDC_INSERT, MC_AS_OIDC_APPEND};
    int yes = 0;
    for (size_t k = 0; k < 3 && !yes; k++) {
        char *u = candidate(c, listed[k]);
        yes = u && strcmp(u, url) == 0;
        free(u);
    }
    return yes;
}

/* A client-side deviation, recorded against the client (party client) and
 * never as a failure of the server: a metadata URL outside the spec's list
 * (mcp-remote asks the root of an issuer with a path). Once per step. */
static void note_unlisted(mc_client *c, mc_step_result *s, const char *url)
{
    for (size_t i = 0; i < s->nchecks; i++)
        if (strcmp(s->checks[i].def->id, "asm.client-discovery-urls") == 0)
            return;
    if (spec_listed(c, url))
        return;
    mc_step_check(s, c->rev, "asm.client-discovery-urls", 0,
                  "this client also asked %s, which is not among the metadata URLs the spec lists "
                  "for the issuer %s (a client-side deviation, not the server's)",
                  url, c->issuer);
}

/* The authorization server metadata at the first of the profile's
 * candidate URLs that has it (owned), or NULL; *ntried: the URLs tried. */
static json_t *find_metadata(mc_client *c, mc_step_result *s, size_t *ntried_out)
{
    const mc_profile *p = c->p;
    json_t *m = NULL;
    char *tried[MC_MAX_ORDER];
    size_t ntried = 0;
    for (size_t i = 0; i < p->nas && !m; i++) {
        char *url = candidate(c, p->as_order[i]);
        int dup = !url;
        for (size_t k = 0; k < ntried && !dup; k++)
            dup = strcmp(tried[k], url) == 0;
        if (dup) {
            free(url);
            continue;
        }
        tried[ntried++] = url;
        note_unlisted(c, s, url);
        long status;
        m = mc_get_json(c, s, url, &status, NULL);
        if (m && p->invalid_next && !usable(c, s, m, url)) {
            json_decref(m);
            m = NULL;
        }
    }
    for (size_t k = 0; k < ntried; k++)
        free(tried[k]);
    *ntried_out = ntried;
    return m;
}

/* No metadata: the default endpoints for a client that falls back to
 * them, else the end of the handshake. */
static mc_step_rc metadata_missing(mc_client *c, mc_step_result *s, size_t ntried)
{
    const mc_profile *p = c->p;
    if (p->legacy_fallback && p->legacy_defaults)
        return use_defaults(c, s);
    mc_step_check(s, c->rev, "asm.available", 0,
                  "no metadata for issuer %s at the %zu URL(s) this client tries", c->issuer,
                  ntried);
    const char *last = mc_get_json_problem(c);
    mc_step_fail(s, "asm.available",
                 "no authorization server metadata for %s (tried %zu URL%s; the last gave %s)",
                 c->issuer, ntried, ntried == 1 ? "" : "s", last ? last : "nothing");
    return MC_STOP;
}

/* Gemini CLI also searches the MCP server's origin for an authorization
 * server (clients.md 8); the answer is not used */
static void search_also(mc_client *c, mc_step_result *s)
{
    const mc_profile *p = c->p;
    for (size_t i = 0; i < p->nas_also; i++) {
        char *url = candidate(c, p->as_also[i]);
        if (url)
            note_unlisted(c, s, url);
        long status = 0;
        json_t *extra = url ? mc_get_json(c, s, url, &status, NULL) : NULL;
        free(url);
        json_decref(extra);
        if (extra)
            break;
    }
}

/* How many of the document's fields are null. */
static int null_fields(const json_t *m)
{
    int nulls = 0;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)m, k, v) nulls += json_is_null(v);
    return nulls;
}

/* Whether this client accepts the document's issuer for the one it looked
 * up (same: they are equal). */
static int issuer_accepted(const mc_client *c, const char *issuer, int same)
{
    const mc_profile *p = c->p;
    /* what this client accepts: the TypeScript SDK v2 also takes the looked-up
     * issuer without its trailing slash (a URL's href gains one) */
    size_t n = strlen(c->issuer), mlen = issuer ? strlen(issuer) : 0;
    int accepted =
        p->check_issuer == MC_ISSUER_IGNORE || same ||
        (p->check_issuer == MC_ISSUER_SLASH_TOLERANT && issuer && n > 1 &&
         c->issuer[n - 1] == '/' && mlen == n - 1 && strncmp(issuer, c->issuer, n - 1) == 0);
    if (p->check_issuer == MC_ISSUER_SLASH_INSENSITIVE && issuer && !accepted) {
        n -= n > 1 && c->issuer[n - 1] == '/';
        mlen -= mlen > 1 && issuer[mlen - 1] == '/';
        accepted = n == mlen && strncmp(issuer, c->issuer, n) == 0;
    }
    return accepted;
}

mc_step_rc mc_step_as_metadata(mc_client *c, mc_step_result *s)
{
    const mc_profile *p = c->p;
    if (!c->issuer) {
        mc_step_fail(s, "asm.available", "no authorization server to ask");
        return MC_STOP;
    }
    size_t ntried;
    json_t *m = find_metadata(c, s, &ntried);
    if (!m)
        return metadata_missing(c, s, ntried);
    c->as_meta = m;
    mc_step_check(s, c->rev, "asm.available", 1, "metadata for %s", c->issuer);
    search_also(c, s);
    const char *issuer = json_string_value(json_object_get(m, "issuer"));
    const char *authz = json_string_value(json_object_get(m, "authorization_endpoint"));
    const char *token = json_string_value(json_object_get(m, "token_endpoint"));
    const char *reg = json_string_value(json_object_get(m, "registration_endpoint"));
    json_t *rts = json_object_get(m, "response_types_supported");
    int complete = issuer && authz && token && has_string(rts, "code");
    mc_step_check(s, c->rev, "asm.required-fields", complete,
                  complete ? "required fields present" : "missing:%s%s%s%s",
                  issuer ? "" : " issuer", authz ? "" : " authorization_endpoint",
                  token ? "" : " token_endpoint",
                  has_string(rts, "code") ? "" : " response_types_supported[code]");
    int same = issuer && strcmp(issuer, c->issuer) == 0;
    mc_step_check(s, c->rev, "asm.issuer-matches", same, "issuer %s, expected %s",
                  issuer ? issuer : "(none)", c->issuer);
    int accepted = issuer_accepted(c, issuer, same);
    json_t *methods = json_object_get(m, "code_challenge_methods_supported");
    int pkce = has_string(methods, "S256");
    mc_step_check(s, c->rev, "asm.pkce-methods", pkce,
                  pkce                     ? "S256 advertised"
                  : json_is_array(methods) ? "S256 not among code_challenge_methods_supported"
                                           : "code_challenge_methods_supported absent");
    int https = endpoint_ok(authz) && endpoint_ok(token) && (!reg || endpoint_ok(reg));
    mc_step_check(s, c->rev, "asm.endpoints-https", https,
                  https ? "endpoints use https (or loopback http)"
                        : "an endpoint is plain http off loopback");
    int nulls = null_fields(m);
    mc_step_check(s, c->rev, "asm.no-null-fields", nulls == 0, "%d field(s) are null", nulls);
    c->iss_supported =
        json_is_true(json_object_get(m, "authorization_response_iss_parameter_supported"));

    if (nulls && p->reject_null_fields) {
        mc_step_fail(s, "asm.no-null-fields",
                     "%d metadata field(s) are null: this client's schema rejects the document "
                     "(\"expected string, received null\")",
                     nulls);
        return MC_STOP;
    }
    if (!authz || !token) {
        mc_step_fail(s, "asm.required-fields", "metadata lacks %s",
                     authz ? "token_endpoint" : "authorization_endpoint");
        return MC_STOP;
    }
    if (!accepted) {
        mc_step_fail(s, "asm.issuer-matches",
                     "issuer %s differs from %s, the issuer it was looked up for (RFC 8414 "
                     "§3.3): the client refuses this metadata",
                     issuer ? issuer : "(none)", c->issuer);
        return MC_STOP;
    }
    /* "require": refuse without S256 (2025-11-25); "if-present": refuse only a
     * list without S256 (TypeScript SDK v1) */
    if ((p->pkce_metadata == MC_PKCE_MD_REQUIRE && !pkce) ||
        (p->pkce_metadata == MC_PKCE_MD_IF_PRESENT && json_is_array(methods) && !pkce)) {
        mc_step_fail(s, "asm.pkce-methods",
                     "no S256 in code_challenge_methods_supported: the client refuses "
                     "to authorize without confirmed PKCE support");
        return MC_STOP;
    }
    c->authz_ep = mc_xstrdup(authz);
    c->token_ep = mc_xstrdup(token);
    c->reg_ep = mc_xstrdup(reg);
    return MC_GO;
}
