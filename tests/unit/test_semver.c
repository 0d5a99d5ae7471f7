/*
 * semver versions: lenient and strict parsing with Masterminds' error texts,
 * canonical and original printing, precedence and ordering, and the
 * Inc/Set/New helpers. The tables were produced by running the same inputs
 * through Masterminds/semver v3 (its own test tables plus edge cases), so the
 * expected answers are the Go library's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/semver.h"

typedef struct {
    const char *in;
    bool strict;
    const char *str;  /* canonical form, NULL when parsing fails */
    const char *orig; /* original form */
    const char *err;  /* error text, NULL when parsing succeeds */
} parse_case;

typedef struct {
    const char *a, *b;
    int cmp;
} compare_case;

/* generated from Masterminds/semver v3 (NewVersion / StrictNewVersion) */
static const parse_case parse_cases[] = {
    {"1.2.3", false, "1.2.3", "1.2.3", NULL},
    {"1.2.3", true, "1.2.3", "1.2.3", NULL},
    {"1.2.3-alpha.01", false, NULL, NULL, "version segment starts with 0"},
    {"1.2.3-alpha.01", true, NULL, NULL, "version segment starts with 0"},
    {"1.2.3+test.01", false, "1.2.3+test.01", "1.2.3+test.01", NULL},
    {"1.2.3+test.01", true, "1.2.3+test.01", "1.2.3+test.01", NULL},
    {"1.2.3-alpha.-1", false, "1.2.3-alpha.-1", "1.2.3-alpha.-1", NULL},
    {"1.2.3-alpha.-1", true, "1.2.3-alpha.-1", "1.2.3-alpha.-1", NULL},
    {"v1.2.3", false, "1.2.3", "v1.2.3", NULL},
    {"v1.2.3", true, NULL, NULL, "invalid characters in version"},
    {"1.0", false, "1.0.0", "1.0", NULL},
    {"1.0", true, NULL, NULL, "invalid semantic version"},
    {"v1.0", false, "1.0.0", "v1.0", NULL},
    {"v1.0", true, NULL, NULL, "invalid semantic version"},
    {"1", false, "1.0.0", "1", NULL},
    {"1", true, NULL, NULL, "invalid semantic version"},
    {"v1", false, "1.0.0", "v1", NULL},
    {"v1", true, NULL, NULL, "invalid semantic version"},
    {"1.2", false, "1.2.0", "1.2", NULL},
    {"1.2", true, NULL, NULL, "invalid semantic version"},
    {"1.2.beta", false, NULL, NULL, "invalid semantic version"},
    {"1.2.beta", true, NULL, NULL, "invalid characters in version"},
    {"v1.2.beta", false, NULL, NULL, "invalid semantic version"},
    {"v1.2.beta", true, NULL, NULL, "invalid characters in version"},
    {"foo", false, NULL, NULL, "invalid semantic version"},
    {"foo", true, NULL, NULL, "invalid semantic version"},
    {"1.2-5", false, "1.2.0-5", "1.2-5", NULL},
    {"1.2-5", true, NULL, NULL, "invalid semantic version"},
    {"v1.2-5", false, "1.2.0-5", "v1.2-5", NULL},
    {"v1.2-5", true, NULL, NULL, "invalid semantic version"},
    {"1.2-beta.5", false, "1.2.0-beta.5", "1.2-beta.5", NULL},
    {"1.2-beta.5", true, NULL, NULL, "invalid characters in version"},
    {"v1.2-beta.5", false, "1.2.0-beta.5", "v1.2-beta.5", NULL},
    {"v1.2-beta.5", true, NULL, NULL, "invalid characters in version"},
    {"\n1.2", false, NULL, NULL, "invalid semantic version"},
    {"\n1.2", true, NULL, NULL, "invalid semantic version"},
    {"\nv1.2", false, NULL, NULL, "invalid semantic version"},
    {"\nv1.2", true, NULL, NULL, "invalid semantic version"},
    {"1.2.0-x.Y.0+metadata", false, "1.2.0-x.Y.0+metadata", "1.2.0-x.Y.0+metadata", NULL},
    {"1.2.0-x.Y.0+metadata", true, "1.2.0-x.Y.0+metadata", "1.2.0-x.Y.0+metadata", NULL},
    {"v1.2.0-x.Y.0+metadata", false, "1.2.0-x.Y.0+metadata", "v1.2.0-x.Y.0+metadata", NULL},
    {"v1.2.0-x.Y.0+metadata", true, NULL, NULL, "invalid characters in version"},
    {"1.2.0-x.Y.0+metadata-width-hypen", false, "1.2.0-x.Y.0+metadata-width-hypen", "1.2.0-x.Y.0+metadata-width-hypen", NULL},
    {"1.2.0-x.Y.0+metadata-width-hypen", true, "1.2.0-x.Y.0+metadata-width-hypen", "1.2.0-x.Y.0+metadata-width-hypen", NULL},
    {"1.2.3-rc1-with-hypen", false, "1.2.3-rc1-with-hypen", "1.2.3-rc1-with-hypen", NULL},
    {"1.2.3-rc1-with-hypen", true, "1.2.3-rc1-with-hypen", "1.2.3-rc1-with-hypen", NULL},
    {"1.2.3-0abc123", false, "1.2.3-0abc123", "1.2.3-0abc123", NULL},
    {"1.2.3-0abc123", true, "1.2.3-0abc123", "1.2.3-0abc123", NULL},
    {"1.2.3-beta.01", false, NULL, NULL, "version segment starts with 0"},
    {"1.2.3-beta.01", true, NULL, NULL, "version segment starts with 0"},
    {"1.2.3.4", false, NULL, NULL, "invalid semantic version"},
    {"1.2.3.4", true, NULL, NULL, "invalid characters in version"},
    {"v1.2.3.4", false, NULL, NULL, "invalid semantic version"},
    {"v1.2.3.4", true, NULL, NULL, "invalid characters in version"},
    {"1.2.2147483648", false, "1.2.2147483648", "1.2.2147483648", NULL},
    {"1.2.2147483648", true, "1.2.2147483648", "1.2.2147483648", NULL},
    {"1.2147483648.3", false, "1.2147483648.3", "1.2147483648.3", NULL},
    {"1.2147483648.3", true, "1.2147483648.3", "1.2147483648.3", NULL},
    {"2147483648.3.0", false, "2147483648.3.0", "2147483648.3.0", NULL},
    {"2147483648.3.0", true, "2147483648.3.0", "2147483648.3.0", NULL},
    {"12.3.4.1234", false, NULL, NULL, "invalid semantic version"},
    {"12.3.4.1234", true, NULL, NULL, "invalid characters in version"},
    {"20221209-update-renovatejson-v4", false, "20221209.0.0-update-renovatejson-v4", "20221209-update-renovatejson-v4", NULL},
    {"20221209-update-renovatejson-v4", true, NULL, NULL, "invalid semantic version"},
    {"1.1.2+.123", false, NULL, NULL, "invalid semantic version"},
    {"1.1.2+.123", true, NULL, NULL, "invalid metadata string"},
    {"1.0.0-alpha_beta", false, NULL, NULL, "invalid semantic version"},
    {"1.0.0-alpha_beta", true, NULL, NULL, "invalid prerelease string"},
    {"1.0.0-alpha..", false, NULL, NULL, "invalid semantic version"},
    {"1.0.0-alpha..", true, NULL, NULL, "invalid prerelease string"},
    {"1.0.0-alpha..1", false, NULL, NULL, "invalid semantic version"},
    {"1.0.0-alpha..1", true, NULL, NULL, "invalid prerelease string"},
    {"01.1.1", false, "1.1.1", "01.1.1", NULL},
    {"01.1.1", true, NULL, NULL, "version segment starts with 0"},
    {"1.01.1", false, "1.1.1", "1.01.1", NULL},
    {"1.01.1", true, NULL, NULL, "version segment starts with 0"},
    {"1.1.01", false, "1.1.1", "1.1.01", NULL},
    {"1.1.01", true, NULL, NULL, "version segment starts with 0"},
    {"9.8.7+meta+meta", false, NULL, NULL, "invalid semantic version"},
    {"9.8.7+meta+meta", true, NULL, NULL, "invalid metadata string"},
    {"1.2.31----RC-SNAPSHOT.12.09.1--.12+788", false, NULL, NULL, "version segment starts with 0"},
    {"1.2.31----RC-SNAPSHOT.12.09.1--.12+788", true, NULL, NULL, "version segment starts with 0"},
    {"1.2.3-0123", false, NULL, NULL, "version segment starts with 0"},
    {"1.2.3-0123", true, NULL, NULL, "version segment starts with 0"},
    {"1.2.3-0123.0123", false, NULL, NULL, "version segment starts with 0"},
    {"1.2.3-0123.0123", true, NULL, NULL, "version segment starts with 0"},
    {"+invalid", false, NULL, NULL, "invalid semantic version"},
    {"+invalid", true, NULL, NULL, "invalid semantic version"},
    {"-invalid", false, NULL, NULL, "invalid semantic version"},
    {"-invalid", true, NULL, NULL, "invalid semantic version"},
    {"-invalid.01", false, NULL, NULL, "invalid semantic version"},
    {"-invalid.01", true, NULL, NULL, "invalid semantic version"},
    {"alpha+beta", false, NULL, NULL, "invalid semantic version"},
    {"alpha+beta", true, NULL, NULL, "invalid semantic version"},
    {"1.2.3-alpha_beta+foo", false, NULL, NULL, "invalid semantic version"},
    {"1.2.3-alpha_beta+foo", true, NULL, NULL, "invalid prerelease string"},
    {"1.2.3-dev..1", false, NULL, NULL, "invalid semantic version"},
    {"1.2.3-dev..1", true, NULL, NULL, "invalid prerelease string"},
    {"1.2.3-de-v.1", false, "1.2.3-de-v.1", "1.2.3-de-v.1", NULL},
    {"1.2.3-de-v.1", true, "1.2.3-de-v.1", "1.2.3-de-v.1", NULL},
    {"1.2.3-023658", false, NULL, NULL, "version segment starts with 0"},
    {"1.2.3-023658", true, NULL, NULL, "version segment starts with 0"},
    {"", false, NULL, NULL, "invalid semantic version"},
    {"", true, NULL, NULL, "version string empty"},
    {"1..2", false, NULL, NULL, "invalid semantic version"},
    {"1..2", true, NULL, NULL, "strconv.ParseUint: parsing \"\": invalid syntax"},
    {"1.2.", false, NULL, NULL, "invalid semantic version"},
    {"1.2.", true, NULL, NULL, "strconv.ParseUint: parsing \"\": invalid syntax"},
    {"1.2.3-", false, NULL, NULL, "invalid semantic version"},
    {"1.2.3-", true, NULL, NULL, "invalid prerelease string"},
    {"1.2.3+", false, NULL, NULL, "invalid semantic version"},
    {"1.2.3+", true, NULL, NULL, "invalid metadata string"},
    {"V1.2.3", false, NULL, NULL, "invalid semantic version"},
    {"V1.2.3", true, NULL, NULL, "invalid characters in version"},
    {" 1.2.3", false, NULL, NULL, "invalid semantic version"},
    {" 1.2.3", true, NULL, NULL, "invalid characters in version"},
    {"1.2.3 ", false, NULL, NULL, "invalid semantic version"},
    {"1.2.3 ", true, NULL, NULL, "invalid characters in version"},
    {"18446744073709551615.0.0", false, "18446744073709551615.0.0", "18446744073709551615.0.0", NULL},
    {"18446744073709551615.0.0", true, "18446744073709551615.0.0", "18446744073709551615.0.0", NULL},
    {"18446744073709551616.0.0", false, NULL, NULL, "error parsing version segment: strconv.ParseUint: parsing \"18446744073709551616\": value out of range"},
    {"18446744073709551616.0.0", true, NULL, NULL, "strconv.ParseUint: parsing \"18446744073709551616\": value out of range"},
    {"1.18446744073709551616.0", false, NULL, NULL, "error parsing version segment: strconv.ParseUint: parsing \"18446744073709551616\": value out of range"},
    {"1.18446744073709551616.0", true, NULL, NULL, "strconv.ParseUint: parsing \"18446744073709551616\": value out of range"},
    {"1.2.18446744073709551616", false, NULL, NULL, "error parsing version segment: strconv.ParseUint: parsing \"18446744073709551616\": value out of range"},
    {"1.2.18446744073709551616", true, NULL, NULL, "strconv.ParseUint: parsing \"18446744073709551616\": value out of range"},
    {"2024.01.05", false, "2024.1.5", "2024.01.05", NULL},
    {"2024.01.05", true, NULL, NULL, "version segment starts with 0"},
    {"1.2.3-\xc3\xa9", false, NULL, NULL, "invalid semantic version"},
    {"1.2.3-\xc3\xa9", true, NULL, NULL, "invalid prerelease string"},
    {"1.2.3+meta.01", false, "1.2.3+meta.01", "1.2.3+meta.01", NULL},
    {"1.2.3+meta.01", true, "1.2.3+meta.01", "1.2.3+meta.01", NULL},
    {"v01.002.0003", false, "1.2.3", "v01.002.0003", NULL},
    {"v01.002.0003", true, NULL, NULL, "invalid characters in version"},
    {"1.2.3-beta.1+build.123", false, "1.2.3-beta.1+build.123", "1.2.3-beta.1+build.123", NULL},
    {"1.2.3-beta.1+build.123", true, "1.2.3-beta.1+build.123", "1.2.3-beta.1+build.123", NULL},
    {"0.0.0", false, "0.0.0", "0.0.0", NULL},
    {"0.0.0", true, "0.0.0", "0.0.0", NULL},
    {"1.2.3-0", false, "1.2.3-0", "1.2.3-0", NULL},
    {"1.2.3-0", true, "1.2.3-0", "1.2.3-0", NULL},
};

