/*
 * obj: Kubernetes objects as json-c values, and YAML <-> JSON.
 *
 * Every object in gotk is a json_object tree. json-c keeps object keys in
 * insertion order, so a parsed manifest keeps the order it was written in; the
 * YAML emitter sorts keys only when asked (as kustomize's output does).
 *
 * Parsing follows what kustomize does to a manifest (go-yaml v3 decoding into
 * untyped values, then JSON): plain scalars are typed by YAML 1.2 core rules plus
 * go-yaml's extras (0755 octal, 0x1F, 1_000, timestamps turned into RFC 3339
 * strings), quoted and block scalars are strings, `yes`/`on` stay strings, anchors
 * and aliases are resolved, duplicate keys are an error. Floats carry the text Go's
 * encoding/json would print, so JSON output matches the Go tools byte for byte.
 * GOTK_YAML_PARSE_SIGS reads as Helm does instead (sigs.k8s.io/yaml: YAML 1.1).
 *
 * Emitting follows kustomize's output (sigs.k8s.io/yaml: JSON -> go-yaml v2):
 * 2-space indent, sequences at the parent key's column, YAML 1.1 words and other
 * ambiguous strings double-quoted, literal blocks for multi-line strings, plain
 * scalars folded at 80 columns. Layout and quoting are done by libyaml's emitter,
 * which go-yaml's emitter was ported from.
 *
 * Errors name the file, line and column: "deploy.yaml:3:7: mapping values are
 * not allowed in this context".
 */
#ifndef GOTK_OBJ_H
#define GOTK_OBJ_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "gotk/core.h"

/* ---- YAML in ----------------------------------------------------------- */

/* Parse a YAML stream into a new json array holding one value per document.
 * Empty documents (only comments, or nothing between `---`) are skipped.
 * `source` names the input in error messages (a file name, or NULL). */
gotk_err *gotk_yaml_parse(const char *data, size_t len, const char *source,
                          json_object **docs);
enum {
    /* Parse as sigs.k8s.io/yaml.Unmarshal into interface{} does (what Helm reads
     * Chart.yaml, values.yaml and -f files with): go-yaml v2, so YAML 1.1 scalar
     * resolution (yes/no/on/off/y/n are bools, 0777 octal, timestamps stay
     * strings), non-string keys turned into strings (1 -> "1", 1.5 -> "1.5" as
     * float32, true -> "true"), numbers as float64 (json doubles) after the trip
     * through JSON, a repeated key's last value wins, `<<` merges. Only the
     * first document is read, as Unmarshal does (docs holds one value, or none
     * for an empty or null document). Errors read as sigs.k8s.io/yaml's: "SOURCE: error converting
     * YAML to JSON: yaml: line 3: mapping values are not allowed in this
     * context" (no "SOURCE: " without a source). */
    GOTK_YAML_PARSE_SIGS = 1 << 0,
    /* Without SIGS: a repeated mapping key is no error and its first value
     * counts, as kustomize reads patches (kyaml nodes, looked up first-match). */
    GOTK_YAML_PARSE_FIRST_KEY = 1 << 1,
    /* With SIGS: sigs.k8s.io/yaml.UnmarshalStrict's go-yaml v2 pass, where a
     * repeated key is an error naming its value's line ("yaml: unmarshal
     * errors:\n  line 4: key \"kind\" already set in map"). */
    GOTK_YAML_PARSE_STRICT = 1 << 2,
    /* With SIGS (not STRICT): of the root mapping only apiVersion, kind and
     * metadata are built; the rest is read for its errors, which are the
     * same (Helm's manifest sorting reads a SimpleHead of each document). */
    GOTK_YAML_PARSE_HEAD = 1 << 3,
};
/* gotk_yaml_parse with flags (0: the same as gotk_yaml_parse). */
gotk_err *gotk_yaml_parse_flags(const char *data, size_t len, const char *source,
                                unsigned flags, json_object **docs);
/* Parse a stream that must hold exactly one document. */
gotk_err *gotk_yaml_parse_one(const char *data, size_t len, const char *source,
                              json_object **doc);
