/* `mcpcompat personas [ID]`, and resolving --as for the other commands. */
#include "../data/persona.h"
#include "../engine/run.h"
#include "../wire/buf.h"
#include "../wire/suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int mc_persona_resolve(const char *id, mc_personas *all, const mc_persona **out)
{
    mc_error err;
    *out = NULL;
    if (mc_personas_load_dir(mc_personas_dir(), all, &err) != 0) {
        fprintf(stderr, "mcpcompat: %s\n", mc_error_str(&err));
        return -1;
    }
    *out = mc_personas_find(all, id);
    /* the product's name, as `mcpcompat personas` shows it: its last persona */
    for (size_t i = 0; !*out && i < all->n; i++)
        if (strcasecmp(all->items[i]->product, id) == 0)
            for (size_t k = i; k < all->n; k++)
                if (strcasecmp(all->items[k]->product, id) == 0)
                    *out = all->items[k];
    if (!*out) {
        const char **words = mc_xcalloc(2 * all->n + 1, sizeof *words);
        for (size_t i = 0; i < all->n; i++) {
            words[i] = all->items[i]->id;
            words[all->n + i] = all->items[i]->product;
        }
        char *near = NULL;
        mc_suggest(id, words, 2 * all->n, 4, &near);
        fprintf(stderr, "mcpcompat: unknown persona \"%s\"%s%s%s (see `mcpcompat personas`)\n", id,
                near ? ": did you mean " : "", near ? near : "", near ? "?" : "");
        free(near);
        free(words);
        mc_personas_free(all);
        return -1;
    }
    return 0;
}

static const char *const step_ids[] = {
    "probe", "resource-metadata", "as-metadata", "registration", "authorization",
    "token", "mcp-call",          "refresh"};

/* Every policy with its evidence and the product's setting; then the knobs
 * left at the fixture's default, and why. */
static void show(const mc_persona *p)
{
    printf("%s: %s %s (%s)\n", p->id, p->product, p->version, p->path);
    if (p->description)
        printf("%s\n", p->description);
    printf("docs: %s\n\npolicies\n", p->docs);
    for (size_t i = 0; i < p->npolicies; i++) {
        const mc_persona_policy *x = &p->policies[i];
        printf("  %-24s %s\n", x->name, x->quirks);
        if (x->step >= 0)
            printf("  %-24s   step:     %s\n", "", step_ids[x->step]);
        printf("  %-24s   evidence: %s\n", "", x->evidence);
        if (x->setting)
            printf("  %-24s   remedy:   %s (%s)\n", "", x->setting, x->doc);
        if (x->note)
            printf("  %-24s   note:     %s\n", "", x->note);
    }
    if (json_object_size(p->defaults)) {
        printf("\nleft at the fixture's defaults\n");
        const char *k;
        json_t *v;
        json_object_foreach(p->defaults, k, v) printf("  %-24s %s\n", k, json_string_value(v));
    }
    size_t i;
    json_t *n;
    json_array_foreach(p->notes, i, n) printf("%snote: %s\n", i ? "" : "\n", json_string_value(n));
}

int mc_cmd_personas(const mc_config *cfg)
{
    mc_personas all;
    mc_error err;
    if (mc_personas_load_dir(mc_personas_dir(), &all, &err) != 0) {
        fprintf(stderr, "mcpcompat: %s\n", mc_error_str(&err));
        return MC_EXIT_USAGE;
    }
    int rc = MC_EXIT_OK;
    if (cfg->url) {
        mc_personas_free(&all);
        const mc_persona *p;
        if (mc_persona_resolve(cfg->url, &all, &p) != 0)
            return MC_EXIT_USAGE;
        show(p);
    } else {
        /* columns as wide as their widest value */
        int wid = 2, wprod = 7;
        for (size_t i = 0; i < all.n; i++) {
            int l = (int)strlen(all.items[i]->id);
            wid = l > wid ? l : wid;
            l = (int)strlen(all.items[i]->product);
            wprod = l > wprod ? l : wprod;
        }
        printf("%-*s %-*s %-8s %s\n", wid, "ID", wprod, "PRODUCT", "POLICIES", "VERSION");
        for (size_t i = 0; i < all.n; i++)
            printf("%-*s %-*s %-8zu %s\n", wid, all.items[i]->id, wprod, all.items[i]->product,
                   all.items[i]->npolicies, all.items[i]->version);
    }
    mc_personas_free(&all);
    return rc;
}

void mc_print_personas_brief(void)
{
    mc_personas all;
    mc_error err;
    if (mc_personas_load_dir(mc_personas_dir(), &all, &err) != 0)
        return;
    /* the ids in a column as wide as the longest; the product beside it,
     * wrapped at 79 columns under itself */
    int wid = 0;
    for (size_t i = 0; i < all.n; i++) {
        int l = (int)strlen(all.items[i]->id);
        wid = l > wid ? l : wid;
    }
    int at = 2 + wid + 1;
    for (size_t i = 0; i < all.n; i++) {
        char *q = mc_persona_quirks(all.items[i]);
        char *what = mc_xasprintf("%s %s", all.items[i]->product, all.items[i]->version);
        printf("  %-*s", wid, all.items[i]->id);
        int col = at - 1;
        for (char *save = NULL, *w = strtok_r(what, " ", &save); w;
             w = strtok_r(NULL, " ", &save)) {
            int n = (int)strlen(w);
            if (col > at && col + 1 + n > 79) {
                printf("\n%*s", at, "");
                col = at;
            } else {
                putchar(' ');
                col++;
            }
            printf("%s", w);
            col += n;
        }
        putchar('\n');
        free(what);
        /* its quirks, wrapped at 79 columns (a comma ends a wrapped line) */
        int qcol = 6;
        printf("%6s", "");
        for (char *save = NULL, *w = strtok_r(q, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
            int n = (int)strlen(w);
            if (qcol > 6 && qcol + 1 + n > 78) {
                printf(",\n%6s", "");
                qcol = 6;
            } else if (qcol > 6) {
                putchar(',');
                qcol++;
            }
            if (n > 72) { /* one long value (a URL): cut, in full under `personas ID` */
                printf("%.69s...", w);
                n = 72;
            } else {
                printf("%s", w);
            }
            qcol += n;
        }
        putchar('\n');
        free(q);
    }
    mc_personas_free(&all);
}
