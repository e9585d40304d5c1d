/* The emulated client's state that the steps read and fill: the user's
 * configuration, the lifecycle stages, what each step learns. */
#ifndef MC_STATE_H
#define MC_STATE_H

#include "../data/profile.h"
#include "../model/result.h"
#include "../wire/http.h"

#include <jansson.h>

/* An access token living this many seconds or less expires during a run:
 * clients that refresh then show it (the optional refresh step). */
#define MC_SHORT_TOKEN_TTL 10

typedef struct {
    const char *mcp_url;
    const char *client_id; /* pre-registered client for this profile, or NULL */
    const char *client_secret;
    const char *login_user; /* for HTML login forms */
    const char *login_password;
    mc_http_opts http;
    mc_rev rev;                          /* the revision checks are judged by */
    const char *resource;                /* ask for a token for this resource instead */
    const char *server_name;             /* what the user named the server in the client */
    long callback_port;                  /* a configured callback port, or 0 */
    const char *cimd_url;                /* a metadata document the user hosts (--cimd-url) */
    const char *callback_url;            /* a redirect URI the user configured the client with */
    const json_t *registration_metadata; /* the user's additions to the DCR body */
    int omit_pkce;                       /* server suite: an authorization request without PKCE */
    const char *login_command;           /* --login-command CMD */
    int login_manual;                    /* --login manual */
    long login_timeout;                  /* seconds for either */
    int refresh;                    /* --refresh: exercise refresh whatever the token's lifetime */
    const json_t *busy_ports;       /* the scenario's taken ports (array of integers), or NULL */
    struct mc_footprint *footprint; /* what this run's clients share, or NULL */
    int reuse_registration;         /* server suite: the registration this profile made earlier */
} mc_client_config;

/* A Retry-After up to this many seconds is waited out once when a run's own
 * requests drew the 429 and no --max-time bounds the run. */
#define MC_RETRY_AFTER_WAIT 10

/* The client's MCP lifecycle, in order. A client whose first requests are
 * answered without a token authorizes at the first 401, wherever it comes,
 * and resumes its session at that request (issue 13). */
typedef enum {
    MC_LC_OPEN,        /* initialize, or server/discover */
    MC_LC_INITIALIZED, /* notifications/initialized */
    MC_LC_STREAM,      /* the GET that opens the SSE stream */
    MC_LC_LIST,        /* tools/list */
    MC_LC_CALL,        /* tools/call of the first tool */
    MC_LC_DONE
} mc_lc_stage;

typedef struct {
    const mc_profile *p;
    const mc_client_config *cfg;
    mc_http http;    /* the client's own HTTP stack: no cookies, the profile's headers */
    mc_http browser; /* the browser it opens the authorization URL in: its own cookies */
    mc_rev rev;

    /* what the steps learn, in step order */
    char *www_resource_metadata;
    char *www_scope;
    json_t *prm;
    char *issuer;
    json_t *as_meta;
    char *authz_ep, *token_ep, *reg_ep;
    int iss_supported;
    char *redirect_uri;
    char *client_id;
    char *client_secret; /* secret */
    char *client_auth;   /* none | client_secret_basic | client_secret_post */
    int secret_dropped;  /* a configured secret the client does not send (static_auth none) */
    int auth_unnamed;    /* client_auth chosen by token.secret_auth_default: the DCR answer
                          * named no method the client took */
    char *verifier;      /* secret */
    char *state;
    char *scope;
    char *resource;
    char *code;          /* secret */
    char *access_token;  /* secret */
    char *refresh_token; /* secret */
    long expires_in;     /* of the access token, 0 when not given */
    char *session_id;
    char *protocol_version; /* negotiated by initialize (or server/discover) */
    int json_id;
    int no_probe;        /* the client skipped the probe: discovery starts blind */
    char *redirect_note; /* e.g. why the callback port is not the usual one */
    int redirect_random; /* the callback port is one the client drew at random */
    int registrations;   /* how often this client obtained a client id (VS Code registers anew) */
    char *rate_limited;  /* the run's own requests drew a 429: why the client did not run */
    const char *json_problem;       /* why the last metadata fetch was not usable */
    char json_problem_buf[320];     /* its text when it names a transfer error */
    struct mc_cimd_host *cimd_host; /* the harness-hosted metadata document, if any */

    /* where authorization started (issue 13) */
    int resume_at;         /* mc_lc_stage the authorized session starts from */
    int discovered;        /* the session was opened with server/discover */
    int no_discover;       /* server/discover was refused: initialize instead */
    char *tool;            /* the first listed tool, once tools/list answered */
    int user_calls_tool;   /* a client that calls no tool by itself: its user does */
    char *auth_started_at; /* the request that drew the first 401, or NULL */
    char *public_requests[MC_LC_DONE + 1]; /* answered without a token, in order */
    size_t npublic;
} mc_client;

typedef enum {
    MC_GO,          /* the client carries on */
    MC_STOP,        /* the client stops: the step failed */
    MC_UNREACHABLE, /* the target could not be reached at all (exit 3) */
} mc_step_rc;

#endif
