/* A scenario: a target (a URL, or the embedded fixture with quirks and
 * pre-registered clients), per-profile client configuration, login
 * credentials by environment variable name, the spec revision, and
 * expectations that turn a run into a regression baseline. */
#ifndef MC_SCENARIO_H
#define MC_SCENARIO_H

#include "schema.h"

#include <jansson.h>

typedef struct {
    char *path;
    json_t *root; /* the validated document; getters below read it */
} mc_scenario;

int mc_scenario_load(const char *path, mc_scenario **out, mc_error *err);
void mc_scenario_free(mc_scenario *s);

/* Borrowed views (NULL when absent). */
const char *mc_scenario_url(const mc_scenario *s);
const char *mc_scenario_revision(const mc_scenario *s);
json_t *mc_scenario_fixture(const mc_scenario *s);  /* {quirks, clients} */
json_t *mc_scenario_profiles(const mc_scenario *s); /* array of ids */
json_t *mc_scenario_client(const mc_scenario *s, const char *profile_id);
const char *mc_scenario_expect(const mc_scenario *s, const char *profile_id);
const char *mc_scenario_login_env(const mc_scenario *s, const char *which);
json_t *mc_scenario_busy_ports(const mc_scenario *s); /* array of integers */
const char *mc_scenario_server_name(const mc_scenario *s);
/* The scenario's remedy for a profile's expected break (console and JUnit). */
const char *mc_scenario_remedy(const mc_scenario *s, const char *profile_id);

/* The scenario's fail_on as MC_GATE_* bits (model/verdict.h), 0 when absent. */
int mc_scenario_fail_on(const mc_scenario *s);

/* The persona the scenario's fixture plays (fixtures/personas), or NULL. */
const char *mc_scenario_persona(const mc_scenario *s);

/* The table scenario files are checked against (mc_schema_json writes it out). */
const mc_field *mc_scenario_fields(void);

#endif
