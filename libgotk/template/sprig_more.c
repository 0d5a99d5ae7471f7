/*
 * sprig_more.c: Sprig's regex, semver, JSON, slice, dig and encoding functions.
 *
 * Regular expressions go through the regex module (Go's syntax and error
 * texts); a bad pattern fails as Go's regexp.MustCompile panics:
 * "regexp: Compile(`(`): error parsing regexp: ...". JSON output follows Go's
 * encoding/json: map keys sorted, floats in Go's format, <, > and & escaped
 * (except in toRawJson). toJson is Helm's (it returns "" on error, Sprig's
 * variants are here too).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gotk/obj.h"
#include "gotk/regex.h"
#include "gotk/semver.h"
#include "sprig.h"

#define FN(name) \
    static gotk_err *name(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv, \
                          gotk_tpl_val *res, void *ud)
#define UNUSED (void)ex, (void)argc, (void)argv, (void)ud

/* regexp.MustCompile: the compiled pattern or Go's panic text. */
static gotk_err *must_compile(const char *pattern, gotk_regex **re)
{
    gotk_err *e = gotk_regex_compile(pattern, re);
    if (!e)
        return NULL;
    gotk_buf q = {0};
    bool back = !strchr(pattern, '`');
    for (const char *p = pattern; back && *p; p++)
        back = (unsigned char)*p >= ' ' || *p == '\t';
    if (back)
        gotk_buf_printf(&q, "`%s`", pattern);
    else
        tpl_quote(&q, pattern, strlen(pattern));
    gotk_err *w = gotk_err_new(GOTK_E_INVALID, "regexp: Compile(%s): %s", q.data, gotk_err_msg(e));
    gotk_err_free(e);
    gotk_buf_free(&q);
    return w;
}

/* regexMatch re s: false for a bad pattern (mustRegexMatch, ud: an error). */
FN(fn_regex_match)
{
    UNUSED;
    gotk_regex *re = NULL;
    gotk_err *e = gotk_regex_compile(SV(argv[0]), &re);
    *res = gotk_tpl_bool(ex, !e && gotk_regex_match(re, SV(argv[1])));
    gotk_regex_free(re);
    if (ud) /* mustRegexMatch reports the bad pattern */
        return e;
    gotk_err_free(e);
    return NULL;
}

/* Go's allMatches: up to n (n < 0: all) match spans of re in s, into out. */
static size_t all_matches(const gotk_regex *re, const char *s, size_t len, int64_t n,
                          gotk_regex_span *spans, size_t cap, size_t *out)
{
    size_t count = 0, pos = 0;
    ptrdiff_t prev_end = -1;
    if (n < 0)
        n = (int64_t)len + 1;
    while ((int64_t)count < n && pos <= len && count < cap) {
        if (!gotk_regex_find(re, s, len, pos, spans))
            break;
        bool accept = true;
        if ((size_t)spans[0].end == pos) {
            accept = spans[0].start != prev_end;
            int32_t r;
            int w = pos < len ? tpl_utf8_decode(s + pos, len - pos, &r) : 0;
            pos += w > 0 ? (size_t)w : 1;
        } else {
            pos = (size_t)spans[0].end;
        }
        prev_end = spans[0].end;
        if (accept) {
            out[2 * count] = (size_t)spans[0].start;
            out[2 * count + 1] = (size_t)spans[0].end;
            count++;
        }
    }
    return count;
}

/* Match spans of re in s (a malloc'd array of start/end pairs). */
static size_t find_all(const gotk_regex *re, const char *s, size_t len, int64_t n, size_t **out)
{
    size_t cap = len + 2;
    *out = gotk_xmalloc(sizeof **out * 2 * cap);
    gotk_regex_span *spans = gotk_xcalloc((size_t)gotk_regex_num_groups(re) + 1, sizeof *spans);
    size_t count = all_matches(re, s, len, n, spans, cap, *out);
    free(spans);
    return count;
}

