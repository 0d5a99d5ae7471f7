/*
 * crdschema.c: defaulting, pruning and validation of custom objects against
 * their CRD version's structural schema (openAPIV3Schema).
 *
 * One walk over the object does what the apiextensions server does on write:
 *  - defaulting: an absent property whose schema has `default` gets a copy of
 *    it (then is walked like any value);
 *  - nulls of non-nullable properties are dropped;
 *  - pruning: properties the schema does not declare are removed, unless
 *    x-kubernetes-preserve-unknown-fields (or additionalProperties) allows them;
 *    with fieldValidation=Strict they are an error instead, as with kubectl's
 *    default;
 *  - validation: type (with x-kubernetes-int-or-string), required, enum,
 *    pattern (PCRE2), minimum/maximum (exclusive too), minLength/maxLength,
 *    minItems/maxItems, unique elements of x-kubernetes-list-type set and map
 *    lists. Each failure is a field cause with the real server's
 *    wording, e.g. "spec.size: Invalid value: 12: spec.size in body should be
 *    less than or equal to 10".
 * apiVersion, kind and metadata at the top level are the server's business and
 * are not walked. CEL rules and formats are not checked.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiserver.h"

typedef struct {
    json_object *causes; /* [{reason, message, field}] */
    gotk_buf unknown;    /* "spec.a", "spec.b" for strict decoding */
    bool strict;
} vctx;

/* Record one failure. */
static void fail(vctx *c, const char *field, const char *reason, const char *fmt, ...)
    GOTK_PRINTF(4, 5);
static void fail(vctx *c, const char *field, const char *reason, const char *fmt, ...)
{
    va_list ap;
    gotk_buf b = {0};
    va_start(ap, fmt);
    gotk_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    h_cause(c->causes, reason, field, "%s", b.data ? b.data : "");
    gotk_buf_free(&b);
}

/* "a.b" + "c" (or "c" at the top). Caller frees. */
static char *child_path(const char *path, const char *key)
{
    return *path ? gotk_xasprintf("%s.%s", path, key) : gotk_xstrdup(key);
}

/* The JSON type name of a value as the schema speaks of it. */
static const char *value_type(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_object: return "object";
    case json_type_array: return "array";
    case json_type_string: return "string";
    case json_type_int: return "integer";
    case json_type_double: return "number";
    case json_type_boolean: return "boolean";
    default: return "null";
    }
}

/* Whether v has the schema type (integer counts as number). */
static bool type_ok(json_object *sch, json_object *v)
{
    const char *want = jx_get_str(sch, "type"), *have = value_type(v);
    json_object *ios = jx_get(sch, "x-kubernetes-int-or-string");
    if (ios && json_object_get_boolean(ios))
        return !strcmp(have, "integer") || !strcmp(have, "string");
    if (!want)
        return true;
    return !strcmp(want, have) || (!strcmp(want, "number") && !strcmp(have, "integer"));
}

/* Whether a boolean schema keyword is true. */
static bool flag(json_object *sch, const char *key)
{
    json_object *v = jx_get(sch, key);
    return v && json_object_get_boolean(v);
}

static void walk(vctx *c, json_object *sch, json_object *v, const char *path);

/* enum: the value must equal one of the listed values. */
static void check_enum(vctx *c, json_object *sch, json_object *v, const char *path)
{
    json_object *e = jx_get(sch, "enum");
    if (!e || !json_object_is_type(e, json_type_array))
        return;
    gotk_buf list = {0};
    for (size_t i = 0; i < json_object_array_length(e); i++) {
        if (gotk_obj_equal(json_object_array_get_idx(e, i), v)) {
            gotk_buf_free(&list);
            return;
        }
        gotk_buf_printf(&list, "%s%s", i ? ", " : "", jx_str(json_object_array_get_idx(e, i)));
    }
    fail(c, path, "FieldValueNotSupported", "Unsupported value: %s: supported values: %s",
         jx_str(v), list.data ? list.data : "");
    gotk_buf_free(&list);
}

/* pattern, with PCRE2 (ECMA-like syntax). */
static void check_pattern(vctx *c, const char *pattern, json_object *v, const char *path)
{
    int errcode;
    PCRE2_SIZE erroff;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
                                   &errcode, &erroff, NULL);
    if (!re)
        return; /* a pattern we cannot compile is not the object's fault */
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    const char *s = json_object_get_string(v);
    int rc = pcre2_match(re, (PCRE2_SPTR)s, (PCRE2_SIZE)json_object_get_string_len(v), 0, 0, md,
                         NULL);
    if (rc < 0)
        fail(c, path, "FieldValueInvalid", "Invalid value: %s: %s in body should match '%s'",
             jx_str(v), path, pattern);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
}

