/* template: values of Go named types (gotk_tpl_tag, gotk_template_add_method)
 * with methods and struct fields, and Helm's .Files and .Capabilities built by
 * the helpers the helm module uses. What Helm itself can show is checked
 * against it by tests/template (files_*, capabilities_*, chart_*, semver_object_*);
 * this covers the API: types of our own, options Helm does not set, clones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/template.h"

/* Greeting.Hello name: "hello NAME from GREETER". */
static gotk_err *m_hello(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv,
                         gotk_tpl_val *res, void *ud)
{
    (void)argc, (void)ud;
    json_object *from = json_object_object_get(argv[0].j, "Name");
    char *s = gotk_xasprintf("hello %s from %s", json_object_get_string(argv[1].j),
                             json_object_get_string(from));
    *res = gotk_tpl_string(ex, s, strlen(s));
    free(s);
    return NULL;
}

/* String / Fail: the name in brackets, or an error. */
static gotk_err *m_string(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv,
                          gotk_tpl_val *res, void *ud)
{
    (void)argc;
    if (ud)
        return gotk_err_new(GOTK_E_INVALID, "it failed");
    char *s = gotk_xasprintf("<%s>", json_object_get_string(json_object_object_get(argv[0].j, "Name")));
    *res = gotk_tpl_string(ex, s, strlen(s));
    free(s);
    return NULL;
}

/* Same other: whether both have the same Name. */
static gotk_err *m_same(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv,
                        gotk_tpl_val *res, void *ud)
{
    (void)argc, (void)ud;
    const char *a = json_object_get_string(json_object_object_get(argv[0].j, "Name"));
    const char *b = json_object_get_string(json_object_object_get(argv[1].j, "Name"));
    *res = gotk_tpl_bool(ex, !strcmp(a, b));
    return NULL;
}

/* A struct value of type T named name. */
static json_object *greeter(const char *type, const char *name)
{
    json_object *g = json_object_new_object();
    json_object_object_add(g, "Name", json_object_new_string(name));
    json_object_object_add(g, "Count", json_object_new_int(2));
    gotk_tpl_tag(g, type, true);
    return g;
}

/* Render text with data {"G": *x.Greeter "bob", "V": x.Plain "val", "H": helm
 * objects}; output or "ERR: msg". */
