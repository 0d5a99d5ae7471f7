/*
 * helmfuncs.c: the functions Helm's engine adds to Sprig's.
 *
 * include and tpl run nested executions (gotk_tpl_exec_template); tpl parses
 * its text into a clone of the set under the set's name ("gotpl" in Helm), so
 * its {{define}}s stay private. required and fail return errors wrapped as
 * HELM[message]HELM, which Helm's engine (and our harness) turns into
 * "execution error at (file:line:col): message". toYaml goes through the obj
 * module's emitter (sigs.k8s.io/yaml's layout), fromYaml parses as
 * sigs.k8s.io/yaml does (GOTK_YAML_PARSE_SIGS: YAML 1.1, float64 numbers),
 * fromJson into float64 numbers as Go's JSON decoding does; their parse errors
 * land in an "Error" key as Helm's do. lookup finds nothing,
 * as under `helm template`.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gotk/obj.h"
#include "sprig.h"

#define FN(name) \
    static gotk_err *name(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv, \
                          gotk_tpl_val *res, void *ud)
#define UNUSED (void)ex, (void)argc, (void)argv, (void)ud

/* Helm renders include recursion up to this depth per template name. */
#define INCLUDE_MAX 1000

/* include name data: the named template's output. */
FN(fn_include)
{
    UNUSED;
    const char *name = SV(argv[0]);
    if (gotk_tpl_exec_nesting(ex, name) > INCLUDE_MAX)
        return gotk_err_new(GOTK_E_INVALID,
                            "rendering template has a nested reference name: %s: unable to execute template",
                            name);
    gotk_buf b = {0};
    gotk_err *e = gotk_tpl_exec_template(ex, NULL, name, argv[1], &b);
    *res = sprig_take(ex, &b);
    return e;
}

/* Remove every "<no value>" from b, as Helm's engine does with output. */
void gotk_template_strip_no_value(gotk_buf *b)
{
    static const char nv[] = "<no value>";
    const size_t n = sizeof nv - 1;
    char *hit = b->data ? memmem(b->data, b->len, nv, n) : NULL;
    size_t w = hit ? (size_t)(hit - b->data) : b->len;
    /* move what lies between the matches (most outputs have none) */
    while (hit) {
        size_t r = (size_t)(hit - b->data) + n;
        hit = memmem(b->data + r, b->len - r, nv, n);
        size_t end = hit ? (size_t)(hit - b->data) : b->len;
        memmove(b->data + w, b->data + r, end - r);
        w += end - r;
    }
    b->len = w;
    if (b->data)
        b->data[w] = 0;
}

/* tpl text values: text parsed and run in a clone of the set. */
FN(fn_tpl)
{
    UNUSED;
    gotk_tpl_set *clone = gotk_template_clone(gotk_tpl_exec_set(ex));
    const char *name = clone->name ? clone->name : "gotpl";
    gotk_buf b = {0}, q = {0};
    tpl_quote(&q, SV(argv[0]), SL(argv[0]));
    gotk_err *e = tpl_parse_new(clone, name, SV(argv[0]), SL(argv[0]), true);
    if (e) {
        e = gotk_err_wrap(e, "cannot parse template %s", q.data);
    } else {
        e = gotk_tpl_exec_template(ex, clone, name, argv[1], &b);
        e = gotk_err_wrap(e, "error during tpl function execution for %s", q.data);
    }
    gotk_template_strip_no_value(&b);
    *res = sprig_take(ex, &b);
    gotk_buf_free(&q);
    gotk_template_free(clone);
    return e;
}

/* required warn v: v, or an error when it is nil or "". */
FN(fn_required)
{
    UNUSED;
    gotk_tpl_val v = tpl_indirect_iface(argv[1]);
    if (v.kind == GOTK_TPL_INVALID || (v.kind == GOTK_TPL_STRING && SL(v) == 0))
        return gotk_err_new(GOTK_E_INVALID, "HELM[%s]HELM", SV(argv[0]));
    *res = argv[1];
    return NULL;
}

/* fail msg: always an error. */
FN(fn_fail)
{
    UNUSED;
    (void)res;
    return gotk_err_new(GOTK_E_INVALID, "HELM[%s]HELM", SV(argv[0]));
}

/* Whether JSON text of j holds what go-yaml then refuses to read back. */
static bool json_yaml_refused(json_object *j)
{
    if (json_object_is_type(j, json_type_string))
        return gotk_yaml_reader_refuses(json_object_get_string(j), (size_t)json_object_get_string_len(j));
    if (json_object_is_type(j, json_type_array)) {
        for (size_t i = 0, n = json_object_array_length(j); i < n; i++)
            if (json_yaml_refused(json_object_array_get_idx(j, i)))
                return true;
    } else if (json_object_is_type(j, json_type_object)) {
        json_object_object_foreach(j, k, v)
            if (gotk_yaml_reader_refuses(k, strlen(k)) || json_yaml_refused(v))
                return true;
    }
    return false;
}

