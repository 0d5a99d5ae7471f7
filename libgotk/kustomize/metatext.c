/* metatext.c: the text of metadata labels and annotations as kyaml's
 * GetLabels/GetAnnotations read it: each value's scalar text as written
 * (`1.10`, `0x10`, `True`, `null`, `~`; "" for a map or list), the last of a
 * repeated key winning, as a Go map built from the nodes keeps it. kustomize
 * rebuilds annotations from that map (so every value is that text) and, when
 * it copies a patch, its labels too; our parsed values have lost the text.
 * Read with libyaml's events, per document, only when a caller needs it. */
#include "internal.h"

#include <string.h>
#include <yaml.h>

typedef struct {
    yaml_parser_t p;
    bool failed;
} mt_reader;

static bool next(mt_reader *r, yaml_event_t *ev)
{
    if (r->failed || !yaml_parser_parse(&r->p, ev)) {
        r->failed = true;
        return false;
    }
    return true;
}

/* Skip the rest of a node whose first event was ev (already read). */
static void skip_node(mt_reader *r, const yaml_event_t *first)
{
    if (first->type != YAML_MAPPING_START_EVENT && first->type != YAML_SEQUENCE_START_EVENT)
        return;
    int depth = 1;
    while (depth > 0) {
        yaml_event_t ev;
        if (!next(r, &ev))
            return;
        if (ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_SEQUENCE_START_EVENT)
            depth++;
        else if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT)
            depth--;
        yaml_event_delete(&ev);
    }
}

static char *scalar_text(const yaml_event_t *ev)
{
    return gotk_xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
}

/* Does a scalar stand for null (YAML 1.2 core, as kyaml resolves it)? */
static bool is_plain_null(const yaml_event_t *ev, const char *text)
{
    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || ev->data.scalar.tag)
        return ev->data.scalar.tag && !strcmp((const char *)ev->data.scalar.tag,
                                              "tag:yaml.org,2002:null");
    return !*text || !strcmp(text, "~") || !strcmp(text, "null") || !strcmp(text, "Null") ||
           !strcmp(text, "NULL");
}

/* The next key and value events of a mapping (a complex key skipped); false
 * at the mapping's end or on an error, with nothing left to free. */
static bool next_entry(mt_reader *r, yaml_event_t *k, yaml_event_t *v)
{
    if (!next(r, k))
        return false;
    if (k->type == YAML_MAPPING_END_EVENT) {
        yaml_event_delete(k);
        return false;
    }
    skip_node(r, k); /* a complex key's events come before its value's */
    if (!next(r, v)) {
        yaml_event_delete(k);
        return false;
    }
    return true;
}

/* A labels or annotations map: key -> text, the last repeated key winning;
 * keys whose (last) value is a null are also set in nulls; first holds each
 * key's first text; dup the first repeated key, as yaml.v3 reports it. */
static void read_pairs_lines(mt_reader *r, json_object *into, json_object *nulls,
                             json_object *first, char **dup, json_object *first_line)
{
    yaml_event_t k, v;
    while (next_entry(r, &k, &v)) {
        if (k.type == YAML_SCALAR_EVENT && v.type != YAML_ALIAS_EVENT) {
            char *key = scalar_text(&k);
            char *val = v.type == YAML_SCALAR_EVENT ? scalar_text(&v) : gotk_xstrdup("");
            json_object *line = json_object_object_get(first_line, key);
            if (line && !*dup)
                *dup = gotk_xasprintf("line %zu: mapping key \"%s\" already defined at line %d",
                                      k.start_mark.line + 1, key, json_object_get_int(line));
            if (!line)
                json_object_object_add(first_line, key,
                                       json_object_new_int((int)k.start_mark.line + 1));
            json_object_object_add(into, key, json_object_new_string(val));
            if (!json_object_object_get_ex(first, key, NULL))
                json_object_object_add(first, key, json_object_new_string(val));
            if (v.type == YAML_SCALAR_EVENT && is_plain_null(&v, val))
                json_object_object_add(nulls, key, json_object_new_boolean(true));
            else
                json_object_object_del(nulls, key);
            free(key);
            free(val);
        }
        skip_node(r, &v);
        yaml_event_delete(&k);
        yaml_event_delete(&v);
    }
}

/* read_pairs_lines with its own record of where each key was first seen. */
static void read_pairs(mt_reader *r, json_object *into, json_object *nulls, json_object *first,
                       char **dup)
{
    json_object *first_line = json_object_new_object();
    read_pairs_lines(r, into, nulls, first, dup, first_line);
    json_object_put(first_line);
}

/* A mapping's entries at level 0 (the document) or 1 (metadata): kind, name,
 * and the labels and annotations maps are noted in doc. */
