/*
 * json-c -> YAML, formatted as kustomize prints it.
 *
 * kustomize turns each object into JSON and then into YAML with go-yaml v2,
 * whose emitter is a port of libyaml's. So we drive libyaml's emitter with the
 * same events go-yaml's encoder sends: block collections, and per scalar the
 * style go-yaml picks (literal for multi-line strings, double quotes for strings
 * that would read back as another type, plain otherwise). libyaml then makes the
 * layout decisions: indentation, quoting of strings that cannot be plain, and
 * folding at 80 columns. Numbers go through the JSON text Go would write and are
 * read back as go-yaml would, so 1.0 prints 1 and 1e21 prints 1e+21.
 */
#include "gotk/obj.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>
#include <yaml.h>

#include "internal.h"

/* A scalar libyaml cannot write the way go-yaml does: emitted as a unique plain
 * token, replaced with `text` once the document is written. */
typedef struct {
    char token[48];
    char *text;
} placeholder;

typedef struct {
    yaml_emitter_t em;
    yaml_event_t ev;
    unsigned flags;
    gotk_err *err;
    placeholder *ph;
    size_t n_ph;
} emit_ctx;

static int write_to_buf(void *data, unsigned char *buffer, size_t size)
{
    gotk_buf_append(data, buffer, size);
    return 1;
}

/* Send the prepared event; remember the first failure. */
static void emit(emit_ctx *c)
{
    if (c->err) {
        yaml_event_delete(&c->ev);
        return;
    }
    if (!yaml_emitter_emit(&c->em, &c->ev))
        c->err = gotk_err_new(GOTK_E_INVALID, "emitting YAML: %s",
                              c->em.problem ? c->em.problem : "unknown error");
}

static void emit_scalar(emit_ctx *c, const char *s, size_t len, yaml_scalar_style_t style)
{
    yaml_scalar_event_initialize(&c->ev, NULL, NULL, (yaml_char_t *)s, (int)len, 1, 1, style);
    emit(c);
}

/* Emit a token now and substitute go-yaml's fully escaped form later. */
static void emit_bom_string(emit_ctx *c, const char *s, size_t len)
{
    c->ph = gotk_xrealloc(c->ph, (c->n_ph + 1) * sizeof *c->ph);
    placeholder *p = &c->ph[c->n_ph];
    snprintf(p->token, sizeof p->token, "gotk-placeholder-7f3a9c-%zu-z", c->n_ph);
    p->text = obj_bom_quoted(s, len);
    c->n_ph++;
    emit_scalar(c, p->token, strlen(p->token), YAML_PLAIN_SCALAR_STYLE);
}

static bool starts_with_bom(const char *s, size_t len)
{
    return len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3);
}

static void emit_string(emit_ctx *c, const char *s, size_t len);

/* A string holding NEL, as go-yaml v2 reads it back from Go's JSON. */
static bool emit_nel_string(emit_ctx *c, const char *s, size_t len)
{
    size_t n;
    char *folded = obj_fold_nel(s, len, &n);
    if (!folded)
        return false;
    emit_string(c, folded, n);
    free(folded);
    return true;
}

/* go-yaml v2's choice for a string: literal if multi-line, plain if it reads
 * back as a string, else double-quoted. */
static void emit_string(emit_ctx *c, const char *s, size_t len)
{
    if (!gotk_utf8_valid(s, len)) {
        if (!c->err)
            c->err = gotk_err_new(GOTK_E_INVALID, "emitting YAML: a string is not valid UTF-8");
        return;
    }
    if (starts_with_bom(s, len)) {
        emit_bom_string(c, s, len);
        return;
    }
    if (emit_nel_string(c, s, len))
        return;
    yaml_scalar_style_t style;
    if (memchr(s, '\n', len)) {
        style = YAML_LITERAL_SCALAR_STYLE;
    } else if (len && !obj_may_resolve(s)) {
        style = YAML_PLAIN_SCALAR_STYLE;
    } else {
        res_value r;
        bool nul = memchr(s, '\0', len) != NULL;
        if (!nul)
            obj_resolve_plain(s, true, &r);
        bool plain = !nul && r.kind == RES_STR && !obj_is_base60_float(s);
        style = plain ? YAML_PLAIN_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    }
    emit_scalar(c, s, len, style);
}

