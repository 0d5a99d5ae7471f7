/*
 * tpl_render: render one template file with libgotk's template module, for the
 * differential tests against Helm.
 *
 *   tpl_render [--name NAME] [--missingkey=MODE] [--helm [--chart-dir DIR]]
 *              TEMPLATE [VALUES]
 *
 * VALUES is JSON. With --helm, VALUES is YAML read as Helm reads values.yaml
 * (sigs.k8s.io/yaml: YAML 1.1, numbers float64) and the data is laid out as
 * `helm template r c` does for the one template of chart "c" 0.1.0: .Values,
 * .Chart (struct { chart.Metadata; IsRoot bool }), .Release (r in default, an
 * install), .Capabilities (Helm's defaults), .Template, .Subcharts and .Files,
 * which holds the files of DIR (the chart directory) that Helm's loader puts
 * there: all but Chart.yaml, values.yaml and what is under templates/ and
 * charts/. Also missingkey=zero, Helm's and Sprig's functions, "<no value>"
 * removed from the output, and errors reworded as Helm's engine does. The
 * output goes to stdout; an error prints "Error: MESSAGE" on stderr and exits 1.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gotk/core.h"
#include "gotk/helm.h"
#include "gotk/obj.h"
#include "gotk/template.h"

/* Helm's cleanupParseError: "parse error at (LOCATION): LAST MESSAGE PART". */
static gotk_err *helm_parse_error(gotk_err *e)
{
    const char *m = gotk_err_msg(e);
    const char *first = strstr(m, ": ");
    if (!first) {
        gotk_err *n = gotk_err_new(GOTK_E_INVALID, "parse error in (?): %s", m);
        gotk_err_free(e);
        return n;
    }
    const char *loc = first + 2, *loc_end = strstr(loc, ": ");
    const char *last = first;
    for (const char *p = strstr(m, ": "); p; p = strstr(p + 2, ": "))
        last = p;
    gotk_err *n = gotk_err_new(GOTK_E_INVALID, "parse error at (%.*s): %s",
                               (int)(loc_end ? loc_end - loc : (long)strlen(loc)), loc,
                               last + 2);
    gotk_err_free(e);
    return n;
}

/* Helm's cleanupExecError: "template: LOC: ... HELM[msg]HELM" becomes
 * "execution error at (LOC): msg". */
static gotk_err *helm_exec_error(gotk_err *e)
{
    const char *m = gotk_err_msg(e);
    const char *a = strstr(m, "HELM["), *b = a ? strstr(a, "]HELM") : NULL;
    for (const char *p = b; p; p = strstr(p + 1, "]HELM"))
        b = p;
    const char *loc = strncmp(m, "template: ", 10) == 0 ? m + 10 : NULL;
    const char *loc_end = loc ? strstr(loc, ": ") : NULL;
    if (!a || !b || !loc_end || a < loc_end)
        return e;
    gotk_err *n = gotk_err_new(GOTK_E_INVALID, "execution error at (%.*s): %.*s",
                               (int)(loc_end - loc), loc, (int)(b - a - 5), a + 5);
    gotk_err_free(e);
    return n;
}

/* Fail the program on a setup error. */
static void die_on(gotk_err *e)
{
    if (!e)
        return;
    fprintf(stderr, "Error: %s\n", gotk_err_msg(e));
    gotk_err_free(e);
    exit(2);
}

/* Whether Helm's chart loader keeps a chart file (path relative to the chart)
 * in chart.Files. */
static bool is_chart_file(const char *rel)
{
    return strcmp(rel, "Chart.yaml") && strcmp(rel, "values.yaml") &&
           strncmp(rel, "templates/", 10) && strncmp(rel, "charts/", 7);
}

/* The length of a UTF-8 byte order mark at s, which Helm's chart loader drops
 * from every file. */
static size_t bom_len(const char *s, size_t n)
{
    return n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3) ? 3 : 0;
}

