/*
 * kustomization.c: the Kustomization reconciler, top to bottom as Flux's
 * kustomization_controller.go reads.
 *
 * reconcile(): get the object; on deletion run the finalizer (deletionPolicy)
 * and return; add the finalizer; stop when suspended; refuse spec.decryption
 * (SOPS is not supported yet, and ciphertext is never applied); resolve the
 * source (not found, no artifact: Ready False and retry); check dependsOn
 * (requeue after --requeue-dependency); then run the steps over a kc_ctx:
 *
 *   fetch   download and verify the artifact (the shared cache)
 *   tree    the per-reconcile work tree at spec.path
 *   build   generator, kustomize, postBuild
 *   apply   staged server-side apply, the change set Event
 *   prune   inventory, garbage collection when spec.prune
 *   health  wait / healthChecks, the Healthy condition
 *
 * Each failing step marks Ready False with its reason and message; success
 * marks Ready True "Applied revision: <rev>". Conditions are summarized as
 * Flux's finalizeStatus does, status is patched only when it changed, and the
 * object comes back after spec.interval, or spec.retryInterval on failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gotk/obj.h"
#include "kc.h"

/* ---- helpers shared with the steps ---------------------------------------- */

/* Set one condition now. */
void kc_mark(kc_ctx *x, const char *type, const char *status, const char *reason,
             const char *msg)
{
    char now[32];
    gotk_now_rfc3339(now);
    gotk_condition c = {type, status, reason, msg};
    gotk_cond_set(x->obj, &c, now);
}

/* An Event about the Kustomization, its reason the Ready reason as Flux does. */
void kc_event(kc_ctx *x, bool warning, const char *msg)
{
    json_object *ready = gotk_cond_get(x->obj, GOTK_COND_READY);
    const char *reason = ready ? gotk_obj_get_str(ready, "reason") : NULL;
    if (!reason || !*reason)
        reason = warning ? "error" : "info";
    json_object *ann = NULL;
    if (x->revision) {
        ann = json_object_new_object();
        json_object_object_add(ann, KC_GROUP "/revision", json_object_new_string(x->revision));
    }
    gotk_event_record(gotk_controller_kube(x->st->ctrl), x->obj, KC_NAME, warning, reason, msg,
                      ann);
    json_object_put(ann);
}

/* Merge-patch the status subresource when it differs from the last write:
 * only the fields that changed since (as Flux's patch helper diffs against the
 * object it read), so a progress message does not resend inventory and history. */
gotk_err *kc_patch_status(kc_ctx *x)
{
    json_object *status = gotk_obj_get(x->obj, "status", NULL);
    if (!status)
        return NULL;
    if (x->before && gotk_obj_equal(x->before, status))
        return NULL;
    json_object *st = json_object_new_object();
    json_object_object_foreach(status, key, val)
    {
        json_object *was = NULL;
        if (!x->before || !json_object_object_get_ex(x->before, key, &was) ||
            !gotk_obj_equal(was, val))
            json_object_object_add(st, key, gotk_obj_copy(val));
    }
    json_object_object_foreach(x->before ? x->before : status, k, v)
    {
        (void)v;
        if (!json_object_object_get_ex(status, k, NULL))
            json_object_object_add(st, k, NULL);
    }
    json_object *patch = json_object_new_object();
    json_object_object_add(patch, "status", st);
    gotk_kube_ref ref = {gotk_obj_get_str(x->obj, "apiVersion"), "Kustomization", x->ns, x->name};
    gotk_kube_opts o = {.subresource = "status", .field_manager = "gotk-kustomize-controller"};
    gotk_err *e = gotk_kube_patch(gotk_controller_kube(x->st->ctrl), &ref, GOTK_KUBE_PATCH_MERGE,
                                  patch, &o, NULL);
    json_object_put(patch);
    if (e && gotk_err_code_of(e) == GOTK_E_NOTFOUND && gotk_obj_getp(x->obj, "metadata.deletionTimestamp")) {
        gotk_err_free(e);
        e = NULL;
    }
    if (!e) {
        json_object_put(x->before);
        x->before = gotk_obj_copy(status);
    }
    return e;
}

/* A duration field of the spec, or `def`. */
static gotk_duration spec_duration(kc_ctx *x, const char *field, gotk_duration def)
{
    const char *s = gotk_obj_get_str(gotk_obj_get(x->obj, "spec", NULL), field);
    gotk_duration d;
    gotk_err *e = s ? gotk_duration_parse(s, &d) : NULL;
    if (!s || e) {
        gotk_err_free(e);
        return def;
    }
    return d;
}

