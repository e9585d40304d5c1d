/* The data built into the binary (profiles, scenarios, personas, the traces'
 * modes.json and, with MCPCOMPAT_EMBED_TRACES, the traces): read when no
 * folder on disk serves a kind (data.c). Embedded paths read
 * "embedded:<kind>/<file>", so errors name them as they name files. */
#ifndef MC_EMBEDDED_H
#define MC_EMBEDDED_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#define MC_EMBEDDED_PREFIX "embedded:"

typedef struct {
    const char *path; /* "profiles/vscode-1.101.json" */
    const unsigned char *data;
    size_t len;
} mc_embedded_file;

/* Written by the build (harness/data/embed_gen.c): every embedded file, by path. */
extern const mc_embedded_file mc_embedded_files[];
extern const size_t mc_embedded_count;
/* A digest of every embedded path and byte (FNV-1a 64, hex): which data. */
extern const char mc_embedded_digest[];

/* The embedded file at an "embedded:..." path, or NULL; borrowed. */
const mc_embedded_file *mc_embedded_find(const char *path);
/* Whether f lies directly in the "embedded:<kind>" folder dir. */
int mc_embedded_in(const mc_embedded_file *f, const char *dir);
/* Whether any embedded file lies in the "embedded:<kind>" folder. */
int mc_embedded_has_dir(const char *dir);
/* The count of embedded files under "<kind>/". */
size_t mc_embedded_count_in(const char *kind);
/* A data file's bytes, NUL-terminated, at most cap: an embedded one from
 * memory, else a regular file from disk through the capped reader
 * (mc_read_regular's contract: 0, or -1 with why). */
int mc_data_read(const char *path, size_t cap, char **out, size_t *len, char *why, size_t n);
/* Whether a data file exists (embedded or readable on disk). */
int mc_data_exists(const char *path);

#endif
