/*
 * apply.c: server-side apply of the built objects, as fluxcd/pkg/ssa's
 * ResourceManager.ApplyAllStaged does for kustomize-controller.
 *
 * Objects are labelled with kustomize.toolkit.fluxcd.io/name and /namespace
 * (plus spec.commonMetadata) and applied in stages: cluster definitions (CRDs,
 * Namespaces, ClusterRoles), waited on until Current (a CRD Established); then
 * kinds named *Class, waited on too; then everything else. Within a stage every
 * object is first compared with the cluster: skipped when marked
 * `kustomize.toolkit.fluxcd.io/reconcile: disabled` or `ssa: Ignore` (on the
 * object or the live one) or `ssa: IfNotPresent` and it exists; otherwise
 * dry-run applied, and when the dry-run result differs from the live object
 * (labels, annotations, or anything outside metadata and status) it is
 * `created` or `configured`, else `unchanged`. Only when every dry-run of the
 * stage passed are the changed objects applied for real (field manager
 * kustomize-controller, force), so a rejected object leaves the stage untouched.
 * A dry-run refused as invalid or conflicting on an existing object is retried
 * after deleting it when spec.force or `kustomize.toolkit.fluxcd.io/force:
 * Enabled` asks for it (immutable fields).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "gotk/obj.h"
#include "kc.h"

/* ---- change sets ------------------------------------------------------------- */

const char *kc_action_name(kc_action a)
{
    static const char *const names[] = {"created", "configured", "unchanged",
                                        "deleted", "skipped",    "unknown"};
    return names[a];
}

/* Fill an entry's derived fields (group, version, subject, id). */
static void entry_finish(kc_entry *e)
{
    const char *slash = strchr(e->api_version, '/');
    e->group = slash ? gotk_xstrndup(e->api_version, (size_t)(slash - e->api_version))
                     : gotk_xstrdup("");
    e->version = gotk_xstrdup(slash ? slash + 1 : e->api_version);
    e->subject = *e->ns ? gotk_xasprintf("%s/%s/%s", e->kind, e->ns, e->name)
                        : gotk_xasprintf("%s/%s", e->kind, e->name);
    gotk_buf id = {0};
    gotk_buf_printf(&id, "%s_", e->ns);
    for (const char *p = e->name; *p; p++)
        gotk_buf_puts(&id, *p == ':' ? "__" : (char[]){*p, 0});
    gotk_buf_printf(&id, "_%s_%s", e->group, e->kind);
    e->id = gotk_buf_steal(&id);
}

/* An entry for an object, named as Flux names it. */
void kc_entry_from_obj(kc_entry *e, json_object *obj, kc_action a)
{
    const char *s;
    memset(e, 0, sizeof *e);
    e->api_version = gotk_xstrdup((s = gotk_obj_get_str(obj, "apiVersion")) ? s : "");
    e->kind = gotk_xstrdup((s = gotk_obj_get_str(obj, "kind")) ? s : "");
    e->ns = gotk_xstrdup((s = gotk_obj_get_str(obj, "metadata.namespace")) ? s : "");
    e->name = gotk_xstrdup((s = gotk_obj_get_str(obj, "metadata.name")) ? s : "");
    e->action = a;
    entry_finish(e);
}

/* An entry from an inventory id, parsed as cli-utils ParseObjMetadata does. */
bool kc_entry_from_id(kc_entry *e, const char *id, const char *version, kc_action a)
{
    memset(e, 0, sizeof *e);
    const char *first = strchr(id, '_'), *last = strrchr(id, '_');
    if (!first || last <= first)
        return false;
    const char *mid = last - 1;
    while (mid > first && *mid != '_')
        mid--;
    if (mid <= first)
        return false;
    char *group = gotk_xstrndup(mid + 1, (size_t)(last - mid - 1));
    e->ns = gotk_xstrndup(id, (size_t)(first - id));
    gotk_buf name = {0};
    gotk_buf_puts(&name, "");
    for (const char *p = first + 1; p < mid; p++) {
        if (p[0] == '_' && p + 1 < mid && p[1] == '_') {
            gotk_buf_putc(&name, ':');
            p++;
        } else
            gotk_buf_putc(&name, *p);
    }
    e->name = gotk_buf_steal(&name);
    e->kind = gotk_xstrdup(last + 1);
    e->api_version = *group ? gotk_xasprintf("%s/%s", group, version) : gotk_xstrdup(version);
    free(group);
    e->action = a;
    entry_finish(e);
    return true;
}

