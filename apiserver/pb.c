/*
 * pb.c: decoding Kubernetes protobuf request bodies into JSON objects.
 *
 * kubectl's typed clients (`kubectl create namespace`, `create configmap`,
 * `create secret`, `create serviceaccount`, `create role`, ...) send built-in
 * objects as application/vnd.kubernetes.protobuf and do not fall back to JSON.
 * The envelope is the 4-byte magic "k8s\0" and a runtime.Unknown message
 * (typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2 holding the object's
 * message). The object is decoded with a field table per message type (the
 * field numbers of k8s.io/api's generated.proto), which gives JSON exactly as
 * the JSON encoding would: empty strings and unset fields omitted, bytes as
 * base64, meta Time as RFC 3339, maps as objects. Kinds without a table are
 * refused with 415, so a client learns to send JSON. Workloads (Deployment, Pod,
 * Job, CronJob), Service, ResourceQuota, Ingress, PodDisruptionBudget and
 * TokenRequest have partial, strict tables (what kubectl's generators fill):
 * any other field in them also makes the body unsupported rather than
 * silently dropped.
 *
 * The tables are in pb_tables.c. The protobuf wire format itself (varints,
 * length-delimited fields, fixed 32/64-bit fields) is a handful of lines
 * below; Debian's protobuf-c needs generated code for every message, which is
 * more than this small subset.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apiserver.h"
#include "pb_tables.h"

/* ---- wire format ------------------------------------------------------------ */

typedef struct {
    const unsigned char *p, *end;
} rd;

/* Read a varint; false at malformed input. */
static bool rd_varint(rd *r, uint64_t *v)
{
    *v = 0;
    for (int shift = 0; shift < 64 && r->p < r->end; shift += 7) {
        unsigned char b = *r->p++;
        *v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return true;
    }
    return false;
}

/* One field: number, wire type, and its varint value or bytes. */
typedef struct {
    int num, wire;
    uint64_t v;
    const unsigned char *data;
    size_t len;
} pb_val;

/* Read the next field; false at the end or on malformed input (*bad set). */
static bool rd_field(rd *r, pb_val *f, bool *bad)
{
    uint64_t key;
    if (r->p >= r->end)
        return false;
    if (!rd_varint(r, &key))
        return !(*bad = true);
    f->num = (int)(key >> 3);
    f->wire = (int)(key & 7);
    switch (f->wire) {
    case 0:
        return rd_varint(r, &f->v) || !(*bad = true);
    case 1:
    case 5: {
        size_t n = f->wire == 1 ? 8 : 4;
        if ((size_t)(r->end - r->p) < n)
            return !(*bad = true);
        f->v = 0;
        for (size_t i = 0; i < n; i++)
            f->v |= (uint64_t)r->p[i] << (8 * i);
        r->p += n;
        return true;
    }
    case 2:
        if (!rd_varint(r, &f->v) || f->v > (uint64_t)(r->end - r->p))
            return !(*bad = true);
        f->data = r->p;
        f->len = (size_t)f->v;
        r->p += f->len;
        return true;
    default:
        return !(*bad = true);
    }
}

/* ---- decoding --------------------------------------------------------------- */

static json_object *decode_msg(const pb_msg *m, const unsigned char *data, size_t len, bool *bad);

/* A meta/v1 Time {seconds = 1, nanos = 2} as RFC 3339, or NULL for zero. */
static json_object *decode_time(const unsigned char *data, size_t len, bool *bad)
{
    rd r = {data, data + len};
    pb_val f;
    int64_t secs = 0;
    while (rd_field(&r, &f, bad))
        if (f.num == 1 && f.wire == 0)
            secs = (int64_t)f.v;
    if (*bad || secs == 0)
        return NULL;
    time_t t = (time_t)secs;
    struct tm tm;
    char buf[32];
    gmtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return json_object_new_string(buf);
}

/* An intstr.IntOrString {type = 1, intVal = 2, strVal = 3} as a number or a
 * string. */
