/*
 * kustomize's built-in transformers over a resource map: namespace, name
 * prefix and suffix, labels, annotations, images, replicas, the generated-name
 * hash, and the legacy output order.
 *
 * Each walks the field specs of its class (fieldspec.c) with a small setter.
 * Transformers that rename record the previous id on the resource, which the
 * name-reference pass (nameref.c) uses at the end of the build.
 */
#include <stdlib.h>
#include <string.h>

#include "gotk/regex.h"
#include "internal.h"

/* Setter data: a key (or NULL to set the slot itself) and a value. */
typedef struct {
    const char *key;
    json_object *val; /* borrowed; shared or copied on set (kval_share) */
    bool if_empty;
} kset;

/* kyaml's ErrorIfInvalid: the node kind it wanted, the one it got and its YAML. */
static gotk_err *wrong_kind(const char *want, json_object *got)
{
    const char *kind = json_object_is_type(got, json_type_object)  ? "MappingNode"
                       : json_object_is_type(got, json_type_array) ? "SequenceNode"
                                                                   : "ScalarNode";
    char *yaml = gotk_yaml_to_string(got, 0);
    gotk_err *e = gotk_err_new(GOTK_E_INVALID,
                               "wrong node kind: expected %s but got %s: node contents:\n%s",
                               want, kind, yaml);
    free(yaml);
    return e;
}

/* Set the slot's value, or one key of the map in the slot. */
static gotk_err *set_entry(const kslot *s, void *ud)
{
    kset *k = ud;
    json_object *cur = kslot_get(s);
    if (!k->key) {
        kslot_set(s, kval_share(k->val));
        return NULL;
    }
    if (!cur) {
        cur = json_object_new_object();
        kslot_set(s, cur);
    }
    if (!json_object_is_type(cur, json_type_object))
        return wrong_kind("MappingNode", cur);
    if (!*k->key) /* kyaml sets the map node itself to the value: it must be a scalar */
        return wrong_kind("ScalarNode", cur);
    json_object_object_add(cur, k->key, kval_share(k->val));
    return NULL;
}

/* The scalar text of a kustomization value (strings as is, numbers as YAML). */
static json_object *as_string(json_object *v)
{
    if (!v || json_object_is_type(v, json_type_null))
        return json_object_new_string("");
    if (json_object_is_type(v, json_type_string))
        return json_object_get(v);
    char *s = gotk_yaml_to_string(v, 0);
    size_t n = strlen(s);
    while (n && s[n - 1] == '\n')
        s[--n] = 0;
    json_object *r = json_object_new_string(s);
    free(s);
    return r;
}

/* Set one pair at every matching field spec of resource r, failing as
 * kustomize's field spec filter does. */
static gotk_err *set_pair(kres *r, const kgvk *g, const char *key, json_object *val,
                          const kfslist *specs)
{
    json_object *sv = as_string(val);
    kset ks = {key, sv, false};
    gotk_err *e = NULL;
    for (size_t j = 0; !e && j < specs->n; j++) {
        if (!kfs_matches_gvk(&specs->v[j], g))
            continue;
        e = kfs_apply_spec(r->obj, &specs->v[j], specs->v[j].create, json_type_object, set_entry,
                           &ks);
        if (e) {
            char *id = kres_id_string(r);
            e = gotk_err_wrap(e, "considering field '%s' of object %s", specs->v[j].path, id);
            free(id);
        }
    }
    json_object_put(sv);
    return e;
}

/* Apply kv pairs (a map) at every matching field spec of every resource. An
 * empty key goes first, as it sorts first in kustomize's key order. */
static gotk_err *set_pairs(kmap *m, json_object *pairs, const kfslist *specs)
{
    if (!pairs || !json_object_is_type(pairs, json_type_object))
        return NULL;
    json_object *empty = json_object_object_get(pairs, "");
    for (size_t i = 0; i < m->n; i++) {
        kgvk g;
        kgvk_of(m->v[i]->obj, &g);
        gotk_err *e = empty ? set_pair(m->v[i], &g, "", empty, specs) : NULL;
        json_object_object_foreach(pairs, key, val) {
            if (!e && *key)
                e = set_pair(m->v[i], &g, key, val, specs);
        }
        if (e)
            return e;
    }
    return NULL;
}

