/*
 * sort.c: releaseutil.SortManifests: every rendered file (in path order,
 * partials and blank files skipped) split into documents, each document's
 * head (apiVersion, kind, metadata.name, metadata.annotations) read; hooks
 * (helm.sh/hook) set apart, unknown hooks dropped; then both lists sorted
 * stably by kind in InstallOrder, unknown kinds last in name order.
 */
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include "helm_int.h"

static const char *const install_order[] = {
    "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange",
    "PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList",
    "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
    "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
    "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service",
    "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
    "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress",
    "APIService", NULL,
};

static const char *const hook_events[] = {
    "pre-install", "post-install", "pre-delete", "post-delete", "pre-upgrade",
    "post-upgrade", "pre-rollback", "post-rollback", "test", "test-success", NULL,
};

static int kind_rank(const char *kind)
{
    for (int i = 0; install_order[i]; i++)
        if (!strcmp(install_order[i], kind))
            return i;
    return -1;
}

/* lessByKind (ranks read once per document, not per comparison) */
static bool less_by_kind(const helm_manifest *a, const helm_manifest *b)
{
    if (a->rank < 0 && b->rank < 0)
        return strcmp(a->kind, b->kind) < 0;
    if (a->rank < 0)
        return false;
    if (b->rank < 0)
        return true;
    return a->rank < b->rank;
}

/* Merge the sorted runs v[0..mid) and v[mid..n) through tmp, equal elements
 * of the first run first. */
static void merge_runs(helm_manifest *v, size_t mid, size_t n, helm_manifest *tmp)
{
    size_t i = 0, j = mid, k = 0;
    while (i < mid && j < n)
        tmp[k++] = less_by_kind(&v[j], &v[i]) ? v[j++] : v[i++];
    while (i < mid)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

/* sort.SliceStable by lessByKind: a stable merge sort (charts render
 * thousands of documents). */
static void stable_sort(helm_manifest *v, size_t n)
{
    if (n < 2)
        return;
    helm_manifest *tmp = gotk_xcalloc(n, sizeof *tmp);
    for (size_t w = 1; w < n; w *= 2)
        for (size_t lo = 0; lo + w < n; lo += 2 * w)
            merge_runs(v + lo, w, (lo + 2 * w < n ? 2 * w : n - lo), tmp);
    free(tmp);
}

static void push(helm_manifest_list *l, helm_manifest m)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->v = gotk_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = m;
}

static gotk_err *yaml_error(gotk_err *e, const char *path)
{
    gotk_err *n = gotk_err_new(GOTK_E_INVALID, "YAML parse error on %s: %s", path, gotk_err_msg(e));
    gotk_err_free(e);
    return n;
}

/* Whether the hook annotation names only known events; sets *test. */
static bool hook_events_known(const char *spec, bool *test)
{
    bool ok = true;
    char *copy = gotk_xstrdup(spec);
    *test = false;
    for (char *p = copy, *c; ok && p;) {
        c = strsep(&p, ",");
        while (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r' || *c == '\v' || *c == '\f')
            c++;
        size_t l = strlen(c);
        while (l && strchr(" \t\n\r\v\f", c[l - 1]))
            c[--l] = 0;
        for (char *q = c; *q; q++)
            *q = (char)((*q >= 'A' && *q <= 'Z') ? *q + 32 : *q);
        bool known = false;
        for (int i = 0; hook_events[i] && !known; i++)
            known = !strcmp(hook_events[i], c);
        ok = known;
        *test = *test || !strcmp(c, "test") || !strcmp(c, "test-success");
    }
    free(copy);
    return ok;
}

static const char *str_or_empty(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !v)
        return "";
    return json_object_get_string(v);
}

#define META_TYPE "struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }"

/* A value encoding/json cannot put in a string (sigs.k8s.io/yaml turned the
 * scalars into strings already). */
static bool not_stringy(json_object *v)
{
    return json_object_is_type(v, json_type_array) || json_object_is_type(v, json_type_object);
}

/* json.Unmarshal into releaseutil.SimpleHead: its first type error (the keys
 * in JSON's sorted order), as "json: cannot unmarshal ..."; false when none. */
