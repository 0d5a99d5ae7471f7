/*
 * patch.c: JSON patch (RFC 6902) and strategic merge patch.
 *
 * JSON patch walks JSON pointers (RFC 6901, with ~0 and ~1 escapes and "-" for
 * the end of an array) over a copy of the document and applies add, remove,
 * replace, move, copy and test in order; the first failing operation fails the
 * whole patch.
 *
 * Strategic merge patch is a merge patch that knows Kubernetes' lists: lists of
 * objects with a merge key (containers and env by name, ports by containerPort
 * or port, volumeMounts by mountPath, ...) merge element by element, merge-
 * strategy primitive lists (finalizers) are unioned, and other lists are
 * replaced. The directives `$patch` (replace, delete, merge), `$retainKeys`,
 * `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>` are honoured.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiserver.h"

/* ---- JSON pointer and JSON patch ---------------------------------------- */

/* Unescape one pointer token in place. */
static void unescape_token(char *t)
{
    char *w = t;
    for (char *r = t; *r; r++) {
        if (r[0] == '~' && r[1] == '1')
            *w++ = '/', r++;
        else if (r[0] == '~' && r[1] == '0')
            *w++ = '~', r++;
        else
            *w++ = *r;
    }
    *w = '\0';
}

/* Parse an array index token; -1 when not a valid index. */
static long array_index(const char *t)
{
    if (!*t || (t[0] == '0' && t[1]))
        return -1;
    char *end;
    long i = strtol(t, &end, 10);
    return *end || i < 0 ? -1 : i;
}

/* Find the parent container of a pointer's last token. Returns the parent and
 * the unescaped last token in *last (caller frees), or NULL. */
static json_object *resolve_parent(json_object *doc, const char *ptr, char **last)
{
    if (ptr[0] != '/')
        return NULL;
    char *copy = gotk_xstrdup(ptr + 1);
    json_object *cur = doc;
    char *tok = copy;
    for (;;) {
        char *slash = strchr(tok, '/');
        if (!slash)
            break;
        *slash = '\0';
        unescape_token(tok);
        if (json_object_is_type(cur, json_type_object)) {
            cur = jx_get(cur, tok);
        } else if (json_object_is_type(cur, json_type_array)) {
            long i = array_index(tok);
            cur = i >= 0 && (size_t)i < json_object_array_length(cur)
                      ? json_object_array_get_idx(cur, (size_t)i)
                      : NULL;
        } else {
            cur = NULL;
        }
        if (!cur) {
            free(copy);
            return NULL;
        }
        tok = slash + 1;
    }
    unescape_token(tok);
    *last = gotk_xstrdup(tok);
    free(copy);
    return cur;
}

/* The value at a pointer (borrowed), or NULL. */
static json_object *ptr_get(json_object *doc, const char *ptr, bool *found)
{
    char *last = NULL;
    *found = false;
    if (!*ptr) {
        *found = true;
        return doc;
    }
    json_object *parent = resolve_parent(doc, ptr, &last);
    json_object *v = NULL;
    if (parent && json_object_is_type(parent, json_type_object)) {
        *found = json_object_object_get_ex(parent, last, &v);
    } else if (parent && json_object_is_type(parent, json_type_array)) {
        long i = array_index(last);
        *found = i >= 0 && (size_t)i < json_object_array_length(parent);
        v = *found ? json_object_array_get_idx(parent, (size_t)i) : NULL;
    }
    free(last);
    return v;
}

/* Insert `val` (consumed) into array `a` at position i. */
static void array_insert(json_object *a, size_t i, json_object *val)
{
    size_t n = json_object_array_length(a);
    json_object_array_add(a, NULL);
    for (size_t k = n; k > i; k--)
        json_object_array_put_idx(a, k, json_object_get(json_object_array_get_idx(a, k - 1)));
    json_object_array_put_idx(a, i, val);
}

