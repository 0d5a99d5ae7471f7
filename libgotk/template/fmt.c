/*
 * fmt.c: Go's fmt package for template values (Sprint, Sprintf, Sprintln).
 *
 * A printer state holds the flags, width and precision of the verb being
 * formatted; print_arg dispatches on the value's Go type to the formatter for
 * bools, integers, floats and strings, and walks maps (keys sorted) and slices
 * element by element with the same verb, as Go's printValue does. Mismatched
 * verbs print Go's "%!d(string=x)" forms. Floats are formatted from decimal
 * digits obtained with snprintf: the shortest digits that round-trip for %v and
 * %g, so 1000000.0 prints "1e+06" and 3.0 prints "3" as in Go.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpl_int.h"

typedef struct {
    gotk_buf *out;
    bool minus, plus, sharp, space, zero, sharp_v, plus_v;
    bool wid_present, prec_present;
    int wid, prec;
    bool action; /* printing an action's value: pointers deref'd, addressable */
} pp;

static void print_arg(pp *p, gotk_tpl_val v, int verb, int depth);

static const char ldigits[] = "0123456789abcdefx";
static const char udigits[] = "0123456789ABCDEFX";

/* Number of runes in s[0..n). */
static int rune_count(const char *s, size_t n)
{
    int c = 0;
    for (size_t i = 0; i < n;) {
        int32_t r;
        i += (size_t)tpl_utf8_decode(s + i, n - i, &r);
        c++;
    }
    return c;
}

/* n padding characters: zeros with the 0 flag, else spaces. */
static void write_padding(pp *p, int n)
{
    for (int i = 0; i < n; i++)
        gotk_buf_putc(p->out, p->zero ? '0' : ' ');
}

/* Write s padded to the width (left or right, spaces or zeros). */
static void pad(pp *p, const char *s, size_t n)
{
    if (!p->wid_present || p->wid == 0) {
        gotk_buf_append(p->out, s, n);
        return;
    }
    int w = p->wid - rune_count(s, n);
    if (!p->minus)
        write_padding(p, w);
    gotk_buf_append(p->out, s, n);
    if (p->minus)
        write_padding(p, w);
}

/* pad() of a C string. */
static void pad_str(pp *p, const char *s)
{
    pad(p, s, strlen(s));
}

/* ---- integers -------------------------------------------------------------- */

/* Go's fmt.fmtInteger. */
static void fmt_integer(pp *p, uint64_t u, int base, bool is_signed, int verb, const char *digits)
{
    bool negative = is_signed && (int64_t)u < 0;
    if (negative)
        u = 0 - u;
    int prec = 0;
    if (p->prec_present) {
        prec = p->prec;
        if (prec == 0 && u == 0) {
            bool z = p->zero;
            p->zero = false;
            write_padding(p, p->wid);
            p->zero = z;
            return;
        }
    } else if (p->zero && !p->minus && p->wid_present) {
        prec = p->wid;
        if (negative || p->plus || p->space)
            prec--;
    }
    size_t cap = 80 + (size_t)(prec > 0 ? prec : 0);
    char *buf = gotk_xmalloc(cap);
    size_t i = cap;
    do {
        buf[--i] = digits[u % (uint64_t)base];
        u /= (uint64_t)base;
    } while (u > 0);
    while (i > 4 && (int)(cap - i) < prec)
        buf[--i] = '0';
    if (p->sharp) {
        if (base == 2) buf[--i] = 'b', buf[--i] = '0';
        else if (base == 8 && buf[i] != '0') buf[--i] = '0';
        else if (base == 16) buf[--i] = digits[16], buf[--i] = '0';
    }
    if (verb == 'O')
        buf[--i] = 'o', buf[--i] = '0';
    if (negative) buf[--i] = '-';
    else if (p->plus) buf[--i] = '+';
    else if (p->space) buf[--i] = ' ';
    bool z = p->zero;
    p->zero = false;
    pad(p, buf + i, cap - i);
    p->zero = z;
    free(buf);
}

