/*
 * apiserver.h: the private interface between gotk-apiserver's files.
 *
 * gotk-apiserver speaks the Kubernetes REST protocol over HTTPS (libmicrohttpd,
 * one thread per connection) and keeps every object as a JSON document in SQLite.
 * One mutex (srv->lock) guards the store, the resource table and the watch rings:
 * a request takes it for the whole of its work, so requests are serialized and a
 * write is committed before its response is queued. Watchers wait on srv->cond,
 * which every commit broadcasts.
 *
 * Files: main.c (flags, startup, shutdown), tls.c (CA and serving certificate),
 * http.c (libmicrohttpd, auth, routing), status.c (Status errors), jsonx.c (json-c
 * helpers), util.c (files, ids), store.c (SQLite), resources.c (kinds, CRDs), discovery.c (/api, /apis,
 * /openapi), handlers.c (verbs), patch.c (merge, JSON and strategic patches),
 * select.c (label and field selectors), watch.c (event ring, watch streams),
 * table.c (server-side printing for kubectl get), pb.c (protobuf bodies),
 * fieldtype.c (list and map types for server-side apply), defaults.c (built-in
 * defaulting), allocate.c (Service cluster IPs and node ports), immutable.c
 * (fields updates may not change), audit.c (impersonation and the audit log).
 */
#ifndef GOTK_APISERVER_H
#define GOTK_APISERVER_H

#include <json-c/json.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "gotk/core.h"
#include "gotk/obj.h"

/* ---- JSON helpers (jsonx.c) -------------------------------------------- */

/* Parse JSON text; on failure returns NULL and sets *err to a message (freed by
 * the caller). */
json_object *jx_parse(const char *data, size_t len, char **err);
/* Compact JSON text owned by `o` (valid until `o` changes or is freed). */
const char *jx_str(json_object *o);
/* A new malloc'd copy of the compact JSON text. */
char *jx_strdup(json_object *o);
/* Member `key` of object `o`, or NULL. */
json_object *jx_get(json_object *o, const char *key);
/* String member, or NULL when absent or not a string. */
const char *jx_get_str(json_object *o, const char *key);
/* metadata.<key> string, or NULL. */
const char *jx_meta_str(json_object *o, const char *key);
/* The object at `key`, created when missing or not an object. */
json_object *jx_ensure_obj(json_object *o, const char *key);
/* Set string member. */
void jx_set_str(json_object *o, const char *key, const char *val);
/* RFC 7386 merge patch; returns the result (consumes `target`). */
json_object *jx_merge_patch(json_object *target, json_object *patch);
/* The value at a dotted path ("spec.selector" or ".spec.replicas"), or NULL. */
json_object *jx_at(json_object *o, const char *path);
/* Current time as RFC 3339 UTC with second precision, into out[32]. */
void jx_now(char out[32]);

/* ---- files and ids (util.c) ------------------------------------------- */

gotk_err *ax_read_file(const char *path, char **out);
/* 2n lowercase hex characters from n random bytes. Caller frees. */
char *ax_random_hex(size_t n);
/* A random UUID (36 characters + NUL). */
void ax_uuid(char out[37]);

/* ---- Status errors (status.c) ------------------------------------------ */

/* An API response: HTTP code and a body. */
typedef struct {
    int code;
    char *body;        /* malloc'd JSON text */
    const char *ctype; /* content type, default application/json */
} api_resp;

/* A Kubernetes Status object for a failure. `kind` and `name` fill details. */
void api_status(api_resp *r, int code, const char *reason, const char *group,
                const char *kind, const char *name, const char *fmt, ...) GOTK_PRINTF(7, 8);
/* 200 with the JSON text of `o` (not consumed). */
void api_json(api_resp *r, int code, json_object *o);
/* Status with status Success (delete responses). */
void api_status_success(api_resp *r, const char *group, const char *kind,
                        const char *name, const char *uid);
/* A Status json object (new reference) for watch ERROR events. */
json_object *api_status_obj(int code, const char *reason, const char *msg);

/* ---- resources (resources.c) ------------------------------------------- */

typedef struct api_printer_col {
    char *name, *type, *format, *json_path, *description;
    int priority;
} api_printer_col;

/* One served resource of one group version. */
typedef struct api_resource {
    char *group, *version, *plural, *singular, *kind, *list_kind;
    bool namespaced;
    bool has_status;
    bool crd;          /* defined by a CustomResourceDefinition */
    bool review;       /* create-only and never stored (access reviews) */
    /* scale subresource: JSON paths (".spec.replicas"), NULL without one */
    char *scale_spec, *scale_status, *scale_selector;
    char **short_names; /* NULL-terminated */
    char **categories;  /* NULL-terminated */
    api_printer_col *cols;
    int ncols;
    json_object *schema; /* CRD openAPIV3Schema (owned), or NULL */
} api_resource;

