/*
 * value.c: the set object, arenas, values and Go string quoting.
 *
 * A set owns an arena holding every node and source text it parsed; freeing the
 * set frees them at once. Values are small structs over json-c objects (see
 * template.h); the helpers here give Go's view of them: truth, length, type
 * names and map key order. strconv's Quote and Unquote live here too, since the
 * parser, the printer and the errors all need them.
 */
#include <stdlib.h>
#include <string.h>

#include "tpl_int.h"
#include "gotk/obj.h"

/* ---- arena --------------------------------------------------------------- */

struct tpl_block {
    tpl_block *next;
    size_t used, cap;
    max_align_t data[];
};

/* n bytes at the given alignment (a power of two) from the arena's head
 * block, or from a new one. Parse nodes and strings are small and many, so
 * they are packed as tightly as their types allow. */
static void *arena_take(tpl_arena *a, size_t n, size_t align)
{
    tpl_block *b = a->head;
    size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
    if (!b || at > b->cap || b->cap - at < n) {
        size_t cap = n > 16384 ? n : 16384;
        b = gotk_xmalloc(sizeof *b + cap);
        b->used = 0;
        b->cap = cap;
        b->next = a->head;
        a->head = b;
        at = 0;
    }
    b->used = at + n;
    return (char *)b->data + at;
}

/* What arena structs hold at most: pointers, 64-bit integers and doubles. */
#define MAX2(a, b) ((a) > (b) ? (a) : (b))
#define ARENA_ALIGN MAX2(MAX2(_Alignof(void *), _Alignof(int64_t)), _Alignof(double))

/* Zeroed memory, aligned for any pointer, integer or double. */
void *tpl_alloc(tpl_arena *a, size_t n)
{
    void *p = arena_take(a, n, ARENA_ALIGN);
    memset(p, 0, n);
    return p;
}

/* A NUL-terminated copy in the arena. */
char *tpl_strndup(tpl_arena *a, const char *s, size_t n)
{
    char *d = arena_take(a, n + 1, 1);
    if (n)
        memcpy(d, s, n);
    d[n] = 0;
    return d;
}

/* Free every block of the arena. */
void tpl_arena_free(tpl_arena *a)
{
    while (a->head) {
        tpl_block *n = a->head->next;
        free(a->head);
        a->head = n;
    }
}

/* ---- the set --------------------------------------------------------------- */

static tpl_func *own_func(const gotk_tpl_set *set, const char *name, size_t len);

/* A new set holding only the builtins. */
gotk_tpl_set *gotk_template_new(void)
{
    gotk_tpl_set *set = gotk_xcalloc(1, sizeof *set);
    tpl_add_builtins(set);
    return set;
}

/* Free the set, its trees and its function table. */
void gotk_template_free(gotk_tpl_set *set)
{
    if (!set)
        return;
    for (int i = 0; i < set->nfuncs; i++) {
        free(set->funcs[i].name);
        free(set->funcs[i].params);
    }
    free(set->funcs);
    tpl_free_methods(set);
    free(set->trees);
    free(set->func_index.slots);
    free(set->tree_index.slots);
    free(set->ldelim);
    free(set->rdelim);
    free(set->name);
    free(set->parsed);
    free(set->names.slots);
    tpl_arena_free(&set->arena);
    free(set);
}

/* Add or replace a function; params as documented in template.h. */
void gotk_template_add_func(gotk_tpl_set *set, const char *name, const char *params,
                            gotk_tpl_fn fn, void *ud)
{
    tpl_func *f = own_func(set, name, strlen(name));
    if (!f) {
        if (set->nfuncs == set->capfuncs) {
            set->capfuncs = set->capfuncs ? set->capfuncs * 2 : 64;
            set->funcs = gotk_xrealloc(set->funcs, sizeof *set->funcs * (size_t)set->capfuncs);
        }
        f = &set->funcs[set->nfuncs++];
        f->name = gotk_xstrdup(name);
        tpl_index_add(&set->func_index, set->funcs, sizeof *set->funcs, set->nfuncs,
                      set->nfuncs - 1);
    } else {
        free(f->params);
    }
    tpl_func_define(f, params, fn, ud);
}