static bool head_type_error(json_object *head, gotk_buf *msg)
{
    json_object *v = NULL, *md = NULL, *ann = NULL;
    const char *field = NULL, *type = "string";
    if (json_object_object_get_ex(head, "apiVersion", &v) && not_stringy(v))
        field = "SimpleHead.apiVersion";
    else if (json_object_object_get_ex(head, "kind", &v) && not_stringy(v))
        field = "SimpleHead.kind";
    else if (json_object_object_get_ex(head, "metadata", &md) && md &&
             !json_object_is_type(md, json_type_object))
        field = "SimpleHead.metadata", type = META_TYPE, v = md;
    else if (md && json_object_object_get_ex(md, "annotations", &ann) && ann &&
             !json_object_is_type(ann, json_type_object))
        field = ".metadata.annotations", type = "map[string]string", v = ann;
    else if (ann) {
        const char *first = NULL; /* the offending key that sorts first */
        json_object_object_foreach(ann, k, av) {
            if (not_stringy(av) && (!first || strcmp(k, first) < 0))
                first = k, v = av;
        }
        if (first)
            field = ".metadata.annotations";
    }
    if (!field && md && json_object_object_get_ex(md, "name", &v) && not_stringy(v))
        field = ".metadata.name";
    if (field)
        gotk_buf_printf(msg, "json: cannot unmarshal %s into Go struct field %s of type %s",
                        helm_json_kind(v), field, type);
    return field != NULL;
}

/* Sort one document of file `path` into hooks or generic. */
static gotk_err *sort_doc(const char *path, char *doc, helm_sorted *out)
{
    json_object *head = NULL;
    gotk_err *e = helm_yaml_head(doc, strlen(doc), &head);
    if (e) {
        free(doc);
        return yaml_error(e, path);
    }
    if (head && !json_object_is_type(head, json_type_object)) {
        e = gotk_err_new(GOTK_E_INVALID,
                         "YAML parse error on %s: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal %s into Go value of type releaseutil.SimpleHead",
                         path, helm_json_kind(head));
        json_object_put(head);
        free(doc);
        return e;
    }
    gotk_buf type_err = {0};
    if (head && head_type_error(head, &type_err)) {
        json_object_put(head);
        free(doc);
        e = gotk_err_new(GOTK_E_INVALID,
                         "YAML parse error on %s: error unmarshaling JSON: while decoding JSON: %s",
                         path, type_err.data);
        gotk_buf_free(&type_err);
        return e;
    }
    helm_manifest m = {.path = path, .content = doc};
    m.kind = gotk_xstrdup(head ? str_or_empty(head, "kind") : "");
    m.rank = kind_rank(m.kind);
    json_object *md = NULL, *ann = NULL, *hook = NULL;
    if (head)
        json_object_object_get_ex(head, "metadata", &md);
    if (md && json_object_is_type(md, json_type_object))
        json_object_object_get_ex(md, "annotations", &ann);
    bool has_ann = ann && json_object_is_type(ann, json_type_object) &&
                   json_object_object_length(ann) > 0;
    if (!has_ann || !json_object_object_get_ex(ann, "helm.sh/hook", &hook)) {
        push(&out->generic, m);
    } else {
        const char *spec = hook ? json_object_get_string(hook) : "";
        if (hook_events_known(spec ? spec : "", &m.test)) {
            push(&out->hooks, m);
        } else {
            gotk_buf q = {0};
            helm_go_quote(&q, spec ? spec : "", spec ? strlen(spec) : 0);
            helm_warnf("manifest_sorter.go:190: info: skipping unknown hook: %s", q.data);
            gotk_buf_free(&q);
            free(m.kind);
            free(m.content);
        }
    }
    json_object_put(head);
    return NULL;
}

static int cmp_file(const void *a, const void *b)
{
    return strcmp((*(const helm_rendered *const *)a)->name,
                  (*(const helm_rendered *const *)b)->name);
}

gotk_err *helm_sort_manifests(helm_rendered *files, size_t n, helm_sorted *out)
{
    memset(out, 0, sizeof *out);
    helm_rendered **order = gotk_xcalloc(n + 1, sizeof *order);
    for (size_t i = 0; i < n; i++)
        order[i] = &files[i];
    qsort(order, n, sizeof *order, cmp_file);
    gotk_err *e = NULL;
    for (size_t i = 0; i < n && !e; i++) {
        const helm_rendered *f = order[i];
        const char *base = strrchr(f->name, '/');
        base = base ? base + 1 : f->name;
        if (base[0] == '_')
            continue;
        helm_docs docs;
        helm_split_manifests(f->text, f->len, &docs);
        size_t k = 0;
        for (; k < docs.n && !e; k++)
            e = sort_doc(f->name, docs.docs[k], out);
        for (; k < docs.n; k++)
            free(docs.docs[k]);
        free(docs.docs);
    }
    free(order);
    stable_sort(out->generic.v, out->generic.n);
    stable_sort(out->hooks.v, out->hooks.n);
    return e;
}

void helm_sorted_free(helm_sorted *s)
{
    helm_manifest_list *ls[2] = {&s->generic, &s->hooks};
    for (int l = 0; l < 2; l++) {
        for (size_t i = 0; i < ls[l]->n; i++) {
            free(ls[l]->v[i].kind);
            free(ls[l]->v[i].content);
        }
        free(ls[l]->v);
    }
    memset(s, 0, sizeof *s);
}
