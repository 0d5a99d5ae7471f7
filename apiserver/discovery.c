/*
 * discovery.c: /version, health, and API discovery.
 *
 * /api and /apis answer in the aggregated format (apidiscovery.k8s.io/v2,
 * every group's versions and resources in one response) when the Accept header
 * asks for APIGroupDiscoveryList, as kubectl 1.32 does; otherwise, and for the
 * per-group-version paths, in the legacy format: /api lists the core
 * version, /apis the groups with their versions and preferred version, and
 * /api/v1 and /apis/<group>/<version> list resources (name, singularName,
 * namespaced, kind, verbs, shortNames, categories) plus one `<plural>/status`
 * entry for resources with a status subresource. Everything is generated from
 * the resource table, so CRDs appear as soon as the table is reloaded.
 *
 * /openapi/v3 lists one document per group version; each document declares the
 * PATCH operation of every resource with the fieldValidation parameter, which
 * tells kubectl that the server validates fields itself, so `kubectl apply`
 * needs no client-side schema. /openapi/v2 is an empty protobuf document,
 * which kubectl reads when a kind is not in the v3 documents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiserver.h"

/* Kubernetes version priority: v1 > v1beta2 > v1beta1 > v1alpha1 > others. */
static long version_rank(const char *v)
{
    long major = 0, minor = 0;
    char kind[16] = "";
    if (sscanf(v, "v%ld%15[a-z]%ld", &major, kind, &minor) < 1)
        return -1;
    long tier = !kind[0] ? 3 : !strcmp(kind, "beta") ? 2 : !strcmp(kind, "alpha") ? 1 : 0;
    return tier * 1000000 + major * 1000 + minor;
}

/* The list of verbs every resource supports. */
static json_object *all_verbs(void)
{
    static const char *const verbs[] = {"create", "delete", "deletecollection", "get", "list",
                                        "patch",  "update", "watch",            NULL};
    json_object *a = json_object_new_array();
    for (int i = 0; verbs[i]; i++)
        json_object_array_add(a, json_object_new_string(verbs[i]));
    return a;
}

/* ["create"], for the review resources. */
static json_object *create_only(void)
{
    json_object *a = json_object_new_array();
    json_object_array_add(a, json_object_new_string("create"));
    return a;
}

/* A NULL-terminated list as a JSON array. */
static json_object *str_array(char **l)
{
    json_object *a = json_object_new_array();
    for (char **p = l; p && *p; p++)
        json_object_array_add(a, json_object_new_string(*p));
    return a;
}

/* Discovery entries for one resource. */
static void add_resource_entries(json_object *list, const api_resource *r)
{
    json_object *e = json_object_new_object();
    jx_set_str(e, "name", r->plural);
    jx_set_str(e, "singularName", r->singular);
    json_object_object_add(e, "namespaced", json_object_new_boolean(r->namespaced));
    jx_set_str(e, "kind", r->kind);
    json_object_object_add(e, "verbs", r->review ? create_only() : all_verbs());
    if (r->short_names && r->short_names[0])
        json_object_object_add(e, "shortNames", str_array(r->short_names));
    if (r->categories && r->categories[0])
        json_object_object_add(e, "categories", str_array(r->categories));
    json_object_array_add(list, e);
    if (r->scale_spec) {
        json_object *sc = json_object_new_object(), *verbs = json_object_new_array();
        char *name = gotk_xasprintf("%s/scale", r->plural);
        jx_set_str(sc, "name", name);
        free(name);
        jx_set_str(sc, "singularName", "");
        json_object_object_add(sc, "namespaced", json_object_new_boolean(r->namespaced));
        jx_set_str(sc, "group", "autoscaling");
        jx_set_str(sc, "version", "v1");
        jx_set_str(sc, "kind", "Scale");
        json_object_array_add(verbs, json_object_new_string("get"));
        json_object_array_add(verbs, json_object_new_string("patch"));
        json_object_array_add(verbs, json_object_new_string("update"));
        json_object_object_add(sc, "verbs", verbs);
        json_object_array_add(list, sc);
    }
    if (!r->has_status)
        return;
    json_object *st = json_object_new_object();
    char *name = gotk_xasprintf("%s/status", r->plural);
    jx_set_str(st, "name", name);
    free(name);
    jx_set_str(st, "singularName", "");
    json_object_object_add(st, "namespaced", json_object_new_boolean(r->namespaced));
    jx_set_str(st, "kind", r->kind);
    json_object *verbs = json_object_new_array();
    json_object_array_add(verbs, json_object_new_string("get"));
    json_object_array_add(verbs, json_object_new_string("patch"));
    json_object_array_add(verbs, json_object_new_string("update"));
    json_object_object_add(st, "verbs", verbs);
    json_object_array_add(list, st);
}

