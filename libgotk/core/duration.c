/*
 * Go-style durations. gotk_duration is a count of nanoseconds, as Go's
 * time.Duration, and the two functions here behave as Go's time.ParseDuration
 * and Duration.String() do, down to the error messages and the rounding of
 * fractions, because Flux objects carry durations ("interval: 1m30s") that must
 * read and print the same in gotk and in Flux.
 *
 * Parsing: an optional sign, then one or more "<number><unit>" parts, where the
 * number is digits with an optional fraction (".5", "5.", "1.25") and the unit
 * is ns, us, µs (U+00B5), μs (U+03BC), ms, s, m or h. "0" alone is zero. The
 * magnitude is summed in an unsigned 64-bit value that may reach 2^63 (for the
 * most negative duration); anything more is an overflow error. Fractions are
 * scaled with doubles exactly as Go does, so "0.3333333333333333333h" gives the
 * same nanosecond count as Go.
 *
 * Printing: below one second the largest fitting unit of ns, µs, ms with a
 * fraction ("1.5µs", "500ms"); from one second up "<h>h<m>m<s>[.frac]s" with
 * leading zero units dropped ("1m0s", "1h0m0s"); "0s" for zero.
 */
#include "gotk/core.h"

#include <stdio.h>
#include <string.h>

#define DUR_LIMIT ((uint64_t)1 << 63) /* magnitude of the most negative duration */

/* A unit name and its length in nanoseconds. */
typedef struct {
    const char *name;
    uint64_t ns;
} dur_unit;

static const dur_unit dur_units[] = {
    {"ns", 1},
    {"us", 1000},
    {"\xc2\xb5s", 1000}, /* U+00B5 MICRO SIGN */
    {"\xce\xbcs", 1000}, /* U+03BC GREEK SMALL LETTER MU */
    {"ms", 1000000},
    {"s", 1000000000},
    {"m", 60ull * 1000000000},
    {"h", 3600ull * 1000000000},
};

/* Append `s[0..n)` to `b` quoted as Go's time package quotes it: non-ASCII and
 * control bytes as \xNN, `"` and `\` escaped with a backslash. */
static void dur_quote(gotk_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    gotk_buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 || c < 0x20) {
            char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 0xf]};
            gotk_buf_append(b, esc, sizeof esc);
            continue;
        }
        if (c == '"' || c == '\\')
            gotk_buf_putc(b, '\\');
        gotk_buf_putc(b, (char)c);
    }
    gotk_buf_putc(b, '"');
}

/* The error `time: invalid duration "<orig>"`. */
static gotk_err *dur_invalid(const char *orig)
{
    gotk_buf b = {0};
    gotk_buf_puts(&b, "time: invalid duration ");
    dur_quote(&b, orig, strlen(orig));
    gotk_err *e = gotk_err_new(GOTK_E_INVALID, "%s", b.data);
    gotk_buf_free(&b);
    return e;
}

/* The error `time: missing unit in duration "<orig>"`. */
static gotk_err *dur_missing_unit(const char *orig)
{
    gotk_buf b = {0};
    gotk_buf_puts(&b, "time: missing unit in duration ");
    dur_quote(&b, orig, strlen(orig));
    gotk_err *e = gotk_err_new(GOTK_E_INVALID, "%s", b.data);
    gotk_buf_free(&b);
    return e;
}

