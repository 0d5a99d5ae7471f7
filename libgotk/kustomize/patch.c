/*
 * kustomize patches: strategic merge (as kustomize's kyaml merge2 does it) and
 * JSON 6902, with kustomize's target selectors.
 *
 * Strategic merge: maps merge recursively, null deletes, scalars and lists are
 * replaced, except lists the Kubernetes schema marks as merged (containers by
 * name, volumeMounts by mountPath, ports by containerPort/port, ...) for
 * built-in API groups: those merge element by element, the patch's elements
 * first, then the remaining ones of the original, as kyaml orders them.
 * `$patch: delete|replace` work on maps and list elements.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The `$patch` directive of a map, or NULL. */
static const char *directive(json_object *o)
{
    json_object *d = NULL;
    if (json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, "$patch", &d))
        return json_object_get_string(d);
    return NULL;
}

/* A copy of a patch value with directives removed. */
static json_object *strip(json_object *p)
{
    if (json_object_is_type(p, json_type_object)) {
        json_object *o = json_object_new_object();
        json_object_object_foreach(p, k, v) {
            if (!strcmp(k, "$patch"))
                continue;
            json_object_object_add(o, k, strip(v));
        }
        return o;
    }
    if (json_object_is_type(p, json_type_array)) {
        json_object *a = json_object_new_array();
        for (size_t i = 0; i < karr_n(p); i++) {
            json_object *el = json_object_array_get_idx(p, i);
            if (directive(el))
                continue;
            json_object_array_add(a, strip(el));
        }
        return a;
    }
    return gotk_obj_copy(p);
}

static json_object *merge_value(json_object *dst, json_object *patch, ksnode sch);

/* A patch value that arrives where the target has none (or replaces it): kyaml
 * walks it against nothing, so null map values are dropped, down through maps
 * and the elements of lists merged by key; other lists are copied as they are. */
static json_object *strip_new(json_object *p, ksnode sch)
{
    if (json_object_is_type(p, json_type_object)) {
        json_object *o = json_object_new_object();
        json_object_object_foreach(p, k, v) {
            if (v && strcmp(k, "$patch"))
                json_object_object_add(o, k, strip_new(v, ksch_field(sch, k)));
        }
        return o;
    }
    if (json_object_is_type(p, json_type_array) && ksch_list_keys(sch)) {
        json_object *a = json_object_new_array();
        for (size_t i = 0; i < karr_n(p); i++) {
            json_object *el = json_object_array_get_idx(p, i);
            if (!directive(el))
                json_object_array_add(a, strip_new(el, ksch_elems(sch)));
        }
        return a;
    }
    return strip(p);
}

/* The text of an element's key field, or NULL. */
static const char *elem_key(json_object *el, const char *key)
{
    json_object *v = NULL;
    if (!json_object_is_type(el, json_type_object) || !json_object_object_get_ex(el, key, &v) ||
        !v)
        return NULL;
    return json_object_get_string(v);
}

/* The key values of an element ("" for a missing one); false when it has none. */
static bool elem_keys(json_object *el, const kstrv *keys, kstrv *out)
{
    bool any = false;
    for (size_t i = 0; i < keys->n; i++) {
        const char *v = keys->v[0][0] ? elem_key(el, keys->v[i])
                                      : (json_object_is_type(el, json_type_object) ||
                                         json_object_is_type(el, json_type_array))
                                            ? NULL
                                            : json_object_get_string(el);
        kstrv_push(out, v ? v : "");
        any = any || v;
    }
    return any;
}

/* kyaml's match of key values: a common value and no conflicting one. */
static bool keys_match(const kstrv *a, const kstrv *b)
{
    bool common = false;
    for (size_t i = 0; i < a->n; i++) {
        if (!strcmp(a->v[i], b->v[i])) {
            common = true;
            continue;
        }
        if (*a->v[i] && *b->v[i])
            return false;
    }
    return common;
}

/* Index of the element of arr whose keys match kv, or -1. */
static long find_elem(json_object *arr, const kstrv *keys, const kstrv *kv)
{
    for (size_t i = 0; arr && i < karr_n(arr); i++) {
        kstrv ev = {0};
        bool has = elem_keys(json_object_array_get_idx(arr, i), keys, &ev);
        bool ok = has && keys_match(&ev, kv);
        kstrv_free(&ev);
        if (ok)
            return (long)i;
    }
    return -1;
}

/* Split "a,b" into keys ("" stays one empty key: a list of scalars). */
static void split_keys(const char *spec, kstrv *out)
{
    const char *p = spec;
    for (const char *q; (q = strchr(p, ',')); p = q + 1) {
        char *t = gotk_xstrndup(p, (size_t)(q - p));
        kstrv_push(out, t);
        free(t);
    }
    kstrv_push(out, p);
}

/* Merge two lists by key, in kyaml's order: with one key (or a list of
 * scalars) the patch's elements first, then the rest of dst; with several keys
 * (container ports, ...) the patch's new elements first, then dst's elements
 * in their own order, merged. */
