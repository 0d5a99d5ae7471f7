/* tconfig.c: reading a `configurations:` file as kustomize does, with
 * sigs.k8s.io/yaml's UnmarshalStrict into its TransformerConfig: a repeated key
 * is an error (go-yaml v2 strict), then Go's JSON decoding with unknown fields
 * disallowed. Field names match case-insensitively, the first error in key
 * order is the one reported, null leaves a field unset, and a number or bool
 * given for `path` becomes its text (YAMLToJSON converts scalars for string
 * targets; the embedded group/version/kind get no such help). The result is
 * the document rewritten with the canonical field names and only typed values,
 * for kconfig_merge_doc. */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef enum { T_STRING, T_PATH, T_BOOL, T_FSSLICE, T_NBRSLICE } tc_type;

typedef struct {
    const char *name;
    tc_type type;
} tc_field;

typedef struct {
    const char *go_name; /* the struct's name in Go's errors */
    const tc_field *fields;
    size_t n;
} tc_struct;

static const tc_field fieldspec_fields[] = {
    {"group", T_STRING}, {"version", T_STRING}, {"kind", T_STRING},
    {"path", T_PATH}, {"create", T_BOOL},
};
static const tc_field nbr_fields[] = {
    {"group", T_STRING}, {"version", T_STRING}, {"kind", T_STRING},
    {"fieldSpecs", T_FSSLICE},
};
static const tc_field config_fields[] = {
    {"namePrefix", T_FSSLICE}, {"nameSuffix", T_FSSLICE}, {"namespace", T_FSSLICE},
    {"commonLabels", T_FSSLICE}, {"labels", T_FSSLICE}, {"templateLabels", T_FSSLICE},
    {"commonAnnotations", T_FSSLICE}, {"nameReference", T_NBRSLICE},
    {"varReference", T_FSSLICE}, {"images", T_FSSLICE}, {"replicas", T_FSSLICE},
};
static const tc_struct fieldspec_struct = {"FieldSpec", fieldspec_fields, 5};
static const tc_struct nbr_struct = {"NameBackReferences", nbr_fields, 4};
static const tc_struct config_struct = {"TransformerConfig", config_fields, 11};

/* The decoding's state: the field path for errors and the first error. */
typedef struct {
    kstrv stack;
    gotk_err *err;
} tc_decoder;

/* Go's name for a JSON value's kind in unmarshal errors. */
static const char *json_word(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_boolean: return "bool";
    case json_type_int:
    case json_type_double: return "number";
    case json_type_array: return "array";
    case json_type_object: return "object";
    default: return "string";
    }
}

/* Go's encoding/json keeps only the first error and decodes on. */
static void type_error(tc_decoder *d, json_object *v, const char *in_struct, const char *type)
{
    if (d->err)
        return;
    gotk_buf path = {0};
    for (size_t i = 0; i < d->stack.n; i++)
        gotk_buf_printf(&path, "%s%s", i ? "." : "", d->stack.v[i]);
    d->err = gotk_err_new(GOTK_E_INVALID, "error unmarshaling JSON: while decoding JSON: json: "
                                          "cannot unmarshal %s into Go struct field %s.%s of "
                                          "type %s",
                          json_word(v), in_struct, path.data ? path.data : "", type);
    gotk_buf_free(&path);
}

