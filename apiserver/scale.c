/*
 * scale.c: the scale subresource, as `kubectl scale` uses it.
 *
 * GET <resource>/<name>/scale answers an autoscaling/v1 Scale built from the
 * object: spec.replicas from the resource's spec replicas path, status.replicas
 * from its status path, and status.selector as a label selector string. PUT and
 * PATCH (merge, JSON or strategic) change the Scale; its spec.replicas is
 * written back into the object through the normal update path, so generation,
 * resourceVersion and watches behave as for any update. Deployments,
 * StatefulSets and ReplicaSets have it, and CRDs that declare subresources.scale.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiserver.h"

/* Set the value at a ".a.b" path, creating objects (takes val). */
static void set_path(json_object *o, const char *path, json_object *val)
{
    char *copy = gotk_xstrdup(path), *save = NULL, *last = NULL;
    for (char *k = strtok_r(copy, ".", &save); k; k = strtok_r(NULL, ".", &save)) {
        if (last)
            o = jx_ensure_obj(o, last);
        last = k;
    }
    if (last)
        json_object_object_add(o, last, val);
    else
        json_object_put(val);
    free(copy);
}

/* A metav1.LabelSelector (matchLabels only, plus expressions) as a string. */
static char *selector_string(json_object *ls)
{
    if (ls && json_object_is_type(ls, json_type_string))
        return gotk_xstrdup(json_object_get_string(ls));
    gotk_buf b = {0};
    json_object *ml = jx_get(ls, "matchLabels");
    if (ml && json_object_is_type(ml, json_type_object)) {
        json_object_object_foreach(ml, k, v)
        {
            gotk_buf_printf(&b, "%s%s=%s", b.len ? "," : "", k, v ? json_object_get_string(v) : "");
        }
    }
    json_object *exprs = jx_get(ls, "matchExpressions");
    for (size_t i = 0; exprs && json_object_is_type(exprs, json_type_array) &&
                       i < json_object_array_length(exprs);
         i++) {
        json_object *e = json_object_array_get_idx(exprs, i), *vals = jx_get(e, "values");
        const char *key = jx_get_str(e, "key"), *op = jx_get_str(e, "operator");
        if (!key || !op)
            continue;
        gotk_buf_puts(&b, b.len ? "," : "");
        if (!strcmp(op, "Exists"))
            gotk_buf_puts(&b, key);
        else if (!strcmp(op, "DoesNotExist"))
            gotk_buf_printf(&b, "!%s", key);
        else {
            gotk_buf_printf(&b, "%s %s (", key, !strcmp(op, "In") ? "in" : "notin");
            for (size_t k = 0; vals && k < json_object_array_length(vals); k++)
                gotk_buf_printf(&b, "%s%s", k ? "," : "",
                                json_object_get_string(json_object_array_get_idx(vals, k)));
            gotk_buf_putc(&b, ')');
        }
    }
    return b.data ? gotk_buf_steal(&b) : gotk_xstrdup("");
}

/* The Scale view of an object. */
static json_object *scale_of(const api_resource *r, json_object *obj)
{
    json_object *sc = json_object_new_object(), *meta = json_object_new_object();
    jx_set_str(sc, "kind", "Scale");
    jx_set_str(sc, "apiVersion", "autoscaling/v1");
    static const char *const keep[] = {"name", "namespace", "uid", "resourceVersion",
                                       "creationTimestamp", NULL};
    for (int i = 0; keep[i]; i++)
        if (jx_meta_str(obj, keep[i]))
            jx_set_str(meta, keep[i], jx_meta_str(obj, keep[i]));
    json_object_object_add(sc, "metadata", meta);
    json_object *spec_r = jx_at(obj, r->scale_spec);
    json_object *status_r = r->scale_status ? jx_at(obj, r->scale_status) : NULL;
    json_object *spec = json_object_new_object(), *status = json_object_new_object();
    json_object_object_add(spec, "replicas",
                           json_object_new_int64(spec_r ? json_object_get_int64(spec_r)
                                                        : (r->crd ? 0 : 1)));
    json_object_object_add(status, "replicas",
                           json_object_new_int64(status_r ? json_object_get_int64(status_r) : 0));
    if (r->scale_selector) {
        char *str = selector_string(jx_at(obj, r->scale_selector));
        if (*str)
            jx_set_str(status, "selector", str);
        free(str);
    }
    json_object_object_add(sc, "spec", spec);
    json_object_object_add(sc, "status", status);
    return sc;
}

