/*
 * kustomize replacements: copy a value from one object's field into fields of
 * other objects (kustomize's ReplacementTransformer, run last at each level).
 *
 * A source is picked by id (any of its current or previous ids) and a field path
 * ("spec.template.spec.containers.[name=web].image", indexes, `*`); each target
 * selector picks objects (minus rejects) and field paths, created on the way with
 * `options.create`. `options.delimiter` / `index` take or replace one part of a
 * delimited string. As in kustomize, a scalar target keeps its type: only its
 * text changes.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Split a field path on dots outside brackets. */
static void split_fp(const char *fp, kstrv *out)
{
    gotk_buf b = {0};
    int depth = 0;
    for (const char *p = fp;; p++) {
        if (*p == '[')
            depth++;
        else if (*p == ']')
            depth--;
        if ((*p == '.' && depth == 0) || !*p) {
            kstrv_push(out, b.data ? b.data : "");
            b.len = 0;
            if (b.data)
                b.data[0] = 0;
            if (!*p)
                break;
            continue;
        }
        gotk_buf_putc(&b, *p);
    }
    gotk_buf_free(&b);
}

/* The text of a scalar as YAML prints it. */
static char *scalar_text(json_object *v)
{
    if (!v)
        return gotk_xstrdup("");
    if (json_object_is_type(v, json_type_string))
        return gotk_xstrdup(json_object_get_string(v));
    char *s = gotk_yaml_to_string(v, 0);
    size_t n = strlen(s);
    while (n && s[n - 1] == '\n')
        s[--n] = 0;
    return s;
}

/* A plain scalar typed from its text, as YAML would. */
static json_object *typed(const char *text)
{
    json_object *o = NULL;
    gotk_err *e = gotk_yaml_parse_one(text, strlen(text), "value", &o);
    if (e || !o || json_object_is_type(o, json_type_object) ||
        json_object_is_type(o, json_type_array)) {
        gotk_err_free(e);
        json_object_put(o);
        return json_object_new_string(text);
    }
    return o;
}

/* Is s all digits? */
static bool is_index(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* Parse "[k=v]" into key and value copies. */
static bool parse_sel(const char *seg, char **k, char **v)
{
    size_t n = strlen(seg);
    const char *eq = strchr(seg, '=');
    if (n < 3 || seg[0] != '[' || seg[n - 1] != ']' || !eq)
        return false;
    *k = gotk_xstrndup(seg + 1, (size_t)(eq - seg - 1));
    *v = gotk_xstrndup(eq + 1, (size_t)(seg + n - 1 - eq - 1));
    return true;
}

/* Does a list element match [k=v] (k empty: the element itself)? */
static bool elem_is(json_object *el, const char *k, const char *v)
{
    json_object *f = *k ? (json_object_is_type(el, json_type_object)
                               ? json_object_object_get(el, k) : NULL)
                        : el;
    if (!f || json_object_is_type(f, json_type_object) || json_object_is_type(f, json_type_array))
        return false;
    char *t = scalar_text(f);
    bool ok = !strcmp(t, v);
    free(t);
    return ok;
}

typedef struct {
    kslot *v;
    size_t n, cap;
} kslots;

/* Remember a match. */
static void slots_push(kslots *s, json_object *parent, const char *key, size_t idx)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4;
        s->v = gotk_xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = (kslot){parent, key, idx};
}

/* A new empty node of the kind the next path part needs. */
static json_object *new_for(const kstrv *segs, size_t i)
{
    if (i >= segs->n)
        return NULL; /* filled by the setter */
    const char *s = segs->v[i];
    return s[0] == '[' || is_index(s) || !strcmp(s, "*") ? json_object_new_array()
                                                         : json_object_new_object();
}

static gotk_err *pm(json_object *node, const kstrv *segs, size_t i, bool create, kslots *out);

/* Descend into the value at slot (parent, key/idx) for part i+1. */
static gotk_err *descend(json_object *parent, const char *key, size_t idx, const kstrv *segs,
                         size_t i, bool create, kslots *out)
{
    if (i + 1 == segs->n) {
        slots_push(out, parent, key, idx);
        return NULL;
    }
    kslot s = {parent, key, idx};
    json_object *v = kslot_get(&s);
    return v ? pm(v, segs, i + 1, create, out) : NULL;
}

