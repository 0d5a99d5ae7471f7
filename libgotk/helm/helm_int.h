/*
 * helm_int.h: what the helm module's files share (not part of the API).
 */
#ifndef GOTK_HELM_INT_H
#define GOTK_HELM_INT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "gotk/core.h"
#include "gotk/helm.h"

/* One file of a chart: a path relative to the chart root and its bytes. */
/* A chart file. Its bytes are a json-c string, so that .Files hands templates
 * the same bytes (a reference, not a copy) and the aliases of a chart share
 * them; data is that string's text (NUL-terminated after len bytes). */
typedef struct {
    char *name;
    json_object *bytes;
    const char *data;
    size_t len;
} helm_file;

typedef struct {
    helm_file *v;
    size_t n, cap;
} helm_files;

gotk_err *helm_files_add(helm_files *fs, const char *name, const char *data, size_t len);
/* Add src's bytes under `name` without copying them (they are reference-counted). */
void helm_files_share(helm_files *fs, const char *name, const helm_file *src);
void helm_files_free(helm_files *fs);

struct gotk_helm_chart {
    json_object *meta;   /* chart.Metadata, keys as in Chart.yaml (name, version, ...) */
    json_object *values; /* values.yaml: a map, float64 numbers */
    bool values_shared;  /* values may hold objects of other charts' values */
    const char *schema;  /* values.schema.json (bytes of a helm_file), or NULL */
    size_t schema_len;
    json_object *schema_bytes; /* the reference that keeps them */
    helm_files templates; /* templates/... */
    helm_files files;     /* everything else, for .Files and crds/ */
    gotk_helm_chart **deps;
    size_t ndeps;
    gotk_helm_chart *parent;
    char *load_log; /* what Helm logged loading it (symlinks, requirements.yaml), or NULL */
};

/* chart.go helpers */
const char *helm_chart_name(const gotk_helm_chart *c);
/* "parent/charts/child" (ChartFullPath). Caller frees. */
char *helm_chart_full_path(const gotk_helm_chart *c);
bool helm_chart_is_library(const gotk_helm_chart *c);
/* LoadFiles: a chart from its files (names relative to the chart root). */
gotk_err *helm_load_files(helm_files *fs, gotk_helm_chart **out);
/* A shallow copy of a chart sharing everything but metadata (for aliases). */
gotk_helm_chart *helm_chart_alias(gotk_helm_chart *c, const char *alias);

/* chartutil.IsCompatibleRange */
bool helm_compatible_range(const char *constraint, const char *version);

/* Dependencies: enable/disable and import values (ProcessDependenciesWithMerge). */
gotk_err *helm_process_dependencies(gotk_helm_chart *c, json_object *vals);

/* copystructure.Copy of values: the maps and lists are copied, the scalars
 * in them shared (nothing changes a json-c scalar in place: templates and
 * coalescing replace them in their containers), so that the copies of a
 * chart's values, one for each of its aliases, hold no copies of its text. */
json_object *helm_copy_values(json_object *v);

/* Coalesce `vals` (owned, modified) with chart defaults; returns it. With
 * `share`, as helm_coalesce_shared: what it does not write into is shared. */
json_object *helm_coalesce(const gotk_helm_chart *c, json_object *vals, bool merge, bool share);
/* gotk_helm_coalesce_values for the last time: the result takes the chart's
 * values themselves instead of copies (each chart's are its own, see
 * helm_chart_alias), and the charts (c and its subcharts) let go of their
 * values (NULL after), which nothing reads after this. */
gotk_err *helm_coalesce_final(gotk_helm_chart *c, json_object *vals, json_object **out);
/* gotk_helm_coalesce_values for a result that is only read and dropped before
 * the charts' values change: it shares the defaults it does not write into. */
gotk_err *helm_coalesce_shared(const gotk_helm_chart *c, json_object *vals, json_object **out);

/* values.schema.json validation of the whole tree: error as Helm's
 * ValidateAgainstSchema, or NULL. */
gotk_err *helm_validate_schema(const gotk_helm_chart *c, json_object *vals);
/* One schema against one values map: "- field: message\n" lines appended to
 * out; returns false on an unusable schema (message in out). */
bool helm_schema_check(const char *schema, size_t len, json_object *vals, gotk_buf *out);
/* schema_check.c: gojsonschema's reading of the bytes (one JSON value, its
 * errors: "EOF", "unexpected EOF") and its refusals of a schema ("minimum
 * must be of a number"...): true with the message in err when it refuses. */
bool helm_schema_json(const char *s, size_t len, json_object **root, gotk_buf *err);
bool helm_schema_invalid(json_object *root, int draft, gotk_buf *err);
/* A "#/a/b" $ref's target in root (tokens unescaped: %XX, ~1, ~0); NULL for
 * another document's, or with *bad (to free) the token found nowhere. */
json_object *helm_schema_pointer(json_object *root, const char *ref, char **bad);
/* The "format" checkers (schema_format.c): whether gojsonschema knows f, and
 * whether string s (n bytes) passes it (formats it does not know pass). */
bool helm_schema_known_format(const char *f);
bool helm_schema_format_ok(const char *f, const char *s, size_t n);

