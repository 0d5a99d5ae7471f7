/*
 * schema.c: values.schema.json checked as Helm 3.17 checks it (gojsonschema,
 * JSON Schema draft 4-7): type, properties, required, additionalProperties,
 * patternProperties, enum, const, pattern, minLength/maxLength,
 * minimum/maximum (and their exclusive forms), multipleOf, items (one schema
 * or a list, with additionalItems), minItems/maxItems, uniqueItems, contains,
 * propertyNames, dependencies, format (gojsonschema's checkers),
 * allOf/anyOf/oneOf/not, if/then/else and local $ref ("#/definitions/x").
 * Errors are gojsonschema's texts, "- FIELD: DESCRIPTION" per line, in
 * gojsonschema's order for one node (combinators, then object or array
 * keywords, then enum/const, then children), with the errors of the closest
 * failing subschema of anyOf/oneOf/contains (by gojsonschema's score) and of
 * allOf, then and else. Where Go iterates a map (several failing properties)
 * the order is the schema's, as Go's would be on a lucky day.
 */
#include <math.h>
#include <stdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gotk/obj.h"
#include "gotk/regex.h"
#include "helm_int.h"

typedef struct {
    json_object *root;
    gotk_buf *out;
    int errors;
    int score; /* gojsonschema's, to pick the closest schema: +1 a keyword group or node
                * checked, a required key present, a key matching patternProperties;
                * -2 an error */
    int draft; /* 4, 6 or 7 from $schema; DRAFT_HYBRID (all keywords) otherwise */
} sctx;

#define DRAFT_HYBRID 100

/* A validation against a subschema, kept apart until merged. */
typedef struct {
    gotk_buf out;
    int errors, score;
} sresult;

static void validate(sctx *c, json_object *s, json_object *v, const char *field);

static json_object *kw(json_object *s, const char *k)
{
    json_object *v = NULL;
    if (s && json_object_is_type(s, json_type_object))
        json_object_object_get_ex(s, k, &v);
    return v;
}

static void add_error(sctx *c, const char *field, const char *fmt, ...) GOTK_PRINTF(3, 4);
static void add_error(sctx *c, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gotk_buf_printf(c->out, "- %s: ", field);
    gotk_buf_vprintf(c->out, fmt, ap);
    gotk_buf_putc(c->out, '\n');
    va_end(ap);
    c->errors++;
    c->score -= 2; /* gojsonschema's addInternalError */
}

static bool is_int_value(json_object *v)
{
    if (json_object_is_type(v, json_type_int))
        return true;
    double d = json_object_get_double(v);
    return json_object_is_type(v, json_type_double) && isfinite(d) && d == floor(d);
}

/* gojsonschema's type name of a value. */
static const char *type_of(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null: return "null";
    case json_type_boolean: return "boolean";
    case json_type_int: return "integer";
    case json_type_double: return is_int_value(v) ? "integer" : "number";
    case json_type_string: return "string";
    case json_type_array: return "array";
    case json_type_object: return "object";
    }
    return "null";
}

static bool type_allows(const char *t, json_object *v)
{
    const char *g = type_of(v);
    return !strcmp(t, g) || (!strcmp(t, "number") && !strcmp(g, "integer"));
}

/* The "type" check; false when it failed (and was reported). */
static bool check_type(sctx *c, json_object *s, json_object *v, const char *field)
{
    json_object *t = kw(s, "type");
    if (!t)
        return true;
    gotk_buf want = {0};
    bool ok = false;
    if (json_object_is_type(t, json_type_string)) {
        ok = type_allows(json_object_get_string(t), v);
        gotk_buf_puts(&want, json_object_get_string(t));
    } else if (json_object_is_type(t, json_type_array)) {
        size_t n = json_object_array_length(t);
        if (n != 1)
            gotk_buf_putc(&want, '[');
        for (size_t i = 0; i < n; i++) {
            const char *ti = json_object_get_string(json_object_array_get_idx(t, i));
            ok = ok || type_allows(ti, v);
            gotk_buf_printf(&want, "%s%s", i ? "," : "", ti);
        }
        if (n != 1)
            gotk_buf_putc(&want, ']');
    } else {
        ok = true;
    }
    if (!ok)
        add_error(c, field, "Invalid type. Expected: %s, given: %s", want.data, type_of(v));
    gotk_buf_free(&want);
    return ok;
}

