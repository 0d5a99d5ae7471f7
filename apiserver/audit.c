/*
 * audit.c: who a request acts as (impersonation) and the audit log.
 *
 * The bearer token is the cluster administrator, who may impersonate anyone,
 * so the Impersonate-User, -Group, -Uid and -Extra-<key> headers are honoured
 * as a real API server honours them for cluster-admin: a service account user
 * (system:serviceaccount:<ns>:<name>) without groups gets its service account
 * groups, and every non-anonymous impersonated user is in
 * system:authenticated. Groups, uid or extras without a user are refused as
 * the server refuses them (500, "requested [...] without impersonating a
 * user").
 *
 * --audit-log-path writes audit.k8s.io/v1 Events at level Metadata as JSON
 * lines with the real field names: one at ResponseComplete per request, and
 * for a watch one at ResponseStarted and one when it ends (same auditID), so
 * the effective user is observable the Kubernetes way.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "apiserver.h"
#include "http.h"

#define ADMIN "gotk-admin"
#define EXTRA_PREFIX "Impersonate-Extra-"

struct audit_log {
    int fd;
    pthread_mutex_t lock;
};

/* ---- identities ------------------------------------------------------------ */

static void user_init(api_user *u, const char *name)
{
    memset(u, 0, sizeof *u);
    u->name = gotk_xstrdup(name);
    u->groups = json_object_new_array();
}

static void add_group(api_user *u, const char *g)
{
    json_object_array_add(u->groups, json_object_new_string(g));
}

static bool has_group(const api_user *u, const char *g)
{
    for (size_t i = 0; i < json_object_array_length(u->groups); i++)
        if (!strcmp(json_object_get_string(json_object_array_get_idx(u->groups, i)), g))
            return true;
    return false;
}

static void user_free(api_user *u)
{
    free(u->name);
    free(u->uid);
    json_object_put(u->groups);
    json_object_put(u->extra);
    memset(u, 0, sizeof *u);
}

void identity_free(api_identity *id)
{
    user_free(&id->user);
    if (id->impersonating)
        user_free(&id->as);
    id->impersonating = false;
}

/* "%xx" unescaping of an extra key (as the server unescapes it), lowercased. */
static char *extra_key(const char *raw)
{
    char *out = gotk_xstrdup(raw), *w = out;
    for (const char *r = raw; *r; r++) {
        if (r[0] == '%' && isxdigit((unsigned char)r[1]) && isxdigit((unsigned char)r[2])) {
            char hex[3] = {r[1], r[2], 0};
            *w++ = (char)strtol(hex, NULL, 16);
            r += 2;
        } else {
            *w++ = (char)tolower((unsigned char)*r);
        }
    }
    *w = '\0';
    return out;
}

/* What the headers ask for, collected by the header iterator. */
typedef struct {
    const char *user, *uid;
    json_object *groups, *extra;
    gotk_buf asked; /* "{Group  g  authentication.k8s.io/v1  } ..." for the error */
} asked;

/* One impersonation request as Go prints an ObjectReference with %v. */
static void asked_ref(asked *a, const char *kind, const char *name, const char *field)
{
    gotk_buf_printf(&a->asked, "%s{%s  %s  authentication.k8s.io/v1  %s}",
                    a->asked.len ? " " : "", kind, name, field);
}

static enum MHD_Result header_visit(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    asked *a = cls;
    (void)kind;
    if (!value || !*value)
        return MHD_YES;
    if (!strcasecmp(key, "Impersonate-User")) {
        a->user = a->user ? a->user : value;
    } else if (!strcasecmp(key, "Impersonate-Uid")) {
        a->uid = a->uid ? a->uid : value;
    } else if (!strcasecmp(key, "Impersonate-Group")) {
        json_object_array_add(a->groups, json_object_new_string(value));
        asked_ref(a, "Group", value, "");
    } else if (!strncasecmp(key, EXTRA_PREFIX, strlen(EXTRA_PREFIX))) {
        char *k = extra_key(key + strlen(EXTRA_PREFIX));
        json_object *vals = jx_get(a->extra, k);
        if (!vals) {
            vals = json_object_new_array();
            json_object_object_add(a->extra, k, vals);
        }
        json_object_array_add(vals, json_object_new_string(value));
        asked_ref(a, "UserExtra", value, k);
        free(k);
    }
    return MHD_YES;
}

