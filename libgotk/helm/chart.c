/*
 * chart.c: a chart from its files (loader.LoadFiles): Chart.yaml read into
 * chart.Metadata's fields and validated, values.yaml, values.schema.json,
 * templates, subcharts under charts/ (directories and archives), and the rest
 * kept as .Files.
 */
#include <math.h>
#include <stdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gotk/obj.h"
#include "gotk/semver.h"
#include "gotk/template.h"
#include "helm_int.h"

const char *helm_chart_name(const gotk_helm_chart *c)
{
    const char *n = gotk_obj_get_str(c->meta, "name");
    return n ? n : "";
}

const char *gotk_helm_chart_name(const gotk_helm_chart *c)
{
    return helm_chart_name(c);
}

bool gotk_helm_chart_deprecated(const gotk_helm_chart *c)
{
    json_object *d = NULL;
    return json_object_object_get_ex(c->meta, "deprecated", &d) &&
           json_object_is_type(d, json_type_boolean) && json_object_get_boolean(d);
}

char *helm_chart_full_path(const gotk_helm_chart *c)
{
    if (!c->parent)
        return gotk_xstrdup(helm_chart_name(c));
    char *p = helm_chart_full_path(c->parent);
    char *r = gotk_xasprintf("%s/charts/%s", p, helm_chart_name(c));
    free(p);
    return r;
}

bool helm_chart_is_library(const gotk_helm_chart *c)
{
    const char *t = gotk_obj_get_str(c->meta, "type");
    return t && !strcmp(t, "library");
}

bool helm_compatible_range(const char *constraint, const char *version)
{
    gotk_semver_constraints *c = NULL;
    gotk_semver *v = NULL;
    gotk_err *e = gotk_semver_constraints_parse(constraint ? constraint : "", &c);
    if (!e)
        e = gotk_semver_parse(version ? version : "", &v);
    bool ok = !e && gotk_semver_constraints_check(c, v);
    gotk_err_free(e);
    gotk_semver_constraints_free(c);
    gotk_semver_free(v);
    return ok;
}

void gotk_helm_chart_free(gotk_helm_chart *c)
{
    if (!c)
        return;
    json_object_put(c->meta);
    json_object_put(c->values);
    json_object_put(c->schema_bytes);
    helm_files_free(&c->templates);
    helm_files_free(&c->files);
    free(c->load_log);
    for (size_t i = 0; i < c->ndeps; i++)
        gotk_helm_chart_free(c->deps[i]);
    free(c->deps);
    free(c);
}

/* ---- Chart.yaml into chart.Metadata ------------------------------------ */

/* strconv.FormatFloat(f, 'g', -1, 32): the shortest digits that read back
 * as the same float32, in %e form when the exponent is < -4 or >= 6. */
static void go_float32_g(float f, char out[40])
{
    char e[40];
    int p = 1;
    for (; p < 9; p++) {
        snprintf(e, sizeof e, "%.*e", p - 1, (double)f);
        if ((float)strtod(e, NULL) == f)
            break;
    }
    snprintf(e, sizeof e, "%.*e", p - 1, (double)f);
    char *x = strchr(e, 'e');
    int exp = atoi(x + 1);
    if (exp < -4 || exp >= 6) {
        snprintf(out, 40, "%.*s%c%c%02d", (int)(x - e), e, 'e', exp < 0 ? '-' : '+', abs(exp));
        return;
    }
    snprintf(out, 40, "%.*f", p - 1 - exp > 0 ? p - 1 - exp : 0, (double)f);
}

/* What sigs.k8s.io/yaml makes of a scalar bound for a Go string field. */
static json_object *scalar_to_string(json_object *v)
{
    char buf[40];
    switch (json_object_get_type(v)) {
    case json_type_string: return json_object_get(v);
    case json_type_boolean: return json_object_new_string(json_object_get_boolean(v) ? "true" : "false");
    case json_type_int:
        snprintf(buf, sizeof buf, "%lld", (long long)json_object_get_int64(v));
        return json_object_new_string(buf);
    case json_type_double: {
        double d = json_object_get_double(v);
        if (d == floor(d) && fabs(d) < 1e15)
            snprintf(buf, sizeof buf, "%.0f", d);
        else
            go_float32_g((float)d, buf);
        return json_object_new_string(buf);
    }
    default: return NULL;
    }
}

/* chart.Metadata's fields and their Go types: s string, b bool, S []string,
 * M map[string]string, m []*Maintainer, d []*Dependency; others are kept as
 * they are (interface{}). */
typedef struct {
    const char *key;
    char type;
} field_type;

