/* The client state machine: the seven steps of DESIGN.md §4 in order, each
 * choice taken from the profile. */
#ifndef MC_CLIENT_H
#define MC_CLIENT_H

#include "../steps/state.h"

/* Runs every step for p and fills run. Returns MC_GO when the run finished
 * (passed or broke), MC_UNREACHABLE with *why set when the target could not
 * be reached at all. */
mc_step_rc mc_client_run(const mc_profile *p, const mc_client_config *cfg, mc_profile_run *run,
                         char **why);

/* Step by step, for the server suite: open a client, run its steps up to
 * step last (returns the index of the step that failed, -1 when all ran,
 * -2 when the target was unreachable), look at its state, close it. */
mc_client *mc_client_open(const mc_profile *p, const mc_client_config *cfg);
int mc_client_steps(mc_client *c, mc_profile_run *run, int last);
void mc_client_close(mc_client *c);

/* Runs the steps up to token only; on success *token gets the owned access
 * token. Returns the index of the step that failed, or -1. The step results
 * go to run (owned by the caller). */
int mc_client_token_only(const mc_profile *p, const mc_client_config *cfg, mc_profile_run *run,
                         char **token);

#endif
