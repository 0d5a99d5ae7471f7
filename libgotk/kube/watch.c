/*
 * kube/watch.c: watch streams.
 *
 * A watch is a GET with watch=true whose chunked response is a stream of JSON
 * lines, each {"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{...}}.
 * Each watch gets its own easy handle and connection (sharing DNS and TLS
 * sessions with the client through the share handle). gotk_kube_watch drives it with a private
 * multi handle, waking every 100 ms to honour the cancel flag and the deadline;
 * loop.c drives the same kube_watch from the caller's event loop instead. Bytes
 * are cut into lines as they arrive; each complete line is decoded and handed to
 * the callback, and the last resourceVersion seen (bookmarks included) is kept
 * for resuming. An ERROR event carries a Status: 410 / Expired becomes
 * GOTK_E_KUBE_GONE so the caller relists. A non-200 answer (410 when the
 * requested revision is already compacted, 401, 403, ...) is read whole and
 * turned into an error the same way.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>


const char *gotk_kube_event_name(gotk_kube_event t)
{
    switch (t) {
    case GOTK_KUBE_ADDED: return "ADDED";
    case GOTK_KUBE_MODIFIED: return "MODIFIED";
    case GOTK_KUBE_DELETED: return "DELETED";
    case GOTK_KUBE_BOOKMARK: return "BOOKMARK";
    }
    return "UNKNOWN";
}

/* The event type for its name; -1 for ERROR or anything unknown. */
static int event_type(const char *s)
{
    static const char *const names[] = {"ADDED", "MODIFIED", "DELETED", "BOOKMARK"};
    for (int i = 0; s && i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

/* Remember the object's resourceVersion for resuming. */
static void note_rv(kube_watch *w, json_object *obj)
{
    const char *rv = gotk_obj_get_str(obj, "metadata.resourceVersion");
    if (rv && strlen(rv) < sizeof w->res->resource_version)
        strcpy(w->res->resource_version, rv);
}

/* Decode one line and deliver it. */
static void handle_line(kube_watch *w, const char *text, size_t len)
{
    while (len && (text[len - 1] == '\r' || text[len - 1] == ' '))
        len--;
    if (!len)
        return;
    json_object *ev = NULL;
    gotk_err *e = gotk_json_parse(text, len, &ev);
    if (e) {
        w->err = gotk_err_wrap(e, "decoding a watch event");
        w->stop = true;
        return;
    }
    const char *type = gotk_obj_get_str(ev, "type");
    json_object *obj = gotk_obj_get(ev, "object", NULL);
    int t = event_type(type);
    if (type && strcmp(type, "ERROR") == 0) {
        w->err = gotk_kube_status_obj_error(0, obj);
        w->stop = true;
    } else if (t < 0 || !obj) {
        w->err = gotk_err_new(GOTK_E_INVALID, "unexpected event type \"%s\"",
                              type ? type : "");
        w->stop = true;
    } else {
        note_rv(w, obj);
        w->res->events++;
        if (!w->fn((gotk_kube_event)t, obj, w->ud)) {
            w->res->stopped = true;
            w->stop = true;
        }
    }
    json_object_put(ev);
}

/* curl write callback: split the stream into lines. Returning 0 ends the transfer. */
static size_t watch_write(char *data, size_t sz, size_t n, void *ud)
{
    kube_watch *w = ud;
    size_t len = sz * n;
    const char *p = data;
    long code = 0;
    curl_easy_getinfo(w->h, CURLINFO_RESPONSE_CODE, &code);
    if (code != 200) {
        if (w->errbody.len < 65536)
            gotk_buf_append(&w->errbody, p, len);
        return len;
    }
    const char *end = p + len;
    while (p < end && !w->stop) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) {
            gotk_buf_append(&w->line, p, (size_t)(end - p));
            break;
        }
        if (w->line.len) {
            gotk_buf_append(&w->line, p, (size_t)(nl - p));
            handle_line(w, w->line.data, w->line.len);
            w->line.len = 0;
        } else {
            handle_line(w, p, (size_t)(nl - p));
        }
        p = nl + 1;
    }
    return w->stop ? 0 : len;
}

/* The watch request's path and query. Caller frees. */
static char *watch_path(const gotk_kube_resource *r, const char *ns,
                        const gotk_kube_watch_opts *o)
{
    gotk_buf b = {0};
    char *p = gotk_kube_resource_path(r, ns, NULL, NULL);
    gotk_buf_puts(&b, p);
    free(p);
    kube_query_add(&b, "watch", "true");
    if (o) {
        kube_query_add(&b, "labelSelector", o->label_selector);
        kube_query_add(&b, "fieldSelector", o->field_selector);
        if (o->resource_version && *o->resource_version)
            kube_query_add(&b, "resourceVersion", o->resource_version);
        if (o->bookmarks)
            kube_query_add(&b, "allowWatchBookmarks", "true");
        if (o->timeout > 0) {
            char secs[24];
            snprintf(secs, sizeof secs, "%lld",
                     (long long)((o->timeout + GOTK_SECOND - 1) / GOTK_SECOND));
            kube_query_add(&b, "timeoutSeconds", secs);
        }
    }
    return gotk_buf_steal(&b);
}

