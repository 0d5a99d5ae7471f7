/*
 * table_format.c: how Kubernetes' printers format values in Table cells:
 * human durations, label maps (labels.FormatLabels), label selectors
 * (metav1.FormatLabelSelector), joined lists; and small JSON accessors the
 * kind printers of table_builtins.c share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "table_format.h"

json_object *table_coldef(const char *name, const char *type, const char *format,
                          const char *desc, int priority)
{
    json_object *c = json_object_new_object();
    jx_set_str(c, "name", name);
    jx_set_str(c, "type", type);
    jx_set_str(c, "format", format);
    jx_set_str(c, "description", desc);
    json_object_object_add(c, "priority", json_object_new_int(priority));
    return c;
}

/* Seconds from one RFC 3339 timestamp to another (or to now); false if unparsable. */
static bool seconds_between(const char *from, const char *to, long long *secs)
{
    struct tm a = {0}, b = {0};
    if (!from || !strptime(from, "%Y-%m-%dT%H:%M:%SZ", &a))
        return false;
    if (to && !strptime(to, "%Y-%m-%dT%H:%M:%SZ", &b))
        return false;
    *secs = (long long)((to ? timegm(&b) : time(NULL)) - timegm(&a));
    return true;
}

/* A human duration ("5m") of a span, or "<unknown>". */
json_object *table_span_cell(const char *from, const char *to)
{
    char buf[32];
    long long s;
    if (!seconds_between(from, to, &s))
        return json_object_new_string("<unknown>");
    gotk_duration_human(s < 0 ? 0 : s, buf);
    return json_object_new_string(buf);
}

json_object *table_age_cell(const char *ts)
{
    return table_span_cell(ts, NULL);
}

json_object *table_at(json_object *o, const char *a, const char *b)
{
    return b ? jx_get(jx_get(o, a), b) : jx_get(o, a);
}

json_object *table_str_or(const char *s, const char *dflt)
{
    return json_object_new_string(s ? s : dflt);
}

long long table_int_of(json_object *v, long long dflt)
{
    return v ? json_object_get_int64(v) : dflt;
}

size_t table_arr_len(json_object *a)
{
    return a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

/* The buffer's text as a cell ("" when empty), freeing the buffer. */
json_object *table_buf_cell(gotk_buf *b, const char *empty)
{
    json_object *c = json_object_new_string(b->len ? b->data : empty);
    gotk_buf_free(b);
    return c;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void table_sort_strings(const char **v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_str);
}

/* A map's keys, sorted (caller frees the array, not the keys). */
const char **table_sorted_keys(json_object *m, size_t *n)
{
    *n = m && json_object_is_type(m, json_type_object) ? (size_t)json_object_object_length(m) : 0;
    const char **keys = gotk_xcalloc(*n + 1, sizeof *keys);
    size_t i = 0;
    if (*n) {
        json_object_object_foreach(m, k, v) {
            (void)v;
            keys[i++] = k;
        }
    }
    qsort(keys, *n, sizeof *keys, cmp_str);
    return keys;
}

/* A label map as labels.FormatLabels prints it: sorted "k=v,...", or "<none>". */
json_object *table_labels_cell(json_object *m)
{
    size_t n;
    const char **keys = table_sorted_keys(m, &n);
    gotk_buf b = {0};
    for (size_t i = 0; i < n; i++)
        gotk_buf_printf(&b, "%s%s=%s", i ? "," : "", keys[i], jx_get_str(m, keys[i]));
    free(keys);
    return table_buf_cell(&b, "<none>");
}

/* One matchExpressions requirement as the label selector grammar writes it. */
static char *requirement_text(json_object *e)
{
    const char *key = jx_get_str(e, "key"), *op = jx_get_str(e, "operator");
    json_object *vals = jx_get(e, "values");
    key = key ? key : "";
    op = op ? op : "";
    if (!strcmp(op, "Exists"))
        return gotk_xstrdup(key);
    if (!strcmp(op, "DoesNotExist"))
        return gotk_xasprintf("!%s", key);
    size_t n = table_arr_len(vals);
    char **v = gotk_xcalloc(n + 1, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = (char *)json_object_get_string(json_object_array_get_idx(vals, i));
    qsort(v, n, sizeof *v, cmp_str);
    gotk_buf b = {0};
    gotk_buf_printf(&b, "%s %s (", key, !strcmp(op, "NotIn") ? "notin" : "in");
    for (size_t i = 0; i < n; i++)
        gotk_buf_printf(&b, "%s%s", i ? "," : "", v[i]);
    gotk_buf_putc(&b, ')');
    free(v);
    return gotk_buf_steal(&b);
}

/* Requirements sort by key, as the label selector keeps them. */
static int cmp_requirement(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    x += *x == '!';
    y += *y == '!';
    size_t nx = strcspn(x, "= "), ny = strcspn(y, "= ");
    int c = strncmp(x, y, nx < ny ? nx : ny);
    return c ? c : (nx > ny) - (nx < ny);
}

/* A LabelSelector as metav1.FormatLabelSelector prints it, "<none>" if empty. */
json_object *table_selector_cell(json_object *ls)
{
    json_object *ml = jx_get(ls, "matchLabels"), *me = jx_get(ls, "matchExpressions");
    size_t nl, ne = table_arr_len(me), n = 0;
    const char **keys = table_sorted_keys(ml, &nl);
    char **reqs = gotk_xcalloc(nl + ne + 1, sizeof *reqs);
    for (size_t i = 0; i < nl; i++)
        reqs[n++] = gotk_xasprintf("%s=%s", keys[i], jx_get_str(ml, keys[i]));
    for (size_t i = 0; i < ne; i++)
        reqs[n++] = requirement_text(json_object_array_get_idx(me, i));
    qsort(reqs, n, sizeof *reqs, cmp_requirement);
    gotk_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        gotk_buf_printf(&b, "%s%s", i ? "," : "", reqs[i]);
        free(reqs[i]);
    }
    free(reqs);
    free(keys);
    return table_buf_cell(&b, "<none>");
}

/* A member of each array element joined with ",". */
json_object *table_joined_cell(json_object *arr, const char *member)
{
    gotk_buf b = {0};
    for (size_t i = 0; i < table_arr_len(arr); i++) {
        const char *s = jx_get_str(json_object_array_get_idx(arr, i), member);
        gotk_buf_printf(&b, "%s%s", i ? "," : "", s ? s : "");
    }
    return table_buf_cell(&b, "");
}
