/* Loading personas (one JSON file each in fixtures/personas) and turning them into fixture
 * policies and product-worded remedies. */
#include "persona.h"

#include "../model/checks.h"
#include "../wire/buf.h"
#include "data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const steps[] = {"probe",        "resource-metadata", "as-metadata",
                                    "registration", "authorization",     "token",
                                    "mcp-call",     "refresh",           NULL};

static const mc_field remedy_fields[] = {{"setting", MC_T_STRING, 1, NULL, NULL},
                                         {"doc", MC_T_STRING, 1, NULL, NULL},
                                         {NULL, 0, 0, NULL, NULL}};
static const mc_field policy_fields[] = {{"quirks", MC_T_STRING, 1, NULL, NULL},
                                         {"step", MC_T_STRING, 0, NULL, steps},
                                         {"match", MC_T_STRING, 0, NULL, NULL},
                                         {"evidence", MC_T_STRING, 1, NULL, NULL},
                                         {"remedy", MC_T_OBJECT, 0, remedy_fields, NULL},
                                         {"note", MC_T_STRING, 0, NULL, NULL},
                                         {NULL, 0, 0, NULL, NULL}};
static const mc_field persona_fields[] = {{"id", MC_T_STRING, 1, NULL, NULL},
                                          {"product", MC_T_STRING, 1, NULL, NULL},
                                          {"version", MC_T_STRING, 1, NULL, NULL},
                                          {"docs", MC_T_STRING, 1, NULL, NULL},
                                          {"description", MC_T_STRING, 0, NULL, NULL},
                                          {"policies", MC_T_MAP_OBJECT, 1, policy_fields, NULL},
                                          {"defaults", MC_T_MAP_STRING, 0, NULL, NULL},
                                          {"notes", MC_T_STRINGS, 0, NULL, NULL},
                                          {NULL, 0, 0, NULL, NULL}};

const char *mc_personas_dir(void)
{
    return mc_data_dir(MC_DATA_PERSONAS);
}

static char *dup_or_null(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? mc_xstrdup(s) : NULL;
}

/* The line and column of `"b"` after `"a"` in the file, for errors that only
 * the meaning of a value reveals. */
static void position(const char *path, const char *a, const char *b, int *line, int *col)
{
    *line = 1, *col = 1;
    mc_error ignored;
    char *text = mc_schema_read_file(path, &ignored);
    if (!text)
        return;
    char *qa = mc_xasprintf("\"%s\"", a), *qb = mc_xasprintf("\"%s\"", b);
    const char *at = strstr(text, qa);
    const char *hit = at ? strstr(at, qb) : NULL;
    for (const char *c = text; hit && c < hit; c++) {
        if (*c == '\n')
            (*line)++, *col = 1;
        else
            (*col)++;
    }
    free(qa), free(qb);
    free(text);
}

static void persona_free(mc_persona *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->npolicies; i++) {
        mc_persona_policy *x = &p->policies[i];
        free(x->name), free(x->quirks), free(x->match), free(x->evidence);
        free(x->setting), free(x->doc), free(x->note);
    }
    free(p->policies);
    free(p->path), free(p->id), free(p->product), free(p->version), free(p->docs);
    free(p->description);
    json_decref(p->defaults);
    json_decref(p->notes);
    free(p);
}

static int persona_load(const char *path, mc_persona **out, mc_error *err)
{
    json_t *root;
    if (mc_schema_load(path, persona_fields, &root, err) != 0)
        return -1;
    mc_persona *p = mc_xcalloc(1, sizeof *p);
    p->path = mc_xstrdup(path);
    p->id = dup_or_null(root, "id");
    p->product = dup_or_null(root, "product");
    p->version = dup_or_null(root, "version");
    p->docs = dup_or_null(root, "docs");
    p->description = dup_or_null(root, "description");
    p->defaults = json_incref(json_object_get(root, "defaults"));
    p->notes = json_incref(json_object_get(root, "notes"));
    json_t *pols = json_object_get(root, "policies");
    p->policies = mc_xcalloc(json_object_size(pols) + 1, sizeof *p->policies);
    const char *name;
    json_t *o;
    int rc = 0;
    json_object_foreach(pols, name, o)
    {
        mc_persona_policy *x = &p->policies[p->npolicies++];
        x->name = mc_xstrdup(name);
        x->quirks = dup_or_null(o, "quirks");
        x->match = dup_or_null(o, "match");
        x->evidence = dup_or_null(o, "evidence");
        x->note = dup_or_null(o, "note");
        json_t *rem = json_object_get(o, "remedy");
        x->setting = dup_or_null(rem, "setting");
        x->doc = dup_or_null(rem, "doc");
        const char *st = json_string_value(json_object_get(o, "step"));
        x->step = -1;
        for (int s = 0; st && steps[s]; s++)
            if (strcmp(st, steps[s]) == 0)
                x->step = s;
        /* every policy cites its evidence; its quirks must be the fixture's */
        const char *why = NULL, *key = "evidence";
        mc_fixture_config probe;
        mc_fixture_config_init(&probe);
        if (strspn(x->evidence, " \t") == strlen(x->evidence))
            why = "empty evidence: cite the documentation, an issue or a release note";
        else if (mc_fixture_quirk(&probe, x->quirks, &why) != 0)
            key = "quirks";
        mc_fixture_config_free(&probe);
        if (why) {
            int line, col;
            position(path, name, key, &line, &col);
            rc = strcmp(key, "quirks") == 0
                     ? mc_error_set(err, path, line, col, "policies.%s.quirks: \"%.200s\": %s",
                                    name, x->quirks, why)
                     : mc_error_set(err, path, line, col, "policies.%s.%s: %s", name, key, why);
            break;
        }
    }
    json_decref(root);
    if (rc != 0) {
        persona_free(p);
        return -1;
    }
    *out = p;
    return 0;
}

