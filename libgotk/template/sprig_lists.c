/*
 * sprig_lists.c: Sprig's lists, dicts, defaults, integer math and reflection.
 *
 * Lists are []interface{} (json arrays), dicts map[string]interface{} (json
 * objects). New lists share their elements with the originals, and set/unset
 * change a dict in place, as Go's maps and interfaces do. Sprig's list
 * functions panic on a non-list ("Cannot find first on type string") and Go
 * panics on a nil one; both come back as the errors Helm shows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gotk/obj.h"
#include "sprig.h"

#define FN(name) \
    static gotk_err *name(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv, \
                          gotk_tpl_val *res, void *ud)
#define UNUSED (void)ex, (void)argc, (void)argv, (void)ud

/* The list in v, or Sprig's panic for other types ("what" names the function). */
static gotk_err *need_list(gotk_tpl_val v, const char *what)
{
    v = tpl_indirect_iface(v);
    if (v.kind == GOTK_TPL_INVALID || v.kind == GOTK_TPL_NIL)
        return sprig_nil_panic();
    if (v.kind != GOTK_TPL_SLICE)
        return gotk_err_new(GOTK_E_INVALID, "Cannot %s type %s", what, sprig_kind_name(v));
    return NULL;
}

/* Element i of a list value (a new reference, NULL for nil). */
static json_object *elem(gotk_tpl_val l, size_t i)
{
    return json_object_get(json_object_array_get_idx(l.j, i));
}

/* A new list of l[from..to). */
static json_object *sub_list(gotk_tpl_val l, size_t from, size_t to)
{
    json_object *a = json_object_new_array();
    for (size_t i = from; i < to; i++)
        json_object_array_add(a, elem(l, i));
    return a;
}

/* list/tuple: the arguments as a list. */
FN(fn_list)
{
    UNUSED;
    json_object *a = json_object_new_array();
    for (int i = 0; i < argc; i++)
        json_object_array_add(a, sprig_to_json(argv[i]));
    *res = gotk_tpl_own(ex, a);
    return NULL;
}

/* first and last (ud): an element, or nil for an empty list. */
FN(fn_first_last)
{
    UNUSED;
    gotk_err *e = need_list(argv[0], ud ? "find last on" : "find first on");
    if (e)
        return e;
    size_t n = tpl_len(argv[0]);
    *res = gotk_tpl_nil();
    if (n > 0)
        *res = tpl_indirect_iface(gotk_tpl_from_json(json_object_array_get_idx(argv[0].j, ud ? n - 1 : 0), true));
    return NULL;
}

/* rest and initial (ud): all but the first, all but the last. */
FN(fn_rest_initial)
{
    UNUSED;
    gotk_err *e = need_list(argv[0], ud ? "find initial on" : "find rest on");
    if (e)
        return e;
    size_t n = tpl_len(argv[0]);
    if (n == 0) {
        *res = (gotk_tpl_val){GOTK_TPL_SLICE, false, NULL};
        return NULL;
    }
    *res = gotk_tpl_own(ex, ud ? sub_list(argv[0], 0, n - 1) : sub_list(argv[0], 1, n));
    return NULL;
}

/* append/push list v, prepend (ud) list v. */
FN(fn_push)
{
    UNUSED;
    gotk_err *e = need_list(argv[0], ud ? "prepend on" : "push on");
    if (e)
        return e;
    json_object *a = json_object_new_array();
    if (ud)
        json_object_array_add(a, sprig_to_json(argv[1]));
    for (size_t i = 0; i < tpl_len(argv[0]); i++)
        json_object_array_add(a, elem(argv[0], i));
    if (!ud)
        json_object_array_add(a, sprig_to_json(argv[1]));
    *res = gotk_tpl_own(ex, a);
    return NULL;
}

