/* obj: GOTK_YAML_PARSE_SIGS, YAML read as sigs.k8s.io/yaml.Unmarshal reads it
 * (go-yaml v2's YAML 1.1 typing, then JSON): bools, octal, non-string keys,
 * floats, timestamps, merges, and its error texts. The same inputs are checked
 * against the real Helm by tests/template/cases/fromyaml_sigs_*.tpl. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/obj.h"

/* Parse with flags; compact JSON of the documents, or "ERROR msg". */
static char *parse_json(const char *yaml, const char *source, unsigned flags)
{
    json_object *docs = NULL;
    gotk_err *e = gotk_yaml_parse_flags(yaml, strlen(yaml), source, flags, &docs);
    if (e) {
        char *msg = gotk_xasprintf("ERROR %s", gotk_err_msg(e));
        gotk_err_free(e);
        return msg;
    }
    char *s = gotk_json_to_string(docs);
    json_object_put(docs);
    return s;
}

/* SIGS mode. */
static char *sigs_json(const char *yaml, const char *source)
{
    return parse_json(yaml, source, GOTK_YAML_PARSE_SIGS);
}

static void check(const char *yaml, const char *want)
{
    char *got = sigs_json(yaml, NULL);
    if (strcmp(got, want) != 0)
        print_error("yaml %s\n  want %s\n  got  %s\n", yaml, want, got);
    assert_string_equal(got, want);
    free(got);
}

static void test_yaml11_bools(void **state)
{
    (void)state;
    check("a: yes\nb: no\nc: on\nd: off\ne: y\nf: n\ng: True\nh: NO\ni: Off\nj: Y",
          "[{\"a\":true,\"b\":false,\"c\":true,\"d\":false,\"e\":true,\"f\":false,\"g\":true,"
          "\"h\":false,\"i\":false,\"j\":true}]");
    check("a: 'yes'\nb: \"on\"\nc: !!str off\nd: yess\ne: |\n  yes\n",
          "[{\"a\":\"yes\",\"b\":\"on\",\"c\":\"off\",\"d\":\"yess\",\"e\":\"yes\\n\"}]");
}

static void test_numbers_are_float64(void **state)
{
    (void)state;
    check("a: 0777\nb: 0o17\nc: 0x1F\nd: 1_000\ne: 1e3\nf: 1.5\ng: -0b101\nh: 08\nk: +12\nl: .5",
          "[{\"a\":511,\"b\":15,\"c\":31,\"d\":1000,\"e\":1000,\"f\":1.5,\"g\":-5,\"h\":8,"
          "\"k\":12,\"l\":0.5}]");
    /* above 2^53 the float64 rounds, as Go's JSON decoding does */
    check("i: 9223372036854775808\nj: 12345678901234567891", "[{\"i\":9223372036854776000,\"j\":12345678901234567000}]");
    check("a: 1:20\nb: 1.2.3\nc: 0x\nd: 1e", "[{\"a\":\"1:20\",\"b\":\"1.2.3\",\"c\":\"0x\",\"d\":\"1e\"}]");
    /* every number is a json double (float64), none an int */
    json_object *docs = NULL;
    assert_null(gotk_yaml_parse_flags("x: 3", 4, NULL, GOTK_YAML_PARSE_SIGS, &docs));
    json_object *n = json_object_object_get(json_object_array_get_idx(docs, 0), "x");
    assert_true(json_object_is_type(n, json_type_double));
    json_object_put(docs);
}

static void test_keys_become_strings(void **state)
{
    (void)state;
    check("1: a\n1.5: b\n0.1: c\n1e3: d\n1e7: e\ntrue: f\nyes: g\n0x10: h\n-3: i\n"
          "3.14159265358979: j\n.inf: l\n-.inf: m\n1e-7: n",
          "[{\"1\":\"a\",\"1.5\":\"b\",\"0.1\":\"c\",\"1000\":\"d\",\"1e+07\":\"e\","
          "\"true\":\"g\",\"16\":\"h\",\"-3\":\"i\",\"3.1415927\":\"j\",\".inf\":\"l\","
          "\"-.inf\":\"m\",\"1e-07\":false}]"); /* n: false */
    check("'1': q\n\"on\": r", "[{\"1\":\"q\",\"on\":\"r\"}]");
}

static void test_timestamps_nulls_merges(void **state)
{
    (void)state;
    check("a: 2001-12-14\nb: 2001-12-14t21:59:43.10-05:00\nc: ~\nd: null\ne:\nf: [~, null]",
          "[{\"a\":\"2001-12-14\",\"b\":\"2001-12-14t21:59:43.10-05:00\",\"c\":null,"
          "\"d\":null,\"e\":null,\"f\":[null,null]}]");
    check("a: 1\na: 2", "[{\"a\":2}]"); /* the last one wins */
    check("b: &x {k: v, j: w}\nc:\n  <<: *x\n  k: own\n\"<<\": q",
          "[{\"b\":{\"k\":\"v\",\"j\":\"w\"},\"c\":{\"k\":\"own\",\"j\":\"w\"},\"\\u003c\\u003c\":\"q\"}]");
    /* folded scalars as the spec says (no kustomize refold), first document only */
    check("a: >\n  one\n  two\n---\nb: 2\n---\n: : :", "[{\"a\":\"one two\\n\"}]");
    check("", "[]");
    check("# comment only\n", "[]");
}

