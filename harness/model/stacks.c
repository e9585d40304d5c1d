/* The server stacks a run recognises and the remedies worded for them
 * (stacks.h). Each fingerprint is something the stack itself produces, read
 * in its source at the version the tests run (tests/servers/package.json). */
#include "stacks.h"

#include "../wire/buf.h"
#include "result.h"

#include <stdlib.h>
#include <string.h>

static const mc_stack stacks[] = {
    {"mcp-typescript-sdk", "TypeScript MCP SDK (requireBearerAuth, mcpAuthRouter)",
     "https://github.com/modelcontextprotocol/typescript-sdk/blob/main/docs/serving/"
     "authorization.md"},
    {"better-auth", "Better Auth (MCP plugin)", "https://better-auth.com/docs/plugins/mcp"},
    {"fastmcp-python", "FastMCP OAuthProxy (Python)",
     "https://gofastmcp.com/servers/auth/oauth-proxy"},
    {"cloudflare-workers-oauth-provider", "Cloudflare workers-oauth-provider",
     "https://github.com/cloudflare/workers-oauth-provider"},
};

static const mc_stack *stack_find(const char *id)
{
    for (size_t i = 0; i < sizeof stacks / sizeof *stacks; i++)
        if (strcmp(stacks[i].id, id) == 0)
            return &stacks[i];
    return NULL;
}

/* What a stack's own response looks like: an exchange whose request URL
 * contains url_has (NULL: any), answered with status (0: any), whose header
 * has exactly the value value, or (header NULL) whose body contains value
 * (NULL: the URL alone tells). */
typedef struct {
    const char *stack;
    mc_stack_part part;
    const char *url_has;
    long status;
    const char *header;
    const char *value;
    const char *why;
} fingerprint;

static const fingerprint fingerprints[] = {
    /* @modelcontextprotocol/sdk 1.32.2 server/auth/middleware/bearerAuth.js:
     * throw new InvalidTokenError('Missing Authorization header') */
    {"mcp-typescript-sdk", MC_PART_RS, NULL, 401, NULL,
     "\"error_description\":\"Missing Authorization header\"",
     "a request without a token is answered 401 \"Missing Authorization header\", "
     "requireBearerAuth's words"},
    /* server/auth/handlers/token.js and register.js: express-rate-limit with
     * standardHeaders, windowMs 15 min / max 50 and 1 h / max 20 */
    {"mcp-typescript-sdk", MC_PART_AS, "/token", 0, "RateLimit-Policy", "50;w=900",
     "the token endpoint answers RateLimit-Policy: 50;w=900, the default limit of "
     "mcpAuthRouter's token handler"},
    {"mcp-typescript-sdk", MC_PART_AS, "/register", 0, "RateLimit-Policy", "20;w=3600",
     "the registration endpoint answers RateLimit-Policy: 20;w=3600, the default limit of "
     "mcpAuthRouter's registration handler"},
    /* @better-auth/oauth-provider 1.7.29 dist/client-resource.mjs (requireMcpAuth):
     * new APIError("UNAUTHORIZED", { message: "missing authorization header" }) */
    {"better-auth", MC_PART_RS, NULL, 401, NULL, "\"message\":\"missing authorization header\"",
     "a request without a token is answered 401 \"missing authorization header\", "
     "Better Auth's requireMcpAuth's words"},
    /* its registration refusal (dist/authorize-*.mjs); its routes
     * (/api/auth/oauth2/...) are a path anyone may choose: not a sign */
    {"better-auth", MC_PART_AS, "/register", 400, NULL,
     "web clients require https redirect URIs on non-loopback hosts",
     "registration refuses with \"web clients require https redirect URIs on non-loopback "
     "hosts\", Better Auth's words"},
};

/* The personas (--as) that are a known stack's authorization server. */
static const struct {
    const char *prefix;
    const char *stack;
} persona_stacks[] = {
    {"better-auth-", "better-auth"},
    {"fastmcp-oauth-proxy-", "fastmcp-python"},
    {"workers-oauth-provider-", "cloudflare-workers-oauth-provider"},
};

/* A remedy in a stack's own terms for a check of party part; match: the
 * outcome's message must contain it (NULL: any). */
typedef struct {
    const char *stack;
    const char *check;
    mc_stack_part part;
    const char *match;
    const char *text;
} stack_remedy;