/* %c, %q and %U of an integer. */
static void fmt_rune_verb(pp *p, uint64_t u, int verb)
{
    int32_t r = u > 0x10FFFF ? 0xFFFD : (int32_t)u;
    gotk_buf b = {0};
    if (verb == 'c') {
        tpl_utf8_encode(&b, r);
    } else if (verb == 'U') {
        gotk_buf_printf(&b, "U+%04llX", (unsigned long long)u);
        if (p->sharp && u <= 0x10FFFF && r >= 0x20 && r != 0x7F) {
            gotk_buf_puts(&b, " '");
            tpl_utf8_encode(&b, r);
            gotk_buf_putc(&b, '\'');
        }
    } else {
        gotk_buf s = {0};
        tpl_utf8_encode(&s, r);
        tpl_quote(&b, s.data, s.len);
        b.data[0] = b.data[b.len - 1] = '\'';
        if (s.len == 1 && s.data[0] == '\'') {
            b.len = 0;
            gotk_buf_puts(&b, "'\\''");
        } else if (s.len == 1 && s.data[0] == '"') {
            b.len = 0;
            gotk_buf_puts(&b, "'\"'");
        }
        gotk_buf_free(&s);
    }
    pad(p, b.data, b.len);
    gotk_buf_free(&b);
}

/* ---- floats ---------------------------------------------------------------- */

typedef struct {
    char d[40];
    int nd, dp;
} decimal;

/* v (> 0, finite) rounded to `prec` significant digits; trailing zeros trimmed. */
static void digits_prec(double v, int prec, decimal *d)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*e", prec - 1, v);
    char *e = strchr(tmp, 'e');
    d->nd = 0;
    for (char *c = tmp; c < e; c++)
        if (*c >= '0' && *c <= '9')
            d->d[d->nd++] = *c;
    d->dp = atoi(e + 1) + 1;
    while (d->nd > 0 && d->d[d->nd - 1] == '0')
        d->nd--;
    if (d->nd == 0)
        d->dp = 0;
}

/* The shortest digits that read back as v. */
static void digits_shortest(double v, decimal *d)
{
    for (int prec = 1; prec <= 17; prec++) {
        digits_prec(v, prec, d);
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%.*se%d", d->nd ? d->nd : 1, d->nd ? d->d : "0", d->dp - d->nd);
        if (strtod(tmp, NULL) == v)
            return;
    }
}

/* %e from digits: d.ddddde±dd with prec digits after the point. */
static void fmt_e(gotk_buf *b, const decimal *d, int prec, char e)
{
    gotk_buf_putc(b, d->nd ? d->d[0] : '0');
    if (prec > 0) {
        gotk_buf_putc(b, '.');
        for (int i = 1; i <= prec; i++)
            gotk_buf_putc(b, i < d->nd ? d->d[i] : '0');
    }
    int exp = d->nd ? d->dp - 1 : 0;
    gotk_buf_printf(b, "%c%c%02d", e, exp < 0 ? '-' : '+', abs(exp));
}

/* %f from digits with prec digits after the point. */
static void fmt_f(gotk_buf *b, const decimal *d, int prec)
{
    if (d->dp > 0) {
        for (int i = 0; i < d->dp; i++)
            gotk_buf_putc(b, i < d->nd ? d->d[i] : '0');
    } else {
        gotk_buf_putc(b, '0');
    }
    if (prec > 0) {
        gotk_buf_putc(b, '.');
        for (int i = 1; i <= prec; i++) {
            int j = d->dp + i - 1;
            gotk_buf_putc(b, j >= 0 && j < d->nd ? d->d[j] : '0');
        }
    }
}

/* strconv's %g: prec < 0 means shortest. v is positive and finite. */
static void fmt_g(gotk_buf *b, double v, int prec, char g)
{
    decimal d;
    bool shortest = prec < 0;
    if (v == 0) {
        d.nd = 0, d.dp = 0;
        if (shortest) prec = 0;
    } else if (shortest) {
        digits_shortest(v, &d);
    } else {
        if (prec == 0) prec = 1;
        digits_prec(v, prec, &d);
    }
    if (shortest)
        prec = d.nd;
    int eprec = prec;
    if (eprec > d.nd && d.nd >= d.dp)
        eprec = d.nd;
    if (shortest)
        eprec = 6;
    int exp = d.dp - 1;
    if (v != 0 && (exp < -4 || exp >= eprec)) {
        if (prec > d.nd)
            prec = d.nd;
        fmt_e(b, &d, prec - 1, g == 'G' ? 'E' : 'e');
        return;
    }
    if (prec > d.dp)
        prec = d.nd;
    fmt_f(b, &d, prec - d.dp > 0 ? prec - d.dp : 0);
}

/* Split v (positive, finite) into mantissa and binary exponent as Go's %b
 * shows them: v == mant * 2^exp, mant holding the implicit bit. */
static void float_bits(double v, uint64_t *mant, int *exp)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    int e = (int)((u >> 52) & 0x7FF);
    *mant = u & ((1ULL << 52) - 1);
    if (e == 0)
        e = 1;
    else
        *mant |= 1ULL << 52;
    *exp = e - 1023 - 52;
}