static json_object *decode_int_or_string(const unsigned char *data, size_t len, bool *bad)
{
    rd r = {data, data + len};
    pb_val f;
    int64_t type = 0, ival = 0;
    char *sval = NULL;
    while (rd_field(&r, &f, bad)) {
        if (f.num == 1 && f.wire == 0)
            type = (int64_t)f.v;
        else if (f.num == 2 && f.wire == 0)
            ival = (int32_t)f.v;
        else if (f.num == 3 && f.wire == 2 && !sval)
            sval = gotk_xstrndup((const char *)f.data, f.len);
    }
    json_object *o = type == 1 ? json_object_new_string(sval ? sval : "")
                               : json_object_new_int64(ival);
    free(sval);
    return o;
}

/* The string inside a resource.Quantity message {string = 1}. */
static char *quantity_text(const unsigned char *data, size_t len, bool *bad)
{
    rd r = {data, data + len};
    pb_val f;
    char *out = NULL;
    while (rd_field(&r, &f, bad))
        if (f.num == 1 && f.wire == 2 && !out)
            out = gotk_xstrndup((const char *)f.data, f.len);
    return out ? out : gotk_xstrdup("0");
}

/* Add one map entry {key = 1, value = 2} to obj. */
static void decode_map_entry(json_object *obj, const unsigned char *data, size_t len, fkind kind,
                             bool *bad)
{
    rd r = {data, data + len};
    pb_val f;
    char *key = gotk_xstrdup("");
    json_object *val = NULL;
    while (rd_field(&r, &f, bad)) {
        if (f.wire != 2)
            continue;
        if (f.num == 1) {
            free(key);
            key = gotk_xstrndup((const char *)f.data, f.len);
        } else if (f.num == 2) {
            json_object_put(val);
            char *txt = kind == F_MAP_BYTES      ? gotk_base64_encode(f.data, f.len)
                        : kind == F_QUANTITY_MAP ? quantity_text(f.data, f.len, bad)
                                                 : gotk_xstrndup((const char *)f.data, f.len);
            val = json_object_new_string(txt);
            free(txt);
        }
    }
    json_object_object_add(obj, key, val ? val : json_object_new_string(""));
    free(key);
}

/* The JSON value of one scalar or message field (NULL to omit). */
static json_object *decode_value(const pb_field *fd, const pb_val *f, bool *bad)
{
    switch (fd->kind) {
    case F_STR:
        return f->wire == 2 && (f->len || fd->repeated)
                   ? json_object_new_string_len((const char *)f->data, (int)f->len)
                   : NULL;
    case F_BYTES: {
        char *b = gotk_base64_encode(f->data, f->len);
        json_object *o = json_object_new_string(b);
        free(b);
        return o;
    }
    case F_INT:
    case F_INTP:
        if (f->wire != 0 || (fd->kind == F_INT && f->v == 0))
            return NULL;
        return json_object_new_int64((int64_t)f->v);
    case F_BOOL:
    case F_BOOLP:
        if (f->wire != 0 || (fd->kind == F_BOOL && f->v == 0))
            return NULL;
        return json_object_new_boolean(f->v != 0);
    case F_TIME:
        return f->wire == 2 ? decode_time(f->data, f->len, bad) : NULL;
    case F_QUANTITY: {
        if (f->wire != 2)
            return NULL;
        char *q = quantity_text(f->data, f->len, bad);
        json_object *o = json_object_new_string(q);
        free(q);
        return o;
    }
    case F_INT_OR_STRING:
        return f->wire == 2 ? decode_int_or_string(f->data, f->len, bad) : NULL;
    case F_MSG:
        return f->wire == 2 ? decode_msg(fd->sub, f->data, f->len, bad) : NULL;
    default:
        return NULL;
    }
}

/* The field descriptor for a number, or NULL. */
static const pb_field *find_field(const pb_msg *m, int num)
{
    for (const pb_field *fd = m->fields; fd->name; fd++)
        if (fd->num == num)
            return fd;
    return NULL;
}

/* Move the members of an inlined message into its parent; consumes `in`. */
static void merge_inline(json_object *parent, json_object *in)
{
    json_object_object_foreach(in, k, v) json_object_object_add(parent, k, json_object_get(v));
    json_object_put(in);
}

