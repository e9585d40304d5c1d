/* Strict loading of data files (profiles, scenarios): a JSON document is
 * checked against a table of allowed keys and types; the first unknown key,
 * wrong type or bad value is reported as file:line:column: message. */
#ifndef MC_SCHEMA_H
#define MC_SCHEMA_H

#include <jansson.h>

typedef struct {
    char file[512];
    int line;
    int column;
    char text[512];
} mc_error;

/* Fills err; always returns -1 so callers can `return mc_error_set(...)`. */
int mc_error_set(mc_error *err, const char *file, int line, int column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* "file:line:column: text" (or "file: text" when line is 0); static. */
const char *mc_error_str(const mc_error *err);

typedef enum {
    MC_T_STRING,
    MC_T_STRING_OR_NULL,
    MC_T_BOOL,
    MC_T_BOOL_OR_STRING, /* true, false, or a string in enums */
    MC_T_INT,
    MC_T_OBJECT,       /* checked against sub */
    MC_T_STRINGS,      /* array of strings, each in enums when given */
    MC_T_INTS,         /* array of integers */
    MC_T_MAP_STRING,   /* object of string values, any keys */
    MC_T_MAP_OBJECT,   /* object of objects checked against sub, any keys */
    MC_T_ARRAY_OBJECT, /* array of objects checked against sub */
    MC_T_ANY_OBJECT,   /* any JSON object (e.g. a DCR body template) */
} mc_type;

typedef struct mc_field {
    const char *name;
    mc_type type;
    int required;
    const struct mc_field *sub; /* for objects; NULL-name terminated */
    const char *const *enums;   /* allowed string values, NULL-terminated */
} mc_field;

/* The JSON Schema (draft 2020-12) the table fields describes, for editors and
 * the tests (schemas/NAME.schema.json): id and title name the top level (NULL
 * for a nested object). Owned. */
json_t *mc_schema_json(const mc_field *fields, const char *id, const char *title);

/* Reads and parses path, then checks it against fields. On success returns
 * 0 and the owned root in *out. */
int mc_schema_load(const char *path, const mc_field *fields, json_t **out, mc_error *err);

/* The whole of a data file (at most 1 MiB), NUL-terminated; owned, or NULL
 * with err filled. */
char *mc_schema_read_file(const char *path, mc_error *err);

/* Any JSON file a user names (modes.json, --from, a profile shown): read
 * as mc_schema_read_file does, parsed; the owned root, or NULL with err
 * filled (file:line:column). */
json_t *mc_schema_load_json(const char *path, mc_error *err);

/* The paths of the *.json files in dir, sorted; owned, freed with
 * mc_schema_paths_free. what names the folder in the error ("profiles"). */
int mc_schema_dir(const char *dir, const char *what, char ***paths, size_t *n, mc_error *err);
void mc_schema_paths_free(char **paths, size_t n);

#endif
