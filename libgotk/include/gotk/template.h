/*
 * template: Go's text/template language in C.
 *
 * A gotk_tpl_set holds named templates (Go's *template.Template and its
 * associated templates), the function table and the options. Parse text into it
 * (each {{define}} adds a named template), then execute one template by name
 * against data held in json-c objects.
 *
 * Values keep the Go type distinctions templates can observe: int (template
 * literals, len) vs int64 vs float64 (numbers from JSON/YAML, as Helm sees them),
 * string, bool, nil, map[string]interface{} and []interface{}. json-c's int is
 * Go's int (Go's int64 when marked with gotk_obj_new_go_int64, as Helm's --set
 * integers) and its double is float64; a caller that wants Helm's view of
 * values converts its ints to doubles first (gotk_template_floatify).
 *
 * Output and errors are Go's byte for byte: `%v` of maps and slices, `<no value>`,
 * printf verbs, and messages such as
 *   template: x:3:12: executing "x" at <.Values.x.y>: nil pointer evaluating interface {}.y
 *   template: x:1: function "foo" not defined
 *
 * Values of Go named types (Helm's .Files, .Capabilities, .Chart, semver's
 * *Version) are json objects tagged with gotk_tpl_tag: fields resolve as on Go
 * structs, methods registered with gotk_template_add_method are called as Go
 * calls them ({{ .Files.Get "x" }}, {{ "x" | .Files.Get }}), and a String
 * method prints them.
 *
 * Functions: the builtins (and, or, not, len, index, slice, print, printf,
 * println, eq, ne, lt, le, gt, ge, html, js, urlquery, call) are always present;
 * callers add their own with gotk_template_add_func, declaring Go parameter types
 * so that argument conversion and its errors behave as in Go.
 * gotk_template_add_sprig adds Sprig's library and gotk_template_add_helm Helm's
 * functions on top (include, tpl, required, fail, toYaml, ...).
 *
 * The language is Go 1.23's (what Helm 3.17 is built with), so {{range}} over
 * an integer is an error, as there. Nesting is bounded to stay
 * within the C stack: 1000 parentheses (Go: 10000), 1000 nested control
 * blocks (Go: none), 2000 nested template calls (Go: 100000, same message).
 */
#ifndef GOTK_TEMPLATE_H
#define GOTK_TEMPLATE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gotk/core.h"

/* The Go type of a value, as far as templates can tell them apart. */
typedef enum {
    GOTK_TPL_INVALID = 0, /* no value at all (a missing map key): prints <no value> */
    GOTK_TPL_NIL,         /* a nil interface{} */
    GOTK_TPL_BOOL,
    GOTK_TPL_INT,     /* Go int */
    GOTK_TPL_INT64,   /* Go int64 */
    GOTK_TPL_UINT8,   /* Go uint8 (a byte of a string, from index) */
    GOTK_TPL_FLOAT64, /* Go float64 */
    GOTK_TPL_STRING,
    GOTK_TPL_MAP,   /* map[string]interface{}; j may be NULL for a nil map */
    GOTK_TPL_SLICE, /* []interface{}; j may be NULL for a nil slice */
} gotk_tpl_kind;

/* A value during execution. `j` is borrowed: it lives as long as the data passed
 * to execute, or as long as the execution when a function made it. `iface` says
 * the value sits in an interface{} slot (a map or slice element), which changes
 * some of Go's error messages ("interface {}" instead of the concrete type). */
typedef struct {
    gotk_tpl_kind kind;
    bool iface;
    json_object *j;
    const char *tname; /* Go type when not the kind's default ("[]string"), or NULL */
} gotk_tpl_val;

typedef struct gotk_tpl_set gotk_tpl_set;
/* The execution a function runs in: use it to make result values. */
typedef struct gotk_tpl_exec gotk_tpl_exec;

/* A function callable from templates. `argv` holds `argc` arguments already
 * converted to the declared parameter types; set *result and return NULL, or
 * return an error (the executor reports "error calling NAME: MESSAGE"). */
typedef gotk_err *(*gotk_tpl_fn)(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv,
                                 gotk_tpl_val *result, void *ud);

/* A new empty set with the builtin functions. */
gotk_tpl_set *gotk_template_new(void);
void gotk_template_free(gotk_tpl_set *set);

/* Add or replace a function. `params` lists Go parameter types, one letter each:
 *   v interface{}   r reflect.Value (sees missing values as such)
 *   s string  i int  I int64  f float64  b bool  m map[string]interface{}
 *   l []interface{}  V chartutil.Values (a map, named as Helm's type)
 *   t time.Time (a map tagged "time.Time", as Sprig's dates are)
 * and a trailing "..." makes the last one variadic: "s v...". */
