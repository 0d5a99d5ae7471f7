/*
 * envsubst: Flux's variable substitution. Every expected value in the tables is what
 * fluxcd/pkg/envsubst (the drone/envsubst fork Flux uses) returns for the same input
 * and variables, recorded by running it; that includes its quirks (bare $VAR is left
 * alone, ${V:+x} acts as a default, ${V-x} is a parse error, offsets count bytes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/core.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The variables of the main table. */
static const char *const env_main[][2] = {
    {"var01", "abcdEFGH28ij"},
    {"path_name", "/home/bozo/ideas/thoughts.for.today"},
    {"stringZ", "abcABC123ABCabc"},
    {"filename", "bash.string.txt"},
    {"empty", ""},
    {"U", "\xc3\x89" "COLE \xc7\x85 \xc3\x9f"},
    {"u", "\xc3\xa9" "cole"},
    {"slashy", "a/b/c"},
    {"n", "12345"},
    {NULL, NULL},
};

/* The variables of the strict table. */
static const char *const env_strict[][2] = {
    {"set", "v"},
    {"empty", ""},
    {NULL, NULL},
};

/* A gotk_env_lookup over one of the tables above. */
static const char *table_lookup(const char *name, void *ud)
{
    const char *const(*env)[2] = ud;
    for (size_t i = 0; env[i][0]; i++)
        if (!strcmp(env[i][0], name))
            return env[i][1];
    return NULL;
}