/* Drive the transfer until it ends, the flag is set or the deadline passes. */
static CURLcode run_transfer(CURL *h, kube_watch *w, const gotk_kube_watch_opts *o)
{
    CURLM *m = curl_multi_init();
    curl_multi_add_handle(m, h);
    int64_t deadline = o && o->timeout > 0 ? kube_now_ns() + o->timeout : 0;
    CURLcode rc = CURLE_OK;
    int running = 1;
    while (running) {
        if (curl_multi_perform(m, &running) != CURLM_OK)
            break;
        if (!running)
            break;
        if (o && o->cancel && atomic_load(o->cancel)) {
            w->res->cancelled = true;
            break;
        }
        if (deadline && kube_now_ns() >= deadline) {
            w->res->timed_out = true;
            break;
        }
        curl_multi_poll(m, NULL, 0, 100, NULL);
    }
    int left;
    CURLMsg *msg;
    while ((msg = curl_multi_info_read(m, &left)))
        if (msg->msg == CURLMSG_DONE)
            rc = msg->data.result;
    curl_multi_remove_handle(m, h);
    curl_multi_cleanup(m);
    return rc;
}

/* Hand over the stream's own error, if any. */
static gotk_err *take_err(kube_watch *w)
{
    gotk_err *e = w->err;
    w->err = NULL;
    return gotk_err_wrap(e, "watch");
}

gotk_err *kube_watch_outcome(kube_watch *w, CURLcode rc)
{
    if (w->err)
        return take_err(w);
    long code = 0;
    curl_easy_getinfo(w->h, CURLINFO_RESPONSE_CODE, &code);
    if (code && code != 200)
        return gotk_kube_status_error(code, w->errbody.data, w->errbody.len);
    if (rc != CURLE_OK && !w->stop && !w->res->cancelled && !w->res->timed_out) {
        if (rc == CURLE_OPERATION_TIMEDOUT) {
            w->res->timed_out = true;
            return NULL;
        }
        return kube_curl_error(rc, w->errbuf, "GET", w->url);
    }
    if (!w->stop && w->line.len) /* a last event without its newline */
        handle_line(w, w->line.data, w->line.len);
    return take_err(w);
}

gotk_err *kube_watch_open(gotk_kube_client *c, const char *api_version, const char *kind,
                          const char *ns, const gotk_kube_watch_opts *o,
                          gotk_kube_watch_fn fn, void *ud, gotk_kube_watch_result *res,
                          kube_watch *w)
{
    memset(res, 0, sizeof *res);
    memset(w, 0, sizeof *w);
    if (o && o->resource_version && strlen(o->resource_version) < sizeof res->resource_version)
        strcpy(res->resource_version, o->resource_version);
    const gotk_kube_resource *r = NULL;
    gotk_err *e = gotk_kube_resource_for(c, api_version, kind, &r);
    if (e)
        return e;
    struct curl_slist *hdrs = NULL;
    if ((e = kube_headers(c, NULL, &hdrs)))
        return e;
    char *path = watch_path(r, kube_effective_ns(c, r, ns, true), o);
    *w = (kube_watch){.fn = fn, .ud = ud, .res = res, .h = curl_easy_init(),
                      .url = kube_url(c, path), .hdrs = hdrs};
    free(path);
    kube_easy_setup(c, w->h);
    curl_easy_setopt(w->h, CURLOPT_URL, w->url);
    curl_easy_setopt(w->h, CURLOPT_HTTPHEADER, w->hdrs);
    curl_easy_setopt(w->h, CURLOPT_WRITEFUNCTION, watch_write);
    curl_easy_setopt(w->h, CURLOPT_WRITEDATA, w);
    curl_easy_setopt(w->h, CURLOPT_ERRORBUFFER, w->errbuf);
    return NULL;
}

void kube_watch_close(kube_watch *w)
{
    if (w->h)
        curl_easy_cleanup(w->h);
    curl_slist_free_all(w->hdrs);
    gotk_buf_free(&w->line);
    gotk_buf_free(&w->errbody);
    gotk_err_free(w->err);
    free(w->url);
    memset(w, 0, sizeof *w);
}

gotk_err *gotk_kube_watch(gotk_kube_client *c, const char *api_version, const char *kind,
                          const char *ns, const gotk_kube_watch_opts *o,
                          gotk_kube_watch_fn fn, void *ud, gotk_kube_watch_result *res)
{
    for (int attempt = 0;; attempt++) {
        kube_watch w;
        gotk_err *e = kube_watch_open(c, api_version, kind, ns, o, fn, ud, res, &w);
        if (e)
            return e;
        kube_rate_wait(c);
        CURLcode rc = run_transfer(w.h, &w, o);
        e = kube_watch_outcome(&w, rc);
        kube_watch_close(&w);
        /* a rejected credential from a plugin or a token file: fetch it again once */
        if (!e || attempt > 0 || res->events || gotk_err_code_of(e) != GOTK_E_KUBE_UNAUTHORIZED ||
            !kube_creds_invalidate(c))
            return e;
        gotk_err_free(e);
    }
}