void gotk_template_add_func(gotk_tpl_set *set, const char *name, const char *params,
                            gotk_tpl_fn fn, void *ud);
/* Add Sprig's functions (github.com/Masterminds/sprig v3) as Helm has them:
 * all but env and expandenv. */
void gotk_template_add_sprig(gotk_tpl_set *set);
/* Add Helm's functions (and Sprig's): include, tpl, required, fail, toYaml,
 * fromYaml, fromJson, lookup. Names the set "gotpl" unless it has a name.
 * required and fail fail with "HELM[message]HELM", as in Helm, whose engine
 * turns such errors into "execution error at (LOCATION): message". */
void gotk_template_add_helm(gotk_tpl_set *set);
/* Make getHostByName look names up (Helm's --enable-dns); without this it
 * returns "", as Helm's engine does by default. */
void gotk_template_enable_dns(gotk_tpl_set *set);
/* encoding/json's syntax check of s (json.Valid): false with Go's message
 * ("invalid character '}' looking for beginning of object key string",
 * "unexpected end of JSON input") appended to err. */
bool gotk_template_json_valid(const char *s, size_t len, gotk_buf *err);
/* Remove every "<no value>" from b, as Helm's engine does with what a
 * template wrote (and tpl with what it renders). */
void gotk_template_strip_no_value(gotk_buf *b);
/* Options as Go's Template.Option: "missingkey=default|invalid|zero|error". */
gotk_err *gotk_template_option(gotk_tpl_set *set, const char *opt);
/* Action delimiters for later parses; NULL or "" restores "{{" / "}}". */
void gotk_template_delims(gotk_tpl_set *set, const char *left, const char *right);

/* Parse `text` as the template `name` (and any templates it defines) into the
 * set, as Go's t.New(name).Parse(text). A template already defined is replaced,
 * except by an empty one. */
gotk_err *gotk_template_parse(gotk_tpl_set *set, const char *name, const char *text,
                              size_t len);
/* gotk_template_parse without copying text: the set's templates point into
 * it, so it must stay unchanged until the set is freed (a chart's files). */
gotk_err *gotk_template_parse_borrowed(gotk_tpl_set *set, const char *name, const char *text,
                                       size_t len);
/* Name the set, as Go's root template (Helm's is "gotpl"); it appears in
 * `no template "x" associated with template "gotpl"`. */
void gotk_template_set_name(gotk_tpl_set *set, const char *name);
/* A copy with the same templates, functions and options, to parse more into
 * without touching the original (Helm's tpl). The original must outlive it. */
gotk_tpl_set *gotk_template_clone(const gotk_tpl_set *set);
/* Whether the set has a non-empty template of that name. */
bool gotk_template_has(const gotk_tpl_set *set, const char *name);

/* Execute the template `name` with `data` as dot, appending to `out`. On error
 * `out` holds the output written so far. `data` may be NULL (nil). */
gotk_err *gotk_template_execute(gotk_tpl_set *set, const char *name, json_object *data,
                                gotk_buf *out);

/* ---- for functions ----------------------------------------------------- */

/* Execute template `name` of `set` (NULL: the execution's own set) with dot as
 * data, appending to out: a nested execution, as Helm's include and tpl make.
 * Errors are the nested execution's, as text/template reports them. */
gotk_err *gotk_tpl_exec_template(gotk_tpl_exec *ex, gotk_tpl_set *set, const char *name,
                                 gotk_tpl_val dot, gotk_buf *out);
/* How many enclosing nested executions were started with template `name`
 * (for Helm's include recursion limit). */
int gotk_tpl_exec_nesting(const gotk_tpl_exec *ex, const char *name);
/* The set an execution runs. */
gotk_tpl_set *gotk_tpl_exec_set(gotk_tpl_exec *ex);

/* Result values owned by the execution. */
gotk_tpl_val gotk_tpl_string(gotk_tpl_exec *ex, const char *s, size_t len);
gotk_tpl_val gotk_tpl_int(gotk_tpl_exec *ex, int64_t i);
gotk_tpl_val gotk_tpl_int64(gotk_tpl_exec *ex, int64_t i);
gotk_tpl_val gotk_tpl_float(gotk_tpl_exec *ex, double d);
gotk_tpl_val gotk_tpl_bool(gotk_tpl_exec *ex, bool b);
gotk_tpl_val gotk_tpl_nil(void);
/* Wrap a json value the execution takes ownership of (one reference). */
gotk_tpl_val gotk_tpl_own(gotk_tpl_exec *ex, json_object *j);
/* A value viewing borrowed json (a map or slice element: iface is set). */
gotk_tpl_val gotk_tpl_from_json(json_object *j, bool iface);

