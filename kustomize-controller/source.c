/*
 * source.c: the Kustomization's source and the artifact cache.
 *
 * kc_get_source reads spec.sourceRef (GitRepository, OCIRepository or Bucket of
 * source.toolkit.fluxcd.io/v1; the namespace defaults to the Kustomization's,
 * and another one is refused under --no-cross-namespace-refs) with Flux's
 * messages. kc_fetch_artifact hands the reconcile a read-only tree of the
 * source's artifact from the cache.
 *
 * The cache answers the monorepo complaint (Flux re-downloads and re-untars the
 * same artifact for every Kustomization): one directory per digest under the
 * cache directory, extracted once into a temporary name and renamed, then shared
 * by every Kustomization that points at the same artifact. A reference count
 * keeps a tree alive while reconciles use it; unused trees beyond `keep` are
 * removed oldest first. A second caller asking for a digest that is being
 * downloaded waits for the first instead of downloading it again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gotk/artifact.h"
#include "gotk/obj.h"
#include "kc.h"

struct kc_artifact {
    char *key;  /* digest hex, or sha256 of the URL when there is no digest */
    char *dir;
    int refs;
    bool ready;
    uint64_t used; /* a use counter, for least-recently-used eviction */
    kc_artifact *next;
};

struct kc_cache {
    char *dir;
    int keep;
    uint64_t clock;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    kc_artifact *list;
};

/* An empty cache over `dir`. */
kc_cache *kc_cache_new(const char *dir, int keep)
{
    kc_cache *c = gotk_xcalloc(1, sizeof *c);
    c->dir = gotk_xstrdup(dir);
    c->keep = keep;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cond, NULL);
    return c;
}

/* Free one entry's memory (its tree is removed by the caller). */
static void entry_free(kc_artifact *a)
{
    free(a->key);
    free(a->dir);
    free(a);
}

/* Remove every cached tree and free the cache. */
void kc_cache_free(kc_cache *c)
{
    if (!c)
        return;
    for (kc_artifact *a = c->list, *n; a; a = n) {
        n = a->next;
        gotk_err_free(gotk_file_remove_all(a->dir));
        entry_free(a);
    }
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cond);
    free(c->dir);
    free(c);
}

/* The extracted tree of an artifact. */
const char *kc_artifact_dir(const kc_artifact *a)
{
    return a->dir;
}

/* The cache directory. */
const char *kc_cache_dir(const kc_cache *c)
{
    return c->dir;
}

/* The cache key of an artifact: its digest's hex, or a hash of its URL. */
static char *cache_key(const char *url, const char *digest)
{
    if (digest && !strncmp(digest, "sha256:", 7) && strlen(digest) == 71 &&
        strspn(digest + 7, "0123456789abcdef") == 64)
        return gotk_xstrdup(digest + 7);
    char hex[65];
    gotk_sha256_hex(url, strlen(url), hex);
    return gotk_xasprintf("url-%s", hex);
}

/* Remove unused entries beyond `keep`, least recently used first (lock held). */
static void evict(kc_cache *c)
{
    for (;;) {
        int unused = 0;
        kc_artifact **oldest = NULL;
        for (kc_artifact **p = &c->list; *p; p = &(*p)->next)
            if ((*p)->ready && (*p)->refs == 0) {
                unused++;
                if (!oldest || (*p)->used < (*oldest)->used)
                    oldest = p;
            }
        if (unused <= c->keep || !oldest)
            return;
        kc_artifact *a = *oldest;
        *oldest = a->next;
        gotk_err_free(gotk_file_remove_all(a->dir));
        entry_free(a);
    }
}

/* Download and extract into a temporary directory, then rename into place. */
static gotk_err *fill(kc_cache *c, kc_artifact *a, const char *url, const char *digest,
                      int retries)
{
    char *tmp = gotk_xasprintf("%s/tmp-%s-XXXXXX", c->dir, a->key);
    if (!mkdtemp(tmp)) {
        gotk_err *e = gotk_err_errno(errno, "tmp dir error: %s", tmp);
        free(tmp);
        return e;
    }
    gotk_err *e = gotk_artifact_fetch(url, digest, tmp, retries);
    if (!e) {
        gotk_err_free(gotk_file_remove_all(a->dir));
        if (rename(tmp, a->dir) != 0)
            e = gotk_err_errno(errno, "renaming %s", tmp);
    }
    if (e)
        gotk_err_free(gotk_file_remove_all(tmp));
    free(tmp);
    return e;
}

