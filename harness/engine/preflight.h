/* Before any client runs against a URL: is there an MCP endpoint there at
 * all? A wrong URL is the user's to fix, not a server defect to report. */
#ifndef MC_PREFLIGHT_H
#define MC_PREFLIGHT_H

#include "../model/checks.h"
#include "../wire/http.h"

/* One POST initialize to url, as the clients' first request, bounded by
 * opts' timeout (plus as much again for a plain-http retry of an https URL
 * that answered in plain HTTP). 0 when the run can go on (any answer an MCP
 * endpoint can give: 401, 200, 4xx of its own); -1 with *why (owned, one
 * line naming the likely cause and the time it waited) when there is
 * nothing to run the clients against. */
/* *status: the answer's status (0: none); *loopback4: the connection went
 * to an IPv4 loopback address (127.0.0.0/8). */
int mc_target_preflight(const char *url, const mc_http_opts *opts, mc_rev rev, char **why,
                        long *status, int *loopback4);

/* The status of POST initialize to url from opts->source ("": the
 * system's address), 0 when no answer came; *from_source: 1 when the
 * connection came from opts->source (a loopback target, the address bound).
 * A run compares the two before
 * giving each client its own loopback address: a server that answers
 * 127.0.0.1 only (an allowlist of that address) would otherwise break every
 * client that the real one, on the user's machine, would not. */
long mc_target_initialize_status(const char *url, const mc_http_opts *opts, mc_rev rev,
                                 int *from_source);

#endif
