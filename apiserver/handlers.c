/*
 * handlers.c: the verbs on resources — get, list, create, update, patch, delete,
 * deletecollection — and the status subresource.
 *
 * Every write runs in one SQLite transaction: it takes the next global revision,
 * stores the object with that resourceVersion, stages a watch event and commits;
 * the events reach the ring only after the commit. With dryRun=All the same work
 * runs and the transaction is rolled back. Object semantics follow the real
 * server: uid, creationTimestamp and generation set on create; generation bumped
 * only when something outside metadata and status changes; optimistic
 * concurrency on resourceVersion; finalizers hold a deleted object (with
 * deletionTimestamp) until the last one is removed; deleting a namespace deletes
 * its contents; ownerReferences are garbage collected in the background.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiserver.h"
#include "gotk/obj.h"

/* ---- transactions -------------------------------------------------------- */

/* Open a write transaction. */
gotk_err *txn_begin(apisrv *s)
{
    s->npending = 0;
    json_object_put(s->removed);
    s->removed = json_object_new_array();
    s->crds_changed = false;
    return store_begin(s->st);
}

/* Drop the staged events. */
static void clear_pending(apisrv *s)
{
    for (int i = 0; i < s->npending; i++) {
        free(s->pending[i].group);
        free(s->pending[i].res);
        free(s->pending[i].ns);
        free(s->pending[i].obj);
        free(s->pending[i].prev);
    }
    s->npending = 0;
}

/* Commit, then publish the staged events and reload CRDs if they changed. */
gotk_err *txn_commit(apisrv *s)
{
    gotk_err *e = store_commit(s->st);
    if (e) {
        store_rollback(s->st);
        clear_pending(s);
        return e;
    }
    for (int i = 0; i < s->npending; i++) {
        api_event *p = &s->pending[i];
        ring_push(ring_for(s, p->group, p->res), p->rev, p->type, p->group, p->res, p->ns, p->obj, p->prev);
        p->obj = p->prev = NULL; /* moved into the ring */
    }
    clear_pending(s);
    if (s->crds_changed)
        res_reload_crds(s);
    s->crds_changed = false;
    pthread_cond_broadcast(&s->cond);
    return NULL;
}

/* Abandon the transaction and its staged events. */
void txn_rollback(apisrv *s)
{
    store_rollback(s->st);
    clear_pending(s);
    s->crds_changed = false;
}

/* Stage one watch event until the commit, and log it in the store. */
gotk_err *txn_event(apisrv *s, int64_t rev, const char *type, const char *group,
                    const char *res, const char *ns, json_object *obj, json_object *prev)
{
    if (s->npending == s->cappending) {
        s->cappending = s->cappending ? s->cappending * 2 : 16;
        s->pending = gotk_xrealloc(s->pending, (size_t)s->cappending * sizeof *s->pending);
    }
    api_event *p = &s->pending[s->npending++];
    p->rev = rev;
    snprintf(p->type, sizeof p->type, "%s", type);
    p->group = gotk_xstrdup(group);
    p->res = gotk_xstrdup(res);
    p->ns = gotk_xstrdup(ns ? ns : "");
    p->obj = jx_strdup(obj);
    p->prev = prev ? jx_strdup(prev) : NULL;
    if (!strcmp(group, "apiextensions.k8s.io"))
        s->crds_changed = true;
    return store_log_event(s->st, rev, type, group, res, p->ns, p->obj, p->prev);
}

/* ---- small helpers ------------------------------------------------------- */

/* apiVersion and kind as the resource is served. */
void obj_set_gvk(json_object *o, const api_resource *r)
{
    char *av = *r->group ? gotk_xasprintf("%s/%s", r->group, r->version)
                         : gotk_xstrdup(r->version);
    jx_set_str(o, "apiVersion", av);
    jx_set_str(o, "kind", r->kind);
    free(av);
}

/* Store obj with a new revision and stage the event. */
gotk_err *h_put(apisrv *s, const api_resource *r, json_object *obj, const char *type)
{
    int64_t rev = store_next_rev(s->st);
    char rv[24];
    snprintf(rv, sizeof rv, "%lld", (long long)rev);
    json_object *meta = jx_ensure_obj(obj, "metadata");
    jx_set_str(meta, "resourceVersion", rv);
    const char *ns = r->namespaced ? jx_get_str(meta, "namespace") : "";
    const char *name = jx_get_str(meta, "name");
    json_object *prev = strcmp(type, "MODIFIED") ? NULL
                                                 : store_get(s->st, r->group, r->plural, ns, name);
    gotk_err *e = store_put(s->st, r->group, r->plural, ns, name, rev, obj);
    if (!e)
        e = txn_event(s, rev, type, r->group, r->plural, ns, obj, prev);
    json_object_put(prev);
    return e;
}