/* Free the strings of one entry. */
void kc_entry_free(kc_entry *e)
{
    free(e->api_version);
    free(e->kind);
    free(e->group);
    free(e->version);
    free(e->ns);
    free(e->name);
    free(e->subject);
    free(e->id);
    memset(e, 0, sizeof *e);
}

/* Append an entry, taking its strings (the source is zeroed). */
void kc_changeset_add(kc_changeset *cs, kc_entry *e)
{
    if (cs->n == cs->cap) {
        cs->cap = cs->cap ? cs->cap * 2 : 16;
        cs->v = gotk_xrealloc(cs->v, cs->cap * sizeof *cs->v);
    }
    cs->v[cs->n++] = *e;
    memset(e, 0, sizeof *e);
}

/* Free every entry and the array. */
void kc_changeset_free(kc_changeset *cs)
{
    for (size_t i = 0; i < cs->n; i++)
        kc_entry_free(&cs->v[i]);
    free(cs->v);
    memset(cs, 0, sizeof *cs);
}

/* ChangeSet.String(): one "Kind/ns/name action" line per entry. */
char *kc_changeset_string(const kc_changeset *cs, bool only_changes)
{
    gotk_buf b = {0};
    gotk_buf_puts(&b, "");
    for (size_t i = 0; i < cs->n; i++) {
        kc_action a = cs->v[i].action;
        if (only_changes && a != KC_CREATED && a != KC_CONFIGURED && a != KC_DELETED)
            continue;
        if (b.len)
            gotk_buf_putc(&b, '\n');
        gotk_buf_printf(&b, "%s %s", cs->v[i].subject, kc_action_name(a));
    }
    return gotk_buf_steal(&b);
}

/* fluxcd/pkg ssa's ReconcileOrder: negative first, 0 the rest, positive last. */
int kc_kind_rank(const char *kind)
{
    static const char *const first[] = {
        "CustomResourceDefinition", "Namespace", "ClusterRole", "ClusterClass", "RuntimeClass",
        "PriorityClass", "StorageClass", "VolumeSnapshotClass", "IngressClass", "GatewayClass",
        "ClusterRoleBinding", "ResourceQuota", "ServiceAccount", "Role", "RoleBinding",
        "ConfigMap", "Secret", "Service", "LimitRange", "Deployment", "StatefulSet", "CronJob",
        "PodDisruptionBudget"};
    static const char *const last[] = {"MutatingWebhookConfiguration",
                                       "ValidatingWebhookConfiguration"};
    int nf = (int)(sizeof first / sizeof *first);
    for (int i = 0; i < nf; i++)
        if (!strcmp(kind, first[i]))
            return -nf + i;
    for (int i = 0; i < 2; i++)
        if (!strcmp(kind, last[i]))
            return 1 + i;
    return 0;
}

/* ---- metadata helpers ---------------------------------------------------------- */

bool kc_meta_has(json_object *obj, const char *key, const char *value)
{
    const char *where[] = {"labels", "annotations"};
    for (int i = 0; obj && i < 2; i++) {
        json_object *m = gotk_obj_get(obj, "metadata", where[i], NULL), *v = NULL;
        if (m && json_object_object_get_ex(m, key, &v)) {
            const char *s = json_object_get_string(v);
            if (s && *s && !strcasecmp(s, value))
                return true;
        }
    }
    return false;
}

/* metadata.<which>, created as an object when missing. */
static json_object *meta_map(json_object *obj, const char *which)
{
    json_object *meta = gotk_obj_get(obj, "metadata", NULL), *m = NULL;
    if (!json_object_object_get_ex(meta, which, &m) || !json_object_is_type(m, json_type_object)) {
        m = json_object_new_object();
        json_object_object_add(meta, which, m);
    }
    return m;
}

/* Copy every key of `from` into metadata.<which> of obj. */
static void set_all(json_object *obj, const char *which, json_object *from)
{
    if (!from || !json_object_is_type(from, json_type_object))
        return;
    json_object *m = meta_map(obj, which);
    json_object_object_foreach(from, k, v) json_object_object_add(m, k, json_object_get(v));
}

