/*
 * delete.c: deletion, finalizers, namespaces and garbage collection.
 *
 * DELETE on an object with finalizers only sets metadata.deletionTimestamp (the
 * object stays, a MODIFIED event goes out); it is removed when an update takes
 * away the last finalizer. Deleting a Namespace marks it Terminating and deletes
 * everything in it; the Namespace itself goes once it is empty. Deleting a
 * CustomResourceDefinition removes its custom objects. Every removal in a
 * transaction is recorded (srv->removed) and h_after_removal settles each:
 * its namespace if that was terminating and is now empty, its owners waiting in
 * foreground deletion, and its dependents whose ownerReferences now all point
 * at objects that no longer exist (background propagation). Dependents are
 * found by the owner's uid (a text prefilter in SQL, then the references). propagationPolicy=Foreground keeps the owner, with the
 * foregroundDeletion finalizer, until its dependents are gone; Orphan removes
 * the ownerReferences to it from its dependents first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiserver.h"

/* An object found by a scan, with where it lives. */
typedef struct {
    char *group, *res;
    json_object *obj;
} found;

typedef struct {
    found *v;
    int n, cap;
} found_list;

/* Visitor collecting every object. */
static bool collect(const char *group, const char *res, json_object *obj, void *ud)
{
    found_list *l = ud;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->v = gotk_xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
    }
    l->v[l->n++] = (found){gotk_xstrdup(group), gotk_xstrdup(res), obj};
    return true;
}

/* Free a collected list. */
static void found_free(found_list *l)
{
    for (int i = 0; i < l->n; i++) {
        free(l->v[i].group);
        free(l->v[i].res);
        json_object_put(l->v[i].obj);
    }
    free(l->v);
}

/* Mark an object deleted (deletionTimestamp now) unless it already is. */
static gotk_err *mark_deleted(apisrv *s, const api_resource *r, json_object *obj)
{
    json_object *meta = jx_ensure_obj(obj, "metadata");
    if (jx_get(meta, "deletionTimestamp"))
        return NULL;
    char now[32];
    jx_now(now);
    jx_set_str(meta, "deletionTimestamp", now);
    json_object_object_add(meta, "deletionGracePeriodSeconds", json_object_new_int(0));
    if (!*r->group && !strcmp(r->plural, "namespaces"))
        jx_set_str(jx_ensure_obj(obj, "status"), "phase", "Terminating");
    return h_put(s, r, obj, "MODIFIED");
}

/* Delete everything inside a namespace. */
static gotk_err *delete_contents(apisrv *s, const char *ns)
{
    found_list l = {0};
    gotk_err *e = store_list_ns(s->st, ns, collect, &l);
    for (int i = 0; !e && i < l.n; i++) {
        const api_resource *r = res_find_plural(&s->res, l.v[i].group, l.v[i].res);
        bool removed;
        e = r ? h_delete_obj(s, r, l.v[i].obj, &removed)
              : h_remove(s, l.v[i].group, l.v[i].res, l.v[i].obj);
    }
    found_free(&l);
    return e;
}

/* Remove every custom object of a CRD being deleted. */
static gotk_err *delete_custom_objects(apisrv *s, json_object *crd)
{
    json_object *spec = jx_get(crd, "spec");
    const char *group = jx_get_str(spec, "group");
    const char *plural = jx_get_str(jx_get(spec, "names"), "plural");
    found_list l = {0};
    gotk_err *e = NULL;
    if (!group || !plural)
        return NULL;
    e = store_list_all(s->st, collect, &l);
    for (int i = 0; !e && i < l.n; i++)
        if (!strcmp(l.v[i].group, group) && !strcmp(l.v[i].res, plural))
            e = h_remove(s, group, plural, l.v[i].obj);
    found_free(&l);
    return e;
}

/* Delete one object as a DELETE request would. */
gotk_err *h_delete_obj(apisrv *s, const api_resource *r, json_object *cur, bool *removed)
{
    *removed = false;
    if (!*r->group && !strcmp(r->plural, "namespaces")) {
        gotk_err *e = mark_deleted(s, r, cur);
        if (!e)
            e = delete_contents(s, jx_meta_str(cur, "name"));
        if (!e && store_ns_empty(s->st, jx_meta_str(cur, "name"))) {
            e = h_remove(s, "", "namespaces", cur);
            *removed = !e;
        }
        return e;
    }
    if (h_has_finalizers(cur))
        return mark_deleted(s, r, cur);
    gotk_err *e = h_remove(s, r->group, r->plural, cur);
    if (!e && !strcmp(r->group, "apiextensions.k8s.io"))
        e = delete_custom_objects(s, cur);
    *removed = !e;
    return e;
}

