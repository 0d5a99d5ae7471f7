/*
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection
 * does it for controller-runtime: the holder renews spec.renewTime every retry
 * period; another candidate takes the Lease once renewTime + leaseDurationSeconds
 * has passed, or at once when the holder released it (empty holderIdentity).
 * Updates carry the resourceVersion, so two candidates can never both win. A
 * leader that cannot renew within the renew deadline has lost and must stop.
 */
#include "gotk/obj.h"
#include "gotk/runtime.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct gotk_leader {
    gotk_kube_client *kube;
    char *ns, *name, *identity;
    gotk_duration lease, renew_deadline, retry;
    int64_t last_renew; /* monotonic ns of the last successful renewal */
    pthread_t thread;
    bool renewing;
    atomic_int stop;
    void (*on_lost)(void *);
    void *ud;
};

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Kubernetes MicroTime: 2026-11-22T00:00:50.123456Z */
static void micro_now(char out[40])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 40 - n, ".%06ldZ", ts.tv_nsec / 1000);
}

/* Seconds since the epoch of a MicroTime or RFC 3339 time; 0 when unreadable. */
static double parse_time(const char *s)
{
    struct tm tm = {0};
    const char *rest = s ? strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
    if (!rest)
        return 0;
    double frac = *rest == '.' ? strtod(rest, NULL) : 0;
    return (double)timegm(&tm) + frac;
}

gotk_leader *gotk_leader_new(gotk_kube_client *kube, const char *ns, const char *name,
                             const char *identity, gotk_duration lease,
                             gotk_duration renew_deadline, gotk_duration retry)
{
    gotk_leader *l = gotk_xcalloc(1, sizeof *l);
    l->kube = kube;
    l->ns = gotk_xstrdup(ns);
    l->name = gotk_xstrdup(name);
    if (identity) {
        l->identity = gotk_xstrdup(identity);
    } else {
        char host[256] = "gotk";
        gethostname(host, sizeof host - 1);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        l->identity = gotk_xasprintf("%s_%08lx%04x", host, (unsigned long)ts.tv_nsec,
                                     (unsigned)getpid() & 0xffff);
    }
    l->lease = lease;
    l->renew_deadline = renew_deadline;
    l->retry = retry;
    return l;
}

const char *gotk_leader_identity(gotk_leader *l)
{
    return l->identity;
}

static json_object *new_lease(gotk_leader *l)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "apiVersion", json_object_new_string("coordination.k8s.io/v1"));
    json_object_object_add(o, "kind", json_object_new_string("Lease"));
    json_object *meta = json_object_new_object();
    json_object_object_add(meta, "name", json_object_new_string(l->name));
    json_object_object_add(meta, "namespace", json_object_new_string(l->ns));
    json_object_object_add(o, "metadata", meta);
    json_object_object_add(o, "spec", json_object_new_object());
    return o;
}

/* Write us into the Lease spec as holder (release: an empty holder, 1s lease). */
static void fill_spec(gotk_leader *l, json_object *lease, bool release)
{
    json_object *spec = gotk_obj_get(lease, "spec", NULL);
    const char *holder = gotk_obj_get_str(spec, "holderIdentity");
    bool ours = holder && !strcmp(holder, l->identity);
    char now[40];
    micro_now(now);
    int64_t transitions = json_object_get_int64(gotk_obj_get(spec, "leaseTransitions", NULL));
    if (!ours && !release) {
        json_object_object_add(spec, "acquireTime", json_object_new_string(now));
        if (holder && *holder)
            transitions++;
    }
    json_object_object_add(spec, "holderIdentity", json_object_new_string(release ? "" : l->identity));
    json_object_object_add(spec, "leaseDurationSeconds",
                           json_object_new_int64(release ? 1 : l->lease / GOTK_SECOND));
    json_object_object_add(spec, "renewTime", json_object_new_string(now));
    json_object_object_add(spec, "leaseTransitions", json_object_new_int64(transitions));
}