/* Add the files under dir/rel (recursively) to files, keyed by relative path. */
static void read_chart_files(const char *dir, const char *rel, json_object *files)
{
    char *path = *rel ? gotk_xasprintf("%s/%s", dir, rel) : gotk_xstrdup(dir);
    DIR *d = opendir(path);
    for (struct dirent *de; d && (de = readdir(d));) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char *r = *rel ? gotk_xasprintf("%s/%s", rel, de->d_name) : gotk_xstrdup(de->d_name);
        char *full = gotk_xasprintf("%s/%s", dir, r);
        struct stat st;
        if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
            read_chart_files(dir, r, files);
        } else if (is_chart_file(r)) {
            char *data;
            size_t len;
            die_on(gotk_file_read(full, &data, &len));
            size_t bom = bom_len(data, len);
            json_object_object_add(files, r, json_object_new_string_len(data + bom, (int)(len - bom)));
            free(data);
        }
        free(full);
        free(r);
    }
    if (d)
        closedir(d);
    free(path);
}

/* The chart's Metadata is embedded: its fields are promoted. */
static const gotk_tpl_json_field chart_json[] = {{"Metadata", "", false}, {NULL, NULL, false}};

/* chart.Metadata of `helm create`-less chart "c": apiVersion v2, 0.1.0. */
static json_object *chart_metadata(void)
{
    static const char *const fields[] = {
        "Name", "Home", "Sources", "Version", "Description", "Keywords", "Maintainers",
        "Icon", "APIVersion", "Condition", "Tags", "AppVersion", "Deprecated",
        "Annotations", "KubeVersion", "Dependencies", "Type",
    };
    json_object *m = json_object_new_object();
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        const char *f = fields[i];
        json_object *v = !strcmp(f, "Name") ? json_object_new_string("c")
                       : !strcmp(f, "Version") ? json_object_new_string("0.1.0")
                       : !strcmp(f, "APIVersion") ? json_object_new_string("v2")
                       : !strcmp(f, "Deprecated") ? json_object_new_boolean(false)
                       : !strcmp(f, "Annotations") ? json_object_new_object()
                       : strstr("Sources Keywords Maintainers Dependencies", f) ? json_object_new_array()
                       : json_object_new_string("");
        const char *slice_type = !strcmp(f, "Maintainers") ? "[]*chart.Maintainer"
                               : !strcmp(f, "Dependencies") ? "[]*chart.Dependency" : "[]string";
        if (json_object_is_type(v, json_type_array))
            gotk_tpl_tag(v, slice_type, false);
        if (!strcmp(f, "Annotations"))
            gotk_tpl_tag(v, "map[string]string", false);
        if (json_object_is_type(v, json_type_array) || !strcmp(f, "Annotations"))
            gotk_tpl_tag_nil(v); /* unset in Chart.yaml */
        json_object_object_add(m, f, v);
    }
    gotk_tpl_tag(m, "chart.Metadata", true);
    gotk_tpl_tag_json(m, gotk_helm_metadata_json);
    json_object *c = json_object_new_object();
    json_object_object_add(c, "Metadata", m);
    json_object_object_add(c, "IsRoot", json_object_new_boolean(true));
    gotk_tpl_tag(c, "struct { chart.Metadata; IsRoot bool }", true);
    gotk_tpl_tag_json(c, chart_json);
    return c;
}

/* The top-level data of a chart template as `helm template r c` has it. */
static json_object *helm_data(json_object *values, const char *name, const char *chart_dir)
{
    json_object *data = json_object_new_object();
    gotk_tpl_tag(data, "chartutil.Values", false);
    gotk_tpl_tag(values, "chartutil.Values", false);
    json_object_object_add(data, "Values", values);
    json_object_object_add(data, "Chart", chart_metadata());
    json_object *rel = json_object_new_object();
    json_object_object_add(rel, "Name", json_object_new_string("r"));
    json_object_object_add(rel, "Namespace", json_object_new_string("default"));
    json_object_object_add(rel, "IsUpgrade", json_object_new_boolean(false));
    json_object_object_add(rel, "IsInstall", json_object_new_boolean(true));
    json_object_object_add(rel, "Revision", json_object_new_int(1));
    json_object_object_add(rel, "Service", json_object_new_string("Helm"));
    json_object_object_add(data, "Release", rel);
    json_object_object_add(data, "Capabilities", gotk_tpl_helm_capabilities(NULL, NULL));
    json_object *files = json_object_new_object();
    if (chart_dir)
        read_chart_files(chart_dir, "", files);
    json_object_object_add(data, "Files", gotk_tpl_helm_files(files));
    json_object_object_add(data, "Subcharts", json_object_new_object());
    json_object *tpl = json_object_new_object();
    json_object_object_add(tpl, "Name", json_object_new_string(name));
    const char *slash = strrchr(name, '/');
    json_object_object_add(tpl, "BasePath",
                           json_object_new_string_len(name, slash ? (int)(slash - name) : 0));
    gotk_tpl_tag(tpl, "chartutil.Values", false);
    json_object_object_add(data, "Template", tpl);
    return data;
}