typedef struct api_resources {
    api_resource *items;
    int n, cap;
} api_resources;

/* Fill the table with the built-in kinds. */
void res_init_builtin(api_resources *t);
/* Free every entry. */
void res_free(api_resources *t);
/* Find the resource for group/version/plural, or NULL. */
api_resource *res_find(api_resources *t, const char *group, const char *version,
                       const char *plural);
/* Find by group and plural (any version), or NULL. */
api_resource *res_find_plural(api_resources *t, const char *group, const char *plural);
/* Find by group and kind (any version), or NULL. */
api_resource *res_find_kind(api_resources *t, const char *group, const char *kind);

struct apisrv;
/* Drop CRD-defined entries and add one per served version of each stored CRD. */
void res_reload_crds(struct apisrv *s);
/* Check a CRD object, fill defaults and its status (names accepted, established).
 * Returns NULL when valid, else an error message to free. */
char *res_crd_prepare(json_object *crd);

/* ---- store (store.c) --------------------------------------------------- */

typedef struct store store;

/* Open (creating) the database at `path`. */
gotk_err *store_open(const char *path, store **out);
void store_close(store *st);
/* The last committed revision. */
int64_t store_rev(store *st);
gotk_err *store_begin(store *st);
gotk_err *store_commit(store *st);
void store_rollback(store *st);
/* The next revision inside the open transaction. */
int64_t store_next_rev(store *st);
/* Get one object; NULL when absent. Caller owns the result. */
json_object *store_get(store *st, const char *group, const char *res, const char *ns,
                       const char *name);
/* Insert or replace. */
gotk_err *store_put(store *st, const char *group, const char *res, const char *ns,
                    const char *name, int64_t rev, json_object *obj);
gotk_err *store_del(store *st, const char *group, const char *res, const char *ns,
                    const char *name);
/* Visit objects of a resource in (namespace, name) order, in namespace `ns` (NULL
 * for all), starting after the key (after_ns, after_name) when given. The visitor
 * takes ownership of the object and returns false to stop. */
typedef bool (*store_visit)(json_object *obj, const char *ns, const char *name, void *ud);
gotk_err *store_list(store *st, const char *group, const char *res, const char *ns,
                     const char *after_ns, const char *after_name, store_visit fn, void *ud);
/* store_list visiting only rows whose JSON text passes `pre` (rows it refuses
 * are never parsed). */
typedef bool (*store_prefilter)(const char *txt, size_t len, void *ud);
gotk_err *store_list_pre(store *st, const char *group, const char *res, const char *ns,
                         const char *after_ns, const char *after_name, store_prefilter pre,
                         store_visit fn, void *ud);
/* Visit every namespaced object in namespace `ns`, any resource. */
typedef bool (*store_visit_any)(const char *group, const char *res, json_object *obj, void *ud);
gotk_err *store_list_ns(store *st, const char *ns, store_visit_any fn, void *ud);
/* Visit every object. */
gotk_err *store_list_all(store *st, store_visit_any fn, void *ud);
/* Visit the objects whose JSON text contains `needle` (a prefilter). */
gotk_err *store_list_containing(store *st, const char *needle, store_visit_any fn, void *ud);
/* Visit the object with this metadata.uid, if any. */
gotk_err *store_get_uid(store *st, const char *uid, store_visit_any fn, void *ud);
/* Whether no object lives in namespace ns. */
bool store_ns_empty(store *st, const char *ns);
/* Log a watch event in the open transaction (JSON texts; prev may be NULL). */
gotk_err *store_log_event(store *st, int64_t rev, const char *type, const char *group,
                          const char *res, const char *ns, const char *obj, const char *prev);
/* The revision from which the event log is complete. */
int64_t store_events_floor(store *st);
/* Visit the newest `limit` logged events of each resource, oldest first. */
typedef void (*store_visit_event)(int64_t rev, const char *type, const char *group,
                                  const char *res, const char *ns, const char *obj,
                                  const char *prev, void *ud);
gotk_err *store_load_events(store *st, int limit, store_visit_event fn, void *ud);

/* ---- watch (watch.c) --------------------------------------------------- */

typedef struct api_event {
    int64_t rev;
    char type[10]; /* ADDED, MODIFIED, DELETED */
    char *group, *res, *ns;
    char *obj;  /* the object as stored, JSON text (text keeps the ring small) */
    char *prev; /* the state before a MODIFIED event, or NULL */
} api_event;

