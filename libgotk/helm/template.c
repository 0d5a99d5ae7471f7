/*
 * template.c: `helm template` (cmd/helm/template.go over action.Install in
 * client-only dry-run mode): checks, dependency processing, values, schema,
 * rendering, sorting and the printed stream (manifests, then hooks, or only
 * the --show-only templates).
 */
#include <stdlib.h>
#include <string.h>

#include "gotk/obj.h"
#include "gotk/semver.h"
#include "gotk/template.h"
#include "helm_int.h"

#define DEBUG_HINT "\n\nUse --debug flag to render out invalid YAML"
#define NAME_REGEX "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"

static bool lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

gotk_err *gotk_helm_validate_release_name(const char *name)
{
    if (!*name)
        return gotk_err_new(GOTK_E_INVALID, "no name provided");
    bool ok = strlen(name) <= 53;
    /* dot-separated labels of [a-z0-9-], each starting and ending alphanumeric */
    for (const char *p = name; ok && *p;) {
        const char *e = strchr(p, '.');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        ok = n > 0 && lower_alnum(p[0]) && lower_alnum(p[n - 1]);
        for (size_t i = 0; ok && i < n; i++)
            ok = lower_alnum(p[i]) || p[i] == '-';
        p += n + (e != NULL);
        if (e && !*p)
            ok = false;
    }
    if (!ok)
        return gotk_err_new(GOTK_E_INVALID,
                            "invalid release name, must match regex " NAME_REGEX
                            " and the length must not be longer than 53");
    return NULL;
}

/* action.CheckDependencies */
static gotk_err *check_dependencies(const gotk_helm_chart *c)
{
    json_object *reqs = gotk_obj_get(c->meta, "dependencies", NULL);
    if (!reqs || !json_object_is_type(reqs, json_type_array))
        return NULL;
    gotk_buf missing = {0};
    for (size_t i = 0; i < json_object_array_length(reqs); i++) {
        const char *n = gotk_obj_get_str(json_object_array_get_idx(reqs, i), "name");
        n = n ? n : "";
        bool found = false;
        for (size_t d = 0; d < c->ndeps && !found; d++)
            found = !strcmp(helm_chart_name(c->deps[d]), n);
        if (!found)
            gotk_buf_printf(&missing, "%s%s", missing.len ? ", " : "", n);
    }
    if (!missing.len)
        return NULL;
    gotk_err *e = gotk_err_new(GOTK_E_NOTFOUND,
                               "An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: %s",
                               missing.data);
    gotk_buf_free(&missing);
    return e;
}

/* chartutil.ParseKubeVersion: "v" + the canonical semver, or an error. */
static gotk_err *kube_version(const char *in, char **out)
{
    gotk_semver *v = NULL;
    gotk_err *e = gotk_semver_parse(in, &v);
    if (e) {
        gotk_err *n = gotk_err_new(GOTK_E_INVALID, "invalid kube version '%s': %s", in,
                                   gotk_err_msg(e));
        gotk_err_free(e);
        return n;
    }
    *out = gotk_xasprintf("v%s", gotk_semver_string(v));
    gotk_semver_free(v);
    return NULL;
}

static json_object *capabilities(const gotk_helm_template_opts *o, const char *kv)
{
    json_object *apis = NULL;
    if (o->api_versions && o->api_versions[0]) {
        apis = gotk_tpl_helm_default_api_versions();
        for (size_t i = 0; o->api_versions[i]; i++)
            json_object_array_add(apis, json_object_new_string(o->api_versions[i]));
    }
    return gotk_tpl_helm_capabilities(kv, apis);
}

static json_object *release_object(const gotk_helm_template_opts *o)
{
    json_object *r = json_object_new_object();
    json_object_object_add(r, "Name", json_object_new_string(o->release_name ? o->release_name
                                                                             : "release-name"));
    json_object_object_add(r, "Namespace",
                           json_object_new_string(o->namespace_ ? o->namespace_ : "default"));
    json_object_object_add(r, "IsUpgrade", json_object_new_boolean(o->is_upgrade));
    json_object_object_add(r, "IsInstall", json_object_new_boolean(!o->is_upgrade));
    json_object_object_add(r, "Revision", json_object_new_int(1));
    json_object_object_add(r, "Service", json_object_new_string("Helm"));
    return r;
}

/* "---\n# Source: PATH\nDOC\n" (appended, not printf'd: documents run to
 * kilobytes and vsnprintf reads them twice). */
static void put_source_doc(gotk_buf *b, const char *path, const char *doc)
{
    gotk_buf_puts(b, "---\n# Source: ");
    gotk_buf_puts(b, path);
    gotk_buf_putc(b, '\n');
    gotk_buf_puts(b, doc);
    gotk_buf_putc(b, '\n');
}

