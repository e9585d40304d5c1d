/* Step 2: RFC 9728 protected resource metadata, in the profile's order. */
#include "steps.h"

#include "../wire/buf.h"
#include "../wire/url.h"

#include <stdlib.h>
#include <string.h>

static char *candidate(const mc_client *c, mc_prm_source src)
{
    switch (src) {
    case MC_PRM_HINT:
        return mc_xstrdup(c->www_resource_metadata);
    case MC_PRM_PATH: {
        char *path = mc_url_path(c->cfg->mcp_url);
        int root = !path || strcmp(path, "/") == 0;
        free(path);
        return root ? NULL : mc_url_well_known_insert(c->cfg->mcp_url, "oauth-protected-resource");
    }
    case MC_PRM_PATH_APPENDED: /* Codex: <MCP URL>/.well-known/oauth-protected-resource */
        return mc_url_well_known_append(c->cfg->mcp_url, "oauth-protected-resource");
    case MC_PRM_ROOT: {
        char *origin = mc_url_origin(c->cfg->mcp_url);
        char *u = origin ? mc_xasprintf("%s/.well-known/oauth-protected-resource", origin) : NULL;
        free(origin);
        return u;
    }
    }
    return NULL;
}

/* RFC 9728 §3.3: resource must be the identifier the metadata was fetched
 * for, the MCP endpoint. A "prefix" client also takes the origin or a path
 * prefix of it (ambiguity A1). */
static int resource_ok(const char *resource, const char *mcp_url, mc_res_check mode)
{
    if (mode == MC_RES_IGNORE || mc_url_same_resource(resource, mcp_url))
        return 1;
    if (mode != MC_RES_PREFIX)
        return 0;
    char *a = mc_url_canonical(resource), *b = mc_url_canonical(mcp_url);
    int ok =
        a && b && strncmp(b, a, strlen(a)) == 0 && (b[strlen(a)] == '/' || b[strlen(a)] == '\0');
    free(a);
    free(b);
    return ok;
}

/* The identifier a document found at src must name: the MCP URL, or for a
 * root document of a client that reads it so, the origin. Owned. */
static char *expected_resource(const mc_client *c, mc_prm_source src)
{
    if (src == MC_PRM_ROOT && c->p->prm_root_resource == MC_ROOT_RES_ORIGIN)
        return mc_url_origin(c->cfg->mcp_url);
    return mc_xstrdup(c->cfg->mcp_url);
}

/* discovery.invalid_next (VS Code's fetchResourceMetadata): a document
 * without `resource`, with a scopes_supported that is not an array, or
 * naming another resource is passed over for the next URL. */
static int usable(mc_client *c, mc_step_result *s, const json_t *prm, const char *url,
                  mc_prm_source src)
{
    const char *resource = json_string_value(json_object_get(prm, "resource"));
    json_t *scopes = json_object_get(prm, "scopes_supported");
    char *want = expected_resource(c, src);
    const char *why = !resource                          ? "it has no resource"
                      : scopes && !json_is_array(scopes) ? "its scopes_supported is not an array"
                      : !resource_ok(resource, want, MC_RES_EXACT) ? "it names another resource"
                                                                   : NULL;
    if (why)
        mc_step_check(s, c->rev, resource ? "prm.resource-matches" : "prm.resource-present", 0,
                      "%s: %s (%s, expected %s): this client tries the next URL", url, why,
                      resource ? resource : "no resource", want);
    free(want);
    return why == NULL;
}

/* The protected resource metadata at the first of the profile's candidate
 * URLs that has it (owned), or NULL; where it was (*from, owned; *src) and
 * its media type (*media, owned). */
