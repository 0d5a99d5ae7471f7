/*
 * table_builtins.c: kind-specific Table columns of built-in resources.
 *
 * Each kind is a list of columns (name, type, priority, cell function), in the
 * order and with the priorities of Kubernetes v1.32's printers; priority 1
 * columns are the ones `kubectl get -o wide` adds. The server always fills
 * every column (as Kubernetes' server-side printing does); kubectl hides the
 * wide ones. Status-derived cells print what the stored status holds: this
 * server runs no controllers, so most of them show an empty status's values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table_builtins.h"
#include "table_format.h"

/* Number of keys in one or two map members (ConfigMap/Secret DATA). */
static int count_keys(json_object *o, const char *a, const char *b)
{
    json_object *x = jx_get(o, a), *y = b ? jx_get(o, b) : NULL;
    int n = x && json_object_is_type(x, json_type_object) ? json_object_object_length(x) : 0;
    return n + (y && json_object_is_type(y, json_type_object) ? json_object_object_length(y) : 0);
}

/* A pod template's containers (pod spec under `tmpl`). */
static json_object *template_containers(json_object *tmpl)
{
    return table_at(jx_get(tmpl, "spec"), "containers", NULL);
}

/* ---- common cells ------------------------------------------------------------- */

static json_object *c_age(json_object *o)
{
    return table_age_cell(jx_meta_str(o, "creationTimestamp"));
}

static json_object *c_created_at(json_object *o)
{
    return table_str_or(jx_meta_str(o, "creationTimestamp"), "");
}

static json_object *spec_template(json_object *o)
{
    return table_at(o, "spec", "template");
}

static json_object *c_containers(json_object *o)
{
    return table_joined_cell(template_containers(spec_template(o)), "name");
}

static json_object *c_images(json_object *o)
{
    return table_joined_cell(template_containers(spec_template(o)), "image");
}

static json_object *c_selector(json_object *o)
{
    return table_selector_cell(table_at(o, "spec", "selector"));
}

/* "ready/desired" of a workload whose spec.replicas defaults to 1. */
static json_object *c_ready_of_replicas(json_object *o)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%lld/%lld", table_int_of(table_at(o, "status", "readyReplicas"), 0),
             table_int_of(table_at(o, "spec", "replicas"), 1));
    return json_object_new_string(buf);
}

#define STATUS_INT(fn, field)                                                                      \
    static json_object *fn(json_object *o)                                                         \
    {                                                                                              \
        return json_object_new_int64(table_int_of(table_at(o, "status", field), 0));               \
    }
STATUS_INT(c_status_replicas, "replicas")
STATUS_INT(c_ready_replicas, "readyReplicas")
STATUS_INT(c_updated_replicas, "updatedReplicas")
STATUS_INT(c_available_replicas, "availableReplicas")
STATUS_INT(c_ds_desired, "desiredNumberScheduled")
STATUS_INT(c_ds_current, "currentNumberScheduled")
STATUS_INT(c_ds_ready, "numberReady")
STATUS_INT(c_ds_updated, "updatedNumberScheduled")
STATUS_INT(c_ds_available, "numberAvailable")
STATUS_INT(c_pdb_allowed, "disruptionsAllowed")

static json_object *c_spec_replicas(json_object *o)
{
    return json_object_new_int64(table_int_of(table_at(o, "spec", "replicas"), 1));
}

static json_object *c_status_phase(json_object *o)
{
    return table_str_or(jx_get_str(jx_get(o, "status"), "phase"), "");
}

/* ---- core kinds ----------------------------------------------------------------- */

static json_object *c_pod_ready(json_object *o)
{
    json_object *cs = table_at(o, "status", "containerStatuses");
    long ready = 0;
    char buf[48];
    for (size_t i = 0; i < table_arr_len(cs); i++) {
        json_object *rd = jx_get(json_object_array_get_idx(cs, i), "ready");
        ready += rd && json_object_get_boolean(rd);
    }
    snprintf(buf, sizeof buf, "%ld/%zu", ready, table_arr_len(table_at(o, "spec", "containers")));
    return json_object_new_string(buf);
}

static json_object *c_pod_restarts(json_object *o)
{
    json_object *cs = table_at(o, "status", "containerStatuses");
    long long n = 0;
    for (size_t i = 0; i < table_arr_len(cs); i++)
        n += table_int_of(jx_get(json_object_array_get_idx(cs, i), "restartCount"), 0);
    return json_object_new_int64(n);
}

