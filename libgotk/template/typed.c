/*
 * typed.c: values of Go named types (structs, types with methods).
 *
 * Templates see Helm's objects (.Files, .Capabilities, .Chart, semver's
 * *Version) as Go values with a type name, fields and methods. Such a value is
 * a json object or array carrying a tag in its json-c userdata (freed with the
 * value, so tags cost nothing to clean up). A []byte is a json string tagged
 * "[]uint8": it prints as numbers and is no string to functions, as in Go. Methods live in the set, keyed by
 * receiver type; a method declared on "*T" is found on a T value too, as
 * templates reach Helm's struct fields through pointers (addressable values),
 * but fmt only uses it on a "*T" value, as Go's fmt does.
 */
#include <stdlib.h>
#include <string.h>

#include "gotk/obj.h"
#include "tpl_int.h"

#define TAG_MAGIC 0x74616776u

/* Free a tag with its value. */
static void tag_free(json_object *j, void *ud)
{
    (void)j;
    free(ud);
}

/* Attach a tag to j (objects and arrays only). */
static void tag(json_object *j, const char *go_type, bool is_struct, bool addressable)
{
    if (!json_object_is_type(j, json_type_object) && !json_object_is_type(j, json_type_array))
        return;
    tpl_tag *t = gotk_xmalloc(sizeof *t);
    t->magic = TAG_MAGIC;
    t->type = go_type;
    t->is_struct = is_struct;
    t->addressable = addressable;
    t->bytes_elems = false;
    t->is_nil = false;
    t->json = NULL;
    json_object_set_userdata(j, t, tag_free);
}

/* One value of tpl_copy_typed: json-c's copy, with the tag or int64 mark. */
static int copy_typed_one(json_object *src, json_object *parent, const char *key, size_t index,
                          json_object **dst)
{
    int rc = json_c_shallow_copy_default(src, parent, key, index, dst);
    if (rc != 1 || json_object_is_type(src, json_type_double))
        return rc; /* a double's number text is json-c's own to copy */
    const tpl_tag *t = tpl_tag_of(src);
    if (t) {
        tpl_tag *c = gotk_xmalloc(sizeof *c);
        *c = *t;
        json_object_set_userdata(*dst, c, tag_free);
    } else if (gotk_obj_is_go_int64(src)) {
        json_object_put(*dst);
        *dst = gotk_obj_new_go_int64(json_object_get_int64(src));
    }
    return 2;
}

json_object *tpl_copy_typed(json_object *j)
{
    json_object *dst = NULL;
    if (!j || json_object_deep_copy(j, &dst, copy_typed_one) != 0)
        return NULL;
    return dst;
}

/* Mark j as a value of Go type go_type (a static string). Helm's data reaches
 * its named values through pointers, so they count as addressable. */
void gotk_tpl_tag(json_object *j, const char *go_type, bool is_struct)
{
    tag(j, go_type, is_struct, true);
}

void gotk_tpl_tag_nil(json_object *j)
{
    tpl_tag *t = (tpl_tag *)tpl_tag_of(j);
    if (t)
        t->is_nil = true;
}

void gotk_tpl_tag_json(json_object *j, const gotk_tpl_json_field *fields)
{
    tpl_tag *t = (tpl_tag *)tpl_tag_of(j);
    if (t && t->is_struct)
        t->json = fields;
}

/* Mark a json string as a Go []byte (Helm's file contents). */
void tpl_tag_bytes(json_object *s)
{
    if (!json_object_is_type(s, json_type_string) || tpl_tag_of(s))
        return;
    tpl_tag *t = gotk_xmalloc(sizeof *t);
    *t = (tpl_tag){TAG_MAGIC, TPL_BYTES_TYPE, false, false, false, false, NULL};
    json_object_set_userdata(s, t, tag_free);
}

/* Tag a map of []byte, and its values. */
void tpl_tag_bytes_map(json_object *m, const char *go_type)
{
    tag(m, go_type, false, true);
    tpl_tag *t = json_object_get_userdata(m);
    if (t && json_object_is_type(m, json_type_object)) {
        t->bytes_elems = true;
        json_object_object_foreach(m, k, v) {
            (void)k;
            tpl_tag_bytes(v);
        }
    }
}

