/*
 * sprig_toml_read.c: Helm's fromToml: a TOML 1.0 document into a map, as
 * BurntSushi/toml's Unmarshal into map[string]interface{} gives it (integers,
 * floats, booleans, strings, arrays, tables, arrays of tables). Errors land in
 * the map's "Error" key as "toml: line N: ..." (the messages are ours, not
 * BurntSushi's word for word). Date-times, dates and times are Go time.Time
 * values, in the zones BurntSushi gives them ("datetime-local"...).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sprig.h"
#include "sprig_time.h"
#include "gotk/obj.h"

#define FN(name) \
    static gotk_err *name(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv, \
                          gotk_tpl_val *res, void *ud)

#define MAX_DEPTH 128

typedef struct {
    const char *s;
    size_t len, pos;
    int line;
    char err[256];
    json_object *root, *cur; /* the document, the table keys go into */
    json_object **defined;   /* tables made by a [header] */
    size_t ndefined;
    int depth;
} toml_rd;

static bool fail(toml_rd *r, const char *fmt, const char *arg)
{
    if (!r->err[0]) {
        char m[200];
        snprintf(m, sizeof m, fmt, arg ? arg : "");
        snprintf(r->err, sizeof r->err, "toml: line %d: %s", r->line, m);
    }
    return false;
}

static int peek(const toml_rd *r)
{
    return r->pos < r->len ? (unsigned char)r->s[r->pos] : -1;
}

static void skip_ws(toml_rd *r)
{
    while (peek(r) == ' ' || peek(r) == '\t')
        r->pos++;
}

static void skip_comment(toml_rd *r)
{
    if (peek(r) == '#')
        while (r->pos < r->len && r->s[r->pos] != '\n')
            r->pos++;
}

/* Whitespace, comments and newlines (inside arrays). */
static void skip_all(toml_rd *r)
{
    for (;;) {
        skip_ws(r);
        skip_comment(r);
        if (peek(r) == '\r' && r->pos + 1 < r->len && r->s[r->pos + 1] == '\n')
            r->pos++;
        if (peek(r) != '\n')
            return;
        r->pos++;
        r->line++;
    }
}

