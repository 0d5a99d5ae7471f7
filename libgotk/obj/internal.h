/*
 * obj internals shared by the parser and the emitter: how a plain YAML scalar
 * resolves to a type. Two rule sets exist because kustomize reads with go-yaml v3
 * (YAML 1.2 core: only true/false are booleans) and writes with go-yaml v2 (YAML
 * 1.1: yes/no/on/off/y/n are booleans too, so they must be quoted).
 */
#ifndef GOTK_OBJ_INTERNAL_H
#define GOTK_OBJ_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    RES_STR,
    RES_NULL,
    RES_BOOL,
    RES_INT,   /* fits int64 */
    RES_UINT,  /* above int64, fits uint64 */
    RES_FLOAT,
    RES_TIMESTAMP,
} res_kind;

typedef struct {
    res_kind kind;
    bool b;
    int64_t i;
    uint64_t u;
    double f;
    char ts[48]; /* RFC 3339 with nanoseconds, as Go's time.Time marshals to JSON */
} res_value;

/* Resolve a plain scalar. `yaml11` selects go-yaml v2's booleans. */
void obj_resolve_plain(const char *s, bool yaml11, res_value *out);
/* Cheap test: false when `s` is certainly a string (its first character
 * cannot start a number or a word). */
bool obj_may_resolve(const char *s);
/* YAML 1.1 base-60 floats ("1:20"), which go-yaml v2 quotes. */
bool obj_is_base60_float(const char *s);

/* The value kustomize ends up with for a folded (`>`) scalar: it re-emits each
 * scalar with go-yaml v3, whose folded writer decides where to add blank lines by
 * looking at the start of the string instead of the current position, then reads
 * it back. Returns a new json string. */
struct json_object *obj_refold_v3(const char *value, size_t len);

/* Parse YAML reading folded scalars exactly as the spec says (for the refold's
 * own read-back). */
struct gotk_err *obj_yaml_parse_plain(const char *data, size_t len, struct json_object **docs);

/* The string go-yaml v2 reads back from Go's JSON: Go leaves U+0085 (NEL)
 * unescaped and YAML folds a raw line break inside a quoted scalar. Returns NULL
 * when `s` has no NEL, else a new string the caller frees. */
char *obj_fold_nel(const char *s, size_t len, size_t *out_len);

/* go-yaml v2 escapes every character of a double-quoted string that starts with
 * a byte-order mark (its BOM check ignores the position). Returns that quoted
 * text, a new string. */
char *obj_bom_quoted(const char *s, size_t len);

/* Go's strconv.FormatFloat(d, 'g', -1, 32): sigs.k8s.io/yaml turns float map
 * keys into strings this way. `out` needs 32 bytes. */
char *obj_go_float32_g(double d, char out[32]);

#endif