/* The recent events of one resource (group, plural). */
typedef struct api_ring {
    char *group, *res;
    api_event *ev;
    int cap, head, count; /* events [head, head+count) modulo cap, oldest first */
    int64_t floor;        /* watches may resume from any revision >= floor */
} api_ring;

void ring_init(api_ring *r, int cap, int64_t floor);
void ring_free(api_ring *r);
struct apisrv;
/* The ring of a resource, created (empty, floor = the startup revision) when
 * it has none yet. */
api_ring *ring_for(struct apisrv *s, const char *group, const char *res);
/* Free every ring. */
void rings_free(struct apisrv *s);
/* Record an event (takes ownership of the JSON texts obj and prev). */
void ring_push(api_ring *r, int64_t rev, const char *type, const char *group,
               const char *res, const char *ns, char *obj, char *prev);

/* ---- identities (audit.c) ---------------------------------------------- */

/* A user as the audit log and SelfSubjectReview show it. */
typedef struct api_user {
    char *name, *uid;    /* uid may be NULL */
    json_object *groups; /* array of strings */
    json_object *extra;  /* {key: [values]} or NULL */
} api_user;

/* Who sent a request (the admin token) and whom it impersonates. */
typedef struct api_identity {
    api_user user;
    bool impersonating;
    api_user as;
} api_identity;

void identity_free(api_identity *id);
/* The effective user: the impersonated one, or the authenticated one. */
#define IDENTITY_EFFECTIVE(id) ((id)->impersonating ? &(id)->as : &(id)->user)

typedef struct audit_log audit_log;
/* Open (appending, creating with mode 0600) the audit log; "-" is stdout. */
gotk_err *audit_open(const char *path, audit_log **out);
void audit_close(audit_log *a);
/* Now as RFC 3339 with microseconds, as audit timestamps are written. */
void audit_now(char out[40]);

/* ---- the server --------------------------------------------------------- */

typedef struct apisrv {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    store *st;
    api_resources res;
    api_ring *rings; /* one per resource that had events since startup */
    int nrings, ring_cap;
    int64_t start_rev; /* the revision at startup: older watches get 410 */
    char *token;
    char *server_addr; /* host:port, for /api */
    volatile bool stopping;
    /* events of the open transaction, pushed to the ring on commit */
    api_event *pending;
    int npending, cappending;
    bool crds_changed;
    json_object *removed; /* objects removed in the open transaction (array) */
    audit_log *audit;     /* --audit-log-path, or NULL */
} apisrv;

/* ---- requests (handlers.c) ---------------------------------------------- */

/* What the router extracted from a request. */
typedef struct api_req {
    apisrv *s;
    const char *method;
    const char *path;
    char *group, *version, *ns, *resource, *name, *sub;
    const char *body;
    size_t body_len;
    const char *content_type;
    const char *accept;
    /* query parameters */
    const char *label_selector, *field_selector, *continue_tok, *resource_version;
    const char *dry_run, *field_manager, *timeout_seconds, *field_validation;
    const char *include_object;
    long limit;
    bool watch, bookmarks, force;
    bool applying; /* the write comes from server-side apply */
    api_resource *r;
    const api_identity *who; /* the caller (and whom it impersonates) */
} api_req;

/* Serve a resource request (everything under /api/v1 and /apis/G/V that names a
 * resource). Called with the lock held. */
void handle_resource(api_req *q, api_resp *out);
/* Open the transaction for a write. */
gotk_err *txn_begin(apisrv *s);
/* Commit and publish the pending events. */
gotk_err *txn_commit(apisrv *s);
void txn_rollback(apisrv *s);
/* Stage an event for the open transaction (prev: the state before, or NULL)
 * and log it in the store. */
gotk_err *txn_event(apisrv *s, int64_t rev, const char *type, const char *group,
                    const char *res, const char *ns, json_object *obj, json_object *prev);
/* Set apiVersion and kind on an object for the resource it is served as. */
void obj_set_gvk(json_object *o, const api_resource *r);