/* A list part: index, [k=v] or *. */
static gotk_err *pm_list(json_object *node, const kstrv *segs, size_t i, bool create,
                         kslots *out)
{
    const char *seg = segs->v[i];
    size_t len = karr_n(node);
    if (is_index(seg)) {
        size_t idx = (size_t)strtoul(seg, NULL, 10);
        if (idx == len && create)
            json_object_array_add(node, new_for(segs, i + 1));
        if (idx >= karr_n(node))
            return gotk_err_new(GOTK_E_NOTFOUND, "index %zu specified but only %zu elements found",
                                idx, len);
        return descend(node, NULL, idx, segs, i, create, out);
    }
    if (!strcmp(seg, "*")) {
        for (size_t j = 0; j < len; j++) {
            gotk_err *e = descend(node, NULL, j, segs, i, create, out);
            if (e)
                return e;
        }
        return NULL;
    }
    char *k = NULL, *v = NULL;
    if (!parse_sel(seg, &k, &v))
        return NULL;
    bool found = false;
    gotk_err *e = NULL;
    for (size_t j = 0; !e && j < len; j++)
        if (elem_is(json_object_array_get_idx(node, j), k, v)) {
            found = true;
            e = descend(node, NULL, j, segs, i, create, out);
        }
    if (!e && !found && create) {
        json_object *el = *k ? json_object_new_object() : json_object_new_string(v);
        if (*k)
            json_object_object_add(el, k, json_object_new_string(v));
        json_object_array_add(node, el);
        e = descend(node, NULL, len, segs, i, create, out);
    }
    free(k);
    free(v);
    return e;
}

/* kyaml's PathMatcher: collect the slots the path reaches in node. */
static gotk_err *pm(json_object *node, const kstrv *segs, size_t i, bool create, kslots *out)
{
    const char *part = segs->v[i];
    size_t pl = strlen(part);
    if (part[0] == '[' && pl > 1 && part[pl - 1] == ']' && !strchr(part, '='))
        return gotk_err_new(GOTK_E_INVALID, "list path element must contain "
                                            "fieldName=fieldValue for element to match");
    if (json_object_is_type(node, json_type_array))
        return pm_list(node, segs, i, create, out);
    if (!json_object_is_type(node, json_type_object))
        return NULL;
    const char *seg = segs->v[i];
    if (!json_object_object_get_ex(node, seg, NULL) || !json_object_object_get(node, seg)) {
        if (!create)
            return NULL;
        /* a leaf is added as null and filled by the setter */
        json_object_object_add(node, seg, new_for(segs, i + 1));
    }
    /* the key must outlive the walk: point at the object's own copy */
    json_object_object_foreach(node, k, v) {
        (void)v;
        if (!strcmp(k, seg))
            return descend(node, k, 0, segs, i, create, out);
    }
    return NULL;
}

/* The value at a dotted field path ("a.b[0].c" or "a.[k=v].c"), borrowed. */
json_object *kfield_get(json_object *obj, const char *path)
{
    gotk_buf b = {0};
    for (const char *p = path; *p; p++) {
        if (*p == '[' && p[1] >= '0' && p[1] <= '9' && p > path && p[-1] != '.') {
            gotk_buf_putc(&b, '.');
            const char *end = strchr(p, ']');
            if (!end)
                break;
            gotk_buf_append(&b, p + 1, (size_t)(end - p - 1));
            p = end;
            continue;
        }
        gotk_buf_putc(&b, *p);
    }
    kstrv segs = {0};
    split_fp(b.data ? b.data : "", &segs);
    gotk_buf_free(&b);
    kslots sl = {0};
    gotk_err *e = pm(obj, &segs, 0, false, &sl);
    json_object *v = !e && sl.n ? kslot_get(&sl.v[0]) : NULL;
    gotk_err_free(e);
    free(sl.v);
    kstrv_free(&segs);
    return v;
}

