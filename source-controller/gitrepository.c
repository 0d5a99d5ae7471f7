/*
 * GitRepository: keep a tarball of the chosen revision of a Git repository in
 * storage and its address in status.artifact, as Flux's source-controller does
 * (internal/controller/gitrepository_controller.go, read top to bottom).
 *
 * sc_gitrepository_reconcile gets the object from the informer's cache. On
 * deletion it removes the object's artifacts and the finalizer; otherwise it
 * adds the finalizer when missing and stops if the object is suspended. Then
 * the steps below run over one context struct, in order, each returning a
 * result and maybe an error in ctx->err:
 *   reconcileStorage  garbage-collect old artifacts, forget an artifact that
 *                     vanished or no longer matches its digest, refresh its URL;
 *   reconcileSource   check the URL, read the Secret, look up the included
 *                     GitRepositories, then check out the reference (skipping
 *                     the fetch when the remote revision is the stored one)
 *                     and verify the commit's or tag's OpenPGP signature
 *                     (spec.verify, keys from its Secret);
 *   reconcileInclude  copy each included artifact's fromPath to its toPath;
 *   reconcileArtifact archive the checkout (ignore rules applied) into
 *                     gitrepository/<ns>/<name>/<commit>.tar.gz and record it.
 * A no-change reconcile only lists the remote's refs: no directory, no
 * repository on disk. When nothing edits the checkout (no include, sparse
 * checkout or submodules) the commit is fetched without a work tree and the
 * tarball is written straight from Git's objects, the same bytes a checkout
 * would give (the artifact module checks it can promise that, else the work
 * tree is checked out after all).
 * Conditions are set on the way as Flux sets them (FetchFailed,
 * ArtifactOutdated, ArtifactInStorage, IncludeUnavailable,
 * StorageOperationFailed, Reconciling), progress is written to status at the
 * same points as Flux's, and summarize.c turns the outcome into Ready, the
 * Events, observedGeneration and the requeue. No Secret value is ever put in a
 * message: the git module's errors never carry them.
 *
 * The file reads top down: the reconcile and its step list, the steps, the
 * notifications, then the helpers the steps use.
 */
#include "sc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gotk/artifact.h"
#include "gotk/git.h"
#include "gotk/obj.h"

#define KIND "GitRepository"
#define MAX_SECRET_KEYS 16

#define FETCH_FAILED "FetchFailed"
#define ARTIFACT_OUTDATED "ArtifactOutdated"
#define ARTIFACT_IN_STORAGE "ArtifactInStorage"
#define INCLUDE_UNAVAILABLE "IncludeUnavailable"
#define STORAGE_FAILED "StorageOperationFailed"
#define SOURCE_VERIFIED "SourceVerified"

/* Ready summarizes these, in this order (gitRepositoryReadyCondition). */
static const char *const summarize_types[] = {
    STORAGE_FAILED, FETCH_FAILED, INCLUDE_UNAVAILABLE, ARTIFACT_OUTDATED,
    ARTIFACT_IN_STORAGE, SOURCE_VERIFIED, GOTK_COND_STALLED, GOTK_COND_RECONCILING, NULL};
static const char *const negative_types[] = {
    STORAGE_FAILED, FETCH_FAILED, INCLUDE_UNAVAILABLE, ARTIFACT_OUTDATED,
    GOTK_COND_STALLED, GOTK_COND_RECONCILING, NULL};
static const char *const bipolar_types[] = {SOURCE_VERIFIED, NULL};
static const sc_conditions ready_conditions = {summarize_types, negative_types, bipolar_types};
/* Conditions that mean a failure (gitRepositoryFailConditions). */
static const char *const fail_types[] = {FETCH_FAILED, INCLUDE_UNAVAILABLE, STORAGE_FAILED, NULL};

/* Everything one reconcile of one object works with; freed at its end. */
typedef struct {
    gotk_controller *c;
    gotk_kube_client *kube;
    const sc_storage *st;
    gotk_log_ctx lc;
    json_object *obj;     /* the object being reconciled (owned) */
    json_object *old;     /* the object as it was read (owned) */
    json_object *written; /* status as last written to the API (owned) */
    char *dir;            /* temporary checkout directory (made when first needed) */
    gotk_git_result commit;
    bool have_commit;
    bool concrete;        /* the commit was fetched (not an unchanged revision) */
    bool fetch_only;      /* fetched without a work tree; the artifact streams from Git */
    json_object *includes; /* artifacts of spec.include, by index (owned) */
    sc_error err;
    gotk_git_auth auth;
    bool has_auth;
    unsigned char *secret_bufs[MAX_SECRET_KEYS];
    size_t nbufs;
    gotk_duration interval, timeout;
} gitrepo;

typedef sc_result (*gitrepo_step)(gitrepo *x);

/* Defined below, in reading order. */
static sc_result run_steps(gitrepo *x);
static sc_result reconcile_delete(gitrepo *x);
static json_object *json_patch_op(const char *op, const char *path, json_object *value);
static gotk_err *patch_metadata(gitrepo *x, json_object *ops);
static gotk_err *add_finalizer(gitrepo *x);
static gotk_err *remove_finalizer(gitrepo *x);
static bool has_finalizer(gitrepo *x);
static gotk_duration spec_interval(gitrepo *x);
static bool read_durations(gitrepo *x);
static void gitrepo_free(gitrepo *x);
static gotk_err *finish(gitrepo *x, sc_result r, gotk_result *res);
static sc_result reconcile_storage(gitrepo *x);
static sc_result reconcile_source(gitrepo *x);
static sc_result storage_failed(gitrepo *x, const char *reason, char *msg);
static gotk_err *copy_include(gitrepo *x, json_object *artifact, const char *from,
                              const char *to);
static sc_result reconcile_include(gitrepo *x);
static bool artifact_up_to_date(gitrepo *x);
static json_object *observed_include(json_object *spec);
static void record_artifact(gitrepo *x, const char *rel, const gotk_artifact_info *info);
static sc_result build_artifact(gitrepo *x);
static sc_result reconcile_artifact(gitrepo *x);
static char *short_message(const char *msg);
static bool failure_recovered(gitrepo *x);
static void notify(gitrepo *x, sc_result res);
static char *go_url_error(const char *url);
static bool check_url(gitrepo *x, const char *url);
static bool auth_failed(gitrepo *x, const char *msg);
static void auth_from_secret(gitrepo *x, json_object *secret);
static bool load_auth(gitrepo *x, const char *url);
static bool fetch_includes(gitrepo *x);
static bool includes_differ(json_object *have, json_object *seen);
static size_t alen(json_object *a);
static bool content_config_changed(gitrepo *x);
static bool streamable(gitrepo *x);
static bool work_dir(gitrepo *x);
typedef enum { FAILED_ARCHIVE, FAILED_IGNORE, FAILED_CHECKOUT } archive_failure;
static gotk_err *archive_checkout(gitrepo *x, const char *dest, gotk_artifact_info *info,
                                  archive_failure *failed);
static void checkout_failed(gitrepo *x, gotk_err *e);
static bool git_checkout(gitrepo *x, const char *url, bool optimized);
static char *sparse_dir(json_object *list, size_t i);
static int sparse_keep(json_object *list, const char *rel);
static gotk_err *sparse_prune(json_object *list, const char *root, const char *rel);
static bool apply_sparse_checkout(gitrepo *x);
static const char *verify_mode(gitrepo *x);
static bool verify_failed(gitrepo *x, sc_err_kind kind, const char *reason, char *msg);
static bool load_verify_keys(gitrepo *x, gotk_git_keyring *kr, size_t *nvals, char **bad);
static char *verify_error(gotk_err *e, const gotk_git_keyring *kr, size_t nvals, const char *bad,
                          const char *what);
static bool verify_tag_signature(gitrepo *x, const gotk_git_keyring *kr, size_t nvals,
                                 const char *bad, gotk_buf *msg);
static bool verify_commit_signature(gitrepo *x, const gotk_git_keyring *kr, size_t nvals,
                                    const char *bad, gotk_buf *msg);