/* APIResourceList for one group version; NULL when nothing is served there. */
static json_object *resource_list(apisrv *s, const char *group, const char *version)
{
    json_object *res = json_object_new_array();
    for (int i = 0; i < s->res.n; i++) {
        api_resource *r = &s->res.items[i];
        if (!strcmp(r->group, group) && !strcmp(r->version, version))
            add_resource_entries(res, r);
    }
    if (!json_object_array_length(res)) {
        json_object_put(res);
        return NULL;
    }
    json_object *l = json_object_new_object();
    jx_set_str(l, "kind", "APIResourceList");
    jx_set_str(l, "apiVersion", "v1");
    char *gv = *group ? gotk_xasprintf("%s/%s", group, version) : gotk_xstrdup(version);
    jx_set_str(l, "groupVersion", gv);
    free(gv);
    json_object_object_add(l, "resources", res);
    return l;
}

/* {groupVersion, version}. */
static json_object *gv_entry(const char *group, const char *version)
{
    json_object *e = json_object_new_object();
    char *gv = gotk_xasprintf("%s/%s", group, version);
    jx_set_str(e, "groupVersion", gv);
    jx_set_str(e, "version", version);
    free(gv);
    return e;
}

/* Whether `versions` (array of gv entries) already has `version`. */
static bool has_version(json_object *versions, const char *version)
{
    for (size_t i = 0; i < json_object_array_length(versions); i++)
        if (!strcmp(jx_get_str(json_object_array_get_idx(versions, i), "version"), version))
            return true;
    return false;
}

/* Sort a group's versions by Kubernetes priority (insertion sort, few items). */
static void sort_versions(json_object *versions)
{
    size_t n = json_object_array_length(versions);
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0; k--) {
            json_object *a = json_object_array_get_idx(versions, k - 1);
            json_object *b = json_object_array_get_idx(versions, k);
            if (version_rank(jx_get_str(a, "version")) >= version_rank(jx_get_str(b, "version")))
                break;
            json_object_get(a);
            json_object_get(b);
            json_object_array_put_idx(versions, k - 1, b);
            json_object_array_put_idx(versions, k, a);
        }
}

/* APIGroup objects for every named group, in table order. */
static json_object *group_list(apisrv *s)
{
    json_object *groups = json_object_new_array();
    for (int i = 0; i < s->res.n; i++) {
        api_resource *r = &s->res.items[i];
        if (!*r->group)
            continue;
        json_object *g = NULL;
        for (size_t k = 0; k < json_object_array_length(groups) && !g; k++)
            if (!strcmp(jx_get_str(json_object_array_get_idx(groups, k), "name"), r->group))
                g = json_object_array_get_idx(groups, k);
        if (!g) {
            g = json_object_new_object();
            jx_set_str(g, "name", r->group);
            json_object_object_add(g, "versions", json_object_new_array());
            json_object_array_add(groups, g);
        }
        json_object *versions = jx_get(g, "versions");
        if (!has_version(versions, r->version))
            json_object_array_add(versions, gv_entry(r->group, r->version));
    }
    for (size_t k = 0; k < json_object_array_length(groups); k++) {
        json_object *g = json_object_array_get_idx(groups, k), *v = jx_get(g, "versions");
        sort_versions(v);
        json_object_object_add(g, "preferredVersion", gotk_obj_copy(json_object_array_get_idx(v, 0)));
    }
    return groups;
}

/* ---- aggregated discovery (apidiscovery.k8s.io/v2) ------------------------ */

/* {group, version, kind}. */
static json_object *gvk(const char *group, const char *version, const char *kind)
{
    json_object *o = json_object_new_object();
    jx_set_str(o, "group", group);
    jx_set_str(o, "version", version);
    jx_set_str(o, "kind", kind);
    return o;
}

