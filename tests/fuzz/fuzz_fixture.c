/* libFuzzer target over the fixture's HTTP handlers, through its real
 * listener on loopback (a slow, network target: run it for a time budget):
 * /register, /authorize (with Client ID Metadata Documents fetched from the
 * fixture itself), /token, the login and consent forms, /mcp, the metadata.
 * The input is one raw HTTP request, its first byte picking one of three
 * fixtures (defaults; cimd + login=form + step-up; dcr-proxy + iss=wrong +
 * legacy), with "{P}" replaced by the fixture's port, so the seeds can name
 * it in Host and client_id URLs. A handler that crashes, leaks or hangs the
 * listener fails the target; the answer itself is not judged. */
#include <curl/curl.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../fixtures/fixture.h"
#include "../../harness/wire/buf.h"
#include "../../harness/wire/redact.h"
#include "loopback.h"

#define NFIX 3

static mc_fixture *fx[NFIX];
static mc_fixture_config fc[NFIX];
static long ports[NFIX];

/* At exit the fixtures stop and their handler threads end: a handler still
 * in a fetch at exit leaves its thread's allocations, which LeakSanitizer
 * would report against the fixture. */
static void teardown(void)
{
    for (int i = 0; i < NFIX; i++) {
        mc_fixture_stop(fx[i]);
        fx[i] = NULL;
        mc_fixture_config_free(&fc[i]);
    }
}

static void setup(void)
{
    /* libcurl (and OpenSSL) initialised on this thread, as main() does: else
     * the first fetch initialises them in a handler thread, whose per-thread
     * OpenSSL error state LeakSanitizer may see unreachable at exit */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    static const char *const quirks[NFIX] = {NULL, "cimd,login=form,step-up=mcp:admin,sse",
                                             "dcr-proxy,iss=wrong,legacy-2025-03-26"};
    for (int i = 0; i < NFIX; i++) {
        mc_fixture_config_init(&fc[i]);
        static const char *const pub[] = {"http://127.0.0.1/callback", NULL};
        mc_fixture_add_client(&fc[i], "mcpcompat-public", NULL, pub);
        mc_fixture_add_client(&fc[i], "mcpcompat-confidential", "fuzz-secret-123456", pub);
        const char *err = NULL;
        if (quirks[i] && mc_fixture_quirk(&fc[i], quirks[i], &err) != 0)
            abort();
        char *why = NULL;
        if (mc_fixture_start(&fc[i], &fx[i], &why) != 0) {
            fprintf(stderr, "fuzz_fixture: %s\n", why);
            abort();
        }
        const char *url = mc_fixture_mcp_url(fx[i]);
        ports[i] = strtol(strrchr(url, ':') + 1, NULL, 10);
    }
    atexit(teardown);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fx[0])
        setup();
    if (size < 1)
        return 0;
    int which = data[0] % NFIX;
    char port[16];
    snprintf(port, sizeof port, "%ld", ports[which]);
    mc_buf req;
    mc_buf_init(&req, 1 << 20);
    for (size_t i = 1; i < size; i++) {
        if (i + 3 <= size && memcmp(data + i, "{P}", 3) == 0) {
            mc_buf_adds(&req, port);
            i += 2;
        } else {
            mc_buf_add(&req, (const char *)data + i, 1);
        }
    }
    int s = fuzz_connect_loopback(ports[which], 5);
    if (s < 0) {
        if (errno == EADDRNOTAVAIL || errno == EAGAIN) { /* this side's ports, not the fixture */
            mc_buf_free(&req);
            return 0;
        }
        fprintf(stderr, "fuzz_fixture: connect: %s\n", strerror(errno));
        abort(); /* the listener is gone */
    }
    fuzz_exchange(s, req.data, req.len);
    mc_buf_free(&req);
    return 0;
}
