/* Personas: real authorization servers (Keycloak, Entra ID, Okta, Auth0 …)
 * as data. A persona is a set of fixture policies, each citing the vendor's
 * documentation, an issue or a release note, and naming the product's own
 * setting that changes it (the remedy shown when a client breaks there). */
#ifndef MC_PERSONA_H
#define MC_PERSONA_H

#include "../../fixtures/fixture.h"
#include "schema.h"

#include <jansson.h>
#include <stddef.h>

typedef struct {
    char *name;     /* the policy's key in the file */
    char *quirks;   /* the fixture policies it sets ("dcr=off,strict-redirect") */
    int step;       /* the step where a client meets it; -1: none given */
    char *match;    /* a break's reason must contain this for the remedy; may be NULL */
    char *evidence; /* documentation URL + section, issue, release note */
    char *setting;  /* the product's setting (console field, config key); may be NULL */
    char *doc;      /* its documentation link; may be NULL */
    char *note;     /* may be NULL */
} mc_persona_policy;

typedef struct mc_persona {
    char *path;
    char *id;
    char *product;
    char *version;
    char *docs;
    char *description; /* may be NULL */
    mc_persona_policy *policies;
    size_t npolicies;
    json_t *defaults; /* knobs left at the fixture default, each with why */
    json_t *notes;    /* array of strings, may be NULL */
} mc_persona;

typedef struct {
    mc_persona **items;
    size_t n;
} mc_personas;

/* $MCPCOMPAT_PERSONAS, the installed personas, or fixtures/personas in the
 * source tree (mc_data_dir). */
const char *mc_personas_dir(void);
/* Loads every *.json of dir, sorted by id; a bad file fails the whole load
 * with file:line:column in err. */
int mc_personas_load_dir(const char *dir, mc_personas *out, mc_error *err);
/* By id, or a product prefix ("keycloak": the last keycloak-* by id). */
const mc_persona *mc_personas_find(const mc_personas *ps, const char *id);
void mc_personas_free(mc_personas *ps);
/* Applies every policy to cfg. Returns 0, or -1 with *err (static). */
int mc_persona_apply(const mc_persona *p, mc_fixture_config *cfg, const char **err);
/* All its policies' quirks, comma-separated (owned). */
char *mc_persona_quirks(const mc_persona *p);
/* The product's remedy for a break at step with reason: the settings of the
 * policies met there, with their links (owned), or NULL. */
char *mc_persona_remedy(const mc_persona *p, int step, const char *reason);

/* Loads the personas and finds id (reported on stderr when it fails);
 * *all is to be freed by the caller on success. */
int mc_persona_resolve(const char *id, mc_personas *all, const mc_persona **out);

/* The table persona files are checked against (mc_schema_json writes it out). */
const mc_field *mc_persona_fields(void);

#endif