/* Common metadata and owner labels on every object. */
static void label_objects(kc_ctx *x)
{
    json_object *cl = gotk_obj_getp(x->obj, "spec.commonMetadata.labels");
    json_object *ca = gotk_obj_getp(x->obj, "spec.commonMetadata.annotations");
    for (size_t i = 0; i < json_object_array_length(x->objects); i++) {
        json_object *o = json_object_array_get_idx(x->objects, i);
        set_all(o, "labels", cl);
        set_all(o, "annotations", ca);
        json_object *l = meta_map(o, "labels");
        json_object_object_add(l, KC_LABEL_NAME, json_object_new_string(x->name));
        json_object_object_add(l, KC_LABEL_NAMESPACE, json_object_new_string(x->ns));
    }
}

/* Flux refuses SOPS-encrypted Secrets when decryption is not configured. */
static gotk_err *check_encrypted(json_object *objects)
{
    for (size_t i = 0; i < json_object_array_length(objects); i++) {
        json_object *o = json_object_array_get_idx(objects, i);
        const char *kind = gotk_obj_get_str(o, "kind"), *api = gotk_obj_get_str(o, "apiVersion");
        if (!kind || strcmp(kind, "Secret") || !api || strcmp(api, "v1") ||
            !gotk_obj_get(o, "sops", NULL) || kc_meta_has(o, KC_GROUP "/decrypt", "disabled"))
            continue;
        kc_entry e;
        kc_entry_from_obj(&e, o, KC_UNKNOWN);
        gotk_err *err = gotk_err_new(GOTK_E_INVALID,
                                     "%s is SOPS encrypted, configuring decryption is required "
                                     "for this secret to be reconciled",
                                     e.subject);
        kc_entry_free(&e);
        return err;
    }
    return NULL;
}

/* ---- one object ---------------------------------------------------------------- */

/* The API's reason for an error, as apierrors.ReasonForError names it. */
static const char *api_reason(gotk_err *e)
{
    switch ((int)gotk_err_code_of(e)) {
    case GOTK_E_INVALID: return strstr(gotk_err_msg(e), "is invalid") ? "Invalid" : "BadRequest";
    case GOTK_E_CONFLICT:
        return strstr(gotk_err_msg(e), "already exists") ? "AlreadyExists" : "Conflict";
    case GOTK_E_KUBE_FORBIDDEN: return "Forbidden";
    case GOTK_E_KUBE_UNAUTHORIZED: return "Unauthorized";
    case GOTK_E_KUBE_TIMEOUT: return "Timeout";
    case GOTK_E_KUBE_SERVER: return "InternalError";
    default: return NULL;
    }
}

/* ssaerrors.IsImmutableError: Conflict, Invalid, or "immutable" in the message. */
static bool immutable_error(gotk_err *e)
{
    int c = (int)gotk_err_code_of(e);
    const char *m = gotk_err_msg(e);
    return c == GOTK_E_CONFLICT || c == GOTK_E_INVALID || strstr(m, "is immutable") ||
           strstr(m, "immutable field");
}

/* Flux's DryRunErr text. */
static gotk_err *dry_run_error(gotk_err *e, const char *subject, const char *ns)
{
    gotk_err *out;
    if (gotk_err_code_of(e) == GOTK_E_NOTFOUND)
        out = *ns ? gotk_err_new(GOTK_E_NOTFOUND, "%s not found: %s", subject, gotk_err_msg(e))
                  : gotk_err_new(GOTK_E_NOTFOUND, "%s namespace not specified: %s", subject,
                                 gotk_err_msg(e));
    else {
        const char *r = api_reason(e);
        out = r ? gotk_err_new(gotk_err_code_of(e), "%s dry-run failed (%s): %s", subject, r,
                               gotk_err_msg(e))
                : gotk_err_new(gotk_err_code_of(e), "%s dry-run failed: %s", subject,
                               gotk_err_msg(e));
    }
    gotk_err_free(e);
    return out;
}

/* A copy of obj without metadata and status, for the drift comparison. */
static json_object *strip_for_diff(json_object *obj)
{
    json_object *c = gotk_obj_copy(obj);
    json_object_object_del(c, "metadata");
    json_object_object_del(c, "status");
    return c;
}

