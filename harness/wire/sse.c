#include "sse.h"

#include "buf.h"

#include <stdlib.h>
#include <string.h>

/* Length of the line at p (excluding its terminator), and of the terminator
 * in *term; *term = 0 when the line is not terminated yet. */
static size_t line_at(const char *p, size_t avail, size_t *term)
{
    for (size_t i = 0; i < avail; i++) {
        if (p[i] == '\n') {
            *term = 1;
            return i;
        }
        if (p[i] == '\r') {
            *term = (i + 1 < avail && p[i + 1] == '\n') ? 2 : 1;
            return i;
        }
    }
    *term = 0;
    return avail;
}

int mc_sse_next(const char *buf, size_t len, size_t *pos, mc_sse_event *ev)
{
    memset(ev, 0, sizeof *ev);
    mc_buf data;
    mc_buf_init(&data, MC_SSE_MAX_DATA);
    int have_data = 0;
    size_t p = *pos;
    while (p < len) {
        size_t term;
        size_t n = line_at(buf + p, len - p, &term);
        if (!term)
            break; /* incomplete line: wait for more */
        const char *line = buf + p;
        p += n + term;
        if (n == 0) { /* dispatch */
            if (!have_data) {
                free(ev->event);
                ev->event = NULL;
                continue;
            }
            *pos = p;
            ev->data = mc_buf_steal(&data);
            if (!ev->event)
                ev->event = mc_xstrdup("message");
            return 1;
        }
        if (line[0] == ':')
            continue;
        const char *colon = memchr(line, ':', n);
        size_t flen = colon ? (size_t)(colon - line) : n;
        const char *val = colon ? colon + 1 : line + n;
        size_t vlen = colon ? n - flen - 1 : 0;
        if (vlen && *val == ' ') {
            val++;
            vlen--;
        }
        if (flen == 4 && memcmp(line, "data", 4) == 0) {
            if (have_data)
                mc_buf_add(&data, "\n", 1);
            if (mc_buf_add(&data, val, vlen) != 0) {
                mc_buf_free(&data);
                mc_sse_event_free(ev);
                return -1;
            }
            have_data = 1;
        } else if (flen == 5 && memcmp(line, "event", 5) == 0) {
            free(ev->event);
            ev->event = mc_xstrndup(val, vlen);
        } else if (flen == 2 && memcmp(line, "id", 2) == 0) {
            free(ev->id);
            ev->id = mc_xstrndup(val, vlen);
        }
    }
    mc_buf_free(&data);
    mc_sse_event_free(ev);
    return 0;
}

void mc_sse_event_free(mc_sse_event *ev)
{
    free(ev->event);
    free(ev->data);
    free(ev->id);
    memset(ev, 0, sizeof *ev);
}