/* A subresource entry. */
static json_object *agg_sub(const char *name, json_object *kind)
{
    json_object *o = json_object_new_object(), *verbs = json_object_new_array();
    jx_set_str(o, "subresource", name);
    json_object_object_add(o, "responseKind", kind);
    json_object_array_add(verbs, json_object_new_string("get"));
    json_object_array_add(verbs, json_object_new_string("patch"));
    json_object_array_add(verbs, json_object_new_string("update"));
    json_object_object_add(o, "verbs", verbs);
    return o;
}

/* One APIResourceDiscovery. */
static json_object *agg_resource(const api_resource *r)
{
    json_object *o = json_object_new_object();
    jx_set_str(o, "resource", r->plural);
    json_object_object_add(o, "responseKind", gvk(r->group, r->version, r->kind));
    jx_set_str(o, "scope", r->namespaced ? "Namespaced" : "Cluster");
    jx_set_str(o, "singularResource", r->singular);
    json_object_object_add(o, "verbs", r->review ? create_only() : all_verbs());
    if (r->short_names && r->short_names[0])
        json_object_object_add(o, "shortNames", str_array(r->short_names));
    if (r->categories && r->categories[0])
        json_object_object_add(o, "categories", str_array(r->categories));
    json_object *subs = json_object_new_array();
    if (r->has_status)
        json_object_array_add(subs, agg_sub("status", gvk(r->group, r->version, r->kind)));
    if (r->scale_spec)
        json_object_array_add(subs, agg_sub("scale", gvk("autoscaling", "v1", "Scale")));
    if (json_object_array_length(subs))
        json_object_object_add(o, "subresources", subs);
    else
        json_object_put(subs);
    return o;
}

/* One APIGroupDiscovery with versions in preference order. */
static json_object *agg_group(apisrv *s, const char *group, json_object *versions)
{
    json_object *g = json_object_new_object(), *meta = json_object_new_object();
    json_object *vs = json_object_new_array();
    if (*group)
        jx_set_str(meta, "name", group);
    json_object_object_add(g, "metadata", meta);
    for (size_t i = 0; i < json_object_array_length(versions); i++) {
        const char *v = jx_get_str(json_object_array_get_idx(versions, i), "version");
        json_object *ve = json_object_new_object(), *res = json_object_new_array();
        jx_set_str(ve, "version", v);
        for (int k = 0; k < s->res.n; k++)
            if (!strcmp(s->res.items[k].group, group) && !strcmp(s->res.items[k].version, v))
                json_object_array_add(res, agg_resource(&s->res.items[k]));
        json_object_object_add(ve, "resources", res);
        jx_set_str(ve, "freshness", "Current");
        json_object_array_add(vs, ve);
    }
    json_object_object_add(g, "versions", vs);
    return g;
}

/* APIGroupDiscoveryList for /api (core) or /apis (named groups). */
static json_object *aggregated(apisrv *s, bool core, const char *api_version)
{
    json_object *l = json_object_new_object(), *items = json_object_new_array();
    jx_set_str(l, "kind", "APIGroupDiscoveryList");
    jx_set_str(l, "apiVersion", api_version);
    json_object_object_add(l, "metadata", json_object_new_object());
    if (core) {
        json_object *v = json_object_new_array();
        json_object_array_add(v, gv_entry("", "v1"));
        json_object_array_add(items, agg_group(s, "", v));
        json_object_put(v);
    } else {
        json_object *groups = group_list(s);
        for (size_t i = 0; i < json_object_array_length(groups); i++) {
            json_object *g = json_object_array_get_idx(groups, i);
            json_object_array_add(items,
                                  agg_group(s, jx_get_str(g, "name"), jx_get(g, "versions")));
        }
        json_object_put(groups);
    }
    json_object_object_add(l, "items", items);
    return l;
}

/* /version */
static json_object *version_info(void)
{
    json_object *v = json_object_new_object();
    jx_set_str(v, "major", "1");
    jx_set_str(v, "minor", "32");
    jx_set_str(v, "gitVersion", "v1.32.0+gotk");
    jx_set_str(v, "gitCommit", "0000000000000000000000000000000000000000");
    jx_set_str(v, "gitTreeState", "clean");
    jx_set_str(v, "buildDate", "2026-01-01T00:00:00Z");
    jx_set_str(v, "goVersion", "go1.23.0");
    jx_set_str(v, "compiler", "gc");
    jx_set_str(v, "platform", "linux/amd64");
    return v;
}