/* Decode one message; unknown field numbers are skipped. */
static json_object *decode_msg(const pb_msg *m, const unsigned char *data, size_t len, bool *bad)
{
    json_object *o = json_object_new_object();
    rd r = {data, data + len};
    pb_val f;
    while (rd_field(&r, &f, bad)) {
        const pb_field *fd = find_field(m, f.num);
        /* gogo-protobuf writes every plain field, set or not: only an unknown
         * field that carries a value is a problem */
        if (!fd && m->strict && !(f.wire == 0 && f.v == 0) && !(f.wire == 2 && f.len == 0))
            *bad = true;
        if (!fd)
            continue;
        if (fd->kind == F_MAP_STR || fd->kind == F_MAP_BYTES || fd->kind == F_QUANTITY_MAP) {
            if (f.wire == 2)
                decode_map_entry(jx_ensure_obj(o, fd->name), f.data, f.len, fd->kind, bad);
            continue;
        }
        if (fd->kind == F_INLINE) {
            if (f.wire == 2)
                merge_inline(o, decode_msg(fd->sub, f.data, f.len, bad));
            continue;
        }
        json_object *v = decode_value(fd, &f, bad);
        if (!v && fd->kind == F_TIME && !strcmp(fd->name, "creationTimestamp"))
            json_object_object_add(o, fd->name, NULL); /* a zero metav1.Time is null */
        if (!v)
            continue;
        if (fd->repeated) {
            json_object *a = jx_get(o, fd->name);
            if (!a) {
                a = json_object_new_array();
                json_object_object_add(o, fd->name, a);
            }
            json_object_array_add(a, v);
        } else {
            json_object_object_add(o, fd->name, v);
        }
    }
    return o;
}

/* Read the runtime.Unknown envelope's typeMeta and raw. */
static bool read_unknown(const unsigned char *data, size_t len, char **av, char **kind,
                         const unsigned char **raw, size_t *rawlen)
{
    rd r = {data, data + len};
    pb_val f;
    bool bad = false;
    *av = *kind = NULL;
    *raw = NULL;
    *rawlen = 0;
    while (rd_field(&r, &f, &bad)) {
        if (f.wire != 2)
            continue;
        if (f.num == 1) {
            rd t = {f.data, f.data + f.len};
            pb_val g;
            while (rd_field(&t, &g, &bad)) {
                if (g.wire == 2 && g.num == 1 && !*av)
                    *av = gotk_xstrndup((const char *)g.data, g.len);
                else if (g.wire == 2 && g.num == 2 && !*kind)
                    *kind = gotk_xstrndup((const char *)g.data, g.len);
            }
        } else if (f.num == 2) {
            *raw = f.data;
            *rawlen = f.len;
        }
    }
    return !bad && *av && *kind && *raw;
}

/* Decode a protobuf body; NULL with *err set when it cannot be. */
json_object *pb_decode(const char *body, size_t len, char **err)
{
    const unsigned char *data = (const unsigned char *)body, *raw;
    size_t rawlen;
    char *av = NULL, *kind = NULL;
    json_object *o = NULL;
    if (len < 4 || memcmp(data, "k8s\0", 4)) {
        *err = gotk_xstrdup("protobuf body without the k8s magic prefix");
        return NULL;
    }
    if (!read_unknown(data + 4, len - 4, &av, &kind, &raw, &rawlen)) {
        *err = gotk_xstrdup("malformed protobuf envelope");
    } else {
        for (size_t i = 0; i < PB_NTYPES && !o; i++) {
            if (strcmp(PB_TYPES[i].api_version, av) || strcmp(PB_TYPES[i].kind, kind))
                continue;
            bool bad = false;
            o = decode_msg(&PB_TYPES[i].msg, raw, rawlen, &bad);
            if (bad) {
                json_object_put(o);
                o = NULL;
                *err = gotk_xasprintf("protobuf %s is malformed or has fields this server "
                                      "does not decode; send application/json",
                                      kind);
                break;
            }
            json_object *typed = json_object_new_object();
            jx_set_str(typed, "apiVersion", av);
            jx_set_str(typed, "kind", kind);
            json_object_object_foreach(o, k, v) json_object_object_add(typed, k, json_object_get(v));
            json_object_put(o);
            o = typed;
        }
        if (!o && !*err)
            *err = gotk_xasprintf("protobuf is not supported for %s %s; send application/json",
                                  av, kind);
    }
    free(av);
    free(kind);
    return o;
}
