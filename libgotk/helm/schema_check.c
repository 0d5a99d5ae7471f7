/*
 * schema_check.c: what gojsonschema v1.2.0 (Helm 3.17's validator) refuses
 * in a values.schema.json before validating anything: a keyword of the
 * wrong type ("minimum must be of a number"), an unknown type name, an
 * invalid regex, a $ref to nothing, ... with its texts, first error wins
 * (in its order of keywords; where it walks a Go map, ours is the file's).
 * Also how it reads the bytes: one JSON value, as a json.Decoder.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gotk/obj.h"
#include "gotk/regex.h"
#include "gotk/template.h"
#include "helm_int.h"

typedef struct {
    json_object *root;
    int draft; /* 4, 6, 7; larger: the hybrid of all */
    gotk_buf *err;
    int depth;
} cctx;

static bool check(cctx *c, json_object *s);

static bool fail(cctx *c, const char *fmt, ...) GOTK_PRINTF(2, 3);
static bool fail(cctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gotk_buf_vprintf(c->err, fmt, ap);
    va_end(ap);
    return false;
}

static json_object *key(json_object *s, const char *k, bool *has)
{
    json_object *v = NULL;
    *has = json_object_object_get_ex(s, k, &v);
    return v;
}

static bool is_num(json_object *v)
{
    return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
}

static bool is_schema(json_object *v, bool allow_bool)
{
    return json_object_is_type(v, json_type_object) ||
           (allow_bool && json_object_is_type(v, json_type_boolean));
}

/* A subschema: objects, and booleans where gojsonschema takes them. */
static bool sub(cctx *c, json_object *v, bool allow_bool, const char *what)
{
    if (!is_schema(v, allow_bool))
        return fail(c, "%s", what);
    return check(c, v);
}

/* The "type" keyword: known names, none twice. */
static bool check_type(cctx *c, json_object *t)
{
    static const char *const names[] = {"array", "boolean", "integer", "number", "null",
                                        "object", "string", NULL};
    size_t n = json_object_is_type(t, json_type_array) ? json_object_array_length(t) : 1;
    if (!json_object_is_type(t, json_type_string) && !json_object_is_type(t, json_type_array))
        return fail(c, "Invalid type. Expected: string/array of strings, given: type");
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_is_type(t, json_type_array) ? json_object_array_get_idx(t, i) : t;
        if (is_num(e)) /* a json.Number passes its Kind check, then fails the assertion */
            return fail(c, "unable to validate schema: interface conversion: interface {} is "
                           "json.Number, not string");
        if (!json_object_is_type(e, json_type_string))
            return fail(c, "Invalid type. Expected: string/array of strings, given: type");
        const char *name = json_object_get_string(e);
        bool known = false;
        for (int k = 0; names[k] && !known; k++)
            known = !strcmp(names[k], name);
        if (!known)
            return fail(c, "has a primitive type that is NOT VALID -- given: /%s/ Expected valid "
                           "values are:[array boolean integer number null object string]", name);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(json_object_get_string(json_object_array_get_idx(t, j)), name))
                return fail(c, "%s type is duplicated", name);
    }
    return true;
}

/* An integer keyword >= 0 (minLength...); *out its value. */
static bool check_count(cctx *c, json_object *s, const char *k, long long *out, bool *has)
{
    json_object *v = key(s, k, has);
    if (!*has)
        return true;
    if (!json_object_is_type(v, json_type_int))
        return fail(c, "%s must be of an integer", k);
    *out = json_object_get_int64(v);
    if (*out < 0)
        return fail(c, "%s must be greater than or equal to 0", k);
    return true;
}

static bool valid_regex(const char *p)
{
    gotk_regex *re = NULL;
    gotk_err *e = gotk_regex_compile(p, &re);
    bool ok = !e;
    gotk_err_free(e);
    gotk_regex_free(re);
    return ok;
}