static json_object *merge_assoc(json_object *dst, json_object *patch, const char *keyspec,
                                ksnode elems)
{
    kstrv keys = {0};
    split_keys(keyspec, &keys);
    bool scalar = !keys.v[0][0], multi = keys.n > 1;
    size_t nd = karr_n(dst);
    json_object *out = json_object_new_array();
    json_object **merged = gotk_xcalloc(nd + 1, sizeof *merged); /* by dst index */
    bool *used = gotk_xcalloc(nd + 1, sizeof *used);
    for (size_t i = 0; i < karr_n(patch); i++) {
        json_object *pe = json_object_array_get_idx(patch, i);
        const char *d = directive(pe);
        kstrv kv = {0};
        if (!elem_keys(pe, &keys, &kv)) {
            if (!(d && !strcmp(d, "replace")))
                json_object_array_add(out, strip(pe));
            kstrv_free(&kv);
            continue;
        }
        long j = find_elem(dst, &keys, &kv);
        kstrv_free(&kv);
        if (j >= 0)
            used[j] = true;
        if (d && !strcmp(d, "delete"))
            continue;
        json_object *de = j >= 0 ? json_object_array_get_idx(dst, (size_t)j) : NULL;
        json_object *m = de && !scalar ? merge_value(gotk_obj_copy(de), pe, elems)
                         : scalar ? strip(pe) : strip_new(pe, elems);
        if (m && multi && j >= 0)
            merged[j] = m;
        else if (m)
            json_object_array_add(out, m);
    }
    for (size_t i = 0; i < nd; i++)
        if (merged[i])
            json_object_array_add(out, merged[i]);
        else if (!used[i])
            json_object_array_add(out, gotk_obj_copy(json_object_array_get_idx(dst, i)));
    free(merged);
    free(used);
    kstrv_free(&keys);
    return out;
}

/* Does a patch list hold a `$patch: replace` element? */
static bool list_replace(json_object *patch)
{
    for (size_t i = 0; i < karr_n(patch); i++) {
        const char *d = directive(json_object_array_get_idx(patch, i));
        if (d && !strcmp(d, "replace"))
            return true;
    }
    return false;
}

/* Merge patch map into dst map (dst owned, returned; NULL = delete). */
static json_object *merge_map(json_object *dst, json_object *patch, ksnode sch)
{
    const char *d = directive(patch);
    if (d && !strcmp(d, "delete")) {
        json_object_put(dst);
        return NULL;
    }
    if (d && !strcmp(d, "replace")) {
        json_object_put(dst);
        return strip_new(patch, sch);
    }
    json_object_object_foreach(patch, k, pv) {
        if (!strcmp(k, "$patch"))
            continue;
        json_object *dv = NULL;
        bool have = json_object_object_get_ex(dst, k, &dv);
        if (!pv) {
            json_object_object_del(dst, k);
            continue;
        }
        json_object *nv = merge_value(have && dv ? json_object_get(dv) : NULL, pv,
                                      ksch_field(sch, k));
        if (nv)
            json_object_object_add(dst, k, nv);
        else
            json_object_object_del(dst, k);
    }
    return dst;
}

/* Merge one value (dst owned or NULL; result owned or NULL to delete); sch is
 * the value's place in the schema. */
static json_object *merge_value(json_object *dst, json_object *patch, ksnode sch)
{
    if (json_object_is_type(patch, json_type_object)) {
        if (!dst || !json_object_is_type(dst, json_type_object)) {
            const char *d = directive(patch);
            json_object_put(dst);
            return d && !strcmp(d, "delete") ? NULL : strip_new(patch, sch);
        }
        return merge_map(dst, patch, sch);
    }
    if (json_object_is_type(patch, json_type_array) && dst &&
        json_object_is_type(dst, json_type_array) && !list_replace(patch)) {
        const char *key = ksch_list_keys(sch);
        if (key) {
            json_object *r = merge_assoc(dst, patch, key, ksch_elems(sch));
            json_object_put(dst);
            return r;
        }
    }
    bool fresh = !dst;
    json_object_put(dst);
    return fresh ? strip_new(patch, sch) : strip(patch);
}

/* Strategic merge patch into *dst (replaced; NULL when the patch deletes it). */
gotk_err *ksmp_apply(json_object **dst, json_object *patch, const kschema *custom)
{
    ksnode root = ksch_root(custom, gotk_obj_get_str(*dst, "apiVersion"),
                            gotk_obj_get_str(*dst, "kind"));
    *dst = merge_map(*dst, patch, root);
    return NULL;
}

/* ---- JSON 6902 ---------------------------------------------------------------- */

/* kustomize applies JSON patches with evanphx/json-patch v4.12.0; what
 * follows keeps its semantics and its error texts (pkg/errors' "msg: cause"),
 * quirks included: the first token of a path is skipped whatever it is,
 * replace may create a missing map key, copy of a missing key copies null,
 * negative array indices count from the end. */

static const char missing_value[] = "missing value";

/* A pointer token with ~1 and ~0 decoded. */
static char *decode_key(const char *t, size_t n)
{
    gotk_buf b = {0};
    gotk_buf_puts(&b, "");
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '~' && i + 1 < n && (t[i + 1] == '0' || t[i + 1] == '1')) {
            gotk_buf_putc(&b, t[i + 1] == '0' ? '~' : '/');
            i++;
        } else {
            gotk_buf_putc(&b, t[i]);
        }
    }
    return gotk_buf_steal(&b);
}

/* Go's strconv.Atoi (optional sign, decimal digits); false with its error. */
static bool go_atoi(const char *s, long *out, char **err)
{
    const char *p = s + (*s == '+' || *s == '-');
    bool ok = *p && strspn(p, "0123456789") == strlen(p) && strlen(p) < 18;
    if (ok)
        *out = strtol(s, NULL, 10);
    else
        *err = gotk_xasprintf("strconv.Atoi: parsing \"%s\": invalid syntax", s);
    return ok;
}

/* An array index as the library resolves it (negatives from the end). */
static char *index_of(const char *key, size_t len, size_t *idx)
{
    long v = 0;
    char *err = NULL;
    if (!go_atoi(key, &v, &err))
        return err;
    if (v < 0 && v >= -(long)len)
        v += (long)len;
    if (v < 0 || (size_t)v >= len)
        return gotk_xasprintf("Unable to access invalid index: %ld: invalid index referenced", v);
    *idx = (size_t)v;
    return NULL;
}