/* Go's Duration.String() as a new string. */
static char *dur(gotk_duration d)
{
    char b[32];
    return gotk_xstrdup(gotk_duration_format(d, b));
}

/* Time since the reconcile started. */
static gotk_duration elapsed(kc_ctx *x)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (gotk_duration)(now.tv_sec - x->start.tv_sec) * GOTK_SECOND +
           (now.tv_nsec - x->start.tv_nsec);
}

/* Mark Reconciling with a progress message and write status. */
static void progressing(kc_ctx *x, const char *what)
{
    char *t = dur(x->timeout);
    char *msg = gotk_xasprintf("%s for revision %s with a timeout of %s", what,
                               x->revision ? x->revision : "", t);
    kc_mark(x, GOTK_COND_RECONCILING, "True", "Progressing", msg);
    gotk_err *e = kc_patch_status(x);
    if (e)
        gotk_log(GOTK_LOG_ERROR, &x->log, "failed to update status", "error", gotk_err_msg(e),
                 (char *)NULL);
    gotk_err_free(e);
    free(msg);
    free(t);
}

/* Flux's status.history: one snapshot per (checksum, status), newest first, 5 kept. */
static void history_upsert(kc_ctx *x, const char *status)
{
    if (!x->checksum)
        return;
    char now[32];
    gotk_now_rfc3339(now);
    char *d = dur(elapsed(x));
    json_object *st = gotk_obj_get(x->obj, "status", NULL);
    json_object *h = gotk_obj_get(st, "history", NULL);
    json_object *nh = json_object_new_array(), *found = NULL;
    for (size_t i = 0; h && i < json_object_array_length(h); i++) {
        json_object *s = json_object_array_get_idx(h, i);
        const char *dg = gotk_obj_get_str(s, "digest"), *ls = gotk_obj_get_str(s, "lastReconciledStatus");
        if (!found && dg && ls && !strcmp(dg, x->checksum) && !strcmp(ls, status))
            found = gotk_obj_copy(s);
    }
    if (!found) {
        found = json_object_new_object();
        json_object_object_add(found, "digest", json_object_new_string(x->checksum));
        json_object_object_add(found, "firstReconciled", json_object_new_string(now));
        json_object_object_add(found, "totalReconciliations", json_object_new_int64(0));
    }
    json_object_object_add(found, "lastReconciled", json_object_new_string(now));
    json_object_object_add(found, "lastReconciledDuration", json_object_new_string(d));
    json_object_object_add(found, "lastReconciledStatus", json_object_new_string(status));
    int64_t total = json_object_get_int64(gotk_obj_get(found, "totalReconciliations", NULL));
    json_object_object_add(found, "totalReconciliations", json_object_new_int64(total + 1));
    json_object *meta = json_object_new_object();
    json_object_object_add(meta, "revision", json_object_new_string(x->revision));
    json_object_object_add(found, "metadata", meta);
    json_object_array_add(nh, found);
    for (size_t i = 0; h && i < json_object_array_length(h) && json_object_array_length(nh) < 5; i++) {
        json_object *s = json_object_array_get_idx(h, i);
        const char *dg = gotk_obj_get_str(s, "digest"), *ls = gotk_obj_get_str(s, "lastReconciledStatus");
        if (dg && ls && !strcmp(dg, x->checksum) && !strcmp(ls, status))
            continue;
        json_object_array_add(nh, gotk_obj_copy(s));
    }
    json_object_object_add(st, "history", nh);
    free(d);
}

/* ---- the steps ------------------------------------------------------------------ */

typedef struct {
    const char *reason;       /* Ready reason on failure */
    gotk_duration requeue;    /* > 0: retry after this instead of retryInterval */
    bool quiet;               /* a wait, not a failure: no Warning event */
} kc_outcome;

typedef gotk_err *(*kc_step_fn)(kc_ctx *x, kc_outcome *out);

/* fetch: the artifact from the cache (downloaded and verified once per digest). */
static gotk_err *step_fetch(kc_ctx *x, kc_outcome *out)
{
    out->reason = "ArtifactFailed";
    gotk_err *e = kc_fetch_artifact(x);
    if (e && gotk_err_code_of(e) == GOTK_E_NOTFOUND) {
        gotk_duration rq = gotk_controller_opts(x->st->ctrl)->requeue_dependency;
        char *d = dur(rq);
        gotk_err_free(e);
        e = gotk_err_new(GOTK_E_NOTFOUND, "Source is not ready, artifact not found, retrying in %s", d);
        free(d);
        out->requeue = rq;
        out->quiet = true;
    }
    return e;
}

