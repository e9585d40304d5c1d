#include "profile.h"

#include "../wire/buf.h"

#include <stdlib.h>
#include <string.h>

static const char *const prm_sources[] = {"hint", "path", "path-appended", "root", NULL};
static const char *const as_sources[] = {"oauth-insert",    "oidc-insert", "oidc-append",
                                         "oauth-origin",    "oidc-origin", "mcp-origin",
                                         "mcp-origin-oidc", NULL};
static const char *const res_checks[] = {"exact", "prefix", "ignore", "drop", "drop-prefix", NULL};
static const char *const root_resources[] = {"endpoint", "origin", NULL};
static const char *const pkce_md[] = {"require", "if-present", "ignore", NULL};
static const char *const legacy_issuers[] = {"origin", "mcp-url", NULL};
static const char *const refresh_endpoints[] = {"login", "mcp-url", NULL};
static const char *const reg_methods[] = {"static", "cimd", "dcr", NULL};
static const char *const scope_sources[] = {"www-authenticate", "prm", "as", NULL};
static const char *const iss_modes[] = {"ignore", "if-present", "require", "rfc9207", NULL};
static const char *const rediscovers[] = {"issuer", "authorization-origin", NULL};
static const char *const issuer_checks[] = {"ignore", "exact", "slash-tolerant",
                                            "slash-insensitive", NULL};
static const char *const token_auths[] = {"registered", "none", "client_secret_basic",
                                          "client_secret_post", NULL};
static const char *const secret_auth_defaults[] = {"requested", "client_secret_basic",
                                                   "client_secret_post", "as-metadata", NULL};
static const char *const static_auths[] = {"client_secret_basic", "client_secret_post", "none",
                                           NULL};
static const char *const pkce_modes[] = {"S256", "none", NULL};
static const char *const port_policies[] = {"random", "fixed", "hash", NULL};
static const char *const busy_modes[] = {"random", "fail", NULL};
static const char *const callback_urls[] = {"none", "verbatim", "append-id", NULL};
static const char *const probe_kinds[] = {"POST", "GET", "none", "HEAD", NULL};
static const char *const rm_relatives[] = {"resolve", "drop", NULL};
static const char *const auth_triggers[] = {"any-401", "connect", NULL};
static const char *const challenge_parses[] = {"rfc9110", "first-bearer", "exact-bearer",
                                               "quoted-regex", NULL};
static const char *const authz_params[] = {
    "response_type", "client_id", "redirect_uri", "code_challenge", "code_challenge_method",
    "state",         "scope",     "resource",     "prompt",         NULL};
static const char *const refresh_params[] = {"grant_type", "refresh_token", "scope", "resource",
                                             "client_id",  "client_secret", NULL};
static const char *const token_params[] = {"grant_type",    "code",     "redirect_uri",
                                           "code_verifier", "resource", "client_id",
                                           "client_secret", NULL};
static const char *const step_ups[] = {"none", "challenge", "union", NULL};
static const char *const prm_without_as[] = {"stop", "mcp-origin", NULL};
static const char *const dcr_scope_froms[] = {"selected", "prm", NULL};
static const char *const resource_froms[] = {"mcp-url", "prm", "prm-href", NULL};
static const char *const dcr_auths[] = {"none", "client_secret_post", "client_secret_basic", NULL};
static const char *const revs[] = {"2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28", NULL};

#define END                                                                                        \
    {                                                                                              \
        NULL, 0, 0, NULL, NULL                                                                     \
    }
static const mc_field probe_fields[] = {
    {"request", MC_T_STRING, 0, NULL, probe_kinds},
    {"method", MC_T_STRING, 0, NULL, NULL},
    {"protocol_version", MC_T_STRING, 0, NULL, NULL},
    {"protocol_header", MC_T_STRING_OR_NULL, 0, NULL, NULL},
    {"accept", MC_T_STRING, 0, NULL, NULL},
    {"mcp_method_header", MC_T_BOOL, 0, NULL, NULL},
    {"meta", MC_T_BOOL, 0, NULL, NULL},
    {"head_after_401", MC_T_BOOL, 0, NULL, NULL},
    {"challenge_parse", MC_T_STRING, 0, NULL, challenge_parses},
    {"resource_metadata_relative", MC_T_STRING, 0, NULL, rm_relatives},
    {"resource_metadata_same_origin", MC_T_BOOL, 0, NULL, NULL},
    {"auth_trigger", MC_T_STRING, 0, NULL, auth_triggers},
    {"auth_on_403", MC_T_BOOL, 0, NULL, NULL},
    END};
