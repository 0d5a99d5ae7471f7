/*
 * engine.c: pkg/engine: the templates of a chart and its subcharts, each with
 * the data Helm gives it (.Values scoped to the subchart, .Chart, .Files,
 * .Release, .Capabilities, .Subcharts, .Template), parsed into one set in
 * Helm's order (deepest paths first, so a parent's {{define}} wins) and
 * executed one by one, with Helm's rewording of parse and execution errors.
 */
#include <stdlib.h>
#include <string.h>

#include "gotk/obj.h"
#include "gotk/template.h"
#include "helm_int.h"

const gotk_tpl_json_field gotk_helm_metadata_json[] = {
    {"Name", "name", true}, {"Home", "home", true}, {"Sources", "sources", true},
    {"Version", "version", true}, {"Description", "description", true},
    {"Keywords", "keywords", true}, {"Maintainers", "maintainers", true},
    {"Icon", "icon", true}, {"APIVersion", "apiVersion", true},
    {"Condition", "condition", true}, {"Tags", "tags", true},
    {"AppVersion", "appVersion", true}, {"Deprecated", "deprecated", true},
    {"Annotations", "annotations", true}, {"KubeVersion", "kubeVersion", true},
    {"Dependencies", "dependencies", true}, {"Type", "type", true}, {NULL, NULL, false},
};
static const gotk_tpl_json_field maint_fields[] = {
    {"Name", "name", true}, {"Email", "email", true}, {"URL", "url", true}, {NULL, NULL, false},
};
static const gotk_tpl_json_field dep_fields[] = {
    {"Name", "name", false}, {"Version", "version", true},
    {"Repository", "repository", false}, {"Condition", "condition", true},
    {"Tags", "tags", true}, {"Enabled", "enabled", true},
    {"ImportValues", "import-values", true}, {"Alias", "alias", true}, {NULL, NULL, false},
};
/* engine.go's struct { chart.Metadata; IsRoot bool }: Metadata embedded */
static const gotk_tpl_json_field chart_fields[] = {{"Metadata", "", false}, {NULL, NULL, false}};

static bool is_list_field(const char *go)
{
    return !strcmp(go, "Sources") || !strcmp(go, "Keywords") || !strcmp(go, "Maintainers") ||
           !strcmp(go, "Dependencies") || !strcmp(go, "Tags") || !strcmp(go, "ImportValues");
}

/* A Go struct as json: every field present, zero when absent. */
static json_object *go_struct(json_object *src, const gotk_tpl_json_field *fields, const char *tag);

/* The Go type of a list or map field, for typeOf and error texts. */
static const char *field_go_type(const char *go)
{
    return !strcmp(go, "Maintainers") ? "[]*chart.Maintainer"
         : !strcmp(go, "Dependencies") ? "[]*chart.Dependency"
         : !strcmp(go, "Annotations") ? "map[string]string"
         : !strcmp(go, "ImportValues") ? NULL : "[]string";
}

static json_object *field_value(const char *go, json_object *v)
{
    if (!strcmp(go, "Maintainers") || !strcmp(go, "Dependencies")) {
        json_object *a = json_object_new_array();
        size_t n = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
        for (size_t i = 0; i < n; i++) {
            json_object *e = json_object_array_get_idx(v, i);
            json_object_array_add(a, !strcmp(go, "Maintainers")
                                         ? go_struct(e, maint_fields, "*chart.Maintainer")
                                         : go_struct(e, dep_fields, "*chart.Dependency"));
        }
        return a;
    }
    if (!strcmp(go, "Tags") && json_object_is_type(v, json_type_string))
        return json_object_get(v); /* Metadata.Tags is a string */
    if (v)
        return gotk_template_floatify(gotk_obj_copy(v));
    if (!strcmp(go, "Deprecated") || !strcmp(go, "Enabled"))
        return json_object_new_boolean(0);
    if (!strcmp(go, "Annotations"))
        return json_object_new_object();
    if (is_list_field(go) && strcmp(go, "Tags"))
        return json_object_new_array();
    return json_object_new_string("");
}

/* A list or map field Helm leaves nil: unset in Chart.yaml, and an empty
 * dependencies list (Helm's loaded chart has none then). */
