/* Where the data is: the flag and the environment before the installed
 * tree; profile arguments that are paths; a user's profile file loaded
 * beside the built-in ones, its errors with file:line:column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness/data/data.h"
#include "../harness/data/profile.h"
#include "../harness/wire/buf.h"

static void test_data_flag_and_environment_come_first(void **state)
{
    (void)state;
    /* resolved once per process: set everything before the first call */
    const char *src = getenv("MCPCOMPAT_SOURCE");
    assert_non_null(src);
    char *profiles = mc_xasprintf("%s/profiles", src);
    setenv("MCPCOMPAT_PROFILES", "/nonexistent-env-profiles", 1);
    setenv("MCPCOMPAT_SCENARIOS", "/nonexistent-env-scenarios", 1);
    unsetenv("MCPCOMPAT_TRACES");
    mc_data_set_profiles_dir(profiles);
    assert_string_equal(mc_data_dir(MC_DATA_PROFILES), profiles);
    assert_string_equal(mc_data_dir(MC_DATA_SCENARIOS), "/nonexistent-env-scenarios");
    /* neither set: the build tree's traces (this binary is not installed) */
    char *traces = mc_xasprintf("%s/fixtures/traces", src);
    assert_string_equal(mc_data_dir(MC_DATA_TRACES), traces);
    free(traces);

    /* a user's own profile by path, beside the built-in ones */
    char dir[] = "/tmp/mcpcompat-data-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *good = mc_xasprintf("%s/mine.json", dir);
    char *cmd = mc_xasprintf("sed 's/\"id\": \"spec-2025-11-25\"/\"id\": \"mine-1\"/' "
                             "%s/spec-2025-11-25.json > %s",
                             profiles, good);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    char *ids = mc_xasprintf("vscode,%s", good);
    mc_profiles all;
    mc_error err;
    assert_int_equal(mc_profiles_load_set(ids, &all, &err), 0);
    mc_profile *p = mc_profiles_find(&all, good);
    assert_non_null(p);
    assert_string_equal(p->id, "mine-1");
    assert_non_null(mc_profiles_find(&all, "vscode-1.122"));
    assert_null(mc_profiles_find(&all, "/nowhere/mine.json"));
    mc_profiles_free(&all);
    free(ids);

    /* a bad one: file, line and column, nothing loaded */
    char *bad = mc_xasprintf("%s/bad.json", dir);
    FILE *f = fopen(bad, "w");
    assert_non_null(f);
    fputs("{\n  \"id\": \"x\",\n  \"colour\": 1\n}\n", f);
    fclose(f);
    assert_int_equal(mc_profiles_load_set(bad, &all, &err), -1);
    assert_int_equal(all.n, 0);
    assert_string_equal(err.file, bad);
    assert_int_equal(err.line, 3);
    assert_true(err.column > 0);
    assert_non_null(strstr(err.text, "colour"));
    /* a file that never ends is refused before any read: not a regular file */
    assert_int_equal(mc_profiles_load_set("/dev/zero", &all, &err), -1);
    assert_non_null(strstr(err.text, "not a regular file: a character device"));
    unlink(good);
    unlink(bad);
    rmdir(dir);
    free(good);
    free(bad);
    free(profiles);
}

