/* template: what is shared to save work — a text parsed again under another
 * name reuses the first parse (Helm: one subchart under several aliases), and
 * a clone (Helm's tpl) is an overlay on its original. Error locations,
 * definitions and delimiters must come out as if everything were parsed anew. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/template.h"

static void parse_ok(gotk_tpl_set *set, const char *name, const char *text)
{
    gotk_err *e = gotk_template_parse(set, name, text, strlen(text));
    if (e)
        fail_msg("parse %s: %s", name, gotk_err_msg(e));
}

/* Output of template `name`, or "ERR: message". */
static char *run(gotk_tpl_set *set, const char *name)
{
    gotk_buf out = {0};
    gotk_err *e = gotk_template_execute(set, name, NULL, &out);
    char *r;
    if (e) {
        r = gotk_xasprintf("ERR: %s", gotk_err_msg(e));
        gotk_err_free(e);
    } else {
        r = gotk_xstrdup(out.data);
    }
    gotk_buf_free(&out);
    return r;
}

static void check_run(gotk_tpl_set *set, const char *name, const char *want)
{
    char *got = run(set, name);
    assert_string_equal(got, want);
    free(got);
}

static void test_same_text_errors_name_each_file(void **state)
{
    (void)state;
    gotk_tpl_set *set = gotk_template_new();
    const char *text = "x\n{{ template \"nope\" }}";
    parse_ok(set, "a", text);
    parse_ok(set, "b", text);
    check_run(set, "a",
              "ERR: template: a:2:12: executing \"a\" at <{{template \"nope\"}}>: template \"nope\" not defined");
    check_run(set, "b",
              "ERR: template: b:2:12: executing \"b\" at <{{template \"nope\"}}>: template \"nope\" not defined");
    gotk_template_free(set);
}

static void test_shared_define_locates_in_last_file(void **state)
{
    (void)state;
    gotk_tpl_set *set = gotk_template_new();
    const char *text = "{{ define \"d\" }}{{ template \"nope\" }}{{ end }}{{ template \"d\" }}";
    parse_ok(set, "a", text);
    parse_ok(set, "b", text);
    /* the later parse's "d" replaced the first: its errors name file b */
    check_run(set, "a",
              "ERR: template: b:1:28: executing \"d\" at <{{template \"nope\"}}>: template \"nope\" not defined");
    gotk_template_free(set);
}

static void test_define_of_own_name_not_reused(void **state)
{
    (void)state;
    gotk_tpl_set *set = gotk_template_new();
    const char *text = "{{ define \"b\" }}B{{ end }}A";
    parse_ok(set, "a", text);
    check_run(set, "a", "A");
    check_run(set, "b", "B");
    /* as "b" the text defines "b" twice: an error, although it parsed as "a" */
    gotk_err *e = gotk_template_parse(set, "b", text, strlen(text));
    assert_non_null(e);
    assert_string_equal(gotk_err_msg(e), "template: b:1: template: multiple definition of template \"b\"");
    gotk_err_free(e);
    gotk_template_free(set);
}

static void test_delimiters_part_of_the_text(void **state)
{
    (void)state;
    gotk_tpl_set *set = gotk_template_new();
    const char *text = "[[ 1 ]]{{ 2 }}";
    gotk_template_delims(set, "[[", "]]");
    parse_ok(set, "a", text);
    gotk_template_delims(set, NULL, NULL);
    parse_ok(set, "b", text);
    check_run(set, "a", "1{{ 2 }}");
    check_run(set, "b", "[[ 1 ]]2");
    gotk_template_free(set);
}

static void test_clone_is_an_overlay(void **state)
{
    (void)state;
    gotk_tpl_set *set = gotk_template_new();
    parse_ok(set, "main", "{{ define \"d\" }}old{{ end }}[{{ template \"d\" }}]");
    parse_ok(set, "other", "{{ printf \"%s\" \"o\" }}");
    gotk_tpl_set *clone = gotk_template_clone(set);
    /* an empty redefinition keeps the original's */
    parse_ok(clone, "x", "{{ define \"d\" }} {{ end }}{{ template \"d\" }}");
    check_run(clone, "x", "old");
    parse_ok(clone, "y", "{{ define \"d\" }}new{{ end }}{{ template \"other\" }}");
    check_run(clone, "main", "[new]");
    check_run(clone, "y", "o");
    assert_true(gotk_template_has(clone, "other"));
    assert_false(gotk_template_has(set, "y"));
    gotk_template_free(clone);
    check_run(set, "main", "[old]");
    gotk_template_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_text_errors_name_each_file),
        cmocka_unit_test(test_shared_define_locates_in_last_file),
        cmocka_unit_test(test_define_of_own_name_not_reused),
        cmocka_unit_test(test_delimiters_part_of_the_text),
        cmocka_unit_test(test_clone_is_an_overlay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