/* Whether obj has an ownerReference to uid. */
static bool owned_by(json_object *obj, const char *uid)
{
    json_object *refs = jx_get(jx_get(obj, "metadata"), "ownerReferences");
    for (size_t i = 0; uid && refs && json_object_is_type(refs, json_type_array) &&
                       i < json_object_array_length(refs);
         i++) {
        const char *u = jx_get_str(json_object_array_get_idx(refs, i), "uid");
        if (u && !strcmp(u, uid))
            return true;
    }
    return false;
}

/* Whether the finalizer list of obj holds `name`; removes it when `take`. */
static bool finalizer(json_object *obj, const char *name, bool take)
{
    json_object *f = jx_get(jx_get(obj, "metadata"), "finalizers");
    for (size_t i = 0; f && json_object_is_type(f, json_type_array) &&
                       i < json_object_array_length(f);
         i++) {
        const char *v = json_object_get_string(json_object_array_get_idx(f, i));
        if (v && !strcmp(v, name)) {
            if (take)
                json_object_array_del_idx(f, i, 1);
            return true;
        }
    }
    return false;
}

/* Visitor keeping the first object found. */
static bool first_obj(const char *group, const char *res, json_object *obj, void *ud)
{
    found_list *l = ud;
    collect(group, res, obj, l);
    return false;
}

/* Whether an object with this uid exists. */
static bool uid_exists(apisrv *s, const char *uid)
{
    found_list l = {0};
    gotk_err_free(store_get_uid(s->st, uid, first_obj, &l));
    bool there = l.n > 0;
    found_free(&l);
    return there;
}

/* The objects with an ownerReference to uid. */
static gotk_err *dependents_of(apisrv *s, const char *uid, found_list *out)
{
    found_list l = {0};
    gotk_err *e = store_list_containing(s->st, uid, collect, &l);
    for (int i = 0; i < l.n; i++)
        if (owned_by(l.v[i].obj, uid))
            collect(l.v[i].group, l.v[i].res, json_object_get(l.v[i].obj), out);
    found_free(&l);
    return e;
}

/* A terminating namespace goes once it is empty. */
static gotk_err *finish_namespace(apisrv *s, const char *ns)
{
    json_object *nso = ns && *ns ? store_get(s->st, "", "namespaces", "", ns) : NULL;
    gotk_err *e = NULL;
    if (nso && jx_meta_str(nso, "deletionTimestamp") && store_ns_empty(s->st, ns))
        e = h_remove(s, "", "namespaces", nso);
    json_object_put(nso);
    return e;
}

/* An owner in foreground deletion loses its foregroundDeletion finalizer once
 * no dependent is left (and goes when that was its last finalizer). */
static gotk_err *finish_foreground(apisrv *s, const char *owner_uid)
{
    found_list owner = {0}, deps = {0};
    gotk_err *e = store_get_uid(s->st, owner_uid, first_obj, &owner);
    bool waiting = owner.n && jx_meta_str(owner.v[0].obj, "deletionTimestamp") &&
                   finalizer(owner.v[0].obj, "foregroundDeletion", false);
    if (!e && waiting)
        e = dependents_of(s, owner_uid, &deps);
    if (!e && waiting && deps.n == 0) {
        found *f = &owner.v[0];
        const api_resource *r = res_find_plural(&s->res, f->group, f->res);
        finalizer(f->obj, "foregroundDeletion", true);
        if (h_has_finalizers(f->obj))
            e = r ? h_put(s, r, f->obj, "MODIFIED") : NULL;
        else
            e = h_remove(s, f->group, f->res, f->obj);
    }
    found_free(&owner);
    found_free(&deps);
    return e;
}

/* Background collection: dependents of a removed object whose owners are all
 * gone are deleted. */
static gotk_err *collect_dependents(apisrv *s, const char *uid)
{
    found_list deps = {0};
    gotk_err *e = dependents_of(s, uid, &deps);
    for (int i = 0; !e && i < deps.n; i++) {
        found *f = &deps.v[i];
        json_object *refs = jx_get(jx_get(f->obj, "metadata"), "ownerReferences");
        bool live = false;
        for (size_t k = 0; k < json_object_array_length(refs) && !live; k++) {
            const char *u = jx_get_str(json_object_array_get_idx(refs, k), "uid");
            live = u && uid_exists(s, u);
        }
        const api_resource *r = res_find_plural(&s->res, f->group, f->res);
        bool removed;
        if (!live && r && !jx_meta_str(f->obj, "deletionTimestamp"))
            e = h_delete_obj(s, r, f->obj, &removed);
    }
    found_free(&deps);
    return e;
}