static const mc_field discovery_fields[] = {
    {"prm_order", MC_T_STRINGS, 0, NULL, prm_sources},
    {"prm_resource_check", MC_T_STRING, 0, NULL, res_checks},
    {"prm_root_resource", MC_T_STRING, 0, NULL, root_resources},
    {"as_order", MC_T_STRINGS, 0, NULL, as_sources},
    {"as_also", MC_T_STRINGS, 0, NULL, as_sources},
    {"pkce_metadata", MC_T_STRING, 0, NULL, pkce_md},
    {"check_issuer", MC_T_BOOL_OR_STRING, 0, NULL, issuer_checks},
    {"legacy_fallback", MC_T_BOOL, 0, NULL, NULL},
    {"legacy_issuer", MC_T_STRING, 0, NULL, legacy_issuers},
    {"legacy_defaults", MC_T_BOOL, 0, NULL, NULL},
    {"reject_null_fields", MC_T_BOOL, 0, NULL, NULL},
    {"protocol_header", MC_T_STRING_OR_NULL, 0, NULL, NULL},
    {"invalid_next", MC_T_BOOL, 0, NULL, NULL},
    {"prm_without_as", MC_T_STRING, 0, NULL, prm_without_as},
    END};
static const mc_field registration_fields[] = {
    {"order", MC_T_STRINGS, 0, NULL, reg_methods},
    {"honour_static", MC_T_BOOL, 0, NULL, NULL},
    {"static_auth", MC_T_STRING, 0, NULL, static_auths},
    {"dcr_body", MC_T_ANY_OBJECT, 0, NULL, NULL},
    {"dcr_redirect_uris", MC_T_STRINGS, 0, NULL, NULL},
    {"dcr_scope", MC_T_BOOL, 0, NULL, NULL},
    {"dcr_scope_from", MC_T_STRING, 0, NULL, dcr_scope_froms},
    {"dcr_grant_types_from_as", MC_T_BOOL, 0, NULL, NULL},
    {"dcr_auth_from_as", MC_T_STRINGS, 0, NULL, dcr_auths},
    {"rediscover", MC_T_BOOL_OR_STRING, 0, NULL, rediscovers},
    {"cimd_url", MC_T_STRING_OR_NULL, 0, NULL, NULL},
    {"user_metadata", MC_T_BOOL, 0, NULL, NULL},
    {"cimd_document", MC_T_ANY_OBJECT, 0, NULL, NULL},
    {"cimd_requires_none", MC_T_BOOL, 0, NULL, NULL},
    END};
static const mc_field redirect_fields[] = {{"url", MC_T_STRING, 0, NULL, NULL},
                                           {"host", MC_T_STRING, 0, NULL, NULL},
                                           {"path", MC_T_STRING, 0, NULL, NULL},
                                           {"port_policy", MC_T_STRING, 0, NULL, port_policies},
                                           {"port", MC_T_INT, 0, NULL, NULL},
                                           {"busy", MC_T_STRING, 0, NULL, busy_modes},
                                           {"callback_url", MC_T_STRING, 0, NULL, callback_urls},
                                           {"path_when_iss", MC_T_STRING, 0, NULL, NULL},
                                           {"path_with_cimd", MC_T_STRING, 0, NULL, NULL},
                                           END};
static const mc_field authorization_fields[] = {
    {"pkce", MC_T_STRING, 0, NULL, pkce_modes},
    {"verifier_length", MC_T_INT, 0, NULL, NULL},
    {"state", MC_T_BOOL, 0, NULL, NULL},
    {"verify_state", MC_T_BOOL, 0, NULL, NULL},
    {"resource", MC_T_BOOL, 0, NULL, NULL},
    {"resource_from", MC_T_STRING, 0, NULL, resource_froms},
    {"scope_order", MC_T_STRINGS, 0, NULL, scope_sources},
    {"iss", MC_T_STRING, 0, NULL, iss_modes},
    {"param_order", MC_T_STRINGS, 0, NULL, authz_params},
    {"scope_add", MC_T_STRINGS, 0, NULL, NULL},
    {"prompt", MC_T_STRING_OR_NULL, 0, NULL, NULL},
    END};
