/*
 * A controller process: the loop every gotk controller runs, like
 * controller-runtime's manager with one controller.
 *
 * The main thread runs a libuv loop that only waits for SIGTERM/SIGINT (or a lost
 * Lease). A starter thread serves /metrics and the health endpoints, wins leader
 * election when asked to, starts the informers, waits for their first list, then
 * starts --concurrent workers and reports ready. Workers take keys from the queue
 * and call the reconciler; a success is requeued after its interval with jitter, a
 * failure backs off. Events from the informer of the primary kind queue a key on
 * create and delete, and on update only when the generation or the
 * reconcile.fluxcd.io/requestedAt annotation changed or deletion began (Flux's
 * predicates), so a controller's own status writes do not loop. A worker that
 * finds the queue empty returns freed heap to the system (malloc_trim). On a signal the
 * queue drains (bounded by --graceful-shutdown-timeout), the Lease is released,
 * and the process exits 0.
 */
#include "gotk/obj.h"
#include "gotk/runtime.h"

#include <pthread.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <time.h>
#include <uv.h>

typedef struct {
    gotk_informer *inf;
} watch_entry;

struct gotk_controller {
    gotk_controller_def def;
    gotk_runtime_opts opts;
    gotk_kube_client *kube;
    gotk_metrics *metrics;
    gotk_endpoints *endpoints;
    gotk_queue *queue;
    gotk_informer *primary;
    watch_entry *watches;
    size_t nwatches;
    gotk_leader *leader;
    char *watch_ns;
    volatile bool ready;
    atomic_int stopping;
    atomic_int lost;
    pthread_t starter;
    pthread_t *workers;
    int nworkers;
    uv_loop_t loop;
    uv_signal_t sigterm, sigint;
    uv_async_t wake;
};

gotk_kube_client *gotk_controller_kube(gotk_controller *c)
{
    return c->kube;
}

gotk_metrics *gotk_controller_metrics(gotk_controller *c)
{
    return c->metrics;
}

const gotk_runtime_opts *gotk_controller_opts(gotk_controller *c)
{
    return &c->opts;
}

gotk_informer *gotk_controller_informer(gotk_controller *c)
{
    return c->primary;
}

const char *gotk_controller_watch_namespace(gotk_controller *c)
{
    return c->watch_ns;
}

void gotk_controller_enqueue(gotk_controller *c, const char *ns, const char *name)
{
    char *key = gotk_xasprintf("%s/%s", ns ? ns : "", name);
    gotk_queue_add(c->queue, key);
    free(key);
}

void gotk_controller_enqueue_after(gotk_controller *c, const char *ns, const char *name,
                                   gotk_duration d)
{
    char *key = gotk_xasprintf("%s/%s", ns ? ns : "", name);
    gotk_queue_add_after(c->queue, key, d);
    free(key);
}

static bool str_changed(json_object *a, json_object *b, const char *path)
{
    const char *x = gotk_obj_get_str(a, path), *y = gotk_obj_get_str(b, path);
    return (x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0);
}

