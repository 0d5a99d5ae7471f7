/*
 * pb_tables.h: the field tables pb.c decodes Kubernetes protobuf bodies with
 * (the field numbers and JSON names of k8s.io/api's generated.proto), shared
 * by pb.c (the wire format and decoding) and pb_tables.c (the tables).
 */
#ifndef GOTK_APISERVER_PB_TABLES_H
#define GOTK_APISERVER_PB_TABLES_H

#include <stdbool.h>
#include <stddef.h>

/* F_INT and F_BOOL drop zero values (Go's omitempty on plain fields); F_INTP
 * and F_BOOLP keep them (pointer fields, present only when set). */
typedef enum {
    F_STR, F_BYTES, F_INT, F_INTP, F_BOOL, F_BOOLP, F_MSG, F_MAP_STR, F_MAP_BYTES, F_TIME,
    F_QUANTITY, F_QUANTITY_MAP, F_INT_OR_STRING,
    F_INLINE /* an embedded message whose fields JSON puts in the parent */
} fkind;

typedef struct pb_msg pb_msg;
typedef struct {
    int num;
    const char *name;
    fkind kind;
    bool repeated;
    const pb_msg *sub;
} pb_field;

struct pb_msg {
    const pb_field *fields;
    bool strict; /* unknown field numbers are an error (partial tables) */
};

/* A top-level kind: its envelope typeMeta and the message of its raw bytes. */
typedef struct {
    const char *api_version, *kind;
    pb_msg msg;
} pb_type;

extern const pb_type PB_TYPES[];
extern const size_t PB_NTYPES;

#endif
