/* The small commands: serve (the fixture on its own), profiles, checks. */
#include "../engine/run.h"

#include "../../fixtures/fixture.h"
#include "../data/data.h"
#include "../data/persona.h"
#include "../data/profile.h"
#include "../data/schema.h"
#include "../model/checks.h"
#include "../wire/buf.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
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
    /* the trace is checked: a recorder that lost lines says so, and fails */
    char recorded[256];
    int rec = mc_fixture_record_result(fx, recorded, sizeof recorded);
    mc_fixture_stop(fx);
    if (cfg->record)
        fprintf(stderr, rec == 0 ? "mcpcompat: %s: %s\n" : "mcpcompat: cannot write %s: %s\n",
                cfg->record, recorded);
    mc_fixture_config_free(&fc);
    return rec == 0 ? MC_EXIT_OK : MC_EXIT_CANNOT;
}

/* "12 recorded, 3 source, 0 doc, 1 issue, 0 assumed" */
static void print_kinds(const mc_profile *p)
{
    for (size_t k = 0; k < MC_EVIDENCE_KINDS; k++)
        printf("%s%zu %s", k ? ", " : "", p->kind_counts[k], mc_evidence_kinds[k]);
}

/* The sets a profile is in, "-" when none but all (an older era). */
static const char *sets_of(const mc_profiles *all, const mc_profile *p)
{
    for (size_t k = 0; mc_profile_sets[k]; k++)
        if (strcmp(mc_profile_sets[k], "all") != 0 && mc_profile_in_set(all, p, mc_profile_sets[k]))
            return mc_profile_sets[k];
    return "-";
}

/* One evidence line: its kind apart from its text. */
static void print_evidence(const char *indent, const char *text)
{
    const char *kind = mc_evidence_kind(text);
    if (kind)
        printf("%sevidence (%s): %s\n", indent, kind, text + strlen(kind) + 2);
    else
        printf("%sevidence (no kind): %s\n", indent, text);
}

