/* Fidelity: trace loading (hostile lines) and fingerprints (what is
 * normalised, what is not). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness/engine/client.h"
#include "../harness/recording/fidelity.h"
#include "../harness/steps/steps.h"
#include "../harness/wire/buf.h"

static char *write_tmp(const char *text)
{
    char *path = mc_xstrdup("/tmp/mcpcompat-trace-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void test_trace_load_hostile(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "{\"seq\":1}\nnot json\n",
        "{\"seq\":1}\n[1,2]\n",
        "{\"seq\":1}\n{\"seq\":2,\"path\":\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *path = write_tmp(bad[i]);
        char *why = NULL;
        json_t *t = mc_trace_load(path, &why);
        assert_null(t);
        assert_non_null(why);
        char *where = mc_xasprintf("%s:2:", path);
        if (strncmp(why, where, strlen(where)) != 0)
            fail_msg("want %s..., got %s", where, why);
        free(where);
        free(why);
        unlink(path);
        free(path);
    }
    char *why = NULL;
    assert_null(mc_trace_load("/nonexistent/trace.jsonl", &why));
    assert_non_null(why);
    free(why);
}

static void test_trace_load_skips_markers(void **state)
{
    (void)state;
    char *path = write_tmp("{\"seq\":1,\"method\":\"GET\",\"path\":\"/__marker\"}\n\n"
                           "{\"seq\":2,\"method\":\"POST\",\"path\":\"/mcp\"}\n");
    char *why = NULL;
    json_t *t = mc_trace_load(path, &why);
    assert_non_null(t);
    assert_int_equal(json_array_size(t), 1);
    json_decref(t);
    unlink(path);
    free(path);
}

#define HOST "{\"host\":\"127.0.0.1:9301\"}"

static void test_fingerprint_normalises_ports_and_ids(void **state)
{
    (void)state;
    json_error_t je;
    json_t *reqs = json_loads(
        "[{\"seq\":1,\"method\":\"POST\",\"path\":\"/mcp\",\"headers\":" HOST ","
        "\"body\":{\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"}},"
        "\"status\":401},"
        "{\"seq\":2,\"method\":\"GET\",\"path\":\"/.well-known/oauth-protected-resource/mcp\","
        "\"headers\":" HOST ",\"status\":200},"
        "{\"seq\":3,\"method\":\"GET\",\"path\":\"/.well-known/oauth-protected-resource/mcp\","
        "\"headers\":" HOST ",\"status\":200},"
        "{\"seq\":4,\"method\":\"POST\",\"path\":\"/register\",\"headers\":" HOST ","
        "\"body\":{\"redirect_uris\":[\"http://127.0.0.1:38269/callback/ylxuL7wVhRsc\"],"
        "\"client_name\":\"Codex\"},\"status\":201},"
        "{\"seq\":5,\"method\":\"GET\",\"path\":\"/authorize\",\"headers\":" HOST ","
        "\"query\":{\"response_type\":\"code\",\"client_id\":\"dcr-1\","
        "\"redirect_uri\":\"http://127.0.0.1:38269/callback/ylxuL7wVhRsc\","
        "\"resource\":\"http://127.0.0.1:9301/mcp\"},\"status\":302},"
        "{\"seq\":6,\"method\":\"POST\",\"path\":\"/token\",\"headers\":" HOST ","
        "\"body\":{\"grant_type\":\"authorization_code\",\"code\":\"x\",\"client_id\":\"dcr-1\"},"
        "\"status\":200}]",
        0, &je);
    assert_non_null(reqs);
    mc_profile p = {.port_policy = MC_PORT_RANDOM};
    mc_fingerprint fp;
    mc_fingerprint_make(reqs, &p, 0, 7, &fp);
    assert_string_equal(fp.value[0], "POST /mcp rpc=initialize pv=2025-06-18 mpv=-");
    /* discovery: each URL once, in first-seen order */
    assert_string_equal(fp.value[1], "/.well-known/oauth-protected-resource/mcp");
    assert_string_equal(
        fp.value[2],
        "client_name=\"Codex\" redirect_uris=[\"http://127.0.0.1:PORT/callback/{id}\"]");
    assert_string_equal(fp.value[3], "http://127.0.0.1/callback/{id}, any port");
    assert_non_null(strstr(fp.value[4], "resource=http://127.0.0.1:PORT/mcp"));
    assert_non_null(strstr(fp.value[4], "state absent; client dynamic"));
    assert_string_equal(
        fp.value[5],
        "grant_type=authorization_code params grant_type,code,client_id; client auth none");
    assert_string_equal(fp.value[7], "stopped after token");
    mc_fingerprint_free(&fp);
    /* capped at registration: later phases are left out */
    mc_fingerprint_make(reqs, &p, 0, 4, &fp);
    assert_string_equal(fp.value[4], "(none)");
    assert_string_equal(fp.value[7], "stopped after registration");
    mc_fingerprint_free(&fp);
    json_decref(reqs);
    assert_int_equal(mc_phase_index("token"), 6);
    assert_int_equal(mc_phase_index("nope"), 0);
}

/* mcp-remote's callback port: 3335 + md5(parts joined by '|') mod 45816,
 * checked against the ports its recordings show. */
static void test_hash_port_matches_recordings(void **state)
{
    (void)state;
    assert_int_equal(mc_hash_port("http://127.0.0.1:9201/mcp", NULL), 5269);
    assert_int_equal(mc_hash_port("http://127.0.0.1:9800/mcp", NULL), 35529);
    /* --client-metadata-url is one of the hashed parts */
    assert_int_equal(
        mc_hash_port("http://127.0.0.1:9206/mcp", "https://client.example.org/mcp-remote.json"),
        19805);
}

/* A callback URL the user configured: as given, with the per-server id
 * appended (Codex), or not at all. */
static void test_redirect_from_callback_url(void **state)
{
    (void)state;
    mc_profile p = {
        .port_policy = MC_PORT_RANDOM, .redirect_host = "127.0.0.1", .redirect_path = "/callback"};
    mc_client_config cfg = {.mcp_url = "http://127.0.0.1:9506/mcp",
                            .server_name = "rec",
                            .callback_url = "http://127.0.0.1:7791/oauth/cb/"};
    p.callback_url = MC_CALLBACK_VERBATIM;
    char *u = mc_redirect_uri_for(&p, &cfg, 0);
    assert_string_equal(u, "http://127.0.0.1:7791/oauth/cb/");
    free(u);
    p.callback_url = MC_CALLBACK_APPEND_ID;
    u = mc_redirect_uri_for(&p, &cfg, 0);
    assert_int_equal(strncmp(u, "http://127.0.0.1:7791/oauth/cb/", 31), 0);
    assert_int_equal(strlen(u), 31 + 12); /* one slash, then the 12-character id */
    assert_null(strchr(u + 31, '/'));
    free(u);
    p.callback_url = MC_CALLBACK_NONE;
    u = mc_redirect_uri_for(&p, &cfg, 5000);
    assert_string_equal(u, "http://127.0.0.1:5000/callback");
    free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trace_load_hostile),
        cmocka_unit_test(test_trace_load_skips_markers),
        cmocka_unit_test(test_fingerprint_normalises_ports_and_ids),
        cmocka_unit_test(test_hash_port_matches_recordings),
        cmocka_unit_test(test_redirect_from_callback_url),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
