/*
 * values.c: user values (pkg/cli/values) and coalescing with chart defaults
 * (pkg/chartutil/coalesce.go). Go's maps are shared by reference where Helm
 * shares them (copyMap is shallow, copystructure.Copy deep); json-c reference
 * counts give the same sharing, so Helm's quirks (a subchart's globals
 * written through into the parent's) come out the same.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gotk/obj.h"
#include "helm_int.h"

#define GLOBAL_KEY "global"

static bool is_table(json_object *j)
{
    return j && json_object_is_type(j, json_type_object);
}

json_object *gotk_helm_merge_maps(json_object *a, json_object *b)
{
    json_object *out = json_object_new_object();
    if (a) {
        json_object_object_foreach(a, k, v) json_object_object_add(out, k, json_object_get(v));
    }
    if (!b)
        return out;
    json_object_object_foreach(b, k, v) {
        json_object *cur;
        if (is_table(v) && json_object_object_get_ex(out, k, &cur) && is_table(cur)) {
            json_object_object_add(out, k, gotk_helm_merge_maps(cur, v));
            continue;
        }
        json_object_object_add(out, k, json_object_get(v));
    }
    return out;
}

/* coalesceTablesFullKey; with `copy`, what dst takes from src is a deep copy
 * (src is then a chart's own values, which Helm copies before coalescing:
 * copying only what is taken gives the same result for a fraction of the
 * work when dst has most keys already, as on the repeated coalescing of
 * processDependencyEnabled). */
static void coalesce_tables(json_object *dst, json_object *src, bool merge, bool copy)
{
    if (!src || !dst)
        return;
    json_object_object_foreach(src, key, val) {
        json_object *dv = NULL;
        bool ok = json_object_object_get_ex(dst, key, &dv);
        if (ok && !merge && !dv)
            json_object_object_del(dst, key);
        else if (!ok)
            json_object_object_add(dst, key, copy ? gotk_obj_copy(val) : json_object_get(val));
        else if (is_table(val) && is_table(dv))
            coalesce_tables(dv, val, merge, copy);
    }
}

void gotk_helm_coalesce_tables(json_object *dst, json_object *src, bool merge)
{
    coalesce_tables(dst, src, merge, false);
}

/* copyMap: a shallow copy. */
static json_object *copy_map(json_object *src)
{
    json_object *m = json_object_new_object();
    json_object_object_foreach(src, k, v) json_object_object_add(m, k, json_object_get(v));
    return m;
}

static void coalesce_globals(json_object *dest, json_object *src)
{
    json_object *dg = NULL, *sg = NULL;
    if (!json_object_object_get_ex(dest, GLOBAL_KEY, &dg))
        dg = json_object_new_object();
    else if (!is_table(dg))
        return;
    else
        json_object_get(dg);
    if (!json_object_object_get_ex(src, GLOBAL_KEY, &sg)) {
        sg = NULL;
    } else if (!is_table(sg)) {
        json_object_put(dg);
        return;
    }
    if (sg) {
        json_object_object_foreach(sg, key, val) {
            json_object *dv = NULL;
            bool has = json_object_object_get_ex(dg, key, &dv);
            if (is_table(val)) {
                json_object *vv = copy_map(val);
                if (!has) {
                    json_object_object_add(dg, key, vv);
                } else if (!is_table(dv)) {
                    json_object_put(vv);
                } else {
                    gotk_helm_coalesce_tables(vv, dv, true);
                    json_object_object_add(dg, key, vv);
                }
            } else if (!(has && is_table(dv))) {
                json_object_object_add(dg, key, json_object_get(val));
            }
        }
    }
    json_object_object_add(dest, GLOBAL_KEY, dg);
}

static bool is_dependency_name(const gotk_helm_chart *c, const char *key)
{
    for (size_t i = 0; i < c->ndeps; i++)
        if (!strcmp(helm_chart_name(c->deps[i]), key))
            return true;
    return false;
}

