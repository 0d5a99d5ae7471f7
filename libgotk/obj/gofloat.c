/*
 * Go's float64 formatting, which manifests depend on byte for byte.
 *
 * Both forms start from the shortest decimal digits that read back as the same
 * double (what Go's strconv does with precision -1); we find them by asking
 * printf for 1..17 significant digits until strtod returns the same value.
 * Then:
 *  - encoding/json prints 'f' style, or 'e' style below 1e-6 and from 1e21 on,
 *    with a one-digit negative exponent ("1e-7");
 *  - strconv.FormatFloat(d, 'g', -1, 64) prints 'e' style when the exponent is
 *    below -4 or at least 6 (exponents have two digits at least: "1e+06").
 */
#include "gotk/obj.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct {
    char digits[24]; /* significant digits, no leading zeros */
    int nd;          /* number of digits */
    int dp;          /* value = 0.digits * 10^dp */
} decimal;

/* Whether text reads back as d, at float64 or (single) float32 precision. */
static bool reads_back(const char *text, double d, bool single)
{
    double r = strtod(text, NULL);
    return single ? (float)r == (float)d : r == d;
}

/* Shortest digits of a finite, positive d that round-trip (as a float32 when
 * single is set). */
static void shortest_bits(double d, bool single, decimal *out)
{
    char buf[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
        if (reads_back(buf, d, single))
            break;
    }
    int nd = 0;
    char *p = buf;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            out->digits[nd++] = *p;
    int exp10 = atoi(p + 1);
    while (nd > 1 && out->digits[nd - 1] == '0') /* "1.000e+05" style padding */
        nd--;
    out->digits[nd] = '\0';
    out->nd = nd;
    out->dp = exp10 + 1;
}

static void shortest(double d, decimal *out)
{
    shortest_bits(d, false, out);
}

/* d.ddde±XX with at least two exponent digits. */
static void format_e(const decimal *dec, char *out)
{
    int n = 0;
    out[n++] = dec->digits[0];
    if (dec->nd > 1) {
        out[n++] = '.';
        memcpy(out + n, dec->digits + 1, (size_t)dec->nd - 1);
        n += dec->nd - 1;
    }
    int e = dec->dp - 1;
    sprintf(out + n, "e%c%02d", e < 0 ? '-' : '+', abs(e));
}

/* Plain decimal notation with exactly the significant digits. */
static void format_f(const decimal *dec, char *out)
{
    int n = 0;
    if (dec->dp <= 0) {
        out[n++] = '0';
        out[n++] = '.';
        for (int i = 0; i < -dec->dp; i++)
            out[n++] = '0';
        memcpy(out + n, dec->digits, (size_t)dec->nd);
        n += dec->nd;
    } else {
        for (int i = 0; i < dec->dp; i++)
            out[n++] = i < dec->nd ? dec->digits[i] : '0';
        if (dec->nd > dec->dp) {
            out[n++] = '.';
            memcpy(out + n, dec->digits + dec->dp, (size_t)(dec->nd - dec->dp));
            n += dec->nd - dec->dp;
        }
    }
    out[n] = '\0';
}

/* Handles sign, zero and non-finite values common to both formats; returns
 * the buffer position to write the magnitude at, or NULL when done. */
static char *format_special(double d, char out[32], const char *inf, const char *nan)
{
    if (isnan(d)) {
        strcpy(out, nan);
        return NULL;
    }
    char *p = out;
    if (signbit(d))
        *p++ = '-';
    if (isinf(d)) {
        strcpy(p, inf);
        return NULL;
    }
    if (d == 0) {
        strcpy(p, "0");
        return NULL;
    }
    return p;
}

char *gotk_go_json_float(double d, char out[32])
{
    char *p = format_special(d, out, "Inf", "NaN");
    if (!p)
        return out;
    double a = fabs(d);
    decimal dec;
    shortest(a, &dec);
    if (a < 1e-6 || a >= 1e21) {
        format_e(&dec, p);
        size_t n = strlen(p); /* Go prints e-7, not e-07 */
        if (n >= 4 && p[n - 4] == 'e' && p[n - 3] == '-' && p[n - 2] == '0') {
            p[n - 2] = p[n - 1];
            p[n - 1] = '\0';
        }
    } else {
        format_f(&dec, p);
    }
    return out;
}

/* FormatFloat(d, 'g', -1, 64 or 32). */
static char *float_g(double d, bool single, char out[32])
{
    char *p = format_special(d, out, "Inf", "NaN");
    if (!p) {
        if (!strcmp(out, "Inf"))
            strcpy(out, "+Inf");
        return out;
    }
    decimal dec;
    shortest_bits(fabs(single ? (double)(float)d : d), single, &dec);
    int exp = dec.dp - 1;
    if (exp < -4 || exp >= 6)
        format_e(&dec, p);
    else
        format_f(&dec, p);
    return out;
}

char *gotk_go_float_g(double d, char out[32])
{
    return float_g(d, false, out);
}

char *obj_go_float32_g(double d, char out[32])
{
    return float_g(d, true, out);
}