static bool nil_field(const char *go, json_object *v)
{
    return !v || (!strcmp(go, "Dependencies") && json_object_is_type(v, json_type_array) &&
                  json_object_array_length(v) == 0);
}

static json_object *go_struct(json_object *src, const gotk_tpl_json_field *fields, const char *tag)
{
    json_object *o = json_object_new_object();
    for (int i = 0; fields[i].go; i++) {
        json_object *v = NULL;
        if (src)
            json_object_object_get_ex(src, fields[i].json, &v);
        json_object *fv = field_value(fields[i].go, v);
        if (!v && !strcmp(fields[i].go, "Tags") && fields == dep_fields) {
            json_object_put(fv);
            fv = json_object_new_array();
        }
        const char *t = field_go_type(fields[i].go);
        if (t && (json_object_is_type(fv, json_type_array) ||
                  (json_object_is_type(fv, json_type_object) && !strcmp(fields[i].go, "Annotations")))) {
            gotk_tpl_tag(fv, t, false);
            if (nil_field(fields[i].go, v))
                gotk_tpl_tag_nil(fv);
        }
        json_object_object_add(o, fields[i].go, fv);
    }
    gotk_obj_fit(o);
    gotk_tpl_tag(o, tag, true);
    gotk_tpl_tag_json(o, fields);
    return o;
}

json_object *helm_chart_object(const gotk_helm_chart *c)
{
    /* engine.go's struct { chart.Metadata; IsRoot bool }: Metadata embedded */
    json_object *o = json_object_new_object();
    json_object_object_add(o, "Metadata", go_struct(c->meta, gotk_helm_metadata_json, "chart.Metadata"));
    json_object_object_add(o, "IsRoot", json_object_new_boolean(c->parent == NULL));
    gotk_tpl_tag(o, "struct { chart.Metadata; IsRoot bool }", true);
    gotk_tpl_tag_json(o, chart_fields);
    return o;
}

/* ---- the template table (recAllTpls) ------------------------------------ */

static void tpls_add(helm_tpls *t, const gotk_helm_chart *c, char *name, const helm_file *f,
                     json_object *vals, char *base)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->v = gotk_xrealloc(t->v, t->cap * sizeof *t->v);
    }
    t->v[t->n++] = (helm_tpl){.name = name, .text = f->data, .len = f->len, .vals = vals,
                              .base_path = base, .chart = c};
}

/* Whether two charts hold the same files (aliases of one chart share the
 * bytes of every file). */
static bool same_files(const helm_files *a, const helm_files *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i].data != b->v[i].data || a->v[i].len != b->v[i].len ||
            strcmp(a->v[i].name, b->v[i].name))
            return false;
    return true;
}

/* .Files: one map for all the charts holding the same files, as templates
 * cannot change an engine.files (Sprig's set and merge refuse it), so the
 * aliases of a chart need not each copy its files. */
static json_object *files_object(helm_tpls *t, const gotk_helm_chart *c)
{
    for (size_t i = 0; i < t->nfiles; i++)
        if (same_files(t->files[i].of, &c->files))
            return json_object_get(t->files[i].map);
    json_object *m = json_object_new_object();
    for (size_t i = 0; i < c->files.n; i++)
        json_object_object_add(m, c->files.v[i].name, json_object_get(c->files.v[i].bytes));
    gotk_obj_fit(m);
    t->files = gotk_xrealloc(t->files, (t->nfiles + 1) * sizeof *t->files);
    t->files[t->nfiles++] = (helm_tpl_files){&c->files, m};
    return json_object_get(gotk_tpl_helm_files(m));
}

/* The parent's .Subcharts entry for a subchart's dot, which t keeps: its
 * fields shared, untyped (Helm's recAllTpls stores the map before
 * renderable.vals makes it a chartutil.Values). */
static json_object *subchart_view(helm_tpls *t, json_object *dot)
{
    json_object *view = json_object_new_object();
    json_object_object_foreach(dot, k, v)
        json_object_object_add(view, k, json_object_get(v));
    gotk_obj_fit(view);
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].vals == dot)
            t->v[i].as_subchart = view;
    t->dots = gotk_xrealloc(t->dots, (t->ndots + 1) * sizeof *t->dots);
    t->dots[t->ndots++] = dot;
    return view;
}