/* A float as go-yaml v2 prints what Go's JSON encoder wrote for it. */
static void emit_double(emit_ctx *c, double d)
{
    char text[32], out[32];
    if (isnan(d) || isinf(d)) {
        const char *s = isnan(d) ? ".nan" : d > 0 ? ".inf" : "-.inf";
        emit_scalar(c, s, strlen(s), YAML_PLAIN_SCALAR_STYLE);
        return;
    }
    gotk_go_json_float(d, text);
    res_value r;
    obj_resolve_plain(text, true, &r);
    if (r.kind == RES_INT)
        snprintf(out, sizeof out, "%lld", (long long)r.i);
    else if (r.kind == RES_UINT)
        snprintf(out, sizeof out, "%llu", (unsigned long long)r.u);
    else
        gotk_go_float_g(r.kind == RES_FLOAT ? r.f : d, out);
    emit_scalar(c, out, strlen(out), YAML_PLAIN_SCALAR_STYLE);
}

static void emit_int(emit_ctx *c, json_object *v)
{
    char out[32];
    int64_t i = json_object_get_int64(v);
    uint64_t u = json_object_get_uint64(v);
    if (i == INT64_MAX && u > (uint64_t)INT64_MAX)
        snprintf(out, sizeof out, "%llu", (unsigned long long)u);
    else
        snprintf(out, sizeof out, "%lld", (long long)i);
    emit_scalar(c, out, strlen(out), YAML_PLAIN_SCALAR_STYLE);
}

