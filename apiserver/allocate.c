/*
 * allocate.c: what the server allocates to Services: a cluster IP from the
 * service range 10.96.0.0/12 (10.96.0.1 is the kubernetes Service's) and a
 * node port from 30000-32767 for each port of NodePort and LoadBalancer
 * Services, unique among the stored Services. A requested cluster IP or node
 * port that is taken is refused with the server's 422.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiserver.h"

#define RANGE_BASE 0x0a600000u /* 10.96.0.0 */
#define RANGE_SIZE (1u << 20)  /* /12 */
#define NODE_PORT_MIN 30000
#define NODE_PORT_MAX 32767

/* What other Services hold. */
typedef struct {
    const char *ns, *name; /* the Service being written (not counted) */
    json_object *ips;      /* {"10.96.0.12": true} */
    json_object *ports;    /* {"30080": true} */
} taken;

static bool visit(json_object *svc, const char *ns, const char *name, void *ud)
{
    taken *t = ud;
    if (!(ns && !strcmp(ns, t->ns) && name && !strcmp(name, t->name))) {
        json_object *spec = jx_get(svc, "spec"), *ports = jx_get(spec, "ports");
        const char *ip = jx_get_str(spec, "clusterIP");
        if (ip && *ip && strcmp(ip, "None"))
            json_object_object_add(t->ips, ip, json_object_new_boolean(1));
        for (size_t i = 0; ports && json_object_is_type(ports, json_type_array) &&
                           i < json_object_array_length(ports);
             i++) {
            json_object *np = jx_get(json_object_array_get_idx(ports, i), "nodePort");
            if (np)
                json_object_object_add(t->ports, json_object_get_string(np),
                                       json_object_new_boolean(1));
        }
    }
    json_object_put(svc);
    return true;
}

/* A free address of the range, or false when it is full. */
static bool free_ip(taken *t, char out[INET_ADDRSTRLEN])
{
    char *hex = ax_random_hex(4);
    uint32_t start = (uint32_t)strtoul(hex, NULL, 16) % RANGE_SIZE;
    free(hex);
    for (uint32_t k = 0; k < RANGE_SIZE; k++) {
        uint32_t off = (start + k) % RANGE_SIZE;
        if (off <= 1 || off == RANGE_SIZE - 1) /* network, kubernetes, broadcast */
            continue;
        struct in_addr a = {.s_addr = htonl(RANGE_BASE + off)};
        inet_ntop(AF_INET, &a, out, INET_ADDRSTRLEN);
        if (!jx_get(t->ips, out))
            return true;
    }
    return false;
}

/* A free node port, or 0. */
static int free_port(taken *t)
{
    char *hex = ax_random_hex(2), key[16];
    int span = NODE_PORT_MAX - NODE_PORT_MIN + 1;
    int start = (int)(strtoul(hex, NULL, 16) % (unsigned)span);
    free(hex);
    for (int k = 0; k < span; k++) {
        int p = NODE_PORT_MIN + (start + k) % span;
        snprintf(key, sizeof key, "%d", p);
        if (!jx_get(t->ports, key)) {
            json_object_object_add(t->ports, key, json_object_new_boolean(1));
            return p;
        }
    }
    return 0;
}

/* The cluster IP: kept, checked when asked for, allocated when absent. */
static bool cluster_ip(json_object *spec, taken *t, json_object *causes)
{
    const char *ip = jx_get_str(spec, "clusterIP");
    char buf[INET_ADDRSTRLEN];
    if (ip && !strcmp(ip, "None"))
        return true;
    if (ip && *ip) {
        if (!jx_get(t->ips, ip))
            return true;
        json_object *ips = jx_get(spec, "clusterIPs");
        h_cause(causes, "FieldValueInvalid", "spec.clusterIPs",
                "Invalid value: []string{\"%s\"}: failed to allocate IP %s: provided IP is "
                "already allocated",
                ips ? json_object_get_string(json_object_array_get_idx(ips, 0)) : ip, ip);
        return false;
    }
    if (!free_ip(t, buf)) {
        h_cause(causes, "FieldValueInvalid", "spec.clusterIPs", "Internal error: range is full");
        return false;
    }
    jx_set_str(spec, "clusterIP", buf);
    json_object *ips = json_object_new_array();
    json_object_array_add(ips, json_object_new_string(buf));
    json_object_object_add(spec, "clusterIPs", ips);
    return true;
}

/* Node ports of NodePort and LoadBalancer Services. */
static void node_ports(json_object *spec, json_object *cur_spec, taken *t, json_object *causes)
{
    json_object *ports = jx_get(spec, "ports"), *old = jx_get(cur_spec, "ports");
    for (size_t i = 0; ports && json_object_is_type(ports, json_type_array) &&
                       i < json_object_array_length(ports);
         i++) {
        json_object *p = json_object_array_get_idx(ports, i), *np = jx_get(p, "nodePort");
        if (np) {
            if (jx_get(t->ports, json_object_get_string(np))) {
                char *f = gotk_xasprintf("spec.ports[%zu].nodePort", i);
                h_cause(causes, "FieldValueInvalid", f,
                        "Invalid value: %s: provided port is already allocated",
                        json_object_get_string(np));
                free(f);
            }
            continue;
        }
        /* an update keeps the port's node port (matched by port number) */
        for (size_t k = 0; old && k < json_object_array_length(old) && !np; k++) {
            json_object *o = json_object_array_get_idx(old, k);
            if (gotk_obj_equal(jx_get(o, "port"), jx_get(p, "port")))
                np = jx_get(o, "nodePort");
        }
        int port = np ? json_object_get_int(np) : free_port(t);
        if (port)
            json_object_object_add(p, "nodePort", json_object_new_int(port));
    }
}

bool allocate_service(api_req *q, json_object *o, json_object *cur, api_resp *out)
{
    if (q->r->crd || *q->r->group || strcmp(q->r->kind, "Service") ||
        (q->sub && *q->sub))
        return true;
    json_object *spec = jx_ensure_obj(o, "spec");
    const char *type = jx_get_str(spec, "type");
    if (!type || !strcmp(type, "ExternalName"))
        return true;
    const char *name = jx_meta_str(o, "name");
    taken t = {.ns = q->ns ? q->ns : "", .name = name ? name : "",
               .ips = json_object_new_object(), .ports = json_object_new_object()};
    json_object *causes = json_object_new_array();
    gotk_err_free(store_list(q->s->st, "", "services", NULL, NULL, NULL, visit, &t));
    cluster_ip(spec, &t, causes);
    if (!strcmp(type, "NodePort") || !strcmp(type, "LoadBalancer"))
        node_ports(spec, jx_get(cur, "spec"), &t, causes);
    bool ok = json_object_array_length(causes) == 0;
    if (!ok)
        h_invalid_causes(q, name, causes, out);
    json_object_put(causes);
    json_object_put(t.ips);
    json_object_put(t.ports);
    return ok;
}
