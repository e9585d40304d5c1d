/* `mcpcompat matrix`: every client profile against the embedded fixture under
 * each of a set of server policies, one column per policy. It answers the
 * question an authorization server's author asks before choosing a policy:
 * which clients does it lose? */
#include "../../reports/reports.h"
#include "../data/data.h"
#include "../data/persona.h"
#include "../wire/buf.h"
#include "../wire/redact.h"
#include "failsafe.h"
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The default columns: policies real authorization servers have, each
 * breaking some client (reference/clients.md §11, "strictness probes"). */
static const mc_matrix_policy default_policies[] = {
    {"", "the fixture's defaults: spec-correct, DCR, any loopback port", NULL},
    {"strict-redirect", "exact redirect URIs, port included", NULL},
    {"loopback-ip-only", "any-port matching only for 127.0.0.1 and [::1], not localhost", NULL},
    {"no-dcr", "no Dynamic Client Registration, no pre-registered client", NULL},
    {"dcr-require-scope", "registration without scope refused", NULL},
    {"dcr-loopback-only", "registration accepts only loopback callbacks", NULL},
    {"cimd,no-dcr", "Client ID Metadata Documents instead of DCR", NULL},
    {"cimd,no-dcr,strict-redirect", "metadata documents, exact redirect URIs", NULL},
    {"iss=absent", "no RFC 9207 iss in the authorization response", NULL},
    {"no-pkce-metadata", "no code_challenge_methods_supported", NULL},
    {"as-metadata=oidc", "OpenID Connect discovery only", NULL},
    {"no-resource-metadata-hint", "a bare Bearer challenge", NULL},
    {"challenge=basic-first", "a Basic challenge before the Bearer one", NULL},
    {"metadata-nulls", "null optional fields in the metadata", NULL},
    {"legacy-2025-03-26", "no protected resource metadata (a 2025-03-26 server)", NULL},
};

/* One column: the base fixture, then the persona's or the policy's quirks. */
static int column_config(const mc_config *cfg, const char *quirks, mc_fixture_config *fc)
{
    mc_config base = *cfg;
    base.nquirks = 0;
    if (cfg->persona)
        quirks = ""; /* applied by mc_fixture_config_from */
    if (mc_fixture_config_from(&base, NULL, fc) != 0)
        return -1;
    const char *err = NULL;
    if (*quirks && mc_fixture_quirk(fc, quirks, &err) != 0) {
        fprintf(stderr, "mcpcompat: --quirk %s: %s\n", quirks, err);
        mc_fixture_config_free(fc);
        return -1;
    }
    return 0;
}