/* Helm's toYAML of j (whose reference it takes): YAML as sigs.k8s.io/yaml
 * writes it, without the final newline; "" when it cannot be written (its
 * JSONToYAML reads the JSON text back as YAML). */
gotk_tpl_val tpl_helm_to_yaml(gotk_tpl_exec *ex, json_object *j)
{
    gotk_buf b = {0};
    gotk_err *e = json_yaml_refused(j) ? gotk_err_new(GOTK_E_INVALID, "control characters")
                                       : gotk_yaml_emit(j, GOTK_YAML_SORT_KEYS, &b);
    json_object_put(j);
    if (e) {
        gotk_err_free(e);
        b.len = 0;
    }
    if (b.len && b.data[b.len - 1] == '\n')
        b.data[--b.len] = 0;
    return sprig_take(ex, &b);
}

/* toYaml v: the value as encoding/json sees it, in YAML ("" when
 * json.Marshal fails on NaN or infinities). */
FN(fn_to_yaml)
{
    UNUSED;
    if (sprig_json_unsupported(argv[0])) {
        *res = gotk_tpl_string(ex, "", 0);
        return NULL;
    }
    json_object *v = sprig_to_json(tpl_indirect_iface(argv[0]));
    *res = tpl_helm_to_yaml(ex, tpl_json_marshal_view(v));
    json_object_put(v);
    return NULL;
}

/* The first YAML document of s (NULL for none), as yaml.Unmarshal reads it. */
static gotk_err *parse_yaml_first(const char *s, size_t n, json_object **doc)
{
    json_object *docs = NULL;
    gotk_err *e = gotk_yaml_parse_flags(s, n, NULL, GOTK_YAML_PARSE_SIGS, &docs);
    *doc = NULL;
    if (!e && json_object_array_length(docs) > 0)
        *doc = json_object_get(json_object_array_get_idx(docs, 0));
    json_object_put(docs);
    return e;
}

/* A map holding {"Error": message}, as Helm returns for bad input. */
static gotk_tpl_val error_map(gotk_tpl_exec *ex, const char *msg)
{
    json_object *m = json_object_new_object();
    json_object_object_add(m, "Error", json_object_new_string(msg));
    return gotk_tpl_own(ex, m);
}

/* The text of the first number in JSON text s (valid) beyond float64, or
 * NULL: Go's decoder stores nil for it, goes on, and fails in the end. */
static char *json_overflow(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (s[i] == '"') {
            for (i++; i < n && s[i] != '"'; i++)
                i += s[i] == '\\';
            i++;
        } else if (s[i] == '-' || (s[i] >= '0' && s[i] <= '9')) {
            size_t j = i;
            while (j < n && strchr("+-.eE0123456789", s[j]) && s[j])
                j++;
            char *num = gotk_xstrndup(s + i, j - i);
            if (isinf(strtod(num, NULL)))
                return num;
            free(num);
            i = j;
        } else {
            i++;
        }
    }
    return NULL;
}

/* Replace the infinities (numbers beyond float64) in j by JSON null. */
static void null_overflows(json_object *j)
{
    if (json_object_is_type(j, json_type_object)) {
        json_object_object_foreach(j, k, v) {
            if (json_object_is_type(v, json_type_double) && isinf(json_object_get_double(v)))
                json_object_object_add(j, k, NULL);
            else
                null_overflows(v);
        }
    } else if (json_object_is_type(j, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(j); i++) {
            json_object *v = json_object_array_get_idx(j, i);
            if (json_object_is_type(v, json_type_double) && isinf(json_object_get_double(v)))
                json_object_array_put_idx(j, i, NULL);
            else
                null_overflows(v);
        }
    }
}

/* For fromJson's and fromJsonArray's decoded doc: Go's error text for a
 * number beyond float64 (such numbers made null), or NULL. */
static char *json_overflow_error(const char *s, size_t n, json_object *doc)
{
    char *num = json_overflow(s, n);
    if (!num)
        return NULL;
    null_overflows(doc);
    char *msg = gotk_xasprintf("json: cannot unmarshal number %s into Go value of type float64", num);
    free(num);
    return msg;
}