static json_object *c_svc_type(json_object *o)
{
    return table_str_or(jx_get_str(jx_get(o, "spec"), "type"), "ClusterIP");
}

static json_object *c_svc_cluster_ip(json_object *o)
{
    const char *ip = jx_get_str(jx_get(o, "spec"), "clusterIP");
    return table_str_or(ip && *ip ? ip : NULL, "<none>");
}

/* A pod's first IP, node and nominated node, "<none>" until set. */
static json_object *c_pod_ip(json_object *o)
{
    json_object *ips = table_at(o, "status", "podIPs");
    const char *ip = table_arr_len(ips) ? jx_get_str(json_object_array_get_idx(ips, 0), "ip") : NULL;
    return table_str_or(ip && *ip ? ip : NULL, "<none>");
}

static json_object *c_pod_node(json_object *o)
{
    const char *n = jx_get_str(jx_get(o, "spec"), "nodeName");
    return table_str_or(n && *n ? n : NULL, "<none>");
}

static json_object *c_pod_nominated(json_object *o)
{
    const char *n = jx_get_str(jx_get(o, "status"), "nominatedNodeName");
    return table_str_or(n && *n ? n : NULL, "<none>");
}

/* Readiness gates as "ready/total" by the pod's conditions, as kubectl's printer. */
static json_object *c_pod_gates(json_object *o)
{
    json_object *gates = table_at(o, "spec", "readinessGates"), *conds = table_at(o, "status", "conditions");
    size_t n = table_arr_len(gates), ready = 0;
    if (!n)
        return json_object_new_string("<none>");
    for (size_t i = 0; i < n; i++) {
        const char *t = jx_get_str(json_object_array_get_idx(gates, i), "conditionType");
        for (size_t j = 0; t && j < table_arr_len(conds); j++) {
            json_object *c = json_object_array_get_idx(conds, j);
            const char *ct = jx_get_str(c, "type"), *st = jx_get_str(c, "status");
            if (ct && st && !strcmp(ct, t) && !strcmp(st, "True"))
                ready++;
        }
    }
    char buf[48];
    snprintf(buf, sizeof buf, "%zu/%zu", ready, n);
    return json_object_new_string(buf);
}

static json_object *c_none(json_object *o)
{
    (void)o;
    return json_object_new_string("<none>");
}

static json_object *c_svc_ports(json_object *o)
{
    json_object *ports = table_at(o, "spec", "ports");
    gotk_buf b = {0};
    for (size_t i = 0; i < table_arr_len(ports); i++) {
        json_object *p = json_object_array_get_idx(ports, i), *np = jx_get(p, "nodePort");
        const char *proto = jx_get_str(p, "protocol");
        gotk_buf_printf(&b, "%s%lld", i ? "," : "", table_int_of(jx_get(p, "port"), 0));
        if (np)
            gotk_buf_printf(&b, ":%lld", table_int_of(np, 0));
        gotk_buf_printf(&b, "/%s", proto ? proto : "TCP");
    }
    return table_buf_cell(&b, "<none>");
}

static json_object *c_cm_data(json_object *o)
{
    return json_object_new_int(count_keys(o, "data", "binaryData"));
}

static json_object *c_secret_type(json_object *o)
{
    return table_str_or(jx_get_str(o, "type"), "Opaque");
}

static json_object *c_secret_data(json_object *o)
{
    return json_object_new_int(count_keys(o, "data", "stringData"));
}

static json_object *c_sa_secrets(json_object *o)
{
    return json_object_new_int64((long long)table_arr_len(jx_get(o, "secrets")));
}

/* One endpoint address, bracketing IPv6 as net.JoinHostPort does. */
static void endpoint_text(gotk_buf *b, const char *ip, json_object *port)
{
    bool v6 = ip && strchr(ip, ':');
    gotk_buf_printf(b, "%s%s%s%s", b->len ? "," : "", v6 ? "[" : "", ip ? ip : "", v6 ? "]" : "");
    if (port)
        gotk_buf_printf(b, ":%lld", table_int_of(jx_get(port, "port"), 0));
}