/* findObject: the container of the path's last token, or NULL. */
static json_object *find_object(json_object *doc, const char *path, char **key)
{
    const char *slash = strchr(path, '/');
    if (!slash)
        return NULL;
    json_object *cur = doc;
    const char *t = slash + 1;
    for (const char *next; (next = strchr(t, '/')); t = next + 1) {
        char *part = decode_key(t, (size_t)(next - t));
        json_object *child = NULL;
        if (json_object_is_type(cur, json_type_object)) {
            child = json_object_object_get(cur, part);
        } else if (json_object_is_type(cur, json_type_array)) {
            size_t idx;
            char *err = index_of(part, karr_n(cur), &idx);
            child = err ? NULL : json_object_array_get_idx(cur, idx);
            free(err);
        }
        free(part);
        if (!json_object_is_type(child, json_type_object) &&
            !json_object_is_type(child, json_type_array))
            return NULL;
        cur = child;
    }
    *key = decode_key(t, strlen(t));
    return cur;
}

/* container.get: a map never fails (a missing key is NULL). */
static char *c_get(json_object *con, const char *key, json_object **val, bool *present)
{
    *val = NULL;
    *present = false;
    if (json_object_is_type(con, json_type_object)) {
        *present = json_object_object_get_ex(con, key, val);
        return NULL;
    }
    size_t idx;
    char *err = index_of(key, karr_n(con), &idx);
    if (!err) {
        *val = json_object_array_get_idx(con, idx);
        *present = true;
    }
    return err;
}

/* container.add (takes val). */
static char *c_add(json_object *con, const char *key, json_object *val)
{
    if (json_object_is_type(con, json_type_object)) {
        json_object_object_add(con, key, val);
        return NULL;
    }
    size_t len = karr_n(con);
    if (!strcmp(key, "-")) {
        json_object_array_add(con, val);
        return NULL;
    }
    long v = 0;
    char *err = NULL;
    if (!go_atoi(key, &v, &err)) {
        char *w = gotk_xasprintf("value was not a proper array index: '%s': %s", key, err);
        free(err);
        json_object_put(val);
        return w;
    }
    if (v < 0 && v >= -(long)(len + 1))
        v += (long)(len + 1);
    if (v < 0 || (size_t)v > len) {
        json_object_put(val);
        return gotk_xasprintf("Unable to access invalid index: %ld: invalid index referenced", v);
    }
    json_object_array_add(con, NULL);
    for (size_t i = len; i > (size_t)v; i--)
        json_object_array_put_idx(con, i, json_object_get(json_object_array_get_idx(con, i - 1)));
    json_object_array_put_idx(con, (size_t)v, val);
    return NULL;
}

/* container.remove. */
static char *c_remove(json_object *con, const char *key)
{
    if (json_object_is_type(con, json_type_object)) {
        if (!json_object_object_get_ex(con, key, NULL))
            return gotk_xasprintf("Unable to remove nonexistent key: %s: %s", key, missing_value);
        json_object_object_del(con, key);
        return NULL;
    }
    size_t idx;
    char *err = index_of(key, karr_n(con), &idx);
    if (!err)
        json_object_array_del_idx(con, idx, 1);
    return err;
}

/* container.set (replace; the index was checked by get). Takes val. */
static void c_set(json_object *con, const char *key, json_object *val)
{
    size_t idx;
    if (json_object_is_type(con, json_type_object)) {
        json_object_object_add(con, key, val);
        return;
    }
    char *err = index_of(key, karr_n(con), &idx);
    if (!err)
        json_object_array_put_idx(con, idx, val);
    else
        json_object_put(val);
    free(err);
}

static gotk_err *op_err(const char *fmt, const char *a, const char *b)
{
    return gotk_err_new(GOTK_E_INVALID, fmt, a, b ? b : "");
}

/* add, remove, replace. */
static gotk_err *op_put(json_object **doc, const char *o, const char *path, json_object *op)
{
    json_object *val = NULL;
    bool has_val = json_object_object_get_ex(op, "value", &val);
    (void)has_val;
    if (!strcmp(o, "replace") && !*path) { /* the whole document, if a map or list */
        if (json_object_is_type(val, json_type_object) || json_object_is_type(val, json_type_array)) {
            json_object_put(*doc);
            *doc = gotk_obj_copy(val);
        }
        return NULL;
    }
    char *key = NULL, *err = NULL;
    json_object *con = find_object(*doc, path, &key);
    gotk_err *e = NULL;
    if (!con && strcmp(o, "replace"))
        e = gotk_err_new(GOTK_E_NOTFOUND, "%s operation does not apply: doc is missing path: "
                                          "\"%s\": %s", o, path, missing_value);
    else if (!con)
        e = op_err("replace operation does not apply: doc is missing path: %s: %s", path,
                   missing_value);
    else if (!strcmp(o, "add") && (err = c_add(con, key, gotk_obj_copy(val))))
        e = op_err("error in add for path: '%s': %s", path, err);
    else if (!strcmp(o, "remove") && (err = c_remove(con, key)))
        e = op_err("error in remove for path: '%s': %s", path, err);
    else if (!strcmp(o, "replace")) {
        json_object *cur;
        bool present;
        if ((err = c_get(con, key, &cur, &present)))
            e = op_err("replace operation does not apply: doc is missing key: %s: %s", path,
                       missing_value);
        else
            c_set(con, key, gotk_obj_copy(val));
    }
    free(err);
    free(key);
    return e;
}

