/*
 * Typing of plain YAML scalars, as go-yaml resolves them.
 *
 * The first character picks what to try: a few letters may be words from the
 * table (true, null, yes, ...), digits and signs may be a timestamp, an integer
 * (Go's ParseInt with base 0 after removing underscores: 0x1F, 0o17, 0755, 0b101),
 * an unsigned integer above int64, or a float matching go-yaml's float syntax; a
 * leading dot may be a float. Everything else is a string.
 */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *word;
    res_kind kind;
    int value; /* bool value, or the sign of an infinity, or 0 for NaN */
    bool yaml11_only;
} word_entry;

static const word_entry words[] = {
    {"true", RES_BOOL, 1, false},   {"True", RES_BOOL, 1, false},
    {"TRUE", RES_BOOL, 1, false},   {"false", RES_BOOL, 0, false},
    {"False", RES_BOOL, 0, false},  {"FALSE", RES_BOOL, 0, false},
    {"y", RES_BOOL, 1, true},       {"Y", RES_BOOL, 1, true},
    {"yes", RES_BOOL, 1, true},     {"Yes", RES_BOOL, 1, true},
    {"YES", RES_BOOL, 1, true},     {"on", RES_BOOL, 1, true},
    {"On", RES_BOOL, 1, true},      {"ON", RES_BOOL, 1, true},
    {"n", RES_BOOL, 0, true},       {"N", RES_BOOL, 0, true},
    {"no", RES_BOOL, 0, true},      {"No", RES_BOOL, 0, true},
    {"NO", RES_BOOL, 0, true},      {"off", RES_BOOL, 0, true},
    {"Off", RES_BOOL, 0, true},     {"OFF", RES_BOOL, 0, true},
    {"", RES_NULL, 0, false},       {"~", RES_NULL, 0, false},
    {"null", RES_NULL, 0, false},   {"Null", RES_NULL, 0, false},
    {"NULL", RES_NULL, 0, false},   {".nan", RES_FLOAT, 0, false},
    {".NaN", RES_FLOAT, 0, false},  {".NAN", RES_FLOAT, 0, false},
    {".inf", RES_FLOAT, 1, false},  {".Inf", RES_FLOAT, 1, false},
    {".INF", RES_FLOAT, 1, false},  {"+.inf", RES_FLOAT, 1, false},
    {"+.Inf", RES_FLOAT, 1, false}, {"+.INF", RES_FLOAT, 1, false},
    {"-.inf", RES_FLOAT, -1, false}, {"-.Inf", RES_FLOAT, -1, false},
    {"-.INF", RES_FLOAT, -1, false},
};

/* Look the scalar up in the word table. */
static bool resolve_word(const char *s, bool yaml11, res_value *out)
{
    if (strnlen(s, 6) > 5) /* no word is longer */
        return false;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        const word_entry *w = &words[i];
        if (strcmp(s, w->word) != 0 || (w->yaml11_only && !yaml11))
            continue;
        out->kind = w->kind;
        if (w->kind == RES_BOOL)
            out->b = w->value;
        else if (w->kind == RES_FLOAT)
            out->f = w->value == 0 ? NAN : w->value * INFINITY;
        return true;
    }
    return false;
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* Go's ParseUint(s, base, 64) for the digits after any prefix. */
static bool parse_digits(const char *s, int base, uint64_t *out)
{
    if (!*s)
        return false;
    uint64_t v = 0;
    for (; *s; s++) {
        int d = digit_value(*s);
        if (d >= base)
            return false;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            return false;
        v = v * (uint64_t)base + (uint64_t)d;
    }
    *out = v;
    return true;
}

/* Go's base-0 prefix rules: 0x, 0o, 0b, or a leading 0 for octal. */
static bool parse_unsigned_base0(const char *s, uint64_t *out)
{
    if (s[0] == '0' && s[1]) {
        char p = (char)tolower((unsigned char)s[1]);
        if (p == 'x')
            return parse_digits(s + 2, 16, out);
        if (p == 'o')
            return parse_digits(s + 2, 8, out);
        if (p == 'b')
            return parse_digits(s + 2, 2, out);
        return parse_digits(s + 1, 8, out);
    }
    return parse_digits(s, 10, out);
}

