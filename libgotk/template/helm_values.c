/*
 * helm_values.c: the methods of chartutil.Values (Helm 3.17's pkg/chartutil),
 * the type of the templates' dot, of .Values and of .Template. A method wins
 * over a map key of the same name in Go's templates, so {{ .Values.YAML }}
 * calls YAML. Encode, which needs an io.Writer, cannot be called usefully
 * from a template and is left out.
 */
#include <stdlib.h>
#include <string.h>

#include "gotk/obj.h"
#include "sprig.h"

#define FN(name) \
    static gotk_err *name(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv, \
                          gotk_tpl_val *res, void *ud)
#define UNUSED (void)ex, (void)argc, (void)argv, (void)ud

#define VALUES_TYPE "chartutil.Values"

/* A new map with m's entries (shared), tagged as `type` or plain. */
static json_object *shallow_copy(json_object *m, const char *type)
{
    json_object *c = json_object_new_object();
    if (m) {
        json_object_object_foreach(m, k, v) json_object_object_add(c, k, json_object_get(v));
    }
    if (type)
        tpl_tag_value(c, type, false);
    return c;
}

/* Values.Table: the map at the dotted path; *bad gets the key that is none. */
static json_object *table(json_object *v, const char *path, char **bad)
{
    char *copy = gotk_xstrdup(path);
    const char *k = copy;
    *bad = NULL;
    for (char *dot; !*bad; k = dot + 1) {
        dot = strchr(k, '.');
        if (dot)
            *dot = 0;
        json_object *next = NULL;
        if (!v || !json_object_object_get_ex(v, k, &next) || !json_object_is_type(next, json_type_object))
            *bad = gotk_xstrdup(k);
        else
            v = next;
        if (!dot)
            break;
    }
    free(copy);
    return *bad ? NULL : v;
}

/* An ErrNoTable or ErrNoValue: "%q is not a table". */
static gotk_err *not_a(const char *key, const char *what)
{
    gotk_buf q = {0};
    tpl_quote_ex(&q, key, strlen(key), false);
    gotk_err *e = gotk_err_new(GOTK_E_INVALID, "%s is not a %s", q.data, what);
    gotk_buf_free(&q);
    return e;
}

/* YAML: yaml.Marshal of the map (what toYaml prints, with its newline). */
FN(values_yaml)
{
    UNUSED;
    gotk_tpl_val y = tpl_helm_to_yaml(ex, tpl_json_marshal_view(argv[0].j));
    gotk_buf b = {0};
    gotk_buf_append(&b, SV(y), SL(y));
    gotk_buf_putc(&b, '\n');
    *res = sprig_take(ex, &b);
    return NULL;
}

/* Table name: the table at a dotted path, a Values too. */
FN(values_table)
{
    UNUSED;
    char *bad = NULL;
    json_object *t = table(argv[0].j, SV(argv[1]), &bad);
    if (bad) {
        gotk_err *e = not_a(bad, "table");
        free(bad);
        return e;
    }
    *res = gotk_tpl_own(ex, shallow_copy(t, VALUES_TYPE));
    return NULL;
}

/* AsMap: the same entries as a plain map[string]interface{}. */
FN(values_as_map)
{
    UNUSED;
    *res = gotk_tpl_own(ex, shallow_copy(argv[0].j, NULL));
    return NULL;
}

/* PathValue path: the value (not a table) at a dotted path. */
FN(values_path_value)
{
    UNUSED;
    const char *path = SV(argv[1]);
    if (!*path)
        return gotk_err_new(GOTK_E_INVALID, "YAML path cannot be empty");
    const char *dot = strrchr(path, '.');
    const char *key = dot ? dot + 1 : path;
    json_object *t = argv[0].j, *v = NULL;
    if (dot) {
        char *head = gotk_xstrndup(path, (size_t)(dot - path)), *bad = NULL;
        t = table(argv[0].j, head, &bad);
        free(head);
        free(bad);
    }
    if (!t || !json_object_object_get_ex(t, key, &v) || json_object_is_type(v, json_type_object))
        return not_a(key, "value");
    *res = gotk_tpl_from_json(v, true);
    return NULL;
}

void tpl_add_values_methods(gotk_tpl_set *set)
{
    gotk_template_add_method(set, VALUES_TYPE, "YAML", "", values_yaml, NULL);
    gotk_template_add_method(set, VALUES_TYPE, "Table", "s", values_table, NULL);
    gotk_template_add_method(set, VALUES_TYPE, "AsMap", "", values_as_map, NULL);
    gotk_template_add_method(set, VALUES_TYPE, "PathValue", "s", values_path_value, NULL);
}