/* concat lists... */
FN(fn_concat)
{
    UNUSED;
    json_object *a = NULL;
    for (int i = 0; i < argc; i++) {
        gotk_tpl_val l = tpl_indirect_iface(argv[i]);
        if (l.kind == GOTK_TPL_INVALID || l.kind == GOTK_TPL_NIL) {
            json_object_put(a);
            return sprig_nil_panic();
        }
        if (l.kind != GOTK_TPL_SLICE) {
            json_object_put(a);
            return gotk_err_new(GOTK_E_INVALID, "Cannot concat type %s as list", sprig_kind_name(l));
        }
        if (!a)
            a = json_object_new_array();
        for (size_t k = 0; k < tpl_len(l); k++)
            json_object_array_add(a, elem(l, k));
    }
    *res = a ? gotk_tpl_own(ex, a) : (gotk_tpl_val){GOTK_TPL_SLICE, false, NULL};
    return NULL;
}

/* reverse list */
FN(fn_reverse)
{
    UNUSED;
    gotk_err *e = need_list(argv[0], "find reverse on");
    if (e)
        return e;
    json_object *a = json_object_new_array();
    for (size_t i = tpl_len(argv[0]); i > 0; i--)
        json_object_array_add(a, elem(argv[0], i - 1));
    *res = gotk_tpl_own(ex, a);
    return NULL;
}

/* Whether list a holds a value DeepEqual to v. */
static bool list_has(json_object *a, gotk_tpl_val v)
{
    size_t n = a ? json_object_array_length(a) : 0;
    for (size_t i = 0; i < n; i++)
        if (sprig_deep_equal(gotk_tpl_from_json(json_object_array_get_idx(a, i), true), v))
            return true;
    return false;
}

/* uniq list, compact list (ud "c"), without list v... (ud "w"). */
FN(fn_filter)
{
    UNUSED;
    const char *which = ud;
    gotk_err *e = need_list(argv[0], which[0] == 'u' ? "find uniq on" : which[0] == 'c' ? "compact on" : "find without on");
    if (e)
        return e;
    json_object *a = json_object_new_array(), *omit = NULL;
    if (which[0] == 'w') {
        omit = tpl_exec_keep(ex, json_object_new_array());
        for (int i = 1; i < argc; i++)
            json_object_array_add(omit, sprig_to_json(argv[i]));
    }
    for (size_t i = 0; i < tpl_len(argv[0]); i++) {
        gotk_tpl_val v = gotk_tpl_from_json(json_object_array_get_idx(argv[0].j, i), true);
        bool keep = which[0] == 'u' ? !list_has(a, v) : which[0] == 'c' ? !sprig_empty(v) : !list_has(omit, v);
        if (keep)
            json_object_array_add(a, elem(argv[0], i));
    }
    *res = gotk_tpl_own(ex, a);
    return NULL;
}

/* has needle haystack */
FN(fn_has)
{
    UNUSED;
    gotk_tpl_val h = tpl_indirect_iface(argv[1]);
    if (h.kind == GOTK_TPL_INVALID || h.kind == GOTK_TPL_NIL) {
        *res = gotk_tpl_bool(ex, false);
        return NULL;
    }
    gotk_err *e = need_list(h, "find has on");
    if (e)
        return e;
    *res = gotk_tpl_bool(ex, list_has(h.j, argv[0]));
    return NULL;
}

/* Sprig's strslice: a list's non-nil elements as strings, or [strval v]. */
static json_object *str_slice(gotk_tpl_val v)
{
    json_object *a = json_object_new_array();
    v = tpl_indirect_iface(v);
    if (v.kind == GOTK_TPL_SLICE) {
        for (size_t i = 0; i < tpl_len(v); i++) {
            gotk_tpl_val e = tpl_indirect_iface(gotk_tpl_from_json(json_object_array_get_idx(v.j, i), true));
            if (e.kind == GOTK_TPL_INVALID)
                continue;
            gotk_buf b = {0};
            sprig_strval(e, &b);
            json_object_array_add(a, json_object_new_string_len(b.data ? b.data : "", (int)b.len));
            gotk_buf_free(&b);
        }
    } else if (v.kind != GOTK_TPL_INVALID) {
        gotk_buf b = {0};
        sprig_strval(v, &b);
        json_object_array_add(a, json_object_new_string_len(b.data ? b.data : "", (int)b.len));
        gotk_buf_free(&b);
    }
    return a;
}

