/* Room cli/: the option table (which also writes --help, the man page and
 * completion) and one entry per command; calls recording/, engine/, data/,
 * wire/. */
/* mcpcompat: which real MCP clients can connect to an OAuth-protected MCP
 * server, and at which handshake step each one breaks. */
#include "../engine/run.h"

#include "../../fixtures/fixture.h"
#include "../data/data.h"
#include "../engine/failsafe.h"
#include "../wire/url.h"
#include "manpage.h"

#include <curl/curl.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xmlversion.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { OPT_FLAG, OPT_VALUE, OPT_LIST } opt_kind;

typedef struct {
    const char *name;
    opt_kind kind;
    const char *arg; /* shown in --help */
    const char *help;
    const char *commands; /* which commands take it */
} option;

/* One table feeds parsing and --help. */
// clang-format off
static const option options[] = {
    {"--scenario", OPT_VALUE, "FILE", "scenario file (target, clients, expectations)", "run"},
    {"--profile", OPT_VALUE, "ID[,ID...]", "profiles by id, a client name for its newest, a file (./my-client.json), or a set: current (default), reference, all",
     "run demo fidelity matrix"},
    {"--spec", OPT_VALUE, "REVISION|all", "judge by 2025-03-26, 2025-06-18, 2025-11-25, 2026-07-28, or all",
     "run checks"},
    {"--quirk", OPT_LIST, "Q", "fixture quirk, repeatable (see `mcpcompat serve --help`); for matrix, one column each",
     "run serve matrix"},
    {"--client-id", OPT_VALUE, "ID", "a pre-registered client id", "run"},
    {"--client-secret", OPT_VALUE, "SECRET", "its secret (prefer a scenario's client_secret_env)",
     "run"},
    {"--login-user-env", OPT_VALUE, "NAME", "environment variable holding the login user", "run"},
    {"--login-password-env", OPT_VALUE, "NAME", "environment variable holding the password", "run"},
    {"--login-command", OPT_VALUE, "CMD",
     "a program that logs in: URL as last argument, prints the final redirect", "run"},
    {"--login", OPT_VALUE, "manual", "print the authorization URL and wait for a real browser",
     "run"},
    {"--login-timeout", OPT_VALUE, "SECONDS",
     "how long --login-command / --login manual may take (default 120)", "run"},
    {"--timeout", OPT_VALUE, "SECONDS", "the longest wait for one HTTP answer (default 15)", "run proxy"},
    {"--cacert", OPT_VALUE, "FILE", "trust this CA bundle", "run proxy"},
    {"--insecure", OPT_FLAG, NULL, "do not verify TLS certificates", "run proxy"},
    {"--tls-cert", OPT_VALUE, "FILE", "the fixture serves HTTPS with this certificate (PEM)",
     "run serve"},
    {"--tls-key", OPT_VALUE, "FILE", "and this private key (PEM)", "run serve"},
    {"--junit", OPT_VALUE, "FILE", "write JUnit XML", "run demo"},
    {"--json", OPT_VALUE, "FILE", "write the JSON report", "run demo matrix"},
    {"-v", OPT_FLAG, NULL, "print the redacted HTTP transcript to stderr", "run demo fidelity"},
    {"--port", OPT_VALUE, "N", "fixture (proxy) port (default: an ephemeral one)", "serve proxy"},
    {"--record", OPT_VALUE, "FILE", "write one JSON line per request received", "serve run proxy"},
    {"--fixed", OPT_FLAG, NULL, "the demo with the write-up's fixes", "demo"},
    {"--no-server-suite", OPT_FLAG, NULL, "skip the server suite", "run"},
    {"--jobs", OPT_VALUE, "N", "clients run side by side (default 4; 1 with -v or an interactive login)", "run matrix"},
    {"--refresh", OPT_FLAG, NULL, "exercise refresh-token use and rotation (the optional refresh step)", "run"},
    {"--server-name", OPT_VALUE, "NAME", "the name the user gives the server in a client", "run"},
    {"--cimd-url", OPT_VALUE, "URL",
     "a Client ID Metadata Document you host, for clients that take one", "run"},
    {"--html", OPT_VALUE, "FILE", "write the HTML report (one self-contained page)", "run demo matrix"},
    {"--profiles-dir", OPT_VALUE, "DIR", "read the client profiles from DIR (default: the installed ones)",
     "run demo fidelity matrix profiles"},
    {"--markdown", OPT_VALUE, "FILE", "write the scoreboard and findings as Markdown (step summary)",
     "run demo matrix"},
    {"--as", OPT_VALUE, "PERSONA", "the fixture plays this authorization server (see `mcpcompat personas`); matrix: ID[,ID...]|all, a column each",
     "run serve matrix demo"},
    {"--max-time", OPT_VALUE, "SECONDS", "the longest a whole run may take (as curl's; default: no limit)", "run demo"},
    {"--allow-private", OPT_FLAG, NULL, "let discovered URLs lead to private, link-local or loopback addresses", "run"},
    {"--from", OPT_VALUE, "PROFILE", "only the knobs that differ from this profile (id or file)", "profile"},
    {"-o", OPT_VALUE, "FILE", "write the draft here instead of stdout", "profile"},
};
// clang-format on

