/*
 * sprig_toml.c: Helm's toToml, which encodes with BurntSushi/toml v1.4.0:
 * a map's plain values first (sorted keys, "key = value"), then its tables
 * ("[a.b]", indented two spaces per level below the top) and arrays of tables
 * ("[[a]]"); floats always with a decimal point ("3.0"); maps inside arrays
 * inline ("{k = v}"). Errors come back as the text, as Helm returns them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sprig.h"

#define FN(name) \
    static gotk_err *name(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv, \
                          gotk_tpl_val *res, void *ud)

typedef struct {
    gotk_buf *out;
    bool written;
    const char *err;
} toml_enc;

static void put(toml_enc *e, const char *s, size_t n)
{
    gotk_buf_append(e->out, s, n);
    e->written = true;
}

static void puts_(toml_enc *e, const char *s)
{
    put(e, s, strlen(s));
}

static void newline(toml_enc *e)
{
    if (e->written)
        gotk_buf_putc(e->out, '\n');
}

/* The encoder's dblQuotedReplacer. */
static void quoted(toml_enc *e, const char *s, size_t n)
{
    gotk_buf_putc(e->out, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': gotk_buf_puts(e->out, "\\\""); break;
        case '\\': gotk_buf_puts(e->out, "\\\\"); break;
        case '\b': gotk_buf_puts(e->out, "\\b"); break;
        case '\t': gotk_buf_puts(e->out, "\\t"); break;
        case '\n': gotk_buf_puts(e->out, "\\n"); break;
        case '\f': gotk_buf_puts(e->out, "\\f"); break;
        case '\r': gotk_buf_puts(e->out, "\\r"); break;
        default:
            if (c < 0x20 || c == 0x7f)
                gotk_buf_printf(e->out, "\\u%04x", c);
            else
                gotk_buf_putc(e->out, (char)c);
        }
    }
    gotk_buf_putc(e->out, '"');
    e->written = true;
}