/* Bytewise order of json strings. */
static int cmp_json_str(const void *a, const void *b)
{
    json_object *x = *(json_object *const *)a, *y = *(json_object *const *)b;
    size_t lx = (size_t)json_object_get_string_len(x), ly = (size_t)json_object_get_string_len(y);
    int c = memcmp(json_object_get_string(x), json_object_get_string(y), lx < ly ? lx : ly);
    return c ? c : (lx > ly) - (lx < ly);
}

/* sortAlpha list: the elements as strings, sorted. */
FN(fn_sort_alpha)
{
    UNUSED;
    json_object *a = str_slice(argv[0]);
    json_object_array_sort(a, cmp_json_str);
    *res = gotk_tpl_own(ex, a);
    res->tname = "[]string";
    return NULL;
}

/* join sep list */
FN(fn_join)
{
    UNUSED;
    json_object *a = str_slice(argv[1]);
    gotk_buf b = {0};
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        if (i > 0)
            gotk_buf_append(&b, SV(argv[0]), SL(argv[0]));
        json_object *s = json_object_array_get_idx(a, i);
        gotk_buf_append(&b, json_object_get_string(s), (size_t)json_object_get_string_len(s));
    }
    json_object_put(a);
    *res = sprig_take(ex, &b);
    return NULL;
}

/* strings.Split into a json array of strings. */
static json_object *split_string(const char *sep, size_t sn, const char *s, size_t n)
{
    json_object *a = json_object_new_array();
    size_t i = 0;
    if (sn == 0) {
        while (i < n) {
            int32_t r;
            int w = tpl_utf8_decode(s + i, n - i, &r);
            json_object_array_add(a, json_object_new_string_len(s + i, w));
            i += (size_t)w;
        }
        return a;
    }
    for (const char *hit; (hit = memmem(s + i, n - i, sep, sn)); i = (size_t)(hit - s) + sn)
        json_object_array_add(a, json_object_new_string_len(s + i, (int)((size_t)(hit - s) - i)));
    json_object_array_add(a, json_object_new_string_len(s + i, (int)(n - i)));
    return a;
}

/* splitList sep s, and split sep s (ud): {_0: .., _1: ..}. */
FN(fn_split)
{
    UNUSED;
    json_object *a = split_string(SV(argv[0]), SL(argv[0]), SV(argv[1]), SL(argv[1]));
    if (!ud) {
        *res = gotk_tpl_own(ex, a);
        res->tname = "[]string";
        return NULL;
    }
    json_object *m = json_object_new_object();
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        char key[32];
        snprintf(key, sizeof key, "_%zu", i);
        json_object_object_add(m, key, json_object_get(json_object_array_get_idx(a, i)));
    }
    json_object_put(a);
    *res = gotk_tpl_own(ex, m);
    res->tname = "map[string]string";
    return NULL;
}

/* until n, untilStep start stop step: lists of ints. */
FN(fn_until)
{
    UNUSED;
    int64_t start = 0, stop, step;
    if (ud) {
        start = json_object_get_int64(argv[0].j), stop = json_object_get_int64(argv[1].j);
        step = json_object_get_int64(argv[2].j);
    } else {
        stop = json_object_get_int64(argv[0].j), step = stop < 0 ? -1 : 1;
    }
    json_object *a = json_object_new_array();
    if (stop < start && step < 0)
        for (int64_t i = start; i > stop; i += step)
            json_object_array_add(a, json_object_new_int64(i));
    else if (stop >= start && step > 0)
        for (int64_t i = start; i < stop; i += step)
            json_object_array_add(a, json_object_new_int64(i));
    *res = gotk_tpl_own(ex, a);
    res->tname = "[]int";
    return NULL;
}