/* tree: the per-reconcile work tree at spec.path. */
static gotk_err *step_tree(kc_ctx *x, kc_outcome *out)
{
    out->reason = "ArtifactFailed";
    gotk_err *e = kc_prepare_tree(x);
    if (e)
        return e;
    json_object_object_add(gotk_obj_get(x->obj, "status", NULL), "lastAttemptedRevision",
                           json_object_new_string(x->revision));
    progressing(x, "Building manifests");
    return NULL;
}

/* An impersonating client for serviceAccountName / --default-service-account. */
static gotk_err *impersonate(kc_ctx *x)
{
    const char *sa = gotk_obj_get_str(x->obj, "spec.serviceAccountName");
    if (!sa || !*sa)
        sa = x->st->default_service_account;
    if (!sa || !*sa)
        return NULL;
    gotk_kube_config *cfg = gotk_kube_config_copy(gotk_kube_client_config(x->kube));
    char *user = gotk_kube_sa_user(x->ns, sa);
    gotk_kube_config_impersonate(cfg, user);
    free(user);
    gotk_err *e = gotk_kube_client_new(cfg, &x->owned_kube);
    gotk_kube_config_free(cfg);
    if (e)
        return gotk_err_wrap(e, "failed to build kube client");
    x->kube = x->owned_kube;
    return NULL;
}

/* build: generator, kustomize build, postBuild. */
static gotk_err *step_build(kc_ctx *x, kc_outcome *out)
{
    out->reason = "ReconciliationFailed";
    gotk_err *e = impersonate(x);
    if (e)
        return e;
    out->reason = "BuildFailed";
    if ((e = kc_build(x)))
        return e;
    progressing(x, "Detecting drift");
    return NULL;
}

/* apply: staged server-side apply. */
static gotk_err *step_apply(kc_ctx *x, kc_outcome *out)
{
    out->reason = "ReconciliationFailed";
    return kc_apply(x);
}

/* prune: the new inventory, and garbage collection of what left the build. */
static gotk_err *step_prune(kc_ctx *x, kc_outcome *out)
{
    out->reason = "PruneFailed";
    json_object *st = gotk_obj_get(x->obj, "status", NULL);
    json_object *old = gotk_obj_get(st, "inventory", NULL);
    json_object *old_copy = old ? gotk_obj_copy(old) : NULL;
    json_object *inv = kc_inventory_from(&x->applied);
    json_object_object_add(st, "inventory", inv);
    gotk_err *e = NULL;
    if (old_copy && json_object_get_boolean(gotk_obj_getp(x->obj, "spec.prune"))) {
        kc_changeset cs = {0};
        e = kc_prune(x, old_copy, inv, &cs);
        /* Objects that could not be deleted stay in the inventory. */
        for (size_t i = 0; e && i < cs.n; i++)
            if (cs.v[i].action == KC_UNKNOWN) {
                json_object *en = json_object_new_object();
                json_object_object_add(en, "id", json_object_new_string(cs.v[i].id));
                json_object_object_add(en, "v", json_object_new_string(cs.v[i].version));
                json_object_array_add(gotk_obj_get(inv, "entries", NULL), en);
            }
        char *msg = kc_changeset_string(&cs, false);
        if (!e && *msg) {
            gotk_log(GOTK_LOG_INFO, &x->log, "garbage collection completed", "output", msg,
                     (char *)NULL);
            kc_event(x, false, msg);
        }
        free(msg);
        kc_changeset_free(&cs);
    }
    json_object_put(old_copy);
    return e;
}

/* Add an entry for apiVersion/kind ns/name to the set. */
static void set_add(kc_changeset *set, const char *api, const char *kind, const char *ns,
                    const char *name)
{
    json_object *o = json_object_new_object(), *m = json_object_new_object();
    json_object_object_add(o, "apiVersion", json_object_new_string(api ? api : ""));
    json_object_object_add(o, "kind", json_object_new_string(kind ? kind : ""));
    json_object_object_add(m, "name", json_object_new_string(name ? name : ""));
    json_object_object_add(m, "namespace", json_object_new_string(ns ? ns : ""));
    json_object_object_add(o, "metadata", m);
    kc_entry e;
    kc_entry_from_obj(&e, o, KC_UNKNOWN);
    json_object_put(o);
    kc_changeset_add(set, &e);
}

/* What to check: every applied object but the skipped ones and ourselves
 * (wait: true), or spec.healthChecks. */
