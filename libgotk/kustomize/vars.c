/*
 * kustomize vars: `$(NAME)` references replaced by a field of a named object.
 *
 * Each level, after its transformers, marks the resource each of its vars
 * names (objref, matched by any of its ids) with the var's name, as kustomize
 * does; a var declared twice is an error. At the end of the build, after name
 * references are fixed, each var's value is read from its resource's field
 * (fieldref.fieldpath, default metadata.name) and substituted into the string
 * values of the varReference fields. A value that is exactly "$(NAME)" takes the
 * field's type; `$$` escapes a dollar; unknown vars stay as written.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Does r match the var's objref (kustomize's GvknEquals, or Equals with a namespace)? */
static bool objref_match(const kres *r, json_object *ref)
{
    const char *av = gotk_obj_get_str(ref, "apiVersion"), *kind = gotk_obj_get_str(ref, "kind");
    const char *name = gotk_obj_get_str(ref, "name"), *ns = gotk_obj_get_str(ref, "namespace");
    char *built = NULL;
    if (!av || !*av) {
        /* an objref may give group and version instead of apiVersion */
        const char *g = gotk_obj_get_str(ref, "group"), *ver = gotk_obj_get_str(ref, "version");
        built = g && *g ? gotk_xasprintf("%s/%s", g, ver ? ver : "")
                        : gotk_xstrdup(ver ? ver : "");
        av = built;
    }
    bool same = !strcmp(av, kres_apiversion(r));
    if (!same) {
        free(built);
        return false;
    }
    kind = kind ? kind : "";
    name = name ? name : "";
    bool use_ns = (ns && *ns) || kav_cluster_scoped(av, kind);
    const char *effns = keff_ns(av, kind, ns);
    bool ok = !strcmp(kind, kres_kind(r)) && !strcmp(name, kres_name(r)) &&
              (!use_ns || !strcmp(effns, kres_eff_ns(r)));
    for (size_t i = 0; !ok && i < r->nprev; i++)
        ok = !strcmp(kind, r->prev[i].kind) && !strcmp(name, r->prev[i].name) &&
             (!use_ns || !strcmp(effns, r->prev[i].ns));
    free(built);
    return ok;
}

/* A var as Go's %v prints kustomize's types.Var: {NAME Kind.version.group
 * {fieldpath}}; once defaulted, apiVersion fills group and version and the
 * field path defaults to metadata.name. Appended to b. */
static void var_go(gotk_buf *b, json_object *v, bool defaulted)
{
    json_object *ref = json_object_object_get(v, "objref");
    const char *kind = gotk_obj_get_str(ref, "kind"), *fp = gotk_obj_get_str(v, "fieldref.fieldPath");
    const char *g = gotk_obj_get_str(ref, "group"), *ver = gotk_obj_get_str(ref, "version");
    const char *av = gotk_obj_get_str(ref, "apiVersion");
    char *group = gotk_xstrdup(g ? g : ""), *version = gotk_xstrdup(ver ? ver : "");
    if (defaulted && av && *av) {
        const char *slash = strchr(av, '/');
        free(group);
        free(version);
        group = slash ? gotk_xstrndup(av, (size_t)(slash - av)) : gotk_xstrdup("");
        version = gotk_xstrdup(slash ? slash + 1 : av);
    }
    if (defaulted && !(fp && *fp))
        fp = "metadata.name";
    gotk_buf_printf(b, "{%s %s.%s.%s {%s}}", kstr(json_object_object_get(v, "name")),
                    kind && *kind ? kind : "[noKind]", *version ? version : "[noVer]",
                    *group ? group : "[noGrp]", fp ? fp : "");
    free(group);
    free(version);
}

/* An error about a (defaulted) var: fmt with one %s for the var. */
static gotk_err *var_err(int code, const char *fmt, json_object *v)
{
    gotk_buf b = {0};
    var_go(&b, v, true);
    gotk_err *e = gotk_err_new(code, fmt, b.data);
    gotk_buf_free(&b);
    return e;
}

/* Register one var. */
static gotk_err *merge_one(kctx *c, json_object *v, kmap *m)
{
    const char *name = gotk_obj_get_str(v, "name");
    for (size_t i = 0; i < karr_n(c->vars); i++)
        if (!strcmp(gotk_obj_get_str(json_object_array_get_idx(c->vars, i), "name"), name))
            return gotk_err_new(GOTK_E_CONFLICT, "var '%s' already encountered", name);
    json_object *ref = json_object_object_get(v, "objref");
    kres *hit = NULL;
    size_t n = 0;
    for (size_t i = 0; ref && i < m->n; i++)
        if (objref_match(m->v[i], ref)) {
            hit = m->v[i];
            n++;
        }
    if (n > 1) {
        gotk_buf b = {0};
        var_go(&b, v, false);
        gotk_err *e = gotk_err_new(GOTK_E_CONFLICT, "found %zu resId matches for var %s "
                                                    "(unable to disambiguate)", n, b.data);
        gotk_buf_free(&b);
        return e;
    }
    if (hit)
        kstrv_push(&hit->refvars, name);
    json_object_array_add(c->vars, json_object_get(v));
    return NULL;
}