/* %b: decimal mantissa, 'p', binary exponent ("4503599627370496p-52"). */
static void fmt_bin(gotk_buf *b, double v)
{
    uint64_t mant;
    int exp;
    float_bits(v, &mant, &exp);
    gotk_buf_printf(b, "%llup%c%d", (unsigned long long)mant, exp < 0 ? '-' : '+', abs(exp));
}

/* %x: mantissa 1.xxx in hex, shortest or rounded (half to even) to prec
 * digits, exponent of at least two digits ("0x1.8p+01"), as strconv's %x. */
static void fmt_hex(gotk_buf *b, double v, bool upper, int prec)
{
    const char *digits = upper ? udigits : ldigits;
    uint64_t mant;
    int exp;
    float_bits(v, &mant, &exp);
    exp += 52;
    if (mant == 0)
        exp = 0;
    mant <<= 60 - 52; /* the leading 1 at bit 60 */
    for (; mant && !(mant & (1ULL << 60)); mant <<= 1)
        exp--;
    if (prec >= 0 && prec < 15) {
        unsigned shift = (unsigned)prec * 4;
        uint64_t extra = (mant << shift) & ((1ULL << 60) - 1);
        mant >>= 60 - shift;
        if ((extra | (mant & 1)) > (1ULL << 59))
            mant++;
        mant <<= 60 - shift;
        if (mant & (1ULL << 61)) { /* rounded up past 2 */
            mant >>= 1;
            exp++;
        }
    }
    gotk_buf_puts(b, upper ? "0X" : "0x");
    gotk_buf_putc(b, (char)('0' + ((mant >> 60) & 1)));
    mant <<= 4;
    if ((prec < 0 && mant) || prec > 0) {
        gotk_buf_putc(b, '.');
        for (int i = 0; prec < 0 ? mant != 0 : i < prec; i++, mant <<= 4)
            gotk_buf_putc(b, digits[(mant >> 60) & 15]);
    }
    gotk_buf_printf(b, "%c%c%02d", upper ? 'P' : 'p', exp < 0 ? '-' : '+', abs(exp));
}

/* strconv.FormatFloat of |v| into b (sign handled by the caller). */
static void format_abs(gotk_buf *b, double v, int verb, int prec)
{
    char tmp[512];
    switch (verb) {
    case 'e': case 'E':
        snprintf(tmp, sizeof tmp, verb == 'e' ? "%.*e" : "%.*E", prec < 0 ? 6 : prec, v);
        gotk_buf_puts(b, tmp);
        return;
    case 'f': case 'F':
        if (prec < 0) {
            decimal d;
            if (v == 0) d.nd = d.dp = 0;
            else digits_shortest(v, &d);
            fmt_f(b, &d, d.nd - d.dp > 0 ? d.nd - d.dp : 0);
            return;
        }
        if (v >= 1e300) {
            gotk_buf_printf(b, "%.*f", prec, v);
            return;
        }
        snprintf(tmp, sizeof tmp, "%.*f", prec, v);
        gotk_buf_puts(b, tmp);
        return;
    case 'x': case 'X': fmt_hex(b, v, verb == 'X', prec); return;
    case 'b': fmt_bin(b, v); return;
    default:
        fmt_g(b, v, prec, verb == 'G' ? 'G' : 'g');
    }
}

/* The '#' flag on a finite number (sign first): a decimal point always, and
 * %g/%x keep trailing zeros up to the precision (6 when unset), as Go's fmt. */
static void sharp_float(gotk_buf *num, int verb, int prec)
{
    int digits = strchr("gGxX", verb) ? (prec < 0 ? 6 : prec) : 0;
    bool point = false, nonzero = false;
    size_t end = num->len;
    for (size_t i = 1; i < end; i++) {
        char c = num->data[i];
        bool exp = c == 'p' || c == 'P' || ((c == 'e' || c == 'E') && verb != 'x' && verb != 'X');
        if (exp) {
            end = i;
        } else if (c == '.') {
            point = true;
        } else {
            nonzero |= c != '0';
            digits -= nonzero;
        }
    }
    gotk_buf tail = {0};
    gotk_buf_append(&tail, num->data + end, num->len - end);
    num->len = end;
    if (!point) {
        if (end == 2 && num->data[1] == '0')
            digits--;
        gotk_buf_putc(num, '.');
    }
    for (; digits > 0; digits--)
        gotk_buf_putc(num, '0');
    gotk_buf_append(num, tail.data ? tail.data : "", tail.len);
    gotk_buf_free(&tail);
}