/* add: set a member, insert into an array, or replace the root. */
static bool op_add(json_object **doc, const char *path, json_object *val, bool replace)
{
    char *last = NULL;
    if (!*path) {
        json_object_put(*doc);
        *doc = val;
        return true;
    }
    json_object *parent = resolve_parent(*doc, path, &last);
    bool ok = false;
    if (parent && json_object_is_type(parent, json_type_object)) {
        ok = !replace || json_object_object_get_ex(parent, last, NULL);
        if (ok)
            json_object_object_add(parent, last, val);
    } else if (parent && json_object_is_type(parent, json_type_array)) {
        size_t n = json_object_array_length(parent);
        long i = !strcmp(last, "-") && !replace ? (long)n : array_index(last);
        ok = i >= 0 && (replace ? (size_t)i < n : (size_t)i <= n);
        if (ok && replace)
            json_object_array_put_idx(parent, (size_t)i, val);
        else if (ok)
            array_insert(parent, (size_t)i, val);
    }
    if (!ok)
        json_object_put(val);
    free(last);
    return ok;
}

/* remove: delete a member or an array element. */
static bool op_remove(json_object *doc, const char *path)
{
    char *last = NULL;
    json_object *parent = *path ? resolve_parent(doc, path, &last) : NULL;
    bool ok = false;
    if (parent && json_object_is_type(parent, json_type_object)) {
        ok = json_object_object_get_ex(parent, last, NULL);
        if (ok)
            json_object_object_del(parent, last);
    } else if (parent && json_object_is_type(parent, json_type_array)) {
        long i = array_index(last);
        ok = i >= 0 && (size_t)i < json_object_array_length(parent);
        if (ok)
            json_object_array_del_idx(parent, (size_t)i, 1);
    }
    free(last);
    return ok;
}

/* Apply one operation; returns an error message or NULL. */
static char *apply_op(json_object **doc, json_object *op)
{
    const char *name = jx_get_str(op, "op"), *path = jx_get_str(op, "path");
    const char *from = jx_get_str(op, "from");
    json_object *value = jx_get(op, "value");
    bool has_value = json_object_object_get_ex(op, "value", NULL), found;
    if (!name || !path)
        return gotk_xstrdup("missing op or path in JSON patch operation");
    if (!strcmp(name, "add") || !strcmp(name, "replace")) {
        if (!has_value)
            return gotk_xasprintf("missing value for %s operation", name);
        if (!op_add(doc, path, gotk_obj_copy(value), !strcmp(name, "replace")))
            return gotk_xasprintf("%s operation does not apply: doc is missing path: \"%s\"",
                                  name, path);
    } else if (!strcmp(name, "remove")) {
        if (!op_remove(*doc, path))
            return gotk_xasprintf("remove operation does not apply: doc is missing path: \"%s\"",
                                  path);
    } else if (!strcmp(name, "move") || !strcmp(name, "copy")) {
        json_object *src = from ? ptr_get(*doc, from, &found) : NULL;
        if (!from || !found)
            return gotk_xasprintf("%s operation does not apply: doc is missing from path: \"%s\"",
                                  name, from ? from : "");
        json_object *val = gotk_obj_copy(src);
        if (!strcmp(name, "move"))
            op_remove(*doc, from);
        if (!op_add(doc, path, val, false))
            return gotk_xasprintf("%s operation does not apply: doc is missing path: \"%s\"",
                                  name, path);
    } else if (!strcmp(name, "test")) {
        json_object *cur = ptr_get(*doc, path, &found);
        if (!found || !gotk_obj_equal(cur, value))
            return gotk_xasprintf("testing value %s failed: test failed", path);
    } else {
        return gotk_xasprintf("Unexpected kind: %s", name);
    }
    return NULL;
}

