/* A Client ID Metadata Document served by the harness on loopback, for a
 * profile whose cimd_url is "harness": the authorization server under test
 * fetches it like any client's document. */
#ifndef MC_CIMD_HOST_H
#define MC_CIMD_HOST_H

#include <jansson.h>

typedef struct mc_cimd_host mc_cimd_host;

/* Starts serving; the document's client_id is set to the URL it is served
 * at. Returns 0, or -1 with *why set. */
int mc_cimd_host_start(json_t *doc, mc_cimd_host **out, char **why);
/* The document's URL (borrowed). */
const char *mc_cimd_host_url(const mc_cimd_host *h);
/* How many times it was fetched. */
int mc_cimd_host_fetches(const mc_cimd_host *h);
void mc_cimd_host_stop(mc_cimd_host *h);

#endif