static void health_set(kc_ctx *x, kc_changeset *set)
{
    if (json_object_get_boolean(gotk_obj_getp(x->obj, "spec.wait"))) {
        for (size_t i = 0; i < x->applied.n; i++) {
            kc_entry *a = &x->applied.v[i];
            if (a->action != KC_SKIPPED && (strcmp(a->kind, "Kustomization") ||
                                            strcmp(a->name, x->name) || strcmp(a->ns, x->ns)))
                set_add(set, a->api_version, a->kind, a->ns, a->name);
        }
        return;
    }
    json_object *hc = gotk_obj_getp(x->obj, "spec.healthChecks");
    for (size_t i = 0; hc && i < json_object_array_length(hc); i++) {
        json_object *r = json_object_array_get_idx(hc, i);
        set_add(set, gotk_obj_get_str(r, "apiVersion"), gotk_obj_get_str(r, "kind"),
                gotk_obj_get_str(r, "namespace"), gotk_obj_get_str(r, "name"));
    }
}

/* health: wait for every applied object (wait: true) or spec.healthChecks. */
static gotk_err *step_health(kc_ctx *x, kc_outcome *out)
{
    out->reason = "HealthCheckFailed";
    kc_changeset set = {0};
    health_set(x, &set);
    if (set.n == 0) {
        gotk_cond_delete(x->obj, "Healthy");
        kc_changeset_free(&set);
        return NULL;
    }
    bool was_healthy = gotk_cond_is_true(x->obj, "Healthy");
    char *t = dur(x->timeout);
    char *msg = gotk_xasprintf("Running health checks for revision %s with a timeout of %s",
                               x->revision, t);
    kc_mark(x, GOTK_COND_RECONCILING, "True", "Progressing", msg);
    kc_mark(x, "Healthy", "Unknown", "Progressing", msg);
    free(msg);
    free(t);
    gotk_err_free(kc_patch_status(x));
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    gotk_err *e = kc_wait_set(x, &set, x->timeout, GOTK_SECOND);
    kc_changeset_free(&set);
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    char *took = dur((gotk_duration)(t1.tv_sec - t0.tv_sec) * GOTK_SECOND + (t1.tv_nsec - t0.tv_nsec));
    if (e) {
        kc_mark(x, "Healthy", "False", "HealthCheckFailed", gotk_err_msg(e));
        e = gotk_err_wrap(e, "health check failed after %s", took);
        free(took);
        return e;
    }
    msg = gotk_xasprintf("Health check passed in %s", took);
    free(took);
    const char *last = gotk_obj_get_str(x->obj, "status.lastAppliedRevision");
    bool new_rev = !last || strcmp(last, x->revision) != 0;
    if (!was_healthy || (new_rev && x->drifted))
        kc_event(x, false, msg);
    kc_mark(x, "Healthy", "True", "Succeeded", msg);
    free(msg);
    return NULL;
}

static const struct {
    const char *name;
    kc_step_fn fn;
    bool history; /* a failure here is recorded in status.history */
} steps[] = {
    {"fetch", step_fetch, false},  {"tree", step_tree, false},    {"build", step_build, false},
    {"apply", step_apply, true},   {"prune", step_prune, true},   {"health", step_health, true},
};

/* Run the steps; on failure mark Ready False and say when to retry. */
static void run_steps(kc_ctx *x, gotk_result *res)
{
    kc_mark(x, GOTK_COND_READY, "Unknown", "Progressing", "Reconciliation in progress");
    progressing(x, "Fetching manifests");
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        kc_outcome out = {0};
        gotk_err *e = steps[i].fn(x, &out);
        if (!e)
            continue;
        if (steps[i].history)
            history_upsert(x, out.reason);
        kc_mark(x, GOTK_COND_READY, "False", out.reason, gotk_err_msg(e));
        if (out.quiet) {
            gotk_log(GOTK_LOG_INFO, &x->log, gotk_err_msg(e), (char *)NULL);
            res->requeue_after = out.requeue;
        } else {
            char *a = dur(elapsed(x)), *r = dur(x->retry_interval);
            char *msg = gotk_xasprintf("Reconciliation failed after %s, next try in %s", a, r);
            gotk_log(GOTK_LOG_ERROR, &x->log, msg, "revision", x->revision, "error",
                     gotk_err_msg(e), (char *)NULL);
            kc_event(x, true, gotk_err_msg(e));
            free(msg);
            free(a);
            free(r);
            res->requeue_after = out.requeue > 0 ? out.requeue : x->retry_interval;
        }
        gotk_err_free(e);
        return;
    }
    json_object_object_add(gotk_obj_get(x->obj, "status", NULL), "lastAppliedRevision",
                           json_object_new_string(x->revision));
    char *msg = gotk_xasprintf("Applied revision: %s", x->revision);
    kc_mark(x, GOTK_COND_READY, "True", "ReconciliationSucceeded", msg);
    free(msg);
    history_upsert(x, "ReconciliationSucceeded");
    res->requeue_after = x->interval;
}

