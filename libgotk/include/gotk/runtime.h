/*
 * runtime: what every gotk controller shares, shaped like Flux's controllers.
 *
 *  - Work queue. Keys ("namespace/name") are queued once however often they are
 *    added; a key being reconciled is never handed out again until it is done (an
 *    add meanwhile marks it to run once more afterwards). Keys can be added after a
 *    delay (requeue after spec.interval, with Flux's +/-5% jitter) or rate limited
 *    (exponential back-off per key from --min-retry-delay 750ms doubling up to
 *    --max-retry-delay 15m; forgotten after a success). Thread-safe: reconcile
 *    workers block in gotk_queue_get.
 *  - Conditions on a status object exactly as Flux sets them: observedGeneration,
 *    lastTransitionTime changed only on a state change, messages trimmed to 32 KiB,
 *    Stalled, Reconciling, Ready first, then the rest by generation and type.
 *  - Metrics in Prometheus text format: counters, gauges and histograms with
 *    labels, including Flux's gotk_reconcile_condition, gotk_suspend_status and
 *    gotk_reconcile_duration_seconds (buckets 10ms..30m, 10 exponential steps) and
 *    controller-runtime's controller_runtime_reconcile_total and workqueue_depth.
 *  - The HTTP endpoints: /metrics on --metrics-addr, /healthz and /readyz on
 *    --health-addr.
 *  - The flags all Flux controllers take.
 *  - Informers: a thread per watched kind keeping a local cache by list + watch,
 *    relisting on 410 and retrying across API server restarts.
 *  - Kubernetes Events as client-go's recorder writes them.
 *  - Leader election on a coordination.k8s.io Lease.
 *  - The controller loop tying it together: SIGTERM drains and exits 0.
 */
#ifndef GOTK_RUNTIME_H
#define GOTK_RUNTIME_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gotk/core.h"
#include "gotk/kube.h"

/* ---- work queue ---------------------------------------------------------- */

typedef struct gotk_queue gotk_queue;

gotk_queue *gotk_queue_new(gotk_duration min_retry, gotk_duration max_retry);
void gotk_queue_free(gotk_queue *q);
/* Queue `key` now (no-op when it is already waiting). */
void gotk_queue_add(gotk_queue *q, const char *key);
/* Queue `key` after `delay`; an earlier pending time for the key wins. */
void gotk_queue_add_after(gotk_queue *q, const char *key, gotk_duration delay);
/* Queue `key` after its next back-off delay, and count the failure. */
void gotk_queue_add_rate_limited(gotk_queue *q, const char *key);
/* The back-off delay the next failure of `key` would get. */
gotk_duration gotk_queue_next_backoff(gotk_queue *q, const char *key);
/* Reset the failure count of `key` (after a success). */
void gotk_queue_forget(gotk_queue *q, const char *key);
/* Block until a key is ready, the timeout passes (returns NULL), or the queue
 * shuts down (returns NULL). timeout < 0 waits forever. The caller owns the
 * returned string and must call gotk_queue_done with it. */
char *gotk_queue_get(gotk_queue *q, gotk_duration timeout);
/* Mark `key` finished; if it was added while being processed, it is queued again. */
void gotk_queue_done(gotk_queue *q, const char *key);
/* Keys waiting now (not delayed, not processing). */
size_t gotk_queue_len(gotk_queue *q);
/* Wake every gotk_queue_get with NULL; later adds are ignored. */
void gotk_queue_shutdown(gotk_queue *q);
/* With `drain`, shutdown waits until no key is being processed or `timeout` passes;
 * returns whether everything finished. */
bool gotk_queue_shutdown_drain(gotk_queue *q, gotk_duration timeout);

/* Flux's jitter: d * (1 + p * r) with r uniform in [-1, 1). p in [0, 1). */
gotk_duration gotk_jitter(gotk_duration d, double p);

/* ---- conditions ---------------------------------------------------------- */