static json_object *rec_all_tpls(const gotk_helm_chart *c, helm_tpls *t, json_object *vals)
{
    json_object *subcharts = json_object_new_object();
    json_object *next = json_object_new_object();
    /* the templates' dot, as in Helm; .Subcharts gets a plain map view */
    gotk_tpl_tag(next, "chartutil.Values", false);
    json_object_object_add(next, "Chart", helm_chart_object(c));
    json_object_object_add(next, "Files", files_object(t, c));
    json_object_object_add(next, "Release",
                           json_object_get(gotk_obj_get(vals, "Release", NULL)));
    json_object_object_add(next, "Capabilities",
                           json_object_get(gotk_obj_get(vals, "Capabilities", NULL)));
    json_object *values = NULL;
    if (!c->parent) {
        values = json_object_get(gotk_obj_get(vals, "Values", NULL));
        gotk_tpl_tag(values, "chartutil.Values", false);
    } else {
        json_object *pv = gotk_obj_get(vals, "Values", helm_chart_name(c), NULL);
        values = json_object_new_object();
        if (pv && json_object_is_type(pv, json_type_object)) {
            /* Values.Table's result: a chartutil.Values over the parent's map,
             * which stays a plain map in the parent's .Values */
            json_object_object_foreach(pv, k, v)
                json_object_object_add(values, k, json_object_get(v));
            gotk_obj_fit(values);
            helm_view_add(t, c, values, pv);
        }
        gotk_tpl_tag(values, "chartutil.Values", false);
    }
    json_object_object_add(next, "Values", values);
    json_object_object_add(next, "Subcharts", subcharts);
    for (size_t i = 0; i < c->ndeps; i++)
        json_object_object_add(subcharts, helm_chart_name(c->deps[i]),
                               subchart_view(t, rec_all_tpls(c->deps[i], t, next)));
    char *id = helm_chart_full_path(c);
    char *base = gotk_xasprintf("%s/templates", id);
    bool library = helm_chart_is_library(c);
    for (size_t i = 0; i < c->templates.n; i++) {
        const helm_file *f = &c->templates.v[i];
        const char *b = strrchr(f->name, '/');
        if (library && (b ? b[1] : f->name[0]) != '_')
            continue;
        tpls_add(t, c, gotk_xasprintf("%s/%s", id, f->name), f, next, gotk_xstrdup(base));
    }
    free(base);
    free(id);
    return next;
}

json_object *helm_all_templates(const gotk_helm_chart *c, json_object *top, helm_tpls *t)
{
    memset(t, 0, sizeof *t);
    return rec_all_tpls(c, t, top);
}

void helm_tpls_free(helm_tpls *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].name);
        free(t->v[i].base_path);
    }
    free(t->v);
    for (size_t i = 0; i < t->nfiles; i++)
        json_object_put(t->files[i].map);
    free(t->files);
    helm_views_free(t);
    for (size_t i = 0; i < t->ndots; i++)
        json_object_put(t->dots[i]);
    free(t->dots);
}

/* ---- rendering ----------------------------------------------------------- */

static size_t count_slashes(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '/';
    return n;
}

/* A template with its path's depth, counted once before sorting. */
typedef struct {
    size_t depth;
    helm_tpl t;
} ranked_tpl;

/* sort.Reverse(byPathLen): deeper paths first, then reverse name order. */
static int cmp_tpl(const void *pa, const void *pb)
{
    const ranked_tpl *a = pa, *b = pb;
    if (a->depth != b->depth)
        return a->depth > b->depth ? -1 : 1;
    return -strcmp(a->t.name, b->t.name);
}

static void sort_tpls(helm_tpls *t)
{
    ranked_tpl *r = gotk_xcalloc(t->n, sizeof *r);
    for (size_t i = 0; i < t->n; i++)
        r[i] = (ranked_tpl){count_slashes(t->v[i].name), t->v[i]};
    qsort(r, t->n, sizeof *r, cmp_tpl);
    for (size_t i = 0; i < t->n; i++)
        t->v[i] = r[i].t;
    free(r);
}

