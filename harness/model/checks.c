#include "checks.h"

#include "../wire/buf.h"
#include "../wire/suggest.h"

#include <stdlib.h>
#include <string.h>

const char *const mc_step_names[MC_STEP_COUNT + 1] = {
    "probe", "resource-metadata", "as-metadata", "registration", "authorization",
    "token", "mcp-call",          "refresh",     "server",
};

const char *const mc_rev_names[MC_REV_COUNT] = {"2025-03-26", "2025-06-18", "2025-11-25",
                                                "2026-07-28"};

int mc_rev_parse(const char *s, mc_rev *rev)
{
    for (int i = 0; i < MC_REV_COUNT; i++) {
        if (s && strcmp(s, mc_rev_names[i]) == 0) {
            *rev = (mc_rev)i;
            return 0;
        }
    }
    return -1;
}

char *mc_rev_unknown(const char *s, int all)
{
    const char *names[MC_REV_COUNT + 1];
    size_t n = 0;
    mc_buf list;
    mc_buf_init(&list, 0);
    for (int i = 0; i < MC_REV_COUNT; i++) {
        names[n++] = mc_rev_names[i];
        mc_buf_printf(&list, "%s%s", i ? ", " : "", mc_rev_names[i]);
    }
    if (all) {
        names[n++] = "all";
        mc_buf_adds(&list, ", all");
    }
    char *near = NULL;
    mc_suggest(s ? s : "", names, n, 2, &near);
    char *m = mc_xasprintf("unknown revision%s%s%s (%s)", near ? ": did you mean " : "",
                           near ? near : "", near ? "?" : "", list.data);
    free(near);
    mc_buf_free(&list);
    return m;
}

const char *mc_keyword_name(mc_keyword kw)
{
    static const char *const names[] = {"-", "MAY", "SHOULD", "MUST"};
    return names[kw];
}

#define NONE MC_KW_NONE
#define MAY MC_KW_MAY
#define SHOULD MC_KW_SHOULD
#define MUST MC_KW_MUST

/* Keywords per revision: 2025-03-26, 2025-06-18, 2025-11-25, 2026-07-28.
 * "ref:" requirements of the RFCs that MCP builds on count as that RFC's
 * keyword in every revision that uses the mechanism. */
