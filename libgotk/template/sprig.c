/*
 * sprig.c: Sprig's conversions shared by its functions, and registration.
 *
 * Helm's templates get Sprig's function library (github.com/Masterminds/sprig
 * v3) minus env and expandenv. Those functions convert loosely: numbers through
 * spf13/cast (strings parsed, errors turned into 0), anything to a string with
 * fmt's %v. The helpers here do the same on template values; the functions
 * themselves live in sprig_strings.c, sprig_lists.c and sprig_more.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "sprig.h"
#include "gotk/obj.h"

/* Append Sprig's strval of v. */
void sprig_strval(gotk_tpl_val v, gotk_buf *out)
{
    if (v.kind == GOTK_TPL_STRING)
        gotk_buf_append(out, SV(v), SL(v));
    else
        gotk_tpl_sprintf(out, "%v", 2, 1, &v);
}

/* cast's trimZeroDecimal: "1.00" -> "1", other text unchanged. */
static size_t trim_zero_decimal(const char *s, size_t n)
{
    bool zero = false;
    for (size_t i = n; i > 0; i--) {
        if (s[i - 1] == '.' && zero)
            return i - 1;
        if (s[i - 1] == '0')
            zero = true;
        else
            return n;
    }
    return n;
}

/* strconv's underscoreOK: underscores only between digits (or after a base
 * prefix). When s passes, its text without them goes to buf; false otherwise. */
static bool go_strip_underscores(const char *s, size_t n, char *buf, size_t cap)
{
    size_t i = 0, j = 0;
    char saw = '^';
    bool hex = false;
    if (n >= cap)
        return false;
    if (n && (s[0] == '-' || s[0] == '+'))
        buf[j++] = s[i++];
    if (n - i >= 2 && s[i] == '0' && strchr("bBoOxX", s[i + 1])) {
        hex = (s[i + 1] | 0x20) == 'x';
        buf[j++] = s[i++];
        buf[j++] = s[i++];
        saw = '0';
    }
    for (; i < n; i++) {
        char c = s[i], l = (char)(c | 0x20);
        if ((c >= '0' && c <= '9') || (hex && l >= 'a' && l <= 'f')) {
            saw = '0';
        } else if (c == '_') {
            if (saw != '0')
                return false;
            saw = '_';
            continue;
        } else {
            if (saw == '_')
                return false;
            saw = '!';
        }
        buf[j++] = c;
    }
    buf[j] = 0;
    return saw != '_';
}

/* strconv.ParseInt(s, 0, 64) of a string value; false on error. */
static bool parse_go_int(const char *s, size_t n, int64_t *out)
{
    char buf[80];
    if (n == 0 || !go_strip_underscores(s, n, buf, sizeof buf))
        return false;
    size_t sign = buf[0] == '-' || buf[0] == '+';
    int base = 10;
    const char *d = buf + sign;
    if (d[0] == '0' && (d[1] | 0x20) == 'x') base = 16, d += 2;
    else if (d[0] == '0' && (d[1] | 0x20) == 'o') base = 8, d += 2;
    else if (d[0] == '0' && (d[1] | 0x20) == 'b') base = 2, d += 2;
    else if (d[0] == '0' && d[1]) base = 8, d += 1;
    if (!*d || *d == '-' || *d == '+' || strchr(d, ' '))
        return false;
    char *end;
    errno = 0;
    unsigned long long u = strtoull(d, &end, base);
    if (*end || errno || u > (unsigned long long)INT64_MAX + (buf[0] == '-'))
        return false;
    *out = buf[0] == '-' ? (int64_t)(0 - u) : (int64_t)u;
    return true;
}

/* cast.ToInt64 as Sprig calls it. */
int64_t sprig_to_int64(gotk_tpl_val v)
{
    if (SPRIG_IS_DURATION(v))
        return 0; /* none of cast's types */
    switch (v.kind) {
    case GOTK_TPL_INT: case GOTK_TPL_INT64: case GOTK_TPL_UINT8: return json_object_get_int64(v.j);
    case GOTK_TPL_FLOAT64: return (int64_t)json_object_get_double(v.j);
    case GOTK_TPL_BOOL: return json_object_get_boolean(v.j) ? 1 : 0;
    case GOTK_TPL_STRING: {
        int64_t i = 0;
        return parse_go_int(SV(v), trim_zero_decimal(SV(v), SL(v)), &i) ? i : 0;
    }
    default: return 0;
    }
}

/* cast.ToFloat64 as Sprig calls it. */
double sprig_to_float64(gotk_tpl_val v)
{
    if (SPRIG_IS_DURATION(v))
        return 0; /* as in sprig_to_int64 */
    switch (v.kind) {
    case GOTK_TPL_INT: case GOTK_TPL_INT64: case GOTK_TPL_UINT8: return (double)json_object_get_int64(v.j);
    case GOTK_TPL_FLOAT64: return json_object_get_double(v.j);
    case GOTK_TPL_BOOL: return json_object_get_boolean(v.j) ? 1 : 0;
    case GOTK_TPL_STRING: {
        char buf[128], *end;
        if (!SL(v) || !go_strip_underscores(SV(v), SL(v), buf, sizeof buf))
            return 0;
        const char *x = strpbrk(buf, "xX");
        if (strpbrk(buf, " \t\n\v\f\r()") || (x && !strpbrk(x, "pP")))
            return 0; /* Go wants an exponent on hex floats, and no spaces */
        errno = 0;
        double d = strtod(buf, &end);
        return (*end || (errno == ERANGE && (d > 1 || d < -1))) ? 0 : d; /* overflow */
    }
    default: return 0;
    }
}