/* A selector's id fields (from `source:` or `select:`). */
typedef struct {
    const char *g, *v, *k, *name, *ns;
} kselid;

static kselid selid(json_object *s)
{
    kselid r = {gotk_obj_get_str(s, "group"), gotk_obj_get_str(s, "version"),
                gotk_obj_get_str(s, "kind"), gotk_obj_get_str(s, "name"),
                gotk_obj_get_str(s, "namespace")};
    return r;
}

/* Is the selector id empty? */
static bool selid_empty(const kselid *s)
{
    return !(s->g && *s->g) && !(s->v && *s->v) && !(s->k && *s->k) &&
           !(s->name && *s->name) && !(s->ns && *s->ns);
}

/* ResId.IsSelectedBy for one id. */
static bool id_selected(const char *g, const char *v, const char *kind, const char *name,
                        const char *effns, const kselid *s)
{
    if (s->name && *s->name && strcmp(s->name, name))
        return false;
    if (s->ns && *s->ns &&
        strcmp(kgk_cluster_scoped(s->g ? s->g : "", s->g ? strlen(s->g) : 0, s->k ? s->k : "")
                   ? "_non_namespaceable_" : s->ns, effns))
        return false;
    return kgvk_selected(g, v, kind, s->g, s->v, s->k);
}

/* Is any id of r (current or previous) selected? */
static bool res_selected(const kres *r, const kselid *s)
{
    const char *g, *v;
    size_t gl;
    kres_gvk(r->obj, &g, &gl, &v);
    char *gs = gotk_xstrndup(g, gl);
    bool ok = id_selected(gs, v, kres_kind(r), kres_name(r),
                          kres_eff_ns(r), s);
    for (size_t i = 0; !ok && i < r->nprev; i++)
        ok = id_selected(gs, v, r->prev[i].kind, r->prev[i].name, r->prev[i].ns, s);
    free(gs);
    return ok;
}

/* A source selector as kustomize prints its ResId: Kind.version.group/name.ns. */
static gotk_err *source_err(int code, const char *what, json_object *src)
{
    const char *f[5];
    static const char *const keys[] = {"kind", "version", "group", "name", "namespace"};
    static const char *const none[] = {"[noKind]", "[noVer]", "[noGrp]", "[noName]", "[noNs]"};
    for (int i = 0; i < 5; i++) {
        f[i] = gotk_obj_get_str(src, keys[i]);
        if (!f[i] || !*f[i])
            f[i] = none[i];
    }
    /* kustomize's SourceSelector.String: the id, then the field path and the
     * options when set */
    gotk_buf tail = {0};
    const char *fp = gotk_obj_get_str(src, "fieldPath");
    if (fp && *fp)
        gotk_buf_printf(&tail, ":%s", fp);
    json_object *o = json_object_object_get(src, "options");
    const char *delim = gotk_obj_get_str(o, "delimiter");
    json_object *cr = json_object_object_get(o, "create"), *ix = json_object_object_get(o, "index");
    bool create = cr && json_object_get_boolean(cr);
    if ((delim && *delim) || create)
        gotk_buf_printf(&tail, ":%s(%d), create=%s", delim ? delim : "",
                        ix ? json_object_get_int(ix) : 0, create ? "true" : "false");
    gotk_err *e = gotk_err_new(code, "%s %s.%s.%s/%s.%s%s", what, f[0], f[1], f[2], f[3], f[4],
                               tail.data ? tail.data : "");
    gotk_buf_free(&tail);
    return e;
}

/* Find the single source object. */
static gotk_err *find_source(kmap *m, json_object *src, kres **out)
{
    kselid s = selid(src);
    kres *hit = NULL;
    for (size_t i = 0; i < m->n; i++) {
        if (!res_selected(m->v[i], &s))
            continue;
        if (hit)
            return source_err(GOTK_E_CONFLICT, "multiple matches for selector", src);
        hit = m->v[i];
    }
    if (!hit)
        return source_err(GOTK_E_NOTFOUND, "nothing selected by", src);
    *out = hit;
    return NULL;
}

