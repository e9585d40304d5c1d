/* Personas: loading (every policy cites evidence and is made of fixture
 * policies), lookup by id or product prefix, applying, product remedies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../fixtures/policies.h"
#include "../harness/data/persona.h"
#include "../harness/model/checks.h"
#include "../harness/wire/buf.h"

static const char *source_dir(void)
{
    const char *s = getenv("MCPCOMPAT_SOURCE");
    return s ? s : ".";
}

/* The issuer the resource metadata names and the one the AS metadata states,
 * for each metadata-issuer shape. */
static void issuer_shapes(void **state)
{
    (void)state;
    static const struct {
        const char *quirks, *prm, *meta;
    } cases[] = {
        {"", "http://127.0.0.1:9/as", "http://127.0.0.1:9/as"},
        {"metadata-issuer=host", "http://127.0.0.1:9/as", "http://localhost:9/as"},
        {"metadata-issuer=path-dropped", "http://127.0.0.1:9/as", "http://127.0.0.1:9"},
        {"metadata-issuer=slash-prm", "http://127.0.0.1:9/as/", "http://127.0.0.1:9/as"},
        {"metadata-issuer=slash-metadata", "http://127.0.0.1:9/as", "http://127.0.0.1:9/as/"},
        {"metadata-issuer=tenant", "http://127.0.0.1:9/as", "http://127.0.0.1:9/{tenantid}/v2.0"},
        {"metadata-issuer=https://other.example/x", "http://127.0.0.1:9/as",
         "https://other.example/x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        mc_fixture_config c;
        mc_fixture_config_init(&c);
        const char *err = NULL;
        if (*cases[i].quirks)
            assert_int_equal(mc_fixture_quirk(&c, cases[i].quirks, &err), 0);
        char *prm, *meta;
        mc_policy_issuers(&c, "http://127.0.0.1:9", "http://127.0.0.1:9/as", &prm, &meta);
        assert_string_equal(prm, cases[i].prm);
        assert_string_equal(meta, cases[i].meta);
        free(prm), free(meta);
        mc_fixture_config_free(&c);
    }
    /* the shapes that need an issuer path bring one; a bad shape is refused */
    mc_fixture_config c;
    mc_fixture_config_init(&c);
    const char *err = NULL;
    assert_int_equal(mc_fixture_quirk(&c, "metadata-issuer=tenant", &err), 0);
    assert_string_equal(c.issuer_path, "/common/v2.0");
    assert_int_equal(mc_fixture_quirk(&c, "metadata-issuer=sideways", &err), -1);
    assert_int_equal(mc_fixture_quirk(&c, "iss=omitted", &err), 0);
    assert_int_equal(c.iss, MC_ISS_OMITTED);
    assert_int_equal(mc_fixture_quirk(&c, "iss=maybe", &err), -1);
    mc_fixture_config_free(&c);
}

/* The authorization-server policies of the 2026 products (issue 19): their
 * values parse into the configuration, a value list keeps going until the
 * next quirk's name, and bad values are refused. */
static void policies_of_2026_products(void **state)
{
    (void)state;
    mc_fixture_config c;
    mc_fixture_config_init(&c);
    const char *err = NULL;
    assert_int_equal(c.client_resources, MC_RES_ANY);
    assert_int_equal(mc_fixture_quirk(&c,
                                      "authorize-refuse=resource,public-client,as-scopes=openid,"
                                      "authorize-require=resource,client-resources=preregistered",
                                      &err),
                     0);
    assert_int_equal(c.authorize_refuse, MC_REFUSE_RESOURCE | MC_REFUSE_PUBLIC_CLIENT);
    assert_string_equal(c.as_scopes, "openid");
    assert_int_equal(c.authorize_require_resource, 1);
    assert_int_equal(c.client_resources, MC_RES_PREREGISTERED);
    assert_int_equal(mc_fixture_quirk(&c, "authorize-refuse=offline_access", &err), 0);
    assert_int_equal(c.authorize_refuse, MC_REFUSE_OFFLINE_ACCESS);
    assert_int_equal(mc_fixture_quirk(&c, "token-without-resource=opaque", &err), 0);
    assert_int_equal(c.opaque_without_resource, 1);
    assert_int_equal(mc_fixture_quirk(&c, "token-without-resource=bound", &err), 0);
    assert_int_equal(c.opaque_without_resource, 0);
    assert_int_equal(
        mc_fixture_quirk(&c, "dcr-redirect-allow=http://localhost:* https://a.example/cb", &err),
        0);
    assert_string_equal(c.dcr_redirect_allow, "http://localhost:* https://a.example/cb");
    assert_int_equal(
        mc_fixture_quirk(&c, "issuer-path=/resources/r1,registration-path=/clients:register", &err),
        0);
    assert_string_equal(c.registration_path, "/clients:register");
    static const char *const bad[] = {
        "authorize-refuse=everything", "authorize-refuse=resource,nope",
        "authorize-refuse=",           "authorize-require=scope",
        "client-resources=some",       "token-without-resource=jwt",
        "registration-path=register",  "registration-path=/a/../b",
        "registration-path=/a?b",      "dcr-redirect-allow=",
        "dcr-redirect-allow= x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(mc_fixture_quirk(&c, bad[i], &err), -1);
    /* a refused value leaves the policy as it was */
    assert_int_equal(c.authorize_refuse, MC_REFUSE_OFFLINE_ACCESS);
    mc_fixture_config_free(&c);
}

/* The product-era policies (personas of 2026-12): Better Auth 1.7's
 * registration by application_type, and Entra ID's two refusals of a
 * `resource` (one the tenant knows, one it does not). */
static void product_era_policies(void **state)
{
    (void)state;
    static const struct {
        const char *quirk, *body, *want; /* want: the refusal's start, or NULL */
    } cases[] = {
        {"dcr-application-type=web", "{\"redirect_uris\":[\"http://127.0.0.1:1456/cb\"]}",
         "web clients require https"},
        {"dcr-application-type=web", "{\"redirect_uris\":[\"cursor://anysphere.cursor-mcp/cb\"]}",
         "web clients require https"},
        {"dcr-application-type=web", "{\"redirect_uris\":[\"https://claude.ai/api/mcp/cb\"]}",
         NULL},
        {"dcr-application-type=web",
         "{\"redirect_uris\":[\"http://localhost:8/cb\"],\"application_type\":\"native\"}", NULL},
        {"dcr-application-type=web",
         "{\"redirect_uris\":[\"https://127.0.0.1:4/\"],\"application_type\":\"native\"}",
         "native clients must not use https loopback"},
        {"dcr-application-type=web",
         "{\"redirect_uris\":[\"http://127.0.0.2:4/cb\"],\"application_type\":\"native\"}",
         "native clients may use http only"},
        {"dcr-application-type=web",
         "{\"redirect_uris\":[\"http://localhost:8/cb\"],\"application_type\":\"tv\"}",
         "application_type must be"},
        {"dcr-application-type=infer", "{\"redirect_uris\":[\"http://127.0.0.1:1456/cb\"]}", NULL},
        {"dcr-application-type=infer", "{\"redirect_uris\":[\"cursor://anysphere.cursor-mcp/cb\"]}",
         NULL},
        {"dcr-application-type=infer",
         "{\"redirect_uris\":[\"http://localhost:8/cb\",\"https://127.0.0.1:4/\"]}",
         "native clients must not use https loopback"},
        {"dcr=open", "{\"redirect_uris\":[\"http://127.0.0.1:1456/cb\"]}", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        mc_fixture_config c;
        mc_fixture_config_init(&c);
        const char *err = NULL;
        assert_int_equal(mc_fixture_quirk(&c, cases[i].quirk, &err), 0);
        json_t *in = json_loads(cases[i].body, 0, NULL);
        assert_non_null(in);
        char *got = mc_policy_application_type_refusal(&c, in, &err);
        if (!cases[i].want) {
            if (got)
                fail_msg("case %zu: refused: %s", i, got);
        } else {
            assert_non_null(got);
            if (strncmp(got, cases[i].want, strlen(cases[i].want)) != 0)
                fail_msg("case %zu: %s", i, got);
            assert_string_equal(err, strstr(got, "application_type") == got
                                         ? "invalid_client_metadata"
                                         : "invalid_redirect_uri");
        }
        free(got);
        json_decref(in);
        mc_fixture_config_free(&c);
    }
    const char *err = NULL;
    mc_fixture_config c;
    mc_fixture_config_init(&c);
    assert_int_equal(mc_fixture_quirk(&c, "dcr-application-type=native", &err), -1);
    assert_int_equal(mc_fixture_quirk(&c, "audience=scope,audience-id=api://mcpcompat", &err), 0);
    const char *mcp = "http://127.0.0.1:9/mcp", *scope = "api://mcpcompat/mcp.tools";
    const char *desc = NULL;
    err = NULL;
    char *aud = mc_policy_token_audience(&c, "http://127.0.0.1:9/t", mcp, "cid", NULL, scope, NULL,
                                         &err, &desc);
    assert_null(err); /* no resource: the scope's API */
    assert_string_equal(aud, "api://mcpcompat");
    free(aud);
    aud = mc_policy_token_audience(&c, "http://127.0.0.1:9/t", mcp, "cid", mcp, scope, NULL, &err,
                                   &desc);
    assert_string_equal(err, "invalid_target"); /* the MCP server's URL: a known app */
    assert_non_null(strstr(desc, "AADSTS9010010"));
    free(aud);
    err = desc = NULL;
    aud = mc_policy_token_audience(&c, "http://127.0.0.1:9/t", mcp, "cid",
                                   "https://bedrock-agentcore.us-east-1.amazonaws.com/runtimes/x/"
                                   "invocations?qualifier=DEFAULT",
                                   scope, NULL, &err, &desc);
    assert_string_equal(err, "invalid_resource"); /* a URL no app is known by */
    assert_non_null(strstr(desc, "AADSTS500011"));
    free(aud);
    err = desc = NULL;
    aud = mc_policy_token_audience(&c, "http://127.0.0.1:9/t", mcp, "cid", "api://mcpcompat", scope,
                                   NULL, &err, &desc);
    assert_null(err); /* the scope's own API */
    free(aud);
    mc_fixture_config_free(&c);
}

/* glewlwyd 2.7's policies: what each quirk sets, and bad values refused. */
static void glewlwyd_policies(void **state)
{
    (void)state;
    mc_fixture_config c;
    mc_fixture_config_init(&c);
    const char *err = NULL;
    assert_int_equal(c.pkce_refused + c.no_pkce + c.no_pkce_metadata, 0);
    assert_int_equal(mc_fixture_quirk(&c, "pkce-refused,dcr-public-confidential", &err), 0);
    /* a code_challenge is refused, none is asked for, none is advertised */
    assert_int_equal(c.pkce_refused, 1);
    assert_int_equal(c.no_pkce, 1);
    assert_int_equal(c.no_pkce_metadata, 1);
    assert_int_equal(c.dcr_public_confidential, 1);
    assert_int_equal(c.openid_policy, 0);
    assert_int_equal(mc_fixture_quirk(&c, "openid=nonce", &err), 0);
    assert_int_equal(c.openid_policy, 1);
    assert_int_equal(mc_fixture_quirk(&c, "openid=require", &err), 0);
    assert_int_equal(c.openid_policy, 2);
    assert_int_equal(mc_fixture_quirk(&c, "openid=yes", &err), -1);
    assert_int_equal(mc_fixture_quirk(&c, "openid", &err), -1);
    assert_int_equal(mc_fixture_quirk(&c, "pkce-refused=1", &err), -1);
    mc_fixture_config_free(&c);
}

static void shipped_personas_load_and_cite_evidence(void **state)
{
    (void)state;
    char *dir = mc_xasprintf("%s/fixtures/personas", source_dir());
    mc_personas ps;
    mc_error err;
    if (mc_personas_load_dir(dir, &ps, &err) != 0)
        fail_msg("%s", mc_error_str(&err));
    assert_true(ps.n >= 7);
    for (size_t i = 0; i < ps.n; i++) {
        const mc_persona *p = ps.items[i];
        assert_true(p->npolicies >= 1);
        for (size_t k = 0; k < p->npolicies; k++) {
            assert_true(strlen(p->policies[k].evidence) > 10);
            /* a remedy names a setting and links its documentation */
            if (p->policies[k].setting)
                assert_true(strncmp(p->policies[k].doc, "https://", 8) == 0);
        }
        mc_fixture_config fc;
        mc_fixture_config_init(&fc);
        const char *why = NULL;
        assert_int_equal(mc_persona_apply(p, &fc, &why), 0);
        mc_fixture_config_free(&fc);
    }
    mc_personas_free(&ps);
    free(dir);
}

static void find_by_id_or_product(void **state)
{
    (void)state;
    char *dir = mc_xasprintf("%s/fixtures/personas", source_dir());
    mc_personas ps;
    mc_error err;
    assert_int_equal(mc_personas_load_dir(dir, &ps, &err), 0);
    const mc_persona *e = mc_personas_find(&ps, "entra-id");
    assert_non_null(e);
    assert_string_equal(e->id, "entra-id-2026");
    assert_ptr_equal(mc_personas_find(&ps, "entra-id-2026"), e);
    assert_null(mc_personas_find(&ps, "entr")); /* a prefix ends where an id has a - */
    assert_null(mc_personas_find(&ps, "no-such"));
    /* a product's name finds its newest era */
    assert_string_equal(mc_personas_find(&ps, "auth0")->id, "auth0-2026-12");
    assert_string_equal(mc_personas_find(&ps, "workers-oauth-provider")->id,
                        "workers-oauth-provider-1.x");
    assert_string_equal(mc_personas_find(&ps, "better-auth-1.7")->id, "better-auth-1.7");
    /* Entra ID: no DCR, OIDC under /tenant/v2.0, the scope-derived audience */
    mc_fixture_config fc;
    mc_fixture_config_init(&fc);
    const char *why = NULL;
    assert_int_equal(mc_persona_apply(e, &fc, &why), 0);
    assert_true(fc.no_dcr);
    assert_string_equal(fc.issuer_path, "/tenant/v2.0");
    assert_false(fc.as_oauth);
    assert_true(fc.as_oidc_append);
    assert_int_equal(fc.audience, MC_AUD_SCOPE);
    assert_true(fc.no_pkce_metadata);
    mc_fixture_config_free(&fc);
    mc_personas_free(&ps);
    free(dir);
}

static void remedy_for_the_step_and_reason(void **state)
{
    (void)state;
    char *dir = mc_xasprintf("%s/fixtures/personas", source_dir());
    mc_personas ps;
    mc_error err;
    assert_int_equal(mc_personas_load_dir(dir, &ps, &err), 0);
    const mc_persona *k = mc_personas_find(&ps, "keycloak-26.2");
    assert_non_null(k);
    char *r =
        mc_persona_remedy(k, MC_STEP_REGISTRATION,
                          "dynamic client registration failed: 403 insufficient_scope: Policy "
                          "'Trusted Hosts' rejected request");
    assert_non_null(r);
    assert_non_null(strstr(r, "Keycloak: Clients > Client registration"));
    assert_non_null(strstr(r, "https://www.keycloak.org/"));
    assert_null(strstr(r, "Allowed Client Scopes")); /* only the policy the reason names */
    free(r);
    /* a break no policy of the persona explains gets no product remedy */
    assert_null(mc_persona_remedy(k, MC_STEP_TOKEN, "invalid_grant"));
    assert_null(mc_persona_remedy(k, MC_STEP_REGISTRATION, "something else"));
    mc_personas_free(&ps);
    free(dir);
}

static char *dir_with(const char *name, const char *text)
{
    char *dir = mc_xstrdup("/tmp/mcpcompat-personas-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char *path = mc_xasprintf("%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    free(path);
    return dir;
}

static void expect_load_error(const char *text, const char *want)
{
    char *dir = dir_with("x.json", text);
    mc_personas ps;
    mc_error err;
    assert_int_equal(mc_personas_load_dir(dir, &ps, &err), -1);
    const char *msg = mc_error_str(&err);
    if (!strstr(msg, want) || !strstr(msg, "/x.json:"))
        fail_msg("got \"%s\", want \"%s\"", msg, want);
    char *path = mc_xasprintf("%s/x.json", dir);
    unlink(path);
    rmdir(dir);
    free(path);
    free(dir);
}

/* The quirks whose value is one keyword of a table: each keyword sets its
 * value, any other value is refused and leaves the setting as it was. */
static void keyword_values(void **state)
{
    (void)state;
    mc_fixture_config c;
    mc_fixture_config_init(&c);
    const char *err = NULL;
    static const struct {
        const char *quirk;
        size_t field;
        int want;
    } cases[] = {
        {"csrf-origin=token", offsetof(mc_fixture_config, csrf_origin), 1},
        {"csrf-origin=all", offsetof(mc_fixture_config, csrf_origin), 2},
        {"grants=client_credentials", offsetof(mc_fixture_config, grants_cc_only), 1},
        {"grants=authorization_code", offsetof(mc_fixture_config, grants_cc_only), 0},
        {"login=form", offsetof(mc_fixture_config, login_form), 1},
        {"login=auto", offsetof(mc_fixture_config, login_form), 0},
        {"dcr-unknown-fields=reject", offsetof(mc_fixture_config, dcr_reject_unknown), 1},
        {"dcr-unknown-fields=ignore", offsetof(mc_fixture_config, dcr_reject_unknown), 0},
        {"dcr-application-type=infer", offsetof(mc_fixture_config, dcr_app_type), 2},
        {"dcr-application-type=web", offsetof(mc_fixture_config, dcr_app_type), 1},
        {"mcp-head=405", offsetof(mc_fixture_config, mcp_head), 405},
        {"mcp-head=404", offsetof(mc_fixture_config, mcp_head), 404},
        {"dcr=initial-access-token", offsetof(mc_fixture_config, dcr_iat), 1},
        {"dcr=off", offsetof(mc_fixture_config, no_dcr), 1},
        {"dcr=off", offsetof(mc_fixture_config, dcr_iat), 0},
        {"dcr=open", offsetof(mc_fixture_config, no_dcr), 0},
        {"redirect-https-or-loopback", offsetof(mc_fixture_config, https_or_loopback), 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(mc_fixture_quirk(&c, cases[i].quirk, &err), 0);
        assert_int_equal(*(int *)((char *)&c + cases[i].field), cases[i].want);
    }
    assert_int_equal(mc_fixture_quirk(&c, "iss=omitted,audience=scope,challenge=relative", &err),
                     0);
    assert_int_equal(c.iss, MC_ISS_OMITTED);
    assert_int_equal(c.audience, MC_AUD_SCOPE);
    assert_string_equal(c.challenge_style, "relative");
    assert_int_equal(mc_fixture_quirk(&c, "as-metadata=oidc,oauth", &err), 0);
    assert_true(c.as_oauth && c.as_oidc && !c.as_oidc_append);
    assert_int_equal(mc_fixture_quirk(&c, "as-metadata=none", &err), 0);
    assert_true(!c.as_oauth && !c.as_oidc && !c.as_oidc_append);
    static const char *const bad[] = {"csrf-origin=some",
                                      "grants=implicit",
                                      "login=sso",
                                      "dcr-unknown-fields=warn",
                                      "dcr-application-type=native",
                                      "mcp-head=200",
                                      "mcp-head=",
                                      "dcr=closed",
                                      "iss=right",
                                      "audience=aud",
                                      "challenge=odd",
                                      "as-metadata=oauth,x",
                                      "redirect-https-or-loopback=1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(mc_fixture_quirk(&c, bad[i], &err), -1);
    /* the refused values left the last good ones */
    assert_int_equal(c.csrf_origin, 2);
    assert_int_equal(c.mcp_head, 404);
    assert_int_equal(c.iss, MC_ISS_OMITTED);
    assert_string_equal(c.challenge_style, "relative");
    mc_fixture_config_free(&c);
}

/* A folder without a persona file is an error, as an empty profiles folder. */
static void empty_folder_is_an_error(void **state)
{
    (void)state;
    char *dir = dir_with("README.md", "no personas here\n");
    mc_personas ps;
    mc_error err;
    assert_int_equal(mc_personas_load_dir(dir, &ps, &err), -1);
    assert_non_null(strstr(mc_error_str(&err), "no personas in this folder"));
    char *path = mc_xasprintf("%s/README.md", dir);
    unlink(path);
    rmdir(dir);
    free(path);
    free(dir);
}

static void bad_files_are_located(void **state)
{
    (void)state;
    static const char head[] = "{\"id\": \"x\", \"product\": \"X\", \"version\": \"1\", "
                               "\"docs\": \"https://x.invalid\",\n";
    char *t = mc_xasprintf("%s \"policies\": {\"p\": {\"quirks\": \"no-dcr\"}}}", head);
    expect_load_error(t, "missing required key \"evidence\"");
    free(t);
    t = mc_xasprintf("%s \"policies\": {\"p\": {\"quirks\": \"no-such\", \"evidence\": \"e, f\"}}}",
                     head);
    expect_load_error(t, "2:21: policies.p.quirks: \"no-such\": unknown quirk");
    free(t);
    t = mc_xasprintf("%s \"policies\": {\"p\": {\"quirks\": \"no-dcr\", \"evidence\": \"\"}}}",
                     head);
    expect_load_error(t, "policies.p.evidence: empty evidence");
    free(t);
    t = mc_xasprintf("%s \"policies\": {\"p\": {\"quirks\": \"no-dcr\", \"evidence\": \"e\", "
                     "\"step\": \"nowhere\"}}}",
                     head);
    expect_load_error(t, "unknown value \"nowhere\"");
    free(t);
    t = mc_xasprintf("%s \"policies\": {}, \"colour\": 1}", head);
    expect_load_error(t, "colour");
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_personas_load_and_cite_evidence),
        cmocka_unit_test(find_by_id_or_product),
        cmocka_unit_test(remedy_for_the_step_and_reason),
        cmocka_unit_test(bad_files_are_located),
        cmocka_unit_test(empty_folder_is_an_error),
        cmocka_unit_test(keyword_values),
        cmocka_unit_test(issuer_shapes),
        cmocka_unit_test(policies_of_2026_products),
        cmocka_unit_test(product_era_policies),
        cmocka_unit_test(glewlwyd_policies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
