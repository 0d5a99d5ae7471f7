/* kstrict.c: a kustomization decoded as kustomize decodes it: the JSON of
 * YAMLToJSON (keys sorted) into its types.Kustomization with unknown fields
 * disallowed, all the way down (images, patches, replacements, generators...).
 * Go's encoding/json reports the first error in key order, matches field names
 * ignoring case (we rename such keys to the canonical name, so the rest of the
 * engine reads them), and leaves a null field unset. Helm fields are not ours
 * to check (they are refused later). */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum { K_STR, K_BOOL, K_INT64, K_INT, K_STRMAP, K_BOOLMAP, K_STRLIST, K_STRUCT,
               K_LIST, K_ANY } kkind;

typedef struct kstype kstype;
typedef struct {
    const char *name;
    kkind kind;
    const kstype *sub; /* K_STRUCT, K_LIST */
    const char *named; /* a named string type ("types.SortOrder"), else NULL */
} ksfield;

struct kstype {
    const char *go;    /* its name in "Go struct field X.path" */
    const char *qual;  /* its qualified name in "of type types.X" */
    const ksfield *fields;
    size_t n;
};

#define T(go, f) {#go, "types." #go, f, sizeof f / sizeof f[0]}
#define GVK {"group", K_STR, NULL, NULL}, {"version", K_STR, NULL, NULL}, \
            {"kind", K_STR, NULL, NULL}
#define RESID GVK, {"name", K_STR, NULL, NULL}, {"namespace", K_STR, NULL, NULL}

static const ksfield fieldspec_f[] = {GVK, {"path", K_STR, NULL, NULL},
                                      {"create", K_BOOL, NULL, NULL}};
static const kstype fieldspec_t = T(FieldSpec, fieldspec_f);
static const ksfield label_f[] = {
    {"pairs", K_STRMAP, NULL, NULL}, {"includeSelectors", K_BOOL, NULL, NULL},
    {"includeTemplates", K_BOOL, NULL, NULL}, {"fields", K_LIST, &fieldspec_t, NULL}};
static const kstype label_t = T(Label, label_f);
static const ksfield selector_f[] = {RESID, {"annotationSelector", K_STR, NULL, NULL},
                                     {"labelSelector", K_STR, NULL, NULL}};
static const kstype selector_t = T(Selector, selector_f);
static const ksfield patch_f[] = {
    {"path", K_STR, NULL, NULL}, {"patch", K_STR, NULL, NULL},
    {"target", K_STRUCT, &selector_t, NULL}, {"options", K_BOOLMAP, NULL, NULL}};
static const kstype patch_t = T(Patch, patch_f);
static const ksfield image_f[] = {
    {"name", K_STR, NULL, NULL}, {"newName", K_STR, NULL, NULL},
    {"tagSuffix", K_STR, NULL, NULL}, {"newTag", K_STR, NULL, NULL},
    {"digest", K_STR, NULL, NULL}};
static const kstype image_t = T(Image, image_f);
static const ksfield fieldopts_f[] = {
    {"delimiter", K_STR, NULL, NULL}, {"index", K_INT, NULL, NULL},
    {"encoding", K_STR, NULL, NULL}, {"create", K_BOOL, NULL, NULL}};
static const kstype fieldopts_t = T(FieldOptions, fieldopts_f);
static const ksfield source_f[] = {RESID, {"fieldPath", K_STR, NULL, NULL},
                                   {"options", K_STRUCT, &fieldopts_t, NULL}};
static const kstype source_t = T(SourceSelector, source_f);
static const ksfield target_f[] = {
    {"select", K_STRUCT, &selector_t, NULL}, {"reject", K_LIST, &selector_t, NULL},
    {"fieldPaths", K_STRLIST, NULL, NULL}, {"options", K_STRUCT, &fieldopts_t, NULL}};