/* regexFind re s (ud NULL), regexFindAll re s n (ud "a"), regexSplit re s n (ud "s"). */
FN(fn_regex_find)
{
    UNUSED;
    const char *which = ud;
    gotk_regex *re;
    gotk_err *e = must_compile(SV(argv[0]), &re);
    if (e)
        return e;
    const char *s = SV(argv[1]);
    size_t len = SL(argv[1]), *m;
    int64_t n = which ? json_object_get_int64(argv[2].j) : 1;
    size_t count = n == 0 ? 0 : find_all(re, s, len, n, &m);
    if (!which) {
        *res = gotk_tpl_string(ex, count ? s + m[0] : "", count ? m[1] - m[0] : 0);
    } else if (which[0] == 'a') {
        json_object *a = count ? json_object_new_array() : NULL;
        for (size_t i = 0; i < count; i++)
            json_object_array_add(a, json_object_new_string_len(s + m[2 * i], (int)(m[2 * i + 1] - m[2 * i])));
        *res = a ? gotk_tpl_own(ex, a) : (gotk_tpl_val){GOTK_TPL_SLICE, false, NULL};
        res->tname = "[]string";
    } else if (n == 0) {
        *res = (gotk_tpl_val){GOTK_TPL_SLICE, false, NULL};
        res->tname = "[]string";
    } else {
        json_object *a = json_object_new_array();
        size_t beg = 0, end = 0;
        if (strlen(SV(argv[0])) > 0 && len == 0) {
            json_object_array_add(a, json_object_new_string(""));
        } else {
            for (size_t i = 0; i < count; i++) {
                if (n > 0 && (int64_t)json_object_array_length(a) == n - 1)
                    break;
                end = m[2 * i];
                if (m[2 * i + 1] != 0)
                    json_object_array_add(a, json_object_new_string_len(s + beg, (int)(end - beg)));
                beg = m[2 * i + 1];
            }
            if (end != len)
                json_object_array_add(a, json_object_new_string_len(s + beg, (int)(len - beg)));
        }
        *res = gotk_tpl_own(ex, a);
        res->tname = "[]string";
    }
    if (n != 0)
        free(m);
    gotk_regex_free(re);
    return NULL;
}

/* regexReplaceAll re s repl, and ...Literal (ud): Go's replaceAll. */
FN(fn_regex_replace)
{
    UNUSED;
    gotk_regex *re;
    gotk_err *e = must_compile(SV(argv[0]), &re);
    if (e)
        return e;
    const char *s = SV(argv[1]), *repl = SV(argv[2]);
    size_t len = SL(argv[1]), last = 0, pos = 0;
    gotk_regex_span *sp = gotk_xcalloc((size_t)gotk_regex_num_groups(re) + 1, sizeof *sp);
    gotk_buf b = {0};
    while (pos <= len && gotk_regex_find(re, s, len, pos, sp)) {
        gotk_buf_append(&b, s + last, (size_t)sp[0].start - last);
        if ((size_t)sp[0].end > last || sp[0].start == 0) {
            if (ud)
                gotk_buf_append(&b, repl, SL(argv[2]));
            else
                gotk_regex_expand(re, &b, repl, s, sp);
        }
        last = (size_t)sp[0].end;
        int32_t r;
        size_t w = pos < len ? (size_t)tpl_utf8_decode(s + pos, len - pos, &r) : 0;
        if (pos + w > (size_t)sp[0].end)
            pos += w;
        else if (pos + 1 > (size_t)sp[0].end)
            pos++;
        else
            pos = (size_t)sp[0].end;
    }
    gotk_buf_append(&b, s + last, len - last);
    free(sp);
    gotk_regex_free(re);
    *res = sprig_take(ex, &b);
    return NULL;
}

/* regexQuoteMeta s */
FN(fn_quote_meta)
{
    UNUSED;
    gotk_buf b = {0};
    for (const char *p = SV(argv[0]); *p; p++) {
        if (strchr("\\.+*?()|[]{}^$", *p))
            gotk_buf_putc(&b, '\\');
        gotk_buf_putc(&b, *p);
    }
    *res = sprig_take(ex, &b);
    return NULL;
}

/* Masterminds/semver v3.3.0, which Helm 3.17 builds with, words two errors
 * differently from the later releases the semver module follows. */
static gotk_err *helm_semver_error(gotk_err *e)
{
    const char *m = gotk_err_msg(e);
    size_t n = strlen(m);
    gotk_err *w = NULL;
    if (strcmp(m, "invalid semantic version") == 0)
        w = gotk_err_new(GOTK_E_INVALID, "Invalid Semantic Version");
    else if (strncmp(m, "improper constraint: \"", 22) == 0 && n > 23 && m[n - 1] == '"')
        w = gotk_err_new(GOTK_E_INVALID, "improper constraint: %.*s", (int)(n - 23), m + 22);
    if (!w)
        return e;
    gotk_err_free(e);
    return w;
}

