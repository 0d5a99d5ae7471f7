/*
 * watch.c: the event rings and watch streams.
 *
 * Every committed write appends an event (revision, type, namespace, the
 * object as stored, as JSON text) to its resource's fixed-size ring, so a busy
 * resource never pushes a quiet one's history out. A watch from
 * resourceVersion R replays the events of its resource newer than R (found by
 * binary search) that match its namespace and selectors, then waits on the
 * server's condition variable for more. R below the ring's floor (an event
 * after R was already overwritten, or R is older than the server's start) gets
 * what the real server sends: HTTP 200 and a single ERROR
 * event carrying a Status with code 410 Gone. A watch without a resourceVersion
 * (or "0") starts with synthetic ADDED events for the current objects.
 *
 * The stream is one JSON object per line, written through libmicrohttpd's
 * content-reader callback with chunked encoding; the callback runs in the
 * connection's own thread and blocks on the condition variable. With
 * allowWatchBookmarks a BOOKMARK carrying the current revision is sent after a
 * quiet period. The stream ends after timeoutSeconds or when the server stops.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apiserver.h"

#define WATCH_DEFAULT_TIMEOUT 1800 /* seconds */
#define BOOKMARK_EVERY 5           /* seconds of quiet before a bookmark */

struct watcher {
    apisrv *s;
    char *group, *res, *ns, *version;
    char *include;   /* includeObject for Table rows */
    bool table;      /* events carry Tables (kubectl get -w) */
    sel *labels, *fields;
    int64_t rev; /* last revision sent */
    bool bookmarks;
    int64_t deadline_ms; /* CLOCK_MONOTONIC */
    time_t last_sent;
    gotk_buf out; /* encoded events not yet handed to the HTTP layer */
    size_t out_off;
    bool ended;
};

/* Milliseconds on the monotonic clock. */
static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- ring ---------------------------------------------------------------- */

/* An empty ring of `cap` events; watches may start at `floor`. */
void ring_init(api_ring *r, int cap, int64_t floor)
{
    memset(r, 0, sizeof *r);
    r->ev = gotk_xcalloc((size_t)cap, sizeof *r->ev);
    r->cap = cap;
    r->head = r->count = 0;
    r->floor = floor;
}

/* Release one slot. */
static void event_clear(api_event *e)
{
    free(e->group);
    free(e->res);
    free(e->ns);
    free(e->obj);
    free(e->prev);
    memset(e, 0, sizeof *e);
}

/* Free every event and the ring. */
void ring_free(api_ring *r)
{
    for (int i = 0; i < r->count; i++)
        event_clear(&r->ev[(r->head + i) % r->cap]);
    free(r->ev);
    r->ev = NULL;
    r->count = 0;
}

/* The ring of (group, res), created on first use. */
api_ring *ring_for(apisrv *s, const char *group, const char *res)
{
    for (int i = 0; i < s->nrings; i++)
        if (!strcmp(s->rings[i].group, group) && !strcmp(s->rings[i].res, res))
            return &s->rings[i];
    s->rings = gotk_xrealloc(s->rings, (size_t)(s->nrings + 1) * sizeof *s->rings);
    api_ring *r = &s->rings[s->nrings++];
    ring_init(r, s->ring_cap, s->start_rev);
    r->group = gotk_xstrdup(group);
    r->res = gotk_xstrdup(res);
    return r;
}

/* Free every ring. */
void rings_free(apisrv *s)
{
    for (int i = 0; i < s->nrings; i++) {
        free(s->rings[i].group);
        free(s->rings[i].res);
        ring_free(&s->rings[i]);
    }
    free(s->rings);
    s->rings = NULL;
    s->nrings = 0;
}

/* Append, overwriting the oldest event when full (which raises the floor). */
void ring_push(api_ring *r, int64_t rev, const char *type, const char *group, const char *res,
               const char *ns, char *obj, char *prev)
{
    api_event *e;
    if (r->count == r->cap) {
        e = &r->ev[r->head];
        r->floor = e->rev;
        event_clear(e);
        r->head = (r->head + 1) % r->cap;
        r->count--;
    }
    e = &r->ev[(r->head + r->count) % r->cap];
    r->count++;
    e->rev = rev;
    snprintf(e->type, sizeof e->type, "%s", type);
    e->group = gotk_xstrdup(group);
    e->res = gotk_xstrdup(res);
    e->ns = gotk_xstrdup(ns ? ns : "");
    e->obj = obj;
    e->prev = prev;
}