static const mc_field token_fields[] = {
    {"auth", MC_T_STRING, 0, NULL, token_auths},
    {"secret_auth_default", MC_T_STRING, 0, NULL, secret_auth_defaults},
    {"basic_refused_retry_post", MC_T_BOOL, 0, NULL, NULL},
    {"resource", MC_T_BOOL, 0, NULL, NULL},
    {"redirect_uri", MC_T_BOOL, 0, NULL, NULL},
    {"param_order", MC_T_STRINGS, 0, NULL, token_params},
    {"refresh_param_order", MC_T_STRINGS, 0, NULL, refresh_params},
    {"refresh_scope", MC_T_BOOL, 0, NULL, NULL},
    {"refresh_resource", MC_T_BOOL, 0, NULL, NULL},
    {"refresh_endpoint", MC_T_STRING, 0, NULL, refresh_endpoints},
    END};
static const mc_field mcp_fields[] = {{"protocol_version", MC_T_STRING, 0, NULL, NULL},
                                      {"accept", MC_T_STRING, 0, NULL, NULL},
                                      {"protocol_header", MC_T_BOOL, 0, NULL, NULL},
                                      {"mcp_method_header", MC_T_BOOL, 0, NULL, NULL},
                                      {"discover_first", MC_T_BOOL, 0, NULL, NULL},
                                      {"get_stream", MC_T_BOOL, 0, NULL, NULL},
                                      {"meta_protocol_version", MC_T_BOOL, 0, NULL, NULL},
                                      {"call_tool", MC_T_BOOL, 0, NULL, NULL},
                                      {"step_up", MC_T_STRING, 0, NULL, step_ups},
                                      {"step_up_limit", MC_T_INT, 0, NULL, NULL},
                                      {"step_up_reregister", MC_T_BOOL, 0, NULL, NULL},
                                      {"refresh", MC_T_BOOL, 0, NULL, NULL},
                                      END};
static const mc_field profile_fields[] = {
    {"id", MC_T_STRING, 1, NULL, NULL},
    {"client", MC_T_STRING, 1, NULL, NULL},
    {"client_version", MC_T_STRING, 1, NULL, NULL},
    {"spec_revision", MC_T_STRING, 1, NULL, revs},
    {"description", MC_T_STRING, 0, NULL, NULL},
    {"released", MC_T_STRING, 1, NULL, NULL},
    {"hosted", MC_T_BOOL, 0, NULL, NULL},
    {"evidence", MC_T_MAP_STRING, 0, NULL, NULL},
    {"probe", MC_T_OBJECT, 0, probe_fields, NULL},
    {"discovery", MC_T_OBJECT, 0, discovery_fields, NULL},
    {"registration", MC_T_OBJECT, 0, registration_fields, NULL},
    {"redirect", MC_T_OBJECT, 0, redirect_fields, NULL},
    {"authorization", MC_T_OBJECT, 0, authorization_fields, NULL},
    {"token", MC_T_OBJECT, 0, token_fields, NULL},
    {"mcp", MC_T_OBJECT, 0, mcp_fields, NULL},
    END};

const char *const mc_evidence_kinds[MC_EVIDENCE_KINDS] = {"recorded", "source", "doc", "issue",
                                                          "assumed"};

const char *mc_evidence_kind(const char *text)
{
    for (size_t i = 0; text && i < MC_EVIDENCE_KINDS; i++) {
        size_t n = strlen(mc_evidence_kinds[i]);
        if (strncmp(text, mc_evidence_kinds[i], n) == 0 && text[n] == ':')
            return mc_evidence_kinds[i];
    }
    return NULL;
}

const char *mc_profile_evidence(const mc_profile *p, const char *knob)
{
    const char *v = json_string_value(json_object_get(p->evidence, knob));
    if (v)
        return v;
    const char *dot = strchr(knob, '.');
    if (!dot)
        return NULL;
    char sect[64];
    snprintf(sect, sizeof sect, "%.*s", (int)(dot - knob), knob);
    return json_string_value(json_object_get(p->evidence, sect));
}

