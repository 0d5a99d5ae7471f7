/*
 * resources.c: which resources the server serves.
 *
 * A resource is one (group, version, plural) with its kind, scope, short names,
 * categories and whether it has a status subresource. The built-in kinds come
 * from the table below; every stored CustomResourceDefinition adds one entry per
 * served version, rebuilt from the store whenever a CRD changes. Objects are
 * stored per (group, plural) whatever the version, so the versions of a CRD
 * share their objects (conversion strategy None: only apiVersion changes).
 */
#include <stdlib.h>
#include <string.h>

#include "apiserver.h"

typedef struct {
    const char *group, *version, *plural, *singular, *kind;
    bool namespaced, status;
    const char *shorts;     /* comma-separated */
    const char *categories; /* comma-separated */
} builtin;

static const builtin BUILTINS[] = {
    {"", "v1", "namespaces", "namespace", "Namespace", false, true, "ns", NULL},
    {"", "v1", "configmaps", "configmap", "ConfigMap", true, false, "cm", NULL},
    {"", "v1", "secrets", "secret", "Secret", true, false, NULL, NULL},
    {"", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, false, "sa", NULL},
    {"", "v1", "services", "service", "Service", true, true, "svc", "all"},
    {"", "v1", "endpoints", "endpoints", "Endpoints", true, false, "ep", NULL},
    {"", "v1", "events", "event", "Event", true, false, "ev", NULL},
    {"", "v1", "pods", "pod", "Pod", true, true, "po", "all"},
    {"", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true,
     true, "pvc", NULL},
    {"", "v1", "resourcequotas", "resourcequota", "ResourceQuota", true, true, "quota", NULL},
    {"", "v1", "limitranges", "limitrange", "LimitRange", true, false, "limits", NULL},
    {"apps", "v1", "deployments", "deployment", "Deployment", true, true, "deploy", "all"},
    {"apps", "v1", "statefulsets", "statefulset", "StatefulSet", true, true, "sts", "all"},
    {"apps", "v1", "daemonsets", "daemonset", "DaemonSet", true, true, "ds", "all"},
    {"apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, true, "rs", "all"},
    {"batch", "v1", "jobs", "job", "Job", true, true, NULL, "all"},
    {"batch", "v1", "cronjobs", "cronjob", "CronJob", true, true, "cj", "all"},
    {"networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", true, true, "ing", NULL},
    {"networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy", true, false,
     "netpol", NULL},
    {"policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true,
     true, "pdb", NULL},
    {"scheduling.k8s.io", "v1", "priorityclasses", "priorityclass", "PriorityClass", false, false,
     "pc", NULL},
    {"rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true, false, NULL, NULL},
    {"rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true, false,
     NULL, NULL},
    {"rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", false, false,
     NULL, NULL},
    {"rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding",
     "ClusterRoleBinding", false, false, NULL, NULL},
    {"coordination.k8s.io", "v1", "leases", "lease", "Lease", true, false, NULL, NULL},
    {"events.k8s.io", "v1", "events", "event", "Event", true, false, "ev", NULL},
    {"apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
     "CustomResourceDefinition", false, true, "crd,crds", NULL},
    {"authorization.k8s.io", "v1", "selfsubjectaccessreviews", "", "SelfSubjectAccessReview",
     false, false, NULL, NULL},
    {"authentication.k8s.io", "v1", "selfsubjectreviews", "", "SelfSubjectReview", false, false,
     NULL, NULL},
};

/* Split "a,b" into a NULL-terminated array (NULL stays an empty array). */
static char **split_list(const char *s)
{
    int n = 1;
    for (const char *p = s; p && *p; p++)
        n += *p == ',';
    char **out = gotk_xcalloc((size_t)n + 1, sizeof *out);
    int i = 0;
    while (s && *s) {
        const char *c = strchr(s, ',');
        size_t len = c ? (size_t)(c - s) : strlen(s);
        out[i++] = gotk_xstrndup(s, len);
        s = c ? c + 1 : s + len;
    }
    return out;
}

/* A JSON array of strings as a NULL-terminated array. */
static char **json_list(json_object *a)
{
    size_t n = a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
    char **out = gotk_xcalloc(n + 1, sizeof *out);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = json_object_get_string(json_object_array_get_idx(a, i));
        if (s)
            out[k++] = gotk_xstrdup(s);
    }
    return out;
}

/* Free a NULL-terminated list. */
static void free_list(char **l)
{
    for (char **p = l; p && *p; p++)
        free(*p);
    free(l);
}

/* Append an empty entry. */
static api_resource *add_entry(api_resources *t)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->items = gotk_xrealloc(t->items, (size_t)t->cap * sizeof *t->items);
    }
    api_resource *r = &t->items[t->n++];
    memset(r, 0, sizeof *r);
    return r;
}

