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

/* Where coalescing is, for Helm's warnings ("chart.sub.key"): a chain of keys
 * on the stack, made into text only when a warning needs it. */
typedef struct kpath {
    const struct kpath *up;
    const char *key;
} kpath;

static void kpath_text(gotk_buf *b, const kpath *p)
{
    if (!p)
        return;
    kpath_text(b, p->up);
    if (b->len)
        gotk_buf_putc(b, '.');
    gotk_buf_puts(b, p->key);
}

/* coalesce.go's warnings that name a key and a value: "... for KEY (VALUE)". */
static void warn_key_value(int line, const char *what, const kpath *at, const char *tail,
                           json_object *v)
{
    if (!helm_warn_wanted())
        return;
    gotk_buf k = {0}, val = {0};
    kpath_text(&k, at);
    helm_go_sprint(&val, v);
    helm_warnf("coalesce.go:%d: warning: %s %s%s (%s)", line, what, k.data ? k.data : "", tail,
               val.data ? val.data : "");
    gotk_buf_free(&k);
    gotk_buf_free(&val);
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

json_object *helm_copy_values(json_object *v)
{
    if (json_object_is_type(v, json_type_object)) {
        json_object *m = gotk_obj_new_map(json_object_object_length(v));
        json_object_object_foreach(v, k, e) json_object_object_add(m, k, helm_copy_values(e));
        return m;
    }
    if (json_object_is_type(v, json_type_array)) {
        size_t n = json_object_array_length(v);
        json_object *a = gotk_obj_new_list(n);
        for (size_t i = 0; i < n; i++)
            json_object_array_add(a, helm_copy_values(json_object_array_get_idx(v, i)));
        return a;
    }
    return json_object_get(v);
}

/* coalesceTablesFullKey; with `copy`, what dst takes from src is a deep copy
 * (src is then a chart's own values, which Helm copies before coalescing:
 * copying only what is taken gives the same result for a fraction of the
 * work when dst has most keys already, as on the repeated coalescing of
 * processDependencyEnabled). */
static void coalesce_tables(json_object *dst, json_object *src, bool merge, bool copy,
                            const kpath *at)
{
    if (!src || !dst)
        return;
    json_object_object_foreach(src, key, val) {
        json_object *dv = NULL;
        bool ok = json_object_object_get_ex(dst, key, &dv);
        kpath here = {at, key};
        if (ok && !merge && !dv)
            json_object_object_del(dst, key);
        else if (!ok)
            json_object_object_add(dst, key, copy ? helm_copy_values(val) : json_object_get(val));
        else if (is_table(val) && is_table(dv))
            coalesce_tables(dv, val, merge, copy, &here);
        else if (is_table(val))
            warn_key_value(298, "cannot overwrite table with non table for", &here, "", val);
        else if (is_table(dv) && val)
            warn_key_value(301, "destination for", &here, " is a table. Ignoring non-table value",
                           val);
    }
}

void gotk_helm_coalesce_tables(json_object *dst, json_object *src, bool merge)
{
    coalesce_tables(dst, src, merge, false, NULL);
}

/* copyMap: a shallow copy. */
static json_object *copy_map(json_object *src)
{
    json_object *m = json_object_new_object();
    json_object_object_foreach(src, k, v) json_object_object_add(m, k, json_object_get(v));
    return m;
}

static void coalesce_globals(json_object *dest, json_object *src, const kpath *at)
{
    json_object *dg = NULL, *sg = NULL;
    if (!json_object_object_get_ex(dest, GLOBAL_KEY, &dg)) {
        dg = json_object_new_object();
    } else if (!is_table(dg)) {
        helm_warnf("coalesce.go:138: warning: skipping globals because destination global is not a table.");
        return;
    } else {
        json_object_get(dg);
    }
    if (!json_object_object_get_ex(src, GLOBAL_KEY, &sg)) {
        sg = NULL;
    } else if (!is_table(sg)) {
        helm_warnf("coalesce.go:145: warning: skipping globals because source global is not a table.");
        json_object_put(dg);
        return;
    }
    if (sg) {
        json_object_object_foreach(sg, key, val) {
            json_object *dv = NULL;
            bool has = json_object_object_get_ex(dg, key, &dv);
            if (is_table(val)) {
                json_object *vv = copy_map(val);
                kpath here = {at, key};
                if (!has) {
                    json_object_object_add(dg, key, vv);
                } else if (!is_table(dv)) {
                    gotk_buf q = {0};
                    helm_go_quote(&q, key, strlen(key));
                    helm_warnf("coalesce.go:161: Conflict: cannot merge map onto non-map for %s. Skipping.",
                               q.data);
                    gotk_buf_free(&q);
                    json_object_put(vv);
                } else {
                    coalesce_tables(vv, dv, true, false, &here);
                    json_object_object_add(dg, key, vv);
                }
            } else if (!(has && is_table(dv))) {
                json_object_object_add(dg, key, json_object_get(val));
            } else {
                helm_warnf("coalesce.go:175: key %s is table. Skipping", key);
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

/* What a coalescing's result holds of the charts' defaults: copies (Helm's
 * copystructure.Copy), the defaults themselves where only the result writes
 * (helm_coalesce_shared), or the defaults themselves (helm_coalesce_final). */
typedef enum { COALESCE_COPY, COALESCE_SHARE, COALESCE_TAKE } coalesce_mode;

/* Whether v takes a copy of chart c's default `key`. Coalescing writes into
 * v's tables of subcharts (coalesce_deps) and globals (coalesce_globals, which
 * also writes through the tables shared between the globals of a chart and of
 * its subcharts, as Helm does): those are copied unless the defaults are
 * taken; whatever else is taken is only read. */
static bool takes_copy(const gotk_helm_chart *c, const char *key, coalesce_mode mode)
{
    if (mode == COALESCE_TAKE)
        return c->values_shared;
    return mode == COALESCE_COPY || !strcmp(key, GLOBAL_KEY) || is_dependency_name(c, key);
}

/* coalesceValues: v takes the chart's defaults it lacks (see takes_copy). */
static void coalesce_chart_values(const gotk_helm_chart *c, json_object *v, bool merge,
                                  coalesce_mode mode, const kpath *prefix)
{
    if (!c->values)
        return;
    kpath sub = {prefix, helm_chart_name(c)};
    json_object_object_foreach(c->values, key, val) {
        json_object *value = NULL;
        kpath here = {&sub, key};
        bool copy = takes_copy(c, key, mode);
        if (!json_object_object_get_ex(v, key, &value)) {
            json_object_object_add(v, key, copy ? helm_copy_values(val) : json_object_get(val));
        } else if (!value && !merge) {
            json_object_object_del(v, key);
        } else if (is_table(value) && is_table(val)) {
            coalesce_tables(value, val, merge || is_dependency_name(c, key), copy, &here);
        } else if (is_table(value) && val) {
            gotk_buf k = {0};
            kpath_text(&k, &here);
            helm_warnf("coalesce.go:237: warning: skipped value for %s: Not a table.", k.data);
            gotk_buf_free(&k);
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
                               coalesce_mode mode, const kpath *prefix)
{
    kpath sub = {prefix, helm_chart_name(c)};
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
        coalesce_globals(dv, dest, &sub);
        coalesce_chart_values(c->deps[i], dv, merge, mode, &sub);
        gotk_err *e = coalesce_deps(c->deps[i], dv, merge, mode, &sub);
        if (e)
            return e;
    }
    return NULL;
}

json_object *helm_coalesce(const gotk_helm_chart *c, json_object *vals, bool merge, bool share)
{
    coalesce_mode mode = share ? COALESCE_SHARE : COALESCE_COPY;
    coalesce_chart_values(c, vals, merge, mode, NULL);
    gotk_err *e = coalesce_deps(c, vals, merge, mode, NULL);
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
        json_object_object_add(v, key, touched_key(c, key) ? helm_copy_values(val)
                                                           : json_object_get(val));
    }
    return v;
}

static gotk_err *coalesce_values(const gotk_helm_chart *c, json_object *vals,
                                 coalesce_mode mode, json_object **out)
{
    json_object *v = vals ? copy_for_coalesce(c, vals) : json_object_new_object();
    coalesce_chart_values(c, v, false, mode, NULL);
    gotk_err *e = coalesce_deps(c, v, false, mode, NULL);
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
    return coalesce_values(c, vals, COALESCE_COPY, out);
}

gotk_err *helm_coalesce_shared(const gotk_helm_chart *c, json_object *vals, json_object **out)
{
    return coalesce_values(c, vals, COALESCE_SHARE, out);
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
    gotk_err *e = coalesce_values(c, vals, COALESCE_TAKE, out);
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