static void help(FILE *out)
{
    fputs("usage: mcpcompat COMMAND [options]\n\n"
          "commands:\n"
          "  run [URL]   run client profiles against URL (none: the embedded fixture)\n"
          "  demo        a scoreboard on the embedded fixture\n"
          "  serve       run the embedded fixture until SIGINT/SIGTERM\n"
          "  profiles [ID]  list the client profiles, or show one with its evidence\n"
          "  checks      list the check catalogue\n"
          "  fidelity TRACE  compare a profile with a recording of the real client\n"
          "  matrix      every client against the fixture under each server policy\n"
          "  personas [ID]  list the authorization-server personas, or show one's "
          "policies\n"
          "  proxy URL --record FILE  record a client's handshake with URL and its AS (on "
          "127.0.0.1)\n"
          "  profile draft TRACE  a draft profile from a trace, each knob citing its line\n"
          "\noptions:\n",
          out);
    for (size_t i = 0; i < sizeof options / sizeof *options; i++) {
        char left[64];
        snprintf(left, sizeof left, "%s%s%s", options[i].name, options[i].arg ? " " : "",
                 options[i].arg ? options[i].arg : "");
        fprintf(out, "  %-32s %s [%s]\n", left, options[i].help, options[i].commands);
    }
    fprintf(out, "  %-32s %s\n", "--version", "the version, its libraries' and where the data is");
    fputs("\nexit codes: 0 all passed (or matched the expectations), 1 a client broke or\n"
          "differed from the expectations, 2 usage or input error, 3 could not run\n",
          out);
}

/* The version, the libraries' versions (libxml2's as built), the data. */
static int version(void)
{
    printf("mcpcompat %s\n", MC_VERSION);
    printf("libcurl %s, OpenSSL %s, Jansson %s, libxml2 %s, libmicrohttpd %s\n",
           curl_version_info(CURLVERSION_NOW)->version, OpenSSL_version(OPENSSL_VERSION_STRING),
           jansson_version_str(), LIBXML_DOTTED_VERSION, MHD_get_version());
    printf("profiles: %s\nscenarios: %s\npersonas: %s\ntraces: %s\n", mc_data_dir(MC_DATA_PROFILES),
           mc_data_dir(MC_DATA_SCENARIOS), mc_data_dir(MC_DATA_PERSONAS),
           mc_data_dir(MC_DATA_TRACES));
    /* what is built in, read where no folder above is on disk */
    size_t traces = mc_embedded_count_in("traces");
    printf("embedded: %zu profiles, %zu scenarios, %zu personas, %s (data %s)\n",
           mc_embedded_count_in("profiles"), mc_embedded_count_in("scenarios"),
           mc_embedded_count_in("personas"),
           traces > 1 ? "the traces pack" : "no traces pack (fidelity reads trace files by path)",
           mc_embedded_digest);
    return 0;
}

/* The man page from the --help text (the build writes mcpcompat.1 with it). */
static int man(void)
{
    char *text = NULL;
    size_t n = 0;
    FILE *ms = open_memstream(&text, &n);
    if (!ms)
        return MC_EXIT_CANNOT;
    help(ms);
    fclose(ms);
    mc_man_from_help(stdout, text, MC_VERSION);
    free(text);
    return 0;
}