/* big.Float's %v of a schema number: the shortest 'g', as strconv's. */
static void fmt_num(char out[40], json_object *n)
{
    gotk_go_float_g(json_object_get_double(n), out);
}

/* |d| as mant * 10^exp, from its shortest decimal text (what gojsonschema's
 * big.Rat reads from the JSON). */
static void decimal_of(double d, uint64_t *mant, int *exp)
{
    char text[40];
    gotk_go_float_g(fabs(d), text);
    *mant = 0;
    *exp = 0;
    bool frac = false;
    const char *c = text;
    for (; *c && *c != 'e'; c++) {
        if (*c == '.') {
            frac = true;
        } else {
            *mant = *mant * 10 + (uint64_t)(*c - '0');
            *exp -= frac;
        }
    }
    if (*c == 'e')
        *exp += atoi(c + 1);
}

/* multipleOf as big.Rat's exact arithmetic: is v / m an integer? */
static bool is_multiple(double v, double m)
{
    uint64_t a, b;
    int p, q;
    decimal_of(v, &a, &p);
    decimal_of(m, &b, &q);
    if (a == 0)
        return true;
    if (b == 0)
        return false;
    if (p >= q) { /* a * 10^(p-q) mod b, digit by digit (a, b < 10^17) */
        uint64_t r = a % b;
        for (int i = 0; i < p - q && r; i++)
            r = r * 10 % b;
        return r == 0;
    }
    for (int i = 0; i < q - p; i++) { /* b * 10^(q-p) must divide a */
        if (b > UINT64_MAX / 10)
            return false;
        b *= 10;
    }
    return a % b == 0;
}

static json_object *resolve_ref(sctx *c, const char *ref)
{
    char *bad = NULL;
    json_object *target = helm_schema_pointer(c->root, ref, &bad);
    free(bad);
    return target;
}

/* Validate v against s apart (gojsonschema's subValidateWithContext). */
static void sub_validate(sctx *c, json_object *s, json_object *v, const char *field, sresult *r)
{
    *r = (sresult){0};
    sctx sub = {.root = c->root, .out = &r->out, .draft = c->draft};
    validate(&sub, s, v, field);
    r->errors = sub.errors;
    r->score = sub.score;
}

/* Add a subvalidation's errors and score to c's (mergeErrors); frees r. */
static void merge(sctx *c, sresult *r)
{
    gotk_buf_append(c->out, r->out.data ? r->out.data : "", r->out.len);
    c->errors += r->errors;
    c->score += r->score;
    gotk_buf_free(&r->out);
}

/* Does v pass s? (for not, if) */
static bool passes(sctx *c, json_object *s, json_object *v, const char *field)
{
    sresult r;
    sub_validate(c, s, v, field, &r);
    gotk_buf_free(&r.out);
    return r.errors == 0;
}

/* anyOf/oneOf: keep the failed result with the highest score (the first of equals). */
static void keep_best(sresult *best, sresult *r)
{
    if (r->errors && (!best->errors || r->score > best->score)) {
        gotk_buf_free(&best->out);
        *best = *r;
    } else {
        gotk_buf_free(&r->out);
    }
}