static json_t *find_prm(mc_client *c, mc_step_result *s, char **from, char **media,
                        mc_prm_source *src)
{
    const mc_profile *p = c->p;
    json_t *prm = NULL;
    for (size_t i = 0; i < p->nprm && !prm; i++) {
        char *url = candidate(c, p->prm_order[i]);
        *src = p->prm_order[i];
        if (!url)
            continue;
        int seen = 0; /* the hint may equal a well-known URL already tried */
        for (size_t k = 0; k < s->nexchanges; k++)
            seen |= strcmp(s->exchanges[k]->url, url) == 0;
        long status = 0;
        if (!seen) {
            free(*media);
            prm = mc_get_json(c, s, url, &status, media);
        }
        if (prm && p->invalid_next && !usable(c, s, prm, url, *src)) {
            json_decref(prm);
            prm = NULL;
        }
        if (prm)
            *from = url;
        else
            free(url);
    }
    return prm;
}

/* No protected resource metadata: the 2025-03-26 flow for a client that
 * falls back to it, else the end of the handshake. */
static mc_step_rc prm_missing(mc_client *c, mc_step_result *s)
{
    const mc_profile *p = c->p;
    if (p->legacy_fallback) {
        /* 2025-03-26: the MCP server is its own authorization server */
        c->issuer =
            p->legacy_issuer_mcp_url ? mc_xstrdup(c->cfg->mcp_url) : mc_url_origin(c->cfg->mcp_url);
        const char *last = mc_get_json_problem(c);
        mc_step_check(s, c->rev, "prm.available", 0,
                      "none at the %zu URL(s) this client tries (the last gave %s): it falls "
                      "back to the 2025-03-26 flow with the MCP server's %s as "
                      "authorization server",
                      s->nexchanges, last ? last : "nothing",
                      p->legacy_issuer_mcp_url ? "URL" : "origin");
        return MC_GO;
    }
    mc_step_check(s, c->rev, "prm.available", 0,
                  "no protected resource metadata at any URL this client tries");
    const char *last = mc_get_json_problem(c);
    mc_step_fail(s, "prm.available",
                 "no protected resource metadata found (tried %zu URL%s; the last gave %s)",
                 s->nexchanges, s->nexchanges == 1 ? "" : "s", last ? last : "nothing");
    return MC_STOP;
}

/* The document's checks: authorization servers, resource (RFC 9728 §3.3),
 * scopes; *issuer and *resource borrowed from prm. */
static void check_prm(mc_client *c, mc_step_result *s, const json_t *prm, const char **issuer_out,
                      const char **resource_out)
{
    json_t *as = json_object_get(prm, "authorization_servers");
    const char *issuer = json_is_array(as) && json_array_size(as) > 0
                             ? json_string_value(json_array_get(as, 0))
                             : NULL;
    mc_step_check(s, c->rev, "prm.authorization-servers", issuer != NULL,
                  issuer ? "authorization server %s" : "authorization_servers missing or empty%s",
                  issuer ? issuer : "");
    const char *resource = json_string_value(json_object_get(prm, "resource"));
    mc_step_check(s, c->rev, "prm.resource-present", resource != NULL,
                  resource ? "resource %s" : "no resource field%s", resource ? resource : "");
    /* RFC 9728 §3.3: the root document describes the identifier without a
     * path, so resource = the origin (or a same-origin path prefix) is no
     * MUST failure; a path-specific document would be more precise
     * (spec-matrix A1: server WARN unless exact) */
    int matches = resource && mc_url_same_resource(resource, c->cfg->mcp_url);
    int prefix = resource && !matches && resource_ok(resource, c->cfg->mcp_url, MC_RES_PREFIX);
    if (resource) {
        mc_step_check(s, c->rev, "prm.resource-matches", matches || prefix,
                      prefix ? "resource %s is a same-origin prefix of the MCP endpoint %s"
                             : "resource %s, MCP endpoint %s",
                      resource, c->cfg->mcp_url);
        if (matches || prefix)
            mc_step_check(s, c->rev, "prm.resource-specific", !prefix,
                          prefix ? "resource %s names the origin or a path prefix, not the MCP "
                                   "endpoint %s"
                                 : "resource %s names the MCP endpoint %s",
                          resource, c->cfg->mcp_url);
    }
    json_t *scopes = json_object_get(prm, "scopes_supported");
    mc_step_check(s, c->rev, "prm.scopes-supported", json_is_array(scopes),
                  json_is_array(scopes) ? "scopes_supported published" : "no scopes_supported");
    if (json_is_array(scopes)) {
        int offline = 0;
        size_t k;
        json_t *e;
        json_array_foreach(scopes, k, e) offline |=
            json_is_string(e) && strcmp(json_string_value(e), "offline_access") == 0;
        mc_step_check(s, c->rev, "prm.no-offline-access", !offline,
                      offline ? "offline_access listed" : "offline_access not listed");
    }
    *issuer_out = issuer;
    *resource_out = resource;
}

