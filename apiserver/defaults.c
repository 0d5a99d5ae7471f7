/*
 * defaults.c: the defaults a real API server fills into built-in kinds on
 * every write (pkg/apis/core/v1/defaults.go, apps/v1/defaults.go), so that
 * what clients read back, and what drift detection compares, is what a
 * cluster returns. Defaulted fields belong to no field manager.
 */
#include <stdio.h>
#include <string.h>

#include "apiserver.h"

/* Set a string member when absent. */
static void default_str(json_object *o, const char *key, const char *val)
{
    if (!jx_get(o, key))
        jx_set_str(o, key, val);
}

/* Set an integer member when absent. */
static void default_int(json_object *o, const char *key, int64_t val)
{
    if (!jx_get(o, key))
        json_object_object_add(o, key, json_object_new_int64(val));
}

/* Set a boolean member when absent. */
static void default_bool(json_object *o, const char *key, bool val)
{
    if (!jx_get(o, key))
        json_object_object_add(o, key, json_object_new_boolean(val));
}

/* The object member `key` of o, or NULL when absent or not an object. */
static json_object *obj(json_object *o, const char *key)
{
    json_object *v = jx_get(o, key);
    return v && json_object_is_type(v, json_type_object) ? v : NULL;
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

/* The tag of an image reference ("latest" when it has neither tag nor digest,
 * "" with a digest only), as the server's image name parser finds it. */
static const char *image_tag(const char *image, char *buf, size_t n)
{
    const char *at = strchr(image, '@'), *slash = strrchr(image, '/');
    size_t len = at ? (size_t)(at - image) : strlen(image);
    const char *colon = NULL;
    for (size_t i = 0; i < len; i++)
        if (image[i] == ':' && (!slash || image + i > slash))
            colon = image + i;
    if (!colon)
        return at ? "" : "latest";
    size_t tl = len - (size_t)(colon + 1 - image);
    snprintf(buf, n, "%.*s", (int)tl, colon + 1);
    return buf;
}

/* A probe's thresholds and its HTTP GET's path and scheme. */
static void default_probe(json_object *c, const char *key)
{
    json_object *p = obj(c, key), *get = obj(p, "httpGet");
    if (!p)
        return;
    default_int(p, "timeoutSeconds", 1);
    default_int(p, "periodSeconds", 10);
    default_int(p, "successThreshold", 1);
    default_int(p, "failureThreshold", 3);
    if (get) {
        default_str(get, "path", "/");
        default_str(get, "scheme", "HTTP");
    }
}

/* An env var's field reference: apiVersion v1. */
static void default_env(json_object *e)
{
    json_object *ref = obj(obj(e, "valueFrom"), "fieldRef");
    if (ref)
        default_str(ref, "apiVersion", "v1");
}

/* A container: termination message, pull policy by the tag rule, ports,
 * probes, env field references, and the empty resources the server prints. */
static void default_container(json_object *c)
{
    char tag[256];
    const char *image = jx_get_str(c, "image");
    default_str(c, "terminationMessagePath", "/dev/termination-log");
    default_str(c, "terminationMessagePolicy", "File");
    if (image && !jx_get(c, "imagePullPolicy"))
        jx_set_str(c, "imagePullPolicy",
                   !strcmp(image_tag(image, tag, sizeof tag), "latest") ? "Always"
                                                                         : "IfNotPresent");
    if (!jx_get(c, "resources"))
        json_object_object_add(c, "resources", json_object_new_object());
    each(c, "ports", default_container_port);
    each(c, "env", default_env);
    default_probe(c, "livenessProbe");
    default_probe(c, "readinessProbe");
    default_probe(c, "startupProbe");
}

/* A volume: file modes 0644 for the projected kinds. */
static void default_volume(json_object *v)
{
    static const char *const moded[] = {"configMap", "secret", "downwardAPI", "projected", NULL};
    for (int i = 0; moded[i]; i++) {
        json_object *src = obj(v, moded[i]);
        if (src)
            default_int(src, "defaultMode", 420);
    }
}

/* A pod spec (SetDefaults_PodSpec) and its containers and volumes. */
static void default_pod_spec(json_object *spec)
{
    if (!spec || !json_object_is_type(spec, json_type_object))
        return;
    default_str(spec, "dnsPolicy", "ClusterFirst");
    default_str(spec, "restartPolicy", "Always");
    default_str(spec, "schedulerName", "default-scheduler");
    default_int(spec, "terminationGracePeriodSeconds", 30);
    if (!jx_get(spec, "securityContext"))
        json_object_object_add(spec, "securityContext", json_object_new_object());
    each(spec, "containers", default_container);
    each(spec, "initContainers", default_container);
    each(spec, "ephemeralContainers", default_container);
    each(spec, "volumes", default_volume);
}

/* A RollingUpdate strategy's surge and unavailability ("25%" for
 * Deployments). */
static void default_rolling(json_object *strategy, const char *key, json_object *unavail,
                            json_object *surge)
{
    const char *t = jx_get_str(strategy, "type");
    if (!t) {
        jx_set_str(strategy, "type", "RollingUpdate");
        t = "RollingUpdate";
    }
    if (strcmp(t, "RollingUpdate")) {
        json_object_put(unavail);
        json_object_put(surge);
        return;
    }
    json_object *ru = jx_ensure_obj(strategy, key);
    if (!jx_get(ru, "maxUnavailable") && unavail)
        json_object_object_add(ru, "maxUnavailable", unavail);
    else
        json_object_put(unavail);
    if (!jx_get(ru, "maxSurge") && surge)
        json_object_object_add(ru, "maxSurge", surge);
    else
        json_object_put(surge);
}

/* apps/v1 workloads (apps/v1/defaults.go). */
static void default_workload(const char *kind, json_object *o)
{
    json_object *spec = jx_ensure_obj(o, "spec");
    if (strcmp(kind, "DaemonSet"))
        default_int(spec, "replicas", 1);
    if (strcmp(kind, "ReplicaSet"))
        default_int(spec, "revisionHistoryLimit", 10);
    if (!strcmp(kind, "Deployment")) {
        default_int(spec, "progressDeadlineSeconds", 600);
        default_rolling(jx_ensure_obj(spec, "strategy"), "rollingUpdate",
                        json_object_new_string("25%"), json_object_new_string("25%"));
    } else if (!strcmp(kind, "DaemonSet")) {
        default_rolling(jx_ensure_obj(spec, "updateStrategy"), "rollingUpdate",
                        json_object_new_int(1), json_object_new_int(0));
    } else if (!strcmp(kind, "StatefulSet")) {
        json_object *us = jx_ensure_obj(spec, "updateStrategy");
        default_str(spec, "podManagementPolicy", "OrderedReady");
        default_rolling(us, "rollingUpdate", NULL, NULL);
        if (!strcmp(jx_get_str(us, "type"), "RollingUpdate"))
            default_int(jx_ensure_obj(us, "rollingUpdate"), "partition", 0);
        json_object *ret = jx_ensure_obj(spec, "persistentVolumeClaimRetentionPolicy");
        default_str(ret, "whenDeleted", "Retain");
        default_str(ret, "whenScaled", "Retain");
    }
}

/* A Job without labels takes its template's (SetDefaults_Job). */
static void default_job_labels(json_object *o)
{
    json_object *meta = jx_ensure_obj(o, "metadata"), *own = obj(meta, "labels");
    json_object *tl = obj(obj(obj(obj(o, "spec"), "template"), "metadata"), "labels");
    if ((!own || !json_object_object_length(own)) && tl && json_object_object_length(tl))
        json_object_object_add(meta, "labels", gotk_obj_copy(tl));
}

/* batch/v1 Jobs and CronJobs (batch/v1/defaults.go). */
static void default_job_spec(json_object *spec)
{
    if (!spec)
        return;
    if (!jx_get(spec, "completions") && !jx_get(spec, "parallelism")) {
        default_int(spec, "completions", 1);
        default_int(spec, "parallelism", 1);
    }
    default_int(spec, "parallelism", 1);
    default_int(spec, "backoffLimit", 6);
    default_str(spec, "completionMode", "NonIndexed");
    default_bool(spec, "suspend", false);
    default_str(spec, "podReplacementPolicy",
                jx_get(spec, "podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
}

static void default_cronjob(json_object *o)
{
    json_object *spec = jx_ensure_obj(o, "spec");
    default_str(spec, "concurrencyPolicy", "Allow");
    default_bool(spec, "suspend", false);
    default_int(spec, "successfulJobsHistoryLimit", 3);
    default_int(spec, "failedJobsHistoryLimit", 1);
    default_job_spec(obj(obj(spec, "jobTemplate"), "spec"));
}

/* A Service port: protocol TCP, targetPort its port. */
static void default_service_port(json_object *p)
{
    json_object *port = jx_get(p, "port");
    default_str(p, "protocol", "TCP");
    if (!jx_get(p, "targetPort") && port)
        json_object_object_add(p, "targetPort", json_object_get(port));
}

/* Service: type ClusterIP, sessionAffinity None, its ports, traffic
 * policies, and single-stack IPv4 for the kinds that have cluster IPs. */
static void default_service(json_object *o)
{
    json_object *spec = jx_ensure_obj(o, "spec");
    default_str(spec, "type", "ClusterIP");
    default_str(spec, "sessionAffinity", "None");
    each(spec, "ports", default_service_port);
    const char *type = jx_get_str(spec, "type");
    bool lb = !strcmp(type, "LoadBalancer"), np = !strcmp(type, "NodePort");
    bool cip = !strcmp(type, "ClusterIP");
    json_object *ext = jx_get(spec, "externalIPs");
    if (lb || np || (cip && ext && json_object_array_length(ext)))
        default_str(spec, "externalTrafficPolicy", "Cluster");
    if (lb || np || cip) {
        default_str(spec, "internalTrafficPolicy", "Cluster");
        const char *ip = jx_get_str(spec, "clusterIP");
        bool headless_bare = ip && !strcmp(ip, "None") && !jx_get(spec, "selector");
        default_str(spec, "ipFamilyPolicy", headless_bare ? "RequireDualStack" : "SingleStack");
        if (!jx_get(spec, "ipFamilies")) {
            json_object *f = json_object_new_array();
            json_object_array_add(f, json_object_new_string("IPv4"));
            json_object_object_add(spec, "ipFamilies", f);
        }
    }
    if (lb)
        default_bool(spec, "allocateLoadBalancerNodePorts", true);
    const char *ip = jx_get_str(spec, "clusterIP");
    if (ip && *ip && !jx_get(spec, "clusterIPs")) { /* clusterIPs[0] is clusterIP */
        json_object *ips = json_object_new_array();
        json_object_array_add(ips, json_object_new_string(ip));
        json_object_object_add(spec, "clusterIPs", ips);
    }
    if (!jx_get(o, "status"))
        json_object_object_add(jx_ensure_obj(o, "status"), "loadBalancer",
                               json_object_new_object());
}

/* The pod template spec of a workload kind, or NULL. */
static json_object *template_spec(const char *kind, json_object *o)
{
    json_object *spec = jx_get(o, "spec");
    if (!strcmp(kind, "PodTemplate"))
        return jx_get(jx_get(o, "template"), "spec");
    if (!strcmp(kind, "CronJob"))
        spec = jx_get(jx_get(spec, "jobTemplate"), "spec");
    else if (strcmp(kind, "Deployment") && strcmp(kind, "ReplicaSet") &&
             strcmp(kind, "StatefulSet") && strcmp(kind, "DaemonSet") && strcmp(kind, "Job"))
        return NULL;
    return jx_get(jx_get(spec, "template"), "spec");
}

/* A template's metadata shows creationTimestamp: null, as the server's
 * serializer writes the zero time of an embedded ObjectMeta. */
static void template_meta(json_object *tmpl)
{
    if (!tmpl || !json_object_is_type(tmpl, json_type_object))
        return;
    json_object *m = jx_ensure_obj(tmpl, "metadata");
    if (!json_object_object_get_ex(m, "creationTimestamp", NULL))
        json_object_object_add(m, "creationTimestamp", NULL);
}

void defaults_apply(const api_resource *r, json_object *o)
{
    if (r->crd || !o || !json_object_is_type(o, json_type_object))
        return;
    if (!*r->group && !strcmp(r->kind, "Service")) {
        default_service(o);
        return;
    }
    if (!*r->group && !strcmp(r->kind, "PersistentVolumeClaim")) {
        default_str(jx_ensure_obj(o, "spec"), "volumeMode", "Filesystem");
        return;
    }
    if (!*r->group && !strcmp(r->kind, "Pod")) {
        json_object *spec = jx_ensure_obj(o, "spec");
        default_pod_spec(spec);
        default_bool(spec, "enableServiceLinks", true);
        return;
    }
    if (!strcmp(r->group, "apps"))
        default_workload(r->kind, o);
    else if (!strcmp(r->group, "batch") && !strcmp(r->kind, "Job")) {
        default_job_labels(o);
        default_job_spec(jx_ensure_obj(o, "spec"));
    }
    else if (!strcmp(r->group, "batch") && !strcmp(r->kind, "CronJob"))
        default_cronjob(o);
    json_object *ts = template_spec(r->kind, o), *spec = jx_get(o, "spec");
    if (!ts)
        return;
    if (!strcmp(r->kind, "CronJob")) {
        template_meta(jx_get(spec, "jobTemplate"));
        spec = jx_get(jx_get(spec, "jobTemplate"), "spec");
    }
    template_meta(jx_get(!strcmp(r->kind, "PodTemplate") ? o : spec, "template"));
    default_pod_spec(ts);
}

void defaults_job_selector(const api_resource *r, json_object *o)
{
    if (r->crd || strcmp(r->group, "batch") || strcmp(r->kind, "Job"))
        return;
    json_object *spec = jx_ensure_obj(o, "spec"), *manual = jx_get(spec, "manualSelector");
    if (manual && json_object_get_boolean(manual))
        return;
    const char *name = jx_meta_str(o, "name"), *uid = jx_meta_str(o, "uid");
    json_object *tmeta = jx_ensure_obj(jx_ensure_obj(spec, "template"), "metadata");
    json_object *labels = jx_ensure_obj(tmeta, "labels");
    static const char *const by_name[] = {"job-name", "batch.kubernetes.io/job-name", NULL};
    static const char *const by_uid[] = {"controller-uid", "batch.kubernetes.io/controller-uid",
                                         NULL};
    for (int i = 0; by_name[i]; i++)
        default_str(labels, by_name[i], name ? name : "");
    for (int i = 0; by_uid[i]; i++)
        default_str(labels, by_uid[i], uid ? uid : "");
    json_object *ml = jx_ensure_obj(jx_ensure_obj(spec, "selector"), "matchLabels");
    default_str(ml, "batch.kubernetes.io/controller-uid", uid ? uid : "");
    json_object *meta = jx_ensure_obj(o, "metadata"), *own = jx_get(meta, "labels");
    if (!own || !json_object_is_type(own, json_type_object) || !json_object_object_length(own)) {
        own = jx_ensure_obj(meta, "labels");
        jx_set_str(own, "batch.kubernetes.io/controller-uid", uid ? uid : "");
        jx_set_str(own, "batch.kubernetes.io/job-name", name ? name : "");
    }
}
