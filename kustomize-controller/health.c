/*
 * health.c: kstatus rules and waiting on a set of objects.
 *
 * kc_kstatus judges one live object as sigs.k8s.io/cli-utils kstatus does:
 * InProgress while status.observedGeneration lags metadata.generation;
 * Deployments, StatefulSets and DaemonSets by their replica counts and
 * Deployment's ProgressDeadlineExceeded (Failed); Jobs Complete or Failed;
 * PersistentVolumeClaims Bound; CustomResourceDefinitions Established
 * (NamesAccepted False fails); any other kind by its Stalled (Failed),
 * Reconciling and Ready conditions, and Current when it has none.
 *
 * kc_wait_set polls the set until every object is Current or one Failed, or the
 * timeout passes, and fails with Flux's message: "timeout waiting for:
 * [Deployment/default/app status: 'InProgress']".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gotk/obj.h"
#include "kc.h"

/* An integer at a dotted path, or `def`. */
static int64_t num(json_object *o, const char *path, int64_t def)
{
    json_object *v = gotk_obj_getp(o, path);
    return v ? json_object_get_int64(v) : def;
}

/* The condition `type` of the live object, or NULL. */
static json_object *cond(json_object *o, const char *type)
{
    json_object *cs = gotk_obj_getp(o, "status.conditions");
    for (size_t i = 0; cs && json_object_is_type(cs, json_type_array) &&
                       i < json_object_array_length(cs); i++) {
        json_object *c = json_object_array_get_idx(cs, i);
        const char *t = gotk_obj_get_str(c, "type");
        if (t && !strcmp(t, type))
            return c;
    }
    return NULL;
}

/* Is condition `type` present with `status`? */
static bool cond_is(json_object *o, const char *type, const char *status)
{
    json_object *c = cond(o, type);
    const char *s = c ? gotk_obj_get_str(c, "status") : NULL;
    return s && !strcmp(s, status);
}

/* InProgress with a message (returned for chaining). */
static const char *progress(char **msg, const char *fmt, long long a, long long b)
{
    *msg = gotk_xasprintf(fmt, a, b);
    return "InProgress";
}

/* Deployment rollout. */
static const char *deployment(json_object *o, char **msg)
{
    json_object *pc = cond(o, "Progressing");
    const char *reason = pc ? gotk_obj_get_str(pc, "reason") : NULL;
    if (reason && !strcmp(reason, "ProgressDeadlineExceeded")) {
        *msg = gotk_xstrdup("Progress deadline exceeded");
        return "Failed";
    }
    int64_t want = num(o, "spec.replicas", 1), upd = num(o, "status.updatedReplicas", 0),
            cur = num(o, "status.replicas", 0), avail = num(o, "status.availableReplicas", 0),
            ready = num(o, "status.readyReplicas", 0);
    if (upd < want)
        return progress(msg, "Updated: %lld/%lld", upd, want);
    if (cur > upd)
        return progress(msg, "Pending termination: %lld/%lld", cur - upd, cur);
    if (avail < want)
        return progress(msg, "Available: %lld/%lld", avail, want);
    if (ready < want)
        return progress(msg, "Ready: %lld/%lld", ready, want);
    if (!cond_is(o, "Available", "True") && cond(o, "Available"))
        return progress(msg, "Available: %lld/%lld", avail, want);
    *msg = gotk_xasprintf("Deployment is available. Replicas: %lld", (long long)cur);
    return "Current";
}