/* Go's fmt.fmtFloat: sign, Inf/NaN, zero padding after the sign. */
static void fmt_float(pp *p, double v, int verb, int prec)
{
    if (p->prec_present)
        prec = p->prec;
    gotk_buf num = {0};
    if (isnan(v)) {
        gotk_buf_puts(&num, p->plus ? "+NaN" : p->space ? " NaN" : "NaN");
    } else {
        gotk_buf_putc(&num, signbit(v) ? '-' : '+');
        if (isinf(v))
            gotk_buf_puts(&num, "Inf");
        else
            format_abs(&num, fabs(v), verb, prec);
        if (p->sharp && verb != 'b' && !isinf(v))
            sharp_float(&num, verb, prec);
        if (p->space && num.data[0] == '+' && !p->plus)
            num.data[0] = ' ';
    }
    if (isnan(v) || isinf(v)) {
        bool z = p->zero;
        p->zero = false;
        pad(p, num.data, num.len); /* Go keeps Inf's sign: "+Inf" */
        p->zero = z;
    } else if (p->plus || num.data[0] != '+') {
        if (p->zero && !p->minus && p->wid_present && p->wid > (int)num.len) {
            gotk_buf_putc(p->out, num.data[0]);
            write_padding(p, p->wid - (int)num.len);
            gotk_buf_append(p->out, num.data + 1, num.len - 1);
        } else {
            pad(p, num.data, num.len);
        }
    } else {
        pad(p, num.data + 1, num.len - 1);
    }
    gotk_buf_free(&num);
}

/* ---- strings --------------------------------------------------------------- */

/* The prefix of s holding at most prec runes (all of it without precision). */
static size_t truncate_runes(const pp *p, const char *s, size_t n)
{
    if (!p->prec_present)
        return n;
    size_t i = 0;
    for (int r = 0; i < n && r < p->prec; r++) {
        int32_t c;
        i += (size_t)tpl_utf8_decode(s + i, n - i, &c);
    }
    return i;
}

/* %x / %X of a string's bytes. */
static void fmt_sbx(pp *p, const char *s, size_t n, const char *digits)
{
    size_t length = n;
    if (p->prec_present && (size_t)p->prec < length)
        length = (size_t)p->prec;
    int width = 2 * (int)length;
    if (width == 0) {
        if (p->wid_present)
            write_padding(p, p->wid);
        return;
    }
    if (p->space) {
        if (p->sharp)
            width *= 2;
        width += (int)length - 1;
    } else if (p->sharp) {
        width += 2;
    }
    if (p->wid_present && p->wid > width && !p->minus)
        write_padding(p, p->wid - width);
    if (p->sharp)
        gotk_buf_putc(p->out, '0'), gotk_buf_putc(p->out, digits[16]);
    for (size_t i = 0; i < length; i++) {
        if (p->space && i > 0) {
            gotk_buf_putc(p->out, ' ');
            if (p->sharp)
                gotk_buf_putc(p->out, '0'), gotk_buf_putc(p->out, digits[16]);
        }
        unsigned char c = (unsigned char)s[i];
        gotk_buf_putc(p->out, digits[c >> 4]);
        gotk_buf_putc(p->out, digits[c & 15]);
    }
    if (p->wid_present && p->wid > width && p->minus)
        write_padding(p, p->wid - width);
}

/* %q of a string: Go quoting, or backquotes with '#' when possible. */
static void fmt_q(pp *p, const char *s, size_t n)
{
    n = truncate_runes(p, s, n);
    gotk_buf b = {0};
    bool back = p->sharp;
    for (size_t i = 0; back && i < n;) {
        int32_t r;
        int w = tpl_utf8_decode(s + i, n - i, &r);
        if ((r == 0xFFFD && w == 1) || r == 0xFEFF || r == '`' || r == 0x7F || (r < ' ' && r != '\t'))
            back = false;
        i += (size_t)w;
    }
    if (back) {
        gotk_buf_putc(&b, '`');
        gotk_buf_append(&b, s, n);
        gotk_buf_putc(&b, '`');
    } else {
        tpl_quote_ex(&b, s, n, p->plus);
    }
    pad(p, b.data, b.len);
    gotk_buf_free(&b);
}

/* ---- dispatch -------------------------------------------------------------- */