static const struct { const char *in; const char *out; const char *err; } cases[] = {
    {"abcdEFGH28ij", "abcdEFGH28ij", NULL},
    {"${#var01}", "12", NULL},
    {"${var01^}", "AbcdEFGH28ij", NULL},
    {"${var01^^}", "ABCDEFGH28IJ", NULL},
    {"${var01,}", "abcdEFGH28ij", NULL},
    {"${var01,,}", "abcdefgh28ij", NULL},
    {"${path_name:11}", "ideas/thoughts.for.today", NULL},
    {"${path_name:11:5}", "ideas", NULL},
    {"${var01=xyz}", "abcdEFGH28ij", NULL},
    {"${nope=xyz}", "xyz", NULL},
    {"something ${nope=${var01}}", "something abcdEFGH28ij", NULL},
    {"foo: ${x=${var01}-suffix}", "foo: abcdEFGH28ij-suffix", NULL},
    {"foo: ${x=prefix${var01}-suffix}", "foo: prefixabcdEFGH28ij-suffix", NULL},
    {"${x:=xyz}", "xyz", NULL},
    {"${stringZ/%abc/XYZ}", "abcABC123ABCXYZ", NULL},
    {"${stringZ/#abc/XYZ}", "XYZABC123ABCabc", NULL},
    {"${stringZ//abc/xyz}", "xyzABC123ABCxyz", NULL},
    {"${stringZ/abc/xyz}", "xyzABC123ABCabc", NULL},
    {"${filename#*.}", "string.txt", NULL},
    {"${filename##*.}", "txt", NULL},
    {"${filename%.*}", "bash.string", NULL},
    {"${filename%%.*}", "bash", NULL},
    {"${x=${var01^^}}", "ABCDEFGH28IJ", NULL},
    {"$${var01}", "${var01}", NULL},
    {"some text ${var01}$${var$${var01}$var01${var01}", "some text abcdEFGH28ij${var${var01}$var01abcdEFGH28ij", NULL},
    {"something $${var=${var01}}", "something ${var=abcdEFGH28ij}", NULL},
    {"${slashy/\\//-}", "a-b/c", NULL},
    {"${slashy//\\//-}", "a-b-c", NULL},
    {"\\\\something ${var=${var01}}", "\\\\something abcdEFGH28ij", NULL},
    {"${filename/./}", "bashstring.txt", NULL},
    {"$VAR", "$VAR", NULL},
    {"$var01", "$var01", NULL},
    {"$", "$", NULL},
    {"$$", "$", NULL},
    {"$$$", "$$", NULL},
    {"$$$$", "$$", NULL},
    {"${", NULL, "unable to parse variable name"},
    {"${}", NULL, "unable to parse variable name"},
    {"${ x}", NULL, "unable to parse variable name"},
    {"${x", NULL, "missing closing brace"},
    {"${x-d}", NULL, "missing closing brace"},
    {"${x+d}", NULL, "missing closing brace"},
    {"${x\?d}", NULL, "missing closing brace"},
    {"${var01:+alt}", "abcdEFGH28ij", NULL},
    {"${empty:+alt}", "alt", NULL},
    {"${nope:+alt}", "alt", NULL},
    {"${var01:\?err}", "abcdEFGH28ij", NULL},
    {"${empty:\?err}", "err", NULL},
    {"${var01:-d}", "abcdEFGH28ij", NULL},
    {"${empty:-d}", "d", NULL},
    {"${empty=d}", "d", NULL},
    {"${empty:=d}", "d", NULL},
    {"${var01:}", NULL, "unable to parse substitution within function"},
    {"${var01::2}", NULL, "unable to parse substitution within function"},
    {"${var01:2:}", NULL, "unable to parse substitution within function"},
    {"${var01:-2}", "abcdEFGH28ij", NULL},
    {"${var01: -2}", "abcdEFGH28ij", NULL},
    {"${var01:-2:1}", "abcdEFGH28ij", NULL},
    {"${var01:x}", "abcdEFGH28ij", NULL},
    {"${var01:2:x}", "abcdEFGH28ij", NULL},
    {"${var01:100}", "", NULL},
    {"${var01:100:2}", "", NULL},
    {"${var01:3:100}", "dEFGH28ij", NULL},
    {"${var01:+3}", "abcdEFGH28ij", NULL},
    {"${var01:1:2:3}", "abcdEFGH28ij", NULL},
    {"${var01:1::2}", "bc", NULL},
    {"${var01:${n:1:1}}", "cdEFGH28ij", NULL},
    {"${var01:${n:1:1}:${n:0:1}}", "c", NULL},
    {"${var01:${n}x}", NULL, "bad substitution"},
    {"${var01:\xc3\xa9}", NULL, "bad substitution"},
    {"${var01\xc3\xa9}", "", NULL},
    {"${\xc3\xa9}", "", NULL},
    {"${#}", NULL, "bad substitution"},
    {"${#var01:1}", NULL, "bad substitution"},
    {"${var01#}", NULL, "unable to parse substitution within function"},
    {"${var01###}", "abcdEFGH28ij", NULL},
    {"${var01#${var01:0:2}}", "cdEFGH28ij", NULL},
    {"${var01#x${n}}", NULL, "bad substitution"},
    {"${var01,^}", "abcdEFGH28ij", NULL},
    {"${var01^^^}", NULL, "bad substitution"},
    {"${U,,}", "\xc3\xa9" "cole \xc7\x86 \xc3\x9f", NULL},
    {"${U^^}", "\xc3\x89" "COLE \xc7\x84 \xc3\x9f", NULL},
    {"${u^}", "\xc3\x89" "cole", NULL},
    {"${U,}", "\xc3\xa9" "COLE \xc7\x85 \xc3\x9f", NULL},
    {"${var01/a}", NULL, "bad substitution"},
    {"${var01/a/}", "bcdEFGH28ij", NULL},
    {"${var01//a/}", "bcdEFGH28ij", NULL},
    {"${var01/#a/}", "abcdEFGH28ij", NULL},
    {"${var01/#a/X}", "XbcdEFGH28ij", NULL},
    {"${var01/%ij/X}", "abcdEFGH28X", NULL},
    {"${var01/${empty}/X}", "XabcdEFGH28ij", NULL},
    {"${var01//${empty}/X}", "XaXbXcXdXEXFXGXHX2X8XiXjX", NULL},
    {"${var01/a/\\/}", "/bcdEFGH28ij", NULL},
    {"${var01/a/$$}", "$bcdEFGH28ij", NULL},
    {"${var01/a/${n}}", "12345bcdEFGH28ij", NULL},
    {"${var01/a//b}", "bbcdEFGH28ij", NULL},
    {"${var01/a${n}/b}", NULL, "bad substitution"},
    {"${var01/a/b}c}", "bbcdEFGH28ijc}", NULL},
    {"${filename#*}", "ash.string.txt", NULL},
    {"${filename##*}", "", NULL},
    {"${filename%*}", "bash.string.tx", NULL},
    {"${filename#[a-c]*}", "ash.string.txt", NULL},
    {"${filename#[^a]*}", "ash.string.txt", NULL},
    {"${filename#[]}", "bash.string.txt", NULL},
    {"${filename#\\}", "bash.string.txt", NULL},
    {"${filename#\?a}", "sh.string.txt", NULL},
    {"${filename%t\?t}", "bash.string.", NULL},
    {"${slashy#*/}", "b/c", NULL},
    {"${slashy##*/}", "c", NULL},
    {"${slashy%/*}", "a/b", NULL},
    {"${slashy%%/*}", "a", NULL},
    {"}text", "}text", NULL},
    {"${var01}}", "abcdEFGH28ij}", NULL},
    {"${a=}", "", NULL},
    {"${a:=${b:=${var01}}}", "abcdEFGH28ij", NULL},
    {"${var01:=x", NULL, "unable to parse substitution within function"},
    {"${var01/x", NULL, "bad substitution"},
    {"${var01/x/y", NULL, "bad substitution"},
    {"${var01#x", NULL, "bad substitution"},
    {"${var01:1", NULL, "bad substitution"},
    {"${var01:1:2", NULL, "bad substitution"},
    {"${#var01}${#empty}${#nope}", "1200", NULL},
    {"h\xc3\xa9llo ${U} w\xc3\xb6rld", "h\xc3\xa9llo \xc3\x89" "COLE \xc7\x85 \xc3\x9f w\xc3\xb6rld", NULL},
    {"a\\${var01}", "a\\abcdEFGH28ij", NULL},
};

