#include "scenario.h"

#include "../model/checks.h"
#include "../model/verdict.h"
#include "../wire/buf.h"
#include "../wire/url.h"

#include <stdlib.h>
#include <string.h>

static const char *const revs[] = {"2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28", NULL};

static const mc_field fixture_client_fields[] = {{"client_id", MC_T_STRING, 1, NULL, NULL},
                                                 {"client_secret_env", MC_T_STRING, 0, NULL, NULL},
                                                 {"redirect_uris", MC_T_STRINGS, 1, NULL, NULL},
                                                 {"note", MC_T_STRING, 0, NULL, NULL},
                                                 {NULL, 0, 0, NULL, NULL}};
static const mc_field fixture_fields[] = {
    {"quirks", MC_T_STRINGS, 0, NULL, NULL},
    {"persona", MC_T_STRING, 0, NULL, NULL},
    {"clients", MC_T_ARRAY_OBJECT, 0, fixture_client_fields, NULL},
    {NULL, 0, 0, NULL, NULL}};
static const mc_field target_fields[] = {{"url", MC_T_STRING, 0, NULL, NULL},
                                         {"fixture", MC_T_OBJECT, 0, fixture_fields, NULL},
                                         {NULL, 0, 0, NULL, NULL}};
static const mc_field client_fields[] = {{"client_id", MC_T_STRING, 0, NULL, NULL},
                                         {"client_secret_env", MC_T_STRING, 0, NULL, NULL},
                                         {"callback_port", MC_T_INT, 0, NULL, NULL},
                                         {"callback_url", MC_T_STRING, 0, NULL, NULL},
                                         {"cimd_url", MC_T_STRING, 0, NULL, NULL},
                                         {"registration_metadata", MC_T_ANY_OBJECT, 0, NULL, NULL},
                                         {"via", MC_T_STRING, 0, NULL, NULL},
                                         {"note", MC_T_STRING, 0, NULL, NULL},
                                         {NULL, 0, 0, NULL, NULL}};
static const mc_field condition_fields[] = {{"busy_ports", MC_T_INTS, 0, NULL, NULL},
                                            {NULL, 0, 0, NULL, NULL}};
static const mc_field login_fields[] = {{"user_env", MC_T_STRING, 0, NULL, NULL},
                                        {"password_env", MC_T_STRING, 0, NULL, NULL},
                                        {NULL, 0, 0, NULL, NULL}};
static const mc_field scenario_fields[] = {{"id", MC_T_STRING, 1, NULL, NULL},
                                           {"description", MC_T_STRING, 0, NULL, NULL},
                                           {"target", MC_T_OBJECT, 1, target_fields, NULL},
                                           {"spec_revision", MC_T_STRING, 0, NULL, revs},
                                           {"profiles", MC_T_STRINGS, 0, NULL, NULL},
                                           {"clients", MC_T_MAP_OBJECT, 0, client_fields, NULL},
                                           {"login", MC_T_OBJECT, 0, login_fields, NULL},
                                           {"conditions", MC_T_OBJECT, 0, condition_fields, NULL},
                                           {"server_name", MC_T_STRING, 0, NULL, NULL},
                                           {"remedies", MC_T_MAP_STRING, 0, NULL, NULL},
                                           {"expect", MC_T_MAP_STRING, 0, NULL, NULL},
                                           {"fail_on", MC_T_STRINGS, 0, NULL, mc_gate_words},
                                           {NULL, 0, 0, NULL, NULL}};

static int expectation_ok(const char *v)
{
    if (strcmp(v, "pass") == 0)
        return 1;
    if (strncmp(v, "broke:", 6) != 0)
        return 0;
    for (int i = 0; i < MC_STEP_COUNT; i++)
        if (strcmp(v + 6, mc_step_names[i]) == 0)
            return 1;
    return 0;
}