static bool bare_key(const char *k)
{
    if (!*k)
        return false;
    for (; *k; k++)
        if (!((*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') ||
              *k == '_' || *k == '-'))
            return false;
    return true;
}

static void key_part(toml_enc *e, const char *k)
{
    if (bare_key(k))
        puts_(e, k);
    else
        quoted(e, k, strlen(k));
}

/* strconv.FormatFloat(f, 'f', -1, 64), with ".0" when it has no point. */
static void toml_float(toml_enc *e, double f)
{
    if (isnan(f) || isinf(f)) {
        puts_(e, signbit(f) ? "-" : "");
        puts_(e, isnan(f) ? "nan" : "inf");
        return;
    }
    char digits[40];
    int exp;
    if (sprig_float_digits(f, digits, &exp))
        puts_(e, "-");
    size_t n = strlen(digits);
    int dp = exp + (int)n; /* digits before the point */
    size_t lead = 0;
    while (lead + 1 < n && digits[lead] == '0') /* "0.5" reads back as digits "05" */
        lead++, dp--;
    if (dp <= 0) {
        puts_(e, "0.");
        for (int i = 0; i < -dp; i++)
            puts_(e, "0");
        put(e, digits + lead, n - lead);
    } else if ((size_t)dp >= n - lead) {
        put(e, digits + lead, n - lead);
        for (size_t i = n - lead; i < (size_t)dp; i++)
            puts_(e, "0");
        puts_(e, ".0");
    } else {
        put(e, digits + lead, (size_t)dp);
        puts_(e, ".");
        put(e, digits + lead + dp, n - lead - (size_t)dp);
    }
}

enum { T_NONE, T_PLAIN, T_TABLE, T_TABLE_ARRAY };

/* tomlTypeOfGo, as far as it matters: is the value a table, an array of
 * tables, nothing (nil) or a plain value; sets e->err for nil elements. */
static int toml_kind(toml_enc *e, json_object *v)
{
    if (!v)
        return T_NONE;
    if (json_object_is_type(v, json_type_object))
        return T_TABLE;
    if (!json_object_is_type(v, json_type_array))
        return T_PLAIN;
    size_t n = json_object_array_length(v);
    bool all = n > 0;
    for (size_t i = 0; i < n; i++) {
        json_object *x = json_object_array_get_idx(v, i);
        if (!x) {
            e->err = "toml: cannot encode array with nil element";
            return T_PLAIN;
        }
        all = all && json_object_is_type(x, json_type_object);
    }
    return all ? T_TABLE_ARRAY : T_PLAIN;
}

static void element(toml_enc *e, json_object *v);

typedef struct {
    const char *key;
    json_object *val;
} toml_entry;

typedef struct {
    toml_entry *v;
    size_t n, cap;
} toml_entries;

static void entries_add(toml_entries *es, const char *k, json_object *v)
{
    if (es->n == es->cap) {
        es->cap = es->cap ? es->cap * 2 : 16;
        es->v = gotk_xrealloc(es->v, es->cap * sizeof *es->v);
    }
    es->v[es->n++] = (toml_entry){k, v};
}

/* Whether a struct field is a nil slice or map, which the encoder skips: one
 * marked so (gotk_tpl_tag_nil), or an empty untyped one. */
static bool nil_field(json_object *v)
{
    const tpl_tag *t = tpl_tag_of(v);
    if (t && !t->is_struct && (json_object_is_type(v, json_type_array) ||
                               json_object_is_type(v, json_type_object)))
        return t->is_nil;
    bool container = json_object_is_type(v, json_type_array) ||
                     (json_object_is_type(v, json_type_object) && !(t && t->is_struct));
    return !v || (container && (json_object_is_type(v, json_type_array)
                                    ? json_object_array_length(v) == 0
                                    : json_object_object_length(v) == 0));
}

/* A struct's fields in declaration order, embedded structs' fields where
 * the embedded struct is (BurntSushi promotes them; no toml tags here). */
static void struct_entries(json_object *m, toml_entries *es)
{
    const gotk_tpl_json_field *names = tpl_tag_of(m)->json;
    json_object_object_foreach(m, k, v) {
        const gotk_tpl_json_field *f = names;
        while (f && f->go && strcmp(f->go, k))
            f++;
        if (f && f->go && !f->json[0] && json_object_is_type(v, json_type_object))
            struct_entries(v, es);
        else if (!nil_field(v))
            entries_add(es, k, v);
    }
}

static bool is_struct(json_object *m)
{
    const tpl_tag *t = tpl_tag_of(m);
    return t && t->is_struct;
}

/* The entries of m whose values are (tables) or are not (plain) tables: a
 * map's in sorted key order, a struct's in field order. */
static toml_entries entries_of(toml_enc *e, json_object *m, bool tables)
{
    toml_entries all = {0}, out = {0};
    if (is_struct(m)) {
        struct_entries(m, &all);
    } else {
        size_t total;
        const char **keys = tpl_sorted_keys(m, &total);
        for (size_t i = 0; i < total; i++)
            entries_add(&all, keys[i], json_object_object_get(m, keys[i]));
        free(keys);
    }
    for (size_t i = 0; i < all.n; i++) {
        int k = toml_kind(e, all.v[i].val);
        if ((k == T_TABLE || k == T_TABLE_ARRAY) == tables)
            entries_add(&out, all.v[i].key, all.v[i].val);
    }
    free(all.v);
    return out;
}

/* A map inline: {a = 1, b = {c = 2}}. */
static void inline_map(toml_enc *e, json_object *m)
{
    toml_entries direct = entries_of(e, m, false), sub = entries_of(e, m, true);
    puts_(e, "{");
    for (int pass = 0; pass < 2; pass++) {
        const toml_entries *es = pass ? &sub : &direct;
        for (size_t i = 0; i < es->n; i++) {
            json_object *v = es->v[i].val;
            if (!v)
                continue;
            key_part(e, es->v[i].key);
            puts_(e, " = ");
            element(e, v);
            if ((!pass && sub.n > 0) || i != es->n - 1)
                puts_(e, ", ");
        }
    }
    puts_(e, "}");
    free(direct.v);
    free(sub.v);
}

/* eElement: a value where TOML wants one. */
static void element(toml_enc *e, json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_string: quoted(e, json_object_get_string(v), (size_t)json_object_get_string_len(v)); break;
    case json_type_boolean: puts_(e, json_object_get_boolean(v) ? "true" : "false"); break;
    case json_type_int: {
        char num[32];
        snprintf(num, sizeof num, "%lld", (long long)json_object_get_int64(v));
        puts_(e, num);
        break;
    }
    case json_type_double: toml_float(e, json_object_get_double(v)); break;
    case json_type_array:
        puts_(e, "[");
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            element(e, json_object_array_get_idx(v, i));
            if (i + 1 != json_object_array_length(v))
                puts_(e, ", ");
        }
        puts_(e, "]");
        break;
    case json_type_object: inline_map(e, v); break;
    default: if (!e->err) e->err = "toml: cannot encode array with nil element"; break;
    }
}