/* Which knob makes a client stop on each check that can stop it. */
static const struct {
    const char *check, *knob;
} deciding[] = {
    {"asm.issuer-matches", "discovery.check_issuer"},
    {"authz.iss-matches", "authorization.iss"},
    {"asm.pkce-methods", "discovery.pkce_metadata"},
    {"asm.no-null-fields", "discovery.reject_null_fields"},
    {"asm.available", "discovery.as_order"},
    {"prm.available", "discovery.prm_order"},
    {"prm.resource-matches", "discovery.prm_resource_check"},
    {"authz.state-echoed", "authorization.verify_state"},
    {"authz.loopback-any-port", "redirect"},
    {"reg.client-obtained", "registration.order"},
    {"reg.dcr-offered", "registration.rediscover"},
    {"token.success", "token.auth"},
    {"mcp.step-up-completed", "mcp.step_up"},
    {"probe.oauth-on-401", "probe.auth_trigger"},
    {"refresh.token-endpoint-found", "token.refresh_endpoint"},
    {"token.client-secret-sent", "registration.static_auth"},
};

const char *mc_deciding_knob(const char *check_id)
{
    for (size_t i = 0; check_id && i < sizeof deciding / sizeof *deciding; i++)
        if (strcmp(deciding[i].check, check_id) == 0)
            return deciding[i].knob;
    return NULL;
}

static const char *str(json_t *o, const char *sect, const char *key, const char *dflt)
{
    json_t *v = json_object_get(sect ? json_object_get(o, sect) : o, key);
    return json_is_string(v) ? json_string_value(v) : dflt;
}

static int flag(json_t *o, const char *sect, const char *key, int dflt)
{
    json_t *v = json_object_get(json_object_get(o, sect), key);
    return json_is_boolean(v) ? json_is_true(v) : dflt;
}

static int index_of(const char *const *names, const char *s)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return 0;
}

/* Reads an ordered list knob into out (as enum indices of names). */
static size_t order(json_t *o, const char *sect, const char *key, const char *const *names,
                    const char *dflt, int *out)
{
    json_t *v = json_object_get(json_object_get(o, sect), key);
    size_t n = 0;
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            if (n < MC_MAX_ORDER)
                out[n++] = index_of(names, json_string_value(e));
        }
        return n;
    }
    char *d = mc_xstrdup(dflt), *save = NULL;
    for (char *t = strtok_r(d, ",", &save); t && n < MC_MAX_ORDER; t = strtok_r(NULL, ",", &save))
        out[n++] = index_of(names, t);
    free(d);
    return n;
}

/* probe: the first request, its protocol version and headers, what a 401
 * and its challenge make the client do. */
static void load_probe(mc_profile *p, json_t *o, const char *rev)
{
    p->probe = (mc_probe_kind)index_of(probe_kinds, str(o, "probe", "request", "POST"));
    p->probe_method = mc_xstrdup(str(o, "probe", "method", "initialize"));
    p->probe_protocol_version = mc_xstrdup(str(o, "probe", "protocol_version", rev));
    p->probe_protocol_header = mc_xstrdup(str(o, "probe", "protocol_header", NULL));
    p->probe_accept = mc_xstrdup(str(o, "probe", "accept", "application/json, text/event-stream"));
    p->probe_mcp_method_header = flag(o, "probe", "mcp_method_header", 0);
    p->probe_meta = flag(o, "probe", "meta", 0);
    p->head_after_401 = flag(o, "probe", "head_after_401", 0);
    p->challenge_parse = index_of(challenge_parses, str(o, "probe", "challenge_parse", "rfc9110"));
    p->rm_drop_relative =
        strcmp(str(o, "probe", "resource_metadata_relative", "resolve"), "drop") == 0;
    p->rm_same_origin = flag(o, "probe", "resource_metadata_same_origin", 0);
    p->auth_connect_only = strcmp(str(o, "probe", "auth_trigger", "any-401"), "connect") == 0;
    p->auth_on_403 = flag(o, "probe", "auth_on_403", 0);
}

/* discovery: where the client looks for each metadata document, what it
 * accepts. */
