/*
 * kube/verbs.c: get, list, create, update, patch, apply and delete.
 *
 * Each verb maps its object (or reference) to a resource through discovery,
 * builds the path and query, sends JSON and decodes the JSON answer; failures
 * come back as errors built from the API's Status (errors.c). Lists are fetched
 * page by page (limit/continue) and gathered into one List whose items carry
 * apiVersion and kind again (the server leaves them out of typed lists), as
 * client-go's unstructured client does.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* What a verb works on: the resource and the request's namespace and name. */
typedef struct {
    const gotk_kube_resource *res;
    const char *ns;
    const char *name;
} target;

/* Resolve a reference to a target. `all_ns` allows an empty namespace to mean all. */
static gotk_err *resolve(gotk_kube_client *c, const char *av, const char *kind, const char *ns,
                         const char *name, bool all_ns, target *t)
{
    gotk_err *e = gotk_kube_resource_for(c, av, kind, &t->res);
    if (e)
        return e;
    t->ns = kube_effective_ns(c, t->res, ns, all_ns);
    t->name = name;
    return NULL;
}

/* A target from an object's apiVersion, kind, namespace and name. */
static gotk_err *resolve_obj(gotk_kube_client *c, json_object *obj, bool need_name, target *t)
{
    const char *av = gotk_obj_get_str(obj, "apiVersion");
    const char *kind = gotk_obj_get_str(obj, "kind");
    const char *name = gotk_obj_get_str(obj, "metadata.name");
    if (!av || !kind)
        return gotk_err_new(GOTK_E_INVALID, "object has no apiVersion or kind");
    if (need_name && (!name || !*name))
        return gotk_err_new(GOTK_E_INVALID, "%s has no metadata.name", kind);
    return resolve(c, av, kind, gotk_obj_get_str(obj, "metadata.namespace"), name, false, t);
}

/* The path of a target with an optional subresource, as a buffer to add a query to. */
static void target_path(const target *t, const char *sub, gotk_buf *b)
{
    char *p = gotk_kube_resource_path(t->res, t->ns, t->name, sub);
    gotk_buf_puts(b, p);
    free(p);
}

/* dryRun, fieldManager and force parameters. */
static void write_query(gotk_buf *b, const gotk_kube_opts *o)
{
    if (!o)
        return;
    if (o->dry_run)
        kube_query_add(b, "dryRun", "All");
    kube_query_add(b, "fieldManager", o->field_manager);
    if (o->force)
        kube_query_add(b, "force", "true");
}

/* Send `body` (may be NULL) and decode the answer. */
static gotk_err *send_json(gotk_kube_client *c, const char *method, gotk_buf *path,
                           const char *ctype, json_object *body, json_object **out)
{
    char *text = body ? gotk_json_to_string(body) : NULL;
    gotk_err *e = gotk_kube_do_json(c, method, path->data, body ? ctype : NULL, text,
                                    text ? strlen(text) : 0, out);
    free(text);
    gotk_buf_free(path);
    return e;
}

gotk_err *gotk_kube_get(gotk_kube_client *c, const gotk_kube_ref *ref,
                        const gotk_kube_opts *o, json_object **out)
{
    target t = {0};
    gotk_err *e = resolve(c, ref->api_version, ref->kind, ref->namespace_, ref->name, false, &t);
    if (e)
        return e;
    gotk_buf path = {0};
    target_path(&t, o ? o->subresource : NULL, &path);
    json_object *res = NULL;
    e = send_json(c, "GET", &path, NULL, NULL, &res);
    if (!e && out)
        *out = res;
    else
        json_object_put(res);
    return e;
}

gotk_err *gotk_kube_create(gotk_kube_client *c, json_object *obj, const gotk_kube_opts *o,
                           json_object **out)
{
    target t = {0};
    gotk_err *e = resolve_obj(c, obj, false, &t);
    if (e)
        return e;
    t.name = NULL; /* POST goes to the collection */
    gotk_buf path = {0};
    target_path(&t, NULL, &path);
    write_query(&path, o);
    return send_json(c, "POST", &path, "application/json", obj, out);
}

