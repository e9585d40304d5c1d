/* Room recording/: traces of real clients, fidelity, profile draft, the
 * recording proxy; calls engine/, steps/, data/, wire/. */
/* Fidelity: does a profile behave like the real client it describes? A
 * trace recorded from the real client (../shared/recorder, one JSON object
 * per request) is compared with what the profile sends to the embedded
 * fixture configured the way the recorder was, on what matters: discovery
 * order, first MCP request, DCR body, redirect URI policy, authorization
 * and token parameters, client authentication, and the outcome. */
#ifndef MC_FIDELITY_H
#define MC_FIDELITY_H

#include "../data/profile.h"

#include <jansson.h>

#define MC_FP_ASPECTS 9

typedef struct {
    char *value[MC_FP_ASPECTS]; /* one normalised line per aspect */
    long seq[MC_FP_ASPECTS];    /* the request it came from (0: none) */
} mc_fingerprint;

extern const char *const mc_fp_aspects[MC_FP_ASPECTS];

/* Reads a JSONL trace (capped); returns an array of request objects, each
 * with "_line", its line in the file. */
json_t *mc_trace_load(const char *path, char **why);
/* Fingerprints a request sequence; p supplies the redirect port policy. */
/* Requests of a phase after cap (1 probe .. 7 mcp-call) are left out, for a
 * recording that ended early. */
void mc_fingerprint_make(const json_t *requests, const mc_profile *p, long callback_port, int cap,
                         mc_fingerprint *fp);
/* The key of modes.json's "clients" that names a trace (the longest one
 * followed by "-" at the start of name, a file name without .jsonl), or
 * NULL; *mode points into name after it. */
const char *mc_trace_client(const json_t *modes, const char *name, const char **mode);
/* The names of obj's members in order, joined by ","; owned. */
char *mc_names_in_order(const json_t *obj);
/* "probe" .. "mcp-call" → 1..7; 0 when unknown. */
int mc_phase_index(const char *name);
void mc_fingerprint_free(mc_fingerprint *fp);

#endif