/* Settle what each removal of this transaction leaves behind: its emptied
 * terminating namespace, owners waiting in foreground deletion, and orphaned
 * dependents. Removals made here are settled in turn. */
gotk_err *h_after_removal(apisrv *s)
{
    gotk_err *e = NULL;
    for (size_t i = 0; !e && s->removed && i < json_object_array_length(s->removed); i++) {
        json_object *obj = json_object_get(json_object_array_get_idx(s->removed, i));
        json_object *refs = jx_get(jx_get(obj, "metadata"), "ownerReferences");
        e = finish_namespace(s, jx_meta_str(obj, "namespace"));
        for (size_t k = 0; !e && refs && json_object_is_type(refs, json_type_array) &&
                           k < json_object_array_length(refs);
             k++) {
            const char *u = jx_get_str(json_object_array_get_idx(refs, k), "uid");
            if (u)
                e = finish_foreground(s, u);
        }
        if (!e && jx_meta_str(obj, "uid"))
            e = collect_dependents(s, jx_meta_str(obj, "uid"));
        json_object_put(obj);
    }
    return e;
}

/* Parse DeleteOptions from the body (optional). */
static json_object *delete_options(api_req *q, api_resp *out)
{
    if (!q->body_len)
        return json_object_new_object();
    char *err = NULL;
    json_object *o = jx_parse(q->body, q->body_len, &err);
    if (!o || !json_object_is_type(o, json_type_object)) {
        api_status(out, 400, "BadRequest", NULL, NULL, NULL, "error decoding DeleteOptions: %s",
                   err ? err : "not an object");
        free(err);
        json_object_put(o);
        return NULL;
    }
    return o;
}

/* Check DeleteOptions.preconditions; false with a 409. */
static bool preconditions_hold(api_req *q, json_object *opts, json_object *cur, api_resp *out)
{
    json_object *pre = jx_get(opts, "preconditions");
    const char *uid = jx_get_str(pre, "uid"), *rv = jx_get_str(pre, "resourceVersion");
    const char *have_uid = jx_meta_str(cur, "uid"), *have_rv = jx_meta_str(cur, "resourceVersion");
    char *qn = h_qualified(q->r);
    bool ok = true;
    if (uid && (!have_uid || strcmp(uid, have_uid))) {
        api_status(out, 409, "Conflict", q->r->group, q->r->plural, q->name,
                   "Operation cannot be fulfilled on %s \"%s\": Precondition failed: UID in "
                   "precondition: %s, UID in object meta: %s",
                   qn, q->name, uid, have_uid ? have_uid : "");
        ok = false;
    } else if (rv && (!have_rv || strcmp(rv, have_rv))) {
        api_status(out, 409, "Conflict", q->r->group, q->r->plural, q->name,
                   "Operation cannot be fulfilled on %s \"%s\": Precondition failed: "
                   "ResourceVersion in precondition: %s, ResourceVersion in object meta: %s",
                   qn, q->name, rv, have_rv ? have_rv : "");
        ok = false;
    }
    free(qn);
    return ok;
}

/* Whether DeleteOptions asks for a dry run. */
static bool opts_dry_run(json_object *opts)
{
    json_object *d = jx_get(opts, "dryRun");
    return d && json_object_is_type(d, json_type_array) && json_object_array_length(d) > 0;
}

/* Foreground: mark the owner (foregroundDeletion finalizer) and delete its
 * dependents; Orphan: drop the ownerReferences pointing at it. */