/* ch.CRDObjects(): the crds/ manifests of the chart, then of its subcharts. */
static void print_crds(const gotk_helm_chart *c, gotk_buf *b)
{
    char *id = helm_chart_full_path(c);
    for (size_t i = 0; i < c->files.n; i++) {
        const helm_file *f = &c->files.v[i];
        const char *dot = strrchr(f->name, '.');
        if (strncmp(f->name, "crds/", 5) || !dot ||
            (strcmp(dot, ".yaml") && strcmp(dot, ".yml") && strcmp(dot, ".json")))
            continue;
        gotk_buf_printf(b, "---\n# Source: %s/%s\n", id, f->name);
        gotk_buf_append(b, f->data, f->len);
        gotk_buf_putc(b, '\n');
    }
    free(id);
    for (size_t i = 0; i < c->ndeps; i++)
        print_crds(c->deps[i], b);
}

static void trim_space(const char **s, size_t *n)
{
    while (*n && strchr(" \t\n\r\v\f", **s))
        (*s)++, (*n)--;
    while (*n && strchr(" \t\n\r\v\f", (*s)[*n - 1]))
        (*n)--;
}

/* --show-only: the documents whose "# Source: chart/PATH" matches a pattern. */
static gotk_err *show_only(const char *manifests, size_t len, const char *const *pats,
                           gotk_buf *out)
{
    helm_docs docs;
    helm_split_manifests(manifests, len, &docs);
    gotk_err *e = NULL;
    for (size_t p = 0; pats[p] && !e; p++) {
        bool missing = true;
        for (size_t i = 0; i < docs.n; i++) {
            const char *src = strstr(docs.docs[i], "# Source: ");
            const char *slash = src ? strchr(src + 10, '/') : NULL;
            if (!slash || slash == src + 10)
                continue;
            const char *eol = strchr(slash + 1, '\n');
            size_t n = eol ? (size_t)(eol - slash - 1) : strlen(slash + 1);
            if (!n)
                continue;
            char *path = gotk_xstrndup(slash + 1, n);
            bool m = helm_path_match(pats[p], path);
            free(path);
            if (!m)
                continue;
            gotk_buf_printf(out, "---\n%s\n", docs.docs[i]);
            missing = false;
        }
        if (missing)
            e = gotk_err_new(GOTK_E_NOTFOUND, "could not find template %s in chart", pats[p]);
    }
    helm_docs_free(&docs);
    return e;
}

/* Take the rendered NOTES.txt files out, as renderResources does; the root
 * chart's is the release's notes. */
static char *take_notes(const gotk_helm_chart *c, helm_rendered *r, size_t *n)
{
    char *root = gotk_xasprintf("%s/templates/NOTES.txt", helm_chart_name(c));
    char *notes = NULL;
    size_t w = 0;
    for (size_t i = 0; i < *n; i++) {
        size_t l = strlen(r[i].name);
        if (l >= 9 && !strcmp(r[i].name + l - 9, "NOTES.txt")) {
            if (!strcmp(r[i].name, root) && !notes)
                notes = gotk_xstrdup(r[i].text);
            free(r[i].name);
            free(r[i].text);
            continue;
        }
        r[w++] = r[i];
    }
    *n = w;
    free(root);
    return notes ? notes : gotk_xstrdup("");
}

static int cmp_rendered(const void *a, const void *b)
{
    return strcmp(((const helm_rendered *)a)->name, ((const helm_rendered *)b)->name);
}

/* The release manifest Helm keeps when sorting failed: every rendered file
 * (Helm walks a map; here in name order). */
static char *files_blob(helm_rendered *r, size_t nr)
{
    gotk_buf b = {0};
    if (nr > 1)
        qsort(r, nr, sizeof *r, cmp_rendered);
    for (size_t i = 0; i < nr; i++) {
        const char *t = r[i].text;
        size_t n = r[i].len;
        trim_space(&t, &n);
        if (n)
            put_source_doc(&b, r[i].name, r[i].text);
    }
    return b.data ? gotk_buf_steal(&b) : gotk_xstrdup("");
}