/* ---- dependencies ------------------------------------------------------------------ */

/* Flux's checkDependencies: each dependency Ready at its observed generation, and
 * at the same revision when it shares our source. */
static gotk_err *check_dependencies(kc_ctx *x)
{
    json_object *deps = gotk_obj_getp(x->obj, "spec.dependsOn");
    for (size_t i = 0; deps && i < json_object_array_length(deps); i++) {
        json_object *d = json_object_array_get_idx(deps, i);
        const char *name = gotk_obj_get_str(d, "name"), *ns = gotk_obj_get_str(d, "namespace");
        if (!ns || !*ns)
            ns = x->ns;
        if (!name)
            name = "";
        gotk_kube_ref ref = {KC_API_VERSION, "Kustomization", ns, name};
        json_object *dep = NULL;
        gotk_err *e = gotk_kube_get(gotk_controller_kube(x->st->ctrl), &ref, NULL, &dep);
        if (e)
            return gotk_err_wrap(e, "dependency '%s/%s' not found", ns, name);
        int64_t gen = json_object_get_int64(gotk_obj_getp(dep, "metadata.generation"));
        int64_t seen = json_object_get_int64(gotk_obj_getp(dep, "status.observedGeneration"));
        json_object *conds = gotk_obj_getp(dep, "status.conditions");
        bool ready = conds && json_object_array_length(conds) > 0 && gen == seen &&
                     gotk_cond_is_true(dep, GOTK_COND_READY);
        if (!ready) {
            json_object_put(dep);
            return gotk_err_new(GOTK_E_GENERIC, "dependency '%s/%s' is not ready", ns, name);
        }
        const char *dsn = gotk_obj_get_str(dep, "spec.sourceRef.namespace");
        const char *osn = gotk_obj_get_str(x->obj, "spec.sourceRef.namespace");
        const char *dn = gotk_obj_get_str(dep, "spec.sourceRef.name"),
                   *on = gotk_obj_get_str(x->obj, "spec.sourceRef.name");
        const char *dk = gotk_obj_get_str(dep, "spec.sourceRef.kind"),
                   *ok = gotk_obj_get_str(x->obj, "spec.sourceRef.kind");
        const char *rev = gotk_obj_get_str(dep, "status.lastAppliedRevision");
        bool same = dn && on && !strcmp(dn, on) && dk && ok && !strcmp(dk, ok) &&
                    !strcmp(dsn && *dsn ? dsn : ns, osn && *osn ? osn : x->ns);
        bool stale = same && (!rev || !x->revision || strcmp(rev, x->revision) != 0);
        json_object_put(dep);
        if (stale)
            return gotk_err_new(GOTK_E_GENERIC, "dependency '%s/%s' revision is not up to date",
                                ns, name);
    }
    return NULL;
}

/* ---- deletion ------------------------------------------------------------------- */

/* Flux's finalizerShouldDeleteResources. */
static bool should_delete(kc_ctx *x)
{
    if (json_object_get_boolean(gotk_obj_getp(x->obj, "spec.suspend")))
        return false;
    json_object *entries = gotk_obj_getp(x->obj, "status.inventory.entries");
    if (!entries || json_object_array_length(entries) == 0)
        return false;
    const char *p = gotk_obj_get_str(x->obj, "spec.deletionPolicy");
    if (!p || !*p || !strcmp(p, "MirrorPrune"))
        return json_object_get_boolean(gotk_obj_getp(x->obj, "spec.prune"));
    return !strcmp(p, "Delete") || !strcmp(p, "WaitForTermination");
}

