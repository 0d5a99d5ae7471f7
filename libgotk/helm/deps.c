/*
 * deps.c: chartutil.ProcessDependenciesWithMerge: match Chart.yaml's
 * dependencies to the loaded subcharts (by name and version range), apply
 * aliases, drop subcharts disabled by tags or conditions, and import values
 * from subcharts into their parents.
 */
#include <stdlib.h>
#include <string.h>

#include "gotk/obj.h"
#include "helm_int.h"

static bool is_table(json_object *j)
{
    return j && json_object_is_type(j, json_type_object);
}

/* Values.Table: the map at a dotted path, or NULL. */
static json_object *values_table(json_object *v, const char *path)
{
    json_object *t = gotk_obj_getp(v, path);
    return is_table(t) ? t : NULL;
}

/* Values.PathValue: a non-table value at a dotted path; *found says whether. */
static json_object *path_value(json_object *v, const char *path, bool *found)
{
    *found = false;
    if (!*path)
        return NULL;
    const char *dot = strrchr(path, '.');
    json_object *t = v;
    if (dot) {
        char *head = gotk_xstrndup(path, (size_t)(dot - path));
        t = values_table(v, head);
        free(head);
    }
    const char *key = dot ? dot + 1 : path;
    json_object *k = NULL;
    if (t && json_object_object_get_ex(t, key, &k) && !is_table(k)) {
        *found = true;
        return k;
    }
    return NULL;
}

static const char *dep_str(json_object *d, const char *key)
{
    const char *s = gotk_obj_get_str(d, key);
    return s ? s : "";
}

static json_object *meta_deps(const gotk_helm_chart *c)
{
    json_object *d = NULL;
    if (!json_object_object_get_ex(c->meta, "dependencies", &d) ||
        !json_object_is_type(d, json_type_array))
        return NULL;
    return d;
}

/* getAliasDependency's match. */
static bool dep_matches(const gotk_helm_chart *sc, json_object *req)
{
    return !strcmp(helm_chart_name(sc), dep_str(req, "name")) &&
           helm_compatible_range(dep_str(req, "version"), gotk_obj_get_str(sc->meta, "version"));
}

/* The new dependency list: unmatched subcharts, then one per requirement. */
static void resolve_aliases(gotk_helm_chart *c, json_object *reqs)
{
    size_t n = json_object_array_length(reqs);
    gotk_helm_chart **out = gotk_xcalloc(c->ndeps + n + 1, sizeof *out);
    bool *taken = gotk_xcalloc(c->ndeps + 1, sizeof *taken);
    size_t no = 0;
    for (size_t i = 0; i < c->ndeps; i++) {
        bool matched = false;
        for (size_t j = 0; j < n && !matched; j++)
            matched = is_table(json_object_array_get_idx(reqs, j)) &&
                      dep_matches(c->deps[i], json_object_array_get_idx(reqs, j));
        if (!matched) {
            out[no++] = c->deps[i];
            taken[i] = true;
        }
    }
    /* match every requirement before any alias renames a chart */
    long *match = gotk_xcalloc(n + 1, sizeof *match);
    char **orig = gotk_xcalloc(c->ndeps + 1, sizeof *orig);
    for (size_t i = 0; i < c->ndeps; i++)
        orig[i] = gotk_xstrdup(helm_chart_name(c->deps[i]));
    for (size_t j = 0; j < n; j++) {
        json_object *req = json_object_array_get_idx(reqs, j);
        match[j] = -1;
        for (size_t i = 0; is_table(req) && i < c->ndeps && match[j] < 0; i++)
            if (dep_matches(c->deps[i], req))
                match[j] = (long)i;
    }
    for (size_t j = 0; j < n; j++) {
        json_object *req = json_object_array_get_idx(reqs, j);
        if (!is_table(req))
            continue;
        const char *alias = dep_str(req, "alias");
        if (match[j] >= 0) {
            size_t i = (size_t)match[j];
            gotk_helm_chart *sc = c->deps[i];
            if (taken[i]) {
                sc = helm_chart_alias(sc, *alias ? alias : orig[i]);
            } else {
                taken[i] = true;
                if (*alias)
                    json_object_object_add(sc->meta, "name", json_object_new_string(alias));
            }
            out[no++] = sc;
        }
        if (*alias)
            json_object_object_add(req, "name", json_object_new_string(alias));
    }
    free(match);
    for (size_t i = 0; i < c->ndeps; i++)
        free(orig[i]);
    free(orig);
    for (size_t i = 0; i < c->ndeps; i++)
        if (!taken[i])
            gotk_helm_chart_free(c->deps[i]);
    free(taken);
    free(c->deps);
    c->deps = out;
    c->ndeps = no;
    for (size_t i = 0; i < no; i++)
        out[i]->parent = c;
}

