/*
 * Kubernetes Events, written the way client-go's event recorder writes them for
 * Flux's controllers: a core/v1 Event named <object>.<unix nanoseconds in hex> in
 * the object's namespace, with involvedObject, reason, message, type (Normal or
 * Warning), source.component and reportingController set to the controller, count 1
 * and first/last timestamps. Annotations passed in (e.g. the revision) are set on
 * the Event. Failing to record an Event is logged, never fatal.
 */
#include "gotk/obj.h"
#include "gotk/runtime.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

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

void gotk_event_record(gotk_kube_client *kube, json_object *obj, const char *controller,
                       bool warning, const char *reason, const char *message,
                       json_object *annotations)
{
    json_object *ev = build_event(obj, controller, warning ? "Warning" : "Normal", reason,
                                  message, annotations);
    gotk_err *e = gotk_kube_create(kube, ev, NULL, NULL);
    if (e) {
        gotk_log(GOTK_LOG_ERROR, NULL, "unable to record event", "reason", reason, "error",
                 gotk_err_msg(e), (char *)NULL);
        gotk_err_free(e);
    }
    json_object_put(ev);
}
