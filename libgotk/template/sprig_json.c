/*
 * sprig_json.c: Go's encoding/json syntax check, for the error texts Sprig's
 * mustFromJson passes on ("invalid character 'x' looking for beginning of
 * value", "unexpected end of JSON input"). json-c parses afterwards; this only
 * finds the first error as Go's scanner reports it.
 */
#include <stdio.h>
#include <string.h>

#include "gotk/obj.h"
#include "sprig.h"

/* Go's decoder gives up nesting deeper than this. */
#define JSON_MAX_DEPTH 10000

typedef struct {
    const char *s;
    size_t len, pos;
    gotk_buf *err;
    int depth, max_depth;
} json_scan;

/* "invalid character 'c' CONTEXT" as Go's quoteChar writes c. */
static bool bad_char(json_scan *sc, const char *context)
{
    unsigned char c = (unsigned char)sc->s[sc->pos];
    gotk_buf_puts(sc->err, "invalid character ");
    if (c == '\'') {
        gotk_buf_puts(sc->err, "'\\''");
    } else if (c == '"') {
        gotk_buf_puts(sc->err, "'\"'");
    } else {
        gotk_buf r = {0}, q = {0};
        tpl_utf8_encode(&r, c);
        tpl_quote(&q, r.data, r.len);
        gotk_buf_printf(sc->err, "'%.*s'", (int)q.len - 2, q.data + 1);
        gotk_buf_free(&r);
        gotk_buf_free(&q);
    }
    gotk_buf_printf(sc->err, " %s", context);
    return false;
}

static bool at_end(json_scan *sc)
{
    if (sc->pos < sc->len)
        return false;
    gotk_buf_puts(sc->err, "unexpected end of JSON input");
    return true;
}

/* At the end inside a token: Go's scanner feeds a final space, which fails
 * there with "invalid character ' ' CONTEXT". */
static bool end_in_token(json_scan *sc, const char *context)
{
    if (sc->pos < sc->len)
        return false;
    gotk_buf_printf(sc->err, "invalid character ' ' %s", context);
    return true;
}