/* A whole number within [lo, hi]; 0 or -1 for set_option. */
static int number(const char *v, long lo, long hi, long *out)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < lo || n > hi)
        return -1;
    *out = n;
    return 0;
}

static int set_option(mc_config *cfg, const char *name, const char *v)
{
    if (!strcmp(name, "--scenario"))
        cfg->scenario = v;
    else if (!strcmp(name, "--profile"))
        cfg->profiles = v;
    else if (!strcmp(name, "--spec"))
        cfg->spec = v;
    else if (!strcmp(name, "--quirk")) {
        if (cfg->nquirks == MC_MAX_QUIRKS)
            return -1;
        cfg->quirks[cfg->nquirks++] = v;
    } else if (!strcmp(name, "--client-id"))
        cfg->client_id = v;
    else if (!strcmp(name, "--client-secret"))
        cfg->client_secret = v;
    else if (!strcmp(name, "--login-user-env"))
        cfg->login_user_env = v;
    else if (!strcmp(name, "--login-password-env"))
        cfg->login_password_env = v;
    else if (!strcmp(name, "--login-command"))
        cfg->login_command = v;
    else if (!strcmp(name, "--login")) {
        if (strcmp(v, "manual") != 0)
            return -1;
        cfg->login_manual = 1;
    } else if (!strcmp(name, "--login-timeout"))
        return number(v, 1, 3600, &cfg->login_timeout);
    else if (!strcmp(name, "--cacert"))
        cfg->cacert = v;
    else if (!strcmp(name, "--timeout"))
        return number(v, 1, 600, &cfg->timeout);
    else if (!strcmp(name, "--tls-cert"))
        cfg->tls_cert = v;
    else if (!strcmp(name, "--tls-key"))
        cfg->tls_key = v;
    else if (!strcmp(name, "--insecure"))
        cfg->insecure = 1;
    else if (!strcmp(name, "--junit"))
        cfg->junit = v;
    else if (!strcmp(name, "--json"))
        cfg->json = v;
    else if (!strcmp(name, "-v"))
        cfg->verbose = 1;
    else if (!strcmp(name, "--record"))
        cfg->record = v;
    else if (!strcmp(name, "--fixed"))
        cfg->fixed = 1;
    else if (!strcmp(name, "--no-server-suite"))
        cfg->no_server_suite = 1;
    else if (!strcmp(name, "--refresh"))
        cfg->refresh = 1;
    else if (!strcmp(name, "--jobs"))
        return number(v, 1, 16, &cfg->jobs);
    else if (!strcmp(name, "--server-name"))
        cfg->server_name = v;
    else if (!strcmp(name, "--cimd-url")) {
        if (!mc_url_scheme_is(v, "https") && !mc_url_scheme_is(v, "http"))
            return -1;
        cfg->cimd_url = v;
    } else if (!strcmp(name, "--html"))
        cfg->html = v;
    else if (!strcmp(name, "--port"))
        return number(v, 0, 65535, &cfg->port);
    else if (!strcmp(name, "--profiles-dir"))
        cfg->profiles_dir = v;
    else if (!strcmp(name, "--markdown"))
        cfg->markdown = v;
    else if (!strcmp(name, "--as"))
        cfg->as = v;
    else if (!strcmp(name, "--max-time"))
        return number(v, 1, 86400, &cfg->max_time);
    else if (!strcmp(name, "--allow-private"))
        cfg->allow_private = 1;
    else if (!strcmp(name, "--from"))
        cfg->from = v;
    else if (!strcmp(name, "-o"))
        cfg->output = v;
    return 0;
}