static void load_discovery(mc_profile *p, json_t *o, const char *rev)
{
    int tmp[MC_MAX_ORDER];
    p->nprm = order(o, "discovery", "prm_order", prm_sources, "hint,path,root", tmp);
    for (size_t i = 0; i < p->nprm; i++)
        p->prm_order[i] = (mc_prm_source)tmp[i];
    p->prm_resource_check =
        (mc_res_check)index_of(res_checks, str(o, "discovery", "prm_resource_check", "exact"));
    p->prm_root_resource = (mc_root_resource)index_of(
        root_resources, str(o, "discovery", "prm_root_resource", "endpoint"));
    p->nas =
        order(o, "discovery", "as_order", as_sources, "oauth-insert,oidc-insert,oidc-append", tmp);
    for (size_t i = 0; i < p->nas; i++)
        p->as_order[i] = (mc_as_source)tmp[i];
    p->nas_also = order(o, "discovery", "as_also", as_sources, "", tmp);
    for (size_t i = 0; i < p->nas_also; i++)
        p->as_also[i] = (mc_as_source)tmp[i];
    p->pkce_metadata =
        (mc_pkce_md)index_of(pkce_md, str(o, "discovery", "pkce_metadata", "require"));
    json_t *ci = json_object_get(json_object_get(o, "discovery"), "check_issuer");
    p->check_issuer = json_is_string(ci)
                          ? (mc_issuer_check)index_of(issuer_checks, json_string_value(ci))
                      : json_is_false(ci) ? MC_ISSUER_IGNORE
                                          : MC_ISSUER_EXACT; /* true, or the default */
    p->legacy_fallback = flag(o, "discovery", "legacy_fallback", 0);
    p->legacy_issuer_mcp_url =
        strcmp(str(o, "discovery", "legacy_issuer", "origin"), "mcp-url") == 0;
    p->legacy_defaults = flag(o, "discovery", "legacy_defaults", 1);
    p->reject_null_fields = flag(o, "discovery", "reject_null_fields", 0);
    json_t *mph = json_object_get(json_object_get(o, "discovery"), "protocol_header");
    p->metadata_protocol_header = mc_xstrdup(mph ? json_string_value(mph) : rev);
    p->invalid_next = flag(o, "discovery", "invalid_next", 0);
    p->prm_without_as_origin =
        strcmp(str(o, "discovery", "prm_without_as", "stop"), "mcp-origin") == 0;
}

/* registration: the approaches in order, the DCR body, the metadata
 * document. */
static void load_registration(mc_profile *p, json_t *o)
{
    int tmp[MC_MAX_ORDER];
    p->nreg = order(o, "registration", "order", reg_methods, "static,cimd,dcr", tmp);
    for (size_t i = 0; i < p->nreg; i++)
        p->reg_order[i] = (mc_reg_method)tmp[i];
    p->honour_static = flag(o, "registration", "honour_static", 1);
    p->static_auth = mc_xstrdup(str(o, "registration", "static_auth", "client_secret_basic"));
    json_t *reg = json_object_get(o, "registration");
    json_t *body = json_object_get(reg, "dcr_body");
    p->dcr_body = body ? json_deep_copy(body)
                       : json_pack("{s:s, s:[s,s], s:[s], s:s}", "client_name", "mcpcompat",
                                   "grant_types", "authorization_code", "refresh_token",
                                   "response_types", "code", "token_endpoint_auth_method", "none");
    json_t *uris = json_object_get(reg, "dcr_redirect_uris");
    p->dcr_redirect_uris = uris ? json_deep_copy(uris) : json_pack("[s]", "{redirect_uri}");
    p->dcr_scope = flag(o, "registration", "dcr_scope", 0);
    p->dcr_scope_prm = strcmp(str(o, "registration", "dcr_scope_from", "selected"), "prm") == 0;
    p->dcr_grant_types_from_as = flag(o, "registration", "dcr_grant_types_from_as", 0);
    p->dcr_auth_from_as = json_incref(json_object_get(reg, "dcr_auth_from_as"));
    json_t *rd = json_object_get(json_object_get(o, "registration"), "rediscover");
    p->rediscover =
        json_is_string(rd) ? 1 + index_of(rediscovers, json_string_value(rd)) : json_is_true(rd);
    p->cimd_url = mc_xstrdup(str(o, "registration", "cimd_url", NULL));
    p->user_metadata = flag(o, "registration", "user_metadata", 0);
    p->cimd_document = json_incref(json_object_get(reg, "cimd_document"));
    p->cimd_requires_none = flag(o, "registration", "cimd_requires_none", 0);
}