/* generated from Masterminds/semver v3 (Version.Compare) */
static const compare_case compare_cases[] = {
    {"1.2.3", "1.5.1", -1},
    {"2.2.3", "1.5.1", 1},
    {"2.2.3", "2.2.2", 1},
    {"3.2-beta", "3.2-beta", 0},
    {"1.3", "1.1.4", 1},
    {"4.2", "4.2-beta", 1},
    {"4.2-beta", "4.2", -1},
    {"4.2-alpha", "4.2-beta", -1},
    {"4.2-alpha", "4.2-alpha", 0},
    {"4.2-beta.2", "4.2-beta.1", 1},
    {"4.2-beta2", "4.2-beta1", 1},
    {"4.2-beta", "4.2-beta.2", -1},
    {"4.2-beta", "4.2-beta.foo", -1},
    {"4.2-beta.2", "4.2-beta", 1},
    {"4.2-beta.foo", "4.2-beta", 1},
    {"1.2+bar", "1.2+baz", 0},
    {"1.0.0-beta.4", "1.0.0-beta.-2", -1},
    {"1.0.0-beta.-2", "1.0.0-beta.-3", -1},
    {"1.0.0-beta.-3", "1.0.0-beta.5", 1},
    {"3.2.0-beta.1", "3.2.0-beta.5", -1},
    {"3.2-beta.4", "3.2-beta.2", 1},
    {"7.43.0-SNAPSHOT.99", "7.43.0-SNAPSHOT.103", -1},
    {"7.43.0-SNAPSHOT.FOO", "7.43.0-SNAPSHOT.103", 1},
    {"7.43.0-SNAPSHOT.99", "7.43.0-SNAPSHOT.BAR", -1},
    {"1.0.0-a", "1.0.0-A", 1},
    {"1.0.0-18446744073709551616", "1.0.0-2", 1},
    {"1.0.0-alpha", "1.0.0-alpha.1", -1},
    {"1.0.0-alpha.1", "1.0.0-alpha.beta", -1},
    {"1.0.0-alpha.beta", "1.0.0-beta", -1},
    {"1.0.0-beta", "1.0.0-beta.2", -1},
    {"1.0.0-beta.2", "1.0.0-beta.11", -1},
    {"1.0.0-beta.11", "1.0.0-rc.1", -1},
    {"1.0.0-rc.1", "1.0.0", -1},
    {"v1.2.3", "1.2.3", 0},
    {"01.02.03", "1.2.3", 0},
    {"1.2.3+a", "1.2.3+b", 0},
    {"10.0.0", "9.99.99", 1},
    {"1.10.0", "1.9.0", 1},
    {"0.0.0", "0.0.0-0", 1},
    {"1.0.0-1", "1.0.0-1a", -1},
    {"1.0.0-x-y", "1.0.0-x", 1},
};

