/*
 * fieldtype.c: how server-side apply sees lists and maps, and the apply merge.
 *
 * Kubernetes' structured merge tells lists apart by `x-kubernetes-list-type`:
 * `atomic` lists are one value, `set` lists of scalars are owned value by
 * value, and `map` lists are owned element by element, each element named by
 * its `x-kubernetes-list-map-keys` (several keys, e.g. containerPort and
 * protocol, with a key's schema default standing in when it is absent). Maps
 * (objects) are granular unless `x-kubernetes-map-type: atomic`.
 *
 * A cursor follows an object's path: for custom resources it walks the CRD's
 * structural schema (properties, additionalProperties, items); for built-in
 * kinds (and every object's metadata) the types come from a table of the
 * Kubernetes OpenAPI's list types by field name. Unknown places default to
 * atomic lists and granular maps, as for a CRD without the extensions.
 */
#include <stdlib.h>
#include <string.h>

#include "apiserver.h"

/* A built-in associative list: field name and its keys. */
typedef struct {
    const char *field;
    const char *keys[FT_MAX_KEYS];
} builtin_map;

static const builtin_map builtin_maps[] = {
    {"containers", {"name"}},
    {"initContainers", {"name"}},
    {"ephemeralContainers", {"name"}},
    {"env", {"name"}},
    {"volumes", {"name"}},
    {"volumeMounts", {"mountPath"}},
    {"volumeDevices", {"devicePath"}},
    {"imagePullSecrets", {"name"}},
    {"resourceClaims", {"name"}},
    {"schedulingGates", {"name"}},
    {"secrets", {"name"}},
    {"hostAliases", {"ip"}},
    {"topologySpreadConstraints", {"topologyKey", "whenUnsatisfiable"}},
    {"ownerReferences", {"uid"}},
    {"conditions", {"type"}},
    {"podIPs", {"ip"}},
    {"hostIPs", {"ip"}},
    {NULL, {NULL}},
};

/* Built-in maps and structs that are one value (mapType/structType atomic). */
static const char *const builtin_atomic_maps[] = {
    "selector",        "nodeSelector",    "podSelector",  "namespaceSelector",
    "labelSelector",   "fieldRef",        "resourceFieldRef", "configMapKeyRef",
    "secretKeyRef",    "configMapRef",    "secretRef",    "roleRef",
    "dataSource",      "dataSourceRef",   NULL,
};

ft_cur ft_root(const api_resource *r)
{
    ft_cur c = {.r = r, .crd = r->crd, .field = ""};
    c.sch = r->crd ? r->schema : NULL;
    return c;
}

/* A schema node's member when it is an object. */
static json_object *obj_member(json_object *sch, const char *key)
{
    json_object *v = jx_get(sch, key);
    return v && json_object_is_type(v, json_type_object) ? v : NULL;
}

ft_cur ft_field(ft_cur c, const char *field)
{
    ft_cur n = c;
    n.field = field;
    if (c.crd && !*c.field && !strcmp(field, "metadata")) { /* the server's own schema */
        n.crd = false;
        n.sch = NULL;
    } else if (c.crd) {
        json_object *p = obj_member(obj_member(c.sch, "properties"), field);
        n.sch = p ? p : obj_member(c.sch, "additionalProperties");
    }
    return n;
}

ft_cur ft_item(ft_cur c)
{
    ft_cur n = c;
    if (c.crd)
        n.sch = obj_member(c.sch, "items");
    return n;
}

/* Built-in list type by field name (and kind, for the lists named "ports"). */
static void builtin_list(ft_cur c, ft_list *out)
{
    const char *f = c.field, *kind = c.r ? c.r->kind : "";
    if (!strcmp(f, "finalizers")) {
        out->kind = FT_SET;
        return;
    }
    if (!strcmp(f, "ports")) {
        if (!strcmp(kind, "NetworkPolicy") || !strcmp(kind, "Endpoints"))
            return;
        out->kind = FT_MAP;
        out->keys[0] = !strcmp(kind, "Service") ? "port" : "containerPort";
        out->keys[1] = "protocol";
        out->defaults[1] = "TCP";
        out->nkeys = 2;
        return;
    }
    for (int i = 0; builtin_maps[i].field; i++) {
        if (strcmp(f, builtin_maps[i].field))
            continue;
        out->kind = FT_MAP;
        for (int k = 0; k < FT_MAX_KEYS && builtin_maps[i].keys[k]; k++)
            out->keys[out->nkeys++] = builtin_maps[i].keys[k];
        return;
    }
}

