/*
 * An informer: a thread that keeps a local copy of every object of one kind.
 *
 * It lists (all pages), replaces the cache, reports each object, then watches from
 * the list's resourceVersion. Each event updates the cache and is reported to the
 * handler. When the server says the resourceVersion is gone (410) it lists again;
 * when the connection fails (the API server restarted) it retries with back-off
 * from 500ms to 30s, resuming the watch where it was. Reads of the cache are safe
 * from any thread.
 */
#include "gotk/obj.h"
#include "gotk/runtime.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct gotk_informer {
    gotk_kube_client *kube;
    char *api_version, *kind, *ns, *selector;
    gotk_informer_fn fn;
    void *ud;
    pthread_t thread;
    bool started;
    atomic_int stop;
    pthread_mutex_t mu;
    json_object *cache; /* "ns/name" -> object */
    bool synced;
    char rv[128];
};

static char *key_of(json_object *obj)
{
    const char *ns = gotk_obj_get_str(obj, "metadata.namespace");
    const char *name = gotk_obj_get_str(obj, "metadata.name");
    return gotk_xasprintf("%s/%s", ns ? ns : "", name ? name : "");
}

gotk_informer *gotk_informer_new(gotk_kube_client *kube, const char *api_version,
                                 const char *kind, const char *ns, const char *label_selector,
                                 gotk_informer_fn fn, void *ud)
{
    gotk_informer *i = gotk_xcalloc(1, sizeof *i);
    i->kube = kube;
    i->api_version = gotk_xstrdup(api_version);
    i->kind = gotk_xstrdup(kind);
    i->ns = ns && *ns ? gotk_xstrdup(ns) : NULL;
    i->selector = label_selector && *label_selector ? gotk_xstrdup(label_selector) : NULL;
    i->fn = fn;
    i->ud = ud;
    pthread_mutex_init(&i->mu, NULL);
    i->cache = json_object_new_object();
    return i;
}

/* Store (or with DELETED remove) one object in the cache. */
static void cache_apply(gotk_informer *i, gotk_kube_event type, json_object *obj)
{
    char *key = key_of(obj);
    pthread_mutex_lock(&i->mu);
    if (type == GOTK_KUBE_DELETED)
        json_object_object_del(i->cache, key);
    else
        json_object_object_add(i->cache, key, json_object_get(obj));
    const char *rv = gotk_obj_get_str(obj, "metadata.resourceVersion");
    if (rv)
        snprintf(i->rv, sizeof i->rv, "%s", rv);
    pthread_mutex_unlock(&i->mu);
    free(key);
}

/* List everything, replace the cache, report objects added, changed or gone. */
static gotk_err *relist(gotk_informer *i)
{
    gotk_kube_list_opts lo = {.label_selector = i->selector, .limit = 500};
    json_object *list = NULL;
    gotk_err *e = gotk_kube_list(i->kube, i->api_version, i->kind, i->ns, &lo, &list);
    if (e)
        return e;
    json_object *fresh = json_object_new_object();
    json_object *items = gotk_obj_get(list, "items", NULL);
    size_t n = items ? json_object_array_length(items) : 0;
    for (size_t k = 0; k < n; k++) {
        json_object *obj = json_object_array_get_idx(items, k);
        char *key = key_of(obj);
        json_object_object_add(fresh, key, json_object_get(obj));
        free(key);
    }
    pthread_mutex_lock(&i->mu);
    json_object *old = i->cache;
    i->cache = fresh;
    const char *rv = gotk_obj_get_str(list, "metadata.resourceVersion");
    snprintf(i->rv, sizeof i->rv, "%s", rv ? rv : "");
    i->synced = true;
    pthread_mutex_unlock(&i->mu);
    json_object_object_foreach(old, okey, oobj) {
        if (!json_object_object_get_ex(fresh, okey, NULL))
            i->fn(GOTK_KUBE_DELETED, oobj, NULL, i->ud);
    }
    for (size_t k = 0; k < n; k++) {
        json_object *obj = json_object_array_get_idx(items, k), *was = NULL;
        char *key = key_of(obj);
        json_object_object_get_ex(old, key, &was);
        free(key);
        i->fn(was ? GOTK_KUBE_MODIFIED : GOTK_KUBE_ADDED, obj, was, i->ud);
    }
    json_object_put(old);
    json_object_put(list);
    return NULL;
}

