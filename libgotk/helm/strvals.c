/*
 * strvals.c: Helm's --set parser (pkg/strvals, and its literal_parser.go for
 * --set-literal: no escapes, the value is the rest of the argument), with its quirks: "a=" sets an
 * empty string, "a[0]" alone leaves an empty list, a trailing "," is an error,
 * `{x,y}` is a list, backslash escapes any character, and Go's panics on type
 * mismatches come back as "unable to parse key: interface conversion: ...".
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gotk/obj.h"
#include "gotk/template.h"
#include "helm_int.h"

#define MAX_INDEX 65536
#define MAX_NESTED_NAME_LEVEL 30

/* Outcomes besides an error: io.EOF and strvals.ErrNotList. */
enum { SV_OK = 0, SV_EOF = 1, SV_NOTLIST = 2, SV_ERR = -1 };

typedef struct {
    const char *s;
    size_t len, pos;
    gotk_helm_set_kind kind;
    gotk_err *err; /* set with SV_ERR */
} sv_parser;

static int sv_fail(sv_parser *p, gotk_err *e)
{
    p->err = e;
    return SV_ERR;
}

/* Read one rune (UTF-8 sequence); returns its width, 0 at the end. */
static size_t read_rune(sv_parser *p, const char **start)
{
    if (p->pos >= p->len)
        return 0;
    uint32_t r;
    size_t w = gotk_utf8_decode(p->s + p->pos, p->len - p->pos, &r);
    *start = p->s + p->pos;
    p->pos += w;
    return w;
}

/* runesUntil: text up to a stop character (backslash escapes one rune). */
static int runes_until(sv_parser *p, const char *stop, gotk_buf *v, char *last)
{
    *last = 0;
    for (;;) {
        const char *r;
        size_t w = read_rune(p, &r);
        if (!w)
            return SV_EOF;
        if (w == 1 && *r && strchr(stop, *r)) {
            *last = *r;
            return SV_OK;
        }
        if (w == 1 && *r == '\\' && p->kind != GOTK_HELM_SET_LITERAL) {
            w = read_rune(p, &r);
            if (!w)
                return SV_EOF;
        }
        gotk_buf_append(v, r, w);
    }
}

static void quote_buf(gotk_buf *out, const gotk_buf *v)
{
    helm_go_quote(out, v->data ? v->data : "", v->len);
}

/* Go's %q of a []rune: ['a' 'b']. */
static void quote_runes(gotk_buf *out, const gotk_buf *v)
{
    gotk_buf_putc(out, '[');
    for (size_t i = 0; i < v->len;) {
        uint32_t r;
        size_t w = gotk_utf8_decode(v->data + i, v->len - i, &r);
        gotk_buf_puts(out, i ? " '" : "'");
        if (r == '\'' || r == '\\')
            gotk_buf_putc(out, '\\');
        gotk_buf_append(out, v->data + i, w);
        gotk_buf_putc(out, '\'');
        i += w;
    }
    gotk_buf_putc(out, ']');
}

/* typedVal: what a --set value means. */
static json_object *typed_val(const char *s, size_t n, bool as_string)
{
    if (as_string)
        return json_object_new_string_len(s, (int)n);
    if (n == 4 && !strncasecmp(s, "true", 4))
        return json_object_new_boolean(1);
    if (n == 5 && !strncasecmp(s, "false", 5))
        return json_object_new_boolean(0);
    if (n == 4 && !strncasecmp(s, "null", 4))
        return NULL;
    if (n == 1 && s[0] == '0')
        return gotk_obj_new_go_int64(0);
    if (n && s[0] != '0') {
        char *t = gotk_xstrndup(s, n), *end;
        const char *d = t + (*t == '+' || *t == '-');
        errno = 0;
        long long v = strtoll(t, &end, 10);
        bool ok = *d && isdigit((unsigned char)*d) && !*end && errno == 0 &&
                  !isspace((unsigned char)*t);
        for (const char *q = d; ok && *q; q++)
            ok = isdigit((unsigned char)*q);
        free(t);
        if (ok)
            return gotk_obj_new_go_int64(v);
    }
    return json_object_new_string_len(s, (int)n);
}

/* The reader: a typed or string value, or (--set-file) a file's contents. */
static int read_value(sv_parser *p, const gotk_buf *rs, json_object **v)
{
    const char *s = rs->data ? rs->data : "";
    *v = NULL;
    if (p->kind != GOTK_HELM_SET_FILE) {
        *v = typed_val(s, rs->len, p->kind == GOTK_HELM_SET_STRING);
        return SV_OK;
    }
    char *data;
    size_t len;
    gotk_err *e = gotk_file_read(s, &data, &len);
    if (e) {
        gotk_err_free(e);
        return sv_fail(p, helm_os_error("open", s, errno ? errno : ENOENT));
    }
    *v = json_object_new_string_len(data, (int)len);
    free(data);
    return SV_OK;
}

