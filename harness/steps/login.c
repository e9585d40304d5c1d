/* Logins that no form-filling can do (a JavaScript login page, MFA, SSO):
 * --login-command runs a program with the authorization URL as its last
 * argument and reads the final redirect URL from its standard output;
 * --login manual prints the URL and waits, with a timeout, on the loopback
 * redirect listener for a real browser to arrive. */
#define _GNU_SOURCE
#include "steps.h"

#include "../wire/buf.h"
#include "../wire/redact.h"
#include "../wire/url.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_OUTPUT 16384

static void fill_result(const char *final, mc_ua_result *out)
{
    out->code = mc_url_query_get(final, "code");
    mc_secret_register(out->code);
    out->state = mc_url_query_get(final, "state");
    out->iss = mc_url_query_get(final, "iss");
    out->has_iss = out->iss != NULL;
    out->error = mc_url_query_get(final, "error");
    out->error_description = mc_url_query_get(final, "error_description");
}

/* The last non-empty line of the program's output. */
static char *last_line(char *text)
{
    char *last = NULL;
    for (char *save = NULL, *l = strtok_r(text, "\r\n", &save); l;
         l = strtok_r(NULL, "\r\n", &save))
        if (*l)
            last = l;
    return last ? mc_xstrdup(last) : NULL;
}

int mc_login_command(mc_client *c, const char *url, mc_ua_result *out, char **why)
{
    memset(out, 0, sizeof *out);
    int fds[2];
    if (pipe(fds) != 0) {
        *why = mc_xasprintf("cannot run the login command: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        /* its own process group: what the command starts (a headless
         * browser holding its callback port) ends with it */
        setpgid(0, 0);
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        /* CMD is a shell command line; the URL is passed as "$1", never spliced in */
        char *script = mc_xasprintf("%s \"$1\"", c->cfg->login_command);
        execl("/bin/sh", "sh", "-c", script, "mcpcompat-login", url, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    if (pid > 0)
        setpgid(pid, pid); /* either side may run first */
    if (pid < 0) {
        close(fds[0]);
        *why = mc_xasprintf("cannot run the login command: %s", strerror(errno));
        return -1;
    }
    mc_buf b;
    mc_buf_init(&b, MAX_OUTPUT);
    time_t deadline = time(NULL) + c->cfg->login_timeout;
    int timed_out = 0;
    for (;;) {
        long left = (long)(deadline - time(NULL));
        if (left <= 0) {
            timed_out = 1;
            break;
        }
        if (mc_http_stopped()) { /* a signal or --max-time: stop the command too */
            timed_out = 1;
            break;
        }
        struct pollfd p = {.fd = fds[0], .events = POLLIN};
        int r = poll(&p, 1, left > 1 ? 200 : (int)(left * 1000));
        if (r == 0 || (r < 0 && errno == EINTR))
            continue;
        if (r < 0)
            break;
        char chunk[2048];
        ssize_t n = read(fds[0], chunk, sizeof chunk);
        if (n <= 0)
            break;
        mc_buf_add(&b, chunk, (size_t)n);
    }
    close(fds[0]);
    if (timed_out)
        kill(-pid, SIGKILL);
    /* the command's end is awaited without reaping it (its group id stays
     * its own meanwhile), within the same deadline; then whatever it left
     * running in its group ends: a login command's browser must not outlive
     * the login, nor mcpcompat */
    for (;;) {
        siginfo_t si;
        memset(&si, 0, sizeof si);
        if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT | WNOHANG) != 0 && errno != EINTR)
            break;
        if (si.si_pid == pid)
            break;
        if (time(NULL) >= deadline || mc_http_stopped())
            kill(-pid, SIGKILL);
        poll(NULL, 0, 50);
    }
    kill(-pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    char *text = mc_buf_steal(&b);
    char *final = last_line(text);
    free(text);
    int rc = -1;
    char *code = final ? mc_url_query_get(final, "code") : NULL;
    char *error = final ? mc_url_query_get(final, "error") : NULL;
    int usable = code || error;
    mc_secret_free(code);
    free(error);
    if (timed_out && mc_http_stopped())
        *why = mc_xasprintf("the login command was stopped: %s", mc_http_stopped());
    else if (timed_out)
        *why = mc_xasprintf("the login command did not finish within %ld s", c->cfg->login_timeout);
    else if (!usable)
        *why = mc_xasprintf("the login command printed no redirect to %s with a code (exit %d)",
                            c->redirect_uri, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    else {
        fill_result(final, out);
        rc = 0;
    }
    mc_secret_register(final);
    free(final);
    return rc;
}

/* --login manual: the redirect URI's own listener receives the browser. */
typedef struct {
    const char *path;
    char *query; /* the arrival's query string, owned */
    pthread_mutex_t lock;
} arrival;

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
    (void)kind;
    char **q = cls;
    mc_form_append(q, k, v ? v : "");
    return MHD_YES;
}

static enum MHD_Result on_arrival(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)method, (void)version, (void)upload, (void)upload_size, (void)con_cls;
    arrival *a = cls;
    int ours = strcmp(url, a->path) == 0;
    if (ours) {
        char *q = NULL;
        MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect, &q);
        pthread_mutex_lock(&a->lock);
        if (!a->query)
            a->query = q ? q : mc_xstrdup("");
        else
            free(q);
        pthread_mutex_unlock(&a->lock);
    }
    static const char done[] =
        "<!doctype html><p>mcpcompat received the login; you can close this window.</p>";
    static const char nope[] = "not found";
    struct MHD_Response *r =
        MHD_create_response_from_buffer(ours ? sizeof done - 1 : sizeof nope - 1,
                                        (void *)(ours ? done : nope), MHD_RESPMEM_PERSISTENT);
    enum MHD_Result rc = MHD_queue_response(conn, ours ? 200 : 404, r);
    MHD_destroy_response(r);
    return rc;
}