static const field_type meta_fields[] = {
    {"name", 's'}, {"home", 's'}, {"version", 's'}, {"description", 's'}, {"icon", 's'},
    {"apiVersion", 's'}, {"condition", 's'}, {"tags", 's'}, {"appVersion", 's'},
    {"kubeVersion", 's'}, {"type", 's'}, {"sources", 'S'}, {"keywords", 'S'},
    {"annotations", 'M'}, {"deprecated", 'b'}, {"maintainers", 'm'}, {"dependencies", 'd'},
    {NULL, 0},
};
static const field_type maintainer_fields[] = {
    {"name", 's'}, {"email", 's'}, {"url", 's'}, {NULL, 0},
};
static const field_type dependency_fields[] = {
    {"name", 's'}, {"version", 's'}, {"repository", 's'}, {"condition", 's'}, {"alias", 's'},
    {"tags", 'S'}, {"enabled", 'b'}, {NULL, 0},
};

/* encoding/json's UnmarshalTypeError, as loader wraps it. */
static gotk_err *type_error(const char *file, const char *strct, const char *field,
                            json_object *v, const char *want)
{
    return gotk_err_new(GOTK_E_INVALID,
                        "cannot load %s: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal %s into Go struct field %s.%s of type %s",
                        file, helm_json_kind(v), strct, field, want);
}

static gotk_err *coerce_struct(json_object *obj, const field_type *fields, const char *file,
                               const char *strct, const char *prefix, json_object **out);

/* v as the Go type `type` would hold it (a new reference), or an error. */
static gotk_err *coerce(json_object *v, char type, const char *file, const char *strct,
                        const char *field, json_object **out)
{
    *out = NULL;
    if (!v)
        return NULL; /* null leaves the zero value */
    switch (type) {
    case 's':
        *out = scalar_to_string(v);
        return *out ? NULL : type_error(file, strct, field, v, "string");
    case 'b':
        if (!json_object_is_type(v, json_type_boolean))
            return type_error(file, strct, field, v, "bool");
        *out = json_object_get(v);
        return NULL;
    case 'S':
    case 'm':
    case 'd': {
        if (!json_object_is_type(v, json_type_array))
            return type_error(file, strct, field, v,
                              type == 'S' ? "[]string" : type == 'm' ? "[]*chart.Maintainer"
                                                                     : "[]*chart.Dependency");
        json_object *a = json_object_new_array();
        gotk_err *e = NULL;
        for (size_t i = 0; i < json_object_array_length(v) && !e; i++) {
            json_object *el = json_object_array_get_idx(v, i), *c = NULL;
            if (type == 'S')
                e = el ? coerce(el, 's', file, strct, field, &c) : NULL;
            else if (el && !json_object_is_type(el, json_type_object))
                e = type_error(file, strct, field, el,
                               type == 'm' ? "chart.Maintainer" : "chart.Dependency");
            else if (el)
                e = coerce_struct(el, type == 'm' ? maintainer_fields : dependency_fields, file,
                                  type == 'm' ? "Maintainer" : "Dependency", field, &c);
            json_object_array_add(a, c ? c : (type == 'S' ? json_object_new_string("") : NULL));
        }
        if (e)
            json_object_put(a);
        else
            *out = a;
        return e;
    }
    case 'M': {
        if (!json_object_is_type(v, json_type_object))
            return type_error(file, strct, field, v, "map[string]string");
        json_object *m = json_object_new_object();
        gotk_err *e = NULL;
        json_object_object_foreach(v, k, val) {
            json_object *c = NULL;
            if (!e && (e = coerce(val, 's', file, strct, field, &c)) == NULL)
                json_object_object_add(m, k, c ? c : json_object_new_string(""));
        }
        if (e)
            json_object_put(m);
        else
            *out = m;
        return e;
    }
    }
    *out = json_object_get(v);
    return NULL;
}

/* A struct's fields typed; its other keys kept. `prefix` names the field
 * holding the struct in errors ("Dependency.dependencies.version"). */
static gotk_err *coerce_struct(json_object *obj, const field_type *fields, const char *file,
                               const char *strct, const char *prefix, json_object **out)
{
    json_object *o = json_object_new_object();
    gotk_err *e = NULL;
    json_object_object_foreach(obj, k, v) {
        char type = 0;
        for (int i = 0; fields[i].key && !type; i++)
            if (!strcmp(fields[i].key, k))
                type = fields[i].type;
        json_object *c = NULL;
        char *field = prefix ? gotk_xasprintf("%s.%s", prefix, k) : gotk_xstrdup(k);
        if (!type)
            c = json_object_get(v);
        else
            e = coerce(v, type, file, strct, field, &c);
        free(field);
        if (e)
            break;
        if (c || !type)
            json_object_object_add(o, k, c);
    }
    if (e) {
        json_object_put(o);
        *out = NULL;
        return e;
    }
    *out = o;
    return NULL;
}