static bool verify_signature(gitrepo *x);
static bool requires_verification(gitrepo *x);
static bool check_provider(gitrepo *x);
static const char *str(gitrepo *x, const char *path);
static bool set(const char *s);
static bool same(const char *a, const char *b);
static const char *cond_status(json_object *obj, const char *type);
static int64_t observed_generation(json_object *obj);
static bool patch_progress(gitrepo *x);
static void trace_event(gitrepo *x, const char *reason, const char *msg);
static char *artifact_file(gitrepo *x, json_object *artifact);
static gotk_err *secure_join(const char *root, const char *rel, char **out);

/* ---- the reconcile ------------------------------------------------------------- */

/* Reconcile one GitRepository (see the top of the file). */
gotk_err *sc_gitrepository_reconcile(gotk_controller *c, const char *ns, const char *name,
                                     gotk_result *res, void *ud)
{
    json_object *obj = gotk_informer_get(gotk_controller_informer(c), ns, name);
    if (!obj)
        return NULL;
    gitrepo x = {.c = c, .kube = gotk_controller_kube(c), .st = ud, .obj = obj};
    x.lc = (gotk_log_ctx){.controller = "gitrepository", .name = name, .namespace_ = ns};
    x.old = gotk_obj_copy(obj);
    json_object *status = gotk_obj_get(obj, "status", NULL);
    x.written = status ? gotk_obj_copy(status) : NULL;
    if (!gotk_obj_getp(obj, "status.observedGeneration"))
        gotk_err_free(gotk_obj_setp(obj, "status.observedGeneration", json_object_new_int64(-1)));
    sc_result r = SC_RESULT_EMPTY;
    gotk_err *e = NULL;
    if (gotk_obj_getp(obj, "metadata.deletionTimestamp")) {
        r = reconcile_delete(&x);
    } else if (!has_finalizer(&x) && (e = add_finalizer(&x))) {
        gitrepo_free(&x);
        return e;
    } else if (json_object_get_boolean(gotk_obj_getp(obj, "spec.suspend"))) {
        gotk_log(GOTK_LOG_INFO, &x.lc, "reconciliation is suspended for this object",
                 (char *)NULL);
    } else if (read_durations(&x)) {
        r = run_steps(&x);
    }
    if (!x.interval) /* not read on these paths, yet the result check needs it */
        x.interval = spec_interval(&x);
    e = finish(&x, r, res);
    gitrepo_free(&x);
    return e;
}

/* The steps, in the order they run. */
static const struct {
    const char *name;
    gitrepo_step run;
} steps[] = {
    {"reconcileStorage", reconcile_storage},
    {"reconcileSource", reconcile_source},
    {"reconcileInclude", reconcile_include},
    {"reconcileArtifact", reconcile_artifact},
};

/* Run the steps (Flux's reconcile): progress first, then each step in turn. */
static sc_result run_steps(gitrepo *x)
{
    sc_progressive_status(x->obj, false, "Progressing", "reconciliation in progress");
    int64_t gen = json_object_get_int64(gotk_obj_getp(x->obj, "metadata.generation"));
    int64_t seen = observed_generation(x->obj);
    json_object *ann = gotk_obj_getp(x->obj, "metadata.annotations"), *req = NULL;
    json_object_object_get_ex(ann, SC_REQUESTED_AT, &req);
    const char *handled = str(x, "status.lastHandledReconcileAt");
    if (gen != seen) {
        sc_progressive_status(x->obj, false, "Progressing",
                              "processing object: new generation %lld -> %lld", (long long)seen,
                              (long long)gen);
        if (!patch_progress(x))
            return SC_RESULT_EMPTY;
    } else if (req && !same(json_object_get_string(req), handled) && !patch_progress(x)) {
        return SC_RESULT_EMPTY;
    }
    gotk_cond_delete(x->obj, STORAGE_FAILED);
    sc_result res = SC_RESULT_EMPTY;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        sc_result r = steps[i].run(x);
        if (r == SC_RESULT_REQUEUE)
            return r;
        if (x->err.kind != SC_ERR_NONE) {
            res = r;
            break;
        }
        res = res == SC_RESULT_EMPTY ? r : r == SC_RESULT_EMPTY ? res
                                       : (res == SC_RESULT_REQUEUE ? res : r);
    }
    notify(x, res);
    return res;
}

/* Summarize, write status and metrics, and tell the runtime when to return. */
static gotk_err *finish(gitrepo *x, sc_result r, gotk_result *res)
{
    bool deleting = gotk_obj_getp(x->obj, "metadata.deletionTimestamp") != NULL;
    sc_error_report(x->kube, x->obj, &x->err, &x->lc);
    sc_record_reconcile_request(x->obj);
    gotk_err *e = sc_finish(x->obj, r, &x->err, x->interval, &ready_conditions, res);
    gotk_err *pe = sc_patch_status(x->kube, x->obj, &x->written, deleting);
    if (pe && !e)
        e = pe;
    else
        gotk_err_free(pe);
    gotk_metrics *m = gotk_controller_metrics(x->c);
    const char *ready = gotk_obj_get_str(gotk_cond_get(x->obj, GOTK_COND_READY), "status");
    gotk_metrics_record_ready(m, KIND, x->lc.namespace_, x->lc.name, ready ? ready : "Unknown");
    gotk_metrics_record_suspend(m, KIND, x->lc.namespace_, x->lc.name,
                                json_object_get_boolean(gotk_obj_getp(x->obj, "spec.suspend")));
    return e;
}

/* reconcileDelete: every artifact of the object removed, then the finalizer. */
static sc_result reconcile_delete(gitrepo *x)
{
    const char *ns = str(x, "metadata.namespace"), *name = str(x, "metadata.name");
    char *rel = gotk_artifact_path(KIND, ns, name, "");
    char *dir = gotk_xasprintf("%s/%s", x->st->path, rel);
    struct stat sb;
    bool existed = stat(dir, &sb) == 0;
    free(dir);
    free(rel);
    gotk_err *e = gotk_artifact_remove_all(x->st->path, KIND, ns, name);
    if (e) {
        sc_error_set(&x->err, SC_ERR_GENERIC, "GarbageCollectionFailed",
                     "garbage collection for deleted resource failed: %s", gotk_err_msg(e));
        gotk_err_free(e);
        return SC_RESULT_EMPTY;
    }
    if (existed)
        trace_event(x, "GarbageCollectionSucceeded",
                    "garbage collected artifacts for deleted resource");
    gotk_obj_delp(x->obj, "status.artifact");
    e = remove_finalizer(x);
    if (e)
        sc_error_set(&x->err, SC_ERR_GENERIC, "PatchOperationFailed",
                     "removing the finalizer: %s", gotk_err_msg(e));
    gotk_err_free(e);
    return SC_RESULT_EMPTY;
}

/* One JSON patch operation. */
static json_object *json_patch_op(const char *op, const char *path, json_object *value)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "op", json_object_new_string(op));
    json_object_object_add(o, "path", json_object_new_string(path));
    if (value)
        json_object_object_add(o, "value", value);
    return o;
}

/* Apply a JSON patch to the object's metadata (finalizers). */
static gotk_err *patch_metadata(gitrepo *x, json_object *ops)
{
    gotk_kube_ref ref = {str(x, "apiVersion"), KIND, str(x, "metadata.namespace"),
                         str(x, "metadata.name")};
    gotk_err *e = gotk_kube_patch(x->kube, &ref, GOTK_KUBE_PATCH_JSON, ops, NULL, NULL);
    json_object_put(ops);
    return e;
}

/* Add finalizers.fluxcd.io: a JSON patch appending to the list (or creating
 * it), so finalizers other controllers add meanwhile are kept. */
static gotk_err *add_finalizer(gitrepo *x)
{
    json_object *fins = gotk_obj_getp(x->obj, "metadata.finalizers");
    json_object *ops = json_object_new_array();
    if (json_object_is_type(fins, json_type_array)) {
        json_object_array_add(ops, json_patch_op("add", "/metadata/finalizers/-",
                                                 json_object_new_string(SC_FINALIZER)));
        json_object_array_add(fins, json_object_new_string(SC_FINALIZER));
    } else {
        json_object *list = json_object_new_array();
        json_object_array_add(list, json_object_new_string(SC_FINALIZER));
        json_object_array_add(ops, json_patch_op("add", "/metadata/finalizers", list));
        gotk_err_free(gotk_obj_setp(x->obj, "metadata.finalizers", gotk_obj_copy(list)));
    }
    gotk_err *e = patch_metadata(x, ops);
    return e ? gotk_err_wrap(e, "adding the finalizer") : NULL;
}

