/*
 * Working with object trees: paths, copies, equality and merge patches.
 */
#include "gotk/obj.h"

#include <json-c/linkhash.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

json_object *gotk_obj_get(json_object *o, ...)
{
    va_list ap;
    va_start(ap, o);
    const char *key;
    while (o && (key = va_arg(ap, const char *))) {
        json_object *next = NULL;
        if (!json_object_is_type(o, json_type_object) ||
            !json_object_object_get_ex(o, key, &next))
            next = NULL;
        o = next;
    }
    va_end(ap);
    return o;
}

json_object *gotk_obj_getp(json_object *o, const char *dotted)
{
    const char *p = dotted;
    char key[256];
    while (o && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n >= sizeof key || !json_object_is_type(o, json_type_object))
            return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        json_object *next = NULL;
        if (!json_object_object_get_ex(o, key, &next))
            return NULL;
        o = next;
        p = dot ? dot + 1 : p + n;
    }
    return o;
}

const char *gotk_obj_get_str(json_object *o, const char *dotted)
{
    json_object *v = gotk_obj_getp(o, dotted);
    return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

gotk_err *gotk_obj_setp(json_object *o, const char *dotted, json_object *val)
{
    char *path = gotk_xstrdup(dotted);
    char *p = path;
    gotk_err *e = NULL;
    for (char *dot; (dot = strchr(p, '.')); p = dot + 1) {
        *dot = '\0';
        json_object *next = NULL;
        if (!json_object_object_get_ex(o, p, &next) || !next) {
            next = json_object_new_object();
            json_object_object_add(o, p, next);
        } else if (!json_object_is_type(next, json_type_object)) {
            e = gotk_err_new(GOTK_E_INVALID, "setting %s: %s is not an object", dotted, p);
            break;
        }
        o = next;
    }
    if (!e && !json_object_is_type(o, json_type_object))
        e = gotk_err_new(GOTK_E_INVALID, "setting %s: not an object", dotted);
    if (e)
        json_object_put(val);
    else
        json_object_object_add(o, p, val);
    free(path);
    return e;
}

bool gotk_obj_delp(json_object *o, const char *dotted)
{
    const char *dot = strrchr(dotted, '.');
    json_object *parent = o;
    if (dot) {
        char *head = gotk_xstrndup(dotted, (size_t)(dot - dotted));
        parent = gotk_obj_getp(o, head);
        free(head);
    }
    const char *key = dot ? dot + 1 : dotted;
    if (!json_object_is_type(parent, json_type_object) ||
        !json_object_object_get_ex(parent, key, NULL))
        return false;
    json_object_object_del(parent, key);
    return true;
}

/* What a Go int64's userdata points at (static: nothing to free). */
static const char go_int64_mark = 'I';

json_object *gotk_obj_new_go_int64(int64_t v)
{
    json_object *j = json_object_new_int64(v);
    json_object_set_userdata(j, (void *)&go_int64_mark, NULL);
    return j;
}

bool gotk_obj_is_go_int64(json_object *j)
{
    return json_object_is_type(j, json_type_int) && json_object_get_userdata(j) == &go_int64_mark;
}

/* json-c gives every map a table of 16 slots (640 bytes) and every array 32
 * (256 bytes), doubling them as they fill; most maps and lists of values and
 * manifests hold a few entries, and a tree of them takes a fraction of the
 * memory sized to fit (maps at the load json-c itself grows at: adding more
 * still works, json-c grows them again). */
static int fitted_slots(int entries)
{
    /* json-c grows a table on an insert into one at 0.66 load, also while
     * lh_table_resize moves the entries over (and then keeps the size asked
     * for: entries lost), so every insert up to `entries` must stay below */
    int below_load = (entries - 1) * 50 / 33 + 2;
    return below_load > entries + 1 ? below_load : entries + 1;
}

void gotk_obj_fit(json_object *v)
{
    if (json_object_is_type(v, json_type_array)) {
        json_object_array_shrink(v, 0);
        return;
    }
    struct lh_table *t = json_object_is_type(v, json_type_object) ? json_object_get_object(v)
                                                                  : NULL;
    if (t && fitted_slots(t->count) < t->size)
        lh_table_resize(t, fitted_slots(t->count)); /* on failure t stays as it was */
}

json_object *gotk_obj_new_map(int entries)
{
    json_object *m = json_object_new_object();
    if (m && fitted_slots(entries) != json_object_get_object(m)->size)
        lh_table_resize(json_object_get_object(m), fitted_slots(entries));
    return m;
}

json_object *gotk_obj_new_list(size_t entries)
{
    return json_object_new_array_ext(entries ? (int)entries : 1);
}

/* An empty container for a copy of src, sized for what src holds. */
static json_object *new_fitted(json_object *src)
{
    if (json_object_is_type(src, json_type_array))
        return gotk_obj_new_list(json_object_array_length(src));
    return gotk_obj_new_map(json_object_object_length(src));
}

/* json-c's copy of one value, leaving out userdata other than a number's text
 * and the int64 mark (json-c refuses to copy userdata it does not know, such
 * as the template module's type tags, which copies do not keep); a map's
 * table is sized for the keys it is about to take. */
static int copy_one(json_object *src, json_object *parent, const char *key, size_t index,
                    json_object **dst)
{
    if (json_object_is_type(src, json_type_object) || json_object_is_type(src, json_type_array)) {
        *dst = new_fitted(src);
        return *dst ? 2 : -1;
    }
    int rc = json_c_shallow_copy_default(src, parent, key, index, dst);
    if (rc == 1 && gotk_obj_is_go_int64(src))
        json_object_set_userdata(*dst, (void *)&go_int64_mark, NULL);
    return rc == 1 && !json_object_is_type(src, json_type_double) ? 2 : rc;
}

json_object *gotk_obj_copy(json_object *o)
{
    json_object *dst = NULL;
    if (!o || json_object_deep_copy(o, &dst, copy_one) != 0)
        return NULL;
    return dst;
}

static bool is_number(json_object *v)
{
    return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
}

static bool numbers_equal(json_object *a, json_object *b)
{
    if (json_object_is_type(a, json_type_int) && json_object_is_type(b, json_type_int))
        return json_object_get_int64(a) == json_object_get_int64(b) &&
               json_object_get_uint64(a) == json_object_get_uint64(b);
    return json_object_get_double(a) == json_object_get_double(b);
}

static bool objects_equal(json_object *a, json_object *b)
{
    if (json_object_object_length(a) != json_object_object_length(b))
        return false;
    json_object_object_foreach(a, key, va) {
        json_object *vb;
        if (!json_object_object_get_ex(b, key, &vb) || !gotk_obj_equal(va, vb))
            return false;
    }
    return true;
}

bool gotk_obj_equal(json_object *a, json_object *b)
{
    if (is_number(a) && is_number(b))
        return numbers_equal(a, b);
    json_type ta = json_object_get_type(a);
    if (ta != json_object_get_type(b))
        return false;
    switch (ta) {
    case json_type_null:
        return true;
    case json_type_boolean:
        return json_object_get_boolean(a) == json_object_get_boolean(b);
    case json_type_string:
        return json_object_get_string_len(a) == json_object_get_string_len(b) &&
               !memcmp(json_object_get_string(a), json_object_get_string(b),
                       (size_t)json_object_get_string_len(a));
    case json_type_array: {
        size_t n = json_object_array_length(a);
        if (n != json_object_array_length(b))
            return false;
        for (size_t i = 0; i < n; i++)
            if (!gotk_obj_equal(json_object_array_get_idx(a, i), json_object_array_get_idx(b, i)))
                return false;
        return true;
    }
    case json_type_object:
        return objects_equal(a, b);
    default:
        return false;
    }
}

void gotk_obj_merge(json_object *dst, json_object *patch)
{
    if (!json_object_is_type(dst, json_type_object) || !json_object_is_type(patch, json_type_object))
        return;
    json_object_object_foreach(patch, key, pv) {
        json_object *dv = NULL;
        bool has = json_object_object_get_ex(dst, key, &dv);
        if (!pv) {
            if (has)
                json_object_object_del(dst, key);
        } else if (json_object_is_type(pv, json_type_object)) {
            if (!has || !json_object_is_type(dv, json_type_object)) {
                dv = json_object_new_object();
                json_object_object_add(dst, key, dv);
            }
            gotk_obj_merge(dv, pv);
        } else {
            json_object_object_add(dst, key, gotk_obj_copy(pv));
        }
    }
}