/* Hook annotations: the events as Helm reads them, the weight, the policy. */
static void fill_hook(gotk_helm_hook *h, helm_manifest *m)
{
    json_object *head = NULL;
    gotk_err *e = helm_yaml_one(m->content, strlen(m->content), NULL, &head);
    gotk_err_free(e);
    const char *ev = gotk_obj_get_str(head, "metadata.name");
    h->name = gotk_xstrdup(ev ? ev : "");
    json_object *ann = gotk_obj_get(head, "metadata", "annotations", NULL);
    json_object *v = NULL;
    const char *w = json_object_object_get_ex(ann, "helm.sh/hook-weight", &v) && v
                        ? json_object_get_string(v) : "0";
    h->weight = atoi(w);
    const char *pol = json_object_object_get_ex(ann, "helm.sh/hook-delete-policy", &v) && v
                          ? json_object_get_string(v) : "";
    h->delete_policy = gotk_xstrdup(pol);
    const char *spec = json_object_object_get_ex(ann, "helm.sh/hook", &v) && v
                           ? json_object_get_string(v) : "";
    gotk_buf b = {0};
    char *copy = gotk_xstrdup(spec), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        const char *q = t;
        size_t n = strlen(t);
        trim_space(&q, &n);
        if (b.len)
            gotk_buf_putc(&b, ',');
        for (size_t i = 0; i < n; i++)
            gotk_buf_putc(&b, (char)((q[i] >= 'A' && q[i] <= 'Z') ? q[i] + 32 : q[i]));
    }
    free(copy);
    h->events = b.data ? gotk_buf_steal(&b) : gotk_xstrdup("");
    h->path = gotk_xstrdup(m->path);
    h->kind = gotk_xstrdup(m->kind);
    h->manifest = m->content; /* moved: the sorted lists are dropped next */
    m->content = NULL;
    h->test = m->test;
    json_object_put(head);
}

/* The release's manifest: the CRDs asked for, then the sorted documents,
 * each let go of once copied (they add up to the whole output). */
static char *manifest_text(const gotk_helm_chart *c, const gotk_helm_template_opts *o,
                           helm_manifest_list *docs)
{
    gotk_buf man = {0};
    if (o->include_crds)
        print_crds(c, &man);
    for (size_t i = 0; i < docs->n; i++) {
        put_source_doc(&man, docs->v[i].path, docs->v[i].content);
        free(docs->v[i].content);
        docs->v[i].content = NULL;
    }
    return man.data ? gotk_xrealloc(man.data, man.len + 1) : gotk_xstrdup("");
}

/* The rendered texts, once sorted into documents (their names stay: the
 * documents borrow them). */
static void drop_rendered_texts(helm_rendered *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(r[i].text);
        r[i].text = NULL;
    }
}

/* renderResources: render, sort, and the release's manifest and hooks. What
 * rendering alone needs (the templates' data, and with !keep_values the
 * values) goes before sorting. */
static gotk_err *render_resources(gotk_helm_chart *c, json_object *top,
                                  const gotk_helm_template_opts *o, bool keep_values,
                                  gotk_helm_release *rel)
{
    helm_tpls t;
    json_object *root = helm_all_templates(c, top, &t);
    helm_rendered *r = NULL;
    size_t nr = 0;
    gotk_err *e = helm_render(&t, o->add_funcs, &r, &nr);
    helm_tpls_free(&t);
    json_object_put(root);
    if (!keep_values) {
        json_object_object_del(top, "Values");
        json_object_put(rel->values);
        rel->values = NULL;
    }
    helm_sorted s = {0};
    if (!e) {
        rel->notes = take_notes(c, r, &nr);
        e = helm_sort_manifests(r, nr, &s);
        if (e)
            rel->manifest = files_blob(r, nr);
    }
    if (!e) {
        drop_rendered_texts(r, nr);
        rel->manifest = manifest_text(c, o, &s.generic);
        rel->hooks = gotk_xcalloc(s.hooks.n + 1, sizeof *rel->hooks);
        for (size_t i = 0; i < s.hooks.n; i++)
            fill_hook(&rel->hooks[i], &s.hooks.v[i]);
        rel->nhooks = s.hooks.n;
    }
    helm_sorted_free(&s);
    helm_rendered_free(r, nr);
    return e;
}

static gotk_err *check_kube_version(const gotk_helm_chart *c, json_object *caps)
{
    const char *want = gotk_obj_get_str(c->meta, "kubeVersion");
    const char *have = gotk_obj_get_str(caps, "KubeVersion.Version");
    if (!want || !*want || helm_compatible_range(want, have ? have : ""))
        return NULL;
    return gotk_err_new(GOTK_E_INVALID,
                        "chart requires kubeVersion: %s which is incompatible with Kubernetes %s",
                        want, have ? have : "");
}

void gotk_helm_release_free(gotk_helm_release *rel)
{
    if (!rel)
        return;
    for (size_t i = 0; i < rel->nhooks; i++) {
        gotk_helm_hook *h = &rel->hooks[i];
        free(h->path);
        free(h->kind);
        free(h->name);
        free(h->manifest);
        free(h->events);
        free(h->delete_policy);
    }
    free(rel->hooks);
    free(rel->manifest);
    free(rel->notes);
    json_object_put(rel->values);
    free(rel);
}

