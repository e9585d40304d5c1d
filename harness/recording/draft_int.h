/* What the profile draft's files share (not a public interface: run.h's
 * mc_cmd_profile_draft is). Each part is one file:
 *   draft.c            the command: the base profile, the trace's mode,
 *                      recording a knob with its evidence, the output
 *   draft_discovery.c  the knobs of the probe and of discovery
 *   draft_handshake.c  the knobs of registration, the redirect URI,
 *                      authorization, the token requests and MCP calls */
#ifndef MC_DRAFT_INT_H
#define MC_DRAFT_INT_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct {
    const char *trace; /* as given: evidence cites it */
    json_t *knobs;     /* "section.knob" → value, in the order found */
    json_t *evidence;  /* "section.knob" → "TRACE:LINE: what" */
} draft;

/* What discovery found that later phases read. */
typedef struct {
    const json_t *first_rm; /* the first 401 with a challenge */
    char *hint_path;        /* its resource_metadata's path */
    char *issuer_path;      /* of the first authorization server named */
    const char *mcp_path;   /* of the first MCP request */
    const json_t *prm_doc, *as_doc, *www_req, *as_req;
    char *www_scope;
    size_t end;      /* index of the first registration or authorization request */
    int rediscovers; /* after the metadata, it looks one up at a URL no second pass explains */
} context;

static inline const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static inline const char *hdr(const json_t *r, const char *name)
{
    return str(json_object_get(r, "headers"), name);
}

static inline int ends_with(const char *s, const char *suffix)
{
    size_t a = s ? strlen(s) : 0, b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Whether request r's method is m (a trace line without one is none). */
static inline int method_is(const json_t *r, const char *m)
{
    const char *v = str(r, "method");
    return v && strcmp(v, m) == 0;
}

static inline int is_mcp(const json_t *r)
{
    const char *p = str(r, "path");
    return p && strcmp(p, "/mcp") == 0;
}

static inline int bearer(const json_t *r)
{
    const char *a = hdr(r, "authorization");
    return a && strncasecmp(a, "Bearer ", 7) == 0;
}

static inline int ok(const json_t *r)
{
    long s = (long)json_integer_value(json_object_get(r, "status"));
    return s >= 200 && s < 300;
}

static inline const json_t *base_get(const json_t *base, const char *name)
{
    char section[64];
    const char *dot = strchr(name, '.');
    snprintf(section, sizeof section, "%.*s", (int)(dot - name), name);
    return json_object_get(json_object_get(base, section), dot + 1);
}

/* Records knob name = value (owned) with its evidence: request r's line in
 * the trace (r may be NULL) and what it shows. */
void mc_draft_knob(draft *d, const char *name, json_t *value, const json_t *r, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The first request in reqs whose path ends with suffix (and, when grant is
 * given, whose body's grant_type is grant). */
const json_t *mc_draft_find(const json_t *reqs, const char *suffix, const char *method,
                            const char *grant);
/* The knob values are ordered lists: the observed attempts, then (after a
 * success ends the search) the base's remaining entries, untestable here. */
json_t *mc_draft_order_with_rest(json_t *seen, int ended_on_success, const json_t *base_order);

/* The knobs, phase by phase: the probe and discovery (draft_discovery.c)
 * and the rest of the handshake (draft_handshake.c). */
void mc_draft_probe(draft *d, const json_t *reqs);
void mc_draft_discovery(draft *d, const json_t *reqs, const json_t *base, context *cx);
/* RFC 8414 §3.3: discovery.check_issuer from the metadata's issuer and
 * whether the client went on past the metadata. */
void mc_draft_issuer(draft *d, const json_t *reqs, const context *cx);
void mc_draft_registration(draft *d, const json_t *reqs, const json_t *base, const json_t *mode,
                           const json_t *authz, const context *cx);
void mc_draft_redirect(draft *d, const json_t *reqs, const json_t *authz, const json_t *mode);
void mc_draft_authorization(draft *d, const json_t *reqs, const json_t *base, const json_t *authz,
                            context *cx);
void mc_draft_token(draft *d, const json_t *reqs, const json_t *mode);
void mc_draft_mcp(draft *d, const json_t *reqs);

#endif