/* Free one entry's fields. */
static void free_entry(api_resource *r)
{
    free(r->group);
    free(r->version);
    free(r->plural);
    free(r->singular);
    free(r->kind);
    free(r->list_kind);
    free(r->scale_spec);
    free(r->scale_status);
    free(r->scale_selector);
    free_list(r->short_names);
    free_list(r->categories);
    for (int i = 0; i < r->ncols; i++) {
        free(r->cols[i].name);
        free(r->cols[i].type);
        free(r->cols[i].format);
        free(r->cols[i].json_path);
        free(r->cols[i].description);
    }
    free(r->cols);
    json_object_put(r->schema);
}

/* The built-in kinds. */
void res_init_builtin(api_resources *t)
{
    for (size_t i = 0; i < sizeof BUILTINS / sizeof BUILTINS[0]; i++) {
        const builtin *b = &BUILTINS[i];
        api_resource *r = add_entry(t);
        r->group = gotk_xstrdup(b->group);
        r->version = gotk_xstrdup(b->version);
        r->plural = gotk_xstrdup(b->plural);
        r->singular = gotk_xstrdup(b->singular);
        r->kind = gotk_xstrdup(b->kind);
        r->list_kind = gotk_xasprintf("%sList", b->kind);
        r->namespaced = b->namespaced;
        r->has_status = b->status;
        if (!strcmp(b->group, "apps") && strcmp(b->plural, "daemonsets")) {
            r->scale_spec = gotk_xstrdup(".spec.replicas");
            r->scale_status = gotk_xstrdup(".status.replicas");
            r->scale_selector = gotk_xstrdup(".spec.selector");
        }
        r->review = strstr(b->plural, "review") != NULL;
        r->short_names = split_list(b->shorts);
        r->categories = split_list(b->categories);
    }
}

/* Free everything. */
void res_free(api_resources *t)
{
    for (int i = 0; i < t->n; i++)
        free_entry(&t->items[i]);
    free(t->items);
    memset(t, 0, sizeof *t);
}

/* Lookup by group/version/plural. */
api_resource *res_find(api_resources *t, const char *group, const char *version,
                       const char *plural)
{
    for (int i = 0; i < t->n; i++) {
        api_resource *r = &t->items[i];
        if (!strcmp(r->group, group) && !strcmp(r->version, version) && !strcmp(r->plural, plural))
            return r;
    }
    return NULL;
}

/* Lookup by group and plural, any version. */
api_resource *res_find_plural(api_resources *t, const char *group, const char *plural)
{
    for (int i = 0; i < t->n; i++) {
        api_resource *r = &t->items[i];
        if (!strcmp(r->group, group) && !strcmp(r->plural, plural))
            return r;
    }
    return NULL;
}

/* Lookup by group and kind. */
api_resource *res_find_kind(api_resources *t, const char *group, const char *kind)
{
    for (int i = 0; i < t->n; i++) {
        api_resource *r = &t->items[i];
        if (!strcmp(r->group, group) && !strcmp(r->kind, kind))
            return r;
    }
    return NULL;
}

