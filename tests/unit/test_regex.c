/*
 * regex: Go (RE2) syntax on PCRE2. The expected values in the tables below are what
 * Go's regexp package returns for the same input (regexp.Compile's error text,
 * FindStringSubmatchIndex, ExpandString, ReplaceAllString), recorded by running Go;
 * the ImagePolicy cases are image-reflector-controller's tag filter behaviour.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/regex.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct { const char *pattern; const char *error; } bad_patterns[] = {
    {"a\\1",
     "error parsing regexp: invalid escape sequence: `\\1`"},
    {"(a)\\1",
     "error parsing regexp: invalid escape sequence: `\\1`"},
    {"\\8",
     "error parsing regexp: invalid escape sequence: `\\8`"},
    {"(\?=a)",
     "error parsing regexp: invalid or unsupported Perl syntax: `(\?=`"},
    {"(\?!a)",
     "error parsing regexp: invalid or unsupported Perl syntax: `(\?!`"},
    {"(\?>a)",
     "error parsing regexp: invalid or unsupported Perl syntax: `(\?>`"},
    {"a*+",
     "error parsing regexp: invalid nested repetition operator: `*+`"},
    {"a++",
     "error parsing regexp: invalid nested repetition operator: `++`"},
    {"a**",
     "error parsing regexp: invalid nested repetition operator: `**`"},
    {"a\?*",
     "error parsing regexp: invalid nested repetition operator: `\?*`"},
    {"a{2}{3}",
     "error parsing regexp: invalid nested repetition operator: `{2}{3}`"},
    {"\\Z",
     "error parsing regexp: invalid escape sequence: `\\Z`"},
    {"\\G",
     "error parsing regexp: invalid escape sequence: `\\G`"},
    {"\\K",
     "error parsing regexp: invalid escape sequence: `\\K`"},
    {"\\C",
     "error parsing regexp: invalid escape sequence: `\\C`"},
    {"\\e",
     "error parsing regexp: invalid escape sequence: `\\e`"},
    {"\\k<a>",
     "error parsing regexp: invalid escape sequence: `\\k`"},
    {"(\?P=name)",
     "error parsing regexp: invalid or unsupported Perl syntax: `(\?P`"},
    {"(\?#c)",
     "error parsing regexp: invalid or unsupported Perl syntax: `(\?#`"},
    {"(\?|a)",
     "error parsing regexp: invalid or unsupported Perl syntax: `(\?|`"},
    {"(*UTF)a",
     "error parsing regexp: missing argument to repetition operator: `*`"},
    {"(\?x)a",
     "error parsing regexp: invalid or unsupported Perl syntax: `(\?x`"},
    {"(\?i",
     "error parsing regexp: invalid or unsupported Perl syntax: `(\?i`"},
    {"(\?-)",
     "error parsing regexp: invalid or unsupported Perl syntax: `(\?-)`"},
    {"(\?--i)",
     "error parsing regexp: invalid or unsupported Perl syntax: `(\?--`"},
    {"(\?P<>a)",
     "error parsing regexp: invalid named capture: `(\?P<>`"},
    {"(\?P<a-b>a)",
     "error parsing regexp: invalid named capture: `(\?P<a-b>`"},
    {"(\?P<name",
     "error parsing regexp: invalid named capture: `(\?P<name`"},
    {"(a",
     "error parsing regexp: missing closing ): `(a`"},
    {"a)",
     "error parsing regexp: unexpected ): `a)`"},
    {"[a",
     "error parsing regexp: missing closing ]: `[a`"},
    {"[]",
     "error parsing regexp: missing closing ]: `[]`"},
    {"[z-a]",
     "error parsing regexp: invalid character class range: `z-a`"},
    {"[a-\\d]",
     "error parsing regexp: invalid escape sequence: `\\d`"},
    {"[[:foo:]]",
     "error parsing regexp: invalid character class range: `[:foo:]`"},
    {"\\p",
     "error parsing regexp: invalid character class range: `\\p`"},
    {"\\pX",
     "error parsing regexp: invalid character class range: `\\pX`"},
    {"\\p{Foo}",
     "error parsing regexp: invalid character class range: `\\p{Foo}`"},
    {"\\p{greek}",
     "error parsing regexp: invalid character class range: `\\p{greek}`"},
    {"\\p{Greek",
     "error parsing regexp: invalid character class range: `\\p{Greek`"},
    {"\\x",
     "error parsing regexp: invalid escape sequence: `\\x`"},
    {"\\xZ",
     "error parsing regexp: invalid escape sequence: `\\xZ`"},
    {"\\x{}",
     "error parsing regexp: invalid escape sequence: `\\x{}`"},
    {"\\x{110000}",
     "error parsing regexp: invalid escape sequence: `\\x{110000`"},
    {"a\\",
     "error parsing regexp: trailing backslash at end of expression: ``"},
    {"[a\\",
     "error parsing regexp: trailing backslash at end of expression: ``"},
    {"\\q",
     "error parsing regexp: invalid escape sequence: `\\q`"},
    {"a{1001}",
     "error parsing regexp: invalid repeat count: `{1001}`"},
    {"a{2,1}",
     "error parsing regexp: invalid repeat count: `{2,1}`"},
    {"(a{500}){3}",
     "error parsing regexp: invalid repeat count: `{3}`"},
    {"*",
     "error parsing regexp: missing argument to repetition operator: `*`"},
    {"+a",
     "error parsing regexp: missing argument to repetition operator: `+`"},
    {"(*)",
     "error parsing regexp: missing argument to repetition operator: `*`"},
    {"|*",
     "error parsing regexp: missing argument to repetition operator: `*`"},
};

static const struct { const char *pattern; const char *subject; int n; int spans[8]; } finds[] = {
    {"^RELEASE\\.(\?P<timestamp>.*)Z$", "RELEASE.2023-01-01T00-00-00Z", 2, {0, 28, 8, 27}},
    {"(\?P<1x>a)(b)\?", "xab", 3, {1, 3, 1, 2, 2, 3}},
    {"a{,5}", "a{,5}", 1, {0, 5}},
    {"a{01}", "a{01}", 1, {0, 5}},
    {"^*a", "a", 1, {0, 1}},
    {"\\b+x", "a x", 1, {2, 3}},
    {"(\?U)a+", "aaa", 1, {0, 1}},
    {"(\?U)a+\?", "aaa", 1, {0, 3}},
    {"(\?i)stra\xc3\x9f" "e", "STRASSE stra\xc3\x9f" "e STRA\xc3\x9f" "E", 1, {8, 15}},
    {"(\?i)k", "\xe2\x84\xaa", 1, {0, 3}},
    {"(\?s)a.b", "a\x0a" "b", 1, {0, 3}},
    {"a.b", "a\x0a" "b", -1, {0}},
    {"(\?m)^b$", "a\x0a" "b\x0a" "c", 1, {2, 3}},
    {"a$", "a\x0a", -1, {0}},
    {"a\\z", "xa", 1, {1, 2}},
    {"\\pL+", "12h\xc3\xa9llo3", 1, {2, 8}},
    {"\\p{Greek}+", "abc \xce\xb1\xce\xb2\xce\xb3", 1, {4, 10}},
    {"\\PL+", "ab12cd", 1, {2, 4}},
    {"[\\p{^L}]+", "ab12cd", 1, {2, 4}},
    {"\\s+", "a\x0b\x09\x0a b", 1, {2, 5}},
    {"[^\\S]+", "a\x0b\x09 b", 1, {2, 4}},
    {"\\d+", "x\xd9\xa1\xd9\xa2" "34", 1, {5, 7}},
    {"\\w+", "h\xc3\xa9llo", 1, {0, 1}},
    {"[[:alpha:]]+", "12abC3", 1, {2, 5}},
    {"[[:^digit:]]+", "12ab3", 1, {2, 4}},
    {"[]a]+", "x]a]", 1, {1, 4}},
    {"[\\d-z]+", "a-z9", 1, {1, 4}},
    {"\\Q.*\\E+", "a.**", 1, {1, 4}},
    {"\\x41\\x{42}\\103", "ABC", 1, {0, 3}},
    {"(a|ab)(c|bcd)(d*)", "abcd", 4, {0, 4, 0, 1, 1, 4, 4, 4}},
    {"(a*)+", "b", 2, {0, 0, 0, 0}},
    {"(a+)|(b+)", "bb", 3, {0, 2, -1, -1, 0, 2}},
    {"", "abc", 1, {0, 0}},
    {"(\?i)(\?-i)A", "aA", 1, {1, 2}},
    {"x*", "\xc3\xa9", 1, {0, 0}},
    {"(\?P<a>x)|(\?P<a>y)", "y", 3, {0, 1, -1, -1, 0, 1}},
    /* a repetition after a flag group applies to the item before it */
    {"a(\?U)*", "aaa", 1, {0, 0}},
    {"a(\?i)+b", "aaB", 1, {0, 3}},
    {"x(\?U)(\?s){2,}\?", "xxxx", 1, {0, 4}},
    {"^(\?m)*a", "a", 1, {0, 1}},
};