/* Endpoints: up to three "ip:port", then " + N more..."; "<none>" without subsets. */
static json_object *c_endpoints(json_object *o)
{
    json_object *subsets = jx_get(o, "subsets");
    if (!table_arr_len(subsets))
        return json_object_new_string("<none>");
    gotk_buf b = {0};
    size_t shown = 0, count = 0;
    for (size_t s = 0; s < table_arr_len(subsets); s++) {
        json_object *ss = json_object_array_get_idx(subsets, s);
        json_object *addrs = jx_get(ss, "addresses"), *ports = jx_get(ss, "ports");
        size_t np = table_arr_len(ports) ? table_arr_len(ports) : 1;
        for (size_t p = 0; p < np; p++) {
            count += table_arr_len(addrs);
            for (size_t a = 0; a < table_arr_len(addrs) && shown < 3; a++, shown++)
                endpoint_text(&b, jx_get_str(json_object_array_get_idx(addrs, a), "ip"),
                              table_arr_len(ports) ? json_object_array_get_idx(ports, p) : NULL);
        }
    }
    if (count > 3)
        gotk_buf_printf(&b, " + %zu more...", count - 3);
    return table_buf_cell(&b, "");
}

static json_object *c_rq_column(json_object *o, bool limits)
{
    json_object *hard = table_at(o, "status", "hard"), *used = table_at(o, "status", "used");
    size_t n;
    const char **keys = table_sorted_keys(hard, &n);
    gotk_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if ((strncmp(keys[i], "limits.", 7) == 0) != limits)
            continue;
        const char *u = jx_get_str(used, keys[i]);
        gotk_buf_printf(&b, "%s%s: %s/%s", b.len ? ", " : "", keys[i], u ? u : "0",
                        jx_get_str(hard, keys[i]));
    }
    free(keys);
    return table_buf_cell(&b, "");
}

static json_object *c_rq_request(json_object *o)
{
    return c_rq_column(o, false);
}

static json_object *c_rq_limit(json_object *o)
{
    return c_rq_column(o, true);
}

/* PVC status: "Terminating" while deleting, else the phase. */
static json_object *c_pvc_status(json_object *o)
{
    if (jx_meta_str(o, "deletionTimestamp"))
        return json_object_new_string("Terminating");
    return c_status_phase(o);
}

static json_object *c_pvc_volume(json_object *o)
{
    return table_str_or(jx_get_str(jx_get(o, "spec"), "volumeName"), "");
}

static bool pvc_bound(json_object *o)
{
    const char *v = jx_get_str(jx_get(o, "spec"), "volumeName");
    return v && *v;
}

static json_object *c_pvc_capacity(json_object *o)
{
    const char *c = pvc_bound(o) ? jx_get_str(table_at(o, "status", "capacity"), "storage") : NULL;
    return table_str_or(pvc_bound(o) && !c ? "0" : c, "");
}

/* Access modes in the short form, in Kubernetes' fixed order. */
static json_object *c_pvc_access(json_object *o)
{
    static const char *const modes[][2] = {{"ReadWriteOnce", "RWO"},
                                           {"ReadOnlyMany", "ROX"},
                                           {"ReadWriteMany", "RWX"},
                                           {"ReadWriteOncePod", "RWOP"}};
    json_object *am = table_at(o, "status", "accessModes");
    gotk_buf b = {0};
    for (size_t m = 0; pvc_bound(o) && m < 4; m++)
        for (size_t i = 0; i < table_arr_len(am); i++)
            if (!strcmp(json_object_get_string(json_object_array_get_idx(am, i)), modes[m][0])) {
                gotk_buf_printf(&b, "%s%s", b.len ? "," : "", modes[m][1]);
                break;
            }
    return table_buf_cell(&b, "");
}

static json_object *c_pvc_class(json_object *o)
{
    const char *a = jx_get_str(table_at(o, "metadata", "annotations"),
                               "volume.beta.kubernetes.io/storage-class");
    return table_str_or(a ? a : jx_get_str(jx_get(o, "spec"), "storageClassName"), "");
}

/* The volume attributes class, "<unset>" only when the field is absent. */
static json_object *c_pvc_vac(json_object *o)
{
    return table_str_or(jx_get_str(jx_get(o, "spec"), "volumeAttributesClassName"), "<unset>");
}

static json_object *c_pvc_mode(json_object *o)
{
    return table_str_or(jx_get_str(jx_get(o, "spec"), "volumeMode"), "<unset>");
}

