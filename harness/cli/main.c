/* Room cli/: the option table (which also writes --help, the man page and
 * completion) and one entry per command; calls recording/, engine/, data/,
 * wire/. */
/* mcpcompat: which real MCP clients can connect to an OAuth-protected MCP
 * server, and at which handshake step each one breaks. */
#include "../engine/run.h"

#include "../../fixtures/fixture.h"
#include "../data/data.h"
#include "../engine/failsafe.h"
#include "../model/verdict.h"
#include "../wire/buf.h"
#include "../wire/suggest.h"
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
    {"--junit", OPT_VALUE, "FILE", "write JUnit XML (matrix: a suite per policy, a case per client)", "run demo matrix"},
    {"--json", OPT_VALUE, "FILE", "write the JSON report", "run demo matrix"},
    {"-q", OPT_FLAG, NULL, "no progress lines (a line per client as it finishes, shown on a terminal when a run takes over a second)", "run demo matrix"},
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
    {"--allow-private", OPT_FLAG, NULL, "let discovered URLs lead to private, link-local or loopback addresses (proxy: origins the upstream names)", "run proxy"},
    {"--one-address", OPT_FLAG, NULL, "every client connects from the system's address (default on a loopback target: each its own 127.0.0.N, as real clients each have their own machine)", "run"},
    {"--fail-on", OPT_VALUE, "WHAT[,WHAT...]",
     "what fails the run (exit 1): break (a client broke unexpectedly), must (a MUST check of the server suite failed), should, not-run, none, all; default break,must",
     "run demo"},
    {"--from", OPT_VALUE, "PROFILE", "only the knobs that differ from this profile (id or file)", "profile"},
    {"-o", OPT_VALUE, "FILE", "write the draft here instead of stdout", "profile"},
};
// clang-format on

/* The commands: what each takes, does, and examples (command, two spaces,
 * what it does), for `mcpcompat COMMAND --help` and the man page. */
typedef struct {
    const char *name;
    const char *args;
    const char *summary;
    const char *examples[6];
} command;

// clang-format off
static const command commands[] = {
    {"run", "[URL]", "client profiles against URL (none: the embedded fixture)",
     {"mcpcompat run https://mcp.example.com/mcp  every client against your server",
      "mcpcompat run URL --profile vscode,claude-code --junit mcpcompat.xml  two clients, a JUnit report for CI",
      "mcpcompat run --scenario my-server.json --fail-on break  a baseline: fail only when a client's outcome changes",
      "mcpcompat run --quirk no-dcr,strict-redirect  the embedded fixture with an enterprise server's quirks",
      "mcpcompat run URL --spec all --html report.html  each spec revision's reference client side by side"}},
    {"demo", "", "the seed write-up's scoreboard on the embedded fixture",
     {"mcpcompat demo  the seed's scoreboard: 3 clients pass, 3 break where the write-up says",
      "mcpcompat demo --fixed --html demo.html  with the write-up's three fixes, as an HTML page",
      "mcpcompat demo --as entra-id  the seed's server behind Microsoft Entra ID"}},
    {"serve", "", "run the embedded fixture until SIGINT/SIGTERM",
     {"mcpcompat serve --quirk no-dcr --record trace.jsonl  a server without DCR that records what clients send",
      "mcpcompat serve --as keycloak --port 8080  the fixture playing Keycloak on port 8080"}},
    {"profiles", "[ID]", "the client profiles, or one with its evidence",
     {"mcpcompat profiles  every profile: id, client, version", "mcpcompat profiles vscode  the newest VS Code profile's knobs and evidence"}},
    {"checks", "", "list the check catalogue", {"mcpcompat checks --spec 2025-11-25  the checks and keywords of one revision"}},
    {"fidelity", "TRACE", "compare a profile with a recording of the real client",
     {"mcpcompat fidelity fixtures/traces/mcp-remote-0.15.1-default.jsonl  does the profile send what mcp-remote sent?"}},
    {"matrix", "", "every client under each server policy (a survey)",
     {"mcpcompat matrix --profile vscode,cursor --markdown matrix.md  two clients under the default policies",
      "mcpcompat matrix --as all --html matrix.html  every client under every authorization-server persona"}},
    {"personas", "[ID]", "the authorization-server personas, or one's policies",
     {"mcpcompat personas keycloak  Keycloak's policies, each with its evidence"}},
    {"proxy", "URL", "record a real client's handshake with URL",
     {"mcpcompat proxy https://mcp.example.com/mcp --record trace.jsonl --port 8080  point a real client at http://127.0.0.1:8080/mcp"}},
    {"profile draft", "TRACE", "a draft profile from a trace, knobs citing lines",
     {"mcpcompat profile draft trace.jsonl --from mcp-remote -o my-client.json  only the knobs that differ from mcp-remote"}},
};
// clang-format on

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