typedef struct {
    const char *parts[64];
    int n;
} toml_key;

static void indent(toml_enc *e, const toml_key *k)
{
    for (int i = 0; i < k->n - 1; i++)
        puts_(e, "  ");
}

static void key_string(toml_enc *e, const toml_key *k)
{
    for (int i = 0; i < k->n; i++) {
        if (i)
            puts_(e, ".");
        if (*k->parts[i])
            key_part(e, k->parts[i]);
        else
            puts_(e, "\"\"");
    }
}

static void encode_map(toml_enc *e, const toml_key *key, json_object *m);

/* encode: one key's value inside a table. */
static void encode(toml_enc *e, const toml_key *key, json_object *v)
{
    int kind = toml_kind(e, v);
    if (e->err || kind == T_NONE)
        return;
    if (kind == T_PLAIN) {
        indent(e, key);
        if (*key->parts[key->n - 1])
            key_part(e, key->parts[key->n - 1]);
        else
            puts_(e, "\"\"");
        puts_(e, " = ");
        element(e, v);
        newline(e);
    } else if (kind == T_TABLE) {
        if (key->n == 1)
            newline(e);
        indent(e, key);
        puts_(e, "[");
        key_string(e, key);
        puts_(e, "]");
        newline(e);
        encode_map(e, key, v);
    } else {
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            newline(e);
            indent(e, key);
            puts_(e, "[[");
            key_string(e, key);
            puts_(e, "]]");
            newline(e);
            encode_map(e, key, json_object_array_get_idx(v, i));
        }
    }
}

/* eMap and eStruct: plain values first, then tables. */
static void encode_map(toml_enc *e, const toml_key *key, json_object *m)
{
    toml_entries direct = entries_of(e, m, false), sub = entries_of(e, m, true);
    toml_key k = *key;
    if (k.n < 63) {
        k.n++;
        for (int pass = 0; pass < 2 && !e->err; pass++) {
            const toml_entries *es = pass ? &sub : &direct;
            for (size_t i = 0; i < es->n && !e->err; i++) {
                k.parts[k.n - 1] = es->v[i].key;
                encode(e, &k, es->v[i].val);
            }
        }
    }
    free(direct.v);
    free(sub.v);
}

/* toToml v */
FN(fn_to_toml)
{
    (void)argc, (void)ud;
    gotk_tpl_val v = tpl_indirect_iface(argv[0]);
    if (v.kind == GOTK_TPL_INVALID || v.kind == GOTK_TPL_NIL) /* Go panics in reflect */
        return gotk_err_new(GOTK_E_INVALID, "reflect: call of reflect.Value.Type on zero Value");
    json_object *j = sprig_to_json(v);
    gotk_buf b = {0};
    toml_enc e = {&b, false, NULL};
    toml_key root = {.n = 0};
    int kind = toml_kind(&e, j);
    if (kind == T_TABLE)
        encode_map(&e, &root, j);
    else if (kind == T_TABLE_ARRAY)
        e.err = "toml: top-level values must be Go maps or structs";
    else if (kind == T_PLAIN && !e.err)
        element(&e, j);
    json_object_put(j);
    if (e.err) {
        b.len = 0;
        gotk_buf_puts(&b, e.err);
    }
    *res = sprig_take(ex, &b);
    return NULL;
}

/* Register toToml and fromToml (sprig_toml_read.c). */
void sprig_add_toml(gotk_tpl_set *set)
{
    gotk_template_add_func(set, "toToml", "v", fn_to_toml, NULL);
    sprig_add_toml_read(set);
}