/* cleanupParseError */
static gotk_err *parse_error(const char *filename, gotk_err *e)
{
    const char *m = gotk_err_msg(e);
    const char *first = strstr(m, ": ");
    gotk_err *n;
    if (!first) {
        n = gotk_err_new(GOTK_E_INVALID, "parse error in (%s): %s", filename, m);
    } else {
        const char *loc = first + 2, *loc_end = strstr(loc, ": ");
        const char *last = first;
        for (const char *p = first; p; p = strstr(p + 2, ": "))
            last = p;
        n = gotk_err_new(GOTK_E_INVALID, "parse error at (%.*s): %s",
                         (int)(loc_end ? loc_end - loc : (long)strlen(loc)), loc, last + 2);
    }
    gotk_err_free(e);
    return n;
}

/* reformatExecErrorMsg, and Go's recovered panics. */
static gotk_err *exec_error(const char *filename, gotk_err *e)
{
    const char *m = gotk_err_msg(e);
    gotk_err *n = NULL;
    if (strncmp(m, "template: ", 10) != 0) {
        n = gotk_err_new(GOTK_E_INVALID, "rendering template failed: %s", m);
    } else {
        const char *loc = m + 10, *loc_end = strstr(loc, ": ");
        if (!loc_end) {
            n = gotk_err_new(GOTK_E_INVALID, "execution error in (%s): %s", filename, m);
        } else {
            const char *rest = loc_end + 2;
            const char *a = strstr(rest, "HELM["), *b = NULL;
            for (const char *p = a ? strstr(a, "]HELM") : NULL; p; p = strstr(p + 1, "]HELM"))
                b = p;
            if (a && b)
                n = gotk_err_new(GOTK_E_INVALID, "execution error at (%.*s): %.*s",
                                 (int)(loc_end - loc), loc, (int)(b - a - 5), a + 5);
        }
    }
    if (!n)
        return e;
    gotk_err_free(e);
    return n;
}

gotk_err *helm_render(helm_tpls *t, void (*add_funcs)(gotk_tpl_set *set), helm_rendered **out,
                      size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (t->n > 1)
        sort_tpls(t);
    gotk_tpl_set *set = gotk_template_new();
    gotk_template_set_name(set, "gotpl");
    gotk_template_add_helm(set);
    if (add_funcs)
        add_funcs(set);
    gotk_err *e = gotk_template_option(set, "missingkey=zero");
    for (size_t i = 0; i < t->n && !e; i++) {
        /* the chart, and so its files, outlives the set */
        e = gotk_template_parse_borrowed(set, t->v[i].name, t->v[i].text, t->v[i].len);
        if (e)
            e = parse_error(t->v[i].name, e);
    }
    helm_rendered *r = gotk_xcalloc(t->n + 1, sizeof *r);
    size_t nr = 0;
    for (size_t i = 0; i < t->n && !e; i++) {
        const char *b = strrchr(t->v[i].name, '/');
        if ((b ? b[1] : t->v[i].name[0]) == '_')
            continue;
        json_object *tmpl = json_object_new_object();
        json_object_object_add(tmpl, "Name", json_object_new_string(t->v[i].name));
        json_object_object_add(tmpl, "BasePath", json_object_new_string(t->v[i].base_path));
        gotk_tpl_tag(tmpl, "chartutil.Values", false);
        json_object_object_add(t->v[i].vals, "Template", tmpl);
        if (t->v[i].as_subchart)
            json_object_object_add(t->v[i].as_subchart, "Template", json_object_get(tmpl));
        gotk_buf buf = {0};
        e = gotk_template_execute(set, t->v[i].name, t->v[i].vals, &buf);
        helm_views_sync(t, t->v[i].chart);
        if (e) {
            e = exec_error(t->v[i].name, e);
            gotk_buf_free(&buf);
            break;
        }
        gotk_template_strip_no_value(&buf);
        r[nr].name = gotk_xstrdup(t->v[i].name);
        r[nr].len = buf.len;
        /* the buffer as long as its text: all are kept until sorted */
        r[nr].text = buf.data ? gotk_xrealloc(buf.data, buf.len + 1) : gotk_xstrdup("");
        nr++;
    }
    gotk_template_free(set);
    if (e) {
        helm_rendered_free(r, nr);
        return e;
    }
    *out = r;
    *nout = nr;
    return NULL;
}

void helm_rendered_free(helm_rendered *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(r[i].name);
        free(r[i].text);
    }
    free(r);
}