/* The impersonated user from what was asked. */
static void impersonate(api_identity *id, asked *a)
{
    api_user *u = &id->as;
    char ns[256];
    bool sa = !strncmp(a->user, "system:serviceaccount:", 22) &&
              sscanf(a->user + 22, "%255[^:]:", ns) == 1 && strchr(a->user + 22, ':');
    user_init(u, a->user);
    for (size_t i = 0; i < json_object_array_length(a->groups); i++)
        add_group(u, json_object_get_string(json_object_array_get_idx(a->groups, i)));
    if (sa && json_object_array_length(a->groups) == 0) {
        char *g = gotk_xasprintf("system:serviceaccounts:%s", ns);
        add_group(u, "system:serviceaccounts");
        add_group(u, g);
        free(g);
    }
    if (!strcmp(a->user, "system:anonymous")) {
        if (!has_group(u, "system:unauthenticated"))
            add_group(u, "system:unauthenticated");
    } else if (!has_group(u, "system:authenticated") && !has_group(u, "system:unauthenticated")) {
        add_group(u, "system:authenticated");
    }
    u->uid = a->uid ? gotk_xstrdup(a->uid) : NULL;
    if (json_object_object_length(a->extra))
        u->extra = json_object_get(a->extra);
    id->impersonating = true;
}

char *identity_from_headers(struct MHD_Connection *c, api_identity *id)
{
    asked a = {.groups = json_object_new_array(), .extra = json_object_new_object()};
    char *err = NULL;
    user_init(&id->user, ADMIN);
    add_group(&id->user, "system:masters");
    add_group(&id->user, "system:authenticated");
    MHD_get_connection_values(c, MHD_HEADER_KIND, header_visit, &a);
    if (a.uid)
        asked_ref(&a, "UID", a.uid, "");
    if (a.user)
        impersonate(id, &a);
    else if (a.asked.len)
        err = gotk_xasprintf("requested [%s] without impersonating a user", a.asked.data);
    json_object_put(a.groups);
    json_object_put(a.extra);
    gotk_buf_free(&a.asked);
    return err;
}

/* ---- the audit log --------------------------------------------------------- */

gotk_err *audit_open(const char *path, audit_log **out)
{
    int fd = !strcmp(path, "-") ? fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0) /* "-": stdout */
                                : open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return gotk_err_errno(errno, "opening the audit log %s", path);
    audit_log *a = gotk_xcalloc(1, sizeof *a);
    a->fd = fd;
    pthread_mutex_init(&a->lock, NULL);
    *out = a;
    return NULL;
}

void audit_close(audit_log *a)
{
    if (!a)
        return;
    close(a->fd);
    pthread_mutex_destroy(&a->lock);
    free(a);
}

void audit_now(char out[40])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 40 - n, ".%06ldZ", ts.tv_nsec / 1000);
}

/* The user as an audit UserInfo. New reference. */
static json_object *user_json(const api_user *u)
{
    json_object *o = json_object_new_object();
    jx_set_str(o, "username", u->name);
    if (u->uid)
        jx_set_str(o, "uid", u->uid);
    json_object_object_add(o, "groups", json_object_get(u->groups));
    if (u->extra)
        json_object_object_add(o, "extra", json_object_get(u->extra));
    return o;
}

/* The client's address as text. */
static void source_ip(struct MHD_Connection *c, char out[INET6_ADDRSTRLEN])
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    strcpy(out, "127.0.0.1");
    if (!ci || !ci->client_addr)
        return;
    if (ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, out,
                  INET6_ADDRSTRLEN);
    else if (ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, out,
                  INET6_ADDRSTRLEN);
}

