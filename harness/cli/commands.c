/* The small commands: serve (the fixture on its own), profiles, checks. */
#include "../engine/run.h"

#include "../../fixtures/fixture.h"
#include "../data/data.h"
#include "../data/persona.h"
#include "../data/profile.h"
#include "../model/checks.h"
#include "../wire/buf.h"

#include <jansson.h>
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
    mc_personas personas = {0};
    mc_config c = *cfg;
    if (cfg->as && mc_persona_resolve(cfg->as, &personas, &c.persona) != 0)
        return MC_EXIT_USAGE;
    mc_fixture_config fc;
    int bad = mc_fixture_config_from(&c, NULL, &fc) != 0;
    mc_personas_free(&personas); /* fc holds copies */
    if (bad) {
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

/* One profile's knobs, each with the evidence for it. */
static int show_profile(const mc_profile *p)
{
    json_error_t je;
    json_t *o = json_load_file(p->path, 0, &je);
    if (!o)
        return MC_EXIT_USAGE; /* it loaded a moment ago */
    printf("%s: %s %s (MCP %s, %s)\n", p->id, p->client, p->client_version, mc_rev_names[p->rev],
           p->path);
    const char *d = json_string_value(json_object_get(o, "description"));
    if (d)
        printf("%s\n", d);
    json_t *ev = json_object_get(o, "evidence");
    const char *sec;
    json_t *knobs;
    json_object_foreach(o, sec, knobs)
    {
        if (!json_is_object(knobs) || strcmp(sec, "evidence") == 0)
            continue;
        printf("\n%s\n", sec);
        const char *all = json_string_value(json_object_get(ev, sec));
        if (all)
            printf("  evidence: %s\n", all);
        const char *k;
        json_t *v;
        json_object_foreach(knobs, k, v)
        {
            char *val = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            char *key = mc_xasprintf("%s.%s", sec, k);
            const char *why = json_string_value(json_object_get(ev, key));
            printf("  %-28s %s\n", k, val);
            if (why)
                printf("  %-28s   evidence: %s\n", "", why);
            free(key);
            free(val);
        }
    }
    json_decref(o);
    return MC_EXIT_OK;
}

int mc_cmd_profiles(const mc_config *cfg)
{
    mc_profiles all;
    mc_error err;
    if (mc_profiles_load_set(cfg->url, &all, &err) != 0) {
        fprintf(stderr, "mcpcompat: %s\n", mc_error_str(&err));
        return MC_EXIT_USAGE;
    }
    int rc = MC_EXIT_OK;
    if (cfg->url) {
        const mc_profile *p = mc_profiles_find(&all, cfg->url);
        if (!p) {
            fprintf(stderr, "mcpcompat: unknown profile \"%s\" (see `mcpcompat profiles`)\n",
                    cfg->url);
            rc = MC_EXIT_USAGE;
        } else {
            rc = show_profile(p);
        }
        mc_profiles_free(&all);
        return rc;
    }
    printf("%-28s %-40s %-14s %s\n", "ID", "CLIENT", "VERSION", "EVIDENCE");
    for (size_t i = 0; i < all.n; i++)
        printf("%-28s %-40s %-14s %zu\n", all.items[i]->id, all.items[i]->client,
               all.items[i]->client_version, all.items[i]->evidence_count);
    mc_profiles_free(&all);
    return rc;
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