/* The end of an expression: optional comment, then newline or end. */
static bool end_of_line(toml_rd *r)
{
    skip_ws(r);
    skip_comment(r);
    if (peek(r) == '\r' && r->pos + 1 < r->len && r->s[r->pos + 1] == '\n')
        r->pos++;
    if (peek(r) == -1)
        return true;
    if (peek(r) != '\n')
        return fail(r, "expected a top-level item to end with a newline, comment, or EOF, but got '%s' instead",
                    (char[]){r->s[r->pos], 0});
    r->pos++;
    r->line++;
    return true;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A basic string's escape (after the backslash). */
static bool escape(toml_rd *r, gotk_buf *b)
{
    int c = peek(r);
    r->pos++;
    switch (c) {
    case 'b': gotk_buf_putc(b, '\b'); return true;
    case 't': gotk_buf_putc(b, '\t'); return true;
    case 'n': gotk_buf_putc(b, '\n'); return true;
    case 'f': gotk_buf_putc(b, '\f'); return true;
    case 'r': gotk_buf_putc(b, '\r'); return true;
    case '"': gotk_buf_putc(b, '"'); return true;
    case '\\': gotk_buf_putc(b, '\\'); return true;
    case 'u': case 'U': {
        int n = c == 'u' ? 4 : 8;
        int32_t cp = 0;
        for (int i = 0; i < n; i++) {
            int h = hexval(peek(r));
            if (h < 0)
                return fail(r, "invalid escape in string '\\%s'", c == 'u' ? "u" : "U");
            cp = cp * 16 + h;
            r->pos++;
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return fail(r, "invalid Unicode code point in escape", NULL);
        tpl_utf8_encode(b, cp);
        return true;
    }
    default:
        return fail(r, "invalid escape in string '\\%s'", (char[]){(char)c, 0});
    }
}

/* A string at the opening quote: basic, literal, or their multi-line forms. */
static bool read_string(toml_rd *r, gotk_buf *b, bool allow_multi)
{
    char q = r->s[r->pos];
    bool multi = allow_multi && r->pos + 2 < r->len && r->s[r->pos + 1] == q && r->s[r->pos + 2] == q;
    r->pos += multi ? 3 : 1;
    if (multi && peek(r) == '\n')
        r->pos++, r->line++;
    else if (multi && peek(r) == '\r' && r->pos + 1 < r->len && r->s[r->pos + 1] == '\n')
        r->pos += 2, r->line++;
    for (;;) {
        int c = peek(r);
        if (c == -1 || (!multi && c == '\n'))
            return fail(r, "unexpected EOF; expected '%s'", (char[]){q, 0});
        if (c == q) {
            if (!multi) {
                r->pos++;
                return true;
            }
            size_t n = 0;
            while (r->pos + n < r->len && r->s[r->pos + n] == q)
                n++;
            if (n >= 3) { /* up to two quotes may end the content */
                gotk_buf_append(b, r->s + r->pos, n - 3);
                r->pos += n;
                return true;
            }
            gotk_buf_append(b, r->s + r->pos, n);
            r->pos += n;
            continue;
        }
        if (c == '\\' && q == '"') {
            r->pos++;
            if (multi && (peek(r) == '\n' || peek(r) == ' ' || peek(r) == '\t' || peek(r) == '\r')) {
                size_t save = r->pos;
                skip_ws(r);
                if (peek(r) == '\r' || peek(r) == '\n') { /* line-ending backslash */
                    while (peek(r) == ' ' || peek(r) == '\t' || peek(r) == '\n' || peek(r) == '\r')
                        r->line += peek(r) == '\n', r->pos++;
                    continue;
                }
                r->pos = save;
            }
            if (!escape(r, b))
                return false;
            continue;
        }
        if (c == '\n')
            r->line++;
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
            return fail(r, "control characters are not allowed inside strings: '0x%s'",
                        (char[]){"0123456789abcdef"[c >> 4], "0123456789abcdef"[c & 15], 0});
        gotk_buf_putc(b, (char)c);
        r->pos++;
    }
}

static bool bare_char(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* A dotted key into parts (a json array of strings). */
static bool read_key(toml_rd *r, json_object *parts)
{
    for (;;) {
        skip_ws(r);
        gotk_buf b = {0};
        int c = peek(r);
        if (c == '"' || c == '\'') {
            if (!read_string(r, &b, false)) {
                gotk_buf_free(&b);
                return false;
            }
        } else if (bare_char(c)) {
            while (bare_char(peek(r)))
                gotk_buf_putc(&b, r->s[r->pos++]);
        } else {
            gotk_buf_free(&b);
            return fail(r, "bare keys cannot contain '%s'", c < 0 ? "EOF" : (char[]){(char)c, 0});
        }
        json_object_array_add(parts, json_object_new_string_len(b.data ? b.data : "", (int)b.len));
        gotk_buf_free(&b);
        skip_ws(r);
        if (peek(r) != '.')
            return true;
        r->pos++;
    }
}

static bool read_value(toml_rd *r, json_object **out);

/* Strip '_' between digits; false when one is misplaced. */
static bool digits_of(const char *s, size_t n, gotk_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '_') {
            if (i == 0 || i + 1 == n || !((s[i - 1] >= '0' && s[i - 1] <= '9') || hexval(s[i - 1]) >= 0) ||
                hexval(s[i + 1]) < 0)
                return false;
            continue;
        }
        gotk_buf_putc(out, s[i]);
    }
    return true;
}

static bool read_number(toml_rd *r, json_object **out)
{
    size_t start = r->pos;
    while (r->pos < r->len && (bare_char(peek(r)) || peek(r) == '.' || peek(r) == '+'))
        r->pos++;
    size_t n = r->pos - start;
    const char *s = r->s + start;
    char word[64];
    snprintf(word, sizeof word, "%.*s", (int)(n < 60 ? n : 60), s);
    const char *body = s + (*s == '+' || *s == '-');
    size_t bn = n - (size_t)(body - s);
    if (bn == 3 && (strncmp(body, "inf", 3) == 0 || strncmp(body, "nan", 3) == 0)) {
        double d = body[0] == 'i' ? INFINITY : NAN;
        *out = json_object_new_double(*s == '-' ? -d : d);
        return true;
    }
    gotk_buf d = {0};
    if (bn > 2 && body[0] == '0' && strchr("xob", body[1]) && body == s) {
        int base = body[1] == 'x' ? 16 : body[1] == 'o' ? 8 : 2;
        if (!digits_of(body + 2, bn - 2, &d) || !d.len) {
            gotk_buf_free(&d);
            return fail(r, "invalid integer: '%s'", word);
        }
        char *end;
        errno = 0;
        long long v = strtoll(d.data, &end, base);
        bool ok = !*end && !errno;
        gotk_buf_free(&d);
        if (!ok)
            return fail(r, "invalid integer: '%s'", word);
        *out = gotk_obj_new_go_int64(v);
        return true;
    }
    bool is_float = memchr(s, '.', n) || memchr(s, 'e', n) || memchr(s, 'E', n);
    if (!digits_of(s, n, &d) || !d.len || (bn > 1 && body[0] == '0' && body[1] >= '0' && body[1] <= '9')) {
        gotk_buf_free(&d);
        return fail(r, is_float ? "invalid float: '%s'" : "invalid integer: '%s'", word);
    }
    char *end;
    errno = 0;
    if (is_float) {
        const char *dot = strchr(d.data, '.');
        bool bad_dot = dot && (dot == d.data || !(dot[-1] >= '0' && dot[-1] <= '9') || !(dot[1] >= '0' && dot[1] <= '9'));
        double v = strtod(d.data, &end);
        if (*end || bad_dot) {
            gotk_buf_free(&d);
            return fail(r, "invalid float: '%s'", word);
        }
        *out = json_object_new_double(v);
    } else {
        long long v = strtoll(d.data, &end, 10);
        if (*end || errno) {
            gotk_buf_free(&d);
            return fail(r, "invalid integer: '%s'", word);
        }
        *out = gotk_obj_new_go_int64(v);
    }
    gotk_buf_free(&d);
    return true;
}

static bool is_defined(const toml_rd *r, const json_object *t)
{
    for (size_t i = 0; i < r->ndefined; i++)
        if (r->defined[i] == t)
            return true;
    return false;
}

static void define(toml_rd *r, json_object *t)
{
    r->defined = gotk_xrealloc(r->defined, (r->ndefined + 1) * sizeof *r->defined);
    r->defined[r->ndefined++] = t;
}

/* Walk parts[0..n-1] from t, making tables as needed; NULL when a key holds a
 * value that is not a table. Arrays of tables lead to their last table. */
static json_object *walk(toml_rd *r, json_object *t, json_object *parts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *k = json_object_get_string(json_object_array_get_idx(parts, i));
        json_object *next;
        if (!json_object_object_get_ex(t, k, &next)) {
            next = json_object_new_object();
            json_object_object_add(t, k, next);
        } else if (json_object_is_type(next, json_type_array) && json_object_get_userdata(next) == r) {
            next = json_object_array_get_idx(next, json_object_array_length(next) - 1);
        } else if (!json_object_is_type(next, json_type_object)) {
            fail(r, "Key '%s' has already been defined.", k);
            return NULL;
        }
        t = next;
    }
    return t;
}