static const kstype target_t = T(TargetSelector, target_f);
static const ksfield replfield_f[] = {
    {"source", K_STRUCT, &source_t, NULL}, {"targets", K_LIST, &target_t, NULL},
    {"path", K_STR, NULL, NULL}};
static const kstype replfield_t = T(ReplacementField, replfield_f);
static const ksfield replica_f[] = {{"name", K_STR, NULL, NULL}, {"count", K_INT64, NULL, NULL}};
static const kstype replica_t = T(Replica, replica_f);
static const ksfield vartarget_f[] = {{"apiVersion", K_STR, NULL, NULL}, GVK,
                                      {"name", K_STR, NULL, NULL},
                                      {"namespace", K_STR, NULL, NULL}};
static const kstype vartarget_t = T(Target, vartarget_f);
static const ksfield fieldsel_f[] = {{"fieldPath", K_STR, NULL, NULL}};
static const kstype fieldsel_t = T(FieldSelector, fieldsel_f);
static const ksfield var_f[] = {
    {"name", K_STR, NULL, NULL}, {"objref", K_STRUCT, &vartarget_t, NULL},
    {"fieldref", K_STRUCT, &fieldsel_t, NULL}};
static const kstype var_t = T(Var, var_f);
static const ksfield legacy_f[] = {{"orderFirst", K_STRLIST, NULL, NULL},
                                   {"orderLast", K_STRLIST, NULL, NULL}};
static const kstype legacy_t = T(LegacySortOptions, legacy_f);
static const ksfield sort_f[] = {{"order", K_STR, NULL, "types.SortOrder"},
                                 {"legacySortOptions", K_STRUCT, &legacy_t, NULL}};
static const kstype sort_t = T(SortOptions, sort_f);
static const ksfield genopts_f[] = {
    {"labels", K_STRMAP, NULL, NULL}, {"annotations", K_STRMAP, NULL, NULL},
    {"disableNameSuffixHash", K_BOOL, NULL, NULL}, {"immutable", K_BOOL, NULL, NULL}};
static const kstype genopts_t = T(GeneratorOptions, genopts_f);
#define GENARGS {"namespace", K_STR, NULL, NULL}, {"name", K_STR, NULL, NULL}, \
    {"behavior", K_STR, NULL, NULL}, {"literals", K_STRLIST, NULL, NULL}, \
    {"files", K_STRLIST, NULL, NULL}, {"envs", K_STRLIST, NULL, NULL}, \
    {"env", K_STR, NULL, NULL}, {"options", K_STRUCT, &genopts_t, NULL}
static const ksfield cmargs_f[] = {GENARGS};
static const kstype cmargs_t = T(ConfigMapArgs, cmargs_f);
static const ksfield secargs_f[] = {GENARGS, {"type", K_STR, NULL, NULL}};
static const kstype secargs_t = T(SecretArgs, secargs_f);
static const ksfield meta_f[] = {
    {"name", K_STR, NULL, NULL}, {"namespace", K_STR, NULL, NULL},
    {"labels", K_STRMAP, NULL, NULL}, {"annotations", K_STRMAP, NULL, NULL}};
