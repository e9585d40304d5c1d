/* A profile: one client version's OAuth behaviour, as data. Every field is
 * a knob the client state machine reads; none is an expected outcome. */
#ifndef MC_PROFILE_H
#define MC_PROFILE_H

#include "../model/checks.h"
#include "schema.h"

#include <jansson.h>

#define MC_MAX_ORDER 6

/* What a piece of evidence rests on, strongest first (profiles/README.md):
 * recorded, source, doc, issue, assumed. */
#define MC_EVIDENCE_KINDS 5
extern const char *const mc_evidence_kinds[MC_EVIDENCE_KINDS];

typedef enum { MC_PRM_HINT, MC_PRM_PATH, MC_PRM_PATH_APPENDED, MC_PRM_ROOT } mc_prm_source;
typedef enum {
    MC_AS_OAUTH_INSERT, /* /.well-known/oauth-authorization-server<issuer path> */
    MC_AS_OIDC_INSERT,  /* /.well-known/openid-configuration<issuer path> */
    MC_AS_OIDC_APPEND,  /* <issuer>/.well-known/openid-configuration */
    MC_AS_OAUTH_ORIGIN, /* the issuer's origin, path dropped */
    MC_AS_OIDC_ORIGIN,
    MC_AS_MCP_ORIGIN, /* 2025-03-26: the MCP server's origin */
    MC_AS_MCP_ORIGIN_OIDC,
} mc_as_source;
/* A PRM `resource` that is not the MCP URL: refused unless equal; refused
 * unless a same-origin path prefix; ignored; or the PRM dropped (the
 * client carries on without it) unless equal, or unless a same-origin
 * path prefix (claude.ai connectors). */
typedef enum {
    MC_RES_EXACT,
    MC_RES_PREFIX,
    MC_RES_IGNORE,
    MC_RES_DROP,
    MC_RES_DROP_PREFIX
} mc_res_check;
typedef enum { MC_ROOT_RES_ENDPOINT, MC_ROOT_RES_ORIGIN } mc_root_resource;
typedef enum { MC_PKCE_MD_REQUIRE, MC_PKCE_MD_IF_PRESENT, MC_PKCE_MD_IGNORE } mc_pkce_md;
typedef enum { MC_REG_STATIC, MC_REG_CIMD, MC_REG_DCR } mc_reg_method;
typedef enum { MC_SCOPE_WWW, MC_SCOPE_PRM, MC_SCOPE_AS } mc_scope_source;
typedef enum { MC_ISS_IGNORE, MC_ISS_IF_PRESENT, MC_ISS_REQUIRE, MC_ISS_RFC9207 } mc_iss_mode;
/* RFC 8414 §3.3: the metadata's issuer against the issuer it was looked up
 * for: not compared; string equality; equality, or the looked-up issuer
 * ending with "/" and the metadata's being it without (TypeScript SDK v2);
 * equality once a trailing "/" is dropped from either (Codex's rmcp). */
typedef enum {
    MC_ISSUER_IGNORE,
    MC_ISSUER_EXACT,
    MC_ISSUER_SLASH_TOLERANT,
    MC_ISSUER_SLASH_INSENSITIVE
} mc_issuer_check;
typedef enum { MC_PORT_RANDOM, MC_PORT_FIXED, MC_PORT_HASH } mc_port_policy;
/* A callback URL the user configures: not offered, used as given, or used
 * with the client's per-server id appended (Codex). */
typedef enum { MC_CALLBACK_NONE, MC_CALLBACK_VERBATIM, MC_CALLBACK_APPEND_ID } mc_callback_url;
typedef enum { MC_PROBE_POST, MC_PROBE_GET, MC_PROBE_NONE, MC_PROBE_HEAD } mc_probe_kind;
/* How a client reads WWW-Authenticate (reference/clients.md): the whole
 * RFC 9110 grammar; only when the first challenge is Bearer (TypeScript SDK);
 * only a challenge named exactly "Bearer" (VS Code); a regex for a quoted
 * resource_metadata anywhere, scope ignored (Gemini CLI). */
enum {
    MC_CHALLENGE_RFC,
    MC_CHALLENGE_FIRST_BEARER,
    MC_CHALLENGE_EXACT_BEARER,
    MC_CHALLENGE_QUOTED_REGEX
};

