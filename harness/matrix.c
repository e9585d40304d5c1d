/* `mcpcompat matrix`: every client profile against the embedded fixture under
 * each of a set of server policies, one column per policy. It answers the
 * question an authorization server's author asks before choosing a policy:
 * which clients does it lose? */
#include "../reports/reports.h"
#include "data.h"
#include "run.h"
#include "wire/buf.h"
#include "wire/redact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The default columns: policies real authorization servers have, each
 * breaking some client (reference/clients.md §11, "strictness probes"). */
static const mc_matrix_policy default_policies[] = {
    {"", "the fixture's defaults: spec-correct, DCR, any loopback port"},
    {"strict-redirect", "exact redirect URIs, port included"},
    {"loopback-ip-only", "any-port matching only for 127.0.0.1 and [::1], not localhost"},
    {"no-dcr", "no Dynamic Client Registration, no pre-registered client"},
    {"dcr-require-scope", "registration without scope refused"},
    {"dcr-loopback-only", "registration accepts only loopback callbacks"},
    {"cimd,no-dcr", "Client ID Metadata Documents instead of DCR"},
    {"cimd,no-dcr,strict-redirect", "metadata documents, exact redirect URIs"},
    {"iss=absent", "no RFC 9207 iss in the authorization response"},
    {"no-pkce-metadata", "no code_challenge_methods_supported"},
    {"as-metadata=oidc", "OpenID Connect discovery only"},
    {"no-resource-metadata-hint", "a bare Bearer challenge"},
    {"challenge=basic-first", "a Basic challenge before the Bearer one"},
    {"metadata-nulls", "null optional fields in the metadata"},
    {"legacy-2025-03-26", "no protected resource metadata (a 2025-03-26 server)"},
};

/* One column: the base fixture, then the policy's quirks. */
static int column_config(const mc_config *cfg, const char *quirks, mc_fixture_config *fc)
{
    mc_config base = *cfg;
    base.nquirks = 0;
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

int mc_cmd_matrix(const mc_config *cfg)
{
    mc_error err;
    mc_profiles all;
    if (mc_profiles_load_set(cfg->profiles, &all, &err) != 0) {
        fprintf(stderr, "mcpcompat: %s\n", mc_error_str(&err));
        return MC_EXIT_USAGE;
    }
    /* --quirk Q (repeatable) replaces the default columns, one per value */
    size_t npol = cfg->nquirks ? cfg->nquirks : sizeof default_policies / sizeof *default_policies;
    mc_matrix_policy *pol = mc_xcalloc(npol, sizeof *pol);
    for (size_t i = 0; i < npol; i++)
        pol[i] = cfg->nquirks ? (mc_matrix_policy){cfg->quirks[i], NULL} : default_policies[i];
    mc_profile **profiles = NULL;
    size_t n = 0;
    mc_run_result *res = mc_xcalloc(npol, sizeof *res);
    size_t done = 0;
    int rc = MC_EXIT_USAGE;
    if (mc_select_profiles(cfg, NULL, &all, &profiles, &n) != 0)
        goto out;
    /* every column's quirks are checked before any runs */
    for (size_t i = 0; i < npol; i++) {
        mc_fixture_config fc;
        if (column_config(cfg, pol[i].quirks, &fc) != 0)
            goto out;
        mc_fixture_config_free(&fc);
    }
    rc = MC_EXIT_OK;
    for (; done < npol && rc == MC_EXIT_OK; done++) {
        mc_fixture_config fc;
        column_config(cfg, pol[done].quirks, &fc);
        rc = mc_run_on_fixture(cfg, &fc, profiles, n, &all, &res[done]);
        mc_fixture_config_free(&fc);
    }
    if (rc == MC_EXIT_OK) {
        mc_report_matrix(stdout, pol, res, npol, mc_use_color());
        if (cfg->json && mc_report_matrix_json(cfg->json, pol, res, npol) != 0) {
            fprintf(stderr, "mcpcompat: cannot write %s\n", cfg->json);
            rc = MC_EXIT_CANNOT;
        }
        if (cfg->html && mc_report_matrix_html(cfg->html, pol, res, npol) != 0) {
            fprintf(stderr, "mcpcompat: cannot write %s\n", cfg->html);
            rc = MC_EXIT_CANNOT;
        }
        if (cfg->markdown && mc_report_matrix_markdown(cfg->markdown, pol, res, npol) != 0) {
            fprintf(stderr, "mcpcompat: cannot write %s\n", cfg->markdown);
            rc = MC_EXIT_CANNOT;
        }
    }
out:
    for (size_t i = 0; i < done; i++)
        mc_run_result_free(&res[i]);
    free(res);
    free(pol);
    free(profiles);
    mc_profiles_free(&all);
    mc_secrets_clear();
    return rc;
}