/* A CRD list's type from its schema node. */
static void schema_list(ft_cur c, ft_list *out)
{
    const char *t = jx_get_str(c.sch, "x-kubernetes-list-type");
    if (t && !strcmp(t, "set"))
        out->kind = FT_SET;
    if (!t || strcmp(t, "map"))
        return;
    json_object *keys = jx_get(c.sch, "x-kubernetes-list-map-keys");
    json_object *props = obj_member(obj_member(c.sch, "items"), "properties");
    if (!keys || !json_object_is_type(keys, json_type_array))
        return;
    out->kind = FT_MAP;
    for (size_t i = 0; i < json_object_array_length(keys) && out->nkeys < FT_MAX_KEYS; i++) {
        const char *k = json_object_get_string(json_object_array_get_idx(keys, i));
        json_object *def = jx_get(obj_member(props, k), "default");
        out->keys[out->nkeys] = k;
        out->defaults[out->nkeys] =
            def && json_object_is_type(def, json_type_string) ? json_object_get_string(def) : NULL;
        out->defaults_json[out->nkeys] = def;
        out->nkeys++;
    }
}

void ft_list_type(ft_cur c, ft_list *out)
{
    memset(out, 0, sizeof *out);
    if (c.crd)
        schema_list(c, out);
    else
        builtin_list(c, out);
}

bool ft_map_atomic(ft_cur c)
{
    if (c.crd) {
        const char *t = jx_get_str(c.sch, "x-kubernetes-map-type");
        return t && !strcmp(t, "atomic");
    }
    for (int i = 0; builtin_atomic_maps[i]; i++)
        if (!strcmp(c.field, builtin_atomic_maps[i]))
            return true;
    return false;
}

json_object *ft_key_value(const ft_list *l, int i, json_object *el)
{
    json_object *v = NULL;
    if (json_object_object_get_ex(el, l->keys[i], &v))
        return v ? json_object_get(v) : NULL;
    if (l->defaults_json[i])
        return json_object_get(l->defaults_json[i]);
    return l->defaults[i] ? json_object_new_string(l->defaults[i]) : NULL;
}

/* qsort comparator for key indexes by key name. */
static const ft_list *sort_list;
static int cmp_key(const void *a, const void *b)
{
    return strcmp(sort_list->keys[*(const int *)a], sort_list->keys[*(const int *)b]);
}

json_object *ft_key_of(const ft_list *l, json_object *el)
{
    int order[FT_MAX_KEYS];
    for (int i = 0; i < l->nkeys; i++)
        order[i] = i;
    sort_list = l; /* requests are serialized by the server lock */
    qsort(order, (size_t)l->nkeys, sizeof *order, cmp_key);
    json_object *k = json_object_new_object();
    for (int i = 0; i < l->nkeys; i++) {
        json_object *v = ft_key_value(l, order[i], el);
        if (v)
            json_object_object_add(k, l->keys[order[i]], v);
    }
    return k;
}

bool ft_key_matches(const ft_list *l, json_object *el, json_object *key)
{
    if (!el || !json_object_is_type(el, json_type_object))
        return false;
    bool all = true;
    for (int i = 0; i < l->nkeys && all; i++) {
        json_object *want = jx_get(key, l->keys[i]), *have = ft_key_value(l, i, el);
        all = gotk_obj_equal(want, have);
        json_object_put(have);
    }
    return all;
}

/* ---- the apply merge ------------------------------------------------------- */

static json_object *merge_value(json_object *base, json_object *cfg, ft_cur c);

/* Whether a live and a configured element are the same element of the list:
 * equal keys (map), or equal values (set). */
static bool same_element(const ft_list *l, json_object *live, json_object *want)
{
    if (l->kind != FT_MAP)
        return gotk_obj_equal(live, want);
    if (!json_object_is_type(want, json_type_object))
        return false;
    json_object *key = ft_key_of(l, want);
    bool same = ft_key_matches(l, live, key);
    json_object_put(key);
    return same;
}

/* Merge two associative lists (map or set) into a new one, ordered as the
 * structured merge orders them: configured elements in their order, live
 * elements the configuration does not name where they stood, shared elements
 * merged in the configuration's order. */
