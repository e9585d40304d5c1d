/* Bounds for a libmicrohttpd listener facing hostile clients (the fixture's
 * `serve`, the recording proxy): each request must arrive whole, headers and
 * body, within a deadline counted from the connection's start or the end of
 * its previous answer. libmicrohttpd's own timeout counts idle time only, so
 * a client trickling one byte a second held a connection (and a thread) for
 * ever; past the deadline the connection is shut down. */
#ifndef MC_GUARD_H
#define MC_GUARD_H

#include <microhttpd.h>

typedef struct mc_conn_guard mc_conn_guard;

/* A guard with its watchdog thread; NULL when the thread cannot start. */
mc_conn_guard *mc_conn_guard_new(unsigned deadline_s);
/* Stops the watchdog (after the daemon is stopped); accepts NULL. */
void mc_conn_guard_free(mc_conn_guard *g);
/* MHD_OPTION_NOTIFY_CONNECTION's callback, with the guard as its cls. */
void mc_conn_guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code);
/* The request on c has arrived whole (the access handler's last call): its
 * handling is not cut. */
void mc_conn_guard_received(struct MHD_Connection *c);
/* Its answer is done (MHD_OPTION_NOTIFY_COMPLETED): the next request's
 * deadline starts now. */
void mc_conn_guard_answered(struct MHD_Connection *c);

/* The connection limit of a guarded listener: room for many clients, the
 * deadline keeping tricklers from holding it. */
#define MC_GUARD_CONNECTIONS 256u
#define MC_GUARD_DEADLINE_S 10u

#endif