/* %!verb(type=value) for a verb the value's type does not take. */
static void bad_verb(pp *p, int verb, gotk_tpl_val v)
{
    gotk_buf_puts(p->out, "%!");
    tpl_utf8_encode(p->out, verb);
    gotk_buf_putc(p->out, '(');
    if (v.kind == GOTK_TPL_NIL || v.kind == GOTK_TPL_INVALID) {
        gotk_buf_puts(p->out, "<nil>");
    } else {
        gotk_buf_puts(p->out, gotk_tpl_type_name(v));
        gotk_buf_putc(p->out, '=');
        print_arg(p, v, 'v', 0);
    }
    gotk_buf_putc(p->out, ')');
}

/* Integers: %d %b %o %O %x %X %c %q %U %v. */
static void print_int(pp *p, gotk_tpl_val v, int verb)
{
    uint64_t u = (uint64_t)json_object_get_int64(v.j);
    switch (verb) {
    case 'v': case 'd': fmt_integer(p, u, 10, true, verb, ldigits); break;
    case 'b': fmt_integer(p, u, 2, true, verb, ldigits); break;
    case 'o': case 'O': fmt_integer(p, u, 8, true, verb, ldigits); break;
    case 'x': fmt_integer(p, u, 16, true, verb, ldigits); break;
    case 'X': fmt_integer(p, u, 16, true, verb, udigits); break;
    case 'c': case 'q': case 'U': fmt_rune_verb(p, u, verb); break;
    default: bad_verb(p, verb, v);
    }
}

/* float64: %v %g %e %f %x %b and their capitals. */
static void print_float(pp *p, gotk_tpl_val v, int verb)
{
    double d = json_object_get_double(v.j);
    switch (verb) {
    case 'v': fmt_float(p, d, 'g', -1); break;
    case 'b': case 'g': case 'G': case 'x': case 'X': fmt_float(p, d, verb, -1); break;
    case 'f': case 'e': case 'E': case 'F': fmt_float(p, d, verb, 6); break;
    default: bad_verb(p, verb, v);
    }
}

/* Strings: %v %s %q %x %X. */
static void print_string(pp *p, gotk_tpl_val v, int verb)
{
    const char *s = json_object_get_string(v.j);
    size_t n = (size_t)json_object_get_string_len(v.j);
    switch (verb) {
    case 'v':
        if (p->sharp_v)
            fmt_q(p, s, n);
        else
            pad(p, s, truncate_runes(p, s, n));
        break;
    case 's': pad(p, s, truncate_runes(p, s, n)); break;
    case 'x': fmt_sbx(p, s, n, ldigits); break;
    case 'X': fmt_sbx(p, s, n, udigits); break;
    case 'q': fmt_q(p, s, n); break;
    default: bad_verb(p, verb, v);
    }
}

/* %#v's type of a map or slice: a Go typed one's own ("[]string" of
 * .Chart.Keywords), else the template's interface{} element type. */
static const char *container_type(gotk_tpl_val v, const char *plain)
{
    const tpl_tag *t = v.j ? tpl_tag_of(v.j) : NULL;
    return t && !t->is_struct && v.tname && strchr("[m", v.tname[0]) ? v.tname : plain;
}

/* %#v of a nil map or slice: "[]string(nil)"; false for others. */
static bool print_nil_container(pp *p, gotk_tpl_val v, const char *plain)
{
    const tpl_tag *t = v.j ? tpl_tag_of(v.j) : NULL;
    if (!p->sharp_v || (v.j && !(t && t->is_nil)))
        return false;
    gotk_buf_printf(p->out, "%s(nil)", container_type(v, plain));
    return true;
}

/* map[k:v k:v] with sorted keys, each part formatted with the verb. */
static void print_map(pp *p, gotk_tpl_val v, int verb, int depth)
{
    size_t n;
    const char **keys = tpl_sorted_keys(v.j, &n);
    if (p->sharp_v)
        gotk_buf_printf(p->out, "%s{", container_type(v, "map[string]interface {}"));
    else
        gotk_buf_puts(p->out, "map[");
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            gotk_buf_puts(p->out, p->sharp_v ? ", " : " ");
        json_object *k = json_object_new_string(keys[i]);
        print_arg(p, gotk_tpl_from_json(k, false), verb, depth + 1);
        json_object_put(k);
        gotk_buf_putc(p->out, ':');
        print_arg(p, gotk_tpl_from_json(json_object_object_get(v.j, keys[i]), true), verb,
                  depth + 1);
    }
    gotk_buf_putc(p->out, p->sharp_v ? '}' : ']');
    free(keys);
}

