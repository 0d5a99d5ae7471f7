/*
 * write.c: create, update (PUT) and patch, for objects and their status.
 *
 * Create fills what the server owns (uid, creationTimestamp, generation 1,
 * resourceVersion, a name from generateName) and refuses duplicates and objects
 * in missing or terminating namespaces. Update and patch both end in
 * h_write_update, which keeps the server-owned metadata from the stored object,
 * keeps status on the main resource (and everything but status on the status
 * subresource) for kinds that have one, bumps generation only when something
 * outside metadata and status changed, writes nothing for a no-op, and removes a
 * deleted object whose last finalizer just went.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiserver.h"

/* Random suffix for generateName, from the real server's alphabet. */
static char *generate_name(const char *prefix)
{
    static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    char *hex = ax_random_hex(5), suffix[6];
    for (int i = 0; i < 5; i++)
        suffix[i] = alphabet[(unsigned char)hex[i * 2] % (sizeof alphabet - 1)];
    suffix[5] = '\0';
    free(hex);
    return gotk_xasprintf("%s%s", prefix, suffix);
}

/* Settle the namespace of a body against the URL; false with a 400. */
static bool settle_namespace(api_req *q, json_object *meta, api_resp *out)
{
    const char *ns = jx_get_str(meta, "namespace");
    if (!q->r->namespaced) {
        json_object_object_del(meta, "namespace");
        return true;
    }
    if (ns && *ns && q->ns && strcmp(ns, q->ns)) {
        api_status(out, 400, "BadRequest", NULL, NULL, NULL,
                   "the namespace of the provided object does not match the namespace sent on "
                   "the request");
        return false;
    }
    jx_set_str(meta, "namespace", q->ns);
    return true;
}

/* The namespace must exist and not be terminating; false with an error. */
static bool namespace_open(api_req *q, const char *name, api_resp *out)
{
    if (!q->r->namespaced)
        return true;
    json_object *ns = store_get(q->s->st, "", "namespaces", "", q->ns);
    bool ok = ns != NULL;
    if (!ns) {
        api_status(out, 404, "NotFound", NULL, "namespaces", q->ns, "namespaces \"%s\" not found",
                   q->ns);
    } else if (jx_meta_str(ns, "deletionTimestamp")) {
        char *qn = h_qualified(q->r);
        api_status(out, 403, "Forbidden", q->r->group, q->r->plural, name,
                   "%s \"%s\" is forbidden: unable to create new content in namespace %s because "
                   "it is being terminated",
                   qn, name, q->ns);
        free(qn);
        ok = false;
    }
    json_object_put(ns);
    return ok;
}

/* 422 from a "field: detail" message. */
static void invalid_msg(api_req *q, const char *name, const char *msg, api_resp *out)
{
    const char *sep = strstr(msg, ": ");
    char *field = sep ? gotk_xstrndup(msg, (size_t)(sep - msg)) : gotk_xstrdup("");
    h_invalid(q, name, field, sep ? sep + 2 : msg, out);
    free(field);
}

/* Secrets: stringData folds into data (base64), type defaults to Opaque. */
static void normalize_secret(const api_resource *r, json_object *o)
{
    if (*r->group || strcmp(r->kind, "Secret"))
        return;
    json_object *sd = jx_get(o, "stringData");
    if (sd && json_object_is_type(sd, json_type_object)) {
        json_object *data = jx_ensure_obj(o, "data");
        json_object_object_foreach(sd, k, v)
        {
            const char *txt = v ? json_object_get_string(v) : "";
            char *b64 = gotk_base64_encode(txt, strlen(txt));
            jx_set_str(data, k, b64);
            free(b64);
        }
    }
    json_object_object_del(o, "stringData");
    if (!jx_get_str(o, "type"))
        jx_set_str(o, "type", "Opaque");
}