static bool read_inline_table(toml_rd *r, json_object **out)
{
    r->pos++;
    json_object *t = json_object_new_object();
    *out = t;
    define(r, t); /* inline tables cannot be extended by a header */
    skip_ws(r);
    if (peek(r) == '}') {
        r->pos++;
        return true;
    }
    for (;;) {
        json_object *parts = json_object_new_array(), *v = NULL;
        bool ok = read_key(r, parts);
        skip_ws(r);
        if (ok && peek(r) != '=')
            ok = fail(r, "expected '=' after a key in a key/value pair", NULL);
        if (ok) {
            r->pos++;
            skip_ws(r);
            ok = read_value(r, &v);
        }
        size_t n = json_object_array_length(parts);
        json_object *dst = ok ? walk(r, t, parts, n - 1) : NULL;
        const char *last = n ? json_object_get_string(json_object_array_get_idx(parts, n - 1)) : "";
        if (dst && json_object_object_get_ex(dst, last, NULL))
            dst = (fail(r, "Key '%s' has already been defined.", last), NULL);
        if (dst)
            json_object_object_add(dst, last, v);
        else
            json_object_put(v);
        json_object_put(parts);
        if (!dst)
            return false;
        skip_ws(r);
        if (peek(r) == '}') {
            r->pos++;
            return true;
        }
        if (peek(r) != ',')
            return fail(r, "expected a comma or an inline table terminator '}'", NULL);
        r->pos++;
        skip_ws(r);
    }
}