static char *render(const char *text)
{
    gotk_tpl_set *set = gotk_template_new();
    gotk_template_add_helm(set);
    gotk_template_add_method(set, "*x.Greeter", "Hello", "s", m_hello, NULL);
    gotk_template_add_method(set, "x.Greeter", "String", "", m_string, NULL);
    gotk_template_add_method(set, "x.Greeter", "Fail", "", m_string, "fail");
    gotk_template_add_method(set, "*x.Greeter", "Same", "R", m_same, NULL);
    gotk_template_add_method(set, "*x.Plain", "String", "", m_string, NULL);
    json_object *data = json_object_new_object();
    json_object_object_add(data, "G", greeter("*x.Greeter", "bob"));
    json_object_object_add(data, "G2", greeter("*x.Greeter", "bob"));
    json_object_object_add(data, "V", greeter("x.Plain", "val"));
    json_object *files = json_object_new_object();
    json_object_object_add(files, "a/b.txt", json_object_new_string("one\ntwo\n"));
    json_object_object_add(files, "a/c/d.txt", json_object_new_string_len("x\0y", 3));
    json_object_object_add(data, "Files", gotk_tpl_helm_files(files));
    json_object *apis = json_object_new_array();
    json_object_array_add(apis, json_object_new_string("v1"));
    json_object_array_add(apis, json_object_new_string("example.com/v1/Thing"));
    json_object_object_add(data, "Caps", gotk_tpl_helm_capabilities("1.29.3", apis));
    json_object_object_add(data, "Default", gotk_tpl_helm_capabilities(NULL, NULL));
    gotk_buf out = {0};
    gotk_err *e = gotk_template_parse(set, "t", text, strlen(text));
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

static void check(const char *text, const char *want)
{
    char *got = render(text);
    if (strcmp(got, want) != 0)
        print_error("template %s\n  want %s\n  got  %s\n", text, want, got);
    assert_string_equal(got, want);
    free(got);
}

static void test_methods_and_fields(void **state)
{
    (void)state;
    check("{{ .G.Hello \"ann\" }}|{{ \"joe\" | .G.Hello }}|{{ .G.Name }} {{ .G.Count }}",
          "hello ann from bob|hello joe from bob|bob 2");
    check("{{ $g := .G }}{{ $g.Hello \"x\" }} {{ with .G }}{{ .Hello \"y\" }}{{ end }}",
          "hello x from bob hello y from bob");
    check("{{ .G.Same .G2 }} {{ .G.Same .G }} {{ typeOf .G }} {{ kindOf .G }} {{ kindOf .V }}",
          "true true *x.Greeter ptr struct");
    check("{{ .G.Nope }}", "ERR: template: t:1:5: executing \"t\" at <.G.Nope>: can't evaluate "
                           "field Nope in type interface {}");
    check("{{ $g := .G }}{{ $g.Nope }}", "ERR: template: t:1:19: executing \"t\" at <$g.Nope>: "
                                         "can't evaluate field Nope in type *x.Greeter");
    check("{{ .G.Name 1 }}", "ERR: template: t:1:5: executing \"t\" at <.G.Name>: Name has "
                             "arguments but cannot be invoked as function");
    check("{{ .G.Hello }}", "ERR: template: t:1:5: executing \"t\" at <.G.Hello>: wrong number "
                            "of args for Hello: want 1 got 0");
    check("{{ .G.Hello \"a\" \"b\" }}", "ERR: template: t:1:5: executing \"t\" at <.G.Hello>: "
                                        "wrong number of args for Hello: want 1 got 2");
    check("{{ .G.Hello 3 }}", "ERR: template: t:1:12: executing \"t\" at <3>: expected string; "
                              "found 3");
    check("{{ .G.Fail }}", "ERR: template: t:1:5: executing \"t\" at <.G.Fail>: error calling "
                           "Fail: it failed");
    check("{{ .G.Same \"bob\" }}", "ERR: template: t:1:11: executing \"t\" at <\"bob\">: can't "
                                   "handle \"bob\" for arg of type *x.Greeter");
    check("{{ $s := \"bob\" }}{{ .G.Same $s }}",
          "ERR: template: t:1:28: executing \"t\" at <$s>: wrong type for value; expected "
          "*x.Greeter; got string");
}

static void test_printing_uses_string(void **state)
{
    (void)state;
    /* T's String everywhere; *T's String only where Go can take the address */
    check("{{ .G }} {{ print .G }} {{ printf \"%s|%v|%q|%d\" .G .G .G .G }} {{ list .G }}",
          "<bob> <bob> <bob>|<bob>|\"<bob>\"|&{%!d(string=bob) 2} [<bob>]");
    check("{{ .V }} {{ print .V }} {{ printf \"%v\" .V }}", "<val> {val 2} {val 2}");
    check("{{ .G | toString }} {{ .V | toString }}", "<bob> {val 2}");
}

static void test_clone_keeps_methods(void **state)
{
    (void)state;
    check("{{ tpl \"{{ .G.Hello .G.Name }}\" . }}", "hello bob from bob");
}

static void test_files(void **state)
{
    (void)state;
    check("{{ .Files.Get \"a/b.txt\" | quote }} {{ len (.Files.Get \"a/c/d.txt\") }} "
          "{{ .Files.GetBytes \"a/c/d.txt\" }} {{ .Files.Lines \"a/b.txt\" }}",
          "\"one\\ntwo\\n\" 3 [120 0 121] [one two]");
    check("{{ range $k, $_ := .Files.Glob \"a/*\" }}{{ $k }};{{ end }} "
          "{{ range $k, $_ := .Files.Glob \"a/**\" }}{{ $k }};{{ end }} "
          "{{ range $k, $_ := .Files.Glob \"a/[\" }}{{ $k }};{{ end }}",
          "a/b.txt; a/b.txt;a/c/d.txt; a/b.txt;a/c/d.txt;");
    check("{{ (.Files.Glob \"a/*\").AsConfig }}\n{{ .Files.AsSecrets }}",
          "b.txt: |\n  one\n  two\nb.txt: b25lCnR3bwo=\nd.txt: eAB5");
    check("{{ .Files.Get }}", "ERR: template: t:1:9: executing \"t\" at <.Files.Get>: wrong "
                              "number of args for Get: want 1 got 0");
}

static void test_capabilities(void **state)
{
    (void)state;
    check("{{ .Caps.KubeVersion }} {{ .Caps.KubeVersion.Major }}.{{ .Caps.KubeVersion.Minor }} "
          "{{ .Caps.KubeVersion.GitVersion }} {{ .Caps.APIVersions.Has \"example.com/v1/Thing\" }} "
          "{{ .Caps.APIVersions.Has \"apps/v1\" }} {{ len .Caps.APIVersions }}",
          "v1.29.3 1.29 v1.29.3 true false 2");
    check("{{ .Default.KubeVersion }} {{ .Default.APIVersions.Has \"apps/v1\" }} "
          "{{ len .Default.APIVersions }} {{ .Default.HelmVersion.Version }}",
          "v1.32.0 true 56 v3.17.3");
    check("{{ .Caps.KubeVersion.Patch }}",
          "ERR: template: t:1:8: executing \"t\" at <.Caps.KubeVersion.Patch>: can't evaluate "
          "field Patch in type chartutil.KubeVersion");
}

/* Tagging twice replaces the tag; other json types are left alone. */
static void test_tag_edge_cases(void **state)
{
    (void)state;
    json_object *o = json_object_new_object();
    gotk_tpl_tag(o, "a.A", true);
    gotk_tpl_tag(o, "b.B", false);
    json_object *s = json_object_new_string("x");
    gotk_tpl_tag(s, "c.C", true);
    assert_null(json_object_get_userdata(s));
    json_object_put(s);
    json_object_put(o);
    json_object *d = gotk_tpl_helm_default_api_versions();
    assert_string_equal(json_object_get_string(json_object_array_get_idx(d, 0)), "v1");
    json_object_put(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_methods_and_fields),
        cmocka_unit_test(test_printing_uses_string),
        cmocka_unit_test(test_clone_keeps_methods),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_capabilities),
        cmocka_unit_test(test_tag_edge_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