static void validate_any_one_of(sctx *c, json_object *s, json_object *v, const char *field)
{
    json_object *l;
    /* empty lists check nothing, as gojsonschema's */
    if ((l = kw(s, "anyOf")) && json_object_is_type(l, json_type_array) &&
        json_object_array_length(l) > 0) {
        bool any = false;
        sresult best = {0}, r;
        for (size_t i = 0; i < json_object_array_length(l) && !any; i++) {
            sub_validate(c, json_object_array_get_idx(l, i), v, field, &r);
            any = r.errors == 0;
            keep_best(&best, &r);
        }
        if (!any) {
            add_error(c, field, "Must validate at least one schema (anyOf)");
            merge(c, &best);
        }
        gotk_buf_free(&best.out);
    }
    if ((l = kw(s, "oneOf")) && json_object_is_type(l, json_type_array) &&
        json_object_array_length(l) > 0) {
        int n = 0;
        sresult best = {0}, r;
        for (size_t i = 0; i < json_object_array_length(l); i++) {
            sub_validate(c, json_object_array_get_idx(l, i), v, field, &r);
            n += r.errors == 0;
            if (n == 0)
                keep_best(&best, &r);
            else
                gotk_buf_free(&r.out);
        }
        if (n != 1)
            add_error(c, field, "Must validate one and only one schema (oneOf)");
        if (n == 0)
            merge(c, &best);
        gotk_buf_free(&best.out);
    }
}

/* dependencies: a list of keys the key needs, or a schema the object must pass. */
static void validate_dependencies(sctx *c, json_object *s, json_object *v, const char *field)
{
    json_object *deps = kw(s, "dependencies");
    if (!deps || !json_object_is_type(deps, json_type_object) ||
        !json_object_is_type(v, json_type_object))
        return;
    json_object_object_foreach(v, key, val) {
        (void)val;
        json_object *d = NULL;
        if (!json_object_object_get_ex(deps, key, &d))
            continue;
        if (json_object_is_type(d, json_type_array)) {
            for (size_t i = 0; i < json_object_array_length(d); i++) {
                const char *need = json_object_get_string(json_object_array_get_idx(d, i));
                if (!json_object_object_get_ex(v, need, NULL))
                    add_error(c, field, "Has a dependency on %s", need);
            }
        } else {
            validate(c, d, v, field);
        }
    }
}

/* validateSchema: the combinators, dependencies and if/then/else. */
static void validate_combinators(sctx *c, json_object *s, json_object *v, const char *field)
{
    json_object *l;
    validate_any_one_of(c, s, v, field);
    if ((l = kw(s, "allOf")) && json_object_is_type(l, json_type_array)) {
        bool all = true;
        for (size_t i = 0; i < json_object_array_length(l); i++) {
            sresult r;
            sub_validate(c, json_object_array_get_idx(l, i), v, field, &r);
            all = all && r.errors == 0;
            merge(c, &r);
        }
        if (!all)
            add_error(c, field, "Must validate all the schemas (allOf)");
    }
    if ((l = kw(s, "not")) && passes(c, l, v, field))
        add_error(c, field, "Must not validate the schema (not)");
    validate_dependencies(c, s, v, field);
    if (c->draft >= 7 && (l = kw(s, "if"))) {
        bool ok = passes(c, l, v, field);
        json_object *branch = ok ? kw(s, "then") : kw(s, "else");
        sresult r;
        if (branch) {
            sub_validate(c, branch, v, field, &r);
            if (r.errors) {
                add_error(c, field, ok ? "Must validate \"then\" as \"if\" was valid"
                                       : "Must validate \"else\" as \"if\" was not valid");
                merge(c, &r);
            }
            gotk_buf_free(&r.out);
        }
    }
    c->score++;
}