/* Remove finalizers.fluxcd.io by index, tested first so a concurrent change
 * of the list fails instead of removing another finalizer. */
static gotk_err *remove_finalizer(gitrepo *x)
{
    json_object *fins = gotk_obj_getp(x->obj, "metadata.finalizers");
    for (size_t i = 0; i < alen(fins); i++) {
        if (strcmp(json_object_get_string(json_object_array_get_idx(fins, i)), SC_FINALIZER))
            continue;
        char path[64];
        snprintf(path, sizeof path, "/metadata/finalizers/%zu", i);
        json_object *ops = json_object_new_array();
        json_object_array_add(ops, json_patch_op("test", path,
                                                 json_object_new_string(SC_FINALIZER)));
        json_object_array_add(ops, json_patch_op("remove", path, NULL));
        gotk_err *e = patch_metadata(x, ops);
        if (e && gotk_err_code_of(e) == GOTK_E_NOTFOUND) {
            gotk_err_free(e);
            e = NULL;
        }
        return e;
    }
    return NULL;
}

/* Does the object carry our finalizer? */
static bool has_finalizer(gitrepo *x)
{
    json_object *fins = gotk_obj_getp(x->obj, "metadata.finalizers");
    for (size_t i = 0; i < alen(fins); i++)
        if (!strcmp(json_object_get_string(json_object_array_get_idx(fins, i)), SC_FINALIZER))
            return true;
    return false;
}

/* spec.interval, or 0 when it is missing or invalid. */
static gotk_duration spec_interval(gitrepo *x)
{
    const char *iv = str(x, "spec.interval");
    gotk_duration d = 0;
    gotk_err *e = gotk_duration_parse(iv ? iv : "", &d);
    if (!e)
        return d;
    gotk_err_free(e);
    return 0;
}

/* Parse spec.interval and spec.timeout (60s when unset); false stalls. */
static bool read_durations(gitrepo *x)
{
    const char *iv = str(x, "spec.interval"), *to = str(x, "spec.timeout");
    gotk_err *e = gotk_duration_parse(iv ? iv : "", &x->interval);
    if (!e)
        e = gotk_duration_parse(to ? to : "60s", &x->timeout);
    if (!e && x->interval <= 0)
        e = gotk_err_new(GOTK_E_INVALID, "spec.interval must be positive");
    if (!e)
        return true;
    sc_error_set(&x->err, SC_ERR_STALLING, "InvalidSpec", "%s", gotk_err_msg(e));
    gotk_err_free(e);
    x->interval = 0;
    return false;
}

/* Free what a reconcile held. */
static void gitrepo_free(gitrepo *x)
{
    if (x->dir)
        gotk_err_free(gotk_file_remove_all(x->dir));
    free(x->dir);
    if (x->have_commit)
        gotk_git_result_free(&x->commit);
    for (size_t i = 0; i < x->nbufs; i++)
        free(x->secret_bufs[i]);
    sc_error_clear(&x->err);
    json_object_put(x->includes);
    json_object_put(x->written);
    json_object_put(x->old);
    json_object_put(x->obj);
}

/* ---- the steps ------------------------------------------------------------------ */

/* reconcileStorage: garbage collection, a vanished or corrupt artifact
 * forgotten, the URL refreshed. */
static sc_result reconcile_storage(gitrepo *x)
{
    json_object *artifact = gotk_obj_getp(x->obj, "status.artifact");
    bool missing = false;
    if (artifact) {
        size_t deleted = 0;
        gotk_err_free(gotk_artifact_gc(x->st->path, gotk_obj_get_str(artifact, "path"),
                                       x->st->retention_records, x->st->retention_ttl, &deleted));
        if (deleted > 0) {
            char *m = gotk_xasprintf("garbage collected %zu artifacts", deleted);
            trace_event(x, "GarbageCollectionSucceeded", m);
            free(m);
        }
        char *file = artifact_file(x, artifact);
        struct stat sb;
        missing = !file || stat(file, &sb) != 0;
        gotk_err *e = missing ? NULL
                              : gotk_artifact_verify_file(file, gotk_obj_get_str(artifact, "digest"));
        if (e) {
            char *m = gotk_xasprintf("failed to verify integrity of artifact: %s", gotk_err_msg(e));
            gotk_event_record(x->kube, x->obj, SC_CONTROLLER, true, "ArtifactVerificationFailed",
                              m, NULL);
            free(m);
            gotk_err_free(e);
            unlink(file);
            missing = true;
        }
        free(file);
        if (missing)
            gotk_obj_delp(x->obj, "status.artifact");
    }
    artifact = gotk_obj_getp(x->obj, "status.artifact");
    if (!artifact) {
        sc_progressive_status(x->obj, true, "Progressing", "building artifact%s",
                              missing ? ": disappeared from storage" : "");
        gotk_cond_delete(x->obj, ARTIFACT_IN_STORAGE);
        return patch_progress(x) ? SC_RESULT_SUCCESS : SC_RESULT_EMPTY;
    }
    char *url = gotk_artifact_url(x->st->adv_addr, gotk_obj_get_str(artifact, "path"));
    json_object_object_add(artifact, "url", json_object_new_string(url));
    free(url);
    return SC_RESULT_SUCCESS;
}

/* reconcileSource: URL, Secret and includes checked, the reference checked
 * out, and what changed marked on the object. */
static sc_result reconcile_source(gitrepo *x)
{
    if (!strcmp(cond_status(x->obj, SOURCE_VERIFIED), "False"))
        gotk_cond_delete(x->obj, SOURCE_VERIFIED);
    const char *url = str(x, "spec.url");
    if (!url)
        url = "";
    if (!check_url(x, url) || !check_provider(x) || !load_auth(x, url) || !fetch_includes(x))
        return SC_RESULT_EMPTY;
    json_object *seen = gotk_obj_getp(x->obj, "status.includedArtifacts");
    if (includes_differ(x->includes, seen)) {
        const char *msg = "included artifacts differ from last observed includes";
        if (seen)
            sc_cond_mark(x->obj, ARTIFACT_OUTDATED, "True", "IncludeChange", "%s", msg);
        sc_progressive_status(x->obj, true, "Progressing", "building artifact: %s", msg);
        if (!patch_progress(x))
            return SC_RESULT_EMPTY;
    }
    gotk_cond_delete(x->obj, ARTIFACT_OUTDATED);
    if (!git_checkout(x, url, true))
        return SC_RESULT_EMPTY;
    if (!x->concrete) {
        if (!content_config_changed(x)) {
            sc_error_set(&x->err, SC_ERR_GENERIC, "GitOperationSucceeded",
                         "no changes since last reconciliation: observed revision '%s'",
                         x->commit.revision);
            x->err.ignore = true;
            x->err.log = true;
            x->err.warning = false;
            gotk_cond_delete(x->obj, FETCH_FAILED);
            sc_cond_mark(x->obj, ARTIFACT_IN_STORAGE, "True", "Succeeded",
                         "stored artifact for revision '%s'", x->commit.revision);
            return SC_RESULT_EMPTY;
        }
        if (!git_checkout(x, url, false))
            return SC_RESULT_EMPTY;
    }
    gotk_cond_delete(x->obj, FETCH_FAILED);
    if (!apply_sparse_checkout(x) || !verify_signature(x))
        return SC_RESULT_EMPTY;
    if (!same(str(x, "status.artifact.revision"), x->commit.revision)) {
        if (gotk_obj_getp(x->obj, "status.artifact"))
            sc_cond_mark(x->obj, ARTIFACT_OUTDATED, "True", "NewRevision",
                         "new upstream revision '%s'", x->commit.revision);
        sc_progressive_status(x->obj, true, "Progressing",
                              "building artifact: new upstream revision '%s'", x->commit.revision);
        if (!patch_progress(x))
            return SC_RESULT_EMPTY;
    }
    return SC_RESULT_SUCCESS;
}