static void set_key(json_object *data, const gotk_buf *k, json_object *val)
{
    if (!k->len) {
        json_object_put(val);
        return;
    }
    json_object_object_add(data, k->data, val);
}

/* Go's panic text for a failed type assertion, as recovered by key(). */
static int type_panic(sv_parser *p, json_object *have, const char *want)
{
    return sv_fail(p, gotk_err_new(GOTK_E_INVALID,
                                   "unable to parse key: interface conversion: interface {} is %s, not %s",
                                   helm_go_type(have), want));
}

/* emptyVal: skip spaces; true at the end or after a comma. */
static bool empty_val(sv_parser *p)
{
    for (;;) {
        const char *r;
        size_t w = read_rune(p, &r);
        if (!w)
            return true;
        if (w == 1 && *r == ',')
            return true;
        if (!(w == 1 && isspace((unsigned char)*r))) {
            p->pos -= w;
            return false;
        }
    }
}

/* Whether every number in j is finite: Go's json refuses a number beyond
 * float64 ("1e400") where json-c reads an infinity. */
static bool json_finite(json_object *j)
{
    if (json_object_is_type(j, json_type_double))
        return isfinite(json_object_get_double(j));
    if (json_object_is_type(j, json_type_object)) {
        json_object_object_foreach(j, k, v) {
            (void)k;
            if (!json_finite(v))
                return false;
        }
    } else if (json_object_is_type(j, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(j); i++)
            if (!json_finite(json_object_array_get_idx(j, i)))
                return false;
    }
    return true;
}

/* --set-json: one JSON value from the rest of the input. */
static int json_value(sv_parser *p, json_object **v)
{
    *v = NULL;
    if (empty_val(p))
        return SV_OK;
    json_tokener *tok = json_tokener_new();
    size_t rest = p->len - p->pos;
    char *copy = gotk_xstrndup(p->s + p->pos, rest);
    json_object *j = json_tokener_parse_ex(tok, copy, (int)rest + 1);
    enum json_tokener_error je = json_tokener_get_error(tok);
    size_t used = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    free(copy);
    if (je != json_tokener_success || !json_finite(j)) {
        json_object_put(j);
        return sv_fail(p, gotk_err_new(GOTK_E_INVALID, "invalid JSON value"));
    }
    if (json_object_is_type(j, json_type_int)) {
        /* a bare number: floatify changes numbers inside containers only;
         * its text, as json-c clamps what is beyond 64 bits */
        json_object *d = json_object_new_double(strtod(p->s + p->pos, NULL));
        json_object_put(j);
        j = d;
    }
    p->pos += used > rest ? rest : used;
    *v = gotk_template_floatify(j);
    empty_val(p);
    return SV_OK;
}

static int sv_key(sv_parser *p, json_object *data, int level);

/* valList: "{a,b}" or SV_NOTLIST. */
static int val_list(sv_parser *p, json_object **list)
{
    *list = json_object_new_array();
    const char *r;
    size_t w = read_rune(p, &r);
    if (!w)
        return SV_EOF;
    if (!(w == 1 && *r == '{')) {
        p->pos -= w;
        return SV_NOTLIST;
    }
    for (;;) {
        gotk_buf rs = {0};
        char last;
        int st = runes_until(p, ",}", &rs, &last);
        if (st == SV_EOF) {
            gotk_buf_free(&rs);
            return sv_fail(p, gotk_err_new(GOTK_E_INVALID, "list must terminate with '}'"));
        }
        json_object *v;
        st = read_value(p, &rs, &v);
        gotk_buf_free(&rs);
        if (last == '}') {
            json_object_array_add(*list, v);
            if (p->pos < p->len && p->s[p->pos] == ',')
                p->pos++;
            return st;
        }
        if (st != SV_OK)
            return st;
        json_object_array_add(*list, v);
    }
}

/* setIndex: list[index] = val, growing the list with nulls. */
static int set_index(sv_parser *p, json_object *list, long index, json_object *val)
{
    if (index < 0) {
        json_object_put(val);
        return sv_fail(p, gotk_err_new(GOTK_E_INVALID, "negative %ld index not allowed", index));
    }
    if (index > MAX_INDEX) {
        json_object_put(val);
        return sv_fail(p, gotk_err_new(GOTK_E_INVALID,
                                       "index of %ld is greater than maximum supported index of %d",
                                       index, MAX_INDEX));
    }
    json_object_array_put_idx(list, (size_t)index, val);
    return SV_OK;
}

