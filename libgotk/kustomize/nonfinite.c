/* nonfinite.c: kustomize writes each resource through encoding/json, which
 * refuses NaN and infinities (YAML's .nan, .inf); the error prints the resource
 * as Go's %#v of the map yaml.v3 decoded ("map[string]interface {}{...}"). */
#include "internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Go's %#v of a decoded YAML value. */
static void go_sharp(gotk_buf *b, json_object *v)
{
    char num[32];
    switch (json_object_get_type(v)) {
    case json_type_null: gotk_buf_puts(b, "interface {}(nil)"); return;
    case json_type_boolean: gotk_buf_puts(b, json_object_get_boolean(v) ? "true" : "false"); return;
    case json_type_int:
        if (json_object_get_int64(v) == INT64_MAX && json_object_get_uint64(v) > INT64_MAX)
            gotk_buf_printf(b, "0x%llx", (unsigned long long)json_object_get_uint64(v)); /* uint64 */
        else
            gotk_buf_printf(b, "%lld", (long long)json_object_get_int64(v));
        return;
    case json_type_double: {
        double d = json_object_get_double(v);
        gotk_buf_puts(b, isnan(d) ? "NaN" : isinf(d) ? (d > 0 ? "+Inf" : "-Inf")
                                                      : gotk_go_float_g(d, num));
        return;
    }
    case json_type_string: kgo_quote(b, json_object_get_string(v)); return;
    case json_type_array:
        gotk_buf_puts(b, "[]interface {}{");
        for (size_t i = 0; i < karr_n(v); i++) {
            if (i)
                gotk_buf_puts(b, ", ");
            go_sharp(b, json_object_array_get_idx(v, i));
        }
        gotk_buf_puts(b, "}");
        return;
    default: break;
    }
    size_t n;
    const char **keys = ksorted_keys(v, &n);
    gotk_buf_puts(b, "map[string]interface {}{");
    for (size_t i = 0; i < n; i++) {
        gotk_buf_puts(b, i ? ", " : "");
        kgo_quote(b, keys[i]);
        gotk_buf_putc(b, ':');
        go_sharp(b, json_object_object_get(v, keys[i]));
    }
    gotk_buf_puts(b, "}");
    free(keys);
}

/* The first value JSON cannot hold, in encoding/json's order (sorted keys). */
static json_object *first_nonfinite(json_object *v)
{
    if (json_object_is_type(v, json_type_double))
        return isfinite(json_object_get_double(v)) ? NULL : v;
    if (json_object_is_type(v, json_type_array)) {
        for (size_t i = 0; i < karr_n(v); i++) {
            json_object *f = first_nonfinite(json_object_array_get_idx(v, i));
            if (f)
                return f;
        }
        return NULL;
    }
    if (!json_object_is_type(v, json_type_object))
        return NULL;
    json_object *best = NULL;
    const char *best_key = NULL;
    json_object_object_foreach(v, k, val) {
        json_object *f = first_nonfinite(val);
        if (f && (!best_key || strcmp(k, best_key) < 0)) {
            best = f;
            best_key = k;
        }
    }
    return best;
}

gotk_err *kcheck_nonfinite(const kmap *m)
{
    for (size_t i = 0; i < m->n; i++) {
        json_object *f = first_nonfinite(m->v[i]->obj);
        if (!f)
            continue;
        double d = json_object_get_double(f);
        gotk_buf b = {0};
        go_sharp(&b, m->v[i]->obj);
        gotk_err *e = gotk_err_new(GOTK_E_INVALID, "%s: json: unsupported value: %s", b.data,
                                   isnan(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf");
        gotk_buf_free(&b);
        return e;
    }
    return NULL;
}
