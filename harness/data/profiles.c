/* The set of profiles: every profile of a folder, sorted by id; lookup by
 * id, client name or version; the named sets (current, reference, all).
 * One profile's loading is profile.c's. */
#include "profile.h"

#include "../wire/buf.h"
#include "schema.h"

#include <stdlib.h>
#include <string.h>

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
