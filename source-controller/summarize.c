/*
 * summarize: the end of every source-controller reconcile, as Flux's
 * internal/reconcile and internal/reconcile/summarize packages do it.
 *
 * A reconcile runs steps that set conditions and return a result (empty,
 * requeue, success) and maybe an error of a kind (generic, stalling, waiting).
 * sc_finish turns that into the status and the runtime's answer:
 *  - success without error removes Reconciling; a Reconciling left behind gets
 *    the reason ProgressingWithRetry;
 *  - a stalling error with an empty result marks Stalled (and drops
 *    Reconciling) and is not retried; a waiting error is requeued after its
 *    delay; an ignored generic error (nothing changed) counts as success;
 *  - observedGeneration is written on success, on stalling and on ignored
 *    errors, never after a plain failure;
 *  - Ready is the summary of the owned conditions (fluxcd/pkg conditions
 *    merge): conditions are grouped by status and polarity, the group with the
 *    highest merge priority wins (negative-polarity True first, then positive
 *    False, positive True, negative False, Unknown), and the first condition of
 *    that group in the summarize order gives the reason and message; a
 *    bipolar condition (SourceVerified) that is False overrides it;
 *  - a reconcile that looks successful but is not Ready returns the Ready
 *    message as its error, so it is retried.
 * Status is written with a JSON merge patch on the status subresource holding
 * only what changed since it was last written, and not at all when nothing did.
 */
#include "sc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gotk/obj.h"

/* Free what an error holds and reset it. */
void sc_error_clear(sc_error *err)
{
    free(err->reason);
    free(err->message);
    memset(err, 0, sizeof *err);
}

/* Set an error with Flux's defaults for its kind. */
void sc_error_set(sc_error *err, sc_err_kind kind, const char *reason, const char *fmt, ...)
{
    sc_error_clear(err);
    va_list ap;
    va_start(ap, fmt);
    gotk_buf b = {0};
    gotk_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    err->kind = kind;
    err->reason = gotk_xstrdup(reason);
    err->message = gotk_buf_steal(&b);
    err->warning = kind != SC_ERR_WAITING;
    err->log = kind != SC_ERR_GENERIC;
}

/* Set a condition now, with a printf-style message. */
void sc_cond_mark(json_object *obj, const char *type, const char *status, const char *reason,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gotk_buf b = {0};
    gotk_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char now[32];
    gotk_now_rfc3339(now);
    gotk_condition c = {type, status, reason, b.data ? b.data : ""};
    gotk_cond_set(obj, &c, now);
    gotk_buf_free(&b);
}

/* Status of a condition, or NULL when it is absent. */
static const char *cond_status(json_object *obj, const char *type)
{
    return gotk_obj_get_str(gotk_cond_get(obj, type), "status");
}

/* Reconciling=True, and Ready=Unknown on drift or when Ready says nothing yet. */
void sc_progressive_status(json_object *obj, bool drift, const char *reason, const char *fmt,
                           ...)
{
    va_list ap;
    va_start(ap, fmt);
    gotk_buf b = {0};
    gotk_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    const char *msg = b.data ? b.data : "";
    gotk_cond_delete(obj, GOTK_COND_STALLED);
    sc_cond_mark(obj, GOTK_COND_RECONCILING, "True", reason, "%s", msg);
    const char *ready = cond_status(obj, GOTK_COND_READY);
    if (drift || !ready || !strcmp(ready, "Unknown"))
        sc_cond_mark(obj, GOTK_COND_READY, "Unknown", reason, "%s", msg);
    gotk_buf_free(&b);
}

/* Is `type` in the NULL-terminated list? */
static bool in_list(const char *const *list, const char *type)
{
    for (; list && *list; list++)
        if (!strcmp(*list, type))
            return true;
    return false;
}

/* fluxcd/pkg's conditionGroup.mergePriority (lower wins). */
static int merge_priority(const char *status, bool negative)
{
    if (!strcmp(status, "True"))
        return negative ? 0 : 2;
    if (!strcmp(status, "False"))
        return negative ? 3 : 1;
    return 4;
}

