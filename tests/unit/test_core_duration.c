/* core: Go-style durations, checked against values Go's time package gives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/core.h"

#define S GOTK_SECOND
#define MS GOTK_MS
#define US GOTK_US
#define MIN GOTK_MINUTE
#define H GOTK_HOUR

typedef struct {
    const char *in;
    gotk_duration want;
} parse_case;

/* Inputs ParseDuration accepts, with the value Go returns. */
static const parse_case parse_ok[] = {
    {"0", 0},
    {"-0", 0},
    {"+0", 0},
    {"0s", 0},
    {"5s", 5 * S},
    {"30s", 30 * S},
    {"1478s", 1478 * S},
    {"-5s", -5 * S},
    {"+5s", 5 * S},
    {"5.0s", 5 * S},
    {"5.6s", 5 * S + 600 * MS},
    {"5.s", 5 * S},
    {".5s", 500 * MS},
    {"1.0s", S},
    {"1.00s", S},
    {"1.004s", S + 4 * MS},
    {"1.0040s", S + 4 * MS},
    {"100.00100s", 100 * S + MS},
    {"10ns", 10},
    {"11us", 11 * US},
    {"12\xc2\xb5s", 12 * US}, /* U+00B5 micro sign */
    {"12\xce\xbcs", 12 * US}, /* U+03BC greek mu */
    {"13ms", 13 * MS},
    {"14s", 14 * S},
    {"15m", 15 * MIN},
    {"16h", 16 * H},
    {"3h30m", 3 * H + 30 * MIN},
    {"10.5s4m", 4 * MIN + 10 * S + 500 * MS},
    {"-2m3.4s", -(2 * MIN + 3 * S + 400 * MS)},
    {"1h2m3s4ms5us6ns", H + 2 * MIN + 3 * S + 4 * MS + 5 * US + 6},
    {"39h9m14.425s", 39 * H + 9 * MIN + 14 * S + 425 * MS},
    {"52763797000ns", 52763797000},
    {"0.3333333333333333333h", 20 * MIN},
    {"9007199254740993ns", (INT64_C(1) << 53) + 1},
    {"9223372036854775807ns", INT64_MAX},
    {"9223372036854775.807us", INT64_MAX},
    {"9223372036s854ms775us807ns", INT64_MAX},
    {"-9223372036854775808ns", INT64_MIN},
    {"-9223372036854775.808us", INT64_MIN},
    {"-9223372036s854ms775us808ns", INT64_MIN},
    {"-2562047h47m16.854775808s", INT64_MIN},
    {"2562047h47m16.854775807s", INT64_MAX},
    {"0.100000000000000000000h", 6 * MIN},
    {"0.830103483285477580700h", 49 * MIN + 48 * S + 372539827},
    {"1.5h", 90 * MIN},
    {"-1.5h", -90 * MIN},
    {"1m30s", 90 * S},
    {"10m", 10 * MIN},
    {"1h0m0s", H},
    {"1.5\xc2\xb5s", 1500},
    {"0.5ns", 0},
    {"1s1s1s", 3 * S},
    {"00010s", 10 * S},
};

static void test_parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof parse_ok / sizeof parse_ok[0]; i++) {
        gotk_duration d = 12345;
        gotk_err *e = gotk_duration_parse(parse_ok[i].in, &d);
        if (e)
            fail_msg("parse %s: %s", parse_ok[i].in, gotk_err_msg(e));
        if (d != parse_ok[i].want)
            fail_msg("parse %s: got %lld want %lld", parse_ok[i].in, (long long)d,
                     (long long)parse_ok[i].want);
    }
}

typedef struct {
    const char *in;
    const char *msg;
} error_case;

/* Inputs ParseDuration rejects, with Go's error text. */
static const error_case parse_bad[] = {
    {"", "time: invalid duration \"\""},
    {"1", "time: missing unit in duration \"1\""},
    {"3", "time: missing unit in duration \"3\""},
    {"00", "time: missing unit in duration \"00\""},
    {"1x", "time: unknown unit \"x\" in duration \"1x\""},
    {"1d", "time: unknown unit \"d\" in duration \"1d\""},
    {"1s ", "time: unknown unit \"s \" in duration \"1s \""},
    {"1\xc2\xb5", "time: unknown unit \"\\xc2\\xb5\" in duration \"1\\xc2\\xb5\""},
    {"1S", "time: unknown unit \"S\" in duration \"1S\""},
    {"-", "time: invalid duration \"-\""},
    {"+", "time: invalid duration \"+\""},
    {"s", "time: invalid duration \"s\""},
    {".", "time: invalid duration \".\""},
    {"-.", "time: invalid duration \"-.\""},
    {".s", "time: invalid duration \".s\""},
    {"+.s", "time: invalid duration \"+.s\""},
    {" 1s", "time: invalid duration \" 1s\""},
    {"--1s", "time: invalid duration \"--1s\""},
    {"1s-2s", "time: unknown unit \"s-\" in duration \"1s-2s\""},
    {"\x85\x85", "time: invalid duration \"\\x85\\x85\""},
    {"\xff" "ff", "time: invalid duration \"\\xffff\""},
    {"hello \xff" "ff world", "time: invalid duration \"hello \\xffff world\""},
    {"\xef\xbf\xbd", "time: invalid duration \"\\xef\\xbf\\xbd\""},
    {"\"1\"", "time: invalid duration \"\\\"1\\\"\""},
    {"9223372036854775810ns", "time: invalid duration \"9223372036854775810ns\""},
    {"9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\""},
    {"-9223372036854775809ns", "time: invalid duration \"-9223372036854775809ns\""},
    {"9223372036854776us", "time: invalid duration \"9223372036854776us\""},
    {"3000000h", "time: invalid duration \"3000000h\""},
    {"9223372036854775.808us", "time: invalid duration \"9223372036854775.808us\""},
    {"9223372036854ms775us808ns", "time: invalid duration \"9223372036854ms775us808ns\""},
    {"2562047h47m16.854775808s", "time: invalid duration \"2562047h47m16.854775808s\""},
    {"99999999999999999999999s", "time: invalid duration \"99999999999999999999999s\""},
};

