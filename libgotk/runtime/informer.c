/*
 * An informer: a thread that keeps a local copy of every object of one kind.
 *
 * It lists (all pages), replaces the cache, reports each object, then watches from
 * the list's resourceVersion. Each event updates the cache and is reported to the
 * handler. When the server says the resourceVersion is gone (410) it lists again;
 * when the connection fails (the API server restarted) it retries with back-off
 * from 500ms to 30s, resuming the watch where it was. Reads of the cache are safe
 * from any thread.
 *
 * Objects arrive without metadata.managedFields: reconcilers never read their
 * own object's field managers (status goes out as patches), and those deeply
 * nested sets are most of what a cached object would otherwise weigh. The
 * cache keeps each object as compact JSON text, parsed again on every read:
 * readers get their own copy anyway, and json-c's tree costs several times the
 * text's size (a hash table per JSON object), which adds up over hundreds of
 * objects.
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
    json_object *cache; /* "ns/name" -> the object as JSON text (a string) */
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

/* Drop what the cache does not keep (see the top of the file). */
static void trim(json_object *obj)
{
    json_object *meta = NULL;
    if (json_object_object_get_ex(obj, "metadata", &meta))
        json_object_object_del(meta, "managedFields");
}

/* The cache's form of an object: its JSON text as a json-c string. */
static json_object *packed(json_object *obj)
{
    char *text = gotk_json_to_string(obj);
    json_object *s = json_object_new_string(text);
    free(text);
    return s;
}

/* A new object from JSON text (NULL for NULL). */
static json_object *parsed(const char *text, size_t len)
{
    json_object *obj = NULL;
    if (text)
        gotk_err_free(gotk_json_parse(text, len, &obj));
    return obj;
}

/* A new object from the cache's form (NULL for NULL); informer thread only,
 * as it alone changes the cache. */
static json_object *unpacked(json_object *s)
{
    return s ? parsed(json_object_get_string(s), (size_t)json_object_get_string_len(s)) : NULL;
}

/* A copy of the cached text for key (NULL when absent), taken under the lock:
 * other threads never share the cache's json-c values, whose reference counts
 * are not atomic. */
static char *cached_text(gotk_informer *i, const char *key, size_t *len)
{
    json_object *text = NULL;
    char *copy = NULL;
    pthread_mutex_lock(&i->mu);
    if (json_object_object_get_ex(i->cache, key, &text)) {
        *len = (size_t)json_object_get_string_len(text);
        copy = gotk_xstrndup(json_object_get_string(text), *len);
    }
    pthread_mutex_unlock(&i->mu);
    return copy;
}

/* Store (or with DELETED remove) one object in the cache. */
static void cache_apply(gotk_informer *i, gotk_kube_event type, json_object *obj)
{
    char *key = key_of(obj);
    json_object *text = type == GOTK_KUBE_DELETED ? NULL : packed(obj);
    pthread_mutex_lock(&i->mu);
    if (type == GOTK_KUBE_DELETED)
        json_object_object_del(i->cache, key);
    else
        json_object_object_add(i->cache, key, text);
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
        trim(obj);
        char *key = key_of(obj);
        json_object_object_add(fresh, key, packed(obj));
        free(key);
    }
    pthread_mutex_lock(&i->mu);
    json_object *old = i->cache;
    i->cache = fresh;
    const char *rv = gotk_obj_get_str(list, "metadata.resourceVersion");
    snprintf(i->rv, sizeof i->rv, "%s", rv ? rv : "");
    i->synced = true;
    pthread_mutex_unlock(&i->mu);
    json_object_object_foreach(old, okey, otext) {
        if (json_object_object_get_ex(fresh, okey, NULL))
            continue;
        json_object *oobj = unpacked(otext);
        if (oobj)
            i->fn(GOTK_KUBE_DELETED, oobj, NULL, i->ud);
        json_object_put(oobj);
    }
    for (size_t k = 0; k < n; k++) {
        json_object *obj = json_object_array_get_idx(items, k), *text = NULL;
        char *key = key_of(obj);
        json_object_object_get_ex(old, key, &text);
        free(key);
        json_object *was = unpacked(text);
        i->fn(was ? GOTK_KUBE_MODIFIED : GOTK_KUBE_ADDED, obj, was, i->ud);
        json_object_put(was);
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
    trim(obj);
    char *key = key_of(obj);
    size_t len = 0;
    char *text = cached_text(i, key, &len);
    free(key);
    json_object *old = parsed(text, len);
    free(text);
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
    size_t len = 0;
    char *text = cached_text(i, key, &len);
    free(key);
    json_object *obj = parsed(text, len);
    free(text);
    return obj;
}

json_object *gotk_informer_list(gotk_informer *i)
{
    gotk_buf all = {0}; /* the texts, each NUL-terminated */
    pthread_mutex_lock(&i->mu);
    json_object_object_foreach(i->cache, key, text) {
        (void)key;
        gotk_buf_append(&all, json_object_get_string(text),
                        (size_t)json_object_get_string_len(text) + 1);
    }
    pthread_mutex_unlock(&i->mu);
    json_object *arr = json_object_new_array();
    for (size_t at = 0; at < all.len;) {
        size_t len = strlen(all.data + at);
        json_object *obj = parsed(all.data + at, len);
        if (obj)
            json_object_array_add(arr, obj);
        at += len + 1;
    }
    free(all.data);
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
