/*
 * The OpenAPI facts strategic merge patches need: which lists merge, and by
 * which keys, for each group/version/kind, as kyaml reads them from a schema.
 *
 * By default that is the Kubernetes v1.21.2 schema kustomize builds in, kept
 * here as a compact generated table (schema_table.inc: only nodes that are or
 * lead to merged lists). A kustomization's `openapi: path:` replaces it with a
 * custom schema (swagger JSON or YAML with `definitions`), walked directly:
 * x-kubernetes-group-version-kind selects a definition, $ref is followed,
 * x-kubernetes-patch-strategy "merge" marks a merged list, keyed by
 * x-kubernetes-list-map-keys or x-kubernetes-patch-merge-key. A kind the
 * active schema does not know has no merged lists: its lists are replaced.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct {
    const char *name;
    int node;
} ksch_prop;

typedef struct {
    const char *keys; /* NULL: not merged; "": merged scalars; "a,b": merge keys */
    int items, addl, first, nprops;
} ksch_node;

typedef struct {
    const char *apiversion, *kind;
    int node;
} ksch_gvk;

#include "schema_table.inc"

static const ksnode knone = {-1, NULL, NULL};

/* ---- the built-in table ------------------------------------------------- */

static int root_cmp(const void *key, const void *elem)
{
    const ksch_gvk *k = key, *e = elem;
    int c = strcmp(k->apiversion, e->apiversion);
    return c ? c : strcmp(k->kind, e->kind);
}

static ksnode builtin_root(const char *apiversion, const char *kind)
{
    ksch_gvk key = {apiversion, kind, -1};
    const ksch_gvk *r = bsearch(&key, ksch_roots, sizeof ksch_roots / sizeof ksch_roots[0],
                                 sizeof ksch_roots[0], root_cmp);
    ksnode n = knone;
    if (r)
        n.bi = r->node;
    return n;
}

static ksnode builtin_field(int bi, const char *field)
{
    const ksch_node *n = &ksch_nodes[bi];
    ksnode out = knone;
    for (int i = 0; i < n->nprops; i++)
        if (!strcmp(ksch_props[n->first + i].name, field)) {
            out.bi = ksch_props[n->first + i].node;
            return out;
        }
    out.bi = n->addl;
    return out;
}

/* ---- custom schemas ----------------------------------------------------- */

/* Follow $ref ("#/definitions/NAME") to the definition. */
static json_object *resolve(json_object *defs, json_object *s)
{
    for (int hops = 0; s && hops < 64; hops++) {
        const char *ref = gotk_obj_get_str(s, "$ref");
        if (!ref)
            return s;
        const char *slash = strrchr(ref, '/');
        s = json_object_object_get(defs, slash ? slash + 1 : ref);
    }
    return NULL;
}

static ksnode custom_node(json_object *defs, json_object *s)
{
    ksnode n = {-1, resolve(defs, s), defs};
    return n.js ? n : knone;
}

gotk_err *kschema_load(kschema *s, const char *data, size_t len, const char *source)
{
    json_object *docs = NULL;
    gotk_err *e = gotk_yaml_parse(data, len, source, &docs);
    if (e) { /* go-yaml's words for it, out of the MalformedYAMLError text */
        e = kmalformed(e, source);
        const char *msg = gotk_err_msg(e), *from = strstr(msg, "MalformedYAMLError: ");
        const char *to = from ? strstr(from, " in File: ") : NULL;
        s->broken = from && to ? gotk_xasprintf("invalid schema file: %.*s", (int)(to - from - 20),
                                                from + 20)
                               : gotk_xasprintf("invalid schema file: %s", msg);
        gotk_err_free(e);
        return NULL;
    }
    s->doc = json_object_get(json_object_array_get_idx(docs, 0));
    json_object_put(docs);
    json_object *defs = json_object_object_get(s->doc, "definitions");
    if (!defs || !json_object_is_type(defs, json_type_object))
        return NULL;
    json_object_object_foreach(defs, name, d) {
        (void)name;
        json_object *gvks = json_object_object_get(d, "x-kubernetes-group-version-kind");
        for (size_t i = 0; i < karr_n(gvks); i++) {
            json_object *g = json_object_array_get_idx(gvks, i);
            const char *grp = gotk_obj_get_str(g, "group"), *ver = gotk_obj_get_str(g, "version");
            char *key = gotk_xasprintf("%s%s%s\n%s", grp && *grp ? grp : "",
                                       grp && *grp ? "/" : "", ver ? ver : "",
                                       kstr(json_object_object_get(g, "kind")));
            if (!khash_get(&s->bygvk, key))
                khash_put(&s->bygvk, key, d);
            free(key);
        }
    }
    return NULL;
}

