/*
 * tpl_render: render one template file with libgotk's template module, for the
 * differential tests against Helm.
 *
 *   tpl_render [--name NAME] [--missingkey=MODE] [--helm] TEMPLATE [VALUES]
 *
 * VALUES is JSON (JSON-compatible YAML). With --helm the data is laid out as Helm
 * does for a chart template: {"Values": values} with every number a float64,
 * missingkey=zero, Helm's and Sprig's functions, "<no value>" removed from the
 * output, and errors reworded as Helm's engine does. The output goes to
 * stdout; an error prints "Error: MESSAGE" on stderr and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gotk/core.h"
#include "gotk/template.h"

/* Remove every "<no value>" from b, as Helm's engine does. */
static void strip_no_value(gotk_buf *b)
{
    static const char nv[] = "<no value>";
    size_t w = 0, n = sizeof nv - 1;
    for (size_t r = 0; r < b->len;) {
        if (r + n <= b->len && memcmp(b->data + r, nv, n) == 0) {
            r += n;
            continue;
        }
        b->data[w++] = b->data[r++];
    }
    b->len = w;
    b->data[w] = 0;
}

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
    const char *name = NULL, *missing = NULL, *paths[2] = {NULL, NULL};
    bool helm = false;
    int np = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--name") && i + 1 < argc)
            name = argv[++i];
        else if (!strncmp(argv[i], "--missingkey=", 13))
            missing = argv[i] + 2;
        else if (!strcmp(argv[i], "--helm"))
            helm = true;
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
    json_object *values = load_values(paths[1]), *data = values;
    if (helm) {
        data = json_object_new_object();
        json_object_object_add(data, "Values", gotk_template_floatify(values));
        missing = missing ? missing : "missingkey=zero";
    }
    gotk_tpl_set *set = gotk_template_new();
    if (helm)
        gotk_template_add_helm(set);
    gotk_buf out = {0};
    if (missing)
        e = gotk_template_option(set, missing);
    if (!e) {
        e = gotk_template_parse(set, name, text, len);
        if (e && helm)
            e = helm_parse_error(e);
    }
    if (!e) {
        e = gotk_template_execute(set, name, data, &out);
        if (e && helm)
            e = helm_exec_error(e);
    }
    if (helm && out.data)
        strip_no_value(&out);
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
