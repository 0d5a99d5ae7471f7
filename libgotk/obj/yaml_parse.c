/*
 * YAML -> json-c, reading libyaml's event stream.
 *
 * One recursive function turns each node event into a json value: scalars are
 * typed (see resolve.c), sequences become arrays, mappings become objects with
 * keys in the order written. Anchors are remembered per document and an alias
 * inserts a deep copy of what it names (bounded, so a "billion laughs" document
 * fails instead of eating memory). `<<` merge keys add the keys of the merged
 * mappings that the mapping does not set itself. A key written twice is an error
 * naming both lines.
 *
 * A stream is split into documents the way kustomize's reader (kyaml's
 * ByteReader) splits it: CRLF becomes LF, every line starting with `---` ends a
 * document (anything but a comment after it is an error), and only the first YAML
 * document of each piece is read, so text after an explicit `...` is ignored.
 * Values that kustomize cannot carry through its JSON step are rejected here, at
 * their position: control characters Go leaves unescaped, and the `\/` escape
 * go-yaml does not know.
 */
#include "gotk/obj.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "internal.h"

#define MAX_DEPTH 512
#define MAX_ALIAS_NODES 2000000L

typedef struct {
    char *name;
    json_object *value;
    long nodes; /* size of the value, charged again on every alias */
} anchor;

typedef struct {
    yaml_parser_t parser;
    const char *source;
    const char *data; /* the input, to point at a bad character */
    size_t len;
    size_t line_offset;       /* lines before this document in the whole stream */
    size_t cur_char, cur_byte; /* libyaml counts characters; where that is in bytes */
    bool literal_folds; /* read folded scalars as written (no kustomize refold) */
    bool sigs;          /* GOTK_YAML_PARSE_SIGS: go-yaml v2 then JSON */
    bool first_key;     /* GOTK_YAML_PARSE_FIRST_KEY: a repeated key is ignored */
    bool strict;        /* GOTK_YAML_PARSE_STRICT: a repeated key is an error */
    bool head;          /* GOTK_YAML_PARSE_HEAD (see skip_node) */
    bool fallback;      /* HEAD met what only a full parse reads the same way */
    size_t empty_key;   /* SIGS: 1 + byte offset of an empty flow collection where a
                         * key is required (see empty_flow_key) */
    gotk_buf dup_keys;  /* STRICT: "\n  line N: key ... already set in map" lines */
    char *bad_key;      /* SIGS: the first key JSON cannot have, as its message */
    anchor *anchors;
    size_t n_anchors, cap_anchors;
    long alias_nodes;
} parse_ctx;

/* sigs.k8s.io/yaml's wording: "error converting YAML to JSON: yaml: line N: ..."
 * (line 0 leaves the line out, as go-yaml does). */
static gotk_err *sigs_err(parse_ctx *c, size_t line, const char *msg)
{
    const char *src = c->source ? c->source : "", *sep = c->source ? ": " : "";
    if (!line)
        return gotk_err_new(GOTK_E_INVALID, "%s%serror converting YAML to JSON: yaml: %s", src,
                            sep, msg);
    return gotk_err_new(GOTK_E_INVALID, "%s%serror converting YAML to JSON: yaml: line %zu: %s",
                        src, sep, line, msg);
}

/* "source:line:col: message" for a mark (libyaml counts from 0). */
static gotk_err *err_at(parse_ctx *c, yaml_mark_t mark, const char *fmt, const char *arg)
{
    char *msg = gotk_xasprintf(fmt, arg);
    if (c->sigs) { /* go-yaml v2 names no line for errors on the first */
        gotk_err *e = sigs_err(c, mark.line ? mark.line + 1 : 0, msg);
        free(msg);
        return e;
    }
    gotk_err *e = gotk_err_new(GOTK_E_INVALID, "%s:%zu:%zu: %s", c->source ? c->source : "<input>",
                               mark.line + 1 + c->line_offset, mark.column + 1, msg);
    free(msg);
    return e;
}

/* A reader error (bad encoding, control character) at a byte offset. */
static gotk_err *reader_error(parse_ctx *c, size_t offset, const char *problem)
{
    yaml_mark_t m = {0};
    for (size_t i = 0; i < offset && i < c->len; i++) {
        if (c->data[i] == '\n') {
            m.line++;
            m.column = 0;
        } else if (((unsigned char)c->data[i] & 0xC0) != 0x80) {
            m.column++;
        }
    }
    return err_at(c, m, "%s", problem);
}

/* Control characters go-yaml's reader refuses (v2 names no position). */
static gotk_err *control_chars_error(parse_ctx *c, yaml_mark_t mark)
{
    if (c->sigs)
        return sigs_err(c, 0, "control characters are not allowed");
    return err_at(c, mark, "%s", "control characters are not allowed");
}

/* An alias of an anchor not defined before it (v2 names no position). */
static gotk_err *unknown_anchor(parse_ctx *c, yaml_mark_t mark, const char *name)
{
    if (!c->sigs)
        return err_at(c, mark, "unknown anchor '%s' referenced", name);
    char *msg = gotk_xasprintf("unknown anchor '%s' referenced", name);
    gotk_err *e = sigs_err(c, 0, msg);
    free(msg);
    return e;
}

static size_t byte_at(parse_ctx *c, size_t char_index);

/* An empty flow collection ("{}", "[ ]") at the byte offset `at`: its length, or 0. */
static size_t empty_flow_at(const char *data, size_t len, size_t at)
{
    if (at >= len || (data[at] != '{' && data[at] != '['))
        return 0;
    char close = data[at] == '{' ? '}' : ']';
    size_t i = at + 1;
    while (i < len && strchr(" \t\r\n", data[i]))
        i++;
    return i < len && data[i] == close ? i + 1 - at : 0;
}

