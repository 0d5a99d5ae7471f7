/*
 * http.c: the HTTPS front end on libmicrohttpd.
 *
 * libmicrohttpd runs one thread per connection over TLS (GnuTLS inside it).
 * The access callback is called first with the headers, then with each piece
 * of the body, and finally with no data: we check the bearer token, collect the
 * body (up to 3 MiB), then take the server lock, route the path and run the
 * handler, and queue the response. A watch gets a response whose content
 * callback (watch_read) blocks in the connection's thread until there are
 * events; libmicrohttpd sends it with chunked encoding.
 *
 * Paths: /api/v1/... and /apis/<group>/<version>/... name resources as
 * [namespaces/<ns>/]<plural>[/<name>[/<subresource>]]; the rest goes to
 * discovery.c.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiserver.h"
#include "http.h"

#define MAX_BODY (3 * 1024 * 1024)

/* Per-request state, freed when the request completes. */
typedef struct {
    gotk_buf body;
    bool too_big;
    bool started;      /* the headers' call has been answered */
    char *uri;         /* the request URI as sent (path and query) */
    char received[40]; /* when it arrived, for the audit log */
} conn_state;

bool http_verbose = false;

/* Constant-time comparison of the Authorization header with the token. */
static bool authorized(apisrv *s, struct MHD_Connection *c)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!h || strncmp(h, "Bearer ", 7))
        return false;
    h += 7;
    size_t n = strlen(s->token);
    if (strlen(h) != n)
        return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(h[i] ^ s->token[i]);
    return diff == 0;
}

/* Queue a plain response. */
static enum MHD_Result send_resp(struct MHD_Connection *c, api_resp *r)
{
    char *body = r->body ? r->body : gotk_xstrdup("");
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
    r->body = NULL;
    MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype : "application/json");
    MHD_add_response_header(resp, "Cache-Control", "no-cache, private");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->code, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* A watch stream being sent, and its audit event to complete at the end. */
typedef struct {
    watcher *w;
    audit_log *audit;
    json_object *started;
} watch_ctx;

/* Content reader for watch streams. */
static ssize_t watch_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    watch_ctx *x = cls;
    (void)pos;
    long n = watch_read(x->w, buf, max);
    return n < 0 ? MHD_CONTENT_READER_END_OF_STREAM : (ssize_t)n;
}

/* Free callback for watch streams: the stream ended. */
static void watch_done(void *cls)
{
    watch_ctx *x = cls;
    watch_free(x->w);
    audit_watch_ended(x->audit, x->started);
    free(x);
}

/* Queue a watch stream. */
static enum MHD_Result send_watch(struct MHD_Connection *c, watcher *w, audit_log *audit,
                                  json_object *started)
{
    watch_ctx *x = gotk_xcalloc(1, sizeof *x);
    *x = (watch_ctx){w, audit, started};
    struct MHD_Response *resp =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, watch_reader, x, watch_done);
    MHD_add_response_header(resp, "Content-Type", "application/json");
    MHD_add_response_header(resp, "Cache-Control", "no-cache, private");
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* A query parameter, or NULL. */
static const char *arg(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
}

/* Whether a boolean query parameter is set ("1" or "true"). */
static bool arg_true(struct MHD_Connection *c, const char *name)
{
    const char *v = arg(c, name);
    return v && (!strcmp(v, "1") || !strcmp(v, "true"));
}

/* Split the path after the group version into the request's fields; false
 * when the shape is not a resource path. */
static bool parse_rest(api_req *q, char **p, int n)
{
    if (n >= 3 && !strcmp(p[0], "namespaces") &&
        !(n == 3 && (!strcmp(p[2], "status") || !strcmp(p[2], "finalize")))) {
        if (n > 5)
            return false;
        q->ns = p[1];
        p += 2;
        n -= 2;
    }
    if (n < 1 || n > 3)
        return false;
    q->resource = p[0];
    q->name = n > 1 ? p[1] : NULL;
    q->sub = n > 2 ? p[2] : NULL;
    return true;
}

