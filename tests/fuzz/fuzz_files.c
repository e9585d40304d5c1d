/* libFuzzer target over the readers of the files a user gives: profiles,
 * scenarios, recorded traces (as `fidelity` reads and fingerprints them),
 * personas, modes.json, and `profile draft` over a trace (its whole logic:
 * every phase's knobs, with --from a profile file or none). The first
 * input byte picks the reader (and for draft the client the trace's name
 * ties it to, and --from); the rest is the file. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../fixtures/fixture.h"
#include "../../harness/data/persona.h"
#include "../../harness/data/profile.h"
#include "../../harness/data/scenario.h"
#include "../../harness/data/schema.h"
#include "../../harness/engine/run.h"
#include "../../harness/recording/fidelity.h"

#ifndef MC_SOURCE_DIR
#define MC_SOURCE_DIR "."
#endif

static char path[64], dir[64];
static mc_profile *reference; /* the profile traces are fingerprinted with */

static void setup(void)
{
    snprintf(path, sizeof path, "/tmp/mcpcompat-fuzz-files-%ld", (long)getpid());
    /* a personas folder of one file (the persona reader takes a folder) */
    snprintf(dir, sizeof dir, "/tmp/mcpcompat-fuzz-personas-%ld", (long)getpid());
    mkdir(dir, 0700);
    /* draft without --from reads its base among the profiles: a folder of
     * that one (all of them would be read again at each input) */
    static char profiles[64];
    snprintf(profiles, sizeof profiles, "/tmp/mcpcompat-fuzz-profiles-%ld", (long)getpid());
    mkdir(profiles, 0700);
    char link[128];
    snprintf(link, sizeof link, "%s/spec-2025-11-25.json", profiles);
    (void)!symlink(MC_SOURCE_DIR "/profiles/spec-2025-11-25.json", link);
    setenv("MCPCOMPAT_PROFILES", profiles, 1);
    mc_error err;
    if (mc_profile_load(MC_SOURCE_DIR "/profiles/spec-2025-11-25.json", &reference, &err) != 0) {
        fprintf(stderr, "fuzz_files: %s\n", mc_error_str(&err));
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!reference)
        setup();
    if (size < 1)
        return 0;
    /* a trace for draft is named after a client (its mode in modes.json) */
    static const char *const traces[] = {"codex-0.169.0-default", "gemini-cli-0.61.0-no-dcr",
                                         "claude-code-2.1.332-strict-redirect", "unknown"};
    char persona[96], trace[128];
    snprintf(persona, sizeof persona, "%s/p.json", dir);
    snprintf(trace, sizeof trace, "%s/%s.jsonl", dir, traces[(data[0] / 6) % 4]);
    unsigned which = data[0] % 6;
    FILE *f = fopen(which == 3 ? persona : which == 5 ? trace : path, "wb");
    if (!f)
        abort();
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    mc_error err;
    switch (which) {
    case 0: {
        mc_profile *p = NULL;
        if (mc_profile_load(path, &p, &err) == 0)
            mc_profile_free(p);
        else
            mc_error_str(&err);
        break;
    }
    case 1: {
        mc_scenario *s = NULL;
        if (mc_scenario_load(path, &s, &err) == 0) {
            mc_scenario_url(s);
            mc_scenario_client(s, "spec-2025-11-25");
            mc_scenario_expect(s, "spec-2025-11-25");
            mc_scenario_free(s);
        } else {
            mc_error_str(&err);
        }
        break;
    }
    case 3: { /* a persona, applied to a fixture configuration */
        mc_personas ps = {0};
        if (mc_personas_load_dir(dir, &ps, &err) == 0) {
            for (size_t i = 0; i < ps.n; i++) {
                mc_fixture_config fc;
                mc_fixture_config_init(&fc);
                const char *why = NULL;
                mc_persona_apply(ps.items[i], &fc, &why);
                free(mc_persona_quirks(ps.items[i]));
                free(mc_persona_remedy(ps.items[i], 3, "x"));
                mc_fixture_config_free(&fc);
            }
            mc_personas_free(&ps);
        } else {
            mc_error_str(&err);
        }
        break;
    }
    case 4: { /* modes.json, as fidelity and profile draft read it */
        json_t *modes = mc_schema_load_json(path, &err);
        const char *mode = NULL;
        mc_trace_client(modes, "codex-0.169.0-default", &mode);
        mc_trace_client(modes, "x", &mode);
        json_decref(modes);
        break;
    }
    case 5: { /* profile draft TRACE [--from PROFILE] -o /dev/null */
        mc_config cfg = {.url = trace, .output = "/dev/null"};
        if ((data[0] / 24) % 4) /* else the built-in base, read among all profiles */
            cfg.from = MC_SOURCE_DIR "/profiles/spec-2025-11-25.json";
        mc_cmd_profile_draft(&cfg);
        unlink(trace);
        break;
    }
    default: {
        char *why = NULL;
        json_t *reqs = mc_trace_load(path, &why);
        free(why);
        if (reqs) {
            mc_fingerprint fp;
            mc_fingerprint_make(reqs, reference, 0, 7, &fp);
            mc_fingerprint_free(&fp);
            mc_fingerprint_make(reqs, reference, 33418, 3, &fp);
            mc_fingerprint_free(&fp);
            json_decref(reqs);
        }
        break;
    }
    }
    unlink(path);
    return 0;
}