/* Remove our finalizer from the object. */
static gotk_err *remove_finalizer(kc_ctx *x)
{
    json_object *fin = gotk_obj_getp(x->obj, "metadata.finalizers"), *keep = json_object_new_array();
    bool had = false;
    for (size_t i = 0; fin && i < json_object_array_length(fin); i++) {
        const char *f = json_object_get_string(json_object_array_get_idx(fin, i));
        if (!strcmp(f, KC_FINALIZER))
            had = true;
        else
            json_object_array_add(keep, json_object_new_string(f));
    }
    if (!had) {
        json_object_put(keep);
        return NULL;
    }
    json_object *patch = json_object_new_object(), *meta = json_object_new_object();
    json_object_object_add(meta, "finalizers", keep);
    json_object_object_add(meta, "resourceVersion",
                           json_object_new_string(gotk_obj_get_str(x->obj, "metadata.resourceVersion")));
    json_object_object_add(patch, "metadata", meta);
    gotk_kube_ref ref = {gotk_obj_get_str(x->obj, "apiVersion"), "Kustomization", x->ns, x->name};
    gotk_err *e = gotk_kube_patch(gotk_controller_kube(x->st->ctrl), &ref, GOTK_KUBE_PATCH_MERGE,
                                  patch, NULL, NULL);
    json_object_put(patch);
    if (e && gotk_err_code_of(e) == GOTK_E_NOTFOUND) {
        gotk_err_free(e);
        e = NULL;
    }
    return e;
}

/* The finalizer: delete the inventory as deletionPolicy says, then let go. */
static gotk_err *finalize(kc_ctx *x)
{
    if (should_delete(x)) {
        gotk_err *e = impersonate(x);
        if (e)
            return e;
        kc_changeset cs = {0};
        e = kc_prune(x, gotk_obj_getp(x->obj, "status.inventory"), NULL, &cs);
        x->revision = gotk_obj_get_str(x->obj, "status.lastAppliedRevision");
        if (e) {
            kc_event(x, true, "pruning for deleted resource failed");
            kc_changeset_free(&cs);
            return e;
        }
        char *msg = kc_changeset_string(&cs, false);
        if (*msg)
            kc_event(x, false, msg);
        free(msg);
        const char *p = gotk_obj_get_str(x->obj, "spec.deletionPolicy");
        if (p && !strcmp(p, "WaitForTermination")) {
            kc_changeset gone = {0};
            for (size_t i = 0; i < cs.n; i++)
                if (cs.v[i].action == KC_DELETED) {
                    kc_entry en;
                    kc_entry_from_id(&en, cs.v[i].id, cs.v[i].version, KC_DELETED);
                    kc_changeset_add(&gone, &en);
                }
            /* Waiting for termination is waiting until each is NotFound. */
            struct timespec nap = {0, 500 * 1000 * 1000};
            for (gotk_duration w = 0; w < x->timeout; w += 500 * GOTK_MS) {
                bool any = false;
                for (size_t i = 0; i < gone.n && !any; i++) {
                    gotk_kube_ref ref = {gone.v[i].api_version, gone.v[i].kind,
                                         *gone.v[i].ns ? gone.v[i].ns : NULL, gone.v[i].name};
                    gotk_err *ge = gotk_kube_get(x->kube, &ref, NULL, NULL);
                    any = !ge;
                    gotk_err_free(ge);
                }
                if (!any)
                    break;
                nanosleep(&nap, NULL);
            }
            kc_changeset_free(&gone);
        }
        kc_changeset_free(&cs);
    }
    return remove_finalizer(x);
}

/* ---- reconcile ------------------------------------------------------------------- */

/* Flux's finalizeStatus: lastHandledReconcileAt, Reconciling and observedGeneration. */
static void finalize_status(kc_ctx *x)
{
    json_object *st = gotk_obj_get(x->obj, "status", NULL);
    json_object *ann = gotk_obj_getp(x->obj, "metadata.annotations"), *v = NULL;
    if (ann && json_object_object_get_ex(ann, "reconcile.fluxcd.io/requestedAt", &v))
        json_object_object_add(st, "lastHandledReconcileAt",
                               json_object_new_string(json_object_get_string(v)));
    if (gotk_cond_is_true(x->obj, GOTK_COND_READY)) {
        gotk_cond_delete(x->obj, GOTK_COND_RECONCILING);
        json_object_object_add(st, "observedGeneration",
                               json_object_new_int64(json_object_get_int64(
                                   gotk_obj_getp(x->obj, "metadata.generation"))));
    }
    json_object *ready = gotk_cond_get(x->obj, GOTK_COND_READY);
    const char *rs = ready ? gotk_obj_get_str(ready, "status") : NULL;
    json_object *rc = gotk_cond_get(x->obj, GOTK_COND_RECONCILING);
    if (rs && !strcmp(rs, "False") && rc)
        json_object_object_add(rc, "reason", json_object_new_string("ProgressingWithRetry"));
}