/* --as ID[,ID...] or all: the personas, in the order given (all: by id). */
static int matrix_personas(const char *arg, mc_personas *ps, const mc_persona ***out, size_t *n)
{
    mc_error err;
    if (mc_personas_load_dir(mc_personas_dir(), ps, &err) != 0) {
        fprintf(stderr, "mcpcompat: %s\n", mc_error_str(&err));
        return -1;
    }
    *out = NULL;
    *n = 0;
    if (strcmp(arg, "all") == 0) {
        *out = mc_xcalloc(ps->n + 1, sizeof **out);
        for (size_t i = 0; i < ps->n; i++)
            (*out)[(*n)++] = ps->items[i];
        return *n ? 0 : -1;
    }
    char *ids = mc_xstrdup(arg), *save = NULL;
    for (char *id = strtok_r(ids, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
        const mc_persona *p = mc_personas_find(ps, id);
        if (!p) {
            fprintf(stderr, "mcpcompat: unknown persona \"%s\" (see `mcpcompat personas`)\n", id);
            free(ids);
            free(*out);
            *out = NULL;
            mc_personas_free(ps);
            return -1;
        }
        *out = mc_xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = p;
    }
    free(ids);
    return *n ? 0 : -1;
}

/* The columns: one per persona (--as), per --quirk value, or the default
 * policies; a persona's title is owned[i]. */
static mc_matrix_policy *matrix_columns(const mc_config *cfg, const mc_persona **as, size_t npol,
                                        char **owned)
{
    mc_matrix_policy *pol = mc_xcalloc(npol, sizeof *pol);
    for (size_t i = 0; i < npol; i++) {
        if (as) {
            owned[i] = mc_xasprintf("%s %s", as[i]->product, as[i]->version);
            pol[i] = (mc_matrix_policy){"", owned[i], as[i]->id};
        } else {
            pol[i] =
                cfg->nquirks ? (mc_matrix_policy){cfg->quirks[i], NULL, NULL} : default_policies[i];
        }
    }
    return pol;
}

/* The matrix on the console and in the report files asked for. */
static int matrix_reports(const mc_config *cfg, const mc_matrix_policy *pol,
                          const mc_run_result *res, size_t npol)
{
    /* every report is attempted, whichever fails; one line each */
    int rc = MC_EXIT_OK;
    mc_report_matrix(stdout, pol, res, npol, mc_use_color());
    if (cfg->json && mc_report_matrix_json(cfg->json, pol, res, npol) != 0)
        rc = mc_report_failed(cfg->json);
    if (cfg->html && mc_report_matrix_html(cfg->html, pol, res, npol) != 0)
        rc = mc_report_failed(cfg->html);
    if (cfg->markdown && mc_report_matrix_markdown(cfg->markdown, pol, res, npol) != 0)
        rc = mc_report_failed(cfg->markdown);
    if (cfg->junit && mc_report_matrix_junit(cfg->junit, pol, res, npol) != 0)
        rc = mc_report_failed(cfg->junit);
    return rc;
}

int mc_cmd_matrix(const mc_config *cfg)
{
    mc_error err;
    mc_profiles all;
    const char *flags[] = {"--json", "--html", "--markdown", "--junit"};
    const char *paths[] = {cfg->json, cfg->html, cfg->markdown, cfg->junit};
    if (mc_reports_preflight(flags, paths, 4) != 0)
        return MC_EXIT_USAGE;
    if (mc_profiles_load_set(cfg->profiles, &all, &err) != 0) {
        fprintf(stderr, "mcpcompat: %s\n", mc_error_str(&err));
        return MC_EXIT_USAGE;
    }
    if (!all.n) {
        fprintf(stderr, "mcpcompat: no profiles in %s\n", mc_profiles_dir());
        mc_profiles_free(&all);
        return MC_EXIT_USAGE;
    }
    /* as run does: SIGINT/SIGTERM and --max-time end the column under way,
     * and the columns done are reported */
    mc_signals_install();
    mc_http_set_deadline(cfg->max_time);
    /* --quirk Q (repeatable) replaces the default columns, one per value;
     * --as ID[,ID...]|all, one per persona */
    mc_personas personas = {0};
    const mc_persona **as = NULL;
    size_t npol = cfg->nquirks ? cfg->nquirks : sizeof default_policies / sizeof *default_policies;
    if (cfg->as && cfg->nquirks) {
        mc_profiles_free(&all);
        return mc_usage_error("matrix takes --quirk columns or --as columns, not both");
    }
    if (cfg->as && matrix_personas(cfg->as, &personas, &as, &npol) != 0) {
        mc_profiles_free(&all);
        return MC_EXIT_USAGE;
    }
    char **owned = mc_xcalloc(npol, sizeof *owned);
    mc_matrix_policy *pol = matrix_columns(cfg, as, npol, owned);
    mc_profile **profiles = NULL;
    size_t n = 0;
    mc_run_result *res = mc_xcalloc(npol, sizeof *res);
    size_t done = 0;
    int rc = MC_EXIT_USAGE;
    mc_config col = *cfg;
    if (mc_select_profiles(cfg, NULL, &all, &profiles, &n) != 0)
        goto out;
    /* every column's quirks are checked before any runs */
    for (size_t i = 0; i < npol; i++) {
        mc_fixture_config fc;
        col.persona = as ? as[i] : NULL;
        int bad = column_config(&col, pol[i].quirks, &fc) != 0;
        mc_fixture_config_free(&fc);
        if (bad)
            goto out;
    }
    rc = MC_EXIT_OK;
    for (; done < npol && rc == MC_EXIT_OK; done++) {
        mc_fixture_config fc;
        col.persona = as ? as[done] : NULL;
        column_config(&col, pol[done].quirks, &fc);
        rc = mc_run_on_fixture(&col, &fc, profiles, n, &all, &res[done]);
        mc_fixture_config_free(&fc);
        if (rc != MC_EXIT_OK && !res[done].nruns)
            mc_run_result_error(&res[done], MC_VERSION, NULL, profiles, n, MC_REV_2025_11_25,
                                mc_http_stopped() ? mc_http_stopped() : "could not run");
    }
    if (rc != MC_EXIT_OK) /* the columns not reached are left out */
        fprintf(stderr, "mcpcompat: could not run: %s; %zu of %zu columns reported\n",
                mc_http_stopped() ? mc_http_stopped() : "the fixture failed", done, npol);
    if (done) {
        int wrc = matrix_reports(cfg, pol, res, done);
        if (wrc != MC_EXIT_OK)
            rc = wrc;
    }
out:
    for (size_t i = 0; i < done; i++)
        mc_run_result_free(&res[i]);
    free(res);
    for (size_t i = 0; i < npol; i++)
        free(owned[i]);
    free(owned);
    free(pol);
    free(as);
    mc_personas_free(&personas);
    free(profiles);
    mc_profiles_free(&all);
    mc_secrets_clear();
    return rc;
}