/* [a b c], each element formatted with the verb. */
static void print_slice(pp *p, gotk_tpl_val v, int verb, int depth)
{
    size_t n = tpl_len(v);
    if (p->sharp_v)
        gotk_buf_printf(p->out, "%s{", container_type(v, "[]interface {}"));
    else
        gotk_buf_putc(p->out, '[');
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            gotk_buf_puts(p->out, p->sharp_v ? ", " : " ");
        print_arg(p, gotk_tpl_from_json(json_object_array_get_idx(v.j, i), true), verb,
                  depth + 1);
    }
    gotk_buf_putc(p->out, p->sharp_v ? '}' : ']');
}

/* A struct: its fields in order, in braces; "&{...}" through a pointer. */
static void print_struct(pp *p, gotk_tpl_val v, const char *type, int verb, int depth)
{
    if (type[0] == '*' && !(depth == 0 && p->action))
        gotk_buf_putc(p->out, '&');
    gotk_buf_putc(p->out, '{');
    bool first = true;
    json_object_object_foreach(v.j, k, child) {
        if (!first)
            gotk_buf_putc(p->out, ' ');
        first = false;
        if (p->plus_v) /* %+v names the fields */
            gotk_buf_printf(p->out, "%s:", k);
        print_arg(p, gotk_tpl_from_json(child, false), verb, depth + 1);
    }
    gotk_buf_putc(p->out, '}');
}

/* A value of a named Go type: its String method for the verbs fmt uses it
 * with, or a struct's fields. False for other values. */
static bool print_typed(pp *p, gotk_tpl_val v, int verb, int depth)
{
    const tpl_tag *t = v.tname && v.j ? tpl_tag_of(v.j) : NULL;
    bool named_int = v.tname && v.kind == GOTK_TPL_INT64; /* time.Duration */
    if (!t && !named_int)
        return false;
    if (!p->sharp_v && strchr("vsxXq", verb)) {
        gotk_buf str = {0};
        bool has = tpl_stringer(v, p->action && depth == 0, &str);
        if (has) {
            json_object *j = json_object_new_string_len(str.data ? str.data : "", (int)str.len);
            print_string(p, gotk_tpl_from_json(j, false), verb);
            json_object_put(j);
        }
        gotk_buf_free(&str);
        if (has)
            return true;
    }
    if (!t || !t->is_struct || v.kind != GOTK_TPL_MAP)
        return false;
    print_struct(p, v, t->type, verb, depth);
    return true;
}

/* A []byte with a verb fmt prints it as numbers with: [104 105]. */
static bool print_bytes(pp *p, gotk_tpl_val v, int verb, int depth)
{
    if (!TPL_IS_BYTES(v) || strchr("sqxX", verb) || p->sharp_v)
        return false;
    const unsigned char *s = (const unsigned char *)json_object_get_string(v.j);
    size_t n = (size_t)json_object_get_string_len(v.j);
    gotk_buf_putc(p->out, '[');
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            gotk_buf_putc(p->out, ' ');
        json_object *b = json_object_new_int(s[i]);
        gotk_tpl_val bv = gotk_tpl_from_json(b, false);
        bv.kind = GOTK_TPL_UINT8;
        print_arg(p, bv, verb, depth + 1);
        json_object_put(b);
    }
    gotk_buf_putc(p->out, ']');
    return true;
}

/* Format one value with a verb (Go's printArg and printValue). */
static void print_arg(pp *p, gotk_tpl_val v, int verb, int depth)
{
    if (verb == 'T' && depth == 0) {
        if (v.kind == GOTK_TPL_NIL || v.kind == GOTK_TPL_INVALID)
            pad_str(p, "<nil>");
        else
            pad_str(p, gotk_tpl_type_name(v));
        return;
    }
    if (print_typed(p, v, verb, depth) || print_bytes(p, v, verb, depth))
        return;
    switch (v.kind) {
    case GOTK_TPL_INVALID:
    case GOTK_TPL_NIL:
        if (depth > 0 && p->sharp_v)
            pad_str(p, "interface {}(nil)");
        else if (depth > 0 || verb == 'v' || verb == 'T')
            pad_str(p, "<nil>");
        else
            bad_verb(p, verb, v);
        return;
    case GOTK_TPL_BOOL:
        if (verb == 'v' || verb == 't')
            pad_str(p, json_object_get_boolean(v.j) ? "true" : "false");
        else
            bad_verb(p, verb, v);
        return;
    case GOTK_TPL_INT: case GOTK_TPL_INT64: case GOTK_TPL_UINT8: print_int(p, v, verb); return;
    case GOTK_TPL_FLOAT64: print_float(p, v, verb); return;
    case GOTK_TPL_STRING: print_string(p, v, verb); return;
    case GOTK_TPL_MAP:
        if (!print_nil_container(p, v, "map[string]interface {}"))
            print_map(p, v, verb, depth);
        return;
    case GOTK_TPL_SLICE:
        if (!print_nil_container(p, v, "[]interface {}"))
            print_slice(p, v, verb, depth);
        return;
    }
}