/* Parse with the lenient or strict parser. */
static gotk_err *parse(const char *s, bool strict, gotk_semver **v)
{
    return strict ? gotk_semver_parse_strict(s, v) : gotk_semver_parse(s, v);
}

/* Parse a version the test knows to be valid. */
static gotk_semver *must(const char *s)
{
    gotk_semver *v = NULL;
    gotk_err *e = gotk_semver_parse(s, &v);
    if (e)
        fail_msg("parsing %s: %s", s, gotk_err_msg(e));
    return v;
}

static void test_parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
        const parse_case *tc = &parse_cases[i];
        gotk_semver *v = (gotk_semver *)1;
        gotk_err *e = parse(tc->in, tc->strict, &v);
        if (tc->err) {
            if (!e)
                fail_msg("case %zu %s(\"%s\"): expected error \"%s\"", i,
                         tc->strict ? "strict" : "lenient", tc->in, tc->err);
            assert_null(v);
            assert_string_equal(gotk_err_msg(e), tc->err);
            assert_int_equal(gotk_err_code_of(e), GOTK_E_INVALID);
            gotk_err_free(e);
            continue;
        }
        if (e)
            fail_msg("case %zu %s(\"%s\"): unexpected error \"%s\"", i,
                     tc->strict ? "strict" : "lenient", tc->in, gotk_err_msg(e));
        assert_string_equal(gotk_semver_string(v), tc->str);
        assert_string_equal(gotk_semver_original(v), tc->orig);
        gotk_semver_free(v);
    }
}