static const struct { const char *tmpl; const char *want; } expands[] = {
    {"$1", "abc"},
    {"${1}", "abc"},
    {"$1x", ""},
    {"${1}x", "abcx"},
    {"$x", "-"},
    {"${x}", "-"},
    {"$$", "$"},
    {"$", "$"},
    {"$-", "$-"},
    {"${", "${"},
    {"${x", "${x"},
    {"${}", "${}"},
    {"$name", "abc"},
    {"${name}", "abc"},
    {"$name.x", "abc.x"},
    {"$01", ""},
    {"$10", ""},
    {"$0", "abc-1"},
    {"a$", "a$"},
    {"$$1", "$1"},
    {"$$$1", "$abc"},
    {"$\xc3\xa9", ""},
    {"${2}${1}", "-abc"},
    {"$100000000", ""},
};

static const struct { const char *pattern; const char *subject; const char *repl; const char *want; } replaces[] = {
    {"a*", "baaac", "<$0>", "<>b<aaa>c<>"},
    {"a*\?", "baaac", "<$0>", "<>b<>a<>a<>a<>c<>"},
    {"", "abc", "-", "-a-b-c-"},
    {"x*", "\xc3\xa9\xc3\xa9", "-", "-\xc3\xa9-\xc3\xa9-"},
    {"\\b", "ab cd", "|", "|ab| |cd|"},
    {"(\?m)^", "ab\x0a" "cd\x0a", ">", ">ab\x0a>cd\x0a>"},
    {"(\?m)$", "ab\x0a" "cd\x0a", "<", "ab<\x0a" "cd<\x0a<"},
    {"a|", "baab", "[$0]", "[]b[a][a]b[]"},
    {"(\\w+)-(\\w+)", "a-b c-d", "$2-$1", "b-a d-c"},
    {"(\?P<maj>\\d+)\\.(\?P<min>\\d+)", "v1.2 and 10.20", "${min}.${maj}", "v2.1 and 20.10"},
    {"(\\d)", "a1b2", "$1x", "ab"},
    {"(\\d)", "a1b2", "${1}x", "a1xb2x"},
};

