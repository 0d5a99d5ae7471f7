/*
 * table.c: server-side printing (meta.k8s.io/v1 Table) for `kubectl get`.
 *
 * kubectl asks for `application/json;as=Table;v=v1;g=meta.k8s.io`; the server
 * answers with column definitions and one row of cells per object. Custom
 * resources get Name, their additionalPrinterColumns (evaluated with a small
 * JSONPath subset: .a.b, [n], [*], [?(@.k=="v")]), and Age when they define no
 * columns; built-ins get Name, a few kind-specific columns kubectl users expect,
 * and Age. Dates print as kubectl's human durations ("5m", "2d3h"). Each row
 * carries the object (includeObject=Object) or its metadata (the default).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apiserver.h"

/* Whether the Accept header prefers a Table. */
bool table_wanted(const char *accept)
{
    return accept && strstr(accept, "as=Table");
}

/* Age of an RFC 3339 timestamp as a human duration, or "<unknown>". */
static json_object *age_cell(const char *ts)
{
    struct tm tm = {0};
    char buf[32];
    if (!ts || !strptime(ts, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return json_object_new_string("<unknown>");
    gotk_duration_human((long long)(time(NULL) - timegm(&tm)), buf);
    return json_object_new_string(buf);
}

/* ---- a small JSONPath ----------------------------------------------------- */

/* Evaluate a filter "[?(@.a.b==\"v\")]" on each element of an array. */
static void jp_eval(json_object *cur, const char *p, json_object *results);

/* Value of a relative dotted path ".a.b" under o. */
static json_object *rel_path(json_object *o, const char *path, size_t len)
{
    char *copy = gotk_xstrndup(path, len), *save = NULL;
    for (char *k = strtok_r(copy, ".", &save); k && o; k = strtok_r(NULL, ".", &save))
        o = jx_get(o, k);
    free(copy);
    return o;
}

/* Apply a [?(@.x=="v")] filter to an array, continuing with `rest`. */
static void jp_filter(json_object *arr, const char *expr, size_t len, const char *rest,
                      json_object *results)
{
    const char *eq = memmem(expr, len, "==", 2);
    bool ne = false;
    if (!eq) {
        eq = memmem(expr, len, "!=", 2);
        ne = eq != NULL;
    }
    if (!eq || expr[0] != '@')
        return;
    const char *v = eq + 2, *vend = expr + len;
    while (v < vend && (*v == ' ' || *v == '"' || *v == '\''))
        v++;
    while (vend > v && (vend[-1] == ' ' || vend[-1] == '"' || vend[-1] == '\''))
        vend--;
    size_t plen = (size_t)(eq - expr - 1);
    while (plen && expr[plen] == ' ')
        plen--;
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *el = json_object_array_get_idx(arr, i);
        json_object *fv = rel_path(el, expr + 1, plen);
        const char *s = fv ? json_object_get_string(fv) : NULL;
        bool match = s && strlen(s) == (size_t)(vend - v) && !memcmp(s, v, (size_t)(vend - v));
        if (match != ne)
            jp_eval(el, rest, results);
    }
}

/* Walk the path from cur, appending every value reached. */
static void jp_eval(json_object *cur, const char *p, json_object *results)
{
    if (!cur)
        return;
    if (!*p) {
        json_object_array_add(results, json_object_get(cur));
        return;
    }
    if (*p == '.') {
        size_t n = strcspn(p + 1, ".[");
        char *key = gotk_xstrndup(p + 1, n);
        jp_eval(n ? jx_get(cur, key) : cur, p + 1 + n, results);
        free(key);
        return;
    }
    if (*p != '[' || !json_object_is_type(cur, json_type_array))
        return;
    const char *close = strchr(p, ']');
    if (!close)
        return;
    if (p[1] == '?' && p[2] == '(') {
        const char *end = strstr(p, ")]");
        if (end)
            jp_filter(cur, p + 3, (size_t)(end - p - 3), end + 2, results);
        return;
    }
    if (p[1] == '*') {
        for (size_t i = 0; i < json_object_array_length(cur); i++)
            jp_eval(json_object_array_get_idx(cur, i), close + 1, results);
        return;
    }
    long i = strtol(p + 1, NULL, 10);
    if (i < 0)
        i += (long)json_object_array_length(cur);
    if (i >= 0 && (size_t)i < json_object_array_length(cur))
        jp_eval(json_object_array_get_idx(cur, (size_t)i), close + 1, results);
}

/* A printer column's cell: the first value found, typed as the column says. */
static json_object *column_cell(json_object *obj, const api_printer_col *c)
{
    json_object *res = json_object_new_array(), *cell = NULL;
    const char *path = c->json_path;
    if (path[0] == '{')
        path++;
    char *p = gotk_xstrdup(path);
    size_t n = strlen(p);
    if (n && p[n - 1] == '}')
        p[n - 1] = '\0';
    jp_eval(obj, p[0] == '.' || p[0] == '[' ? p : "", res);
    free(p);
    json_object *v = json_object_array_length(res) ? json_object_array_get_idx(res, 0) : NULL;
    if (!v)
        cell = NULL;
    else if (!strcmp(c->type, "date") && json_object_is_type(v, json_type_string))
        cell = age_cell(json_object_get_string(v));
    else if (json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array))
        cell = json_object_new_string(jx_str(v));
    else
        cell = json_object_get(v);
    json_object_put(res);
    return cell;
}