/* Did the live object drift from what the dry-run says it would become? */
static bool has_drifted(json_object *live, json_object *dry)
{
    const char *keys[] = {"labels", "annotations"};
    for (int i = 0; i < 2; i++) {
        json_object *a = gotk_obj_get(live, "metadata", keys[i], NULL);
        json_object *b = gotk_obj_get(dry, "metadata", keys[i], NULL);
        if (a && json_object_object_length(a) == 0)
            a = NULL;
        if (b && json_object_object_length(b) == 0)
            b = NULL;
        if ((a == NULL) != (b == NULL) || (a && !gotk_obj_equal(a, b)))
            return true;
    }
    json_object *x = strip_for_diff(live), *y = strip_for_diff(dry);
    bool d = !gotk_obj_equal(x, y);
    json_object_put(x);
    json_object_put(y);
    return d;
}

/* Wait until the object is gone (after a forced delete), up to `timeout`. */
static gotk_err *wait_gone(gotk_kube_client *kube, const gotk_kube_ref *ref, gotk_duration timeout)
{
    struct timespec nap = {0, 200 * 1000 * 1000};
    for (gotk_duration waited = 0; waited < timeout; waited += 200 * GOTK_MS) {
        gotk_err *e = gotk_kube_get(kube, ref, NULL, NULL);
        if (e && gotk_err_code_of(e) == GOTK_E_NOTFOUND) {
            gotk_err_free(e);
            return NULL;
        }
        if (e)
            return e;
        nanosleep(&nap, NULL);
    }
    return gotk_err_new(GOTK_E_KUBE_TIMEOUT, "timed out waiting for the object to be deleted");
}

/* Is a managedFields entry one of the managers Flux takes over (kubectl's apply
 * and update, before-first-apply, our own updates), on the main resource? */
static bool replaced_manager(json_object *entry)
{
    const char *m = gotk_obj_get_str(entry, "manager"), *op = gotk_obj_get_str(entry, "operation");
    const char *sub = gotk_obj_get_str(entry, "subresource");
    if (!m || !op || (sub && *sub))
        return false;
    return (!strcmp(m, "kubectl") && (!strcmp(op, "Apply") || !strcmp(op, "Update"))) ||
           (!strcmp(m, "before-first-apply") && !strcmp(op, "Update")) ||
           (!strcmp(m, KC_NAME) && !strcmp(op, "Update"));
}

/* ssa.PatchReplaceFieldsManagers: fold those managers' fields into our Apply
 * entry, so fields they set and Git no longer has are removed by the apply.
 * Appends a JSON patch op to `patch` when something changed. */
static void take_over_managers(json_object *live, json_object *patch)
{
    json_object *mf = gotk_obj_getp(live, "metadata.managedFields");
    if (!mf || !json_object_is_type(mf, json_type_array))
        return;
    json_object *ours = NULL;
    for (size_t i = 0; i < json_object_array_length(mf); i++) {
        json_object *en = json_object_array_get_idx(mf, i);
        const char *m = gotk_obj_get_str(en, "manager"), *op = gotk_obj_get_str(en, "operation");
        if (m && op && !strcmp(m, KC_NAME) && !strcmp(op, "Apply"))
            ours = en;
    }
    json_object *keep = json_object_new_array();
    json_object *merged = ours ? gotk_obj_copy(ours) : NULL;
    bool edited = false;
    for (size_t i = 0; i < json_object_array_length(mf); i++) {
        json_object *en = json_object_array_get_idx(mf, i);
        if (en == ours)
            continue;
        if (!replaced_manager(en)) {
            json_object_array_add(keep, gotk_obj_copy(en));
            continue;
        }
        edited = true;
        if (!merged) {
            merged = gotk_obj_copy(en);
            json_object_object_add(merged, "manager", json_object_new_string(KC_NAME));
            json_object_object_add(merged, "operation", json_object_new_string("Apply"));
            continue;
        }
        json_object *into = gotk_obj_get(merged, "fieldsV1", NULL);
        json_object *from = gotk_obj_get(en, "fieldsV1", NULL);
        if (!into) {
            into = json_object_new_object();
            json_object_object_add(merged, "fieldsV1", into);
        }
        if (from)
            gotk_obj_merge(into, from); /* FieldsV1 trees: a deep union */
    }
    if (!edited) {
        json_object_put(keep);
        json_object_put(merged);
        return;
    }
    json_object_array_add(keep, merged);
    json_object *op = json_object_new_object();
    json_object_object_add(op, "op", json_object_new_string("replace"));
    json_object_object_add(op, "path", json_object_new_string("/metadata/managedFields"));
    json_object_object_add(op, "value", keep);
    json_object_array_add(patch, op);
}