/* Read and parse a file. */
gotk_err *gotk_yaml_parse_file(const char *path, json_object **docs);
/* Whether s holds what go-yaml's reader refuses though Go's JSON encoder
 * writes it raw (DEL, C1 controls but NEL, U+FFFE, U+FFFF). */
bool gotk_yaml_reader_refuses(const char *s, size_t len);

/* ---- YAML out ---------------------------------------------------------- */

enum {
    /* Sort mapping keys the way go-yaml v2 does (kustomize's output order). */
    GOTK_YAML_SORT_KEYS = 1 << 0,
};

/* Append one document (no leading `---`) to `out`. */
gotk_err *gotk_yaml_emit(json_object *doc, unsigned flags, gotk_buf *out);
/* Append each element of the array `docs`, separated by "---\n". */
gotk_err *gotk_yaml_emit_stream(json_object *docs, unsigned flags, gotk_buf *out);
/* Convenience: one document as a new string the caller frees. Values from
 * json-c that YAML cannot hold (NaN, infinities) print as go-yaml prints them. */
char *gotk_yaml_to_string(json_object *doc, unsigned flags);

/* ---- JSON -------------------------------------------------------------- */

/* Parse JSON text; the error names the position. */
gotk_err *gotk_json_parse(const char *data, size_t len, json_object **out);
/* Compact JSON as Go's encoding/json prints it (no spaces, `<>&` escaped as
 * \u003c..., keys in their order,
 * floats in Go's format). Caller frees. */
char *gotk_json_to_string(json_object *o);

/* ---- values ------------------------------------------------------------ */

/* Walk a path of keys: gotk_obj_get(o, "metadata", "labels", "app", NULL).
 * Returns a borrowed pointer or NULL when any step is missing or not an object. */
json_object *gotk_obj_get(json_object *o, ...);
/* The same with a dotted path "spec.ref.branch" (keys cannot contain dots). */
json_object *gotk_obj_getp(json_object *o, const char *dotted);
/* String at a dotted path, or NULL when absent or not a string. */
const char *gotk_obj_get_str(json_object *o, const char *dotted);
/* Set the value at a dotted path, creating objects on the way; takes ownership
 * of `val`. Fails when a step exists and is not an object. */
gotk_err *gotk_obj_setp(json_object *o, const char *dotted, json_object *val);
/* Remove the key at a dotted path; returns whether it was there. */
bool gotk_obj_delp(json_object *o, const char *dotted);

/* Shrink a map's hash table or an array's slots to fit what it holds
 * (json-c starts them at 16 and 32): for containers built once and then
 * mostly read. */
void gotk_obj_fit(json_object *v);
/* An empty map or array sized for `entries` (as gotk_obj_fit leaves them). */
json_object *gotk_obj_new_map(int entries);
json_object *gotk_obj_new_list(size_t entries);
/* A deep copy that keeps key order, number text and Go int64 marks (its maps
 * and arrays sized as gotk_obj_fit's). */
json_object *gotk_obj_copy(json_object *o);
/* json ints stand for Go's int; these are marked as Go's int64 instead (Helm's
 * --set integers, fromToml's): the mark is json-c userdata that copies keep. */
json_object *gotk_obj_new_go_int64(int64_t v);
bool gotk_obj_is_go_int64(json_object *j);
/* Structural equality: objects compare regardless of key order; 1 == 1.0. */
bool gotk_obj_equal(json_object *a, json_object *b);
/* JSON merge patch (RFC 7386) of `patch` into `dst`: objects merge, null
 * deletes, anything else replaces. `patch` is not modified. */
void gotk_obj_merge(json_object *dst, json_object *patch);

/* Go's formatting of a float64 for encoding/json ('f' or 'e' as Go chooses).
 * `out` needs 32 bytes. */
char *gotk_go_json_float(double d, char out[32]);
/* Go's strconv.FormatFloat(d, 'g', -1, 64). `out` needs 32 bytes. */
char *gotk_go_float_g(double d, char out[32]);

#endif