/* Whether option o applies to command cmd (a word of its list). */
static int applies(const option *o, const char *cmd)
{
    size_t n = strlen(cmd);
    for (const char *p = o->commands; (p = strstr(p, cmd)) != NULL; p += n)
        if ((p == o->commands || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}

/* "  --name ARG   help", the help wrapped at 79 columns under itself. */
static void option_line(FILE *out, const option *o)
{
    char left[64];
    snprintf(left, sizeof left, "%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
    fprintf(out, "  %-28s ", left);
    const int indent = 31, width = 79;
    int col = indent;
    for (const char *p = o->help; *p;) {
        size_t n = strcspn(p, " ");
        if (col > indent && col + 1 + (int)n > width) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            col++;
        }
        fprintf(out, "%.*s", (int)n, p);
        col += (int)n;
        p += n;
        while (*p == ' ')
            p++;
    }
    fputc('\n', out);
}

/* "  mcpcompat run URL", then what it does on the next line, indented. */
static void example(FILE *out, const char *e)
{
    const char *gap = strstr(e, "  ");
    if (!gap) {
        fprintf(out, "  %s\n", e);
        return;
    }
    fprintf(out, "  %.*s\n      %s\n", (int)(gap - e), e, gap + 2);
}

static const char exit_codes[] =
    "exit codes: 0 all passed (or matched the expectations), 1 the run failed as\n"
    "--fail-on says (default: a client broke or differed from the expectations, or\n"
    "a MUST check of the server suite failed), 2 usage or input error, 3 could not\n"
    "run\n";

/* mcpcompat --help: the commands; mcpcompat COMMAND --help: its options and
 * examples. The option table writes both. */
static void help(FILE *out, const char *cmd)
{
    const command *c = cmd ? find_command(cmd) : NULL;
    if (!c) {
        fputs("usage: mcpcompat COMMAND [options]\n\ncommands:\n", out);
        for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
            char left[40];
            snprintf(left, sizeof left, "%s%s%s", commands[i].name, *commands[i].args ? " " : "",
                     commands[i].args);
            fprintf(out, "  %-20s %s\n", left, commands[i].summary);
        }
        fputs("\n`mcpcompat COMMAND --help` lists that command's options and examples.\n\n"
              "examples:\n",
              out);
        example(out, commands[0].examples[0]);
        example(out, commands[1].examples[0]);
        example(out, commands[0].examples[2]);
        fputs("\nglobal options:\n"
              "  --help                       this help; with a command, its own\n"
              "  --version                    the version, its libraries' and where the data is\n"
              "  --man                        the man page (roff)\n\n",
              out);
        fputs(exit_codes, out);
        return;
    }
    const char *word = strchr(c->name, ' ') ? "profile" : c->name;
    size_t nopts = 0; /* a command without options says none (no empty section) */
    for (size_t i = 0; i < sizeof options / sizeof *options; i++)
        nopts += applies(&options[i], word) != 0;
    fprintf(out, "usage: mcpcompat %s%s%s%s\n\n%s\n", c->name, *c->args ? " " : "", c->args,
            nopts ? " [options]" : "", c->summary);
    if (nopts)
        fputs("\noptions:\n", out);
    for (size_t i = 0; i < sizeof options / sizeof *options; i++)
        if (applies(&options[i], word))
            option_line(out, &options[i]);
    fputs("\nexamples:\n", out);
    for (size_t i = 0; i < 6 && c->examples[i]; i++)
        example(out, c->examples[i]);
    if (!strcmp(c->name, "run") || !strcmp(c->name, "demo") || !strcmp(c->name, "matrix") ||
        !strcmp(c->name, "fidelity")) {
        fputc('\n', out);
        fputs(exit_codes, out);
    }
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
    help(ms, NULL);
    /* each command's options and examples, as their own sections */
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        char *text1 = NULL;
        size_t n1 = 0;
        FILE *one = open_memstream(&text1, &n1);
        if (!one)
            continue;
        help(one, commands[i].name);
        fclose(one);
        /* "options:" and "examples:" become "run options:", "run examples:" */
        fprintf(ms, "\n%s: %s\n", commands[i].name, commands[i].summary);
        for (char *line = strchr(text1, '\n'); line && *line; line = strchr(line, '\n')) {
            line++;
            char *eol = strchr(line, '\n');
            size_t len = eol ? (size_t)(eol - line) : strlen(line);
            if (len > 1 && line[len - 1] == ':' && strchr(line, ' ') > line + len - 1)
                fprintf(ms, "%s %.*s\n", commands[i].name, (int)len, line);
            else if (len == 0 || line[0] == ' ')
                fprintf(ms, "%.*s\n", (int)len, line);
        }
        free(text1);
    }
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
    else if (!strcmp(name, "-q"))
        cfg->quiet = 1;
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
    else if (!strcmp(name, "--one-address"))
        cfg->one_address = 1;
    else if (!strcmp(name, "--fail-on")) {
        const char *bad;
        size_t badlen;
        if (mc_gates_parse(v, &cfg->fail_on, &bad, &badlen) != 0) {
            fprintf(stderr,
                    "mcpcompat: --fail-on: unknown \"%.*s\" (break, must, should, not-run, "
                    "none, all)\n",
                    (int)badlen, bad);
            return -2;
        }
    } else if (!strcmp(name, "--from"))
        cfg->from = v;
    else if (!strcmp(name, "-o"))
        cfg->output = v;
    return 0;
}