/* /api */
static json_object *api_versions(apisrv *s)
{
    json_object *o = json_object_new_object(), *v = json_object_new_array();
    jx_set_str(o, "kind", "APIVersions");
    json_object_array_add(v, json_object_new_string("v1"));
    json_object_object_add(o, "versions", v);
    json_object *cidrs = json_object_new_array(), *c = json_object_new_object();
    jx_set_str(c, "clientCIDR", "0.0.0.0/0");
    jx_set_str(c, "serverAddress", s->server_addr ? s->server_addr : "127.0.0.1:6443");
    json_object_array_add(cidrs, c);
    json_object_object_add(o, "serverAddressByClientCIDRs", cidrs);
    return o;
}

/* ---- OpenAPI v3 -------------------------------------------------------- */

/* The gv path segment: "api/v1" or "apis/<group>/<version>". */
static char *gv_path(const char *group, const char *version)
{
    return *group ? gotk_xasprintf("apis/%s/%s", group, version)
                  : gotk_xasprintf("api/%s", version);
}

/* /openapi/v3: one entry per served group version. */
static json_object *openapi_index(apisrv *s)
{
    json_object *paths = json_object_new_object();
    for (int i = 0; i < s->res.n; i++) {
        api_resource *r = &s->res.items[i];
        char *p = gv_path(r->group, r->version);
        if (!jx_get(paths, p)) {
            json_object *e = json_object_new_object();
            char *url = gotk_xasprintf("/openapi/v3/%s?hash=%08x", p, (unsigned)s->res.n);
            jx_set_str(e, "serverRelativeURL", url);
            free(url);
            json_object_object_add(paths, p, e);
        }
        free(p);
    }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "paths", paths);
    return o;
}

/* A PATCH operation declaring fieldValidation for one resource. */
static json_object *patch_op(const api_resource *r)
{
    json_object *op = json_object_new_object(), *gvk = json_object_new_object();
    jx_set_str(gvk, "group", r->group);
    jx_set_str(gvk, "version", r->version);
    jx_set_str(gvk, "kind", r->kind);
    jx_set_str(op, "x-kubernetes-action", "patch");
    json_object_object_add(op, "x-kubernetes-group-version-kind", gvk);
    json_object *params = json_object_new_array();
    static const char *const names[] = {"dryRun", "fieldManager", "fieldValidation", "force", NULL};
    for (int i = 0; names[i]; i++) {
        json_object *p = json_object_new_object();
        jx_set_str(p, "name", names[i]);
        jx_set_str(p, "in", "query");
        json_object_array_add(params, p);
    }
    json_object_object_add(op, "parameters", params);
    return op;
}

/* The document of one group version. */
static json_object *openapi_gv(apisrv *s, const char *group, const char *version)
{
    json_object *paths = json_object_new_object();
    bool any = false;
    for (int i = 0; i < s->res.n; i++) {
        api_resource *r = &s->res.items[i];
        if (strcmp(r->group, group) || strcmp(r->version, version))
            continue;
        any = true;
        char *gp = gv_path(group, version);
        char *p = r->namespaced ? gotk_xasprintf("/%s/namespaces/{namespace}/%s/{name}", gp,
                                                 r->plural)
                                : gotk_xasprintf("/%s/%s/{name}", gp, r->plural);
        json_object *item = json_object_new_object();
        json_object_object_add(item, "patch", patch_op(r));
        json_object_object_add(item, "put", patch_op(r));
        json_object_object_add(paths, p, item);
        free(p);
        free(gp);
    }
    if (!any) {
        json_object_put(paths);
        return NULL;
    }
    json_object *o = json_object_new_object(), *info = json_object_new_object();
    jx_set_str(o, "openapi", "3.0.0");
    jx_set_str(info, "title", "Kubernetes");
    jx_set_str(info, "version", "v1.32.0");
    json_object_object_add(o, "info", info);
    json_object_object_add(o, "paths", paths);
    json_object *comp = json_object_new_object();
    json_object_object_add(comp, "schemas", json_object_new_object());
    json_object_object_add(o, "components", comp);
    return o;
}

