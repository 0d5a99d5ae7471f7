/* obj: YAML parsing (typing of scalars, anchors, merges, errors) and emitting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/obj.h"

/* Parse `yaml` (one document) and return its compact JSON. */
static char *to_json(const char *yaml)
{
    json_object *doc = NULL;
    gotk_err *e = gotk_yaml_parse_one(yaml, strlen(yaml), "t.yaml", &doc);
    if (e) {
        char *msg = gotk_xasprintf("ERROR %s", gotk_err_msg(e));
        gotk_err_free(e);
        return msg;
    }
    char *s = gotk_json_to_string(doc);
    json_object_put(doc);
    return s;
}

static void check_json(const char *yaml, const char *want)
{
    char *got = to_json(yaml);
    if (strcmp(got, want) != 0)
        print_error("yaml %s\n  want %s\n  got  %s\n", yaml, want, got);
    assert_string_equal(got, want);
    free(got);
}

static void test_scalar_typing(void **state)
{
    (void)state;
    static const char *cases[][2] = {
        {"v: 1", "{\"v\":1}"},
        {"v: \"1\"", "{\"v\":\"1\"}"},
        {"v: '1'", "{\"v\":\"1\"}"},
        {"v: 1.0", "{\"v\":1}"},
        {"v: 1.5", "{\"v\":1.5}"},
        {"v: 1e3", "{\"v\":1000}"},
        {"v: 1e21", "{\"v\":1e+21}"},
        {"v: 0.0000001", "{\"v\":1e-7}"},
        {"v: 0755", "{\"v\":493}"},
        {"v: 08", "{\"v\":8}"},
        {"v: 0x1F", "{\"v\":31}"},
        {"v: 0o17", "{\"v\":15}"},
        {"v: 0b101", "{\"v\":5}"},
        {"v: 1_000", "{\"v\":1000}"},
        {"v: +12", "{\"v\":12}"},
        {"v: -7", "{\"v\":-7}"},
        {"v: .5", "{\"v\":0.5}"},
        {"v: 9223372036854775807", "{\"v\":9223372036854775807}"},
        {"v: 9223372036854775808", "{\"v\":9223372036854775808}"},
        {"v: 123456789012345678901234567890", "{\"v\":1.2345678901234568e+29}"},
        {"v: yes", "{\"v\":\"yes\"}"},
        {"v: on", "{\"v\":\"on\"}"},
        {"v: y", "{\"v\":\"y\"}"},
        {"v: true", "{\"v\":true}"},
        {"v: False", "{\"v\":false}"},
        {"v: null", "{\"v\":null}"},
        {"v: ~", "{\"v\":null}"},
        {"v:", "{\"v\":null}"},
        {"v: \"\"", "{\"v\":\"\"}"},
        {"v: 2001-12-14", "{\"v\":\"2001-12-14T00:00:00Z\"}"},
        {"v: 2001-12-14t21:59:43.10-05:00", "{\"v\":\"2001-12-14T21:59:43.1-05:00\"}"},
        {"v: 2001-12-14 21:59:43.10", "{\"v\":\"2001-12-14T21:59:43.1Z\"}"},
        {"v: 2002-02-30", "{\"v\":\"2002-02-30\"}"},
        {"v: 1:20", "{\"v\":\"1:20\"}"},
        {"v: !!str 12", "{\"v\":\"12\"}"},
        {"v: !!float 1", "{\"v\":1}"},
        {"v: !!int \"0x10\"", "{\"v\":16}"},
        {"v: |\n  a\n  b\n", "{\"v\":\"a\\nb\\n\"}"},
        {"v: >-\n  a\n  b\n", "{\"v\":\"a b\"}"},
        {"v: \"<&>\"", "{\"v\":\"\\u003c\\u0026\\u003e\"}"},
        {"v: héllo ✓", "{\"v\":\"héllo ✓\"}"},
        {"{b: 1, a: [x, {c: d}]}", "{\"b\":1,\"a\":[\"x\",{\"c\":\"d\"}]}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_json(cases[i][0], cases[i][1]);
}

static void test_anchors_and_merge(void **state)
{
    (void)state;
    check_json("a: &x {p: 1, q: 2}\nb: *x\n",
               "{\"a\":{\"p\":1,\"q\":2},\"b\":{\"p\":1,\"q\":2}}");
    check_json("base: &b {p: 1, q: 2}\nm:\n  q: 9\n  <<: *b\n",
               "{\"base\":{\"p\":1,\"q\":2},\"m\":{\"q\":9,\"p\":1}}");
    check_json("a: &x {p: 1}\nb: &y {p: 2, r: 3}\nm:\n  <<: [*x, *y]\n",
               "{\"a\":{\"p\":1},\"b\":{\"p\":2,\"r\":3},\"m\":{\"p\":1,\"r\":3}}");
}

static void test_multi_document_stream(void **state)
{
    (void)state;
    const char *in = "# only a comment\n---\na: 1\n---\n---\n# empty\n---\nb: 2\n...\n";
    json_object *docs = NULL;
    assert_null(gotk_yaml_parse(in, strlen(in), "s.yaml", &docs));
    assert_int_equal(json_object_array_length(docs), 2);
    char *s = gotk_json_to_string(docs);
    assert_string_equal(s, "[{\"a\":1},{\"b\":2}]");
    free(s);
    json_object_put(docs);
}

static void check_error(const char *yaml, const char *want)
{
    char *got = to_json(yaml);
    if (strcmp(got, want) != 0)
        print_error("yaml %s\n  want %s\n  got  %s\n", yaml, want, got);
    assert_string_equal(got, want);
    free(got);
}

static void test_errors_name_file_line_column(void **state)
{
    (void)state;
    check_error("a: 1\nb: 2\na: 3\n",
                "ERROR t.yaml:3:1: mapping key \"a\" already defined at line 1");
    check_error("a: b: c\n", "ERROR t.yaml:1:5: mapping values are not allowed in this context");
    check_error("a:\n\tb: 1\n",
                "ERROR t.yaml:2:1: found a tab character where indentation or a token was "
                "expected (YAML indents with spaces) (while scanning for the next token at line 2)");
    check_error("a: \"open\nb: 2\n",
                "ERROR t.yaml:3:1: found unexpected end of stream (while scanning a quoted "
                "scalar at line 1)");
    check_error("a: [1, 2\n",
                "ERROR t.yaml:2:1: did not find expected ',' or ']' (while parsing a flow "
                "sequence at line 1)");
    check_error("a:\n  b: 1\n c: 2\n",
                "ERROR t.yaml:3:2: did not find expected key (while parsing a block mapping "
                "at line 1)");
    check_error("a: *nope\n", "ERROR t.yaml:1:4: unknown anchor 'nope' referenced");
    check_error("a: 1\n---\nb: 2\n", "ERROR t.yaml: expected one YAML document, found 2");
    check_error("? [a]\n: 1\n", "ERROR t.yaml:1:3: only scalar mapping keys are supported");
    check_error("v: !!int abc\n", "ERROR t.yaml:1:4: cannot decode abc with the tag it has");
}

static void test_alias_bomb_is_refused(void **state)
{
    (void)state;
    gotk_buf b = {0};
    gotk_buf_puts(&b, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 12; i++)
        gotk_buf_printf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n",
                        i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
    char *got = to_json(b.data);
    assert_non_null(strstr(got, "document contains excessive aliasing"));
    free(got);
    gotk_buf_free(&b);
}

static void test_deep_nesting_is_refused(void **state)
{
    (void)state;
    gotk_buf b = {0};
    for (int i = 0; i < 600; i++)
        gotk_buf_putc(&b, '[');
    char *got = to_json(b.data);
    assert_non_null(strstr(got, "nested too deeply"));
    free(got);
    gotk_buf_free(&b);
}

/* Parse `yaml`, emit with sorted keys, compare. */
static void check_roundtrip(const char *yaml, const char *want)
{
    json_object *doc = NULL;
    assert_null(gotk_yaml_parse_one(yaml, strlen(yaml), "t.yaml", &doc));
    char *got = gotk_yaml_to_string(doc, GOTK_YAML_SORT_KEYS);
    if (strcmp(got, want) != 0)
        print_error("yaml %s\n  want %s\n  got  %s\n", yaml, want, got);
    assert_string_equal(got, want);
    free(got);
    json_object_put(doc);
}

static void test_emit_like_kustomize(void **state)
{
    (void)state;
    check_roundtrip("b: 1\na: [x, {d: 1, c: 2}]\n", "a:\n- x\n- c: 2\n  d: 1\nb: 1\n");
    check_roundtrip("a10: 1\na2: 1\nB: 1\n_x: 1\n", "_x: 1\nB: 1\na2: 1\na10: 1\n");
    check_roundtrip("\"y\": \"yes\"\nn: \"on\"\nt: \"true\"\nnum: \"12\"\n",
                    "\"n\": \"on\"\nnum: \"12\"\nt: \"true\"\n\"y\": \"yes\"\n");
    check_roundtrip("s: \"a\\nb\\n\"\nt: \"a\\nb\"\nu: \"  a\\nb\"\n",
                    "s: |\n  a\n  b\nt: |-\n  a\n  b\nu: |2-\n    a\n  b\n");
    check_roundtrip("f: 1234567.5\ng: 1.0\nh: 0.000001\ni: 1e20\n",
                    "f: 1.2345675e+06\ng: 1\nh: 1e-06\ni: 1e+20\n");
    check_roundtrip("e: {}\nl: []\nn: ~\n", "e: {}\nl: []\n\"n\": null\n");
    check_roundtrip("k: 'a: b'\nt: \"a\\tb\"\nc: '#x'\nq: \"'\"\n",
                    "c: '#x'\nk: 'a: b'\nq: ''''\nt: \"a\\tb\"\n");
    /* plain scalars fold at a space past column 80 (checked with kubectl kustomize) */
    check_roundtrip("d:\n  l: aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg hh\n",
                    "d:\n  l: aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg\n    hh\n");
    check_roundtrip("l: aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg hh\n",
                    "l: aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg hh\n");
    check_roundtrip("t: 2001-12-14\nb60: \"1:20\"\n", "b60: \"1:20\"\nt: \"2001-12-14T00:00:00Z\"\n");
}

/* Where kustomize's pipeline changes values, checked against kubectl kustomize. */
static void test_kustomize_quirks(void **state)
{
    (void)state;
    /* go-yaml v3's folded writer adds a blank line before a more-indented line */
    check_json("v: >\n  para\n  one\n\n  Second\n    indented\n  back\n",
               "{\"v\":\"para one\\nSecond\\n\\n  indented\\nback\\n\"}");
    /* an empty value in a flow collection is re-emitted as '' */
    check_json("v: {k: , j: 1}\nw: [a: ]\nb:\n  k:\n",
               "{\"v\":{\"k\":\"\",\"j\":1},\"w\":[{\"a\":\"\"}],\"b\":{\"k\":null}}");
    /* the non-specific tag resolves like none */
    check_json("v: ! 789\n", "{\"v\":789}");
    /* a quoted merge key is lost with its value */
    check_json("v:\n  \"<<\": {m: 1}\n  k: 1\n", "{\"v\":{\"k\":1}}");
    check_error("v:\n  <<: x\n",
                "ERROR t.yaml:2:3: map merge requires map or sequence of maps as the value");
    /* a BOM at the start makes go-yaml v2 escape every character */
    check_roundtrip("b: \"\\ufeffbo m\"\nc: \"x\\ufeffy\"\n",
                    "b: \"\\uFEFF\\x62\\x6F\\x20\\x6D\"\nc: \"x\\uFEFFy\"\n");
    /* NEL comes back from Go's JSON folded into a space */
    check_roundtrip("n: \"a \\u0085 b\"\n", "\"n\": a b\n");
    /* keep-chomped block scalars: no "..." end marker */
    check_roundtrip("k: \"a\\n\\n\"\n", "k: |+\n  a\n\n");
    /* emoji are not letters, so they sort before letters */
    check_roundtrip("b: 1\n\"\\U0001F600\": 2\n", "\"\\U0001F600\": 2\nb: 1\n");
}

/* How kustomize's reader splits a stream, and what it refuses. */
static void test_stream_like_kyaml(void **state)
{
    (void)state;
    json_object *docs = NULL;
    const char *in = "a: 1\r\n...\r\nignored: after document end\r\n--- # next\r\nb: 2\r\n";
    assert_null(gotk_yaml_parse(in, strlen(in), "s.yaml", &docs));
    char *s = gotk_json_to_string(docs);
    assert_string_equal(s, "[{\"a\":1},{\"b\":2}]");
    free(s);
    json_object_put(docs);
    check_error("a: 1\n--- b: 2\n", "ERROR t.yaml:2: invalid document separator: --- b: 2");
    /* positions count lines of the whole stream */
    check_error("a: 1\n---\n\nb: 1\nb: 2\n",
                "ERROR t.yaml:5:1: mapping key \"b\" already defined at line 4");
    check_error("a: \"x\\/y\"\n",
                "ERROR t.yaml:1:4: found unknown escape character while parsing a quoted scalar");
    check_error("a: \"x\\u007fy\"\n", "ERROR t.yaml:1:4: control characters are not allowed");
    check_error("a: \"x\\u0080y\"\n", "ERROR t.yaml:1:4: control characters are not allowed");
    check_error("a: 1\nb: x\x01y\n", "ERROR t.yaml:2:5: control characters are not allowed");
    check_error("a: 1\nb: \xff\n", "ERROR t.yaml:2:4: invalid leading UTF-8 octet");
    check_json("a: \"x\\u0085y\"\n", "{\"a\":\"x\xc2\x85y\"}"); /* NEL is fine */
    check_json("b: !!binary aGVsbG8g\n  d29ybGQ=\n", "{\"b\":\"hello world\"}");
    check_error("b: !!binary '!!!'\n", "ERROR t.yaml:1:4: !!binary value contains invalid base64 data");
}

static void test_emit_keeps_order_unless_sorting(void **state)
{
    (void)state;
    json_object *doc = NULL;
    /* "n" is a YAML 1.1 boolean to go-yaml v2, so it is quoted */
    const char *in = "kind: X\napiVersion: v1\nmetadata: {name: n}\n";
    assert_null(gotk_yaml_parse_one(in, strlen(in), NULL, &doc));
    char *s = gotk_yaml_to_string(doc, 0);
    assert_string_equal(s, "kind: X\napiVersion: v1\nmetadata:\n  name: \"n\"\n");
    free(s);
    json_object_put(doc);
}

static void test_emit_stream_separators(void **state)
{
    (void)state;
    json_object *docs = NULL;
    const char *in = "a: 1\n---\nb: 2\n";
    assert_null(gotk_yaml_parse(in, strlen(in), NULL, &docs));
    gotk_buf b = {0};
    assert_null(gotk_yaml_emit_stream(docs, GOTK_YAML_SORT_KEYS, &b));
    assert_string_equal(b.data, "a: 1\n---\nb: 2\n");
    gotk_buf_free(&b);
    json_object_put(docs);
}

static void test_emit_rejects_invalid_utf8(void **state)
{
    (void)state;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "k", json_object_new_string("\xff\xfe"));
    gotk_buf b = {0};
    gotk_err *e = gotk_yaml_emit(o, 0, &b);
    assert_non_null(e);
    assert_string_equal(gotk_err_msg(e), "emitting YAML: a string is not valid UTF-8");
    gotk_err_free(e);
    gotk_buf_free(&b);
    json_object_put(o);
}

static void test_parse_file_missing(void **state)
{
    (void)state;
    json_object *docs = NULL;
    gotk_err *e = gotk_yaml_parse_file("/nonexistent/x.yaml", &docs);
    assert_non_null(e);
    assert_non_null(strstr(gotk_err_msg(e), "/nonexistent/x.yaml"));
    gotk_err_free(e);
}

/* GOTK_YAML_PARSE_FIRST_KEY: a repeated key keeps its first value (kustomize's
 * patches), nested too; other errors stay errors. */
static void test_parse_first_key(void **state)
{
    (void)state;
    const char *in = "a: 1\nb: {x: first, x: second}\na: 2\n---\nc: [1]\nc: [2]\n";
    json_object *docs = NULL;
    assert_null(gotk_yaml_parse_flags(in, strlen(in), "p.yaml", GOTK_YAML_PARSE_FIRST_KEY, &docs));
    char *s = gotk_json_to_string(docs);
    assert_string_equal(s, "[{\"a\":1,\"b\":{\"x\":\"first\"}},{\"c\":[1]}]");
    free(s);
    json_object_put(docs);
    docs = NULL;
    gotk_err *e = gotk_yaml_parse_flags("a: [1\n", 6, "p.yaml", GOTK_YAML_PARSE_FIRST_KEY, &docs);
    assert_non_null(e);
    assert_null(docs);
    gotk_err_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalar_typing),
        cmocka_unit_test(test_anchors_and_merge),
        cmocka_unit_test(test_multi_document_stream),
        cmocka_unit_test(test_errors_name_file_line_column),
        cmocka_unit_test(test_alias_bomb_is_refused),
        cmocka_unit_test(test_deep_nesting_is_refused),
        cmocka_unit_test(test_emit_like_kustomize),
        cmocka_unit_test(test_kustomize_quirks),
        cmocka_unit_test(test_stream_like_kyaml),
        cmocka_unit_test(test_emit_keeps_order_unless_sorting),
        cmocka_unit_test(test_emit_stream_separators),
        cmocka_unit_test(test_emit_rejects_invalid_utf8),
        cmocka_unit_test(test_parse_file_missing),
        cmocka_unit_test(test_parse_first_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