static void skip_ws(json_scan *sc)
{
    while (sc->pos < sc->len && strchr(" \t\r\n", sc->s[sc->pos]) && sc->s[sc->pos])
        sc->pos++;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Digits while there are some. */
static void digits(json_scan *sc)
{
    while (sc->pos < sc->len && is_digit(sc->s[sc->pos]))
        sc->pos++;
}

/* One required digit, then more. */
static bool digit_run(json_scan *sc, const char *context)
{
    if (end_in_token(sc, context))
        return false;
    if (!is_digit(sc->s[sc->pos]))
        return bad_char(sc, context);
    digits(sc);
    return true;
}

static bool scan_number(json_scan *sc)
{
    if (sc->s[sc->pos] == '-') {
        sc->pos++;
        if (end_in_token(sc, "in numeric literal"))
            return false;
        if (!is_digit(sc->s[sc->pos]))
            return bad_char(sc, "in numeric literal");
    }
    if (sc->s[sc->pos++] != '0')
        digits(sc);
    if (sc->pos < sc->len && sc->s[sc->pos] == '.') {
        sc->pos++;
        if (!digit_run(sc, "after decimal point in numeric literal"))
            return false;
    }
    if (sc->pos < sc->len && (sc->s[sc->pos] | 0x20) == 'e') {
        sc->pos++;
        if (sc->pos < sc->len && (sc->s[sc->pos] == '+' || sc->s[sc->pos] == '-'))
            sc->pos++;
        return digit_run(sc, "in exponent of numeric literal");
    }
    return true;
}

static bool scan_literal(json_scan *sc, const char *word)
{
    for (size_t i = 1; word[i]; i++) {
        sc->pos++;
        char ctx[64];
        snprintf(ctx, sizeof ctx, "in literal %s (expecting '%c')", word, word[i]);
        if (end_in_token(sc, ctx))
            return false;
        if (sc->s[sc->pos] != word[i])
            return bad_char(sc, ctx);
    }
    sc->pos++;
    return true;
}

static bool is_hex(char c)
{
    return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* A string, at its opening quote. */
static bool scan_string(json_scan *sc)
{
    for (sc->pos++;; sc->pos++) {
        if (at_end(sc))
            return false;
        unsigned char c = (unsigned char)sc->s[sc->pos];
        if (c == '"') {
            sc->pos++;
            return true;
        }
        if (c < 0x20)
            return bad_char(sc, "in string literal");
        if (c != '\\')
            continue;
        sc->pos++;
        if (end_in_token(sc, "in string escape code"))
            return false;
        c = (unsigned char)sc->s[sc->pos];
        if (c == 'u') {
            for (int i = 0; i < 4; i++) {
                sc->pos++;
                if (end_in_token(sc, "in \\u hexadecimal character escape"))
                    return false;
                if (!is_hex(sc->s[sc->pos]))
                    return bad_char(sc, "in \\u hexadecimal character escape");
            }
        } else if (!c || !strchr("\"\\/bfnrt", c)) {
            return bad_char(sc, "in string escape code");
        }
    }
}

static bool scan_value(json_scan *sc);

/* The elements of an array or the members of an object, after the bracket. */
static bool scan_members(json_scan *sc, bool object)
{
    char close = object ? '}' : ']';
    skip_ws(sc);
    if (at_end(sc))
        return false;
    if (sc->s[sc->pos] == close) {
        sc->pos++;
        return true;
    }
    for (;;) {
        if (object) {
            if (sc->s[sc->pos] != '"')
                return bad_char(sc, "looking for beginning of object key string");
            if (!scan_string(sc))
                return false;
            skip_ws(sc);
            if (at_end(sc))
                return false;
            if (sc->s[sc->pos] != ':')
                return bad_char(sc, "after object key");
            sc->pos++;
        }
        if (!scan_value(sc))
            return false;
        skip_ws(sc);
        if (at_end(sc))
            return false;
        if (sc->s[sc->pos] == close) {
            sc->pos++;
            return true;
        }
        if (sc->s[sc->pos] != ',')
            return bad_char(sc, object ? "after object key:value pair" : "after array element");
        sc->pos++;
        skip_ws(sc);
        if (at_end(sc))
            return false;
    }
}

static bool scan_value(json_scan *sc)
{
    skip_ws(sc);
    if (at_end(sc))
        return false;
    char c = sc->s[sc->pos];
    switch (c) {
    case '{': case '[': {
        if (++sc->depth > sc->max_depth)
            sc->max_depth = sc->depth;
        if (sc->depth > JSON_MAX_DEPTH) {
            gotk_buf_puts(sc->err, "exceeded max depth");
            return false;
        }
        sc->pos++;
        bool ok = scan_members(sc, c == '{');
        sc->depth--;
        return ok;
    }
    case '"': return scan_string(sc);
    case 't': return scan_literal(sc, "true");
    case 'f': return scan_literal(sc, "false");
    case 'n': return scan_literal(sc, "null");
    default:
        if (c == '-' || is_digit(c))
            return scan_number(sc);
        return bad_char(sc, "looking for beginning of value");
    }
}

/* json_check with the deepest nesting of arrays and objects in *depth. */
static bool json_check_depth(const char *s, size_t len, gotk_buf *err, int *depth)
{
    json_scan sc = {s, len, 0, err, 0, 0};
    bool ok = scan_value(&sc);
    *depth = sc.max_depth;
    if (!ok)
        return false;
    skip_ws(&sc);
    if (sc.pos < len)
        return bad_char(&sc, "after top-level value");
    return true;
}

/* Go's json.Valid with its error: true, or false with the message in err. */
bool sprig_json_check(const char *s, size_t len, gotk_buf *err)
{
    int depth;
    return json_check_depth(s, len, err, &depth);
}

bool gotk_template_json_valid(const char *s, size_t len, gotk_buf *err)
{
    return sprig_json_check(s, len, err);
}

/* Copy valid JSON s into b, integers too long for int64 written as floats
 * (json-c would clamp them; Go reads every number as float64 here). */
static void floats_for_long_ints(const char *s, size_t len, gotk_buf *b)
{
    for (size_t i = 0; i < len;) {
        if (s[i] == '"') {
            size_t j = i + 1;
            while (s[j] != '"')
                j += s[j] == '\\' ? 2 : 1;
            gotk_buf_append(b, s + i, j + 1 - i);
            i = j + 1;
            continue;
        }
        if (s[i] != '-' && !is_digit(s[i])) {
            gotk_buf_putc(b, s[i++]);
            continue;
        }
        size_t j = i, ndigits = 0;
        bool is_float = false;
        for (; j < len && strchr("-+.eE0123456789", s[j]); j++) {
            ndigits += is_digit(s[j]);
            is_float |= !is_digit(s[j]) && s[j] != '-';
        }
        gotk_buf_append(b, s + i, j - i);
        if (!is_float && ndigits >= 19)
            gotk_buf_puts(b, ".0");
        i = j;
    }
}

/* json.Unmarshal's view of s: the value (NULL for null) or Go's error text. */
gotk_err *sprig_json_parse(const char *s, size_t len, json_object **doc)
{
    gotk_buf b = {0};
    int depth;
    *doc = NULL;
    if (!json_check_depth(s, len, &b, &depth)) {
        gotk_err *e = gotk_err_new(GOTK_E_INVALID, "%s", b.data);
        gotk_buf_free(&b);
        return e;
    }
    floats_for_long_ints(s, len, &b);
    /* json-c stops at 32 levels unless told; Go's decoder goes to 10000 */
    json_tokener *tok = json_tokener_new_ex(depth < 32 ? 32 : depth + 1);
    json_object *o = tok ? json_tokener_parse_ex(tok, b.data, (int)b.len) : NULL;
    if (tok && !o && json_tokener_get_error(tok) == json_tokener_continue) /* a bare number */
        o = json_tokener_parse_ex(tok, " ", 1);
    bool ok = tok && json_tokener_get_error(tok) == json_tokener_success;
    json_tokener_free(tok);
    gotk_buf_free(&b);
    if (!ok) {
        json_object_put(o);
        return gotk_err_new(GOTK_E_INVALID, "invalid JSON");
    }
    *doc = o;
    return NULL;
}