/* go-yaml v2 forgets the simple key an empty flow collection may start (its
 * decrease_flow_level drops the key saved for the same token number), so where
 * a key is required such a "{}" is no key-to-be but reaches the parser, which
 * fails there ("did not find expected key"); libyaml instead reports the key
 * missing its ':'. Remember where, for parse_all to read it go-yaml's way. */
static void empty_flow_key(parse_ctx *c)
{
    yaml_parser_t *p = &c->parser;
    if (p->error != YAML_SCANNER_ERROR || !p->problem || !p->context ||
        strcmp(p->problem, "could not find expected ':'") ||
        strcmp(p->context, "while scanning a simple key"))
        return;
    size_t at = byte_at(c, p->context_mark.index);
    if (empty_flow_at(c->data, c->len, at))
        c->empty_key = at + 1;
}

/* go-yaml v2's report of a parser error: the problem's line (0-based, but one
 * more for scanner errors), else the context's, else none. */
static gotk_err *sigs_parser_error(parse_ctx *c)
{
    yaml_parser_t *p = &c->parser;
    empty_flow_key(c);
    size_t line = 0;
    if (p->problem_mark.line != 0)
        line = p->problem_mark.line + (p->error == YAML_SCANNER_ERROR);
    else if (p->context_mark.line != 0)
        line = p->context_mark.line;
    return sigs_err(c, line, p->problem ? p->problem : "unknown problem parsing YAML content");
}

/* The parser's own error: problem, position, and what it was parsing. */
static gotk_err *parser_error(parse_ctx *c)
{
    yaml_parser_t *p = &c->parser;
    if (c->sigs)
        return sigs_parser_error(c);
    if (p->error == YAML_READER_ERROR)
        return reader_error(c, p->problem_offset, p->problem ? p->problem : "invalid input");
    const char *problem = p->problem ? p->problem : "invalid YAML";
    size_t at = p->problem_mark.index;
    if (at < c->len && c->data[at] == '\t' && strstr(problem, "cannot start any token"))
        problem = "found a tab character where indentation or a token was expected "
                  "(YAML indents with spaces)";
    if (!p->context)
        return err_at(c, p->problem_mark, "%s", problem);
    char *msg = gotk_xasprintf("%s (%s at line %zu)", problem, p->context,
                               p->context_mark.line + 1 + c->line_offset);
    gotk_err *e = err_at(c, p->problem_mark, "%s", msg);
    free(msg);
    return e;
}

static gotk_err *next_event(parse_ctx *c, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&c->parser, ev))
        return parser_error(c);
    return NULL;
}

static void anchors_clear(parse_ctx *c)
{
    for (size_t i = 0; i < c->n_anchors; i++) {
        free(c->anchors[i].name);
        json_object_put(c->anchors[i].value);
    }
    c->n_anchors = 0;
}

static void anchor_add(parse_ctx *c, const unsigned char *name, json_object *v, long nodes)
{
    if (!name)
        return;
    if (c->n_anchors == c->cap_anchors) {
        c->cap_anchors = c->cap_anchors ? c->cap_anchors * 2 : 8;
        c->anchors = gotk_xrealloc(c->anchors, c->cap_anchors * sizeof *c->anchors);
    }
    anchor *a = &c->anchors[c->n_anchors++];
    a->name = gotk_xstrdup((const char *)name);
    a->value = json_object_get(v);
    a->nodes = nodes;
}

/* The latest anchor with this name (a name may be redefined). */
static anchor *anchor_find(parse_ctx *c, const char *name)
{
    for (size_t i = c->n_anchors; i > 0; i--)
        if (!strcmp(c->anchors[i - 1].name, name))
            return &c->anchors[i - 1];
    return NULL;
}

static bool tag_is(const yaml_char_t *tag, const char *short_name)
{
    static const char prefix[] = "tag:yaml.org,2002:";
    return tag && !strncmp((const char *)tag, prefix, sizeof prefix - 1) &&
           !strcmp((const char *)tag + sizeof prefix - 1, short_name);
}

/* json value of a resolved scalar. */
static json_object *from_resolved(const res_value *r, const char *text, size_t len)
{
    char buf[32];
    switch (r->kind) {
    case RES_NULL:
        return NULL;
    case RES_BOOL:
        return json_object_new_boolean(r->b);
    case RES_INT:
        return json_object_new_int64(r->i);
    case RES_UINT:
        return json_object_new_uint64(r->u);
    case RES_FLOAT:
        return json_object_new_double_s(r->f, gotk_go_json_float(r->f, buf));
    case RES_TIMESTAMP:
        return json_object_new_string(r->ts);
    case RES_STR:
        break;
    }
    return json_object_new_string_len(text, (int)len);
}

/* The byte offset of a character index, moving a cursor forward (events come in
 * input order, so the walk over the input is linear overall). */
static size_t byte_at(parse_ctx *c, size_t char_index)
{
    if (char_index < c->cur_char) {
        c->cur_char = 0;
        c->cur_byte = 0;
    }
    while (c->cur_char < char_index && c->cur_byte < c->len) {
        c->cur_byte++;
        while (c->cur_byte < c->len && ((unsigned char)c->data[c->cur_byte] & 0xC0) == 0x80)
            c->cur_byte++;
        c->cur_char++;
    }
    return c->cur_byte;
}

/* go-yaml does not know the `\/` escape that libyaml accepts. */
static gotk_err *check_escapes(parse_ctx *c, yaml_event_t *ev)
{
    size_t from = byte_at(c, ev->start_mark.index), to = byte_at(c, ev->end_mark.index);
    for (size_t i = from; i + 1 < to; i++) {
        if (c->data[i] != '\\')
            continue;
        if (c->data[i + 1] == '/')
            return err_at(c, ev->start_mark, "%s",
                          c->sigs ? "found unknown escape character"
                                  : "found unknown escape character while parsing a quoted scalar");
        i++;
    }
    return NULL;
}