/* coalesceValues: v takes copies of the chart's defaults it lacks (with
 * `copy` false, the defaults themselves when no other chart has them: see
 * helm_coalesce_final). */
static void coalesce_chart_values(const gotk_helm_chart *c, json_object *v, bool merge,
                                  bool copy)
{
    if (!c->values)
        return;
    copy = copy || c->values_shared;
    json_object_object_foreach(c->values, key, val) {
        json_object *value = NULL;
        if (!json_object_object_get_ex(v, key, &value)) {
            json_object_object_add(v, key, copy ? gotk_obj_copy(val) : json_object_get(val));
        } else if (!value && !merge) {
            json_object_object_del(v, key);
        } else if (is_table(value) && is_table(val)) {
            coalesce_tables(value, val, merge || is_dependency_name(c, key), copy);
        }
    }
}

/* Go's %t of a non-bool: "%!t(string=x)". */
static void bad_verb_t(gotk_buf *b, json_object *v)
{
    if (!v) {
        gotk_buf_puts(b, "%!t(<nil>)");
        return;
    }
    if (json_object_is_type(v, json_type_boolean)) {
        gotk_buf_puts(b, json_object_get_boolean(v) ? "true" : "false");
        return;
    }
    const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v)
                                                              : json_object_to_json_string(v);
    gotk_buf_printf(b, "%%!t(%s=%s)", helm_go_type(v), s);
}

static gotk_err *coalesce_deps(const gotk_helm_chart *c, json_object *dest, bool merge,
                               bool copy)
{
    for (size_t i = 0; i < c->ndeps; i++) {
        const char *name = helm_chart_name(c->deps[i]);
        json_object *dv = NULL;
        if (!json_object_object_get_ex(dest, name, &dv)) {
            dv = json_object_new_object();
            json_object_object_add(dest, name, dv);
        } else if (!is_table(dv)) {
            gotk_buf b = {0};
            bad_verb_t(&b, dv);
            gotk_err *e = gotk_err_new(GOTK_E_INVALID, "type mismatch on %s: %s", name, b.data);
            gotk_buf_free(&b);
            return e;
        }
        coalesce_globals(dv, dest);
        coalesce_chart_values(c->deps[i], dv, merge, copy);
        gotk_err *e = coalesce_deps(c->deps[i], dv, merge, copy);
        if (e)
            return e;
    }
    return NULL;
}

json_object *helm_coalesce(const gotk_helm_chart *c, json_object *vals, bool merge)
{
    coalesce_chart_values(c, vals, merge, true);
    gotk_err *e = coalesce_deps(c, vals, merge, true);
    if (e) {
        /* only a type mismatch; callers that need it use gotk_helm_coalesce_values */
        gotk_err_free(e);
    }
    return vals;
}

/* Whether coalescing chart c can write into vals[key]: its own defaults, its
 * subcharts and the globals. */
static bool touched_key(const gotk_helm_chart *c, const char *key)
{
    return !strcmp(key, GLOBAL_KEY) || json_object_object_get_ex(c->values, key, NULL) ||
           is_dependency_name(c, key);
}

/* copystructure.Copy(vals) as far as coalescing c can tell: the entries it may
 * write into are copied deeply, the rest shared (read-only from here on). A
 * parent's whole values tree is coalesced once per subchart while processing
 * dependencies, so this keeps that linear. */
static json_object *copy_for_coalesce(const gotk_helm_chart *c, json_object *vals)
{
    json_object *v = json_object_new_object();
    json_object_object_foreach(vals, key, val) {
        json_object_object_add(v, key, touched_key(c, key) ? gotk_obj_copy(val)
                                                           : json_object_get(val));
    }
    return v;
}

static gotk_err *coalesce_values(const gotk_helm_chart *c, json_object *vals, bool copy,
                                 json_object **out)
{
    json_object *v = vals ? copy_for_coalesce(c, vals) : json_object_new_object();
    coalesce_chart_values(c, v, false, copy);
    gotk_err *e = coalesce_deps(c, v, false, copy);
    if (e) {
        json_object_put(v);
        *out = NULL;
        return e;
    }
    *out = v;
    return NULL;
}