/* The delimiter options of an options map. */
static const char *opt_delim(json_object *opts, int *index)
{
    json_object *ix = opts ? json_object_object_get(opts, "index") : NULL;
    *index = ix ? json_object_get_int(ix) : 0;
    const char *d = opts ? gotk_obj_get_str(opts, "delimiter") : NULL;
    return d && *d ? d : NULL;
}

/* The part `index` of text split by delim; NULL when out of range. */
static char *split_part(const char *text, const char *delim, int index)
{
    kstrv parts = {0};
    const char *p = text;
    for (const char *q; (q = strstr(p, delim)); p = q + strlen(delim)) {
        char *t = gotk_xstrndup(p, (size_t)(q - p));
        kstrv_push(&parts, t);
        free(t);
    }
    kstrv_push(&parts, p);
    char *r = index >= 0 && (size_t)index < parts.n ? gotk_xstrdup(parts.v[index]) : NULL;
    kstrv_free(&parts);
    return r;
}

/* The replacement value (owned). */
static gotk_err *source_value(kmap *m, json_object *src, json_object **out)
{
    kres *r = NULL;
    gotk_err *e = find_source(m, src, &r);
    if (e)
        return e;
    const char *fp = gotk_obj_get_str(src, "fieldPath");
    if (!fp || !*fp)
        fp = "metadata.name";
    kstrv segs = {0};
    split_fp(fp, &segs);
    kslots sl = {0};
    e = pm(r->obj, &segs, 0, false, &sl);
    json_object *v = !e && sl.n ? kslot_get(&sl.v[0]) : NULL;
    free(sl.v);
    kstrv_free(&segs);
    if (e)
        return e;
    if (!v || (json_object_is_type(v, json_type_string) && !*json_object_get_string(v)))
        return gotk_err_new(GOTK_E_NOTFOUND,
                            "fieldPath `%s` is missing for replacement source %s", fp,
                            json_object_to_json_string(src));
    int index;
    const char *delim = opt_delim(json_object_object_get(src, "options"), &index);
    if (!delim) {
        *out = gotk_obj_copy(v);
        return NULL;
    }
    char *t = scalar_text(v);
    char *part = split_part(t, delim, index);
    if (!part)
        e = gotk_err_new(GOTK_E_INVALID, "options.index %d is out of bounds for value %s", index, t);
    else
        *out = json_object_new_string(part);
    free(part);
    free(t);
    return e;
}

/* Join the target's parts with the value placed by index. */
static char *delim_join(const char *target, const char *val, const char *delim, int index)
{
    kstrv parts = {0};
    const char *p = target;
    for (const char *q; (q = strstr(p, delim)); p = q + strlen(delim)) {
        char *t = gotk_xstrndup(p, (size_t)(q - p));
        kstrv_push(&parts, t);
        free(t);
    }
    kstrv_push(&parts, p);
    gotk_buf b = {0};
    if (index < 0)
        gotk_buf_printf(&b, "%s%s", val, delim);
    for (size_t i = 0; i < parts.n; i++)
        gotk_buf_printf(&b, "%s%s", i ? delim : "",
                        (size_t)index == i && index >= 0 ? val : parts.v[i]);
    if (index >= 0 && (size_t)index >= parts.n)
        gotk_buf_printf(&b, "%s%s", delim, val);
    kstrv_free(&parts);
    return gotk_buf_steal(&b);
}