static int parse(int argc, char **argv, const char *cmd, mc_config *cfg)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            help(stdout);
            if (!strcmp(cmd, "serve") || !strcmp(cmd, "run")) {
                fputs("\nfixture quirks (--quirk Q, repeatable or comma-separated):\n", stdout);
                mc_fixture_print_quirks();
                fputs("\npersonas (--as ID: these policies, with their evidence in "
                      "`mcpcompat personas ID`):\n",
                      stdout);
                mc_print_personas_brief();
            }
            exit(0);
        }
        if (a[0] != '-') {
            /* run URL, fidelity TRACE, profiles ID */
            if ((strcmp(cmd, "run") != 0 && strcmp(cmd, "fidelity") != 0 &&
                 strcmp(cmd, "profiles") != 0 && strcmp(cmd, "personas") != 0 &&
                 strcmp(cmd, "proxy") != 0 && strcmp(cmd, "profile") != 0) ||
                cfg->url) {
                fprintf(stderr, "mcpcompat: unexpected argument \"%s\"\n", a);
                return -1;
            }
            cfg->url = a;
            continue;
        }
        const char *eq = strchr(a, '=');
        size_t n = eq ? (size_t)(eq - a) : strlen(a);
        const option *o = NULL;
        for (size_t k = 0; k < sizeof options / sizeof *options && !o; k++)
            if (strlen(options[k].name) == n && !strncmp(options[k].name, a, n))
                o = &options[k];
        if (!o) {
            fprintf(stderr, "mcpcompat: unknown option \"%s\" (see --help)\n", a);
            return -1;
        }
        if (!strstr(o->commands, cmd)) {
            fprintf(stderr, "mcpcompat: %s does not apply to `%s`\n", o->name, cmd);
            return -1;
        }
        const char *v = NULL;
        if (o->kind != OPT_FLAG) {
            v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v) {
                fprintf(stderr, "mcpcompat: %s needs %s\n", o->name, o->arg);
                return -1;
            }
        } else if (eq) {
            fprintf(stderr, "mcpcompat: %s takes no value\n", o->name);
            return -1;
        }
        if (set_option(cfg, o->name, v) != 0) {
            fprintf(stderr, "mcpcompat: bad value for %s\n", o->name);
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        help(stderr);
        return MC_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        help(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version"))
        return version();
    if (!strcmp(cmd, "--man"))
        return man();
    static const char *const commands[] = {"run",      "demo",   "serve",    "profiles", "checks",
                                           "fidelity", "matrix", "personas", "proxy",    "profile"};
    int known = 0;
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        known |= !strcmp(cmd, commands[i]);
    if (!known) {
        fprintf(stderr, "mcpcompat: unknown command \"%s\" (see --help)\n", cmd);
        return MC_EXIT_USAGE;
    }
    mc_config cfg = {0};
    /* profile draft TRACE: the subcommand is the second word */
    int sub = !strcmp(cmd, "profile");
    if (sub && (argc < 3 || strcmp(argv[2], "draft") != 0)) {
        fprintf(stderr, "mcpcompat: profile needs a subcommand: profile draft TRACE\n");
        return MC_EXIT_USAGE;
    }
    if (parse(argc - sub, argv + sub, cmd, &cfg) != 0)
        return MC_EXIT_USAGE;
    if (cfg.profiles_dir)
        mc_data_set_profiles_dir(cfg.profiles_dir);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    xmlInitParser();
    mc_libxml_quiet();
    int rc;
    if (!strcmp(cmd, "run"))
        rc = mc_cmd_run(&cfg);
    else if (!strcmp(cmd, "demo"))
        rc = mc_cmd_demo(&cfg);
    else if (!strcmp(cmd, "serve"))
        rc = mc_cmd_serve(&cfg);
    else if (!strcmp(cmd, "profiles"))
        rc = mc_cmd_profiles(&cfg);
    else if (!strcmp(cmd, "fidelity"))
        rc = mc_cmd_fidelity(&cfg);
    else if (!strcmp(cmd, "matrix"))
        rc = mc_cmd_matrix(&cfg);
    else if (!strcmp(cmd, "personas"))
        rc = mc_cmd_personas(&cfg);
    else if (!strcmp(cmd, "proxy"))
        rc = mc_cmd_proxy(&cfg);
    else if (!strcmp(cmd, "profile"))
        rc = mc_cmd_profile_draft(&cfg);
    else
        rc = mc_cmd_checks(&cfg);
    xmlCleanupParser();
    curl_global_cleanup();
    return rc;
}