/* StorageOperationFailed=True with a generic error. */
static sc_result storage_failed(gitrepo *x, const char *reason, char *msg)
{
    sc_error_set(&x->err, SC_ERR_GENERIC, reason, "%s", msg);
    free(msg);
    sc_cond_mark(x->obj, STORAGE_FAILED, "True", x->err.reason, "%s", x->err.message);
    return SC_RESULT_EMPTY;
}

/* Unpack one included artifact and move its fromPath to `to` in the checkout. */
static gotk_err *copy_include(gitrepo *x, json_object *artifact, const char *from,
                              const char *to)
{
    char *file = artifact_file(x, artifact), *unpack = NULL, *src = NULL;
    gotk_err *e = file ? gotk_file_temp_dir("gotk-include", &unpack)
                       : gotk_err_new(GOTK_E_INVALID, "invalid artifact path");
    if (!e)
        e = gotk_artifact_extract(file, unpack);
    if (!e)
        e = secure_join(unpack, from, &src);
    if (!e) {
        char *parent = gotk_xstrdup(to);
        *strrchr(parent, '/') = '\0';
        e = gotk_file_mkdir_all(parent, 0755);
        free(parent);
    }
    if (!e && rename(src, to) != 0)
        e = gotk_err_errno(errno, "rename %s %s", from, to);
    if (unpack)
        gotk_err_free(gotk_file_remove_all(unpack));
    free(src);
    free(unpack);
    free(file);
    return e;
}

/* reconcileInclude: each included artifact's fromPath copied to its toPath. */
static sc_result reconcile_include(gitrepo *x)
{
    json_object *incl = gotk_obj_getp(x->obj, "spec.include");
    for (size_t i = 0; i < alen(incl); i++) {
        json_object *in = json_object_array_get_idx(incl, i);
        const char *name = gotk_obj_get_str(in, "repository.name");
        const char *from = gotk_obj_get_str(in, "fromPath");
        const char *to = gotk_obj_get_str(in, "toPath");
        if (!set(to))
            to = name ? name : "";
        char *dest = NULL;
        gotk_err *e = secure_join(x->dir, to, &dest);
        if (e) {
            char *m = gotk_xasprintf("path calculation for include '%s' failed: %s", name,
                                     gotk_err_msg(e));
            gotk_err_free(e);
            return storage_failed(x, "IllegalPath", m);
        }
        e = copy_include(x, json_object_array_get_idx(x->includes, i), from ? from : "", dest);
        free(dest);
        if (e) {
            char *m = gotk_xasprintf("failed to copy '%s' include from %s to %s: %s", name,
                                     from ? from : "", to, gotk_err_msg(e));
            gotk_err_free(e);
            return storage_failed(x, "CopyFailure", m);
        }
    }
    gotk_cond_delete(x->obj, INCLUDE_UNAVAILABLE);
    return SC_RESULT_SUCCESS;
}

/* Is the stored artifact the one the spec and the revision ask for? */
static bool artifact_up_to_date(gitrepo *x)
{
    return same(str(x, "status.artifact.revision"), x->commit.revision) &&
           !includes_differ(x->includes, gotk_obj_getp(x->obj, "status.includedArtifacts")) &&
           !content_config_changed(x);
}

/* spec.include entries as status.observedInclude holds them. */
static json_object *observed_include(json_object *spec)
{
    json_object *out = json_object_new_array();
    for (size_t i = 0; i < alen(spec); i++) {
        json_object *in = json_object_array_get_idx(spec, i), *o = json_object_new_object();
        json_object *repo = json_object_new_object();
        const char *name = gotk_obj_get_str(in, "repository.name");
        json_object_object_add(repo, "name", json_object_new_string(name ? name : ""));
        json_object_object_add(o, "repository", repo);
        const char *keys[] = {"fromPath", "toPath"};
        for (size_t k = 0; k < 2; k++)
            if (set(gotk_obj_get_str(in, keys[k])))
                json_object_object_add(o, keys[k],
                                       json_object_new_string(gotk_obj_get_str(in, keys[k])));
        json_object_array_add(out, o);
    }
    return out;
}

/* Record the new artifact and what it was built from. */
static void record_artifact(gitrepo *x, const char *rel, const gotk_artifact_info *info)
{
    char now[32], *url = gotk_artifact_url(x->st->adv_addr, rel);
    gotk_now_rfc3339(now);
    json_object *a = json_object_new_object();
    json_object_object_add(a, "path", json_object_new_string(rel));
    json_object_object_add(a, "url", json_object_new_string(url));
    json_object_object_add(a, "revision", json_object_new_string(x->commit.revision));
    json_object_object_add(a, "digest", json_object_new_string(info->digest));
    json_object_object_add(a, "lastUpdateTime", json_object_new_string(now));
    json_object_object_add(a, "size", json_object_new_int64(info->size));
    free(url);
    json_object *status = gotk_obj_get(x->obj, "status", NULL);
    json_object_object_add(status, "artifact", a);
    const char *drop[] = {"includedArtifacts", "observedIgnore", "observedRecurseSubmodules",
                          "observedInclude", "observedSparseCheckout"};
    for (size_t i = 0; i < 5; i++)
        json_object_object_del(status, drop[i]);
    if (alen(x->includes))
        json_object_object_add(status, "includedArtifacts", gotk_obj_copy(x->includes));
    if (str(x, "spec.ignore"))
        json_object_object_add(status, "observedIgnore",
                               json_object_new_string(str(x, "spec.ignore")));
    if (json_object_get_boolean(gotk_obj_getp(x->obj, "spec.recurseSubmodules")))
        json_object_object_add(status, "observedRecurseSubmodules", json_object_new_boolean(1));
    json_object *incl = gotk_obj_getp(x->obj, "spec.include");
    if (alen(incl))
        json_object_object_add(status, "observedInclude", observed_include(incl));
    json_object *sparse = gotk_obj_getp(x->obj, "spec.sparseCheckout");
    if (alen(sparse))
        json_object_object_add(status, "observedSparseCheckout", gotk_obj_copy(sparse));
}

/* Archive the checkout into storage. */
static sc_result build_artifact(gitrepo *x)
{
    char *file = gotk_xasprintf("%s.tar.gz", x->commit.commit);
    char *rel = gotk_artifact_path(KIND, str(x, "metadata.namespace"), str(x, "metadata.name"),
                                   file);
    char *dest = gotk_artifact_local_path(x->st->path, rel);
    char *dir = gotk_xstrdup(dest);
    *strrchr(dir, '/') = '\0';
    free(file);
    sc_result r = SC_RESULT_SUCCESS;
    gotk_artifact_info info;
    archive_failure failed = FAILED_ARCHIVE;
    gotk_err *e = gotk_file_mkdir_all(dir, 0755);
    if (e) {
        r = storage_failed(x, "DirCreationFailed",
                           gotk_xasprintf("failed to create artifact directory: %s", gotk_err_msg(e)));
    } else if ((e = archive_checkout(x, dest, &info, &failed)) && failed == FAILED_IGNORE) {
        sc_error_set(&x->err, SC_ERR_GENERIC, "SourceIgnoreError",
                     "failed to load source ignore patterns from repository: %s", gotk_err_msg(e));
        r = SC_RESULT_EMPTY;
    } else if (e && failed == FAILED_CHECKOUT) {
        checkout_failed(x, e);
        r = SC_RESULT_EMPTY;
    } else if (e) {
        r = storage_failed(x, "ArchiveOperationFailed",
                           gotk_xasprintf("unable to archive artifact to storage: %s", gotk_err_msg(e)));
    } else {
        record_artifact(x, rel, &info);
        gotk_cond_delete(x->obj, STORAGE_FAILED);
    }
    gotk_err_free(e);
    free(dir);
    free(dest);
    free(rel);
    return r;
}

/* Archive the checkout into dest: from the fetched commit when it was fetched
 * without a work tree and that gives the same bytes, else from the work tree
 * (written now if it was skipped), filtered by the ignore rules. *failed
 * says which of those steps an error comes from. */
