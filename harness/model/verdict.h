/* The verdict of a run: one reading of the result model that every report
 * renders the same way and the exit code follows from. Clients connect,
 * break, break as the scenario expected, break elsewhere than expected, or
 * connect where a break was expected; the server suite's checks fail
 * (MUST), warn (SHOULD/MAY) or could not run; --fail-on says which of these
 * make the run fail. */
#ifndef MC_VERDICT_H
#define MC_VERDICT_H

#include "result.h"

#include <stddef.h>

typedef enum {
    MC_V_CONNECTS,               /* passed, as expected or with nothing expected */
    MC_V_BREAKS,                 /* broke where nothing (or a pass) was expected */
    MC_V_BREAKS_AS_EXPECTED,     /* broke at the step the scenario expected */
    MC_V_BREAKS_ELSEWHERE,       /* broke, at another step than expected */
    MC_V_EXPECTED_BREAK_MISSING, /* the scenario expected a break; it connected */
    MC_V_NOT_RUN,                /* could not run to its end (unreachable, stopped) */
    MC_V_COUNT
} mc_client_verdict;

/* What makes a run fail (exit 1): --fail-on, a comma-separated list. */
enum {
    MC_GATE_BREAK = 1,   /* a client broke unexpectedly or differed from the expectation */
    MC_GATE_MUST = 2,    /* a MUST check of the server suite failed */
    MC_GATE_SHOULD = 4,  /* a SHOULD (or MAY) check of the server suite failed */
    MC_GATE_NOT_RUN = 8, /* a check of the server suite could not run */
    MC_GATE_SET = 16,    /* given explicitly (so that "none" is not the default) */
    MC_GATE_DEFAULT = MC_GATE_BREAK | MC_GATE_MUST
};
/* The gates in force: those given (with MC_GATE_SET), else the default. */
int mc_gates_effective(int gates);

/* Parses "break,must", "none", "all"; 0 or -1 (unknown word: *bad names it). */
int mc_gates_parse(const char *s, int *gates, const char **bad, size_t *badlen);
/* "break,must" (or "none"); owned. */
char *mc_gates_name(int gates);
/* The words --fail-on takes, for --help and suggestions. */
extern const char *const mc_gate_words[];

mc_client_verdict mc_client_verdict_of(const mc_profile_run *p);
/* "connects", "breaks", "breaks-as-expected", "breaks-elsewhere",
 * "expected-break-missing", "not-run" (JSON). */
const char *mc_client_verdict_id(mc_client_verdict v);
/* The label a scoreboard shows: "PASS", "BROKE", "BROKE as expected",
 * "BROKE elsewhere", "PASS, expected a break", "NOT RUN". */
const char *mc_client_verdict_label(mc_client_verdict v);
/* "PASS", "PASS*" (a hosted client against a private target: it connects
 * once the server is public), or "BROKE": a scoreboard's Result. */
const char *mc_run_result_label(const mc_profile_run *p);
/* 1 when this verdict makes the run fail under gates. */
int mc_client_verdict_gates(mc_client_verdict v, int gates);
/* 1 when a server-suite check of this status makes the run fail. */
int mc_check_status_gates(mc_status st, int gates);

typedef struct {
    int gates;
    size_t clients;
    size_t n[MC_V_COUNT];
    size_t once_public;   /* of those that connect, how many only once the server is public */
    size_t suites;        /* server suites that ran (one per revision) */
    size_t checks;        /* checks the suites' revisions define */
    size_t ran;           /* of them, run */
    size_t must_failed;   /* run and failed, MUST */
    size_t should_failed; /* run and failed, SHOULD or MAY */
    size_t not_run;       /* could not run, each listed with why */
    size_t gating;        /* clients and checks that make the run fail */
    int exit_code; /* 1 when anything gated fails, else 3 when a client could not run, else 0 */
} mc_verdict;

/* The verdict of runs (one, or one per revision with --spec all), judged
 * with the gates the first run records. */
void mc_verdict_of(const mc_run_result *const *runs, size_t n, mc_verdict *v);
/* One line every report shows, e.g. "FAIL (exit 1): 3 of 6 clients
 * connect, 3 break as expected; server suite: 11 of 13 checks ran, 1 MUST
 * failed, 0 SHOULD failed, 2 not run"; owned. */
char *mc_verdict_line(const mc_verdict *v);
/* "PASS", "FAIL" or "ERROR". */
const char *mc_verdict_word(const mc_verdict *v);
/* How the verdict line names client outcome k (a mc_client_verdict other
 * than connects), e.g. "broke as expected". */
const char *mc_verdict_what(int k);

#endif