static void test_parts(void **state)
{
    (void)state;
    gotk_semver *v = must("v1.2.3-beta.1+build.123");
    assert_int_equal(gotk_semver_major(v), 1);
    assert_int_equal(gotk_semver_minor(v), 2);
    assert_int_equal(gotk_semver_patch(v), 3);
    assert_string_equal(gotk_semver_prerelease(v), "beta.1");
    assert_string_equal(gotk_semver_metadata(v), "build.123");
    assert_string_equal(gotk_semver_original(v), "v1.2.3-beta.1+build.123");
    assert_string_equal(gotk_semver_string(v), "1.2.3-beta.1+build.123");
    gotk_semver_free(v);

    v = must("18446744073709551615.0.1");
    assert_true(gotk_semver_major(v) == UINT64_MAX);
    assert_string_equal(gotk_semver_prerelease(v), "");
    assert_string_equal(gotk_semver_metadata(v), "");
    gotk_semver_free(v);
}

static void test_parse_tag(void **state)
{
    (void)state;
    /* Flux's version.ParseVersion: two dots, then NewVersion. */
    static const struct {
        const char *in;
        const char *str;
    } ok[] = {{"1.2.3", "1.2.3"},
              {"v1.2.3", "1.2.3"},
              {"v2025.02.03-rc.1", "2025.2.3-rc.1"},
              {"1.2-beta.5", "1.2.0-beta.5"}};
    static const char *const bad[] = {"1.2", "v1", "latest", "1.2.3.4", "1.2.x", ""};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        gotk_semver *v = NULL;
        gotk_err *e = gotk_semver_parse_tag(ok[i].in, &v);
        assert_null(e);
        assert_string_equal(gotk_semver_string(v), ok[i].str);
        assert_string_equal(gotk_semver_original(v), ok[i].in);
        gotk_semver_free(v);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gotk_semver *v = NULL;
        gotk_err *e = gotk_semver_parse_tag(bad[i], &v);
        assert_non_null(e);
        assert_null(v);
        assert_string_equal(gotk_err_msg(e), "invalid semantic version");
        gotk_err_free(e);
    }
}