gotk_err *kt_labels(kmap *m, json_object *labels, const kfslist *specs)
{
    return set_pairs(m, labels, specs);
}

gotk_err *kt_annotations(kmap *m, json_object *annos, const kfslist *specs)
{
    return set_pairs(m, annos, specs);
}

/* Set `namespace` on RoleBinding subjects: mode 0 those named "default", 1 every
 * ServiceAccount, 2 none; with unset_only only where none is set. */
static void rolebinding_subjects(json_object *o, const char *ns, int mode, bool unset_only)
{
    if (mode == 2)
        return;
    json_object *subs = json_object_object_get(o, "subjects");
    for (size_t i = 0; subs && json_object_is_type(subs, json_type_array) &&
                       i < karr_n(subs); i++) {
        json_object *s = json_object_array_get_idx(subs, i);
        const char *n = gotk_obj_get_str(s, mode == 1 ? "kind" : "name");
        const char *cur = gotk_obj_get_str(s, "namespace");
        if (unset_only && cur && *cur)
            continue;
        if (json_object_is_type(s, json_type_object) && n &&
            !strcmp(n, mode == 1 ? "ServiceAccount" : "default"))
            json_object_object_add(s, "namespace", json_object_new_string(ns));
    }
}

/* Set a scalar (only when empty with unset_only). */
static gotk_err *set_ns(const kslot *s, void *ud)
{
    kset *k = ud;
    json_object *cur = kslot_get(s);
    if (k->if_empty && cur && json_object_is_type(cur, json_type_string) &&
        *json_object_get_string(cur))
        return NULL;
    kslot_set(s, kval_share(k->val));
    return NULL;
}

/* Namespace one resource. */
static gotk_err *namespace_one(kres *r, const char *ns, json_object *nsv, const kfslist *fs,
                               const knsopts *o)
{
    json_object *obj = r->obj;
    const char *kind = kres_kind(r);
    kres_store_prev(r);
    if (!kres_cluster(r)) {
        json_object *md = json_object_object_get(obj, "metadata");
        if (!md || !json_object_is_type(md, json_type_object)) {
            md = json_object_new_object();
            json_object_object_add(obj, "metadata", md);
        }
        const char *cur = gotk_obj_get_str(md, "namespace");
        if (!(o->unset_only && cur && *cur))
            json_object_object_add(md, "namespace", kval_share(nsv));
    }
    if (!strcmp(kind, "RoleBinding") || !strcmp(kind, "ClusterRoleBinding"))
        rolebinding_subjects(obj, ns, o->rb_mode, o->unset_only);
    kset ks = {NULL, nsv, o->unset_only};
    for (size_t j = 0; j < fs->n; j++) {
        const kfspec *f = &fs->v[j];
        if (!strcmp(f->path, "metadata/namespace") ||
            (!strcmp(f->path, "metadata/name") && strcmp(kres_apiversion(r), "v1")))
            continue;
        if (!kfs_matches(f, obj))
            continue;
        gotk_err *e = kfs_apply_spec(obj, f, f->create, json_type_string, set_ns, &ks);
        if (e)
            return gotk_err_wrap(e, "namespace transformation failed");
    }
    return NULL;
}

/* namespace: */
gotk_err *kt_namespace(kmap *m, const char *ns, const kfslist *fs, const knsopts *o)
{
    json_object *nsv = json_object_new_string(ns);
    gotk_err *e = NULL;
    for (size_t i = 0; !e && i < m->n; i++) {
        if (json_object_object_length(m->v[i]->obj) == 0)
            continue;
        e = namespace_one(m->v[i], ns, nsv, fs, o);
    }
    json_object_put(nsv);
    if (e)
        return e;
    kmap_reindex(m);
    if (m->idx.n != m->n)
        return kt_namespace_conflict(m);
    return NULL;
}

/* Setter data for prefix/suffix. */
typedef struct {
    const char *prefix, *suffix;
} kaffix;

