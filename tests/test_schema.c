/* Strict loading of profiles: file:line:column for every kind of mistake. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness/data/profile.h"
#include "../harness/data/scenario.h"
#include "../harness/model/checks.h"
#include "../harness/wire/buf.h"

static char *write_tmp(const char *text)
{
    char *path = mc_xstrdup("/tmp/mcpcompat-profile-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void expect_error(const char *text, const char *want)
{
    char *path = write_tmp(text);
    mc_profile *p = NULL;
    mc_error err;
    assert_int_equal(mc_profile_load(path, &p, &err), -1);
    assert_null(p);
    const char *msg = mc_error_str(&err);
    /* "path:L:C: text" */
    if (strncmp(msg, path, strlen(path)) != 0 || !strstr(msg, want))
        fail_msg("got \"%s\", want \"%s\"", msg, want);
    unlink(path);
    free(path);
}

#define HEAD                                                                                       \
    "{\n  \"id\": \"x-1\",\n  \"client\": \"X\",\n  \"client_version\": \"1\",\n  \"released\": "  \
    "\"2026-01\",\n"                                                                               \
    "  \"spec_revision\": \"2025-11-25\",\n"

static void test_profile_load_errors(void **state)
{
    (void)state;
    expect_error("{\"id\": \"x\",\n", ":2:1: string or '}' expected");
    expect_error(HEAD "  \"colour\": 1\n}\n", ":7:3: unknown key \"colour\"");
    expect_error(HEAD "  \"discovery\": {\n    \"prm_ordre\": []\n  }\n}\n",
                 ":8:5: unknown key \"prm_ordre\"");
    expect_error(HEAD "  \"redirect\": {\"port\": \"80\"}\n}\n",
                 ":7:16: \"port\" must be an integer");
    expect_error(HEAD "  \"discovery\": {\"as_order\": [\"oauth\"]}\n}\n",
                 "unknown value \"oauth\"");
    expect_error("{\n  \"id\": \"x\"\n}\n", ":1:1: missing required key \"client\"");
    expect_error("[1, 2]", ":1:1: the top level must be an object");
    expect_error(HEAD "  \"redirect\": {\"port\": 70000}\n}\n", "redirect.port must be 1..65535");
    expect_error("{\"id\": \"a\", \"id\": \"b\"}", "duplicate object key");
    expect_error(HEAD "  \"probe\": {\"auth_trigger\": \"first\"}\n}\n", "unknown value \"first\"");
    expect_error(HEAD "  \"mcp\": {\"step_up_limit\": 11}\n}\n", "mcp.step_up_limit must be 0..10");
    expect_error(HEAD "  \"mcp\": {\"step_up_limit\": -1}\n}\n", "mcp.step_up_limit must be 0..10");
}

static void test_profile_load_reference_profiles(void **state)
{
    (void)state;
    const char *src = getenv("MCPCOMPAT_SOURCE");
    assert_non_null(src);
    char *dir = mc_xasprintf("%s/profiles", src);
    mc_profiles all;
    mc_error err;
    if (mc_profiles_load_dir(dir, &all, &err) != 0)
        fail_msg("%s", mc_error_str(&err));
    mc_profile *p = mc_profiles_find(&all, "spec-2025-11-25");
    /* issue 13: authorization at any 401, step-up bounded by spec S10-15's "a few" */
    assert_false(p->auth_connect_only);
    assert_int_equal(p->step_up_limit, 3);
    assert_true(mc_profiles_find(&all, "gemini-cli")->auth_connect_only);
    assert_int_equal(mc_profiles_find(&all, "sdk-client")->step_up_limit, 0);
    assert_non_null(p);
    assert_int_equal(p->rev, MC_REV_2025_11_25);
    assert_int_equal(p->nprm, 3);
    assert_int_equal(p->pkce_metadata, MC_PKCE_MD_REQUIRE);
    assert_non_null(mc_profiles_find(&all, "spec")); /* by client: the newest */
    assert_string_equal(mc_profiles_find(&all, "spec")->id, "spec-2026-07-28");
    assert_null(mc_profiles_find(&all, "nope"));
    mc_profiles_free(&all);
    free(dir);
}

static void test_scenario_load_errors(void **state)
{
    (void)state;
    char *path = write_tmp("{\n  \"id\": \"s\",\n  \"target\": {\"url\": \"http://x/mcp\"},\n"
                           "  \"expect\": {\"a\": \"broke:nowhere\"}\n}\n");
    mc_scenario *s = NULL;
    mc_error err;
    assert_int_equal(mc_scenario_load(path, &s, &err), -1);
    assert_non_null(strstr(mc_error_str(&err), "not pass or broke:<step-id>"));
    unlink(path);
    free(path);
    path = write_tmp("{\"id\": \"s\", \"target\": {}}");
    assert_int_equal(mc_scenario_load(path, &s, &err), -1);
    assert_non_null(strstr(mc_error_str(&err), "exactly one of url, fixture"));
    unlink(path);
    free(path);
}

/* Every scenario shipped in scenarios/ loads. */
static void test_scenarios_shipped_load(void **state)
{
    (void)state;
    const char *src = getenv("MCPCOMPAT_SOURCE");
    assert_non_null(src);
    static const char *const names[] = {"seed-2026", "seed-2026-fixed", "example-own-server"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *path = mc_xasprintf("%s/scenarios/%s.json", src, names[i]);
        mc_scenario *sc = NULL;
        mc_error err;
        if (mc_scenario_load(path, &sc, &err) != 0)
            fail_msg("%s", mc_error_str(&err));
        mc_scenario_free(sc);
        free(path);
    }
}

/* The catalogue: unique ids, every field filled, a keyword in some revision. */
static void test_check_catalogue_well_formed(void **state)
{
    (void)state;
    assert_true(mc_checks_count > 40);
    for (size_t i = 0; i < mc_checks_count; i++) {
        const mc_check_def *d = &mc_checks[i];
        assert_non_null(d->id);
        assert_true(d->ref && *d->ref && d->summary && *d->summary && d->remedy && *d->remedy);
        assert_true(d->step <= MC_STEP_SERVER);
        int any = 0;
        for (int r = 0; r < MC_REV_COUNT; r++)
            any |= d->kw[r] != MC_KW_NONE;
        if (!any)
            fail_msg("%s is a requirement of no revision", d->id);
        for (size_t k = i + 1; k < mc_checks_count; k++)
            if (strcmp(d->id, mc_checks[k].id) == 0)
                fail_msg("check id %s appears twice", d->id);
        assert_ptr_equal(mc_check_find(d->id), d);
    }
    assert_null(mc_check_find("no.such-check"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profile_load_errors),
        cmocka_unit_test(test_profile_load_reference_profiles),
        cmocka_unit_test(test_scenario_load_errors),
        cmocka_unit_test(test_check_catalogue_well_formed),
        cmocka_unit_test(test_scenarios_shipped_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
