/* The set of profiles: every profile of a folder, sorted by id; lookup by
 * id, client name or version; the named sets (current, reference, all).
 * One profile's loading is profile.c's. */
#include "profile.h"

#include "../wire/buf.h"
#include "../wire/suggest.h"
#include "schema.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int by_id(const void *a, const void *b)
{
    return strcmp((*(mc_profile *const *)a)->id, (*(mc_profile *const *)b)->id);
}

int mc_profiles_load_dir(const char *dir, mc_profiles *out, mc_error *err)
{
    memset(out, 0, sizeof *out);
    char **paths;
    size_t n;
    if (mc_schema_dir(dir, "profiles", &paths, &n, err) != 0)
        return -1;
    int rc = 0;
    out->items = mc_xcalloc(n ? n : 1, sizeof *out->items);
    for (size_t i = 0; i < n && rc == 0; i++)
        if ((rc = mc_profile_load(paths[i], &out->items[out->n], err)) == 0)
            out->n++;
    mc_schema_paths_free(paths, n);
    if (rc != 0) {
        mc_profiles_free(out);
        return -1;
    }
    qsort(out->items, out->n, sizeof *out->items, by_id);
    return 0;
}

/* "1.2.10" > "1.2.9": compares runs of digits as numbers. */
static int version_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            long x = strtol(a, (char **)&a, 10), y = strtol(b, (char **)&b, 10);
            if (x != y)
                return x < y ? -1 : 1;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        a++, b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

mc_profile *mc_profiles_find(const mc_profiles *ps, const char *id)
{
    /* a user's own profile, by the path it was loaded from */
    for (size_t i = 0; i < ps->n; i++)
        if (strcmp(ps->items[i]->path, id) == 0)
            return ps->items[i];
    for (size_t i = 0; i < ps->n; i++)
        if (strcmp(ps->items[i]->id, id) == 0)
            return ps->items[i];
    /* "<client>" alone: the newest profile whose id is <client>-<version> */
    mc_profile *best = NULL;
    size_t n = strlen(id);
    for (size_t i = 0; i < ps->n; i++) {
        mc_profile *p = ps->items[i];
        if (strncmp(p->id, id, n) != 0 || p->id[n] != '-')
            continue;
        int newer = !best || strcmp(p->released, best->released) > 0 ||
                    (strcmp(p->released, best->released) == 0 &&
                     version_cmp(p->client_version, best->client_version) > 0);
        if (newer)
            best = p;
    }
    return best;
}

const char *const mc_profile_sets[] = {"current", "reference", "all", NULL};

static int is_reference(const mc_profile *p)
{
    return strncmp(p->id, "spec-", 5) == 0;
}

/* Newer: a later behaviour era, or the same era and a higher version. */
static int newer(const mc_profile *a, const mc_profile *b)
{
    int c = strcmp(a->released, b->released);
    return c > 0 || (c == 0 && version_cmp(a->client_version, b->client_version) > 0);
}

int mc_profile_in_set(const mc_profiles *all, const mc_profile *p, const char *name)
{
    if (strcmp(name, "all") == 0)
        return 1;
    if (strcmp(name, "reference") == 0)
        return is_reference(p);
    if (strcmp(name, "current") != 0)
        return -1;
    if (is_reference(p))
        return 0;
    /* a client that only uses a client an administrator provisions (Gemini
     * Enterprise) cannot run without one: asked for by name, with --client-id */
    if (p->nreg == 1 && p->reg_order[0] == MC_REG_STATIC)
        return 0;
    /* the newest of the profiles of the same client */
    for (size_t i = 0; i < all->n; i++) {
        const mc_profile *q = all->items[i];
        if (q != p && strcmp(q->client, p->client) == 0 && newer(q, p))
            return 0;
    }
    return 1;
}

void mc_profiles_free(mc_profiles *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        mc_profile_free(ps->items[i]);
    free(ps->items);
    memset(ps, 0, sizeof *ps);
}

/* An id without its version: "claude-code-2.1.332" is "claude-code",
 * "spec-2025-11-25" is "spec"; owned. */
