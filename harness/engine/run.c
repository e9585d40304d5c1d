/* `mcpcompat run`: the inputs (profiles, scenario, persona), the plan
 * (target, profiles, revision, the embedded fixture), executing it
 * (execute.c, or revisions.c for --spec all), the reports and the verdict. */
#include "run_int.h"

#include "../../fixtures/fixture.h"
#include "../../reports/reports.h"
#include "../data/data.h"
#include "../data/persona.h"
#include "../data/profile.h"
#include "../data/scenario.h"
#include "../model/verdict.h"
#include "../steps/steps.h"
#include "../wire/buf.h"
#include "../wire/redact.h"
#include "../wire/url.h"
#include "failsafe.h"
#include "preflight.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *mc_profiles_dir(void)
{
    return mc_data_dir(MC_DATA_PROFILES);
}

/* --scenario takes a file, or the id of one in scenarios/; owned. */
char *mc_run_scenario_path(const char *arg)
{
    if (!arg || strchr(arg, '/') || access(arg, R_OK) == 0)
        return mc_xstrdup(arg);
    return mc_xasprintf("%s/%s.json", mc_data_dir(MC_DATA_SCENARIOS), arg);
}

int mc_usage_error(const char *msg)
{
    fprintf(stderr, "mcpcompat: %s\n", msg);
    return MC_EXIT_USAGE;
}

/* ---------- profile selection ---------- */

int mc_select_profiles(const mc_config *cfg, const mc_scenario *sc, const mc_profiles *all,
                       mc_profile ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    json_t *list = sc ? mc_scenario_profiles(sc) : NULL;
    char *ids = NULL;
    if (!cfg->profiles && !list) {
        ids = mc_xstrdup("current"); /* today's clients, each once */
    } else if (cfg->profiles) {
        ids = mc_xstrdup(cfg->profiles);
    } else {
        mc_buf b;
        mc_buf_init(&b, 0);
        size_t i;
        json_t *e;
        json_array_foreach(list, i, e)
            mc_buf_printf(&b, "%s%s", i ? "," : "", json_string_value(e));
        ids = mc_buf_steal(&b);
    }
    char *save = NULL;
    for (char *id = strtok_r(ids, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
        /* a set: its profiles, in id order, each once */
        int set = 0;
        for (size_t k = 0; mc_profile_sets[k] && !set; k++)
            set = strcmp(mc_profile_sets[k], id) == 0;
        if (set) {
            for (size_t i = 0; i < all->n; i++) {
                int dup = 0;
                for (size_t k = 0; k < *n && !dup; k++)
                    dup = (*out)[k] == all->items[i];
                if (dup || mc_profile_in_set(all, all->items[i], id) != 1)
                    continue;
                *out = mc_xrealloc(*out, (*n + 1) * sizeof **out);
                (*out)[(*n)++] = all->items[i];
            }
            continue;
        }
        char *why = NULL;
        mc_profile *p = mc_profiles_resolve(all, id, &why);
        if (!p) {
            fprintf(stderr, "mcpcompat: %s\n", why);
            free(why);
            free(ids);
            free(*out);
            *out = NULL;
            return -1;
        }
        *out = mc_xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = p;
    }
    free(ids);
    return *n ? 0 : -1;
}

/* ---------- the fixture ---------- */

int mc_fixture_config_from(const mc_config *cfg, const mc_scenario *sc, mc_fixture_config *fc)
{
    mc_fixture_config_init(fc);
    static const char *const pub[] = {"http://127.0.0.1/callback", "http://localhost/callback",
                                      NULL};
    mc_fixture_add_client(fc, MC_FIXTURE_PUBLIC_CLIENT, NULL, pub);
    mc_fixture_add_client(fc, MC_FIXTURE_CONFIDENTIAL_CLIENT, MC_FIXTURE_CONFIDENTIAL_SECRET, pub);
    mc_secret_register(MC_FIXTURE_CONFIDENTIAL_SECRET);
    const char *err = NULL;
    /* the persona is the product; the scenario's and --quirk's quirks adjust it */
    if (cfg->persona && mc_persona_apply(cfg->persona, fc, &err) != 0) {
        fprintf(stderr, "mcpcompat: %s: %s\n", cfg->persona->path, err);
        return -1;
    }
    json_t *fx = sc ? mc_scenario_fixture(sc) : NULL;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(fx, "quirks"), i, e)
    {
        if (mc_fixture_quirk(fc, json_string_value(e), &err) != 0) {
            fprintf(stderr, "mcpcompat: %s: quirk \"%s\": %s\n", sc->path, json_string_value(e),
                    err);
            return -1;
        }
    }
    json_array_foreach(json_object_get(fx, "clients"), i, e)
    {
        const char *redirects[MC_FIXTURE_MAX_REDIRECTS + 1] = {0};
        size_t k;
        json_t *u;
        json_array_foreach(json_object_get(e, "redirect_uris"), k, u)
        {
            if (k < MC_FIXTURE_MAX_REDIRECTS)
                redirects[k] = json_string_value(u);
        }
        const char *secret =
            mc_run_secret_env(json_string_value(json_object_get(e, "client_secret_env")), 1);
        mc_fixture_add_client(fc, json_string_value(json_object_get(e, "client_id")), secret,
                              redirects);
    }
    for (size_t q = 0; q < cfg->nquirks; q++) {
        if (mc_fixture_quirk(fc, cfg->quirks[q], &err) != 0) {
            fprintf(stderr, "mcpcompat: --quirk %s: %s\n", cfg->quirks[q], err);
            return -1;
        }
    }
    if ((cfg->tls_cert || cfg->tls_key) &&
        (mc_pem_preflight("--tls-cert", cfg->tls_cert, "--tls-key") != 0 ||
         mc_pem_preflight("--tls-key", cfg->tls_key, "--tls-cert") != 0))
        return -1;
    fc->port = cfg->port;
    fc->record_path = mc_xstrdup(cfg->record);
    fc->tls_cert = cfg->tls_cert;
    fc->tls_key = cfg->tls_key;
    return 0;
}