void kschema_free(kschema *s)
{
    if (!s)
        return;
    json_object_put(s->doc);
    khash_free(&s->bygvk);
    free(s->broken);
}

/* ---- walking either ----------------------------------------------------- */

ksnode ksch_root(const kschema *custom, const char *apiversion, const char *kind)
{
    if (!apiversion || !kind)
        return knone;
    if (!custom)
        return builtin_root(apiversion, kind);
    char *key = gotk_xasprintf("%s\n%s", apiversion, kind);
    json_object *d = khash_get(&custom->bygvk, key);
    free(key);
    return d ? custom_node(json_object_object_get(custom->doc, "definitions"), d) : knone;
}

ksnode ksch_field(ksnode n, const char *field)
{
    if (n.bi >= 0)
        return builtin_field(n.bi, field);
    if (!n.js)
        return knone;
    json_object *props = json_object_object_get(n.js, "properties"), *p = NULL;
    if (props && json_object_object_get_ex(props, field, &p))
        return custom_node(n.defs, p);
    json_object *addl = json_object_object_get(n.js, "additionalProperties");
    if (addl && json_object_is_type(addl, json_type_object))
        return custom_node(n.defs, addl);
    return knone;
}

ksnode ksch_elems(ksnode n)
{
    ksnode out = knone;
    if (n.bi >= 0) {
        out.bi = ksch_nodes[n.bi].items;
        return out;
    }
    json_object *items = n.js ? json_object_object_get(n.js, "items") : NULL;
    if (items && json_object_is_type(items, json_type_array))
        items = json_object_array_get_idx(items, 0);
    return items ? custom_node(n.defs, items) : knone;
}

/* Does a comma-separated strategy list name "merge"? */
static bool has_merge(const char *strategy)
{
    size_t n = strlen("merge");
    for (const char *p = strategy; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t l = comma ? (size_t)(comma - p) : strlen(p);
        if (l == n && !strncmp(p, "merge", n))
            return true;
        p = comma ? comma + 1 : NULL;
    }
    return false;
}

const char *ksch_list_keys(ksnode n)
{
    if (n.bi >= 0)
        return ksch_nodes[n.bi].keys;
    if (!n.js || !has_merge(gotk_obj_get_str(n.js, "x-kubernetes-patch-strategy")))
        return NULL;
    /* the joined keys are kept on the node, which lives as long as the schema */
    static const char cache[] = "x-gotk-merge-keys";
    const char *done = gotk_obj_get_str(n.js, cache);
    if (done)
        return done;
    json_object *list = json_object_object_get(n.js, "x-kubernetes-list-map-keys");
    gotk_buf b = {0};
    for (size_t i = 0; i < karr_n(list); i++)
        gotk_buf_printf(&b, "%s%s", i ? "," : "", kstr(json_object_array_get_idx(list, i)));
    if (!karr_n(list))
        gotk_buf_puts(&b, kstr(json_object_object_get(n.js, "x-kubernetes-patch-merge-key")));
    json_object_object_add(n.js, cache, json_object_new_string(b.data ? b.data : ""));
    gotk_buf_free(&b);
    return gotk_obj_get_str(n.js, cache);
}
