/*
 * defaults.c: the defaults a real API server fills into built-in kinds on
 * every write (pkg/apis/core/v1/defaults.go, apps/v1/defaults.go), so that
 * what clients read back, and what drift detection compares, is what a
 * cluster returns. Defaulted fields belong to no field manager.
 */
#include <string.h>

#include "apiserver.h"

/* Set a string member when absent. */
static void default_str(json_object *o, const char *key, const char *val)
{
    if (!jx_get(o, key))
        jx_set_str(o, key, val);
}

/* Each object element of list member `key` of o, visited. */
static void each(json_object *o, const char *key, void (*fn)(json_object *))
{
    json_object *l = jx_get(o, key);
    for (size_t i = 0; l && json_object_is_type(l, json_type_array) &&
                       i < json_object_array_length(l);
         i++) {
        json_object *el = json_object_array_get_idx(l, i);
        if (el && json_object_is_type(el, json_type_object))
            fn(el);
    }
}

/* A container port: protocol TCP. */
static void default_container_port(json_object *p)
{
    default_str(p, "protocol", "TCP");
}

/* A container. */
static void default_container(json_object *c)
{
    each(c, "ports", default_container_port);
}

/* A pod spec: its containers. */
static void default_pod_spec(json_object *spec)
{
    if (!spec || !json_object_is_type(spec, json_type_object))
        return;
    each(spec, "containers", default_container);
    each(spec, "initContainers", default_container);
    each(spec, "ephemeralContainers", default_container);
}

/* A Service port: protocol TCP, targetPort its port. */
static void default_service_port(json_object *p)
{
    json_object *port = jx_get(p, "port");
    default_str(p, "protocol", "TCP");
    if (!jx_get(p, "targetPort") && port)
        json_object_object_add(p, "targetPort", json_object_get(port));
}

/* Service: type ClusterIP, sessionAffinity None, its ports. */
static void default_service(json_object *o)
{
    json_object *spec = jx_ensure_obj(o, "spec");
    default_str(spec, "type", "ClusterIP");
    default_str(spec, "sessionAffinity", "None");
    each(spec, "ports", default_service_port);
    const char *ip = jx_get_str(spec, "clusterIP");
    if (ip && *ip && !jx_get(spec, "clusterIPs")) { /* clusterIPs[0] is clusterIP */
        json_object *ips = json_object_new_array();
        json_object_array_add(ips, json_object_new_string(ip));
        json_object_object_add(spec, "clusterIPs", ips);
    }
}

/* The pod template spec of a workload kind, or NULL. */
static json_object *template_spec(const char *kind, json_object *o)
{
    json_object *spec = jx_get(o, "spec");
    if (!strcmp(kind, "CronJob"))
        spec = jx_get(jx_get(spec, "jobTemplate"), "spec");
    else if (strcmp(kind, "Deployment") && strcmp(kind, "ReplicaSet") &&
             strcmp(kind, "StatefulSet") && strcmp(kind, "DaemonSet") && strcmp(kind, "Job") &&
             strcmp(kind, "PodTemplate"))
        return NULL;
    if (!strcmp(kind, "PodTemplate"))
        return jx_get(jx_get(o, "template"), "spec");
    return jx_get(jx_get(spec, "template"), "spec");
}

void defaults_apply(const api_resource *r, json_object *o)
{
    if (r->crd || !o || !json_object_is_type(o, json_type_object))
        return;
    if (!*r->group && !strcmp(r->kind, "Service"))
        default_service(o);
    else if (!*r->group && !strcmp(r->kind, "Pod"))
        default_pod_spec(jx_get(o, "spec"));
    else
        default_pod_spec(template_spec(r->kind, o));
}