static void validate_common(sctx *c, json_object *s, json_object *v, const char *field)
{
    json_object *l;
    if (c->draft >= 6 && (l = kw(s, "const")) && !gotk_obj_equal(l, v)) {
        char *j = gotk_json_to_string(l);
        add_error(c, field, "%s does not match: %s", field, j);
        free(j);
    }
    if ((l = kw(s, "enum")) && json_object_is_type(l, json_type_array) &&
        json_object_array_length(l) > 0) { /* gojsonschema skips an empty enum */
        bool found = false;
        gotk_buf allowed = {0};
        for (size_t i = 0; i < json_object_array_length(l); i++) {
            json_object *e = json_object_array_get_idx(l, i);
            found = found || gotk_obj_equal(e, v);
            char *j = gotk_json_to_string(e);
            gotk_buf_printf(&allowed, "%s%s", i ? ", " : "", j);
            free(j);
        }
        if (!found)
            add_error(c, field, "%s must be one of the following: %s", field,
                      allowed.data ? allowed.data : "");
        gotk_buf_free(&allowed);
    }
    c->score++;
}

static void validate_number(sctx *c, json_object *s, json_object *v, const char *field)
{
    double d = json_object_get_double(v);
    json_object *l;
    char num[40];
    if ((l = kw(s, "multipleOf"))) {
        double m = json_object_get_double(l);
        if (m != 0 && !is_multiple(d, m)) {
            fmt_num(num, l);
            add_error(c, field, "Must be a multiple of %s", num);
        }
    }
    json_object *emax = kw(s, "exclusiveMaximum"), *emin = kw(s, "exclusiveMinimum");
    if ((l = kw(s, "maximum"))) {
        bool ex = emax && json_object_is_type(emax, json_type_boolean) && json_object_get_boolean(emax);
        fmt_num(num, l);
        if (ex ? d >= json_object_get_double(l) : d > json_object_get_double(l))
            add_error(c, field, ex ? "Must be less than %s" : "Must be less than or equal to %s", num);
    }
    if (emax && !json_object_is_type(emax, json_type_boolean) && d >= json_object_get_double(emax)) {
        fmt_num(num, emax);
        add_error(c, field, "Must be less than %s", num);
    }
    if ((l = kw(s, "minimum"))) {
        bool ex = emin && json_object_is_type(emin, json_type_boolean) && json_object_get_boolean(emin);
        fmt_num(num, l);
        if (ex ? d <= json_object_get_double(l) : d < json_object_get_double(l))
            add_error(c, field, ex ? "Must be greater than %s" : "Must be greater than or equal to %s",
                      num);
    }
    if (emin && !json_object_is_type(emin, json_type_boolean) && d <= json_object_get_double(emin)) {
        fmt_num(num, emin);
        add_error(c, field, "Must be greater than %s", num);
    }
    /* the format checkers gojsonschema knows fail every number */
    json_object *f = kw(s, "format");
    if (f && json_object_is_type(f, json_type_string) && helm_schema_known_format(json_object_get_string(f)))
        add_error(c, field, "Does not match format '%s'", json_object_get_string(f));
    c->score++;
}

static size_t rune_count(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n;) {
        uint32_t r;
        i += gotk_utf8_decode(s + i, n - i, &r);
        count++;
    }
    return count;
}

static void validate_string(sctx *c, json_object *s, json_object *v, const char *field)
{
    const char *str = json_object_get_string(v);
    size_t n = rune_count(str, (size_t)json_object_get_string_len(v));
    json_object *l;
    if ((l = kw(s, "minLength")) && (double)n < json_object_get_double(l))
        add_error(c, field, "String length must be greater than or equal to %d",
                  json_object_get_int(l));
    if ((l = kw(s, "maxLength")) && (double)n > json_object_get_double(l))
        add_error(c, field, "String length must be less than or equal to %d",
                  json_object_get_int(l));
    if ((l = kw(s, "pattern")) && json_object_is_type(l, json_type_string)) {
        gotk_regex *re = NULL;
        gotk_err *e = gotk_regex_compile(json_object_get_string(l), &re);
        if (!e && !gotk_regex_match(re, str))
            add_error(c, field, "Does not match pattern '%s'", json_object_get_string(l));
        gotk_err_free(e);
        gotk_regex_free(re);
    }
    if ((l = kw(s, "format")) && json_object_is_type(l, json_type_string) &&
        !helm_schema_format_ok(json_object_get_string(l), str, (size_t)json_object_get_string_len(v)))
        add_error(c, field, "Does not match format '%s'", json_object_get_string(l));
    c->score++;
}