/* action.Install.RunWithContext in client-only dry-run mode, up to the
 * release; without keep_values the release has no values (helm template
 * does not print them, and lets them go before the output is put together). */
static gotk_err *render_release(gotk_helm_chart *c, json_object *user_values,
                                const gotk_helm_template_opts *o, bool keep_values,
                                gotk_helm_release **out)
{
    *out = NULL;
    if (o->warnings && c->load_log) /* Helm logged it as it loaded the chart */
        gotk_buf_puts(o->warnings, c->load_log);
    const char *type = gotk_obj_get_str(c->meta, "type");
    if (type && *type && strcmp(type, "application"))
        return gotk_err_new(GOTK_E_INVALID, "%s charts are not installable", type);
    helm_warn_sink(o->warnings); /* until this returns */
    gotk_err *e = check_dependencies(c);
    char *kv = NULL;
    if (!e && o->kube_version && *o->kube_version)
        e = kube_version(o->kube_version, &kv);
    const char *name = o->release_name ? o->release_name : "release-name";
    if (!e && (e = gotk_helm_validate_release_name(name)))
        e = gotk_err_wrap(e, "release name \"%s\"", name);
    json_object *vals = user_values ? user_values : json_object_new_object();
    if (!e)
        e = helm_process_dependencies(c, vals);
    json_object *top = json_object_new_object(), *cv = NULL;
    json_object *caps = capabilities(o, kv);
    json_object_object_add(top, "Capabilities", caps);
    json_object_object_add(top, "Release", release_object(o));
    if (!e)
        e = helm_coalesce_final(c, vals, &cv);
    if (!e) {
        json_object_object_add(top, "Values", cv);
        if (!o->skip_schema_validation)
            e = helm_validate_schema(c, cv);
    }
    if (!e) {
        /* from here on Helm has a release, kept even when rendering fails */
        gotk_helm_release *rel = gotk_xcalloc(1, sizeof *rel);
        rel->values = json_object_get(cv);
        e = check_kube_version(c, caps);
        if (!e)
            e = render_resources(c, top, o, keep_values, rel);
        if (!rel->manifest)
            rel->manifest = gotk_xstrdup("");
        if (!rel->notes)
            rel->notes = gotk_xstrdup("");
        *out = rel;
    }
    json_object_put(top);
    if (!user_values)
        json_object_put(vals);
    free(kv);
    helm_warn_sink(NULL);
    return e;
}

gotk_err *gotk_helm_render(gotk_helm_chart *c, json_object *user_values,
                           const gotk_helm_template_opts *o, gotk_helm_release **out)
{
    return render_release(c, user_values, o, true, out);
}

/* template.go: the manifest trimmed, then the hooks; or the --show-only ones. */
static void put_release(const gotk_helm_release *rel, const gotk_helm_template_opts *o,
                        gotk_buf *out)
{
    const char *m = rel->manifest;
    size_t ml = strlen(m);
    trim_space(&m, &ml);
    gotk_buf_append(out, m, ml);
    gotk_buf_putc(out, '\n');
    for (size_t i = 0; !o->no_hooks && i < rel->nhooks; i++) {
        if (o->skip_tests && rel->hooks[i].test)
            continue;
        put_source_doc(out, rel->hooks[i].path, rel->hooks[i].manifest);
    }
}

static gotk_err *print_release(const gotk_helm_release *rel, const gotk_helm_template_opts *o,
                               gotk_buf *out)
{
    if (!o->show_only || !o->show_only[0]) {
        put_release(rel, o, out);
        return NULL;
    }
    gotk_buf all = {0}, shown = {0};
    put_release(rel, o, &all);
    gotk_err *e = show_only(all.data, all.len, o->show_only, &shown);
    if (!e)
        gotk_buf_append(out, shown.data, shown.len);
    gotk_buf_free(&shown);
    gotk_buf_free(&all);
    return e;
}

gotk_err *gotk_helm_template(gotk_helm_chart *c, json_object *user_values,
                             const gotk_helm_template_opts *o, gotk_buf *out)
{
    gotk_helm_release *rel = NULL;
    gotk_err *e = render_release(c, user_values, o, false, &rel);
    if (e && rel) {
        if (o->debug) {
            /* --debug prints what was rendered, then fails */
            const char *m = rel->manifest;
            size_t ml = strlen(m);
            trim_space(&m, &ml);
            gotk_buf_append(out, m, ml);
            gotk_buf_putc(out, '\n');
        } else {
            gotk_err *n = gotk_err_new(gotk_err_code_of(e), "%s" DEBUG_HINT, gotk_err_msg(e));
            gotk_err_free(e);
            e = n;
        }
    } else if (!e) {
        e = print_release(rel, o, out);
    }
    gotk_helm_release_free(rel);
    return e;
}