/* Reset the flags, width and precision before the next verb. */
static void clear_flags(pp *p)
{
    gotk_buf *o = p->out;
    memset(p, 0, sizeof *p);
    p->out = o;
}

/* Whether Sprint treats the value as a string (no space around it). */
static bool is_string(gotk_tpl_val v)
{
    return v.kind == GOTK_TPL_STRING && !TPL_IS_BYTES(v);
}

/* fmt.Sprint: spaces between operands when neither is a string. */
void gotk_tpl_sprint(gotk_buf *out, int argc, const gotk_tpl_val *argv)
{
    pp p = {.out = out};
    bool prev_string = false;
    for (int i = 0; i < argc; i++) {
        bool s = is_string(argv[i]);
        if (i > 0 && !s && !prev_string)
            gotk_buf_putc(out, ' ');
        clear_flags(&p);
        print_arg(&p, argv[i], 'v', 0);
        prev_string = s;
    }
    if (!out->data)
        gotk_buf_puts(out, "");
}

/* An action's value, as text/template's printValue passes it to fmt. */
void tpl_print_action(gotk_buf *out, gotk_tpl_val v)
{
    pp p = {.out = out, .action = true};
    print_arg(&p, v, 'v', 0);
    if (!out->data)
        gotk_buf_puts(out, "");
}

/* fmt.Sprintln: spaces between operands and a newline. */
void gotk_tpl_sprintln(gotk_buf *out, int argc, const gotk_tpl_val *argv)
{
    pp p = {.out = out};
    for (int i = 0; i < argc; i++) {
        if (i > 0)
            gotk_buf_putc(out, ' ');
        clear_flags(&p);
        print_arg(&p, argv[i], 'v', 0);
    }
    gotk_buf_putc(out, '\n');
}

/* Parse a decimal number at f[*i]; false when there is none. */
static bool parse_num(const char *f, size_t n, size_t *i, int *num)
{
    if (*i >= n || f[*i] < '0' || f[*i] > '9')
        return false;
    int v = 0;
    while (*i < n && f[*i] >= '0' && f[*i] <= '9') {
        if (v > 1000000)
            return false;
        v = v * 10 + (f[(*i)++] - '0');
    }
    *num = v;
    return true;
}

/* Where Sprintf is in its argument list. */
typedef struct {
    int argc;
    const gotk_tpl_val *argv;
    int num;        /* next argument */
    bool reordered; /* an explicit [n] index was used */
    bool good;      /* the last [n] index was valid */
} args_state;

/* An int argument for '*' width or precision (Go's intFromArg). */
static bool int_from_arg(args_state *a, int *out)
{
    *out = 0;
    if (a->num >= a->argc)
        return false;
    gotk_tpl_val v = a->argv[a->num++];
    if (v.kind != GOTK_TPL_INT && v.kind != GOTK_TPL_INT64 && v.kind != GOTK_TPL_UINT8)
        return false;
    int64_t x = json_object_get_int64(v.j);
    if (x < -1000000 || x > 1000000)
        return false;
    *out = (int)x;
    return true;
}

/* An explicit argument index "[n]" at f[*i] (Go's argNumber). */
static bool arg_number(args_state *a, const char *f, size_t n, size_t *i)
{
    if (*i >= n || f[*i] != '[')
        return false;
    a->reordered = true;
    size_t close = *i + 1;
    while (close < n && f[close] != ']')
        close++;
    if (n - *i < 3 || close >= n) {
        (*i)++;
        a->good = false;
        return false;
    }
    size_t j = *i + 1;
    int idx = 0;
    bool ok = parse_num(f, close, &j, &idx) && j == close;
    *i = close + 1;
    if (ok && idx - 1 >= 0 && idx - 1 < a->argc) {
        a->num = idx - 1;
        return true;
    }
    a->good = false;
    return ok;
}

/* Flags after '%': # 0 + - space. */
static void parse_flags(pp *p, const char *f, size_t n, size_t *i)
{
    for (; *i < n; (*i)++) {
        switch (f[*i]) {
        case '#': p->sharp = true; break;
        case '0': p->zero = !p->minus; break;
        case '+': p->plus = true; break;
        case '-': p->minus = true, p->zero = false; break;
        case ' ': p->space = true; break;
        default: return;
        }
    }
}