/* Whether someone else holds an unexpired lease. */
static bool held_by_other(gotk_leader *l, json_object *lease)
{
    const char *holder = gotk_obj_get_str(lease, "spec.holderIdentity");
    if (!holder || !*holder || !strcmp(holder, l->identity))
        return false;
    double renew = parse_time(gotk_obj_get_str(lease, "spec.renewTime"));
    int64_t secs = json_object_get_int64(gotk_obj_getp(lease, "spec.leaseDurationSeconds"));
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec < renew + (double)secs;
}

/* One attempt to acquire or renew; true when we hold the Lease afterwards. */
static bool try_acquire(gotk_leader *l)
{
    gotk_kube_ref ref = {"coordination.k8s.io/v1", "Lease", l->ns, l->name};
    json_object *lease = NULL;
    gotk_err *e = gotk_kube_get(l->kube, &ref, NULL, &lease);
    if (e && gotk_err_code_of(e) == GOTK_E_NOTFOUND) {
        gotk_err_free(e);
        lease = new_lease(l);
        fill_spec(l, lease, false);
        e = gotk_kube_create(l->kube, lease, NULL, NULL);
    } else if (!e && !held_by_other(l, lease)) {
        fill_spec(l, lease, false);
        e = gotk_kube_update(l->kube, lease, NULL, NULL);
    } else if (!e) {
        json_object_put(lease);
        return false;
    }
    json_object_put(lease);
    if (e) {
        gotk_log(GOTK_LOG_DEBUG, NULL, "leader election attempt failed", "lease", l->name,
                 "error", gotk_err_msg(e), (char *)NULL);
        gotk_err_free(e);
        return false;
    }
    l->last_renew = mono_ns();
    return true;
}

static void nap(atomic_int *stop, gotk_duration d)
{
    for (gotk_duration t = 0; t < d && !atomic_load(stop); t += 50 * GOTK_MS) {
        struct timespec ts = {0, 50 * 1000000};
        nanosleep(&ts, NULL);
    }
}

bool gotk_leader_acquire(gotk_leader *l, atomic_int *stop)
{
    gotk_log(GOTK_LOG_INFO, NULL, "attempting to acquire leader lease", "lease", l->name,
             "namespace", l->ns, (char *)NULL);
    while (!atomic_load(stop)) {
        if (try_acquire(l)) {
            gotk_log(GOTK_LOG_INFO, NULL, "successfully acquired lease", "lease", l->name,
                     "identity", l->identity, (char *)NULL);
            return true;
        }
        nap(stop, l->retry);
    }
    return false;
}

static void *renew_loop(void *arg)
{
    gotk_leader *l = arg;
    while (!atomic_load(&l->stop)) {
        nap(&l->stop, l->retry);
        if (atomic_load(&l->stop))
            break;
        if (!try_acquire(l) && mono_ns() - l->last_renew > l->renew_deadline) {
            gotk_log(GOTK_LOG_ERROR, NULL, "leader election lost", "lease", l->name, (char *)NULL);
            if (l->on_lost)
                l->on_lost(l->ud);
            break;
        }
    }
    return NULL;
}

void gotk_leader_keep(gotk_leader *l, void (*on_lost)(void *), void *ud)
{
    l->on_lost = on_lost;
    l->ud = ud;
    if (pthread_create(&l->thread, NULL, renew_loop, l) == 0)
        l->renewing = true;
}

void gotk_leader_release(gotk_leader *l)
{
    atomic_store(&l->stop, 1);
    if (l->renewing)
        pthread_join(l->thread, NULL);
    l->renewing = false;
    gotk_kube_ref ref = {"coordination.k8s.io/v1", "Lease", l->ns, l->name};
    json_object *lease = NULL;
    gotk_err *e = gotk_kube_get(l->kube, &ref, NULL, &lease);
    const char *holder = e ? NULL : gotk_obj_get_str(lease, "spec.holderIdentity");
    if (holder && !strcmp(holder, l->identity)) {
        fill_spec(l, lease, true);
        e = gotk_kube_update(l->kube, lease, NULL, NULL);
    }
    gotk_err_free(e);
    json_object_put(lease);
}

void gotk_leader_free(gotk_leader *l)
{
    if (!l)
        return;
    atomic_store(&l->stop, 1);
    if (l->renewing)
        pthread_join(l->thread, NULL);
    free(l->ns);
    free(l->name);
    free(l->identity);
    free(l);
}