/* Add the finalizer when missing. */
static gotk_err *ensure_finalizer(kc_ctx *x)
{
    json_object *fin = gotk_obj_getp(x->obj, "metadata.finalizers");
    for (size_t i = 0; fin && i < json_object_array_length(fin); i++)
        if (!strcmp(json_object_get_string(json_object_array_get_idx(fin, i)), KC_FINALIZER))
            return NULL;
    json_object *list = fin ? gotk_obj_copy(fin) : json_object_new_array();
    json_object_array_add(list, json_object_new_string(KC_FINALIZER));
    json_object *patch = json_object_new_object(), *meta = json_object_new_object();
    json_object_object_add(meta, "finalizers", list);
    json_object_object_add(patch, "metadata", meta);
    gotk_kube_ref ref = {gotk_obj_get_str(x->obj, "apiVersion"), "Kustomization", x->ns, x->name};
    json_object *updated = NULL;
    gotk_err *e = gotk_kube_patch(gotk_controller_kube(x->st->ctrl), &ref, GOTK_KUBE_PATCH_MERGE,
                                  patch, NULL, &updated);
    json_object_put(patch);
    if (!e) {
        /* Keep our status edits; take the server's metadata. */
        json_object_object_add(x->obj, "metadata", gotk_obj_copy(gotk_obj_get(updated, "metadata", NULL)));
    }
    json_object_put(updated);
    return e;
}

/* Spec fields gotk does not implement yet and must never half-honour: SOPS
 * decryption (ciphertext would be applied) and kubeConfig (objects would land in
 * the wrong cluster). Returns the Ready message, or NULL. */
static const char *refuse_unsupported(kc_ctx *x)
{
    if (gotk_obj_getp(x->obj, "spec.decryption"))
        return "decryption is not supported yet: spec.decryption is set and gotk does not "
               "decrypt SOPS manifests, so nothing was applied";
    if (gotk_obj_getp(x->obj, "spec.kubeConfig"))
        return "spec.kubeConfig is not supported yet: gotk applies only to the cluster it runs "
               "in, so nothing was applied";
    return NULL;
}

/* The work between getting the object and summarizing its status. */
static gotk_err *reconcile_object(kc_ctx *x, gotk_result *res)
{
    if (gotk_obj_getp(x->obj, "metadata.deletionTimestamp"))
        return finalize(x);
    gotk_err *e = ensure_finalizer(x);
    if (e)
        return e;
    if (json_object_get_boolean(gotk_obj_getp(x->obj, "spec.suspend"))) {
        gotk_log(GOTK_LOG_INFO, &x->log, "Reconciliation is suspended for this object", (char *)NULL);
        return NULL;
    }
    gotk_cond_delete(x->obj, GOTK_COND_STALLED); /* set again below if still terminal */
    char *rq = dur(gotk_controller_opts(x->st->ctrl)->requeue_dependency);
    bool not_found = false;
    e = kc_get_source(x, &not_found);
    if (e) {
        kc_mark(x, GOTK_COND_READY, "False", "ArtifactFailed", gotk_err_msg(e));
        if (gotk_err_code_of(e) == GOTK_E_KUBE_FORBIDDEN) {
            kc_mark(x, GOTK_COND_READY, "False", "AccessDenied", gotk_err_msg(e));
            kc_mark(x, GOTK_COND_STALLED, "True", "AccessDenied", gotk_err_msg(e));
            kc_event(x, true, gotk_err_msg(e));
        } else if (not_found) {
            gotk_log(GOTK_LOG_INFO, &x->log, gotk_err_msg(e), (char *)NULL);
            res->requeue_after = x->retry_interval;
        } else
            res->requeue_after = x->retry_interval;
        gotk_err_free(e);
        free(rq);
        return NULL;
    }
    if (!x->url || !x->revision) {
        char *msg = gotk_xasprintf("Source artifact not found, retrying in %s", rq);
        kc_mark(x, GOTK_COND_READY, "False", "ArtifactFailed", msg);
        gotk_log(GOTK_LOG_INFO, &x->log, msg, (char *)NULL);
        free(msg);
        free(rq);
        res->requeue_after = gotk_controller_opts(x->st->ctrl)->requeue_dependency;
        return NULL;
    }
    const char *unsupported = refuse_unsupported(x);
    if (unsupported) {
        kc_mark(x, GOTK_COND_READY, "False", "BuildFailed", unsupported);
        kc_mark(x, GOTK_COND_STALLED, "True", "BuildFailed", unsupported);
        kc_event(x, true, unsupported);
        free(rq);
        res->requeue_after = x->interval;
        return NULL;
    }
    if (gotk_obj_getp(x->obj, "spec.dependsOn")) {
        e = check_dependencies(x);
        if (e) {
            kc_mark(x, GOTK_COND_READY, "False", "DependencyNotReady", gotk_err_msg(e));
            char *msg = gotk_xasprintf("Dependencies do not meet ready condition, retrying in %s", rq);
            gotk_log(GOTK_LOG_INFO, &x->log, msg, (char *)NULL);
            kc_event(x, false, msg);
            free(msg);
            gotk_err_free(e);
            free(rq);
            res->requeue_after = gotk_controller_opts(x->st->ctrl)->requeue_dependency;
            return NULL;
        }
        gotk_log(GOTK_LOG_INFO, &x->log, "All dependencies are ready, proceeding with reconciliation",
                 (char *)NULL);
    }
    free(rq);
    run_steps(x, res);
    return NULL;
}