/* Characters Go's JSON encoder leaves raw and go-yaml's reader then refuses:
 * DEL, the C1 controls but NEL, and U+FFFE/U+FFFF. Only kyaml reads YAML
 * back from JSON; sigs.k8s.io/yaml keeps escaped ones. */
static bool has_control_chars(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == 0x7F)
            return true;
        if (s[i] == 0xC2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F && s[i + 1] != 0x85)
            return true;
        if (s[i] == 0xEF && i + 2 < len && s[i + 1] == 0xBF && (s[i + 2] == 0xBE || s[i + 2] == 0xBF))
            return true;
    }
    return false;
}

/* !!binary: the decoded bytes as a string (JSON then turns bad UTF-8 into U+FFFD). */
static gotk_err *binary_value(parse_ctx *c, yaml_event_t *ev, json_object **out)
{
    const char *text = (const char *)ev->data.scalar.value;
    gotk_buf clean = {0};
    for (size_t i = 0; i < ev->data.scalar.length; i++)
        if (!strchr(" \t\r\n", text[i]))
            gotk_buf_putc(&clean, text[i]);
    unsigned char *bytes = NULL;
    size_t n = 0;
    gotk_err *e = gotk_base64_decode(clean.data ? clean.data : "", clean.len, &bytes, &n);
    gotk_buf_free(&clean);
    if (e) {
        gotk_err_free(e);
        return err_at(c, ev->start_mark, "%s", "!!binary value contains invalid base64 data");
    }
    *out = json_object_new_string_len((const char *)bytes, (int)n);
    free(bytes);
    return NULL;
}

/* A resolved scalar after sigs.k8s.io/yaml's trip through JSON: numbers are
 * float64, timestamps stay as written (go-yaml v2 keeps them strings), and
 * what JSON cannot hold fails as json.Marshal does. */
static gotk_err *sigs_value(parse_ctx *c, yaml_event_t *ev, const res_value *r, json_object **out)
{
    double d;
    switch (r->kind) {
    case RES_INT: d = (double)r->i; break;
    case RES_UINT: d = (double)r->u; break;
    case RES_FLOAT: d = r->f; break;
    case RES_TIMESTAMP: r = &(res_value){.kind = RES_STR}; /* fall through */
    default: *out = from_resolved(r, (const char *)ev->data.scalar.value, ev->data.scalar.length);
        return NULL;
    }
    if (isnan(d) || isinf(d)) {
        char buf[32];
        gotk_go_float_g(d, buf);
        return gotk_err_new(GOTK_E_INVALID, "%s%serror converting YAML to JSON: json: unsupported value: %s",
                            c->source ? c->source : "", c->source ? ": " : "", buf);
    }
    *out = json_object_new_double(d);
    return NULL;
}

/* A scalar whose text is no value of its tag. go-yaml v2 (sigs) names the
 * tag the text resolves to ("cannot decode !!str `x` as a !!int"); it
 * reads timestamps only under !!timestamp and a float beyond float64 as a
 * string (as obj_resolve_plain does in sigs mode). */
static gotk_err *tag_mismatch(parse_ctx *c, const yaml_event_t *ev, const res_value *r,
                              const yaml_char_t *tag)
{
    const char *text = (const char *)ev->data.scalar.value;
    if (!c->sigs)
        return err_at(c, ev->start_mark, "cannot decode %s with the tag it has", text);
    const char *rtag = r->kind == RES_NULL ? "null" : r->kind == RES_BOOL ? "bool"
                     : r->kind == RES_INT || r->kind == RES_UINT ? "int"
                     : r->kind == RES_FLOAT ? "float" : "str";
    const char *want = strrchr((const char *)tag, ':') + 1; /* tag_is checked the prefix */
    char *msg = gotk_xasprintf("cannot decode !!%s `%s` as a !!%s", rtag, text, want);
    gotk_err *e = sigs_err(c, 0, msg); /* resolve's failf names no line */
    free(msg);
    return e;
}

/* Type a scalar as go-yaml v3 does: quoted and block scalars are strings; plain
 * ones resolve; the standard tags force a type. */
static gotk_err *scalar_value(parse_ctx *c, yaml_event_t *ev, bool in_flow, json_object **out)
{
    const char *text = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    const yaml_char_t *tag = ev->data.scalar.tag;
    if (tag && !strcmp((const char *)tag, "!"))
        tag = NULL; /* the non-specific tag resolves like none */
    bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    res_value r = {.kind = RES_STR};
    if (!c->sigs && has_control_chars((const unsigned char *)text, len))
        return control_chars_error(c, ev->start_mark);
    if (ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE && c->data) {
        gotk_err *e = check_escapes(c, ev);
        if (e)
            return e;
    }
    if (tag_is(tag, "binary"))
        return binary_value(c, ev, out);
    if (ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE && !c->literal_folds) {
        *out = obj_refold_v3(text, len);
        return NULL;
    }
    /* kustomize re-emits flow collections, writing an empty value as '' */
    if (plain && !tag && len == 0 && in_flow && !c->sigs) {
        *out = json_object_new_string("");
        return NULL;
    }
    if (tag && (tag_is(tag, "int") || tag_is(tag, "float") || tag_is(tag, "bool") ||
                tag_is(tag, "null") || tag_is(tag, "timestamp"))) {
        obj_resolve_plain(text, c->sigs, &r);
        if (tag_is(tag, "float") && r.kind == RES_INT) {
            r.kind = RES_FLOAT;
            r.f = (double)r.i;
        }
        bool ok = (tag_is(tag, "int") && (r.kind == RES_INT || r.kind == RES_UINT)) ||
                  (tag_is(tag, "float") && r.kind == RES_FLOAT) ||
                  (tag_is(tag, "bool") && r.kind == RES_BOOL) ||
                  (tag_is(tag, "null") && r.kind == RES_NULL) ||
                  (tag_is(tag, "timestamp") && r.kind == RES_TIMESTAMP);
        if (!ok)
            return tag_mismatch(c, ev, &r, tag);
    } else if (plain && !tag) {
        obj_resolve_plain(text, c->sigs, &r);
    }
    if (c->sigs)
        return sigs_value(c, ev, &r, out);
    *out = from_resolved(&r, text, len);
    return NULL;
}