static char *child_field(const char *field, const char *key)
{
    if (!strcmp(field, "(root)"))
        return gotk_xstrdup(key);
    return gotk_xasprintf("%s.%s", field, key);
}

/* items (one schema, or one per position with additionalItems after them). */
static void validate_items(sctx *c, json_object *s, json_object *v, const char *field)
{
    size_t n = json_object_array_length(v);
    json_object *items = kw(s, "items"), *more = kw(s, "additionalItems");
    bool listed = items && json_object_is_type(items, json_type_array);
    size_t nitems = listed ? json_object_array_length(items) : 0;
    if (listed && nitems == 0)
        return;
    for (size_t i = 0; items && i < n; i++) {
        json_object *is = listed ? (i < nitems ? json_object_array_get_idx(items, i) : more) : items;
        if (listed && i >= nitems && (!more || json_object_is_type(more, json_type_boolean))) {
            if (more && !json_object_get_boolean(more))
                add_error(c, field, "No additional items allowed on array");
            break;
        }
        char idx[24];
        snprintf(idx, sizeof idx, "%zu", i);
        char *f = child_field(field, idx);
        validate(c, is, json_object_array_get_idx(v, i), f);
        free(f);
    }
}

/* contains: one item must pass; else the closest item's errors. */
static void validate_contains(sctx *c, json_object *s, json_object *v, const char *field)
{
    json_object *cs = c->draft >= 6 ? kw(s, "contains") : NULL;
    if (!cs)
        return;
    sresult best = {0}, r;
    bool one = false;
    for (size_t i = 0; i < json_object_array_length(v) && !one; i++) {
        char idx[24];
        snprintf(idx, sizeof idx, "%zu", i);
        char *f = child_field(field, idx);
        sub_validate(c, cs, json_object_array_get_idx(v, i), f, &r);
        free(f);
        one = r.errors == 0;
        keep_best(&best, &r);
    }
    if (!one) {
        add_error(c, field, "At least one of the items must match");
        merge(c, &best);
    }
    gotk_buf_free(&best.out);
}

static void validate_array(sctx *c, json_object *s, json_object *v, const char *field)
{
    size_t n = json_object_array_length(v);
    json_object *l;
    validate_items(c, s, v, field);
    if ((l = kw(s, "minItems")) && (double)n < json_object_get_double(l))
        add_error(c, field, "Array must have at least %d items", json_object_get_int(l));
    if ((l = kw(s, "maxItems")) && (double)n > json_object_get_double(l))
        add_error(c, field, "Array must have at most %d items", json_object_get_int(l));
    if ((l = kw(s, "uniqueItems")) && json_object_get_boolean(l)) {
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++)
                if (gotk_obj_equal(json_object_array_get_idx(v, i), json_object_array_get_idx(v, j))) {
                    add_error(c, field, "array items[%zu,%zu] must be unique", i, j);
                    i = j = n;
                }
    }
    validate_contains(c, s, v, field);
    c->score++;
}

static bool pattern_property(sctx *c, json_object *s, const char *key, json_object *val,
                             const char *field)
{
    json_object *pp = kw(s, "patternProperties");
    bool matched = false;
    if (!pp || !json_object_is_type(pp, json_type_object))
        return false;
    json_object_object_foreach(pp, pat, ps) {
        gotk_regex *re = NULL;
        gotk_err *e = gotk_regex_compile(pat, &re);
        if (!e && gotk_regex_match(re, key)) {
            matched = true;
            char *f = child_field(field, key);
            validate(c, ps, val, f);
            free(f);
        }
        gotk_err_free(e);
        gotk_regex_free(re);
    }
    c->score += matched;
    return matched;
}