static void apply_tags(json_object *reqs, json_object *cvals)
{
    json_object *vt = NULL;
    if (!json_object_object_get_ex(cvals, "tags", &vt) || !is_table(vt))
        return;
    size_t n = json_object_array_length(reqs);
    for (size_t i = 0; i < n; i++) {
        json_object *r = json_object_array_get_idx(reqs, i), *tags = NULL;
        if (!is_table(r))
            continue;
        bool has_true = false, has_false = false;
        json_object_object_get_ex(r, "tags", &tags);
        size_t nt = json_object_is_type(tags, json_type_array) ? json_object_array_length(tags) : 0;
        for (size_t t = 0; t < nt; t++) {
            json_object *b = NULL;
            const char *k = json_object_get_string(json_object_array_get_idx(tags, t));
            if (!k || !json_object_object_get_ex(vt, k, &b))
                continue;
            if (!json_object_is_type(b, json_type_boolean))
                helm_warnf("dependencies.go:94: Warning: Tag '%s' for chart %s returned non-bool value",
                           k, dep_str(r, "name"));
            else if (json_object_get_boolean(b))
                has_true = true;
            else
                has_false = true;
        }
        if (!has_true && has_false)
            json_object_object_add(r, "enabled", json_object_new_boolean(0));
        else
            json_object_object_add(r, "enabled", json_object_new_boolean(1));
    }
}

static void apply_conditions(json_object *reqs, json_object *cvals, const char *path)
{
    size_t n = json_object_array_length(reqs);
    for (size_t i = 0; i < n; i++) {
        json_object *r = json_object_array_get_idx(reqs, i);
        if (!is_table(r))
            continue;
        const char *cond = dep_str(r, "condition");
        while (*cond == ' ' || *cond == '\t' || *cond == '\n' || *cond == '\r')
            cond++;
        char *copy = gotk_xstrdup(cond);
        size_t l = strlen(copy);
        while (l && strchr(" \t\r\n\v\f", copy[l - 1]))
            copy[--l] = 0;
        char *save = NULL;
        for (char *c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
            char *full = gotk_xasprintf("%s%s", path, c);
            bool found;
            json_object *vv = path_value(cvals, full, &found);
            free(full);
            if (found && json_object_is_type(vv, json_type_boolean)) {
                json_object_object_add(r, "enabled",
                                       json_object_new_boolean(json_object_get_boolean(vv)));
                break;
            }
            if (found)
                helm_warnf("dependencies.go:63: Warning: Condition path '%s' for chart %s returned "
                           "non-bool value", c, dep_str(r, "name"));
        }
        free(copy);
    }
}

static bool req_enabled(json_object *r)
{
    json_object *e = NULL;
    return !json_object_object_get_ex(r, "enabled", &e) || json_object_get_boolean(e);
}

/* Drop disabled subcharts and their requirements. */
static void remove_disabled(gotk_helm_chart *c, json_object *reqs)
{
    size_t n = json_object_array_length(reqs), no = 0;
    json_object *kept = json_object_new_array();
    for (size_t i = 0; i < c->ndeps; i++) {
        bool off = false;
        for (size_t j = 0; j < n && !off; j++) {
            json_object *r = json_object_array_get_idx(reqs, j);
            off = is_table(r) && !req_enabled(r) &&
                  !strcmp(dep_str(r, "name"), helm_chart_name(c->deps[i]));
        }
        if (off)
            gotk_helm_chart_free(c->deps[i]);
        else
            c->deps[no++] = c->deps[i];
    }
    c->ndeps = no;
    for (size_t j = 0; j < n; j++) {
        json_object *r = json_object_array_get_idx(reqs, j);
        if (!is_table(r) || req_enabled(r))
            json_object_array_add(kept, json_object_get(r));
    }
    json_object_object_add(c->meta, "dependencies", kept);
}

static gotk_err *process_enabled(gotk_helm_chart *c, json_object *v, const char *path)
{
    json_object *reqs = meta_deps(c);
    if (!reqs)
        return NULL;
    resolve_aliases(c, reqs);
    size_t n = json_object_array_length(reqs);
    for (size_t i = 0; i < n; i++)
        if (is_table(json_object_array_get_idx(reqs, i)))
            json_object_object_add(json_object_array_get_idx(reqs, i), "enabled",
                                   json_object_new_boolean(1));
    json_object *cvals = NULL;
    gotk_err *e = helm_coalesce_shared(c, v, &cvals);
    if (e)
        return e;
    apply_tags(reqs, cvals);
    apply_conditions(reqs, cvals, path);
    remove_disabled(c, reqs);
    for (size_t i = 0; i < c->ndeps && !e; i++) {
        char *sub = gotk_xasprintf("%s%s.", path, helm_chart_name(c->deps[i]));
        e = process_enabled(c->deps[i], cvals, sub);
        free(sub);
    }
    json_object_put(cvals);
    return e;
}