/* Copy Chart.yaml's (or requirements.yaml's) keys into meta with the types
 * chart.Metadata gives them. */
static gotk_err *merge_metadata(json_object *meta, json_object *doc, const char *file)
{
    if (!doc)
        return NULL;
    if (!json_object_is_type(doc, json_type_object))
        return gotk_err_new(GOTK_E_INVALID,
                            "cannot load %s: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal %s into Go value of type chart.Metadata",
                            file, helm_json_kind(doc));
    json_object *typed = NULL;
    gotk_err *e = coerce_struct(doc, meta_fields, file, "Metadata", NULL, &typed);
    if (e)
        return e;
    json_object_object_foreach(typed, k, v) json_object_object_add(meta, k, json_object_get(v));
    json_object_put(typed);
    return NULL;
}

/* Go's unicode.IsSpace -> ' ', non-printable dropped (sanitizeString). */
static void sanitize_field(json_object *meta, const char *key)
{
    const char *s = gotk_obj_get_str(meta, key);
    if (!s)
        return;
    gotk_buf b = {0};
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\t' || *p == '\n' || *p == '\v' || *p == '\f' || *p == '\r')
            gotk_buf_putc(&b, ' ');
        else if (*p >= 0x20 && *p != 0x7f)
            gotk_buf_putc(&b, (char)*p);
    }
    json_object_object_add(meta, key, json_object_new_string(b.data ? b.data : ""));
    gotk_buf_free(&b);
}

static bool alias_ok(const char *a)
{
    if (!*a)
        return false;
    for (; *a; a++)
        if (!(('a' <= *a && *a <= 'z') || ('A' <= *a && *a <= 'Z') || ('0' <= *a && *a <= '9') ||
              *a == '_' || *a == '-'))
            return false;
    return true;
}

static gotk_err *validate_dependencies(json_object *deps)
{
    json_object *seen = json_object_new_object();
    gotk_err *e = NULL;
    size_t n = json_object_is_type(deps, json_type_array) ? json_object_array_length(deps) : 0;
    for (size_t i = 0; i < n && !e; i++) {
        json_object *d = json_object_array_get_idx(deps, i);
        if (!json_object_is_type(d, json_type_object)) {
            e = gotk_err_new(GOTK_E_INVALID,
                             "validation: dependencies must not contain empty or null nodes");
            break;
        }
        const char *name = gotk_obj_get_str(d, "name"), *alias = gotk_obj_get_str(d, "alias");
        name = name ? name : "";
        if (alias && *alias && !alias_ok(alias)) {
            e = gotk_err_new(GOTK_E_INVALID,
                             "validation: dependency \"%s\" has disallowed characters in the alias",
                             name);
            break;
        }
        const char *key = alias && *alias ? alias : name;
        if (json_object_object_get_ex(seen, key, NULL))
            e = gotk_err_new(GOTK_E_INVALID,
                             "validation: more than one dependency with name or alias \"%s\"", key);
        json_object_object_add(seen, key, NULL);
    }
    json_object_put(seen);
    return e;
}

/* chart.Metadata.Validate */
static gotk_err *validate_metadata(json_object *meta)
{
    static const char *const sanitized[] = {"name", "description", "home", "icon", "condition",
                                            "tags", "appVersion", "kubeVersion", NULL};
    for (int i = 0; sanitized[i]; i++)
        sanitize_field(meta, sanitized[i]);
    const char *api = gotk_obj_get_str(meta, "apiVersion");
    const char *name = gotk_obj_get_str(meta, "name");
    const char *version = gotk_obj_get_str(meta, "version");
    const char *type = gotk_obj_get_str(meta, "type");
    if (!api || !*api)
        return gotk_err_new(GOTK_E_INVALID, "validation: chart.metadata.apiVersion is required");
    if (!name || !*name)
        return gotk_err_new(GOTK_E_INVALID, "validation: chart.metadata.name is required");
    /* name != filepath.Base(name): any slash but a lone "/" */
    if (strchr(name, '/') && strcmp(name, "/")) {
        gotk_buf q = {0};
        helm_go_quote(&q, name, strlen(name));
        gotk_err *e = gotk_err_new(GOTK_E_INVALID, "validation: chart.metadata.name %s is invalid",
                                   q.data);
        gotk_buf_free(&q);
        return e;
    }
    if (!version || !*version)
        return gotk_err_new(GOTK_E_INVALID, "validation: chart.metadata.version is required");
    gotk_semver *v = NULL;
    gotk_err *e = gotk_semver_parse(version, &v);
    gotk_semver_free(v);
    if (e) {
        gotk_err_free(e);
        gotk_buf q = {0};
        helm_go_quote(&q, version, strlen(version));
        e = gotk_err_new(GOTK_E_INVALID, "validation: chart.metadata.version %s is invalid", q.data);
        gotk_buf_free(&q);
        return e;
    }
    if (type && *type && strcmp(type, "application") && strcmp(type, "library"))
        return gotk_err_new(GOTK_E_INVALID,
                            "validation: chart.metadata.type must be application or library");
    return validate_dependencies(gotk_obj_get(meta, "dependencies", NULL));
}