static const struct { const char *in; const char *out; const char *err; } strict_cases[] = {
    {"${set}", "v", NULL},
    {"${empty}", "", NULL},
    {"${missing}", NULL, "variable not set (strict mode): \"missing\""},
    {"${missing:=d}", "d", NULL},
    {"${missing=d}", "d", NULL},
    {"${missing:-d}", "d", NULL},
    {"${missing:+d}", "d", NULL},
    {"${missing:\?d}", "d", NULL},
    {"${#missing}", NULL, "variable not set (strict mode): \"missing\""},
    {"${missing^}", NULL, "variable not set (strict mode): \"missing\""},
    {"${missing,,}", NULL, "variable not set (strict mode): \"missing\""},
    {"${missing:0}", NULL, "variable not set (strict mode): \"missing\""},
    {"${missing:0:1}", NULL, "variable not set (strict mode): \"missing\""},
    {"${missing/a/b}", NULL, "variable not set (strict mode): \"missing\""},
    {"${missing//a/b}", NULL, "variable not set (strict mode): \"missing\""},
    {"${missing/#a/b}", NULL, "variable not set (strict mode): \"missing\""},
    {"${missing/%a/b}", NULL, "variable not set (strict mode): \"missing\""},
    {"${missing#a}", NULL, "variable not set (strict mode): \"missing\""},
    {"${missing##a}", NULL, "variable not set (strict mode): \"missing\""},
    {"${missing%a}", NULL, "variable not set (strict mode): \"missing\""},
    {"${missing%%a}", NULL, "variable not set (strict mode): \"missing\""},
    {"${set:-${missing}}", NULL, "variable not set (strict mode): \"missing\""},
    {"${missing:-${set}}", "v", NULL},
    {"a ${set} ${missing} ${other}", NULL, "variable not set (strict mode): \"missing\""},
    {"$missing", "$missing", NULL},
    {"$${missing}", "${missing}", NULL},
    {"${set} ${bad", NULL, "missing closing brace"},
};

/* Run one table row and compare output or error text. */
static void check_row(const char *in, const char *want_out, const char *want_err, void *env,
                      bool strict)
{
    char *out = (char *)1;
    gotk_err *e = gotk_envsubst(in, table_lookup, env, strict, &out);
    if (want_err) {
        if (!e)
            fail_msg("%s: got \"%s\", want error \"%s\"", in, out, want_err);
        assert_null(out);
        if (strcmp(gotk_err_msg(e), want_err))
            fail_msg("%s: error \"%s\", want \"%s\"", in, gotk_err_msg(e), want_err);
        gotk_err_free(e);
        return;
    }
    if (e)
        fail_msg("%s: error \"%s\", want \"%s\"", in, gotk_err_msg(e), want_out);
    if (strcmp(out, want_out))
        fail_msg("%s: got \"%s\", want \"%s\"", in, out, want_out);
    free(out);
}

static void test_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(cases); i++)
        check_row(cases[i].in, cases[i].out, cases[i].err, (void *)env_main, false);
}