/* Helpers shared by the verb files (handlers.c, write.c, delete.c). */
/* Store obj with the next revision and stage an ADDED/MODIFIED event. */
gotk_err *h_put(apisrv *s, const api_resource *r, json_object *obj, const char *type);
/* Remove obj with the next revision and stage its DELETED event. */
gotk_err *h_remove(apisrv *s, const char *group, const char *plural, json_object *obj);
bool h_dry_run(const api_req *q);
/* Commit (or roll back for dry runs, or on e); false with a 500 on failure. */
bool h_finish(api_req *q, gotk_err *e, api_resp *out);
/* "deployments.apps", as messages name resources. Caller frees. */
char *h_qualified(const api_resource *r);
void h_not_found(api_req *q, const char *name, api_resp *out);
void h_invalid(api_req *q, const char *name, const char *field, const char *msg, api_resp *out);
/* Add a field cause ({reason, message, field}) to an array. */
void h_cause(json_object *causes, const char *reason, const char *field, const char *fmt, ...)
    GOTK_PRINTF(4, 5);
/* 422 Invalid naming every cause: `Kind.group "name" is invalid: [f: m, ...]`. */
void h_invalid_causes(api_req *q, const char *name, json_object *causes, api_resp *out);
void h_conflict(api_req *q, const char *name, api_resp *out);
/* Why a name is invalid for the resource, or NULL. */
const char *h_name_problem(const api_resource *r, const char *n);
json_object *h_parse_body(api_req *q, api_resp *out);
bool h_check_gvk(api_req *q, json_object *o, api_resp *out);
bool h_spec_changed(json_object *a, json_object *b);
bool h_has_finalizers(json_object *o);
/* The addressed object, or NULL with a 404. */
json_object *h_load(api_req *q, api_resp *out);
/* Respond with an object (as a Table when the client asks for one). */
void h_respond_obj(api_req *q, int code, json_object *o, api_resp *out);

/* write.c */
void do_create(api_req *q, api_resp *out);
void do_update(api_req *q, api_resp *out);
void do_patch(api_req *q, api_resp *out);
/* Store `next` as the new state of `cur` (both borrowed), with the server's
 * metadata rules; used by update, patch and apply. */
void h_write_update(api_req *q, json_object *cur, json_object *next, api_resp *out);
/* ssa.c: server-side apply (application/apply-patch+yaml). */
void do_apply(api_req *q, api_resp *out);
/* Record fields changed by a non-apply write (cur NULL on create) in n's
 * managedFields under the request's fieldManager. */
void ssa_track_update(api_req *q, json_object *cur, json_object *n);
/* crdschema.c: default, prune and validate a custom object in place against
 * its CRD schema; false with a 422 (or 400 for strict unknown fields). */
bool schema_apply(api_req *q, json_object *obj, api_resp *out);
/* immutable.c: refuse an update (cur -> n) that changes what the kind fixes
 * (immutable ConfigMap/Secret data, workload selectors, Job templates,
 * StatefulSet spec, Service cluster IP, PVC spec) with the server's 422; n
 * may gain the kept Service cluster IP. */
bool immutable_check(api_req *q, json_object *cur, json_object *n, api_resp *out);
/* allocate.c: give a Service (o; cur its stored state on update, or NULL)
 * its cluster IP and node ports; false with a 422 when a requested one is
 * taken. */
bool allocate_service(api_req *q, json_object *o, json_object *cur, api_resp *out);
/* defaults.c: fill the defaults a real server gives built-in kinds (no-op
 * for custom kinds, which crdschema.c defaults). */
void defaults_apply(const api_resource *r, json_object *o);
/* defaults.c: a new Job without manualSelector selects its pods by its uid
 * (controller-uid and job-name labels on the template, the new-style ones on
 * the Job when it has none), as the server does on create. */
void defaults_job_selector(const api_resource *r, json_object *o);
/* scale.c: the scale subresource (autoscaling/v1 Scale). */
void do_scale(api_req *q, api_resp *out);
/* review.c: SelfSubjectAccessReview and SelfSubjectReview (create only). */
void do_review(api_req *q, api_resp *out);
/* token.c: serviceaccounts/{name}/token (TokenRequest, create only). */
void do_token_request(api_req *q, api_resp *out);
/* delete.c */
void do_delete(api_req *q, api_resp *out);
void do_delete_collection(api_req *q, api_resp *out);
/* Delete an object as a client's DELETE would (finalizers, cascades). */
gotk_err *h_delete_obj(apisrv *s, const api_resource *r, json_object *cur, bool *removed);
/* After objects went away: remove emptied terminating namespaces, collect
 * orphaned dependents. */
gotk_err *h_after_removal(apisrv *s);

/* ---- discovery (discovery.c) ------------------------------------------- */

/* Serve /version, /api, /apis, /api/v1, /apis/G[/V], /openapi/...; returns false
 * when the path is not one of them. */
bool handle_discovery(apisrv *s, const char *path, const char *accept, api_resp *out);

/* ---- selectors (select.c) ---------------------------------------------- */