#define GOTK_COND_READY "Ready"
#define GOTK_COND_RECONCILING "Reconciling"
#define GOTK_COND_STALLED "Stalled"

/* A condition to set; status is "True", "False" or "Unknown". */
typedef struct {
    const char *type;
    const char *status;
    const char *reason;
    const char *message;
} gotk_condition;

/* Set `c` in status.conditions of `obj` as Flux's conditions.Set does, with
 * observedGeneration from metadata.generation and `now` (RFC 3339, seconds) as the
 * transition time when the state changed. Creates status/conditions as needed. */
void gotk_cond_set(json_object *obj, const gotk_condition *c, const char *now);
/* Remove a condition type; returns whether it was there. */
bool gotk_cond_delete(json_object *obj, const char *type);
/* The condition of that type in status.conditions, or NULL (borrowed). */
json_object *gotk_cond_get(json_object *obj, const char *type);
/* Whether the condition has status "True". */
bool gotk_cond_is_true(json_object *obj, const char *type);
/* The current time as Kubernetes writes it: 2026-11-21T23:39:14Z. */
void gotk_now_rfc3339(char out[32]);

/* ---- metrics ------------------------------------------------------------- */

typedef struct gotk_metrics gotk_metrics;

typedef enum { GOTK_METRIC_COUNTER, GOTK_METRIC_GAUGE, GOTK_METRIC_HISTOGRAM } gotk_metric_type;

gotk_metrics *gotk_metrics_new(void);
void gotk_metrics_free(gotk_metrics *m);
/* Declare a metric family with up to 8 label names (NULL-terminated). For a
 * histogram, `buckets` are the upper bounds (ascending), `nbuckets` of them. */
void gotk_metrics_define(gotk_metrics *m, const char *name, const char *help,
                         gotk_metric_type type, const char *const *labels,
                         const double *buckets, size_t nbuckets);
/* Operations on one series; label values in declaration order. */
void gotk_metrics_add(gotk_metrics *m, const char *name, const char *const *values, double v);
void gotk_metrics_set(gotk_metrics *m, const char *name, const char *const *values, double v);
void gotk_metrics_observe(gotk_metrics *m, const char *name, const char *const *values,
                          double v);
/* Drop one series (an object was deleted). */
void gotk_metrics_delete(gotk_metrics *m, const char *name, const char *const *values);
/* Prometheus text exposition format 0.0.4. */
void gotk_metrics_render(gotk_metrics *m, gotk_buf *out);

/* Flux's reconcile metrics, defined on `m`. */
void gotk_metrics_define_flux(gotk_metrics *m);
/* Record an object's Ready condition ("True"/"False"/"Unknown") and suspend flag. */
void gotk_metrics_record_ready(gotk_metrics *m, const char *kind, const char *ns,
                               const char *name, const char *status);
void gotk_metrics_record_suspend(gotk_metrics *m, const char *kind, const char *ns,
                                 const char *name, bool suspended);
void gotk_metrics_record_duration(gotk_metrics *m, const char *kind, const char *ns,
                                  const char *name, double seconds);

/* ---- HTTP endpoints ------------------------------------------------------ */

typedef struct gotk_endpoints gotk_endpoints;

/* Serve /metrics from `m` on metrics_addr and /healthz, /readyz on health_addr
 * (":8080", "127.0.0.1:0", ...; NULL or "0" disables one). `ready` is read on each
 * /readyz request. */
gotk_err *gotk_endpoints_start(gotk_metrics *m, const char *metrics_addr,
                               const char *health_addr, const volatile bool *ready,
                               gotk_endpoints **out);
/* The port each listens on (after ":0"), or 0. */
int gotk_endpoints_metrics_port(gotk_endpoints *e);
int gotk_endpoints_health_port(gotk_endpoints *e);
void gotk_endpoints_stop(gotk_endpoints *e);
/* Parse "host:port" / ":port" into a host (NULL for all interfaces) and port. */
gotk_err *gotk_parse_listen_addr(const char *addr, char **host, int *port);

