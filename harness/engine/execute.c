/* Executing a run plan: each client's configuration from the flags and the
 * scenario (its busy ports: the user's machine, told to the clients), the
 * clients side by side, the notes and remedies read into each run, then the
 * server suite. */
#include "run_int.h"

#include "../../fixtures/fixture.h"
#include "../../reports/reports.h"
#include "../data/persona.h"
#include "../data/profile.h"
#include "../data/scenario.h"
#include "../model/verdict.h"
#include "../steps/steps.h"
#include "../wire/buf.h"
#include "../wire/pkce.h"
#include "../wire/redact.h"
#include "../wire/url.h"
#include "client.h"
#include "failsafe.h"
#include "server_suite.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* The reference profile that drives the server suite's second flow. */
#define SERVER_SUITE_PROFILE "spec-2025-11-25"

static double now_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec * 1000.0 + tv.tv_usec / 1000.0;
}

/* A secret named by environment variable. Against the embedded fixture an
 * unset variable gets a random value for this run, so that the fixture and
 * the client read the same one and nobody has to invent a secret. */
const char *mc_run_secret_env(const char *name, int fixture)
{
    if (!name)
        return NULL;
    const char *v = getenv(name);
    if ((!v || !*v) && fixture) {
        char *r = mc_random_b64url(24);
        setenv(name, r, 1);
        mc_secret_free(r);
        v = getenv(name);
    }
    mc_secret_register(v);
    return v;
}

/* Loopback or a private (RFC 1918, unique-local) address: out of reach of a
 * client that runs its OAuth from the vendor's servers. */
static int private_target(const char *url)
{
    if (mc_url_is_loopback(url))
        return 1;
    char *h = mc_url_host(url);
    struct in_addr a;
    int yes = 0;
    if (h && inet_pton(AF_INET, h, &a) == 1) {
        unsigned long ip = ntohl(a.s_addr);
        yes =
            (ip >> 24) == 10 || (ip >> 20) == 0xAC1 || (ip >> 16) == 0xC0A8 || (ip >> 16) == 0xA9FE;
    } else if (h) {
        yes = strncmp(h, "[fc", 3) == 0 || strncmp(h, "[fd", 3) == 0 || strstr(h, ".local") ||
              strstr(h, ".internal") || !strchr(h, '.');
    }
    free(h);
    return yes;
}

/* ---------- notes ---------- */

/* Appends one sentence (taken over) to a run's notes. */
static void add_note(mc_profile_run *run, char *line)
{
    if (!run->note) {
        run->note = line;
        return;
    }
    char *joined = mc_xasprintf("%s; %s", run->note, line);
    free(run->note);
    free(line);
    run->note = joined;
}

/* The embedded fixture is offline: it gets the vendor's metadata document
 * of a client that has one, as the internet would serve it. */
static void give_vendor_document(mc_fixture *fx, const mc_profile *p, const mc_client_config *cc)
{
    char *url = mc_vendor_cimd_url(p, cc);
    if (url)
        mc_fixture_add_document(fx, url, p->cimd_document);
    free(url);
}

/* ---------- one run ---------- */

#define MC_DEFAULT_JOBS 4

typedef struct {
    mc_client_config cc;
    const mc_profile *actor; /* the profile that does the OAuth (a bridge's, for `via`) */
    mc_profile_run *run;
    int unreachable;
    char *why;
} job;

typedef struct {
    job *jobs;
    size_t n;
    size_t next;
    pthread_mutex_t lock;
    /* progress on a terminal: a line per client as it finishes, once the
     * run has taken a second (those done before are told then) */
    int progress;
    double t0;
    size_t done, told;
    size_t *order; /* the jobs in the order they finished */
} job_queue;

static void tell(job_queue *q, size_t i)
{
    const mc_profile_run *r = q->jobs[i].run;
    double s = (now_ms() - q->t0) / 1000.0;
    char name[160] = "?";
    if (r->client)
        mc_client_name(r, name, sizeof name);
    fprintf(stderr, "mcpcompat: [%zu/%zu] %s: %s%s (%.1f s)\n", q->told + 1, q->n, name,
            q->jobs[i].unreachable ? "could not run"
            : r->broke             ? "BROKE at "
                                   : "PASS",
            r->broke && !q->jobs[i].unreachable ? mc_step_names[r->failed_at] : "", s);
}

