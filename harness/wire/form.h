/* HTML login and consent forms, read with libxml2's HTML parser. */
#ifndef MC_FORM_H
#define MC_FORM_H

#include <stddef.h>

#define MC_FORM_MAX_INPUT (512 * 1024)
#define MC_FORM_MAX_FORMS 8
#define MC_FORM_MAX_FIELDS 32

typedef struct {
    char *name;
    char *type;  /* lower-case; "text" when absent */
    char *value; /* may be NULL */
} mc_form_field;

typedef struct {
    char *action; /* as written; NULL = the page's own URL */
    char *method; /* lower-case "get" or "post" */
    mc_form_field fields[MC_FORM_MAX_FIELDS];
    size_t nfields;
} mc_form;

typedef struct {
    mc_form forms[MC_FORM_MAX_FORMS];
    size_t n;
} mc_forms;

/* Returns the number of forms found (0..MC_FORM_MAX_FORMS), or -1 when the
 * input is too large to read. */
int mc_forms_parse(const char *html, size_t len, mc_forms *out);
void mc_forms_free(mc_forms *f);
/* 1 when the form has a password field (a login form). */
int mc_form_is_login(const mc_form *f);
/* The x-www-form-urlencoded body: hidden and preset fields as they are,
 * the first text/email field set to user and password fields to password,
 * and the first submit button's name=value (an approving one preferred). */
char *mc_form_encode(const mc_form *f, const char *user, const char *password);

#endif