/* dict k v k v...: keys as strings, a missing last value is "". */
FN(fn_dict)
{
    UNUSED;
    json_object *m = json_object_new_object();
    for (int i = 0; i < argc; i += 2) {
        gotk_buf k = {0};
        sprig_strval(argv[i], &k);
        json_object *v = i + 1 < argc ? sprig_to_json(argv[i + 1]) : json_object_new_string("");
        json_object_object_add(m, k.data ? k.data : "", v);
        gotk_buf_free(&k);
    }
    *res = gotk_tpl_own(ex, m);
    return NULL;
}

/* get d key: the value, or "" when absent. */
FN(fn_get)
{
    UNUSED;
    json_object *v;
    if (argv[0].j && json_object_object_get_ex(argv[0].j, SV(argv[1]), &v))
        *res = tpl_indirect_iface(gotk_tpl_from_json(v, true));
    else
        *res = gotk_tpl_string(ex, "", 0);
    return NULL;
}

/* set d key v and unset d key (ud), in place; hasKey d key (ud "h"). */
/* A map entry about to be replaced or removed may still be held by a template
 * variable (as in Go, where maps hold references): the execution keeps it. */
static void keep_entry(gotk_tpl_exec *ex, json_object *map, const char *key)
{
    json_object *old = NULL;
    if (json_object_object_get_ex(map, key, &old) && old)
        tpl_exec_keep(ex, json_object_get(old));
}

/* A map[string]interface{} parameter holds chartutil.Values converted to that
 * unnamed type, so the function returns it as a plain map (dig then takes it). */
static gotk_tpl_val as_plain_map(gotk_tpl_val v)
{
    v.tname = NULL;
    return v;
}

FN(fn_set)
{
    UNUSED;
    const char *which = ud;
    if (!argv[0].j && which[0] != 'h') {
        if (which[0] == 's')
            return gotk_err_new(GOTK_E_INVALID, "assignment to entry in nil map");
        *res = argv[0];
        return NULL;
    }
    if (which[0] == 'h') {
        *res = gotk_tpl_bool(ex, argv[0].j && json_object_object_get_ex(argv[0].j, SV(argv[1]), NULL));
        return NULL;
    }
    keep_entry(ex, argv[0].j, SV(argv[1]));
    if (which[0] == 's')
        json_object_object_add(argv[0].j, SV(argv[1]), sprig_to_json(argv[2]));
    else
        json_object_object_del(argv[0].j, SV(argv[1]));
    *res = as_plain_map(argv[0]);
    return NULL;
}

/* keys dicts... and values dict (ud). */
FN(fn_keys)
{
    UNUSED;
    json_object *a = json_object_new_array();
    for (int i = 0; i < (ud ? 1 : argc); i++) {
        if (!argv[i].j)
            continue;
        json_object_object_foreach(argv[i].j, k, v) {
            json_object_array_add(a, ud ? json_object_get(v) : json_object_new_string(k));
        }
    }
    *res = gotk_tpl_own(ex, a);
    res->tname = ud ? NULL : "[]string";
    return NULL;
}

/* pick d keys... and omit (ud) d keys... */
FN(fn_pick)
{
    UNUSED;
    json_object *m = json_object_new_object();
    if (argv[0].j) {
        json_object_object_foreach(argv[0].j, k, v) {
            bool listed = false;
            for (int i = 1; i < argc && !listed; i++)
                listed = strcmp(SV(argv[i]), k) == 0;
            if (listed != (ud != NULL))
                json_object_object_add(m, k, json_object_get(v));
        }
    }
    *res = gotk_tpl_own(ex, m);
    return NULL;
}

/* pluck key dicts... */
FN(fn_pluck)
{
    UNUSED;
    json_object *a = json_object_new_array(), *v;
    for (int i = 1; i < argc; i++)
        if (argv[i].j && json_object_object_get_ex(argv[i].j, SV(argv[0]), &v))
            json_object_array_add(a, json_object_get(v));
    *res = gotk_tpl_own(ex, a);
    return NULL;
}

/* default d given...: given[0] unless it is empty. */
FN(fn_default)
{
    UNUSED;
    *res = argc < 2 || sprig_empty(argv[1]) ? argv[0] : argv[1];
    return NULL;
}