static int by_id(const void *a, const void *b)
{
    return strcmp((*(mc_persona *const *)a)->id, (*(mc_persona *const *)b)->id);
}

int mc_personas_load_dir(const char *dir, mc_personas *out, mc_error *err)
{
    memset(out, 0, sizeof *out);
    char **paths;
    size_t n;
    if (mc_schema_dir(dir, "personas", &paths, &n, err) != 0)
        return -1;
    if (n == 0) { /* as an empty profiles folder: every persona command needs one */
        mc_schema_paths_free(paths, n);
        return mc_error_set(err, dir, 0, 0,
                            "no personas in this folder (no *.json persona file; "
                            "MCPCOMPAT_PERSONAS names it)");
    }
    int rc = 0;
    out->items = mc_xcalloc(n ? n : 1, sizeof *out->items);
    for (size_t i = 0; i < n && rc == 0; i++)
        if ((rc = persona_load(paths[i], &out->items[out->n], err)) == 0)
            out->n++;
    mc_schema_paths_free(paths, n);
    if (rc != 0) {
        mc_personas_free(out);
        return -1;
    }
    qsort(out->items, out->n, sizeof *out->items, by_id);
    for (size_t i = 1; i < out->n; i++)
        if (strcmp(out->items[i - 1]->id, out->items[i]->id) == 0) {
            mc_error_set(err, out->items[i]->path, 0, 0, "persona id \"%s\" used twice",
                         out->items[i]->id);
            mc_personas_free(out);
            return -1;
        }
    return 0;
}

const mc_persona *mc_personas_find(const mc_personas *ps, const char *id)
{
    const mc_persona *last = NULL;
    size_t n = strlen(id);
    for (size_t i = 0; i < ps->n; i++) {
        if (strcmp(ps->items[i]->id, id) == 0)
            return ps->items[i];
        if (strncmp(ps->items[i]->id, id, n) == 0 && ps->items[i]->id[n] == '-')
            last = ps->items[i];
    }
    return last;
}

void mc_personas_free(mc_personas *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        persona_free(ps->items[i]);
    free(ps->items);
    memset(ps, 0, sizeof *ps);
}

int mc_persona_apply(const mc_persona *p, mc_fixture_config *cfg, const char **err)
{
    for (size_t i = 0; i < p->npolicies; i++)
        if (mc_fixture_quirk(cfg, p->policies[i].quirks, err) != 0)
            return -1;
    return 0;
}

char *mc_persona_quirks(const mc_persona *p)
{
    mc_buf b;
    mc_buf_init(&b, 0);
    for (size_t i = 0; i < p->npolicies; i++)
        mc_buf_printf(&b, "%s%s", i ? "," : "", p->policies[i].quirks);
    return mc_buf_steal(&b);
}

char *mc_persona_remedy(const mc_persona *p, int step, const char *reason)
{
    mc_buf b;
    mc_buf_init(&b, 0);
    for (size_t i = 0; i < p->npolicies; i++) {
        const mc_persona_policy *x = &p->policies[i];
        if (x->step != step || !x->setting || (x->match && (!reason || !strstr(reason, x->match))))
            continue;
        mc_buf_printf(&b, "%s%s: %s (%s)", b.len ? "; " : "", p->product, x->setting, x->doc);
    }
    if (!b.len) {
        mc_buf_free(&b);
        return NULL;
    }
    return mc_buf_steal(&b);
}

const mc_field *mc_persona_fields(void)
{
    return persona_fields;
}