static void *worker(void *arg)
{
    job_queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        size_t i = q->next++;
        pthread_mutex_unlock(&q->lock);
        if (i >= q->n)
            return NULL;
        job *j = &q->jobs[i];
        j->unreachable = mc_client_run(j->actor, &j->cc, j->run, &j->why) == MC_UNREACHABLE;
        if (!q->progress)
            continue;
        pthread_mutex_lock(&q->lock);
        q->order[q->done++] = i;
        if (now_ms() - q->t0 > 1000.0)
            for (; q->told < q->done; q->told++)
                tell(q, q->order[q->told]);
        pthread_mutex_unlock(&q->lock);
    }
}

/* Each client in its own worker: they share nothing but the target. */
static void run_jobs(job *jobs, size_t n, long nworkers, int progress)
{
    job_queue q = {.jobs = jobs, .n = n, .progress = progress, .t0 = now_ms()};
    q.order = mc_xcalloc(n ? n : 1, sizeof *q.order);
    pthread_mutex_init(&q.lock, NULL);
    if (nworkers > (long)n)
        nworkers = (long)n;
    pthread_t tids[16];
    if (nworkers > 16)
        nworkers = 16;
    long started = 0;
    for (long k = 1; k < nworkers; k++)
        if (pthread_create(&tids[started], NULL, worker, &q) == 0)
            started++;
    worker(&q); /* this thread works too */
    for (long k = 0; k < started; k++)
        pthread_join(tids[k], NULL);
    if (q.progress && q.told)
        fflush(stderr);
    free(q.order);
    pthread_mutex_destroy(&q.lock);
}

/* A client reaching the server through a bridge (`via`): the run is named
 * after the client, the bridge in its version. */
static void name_bridged_run(mc_profile_run *run, const mc_profile *p, const mc_profile *actor)
{
    free(run->profile_id);
    free(run->client);
    free(run->client_version);
    run->profile_id = mc_xstrdup(p->id);
    run->client = mc_xstrdup(p->client);
    run->client_version =
        mc_xasprintf("%s via %s %s", p->client_version, actor->client, actor->client_version);
}

static int expectation_met(const mc_profile_run *r, const char *expected)
{
    if (strcmp(expected, "pass") == 0)
        return !r->broke;
    return r->broke && strcmp(expected + 6, mc_step_names[r->failed_at]) == 0;
}

/* The login for a form-login authorization server: --login-user-env and
 * --login-password-env, or the scenario's; the fixture's own user when the
 * target is the embedded fixture and none is given. */
static void login_from_env(const run_plan *plan, const char **user, const char **pass)
{
    const mc_config *cfg = plan->cfg;
    const char *user_env = cfg->login_user_env ? cfg->login_user_env
                           : plan->sc          ? mc_scenario_login_env(plan->sc, "user_env")
                                               : NULL;
    const char *pass_env = cfg->login_password_env ? cfg->login_password_env
                           : plan->sc              ? mc_scenario_login_env(plan->sc, "password_env")
                                                   : NULL;
    *user = user_env ? getenv(user_env) : NULL;
    *pass = pass_env ? getenv(pass_env) : NULL;
    if (plan->fixture && !*user) {
        *user = MC_FIXTURE_USER;
        *pass = MC_FIXTURE_PASSWORD;
    }
    mc_secret_register(*pass);
}

/* What every client of the run is given: the target, the login, the
 * server's name, the HTTP settings (host: the target's host, borrowed). */