static gotk_err *parse_node(parse_ctx *c, yaml_event_t *ev, int depth, json_object **out,
                            long *nodes);

/* Depth is counted in steps of 2; odd depths mean "inside a flow collection". */
#define FLOW_BIT 1
#define DEPTH_STEP 2

/* A sequence: nodes until SEQUENCE-END. */
static gotk_err *parse_sequence(parse_ctx *c, int depth, json_object **out, long *nodes)
{
    json_object *arr = json_object_new_array();
    *nodes = 1;
    for (;;) {
        yaml_event_t ev;
        gotk_err *e = next_event(c, &ev);
        if (e) {
            json_object_put(arr);
            return e;
        }
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        json_object *item = NULL;
        long n = 0;
        e = parse_node(c, &ev, depth + DEPTH_STEP, &item, &n);
        yaml_event_delete(&ev);
        if (e) {
            json_object_put(arr);
            return e;
        }
        json_object_array_add(arr, item);
        *nodes += n;
    }
    gotk_obj_fit(arr);
    *out = arr;
    return NULL;
}

typedef struct {
    size_t *lines; /* line of each key, by insertion index */
    size_t n, cap;
    json_object **merges; /* values of `<<` keys, applied at the end */
    size_t n_merges, cap_merges;
} map_state;

static void map_state_free(map_state *m)
{
    free(m->lines);
    for (size_t i = 0; i < m->n_merges; i++)
        json_object_put(m->merges[i]);
    free(m->merges);
}

/* Go's %q of a key, enough for the duplicate-key message (printable text is
 * kept, quotes and backslashes escaped, control bytes in \x form). */
static void go_quote(gotk_buf *b, const char *s)
{
    gotk_buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            gotk_buf_printf(b, "\\%c", ch);
        else if (ch == '\n')
            gotk_buf_puts(b, "\\n");
        else if (ch == '\t')
            gotk_buf_puts(b, "\\t");
        else if (ch < 0x20 || ch == 0x7f)
            gotk_buf_printf(b, "\\x%02x", ch);
        else
            gotk_buf_putc(b, (char)ch);
    }
    gotk_buf_putc(b, '"');
}

/* The line where `key` was first set, for the duplicate-key message. */
static size_t first_line_of(json_object *obj, const map_state *m, const char *key)
{
    size_t i = 0;
    json_object_object_foreach(obj, k, v) {
        (void)v;
        if (!strcmp(k, key))
            return i < m->n ? m->lines[i] : 0;
        i++;
    }
    return 0;
}

/* Add the keys of a merged mapping (or list of mappings) that are not set. */
static gotk_err *apply_merge(parse_ctx *c, json_object *obj, json_object *src, yaml_mark_t at)
{
    if (json_object_is_type(src, json_type_array)) {
        size_t n = json_object_array_length(src);
        for (size_t i = 0; i < n; i++) {
            gotk_err *e = apply_merge(c, obj, json_object_array_get_idx(src, i), at);
            if (e)
                return e;
        }
        return NULL;
    }
    if (!json_object_is_type(src, json_type_object))
        return err_at(c, at, "%s", "map merge requires map or sequence of maps as the value");
    json_object_object_foreach(src, k, v) {
        if (!json_object_object_get_ex(obj, k, NULL))
            json_object_object_add(obj, k, gotk_obj_copy(v));
    }
    return NULL;
}

/* KEY_BAD: a key sigs.k8s.io/yaml cannot turn into a string; `key` then
 * holds the start of its error message. */
typedef enum { KEY_NORMAL, KEY_MERGE, KEY_DROP, KEY_BAD } key_kind;

/* A key as sigs.k8s.io/yaml turns go-yaml v2's typed keys into strings:
 * integers in decimal, floats as float32 'g' (".inf" for infinities), bools as
 * true/false; null and keys above int64 have no string form. */
static gotk_err *sigs_key_string(const res_value *r, const char *text, char **key,
                                 key_kind *kind)
{
    char buf[32];
    switch (r->kind) {
    case RES_STR: case RES_TIMESTAMP: *key = gotk_xstrdup(text); return NULL;
    case RES_BOOL: *key = gotk_xstrdup(r->b ? "true" : "false"); return NULL;
    case RES_INT: *key = gotk_xasprintf("%lld", (long long)r->i); return NULL;
    case RES_FLOAT:
        obj_go_float32_g(r->f, buf);
        *key = gotk_xstrdup(!strcmp(buf, "+Inf") ? ".inf" : !strcmp(buf, "-Inf") ? "-.inf"
                            : !strcmp(buf, "NaN") ? ".nan" : buf);
        return NULL;
    case RES_UINT:
        *key = gotk_xasprintf("unsupported map key of type: uint64, key: 0x%llx",
                              (unsigned long long)r->u);
        break;
    case RES_NULL: *key = gotk_xstrdup("unsupported map key of type: %!s(<nil>), key: <nil>"); break;
    }
    *kind = KEY_BAD;
    return NULL;
}