/* Compile a pattern the test expects to be valid. */
static gotk_regex *must_compile(const char *pattern)
{
    gotk_regex *re = NULL;
    gotk_err *e = gotk_regex_compile(pattern, &re);
    if (e)
        fail_msg("compiling %s: %s", pattern, gotk_err_msg(e));
    return re;
}

static void test_bad_patterns_give_go_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(bad_patterns); i++) {
        gotk_regex *re = (gotk_regex *)1;
        gotk_err *e = gotk_regex_compile(bad_patterns[i].pattern, &re);
        if (!e)
            fail_msg("pattern %s compiled; want %s", bad_patterns[i].pattern,
                     bad_patterns[i].error);
        assert_null(re);
        assert_string_equal(gotk_err_msg(e), bad_patterns[i].error);
        assert_int_equal(gotk_err_code_of(e), GOTK_E_INVALID);
        gotk_err_free(e);
    }
}

/* Cases that need bytes JSON cannot carry, or Go newer than the recorder (1.22
 * accepts `(?<name>`; a lookbehind then reads as a bad name). */
static void test_more_errors(void **state)
{
    (void)state;
    static const struct {
        const char *pattern, *error;
    } cases[] = {
        {"a\xff" "b", "error parsing regexp: invalid UTF-8: `\xff" "b`"},
        {"(?P<n\xff>a)", "error parsing regexp: invalid UTF-8: `\xff`"},
        {"(?<=a)b", "error parsing regexp: invalid named capture: `(?<=a)b`"},
        {"(?<!a)b", "error parsing regexp: invalid named capture: `(?<!a)b`"},
        {"(?<=a>)b", "error parsing regexp: invalid named capture: `(?<=a>`"},
        {"(?<name", "error parsing regexp: invalid named capture: `(?<name`"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        gotk_regex *re = NULL;
        gotk_err *e = gotk_regex_compile(cases[i].pattern, &re);
        assert_non_null(e);
        assert_string_equal(gotk_err_msg(e), cases[i].error);
        gotk_err_free(e);
    }
}

static void test_find_submatch_offsets(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(finds); i++) {
        gotk_regex *re = must_compile(finds[i].pattern);
        int ng = gotk_regex_num_groups(re);
        gotk_regex_span spans[8];
        bool m = gotk_regex_find(re, finds[i].subject, strlen(finds[i].subject), 0, spans);
        if (finds[i].n < 0) {
            if (m)
                fail_msg("%s matched %s at %td", finds[i].pattern, finds[i].subject,
                         spans[0].start);
        } else {
            if (!m)
                fail_msg("%s did not match %s", finds[i].pattern, finds[i].subject);
            assert_int_equal(ng + 1, finds[i].n);
            for (int k = 0; k <= ng; k++) {
                if (spans[k].start != finds[i].spans[2 * k] ||
                    spans[k].end != finds[i].spans[2 * k + 1])
                    fail_msg("%s on %s: group %d at [%td,%td], want [%d,%d]",
                             finds[i].pattern, finds[i].subject, k, spans[k].start,
                             spans[k].end, finds[i].spans[2 * k], finds[i].spans[2 * k + 1]);
            }
        }
        assert_int_equal(gotk_regex_match(re, finds[i].subject), finds[i].n >= 0);
        gotk_regex_free(re);
    }
}

