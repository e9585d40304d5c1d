/* Room model/: the check catalogue and the result model every step fills and
 * every reporter reads; calls wire/ only. */
/* The result model: run → profile runs → steps → checks + exchanges.
 * Reporters only read it. */
#ifndef MC_RESULT_H
#define MC_RESULT_H

#include "../wire/http.h"
#include "checks.h"
#include "stacks.h"

#include <stddef.h>

typedef enum { MC_PASS, MC_FAIL, MC_WARN, MC_SKIP, MC_ERROR } mc_status;

/* The most requests a client is recorded making without a token. */
#define MC_MAX_PUBLIC 6

const char *mc_status_name(mc_status st);

typedef struct {
    const mc_check_def *def;
    mc_status status; /* MC_PASS, MC_FAIL (MUST) or MC_WARN (SHOULD/MAY) */
    mc_keyword keyword;
    mc_rev rev;    /* the revision the check was judged by */
    char *message; /* one line, redacted */
} mc_check_result;

/* A check that could not run, and why (e.g. the suite's flow stopped
 * before it could get a token to probe with). */
typedef struct {
    const mc_check_def *def;
    mc_rev rev;
    char *why; /* one line, redacted */
} mc_not_run;

typedef struct {
    mc_step_id id;
    mc_status status;
    const char *failed_check; /* id of the check that stopped the client */
    /* the profile knob that decided the break when it is not the one the
     * check names (mc_deciding_knob): a static string, or NULL */
    const char *deciding_knob;
    char *reason; /* one line, when the step failed */
    mc_check_result *checks;
    size_t nchecks;
    mc_exchange **exchanges;
    size_t nexchanges;
    mc_not_run *not_run; /* checks of this step that could not run */
    size_t nnot_run;
    double ms;
} mc_step_result;

typedef struct {
    char *profile_id;
    char *client;
    char *client_version;
    mc_rev rev;
    mc_step_result steps[MC_STEP_COUNT];
    int nsteps; /* 7, or 8 when the profile exercises refresh */
    int broke;
    int not_run;      /* the client could not be run to a verdict: failed_at is the step
                       * that could not run (status error, its reason says why) */
    int failed_at;    /* step index, -1 when passed */
    char *expected;   /* scenario expectation ("pass", "broke:<step>") or NULL */
    int as_expected;  /* with expected: 1 when the outcome matches */
    char *note;       /* e.g. a hosted-client warning; may be NULL */
    char *remedy;     /* the scenario's remedy for this client's break; may be NULL */
    int needs_public; /* a client that runs its OAuth from the vendor's servers, against a
                         loopback or private target: it connects only once public */
    /* what the break rests on: the profile knob that made the client stop
     * ("discovery.check_issuer"), the kind of its evidence ("recorded",
     * "source", "doc", "issue", "assumed", or "none" when the profile cites
     * none) and the evidence; all NULL when the client passed or no one knob
     * decided (the server refused what the client sent) */
    char *decided_by;
    char *decided_kind;
    char *decided_evidence;
    char *auth_started_at;                /* the request that drew the first 401, or NULL */
    char *public_requests[MC_MAX_PUBLIC]; /* answered without a token before it */
    size_t npublic;
} mc_profile_run;

typedef struct mc_run_result {
    char *tool_version;
    char *target;
    char *persona; /* the persona the embedded fixture played (--as), or NULL */
    mc_rev rev;
    mc_profile_run *runs;
    size_t nruns;
    int server_ran;
    mc_step_result server;
    int gates; /* --fail-on: what makes the run fail (MC_GATE_*, verdict.h); 0: the default */
    double ms;
    /* the stack recognised for the MCP server and for its authorization
     * server (stacks.h), and what showed it; NULL when none is certain */
    const mc_stack *stack[MC_PART_COUNT];
    char *stack_why[MC_PART_COUNT];
} mc_run_result;

/* "pass", "broke" or "not-run" (reports' result field). */
const char *mc_profile_result_name(const mc_profile_run *r);

/* Records one check outcome judged by rev: ok → pass; else the revision's
 * keyword decides fail (MUST) or warn (SHOULD, MAY); a check the revision
 * does not have is not recorded. Returns the status recorded (MC_SKIP when
 * none). The message is redacted. */
mc_status mc_step_check(mc_step_result *s, mc_rev rev, const char *id, int ok, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Records that check id could not run, and why; nothing when the revision
 * does not have it or it is already recorded or listed. */
void mc_step_not_run(mc_step_result *s, mc_rev rev, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Lists every check of the catalogue for this step and revision that is
 * neither recorded nor listed as not run, with why. */
void mc_step_not_run_rest(mc_step_result *s, mc_rev rev, const char *why);
/* Marks the step failed: the client stops here because of check id. */
void mc_step_fail(mc_step_result *s, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void mc_step_add_exchange(mc_step_result *s, mc_exchange *ex);
/* Worst check status (for a step that did not fail). */
mc_status mc_step_summary(const mc_step_result *s);

/* "authorization started at tools/list (initialize, … answered without a
 * token)" when requests were answered before the first 401; owned or NULL. */
char *mc_profile_run_auth_note(const mc_profile_run *r);

void mc_step_result_free(mc_step_result *s);
void mc_profile_run_free(mc_profile_run *r);
void mc_run_result_free(mc_run_result *r);

#endif