int mc_scenario_load(const char *path, mc_scenario **out, mc_error *err)
{
    json_t *root;
    *out = NULL;
    if (mc_schema_load(path, scenario_fields, &root, err) != 0)
        return -1;
    json_t *t = json_object_get(root, "target");
    if (!!json_object_get(t, "url") == !!json_object_get(t, "fixture")) {
        json_decref(root);
        return mc_error_set(err, path, 0, 0, "target needs exactly one of url, fixture");
    }
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(root, "expect"), k, v)
    {
        if (!expectation_ok(json_string_value(v))) {
            mc_error_set(err, path, 0, 0, "expect.%s: \"%s\" is not pass or broke:<step-id>", k,
                         json_string_value(v));
            json_decref(root);
            return -1;
        }
    }
    /* URLs a client is configured with must be absolute http(s) URLs */
    json_object_foreach(json_object_get(root, "clients"), k, v)
    {
        static const char *const url_keys[] = {"callback_url", "cimd_url"};
        for (size_t i = 0; i < sizeof url_keys / sizeof *url_keys; i++) {
            const char *u = json_string_value(json_object_get(v, url_keys[i]));
            char *canon = u ? mc_url_canonical(u) : NULL;
            free(canon);
            if (u && !canon) {
                mc_error_set(err, path, 0, 0,
                             "clients.%s.%s: \"%s\" is not an absolute http(s) URL", k, url_keys[i],
                             u);
                json_decref(root);
                return -1;
            }
        }
    }
    mc_scenario *s = mc_xcalloc(1, sizeof *s);
    s->path = mc_xstrdup(path);
    s->root = root;
    *out = s;
    return 0;
}

void mc_scenario_free(mc_scenario *s)
{
    if (!s)
        return;
    json_decref(s->root);
    free(s->path);
    free(s);
}

const char *mc_scenario_url(const mc_scenario *s)
{
    return json_string_value(json_object_get(json_object_get(s->root, "target"), "url"));
}

const char *mc_scenario_revision(const mc_scenario *s)
{
    return json_string_value(json_object_get(s->root, "spec_revision"));
}

json_t *mc_scenario_fixture(const mc_scenario *s)
{
    return json_object_get(json_object_get(s->root, "target"), "fixture");
}

json_t *mc_scenario_profiles(const mc_scenario *s)
{
    return json_object_get(s->root, "profiles");
}

json_t *mc_scenario_client(const mc_scenario *s, const char *profile_id)
{
    return json_object_get(json_object_get(s->root, "clients"), profile_id);
}

const char *mc_scenario_expect(const mc_scenario *s, const char *profile_id)
{
    return json_string_value(json_object_get(json_object_get(s->root, "expect"), profile_id));
}

const char *mc_scenario_login_env(const mc_scenario *s, const char *which)
{
    return json_string_value(json_object_get(json_object_get(s->root, "login"), which));
}

json_t *mc_scenario_busy_ports(const mc_scenario *s)
{
    return json_object_get(json_object_get(s->root, "conditions"), "busy_ports");
}

const char *mc_scenario_server_name(const mc_scenario *s)
{
    return json_string_value(json_object_get(s->root, "server_name"));
}

const char *mc_scenario_remedy(const mc_scenario *s, const char *profile_id)
{
    return json_string_value(json_object_get(json_object_get(s->root, "remedies"), profile_id));
}

const char *mc_scenario_persona(const mc_scenario *s)
{
    return json_string_value(json_object_get(mc_scenario_fixture(s), "persona"));
}

int mc_scenario_fail_on(const mc_scenario *s)
{
    json_t *list = json_object_get(s->root, "fail_on");
    if (!json_is_array(list))
        return 0;
    int gates = MC_GATE_SET;
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        int g;
        const char *bad;
        size_t badlen;
        if (mc_gates_parse(json_string_value(e), &g, &bad, &badlen) == 0)
            gates |= g; /* the schema admitted only known words */
    }
    return gates;
}

const mc_field *mc_scenario_fields(void)
{
    return scenario_fields;
}