/* One profile's knobs, each with the evidence for it. */
static int show_profile(const mc_profiles *set, const mc_profile *p)
{
    mc_error je;
    json_t *o = mc_schema_load_json(p->path, &je);
    if (!o)
        return MC_EXIT_USAGE; /* it loaded a moment ago */
    printf("%s: %s %s (MCP %s, %s)\n", p->id, p->client, p->client_version, mc_rev_names[p->rev],
           p->path);
    const char *d = json_string_value(json_object_get(o, "description"));
    if (d)
        printf("%s\n", d);
    printf("released %s; set: %s; evidence: ", p->released, sets_of(set, p));
    print_kinds(p);
    printf("\n");
    static const char *const checks[] = {"ignored", "compared (exact)",
                                         "compared (the looked-up issuer's trailing / optional)",
                                         "compared (a trailing / ignored on either side)"};
    static const char *const iss[] = {"ignored", "checked when present", "required",
                                      "checked when present, required when advertised"};
    printf("issuer handling: metadata issuer (RFC 8414 §3.3) %s; iss (RFC 9207) %s\n",
           checks[p->check_issuer], iss[p->iss]);
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
            print_evidence("  ", all);
        const char *k;
        json_t *v;
        json_object_foreach(knobs, k, v)
        {
            char *val = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            char *key = mc_xasprintf("%s.%s", sec, k);
            const char *why = json_string_value(json_object_get(ev, key));
            printf("  %-28s %s\n", k, val);
            if (why)
                print_evidence("                                 ", why);
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
    if (!all.n) { /* as run, matrix and demo say */
        fprintf(stderr, "mcpcompat: no profiles in %s\n", mc_profiles_dir());
        mc_profiles_free(&all);
        return MC_EXIT_USAGE;
    }
    int rc = MC_EXIT_OK;
    if (cfg->url) {
        char *why = NULL;
        const mc_profile *p = mc_profiles_resolve(&all, cfg->url, &why);
        if (!p) {
            fprintf(stderr, "mcpcompat: %s\n", why);
            free(why);
            rc = MC_EXIT_USAGE;
        } else {
            rc = show_profile(&all, p);
        }
        mc_profiles_free(&all);
        return rc;
    }
    /* columns as wide as their widest value, nothing cut */
    int w[5] = {2, 6, 7, 8, 3};
    for (size_t i = 0; i < all.n; i++) {
        const mc_profile *p = all.items[i];
        const char *v[5] = {p->id, p->client, p->client_version, p->released, sets_of(&all, p)};
        for (int k = 0; k < 5; k++) {
            int l = v[k] ? (int)strlen(v[k]) : 0;
            w[k] = l > w[k] ? l : w[k];
        }
    }
    printf("%-*s %-*s %-*s %-*s %-*s  REC SRC DOC ISS ASM\n", w[0], "ID", w[1], "CLIENT", w[2],
           "VERSION", w[3], "RELEASED", w[4], "SET");
    size_t counts[3] = {0};
    for (size_t i = 0; i < all.n; i++) {
        const mc_profile *p = all.items[i];
        printf("%-*s %-*s %-*s %-*s %-*s ", w[0], p->id, w[1], p->client, w[2], p->client_version,
               w[3], p->released ? p->released : "", w[4], sets_of(&all, p));
        for (size_t k = 0; k < MC_EVIDENCE_KINDS; k++)
            printf(" %3zu", p->kind_counts[k]);
        printf("\n");
        for (size_t k = 0; mc_profile_sets[k]; k++)
            counts[k] += mc_profile_in_set(&all, p, mc_profile_sets[k]) == 1;
    }
    printf("\nevidence of each knob: REC recorded (a trace), SRC source, DOC documentation, ISS an "
           "issue,\nASM assumed\n");
    printf("sets (--profile SET): current, the newest of each real client, %zu profiles "
           "(what run runs\nwithout --profile; a client that only takes a provisioned client id "
           "is asked for by name);\nreference, the spec's reference clients, %zu; "
           "all, %zu; an older era by its id\n",
           counts[0], counts[1], counts[2]);
    mc_profiles_free(&all);
    return rc;
}

/* The width to fit a table to: the terminal's, else $COLUMNS, else 100. */
static int text_width(void)
{
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
        return ws.ws_col;
    const char *env = getenv("COLUMNS");
    int n = env ? atoi(env) : 0;
    return n >= 40 ? n : 100;
}

int mc_cmd_checks(const mc_config *cfg)
{
    int only = -1;
    if (cfg->spec) {
        mc_rev r;
        if (mc_rev_parse(cfg->spec, &r) != 0) {
            char *why = mc_rev_unknown(cfg->spec, 0);
            fprintf(stderr, "mcpcompat: --spec %s: %s\n", cfg->spec, why);
            free(why);
            return MC_EXIT_USAGE;
        }
        only = (int)r;
    }
    /* columns sized to their content; a revision's keyword under its short
     * name (2025-03: 2025-03-26); the reference on its own line when the row
     * would pass the width */
    int wid = 2, wstep = 4;
    for (size_t i = 0; i < mc_checks_count; i++) {
        int l = (int)strlen(mc_checks[i].id);
        wid = l > wid ? l : wid;
        l = (int)strlen(mc_step_names[mc_checks[i].step]);
        wstep = l > wstep ? l : wstep;
    }
    int width = text_width();
    int row = printf("%-*s %-6s %-*s %-6s", wid, "ID", "ROW", wstep, "STEP", "PARTY");
    for (int r = 0; r < MC_REV_COUNT; r++)
        if (only < 0 || only == r)
            row += printf(" %-7.7s", mc_rev_names[r]);
    printf(row + 10 > width ? "\n      REFERENCE\n" : " REFERENCE\n");
    for (size_t i = 0; i < mc_checks_count; i++) {
        const mc_check_def *d = &mc_checks[i];
        if (only >= 0 && d->kw[only] == MC_KW_NONE)
            continue;
        row = printf("%-*s %-6s %-*s %-6s", wid, d->id, d->matrix, wstep, mc_step_names[d->step],
                     d->party);
        int ncols = only < 0 ? MC_REV_COUNT : 1, last = only < 0 ? MC_REV_COUNT - 1 : only;
        int fits = row + 8 * ncols + 1 + (int)strlen(d->ref) <= width;
        for (int r = 0; r < MC_REV_COUNT; r++)
            if (only < 0 || only == r) /* no trailing blanks when the reference wraps */
                printf(r == last && !fits ? " %s" : " %-7s", mc_keyword_name(d->kw[r]));
        if (fits) {
            printf(" %s\n", d->ref);
            continue;
        }
        /* on the next lines, indented, broken between references */
        const char *ref = d->ref;
        int col = 0;
        while (*ref) {
            size_t len = strcspn(ref, ";");
            if (col && col + 2 + (int)len > width) {
                printf(";");
                col = 0;
            } else if (col) {
                printf("; ");
                col += 2;
            }
            if (!col)
                col = printf("\n      ");
            col += printf("%.*s", (int)len, ref);
            ref += len;
            while (*ref == ';' || *ref == ' ')
                ref++;
        }
        printf("\n");
    }
    if (only < 0)
        printf("\n(2025-03: MCP 2025-03-26, 2025-06: 2025-06-18, 2025-11: 2025-11-25, 2026-07: "
               "2026-07-28)\n");
    return MC_EXIT_OK;
}