/* semverCompare constraint version */
FN(fn_semver_compare)
{
    UNUSED;
    gotk_semver_constraints *c = NULL;
    gotk_semver *v = NULL;
    gotk_err *e = gotk_semver_constraints_parse(SV(argv[0]), &c);
    if (!e)
        e = gotk_semver_parse(SV(argv[1]), &v);
    if (!e)
        *res = gotk_tpl_bool(ex, gotk_semver_constraints_check(c, v));
    gotk_semver_constraints_free(c);
    gotk_semver_free(v);
    return e ? helm_semver_error(e) : NULL;
}

/* A JSON string as Go's encoding/json writes it. */
static void json_string(gotk_buf *b, const char *s, size_t n, bool html)
{
    static const char hex[] = "0123456789abcdef";
    gotk_buf_putc(b, '"');
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c == '"' || c == '\\')
                gotk_buf_putc(b, '\\'), gotk_buf_putc(b, (char)c);
            else if (c == '\n') gotk_buf_puts(b, "\\n");
            else if (c == '\r') gotk_buf_puts(b, "\\r");
            else if (c == '\t') gotk_buf_puts(b, "\\t");
            else if (c < 0x20 || (html && (c == '<' || c == '>' || c == '&')))
                gotk_buf_printf(b, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
            else
                gotk_buf_putc(b, (char)c);
            i++;
            continue;
        }
        int32_t r;
        int w = tpl_utf8_decode(s + i, n - i, &r);
        if (r == 0xFFFD && w == 1)
            gotk_buf_puts(b, "\\ufffd");
        else if (r == 0x2028 || r == 0x2029)
            gotk_buf_printf(b, "\\u%04x", (unsigned)r);
        else
            gotk_buf_append(b, s + i, (size_t)w);
        i += (size_t)w;
    }
    gotk_buf_putc(b, '"');
}

/* Newline and indentation for MarshalIndent (indent < 0: compact). */
static void json_newline(gotk_buf *b, int indent)
{
    if (indent < 0)
        return;
    gotk_buf_putc(b, '\n');
    for (int i = 0; i < indent; i++)
        gotk_buf_puts(b, "  ");
}

static bool json_value(gotk_buf *b, gotk_tpl_val v, int indent, bool html);

/* The keys of a struct, in field order. Caller frees the array. */
static const char **struct_keys(json_object *m, size_t *n)
{
    const char **keys = gotk_xmalloc(sizeof *keys * ((size_t)json_object_object_length(m) + 1));
    *n = 0;
    json_object_object_foreach(m, k, v) {
        (void)v;
        keys[(*n)++] = k;
    }
    return keys;
}

/* {"k":v,...}: a map's keys sorted, a struct's fields in order. */
static bool json_map(gotk_buf *b, json_object *m, int indent, bool html)
{
    size_t n;
    const tpl_tag *t = tpl_tag_of(m);
    const char **keys = t && t->is_struct ? struct_keys(m, &n) : tpl_sorted_keys(m, &n);
    bool ok = true;
    gotk_buf_putc(b, '{');
    for (size_t i = 0; ok && i < n; i++) {
        if (i > 0)
            gotk_buf_putc(b, ',');
        json_newline(b, indent < 0 ? -1 : indent + 1);
        json_string(b, keys[i], strlen(keys[i]), html);
        gotk_buf_puts(b, indent < 0 ? ":" : ": ");
        ok = json_value(b, gotk_tpl_from_json(json_object_object_get(m, keys[i]), true),
                        indent < 0 ? -1 : indent + 1, html);
    }
    if (n > 0)
        json_newline(b, indent);
    gotk_buf_putc(b, '}');
    free(keys);
    return ok;
}