/* Every report asked for is attempted, whichever fails; one line per
 * failure with its reason (the reporters leave errno set). */
static int write_reports(const mc_config *cfg, const mc_run_result *const *res, size_t n)
{
    int rc = 0;
    if (cfg->junit && mc_report_junit(cfg->junit, res, n) != 0)
        rc = mc_report_failed(cfg->junit);
    if (cfg->json && n == 1 && mc_report_json(cfg->json, res[0]) != 0)
        rc = mc_report_failed(cfg->json);
    if (cfg->html && mc_report_html(cfg->html, res, n) != 0)
        rc = mc_report_failed(cfg->html);
    if (cfg->markdown && mc_report_markdown(cfg->markdown, res, n) != 0)
        rc = mc_report_failed(cfg->markdown);
    return rc ? -1 : 0;
}

int mc_use_color(void)
{
    return isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
}

int mc_run_on_fixture(const mc_config *cfg, const mc_fixture_config *fc, mc_profile **profiles,
                      size_t n, const mc_profiles *all, mc_run_result *res)
{
    mc_fixture *fx = NULL;
    char *why = NULL;
    memset(res, 0, sizeof *res);
    if (mc_fixture_start(fc, &fx, &why) != 0) {
        fprintf(stderr, "mcpcompat: could not start the fixture: %s\n", why);
        free(why);
        return MC_EXIT_CANNOT;
    }
    mc_config c = *cfg;
    c.no_server_suite = 1;
    run_plan plan = {.cfg = &c,
                     .profiles = profiles,
                     .nprofiles = n,
                     .all = all,
                     .url = mc_fixture_mcp_url(fx),
                     .fixture = 1,
                     .fx = fx,
                     .rev = MC_REV_2025_11_25,
                     .one_address = cfg->one_address};
    int rc = mc_run_execute(&plan, res);
    mc_fixture_stop(fx);
    return rc;
}

/* The fixture did not start: the reports say so for every profile. */
static int fixture_failed(const run_plan *plan, const char *why)
{
    mc_run_result res;
    char *reason = mc_xasprintf("could not start the fixture: %s", why);
    if (plan->nprofiles) {
        mc_run_result_error(&res, MC_VERSION, NULL, plan->profiles, plan->nprofiles, plan->rev,
                            reason);
        const mc_run_result *one = &res;
        write_reports(plan->cfg, &one, 1);
        mc_run_result_free(&res);
    }
    free(reason);
    return MC_EXIT_CANNOT;
}

/* Report paths are checked before the run (exit 2), not after it. */
static int preflight(const mc_config *cfg)
{
    const char *flags[] = {"--junit", "--json", "--html", "--markdown", "--record"};
    const char *paths[] = {cfg->junit, cfg->json, cfg->html, cfg->markdown, cfg->record};
    return mc_cacert_preflight(cfg->cacert) != 0 ||
                   mc_reports_preflight(flags, paths, sizeof flags / sizeof *flags) != 0
               ? -1
               : 0;
}