static char *id_stem(const char *id)
{
    const char *cut = NULL;
    for (const char *p = id; *p; p++)
        if (*p == '-' && isdigit((unsigned char)p[1])) {
            cut = p;
            break;
        }
    return cut && cut > id ? mc_xstrndup(id, (size_t)(cut - id)) : mc_xstrdup(id);
}

/* p is the first candidate, or newer than best. */
static int newer_than(const mc_profile *p, const mc_profile *best)
{
    return !best || newer(p, best);
}

mc_profile *mc_profiles_resolve(const mc_profiles *ps, const char *sel, char **why)
{
    *why = NULL;
    for (size_t i = 0; i < ps->n; i++)
        if (strcmp(ps->items[i]->path, sel) == 0 || strcmp(ps->items[i]->id, sel) == 0)
            return ps->items[i];
    /* the name a report shows, with or without its version */
    mc_profile *best = NULL;
    for (size_t i = 0; i < ps->n; i++) {
        mc_profile *p = ps->items[i];
        char *full = mc_xasprintf("%s %s", p->client, p->client_version);
        int exact = strcasecmp(full, sel) == 0;
        free(full);
        if (exact)
            return p;
        if (strcasecmp(p->client, sel) == 0 && newer_than(p, best))
            best = p;
    }
    if (best)
        return best;
    /* an id without its version ("vscode"): that family's newest */
    for (size_t i = 0; i < ps->n; i++) {
        char *stem = id_stem(ps->items[i]->id);
        if (strcmp(stem, sel) == 0 && newer_than(ps->items[i], best))
            best = ps->items[i];
        free(stem);
    }
    if (best)
        return best;
    /* a prefix of ids at a '-': one client's newest, or the clients it names */
    size_t n = strlen(sel);
    const char *client = NULL;
    int several = 0;
    for (size_t i = 0; i < ps->n; i++) {
        mc_profile *p = ps->items[i];
        if (strncmp(p->id, sel, n) != 0 || p->id[n] != '-')
            continue;
        several |= client && strcmp(client, p->client) != 0;
        client = p->client;
        if (newer_than(p, best))
            best = p;
    }
    if (best && !several)
        return best;
    mc_buf b;
    mc_buf_init(&b, 256);
    if (several) {
        mc_buf_printf(&b, "profile \"%s\" names several clients:", sel);
        for (size_t i = 0, k = 0; i < ps->n; i++) {
            mc_profile *p = ps->items[i];
            if (strncmp(p->id, sel, n) != 0 || p->id[n] != '-')
                continue;
            char *stem = id_stem(p->id);
            int listed = 0;
            for (size_t j = 0; j < i && !listed; j++) {
                char *other = id_stem(ps->items[j]->id);
                listed = strncmp(ps->items[j]->id, sel, n) == 0 && ps->items[j]->id[n] == '-' &&
                         strcmp(other, stem) == 0 && strcmp(ps->items[j]->client, p->client) == 0;
                free(other);
            }
            /* the stem when it names one client, else the id */
            if (!listed)
                mc_buf_printf(&b, "%s %s (%s)", k++ ? "," : "",
                              strcmp(stem, sel) != 0 ? stem : p->id, p->client);
            free(stem);
        }
        *why = mc_buf_steal(&b);
        return NULL;
    }
    /* a misspelling: the nearest stems, ids and names */
    const char **words = mc_xcalloc(3 * ps->n + 1, sizeof *words);
    char **stems = mc_xcalloc(ps->n + 1, sizeof *stems);
    size_t k = 0;
    for (size_t i = 0; i < ps->n; i++) {
        stems[i] = id_stem(ps->items[i]->id);
        words[k++] = stems[i];
    }
    for (size_t i = 0; i < ps->n; i++)
        words[k++] = ps->items[i]->id;
    for (size_t i = 0; i < ps->n; i++)
        words[k++] = ps->items[i]->client;
    char *near = NULL;
    mc_suggest(sel, words, k, 4, &near);
    mc_buf_printf(&b, "unknown profile \"%s\"%s%s%s (see `mcpcompat profiles`)", sel,
                  near ? ": did you mean " : "", near ? near : "", near ? "?" : "");
    free(near);
    for (size_t i = 0; i < ps->n; i++)
        free(stems[i]);
    free(stems);
    free(words);
    *why = mc_buf_steal(&b);
    return NULL;
}