static const kstype meta_t = T(ObjectMeta, meta_f);
static const ksfield kust_f[] = {
    {"apiVersion", K_STR, NULL, NULL}, {"kind", K_STR, NULL, NULL},
    {"metadata", K_STRUCT, &meta_t, NULL}, {"openapi", K_STRMAP, NULL, NULL},
    {"namePrefix", K_STR, NULL, NULL}, {"nameSuffix", K_STR, NULL, NULL},
    {"namespace", K_STR, NULL, NULL}, {"commonLabels", K_STRMAP, NULL, NULL},
    {"labels", K_LIST, &label_t, NULL}, {"commonAnnotations", K_STRMAP, NULL, NULL},
    {"patchesStrategicMerge", K_STRLIST, NULL, "types.PatchStrategicMerge"},
    {"patchesJson6902", K_LIST, &patch_t, NULL}, {"patches", K_LIST, &patch_t, NULL},
    {"images", K_LIST, &image_t, NULL}, {"imageTags", K_LIST, &image_t, NULL},
    {"replacements", K_LIST, &replfield_t, NULL}, {"replicas", K_LIST, &replica_t, NULL},
    {"vars", K_LIST, &var_t, NULL}, {"sortOptions", K_STRUCT, &sort_t, NULL},
    {"resources", K_STRLIST, NULL, NULL}, {"components", K_STRLIST, NULL, NULL},
    {"crds", K_STRLIST, NULL, NULL}, {"bases", K_STRLIST, NULL, NULL},
    {"configMapGenerator", K_LIST, &cmargs_t, NULL},
    {"secretGenerator", K_LIST, &secargs_t, NULL}, {"helmGlobals", K_ANY, NULL, NULL},
    {"helmCharts", K_ANY, NULL, NULL}, {"helmChartInflationGenerator", K_ANY, NULL, NULL},
    {"generatorOptions", K_STRUCT, &genopts_t, NULL},
    {"configurations", K_STRLIST, NULL, NULL}, {"generators", K_STRLIST, NULL, NULL},
    {"transformers", K_STRLIST, NULL, NULL}, {"validators", K_STRLIST, NULL, NULL},
    {"buildMetadata", K_STRLIST, NULL, NULL},
};
static const kstype kust_t = {"Kustomization", "types.Kustomization", kust_f,
                              sizeof kust_f / sizeof kust_f[0]};

/* The decoding's state: the field path for errors and the first error. */
typedef struct {
    kstrv stack;
    gotk_err *err;
} ksdec;

/* Go's name for a JSON value in unmarshal errors ("number 3.5" for a number
 * that does not fit an integer field). */
static char *json_word(json_object *v, bool int_target)
{
    switch (json_object_get_type(v)) {
    case json_type_boolean: return gotk_xstrdup("bool");
    case json_type_int:
    case json_type_double:
        return int_target ? gotk_xasprintf("number %s", json_object_get_string(v))
                          : gotk_xstrdup("number");
    case json_type_array: return gotk_xstrdup("array");
    case json_type_object: return gotk_xstrdup("object");
    default: return gotk_xstrdup("string");
    }
}

static void type_error(ksdec *d, json_object *v, const char *in_struct, const char *type,
                       bool int_target)
{
    if (d->err)
        return;
    gotk_buf path = {0};
    for (size_t i = 0; i < d->stack.n; i++)
        gotk_buf_printf(&path, "%s%s", i ? "." : "", d->stack.v[i]);
    char *w = json_word(v, int_target);
    d->err = gotk_err_new(GOTK_E_INVALID, "invalid Kustomization: json: cannot unmarshal %s into "
                                          "Go struct field %s.%s of type %s",
                          w, in_struct, path.data ? path.data : "", type);
    free(w);
    gotk_buf_free(&path);
}

static bool is_scalar_kind(json_object *v, json_type t)
{
    return json_object_is_type(v, t);
}

static void decode_struct(ksdec *d, json_object *obj, const kstype *t);