/* Set one target field. */
static gotk_err *set_target(const kslot *s, json_object *val, json_object *opts)
{
    json_object *cur = kslot_get(s);
    int index;
    const char *delim = opt_delim(opts, &index);
    bool cur_scalar = cur && !json_object_is_type(cur, json_type_object) &&
                      !json_object_is_type(cur, json_type_array);
    bool val_scalar = !json_object_is_type(val, json_type_object) &&
                      !json_object_is_type(val, json_type_array);
    if (delim) {
        if (!cur_scalar)
            return gotk_err_new(GOTK_E_INVALID, "delimiter option can only be used with scalar nodes");
        char *t = scalar_text(cur), *v = scalar_text(val);
        char *j = delim_join(t, v, delim, index);
        kslot_set(s, json_object_is_type(cur, json_type_string) ? json_object_new_string(j)
                                                                : typed(j));
        free(j);
        free(t);
        free(v);
        return NULL;
    }
    if (cur_scalar && val_scalar) {
        char *v = scalar_text(val);
        kslot_set(s, json_object_is_type(cur, json_type_string) ? json_object_new_string(v)
                                                                : typed(v));
        free(v);
        return NULL;
    }
    if (!cur && val_scalar) {
        /* a created field has no type yet: its text is typed as YAML would */
        char *v = scalar_text(val);
        kslot_set(s, typed(v));
        free(v);
        return NULL;
    }
    kslot_set(s, gotk_obj_copy(val));
    return NULL;
}

/* Is r rejected by one of the reject selectors? */
static bool rejected(const kres *r, json_object *rejects)
{
    for (size_t i = 0; rejects && i < karr_n(rejects); i++) {
        json_object *rj = json_object_array_get_idx(rejects, i);
        kselid s = selid(rj);
        const char *ls = gotk_obj_get_str(rj, "labelSelector");
        const char *as = gotk_obj_get_str(rj, "annotationSelector");
        if ((ls && *ls) || (as && *as)) {
            if (ksel_match(ls, gotk_obj_get(r->obj, "metadata", "labels", NULL)) &&
                ksel_match(as, gotk_obj_get(r->obj, "metadata", "annotations", NULL)))
                return true;
        }
        if (!selid_empty(&s) && res_selected(r, &s))
            return true;
    }
    return false;
}

/* Copy the value into the target's field paths. */
static gotk_err *copy_to(kres *r, json_object *val, json_object *t)
{
    json_object *fps = json_object_object_get(t, "fieldPaths");
    json_object *opts = json_object_object_get(t, "options");
    json_object *cr = opts ? json_object_object_get(opts, "create") : NULL;
    bool create = cr && json_object_get_boolean(cr);
    size_t n = fps ? karr_n(fps) : 1;
    for (size_t i = 0; i < n; i++) {
        const char *fp = fps ? kstr(json_object_array_get_idx(fps, i))
                             : "metadata.name";
        kstrv segs = {0};
        split_fp(fp, &segs);
        kslots sl = {0};
        gotk_err *e = pm(r->obj, &segs, 0, create, &sl);
        if (e) /* kustomize's wrapping of a path matcher's error */
            e = gotk_err_wrap(e, "unable to find %sfield \"%s\" in replacement target",
                              create ? "or create " : "", fp);
        if (!e && !sl.n)
            e = gotk_err_new(GOTK_E_NOTFOUND, "unable to find %sfield \"%s\" in replacement target",
                             create ? "or create " : "", fp);
        for (size_t j = 0; !e && j < sl.n; j++)
            e = set_target(&sl.v[j], val, opts);
        free(sl.v);
        kstrv_free(&segs);
        if (e)
            return e;
    }
    return NULL;
}

/* Apply one target selector. */
static gotk_err *apply_target(kmap *m, json_object *val, json_object *t)
{
    json_object *sel = json_object_object_get(t, "select");
    if (!sel)
        return gotk_err_new(GOTK_E_INVALID, "target must specify resources to select");
    kselid s = selid(sel);
    for (size_t i = 0; i < m->n; i++) {
        kres *r = m->v[i];
        if (!ksel_match(gotk_obj_get_str(sel, "labelSelector"),
                        gotk_obj_get(r->obj, "metadata", "labels", NULL)) ||
            !ksel_match(gotk_obj_get_str(sel, "annotationSelector"),
                        gotk_obj_get(r->obj, "metadata", "annotations", NULL)))
            continue;
        if (!res_selected(r, &s) || rejected(r, json_object_object_get(t, "reject")))
            continue;
        gotk_err *e = copy_to(r, val, t);
        if (e)
            return e;
    }
    return NULL;
}