/* ---- apps, batch ---------------------------------------------------------------- */

static json_object *c_svc_selector(json_object *o)
{
    return table_labels_cell(table_at(o, "spec", "selector"));
}

static json_object *c_ds_node_selector(json_object *o)
{
    return table_labels_cell(table_at(jx_get(spec_template(o), "spec"), "nodeSelector", NULL));
}

static bool has_condition(json_object *o, const char *type)
{
    json_object *conds = table_at(o, "status", "conditions");
    for (size_t i = 0; i < table_arr_len(conds); i++) {
        json_object *c = json_object_array_get_idx(conds, i);
        const char *t = jx_get_str(c, "type"), *s = jx_get_str(c, "status");
        if (t && s && !strcmp(t, type) && !strcmp(s, "True"))
            return true;
    }
    return false;
}

static json_object *c_job_status(json_object *o)
{
    const char *s = has_condition(o, "Complete")             ? "Complete"
                    : has_condition(o, "Failed")             ? "Failed"
                    : jx_meta_str(o, "deletionTimestamp")    ? "Terminating"
                    : has_condition(o, "Suspended")          ? "Suspended"
                    : has_condition(o, "FailureTarget")      ? "FailureTarget"
                                                             : "Running";
    return json_object_new_string(s);
}

static json_object *c_job_completions(json_object *o)
{
    json_object *spec = jx_get(o, "spec"), *comp = jx_get(spec, "completions");
    long long done = table_int_of(table_at(o, "status", "succeeded"), 0);
    long long par = table_int_of(jx_get(spec, "parallelism"), 0);
    char buf[96];
    if (comp)
        snprintf(buf, sizeof buf, "%lld/%lld", done, table_int_of(comp, 0));
    else if (par > 1)
        snprintf(buf, sizeof buf, "%lld/1 of %lld", done, par);
    else
        snprintf(buf, sizeof buf, "%lld/1", done);
    return json_object_new_string(buf);
}

static json_object *c_job_duration(json_object *o)
{
    json_object *st = jx_get(o, "status");
    const char *start = jx_get_str(st, "startTime");
    if (!start)
        return json_object_new_string("");
    return table_span_cell(start, jx_get_str(st, "completionTime"));
}

static json_object *cj_job_template(json_object *o)
{
    return table_at(table_at(o, "spec", "jobTemplate"), "spec", "template");
}

static json_object *c_cj_schedule(json_object *o)
{
    return table_str_or(jx_get_str(jx_get(o, "spec"), "schedule"), "");
}

static json_object *c_cj_timezone(json_object *o)
{
    return table_str_or(jx_get_str(jx_get(o, "spec"), "timeZone"), "<none>");
}

/* printBoolPtr: "<unset>" when absent. */
static json_object *c_cj_suspend(json_object *o)
{
    json_object *s = table_at(o, "spec", "suspend");
    return json_object_new_string(!s ? "<unset>" : json_object_get_boolean(s) ? "true" : "false");
}

static json_object *c_cj_active(json_object *o)
{
    return json_object_new_int64((long long)table_arr_len(table_at(o, "status", "active")));
}

static json_object *c_cj_last(json_object *o)
{
    const char *t = jx_get_str(jx_get(o, "status"), "lastScheduleTime");
    return t ? table_age_cell(t) : json_object_new_string("<none>");
}

static json_object *c_cj_containers(json_object *o)
{
    return table_joined_cell(template_containers(cj_job_template(o)), "name");
}

static json_object *c_cj_images(json_object *o)
{
    return table_joined_cell(template_containers(cj_job_template(o)), "image");
}

static json_object *c_cj_selector(json_object *o)
{
    return table_selector_cell(table_at(table_at(o, "spec", "jobTemplate"), "spec", "selector"));
}

/* ---- networking, rbac, policy, scheduling, coordination ------------------------- */

static json_object *c_ing_class(json_object *o)
{
    return table_str_or(jx_get_str(jx_get(o, "spec"), "ingressClassName"), "<none>");
}