/* The profiles and the scenario (--scenario) the run reads. Returns 0, or
 * -1 (reported). */
static int load_inputs(const mc_config *cfg, mc_profiles *all, mc_scenario **sc)
{
    mc_error err;
    if (mc_profiles_load_set(cfg->profiles, all, &err) != 0) {
        fprintf(stderr, "mcpcompat: %s\n", mc_error_str(&err));
        return -1;
    }
    char *spath = mc_run_scenario_path(cfg->scenario);
    if (spath && mc_scenario_load(spath, sc, &err) != 0) {
        fprintf(stderr, "mcpcompat: %s\n", mc_error_str(&err));
        free(spath);
        mc_profiles_free(all);
        return -1;
    }
    free(spath);
    return 0;
}

/* --as, or the scenario's persona: the fixture plays that product
 * (as_cfg->persona). Returns 0, or an exit code (reported). */
static int resolve_persona(const mc_config *cfg, const mc_scenario *sc, mc_personas *personas,
                           mc_config *as_cfg)
{
    const char *as = cfg->as ? cfg->as : sc ? mc_scenario_persona(sc) : NULL;
    if (as && (cfg->url || (sc && mc_scenario_url(sc))))
        return mc_usage_error("--as applies to the embedded fixture, not to a URL target");
    if (as && mc_persona_resolve(as, personas, &as_cfg->persona) != 0)
        return MC_EXIT_USAGE;
    return 0;
}

/* The revision --spec (or the scenario) names: one (plan->rev), or all
 * (*spec_all). Returns 0, or -1 (reported). */
static int plan_revision(const mc_config *cfg, const mc_scenario *sc, run_plan *plan, int *spec_all)
{
    const char *rev = cfg->spec ? cfg->spec : sc ? mc_scenario_revision(sc) : NULL;
    *spec_all = rev && strcmp(rev, "all") == 0;
    if (*spec_all && (cfg->profiles || (sc && mc_scenario_profiles(sc)))) {
        mc_usage_error("--spec all runs each revision's reference profile; drop --profile");
        return -1;
    }
    if (rev && !*spec_all && mc_rev_parse(rev, &plan->rev) != 0) {
        char *why = mc_rev_unknown(rev, 1);
        fprintf(stderr, "mcpcompat: --spec %s: %s\n", rev, why);
        free(why);
        return -1;
    }
    return 0;
}

/* A URL target: an absolute http(s) URL, and no --quirk (that is for the
 * embedded fixture). Returns 0, or -1 (reported). */
static int check_url_target(const mc_config *cfg, const char *url)
{
    char *canon = mc_url_canonical(url);
    free(canon);
    if (!canon) {
        mc_usage_error("the target must be an absolute http(s) URL");
        return -1;
    }
    if (cfg->nquirks) {
        mc_usage_error("--quirk applies to the embedded fixture, not to a URL target");
        return -1;
    }
    return 0;
}

/* A URL with no MCP endpoint behind it, or nothing there, is the user's to
 * fix (exit 3, the likely cause named), not a verdict on anyone: the plan
 * then carries why (owned), and each run's reports record it. */
static void preflight_target(const mc_config *cfg, run_plan *plan)
{
    char *host = mc_url_host(plan->url);
    mc_http_opts po = {.cacert = cfg->cacert,
                       .insecure = cfg->insecure,
                       .timeout_ms = cfg->timeout * 1000,
                       .guard = 1,
                       .target_host = host,
                       .allow_private = cfg->allow_private};
    char *why = NULL;
    long sys;
    int loopback4;
    if (mc_target_preflight(plan->url, &po, plan->rev, &why, &sys, &loopback4) != 0) {
        fprintf(stderr, "mcpcompat: could not run: %s\n", why);
        plan->unusable = why;
    } else if (!plan->one_address && loopback4) {
        /* each client from its own loopback address, unless the server
         * answers one differently from the system's (an allowlist of
         * 127.0.0.1): the real clients, on the user's machine, come from
         * the system's (a 429 either way is a limit, not an allowlist) */
        int bound;
        mc_http_source_address(0, po.source);
        long own = mc_target_initialize_status(plan->url, &po, plan->rev, &bound);
        if (bound && sys != own && sys != 429 && own != 429) {
            plan->one_address = 1;
            fprintf(stderr,
                    "mcpcompat: %s answers POST initialize from %s with %ld, from this machine's "
                    "address with %ld: every client connects from this machine's address (as "
                    "with --one-address)\n",
                    plan->url, po.source, own, sys);
        }
    }
    free(host);
}