/* Prepend/append to a scalar. */
static gotk_err *set_affix(const kslot *s, void *ud)
{
    kaffix *a = ud;
    json_object *cur = kslot_get(s);
    if (!cur || json_object_is_type(cur, json_type_object) ||
        json_object_is_type(cur, json_type_array))
        return NULL;
    char *v = gotk_xasprintf("%s%s%s", a->prefix, json_object_get_string(cur), a->suffix);
    kslot_set(s, json_object_new_string(v));
    free(v);
    return NULL;
}

/* Kinds the prefix/suffix transformers skip. */
static bool affix_skips(const kres *r)
{
    const char *kind = r->nprev ? r->prev[0].kind : kres_kind(r);
    const char *g;
    size_t gl;
    const char *v;
    kres_gvk(r->obj, &g, &gl, &v);
    if (!strcmp(kind, "CustomResourceDefinition") || !strcmp(kind, "Namespace"))
        return true;
    return !strcmp(kind, "APIService") && gl == 22 && !strncmp(g, "apiregistration.k8s.io", gl);
}

/* One pass of the prefix or the suffix transformer. */
static gotk_err *affix_pass(kmap *m, const char *prefix, const char *suffix,
                            const kfslist *fs)
{
    const char *val = *prefix ? prefix : suffix;
    kaffix a = {prefix, suffix};
    for (size_t i = 0; i < m->n; i++) {
        kres *r = m->v[i];
        if (affix_skips(r))
            continue;
        for (size_t j = 0; j < fs->n; j++) {
            if (!kfs_matches(&fs->v[j], r->obj))
                continue;
            if (!strcmp(fs->v[j].path, "metadata/name")) {
                kstrv_push(*prefix ? &r->prefixes : &r->suffixes, val);
                kres_store_prev(r);
            }
            gotk_err *e = kfs_apply_spec(r->obj, &fs->v[j], fs->v[j].create,
                                          json_type_string, set_affix, &a);
            if (e)
                return e;
        }
    }
    return NULL;
}

/* namePrefix: and nameSuffix:. */
gotk_err *kt_prefix_suffix(kmap *m, const char *prefix, const char *suffix,
                           const kfslist *pfs, const kfslist *sfs)
{
    gotk_err *e = NULL;
    if (prefix && *prefix)
        e = affix_pass(m, prefix, "", pfs);
    if (!e && suffix && *suffix)
        e = affix_pass(m, "", suffix, sfs);
    kmap_reindex(m);
    return e;
}

/* ---- images ---------------------------------------------------------------- */

typedef struct {
    const char *name, *new_name, *new_tag, *digest, *tag_suffix;
    gotk_regex *re; /* the name holds regexp syntax beyond '.' */
} kimage;

/* Does the name need a regexp? kustomize pastes it into one unquoted, so a
 * '.' matches any character (handled below) and '*', '(', ... are syntax. */
static bool image_name_is_regexp(const char *name)
{
    return strpbrk(name, "*+?()[]{}|^$\\") != NULL;
}

/* Does s match kustomize's ^name(:tag)?(@sha256:digest)?$ ? */
static bool image_matches(const char *s, const kimage *im)
{
    if (im->re)
        return gotk_regex_match(im->re, s);
    const char *name = im->name;
    size_t nl = strlen(name);
    for (size_t i = 0; i < nl; i++)
        if (!s[i] || (s[i] != name[i] && (name[i] != '.' || s[i] == '\n')))
            return false;
    const char *p = s + nl;
    static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.{}-";
    if (*p == ':') {
        p++;
        p += strspn(p, ok);
    }
    if (!strncmp(p, "@sha256:", 8)) {
        p += 8;
        p += strspn(p, ok);
    }
    return *p == 0;
}