/* Up to three rule hosts, "*" when none names one. */
static json_object *c_ing_hosts(json_object *o)
{
    json_object *rules = table_at(o, "spec", "rules");
    size_t listed = 0;
    bool more = false;
    gotk_buf b = {0};
    for (size_t i = 0; i < table_arr_len(rules); i++) {
        const char *h = jx_get_str(json_object_array_get_idx(rules, i), "host");
        if (listed == 3)
            more = true;
        if (!more && h && *h) {
            gotk_buf_printf(&b, "%s%s", listed ? "," : "", h);
            listed++;
        }
    }
    if (more)
        gotk_buf_printf(&b, " + %zu more...", table_arr_len(rules) - 3);
    return table_buf_cell(&b, "*");
}

/* Load balancer points (each its IP, else its hostname), sorted and unique. */
static json_object *c_ing_address(json_object *o)
{
    json_object *lb = table_at(table_at(o, "status", "loadBalancer"), "ingress", NULL);
    size_t n = 0;
    const char **pts = gotk_xcalloc(table_arr_len(lb) + 1, sizeof *pts);
    for (size_t i = 0; i < table_arr_len(lb); i++) {
        json_object *e = json_object_array_get_idx(lb, i);
        const char *ip = jx_get_str(e, "ip"), *host = jx_get_str(e, "hostname");
        const char *pt = ip && *ip ? ip : host;
        if (pt && *pt)
            pts[n++] = pt;
    }
    table_sort_strings(pts, n);
    gotk_buf b = {0};
    for (size_t i = 0; i < n; i++)
        if (!i || strcmp(pts[i], pts[i - 1]))
            gotk_buf_printf(&b, "%s%s", b.len ? "," : "", pts[i]);
    free(pts);
    return table_buf_cell(&b, "");
}

static json_object *c_ing_ports(json_object *o)
{
    return json_object_new_string(table_arr_len(table_at(o, "spec", "tls")) ? "80, 443" : "80");
}

static json_object *c_np_selector(json_object *o)
{
    return table_selector_cell(table_at(o, "spec", "podSelector"));
}

static json_object *c_rb_role(json_object *o)
{
    json_object *ref = jx_get(o, "roleRef");
    const char *k = jx_get_str(ref, "kind"), *n = jx_get_str(ref, "name");
    char *s = gotk_xasprintf("%s/%s", k ? k : "", n ? n : "");
    json_object *c = json_object_new_string(s);
    free(s);
    return c;
}

/* Subjects of one kind joined with ", "; service accounts print as "namespace/name". */
static json_object *subjects_cell(json_object *o, const char *kind)
{
    json_object *subs = jx_get(o, "subjects");
    gotk_buf b = {0};
    for (size_t i = 0; i < table_arr_len(subs); i++) {
        json_object *s = json_object_array_get_idx(subs, i);
        const char *k = jx_get_str(s, "kind"), *n = jx_get_str(s, "name");
        const char *ns = jx_get_str(s, "namespace");
        if (!k || strcmp(k, kind))
            continue;
        gotk_buf_puts(&b, b.len ? ", " : "");
        if (!strcmp(kind, "ServiceAccount"))
            gotk_buf_printf(&b, "%s/", ns ? ns : "");
        gotk_buf_puts(&b, n ? n : "");
    }
    return table_buf_cell(&b, "");
}

static json_object *c_rb_users(json_object *o)
{
    return subjects_cell(o, "User");
}

static json_object *c_rb_groups(json_object *o)
{
    return subjects_cell(o, "Group");
}

static json_object *c_rb_sas(json_object *o)
{
    return subjects_cell(o, "ServiceAccount");
}

static json_object *c_pc_value(json_object *o)
{
    return json_object_new_int64(table_int_of(jx_get(o, "value"), 0));
}

static json_object *c_pc_default(json_object *o)
{
    json_object *g = jx_get(o, "globalDefault");
    return json_object_new_boolean(g && json_object_get_boolean(g));
}

static json_object *c_pc_preemption(json_object *o)
{
    return table_str_or(jx_get_str(o, "preemptionPolicy"), "");
}

static json_object *c_lease_holder(json_object *o)
{
    return table_str_or(jx_get_str(jx_get(o, "spec"), "holderIdentity"), "");
}

/* IntOrString as its String(): the number or the text, "N/A" when absent. */
static json_object *int_or_string_cell(json_object *v)
{
    if (!v)
        return json_object_new_string("N/A");
    return json_object_new_string(json_object_get_string(v));
}

static json_object *c_pdb_min(json_object *o)
{
    return int_or_string_cell(table_at(o, "spec", "minAvailable"));
}