/* The objectRef of a resource request. New reference, or NULL. */
static json_object *object_ref(const audit_rec *r)
{
    if (!r->resource)
        return NULL;
    json_object *o = json_object_new_object();
    jx_set_str(o, "resource", r->resource);
    if (r->ns)
        jx_set_str(o, "namespace", r->ns);
    if (r->name)
        jx_set_str(o, "name", r->name);
    if (r->group && *r->group)
        jx_set_str(o, "apiGroup", r->group);
    if (r->version)
        jx_set_str(o, "apiVersion", r->version);
    if (r->sub)
        jx_set_str(o, "subresource", r->sub);
    return o;
}

/* Append one event as a JSON line. */
static void emit(audit_log *a, json_object *e)
{
    char *line = gotk_xasprintf("%s\n", jx_str(e));
    pthread_mutex_lock(&a->lock);
    size_t n = strlen(line), off = 0;
    while (off < n) { /* one write normally; O_APPEND keeps lines whole */
        ssize_t w = write(a->fd, line + off, n - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    pthread_mutex_unlock(&a->lock);
    free(line);
}

json_object *audit_write(audit_log *a, struct MHD_Connection *c, const audit_rec *r,
                         const api_identity *id)
{
    if (!a)
        return NULL;
    char uid[37], done[40], ip[INET6_ADDRSTRLEN];
    ax_uuid(uid);
    audit_now(done);
    source_ip(c, ip);
    json_object *e = json_object_new_object(), *ips = json_object_new_array();
    jx_set_str(e, "kind", "Event");
    jx_set_str(e, "apiVersion", "audit.k8s.io/v1");
    jx_set_str(e, "level", "Metadata");
    jx_set_str(e, "auditID", uid);
    jx_set_str(e, "stage", r->watch ? "ResponseStarted" : "ResponseComplete");
    jx_set_str(e, "requestURI", r->uri ? r->uri : "");
    jx_set_str(e, "verb", r->verb);
    if (id && id->user.name)
        json_object_object_add(e, "user", user_json(&id->user));
    if (id && id->impersonating)
        json_object_object_add(e, "impersonatedUser", user_json(&id->as));
    json_object_array_add(ips, json_object_new_string(ip));
    json_object_object_add(e, "sourceIPs", ips);
    const char *ua = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "User-Agent");
    if (ua)
        jx_set_str(e, "userAgent", ua);
    json_object *ref = object_ref(r);
    if (ref)
        json_object_object_add(e, "objectRef", ref);
    json_object *st = json_object_new_object();
    json_object_object_add(st, "metadata", json_object_new_object());
    json_object_object_add(st, "code", json_object_new_int(r->code));
    json_object_object_add(e, "responseStatus", st);
    jx_set_str(e, "requestReceivedTimestamp", r->received);
    jx_set_str(e, "stageTimestamp", done);
    if (r->code != 401) {
        json_object *ann = json_object_new_object();
        jx_set_str(ann, "authorization.k8s.io/decision", "allow");
        jx_set_str(ann, "authorization.k8s.io/reason", "");
        json_object_object_add(e, "annotations", ann);
    }
    emit(a, e);
    if (r->watch)
        return e;
    json_object_put(e);
    return NULL;
}

void audit_watch_ended(audit_log *a, json_object *started)
{
    if (!a || !started)
        return;
    char done[40];
    audit_now(done);
    jx_set_str(started, "stage", "ResponseComplete");
    jx_set_str(started, "stageTimestamp", done);
    emit(a, started);
    json_object_put(started);
}

const char *audit_verb(const char *method, const api_req *q, bool resource)
{
    static const char *const plain[][2] = {{"GET", "get"},       {"POST", "post"},
                                           {"PUT", "put"},       {"PATCH", "patch"},
                                           {"DELETE", "delete"}, {"HEAD", "head"},
                                           {"OPTIONS", "options"}};
    if (resource && !strcmp(method, "GET"))
        return q->watch ? "watch" : q->name ? "get" : "list";
    if (resource && !strcmp(method, "POST"))
        return "create";
    if (resource && !strcmp(method, "PUT"))
        return "update";
    if (resource && !strcmp(method, "DELETE"))
        return q->name ? "delete" : "deletecollection";
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (!strcmp(method, plain[i][0]))
            return plain[i][1];
    return "unknown";
}