int mc_login_manual(mc_client *c, const char *url, mc_ua_result *out, char **why)
{
    memset(out, 0, sizeof *out);
    if (!mc_url_scheme_is(c->redirect_uri, "http") || !mc_url_is_loopback(c->redirect_uri)) {
        *why =
            mc_xasprintf("--login manual needs a loopback redirect URI, not %s", c->redirect_uri);
        return -1;
    }
    char *path = mc_url_path(c->redirect_uri);
    arrival a = {.path = path};
    pthread_mutex_init(&a.lock, NULL);
    struct sockaddr_in sa = {.sin_family = AF_INET,
                             .sin_port = htons((uint16_t)mc_url_port(c->redirect_uri))};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, on_arrival, &a, MHD_OPTION_SOCK_ADDR, &sa,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10, MHD_OPTION_END);
    if (!d) {
        *why = mc_xasprintf("cannot listen on %s", c->redirect_uri);
        free(path);
        return -1;
    }
    fprintf(stderr, "mcpcompat: %s: open this URL in a browser and log in (waiting %ld s):\n%s\n",
            c->p->id, c->cfg->login_timeout, url);
    time_t deadline = time(NULL) + c->cfg->login_timeout;
    char *query = NULL;
    while (!query && time(NULL) < deadline && !mc_http_stopped()) {
        usleep(100 * 1000);
        pthread_mutex_lock(&a.lock);
        query = a.query;
        a.query = NULL;
        pthread_mutex_unlock(&a.lock);
    }
    MHD_stop_daemon(d);
    pthread_mutex_destroy(&a.lock);
    free(a.query);
    free(path);
    if (!query) {
        *why = mc_xasprintf("no browser reached %s within %ld s", c->redirect_uri,
                            c->cfg->login_timeout);
        return -1;
    }
    char *final = mc_url_add_query(c->redirect_uri, query);
    mc_secret_free(query);
    fill_result(final, out);
    mc_secret_free(final);
    return 0;
}
