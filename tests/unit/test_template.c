/* template: the Go text/template engine — language features, builtins the Helm
 * oracle cannot check (its Sprig functions shadow them), options, the function
 * table and error texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/template.h"

/* Render `text` as template "t" with JSON data; returns output or "ERR: msg". */
static char *render_opt(const char *text, const char *json, const char *opt)
{
    gotk_tpl_set *set = gotk_template_new();
    json_object *data = json ? json_tokener_parse(json) : NULL;
    gotk_buf out = {0};
    gotk_err *e = opt ? gotk_template_option(set, opt) : NULL;
    if (!e)
        e = gotk_template_parse(set, "t", text, strlen(text));
    if (!e)
        e = gotk_template_execute(set, "t", data, &out);
    char *r;
    if (e) {
        r = gotk_xasprintf("ERR: %s", gotk_err_msg(e));
        gotk_err_free(e);
    } else {
        r = gotk_xstrdup(out.data);
    }
    gotk_buf_free(&out);
    json_object_put(data);
    gotk_template_free(set);
    return r;
}

static void check(const char *text, const char *json, const char *want)
{
    char *got = render_opt(text, json, NULL);
    assert_string_equal(got, want);
    free(got);
}

static void check_opt(const char *text, const char *json, const char *opt, const char *want)
{
    char *got = render_opt(text, json, opt);
    assert_string_equal(got, want);
    free(got);
}

static void test_text_and_fields(void **state)
{
    (void)state;
    check("hello {{ .name }}!", "{\"name\":\"world\"}", "hello world!");
    check("{{ .a.b }}", "{\"a\":{\"b\":[1,2]}}", "[1 2]");
    check("{{ . }}", "{\"b\":1,\"a\":2.5}", "map[a:2.5 b:1]");
    check("a {{- \" b \" -}} c", NULL, "a b c");
    check("{{/* c */}}x", NULL, "x");
}

static void test_numbers_print_as_go(void **state)
{
    (void)state;
    check("{{ .a }} {{ .b }} {{ .c }} {{ .d }}", "{\"a\":3.0,\"b\":1000000.0,\"c\":3.5,\"d\":3}",
          "3 1e+06 3.5 3");
    check("{{ 1e6 }} {{ 0x10 }} {{ 'a' }} {{ 1.0 }}", NULL, "1e+06 16 97 1");
    check("{{ printf \"%T %T %T\" 1 1.5 .x }}", "{\"x\":2}", "int float64 int");
}

static void test_missing_keys(void **state)
{
    (void)state;
    check("{{ .nope }}|{{ .nope.deeper }}", "{}", "<no value>|<no value>");
    check_opt("{{ .nope }}", "{}", "missingkey=zero", "<no value>");
    check_opt("{{ .nope.x }}", "{}", "missingkey=zero",
              "ERR: template: t:1:8: executing \"t\" at <.nope.x>: nil pointer evaluating "
              "interface {}.x");
    check_opt("{{ .nope }}", "{}", "missingkey=error",
              "ERR: template: t:1:3: executing \"t\" at <.nope>: map has no entry for key \"nope\"");
    char *r = render_opt("", "{}", "missingkey=bogus");
    assert_string_equal(r, "ERR: unrecognized option: missingkey=bogus");
    free(r);
}

static void test_range_forms(void **state)
{
    (void)state;
    check("{{ range $i, $v := .l }}{{ $i }}{{ $v }}{{ end }}", "{\"l\":[\"a\",\"b\"]}", "0a1b");
    check("{{ range $k, $v := . }}{{ $k }}={{ $v }};{{ end }}", "{\"b\":1,\"a\":2}", "a=2;b=1;");
    /* Go 1.23 (Helm v3.17) cannot range over an integer. */
    check("{{ range 3 }}{{ . }}{{ end }}", NULL,
          "ERR: template: t:1:9: executing \"t\" at <3>: range can't iterate over 3");
    check("{{ range 0 }}x{{ else }}none{{ end }}", NULL,
          "ERR: template: t:1:9: executing \"t\" at <0>: range can't iterate over 0");
    check("{{ range .l }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }}", "{\"l\":[1,2,3]}", "1");
    check("{{ range .l }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ . }}{{ end }}", "{\"l\":[1,2,3]}",
          "13");
    check("{{ range $a, $b := 3 }}{{ end }}", NULL,
          "ERR: template: t:1:19: executing \"t\" at <3>: range can't iterate over 3");
}

