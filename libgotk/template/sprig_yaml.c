/*
 * sprig_yaml.c: Helm's toYamlPretty, which encodes with go-yaml v3 at indent
 * 2. Its layout differs from toYaml's (go-yaml v2 through sigs.k8s.io/yaml)
 * mainly in that a sequence under a mapping key is indented ("key:\n  - a"
 * rather than "key:\n- a"). We emit v2's layout with the obj module and shift
 * such sequences, block scalars inside them included, by two spaces.
 */
#include <stdio.h>
#include <string.h>

#include "gotk/obj.h"
#include "sprig.h"

#define FN(name) \
    static gotk_err *name(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv, \
                          gotk_tpl_val *res, void *ud)

#define MAX_NEST 256

static size_t indent_of(const char *l, size_t n)
{
    size_t i = 0;
    while (i < n && l[i] == ' ')
        i++;
    return i;
}

/* Whether a line ends with a block scalar header ("key: |-", "- >"). */
static bool opens_block(const char *l, size_t n)
{
    while (n > 0 && ((l[n - 1] >= '0' && l[n - 1] <= '9') || l[n - 1] == '-' || l[n - 1] == '+'))
        n--;
    return n >= 2 && (l[n - 1] == '|' || l[n - 1] == '>') && l[n - 2] == ' ';
}

/* A mapping key line whose value follows on the next lines ("key:"). */
static bool opens_value(const char *l, size_t n)
{
    return n > 0 && l[n - 1] == ':';
}

/* Column after the "- " item markers a line starts with. */
static size_t content_col(const char *l, size_t n, size_t ind)
{
    while (ind + 1 < n && l[ind] == '-' && l[ind + 1] == ' ')
        ind += 2;
    return ind;
}

/* Whether the text at l[col] is "key: value" (a key with an inline value). */
static bool inline_key_value(const char *l, size_t n, size_t col)
{
    size_t i = col;
    if (i < n && (l[i] == '"' || l[i] == '\'')) {
        char q = l[i++];
        while (i < n && !(l[i] == q && (q == '\'' || l[i - 1] != '\\')))
            i++;
        i++;
    }
    for (; i + 1 < n; i++)
        if (l[i] == ':' && l[i + 1] == ' ')
            return true;
    return false;
}

typedef struct {
    size_t regions[MAX_NEST], nreg;
    ptrdiff_t block;   /* indent of the line that opened a block scalar, or -1 */
    bool prev_key;     /* the previous line was "key:" with its value below */
    size_t prev_col;   /* its key column */
    ptrdiff_t fold;    /* lines indented more than this continue a folded scalar */
} relayout;

/* One line of v2 output into out (without its newline). */
static void relayout_line(relayout *r, const char *l, size_t n, gotk_buf *out)
{
    size_t ind = indent_of(l, n);
    bool blank = ind == n;
    if (r->block >= 0 && (blank || (ptrdiff_t)ind > r->block)) {
        gotk_buf_putc(out, '\n');
        for (size_t i = 0; i < r->nreg && !blank; i++)
            gotk_buf_puts(out, "  ");
        gotk_buf_append(out, l, n);
        return;
    }
    r->block = -1;
    if (r->fold >= 0 && !blank && (ptrdiff_t)ind > r->fold) { /* v3 does not fold long lines */
        gotk_buf_putc(out, ' ');
        gotk_buf_append(out, l + ind, n - ind);
        return;
    }
    bool item = (n >= ind + 2 && l[ind] == '-' && l[ind + 1] == ' ') || (n == ind + 1 && l[ind] == '-');
    while (r->nreg > 0 && (ind < r->regions[r->nreg - 1] || (ind == r->regions[r->nreg - 1] && !item)))
        r->nreg--;
    if (item && r->prev_key && r->prev_col == ind && r->nreg < MAX_NEST)
        r->regions[r->nreg++] = ind;
    if (out->len)
        gotk_buf_putc(out, '\n');
    for (size_t i = 0; i < r->nreg; i++)
        gotk_buf_puts(out, "  ");
    gotk_buf_append(out, l, n);
    size_t col = content_col(l, n, ind);
    r->prev_key = opens_value(l, n);
    r->prev_col = col;
    r->fold = -1;
    if (opens_block(l, n))
        r->block = (ptrdiff_t)ind;
    else if (!r->prev_key && col < n)
        r->fold = inline_key_value(l, n, col) ? (ptrdiff_t)col : (ptrdiff_t)col - 1;
}

/* Re-indent v2 layout as v3's: sequences under keys move right by two, long
 * scalars are not folded. */
static void indent_sequences(const char *in, size_t len, gotk_buf *out)
{
    relayout r = {.block = -1, .fold = -1};
    for (size_t pos = 0; pos < len;) {
        const char *l = in + pos, *nl = memchr(l, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - l) : len - pos;
        pos += n + (nl != NULL);
        relayout_line(&r, l, n, out);
    }
}

/* Marks a Go struct's field key with its position: go-yaml v3 writes fields
 * in declaration order while the emitter sorts keys (as v3 sorts a map's). */
#define FIELD_MARK "gotks"
#define FIELD_MARK_LEN 9 /* "gotks" and four digits */

static json_object *mark_floats(json_object *j, json_object *floats);

/* omitempty's test for the field values a tagged struct has. */
static bool empty_field(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null: return true;
    case json_type_boolean: return !json_object_get_boolean(v);
    case json_type_string: return json_object_get_string_len(v) == 0;
    case json_type_array: return json_object_array_length(v) == 0;
    default: return false;
    }
}