/* StatefulSet rollout. */
static const char *statefulset(json_object *o, char **msg)
{
    int64_t want = num(o, "spec.replicas", 1), ready = num(o, "status.readyReplicas", 0),
            cur = num(o, "status.currentReplicas", 0), upd = num(o, "status.updatedReplicas", 0);
    const char *strategy = gotk_obj_get_str(o, "spec.updateStrategy.type");
    if (ready < want)
        return progress(msg, "Ready: %lld/%lld", ready, want);
    if (strategy && !strcmp(strategy, "OnDelete")) {
        *msg = gotk_xstrdup("StatefulSet is ready");
        return "Current";
    }
    int64_t partition = num(o, "spec.updateStrategy.rollingUpdate.partition", 0);
    if (partition > 0) {
        if (upd < want - partition)
            return progress(msg, "updated: %lld/%lld", upd, want - partition);
        *msg = gotk_xstrdup("Partition rollout complete");
        return "Current";
    }
    if (cur < want)
        return progress(msg, "current: %lld/%lld", cur, want);
    const char *cr = gotk_obj_get_str(o, "status.currentRevision");
    const char *ur = gotk_obj_get_str(o, "status.updateRevision");
    if (cr && ur && strcmp(cr, ur)) {
        *msg = gotk_xstrdup("Waiting for updated revision to match current");
        return "InProgress";
    }
    *msg = gotk_xasprintf("All replicas scheduled as expected. Replicas: %lld", (long long)ready);
    return "Current";
}

/* DaemonSet rollout. */
static const char *daemonset(json_object *o, char **msg)
{
    int64_t want = num(o, "status.desiredNumberScheduled", -1);
    if (want < 0) {
        *msg = gotk_xstrdup("Missing .status.desiredNumberScheduled");
        return "InProgress";
    }
    int64_t sched = num(o, "status.currentNumberScheduled", 0),
            upd = num(o, "status.updatedNumberScheduled", 0),
            avail = num(o, "status.numberAvailable", 0), ready = num(o, "status.numberReady", 0);
    if (sched < want)
        return progress(msg, "Current: %lld/%lld", sched, want);
    if (upd < want)
        return progress(msg, "Updated: %lld/%lld", upd, want);
    if (avail < want)
        return progress(msg, "Available: %lld/%lld", avail, want);
    if (ready < want)
        return progress(msg, "Ready: %lld/%lld", ready, want);
    *msg = gotk_xasprintf("All replicas scheduled as expected. Replicas: %lld", (long long)want);
    return "Current";
}

/* Generic rules by conditions. */
static const char *generic(json_object *o, char **msg)
{
    if (cond_is(o, "Stalled", "True")) {
        const char *m = gotk_obj_get_str(cond(o, "Stalled"), "message");
        *msg = gotk_xstrdup(m ? m : "Stalled");
        return "Failed";
    }
    if (cond_is(o, "Reconciling", "True")) {
        const char *m = gotk_obj_get_str(cond(o, "Reconciling"), "message");
        *msg = gotk_xstrdup(m ? m : "Reconciling");
        return "InProgress";
    }
    if (cond_is(o, "Ready", "False")) {
        const char *m = gotk_obj_get_str(cond(o, "Ready"), "message");
        *msg = gotk_xstrdup(m ? m : "Ready: False");
        return "InProgress";
    }
    *msg = gotk_xstrdup("Resource is current");
    return "Current";
}

/* The kstatus of one live object. */
const char *kc_kstatus(json_object *o, char **msg)
{
    *msg = NULL;
    const char *kind = gotk_obj_get_str(o, "kind");
    int64_t gen = num(o, "metadata.generation", 0), seen = num(o, "status.observedGeneration", -1);
    bool has_seen = gotk_obj_getp(o, "status.observedGeneration") != NULL;
    if (!kind)
        kind = "";
    bool builtin_workload = !strcmp(kind, "Deployment") || !strcmp(kind, "StatefulSet") ||
                            !strcmp(kind, "DaemonSet");
    if ((has_seen || builtin_workload) && seen < gen) {
        *msg = gotk_xasprintf("%s generation is %lld, but latest observed generation is %lld",
                              kind, (long long)gen, (long long)seen);
        return "InProgress";
    }
    if (!strcmp(kind, "Deployment"))
        return deployment(o, msg);
    if (!strcmp(kind, "StatefulSet"))
        return statefulset(o, msg);
    if (!strcmp(kind, "DaemonSet"))
        return daemonset(o, msg);
    if (!strcmp(kind, "Job")) {
        if (cond_is(o, "Failed", "True")) {
            *msg = gotk_xstrdup("Job Failed");
            return "Failed";
        }
        if (cond_is(o, "Complete", "True")) {
            *msg = gotk_xstrdup("Job Completed");
            return "Current";
        }
        *msg = gotk_xstrdup("Job in progress");
        return "InProgress";
    }
    if (!strcmp(kind, "PersistentVolumeClaim")) {
        const char *phase = gotk_obj_get_str(o, "status.phase");
        if (phase && !strcmp(phase, "Bound")) {
            *msg = gotk_xstrdup("PVC is Bound");
            return "Current";
        }
        *msg = gotk_xstrdup("PVC is not Bound");
        return "InProgress";
    }
    if (!strcmp(kind, "CustomResourceDefinition")) {
        if (cond_is(o, "NamesAccepted", "False")) {
            *msg = gotk_xstrdup("CRD names not accepted");
            return "Failed";
        }
        if (cond_is(o, "Established", "True")) {
            *msg = gotk_xstrdup("CRD is established");
            return "Current";
        }
        *msg = gotk_xstrdup("CRD is not established");
        return "InProgress";
    }
    return generic(o, msg);
}

