/*
 * Resources as kustomize holds them in memory, for the error texts that print
 * them: its internal annotations (previous ids, generator options) added. The
 * namespace transformer's ID conflict lists them as JSON; kyaml's metadata
 * check after a JSON patch prints their ResourceMeta with Go's %v.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* One field of every previous id, comma-joined as kustomize stores them. */
static json_object *prev_list(const kres *r, size_t field)
{
    gotk_buf b = {0};
    for (size_t i = 0; i < r->nprev; i++) {
        const kprev *p = &r->prev[i];
        const char *s = field == 0 ? p->kind : field == 1 ? p->name : p->ns;
        if (i)
            gotk_buf_putc(&b, ',');
        gotk_buf_puts(&b, s);
    }
    char *s = gotk_buf_steal(&b);
    json_object *v = json_object_new_string(s);
    free(s);
    return v;
}

/* A copy of r's object with kustomize's internal annotations. */
static json_object *in_memory(const kres *r)
{
    json_object *copy = NULL;
    json_object_deep_copy(r->obj, &copy, NULL);
    json_object *md = json_object_object_get(copy, "metadata");
    if (r->nprev && !md) {
        md = json_object_new_object();
        json_object_object_add(copy, "metadata", md);
    }
    if (r->nprev && md && json_object_is_type(md, json_type_object)) {
        json_object *ann = json_object_object_get(md, "annotations");
        if (!ann || !json_object_is_type(ann, json_type_object)) {
            ann = json_object_new_object();
            json_object_object_add(md, "annotations", ann);
        }
        static const char *const behaviors[] = {"unspecified", "create", "merge", "replace"};
        if (r->generated)
            json_object_object_add(ann, "internal.config.kubernetes.io/generatorBehavior",
                                   json_object_new_string(behaviors[r->behavior & 3]));
        if (r->generated && r->needs_hash)
            json_object_object_add(ann, "internal.config.kubernetes.io/needsHashSuffix",
                                   json_object_new_string("enabled"));
        json_object_object_add(ann, "internal.config.kubernetes.io/previousKinds", prev_list(r, 0));
        json_object_object_add(ann, "internal.config.kubernetes.io/previousNames", prev_list(r, 1));
        json_object_object_add(ann, "internal.config.kubernetes.io/previousNamespaces",
                               prev_list(r, 2));
    }
    return copy;
}

/* The resource as kustomize's Resource.String() prints it. */
static char *resource_json(const kres *r)
{
    json_object *copy = in_memory(r);
    json_object *o = ksorted_copy(copy);
    json_object_put(copy);
    char *out = gotk_json_to_string(o);
    json_object_put(o);
    return out;
}

/* The first resource whose id another before it shares (kustomize checks
 * each one as it sets its namespace) and the error listing all of them. */
gotk_err *kt_namespace_conflict(const kmap *m)
{
    char **keys = gotk_xcalloc(m->n + 1, sizeof *keys);
    size_t at = m->n;
    for (size_t i = 0; i < m->n && at == m->n; i++) {
        keys[i] = kres_key(m->v[i]);
        for (size_t j = 0; j < i && at == m->n; j++)
            if (!strcmp(keys[j], keys[i]))
                at = i;
    }
    gotk_buf b = {0};
    gotk_buf_puts(&b, "namespace transformation produces ID conflict: [");
    bool first = true;
    for (size_t j = 0; at < m->n && j <= at; j++) {
        if (strcmp(keys[j], keys[at]))
            continue;
        char *s = resource_json(m->v[j]);
        gotk_buf_puts(&b, first ? "" : " ");
        gotk_buf_puts(&b, s);
        free(s);
        first = false;
    }
    gotk_buf_putc(&b, ']');
    for (size_t i = 0; i < m->n; i++)
        free(keys[i]);
    free(keys);
    char *msg = gotk_buf_steal(&b);
    gotk_err *e = gotk_err_new(GOTK_E_CONFLICT, "%s", msg);
    free(msg);
    return e;
}

/* A string map as Go's %v prints it: map[k:v k:v], keys sorted. */
static void put_go_map(gotk_buf *b, json_object *map)
{
    json_object *sorted = map && json_object_is_type(map, json_type_object)
                              ? ksorted_copy(map)
                              : json_object_new_object();
    gotk_buf_puts(b, "map[");
    bool first = true;
    json_object_object_foreach(sorted, k, v) {
        gotk_buf_printf(b, "%s%s:%s", first ? "" : " ", k,
                        json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "");
        first = false;
    }
    gotk_buf_putc(b, ']');
    json_object_put(sorted);
}

/* Go's %v of the ResourceMeta of o. */
static char *resource_meta(json_object *o)
{
    const char *av = gotk_obj_get_str(o, "apiVersion"), *kind = gotk_obj_get_str(o, "kind");
    const char *name = gotk_obj_get_str(o, "metadata.name");
    const char *ns = gotk_obj_get_str(o, "metadata.namespace");
    gotk_buf b = {0};
    gotk_buf_printf(&b, "{{%s %s} {{%s %s} ", av ? av : "", kind ? kind : "", name ? name : "",
                    ns ? ns : "");
    put_go_map(&b, gotk_obj_get(o, "metadata", "labels", NULL));
    gotk_buf_putc(&b, ' ');
    put_go_map(&b, gotk_obj_get(o, "metadata", "annotations", NULL));
    gotk_buf_puts(&b, "}}");
    return gotk_buf_steal(&b);
}

gotk_err *kres_validate_meta(const kres *r)
{
    if (!json_object_is_type(r->obj, json_type_object)) {
        const char *what = json_object_is_type(r->obj, json_type_array)     ? "array"
                           : json_object_is_type(r->obj, json_type_string)  ? "string"
                           : json_object_is_type(r->obj, json_type_boolean) ? "bool"
                                                                             : "number";
        return gotk_err_new(GOTK_E_INVALID, "json: cannot unmarshal %s into Go value of type "
                                            "map[string]interface {}", what);
    }
    const char *kind = gotk_obj_get_str(r->obj, "kind");
    const char *name = gotk_obj_get_str(r->obj, "metadata.name");
    size_t klen = kind ? strlen(kind) : 0;
    const char *missing = !klen ? "kind"
                          : klen >= 4 && !strcmp(kind + klen - 4, "List") ? NULL
                          : !name || !*name ? "metadata.name" : NULL;
    if (!missing)
        return NULL;
    json_object *copy = in_memory(r);
    char *meta = resource_meta(copy);
    json_object_put(copy);
    gotk_err *e = gotk_err_new(GOTK_E_INVALID, "missing %s in object %s", missing, meta);
    free(meta);
    return e;
}
