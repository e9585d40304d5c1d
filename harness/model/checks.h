/* The check catalogue: one table of every requirement the harness observes,
 * with a stable id, the step it belongs to, the party under test, the
 * keyword in each spec revision and the reference. It feeds the engine,
 * `mcpcompat checks` and the README. */
#ifndef MC_CHECKS_H
#define MC_CHECKS_H

#include <stddef.h>

typedef enum {
    MC_STEP_PROBE,
    MC_STEP_PRM,
    MC_STEP_ASM,
    MC_STEP_REGISTRATION,
    MC_STEP_AUTHORIZATION,
    MC_STEP_TOKEN,
    MC_STEP_MCP_CALL,
    MC_STEP_REFRESH, /* optional: only for profiles that refresh */
    MC_STEP_COUNT,
    MC_STEP_SERVER = MC_STEP_COUNT /* the per-target server suite */
} mc_step_id;

extern const char *const mc_step_names[MC_STEP_COUNT + 1];

typedef enum { MC_KW_NONE, MC_KW_MAY, MC_KW_SHOULD, MC_KW_MUST } mc_keyword;

typedef enum {
    MC_REV_2025_03_26,
    MC_REV_2025_06_18,
    MC_REV_2025_11_25,
    MC_REV_2026_07_28,
    MC_REV_COUNT
} mc_rev;

extern const char *const mc_rev_names[MC_REV_COUNT];
/* Returns 0 and sets *rev, or -1 for an unknown revision. */
int mc_rev_parse(const char *s, mc_rev *rev);
const char *mc_keyword_name(mc_keyword kw);
/* Why s is no revision, for an error line: "unknown revision: did you mean
 * 2025-11-25? (2025-03-26, …)"; all: "all" is a choice too. Owned. */
char *mc_rev_unknown(const char *s, int all);

typedef struct {
    const char *id;     /* stable, e.g. "prm.resource-matches" */
    const char *matrix; /* row of reference/spec-matrix.md, e.g. "S3-05" */
    mc_step_id step;
    const char *party; /* "server", "as", "client" */
    mc_keyword kw[MC_REV_COUNT];
    const char *ref;     /* e.g. "RFC9728-3.3" */
    const char *summary; /* what must hold */
    const char *remedy;  /* what the server author can do */
} mc_check_def;

extern const mc_check_def mc_checks[];
extern const size_t mc_checks_count;

/* NULL for an unknown id. */
const mc_check_def *mc_check_find(const char *id);

#endif