static json_object *merge_assoc(json_object *base, json_object *cfg, const ft_list *l,
                                ft_cur item)
{
    size_t ln = json_object_array_length(base), rn = json_object_array_length(cfg);
    long *l2r = gotk_xcalloc(ln + 1, sizeof *l2r), *r2l = gotk_xcalloc(rn + 1, sizeof *r2l);
    size_t *shared = gotk_xcalloc(rn + 1, sizeof *shared), nshared = 0, si = 0;
    bool *done = gotk_xcalloc(rn + 1, sizeof *done);
    for (size_t i = 0; i < ln; i++)
        l2r[i] = -1;
    for (size_t r = 0; r < rn; r++) {
        r2l[r] = -1;
        for (size_t i = 0; i < ln && r2l[r] < 0; i++)
            if (l2r[i] < 0 && same_element(l, json_object_array_get_idx(base, i),
                                           json_object_array_get_idx(cfg, r))) {
                r2l[r] = (long)i;
                l2r[i] = (long)r;
                shared[nshared++] = r;
            }
    }
    json_object *out = json_object_new_array();
    long next = nshared ? (long)shared[si++] : -1;
    size_t li = 0, ri = 0;
    while (li < ln || ri < rn) {
        json_object *lv = li < ln ? json_object_array_get_idx(base, li) : NULL;
        json_object *rv = ri < rn ? json_object_array_get_idx(cfg, ri) : NULL;
        if (lv && rv && l2r[li] == (long)ri) { /* the same element: merge */
            done[ri] = true;
            json_object_array_add(out, merge_value(json_object_get(lv), rv, item));
            li++, ri++;
            next = si < nshared ? (long)shared[si++] : -1;
            continue;
        }
        if (lv && rv && l2r[li] >= 0 && next >= 0 && r2l[next] != (long)li) {
            li++; /* shared, but its turn comes later */
            continue;
        }
        if (lv && l2r[li] < 0) { /* only live: stays where it is */
            json_object_array_add(out, json_object_get(lv));
            li++;
            continue;
        }
        if (lv && done[l2r[li]]) {
            li++;
            continue;
        }
        if (rv) {
            done[ri] = true;
            json_object *cur = r2l[ri] >= 0 ? json_object_array_get_idx(base, (size_t)r2l[ri]) : NULL;
            json_object_array_add(out, merge_value(cur ? json_object_get(cur) : NULL, rv, item));
            if (next == (long)ri)
                next = si < nshared ? (long)shared[si++] : -1;
            ri++;
        } else {
            li++; /* not reached: a named live element is merged before */
        }
    }
    free(l2r);
    free(r2l);
    free(shared);
    free(done);
    json_object_put(base);
    return out;
}

/* Merge a configured list into the live one (consumed): associative lists
 * element by element, sets by value, atomic lists replaced. */
static json_object *merge_list(json_object *base, json_object *cfg, ft_cur c)
{
    ft_list l;
    ft_list_type(c, &l);
    if (l.kind == FT_ATOMIC || !base || !json_object_is_type(base, json_type_array)) {
        json_object_put(base);
        return gotk_obj_copy(cfg);
    }
    return merge_assoc(base, cfg, &l, ft_item(c));
}

/* Merge a configured map into the live one (consumed). */
static json_object *merge_map(json_object *base, json_object *cfg, ft_cur c)
{
    if (ft_map_atomic(c) || !base || !json_object_is_type(base, json_type_object)) {
        json_object_put(base);
        return gotk_obj_copy(cfg);
    }
    json_object_object_foreach(cfg, k, v)
    {
        if (!v) {
            json_object_object_del(base, k);
            continue;
        }
        json_object *cur = jx_get(base, k);
        json_object_object_add(base, k, merge_value(cur ? json_object_get(cur) : NULL, v,
                                                    ft_field(c, k)));
    }
    return base;
}

/* Merge one configured value over a live one (consumed). */
static json_object *merge_value(json_object *base, json_object *cfg, ft_cur c)
{
    if (cfg && json_object_is_type(cfg, json_type_object))
        return merge_map(base, cfg, c);
    if (cfg && json_object_is_type(cfg, json_type_array))
        return merge_list(base, cfg, c);
    json_object_put(base);
    return gotk_obj_copy(cfg);
}

json_object *ft_apply_merge(const api_resource *r, json_object *base, json_object *cfg)
{
    if (!base || !json_object_is_type(base, json_type_object)) {
        json_object_put(base);
        base = json_object_new_object();
    }
    return merge_map(base, cfg, ft_root(r));
}