/* move and copy. */
static gotk_err *op_move(json_object **doc, const char *o, const char *path, const char *from)
{
    bool move = !strcmp(o, "move");
    char *key = NULL, *err = NULL;
    json_object *con = find_object(*doc, from, &key), *val = NULL;
    bool present = false;
    gotk_err *e = NULL;
    if (!con)
        e = gotk_err_new(GOTK_E_NOTFOUND, "%s operation does not apply: doc is missing from path: "
                                          "%s: %s", o, from, missing_value);
    else if ((err = c_get(con, key, &val, &present)))
        e = move ? op_err("error in move for path: '%s': %s", key, err)
                 : op_err("error in copy for from: '%s': %s", from, err);
    json_object *v = e ? NULL : gotk_obj_copy(val);
    if (!e && move && (err = c_remove(con, key)))
        e = op_err("error in move for path: '%s': %s", key, err);
    free(key);
    key = NULL;
    con = e ? NULL : find_object(*doc, path, &key);
    if (!e && !con)
        e = gotk_err_new(GOTK_E_NOTFOUND, "%s operation does not apply: doc is missing "
                                          "destination path: %s: %s", o, path, missing_value);
    if (!e && (err = c_add(con, key, v))) {
        e = move ? op_err("error in move for path: '%s': %s", path, err)
                 : op_err("error while adding value during copy: %s%s", err, NULL);
        v = NULL;
    } else if (!e) {
        v = NULL;
    }
    json_object_put(v);
    free(err);
    free(key);
    return e;
}

/* test. */
static gotk_err *op_test(json_object *doc, const char *path, json_object *op)
{
    json_object *want = NULL;
    bool has_want = json_object_object_get_ex(op, "value", &want);
    if (!*path)
        return gotk_obj_equal(doc, want) ? NULL
               : op_err("testing value %s failed: test failed%s", path, NULL);
    char *key = NULL, *err = NULL;
    json_object *con = find_object(doc, path, &key), *val = NULL;
    bool present = false;
    gotk_err *e = NULL;
    if (!con)
        e = op_err("test operation does not apply: is missing path: %s: %s", path, missing_value);
    else if ((err = c_get(con, key, &val, &present)))
        e = op_err("error in test for path: '%s': %s", path, err);
    else if (present ? !(has_want && gotk_obj_equal(val, want)) : has_want)
        e = op_err("testing value %s failed: test failed%s", path, NULL);
    free(err);
    free(key);
    return e;
}

/* One operation. */
static gotk_err *json6902_op(json_object **doc, json_object *op)
{
    const char *o = gotk_obj_get_str(op, "op"), *path = gotk_obj_get_str(op, "path");
    const char *from = gotk_obj_get_str(op, "from");
    if (!o)
        o = "unknown";
    bool put = !strcmp(o, "add") || !strcmp(o, "remove") || !strcmp(o, "replace");
    bool mv = !strcmp(o, "move") || !strcmp(o, "copy");
    if (!put && !mv && strcmp(o, "test"))
        return gotk_err_new(GOTK_E_INVALID, "Unexpected kind: %s", o);
    if (mv && !from)
        return gotk_err_new(GOTK_E_INVALID, "%s operation failed to decode from: operation, "
                                            "missing from field: %s", o, missing_value);
    if (!path && (!strcmp(o, "add") || !strcmp(o, "remove") || !strcmp(o, "copy")))
        return gotk_err_new(GOTK_E_INVALID, "%s operation failed to decode path: %s", o,
                            missing_value);
    if (!path)
        return gotk_err_new(GOTK_E_INVALID, "%s operation failed to decode path: operation "
                                            "missing path field: %s", o, missing_value);
    if (put)
        return op_put(doc, o, path, op);
    if (mv)
        return op_move(doc, o, path, from);
    return op_test(*doc, path, op);
}

/* Apply a list of operations. */
gotk_err *kjson6902_apply(json_object **dst, json_object *ops)
{
    if (!json_object_is_type(ops, json_type_array))
        return gotk_err_new(GOTK_E_INVALID, "JSON patch must be a list of operations");
    for (size_t i = 0; i < karr_n(ops); i++) {
        gotk_err *e = json6902_op(dst, json_object_array_get_idx(ops, i));
        if (e)
            return e;
    }
    return NULL;
}

/* ---- selectors -------------------------------------------------------------- */

/* Does s fully match the regex pattern (anchored like kustomize)? */
static bool re_match(const char *pattern, const char *s)
{
    if (!pattern || !*pattern)
        return true;
    char *full = gotk_xasprintf("^(?:%s)$", pattern);
    int err;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)full, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
    free(full);
    if (!re)
        return !strcmp(pattern, s);
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    int rc = pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    return rc >= 0;
}

/* Trim spaces in place. */
static char *trim(char *s)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        s[--n] = 0;
    return s;
}