static mc_client_config base_client_config(const run_plan *plan, const char *host)
{
    const mc_config *cfg = plan->cfg;
    const char *user, *pass;
    login_from_env(plan, &user, &pass);
    const char *server_name = cfg->server_name ? cfg->server_name
                              : plan->sc && mc_scenario_server_name(plan->sc)
                                  ? mc_scenario_server_name(plan->sc)
                                  : host;
    mc_client_config base = {.mcp_url = plan->url,
                             .login_user = user,
                             .login_password = pass,
                             .rev = plan->rev,
                             .server_name = server_name,
                             .cimd_url = cfg->cimd_url,
                             .login_command = cfg->login_command,
                             .login_manual = cfg->login_manual,
                             .login_timeout = cfg->login_timeout ? cfg->login_timeout : 120,
                             .http = {.cacert = cfg->cacert,
                                      .insecure = cfg->insecure,
                                      .verbose = cfg->verbose,
                                      .timeout_ms = cfg->timeout * 1000,
                                      .guard = 1,
                                      .target_host = host,
                                      .allow_private = cfg->allow_private},
                             .refresh = cfg->refresh,
                             .busy_ports = plan->sc ? mc_scenario_busy_ports(plan->sc) : NULL};
    return base;
}

/* Profile p's job, the run's nth: the base configuration with what the flags and the
 * scenario give this client, and the profile that does its OAuth. Returns
 * 0, or -1 (reported) for a bridge (`via`) that names no profile. */
static int prepare_job(const run_plan *plan, const mc_profile *p, const mc_client_config *base,
                       unsigned long nth, mc_profile_run *run, job *j)
{
    const mc_config *cfg = plan->cfg;
    j->cc = *base;
    json_t *sc_client = plan->sc ? mc_scenario_client(plan->sc, p->id) : NULL;
    j->cc.client_id = cfg->client_id ? cfg->client_id
                                     : json_string_value(json_object_get(sc_client, "client_id"));
    const char *senv = json_string_value(json_object_get(sc_client, "client_secret_env"));
    j->cc.client_secret =
        cfg->client_secret ? cfg->client_secret : mc_run_secret_env(senv, plan->fixture);
    mc_secret_register(j->cc.client_secret);
    json_t *port = json_object_get(sc_client, "callback_port");
    j->cc.callback_port = json_is_integer(port) ? (long)json_integer_value(port) : 0;
    j->cc.callback_url = json_string_value(json_object_get(sc_client, "callback_url"));
    const char *cimd = json_string_value(json_object_get(sc_client, "cimd_url"));
    if (cimd)
        j->cc.cimd_url = cimd;
    j->cc.registration_metadata = json_object_get(sc_client, "registration_metadata");
    /* a client reaching the server through a bridge: the bridge does the OAuth */
    const char *via = json_string_value(json_object_get(sc_client, "via"));
    j->actor = via ? mc_profiles_find(plan->all, via) : p;
    j->run = run;
    /* its own source address on a loopback target: real users' clients each
     * come from their own machine, and a server's per-address limits must
     * not count them together */
    if (!plan->one_address)
        mc_http_source_address(nth, j->cc.http.source);
    if (j->actor && plan->fx)
        give_vendor_document(plan->fx, j->actor, &j->cc);
    if (!j->actor) {
        fprintf(stderr, "mcpcompat: %s: clients.%s.via: unknown profile \"%s\"\n", plan->sc->path,
                p->id, via);
        return -1;
    }
    return 0;
}

/* The first job whose target could not be reached, or NULL. */
static const job *unreachable_job(const job *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (jobs[i].unreachable)
            return &jobs[i];
    return NULL;
}

/* What a run's reader should know besides its steps: the remedy for its
 * break (the scenario's, or the persona's setting), notes on what the
 * emulation could not do as the real client would, the scenario's
 * expectation. */
