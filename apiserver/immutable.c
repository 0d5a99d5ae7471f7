/*
 * immutable.c: what an update may not change, refused with the real server's
 * 422 Invalid texts (pkg/apis/{core,apps,batch}/validation), which kubectl
 * prints and Flux's force-recreate recognises ("field is immutable", "may not
 * change once set", "updates to statefulset spec ... are forbidden", "spec is
 * immutable after creation ..."). Update, patch and apply all end here.
 *
 * Invalid values are printed as Go's %#v prints the server's types, e.g.
 * v1.LabelSelector{MatchLabels:map[string]string{"app":"a"}, MatchExpressions:
 * []v1.LabelSelectorRequirement(nil)}; a Job's whole pod template is shown
 * abbreviated, and a PVC's spec diff is a simpler rendering than go-cmp's.
 * A Service update also keeps its allocated cluster IP and drops what a type
 * change leaves unused.
 */
#include <stdlib.h>
#include <string.h>

#include "apiserver.h"

#define IMMUTABLE "field is immutable"
#define WHEN_SET "field is immutable when `immutable` is set"

/* ---- Go %#v of the values ------------------------------------------------ */

/* %q of a string (the escapes that matter here). */
static void go_quote(gotk_buf *b, const char *s)
{
    gotk_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            gotk_buf_printf(b, "\\%c", *s);
        else if (*s == '\n')
            gotk_buf_puts(b, "\\n");
        else if ((unsigned char)*s < 0x20)
            gotk_buf_printf(b, "\\x%02x", (unsigned char)*s);
        else
            gotk_buf_putc(b, *s);
    }
    gotk_buf_putc(b, '"');
}

/* []string{"a", "b"} or []string(nil). */
static void go_strings(gotk_buf *b, json_object *arr)
{
    if (!arr || !json_object_is_type(arr, json_type_array)) {
        gotk_buf_puts(b, "[]string(nil)");
        return;
    }
    gotk_buf_puts(b, "[]string{");
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        gotk_buf_puts(b, i ? ", " : "");
        go_quote(b, json_object_get_string(json_object_array_get_idx(arr, i)));
    }
    gotk_buf_putc(b, '}');
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* map[string]string{"a":"1", "b":"2"} (keys sorted, as fmt does). */
static void go_string_map(gotk_buf *b, json_object *m)
{
    if (!m || !json_object_is_type(m, json_type_object)) {
        gotk_buf_puts(b, "map[string]string(nil)");
        return;
    }
    int n = json_object_object_length(m), i = 0;
    const char **keys = gotk_xcalloc((size_t)n + 1, sizeof *keys);
    json_object_object_foreach(m, k, v)
    {
        (void)v;
        keys[i++] = k;
    }
    qsort(keys, (size_t)n, sizeof *keys, cmp_str);
    gotk_buf_puts(b, "map[string]string{");
    for (i = 0; i < n; i++) {
        gotk_buf_puts(b, i ? ", " : "");
        go_quote(b, keys[i]);
        gotk_buf_putc(b, ':');
        go_quote(b, json_object_get_string(jx_get(m, keys[i])));
    }
    gotk_buf_putc(b, '}');
    free(keys);
}

/* A label selector as the Invalid value of a selector change. */
static char *go_label_selector(json_object *ls)
{
    gotk_buf b = {0};
    if (!ls || !json_object_is_type(ls, json_type_object)) {
        gotk_buf_puts(&b, "\"null\"");
        return gotk_buf_steal(&b);
    }
    gotk_buf_puts(&b, "v1.LabelSelector{MatchLabels:");
    go_string_map(&b, jx_get(ls, "matchLabels"));
    gotk_buf_puts(&b, ", MatchExpressions:");
    json_object *ex = jx_get(ls, "matchExpressions");
    if (!ex || !json_object_is_type(ex, json_type_array)) {
        gotk_buf_puts(&b, "[]v1.LabelSelectorRequirement(nil)}");
        return gotk_buf_steal(&b);
    }
    gotk_buf_puts(&b, "[]v1.LabelSelectorRequirement{");
    for (size_t i = 0; i < json_object_array_length(ex); i++) {
        json_object *r = json_object_array_get_idx(ex, i);
        const char *key = jx_get_str(r, "key"), *op = jx_get_str(r, "operator");
        gotk_buf_puts(&b, i ? ", v1.LabelSelectorRequirement{Key:" : "v1.LabelSelectorRequirement{Key:");
        go_quote(&b, key ? key : "");
        gotk_buf_puts(&b, ", Operator:");
        go_quote(&b, op ? op : "");
        gotk_buf_puts(&b, ", Values:");
        go_strings(&b, jx_get(r, "values"));
        gotk_buf_putc(&b, '}');
    }
    gotk_buf_puts(&b, "}}");
    return gotk_buf_steal(&b);
}