static gotk_err *parse_meta_file(json_object *meta, const helm_file *f, const char *what)
{
    json_object *doc = NULL;
    gotk_err *e = helm_yaml_one(f->data, f->len, NULL, &doc);
    if (e)
        return gotk_err_wrap(e, "cannot load %s", what);
    e = merge_metadata(meta, doc, what);
    json_object_put(doc);
    return e;
}

/* ---- subcharts ----------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_dep(gotk_helm_chart *c, gotk_helm_chart *sc)
{
    c->deps = gotk_xrealloc(c->deps, (c->ndeps + 1) * sizeof *c->deps);
    c->deps[c->ndeps++] = sc;
    sc->parent = c;
}

/* One subchart named `n` (a directory or an archive under charts/). */
static gotk_err *load_subchart(gotk_helm_chart *c, const char *n, helm_files *all)
{
    size_t nlen = strlen(n);
    gotk_helm_chart *sc = NULL;
    gotk_err *e = NULL;
    const char *ext = strrchr(n, '.');
    if (ext && !strcmp(ext, ".tgz")) {
        for (size_t i = 0; i < all->n; i++) {
            const char *fn = all->v[i].name + 7;
            if (!strncmp(fn, n, nlen) && (fn[nlen] == '/' || !fn[nlen])) {
                if (strcmp(fn, n))
                    e = gotk_err_new(GOTK_E_INVALID,
                                     "error unpacking subchart tar in %s: expected %s, got %s",
                                     helm_chart_name(c), n, fn);
                else
                    e = gotk_helm_load_archive(all->v[i].data, all->v[i].len, &sc);
                break;
            }
        }
    } else {
        helm_files sub = {0};
        for (size_t i = 0; i < all->n; i++) {
            const char *fn = all->v[i].name + 7;
            if (!strncmp(fn, n, nlen) && fn[nlen] == '/')
                helm_files_share(&sub, fn + nlen + 1, &all->v[i]);
        }
        e = helm_load_files(&sub, &sc);
        helm_files_free(&sub);
    }
    if (e) {
        gotk_helm_chart_free(sc);
        return gotk_err_wrap(e, "error unpacking subchart %s in %s", n, helm_chart_name(c));
    }
    add_dep(c, sc);
    return NULL;
}

static gotk_err *load_subcharts(gotk_helm_chart *c, helm_files *charts)
{
    char **names = gotk_xcalloc(charts->n + 1, sizeof *names);
    size_t nn = 0;
    for (size_t i = 0; i < charts->n; i++) {
        const char *fn = charts->v[i].name + 7, *slash = strchr(fn, '/');
        char *cname = slash ? gotk_xstrndup(fn, (size_t)(slash - fn)) : gotk_xstrdup(fn);
        bool dup = false;
        for (size_t j = 0; j < nn && !dup; j++)
            dup = !strcmp(names[j], cname);
        if (dup)
            free(cname);
        else
            names[nn++] = cname;
    }
    qsort(names, nn, sizeof *names, cmp_str);
    gotk_err *e = NULL;
    for (size_t i = 0; i < nn && !e; i++)
        if (names[i][0] != '_' && names[i][0] != '.')
            e = load_subchart(c, names[i], charts);
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    return e;
}

/* ---- LoadFiles ----------------------------------------------------------- */

static bool has_ext(const char *name, const char *ext)
{
    const char *dot = strrchr(name, '.'), *slash = strrchr(name, '/');
    return dot && (!slash || dot > slash) && !strcmp(dot, ext);
}

