/*
 * kube/loop.c: watches driven by the caller's event loop.
 *
 * A gotk_kube_loop is a libcurl multi handle in its socket mode: curl tells us
 * (socket callback) which descriptors to watch and (timer callback) when it wants
 * to run next; we pass both on to the caller's hooks, and the caller calls back
 * into gotk_kube_loop_fd_ready / gotk_kube_loop_timeout. Each watch is a heap
 * handle holding a kube_watch (the same stream parser the blocking watch uses).
 *
 * Re-entrancy: libcurl forbids removing a handle from inside its callbacks, and
 * event callbacks run inside curl_multi_socket_action. So a stop asked for while
 * the loop is inside curl (depth > 0) is only marked, and carried out when the
 * action returns; finished transfers are collected after each action too, then
 * their done callbacks run, outside curl, where they may start new watches.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct gotk_kube_watch_handle {
    kube_watch w;
    gotk_kube_watch_result res;
    gotk_kube_loop *loop;
    gotk_kube_watch_done_fn done;
    void *ud;
    bool stop_requested;
    bool finishing;
    gotk_kube_watch_handle *next;
};

struct gotk_kube_loop {
    CURLM *m;
    gotk_kube_loop_hooks hooks;
    gotk_kube_watch_handle *handles;
    int depth; /* > 0 while inside curl_multi_socket_action */
};

/* curl's socket callback: pass the interest on to the caller's loop. */
static int sock_cb(CURL *e, curl_socket_t s, int what, void *userp, void *socketp)
{
    (void)e;
    (void)socketp;
    gotk_kube_loop *l = userp;
    int ev = what == CURL_POLL_REMOVE ? GOTK_KUBE_POLL_REMOVE
                                      : ((what & CURL_POLL_IN) ? GOTK_KUBE_POLL_IN : 0) |
                                            ((what & CURL_POLL_OUT) ? GOTK_KUBE_POLL_OUT : 0);
    l->hooks.watch_fd((int)s, ev, l->hooks.ud);
    return 0;
}

/* curl's timer callback: pass it on. */
static int timer_cb(CURLM *m, long ms, void *userp)
{
    (void)m;
    gotk_kube_loop *l = userp;
    l->hooks.set_timer(ms, l->hooks.ud);
    return 0;
}

gotk_kube_loop *gotk_kube_loop_new(const gotk_kube_loop_hooks *hooks)
{
    gotk_kube_loop *l = gotk_xcalloc(1, sizeof *l);
    l->hooks = *hooks;
    l->m = curl_multi_init();
    curl_multi_setopt(l->m, CURLMOPT_SOCKETFUNCTION, sock_cb);
    curl_multi_setopt(l->m, CURLMOPT_SOCKETDATA, l);
    curl_multi_setopt(l->m, CURLMOPT_TIMERFUNCTION, timer_cb);
    curl_multi_setopt(l->m, CURLMOPT_TIMERDATA, l);
    return l;
}

/* Unlink a handle from the loop's list. */
static void unlink_handle(gotk_kube_loop *l, gotk_kube_watch_handle *h)
{
    for (gotk_kube_watch_handle **pp = &l->handles; *pp; pp = &(*pp)->next)
        if (*pp == h) {
            *pp = h->next;
            return;
        }
}

/* End a watch: take it out of curl, work out its outcome, free it, call done. */
static void finish(gotk_kube_watch_handle *h, CURLcode rc, bool cancelled)
{
    gotk_kube_loop *l = h->loop;
    h->finishing = true;
    unlink_handle(l, h);
    curl_multi_remove_handle(l->m, h->w.h);
    gotk_err *err = NULL;
    if (cancelled)
        h->res.cancelled = true;
    else
        err = kube_watch_outcome(&h->w, rc);
    kube_watch_close(&h->w);
    gotk_kube_watch_result res = h->res;
    gotk_kube_watch_done_fn done = h->done;
    void *ud = h->ud;
    free(h);
    done(err, &res, ud);
}

/* The running handle that owns an easy handle, or NULL. */
static gotk_kube_watch_handle *find_easy(gotk_kube_loop *l, CURL *e)
{
    for (gotk_kube_watch_handle *h = l->handles; h; h = h->next)
        if (h->w.h == e)
            return h;
    return NULL;
}

/* Finish transfers curl reports done, and stops asked for during the action. */
static void collect(gotk_kube_loop *l)
{
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(l->m, &left))) {
        gotk_kube_watch_handle *h = msg->msg == CURLMSG_DONE ? find_easy(l, msg->easy_handle) : NULL;
        if (h)
            finish(h, msg->data.result, false);
    }
    for (gotk_kube_watch_handle *h = l->handles; h;) {
        gotk_kube_watch_handle *next = h->next;
        if (h->stop_requested) {
            finish(h, CURLE_OK, true);
            next = l->handles; /* done may have changed the list: rescan */
        }
        h = next;
    }
}

/* Run curl on an event, then collect what ended. */
static void action(gotk_kube_loop *l, curl_socket_t fd, int mask)
{
    int running = 0;
    l->depth++;
    curl_multi_socket_action(l->m, fd, mask, &running);
    l->depth--;
    if (l->depth == 0)
        collect(l);
}

void gotk_kube_loop_fd_ready(gotk_kube_loop *l, int fd, int events)
{
    int mask = ((events & GOTK_KUBE_POLL_IN) ? CURL_CSELECT_IN : 0) |
               ((events & GOTK_KUBE_POLL_OUT) ? CURL_CSELECT_OUT : 0);
    action(l, fd, mask);
}

void gotk_kube_loop_timeout(gotk_kube_loop *l)
{
    action(l, CURL_SOCKET_TIMEOUT, 0);
}

size_t gotk_kube_loop_count(const gotk_kube_loop *l)
{
    size_t n = 0;
    for (const gotk_kube_watch_handle *h = l->handles; h; h = h->next)
        n++;
    return n;
}

void gotk_kube_loop_free(gotk_kube_loop *l)
{
    if (!l)
        return;
    while (l->handles)
        finish(l->handles, CURLE_OK, true);
    curl_multi_cleanup(l->m);
    free(l);
}

gotk_err *gotk_kube_watch_start(gotk_kube_loop *l, gotk_kube_client *c,
                                const char *api_version, const char *kind, const char *ns,
                                const gotk_kube_watch_opts *o, gotk_kube_watch_fn fn,
                                gotk_kube_watch_done_fn done, void *ud,
                                gotk_kube_watch_handle **out)
{
    gotk_kube_watch_handle *h = gotk_xcalloc(1, sizeof *h);
    gotk_err *e = kube_watch_open(c, api_version, kind, ns, o, fn, ud, &h->res, &h->w);
    if (e) {
        kube_watch_close(&h->w);
        free(h);
        return e;
    }
    h->loop = l;
    h->done = done;
    h->ud = ud;
    if (o && o->timeout > 0)
        curl_easy_setopt(h->w.h, CURLOPT_TIMEOUT_MS, (long)(o->timeout / GOTK_MS));
    h->next = l->handles;
    l->handles = h;
    curl_multi_add_handle(l->m, h->w.h);
    if (out)
        *out = h;
    return NULL;
}

void gotk_kube_watch_stop(gotk_kube_watch_handle *h)
{
    if (h->finishing || h->stop_requested)
        return;
    h->stop_requested = true;
    if (h->loop->depth == 0)
        finish(h, CURLE_OK, true);
}
