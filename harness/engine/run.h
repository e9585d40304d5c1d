/* Room engine/: the run plan, executing it, the client state machine, the
 * server suite, matrix; calls steps/, data/, model/, wire/, reports/,
 * fixtures/. */
/* The run engine: resolves the target (URL, scenario or the embedded
 * fixture), runs each selected profile, the server suite, and the reports. */
#ifndef MC_RUN_H
#define MC_RUN_H

#include "../../fixtures/fixture.h"
#include "../data/profile.h"
#include "../data/scenario.h"
#include "../model/result.h"

#include <stddef.h>

#define MC_MAX_QUIRKS 32

typedef struct {
    const char *url;
    const char *scenario;
    const char *profiles; /* comma-separated ids or client names */
    const char *spec;
    const char *quirks[MC_MAX_QUIRKS];
    size_t nquirks;
    const char *client_id, *client_secret;
    const char *login_user_env, *login_password_env;
    const char *cacert;
    long timeout; /* seconds per HTTP answer, 0: the default */
    const char *tls_cert, *tls_key;
    int insecure;
    const char *junit, *json;
    int verbose;
    long port;
    const char *record;
    int fixed;
    int no_server_suite;
    int refresh;
    long jobs; /* clients run side by side; 0: the default */
    const char *server_name;
    const char *cimd_url;
    const char *login_command;
    int login_manual;
    long login_timeout;
    const char *html; /* --html FILE */
    const char *profiles_dir;
    const char *markdown;
    const char *as;                   /* --as PERSONA[,PERSONA…]|all */
    const struct mc_persona *persona; /* the persona the fixture plays, or NULL */

    long max_time;      /* --max-time: seconds for the whole run, 0: none */
    int allow_private;  /* --allow-private: no SSRF guard on discovered URLs */
    int one_address;    /* --one-address: every client from the system's source address */
    int fail_on;        /* --fail-on: MC_GATE_* (model/verdict.h), 0: the default */
    int quiet;          /* -q: no progress lines on a terminal */
    const char *from;   /* profile draft --from */
    const char *output; /* profile draft -o */
} mc_config;

/* Exit codes (DESIGN.md §5). */
enum { MC_EXIT_OK = 0, MC_EXIT_BROKE = 1, MC_EXIT_USAGE = 2, MC_EXIT_CANNOT = 3 };
/* `fidelity` on a trace whose mode is listed as not compared (ctest: skipped) */
enum { MC_EXIT_NOT_COMPARED = 77 };

const char *mc_profiles_dir(void);
/* Color on the console: stdout is a tty and NO_COLOR is unset. */
int mc_use_color(void);
/* "mcpcompat: msg" on stderr; returns MC_EXIT_USAGE. */
int mc_usage_error(const char *msg);
/* The embedded fixture as the flags and the scenario (may be NULL) say. */
int mc_fixture_config_from(const mc_config *cfg, const mc_scenario *sc, mc_fixture_config *fc);
/* The profiles --profile or the scenario (may be NULL) names, all without
 * either; *out is owned by the caller. Returns 0, or -1 (reported). */
int mc_select_profiles(const mc_config *cfg, const mc_scenario *sc, const mc_profiles *all,
                       mc_profile ***out, size_t *n);
/* Runs profiles against the embedded fixture configured as fc says, started
 * and stopped here, without the server suite. Returns an exit code; *res is
 * filled when MC_EXIT_OK (free it with mc_run_result_free). */
int mc_run_on_fixture(const mc_config *cfg, const mc_fixture_config *fc, mc_profile **profiles,
                      size_t n, const mc_profiles *all, mc_run_result *res);
int mc_cmd_run(const mc_config *cfg);
int mc_cmd_matrix(const mc_config *cfg);
int mc_cmd_demo(const mc_config *cfg);
int mc_cmd_serve(const mc_config *cfg);
int mc_cmd_profiles(const mc_config *cfg);
int mc_cmd_checks(const mc_config *cfg);
int mc_cmd_fidelity(const mc_config *cfg);
int mc_cmd_personas(const mc_config *cfg);
/* The personas, one line each (serve --help). */
void mc_print_personas_brief(void);
int mc_cmd_proxy(const mc_config *cfg);
int mc_cmd_profile_draft(const mc_config *cfg);

#endif