/* conditions.SetSummary(obj, Ready, WithConditions, WithNegativePolarityConditions). */
void sc_summarize_ready(json_object *obj, const sc_conditions *c)
{
    json_object *conds = gotk_obj_getp(obj, "status.conditions");
    size_t n = conds ? json_object_array_length(conds) : 0;
    int best = 99;
    json_object *top = NULL;
    size_t top_rank = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *cond = json_object_array_get_idx(conds, i);
        const char *type = gotk_obj_get_str(cond, "type");
        const char *status = gotk_obj_get_str(cond, "status");
        if (!type || !status || !strcmp(type, GOTK_COND_READY) || !in_list(c->summarize, type))
            continue;
        int p = merge_priority(status, in_list(c->negative, type));
        size_t rank = 0;
        while (strcmp(c->summarize[rank], type))
            rank++;
        if (p < best || (p == best && rank < top_rank)) {
            best = p;
            top = cond;
            top_rank = rank;
        }
    }
    if (!top)
        return;
    const char *status = best == 0 || best == 1 ? "False" : best == 4 ? "Unknown" : "True";
    char *reason = gotk_xstrdup(gotk_obj_get_str(top, "reason"));
    char *message = gotk_xstrdup(gotk_obj_get_str(top, "message"));
    sc_cond_mark(obj, GOTK_COND_READY, status, reason, "%s", message);
    free(reason);
    free(message);
}

/* status.observedGeneration = metadata.generation, when there are conditions. */
static void set_observed_generation(json_object *obj)
{
    json_object *conds = gotk_obj_getp(obj, "status.conditions");
    if (!conds || json_object_array_length(conds) == 0)
        return;
    int64_t gen = json_object_get_int64(gotk_obj_getp(obj, "metadata.generation"));
    gotk_err_free(gotk_obj_setp(obj, "status.observedGeneration", json_object_new_int64(gen)));
}

/* Reconciling keeps its message but says it is being retried. */
static void mark_retrying(json_object *obj)
{
    json_object *rc = gotk_cond_get(obj, GOTK_COND_RECONCILING);
    if (!rc || strcmp(gotk_obj_get_str(rc, "status"), "True") != 0)
        return;
    char *msg = gotk_xstrdup(gotk_obj_get_str(rc, "message"));
    sc_cond_mark(obj, GOTK_COND_RECONCILING, "True", "ProgressingWithRetry", "%s", msg);
    free(msg);
}

/* A bipolar condition (SourceVerified) that is False decides Ready. */
static void summarize_bipolar(json_object *obj, const sc_conditions *c)
{
    for (const char *const *t = c->bipolar; t && *t; t++) {
        json_object *cond = gotk_cond_get(obj, *t);
        const char *status = gotk_obj_get_str(cond, "status");
        if (!status || strcmp(status, "False"))
            continue;
        char *reason = gotk_xstrdup(gotk_obj_get_str(cond, "reason"));
        char *message = gotk_xstrdup(gotk_obj_get_str(cond, "message"));
        sc_cond_mark(obj, GOTK_COND_READY, "False", reason, "%s", message);
        free(reason);
        free(message);
        return;
    }
}

/* The requeue delay Flux's AlwaysRequeueResultBuilder picks; -1: none. */
static gotk_duration requeue_delay(sc_result res, const sc_error *err, gotk_duration interval)
{
    if (err->kind == SC_ERR_WAITING)
        return err->requeue_after > 0 ? err->requeue_after : interval;
    if (err->kind == SC_ERR_GENERIC && err->ignore)
        return interval;
    if (res == SC_RESULT_REQUEUE)
        return GOTK_MS;
    return res == SC_RESULT_SUCCESS ? interval : -1;
}

/* ComputeReconcileResult, the Ready summary and the not-Ready check. */
gotk_err *sc_finish(json_object *obj, sc_result res, const sc_error *err,
                    gotk_duration interval, const sc_conditions *c, gotk_result *out)
{
    gotk_duration delay = requeue_delay(res, err, interval);
    out->requeue_after = delay > 0 ? delay : 0;
    if (err->kind == SC_ERR_NONE && res == SC_RESULT_SUCCESS)
        gotk_cond_delete(obj, GOTK_COND_RECONCILING);
    mark_retrying(obj);
    bool failed = false;
    switch (err->kind) {
    case SC_ERR_STALLING:
        if (res == SC_RESULT_EMPTY) {
            gotk_cond_delete(obj, GOTK_COND_RECONCILING);
            sc_cond_mark(obj, GOTK_COND_STALLED, "True", err->reason, "%s", err->message);
            set_observed_generation(obj);
        } else {
            failed = true;
        }
        break;
    case SC_ERR_WAITING:
        gotk_cond_delete(obj, GOTK_COND_STALLED);
        break;
    case SC_ERR_GENERIC:
        gotk_cond_delete(obj, GOTK_COND_STALLED);
        if (err->ignore) {
            set_observed_generation(obj);
            gotk_cond_delete(obj, GOTK_COND_RECONCILING);
        } else {
            failed = true;
        }
        break;
    case SC_ERR_NONE:
        if (res != SC_RESULT_REQUEUE)
            set_observed_generation(obj);
        gotk_cond_delete(obj, GOTK_COND_STALLED);
        break;
    }
    sc_summarize_ready(obj, c);
    summarize_bipolar(obj, c);
    if (failed)
        return gotk_err_new(GOTK_E_GENERIC, "%s", err->message);
    bool success = delay == interval && !gotk_cond_is_true(obj, GOTK_COND_STALLED);
    if (success && !gotk_cond_is_true(obj, GOTK_COND_READY)) {
        const char *msg = gotk_obj_get_str(gotk_cond_get(obj, GOTK_COND_READY), "message");
        return gotk_err_new(GOTK_E_GENERIC, "%s", msg ? msg : "not ready");
    }
    return NULL;
}