/* Metadata the server sets on create, and kind-specific defaults. */
static char *init_object(api_req *q, json_object *o, json_object *meta)
{
    char uid[37], now[32];
    ax_uuid(uid);
    jx_now(now);
    jx_set_str(meta, "uid", uid);
    jx_set_str(meta, "creationTimestamp", now);
    json_object_object_add(meta, "generation", json_object_new_int64(1));
    json_object_object_del(meta, "resourceVersion");
    json_object_object_del(meta, "deletionTimestamp");
    json_object_object_del(meta, "deletionGracePeriodSeconds");
    if (!*q->r->group && !strcmp(q->r->plural, "namespaces")) {
        json_object *spec = jx_ensure_obj(o, "spec"), *fin = json_object_new_array();
        json_object_array_add(fin, json_object_new_string("kubernetes"));
        json_object_object_add(spec, "finalizers", fin);
        jx_set_str(jx_ensure_obj(o, "status"), "phase", "Active");
        jx_set_str(jx_ensure_obj(meta, "labels"), "kubernetes.io/metadata.name",
                   jx_get_str(meta, "name"));
        return NULL;
    }
    if (!strcmp(q->r->group, "apiextensions.k8s.io"))
        return res_crd_prepare(o);
    normalize_secret(q->r, o);
    if (q->r->has_status)
        json_object_object_del(o, "status");
    /* the API server's own status for a new Pod or claim (a claim's phase is
     * a default of core/v1) */
    if (!*q->r->group && (!strcmp(q->r->kind, "Pod") || !strcmp(q->r->kind, "PersistentVolumeClaim")))
        jx_set_str(jx_ensure_obj(o, "status"), "phase", "Pending");
    defaults_apply(q->r, o);
    defaults_job_selector(q->r, o);
    return NULL;
}

/* POST: create an object. */
void do_create(api_req *q, api_resp *out)
{
    json_object *o = h_parse_body(q, out), *meta, *existing = NULL;
    char *gen = NULL, *bad = NULL;
    if (!o || !h_check_gvk(q, o, out))
        goto done;
    meta = jx_ensure_obj(o, "metadata");
    if (!settle_namespace(q, meta, out))
        goto done;
    const char *name = jx_get_str(meta, "name"), *prefix = jx_get_str(meta, "generateName");
    if ((!name || !*name) && prefix && *prefix) {
        gen = generate_name(prefix);
        jx_set_str(meta, "name", gen);
        name = gen;
    }
    if (!name || !*name) {
        h_invalid(q, NULL, "metadata.name", "Required value: name or generateName is required",
                  out);
        goto done;
    }
    const char *why = h_name_problem(q->r, name);
    if (why) {
        char *msg = gotk_xasprintf("Invalid value: \"%s\": %s", name, why);
        h_invalid(q, name, "metadata.name", msg, out);
        free(msg);
        goto done;
    }
    if (!namespace_open(q, name, out) || !schema_apply(q, o, out))
        goto done;
    existing = store_get(q->s->st, q->r->group, q->r->plural, q->r->namespaced ? q->ns : "", name);
    if (existing) {
        char *qn = h_qualified(q->r);
        api_status(out, 409, "AlreadyExists", q->r->group, q->r->plural, name,
                   "%s \"%s\" already exists", qn, name);
        free(qn);
        goto done;
    }
    if ((bad = init_object(q, o, meta))) {
        invalid_msg(q, name, bad, out);
        goto done;
    }
    if (!allocate_service(q, o, NULL, out))
        goto done;
    if (!q->applying)
        ssa_track_update(q, NULL, o);
    gotk_err *e = txn_begin(q->s);
    if (!e)
        e = h_put(q->s, q->r, o, "ADDED");
    if (h_finish(q, e, out)) {
        if (h_dry_run(q)) /* nothing was stored: no resourceVersion */
            json_object_object_del(jx_get(o, "metadata"), "resourceVersion");
        h_respond_obj(q, 201, o, out);
    }
done:
    free(bad);
    free(gen);
    json_object_put(existing);
    json_object_put(o);
}

