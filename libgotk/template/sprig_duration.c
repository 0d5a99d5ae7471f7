/*
 * sprig_duration.c: Go's time.Duration as templates see it, the result of
 * Time.Sub: an int64 of nanoseconds of that named type, which prints through
 * its String method ("1h0m0s") and has the methods Hours, Minutes, Seconds,
 * Milliseconds, Microseconds, Nanoseconds, String, Round, Truncate and Abs.
 */
#include <string.h>

#include "sprig.h"
#include "sprig_time.h"

#define FN(name) \
    static gotk_err *name(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv, \
                          gotk_tpl_val *res, void *ud)


gotk_tpl_val sprig_duration_value(gotk_tpl_exec *ex, int64_t d)
{
    gotk_tpl_val v = gotk_tpl_int64(ex, d);
    v.tname = SPRIG_DURATION_TYPE;
    return v;
}

/* The digits of v / 10^prec's fraction, trailing zeros dropped, with the
 * point ("1.5" from 15, 1); v becomes the integer part. */
static void put_frac(gotk_buf *b, uint64_t *v, int prec)
{
    char digits[24];
    int n = 0;
    bool print = false;
    for (int i = 0; i < prec; i++) {
        int digit = (int)(*v % 10);
        print = print || digit != 0;
        if (print)
            digits[n++] = (char)('0' + digit);
        *v /= 10;
    }
    if (!print)
        return;
    gotk_buf_putc(b, '.');
    while (n > 0)
        gotk_buf_putc(b, digits[--n]);
}

/* Duration.String: "72h3m0.5s", "1.5ms", "0s". */
static void duration_string(int64_t d, gotk_buf *out)
{
    uint64_t u = d < 0 ? -(uint64_t)d : (uint64_t)d;
    gotk_buf b = {0};
    if (u == 0) {
        gotk_buf_puts(out, "0s");
        return;
    }
    if (u < 1000000000ULL) { /* below a second: the largest unit that fits */
        const char *unit = u < 1000 ? "ns" : u < 1000000 ? "\xc2\xb5s" : "ms";
        int prec = u < 1000 ? 0 : u < 1000000 ? 3 : 6;
        gotk_buf frac = {0};
        put_frac(&frac, &u, prec);
        gotk_buf_printf(&b, "%llu%s%s", (unsigned long long)u, frac.data ? frac.data : "", unit);
        gotk_buf_free(&frac);
    } else {
        gotk_buf frac = {0};
        put_frac(&frac, &u, 9);
        uint64_t s = u % 60, m = u / 60 % 60, h = u / 3600;
        if (h)
            gotk_buf_printf(&b, "%lluh", (unsigned long long)h);
        if (h || m)
            gotk_buf_printf(&b, "%llum", (unsigned long long)m);
        gotk_buf_printf(&b, "%llu%ss", (unsigned long long)s, frac.data ? frac.data : "");
        gotk_buf_free(&frac);
    }
    if (d < 0)
        gotk_buf_putc(out, '-');
    gotk_buf_append(out, b.data, b.len);
    gotk_buf_free(&b);
}

enum { D_HOURS, D_MINUTES, D_SECONDS, D_MILLI, D_MICRO, D_NANO, D_STRING, D_ABS };

/* The methods without arguments (ud: which). */
FN(duration_get)
{
    (void)argc;
    int64_t d = json_object_get_int64(argv[0].j);
    static const int64_t units[] = {[D_HOURS] = 3600000000000LL, [D_MINUTES] = 60000000000LL,
                                    [D_SECONDS] = 1000000000LL, [D_MILLI] = 1000000LL,
                                    [D_MICRO] = 1000LL, [D_NANO] = 1};
    int which = (int)(intptr_t)ud;
    gotk_buf b = {0};
    switch (which) {
    case D_HOURS: case D_MINUTES: case D_SECONDS: /* whole units, then the rest: exact as Go's */
        *res = gotk_tpl_float(ex, (double)(d / units[which]) +
                                      (double)(d % units[which]) / (double)units[which]);
        break;
    case D_STRING:
        duration_string(d, &b);
        *res = sprig_take(ex, &b);
        break;
    case D_ABS:
        *res = sprig_duration_value(ex, d >= 0 ? d : d == INT64_MIN ? INT64_MAX : -d);
        break;
    default: *res = gotk_tpl_int64(ex, d / units[which]); break;
    }
    return NULL;
}

/* Round and Truncate (ud 't') m. */
FN(duration_round)
{
    (void)argc;
    int64_t d = json_object_get_int64(argv[0].j), m = json_object_get_int64(argv[1].j);
    if (ud)
        d = m <= 0 ? d : d - d % m;
    else
        d = gotime_round(d, m);
    *res = sprig_duration_value(ex, d);
    return NULL;
}

void sprig_add_duration_methods(gotk_tpl_set *set)
{
    static const struct {
        const char *name, *params;
        gotk_tpl_fn fn;
        intptr_t ud;
    } m[] = {
        {"Hours", "", duration_get, D_HOURS}, {"Minutes", "", duration_get, D_MINUTES},
        {"Seconds", "", duration_get, D_SECONDS}, {"Milliseconds", "", duration_get, D_MILLI},
        {"Microseconds", "", duration_get, D_MICRO}, {"Nanoseconds", "", duration_get, D_NANO},
        {"String", "", duration_get, D_STRING}, {"Abs", "", duration_get, D_ABS},
        {"Round", "I", duration_round, 0}, {"Truncate", "I", duration_round, 't'},
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        gotk_template_add_method(set, SPRIG_DURATION_TYPE, m[i].name, m[i].params, m[i].fn, (void *)m[i].ud);
}