/* Manifests: a rendered file split into documents (SplitManifests). */
typedef struct {
    char **docs;
    size_t n;
} helm_docs;
void helm_split_manifests(const char *s, size_t len, helm_docs *out);
void helm_docs_free(helm_docs *d);

/* Helm's log.Printf warnings: helm_warnf appends "FILE.go:LINE: message\n"
 * (log.Lshortfile) to the sink gotk_helm_render set for this thread, if any. */
gotk_buf *helm_warn_sink(gotk_buf *sink); /* returns the one it replaces */
void helm_warnf(const char *fmt, ...) GOTK_PRINTF(1, 2);
/* Whether a sink takes warnings (to skip composing them otherwise). */
bool helm_warn_wanted(void);
/* Go's %v of a values tree (for warnings), appended. */
void helm_go_sprint(gotk_buf *b, json_object *v);

/* Go's strconv.Quote. */
void helm_go_quote(gotk_buf *b, const char *s, size_t len);
/* Go's type name for a json value as Helm's values hold it. */
const char *helm_go_type(json_object *j);
/* encoding/json's name for a value's JSON type ("array", "object", "number"...). */
const char *helm_json_kind(json_object *v);
/* Go's filepath.Match(pattern, name) without errors (bad pattern: false). */
bool helm_path_match(const char *pattern, const char *name);
/* Go's *fs.PathError text: "open x: no such file or directory". */
gotk_err *helm_os_error(const char *op, const char *path, int errnum);
/* Parse YAML the way sigs.k8s.io/yaml does into one value (NULL for empty). */
gotk_err *helm_yaml_one(const char *data, size_t len, const char *source, json_object **out);
/* helm_yaml_one for a releaseutil.SimpleHead: only apiVersion, kind and
 * metadata are read into *out (the errors are helm_yaml_one's). */
gotk_err *helm_yaml_head(const char *data, size_t len, json_object **out);

/* A rendered template file. */
typedef struct {
    char *name; /* "chart/templates/x.yaml" */
    char *text;
    size_t len;
} helm_rendered;

/* One document of a rendered file, with what SortManifests read of it. */
typedef struct {
    const char *path; /* the file's name (borrowed) */
    char *content;
    char *kind;
    int rank; /* the kind's place in InstallOrder, -1 when not there */
    bool test; /* a hook for the "test" event */
} helm_manifest;

typedef struct {
    helm_manifest *v;
    size_t n, cap;
} helm_manifest_list;

typedef struct {
    helm_manifest_list generic, hooks;
} helm_sorted;

/* releaseutil.SortManifests with InstallOrder. */
gotk_err *helm_sort_manifests(helm_rendered *files, size_t n, helm_sorted *out);
void helm_sorted_free(helm_sorted *s);

/* A template to render: its full name, text (borrowed from the chart), the
 * data it runs with (borrowed from the table), its .Template.BasePath, and
 * for a subchart the parent's .Subcharts entry (the same map in Helm, there
 * typed map[string]interface{} rather than chartutil.Values), or NULL. */
typedef struct {
    char *name;
    const char *text;
    size_t len;
    json_object *vals;
    char *base_path;
    json_object *as_subchart;
    const gotk_helm_chart *chart; /* whose template it is */
} helm_tpl;

/* A subchart's .Values (view) over its parent's map (src), and the entries
 * both had when last in step (values_view.c). */
typedef struct {
    const gotk_helm_chart *chart;
    json_object *view, *src, *seen;
} helm_values_view;

/* A .Files map and the files it was made of. */
typedef struct {
    const helm_files *of;
    json_object *map;
} helm_tpl_files;

typedef struct {
    helm_tpl *v;
    size_t n, cap;
    json_object **dots; /* the subcharts' dots, which the table owns */
    size_t ndots;
    helm_tpl_files *files; /* the .Files maps made so far (shared by aliases) */
    size_t nfiles;
    helm_values_view *views;
    size_t nviews;
} helm_tpls;

/* values_view.c: record a subchart's .Values over its parent's map; after a
 * template of chart `ran` has run, bring every view of ran and its
 * subcharts in step with its parent's map; and let go of them. */
void helm_view_add(helm_tpls *t, const gotk_helm_chart *c, json_object *view, json_object *src);
void helm_views_sync(helm_tpls *t, const gotk_helm_chart *ran);
void helm_views_free(helm_tpls *t);

/* .Chart of a chart: chart.Metadata's fields with Go names, plus IsRoot. */
json_object *helm_chart_object(const gotk_helm_chart *c);
/* recAllTpls: every template of c and its subcharts into t; `top` holds
 * Values, Release and Capabilities. Returns the root's data (caller puts). */
json_object *helm_all_templates(const gotk_helm_chart *c, json_object *top, helm_tpls *t);
void helm_tpls_free(helm_tpls *t);
/* Engine.render: parse all, execute every non-partial. */
gotk_err *helm_render(helm_tpls *t, void (*add_funcs)(gotk_tpl_set *set), helm_rendered **out,
                      size_t *nout);
void helm_rendered_free(helm_rendered *r, size_t n);

#endif
