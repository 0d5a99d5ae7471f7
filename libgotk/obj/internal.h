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

#endif