static gotk_err *archive_checkout(gitrepo *x, const char *dest, gotk_artifact_info *info,
                                  archive_failure *failed)
{
    const char *spec_ignore = str(x, "spec.ignore");
    bool done = false;
    gotk_err *e = NULL;
    if (x->fetch_only) {
        e = gotk_artifact_archive_git(x->dir, x->commit.commit, spec_ignore, dest, info, &done);
        if (!e && !done && (e = gotk_git_checkout_head(x->dir)))
            *failed = FAILED_CHECKOUT;
        x->fetch_only = false;
    }
    if (e || done)
        return e;
    gotk_ignore *ign = NULL;
    if ((e = gotk_ignore_load_dir(x->dir, spec_ignore, &ign))) {
        *failed = FAILED_IGNORE;
        return e;
    }
    e = gotk_artifact_archive(x->dir, ign, dest, info);
    gotk_ignore_free(ign);
    return e;
}

/* reconcileArtifact: a new artifact unless the stored one is up to date. */
static sc_result reconcile_artifact(gitrepo *x)
{
    sc_result r = SC_RESULT_SUCCESS;
    if (artifact_up_to_date(x)) {
        char *m = gotk_xasprintf("artifact up-to-date with remote revision: '%s'",
                                 str(x, "status.artifact.revision"));
        trace_event(x, "ArtifactUpToDate", m);
        free(m);
    } else {
        r = build_artifact(x);
    }
    if (artifact_up_to_date(x)) {
        gotk_cond_delete(x->obj, ARTIFACT_OUTDATED);
        sc_cond_mark(x->obj, ARTIFACT_IN_STORAGE, "True", "Succeeded",
                     "stored artifact for revision '%s'", str(x, "status.artifact.revision"));
    }
    return r;
}

/* ---- notifications ---------------------------------------------------------------- */

/* The commit's subject, cut at 50 characters as Flux's ShortMessage. */
static char *short_message(const char *msg)
{
    size_t line = strcspn(msg, "\n"), runes = 0, i = 0;
    for (; i < line; i++) {
        if (((unsigned char)msg[i] & 0xC0) != 0x80 && runes++ == 50)
            break;
    }
    return i < line ? gotk_xasprintf("%.*s...", (int)i, msg) : gotk_xstrndup(msg, line);
}

/* FailureRecovery: a failure condition was there before and none is now. */
static bool failure_recovered(gitrepo *x)
{
    int before = 0;
    for (const char *const *t = fail_types; *t; t++) {
        if (gotk_cond_get(x->old, *t))
            before++;
        if (gotk_cond_get(x->obj, *t))
            return false;
    }
    return before > 0;
}

/* Flux's notify: NewArtifact for a new digest, Succeeded after a recovery. */
static void notify(gitrepo *x, sc_result res)
{
    json_object *art = gotk_obj_getp(x->obj, "status.artifact");
    bool ok = x->err.kind == SC_ERR_NONE && res == SC_RESULT_SUCCESS;
    bool noop = x->err.kind == SC_ERR_GENERIC && x->err.ignore && res == SC_RESULT_EMPTY;
    if (!art || !x->have_commit || !(ok || noop))
        return;
    const char *rev = gotk_obj_get_str(art, "revision");
    const char *digest = gotk_obj_get_str(art, "digest");
    char *subject = x->concrete && x->commit.message ? short_message(x->commit.message)
                                                      : gotk_xstrdup(x->commit.revision);
    char *msg = gotk_xasprintf("stored artifact for commit '%s'", subject);
    free(subject);
    json_object *ann = json_object_new_object();
    json_object_object_add(ann, SC_GROUP "/revision", json_object_new_string(rev ? rev : ""));
    json_object_object_add(ann, SC_GROUP "/digest", json_object_new_string(digest ? digest : ""));
    const char *reason = NULL;
    if (!same(gotk_obj_get_str(x->old, "status.artifact.digest"), digest))
        reason = "NewArtifact";
    else if (failure_recovered(x))
        reason = "Succeeded";
    if (reason) {
        gotk_event_record(x->kube, x->obj, SC_CONTROLLER, false, reason, msg, ann);
        gotk_log(GOTK_LOG_INFO, &x->lc, msg, (char *)NULL);
    }
    json_object_put(ann);
    free(msg);
}

/* ---- URL and Secret --------------------------------------------------------- */

/* Go's url.Parse errors for what it rejects; NULL when Go would accept it. */
static char *go_url_error(const char *url)
{
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return gotk_xstrdup("net/url: invalid control character in URL");
    size_t i = 0;
    bool scheme = false;
    for (; url[i]; i++) {
        char ch = url[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))
            continue;
        if (((ch >= '0' && ch <= '9') || ch == '+' || ch == '-' || ch == '.') && i > 0)
            continue;
        if (ch == ':') {
            if (i == 0)
                return gotk_xstrdup("missing protocol scheme");
            scheme = true;
        }
        break;
    }
    const char *rest = scheme ? url + i + 1 : url;
    size_t restlen = strcspn(rest, "?#");
    if (!scheme && rest[0] != '/') {
        size_t seg = strcspn(rest, "/");
        if (memchr(rest, ':', seg < restlen ? seg : restlen))
            return gotk_xstrdup("first path segment in URL cannot contain colon");
    }
    if (!scheme || strncmp(rest, "//", 2) != 0)
        return NULL;
    const char *auth = rest + 2;
    size_t authlen = strcspn(auth, "/?#");
    const char *at = NULL;
    for (size_t k = 0; k < authlen; k++)
        if (auth[k] == '@')
            at = auth + k;
    const char *host = at ? at + 1 : auth;
    size_t hlen = (size_t)(auth + authlen - host);
    const char *colon = NULL;
    if (hlen && host[0] == '[') {
        const char *rb = memchr(host, ']', hlen);
        if (!rb)
            return gotk_xstrdup("missing ']' in host");
        colon = rb + 1 < host + hlen ? rb + 1 : NULL;
        if (colon && *colon != ':')
            return gotk_xasprintf("invalid port \"%.*s\" after host",
                                  (int)(host + hlen - colon), colon);
    } else {
        for (size_t k = 0; k < hlen; k++)
            if (host[k] == ':')
                colon = host + k;
    }
    for (const char *q = colon ? colon + 1 : host + hlen; q < host + hlen; q++)
        if (*q < '0' || *q > '9')
            return gotk_xasprintf("invalid port \"%.*s\" after host",
                                  (int)(host + hlen - colon), colon);
    return NULL;
}

/* Stall on a URL that cannot be parsed (Flux's URLInvalid). */
static bool check_url(gitrepo *x, const char *url)
{
    char *why = go_url_error(url);
    if (!why)
        return true;
    gotk_err *hint = gotk_git_url_check(url);
    const char *h = hint ? strstr(gotk_err_msg(hint), "the scp-like form") : NULL;
    sc_error_set(&x->err, SC_ERR_STALLING, "URLInvalid",
                 "failed to parse url '%s': parse \"%s\": %s%s%s%s", url, url, why,
                 h ? " (" : "", h ? h : "", h ? ")" : "");
    gotk_err_free(hint);
    free(why);
    sc_cond_mark(x->obj, FETCH_FAILED, "True", x->err.reason, "%s", x->err.message);
    return false;
}

/* FetchFailed=True with an AuthenticationFailed error. */
static bool auth_failed(gitrepo *x, const char *msg)
{
    sc_error_set(&x->err, SC_ERR_GENERIC, "AuthenticationFailed", "%s", msg);
    sc_cond_mark(x->obj, FETCH_FAILED, "True", x->err.reason, "%s", x->err.message);
    return false;
}

/* Decode the Secret's data into x->auth (the buffers stay in x). */
static void auth_from_secret(gitrepo *x, json_object *secret)
{
    json_object *data = gotk_obj_get(secret, "data", NULL);
    if (!json_object_is_type(data, json_type_object))
        return;
    json_object_object_foreach(data, key, val) {
        const char *b64 = json_object_get_string(val);
        unsigned char *raw = NULL;
        size_t len = 0;
        if (x->nbufs == MAX_SECRET_KEYS || !b64 ||
            gotk_base64_decode(b64, strlen(b64), &raw, &len) != NULL)
            continue;
        x->secret_bufs[x->nbufs++] = raw;
        gotk_git_auth_set(&x->auth, key, raw, len);
    }
    x->has_auth = true;
}

/* The Secret named by spec.secretRef and Flux's checks of the options
 * (getAuthOpts / git.NewAuthOptions). */