/* empty v, all v..., any v... (ud "e", "l", "y"). */
FN(fn_empty)
{
    UNUSED;
    const char *which = ud;
    bool r = which[0] == 'l';
    if (which[0] == 'e')
        r = sprig_empty(argv[0]);
    for (int i = 0; which[0] != 'e' && i < argc; i++) {
        if (which[0] == 'l' && sprig_empty(argv[i]))
            r = false;
        if (which[0] == 'y' && !sprig_empty(argv[i]))
            r = true;
    }
    *res = gotk_tpl_bool(ex, r);
    return NULL;
}

/* coalesce v...: the first non-empty value, or nil. */
FN(fn_coalesce)
{
    UNUSED;
    *res = gotk_tpl_nil();
    for (int i = 0; i < argc; i++) {
        if (!sprig_empty(argv[i])) {
            *res = argv[i];
            break;
        }
    }
    return NULL;
}

/* ternary vt vf cond */
FN(fn_ternary)
{
    UNUSED;
    *res = json_object_get_boolean(argv[2].j) ? argv[0] : argv[1];
    return NULL;
}

/* add, mul, max and min over int64 (ud "+", "*", ">", "<"). */
FN(fn_fold)
{
    UNUSED;
    const char *op = ud;
    int64_t acc = op[0] == '+' ? 0 : sprig_to_int64(argv[0]);
    for (int i = op[0] == '+' ? 0 : 1; i < argc; i++) {
        int64_t x = sprig_to_int64(argv[i]);
        if (op[0] == '+') acc = (int64_t)((uint64_t)acc + (uint64_t)x);
        else if (op[0] == '*') acc = (int64_t)((uint64_t)acc * (uint64_t)x);
        else if (op[0] == '>' && x > acc) acc = x;
        else if (op[0] == '<' && x < acc) acc = x;
    }
    *res = gotk_tpl_int64(ex, acc);
    return NULL;
}

/* add1, sub, div, mod on int64 (ud "1", "-", "/", "%"). */
FN(fn_arith)
{
    UNUSED;
    const char *op = ud;
    int64_t a = sprig_to_int64(argv[0]), b = op[0] == '1' ? 1 : sprig_to_int64(argv[1]);
    if ((op[0] == '/' || op[0] == '%') && b == 0)
        return gotk_err_new(GOTK_E_INVALID, "runtime error: integer divide by zero");
    int64_t r = op[0] == '-' ? (int64_t)((uint64_t)a - (uint64_t)b)
              : op[0] == '/' ? (b == -1 ? (int64_t)(0 - (uint64_t)a) : a / b)
              : op[0] == '%' ? (b == -1 ? 0 : a % b)
                             : (int64_t)((uint64_t)a + (uint64_t)b);
    *res = gotk_tpl_int64(ex, r);
    return NULL;
}

/* floor and ceil (ud) of a number as float64. */
FN(fn_floor)
{
    UNUSED;
    double d = sprig_to_float64(argv[0]);
    *res = gotk_tpl_float(ex, ud ? ceil(d) : floor(d));
    return NULL;
}

/* typeOf v, kindOf v (ud "k"). */
FN(fn_type_of)
{
    UNUSED;
    gotk_tpl_val v = tpl_indirect_iface(argv[0]);
    const char *name = ud ? (v.kind == GOTK_TPL_INVALID || v.kind == GOTK_TPL_NIL ? "invalid" : sprig_kind_name(v))
                          : gotk_tpl_type_name(v);
    *res = gotk_tpl_string(ex, name, strlen(name));
    return NULL;
}

/* typeIs t v, kindIs (ud) t v. */
FN(fn_type_is)
{
    UNUSED;
    gotk_tpl_val v = tpl_indirect_iface(argv[1]);
    const char *name = ud ? (v.kind == GOTK_TPL_INVALID || v.kind == GOTK_TPL_NIL ? "invalid" : sprig_kind_name(v))
                          : gotk_tpl_type_name(v);
    *res = gotk_tpl_bool(ex, strcmp(name, SV(argv[0])) == 0);
    return NULL;
}