/* redirect: the redirect URI and its port policy. Returns 0, or -1 (err). */
static int load_redirect(mc_profile *p, json_t *o, const char *path, mc_error *err)
{
    p->redirect_url = mc_xstrdup(str(o, "redirect", "url", NULL));
    p->redirect_host = mc_xstrdup(str(o, "redirect", "host", "127.0.0.1"));
    p->redirect_path = mc_xstrdup(str(o, "redirect", "path", "/callback"));
    p->redirect_path_iss = mc_xstrdup(str(o, "redirect", "path_when_iss", NULL));
    p->redirect_path_cimd = mc_xstrdup(str(o, "redirect", "path_with_cimd", NULL));
    p->port_policy =
        (mc_port_policy)index_of(port_policies, str(o, "redirect", "port_policy", "random"));
    json_t *port = json_object_get(json_object_get(o, "redirect"), "port");
    p->redirect_port = json_is_integer(port) ? (long)json_integer_value(port) : 0;
    p->busy_random = strcmp(str(o, "redirect", "busy", "random"), "random") == 0;
    p->callback_url =
        (mc_callback_url)index_of(callback_urls, str(o, "redirect", "callback_url", "none"));
    if (p->redirect_port < 0 || p->redirect_port > 65535 ||
        (p->port_policy == MC_PORT_FIXED && p->redirect_port == 0))
        return mc_error_set(err, path, 0, 0,
                            "redirect.port must be 1..65535 (and given when port_policy is fixed)");
    return 0;
}

/* authorization: PKCE, state, resource, scope sources, iss. Returns 0, or
 * -1 (err). */
static int load_authorization(mc_profile *p, json_t *o, const char *path, mc_error *err)
{
    int tmp[MC_MAX_ORDER];
    p->pkce = strcmp(str(o, "authorization", "pkce", "S256"), "S256") == 0;
    json_t *vl = json_object_get(json_object_get(o, "authorization"), "verifier_length");
    p->verifier_length = vl ? (int)json_integer_value(vl) : 43;
    if (p->verifier_length < 43 || p->verifier_length > 128)
        return mc_error_set(err, path, 0, 0, "authorization.verifier_length must be 43..128");
    p->send_state = flag(o, "authorization", "state", 1);
    p->verify_state = flag(o, "authorization", "verify_state", 1);
    p->send_resource = flag(o, "authorization", "resource", p->rev >= MC_REV_2025_06_18);
    p->resource_from_prm =
        index_of(resource_froms, str(o, "authorization", "resource_from", "mcp-url"));
    p->nscope =
        order(o, "authorization", "scope_order", scope_sources, "www-authenticate,prm", tmp);
    for (size_t i = 0; i < p->nscope; i++)
        p->scope_order[i] = (mc_scope_source)tmp[i];
    p->iss = (mc_iss_mode)index_of(iss_modes, str(o, "authorization", "iss", "ignore"));
    p->authz_param_order =
        json_incref(json_object_get(json_object_get(o, "authorization"), "param_order"));
    p->scope_add = json_incref(json_object_get(json_object_get(o, "authorization"), "scope_add"));
    p->prompt = mc_xstrdup(str(o, "authorization", "prompt", NULL));
    return 0;
}

/* token: client authentication and the parameters of the token requests. */
static void load_token(mc_profile *p, json_t *o)
{
    p->token_auth = mc_xstrdup(str(o, "token", "auth", "registered"));
    p->secret_auth_default = mc_xstrdup(str(o, "token", "secret_auth_default", "requested"));
    p->basic_refused_retry_post = flag(o, "token", "basic_refused_retry_post", 0);
    p->token_resource = flag(o, "token", "resource", p->send_resource);
    p->token_redirect_uri = flag(o, "token", "redirect_uri", 1);
    p->token_param_order = json_incref(json_object_get(json_object_get(o, "token"), "param_order"));
    p->refresh_param_order =
        json_incref(json_object_get(json_object_get(o, "token"), "refresh_param_order"));
    p->refresh_scope = flag(o, "token", "refresh_scope", 0);
    p->refresh_resource = flag(o, "token", "refresh_resource", p->token_resource);
    p->refresh_at_mcp_url = strcmp(str(o, "token", "refresh_endpoint", "login"), "mcp-url") == 0;
}

/* mcp: the MCP requests with a token, step-up, refresh. Returns 0, or -1
 * (err). */