/* ---- the rules ------------------------------------------------------------ */

static bool same_at(json_object *a, json_object *b, const char *path)
{
    return gotk_obj_equal(jx_at(a, path), jx_at(b, path));
}

/* spec.selector may not change (apps workloads, Jobs). */
static void check_selector(json_object *cur, json_object *n, json_object *causes)
{
    if (same_at(cur, n, "spec.selector"))
        return;
    char *v = go_label_selector(jx_at(n, "spec.selector"));
    h_cause(causes, "FieldValueInvalid", "spec.selector", "Invalid value: %s: " IMMUTABLE, v);
    free(v);
}

/* ConfigMap and Secret: `immutable: true` freezes data (and itself). */
static void check_immutable_data(json_object *cur, json_object *n, bool binary,
                                 json_object *causes)
{
    json_object *was = jx_get(cur, "immutable");
    if (!was || !json_object_get_boolean(was))
        return;
    json_object *now = jx_get(n, "immutable");
    if (!now || !json_object_get_boolean(now))
        h_cause(causes, "FieldValueForbidden", "immutable", "Forbidden: " WHEN_SET);
    if (!same_at(cur, n, "data"))
        h_cause(causes, "FieldValueForbidden", "data", "Forbidden: " WHEN_SET);
    if (binary && !same_at(cur, n, "binaryData"))
        h_cause(causes, "FieldValueForbidden", "binaryData", "Forbidden: " WHEN_SET);
}

/* Secret: its type never changes. */
static void check_secret(json_object *cur, json_object *n, json_object *causes)
{
    const char *t = jx_get_str(n, "type");
    if (!same_at(cur, n, "type")) {
        gotk_buf b = {0};
        go_quote(&b, t ? t : "");
        h_cause(causes, "FieldValueInvalid", "type", "Invalid value: %s: " IMMUTABLE, b.data);
        gotk_buf_free(&b);
    }
    check_immutable_data(cur, n, false, causes);
}

/* A copy of o's spec without the listed members. */
static json_object *spec_without(json_object *o, const char *const *drop)
{
    json_object *spec = jx_get(o, "spec");
    json_object *c = spec ? gotk_obj_copy(spec) : json_object_new_object();
    for (int i = 0; drop[i] && json_object_is_type(c, json_type_object); i++)
        json_object_object_del(c, drop[i]);
    return c;
}

