#include "guard.h"

#include "buf.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

typedef struct entry {
    struct entry *next, *prev;
    mc_conn_guard *g;
    int fd;
    double deadline; /* ms, CLOCK_MONOTONIC */
    int busy;        /* a request being handled or answered */
    int cut;
} entry;

struct mc_conn_guard {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    entry *head;
    double deadline_ms;
    int stop;
};

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000.0 + t.tv_nsec / 1e6;
}

static void *watch(void *arg)
{
    mc_conn_guard *g = arg;
    pthread_mutex_lock(&g->lock);
    while (!g->stop) {
        double t = now_ms();
        for (entry *e = g->head; e; e = e->next) {
            if (!e->busy && !e->cut && t > e->deadline) {
                /* the handler's thread sees the end of the stream and
                 * closes the connection itself */
                shutdown(e->fd, SHUT_RDWR);
                e->cut = 1;
            }
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 250 * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&g->wake, &g->lock, &until);
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

mc_conn_guard *mc_conn_guard_new(unsigned deadline_s)
{
    mc_conn_guard *g = mc_xcalloc(1, sizeof *g);
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->wake, NULL);
    g->deadline_ms = deadline_s * 1000.0;
    if (pthread_create(&g->thread, NULL, watch, g) != 0) {
        pthread_cond_destroy(&g->wake);
        pthread_mutex_destroy(&g->lock);
        free(g);
        return NULL;
    }
    return g;
}

void mc_conn_guard_free(mc_conn_guard *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->lock);
    g->stop = 1;
    pthread_cond_signal(&g->wake);
    pthread_mutex_unlock(&g->lock);
    pthread_join(g->thread, NULL);
    while (g->head) { /* connections the daemon did not report closed */
        entry *e = g->head;
        g->head = e->next;
        free(e);
    }
    pthread_cond_destroy(&g->wake);
    pthread_mutex_destroy(&g->lock);
    free(g);
}

void mc_conn_guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    mc_conn_guard *g = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (!info)
            return;
        entry *e = mc_xcalloc(1, sizeof *e);
        e->g = g;
        e->fd = info->connect_fd;
        pthread_mutex_lock(&g->lock);
        e->deadline = now_ms() + g->deadline_ms;
        e->next = g->head;
        if (g->head)
            g->head->prev = e;
        g->head = e;
        pthread_mutex_unlock(&g->lock);
        *socket_context = e;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        entry *e = *socket_context;
        pthread_mutex_lock(&g->lock);
        if (e->prev)
            e->prev->next = e->next;
        else
            g->head = e->next;
        if (e->next)
            e->next->prev = e->prev;
        pthread_mutex_unlock(&g->lock);
        free(e);
        *socket_context = NULL;
    }
}

static entry *entry_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

void mc_conn_guard_received(struct MHD_Connection *c)
{
    entry *e = entry_of(c);
    if (!e)
        return;
    pthread_mutex_lock(&e->g->lock);
    e->busy = 1;
    pthread_mutex_unlock(&e->g->lock);
}

void mc_conn_guard_answered(struct MHD_Connection *c)
{
    entry *e = entry_of(c);
    if (!e)
        return;
    pthread_mutex_lock(&e->g->lock);
    e->busy = 0;
    e->deadline = now_ms() + e->g->deadline_ms;
    pthread_mutex_unlock(&e->g->lock);
}
