/* The small commands: serve (the fixture on its own), profiles, checks. */
#include "run.h"

#include "../fixtures/fixture.h"
#include "checks.h"
#include "profile.h"
#include "wire/buf.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested;
static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

int mc_cmd_serve(const mc_config *cfg)
{
    mc_fixture_config fc;
    if (mc_fixture_config_from(cfg, NULL, &fc) != 0) {
        mc_fixture_config_free(&fc);
        return MC_EXIT_USAGE;
    }
    mc_fixture *fx;
    char *why = NULL;
    if (mc_fixture_start(&fc, &fx, &why) != 0) {
        fprintf(stderr, "mcpcompat: %s\n", why);
        free(why);
        mc_fixture_config_free(&fc);
        return MC_EXIT_CANNOT;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    printf("%s\n", mc_fixture_mcp_url(fx));
    fflush(stdout);
    fprintf(stderr,
            "mcpcompat: fixture serving; pre-registered clients: %s (public), %s "
            "(confidential); login user %s\n",
            MC_FIXTURE_PUBLIC_CLIENT, MC_FIXTURE_CONFIDENTIAL_CLIENT, MC_FIXTURE_USER);
    while (!stop_requested)
        pause();
    mc_fixture_stop(fx);
    mc_fixture_config_free(&fc);
    return MC_EXIT_OK;
}

int mc_cmd_profiles(void)
{
    mc_profiles all;
    mc_error err;
    if (mc_profiles_load_dir(mc_profiles_dir(), &all, &err) != 0) {
        fprintf(stderr, "mcpcompat: %s\n", mc_error_str(&err));
        return MC_EXIT_USAGE;
    }
    printf("%-28s %-40s %-14s %s\n", "ID", "CLIENT", "VERSION", "EVIDENCE");
    for (size_t i = 0; i < all.n; i++)
        printf("%-28s %-40s %-14s %zu\n", all.items[i]->id, all.items[i]->client,
               all.items[i]->client_version, all.items[i]->evidence_count);
    mc_profiles_free(&all);
    return MC_EXIT_OK;
}

int mc_cmd_checks(const mc_config *cfg)
{
    int only = -1;
    if (cfg->spec) {
        mc_rev r;
        if (mc_rev_parse(cfg->spec, &r) != 0)
            return mc_usage_error("--spec: unknown revision");
        only = (int)r;
    }
    printf("%-34s %-6s %-18s %-7s", "ID", "ROW", "STEP", "PARTY");
    for (int r = 0; r < MC_REV_COUNT; r++)
        if (only < 0 || only == r)
            printf(" %-10s", mc_rev_names[r]);
    printf(" REFERENCE\n");
    for (size_t i = 0; i < mc_checks_count; i++) {
        const mc_check_def *d = &mc_checks[i];
        if (only >= 0 && d->kw[only] == MC_KW_NONE)
            continue;
        printf("%-34s %-6s %-18s %-7s", d->id, d->matrix, mc_step_names[d->step], d->party);
        for (int r = 0; r < MC_REV_COUNT; r++)
            if (only < 0 || only == r)
                printf(" %-10s", mc_keyword_name(d->kw[r]));
        printf(" %s\n", d->ref);
    }
    return MC_EXIT_OK;
}