static void test_strict_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(strict_cases); i++)
        check_row(strict_cases[i].in, strict_cases[i].out, strict_cases[i].err,
                  (void *)env_strict, true);
}

/* Without strict mode an unset variable is empty. */
static void test_unset_is_empty(void **state)
{
    (void)state;
    check_row("[${missing}] [${#missing}] [${missing:-d}]", "[] [0] [d]", NULL,
              (void *)env_strict, false);
}

/* A substring whose negative length reaches before its start crashes the Go
 * original; here it is an error. */
static void test_substring_out_of_range(void **state)
{
    (void)state;
    check_row("${var01:2:-1}", NULL, "bad substitution: substring 2:-1 out of range",
              (void *)env_main, false);
    check_row("${var01:2:-12}", NULL, "bad substitution: substring 2:-12 out of range",
              (void *)env_main, false);
    check_row("${var01:9223372036854775807:1}", NULL,
              "bad substitution: substring 9223372036854775807:1 out of range",
              (void *)env_main, false);
    check_row("${var01:9223372036854775807}", "", NULL, (void *)env_main, false);
    /* `:-` is the default operator, not a negative offset */
    check_row("${var01:-2:-1}", "abcdEFGH28ij", NULL, (void *)env_main, false);
    check_row("${var01:2:-0}", "", NULL, (void *)env_main, false);
}

/* The process environment through gotk_env_getenv. */
static void test_getenv(void **state)
{
    (void)state;
    setenv("GOTK_TEST_REGION", "eu-central-1", 1);
    unsetenv("GOTK_TEST_UNSET");
    char *out = NULL;
    assert_null(gotk_envsubst("region: ${GOTK_TEST_REGION}", gotk_env_getenv, NULL, true, &out));
    assert_string_equal(out, "region: eu-central-1");
    free(out);
    gotk_err *e = gotk_envsubst("${GOTK_TEST_UNSET}", gotk_env_getenv, NULL, true, &out);
    assert_non_null(e);
    assert_null(out);
    assert_string_equal(gotk_err_msg(e), "variable not set (strict mode): \"GOTK_TEST_UNSET\"");
    gotk_err_free(e);
}

/* A parse error anywhere fails the whole input, before any variable is looked up. */
static void test_parse_error_wins(void **state)
{
    (void)state;
    check_row("${missing} then ${unterminated", NULL, "missing closing brace",
              (void *)env_strict, true);
    check_row("${", NULL, "unable to parse variable name", (void *)env_strict, false);
    check_row("${set:=", NULL, "unable to parse substitution within function",
              (void *)env_strict, false);
    check_row("${#set", NULL, "bad substitution", (void *)env_strict, false);
}

/* Nesting is bounded (the original's is not; real input nests a few levels). */
static void test_nesting_limit(void **state)
{
    (void)state;
    gotk_buf in = {0};
    for (int i = 0; i < 200; i++)
        gotk_buf_puts(&in, "${a:=");
    gotk_buf_puts(&in, "x");
    for (int i = 0; i < 200; i++)
        gotk_buf_putc(&in, '}');
    check_row(in.data, "x", NULL, (void *)env_strict, true);
    gotk_buf_free(&in);
    for (int i = 0; i < 100000; i++)
        gotk_buf_puts(&in, "${a:=");
    check_row(in.data, NULL, "bad substitution: nested too deeply", (void *)env_strict, false);
    gotk_buf_free(&in);
}

/* Multi-line input, as kustomize-controller substitutes whole documents. */
static void test_document(void **state)
{
    (void)state;
    const char *doc = "apiVersion: v1\n"
                      "kind: ConfigMap\n"
                      "metadata:\n"
                      "  name: ${n}-${slashy//\\//-}\n"
                      "data:\n"
                      "  price: $$5\n"
                      "  shell: $HOME\n"
                      "  region: ${region:=eu-west-1}\n";
    const char *want = "apiVersion: v1\n"
                       "kind: ConfigMap\n"
                       "metadata:\n"
                       "  name: 12345-a-b-c\n"
                       "data:\n"
                       "  price: $5\n"
                       "  shell: $HOME\n"
                       "  region: eu-west-1\n";
    check_row(doc, want, NULL, (void *)env_main, true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_strict_table),
        cmocka_unit_test(test_unset_is_empty),
        cmocka_unit_test(test_substring_out_of_range),
        cmocka_unit_test(test_getenv),
        cmocka_unit_test(test_parse_error_wins),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
