/*
 * kustomize field specs: where each transformer writes in each kind, and the
 * walker that applies a setter at a field-spec path.
 *
 * The tables below restate kustomize's built-in configuration (which fields hold
 * labels, selectors, namespaces, images, replicas, and which fields refer to a
 * ConfigMap, Secret, ServiceAccount, ... by name) as compact C rows. A path is
 * "/"-separated, "\/" escapes a slash inside a key, and a "[]" suffix marks a
 * list; lists met on the way are walked element by element, as kustomize does.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct {
    const char *g, *v, *k, *path;
    bool create;
} fsrow;

/* Labels on metadata and pod templates (used by commonLabels and templates). */
static const fsrow metadata_labels[] = {
    {"", "", "", "metadata/labels", true},
    {"", "v1", "ReplicationController", "spec/template/metadata/labels", true},
    {"", "", "Deployment", "spec/template/metadata/labels", true},
    {"", "", "ReplicaSet", "spec/template/metadata/labels", true},
    {"", "", "DaemonSet", "spec/template/metadata/labels", true},
    {"apps", "", "StatefulSet", "spec/template/metadata/labels", true},
    {"apps", "", "StatefulSet", "spec/volumeClaimTemplates[]/metadata/labels", true},
    {"batch", "", "Job", "spec/template/metadata/labels", true},
    {"batch", "", "CronJob", "spec/jobTemplate/metadata/labels", true},
    {"batch", "", "CronJob", "spec/jobTemplate/spec/template/metadata/labels", true},
    {NULL, NULL, NULL, NULL, false},
};