/* The status of one entry now: Current, InProgress, Failed or NotFound. */
static const char *status_of(kc_ctx *x, const kc_entry *e, char **msg)
{
    gotk_kube_ref ref = {e->api_version, e->kind, *e->ns ? e->ns : NULL, e->name};
    json_object *live = NULL;
    gotk_err *err = gotk_kube_get(x->kube, &ref, NULL, &live);
    if (err) {
        bool nf = gotk_err_code_of(err) == GOTK_E_NOTFOUND;
        *msg = nf ? NULL : gotk_xstrdup(gotk_err_msg(err));
        gotk_err_free(err);
        return nf ? "NotFound" : "Unknown";
    }
    const char *s = kc_kstatus(live, msg);
    json_object_put(live);
    return s;
}

/* Monotonic nanoseconds. */
static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * GOTK_SECOND + ts.tv_nsec;
}

gotk_err *kc_wait_set(kc_ctx *x, const kc_changeset *set, gotk_duration timeout,
                      gotk_duration poll)
{
    if (set->n == 0)
        return NULL;
    int64_t deadline = now_ns() + timeout;
    const char **st = gotk_xcalloc(set->n, sizeof *st);
    char **msgs = gotk_xcalloc(set->n, sizeof *msgs);
    bool done = false, timed_out = false;
    while (!done) {
        bool all_current = true, terminal = true;
        for (size_t i = 0; i < set->n; i++) {
            free(msgs[i]);
            msgs[i] = NULL;
            st[i] = status_of(x, &set->v[i], &msgs[i]);
            all_current &= !strcmp(st[i], "Current");
            terminal &= !strcmp(st[i], "Current") || !strcmp(st[i], "Failed");
        }
        if (all_current || terminal)
            break;
        if (now_ns() >= deadline) {
            timed_out = true;
            break;
        }
        struct timespec nap = {(time_t)(poll / GOTK_SECOND), (long)(poll % GOTK_SECOND)};
        nanosleep(&nap, NULL);
    }
    gotk_buf errs = {0};
    for (size_t i = 0; i < set->n; i++) {
        if (!strcmp(st[i], "Failed") || (timed_out && strcmp(st[i], "Current"))) {
            if (errs.len)
                gotk_buf_puts(&errs, ", ");
            gotk_buf_printf(&errs, "%s status: '%s'", set->v[i].subject, st[i]);
            if (!strcmp(st[i], "Failed") && msgs[i])
                gotk_buf_printf(&errs, ": %s", msgs[i]);
        }
        free(msgs[i]);
    }
    free(msgs);
    free(st);
    gotk_err *e = NULL;
    if (errs.len)
        e = gotk_err_new(GOTK_E_KUBE_TIMEOUT, "%s: [%s]",
                         timed_out ? "timeout waiting for" : "failed early due to stalled resources",
                         errs.data);
    gotk_buf_free(&errs);
    return e;
}