gotk_err *gotk_kube_update(gotk_kube_client *c, json_object *obj, const gotk_kube_opts *o,
                           json_object **out)
{
    target t = {0};
    gotk_err *e = resolve_obj(c, obj, true, &t);
    if (e)
        return e;
    gotk_buf path = {0};
    target_path(&t, o ? o->subresource : NULL, &path);
    write_query(&path, o);
    e = send_json(c, "PUT", &path, "application/json", obj, out);
    return e;
}

/* The Content-Type of a patch type. */
static const char *patch_ctype(gotk_kube_patch_type type)
{
    switch (type) {
    case GOTK_KUBE_PATCH_JSON: return "application/json-patch+json";
    case GOTK_KUBE_PATCH_STRATEGIC: return "application/strategic-merge-patch+json";
    case GOTK_KUBE_PATCH_APPLY: return "application/apply-patch+yaml";
    case GOTK_KUBE_PATCH_MERGE: break;
    }
    return "application/merge-patch+json";
}

/* PATCH a target. */
static gotk_err *patch_target(gotk_kube_client *c, const target *t, gotk_kube_patch_type type,
                              json_object *patch, const gotk_kube_opts *o, json_object **out)
{
    if (type == GOTK_KUBE_PATCH_APPLY && (!o || !o->field_manager || !*o->field_manager))
        return gotk_err_new(GOTK_E_INVALID, "server-side apply needs a field manager");
    gotk_buf path = {0};
    target_path(t, o ? o->subresource : NULL, &path);
    write_query(&path, o);
    return send_json(c, "PATCH", &path, patch_ctype(type), patch, out);
}

gotk_err *gotk_kube_patch(gotk_kube_client *c, const gotk_kube_ref *ref,
                          gotk_kube_patch_type type, json_object *patch,
                          const gotk_kube_opts *o, json_object **out)
{
    target t = {0};
    gotk_err *e = resolve(c, ref->api_version, ref->kind, ref->namespace_, ref->name, false, &t);
    if (!e)
        e = patch_target(c, &t, type, patch, o, out);
    return e;
}

gotk_err *gotk_kube_apply(gotk_kube_client *c, json_object *obj, const gotk_kube_opts *o,
                          json_object **out)
{
    target t = {0};
    gotk_err *e = resolve_obj(c, obj, true, &t);
    if (!e)
        e = patch_target(c, &t, GOTK_KUBE_PATCH_APPLY, obj, o, out);
    return e;
}

/* The DeleteOptions body. */
static json_object *delete_options(const gotk_kube_opts *o)
{
    json_object *d = json_object_new_object();
    json_object_object_add(d, "kind", json_object_new_string("DeleteOptions"));
    json_object_object_add(d, "apiVersion", json_object_new_string("v1"));
    if (!o)
        return d;
    if (o->propagation)
        json_object_object_add(d, "propagationPolicy", json_object_new_string(o->propagation));
    if (o->precondition_uid || o->precondition_resource_version) {
        json_object *p = json_object_new_object();
        if (o->precondition_uid)
            json_object_object_add(p, "uid", json_object_new_string(o->precondition_uid));
        if (o->precondition_resource_version)
            json_object_object_add(p, "resourceVersion",
                                   json_object_new_string(o->precondition_resource_version));
        json_object_object_add(d, "preconditions", p);
    }
    if (o->dry_run) {
        json_object *dr = json_object_new_array();
        json_object_array_add(dr, json_object_new_string("All"));
        json_object_object_add(d, "dryRun", dr);
    }
    return d;
}

gotk_err *gotk_kube_delete(gotk_kube_client *c, const gotk_kube_ref *ref,
                           const gotk_kube_opts *o, json_object **out)
{
    target t = {0};
    gotk_err *e = resolve(c, ref->api_version, ref->kind, ref->namespace_, ref->name, false, &t);
    if (e)
        return e;
    if (!t.name || !*t.name)
        return gotk_err_new(GOTK_E_INVALID, "delete %s: no name given", t.res->plural);
    gotk_buf path = {0};
    target_path(&t, o ? o->subresource : NULL, &path);
    if (o && o->dry_run)
        kube_query_add(&path, "dryRun", "All");
    json_object *body = delete_options(o);
    e = send_json(c, "DELETE", &path, "application/json", body, out);
    json_object_put(body);
    return e;
}

