/* obj: Go float formatting, JSON in and out, and the value helpers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/obj.h"

static void test_go_float_formats(void **state)
{
    (void)state;
    static const struct {
        double d;
        const char *json, *g;
    } cases[] = {
        {0, "0", "0"},
        {1, "1", "1"},
        {-2.5, "-2.5", "-2.5"},
        {0.1, "0.1", "0.1"},
        {1e-6, "0.000001", "1e-06"},
        {1e-7, "1e-7", "1e-07"},
        {1.5e-10, "1.5e-10", "1.5e-10"},
        {0.0001, "0.0001", "0.0001"},
        {0.00001, "0.00001", "1e-05"},
        {100000, "100000", "100000"},
        {1e6, "1000000", "1e+06"},
        {1234567.5, "1234567.5", "1.2345675e+06"},
        {1e20, "100000000000000000000", "1e+20"},
        {1e21, "1e+21", "1e+21"},
        {1.2345678901234568e+29, "1.2345678901234568e+29", "1.2345678901234568e+29"},
        {3.14159265358979, "3.14159265358979", "3.14159265358979"},
        {0.30000000000000004, "0.30000000000000004", "0.30000000000000004"},
        {1e100, "1e+100", "1e+100"},
        {5e-324, "5e-324", "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308", "1.7976931348623157e+308"},
    };
    char a[32], b[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_string_equal(gotk_go_json_float(cases[i].d, a), cases[i].json);
        assert_string_equal(gotk_go_float_g(cases[i].d, b), cases[i].g);
    }
    assert_string_equal(gotk_go_float_g(-0.0, b), "-0");
    assert_string_equal(gotk_go_float_g(INFINITY, b), "+Inf");
    assert_string_equal(gotk_go_float_g(-INFINITY, b), "-Inf");
    assert_string_equal(gotk_go_float_g(NAN, b), "NaN");
}

static void test_json_roundtrip_go_style(void **state)
{
    (void)state;
    const char *in = "{ \"b\": [1, 2.50, -0.0, 1e300, true, null],\n \"a\": \"<x> & \\u2028 \\b\\u0001\" }";
    json_object *o = NULL;
    assert_null(gotk_json_parse(in, strlen(in), &o));
    char *s = gotk_json_to_string(o);
    assert_string_equal(s, "{\"b\":[1,2.5,-0,1e+300,true,null],"
                           "\"a\":\"\\u003cx\\u003e \\u0026 \\u2028 \\b\\u0001\"}");
    free(s);
    json_object_put(o);
}

static void test_json_big_integers(void **state)
{
    (void)state;
    const char *in = "[9223372036854775807, 18446744073709551615, -9223372036854775808]";
    json_object *o = NULL;
    assert_null(gotk_json_parse(in, strlen(in), &o));
    char *s = gotk_json_to_string(o);
    assert_string_equal(s, "[9223372036854775807,18446744073709551615,-9223372036854775808]");
    free(s);
    json_object_put(o);
}

static void check_json_error(const char *in, const char *want)
{
    json_object *o = NULL;
    gotk_err *e = gotk_json_parse(in, strlen(in), &o);
    assert_non_null(e);
    assert_string_equal(gotk_err_msg(e), want);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_INVALID);
    gotk_err_free(e);
}

static void test_json_errors(void **state)
{
    (void)state;
    check_json_error("{\"a\": 1", "invalid JSON: unexpected end of input");
    check_json_error("{\"a\" 1}", "invalid JSON at offset 5: object property name separator ':' expected");
    check_json_error("{} x", "invalid JSON at offset 3: trailing data");
    check_json_error("", "invalid JSON: unexpected end of input");
}

static json_object *parse(const char *yaml)
{
    json_object *o = NULL;
    gotk_err *e = gotk_yaml_parse_one(yaml, strlen(yaml), NULL, &o);
    assert_null(e);
    return o;
}

static void test_paths(void **state)
{
    (void)state;
    json_object *o = parse("metadata: {name: app, labels: {tier: web}}\nspec: {replicas: 2}\n");
    assert_string_equal(gotk_obj_get_str(o, "metadata.name"), "app");
    assert_string_equal(json_object_get_string(gotk_obj_get(o, "metadata", "labels", "tier", NULL)),
                        "web");
    assert_null(gotk_obj_getp(o, "metadata.name.x"));
    assert_null(gotk_obj_get_str(o, "spec.replicas"));
    assert_null(gotk_obj_get(o, "nope", "x", NULL));
    assert_null(gotk_obj_setp(o, "spec.ref.branch", json_object_new_string("main")));
    assert_string_equal(gotk_obj_get_str(o, "spec.ref.branch"), "main");
    gotk_err *e = gotk_obj_setp(o, "metadata.name.x", json_object_new_int(1));
    assert_non_null(e);
    assert_string_equal(gotk_err_msg(e), "setting metadata.name.x: name is not an object");
    gotk_err_free(e);
    assert_true(gotk_obj_delp(o, "metadata.labels.tier"));
    assert_false(gotk_obj_delp(o, "metadata.labels.tier"));
    assert_true(gotk_obj_delp(o, "spec"));
    char *s = gotk_json_to_string(o);
    assert_string_equal(s, "{\"metadata\":{\"name\":\"app\",\"labels\":{}}}");
    free(s);
    json_object_put(o);
}

static void test_copy_and_equal(void **state)
{
    (void)state;
    json_object *a = parse("{x: 1, y: [1.5, {z: null}], s: str}");
    json_object *b = gotk_obj_copy(a);
    assert_true(gotk_obj_equal(a, b));
    json_object *c = parse("{s: str, y: [1.5, {z: null}], x: 1.0}");
    assert_true(gotk_obj_equal(a, c)); /* key order and 1 vs 1.0 do not matter */
    json_object *d = parse("{s: str, y: [{z: null}, 1.5], x: 1}");
    assert_false(gotk_obj_equal(a, d)); /* list order does */
    json_object *e = parse("{s: str, y: [1.5, {z: 0}], x: 1}");
    assert_false(gotk_obj_equal(a, e));
    char *s = gotk_json_to_string(b);
    assert_string_equal(s, "{\"x\":1,\"y\":[1.5,{\"z\":null}],\"s\":\"str\"}");
    free(s);
    json_object_put(a);
    json_object_put(b);
    json_object_put(c);
    json_object_put(d);
    json_object_put(e);
}