/* String keywords. */
static void check_string(vctx *c, json_object *sch, json_object *v, const char *path)
{
    long len = (long)json_object_get_string_len(v);
    json_object *mx = jx_get(sch, "maxLength"), *mn = jx_get(sch, "minLength");
    if (mx && len > json_object_get_int64(mx))
        fail(c, path, "FieldValueTooLong", "Too long: may not be more than %lld bytes",
             (long long)json_object_get_int64(mx));
    if (mn && len < json_object_get_int64(mn))
        fail(c, path, "FieldValueInvalid", "Invalid value: %s: %s in body should be at least %lld "
             "chars long", jx_str(v), path, (long long)json_object_get_int64(mn));
    const char *pattern = jx_get_str(sch, "pattern");
    if (pattern)
        check_pattern(c, pattern, v, path);
}

/* Number keywords. */
static void check_number(vctx *c, json_object *sch, json_object *v, const char *path)
{
    double d = json_object_get_double(v);
    json_object *mx = jx_get(sch, "maximum"), *mn = jx_get(sch, "minimum");
    bool xmax = flag(sch, "exclusiveMaximum"), xmin = flag(sch, "exclusiveMinimum");
    if (mx && (xmax ? d >= json_object_get_double(mx) : d > json_object_get_double(mx)))
        fail(c, path, "FieldValueInvalid", "Invalid value: %s: %s in body should be less than %s%s",
             jx_str(v), path, xmax ? "" : "or equal to ", jx_str(mx));
    if (mn && (xmin ? d <= json_object_get_double(mn) : d < json_object_get_double(mn)))
        fail(c, path, "FieldValueInvalid",
             "Invalid value: %s: %s in body should be greater than %s%s", jx_str(v), path,
             xmin ? "" : "or equal to ", jx_str(mn));
}

