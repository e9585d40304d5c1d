/* HTML login and consent forms through libxml2's HTML parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/wire/form.h"

static void test_forms_parse_login(void **state)
{
    (void)state;
    const char *html =
        "<html><body><form action=\"/search\"><input name=q></form>"
        "<FORM METHOD=POST action='/login'><input type=hidden name=txn value=\"t 1\">"
        "<input name=username><input type=PASSWORD name=password>"
        "<input type=checkbox name=remember value=1>"
        "<button type=submit name=action value=login>Go</button></FORM></body></html>";
    mc_forms f;
    assert_int_equal(mc_forms_parse(html, strlen(html), &f), 2);
    assert_false(mc_form_is_login(&f.forms[0]));
    assert_true(mc_form_is_login(&f.forms[1]));
    assert_string_equal(f.forms[1].method, "post");
    assert_string_equal(f.forms[1].action, "/login");
    char *body = mc_form_encode(&f.forms[1], "demo", "p&ss word");
    assert_string_equal(body, "txn=t%201&username=demo&password=p%26ss%20word&action=login");
    free(body);
    mc_forms_free(&f);
}

static void test_form_encode_prefers_approve(void **state)
{
    (void)state;
    const char *html = "<form method=post><input type=hidden name=txn value=x>"
                       "<button name=decision value=deny>No</button>"
                       "<button name=decision value=approve>Yes</button></form>";
    mc_forms f;
    assert_int_equal(mc_forms_parse(html, strlen(html), &f), 1);
    assert_null(f.forms[0].action);
    char *body = mc_form_encode(&f.forms[0], NULL, NULL);
    assert_string_equal(body, "txn=x&decision=approve");
    free(body);
    mc_forms_free(&f);
}

static void test_forms_parse_hostile(void **state)
{
    (void)state;
    static const char *const odd[] = {
        "",
        "<form",
        "</form></form>",
        "<form><input name=\"a\0b\">",
        "<<<<>>>>",
        "<form action=\"javascript:alert(1)\"><input type=password name=p>",
        "\xff\xfe\x00garbage",
    };
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
        mc_forms f;
        int n = mc_forms_parse(odd[i], strlen(odd[i]), &f);
        assert_true(n >= 0 && n <= MC_FORM_MAX_FORMS);
        mc_forms_free(&f);
    }
    /* more forms and fields than the caps */
    char *many = malloc(200000);
    many[0] = '\0';
    for (int i = 0; i < 40; i++) {
        strcat(many, "<form>");
        for (int k = 0; k < 40; k++)
            strcat(many, "<input name=a>");
        strcat(many, "</form>");
    }
    mc_forms f;
    assert_int_equal(mc_forms_parse(many, strlen(many), &f), MC_FORM_MAX_FORMS);
    assert_int_equal(f.forms[0].nfields, MC_FORM_MAX_FIELDS);
    mc_forms_free(&f);
    free(many);
    /* larger than the input cap: refused */
    size_t n = MC_FORM_MAX_INPUT + 1;
    char *big = malloc(n + 1);
    memset(big, ' ', n);
    big[n] = '\0';
    assert_int_equal(mc_forms_parse(big, n, &f), -1);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms_parse_login),
        cmocka_unit_test(test_form_encode_prefers_approve),
        cmocka_unit_test(test_forms_parse_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
