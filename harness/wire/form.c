#include "form.h"

#include "buf.h"
#include "url.h"

#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *attr(xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = mc_xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

static char *lower_dup(char *s, const char *dflt)
{
    if (!s)
        return mc_xstrdup(dflt);
    for (char *p = s; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return s;
}

static void collect_fields(xmlNode *n, mc_form *f)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *tag = (const char *)n->name;
        if ((strcasecmp(tag, "input") == 0 || strcasecmp(tag, "button") == 0) &&
            f->nfields < MC_FORM_MAX_FIELDS) {
            char *name = attr(n, "name");
            char *type = attr(n, "type");
            if (strcasecmp(tag, "button") == 0 && !type)
                type = mc_xstrdup("submit");
            mc_form_field *fd = &f->fields[f->nfields++];
            fd->name = name;
            fd->type = lower_dup(type, "text");
            fd->value = attr(n, "value");
        }
        collect_fields(n->children, f);
    }
}

static void find_forms(xmlNode *n, mc_forms *out)
{
    for (; n && out->n < MC_FORM_MAX_FORMS; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && strcasecmp((const char *)n->name, "form") == 0) {
            mc_form *f = &out->forms[out->n++];
            f->action = attr(n, "action");
            f->method = lower_dup(attr(n, "method"), "get");
            collect_fields(n->children, f);
            continue;
        }
        find_forms(n->children, out);
    }
}

int mc_forms_parse(const char *html, size_t len, mc_forms *out)
{
    memset(out, 0, sizeof *out);
    if (len > MC_FORM_MAX_INPUT)
        return -1;
    if (!html || !len)
        return 0;
    htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                        HTML_PARSE_RECOVER);
    if (!doc)
        return 0;
    find_forms(xmlDocGetRootElement(doc), out);
    xmlFreeDoc(doc);
    return (int)out->n;
}

void mc_forms_free(mc_forms *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->forms[i].action);
        free(f->forms[i].method);
        for (size_t j = 0; j < f->forms[i].nfields; j++) {
            free(f->forms[i].fields[j].name);
            free(f->forms[i].fields[j].type);
            free(f->forms[i].fields[j].value);
        }
    }
    memset(f, 0, sizeof *f);
}

int mc_form_is_login(const mc_form *f)
{
    for (size_t i = 0; i < f->nfields; i++)
        if (strcmp(f->fields[i].type, "password") == 0)
            return 1;
    return 0;
}

static int approving(const mc_form_field *fd)
{
    static const char *const no[] = {"deny", "cancel", "reject", "abort", "no"};
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        if ((fd->value && strcasecmp(fd->value, no[i]) == 0) ||
            (fd->name && strcasecmp(fd->name, no[i]) == 0))
            return 0;
    }
    return 1;
}

char *mc_form_encode(const mc_form *f, const char *user, const char *password)
{
    char *body = mc_xstrdup("");
    int user_done = 0;
    const mc_form_field *submit = NULL;
    for (size_t i = 0; i < f->nfields; i++) {
        const mc_form_field *fd = &f->fields[i];
        if (!fd->name)
            continue;
        if (strcmp(fd->type, "submit") == 0 || strcmp(fd->type, "image") == 0) {
            if (!submit || (!approving(submit) && approving(fd)))
                submit = fd;
            continue;
        }
        if (strcmp(fd->type, "password") == 0) {
            mc_form_append(&body, fd->name, password ? password : "");
        } else if (!user_done &&
                   (strcmp(fd->type, "text") == 0 || strcmp(fd->type, "email") == 0) &&
                   (!fd->value || !*fd->value) && user) {
            mc_form_append(&body, fd->name, user);
            user_done = 1;
        } else if ((strcmp(fd->type, "checkbox") == 0 || strcmp(fd->type, "radio") == 0)) {
            continue; /* unchecked boxes are not sent */
        } else {
            mc_form_append(&body, fd->name, fd->value ? fd->value : "");
        }
    }
    if (submit)
        mc_form_append(&body, submit->name, submit->value ? submit->value : "");
    return body;
}