/* A value as Go's %+#v prints go-yaml v2's scalars (collections as JSON). */
static void sigs_value_text(json_object *v, gotk_buf *out)
{
    char buf[32];
    if (!v) {
        gotk_buf_puts(out, "<nil>");
    } else if (json_object_is_type(v, json_type_double)) {
        gotk_buf_puts(out, gotk_go_float_g(json_object_get_double(v), buf));
    } else if (json_object_is_type(v, json_type_string)) {
        gotk_buf_putc(out, '"');
        for (const char *s = json_object_get_string(v); *s; s++) {
            if (*s == '"' || *s == '\\')
                gotk_buf_putc(out, '\\');
            if (*s == '\n')
                gotk_buf_puts(out, "\\n");
            else
                gotk_buf_putc(out, *s);
        }
        gotk_buf_putc(out, '"');
    } else {
        char *j = gotk_json_to_string(v);
        gotk_buf_puts(out, j);
        free(j);
    }
}

/* A scalar key in SIGS mode: plain keys resolve (YAML 1.1) and are stringified;
 * only a plain `<<` merges. */
static gotk_err *sigs_key(yaml_event_t *ev, char **key, key_kind *kind)
{
    const char *text = (const char *)ev->data.scalar.value;
    const char *tag = (const char *)ev->data.scalar.tag;
    bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    res_value r = {.kind = RES_STR};
    if (plain && !strcmp(text, "<<"))
        *kind = KEY_MERGE;
    else if (plain && (!tag || !strcmp(tag, "!")))
        obj_resolve_plain(text, true, &r);
    return sigs_key_string(&r, text, key, kind);
}

/* A key that is an alias of a scalar, in SIGS mode: the anchored value's key form. */
static gotk_err *sigs_alias_key(json_object *v, char **key, key_kind *kind)
{
    res_value r = {.kind = RES_STR};
    if (json_object_is_type(v, json_type_boolean)) {
        r.kind = RES_BOOL;
        r.b = json_object_get_boolean(v);
    } else if (json_object_is_type(v, json_type_double)) {
        double d = json_object_get_double(v);
        r.kind = d == floor(d) && fabs(d) < 9e15 ? RES_INT : RES_FLOAT;
        r.i = (int64_t)d;
        r.f = d;
    } else if (!v) {
        r.kind = RES_NULL;
    }
    return sigs_key_string(&r, json_object_get_string(v), key, kind);
}

/* Read one key: a scalar (or an alias of one). A plain `<<` merges; kustomize
 * loses a quoted one together with its value. */
static gotk_err *parse_key(parse_ctx *c, yaml_event_t *ev, char **key, key_kind *kind)
{
    *kind = KEY_NORMAL;
    if (ev->type == YAML_SCALAR_EVENT) {
        if (!c->sigs && has_control_chars(ev->data.scalar.value, ev->data.scalar.length))
            return control_chars_error(c, ev->start_mark);
        if (c->sigs)
            return sigs_key(ev, key, kind);
        if (!strcmp((const char *)ev->data.scalar.value, "<<"))
            *kind = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? KEY_MERGE : KEY_DROP;
        *key = gotk_xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
        return NULL;
    }
    if (ev->type == YAML_ALIAS_EVENT) {
        anchor *a = anchor_find(c, (const char *)ev->data.alias.anchor);
        if (a && c->sigs && !json_object_is_type(a->value, json_type_object) &&
            !json_object_is_type(a->value, json_type_array))
            return sigs_alias_key(a->value, key, kind);
        if (a && json_object_is_type(a->value, json_type_string)) {
            *key = gotk_xstrdup(json_object_get_string(a->value));
            return NULL;
        }
    }
    return err_at(c, ev->start_mark, "%s", "only scalar mapping keys are supported");
}

/* GOTK_YAML_PARSE_HEAD: a node read for its errors only, nothing built. What
 * a later part of the document could refer to or that changes the parent
 * (anchors, aliases, merge keys, keys JSON cannot hold) sets c->fallback and
 * stops: the caller then parses everything. */
static gotk_err *skip_node(parse_ctx *c, yaml_event_t *ev, int depth);

static gotk_err *fall_back(parse_ctx *c)
{
    c->fallback = true;
    return gotk_err_new(GOTK_E_INVALID, "full parse needed");
}

static gotk_err *skip_children(parse_ctx *c, int depth, yaml_event_type_t end, bool mapping)
{
    for (;;) {
        yaml_event_t ev;
        gotk_err *e = next_event(c, &ev);
        if (e)
            return e;
        if (ev.type == end) {
            yaml_event_delete(&ev);
            return NULL;
        }
        if (mapping) {
            char *key = NULL;
            key_kind kind;
            e = parse_key(c, &ev, &key, &kind);
            free(key);
            yaml_event_delete(&ev);
            if (!e && kind != KEY_NORMAL)
                e = fall_back(c);
            if (!e)
                e = next_event(c, &ev);
            if (e)
                return e;
        }
        e = skip_node(c, &ev, depth + DEPTH_STEP);
        yaml_event_delete(&ev);
        if (e)
            return e;
    }
}

static gotk_err *skip_node(parse_ctx *c, yaml_event_t *ev, int depth)
{
    if (depth / DEPTH_STEP > MAX_DEPTH)
        return err_at(c, ev->start_mark, "%s", "document is nested too deeply");
    json_object *v = NULL;
    gotk_err *e;
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        if (ev->data.scalar.anchor)
            return fall_back(c);
        e = scalar_value(c, ev, depth & FLOW_BIT, &v);
        json_object_put(v);
        return e;
    case YAML_SEQUENCE_START_EVENT:
        if (ev->data.sequence_start.anchor)
            return fall_back(c);
        if (ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE)
            depth |= FLOW_BIT;
        return skip_children(c, depth, YAML_SEQUENCE_END_EVENT, false);
    case YAML_MAPPING_START_EVENT:
        if (ev->data.mapping_start.anchor)
            return fall_back(c);
        if (ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE)
            depth |= FLOW_BIT;
        return skip_children(c, depth, YAML_MAPPING_END_EVENT, true);
    case YAML_ALIAS_EVENT:
        return fall_back(c);
    default:
        return err_at(c, ev->start_mark, "%s", "unexpected YAML event");
    }
}