#define AFF "spec/template/spec/affinity/"
/* Selectors that commonLabels also writes. */
static const fsrow selector_labels[] = {
    {"", "v1", "Service", "spec/selector", true},
    {"", "v1", "ReplicationController", "spec/selector", true},
    {"", "", "Deployment", "spec/selector/matchLabels", true},
    {"apps", "", "Deployment", AFF "podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false},
    {"apps", "", "Deployment", AFF "podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false},
    {"apps", "", "Deployment", AFF "podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false},
    {"apps", "", "Deployment", AFF "podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false},
    {"apps", "", "Deployment", "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", false},
    {"", "", "ReplicaSet", "spec/selector/matchLabels", true},
    {"", "", "DaemonSet", "spec/selector/matchLabels", true},
    {"apps", "", "StatefulSet", "spec/selector/matchLabels", true},
    {"apps", "", "StatefulSet", AFF "podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false},
    {"apps", "", "StatefulSet", AFF "podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false},
    {"apps", "", "StatefulSet", AFF "podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false},
    {"apps", "", "StatefulSet", AFF "podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false},
    {"apps", "", "StatefulSet", "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", false},
    {"batch", "", "Job", "spec/selector/matchLabels", false},
    {"batch", "", "CronJob", "spec/jobTemplate/spec/selector/matchLabels", false},
    {"policy", "", "PodDisruptionBudget", "spec/selector/matchLabels", false},
    {"networking.k8s.io", "", "NetworkPolicy", "spec/podSelector/matchLabels", false},
    {"networking.k8s.io", "", "NetworkPolicy", "spec/ingress/from/podSelector/matchLabels", false},
    {"networking.k8s.io", "", "NetworkPolicy", "spec/egress/to/podSelector/matchLabels", false},
    {NULL, NULL, NULL, NULL, false},
};

/* commonAnnotations. */
static const fsrow annotations[] = {
    {"", "", "", "metadata/annotations", true},
    {"", "v1", "ReplicationController", "spec/template/metadata/annotations", true},
    {"", "", "Deployment", "spec/template/metadata/annotations", true},
    {"", "", "ReplicaSet", "spec/template/metadata/annotations", true},
    {"", "", "DaemonSet", "spec/template/metadata/annotations", true},
    {"", "", "StatefulSet", "spec/template/metadata/annotations", true},
    {"batch", "", "Job", "spec/template/metadata/annotations", true},
    {"batch", "", "CronJob", "spec/jobTemplate/metadata/annotations", true},
    {"batch", "", "CronJob", "spec/jobTemplate/spec/template/metadata/annotations", true},
    {NULL, NULL, NULL, NULL, false},
};

/* namespace (metadata/namespace itself is handled by the transformer). */
static const fsrow namespaces[] = {
    {"", "", "Namespace", "metadata/name", true},
    {"apiregistration.k8s.io", "", "APIService", "spec/service/namespace", true},
    {"apiextensions.k8s.io", "", "CustomResourceDefinition",
     "spec/conversion/webhook/clientConfig/service/namespace", false},
    {NULL, NULL, NULL, NULL, false},
};

static const fsrow names[] = {
    {"", "", "", "metadata/name", false},
    {NULL, NULL, NULL, NULL, false},
};

static const fsrow images[] = {
    {"", "", "", "spec/containers[]/image", true},
    {"", "", "", "spec/initContainers[]/image", true},
    {"", "", "", "spec/template/spec/containers[]/image", true},
    {"", "", "", "spec/template/spec/initContainers[]/image", true},
    {NULL, NULL, NULL, NULL, false},
};

static const fsrow replicas[] = {
    {"", "", "Deployment", "spec/replicas", true},
    {"", "", "ReplicationController", "spec/replicas", true},
    {"", "", "ReplicaSet", "spec/replicas", true},
    {"", "", "StatefulSet", "spec/replicas", true},
    {NULL, NULL, NULL, NULL, false},
};

static const fsrow varrefs[] = {
#include "varref_table.inc"
    {NULL, NULL, NULL, NULL, false},
};

/* Name references: target group, version, kind; referrer group, version, kind, path. */
static const char *const namerefs[][7] = {
#include "nameref_table.inc"
};

static void split_path(const char *path, kstrv *out);
static void kconfig_raw_default(kconfig *c);

/* Append one field spec. */
void kfslist_add(kfslist *l, const char *g, const char *v, const char *k, const char *path,
                 bool create)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = gotk_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n] = (kfspec){g ? g : "", v ? v : "", k ? k : "", path, create, {0}};
    split_path(path, &l->v[l->n].segs);
    l->n++;
}

/* kustomize's FieldSpec.effectivelyEquals: same path, and x's gvk is selected
 * by y's (so a general spec arriving after a specific one is dropped). */
static bool fs_covered(const kfspec *x, const kfspec *y)
{
    return !strcmp(x->path, y->path) &&
           kgvk_selected(x->group, x->version, x->kind, y->group, y->version, y->kind);
}

/* Merge add into into as kustomize's FsSlice.MergeAll does. */
bool kfslist_merge(kfslist *into, const kfslist *add)
{
    bool conflict = false;
    for (size_t i = 0; i < add->n; i++) {
        size_t j = 0;
        while (j < into->n && !fs_covered(&into->v[j], &add->v[i]))
            j++;
        if (j < into->n)
            conflict |= into->v[j].create != add->v[i].create;
        else
            kfslist_add(into, add->v[i].group, add->v[i].version, add->v[i].kind,
                        add->v[i].path, add->v[i].create);
    }
    return conflict;
}

/* Append add as it is (kustomize takes a new gvk's name references whole). */
static void kfslist_append(kfslist *into, const kfslist *add)
{
    for (size_t i = 0; i < add->n; i++)
        kfslist_add(into, add->v[i].group, add->v[i].version, add->v[i].kind, add->v[i].path,
                    add->v[i].create);
}

/* kustomize's Gvk.IsLessThan: legacy kind order, then "group_version_kind". */
static int gvk_cmp(const char *g1, const char *v1, const char *k1, const char *g2,
                   const char *v2, const char *k2)
{
    int r1 = kkind_order(k1), r2 = kkind_order(k2);
    if (r1 != r2)
        return r1 < r2 ? -1 : 1;
    const char *a[3] = {*g1 ? g1 : "~G", *v1 ? v1 : "~V", *k1 ? k1 : "~K"};
    const char *b[3] = {*g2 ? g2 : "~G", *v2 ? v2 : "~V", *k2 ? k2 : "~K"};
    char *sa = gotk_xasprintf("%s_%s_%s", a[0], a[1], a[2]);
    char *sb = gotk_xasprintf("%s_%s_%s", b[0], b[1], b[2]);
    int c = strcmp(sa, sb);
    free(sa);
    free(sb);
    return c;
}

/* Stable sort of a spec list by gvk (insertion sort: the lists are short). */
static void kfslist_sort(kfslist *l)
{
    for (size_t i = 1; i < l->n; i++)
        for (size_t j = i; j > 0; j--) {
            kfspec *a = &l->v[j - 1], *b = &l->v[j];
            if (gvk_cmp(a->group, a->version, a->kind, b->group, b->version, b->kind) <= 0)
                break;
            kfspec t = *a;
            *a = *b;
            *b = t;
        }
}

/* Sort every list and the name references (kustomize's sortFields). */
static void kconfig_sort(kconfig *c)
{
    for (int i = 0; i < KFS_NCLASSES; i++)
        kfslist_sort(&c->fs[i]);
    for (size_t i = 1; i < c->nnr; i++)
        for (size_t j = i; j > 0; j--) {
            knameref *a = &c->nr[j - 1], *b = &c->nr[j];
            if (gvk_cmp(a->group, a->version, a->kind, b->group, b->version, b->kind) <= 0)
                break;
            knameref t = *a;
            *a = *b;
            *b = t;
        }
}

void kfslist_free(kfslist *l)
{
    for (size_t i = 0; i < l->n; i++)
        kstrv_free(&l->v[i].segs);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Append a static table. */
static void add_rows(kfslist *l, const fsrow *rows)
{
    for (; rows->path; rows++)
        kfslist_add(l, rows->g, rows->v, rows->k, rows->path, rows->create);
}

/* The name-reference entry for a target gvk, created when missing. */
static knameref *nameref_for(kconfig *c, const char *g, const char *v, const char *k)
{
    for (size_t i = 0; i < c->nnr; i++)
        if (!strcmp(c->nr[i].group, g) && !strcmp(c->nr[i].version, v) &&
            !strcmp(c->nr[i].kind, k))
            return &c->nr[i];
    c->nr = gotk_xrealloc(c->nr, (c->nnr + 1) * sizeof *c->nr);
    knameref *n = &c->nr[c->nnr++];
    memset(n, 0, sizeof *n);
    n->group = g;
    n->version = v;
    n->kind = k;
    return n;
}

/* kustomize's default transformer configuration. */
void kconfig_default(kconfig *c)
{
    kconfig_raw_default(c);
    kconfig_sort(c);
}

/* The default tables in their written order. */
static void kconfig_raw_default(kconfig *c)
{
    memset(c, 0, sizeof *c);
    add_rows(&c->fs[KFS_COMMON_LABELS], selector_labels);
    add_rows(&c->fs[KFS_COMMON_LABELS], metadata_labels);
    add_rows(&c->fs[KFS_TEMPLATE_LABELS], metadata_labels);
    add_rows(&c->fs[KFS_ANNOTATIONS], annotations);
    add_rows(&c->fs[KFS_NAMESPACE], namespaces);
    add_rows(&c->fs[KFS_PREFIX], names);
    add_rows(&c->fs[KFS_SUFFIX], names);
    add_rows(&c->fs[KFS_IMAGES], images);
    add_rows(&c->fs[KFS_REPLICAS], replicas);
    add_rows(&c->fs[KFS_VARREF], varrefs);
    for (size_t i = 0; i < sizeof namerefs / sizeof namerefs[0]; i++) {
        const char *const *r = namerefs[i];
        knameref *n = nameref_for(c, r[0], r[1], r[2]);
        kfslist_add(&n->refs, r[3], r[4], r[5], r[6], false);
    }
}

void kconfig_free(kconfig *c)
{
    for (int i = 0; i < KFS_NCLASSES; i++)
        kfslist_free(&c->fs[i]);
    for (size_t i = 0; i < c->nnr; i++)
        kfslist_free(&c->nr[i].refs);
    free(c->nr);
    kstrv_free(&c->owned);
    memset(c, 0, sizeof *c);
}

/* Merge a sub-level's configuration into c (kustomize's MergeConfig), taking
 * over the strings sub owns; sub is freed. */
const char *kconfig_absorb(kconfig *c, kconfig *sub)
{
    /* kustomize's TransformerConfig.Merge order, for which conflict is named */
#define FAILED(name) "failed to merge " name " fieldSpec: conflicting fieldspecs"
    static const struct { int cls; const char *msg; } order[] = {
        {KFS_PREFIX, FAILED("NamePrefix")}, {KFS_SUFFIX, FAILED("NameSuffix")},
        {KFS_NAMESPACE, FAILED("NameSpace")}, {KFS_ANNOTATIONS, FAILED("CommonAnnotations")},
        {KFS_COMMON_LABELS, FAILED("CommonLabels")}, {KFS_LABELS, FAILED("Labels")},
        {KFS_TEMPLATE_LABELS, FAILED("TemplateLabels")}, {KFS_VARREF, FAILED("VarReference")},
        {-1, FAILED("NameReference")}, {KFS_IMAGES, FAILED("Images")},
        {KFS_REPLICAS, FAILED("Replicas")},
    };
#undef FAILED
    const char *failed = NULL;
    for (size_t o = 0; o < sizeof order / sizeof order[0]; o++) {
        bool conflict = false;
        for (size_t i = 0; order[o].cls < 0 && i < sub->nnr; i++) {
            size_t had = c->nnr;
            knameref *n = nameref_for(c, sub->nr[i].group, sub->nr[i].version, sub->nr[i].kind);
            if (c->nnr > had)
                kfslist_append(&n->refs, &sub->nr[i].refs);
            else
                conflict |= kfslist_merge(&n->refs, &sub->nr[i].refs);
        }
        if (order[o].cls >= 0)
            conflict = kfslist_merge(&c->fs[order[o].cls], &sub->fs[order[o].cls]);
        if (conflict && !failed)
            failed = order[o].msg;
    }
    for (size_t i = 0; i < sub->owned.n; i++) {
        if (c->owned.n == c->owned.cap) {
            c->owned.cap = c->owned.cap ? c->owned.cap * 2 : 8;
            c->owned.v = gotk_xrealloc(c->owned.v, c->owned.cap * sizeof *c->owned.v);
        }
        c->owned.v[c->owned.n++] = sub->owned.v[i];
    }
    sub->owned.n = 0;
    kconfig_free(sub);
    kconfig_sort(c);
    return failed;
}

/* Keep a copy of s alive as long as the config. */
static const char *intern(kconfig *c, json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return "";
    kstrv_push(&c->owned, json_object_get_string(v));
    return c->owned.v[c->owned.n - 1];
}

/* Field specs from a list in a configuration document, sorted when kustomize
 * sorts them (not a name reference's); merging, with its checks, comes after. */
static void load_specs(kconfig *c, json_object *arr, kfslist *into, bool sort)
{
    if (!arr || !json_object_is_type(arr, json_type_array))
        return;
    kfslist add = {0};
    for (size_t i = 0; i < karr_n(arr); i++) {
        json_object *f = json_object_array_get_idx(arr, i);
        json_object *cr = NULL;
        json_object_object_get_ex(f, "create", &cr);
        kfslist_add(&add, intern(c, f, "group"), intern(c, f, "version"),
                    intern(c, f, "kind"), intern(c, f, "path"), cr && json_object_get_boolean(cr));
    }
    if (sort)
        kfslist_sort(&add);
    kfslist_append(into, &add);
    kfslist_free(&add);
}

void kconfig_merge_doc(kconfig *c, json_object *doc)
{
    static const struct { const char *key; int cls; } keys[] = {
        {"commonLabels", KFS_COMMON_LABELS}, {"templateLabels", KFS_TEMPLATE_LABELS},
        {"commonAnnotations", KFS_ANNOTATIONS}, {"namespace", KFS_NAMESPACE},
        {"namePrefix", KFS_PREFIX}, {"nameSuffix", KFS_SUFFIX},
        {"images", KFS_IMAGES}, {"replicas", KFS_REPLICAS}, {"varReference", KFS_VARREF},
        {"labels", KFS_LABELS},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        load_specs(c, json_object_object_get(doc, keys[i].key), &c->fs[keys[i].cls], true);
    json_object *nr = json_object_object_get(doc, "nameReference");
    for (size_t i = 0; nr && json_object_is_type(nr, json_type_array) &&
                       i < karr_n(nr); i++) {
        json_object *t = json_object_array_get_idx(nr, i);
        knameref *n = nameref_for(c, intern(c, t, "group"), intern(c, t, "version"),
                                  intern(c, t, "kind"));
        load_specs(c, json_object_object_get(t, "fieldSpecs"), &n->refs, false);
    }
    kconfig_sort(c);
}

/* An object's group, version and kind. */
void kgvk_of(json_object *o, kgvk *out)
{
    const char *g;
    size_t gl;
    kres_gvk(o, &g, &gl, &out->version);
    if (gl >= sizeof out->group)
        gl = sizeof out->group - 1;
    memcpy(out->group, g, gl);
    out->group[gl] = 0;
    json_object *k = json_object_object_get(o, "kind");
    out->kind = k && json_object_is_type(k, json_type_string) ? json_object_get_string(k) : "";
}

/* Does the spec's gvk select this gvk? */
bool kfs_matches_gvk(const kfspec *fs, const kgvk *g)
{
    if (*fs->kind && strcmp(fs->kind, g->kind))
        return false;
    if (*fs->group && strcmp(fs->group, g->group))
        return false;
    return !*fs->version || !strcmp(fs->version, g->version);
}

/* Does the spec's gvk select the object? */
bool kfs_matches(const kfspec *fs, json_object *obj)
{
    kgvk g;
    kgvk_of(obj, &g);
    return kfs_matches_gvk(fs, &g);
}

json_object *kslot_get(const kslot *s)
{
    if (json_object_is_type(s->parent, json_type_array))
        return json_object_array_get_idx(s->parent, s->idx);
    return json_object_object_get(s->parent, s->key);
}

void kslot_set(const kslot *s, json_object *v)
{
    if (json_object_is_type(s->parent, json_type_array))
        json_object_array_put_idx(s->parent, s->idx, v);
    else
        json_object_object_add(s->parent, s->key, v);
}

/* Split a path at unescaped slashes ("a\/b" is one key "a/b"). */
static void split_path(const char *path, kstrv *out)
{
    gotk_buf b = {0};
    for (const char *p = path;; p++) {
        if (*p == '\\' && p[1] == '/') {
            gotk_buf_putc(&b, '/');
            p++;
        } else if (*p == '/' || !*p) {
            kstrv_push(out, b.data ? b.data : "");
            b.len = 0;
            if (b.data)
                b.data[0] = 0;
            if (!*p)
                break;
        } else {
            gotk_buf_putc(&b, *p);
        }
    }
    gotk_buf_free(&b);
}

typedef struct {
    const kstrv *segs;
    bool create;
    json_type last;
    kfs_fn fn;
    void *ud;
} walk;

static gotk_err *walk_node(walk *w, const kslot *s, size_t i);

/* One map step: look the key up, creating it when asked. */
static gotk_err *walk_map(walk *w, json_object *obj, size_t i)
{
    const char *seg = w->segs->v[i];
    size_t sl = strlen(seg);
    bool seq = sl >= 2 && !strcmp(seg + sl - 2, "[]");
    char *name = gotk_xstrndup(seg, seq ? sl - 2 : sl);
    bool mk = w->create && w->last != json_type_null && !seq;
    json_type kind = i + 1 == w->segs->n ? w->last : json_type_object;
    json_object *f = NULL;
    bool have = json_object_object_get_ex(obj, name, &f);
    if ((!have || !f) && mk) {
        json_object_object_add(obj, name, kind == json_type_object ? kobj_new_small()
                                                                   : json_object_new_string(""));
        have = true;
    } else if (!have) {
        free(name);
        return NULL;
    }
    kslot s = {obj, name, 0};
    gotk_err *e = walk_node(w, &s, i + 1);
    free(name);
    return e;
}

/* Walk from the value at s through the remaining segments. */
static gotk_err *walk_node(walk *w, const kslot *s, size_t i)
{
    if (i == w->segs->n)
        return w->fn(s, w->ud);
    json_object *o = kslot_get(s);
    if (!o)
        return NULL;
    if (json_object_is_type(o, json_type_array)) {
        for (size_t j = 0; j < karr_n(o); j++) {
            kslot es = {o, NULL, j};
            gotk_err *e = walk_node(w, &es, i);
            if (e)
                return e;
        }
        return NULL;
    }
    if (json_object_is_type(o, json_type_object))
        return walk_map(w, o, i);
    return gotk_err_new(GOTK_E_INVALID, "expected sequence or mapping node");
}

/* Apply fn at path in obj. */
gotk_err *kfs_apply(json_object *obj, const char *path, bool create, json_type create_last,
                    kfs_fn fn, void *ud)
{
    kstrv segs = {0};
    split_path(path, &segs);
    walk w = {&segs, create, create_last, fn, ud};
    gotk_err *e = NULL;
    if (segs.n && json_object_is_type(obj, json_type_object))
        e = walk_map(&w, obj, 0);
    kstrv_free(&segs);
    return e;
}

/* Apply fn at a spec's pre-split path. */
gotk_err *kfs_apply_spec(json_object *obj, const kfspec *fs, bool create, json_type create_last,
                         kfs_fn fn, void *ud)
{
    walk w = {&fs->segs, create, create_last, fn, ud};
    if (!fs->segs.n || !json_object_is_type(obj, json_type_object))
        return NULL;
    return walk_map(&w, obj, 0);
}

/* A gvk as kustomize's Gvk.String: kind.version.group, placeholders for empties. */
static void put_gvk(gotk_buf *b, const char *g, const char *v, const char *k)
{
    gotk_buf_printf(b, "%s.%s.%s", *k ? k : "[noKind]", *v ? v : "[noVer]", *g ? g : "[noGrp]");
}

/* Go's %v of a field spec list, each as FieldSpec.String. */
static void put_specs(gotk_buf *b, const kfslist *l, const char *sep)
{
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            gotk_buf_puts(b, sep);
        put_gvk(b, l->v[i].group, l->v[i].version, l->v[i].kind);
        gotk_buf_printf(b, ":%s:%s", l->v[i].create ? "true" : "false", l->v[i].path);
    }
}

char *kconfig_go_string(const kconfig *c)
{
    static const int before[] = {KFS_PREFIX, KFS_SUFFIX, KFS_NAMESPACE, KFS_COMMON_LABELS,
                                 KFS_LABELS, KFS_TEMPLATE_LABELS, KFS_ANNOTATIONS};
    static const int after[] = {KFS_VARREF, KFS_IMAGES, KFS_REPLICAS};
    gotk_buf b = {0};
    gotk_buf_puts(&b, "&{");
    for (size_t i = 0; i < sizeof before / sizeof before[0]; i++) {
        gotk_buf_puts(&b, "[");
        put_specs(&b, &c->fs[before[i]], " ");
        gotk_buf_puts(&b, "] ");
    }
    gotk_buf_puts(&b, "[");
    for (size_t i = 0; i < c->nnr; i++) {
        if (i)
            gotk_buf_puts(&b, " ");
        put_gvk(&b, c->nr[i].group, c->nr[i].version, c->nr[i].kind);
        gotk_buf_puts(&b, ":  (\n");
        put_specs(&b, &c->nr[i].refs, "\n");
        gotk_buf_puts(&b, "\n)");
    }
    gotk_buf_puts(&b, "]");
    for (size_t i = 0; i < sizeof after / sizeof after[0]; i++) {
        gotk_buf_puts(&b, " [");
        put_specs(&b, &c->fs[after[i]], " ");
        gotk_buf_puts(&b, "]");
    }
    gotk_buf_puts(&b, "}");
    return b.data;
}