static int load_mcp(mc_profile *p, json_t *o, const char *rev, const char *path, mc_error *err)
{
    p->mcp_protocol_version = mc_xstrdup(str(o, "mcp", "protocol_version", rev));
    p->mcp_accept = mc_xstrdup(str(o, "mcp", "accept", "application/json, text/event-stream"));
    p->mcp_protocol_header = flag(o, "mcp", "protocol_header", 1);
    p->mcp_method_header = flag(o, "mcp", "mcp_method_header", 0);
    p->mcp_discover_first = flag(o, "mcp", "discover_first", 0);
    p->mcp_get_stream = flag(o, "mcp", "get_stream", 0);
    p->mcp_meta_protocol_version = flag(o, "mcp", "meta_protocol_version", 0);
    p->mcp_call_tool = flag(o, "mcp", "call_tool", 0);
    p->step_up = index_of(step_ups, str(o, "mcp", "step_up", "none"));
    json_t *sl = json_object_get(json_object_get(o, "mcp"), "step_up_limit");
    p->step_up_limit = sl ? (int)json_integer_value(sl) : 3;
    if (p->step_up_limit < 0 || p->step_up_limit > 10)
        return mc_error_set(err, path, 0, 0, "mcp.step_up_limit must be 0..10 (0: no count)");
    p->step_up_reregister = flag(o, "mcp", "step_up_reregister", 0);
    p->mcp_refresh = flag(o, "mcp", "refresh", 0);
    return 0;
}

int mc_profile_load(const char *path, mc_profile **out, mc_error *err)
{
    json_t *o;
    *out = NULL;
    if (mc_schema_load(path, profile_fields, &o, err) != 0)
        return -1;
    mc_profile *p = mc_xcalloc(1, sizeof *p);
    p->path = mc_xstrdup(path);
    p->id = mc_xstrdup(str(o, NULL, "id", ""));
    p->client = mc_xstrdup(str(o, NULL, "client", ""));
    p->client_version = mc_xstrdup(str(o, NULL, "client_version", ""));
    p->released = mc_xstrdup(str(o, NULL, "released", ""));
    mc_rev_parse(str(o, NULL, "spec_revision", "2025-11-25"), &p->rev);
    p->evidence = json_incref(json_object_get(o, "evidence"));
    p->evidence_count = json_object_size(p->evidence);
    const char *ek;
    json_t *ev;
    json_object_foreach(p->evidence, ek, ev)
    {
        const char *kind = mc_evidence_kind(json_string_value(ev));
        for (size_t k = 0; kind && k < MC_EVIDENCE_KINDS; k++)
            p->kind_counts[k] += kind == mc_evidence_kinds[k];
    }
    p->hosted = json_is_true(json_object_get(o, "hosted"));
    const char *rev = mc_rev_names[p->rev];
    load_probe(p, o, rev);
    load_discovery(p, o, rev);
    load_registration(p, o);
    if (load_redirect(p, o, path, err) != 0 || load_authorization(p, o, path, err) != 0) {
        mc_profile_free(p);
        json_decref(o);
        return -1;
    }
    load_token(p, o);
    if (load_mcp(p, o, rev, path, err) != 0) {
        mc_profile_free(p);
        json_decref(o);
        return -1;
    }
    json_decref(o);
    *out = p;
    return 0;
}

void mc_profile_free(mc_profile *p)
{
    if (!p)
        return;
    free(p->path);
    free(p->id);
    free(p->client);
    free(p->client_version);
    free(p->released);
    json_decref(p->evidence);
    free(p->probe_method);
    free(p->probe_protocol_version);
    free(p->probe_protocol_header);
    free(p->probe_accept);
    free(p->metadata_protocol_header);
    free(p->static_auth);
    json_decref(p->dcr_body);
    json_decref(p->dcr_redirect_uris);
    json_decref(p->dcr_auth_from_as);
    free(p->cimd_url);
    json_decref(p->cimd_document);
    free(p->redirect_url);
    free(p->redirect_host);
    free(p->redirect_path);
    free(p->redirect_path_iss);
    free(p->redirect_path_cimd);
    json_decref(p->authz_param_order);
    json_decref(p->scope_add);
    free(p->prompt);
    free(p->token_auth);
    free(p->secret_auth_default);
    json_decref(p->token_param_order);
    json_decref(p->refresh_param_order);
    free(p->mcp_protocol_version);
    free(p->mcp_accept);
    free(p);
}

const mc_field *mc_profile_fields(void)
{
    return profile_fields;
}