/* The yaml tags of a struct's fields: only chart.Dependency of Helm's
 * structs has them, the same as its json tags. NULL for none. */
static const gotk_tpl_json_field *yaml_tags(json_object *j)
{
    const tpl_tag *t = tpl_tag_of(j);
    return t->json && strstr(t->type, "chart.Dependency") ? t->json : NULL;
}

/* A Go struct: v3's default key is the field name lowercased, embedded
 * structs included (they are not inlined without an ",inline" tag). */
static json_object *mark_struct(json_object *j, json_object *floats)
{
    json_object *o = json_object_new_object();
    const gotk_tpl_json_field *tags = yaml_tags(j);
    size_t i = 0;
    json_object_object_foreach(j, k, v) {
        const gotk_tpl_json_field *f = tags;
        while (f && f->go && strcmp(f->go, k))
            f++;
        if (f && f->go && f->omitempty && empty_field(v))
            continue;
        gotk_buf key = {0};
        gotk_buf_printf(&key, FIELD_MARK "%04zu", i++ % 10000);
        if (f && f->go)
            gotk_buf_puts(&key, f->json);
        else
            for (const char *c = k; *c; c++)
                gotk_buf_putc(&key, (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c));
        json_object_object_add(o, key.data, mark_floats(v, floats));
        gotk_buf_free(&key);
    }
    return o;
}

/* A copy of j with each double replaced by a marker string; the markers'
 * texts (go-yaml v3 writes floats as Go's %g) go to floats. */
static json_object *mark_floats(json_object *j, json_object *floats)
{
    switch (json_object_get_type(j)) {
    case json_type_double: {
        gotk_buf f = {0}, m = {0};
        tpl_fmt_float_shortest(&f, json_object_get_double(j), 'g');
        gotk_buf_printf(&m, "gotkf%zuloat", json_object_array_length(floats));
        json_object_array_add(floats, json_object_new_string(f.data));
        json_object *s = json_object_new_string(m.data);
        gotk_buf_free(&f);
        gotk_buf_free(&m);
        return s;
    }
    case json_type_object: {
        if (tpl_tag_of(j) && tpl_tag_of(j)->is_struct)
            return mark_struct(j, floats);
        json_object *o = json_object_new_object();
        json_object_object_foreach(j, k, v)
            json_object_object_add(o, k, mark_floats(v, floats));
        return o;
    }
    case json_type_array: {
        json_object *a = json_object_new_array();
        for (size_t i = 0; i < json_object_array_length(j); i++)
            json_object_array_add(a, mark_floats(json_object_array_get_idx(j, i), floats));
        return a;
    }
    default: return json_object_get(j);
    }
}

static bool field_mark_at(const char *p, size_t left)
{
    if (left < FIELD_MARK_LEN || strncmp(p, FIELD_MARK, 5) != 0)
        return false;
    for (int i = 5; i < FIELD_MARK_LEN; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

/* Put the floats' texts where their markers are; drop field key marks. */
static void unmark_floats(gotk_buf *b, json_object *floats, bool has_structs)
{
    if (json_object_array_length(floats) == 0 && !has_structs)
        return;
    gotk_buf o = {0};
    for (size_t i = 0; i < b->len;) {
        const char *p = b->data + i;
        size_t idx;
        int used = 0;
        if (has_structs && field_mark_at(p, b->len - i)) {
            i += FIELD_MARK_LEN;
        } else if (b->len - i >= 10 && strncmp(p, "gotkf", 5) == 0 && sscanf(p + 5, "%zuloat%n", &idx, &used) == 1 &&
            used > 4 && idx < json_object_array_length(floats)) {
            gotk_buf_puts(&o, json_object_get_string(json_object_array_get_idx(floats, idx)));
            i += 5 + (size_t)used;
        } else {
            gotk_buf_putc(&o, *p);
            i++;
        }
    }
    gotk_buf_free(b);
    *b = o;
}

static bool has_struct(json_object *j)
{
    if (json_object_is_type(j, json_type_object)) {
        if (tpl_tag_of(j) && tpl_tag_of(j)->is_struct)
            return true;
        json_object_object_foreach(j, k, v) {
            (void)k;
            if (has_struct(v))
                return true;
        }
    } else if (json_object_is_type(j, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(j); i++)
            if (has_struct(json_object_array_get_idx(j, i)))
                return true;
    }
    return false;
}

/* toYamlPretty v */
FN(fn_to_yaml_pretty)
{
    (void)argc, (void)ud;
    json_object *j = sprig_to_json(tpl_indirect_iface(argv[0]));
    json_object *floats = json_object_new_array(), *marked = mark_floats(j, floats);
    bool structs = has_struct(j);
    gotk_buf v2 = {0}, b = {0};
    gotk_err *e = gotk_yaml_emit(marked, GOTK_YAML_SORT_KEYS, &v2);
    json_object_put(j);
    json_object_put(marked);
    if (e)
        gotk_err_free(e);
    else
        indent_sequences(v2.data ? v2.data : "", v2.len, &b);
    gotk_buf_free(&v2);
    unmark_floats(&b, floats, structs);
    json_object_put(floats);
    *res = sprig_take(ex, &b);
    return NULL;
}

/* Register toYamlPretty. */
void sprig_add_yaml(gotk_tpl_set *set)
{
    gotk_template_add_func(set, "toYamlPretty", "v", fn_to_yaml_pretty, NULL);
}