/* HEAD: the root mapping's keys that are built. */
static bool head_key(int depth, const char *key)
{
    return depth / DEPTH_STEP > 0 || !strcmp(key, "apiVersion") || !strcmp(key, "kind") ||
           !strcmp(key, "metadata");
}

/* Read the value for `key` and store it, or remember it as a merge source. */
static gotk_err *parse_entry(parse_ctx *c, json_object *obj, map_state *m, const char *key,
                             key_kind kind, yaml_mark_t key_mark, int depth, long *nodes)
{
    yaml_event_t ev;
    gotk_err *e = next_event(c, &ev);
    if (e)
        return e;
    json_object *val = NULL;
    long n = 0;
    size_t val_line = ev.start_mark.line + 1 + c->line_offset;
    if (c->head && kind == KEY_NORMAL && !head_key(depth, key)) {
        e = skip_node(c, &ev, depth + DEPTH_STEP);
        yaml_event_delete(&ev);
        return e;
    }
    e = parse_node(c, &ev, depth + DEPTH_STEP, &val, &n);
    yaml_event_delete(&ev);
    if (e)
        return e;
    *nodes += n;
    if (kind == KEY_BAD && !c->bad_key) { /* reported once the whole input parsed */
        gotk_buf b = {0};
        gotk_buf_printf(&b, "%s, value: ", key);
        sigs_value_text(val, &b);
        c->bad_key = b.data;
    }
    if (kind == KEY_DROP || kind == KEY_BAD) {
        json_object_put(val);
        return NULL;
    }
    if (kind == KEY_MERGE) {
        if (m->n_merges == m->cap_merges) {
            m->cap_merges = m->cap_merges ? m->cap_merges * 2 : 2;
            m->merges = gotk_xrealloc(m->merges, m->cap_merges * sizeof *m->merges);
        }
        m->merges[m->n_merges++] = val;
        return NULL;
    }
    if (json_object_object_get_ex(obj, key, NULL) && c->strict) {
        json_object_put(val); /* go-yaml v2 strict: noted, the first one kept */
        gotk_buf_printf(&c->dup_keys, "\n  line %zu: key ", val_line);
        go_quote(&c->dup_keys, key);
        gotk_buf_puts(&c->dup_keys, " already set in map");
        return NULL;
    }
    if (json_object_object_get_ex(obj, key, NULL) && c->sigs) {
        json_object_object_add(obj, key, val); /* go-yaml v2: the last one wins */
        return NULL;
    }
    if (json_object_object_get_ex(obj, key, NULL) && c->first_key) {
        json_object_put(val); /* kyaml's lookups find the first one */
        return NULL;
    }
    if (json_object_object_get_ex(obj, key, NULL)) {
        json_object_put(val);
        char *msg = gotk_xasprintf("mapping key \"%s\" already defined at line %zu", key,
                                   first_line_of(obj, m, key));
        e = err_at(c, key_mark, "%s", msg);
        free(msg);
        return e;
    }
    json_object_object_add(obj, key, val);
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 8;
        m->lines = gotk_xrealloc(m->lines, m->cap * sizeof *m->lines);
    }
    m->lines[m->n++] = key_mark.line + 1 + c->line_offset;
    return NULL;
}

/* A mapping: key/value pairs until MAPPING-END, then merges. */
static gotk_err *parse_mapping(parse_ctx *c, int depth, yaml_mark_t start, json_object **out,
                               long *nodes)
{
    json_object *obj = json_object_new_object();
    map_state m = {0};
    gotk_err *e = NULL;
    *nodes = 1;
    for (;;) {
        yaml_event_t ev;
        if ((e = next_event(c, &ev)))
            break;
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        char *key = NULL;
        key_kind kind;
        yaml_mark_t key_mark = ev.start_mark;
        e = parse_key(c, &ev, &key, &kind);
        yaml_event_delete(&ev);
        if (!e)
            e = parse_entry(c, obj, &m, key, kind, key_mark, depth, nodes);
        free(key);
        if (e)
            break;
    }
    for (size_t i = 0; !e && i < m.n_merges; i++)
        e = apply_merge(c, obj, m.merges[i], start);
    map_state_free(&m);
    if (e) {
        json_object_put(obj);
        return e;
    }
    gotk_obj_fit(obj);
    *out = obj;
    return NULL;
}

/* An alias: a copy of what the anchor holds, charged against the alias budget. */
static gotk_err *parse_alias(parse_ctx *c, yaml_event_t *ev, json_object **out, long *nodes)
{
    const char *name = (const char *)ev->data.alias.anchor;
    anchor *a = anchor_find(c, name);
    if (!a)
        return unknown_anchor(c, ev->start_mark, name);
    c->alias_nodes += a->nodes;
    if (c->alias_nodes > MAX_ALIAS_NODES)
        return err_at(c, ev->start_mark, "%s", "document contains excessive aliasing");
    *out = gotk_obj_copy(a->value);
    *nodes = a->nodes;
    return NULL;
}

