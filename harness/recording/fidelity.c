#include "fidelity.h"

#include "../data/embedded.h"
#include "../steps/steps.h"
#include "../wire/buf.h"
#include "../wire/url.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TRACE (8 * 1024 * 1024)

const char *const mc_fp_aspects[MC_FP_ASPECTS] = {"first request",
                                                  "discovery order",
                                                  "registration body",
                                                  "redirect URI",
                                                  "authorization request",
                                                  "token request",
                                                  "first authorized MCP request",
                                                  "outcome",
                                                  "refresh request"};

/* The path as the server saw it: the recorder logs it percent-encoded
 * (%7Btenantid%7D), the fixture decoded (libmicrohttpd unescapes it). */
static void decode_path(json_t *o)
{
    const char *p = json_string_value(json_object_get(o, "path"));
    if (!p || !strchr(p, '%'))
        return;
    char *d = mc_xstrdup(p), *w = d;
    for (const char *r = p; *r; r++) {
        unsigned v;
        if (r[0] == '%' && isxdigit((unsigned char)r[1]) && isxdigit((unsigned char)r[2]) &&
            sscanf(r + 1, "%2x", &v) == 1 && v) {
            *w++ = (char)v;
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    json_object_set_new(o, "path", json_string(d));
    free(d);
}

json_t *mc_trace_load(const char *path, char **why)
{
    /* the whole trace, capped before it is read (a one-line gigabyte, or
     * /dev/zero, never fills memory), then line by line */
    char *text, err[256];
    size_t total;
    if (mc_data_read(path, MAX_TRACE, &text, &total, err, sizeof err) != 0) {
        *why = mc_xasprintf("%s: %s", path, err);
        return NULL;
    }
    json_t *all = json_array();
    int lineno = 0;
    for (char *line = text, *next; line < text + total; line = next) {
        char *nl = memchr(line, '\n', (size_t)(text + total - line));
        next = nl ? nl + 1 : text + total;
        size_t n = (size_t)(next - line);
        lineno++;
        if (n <= 1 || (n == 2 && line[0] == '\r'))
            continue;
        json_error_t je;
        json_t *o = json_loadb(line, (size_t)n, 0, &je);
        if (!json_is_object(o)) {
            *why = mc_xasprintf("%s:%d:%d: %s", path, lineno, je.column,
                                o ? "not a JSON object" : je.text);
            json_decref(o);
            break;
        }
        json_object_set_new(o, "_line", json_integer(lineno)); /* for evidence */
        decode_path(o);
        const char *p = json_string_value(json_object_get(o, "path"));
        if (p && strcmp(p, "/__marker") == 0)
            json_decref(o); /* the recorder's step labels */
        else
            json_array_append_new(all, o);
    }
    free(text);
    if (!*why && json_array_size(all) == 0)
        *why = mc_xasprintf("%s: no request in the trace", path);
    if (*why) {
        json_decref(all);
        return NULL;
    }
    return all;
}

/* ---------- normalisation ---------- */

/* 127.0.0.1:PORT and localhost:PORT become HOST:PORT, and https on them
 * http (a recorder serving TLS for a client that refuses http authorization
 * servers, as Auggie; the fixture serves http); path segments of exactly 12
 * URL-safe characters (per-server ids) become {id}. */
static char *normalise(const char *s)
{
    mc_buf b;
    mc_buf_init(&b, 0);
    const char *p = s ? s : "";
    while (*p) {
        if (strncmp(p, "https://127.0.0.1:", 18) == 0 ||
            strncmp(p, "https://localhost:", 18) == 0) {
            mc_buf_adds(&b, "http://");
            p += 8;
            continue;
        }
        if (strncmp(p, "127.0.0.1:", 10) == 0 || strncmp(p, "localhost:", 10) == 0) {
            mc_buf_add(&b, p, 10);
            p += 10;
            while (isdigit((unsigned char)*p))
                p++;
            mc_buf_adds(&b, "PORT");
            continue;
        }
        if (*p == '/') {
            size_t k = 1;
            while (isalnum((unsigned char)p[k]) || p[k] == '-' || p[k] == '_')
                k++;
            if (k == 13 && (p[k] == '/' || p[k] == '\0' || p[k] == '"' || p[k] == '?')) {
                mc_buf_adds(&b, "/{id}");
                p += k;
                continue;
            }
        }
        mc_buf_add(&b, p, 1);
        p++;
    }
    return mc_buf_steal(&b);
}

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static const char *header(const json_t *r, const char *name)
{
    return str(json_object_get(r, "headers"), name);
}

static int is_wellknown(const char *path)
{
    return path && strstr(path, "/.well-known/") != NULL;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = s ? strlen(s) : 0, b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int bearer(const json_t *r)
{
    const char *a = header(r, "authorization");
    return a && strncasecmp(a, "Bearer ", 7) == 0;
}

static char *mcp_line(const json_t *r)
{
    const json_t *body = json_object_get(r, "body");
    const char *rpc = str(body, "method");
    const char *pv = str(json_object_get(body, "params"), "protocolVersion");
    const char *mpv = header(r, "mcp-protocol-version");
    return mc_xasprintf("%s %s%s%s%s%s mpv=%s", str(r, "method"), str(r, "path"),
                        rpc ? " rpc=" : "", rpc ? rpc : "", pv ? " pv=" : "", pv ? pv : "",
                        mpv ? mpv : "-");
}

const char *mc_trace_client(const json_t *modes, const char *name, const char **mode)
{
    const char *client = NULL, *k;
    json_t *v;
    *mode = NULL;
    json_object_foreach(json_object_get(modes, "clients"), k, v)
    {
        size_t n = strlen(k);
        if (strncmp(name, k, n) == 0 && name[n] == '-' && (!client || n > strlen(client))) {
            client = k;
            *mode = name + n + 1;
        }
    }
    return client;
}

char *mc_names_in_order(const json_t *obj)
{
    mc_buf b;
    mc_buf_init(&b, 0);
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v) mc_buf_printf(&b, "%s%s", b.len ? "," : "", k);
    return mc_buf_steal(&b);
}

/* cimd_url: the metadata URL the client was given (mcp-remote hashes it in) */
static char *port_class(const char *redirect, const char *mcp_url, const char *cimd_url,
                        const mc_profile *p, long callback_port)
{
    long port = mc_url_port(redirect);
    if (p->redirect_url)
        return mc_xstrdup("fixed URI");
    if (callback_port || p->port_policy == MC_PORT_FIXED)
        return mc_xasprintf("port %ld", port);
    if (p->port_policy == MC_PORT_HASH)
        return port == mc_hash_port(mcp_url, cimd_url) ? mc_xstrdup("port from the server URL hash")
                                                       : mc_xasprintf("port %ld", port);
    return mc_xstrdup("any port");
}

/* registered: the client_id the trace's registration response issued (a
 * real authorization server's ids have no recognisable form) */
static const char *client_kind(const char *id, const char *registered)
{
    if (!id)
        return "none";
    if (strncmp(id, "dcr-", 4) == 0 || (registered && strcmp(id, registered) == 0))
        return "dynamic";
    if (mc_url_scheme_is(id, "https") || mc_url_scheme_is(id, "http"))
        return "url";
    return "pre-registered";
}

/* The furthest handshake phase a request belongs to. */
static int phase_of(const json_t *r)
{
    const char *path = str(r, "path");
    long status = (long)json_integer_value(json_object_get(r, "status"));
    if (!path)
        return 0;
    if (strcmp(path, "/mcp") == 0)
        return bearer(r) ? 7 : 1;
    if (strstr(path, "oauth-protected-resource"))
        return 2;
    if (is_wellknown(path))
        return 3;
    if (ends_with(path, "/register"))
        return 4;
    if (ends_with(path, "/authorize"))
        return 5;
    if (ends_with(path, "/token"))
        return status == 200 ? 6 : 5;
    return 0;
}

static const char *const phases[] = {"nothing",     "probe",        "resource-metadata",
                                     "as-metadata", "registration", "authorization",
                                     "token",       "mcp-call"};

int mc_phase_index(const char *name)
{
    for (int i = 1; i < 8; i++)
        if (name && strcmp(name, phases[i]) == 0)
            return i;
    return 0;
}

/* How a token request authenticates the client. */
static const char *client_auth(const json_t *r)
{
    const char *auth = header(r, "authorization");
    return auth && strncasecmp(auth, "Basic ", 6) == 0        ? "client_secret_basic"
           : str(json_object_get(r, "body"), "client_secret") ? "client_secret_post"
                                                              : "none";
}

/* Aspect 8: a refresh request's parameters and client authentication. */
static char *refresh_line(const json_t *r)
{
    char *names = mc_names_in_order(json_object_get(r, "body"));
    char *line = mc_xasprintf("params %s; client auth %s", names, client_auth(r));
    free(names);
    return line;
}

/* Aspect 1: a well-known path not fetched before joins the discovery order. */
static void discovery_path(json_t *seen_paths, mc_buf *disc, const char *path, long seq,
                           mc_fingerprint *fp)
{
    int seen = 0;
    size_t k;
    json_t *e;
    json_array_foreach(seen_paths, k, e) seen |= strcmp(json_string_value(e), path) == 0;
    if (!seen) {
        json_array_append_new(seen_paths, json_string(path));
        mc_buf_printf(disc, "%s%s", disc->len ? " " : "", path);
        if (!fp->seq[1])
            fp->seq[1] = seq;
    }
}

/* Aspect 2: the DCR body, its members sorted (order is not what matters
 * here), normalised. */
static char *registration_line(const json_t *body)
{
    mc_buf b;
    mc_buf_init(&b, 0);
    const char **keys = mc_xcalloc(json_object_size(body) + 1, sizeof *keys);
    size_t nk = 0;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v) keys[nk++] = k;
    for (size_t a = 0; a < nk; a++) /* sorted: order is not what matters here */
        for (size_t z = a + 1; z < nk; z++)
            if (strcmp(keys[z], keys[a]) < 0) {
                const char *t = keys[a];
                keys[a] = keys[z];
                keys[z] = t;
            }
    for (size_t a = 0; a < nk; a++) {
        char *val = json_dumps(json_object_get(body, keys[a]), JSON_COMPACT | JSON_ENCODE_ANY);
        mc_buf_printf(&b, "%s%s=%s", a ? " " : "", keys[a], val);
        free(val);
    }
    free(keys);
    char *raw = mc_buf_steal(&b);
    char *line = normalise(raw);
    free(raw);
    return line;
}

/* Aspect 3: the redirect URI (scheme, host, normalised path) and its port
 * class. */
static char *redirect_line(const json_t *q, const char *redirect, const char *mcp_url,
                           const char *registered, const mc_profile *p, long callback_port)
{
    const char *id = str(q, "client_id");
    char *pc =
        port_class(redirect, mcp_url, strcmp(client_kind(id, registered), "url") == 0 ? id : NULL,
                   p, callback_port);
    char *scheme_end = strstr(redirect, "://");
    char *h = mc_url_host(redirect);
    char *pp = mc_url_path(redirect);
    char *np = normalise(pp);
    char *line;
    if (h)
        line = mc_xasprintf("%.*s://%s%s, %s", (int)(scheme_end ? scheme_end - redirect : 0),
                            redirect, h, np, pc);
    else
        line = mc_xasprintf("%s, %s", redirect, pc);
    free(pc), free(h), free(pp), free(np);
    return line;
}

/* Aspect 4: the authorization request's parameters and client. */
static char *authorization_line(const json_t *q, const char *registered)
{
    char *names = mc_names_in_order(q);
    const char *id = str(q, "client_id");
    char *url_id = id && strcmp(client_kind(id, registered), "url") == 0 ? normalise(id) : NULL;
    char *res = normalise(str(q, "resource"));
    char *line =
        mc_xasprintf("params %s; response_type=%s code_challenge_method=%s scope=%s resource=%s "
                     "state %s; client %s%s%s",
                     names, str(q, "response_type") ? str(q, "response_type") : "-",
                     str(q, "code_challenge_method") ? str(q, "code_challenge_method") : "-",
                     str(q, "scope") ? str(q, "scope") : "-", str(q, "resource") ? res : "-",
                     str(q, "state") ? "sent" : "absent", client_kind(id, registered),
                     url_id ? " " : "", url_id ? url_id : "");
    free(names), free(url_id), free(res);
    return line;
}

/* Aspect 5: the token request's grant, parameters and client authentication. */
static char *token_line(const json_t *r)
{
    const json_t *body = json_object_get(r, "body");
    char *names = mc_names_in_order(body);
    char *line = mc_xasprintf("grant_type=%s params %s; client auth %s",
                              str(body, "grant_type") ? str(body, "grant_type") : "-", names,
                              client_auth(r));
    free(names);
    return line;
}

void mc_fingerprint_make(const json_t *reqs, const mc_profile *p, long callback_port, int cap,
                         mc_fingerprint *fp)
{
    memset(fp, 0, sizeof *fp);
    const json_t *first = json_array_get(reqs, 0);
    const char *host = first ? header(first, "host") : NULL;
    char *mcp_url = mc_xasprintf("http://%s/mcp", host ? host : "?");
    mc_buf disc;
    mc_buf_init(&disc, 0);
    json_t *seen_paths = json_array();
    int authorized = 0, furthest = 0;
    const char *registered = NULL;
    size_t i;
    json_t *r;
    json_array_foreach(reqs, i, r)
    {
        const char *path = str(r, "path");
        const char *method = str(r, "method");
        long seq = (long)json_integer_value(json_object_get(r, "seq"));
        int ph = phase_of(r);
        if (!path || !method || ph > cap)
            continue;
        const char *grant = str(json_object_get(r, "body"), "grant_type");
        if (ends_with(path, "/token") && grant && strcmp(grant, "refresh_token") == 0) {
            if (!fp->value[8]) {
                fp->value[8] = refresh_line(r);
                fp->seq[8] = seq;
            }
            continue; /* a refresh is not part of the first handshake */
        }
        if (!fp->value[0]) {
            fp->value[0] =
                strcmp(path, "/mcp") == 0 ? mcp_line(r) : mc_xasprintf("%s %s", method, path);
            fp->seq[0] = seq;
        }
        if (authorized)
            continue; /* what matters ends with the first authorized call */
        furthest = ph > furthest ? ph : furthest;
        if (is_wellknown(path) && strcmp(method, "GET") == 0 && !fp->value[4])
            discovery_path(seen_paths, &disc, path, seq, fp);
        if (ends_with(path, "/register") && strcmp(method, "POST") == 0 && !fp->value[2]) {
            fp->value[2] = registration_line(json_object_get(r, "body"));
            fp->seq[2] = seq;
        }
        if (ends_with(path, "/register") && strcmp(method, "POST") == 0 && !registered)
            registered = str(json_object_get(r, "response"), "client_id");
        if (ends_with(path, "/authorize") && !fp->value[4]) {
            const json_t *q = json_object_get(r, "query");
            const char *redirect = str(q, "redirect_uri");
            if (redirect) {
                fp->value[3] = redirect_line(q, redirect, mcp_url, registered, p, callback_port);
                fp->seq[3] = seq;
            }
            fp->value[4] = authorization_line(q, registered);
            fp->seq[4] = seq;
        }
        if (ends_with(path, "/token") && !fp->value[5]) {
            fp->value[5] = token_line(r);
            fp->seq[5] = seq;
        }
        if (strcmp(path, "/mcp") == 0 && bearer(r) && !fp->value[6]) {
            fp->value[6] = mcp_line(r);
            fp->seq[6] = seq;
        }
        long status = (long)json_integer_value(json_object_get(r, "status"));
        if (ph == 7 && status >= 200 && status < 300)
            authorized = 1;
    }
    fp->value[1] = mc_buf_steal(&disc);
    json_decref(seen_paths);
    fp->value[7] = authorized ? mc_xstrdup("through: authorized MCP call answered")
                              : mc_xasprintf("stopped after %s", phases[furthest]);
    for (int a = 0; a < MC_FP_ASPECTS; a++)
        if (!fp->value[a])
            fp->value[a] = mc_xstrdup("(none)");
    free(mcp_url);
}

void mc_fingerprint_free(mc_fingerprint *fp)
{
    for (int a = 0; a < MC_FP_ASPECTS; a++)
        free(fp->value[a]);
    memset(fp, 0, sizeof *fp);
}