static bool load_auth(gitrepo *x, const char *url)
{
    const char *ns = str(x, "metadata.namespace"), *name = str(x, "spec.secretRef.name");
    if (set(name)) {
        gotk_kube_ref ref = {"v1", "Secret", ns, name};
        json_object *secret = NULL;
        gotk_err *e = gotk_kube_get(x->kube, &ref, NULL, &secret);
        if (e) {
            char *m = gotk_xasprintf("failed to get secret '%s/%s': failed to get secret "
                                     "'%s/%s': %s", ns, name, ns, name, gotk_err_msg(e));
            gotk_err_free(e);
            auth_failed(x, m);
            free(m);
            return false;
        }
        auth_from_secret(x, secret);
        json_object_put(secret);
    }
    size_t sl = strcspn(url, ":");
    char *scheme = gotk_xstrndup(url, sl);
    const char *why = NULL;
    char *m = NULL;
    if (strcmp(scheme, "http") && strcmp(scheme, "https") && strcmp(scheme, "ssh") &&
        strcmp(scheme, "git"))
        m = gotk_xasprintf("failed to configure authentication options: unknown transport '%s'",
                           scheme);
    else if (!strcmp(scheme, "ssh") && !x->auth.identity.len)
        why = "'identity' is required";
    else if (!strcmp(scheme, "ssh") && !x->auth.known_hosts.len)
        why = "'known_hosts' is required";
    else if (strncmp(scheme, "http", 4) == 0 && x->auth.password.len && !x->auth.username.len)
        why = "'password' requires 'username' to be set";
    if (why)
        m = gotk_xasprintf("failed to configure authentication options: invalid '%s' auth "
                           "option: %s", scheme, why);
    free(scheme);
    if (m) {
        auth_failed(x, m);
        free(m);
        return false;
    }
    return true;
}

/* ---- includes ------------------------------------------------------------- */

/* Look up the artifact of every spec.include (Flux's fetchIncludes). */
static bool fetch_includes(gitrepo *x)
{
    json_object *incl = gotk_obj_getp(x->obj, "spec.include");
    size_t n = json_object_is_type(incl, json_type_array) ? json_object_array_length(incl) : 0;
    x->includes = json_object_new_array();
    gotk_informer *inf = gotk_controller_informer(x->c);
    for (size_t i = 0; i < n; i++) {
        const char *dep_name =
            gotk_obj_get_str(json_object_array_get_idx(incl, i), "repository.name");
        json_object *dep = dep_name ? gotk_informer_get(inf, str(x, "metadata.namespace"),
                                                        dep_name)
                                    : NULL;
        json_object *art = dep ? gotk_obj_getp(dep, "status.artifact") : NULL;
        if (!dep)
            sc_error_set(&x->err, SC_ERR_WAITING, "NotFound",
                         "could not get resource for include '%s': gitrepositories." SC_GROUP
                         " \"%s\" not found", dep_name ? dep_name : "", dep_name ? dep_name : "");
        else if (!art)
            sc_error_set(&x->err, SC_ERR_WAITING, "NoArtifact",
                         "no artifact available for include '%s'", dep_name);
        else
            json_object_array_add(x->includes, gotk_obj_copy(art));
        json_object_put(dep);
        if (x->err.kind != SC_ERR_NONE) {
            x->err.requeue_after = gotk_controller_opts(x->c)->requeue_dependency;
            sc_cond_mark(x->obj, INCLUDE_UNAVAILABLE, "True", x->err.reason, "%s",
                         x->err.message);
            return false;
        }
    }
    gotk_cond_delete(x->obj, INCLUDE_UNAVAILABLE);
    return true;
}

/* artifactSet.Diff: a different count, or an artifact whose revision the other
 * set lacks. */
static bool includes_differ(json_object *have, json_object *seen)
{
    size_t n = have ? json_object_array_length(have) : 0;
    size_t m = json_object_is_type(seen, json_type_array) ? json_object_array_length(seen) : 0;
    if (n != m)
        return true;
    for (size_t i = 0; i < n; i++) {
        const char *rev = gotk_obj_get_str(json_object_array_get_idx(have, i), "revision");
        bool found = false;
        for (size_t j = 0; j < m && !found; j++)
            found = same(rev, gotk_obj_get_str(json_object_array_get_idx(seen, j), "revision"));
        if (!found)
            return true;
    }
    return false;
}

/* Length of an array value (0 when absent). */
static size_t alen(json_object *a)
{
    return json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

/* gitContentConfigChanged: does the spec ask for a different artifact than the
 * one observed, for the same revision? */
static bool content_config_changed(gitrepo *x)
{
    json_object *o = x->obj;
    if (!same(str(x, "spec.ignore"), str(x, "status.observedIgnore")))
        return true;
    if (json_object_get_boolean(gotk_obj_getp(o, "spec.recurseSubmodules")) !=
        json_object_get_boolean(gotk_obj_getp(o, "status.observedRecurseSubmodules")))
        return true;
    if (requires_verification(x))
        return true;
    json_object *sparse = gotk_obj_getp(o, "spec.sparseCheckout");
    json_object *sparse_seen = gotk_obj_getp(o, "status.observedSparseCheckout");
    if (alen(sparse) != alen(sparse_seen))
        return true;
    for (size_t i = 0; i < alen(sparse); i++)
        if (!same(json_object_get_string(json_object_array_get_idx(sparse, i)),
                  json_object_get_string(json_object_array_get_idx(sparse_seen, i))))
            return true;
    json_object *spec = gotk_obj_getp(o, "spec.include");
    json_object *seen = gotk_obj_getp(o, "status.observedInclude");
    json_object *arts = gotk_obj_getp(o, "status.includedArtifacts");
    size_t n = alen(spec);
    if (n != alen(seen) || n != alen(x->includes) || n != alen(arts))
        return true;
    for (size_t i = 0; i < n; i++) {
        json_object *a = json_object_array_get_idx(spec, i);
        json_object *b = json_object_array_get_idx(seen, i);
        json_object *cur = json_object_array_get_idx(x->includes, i);
        json_object *was = json_object_array_get_idx(arts, i);
        if (!same(gotk_obj_get_str(a, "repository.name"), gotk_obj_get_str(b, "repository.name")) ||
            !same(gotk_obj_get_str(a, "fromPath"), gotk_obj_get_str(b, "fromPath")) ||
            !same(gotk_obj_get_str(a, "toPath"), gotk_obj_get_str(b, "toPath")) ||
            !same(gotk_obj_get_str(was, "revision"), gotk_obj_get_str(cur, "revision")) ||
            !same(gotk_obj_get_str(was, "digest"), gotk_obj_get_str(cur, "digest")))
            return true;
    }
    return false;
}

/* ---- checkout ---------------------------------------------------------------- */

/* FetchFailed with the checkout's error, as Flux reports a failed checkout. */
static void checkout_failed(gitrepo *x, gotk_err *e)
{
    sc_error_set(&x->err, SC_ERR_GENERIC, "GitOperationFailed",
                 "failed to checkout and determine revision: %s", gotk_err_msg(e));
    sc_cond_mark(x->obj, FETCH_FAILED, "True", x->err.reason, "%s", x->err.message);
}

/* Can the artifact come straight from the fetched commit, with no work tree?
 * Not when something edits the checkout first: includes, a sparse checkout,
 * submodules. */
static bool streamable(gitrepo *x)
{
    return !alen(gotk_obj_getp(x->obj, "spec.include")) &&
           !alen(gotk_obj_getp(x->obj, "spec.sparseCheckout")) &&
           !json_object_get_boolean(gotk_obj_getp(x->obj, "spec.recurseSubmodules"));
}

/* The temporary working directory, created when a checkout first needs it,
 * so that a no-change reconcile writes nothing to disk. False: it could not
 * be created (StorageOperationFailed). */
static bool work_dir(gitrepo *x)
{
    if (x->dir)
        return true;
    char *prefix = gotk_xasprintf("gitrepository-%s-%s", str(x, "metadata.namespace"),
                                  str(x, "metadata.name"));
    gotk_err *e = gotk_file_temp_dir(prefix, &x->dir);
    free(prefix);
    if (!e)
        return true;
    char *m = gotk_xasprintf("failed to create temporary working directory: %s", gotk_err_msg(e));
    gotk_err_free(e);
    storage_failed(x, "DirCreationFailed", m);
    return false;
}

/* Flux's gitCheckout: with `optimized`, stop before fetching when the remote's
 * revision is the stored artifact's. */
static bool git_checkout(gitrepo *x, const char *url, bool optimized)
{
    const char *last = NULL;
    if (optimized && gotk_cond_is_true(x->obj, ARTIFACT_IN_STORAGE))
        last = str(x, "status.artifact.revision");
    gotk_git_checkout_opts o = {
        .url = url,
        .ref = {str(x, "spec.ref.branch"), str(x, "spec.ref.tag"), str(x, "spec.ref.semver"),
                str(x, "spec.ref.name"), str(x, "spec.ref.commit")},
        .auth = x->has_auth ? &x->auth : NULL,
        .last_revision = last,
        .recurse_submodules = json_object_get_boolean(gotk_obj_getp(x->obj, "spec.recurseSubmodules")),
        .fetch_only = streamable(x),
        .timeout = x->timeout,
    };
    gotk_err *e = NULL;
    if (x->have_commit) /* a second attempt starts from an empty directory */
        gotk_git_result_free(&x->commit);
    if (x->dir && (e = gotk_file_remove_all(x->dir)) == NULL)
        e = gotk_file_mkdir_all(x->dir, 0700);
    x->have_commit = false;
    if (!e && last) { /* the ref list alone answers "unchanged", with no directory */
        e = gotk_git_resolve(&o, &x->commit);
        if (!e && !x->commit.unchanged)
            gotk_git_result_free(&x->commit);
        o.last_revision = NULL;
    }
    if (!e && !x->commit.unchanged) {
        if (!work_dir(x))
            return false;
        e = gotk_git_checkout(&o, x->dir, &x->commit);
    }
    if (e) {
        checkout_failed(x, e);
        gotk_err_free(e);
        return false;
    }
    x->have_commit = true;
    x->concrete = !x->commit.unchanged;
    x->fetch_only = o.fetch_only && x->concrete;
    return true;
}

/* ---- sparse checkout, verification, providers ------------------------------- */

/* spec.sparseCheckout entry i without a leading "./" or trailing "/". */
static char *sparse_dir(json_object *list, size_t i)
{
    const char *d = json_object_get_string(json_object_array_get_idx(list, i));
    while (d && !strncmp(d, "./", 2))
        d += 2;
    char *out = gotk_xstrdup(d ? d : "");
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == '/')
        out[--n] = '\0';
    return out;
}

