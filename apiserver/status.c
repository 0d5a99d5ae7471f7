/*
 * status.c: responses, and failures as Kubernetes Status objects.
 *
 * Every error the server returns is a metav1.Status: kind Status, status
 * Failure, a message, a machine-readable reason (NotFound, AlreadyExists,
 * Conflict, Invalid, BadRequest, Unauthorized, MethodNotAllowed, ...), details
 * naming the object, and the HTTP code repeated in `code` — what clients such as
 * kubectl decode to print "Error from server (NotFound): ...".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "apiserver.h"

/* A Status object as the watch stream's ERROR event carries it. */
json_object *api_status_obj(int code, const char *reason, const char *msg)
{
    json_object *st = json_object_new_object();
    jx_set_str(st, "kind", "Status");
    jx_set_str(st, "apiVersion", "v1");
    json_object_object_add(st, "metadata", json_object_new_object());
    jx_set_str(st, "status", "Failure");
    jx_set_str(st, "message", msg);
    if (reason && *reason)
        jx_set_str(st, "reason", reason);
    json_object_object_add(st, "code", json_object_new_int(code));
    return st;
}

/* Fill a failure response. */
void api_status(api_resp *r, int code, const char *reason, const char *group,
                const char *kind, const char *name, const char *fmt, ...)
{
    va_list ap;
    gotk_buf msg = {0};
    va_start(ap, fmt);
    gotk_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    json_object *st = api_status_obj(code, reason, msg.data ? msg.data : "");
    if (kind || name) {
        json_object *d = json_object_new_object();
        if (name)
            jx_set_str(d, "name", name);
        if (group && *group)
            jx_set_str(d, "group", group);
        if (kind)
            jx_set_str(d, "kind", kind);
        json_object_object_add(st, "details", d);
    }
    free(r->body);
    r->code = code;
    r->body = jx_strdup(st);
    r->ctype = NULL;
    json_object_put(st);
    gotk_buf_free(&msg);
}

/* Fill a response with an object. */
void api_json(api_resp *r, int code, json_object *o)
{
    free(r->body);
    r->code = code;
    r->body = jx_strdup(o);
    r->ctype = NULL;
}

/* The Success status a delete returns once the object is gone. */
void api_status_success(api_resp *r, const char *group, const char *kind,
                        const char *name, const char *uid)
{
    json_object *st = json_object_new_object();
    jx_set_str(st, "kind", "Status");
    jx_set_str(st, "apiVersion", "v1");
    json_object_object_add(st, "metadata", json_object_new_object());
    jx_set_str(st, "status", "Success");
    json_object *d = json_object_new_object();
    jx_set_str(d, "name", name);
    if (group && *group)
        jx_set_str(d, "group", group);
    jx_set_str(d, "kind", kind);
    if (uid)
        jx_set_str(d, "uid", uid);
    json_object_object_add(st, "details", d);
    api_json(r, 200, st);
    json_object_put(st);
}
