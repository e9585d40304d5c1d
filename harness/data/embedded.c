#include "embedded.h"

#include "../wire/buf.h"

#include <stdio.h>
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

int mc_data_exists(const char *path)
{
    return mc_embedded_find(path) != NULL || access(path, R_OK) == 0;
}

int mc_data_read(const char *path, size_t cap, char **out, size_t *len, char *why, size_t n)
{
    const mc_embedded_file *e = mc_embedded_find(path);
    if (!e) /* on disk: a regular file, capped (mc_read_regular) */
        return mc_read_regular(path, cap, out, len, why, n);
    *out = NULL;
    *len = 0;
    if (e->len > cap) {
        snprintf(why, n, "larger than %zu bytes", cap);
        return -1;
    }
    *out = mc_xmalloc(e->len + 1);
    memcpy(*out, e->data, e->len);
    (*out)[e->len] = '\0';
    *len = e->len;
    return 0;
}