/* Is `rel` one of the directories, inside one (keep = 1), or on the way to
 * one (keep = 2)? 0: neither. */
static int sparse_keep(json_object *list, const char *rel)
{
    int keep = 0;
    size_t rl = strlen(rel);
    for (size_t i = 0; i < alen(list) && keep != 1; i++) {
        char *d = sparse_dir(list, i);
        size_t dl = strlen(d);
        if (dl == 0 || (rl >= dl && !strncmp(rel, d, dl) && (rel[dl] == '/' || !rel[dl])))
            keep = 1;
        else if (dl > rl && !strncmp(rel, d, rl) && d[rl] == '/')
            keep = 2;
        free(d);
    }
    return keep;
}

/* Remove from the checkout everything outside the sparse directories (as a
 * sparse checkout leaves it); `rel` is the directory being pruned. */
static gotk_err *sparse_prune(json_object *list, const char *root, const char *rel)
{
    char *path = *rel ? gotk_xasprintf("%s/%s", root, rel) : gotk_xstrdup(root);
    DIR *d = opendir(path);
    gotk_err *e = d ? NULL : gotk_err_errno(errno, "open %s", path);
    struct dirent *de;
    while (!e && (de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
            (!*rel && !strcmp(de->d_name, ".git")))
            continue;
        char *sub = *rel ? gotk_xasprintf("%s/%s", rel, de->d_name) : gotk_xstrdup(de->d_name);
        int keep = sparse_keep(list, sub);
        if (keep == 2) {
            e = sparse_prune(list, root, sub);
        } else if (keep == 0) {
            char *full = gotk_xasprintf("%s/%s", root, sub);
            e = gotk_file_remove_all(full);
            free(full);
        }
        free(sub);
    }
    if (d)
        closedir(d);
    free(path);
    return e;
}

/* validateSparseCheckoutPaths, then the pruning. */
static bool apply_sparse_checkout(gitrepo *x)
{
    json_object *list = gotk_obj_getp(x->obj, "spec.sparseCheckout");
    gotk_err *e = NULL;
    for (size_t i = 0; !e && i < alen(list); i++) {
        char *d = sparse_dir(list, i), *full = NULL;
        e = secure_join(x->dir, d, &full);
        struct stat sb;
        if (!e && lstat(full, &sb) != 0)
            e = gotk_err_new(GOTK_E_NOTFOUND,
                             "sparse checkout dir '%s' does not exist in repository: lstat %s: "
                             "no such file or directory",
                             json_object_get_string(json_object_array_get_idx(list, i)), full);
        free(full);
        free(d);
    }
    if (!e && alen(list))
        e = sparse_prune(list, x->dir, "");
    if (!e)
        return true;
    sc_error_set(&x->err, SC_ERR_GENERIC, "GitOperationFailed",
                 "failed to sparse checkout directories : %s", gotk_err_msg(e));
    gotk_err_free(e);
    sc_cond_mark(x->obj, FETCH_FAILED, "True", x->err.reason, "%s", x->err.message);
    return false;
}

/* Flux's GitVerificationMode.GetMode: "HEAD", "Tag" or "TagAndHEAD", and
 * HEAD for anything else. */
static const char *verify_mode(gitrepo *x)
{
    const char *m = str(x, "spec.verify.mode");
    if (m && (!strcmp(m, "Tag") || !strcmp(m, "TagAndHEAD")))
        return m;
    return "HEAD";
}

/* SourceVerified=False with a generic (or stalling) error; returns false. */
static bool verify_failed(gitrepo *x, sc_err_kind kind, const char *reason, char *msg)
{
    sc_error_set(&x->err, kind, reason, "%s", msg);
    free(msg);
    sc_cond_mark(x->obj, SOURCE_VERIFIED, "False", x->err.reason, "%s", x->err.message);
    return false;
}

/* The OpenPGP keys of spec.verify.secretRef: every value but `*.pub` ones
 * (SSH keys). `nvals` counts the values tried and `bad` keeps the first that
 * did not parse, for Flux's messages when none did. */
static bool load_verify_keys(gitrepo *x, gotk_git_keyring *kr, size_t *nvals, char **bad)
{
    const char *ns = str(x, "metadata.namespace"), *name = str(x, "spec.verify.secretRef.name");
    gotk_kube_ref ref = {"v1", "Secret", ns, name ? name : ""};
    json_object *secret = NULL;
    gotk_err *e = gotk_kube_get(x->kube, &ref, NULL, &secret);
    if (e) {
        char *m = gotk_xasprintf("public keys secret error: %s", gotk_err_msg(e));
        gotk_err_free(e);
        return verify_failed(x, SC_ERR_GENERIC, "VerificationError", m);
    }
    json_object *data = gotk_obj_get(secret, "data", NULL);
    if (json_object_is_type(data, json_type_object)) {
        json_object_object_foreach(data, key, val) {
            const char *b64 = json_object_get_string(val);
            size_t kl = strlen(key), len = 0;
            unsigned char *raw = NULL;
            if ((kl >= 4 && !strcmp(key + kl - 4, ".pub")) || !b64 ||
                gotk_base64_decode(b64, strlen(b64), &raw, &len) != NULL)
                continue;
            (*nvals)++;
            e = gotk_git_keyring_add_armored(kr, (const char *)raw, len);
            if (e && !*bad)
                *bad = gotk_xstrdup(gotk_err_msg(e));
            gotk_err_free(e);
            free(raw);
        }
    }
    json_object_put(secret);
    return true;
}

/* The reason a verification failed, in Flux's words when the Secret gave no
 * usable key (fluxcd/pkg's VerifyPGPSignature). Caller frees. */