/* One value against its field's kind; in_struct names the enclosing struct. */
static void decode_value(ksdec *d, json_object *v, const ksfield *f, const char *in_struct)
{
    if (!v || f->kind == K_ANY)
        return;
    const char *str_type = f->named ? f->named : "string";
    switch (f->kind) {
    case K_STR:
        if (!is_scalar_kind(v, json_type_string))
            type_error(d, v, in_struct, str_type, false);
        return;
    case K_BOOL:
        if (!is_scalar_kind(v, json_type_boolean))
            type_error(d, v, in_struct, "bool", false);
        return;
    case K_INT64:
    case K_INT: {
        const char *ty = f->kind == K_INT ? "int" : "int64";
        bool num = is_scalar_kind(v, json_type_int) || is_scalar_kind(v, json_type_double);
        double x = num ? json_object_get_double(v) : 0;
        if (!num || (is_scalar_kind(v, json_type_double) && x != floor(x)))
            type_error(d, v, in_struct, ty, num);
        return;
    }
    case K_STRMAP:
    case K_BOOLMAP: {
        bool b = f->kind == K_BOOLMAP;
        if (!json_object_is_type(v, json_type_object)) {
            type_error(d, v, in_struct, b ? "map[string]bool" : "map[string]string", false);
            return;
        }
        json_object_object_foreach(v, k, mv) {
            (void)k;
            if (mv && !is_scalar_kind(mv, b ? json_type_boolean : json_type_string))
                type_error(d, mv, in_struct, b ? "bool" : "string", false);
        }
        return;
    }
    case K_STRLIST: {
        if (!json_object_is_type(v, json_type_array)) {
            char *ty = gotk_xasprintf("[]%s", str_type);
            type_error(d, v, in_struct, ty, false);
            free(ty);
            return;
        }
        for (size_t i = 0; i < karr_n(v); i++) {
            json_object *el = json_object_array_get_idx(v, i);
            if (el && !is_scalar_kind(el, json_type_string))
                type_error(d, el, in_struct, str_type, false);
        }
        return;
    }
    case K_STRUCT:
        if (!json_object_is_type(v, json_type_object))
            type_error(d, v, in_struct, f->sub->qual, false);
        else
            decode_struct(d, v, f->sub);
        return;
    case K_LIST: {
        if (!json_object_is_type(v, json_type_array)) {
            char *ty = gotk_xasprintf("[]%s", f->sub->qual);
            type_error(d, v, in_struct, ty, false);
            free(ty);
            return;
        }
        for (size_t i = 0; i < karr_n(v); i++) {
            json_object *el = json_object_array_get_idx(v, i);
            if (el && !json_object_is_type(el, json_type_object))
                type_error(d, el, in_struct, f->sub->qual, false);
            else if (el)
                decode_struct(d, el, f->sub);
        }
        return;
    }
    default:
        return;
    }
}

/* Go's field lookup: an exact name first, else one equal ignoring case. */
static const ksfield *find_field(const kstype *t, const char *key)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->fields[i].name, key))
            return &t->fields[i];
    for (size_t i = 0; i < t->n; i++)
        if (!strcasecmp(t->fields[i].name, key))
            return &t->fields[i];
    return NULL;
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A struct's keys in sorted order; keys that match a field only ignoring case
 * are renamed to it. */
static void decode_struct(ksdec *d, json_object *obj, const kstype *t)
{
    size_t n = (size_t)json_object_object_length(obj), i = 0;
    char **keys = gotk_xcalloc(n ? n : 1, sizeof *keys);
    json_object_object_foreach(obj, k, val) {
        (void)val;
        keys[i++] = gotk_xstrdup(k);
    }
    qsort(keys, n, sizeof *keys, key_cmp);
    for (i = 0; i < n; i++) {
        const ksfield *f = find_field(t, keys[i]);
        if (!f && !d->err)
            d->err = gotk_err_new(GOTK_E_INVALID, "invalid Kustomization: json: unknown field "
                                                  "\"%s\"", keys[i]);
        if (!f)
            continue;
        json_object *v = json_object_get(json_object_object_get(obj, keys[i]));
        if (strcmp(f->name, keys[i])) {
            json_object_object_del(obj, keys[i]);
            json_object_object_add(obj, f->name, json_object_get(v));
        }
        kstrv_push(&d->stack, f->name);
        decode_value(d, v, f, t->go);
        free(d->stack.v[--d->stack.n]);
        json_object_put(v);
    }
    for (i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
}

gotk_err *kstrict_kustomization(json_object *k)
{
    ksdec d = {0};
    decode_struct(&d, k, &kust_t);
    kstrv_free(&d.stack);
    return d.err;
}