static bool read_array(toml_rd *r, json_object **out)
{
    r->pos++;
    json_object *a = json_object_new_array();
    *out = a;
    for (;;) {
        skip_all(r);
        if (peek(r) == ']') {
            r->pos++;
            return true;
        }
        json_object *v = NULL;
        if (!read_value(r, &v))
            return false;
        json_object_array_add(a, v);
        skip_all(r);
        if (peek(r) == ']') {
            r->pos++;
            return true;
        }
        if (peek(r) != ',')
            return fail(r, "expected a comma (',') or array terminator (']'), but got '%s'",
                        peek(r) < 0 ? "EOF" : (char[]){r->s[r->pos], 0});
        r->pos++;
    }
}

/* The layouts BurntSushi/toml tries, in its order, with the location each
 * means: offset date-times in Local, the local kinds in zones of their own. */
static const struct {
    const char *layout, *zone;
} datetime_kinds[] = {
    {"2006-01-02T15:04:05.999999999Z07:00", NULL},
    {"2006-01-02T15:04:05.999999999", "datetime-local"},
    {"2006-01-02", "date-local"},
    {"15:04:05.999999999", "time-local"},
};

/* A date-time, date or time: a Go time.Time, as BurntSushi/toml parses it. */
static bool read_datetime(toml_rd *r, json_object **out)
{
    size_t start = r->pos, p = r->pos;
    while (p < r->len && (strchr("0123456789-:.+TtZz", r->s[p]) ||
                          (r->s[p] == ' ' && p + 1 < r->len && r->s[p + 1] >= '0' &&
                           r->s[p + 1] <= '9' && p - start == 10)))
        p++;
    char *text = gotk_xstrndup(r->s + start, p - start);
    for (char *c = text; *c; c++) /* its datetimeRepl */
        *c = *c == ' ' || *c == 't' ? 'T' : *c == 'z' ? 'Z' : *c;
    bool ok = false;
    for (size_t i = 0; i < sizeof datetime_kinds / sizeof datetime_kinds[0] && !ok; i++) {
        gotime_loc *zone = datetime_kinds[i].zone ? gotime_fixed(datetime_kinds[i].zone, 0) : NULL, *made = NULL;
        gotime t;
        gotk_err *e = gotime_parse(datetime_kinds[i].layout, text, zone ? zone : gotime_local(), &t, &made);
        if (!e) {
            *out = sprig_time_json(&t);
            ok = true;
        }
        gotk_err_free(e);
        gotime_loc_free(made);
        gotime_loc_free(zone);
    }
    if (!ok)
        fail(r, "invalid datetime: \"%s\"", text);
    free(text);
    r->pos = p;
    return ok;
}

static bool read_value(toml_rd *r, json_object **out)
{
    *out = NULL;
    if (++r->depth > MAX_DEPTH)
        return fail(r, "nesting too deep", NULL);
    int c = peek(r);
    bool ok;
    if (c == '"' || c == '\'') {
        gotk_buf b = {0};
        ok = read_string(r, &b, true);
        if (ok)
            *out = json_object_new_string_len(b.data ? b.data : "", (int)b.len);
        gotk_buf_free(&b);
    } else if (c == '[') {
        ok = read_array(r, out);
    } else if (c == '{') {
        ok = read_inline_table(r, out);
    } else if (r->len - r->pos >= 4 && strncmp(r->s + r->pos, "true", 4) == 0 && !bare_char(r->pos + 4 < r->len ? r->s[r->pos + 4] : 0)) {
        r->pos += 4;
        *out = json_object_new_boolean(1);
        ok = true;
    } else if (r->len - r->pos >= 5 && strncmp(r->s + r->pos, "false", 5) == 0 && !bare_char(r->pos + 5 < r->len ? r->s[r->pos + 5] : 0)) {
        r->pos += 5;
        *out = json_object_new_boolean(0);
        ok = true;
    } else if (c == '+' || c == '-' || (c >= '0' && c <= '9') || c == 'i' || c == 'n') {
        size_t p = r->pos;
        while (p < r->len && r->s[p] >= '0' && r->s[p] <= '9')
            p++;
        if ((p - r->pos == 4 && p < r->len && r->s[p] == '-') ||
            (p - r->pos == 2 && p < r->len && r->s[p] == ':'))
            ok = read_datetime(r, out);
        else
            ok = read_number(r, out);
    } else {
        ok = fail(r, "expected value but found '%s' instead", c < 0 ? "EOF" : (char[]){(char)c, 0});
    }
    r->depth--;
    return ok;
}

