#include "record.h"

#include "buf.h"
#include "redact.h"
#include "url.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static enum MHD_Result add_kv(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
    json_t *o = cls;
    char *low = mc_xstrdup(k);
    for (char *p = low; *p; p++)
        *p = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    /* credentials by header name, whoever issued them: redacted here, and
     * learnt so that they are redacted wherever else they show */
    char *safe = NULL;
    if (kind == MHD_HEADER_KIND) {
        char *line = mc_xasprintf("%s: %s", k, v ? v : "");
        mc_redact_learn_headers(line);
        mc_secret_free(line);
        safe = mc_redact_header(k, v ? v : "");
    }
    json_object_set_new(o, low, json_string(safe ? safe : v ? v : ""));
    mc_secret_free(safe);
    free(low);
    return MHD_YES;
}

static json_t *parse_body(struct MHD_Connection *conn, const char *body, size_t len)
{
    if (!len)
        return json_null();
    json_t *j = json_loadb(body, len, 0, NULL);
    if (j)
        return j;
    const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
    if (ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0) {
        json_t *o = json_object();
        char *copy = mc_xstrndup(body, len), *save = NULL;
        for (char *kv = strtok_r(copy, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
            char *eq = strchr(kv, '=');
            if (!eq)
                continue;
            *eq = '\0';
            char *pair = mc_xasprintf("%s=%s", kv, eq + 1);
            char *val = mc_query_get(pair, kv);
            json_object_set_new(o, kv, json_string(val ? val : ""));
            free(val);
            free(pair);
        }
        free(copy);
        return o;
    }
    return json_stringn(body, len);
}

json_t *mc_record_entry(struct MHD_Connection *conn, unsigned long seq, double t_ms,
                        const char *method, const char *path, const char *body, size_t len,
                        unsigned status)
{
    json_t *hdrs = json_object(), *query = json_object();
    MHD_get_connection_values(conn, MHD_HEADER_KIND, add_kv, hdrs);
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_kv, query);
    return json_pack("{s:i, s:i, s:s, s:s, s:o, s:o, s:o, s:i}", "seq", (json_int_t)seq, "t_ms",
                     (json_int_t)t_ms, "method", method, "path", path, "query", query, "headers",
                     hdrs, "body", parse_body(conn, body, len), "status", (int)status);
}

int mc_record_write(FILE *f, json_t *entry, const char *www, const char *location, const char *resp,
                    size_t resp_len)
{
    if (www)
        json_object_set_new(entry, "www_authenticate", json_string(www));
    if (location)
        json_object_set_new(entry, "location", json_string(location));
    json_t *response = resp_len ? json_loadb(resp, resp_len, 0, NULL) : NULL;
    json_object_set_new(entry, "response", response ? response : json_null());
    char *line = json_dumps(entry, JSON_COMPACT);
    char *safe = mc_redact(line);
    int rc = fprintf(f, "%s\n", safe) < 0 || fflush(f) != 0 || ferror(f) ? -1 : 0;
    free(safe);
    free(line);
    json_decref(entry);
    return rc;
}
