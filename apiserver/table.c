/*
 * table.c: server-side printing (meta.k8s.io/v1 Table) for `kubectl get`.
 *
 * kubectl asks for `application/json;as=Table;v=v1;g=meta.k8s.io`; the server
 * answers with column definitions and one row of cells per object. Custom
 * resources get Name, their additionalPrinterColumns (evaluated with a small
 * JSONPath subset: .a.b, [n], [*], [?(@.k=="v")]), and Age when they define no
 * columns; built-ins get Name and the columns Kubernetes' printers give their
 * kind (table_builtins.c). Dates print as kubectl's human durations ("5m",
 * "2d3h"). Each row carries the object (includeObject=Object) or its metadata
 * (the default).
 */
#include <stdlib.h>
#include <string.h>

#include "table_builtins.h"

/* Whether the Accept header prefers a Table. */
bool table_wanted(const char *accept)
{
    return accept && strstr(accept, "as=Table");
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
        cell = table_age_cell(json_object_get_string(v));
    else if (json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array))
        cell = json_object_new_string(jx_str(v));
    else
        cell = json_object_get(v);
    json_object_put(res);
    return cell;
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

/* Whether a CRD resource uses its own columns. */
static bool custom_columns(const api_resource *r)
{
    return r->crd && r->ncols > 0;
}

/* The column definitions for a resource. */
static json_object *column_defs(const api_resource *r)
{
    json_object *defs = json_object_new_array();
    json_object_array_add(
        defs, table_coldef("Name", "string", "name", "Name must be unique within a namespace.", 0));
    if (custom_columns(r)) {
        for (int i = 0; i < r->ncols; i++)
            json_object_array_add(defs, table_coldef(r->cols[i].name, r->cols[i].type,
                                                     r->cols[i].format, r->cols[i].description,
                                                     r->cols[i].priority));
        return defs;
    }
    table_builtin_defs(r, defs);
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
        table_builtin_cells(q->r, obj, cells);
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