/* ---- columns ---------------------------------------------------------------- */

/* One column definition. */
static json_object *coldef(const char *name, const char *type, const char *format,
                           const char *desc, int priority)
{
    json_object *c = json_object_new_object();
    jx_set_str(c, "name", name);
    jx_set_str(c, "type", type);
    jx_set_str(c, "format", format);
    jx_set_str(c, "description", desc);
    json_object_object_add(c, "priority", json_object_new_int(priority));
    return c;
}

/* Number of keys in a map member (for DATA columns). */
static int count_keys(json_object *o, const char *a, const char *b)
{
    int n = 0;
    json_object *x = jx_get(o, a), *y = b ? jx_get(o, b) : NULL;
    n += x && json_object_is_type(x, json_type_object) ? json_object_object_length(x) : 0;
    n += y && json_object_is_type(y, json_type_object) ? json_object_object_length(y) : 0;
    return n;
}

/* Integer field as "n" (0 when absent). */
static long long int_at(json_object *o, const char *a, const char *b)
{
    json_object *v = jx_get(jx_get(o, a), b);
    return v ? json_object_get_int64(v) : 0;
}

/* Pod columns: Ready (ready/total containers), Status, Restarts. */
static void pod_columns(json_object *obj, json_object *out)
{
    char buf[32];
    if (!obj) {
        json_object_array_add(out, coldef("Ready", "string", "", "Ready containers", 0));
        json_object_array_add(out, coldef("Status", "string", "", "Phase or reason", 0));
        json_object_array_add(out, coldef("Restarts", "string", "", "Container restarts", 0));
        return;
    }
    json_object *cs = jx_get(jx_get(obj, "status"), "containerStatuses");
    json_object *containers = jx_get(jx_get(obj, "spec"), "containers");
    long ready = 0, restarts = 0;
    for (size_t i = 0; cs && json_object_is_type(cs, json_type_array) &&
                       i < json_object_array_length(cs);
         i++) {
        json_object *c = json_object_array_get_idx(cs, i), *rd = jx_get(c, "ready");
        ready += rd && json_object_get_boolean(rd);
        restarts += json_object_get_int(jx_get(c, "restartCount"));
    }
    size_t total = containers && json_object_is_type(containers, json_type_array)
                       ? json_object_array_length(containers)
                       : 0;
    snprintf(buf, sizeof buf, "%ld/%zu", ready, total);
    json_object_array_add(out, json_object_new_string(buf));
    const char *phase = jx_get_str(jx_get(obj, "status"), "phase");
    json_object_array_add(out, json_object_new_string(phase ? phase : ""));
    json_object_array_add(out, json_object_new_int64(restarts));
}

