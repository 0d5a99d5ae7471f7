/*
 * inventory.c: status.inventory and garbage collection.
 *
 * The inventory is what Flux writes: one entry per applied object, in apply
 * order, `{id: "<namespace>_<name>_<group>_<kind>", v: "<version>"}` (a colon in
 * a name written as "__", as cli-utils does). Pruning deletes the objects of the
 * previous inventory that the new one lacks, in the reverse of Flux's apply
 * order (namespaced objects before their Namespace, CRDs last), with background
 * propagation — but only objects that still carry this Kustomization's owner
 * labels and are not marked `kustomize.toolkit.fluxcd.io/prune: disabled`,
 * `reconcile: disabled` or `ssa: Ignore` (those are reported `skipped`).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gotk/obj.h"
#include "kc.h"

/* status.inventory from a change set, in apply order. */
json_object *kc_inventory_from(const kc_changeset *cs)
{
    json_object *inv = json_object_new_object(), *entries = json_object_new_array();
    for (size_t i = 0; i < cs->n; i++) {
        json_object *e = json_object_new_object();
        json_object_object_add(e, "id", json_object_new_string(cs->v[i].id));
        json_object_object_add(e, "v", json_object_new_string(cs->v[i].version));
        json_object_array_add(entries, e);
    }
    json_object_object_add(inv, "entries", entries);
    return inv;
}

/* Does the inventory hold `id`? */
static bool inv_has(json_object *inv, const char *id)
{
    json_object *entries = gotk_obj_get(inv, "entries", NULL);
    for (size_t i = 0; entries && i < json_object_array_length(entries); i++)
        if (!strcmp(gotk_obj_get_str(json_object_array_get_idx(entries, i), "id"), id))
            return true;
    return false;
}

/* qsort comparator: the reverse of Flux's apply order. */
static int cmp_reverse(const void *a, const void *b)
{
    const kc_entry *x = a, *y = b;
    int rx = kc_kind_rank(x->kind), ry = kc_kind_rank(y->kind);
    int c = rx != ry ? (rx < ry ? -1 : 1) : strcmp(x->group, y->group);
    if (!c)
        c = strcmp(x->kind, y->kind);
    if (!c)
        c = strcmp(x->ns, y->ns);
    if (!c)
        c = strcmp(x->name, y->name);
    return -c;
}

/* Delete one object if it is still ours; sets the entry's action. */
static gotk_err *delete_one(kc_ctx *x, kc_entry *e)
{
    gotk_kube_ref ref = {e->api_version, e->kind, *e->ns ? e->ns : NULL, e->name};
    const gotk_kube_resource *r = NULL;
    gotk_err *err = gotk_kube_resource_for(x->kube, e->api_version, e->kind, &r);
    if (err) { /* the kind is no longer served: nothing is left to delete */
        gotk_err_free(err);
        e->action = KC_DELETED;
        return NULL;
    }
    json_object *live = NULL;
    err = gotk_kube_get(x->kube, &ref, NULL, &live);
    if (err && gotk_err_code_of(err) == GOTK_E_NOTFOUND) {
        gotk_err_free(err);
        e->action = KC_DELETED;
        return NULL;
    }
    if (err) {
        e->action = KC_UNKNOWN;
        return gotk_err_wrap(err, "%s query failed", e->subject);
    }
    json_object *labels = gotk_obj_get(live, "metadata", "labels", NULL), *v1 = NULL, *v2 = NULL;
    bool owned = labels && json_object_object_get_ex(labels, KC_LABEL_NAME, &v1) &&
                 json_object_object_get_ex(labels, KC_LABEL_NAMESPACE, &v2) &&
                 !strcmp(json_object_get_string(v1), x->name) &&
                 !strcmp(json_object_get_string(v2), x->ns);
    if (!owned || kc_meta_has(live, KC_GROUP "/prune", "disabled") ||
        kc_meta_has(live, KC_GROUP "/reconcile", "disabled") ||
        kc_meta_has(live, KC_GROUP "/ssa", "Ignore")) {
        json_object_put(live);
        e->action = KC_SKIPPED;
        return NULL;
    }
    json_object_put(live);
    gotk_kube_opts o = {.propagation = "Background"};
    err = gotk_kube_delete(x->kube, &ref, &o, NULL);
    if (err && gotk_err_code_of(err) != GOTK_E_NOTFOUND) {
        e->action = KC_UNKNOWN;
        return gotk_err_wrap(err, "%s delete failed", e->subject);
    }
    gotk_err_free(err);
    e->action = KC_DELETED;
    return NULL;
}

/* Delete stale objects in reverse apply order; entries say what happened. */
gotk_err *kc_prune(kc_ctx *x, json_object *old_inv, json_object *cur_inv, kc_changeset *out)
{
    json_object *entries = gotk_obj_get(old_inv, "entries", NULL);
    kc_changeset stale = {0};
    for (size_t i = 0; entries && i < json_object_array_length(entries); i++) {
        json_object *it = json_object_array_get_idx(entries, i);
        const char *id = gotk_obj_get_str(it, "id"), *v = gotk_obj_get_str(it, "v");
        kc_entry e;
        if (!id || (cur_inv && inv_has(cur_inv, id)) || !kc_entry_from_id(&e, id, v ? v : "v1", KC_UNKNOWN))
            continue;
        kc_changeset_add(&stale, &e);
    }
    if (stale.n)
        qsort(stale.v, stale.n, sizeof *stale.v, cmp_reverse);
    gotk_buf errs = {0};
    for (size_t i = 0; i < stale.n; i++) {
        gotk_err *e = delete_one(x, &stale.v[i]);
        if (e) {
            gotk_buf_printf(&errs, "%s;", gotk_err_msg(e));
            gotk_err_free(e);
        }
    }
    for (size_t i = 0; i < stale.n; i++)
        kc_changeset_add(out, &stale.v[i]);
    kc_changeset_free(&stale);
    gotk_err *e = NULL;
    if (errs.len)
        e = gotk_err_new(GOTK_E_GENERIC, "delete failed, errors: %s", errs.data);
    gotk_buf_free(&errs);
    return e;
}