typedef struct {
    char *path; /* the file it came from */
    char *id;
    char *client;
    char *client_version;
    char *released; /* "YYYY-MM" of the behaviour era; orders "newest" */
    mc_rev rev;     /* the revision this client implements */
    size_t evidence_count;
    json_t *evidence;                      /* "section.knob" → "KIND: text" (owned) */
    size_t kind_counts[MC_EVIDENCE_KINDS]; /* entries per kind (mc_evidence_kinds) */
    int hosted;                            /* runs its OAuth from the vendor's servers */

    /* probe */
    mc_probe_kind probe;
    int auth_connect_only; /* a 401 after initialize and initialized does not start OAuth */
    int auth_on_403;       /* a 403 to an unauthenticated request starts OAuth too */
    char *probe_method;    /* JSON-RPC method of a POST probe */
    char *probe_protocol_version;
    char *probe_protocol_header; /* MCP-Protocol-Version on the probe, or NULL */
    char *probe_accept;
    int probe_mcp_method_header;
    int probe_meta; /* revision, client info and capabilities in params._meta (server/discover) */
    int head_after_401;
    int challenge_parse;  /* MC_CHALLENGE_* */
    int rm_drop_relative; /* a relative resource_metadata is dropped, not resolved */
    int rm_same_origin;   /* a resource_metadata on another origin is ignored */

    /* discovery */
    mc_prm_source prm_order[MC_MAX_ORDER];
    size_t nprm;
    mc_res_check prm_resource_check;
    mc_root_resource prm_root_resource;
    mc_as_source as_order[MC_MAX_ORDER];
    size_t nas;
    mc_as_source as_also[MC_MAX_ORDER]; /* a second discovery pass, result unused */
    size_t nas_also;
    mc_pkce_md pkce_metadata;
    mc_issuer_check check_issuer;
    int legacy_fallback;       /* no PRM: AS at the MCP origin; no metadata: default endpoints */
    int legacy_issuer_mcp_url; /* legacy: the AS issuer is the MCP URL, path and all (Auggie) */
    int legacy_defaults;       /* legacy, no metadata: the default endpoints (else it stops) */
    int reject_null_fields;    /* a null metadata field makes the document unusable */
    char *metadata_protocol_header; /* or NULL */
    int invalid_next;               /* a metadata document failing validation: try the next URL */
    int prm_without_as_origin; /* PRM without authorization_servers: the MCP origin is the AS */

    /* registration */
    mc_reg_method reg_order[MC_MAX_ORDER];
    size_t nreg;
    int honour_static;
    char *static_auth;
    json_t *dcr_body;          /* template: "{server-name}" is replaced */
    json_t *dcr_redirect_uris; /* templates: "{redirect_uri}" is the one in use */
    int dcr_scope;
    int dcr_scope_prm; /* the DCR scope is the PRM's scopes_supported, not the selected scope */
    int dcr_grant_types_from_as; /* keep only the grant types the AS lists */
    json_t *dcr_auth_from_as;    /* token_endpoint_auth_method preference list, checked
                                    against the AS's methods (mcp-remote); NULL: the body's */
    /* DCR's endpoint looked up again: 0 no; 1 from the metadata's issuer
     * (Gemini CLI); 2 at the authorization endpoint's origin, when discovery
     * followed the challenge's resource_metadata (Qwen Code) */
    int rediscover;
    char *cimd_url;
    int user_metadata;      /* the user's registration metadata is merged into the DCR body */
    json_t *cimd_document;  /* what the vendor publishes at cimd_url, or NULL */
    int cimd_requires_none; /* CIMD only when the AS lists `none` among its token auth methods */

    /* redirect */
    char *redirect_url; /* a fixed redirect URI (hosted clients), or NULL */
    char *redirect_host;
    char *redirect_path;      /* may hold "{server-id}" */
    char *redirect_path_iss;  /* the path when the AS advertises RFC 9207 iss, or NULL */
    char *redirect_path_cimd; /* the path when a metadata document is the client id, or NULL */
    mc_port_policy port_policy;
    long redirect_port;
    int busy_random;              /* a busy fixed port: fall back to a random one (else fail) */
    mc_callback_url callback_url; /* what a callback URL the user configures does */

    /* authorization */
    int pkce;
    int verifier_length;
    int send_state;
    int verify_state;
    int send_resource;
    int resource_from_prm; /* the `resource` sent: 0 the MCP URL, 1 the accepted PRM's as it
                              is written, 2 the PRM's as a URL parser writes it back */
    mc_scope_source scope_order[MC_MAX_ORDER];
    size_t nscope;
    mc_iss_mode iss;
    json_t *authz_param_order; /* array of names, or NULL */
    json_t *scope_add;         /* scopes always asked for after the selected ones, or NULL */
    char *prompt;              /* the `prompt` parameter (OIDC), or NULL */

    /* token */
    char *token_auth; /* "registered", "none", "client_secret_basic", "client_secret_post" */
    char *secret_auth_default;    /* a DCR secret whose answer names no method: "requested",
                                     "client_secret_basic", "client_secret_post", "as-metadata" */
    int basic_refused_retry_post; /* a refused Basic exchange is sent again, secret in the body */
    int token_resource;
    int token_redirect_uri;
    json_t *token_param_order;
    json_t *refresh_param_order;
    int refresh_scope;      /* the refresh request repeats the scope */
    int refresh_resource;   /* the refresh request sends resource (default: token.resource) */
    int refresh_at_mcp_url; /* the refresh looks its token endpoint up at the MCP URL, then
                               the MCP origin, not at the login's AS (mcpc) */

    /* mcp-call */
    char *mcp_protocol_version;
    char *mcp_accept;
    int mcp_protocol_header;
    int mcp_method_header;
    int mcp_discover_first;
    int mcp_get_stream;
    int mcp_meta_protocol_version; /* _meta io.modelcontextprotocol/protocolVersion */
    int mcp_call_tool;             /* tools/call the first tool after tools/list */
    int step_up;                   /* 0 none, 1 the challenged scopes, 2 their union with ours */
    int step_up_limit;      /* re-authorizations for one request; 0: no count (a repeat stops it) */
    int step_up_reregister; /* refused again after a step-up: register and log in anew, once */
    int mcp_refresh;        /* the optional refresh step */
} mc_profile;