/* ---- flags --------------------------------------------------------------- */

/* The flags every Flux controller takes, with Flux's defaults. */
typedef struct {
    const char *kubeconfig;
    int concurrent;                  /* --concurrent, 4 */
    gotk_duration requeue_dependency; /* --requeue-dependency, 30s */
    bool watch_all_namespaces;       /* --watch-all-namespaces, true */
    const char *watch_label_selector; /* --watch-label-selector */
    gotk_log_level log_level;        /* --log-level, info */
    gotk_log_encoding log_encoding;  /* --log-encoding, json */
    gotk_duration min_retry_delay;   /* --min-retry-delay, 750ms */
    gotk_duration max_retry_delay;   /* --max-retry-delay, 15m */
    bool leader_elect;               /* --leader-elect, false */
    gotk_duration lease_duration;    /* --leader-election-lease-duration, 35s */
    gotk_duration renew_deadline;    /* --leader-election-renew-deadline, 30s */
    gotk_duration retry_period;      /* --leader-election-retry-period, 5s */
    const char *leader_election_namespace; /* default: the pod's / config namespace */
    const char *metrics_addr;        /* --metrics-addr, :8080 */
    const char *health_addr;         /* --health-addr, :9440 */
    double kube_api_qps;             /* --kube-api-qps, 50 */
    int kube_api_burst;              /* --kube-api-burst, 300 */
    int jitter_percent;              /* --interval-jitter-percentage, 5 */
    gotk_duration graceful_shutdown; /* --graceful-shutdown-timeout, 30s (controller-runtime) */
} gotk_runtime_opts;

/* Fill `o` with Flux's defaults. */
void gotk_runtime_opts_default(gotk_runtime_opts *o);

/* A controller-specific flag: `--name value` or `--name=value`. The callback gets
 * the value (NULL for a boolean flag given without one) and returns an error for
 * a bad value. */
typedef gotk_err *(*gotk_flag_fn)(const char *value, void *target);
typedef struct {
    const char *name;  /* without dashes */
    const char *help;
    bool is_bool;      /* may stand alone: --flag, --flag=true/false */
    gotk_flag_fn set;
    void *target;
} gotk_flag;

/* Setters for the usual kinds of targets. */
gotk_err *gotk_flag_string(const char *value, void *target);   /* const char ** */
gotk_err *gotk_flag_int(const char *value, void *target);      /* int * */
gotk_err *gotk_flag_double(const char *value, void *target);   /* double * */
gotk_err *gotk_flag_bool(const char *value, void *target);     /* bool * */
gotk_err *gotk_flag_duration(const char *value, void *target); /* gotk_duration * */

/* Parse argv (argv[0] is the program) into `o` and the extra flags. An unknown
 * flag or a bad value is an error naming the flag. `--help` prints all flags to
 * stdout and sets *help. */
gotk_err *gotk_runtime_parse_flags(int argc, char **argv, gotk_runtime_opts *o,
                                   const gotk_flag *extra, size_t nextra, bool *help);

/* ---- informers ----------------------------------------------------------- */

typedef struct gotk_informer gotk_informer;

/* Called on the informer's thread for every change: the new object (borrowed) and,
 * for updates, the cached previous one (borrowed, may be NULL). After a relist,
 * objects that vanished are reported DELETED. */
typedef void (*gotk_informer_fn)(gotk_kube_event type, json_object *obj, json_object *old,
                                 void *ud);

/* An informer for `kind` in `ns` (NULL: all namespaces), optionally filtered by a
 * label selector. Nothing happens until gotk_informer_start. Cached and reported
 * objects carry no metadata.managedFields. */