static gotk_err *propagate(apisrv *s, json_object *cur, const api_resource *r, const char *prop)
{
    const char *uid = jx_meta_str(cur, "uid");
    found_list deps = {0};
    gotk_err *e = uid ? dependents_of(s, uid, &deps) : NULL;
    if (!e && deps.n && !strcmp(prop, "Foreground")) {
        json_object *meta = jx_ensure_obj(cur, "metadata"), *fin = jx_get(meta, "finalizers");
        if (!fin || !json_object_is_type(fin, json_type_array)) {
            fin = json_object_new_array();
            json_object_object_add(meta, "finalizers", fin);
        }
        if (!finalizer(cur, "foregroundDeletion", false))
            json_object_array_add(fin, json_object_new_string("foregroundDeletion"));
        bool removed;
        e = h_delete_obj(s, r, cur, &removed);
        for (int i = 0; !e && i < deps.n; i++) {
            const api_resource *dr = res_find_plural(&s->res, deps.v[i].group, deps.v[i].res);
            if (dr && !jx_meta_str(deps.v[i].obj, "deletionTimestamp"))
                e = h_delete_obj(s, dr, deps.v[i].obj, &removed);
        }
    } else if (!e && deps.n && !strcmp(prop, "Orphan")) {
        for (int i = 0; !e && i < deps.n; i++) {
            json_object *refs = jx_get(jx_get(deps.v[i].obj, "metadata"), "ownerReferences");
            for (size_t k = json_object_array_length(refs); k-- > 0;) {
                const char *u = jx_get_str(json_object_array_get_idx(refs, k), "uid");
                if (u && !strcmp(u, uid))
                    json_object_array_del_idx(refs, k, 1);
            }
            if (!json_object_array_length(refs))
                json_object_object_del(jx_get(deps.v[i].obj, "metadata"), "ownerReferences");
            const api_resource *dr = res_find_plural(&s->res, deps.v[i].group, deps.v[i].res);
            if (dr)
                e = h_put(s, dr, deps.v[i].obj, "MODIFIED");
        }
    }
    found_free(&deps);
    return e;
}

/* DELETE one object. */
void do_delete(api_req *q, api_resp *out)
{
    json_object *opts = delete_options(q, out), *cur = NULL;
    if (!opts || !(cur = h_load(q, out)) || !preconditions_hold(q, opts, cur, out))
        goto done;
    if (opts_dry_run(opts))
        q->dry_run = "All";
    const char *prop = jx_get_str(opts, "propagationPolicy");
    bool removed = false;
    char *uid = gotk_xstrdup(jx_meta_str(cur, "uid"));
    bool fg = prop && !strcmp(prop, "Foreground"), orphan = prop && !strcmp(prop, "Orphan");
    gotk_err *e = txn_begin(q->s);
    if (!e && (fg || orphan))
        e = propagate(q->s, cur, q->r, prop);
    if (!e && !(fg && finalizer(cur, "foregroundDeletion", false)))
        e = h_delete_obj(q->s, q->r, cur, &removed);
    if (!e)
        e = h_after_removal(q->s);
    if (h_finish(q, e, out)) {
        if (removed)
            api_status_success(out, q->r->group, q->r->plural, q->name, uid);
        else
            h_respond_obj(q, 200, cur, out);
    }
    free(uid);
done:
    json_object_put(cur);
    json_object_put(opts);
}

typedef struct {
    api_req *q;
    sel *labels, *fields;
    found_list hits;
} dc_ctx;

/* Visitor: collect objects matching the selectors. */
static bool dc_visit(json_object *obj, const char *ns, const char *name, void *ud)
{
    dc_ctx *c = ud;
    (void)ns;
    (void)name;
    if (sel_match_labels(c->labels, obj) && sel_match_fields(c->fields, obj))
        return collect(c->q->r->group, c->q->r->plural, obj, &c->hits);
    json_object_put(obj);
    return true;
}

/* DELETE on a collection: every object matching the selectors. */
void do_delete_collection(api_req *q, api_resp *out)
{
    dc_ctx c = {.q = q};
    char *err = NULL;
    c.labels = sel_parse_labels(q->label_selector, &err);
    if (c.labels)
        c.fields = sel_parse_fields(q->field_selector, &err);
    if (!c.labels || !c.fields) {
        api_status(out, 400, "BadRequest", NULL, NULL, NULL, "%s", err);
        goto done;
    }
    gotk_err *e = store_list(q->s->st, q->r->group, q->r->plural, q->r->namespaced ? q->ns : NULL,
                             NULL, NULL, dc_visit, &c);
    if (!e)
        e = txn_begin(q->s);
    for (int i = 0; !e && i < c.hits.n; i++) {
        bool removed;
        e = h_delete_obj(q->s, q->r, c.hits.v[i].obj, &removed);
    }
    if (!e)
        e = h_after_removal(q->s);
    if (h_finish(q, e, out)) {
        json_object *list = json_object_new_object();
        obj_set_gvk(list, q->r);
        jx_set_str(list, "kind", q->r->list_kind);
        json_object_object_add(list, "metadata", json_object_new_object());
        json_object_object_add(list, "items", json_object_new_array());
        api_json(out, 200, list);
        json_object_put(list);
    }
done:
    free(err);
    found_free(&c.hits);
    sel_free(c.labels);
    sel_free(c.fields);
}