/* fromYaml and fromJson (ud "j") s: a map, numbers as float64. */
FN(fn_from_yaml)
{
    UNUSED;
    json_object *doc = NULL;
    gotk_err *e = ud ? sprig_json_parse(SV(argv[0]), SL(argv[0]), &doc)
                     : parse_yaml_first(SV(argv[0]), SL(argv[0]), &doc);
    if (e) {
        *res = error_map(ex, gotk_err_msg(e));
        gotk_err_free(e);
        return NULL;
    }
    if (doc && !json_object_is_type(doc, json_type_object)) {
        const char *what = json_object_is_type(doc, json_type_array) ? "array"
                         : json_object_is_type(doc, json_type_string) ? "string"
                         : json_object_is_type(doc, json_type_boolean) ? "bool" : "number";
        json_object_put(doc);
        gotk_buf m = {0};
        gotk_buf_printf(&m, "%s: cannot unmarshal %s into Go value of type map[string]interface {}",
                        ud ? "json" : "error unmarshaling JSON: while decoding JSON: json", what);
        *res = error_map(ex, m.data);
        gotk_buf_free(&m);
        return NULL;
    }
    char *overflow = doc && ud ? json_overflow_error(SV(argv[0]), SL(argv[0]), doc) : NULL;
    if (overflow) /* the map as decoded, with the error added */
        json_object_object_add(doc, "Error", json_object_new_string(overflow));
    free(overflow);
    if (!doc && ud) /* JSON null sets Go's map to nil */
        *res = (gotk_tpl_val){.kind = GOTK_TPL_MAP};
    else
        *res = gotk_tpl_own(ex, doc ? gotk_template_floatify(doc) : json_object_new_object());
    return NULL;
}

/* fromYamlArray and fromJsonArray (ud "j") s: a list, or [error text]. */
FN(fn_from_yaml_array)
{
    UNUSED;
    json_object *doc = NULL;
    gotk_err *e = ud ? sprig_json_parse(SV(argv[0]), SL(argv[0]), &doc)
                     : parse_yaml_first(SV(argv[0]), SL(argv[0]), &doc);
    json_object *a = json_object_new_array();
    char *overflow = NULL;
    if (e) {
        json_object_array_add(a, json_object_new_string(gotk_err_msg(e)));
        gotk_err_free(e);
    } else if (doc && !json_object_is_type(doc, json_type_array)) {
        const char *what = json_object_is_type(doc, json_type_object) ? "object"
                         : json_object_is_type(doc, json_type_string) ? "string"
                         : json_object_is_type(doc, json_type_boolean) ? "bool" : "number";
        gotk_buf m = {0};
        gotk_buf_printf(&m, "%s: cannot unmarshal %s into Go value of type []interface {}",
                        ud ? "json" : "error unmarshaling JSON: while decoding JSON: json", what);
        json_object_array_add(a, json_object_new_string(m.data));
        gotk_buf_free(&m);
    } else if (doc && ud && (overflow = json_overflow_error(SV(argv[0]), SL(argv[0]), doc))) {
        json_object_array_add(a, json_object_new_string(overflow)); /* Helm drops the list */
        free(overflow);
    } else if (doc) {
        json_object_put(a);
        a = json_object_get(gotk_template_floatify(doc));
    } else if (ud) { /* JSON null sets Go's slice to nil */
        json_object_put(a);
        *res = (gotk_tpl_val){.kind = GOTK_TPL_SLICE};
        return NULL;
    }
    json_object_put(doc);
    *res = gotk_tpl_own(ex, a);
    return NULL;
}

/* lookup apiVersion kind namespace name: nothing without a cluster. */
FN(fn_lookup)
{
    UNUSED;
    *res = gotk_tpl_own(ex, json_object_new_object());
    return NULL;
}

/* Register Helm's functions (and Sprig's underneath them). */
void gotk_template_add_helm(gotk_tpl_set *set)
{
    static const struct {
        const char *name, *params;
        gotk_tpl_fn fn;
        const char *ud;
    } t[] = {
        {"include", "sv", fn_include, NULL}, {"tpl", "sv", fn_tpl, NULL},
        {"required", "sv", fn_required, NULL}, {"fail", "s", fn_fail, NULL},
        {"toYaml", "v", fn_to_yaml, NULL}, {"fromYaml", "s", fn_from_yaml, NULL},
        {"fromJson", "s", fn_from_yaml, "j"}, {"lookup", "ssss", fn_lookup, NULL},
        {"fromYamlArray", "s", fn_from_yaml_array, NULL},
        {"fromJsonArray", "s", fn_from_yaml_array, "j"},
    };
    gotk_template_add_sprig(set);
    tpl_add_helm_methods(set);
    tpl_add_values_methods(set);
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        gotk_template_add_func(set, t[i].name, t[i].params, t[i].fn, (void *)t[i].ud);
    sprig_add_yaml(set);
    sprig_add_toml(set);
    if (!set->name)
        gotk_template_set_name(set, "gotpl");
}