static void test_builtin_slice(void **state)
{
    (void)state;
    const char *d = "{\"l\":[1,2,3],\"s\":\"hello\"}";
    check("{{ slice .l 1 }} {{ slice .l 0 2 }} {{ slice .l }} {{ slice .s 1 3 }}", d,
          "[2 3] [1 2] [1 2 3] el");
    check("{{ slice .l 2 1 }}", d,
          "ERR: template: t:1:3: executing \"t\" at <slice .l 2 1>: error calling slice: "
          "invalid slice index: 2 > 1");
    check("{{ slice .l 0 9 }}", d,
          "ERR: template: t:1:3: executing \"t\" at <slice .l 0 9>: error calling slice: "
          "index out of range: 9");
    check("{{ slice .s 0 1 2 }}", d,
          "ERR: template: t:1:3: executing \"t\" at <slice .s 0 1 2>: error calling slice: "
          "cannot 3-index slice a string");
    check("{{ slice nil }}", d,
          "ERR: template: t:1:3: executing \"t\" at <slice nil>: error calling slice: "
          "slice of untyped nil");
}

static void test_define_template_block(void **state)
{
    (void)state;
    check("{{ define \"x\" }}<{{ . }}>{{ end }}{{ template \"x\" 5 }}", NULL, "<5>");
    check("{{ block \"b\" . }}default{{ end }}", NULL, "default");
    check("{{ template \"nope\" }}", NULL,
          "ERR: template: t:1:12: executing \"t\" at <{{template \"nope\"}}>: template \"nope\" "
          "not defined");
}

static void test_redefinition_across_parses(void **state)
{
    (void)state;
    gotk_tpl_set *set = gotk_template_new();
    const char *a = "{{ define \"p\" }}one{{ end }}", *b = "{{ define \"p\" }}two{{ end }}";
    assert_null(gotk_template_parse(set, "a", a, strlen(a)));
    assert_null(gotk_template_parse(set, "b", b, strlen(b)));
    assert_null(gotk_template_parse(set, "main", "[{{ template \"p\" }}]", 20));
    assert_true(gotk_template_has(set, "p"));
    assert_false(gotk_template_has(set, "q"));
    gotk_buf out = {0};
    assert_null(gotk_template_execute(set, "main", NULL, &out));
    assert_string_equal(out.data, "[two]");
    gotk_buf_free(&out);
    gotk_err *e = gotk_template_execute(set, "zzz", NULL, &out);
    assert_string_equal(gotk_err_msg(e),
                        "template: no template \"zzz\" associated with template \"zzz\"");
    gotk_err_free(e);
    gotk_buf_free(&out);
    gotk_template_free(set);
}

static void test_parse_errors(void **state)
{
    (void)state;
    check("{{ foo }}", NULL, "ERR: template: t:1: function \"foo\" not defined");
    check("{{ .a } }}", NULL, "ERR: template: t:1: unexpected \"}\" in operand");
    check("a\n{{ if 1 }}", NULL, "ERR: template: t:2: unexpected EOF");
    check("{{ $x }}", NULL, "ERR: template: t:1: undefined variable \"$x\"");
    check("\n{{ .a\n", NULL, "ERR: template: t:3: unclosed action started at t:2");
}

static void test_exec_errors(void **state)
{
    (void)state;
    check("{{ len 3 }}", NULL,
          "ERR: template: t:1:3: executing \"t\" at <len 3>: error calling len: len of type int");
    check("{{ index .l 7 }}", "{\"l\":[]}",
          "ERR: template: t:1:3: executing \"t\" at <index .l 7>: error calling index: index "
          "out of range: 7");
    check("{{ .s.x }}", "{\"s\":\"str\"}",
          "ERR: template: t:1:5: executing \"t\" at <.s.x>: can't evaluate field x in type "
          "interface {}");
    check("{{ with \"s\" }}{{ .x }}{{ end }}", NULL,
          "ERR: template: t:1:17: executing \"t\" at <.x>: can't evaluate field x in type string");
    check("{{ nil }}", NULL, "ERR: template: t:1:3: executing \"t\" at <nil>: nil is not a command");
}

