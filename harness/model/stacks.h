/* The server stacks a run can recognise (the TypeScript SDK's auth helpers,
 * Better Auth, FastMCP's OAuth proxy, Cloudflare's workers-oauth-provider):
 * one table of what each one's responses show, and one of the remedies worded
 * for it, so that a finding says where in that stack the fix goes. A stack is
 * recognised from what the run saw (a header, an error text, an endpoint path
 * the stack produces) or from the persona the embedded fixture played (--as),
 * never guessed: two stacks seen for one party, or none, leave the remedies
 * generic. */
#ifndef MC_STACKS_H
#define MC_STACKS_H

#include "checks.h"

/* The two parties a stack serves: the MCP server (resource server) and its
 * authorization server; a check's party ("server", "as") picks one. */
typedef enum { MC_PART_RS, MC_PART_AS, MC_PART_COUNT } mc_stack_part;

typedef struct {
    const char *id;   /* stable, e.g. "mcp-typescript-sdk" */
    const char *name; /* what the reports call it */
    const char *doc;  /* the stack's documentation for what its remedies name */
} mc_stack;

/* One remedy: the text, and the documentation it points to (NULL: none, or
 * already in the text); by: the stack's name when worded for a stack. */
typedef struct {
    const char *text;
    const char *doc;
    const char *by;
} mc_remedy;

struct mc_run_result;

/* Sets r->stack[] and r->stack_why[] from the exchanges of every client and
 * the server suite, and from persona (the --as id, or NULL) for the
 * authorization server. */
void mc_stacks_recognise(struct mc_run_result *r, const char *persona);

/* The remedy worded for the stack r recognised for def's party, for an
 * outcome whose message (or the break's reason) is text; {NULL} when there is
 * none. */
mc_remedy mc_stack_remedy(const struct mc_run_result *r, const mc_check_def *def, const char *text);

/* The party name of p ("MCP server", "authorization server"). */
const char *mc_stack_part_name(mc_stack_part p);

#endif