/* Apply a whole JSON patch to a copy of doc. */
json_object *patch_json(json_object *doc, json_object *ops, char **err)
{
    if (!json_object_is_type(ops, json_type_array)) {
        *err = gotk_xstrdup("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        return NULL;
    }
    json_object *out = gotk_obj_copy(doc);
    for (size_t i = 0; i < json_object_array_length(ops); i++) {
        json_object *op = json_object_array_get_idx(ops, i);
        char *e = json_object_is_type(op, json_type_object) ? apply_op(&out, op)
                                                            : gotk_xstrdup("invalid operation");
        if (e) {
            *err = e;
            json_object_put(out);
            return NULL;
        }
    }
    return out;
}

/* ---- strategic merge patch --------------------------------------------- */

/* The merge key of a list field, "" for merge-strategy primitive lists, NULL for
 * atomic lists. `sample` is an element of the list, to tell ports apart. */
const char *patch_merge_key(const char *field, json_object *sample)
{
    static const char *const by_name[] = {
        "containers", "initContainers", "ephemeralContainers", "env", "volumes",
        "imagePullSecrets", "resourceClaims", "secrets", "schedulingGates", NULL};
    for (int i = 0; by_name[i]; i++)
        if (!strcmp(field, by_name[i]))
            return "name";
    if (!strcmp(field, "ports"))
        return jx_get(sample, "containerPort") ? "containerPort" : "port";
    if (!strcmp(field, "volumeMounts"))
        return "mountPath";
    if (!strcmp(field, "volumeDevices"))
        return "devicePath";
    if (!strcmp(field, "hostAliases"))
        return "ip";
    if (!strcmp(field, "ownerReferences"))
        return "uid";
    if (!strcmp(field, "conditions"))
        return "type";
    if (!strcmp(field, "topologySpreadConstraints"))
        return "topologyKey";
    if (!strcmp(field, "finalizers"))
        return "";
    return NULL;
}

static json_object *smp_merge(json_object *doc, json_object *patch);

/* Index of the element of `list` whose `key` equals that of `el`, or -1. */
static long find_keyed(json_object *list, const char *key, json_object *el)
{
    json_object *kv = jx_get(el, key);
    for (size_t i = 0; kv && i < json_object_array_length(list); i++)
        if (gotk_obj_equal(jx_get(json_object_array_get_idx(list, i), key), kv))
            return (long)i;
    return -1;
}

/* Merge a keyed list patch into the original list (consumed). */
static json_object *merge_keyed(json_object *orig, json_object *patch, const char *key)
{
    json_object *out = orig && json_object_is_type(orig, json_type_array)
                           ? orig
                           : (json_object_put(orig), json_object_new_array());
    for (size_t i = 0; i < json_object_array_length(patch); i++) {
        json_object *el = json_object_array_get_idx(patch, i);
        const char *directive = jx_get_str(el, "$patch");
        if (directive && !strcmp(directive, "replace")) {
            json_object_put(out);
            out = json_object_new_array();
            for (size_t k = 0; k < json_object_array_length(patch); k++) {
                json_object *e2 = json_object_array_get_idx(patch, k);
                if (!jx_get_str(e2, "$patch"))
                    json_object_array_add(out, gotk_obj_copy(e2));
            }
            return out;
        }
        long at = find_keyed(out, key, el);
        if (directive && !strcmp(directive, "delete")) {
            if (at >= 0)
                json_object_array_del_idx(out, (size_t)at, 1);
        } else if (at >= 0) {
            json_object *cur = json_object_get(json_object_array_get_idx(out, (size_t)at));
            json_object_array_put_idx(out, (size_t)at, smp_merge(cur, el));
        } else {
            json_object_array_add(out, smp_merge(NULL, el));
        }
    }
    return out;
}

/* Union of primitive lists, keeping the original order first. */
static json_object *merge_primitive(json_object *orig, json_object *patch)
{
    json_object *out = orig && json_object_is_type(orig, json_type_array)
                           ? orig
                           : (json_object_put(orig), json_object_new_array());
    for (size_t i = 0; i < json_object_array_length(patch); i++) {
        json_object *v = json_object_array_get_idx(patch, i);
        bool have = false;
        for (size_t k = 0; k < json_object_array_length(out) && !have; k++)
            have = gotk_obj_equal(json_object_array_get_idx(out, k), v);
        if (!have)
            json_object_array_add(out, gotk_obj_copy(v));
    }
    return out;
}

/* Remove the listed values from a primitive list member of doc. */
static void delete_from_primitive(json_object *doc, const char *field, json_object *vals)
{
    json_object *list = jx_get(doc, field);
    if (!list || !json_object_is_type(list, json_type_array))
        return;
    for (size_t i = json_object_array_length(list); i-- > 0;) {
        json_object *v = json_object_array_get_idx(list, i);
        for (size_t k = 0; k < json_object_array_length(vals); k++)
            if (gotk_obj_equal(v, json_object_array_get_idx(vals, k))) {
                json_object_array_del_idx(list, i, 1);
                break;
            }
    }
}

/* Apply the map directives; returns true when the map is to be deleted. */
static bool map_directives(json_object **doc, json_object *patch)
{
    const char *directive = jx_get_str(patch, "$patch");
    if (directive && !strcmp(directive, "delete"))
        return true;
    if (directive && !strcmp(directive, "replace")) {
        json_object_put(*doc);
        *doc = json_object_new_object();
    }
    json_object *retain = jx_get(patch, "$retainKeys");
    if (retain && json_object_is_type(*doc, json_type_object)) {
        json_object *keep = json_object_new_object();
        json_object_object_foreach(*doc, k, v)
        {
            for (size_t i = 0; i < json_object_array_length(retain); i++)
                if (!strcmp(json_object_get_string(json_object_array_get_idx(retain, i)), k))
                    json_object_object_add(keep, k, json_object_get(v));
        }
        json_object_put(*doc);
        *doc = keep;
    }
    json_object_object_foreach(patch, pk, pv)
    {
        if (!strncmp(pk, "$deleteFromPrimitiveList/", 25) && pv &&
            json_object_is_type(pv, json_type_array))
            delete_from_primitive(*doc, pk + 25, pv);
    }
    return false;
}

/* Merge one member of a patch map into doc. */
static void merge_member(json_object *doc, const char *k, json_object *pv)
{
    if (k[0] == '$')
        return;
    if (!pv) {
        json_object_object_del(doc, k);
        return;
    }
    json_object *cur = jx_get(doc, k);
    json_object *next;
    if (json_object_is_type(pv, json_type_array)) {
        json_object *sample = json_object_array_length(pv) ? json_object_array_get_idx(pv, 0)
                                                           : NULL;
        const char *key = patch_merge_key(k, sample);
        bool objects = sample && json_object_is_type(sample, json_type_object);
        if (key && *key && objects)
            next = merge_keyed(cur ? json_object_get(cur) : NULL, pv, key);
        else if (key && !*key)
            next = merge_primitive(cur ? json_object_get(cur) : NULL, pv);
        else
            next = gotk_obj_copy(pv);
    } else if (json_object_is_type(pv, json_type_object)) {
        const char *d = jx_get_str(pv, "$patch");
        if (d && !strcmp(d, "delete")) {
            json_object_object_del(doc, k);
            return;
        }
        next = smp_merge(cur ? json_object_get(cur) : NULL, pv);
    } else {
        next = gotk_obj_copy(pv);
    }
    json_object_object_add(doc, k, next);
}

/* Merge a patch map into doc (consumed); returns the result. */
static json_object *smp_merge(json_object *doc, json_object *patch)
{
    if (!json_object_is_type(patch, json_type_object)) {
        json_object_put(doc);
        return gotk_obj_copy(patch);
    }
    if (!doc || !json_object_is_type(doc, json_type_object)) {
        json_object_put(doc);
        doc = json_object_new_object();
    }
    if (map_directives(&doc, patch)) {
        json_object_put(doc);
        return json_object_new_object();
    }
    json_object_object_foreach(patch, k, v) merge_member(doc, k, v);
    return doc;
}

/* Public entry point. */
json_object *patch_strategic(json_object *doc, json_object *patch)
{
    return smp_merge(doc, patch);
}