int mc_profile_load(const char *path, mc_profile **out, mc_error *err);
/* The kind an evidence entry names ("recorded: …" → "recorded"), or NULL
 * when it names none. */
const char *mc_evidence_kind(const char *text);
/* The evidence for a knob ("section.knob"): its own entry, else its
 * section's (borrowed; NULL when the profile cites none). */
const char *mc_profile_evidence(const mc_profile *p, const char *knob);
/* The profile knob whose value decides whether a client stops on a failed
 * check ("asm.issuer-matches" → "discovery.check_issuer"), or NULL when no
 * one knob does (the server refused what the client sent). */
const char *mc_deciding_knob(const char *check_id);
void mc_profile_free(mc_profile *p);

typedef struct {
    mc_profile **items;
    size_t n;
} mc_profiles;

/* Loads every *.json in dir, sorted by id. */
int mc_profiles_load_dir(const char *dir, mc_profiles *out, mc_error *err);
/* By the path it was loaded from, exact id, or client name (the newest
 * version of that client). */
mc_profile *mc_profiles_find(const mc_profiles *ps, const char *id);
/* What a user typed (--profile, `profiles ID`): a path, an exact id, the
 * displayed name ("VS Code (Copilot)", "VS Code (Copilot) 1.122", any case),
 * or an id's client part ("vscode": its newest version). Returns the
 * profile, or NULL with *why (owned) naming the candidates: those a prefix
 * matches in several clients ("claude": claude-code, claude-desktop), else
 * the nearest names of a misspelling. */
mc_profile *mc_profiles_resolve(const mc_profiles *ps, const char *sel, char **why);
void mc_profiles_free(mc_profiles *ps);

/* The named sets of profiles: "current" (the newest profile of each real
 * client: what `run` runs by default), "reference" (the spec-* reference
 * clients), "all". */
extern const char *const mc_profile_sets[];
/* 1 when p is in the set, 0 when not, -1 when name is no set. */
int mc_profile_in_set(const mc_profiles *all, const mc_profile *p, const char *name);
/* The table profile files are checked against (mc_schema_json writes it out). */
const mc_field *mc_profile_fields(void);

#endif