static void test_group_names(void **state)
{
    (void)state;
    gotk_regex *re = must_compile("(?P<first>a)(b)(?<third>c)(?P<first>d)");
    assert_int_equal(gotk_regex_num_groups(re), 4);
    assert_string_equal(gotk_regex_group_name(re, 0), "");
    assert_string_equal(gotk_regex_group_name(re, 1), "first");
    assert_string_equal(gotk_regex_group_name(re, 2), "");
    assert_string_equal(gotk_regex_group_name(re, 3), "third");
    assert_string_equal(gotk_regex_group_name(re, 4), "first");
    assert_string_equal(gotk_regex_group_name(re, 5), "");
    assert_int_equal(gotk_regex_group_index(re, "first"), 1);
    assert_int_equal(gotk_regex_group_index(re, "third"), 3);
    assert_int_equal(gotk_regex_group_index(re, "nope"), -1);
    assert_int_equal(gotk_regex_group_index(re, ""), -1);
    assert_string_equal(gotk_regex_pattern(re), "(?P<first>a)(b)(?<third>c)(?P<first>d)");
    gotk_regex_free(re);
}

static void test_find_from_offset(void **state)
{
    (void)state;
    gotk_regex *re = must_compile("^a|\\bb");
    gotk_regex_span sp[1];
    const char *s = "a ab b";
    assert_true(gotk_regex_find(re, s, strlen(s), 0, sp));
    assert_int_equal(sp[0].start, 0);
    /* earlier text still counts: ^ does not match at the offset, \b sees the 'a' */
    assert_true(gotk_regex_find(re, s, strlen(s), 1, sp));
    assert_int_equal(sp[0].start, 5);
    assert_false(gotk_regex_find(re, s, strlen(s), 7, sp));
    gotk_regex_free(re);
}