/* A function with typed parameters: repeat(s string, n int) string. */
static gotk_err *fn_repeat(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv,
                           gotk_tpl_val *res, void *ud)
{
    (void)argc, (void)ud;
    int64_t n = json_object_get_int64(argv[1].j);
    if (n < 0)
        return gotk_err_new(GOTK_E_INVALID, "negative count %lld", (long long)n);
    gotk_buf b = {0};
    for (int64_t i = 0; i < n; i++)
        gotk_buf_puts(&b, json_object_get_string(argv[0].j));
    *res = gotk_tpl_string(ex, b.data ? b.data : "", b.len);
    gotk_buf_free(&b);
    return NULL;
}

static void test_custom_functions(void **state)
{
    (void)state;
    gotk_tpl_set *set = gotk_template_new();
    gotk_template_add_func(set, "repeat", "s i", fn_repeat, NULL);
    const char *cases[][2] = {
        {"{{ repeat \"ab\" 3 }}", "ababab"},
        {"{{ 2 | repeat \"x\" }}", "xx"},
        {"{{ repeat \"x\" -1 }}",
         "template: t:1:3: executing \"t\" at <repeat \"x\" -1>: error calling repeat: negative count -1"},
        {"{{ repeat 1 2 }}",
         "template: t:1:10: executing \"t\" at <1>: expected string; found 1"},
        {"{{ repeat \"x\" 1.5 }}",
         "template: t:1:14: executing \"t\" at <1.5>: expected integer; found 1.5"},
        {"{{ repeat \"x\" .f }}",
         "template: t:1:14: executing \"t\" at <.f>: wrong type for value; expected int; got float64"},
        {"{{ repeat \"x\" }}",
         "template: t:1:3: executing \"t\" at <repeat>: wrong number of args for repeat: want 2 got 1"},
        {"{{ repeat \"x\" nil }}",
         "template: t:1:14: executing \"t\" at <nil>: cannot assign nil to int"},
    };
    json_object *data = json_tokener_parse("{\"f\":2.0}");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gotk_buf out = {0};
        gotk_err *e = gotk_template_parse(set, "t", cases[i][0], strlen(cases[i][0]));
        if (!e)
            e = gotk_template_execute(set, "t", data, &out);
        assert_string_equal(e ? gotk_err_msg(e) : out.data, cases[i][1]);
        gotk_err_free(e);
        gotk_buf_free(&out);
    }
    json_object_put(data);
    gotk_template_free(set);
}

static void test_delims(void **state)
{
    (void)state;
    gotk_tpl_set *set = gotk_template_new();
    gotk_template_delims(set, "[[", "]]");
    const char *t = "{{ x }} [[ .a ]] [[- \" y \" -]] z";
    assert_null(gotk_template_parse(set, "t", t, strlen(t)));
    json_object *data = json_tokener_parse("{\"a\":1}");
    gotk_buf out = {0};
    assert_null(gotk_template_execute(set, "t", data, &out));
    assert_string_equal(out.data, "{{ x }} 1 y z");
    gotk_buf_free(&out);
    json_object_put(data);
    gotk_template_free(set);
}

static void test_sprintf_direct(void **state)
{
    (void)state;
    json_object *a = json_object_new_double(3.14159), *b = json_object_new_string("x");
    gotk_tpl_val v[2] = {gotk_tpl_from_json(a, false), gotk_tpl_from_json(b, false)};
    gotk_buf out = {0};
    gotk_tpl_sprintf(&out, "%6.2f|%-3s|%d", 14, 2, v);
    assert_string_equal(out.data, "  3.14|x  |%!d(MISSING)");
    gotk_buf_free(&out);
    gotk_tpl_sprintln(&out, 2, v);
    assert_string_equal(out.data, "3.14159 x\n");
    gotk_buf_free(&out);
    assert_string_equal(gotk_tpl_type_name(v[0]), "float64");
    assert_true(gotk_tpl_truth(v[1]));
    json_object_put(a);
    json_object_put(b);
}

/* A string of n copies of s. */
static char *repeat(const char *s, int n)
{
    gotk_buf b = {0};
    for (int i = 0; i < n; i++)
        gotk_buf_puts(&b, s);
    return gotk_buf_steal(&b);
}

static void test_limits(void **state)
{
    (void)state;
    char *open = repeat("(", 1001), *close = repeat(")", 1001);
    char *t = gotk_xasprintf("{{ %s1%s }}", open, close);
    check(t, NULL, "ERR: template: t:1: max expression depth exceeded");
    free(t), free(open), free(close);
    open = repeat("{{ if 1 }}", 1001), close = repeat("{{ end }}", 1001);
    t = gotk_xasprintf("%sx%s", open, close);
    check(t, NULL, "ERR: template: t:1: max control depth exceeded");
    free(t), free(open), free(close);
    open = repeat("{{ if 1 }}", 900), close = repeat("{{ end }}", 900);
    t = gotk_xasprintf("%sx%s", open, close);
    check(t, NULL, "x");
    free(t), free(open), free(close);
    check("{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" }}", NULL,
          "ERR: template: t:1:28: executing \"r\" at <{{template \"r\" .}}>: exceeded maximum "
          "template depth (100000)");
}