/* The Scale a PUT or PATCH asks for; NULL with an error response. */
static json_object *wanted_scale(api_req *q, json_object *cur_scale, api_resp *out)
{
    char *err = NULL;
    json_object *body = jx_parse(q->body, q->body_len, &err), *n = NULL;
    if (!body) {
        api_status(out, 400, "BadRequest", NULL, NULL, NULL, "error decoding body: %s",
                   err ? err : "empty");
        free(err);
        return NULL;
    }
    const char *ct = q->content_type ? q->content_type : "";
    if (!strcmp(q->method, "PUT"))
        n = json_object_get(body);
    else if (strstr(ct, "json-patch+json"))
        n = patch_json(cur_scale, body, &err);
    else if (strstr(ct, "strategic-merge-patch+json"))
        n = patch_strategic(gotk_obj_copy(cur_scale), body);
    else
        n = jx_merge_patch(gotk_obj_copy(cur_scale), body);
    if (!n) {
        api_status(out, 422, "Invalid", NULL, NULL, NULL, "%s", err ? err : "invalid patch");
        free(err);
    }
    json_object_put(body);
    return n;
}

/* GET, PUT or PATCH <resource>/<name>/scale. */
void do_scale(api_req *q, api_resp *out)
{
    json_object *cur = h_load(q, out), *sc = NULL, *want = NULL, *n = NULL;
    if (!cur)
        return;
    sc = scale_of(q->r, cur);
    if (!strcmp(q->method, "GET")) {
        api_json(out, 200, sc);
        goto done;
    }
    if (strcmp(q->method, "PUT") && strcmp(q->method, "PATCH")) {
        api_status(out, 405, "MethodNotAllowed", NULL, NULL, NULL,
                   "the server does not allow this method on the requested resource");
        goto done;
    }
    if (!(want = wanted_scale(q, sc, out)))
        goto done;
    const char *rv = jx_meta_str(want, "resourceVersion");
    if (rv && *rv && strcmp(rv, jx_meta_str(cur, "resourceVersion"))) {
        h_conflict(q, q->name, out);
        goto done;
    }
    json_object *replicas = jx_get(jx_get(want, "spec"), "replicas");
    if (!replicas || !json_object_is_type(replicas, json_type_int) ||
        json_object_get_int64(replicas) < 0) {
        h_invalid(q, q->name, "spec.replicas", "Invalid value: must be greater than or equal to 0",
                  out);
        goto done;
    }
    n = gotk_obj_copy(cur);
    set_path(n, q->r->scale_spec, json_object_new_int64(json_object_get_int64(replicas)));
    char *sub = q->sub;
    q->sub = NULL;
    api_resp obj_out = {0};
    h_write_update(q, cur, n, &obj_out);
    q->sub = sub;
    if (obj_out.code == 200) {
        char *err = NULL;
        json_object *stored = jx_parse(obj_out.body, strlen(obj_out.body), &err);
        free(err);
        json_object *res = scale_of(q->r, stored ? stored : n);
        api_json(out, 200, res);
        json_object_put(res);
        json_object_put(stored);
        free(obj_out.body);
    } else {
        free(out->body);
        *out = obj_out;
    }
done:
    json_object_put(n);
    json_object_put(want);
    json_object_put(sc);
    json_object_put(cur);
}