static gotk_err *parse_node(parse_ctx *c, yaml_event_t *ev, int depth, json_object **out,
                            long *nodes)
{
    if (depth / DEPTH_STEP > MAX_DEPTH)
        return err_at(c, ev->start_mark, "%s", "document is nested too deeply");
    gotk_err *e = NULL;
    const yaml_char_t *anchor_name = NULL;
    *nodes = 1;
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        anchor_name = ev->data.scalar.anchor;
        e = scalar_value(c, ev, depth & FLOW_BIT, out);
        break;
    case YAML_SEQUENCE_START_EVENT:
        anchor_name = ev->data.sequence_start.anchor;
        if (ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE)
            depth |= FLOW_BIT;
        e = parse_sequence(c, depth, out, nodes);
        break;
    case YAML_MAPPING_START_EVENT:
        anchor_name = ev->data.mapping_start.anchor;
        if (ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE)
            depth |= FLOW_BIT;
        e = parse_mapping(c, depth, ev->start_mark, out, nodes);
        break;
    case YAML_ALIAS_EVENT:
        return parse_alias(c, ev, out, nodes);
    default:
        return err_at(c, ev->start_mark, "%s", "unexpected YAML event");
    }
    if (!e)
        anchor_add(c, anchor_name, *out, *nodes);
    return e;
}

/* One document: its root node then DOCUMENT-END. Null roots are skipped. */
static gotk_err *parse_document(parse_ctx *c, json_object *docs)
{
    yaml_event_t ev;
    gotk_err *e = next_event(c, &ev);
    if (e)
        return e;
    json_object *root = NULL;
    long nodes;
    e = parse_node(c, &ev, 0, &root, &nodes);
    yaml_event_delete(&ev);
    if (!e)
        e = next_event(c, &ev);
    if (!e)
        yaml_event_delete(&ev); /* DOCUMENT-END */
    anchors_clear(c);
    if (!e && root)
        json_object_array_add(docs, root);
    else
        json_object_put(root);
    return e;
}

static gotk_err *parse_stream(parse_ctx *c, json_object *docs)
{
    for (;;) {
        yaml_event_t ev;
        gotk_err *e = next_event(c, &ev);
        if (e)
            return e;
        yaml_event_type_t type = ev.type;
        yaml_event_delete(&ev);
        if (type == YAML_STREAM_END_EVENT)
            return NULL;
        if (type == YAML_DOCUMENT_START_EVENT && (e = parse_document(c, docs)))
            return e;
        if (type == YAML_DOCUMENT_START_EVENT && c->sigs) /* Unmarshal reads one */
            return NULL;
    }
}