/* Split "a/b/c" into at most n parts; returns the count. */
static int split_path(char *p, char **parts, int n)
{
    int k = 0;
    for (char *save = NULL, *t = strtok_r(p, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
        if (k == n)
            return n + 1;
        parts[k++] = t;
    }
    return k;
}

/* Route the discovery-like paths. */
static json_object *discover(apisrv *s, const char *path, bool *found)
{
    char *copy = gotk_xstrdup(path), *p[6];
    int n = split_path(copy, p, 6);
    json_object *o = NULL;
    *found = true;
    if (n == 1 && !strcmp(p[0], "version")) {
        o = version_info();
    } else if (n == 1 && !strcmp(p[0], "api")) {
        o = api_versions(s);
    } else if (n == 2 && !strcmp(p[0], "api")) {
        o = resource_list(s, "", p[1]);
    } else if (n == 1 && !strcmp(p[0], "apis")) {
        o = json_object_new_object();
        jx_set_str(o, "kind", "APIGroupList");
        jx_set_str(o, "apiVersion", "v1");
        json_object_object_add(o, "groups", group_list(s));
    } else if (n == 2 && !strcmp(p[0], "apis")) {
        json_object *groups = group_list(s);
        for (size_t i = 0; i < json_object_array_length(groups) && !o; i++)
            if (!strcmp(jx_get_str(json_object_array_get_idx(groups, i), "name"), p[1])) {
                o = gotk_obj_copy(json_object_array_get_idx(groups, i));
                jx_set_str(o, "kind", "APIGroup");
                jx_set_str(o, "apiVersion", "v1");
            }
        json_object_put(groups);
    } else if (n == 3 && !strcmp(p[0], "apis")) {
        o = resource_list(s, p[1], p[2]);
    } else if (n == 2 && !strcmp(p[0], "openapi") && !strcmp(p[1], "v3")) {
        o = openapi_index(s);
    } else if (n >= 4 && !strcmp(p[0], "openapi") && !strcmp(p[1], "v3")) {
        bool core = !strcmp(p[2], "api");
        o = core && n == 4 ? openapi_gv(s, "", p[3])
            : !core && n == 5 ? openapi_gv(s, p[3], p[4])
                              : NULL;
    } else {
        *found = false;
    }
    free(copy);
    return o;
}

/* Serve discovery; false when the path is not a discovery path. */
bool handle_discovery(apisrv *s, const char *path, const char *accept, api_resp *out)
{
    bool core = !strcmp(path, "/api") || !strcmp(path, "/api/");
    if ((core || !strcmp(path, "/apis") || !strcmp(path, "/apis/")) && accept &&
        strstr(accept, "as=APIGroupDiscoveryList")) {
        bool v2 = strstr(accept, "v=v2;") || strstr(accept, "v=v2,");
        json_object *l = aggregated(s, core, v2 ? "apidiscovery.k8s.io/v2"
                                                : "apidiscovery.k8s.io/v2beta1");
        api_json(out, 200, l);
        json_object_put(l);
        out->ctype = v2 ? "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
                        : "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";
        return true;
    }
    if (!strcmp(path, "/healthz") || !strcmp(path, "/readyz") || !strcmp(path, "/livez")) {
        free(out->body);
        out->code = 200;
        out->body = gotk_xstrdup("ok");
        out->ctype = "text/plain; charset=utf-8";
        return true;
    }
    if (!strcmp(path, "/openapi/v2")) {
        /* An OpenAPI v2 Document in protobuf (what kubectl asks for) holding
         * only swagger: "2.0": no schemas, so client-side validation has
         * nothing to reject, and the server validates with fieldValidation. */
        free(out->body);
        out->code = 200;
        out->body = gotk_xstrdup("\x0a\x03" "2.0");
        out->ctype = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
        return true;
    }
    bool found;
    json_object *o = discover(s, path, &found);
    if (!found)
        return false;
    if (!o) {
        api_status(out, 404, "NotFound", NULL, NULL, NULL,
                   "the server could not find the requested resource");
        return true;
    }
    api_json(out, 200, o);
    json_object_put(o);
    return true;
}