static json_object *c_pdb_max(json_object *o)
{
    return int_or_string_cell(table_at(o, "spec", "maxUnavailable"));
}

/* ---- the kinds ---------------------------------------------------------------- */

typedef struct {
    const char *name, *type;
    int priority;
    json_object *(*cell)(json_object *obj);
} bcol;

typedef struct {
    const char *group, *kind;
    const bcol *cols;
} bkind;

#define AGE {"Age", "string", 0, c_age}
#define END {NULL, NULL, 0, NULL}
#define WIDE_TEMPLATE                                                                              \
    {"Containers", "string", 1, c_containers}, {"Images", "string", 1, c_images}

static const bcol age_only[] = {AGE, END};
static const bcol created_only[] = {{"Created At", "date", 0, c_created_at}, END};
static const bcol pod_cols[] = {{"Ready", "string", 0, c_pod_ready},
                                {"Status", "string", 0, c_status_phase},
                                {"Restarts", "string", 0, c_pod_restarts}, AGE,
                                {"IP", "string", 1, c_pod_ip},
                                {"Node", "string", 1, c_pod_node},
                                {"Nominated Node", "string", 1, c_pod_nominated},
                                {"Readiness Gates", "string", 1, c_pod_gates}, END};
static const bcol svc_cols[] = {{"Type", "string", 0, c_svc_type},
                                {"Cluster-IP", "string", 0, c_svc_cluster_ip},
                                {"External-IP", "string", 0, c_none},
                                {"Port(s)", "string", 0, c_svc_ports}, AGE,
                                {"Selector", "string", 1, c_svc_selector}, END};
static const bcol cm_cols[] = {{"Data", "string", 0, c_cm_data}, AGE, END};
static const bcol secret_cols[] = {{"Type", "string", 0, c_secret_type},
                                   {"Data", "string", 0, c_secret_data}, AGE, END};
static const bcol ns_cols[] = {{"Status", "string", 0, c_status_phase}, AGE, END};
static const bcol sa_cols[] = {{"Secrets", "string", 0, c_sa_secrets}, AGE, END};
static const bcol ep_cols[] = {{"Endpoints", "string", 0, c_endpoints}, AGE, END};
static const bcol rq_cols[] = {AGE, {"Request", "string", 0, c_rq_request},
                               {"Limit", "string", 0, c_rq_limit}, END};
static const bcol pvc_cols[] = {{"Status", "string", 0, c_pvc_status},
                                {"Volume", "string", 0, c_pvc_volume},
                                {"Capacity", "string", 0, c_pvc_capacity},
                                {"Access Modes", "string", 0, c_pvc_access},
                                {"StorageClass", "string", 0, c_pvc_class},
                                {"VolumeAttributesClass", "string", 0, c_pvc_vac},
                                AGE,
                                {"VolumeMode", "string", 1, c_pvc_mode},
                                END};
static const bcol deploy_cols[] = {{"Ready", "string", 0, c_ready_of_replicas},
                                   {"Up-to-date", "string", 0, c_updated_replicas},
                                   {"Available", "string", 0, c_available_replicas},
                                   AGE,
                                   WIDE_TEMPLATE,
                                   {"Selector", "string", 1, c_selector},
                                   END};
static const bcol rs_cols[] = {{"Desired", "integer", 0, c_spec_replicas},
                               {"Current", "integer", 0, c_status_replicas},
                               {"Ready", "integer", 0, c_ready_replicas},
                               AGE,
                               WIDE_TEMPLATE,
                               {"Selector", "string", 1, c_selector},
                               END};
static const bcol sts_cols[] = {{"Ready", "string", 0, c_ready_of_replicas}, AGE, WIDE_TEMPLATE,
                                END};
static const bcol ds_cols[] = {{"Desired", "integer", 0, c_ds_desired},
                               {"Current", "integer", 0, c_ds_current},
                               {"Ready", "integer", 0, c_ds_ready},
                               {"Up-to-date", "integer", 0, c_ds_updated},
                               {"Available", "integer", 0, c_ds_available},
                               {"Node Selector", "string", 0, c_ds_node_selector},
                               AGE,
                               WIDE_TEMPLATE,
                               {"Selector", "string", 1, c_selector},
                               END};
