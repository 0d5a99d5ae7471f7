/*
 * kube/discovery.c: which resources the server serves, and where.
 *
 * The cache holds one entry per group version, filled from the legacy discovery
 * documents (/api/v1, /apis/<group>/<version>: an APIResourceList). Entries named
 * "<plural>/<sub>" are subresources and only mark their parent (has_status).
 * A lookup that misses fetches its group version again, because a CRD may have
 * been created since; a replaced entry is kept on a retired list until the
 * client is freed, so the resource pointers handed out stay valid. Lookups by
 * name (kubectl-style "deploy", "deployments.apps") read /api and /apis and the
 * preferred version of every group once.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Free one resource. */
static void res_free(kube_res *r)
{
    for (size_t i = 0; i < sizeof r->strs / sizeof r->strs[0]; i++)
        free(r->strs[i]);
    kube_strv_free(r->short_names);
    kube_strv_free(r->verbs);
    kube_strv_free(r->subs);
    free(r);
}

/* Free a chain of group versions. */
static void gv_free_chain(kube_gv *g)
{
    while (g) {
        kube_gv *next = g->next;
        for (size_t i = 0; i < g->n; i++)
            res_free(g->res[i]);
        free(g->res);
        free(g->group);
        free(g->version);
        free(g);
        g = next;
    }
}

void kube_discovery_free(gotk_kube_client *c)
{
    gv_free_chain(c->gvs);
    gv_free_chain(c->retired);
    c->gvs = c->retired = NULL;
}

/* Strings of a JSON array as a NULL-terminated vector (never NULL). */
static char **strv_of(json_object *arr)
{
    size_t n = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
    char **v = gotk_xcalloc(n + 1, sizeof *v);
    for (size_t i = 0, k = 0; i < n; i++) {
        const char *s = json_object_get_string(json_object_array_get_idx(arr, i));
        if (s)
            v[k++] = gotk_xstrdup(s);
    }
    return v;
}