static void read_map(mt_reader *r, json_object *doc, int level)
{
    yaml_event_t k, v;
    while (next_entry(r, &k, &v)) {
        char *key = k.type == YAML_SCALAR_EVENT ? scalar_text(&k) : gotk_xstrdup("");
        bool map = v.type == YAML_MAPPING_START_EVENT;
        if (level == 0 && map && !strcmp(key, "metadata")) {
            read_map(r, doc, 1);
        } else if (level == 1 && map && (!strcmp(key, "labels") || !strcmp(key, "annotations"))) {
            json_object *m = json_object_new_object(), *nulls = json_object_new_object();
            json_object *first = json_object_new_object();
            char *dup = NULL;
            read_pairs(r, m, nulls, first, &dup);
            if (dup) {
                char *dk = gotk_xasprintf("%s/dup", key);
                json_object_object_add(doc, dk, json_object_new_string(dup));
                free(dk);
                free(dup);
            }
            json_object_object_add(doc, key, m);
            char *nk = gotk_xasprintf("%s/nulls", key), *fk = gotk_xasprintf("%s/first", key);
            json_object_object_add(doc, nk, nulls);
            json_object_object_add(doc, fk, first);
            free(nk);
            free(fk);
        } else if (v.type == YAML_SCALAR_EVENT && ((level == 0 && !strcmp(key, "kind")) ||
                                                    (level == 1 && !strcmp(key, "name")))) {
            char *s = scalar_text(&v);
            json_object_object_add(doc, key, json_object_new_string(s));
            free(s);
        } else {
            skip_node(r, &v);
        }
        free(key);
        yaml_event_delete(&k);
        yaml_event_delete(&v);
    }
}

json_object *kmeta_texts(const char *data, size_t len)
{
    mt_reader r = {0};
    json_object *out = json_object_new_array();
    if (!yaml_parser_initialize(&r.p))
        return out;
    yaml_parser_set_input_string(&r.p, (const unsigned char *)data, len);
    for (;;) {
        yaml_event_t ev;
        if (!next(&r, &ev) || ev.type == YAML_STREAM_END_EVENT) {
            if (!r.failed)
                yaml_event_delete(&ev);
            break;
        }
        if (ev.type == YAML_MAPPING_START_EVENT) {
            json_object *doc = json_object_new_object();
            read_map(&r, doc, 0);
            json_object_array_add(out, doc);
        } else {
            skip_node(&r, &ev);
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&r.p);
    return out;
}

json_object *kmeta_texts_for(json_object *texts, json_object *obj)
{
    const char *kind = gotk_obj_get_str(obj, "kind"), *name = gotk_obj_get_str(obj, "metadata.name");
    for (size_t i = 0; i < karr_n(texts); i++) {
        json_object *t = json_object_array_get_idx(texts, i);
        const char *tk = gotk_obj_get_str(t, "kind"), *tn = gotk_obj_get_str(t, "name");
        if (!strcmp(tk ? tk : "", kind ? kind : "") && !strcmp(tn ? tn : "", name ? name : ""))
            return t;
    }
    return NULL;
}

/* Walk one node for kdup_outside_annotations, noting the first repeat in
 * *dup; annos: this node is a metadata.annotations map (level: 0 document,
 * 1 metadata, 2 elsewhere). */
static void dup_walk(mt_reader *r, const yaml_event_t *first, int level, bool annos, char **dup)
{
    if (first->type == YAML_SEQUENCE_START_EVENT) {
        for (;;) {
            yaml_event_t ev;
            if (!next(r, &ev))
                return;
            bool end = ev.type == YAML_SEQUENCE_END_EVENT;
            if (!end)
                dup_walk(r, &ev, 2, false, dup);
            yaml_event_delete(&ev);
            if (end || *dup)
                return;
        }
    }
    if (first->type != YAML_MAPPING_START_EVENT)
        return;
    json_object *seen = json_object_new_object();
    for (;;) {
        yaml_event_t k, v;
        if (!next(r, &k))
            break;
        if (k.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&k);
            break;
        }
        skip_node(r, &k);
        char *key = k.type == YAML_SCALAR_EVENT ? scalar_text(&k) : NULL;
        json_object *at = key ? json_object_object_get(seen, key) : NULL;
        if (at && !annos)
            *dup = gotk_xasprintf("line %zu: mapping key \"%s\" already defined at line %d",
                                  k.start_mark.line + 1, key, json_object_get_int(at));
        else if (key && !at)
            json_object_object_add(seen, key, json_object_new_int((int)k.start_mark.line + 1));
        if (!*dup && next(r, &v)) {
            int sub = level == 0 && key && !strcmp(key, "metadata") ? 1 : 2;
            bool sub_annos = level == 1 && key && !strcmp(key, "annotations");
            dup_walk(r, &v, sub, sub_annos, dup);
            yaml_event_delete(&v);
        }
        free(key);
        yaml_event_delete(&k);
        if (*dup || r->failed)
            break;
    }
    json_object_put(seen);
}

char *kdup_outside_annotations(const char *data, size_t len)
{
    mt_reader r = {0};
    char *dup = NULL;
    if (!yaml_parser_initialize(&r.p))
        return gotk_xstrdup("");
    yaml_parser_set_input_string(&r.p, (const unsigned char *)data, len);
    while (!dup) {
        yaml_event_t ev;
        if (!next(&r, &ev))
            break;
        bool end = ev.type == YAML_STREAM_END_EVENT;
        if (!end)
            dup_walk(&r, &ev, 0, false, &dup);
        yaml_event_delete(&ev);
        if (end)
            break;
    }
    yaml_parser_delete(&r.p);
    if (!dup && r.failed)
        dup = gotk_xstrdup("");
    return dup;
}