/* kustomize's image.Split: name, tag, digest (copies the caller frees). */
static void image_split(const char *img, char **name, char **tag, char **digest)
{
    const char *search = img;
    const char *slash = strchr(img, '/');
    if (slash && slash > img)
        search = slash;
    const char *at = strchr(search, '@'), *colon = strchr(search, ':');
    *tag = gotk_xstrdup("");
    *digest = gotk_xstrdup("");
    if (!at && !colon) {
        *name = gotk_xstrdup(img);
    } else if (at && (!colon || at < colon)) {
        *name = gotk_xstrndup(img, (size_t)(at - img));
        free(*digest);
        *digest = gotk_xstrdup(at + 1);
    } else if (at) {
        *name = gotk_xstrndup(img, (size_t)(colon - img));
        free(*tag);
        *tag = gotk_xstrndup(colon + 1, (size_t)(at - colon - 1));
        free(*digest);
        *digest = gotk_xstrdup(at + 1);
    } else {
        *name = gotk_xstrndup(img, (size_t)(colon - img));
        free(*tag);
        *tag = gotk_xstrdup(colon + 1);
    }
}

/* The updated image string, or NULL when it does not match. */
static char *image_update(const char *value, const kimage *im)
{
    if (!image_matches(value, im))
        return NULL;
    char *name, *tag, *digest;
    image_split(value, &name, &tag, &digest);
    if (*im->new_name) {
        free(name);
        name = gotk_xstrdup(im->new_name);
    }
    char *nt = NULL, *nd = NULL;
    if (*im->new_tag && *im->digest) {
        nt = gotk_xstrdup(im->new_tag);
        nd = gotk_xstrdup(im->digest);
    } else if (*im->new_tag) {
        nt = gotk_xstrdup(im->new_tag);
        nd = gotk_xstrdup("");
    } else if (*im->digest) {
        nt = gotk_xstrdup("");
        nd = gotk_xstrdup(im->digest);
    } else if (*im->tag_suffix) {
        nt = gotk_xasprintf("%s%s", tag, im->tag_suffix);
        nd = gotk_xstrdup("");
    }
    if (nt) {
        free(tag);
        free(digest);
        tag = nt;
        digest = nd;
    }
    char *r = gotk_xasprintf("%s%s%s%s%s", name, *tag ? ":" : "", tag, *digest ? "@" : "",
                             digest);
    free(name);
    free(tag);
    free(digest);
    return r;
}

/* Setter: update an image scalar. */
static gotk_err *set_image(const kslot *s, void *ud)
{
    json_object *cur = kslot_get(s);
    if (!cur)
        return NULL;
    if (!json_object_is_type(cur, json_type_string))
        return gotk_err_new(GOTK_E_INVALID, "wrong node kind: expected ScalarNode");
    char *n = image_update(json_object_get_string(cur), ud);
    if (n)
        kslot_set(s, json_object_new_string(n));
    free(n);
    return NULL;
}

/* Update `image` in each element of a containers list. */
static void image_containers(json_object *list, const kimage *im)
{
    if (!json_object_is_type(list, json_type_array))
        return;
    for (size_t i = 0; i < karr_n(list); i++) {
        json_object *c = json_object_array_get_idx(list, i);
        json_object *img = c ? json_object_object_get(c, "image") : NULL;
        if (!img || !json_object_is_type(img, json_type_string))
            continue;
        char *n = image_update(json_object_get_string(img), im);
        if (n)
            json_object_object_add(c, "image", json_object_new_string(n));
        free(n);
    }
}

/* kustomize's legacy image filter: every containers/initContainers anywhere. */
static void image_walk(json_object *o, const kimage *im)
{
    if (json_object_is_type(o, json_type_array)) {
        for (size_t i = 0; i < karr_n(o); i++)
            image_walk(json_object_array_get_idx(o, i), im);
        return;
    }
    if (!json_object_is_type(o, json_type_object))
        return;
    json_object_object_foreach(o, key, val) {
        image_walk(val, im);
        if (val && (!strcmp(key, "containers") || !strcmp(key, "initContainers")))
            image_containers(val, im);
    }
}

/* A string field of an images entry, or "". */
static const char *sfield(json_object *o, const char *key)
{
    json_object *v = json_object_object_get(o, key);
    return v ? json_object_get_string(v) : "";
}

/* images: one entry. */
static gotk_err *kt_image_apply(kmap *m, const kimage *imp, const kfslist *specs);

