/*
 * helm: Helm charts rendered as `helm template` (Helm v3.17.3) renders them.
 *
 * Loading (loader.Load): a chart directory (with its .helmignore) or a .tgz
 * (entries outside the chart refused as Helm refuses them). Chart.yaml (v1 and
 * v2, with requirements.yaml for v1) is validated as chart.Metadata.Validate
 * does; values.yaml is read as sigs.k8s.io/yaml reads it (numbers are float64);
 * templates/, crds/ and charts/ (subchart directories and archives) are split
 * out as Helm's LoadFiles splits them, everything else becomes .Files.
 *
 * Values (pkg/cli/values, pkg/strvals, pkg/chartutil): -f files merged in
 * order, then --set-json, --set, --set-string and --set-file with Helm's
 * parser (ints from --set are int64, as Helm's are); dependencies enabled by
 * condition and tags, aliases, import-values; chart defaults coalesced with
 * user values and globals as coalesce.go does (a null deletes a default);
 * values.schema.json checked (JSON Schema draft 7, the keywords real charts
 * use) with Helm's error text.
 *
 * Rendering (pkg/engine, pkg/action): every template of the chart and its
 * enabled subcharts parsed into one set (deepest paths first), executed with
 * .Values, .Release, .Chart, .Capabilities, .Files, .Template, .Subcharts;
 * NOTES.txt dropped; manifests split, hooks set apart and everything sorted
 * in Helm's install order; printed with "# Source:" headers as `helm
 * template` prints them. Errors carry Helm's wording ("execution error at
 * (...)", "parse error at (...)", "values don't meet the specifications ...").
 */
#ifndef GOTK_HELM_H
#define GOTK_HELM_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "gotk/core.h"
#include "gotk/template.h"

/* ---- charts ------------------------------------------------------------- */

typedef struct gotk_helm_chart gotk_helm_chart;

/* Load a chart from a directory or a .tgz file, as loader.Load. */
gotk_err *gotk_helm_load(const char *path, gotk_helm_chart **out);
/* Load a chart from a gzip'd tarball held in memory, as loader.LoadArchive. */
gotk_err *gotk_helm_load_archive(const void *data, size_t len, gotk_helm_chart **out);
void gotk_helm_chart_free(gotk_helm_chart *c);
/* Chart.yaml's name. */
const char *gotk_helm_chart_name(const gotk_helm_chart *c);
/* chart.Metadata's Go field names for Chart.yaml's keys (its json tags), as
 * .Chart.Metadata is tagged for toJson/toYaml. */
extern const gotk_tpl_json_field gotk_helm_metadata_json[];
/* Chart.yaml's deprecated: true (helm template then warns). */
bool gotk_helm_chart_deprecated(const gotk_helm_chart *c);

/* ---- values ------------------------------------------------------------- */

/* The kinds of command-line value, as Helm's flags. */
typedef enum {
    GOTK_HELM_SET = 0,    /* --set: typed (true, false, null, int64, string) */
    GOTK_HELM_SET_STRING, /* --set-string: every value a string */
    GOTK_HELM_SET_FILE,   /* --set-file: values name files whose text is the value */
    GOTK_HELM_SET_JSON,   /* --set-json: values are JSON */
    GOTK_HELM_SET_LITERAL, /* --set-literal: one key, the rest is its string value */
} gotk_helm_set_kind;

/* Parse one --set style argument ("a.b=1,c[0]=x") into the map `dest`, as
 * strvals.ParseInto and friends. Errors are strvals' ("key \"a\" has no
 * value"), without the "failed parsing --set data" prefix. */
gotk_err *gotk_helm_strvals(const char *s, gotk_helm_set_kind kind, json_object *dest);

/* What the user gives, in Helm's order of precedence (lowest first). */
typedef struct {
    const char *const *files;       /* -f/--values, NULL-terminated, "-" is stdin */
    const char *const *set_json;    /* --set-json */
    const char *const *set;         /* --set */
    const char *const *set_string;  /* --set-string */
    const char *const *set_file;    /* --set-file */
    const char *const *set_literal; /* --set-literal */
} gotk_helm_value_opts;

/* Merge user values as `helm template` does (values.Options.MergeValues).
 * `*out` is a new map; errors have Helm's wording. */