/* Values as Helm reads values.yaml: the first document, as sigs.k8s.io/yaml. */
static json_object *load_helm_values(const char *path)
{
    if (!path)
        return json_object_new_object();
    char *data;
    size_t len;
    json_object *docs = NULL;
    die_on(gotk_file_read(path, &data, &len));
    size_t bom = bom_len(data, len);
    die_on(gotk_yaml_parse_flags(data + bom, len - bom, NULL, GOTK_YAML_PARSE_SIGS, &docs));
    free(data);
    json_object *v = json_object_array_length(docs) ? json_object_array_get_idx(docs, 0) : NULL;
    v = json_object_is_type(v, json_type_object) ? json_object_get(v) : json_object_new_object();
    json_object_put(docs);
    return v;
}

/* Read and parse the values file; NULL path means empty values. */
static json_object *load_values(const char *path)
{
    if (!path)
        return json_object_new_object();
    char *data;
    size_t len;
    gotk_err *e = gotk_file_read(path, &data, &len);
    if (e) {
        fprintf(stderr, "Error: %s\n", gotk_err_msg(e));
        gotk_err_free(e);
        exit(2);
    }
    json_object *v = len ? json_tokener_parse(data) : json_object_new_object();
    free(data);
    if (!v) {
        fprintf(stderr, "Error: %s: not JSON\n", path);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    const char *name = NULL, *missing = NULL, *paths[2] = {NULL, NULL}, *chart_dir = NULL;
    bool helm = false;
    int np = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--name") && i + 1 < argc)
            name = argv[++i];
        else if (!strncmp(argv[i], "--missingkey=", 13))
            missing = argv[i] + 2;
        else if (!strcmp(argv[i], "--helm"))
            helm = true;
        else if (!strcmp(argv[i], "--chart-dir") && i + 1 < argc)
            chart_dir = argv[++i];
        else if (np < 2)
            paths[np++] = argv[i];
    }
    if (!paths[0]) {
        fprintf(stderr, "usage: tpl_render [--name N] [--missingkey=M] [--helm] TEMPLATE [VALUES]\n");
        return 2;
    }
    name = name ? name : paths[0];
    char *text;
    size_t len;
    gotk_err *e = gotk_file_read(paths[0], &text, &len);
    if (e) {
        fprintf(stderr, "Error: %s\n", gotk_err_msg(e));
        gotk_err_free(e);
        return 2;
    }
    json_object *data;
    if (helm) {
        data = helm_data(load_helm_values(paths[1]), name, chart_dir);
        missing = missing ? missing : "missingkey=zero";
    } else {
        data = load_values(paths[1]);
    }
    gotk_tpl_set *set = gotk_template_new();
    if (helm)
        gotk_template_add_helm(set);
    gotk_buf out = {0};
    if (missing)
        e = gotk_template_option(set, missing);
    if (!e) {
        size_t bom = helm ? bom_len(text, len) : 0;
        e = gotk_template_parse(set, name, text + bom, len - bom);
        if (e && helm)
            e = helm_parse_error(e);
    }
    if (!e) {
        e = gotk_template_execute(set, name, data, &out);
        if (e && helm)
            e = helm_exec_error(e);
    }
    if (helm && out.data)
        gotk_template_strip_no_value(&out);
    int rc = 0;
    if (e) {
        /* Helm recovers Go runtime panics as "rendering template failed: ..." */
        bool panic = helm && strncmp(gotk_err_msg(e), "template: ", 10) != 0 &&
                     strncmp(gotk_err_msg(e), "parse error", 11) != 0 &&
                     strncmp(gotk_err_msg(e), "execution error", 15) != 0;
        fprintf(stderr, "Error: %s%s\n", panic ? "rendering template failed: " : "",
                gotk_err_msg(e));
        gotk_err_free(e);
        rc = 1;
    } else {
        fwrite(out.data, 1, out.len, stdout);
    }
    gotk_buf_free(&out);
    gotk_template_free(set);
    json_object_put(data);
    free(text);
    return rc;
}