static void validate_object(sctx *c, json_object *s, json_object *v, const char *field)
{
    json_object *l, *props = kw(s, "properties");
    if ((l = kw(s, "minProperties")) && (double)json_object_object_length(v) < json_object_get_double(l))
        add_error(c, field, "Must have at least %d properties", json_object_get_int(l));
    if ((l = kw(s, "maxProperties")) && (double)json_object_object_length(v) > json_object_get_double(l))
        add_error(c, field, "Must have at most %d properties", json_object_get_int(l));
    if ((l = kw(s, "required")) && json_object_is_type(l, json_type_array))
        for (size_t i = 0; i < json_object_array_length(l); i++) {
            const char *r = json_object_get_string(json_object_array_get_idx(l, i));
            if (json_object_object_get_ex(v, r, NULL))
                c->score++;
            else
                add_error(c, field, "%s is required", r);
        }
    json_object *ap = kw(s, "additionalProperties");
    json_object_object_foreach(v, key, val) {
        bool found = props && json_object_is_type(props, json_type_object) &&
                     json_object_object_get_ex(props, key, NULL);
        bool pm = pattern_property(c, s, key, val, field);
        if (found || pm || !ap)
            continue;
        if (json_object_is_type(ap, json_type_boolean)) {
            if (!json_object_get_boolean(ap))
                add_error(c, field, "Additional property %s is not allowed", key);
        } else {
            char *f = child_field(field, key);
            validate(c, ap, val, f);
            free(f);
        }
    }
    json_object *pn = c->draft >= 6 ? kw(s, "propertyNames") : NULL;
    if (pn) {
        json_object_object_foreach(v, name, unused) {
            (void)unused;
            json_object *js = json_object_new_string(name);
            sresult r;
            sub_validate(c, pn, js, field, &r);
            json_object_put(js);
            if (r.errors) {
                add_error(c, field, "Property name of \"%s\" does not match", name);
                merge(c, &r);
            }
            gotk_buf_free(&r.out);
        }
    }
    c->score++;
}

static void validate_children(sctx *c, json_object *s, json_object *v, const char *field)
{
    json_object *props = kw(s, "properties");
    if (!props || !json_object_is_type(props, json_type_object))
        return;
    json_object_object_foreach(props, key, ps) {
        json_object *val = NULL;
        if (!json_object_object_get_ex(v, key, &val))
            continue;
        char *f = child_field(field, key);
        validate(c, ps, val, f);
        free(f);
    }
}

static void validate(sctx *c, json_object *s, json_object *v, const char *field)
{
    if (json_object_is_type(s, json_type_boolean)) {
        if (!json_object_get_boolean(s))
            add_error(c, field, "False always fails validation");
        return;
    }
    json_object *ref = kw(s, "$ref");
    if (ref && json_object_is_type(ref, json_type_string)) {
        json_object *target = resolve_ref(c, json_object_get_string(ref));
        if (target)
            validate(c, target, v, field);
        return;
    }
    if (!check_type(c, s, v, field))
        return;
    validate_combinators(c, s, v, field);
    switch (json_object_get_type(v)) {
    case json_type_int:
    case json_type_double:
        validate_number(c, s, v, field);
        validate_common(c, s, v, field);
        break;
    case json_type_string:
    case json_type_boolean:
        validate_common(c, s, v, field);
        if (json_object_is_type(v, json_type_string))
            validate_string(c, s, v, field);
        break;
    case json_type_array:
        validate_array(c, s, v, field);
        validate_common(c, s, v, field);
        break;
    case json_type_object:
        validate_object(c, s, v, field);
        validate_common(c, s, v, field);
        validate_children(c, s, v, field);
        break;
    default:
        validate_common(c, s, v, field);
        break;
    }
    c->score++;
}