typedef struct sel sel;
/* Parse a label selector; NULL result and *err set on a syntax error. An empty
 * string gives a selector that matches everything. */
sel *sel_parse_labels(const char *s, char **err);
/* Parse a field selector (key=value, key==value, key!=value, comma-separated). */
sel *sel_parse_fields(const char *s, char **err);
bool sel_match_labels(const sel *l, json_object *obj);
/* False when the object stored as JSON text cannot match (a cheap pre-check). */
bool sel_may_match_raw(const sel *l, const char *txt, size_t len);
bool sel_match_fields(const sel *f, json_object *obj);
void sel_free(sel *l);

/* ---- patches (patch.c) ------------------------------------------------- */

/* Apply an RFC 6902 JSON patch to a copy of `doc`; NULL and *err on failure. */
json_object *patch_json(json_object *doc, json_object *ops, char **err);
/* The merge key of list field `field` ("" for merge-strategy primitive lists,
 * NULL for atomic lists); `sample` is one element. Shared with ssa.c. */
const char *patch_merge_key(const char *field, json_object *sample);
/* Apply a strategic merge patch; returns the result (consumes `doc`). */
json_object *patch_strategic(json_object *doc, json_object *patch);

/* ---- list and map types for server-side apply (fieldtype.c) ------------ */

#define FT_MAX_KEYS 4

typedef enum { FT_ATOMIC, FT_SET, FT_MAP } ft_list_kind;

/* How a list is merged and owned: atomic, a set of scalars, or a map keyed by
 * up to FT_MAX_KEYS fields (with a default for an absent key, or NULL). */
typedef struct {
    ft_list_kind kind;
    int nkeys;
    const char *keys[FT_MAX_KEYS];
    const char *defaults[FT_MAX_KEYS];
    json_object *defaults_json[FT_MAX_KEYS]; /* borrowed from a CRD schema */
} ft_list;

/* A place in an object: the resource, the CRD schema node there (custom
 * kinds), and the name of the field it is. */
typedef struct {
    const api_resource *r;
    json_object *sch;
    bool crd;
    const char *field;
} ft_cur;

ft_cur ft_root(const api_resource *r);
/* The cursor of member `field` (kept borrowed: it must outlive the cursor). */
ft_cur ft_field(ft_cur c, const char *field);
/* The cursor of a list's elements. */
ft_cur ft_item(ft_cur c);
/* The type of the list at c. */
void ft_list_type(ft_cur c, ft_list *out);
/* Whether the map at c is one atomic value. */
bool ft_map_atomic(ft_cur c);
/* Key i of a map-list element (its default when absent); new reference or NULL. */
json_object *ft_key_value(const ft_list *l, int i, json_object *el);
/* The key object of an element, members sorted by name as FieldsV1 writes
 * them ({"containerPort":80,"protocol":"TCP"}). New reference. */
json_object *ft_key_of(const ft_list *l, json_object *el);
/* Whether element el has the key object `key`. */
bool ft_key_matches(const ft_list *l, json_object *el, json_object *key);
/* Merge an apply configuration over the live object (consumed): associative
 * lists by their keys, sets by value, atomic lists and maps replaced. */
json_object *ft_apply_merge(const api_resource *r, json_object *base, json_object *cfg);

/* ---- watch streams (watch.c) ------------------------------------------- */

typedef struct watcher watcher;
/* Start a watch for the request; *w is handed to the HTTP layer. On an
 * immediate failure fills `out` and returns NULL. Called with the lock held. */
watcher *watch_start(api_req *q, api_resp *out);
/* Produce more of the stream (blocks until there is something or the watch
 * ends). Returns bytes written, or -1 at the end. */
long watch_read(watcher *w, char *buf, size_t max);
void watch_free(watcher *w);

/* ---- table (table.c) --------------------------------------------------- */

/* Whether the Accept header asks for a meta.k8s.io Table. */
bool table_wanted(const char *accept);
/* Turn an object or list into a Table (consumes `o`). */
json_object *table_from(api_req *q, json_object *o, bool is_list);

/* ---- protobuf bodies (pb.c) -------------------------------------------- */

/* Decode a Kubernetes protobuf body (magic + runtime.Unknown) of a supported
 * built-in kind into JSON; NULL with *err (to free) otherwise. */
json_object *pb_decode(const char *body, size_t len, char **err);

/* ---- TLS material (tls.c) ---------------------------------------------- */

/* Load data_dir/{ca.crt,server.crt,server.key}, generating them on first start. */
gotk_err *tls_ensure(const char *data_dir, char **ca_pem, char **cert_pem, char **key_pem);

#endif