/* Does the "a in (x,y)" set hold v? */
static bool in_set(char *set, const char *v)
{
    char *save = NULL;
    for (char *t = strtok_r(set, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (!strcmp(trim(t), v))
            return true;
    return false;
}

/* One selector requirement against a string map. */
static bool req_match(char *req, json_object *map)
{
    req = trim(req);
    const char *v;
    char *p;
    if (*req == '!')
        return !(map && json_object_object_get_ex(map, trim(req + 1), NULL));
    if ((p = strstr(req, " notin ")) || (p = strstr(req, " in "))) {
        bool notin = p[1] == 'n';
        *p = 0;
        char *set = strchr(p + 1, '(');
        char *end = set ? strrchr(set, ')') : NULL;
        if (!set || !end)
            return false;
        *end = 0;
        v = map ? gotk_obj_get_str(map, trim(req)) : NULL;
        bool in = v && in_set(set + 1, v);
        return notin ? !in : in;
    }
    bool neg = false;
    if ((p = strstr(req, "!="))) {
        neg = true;
        *p = 0;
        p += 2;
    } else if ((p = strstr(req, "=="))) {
        *p = 0;
        p += 2;
    } else if ((p = strchr(req, '='))) {
        *p = 0;
        p += 1;
    } else {
        return map && json_object_object_get_ex(map, req, NULL);
    }
    v = NULL;
    json_object *jv = map ? json_object_object_get(map, trim(req)) : NULL;
    if (jv)
        v = json_object_get_string(jv);
    bool eq = v && !strcmp(v, trim(p));
    return neg ? !eq : eq;
}

/* Does a Kubernetes label selector string select the map? */
bool ksel_match(const char *sel, json_object *map)
{
    if (!sel || !*sel)
        return true;
    char *s = gotk_xstrdup(sel);
    bool ok = true;
    int depth = 0;
    char *start = s;
    for (char *p = s;; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')')
            depth--;
        if ((*p == ',' && depth == 0) || !*p) {
            bool end = !*p;
            *p = 0;
            ok = ok && req_match(start, map);
            if (end)
                break;
            start = p + 1;
        }
    }
    free(s);
    return ok;
}

/* kustomize's Select: does the target selector pick r? */
static bool target_match(json_object *t, kres *r)
{
    const char *g, *v;
    size_t gl;
    kres_gvk(r->obj, &g, &gl, &v);
    char *gs = gotk_xstrndup(g, gl);
    bool ok = re_match(gotk_obj_get_str(t, "group"), gs) &&
              re_match(gotk_obj_get_str(t, "version"), v) &&
              re_match(gotk_obj_get_str(t, "kind"), kres_kind(r));
    free(gs);
    const char *ns = gotk_obj_get_str(t, "namespace");
    if (ok && ns && *ns)
        ok = re_match(ns, kres_org_ns_eff(r)) ||
             re_match(ns, kres_eff_ns(r));
    const char *name = gotk_obj_get_str(t, "name");
    if (ok && name && *name)
        ok = re_match(name, kres_org_name(r)) || re_match(name, kres_name(r));
    if (ok)
        ok = ksel_match(gotk_obj_get_str(t, "labelSelector"),
                            gotk_obj_get(r->obj, "metadata", "labels", NULL));
    if (ok)
        ok = ksel_match(gotk_obj_get_str(t, "annotationSelector"),
                            gotk_obj_get(r->obj, "metadata", "annotations", NULL));
    return ok;
}

/* ---- applying --------------------------------------------------------------- */

/* A value as kyaml's GetLabels/GetAnnotations give it when no source text is
 * known: a scalar's text, "" for anything else. */
static json_object *meta_text_of(json_object *v)
{
    if (!v || json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array))
        return json_object_new_string(v ? "" : "null");
    return json_object_new_string(json_object_get_string(v));
}

/* The patch's labels or annotations rebuilt as kustomize's SetLabels(GetLabels())
 * does: every value its text, the last repeated key winning; no map when empty. */
static void rebuild_meta_map(json_object *md, const char *field, json_object *texts)
{
    json_object *cur = json_object_object_get(md, field);
    if (!json_object_is_type(cur, json_type_object))
        return;
    json_object *t = json_object_object_get(texts, field), *map = json_object_new_object();
    if (t) {
        json_object_object_foreach(t, k, v)
            json_object_object_add(map, k, json_object_get(v));
    } else {
        json_object_object_foreach(cur, k, v)
            json_object_object_add(map, k, meta_text_of(v));
    }
    if (json_object_object_length(map))
        json_object_object_add(md, field, map);
    else {
        json_object_put(map);
        json_object_object_del(md, field);
    }
}

/* A patch's annotations applied by id: the resource's annotations are rebuilt
 * from their text after the merge, so non-null values are their text; when the
 * resource has none the patch's map arrives whole, its last repeated key
 * winning. */
static void annotations_by_id(json_object *md, json_object *texts, json_object *res)
{
    json_object *cur = json_object_object_get(md, "annotations");
    json_object *t = json_object_object_get(texts, "annotations");
    json_object *nulls = json_object_object_get(texts, "annotations/nulls");
    if (!json_object_is_type(cur, json_type_object) || !t)
        return;
    json_object *have = gotk_obj_get(res, "metadata", "annotations", NULL);
    if (!json_object_is_type(have, json_type_object) || !json_object_object_length(have)) {
        json_object *map = json_object_new_object();
        json_object_object_foreach(t, k, v)
            if (!json_object_object_get(nulls, k))
                json_object_object_add(map, k, json_object_get(v));
        json_object_object_add(md, "annotations", map);
        return;
    }
    /* merged key by key: a repeated key's first value is the one found */
    json_object *first = json_object_object_get(texts, "annotations/first");
    json_object_object_foreach(cur, k, v) {
        json_object *text = json_object_object_get(first, k);
        if (v && text && !json_object_is_type(v, json_type_string) &&
            !json_object_is_type(v, json_type_object) && !json_object_is_type(v, json_type_array))
            json_object_object_add(cur, k, json_object_get(text));
    }
}

/* Apply an SMP to one resource, keeping its name/namespace/kind unless allowed.
 * texts: the patch's label and annotation text (kmeta_texts); by_id: applied to
 * the resource with its id, else (a target, patchesStrategicMerge) kustomize
 * applies a copy whose labels and annotations it rebuilt as text. */