/* pathToMap: data nested under a dotted path ("." is data itself). */
static json_object *path_to_map(const char *path, json_object *data)
{
    if (!strcmp(path, "."))
        return json_object_get(data);
    char *copy = gotk_xstrdup(path);
    json_object *cur = json_object_get(data);
    for (char *end = copy + strlen(copy);;) {
        char *dot = NULL;
        for (char *q = end; q > copy; q--)
            if (q[-1] == '.') {
                dot = q - 1;
                break;
            }
        const char *key = dot ? dot + 1 : copy;
        json_object *m = json_object_new_object();
        json_object_object_add(m, key, cur);
        cur = m;
        if (!dot)
            break;
        *dot = 0;
        end = dot;
    }
    free(copy);
    return cur;
}

/* Values.Table's error: the first key of the dotted path that is no table. */
static char *no_table_key(json_object *v, const char *path)
{
    char *copy = gotk_xstrdup(path), *save = NULL, *bad = NULL;
    for (char *k = strtok_r(copy, ".", &save); k && !bad; k = strtok_r(NULL, ".", &save))
        if (!json_object_object_get_ex(v, k, &v) || !is_table(v))
            bad = gotk_xstrdup(k);
    free(copy);
    return bad ? bad : gotk_xstrdup("");
}

/* One import: the child's table merged into b under parent; Helm warns of a
 * missing table (from_chart: the chart's name, for child/parent imports). */
static void import_one(json_object *b, json_object *cvals, const char *table, const char *parent,
                       const char *from_chart)
{
    json_object *vv = values_table(cvals, table);
    if (!vv) {
        char *key = no_table_key(cvals, table);
        gotk_buf q = {0};
        helm_go_quote(&q, key, strlen(key));
        if (from_chart)
            helm_warnf("dependencies.go:269: Warning: ImportValues missing table from chart %s: "
                       "%s is not a table", from_chart, q.data);
        else
            helm_warnf("dependencies.go:286: Warning: ImportValues missing table: %s is not a table",
                       q.data);
        gotk_buf_free(&q);
        free(key);
        return;
    }
    json_object *m = path_to_map(parent, vv);
    gotk_helm_coalesce_tables(b, m, true);
    json_object_put(m);
}

static void process_import_values(gotk_helm_chart *c)
{
    json_object *reqs = meta_deps(c);
    if (!reqs)
        return;
    /* A parent with dependencies coalesces copies of these values next: until
     * then they may share the defaults of c's subcharts (helm_coalesce_shared) */
    bool share = c->parent && meta_deps(c->parent);
    json_object *cvals = helm_coalesce(c, json_object_new_object(), true, share);
    json_object *b = json_object_new_object();
    size_t n = json_object_array_length(reqs);
    for (size_t i = 0; i < n; i++) {
        json_object *r = json_object_array_get_idx(reqs, i), *ivs = NULL;
        if (!is_table(r) || !json_object_object_get_ex(r, "import-values", &ivs) ||
            !json_object_is_type(ivs, json_type_array))
            continue;
        json_object *outiv = json_object_new_array();
        const char *name = dep_str(r, "name");
        for (size_t k = 0; k < json_object_array_length(ivs); k++) {
            json_object *iv = json_object_array_get_idx(ivs, k);
            const char *child, *parent;
            char *cpath;
            if (is_table(iv)) {
                child = dep_str(iv, "child");
                parent = dep_str(iv, "parent");
                cpath = gotk_xstrdup(child);
            } else if (json_object_is_type(iv, json_type_string)) {
                cpath = gotk_xasprintf("exports.%s", json_object_get_string(iv));
                child = cpath;
                parent = ".";
            } else {
                continue;
            }
            json_object *o = json_object_new_object();
            json_object_object_add(o, "child", json_object_new_string(child));
            json_object_object_add(o, "parent", json_object_new_string(parent));
            json_object_array_add(outiv, o);
            char *table = gotk_xasprintf("%s.%s", name, cpath);
            import_one(b, cvals, table, parent, is_table(iv) ? name : NULL);
            free(table);
            free(cpath);
        }
        json_object_object_add(r, "import-values", outiv);
    }
    /* MergeTables(deepCopyMap(cvals), b): the copy only matters when b holds
     * tables of cvals that would otherwise appear twice in the result */
    json_object *merged = cvals;
    if (json_object_object_length(b) > 0) {
        merged = helm_copy_values(cvals);
        gotk_helm_coalesce_tables(merged, b, true);
        json_object_put(cvals);
    }
    json_object_put(c->values);
    c->values = merged;
    c->values_shared = share;
    json_object_put(b);
}

static void process_imports(gotk_helm_chart *c)
{
    for (size_t i = 0; i < c->ndeps; i++)
        process_imports(c->deps[i]);
    process_import_values(c);
}

gotk_err *helm_process_dependencies(gotk_helm_chart *c, json_object *vals)
{
    gotk_err *e = process_enabled(c, vals, "");
    if (e)
        return e;
    process_imports(c);
    return NULL;
}