/* Remove the annotations and labels Flux cleans from live objects, and take
 * over kubectl's fields. Sets *patched when the live object was changed. */
static gotk_err *cleanup_metadata(kc_ctx *x, json_object *desired, json_object *live,
                                  const gotk_kube_ref *ref, bool *patched)
{
    if (!live || kc_meta_has(desired, KC_GROUP "/ssa", "Merge") ||
        kc_meta_has(live, KC_GROUP "/ssa", "Merge"))
        return NULL;
    static const char *const ann[] = {"kubectl.kubernetes.io/last-applied-configuration",
                                      "kustomize.toolkit.fluxcd.io/checksum",
                                      "fluxcd.io/sync-checksum"};
    json_object *patch = json_object_new_array();
    json_object *a = gotk_obj_get(live, "metadata", "annotations", NULL);
    json_object *l = gotk_obj_get(live, "metadata", "labels", NULL);
    for (int i = 0; i < 4; i++) {
        const char *key = i < 3 ? ann[i] : "fluxcd.io/sync-gc-mark";
        json_object *m = i < 3 ? a : l;
        if (!m || !json_object_object_get_ex(m, key, NULL))
            continue;
        gotk_buf path = {0};
        gotk_buf_puts(&path, i < 3 ? "/metadata/annotations/" : "/metadata/labels/");
        for (const char *p = key; *p; p++)
            gotk_buf_puts(&path, *p == '/' ? "~1" : *p == '~' ? "~0" : (char[]){*p, 0});
        json_object *op = json_object_new_object();
        json_object_object_add(op, "op", json_object_new_string("remove"));
        json_object_object_add(op, "path", json_object_new_string(path.data));
        json_object_array_add(patch, op);
        gotk_buf_free(&path);
    }
    take_over_managers(live, patch);
    gotk_err *e = NULL;
    if (json_object_array_length(patch) > 0) {
        gotk_kube_opts o = {.field_manager = KC_NAME};
        e = gotk_kube_patch(x->kube, ref, GOTK_KUBE_PATCH_JSON, patch, &o, NULL);
        *patched = e == NULL;
    }
    json_object_put(patch);
    return e;
}

/* The key of an object in the prefetched set. */
static char *live_key(const char *api, const char *kind, const char *ns, const char *name)
{
    return gotk_xasprintf("%s|%s|%s|%s", api, kind, ns ? ns : "", name);
}

/* A copy of the prefetched live object for an entry, or NULL. */
static json_object *prefetched(json_object *live_set, const kc_entry *e)
{
    char *key = live_key(e->api_version, e->kind, e->ns, e->name);
    json_object *o = NULL;
    bool found = live_set && json_object_object_get_ex(live_set, key, &o);
    free(key);
    return found ? gotk_obj_copy(o) : NULL;
}

/* The live objects of every (apiVersion, kind, namespace) group holding two or
 * more objects of the build, by one LIST each with the owner labels: a
 * no-change reconcile then reads its objects in a few requests instead of one
 * GET per object. Objects the lists miss (new, or not labelled yet) are read
 * one by one. Failures only mean no prefetch. */