/* ---- streams ------------------------------------------------------------- */

/* Append one event line: {"type":T,"object":O}. */
static void emit(watcher *w, const char *type, json_object *obj)
{
    json_object *ev = json_object_new_object();
    jx_set_str(ev, "type", type);
    json_object_object_add(ev, "object", json_object_get(obj));
    gotk_buf_puts(&w->out, jx_str(ev));
    gotk_buf_putc(&w->out, '\n');
    json_object_put(ev);
    w->last_sent = time(NULL);
}

/* Whether an object passes the watch's filters. */
static bool wants(watcher *w, const char *ns, json_object *obj)
{
    if (w->ns && strcmp(w->ns, ns ? ns : ""))
        return false;
    return sel_match_labels(w->labels, obj) && sel_match_fields(w->fields, obj);
}

/* Emit a copy of obj with the watched apiVersion and kind (or as a Table). The
 * resource is looked up each time: the table moves when CRDs change. */
static void emit_obj(watcher *w, const char *type, json_object *obj)
{
    api_resource *r = res_find(&w->s->res, w->group, w->version, w->res);
    if (!r) {
        w->ended = true;
        return;
    }
    json_object *c = gotk_obj_copy(obj);
    obj_set_gvk(c, r);
    if (w->table) {
        api_req fq = {.s = w->s, .r = r, .include_object = w->include, .method = "GET"};
        c = table_from(&fq, c, false);
    }
    emit(w, type, c);
    json_object_put(c);
}

static void emit_gone(watcher *w, int64_t rv);

/* Emit one ring event as this watch sees it: an object that starts matching
 * the selectors is ADDED, one that stops matching is DELETED (with its previous
 * content), as the real watch cache does. */
static void emit_event(watcher *w, api_event *e)
{
    if (w->ns && strcmp(w->ns, e->ns))
        return;
    char *err = NULL;
    json_object *obj = jx_parse(e->obj, strlen(e->obj), &err);
    json_object *prev = e->prev && obj ? jx_parse(e->prev, strlen(e->prev), &err) : NULL;
    free(err);
    bool now = obj && wants(w, e->ns, obj);
    bool before = prev && wants(w, e->ns, prev);
    if (strcmp(e->type, "MODIFIED") || !prev) {
        if (now)
            emit_obj(w, e->type, obj);
    } else if (now) {
        emit_obj(w, before ? "MODIFIED" : "ADDED", obj);
    } else if (before) { /* the old content, at the event's resourceVersion */
        jx_set_str(jx_ensure_obj(prev, "metadata"), "resourceVersion",
                   jx_meta_str(obj, "resourceVersion"));
        emit_obj(w, "DELETED", prev);
    }
    json_object_put(obj);
    json_object_put(prev);
}

/* Index (from the oldest) of the first event newer than rev: events are in
 * revision order, so a binary search finds it. */
