/*
 * jsonx.c: small json-c helpers the API server needs (parse with an error
 * message, compact printing, deep equality, RFC 7386 merge patch, timestamps).
 * They stay here until libgotk's obj module offers the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apiserver.h"

#define JX_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* Parse a complete JSON text; trailing non-space data is an error. */
json_object *jx_parse(const char *data, size_t len, char **err)
{
    json_tokener *tok = json_tokener_new_ex(200);
    json_object *o = json_tokener_parse_ex(tok, data, (int)len);
    enum json_tokener_error e = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    if (!o && e == json_tokener_continue) {
        *err = gotk_xstrdup("unexpected end of JSON input");
    } else if (!o && e != json_tokener_success) {
        *err = gotk_xasprintf("invalid character at offset %zu: %s", end,
                              json_tokener_error_desc(e));
    } else {
        while (end < len && strchr(" \t\r\n", data[end]))
            end++;
        if (end < len) {
            *err = gotk_xasprintf("invalid character after top-level value at offset %zu", end);
            json_object_put(o);
            o = NULL;
        }
    }
    json_tokener_free(tok);
    return o;
}

/* Compact text, cached inside the object by json-c. */
const char *jx_str(json_object *o)
{
    return json_object_to_json_string_ext(o, JX_FLAGS);
}

/* A copy of the compact text for the caller. */
char *jx_strdup(json_object *o)
{
    return gotk_xstrdup(jx_str(o));
}

/* Member lookup that tolerates a NULL or non-object parent. */
json_object *jx_get(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!o || !json_object_is_type(o, json_type_object))
        return NULL;
    json_object_object_get_ex(o, key, &v);
    return v;
}

/* String member or NULL. */
const char *jx_get_str(json_object *o, const char *key)
{
    json_object *v = jx_get(o, key);
    return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* metadata.<key> as a string. */
const char *jx_meta_str(json_object *o, const char *key)
{
    return jx_get_str(jx_get(o, "metadata"), key);
}

/* Child object, created (or replaced when of another type). */
json_object *jx_ensure_obj(json_object *o, const char *key)
{
    json_object *v = jx_get(o, key);
    if (v && json_object_is_type(v, json_type_object))
        return v;
    v = json_object_new_object();
    json_object_object_add(o, key, v);
    return v;
}

/* Set a string member. */
void jx_set_str(json_object *o, const char *key, const char *val)
{
    json_object_object_add(o, key, json_object_new_string(val));
}

/* RFC 7386: objects merge recursively, null deletes, anything else replaces. */
json_object *jx_merge_patch(json_object *target, json_object *patch)
{
    if (!json_object_is_type(patch, json_type_object)) {
        json_object_put(target);
        return gotk_obj_copy(patch);
    }
    if (!target || !json_object_is_type(target, json_type_object)) {
        json_object_put(target);
        target = json_object_new_object();
    }
    json_object_object_foreach(patch, k, v)
    {
        if (!v) {
            json_object_object_del(target, k);
            continue;
        }
        json_object *cur = jx_get(target, k);
        json_object *next = jx_merge_patch(cur ? json_object_get(cur) : NULL, v);
        json_object_object_add(target, k, next);
    }
    return target;
}

/* Now, as Kubernetes prints metav1.Time. */
void jx_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

json_object *jx_at(json_object *o, const char *path)
{
    char *copy = gotk_xstrdup(path), *save = NULL;
    for (char *k = strtok_r(copy, ".", &save); k && o; k = strtok_r(NULL, ".", &save))
        o = jx_get(o, k);
    free(copy);
    return o;
}