static json_object *prefetch_live(kc_ctx *x)
{
    json_object *groups = json_object_new_object(), *live = json_object_new_object();
    size_t n = json_object_array_length(x->objects);
    for (size_t i = 0; i < n; i++) {
        json_object *o = json_object_array_get_idx(x->objects, i);
        const char *ns = gotk_obj_get_str(o, "metadata.namespace");
        char *g = gotk_xasprintf("%s|%s|%s", gotk_obj_get_str(o, "apiVersion"),
                                 gotk_obj_get_str(o, "kind"), ns ? ns : "");
        json_object *c = NULL;
        int count = json_object_object_get_ex(groups, g, &c) ? json_object_get_int(c) : 0;
        json_object_object_add(groups, g, json_object_new_int(count + 1));
        free(g);
    }
    char *sel = gotk_xasprintf(KC_LABEL_NAME "=%s," KC_LABEL_NAMESPACE "=%s", x->name, x->ns);
    gotk_kube_list_opts lo = {.label_selector = sel};
    json_object_object_foreach(groups, g, count)
    {
        if (json_object_get_int(count) < 2)
            continue;
        char *copy = gotk_xstrdup(g);
        char *api = copy, *kind = strchr(api, '|');
        *kind++ = '\0';
        char *ns = strchr(kind, '|');
        *ns++ = '\0';
        json_object *list = NULL;
        gotk_err *e = gotk_kube_list(x->kube, api, kind, *ns ? ns : NULL, &lo, &list);
        if (!e && *ns) { /* mark the group listed: a miss then means "maybe new" */
            char *mark = gotk_xasprintf("#%s|%s|%s", api, kind, ns);
            json_object_object_add(live, mark, json_object_new_boolean(1));
            free(mark);
        }
        gotk_err_free(e);
        json_object *items = gotk_obj_get(list, "items", NULL);
        for (size_t i = 0; items && i < json_object_array_length(items); i++) {
            json_object *it = json_object_array_get_idx(items, i);
            const char *ins = gotk_obj_get_str(it, "metadata.namespace");
            if (*ns && (!ins || strcmp(ins, ns)))
                continue; /* a namespaced list only: a cluster-wide one is not ours to key */
            char *key = live_key(api, kind, ins, gotk_obj_get_str(it, "metadata.name"));
            json_object_object_add(live, key, json_object_get(it));
            free(key);
        }
        json_object_put(list);
        free(copy);
    }
    free(sel);
    json_object_put(groups);
    return live;
}

/* Resolve the object's resource: cluster-scoped objects lose their namespace,
 * namespaced ones must have one. Fills `out` in any case. */
static gotk_err *resolve(kc_ctx *x, json_object *obj, kc_entry *out)
{
    const char *api = gotk_obj_get_str(obj, "apiVersion"), *kind = gotk_obj_get_str(obj, "kind");
    const gotk_kube_resource *r = NULL;
    gotk_err *e = gotk_kube_resource_for(x->kube, api, kind, &r);
    if (!e && !r->namespaced)
        gotk_obj_delp(obj, "metadata.namespace");
    kc_entry_from_obj(out, obj, KC_UNKNOWN);
    if (e) {
        const char *m = gotk_err_msg(e);
        if (!strncmp(m, "resource mapping: ", 18))
            m += 18;
        gotk_err *w = gotk_err_new(gotk_err_code_of(e), "%s dry-run failed: %s", out->subject, m);
        gotk_err_free(e);
        return w;
    }
    if (r->namespaced && !*out->ns)
        return gotk_err_new(GOTK_E_NOTFOUND,
                            "%s namespace not specified: the server could not find the "
                            "requested resource",
                            out->subject);
    return NULL;
}

/* Was the entry's (apiVersion, kind, namespace) group listed by prefetch_live? */
static bool group_listed(json_object *live_set, const kc_entry *e)
{
    char *key = gotk_xasprintf("#%s|%s|%s", e->api_version, e->kind, e->ns);
    bool listed = live_set && json_object_object_get_ex(live_set, key, NULL);
    free(key);
    return listed;
}

/* The live object (NULL when it does not exist). */
static gotk_err *read_live(kc_ctx *x, const gotk_kube_ref *ref, const kc_entry *e,
                          json_object **live)
{
    *live = NULL;
    gotk_err *err = gotk_kube_get(x->kube, ref, NULL, live);
    if (err && gotk_err_code_of(err) != GOTK_E_NOTFOUND)
        return gotk_err_wrap(err, "%s query failed", e->subject);
    gotk_err_free(err);
    return NULL;
}

/* Do the skip rules leave the object alone? */
static bool skipped(json_object *obj, json_object *live)
{
    return kc_meta_has(obj, KC_GROUP "/reconcile", "disabled") ||
           kc_meta_has(obj, KC_GROUP "/ssa", "Ignore") ||
           kc_meta_has(live, KC_GROUP "/reconcile", "disabled") ||
           kc_meta_has(live, KC_GROUP "/ssa", "Ignore") ||
           (live && kc_meta_has(obj, KC_GROUP "/ssa", "IfNotPresent"));
}

/* Dry-run apply; when refused as immutable and force is asked for, delete the
 * live object, wait until it is gone and dry-run again (*live becomes NULL). */