gotk_err *kt_image(kmap *m, json_object *image, const kfslist *specs)
{
    kimage im = {sfield(image, "name"), sfield(image, "newName"), sfield(image, "newTag"),
                 sfield(image, "digest"), sfield(image, "tagSuffix"), NULL};
    if (image_name_is_regexp(im.name)) {
        char *pat = gotk_xasprintf("^%s(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$",
                                   im.name);
        gotk_err *e = gotk_regex_compile(pat, &im.re);
        free(pat);
        if (e) /* kustomize dereferences the nil regexp and panics */
            return gotk_err_wrap(e, "panic: runtime error: invalid memory address or nil "
                                    "pointer dereference: image name \"%s\"", im.name);
    }
    gotk_err *e = kt_image_apply(m, &im, specs);
    gotk_regex_free(im.re);
    return e;
}

/* Run one image rule over every resource. */
static gotk_err *kt_image_apply(kmap *m, const kimage *imp, const kfslist *specs)
{
    kimage im = *imp;
    for (size_t i = 0; i < m->n; i++) {
        json_object *o = m->v[i]->obj;
        if (!strcmp(kres_kind(m->v[i]), "CustomResourceDefinition"))
            continue;
        image_walk(o, &im);
        kgvk g;
        kgvk_of(o, &g);
        for (size_t j = 0; j < specs->n; j++) {
            if (!kfs_matches_gvk(&specs->v[j], &g))
                continue;
            gotk_err *e = kfs_apply_spec(o, &specs->v[j], false, json_type_null, set_image, &im);
            if (e)
                return e;
        }
    }
    return NULL;
}

/* Does any id (current or previous) of r have this name and match the spec? */
static bool replica_match(const kres *r, const char *name, const kfspec *fs)
{
    if (!kfs_matches(fs, r->obj))
        return false;
    if (!strcmp(kres_name(r), name))
        return true;
    for (size_t i = 0; i < r->nprev; i++)
        if (!strcmp(r->prev[i].name, name))
            return true;
    return false;
}

/* replicas: one entry. */
gotk_err *kt_replicas(kmap *m, json_object *replica, const kfslist *specs)
{
    const char *name = sfield(replica, "name");
    json_object *cnt = json_object_object_get(replica, "count");
    json_object *val = json_object_new_int64(cnt ? json_object_get_int64(cnt) : 0);
    kset ks = {NULL, val, false};
    bool found = false;
    gotk_err *e = NULL;
    for (size_t j = 0; !e && j < specs->n; j++)
        for (size_t i = 0; !e && i < m->n; i++)
            if (replica_match(m->v[i], name, &specs->v[j])) {
                found = true;
                e = kfs_apply(m->v[i]->obj, specs->v[j].path, specs->v[j].create,
                              json_type_string, set_entry, &ks);
            }
    json_object_put(val);
    if (!e && !found) {
        gotk_buf b = {0};
        for (size_t j = 0; j < specs->n; j++)
            gotk_buf_printf(&b, "%s%s.%s.%s", j ? " " : "",
                            *specs->v[j].kind ? specs->v[j].kind : "[noKind]",
                            *specs->v[j].version ? specs->v[j].version : "[noVer]",
                            *specs->v[j].group ? specs->v[j].group : "[noGrp]");
        e = gotk_err_new(GOTK_E_NOTFOUND,
                         "resource with name %s does not match a config with the following GVK [%s]",
                         name, b.data ? b.data : "");
        gotk_buf_free(&b);
    }
    return e;
}

/* ---- hashes ---------------------------------------------------------------- */

/* Add "-<hash>" to every generated name that wants it. */
gotk_err *kt_hash_names(kmap *m)
{
    for (size_t i = 0; i < m->n; i++) {
        kres *r = m->v[i];
        if (!r->needs_hash)
            continue;
        char h[11];
        gotk_err *e = kgen_hash(r->obj, h);
        if (e)
            return e;
        kres_store_prev(r);
        char *n = gotk_xasprintf("%s-%s", kres_name(r), h);
        kres_set_name(r, n);
        free(n);
    }
    kmap_reindex(m);
    return NULL;
}