/* Free everything a reconcile owned. */
static void ctx_free(kc_ctx *x)
{
    if (x->workdir)
        gotk_err_free(gotk_file_remove_all(x->workdir));
    free(x->workdir);
    free(x->build_dir);
    free(x->rel_path);
    kc_cache_release(x->st->cache, x->artifact);
    json_object_put(x->objects);
    free(x->checksum);
    kc_changeset_free(&x->applied);
    json_object_put(x->source);
    json_object_put(x->before);
    json_object_put(x->obj);
    if (x->owned_kube)
        gotk_kube_client_free(x->owned_kube);
}

/* The reconciler the runtime calls. */
gotk_err *kc_reconcile(gotk_controller *c, const char *ns, const char *name, gotk_result *res,
                       void *ud);
gotk_err *kc_reconcile(gotk_controller *c, const char *ns, const char *name, gotk_result *res,
                       void *ud)
{
    kc_ctx x = {.st = ud, .ns = ns, .name = name};
    x.kube = gotk_controller_kube(c);
    clock_gettime(CLOCK_MONOTONIC, &x.start);
    gotk_kube_ref ref = {KC_API_VERSION, "Kustomization", ns, name};
    gotk_err *e = gotk_kube_get(x.kube, &ref, NULL, &x.obj);
    if (e) {
        bool gone = gotk_err_code_of(e) == GOTK_E_NOTFOUND;
        if (gone)
            gotk_err_free(e);
        return gone ? NULL : e;
    }
    x.log = (gotk_log_ctx){.controller = KC_NAME, .name = name, .namespace_ = ns};
    json_object *st = gotk_obj_get(x.obj, "status", NULL);
    x.before = st ? gotk_obj_copy(st) : NULL;
    if (!st)
        json_object_object_add(x.obj, "status", json_object_new_object());
    x.interval = spec_duration(&x, "interval", 10 * GOTK_MINUTE);
    x.retry_interval = spec_duration(&x, "retryInterval", x.interval);
    x.timeout = spec_duration(&x, "timeout", x.interval - 30 * GOTK_SECOND);
    if (x.timeout < 30 * GOTK_SECOND)
        x.timeout = 30 * GOTK_SECOND;
    bool deleting = gotk_obj_getp(x.obj, "metadata.deletionTimestamp") != NULL;
    e = reconcile_object(&x, res);
    if (!deleting) {
        finalize_status(&x);
        gotk_err *pe = kc_patch_status(&x);
        if (pe && !e)
            e = gotk_err_wrap(pe, "failed to update status");
        else
            gotk_err_free(pe);
        bool suspended = json_object_get_boolean(gotk_obj_getp(x.obj, "spec.suspend"));
        gotk_metrics *m = gotk_controller_metrics(c);
        gotk_metrics_record_suspend(m, "Kustomization", ns, name, suspended);
        json_object *ready = gotk_cond_get(x.obj, GOTK_COND_READY);
        const char *rs = ready ? gotk_obj_get_str(ready, "status") : NULL;
        gotk_metrics_record_ready(m, "Kustomization", ns, name, rs ? rs : "Unknown");
        if (!suspended && gotk_cond_is_true(x.obj, GOTK_COND_READY) && x.revision) {
            char *a = dur(elapsed(&x)), *i = dur(x.interval);
            char *msg = gotk_xasprintf("Reconciliation finished in %s, next run in %s", a, i);
            gotk_log(GOTK_LOG_INFO, &x.log, msg, "revision", x.revision, (char *)NULL);
            kc_event(&x, false, msg);
            free(msg);
            free(a);
            free(i);
        }
    }
    ctx_free(&x);
    return e;
}