/* Go's truth: false, 0, nil, and empty strings, maps and slices are false. */
bool gotk_tpl_truth(gotk_tpl_val v);
/* Go's type name: "int", "float64", "map[string]interface {}", "<nil>"... */
const char *gotk_tpl_type_name(gotk_tpl_val v);
/* fmt.Sprint / Sprintf / Sprintln of values, appended to out. */
void gotk_tpl_sprint(gotk_buf *out, int argc, const gotk_tpl_val *argv);
void gotk_tpl_sprintf(gotk_buf *out, const char *format, size_t flen, int argc,
                      const gotk_tpl_val *argv);
void gotk_tpl_sprintln(gotk_buf *out, int argc, const gotk_tpl_val *argv);

/* ---- values of Go named types ----------------------------------------- */

/* Mark `j` (a json object or array inside the data; other json types are left
 * alone) as a value of the Go named type `go_type` (e.g. "*chart.Metadata",
 * "engine.files"), which must be a static string. The mark lives in j's json-c
 * userdata (copies of j do not have it). A struct type (is_struct; j an object
 * holding the fields in Go's order) fails on fields it lacks as Go does
 * ("can't evaluate field X in type *chart.Metadata") and prints as {a b c}
 * ("&{...}" through fmt when go_type starts with '*'); otherwise keys are looked
 * up as in a map. Methods registered for the type are found first; a "String"
 * method is used when the value is printed. */
void gotk_tpl_tag(json_object *j, const char *go_type, bool is_struct);
/* Mark an empty list or map tagged with gotk_tpl_tag as Go's nil slice or map
 * (a struct field left unset): encoding/json writes null, toToml leaves it out. */
void gotk_tpl_tag_nil(json_object *j);
/* encoding/json's view of a struct field (toJson, toYaml): its json key, or ""
 * for an embedded struct whose fields are promoted; omitempty leaves out false,
 * 0, "", null and empty lists and maps. */
typedef struct {
    const char *go, *json;
    bool omitempty;
} gotk_tpl_json_field;
/* Give a struct tagged with gotk_tpl_tag its json field names: `fields` is a
 * static table ended by {NULL}; fields not in it keep their Go names. */
void gotk_tpl_tag_json(json_object *j, const gotk_tpl_json_field *fields);
/* Register a method of Go type `go_type`: fn gets the receiver as argv[0], then
 * the arguments converted per `params` (the letters of gotk_template_add_func,
 * plus R: a value of the receiver's own type, as semver's LessThan takes). A
 * method declared on "*T" is found on T values too (templates reach them
 * through pointers), except by fmt when printing. */
void gotk_template_add_method(gotk_tpl_set *set, const char *go_type, const char *name,
                              const char *params, gotk_tpl_fn fn, void *ud);

/* Helm's built-in objects, with the methods gotk_template_add_helm registers. */
/* .Files (engine.files): `files` (an object; NULL for none) maps chart-relative
 * paths to contents (json strings; json_object_new_string_len for binary).
 * Takes ownership and returns it tagged. Methods Get, GetBytes, Glob, Lines,
 * AsConfig, AsSecrets, as Helm 3.17. */
json_object *gotk_tpl_helm_files(json_object *files);
/* .Capabilities (*chartutil.Capabilities): KubeVersion (Version, Major, Minor;
 * String and GitVersion give "v1.32.0"), APIVersions (chartutil.VersionSet,
 * with Has), HelmVersion (v3.17.3's version.BuildInfo). `kube_version` like
 * "v1.32.0" or NULL (Helm 3.17.3's default, v1.32.0); `api_versions` a json
 * array of strings ("v1", "apps/v1", "apps/v1/Deployment") used as given,
 * ownership taken, or NULL for chartutil.DefaultVersionSet (`helm template
 * --api-versions X` appends X to those: see the next function). */
json_object *gotk_tpl_helm_capabilities(const char *kube_version, json_object *api_versions);
/* A new array of Helm 3.17.3's chartutil.DefaultVersionSet. */
json_object *gotk_tpl_helm_default_api_versions(void);

/* Turn every json int in `j` into a double, in place (Helm's values are
 * float64 after their trip through JSON). Returns j. */
json_object *gotk_template_floatify(json_object *j);

#endif