/* deepEqual a b */
FN(fn_deep_equal)
{
    UNUSED;
    *res = gotk_tpl_bool(ex, sprig_deep_equal(argv[0], argv[1]));
    return NULL;
}

/* mergo's isEmptyValue for a map element (nil included). */
static bool json_empty(json_object *j)
{
    return !j || !tpl_is_true(gotk_tpl_from_json(j, false));
}

/* mergo.Merge (overwrite: MergeWithOverwrite) of src into dst, Sprig's way:
 * nested maps merge in place; an empty or missing dst value takes src's (any
 * dst value does with overwrite); nil src values only count with overwrite. */
static void merge_maps(gotk_tpl_exec *ex, json_object *dst, json_object *src, bool overwrite)
{
    json_object_object_foreach(src, key, sv) {
        json_object *dv = NULL;
        bool has = json_object_object_get_ex(dst, key, &dv);
        if (!sv) {
            if (overwrite) {
                keep_entry(ex, dst, key);
                json_object_object_add(dst, key, NULL);
            }
            continue;
        }
        bool empty = !has || json_empty(dv);
        if (json_object_is_type(sv, json_type_object) && has && json_object_is_type(dv, json_type_object)) {
            merge_maps(ex, dv, sv, overwrite);
            if (!empty)
                continue;
        } else if (json_object_is_type(sv, json_type_array) && !empty && !overwrite) {
            continue;
        }
        if (overwrite || empty) {
            keep_entry(ex, dst, key);
            json_object_object_add(dst, key, json_object_get(sv));
        }
    }
}

/* merge dst srcs... and mergeOverwrite (ud): dst, changed in place. */
FN(fn_merge)
{
    UNUSED;
    gotk_tpl_val dst = argv[0];
    if (!dst.j)
        dst = gotk_tpl_own(ex, json_object_new_object());
    for (int i = 1; i < argc; i++)
        if (argv[i].j)
            merge_maps(ex, dst.j, argv[i].j, ud != NULL);
    *res = as_plain_map(dst);
    return NULL;
}

/* deepCopy v: a copy sharing nothing with v; nil panics in copystructure. */
FN(fn_deep_copy)
{
    UNUSED;
    gotk_tpl_val v = tpl_indirect_iface(argv[0]);
    if (v.kind == GOTK_TPL_INVALID || v.kind == GOTK_TPL_NIL)
        return gotk_err_new(GOTK_E_INVALID, "reflect: call of reflect.Value.Type on zero Value");
    json_object *copy = NULL;
    if (v.j && (v.kind == GOTK_TPL_MAP || v.kind == GOTK_TPL_SLICE))
        copy = tpl_copy_typed(v.j);
    *res = copy ? gotk_tpl_own(ex, copy) : v;
    if (copy)
        res->kind = v.kind;
    return NULL;
}

/* chunk size list: the list cut into lists of size elements. */
FN(fn_chunk)
{
    UNUSED;
    gotk_err *e = need_list(argv[1], "chunk");
    if (e)
        return e;
    int64_t size = json_object_get_int64(argv[0].j), n = (int64_t)tpl_len(argv[1]);
    if (size <= 0)
        return gotk_err_new(GOTK_E_INVALID, "runtime error: integer divide by zero");
    json_object *a = json_object_new_array();
    for (int64_t i = 0; i < n; i += size)
        json_object_array_add(a, sub_list(argv[1], (size_t)i, (size_t)(i + size < n ? i + size : n)));
    *res = gotk_tpl_own(ex, a);
    return NULL;
}