/* reflect.Kind's name of a value. */
const char *sprig_kind_name(gotk_tpl_val v)
{
    const tpl_tag *t = v.j && v.tname ? tpl_tag_of(v.j) : NULL;
    if (t)
        return t->type[0] == '*' ? "ptr" : t->is_struct ? "struct" : v.kind == GOTK_TPL_MAP ? "map" : "slice";
    switch (v.kind) {
    case GOTK_TPL_MAP: return "map";
    case GOTK_TPL_SLICE: return "slice";
    default: return SPRIG_IS_DURATION(v) ? "int64" : gotk_tpl_type_name(v);
    }
}

/* A new json reference holding v. */
json_object *sprig_to_json(gotk_tpl_val v)
{
    switch (v.kind) {
    case GOTK_TPL_INVALID: case GOTK_TPL_NIL: return NULL;
    case GOTK_TPL_BOOL: return json_object_new_boolean(json_object_get_boolean(v.j));
    case GOTK_TPL_INT64: return gotk_obj_new_go_int64(json_object_get_int64(v.j));
    case GOTK_TPL_INT: case GOTK_TPL_UINT8:
        return json_object_new_int64(json_object_get_int64(v.j));
    case GOTK_TPL_FLOAT64: return json_object_new_double(json_object_get_double(v.j));
    case GOTK_TPL_STRING:
        if (TPL_IS_BYTES(v))
            return json_object_get(v.j); /* keeps its []byte tag */
        return json_object_new_string_len(SV(v), (int)SL(v));
    default: return v.j ? json_object_get(v.j) : (v.kind == GOTK_TPL_MAP ? json_object_new_object() : json_object_new_array());
    }
}

/* DeepEqual of two json values as Go values: types must match. */
static bool json_deep_equal(json_object *a, json_object *b)
{
    if (json_object_get_type(a) != json_object_get_type(b))
        return false;
    switch (json_object_get_type(a)) {
    case json_type_null: return true;
    case json_type_object:
        if (json_object_object_length(a) != json_object_object_length(b))
            return false;
        json_object_object_foreach(a, k, va) {
            json_object *vb;
            if (!json_object_object_get_ex(b, k, &vb) || !json_deep_equal(va, vb))
                return false;
        }
        return true;
    case json_type_array: {
        size_t n = json_object_array_length(a);
        if (n != json_object_array_length(b))
            return false;
        for (size_t i = 0; i < n; i++)
            if (!json_deep_equal(json_object_array_get_idx(a, i), json_object_array_get_idx(b, i)))
                return false;
        return true;
    }
    default: return json_object_equal(a, b);
    }
}

/* reflect.DeepEqual of two values. */
bool sprig_deep_equal(gotk_tpl_val a, gotk_tpl_val b)
{
    a = tpl_indirect_iface(a);
    b = tpl_indirect_iface(b);
    if (a.kind != b.kind)
        return false;
    if (a.kind == GOTK_TPL_INVALID)
        return true;
    if (!a.j || !b.j)
        return a.j == b.j;
    return json_deep_equal(a.j, b.j);
}

/* Sprig's empty. */
bool sprig_empty(gotk_tpl_val v)
{
    v = tpl_indirect_iface(v);
    return v.kind == GOTK_TPL_INVALID || !tpl_is_true(v);
}

/* The runtime panic Go raises on a nil interface. */
gotk_err *sprig_nil_panic(void)
{
    return gotk_err_new(GOTK_E_INVALID, "runtime error: invalid memory address or nil pointer dereference");
}

/* A string value from a buffer, which is freed. */
gotk_tpl_val sprig_take(gotk_tpl_exec *ex, gotk_buf *b)
{
    gotk_tpl_val v = gotk_tpl_string(ex, b->data ? b->data : "", b->len);
    gotk_buf_free(b);
    return v;
}

/* Fill buf from getrandom(2). It returns short or fails only on a signal
 * (or on kernels older than 3.17, where nothing random is to be had: abort,
 * as on out-of-memory). */
void sprig_random(void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t got = getrandom(p, n, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            abort();
        }
        p += got;
        n -= (size_t)got;
    }
}

/* Add Sprig's functions as Helm has them (no env, no expandenv). */
void gotk_template_add_sprig(gotk_tpl_set *set)
{
    sprig_add_strings(set);
    sprig_add_collections(set);
    sprig_add_more(set);
    sprig_add_more2(set);
    sprig_add_misc(set);
    sprig_add_decimal(set);
    sprig_add_dates(set);
    sprig_add_bcrypt(set);
    sprig_add_crypto(set);
    sprig_add_url(set);
    sprig_add_semver(set);
}