gotk_err *gotk_helm_coalesce_values(const gotk_helm_chart *c, json_object *vals,
                                    json_object **out)
{
    return coalesce_values(c, vals, true, out);
}

/* The charts' own references to their values, which nothing reads after the
 * last coalescing: what the result took stays alive through it. */
static void drop_chart_values(gotk_helm_chart *c)
{
    json_object_put(c->values);
    c->values = NULL;
    for (size_t i = 0; i < c->ndeps; i++)
        drop_chart_values(c->deps[i]);
}

gotk_err *helm_coalesce_final(gotk_helm_chart *c, json_object *vals, json_object **out)
{
    gotk_err *e = coalesce_values(c, vals, false, out);
    if (!e)
        drop_chart_values(c);
    return e;
}

/* ---- user values ---------------------------------------------------------- */

static gotk_err *read_input(const char *path, char **data, size_t *len)
{
    if (!strcmp(path, "-")) {
        gotk_buf b = {0};
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
            gotk_buf_append(&b, chunk, n);
        *len = b.len;
        *data = b.data ? gotk_buf_steal(&b) : gotk_xstrdup("");
        return NULL;
    }
    gotk_err *e = gotk_file_read(path, data, len);
    if (e) {
        int err = gotk_err_code_of(e) == GOTK_E_NOTFOUND ? ENOENT : errno;
        gotk_err_free(e);
        return helm_os_error("open", path, err ? err : ENOENT);
    }
    return NULL;
}

static gotk_err *values_file(const char *path, json_object **base)
{
    char *data;
    size_t len;
    gotk_err *e = read_input(path, &data, &len);
    if (e)
        return e;
    json_object *doc = NULL;
    e = helm_yaml_one(data, len, NULL, &doc);
    free(data);
    if (!e && doc && !is_table(doc))
        e = gotk_err_new(GOTK_E_INVALID,
                         "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal %s into Go value of type map[string]interface {}",
                         helm_json_kind(doc));
    if (e) {
        json_object_put(doc);
        return gotk_err_wrap(e, "failed to parse %s", path);
    }
    json_object *m = gotk_helm_merge_maps(*base, doc);
    json_object_put(doc);
    json_object_put(*base);
    *base = m;
    return NULL;
}

static gotk_err *set_values(const char *const *list, gotk_helm_set_kind kind, const char *flag,
                            json_object *base)
{
    for (size_t i = 0; list && list[i]; i++) {
        gotk_err *e = gotk_helm_strvals(list[i], kind, base);
        if (!e)
            continue;
        if (kind == GOTK_HELM_SET_JSON) {
            gotk_err_free(e);
            return gotk_err_new(GOTK_E_INVALID, "failed parsing --set-json data %s", list[i]);
        }
        return gotk_err_wrap(e, "failed parsing %s data", flag);
    }
    return NULL;
}

gotk_err *gotk_helm_user_values(const gotk_helm_value_opts *o, json_object **out)
{
    json_object *base = json_object_new_object();
    gotk_err *e = NULL;
    *out = NULL;
    for (size_t i = 0; o->files && o->files[i] && !e; i++)
        e = values_file(o->files[i], &base);
    if (!e)
        e = set_values(o->set_json, GOTK_HELM_SET_JSON, "--set-json", base);
    if (!e)
        e = set_values(o->set, GOTK_HELM_SET, "--set", base);
    if (!e)
        e = set_values(o->set_string, GOTK_HELM_SET_STRING, "--set-string", base);
    if (!e)
        e = set_values(o->set_file, GOTK_HELM_SET_FILE, "--set-file", base);
    if (!e)
        e = set_values(o->set_literal, GOTK_HELM_SET_LITERAL, "--set-literal", base);
    if (e) {
        json_object_put(base);
        return e;
    }
    *out = base;
    return NULL;
}