/* Printer columns of one CRD version. */
static void add_columns(api_resource *r, json_object *cols)
{
    size_t n = cols && json_object_is_type(cols, json_type_array) ? json_object_array_length(cols)
                                                                   : 0;
    r->cols = gotk_xcalloc(n + 1, sizeof *r->cols);
    for (size_t i = 0; i < n; i++) {
        json_object *c = json_object_array_get_idx(cols, i);
        const char *name = jx_get_str(c, "name"), *path = jx_get_str(c, "jsonPath");
        if (!name || !path)
            continue;
        api_printer_col *pc = &r->cols[r->ncols++];
        pc->name = gotk_xstrdup(name);
        pc->json_path = gotk_xstrdup(path);
        pc->type = gotk_xstrdup(jx_get_str(c, "type") ? jx_get_str(c, "type") : "string");
        pc->format = gotk_xstrdup(jx_get_str(c, "format") ? jx_get_str(c, "format") : "");
        pc->description =
            gotk_xstrdup(jx_get_str(c, "description") ? jx_get_str(c, "description") : "");
        json_object *p = jx_get(c, "priority");
        pc->priority = p ? json_object_get_int(p) : 0;
    }
}

/* Add the served versions of one CRD. */
static bool add_crd(json_object *crd, const char *ns, const char *name, void *ud)
{
    api_resources *t = ud;
    (void)ns;
    (void)name;
    json_object *spec = jx_get(crd, "spec"), *names = jx_get(spec, "names");
    json_object *versions = jx_get(spec, "versions");
    const char *g = jx_get_str(spec, "group"), *plural = jx_get_str(names, "plural");
    const char *kind = jx_get_str(names, "kind");
    if (g && plural && kind && versions && !jx_get(jx_get(crd, "metadata"), "deletionTimestamp")) {
        for (size_t i = 0; i < json_object_array_length(versions); i++) {
            json_object *v = json_object_array_get_idx(versions, i);
            json_object *served = jx_get(v, "served");
            if (!jx_get_str(v, "name") || (served && !json_object_get_boolean(served)))
                continue;
            api_resource *r = add_entry(t);
            r->crd = true;
            r->group = gotk_xstrdup(g);
            r->version = gotk_xstrdup(jx_get_str(v, "name"));
            r->plural = gotk_xstrdup(plural);
            const char *singular = jx_get_str(names, "singular");
            r->singular = gotk_xstrdup(singular ? singular : "");
            r->kind = gotk_xstrdup(kind);
            const char *lk = jx_get_str(names, "listKind");
            r->list_kind = lk ? gotk_xstrdup(lk) : gotk_xasprintf("%sList", kind);
            const char *scope = jx_get_str(spec, "scope");
            r->namespaced = !scope || strcmp(scope, "Cluster") != 0;
            r->has_status = jx_get(jx_get(v, "subresources"), "status") != NULL;
            json_object *sc = jx_get(jx_get(v, "subresources"), "scale");
            if (sc && jx_get_str(sc, "specReplicasPath")) {
                r->scale_spec = gotk_xstrdup(jx_get_str(sc, "specReplicasPath"));
                const char *st = jx_get_str(sc, "statusReplicasPath");
                const char *lsp = jx_get_str(sc, "labelSelectorPath");
                r->scale_status = st ? gotk_xstrdup(st) : NULL;
                r->scale_selector = lsp ? gotk_xstrdup(lsp) : NULL;
            }
            r->short_names = json_list(jx_get(names, "shortNames"));
            r->categories = json_list(jx_get(names, "categories"));
            add_columns(r, jx_get(v, "additionalPrinterColumns"));
            json_object *schema = jx_get(jx_get(v, "schema"), "openAPIV3Schema");
            r->schema = schema ? json_object_get(schema) : NULL;
        }
    }
    json_object_put(crd);
    return true;
}

/* Rebuild the CRD-defined part of the table from the store. */
void res_reload_crds(apisrv *s)
{
    api_resources *t = &s->res;
    int k = 0;
    for (int i = 0; i < t->n; i++) {
        if (t->items[i].crd)
            free_entry(&t->items[i]);
        else
            t->items[k++] = t->items[i];
    }
    t->n = k;
    gotk_err *e = store_list(s->st, "apiextensions.k8s.io", "customresourcedefinitions", NULL,
                             NULL, NULL, add_crd, t);
    gotk_err_free(e);
}

