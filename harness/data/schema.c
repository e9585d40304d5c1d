#include "schema.h"

#include "../wire/buf.h"
#include "embedded.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE (1024 * 1024)

int mc_error_set(mc_error *err, const char *file, int line, int column, const char *fmt, ...)
{
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->text, sizeof err->text, fmt, ap);
    va_end(ap);
    return -1;
}

const char *mc_error_str(const mc_error *err)
{
    static char s[1200];
    if (err->line > 0)
        snprintf(s, sizeof s, "%s:%d:%d: %s", err->file, err->line, err->column, err->text);
    else
        snprintf(s, sizeof s, "%s: %s", err->file, err->text);
    return s;
}

typedef struct {
    const char *text;
    const char *file;
    size_t from; /* search position: keys are looked up in document order */
} source;

/* Jansson keeps no positions for values, so the position of a key is found
 * in the text: the first `"key"` followed by ':' at or after the position of
 * its parent object. */
static void locate(const source *src, const char *key, size_t from, int *line, int *col, size_t *at)
{
    *line = 1;
    *col = 1;
    size_t klen = strlen(key);
    const char *p = src->text + from;
    const char *hit = NULL;
    while ((p = strchr(p, '"'))) {
        if (strncmp(p + 1, key, klen) == 0 && p[klen + 1] == '"') {
            const char *q = p + klen + 2;
            while (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')
                q++;
            if (*q == ':') {
                hit = p;
                break;
            }
        }
        p++;
    }
    if (!hit)
        hit = src->text + from;
    for (const char *c = src->text; c < hit; c++) {
        if (*c == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
    if (at)
        *at = (size_t)(hit - src->text);
}

static int fail_at(const source *src, const char *key, size_t from, mc_error *err, const char *fmt,
                   const char *a, const char *b)
{
    int line, col;
    locate(src, key, from, &line, &col, NULL);
    char msg[400];
    snprintf(msg, sizeof msg, fmt, a, b ? b : "");
    return mc_error_set(err, src->file, line, col, "%s", msg);
}

static const char *type_name(mc_type t)
{
    switch (t) {
    case MC_T_STRING:
        return "a string";
    case MC_T_STRING_OR_NULL:
        return "a string or null";
    case MC_T_BOOL:
        return "true or false";
    case MC_T_BOOL_OR_STRING:
        return "true, false or a string";
    case MC_T_INT:
        return "an integer";
    case MC_T_STRINGS:
        return "an array of strings";
    case MC_T_ARRAY_OBJECT:
        return "an array of objects";
    case MC_T_INTS:
        return "an array of integers";
    default:
        return "an object";
    }
}

static int in_enum(const char *const *enums, const char *s)
{
    for (; *enums; enums++)
        if (strcmp(*enums, s) == 0)
            return 1;
    return 0;
}

static char *enum_list(const char *const *enums)
{
    mc_buf b;
    mc_buf_init(&b, 300);
    for (size_t i = 0; enums[i]; i++)
        mc_buf_printf(&b, "%s%s", i ? ", " : "", enums[i]);
    return mc_buf_steal(&b);
}

static int check_object(const source *src, const json_t *obj, const mc_field *fields, size_t from,
                        mc_error *err);

/* Whether v has the JSON type f's type asks for. */
static int has_type(const json_t *v, const mc_field *f)
{
    switch (f->type) {
    case MC_T_STRING:
        return json_is_string(v);
    case MC_T_STRING_OR_NULL:
        return json_is_string(v) || json_is_null(v);
    case MC_T_BOOL:
        return json_is_boolean(v);
    case MC_T_BOOL_OR_STRING:
        return json_is_boolean(v) || json_is_string(v);
    case MC_T_INT:
        return json_is_integer(v);
    case MC_T_STRINGS:
    case MC_T_ARRAY_OBJECT:
    case MC_T_INTS:
        return json_is_array(v);
    default:
        return json_is_object(v);
    }
}

/* "f: unknown value" at line:col, with the values f allows. */
static int unknown_value(const source *src, const mc_field *f, int line, int col, const char *value,
                         mc_error *err)
{
    char *l = enum_list(f->enums);
    int rc = mc_error_set(err, src->file, line, col, "\"%s\": unknown value \"%s\" (one of: %s)",
                          f->name, value, l);
    free(l);
    return rc;
}

/* The elements of array v (field f, found at `at`, line:col). */
static int check_elements(const source *src, const json_t *v, const mc_field *f, size_t from,
                          size_t at, int line, int col, mc_error *err)
{
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (f->type == MC_T_INTS) {
            if (!json_is_integer(e))
                return fail_at(src, f->name, from, err, "\"%s\" must be an array of integers",
                               f->name, NULL);
            continue;
        }
        if (f->type == MC_T_ARRAY_OBJECT) {
            if (!json_is_object(e))
                return fail_at(src, f->name, from, err, "\"%s\" must be an array of objects",
                               f->name, NULL);
            if (check_object(src, e, f->sub, at, err) != 0)
                return -1;
            continue;
        }
        if (!json_is_string(e))
            return fail_at(src, f->name, from, err, "\"%s\" must be an array of strings", f->name,
                           NULL);
        if (f->enums && !in_enum(f->enums, json_string_value(e)))
            return unknown_value(src, f, line, col, json_string_value(e), err);
    }
    return 0;
}

/* The members of map v (field f, found at `at`). */
static int check_members(const source *src, const json_t *v, const mc_field *f, size_t at,
                         mc_error *err)
{
    const char *k;
    json_t *e;
    json_object_foreach((json_t *)v, k, e)
    {
        if (f->type == MC_T_MAP_STRING && !json_is_string(e))
            return fail_at(src, k, at, err, "\"%s\" must be a string", k, NULL);
        if (f->type == MC_T_MAP_OBJECT) {
            if (!json_is_object(e))
                return fail_at(src, k, at, err, "\"%s\" must be an object", k, NULL);
            int line, col;
            size_t kat;
            locate(src, k, at, &line, &col, &kat);
            if (check_object(src, e, f->sub, kat, err) != 0)
                return -1;
        }
    }
    return 0;
}

static int check_value(const source *src, const json_t *v, const mc_field *f, size_t from,
                       mc_error *err)
{
    if (!has_type(v, f))
        return fail_at(src, f->name, from, err, "\"%s\" must be %s", f->name, type_name(f->type));
    size_t at;
    int line, col;
    locate(src, f->name, from, &line, &col, &at);
    if (f->enums && json_is_string(v) && !in_enum(f->enums, json_string_value(v)))
        return unknown_value(src, f, line, col, json_string_value(v), err);
    if (f->type == MC_T_STRINGS || f->type == MC_T_ARRAY_OBJECT || f->type == MC_T_INTS)
        return check_elements(src, v, f, from, at, line, col, err);
    if (f->type == MC_T_OBJECT)
        return check_object(src, v, f->sub, at, err);
    if (f->type == MC_T_MAP_STRING || f->type == MC_T_MAP_OBJECT)
        return check_members(src, v, f, at, err);
    return 0;
}

static int check_object(const source *src, const json_t *obj, const mc_field *fields, size_t from,
                        mc_error *err)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v)
    {
        /* the file's JSON Schema, for editors (schemas/); the loader's own
         * table is the rule */
        if (from == 0 && strcmp(k, "$schema") == 0) {
            if (!json_is_string(v))
                return fail_at(src, k, from, err, "\"%s\" must be a string", k, NULL);
            continue;
        }
        const mc_field *f = fields;
        while (f->name && strcmp(f->name, k) != 0)
            f++;
        if (!f->name)
            return fail_at(src, k, from, err, "unknown key \"%s\"", k, NULL);
        if (check_value(src, v, f, from, err) != 0)
            return -1;
    }
    for (const mc_field *f = fields; f->name; f++) {
        if (f->required && !json_object_get(obj, f->name)) {
            int line, col;
            locate(src, "", from, &line, &col, NULL);
            /* point at the object that lacks the key */
            line = 1, col = 1;
            for (const char *c = src->text; c < src->text + from; c++) {
                if (*c == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            return mc_error_set(err, src->file, line, col, "missing required key \"%s\"", f->name);
        }
    }
    return 0;
}

char *mc_schema_read_file(const char *path, mc_error *err)
{
    /* a regular file of at most 1 MiB: a pipe, a device, a directory are
     * refused before any read (mc_read_regular); an embedded file is
     * read from memory (mc_data_read) */
    char *text, why[256];
    size_t len;
    if (mc_data_read(path, MAX_FILE, &text, &len, why, sizeof why) != 0) {
        mc_error_set(err, path, 0, 0, "%s", why);
        return NULL;
    }
    if (memchr(text, '\0', len)) { /* JSON text has no NUL */
        free(text);
        mc_error_set(err, path, 0, 0, "a NUL byte: not a JSON text");
        return NULL;
    }
    return text;
}

json_t *mc_schema_load_json(const char *path, mc_error *err)
{
    char *text = mc_schema_read_file(path, err);
    if (!text)
        return NULL;
    json_error_t je;
    json_t *root = json_loads(text, 0, &je);
    free(text);
    if (!root)
        mc_error_set(err, path, je.line > 0 ? je.line : 1, je.column > 0 ? je.column : 1, "%s",
                     je.text);
    return root;
}

int mc_schema_load(const char *path, const mc_field *fields, json_t **out, mc_error *err)
{
    *out = NULL;
    char *text = mc_schema_read_file(path, err);
    if (!text)
        return -1;
    json_error_t je;
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        mc_error_set(err, path, je.line > 0 ? je.line : 1, je.column > 0 ? je.column : 1, "%s",
                     je.text);
        free(text);
        return -1;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        free(text);
        return mc_error_set(err, path, 1, 1, "the top level must be an object");
    }
    source src = {text, path, 0};
    int rc = check_object(&src, root, fields, 0, err);
    free(text);
    if (rc != 0) {
        json_decref(root);
        return -1;
    }
    *out = root;
    return 0;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int mc_schema_dir(const char *dir, const char *what, char ***paths, size_t *n, mc_error *err)
{
    *paths = NULL;
    *n = 0;
    if (mc_embedded_has_dir(dir)) {
        for (size_t i = 0; i < mc_embedded_count; i++) {
            const mc_embedded_file *f = &mc_embedded_files[i];
            size_t len = strlen(f->path);
            if (!mc_embedded_in(f, dir) || len < 6 || strcmp(f->path + len - 5, ".json") != 0)
                continue;
            *paths = mc_xrealloc(*paths, (*n + 1) * sizeof **paths);
            (*paths)[(*n)++] = mc_xasprintf(MC_EMBEDDED_PREFIX "%s", f->path);
        }
        if (*n)
            qsort(*paths, *n, sizeof **paths, by_path);
        return 0;
    }
    DIR *d = opendir(dir);
    if (!d) {
        /* a binary copied alone has no data beside it: say how to give it */
        const char *how = !strcmp(what, "profiles")   ? "--profiles-dir DIR or MCPCOMPAT_PROFILES"
                          : !strcmp(what, "personas") ? "MCPCOMPAT_PERSONAS"
                                                      : NULL;
        if (how)
            return mc_error_set(err, dir, 0, 0,
                                "cannot open the %s folder: name one with %s, or install "
                                "mcpcompat's data (share/mcpcompat beside the binary)",
                                what, how);
        return mc_error_set(err, dir, 0, 0, "cannot open the %s folder", what);
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        *paths = mc_xrealloc(*paths, (*n + 1) * sizeof **paths);
        (*paths)[(*n)++] = mc_xasprintf("%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (*n)
        qsort(*paths, *n, sizeof **paths, by_path);
    return 0;
}

void mc_schema_paths_free(char **paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

static json_t *enum_array(const char *const *enums, int with_null)
{
    json_t *a = json_array();
    for (size_t i = 0; enums[i]; i++)
        json_array_append_new(a, json_string(enums[i]));
    if (with_null)
        json_array_append_new(a, json_null());
    return a;
}

static json_t *schema_of(const mc_field *f)
{
    json_t *s;
    switch (f->type) {
    case MC_T_STRING:
        s = json_pack("{s:s}", "type", "string");
        if (f->enums)
            json_object_set_new(s, "enum", enum_array(f->enums, 0));
        return s;
    case MC_T_STRING_OR_NULL:
        s = json_pack("{s:[s,s]}", "type", "string", "null");
        if (f->enums)
            json_object_set_new(s, "enum", enum_array(f->enums, 1));
        return s;
    case MC_T_BOOL:
        return json_pack("{s:s}", "type", "boolean");
    case MC_T_BOOL_OR_STRING:
        if (f->enums)
            return json_pack("{s:[{s:s},{s:s,s:o}]}", "anyOf", "type", "boolean", "type", "string",
                             "enum", enum_array(f->enums, 0));
        return json_pack("{s:[s,s]}", "type", "boolean", "string");
    case MC_T_INT:
        return json_pack("{s:s}", "type", "integer");
    case MC_T_OBJECT:
        return mc_schema_json(f->sub, NULL, NULL);
    case MC_T_STRINGS:
        s = json_pack("{s:s}", "type", "string");
        if (f->enums)
            json_object_set_new(s, "enum", enum_array(f->enums, 0));
        return json_pack("{s:s,s:o}", "type", "array", "items", s);
    case MC_T_INTS:
        return json_pack("{s:s,s:{s:s}}", "type", "array", "items", "type", "integer");
    case MC_T_MAP_STRING:
        return json_pack("{s:s,s:{s:s}}", "type", "object", "additionalProperties", "type",
                         "string");
    case MC_T_MAP_OBJECT:
        return json_pack("{s:s,s:o}", "type", "object", "additionalProperties",
                         mc_schema_json(f->sub, NULL, NULL));
    case MC_T_ARRAY_OBJECT:
        return json_pack("{s:s,s:o}", "type", "array", "items", mc_schema_json(f->sub, NULL, NULL));
    case MC_T_ANY_OBJECT:
    default:
        return json_pack("{s:s}", "type", "object");
    }
}

json_t *mc_schema_json(const mc_field *fields, const char *id, const char *title)
{
    json_t *s = json_object(), *props = json_object(), *req = json_array();
    if (id) {
        json_object_set_new(s, "$schema",
                            json_string("https://json-schema.org/draft/2020-12/schema"));
        json_object_set_new(s, "$id", json_string(id));
        json_object_set_new(s, "title", json_string(title));
        json_object_set_new(props, "$schema",
                            json_pack("{s:s,s:s}", "type", "string", "description",
                                      "this file's JSON Schema, for editors"));
    }
    json_object_set_new(s, "type", json_string("object"));
    for (const mc_field *f = fields; f->name; f++) {
        json_object_set_new(props, f->name, schema_of(f));
        if (f->required)
            json_array_append_new(req, json_string(f->name));
    }
    json_object_set_new(s, "properties", props);
    if (json_array_size(req))
        json_object_set_new(s, "required", req);
    else
        json_decref(req);
    json_object_set_new(s, "additionalProperties", json_false());
    return s;
}