/* Go's json encoding of one value; false for NaN and infinities. */
static bool json_value(gotk_buf *b, gotk_tpl_val v, int indent, bool html)
{
    char num[32];
    if (tpl_marshal_json(v, b))
        return true;
    switch (v.kind) {
    case GOTK_TPL_BOOL: gotk_buf_puts(b, json_object_get_boolean(v.j) ? "true" : "false"); return true;
    case GOTK_TPL_INT: case GOTK_TPL_INT64: case GOTK_TPL_UINT8:
        gotk_buf_printf(b, "%lld", (long long)json_object_get_int64(v.j));
        return true;
    case GOTK_TPL_FLOAT64: {
        double d = json_object_get_double(v.j);
        if (d != d || d > 1.7976931348623157e308 || d < -1.7976931348623157e308)
            return false;
        gotk_buf_puts(b, gotk_go_json_float(d, num));
        return true;
    }
    case GOTK_TPL_STRING:
        if (TPL_IS_BYTES(v) && tpl_tag_of(v.j)->is_nil)
            break; /* null */
        if (TPL_IS_BYTES(v)) { /* encoding/json writes []byte in base64 */
            char *b64 = gotk_base64_encode(SV(v), SL(v));
            json_string(b, b64, strlen(b64), html);
            free(b64);
            return true;
        }
        json_string(b, SV(v), SL(v), html);
        return true;
    case GOTK_TPL_MAP: {
        const tpl_tag *t = v.j ? tpl_tag_of(v.j) : NULL;
        if (!v.j || (t && t->is_nil))
            break; /* null */
        if (!t || !t->json)
            return json_map(b, v.j, indent, html);
        json_object *view = tpl_json_marshal_view(v.j); /* json field names */
        bool ok = json_map(b, view, indent, html);
        json_object_put(view);
        return ok;
    }
    case GOTK_TPL_SLICE: {
        if (!v.j || (tpl_tag_of(v.j) && tpl_tag_of(v.j)->is_nil))
            break; /* null */
        size_t n = tpl_len(v);
        bool ok = true;
        gotk_buf_putc(b, '[');
        for (size_t i = 0; ok && i < n; i++) {
            if (i > 0)
                gotk_buf_putc(b, ',');
            json_newline(b, indent < 0 ? -1 : indent + 1);
            ok = json_value(b, gotk_tpl_from_json(json_object_array_get_idx(v.j, i), true),
                            indent < 0 ? -1 : indent + 1, html);
        }
        if (n > 0)
            json_newline(b, indent);
        gotk_buf_putc(b, ']');
        return ok;
    }
    default: break;
    }
    gotk_buf_puts(b, "null");
    return true;
}

/* The first float encoding/json refuses in v, in encoding order, as Go
 * prints it ("NaN", "+Inf", "-Inf"); NULL when there is none. */
const char *sprig_json_unsupported(gotk_tpl_val v)
{
    v = tpl_indirect_iface(v);
    if (v.kind == GOTK_TPL_FLOAT64) {
        double d = json_object_get_double(v.j);
        return d != d ? "NaN" : isinf(d) ? (d > 0 ? "+Inf" : "-Inf") : NULL;
    }
    const char *bad = NULL;
    if (v.kind == GOTK_TPL_SLICE && v.j) {
        for (size_t i = 0, n = tpl_len(v); !bad && i < n; i++)
            bad = sprig_json_unsupported(gotk_tpl_from_json(json_object_array_get_idx(v.j, i), true));
    } else if (v.kind == GOTK_TPL_MAP && v.j) {
        size_t n;
        const char **keys = tpl_sorted_keys(v.j, &n);
        for (size_t i = 0; !bad && i < n; i++)
            bad = sprig_json_unsupported(gotk_tpl_from_json(json_object_object_get(v.j, keys[i]), true));
        free(keys);
    }
    return bad;
}

/* toJson (Helm's, ud "j"), toPrettyJson ("p"), toRawJson ("r") and their
 * must variants ("J", "P", "R"). On NaN or infinities toJson and toPrettyJson
 * give "", toRawJson and the must variants fail with Go's error. */
FN(fn_to_json)
{
    UNUSED;
    const char *which = ud;
    char kind = (char)(which[0] | 0x20);
    gotk_buf b = {0};
    bool ok = json_value(&b, tpl_indirect_iface(argv[0]), kind == 'p' ? 0 : -1, kind != 'r');
    if (!ok && (which[0] != kind || kind == 'r')) {
        const char *bad = sprig_json_unsupported(argv[0]);
        gotk_buf_free(&b);
        return gotk_err_new(GOTK_E_INVALID, "json: unsupported value: %s", bad ? bad : "?");
    }
    if (!ok)
        b.len = 0;
    *res = sprig_take(ex, &b);
    return NULL;
}