/* The error `time: unknown unit "<unit>" in duration "<orig>"`. */
static gotk_err *dur_unknown_unit(const char *unit, size_t ulen, const char *orig)
{
    gotk_buf b = {0};
    gotk_buf_puts(&b, "time: unknown unit ");
    dur_quote(&b, unit, ulen);
    gotk_buf_puts(&b, " in duration ");
    dur_quote(&b, orig, strlen(orig));
    gotk_err *e = gotk_err_new(GOTK_E_INVALID, "%s", b.data);
    gotk_buf_free(&b);
    return e;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Consume leading digits into *x; false when the value exceeds 2^63. */
static bool dur_leading_int(const char **s, uint64_t *x)
{
    uint64_t v = 0;
    const char *p = *s;
    for (; is_digit(*p); p++) {
        if (v > DUR_LIMIT / 10)
            return false;
        v = v * 10 + (uint64_t)(*p - '0');
        if (v > DUR_LIMIT)
            return false;
    }
    *x = v;
    *s = p;
    return true;
}

/* Consume leading fraction digits into *x with *scale = 10^(digits kept).
 * Digits beyond what fits are consumed but ignored, never an error. */
static void dur_leading_fraction(const char **s, uint64_t *x, double *scale)
{
    uint64_t v = 0;
    double sc = 1;
    bool overflow = false;
    const char *p = *s;
    for (; is_digit(*p); p++) {
        if (overflow)
            continue;
        if (v > (DUR_LIMIT - 1) / 10) {
            overflow = true;
            continue;
        }
        uint64_t y = v * 10 + (uint64_t)(*p - '0');
        if (y > DUR_LIMIT) {
            overflow = true;
            continue;
        }
        v = y;
        sc *= 10;
    }
    *x = v;
    *scale = sc;
    *s = p;
}

/* Look a unit name up; 0 when unknown. */
static uint64_t dur_unit_ns(const char *u, size_t n)
{
    for (size_t i = 0; i < sizeof dur_units / sizeof dur_units[0]; i++)
        if (strlen(dur_units[i].name) == n && memcmp(dur_units[i].name, u, n) == 0)
            return dur_units[i].ns;
    return 0;
}

/* Parse one "<number><unit>" part at *s and add its magnitude to *total. */
static gotk_err *dur_parse_part(const char **s, const char *orig, uint64_t *total)
{
    const char *p = *s;
    if (!(*p == '.' || is_digit(*p)))
        return dur_invalid(orig);
    const char *start = p;
    uint64_t v = 0, f = 0;
    double scale = 1;
    if (!dur_leading_int(&p, &v))
        return dur_invalid(orig);
    bool pre = p != start;
    bool post = false;
    if (*p == '.') {
        const char *fstart = ++p;
        dur_leading_fraction(&p, &f, &scale);
        post = p != fstart;
    }
    if (!pre && !post)
        return dur_invalid(orig);
    const char *u = p;
    while (*p && *p != '.' && !is_digit(*p))
        p++;
    if (p == u)
        return dur_missing_unit(orig);
    uint64_t unit = dur_unit_ns(u, (size_t)(p - u));
    if (!unit)
        return dur_unknown_unit(u, (size_t)(p - u), orig);
    if (v > DUR_LIMIT / unit)
        return dur_invalid(orig);
    v *= unit;
    if (f > 0) {
        /* A double keeps fractions of an hour nanosecond-accurate. */
        v += (uint64_t)((double)f * ((double)unit / scale));
        if (v > DUR_LIMIT)
            return dur_invalid(orig);
    }
    *total += v;
    if (*total > DUR_LIMIT)
        return dur_invalid(orig);
    *s = p;
    return NULL;
}

/* Parse Go's duration syntax into nanoseconds. */
gotk_err *gotk_duration_parse(const char *s, gotk_duration *out)
{
    const char *orig = s ? s : "";
    const char *p = orig;
    bool neg = false;
    if (*p == '-' || *p == '+') {
        neg = *p == '-';
        p++;
    }
    if (strcmp(p, "0") == 0) {
        *out = 0;
        return NULL;
    }
    if (*p == '\0')
        return dur_invalid(orig);
    uint64_t total = 0;
    while (*p) {
        gotk_err *e = dur_parse_part(&p, orig, &total);
        if (e)
            return e;
    }
    if (neg) {
        /* 0 - total in unsigned arithmetic, read back as two's complement. */
        *out = (gotk_duration)(0 - total);
        return NULL;
    }
    if (total > DUR_LIMIT - 1)
        return dur_invalid(orig);
    *out = (gotk_duration)total;
    return NULL;
}

/* Write the `prec` low decimal digits of *v into the tail of buf ending at *w
 * as ".ddd" without trailing zeros (nothing at all when they are all zero),
 * and divide *v by 10^prec. */
static void dur_fmt_frac(char *buf, int *w, uint64_t *v, int prec)
{
    bool print = false;
    for (int i = 0; i < prec; i++) {
        char digit = (char)(*v % 10);
        print = print || digit != 0;
        if (print)
            buf[--*w] = (char)('0' + digit);
        *v /= 10;
    }
    if (print)
        buf[--*w] = '.';
}

/* Write v in decimal into the tail of buf ending at *w. */
static void dur_fmt_int(char *buf, int *w, uint64_t v)
{
    if (v == 0) {
        buf[--*w] = '0';
        return;
    }
    for (; v > 0; v /= 10)
        buf[--*w] = (char)('0' + v % 10);
}

/* Below one second: "<n>[.frac]ns|µs|ms", or "0s". Fills buf from the tail. */
static void dur_fmt_small(char *buf, int *w, uint64_t u)
{
    buf[--*w] = 's';
    if (u == 0) {
        buf[--*w] = '0';
        return;
    }
    int prec;
    if (u < 1000) {
        prec = 0;
        buf[--*w] = 'n';
    } else if (u < 1000000) {
        prec = 3;
        buf[--*w] = '\xb5'; /* U+00B5 as UTF-8: C2 B5 */
        buf[--*w] = '\xc2';
    } else {
        prec = 6;
        buf[--*w] = 'm';
    }
    dur_fmt_frac(buf, w, &u, prec);
    dur_fmt_int(buf, w, u);
}

/* One second or more: "[<h>h][<m>m]<s>[.frac]s". Fills buf from the tail. */
static void dur_fmt_large(char *buf, int *w, uint64_t u)
{
    buf[--*w] = 's';
    dur_fmt_frac(buf, w, &u, 9);
    dur_fmt_int(buf, w, u % 60);
    u /= 60;
    if (u == 0)
        return;
    buf[--*w] = 'm';
    dur_fmt_int(buf, w, u % 60);
    u /= 60;
    if (u == 0)
        return;
    buf[--*w] = 'h';
    dur_fmt_int(buf, w, u);
}

/* Print as Go's Duration.String(). The longest result,
 * "-2562047h47m16.854775808s", is 25 bytes plus the NUL. */
char *gotk_duration_format(gotk_duration d, char out[32])
{
    char buf[32];
    int w = (int)sizeof buf;
    buf[--w] = '\0';
    bool neg = d < 0;
    uint64_t u = (uint64_t)d;
    if (neg)
        u = 0 - u;
    if (u < (uint64_t)GOTK_SECOND)
        dur_fmt_small(buf, &w, u);
    else
        dur_fmt_large(buf, &w, u);
    if (neg)
        buf[--w] = '-';
    memcpy(out, buf + w, sizeof buf - (size_t)w);
    return out;
}

void gotk_duration_human(long long secs, char out[32])
{
    long long m = secs / 60, h = secs / 3600;
    if (secs < -1)
        snprintf(out, 32, "<invalid>");
    else if (secs < 0)
        snprintf(out, 32, "0s");
    else if (secs < 120)
        snprintf(out, 32, "%llds", secs);
    else if (m < 10)
        snprintf(out, 32, secs % 60 ? "%lldm%llds" : "%lldm", m, secs % 60);
    else if (m < 180)
        snprintf(out, 32, "%lldm", m);
    else if (h < 8)
        snprintf(out, 32, m % 60 ? "%lldh%lldm" : "%lldh", h, m % 60);
    else if (h < 48)
        snprintf(out, 32, "%lldh", h);
    else if (h < 24 * 8)
        snprintf(out, 32, h % 24 ? "%lldd%lldh" : "%lldd", h / 24, h % 24);
    else if (h < 24 * 365 * 2)
        snprintf(out, 32, "%lldd", h / 24);
    else if (h < 24 * 365 * 8)
        snprintf(out, 32, (h / 24) % 365 ? "%lldy%lldd" : "%lldy", h / 24 / 365, (h / 24) % 365);
    else
        snprintf(out, 32, "%lldy", h / 24 / 365);
}
