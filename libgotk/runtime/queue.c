/*
 * The work queue, after client-go's rate-limited delaying queue.
 *
 * Every key the queue knows has one entry in a hash table: its state (waiting,
 * processing, processing-and-dirty, delayed), its failure count and its due time.
 * Ready keys form a FIFO ring; delayed keys sit in a binary min-heap by due time
 * and move to the FIFO when due (checked by every get). One mutex guards it all;
 * getters wait on a condition variable with a timeout equal to the next due time.
 */
#include "gotk/runtime.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { K_IDLE = 0, K_QUEUED = 1, K_PROCESSING = 2, K_DIRTY = 4, K_DELAYED = 8 };

typedef struct entry {
    char *key;
    unsigned state;
    int failures;
    int64_t due; /* monotonic ns, when K_DELAYED */
    size_t heap_idx;
    struct entry *next; /* hash chain */
} entry;

struct gotk_queue {
    pthread_mutex_t mu;
    pthread_cond_t cond;
    gotk_duration min_retry, max_retry;
    entry **buckets;
    size_t nbuckets, nentries;
    entry **fifo; /* ring of ready keys */
    size_t fifo_head, fifo_len, fifo_cap;
    entry **heap; /* delayed keys by due time */
    size_t heap_len, heap_cap;
    size_t processing;
    bool shutting_down;
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static size_t hash_key(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

gotk_queue *gotk_queue_new(gotk_duration min_retry, gotk_duration max_retry)
{
    gotk_queue *q = gotk_xcalloc(1, sizeof *q);
    pthread_mutex_init(&q->mu, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&q->cond, &attr);
    pthread_condattr_destroy(&attr);
    q->min_retry = min_retry;
    q->max_retry = max_retry;
    q->nbuckets = 64;
    q->buckets = gotk_xcalloc(q->nbuckets, sizeof *q->buckets);
    return q;
}

void gotk_queue_free(gotk_queue *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->nbuckets; i++)
        for (entry *e = q->buckets[i], *n; e; e = n) {
            n = e->next;
            free(e->key);
            free(e);
        }
    free(q->buckets);
    free(q->fifo);
    free(q->heap);
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->cond);
    free(q);
}

static void rehash(gotk_queue *q)
{
    size_t n = q->nbuckets * 2;
    entry **b = gotk_xcalloc(n, sizeof *b);
    for (size_t i = 0; i < q->nbuckets; i++)
        for (entry *e = q->buckets[i], *next; e; e = next) {
            next = e->next;
            size_t h = hash_key(e->key) & (n - 1);
            e->next = b[h];
            b[h] = e;
        }
    free(q->buckets);
    q->buckets = b;
    q->nbuckets = n;
}

/* The entry for `key`, created idle when missing. */
static entry *lookup(gotk_queue *q, const char *key)
{
    size_t h = hash_key(key) & (q->nbuckets - 1);
    for (entry *e = q->buckets[h]; e; e = e->next)
        if (!strcmp(e->key, key))
            return e;
    if (q->nentries + 1 > q->nbuckets) {
        rehash(q);
        h = hash_key(key) & (q->nbuckets - 1);
    }
    entry *e = gotk_xcalloc(1, sizeof *e);
    e->key = gotk_xstrdup(key);
    e->next = q->buckets[h];
    q->buckets[h] = e;
    q->nentries++;
    return e;
}

/* Drop an idle entry that has nothing left to remember. */
static void maybe_release(gotk_queue *q, entry *e)
{
    if (e->state != K_IDLE || e->failures)
        return;
    size_t h = hash_key(e->key) & (q->nbuckets - 1);
    for (entry **p = &q->buckets[h]; *p; p = &(*p)->next)
        if (*p == e) {
            *p = e->next;
            q->nentries--;
            free(e->key);
            free(e);
            return;
        }
}

static void fifo_push(gotk_queue *q, entry *e)
{
    if (q->fifo_len == q->fifo_cap) {
        size_t cap = q->fifo_cap ? q->fifo_cap * 2 : 16;
        entry **f = gotk_xmalloc(cap * sizeof *f);
        for (size_t i = 0; i < q->fifo_len; i++)
            f[i] = q->fifo[(q->fifo_head + i) % q->fifo_cap];
        free(q->fifo);
        q->fifo = f;
        q->fifo_cap = cap;
        q->fifo_head = 0;
    }
    q->fifo[(q->fifo_head + q->fifo_len) % q->fifo_cap] = e;
    q->fifo_len++;
}