static char *verify_error(gotk_err *e, const gotk_git_keyring *kr, size_t nvals, const char *bad,
                          const char *what)
{
    if (gotk_err_code_of(e) != GOTK_E_GENERIC || gotk_git_keyring_count(kr) > 0)
        return gotk_xstrdup(gotk_err_msg(e));
    if (nvals && bad)
        return gotk_xasprintf("unable to verify Git %s: unable to read armored key ring: %s", what,
                              bad);
    return gotk_xstrdup("PGP signature detected but no PGP public keys found in secret (keys "
                        "with .asc suffix)");
}

/* Mode Tag: the annotated tag the commit was reached through. */
static bool verify_tag_signature(gitrepo *x, const gotk_git_keyring *kr, size_t nvals,
                                 const char *bad, gotk_buf *msg)
{
    const char *refname = x->commit.reference;
    if (!refname || strncmp(refname, "refs/tags/", 10) != 0)
        return verify_failed(x, SC_ERR_STALLING, "InvalidVerificationMode",
                             gotk_xstrdup("cannot verify tag object's signature if a tag "
                                          "reference is not specified"));
    const char *tag = refname + 10;
    char id[17], hex[41] = "";
    gotk_err *e = gotk_git_verify_tag(x->dir, tag, kr, id, hex);
    char *tag_str = gotk_xasprintf("%s%s%s", tag, hex[0] ? "@" : "", hex);
    bool ok = e == NULL;
    if (e && gotk_err_code_of(e) == GOTK_E_NOTFOUND)
        verify_failed(x, SC_ERR_GENERIC, "InvalidGitObject",
                      gotk_xasprintf("cannot verify signature of tag '%s' since it is not signed",
                                     tag_str));
    else if (e) {
        char *why = verify_error(e, kr, nvals, bad, "tag");
        verify_failed(x, SC_ERR_GENERIC, "InvalidTagSignature",
                      gotk_xasprintf("signature verification of tag '%s' failed: %s", tag_str, why));
        free(why);
    } else {
        gotk_buf_printf(msg, "verified signature of\n\t- tag '%s' with key '%s'", tag_str, id);
    }
    gotk_err_free(e);
    free(tag_str);
    return ok;
}

/* Mode HEAD: the checked-out commit. */
static bool verify_commit_signature(gitrepo *x, const gotk_git_keyring *kr, size_t nvals,
                                    const char *bad, gotk_buf *msg)
{
    char id[17];
    gotk_err *e = gotk_git_verify_commit(x->dir, x->commit.commit, kr, id);
    if (e) {
        char *why = verify_error(e, kr, nvals, bad, "commit");
        gotk_err_free(e);
        char *m = gotk_xasprintf("signature verification of commit '%s' failed: %s",
                                 x->commit.commit, why);
        free(why);
        return verify_failed(x, SC_ERR_GENERIC, "InvalidCommitSignature", m);
    }
    gotk_buf_printf(msg, "%s- commit '%s' with key '%s'",
                    msg->len ? "\n\t" : "verified signature of\n\t", x->commit.commit, id);
    return true;
}

/* Flux's verifySignature: the tag (mode Tag), the commit (HEAD) or both
 * against the OpenPGP keys in spec.verify.secretRef; SourceVerified and
 * status.sourceVerificationMode record the outcome. */
static bool verify_signature(gitrepo *x)
{
    if (!set(str(x, "spec.verify.mode"))) {
        gotk_obj_delp(x->obj, "status.sourceVerificationMode");
        gotk_cond_delete(x->obj, SOURCE_VERIFIED);
        return true;
    }
    const char *mode = verify_mode(x);
    gotk_git_keyring *kr = gotk_git_keyring_new();
    size_t nvals = 0;
    char *bad = NULL;
    gotk_buf msg = {0};
    bool ok = load_verify_keys(x, kr, &nvals, &bad) &&
              (!strcmp(mode, "HEAD") || verify_tag_signature(x, kr, nvals, bad, &msg)) &&
              (!strcmp(mode, "Tag") || verify_commit_signature(x, kr, nvals, bad, &msg));
    if (ok) {
        gotk_err_free(gotk_obj_setp(x->obj, "status.sourceVerificationMode",
                                    json_object_new_string(mode)));
        sc_cond_mark(x->obj, SOURCE_VERIFIED, "True", "Succeeded", "%s", msg.data);
        trace_event(x, "Succeeded", msg.data);
    }
    gotk_buf_free(&msg);
    free(bad);
    gotk_git_keyring_free(kr);
    return ok;
}

/* Flux's requiresVerification: verification is asked for and the observed
 * mode does not already cover it. */
static bool requires_verification(gitrepo *x)
{
    if (!gotk_obj_getp(x->obj, "spec.verify"))
        return false;
    const char *seen = str(x, "status.sourceVerificationMode"), *mode = verify_mode(x);
    if (!seen)
        return true;
    return (!strcmp(seen, "Tag") && strcmp(mode, "Tag") != 0) ||
           (!strcmp(seen, "HEAD") && strcmp(mode, "HEAD") != 0);
}

/* Only the generic provider (the Secret) is supported. */
static bool check_provider(gitrepo *x)
{
    const char *p = str(x, "spec.provider");
    if (!set(p) || !strcmp(p, "generic"))
        return true;
    char *m = gotk_xasprintf("failed to configure authentication options: provider '%s' is not "
                             "supported by this build", p);
    auth_failed(x, m);
    free(m);
    return false;
}

/* ---- small helpers -------------------------------------------------------- */

/* A string from the object, or NULL. */
static const char *str(gitrepo *x, const char *path)
{
    return gotk_obj_get_str(x->obj, path);
}

/* Is the string set and not empty? */
static bool set(const char *s)
{
    return s && *s;
}

/* Equal strings, NULL equal to NULL only. */
static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Status of a condition, or "" when absent. */
static const char *cond_status(json_object *obj, const char *type)
{
    const char *s = gotk_obj_get_str(gotk_cond_get(obj, type), "status");
    return s ? s : "";
}

/* status.observedGeneration, -1 when unset (the CRD's default). */
static int64_t observed_generation(json_object *obj)
{
    json_object *g = gotk_obj_getp(obj, "status.observedGeneration");
    return g ? json_object_get_int64(g) : -1;
}

/* Intermediate status write; a failure becomes the reconcile's error. */
static bool patch_progress(gitrepo *x)
{
    gotk_err *e = sc_patch_status(x->kube, x->obj, &x->written, false);
    if (!e)
        return true;
    sc_error_set(&x->err, SC_ERR_GENERIC, "PatchOperationFailed", "%s", gotk_err_msg(e));
    gotk_err_free(e);
    return false;
}

/* A Normal Event that Flux records as a trace (a Kubernetes Event only), logged too. */
static void trace_event(gitrepo *x, const char *reason, const char *msg)
{
    gotk_log(GOTK_LOG_INFO, &x->lc, msg, (char *)NULL);
    gotk_event_record(x->kube, x->obj, SC_CONTROLLER, false, reason, msg, NULL);
}

/* The artifact's file in storage, or NULL. */
static char *artifact_file(gitrepo *x, json_object *artifact)
{
    return gotk_artifact_local_path(x->st->path, gotk_obj_get_str(artifact, "path"));
}

/* Join `rel` under `root` without leaving it: `..` stops at the root and no
 * component may be a symlink (as securejoin keeps a path inside its root). */
static gotk_err *secure_join(const char *root, const char *rel, char **out)
{
    gotk_buf b = {0};
    gotk_buf_puts(&b, root);
    size_t root_len = b.len;
    const char *p = rel;
    while (*p) {
        size_t n = strcspn(p, "/");
        if (n == 2 && !strncmp(p, "..", 2)) {
            while (b.len > root_len && b.data[b.len - 1] != '/')
                b.len--;
            if (b.len > root_len)
                b.len--;
            b.data[b.len] = '\0';
        } else if (n > 0 && !(n == 1 && p[0] == '.')) {
            gotk_buf_putc(&b, '/');
            gotk_buf_append(&b, p, n);
            struct stat sb;
            if (lstat(b.data, &sb) == 0 && S_ISLNK(sb.st_mode)) {
                gotk_buf_free(&b);
                return gotk_err_new(GOTK_E_INVALID, "path '%s' goes through a symlink", rel);
            }
        }
        p += n;
        while (*p == '/')
            p++;
    }
    *out = gotk_buf_steal(&b);
    return NULL;
}