/* vars: of one level. */
gotk_err *kvars_merge(kctx *c, json_object *k, kmap *m)
{
    json_object *a = json_object_object_get(k, "vars");
    if (!c->vars)
        c->vars = json_object_new_array();
    for (size_t i = 0; a && json_object_is_type(a, json_type_array) &&
                       i < karr_n(a); i++) {
        json_object *v = json_object_array_get_idx(a, i);
        if (!gotk_obj_get_str(v, "name"))
            return gotk_err_new(GOTK_E_INVALID, "var must have a name");
        gotk_err *e = merge_one(c, v, m);
        if (e) {
            gotk_buf b = {0};
            for (size_t j = 0; j < karr_n(a); j++) {
                gotk_buf_puts(&b, j ? " " : "[");
                var_go(&b, json_object_array_get_idx(a, j), false);
            }
            gotk_buf_putc(&b, ']');
            e = gotk_err_wrap(e, "merging vars %s", b.data);
            gotk_buf_free(&b);
            return e;
        }
    }
    return NULL;
}

/* The value of a var (borrowed), from the resource marked with its name. */
static gotk_err *var_value(kmap *m, json_object *v, json_object **out)
{
    const char *name = gotk_obj_get_str(v, "name");
    const char *fp = gotk_obj_get_str(v, "fieldref.fieldPath");
    if (!fp || !*fp)
        fp = "metadata.name";
    for (size_t i = 0; i < m->n; i++)
        for (size_t j = 0; j < m->v[i]->refvars.n; j++)
            if (!strcmp(m->v[i]->refvars.v[j], name)) {
                *out = kfield_get(m->v[i]->obj, fp);
                if (!*out)
                    return var_err(GOTK_E_NOTFOUND, "field specified in var '%s' not found in "
                                                    "corresponding resource", v);
                return NULL;
            }
    return var_err(GOTK_E_NOTFOUND, "var '%s' cannot be mapped to a field in the set of known "
                                    "resources", v);
}

/* Go's %v of a value. */
static char *go_text(json_object *v)
{
    if (json_object_is_type(v, json_type_string))
        return gotk_xstrdup(json_object_get_string(v));
    if (json_object_is_type(v, json_type_double)) {
        char buf[32];
        return gotk_xstrdup(gotk_go_float_g(json_object_get_double(v), buf));
    }
    return gotk_xstrdup(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
}

/* kustomize's DoReplacements: the new value for a string (owned). */
static json_object *expand(const char *in, const khash *vals)
{
    size_t n = strlen(in);
    gotk_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (in[i] != '$' || i + 1 >= n) {
            gotk_buf_putc(&b, in[i]);
            continue;
        }
        if (in[i + 1] == '$') {
            gotk_buf_putc(&b, '$');
            i++;
            continue;
        }
        const char *close = in[i + 1] == '(' ? strchr(in + i + 2, ')') : NULL;
        if (!close) {
            gotk_buf_putc(&b, '$');
            continue;
        }
        char *name = gotk_xstrndup(in + i + 2, (size_t)(close - in - i - 2));
        json_object *val = khash_get(vals, name);
        if (val && i == 0 && close == in + n - 1) {
            free(name);
            gotk_buf_free(&b);
            return gotk_obj_copy(val);
        }
        if (val) {
            char *t = go_text(val);
            gotk_buf_puts(&b, t);
            free(t);
        } else {
            gotk_buf_printf(&b, "$(%s)", name);
        }
        free(name);
        i = (size_t)(close - in);
    }
    json_object *r = json_object_new_string(b.data ? b.data : "");
    gotk_buf_free(&b);
    return r;
}

/* Setter: substitute in a string, a map's string values or a list of strings. */
static gotk_err *subst(const kslot *s, void *ud)
{
    const khash *vals = ud;
    json_object *v = kslot_get(s);
    if (!v)
        return NULL;
    if (json_object_is_type(v, json_type_string)) {
        kslot_set(s, expand(json_object_get_string(v), vals));
    } else if (json_object_is_type(v, json_type_object)) {
        json_object_object_foreach(v, key, val) {
            if (val && json_object_is_type(val, json_type_string))
                json_object_object_add(v, key, expand(json_object_get_string(val), vals));
        }
    } else if (json_object_is_type(v, json_type_array)) {
        for (size_t i = 0; i < karr_n(v); i++) {
            json_object *el = json_object_array_get_idx(v, i);
            if (!el || !json_object_is_type(el, json_type_string))
                return gotk_err_new(GOTK_E_INVALID, "invalid value type expect a string");
            json_object_array_put_idx(v, i, expand(json_object_get_string(el), vals));
        }
    }
    return NULL;
}

/* Resolve every var and substitute. */
gotk_err *kvars_resolve(kctx *c, kmap *m, const kconfig *cfg)
{
    if (!c->vars || !karr_n(c->vars))
        return NULL;
    khash vals = {0};
    gotk_err *e = NULL;
    for (size_t i = 0; !e && i < karr_n(c->vars); i++) {
        json_object *v = json_object_array_get_idx(c->vars, i), *val = NULL;
        e = var_value(m, v, &val);
        if (!e)
            khash_put(&vals, gotk_obj_get_str(v, "name"), gotk_obj_copy(val));
    }
    const kfslist *fs = &cfg->fs[KFS_VARREF];
    for (size_t i = 0; !e && i < m->n; i++) {
        kgvk g;
        kgvk_of(m->v[i]->obj, &g);
        for (size_t j = 0; !e && j < fs->n; j++)
            if (kfs_matches_gvk(&fs->v[j], &g))
                e = kfs_apply_spec(m->v[i]->obj, &fs->v[j], false, json_type_null, subst, &vals);
    }
    for (size_t i = 0; i < vals.cap; i++)
        if (vals.keys[i])
            json_object_put(vals.vals[i]);
    khash_free(&vals);
    return e;
}
