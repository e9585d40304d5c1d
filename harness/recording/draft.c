/* `mcpcompat profile draft TRACE [--from PROFILE] [-o FILE]`: a draft
 * profile read off a recording — discovery order, first MCP request and
 * protocol version, DCR body, redirect URI and port policy, authorization
 * and token parameters and their order, client authentication, iss
 * handling, refresh — each knob with its evidence (TRACE:LINE). Knobs a
 * trace cannot show keep the base profile's value: --from PROFILE, else the
 * spec's reference client. With --from only the knobs that differ are
 * printed. The trace is read by fidelity.c's reader. */
#include "../engine/run.h"

#include "../data/data.h"
#include "../data/schema.h"
#include "../wire/buf.h"
#include "draft_int.h"
#include "fidelity.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASE_ID "spec-2025-11-25"

static long line_of(const json_t *r)
{
    return r ? (long)json_integer_value(json_object_get(r, "_line")) : 0;
}

void mc_draft_knob(draft *d, const char *name, json_t *value, const json_t *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char what[512];
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char *ev = r ? mc_xasprintf("%s:%ld: %s", d->trace, line_of(r), what)
                 : mc_xasprintf("%s: %s", d->trace, what);
    json_object_set_new(d->knobs, name, value);
    json_object_set_new(d->evidence, name, json_string(ev));
    free(ev);
}

/* The first request in reqs whose path ends with suffix (and, when grant is
 * given, whose body's grant_type is grant). */
const json_t *mc_draft_find(const json_t *reqs, const char *suffix, const char *method,
                            const char *grant)
{
    size_t i;
    json_t *r;
    json_array_foreach(reqs, i, r)
    {
        if (!ends_with(str(r, "path"), suffix) || (method && !method_is(r, method)))
            continue;
        if (grant && (!str(json_object_get(r, "body"), "grant_type") ||
                      strcmp(str(json_object_get(r, "body"), "grant_type"), grant) != 0))
            continue;
        return r;
    }
    return NULL;
}

/* The knob values are ordered lists: the observed attempts, then (after a
 * success ends the search) the base's remaining entries, untestable here. */
json_t *mc_draft_order_with_rest(json_t *seen, int ended_on_success, const json_t *base_order)
{
    if (ended_on_success) {
        size_t i, k;
        json_t *b, *s;
        json_array_foreach(base_order, i, b)
        {
            int have = 0;
            json_array_foreach(seen, k, s) have |= json_equal(s, b);
            if (!have)
                json_array_append(seen, b);
        }
    }
    return seen;
}

/* ---------- the command ---------- */

/* A profile's parameter order lists names a client may leave out: it
 * agrees with the trace when, without those, it is the trace's. */
static int same(const char *name, const json_t *old, const json_t *now)
{
    if (json_equal(old, now))
        return 1;
    if (!ends_with(name, "param_order") || !json_is_array(old) || !json_is_array(now))
        return 0;
    json_t *kept = json_array();
    size_t i, k;
    json_t *o, *n;
    json_array_foreach(old, i, o)
    {
        int sent = 0;
        json_array_foreach(now, k, n) sent |= json_equal(o, n);
        if (sent)
            json_array_append(kept, o);
    }
    int eq = json_equal(kept, now);
    json_decref(kept);
    return eq;
}

static json_t *load_base(const char *from, char **base_id)
{
    const char *path = NULL;
    mc_profiles all = {0};
    mc_error err;
    char *owned = NULL;
    if (from && mc_profile_arg_is_path(from)) {
        path = from;
    } else {
        if (mc_profiles_load_set(NULL, &all, &err) != 0) {
            fprintf(stderr, "mcpcompat: %s\n", mc_error_str(&err));
            return NULL;
        }
        const mc_profile *p = mc_profiles_find(&all, from ? from : BASE_ID);
        if (!p) {
            fprintf(stderr, "mcpcompat: unknown profile \"%s\"\n", from);
            mc_profiles_free(&all);
            return NULL;
        }
        path = owned = mc_xstrdup(p->path);
        mc_profiles_free(&all);
    }
    mc_error je;
    json_t *base = mc_schema_load_json(path, &je); /* the capped reader */
    if (!base)
        fprintf(stderr, "mcpcompat: %s\n", mc_error_str(&je));
    else if (!json_is_object(base))
        fprintf(stderr, "mcpcompat: %s:1:1: not a profile\n", path);
    else
        *base_id = mc_xstrdup(str(base, "id"));
    free(owned);
    if (!json_is_object(base)) {
        json_decref(base);
        return NULL;
    }
    return base;
}