/* Go's zero value for a missing key of map. */
gotk_tpl_val tpl_map_zero(gotk_tpl_exec *ex, gotk_tpl_val map)
{
    const tpl_tag *t = map.j ? tpl_tag_of(map.j) : NULL;
    if (!t || !t->bytes_elems)
        return (gotk_tpl_val){GOTK_TPL_NIL, true, NULL, NULL};
    gotk_tpl_val z = gotk_tpl_string(ex, "", 0);
    tpl_tag_bytes(z.j);
    ((tpl_tag *)json_object_get_userdata(z.j))->is_nil = true;
    z.tname = TPL_BYTES_TYPE;
    return z;
}

/* The same for a value a method returned (not addressable in Go). */
void tpl_tag_value(json_object *j, const char *go_type, bool is_struct)
{
    tag(j, go_type, is_struct, false);
}

/* The tag of j, or NULL for plain values. */
const tpl_tag *tpl_tag_of(json_object *j)
{
    if (!json_object_is_type(j, json_type_object) && !json_object_is_type(j, json_type_array) &&
        !json_object_is_type(j, json_type_string))
        return NULL;
    const tpl_tag *t = json_object_get_userdata(j);
    return t && t->magic == TAG_MAGIC ? t : NULL;
}

/* Add or replace a method of type go_type. */
void gotk_template_add_method(gotk_tpl_set *set, const char *go_type, const char *name,
                              const char *params, gotk_tpl_fn fn, void *ud)
{
    tpl_func *f = NULL;
    for (int i = 0; i < set->nmethods && !f; i++)
        if (!strcmp(set->methods[i].recv, go_type) && !strcmp(set->methods[i].name, name))
            f = &set->methods[i];
    if (!f) {
        if (set->nmethods == set->capmethods) {
            set->capmethods = set->capmethods ? set->capmethods * 2 : 16;
            set->methods = gotk_xrealloc(set->methods, sizeof *set->methods * (size_t)set->capmethods);
        }
        f = &set->methods[set->nmethods++];
        memset(f, 0, sizeof *f);
        f->name = gotk_xstrdup(name);
        unsigned char c = (unsigned char)name[0];
        set->method_initials[c >> 6] |= (uint64_t)1 << (c & 63);
        f->recv = gotk_xstrdup(go_type);
    }
    tpl_func_define(f, params, fn, ud);
}

/* The method declared exactly on type `type` (skip leading '*' chars first),
 * the set's own or else its base's. */
static const tpl_func *method_on(const gotk_tpl_set *set, const char *type, size_t stars,
                                 const char *name)
{
    unsigned char c = (unsigned char)name[0];
    for (; set; set = set->base) {
        /* field lookups ask every tagged value for a method: most names are
         * no method's, nor even start as one */
        if (!((set->method_initials[c >> 6] >> (c & 63)) & 1))
            continue;
        for (int i = 0; i < set->nmethods; i++) {
            const tpl_func *f = &set->methods[i];
            if (f->name[0] == name[0] && !strcmp(f->name, name) &&
                strspn(f->recv, "*") == stars &&
                !strcmp(f->recv + stars, type))
                return f;
        }
    }
    return NULL;
}

/* A method of a value of type `type`: T's and *T's methods when the value is
 * addressable or a pointer, else T's only. */
const tpl_func *tpl_find_method(const gotk_tpl_set *set, const char *type, const char *name,
                                bool addressable)
{
    if (!set || !type)
        return NULL;
    bool ptr = type[0] == '*';
    const char *base = ptr ? type + 1 : type;
    const tpl_func *f = method_on(set, base, 0, name);
    if (!f && (ptr || addressable))
        f = method_on(set, base, 1, name);
    return f;
}

/* Free the method table. */
void tpl_free_methods(gotk_tpl_set *set)
{
    for (int i = 0; i < set->nmethods; i++) {
        free(set->methods[i].name);
        free(set->methods[i].params);
        free(set->methods[i].recv);
    }
    free(set->methods);
}

/* What MarshalJSON gives for a tagged value (as a new json value), or NULL. */
static json_object *marshaled(json_object *j)
{
    gotk_buf raw = {0};
    json_object *out = NULL;
    if (tpl_tag_of(j) && tpl_marshal_json(gotk_tpl_from_json(j, false), &raw) && raw.data) {
        gotk_err *e = gotk_json_parse(raw.data, raw.len, &out);
        gotk_err_free(e);
    }
    gotk_buf_free(&raw);
    return out;
}