/* keyIndex: the number up to "]". */
static int key_index(sv_parser *p, long *out)
{
    gotk_buf v = {0};
    char last;
    int st = runes_until(p, "]", &v, &last);
    if (st != SV_OK) {
        gotk_buf_free(&v);
        return st;
    }
    const char *s = v.data ? v.data : "", *d = s + (*s == '+' || *s == '-');
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    bool digits = *d != 0;
    for (const char *q = d; *q; q++)
        digits = digits && isdigit((unsigned char)*q);
    if (!digits || *end || errno) {
        gotk_buf q = {0};
        quote_buf(&q, &v);
        gotk_err *e = gotk_err_new(GOTK_E_INVALID,
                                   "error parsing index: strconv.Atoi: parsing %s: %s", q.data,
                                   digits ? "value out of range" : "invalid syntax");
        gotk_buf_free(&q);
        gotk_buf_free(&v);
        return sv_fail(p, e);
    }
    gotk_buf_free(&v);
    *out = (long)n;
    return SV_OK;
}

static int list_item(sv_parser *p, json_object *list, long i, int level);

/* The value after "=": JSON (--set-json), a {list}, or a scalar through the
 * kind's reader. SV_EOF when the input ends right after "=" (*v is then ""). */
static int assigned_value(sv_parser *p, json_object **v)
{
    if (p->kind == GOTK_HELM_SET_LITERAL) {
        /* the rest of the argument, commas and all */
        *v = json_object_new_string_len(p->s + p->pos, (int)(p->len - p->pos));
        p->pos = p->len;
        return SV_OK;
    }
    if (p->kind == GOTK_HELM_SET_JSON)
        return json_value(p, v);
    int st = val_list(p, v);
    if (st == SV_OK)
        return SV_OK;
    json_object_put(*v);
    *v = NULL;
    if (st == SV_EOF) {
        *v = json_object_new_string("");
        return SV_EOF;
    }
    if (st != SV_NOTLIST)
        return st;
    gotk_buf rs = {0};
    char last;
    runes_until(p, ",", &rs, &last);
    st = read_value(p, &rs, v);
    gotk_buf_free(&rs);
    return st;
}

/* listItem's "=" case. */
static int list_item_value(sv_parser *p, json_object *list, long i)
{
    json_object *v = NULL;
    int st = assigned_value(p, &v);
    if (st != SV_OK && st != SV_EOF) {
        json_object_put(v);
        return st;
    }
    return set_index(p, list, i, v);
}

/* listItem's "[" case: a list inside a list. */
static int list_item_nested(sv_parser *p, json_object *list, long i, int level)
{
    long next;
    int st = key_index(p, &next);
    if (st == SV_EOF)
        return sv_fail(p, gotk_err_new(GOTK_E_INVALID, "error parsing index: EOF"));
    if (st != SV_OK)
        return st;
    json_object *cur = NULL;
    if (i >= 0 && (size_t)i < json_object_array_length(list)) {
        json_object *ex = json_object_array_get_idx(list, (size_t)i);
        if (ex && !json_object_is_type(ex, json_type_array))
            return type_panic(p, ex, "[]interface {}");
        cur = ex;
    }
    json_object *l2 = cur ? json_object_get(cur) : json_object_new_array();
    st = list_item(p, l2, next, level);
    if (st != SV_OK) {
        json_object_put(l2);
        return st;
    }
    return set_index(p, list, i, l2);
}

/* listItem's "." case: a map inside a list. */
static int list_item_map(sv_parser *p, json_object *list, long i, int level)
{
    json_object *inner = NULL;
    if ((size_t)i < json_object_array_length(list)) {
        inner = json_object_array_get_idx(list, (size_t)i);
        if (!json_object_is_type(inner, json_type_object)) {
            inner = json_object_new_object();
            json_object_array_put_idx(list, (size_t)i, inner);
        }
        json_object_get(inner);
    } else {
        inner = json_object_new_object();
    }
    int st = sv_key(p, inner, level);
    if (st != SV_OK && st != SV_EOF) {
        json_object_put(inner);
        return st;
    }
    if (st == SV_EOF) {
        json_object_put(inner);
        return SV_EOF;
    }
    return set_index(p, list, i, inner);
}