/* Remove obj and stage its DELETED event. */
gotk_err *h_remove(apisrv *s, const char *group, const char *plural, json_object *obj)
{
    int64_t rev = store_next_rev(s->st);
    char rv[24];
    snprintf(rv, sizeof rv, "%lld", (long long)rev);
    json_object *meta = jx_ensure_obj(obj, "metadata");
    jx_set_str(meta, "resourceVersion", rv);
    const char *ns = jx_get_str(meta, "namespace");
    gotk_err *e = store_del(s->st, group, plural, ns ? ns : "", jx_get_str(meta, "name"));
    if (!e)
        e = txn_event(s, rev, "DELETED", group, plural, ns ? ns : "", obj, NULL);
    if (!e && s->removed)
        json_object_array_add(s->removed, gotk_obj_copy(obj));
    return e;
}

/* Whether dryRun=All was asked for. */
bool h_dry_run(const api_req *q)
{
    return q->dry_run && strstr(q->dry_run, "All");
}

/* Commit, or roll back for a dry run; a storage failure becomes a 500. */
bool h_finish(api_req *q, gotk_err *e, api_resp *out)
{
    if (!e && h_dry_run(q)) {
        txn_rollback(q->s);
        return true;
    }
    if (!e)
        e = txn_commit(q->s);
    else
        txn_rollback(q->s);
    if (e) {
        api_status(out, 500, "InternalError", NULL, NULL, NULL, "storage: %s", gotk_err_msg(e));
        gotk_err_free(e);
        return false;
    }
    return true;
}

/* The resource the real server names in messages: "configmaps" or "deployments.apps". */
char *h_qualified(const api_resource *r)
{
    return *r->group ? gotk_xasprintf("%s.%s", r->plural, r->group) : gotk_xstrdup(r->plural);
}

/* 404 for a missing object. */
void h_not_found(api_req *q, const char *name, api_resp *out)
{
    char *qn = h_qualified(q->r);
    api_status(out, 404, "NotFound", q->r->group, q->r->plural, name, "%s \"%s\" not found", qn,
               name);
    free(qn);
}

/* 422 with one field cause. */
void h_invalid(api_req *q, const char *name, const char *field, const char *msg, api_resp *out)
{
    json_object *causes = json_object_new_array();
    h_cause(causes, "FieldValueInvalid", field, "%s", msg);
    h_invalid_causes(q, name, causes, out);
    json_object_put(causes);
}

void h_cause(json_object *causes, const char *reason, const char *field, const char *fmt, ...)
{
    va_list ap;
    gotk_buf b = {0};
    va_start(ap, fmt);
    gotk_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    json_object *c = json_object_new_object();
    jx_set_str(c, "reason", reason);
    jx_set_str(c, "message", b.data ? b.data : "");
    jx_set_str(c, "field", field);
    json_object_array_add(causes, c);
    gotk_buf_free(&b);
}

void h_invalid_causes(api_req *q, const char *name, json_object *causes, api_resp *out)
{
    gotk_buf msg = {0};
    size_t n = json_object_array_length(causes);
    gotk_buf_printf(&msg, "%s%s%s \"%s\" is invalid: %s", q->r->kind, *q->r->group ? "." : "",
                    q->r->group, name ? name : "", n > 1 ? "[" : "");
    for (size_t i = 0; i < n; i++) {
        json_object *c = json_object_array_get_idx(causes, i);
        gotk_buf_printf(&msg, "%s%s: %s", i ? ", " : "", jx_get_str(c, "field"),
                        jx_get_str(c, "message"));
    }
    if (n > 1)
        gotk_buf_putc(&msg, ']');
    json_object *st = api_status_obj(422, "Invalid", msg.data);
    json_object *d = json_object_new_object();
    if (name)
        jx_set_str(d, "name", name);
    if (*q->r->group)
        jx_set_str(d, "group", q->r->group);
    jx_set_str(d, "kind", q->r->kind);
    json_object_object_add(d, "causes", json_object_get(causes));
    json_object_object_add(st, "details", d);
    api_json(out, 422, st);
    json_object_put(st);
    gotk_buf_free(&msg);
}