/* Width: literal or '*'; returns whether an index still applies to the verb. */
static bool parse_width(pp *p, const char *f, size_t n, size_t *i, args_state *a, bool after_index)
{
    if (*i < n && f[*i] == '*') {
        (*i)++;
        p->wid_present = int_from_arg(a, &p->wid);
        if (!p->wid_present)
            gotk_buf_puts(p->out, "%!(BADWIDTH)");
        if (p->wid < 0)
            p->wid = -p->wid, p->minus = true, p->zero = false;
        return false;
    }
    p->wid_present = parse_num(f, n, i, &p->wid);
    if (after_index && p->wid_present)
        a->good = false;
    return after_index;
}

/* Precision: ".n", ".*" or ".[k]*". */
static bool parse_prec(pp *p, const char *f, size_t n, size_t *i, args_state *a, bool after_index)
{
    if (!(*i + 1 < n && f[*i] == '.'))
        return after_index;
    (*i)++;
    if (after_index)
        a->good = false;
    after_index = arg_number(a, f, n, i);
    if (*i < n && f[*i] == '*') {
        (*i)++;
        p->prec_present = int_from_arg(a, &p->prec);
        if (p->prec < 0)
            p->prec = 0, p->prec_present = false;
        if (!p->prec_present)
            gotk_buf_puts(p->out, "%!(BADPREC)");
        return false;
    }
    if (!parse_num(f, n, i, &p->prec))
        p->prec = 0;
    p->prec_present = true;
    return after_index;
}

/* Format one verb with the current flags and argument state. */
static void do_verb(pp *p, int32_t verb, args_state *a)
{
    if (verb == '%') {
        gotk_buf_putc(p->out, '%');
        return;
    }
    if (!a->good || a->num >= a->argc) {
        gotk_buf_puts(p->out, "%!");
        tpl_utf8_encode(p->out, verb);
        gotk_buf_puts(p->out, a->good ? "(MISSING)" : "(BADINDEX)");
        return;
    }
    if (verb == 'v') {
        p->sharp_v = p->sharp, p->sharp = false;
        p->plus_v = p->plus, p->plus = false;
    }
    print_arg(p, a->argv[a->num++], verb, 0);
}

/* "%!(EXTRA type=value, ...)" for unused arguments. */
static void extra_args(pp *p, const args_state *a)
{
    clear_flags(p);
    gotk_buf_puts(p->out, "%!(EXTRA ");
    for (int k = a->num; k < a->argc; k++) {
        if (k > a->num)
            gotk_buf_puts(p->out, ", ");
        if (a->argv[k].kind == GOTK_TPL_NIL || a->argv[k].kind == GOTK_TPL_INVALID) {
            gotk_buf_puts(p->out, "<nil>");
        } else {
            gotk_buf_puts(p->out, gotk_tpl_type_name(a->argv[k]));
            gotk_buf_putc(p->out, '=');
            print_arg(p, a->argv[k], 'v', 0);
        }
    }
    gotk_buf_putc(p->out, ')');
}

/* fmt.Sprintf. */
void gotk_tpl_sprintf(gotk_buf *out, const char *f, size_t n, int argc,
                      const gotk_tpl_val *argv)
{
    pp p = {.out = out};
    args_state a = {argc, argv, 0, false, true};
    size_t i = 0;
    while (i < n) {
        size_t start = i;
        while (i < n && f[i] != '%')
            i++;
        gotk_buf_append(out, f + start, i - start);
        if (i >= n)
            break;
        i++;
        clear_flags(&p);
        a.good = true;
        parse_flags(&p, f, n, &i);
        bool after_index = arg_number(&a, f, n, &i);
        after_index = parse_width(&p, f, n, &i, &a, after_index);
        after_index = parse_prec(&p, f, n, &i, &a, after_index);
        if (!after_index)
            arg_number(&a, f, n, &i);
        if (i >= n) {
            gotk_buf_puts(out, "%!(NOVERB)");
            break;
        }
        int32_t verb;
        i += (size_t)tpl_utf8_decode(f + i, n - i, &verb);
        do_verb(&p, verb, &a);
    }
    if (!a.reordered && a.num < argc)
        extra_args(&p, &a);
    if (!out->data)
        gotk_buf_puts(out, "");
}

/* A float with the shortest digits that read back the same. */
void tpl_fmt_float_shortest(gotk_buf *out, double f, char fmt)
{
    pp p = {.out = out};
    fmt_float(&p, f, fmt, -1);
}