/* Whether `s` is a DNS-1123 label (lowercase alphanumerics and '-'). */
static bool dns_label(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

/* A condition {type, status: True, reason, message}. */
static json_object *condition(const char *type, const char *reason, const char *msg,
                              const char *now)
{
    json_object *c = json_object_new_object();
    jx_set_str(c, "type", type);
    jx_set_str(c, "status", "True");
    jx_set_str(c, "lastTransitionTime", now);
    jx_set_str(c, "reason", reason);
    jx_set_str(c, "message", msg);
    return c;
}

/* Check the versions list: at least one, exactly one storage version. */
static char *check_versions(json_object *versions, const char **storage)
{
    size_t n = versions && json_object_is_type(versions, json_type_array)
                   ? json_object_array_length(versions)
                   : 0;
    int nstorage = 0;
    if (n == 0)
        return gotk_xstrdup("spec.versions: Invalid value: null: must have exactly one version "
                            "marked as storage version");
    for (size_t i = 0; i < n; i++) {
        json_object *v = json_object_array_get_idx(versions, i);
        if (!jx_get_str(v, "name"))
            return gotk_xasprintf("spec.versions[%zu].name: Required value", i);
        json_object *st = jx_get(v, "storage");
        if (st && json_object_get_boolean(st)) {
            nstorage++;
            *storage = jx_get_str(v, "name");
        }
    }
    if (nstorage != 1)
        return gotk_xstrdup("spec.versions: Invalid value: must have exactly one version marked "
                            "as storage version");
    return NULL;
}

/* Validate a CRD and set its status as the apiextensions server would. */
char *res_crd_prepare(json_object *crd)
{
    json_object *spec = jx_get(crd, "spec"), *names = jx_get(spec, "names");
    const char *name = jx_meta_str(crd, "name");
    const char *group = jx_get_str(spec, "group"), *plural = jx_get_str(names, "plural");
    const char *kind = jx_get_str(names, "kind"), *scope = jx_get_str(spec, "scope");
    const char *storage = NULL;
    if (!group || !*group)
        return gotk_xstrdup("spec.group: Required value");
    if (!plural || !dns_label(plural))
        return gotk_xstrdup("spec.names.plural: Invalid value: must be a lowercase DNS-1123 label");
    if (!kind || !*kind)
        return gotk_xstrdup("spec.names.kind: Required value");
    if (!scope || (strcmp(scope, "Namespaced") && strcmp(scope, "Cluster")))
        return gotk_xstrdup(
            "spec.scope: Unsupported value: must be one of \"Cluster\", \"Namespaced\"");
    char *expect = gotk_xasprintf("%s.%s", plural, group);
    bool ok = name && !strcmp(name, expect);
    char *msg = ok ? NULL
                   : gotk_xasprintf("metadata.name: Invalid value: \"%s\": must be spec.names.plural"
                                    "+\".\"+spec.group",
                                    name ? name : "");
    free(expect);
    if (msg)
        return msg;
    msg = check_versions(jx_get(spec, "versions"), &storage);
    if (msg)
        return msg;
    /* defaults the real server fills */
    if (!jx_get_str(names, "singular")) {
        char *low = gotk_xstrdup(kind);
        for (char *p = low; *p; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        jx_set_str(names, "singular", low);
        free(low);
    }
    if (!jx_get_str(names, "listKind")) {
        char *lk = gotk_xasprintf("%sList", kind);
        jx_set_str(names, "listKind", lk);
        free(lk);
    }
    char now[32];
    jx_now(now);
    json_object *status = json_object_new_object();
    json_object *conds = json_object_new_array();
    json_object_array_add(conds, condition("NamesAccepted", "NoConflicts", "no conflicts found", now));
    json_object_array_add(conds, condition("Established", "InitialNamesAccepted",
                                           "the initial names have been accepted", now));
    json_object_object_add(status, "conditions", conds);
    json_object_object_add(status, "acceptedNames", gotk_obj_copy(names));
    json_object *stored = json_object_new_array();
    json_object_array_add(stored, json_object_new_string(storage));
    json_object_object_add(status, "storedVersions", stored);
    json_object_object_add(crd, "status", status);
    return NULL;
}