/* ---- legacy order ---------------------------------------------------------- */

static const char *const order_first[] = {
    "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition",
    "ServiceAccount", "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding",
    "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service", "LimitRange",
    "PriorityClass", "PersistentVolume", "PersistentVolumeClaim", "Deployment",
    "StatefulSet", "CronJob", "PodDisruptionBudget",
};
static const char *const order_last[] = {"MutatingWebhookConfiguration",
                                         "ValidatingWebhookConfiguration"};

#define NFIRST (sizeof order_first / sizeof order_first[0])

/* The default legacy rank of a kind (kustomize's Gvk.IsLessThan typeOrders). */
int kkind_order(const char *kind)
{
    for (size_t i = 0; i < NFIRST; i++)
        if (!strcmp(kind, order_first[i]))
            return (int)i - (int)NFIRST;
    for (size_t i = 0; i < 2; i++)
        if (!strcmp(kind, order_last[i]))
            return (int)i + 1;
    return 0;
}

/* The rank of a kind: negative first, 0 unknown, positive last. */
static int kind_rank(const char *kind, json_object *first, json_object *last)
{
    if (first || last) {
        size_t nf = first ? karr_n(first) : 0;
        for (size_t i = 0; i < nf; i++)
            if (!strcmp(kind, kstr(json_object_array_get_idx(first, i))))
                return (int)i - (int)nf;
        for (size_t i = 0; last && i < karr_n(last); i++)
            if (!strcmp(kind, kstr(json_object_array_get_idx(last, i))))
                return (int)i + 1;
        return 0;
    }
    return kkind_order(kind);
}

typedef struct {
    kres *r;
    int rank;
    char *gvk;    /* group_version_kind with ~G/~V/~K */
    char *idstr;  /* Kind.version.group|ns|name with ~X/~N */
    bool nsgroupless;
} ksortkey;

/* Precompute one resource's sort strings. */
static void sort_key(kres *r, ksortkey *k, json_object *first, json_object *last)
{
    const char *g, *v;
    size_t gl;
    kres_gvk(r->obj, &g, &gl, &v);
    const char *kind = kres_kind(r), *ns = kres_ns(r), *name = kres_name(r);
    k->r = r;
    k->rank = kind_rank(kind, first, last);
    k->gvk = gotk_xasprintf("%.*s_%s_%s", gl ? (int)gl : 2, gl ? g : "~G", *v ? v : "~V",
                            *kind ? kind : "~K");
    k->idstr = gotk_xasprintf("%s.%s.%.*s|%s|%s", *kind ? kind : "[noKind]",
                              *v ? v : "[noVer]", gl ? (int)gl : 7, gl ? g : "[noGrp]",
                              *ns ? ns : "~X", *name ? name : "~N");
    k->nsgroupless = !strcmp(kind, "Namespace") && gl == 0;
}

/* kustomize's legacyIDSorter.Less as a qsort comparator. */
static int sort_cmp(const void *pa, const void *pb)
{
    const ksortkey *a = pa, *b = pb;
    int c = strcmp(a->gvk, b->gvk);
    if (c != 0) {
        if (a->rank != b->rank)
            return a->rank < b->rank ? -1 : 1;
        bool ns = !strcmp(kres_kind(a->r), "Namespace") && !strcmp(kres_kind(b->r), "Namespace");
        if (ns && (a->nsgroupless || b->nsgroupless))
            return -c;
        return c;
    }
    return strcmp(a->idstr, b->idstr);
}

/* Reorder m in kustomize's legacy order. */
void ksort_legacy(kmap *m, json_object *first, json_object *last)
{
    ksortkey *keys = gotk_xcalloc(m->n ? m->n : 1, sizeof *keys);
    for (size_t i = 0; i < m->n; i++)
        sort_key(m->v[i], &keys[i], first, last);
    qsort(keys, m->n, sizeof *keys, sort_cmp);
    for (size_t i = 0; i < m->n; i++) {
        m->v[i] = keys[i].r;
        free(keys[i].gvk);
        free(keys[i].idstr);
    }
    free(keys);
}