static gotk_err *dry_run(kc_ctx *x, json_object *obj, const gotk_kube_ref *ref,
                         const kc_entry *out, json_object **live, json_object **dry)
{
    gotk_kube_opts dro = {.dry_run = true, .field_manager = KC_NAME, .force = true};
    gotk_err *e = gotk_kube_apply(x->kube, obj, &dro, dry);
    if (!e || !*live || !immutable_error(e) ||
        !(json_object_get_boolean(gotk_obj_getp(x->obj, "spec.force")) ||
          kc_meta_has(obj, KC_GROUP "/force", "Enabled") ||
          kc_meta_has(*live, KC_GROUP "/force", "Enabled")))
        return e ? dry_run_error(e, out->subject, out->ns) : NULL;
    gotk_err_free(e);
    gotk_kube_opts del = {.propagation = "Background"};
    e = gotk_kube_delete(x->kube, ref, &del, NULL);
    if (e && gotk_err_code_of(e) != GOTK_E_NOTFOUND)
        return gotk_err_wrap(e, "%s immutable field detected, failed to delete object",
                             out->subject);
    gotk_err_free(e);
    if ((e = wait_gone(x->kube, ref, x->timeout)))
        return gotk_err_wrap(e, "%s immutable field detected, failed to wait for object to be "
                                "deleted",
                             out->subject);
    json_object_put(*live);
    *live = NULL;
    e = gotk_kube_apply(x->kube, obj, &dro, dry);
    return e ? dry_run_error(e, out->subject, out->ns) : NULL;
}

/* A listed group that lacks the object: if the dry-run says it does not exist
 * (no resourceVersion, as Flux judges `created`), no GET is needed. */
static bool new_object(kc_ctx *x, json_object *obj)
{
    gotk_kube_opts dro = {.dry_run = true, .field_manager = KC_NAME, .force = true};
    json_object *dry = NULL;
    gotk_err *e = gotk_kube_apply(x->kube, obj, &dro, &dry);
    const char *rv = dry ? gotk_obj_get_str(dry, "metadata.resourceVersion") : NULL;
    bool created = !e && (!rv || !*rv);
    gotk_err_free(e);
    json_object_put(dry);
    return created;
}

/* Decide what applying `obj` would do; `*apply` says whether it must be applied. */
static gotk_err *plan_one(kc_ctx *x, json_object *obj, json_object *live_set, kc_entry *out,
                          bool *apply)
{
    *apply = false;
    gotk_err *e = resolve(x, obj, out);
    if (e)
        return e;
    gotk_kube_ref ref = {out->api_version, out->kind, *out->ns ? out->ns : NULL, out->name};
    if (skipped(obj, NULL)) {
        out->action = KC_SKIPPED;
        return NULL;
    }
    json_object *live = prefetched(live_set, out);
    if (!live && group_listed(live_set, out) && new_object(x, obj)) {
        out->action = KC_CREATED;
        *apply = true;
        return NULL;
    }
    if (!live && (e = read_live(x, &ref, out, &live)))
        return e;
    if (skipped(obj, live)) {
        out->action = KC_SKIPPED;
        json_object_put(live);
        return NULL;
    }
    json_object *dry = NULL;
    bool patched = false;
    if (!(e = dry_run(x, obj, &ref, out, &live, &dry)) &&
        (e = cleanup_metadata(x, obj, live, &ref, &patched)))
        e = gotk_err_wrap(e, "%s metadata.managedFields cleanup failed", out->subject);
    if (!e) {
        out->action = !live                              ? KC_CREATED
                      : patched || has_drifted(live, dry) ? KC_CONFIGURED
                                                          : KC_UNCHANGED;
        *apply = out->action != KC_UNCHANGED;
    }
    json_object_put(live);
    json_object_put(dry);
    return e;
}

/* qsort comparator: Flux's reconcile order of objects. */
static int cmp_objects(const void *a, const void *b)
{
    json_object *x = *(json_object *const *)a, *y = *(json_object *const *)b;
    const char *kx = gotk_obj_get_str(x, "kind"), *ky = gotk_obj_get_str(y, "kind");
    int rx = kc_kind_rank(kx), ry = kc_kind_rank(ky);
    if (rx != ry)
        return rx < ry ? -1 : 1;
    const char *ax = gotk_obj_get_str(x, "apiVersion"), *ay = gotk_obj_get_str(y, "apiVersion");
    const char *sx = strchr(ax, '/'), *sy = strchr(ay, '/');
    int gx = sx ? (int)(sx - ax) : 0, gy = sy ? (int)(sy - ay) : 0;
    int c = strncmp(ax, ay, (size_t)(gx < gy ? gx : gy));
    if (c == 0 && gx != gy)
        c = gx < gy ? -1 : 1;
    if (c == 0)
        c = strcmp(kx, ky);
    if (c == 0) {
        const char *nx = gotk_obj_get_str(x, "metadata.namespace"),
                   *ny = gotk_obj_get_str(y, "metadata.namespace");
        c = strcmp(nx ? nx : "", ny ? ny : "");
    }
    return c ? c : strcmp(gotk_obj_get_str(x, "metadata.name"), gotk_obj_get_str(y, "metadata.name"));
}