static void annotate_run(const run_plan *plan, const mc_profile *p, const job *j,
                         mc_profile_run *run)
{
    const mc_config *cfg = plan->cfg;
    const mc_profile *actor = j->actor;
    if (actor != p)
        name_bridged_run(run, p, actor);
    const char *remedy = plan->sc ? mc_scenario_remedy(plan->sc, p->id) : NULL;
    if (remedy && run->broke)
        run->remedy = mc_xstrdup(remedy);
    else if (run->broke && cfg->persona) /* the product's own setting */
        run->remedy = mc_persona_remedy(cfg->persona, run->steps[run->failed_at].id,
                                        run->steps[run->failed_at].reason);
    if (run->broke) { /* what the verdict rests on */
        const mc_step_result *st = &run->steps[run->failed_at];
        const char *knob =
            st->deciding_knob ? st->deciding_knob : mc_deciding_knob(st->failed_check);
        const char *ev = knob ? mc_profile_evidence(p, knob) : NULL;
        const char *kind = mc_evidence_kind(ev);
        if (knob) {
            run->decided_by = mc_xstrdup(knob);
            run->decided_kind = mc_xstrdup(kind ? kind : "none");
            run->decided_evidence = ev ? mc_xstrdup(ev + (kind ? strlen(kind) + 2 : 0)) : NULL;
        }
    }
    char *doc_url = plan->fx ? mc_vendor_cimd_url(actor, &j->cc) : NULL;
    if (doc_url && mc_fixture_document_unvalidated(plan->fx, doc_url))
        add_note(run, mc_xasprintf("the embedded fixture is offline and the content of %s's "
                                   "metadata document %s is not known: it was accepted "
                                   "without validation",
                                   actor->client, doc_url));
    free(doc_url);
    /* settings the scenario gives a client that has no such setting */
    const mc_client_config *cc = &j->cc;
    if (cc->registration_metadata && !actor->user_metadata)
        add_note(run, mc_xasprintf("%s takes no registration metadata from its user: "
                                   "clients.%s.registration_metadata is not used",
                                   actor->client, p->id));
    if (cc->callback_url && (actor->callback_url == MC_CALLBACK_NONE || actor->redirect_url))
        add_note(run, mc_xasprintf("%s has no callback URL setting: "
                                   "clients.%s.callback_url is not used",
                                   actor->client, p->id));
    run->needs_public = p->hosted && private_target(plan->url) && !run->broke;
    if (p->hosted && private_target(plan->url))
        add_note(run, mc_xasprintf("%s runs its OAuth from the vendor's servers: the real "
                                   "client could not reach this loopback or private target "
                                   "(emulated here from this machine)",
                                   p->client));
    const char *exp = plan->sc ? mc_scenario_expect(plan->sc, p->id) : NULL;
    if (exp) {
        run->expected = mc_xstrdup(exp);
        run->as_expected = expectation_met(run, exp);
    }
}

/* The server suite, driven by the revision's own reference client. */
static void run_server_suite(const run_plan *plan, const mc_client_config *base, mc_run_result *res)
{
    /* the revision's own reference client drives the second flow */
    char ref[32];
    snprintf(ref, sizeof ref, "spec-%s", mc_rev_names[plan->rev]);
    const mc_profile *sp = mc_profiles_find(plan->all, ref);
    if (!sp)
        sp = mc_profiles_find(plan->all, SERVER_SUITE_PROFILE);
    if (!sp && plan->nprofiles)
        sp = plan->profiles[0];
    if (!sp) /* a profile set without any runs no server suite */
        return;
    double s0 = now_ms();
    /* the suite's flows authorize again with the registration its reference
     * client made in this run: one registration, as one client authorizing
     * several times would make */
    mc_client_config suite = *base;
    suite.reuse_registration = 1;
    if (!plan->one_address) /* its own source address, after the clients' */
        mc_http_source_address(plan->nprofiles, suite.http.source);
    mc_server_suite(sp, &suite, &res->server);
    res->server.ms = now_ms() - s0;
    res->server_ran = 1;
}