static void test_go_int64_mark(void **state)
{
    (void)state;
    json_object *a = json_object_new_array();
    json_object_array_add(a, gotk_obj_new_go_int64(-7));
    json_object_array_add(a, json_object_new_int64(7));
    json_object *b = gotk_obj_copy(a);
    assert_true(gotk_obj_is_go_int64(json_object_array_get_idx(b, 0)));
    assert_int_equal(json_object_get_int64(json_object_array_get_idx(b, 0)), -7);
    assert_false(gotk_obj_is_go_int64(json_object_array_get_idx(b, 1)));
    char *s = gotk_json_to_string(b);
    assert_string_equal(s, "[-7,7]");
    free(s);
    json_object_put(a);
    json_object_put(b);
}

/* Every key of a map of n keys is found, in order, and one more goes in. */
static void assert_map_of(json_object *m, int n)
{
    char key[32];
    assert_int_equal(json_object_object_length(m), n);
    for (int i = 0; i < n; i++) {
        json_object *v = NULL;
        snprintf(key, sizeof key, "k%d", i);
        assert_true(json_object_object_get_ex(m, key, &v));
        assert_int_equal(json_object_get_int(v), i);
    }
    int i = 0;
    json_object_object_foreach(m, k, v) {
        snprintf(key, sizeof key, "k%d", i++);
        assert_string_equal(k, key);
        (void)v;
    }
    assert_false(json_object_object_get_ex(m, "absent", NULL));
    json_object_object_add(m, "more", json_object_new_int(-1));
    assert_true(json_object_object_get_ex(m, "more", NULL));
    json_object_object_del(m, "more");
}

/* Maps of every size up to past json-c's growth steps, shrunk to fit, copied
 * and made by size: nothing lost (json-c's resize loses entries when it
 * grows the table it moves them into). */
static void test_fitted_maps(void **state)
{
    (void)state;
    char key[32];
    for (int n = 0; n <= 700; n += n < 40 ? 1 : 37) {
        json_object *m = json_object_new_object();
        json_object *sized = gotk_obj_new_map(n);
        for (int i = 0; i < n; i++) {
            snprintf(key, sizeof key, "k%d", i);
            json_object_object_add(m, key, json_object_new_int(i));
            json_object_object_add(sized, key, json_object_new_int(i));
        }
        gotk_obj_fit(m);
        assert_map_of(m, n);
        assert_map_of(sized, n);
        json_object *c = gotk_obj_copy(m);
        assert_map_of(c, n);
        json_object_put(c);
        json_object_put(m);
        json_object_put(sized);
    }
    json_object *a = gotk_obj_new_list(0);
    json_object_array_add(a, json_object_new_int(1));
    gotk_obj_fit(a);
    assert_int_equal(json_object_array_length(a), 1);
    json_object_put(a);
}

static void test_merge_patch(void **state)
{
    (void)state;
    json_object *dst = parse("{a: b, c: {d: e, f: g}, l: [1]}");
    json_object *patch = parse("{a: z, c: {f: null, h: i}, l: [2], n: {o: p}}");
    gotk_obj_merge(dst, patch);
    char *s = gotk_json_to_string(dst);
    assert_string_equal(s, "{\"a\":\"z\",\"c\":{\"d\":\"e\",\"h\":\"i\"},\"l\":[2],\"n\":{\"o\":\"p\"}}");
    free(s);
    s = gotk_json_to_string(patch); /* untouched */
    assert_string_equal(s, "{\"a\":\"z\",\"c\":{\"f\":null,\"h\":\"i\"},\"l\":[2],\"n\":{\"o\":\"p\"}}");
    free(s);
    json_object_put(dst);
    json_object_put(patch);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_go_float_formats),
        cmocka_unit_test(test_json_roundtrip_go_style),
        cmocka_unit_test(test_json_big_integers),
        cmocka_unit_test(test_json_errors),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_copy_and_equal),
        cmocka_unit_test(test_go_int64_mark),
        cmocka_unit_test(test_fitted_maps),
        cmocka_unit_test(test_merge_patch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