static int first_after(api_ring *r, int64_t rev)
{
    int lo = 0, hi = r->count;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (r->ev[(r->head + mid) % r->cap].rev <= rev)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Copy the resource's events newer than w->rev into the output. */
static void drain_ring(watcher *w)
{
    api_ring *r = ring_for(w->s, w->group, w->res);
    if (w->rev < r->floor) { /* fell behind what the ring keeps */
        emit_gone(w, w->rev);
        return;
    }
    for (int i = first_after(r, w->rev); i < r->count && !w->ended; i++) {
        api_event *e = &r->ev[(r->head + i) % r->cap];
        w->rev = e->rev;
        emit_event(w, e);
    }
    if (store_rev(w->s->st) > w->rev)
        w->rev = store_rev(w->s->st);
}

/* A BOOKMARK event at the current revision. */
static void emit_bookmark(watcher *w)
{
    api_resource *r = res_find(&w->s->res, w->group, w->version, w->res);
    if (!r) {
        w->ended = true;
        return;
    }
    json_object *o = json_object_new_object();
    char rv[24];
    snprintf(rv, sizeof rv, "%lld", (long long)w->rev);
    obj_set_gvk(o, r);
    json_object *meta = jx_ensure_obj(o, "metadata");
    jx_set_str(meta, "resourceVersion", rv);
    emit(w, "BOOKMARK", o);
    json_object_put(o);
}

/* The ERROR event with a 410 Status, and the end of the stream. */
static void emit_gone(watcher *w, int64_t rv)
{
    char *msg = gotk_xasprintf("too old resource version: %lld (%lld)", (long long)rv,
                               (long long)ring_for(w->s, w->group, w->res)->floor);
    json_object *st = api_status_obj(410, "Expired", msg);
    emit(w, "ERROR", st);
    json_object_put(st);
    free(msg);
    w->ended = true;
}

/* Visitor for the initial synthetic ADDED events. */
static bool initial_visit(json_object *obj, const char *ns, const char *name, void *ud)
{
    watcher *w = ud;
    (void)name;
    if (wants(w, ns, obj))
        emit_obj(w, "ADDED", obj);
    json_object_put(obj);
    return true;
}

/* Free a watcher. */
void watch_free(watcher *w)
{
    if (!w)
        return;
    free(w->group);
    free(w->res);
    free(w->ns);
    free(w->version);
    free(w->include);
    sel_free(w->labels);
    sel_free(w->fields);
    gotk_buf_free(&w->out);
    free(w);
}

/* Parse resourceVersion for a watch: -1 for "" or "0" (start with the current
 * state), -2 when malformed. */
static int64_t parse_rv(const char *s)
{
    if (!s || !*s || !strcmp(s, "0"))
        return -1;
    char *end;
    long long v = strtoll(s, &end, 10);
    return *end || v < 0 ? -2 : (int64_t)v;
}

/* Set up a watch: validate, replay or send the initial state. */
watcher *watch_start(api_req *q, api_resp *out)
{
    char *err = NULL;
    int64_t rv = parse_rv(q->resource_version);
    if (rv == -2) {
        api_status(out, 400, "BadRequest", NULL, NULL, NULL,
                   "invalid resource version: %s", q->resource_version);
        return NULL;
    }
    watcher *w = gotk_xcalloc(1, sizeof *w);
    w->s = q->s;
    w->group = gotk_xstrdup(q->r->group);
    w->res = gotk_xstrdup(q->r->plural);
    w->ns = q->ns ? gotk_xstrdup(q->ns) : NULL;
    w->version = gotk_xstrdup(q->r->version);
    w->include = q->include_object ? gotk_xstrdup(q->include_object) : NULL;
    w->table = table_wanted(q->accept);
    w->labels = sel_parse_labels(q->label_selector, &err);
    if (w->labels)
        w->fields = sel_parse_fields(q->field_selector, &err);
    if (!w->labels || !w->fields) {
        api_status(out, 400, "BadRequest", NULL, NULL, NULL, "%s", err);
        free(err);
        watch_free(w);
        return NULL;
    }
    w->bookmarks = q->bookmarks;
    long t = q->timeout_seconds ? strtol(q->timeout_seconds, NULL, 10) : 0;
    w->deadline_ms = now_ms() + 1000 * (int64_t)(t > 0 ? t : WATCH_DEFAULT_TIMEOUT);
    w->last_sent = time(NULL);
    if (rv == -1) {
        w->rev = store_rev(q->s->st);
        gotk_err_free(store_list(q->s->st, w->group, w->res, w->ns, NULL, NULL, initial_visit, w));
    } else if (rv < ring_for(q->s, w->group, w->res)->floor) {
        emit_gone(w, rv);
    } else {
        w->rev = rv;
        drain_ring(w);
    }
    return w;
}

/* Copy buffered output into buf. */
static long take(watcher *w, char *buf, size_t max)
{
    size_t avail = w->out.len - w->out_off;
    size_t n = avail < max ? avail : max;
    memcpy(buf, w->out.data + w->out_off, n);
    w->out_off += n;
    if (w->out_off == w->out.len) {
        w->out.len = 0;
        w->out_off = 0;
    }
    return (long)n;
}

/* Wait up to one second for a commit. */
static void wait_a_second(apisrv *s)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 1;
    pthread_cond_timedwait(&s->cond, &s->lock, &ts);
}

/* The content reader: block until there is output or the stream ends. */
long watch_read(watcher *w, char *buf, size_t max)
{
    apisrv *s = w->s;
    long n = -1;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        if (w->out.len > w->out_off) {
            n = take(w, buf, max);
            break;
        }
        if (w->ended || s->stopping)
            break;
        /* what was committed before the deadline is sent even when the
         * reader runs late (a loaded machine, a one-second timeout) */
        drain_ring(w);
        if (w->out.len > 0)
            continue;
        if (now_ms() >= w->deadline_ms)
            break;
        if (w->bookmarks && time(NULL) - w->last_sent >= BOOKMARK_EVERY) {
            emit_bookmark(w);
            continue;
        }
        wait_a_second(s);
    }
    pthread_mutex_unlock(&s->lock);
    return n;
}