static void test_parse_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof parse_bad / sizeof parse_bad[0]; i++) {
        gotk_duration d = 777;
        gotk_err *e = gotk_duration_parse(parse_bad[i].in, &d);
        if (!e)
            fail_msg("parse %s: no error, got %lld", parse_bad[i].msg, (long long)d);
        assert_string_equal(gotk_err_msg(e), parse_bad[i].msg);
        assert_int_equal(gotk_err_code_of(e), GOTK_E_INVALID);
        assert_int_equal(d, 777); /* untouched on error */
        gotk_err_free(e);
    }
}

static void test_parse_null_is_invalid(void **state)
{
    (void)state;
    gotk_duration d = 0;
    gotk_err *e = gotk_duration_parse(NULL, &d);
    assert_non_null(e);
    assert_string_equal(gotk_err_msg(e), "time: invalid duration \"\"");
    gotk_err_free(e);
}

typedef struct {
    gotk_duration d;
    const char *want;
} format_case;

/* Values and what Go's Duration.String() prints for them. */
static const format_case format_table[] = {
    {0, "0s"},
    {1, "1ns"},
    {999, "999ns"},
    {1000, "1\xc2\xb5s"},
    {1100, "1.1\xc2\xb5s"},
    {1500, "1.5\xc2\xb5s"},
    {999999, "999.999\xc2\xb5s"},
    {2200 * US, "2.2ms"},
    {500 * MS, "500ms"},
    {999999999, "999.999999ms"},
    {S, "1s"},
    {3300 * MS, "3.3s"},
    {59 * S, "59s"},
    {MIN, "1m0s"},
    {90 * S, "1m30s"},
    {10 * MIN, "10m0s"},
    {4 * MIN + 5 * S, "4m5s"},
    {4 * MIN + 5 * S + MS, "4m5.001s"},
    {H, "1h0m0s"},
    {H + S, "1h0m1s"},
    {5 * H + 6 * MIN + 7 * S + MS, "5h6m7.001s"},
    {8 * MIN + 1, "8m0.000000001s"},
    {24 * H, "24h0m0s"},
    {90 * MIN, "1h30m0s"},
    {INT64_MAX, "2562047h47m16.854775807s"},
    {INT64_MIN, "-2562047h47m16.854775808s"},
    {-1, "-1ns"},
    {-1500, "-1.5\xc2\xb5s"},
    {-500 * MS, "-500ms"},
    {-S, "-1s"},
    {-(90 * S), "-1m30s"},
    {-H, "-1h0m0s"},
};

static void test_format_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof format_table / sizeof format_table[0]; i++) {
        char out[32];
        memset(out, 'x', sizeof out);
        char *r = gotk_duration_format(format_table[i].d, out);
        assert_ptr_equal(r, out);
        if (strcmp(out, format_table[i].want) != 0)
            fail_msg("format %lld: got %s want %s", (long long)format_table[i].d, out,
                     format_table[i].want);
    }
}

/* Formatting then parsing gives the value back, as in Go (issue 48629). */
static void test_round_trip(void **state)
{
    (void)state;
    const gotk_duration values[] = {INT64_MAX, INT64_MIN, 0, 1, -1, 1234567890123,
                                    -987654321, 3 * H + 7 * MS, 86399999999999};
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (size_t i = 0; i < 2000; i++) {
        gotk_duration d;
        if (i < sizeof values / sizeof values[0]) {
            d = values[i];
        } else {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            d = (gotk_duration)((x >> (i % 60)) & (uint64_t)INT64_MAX); /* many magnitudes */
            if (i % 2)
                d = -d;
        }
        char out[32];
        gotk_duration back = 0;
        gotk_err *e = gotk_duration_parse(gotk_duration_format(d, out), &back);
        if (e)
            fail_msg("round trip %lld (%s): %s", (long long)d, out, gotk_err_msg(e));
        if (back != d)
            fail_msg("round trip %lld via %s gave %lld", (long long)d, out, (long long)back);
    }
}

/* Ages as kubectl prints them (values from apimachinery's HumanDuration tests). */
static void test_human_duration(void **state)
{
    (void)state;
    static const struct {
        long long secs;
        const char *want;
    } cases[] = {
        {-2, "<invalid>"}, {-1, "0s"}, {0, "0s"}, {1, "1s"}, {119, "119s"},
        {120, "2m"}, {121, "2m1s"}, {599, "9m59s"}, {600, "10m"}, {10799, "179m"},
        {10800, "3h"}, {10860, "3h1m"}, {28799, "7h59m"}, {28800, "8h"}, {172799, "47h"},
        {172800, "2d"}, {176400, "2d1h"}, {691199, "7d23h"}, {691200, "8d"},
        {63071999, "729d"}, {63072000, "2y"}, {63158400, "2y1d"}, {252288000, "8y"},
    };
    char out[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gotk_duration_human(cases[i].secs, out);
        assert_string_equal(out, cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_table),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_null_is_invalid),
        cmocka_unit_test(test_format_table),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_human_duration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