static void test_data_profile_arg_is_path(void **state)
{
    (void)state;
    static const struct {
        const char *arg;
        int path;
    } cases[] = {
        {"vscode", 0},
        {"vscode-1.122", 0},
        {"spec-2025-11-25", 0},
        {"./my.json", 1},
        {"/abs/x", 1},
        {"my-client.json", 1},
        {"a/b", 1},
        {".json", 0},
        {"x.jsonl", 0},
        {"claude-code-2.1.332", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_int_equal(mc_profile_arg_is_path(cases[i].arg), cases[i].path);
}

/* Evidence names its kind first; a break's check names the knob behind it. */
static void test_data_evidence_kinds_and_deciding_knobs(void **state)
{
    (void)state;
    assert_string_equal(mc_evidence_kind("recorded: traces/x.jsonl"), "recorded");
    assert_string_equal(mc_evidence_kind("assumed: nothing found"), "assumed");
    assert_string_equal(mc_evidence_kind("issue: a/b#1"), "issue");
    assert_null(mc_evidence_kind("traces/x.jsonl: no kind"));
    assert_null(mc_evidence_kind("recorded traces/x.jsonl"));
    assert_null(mc_evidence_kind(NULL));
    assert_string_equal(mc_deciding_knob("asm.issuer-matches"), "discovery.check_issuer");
    assert_string_equal(mc_deciding_knob("authz.iss-matches"), "authorization.iss");
    assert_null(mc_deciding_knob("authz.redirected-with-code"));
    assert_null(mc_deciding_knob(NULL));
}

/* The sets: current is the newest profile of each real client. */
static void test_data_profile_sets(void **state)
{
    (void)state;
    const char *src = getenv("MCPCOMPAT_SOURCE");
    char *dir = mc_xasprintf("%s/profiles", src ? src : ".");
    mc_profiles all;
    mc_error err;
    assert_int_equal(mc_profiles_load_dir(dir, &all, &err), 0);
    static const struct {
        const char *id, *set;
        int in;
    } cases[] = {
        {"claude-code-2.1.332", "current", 1},
        {"claude-code-2025", "current", 0},
        {"codex-0.171.0", "current", 1},
        {"codex-0.169.0", "current", 0},
        {"spec-2025-11-25", "current", 0},
        {"spec-2025-11-25", "reference", 1},
        {"codex-0.169.0", "all", 1},
        {"vscode-1.101", "reference", 0},
        {"claude-desktop-2026-09", "current", 1},
        {"claude-desktop-2026", "current", 0},
        /* only a provisioned client: asked for by name, not run by default */
        {"gemini-enterprise-2026", "current", 0},
        {"gemini-enterprise-2026", "all", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const mc_profile *p = mc_profiles_find(&all, cases[i].id);
        assert_non_null(p);
        assert_int_equal(mc_profile_in_set(&all, p, cases[i].set), cases[i].in);
    }
    assert_int_equal(mc_profile_in_set(&all, all.items[0], "newest"), -1);
    /* every profile's evidence has a kind, and the counts add up */
    for (size_t i = 0; i < all.n; i++) {
        size_t sum = 0;
        for (size_t k = 0; k < MC_EVIDENCE_KINDS; k++)
            sum += all.items[i]->kind_counts[k];
        assert_int_equal(sum, all.items[i]->evidence_count);
        assert_non_null(mc_profile_evidence(all.items[i], "discovery.check_issuer"));
        assert_non_null(mc_profile_evidence(all.items[i], "authorization.iss"));
    }
    mc_profiles_free(&all);
    free(dir);
}

/* The knobs the claude.ai connectors' evidence needed, read from the file. */
static void test_data_profile_new_knobs(void **state)
{
    (void)state;
    const char *src = getenv("MCPCOMPAT_SOURCE");
    char *path = mc_xasprintf("%s/profiles/claude-desktop-2026-09.json", src ? src : ".");
    mc_profile *p;
    mc_error err;
    assert_int_equal(mc_profile_load(path, &p, &err), 0);
    assert_true(p->cimd_requires_none);
    assert_int_equal(p->prm_resource_check, MC_RES_DROP_PREFIX);
    assert_string_equal(p->prompt, "consent");
    assert_int_equal(json_array_size(p->scope_add), 1);
    assert_string_equal(json_string_value(json_array_get(p->scope_add, 0)), "offline_access");
    assert_int_equal(p->nscope, 2);
    mc_profile_free(p);
    free(path);
    path = mc_xasprintf("%s/profiles/claude-code-2.1.332.json", src ? src : ".");
    assert_int_equal(mc_profile_load(path, &p, &err), 0);
    assert_false(p->cimd_requires_none);
    assert_null(p->prompt);
    assert_null(p->scope_add);
    assert_false(p->refresh_at_mcp_url); /* default: the login's token endpoint */
    mc_profile_free(p);
    free(path);
    /* mcpc refreshes at the token endpoint it finds at the MCP URL or origin */
    path = mc_xasprintf("%s/profiles/mcpc-0.2.6.json", src ? src : ".");
    assert_int_equal(mc_profile_load(path, &p, &err), 0);
    assert_true(p->refresh_at_mcp_url);
    assert_false(p->refresh_resource);
    mc_profile_free(p);
    free(path);
    assert_string_equal(mc_deciding_knob("refresh.token-endpoint-found"), "token.refresh_endpoint");
    /* Auggie drops a configured secret */
    path = mc_xasprintf("%s/profiles/auggie-0.36.0.json", src ? src : ".");
    assert_int_equal(mc_profile_load(path, &p, &err), 0);
    assert_string_equal(p->static_auth, "none");
    mc_profile_free(p);
    free(path);
    assert_string_equal(mc_deciding_knob("token.client-secret-sent"), "registration.static_auth");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_data_flag_and_environment_come_first),
        cmocka_unit_test(test_data_profile_arg_is_path),
        cmocka_unit_test(test_data_evidence_kinds_and_deciding_knobs),
        cmocka_unit_test(test_data_profile_sets),
        cmocka_unit_test(test_data_profile_new_knobs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
