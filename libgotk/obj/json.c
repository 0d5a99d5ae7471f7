/*
 * JSON text in and out.
 *
 * Parsing is json-c's tokenizer with the position of the first error reported.
 * Writing walks the tree and prints what Go's encoding/json prints for the same
 * untyped value, so checksums and golden files agree with the Go tools: compact,
 * floats in Go's shortest form, `<`, `>` and `&` escaped as \u003c..., control
 * characters as \n \t \b \f \r or \u00XX, U+2028 and U+2029 escaped. Object keys
 * keep their order.
 */
#include "gotk/obj.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

gotk_err *gotk_json_parse(const char *data, size_t len, json_object **out)
{
    json_tokener *tok = json_tokener_new();
    if (!tok)
        return gotk_err_new(GOTK_E_NOMEM, "allocating the JSON tokenizer");
    json_object *obj = json_tokener_parse_ex(tok, data, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t off = json_tokener_get_parse_end(tok);
    gotk_err *e = NULL;
    if (jerr == json_tokener_continue)
        e = gotk_err_new(GOTK_E_INVALID, "invalid JSON: unexpected end of input");
    else if (jerr != json_tokener_success)
        e = gotk_err_new(GOTK_E_INVALID, "invalid JSON at offset %zu: %s", off,
                         json_tokener_error_desc(jerr));
    else {
        while (off < len && strchr(" \t\r\n", data[off]))
            off++;
        if (off < len)
            e = gotk_err_new(GOTK_E_INVALID, "invalid JSON at offset %zu: trailing data", off);
    }
    json_tokener_free(tok);
    if (e) {
        json_object_put(obj);
        return e;
    }
    *out = obj;
    return NULL;
}

static void put_string(gotk_buf *b, const char *str, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str;
    gotk_buf_putc(b, '"');
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n"
                        : c == '\r' ? "\\r" : c == '\t' ? "\\t" : c == '\b' ? "\\b"
                        : c == '\f' ? "\\f" : NULL;
        if (esc) {
            gotk_buf_puts(b, esc);
            i++;
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
            gotk_buf_puts(b, u);
            i++;
        } else if (c < 0x80) {
            gotk_buf_putc(b, (char)c);
            i++;
        } else {
            uint32_t r;
            size_t n = gotk_utf8_decode(str + i, len - i, &r);
            if (r == GOTK_RUNE_ERROR && n == 1) {
                gotk_buf_puts(b, "\\ufffd");
                i++;
            } else if (n == 3 && s[i] == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] & 0xFE) == 0xA8) {
                gotk_buf_puts(b, s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
                i += n;
            } else {
                gotk_buf_append(b, s + i, n);
                i += n;
            }
        }
    }
    gotk_buf_putc(b, '"');
}

static void put_value(gotk_buf *b, json_object *v)
{
    char num[32];
    switch (json_object_get_type(v)) {
    case json_type_null:
        gotk_buf_puts(b, "null");
        break;
    case json_type_boolean:
        gotk_buf_puts(b, json_object_get_boolean(v) ? "true" : "false");
        break;
    case json_type_int: {
        int64_t i = json_object_get_int64(v);
        uint64_t u = json_object_get_uint64(v);
        if (i == INT64_MAX && u > (uint64_t)INT64_MAX)
            gotk_buf_printf(b, "%llu", (unsigned long long)u);
        else
            gotk_buf_printf(b, "%lld", (long long)i);
        break;
    }
    case json_type_double:
        gotk_buf_puts(b, gotk_go_json_float(json_object_get_double(v), num));
        break;
    case json_type_string:
        put_string(b, json_object_get_string(v), (size_t)json_object_get_string_len(v));
        break;
    case json_type_array: {
        gotk_buf_putc(b, '[');
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++) {
            if (i)
                gotk_buf_putc(b, ',');
            put_value(b, json_object_array_get_idx(v, i));
        }
        gotk_buf_putc(b, ']');
        break;
    }
    case json_type_object: {
        gotk_buf_putc(b, '{');
        bool first = true;
        json_object_object_foreach(v, key, val) {
            if (!first)
                gotk_buf_putc(b, ',');
            first = false;
            put_string(b, key, strlen(key));
            gotk_buf_putc(b, ':');
            put_value(b, val);
        }
        gotk_buf_putc(b, '}');
        break;
    }
    }
}

char *gotk_json_to_string(json_object *o)
{
    gotk_buf b = {0};
    put_value(&b, o);
    return gotk_buf_steal(&b);
}