/* Plan every object of a stage, then apply those that changed. */
static gotk_err *apply_stage(kc_ctx *x, json_object **objs, size_t n, json_object *live_set,
                             kc_changeset *stage)
{
    qsort(objs, n, sizeof *objs, cmp_objects);
    bool *todo = gotk_xcalloc(n ? n : 1, sizeof *todo);
    gotk_err *e = NULL;
    for (size_t i = 0; !e && i < n; i++) {
        kc_entry ent;
        e = plan_one(x, objs[i], live_set, &ent, &todo[i]);
        if (e)
            kc_entry_free(&ent);
        else
            kc_changeset_add(stage, &ent);
    }
    gotk_kube_opts ao = {.field_manager = KC_NAME, .force = true};
    for (size_t i = 0; !e && i < n; i++) {
        if (!todo[i])
            continue;
        gotk_err *ae = gotk_kube_apply(x->kube, objs[i], &ao, NULL);
        if (ae)
            e = gotk_err_new(gotk_err_code_of(ae), "%s apply failed: %s", stage->v[i].subject,
                             gotk_err_msg(ae));
        gotk_err_free(ae);
    }
    free(todo);
    return e;
}

/* Which stage an object belongs to: 0 cluster definitions, 1 classes, 2 the rest. */
static int stage_of(json_object *o)
{
    const char *kind = gotk_obj_get_str(o, "kind"), *api = gotk_obj_get_str(o, "apiVersion");
    if ((!strcasecmp(kind, "CustomResourceDefinition") && !strncmp(api, "apiextensions.k8s.io/", 21)) ||
        (!strcasecmp(kind, "Namespace") && !strcmp(api, "v1")) ||
        (!strcasecmp(kind, "ClusterRole") && !strncmp(api, "rbac.authorization.k8s.io/", 26)))
        return 0;
    size_t kl = strlen(kind);
    if (kl >= 5 && !strcmp(kind + kl - 5, "Class"))
        return 1;
    return 2;
}

/* Label, stage and apply every built object; fills x->applied. */
gotk_err *kc_apply(kc_ctx *x)
{
    label_objects(x);
    gotk_err *e = check_encrypted(x->objects);
    if (e)
        return e;
    size_t n = json_object_array_length(x->objects);
    json_object **objs = gotk_xcalloc(n ? n : 1, sizeof *objs);
    json_object *live_set = prefetch_live(x);
    for (int s = 0; !e && s < 3; s++) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (stage_of(json_object_array_get_idx(x->objects, i)) == s)
                objs[k++] = json_object_array_get_idx(x->objects, i);
        if (k == 0)
            continue;
        kc_changeset stage = {0};
        e = apply_stage(x, objs, k, live_set, &stage);
        /* As ApplyAll: a failed stage reports none of its entries. */
        bool applied = !e;
        if (!e && s < 2)
            e = kc_wait_set(x, &stage, 60 * GOTK_SECOND, 500 * GOTK_MS);
        for (size_t i = 0; applied && i < stage.n; i++)
            kc_changeset_add(&x->applied, &stage.v[i]);
        kc_changeset_free(&stage);
    }
    free(objs);
    json_object_put(live_set);
    char *log = kc_changeset_string(&x->applied, true);
    if (e && *log) {
        gotk_err *w = gotk_err_new(gotk_err_code_of(e), "%s\n%s", gotk_err_msg(e), log);
        gotk_err_free(e);
        e = w;
    }
    x->drifted = *log != '\0';
    if (!e && *log) {
        gotk_log(GOTK_LOG_INFO, &x->log, "server-side apply completed", "revision", x->revision,
                 "output", log, (char *)NULL);
        kc_event(x, false, log);
    }
    free(log);
    return e;
}