/* Service columns: Type, Cluster-IP, External-IP, Port(s). */
static void service_columns(json_object *obj, json_object *out)
{
    if (!obj) {
        json_object_array_add(out, coldef("Type", "string", "", "Service type", 0));
        json_object_array_add(out, coldef("Cluster-IP", "string", "", "Cluster IP", 0));
        json_object_array_add(out, coldef("External-IP", "string", "", "External IPs", 0));
        json_object_array_add(out, coldef("Port(s)", "string", "", "Ports", 0));
        return;
    }
    json_object *spec = jx_get(obj, "spec"), *ports = jx_get(spec, "ports");
    const char *type = jx_get_str(spec, "type"), *ip = jx_get_str(spec, "clusterIP");
    json_object_array_add(out, json_object_new_string(type ? type : "ClusterIP"));
    json_object_array_add(out, json_object_new_string(ip && *ip ? ip : "<none>"));
    json_object_array_add(out, json_object_new_string("<none>"));
    gotk_buf b = {0};
    for (size_t i = 0; ports && json_object_is_type(ports, json_type_array) &&
                       i < json_object_array_length(ports);
         i++) {
        json_object *p = json_object_array_get_idx(ports, i);
        const char *proto = jx_get_str(p, "protocol");
        json_object *np = jx_get(p, "nodePort");
        gotk_buf_printf(&b, "%s%d", i ? "," : "", json_object_get_int(jx_get(p, "port")));
        if (np)
            gotk_buf_printf(&b, ":%d", json_object_get_int(np));
        gotk_buf_printf(&b, "/%s", proto ? proto : "TCP");
    }
    json_object_array_add(out, json_object_new_string(b.data ? b.data : "<none>"));
    gotk_buf_free(&b);
}

/* Kind-specific columns of built-ins: definitions (obj NULL) or cells. */
static void builtin_columns(const api_resource *r, json_object *obj, json_object *out)
{
    char buf[64];
    if (!*r->group && !strcmp(r->kind, "Pod")) {
        pod_columns(obj, out);
    } else if (!*r->group && !strcmp(r->kind, "Service")) {
        service_columns(obj, out);
    } else if (!strcmp(r->kind, "ConfigMap")) {
        if (!obj)
            json_object_array_add(out, coldef("Data", "string", "", "Number of data keys", 0));
        else
            json_object_array_add(out, json_object_new_int(count_keys(obj, "data", "binaryData")));
    } else if (!strcmp(r->kind, "Secret")) {
        if (!obj) {
            json_object_array_add(out, coldef("Type", "string", "", "Secret type", 0));
            json_object_array_add(out, coldef("Data", "string", "", "Number of data keys", 0));
        } else {
            const char *t = jx_get_str(obj, "type");
            json_object_array_add(out, json_object_new_string(t ? t : "Opaque"));
            json_object_array_add(out, json_object_new_int(count_keys(obj, "data", "stringData")));
        }
    } else if (!strcmp(r->kind, "Namespace")) {
        if (!obj)
            json_object_array_add(out, coldef("Status", "string", "", "Namespace phase", 0));
        else {
            const char *ph = jx_get_str(jx_get(obj, "status"), "phase");
            json_object_array_add(out, json_object_new_string(ph ? ph : ""));
        }
    } else if (!strcmp(r->kind, "Deployment")) {
        if (!obj) {
            json_object_array_add(out, coldef("Ready", "string", "", "Ready replicas", 0));
            json_object_array_add(out, coldef("Up-to-date", "string", "", "Updated", 0));
            json_object_array_add(out, coldef("Available", "string", "", "Available", 0));
        } else {
            json_object *spec_r = jx_get(jx_get(obj, "spec"), "replicas");
            snprintf(buf, sizeof buf, "%lld/%lld", int_at(obj, "status", "readyReplicas"),
                     spec_r ? (long long)json_object_get_int64(spec_r) : 1LL);
            json_object_array_add(out, json_object_new_string(buf));
            json_object_array_add(out,
                                  json_object_new_int64(int_at(obj, "status", "updatedReplicas")));
            json_object_array_add(out,
                                  json_object_new_int64(int_at(obj, "status", "availableReplicas")));
        }
    }
}