/* "[a.b]" or "[[a.b]]", at the bracket. */
static bool read_header(toml_rd *r)
{
    bool array = r->pos + 1 < r->len && r->s[r->pos + 1] == '[';
    r->pos += array ? 2 : 1;
    json_object *parts = json_object_new_array();
    bool ok = read_key(r, parts);
    skip_ws(r);
    if (ok && (peek(r) != ']' || (array && (r->pos + 1 >= r->len || r->s[r->pos + 1] != ']'))))
        ok = fail(r, "expected '%s' to close the table name", array ? "]]" : "]");
    if (!ok) {
        json_object_put(parts);
        return false;
    }
    r->pos += array ? 2 : 1;
    size_t n = json_object_array_length(parts);
    json_object *parent = walk(r, r->root, parts, n - 1);
    const char *last = json_object_get_string(json_object_array_get_idx(parts, n - 1));
    json_object *t = NULL;
    if (parent) {
        json_object *cur;
        bool has = json_object_object_get_ex(parent, last, &cur);
        if (array) {
            if (!has) {
                cur = json_object_new_array();
                json_object_set_userdata(cur, r, NULL); /* marks arrays of tables */
                json_object_object_add(parent, last, cur);
            }
            if (json_object_is_type(cur, json_type_array) && json_object_get_userdata(cur) == r) {
                t = json_object_new_object();
                json_object_array_add(cur, t);
            } else {
                fail(r, "Key '%s' has already been defined.", last);
            }
        } else if (!has) {
            t = json_object_new_object();
            json_object_object_add(parent, last, t);
        } else if (json_object_is_type(cur, json_type_object) && !is_defined(r, cur)) {
            t = cur;
        } else {
            fail(r, "Key '%s' has already been defined.", last);
        }
        if (t && !array)
            define(r, t);
    }
    json_object_put(parts);
    if (!t)
        return false;
    r->cur = t;
    return end_of_line(r);
}

/* "key = value" into the current table. */
static bool read_keyval(toml_rd *r)
{
    json_object *parts = json_object_new_array(), *v = NULL;
    bool ok = read_key(r, parts);
    skip_ws(r);
    if (ok && peek(r) != '=')
        ok = fail(r, "expected key separator '=', but got '%s' instead", peek(r) < 0 ? "EOF" : (char[]){r->s[r->pos], 0});
    if (ok) {
        r->pos++;
        skip_ws(r);
        ok = read_value(r, &v);
    }
    if (ok) {
        size_t n = json_object_array_length(parts);
        json_object *dst = walk(r, r->cur, parts, n - 1);
        const char *last = json_object_get_string(json_object_array_get_idx(parts, n - 1));
        if (dst && json_object_object_get_ex(dst, last, NULL))
            dst = (fail(r, "Key '%s' has already been defined.", last), NULL);
        if (dst) {
            json_object_object_add(dst, last, v);
            v = NULL;
        }
        ok = dst != NULL;
    }
    json_object_put(v);
    json_object_put(parts);
    return ok && end_of_line(r);
}

/* Clear the array-of-tables marks (the reader's address) before handing out. */
static void unmark(json_object *j)
{
    if (json_object_is_type(j, json_type_object)) {
        json_object_object_foreach(j, k, v) {
            (void)k;
            unmark(v);
        }
    } else if (json_object_is_type(j, json_type_array)) {
        json_object_set_userdata(j, NULL, NULL);
        for (size_t i = 0; i < json_object_array_length(j); i++)
            unmark(json_object_array_get_idx(j, i));
    }
}

/* Parse a document; NULL with r->err set on error. */
static json_object *toml_parse(toml_rd *r)
{
    r->root = r->cur = json_object_new_object();
    bool ok = true;
    while (ok) {
        skip_all(r);
        int c = peek(r);
        if (c == -1)
            break;
        ok = c == '[' ? read_header(r) : read_keyval(r);
    }
    free(r->defined);
    unmark(r->root);
    if (!ok) {
        json_object_put(r->root);
        return NULL;
    }
    return r->root;
}

/* fromToml s: the document as a map, or {"Error": message}. */
FN(fn_from_toml)
{
    (void)argc, (void)ud;
    toml_rd r = {.s = SV(argv[0]), .len = SL(argv[0]), .line = 1};
    json_object *m = toml_parse(&r);
    if (!m) {
        m = json_object_new_object();
        json_object_object_add(m, "Error", json_object_new_string(r.err));
    }
    *res = gotk_tpl_own(ex, m);
    return NULL;
}

/* Register fromToml. */
void sprig_add_toml_read(gotk_tpl_set *set)
{
    gotk_template_add_func(set, "fromToml", "s", fn_from_toml, NULL);
}