/* The trace's mode in modes.json (what the recorder was told), or NULL;
 * *bad when a modes file named by MCPCOMPAT_MODES cannot be read (an input
 * error, reported). */
static json_t *trace_mode(const char *trace, int *bad)
{
    const char *env = getenv("MCPCOMPAT_MODES");
    char *own = mc_xasprintf("%s/modes.json", mc_data_dir(MC_DATA_TRACES));
    mc_error err;
    json_t *modes = mc_schema_load_json(env && *env ? env : own, &err);
    free(own);
    *bad = !modes && env && *env;
    if (*bad) {
        fprintf(stderr, "mcpcompat: MCPCOMPAT_MODES: %s\n", mc_error_str(&err));
        return NULL;
    }
    const char *base = strrchr(trace, '/') ? strrchr(trace, '/') + 1 : trace;
    char *name = mc_xstrdup(base);
    if (ends_with(name, ".jsonl"))
        name[strlen(name) - 6] = '\0';
    const char *mode = NULL;
    json_t *m = NULL;
    if (mc_trace_client(modes, name, &mode))
        m = json_incref(json_object_get(json_object_get(modes, "modes"), mode));
    free(name);
    json_decref(modes);
    return m;
}

/* Where discovery ends: the first registration or authorization request,
 * or the first authorized MCP call. */
static size_t discovery_end(const json_t *reqs)
{
    size_t i;
    json_t *r;
    json_array_foreach(reqs, i, r)
    {
        const char *p = str(r, "path");
        if (ends_with(p, "/register") || ends_with(p, "/authorize") || (is_mcp(r) && bearer(r)))
            return i;
    }
    return json_array_size(reqs);
}

/* Every knob the trace shows, phase by phase, and the revision it speaks. */
static void draft_knobs(draft *d, const json_t *reqs, const json_t *base, const json_t *mode,
                        context *cx)
{
    cx->end = discovery_end(reqs);
    const json_t *authz = mc_draft_find(reqs, "/authorize", NULL, NULL);
    mc_draft_probe(d, reqs);
    mc_draft_discovery(d, reqs, base, cx);
    mc_draft_issuer(d, reqs, cx);
    mc_draft_registration(d, reqs, base, mode, authz, cx);
    if (authz) {
        mc_draft_redirect(d, reqs, authz, mode);
        mc_draft_authorization(d, reqs, base, authz, cx);
    }
    mc_draft_token(d, reqs, mode);
    mc_draft_mcp(d, reqs);
    const char *pv =
        json_string_value(d->knobs ? json_object_get(d->knobs, "probe.protocol_version") : NULL);
    static const char *const revs[] = {"2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"};
    for (size_t k = 0; pv && k < sizeof revs / sizeof *revs; k++)
        if (strcmp(pv, revs[k]) == 0)
            mc_draft_knob(d, "spec_revision", json_string(pv), json_array_get(reqs, 0),
                          "the protocol version the client speaks");
}

/* With --from: only what differs, with the profile's value beside the
 * trace's. */
static json_t *differences(const draft *d, const json_t *base, const char *base_id)
{
    const char *name;
    json_t *v;
#ifdef MC_SOURCE_DIR /* the loader's defaults, as the source tree writes them down */
    mc_error ignored;
    json_t *defaults = mc_schema_load_json(MC_SOURCE_DIR "/tests/profile-defaults.json", &ignored);
#else
    json_t *defaults = NULL;
#endif
    json_t *out = json_object();
    json_t *differs = json_object();
    json_object_foreach(d->knobs, name, v)
    {
        const json_t *old = strchr(name, '.') ? base_get(base, name) : json_object_get(base, name);
        if (!old && strchr(name, '.'))
            old = base_get(defaults, name); /* what the loader gives an absent knob */
        if (old && same(name, old, v))
            continue;
        json_object_set_new(differs, name,
                            json_pack("{s:O, s:O, s:O}", "profile", old ? old : json_null(),
                                      "trace", v, "evidence", json_object_get(d->evidence, name)));
    }
    json_object_set_new(out, "from", json_string(base_id));
    json_object_set_new(out, "trace", json_string(d->trace));
    json_object_set_new(out, "differs", differs);
    json_decref(defaults);
    return out;
}