/* Sprig's slice list [start [end]]: Go's reflect Slice with its panics. */
FN(fn_slice)
{
    UNUSED;
    gotk_tpl_val l = tpl_indirect_iface(argv[0]);
    if (l.kind == GOTK_TPL_INVALID || l.kind == GOTK_TPL_NIL)
        return sprig_nil_panic();
    if (l.kind != GOTK_TPL_SLICE)
        return gotk_err_new(GOTK_E_INVALID, "list should be type of slice or array but %s",
                            sprig_kind_name(l));
    int64_t n = (int64_t)tpl_len(l);
    if (n == 0) {
        *res = gotk_tpl_nil();
        return NULL;
    }
    int64_t start = argc > 1 ? sprig_to_int64(argv[1]) : 0, end = argc > 2 ? sprig_to_int64(argv[2]) : n;
    if (start < 0 || end < start || end > n)
        return gotk_err_new(GOTK_E_INVALID, "reflect.Value.Slice: slice index out of bounds");
    json_object *a = json_object_new_array();
    for (int64_t i = start; i < end; i++)
        json_object_array_add(a, json_object_get(json_object_array_get_idx(l.j, (size_t)i)));
    *res = gotk_tpl_own(ex, a);
    return NULL;
}

/* Go's panic for a failed type assertion of an interface{}. */
static gotk_err *conversion_error(gotk_tpl_val v, const char *want)
{
    if (v.kind == GOTK_TPL_INVALID || v.kind == GOTK_TPL_NIL)
        return gotk_err_new(GOTK_E_INVALID, "interface conversion: interface {} is nil, not %s", want);
    return gotk_err_new(GOTK_E_INVALID, "interface conversion: interface {} is %s, not %s",
                        gotk_tpl_type_name(v), want);
}

/* dig k1 k2... default dict: walk nested dicts, the default when a key is absent. */
FN(fn_dig)
{
    UNUSED;
    if (argc < 3)
        return gotk_err_new(GOTK_E_INVALID, "dig needs at least three arguments");
    gotk_tpl_val d = tpl_indirect_iface(argv[argc - 1]);
    if (d.kind != GOTK_TPL_MAP || d.tname) /* a type assertion: named maps fail */
        return conversion_error(d, "map[string]interface {}");
    for (int i = 0; i < argc - 2; i++) {
        gotk_tpl_val k = tpl_indirect_iface(argv[i]);
        if (k.kind != GOTK_TPL_STRING)
            return conversion_error(k, "string");
    }
    for (int i = 0; i < argc - 2; i++) {
        json_object *next;
        if (d.kind != GOTK_TPL_MAP || d.tname)
            return conversion_error(d, "map[string]interface {}");
        if (!d.j || !json_object_object_get_ex(d.j, SV(argv[i]), &next)) {
            *res = argv[argc - 2];
            return NULL;
        }
        d = tpl_indirect_iface(gotk_tpl_from_json(next, true));
    }
    *res = d;
    return NULL;
}

/* seq [start [step]] end: the numbers as "1 2 3". */
FN(fn_seq)
{
    UNUSED;
    int64_t start = 1, end, step = 1;
    if (argc == 0 || argc > 3) {
        *res = gotk_tpl_string(ex, "", 0);
        return NULL;
    }
    end = json_object_get_int64(argv[argc - 1].j);
    if (argc >= 2)
        start = json_object_get_int64(argv[0].j);
    int64_t inc = end < start ? -1 : 1;
    if (argc == 3) {
        step = json_object_get_int64(argv[1].j);
        if (end < start && step > 0)
            step = 0;
    } else {
        step = inc;
    }
    gotk_buf b = {0};
    int64_t stop = end + inc;
    if (stop < start ? step < 0 : step > 0)
        for (int64_t i = start; stop < start ? i > stop : i < stop; i += step)
            gotk_buf_printf(&b, "%s%lld", b.len ? " " : "", (long long)i);
    *res = sprig_take(ex, &b);
    return NULL;
}