/* Copy (or drop) one metadata key from the stored object. */
static void keep_meta(json_object *nm, json_object *cm, const char *key)
{
    json_object *v = jx_get(cm, key);
    if (v)
        json_object_object_add(nm, key, gotk_obj_copy(v));
    else
        json_object_object_del(nm, key);
}

/* Build the state to store from the stored object and the client's. */
static json_object *merge_update(api_req *q, json_object *cur, json_object *next)
{
    bool status_only = q->sub && !strcmp(q->sub, "status");
    json_object *n = gotk_obj_copy(status_only ? cur : next);
    json_object *src = status_only ? next : cur; /* where status comes from */
    if (status_only || q->r->has_status) {
        json_object *st = jx_get(src, "status");
        if (st)
            json_object_object_add(n, "status", gotk_obj_copy(st));
        else
            json_object_object_del(n, "status");
    }
    if (!status_only) {
        normalize_secret(q->r, n);
        defaults_apply(q->r, n);
    }
    json_object *nm = jx_ensure_obj(n, "metadata"), *cm = jx_get(cur, "metadata");
    static const char *const owned[] = {"uid", "creationTimestamp", "deletionTimestamp",
                                        "deletionGracePeriodSeconds", "namespace", "name",
                                        "generation", "resourceVersion", NULL};
    for (int i = 0; owned[i]; i++)
        keep_meta(nm, cm, owned[i]);
    if (!status_only && h_spec_changed(cur, n)) {
        json_object *g = jx_get(cm, "generation");
        json_object_object_add(nm, "generation",
                               json_object_new_int64((g ? json_object_get_int64(g) : 0) + 1));
    }
    return n;
}

/* Store the new state of an existing object. */
void h_write_update(api_req *q, json_object *cur, json_object *next, api_resp *out)
{
    json_object *n = merge_update(q, cur, next);
    gotk_err *e = NULL;
    if (!immutable_check(q, cur, n, out) || !allocate_service(q, n, cur, out) ||
        !schema_apply(q, n, out)) {
        json_object_put(n);
        return;
    }
    bool crd = !strcmp(q->r->group, "apiextensions.k8s.io");
    if (crd && h_spec_changed(cur, n)) {
        char *bad = res_crd_prepare(n);
        if (bad) {
            invalid_msg(q, q->name, bad, out);
            free(bad);
            json_object_put(n);
            return;
        }
    }
    if (!q->applying)
        ssa_track_update(q, cur, n);
    if (jx_meta_str(cur, "deletionTimestamp") && !h_has_finalizers(n)) {
        e = txn_begin(q->s);
        if (!e)
            e = h_remove(q->s, q->r->group, q->r->plural, n);
        if (!e)
            e = h_after_removal(q->s);
    } else if (gotk_obj_equal(cur, n)) {
        h_respond_obj(q, 200, n, out);
        json_object_put(n);
        return;
    } else {
        e = txn_begin(q->s);
        if (!e)
            e = h_put(q->s, q->r, n, "MODIFIED");
    }
    if (h_finish(q, e, out)) {
        if (h_dry_run(q)) /* nothing was stored: the version stays */
            jx_set_str(jx_ensure_obj(n, "metadata"), "resourceVersion",
                       jx_meta_str(cur, "resourceVersion"));
        h_respond_obj(q, 200, n, out);
    }
    json_object_put(n);
}

/* The stored object's resourceVersion differs from the one the client sent. */
static bool stale(json_object *cur, json_object *next)
{
    const char *want = jx_meta_str(next, "resourceVersion");
    const char *have = jx_meta_str(cur, "resourceVersion");
    return want && *want && (!have || strcmp(want, have));
}