/* The json names of a struct with json tags, or NULL. */
static const gotk_tpl_json_field *json_fields(json_object *j)
{
    const tpl_tag *t = tpl_tag_of(j);
    return t && t->is_struct ? t->json : NULL;
}

/* Whether the tree holds a []byte, a struct with json tags, a nil slice or
 * map or a value with a MarshalJSON method. */
static bool has_bytes(json_object *j)
{
    if (json_object_is_type(j, json_type_string))
        return tpl_tag_of(j) != NULL;
    if (json_fields(j) || (tpl_tag_of(j) && tpl_tag_of(j)->is_nil))
        return true;
    json_object *m = marshaled(j);
    if (m) {
        json_object_put(m);
        return true;
    }
    if (json_object_is_type(j, json_type_object)) {
        json_object_object_foreach(j, k, v) {
            (void)k;
            if (has_bytes(v))
                return true;
        }
    } else if (json_object_is_type(j, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(j); i++)
            if (has_bytes(json_object_array_get_idx(j, i)))
                return true;
    }
    return false;
}

static json_object *bytes_as_base64(json_object *j);

/* encoding/json's omitempty test. */
static bool json_empty(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null: return true;
    case json_type_boolean: return !json_object_get_boolean(v);
    case json_type_int: return json_object_get_int64(v) == 0;
    case json_type_double: return json_object_get_double(v) == 0;
    case json_type_string: return json_object_get_string_len(v) == 0;
    case json_type_array: return json_object_array_length(v) == 0;
    case json_type_object: return !tpl_tag_of(v) || !tpl_tag_of(v)->is_struct
                                      ? json_object_object_length(v) == 0 : false;
    }
    return false;
}

/* Add the fields of struct j to out under their json names (embedded
 * structs' fields promoted). */
static void struct_json_fields(json_object *out, json_object *j)
{
    const gotk_tpl_json_field *names = json_fields(j);
    json_object_object_foreach(j, k, v) {
        const gotk_tpl_json_field *f = names;
        while (f && f->go && strcmp(f->go, k))
            f++;
        if (f && f->go && !f->json[0] && json_object_is_type(v, json_type_object)) {
            struct_json_fields(out, v);
            continue;
        }
        if (f && f->go && f->omitempty && json_empty(v))
            continue;
        json_object_object_add(out, f && f->go ? f->json : k, bytes_as_base64(v));
    }
}

/* A copy of j with every []byte as its base64 text and structs with json
 * tags under their json names (fields in order: still a struct). */
static json_object *bytes_as_base64(json_object *j)
{
    json_object *m = marshaled(j);
    if (m)
        return m;
    if (json_fields(j)) {
        json_object *o = json_object_new_object();
        struct_json_fields(o, j);
        tpl_tag_value(o, tpl_tag_of(j)->type, true);
        return o;
    }
    if (tpl_tag_of(j) && tpl_tag_of(j)->is_nil)
        return NULL; /* JSON null */
    if (json_object_is_type(j, json_type_string) && tpl_tag_of(j)) {
        char *b64 = gotk_base64_encode(json_object_get_string(j), (size_t)json_object_get_string_len(j));
        json_object *s = json_object_new_string(b64);
        free(b64);
        return s;
    }
    if (json_object_is_type(j, json_type_object)) {
        json_object *o = json_object_new_object();
        json_object_object_foreach(j, k, v)
            json_object_object_add(o, k, bytes_as_base64(v));
        return o;
    }
    if (json_object_is_type(j, json_type_array)) {
        json_object *a = json_object_new_array();
        for (size_t i = 0; i < json_object_array_length(j); i++)
            json_object_array_add(a, bytes_as_base64(json_object_array_get_idx(j, i)));
        return a;
    }
    return json_object_get(j);
}

/* j as Go's encoding/json sees it: []byte values become base64 strings,
 * struct fields take their json names. */
json_object *tpl_json_marshal_view(json_object *j)
{
    return has_bytes(j) ? bytes_as_base64(j) : json_object_get(j);
}