/* adler32sum s: the checksum in decimal. */
FN(fn_adler32)
{
    UNUSED;
    uint32_t a = 1, b = 0;
    const unsigned char *s = (const unsigned char *)SV(argv[0]);
    for (size_t i = 0; i < SL(argv[0]); i++) {
        a = (a + s[i]) % 65521;
        b = (b + a) % 65521;
    }
    char out[16];
    snprintf(out, sizeof out, "%u", (unsigned)(b << 16 | a));
    *res = gotk_tpl_string(ex, out, strlen(out));
    return NULL;
}

/* b32enc s: standard base32 with padding. */
FN(fn_b32enc)
{
    UNUSED;
    static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const unsigned char *s = (const unsigned char *)SV(argv[0]);
    size_t n = SL(argv[0]);
    gotk_buf b = {0};
    for (size_t i = 0; i < n; i += 5) {
        uint64_t chunk = 0;
        size_t k = n - i < 5 ? n - i : 5;
        for (size_t j = 0; j < 5; j++)
            chunk = chunk << 8 | (j < k ? s[i + j] : 0);
        static const int chars[] = {0, 2, 4, 5, 7, 8};
        int out = chars[k];
        for (int j = 0; j < 8; j++)
            gotk_buf_putc(&b, j < out ? alpha[(chunk >> (35 - 5 * j)) & 31] : '=');
    }
    *res = sprig_take(ex, &b);
    return NULL;
}

/* Register regex, semver, JSON, slice, dig, seq and encodings. */
void sprig_add_more(gotk_tpl_set *set)
{
    static const struct {
        const char *name, *params;
        gotk_tpl_fn fn;
        const char *ud;
    } t[] = {
        {"regexMatch", "ss", fn_regex_match, NULL}, {"regexFind", "ss", fn_regex_find, NULL},
        {"regexFindAll", "ssi", fn_regex_find, "a"}, {"regexSplit", "ssi", fn_regex_find, "s"},
        {"regexReplaceAll", "sss", fn_regex_replace, NULL},
        {"regexReplaceAllLiteral", "sss", fn_regex_replace, "l"},
        {"regexQuoteMeta", "s", fn_quote_meta, NULL}, {"semverCompare", "ss", fn_semver_compare, NULL},
        {"toJson", "v", fn_to_json, "j"}, {"toPrettyJson", "v", fn_to_json, "p"},
        {"toRawJson", "v", fn_to_json, "r"}, {"slice", "vv...", fn_slice, NULL},
        {"dig", "v...", fn_dig, NULL}, {"seq", "i...", fn_seq, NULL},
        {"adler32sum", "s", fn_adler32, NULL}, {"b32enc", "s", fn_b32enc, NULL},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        gotk_template_add_func(set, t[i].name, t[i].params, t[i].fn, (void *)t[i].ud);
}

/* ---- a second batch: string helpers, floats, random values ---------------- */

/* initials s: goutils.Initials, which walks bytes, not runes: each byte is a
 * rune of its own (U+0000..U+00FF), NEL and NBSP bytes count as spaces. */
FN(fn_initials)
{
    UNUSED;
    const unsigned char *s = (const unsigned char *)SV(argv[0]);
    size_t n = SL(argv[0]);
    gotk_buf b = {0};
    bool start = true;
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        bool space = c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0;
        if (!space && start)
            tpl_utf8_encode(&b, (int32_t)c);
        start = space;
    }
    *res = sprig_take(ex, &b);
    return NULL;
}

/* goutils.AbbreviateFull (errors give ""). */
static void abbreviate(const char *s, int64_t n, int64_t offset, int64_t width, gotk_buf *out)
{
    if (n == 0 || width < 4)
        return;
    if (n <= width) {
        gotk_buf_append(out, s, (size_t)n);
        return;
    }
    if (offset > n)
        offset = n;
    if (n - offset < width - 3)
        offset = n - (width - 3);
    if (offset <= 4) {
        gotk_buf_append(out, s, (size_t)(width - 3));
        gotk_buf_puts(out, "...");
        return;
    }
    if (width < 7)
        return;
    gotk_buf_puts(out, "...");
    if (offset + width - 3 < n)
        abbreviate(s + offset, n - offset, 0, width - 3, out);
    else
        gotk_buf_append(out, s + n - (width - 3), (size_t)(width - 3));
}

