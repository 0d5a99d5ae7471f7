/*
 * http.h: starting the HTTPS server (http.c) from main.c.
 */
#ifndef GOTK_APISERVER_HTTP_H
#define GOTK_APISERVER_HTTP_H

#include <microhttpd.h>

#include "apiserver.h"

/* Log one line per request to stderr (--v). */
extern bool http_verbose;
/* Serve the API on a listening socket with the PEM certificate and key. */
struct MHD_Daemon *http_start(apisrv *s, int fd, const char *cert, const char *key);

/* ---- impersonation and audit (audit.c) ---- */

/* Fill id from the connection's Impersonate-* headers; returns NULL, or the
 * message of the server's refusal (groups, uid or extras without a user). */
char *identity_from_headers(struct MHD_Connection *c, api_identity *id);

/* What the audit log records of one request. */
typedef struct {
    const char *verb, *uri;
    const char *resource, *ns, *name, *group, *version, *sub; /* objectRef; resource NULL: none */
    int code;
    bool watch;
    char received[40];
    char created[254]; /* the name a create gave its object (objectRef.name) */
} audit_rec;

/* Append the request's audit event (no-op when a is NULL). For a watch the
 * ResponseStarted event is returned (new reference) for audit_watch_ended. */
json_object *audit_write(audit_log *a, struct MHD_Connection *c, const audit_rec *r,
                         const api_identity *id);
/* Log a watch's end (ResponseComplete) from its started event (consumed). */
void audit_watch_ended(audit_log *a, json_object *started);
/* The audit verb of a request (get, list, watch, create, ...; the lowercase
 * method for paths that are not resources). */
const char *audit_verb(const char *method, const api_req *q, bool resource);

#endif
