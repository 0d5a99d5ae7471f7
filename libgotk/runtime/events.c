/*
 * Kubernetes Events, written the way client-go's event recorder writes them for
 * Flux's controllers: a core/v1 Event named <object>.<unix nanoseconds in hex> in
 * the object's namespace, with involvedObject, reason, message, type (Normal or
 * Warning), source.component and reportingController set to the controller, count 1
 * and first/last timestamps. Annotations passed in (e.g. the revision) are set on
 * the Event. Failing to record an Event is logged, never fatal.
 *
 * Like client-go's event correlator, a repeat of the same Event (same object,
 * type, reason and message) within ten minutes does not create a new object: the
 * recorded one gets count+1 and a new lastTimestamp, so a controller saying "no
 * changes" every interval keeps one Event, not thousands.
 */
#include "gotk/obj.h"
#include "gotk/runtime.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SEEN_SLOTS 1024
#define REPEAT_WINDOW 600 /* seconds */

/* The last Event recorded for one (object, type, reason, message). */
typedef struct {
    char *key;  /* uid \n type \n reason \n message */
    char *ns, *name;
    int count;
    time_t last;
} seen_event;

static seen_event seen[SEEN_SLOTS];
static pthread_mutex_t seen_mu = PTHREAD_MUTEX_INITIALIZER;

/* involvedObject from the object's own metadata. */
static json_object *involved_object(json_object *obj)
{
    static const char *fields[][2] = {
        {"kind", "kind"}, {"namespace", "metadata.namespace"}, {"name", "metadata.name"},
        {"uid", "metadata.uid"}, {"apiVersion", "apiVersion"},
        {"resourceVersion", "metadata.resourceVersion"},
    };
    json_object *ref = json_object_new_object();
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *v = gotk_obj_get_str(obj, fields[i][1]);
        if (v)
            json_object_object_add(ref, fields[i][0], json_object_new_string(v));
    }
    return ref;
}

static void add_str(json_object *o, const char *key, const char *v)
{
    json_object_object_add(o, key, json_object_new_string(v ? v : ""));
}

/* The Event object for `obj`. */
static json_object *build_event(json_object *obj, const char *controller, const char *type,
                                const char *reason, const char *message,
                                json_object *annotations)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char now[32];
    gotk_now_rfc3339(now);
    const char *ns = gotk_obj_get_str(obj, "metadata.namespace");
    const char *name = gotk_obj_get_str(obj, "metadata.name");
    char *ev_name = gotk_xasprintf("%s.%llx", name ? name : "object",
                                   (unsigned long long)ts.tv_sec * 1000000000ull +
                                       (unsigned long long)ts.tv_nsec);
    json_object *ev = json_object_new_object();
    add_str(ev, "apiVersion", "v1");
    add_str(ev, "kind", "Event");
    json_object *meta = json_object_new_object();
    add_str(meta, "name", ev_name);
    add_str(meta, "namespace", ns && *ns ? ns : "default");
    if (annotations)
        json_object_object_add(meta, "annotations", gotk_obj_copy(annotations));
    json_object_object_add(ev, "metadata", meta);
    json_object_object_add(ev, "involvedObject", involved_object(obj));
    add_str(ev, "reason", reason);
    add_str(ev, "message", message);
    json_object *source = json_object_new_object();
    add_str(source, "component", controller);
    json_object_object_add(ev, "source", source);
    add_str(ev, "firstTimestamp", now);
    add_str(ev, "lastTimestamp", now);
    json_object_object_add(ev, "count", json_object_new_int(1));
    add_str(ev, "type", type);
    add_str(ev, "reportingComponent", controller);
    add_str(ev, "reportingInstance", "");
    free(ev_name);
    return ev;
}

static size_t slot_of(const char *key)
{
    size_t h = 1469598103934665603u;
    for (const char *p = key; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    return h % SEEN_SLOTS;
}

/* For a repeat: the recorded Event's namespace/name and its next count. */
static bool repeat_of(const char *key, char **ns, char **name, int *count)
{
    time_t now = time(NULL);
    pthread_mutex_lock(&seen_mu);
    seen_event *s = &seen[slot_of(key)];
    bool hit = s->key && !strcmp(s->key, key) && now - s->last < REPEAT_WINDOW;
    if (hit) {
        *ns = gotk_xstrdup(s->ns);
        *name = gotk_xstrdup(s->name);
        *count = ++s->count;
        s->last = now;
    }
    pthread_mutex_unlock(&seen_mu);
    return hit;
}

/* Remember a newly created Event under its key. */
static void remember(const char *key, json_object *ev)
{
    pthread_mutex_lock(&seen_mu);
    seen_event *s = &seen[slot_of(key)];
    free(s->key);
    free(s->ns);
    free(s->name);
    s->key = gotk_xstrdup(key);
    s->ns = gotk_xstrdup(gotk_obj_get_str(ev, "metadata.namespace"));
    s->name = gotk_xstrdup(gotk_obj_get_str(ev, "metadata.name"));
    s->count = 1;
    s->last = time(NULL);
    pthread_mutex_unlock(&seen_mu);
}

/* Bump the recorded Event's count and lastTimestamp. */
static gotk_err *bump(gotk_kube_client *kube, const char *ns, const char *name, int count)
{
    char now[32];
    gotk_now_rfc3339(now);
    json_object *patch = json_object_new_object();
    json_object_object_add(patch, "count", json_object_new_int(count));
    json_object_object_add(patch, "lastTimestamp", json_object_new_string(now));
    gotk_kube_ref ref = {"v1", "Event", ns, name};
    gotk_err *e = gotk_kube_patch(kube, &ref, GOTK_KUBE_PATCH_MERGE, patch, NULL, NULL);
    json_object_put(patch);
    return e;
}

void gotk_event_record(gotk_kube_client *kube, json_object *obj, const char *controller,
                       bool warning, const char *reason, const char *message,
                       json_object *annotations)
{
    const char *type = warning ? "Warning" : "Normal";
    const char *uid = gotk_obj_get_str(obj, "metadata.uid");
    char *key = gotk_xasprintf("%s\n%s/%s\n%s\n%s\n%s", uid ? uid : "",
                               gotk_obj_get_str(obj, "metadata.namespace") ? gotk_obj_get_str(obj, "metadata.namespace") : "",
                               gotk_obj_get_str(obj, "metadata.name") ? gotk_obj_get_str(obj, "metadata.name") : "",
                               type, reason, message);
    char *ns = NULL, *name = NULL;
    int count = 0;
    if (repeat_of(key, &ns, &name, &count)) {
        gotk_err *e = bump(kube, ns, name, count);
        free(ns);
        free(name);
        if (!e) {
            free(key);
            return;
        }
        gotk_err_free(e); /* gone (expired or deleted): record it anew */
    }
    json_object *ev = build_event(obj, controller, type, reason, message, annotations);
    gotk_err *e = gotk_kube_create(kube, ev, NULL, NULL);
    if (!e)
        remember(key, ev);
    free(key);
    if (e) {
        gotk_log(GOTK_LOG_ERROR, NULL, "unable to record event", "reason", reason, "error",
                 gotk_err_msg(e), (char *)NULL);
        gotk_err_free(e);
    }
    json_object_put(ev);
}