/* ParseInt(s, 0, 64), then ParseUint(s, 0, 64) for values above int64. */
static bool resolve_int(const char *plain, res_value *out)
{
    const char *s = plain;
    bool neg = false;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    uint64_t u;
    if (!parse_unsigned_base0(s, &u))
        return false;
    if (neg ? u <= (uint64_t)INT64_MAX + 1 : u <= (uint64_t)INT64_MAX) {
        out->kind = RES_INT;
        out->i = neg ? (int64_t)(0 - u) : (int64_t)u;
        return true;
    }
    if (s != plain) /* ParseUint takes no sign */
        return false;
    out->kind = RES_UINT;
    out->u = u;
    return true;
}

/* go-yaml's float syntax: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static bool yaml_style_float(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    if (*s == '.') {
        if (!isdigit((unsigned char)s[1]))
            return false;
        for (s++; isdigit((unsigned char)*s); s++)
            ;
    } else {
        if (!isdigit((unsigned char)*s))
            return false;
        while (isdigit((unsigned char)*s))
            s++;
        if (*s == '.')
            for (s++; isdigit((unsigned char)*s); s++)
                ;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!isdigit((unsigned char)*s))
            return false;
        while (isdigit((unsigned char)*s))
            s++;
    }
    return *s == '\0';
}

/* strtod with Go's ParseFloat range rule: overflow is an error. */
static bool parse_float(const char *s, double *out)
{
    errno = 0;
    char *end;
    double d = strtod(s, &end);
    if (*end || (errno == ERANGE && isinf(d)))
        return false;
    *out = d;
    return true;
}

/* Reads 1 or 2 digits (Go's getnum for "1", "15", "4", "5" layouts). */
static bool num12(const char **p, int *out)
{
    const char *s = *p;
    if (!isdigit((unsigned char)s[0]))
        return false;
    int v = s[0] - '0';
    s++;
    if (isdigit((unsigned char)s[0]))
        v = v * 10 + (*s++ - '0');
    *out = v;
    *p = s;
    return true;
}

static int days_in(int month, int year)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

typedef struct {
    int year, month, day, hour, min, sec;
    char frac[10]; /* up to 9 digits, trailing zeros removed */
    int offset;    /* seconds east of UTC */
} timestamp;

/* The time of day: 15:4:5 with an optional fraction. */
static bool parse_clock(const char **p, timestamp *t)
{
    const char *s = *p;
    if (!num12(&s, &t->hour) || *s++ != ':' || !num12(&s, &t->min) || *s++ != ':' ||
        !num12(&s, &t->sec))
        return false;
    if (t->hour > 23 || t->min > 59 || t->sec > 59)
        return false;
    if ((*s == '.' || *s == ',') && isdigit((unsigned char)s[1])) {
        int n = 0;
        for (s++; isdigit((unsigned char)*s); s++)
            if (n < 9)
                t->frac[n++] = *s;
        while (n > 0 && t->frac[n - 1] == '0')
            n--;
        t->frac[n] = '\0';
    }
    *p = s;
    return true;
}

/* "Z" or ±hh:mm */
static bool parse_zone(const char *s, timestamp *t)
{
    if (s[0] == 'Z' && !s[1])
        return true;
    if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 || s[3] != ':')
        return false;
    for (int i = 1; i < 6; i++)
        if (i != 3 && !isdigit((unsigned char)s[i]))
            return false;
    int hh = (s[1] - '0') * 10 + (s[2] - '0'), mm = (s[4] - '0') * 10 + (s[5] - '0');
    if (hh > 23 || mm > 59)
        return false;
    t->offset = (s[0] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
    return true;
}