/* Parse /api/v1/... or /apis/g/v/...; `segs` points into `copy`. */
static bool parse_path(api_req *q, char *copy)
{
    char *p[10];
    int n = 0;
    for (char *save = NULL, *t = strtok_r(copy, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
        if (n == 10)
            return false;
        p[n++] = t;
    }
    if (n >= 3 && !strcmp(p[0], "api")) {
        q->group = "";
        q->version = p[1];
        return parse_rest(q, p + 2, n - 2);
    }
    if (n >= 4 && !strcmp(p[0], "apis")) {
        q->group = p[1];
        q->version = p[2];
        return parse_rest(q, p + 3, n - 3);
    }
    return false;
}

/* Fill the query fields of a request. */
static void read_args(api_req *q, struct MHD_Connection *c)
{
    q->label_selector = arg(c, "labelSelector");
    q->field_selector = arg(c, "fieldSelector");
    q->continue_tok = arg(c, "continue");
    q->resource_version = arg(c, "resourceVersion");
    q->dry_run = arg(c, "dryRun");
    q->field_manager = arg(c, "fieldManager");
    q->field_validation = arg(c, "fieldValidation");
    q->timeout_seconds = arg(c, "timeoutSeconds");
    q->include_object = arg(c, "includeObject");
    q->watch = arg_true(c, "watch");
    q->bookmarks = arg_true(c, "allowWatchBookmarks");
    q->force = arg_true(c, "force");
    const char *limit = arg(c, "limit");
    q->limit = limit ? strtol(limit, NULL, 10) : 0;
    q->content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    q->accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");
}

/* 404 for a path nothing serves. */
static void no_such_path(api_resp *out)
{
    api_status(out, 404, "NotFound", NULL, NULL, NULL,
               "the server could not find the requested resource");
}

/* objectRef.name of a create: the created object's name. */
static void created_name(const char *body, audit_rec *rec)
{
    char *err = NULL;
    json_object *o = body ? jx_parse(body, strlen(body), &err) : NULL;
    const char *n = jx_meta_str(o, "name");
    if (n && strlen(n) < sizeof rec->created) {
        strcpy(rec->created, n);
        rec->name = rec->created;
    }
    json_object_put(o);
    free(err);
}

/* Route and run one request under the lock; *w is set for watches. The
 * audit record points into *copy (the caller frees it). */
static void dispatch(apisrv *s, struct MHD_Connection *c, const char *url, const char *method,
                     conn_state *st, const api_identity *who, api_resp *out, watcher **w,
                     audit_rec *rec, char **copy)
{
    api_req q = {.s = s, .method = method, .path = url, .body = st->body.data,
                 .body_len = st->body.len, .who = who};
    *copy = gotk_xstrdup(url);
    read_args(&q, c);
    bool resource = false;
    pthread_mutex_lock(&s->lock);
    if (handle_discovery(s, url, q.accept, out)) {
        /* served */
    } else if (!parse_path(&q, *copy) ||
               !(q.r = res_find(&s->res, q.group, q.version, q.resource)) ||
               (q.ns && !q.r->namespaced) || (q.r->namespaced && q.name && !q.ns)) {
        no_such_path(out);
    } else if (q.watch && !q.sub && !strcmp(method, "GET")) {
        resource = true;
        rec->verb = audit_verb(method, &q, true); /* before the name becomes a selector */
        rec->name = q.name;
        char *by_name = NULL; /* watching one object: a name field selector */
        if (q.name) {
            by_name = gotk_xasprintf("metadata.name=%s%s%s", q.name,
                                     q.field_selector && *q.field_selector ? "," : "",
                                     q.field_selector ? q.field_selector : "");
            q.field_selector = by_name;
            q.name = NULL;
        }
        *w = watch_start(&q, out);
        free(by_name);
    } else {
        resource = true;
        handle_resource(&q, out);
    }
    pthread_mutex_unlock(&s->lock);
    if (resource) {
        if (!rec->verb) {
            rec->verb = audit_verb(method, &q, true);
            rec->name = q.name;
        }
        if (!rec->name && s->audit && out->code == 201 && !strcmp(method, "POST"))
            created_name(out->body, rec);
        rec->resource = q.resource;
        rec->ns = q.ns;
        rec->group = q.group;
        rec->version = q.version;
        rec->sub = q.sub;
    }
}

/* 500 text/plain, as the server refuses a malformed impersonation. */
static void impersonation_refused(const char *uri, const char *why, api_resp *out)
{
    out->code = 500;
    out->ctype = "text/plain; charset=utf-8";
    out->body = gotk_xasprintf("Internal Server Error: \"%s\": %s\n", uri, why);
}

/* Replace a protobuf body by its JSON; false with a 415 when it cannot be. */
static bool protobuf_to_json(struct MHD_Connection *c, conn_state *st, api_resp *out)
{
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    if (!st->body.len || !ct || !strstr(ct, "protobuf"))
        return true;
    char *err = NULL;
    json_object *o = pb_decode(st->body.data, st->body.len, &err);
    if (!o) {
        api_status(out, 415, "UnsupportedMediaType", NULL, NULL, NULL,
                   "the body of the request was in an unknown format - accepted media types "
                   "include: application/json, application/yaml (%s)",
                   err);
        free(err);
        return false;
    }
    st->body.len = 0;
    gotk_buf_puts(&st->body, jx_str(o));
    json_object_put(o);
    return true;
}

/* The URI callback: a request begins; its state keeps the URI as sent. */
static void *uri_seen(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    conn_state *st = gotk_xcalloc(1, sizeof *st);
    st->uri = gotk_xstrdup(uri ? uri : "");
    audit_now(st->received);
    return st;
}

/* libmicrohttpd's access handler. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    apisrv *s = cls;
    conn_state *st = *con_cls;
    (void)version;
    if (!st) /* no URI callback ran */
        *con_cls = st = uri_seen(NULL, url, c);
    if (!st->started) {
        st->started = true;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (st->body.len + *upload_data_size > MAX_BODY)
            st->too_big = true;
        else
            gotk_buf_append(&st->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    api_resp out = {.code = 500};
    watcher *w = NULL;
    api_identity who = {0};
    audit_rec rec = {.uri = st->uri};
    char *why = NULL, *copy = NULL;
    memcpy(rec.received, st->received, sizeof rec.received);
    if (!authorized(s, c))
        api_status(&out, 401, "Unauthorized", NULL, NULL, NULL, "Unauthorized");
    else if ((why = identity_from_headers(c, &who)))
        impersonation_refused(st->uri, why, &out);
    else if (st->too_big)
        api_status(&out, 413, "RequestEntityTooLarge", NULL, NULL, NULL,
                   "Request entity too large: limit is 3145728");
    else if (!protobuf_to_json(c, st, &out))
        ; /* 415 filled */
    else
        dispatch(s, c, url, method, st, &who, &out, &w, &rec, &copy);
    if (http_verbose)
        fprintf(stderr, "%s %s -> %d%s\n", method, url, w ? 200 : out.code, w ? " (watch)" : "");
    if (!rec.verb)
        rec.verb = audit_verb(method, NULL, false);
    rec.code = w ? 200 : out.body ? out.code : 500;
    rec.watch = w != NULL;
    json_object *started = audit_write(s->audit, c, &rec, &who);
    free(why);
    free(copy);
    identity_free(&who);
    if (w) {
        free(out.body);
        return send_watch(c, w, s->audit, started);
    }
    if (!out.body)
        api_status(&out, 500, "InternalError", NULL, NULL, NULL, "no response");
    return send_resp(c, &out);
}

/* Free per-request state. */
static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    conn_state *st = *con_cls;
    if (st) {
        gotk_buf_free(&st->body);
        free(st->uri);
        free(st);
    }
    *con_cls = NULL;
}

/* Start serving on an already listening socket. No connection timeout:
 * libmicrohttpd counts a watch that has had nothing to send as idle and would
 * cut it (a quiet `kubectl get -w` would end); clients close what they open. */
struct MHD_Daemon *http_start(apisrv *s, int fd, const char *cert, const char *key)
{
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_TLS | MHD_USE_POLL | MHD_USE_ERROR_LOG | MHD_USE_ITC;
    return MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_LISTEN_SOCKET, fd,
                            MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_HTTPS_MEM_CERT, cert,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                            MHD_OPTION_URI_LOG_CALLBACK, uri_seen, s,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)0, MHD_OPTION_END);
}
