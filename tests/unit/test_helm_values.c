/*
 * helm values: -f merging (mergeMaps), CoalesceTables/MergeTables, and
 * CoalesceValues over a chart with a subchart and globals. Expected values are
 * what the reference helm v3.17.3 renders for the same charts (`toJson
 * .Values` in a parent and a subchart template).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/helm.h"
#include "gotk/obj.h"

static json_object *js(const char *s)
{
    json_object *j = NULL;
    gotk_err *e = gotk_json_parse(s, strlen(s), &j);
    if (e)
        fail_msg("bad JSON in test: %s", gotk_err_msg(e));
    return j;
}

static void assert_json(json_object *got, const char *want)
{
    json_object *w = js(want);
    if (!gotk_obj_equal(got, w))
        fail_msg("got %s, want %s", json_object_to_json_string(got), want);
    json_object_put(w);
}

/* -f a.yaml -f b.yaml: maps merge deeply, anything else replaces. */
static void test_merge_maps(void **state)
{
    (void)state;
    json_object *a = js("{\"x\":{\"a\":1,\"b\":{\"c\":2}},\"l\":[1,2],\"s\":\"keep\"}");
    json_object *b = js("{\"x\":{\"b\":{\"d\":3},\"e\":null},\"l\":[3],\"s\":{\"now\":\"map\"}}");
    json_object *m = gotk_helm_merge_maps(a, b);
    assert_json(m, "{\"x\":{\"a\":1,\"b\":{\"c\":2,\"d\":3},\"e\":null},\"l\":[3],\"s\":{\"now\":\"map\"}}");
    assert_json(a, "{\"x\":{\"a\":1,\"b\":{\"c\":2}},\"l\":[1,2],\"s\":\"keep\"}");
    json_object_put(m);
    json_object_put(a);
    json_object_put(b);
}

/* CoalesceTables: dst wins, a null in dst deletes; MergeTables keeps nulls. */
static void test_coalesce_tables(void **state)
{
    (void)state;
    json_object *dst = js("{\"a\":null,\"b\":{\"c\":null,\"d\":1},\"e\":5,\"t\":{\"x\":1}}");
    json_object *src = js("{\"a\":1,\"b\":{\"c\":2,\"f\":3},\"e\":{\"no\":1},\"t\":7,\"g\":[1]}");
    gotk_helm_coalesce_tables(dst, src, false);
    assert_json(dst, "{\"b\":{\"d\":1,\"f\":3},\"e\":5,\"t\":{\"x\":1},\"g\":[1]}");
    json_object_put(dst);
    dst = js("{\"a\":null,\"b\":{\"c\":null}}");
    gotk_helm_coalesce_tables(dst, src, true);
    assert_json(dst, "{\"a\":null,\"b\":{\"c\":null,\"f\":3},\"e\":{\"no\":1},\"t\":7,\"g\":[1]}");
    json_object_put(dst);
    json_object_put(src);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char *path = gotk_xasprintf("%s/%s", dir, name);
    char *slash = strrchr(path, '/');
    *slash = 0;
    assert_null(gotk_file_mkdir_all(path, 0755));
    *slash = '/';
    assert_null(gotk_file_write_atomic(path, text, strlen(text), 0644));
    free(path);
}

/* A parent with defaults, a subchart with its own, globals both ways, and
 * user values that delete keys with null (YAML 1.1: the key `y` is true). */
static void test_coalesce_chart(void **state)
{
    (void)state;
    char *dir = NULL;
    assert_null(gotk_file_temp_dir("helm-values", &dir));
    write_file(dir, "Chart.yaml", "apiVersion: v2\nname: p\nversion: 0.1.0\n");
    write_file(dir, "values.yaml",
               "a: 1\nb:\n  c: 2\n  d: 3\nsub:\n  x: 1\n  y: null\n  t: [1]\n"
               "global:\n  g: 1\n  m:\n    p: 1\n");
    write_file(dir, "charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
    write_file(dir, "charts/sub/values.yaml",
               "x: 0\ny: 5\nz:\n  k: v\nt:\n  k: v\nglobal:\n  g: 0\n  h: 2\n  m:\n    q: 2\n");
    write_file(dir, "user.yaml", "b:\n  c: null\nsub:\n  z: null\n  y: 7\na: null\nnew: null\n");
    gotk_helm_chart *c = NULL;
    assert_null(gotk_helm_load(dir, &c));
    assert_string_equal(gotk_helm_chart_name(c), "p");
    char *user = gotk_xasprintf("%s/user.yaml", dir);
    const char *files[] = {user, NULL};
    gotk_helm_value_opts o = {.files = files};
    json_object *uv = NULL, *out = NULL;
    assert_null(gotk_helm_user_values(&o, &uv));
    assert_null(gotk_helm_coalesce_values(c, uv, &out));
    assert_json(out, "{\"b\":{\"d\":3},\"global\":{\"g\":1,\"m\":{\"p\":1}},\"new\":null,"
                     "\"sub\":{\"global\":{\"g\":1,\"h\":2,\"m\":{\"p\":1,\"q\":2}},\"t\":[1],"
                     "\"true\":7,\"x\":1}}");
    json_object_put(out);
    json_object_put(uv);
    free(user);
    gotk_helm_chart_free(c);
    assert_null(gotk_file_remove_all(dir));
    free(dir);
}

/* A subchart key that is not a map is Helm's "type mismatch" error. */
static void test_type_mismatch(void **state)
{
    (void)state;
    char *dir = NULL;
    assert_null(gotk_file_temp_dir("helm-values", &dir));
    write_file(dir, "Chart.yaml", "apiVersion: v2\nname: p\nversion: 0.1.0\n");
    write_file(dir, "charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
    gotk_helm_chart *c = NULL;
    assert_null(gotk_helm_load(dir, &c));
    json_object *uv = js("{\"sub\":\"text\"}"), *out = NULL;
    gotk_err *e = gotk_helm_coalesce_values(c, uv, &out);
    assert_non_null(e);
    assert_string_equal(gotk_err_msg(e), "type mismatch on sub: %!t(string=text)");
    gotk_err_free(e);
    json_object_put(uv);
    gotk_helm_chart_free(c);
    assert_null(gotk_file_remove_all(dir));
    free(dir);
}

/* Values flags in Helm's order: files, --set-json, --set, --set-string. */
static void test_user_values_order(void **state)
{
    (void)state;
    const char *sj[] = {"a={\"from\":\"json\",\"n\":1}", NULL};
    const char *set[] = {"a.from=set,b=2", NULL};
    const char *ss[] = {"b=3", NULL};
    gotk_helm_value_opts o = {.set_json = sj, .set = set, .set_string = ss};
    json_object *uv = NULL;
    assert_null(gotk_helm_user_values(&o, &uv));
    assert_json(uv, "{\"a\":{\"from\":\"set\",\"n\":1},\"b\":\"3\"}");
    json_object_put(uv);
    const char *bad[] = {"x", NULL};
    gotk_helm_value_opts ob = {.set = bad};
    gotk_err *e = gotk_helm_user_values(&ob, &uv);
    assert_non_null(e);
    assert_string_equal(gotk_err_msg(e), "failed parsing --set data: key \"x\" has no value");
    gotk_err_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_maps),
        cmocka_unit_test(test_coalesce_tables),
        cmocka_unit_test(test_coalesce_chart),
        cmocka_unit_test(test_type_mismatch),
        cmocka_unit_test(test_user_values_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