static const stack_remedy remedies[] = {
    {"mcp-typescript-sdk", "server.invalid-token-401", MC_PART_RS, NULL,
     "requireBearerAuth answers 500 server_error when verifyAccessToken throws anything but an "
     "OAuth error: throw InvalidTokenError (@modelcontextprotocol/sdk/server/auth/errors.js) for "
     "an unknown, malformed or expired token, and it answers 401 invalid_token with the "
     "challenge"},
    {"mcp-typescript-sdk", "server.audience", MC_PART_RS, NULL,
     "requireBearerAuth checks no audience unless told: pass expectedResource (this server's MCP "
     "URL) to requireBearerAuth, or throw InvalidTokenError in verifyAccessToken for a token "
     "whose resource is another server"},
    {"mcp-typescript-sdk", "server.origin-403", MC_PART_RS, NULL,
     "the Streamable HTTP transport checks Origin only when asked: create "
     "StreamableHTTPServerTransport with enableDnsRebindingProtection: true and allowedOrigins "
     "(and allowedHosts) naming the origins you serve"},
    /* bearerAuth.js: the challenge adds scope="…" only from requiredScopes,
     * and error="invalid_token" to every refusal, a missing header included */
    {"mcp-typescript-sdk", "probe.scope-param", MC_PART_RS, NULL,
     "requireBearerAuth names scopes in its challenge only when given requiredScopes: pass the "
     "scopes a request needs (it then also refuses tokens without them, 403 "
     "insufficient_scope)"},
    {"mcp-typescript-sdk", "probe.no-error-without-credentials", MC_PART_RS, NULL,
     "requireBearerAuth puts error=\"invalid_token\" in every challenge, a request without "
     "credentials included, and has no setting for it: clients tolerate it (a SHOULD); answer "
     "the tokenless request yourself before requireBearerAuth if you need it gone"},
    {"mcp-typescript-sdk", "server.token-error-format", MC_PART_AS, NULL,
     "mcpAuthRouter's token handler answers 500 server_error when the OAuthServerProvider throws "
     "anything but an OAuth error: throw InvalidGrantError from challengeForAuthorizationCode, "
     "exchangeAuthorizationCode and exchangeRefreshToken for an unknown, used or expired code or "
     "refresh token"},
    {"mcp-typescript-sdk", "server.code-single-use", MC_PART_AS, NULL,
     "in the OAuthServerProvider, exchangeAuthorizationCode must delete the code before it "
     "returns tokens and throw InvalidGrantError for it afterwards"},
    {"better-auth", "reg.client-obtained", MC_PART_AS, "web clients require https",
     "Better Auth registers a client that sends no application_type as a web client, which may "
     "not use loopback or private-scheme redirect URIs: set "
     "clientRegistrationDefaultApplicationType: \"infer\" in mcp({...})"},
};

const char *mc_stack_part_name(mc_stack_part p)
{
    return p == MC_PART_RS ? "MCP server" : "authorization server";
}

/* Whether text contains part: a NULL part is in any text, a NULL text
 * contains no part. The one matcher of the fingerprints' URLs and bodies
 * and the remedies' messages. */
static int contains(const char *text, const char *part)
{
    return !part || (text && strstr(text, part));
}

/* Whether ex is what fingerprint f describes. */
static int seen(const fingerprint *f, const mc_exchange *ex)
{
    if (!contains(ex->url, f->url_has))
        return 0;
    if (f->status && ex->status != f->status)
        return 0;
    if (!f->value)
        return ex->status != 0;
    if (!f->header)
        return contains(ex->response_body, f->value);
    mc_response rs = {.headers = ex->response_headers};
    char *v = mc_response_header(&rs, f->header);
    int ok = v && strcmp(v, f->value) == 0;
    free(v);
    return ok;
}

typedef struct {
    const fingerprint *hit[MC_PART_COUNT]; /* the first fingerprint of each part seen */
    int conflict[MC_PART_COUNT];           /* two stacks seen for one party */
} sightings;

static void look(sightings *s, const mc_step_result *st)
{
    for (size_t e = 0; e < st->nexchanges; e++)
        for (size_t i = 0; i < sizeof fingerprints / sizeof *fingerprints; i++) {
            const fingerprint *f = &fingerprints[i];
            if (!seen(f, st->exchanges[e]))
                continue;
            if (!s->hit[f->part])
                s->hit[f->part] = f;
            else if (strcmp(s->hit[f->part]->stack, f->stack) != 0)
                s->conflict[f->part] = 1;
        }
}

void mc_stacks_recognise(mc_run_result *r, const char *persona)
{
    sightings s = {{NULL}, {0}};
    for (size_t i = 0; i < r->nruns; i++)
        for (int k = 0; k < r->runs[i].nsteps; k++)
            look(&s, &r->runs[i].steps[k]);
    if (r->server_ran)
        look(&s, &r->server);
    for (int p = 0; p < MC_PART_COUNT; p++) {
        free(r->stack_why[p]);
        r->stack[p] = NULL, r->stack_why[p] = NULL;
        if (s.hit[p] && !s.conflict[p]) {
            r->stack[p] = stack_find(s.hit[p]->stack);
            r->stack_why[p] = mc_xstrdup(s.hit[p]->why);
        }
    }
    /* the embedded fixture plays the persona's authorization server */
    for (size_t i = 0; persona && i < sizeof persona_stacks / sizeof *persona_stacks; i++)
        if (strncmp(persona, persona_stacks[i].prefix, strlen(persona_stacks[i].prefix)) == 0) {
            free(r->stack_why[MC_PART_AS]);
            r->stack[MC_PART_AS] = stack_find(persona_stacks[i].stack);
            r->stack_why[MC_PART_AS] =
                mc_xasprintf("the embedded fixture plays the persona %s (--as)", persona);
        }
}

mc_remedy mc_stack_remedy(const mc_run_result *r, const mc_check_def *def, const char *text)
{
    mc_remedy none = {NULL, NULL, NULL};
    if (!def)
        return none;
    for (size_t i = 0; i < sizeof remedies / sizeof *remedies; i++) {
        const stack_remedy *x = &remedies[i];
        const mc_stack *st = r->stack[x->part];
        if (!st || strcmp(st->id, x->stack) != 0 || strcmp(x->check, def->id) != 0)
            continue;
        if (!contains(text, x->match))
            continue;
        mc_remedy m = {x->text, st->doc, st->name};
        return m;
    }
    return none;
}