/* The embedded fixture as the target: configured as the flags and the
 * scenario say, started (*fx), and in the plan. Returns an exit code. */
static int start_fixture(const mc_config *cfg, const mc_scenario *sc, run_plan *plan,
                         mc_fixture_config *fc, mc_fixture **fx)
{
    if (mc_fixture_config_from(cfg, sc, fc) != 0)
        return MC_EXIT_USAGE;
    char *why = NULL;
    if (mc_fixture_start(fc, fx, &why) != 0) {
        fprintf(stderr, "mcpcompat: could not start the fixture: %s\n", why);
        int rc = fixture_failed(plan, why);
        free(why);
        return rc;
    }
    plan->url = mc_fixture_mcp_url(*fx);
    plan->fixture = 1;
    plan->fx = *fx;
    return MC_EXIT_OK;
}

/* One revision's run: executed, on the console and in the reports (which
 * record an error too), judged. */
static int run_once(const run_plan *plan)
{
    mc_run_result res;
    int rc = mc_run_execute(plan, &res);
    if (rc == MC_EXIT_OK) {
        mc_report_console(stdout, &res, mc_use_color());
        const mc_run_result *one = &res;
        rc = write_reports(plan->cfg, &one, 1) != 0 ? MC_EXIT_CANNOT : mc_run_verdict(&one, 1);
    } else if (rc == MC_EXIT_CANNOT && res.nruns) {
        const mc_run_result *one = &res;
        write_reports(plan->cfg, &one, 1); /* they record the error */
    }
    mc_run_result_free(&res);
    return rc;
}

int mc_cmd_run(const mc_config *cfg)
{
    mc_profiles all;
    mc_scenario *sc = NULL;
    if (preflight(cfg) != 0)
        return MC_EXIT_USAGE;
    mc_signals_install();
    mc_http_set_deadline(cfg->max_time);
    if (load_inputs(cfg, &all, &sc) != 0)
        return MC_EXIT_USAGE;
    mc_personas personas = {0};
    mc_config as_cfg = *cfg;
    int rc = resolve_persona(cfg, sc, &personas, &as_cfg);
    if (rc != 0) {
        mc_scenario_free(sc);
        mc_profiles_free(&all);
        return rc;
    }
    rc = MC_EXIT_USAGE;
    if (!cfg->fail_on && sc && mc_scenario_fail_on(sc))
        as_cfg.fail_on = mc_scenario_fail_on(sc);
    cfg = &as_cfg;
    run_plan plan = {.cfg = cfg,
                     .sc = sc,
                     .all = &all,
                     .rev = MC_REV_2025_11_25,
                     .one_address = cfg->one_address};
    int spec_all;
    if (plan_revision(cfg, sc, &plan, &spec_all) != 0)
        goto out;
    if (!spec_all && !all.n) { /* a folder with no profile: nothing to run, nothing to judge */
        fprintf(stderr, "mcpcompat: no profiles in %s\n", mc_profiles_dir());
        mc_run_result none;
        mc_run_result_error(&none, MC_VERSION, cfg->url, NULL, 0, plan.rev, "no profiles");
        const mc_run_result *one = &none;
        write_reports(cfg, &one, 1);
        mc_run_result_free(&none);
        goto out;
    }
    if (!spec_all && mc_select_profiles(cfg, sc, &all, &plan.profiles, &plan.nprofiles) != 0)
        goto out;
    mc_fixture *fx = NULL;
    mc_fixture_config fc;
    int have_fc = 0;
    plan.url = cfg->url ? cfg->url : sc ? mc_scenario_url(sc) : NULL;
    if (plan.url) {
        if (check_url_target(cfg, plan.url) != 0)
            goto out;
        preflight_target(cfg, &plan);
    } else {
        have_fc = 1;
        rc = start_fixture(cfg, sc, &plan, &fc, &fx);
        if (rc != MC_EXIT_OK)
            goto out_fc;
    }
    rc = spec_all ? mc_run_all_revisions(&plan) : run_once(&plan);
    mc_fixture_stop(fx);
out_fc:
    if (have_fc)
        mc_fixture_config_free(&fc);
out:
    free(plan.unusable);
    free(plan.profiles);
    mc_scenario_free(sc);
    mc_profiles_free(&all);
    mc_personas_free(&personas);
    mc_secrets_clear();
    return rc;
}
