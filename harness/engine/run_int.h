/* What the run engine's files share (not a public interface: run.h is).
 * Each part is one file:
 *   run.c        the run command: its inputs, the plan (target, profiles,
 *                revision, the embedded fixture), the reports, the verdict
 *   execute.c    executing a plan: each client's configuration, the clients
 *                side by side, notes and remedies, the server suite
 *   revisions.c  --spec all: each revision's reference client, side by side
 *   demo.c       the seed write-up's scoreboard */
#ifndef MC_RUN_INT_H
#define MC_RUN_INT_H

#include "run.h"

#ifndef MC_VERSION
#define MC_VERSION "0.1.0"
#endif

/* One run: what runs, against which target, judged by which revision. */
typedef struct {
    const mc_config *cfg;
    const mc_scenario *sc;
    mc_profile **profiles;
    size_t nprofiles;
    const mc_profiles *all;
    const char *url;
    int fixture;    /* the target is the embedded fixture */
    mc_fixture *fx; /* and its handle */
    mc_rev rev;
    char *unusable;  /* the URL failed the preflight: why (owned) */
    int one_address; /* every client from the system's address (--one-address, or the
                        server answers another loopback address differently) */
} run_plan;

/* Runs the plan's profiles (and the server suite) against its target
 * (execute.c). Returns an exit code; *res is filled (free it with
 * mc_run_result_free), with the runs so far when the target could not be
 * reached. */
int mc_run_execute(const run_plan *plan, mc_run_result *res);
/* MC_EXIT_BROKE when a run or a server check failed (or a run did not meet
 * its scenario's expectation; --fail-on decides); else MC_EXIT_CANNOT when a
 * client could not be run to a verdict (said on stderr); else MC_EXIT_OK: the
 * verdict every report shows. */
int mc_run_verdict(const mc_run_result *const *res, size_t n);
/* --scenario takes a file, or the id of one in scenarios/; owned. */
char *mc_run_scenario_path(const char *arg);
/* A secret named by environment variable. Against the embedded fixture an
 * unset variable gets a random value for this run, so that the fixture and
 * the client read the same one and nobody has to invent a secret. */
const char *mc_run_secret_env(const char *name, int fixture);
/* --spec all (revisions.c): each revision's reference profile against the same target,
 * judged by its own revision, side by side. */
int mc_run_all_revisions(const run_plan *base);

#endif
