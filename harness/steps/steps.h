/* Room steps/: one file per handshake step, the headless user agent, the
 * client state they fill; calls data/, model/, wire/. */
/* One function per step; each records exchanges and checks into its step
 * result and says whether the emulated client carries on. */
#ifndef MC_STEPS_H
#define MC_STEPS_H

#include "footprint.h"
#include "state.h"

mc_step_rc mc_step_probe(mc_client *c, mc_step_result *s);
mc_step_rc mc_step_resource_metadata(mc_client *c, mc_step_result *s);
mc_step_rc mc_step_as_metadata(mc_client *c, mc_step_result *s);
/* Looks the registration endpoint up again from the metadata's own issuer
 * (registration.rediscover, Gemini CLI) and sets c->reg_ep: 0, or -1 when
 * no metadata answers there (a check is recorded). */
int mc_asm_rediscover(mc_client *c, mc_step_result *s);
mc_step_rc mc_step_registration(mc_client *c, mc_step_result *s);
mc_step_rc mc_step_authorization(mc_client *c, mc_step_result *s);
mc_step_rc mc_step_token(mc_client *c, mc_step_result *s);
/* token.basic_refused_retry_post: whether rs, the answer to an exchange with
 * client authentication method, is a refused Basic to send again, secret in
 * the body (token.c; the refresh step too) */
int mc_basic_refused(const mc_client *c, const char *method, const mc_response *rs);
mc_step_rc mc_step_mcp_call(mc_client *c, mc_step_result *s);
mc_step_rc mc_step_refresh(mc_client *c, mc_step_result *s);
/* One authorized JSON-RPC request with the profile's headers; the status. */
long mc_mcp_request(mc_client *c, mc_step_result *s, const char *method);
/* What the client keeps from an answer to its opening request (method:
 * initialize or server/discover) made without a token; 1 when it carried a
 * result. */
int mc_mcp_opened(mc_client *c, const char *method, const mc_response *rs);
/* The client's lifecycle without a token from stage from, until a request
 * draws 401: returns that stage (c->auth_started_at names it, *www is its
 * challenge, owned, may be NULL), MC_LC_DONE when every request was
 * answered, or -1 when one was refused otherwise (recorded in s). */
int mc_mcp_anonymous(mc_client *c, mc_step_result *s, int from, char **www);

/* The headless user agent: follows the authorization redirects, submits
 * login and consent forms, and stops at the redirect URI. */
typedef struct {
    char *code; /* secret */
    char *state;
    char *iss;
    int has_iss;
    char *error; /* error=… from the redirect */
    char *error_description;
    long refused_status; /* the AS answered with a page, not a redirect */
    char *refused_text;  /* excerpt of that page */
} mc_ua_result;

/* Returns 0 when the redirect URI was reached (with a code or an error),
 * -1 when it was not (refused_* or a transport error in *why). */
int mc_ua_authorize(mc_client *c, mc_step_result *s, const char *url, mc_ua_result *out,
                    char **why);
void mc_ua_result_free(mc_ua_result *r);
/* The same outcome, by --login-command or --login manual (login.c). */
int mc_login_command(mc_client *c, const char *url, mc_ua_result *out, char **why);
int mc_login_manual(mc_client *c, const char *url, mc_ua_result *out, char **why);

/* Shared helpers. */
/* When the AS metadata's grant_types_supported names no grant this client
 * implements (every profile does authorization_code): why, owned; else
 * NULL. A refusal then is no flow of this client's, not an AS failure. */
char *mc_no_client_flow(const mc_client *c);
/* GET url expecting a JSON object; returns the object (owned) or NULL.
 * *status gets the HTTP status (0 on transport failure). */
json_t *mc_get_json(mc_client *c, mc_step_result *s, const char *url, long *status,
                    char **media_type);
/* Why the last mc_get_json of this client found no document (static text,
 * or NULL when it found one). */
const char *mc_get_json_problem(const mc_client *c);
/* mcp-remote's callback port for a server URL. */
long mc_hash_port(const char *url, const char *cimd_url);
/* The redirect URI profile p uses with the given port (deterministic). */
char *mc_redirect_uri_for(const mc_profile *p, const mc_client_config *cfg, long port);
/* The vendor's Client ID Metadata Document URL for profile p, or NULL. */
char *mc_vendor_cimd_url(const mc_profile *p, const mc_client_config *cfg);
/* MCP 2025-11-25 scope selection in the profile's order; owned or NULL. */
char *mc_select_scope(const mc_client *c);
/* "{name}" placeholders in s replaced; owned. */
char *mc_fill_template(const char *s, const char *const *names, const char *const *values);

/* An x-www-form-urlencoded string of the names whose value is not NULL, in
 * the profile's order (a JSON array of names, may be NULL); names it does
 * not list follow in the given order. Owned. */
char *mc_form_ordered(const json_t *order, const char *const *names, const char *const *values,
                      size_t n);

/* Request headers built for one exchange. */
typedef struct {
    char *items[MC_HTTP_MAX_REQ_HEADERS];
    size_t n;
} mc_hdrs;
void mc_hdrs_add(mc_hdrs *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copies the headers into rq (borrowed: free h after the exchange). */
void mc_hdrs_apply(const mc_hdrs *h, mc_request *rq);
void mc_hdrs_free(mc_hdrs *h);
/* Authorization: Basic with both parts form-encoded first (RFC 6749 §2.3.1). */
void mc_hdrs_add_basic(mc_hdrs *h, const char *id, const char *secret);
/* Performs rq with headers h on the client's connection and records the
 * exchange in s; frees h. Returns mc_http_do's result. */
int mc_client_exchange(mc_client *c, mc_step_result *s, mc_request *rq, mc_hdrs *h,
                       mc_response *rs);

#endif