/* One token of a JSON pointer in a URL fragment: %XX, then ~1 and ~0. */
static void pointer_token(char *t)
{
    char *w = t;
    for (char *r = t; *r; r++) {
        if (r[0] == '%' && isxdigit((unsigned char)r[1]) && isxdigit((unsigned char)r[2])) {
            char hex[3] = {r[1], r[2], 0};
            *w++ = (char)strtol(hex, NULL, 16);
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = 0;
    w = t;
    for (char *r = t; *r; r++) {
        if (r[0] == '~' && (r[1] == '0' || r[1] == '1'))
            *w++ = *++r == '1' ? '/' : '~';
        else
            *w++ = *r;
    }
    *w = 0;
}

json_object *helm_schema_pointer(json_object *root, const char *ref, char **bad)
{
    *bad = NULL;
    if (ref[0] != '#')
        return NULL;
    json_object *cur = root;
    char *copy = gotk_xstrdup(ref + 1), *save = NULL;
    for (char *t = strtok_r(copy, "/", &save); t && !*bad; t = strtok_r(NULL, "/", &save)) {
        pointer_token(t);
        json_object *next = NULL;
        char *end;
        long idx = strtol(t, &end, 10);
        if (json_object_is_type(cur, json_type_object) && json_object_object_get_ex(cur, t, &next))
            cur = next;
        else if (json_object_is_type(cur, json_type_array) && *t && !*end && idx >= 0 &&
                 (size_t)idx < json_object_array_length(cur))
            cur = json_object_array_get_idx(cur, (size_t)idx);
        else
            *bad = gotk_xstrdup(t);
    }
    free(copy);
    return *bad ? NULL : cur;
}

/* $ref: a JSON pointer into this document that must exist. */
static bool check_ref(cctx *c, const char *ref)
{
    char *bad = NULL;
    helm_schema_pointer(c->root, ref, &bad);
    if (bad)
        fail(c, "Object has no key '%s'", bad);
    free(bad);
    return !bad;
}

/* The keywords up to $ref (which ends the parse of its schema). */
static bool check_head(cctx *c, json_object *s, bool *ref_done)
{
    bool has;
    json_object *v;
    const char *id = c->draft == 4 ? "id" : "$id";
    if (c->draft > 7 && json_object_object_get_ex(s, "id", NULL))
        id = "id";
    if ((v = key(s, id, &has)), has && !json_object_is_type(v, json_type_string))
        return fail(c, "Invalid type. Expected: string, given: %s", id);
    if ((v = key(s, "definitions", &has)), has) {
        if (!json_object_is_type(v, json_type_object))
            return fail(c, "Invalid type. Expected: array of schemas, given: definitions");
        json_object_object_foreach(v, k, d) {
            (void)k;
            if (!sub(c, d, true, "Invalid type. Expected: array of schemas, given: definitions"))
                return false;
        }
    }
    static const char *const strings[] = {"title", "description", "$ref", NULL};
    for (int i = 0; strings[i]; i++)
        if ((v = key(s, strings[i], &has)), has && !json_object_is_type(v, json_type_string))
            return fail(c, "Invalid type. Expected: string, given: %s", strings[i]);
    if ((v = key(s, "$ref", &has)), has) {
        *ref_done = true;
        return check_ref(c, json_object_get_string(v));
    }
    if ((v = key(s, "type", &has)), has && !check_type(c, v))
        return false;
    return true;
}

/* properties ... additionalItems */
static bool check_structure(cctx *c, json_object *s)
{
    bool has;
    json_object *v;
    if ((v = key(s, "properties", &has)), has) {
        if (!json_object_is_type(v, json_type_object))
            return fail(c, "properties must be of type object");
        json_object_object_foreach(v, k, p) {
            (void)k;
            if (!check(c, p))
                return false;
        }
    }
    if ((v = key(s, "additionalProperties", &has)), has && !json_object_is_type(v, json_type_boolean) &&
        !sub(c, v, false, "Invalid type. Expected: boolean/valid schema, given: additionalProperties"))
        return false;
    if ((v = key(s, "patternProperties", &has)), has) {
        if (!json_object_is_type(v, json_type_object))
            return fail(c, "Invalid type. Expected: valid schema, given: patternProperties");
        json_object_object_foreach(v, pat, p) {
            if (!valid_regex(pat))
                return fail(c, "Invalid regex pattern '%s'", pat);
            if (!check(c, p))
                return false;
        }
    }
    v = key(s, "propertyNames", &has); /* from draft 6; its error names patternProperties */
    if (c->draft >= 6 && has &&
        !sub(c, v, true, "Invalid type. Expected: valid schema, given: patternProperties"))
        return false;
    if ((v = key(s, "dependencies", &has)), has) {
        if (!json_object_is_type(v, json_type_object))
            return fail(c, "dependencies must be of type object");
        json_object_object_foreach(v, k, d) {
            (void)k;
            if (json_object_is_type(d, json_type_array)) {
                for (size_t i = 0; i < json_object_array_length(d); i++)
                    if (!json_object_is_type(json_object_array_get_idx(d, i), json_type_string))
                        return fail(c, "dependency must be of type schema or array of strings");
            } else if (!sub(c, d, true, "dependency must be of type schema or array of strings")) {
                return false;
            }
        }
    }
    if ((v = key(s, "items", &has)), has) {
        const char *what = "Invalid type. Expected: valid schema/array of schemas, given: items";
        if (json_object_is_type(v, json_type_array)) {
            for (size_t i = 0; i < json_object_array_length(v); i++)
                if (!sub(c, json_object_array_get_idx(v, i), true, what))
                    return false;
        } else if (!sub(c, v, true, what)) {
            return false;
        }
    }
    if ((v = key(s, "additionalItems", &has)), has && !json_object_is_type(v, json_type_boolean) &&
        !sub(c, v, false, "Invalid type. Expected: boolean/valid schema, given: additionalItems"))
        return false;
    return true;
}

/* exclusiveMinimum/Maximum: booleans next to their limit in draft 4,
 * numbers from draft 6, either in the hybrid. */
static bool check_exclusive(cctx *c, json_object *s, const char *k, const char *limit)
{
    bool has, has_limit;
    json_object *v = key(s, k, &has);
    key(s, limit, &has_limit);
    if (!has)
        return true;
    bool is_bool = json_object_is_type(v, json_type_boolean);
    if (c->draft == 4 && !is_bool)
        return fail(c, "Invalid type. Expected: boolean, given: %s", k);
    if (c->draft == 6 || c->draft == 7) {
        if (!is_num(v))
            return fail(c, "Invalid type. Expected: number, given: %s", k);
        return true;
    }
    if (!is_bool && !is_num(v))
        return fail(c, "Invalid type. Expected: boolean/number, given: %s", k);
    if (is_bool && !has_limit)
        return fail(c, "%s cannot be used without %s", k, limit);
    return true;
}

/* multipleOf ... maxProperties */
static bool check_limits(cctx *c, json_object *s)
{
    bool has, has2;
    json_object *v;
    if ((v = key(s, "multipleOf", &has)), has) {
        if (!is_num(v))
            return fail(c, "Invalid type. Expected: number, given: multipleOf");
        if (json_object_get_double(v) <= 0)
            return fail(c, "multipleOf must be strictly greater than 0");
    }
    if ((v = key(s, "minimum", &has)), has && !is_num(v))
        return fail(c, "minimum must be of a number");
    if (!check_exclusive(c, s, "exclusiveMinimum", "minimum"))
        return false;
    if ((v = key(s, "maximum", &has)), has && !is_num(v))
        return fail(c, "maximum must be of a number");
    if (!check_exclusive(c, s, "exclusiveMaximum", "maximum"))
        return false;
    long long lo = 0, hi = 0;
    if (!check_count(c, s, "minLength", &lo, &has) || !check_count(c, s, "maxLength", &hi, &has2))
        return false;
    if (has && has2 && lo > hi)
        return fail(c, "minLength cannot be greater than maxLength");
    if ((v = key(s, "pattern", &has)), has) {
        if (!json_object_is_type(v, json_type_string))
            return fail(c, "pattern must be of a string");
        if (!valid_regex(json_object_get_string(v)))
            return fail(c, "pattern must be a valid regex");
    }
    if ((v = key(s, "format", &has)), has && !json_object_is_type(v, json_type_string))
        return fail(c, "format must be of type string");
    if (!check_count(c, s, "minProperties", &lo, &has) ||
        !check_count(c, s, "maxProperties", &hi, &has2))
        return false;
    if (has && has2 && lo > hi)
        return fail(c, "minProperties cannot be greater than maxProperties");
    return true;
}

/* A list of distinct values (required: strings). */
static bool check_list(cctx *c, json_object *v, const char *k, bool strings)
{
    if (!json_object_is_type(v, json_type_array))
        return fail(c, "%s must be of an array", k);
    size_t n = json_object_array_length(v);
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(v, i);
        if (strings && !json_object_is_type(e, json_type_string))
            return fail(c, "%s items must be string", k);
        for (size_t j = 0; j < i; j++)
            if (gotk_obj_equal(json_object_array_get_idx(v, j), e))
                return fail(c, "%s items must be unique", k);
    }
    return true;
}

/* required ... if/then/else */
static bool check_rest(cctx *c, json_object *s)
{
    bool has;
    json_object *v;
    long long n;
    if ((v = key(s, "required", &has)), has && !check_list(c, v, "required", true))
        return false;
    if (!check_count(c, s, "minItems", &n, &has) || !check_count(c, s, "maxItems", &n, &has))
        return false;
    if ((v = key(s, "uniqueItems", &has)), has && !json_object_is_type(v, json_type_boolean))
        return fail(c, "uniqueItems must be of a boolean");
    v = key(s, "contains", &has); /* from draft 6 */
    if (c->draft >= 6 && has && !check(c, v))
        return false;
    if ((v = key(s, "enum", &has)), has && !check_list(c, v, "enum", false))
        return false;
    /* gojsonschema names anyOf in allOf's error */
    static const char *const lists[][2] = {{"oneOf", "oneOf"}, {"anyOf", "anyOf"}, {"allOf", "anyOf"}};
    for (int l = 0; l < 3; l++) {
        if ((v = key(s, lists[l][0], &has)), !has)
            continue;
        if (!json_object_is_type(v, json_type_array))
            return fail(c, "%s must be of an array", lists[l][1]);
        for (size_t i = 0; i < json_object_array_length(v); i++)
            if (!check(c, json_object_array_get_idx(v, i)))
                return false;
    }
    if ((v = key(s, "not", &has)), has && !sub(c, v, true, "not must be of an object"))
        return false;
    static const char *const conds[] = {"if", "then", "else", NULL};
    for (int i = 0; c->draft >= 7 && conds[i]; i++) {
        char what[40];
        snprintf(what, sizeof what, "%s must be of an object", conds[i]);
        if ((v = key(s, conds[i], &has)), has && !sub(c, v, true, what))
            return false;
    }
    return true;
}

static bool check(cctx *c, json_object *s)
{
    if (c->draft >= 6 && json_object_is_type(s, json_type_boolean))
        return true;
    if (!json_object_is_type(s, json_type_object))
        return fail(c, "Expected: valid schema, given: Invalid JSON");
    if (++c->depth > 200) /* a deeper schema is no one's */
        return true;
    bool ref_done = false;
    bool ok = check_head(c, s, &ref_done) &&
              (ref_done || (check_structure(c, s) && check_limits(c, s) && check_rest(c, s)));
    c->depth--;
    return ok;
}

bool helm_schema_invalid(json_object *root, int draft, gotk_buf *err)
{
    if (!json_object_is_type(root, json_type_object) && !json_object_is_type(root, json_type_boolean)) {
        gotk_buf_puts(err, "schema is invalid");
        return true;
    }
    json_object *u = NULL;
    if (json_object_object_get_ex(root, "$schema", &u) && !json_object_is_type(u, json_type_string)) {
        gotk_buf_puts(err, "$schema must be of type string");
        return true;
    }
    cctx c = {.root = root, .draft = draft, .err = err};
    return !check(&c, root);
}

/* json-c's reading of the first value of s (what follows is left alone). */
static json_object *parse_value(const char *s, size_t len, enum json_tokener_error *je)
{
    json_tokener *tok = json_tokener_new();
    json_object *o = json_tokener_parse_ex(tok, s, (int)len);
    *je = json_tokener_get_error(tok);
    if (*je == json_tokener_continue) { /* a bare literal waits for its end */
        o = json_tokener_parse_ex(tok, " ", 1);
        *je = json_tokener_get_error(tok);
    }
    json_tokener_free(tok);
    return o;
}

bool helm_schema_json(const char *s, size_t len, json_object **root, gotk_buf *err)
{
    *root = NULL;
    size_t i = 0;
    while (i < len && strchr(" \t\r\n", s[i]))
        i++;
    if (i == len) {
        gotk_buf_puts(err, "EOF");
        return false;
    }
    /* a json.Decoder reads the first value only, with encoding/json's
     * syntax errors, and "unexpected EOF" when the input ends inside it: a
     * byte no JSON may hold, put at the end, shows where the check stopped */
    gotk_buf text = {0}, msg = {0};
    gotk_buf_append(&text, s, len);
    gotk_buf_putc(&text, '\x01');
    gotk_template_json_valid(text.data, text.len, &msg);
    bool ok = msg.data && strstr(msg.data, "after top-level value");
    if (!ok)
        gotk_buf_puts(err, !msg.data || strstr(msg.data, "\\x01") ? "unexpected EOF" : msg.data);
    gotk_buf_free(&text);
    gotk_buf_free(&msg);
    if (!ok)
        return false;
    enum json_tokener_error je;
    *root = parse_value(s, len, &je);
    if (je != json_tokener_success) { /* cannot happen after Go's check */
        json_object_put(*root);
        *root = NULL;
        gotk_buf_printf(err, "invalid JSON: %s", json_tokener_error_desc(je));
        return false;
    }
    return true;
}