mc_step_rc mc_step_resource_metadata(mc_client *c, mc_step_result *s)
{
    const mc_profile *p = c->p;
    if (p->nprm == 0) {
        /* 2025-03-26: no protected resource metadata; the MCP server's origin
         * is the authorization server */
        c->issuer = mc_url_origin(c->cfg->mcp_url);
        s->status = MC_SKIP;
        s->reason = mc_xstrdup("this client does not use protected resource metadata");
        return MC_GO;
    }
    char *from = NULL;
    char *media = NULL;
    mc_prm_source from_src = MC_PRM_HINT;
    json_t *prm = find_prm(c, s, &from, &media, &from_src);
    if (!prm) {
        free(media);
        return prm_missing(c, s);
    }
    mc_step_check(s, c->rev, "prm.available", 1, "found at %s", from);
    int is_json = media && strcmp(media, "application/json") == 0;
    mc_step_check(s, c->rev, "prm.json", is_json, "Content-Type %s", media ? media : "(none)");
    free(media);
    c->prm = prm;

    const char *issuer, *resource;
    check_prm(c, s, prm, &issuer, &resource);
    free(from);

    /* A client that found the metadata at the root may take the origin as
     * the resource it asked about (Gemini CLI) */
    char *origin = mc_url_origin(c->cfg->mcp_url);
    const char *expected = from_src == MC_PRM_ROOT && p->prm_root_resource == MC_ROOT_RES_ORIGIN
                               ? origin
                               : c->cfg->mcp_url;
    /* drop-prefix takes what prefix takes and drops the rest (claude.ai) */
    mc_res_check mode = p->prm_resource_check == MC_RES_DROP_PREFIX ? MC_RES_PREFIX
                        : p->prm_resource_check == MC_RES_DROP      ? MC_RES_EXACT
                                                                    : p->prm_resource_check;
    int drops = p->prm_resource_check == MC_RES_DROP || p->prm_resource_check == MC_RES_DROP_PREFIX;
    if (resource && drops && !resource_ok(resource, expected, mode)) {
        /* newer VS Code, claude.ai: carry on without the metadata, as if the
         * server had none (the MCP origin becomes the authorization server) */
        json_decref(c->prm);
        c->prm = NULL;
        c->issuer = origin;
        return MC_GO;
    }
    if (resource && !resource_ok(resource, expected, mode)) {
        mc_step_fail(s, "prm.resource-matches",
                     "metadata is for %s, but this client expects %s: it refuses to use it",
                     resource, expected);
        free(origin);
        return MC_STOP;
    }
    free(origin);
    if (!issuer && p->prm_without_as_origin) {
        /* VS Code: the MCP server's origin is the authorization server, the
         * metadata (resource, scopes) is kept */
        c->issuer = mc_url_origin(c->cfg->mcp_url);
        return MC_GO;
    }
    if (!issuer) {
        mc_step_fail(s, "prm.authorization-servers", "the metadata names no authorization server");
        return MC_STOP;
    }
    c->issuer = mc_xstrdup(issuer);
    return MC_GO;
}
