/*
 * source-controller: what main.c and the reconcilers of each kind share.
 *
 *  - sc_storage: the artifact storage settings from the flags (--storage-path,
 *    the advertised address, the retention flags) handed to every reconciler.
 *  - The outcome of a reconcile step, shaped like Flux's internal/reconcile and
 *    internal/error packages: a result (empty, requeue, success) and an error of
 *    a kind (generic, stalling, waiting) with a reason, a message and what to do
 *    with it (log, event, ignore).
 *  - summarize.c: Flux's summarize helper in C: conditions.SetSummary, the
 *    reconcile result computation, the Events for errors, and status patches
 *    sent only when the status changed (JSON merge patch on the status
 *    subresource).
 */
#ifndef GOTK_SOURCE_CONTROLLER_SC_H
#define GOTK_SOURCE_CONTROLLER_SC_H

#include <json-c/json.h>
#include <stdbool.h>

#include "gotk/core.h"
#include "gotk/kube.h"
#include "gotk/runtime.h"

#define SC_CONTROLLER "source-controller"
#define SC_GROUP "source.toolkit.fluxcd.io"
#define SC_FINALIZER "finalizers.fluxcd.io"
#define SC_REQUESTED_AT "reconcile.fluxcd.io/requestedAt"

/* Storage settings, filled by main.c from the flags. */
typedef struct {
    const char *path;         /* --storage-path */
    char *adv_addr;           /* --storage-adv-addr, or derived from --storage-addr */
    int retention_records;    /* --artifact-retention-records */
    gotk_duration retention_ttl; /* --artifact-retention-ttl */
} sc_storage;

/* What a step asks for, as Flux's sreconcile.Result. */
typedef enum { SC_RESULT_EMPTY = 0, SC_RESULT_REQUEUE, SC_RESULT_SUCCESS } sc_result;

/* What kind of failure, as Flux's serror types. */
typedef enum {
    SC_ERR_NONE = 0,
    SC_ERR_GENERIC,  /* retried with back-off, unless `ignore` */
    SC_ERR_STALLING, /* retrying cannot fix it: Stalled, no requeue */
    SC_ERR_WAITING,  /* a dependency is not ready: requeue after `requeue_after` */
} sc_err_kind;

typedef struct {
    sc_err_kind kind;
    char *reason;
    char *message;
    bool ignore;      /* generic: not a failure (e.g. nothing changed) */
    bool log;         /* log the message */
    bool warning;     /* the Event is a Warning (else Normal) */
    bool no_event;    /* record no Event */
    gotk_duration requeue_after; /* waiting */
} sc_error;

/* Set `err` (freeing what it held) with Flux's defaults for the kind: generic
 * -> Warning Event; stalling -> Warning Event and log; waiting -> Normal Event
 * and log. */
void sc_error_set(sc_error *err, sc_err_kind kind, const char *reason, const char *fmt, ...)
    GOTK_PRINTF(4, 5);
void sc_error_clear(sc_error *err);

/* Set a condition with the current time, message printf-style. */
void sc_cond_mark(json_object *obj, const char *type, const char *status, const char *reason,
                  const char *fmt, ...) GOTK_PRINTF(5, 6);
/* Flux's rreconcile.ProgressiveStatus: Reconciling=True (and Stalled deleted);
 * Ready=Unknown too when `drift`, or Ready is missing or Unknown. */
void sc_progressive_status(json_object *obj, bool drift, const char *reason, const char *fmt,
                           ...) GOTK_PRINTF(4, 5);

/* Which conditions summarize into Ready, as Flux's summarize.Conditions. */
typedef struct {
    const char *const *summarize; /* NULL-terminated, in priority order */
    const char *const *negative;  /* NULL-terminated */
    const char *const *bipolar;   /* NULL-terminated: False on one of these is Ready's cause */
} sc_conditions;

/* conditions.SetSummary(obj, "Ready", ...). */
void sc_summarize_ready(json_object *obj, const sc_conditions *c);

/* Flux's ComputeReconcileResult + SummarizeAndPatch's result logic: adjusts
 * Reconciling/Stalled, sets the Ready summary, decides observedGeneration, and
 * fills `out` (requeue after `interval` on success). Returns the error the
 * runtime should see (NULL: no back-off), which the caller owns. */
gotk_err *sc_finish(json_object *obj, sc_result res, const sc_error *err,
                    gotk_duration interval, const sc_conditions *c, gotk_result *out);

/* Record the Event and log line an error asks for (Flux's ErrorActionHandler). */
void sc_error_report(gotk_kube_client *kube, json_object *obj, const sc_error *err,
                     const gotk_log_ctx *lc);

/* Copy metadata.annotations[requestedAt] to status.lastHandledReconcileAt. */
void sc_record_reconcile_request(json_object *obj);

/* Patch obj's status when it differs from `*last` (the status as last written;
 * replaced by a copy of the new one on success). NOTFOUND is not an error when
 * `ignore_notfound`. */
gotk_err *sc_patch_status(gotk_kube_client *kube, json_object *obj, json_object **last,
                          bool ignore_notfound);

/* The JSON merge patch turning `from` into `to`, or NULL when they are equal. */
json_object *sc_merge_diff(json_object *from, json_object *to);

/* The GitRepository reconciler (gitrepository.c); `ud` is the sc_storage. */
gotk_err *sc_gitrepository_reconcile(gotk_controller *c, const char *ns, const char *name,
                                     gotk_result *res, void *ud);

#endif