static void test_expand_templates(void **state)
{
    (void)state;
    gotk_regex *re = must_compile("(?P<name>\\w+)(?P<x>-)?(\\d)?");
    const char *s = "abc-1 def";
    gotk_regex_span sp[4];
    assert_true(gotk_regex_find(re, s, strlen(s), 0, sp));
    for (size_t i = 0; i < N_OF(expands); i++) {
        gotk_buf b = {0};
        gotk_buf_puts(&b, "");
        gotk_regex_expand(re, &b, expands[i].tmpl, s, sp);
        if (strcmp(b.data, expands[i].want))
            fail_msg("template %s gave \"%s\", want \"%s\"", expands[i].tmpl, b.data,
                     expands[i].want);
        gotk_buf_free(&b);
    }
    gotk_regex_free(re);
}

/* A name that took no part in the match expands to nothing; with duplicate names
 * the leftmost group that matched is used. */
static void test_expand_unmatched_and_duplicate_names(void **state)
{
    (void)state;
    gotk_regex *re = must_compile("(?P<v>a)|(?P<v>b)");
    gotk_regex_span sp[3];
    assert_true(gotk_regex_find(re, "b", 1, 0, sp));
    gotk_buf b = {0};
    gotk_regex_expand(re, &b, "[$v][$1][$2]", "b", sp);
    assert_string_equal(b.data, "[b][][b]");
    gotk_buf_free(&b);
    gotk_regex_free(re);
}

static void test_replace_all(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(replaces); i++) {
        gotk_regex *re = must_compile(replaces[i].pattern);
        char *got = gotk_regex_replace_all(re, replaces[i].subject, replaces[i].repl);
        if (strcmp(got, replaces[i].want))
            fail_msg("%s on %s with %s gave \"%s\", want \"%s\"", replaces[i].pattern,
                     replaces[i].subject, replaces[i].repl, got, replaces[i].want);
        free(got);
        gotk_regex_free(re);
    }
}

/* image-reflector-controller's filter: tags that match are kept, `extract` (when
 * set) replaces the tag by the expansion. */