static void test_errors(void **state)
{
    (void)state;
    check("a: b: c", "ERROR error converting YAML to JSON: yaml: mapping values are not "
                     "allowed in this context");
    check("x: 1\ny: 2\n  z: 3", "ERROR error converting YAML to JSON: yaml: line 3: mapping "
                                "values are not allowed in this context");
    check("a:\n  - b\n c: d", "ERROR error converting YAML to JSON: yaml: line 2: did not "
                              "find expected key");
    check("a: 'x", "ERROR error converting YAML to JSON: yaml: found unexpected end of stream");
    check("a: *nope", "ERROR error converting YAML to JSON: yaml: unknown anchor 'nope' referenced");
    check("a: \"\\/\"", "ERROR error converting YAML to JSON: yaml: found unknown escape character");
    check("a: .inf", "ERROR error converting YAML to JSON: json: unsupported value: +Inf");
    check("a: .nan", "ERROR error converting YAML to JSON: json: unsupported value: NaN");
    check("~: x", "ERROR error converting YAML to JSON: unsupported map key of type: "
                  "%!s(<nil>), key: <nil>, value: \"x\"");
    check("null: 1.5", "ERROR error converting YAML to JSON: unsupported map key of type: "
                       "%!s(<nil>), key: <nil>, value: 1.5");
    check("18446744073709551615: x", "ERROR error converting YAML to JSON: unsupported map key "
                                     "of type: uint64, key: 0xffffffffffffffff, value: \"x\"");
    /* a YAML error anywhere wins over a bad key, as the conversion runs after parsing */
    check("~: x\nb: [", "ERROR error converting YAML to JSON: yaml: line 2: did not find "
                        "expected node content");
    char *got = sigs_json("a: b: c", "values.yaml");
    assert_string_equal(got, "ERROR values.yaml: error converting YAML to JSON: yaml: mapping "
                             "values are not allowed in this context");
    free(got);
}

/* Flags 0 is gotk_yaml_parse: YAML 1.2 words stay strings, ints stay ints. */
/* GOTK_YAML_PARSE_STRICT: go-yaml v2's UnmarshalStrict lists every repeated
 * key with its value's line; without it the last value wins. */
static void test_strict_repeated_keys(void **state)
{
    (void)state;
    const char *y = "a: 1\nb:\n  c: 1\n  c:\n  - 2\na: 3\n";
    json_object *docs = NULL;
    gotk_err *e = gotk_yaml_parse_flags(y, strlen(y), "f.yaml",
                                        GOTK_YAML_PARSE_SIGS | GOTK_YAML_PARSE_STRICT, &docs);
    assert_non_null(e);
    assert_string_equal(gotk_err_msg(e), "f.yaml: error converting YAML to JSON: yaml: unmarshal "
                                         "errors:\n  line 5: key \"c\" already set in map\n"
                                         "  line 6: key \"a\" already set in map");
    gotk_err_free(e);
    check(y, "[{\"a\":3,\"b\":{\"c\":[2]}}]");
    assert_null(gotk_yaml_parse_flags("a: 1\nb: 2", 8, NULL,
                                      GOTK_YAML_PARSE_SIGS | GOTK_YAML_PARSE_STRICT, &docs));
    json_object_put(docs);
}

static void test_default_mode_unchanged(void **state)
{
    (void)state;
    json_object *docs = NULL;
    assert_null(gotk_yaml_parse_flags("a: yes\nb: 0777\n", 15, NULL, 0, &docs));
    char *s = gotk_json_to_string(docs);
    assert_string_equal(s, "[{\"a\":\"yes\",\"b\":511}]");
    assert_true(json_object_is_type(json_object_object_get(json_object_array_get_idx(docs, 0), "b"),
                                    json_type_int));
    free(s);
    json_object_put(docs);
}

/* GOTK_YAML_PARSE_HEAD: a SIGS parse keeping apiVersion, kind and metadata. */
static char *head_json(const char *yaml)
{
    return parse_json(yaml, NULL, GOTK_YAML_PARSE_SIGS | GOTK_YAML_PARSE_HEAD);
}

static void test_head_mode(void **state)
{
    (void)state;
    char *got = head_json("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
                          "  annotations: {a: b}\ndata:\n  k: v\nspec: [1, {a: 2}]\n");
    assert_string_equal(got, "[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                             "\"metadata\":{\"name\":\"x\",\"annotations\":{\"a\":\"b\"}}}]");
    free(got);
    /* what is not built fails as the full parse does; anchors, aliases, merges
     * and keys JSON cannot hold make it parse everything */
    static const char *const same[] = {
        "kind: A\nspec:\n  x: .inf\n",
        "kind: A\nspec:\n  a: b\n c: d\n",
        "kind: A\nspec: !!int abc\n",
        "kind: A\nspec:\n  x: !!binary '%%%'\n",
        "kind: A\nspec:\n  - &a 1\n  - *b\n",
        "kind: A\nspec:\n  ? [a]\n  : 2\n",
        "kind: A\nspec: \"a\\/b\"\n",
        "kind: A\nspec:\n  ~: 1\n",
        "kind: A\nspec: &s {a: 1}\nmetadata: *s\n",
        "kind: A\nspec:\n  <<: {b: 1}\n  c: 2\n",
        "- kind: A\n",
    };
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
        char *h = head_json(same[i]), *full = sigs_json(same[i], NULL);
        if (strcmp(h, full))
            print_error("yaml %s\n  full %s\n  head %s\n", same[i], full, h);
        assert_string_equal(h, full);
        assert_int_equal(!strncmp(h, "ERROR ", 6), i < 8);
        free(h);
        free(full);
    }
    got = head_json(same[8]);
    assert_string_equal(got, "[{\"kind\":\"A\",\"spec\":{\"a\":1},\"metadata\":{\"a\":1}}]");
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yaml11_bools),
        cmocka_unit_test(test_numbers_are_float64),
        cmocka_unit_test(test_keys_become_strings),
        cmocka_unit_test(test_timestamps_nulls_merges),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_strict_repeated_keys),
        cmocka_unit_test(test_default_mode_unchanged),
        cmocka_unit_test(test_head_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