/* abbrev width s, abbrevboth (ud) left right s. */
FN(fn_abbrev)
{
    UNUSED;
    int64_t left = ud ? json_object_get_int64(argv[0].j) : 0;
    int64_t width = json_object_get_int64(argv[ud ? 1 : 0].j);
    gotk_tpl_val s = argv[ud ? 2 : 1];
    if (width < 4 || (ud && left > 0 && width < 7)) {
        *res = s;
        return NULL;
    }
    gotk_buf b = {0};
    abbreviate(SV(s), (int64_t)SL(s), left, width, &b);
    *res = sprig_take(ex, &b);
    return NULL;
}

/* swapcase s: goutils.SwapCase: upper and title case letters lowered, lower
 * case ones raised (to title case after a space or at the start). */
FN(fn_swapcase)
{
    UNUSED;
    const char *s = SV(argv[0]);
    size_t n = SL(argv[0]);
    gotk_buf b = {0};
    bool after_space = true;
    for (size_t i = 0; i < n;) {
        int32_t r;
        int w = tpl_utf8_decode(s + i, n - i, &r);
        uint32_t lower = gotk_unicode_case((uint32_t)r, false);
        uint32_t upper = gotk_unicode_case((uint32_t)r, true);
        if (lower != (uint32_t)r) {
            tpl_utf8_encode(&b, (int32_t)lower);
            after_space = false;
        } else if (upper != (uint32_t)r) {
            tpl_utf8_encode(&b, (int32_t)(after_space ? gotk_unicode_title((uint32_t)r) : upper));
            after_space = false;
        } else {
            tpl_utf8_encode(&b, r);
            after_space = r == ' ' || (r >= '\t' && r <= '\r') || r == 0x85 || r == 0xA0 ||
                          r == 0x1680 || (r >= 0x2000 && r <= 0x200A) || r == 0x2028 ||
                          r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000;
        }
        i += (size_t)w;
    }
    *res = sprig_take(ex, &b);
    return NULL;
}

/* splitn sep n s: {_0: .., _1: ..} of strings.SplitN. */
FN(fn_splitn)
{
    UNUSED;
    const char *sep = SV(argv[0]), *s = SV(argv[2]);
    size_t sn = SL(argv[0]), n = SL(argv[2]), i = 0, part = 0;
    int64_t max = json_object_get_int64(argv[1].j);
    json_object *m = json_object_new_object();
    char key[32];
    while (max != 0) {
        const char *hit = sn ? memmem(s + i, n - i, sep, sn) : NULL;
        size_t end = hit ? (size_t)(hit - s) : n;
        if (!sn && i < n) {
            int32_t r;
            end = i + (size_t)tpl_utf8_decode(s + i, n - i, &r);
        }
        if ((max > 0 && (int64_t)part == max - 1) || (!hit && sn) || (!sn && end >= n))
            end = n;
        snprintf(key, sizeof key, "_%zu", part++);
        json_object_object_add(m, key, json_object_new_string_len(s + i, (int)(end - i)));
        if (end >= n)
            break;
        i = end + sn;
    }
    *res = gotk_tpl_own(ex, m);
    res->tname = "map[string]string";
    return NULL;
}

/* round x places [half]: Sprig's rounding on float64. */
FN(fn_round)
{
    UNUSED;
    double round_on = argc > 2 ? sprig_to_float64(argv[2]) : 0.5;
    double val = sprig_to_float64(argv[0]);
    double pow10 = pow(10, (double)json_object_get_int64(argv[1].j));
    double digit = pow10 * val, ip;
    double frac = modf(digit, &ip);
    *res = gotk_tpl_float(ex, (frac >= round_on ? ceil(digit) : floor(digit)) / pow10);
    return NULL;
}

/* maxf and minf (ud) over float64. */
FN(fn_maxf)
{
    UNUSED;
    double acc = sprig_to_float64(argv[0]);
    for (int i = 1; i < argc; i++)
        acc = ud ? fmin(acc, sprig_to_float64(argv[i])) : fmax(acc, sprig_to_float64(argv[i]));
    *res = gotk_tpl_float(ex, acc);
    return NULL;
}