gotk_err *gotk_helm_user_values(const gotk_helm_value_opts *o, json_object **out);

/* Helm's mergeMaps for -f files: b over a, maps merged deeply, a new map. */
json_object *gotk_helm_merge_maps(json_object *a, json_object *b);
/* chartutil.CoalesceTables (merge false) or MergeTables (merge true): fill
 * `dst` from `src` in place; with merge false a null in dst deletes the key. */
void gotk_helm_coalesce_tables(json_object *dst, json_object *src, bool merge);
/* chartutil.CoalesceValues: the chart's (and its subcharts') defaults under
 * `vals` (not modified), with globals passed down. `*out` is new. */
gotk_err *gotk_helm_coalesce_values(const gotk_helm_chart *c, json_object *vals,
                                    json_object **out);

/* ---- rendering ----------------------------------------------------------- */

typedef struct {
    const char *release_name; /* NULL: "release-name" */
    const char *namespace_;   /* NULL: "default" */
    bool is_upgrade;
    const char *kube_version;           /* "v1.30.0", "1.30"; NULL: Helm's default */
    const char *const *api_versions;    /* extra, NULL-terminated; may be NULL */
    bool no_hooks, skip_tests, include_crds, skip_schema_validation;
    const char *const *show_only;       /* templates to show (globs), NULL-terminated */
    /* --debug: a rendering error leaves what was rendered in `out` (the files
     * when a manifest is not valid YAML) and comes without the hint to use
     * --debug, as helm template --debug prints them. */
    bool debug;
    /* More template functions, added after Helm's: gotk_template_enable_dns
     * for --enable-dns. A hook rather than a flag, so that programs that never
     * resolve names do not link the resolver. */
    void (*add_funcs)(gotk_tpl_set *set);
    /* Where Helm's log warnings go, one a line as its log prints them
     * ("coalesce.go:298: warning: cannot overwrite table with non table for
     * ..."); NULL drops them. */
    gotk_buf *warnings;
} gotk_helm_template_opts;

/* A hook: a document annotated helm.sh/hook with known events. */
typedef struct {
    char *path;          /* the template it came from: "chart/templates/x.yaml" */
    char *kind, *name;   /* of the document ("" when absent) */
    char *manifest;      /* the YAML document */
    char *events;        /* helm.sh/hook, lowercased and trimmed: "pre-install,post-upgrade" */
    int weight;          /* helm.sh/hook-weight (0 when absent) */
    char *delete_policy; /* helm.sh/hook-delete-policy as written ("" when absent) */
    bool test;           /* one of the events is test (or test-success) */
} gotk_helm_hook;

/* What Helm's install (dry run, client only) makes of a chart. */
typedef struct {
    /* rel.Manifest: every non-hook document in install order as
     * "---\n# Source: PATH\nDOCUMENT\n" (CRDs first with include_crds); after a
     * failed sort, every rendered file. */
    char *manifest;
    gotk_helm_hook *hooks; /* sorted by kind, as Helm keeps them */
    size_t nhooks;
    char *notes;           /* the chart's own templates/NOTES.txt rendered, or "" */
    json_object *values;   /* the coalesced values the templates saw */
} gotk_helm_release;

/* Render the chart with user values (a map from gotk_helm_user_values; not
 * modified). The chart's dependencies are processed (disabled subcharts
 * dropped), so a chart is rendered once. Errors before rendering leave *out
 * NULL; when rendering itself fails, *out holds what Helm's release holds
 * (the manifest is the rendered files when they could not be sorted). */
gotk_err *gotk_helm_render(gotk_helm_chart *c, json_object *user_values,
                           const gotk_helm_template_opts *o, gotk_helm_release **out);
void gotk_helm_release_free(gotk_helm_release *rel);

/* gotk_helm_render, then append exactly what `helm template` prints to
 * `out` (errors from rendering carry Helm's hint to use --debug, unless
 * o->debug, which prints what was rendered instead). */
gotk_err *gotk_helm_template(gotk_helm_chart *c, json_object *user_values,
                             const gotk_helm_template_opts *o, gotk_buf *out);

/* Helm's release name check (chartutil.ValidateReleaseName), with Helm's text. */
gotk_err *gotk_helm_validate_release_name(const char *name);

#endif