static const bcol job_cols[] = {{"Status", "string", 0, c_job_status},
                                {"Completions", "string", 0, c_job_completions},
                                {"Duration", "string", 0, c_job_duration},
                                AGE,
                                WIDE_TEMPLATE,
                                {"Selector", "string", 1, c_selector},
                                END};
static const bcol cj_cols[] = {{"Schedule", "string", 0, c_cj_schedule},
                               {"Timezone", "string", 0, c_cj_timezone},
                               {"Suspend", "boolean", 0, c_cj_suspend},
                               {"Active", "integer", 0, c_cj_active},
                               {"Last Schedule", "string", 0, c_cj_last},
                               AGE,
                               {"Containers", "string", 1, c_cj_containers},
                               {"Images", "string", 1, c_cj_images},
                               {"Selector", "string", 1, c_cj_selector},
                               END};
static const bcol ing_cols[] = {{"Class", "string", 0, c_ing_class},
                                {"Hosts", "string", 0, c_ing_hosts},
                                {"Address", "string", 0, c_ing_address},
                                {"Ports", "string", 0, c_ing_ports}, AGE, END};
static const bcol np_cols[] = {{"Pod-Selector", "string", 0, c_np_selector}, AGE, END};
static const bcol rb_cols[] = {{"Role", "string", 0, c_rb_role},
                               AGE,
                               {"Users", "string", 1, c_rb_users},
                               {"Groups", "string", 1, c_rb_groups},
                               {"ServiceAccounts", "string", 1, c_rb_sas},
                               END};
static const bcol pc_cols[] = {{"Value", "integer", 0, c_pc_value},
                               {"Global-Default", "boolean", 0, c_pc_default},
                               AGE,
                               {"PreemptionPolicy", "string", 0, c_pc_preemption},
                               END};
static const bcol lease_cols[] = {{"Holder", "string", 0, c_lease_holder}, AGE, END};
static const bcol pdb_cols[] = {{"Min Available", "string", 0, c_pdb_min},
                                {"Max Unavailable", "string", 0, c_pdb_max},
                                {"Allowed Disruptions", "integer", 0, c_pdb_allowed}, AGE, END};

static const bkind kinds[] = {
    {"", "Pod", pod_cols},
    {"", "Service", svc_cols},
    {"", "ConfigMap", cm_cols},
    {"", "Secret", secret_cols},
    {"", "Namespace", ns_cols},
    {"", "ServiceAccount", sa_cols},
    {"", "Endpoints", ep_cols},
    {"", "ResourceQuota", rq_cols},
    {"", "PersistentVolumeClaim", pvc_cols},
    {"", "LimitRange", created_only},
    {"apps", "Deployment", deploy_cols},
    {"apps", "ReplicaSet", rs_cols},
    {"apps", "StatefulSet", sts_cols},
    {"apps", "DaemonSet", ds_cols},
    {"batch", "Job", job_cols},
    {"batch", "CronJob", cj_cols},
    {"networking.k8s.io", "Ingress", ing_cols},
    {"networking.k8s.io", "NetworkPolicy", np_cols},
    {"rbac.authorization.k8s.io", "RoleBinding", rb_cols},
    {"rbac.authorization.k8s.io", "ClusterRoleBinding", rb_cols},
    {"rbac.authorization.k8s.io", "Role", created_only},
    {"rbac.authorization.k8s.io", "ClusterRole", created_only},
    {"scheduling.k8s.io", "PriorityClass", pc_cols},
    {"coordination.k8s.io", "Lease", lease_cols},
    {"policy", "PodDisruptionBudget", pdb_cols},
    {"apiextensions.k8s.io", "CustomResourceDefinition", created_only},
};

/* The columns of a built-in kind; Age alone for kinds without a printer. */
static const bcol *columns_of(const api_resource *r)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(kinds[i].group, r->group) && !strcmp(kinds[i].kind, r->kind))
            return kinds[i].cols;
    return age_only;
}

void table_builtin_defs(const api_resource *r, json_object *defs)
{
    for (const bcol *c = columns_of(r); c->name; c++)
        json_object_array_add(defs, table_coldef(c->name, c->type, "", c->name, c->priority));
}

void table_builtin_cells(const api_resource *r, json_object *obj, json_object *cells)
{
    for (const bcol *c = columns_of(r); c->name; c++)
        json_object_array_add(cells, c->cell(obj));
}