/* ErrorActionHandler: the log line and the Event an error asks for. */
void sc_error_report(gotk_kube_client *kube, json_object *obj, const sc_error *err,
                     const gotk_log_ctx *lc)
{
    if (err->kind == SC_ERR_NONE)
        return;
    if (err->log && err->kind == SC_ERR_GENERIC)
        gotk_log(err->warning ? GOTK_LOG_ERROR : GOTK_LOG_INFO, lc, err->message, (char *)NULL);
    else if (err->log)
        gotk_log(err->warning ? GOTK_LOG_ERROR : GOTK_LOG_INFO, lc,
                 err->kind == SC_ERR_STALLING ? "reconciliation stalled"
                                              : "reconciliation waiting",
                 err->kind == SC_ERR_STALLING ? "error" : "reason", err->message, (char *)NULL);
    if (!err->no_event)
        gotk_event_record(kube, obj, SC_CONTROLLER, err->warning, err->reason, err->message,
                          NULL);
}

/* RecordReconcileReq. */
void sc_record_reconcile_request(json_object *obj)
{
    json_object *ann = gotk_obj_getp(obj, "metadata.annotations"), *v = NULL;
    if (!ann || !json_object_object_get_ex(ann, SC_REQUESTED_AT, &v) ||
        !json_object_is_type(v, json_type_string))
        return;
    gotk_err_free(gotk_obj_setp(obj, "status.lastHandledReconcileAt",
                                json_object_new_string(json_object_get_string(v))));
}

/* The merge patch from `from` to `to` (NULL when equal). */
json_object *sc_merge_diff(json_object *from, json_object *to)
{
    if (!json_object_is_type(from, json_type_object) || !json_object_is_type(to, json_type_object))
        return gotk_obj_equal(from, to) ? NULL : gotk_obj_copy(to);
    json_object *patch = json_object_new_object();
    json_object_object_foreach(from, k, v) {
        (void)v;
        if (!json_object_object_get_ex(to, k, NULL))
            json_object_object_add(patch, k, NULL);
    }
    json_object_object_foreach(to, k2, v2) {
        json_object *old = NULL;
        if (!json_object_object_get_ex(from, k2, &old)) {
            json_object_object_add(patch, k2, gotk_obj_copy(v2));
            continue;
        }
        json_object *sub = sc_merge_diff(old, v2);
        if (sub || (!v2 && old))
            json_object_object_add(patch, k2, sub);
    }
    if (json_object_object_length(patch) == 0) {
        json_object_put(patch);
        return NULL;
    }
    return patch;
}

/* Patch the status subresource with what changed since `*last`. */
gotk_err *sc_patch_status(gotk_kube_client *kube, json_object *obj, json_object **last,
                          bool ignore_notfound)
{
    json_object *status = gotk_obj_get(obj, "status", NULL);
    if (!status)
        return NULL;
    json_object *body = *last ? sc_merge_diff(*last, status) : gotk_obj_copy(status);
    if (!body)
        return NULL;
    json_object *patch = json_object_new_object();
    json_object_object_add(patch, "status", body);
    gotk_kube_ref ref = {gotk_obj_get_str(obj, "apiVersion"), gotk_obj_get_str(obj, "kind"),
                         gotk_obj_get_str(obj, "metadata.namespace"),
                         gotk_obj_get_str(obj, "metadata.name")};
    gotk_kube_opts o = {.subresource = "status", .field_manager = SC_CONTROLLER};
    gotk_err *e = gotk_kube_patch(kube, &ref, GOTK_KUBE_PATCH_MERGE, patch, &o, NULL);
    json_object_put(patch);
    if (e && ignore_notfound && gotk_err_code_of(e) == GOTK_E_NOTFOUND) {
        gotk_err_free(e);
        return NULL;
    }
    if (e)
        return gotk_err_wrap(e, "patching status");
    json_object_put(*last);
    *last = gotk_obj_copy(status);
    return NULL;
}