/* Get the tree for a digest: shared when cached, else fetched once. */
gotk_err *kc_cache_acquire(kc_cache *c, const char *url, const char *digest, int retries,
                           kc_artifact **out)
{
    char *key = cache_key(url, digest);
    pthread_mutex_lock(&c->mu);
    kc_artifact *a = c->list;
    while (a && strcmp(a->key, key))
        a = a->next;
    if (a) {
        a->refs++;
        while (!a->ready && a->dir[0])
            pthread_cond_wait(&c->cond, &c->mu);
        if (a->ready) {
            a->used = ++c->clock;
            pthread_mutex_unlock(&c->mu);
            free(key);
            *out = a;
            return NULL;
        }
        /* The download failed for the first caller: try ourselves. */
        bool last = --a->refs == 0;
        pthread_mutex_unlock(&c->mu);
        if (last)
            entry_free(a);
        free(key);
        return kc_cache_acquire(c, url, digest, retries, out);
    }
    a = gotk_xcalloc(1, sizeof *a);
    a->key = key;
    a->dir = gotk_xasprintf("%s/%s", c->dir, key);
    a->refs = 1;
    a->next = c->list;
    c->list = a;
    pthread_mutex_unlock(&c->mu);

    gotk_err *e = fill(c, a, url, digest, retries);

    pthread_mutex_lock(&c->mu);
    if (e) {
        for (kc_artifact **p = &c->list; *p; p = &(*p)->next)
            if (*p == a) {
                *p = a->next;
                break;
            }
        a->dir[0] = '\0'; /* wakes waiters into retrying */
        a->refs--;
        pthread_cond_broadcast(&c->cond);
        /* Waiters still hold the pointer; free once the last one has left. */
        bool last = a->refs == 0;
        pthread_mutex_unlock(&c->mu);
        if (last)
            entry_free(a);
        return e;
    }
    a->ready = true;
    a->used = ++c->clock;
    pthread_cond_broadcast(&c->cond);
    evict(c);
    pthread_mutex_unlock(&c->mu);
    *out = a;
    return NULL;
}

/* Drop one reference; evict unused trees beyond `keep`. */
void kc_cache_release(kc_cache *c, kc_artifact *a)
{
    if (!a)
        return;
    pthread_mutex_lock(&c->mu);
    a->refs--;
    evict(c);
    pthread_mutex_unlock(&c->mu);
}

/* ---- the source ------------------------------------------------------------- */

/* Is `kind` one Flux accepts as a Kustomization source? */
static bool source_kind_ok(const char *kind)
{
    return kind && (!strcmp(kind, "GitRepository") || !strcmp(kind, "OCIRepository") ||
                    !strcmp(kind, "Bucket"));
}

/* Get the sourceRef object and its artifact's revision, URL and digest. */
gotk_err *kc_get_source(kc_ctx *x, bool *not_found)
{
    *not_found = false;
    const char *kind = gotk_obj_get_str(x->obj, "spec.sourceRef.kind");
    const char *name = gotk_obj_get_str(x->obj, "spec.sourceRef.name");
    const char *sns = gotk_obj_get_str(x->obj, "spec.sourceRef.namespace");
    const char *api = gotk_obj_get_str(x->obj, "spec.sourceRef.apiVersion");
    if (!sns || !*sns)
        sns = x->ns;
    if (!name)
        name = "";
    if (x->st->no_cross_namespace_refs && strcmp(sns, x->ns) != 0)
        return gotk_err_new(GOTK_E_KUBE_FORBIDDEN,
                            "can't access '%s/%s/%s', cross-namespace references have been "
                            "blocked",
                            kind ? kind : "", sns, name);
    if (!source_kind_ok(kind))
        return gotk_err_new(GOTK_E_INVALID, "source `%s` kind '%s' not supported", name,
                            kind ? kind : "");
    if (!api || !*api)
        api = "source.toolkit.fluxcd.io/v1";
    gotk_kube_ref ref = {api, kind, sns, name};
    gotk_err *e = gotk_kube_get(gotk_controller_kube(x->st->ctrl), &ref, NULL, &x->source);
    if (e && gotk_err_code_of(e) == GOTK_E_NOTFOUND) {
        *not_found = true; /* Flux's Ready message is the API's own NotFound text */
        return e;
    }
    if (e)
        return gotk_err_wrap(e, "unable to get source '%s/%s'", sns, name);
    x->revision = gotk_obj_get_str(x->source, "status.artifact.revision");
    x->url = gotk_obj_get_str(x->source, "status.artifact.url");
    x->digest = gotk_obj_get_str(x->source, "status.artifact.digest");
    return NULL;
}

/* The artifact from the cache (SOURCE_CONTROLLER_LOCALHOST honoured). */
gotk_err *kc_fetch_artifact(kc_ctx *x)
{
    const char *url = x->url;
    const char *local = getenv("SOURCE_CONTROLLER_LOCALHOST");
    char *rewritten = NULL;
    if (local && *local && !strncmp(url, "http://", 7)) {
        const char *path = strchr(url + 7, '/');
        rewritten = gotk_xasprintf("http://%s%s", local, path ? path : "/");
        url = rewritten;
    }
    gotk_err *e = kc_cache_acquire(x->st->cache, url, x->digest, x->st->http_retry,
                                   &x->artifact);
    free(rewritten);
    return e;
}