/* Without --from: the base profile with the trace's knobs in place, each
 * with its evidence; the base's evidence says what the trace cannot show. */
static json_t *drafted_profile(const draft *d, const json_t *base, const char *base_id)
{
    const char *name;
    json_t *v;
    json_t *out = json_deep_copy(base);
    const char *tb = strrchr(d->trace, '/') ? strrchr(d->trace, '/') + 1 : d->trace;
    char *id = mc_xasprintf("draft-%.*s",
                            (int)(ends_with(tb, ".jsonl") ? strlen(tb) - 6 : strlen(tb)), tb);
    json_object_set_new(out, "id", json_string(id));
    json_object_set_new(out, "client", json_string(id));
    json_object_set_new(out, "client_version", json_string("draft"));
    char *desc = mc_xasprintf("A draft read off %s by mcpcompat profile draft; knobs the "
                              "trace cannot show are %s's.",
                              tb, base_id);
    json_object_set_new(out, "description", json_string(desc));
    free(desc);
    free(id);
    json_t *ev = json_object();
    json_object_foreach(json_object_get(base, "evidence"), name, v)
    {
        char *e =
            mc_xasprintf("as in %s (not shown by the trace): %s", base_id, json_string_value(v));
        json_object_set_new(ev, name, json_string(e));
        free(e);
    }
    json_object_foreach(d->knobs, name, v)
    {
        const char *dot = strchr(name, '.');
        if (!dot) {
            json_object_set(out, name, v);
        } else {
            char section[64];
            snprintf(section, sizeof section, "%.*s", (int)(dot - name), name);
            json_t *s = json_object_get(out, section);
            if (!s)
                json_object_set_new(out, section, s = json_object());
            json_object_set(s, dot + 1, v);
        }
        json_object_set(ev, name, json_object_get(d->evidence, name));
    }
    json_object_set_new(out, "evidence", ev);
    return out;
}

/* out as indented JSON to path, or to stdout without one. */
static int write_json(const json_t *out, const char *path)
{
    int rc = MC_EXIT_OK;
    FILE *f = path ? fopen(path, "w") : stdout;
    if (!f) {
        fprintf(stderr, "mcpcompat: cannot write %s\n", path);
        rc = MC_EXIT_USAGE;
    } else {
        json_dumpf(out, f, JSON_INDENT(2));
        fputc('\n', f);
        if (f != stdout && fclose(f) != 0) {
            fprintf(stderr, "mcpcompat: cannot write %s\n", path);
            rc = MC_EXIT_CANNOT;
        }
    }
    return rc;
}

int mc_cmd_profile_draft(const mc_config *cfg)
{
    if (!cfg->url)
        return mc_usage_error("profile draft needs a trace file");
    char *why = NULL, *base_id = NULL;
    json_t *reqs = mc_trace_load(cfg->url, &why);
    if (!reqs) {
        fprintf(stderr, "mcpcompat: %s\n", why);
        free(why);
        return MC_EXIT_USAGE;
    }
    if (!json_array_size(reqs)) {
        json_decref(reqs);
        fprintf(stderr, "mcpcompat: %s: no requests in the trace\n", cfg->url);
        return MC_EXIT_USAGE;
    }
    json_t *base = load_base(cfg->from, &base_id);
    if (!base) {
        json_decref(reqs);
        return MC_EXIT_USAGE;
    }
    int bad = 0;
    json_t *mode = trace_mode(cfg->url, &bad);
    if (bad) {
        json_decref(base);
        json_decref(reqs);
        free(base_id);
        return MC_EXIT_USAGE;
    }
    draft d = {cfg->url, json_object(), json_object()};
    context cx = {0};
    draft_knobs(&d, reqs, base, mode, &cx);
    json_t *out = cfg->from ? differences(&d, base, base_id) : drafted_profile(&d, base, base_id);
    int rc = write_json(out, cfg->output);
    json_decref(out);
    json_decref(d.knobs);
    json_decref(d.evidence);
    json_decref(mode);
    json_decref(base);
    json_decref(reqs);
    free(base_id);
    free(cx.hint_path);
    free(cx.issuer_path);
    free(cx.www_scope);
    return rc;
}