static gotk_err *smp_one(kmap *m, size_t *i, json_object *patch, json_object *options,
                         const kschema *sch, json_object *texts, bool by_id)
{
    if (sch && sch->broken) /* (kustomize panics with this) */
        return gotk_err_new(GOTK_E_INVALID, "%s", sch->broken);
    kres *r = m->v[*i];
    bool an = options && gotk_obj_get(options, "allowNameChange", NULL) &&
              json_object_get_boolean(json_object_object_get(options, "allowNameChange"));
    bool ak = options && gotk_obj_get(options, "allowKindChange", NULL) &&
              json_object_get_boolean(json_object_object_get(options, "allowKindChange"));
    char *n = gotk_xstrdup(kres_name(r)), *ns = gotk_xstrdup(kres_ns(r));
    char *k = gotk_xstrdup(kres_kind(r));
    if (an || ak)
        kres_store_prev(r);
    json_object *pc = gotk_obj_copy(patch);
    json_object_object_add(pc, "apiVersion", json_object_new_string(kres_apiversion(r)));
    json_object *pmd = json_object_object_get(pc, "metadata");
    json_object *have = gotk_obj_get(r->obj, "metadata", "labels", NULL);
    const char *dup = gotk_obj_get_str(texts, "labels/dup");
    if (by_id && dup && !r->dup_labels && !json_object_is_type(have, json_type_object))
        r->dup_labels = gotk_xstrdup(dup); /* the patch's map arrives with its repeats */
    if (json_object_is_type(pmd, json_type_object) && by_id) {
        annotations_by_id(pmd, texts, r->obj);
    } else if (json_object_is_type(pmd, json_type_object)) {
        rebuild_meta_map(pmd, "labels", texts);
        rebuild_meta_map(pmd, "annotations", texts);
    }
    ksmp_apply(&r->obj, pc, sch);
    json_object_put(pc);
    if (!r->obj || json_object_object_length(r->obj) == 0) {
        r->obj = r->obj ? r->obj : json_object_new_object();
        kmap_remove(m, *i);
        (*i)--;
    } else {
        if (!ak)
            json_object_object_add(r->obj, "kind", json_object_new_string(k));
        if (!an)
            kres_set_name(r, n);
        json_object *md = json_object_object_get(r->obj, "metadata");
        if (md && *ns)
            json_object_object_add(md, "namespace", json_object_new_string(ns));
        else if (md)
            json_object_object_del(md, "namespace");
    }
    free(n);
    free(ns);
    free(k);
    return NULL;
}

/* Does any id of r equal the patch's id (gvk, name, effective namespace)? */
static bool id_match(kres *r, json_object *p)
{
    const char *av = gotk_obj_get_str(p, "apiVersion"), *kind = gotk_obj_get_str(p, "kind");
    const char *name = gotk_obj_get_str(p, "metadata.name");
    const char *ns = keff_ns(av, kind, gotk_obj_get_str(p, "metadata.namespace"));
    if (!av || !kind || !name || strcmp(av, kres_apiversion(r)))
        return false;
    if (!strcmp(kind, kres_kind(r)) && !strcmp(name, kres_name(r)) &&
        !strcmp(ns, kres_eff_ns(r)))
        return true;
    for (size_t i = 0; i < r->nprev; i++)
        if (!strcmp(kind, r->prev[i].kind) && !strcmp(name, r->prev[i].name) &&
            !strcmp(ns, r->prev[i].ns))
            return true;
    return false;
}

/* kustomize's id string of a patch document. */
static char *patch_id(json_object *p)
{
    kres tmp = {0};
    tmp.obj = p;
    return kres_id_string(&tmp);
}

/* An SMP without target: the one resource with the patch's id. */
static gotk_err *smp_by_id(kmap *m, json_object *p, json_object *options, bool psm,
                           const kschema *sch, json_object *texts)
{
    size_t hit = 0, nhit = 0;
    for (size_t i = 0; i < m->n; i++)
        if (id_match(m->v[i], p)) {
            hit = i;
            nhit++;
        }
    if (nhit != 1) {
        char *id = patch_id(p);
        const char *what = nhit ? "multiple matches" : "no matches";
        gotk_err *e = psm ? gotk_err_new(GOTK_E_NOTFOUND, "%s for Id %s; failed to find unique "
                                                          "target for patch %s", what, id, id)
                          : gotk_err_new(GOTK_E_NOTFOUND,
                                         "no resource matches strategic merge patch \"%s\": %s "
                                         "for Id %s; failed to find unique target for patch %s",
                                         id, what, id, id);
        free(id);
        return e;
    }
    /* patchesStrategicMerge applies a copy, as a target does */
    return smp_one(m, &hit, p, options, sch, kmeta_texts_for(texts, p), !psm);
}

/* Apply a patch (SMP docs or JSON ops) to the targets, or by id. */
static gotk_err *apply_patch(kmap *m, json_object *docs, bool json, json_object *target,
                             json_object *options, const char *src, bool psm,
                             const kschema *sch, json_object *texts)
{
    if (json && !target)
        return gotk_err_new(GOTK_E_INVALID, "must specify a target for JSON patch %s", src);
    if (!target) {
        for (size_t i = 0; i < karr_n(docs); i++) {
            gotk_err *e = smp_by_id(m, json_object_array_get_idx(docs, i), options, psm, sch,
                                    texts);
            if (e)
                return e;
        }
        return NULL;
    }
    if (!json && karr_n(docs) > 1)
        return gotk_err_new(GOTK_E_INVALID, "Multiple Strategic-Merge Patches in one `patches` "
                                            "entry is not allowed to set `patches.target` field: %s",
                            src);
    for (size_t i = 0; i < m->n; i++) {
        if (!target_match(target, m->v[i]))
            continue;
        gotk_err *e = NULL;
        if (json) {
            kres_store_prev(m->v[i]);
            e = kjson6902_apply(&m->v[i]->obj, json_object_array_get_idx(docs, 0));
            if (!e)
                e = kres_validate_meta(m->v[i]);
            /* kustomize puts its internal annotations back, making metadata */
            if (!e && !json_object_object_get(m->v[i]->obj, "metadata"))
                json_object_object_add(m->v[i]->obj, "metadata", json_object_new_object());
        } else {
            json_object *p = json_object_array_get_idx(docs, 0);
            e = smp_one(m, &i, p, options, sch, kmeta_texts_for(texts, p), false);
        }
        if (e)
            return e;
    }
    kmap_reindex(m);
    return NULL;
}

