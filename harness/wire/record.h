/* The trace format shared by the fixture's --record and the recording proxy
 * (the recorder's: one JSON object per request, redacted). */
#ifndef MC_RECORD_H
#define MC_RECORD_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>

/* The request half of one trace line: seq, t_ms, method, path, query and
 * headers (names lower-cased) as the connection has them, the body as JSON,
 * a form as an object, anything else as a string; and status. Owned. */
json_t *mc_record_entry(struct MHD_Connection *conn, unsigned long seq, double t_ms,
                        const char *method, const char *path, const char *body, size_t len,
                        unsigned status);
/* Adds www_authenticate, location (when not NULL) and the response (JSON
 * when it parses, else null), redacts, writes one line and flushes. Takes
 * entry. The caller serialises writers. 0, or -1 with errno when the line
 * could not be written whole (a full disk): the trace is then incomplete. */
int mc_record_write(FILE *f, json_t *entry, const char *www, const char *location, const char *resp,
                    size_t resp_len);

#endif
