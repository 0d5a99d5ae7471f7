/*
 * table_format.h: value formatting for Table cells as Kubernetes' printers do
 * it (durations, label maps, label selectors, joined lists), and the small JSON
 * accessors the built-in kind printers share.
 */
#ifndef GOTK_APISERVER_TABLE_FORMAT_H
#define GOTK_APISERVER_TABLE_FORMAT_H

#include "apiserver.h"

/* One Table column definition. */
json_object *table_coldef(const char *name, const char *type, const char *format,
                          const char *desc, int priority);
/* Age of an RFC 3339 timestamp as a human duration, or "<unknown>". */
json_object *table_age_cell(const char *ts);
/* The human duration from one timestamp to another (to NULL: now). */
json_object *table_span_cell(const char *from, const char *to);

/* o.a.b (b may be NULL). */
json_object *table_at(json_object *o, const char *a, const char *b);
/* A string cell, dflt when s is NULL. */
json_object *table_str_or(const char *s, const char *dflt);
/* An integer, dflt when absent. */
long long table_int_of(json_object *v, long long dflt);
/* An array's length, 0 for anything else. */
size_t table_arr_len(json_object *a);
/* The buffer's text as a cell (`empty` when empty); frees the buffer. */
json_object *table_buf_cell(gotk_buf *b, const char *empty);
/* Sort strings bytewise, as Go's sort.Strings. */
void table_sort_strings(const char **v, size_t n);
/* A map's keys, sorted; the caller frees the array, not the keys. */
const char **table_sorted_keys(json_object *m, size_t *n);

/* A label map as labels.FormatLabels prints it: sorted "k=v,...", or "<none>". */
json_object *table_labels_cell(json_object *m);
/* A LabelSelector as metav1.FormatLabelSelector prints it, "<none>" if empty. */
json_object *table_selector_cell(json_object *ls);
/* A member of each array element joined with ",". */
json_object *table_joined_cell(json_object *arr, const char *member);

#endif
