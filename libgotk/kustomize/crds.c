/*
 * kustomize `crds:`: OpenAPI definitions of custom types (a JSON or YAML map of
 * type name -> {Schema: ...}) whose properties carry kustomize's extensions:
 * x-kubernetes-annotation, x-kubernetes-label-selector, x-kubernetes-identity
 * (annotation, label and name-prefix field specs) and
 * x-kubernetes-object-ref-api-version / -kind / -name-key (a name reference).
 * Each definition that looks like a Kubernetes type (kind, apiVersion and
 * metadata properties) is walked, following $ref into other definitions, and
 * the field specs found are merged into the level's configuration.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A path of property names, joined with "/". */
static char *join_path(const kstrv *p, const char *last)
{
    gotk_buf b = {0};
    for (size_t i = 0; i < p->n; i++)
        gotk_buf_printf(&b, "%s/", p->v[i]);
    gotk_buf_puts(&b, last);
    return gotk_buf_steal(&b);
}

/* Keep a string alive in the config. */
static const char *own(kconfig *c, const char *s)
{
    kstrv_push(&c->owned, s);
    return c->owned.v[c->owned.n - 1];
}

/* Add one spec for kind at path to a class. */
static void add_spec(kconfig *c, kfslist *l, const char *kind, const char *path)
{
    kfslist one = {0};
    kfslist_add(&one, "", "", own(c, kind), own(c, path), false);
    kfslist_merge(l, &one);
    kfslist_free(&one);
}

static void walk_type(kconfig *c, json_object *defs, const char *kind, const char *type,
                      kstrv *path, int depth);

/* One property of a type. */
static void walk_prop(kconfig *c, json_object *defs, const char *kind, const char *name,
                      json_object *prop, kstrv *path, int depth)
{
    char *p = join_path(path, name);
    if (json_object_object_get_ex(prop, "x-kubernetes-annotation", NULL))
        add_spec(c, &c->fs[KFS_ANNOTATIONS], kind, p);
    if (json_object_object_get_ex(prop, "x-kubernetes-label-selector", NULL))
        add_spec(c, &c->fs[KFS_COMMON_LABELS], kind, p);
    if (json_object_object_get_ex(prop, "x-kubernetes-identity", NULL))
        add_spec(c, &c->fs[KFS_PREFIX], kind, p);
    const char *ver = gotk_obj_get_str(prop, "x-kubernetes-object-ref-api-version");
    const char *rk = gotk_obj_get_str(prop, "x-kubernetes-object-ref-kind");
    if (ver && rk) {
        const char *key = gotk_obj_get_str(prop, "x-kubernetes-object-ref-name-key");
        char *full = gotk_xasprintf("%s/%s", p, key ? key : "name");
        kconfig tmp = {0};
        json_object *doc = json_object_new_object(), *nr = json_object_new_array();
        json_object *t = json_object_new_object(), *fss = json_object_new_array();
        json_object *fs = json_object_new_object();
        json_object_object_add(fs, "path", json_object_new_string(full));
        json_object_object_add(fs, "kind", json_object_new_string(kind));
        json_object_array_add(fss, fs);
        json_object_object_add(t, "kind", json_object_new_string(rk));
        json_object_object_add(t, "version", json_object_new_string(ver));
        json_object_object_add(t, "fieldSpecs", fss);
        json_object_array_add(nr, t);
        json_object_object_add(doc, "nameReference", nr);
        kconfig_merge_doc(&tmp, doc);
        kconfig_absorb(c, &tmp); /* (kustomize's CRD specs do not conflict) */
        json_object_put(doc);
        free(full);
    }
    const char *ref = gotk_obj_get_str(prop, "$ref");
    if (ref && depth < 32) {
        kstrv_push(path, name);
        walk_type(c, defs, kind, ref, path, depth + 1);
        free(path->v[--path->n]);
    }
    free(p);
}

/* The properties of a type definition. */
static void walk_type(kconfig *c, json_object *defs, const char *kind, const char *type,
                      kstrv *path, int depth)
{
    json_object *props = gotk_obj_get(defs, type, "Schema", "properties", NULL);
    if (!props || !json_object_is_type(props, json_type_object))
        return;
    json_object_object_foreach(props, name, prop) {
        if (prop && json_object_is_type(prop, json_type_object))
            walk_prop(c, defs, kind, name, prop, path, depth);
    }
}

/* Does a definition look like a Kubernetes type? */
static bool looks_k8s(json_object *def)
{
    json_object *props = gotk_obj_get(def, "Schema", "properties", NULL);
    return props && json_object_is_type(props, json_type_object) &&
           json_object_object_get_ex(props, "kind", NULL) &&
           json_object_object_get_ex(props, "apiVersion", NULL) &&
           json_object_object_get_ex(props, "metadata", NULL);
}

/* One definitions file. */
static gotk_err *load_one(kctx *c, const char *root, const char *rel, kconfig *cfg)
{
    char *data = NULL;
    size_t len = 0;
    gotk_err *e = kload_file(c, root, rel, &data, &len, NULL);
    if (e)
        return e;
    /* sigs.k8s.io/yaml, as kustomize: YAML 1.1, the first document */
    json_object *docs = NULL, *defs = NULL;
    e = gotk_yaml_parse_flags(data, len, NULL, GOTK_YAML_PARSE_SIGS, &docs);
    if (!e && karr_n(docs))
        defs = json_object_get(json_object_array_get_idx(docs, 0));
    json_object_put(docs);
    free(data);
    if (e || !json_object_is_type(defs, json_type_object)) {
        json_object_put(defs);
        return e ? gotk_err_wrap(e, "unable to parse open API definition from '%s'", rel) : NULL;
    }
    json_object_object_foreach(defs, type, def) {
        if (!def || !looks_k8s(def))
            continue;
        const char *dot = strrchr(type, '.');
        kstrv path = {0};
        walk_type(cfg, defs, dot ? dot + 1 : type, type, &path, 0);
        kstrv_free(&path);
    }
    json_object_put(defs);
    return NULL;
}

/* crds: of one level. */
gotk_err *kcrds_load(kctx *c, const char *root, json_object *k, kconfig *cfg)
{
    json_object *a = json_object_object_get(k, "crds");
    kconfig lvl = {0};
    gotk_err *e = NULL;
    for (size_t i = 0; !e && i < karr_n(a); i++)
        e = load_one(c, root, kstr(json_object_array_get_idx(a, i)), &lvl);
    if (e) {
        gotk_buf b = {0};
        for (size_t i = 0; i < karr_n(a); i++)
            gotk_buf_printf(&b, "%s%s", i ? " " : "", kstr(json_object_array_get_idx(a, i)));
        e = gotk_err_wrap(e, "loading CRDs [%s]", b.data ? b.data : "");
        gotk_buf_free(&b);
    }
    kconfig_absorb(cfg, &lvl);
    return e;
}