/* go-yaml's timestamp formats: 2006-1-2, then T/t with a zone, or a space and no zone. */
static bool parse_timestamp(const char *s, timestamp *t)
{
    memset(t, 0, sizeof *t);
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    if (s[4] != '-')
        return false;
    t->year = atoi(s);
    const char *p = s + 5;
    if (!num12(&p, &t->month) || *p++ != '-' || !num12(&p, &t->day))
        return false;
    if (t->month < 1 || t->month > 12 || t->day < 1 || t->day > days_in(t->month, t->year))
        return false;
    if (!*p)
        return true;
    char sep = *p++;
    if (sep != 'T' && sep != 't' && sep != ' ')
        return false;
    if (!parse_clock(&p, t))
        return false;
    return sep == ' ' ? *p == '\0' : parse_zone(p, t);
}

/* RFC 3339 with the fraction trimmed, as Go's time.Time.MarshalJSON. */
static void format_timestamp(const timestamp *t, char out[48])
{
    int n = snprintf(out, 48, "%04d-%02d-%02dT%02d:%02d:%02d%s%s", t->year, t->month, t->day,
                     t->hour, t->min, t->sec, t->frac[0] ? "." : "", t->frac);
    if (t->offset == 0)
        snprintf(out + n, 48 - (size_t)n, "Z");
    else
        snprintf(out + n, 48 - (size_t)n, "%c%02d:%02d", t->offset < 0 ? '-' : '+',
                 abs(t->offset) / 3600, abs(t->offset) % 3600 / 60);
}

/* Timestamps, integers and floats: the scalars starting with a digit or sign. */
static void resolve_number(const char *s, res_value *out)
{
    timestamp t;
    if (parse_timestamp(s, &t)) {
        out->kind = RES_TIMESTAMP;
        format_timestamp(&t, out->ts);
        return;
    }
    size_t len = strlen(s);
    char small[64];
    char *plain = len < sizeof small ? small : malloc(len + 1);
    size_t n = 0;
    for (const char *c = s; *c; c++)
        if (*c != '_')
            plain[n++] = *c;
    plain[n] = '\0';
    if (!resolve_int(plain, out) && yaml_style_float(plain) && parse_float(plain, &out->f))
        out->kind = RES_FLOAT;
    if (plain != small)
        free(plain);
}

bool obj_may_resolve(const char *s)
{
    char c = s[0];
    return c == '\0' || strchr("yYnNtTfFoO~.+-", c) || isdigit((unsigned char)c);
}

void obj_resolve_plain(const char *s, bool yaml11, res_value *out)
{
    out->kind = RES_STR;
    char c = s[0];
    bool word_hint = c == '\0' || strchr("yYnNtTfFoO~", c) || c == '.' || c == '+' || c == '-';
    if (word_hint && resolve_word(s, yaml11, out))
        return;
    if (c == '.') {
        double d;
        if (isdigit((unsigned char)s[1]) && yaml_style_float(s) && parse_float(s, &d)) {
            out->kind = RES_FLOAT;
            out->f = d;
        }
        return;
    }
    if (isdigit((unsigned char)c) || c == '+' || c == '-')
        resolve_number(s, out);
}

bool obj_is_base60_float(const char *s)
{
    /* ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$ */
    if (!strchr(s, ':'))
        return false;
    if (*s == '+' || *s == '-')
        s++;
    if (!isdigit((unsigned char)*s))
        return false;
    while (isdigit((unsigned char)*s) || *s == '_')
        s++;
    int groups = 0;
    while (*s == ':') {
        s++;
        if (*s >= '0' && *s <= '5' && isdigit((unsigned char)s[1]))
            s += 2;
        else if (isdigit((unsigned char)*s))
            s++;
        else
            return false;
        groups++;
    }
    if (!groups)
        return false;
    if (*s == '.')
        for (s++; isdigit((unsigned char)*s) || *s == '_'; s++)
            ;
    return *s == '\0';
}
