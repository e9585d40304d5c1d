#include "failsafe.h"

#include "../wire/buf.h"
#include "../wire/http.h"
#include "../wire/redact.h"

#include <errno.h>
#include <libgen.h>
#include <libxml/xmlerror.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int mc_path_writable(const char *path, char *why, size_t n)
{
    struct stat st;
    if (!path || !*path) {
        snprintf(why, n, "an empty path");
        return -1;
    }
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            snprintf(why, n, "is a directory");
            return -1;
        }
        if (access(path, W_OK) != 0) {
            snprintf(why, n, "%s", strerror(errno));
            return -1;
        }
        return 0;
    }
    char *copy = mc_xstrdup(path);
    const char *dir = dirname(copy);
    int rc = 0;
    if (stat(dir, &st) != 0) {
        snprintf(why, n, "no directory %s", dir);
        rc = -1;
    } else if (!S_ISDIR(st.st_mode)) {
        snprintf(why, n, "%s is not a directory", dir);
        rc = -1;
    } else if (access(dir, W_OK | X_OK) != 0) {
        snprintf(why, n, "directory %s: %s", dir, strerror(errno));
        rc = -1;
    }
    free(copy);
    return rc;
}

int mc_reports_preflight(const char *const *flags, const char *const *paths, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char why[512];
        if (paths[i] && mc_path_writable(paths[i], why, sizeof why) != 0) {
            fprintf(stderr, "mcpcompat: %s %s: cannot write: %s\n", flags[i], paths[i], why);
            return -1;
        }
    }
    return 0;
}

int mc_cacert_preflight(const char *path)
{
    char why[256];
    if (path && mc_check_regular(path, why, sizeof why) != 0) {
        fprintf(stderr, "mcpcompat: --cacert %s: %s\n", path, why);
        return -1;
    }
    return 0;
}

int mc_pem_preflight(const char *flag, const char *path, const char *other)
{
    if (!path) {
        fprintf(stderr, "mcpcompat: %s needs %s too\n", other, flag);
        return -1;
    }
    /* as the fixture reads it: a regular file of at most 64 KiB */
    char *text, why[256];
    size_t len;
    if (mc_read_regular(path, 64 * 1024, &text, &len, why, sizeof why) != 0) {
        fprintf(stderr, "mcpcompat: %s %s: %s\n", flag, path, why);
        return -1;
    }
    int pem = strstr(text, "-----BEGIN") != NULL;
    mc_secret_free(text); /* a key */
    if (!pem) {
        fprintf(stderr, "mcpcompat: %s %s: not a PEM file\n", flag, path);
        return -1;
    }
    return 0;
}

void mc_profile_run_skip_from(mc_profile_run *run, int first)
{
    for (int i = first < 0 ? 0 : first; i < run->nsteps && i < MC_STEP_COUNT; i++) {
        run->steps[i].id = (mc_step_id)i;
        run->steps[i].status = MC_SKIP;
    }
}

void mc_run_result_error(mc_run_result *res, const char *version, const char *target,
                         mc_profile *const *profiles, size_t n, mc_rev rev, const char *why)
{
    memset(res, 0, sizeof *res);
    res->tool_version = mc_xstrdup(version);
    res->target = mc_xstrdup(target ? target : "(embedded fixture)");
    res->rev = rev;
    res->runs = mc_xcalloc(n, sizeof *res->runs);
    res->nruns = n;
    for (size_t i = 0; i < n; i++) {
        mc_profile_run *r = &res->runs[i];
        r->profile_id = mc_xstrdup(profiles[i]->id);
        r->client = mc_xstrdup(profiles[i]->client);
        r->client_version = mc_xstrdup(profiles[i]->client_version);
        r->rev = rev;
        r->nsteps = MC_STEP_REFRESH;
        r->not_run = 1;
        r->failed_at = MC_STEP_PROBE;
        mc_profile_run_skip_from(r, 1);
        r->steps[0].id = MC_STEP_PROBE;
        r->steps[0].status = MC_ERROR;
        r->steps[0].reason = mc_xstrdup(why);
    }
}

static void on_stop_signal(int sig)
{
    mc_http_interrupt(sig);
}

void mc_signals_install(void)
{
    struct sigaction sa = {.sa_handler = on_stop_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx, (void)msg;
}

static void silent_structured(void *ctx, xmlErrorPtr e)
{
    (void)ctx, (void)e;
}

void mc_libxml_quiet(void)
{
    xmlSetGenericErrorFunc(NULL, silent);
    xmlSetStructuredErrorFunc(NULL, silent_structured);
}