/* Load patch text from `path:` or `patch:` and parse it. */
static gotk_err *load_patch(kctx *c, const char *root, json_object *pe, json_object **docs,
                            bool *json, char **src, json_object **texts)
{
    const char *path = gotk_obj_get_str(pe, "path"), *text = gotk_obj_get_str(pe, "patch");
    char *data = NULL;
    size_t len = 0;
    gotk_err *e = NULL;
    if (path && *path && text && *text)
        return gotk_err_new(GOTK_E_INVALID, "patch and path can't be set at the same time");
    if (path && *path) {
        e = kload_file(c, root, path, &data, &len, NULL);
        if (e)
            return gotk_err_wrap(e, "failed to get the patch file from path(%s)", path);
        *src = gotk_xasprintf("[path: \"%s\"]", path);
    } else if (text && *text) {
        data = gotk_xstrdup(text);
        len = strlen(text);
        gotk_buf q = {0};
        gotk_buf_puts(&q, "[patch: ");
        kgo_quote(&q, text);
        gotk_buf_putc(&q, ']');
        *src = gotk_buf_steal(&q);
    } else {
        return gotk_err_new(GOTK_E_INVALID, "must specify one of patch and path");
    }
    json_object *raw = NULL;
    e = gotk_yaml_parse_flags(data, len, path && *path ? path : "patch", GOTK_YAML_PARSE_FIRST_KEY,
                              &raw);
    if (!e)
        *texts = kmeta_texts(data, len);
    free(data);
    bool parsed = !e;
    if (e) { /* kustomize names the patch, not the YAML problem */
        gotk_err_free(e);
        raw = NULL;
    }
    json_object *d0 = karr_n(raw) == 1 ? json_object_array_get_idx(raw, 0) : NULL;
    if (parsed && (!karr_n(raw) || (json_object_is_type(d0, json_type_array) && !karr_n(d0)))) {
        /* nothing, or `[]`: it parses both as strategic merge and as JSON */
        json_object_put(raw);
        return gotk_err_new(GOTK_E_INVALID, "illegally qualifies as both an SM and JSON patch: %s",
                            *src);
    }
    *json = karr_n(raw) == 1 &&
            json_object_is_type(json_object_array_get_idx(raw, 0), json_type_array);
    gotk_err *bad = NULL;
    for (size_t i = 0; !*json && !bad && i < karr_n(raw); i++) {
        json_object *d = json_object_array_get_idx(raw, i);
        bad = json_object_is_type(d, json_type_object)
                  ? kvalidate_meta(d) : gotk_err_new(GOTK_E_INVALID, "not a mapping");
    }
    if (bad || !karr_n(raw)) {
        gotk_err_free(bad);
        json_object_put(raw);
        gotk_buf b = {0};
        gotk_buf_puts(&b, path && *path ? "[path: " : "[patch: ");
        kgo_quote(&b, path && *path ? path : text);
        gotk_buf_putc(&b, ']');
        gotk_err *e2 = gotk_err_new(GOTK_E_INVALID, "unable to parse SM or JSON patch from %s",
                                    b.data);
        gotk_buf_free(&b);
        return e2;
    }
    *docs = raw;
    return NULL;
}

/* kustomize's wrapping of a plugin's configuration error: the plugin's
 * config as YAML (keys sorted, as it marshals it through a map). */
static gotk_err *config_err(gotk_err *e, json_object *pe, bool json6902)
{
    static const char *const keys[] = {"path", "patch", "target", "options", NULL};
    json_object *cfg = json_object_new_object();
    for (size_t i = 0; keys[i]; i++) {
        json_object *v = json_object_object_get(pe, keys[i]);
        const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
        if (v && !(s && !*s))
            json_object_object_add(cfg, json6902 && !strcmp(keys[i], "patch") ? "jsonOp" : keys[i],
                                   json_object_get(v));
    }
    gotk_buf y = {0};
    gotk_err_free(gotk_yaml_emit(cfg, GOTK_YAML_SORT_KEYS, &y));
    json_object_put(cfg);
    gotk_err *w = gotk_err_wrap(e, "trouble configuring builtin %s with config: `\n%s`",
                                json6902 ? "PatchJson6902Transformer" : "PatchTransformer",
                                y.data ? y.data : "");
    gotk_buf_free(&y);
    return w;
}

/* One entry of `patches:` or `patchesJson6902:`. */
gotk_err *kpatch_entry(kctx *c, const char *root, json_object *pe, kmap *m)
{
    json_object *docs = NULL, *texts = NULL;
    bool json = false;
    char *src = NULL;
    gotk_err *e = load_patch(c, root, pe, &docs, &json, &src, &texts);
    if (e)
        e = config_err(e, pe, false);
    if (!e)
        e = apply_patch(m, docs, json, json_object_object_get(pe, "target"),
                        json_object_object_get(pe, "options"), src, false, c->schema, texts);
    json_object_put(docs);
    json_object_put(texts);
    free(src);
    return e;
}