/* Parse the parameter letters ("s v...") into f, with fn and ud. */
void tpl_func_define(tpl_func *f, const char *params, gotk_tpl_fn fn, void *ud)
{
    size_t n = strlen(params);
    f->variadic = n >= 3 && strcmp(params + n - 3, "...") == 0;
    f->params = gotk_xstrndup(params, f->variadic ? n - 3 : n);
    char *w = f->params;
    for (const char *r = f->params; *r; r++)
        if (*r != ' ')
            *w++ = *r;
    *w = 0;
    f->fn = fn;
    f->ud = ud;
    f->builtin = 0;
}

/* FNV-1a of a name. */
static size_t hash_name(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return (size_t)h;
}

/* The name of item i of an indexed array. */
static const char *item_name(const void *base, size_t stride, int i)
{
    return *(const char *const *)((const char *)base + stride * (size_t)i);
}

/* Put item i in its slot (the table has room). */
static void index_put(tpl_index *ix, const void *base, size_t stride, int i)
{
    const char *name = item_name(base, stride, i);
    size_t h = hash_name(name, strlen(name)) & (ix->cap - 1);
    while (ix->slots[h])
        h = (h + 1) & (ix->cap - 1);
    ix->slots[h] = i + 1;
}

/* Index one more item, growing and rehashing the table when half full. */
void tpl_index_add(tpl_index *ix, const void *base, size_t stride, int count, int item)
{
    if ((size_t)count * 2 > ix->cap) {
        free(ix->slots);
        ix->cap = ix->cap ? ix->cap * 2 : 64;
        while ((size_t)count * 2 > ix->cap)
            ix->cap *= 2;
        ix->slots = gotk_xcalloc(ix->cap, sizeof *ix->slots);
        for (int i = 0; i < count; i++)
            index_put(ix, base, stride, i);
        return;
    }
    index_put(ix, base, stride, item);
}

/* The index of the item named name[0..len), or -1. */
static int index_find(const tpl_index *ix, const void *base, size_t stride, const char *name,
                      size_t len)
{
    if (!ix->cap)
        return -1;
    for (size_t h = hash_name(name, len) & (ix->cap - 1); ix->slots[h]; h = (h + 1) & (ix->cap - 1)) {
        const char *n = item_name(base, stride, ix->slots[h] - 1);
        if (strlen(n) == len && memcmp(n, name, len) == 0)
            return ix->slots[h] - 1;
    }
    return -1;
}

/* The function of that name the set itself holds (not its base's), or NULL. */
static tpl_func *own_func(const gotk_tpl_set *set, const char *name, size_t len)
{
    int i = index_find(&set->func_index, set->funcs, sizeof *set->funcs, name, len);
    return i < 0 ? NULL : &set->funcs[i];
}

/* The function of that name, or NULL. */
const tpl_func *tpl_find_func(const gotk_tpl_set *set, const char *name, size_t len)
{
    for (; set; set = set->base) {
        const tpl_func *f = own_func(set, name, len);
        if (f)
            return f;
    }
    return NULL;
}

/* The template of that name the set itself holds, or NULL. */
tpl_tree *tpl_own_tree(gotk_tpl_set *set, const char *name)
{
    int i = index_find(&set->tree_index, set->trees, sizeof *set->trees, name, strlen(name));
    return i < 0 ? NULL : &set->trees[i];
}

/* The template of that name, or NULL. */
const tpl_tree *tpl_find_tree(const gotk_tpl_set *set, const char *name)
{
    for (; set; set = set->base) {
        int i = index_find(&set->tree_index, set->trees, sizeof *set->trees, name, strlen(name));
        if (i >= 0)
            return &set->trees[i];
    }
    return NULL;
}

/* Name the set (Go's root template name), for error messages. */
void gotk_template_set_name(gotk_tpl_set *set, const char *name)
{
    free(set->name);
    set->name = name ? gotk_xstrdup(name) : NULL;
}