static entry *fifo_pop(gotk_queue *q)
{
    entry *e = q->fifo[q->fifo_head];
    q->fifo_head = (q->fifo_head + 1) % q->fifo_cap;
    q->fifo_len--;
    return e;
}

static void heap_swap(gotk_queue *q, size_t a, size_t b)
{
    entry *t = q->heap[a];
    q->heap[a] = q->heap[b];
    q->heap[b] = t;
    q->heap[a]->heap_idx = a;
    q->heap[b]->heap_idx = b;
}

static void heap_up(gotk_queue *q, size_t i)
{
    while (i > 0 && q->heap[(i - 1) / 2]->due > q->heap[i]->due) {
        heap_swap(q, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void heap_down(gotk_queue *q, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < q->heap_len && q->heap[l]->due < q->heap[m]->due)
            m = l;
        if (r < q->heap_len && q->heap[r]->due < q->heap[m]->due)
            m = r;
        if (m == i)
            return;
        heap_swap(q, i, m);
        i = m;
    }
}

static void heap_remove(gotk_queue *q, entry *e)
{
    size_t i = e->heap_idx;
    q->heap_len--;
    if (i != q->heap_len) {
        q->heap[i] = q->heap[q->heap_len];
        q->heap[i]->heap_idx = i;
        heap_down(q, i);
        heap_up(q, i);
    }
    e->state &= ~(unsigned)K_DELAYED;
}

/* Make `e` ready now, unless it is already waiting or running. */
static void make_ready(gotk_queue *q, entry *e)
{
    if (e->state & K_DELAYED)
        heap_remove(q, e);
    if (e->state & K_QUEUED)
        return;
    if (e->state & K_PROCESSING) {
        e->state |= K_DIRTY;
        return;
    }
    e->state |= K_QUEUED;
    fifo_push(q, e);
    pthread_cond_signal(&q->cond);
}

void gotk_queue_add(gotk_queue *q, const char *key)
{
    pthread_mutex_lock(&q->mu);
    if (!q->shutting_down)
        make_ready(q, lookup(q, key));
    pthread_mutex_unlock(&q->mu);
}

/* Schedule `e` at `due` unless it is sooner already. */
static void schedule(gotk_queue *q, entry *e, int64_t due)
{
    if (e->state & K_QUEUED)
        return;
    if (e->state & K_DELAYED) {
        if (due < e->due) {
            e->due = due;
            heap_up(q, e->heap_idx);
        }
        return;
    }
    if (q->heap_len == q->heap_cap) {
        q->heap_cap = q->heap_cap ? q->heap_cap * 2 : 16;
        q->heap = gotk_xrealloc(q->heap, q->heap_cap * sizeof *q->heap);
    }
    e->state |= K_DELAYED;
    e->due = due;
    e->heap_idx = q->heap_len;
    q->heap[q->heap_len++] = e;
    heap_up(q, e->heap_idx);
    pthread_cond_broadcast(&q->cond); /* a getter may need to wake sooner */
}

void gotk_queue_add_after(gotk_queue *q, const char *key, gotk_duration delay)
{
    if (delay <= 0) {
        gotk_queue_add(q, key);
        return;
    }
    pthread_mutex_lock(&q->mu);
    if (!q->shutting_down)
        schedule(q, lookup(q, key), now_ns() + delay);
    pthread_mutex_unlock(&q->mu);
}

/* min * 2^failures, capped at max (client-go's ItemExponentialFailureRateLimiter). */
static gotk_duration backoff(const gotk_queue *q, int failures)
{
    double d = (double)q->min_retry * pow(2.0, failures);
    return d >= (double)q->max_retry ? q->max_retry : (gotk_duration)d;
}

gotk_duration gotk_queue_next_backoff(gotk_queue *q, const char *key)
{
    pthread_mutex_lock(&q->mu);
    entry *e = lookup(q, key);
    gotk_duration d = backoff(q, e->failures);
    maybe_release(q, e);
    pthread_mutex_unlock(&q->mu);
    return d;
}

void gotk_queue_add_rate_limited(gotk_queue *q, const char *key)
{
    pthread_mutex_lock(&q->mu);
    if (!q->shutting_down) {
        entry *e = lookup(q, key);
        gotk_duration d = backoff(q, e->failures);
        e->failures++;
        schedule(q, e, now_ns() + d);
    }
    pthread_mutex_unlock(&q->mu);
}

void gotk_queue_forget(gotk_queue *q, const char *key)
{
    pthread_mutex_lock(&q->mu);
    entry *e = lookup(q, key);
    e->failures = 0;
    maybe_release(q, e);
    pthread_mutex_unlock(&q->mu);
}

/* Move every due delayed key to the FIFO; returns the next due time or -1. */
static int64_t promote_due(gotk_queue *q)
{
    int64_t now = now_ns();
    while (q->heap_len && q->heap[0]->due <= now) {
        entry *e = q->heap[0];
        heap_remove(q, e);
        make_ready(q, e);
    }
    return q->heap_len ? q->heap[0]->due : -1;
}

static void wait_until(gotk_queue *q, int64_t deadline)
{
    if (deadline < 0) {
        pthread_cond_wait(&q->cond, &q->mu);
        return;
    }
    struct timespec ts = {.tv_sec = deadline / 1000000000, .tv_nsec = deadline % 1000000000};
    pthread_cond_timedwait(&q->cond, &q->mu, &ts);
}

char *gotk_queue_get(gotk_queue *q, gotk_duration timeout)
{
    int64_t give_up = timeout < 0 ? -1 : now_ns() + timeout;
    char *key = NULL;
    pthread_mutex_lock(&q->mu);
    while (!q->shutting_down) {
        int64_t next_due = promote_due(q);
        if (q->fifo_len) {
            entry *e = fifo_pop(q);
            e->state = (e->state & ~(unsigned)K_QUEUED) | K_PROCESSING;
            q->processing++;
            key = gotk_xstrdup(e->key);
            break;
        }
        if (give_up >= 0 && now_ns() >= give_up)
            break;
        int64_t deadline = next_due;
        if (give_up >= 0 && (deadline < 0 || give_up < deadline))
            deadline = give_up;
        wait_until(q, deadline);
    }
    pthread_mutex_unlock(&q->mu);
    return key;
}

void gotk_queue_done(gotk_queue *q, const char *key)
{
    pthread_mutex_lock(&q->mu);
    entry *e = lookup(q, key);
    if (e->state & K_PROCESSING) {
        q->processing--;
        bool dirty = e->state & K_DIRTY;
        e->state &= ~(unsigned)(K_PROCESSING | K_DIRTY);
        if (dirty && !q->shutting_down)
            make_ready(q, e);
    }
    maybe_release(q, e);
    pthread_cond_broadcast(&q->cond);
    pthread_mutex_unlock(&q->mu);
}

size_t gotk_queue_len(gotk_queue *q)
{
    pthread_mutex_lock(&q->mu);
    promote_due(q);
    size_t n = q->fifo_len;
    pthread_mutex_unlock(&q->mu);
    return n;
}

void gotk_queue_shutdown(gotk_queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->shutting_down = true;
    pthread_cond_broadcast(&q->cond);
    pthread_mutex_unlock(&q->mu);
}

bool gotk_queue_shutdown_drain(gotk_queue *q, gotk_duration timeout)
{
    gotk_queue_shutdown(q);
    int64_t give_up = now_ns() + timeout;
    pthread_mutex_lock(&q->mu);
    while (q->processing && now_ns() < give_up)
        wait_until(q, give_up);
    bool drained = q->processing == 0;
    pthread_mutex_unlock(&q->mu);
    return drained;
}

gotk_duration gotk_jitter(gotk_duration d, double p)
{
    if (p <= 0 || p >= 1)
        return d;
    double r = 2.0 * ((double)random() / ((double)RAND_MAX + 1.0)) - 1.0;
    return (gotk_duration)((double)d * (1.0 + p * r));
}
