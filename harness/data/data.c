#include "data.h"

#include "../wire/buf.h"
#include "embedded.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __APPLE__
#include <mach-o/dyld.h>
#endif

static const struct {
    const char *env;
    const char *installed; /* under share/mcpcompat */
    const char *tree;      /* under the source tree */
} kinds[] = {
    [MC_DATA_PROFILES] = {"MCPCOMPAT_PROFILES", "profiles", "profiles"},
    [MC_DATA_SCENARIOS] = {"MCPCOMPAT_SCENARIOS", "scenarios", "scenarios"},
    [MC_DATA_TRACES] = {"MCPCOMPAT_TRACES", "traces", "fixtures/traces"},
    [MC_DATA_PERSONAS] = {"MCPCOMPAT_PERSONAS", "personas", "fixtures/personas"},
};
#define NKINDS (sizeof kinds / sizeof *kinds)

static const char *profiles_dir_flag;
static char *resolved[NKINDS];
static pthread_once_t once = PTHREAD_ONCE_INIT;

void mc_data_set_profiles_dir(const char *dir)
{
    profiles_dir_flag = dir;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *mc_data_share_dir(void)
{
    char exe[PATH_MAX];
#ifdef __APPLE__
    uint32_t size = sizeof exe;
    if (_NSGetExecutablePath(exe, &size) != 0)
        return NULL;
#else
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
#endif
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    char *share = mc_xasprintf("%s/../share/mcpcompat", exe);
    char real[PATH_MAX];
    if (!realpath(share, real) || !is_dir(real)) {
        free(share);
        return NULL;
    }
    free(share);
    return mc_xstrdup(real);
}

static void resolve(void)
{
    char *share = mc_data_share_dir();
    for (size_t k = 0; k < NKINDS; k++) {
        const char *env = getenv(kinds[k].env);
        if (k == MC_DATA_PROFILES && profiles_dir_flag)
            env = profiles_dir_flag;
        if (env && *env) {
            resolved[k] = mc_xstrdup(env);
            continue;
        }
        char *mine = share ? mc_xasprintf("%s/%s", share, kinds[k].installed) : NULL;
        if (mine && is_dir(mine)) {
            resolved[k] = mine;
            continue;
        }
#ifdef MC_SOURCE_DIR
        char *tree = mc_xasprintf("%s/%s", MC_SOURCE_DIR, kinds[k].tree);
        if (is_dir(tree)) {
            free(mine);
            resolved[k] = tree;
            continue;
        }
        free(tree);
#endif
        char *built_in = mc_xasprintf(MC_EMBEDDED_PREFIX "%s", kinds[k].installed);
        if (mc_embedded_has_dir(built_in)) {
            free(mine);
            resolved[k] = built_in;
            continue;
        }
        free(built_in);
        resolved[k] = mine ? mine : mc_xasprintf("../share/mcpcompat/%s", kinds[k].installed);
    }
    free(share);
}

static void release(void)
{
    for (size_t k = 0; k < NKINDS; k++)
        free(resolved[k]);
}

static void resolve_once(void)
{
    resolve();
    atexit(release);
}

const char *mc_data_dir(mc_data_kind kind)
{
    pthread_once(&once, resolve_once);
    return resolved[kind];
}

int mc_profile_arg_is_path(const char *arg)
{
    size_t n = strlen(arg);
    return strchr(arg, '/') != NULL || (n > 5 && strcmp(arg + n - 5, ".json") == 0);
}

int mc_profiles_load_set(const char *ids, mc_profiles *out, mc_error *err)
{
    if (mc_profiles_load_dir(mc_data_dir(MC_DATA_PROFILES), out, err) != 0)
        return -1;
    if (!ids)
        return 0;
    char *list = mc_xstrdup(ids), *save = NULL;
    int rc = 0;
    for (char *id = strtok_r(list, ",", &save); id && rc == 0; id = strtok_r(NULL, ",", &save)) {
        if (!mc_profile_arg_is_path(id))
            continue;
        mc_profile *p;
        rc = mc_profile_load(id, &p, err);
        if (rc == 0) {
            out->items = mc_xrealloc(out->items, (out->n + 1) * sizeof *out->items);
            out->items[out->n++] = p;
        }
    }
    free(list);
    if (rc != 0)
        mc_profiles_free(out);
    return rc;
}