/* PUT: replace an object (or its status). */
void do_update(api_req *q, api_resp *out)
{
    json_object *o = h_parse_body(q, out), *cur = NULL;
    if (!o || !h_check_gvk(q, o, out))
        goto done;
    json_object *meta = jx_ensure_obj(o, "metadata");
    const char *name = jx_get_str(meta, "name");
    if (name && strcmp(name, q->name)) {
        api_status(out, 400, "BadRequest", NULL, NULL, NULL,
                   "the name of the object (%s) does not match the name on the URL (%s)", name,
                   q->name);
        goto done;
    }
    if (!settle_namespace(q, meta, out) || !(cur = h_load(q, out)))
        goto done;
    if (stale(cur, o)) {
        h_conflict(q, q->name, out);
        goto done;
    }
    const char *rv = jx_get_str(meta, "resourceVersion");
    if (q->r->crd && (!rv || !*rv)) { /* custom resources allow no unconditional update */
        h_invalid(q, q->name, "metadata.resourceVersion",
                  "Invalid value: 0x0: must be specified for an update", out);
        goto done;
    }
    h_write_update(q, cur, o, out);
done:
    json_object_put(cur);
    json_object_put(o);
}

/* The media type without parameters, lowercased into out. */
static void media_type(const char *ct, char out[80])
{
    size_t i = 0;
    for (; ct && ct[i] && ct[i] != ';' && ct[i] != ' ' && i < 79; i++)
        out[i] = (char)(ct[i] >= 'A' && ct[i] <= 'Z' ? ct[i] + 32 : ct[i]);
    out[i] = '\0';
}

/* Apply the patch body to the stored object; NULL with an error response. */
static json_object *apply_patch(api_req *q, const char *mt, json_object *cur, api_resp *out)
{
    char *err = NULL;
    json_object *p = jx_parse(q->body, q->body_len, &err), *n = NULL;
    if (!p && err) {
        api_status(out, 400, "BadRequest", NULL, NULL, NULL, "error decoding patch: %s", err);
        free(err);
        return NULL;
    }
    if (!strcmp(mt, "application/json-patch+json")) {
        n = patch_json(cur, p, &err);
        if (!n)
            api_status(out, 422, "Invalid", NULL, NULL, NULL, "%s", err);
    } else if (!p || !json_object_is_type(p, json_type_object)) {
        api_status(out, 400, "BadRequest", NULL, NULL, NULL,
                   "error decoding patch: json: cannot unmarshal into map[string]interface{}");
    } else if (!strcmp(mt, "application/merge-patch+json")) {
        n = jx_merge_patch(gotk_obj_copy(cur), p);
    } else {
        n = patch_strategic(gotk_obj_copy(cur), p);
    }
    free(err);
    json_object_put(p);
    return n;
}

/* PATCH: merge, JSON or strategic merge patch of an object (or its status). */
void do_patch(api_req *q, api_resp *out)
{
    char mt[80];
    media_type(q->content_type, mt);
    if (!strcmp(mt, "application/apply-patch+yaml")) {
        do_apply(q, out);
        return;
    }
    bool smp = !strcmp(mt, "application/strategic-merge-patch+json");
    if (strcmp(mt, "application/json-patch+json") && strcmp(mt, "application/merge-patch+json") &&
        (!smp || q->r->crd)) {
        api_status(out, 415, "UnsupportedMediaType", NULL, NULL, NULL,
                   "the body of the request was in an unknown format - accepted media types "
                   "include: application/json-patch+json, application/merge-patch+json, "
                   "application/apply-patch+yaml%s",
                   q->r->crd ? "" : ", application/strategic-merge-patch+json");
        return;
    }
    json_object *cur = h_load(q, out), *n = NULL;
    if (!cur || !(n = apply_patch(q, mt, cur, out)))
        goto done;
    if (!json_object_is_type(n, json_type_object)) {
        api_status(out, 422, "Invalid", NULL, NULL, NULL, "the patch made the object not an object");
        goto done;
    }
    if (stale(cur, n)) {
        h_conflict(q, q->name, out);
        goto done;
    }
    h_write_update(q, cur, n, out);
done:
    json_object_put(n);
    json_object_put(cur);
}