static bool on_event(gotk_kube_event type, json_object *obj, void *ud)
{
    gotk_informer *i = ud;
    if (type == GOTK_KUBE_BOOKMARK) {
        const char *rv = gotk_obj_get_str(obj, "metadata.resourceVersion");
        pthread_mutex_lock(&i->mu);
        if (rv)
            snprintf(i->rv, sizeof i->rv, "%s", rv);
        pthread_mutex_unlock(&i->mu);
        return !atomic_load(&i->stop);
    }
    /* only this thread changes the cache, so the old object stays ours meanwhile */
    char *key = key_of(obj);
    json_object *old = NULL;
    pthread_mutex_lock(&i->mu);
    if (json_object_object_get_ex(i->cache, key, &old))
        json_object_get(old);
    pthread_mutex_unlock(&i->mu);
    free(key);
    cache_apply(i, type, obj);
    i->fn(type, obj, old, i->ud);
    json_object_put(old);
    return !atomic_load(&i->stop);
}

/* Sleep up to `d`, waking early when stopping. */
static void nap(gotk_informer *i, gotk_duration d)
{
    for (gotk_duration slept = 0; slept < d && !atomic_load(&i->stop); slept += 50 * GOTK_MS) {
        struct timespec ts = {0, 50 * 1000000};
        nanosleep(&ts, NULL);
    }
}

static void log_retry(gotk_informer *i, gotk_err *e)
{
    gotk_log(GOTK_LOG_ERROR, NULL, "informer failed, retrying", "kind", i->kind, "error",
             gotk_err_msg(e), (char *)NULL);
    gotk_err_free(e);
}

static void *run(void *arg)
{
    gotk_informer *i = arg;
    gotk_duration backoff = 500 * GOTK_MS;
    bool need_list = true;
    while (!atomic_load(&i->stop)) {
        gotk_err *e = need_list ? relist(i) : NULL;
        if (!e) {
            need_list = false;
            char rv[128];
            pthread_mutex_lock(&i->mu);
            memcpy(rv, i->rv, sizeof rv);
            pthread_mutex_unlock(&i->mu);
            gotk_kube_watch_opts wo = {.label_selector = i->selector, .resource_version = rv,
                                       .bookmarks = true, .timeout = 5 * GOTK_MINUTE,
                                       .cancel = &i->stop};
            gotk_kube_watch_result res;
            e = gotk_kube_watch(i->kube, i->api_version, i->kind, i->ns, &wo, on_event, i, &res);
            if (!e && res.events)
                backoff = 500 * GOTK_MS;
        }
        if (e && gotk_err_code_of(e) == GOTK_E_KUBE_GONE) {
            need_list = true;
            gotk_err_free(e);
            continue;
        }
        if (e) {
            log_retry(i, e);
            nap(i, backoff);
            backoff = backoff * 2 > 30 * GOTK_SECOND ? 30 * GOTK_SECOND : backoff * 2;
        }
    }
    return NULL;
}

void gotk_informer_start(gotk_informer *i)
{
    if (!i->started && pthread_create(&i->thread, NULL, run, i) == 0)
        i->started = true;
}

bool gotk_informer_synced(gotk_informer *i)
{
    pthread_mutex_lock(&i->mu);
    bool s = i->synced;
    pthread_mutex_unlock(&i->mu);
    return s;
}

bool gotk_informer_wait_synced(gotk_informer *i, gotk_duration timeout)
{
    for (gotk_duration t = 0; t < timeout; t += 10 * GOTK_MS) {
        if (gotk_informer_synced(i))
            return true;
        struct timespec ts = {0, 10 * 1000000};
        nanosleep(&ts, NULL);
    }
    return gotk_informer_synced(i);
}

json_object *gotk_informer_get(gotk_informer *i, const char *ns, const char *name)
{
    char *key = gotk_xasprintf("%s/%s", ns ? ns : "", name);
    json_object *obj = NULL;
    pthread_mutex_lock(&i->mu);
    if (json_object_object_get_ex(i->cache, key, &obj))
        obj = gotk_obj_copy(obj);
    pthread_mutex_unlock(&i->mu);
    free(key);
    return obj;
}

json_object *gotk_informer_list(gotk_informer *i)
{
    json_object *arr = json_object_new_array();
    pthread_mutex_lock(&i->mu);
    json_object_object_foreach(i->cache, key, obj) {
        (void)key;
        json_object_array_add(arr, gotk_obj_copy(obj));
    }
    pthread_mutex_unlock(&i->mu);
    return arr;
}

void gotk_informer_free(gotk_informer *i)
{
    if (!i)
        return;
    atomic_store(&i->stop, 1);
    if (i->started)
        pthread_join(i->thread, NULL);
    json_object_put(i->cache);
    pthread_mutex_destroy(&i->mu);
    free(i->api_version);
    free(i->kind);
    free(i->ns);
    free(i->selector);
    free(i);
}