/* One replacement. */
static gotk_err *apply_one(kmap *m, json_object *rp)
{
    json_object *src = json_object_object_get(rp, "source");
    json_object *targets = json_object_object_get(rp, "targets");
    /* (an empty list is dropped on kustomize's way to its plugin: none at all) */
    if (!src || !targets || (json_object_is_type(targets, json_type_array) && !karr_n(targets)))
        return gotk_err_new(GOTK_E_INVALID,
                            "replacements must specify a source and at least one target");
    json_object *val = NULL;
    gotk_err *e = source_value(m, src, &val);
    for (size_t i = 0; !e && i < karr_n(targets); i++)
        e = apply_target(m, val, json_object_array_get_idx(targets, i));
    json_object_put(val);
    return e;
}

/* Go's reflect kind of a decoded YAML value, for kustomize's error. */
static const char *go_kind(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_string: return "string";
    case json_type_boolean: return "bool";
    case json_type_double:
    case json_type_int: return "float64";
    default: return "invalid";
    }
}

/* kustomize's wrapping of a ReplacementTransformer configuration error, with
 * its config as YAML; written only when every entry is a `path:` (the config
 * of inline ones is Go's struct order, not ours to print). */
static gotk_err *config_wrap(gotk_err *e, json_object *entries)
{
    json_object *list = json_object_new_array();
    for (size_t i = 0; i < karr_n(entries); i++) {
        json_object *en = json_object_array_get_idx(entries, i);
        const char *path = gotk_obj_get_str(en, "path");
        if (!path || json_object_object_length(en) != 1) {
            json_object_put(list);
            return e;
        }
        json_object *one = json_object_new_object();
        json_object_object_add(one, "path", json_object_new_string(path));
        json_object_array_add(list, one);
    }
    json_object *cfg = json_object_new_object();
    json_object_object_add(cfg, "Replacements", list);
    gotk_buf y = {0};
    gotk_err_free(gotk_yaml_emit(cfg, GOTK_YAML_SORT_KEYS, &y));
    json_object_put(cfg);
    e = gotk_err_wrap(e, "trouble configuring builtin ReplacementTransformer with config: `\n%s`",
                      y.data ? y.data : "");
    gotk_buf_free(&y);
    return e;
}

/* Replacements listed in a file (a list, or one), read as kustomize does with
 * sigs.k8s.io/yaml: YAML 1.1 scalars, the first document only. */
static gotk_err *apply_file(kctx *c, const char *root, const char *path, kmap *m,
                            json_object *entries)
{
    char *data = NULL;
    size_t len = 0;
    gotk_err *e = kload_file(c, root, path, &data, &len, NULL);
    json_object *docs = NULL;
    if (!e)
        e = gotk_yaml_parse_flags(data, len, NULL, GOTK_YAML_PARSE_SIGS, &docs);
    if (e)
        e = config_wrap(e, entries);
    free(data);
    json_object *d = karr_n(docs) ? json_object_array_get_idx(docs, 0) : NULL;
    if (!e && json_object_is_type(d, json_type_array))
        for (size_t j = 0; !e && j < karr_n(d); j++)
            e = apply_one(m, json_object_array_get_idx(d, j));
    else if (!e && json_object_is_type(d, json_type_object))
        e = apply_one(m, d);
    else if (!e)
        e = gotk_err_new(GOTK_E_INVALID, "unsupported replacement type encountered within "
                                         "replacement path: %s", go_kind(d));
    json_object_put(docs);
    return e;
}

/* replacements: of one level. */
gotk_err *krepl_run(kctx *c, const char *root, json_object *k, kmap *m)
{
    json_object *a = json_object_object_get(k, "replacements");
    for (size_t i = 0; a && json_object_is_type(a, json_type_array) &&
                       i < karr_n(a); i++) {
        json_object *rp = json_object_array_get_idx(a, i);
        const char *path = gotk_obj_get_str(rp, "path");
        gotk_err *e = path && *path ? apply_file(c, root, path, m, a) : apply_one(m, rp);
        if (e)
            return e;
    }
    kmap_reindex(m);
    return NULL;
}