/* 409 Conflict for a stale resourceVersion. */
void h_conflict(api_req *q, const char *name, api_resp *out)
{
    char *qn = h_qualified(q->r);
    api_status(out, 409, "Conflict", q->r->group, q->r->plural, name,
               "Operation cannot be fulfilled on %s \"%s\": the object has been modified; please "
               "apply your changes to the latest version and try again",
               qn, name);
    free(qn);
}

/* Validate a name; returns the problem or NULL. */
const char *h_name_problem(const api_resource *r, const char *n)
{
    size_t len = strlen(n);
    if (!strcmp(r->group, "rbac.authorization.k8s.io")) {
        if (!strcmp(n, ".") || !strcmp(n, "..") || strpbrk(n, "/%"))
            return "may not contain '/' or '%', or be '.' or '..'";
        return NULL;
    }
    bool label = !strcmp(r->plural, "namespaces") && !*r->group;
    if (len == 0 || len > (label ? 63u : 253u))
        return label ? "must be no more than 63 characters" : "must be no more than 253 characters";
    for (size_t i = 0; i < len; i++) {
        char c = n[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        bool edge = i == 0 || i == len - 1 || (!label && (n[i - 1] == '.' || n[i + 1] == '.'));
        if (!(alnum || (c == '-' && !edge) || (!label && c == '.' && !edge)))
            return label ? "a lowercase RFC 1123 label must consist of lower case alphanumeric "
                           "characters or '-', and must start and end with an alphanumeric "
                           "character (e.g. 'my-name',  or '123-abc', regex used for validation "
                           "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
                         : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                           "characters, '-' or '.', and must start and end with an alphanumeric "
                           "character (e.g. 'example.com', regex used for validation is "
                           "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    }
    return NULL;
}

/* Parse the request body as a JSON object; fills a 400 on failure. */
json_object *h_parse_body(api_req *q, api_resp *out)
{
    char *err = NULL;
    if (!q->body_len) {
        api_status(out, 400, "BadRequest", NULL, NULL, NULL, "the request body is empty");
        return NULL;
    }
    json_object *o = jx_parse(q->body, q->body_len, &err);
    if (!o && q->content_type && strstr(q->content_type, "yaml")) {
        /* application/yaml and apply-patch+yaml bodies may be YAML proper */
        gotk_err *ye = gotk_yaml_parse_one(q->body, q->body_len, NULL, &o);
        if (ye) {
            api_status(out, 400, "BadRequest", NULL, NULL, NULL,
                       "couldn't get version/kind; yaml parse error: %s", gotk_err_msg(ye));
            gotk_err_free(ye);
            free(err);
            return NULL;
        }
    }
    if (!o) {
        api_status(out, 400, "BadRequest", NULL, NULL, NULL,
                   "couldn't get version/kind; json parse error: %s", err);
        free(err);
        return NULL;
    }
    free(err);
    if (!json_object_is_type(o, json_type_object)) {
        api_status(out, 400, "BadRequest", NULL, NULL, NULL,
                   "couldn't get version/kind; json parse error: json: cannot unmarshal %s into "
                   "Go value of type struct",
                   json_type_to_name(json_object_get_type(o)));
        json_object_put(o);
        return NULL;
    }
    return o;
}

/* Check apiVersion/kind of a body against the endpoint. */
bool h_check_gvk(api_req *q, json_object *o, api_resp *out)
{
    const char *kind = jx_get_str(o, "kind"), *av = jx_get_str(o, "apiVersion");
    char *want = *q->r->group ? gotk_xasprintf("%s/%s", q->r->group, q->r->version)
                              : gotk_xstrdup(q->r->version);
    bool ok = false;
    if (!kind || !*kind)
        api_status(out, 400, "BadRequest", NULL, NULL, NULL, "Object 'Kind' is missing in '%s'",
                   jx_str(o));
    else if (!av || !*av)
        api_status(out, 400, "BadRequest", NULL, NULL, NULL,
                   "Object 'apiVersion' is missing in '%s'", jx_str(o));
    else if (strcmp(av, want))
        api_status(out, 400, "BadRequest", NULL, NULL, NULL,
                   "the API version in the data (%s) does not match the expected API version (%s)",
                   av, want);
    else if (strcmp(kind, q->r->kind))
        api_status(out, 400, "BadRequest", NULL, NULL, NULL,
                   "%s in version \"%s\" cannot be handled as a %s: no kind \"%s\" is registered "
                   "for version \"%s\"",
                   kind, q->r->version, q->r->kind, kind, want);
    else
        ok = true;
    free(want);
    return ok;
}

/* Whether two objects differ outside metadata and status. */
bool h_spec_changed(json_object *a, json_object *b)
{
    json_object_object_foreach(a, k, v)
    {
        if (!strcmp(k, "metadata") || !strcmp(k, "status"))
            continue;
        json_object *bv = NULL;
        if (!json_object_object_get_ex(b, k, &bv) || !gotk_obj_equal(v, bv))
            return true;
    }
    json_object_object_foreach(b, k2, v2)
    {
        (void)v2;
        if (strcmp(k2, "metadata") && strcmp(k2, "status") && !json_object_object_get_ex(a, k2, NULL))
            return true;
    }
    return false;
}

/* Whether the object lists any finalizer. */
bool h_has_finalizers(json_object *o)
{
    json_object *f = jx_get(jx_get(o, "metadata"), "finalizers");
    return f && json_object_is_type(f, json_type_array) && json_object_array_length(f) > 0;
}

/* ---- get and list -------------------------------------------------------- */

/* Fetch the addressed object (NULL and a 404 when absent). */
json_object *h_load(api_req *q, api_resp *out)
{
    json_object *o = store_get(q->s->st, q->r->group, q->r->plural, q->r->namespaced ? q->ns : "",
                               q->name);
    if (!o)
        h_not_found(q, q->name, out);
    return o;
}

/* Respond with one object, as a Table when asked. */
void h_respond_obj(api_req *q, int code, json_object *o, api_resp *out)
{
    obj_set_gvk(o, q->r);
    if (table_wanted(q->accept) && !strcmp(q->method, "GET")) {
        json_object *t = table_from(q, json_object_get(o), false);
        api_json(out, code, t);
        json_object_put(t);
        return;
    }
    api_json(out, code, o);
}

/* GET one object. */
static void do_get(api_req *q, api_resp *out)
{
    json_object *o = h_load(q, out);
    if (!o)
        return;
    if (q->sub && !strcmp(q->sub, "status") && !q->r->has_status) {
        json_object_put(o);
        api_status(out, 404, "NotFound", NULL, NULL, NULL,
                   "the server could not find the requested resource");
        return;
    }
    h_respond_obj(q, 200, o, out);
    json_object_put(o);
}

typedef struct {
    api_req *q;
    sel *labels, *fields;
    json_object *items;
    long limit, count;
    char *last_ns, *last_name;
    bool more;
} list_ctx;

/* Visitor: keep matching objects up to the limit, then note whether more exist. */
static bool list_visit(json_object *obj, const char *ns, const char *name, void *ud)
{
    list_ctx *c = ud;
    bool match = sel_match_labels(c->labels, obj) && sel_match_fields(c->fields, obj);
    if (match && c->limit > 0 && c->count == c->limit) {
        c->more = true;
        json_object_put(obj);
        return false;
    }
    if (match) {
        obj_set_gvk(obj, c->q->r);
        json_object_array_add(c->items, obj);
        c->count++;
        free(c->last_ns);
        free(c->last_name);
        c->last_ns = gotk_xstrdup(ns);
        c->last_name = gotk_xstrdup(name);
    } else {
        json_object_put(obj);
    }
    return true;
}

/* Prefilter: skip rows the label selector cannot match without parsing them. */
static bool list_pre(const char *txt, size_t len, void *ud)
{
    return sel_may_match_raw(((list_ctx *)ud)->labels, txt, len);
}

/* A continue token: unpadded URL-safe base64 of "ns/name". Caller frees. */
static char *encode_continue(const char *ns, const char *name)
{
    char *key = gotk_xasprintf("%s/%s", ns, name);
    char *tok = gotk_base64_encode(key, strlen(key));
    for (char *p = tok; *p; p++) {
        if (*p == '+')
            *p = '-';
        else if (*p == '/')
            *p = '_';
        else if (*p == '=')
            *p = '\0';
    }
    free(key);
    return tok;
}

/* Decode a continue token. */
static bool decode_continue(const char *tok, char **ns, char **name)
{
    unsigned char *raw = NULL;
    size_t n = 0, len = strlen(tok);
    char *std = gotk_xmalloc(len + 4);
    for (size_t i = 0; i < len; i++)
        std[i] = tok[i] == '-' ? '+' : tok[i] == '_' ? '/' : tok[i];
    while (len % 4)
        std[len++] = '=';
    std[len] = '\0';
    gotk_err *e = gotk_base64_decode(std, len, &raw, &n);
    free(std);
    if (e) {
        gotk_err_free(e);
        return false;
    }
    char *s = gotk_xstrndup((char *)raw, n);
    free(raw);
    char *slash = strchr(s, '/');
    if (!slash) {
        free(s);
        return false;
    }
    *name = gotk_xstrdup(slash + 1);
    *slash = '\0';
    *ns = s;
    return true;
}

/* LIST with selectors and pagination. */
static void do_list(api_req *q, api_resp *out)
{
    list_ctx c = {.q = q, .limit = q->limit};
    char *err = NULL, *after_ns = NULL, *after_name = NULL;
    c.labels = sel_parse_labels(q->label_selector, &err);
    if (c.labels)
        c.fields = sel_parse_fields(q->field_selector, &err);
    if (!c.labels || !c.fields) {
        api_status(out, 400, "BadRequest", NULL, NULL, NULL, "%s", err);
        goto done;
    }
    if (q->continue_tok && *q->continue_tok &&
        !decode_continue(q->continue_tok, &after_ns, &after_name)) {
        api_status(out, 400, "BadRequest", NULL, NULL, NULL,
                   "continue key is not valid: illegal base64 data");
        goto done;
    }
    c.items = json_object_new_array();
    gotk_err_free(store_list_pre(q->s->st, q->r->group, q->r->plural,
                                 q->r->namespaced ? q->ns : NULL, after_ns, after_name, list_pre,
                                 list_visit, &c));
    json_object *list = json_object_new_object();
    obj_set_gvk(list, q->r);
    jx_set_str(list, "kind", q->r->list_kind);
    json_object *meta = json_object_new_object();
    char rv[24];
    snprintf(rv, sizeof rv, "%lld", (long long)store_rev(q->s->st));
    jx_set_str(meta, "resourceVersion", rv);
    if (c.more) {
        char *tok = encode_continue(c.last_ns, c.last_name);
        jx_set_str(meta, "continue", tok);
        free(tok);
    }
    json_object_object_add(list, "metadata", meta);
    json_object_object_add(list, "items", c.items);
    if (table_wanted(q->accept))
        list = table_from(q, list, true);
    api_json(out, 200, list);
    json_object_put(list);
done:
    free(err);
    free(after_ns);
    free(after_name);
    free(c.last_ns);
    free(c.last_name);
    sel_free(c.labels);
    sel_free(c.fields);
}

/* ---- dispatch -------------------------------------------------------------- */

/* 405 for a verb the path does not take. */
static void not_allowed(api_resp *out)
{
    api_status(out, 405, "MethodNotAllowed", NULL, NULL, NULL,
               "the server does not allow this method on the requested resource");
}

/* Route a resource request to its verb. */
void handle_resource(api_req *q, api_resp *out)
{
    const char *m = q->method;
    if (q->r->review) {
        if (!strcmp(m, "POST") && !q->name && !q->sub)
            do_review(q, out);
        else
            not_allowed(out);
    } else if (q->sub && !strcmp(q->sub, "scale") && q->r->scale_spec && q->name) {
        do_scale(q, out);
    } else if (q->sub && !strcmp(q->sub, "token") && q->name && !q->r->crd &&
               !strcmp(q->r->plural, "serviceaccounts")) {
        do_token_request(q, out);
    } else if (q->sub && strcmp(q->sub, "status")) {
        api_status(out, 404, "NotFound", NULL, NULL, NULL,
                   "the server could not find the requested resource");
    } else if (q->sub && !q->r->has_status) {
        api_status(out, 404, "NotFound", NULL, NULL, NULL,
                   "the server could not find the requested resource");
    } else if (!strcmp(m, "GET")) {
        if (q->name)
            do_get(q, out);
        else
            do_list(q, out);
    } else if (!strcmp(m, "POST")) {
        if (q->name || (q->r->namespaced && !q->ns))
            not_allowed(out);
        else
            do_create(q, out);
    } else if (!strcmp(m, "PUT") && q->name) {
        do_update(q, out);
    } else if (!strcmp(m, "PATCH") && q->name) {
        do_patch(q, out);
    } else if (!strcmp(m, "DELETE")) {
        if (q->name)
            do_delete(q, out);
        else if (q->sub)
            not_allowed(out);
        else
            do_delete_collection(q, out);
    } else {
        not_allowed(out);
    }
}