/* A resource from one APIResource entry. */
static kube_res *res_new(const char *group, const char *version, json_object *e)
{
    kube_res *r = gotk_xcalloc(1, sizeof *r);
    const char *kind = gotk_obj_get_str(e, "kind");
    const char *name = gotk_obj_get_str(e, "name");
    const char *singular = gotk_obj_get_str(e, "singularName");
    r->strs[0] = gotk_xstrdup(group);
    r->strs[1] = gotk_xstrdup(version);
    r->strs[2] = gotk_xstrdup(kind ? kind : "");
    r->strs[3] = gotk_xstrdup(name);
    r->strs[4] = singular && *singular ? gotk_xstrdup(singular) : gotk_xstrdup(r->strs[2]);
    if (!(singular && *singular))
        for (char *p = r->strs[4]; *p; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    r->short_names = strv_of(gotk_obj_get(e, "shortNames", NULL));
    r->verbs = strv_of(gotk_obj_get(e, "verbs", NULL));
    r->subs = gotk_xcalloc(1, sizeof *r->subs);
    r->pub = (gotk_kube_resource){
        .group = r->strs[0],
        .version = r->strs[1],
        .kind = r->strs[2],
        .plural = r->strs[3],
        .singular = r->strs[4],
        .namespaced = json_object_get_boolean(gotk_obj_get(e, "namespaced", NULL)),
        .short_names = (const char *const *)r->short_names,
        .verbs = (const char *const *)r->verbs,
        .subresources = (const char *const *)r->subs,
    };
    return r;
}

/* The resource named `plural` in a group version, or NULL. */
static kube_res *gv_find_plural(kube_gv *g, const char *plural, size_t len)
{
    for (size_t i = 0; i < g->n; i++)
        if (strlen(g->res[i]->pub.plural) == len && strncmp(g->res[i]->pub.plural, plural, len) == 0)
            return g->res[i];
    return NULL;
}

/* Record a subresource of `r` ("status" also sets has_status). */
static void add_sub(kube_res *r, const char *sub)
{
    r->subs = gotk_xrealloc(r->subs, (r->nsubs + 2) * sizeof *r->subs);
    r->subs[r->nsubs++] = gotk_xstrdup(sub);
    r->subs[r->nsubs] = NULL;
    r->pub.subresources = (const char *const *)r->subs;
    if (strcmp(sub, "status") == 0)
        r->pub.has_status = true;
}

/* Build a group version from its APIResourceList. */
static kube_gv *gv_from_list(const char *group, const char *version, json_object *list)
{
    kube_gv *g = gotk_xcalloc(1, sizeof *g);
    g->group = gotk_xstrdup(group);
    g->version = gotk_xstrdup(version);
    json_object *arr = gotk_obj_get(list, "resources", NULL);
    size_t n = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
    g->res = gotk_xcalloc(n + 1, sizeof *g->res);
    for (size_t i = 0; i < n; i++) { /* resources first, subresources after */
        json_object *e = json_object_array_get_idx(arr, i);
        const char *name = gotk_obj_get_str(e, "name");
        if (name && !strchr(name, '/'))
            g->res[g->n++] = res_new(group, version, e);
    }
    for (size_t i = 0; i < n; i++) {
        const char *name = gotk_obj_get_str(json_object_array_get_idx(arr, i), "name");
        const char *slash = name ? strchr(name, '/') : NULL;
        kube_res *parent = slash ? gv_find_plural(g, name, (size_t)(slash - name)) : NULL;
        if (parent)
            add_sub(parent, slash + 1);
    }
    return g;
}

/* The discovery path of a group version. Caller frees. */
static char *gv_path(const char *group, const char *version)
{
    return *group ? gotk_xasprintf("/apis/%s/%s", group, version)
                  : gotk_xasprintf("/api/%s", version);
}

/* Fetch one group version from the server. */
static gotk_err *gv_fetch(gotk_kube_client *c, const char *group, const char *version,
                          kube_gv **out)
{
    char *path = gv_path(group, version);
    json_object *list = NULL;
    gotk_err *e = gotk_kube_do_json(c, "GET", path, NULL, NULL, 0, &list);
    free(path);
    if (e)
        return e;
    *out = gv_from_list(group, version, list);
    json_object_put(list);
    return NULL;
}

/* The cached group version, or NULL (caller holds mu). */
static kube_gv *gv_cached(gotk_kube_client *c, const char *group, const char *version)
{
    for (kube_gv *g = c->gvs; g; g = g->next)
        if (strcmp(g->group, group) == 0 && strcmp(g->version, version) == 0)
            return g;
    return NULL;
}

/* Put a fetched group version in the cache, retiring the old one (holds mu). */
static void gv_install(gotk_kube_client *c, kube_gv *fresh)
{
    kube_gv **pp = &c->gvs;
    while (*pp && !(strcmp((*pp)->group, fresh->group) == 0 &&
                    strcmp((*pp)->version, fresh->version) == 0))
        pp = &(*pp)->next;
    if (*pp) {
        kube_gv *old = *pp;
        fresh->next = old->next;
        *pp = fresh;
        old->next = c->retired;
        c->retired = old;
    } else {
        *pp = fresh; /* append: keeps the core group first */
        fresh->next = NULL;
    }
}

/* The resource for a kind in a cached group version, or NULL (holds mu). */
static const gotk_kube_resource *find_kind(gotk_kube_client *c, const char *group,
                                           const char *version, const char *kind)
{
    kube_gv *g = gv_cached(c, group, version);
    for (size_t i = 0; g && i < g->n; i++)
        if (strcmp(g->res[i]->pub.kind, kind) == 0)
            return &g->res[i]->pub;
    return NULL;
}

/* Fetch a group version and install it. */
static gotk_err *refresh_gv(gotk_kube_client *c, const char *group, const char *version)
{
    kube_gv *fresh = NULL;
    gotk_err *e = gv_fetch(c, group, version, &fresh);
    if (e)
        return e;
    pthread_mutex_lock(&c->mu);
    gv_install(c, fresh);
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

gotk_err *gotk_kube_resource_for(gotk_kube_client *c, const char *api_version,
                                 const char *kind, const gotk_kube_resource **out)
{
    if (!api_version || !*api_version || !kind || !*kind)
        return gotk_err_new(GOTK_E_INVALID, "object has no apiVersion or kind");
    char *group, *version;
    kube_split_api_version(api_version, &group, &version);
    pthread_mutex_lock(&c->mu);
    const gotk_kube_resource *r = find_kind(c, group, version, kind);
    pthread_mutex_unlock(&c->mu);
    gotk_err *e = NULL;
    if (!r) {
        e = refresh_gv(c, group, version);
        if (e && gotk_err_code_of(e) == GOTK_E_NOTFOUND) {
            gotk_err_free(e);
            e = NULL;
        }
        pthread_mutex_lock(&c->mu);
        r = e ? NULL : find_kind(c, group, version, kind);
        pthread_mutex_unlock(&c->mu);
        if (!r && !e)
            e = gotk_err_new(GOTK_E_NOTFOUND, "no matches for kind \"%s\" in version \"%s\"",
                             kind, api_version);
    }
    free(group);
    free(version);
    if (e)
        return gotk_err_wrap(e, "resource mapping");
    *out = r;
    return NULL;
}

void gotk_kube_discovery_reset(gotk_kube_client *c)
{
    pthread_mutex_lock(&c->mu);
    kube_gv *g = c->gvs;
    while (g) { /* retire everything: pointers handed out stay valid */
        kube_gv *next = g->next;
        g->next = c->retired;
        c->retired = g;
        g = next;
    }
    c->gvs = NULL;
    c->all_discovered = false;
    pthread_mutex_unlock(&c->mu);
}

/* Fetch every group's preferred version (and v1) that is not cached yet. */
static gotk_err *discover_all(gotk_kube_client *c)
{
    gotk_err *e = NULL;
    pthread_mutex_lock(&c->mu);
    bool have_core = gv_cached(c, "", "v1") != NULL;
    pthread_mutex_unlock(&c->mu);
    if (!have_core && (e = refresh_gv(c, "", "v1")))
        return e;
    json_object *groups = NULL;
    if ((e = gotk_kube_do_json(c, "GET", "/apis", NULL, NULL, 0, &groups)))
        return e;
    json_object *arr = gotk_obj_get(groups, "groups", NULL);
    size_t n = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
    for (size_t i = 0; i < n && !e; i++) {
        json_object *g = json_object_array_get_idx(arr, i);
        const char *name = gotk_obj_get_str(g, "name");
        const char *ver = gotk_obj_get_str(g, "preferredVersion.version");
        if (!name || !ver)
            continue;
        pthread_mutex_lock(&c->mu);
        bool cached = gv_cached(c, name, ver) != NULL;
        pthread_mutex_unlock(&c->mu);
        if (!cached)
            e = refresh_gv(c, name, ver);
    }
    json_object_put(groups);
    if (!e) {
        pthread_mutex_lock(&c->mu);
        c->all_discovered = true;
        pthread_mutex_unlock(&c->mu);
    }
    return e;
}

/* Whether a resource answers to `name` (plural, singular, short name or kind). */
static bool res_matches(const gotk_kube_resource *r, const char *name, size_t len)
{
    if ((strlen(r->plural) == len && strncmp(r->plural, name, len) == 0) ||
        (strlen(r->singular) == len && strncmp(r->singular, name, len) == 0) ||
        (strlen(r->kind) == len && strncasecmp(r->kind, name, len) == 0))
        return true;
    for (size_t i = 0; r->short_names && r->short_names[i]; i++)
        if (strlen(r->short_names[i]) == len && strncmp(r->short_names[i], name, len) == 0)
            return true;
    return false;
}

/* Search the cache for "name" or "name.group" (holds mu). */
static const gotk_kube_resource *find_name(gotk_kube_client *c, const char *name)
{
    const char *dot = strchr(name, '.');
    size_t len = dot ? (size_t)(dot - name) : strlen(name);
    const char *group = dot ? dot + 1 : NULL;
    for (kube_gv *g = c->gvs; g; g = g->next) {
        if (group && strcmp(g->group, group) != 0)
            continue;
        for (size_t i = 0; i < g->n; i++)
            if (res_matches(&g->res[i]->pub, name, len))
                return &g->res[i]->pub;
    }
    return NULL;
}

gotk_err *gotk_kube_resource_lookup(gotk_kube_client *c, const char *name,
                                    const gotk_kube_resource **out)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        pthread_mutex_lock(&c->mu);
        bool all = c->all_discovered;
        const gotk_kube_resource *r = all ? find_name(c, name) : NULL;
        pthread_mutex_unlock(&c->mu);
        if (r) {
            *out = r;
            return NULL;
        }
        if (all && attempt == 0)
            gotk_kube_discovery_reset(c);
        gotk_err *e = discover_all(c);
        if (e)
            return gotk_err_wrap(e, "discovering resources");
    }
    pthread_mutex_lock(&c->mu);
    const gotk_kube_resource *r = find_name(c, name);
    pthread_mutex_unlock(&c->mu);
    if (!r)
        return gotk_err_new(GOTK_E_NOTFOUND,
                            "the server doesn't have a resource type \"%s\"", name);
    *out = r;
    return NULL;
}