static void test_tag_filter(void **state)
{
    (void)state;
    static const struct {
        const char *pattern, *extract, *tag, *want; /* want NULL: dropped */
    } cases[] = {
        {"^RELEASE\\.(?P<timestamp>.*)Z$", "$timestamp", "RELEASE.2023-01-01T00-00-00Z",
         "2023-01-01T00-00-00"},
        {"^RELEASE\\.(?P<timestamp>.*)Z$", "$timestamp", "latest", NULL},
        {"^ver", "", "ver1", "ver1"},
        {"^ver", "", "rel1", NULL},
        {"ver(\\d+)", "$1", "ver3", "3"},
        {"ver(\\d+)", NULL, "xver3y", "xver3y"},
        /* kept, as the same value as the tag without -debug (Flux dedupes them) */
        {"^(?P<tag>123-[0-9]+\\.[0-9]+\\.[a-z0-9]+[^-debug])", "$tag",
         "123-123.123.abcd123-debug", "123-123.123.abcd123"},
        {"^(?P<tag>123-[0-9]+\\.[0-9]+\\.[a-z0-9]+[^-debug])", "$tag", "123-123.123.abcd456",
         "123-123.123.abcd456"},
        {"^(?P<tag>123-[0-9]+\\.[0-9]+\\.[a-z0-9]+$)", "$tag", "123-123.123.abcd123",
         "123-123.123.abcd123"},
        {"", "", "anything", "anything"},
        {"^main-(?P<sha>[a-f0-9]+)-(?P<ts>[0-9]+)", "$ts", "main-abc123-1700000000",
         "1700000000"},
        /* the extract names an unknown group: the tag is kept, as "" */
        {"^v(\\d+)", "$version", "v12", ""},
        /* `$1x` is the group named "1x" */
        {"^v(\\d+)", "$1x", "v12", ""},
        {"^v(\\d+)", "${1}x", "v12", "12x"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        gotk_regex *re = NULL;
        gotk_err *e = gotk_regex_tag_filter_compile(cases[i].pattern, &re);
        assert_null(e);
        char *got = (char *)1;
        bool kept = gotk_regex_tag_filter(re, cases[i].extract, cases[i].tag, &got);
        if (!cases[i].want) {
            assert_false(kept);
            assert_null(got);
        } else {
            if (!kept)
                fail_msg("%s dropped %s", cases[i].pattern, cases[i].tag);
            assert_string_equal(got, cases[i].want);
        }
        free(kept ? got : NULL);
        gotk_regex_free(re);
    }
}

static void test_tag_filter_bad_pattern(void **state)
{
    (void)state;
    gotk_regex *re = NULL;
    gotk_err *e = gotk_regex_tag_filter_compile("^v(\\d+", &re);
    assert_null(re);
    assert_string_equal(gotk_err_msg(e), "invalid regular expression pattern '^v(\\d+': "
                                         "error parsing regexp: missing closing ): `^v(\\d+`");
    gotk_err_free(e);
    e = gotk_regex_tag_filter_compile("(?<=v)1", &re);
    assert_string_equal(gotk_err_msg(e), "invalid regular expression pattern '(?<=v)1': "
                                         "error parsing regexp: invalid named capture: "
                                         "`(?<=v)1`");
    gotk_err_free(e);
}

/* Go's `$` is end of text only; `\s` excludes \v; `{` that is no repeat is literal;
 * a repeated assertion is allowed. */
static void test_go_meanings(void **state)
{
    (void)state;
    static const struct {
        const char *pattern, *subject;
        bool match;
    } cases[] = {
        {"^a$", "a\n", false},      {"(?m)^a$", "b\na\n", true}, {"^\\s$", "\v", false},
        {"^[\\s]$", "\v", false},   {"^\\S$", "\v", true},       {"^[[:space:]]$", "\v", true},
        {"^a{,2}$", "a{,2}", true}, {"^a{,2}$", "aa", false},    {"^x{1,2}$", "xx", true},
        {"\\bx*", "", false},        {"(?i)ΣΑΣ", "σας", true},    {"^\\x{1F600}$", "\xf0\x9f\x98\x80", true},
        {"^.$", "\n", false},       {"(?s)^.$", "\n", true},     {"^\\p{Lu}\\p{Ll}+$", "Émile", true},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        gotk_regex *re = must_compile(cases[i].pattern);
        if (gotk_regex_match(re, cases[i].subject) != cases[i].match)
            fail_msg("%s on %s: want %s", cases[i].pattern, cases[i].subject,
                     cases[i].match ? "a match" : "no match");
        gotk_regex_free(re);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_patterns_give_go_errors),
        cmocka_unit_test(test_more_errors),
        cmocka_unit_test(test_find_submatch_offsets),
        cmocka_unit_test(test_group_names),
        cmocka_unit_test(test_find_from_offset),
        cmocka_unit_test(test_expand_templates),
        cmocka_unit_test(test_expand_unmatched_and_duplicate_names),
        cmocka_unit_test(test_replace_all),
        cmocka_unit_test(test_tag_filter),
        cmocka_unit_test(test_tag_filter_bad_pattern),
        cmocka_unit_test(test_go_meanings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