static void test_compare_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof compare_cases / sizeof compare_cases[0]; i++) {
        const compare_case *tc = &compare_cases[i];
        gotk_semver *a = must(tc->a), *b = must(tc->b);
        int got = gotk_semver_compare(a, b);
        if (got != tc->cmp)
            fail_msg("case %zu: compare(%s, %s) = %d, want %d", i, tc->a, tc->b, got, tc->cmp);
        /* The relation is antisymmetric. */
        assert_int_equal(gotk_semver_compare(b, a), -tc->cmp);
        assert_int_equal(gotk_semver_equal(a, b), tc->cmp == 0);
        gotk_semver_free(a);
        gotk_semver_free(b);
    }
}

/* qsort comparator over gotk_semver pointers. */
static int by_version(const void *x, const void *y)
{
    return gotk_semver_compare(*(gotk_semver *const *)x, *(gotk_semver *const *)y);
}

static void test_ordering(void **state)
{
    (void)state;
    /* Shuffled input; the expected order is what sort.Sort(Collection) gives. */
    static const char *const in[] = {
        "1.0.0",         "v2.0.0",       "1.0.0-rc.1", "1.0.0-alpha", "0.9.0",
        "1.0.0-beta.11", "1.0.0-alpha.beta", "1.10.0", "1.0.0-beta",  "1.2",
        "1.0.0-alpha.1", "1.9.0",        "1.0.0-beta.2", "0.0.1",     "10.0.0",
        "2.0.0-0"};
    static const char *const want[] = {
        "0.0.1",      "0.9.0",        "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
        "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",  "1.0.0",
        "1.2",        "1.9.0",        "1.10.0",      "2.0.0-0",       "v2.0.0",
        "10.0.0"};
    enum { N = sizeof in / sizeof in[0] };
    gotk_semver *v[N];
    for (size_t i = 0; i < N; i++)
        v[i] = must(in[i]);
    qsort(v, N, sizeof v[0], by_version);
    for (size_t i = 0; i < N; i++) {
        assert_string_equal(gotk_semver_original(v[i]), want[i]);
        gotk_semver_free(v[i]);
    }
}

