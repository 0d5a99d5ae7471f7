/*
 * sprig_decimal.c: addf, add1f, subf, mulf and divf. Sprig turns each operand
 * into a shopspring/decimal from the float64's shortest decimal form, works
 * exactly (division rounds half away from zero at 16 decimal places) and
 * converts back to the nearest float64; so `addf 0.1 0.2` is 0.3. Decimals are
 * OpenSSL big numbers with a base-10 exponent.
 */
#include <math.h>
#include <openssl/bn.h>
#include <stdlib.h>
#include <string.h>

#include "sprig.h"

#define FN(name) \
    static gotk_err *name(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv, \
                          gotk_tpl_val *res, void *ud)

/* decimal.Decimal.Div's precision. */
#define DIV_PRECISION 16

typedef struct {
    BIGNUM *v; /* the value is v * 10^exp */
    int exp;
} decimal;

/* The shortest decimal digits that read back as f (finite): f is
 * digits * 10^exp, negative when the result is true. */
bool sprig_float_digits(double f, char digits[40], int *exp)
{
    gotk_buf b = {0};
    tpl_fmt_float_shortest(&b, f, 'g'); /* "-123.45" or "1.2345e+21" */
    size_t n = 0;
    int frac = 0;
    bool point = false;
    const char *p = b.data;
    for (; *p && *p != 'e'; p++) {
        if (*p == '.')
            point = true;
        else if (*p >= '0' && *p <= '9' && n < 39)
            digits[n++] = *p, frac += point;
    }
    digits[n] = 0;
    *exp = (*p ? atoi(p + 1) : 0) - frac;
    bool neg = b.data[0] == '-';
    gotk_buf_free(&b);
    return neg;
}

/* decimal.NewFromFloat: the shortest decimal that reads back as f. */
static gotk_err *dec_from_float(double f, decimal *d)
{
    if (isnan(f) || isinf(f))
        return gotk_err_new(GOTK_E_INVALID, "Cannot create a Decimal from %s",
                            isnan(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf");
    char digits[40];
    bool neg = sprig_float_digits(f, digits, &d->exp);
    d->v = BN_new();
    BN_dec2bn(&d->v, digits);
    BN_set_negative(d->v, neg);
    return NULL;
}

/* v * 10^k into v (k >= 0). */
static void scale10(BIGNUM *v, int k, BN_CTX *ctx)
{
    BIGNUM *t = BN_new(), *ten = BN_new(), *e = BN_new();
    BN_set_word(ten, 10);
    BN_set_word(e, (BN_ULONG)k);
    BN_exp(t, ten, e, ctx);
    BN_mul(v, v, t, ctx);
    BN_free(t);
    BN_free(ten);
    BN_free(e);
}

/* Bring a and b to the same exponent (the smaller one). */
static void align(decimal *a, decimal *b, BN_CTX *ctx)
{
    if (a->exp > b->exp) {
        scale10(a->v, a->exp - b->exp, ctx);
        a->exp = b->exp;
    } else if (b->exp > a->exp) {
        scale10(b->v, b->exp - a->exp, ctx);
        b->exp = a->exp;
    }
}

/* decimal's DivRound(b, 16) into a. */
static gotk_err *dec_div(decimal *a, const decimal *b, BN_CTX *ctx)
{
    if (BN_is_zero(b->v))
        return gotk_err_new(GOTK_E_INVALID, "decimal division by 0");
    BIGNUM *num = BN_dup(a->v), *den = BN_dup(b->v), *q = BN_new(), *r = BN_new();
    int e = a->exp - b->exp + DIV_PRECISION;
    if (e >= 0)
        scale10(num, e, ctx);
    else
        scale10(den, -e, ctx);
    BN_div(q, r, num, den, ctx); /* truncates towards zero */
    BN_set_negative(r, 0);
    BN_lshift1(r, r);
    BN_set_negative(den, 0);
    if (BN_cmp(r, den) >= 0) { /* half or more: away from zero */
        if (BN_is_negative(a->v) != BN_is_negative(b->v))
            BN_sub_word(q, 1);
        else
            BN_add_word(q, 1);
    }
    BN_free(a->v);
    a->v = q;
    a->exp = -DIV_PRECISION;
    BN_free(num);
    BN_free(den);
    BN_free(r);
    return NULL;
}

/* The float64 nearest to d. */
static double dec_to_float(const decimal *d)
{
    char *s = BN_bn2dec(d->v);
    gotk_buf b = {0};
    gotk_buf_printf(&b, "%se%d", s, d->exp);
    double f = strtod(b.data, NULL);
    OPENSSL_free(s);
    gotk_buf_free(&b);
    return f;
}

/* acc op x, op being one of + - * / . */
static gotk_err *dec_apply(decimal *acc, decimal *x, char op, BN_CTX *ctx)
{
    switch (op) {
    case '+': align(acc, x, ctx); BN_add(acc->v, acc->v, x->v); return NULL;
    case '-': align(acc, x, ctx); BN_sub(acc->v, acc->v, x->v); return NULL;
    case '*': BN_mul(acc->v, acc->v, x->v, ctx); acc->exp += x->exp; return NULL;
    default: return dec_div(acc, x, ctx);
    }
}

/* Sprig's execDecimalOp: first op each of the rest, left to right. */
static gotk_err *decimal_op(double first, int n, const double *rest, char op, double *out)
{
    decimal acc;
    gotk_err *e = dec_from_float(first, &acc);
    if (e)
        return e;
    BN_CTX *ctx = BN_CTX_new();
    for (int i = 0; i < n && !e; i++) {
        decimal x;
        e = dec_from_float(rest[i], &x);
        if (!e) {
            e = dec_apply(&acc, &x, op, ctx);
            BN_free(x.v);
        }
    }
    *out = e ? 0 : dec_to_float(&acc);
    BN_free(acc.v);
    BN_CTX_free(ctx);
    return e;
}

/* addf/subf/mulf/divf (ud: the operator), add1f (ud "1"). */
FN(fn_decimal)
{
    const char *op = ud;
    double *rest = gotk_xcalloc((size_t)argc + 1, sizeof *rest);
    double first = 0, r = 0;
    int n = 0;
    if (*op == '1') {
        first = sprig_to_float64(tpl_indirect_iface(argv[0]));
        rest[n++] = 1;
    } else {
        int i = 0;
        if (*op != '+') /* addf starts from 0 and adds every argument */
            first = sprig_to_float64(tpl_indirect_iface(argv[i++]));
        for (; i < argc; i++)
            rest[n++] = sprig_to_float64(tpl_indirect_iface(argv[i]));
    }
    gotk_err *e = decimal_op(first, n, rest, *op == '1' ? '+' : *op, &r);
    free(rest);
    if (!e)
        *res = gotk_tpl_float(ex, r);
    return e;
}

/* Register the float functions. */
void sprig_add_decimal(gotk_tpl_set *set)
{
    gotk_template_add_func(set, "addf", "v...", fn_decimal, "+");
    gotk_template_add_func(set, "add1f", "v", fn_decimal, "1");
    gotk_template_add_func(set, "subf", "vv...", fn_decimal, "-");
    gotk_template_add_func(set, "mulf", "vv...", fn_decimal, "*");
    gotk_template_add_func(set, "divf", "vv...", fn_decimal, "/");
}