// clang-format off
const mc_check_def mc_checks[] = {
    /* probe */
    {"probe.status-401", "S1-01", MC_STEP_PROBE, "server", {MUST, MUST, MUST, MUST},
     "MCP-authorization error-handling; RFC6750-3",
     "An MCP request without credentials is answered 401 Unauthorized",
     "Answer unauthenticated requests with 401 before doing any MCP work"},
    {"probe.bearer-challenge", "S1-02", MC_STEP_PROBE, "server", {MUST, MUST, MUST, MUST},
     "RFC6750-3; RFC9110-11.6.1",
     "The 401 carries a parseable WWW-Authenticate header with a Bearer challenge",
     "Send `WWW-Authenticate: Bearer resource_metadata=\"…\"` with every 401"},
    {"probe.challenge-params-once", "S2-04", MC_STEP_PROBE, "server", {MUST, MUST, MUST, MUST},
     "RFC6750-3",
     "realm, scope, error, error_description and error_uri appear at most once",
     "Emit each challenge parameter once"},
    {"probe.no-error-without-credentials", "S1-03", MC_STEP_PROBE, "server", {SHOULD, SHOULD, SHOULD, SHOULD},
     "RFC6750-3.1",
     "No error attribute on the challenge to a request that carried no credentials",
     "Leave out error=\"…\" when the request had no Authorization header"},
    {"probe.resource-metadata-param", "S2-01", MC_STEP_PROBE, "server", {NONE, MUST, SHOULD, SHOULD},
     "RFC9728-5.1; MCP-2025-06-18 authorization-server-location",
     "The 401 challenge names the protected resource metadata (resource_metadata=)",
     "Add resource_metadata=\"<PRM URL>\" to the Bearer challenge"},
    {"probe.scope-param", "S2-02", MC_STEP_PROBE, "server", {NONE, NONE, SHOULD, SHOULD},
     "MCP-2025-11-25 scope-selection-strategy; RFC6750-3",
     "The 401 challenge names the scopes needed (scope=)",
     "Add scope=\"…\" with the scopes the request needs"},
    {"transport.https", "S0-02", MC_STEP_PROBE, "server", {MUST, MUST, MUST, MUST},
     "OAuth2.1-1.5",
     "The MCP endpoint is served over https (http only for loopback development)",
     "Serve the MCP endpoint over TLS"},
    {"transport.rate-limited", "S0-04", MC_STEP_PROBE, "server", {SHOULD, SHOULD, SHOULD, SHOULD},
     "RFC6585-4; RFC9110-10.2.3",
     "The handshake is not refused with 429 Too Many Requests",
     "Exempt the OAuth handshake from rate limits a single login can hit, or send Retry-After"},
    {"asm.no-null-fields", "S4-06", MC_STEP_ASM, "as", {SHOULD, SHOULD, SHOULD, SHOULD},
     "RFC8414-3.2",
     "Metadata omits unsupported fields instead of sending null",
     "Leave fields out rather than setting them to null (TypeScript SDK clients reject null)"},
    /* resource-metadata */
    {"prm.available", "S3-01", MC_STEP_PRM, "server", {NONE, MUST, MUST, MUST},
     "RFC9728-3; MCP-2025-06-18 authorization-server-location",
     "Protected resource metadata is served where the client looks for it",
     "Serve RFC 9728 metadata at the resource_metadata URL or at /.well-known/oauth-protected-resource<path>"},
    {"prm.json", "S3-02", MC_STEP_PRM, "server", {NONE, MUST, MUST, MUST},
     "RFC9728-3.2",
     "The metadata is a JSON object served as application/json",
     "Return the metadata as a JSON object with Content-Type: application/json"},
    {"prm.authorization-servers", "S3-03", MC_STEP_PRM, "server", {NONE, MUST, MUST, MUST},
     "MCP-2025-06-18 authorization-server-location; RFC9728-2",
     "authorization_servers lists at least one issuer URL",
     "List your authorization server's issuer in authorization_servers"},
    {"prm.resource-present", "S3-04", MC_STEP_PRM, "server", {NONE, MUST, MUST, MUST},
     "RFC9728-2",
     "The metadata has a resource field",
     "Add resource: \"<MCP URL>\""},
    {"prm.resource-matches", "S3-05", MC_STEP_PRM, "server", {NONE, MUST, MUST, MUST},
     "RFC9728-3.3",
     "resource is identical to the resource the metadata was fetched for",
     "Set resource to the exact MCP endpoint URL the clients use"},
    {"prm.scopes-supported", "S3-08", MC_STEP_PRM, "server", {NONE, SHOULD, SHOULD, SHOULD},
     "RFC9728-2; MCP-2025-11-25 scope-minimization",
     "scopes_supported is published",
     "Publish the minimal scopes_supported set"},
    /* as-metadata */
    {"asm.available", "S4-02", MC_STEP_ASM, "as", {SHOULD, MUST, MUST, MUST},
     "RFC8414-3; OIDC-Discovery-4; MCP-2025-11-25 authorization-server-metadata-discovery",
     "Authorization server metadata is found at one of the URLs the client probes",
     "Serve RFC 8414 metadata at /.well-known/oauth-authorization-server<issuer path>"},
    {"asm.client-discovery-urls", "S4-05", MC_STEP_ASM, "client", {NONE, NONE, MUST, MUST},
     "MCP-2025-11-25 authorization-server-metadata-discovery",
     "The client asks for authorization server metadata only at the well-known URLs the spec lists for the issuer (for an issuer with a path: path insertion for RFC 8414 and OIDC, then OIDC appending; not the origin's root)",
     "Nothing to change on the server: a deviation of the client, to report to its maintainers (metadata at the root of the issuer's origin could belong to another authorization server)"},
    {"asm.required-fields", "S4-06", MC_STEP_ASM, "as", {MUST, MUST, MUST, MUST},
     "RFC8414-2",
     "issuer, authorization_endpoint, token_endpoint and response_types_supported (with code) are present",
     "Publish every REQUIRED RFC 8414 field"},
    {"asm.issuer-matches", "S4-07", MC_STEP_ASM, "as", {MUST, MUST, MUST, MUST},
     "RFC8414-3.3; OIDC-Discovery-4.3",
     "issuer is identical to the issuer the metadata URL was built from",
     "Make issuer equal the URL listed in authorization_servers"},
    {"asm.pkce-methods", "S4-08", MC_STEP_ASM, "as", {NONE, NONE, MUST, MUST},
     "MCP-2025-11-25 authorization-code-protection; RFC8414-2",
     "code_challenge_methods_supported is published and contains S256",
     "Add \"code_challenge_methods_supported\": [\"S256\"]"},
    {"asm.endpoints-https", "S0-01", MC_STEP_ASM, "as", {MUST, MUST, MUST, MUST},
     "OAuth2.1-1.5; MCP communication-security",
     "Authorization server endpoints use https (http only on loopback)",
     "Serve the authorization server over TLS"},
    {"asm.grant-implemented", "S6-01", MC_STEP_ASM, "client", {MUST, MUST, MUST, MUST},
     "RFC8414-2 (grant_types_supported); OAuth2.1-4.1; MCP-2025-11-25 authorization (client_credentials: the SEP-1046 extension)",
     "The authorization server offers a grant this client implements (authorization_code, for a client acting for a user)",
     "Offer authorization_code with PKCE to interactive MCP clients; client_credentials alone serves only clients that implement the client-credentials extension"},
    /* registration */
    {"reg.dcr-offered", "S5-10", MC_STEP_REGISTRATION, "as", {SHOULD, SHOULD, MAY, MAY},
     "RFC7591; MCP-2025-11-25 dynamic-client-registration",
     "A registration_endpoint is advertised for clients that rely on DCR",
     "Offer DCR, or put a DCR proxy in front that maps clients onto a pre-registered upstream client"},
    {"reg.dcr-response", "S5-11", MC_STEP_REGISTRATION, "as", {MUST, MUST, MUST, MUST},
     "RFC7591-3.2",
     "Registration answers 201 with a JSON client_id (or a 400 with an RFC 7591 error)",
     "Return 201 Created with client_id per RFC 7591 §3.2.1"},
    {"reg.client-obtained", "S5-01", MC_STEP_REGISTRATION, "client", {MUST, MUST, MUST, MUST},
     "MCP-2025-11-25 client-registration-approaches",
     "The client obtained a client_id in a way it supports",
     "Offer a registration path this client supports: DCR, a Client ID Metadata Document, or a pre-registered client it honours"},
    /* authorization */
    {"authz.redirected-with-code", "S7-01", MC_STEP_AUTHORIZATION, "as", {MUST, MUST, MUST, MUST},
     "OAuth2.1-4.1.2",
     "The authorization server redirects to the client's redirect URI with a code",
     "Accept the client's request and redirect back with code"},
    {"authz.loopback-any-port", "S6-12", MC_STEP_AUTHORIZATION, "as", {MUST, MUST, MUST, MUST},
     "RFC8252-7.3; OAuth2.1-8.4.2",
     "A loopback redirect URI is accepted on any port",
     "Match loopback redirect URIs without the port (RFC 8252 §7.3)"},
    {"authz.state-echoed", "S7-01", MC_STEP_AUTHORIZATION, "as", {MUST, MUST, MUST, MUST},
     "OAuth2.1-4.1.2",
     "state comes back exactly as sent",
     "Echo the state parameter unchanged"},
    {"authz.iss-matches", "S7-05", MC_STEP_AUTHORIZATION, "as", {NONE, NONE, NONE, MUST},
     "RFC9207-2.4; MCP-2026-07-28 authorization-response-validation",
     "iss in the authorization response equals the metadata issuer (and is present when authorization_response_iss_parameter_supported is true)",
     "Send iss equal to the issuer in every authorization response"},
    {"authz.iss-sent", "S7-03", MC_STEP_AUTHORIZATION, "as", {NONE, NONE, NONE, SHOULD},
     "RFC9207-2; MCP-2026-07-28 authorization-response-validation",
     "The authorization response carries iss",
     "Send iss (RFC 9207)"},
    {"authz.iss-advertised", "S7-04", MC_STEP_AUTHORIZATION, "as", {NONE, NONE, NONE, MUST},
     "RFC9207-2.3; MCP-2026-07-28 authorization-response-validation",
     "An authorization server that sends iss advertises authorization_response_iss_parameter_supported",
     "Publish \"authorization_response_iss_parameter_supported\": true"},
    {"authz.login-completed", "S6-01", MC_STEP_AUTHORIZATION, "as", {MUST, MUST, MUST, MUST},
     "OAuth2.1-4.1.1",
     "The login and consent pages lead back to the redirect URI",
     "Check the login credentials given to mcpcompat, or use --login-command"},
    /* token */
    {"token.client-secret-sent", "S5-01", MC_STEP_TOKEN, "client", {MUST, MUST, MUST, MUST},
     "OAuth2.1-2.4; RFC7591-2 (token_endpoint_auth_method)",
     "A client configured with a pre-registered client's secret authenticates with it",
     "Nothing wrong in the authorization server: this client never sends a configured secret (Auggie keeps only clientId); pre-register it as a public client (token_endpoint_auth_method none) or offer DCR"},
    {"token.success", "S8-06", MC_STEP_TOKEN, "as", {MUST, MUST, MUST, MUST},
     "OAuth2.1-3.2.3",
     "The code exchange answers 200 JSON with access_token and token_type Bearer",
     "Accept the client's code, verifier and client authentication"},
    {"token.no-store", "S8-06", MC_STEP_TOKEN, "as", {MUST, MUST, MUST, MUST},
     "OAuth2.1-3.2.3",
     "Token responses carry Cache-Control: no-store",
     "Send Cache-Control: no-store with tokens"},
    {"token.expires-in", "S8-08", MC_STEP_TOKEN, "as", {SHOULD, SHOULD, SHOULD, SHOULD},
     "OAuth2.1-3.2.3",
     "expires_in is given (short-lived tokens)",
     "Return expires_in"},
    /* mcp-call */
    {"mcp.initialize", "S9-01", MC_STEP_MCP_CALL, "server", {MUST, MUST, MUST, MUST},
     "MCP basic/lifecycle; MCP token-requirements",
     "An authorized initialize returns a JSON-RPC result",
     "Accept the access token the authorization server issued for this resource"},
    {"mcp.tools-list", "S9-02", MC_STEP_MCP_CALL, "server", {MUST, MUST, MUST, MUST},
     "MCP server/tools",
     "An authorized tools/list returns a JSON-RPC result",
     "Accept the token on every request of the session"},
    {"mcp.tools-call", "S9-02", MC_STEP_MCP_CALL, "server", {MUST, MUST, MUST, MUST},
     "MCP server/tools",
     "An authorized tools/call returns a JSON-RPC result",
     "Accept the token for tool calls within the granted scopes"},
    {"mcp.content-type", "S0-04", MC_STEP_MCP_CALL, "server", {MUST, MUST, MUST, MUST},
     "MCP transports/streamable-http",
     "Responses are application/json or text/event-stream",
     "Answer POSTs with application/json or an SSE stream"},
    {"mcp.step-up-403", "S10-07", MC_STEP_MCP_CALL, "server", {MUST, MUST, MUST, MUST},
     "MCP-authorization error-handling; RFC6750-3.1",
     "A token without the scope an operation needs is answered 403",
     "Answer insufficient scope with 403, not 401 or 500"},
    {"mcp.step-up-challenge", "S10-07", MC_STEP_MCP_CALL, "server", {NONE, NONE, SHOULD, SHOULD},
     "MCP-2025-11-25 runtime-insufficient-scope; RFC6750-3.1",
     "The 403 carries Bearer error=\"insufficient_scope\" with scope= and resource_metadata=",
     "Send WWW-Authenticate: Bearer error=\"insufficient_scope\", scope=\"…\", resource_metadata=\"…\""},
    {"mcp.step-up-completed", "S10-13", MC_STEP_MCP_CALL, "client", {NONE, NONE, SHOULD, SHOULD},
     "MCP-2025-11-25 step-up-authorization-flow",
     "After re-authorizing with the challenged scopes, the call succeeds",
     "Grant the scopes named in the challenge to the client that asks for them"},
    {"probe.no-offline-access", "S2-03", MC_STEP_PROBE, "server", {NONE, NONE, NONE, SHOULD},
     "MCP-2026-07-28 refresh-tokens (SEP-2207)",
     "offline_access is not in the challenged scope",
     "Leave offline_access out of the challenge; clients add it when the AS lists it"},
    {"prm.no-offline-access", "S3-08", MC_STEP_PRM, "server", {NONE, NONE, NONE, SHOULD},
     "MCP-2026-07-28 refresh-tokens (SEP-2207)",
     "offline_access is not in scopes_supported",
     "Leave offline_access out of the resource's scopes_supported"},
    /* refresh */
    {"refresh.expired-token-401", "S10-03", MC_STEP_REFRESH, "server", {MUST, MUST, MUST, MUST},
     "MCP token-handling; RFC6750-3.1",
     "An expired access token is answered 401",
     "Check exp on every request"},
    {"refresh.success", "S11-01", MC_STEP_REFRESH, "as", {MUST, MUST, MUST, MUST},
     "OAuth2.1-4.3",
     "A refresh_token grant returns a new access token",
     "Accept grant_type=refresh_token with the client's authentication and resource"},
    {"refresh.token-endpoint-found", "S11-08", MC_STEP_REFRESH, "client",
     {MUST, MUST, MUST, MUST},
     "OAuth2.1-4.3; RFC8414-3",
     "The client refreshes at the token endpoint of the authorization server that issued the token",
     "Nothing to change in the authorization server: a deviation of the client (mcpc looks the token endpoint up at the MCP URL and its origin only), to report to its maintainers; metadata at the MCP server's origin naming the real token endpoint works around it"},
    {"refresh.rotation", "S11-03", MC_STEP_REFRESH, "as", {SHOULD, MUST, MUST, MUST},
     "MCP token-theft; OAuth2.1-4.3.1",
     "A public client's refresh returns a new refresh token",
     "Rotate refresh tokens for public clients"},
    {"refresh.old-rejected", "S11-03", MC_STEP_REFRESH, "as", {SHOULD, MUST, MUST, MUST},
     "MCP token-theft; OAuth2.1-4.3.1",
     "A rotated-out refresh token is refused (invalid_grant)",
     "Invalidate a refresh token once it has been used"},
    {"refresh.no-wider-scope", "S11-04", MC_STEP_REFRESH, "as", {MUST, MUST, MUST, MUST},
     "OAuth2.1-4.3.1",
     "A refresh asking for more scope than was granted is refused",
     "Bind refresh tokens to the consented scope (invalid_scope)"},
    {"refresh.new-token-works", "S9-01", MC_STEP_REFRESH, "server", {MUST, MUST, MUST, MUST},
     "MCP token-requirements",
     "The refreshed access token is accepted",
     "Accept tokens from refresh grants like any other"},
    /* registration: CIMD */
    {"reg.cimd-fetched", "S5-26", MC_STEP_AUTHORIZATION, "as", {NONE, NONE, SHOULD, SHOULD},
     "MCP-2025-11-25 client-id-metadata-documents",
     "The authorization server fetched the client's metadata document",
     "Fetch URL-formatted client ids and validate the document"},
    /* server suite */
    {"server.invalid-token-401", "S10-02", MC_STEP_SERVER, "server", {MUST, MUST, MUST, MUST},
     "MCP token-handling; RFC6750-3.1",
     "A garbage bearer token is answered 401 (not 500, not 200)",
     "Reject invalid tokens with 401 before any other processing"},
    {"server.invalid-token-challenge", "S10-02", MC_STEP_SERVER, "server", {SHOULD, SHOULD, SHOULD, SHOULD},
     "RFC6750-3.1",
     "The 401 for a bad token carries Bearer error=\"invalid_token\"",
     "Send WWW-Authenticate: Bearer error=\"invalid_token\", resource_metadata=\"…\""},
    {"server.audience", "S10-04", MC_STEP_SERVER, "server", {NONE, MUST, MUST, MUST},
     "RFC8707-2; MCP-2025-06-18 token-handling",
     "A token issued for another resource is rejected",
     "Validate the token's audience against this server's resource URL"},
    {"server.protocol-version-400", "S0-07", MC_STEP_SERVER, "server", {NONE, MUST, MUST, MUST},
     "MCP transports protocol-version-header",
     "An unsupported MCP-Protocol-Version is answered 400",
     "Reject unknown MCP-Protocol-Version values with 400 Bad Request"},
    {"server.origin-403", "S0-10", MC_STEP_SERVER, "server", {NONE, NONE, MUST, MUST},
     "MCP-2025-11-25 transports security-warning",
     "A request with a foreign Origin is answered 403",
     "Validate Origin and answer 403 to unexpected ones (DNS rebinding)"},
    {"server.pkce-enforced", "S6-14", MC_STEP_SERVER, "as", {MUST, MUST, MUST, MUST},
     "OAuth2.1-4.1.1; OAuth2.1-7.5.2",
     "An authorization without code_challenge is refused (at /authorize or /token)",
     "Require PKCE (S256) for every authorization code"},
    {"server.code-single-use", "S8-05", MC_STEP_SERVER, "as", {MUST, MUST, MUST, MUST},
     "OAuth2.1-4.1.3",
     "A replayed authorization code is refused",
     "Mark codes used at the first exchange"},
    {"server.header-mismatch", "S0-09", MC_STEP_SERVER, "server", {NONE, NONE, NONE, MUST},
     "MCP-2026-07-28 streamable-http request-metadata",
     "MCP-Protocol-Version that differs from _meta is answered 400 (HeaderMismatch, -32020)",
     "Compare the header with _meta io.modelcontextprotocol/protocolVersion"},
    {"server.cimd-validates", "S5-27", MC_STEP_SERVER, "as", {NONE, NONE, MUST, MUST},
     "MCP-2025-11-25 client-id-metadata-documents; draft-ietf-oauth-client-id-metadata-document-00 4.1",
     "A metadata document whose client_id is not its own URL is refused",
     "Check that client_id equals the document URL and redirect_uri is listed"},
    {"server.redirect-exact", "S6-11", MC_STEP_SERVER, "as", {MUST, MUST, MUST, MUST},
     "OAuth2.1-2.3.1; MCP open-redirection",
     "An unregistered redirect URI (another path) is refused, never redirected to",
     "Compare redirect URIs exactly (loopback ports aside) and show an error page"},
    {"server.token-error-format", "S8-07", MC_STEP_SERVER, "as", {MUST, MUST, MUST, MUST},
     "OAuth2.1-3.2.4",
     "A refused token request answers 400/401 with a JSON error",
     "Return {\"error\": \"invalid_grant\"} with status 400"},
    {"server.malformed-auth-400", "S10-11", MC_STEP_SERVER, "server", {MUST, MUST, MUST, MUST},
     "MCP-authorization error-handling; RFC6750-3.1",
     "A request with two Authorization headers is answered 400",
     "Refuse ambiguous credentials with 400 invalid_request"},
    {"server.resource-case", "S6-07", MC_STEP_SERVER, "as", {NONE, SHOULD, SHOULD, SHOULD},
     "MCP-2025-06-18 canonical-server-uri",
     "resource with an upper-case scheme and host is accepted",
     "Compare resource case-insensitively in scheme and host"},
    {"server.as-audience-binding", "S6-15", MC_STEP_SERVER, "as", {MAY, MAY, MAY, MAY},
     "RFC8707-2",
     "The authorization server refuses resources it does not know (invalid_target)",
     "Optional: restrict resource to known servers"},
    {"prm.resource-specific", "S3-05", MC_STEP_PRM, "server", {NONE, SHOULD, SHOULD, SHOULD},
     "RFC9728-3.1; MCP-2025-11-25 canonical-server-uri",
     "resource names the MCP endpoint itself, not only its origin or a path prefix",
     "Serve metadata at /.well-known/oauth-protected-resource/<path> naming the MCP URL"},
    {"probe.oauth-on-401", "S1-04", MC_STEP_PROBE, "client", {MUST, MUST, MUST, MUST},
     "MCP-authorization authorization-flow-steps",
     "The client starts authorization at a 401, also one to a request after initialize",
     "Challenge the first request (initialize) too, for clients that authorize only while connecting"},
};
// clang-format on

const size_t mc_checks_count = sizeof mc_checks / sizeof mc_checks[0];

const mc_check_def *mc_check_find(const char *id)
{
    for (size_t i = 0; i < mc_checks_count; i++)
        if (strcmp(mc_checks[i].id, id) == 0)
            return &mc_checks[i];
    return NULL;
}