/* toStrings v: the non-nil elements as strings. */
FN(fn_to_strings)
{
    UNUSED;
    gotk_tpl_val v = tpl_indirect_iface(argv[0]);
    json_object *a = json_object_new_array();
    for (size_t i = 0; v.kind == GOTK_TPL_SLICE && i < tpl_len(v); i++) {
        gotk_tpl_val e = tpl_indirect_iface(gotk_tpl_from_json(json_object_array_get_idx(v.j, i), true));
        if (e.kind == GOTK_TPL_INVALID)
            continue;
        gotk_buf b = {0};
        sprig_strval(e, &b);
        json_object_array_add(a, json_object_new_string_len(b.data ? b.data : "", (int)b.len));
        gotk_buf_free(&b);
    }
    if (v.kind != GOTK_TPL_SLICE && v.kind != GOTK_TPL_INVALID) {
        gotk_buf b = {0};
        sprig_strval(v, &b);
        json_object_array_add(a, json_object_new_string_len(b.data ? b.data : "", (int)b.len));
        gotk_buf_free(&b);
    }
    *res = gotk_tpl_own(ex, a);
    res->tname = "[]string";
    return NULL;
}

/* toDecimal v: v's text read as an octal number, 0 when it is not one. */
FN(fn_to_decimal)
{
    UNUSED;
    gotk_buf b = {0};
    gotk_tpl_sprint(&b, 1, &argv[0]);
    char *end;
    long long v = b.len ? strtoll(b.data, &end, 8) : 0;
    bool ok = b.len && !*end && b.data[0] != ' ' && b.data[0] != '+' && !(b.data[0] == '-' && b.data[1] == '-');
    gotk_buf_free(&b);
    *res = gotk_tpl_int64(ex, ok ? v : 0);
    return NULL;
}

/* randAlphaNum, randAlpha, randNumeric, randAscii count (ud: the alphabet). */
FN(fn_rand)
{
    UNUSED;
    const char *alpha = ud;
    size_t an = strlen(alpha);
    int64_t count = json_object_get_int64(argv[0].j);
    gotk_buf b = {0};
    unsigned char pool[64];
    size_t used = sizeof pool;
    for (int64_t i = 0; i < count; i++) {
        unsigned char r;
        do {
            if (used == sizeof pool) {
                sprig_random(pool, sizeof pool);
                used = 0;
            }
            r = pool[used++];
        } while (r >= 256 - 256 % an);
        gotk_buf_putc(&b, alpha[r % an]);
    }
    *res = sprig_take(ex, &b);
    return NULL;
}

/* uuidv4: a random version 4 UUID. */
FN(fn_uuid)
{
    UNUSED;
    unsigned char u[16];
    sprig_random(u, sizeof u);
    u[6] = (u[6] & 0x0F) | 0x40;
    u[8] = (u[8] & 0x3F) | 0x80;
    gotk_buf b = {0};
    for (int i = 0; i < 16; i++)
        gotk_buf_printf(&b, "%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", u[i]);
    *res = sprig_take(ex, &b);
    return NULL;
}

/* Register the second batch: string helpers, floats, random values, must* aliases. */
void sprig_add_more2(gotk_tpl_set *set)
{
    static const struct {
        const char *name, *params;
        gotk_tpl_fn fn;
        const char *ud;
    } t[] = {
        {"initials", "s", fn_initials, NULL}, {"abbrev", "is", fn_abbrev, NULL},
        {"abbrevboth", "iis", fn_abbrev, "b"}, {"swapcase", "s", fn_swapcase, NULL},
        {"splitn", "sis", fn_splitn, NULL}, {"round", "vif...", fn_round, NULL},
        {"maxf", "vv...", fn_maxf, NULL}, {"minf", "vv...", fn_maxf, "m"},
        {"toStrings", "v", fn_to_strings, NULL}, {"toDecimal", "v", fn_to_decimal, NULL},
        {"randAlphaNum", "i", fn_rand, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"},
        {"randAlpha", "i", fn_rand, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"},
        {"randNumeric", "i", fn_rand, "0123456789"},
        {"randAscii", "i", fn_rand, " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"},
        {"uuidv4", "", fn_uuid, NULL},
        {"mustRegexMatch", "ss", fn_regex_match, "m"},
        {"mustToJson", "v", fn_to_json, "J"}, {"mustToPrettyJson", "v", fn_to_json, "P"},
        {"mustToRawJson", "v", fn_to_json, "R"}, {"mustSlice", "vv...", fn_slice, NULL},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        gotk_template_add_func(set, t[i].name, t[i].params, t[i].fn, (void *)t[i].ud);
}