/* A copy of the set: an empty overlay on the original, which must outlive it.
 * Lookups that miss in the copy go on to the original, so cloning costs the
 * same however many templates and functions it has (Helm's tpl clones the set
 * at every call). */
gotk_tpl_set *gotk_template_clone(const gotk_tpl_set *orig)
{
    gotk_tpl_set *set = gotk_xcalloc(1, sizeof *set);
    set->base = orig;
    set->missing = orig->missing;
    gotk_template_delims(set, orig->ldelim, orig->rdelim);
    gotk_template_set_name(set, orig->name);
    return set;
}

/* Set the missingkey option. */
gotk_err *gotk_template_option(gotk_tpl_set *set, const char *opt)
{
    if (!strcmp(opt, "missingkey=default") || !strcmp(opt, "missingkey=invalid"))
        set->missing = MISSING_INVALID;
    else if (!strcmp(opt, "missingkey=zero"))
        set->missing = MISSING_ZERO;
    else if (!strcmp(opt, "missingkey=error"))
        set->missing = MISSING_ERROR;
    else if (!strncmp(opt, "missingkey=", 11))
        return gotk_err_new(GOTK_E_INVALID, "unrecognized option: %s", opt);
    else
        return gotk_err_new(GOTK_E_INVALID, "unrecognized option: %s", opt);
    return NULL;
}

/* Set the action delimiters for later parses. */
void gotk_template_delims(gotk_tpl_set *set, const char *left, const char *right)
{
    free(set->ldelim);
    free(set->rdelim);
    set->ldelim = left && *left ? gotk_xstrdup(left) : NULL;
    set->rdelim = right && *right ? gotk_xstrdup(right) : NULL;
}

/* Parse text as template `name` into the set. */
gotk_err *gotk_template_parse(gotk_tpl_set *set, const char *name, const char *text,
                              size_t len)
{
    return tpl_parse(set, name, text, len, false);
}

/* The same, keeping pointers into text instead of a copy. */
gotk_err *gotk_template_parse_borrowed(gotk_tpl_set *set, const char *name, const char *text,
                                       size_t len)
{
    return tpl_parse(set, name, text, len, true);
}

/* Whether a non-empty template of that name exists. */
bool gotk_template_has(const gotk_tpl_set *set, const char *name)
{
    const tpl_tree *t = tpl_find_tree(set, name);
    return t && t->root;
}

/* ---- values ---------------------------------------------------------------- */

/* The Go kind of a json value. */
gotk_tpl_kind tpl_kind_of_json(json_object *j)
{
    switch (json_object_get_type(j)) {
    case json_type_null: return GOTK_TPL_NIL;
    case json_type_boolean: return GOTK_TPL_BOOL;
    case json_type_int: return gotk_obj_is_go_int64(j) ? GOTK_TPL_INT64 : GOTK_TPL_INT;
    case json_type_double: return GOTK_TPL_FLOAT64;
    case json_type_string: return GOTK_TPL_STRING;
    case json_type_object: return GOTK_TPL_MAP;
    case json_type_array: return GOTK_TPL_SLICE;
    }
    return GOTK_TPL_NIL;
}

/* A value viewing json (borrowed). */
gotk_tpl_val gotk_tpl_from_json(json_object *j, bool iface)
{
    gotk_tpl_val v = {tpl_kind_of_json(j), iface, j, NULL};
    const tpl_tag *t = v.kind == GOTK_TPL_MAP || v.kind == GOTK_TPL_SLICE || v.kind == GOTK_TPL_STRING
                           ? tpl_tag_of(j) : NULL;
    if (t)
        v.tname = t->type;
    return v;
}

/* The nil interface value. */
gotk_tpl_val gotk_tpl_nil(void)
{
    gotk_tpl_val v = {GOTK_TPL_NIL, false, NULL};
    return v;
}