gotk_informer *gotk_informer_new(gotk_kube_client *kube, const char *api_version,
                                 const char *kind, const char *ns, const char *label_selector,
                                 gotk_informer_fn fn, void *ud);
void gotk_informer_start(gotk_informer *i);
/* Whether the first list has completed. */
bool gotk_informer_synced(gotk_informer *i);
bool gotk_informer_wait_synced(gotk_informer *i, gotk_duration timeout);
/* A deep copy of the cached object, or NULL. */
json_object *gotk_informer_get(gotk_informer *i, const char *ns, const char *name);
/* Deep copies of every cached object, in a new array. */
json_object *gotk_informer_list(gotk_informer *i);
/* Stop the thread and free everything. */
void gotk_informer_free(gotk_informer *i);

/* ---- events --------------------------------------------------------------- */

/* Record a Normal (or Warning) Event about `obj`; failures are only logged. */
void gotk_event_record(gotk_kube_client *kube, json_object *obj, const char *controller,
                       bool warning, const char *reason, const char *message,
                       json_object *annotations);

/* ---- leader election ------------------------------------------------------ */

typedef struct gotk_leader gotk_leader;

/* A candidate for the Lease ns/name; identity NULL makes "<hostname>_<random>". */
gotk_leader *gotk_leader_new(gotk_kube_client *kube, const char *ns, const char *name,
                             const char *identity, gotk_duration lease,
                             gotk_duration renew_deadline, gotk_duration retry);
const char *gotk_leader_identity(gotk_leader *l);
/* Block until we hold the Lease (true) or *stop is set (false). */
bool gotk_leader_acquire(gotk_leader *l, atomic_int *stop);
/* Renew in the background; `on_lost` runs when renewal failed past the deadline. */
void gotk_leader_keep(gotk_leader *l, void (*on_lost)(void *), void *ud);
/* Stop renewing and hand the Lease back (empty holder) so another takes it at once. */
void gotk_leader_release(gotk_leader *l);
void gotk_leader_free(gotk_leader *l);

/* ---- controller ----------------------------------------------------------- */

typedef struct gotk_controller gotk_controller;

typedef struct {
    gotk_duration requeue_after; /* > 0: reconcile again after this (jittered) */
} gotk_result;

/* Reconcile the object ns/name (it may be gone). An error is logged and the key
 * backs off; the reconciler reports errors to the user itself (status, Events). */
typedef gotk_err *(*gotk_reconcile_fn)(gotk_controller *c, const char *ns, const char *name,
                                       gotk_result *res, void *ud);

typedef struct {
    const char *name;        /* "source-controller": logs, metrics, the Lease name */
    const char *api_version; /* the primary kind, watched by the controller */
    const char *kind;
    gotk_reconcile_fn reconcile;
    void *ud;
} gotk_controller_def;

gotk_err *gotk_controller_new(const gotk_controller_def *def, const gotk_runtime_opts *o,
                              gotk_controller **out);
/* Also watch another kind; `fn` typically enqueues the primaries that use it. */
void gotk_controller_watch(gotk_controller *c, const char *api_version, const char *kind,
                           gotk_informer_fn fn, void *ud);
void gotk_controller_enqueue(gotk_controller *c, const char *ns, const char *name);
void gotk_controller_enqueue_after(gotk_controller *c, const char *ns, const char *name,
                                   gotk_duration d);
gotk_kube_client *gotk_controller_kube(gotk_controller *c);
gotk_metrics *gotk_controller_metrics(gotk_controller *c);
const gotk_runtime_opts *gotk_controller_opts(gotk_controller *c);
gotk_informer *gotk_controller_informer(gotk_controller *c);
/* NULL when watching all namespaces. */
const char *gotk_controller_watch_namespace(gotk_controller *c);
/* Run until SIGTERM/SIGINT (exit code 0) or a lost Lease (1). */
int gotk_controller_run(gotk_controller *c);
void gotk_controller_free(gotk_controller *c);

#endif