int mc_run_execute(const run_plan *plan, mc_run_result *res)
{
    const mc_config *cfg = plan->cfg;
    if (plan->unusable) { /* every client stops at its first step, the reports say why */
        mc_run_result_error(res, MC_VERSION, plan->url, plan->profiles, plan->nprofiles, plan->rev,
                            plan->unusable);
        return MC_EXIT_CANNOT;
    }
    memset(res, 0, sizeof *res);
    res->tool_version = mc_xstrdup(MC_VERSION);
    res->target = mc_xstrdup(plan->url);
    res->persona = cfg->persona ? mc_xstrdup(cfg->persona->id) : NULL;
    res->rev = plan->rev;
    res->gates = cfg->fail_on;
    double t0 = now_ms();
    char *host = mc_url_host(plan->url);
    mc_client_config base = base_client_config(plan, host);
    mc_footprint *fp = mc_footprint_new(); /* what the run's clients share */
    base.footprint = fp;

    /* prepare each client's configuration, then run the clients side by side
     * (they share nothing but the target), then read the results in order */
    res->runs = mc_xcalloc(plan->nprofiles, sizeof *res->runs);
    job *jobs = mc_xcalloc(plan->nprofiles, sizeof *jobs);
    for (size_t i = 0; i < plan->nprofiles; i++) {
        if (prepare_job(plan, plan->profiles[i], &base, i, &res->runs[i], &jobs[i]) != 0) {
            free(jobs);
            free(host);
            mc_footprint_free(fp);
            return MC_EXIT_USAGE;
        }
    }
    /* a transcript (-v) or a person at a browser wants one client at a time */
    int serial = cfg->verbose || cfg->login_command || cfg->login_manual || cfg->jobs == 1;
    /* progress lines: on a terminal, not with -q, not in a transcript (-v) */
    int progress = !cfg->quiet && !cfg->verbose && isatty(STDERR_FILENO) && !cfg->login_manual &&
                   !cfg->login_command;
    run_jobs(jobs, plan->nprofiles, serial ? 1 : cfg->jobs ? cfg->jobs : MC_DEFAULT_JOBS, progress);
    res->nruns = plan->nprofiles;
    const job *lost = unreachable_job(jobs, plan->nprofiles);
    if (lost) {
        /* the runs so far are kept: the reports record the error */
        for (size_t k = 0; k < plan->nprofiles; k++)
            if (jobs[k].actor != plan->profiles[k])
                name_bridged_run(&res->runs[k], plan->profiles[k], jobs[k].actor);
        fprintf(stderr, "mcpcompat: could not run: %s\n",
                lost->why ? lost->why : "target unreachable");
        for (size_t k = 0; k < plan->nprofiles; k++)
            free(jobs[k].why);
        free(jobs);
        res->ms = now_ms() - t0;
        free(host);
        mc_footprint_free(fp);
        return MC_EXIT_CANNOT;
    }
    for (size_t i = 0; i < plan->nprofiles; i++)
        annotate_run(plan, plan->profiles[i], &jobs[i], &res->runs[i]);
    free(jobs);
    if (!cfg->no_server_suite)
        run_server_suite(plan, &base, res);
    /* which stack answered, so that remedies can say where its fix goes */
    mc_stacks_recognise(res, cfg->persona ? cfg->persona->id : NULL);
    free(host);
    mc_footprint_free(fp);
    res->ms = now_ms() - t0;
    if (mc_http_stopped()) { /* a signal or --max-time during the server suite */
        fprintf(stderr, "mcpcompat: could not run: %s\n", mc_http_stopped());
        return MC_EXIT_CANNOT;
    }
    return MC_EXIT_OK;
}

/* The exit code follows from the verdict every report shows. */
int mc_run_verdict(const mc_run_result *const *res, size_t n)
{
    mc_verdict v;
    mc_verdict_of(res, n, &v);
    if (v.exit_code == MC_EXIT_CANNOT) {
        /* nothing failed, but a client could not be run to a verdict: say which */
        const mc_profile_run *first = NULL;
        size_t total = 0;
        for (size_t k = 0; k < n; k++)
            for (size_t i = 0; i < res[k]->nruns; i++, total++)
                if (!first && mc_client_verdict_of(&res[k]->runs[i]) == MC_V_NOT_RUN)
                    first = &res[k]->runs[i];
        const mc_step_result *s =
            first && first->failed_at >= 0 ? &first->steps[first->failed_at] : NULL;
        fprintf(stderr, "mcpcompat: could not run %zu of %zu clients: %s: %s\n", v.n[MC_V_NOT_RUN],
                total, first ? first->client : "?", s && s->reason ? s->reason : "not run");
    }
    return v.exit_code;
}
