#include "embedded.h"

#include <string.h>
#include <unistd.h>

static const char *strip(const char *path)
{
    size_t n = strlen(MC_EMBEDDED_PREFIX);
    return strncmp(path, MC_EMBEDDED_PREFIX, n) == 0 ? path + n : NULL;
}

const mc_embedded_file *mc_embedded_find(const char *path)
{
    const char *p = strip(path);
    if (!p)
        return NULL;
    for (size_t i = 0; i < mc_embedded_count; i++)
        if (strcmp(mc_embedded_files[i].path, p) == 0)
            return &mc_embedded_files[i];
    return NULL;
}

static int in_dir(const char *path, const char *dir, size_t n)
{
    return strncmp(path, dir, n) == 0 && path[n] == '/' && !strchr(path + n + 1, '/');
}

int mc_embedded_in(const mc_embedded_file *f, const char *dir)
{
    const char *d = strip(dir);
    return d && in_dir(f->path, d, strlen(d));
}

int mc_embedded_has_dir(const char *dir)
{
    const char *d = strip(dir);
    return d && mc_embedded_count_in(d) > 0;
}

size_t mc_embedded_count_in(const char *kind)
{
    size_t n = strlen(kind), count = 0;
    for (size_t i = 0; i < mc_embedded_count; i++)
        count += in_dir(mc_embedded_files[i].path, kind, n) ? 1 : 0;
    return count;
}

FILE *mc_data_fopen(const char *path)
{
    const mc_embedded_file *e = mc_embedded_find(path);
    if (!e)
        return fopen(path, "rb");
    /* fmemopen does not take a zero size */
    return e->len ? fmemopen((void *)e->data, e->len, "rb") : fopen("/dev/null", "rb");
}

int mc_data_exists(const char *path)
{
    return mc_embedded_find(path) != NULL || access(path, R_OK) == 0;
}

json_t *mc_data_json_load(const char *path, size_t flags, json_error_t *je)
{
    if (!mc_embedded_find(path))
        return json_load_file(path, flags, je);
    FILE *f = mc_data_fopen(path);
    json_t *j = f ? json_loadf(f, flags, je) : NULL;
    if (f)
        fclose(f);
    return j;
}