static void test_equal_null(void **state)
{
    (void)state;
    gotk_semver *a = must("3.2-beta+foo"), *b = must("3.2-beta+bar");
    assert_true(gotk_semver_equal(a, b));
    assert_true(gotk_semver_equal(NULL, NULL));
    assert_false(gotk_semver_equal(NULL, a));
    assert_false(gotk_semver_equal(a, NULL));
    gotk_semver_free(a);
    gotk_semver_free(b);
    gotk_semver_free(NULL);
}

static void test_new_and_dup(void **state)
{
    (void)state;
    gotk_semver *v = gotk_semver_new(0, 1, 2, NULL, "");
    assert_string_equal(gotk_semver_string(v), "0.1.2");
    assert_string_equal(gotk_semver_original(v), "0.1.2");
    gotk_semver_free(v);
    v = gotk_semver_new(1, 2, 3, "alpha.1", "foo.bar");
    assert_string_equal(gotk_semver_string(v), "1.2.3-alpha.1+foo.bar");
    gotk_semver *d = gotk_semver_dup(v);
    gotk_semver_free(v);
    assert_string_equal(gotk_semver_string(d), "1.2.3-alpha.1+foo.bar");
    assert_string_equal(gotk_semver_prerelease(d), "alpha.1");
    assert_string_equal(gotk_semver_metadata(d), "foo.bar");
    gotk_semver_free(d);
}

typedef gotk_err *(*inc_fn)(const gotk_semver *, gotk_semver **);