/* ---- lists ------------------------------------------------------------------- */

/* Fetch one page of a target's collection. */
static gotk_err *list_page(gotk_kube_client *c, const target *t, const gotk_kube_list_opts *lo,
                           const char *cont, bool with_rv, json_object **out)
{
    gotk_buf path = {0};
    target_path(t, NULL, &path);
    if (lo) {
        kube_query_add(&path, "labelSelector", lo->label_selector);
        kube_query_add(&path, "fieldSelector", lo->field_selector);
        if (lo->limit > 0) {
            char n[24];
            snprintf(n, sizeof n, "%ld", lo->limit);
            kube_query_add(&path, "limit", n);
        }
        if (with_rv)
            kube_query_add(&path, "resourceVersion", lo->resource_version);
    }
    kube_query_add(&path, "continue", cont);
    return send_json(c, "GET", &path, NULL, NULL, out);
}

/* Give every item of a list the apiVersion and kind of the resource. */
static void fill_item_kinds(json_object *list, const gotk_kube_resource *r)
{
    json_object *items = gotk_obj_get(list, "items", NULL);
    size_t n = json_object_is_type(items, json_type_array) ? json_object_array_length(items) : 0;
    char *av = *r->group ? gotk_xasprintf("%s/%s", r->group, r->version)
                         : gotk_xstrdup(r->version);
    for (size_t i = 0; i < n; i++) {
        json_object *it = json_object_array_get_idx(items, i);
        if (!json_object_is_type(it, json_type_object))
            continue;
        if (!gotk_obj_get(it, "apiVersion", NULL))
            json_object_object_add(it, "apiVersion", json_object_new_string(av));
        if (!gotk_obj_get(it, "kind", NULL))
            json_object_object_add(it, "kind", json_object_new_string(r->kind));
    }
    free(av);
}

gotk_err *gotk_kube_list_page(gotk_kube_client *c, const char *api_version,
                              const char *kind, const char *ns,
                              const gotk_kube_list_opts *lo, json_object **out)
{
    target t = {0};
    gotk_err *e = resolve(c, api_version, kind, ns, NULL, true, &t);
    if (e)
        return e;
    const char *cont = lo && lo->continue_ && *lo->continue_ ? lo->continue_ : NULL;
    json_object *page = NULL;
    e = list_page(c, &t, lo, cont, !cont, &page);
    if (e)
        return e;
    fill_item_kinds(page, t.res);
    *out = page;
    return NULL;
}

/* Move the items of `page` to the end of `all`. */
static void take_items(json_object *all, json_object *page)
{
    json_object *items = gotk_obj_get(page, "items", NULL);
    size_t n = json_object_is_type(items, json_type_array) ? json_object_array_length(items) : 0;
    for (size_t i = 0; i < n; i++)
        json_object_array_add(all, json_object_get(json_object_array_get_idx(items, i)));
}

gotk_err *gotk_kube_list(gotk_kube_client *c, const char *api_version, const char *kind,
                         const char *ns, const gotk_kube_list_opts *lo, json_object **out)
{
    target t = {0};
    gotk_err *e = resolve(c, api_version, kind, ns, NULL, true, &t);
    if (e)
        return e;
    json_object *first = NULL, *items = json_object_new_array();
    char *cont = NULL;
    do {
        json_object *page = NULL;
        e = list_page(c, &t, lo, cont, !cont, &page);
        free(cont);
        cont = NULL;
        if (e)
            break;
        take_items(items, page);
        const char *next = gotk_obj_get_str(page, "metadata.continue");
        cont = next && *next ? gotk_xstrdup(next) : NULL;
        if (!first) {
            first = page;
        } else {
            json_object *md = gotk_obj_get(page, "metadata", NULL);
            if (md) /* the last page's metadata (resourceVersion, no continue) */
                json_object_object_add(first, "metadata", json_object_get(md));
            json_object_put(page);
        }
    } while (cont);
    if (e) {
        json_object_put(first);
        json_object_put(items);
        return e;
    }
    json_object_object_add(first, "items", items);
    gotk_obj_delp(first, "metadata.continue");
    fill_item_kinds(first, t.res);
    *out = first;
    return NULL;
}