static gotk_err *parse_all(const char *data, size_t len, const char *source, bool literal_folds,
                           unsigned sigs_flags, json_object **docs);

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* The input again with the empty flow collection at `at` read as a closing
 * bracket where no flow is open: libyaml's parser then meets an unexpected
 * token right there, as go-yaml v2's meets the collection (see
 * empty_flow_key). Where the parser wants a node (a value on the line below
 * its key, at the key's column), v2 reads the collection as that value and
 * fails later on the forgotten key as libyaml did: `orig` stands. */
static gotk_err *parse_empty_key_closed(const char *data, size_t len, const char *source,
                                        bool literal_folds, unsigned sigs_flags, size_t at,
                                        gotk_err *orig)
{
    char *copy = gotk_xmalloc(len + 1);
    memcpy(copy, data, len);
    size_t n = empty_flow_at(data, len, at);
    copy[at] = data[at + n - 1];
    memset(copy + at + 1, ' ', n - 1);
    json_object *none = NULL;
    gotk_err *e = parse_all(copy, len, source, literal_folds, sigs_flags, &none);
    free(copy);
    json_object_put(none);
    const char *msg = e ? gotk_err_msg(e) : "";
    if (ends_with(msg, "did not find expected key") ||
        ends_with(msg, "did not find expected '-' indicator")) {
        gotk_err_free(orig);
        return e;
    }
    gotk_err_free(e);
    return orig;
}

/* Parse the whole stream as libyaml reads it, with or without kustomize's
 * treatment of folded scalars, or as sigs.k8s.io/yaml. */
static gotk_err *parse_all(const char *data, size_t len, const char *source, bool literal_folds,
                           unsigned sigs_flags, json_object **docs)
{
    parse_ctx c = {.source = source, .data = data, .len = len, .literal_folds = literal_folds,
                   .sigs = sigs_flags & GOTK_YAML_PARSE_SIGS,
                   .strict = sigs_flags & GOTK_YAML_PARSE_STRICT,
                   .head = (sigs_flags & GOTK_YAML_PARSE_HEAD) &&
                           !(sigs_flags & GOTK_YAML_PARSE_STRICT)};
    if (!yaml_parser_initialize(&c.parser))
        return gotk_err_new(GOTK_E_NOMEM, "initializing the YAML parser");
    yaml_parser_set_input_string(&c.parser, (const unsigned char *)data, len);
    json_object *arr = json_object_new_array();
    gotk_err *e = parse_stream(&c, arr);
    if (!e && c.bad_key)
        e = gotk_err_new(GOTK_E_INVALID, "%s%serror converting YAML to JSON: %s",
                         source ? source : "", source ? ": " : "", c.bad_key);
    if (!e && c.dup_keys.data)
        e = gotk_err_new(GOTK_E_INVALID,
                         "%s%serror converting YAML to JSON: yaml: unmarshal errors:%s",
                         source ? source : "", source ? ": " : "", c.dup_keys.data);
    gotk_buf_free(&c.dup_keys);
    free(c.bad_key);
    anchors_clear(&c);
    free(c.anchors);
    yaml_parser_delete(&c.parser);
    if (e)
        json_object_put(arr);
    if (e && c.fallback) {
        gotk_err_free(e);
        return parse_all(data, len, source, literal_folds, sigs_flags & ~GOTK_YAML_PARSE_HEAD,
                         docs);
    }
    if (e && c.empty_key)
        return parse_empty_key_closed(data, len, source, literal_folds, sigs_flags,
                                      c.empty_key - 1, e);
    if (e)
        return e;
    *docs = arr;
    return NULL;
}

/* The first YAML document of one piece of the stream, if it has one. */
static gotk_err *parse_piece(parse_ctx *c, const char *piece, size_t len, json_object *docs)
{
    c->data = piece;
    c->len = len;
    c->cur_char = c->cur_byte = 0;
    if (!yaml_parser_initialize(&c->parser))
        return gotk_err_new(GOTK_E_NOMEM, "initializing the YAML parser");
    yaml_parser_set_input_string(&c->parser, (const unsigned char *)piece, len);
    gotk_err *e = NULL;
    for (bool done = false; !done && !e;) {
        yaml_event_t ev;
        if ((e = next_event(c, &ev)))
            break;
        yaml_event_type_t type = ev.type;
        yaml_event_delete(&ev);
        if (type == YAML_STREAM_END_EVENT)
            done = true;
        else if (type == YAML_DOCUMENT_START_EVENT) {
            e = parse_document(c, docs);
            done = true;
        }
    }
    anchors_clear(c);
    yaml_parser_delete(&c->parser);
    return e;
}

/* After "\n---" at `at`: the rest of the separator line must be empty or a comment. */
static gotk_err *check_separator(parse_ctx *c, const char *line, size_t n, size_t lineno)
{
    size_t i = 3;
    while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
        i++;
    if (i == n || line[i] == '#')
        return NULL;
    size_t end = n;
    while (end > 0 && strchr(" \t\r", line[end - 1]))
        end--;
    return gotk_err_new(GOTK_E_INVALID, "%s:%zu: invalid document separator: %.*s",
                        c->source ? c->source : "<input>", lineno, (int)end, line);
}

/* kyaml's splitDocuments: pieces between lines that start with "---". */
static gotk_err *parse_pieces(parse_ctx *c, const char *data, size_t len, json_object *docs)
{
    size_t start = 0, line = 0, piece_line = 0;
    for (size_t i = 0; i < len; i++) {
        if (data[i] != '\n')
            continue;
        line++;
        const char *nl = i + 4 <= len && !memcmp(data + i + 1, "---", 3)
                             ? memchr(data + i + 1, '\n', len - i - 1) : NULL;
        if (!nl)
            continue;
        size_t n = (size_t)(nl - (data + i + 1));
        gotk_err *e = check_separator(c, data + i + 1, n, line + 1);
        c->line_offset = piece_line;
        if (!e)
            e = parse_piece(c, data + start, i + 1 - start, docs);
        if (e)
            return e;
        start = (size_t)(nl - data) + 1;
        i = start - 1;
        line++;
        piece_line = line;
    }
    c->line_offset = piece_line;
    return parse_piece(c, data + start, len - start, docs);
}

/* kyaml's reading of a stream (see gotk_yaml_parse), optionally keeping the
 * first of repeated keys. */
static gotk_err *parse_kyaml(const char *data, size_t len, const char *source, bool first_key,
                             json_object **docs)
{
    char *copy = NULL;
    if (memmem(data, len, "\r\n", 2)) { /* kyaml turns CRLF into LF first */
        copy = gotk_xmalloc(len + 1);
        size_t n = 0;
        for (size_t i = 0; i < len; i++)
            if (!(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
                copy[n++] = data[i];
        data = copy;
        len = n;
    }
    parse_ctx c = {.source = source, .first_key = first_key};
    json_object *arr = json_object_new_array();
    gotk_err *e = parse_pieces(&c, data, len, arr);
    free(c.anchors);
    free(copy);
    if (e) {
        json_object_put(arr);
        return e;
    }
    *docs = arr;
    return NULL;
}

gotk_err *gotk_yaml_parse(const char *data, size_t len, const char *source, json_object **docs)
{
    return parse_kyaml(data, len, source, false, docs);
}

gotk_err *obj_yaml_parse_plain(const char *data, size_t len, json_object **docs)
{
    return parse_all(data, len, NULL, true, 0, docs);
}

bool gotk_yaml_reader_refuses(const char *s, size_t len)
{
    return has_control_chars((const unsigned char *)s, len);
}

gotk_err *gotk_yaml_parse_flags(const char *data, size_t len, const char *source,
                                unsigned flags, json_object **docs)
{
    if (flags & GOTK_YAML_PARSE_SIGS)
        return parse_all(data, len, source, true,
                         flags & (GOTK_YAML_PARSE_SIGS | GOTK_YAML_PARSE_STRICT |
                                  GOTK_YAML_PARSE_HEAD), docs);
    return parse_kyaml(data, len, source, (flags & GOTK_YAML_PARSE_FIRST_KEY) != 0, docs);
}

gotk_err *gotk_yaml_parse_one(const char *data, size_t len, const char *source, json_object **doc)
{
    json_object *docs;
    gotk_err *e = gotk_yaml_parse(data, len, source, &docs);
    if (e)
        return e;
    size_t n = json_object_array_length(docs);
    if (n != 1) {
        json_object_put(docs);
        return gotk_err_new(GOTK_E_INVALID, "%s: expected one YAML document, found %zu",
                            source ? source : "<input>", n);
    }
    *doc = json_object_get(json_object_array_get_idx(docs, 0));
    json_object_put(docs);
    return NULL;
}

gotk_err *gotk_yaml_parse_file(const char *path, json_object **docs)
{
    char *data;
    size_t len;
    gotk_err *e = gotk_file_read(path, &data, &len);
    if (e)
        return e;
    e = gotk_yaml_parse(data, len, path, docs);
    free(data);
    return e;
}
