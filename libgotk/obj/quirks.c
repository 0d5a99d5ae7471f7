/*
 * The places where kustomize's output is not what a clean YAML round trip gives,
 * reproduced so ours is byte-identical. Each comes from one step of kustomize's
 * pipeline (YAML -> go-yaml v3 nodes -> re-emitted YAML -> JSON -> go-yaml v2):
 *
 *  - folded scalars pass through go-yaml v3's folded writer, which misplaces
 *    blank lines (obj_refold_v3);
 *  - Go's JSON leaves NEL unescaped and go-yaml v2 folds it like a line break
 *    (obj_fold_nel);
 *  - go-yaml v2 escapes a whole double-quoted string that starts with a BOM
 *    (obj_bom_quoted).
 */
#include <string.h>
#include <yaml.h>

#include "gotk/obj.h"
#include "internal.h"

static bool is_brk(unsigned char c)
{
    return c == '\n' || c == '\r';
}

/* Header of the block scalar: ">", an indent hint for leading blanks, and the
 * chomping hint from the trailing line breaks. */
static void refold_header(gotk_buf *b, const char *v, size_t len)
{
    gotk_buf_puts(b, "v: >");
    if (v[0] == ' ' || v[0] == '\t' || is_brk((unsigned char)v[0]))
        gotk_buf_putc(b, '2');
    if (!is_brk((unsigned char)v[len - 1]))
        gotk_buf_putc(b, '-');
    else if (len == 1 || is_brk((unsigned char)v[len - 2]))
        gotk_buf_putc(b, '+');
    gotk_buf_putc(b, '\n');
}

/* go-yaml v3's yaml_emitter_write_folded_scalar, including its use of the
 * string's start where it means the current position. */
static void refold_body(gotk_buf *b, const char *v, size_t len)
{
    bool breaks = true, leading_spaces = true;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        if (is_brk(c)) {
            if (!breaks && !leading_spaces && c == '\n') {
                size_t k = 0;
                while (k < len && is_brk((unsigned char)v[k]))
                    k++;
                bool blankz = k >= len || v[k] == ' ' || v[k] == '\t';
                if (!blankz)
                    gotk_buf_putc(b, '\n');
            }
            gotk_buf_putc(b, (char)c);
            breaks = true;
        } else {
            if (breaks) {
                gotk_buf_puts(b, "  ");
                leading_spaces = c == ' ' || c == '\t';
            }
            gotk_buf_putc(b, (char)c);
            breaks = false;
        }
    }
}

/* Whether an emitter may write this as a block scalar at all: no trailing
 * space, no space before a line break, only printable characters. Otherwise it
 * is double-quoted and reads back unchanged. */
static bool block_allowed(const char *v, size_t len)
{
    if (v[len - 1] == ' ')
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c == ' ' && i + 1 < len && is_brk((unsigned char)v[i + 1]))
            return false;
        if (c < 0x20 && c != '\n')
            return false;
        if (c == 0x7F || (c == 0xC2 && i + 1 < len && (unsigned char)v[i + 1] < 0xA0))
            return false;
        if (c == 0xEF && i + 2 < len && (unsigned char)v[i + 1] == 0xBB &&
            (unsigned char)v[i + 2] == 0xBF)
            return false;
        if (c == 0xE2 && i + 2 < len && (unsigned char)v[i + 1] == 0x80 &&
            ((unsigned char)v[i + 2] == 0xA8 || (unsigned char)v[i + 2] == 0xA9))
            return false;
    }
    return true;
}

/* Read back the scalar value of "v: ..." with libyaml. */
static json_object *read_back(const gotk_buf *b, const char *orig, size_t len)
{
    json_object *docs = NULL, *out = NULL;
    gotk_err *e = obj_yaml_parse_plain(b->data, b->len, &docs);
    json_object *v = e ? NULL : gotk_obj_get(json_object_array_get_idx(docs, 0), "v", NULL);
    if (json_object_is_type(v, json_type_string))
        out = json_object_get(v);
    else
        out = json_object_new_string_len(orig, (int)len);
    gotk_err_free(e);
    json_object_put(docs);
    return out;
}

json_object *obj_refold_v3(const char *value, size_t len)
{
    if (len == 0 || !block_allowed(value, len) || memchr(value, '\0', len))
        return json_object_new_string_len(value, (int)len);
    gotk_buf b = {0};
    refold_header(&b, value, len);
    refold_body(&b, value, len);
    json_object *out = read_back(&b, value, len);
    gotk_buf_free(&b);
    return out;
}

static bool is_nel(const char *s, size_t i, size_t len)
{
    return i + 1 < len && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0x85;
}

char *obj_fold_nel(const char *s, size_t len, size_t *out_len)
{
    bool any = false;
    for (size_t i = 0; i + 1 < len && !any; i++)
        any = is_nel(s, i, len);
    if (!any)
        return NULL;
    gotk_buf b = {0};
    for (size_t i = 0; i < len;) {
        if (!is_nel(s, i, len)) {
            gotk_buf_putc(&b, s[i++]);
            continue;
        }
        while (b.len && (b.data[b.len - 1] == ' ' || b.data[b.len - 1] == '\t'))
            b.data[--b.len] = '\0'; /* blanks before a break are dropped */
        size_t breaks = 0;
        while (i < len && (is_nel(s, i, len) || s[i] == ' ' || s[i] == '\t'))
            if (is_nel(s, i, len)) {
                breaks++;
                i += 2;
            } else {
                i++;
            }
        if (breaks == 1)
            gotk_buf_putc(&b, ' ');
        for (size_t k = 1; k < breaks; k++)
            gotk_buf_putc(&b, '\n');
    }
    *out_len = b.len;
    return gotk_buf_steal(&b);
}

char *obj_bom_quoted(const char *s, size_t len)
{
    gotk_buf b = {0};
    gotk_buf_putc(&b, '"');
    for (size_t i = 0; i < len;) {
        uint32_t v;
        i += gotk_utf8_decode(s + i, len - i, &v);
        const char *named = v == 0 ? "0" : v == 7 ? "a" : v == 8 ? "b" : v == 9 ? "t"
                          : v == 10 ? "n" : v == 11 ? "v" : v == 12 ? "f" : v == 13 ? "r"
                          : v == 0x1b ? "e" : v == '"' ? "\"" : v == '\\' ? "\\"
                          : v == 0x85 ? "N" : v == 0xA0 ? "_" : v == 0x2028 ? "L"
                          : v == 0x2029 ? "P" : NULL;
        if (named)
            gotk_buf_printf(&b, "\\%s", named);
        else if (v <= 0xFF)
            gotk_buf_printf(&b, "\\x%02X", v);
        else if (v <= 0xFFFF)
            gotk_buf_printf(&b, "\\u%04X", v);
        else
            gotk_buf_printf(&b, "\\U%08X", v);
    }
    gotk_buf_putc(&b, '"');
    return gotk_buf_steal(&b);
}