/* Whether two map-list elements have the same keys. */
static bool same_keys(json_object *keys, json_object *a, json_object *b)
{
    for (size_t k = 0; k < json_object_array_length(keys); k++) {
        const char *key = json_object_get_string(json_object_array_get_idx(keys, k));
        if (!gotk_obj_equal(jx_get(a, key), jx_get(b, key)))
            return false;
    }
    return true;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A map-list element's keys as Go's %#v prints them (sorted). Caller frees. */
static char *go_keys(json_object *keys, json_object *el)
{
    size_t n = json_object_array_length(keys);
    const char **names = gotk_xcalloc(n + 1, sizeof *names);
    for (size_t k = 0; k < n; k++)
        names[k] = json_object_get_string(json_object_array_get_idx(keys, k));
    qsort(names, n, sizeof *names, cmp_name);
    gotk_buf b = {0};
    gotk_buf_puts(&b, "map[string]interface {}{");
    for (size_t k = 0; k < n; k++) {
        json_object *v = jx_get(el, names[k]);
        gotk_buf_printf(&b, "%s\"%s\":%s", k ? ", " : "", names[k],
                        v ? jx_str(v) : "interface {}(nil)");
    }
    gotk_buf_putc(&b, '}');
    free(names);
    return gotk_buf_steal(&b);
}

/* x-kubernetes-list-type set and map: no two elements alike (by value, or by
 * their map keys), as the apiextensions server checks. */
static void check_unique(vctx *c, json_object *sch, json_object *v, const char *path)
{
    const char *t = jx_get_str(sch, "x-kubernetes-list-type");
    json_object *keys = jx_get(sch, "x-kubernetes-list-map-keys");
    bool map = t && !strcmp(t, "map") && keys && json_object_is_type(keys, json_type_array);
    if (!t || (strcmp(t, "set") && !map))
        return;
    for (size_t i = 1; i < json_object_array_length(v); i++) {
        json_object *a = json_object_array_get_idx(v, i);
        for (size_t j = 0; j < i; j++) {
            json_object *b = json_object_array_get_idx(v, j);
            if (!(map ? same_keys(keys, a, b) : gotk_obj_equal(a, b)))
                continue;
            char *p = gotk_xasprintf("%s[%zu]", path, i);
            char *val = map ? go_keys(keys, a) : gotk_xstrdup(jx_str(a));
            fail(c, p, "FieldValueDuplicate", "Duplicate value: %s", val);
            free(val);
            free(p);
            break;
        }
    }
}

/* Array keywords and items. */
static void check_array(vctx *c, json_object *sch, json_object *v, const char *path)
{
    size_t n = json_object_array_length(v);
    json_object *mx = jx_get(sch, "maxItems"), *mn = jx_get(sch, "minItems");
    if (mx && (long long)n > json_object_get_int64(mx))
        fail(c, path, "FieldValueTooMany", "Too many: %zu: must have at most %lld items", n,
             (long long)json_object_get_int64(mx));
    if (mn && (long long)n < json_object_get_int64(mn))
        fail(c, path, "FieldValueInvalid", "Invalid value: %zu: %s in body should have at least "
             "%lld items", n, path, (long long)json_object_get_int64(mn));
    json_object *items = jx_get(sch, "items");
    for (size_t i = 0; items && i < n; i++) {
        char *p = gotk_xasprintf("%s[%zu]", path, i);
        walk(c, items, json_object_array_get_idx(v, i), p);
        free(p);
    }
    check_unique(c, sch, v, path);
}

/* Fill defaults and drop nulls of non-nullable properties. */
static void defaults_and_nulls(json_object *sch, json_object *v)
{
    json_object *props = jx_get(sch, "properties");
    if (!props)
        return;
    json_object_object_foreach(props, k, ps)
    {
        json_object *cur = NULL;
        bool present = json_object_object_get_ex(v, k, &cur);
        json_object *def = jx_get(ps, "default");
        if (!present && json_object_object_get_ex(ps, "default", NULL))
            json_object_object_add(v, k, gotk_obj_copy(def));
        else if (present && !cur && !flag(ps, "nullable"))
            json_object_object_del(v, k);
    }
}

/* Members the schema does not declare: pruned, or errors with Strict. */
static void prune(vctx *c, json_object *sch, json_object *v, const char *path, bool top)
{
    json_object *props = jx_get(sch, "properties"), *addl = jx_get(sch, "additionalProperties");
    bool embedded = top || flag(sch, "x-kubernetes-embedded-resource");
    if (flag(sch, "x-kubernetes-preserve-unknown-fields") ||
        (addl && (json_object_is_type(addl, json_type_object) || json_object_get_boolean(addl))))
        return;
    json_object *drop = json_object_new_array();
    json_object_object_foreach(v, k, val)
    {
        (void)val;
        if (jx_get(props, k) || (props && json_object_object_get_ex(props, k, NULL)))
            continue;
        if (embedded && (!strcmp(k, "apiVersion") || !strcmp(k, "kind") || !strcmp(k, "metadata")))
            continue;
        json_object_array_add(drop, json_object_new_string(k));
    }
    for (size_t i = 0; i < json_object_array_length(drop); i++) {
        const char *key = json_object_get_string(json_object_array_get_idx(drop, i));
        char *p = child_path(path, key);
        if (c->strict)
            gotk_buf_printf(&c->unknown, "%sunknown field \"%s\"", c->unknown.len ? ", " : "", p);
        free(p);
        json_object_object_del(v, key);
    }
    json_object_put(drop);
}

/* Object keywords: defaults, required, pruning, properties. */
static void check_object(vctx *c, json_object *sch, json_object *v, const char *path, bool top)
{
    defaults_and_nulls(sch, v);
    json_object *req = jx_get(sch, "required");
    for (size_t i = 0; req && json_object_is_type(req, json_type_array) &&
                       i < json_object_array_length(req);
         i++) {
        const char *k = json_object_get_string(json_object_array_get_idx(req, i));
        if (k && !json_object_object_get_ex(v, k, NULL)) {
            char *p = child_path(path, k);
            fail(c, p, "FieldValueRequired", "Required value");
            free(p);
        }
    }
    prune(c, sch, v, path, top);
    json_object *props = jx_get(sch, "properties"), *addl = jx_get(sch, "additionalProperties");
    json_object_object_foreach(v, k, val)
    {
        if (top && (!strcmp(k, "apiVersion") || !strcmp(k, "kind") || !strcmp(k, "metadata")))
            continue;
        json_object *ps = jx_get(props, k);
        if (!ps && addl && json_object_is_type(addl, json_type_object))
            ps = addl;
        char *p = child_path(path, k);
        if (ps && val)
            walk(c, ps, val, p);
        free(p);
    }
}

/* Validate one value against its schema. */
static void walk(vctx *c, json_object *sch, json_object *v, const char *path)
{
    if (!sch || !v)
        return;
    if (!type_ok(sch, v)) {
        const char *want = jx_get_str(sch, "type");
        fail(c, path, "FieldValueTypeInvalid", "Invalid value: \"%s\": %s in body must be of type %s: \"%s\"",
             value_type(v), path, want ? want : "integer or string", value_type(v));
        return;
    }
    check_enum(c, sch, v, path);
    if (json_object_is_type(v, json_type_object))
        check_object(c, sch, v, path, false);
    else if (json_object_is_type(v, json_type_array))
        check_array(c, sch, v, path);
    else if (json_object_is_type(v, json_type_string))
        check_string(c, sch, v, path);
    else if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))
        check_number(c, sch, v, path);
}

/* Default, prune and validate a custom object in place. Returns true when it is
 * valid; otherwise fills `out` (422 Invalid, or 400 for strict unknown fields). */
bool schema_apply(api_req *q, json_object *obj, api_resp *out)
{
    const api_resource *r = q->r;
    if (!r->crd || !r->schema)
        return true;
    vctx c = {.causes = json_object_new_array()};
    c.strict = q->field_validation && !strcmp(q->field_validation, "Strict");
    check_object(&c, r->schema, obj, "", true);
    bool ok = true;
    const char *name = jx_meta_str(obj, "name");
    if (c.unknown.len) {
        api_status(out, 400, "BadRequest", NULL, NULL, NULL,
                   "%s in version \"%s\" cannot be handled as a %s: strict decoding error: %s",
                   r->kind, r->version, r->kind, c.unknown.data);
        ok = false;
    } else if (json_object_array_length(c.causes)) {
        h_invalid_causes(q, name, c.causes, out);
        ok = false;
    }
    json_object_put(c.causes);
    gotk_buf_free(&c.unknown);
    return ok;
}