/* A number or bool turned into the text YAMLToJSON gives a string target. */
static json_object *scalar_text(json_object *v)
{
    if (json_object_is_type(v, json_type_boolean))
        return json_object_new_string(json_object_get_boolean(v) ? "true" : "false");
    double d = json_object_get_double(v);
    if (json_object_is_type(v, json_type_int) || (d == floor(d) && fabs(d) < 1e15)) {
        char *s = gotk_xasprintf("%lld", (long long)d);
        json_object *j = json_object_new_string(s);
        free(s);
        return j;
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%.8g", d); /* float32 precision, as FormatFloat(.., 32) */
    return json_object_new_string(buf);
}

static json_object *decode_struct(tc_decoder *d, json_object *in, const tc_struct *st);

/* A slice of structs; a wrong element is an error of the enclosing struct. */
static json_object *decode_slice(tc_decoder *d, json_object *v, const char *in_struct,
                                 tc_type type)
{
    const tc_struct *elem = type == T_FSSLICE ? &fieldspec_struct : &nbr_struct;
    const char *elem_go = type == T_FSSLICE ? "types.FieldSpec" : "builtinconfig.NameBackReferences";
    if (!json_object_is_type(v, json_type_array)) {
        type_error(d, v, in_struct,
                   type == T_FSSLICE ? "types.FsSlice" : "builtinconfig.nbrSlice");
        return NULL;
    }
    json_object *out = json_object_new_array();
    for (size_t i = 0; i < karr_n(v); i++) {
        json_object *el = json_object_array_get_idx(v, i);
        if (el && !json_object_is_type(el, json_type_object)) {
            type_error(d, el, in_struct, elem_go);
            continue;
        }
        json_object_array_add(out, el ? decode_struct(d, el, elem) : json_object_new_object());
    }
    return out;
}

/* One field's value, typed, or NULL when it is unset or wrong. */
static json_object *decode_value(tc_decoder *d, json_object *v, const char *in_struct,
                                 tc_type type)
{
    if (!v)
        return NULL;
    bool str = json_object_is_type(v, json_type_string);
    bool scalar = json_object_is_type(v, json_type_boolean) ||
                  json_object_is_type(v, json_type_int) ||
                  json_object_is_type(v, json_type_double);
    switch (type) {
    case T_PATH:
        if (scalar)
            return scalar_text(v);
        /* fall through */
    case T_STRING:
        if (str)
            return json_object_get(v);
        type_error(d, v, in_struct, "string");
        return NULL;
    case T_BOOL:
        if (json_object_is_type(v, json_type_boolean))
            return json_object_get(v);
        type_error(d, v, in_struct, "bool");
        return NULL;
    default:
        return decode_slice(d, v, in_struct, type);
    }
}

/* Go's field lookup: an exact name first, else one equal ignoring case. */
static const tc_field *find_field(const tc_struct *st, const char *key)
{
    for (size_t i = 0; i < st->n; i++)
        if (!strcmp(st->fields[i].name, key))
            return &st->fields[i];
    for (size_t i = 0; i < st->n; i++)
        if (!strcasecmp(st->fields[i].name, key))
            return &st->fields[i];
    return NULL;
}

/* One struct, its keys in sorted order (the JSON that YAMLToJSON writes). */
static json_object *decode_struct(tc_decoder *d, json_object *in, const tc_struct *st)
{
    size_t n;
    const char **keys = ksorted_keys(in, &n);
    json_object *out = json_object_new_object();
    for (size_t i = 0; i < n; i++) {
        const tc_field *f = find_field(st, keys[i]);
        if (!f) {
            if (!d->err)
                d->err = gotk_err_new(GOTK_E_INVALID, "error unmarshaling JSON: while decoding "
                                                      "JSON: json: unknown field \"%s\"", keys[i]);
            continue;
        }
        kstrv_push(&d->stack, f->name);
        json_object *val = decode_value(d, json_object_object_get(in, keys[i]), st->go_name,
                                        f->type);
        free(d->stack.v[--d->stack.n]);
        if (val)
            json_object_object_add(out, f->name, val);
    }
    free(keys);
    return out;
}

gotk_err *kconfig_decode(const char *data, size_t len, const char *source, json_object **out)
{
    json_object *docs = NULL;
    *out = NULL;
    gotk_err *e = gotk_yaml_parse_flags(data, len, source,
                                        GOTK_YAML_PARSE_SIGS | GOTK_YAML_PARSE_STRICT, &docs);
    if (e)
        return e;
    json_object *doc = karr_n(docs) ? json_object_array_get_idx(docs, 0) : NULL;
    if (doc && !json_object_is_type(doc, json_type_object)) {
        e = gotk_err_new(GOTK_E_INVALID, "error unmarshaling JSON: while decoding JSON: json: "
                                         "cannot unmarshal %s into Go value of type "
                                         "builtinconfig.TransformerConfig", json_word(doc));
        json_object_put(docs);
        return e;
    }
    tc_decoder d = {0};
    json_object *res = doc ? decode_struct(&d, doc, &config_struct) : json_object_new_object();
    json_object_put(docs);
    kstrv_free(&d.stack);
    if (d.err) {
        json_object_put(res);
        return d.err;
    }
    *out = res;
    return NULL;
}