/* PatchJson6902Transformer's own configuration checks, before the common path. */
static gotk_err *json6902_check(kctx *c, const char *root, json_object *pe)
{
    const char *name = gotk_obj_get_str(pe, "target.name");
    const char *path = gotk_obj_get_str(pe, "path"), *op = gotk_obj_get_str(pe, "patch");
    if (!name || !*name)
        return gotk_err_new(GOTK_E_INVALID, "must specify the target name");
    if (!(path && *path) && !(op && *op))
        return gotk_err_new(GOTK_E_INVALID, "empty file path and empty jsonOp");
    if (path && *path && op && *op)
        return gotk_err_new(GOTK_E_INVALID, "must specify a file path or jsonOp, not both");
    if (path && *path) {
        char *data = NULL;
        size_t len = 0;
        gotk_err *e = kload_file(c, root, path, &data, &len, NULL);
        free(data);
        return e;
    }
    return NULL;
}

gotk_err *kpatch_json6902_entry(kctx *c, const char *root, json_object *pe, kmap *m)
{
    gotk_err *e = json6902_check(c, root, pe);
    if (e)
        return config_err(e, pe, true);
    return kpatch_entry(c, root, pe, m);
}

/* kustomize's wrapping of a PatchStrategicMergeTransformer configuration
 * error (a file it could not load or parse), with its config as YAML. */
static gotk_err *psm_config_err(gotk_err *e, json_object *paths)
{
    json_object *cfg = json_object_new_object();
    json_object_object_add(cfg, "paths", json_object_get(paths));
    gotk_buf y = {0};
    gotk_err_free(gotk_yaml_emit(cfg, GOTK_YAML_SORT_KEYS, &y));
    json_object_put(cfg);
    e = gotk_err_wrap(e, "trouble configuring builtin PatchStrategicMergeTransformer with "
                         "config: `\n%s`", y.data ? y.data : "");
    gotk_buf_free(&y);
    return e;
}

/* A patch file's parse error as kustomize's MalformedYAMLError (without the
 * resource loader's "accumulating resources from" that kmalformed adds). */
static gotk_err *psm_malformed(gotk_err *e, const char *file)
{
    e = kmalformed(e, file);
    char *lead = gotk_xasprintf("accumulating resources from '%s': ", file);
    const char *msg = gotk_err_msg(e);
    if (!strncmp(msg, lead, strlen(lead))) {
        gotk_err *n = gotk_err_new(gotk_err_code_of(e), "%s", msg + strlen(lead));
        gotk_err_free(e);
        e = n;
    }
    free(lead);
    return e;
}

/* patchesStrategicMerge: files or inline documents. */
/* Load and parse one patchesStrategicMerge entry (a file or inline text). */
static gotk_err *psm_load(kctx *c, const char *root, const char *s, json_object **docs,
                          json_object **texts)
{
    char *data = NULL;
    size_t len = 0;
    gotk_err *e = NULL;
    if (strchr(s, '\n')) {
        data = gotk_xstrdup(s);
        len = strlen(s);
    } else {
        e = kload_file(c, root, s, &data, &len, NULL);
    }
    if (!e && (e = gotk_yaml_parse_flags(data, len, s, GOTK_YAML_PARSE_FIRST_KEY, docs)))
        e = psm_malformed(e, s);
    if (!e)
        *texts = kmeta_texts(data, len);
    free(data);
    return e;
}

gotk_err *kpatch_psm(kctx *c, const char *root, json_object *a, kmap *m)
{
    /* kustomize loads every entry first (its plugin's configuration), and a
     * list that holds no patch at all is an error */
    size_t n = karr_n(a), total = 0;
    json_object **docs = gotk_xcalloc(n ? n : 1, sizeof *docs);
    json_object **texts = gotk_xcalloc(n ? n : 1, sizeof *texts);
    gotk_err *e = NULL;
    for (size_t i = 0; !e && i < n; i++) {
        e = psm_load(c, root, kstr(json_object_array_get_idx(a, i)), &docs[i], &texts[i]);
        total += karr_n(docs[i]);
    }
    if (!e && n && !total) {
        gotk_buf files = {0};
        for (size_t i = 0; i < n; i++)
            gotk_buf_printf(&files, "%s%s", i ? " " : "", kstr(json_object_array_get_idx(a, i)));
        e = gotk_err_new(GOTK_E_INVALID, "patch appears to be empty; files=[%s], Patch=",
                         files.data ? files.data : "");
        gotk_buf_free(&files);
    }
    if (e)
        e = psm_config_err(e, a);
    for (size_t i = 0; !e && i < n; i++)
        e = apply_patch(m, docs[i], false, NULL, NULL, kstr(json_object_array_get_idx(a, i)), true,
                        c->schema, texts[i]);
    for (size_t i = 0; i < n; i++) {
        json_object_put(docs[i]);
        json_object_put(texts[i]);
    }
    free(docs);
    free(texts);
    return e;
}

/* The patches of one level (see internal.h for the phases). */
gotk_err *kpatch_run(kctx *c, const char *root, json_object *k, kmap *m, int phase)
{
    gotk_err *e = NULL;
    if (phase == 0) {
        json_object *a = json_object_object_get(k, "patchesStrategicMerge");
        e = kpatch_psm(c, root, a && json_object_is_type(a, json_type_array) ? a : NULL, m);
        if (!e && karr_n(a))
            ktrack_builtin(c, m, "PatchStrategicMergeTransformer");
        a = json_object_object_get(k, "patches");
        for (size_t i = 0; !e && i < karr_n(a); i++) {
            e = kpatch_entry(c, root, json_object_array_get_idx(a, i), m);
            ktrack_builtin(c, m, "PatchTransformer");
        }
        return e;
    }
    json_object *a = json_object_object_get(k, "patchesJson6902");
    for (size_t i = 0; !e && i < karr_n(a); i++) {
        e = kpatch_json6902_entry(c, root, json_object_array_get_idx(a, i), m);
        ktrack_builtin(c, m, "PatchJson6902Transformer");
    }
    return e;
}