/* The row's object as includeObject asks: Object, Metadata (default) or None. */
static json_object *row_object(api_req *q, json_object *obj)
{
    const char *inc = q->include_object;
    if (inc && !strcmp(inc, "None"))
        return NULL;
    if (inc && !strcmp(inc, "Object"))
        return json_object_get(obj);
    json_object *p = json_object_new_object();
    jx_set_str(p, "kind", "PartialObjectMetadata");
    jx_set_str(p, "apiVersion", "meta.k8s.io/v1");
    json_object *m = jx_get(obj, "metadata");
    json_object_object_add(p, "metadata", m ? gotk_obj_copy(m) : json_object_new_object());
    return p;
}

/* CustomResourceDefinitions print their creation time instead of an age. */
static bool created_at(const api_resource *r)
{
    return !strcmp(r->kind, "CustomResourceDefinition") && !strcmp(r->group, "apiextensions.k8s.io");
}

/* Whether a CRD resource uses its own columns. */
static bool custom_columns(const api_resource *r)
{
    return r->crd && r->ncols > 0;
}

/* The column definitions for a resource. */
static json_object *column_defs(const api_resource *r)
{
    json_object *defs = json_object_new_array();
    json_object_array_add(defs, coldef("Name", "string", "name",
                                       "Name must be unique within a namespace.", 0));
    if (custom_columns(r)) {
        for (int i = 0; i < r->ncols; i++)
            json_object_array_add(defs, coldef(r->cols[i].name, r->cols[i].type, r->cols[i].format,
                                               r->cols[i].description, r->cols[i].priority));
        return defs;
    }
    builtin_columns(r, NULL, defs);
    if (created_at(r)) {
        json_object_array_add(defs, coldef("Created At", "date", "", "Creation time", 0));
        return defs;
    }
    json_object_array_add(defs, coldef("Age", "string", "",
                                       "CreationTimestamp is a timestamp representing the server "
                                       "time when this object was created.",
                                       0));
    return defs;
}

/* One row. */
static json_object *row(api_req *q, json_object *obj)
{
    json_object *cells = json_object_new_array(), *row = json_object_new_object();
    const char *name = jx_meta_str(obj, "name");
    json_object_array_add(cells, json_object_new_string(name ? name : ""));
    if (custom_columns(q->r)) {
        for (int i = 0; i < q->r->ncols; i++)
            json_object_array_add(cells, column_cell(obj, &q->r->cols[i]));
    } else {
        builtin_columns(q->r, obj, cells);
        const char *ts = jx_meta_str(obj, "creationTimestamp");
        json_object_array_add(cells, created_at(q->r) ? json_object_new_string(ts ? ts : "")
                                                      : age_cell(ts));
    }
    json_object_object_add(row, "cells", cells);
    json_object *o = row_object(q, obj);
    if (o)
        json_object_object_add(row, "object", o);
    return row;
}

/* Build the Table (consumes o). */
json_object *table_from(api_req *q, json_object *o, bool is_list)
{
    json_object *t = json_object_new_object(), *rows = json_object_new_array();
    jx_set_str(t, "kind", "Table");
    jx_set_str(t, "apiVersion", "meta.k8s.io/v1");
    json_object *meta = json_object_new_object();
    json_object *src_meta = jx_get(o, "metadata");
    const char *rv = jx_get_str(src_meta, "resourceVersion");
    if (rv)
        jx_set_str(meta, "resourceVersion", rv);
    if (is_list && jx_get_str(src_meta, "continue"))
        jx_set_str(meta, "continue", jx_get_str(src_meta, "continue"));
    json_object_object_add(t, "metadata", meta);
    json_object_object_add(t, "columnDefinitions", column_defs(q->r));
    if (is_list) {
        json_object *items = jx_get(o, "items");
        for (size_t i = 0; items && i < json_object_array_length(items); i++)
            json_object_array_add(rows, row(q, json_object_array_get_idx(items, i)));
    } else {
        json_object_array_add(rows, row(q, o));
    }
    json_object_object_add(t, "rows", rows);
    json_object_put(o);
    return t;
}
