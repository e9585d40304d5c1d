/* Room data/: profiles, scenarios, personas, the strict JSON reader, where
 * data is found; calls model/, wire/, fixtures/ (policies). */
/* Where the data files are (profiles, scenarios, traces, personas) for a
 * binary that may run from the build tree, an install prefix or a package,
 * and the profile set a command uses. */
#ifndef MC_DATA_H
#define MC_DATA_H

#include "embedded.h"
#include "profile.h"
#include "schema.h"

typedef enum { MC_DATA_PROFILES, MC_DATA_SCENARIOS, MC_DATA_TRACES, MC_DATA_PERSONAS } mc_data_kind;

/* The folder of kind: --profiles-dir or its environment variable
 * (MCPCOMPAT_PROFILES, _SCENARIOS, _TRACES, _PERSONAS) first, then
 * ../share/mcpcompat/<kind> beside the binary, then the source tree the binary
 * was built from (when built with MCPCOMPAT_TREE_DATA), then the data built
 * into the binary ("embedded:<kind>", embedded.h). Borrowed; when none
 * exists, the installed location, so that errors name it. */
const char *mc_data_dir(mc_data_kind kind);
/* --profiles-dir: wins over everything; call before mc_data_dir. */
void mc_data_set_profiles_dir(const char *dir);
/* The folder holding the installed data beside the binary, or NULL; owned. */
char *mc_data_share_dir(void);
/* A --profile item naming a file rather than a built-in id. */
int mc_profile_arg_is_path(const char *arg);
/* The built-in profiles plus every file ids (comma-separated, may be NULL)
 * names by path, so that mc_profiles_find finds both. */
int mc_profiles_load_set(const char *ids, mc_profiles *out, mc_error *err);

#endif