/* Go's indirectInterface: unwrap an interface slot, nil -> invalid. */
gotk_tpl_val tpl_indirect_iface(gotk_tpl_val v)
{
    if (v.kind == GOTK_TPL_NIL)
        v.kind = GOTK_TPL_INVALID;
    v.iface = false;
    return v;
}

/* The boolean of a bool value. */
static bool bool_of(gotk_tpl_val v)
{
    return v.j && json_object_get_boolean(v.j);
}

/* Length of a string (bytes), map or slice; 0 otherwise. */
size_t tpl_len(gotk_tpl_val v)
{
    switch (v.kind) {
    case GOTK_TPL_STRING: return (size_t)json_object_get_string_len(v.j);
    case GOTK_TPL_MAP: return v.j ? (size_t)json_object_object_length(v.j) : 0;
    case GOTK_TPL_SLICE: return v.j ? json_object_array_length(v.j) : 0;
    default: return 0;
    }
}

/* Go's isTrue: zero values are false. */
bool tpl_is_true(gotk_tpl_val v)
{
    switch (v.kind) {
    case GOTK_TPL_BOOL: return bool_of(v);
    case GOTK_TPL_INT:
    case GOTK_TPL_INT64:
    case GOTK_TPL_UINT8: return json_object_get_int64(v.j) != 0;
    case GOTK_TPL_FLOAT64: return json_object_get_double(v.j) != 0;
    case GOTK_TPL_STRING:
    case GOTK_TPL_MAP:
    case GOTK_TPL_SLICE: return tpl_len(v) > 0;
    default: return false;
    }
}

/* Go's truth of a value (exported). */
bool gotk_tpl_truth(gotk_tpl_val v)
{
    return tpl_is_true(v);
}

/* Go's %T of a value. */
const char *gotk_tpl_type_name(gotk_tpl_val v)
{
    if (v.tname && v.kind != GOTK_TPL_INVALID && v.kind != GOTK_TPL_NIL)
        return v.tname;
    switch (v.kind) {
    case GOTK_TPL_BOOL: return "bool";
    case GOTK_TPL_INT: return "int";
    case GOTK_TPL_INT64: return "int64";
    case GOTK_TPL_UINT8: return "uint8";
    case GOTK_TPL_FLOAT64: return "float64";
    case GOTK_TPL_STRING: return "string";
    case GOTK_TPL_MAP: return "map[string]interface {}";
    case GOTK_TPL_SLICE: return "[]interface {}";
    default: return "<nil>";
    }
}

/* Byte-wise order of keys, as Go sorts string map keys. */
static int cmp_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A map's keys sorted bytewise; the caller frees the array. */
const char **tpl_sorted_keys(json_object *map, size_t *n)
{
    *n = map ? (size_t)json_object_object_length(map) : 0;
    const char **keys = gotk_xmalloc(sizeof *keys * (*n + 1));
    size_t i = 0;
    if (map) {
        json_object_object_foreach(map, k, val) {
            (void)val;
            keys[i++] = k;
        }
    }
    qsort(keys, i, sizeof *keys, cmp_keys);
    return keys;
}

/* Turn json ints into doubles, recursively. */
json_object *gotk_template_floatify(json_object *j)
{
    if (json_object_is_type(j, json_type_object)) {
        json_object_object_foreach(j, k, v) {
            if (json_object_is_type(v, json_type_int))
                json_object_object_add(j, k, json_object_new_double(json_object_get_double(v)));
            else
                gotk_template_floatify(v);
        }
    } else if (json_object_is_type(j, json_type_array)) {
        size_t n = json_object_array_length(j);
        for (size_t i = 0; i < n; i++) {
            json_object *v = json_object_array_get_idx(j, i);
            if (json_object_is_type(v, json_type_int))
                json_object_array_put_idx(j, i, json_object_new_double(json_object_get_double(v)));
            else
                gotk_template_floatify(v);
        }
    }
    return j;
}

/* ---- UTF-8 and quoting ----------------------------------------------------- */