/* Register the list, dict, default, math and reflection functions. */
void sprig_add_collections(gotk_tpl_set *set)
{
    static const struct {
        const char *name, *params;
        gotk_tpl_fn fn;
        const char *ud;
    } t[] = {
        {"list", "v...", fn_list, NULL}, {"tuple", "v...", fn_list, NULL},
        {"first", "v", fn_first_last, NULL}, {"last", "v", fn_first_last, "l"},
        {"rest", "v", fn_rest_initial, NULL}, {"initial", "v", fn_rest_initial, "i"},
        {"append", "vv", fn_push, NULL}, {"push", "vv", fn_push, NULL},
        {"prepend", "vv", fn_push, "p"}, {"concat", "v...", fn_concat, NULL},
        {"reverse", "v", fn_reverse, NULL}, {"uniq", "v", fn_filter, "u"},
        {"compact", "v", fn_filter, "c"}, {"without", "vv...", fn_filter, "w"},
        {"has", "vv", fn_has, NULL}, {"sortAlpha", "v", fn_sort_alpha, NULL},
        {"join", "sv", fn_join, NULL}, {"splitList", "ss", fn_split, NULL},
        {"split", "ss", fn_split, "m"}, {"until", "i", fn_until, NULL},
        {"untilStep", "iii", fn_until, "s"}, {"dict", "v...", fn_dict, NULL},
        {"get", "ms", fn_get, NULL}, {"set", "msv", fn_set, "s"},
        {"unset", "ms", fn_set, "u"}, {"hasKey", "ms", fn_set, "h"},
        {"keys", "m...", fn_keys, NULL}, {"values", "m", fn_keys, "v"},
        {"pick", "ms...", fn_pick, NULL}, {"omit", "ms...", fn_pick, "o"},
        {"pluck", "sm...", fn_pluck, NULL}, {"default", "vv...", fn_default, NULL},
        {"empty", "v", fn_empty, "e"}, {"all", "v...", fn_empty, "l"},
        {"any", "v...", fn_empty, "y"}, {"coalesce", "v...", fn_coalesce, NULL},
        {"ternary", "vvb", fn_ternary, NULL}, {"add", "v...", fn_fold, "+"},
        {"mul", "vv...", fn_fold, "*"}, {"max", "vv...", fn_fold, ">"},
        {"biggest", "vv...", fn_fold, ">"}, {"min", "vv...", fn_fold, "<"},
        {"add1", "v", fn_arith, "1"}, {"sub", "vv", fn_arith, "-"},
        {"div", "vv", fn_arith, "/"}, {"mod", "vv", fn_arith, "%"},
        {"floor", "v", fn_floor, NULL}, {"ceil", "v", fn_floor, "c"},
        {"typeOf", "v", fn_type_of, NULL}, {"kindOf", "v", fn_type_of, "k"},
        {"typeIs", "sv", fn_type_is, NULL}, {"kindIs", "sv", fn_type_is, "k"},
        {"deepEqual", "vv", fn_deep_equal, NULL},
        {"merge", "mm...", fn_merge, NULL}, {"mustMerge", "mm...", fn_merge, NULL},
        {"mergeOverwrite", "mm...", fn_merge, "o"}, {"mustMergeOverwrite", "mm...", fn_merge, "o"},
        {"deepCopy", "v", fn_deep_copy, NULL}, {"mustDeepCopy", "v", fn_deep_copy, NULL},
        {"chunk", "iv", fn_chunk, NULL}, {"mustChunk", "iv", fn_chunk, NULL},
        {"mustFirst", "v", fn_first_last, NULL}, {"mustLast", "v", fn_first_last, "l"},
        {"mustRest", "v", fn_rest_initial, NULL}, {"mustInitial", "v", fn_rest_initial, "i"},
        {"mustAppend", "vv", fn_push, NULL}, {"mustPush", "vv", fn_push, NULL},
        {"mustPrepend", "vv", fn_push, "p"}, {"mustReverse", "v", fn_reverse, NULL},
        {"mustUniq", "v", fn_filter, "u"}, {"mustCompact", "v", fn_filter, "c"},
        {"mustWithout", "vv...", fn_filter, "w"}, {"mustHas", "vv", fn_has, NULL},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        gotk_template_add_func(set, t[i].name, t[i].params, t[i].fn, (void *)t[i].ud);
}