static void test_inc(void **state)
{
    (void)state;
    /* Masterminds' TestInc: input, function, String(), Original(). */
    static const struct {
        const char *in;
        int how; /* 0 patch, 1 minor, 2 major */
        const char *str, *orig;
    } cases[] = {
        {"1.2.3", 0, "1.2.4", "1.2.4"},
        {"v1.2.4", 0, "1.2.5", "v1.2.5"},
        {"1.2.3", 1, "1.3.0", "1.3.0"},
        {"v1.2.4", 1, "1.3.0", "v1.3.0"},
        {"1.2.3", 2, "2.0.0", "2.0.0"},
        {"v1.2.4", 2, "2.0.0", "v2.0.0"},
        {"1.2.3+meta", 0, "1.2.4", "1.2.4"},
        {"1.2.3-beta+meta", 0, "1.2.3", "1.2.3"},
        {"v1.2.4-beta+meta", 0, "1.2.4", "v1.2.4"},
        {"1.2.3-beta+meta", 1, "1.3.0", "1.3.0"},
        {"v1.2.4-beta+meta", 1, "1.3.0", "v1.3.0"},
        {"1.2.3-beta+meta", 2, "2.0.0", "2.0.0"},
        {"v1.2.4-beta+meta", 2, "2.0.0", "v2.0.0"},
    };
    static const inc_fn fns[] = {gotk_semver_inc_patch, gotk_semver_inc_minor,
                                 gotk_semver_inc_major};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gotk_semver *v = must(cases[i].in), *n = NULL;
        assert_null(fns[cases[i].how](v, &n));
        assert_string_equal(gotk_semver_string(n), cases[i].str);
        assert_string_equal(gotk_semver_original(n), cases[i].orig);
        gotk_semver_free(v);
        gotk_semver_free(n);
    }
}

static void test_inc_overflow(void **state)
{
    (void)state;
    static const char *const msgs[] = {"patch version increment would overflow uint64",
                                       "minor version increment would overflow uint64",
                                       "major version increment would overflow uint64"};
    static const inc_fn fns[] = {gotk_semver_inc_patch, gotk_semver_inc_minor,
                                 gotk_semver_inc_major};
    gotk_semver *v = gotk_semver_new(UINT64_MAX, UINT64_MAX, UINT64_MAX, NULL, NULL);
    for (size_t i = 0; i < 3; i++) {
        gotk_semver *n = (gotk_semver *)1;
        gotk_err *e = fns[i](v, &n);
        assert_null(n);
        assert_string_equal(gotk_err_msg(e), msgs[i]);
        gotk_err_free(e);
    }
    gotk_semver_free(v);
}

static void test_set_prerelease_and_metadata(void **state)
{
    (void)state;
    gotk_semver *v = must("v1.2.4"), *n = NULL;
    assert_null(gotk_semver_set_prerelease(v, "beta", &n));
    assert_string_equal(gotk_semver_string(n), "1.2.4-beta");
    assert_string_equal(gotk_semver_original(n), "v1.2.4-beta");
    gotk_semver *m = NULL;
    assert_null(gotk_semver_set_metadata(n, "meta", &m));
    assert_string_equal(gotk_semver_string(m), "1.2.4-beta+meta");
    assert_string_equal(gotk_semver_original(m), "v1.2.4-beta+meta");
    gotk_semver_free(n);
    assert_null(gotk_semver_set_prerelease(m, "", &n));
    assert_string_equal(gotk_semver_string(n), "1.2.4+meta");
    gotk_semver_free(n);
    gotk_semver_free(m);

    gotk_err *e = gotk_semver_set_prerelease(v, "**", &n);
    assert_null(n);
    assert_string_equal(gotk_err_msg(e), "invalid prerelease string");
    gotk_err_free(e);
    e = gotk_semver_set_prerelease(v, "alpha.01", &n);
    assert_string_equal(gotk_err_msg(e), "version segment starts with 0");
    gotk_err_free(e);
    e = gotk_semver_set_metadata(v, "**", &n);
    assert_string_equal(gotk_err_msg(e), "invalid metadata string");
    gotk_err_free(e);
    e = gotk_semver_set_metadata(v, "a..b", &n);
    assert_string_equal(gotk_err_msg(e), "invalid metadata string");
    gotk_err_free(e);
    /* Metadata may have leading zeros; prerelease numbers may not. */
    assert_null(gotk_semver_set_metadata(v, "alpha.01", &n));
    assert_string_equal(gotk_semver_string(n), "1.2.4+alpha.01");
    gotk_semver_free(n);
    gotk_semver_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_table),
        cmocka_unit_test(test_parts),
        cmocka_unit_test(test_parse_tag),
        cmocka_unit_test(test_compare_table),
        cmocka_unit_test(test_ordering),
        cmocka_unit_test(test_equal_null),
        cmocka_unit_test(test_new_and_dup),
        cmocka_unit_test(test_inc),
        cmocka_unit_test(test_inc_overflow),
        cmocka_unit_test(test_set_prerelease_and_metadata),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
