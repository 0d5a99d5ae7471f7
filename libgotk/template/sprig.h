/*
 * sprig.h: what the Sprig function files share (internal to the template
 * module). The helpers give Go's conversions as Sprig uses them: strval (fmt's
 * %v), spf13/cast's ToInt64/ToFloat64, reflect.DeepEqual, reflect's Kind names,
 * and turning a template value back into json for the lists and dicts Sprig
 * builds.
 */
#ifndef GOTK_SPRIG_H
#define GOTK_SPRIG_H

#include "tpl_int.h"

/* Sprig's strval: a string as is, anything else as fmt's %v. Appends to out. */
void sprig_strval(gotk_tpl_val v, gotk_buf *out);
/* cast.ToInt64 / ToFloat64, errors ignored as Sprig does (0). */
int64_t sprig_to_int64(gotk_tpl_val v);
double sprig_to_float64(gotk_tpl_val v);
/* reflect.Kind().String() of a value: "string", "float64", "map", "slice"... */
const char *sprig_kind_name(gotk_tpl_val v);
/* A time.Duration (Time.Sub's result, sprig_duration.c): an int64 of that
 * named type, which cast does not know. */
#define SPRIG_DURATION_TYPE "time.Duration"
#define SPRIG_IS_DURATION(v) \
    ((v).kind == GOTK_TPL_INT64 && (v).tname && !strcmp((v).tname, SPRIG_DURATION_TYPE))
/* A new json reference holding v (maps and slices are shared, as in Go). */
json_object *sprig_to_json(gotk_tpl_val v);
/* reflect.DeepEqual on values (int and float64 differ). */
bool sprig_deep_equal(gotk_tpl_val a, gotk_tpl_val b);
/* Go's emptiness (Sprig's empty): nil, false, 0, "" and empty collections. */
bool sprig_empty(gotk_tpl_val v);
/* Error for a nil interface where Go dereferences it. */
gotk_err *sprig_nil_panic(void);
/* A string value from a buffer (freed here). */
gotk_tpl_val sprig_take(gotk_tpl_exec *ex, gotk_buf *b);
/* n random bytes from the kernel (Go's crypto/rand): OpenSSL's generator
 * costs a noticeable part of a small chart's render to set up. */
void sprig_random(void *buf, size_t n);
/* A uniform random number in [0, n), n > 0. */
uint64_t sprig_rand_below(uint64_t n);

/* Methods of Helm's .Files and .Capabilities (helm_objects.c). */
void tpl_add_helm_methods(gotk_tpl_set *set);
/* Methods of chartutil.Values: YAML, Table, AsMap, PathValue (helm_values.c). */
void tpl_add_values_methods(gotk_tpl_set *set);

/* Registration tables of the function files. */
void sprig_add_strings(gotk_tpl_set *set);
void sprig_add_collections(gotk_tpl_set *set);
void sprig_add_more(gotk_tpl_set *set);
void sprig_add_more2(gotk_tpl_set *set);
void sprig_add_misc(gotk_tpl_set *set);
void sprig_add_decimal(gotk_tpl_set *set);
void sprig_add_dates(gotk_tpl_set *set);
void sprig_add_bcrypt(gotk_tpl_set *set);
void sprig_add_crypto(gotk_tpl_set *set);
void sprig_add_url(gotk_tpl_set *set);
/* Helm's toYamlPretty (added by gotk_template_add_helm). */
void sprig_add_yaml(gotk_tpl_set *set);
/* Helm's toToml and fromToml (added by gotk_template_add_helm). */
void sprig_add_toml(gotk_tpl_set *set);
void sprig_add_toml_read(gotk_tpl_set *set);
/* bcrypt of pw (at most 72 bytes) with salt and cost: "$2a$10$..." appended to out. */
void sprig_bcrypt_hash(const char *pw, size_t len, const uint8_t salt[16], int cost, gotk_buf *out);
/* Go's JSON syntax check: false with Go's error text appended to err. */
bool sprig_json_check(const char *s, size_t len, gotk_buf *err);
/* json.Unmarshal of s into interface{}: *doc (NULL for null), or Go's error text. */
gotk_err *sprig_json_parse(const char *s, size_t len, json_object **doc);
/* The first float encoding/json refuses in v ("NaN", "+Inf", "-Inf"), or NULL. */
const char *sprig_json_unsupported(gotk_tpl_val v);
/* The shortest decimal digits of a finite f: f = ±digits * 10^*exp; true when negative. */
bool sprig_float_digits(double f, char digits[40], int *exp);
/* semver and its *semver.Version methods (semverobj.c). */
void sprig_add_semver(gotk_tpl_set *set);

/* The string of a STRING argument. */
#define SV(v) json_object_get_string((v).j)
#define SL(v) ((size_t)json_object_get_string_len((v).j))

#endif
