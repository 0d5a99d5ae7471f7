/*
 * kustomize resource maps: string lists, a string hash table, resources and
 * their ids, and the ordered resource list indexed by current id.
 *
 * Ids follow kustomize's ResId: group/version/kind, name and the *effective*
 * namespace (cluster-scoped kinds have none, an empty namespace means
 * "default"), so two objects differing only by `namespace: default` vs none
 * collide as they do in kustomize.
 */
#include <stdlib.h>
#include <string.h>
#include <json-c/linkhash.h>

#include "internal.h"

/* Append a copy of str. */
void kstrv_push(kstrv *s, const char *str)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4;
        s->v = gotk_xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = gotk_xstrdup(str);
}

/* Free every string and the array. */
void kstrv_free(kstrv *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* FNV-1a. */
static size_t khash_fn(const char *s)
{
    size_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* The slot holding key, or the empty slot where it would go. */
static size_t khash_slot(const khash *h, const char *key)
{
    size_t i = khash_fn(key) & (h->cap - 1);
    while (h->keys[i] && strcmp(h->keys[i], key))
        i = (i + 1) & (h->cap - 1);
    return i;
}

/* Look a key up; NULL when absent. */
void *khash_get(const khash *h, const char *key)
{
    if (!h->cap)
        return NULL;
    size_t i = khash_slot(h, key);
    return h->keys[i] ? h->vals[i] : NULL;
}

/* Double the table. */
static void khash_grow(khash *h)
{
    khash nh = {0};
    nh.cap = h->cap ? h->cap * 2 : 16;
    nh.keys = gotk_xcalloc(nh.cap, sizeof *nh.keys);
    nh.vals = gotk_xcalloc(nh.cap, sizeof *nh.vals);
    for (size_t i = 0; i < h->cap; i++)
        if (h->keys[i]) {
            size_t j = khash_slot(&nh, h->keys[i]);
            nh.keys[j] = h->keys[i];
            nh.vals[j] = h->vals[i];
            nh.n++;
        }
    free(h->keys);
    free(h->vals);
    *h = nh;
}

/* Insert or replace. */
void khash_put(khash *h, const char *key, void *val)
{
    if ((h->n + 1) * 2 > h->cap)
        khash_grow(h);
    size_t i = khash_slot(h, key);
    if (!h->keys[i]) {
        h->keys[i] = gotk_xstrdup(key);
        h->n++;
    }
    h->vals[i] = val;
}

/* Free keys and table (not the values). */
void khash_free(khash *h)
{
    for (size_t i = 0; i < h->cap; i++)
        free(h->keys[i]);
    free(h->keys);
    free(h->vals);
    memset(h, 0, sizeof *h);
}

/* apiVersion and kind of the types kustomize knows to be cluster-scoped (its
 * precomputed table for the Kubernetes 1.21 OpenAPI it builds in). Other types,
 * custom resources included, are namespaced. */
static const char *const cluster_kinds[] = {
    "admissionregistration.k8s.io/v1 MutatingWebhookConfiguration",
    "admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration",
    "admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration",
    "admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration",
    "apiextensions.k8s.io/v1 CustomResourceDefinition",
    "apiextensions.k8s.io/v1beta1 CustomResourceDefinition",
    "apiregistration.k8s.io/v1 APIService",
    "apiregistration.k8s.io/v1beta1 APIService",
    "certificates.k8s.io/v1 CertificateSigningRequest",
    "certificates.k8s.io/v1beta1 CertificateSigningRequest",
    "flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema",
    "flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration",
    "networking.k8s.io/v1 IngressClass",
    "networking.k8s.io/v1beta1 IngressClass",
    "node.k8s.io/v1 RuntimeClass",
    "node.k8s.io/v1beta1 RuntimeClass",
    "policy/v1beta1 PodSecurityPolicy",
    "rbac.authorization.k8s.io/v1 ClusterRole",
    "rbac.authorization.k8s.io/v1 ClusterRoleBinding",
    "rbac.authorization.k8s.io/v1beta1 ClusterRole",
    "rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding",
    "scheduling.k8s.io/v1 PriorityClass",
    "scheduling.k8s.io/v1beta1 PriorityClass",
    "storage.k8s.io/v1 CSIDriver",
    "storage.k8s.io/v1 CSINode",
    "storage.k8s.io/v1 StorageClass",
    "storage.k8s.io/v1 VolumeAttachment",
    "storage.k8s.io/v1beta1 CSIDriver",
    "storage.k8s.io/v1beta1 CSINode",
    "storage.k8s.io/v1beta1 StorageClass",
    "storage.k8s.io/v1beta1 VolumeAttachment",
    "v1 ComponentStatus",
    "v1 Namespace",
    "v1 Node",
    "v1 NodeProxyOptions",
    "v1 PersistentVolume",
    NULL,
};

/* Is "apiVersion kind" one of the cluster-scoped types? */
bool kav_cluster_scoped(const char *apiversion, const char *kind)
{
    size_t al = apiversion ? strlen(apiversion) : 0;
    for (size_t i = 0; cluster_kinds[i]; i++) {
        const char *sp = strchr(cluster_kinds[i], ' ');
        if ((size_t)(sp - cluster_kinds[i]) == al && !strncmp(cluster_kinds[i], apiversion, al) &&
            !strcmp(sp + 1, kind ? kind : ""))
            return true;
    }
    return false;
}

/* Is (group, kind) cluster-scoped in any version? (For selectors without one.) */
bool kgk_cluster_scoped(const char *group, size_t glen, const char *kind)
{
    for (size_t i = 0; cluster_kinds[i]; i++) {
        const char *sp = strchr(cluster_kinds[i], ' ');
        const char *slash = memchr(cluster_kinds[i], '/', (size_t)(sp - cluster_kinds[i]));
        size_t gl = slash ? (size_t)(slash - cluster_kinds[i]) : 0;
        if (gl == glen && !strncmp(cluster_kinds[i], group, glen) && !strcmp(sp + 1, kind))
            return true;
    }
    return false;
}

/* kustomize's EffectiveNamespace. */
const char *keff_ns(const char *apiversion, const char *kind, const char *ns)
{
    if (kav_cluster_scoped(apiversion, kind))
        return "_non_namespaceable_";
    if (!ns || !*ns)
        return "default";
    return ns;
}

/* A resource's effective namespace. */
const char *kres_eff_ns(const kres *r)
{
    return keff_ns(kres_apiversion(r), kres_kind(r), kres_ns(r));
}

/* Is the resource of a cluster-scoped kind? */
bool kres_cluster(const kres *r)
{
    return kav_cluster_scoped(kres_apiversion(r), kres_kind(r));
}

/* A string field of an object, or "". */
static const char *str_at(json_object *o, const char *dotted)
{
    const char *s = gotk_obj_get_str(o, dotted);
    return s ? s : "";
}

const char *kres_kind(const kres *r) { return str_at(r->obj, "kind"); }
const char *kres_name(const kres *r) { return str_at(r->obj, "metadata.name"); }
const char *kres_ns(const kres *r) { return str_at(r->obj, "metadata.namespace"); }
const char *kres_apiversion(const kres *r) { return str_at(r->obj, "apiVersion"); }

/* Split apiVersion into group (pointer+length) and version. */
void kres_gvk(json_object *o, const char **group, size_t *glen, const char **version)
{
    const char *av = str_at(o, "apiVersion");
    const char *slash = strchr(av, '/');
    if (slash) {
        *group = av;
        *glen = (size_t)(slash - av);
        *version = slash + 1;
    } else {
        *group = "";
        *glen = 0;
        *version = av;
    }
}

/* Id as kustomize prints it: Kind.version.group/name.namespace */
char *kres_id_string(const kres *r)
{
    const char *g, *v;
    size_t gl;
    kres_gvk(r->obj, &g, &gl, &v);
    const char *k = kres_kind(r), *n = kres_name(r), *ns = kres_ns(r);
    return gotk_xasprintf("%s.%s.%.*s/%s.%s", *k ? k : "[noKind]", *v ? v : "[noVer]",
                          gl ? (int)gl : 7, gl ? g : "[noGrp]", *n ? n : "[noName]",
                          *ns ? ns : "[noNs]");
}

/* The hash key of the current id: group|version|kind|effective ns|name. */
char *kres_key(const kres *r)
{
    const char *g, *v;
    size_t gl;
    kres_gvk(r->obj, &g, &gl, &v);
    return gotk_xasprintf("%.*s|%s|%s|%s|%s", (int)gl, g, v, kres_kind(r),
                          kres_eff_ns(r), kres_name(r));
}

/* Record the current id as a previous id. */
void kres_store_prev(kres *r)
{
    r->prev = gotk_xrealloc(r->prev, (r->nprev + 1) * sizeof *r->prev);
    kprev *p = &r->prev[r->nprev++];
    p->name = gotk_xstrdup(kres_name(r));
    p->ns = gotk_xstrdup(kres_eff_ns(r));
    p->kind = gotk_xstrdup(kres_kind(r));
}

/* The original name. */
const char *kres_org_name(const kres *r)
{
    return r->nprev ? r->prev[0].name : kres_name(r);
}

/* The original effective namespace. */
const char *kres_org_ns_eff(const kres *r)
{
    return r->nprev ? r->prev[0].ns : kres_eff_ns(r);
}

/* kustomize's Gvk.IsSelected: empty selector fields match anything. */
bool kgvk_selected(const char *g, const char *v, const char *k, const char *sg,
                   const char *sv, const char *sk)
{
    if (sg && *sg && strcmp(g, sg))
        return false;
    if (sv && *sv && strcmp(v, sv))
        return false;
    if (sk && *sk && strcmp(k, sk))
        return false;
    return true;
}

/* A resource owning obj. */
/* json-c gives every object a 16-slot hash table (640 bytes) and every array
 * 32 slots whatever their sizes; most Kubernetes maps hold 1-4 keys. Resizing
 * each to fit (json-c grows them again on insert) cuts a large build's memory
 * by a third. */
static void compact_table(json_object *o)
{
    struct lh_table *t = json_object_get_object(o);
    /* the smallest size json-c re-inserts `count` keys into without growing */
    int want = (int)((t->count > 0 ? t->count - 1 : 0) / LH_LOAD_FACTOR) + 1;
    if (want < 2)
        want = 2;
    if (want < t->size)
        lh_table_resize(t, want);
}

void kobj_compact(json_object *o)
{
    if (json_object_is_type(o, json_type_object)) {
        compact_table(o);
        json_object_object_foreach(o, k, v) {
            (void)k;
            kobj_compact(v);
        }
    } else if (json_object_is_type(o, json_type_array)) {
        json_object_array_shrink(o, 0); /* arrays start with 32 slots */
        for (size_t i = 0; i < json_object_array_length(o); i++)
            kobj_compact(json_object_array_get_idx(o, i));
    }
}

/* Scalars are never changed in place in gotk (no json_object_set_* calls), so
 * one value set on thousands of objects (a namespace, a label) is shared by
 * reference; maps and lists are copied, as they may be changed later. */
json_object *kval_share(json_object *v)
{
    if (json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array))
        return gotk_obj_copy(v);
    return json_object_get(v);
}

json_object *kobj_new_small(void)
{
    json_object *o = json_object_new_object();
    compact_table(o);
    return o;
}

kres *kres_new(json_object *obj)
{
    kobj_compact(obj);
    kres *r = gotk_xcalloc(1, sizeof *r);
    r->obj = obj;
    return r;
}

/* Free a resource and its object. */
void kres_free(kres *r)
{
    if (!r)
        return;
    json_object_put(r->obj);
    for (size_t i = 0; i < r->nprev; i++) {
        free(r->prev[i].name);
        free(r->prev[i].ns);
        free(r->prev[i].kind);
    }
    free(r->prev);
    kstrv_free(&r->prefixes);
    kstrv_free(&r->suffixes);
    free(r->origin);
    free(r->transforms);
    kstrv_free(&r->refvars);
    free(r->dup_labels);
    free(r);
}

/* Set metadata.name. */
void kres_set_name(kres *r, const char *name)
{
    gotk_err *e = gotk_obj_setp(r->obj, "metadata.name", json_object_new_string(name));
    gotk_err_free(e);
}

/* Append r, failing when its id is already registered. */
gotk_err *kmap_append(kmap *m, kres *r)
{
    char *key = kres_key(r);
    if (khash_get(&m->idx, key)) {
        char *id = kres_id_string(r);
        gotk_err *e = gotk_err_new(GOTK_E_CONFLICT,
                                   "may not add resource with an already registered id: %s", id);
        free(id);
        free(key);
        kres_free(r);
        return e;
    }
    khash_put(&m->idx, key, r);
    free(key);
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->v = gotk_xrealloc(m->v, m->cap * sizeof *m->v);
    }
    m->v[m->n++] = r;
    return NULL;
}

/* The resource with the same current id as `like`, or NULL. */
kres *kmap_find(kmap *m, const kres *like)
{
    char *key = kres_key(like);
    kres *r = khash_get(&m->idx, key);
    free(key);
    return r;
}

/* Rebuild the index from the list. */
void kmap_reindex(kmap *m)
{
    khash_free(&m->idx);
    for (size_t i = 0; i < m->n; i++) {
        char *key = kres_key(m->v[i]);
        khash_put(&m->idx, key, m->v[i]);
        free(key);
    }
}

/* Remove and free entry i, keeping order. */
void kmap_remove(kmap *m, size_t i)
{
    kres_free(m->v[i]);
    memmove(&m->v[i], &m->v[i + 1], (m->n - i - 1) * sizeof *m->v);
    m->n--;
    kmap_reindex(m);
}

/* Free all resources. */
void kmap_free(kmap *m)
{
    for (size_t i = 0; i < m->n; i++)
        kres_free(m->v[i]);
    free(m->v);
    khash_free(&m->idx);
    memset(m, 0, sizeof *m);
}