/* Sort one file into its place in the chart (the second loop of LoadFiles). */
static gotk_err *place_file(gotk_helm_chart *c, const helm_file *f, helm_files *charts)
{
    const char *n = f->name;
    const char *api = gotk_obj_get_str(c->meta, "apiVersion");
    bool v1 = api && !strcmp(api, "v1");
    if (!strcmp(n, "Chart.yaml") || !strcmp(n, "Chart.lock")) {
        return NULL;
    } else if (!strcmp(n, "values.yaml")) {
        json_object_put(c->values);
        c->values = NULL;
        gotk_err *e = helm_yaml_one(f->data, f->len, NULL, &c->values);
        if (e)
            return gotk_err_wrap(e, "cannot load values.yaml");
        if (c->values && !json_object_is_type(c->values, json_type_object))
            return gotk_err_new(GOTK_E_INVALID,
                                "cannot load values.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal %s into Go value of type map[string]interface {}",
                                helm_json_kind(c->values));
        if (!c->values)
            c->values = json_object_new_object();
    } else if (!strcmp(n, "values.schema.json")) {
        json_object_put(c->schema_bytes);
        c->schema_bytes = json_object_get(f->bytes);
        c->schema = f->data;
        c->schema_len = f->len;
    } else if (!strcmp(n, "requirements.yaml")) {
        if (!v1)
            helm_warnf("load.go:120: Warning: Dependencies are handled in Chart.yaml since "
                       "apiVersion \"v2\". We recommend migrating dependencies to Chart.yaml.");
        gotk_err *e = parse_meta_file(c->meta, f, "requirements.yaml");
        if (e)
            return e;
        if (v1)
            helm_files_share(&c->files, n, f);
    } else if (!strcmp(n, "requirements.lock")) {
        if (!v1)
            helm_warnf("load.go:138: Warning: Dependency locking is handled in Chart.lock since "
                       "apiVersion \"v2\". We recommend migrating to Chart.lock.");
        if (v1)
            helm_files_share(&c->files, n, f);
    } else if (!strncmp(n, "templates/", 10)) {
        helm_files_share(&c->templates, n, f);
    } else if (!strncmp(n, "charts/", 7)) {
        if (has_ext(n, ".prov"))
            helm_files_share(&c->files, n, f);
        else
            helm_files_share(charts, n, f);
    } else {
        helm_files_share(&c->files, n, f);
    }
    return NULL;
}

gotk_err *helm_load_files(helm_files *fs, gotk_helm_chart **out)
{
    gotk_helm_chart *c = gotk_xcalloc(1, sizeof *c);
    helm_files charts = {0};
    gotk_err *e = NULL;
    *out = NULL;
    for (size_t i = 0; i < fs->n && !e; i++) {
        if (strcmp(fs->v[i].name, "Chart.yaml"))
            continue;
        if (!c->meta)
            c->meta = json_object_new_object();
        e = parse_meta_file(c->meta, &fs->v[i], "Chart.yaml");
        const char *api = gotk_obj_get_str(c->meta, "apiVersion");
        if (!e && (!api || !*api))
            json_object_object_add(c->meta, "apiVersion", json_object_new_string("v1"));
    }
    for (size_t i = 0; i < fs->n && !e; i++) {
        if (!c->meta && !strcmp(fs->v[i].name, "requirements.yaml"))
            c->meta = json_object_new_object();
        e = place_file(c, &fs->v[i], &charts);
    }
    if (!e && !c->meta)
        e = gotk_err_new(GOTK_E_INVALID, "Chart.yaml file is missing");
    if (!e)
        e = validate_metadata(c->meta);
    if (!e && !c->values)
        c->values = json_object_new_object();
    if (!e)
        e = load_subcharts(c, &charts);
    helm_files_free(&charts);
    if (e) {
        gotk_helm_chart_free(c);
        return e;
    }
    *out = c;
    return NULL;
}

/* The values are shared until one of the charts replaces its own (see
 * helm_coalesce_final); files and schema are read-only. */
gotk_helm_chart *helm_chart_alias(gotk_helm_chart *c, const char *alias)
{
    gotk_helm_chart *a = gotk_xcalloc(1, sizeof *a);
    a->meta = gotk_obj_copy(c->meta);
    if (alias && *alias)
        json_object_object_add(a->meta, "name", json_object_new_string(alias));
    a->values = json_object_get(c->values);
    a->values_shared = c->values_shared = true;
    if (c->schema) {
        a->schema_bytes = json_object_get(c->schema_bytes);
        a->schema = c->schema;
        a->schema_len = c->schema_len;
    }
    for (size_t i = 0; i < c->templates.n; i++)
        helm_files_share(&a->templates, c->templates.v[i].name, &c->templates.v[i]);
    for (size_t i = 0; i < c->files.n; i++)
        helm_files_share(&a->files, c->files.v[i].name, &c->files.v[i]);
    for (size_t i = 0; i < c->ndeps; i++)
        add_dep(a, helm_chart_alias(c->deps[i], NULL));
    return a;
}
