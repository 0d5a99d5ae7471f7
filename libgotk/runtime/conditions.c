/*
 * Status conditions, set the way Flux's runtime/conditions.Set does: a condition
 * keeps its lastTransitionTime unless its status, reason or message changed; it
 * always takes the object's generation as observedGeneration; messages longer than
 * 32 KiB are cut with "..."; the list is ordered Stalled, Reconciling, Ready, then
 * the others by observedGeneration (newest first) and type.
 */
#include "gotk/obj.h"
#include "gotk/runtime.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_MESSAGE 32768

void gotk_now_rfc3339(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_object *conditions_of(json_object *obj, bool create)
{
    json_object *status = gotk_obj_get(obj, "status", NULL);
    if (!status) {
        if (!create)
            return NULL;
        status = json_object_new_object();
        json_object_object_add(obj, "status", status);
    }
    json_object *conds = gotk_obj_get(status, "conditions", NULL);
    if (!json_object_is_type(conds, json_type_array)) {
        if (!create)
            return NULL;
        conds = json_object_new_array();
        json_object_object_add(status, "conditions", conds);
    }
    return conds;
}

json_object *gotk_cond_get(json_object *obj, const char *type)
{
    json_object *conds = conditions_of(obj, false);
    size_t n = conds ? json_object_array_length(conds) : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *c = json_object_array_get_idx(conds, i);
        const char *t = gotk_obj_get_str(c, "type");
        if (t && !strcmp(t, type))
            return c;
    }
    return NULL;
}

bool gotk_cond_is_true(json_object *obj, const char *type)
{
    const char *s = gotk_obj_get_str(gotk_cond_get(obj, type), "status");
    return s && !strcmp(s, "True");
}

static bool str_eq(const char *a, const char *b)
{
    return !strcmp(a ? a : "", b ? b : "");
}

/* Same type, status, reason and message. */
static bool same_state(json_object *old, const gotk_condition *c)
{
    return str_eq(gotk_obj_get_str(old, "status"), c->status) &&
           str_eq(gotk_obj_get_str(old, "reason"), c->reason) &&
           str_eq(gotk_obj_get_str(old, "message"), c->message);
}

static int weight(const char *type)
{
    if (!strcmp(type, GOTK_COND_STALLED))
        return 0;
    if (!strcmp(type, GOTK_COND_RECONCILING))
        return 1;
    if (!strcmp(type, GOTK_COND_READY))
        return 2;
    return -1;
}

static int cond_cmp(const void *x, const void *y)
{
    json_object *a = *(json_object *const *)x, *b = *(json_object *const *)y;
    const char *ta = gotk_obj_get_str(a, "type"), *tb = gotk_obj_get_str(b, "type");
    int wa = weight(ta ? ta : ""), wb = weight(tb ? tb : "");
    if (wa >= 0 && wb >= 0)
        return wa - wb;
    if (wa >= 0 || wb >= 0)
        return wa >= 0 ? -1 : 1;
    int64_t ga = json_object_get_int64(gotk_obj_get(a, "observedGeneration", NULL));
    int64_t gb = json_object_get_int64(gotk_obj_get(b, "observedGeneration", NULL));
    if (ga != gb)
        return ga > gb ? -1 : 1;
    return strcmp(ta ? ta : "", tb ? tb : "");
}

/* Sort the array in place (json-c arrays can be sorted with a comparator). */
static void sort_conditions(json_object *conds)
{
    json_object_array_sort(conds, cond_cmp);
}

static json_object *new_condition(const gotk_condition *c, int64_t generation, const char *ltt)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "type", json_object_new_string(c->type));
    json_object_object_add(o, "status", json_object_new_string(c->status));
    json_object_object_add(o, "observedGeneration", json_object_new_int64(generation));
    json_object_object_add(o, "lastTransitionTime", json_object_new_string(ltt));
    json_object_object_add(o, "reason", json_object_new_string(c->reason ? c->reason : ""));
    size_t mlen = c->message ? strlen(c->message) : 0;
    if (mlen > MAX_MESSAGE) {
        char *m = gotk_xstrndup(c->message, MAX_MESSAGE - 3);
        char *t = gotk_xasprintf("%s...", m);
        json_object_object_add(o, "message", json_object_new_string(t));
        free(m);
        free(t);
    } else {
        json_object_object_add(o, "message", json_object_new_string(c->message ? c->message : ""));
    }
    return o;
}

void gotk_cond_set(json_object *obj, const gotk_condition *c, const char *now)
{
    int64_t gen = json_object_get_int64(gotk_obj_getp(obj, "metadata.generation"));
    json_object *conds = conditions_of(obj, true);
    size_t n = json_object_array_length(conds);
    for (size_t i = 0; i < n; i++) {
        json_object *old = json_object_array_get_idx(conds, i);
        const char *t = gotk_obj_get_str(old, "type");
        if (!t || strcmp(t, c->type) != 0)
            continue;
        const char *ltt = gotk_obj_get_str(old, "lastTransitionTime");
        char *keep = gotk_xstrdup(same_state(old, c) && ltt ? ltt : now);
        json_object_array_put_idx(conds, i, new_condition(c, gen, keep));
        free(keep);
        sort_conditions(conds);
        return;
    }
    json_object_array_add(conds, new_condition(c, gen, now));
    sort_conditions(conds);
}

bool gotk_cond_delete(json_object *obj, const char *type)
{
    json_object *conds = conditions_of(obj, false);
    size_t n = conds ? json_object_array_length(conds) : 0;
    for (size_t i = 0; i < n; i++) {
        const char *t = gotk_obj_get_str(json_object_array_get_idx(conds, i), "type");
        if (t && !strcmp(t, type)) {
            json_object_array_del_idx(conds, i, 1);
            return true;
        }
    }
    return false;
}