/* The string value of one key (which may contain dots), or NULL. */
static const char *key_str(json_object *o, const char *key)
{
    json_object *v = NULL;
    return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

/* Did the annotation change? Annotation keys contain dots, so no dotted path. */
static bool annotation_changed(json_object *a, json_object *b, const char *key)
{
    const char *x = key_str(a, key), *y = key_str(b, key);
    return (x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0);
}

/* Flux's GenerationChanged OR ReconcileRequested, plus the start of deletion. */
static bool worth_reconciling(json_object *obj, json_object *old)
{
    if (!old)
        return true;
    int64_t g1 = json_object_get_int64(gotk_obj_getp(obj, "metadata.generation"));
    int64_t g0 = json_object_get_int64(gotk_obj_getp(old, "metadata.generation"));
    json_object *a1 = gotk_obj_getp(obj, "metadata.annotations");
    json_object *a0 = gotk_obj_getp(old, "metadata.annotations");
    return g1 != g0 || annotation_changed(a1, a0, "reconcile.fluxcd.io/requestedAt") ||
           str_changed(obj, old, "metadata.deletionTimestamp");
}

static void on_primary(gotk_kube_event type, json_object *obj, json_object *old, void *ud)
{
    gotk_controller *c = ud;
    if (type == GOTK_KUBE_MODIFIED && !worth_reconciling(obj, old))
        return;
    gotk_controller_enqueue(c, gotk_obj_get_str(obj, "metadata.namespace"),
                            gotk_obj_get_str(obj, "metadata.name"));
}

/* The namespace to watch: all, or the one the controller runs in. */
static char *pick_watch_ns(const gotk_runtime_opts *o, gotk_kube_client *kube)
{
    if (o->watch_all_namespaces)
        return NULL;
    const char *env = getenv("RUNTIME_NAMESPACE");
    if (env && *env)
        return gotk_xstrdup(env);
    return gotk_xstrdup(gotk_kube_client_config(kube)->namespace_);
}

gotk_err *gotk_controller_new(const gotk_controller_def *def, const gotk_runtime_opts *o,
                              gotk_controller **out)
{
    gotk_kube_load_opts lo = {.kubeconfig = o->kubeconfig};
    gotk_kube_config *cfg = NULL;
    gotk_err *e = gotk_kube_config_load(&lo, &cfg);
    if (e)
        return gotk_err_wrap(e, "loading the Kubernetes config");
    cfg->qps = o->kube_api_qps;
    cfg->burst = o->kube_api_burst;
    if (cfg->timeout <= 0)
        cfg->timeout = GOTK_MINUTE; /* no request may hang a worker forever (watches excepted) */
    gotk_controller *c = gotk_xcalloc(1, sizeof *c);
    c->def = *def;
    c->opts = *o;
    e = gotk_kube_client_new(cfg, &c->kube);
    gotk_kube_config_free(cfg);
    if (e) {
        free(c);
        return gotk_err_wrap(e, "creating the Kubernetes client");
    }
    c->metrics = gotk_metrics_new();
    gotk_metrics_define_flux(c->metrics);
    c->queue = gotk_queue_new(o->min_retry_delay, o->max_retry_delay);
    c->watch_ns = pick_watch_ns(o, c->kube);
    c->primary = gotk_informer_new(c->kube, def->api_version, def->kind, c->watch_ns,
                                   o->watch_label_selector, on_primary, c);
    *out = c;
    return NULL;
}

void gotk_controller_watch(gotk_controller *c, const char *api_version, const char *kind,
                           gotk_informer_fn fn, void *ud)
{
    c->watches = gotk_xrealloc(c->watches, (c->nwatches + 1) * sizeof *c->watches);
    c->watches[c->nwatches++].inf =
        gotk_informer_new(c->kube, api_version, kind, c->watch_ns, NULL, fn, ud);
}

/* Reconcile one key and decide when it comes back. */
static void process(gotk_controller *c, const char *key)
{
    const char *slash = strchr(key, '/');
    char *ns = gotk_xstrndup(key, (size_t)(slash - key));
    const char *name = slash + 1;
    gotk_result res = {0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    gotk_err *e = c->def.reconcile(c, ns, name, &res, c->def.ud);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    gotk_metrics_record_duration(c->metrics, c->def.kind, ns, name, secs);
    const char *result = e ? "error" : res.requeue_after > 0 ? "requeue_after" : "success";
    const char *labels[] = {c->def.name, result};
    gotk_metrics_add(c->metrics, "controller_runtime_reconcile_total", labels, 1);
    if (e) {
        gotk_log_ctx lc = {.controller = c->def.name, .name = name, .namespace_ = ns};
        gotk_log(GOTK_LOG_ERROR, &lc, "Reconciler error", "error", gotk_err_msg(e), (char *)NULL);
        gotk_err_free(e);
        gotk_queue_add_rate_limited(c->queue, key);
    } else {
        gotk_queue_forget(c->queue, key);
        if (res.requeue_after > 0)
            gotk_queue_add_after(c->queue, key,
                                 gotk_jitter(res.requeue_after, c->opts.jitter_percent / 100.0));
    }
    const char *qlabels[] = {c->def.name};
    gotk_metrics_set(c->metrics, "workqueue_depth", qlabels, (double)gotk_queue_len(c->queue));
    free(ns);
}

/* Hand memory freed by the reconciles back to the system. A clone or an
 * archive briefly needs megabytes; glibc keeps what they freed in its arenas
 * (several per process, one per busy thread) unless asked, and an idle
 * controller should not carry its last busy moment in its RSS. */
static void release_free_memory(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

static void *worker(void *arg)
{
    gotk_controller *c = arg;
    char *key;
    while ((key = gotk_queue_get(c->queue, -1))) {
        process(c, key);
        gotk_queue_done(c->queue, key);
        free(key);
        if (gotk_queue_len(c->queue) == 0)
            release_free_memory();
    }
    return NULL;
}

static void stop_loop(gotk_controller *c)
{
    atomic_store(&c->stopping, 1);
    uv_async_send(&c->wake);
}

static void on_lost(void *ud)
{
    gotk_controller *c = ud;
    atomic_store(&c->lost, 1);
    stop_loop(c);
}

/* Leader election (when enabled), informers, then workers. */
static void *starter(void *arg)
{
    gotk_controller *c = arg;
    if (c->opts.leader_elect) {
        const char *ns = c->opts.leader_election_namespace;
        if (!ns)
            ns = getenv("RUNTIME_NAMESPACE");
        if (!ns || !*ns)
            ns = gotk_kube_client_config(c->kube)->namespace_;
        char *lease = gotk_xasprintf("%s-leader-election", c->def.name);
        c->leader = gotk_leader_new(c->kube, ns, lease, NULL, c->opts.lease_duration,
                                    c->opts.renew_deadline, c->opts.retry_period);
        free(lease);
        if (!gotk_leader_acquire(c->leader, &c->stopping))
            return NULL;
        gotk_leader_keep(c->leader, on_lost, c);
    }
    gotk_informer_start(c->primary);
    for (size_t i = 0; i < c->nwatches; i++)
        gotk_informer_start(c->watches[i].inf);
    while (!atomic_load(&c->stopping) && !gotk_informer_wait_synced(c->primary, 100 * GOTK_MS))
        ;
    c->workers = gotk_xcalloc((size_t)c->opts.concurrent, sizeof *c->workers);
    for (int i = 0; i < c->opts.concurrent && !atomic_load(&c->stopping); i++)
        if (pthread_create(&c->workers[i], NULL, worker, c) == 0)
            c->nworkers++;
    c->ready = true;
    gotk_log(GOTK_LOG_INFO, NULL, "Starting workers", "controller", c->def.name, (char *)NULL);
    return NULL;
}

static void on_signal(uv_signal_t *h, int signum)
{
    gotk_controller *c = h->data;
    gotk_log(GOTK_LOG_INFO, NULL, signum == SIGTERM ? "received SIGTERM, shutting down"
                                                    : "received SIGINT, shutting down",
             (char *)NULL);
    atomic_store(&c->stopping, 1);
    uv_stop(&c->loop);
}

static void on_wake(uv_async_t *h)
{
    gotk_controller *c = h->data;
    if (atomic_load(&c->stopping))
        uv_stop(&c->loop);
}

static void close_handle(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

/* Drain work, stop informers, release the Lease. */
static void shutdown_all(gotk_controller *c)
{
    pthread_join(c->starter, NULL);
    if (!gotk_queue_shutdown_drain(c->queue, c->opts.graceful_shutdown))
        gotk_log(GOTK_LOG_ERROR, NULL, "graceful shutdown timed out with reconciles running",
                 (char *)NULL);
    for (int i = 0; i < c->nworkers; i++)
        pthread_join(c->workers[i], NULL);
    gotk_informer_free(c->primary);
    c->primary = NULL;
    for (size_t i = 0; i < c->nwatches; i++)
        gotk_informer_free(c->watches[i].inf);
    c->nwatches = 0;
    if (c->leader && !atomic_load(&c->lost))
        gotk_leader_release(c->leader);
}

int gotk_controller_run(gotk_controller *c)
{
    gotk_err *e = gotk_endpoints_start(c->metrics, c->opts.metrics_addr, c->opts.health_addr,
                                       &c->ready, &c->endpoints);
    if (e) {
        gotk_log(GOTK_LOG_ERROR, NULL, "unable to start the manager", "error", gotk_err_msg(e),
                 (char *)NULL);
        gotk_err_free(e);
        return 1;
    }
    uv_loop_init(&c->loop);
    uv_signal_init(&c->loop, &c->sigterm);
    uv_signal_init(&c->loop, &c->sigint);
    uv_async_init(&c->loop, &c->wake, on_wake);
    c->sigterm.data = c->sigint.data = c->wake.data = c;
    uv_signal_start(&c->sigterm, on_signal, SIGTERM);
    uv_signal_start(&c->sigint, on_signal, SIGINT);
    pthread_create(&c->starter, NULL, starter, c);
    uv_run(&c->loop, UV_RUN_DEFAULT);
    atomic_store(&c->stopping, 1);
    shutdown_all(c);
    uv_walk(&c->loop, close_handle, NULL);
    uv_run(&c->loop, UV_RUN_DEFAULT);
    uv_loop_close(&c->loop);
    gotk_endpoints_stop(c->endpoints);
    c->endpoints = NULL;
    return atomic_load(&c->lost) ? 1 : 0;
}

void gotk_controller_free(gotk_controller *c)
{
    if (!c)
        return;
    gotk_informer_free(c->primary);
    for (size_t i = 0; i < c->nwatches; i++)
        gotk_informer_free(c->watches[i].inf);
    free(c->watches);
    gotk_leader_free(c->leader);
    gotk_endpoints_stop(c->endpoints);
    gotk_queue_free(c->queue);
    gotk_metrics_free(c->metrics);
    gotk_kube_client_free(c->kube);
    free(c->workers);
    free(c->watch_ns);
    free(c);
}