/* StatefulSet: only some spec fields may change. */
static void check_statefulset(json_object *cur, json_object *n, json_object *causes)
{
    static const char *const mutable_fields[] = {
        "replicas", "ordinals", "template", "updateStrategy", "revisionHistoryLimit",
        "persistentVolumeClaimRetentionPolicy", "minReadySeconds", NULL};
    json_object *a = spec_without(cur, mutable_fields), *b = spec_without(n, mutable_fields);
    if (!gotk_obj_equal(a, b))
        h_cause(causes, "FieldValueForbidden", "spec",
                "Forbidden: updates to statefulset spec for fields other than 'replicas', "
                "'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', "
                "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
    json_object_put(a);
    json_object_put(b);
}

/* Remove the member at "parent.member" of o, when there. */
static void drop_at(json_object *o, const char *path)
{
    const char *dot = strchr(path, '.');
    char *parent = gotk_xstrndup(path, (size_t)(dot - path));
    json_object *p = jx_get(o, parent);
    if (p && json_object_is_type(p, json_type_object))
        json_object_object_del(p, dot + 1);
    free(parent);
}

/* Job: selector, completions and (but for the scheduling directives of a
 * suspended Job that never started) the pod template are fixed. */
static void check_job(json_object *cur, json_object *n, json_object *causes)
{
    check_selector(cur, n, causes);
    if (!same_at(cur, n, "spec.completions")) {
        json_object *c = jx_at(n, "spec.completions");
        h_cause(causes, "FieldValueInvalid", "spec.completions", "Invalid value: %s: " IMMUTABLE,
                c ? json_object_get_string(c) : "\"null\"");
    }
    json_object *a = gotk_obj_copy(jx_at(cur, "spec.template"));
    json_object *b = gotk_obj_copy(jx_at(n, "spec.template"));
    json_object *susp = jx_at(n, "spec.suspend");
    if (susp && json_object_get_boolean(susp) && !jx_at(cur, "status.startTime")) {
        static const char *const sched[] = {"spec.nodeSelector", "spec.affinity",
                                            "spec.tolerations", "spec.schedulingGates",
                                            "metadata.labels", "metadata.annotations", NULL};
        for (int i = 0; sched[i]; i++) {
            drop_at(a, sched[i]);
            drop_at(b, sched[i]);
        }
    }
    if (!gotk_obj_equal(a, b))
        h_cause(causes, "FieldValueInvalid", "spec.template",
                "Invalid value: core.PodTemplateSpec{...}: " IMMUTABLE);
    json_object_put(a);
    json_object_put(b);
}

static bool needs_cluster_ip(const char *type)
{
    return !type || strcmp(type, "ExternalName");
}

static bool needs_node_ports(const char *type)
{
    return type && (!strcmp(type, "NodePort") || !strcmp(type, "LoadBalancer"));
}

/* Drop member `key` of spec when it still holds the old spec's value. */
static void drop_if_kept(json_object *spec, json_object *old, const char *key)
{
    json_object *v = jx_get(spec, key);
    if (v && gotk_obj_equal(v, jx_get(old, key)))
        json_object_object_del(spec, key);
}

/* A type change drops what the old type had allocated or defaulted and the
 * new one does not use, unless the client set it anew (the server's
 * dropTypeDependentFields). */
static void drop_type_dependent(json_object *cur, json_object *n)
{
    json_object *old = jx_get(cur, "spec"), *spec = jx_ensure_obj(n, "spec");
    const char *ot = jx_get_str(old, "type"), *nt = jx_get_str(spec, "type");
    if (!ot || !nt || !strcmp(ot, nt))
        return;
    if (needs_cluster_ip(ot) && !needs_cluster_ip(nt)) {
        static const char *const ipf[] = {"clusterIP", "clusterIPs", "ipFamilies",
                                          "ipFamilyPolicy", "internalTrafficPolicy", NULL};
        for (int i = 0; ipf[i]; i++)
            drop_if_kept(spec, old, ipf[i]);
    }
    json_object *ports = jx_get(spec, "ports"), *oports = jx_get(old, "ports");
    for (size_t i = 0; needs_node_ports(ot) && !needs_node_ports(nt) && ports &&
                       json_object_is_type(ports, json_type_array) &&
                       i < json_object_array_length(ports);
         i++) {
        json_object *p = json_object_array_get_idx(ports, i), *np = jx_get(p, "nodePort");
        for (size_t k = 0; np && oports && k < json_object_array_length(oports); k++)
            if (gotk_obj_equal(jx_get(json_object_array_get_idx(oports, k), "nodePort"), np)) {
                json_object_object_del(p, "nodePort");
                break;
            }
    }
    if (!strcmp(ot, "LoadBalancer")) {
        drop_if_kept(spec, old, "allocateLoadBalancerNodePorts");
        drop_if_kept(spec, old, "loadBalancerClass");
    }
    if (needs_node_ports(ot) && !needs_node_ports(nt) && !jx_get(spec, "externalIPs"))
        drop_if_kept(spec, old, "externalTrafficPolicy");
}

/* Service: a type change drops what the old type used; an update without a
 * cluster IP keeps the allocated one; a different one is refused. */
static void check_service(json_object *cur, json_object *n, json_object *causes)
{
    drop_type_dependent(cur, n);
    const char *old_ip = jx_get_str(jx_get(cur, "spec"), "clusterIP");
    json_object *spec = jx_ensure_obj(n, "spec");
    if (!old_ip || !*old_ip)
        return;
    const char *type = jx_get_str(spec, "type");
    if (type && !strcmp(type, "ExternalName"))
        return;
    if (!jx_get_str(spec, "clusterIP") || !*jx_get_str(spec, "clusterIP")) {
        jx_set_str(spec, "clusterIP", old_ip);
        json_object *ips = jx_at(cur, "spec.clusterIPs");
        if (ips && !jx_get(spec, "clusterIPs"))
            json_object_object_add(spec, "clusterIPs", gotk_obj_copy(ips));
        return;
    }
    const char *new_ip = jx_get_str(spec, "clusterIP");
    json_object *ips = jx_get(spec, "clusterIPs");
    if (!ips || same_at(cur, n, "spec.clusterIPs") || !json_object_array_length(ips)) {
        /* the server keeps clusterIPs[0] in step with clusterIP */
        ips = json_object_new_array();
        json_object_array_add(ips, json_object_new_string(new_ip));
        json_object_object_add(spec, "clusterIPs", ips);
    }
    const char *first = json_object_get_string(json_object_array_get_idx(ips, 0));
    if (strcmp(first, old_ip)) {
        gotk_buf b = {0};
        go_strings(&b, ips);
        h_cause(causes, "FieldValueInvalid", "spec.clusterIPs[0]",
                "Invalid value: %s: may not change once set", b.data);
        gotk_buf_free(&b);
    }
}

/* "accessModes" -> "AccessModes", as Go names the field. */
static void go_field(gotk_buf *b, const char *k)
{
    gotk_buf_printf(b, "%c%s", k[0] >= 'a' && k[0] <= 'z' ? k[0] - 32 : k[0], k + 1);
}

/* PVC: the spec is fixed but for the storage request of a bound claim, a
 * first volumeName and volumeAttributesClassName. The diff after the message
 * lists the changed fields (a simpler rendering than go-cmp's). */
static void check_pvc(json_object *cur, json_object *n, json_object *causes)
{
    static const char *const drop[] = {"volumeAttributesClassName", NULL};
    json_object *a = spec_without(cur, drop), *b = spec_without(n, drop);
    if (!jx_get_str(a, "volumeName"))
        json_object_object_del(b, "volumeName");
    const char *phase = jx_get_str(jx_get(n, "status"), "phase");
    json_object *req_a = jx_at(a, "resources.requests"), *req_b = jx_at(b, "resources.requests");
    if (phase && !strcmp(phase, "Bound") && req_b && json_object_is_type(req_b, json_type_object)) {
        json_object *s = jx_get(req_a, "storage");
        if (s)
            json_object_object_add(req_b, "storage", json_object_get(s));
        else
            json_object_object_del(req_b, "storage");
    }
    if (!gotk_obj_equal(a, b)) {
        gotk_buf d = {0};
        gotk_buf_puts(&d, "  core.PersistentVolumeClaimSpec{\n");
        json_object *keys = gotk_obj_copy(a);
        json_object_object_foreach(b, bk, bv) json_object_object_add(keys, bk, json_object_get(bv));
        json_object_object_foreach(keys, k, v)
        {
            (void)v;
            if (gotk_obj_equal(jx_get(a, k), jx_get(b, k)))
                continue;
            gotk_buf_puts(&d, "- \t");
            go_field(&d, k);
            gotk_buf_printf(&d, ": %s,\n+ \t", jx_get(a, k) ? jx_str(jx_get(a, k)) : "nil");
            go_field(&d, k);
            gotk_buf_printf(&d, ": %s,\n", jx_get(b, k) ? jx_str(jx_get(b, k)) : "nil");
        }
        gotk_buf_puts(&d, "  }\n");
        json_object_put(keys);
        h_cause(causes, "FieldValueForbidden", "spec",
                "Forbidden: spec is immutable after creation except resources.requests and "
                "volumeAttributesClassName for bound claims\n%s",
                d.data);
        gotk_buf_free(&d);
    }
    json_object_put(a);
    json_object_put(b);
}

bool immutable_check(api_req *q, json_object *cur, json_object *n, api_resp *out)
{
    const api_resource *r = q->r;
    if (r->crd || (q->sub && *q->sub))
        return true;
    json_object *causes = json_object_new_array();
    const char *k = r->kind;
    if (!*r->group && !strcmp(k, "ConfigMap"))
        check_immutable_data(cur, n, true, causes);
    else if (!*r->group && !strcmp(k, "Secret"))
        check_secret(cur, n, causes);
    else if (!*r->group && !strcmp(k, "Service"))
        check_service(cur, n, causes);
    else if (!*r->group && !strcmp(k, "PersistentVolumeClaim"))
        check_pvc(cur, n, causes);
    else if (!strcmp(r->group, "apps") && !strcmp(k, "StatefulSet"))
        check_statefulset(cur, n, causes);
    else if (!strcmp(r->group, "apps"))
        check_selector(cur, n, causes);
    else if (!strcmp(r->group, "batch") && !strcmp(k, "Job"))
        check_job(cur, n, causes);
    bool ok = json_object_array_length(causes) == 0;
    if (!ok)
        h_invalid_causes(q, q->name, causes, out);
    json_object_put(causes);
    return ok;
}