static int list_item(sv_parser *p, json_object *list, long i, int level)
{
    if (i < 0)
        return sv_fail(p, gotk_err_new(GOTK_E_INVALID, "negative %ld index not allowed", i));
    gotk_buf k = {0};
    char last;
    int st = runes_until(p, "[.=", &k, &last);
    if (k.len) {
        gotk_buf q = {0};
        quote_runes(&q, &k);
        gotk_err *e = gotk_err_new(GOTK_E_INVALID, "unexpected data at end of array index: %s",
                                   q.data);
        gotk_buf_free(&q);
        gotk_buf_free(&k);
        return sv_fail(p, e);
    }
    gotk_buf_free(&k);
    if (st != SV_OK)
        return st;
    if (last == '=')
        return list_item_value(p, list, i);
    if (last == '[')
        return list_item_nested(p, list, i, level);
    return list_item_map(p, list, i, level);
}

/* key's "=" case. */
static int key_value(sv_parser *p, json_object *data, const gotk_buf *k)
{
    json_object *v = NULL;
    int st = assigned_value(p, &v);
    if (st == SV_OK || st == SV_EOF)
        set_key(data, k, v);
    else
        json_object_put(v);
    return st;
}

/* key's "[" case. */
static int key_list(sv_parser *p, json_object *data, const gotk_buf *k, int level)
{
    long i;
    int st = key_index(p, &i);
    if (st == SV_EOF)
        return sv_fail(p, gotk_err_new(GOTK_E_INVALID, "error parsing index: EOF"));
    if (st != SV_OK)
        return st;
    json_object *list = NULL;
    if (k->len && json_object_object_get_ex(data, k->data, &list)) {
        if (!json_object_is_type(list, json_type_array))
            return type_panic(p, list, "[]interface {}");
        json_object_get(list);
    } else {
        list = json_object_new_array();
    }
    st = list_item(p, list, i, level);
    set_key(data, k, list);
    return st;
}

/* key's "." case. */
static int key_map(sv_parser *p, json_object *data, const gotk_buf *k, int level)
{
    if (++level > MAX_NESTED_NAME_LEVEL)
        return sv_fail(p, gotk_err_new(GOTK_E_INVALID,
                                       "value name nested level is greater than maximum supported nested level of %d",
                                       MAX_NESTED_NAME_LEVEL));
    json_object *inner = NULL;
    if (k->len && json_object_object_get_ex(data, k->data, &inner)) {
        if (!json_object_is_type(inner, json_type_object))
            return type_panic(p, inner, "map[string]interface {}");
        json_object_get(inner);
    } else {
        inner = json_object_new_object();
    }
    int st = sv_key(p, inner, level);
    if (st == SV_OK && json_object_object_length(inner) == 0) {
        json_object_put(inner);
        gotk_buf q = {0};
        quote_buf(&q, k);
        gotk_err *e = gotk_err_new(GOTK_E_INVALID, "key map %s has no value", q.data);
        gotk_buf_free(&q);
        return sv_fail(p, e);
    }
    if (json_object_object_length(inner) != 0)
        set_key(data, k, inner);
    else
        json_object_put(inner);
    return st;
}

static int sv_key(sv_parser *p, json_object *data, int level)
{
    gotk_buf k = {0};
    char last;
    int st = runes_until(p, p->kind == GOTK_HELM_SET_LITERAL ? "=[." : "=[,.", &k, &last);
    gotk_buf_putc(&k, 0);
    k.len--;
    if (st == SV_EOF) {
        if (!k.len) {
            gotk_buf_free(&k);
            return SV_EOF;
        }
        gotk_buf q = {0};
        quote_buf(&q, &k);
        st = sv_fail(p, gotk_err_new(GOTK_E_INVALID, "key %s has no value", q.data));
        gotk_buf_free(&q);
    } else if (last == '[') {
        st = key_list(p, data, &k, level);
    } else if (last == '=') {
        st = key_value(p, data, &k);
    } else if (last == ',') {
        set_key(data, &k, json_object_new_string(""));
        gotk_buf q = {0};
        quote_buf(&q, &k);
        st = sv_fail(p, gotk_err_new(GOTK_E_INVALID, "key %s has no value (cannot end with ,)",
                                     q.data));
        gotk_buf_free(&q);
    } else {
        st = key_map(p, data, &k, level);
    }
    gotk_buf_free(&k);
    return st;
}

gotk_err *gotk_helm_strvals(const char *s, gotk_helm_set_kind kind, json_object *dest)
{
    sv_parser p = {.s = s, .len = strlen(s), .kind = kind};
    for (;;) {
        int st = sv_key(&p, dest, 0);
        if (st == SV_OK)
            continue;
        if (st == SV_EOF)
            return NULL;
        return p.err;
    }
}