/* The draft "$schema" names, as gojsonschema's AutoDetect reads it (an empty
 * fragment dropped); others, and none, mean its hybrid of all drafts. */
static int schema_draft(json_object *root)
{
    static const char *const urls[] = {"http://json-schema.org/draft-04/schema",
                                       "http://json-schema.org/draft-06/schema",
                                       "http://json-schema.org/draft-07/schema"};
    static const int drafts[] = {4, 6, 7};
    json_object *u = kw(root, "$schema");
    if (!u || !json_object_is_type(u, json_type_string))
        return DRAFT_HYBRID;
    const char *s = json_object_get_string(u);
    size_t n = strlen(s);
    if (n && s[n - 1] == '#')
        n--;
    for (int i = 0; i < 3; i++)
        if (strlen(urls[i]) == n && !strncmp(urls[i], s, n))
            return drafts[i];
    return DRAFT_HYBRID;
}

static void check_parsed(json_object *root, json_object *vals, gotk_buf *out)
{
    sctx c = {.root = root, .out = out, .draft = schema_draft(root)};
    if (helm_schema_invalid(root, c.draft, out))
        return;
    json_object *empty = vals ? NULL : json_object_new_object();
    validate(&c, root, vals ? vals : empty, "(root)");
    json_object_put(empty);
}

bool helm_schema_check(const char *schema, size_t len, json_object *vals, gotk_buf *out)
{
    json_object *root = NULL;
    if (!helm_schema_json(schema, len, &root, out))
        return false;
    check_parsed(root, vals, out);
    json_object_put(root);
    return true;
}

/* Parsed schemas by their bytes, which a subchart's aliases share: each is
 * parsed once per validation (schemas are only read). */
typedef struct {
    const char *bytes;
    json_object *root;
} parsed_schema;

typedef struct {
    parsed_schema *v;
    size_t n;
} schema_cache;

static void check_cached(schema_cache *sc, const gotk_helm_chart *ch, json_object *vals,
                         gotk_buf *out)
{
    for (size_t i = 0; i < sc->n; i++)
        if (sc->v[i].bytes == ch->schema) {
            check_parsed(sc->v[i].root, vals, out);
            return;
        }
    json_object *root = NULL;
    if (!helm_schema_json(ch->schema, ch->schema_len, &root, out))
        return; /* not kept: the error is reported again for each chart */
    sc->v = gotk_xrealloc(sc->v, (sc->n + 1) * sizeof *sc->v);
    sc->v[sc->n++] = (parsed_schema){.bytes = ch->schema, .root = root};
    check_parsed(root, vals, out);
}

static void validate_tree(const gotk_helm_chart *ch, json_object *vals, schema_cache *cache,
                          gotk_buf *sb)
{
    if (ch->schema) {
        gotk_buf errs = {0};
        check_cached(cache, ch, vals, &errs);
        if (errs.len) {
            gotk_buf_printf(sb, "%s:\n", helm_chart_name(ch));
            gotk_buf_append(sb, errs.data, errs.len);
        }
        gotk_buf_free(&errs);
    }
    for (size_t i = 0; i < ch->ndeps; i++) {
        json_object *sub = NULL;
        json_object_object_get_ex(vals, helm_chart_name(ch->deps[i]), &sub);
        validate_tree(ch->deps[i], sub, cache, sb);
    }
}

gotk_err *helm_validate_schema(const gotk_helm_chart *c, json_object *vals)
{
    gotk_buf sb = {0};
    schema_cache cache = {0};
    validate_tree(c, vals, &cache, &sb);
    for (size_t i = 0; i < cache.n; i++)
        json_object_put(cache.v[i].root);
    free(cache.v);
    if (!sb.len)
        return NULL;
    gotk_err *e = gotk_err_new(GOTK_E_INVALID,
                               "values don't meet the specifications of the schema(s) in the following chart(s):\n%s",
                               sb.data);
    gotk_buf_free(&sb);
    return e;
}
