/* Server-Sent Events parsing (HTML Living Standard §9.2.6) for Streamable
 * HTTP responses. Pure and bounded: a caller feeds the whole (capped) body. */
#ifndef MC_SSE_H
#define MC_SSE_H

#include <stddef.h>

#define MC_SSE_MAX_DATA (1024 * 1024)

typedef struct {
    char *event; /* "message" when absent */
    char *data;  /* data lines joined with "\n"; owned */
    char *id;
} mc_sse_event;

/* Reads the next complete event starting at *pos; advances *pos.
 * Returns 1 with ev filled, 0 when no complete event remains, -1 when an
 * event's data exceeds MC_SSE_MAX_DATA. */
int mc_sse_next(const char *buf, size_t len, size_t *pos, mc_sse_event *ev);
void mc_sse_event_free(mc_sse_event *ev);

#endif