/* Decode a rune as Go does: invalid bytes give U+FFFD with length 1. */
int tpl_utf8_decode(const char *s, size_t len, int32_t *r)
{
    const unsigned char *u = (const unsigned char *)s;
    *r = 0xFFFD;
    if (len == 0)
        return 0;
    if (u[0] < 0x80) {
        *r = u[0];
        return 1;
    }
    int n = u[0] >= 0xF0 && u[0] < 0xF5 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC2 && u[0] < 0xE0 ? 2 : 0;
    if (n == 0 || (size_t)n > len)
        return 1;
    int32_t c = u[0] & (0x7F >> n);
    for (int i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 1;
        c = (c << 6) | (u[i] & 0x3F);
    }
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 1;
    *r = c;
    return n;
}

/* Append a rune as UTF-8 (invalid runes as U+FFFD). */
void tpl_utf8_encode(gotk_buf *out, int32_t r)
{
    char b[4];
    if (r < 0 || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
        r = 0xFFFD;
    if (r < 0x80) {
        gotk_buf_putc(out, (char)r);
    } else if (r < 0x800) {
        b[0] = (char)(0xC0 | (r >> 6)), b[1] = (char)(0x80 | (r & 0x3F));
        gotk_buf_append(out, b, 2);
    } else if (r < 0x10000) {
        b[0] = (char)(0xE0 | (r >> 12)), b[1] = (char)(0x80 | ((r >> 6) & 0x3F));
        b[2] = (char)(0x80 | (r & 0x3F));
        gotk_buf_append(out, b, 3);
    } else {
        b[0] = (char)(0xF0 | (r >> 18)), b[1] = (char)(0x80 | ((r >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((r >> 6) & 0x3F)), b[3] = (char)(0x80 | (r & 0x3F));
        gotk_buf_append(out, b, 4);
    }
}

/* Whether Go's unicode.IsPrint holds: letters, marks, numbers, punctuation,
 * symbols and the ASCII space. Outside ASCII this excludes controls, the other
 * spaces, format characters, private use and noncharacters; unassigned code
 * points count as printable (no Unicode tables here). */
bool tpl_is_print(int32_t r)
{
    static const int32_t no[][2] = {
        {0x7F, 0xA0}, {0xAD, 0xAD}, {0x600, 0x605}, {0x61C, 0x61C}, {0x6DD, 0x6DD},
        {0x70F, 0x70F}, {0x1680, 0x1680}, {0x180E, 0x180E}, {0x2000, 0x200F},
        {0x2028, 0x202F}, {0x205F, 0x2064}, {0x2066, 0x206F}, {0x3000, 0x3000},
        {0xD800, 0xF8FF}, {0xFDD0, 0xFDEF}, {0xFEFF, 0xFEFF}, {0xFFF9, 0xFFFB},
        {0x110BD, 0x110BD}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F},
        {0xF0000, 0x10FFFF},
    };
    if (r < 0x80)
        return r >= 0x20 && r < 0x7F;
    if ((r & 0xFFFE) == 0xFFFE)
        return false;
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (r >= no[i][0] && r <= no[i][1])
            return false;
    return true;
}

/* One rune escaped as strconv does inside a quoted string (ascii: QuoteToASCII). */
static void quote_rune(gotk_buf *out, int32_t r, char q, bool ascii)
{
    static const char hex[] = "0123456789abcdef";
    if (r == q || r == '\\') {
        gotk_buf_putc(out, '\\');
        gotk_buf_putc(out, (char)r);
    } else if (tpl_is_print(r) && !(ascii && r >= 0x80)) {
        tpl_utf8_encode(out, r);
    } else {
        switch (r) {
        case '\a': gotk_buf_puts(out, "\\a"); break;
        case '\b': gotk_buf_puts(out, "\\b"); break;
        case '\f': gotk_buf_puts(out, "\\f"); break;
        case '\n': gotk_buf_puts(out, "\\n"); break;
        case '\r': gotk_buf_puts(out, "\\r"); break;
        case '\t': gotk_buf_puts(out, "\\t"); break;
        case '\v': gotk_buf_puts(out, "\\v"); break;
        default:
            if (r < ' ' || r == 0x7F)
                gotk_buf_printf(out, "\\x%c%c", hex[r >> 4], hex[r & 15]);
            else if (r < 0x10000)
                gotk_buf_printf(out, "\\u%04x", (unsigned)r);
            else
                gotk_buf_printf(out, "\\U%08x", (unsigned)r);
        }
    }
}

/* strconv.Quote (or QuoteToASCII) of s. */
void tpl_quote_ex(gotk_buf *out, const char *s, size_t len, bool ascii)
{
    gotk_buf_putc(out, '"');
    for (size_t i = 0; i < len;) {
        int32_t r;
        int w = tpl_utf8_decode(s + i, len - i, &r);
        if (r == 0xFFFD && w == 1)
            gotk_buf_printf(out, "\\x%02x", (unsigned char)s[i]);
        else
            quote_rune(out, r, '"', ascii);
        i += (size_t)w;
    }
    gotk_buf_putc(out, '"');
}

/* strconv.Quote of s. */
void tpl_quote(gotk_buf *out, const char *s, size_t len)
{
    tpl_quote_ex(out, s, len, false);
}

/* Value of a hex digit, or -1. */
static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* One escape sequence after a backslash; *i indexes the char after '\\'. */
static bool unquote_escape(const char *s, size_t n, size_t *i, char q, gotk_buf *out)
{
    char c = s[(*i)++];
    const char *simple = "abfnrtv", *vals = "\a\b\f\n\r\t\v";
    const char *p = strchr(simple, c);
    if (p && c) {
        gotk_buf_putc(out, vals[p - simple]);
        return true;
    }
    if (c == '\\' || c == q) {
        gotk_buf_putc(out, c);
        return true;
    }
    int digits = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
    if (digits) {
        uint32_t v = 0;
        for (int k = 0; k < digits; k++) {
            if (*i >= n || hexval(s[*i]) < 0)
                return false;
            v = v * 16 + (uint32_t)hexval(s[(*i)++]);
        }
        if (c == 'x')
            gotk_buf_putc(out, (char)v);
        else if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            return false;
        else
            tpl_utf8_encode(out, (int32_t)v);
        return true;
    }
    if (c >= '0' && c <= '7') {
        int v = c - '0';
        for (int k = 0; k < 2; k++) {
            if (*i >= n || s[*i] < '0' || s[*i] > '7')
                return false;
            v = v * 8 + (s[(*i)++] - '0');
        }
        if (v > 255)
            return false;
        gotk_buf_putc(out, (char)v);
        return true;
    }
    return false;
}

/* strconv.Unquote of a "...", `...` or '...' literal. */
bool tpl_unquote(const char *s, size_t n, gotk_buf *out)
{
    if (n < 2 || s[0] != s[n - 1])
        return false;
    char q = s[0];
    if (q == '`') {
        for (size_t i = 1; i < n - 1; i++) {
            if (s[i] == '`')
                return false;
            if (s[i] != '\r')
                gotk_buf_putc(out, s[i]);
        }
        if (!out->data)
            gotk_buf_puts(out, "");
        return true;
    }
    if (q != '"' && q != '\'')
        return false;
    size_t i = 1, end = n - 1;
    while (i < end) {
        if (s[i] == q || s[i] == '\n')
            return false;
        if (s[i] == '\\') {
            i++;
            if (i >= end || !unquote_escape(s, end, &i, q, out))
                return false;
        } else if ((unsigned char)s[i] >= 0x80) {
            /* as UnquoteChar: a byte that starts no rune reads as U+FFFD */
            int32_t r;
            int w = tpl_utf8_decode(s + i, end - i, &r);
            if (w == 1)
                tpl_utf8_encode(out, 0xFFFD);
            else
                gotk_buf_append(out, s + i, (size_t)w);
            i += (size_t)w;
        } else {
            gotk_buf_putc(out, s[i++]);
        }
    }
    if (!out->data)
        gotk_buf_puts(out, "");
    return true;
}