static locale_t utf8_locale;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void load_utf8_locale(void)
{
    utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/* Letters as Go's unicode.IsLetter sees them (the C library's Unicode tables
 * for non-ASCII; without a UTF-8 locale, non-ASCII counts as a letter). */
static bool is_letter(unsigned r)
{
    if (r < 0x80)
        return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
    pthread_once(&utf8_once, load_utf8_locale);
    if (!utf8_locale)
        return true;
    return iswalpha_l((wint_t)r, utf8_locale) && !iswdigit_l((wint_t)r, utf8_locale);
}

static bool is_digit(unsigned r)
{
    return r >= '0' && r <= '9';
}

/* Decode a key into runes at `out` (room for strlen(s) runes); returns the count. */
static size_t runes_of(const char *s, unsigned *out)
{
    size_t len = strlen(s), k = 0;
    for (size_t i = 0; i < len;) {
        uint32_t r;
        i += gotk_utf8_decode(s + i, len - i, &r);
        out[k++] = r;
    }
    return k;
}

/* go-yaml v2's key order: letters after other characters, digit runs compared
 * as numbers. */
static bool key_less(const unsigned *a, size_t na, const unsigned *b, size_t nb)
{
    for (size_t i = 0; i < na && i < nb; i++) {
        if (a[i] == b[i])
            continue;
        bool al = is_letter(a[i]), bl = is_letter(b[i]);
        if (al && bl)
            return a[i] < b[i];
        if (al || bl)
            return bl;
        unsigned long long an = 0, bn = 0; /* wraps as Go's int64 does */
        if (a[i] == '0' || b[i] == '0') {
            for (size_t j = i; j-- > 0 && is_digit(a[j]);) {
                if (a[j] != '0') {
                    an = bn = 1;
                    break;
                }
            }
        }
        size_t ai = i, bi = i;
        for (; ai < na && is_digit(a[ai]); ai++)
            an = an * 10 + (a[ai] - '0');
        for (; bi < nb && is_digit(b[bi]); bi++)
            bn = bn * 10 + (b[bi] - '0');
        if (an != bn)
            return (long long)an < (long long)bn;
        if (ai != bi)
            return ai < bi;
        return a[i] < b[i];
    }
    return na < nb;
}

typedef struct {
    const char *key;
    json_object *val;
    unsigned *runes;
    size_t n_runes;
} entry;

static int entry_cmp(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    if (key_less(a->runes, a->n_runes, b->runes, b->n_runes))
        return -1;
    return key_less(b->runes, b->n_runes, a->runes, a->n_runes) ? 1 : 0;
}

static void emit_value(emit_ctx *c, json_object *v);

/* Sort entries by key, decoding all keys into one rune array first. */
static void sort_entries(entry *entries, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += strlen(entries[i].key);
    unsigned *runes = gotk_xmalloc((total ? total : 1) * sizeof *runes), *at = runes;
    for (size_t i = 0; i < n; i++) {
        entries[i].runes = at;
        entries[i].n_runes = runes_of(entries[i].key, at);
        at += entries[i].n_runes;
    }
    qsort(entries, n, sizeof *entries, entry_cmp);
    free(runes);
}

static void emit_mapping(emit_ctx *c, json_object *obj)
{
    size_t n = (size_t)json_object_object_length(obj), k = 0;
    entry *entries = gotk_xmalloc((n ? n : 1) * sizeof *entries);
    json_object_object_foreach(obj, key, val) {
        entries[k++] = (entry){.key = key, .val = val};
    }
    if ((c->flags & GOTK_YAML_SORT_KEYS) && n > 1)
        sort_entries(entries, n);
    yaml_mapping_start_event_initialize(&c->ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
    emit(c);
    for (size_t i = 0; i < n; i++) {
        emit_string(c, entries[i].key, strlen(entries[i].key));
        emit_value(c, entries[i].val);
    }
    free(entries);
    yaml_mapping_end_event_initialize(&c->ev);
    emit(c);
}

static void emit_sequence(emit_ctx *c, json_object *arr)
{
    yaml_sequence_start_event_initialize(&c->ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
    emit(c);
    size_t n = json_object_array_length(arr);
    for (size_t i = 0; i < n; i++)
        emit_value(c, json_object_array_get_idx(arr, i));
    yaml_sequence_end_event_initialize(&c->ev);
    emit(c);
}

static void emit_value(emit_ctx *c, json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        emit_scalar(c, "null", 4, YAML_PLAIN_SCALAR_STYLE);
        break;
    case json_type_boolean:
        if (json_object_get_boolean(v))
            emit_scalar(c, "true", 4, YAML_PLAIN_SCALAR_STYLE);
        else
            emit_scalar(c, "false", 5, YAML_PLAIN_SCALAR_STYLE);
        break;
    case json_type_int:
        emit_int(c, v);
        break;
    case json_type_double:
        emit_double(c, json_object_get_double(v));
        break;
    case json_type_string:
        emit_string(c, json_object_get_string(v), (size_t)json_object_get_string_len(v));
        break;
    case json_type_array:
        emit_sequence(c, v);
        break;
    case json_type_object:
        emit_mapping(c, v);
        break;
    }
}

/* Put the go-yaml text in place of each placeholder token written after `start`. */
static void replace_placeholders(emit_ctx *c, gotk_buf *out, size_t start)
{
    for (size_t i = 0; i < c->n_ph; i++) {
        char *at = strstr(out->data + start, c->ph[i].token);
        if (at) {
            size_t off = (size_t)(at - out->data), tlen = strlen(c->ph[i].token);
            char *tail = gotk_xstrdup(at + tlen);
            out->len = off;
            gotk_buf_puts(out, c->ph[i].text);
            gotk_buf_puts(out, tail);
            free(tail);
        }
        free(c->ph[i].text);
    }
    free(c->ph);
}

/* libyaml ends a stream with "..." after a keep-chomped block scalar; go-yaml
 * never writes it for an implicit document end. */
static void strip_document_end(gotk_buf *out, size_t start)
{
    if (out->len >= start + 4 && !memcmp(out->data + out->len - 4, "...\n", 4) &&
        (out->len == start + 4 || out->data[out->len - 5] == '\n')) {
        out->len -= 4;
        out->data[out->len] = '\0';
    }
}

gotk_err *gotk_yaml_emit(json_object *doc, unsigned flags, gotk_buf *out)
{
    emit_ctx c = {.flags = flags};
    size_t start = out->len;
    if (!yaml_emitter_initialize(&c.em))
        return gotk_err_new(GOTK_E_NOMEM, "initializing the YAML emitter");
    yaml_emitter_set_output(&c.em, write_to_buf, out);
    yaml_emitter_set_unicode(&c.em, 1);
    yaml_emitter_set_indent(&c.em, 2);
    yaml_emitter_set_width(&c.em, 80);
    yaml_stream_start_event_initialize(&c.ev, YAML_UTF8_ENCODING);
    emit(&c);
    yaml_document_start_event_initialize(&c.ev, NULL, NULL, NULL, 1);
    emit(&c);
    emit_value(&c, doc);
    yaml_document_end_event_initialize(&c.ev, 1);
    emit(&c);
    yaml_stream_end_event_initialize(&c.ev);
    emit(&c);
    yaml_emitter_delete(&c.em);
    if (!out->data)
        gotk_buf_puts(out, "");
    strip_document_end(out, start);
    replace_placeholders(&c, out, start);
    return c.err;
}

gotk_err *gotk_yaml_emit_stream(json_object *docs, unsigned flags, gotk_buf *out)
{
    size_t n = json_object_array_length(docs);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            gotk_buf_puts(out, "---\n");
        gotk_err *e = gotk_yaml_emit(json_object_array_get_idx(docs, i), flags, out);
        if (e)
            return gotk_err_wrap(e, "document %zu", i + 1);
    }
    return NULL;
}

char *gotk_yaml_to_string(json_object *doc, unsigned flags)
{
    gotk_buf b = {0};
    gotk_err *e = gotk_yaml_emit(doc, flags, &b);
    gotk_err_free(e);
    return gotk_buf_steal(&b);
}