/* `mcpcompat COMMAND --help` (or `help COMMAND`): the command's help, and
 * for the commands that take them, the quirks and personas. */
static void command_help(const char *cmd)
{
    help(stdout, cmd);
    if (cmd && (!strcmp(cmd, "serve") || !strcmp(cmd, "run"))) {
        fputs("\nfixture quirks (--quirk Q, repeatable or comma-separated):\n", stdout);
        mc_fixture_print_quirks();
        fputs("\npersonas (--as ID; `mcpcompat personas ID` shows each policy's evidence):\n",
              stdout);
        mc_print_personas_brief();
    }
}

/* An option not in the table: the one of cmd's options it is a prefix of,
 * or NULL with an error naming the candidates. */
static const option *option_by_prefix(const char *a, size_t n, const char *cmd)
{
    const option *hit = NULL;
    const char *names[sizeof options / sizeof *options];
    size_t k = 0, hits = 0;
    for (size_t i = 0; i < sizeof options / sizeof *options; i++) {
        if (!applies(&options[i], cmd))
            continue;
        names[k++] = options[i].name;
        if (n > 2 && !strncmp(options[i].name, a, n)) {
            hit = &options[i];
            hits++;
        }
    }
    if (hits == 1)
        return hit;
    char *word = mc_xstrndup(a, n), *near = NULL;
    mc_suggest(word, names, k, 4, &near);
    if (near)
        fprintf(stderr,
                "mcpcompat: %s option \"%s\": did you mean %s? (see `mcpcompat %s --help`)\n",
                hits ? "ambiguous" : "unknown", word, near, cmd);
    else
        fprintf(stderr, "mcpcompat: unknown option \"%s\" (see `mcpcompat %s --help`)\n", word,
                cmd);
    free(near);
    free(word);
    return NULL;
}

static int parse(int argc, char **argv, const char *cmd, mc_config *cfg)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            command_help(strcmp(cmd, "profile") == 0 ? "profile draft" : cmd);
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
        if (!o && (o = option_by_prefix(a, n, cmd)) == NULL)
            return -1;
        if (!applies(o, cmd)) {
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
        int bad = set_option(cfg, o->name, v);
        if (bad == -1)
            fprintf(stderr, "mcpcompat: bad value for %s\n", o->name);
        if (bad)
            return -1;
    }
    return 0;
}

/* A misspelt command: the nearest names. */
static int unknown_command(const char *cmd)
{
    const char *names[sizeof commands / sizeof *commands];
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        names[i] = commands[i].name;
    char *near = NULL;
    mc_suggest(cmd, names, sizeof commands / sizeof *commands, 4, &near);
    fprintf(stderr, "mcpcompat: unknown command \"%s\"%s%s%s (see `mcpcompat --help`)\n", cmd,
            near ? ": did you mean " : "", near ? near : "", near ? "?" : "");
    free(near);
    return MC_EXIT_USAGE;
}

/* The command cmd names: exactly, or as the unique prefix of one ("de":
 * demo); NULL, reported, otherwise. */
static const char *command_named(const char *cmd)
{
    const char *hit = NULL;
    size_t hits = 0, n = strlen(cmd);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        const char *name = commands[i].name;
        size_t len = strcspn(name, " "); /* "profile draft": the word is "profile" */
        if (len == n && !strncmp(name, cmd, n))
            return cmd;
        if (n >= 2 && n < len && !strncmp(name, cmd, n)) {
            hit = i && !strcmp(name, "profile draft") ? "profile" : name;
            hits++;
        }
    }
    if (hits == 1 && strcmp(hit, "profile") != 0)
        return hit;
    unknown_command(cmd);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        help(stderr, NULL);
        return MC_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        /* help COMMAND: that command's */
        const char *of = argc > 2 ? argv[2] : NULL;
        if (of && !strcmp(of, "profile"))
            of = "profile draft";
        if (of && !find_command(of))
            return unknown_command(of);
        command_help(of);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version"))
        return version();
    if (!strcmp(cmd, "--man"))
        return man();
    cmd = command_named(cmd);
    if (!cmd)
        return MC_EXIT_USAGE;
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