static void test_sprig_functions(void **state)
{
    (void)state;
    gotk_tpl_set *set = gotk_template_new();
    gotk_template_add_sprig(set);
    const char *cases[][2] = {
        {"{{ .x | default \"d\" | upper }}", "D"},
        {"{{ list 1 \"a\" | join \",\" }} {{ dict \"k\" 2 }}", "1,a map[k:2]"},
        {"{{ first \"s\" }}",
         "template: t:1:3: executing \"t\" at <first \"s\">: error calling first: Cannot find first on type string"},
        {"{{ upper 1 }}", "template: t:1:9: executing \"t\" at <1>: expected string; found 1"},
        {"{{ $d := dict }}{{ $_ := set $d \"a\" (list 1) }}{{ $d.a }}", "[1]"},
        {"{{ env \"HOME\" }}", "template: t:1: function \"env\" not defined"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gotk_buf out = {0};
        gotk_err *e = gotk_template_parse(set, "t", cases[i][0], strlen(cases[i][0]));
        if (!e)
            e = gotk_template_execute(set, "t", NULL, &out);
        assert_string_equal(e ? gotk_err_msg(e) : out.data, cases[i][1]);
        gotk_err_free(e);
        gotk_buf_free(&out);
    }
    gotk_template_free(set);
}

static void test_helm_functions(void **state)
{
    (void)state;
    gotk_tpl_set *set = gotk_template_new();
    gotk_template_add_helm(set);
    const char *cases[][2] = {
        {"{{ define \"x\" }}<{{ . }}>{{ end }}{{ include \"x\" 1 | upper }}", "<1>"},
        {"{{ include \"nope\" . }}",
         "template: t:1:3: executing \"t\" at <include \"nope\" .>: error calling include: "
         "template: no template \"nope\" associated with template \"gotpl\""},
        {"{{ tpl \"{{ define \\\"p\\\" }}P{{ end }}{{ include \\\"p\\\" . }}{{ . }}\" 2 }}", "P2"},
        {"{{ template \"p\" }}", "template: t:1:12: executing \"t\" at <{{template \"p\"}}>: "
                                 "template \"p\" not defined"},
        {"{{ required \"need it\" .x }}",
         "template: t:1:3: executing \"t\" at <required \"need it\" .x>: error calling required: "
         "HELM[need it]HELM"},
        {"{{ toYaml (dict \"b\" 1 \"a\" (list \"x\")) }}", "a:\n- x\nb: 1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gotk_buf out = {0};
        gotk_err *e = gotk_template_parse(set, "t", cases[i][0], strlen(cases[i][0]));
        if (!e)
            e = gotk_template_execute(set, "t", NULL, &out);
        assert_string_equal(e ? gotk_err_msg(e) : out.data, cases[i][1]);
        gotk_err_free(e);
        gotk_buf_free(&out);
    }
    gotk_template_free(set);
}

static void test_floatify(void **state)
{
    (void)state;
    json_object *o = gotk_template_floatify(json_tokener_parse("{\"a\":1,\"b\":[2,{\"c\":3}]}"));
    assert_true(json_object_is_type(json_object_object_get(o, "a"), json_type_double));
    json_object *c = json_object_object_get(json_object_array_get_idx(json_object_object_get(o, "b"), 1), "c");
    assert_true(json_object_is_type(c, json_type_double));
    json_object_put(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_and_fields),
        cmocka_unit_test(test_numbers_print_as_go),
        cmocka_unit_test(test_missing_keys),
        cmocka_unit_test(test_range_forms),
        cmocka_unit_test(test_builtin_slice),
        cmocka_unit_test(test_define_template_block),
        cmocka_unit_test(test_redefinition_across_parses),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_exec_errors),
        cmocka_unit_test(test_custom_functions),
        cmocka_unit_test(test_delims),
        cmocka_unit_test(test_sprintf_direct),
        cmocka_unit_test(test_floatify),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_sprig_functions),
        cmocka_unit_test(test_helm_functions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
