/* A profile: one client version's OAuth behaviour, as data. Every field is
 * a knob the client state machine reads; none is an expected outcome. */
#ifndef MC_PROFILE_H
#define MC_PROFILE_H

#include "checks.h"
#include "schema.h"

#include <jansson.h>

#define MC_MAX_ORDER 6

typedef enum { MC_PRM_HINT, MC_PRM_PATH, MC_PRM_ROOT } mc_prm_source;
typedef enum {
    MC_AS_OAUTH_INSERT,  /* /.well-known/oauth-authorization-server<path> */
    MC_AS_OIDC_INSERT,   /* /.well-known/openid-configuration<path> */
    MC_AS_OIDC_APPEND,   /* <issuer>/.well-known/openid-configuration */
    MC_AS_OAUTH_ROOT,    /* 2025-03-26: MCP origin, path discarded */
} mc_as_source;
typedef enum { MC_RES_EXACT, MC_RES_PREFIX, MC_RES_IGNORE } mc_res_check;
typedef enum { MC_REG_STATIC, MC_REG_CIMD, MC_REG_DCR } mc_reg_method;
typedef enum { MC_SCOPE_WWW, MC_SCOPE_PRM, MC_SCOPE_AS } mc_scope_source;
typedef enum { MC_ISS_IGNORE, MC_ISS_VALIDATE } mc_iss_mode;

typedef struct {
    char *path; /* the file it came from */
    char *id;
    char *client;
    char *client_version;
    mc_rev rev; /* the revision this client implements */
    size_t evidence_count;
    int hosted; /* runs its OAuth from the vendor's servers */

    /* probe */
    char *probe_method; /* JSON-RPC method of the first request */
    char *probe_protocol_version;
    int probe_protocol_header;

    /* discovery */
    mc_prm_source prm_order[MC_MAX_ORDER];
    size_t nprm;
    mc_res_check prm_resource_check;
    mc_as_source as_order[MC_MAX_ORDER];
    size_t nas;
    int require_pkce_metadata;
    int check_issuer;
    int default_endpoints; /* 2025-03-26 fallback to /authorize, /token, /register */
    int metadata_protocol_header;

    /* registration */
    mc_reg_method reg_order[MC_MAX_ORDER];
    size_t nreg;
    int honour_static;
    json_t *dcr_body; /* template; redirect_uris filled in */
    char *cimd_url;

    /* redirect */
    char *redirect_host;
    char *redirect_path;
    long redirect_port; /* 0 = an ephemeral port */

    /* authorization */
    int pkce;
    int send_state;
    int verify_state;
    int send_resource;
    mc_scope_source scope_order[MC_MAX_ORDER];
    size_t nscope;
    mc_iss_mode iss;

    /* token */
    char *token_auth; /* "registered", "none", "client_secret_basic", "client_secret_post" */
    int token_resource;
    int token_redirect_uri;

    /* mcp-call */
    char *mcp_protocol_version;
    char *mcp_accept;
} mc_profile;

int mc_profile_load(const char *path, mc_profile **out, mc_error *err);
void mc_profile_free(mc_profile *p);

typedef struct {
    mc_profile **items;
    size_t n;
} mc_profiles;

/* Loads every *.json in dir, sorted by id. */
int mc_profiles_load_dir(const char *dir, mc_profiles *out, mc_error *err);
/* By exact id, or by client name (the newest version of that client). */
mc_profile *mc_profiles_find(const mc_profiles *ps, const char *id);
void mc_profiles_free(mc_profiles *ps);

#endif
