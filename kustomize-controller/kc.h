/*
 * kc.h: the private interface between kustomize-controller's files.
 *
 * kustomization.c reconciles one Kustomization top to bottom, as Flux's
 * kustomization_controller.go does, running named steps over a kc_ctx that lives
 * for one reconcile and owns everything it points to. The steps live in focused
 * files: source.c (sourceRef, the shared artifact cache), build.c (work tree,
 * generated kustomization, kustomize build, postBuild), apply.c (staged
 * server-side apply and the change set), inventory.c (status.inventory, prune,
 * deletionPolicy), health.c (kstatus rules, wait and healthChecks).
 */
#ifndef KC_H
#define KC_H

#include <json-c/json.h>
#include <pthread.h>
#include <stdbool.h>

#include "gotk/core.h"
#include "gotk/kube.h"
#include "gotk/runtime.h"

#define KC_NAME "kustomize-controller"
#define KC_GROUP "kustomize.toolkit.fluxcd.io"
#define KC_API_VERSION "kustomize.toolkit.fluxcd.io/v1"
#define KC_FINALIZER "finalizers.fluxcd.io"
#define KC_LABEL_NAME KC_GROUP "/name"
#define KC_LABEL_NAMESPACE KC_GROUP "/namespace"

/* ---- the shared artifact cache (source.c) -------------------------------- */

typedef struct kc_cache kc_cache;
typedef struct kc_artifact kc_artifact;

/* A cache of extracted artifacts under `dir`, keeping up to `keep` unused ones. */
kc_cache *kc_cache_new(const char *dir, int keep);
void kc_cache_free(kc_cache *c);
/* Download, verify and extract the artifact once per digest; later callers share
 * the read-only tree. Release the reference with kc_cache_release. */
gotk_err *kc_cache_acquire(kc_cache *c, const char *url, const char *digest, int retries,
                           kc_artifact **out);
/* The extracted tree of an acquired artifact. */
const char *kc_artifact_dir(const kc_artifact *a);
void kc_cache_release(kc_cache *c, kc_artifact *a);
/* The directory holding the cache (work trees are made beside it, for hard links). */
const char *kc_cache_dir(const kc_cache *c);

/* ---- process-wide state ----------------------------------------------------- */

typedef struct {
    gotk_controller *ctrl;
    bool no_cross_namespace_refs;
    const char *default_service_account;
    int http_retry;
    bool strict_substitutions;
    kc_cache *cache;
    const char *work_root; /* per-reconcile trees, on the cache's file system */
} kc_state;

/* ---- change sets (apply.c) ------------------------------------------------- */

typedef enum { KC_CREATED, KC_CONFIGURED, KC_UNCHANGED, KC_DELETED, KC_SKIPPED, KC_UNKNOWN } kc_action;

typedef struct {
    char *api_version, *kind, *group, *version, *ns, *name;
    char *subject; /* Kind/ns/name as Flux prints it */
    char *id;      /* <ns>_<name>_<group>_<kind> as the inventory keeps it */
    kc_action action;
} kc_entry;

typedef struct {
    kc_entry *v;
    size_t n, cap;
} kc_changeset;

const char *kc_action_name(kc_action a);
/* Fill an entry from an object's apiVersion, kind, namespace and name. */
void kc_entry_from_obj(kc_entry *e, json_object *obj, kc_action a);
/* Fill an entry from an inventory id and version; false when the id is malformed. */
bool kc_entry_from_id(kc_entry *e, const char *id, const char *version, kc_action a);
void kc_entry_free(kc_entry *e);
void kc_changeset_add(kc_changeset *cs, kc_entry *e); /* takes the entry's strings */
void kc_changeset_free(kc_changeset *cs);
/* "Kind/ns/name action" lines for every entry whose action passes `filter`. */
char *kc_changeset_string(const kc_changeset *cs, bool only_changes);
/* Flux's reconcile order, for sorting entries and objects. */
int kc_kind_rank(const char *kind);

/* ---- one reconcile ----------------------------------------------------------- */

typedef struct {
    kc_state *st;
    gotk_kube_client *kube;  /* the controller's client, or an impersonating one */
    gotk_kube_client *owned_kube;
    json_object *obj;        /* the Kustomization (owned) */
    json_object *before;     /* status as read, to patch only when it changed */
    const char *ns, *name;
    gotk_log_ctx log;
    gotk_duration interval, retry_interval, timeout;
    struct timespec start;

    json_object *source;     /* the source object (owned) */
    const char *revision, *url, *digest;
    kc_artifact *artifact;   /* shared, released at the end */
    char *workdir;           /* per-reconcile tree over the artifact (removed) */
    char *build_dir;         /* spec.path inside workdir */
    char *rel_path;          /* spec.path cleaned, relative to the artifact root */

    json_object *objects;    /* the build's objects (owned array) */
    char *checksum;          /* sha256 of the built YAML */
    kc_changeset applied;    /* apply's change set */
    bool drifted;            /* something was created or configured */
} kc_ctx;

/* A step's failure: the Ready reason and the error (message for the user). */
typedef struct {
    const char *reason;
    gotk_err *err;
} kc_fail;

/* source.c */
gotk_err *kc_get_source(kc_ctx *x, bool *not_found);
gotk_err *kc_fetch_artifact(kc_ctx *x);

/* build.c */
gotk_err *kc_prepare_tree(kc_ctx *x);
gotk_err *kc_build(kc_ctx *x);

/* apply.c */
gotk_err *kc_apply(kc_ctx *x);
/* Is `key` set to `value` (case-insensitive) in the object's labels or annotations? */
bool kc_meta_has(json_object *obj, const char *key, const char *value);

/* inventory.c */
/* status.inventory built from the change set (skipped entries excluded). */
json_object *kc_inventory_from(const kc_changeset *cs);
/* Delete what is in `old` and not in `cur` (cur may be NULL: everything). */
gotk_err *kc_prune(kc_ctx *x, json_object *old_inv, json_object *cur_inv, kc_changeset *out);

/* health.c */
/* Wait until every object of `set` is Current, Failed, or the timeout passes. */
gotk_err *kc_wait_set(kc_ctx *x, const kc_changeset *set, gotk_duration timeout,
                      gotk_duration poll);
/* The kstatus of one live object: "Current", "InProgress", "Failed", with a message. */
const char *kc_kstatus(json_object *live, char **message);

/* kustomization.c helpers shared with the steps */
void kc_event(kc_ctx *x, bool warning, const char *msg);
void kc_mark(kc_ctx *x, const char *type, const char *status, const char *reason,
             const char *msg);
/* Write status now (the progress messages between steps). */
gotk_err *kc_patch_status(kc_ctx *x);

#endif
