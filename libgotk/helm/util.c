/*
 * util.c: small Go behaviours the helm module needs to copy: strconv.Quote,
 * type names in panic texts, filepath.Match, sigs.k8s.io/yaml parsing, and
 * the list of files a chart is made of.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "gotk/obj.h"
#include "gotk/template.h"
#include "helm_int.h"

/* ---- warnings ------------------------------------------------------------ */

static _Thread_local gotk_buf *warn_to;

gotk_buf *helm_warn_sink(gotk_buf *sink)
{
    gotk_buf *prev = warn_to;
    warn_to = sink;
    return prev;
}

bool helm_warn_wanted(void)
{
    return warn_to != NULL;
}

void helm_warnf(const char *fmt, ...)
{
    if (!warn_to)
        return;
    va_list ap;
    va_start(ap, fmt);
    gotk_buf_vprintf(warn_to, fmt, ap);
    va_end(ap);
    gotk_buf_putc(warn_to, '\n');
}

void helm_go_sprint(gotk_buf *b, json_object *v)
{
    gotk_tpl_val a = gotk_tpl_from_json(v, false);
    gotk_tpl_sprint(b, 1, &a);
}

static helm_file *files_push(helm_files *fs, const char *name)
{
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 16;
        fs->v = gotk_xrealloc(fs->v, fs->cap * sizeof *fs->v);
    }
    helm_file *f = &fs->v[fs->n++];
    f->name = gotk_xstrdup(name);
    return f;
}

/* The bytes go into a json-c string, which holds at most INT_MAX of them. */
gotk_err *helm_files_add(helm_files *fs, const char *name, const char *data, size_t len)
{
    if (len > INT_MAX)
        return gotk_err_new(GOTK_E_INVALID, "cannot load %s: %zu bytes is more than %d", name,
                            len, INT_MAX);
    helm_file *f = files_push(fs, name);
    f->bytes = json_object_new_string_len(data, (int)len);
    if (!f->bytes)
        abort(); /* out of memory, as gotk_xmalloc */
    f->data = json_object_get_string(f->bytes);
    f->len = len;
    return NULL;
}

void helm_files_share(helm_files *fs, const char *name, const helm_file *src)
{
    helm_file *f = files_push(fs, name);
    *f = (helm_file){f->name, json_object_get(src->bytes), src->data, src->len};
}

void helm_files_free(helm_files *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        free(fs->v[i].name);
        json_object_put(fs->v[i].bytes);
    }
    free(fs->v);
    memset(fs, 0, sizeof *fs);
}

void helm_go_quote(gotk_buf *b, const char *s, size_t len)
{
    gotk_buf_putc(b, '"');
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            uint32_t r;
            size_t w = gotk_utf8_decode(s + i, len - i, &r);
            if (r == GOTK_RUNE_ERROR && w == 1)
                gotk_buf_printf(b, "\\x%02x", c);
            else
                gotk_buf_append(b, s + i, w);
            i += w;
            continue;
        }
        const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n"
                        : c == '\t' ? "\\t" : c == '\r' ? "\\r" : c == '\a' ? "\\a"
                        : c == '\b' ? "\\b" : c == '\f' ? "\\f" : c == '\v' ? "\\v" : NULL;
        if (esc)
            gotk_buf_puts(b, esc);
        else if (c < 0x20 || c == 0x7f)
            gotk_buf_printf(b, "\\x%02x", c);
        else
            gotk_buf_putc(b, (char)c);
        i++;
    }
    gotk_buf_putc(b, '"');
}

const char *helm_go_type(json_object *j)
{
    switch (json_object_get_type(j)) {
    case json_type_null: return "nil";
    case json_type_boolean: return "bool";
    case json_type_double: return "float64";
    case json_type_int: return "int64";
    case json_type_string: return "string";
    case json_type_object: return "map[string]interface {}";
    case json_type_array: return "[]interface {}";
    }
    return "interface {}";
}

const char *helm_json_kind(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_array: return "array";
    case json_type_object: return "object";
    case json_type_string: return "string";
    case json_type_boolean: return "bool";
    default: return "number";
    }
}

bool helm_path_match(const char *pattern, const char *name)
{
    return fnmatch(pattern, name, FNM_PATHNAME) == 0;
}

static gotk_err *yaml_first(const char *data, size_t len, const char *source, unsigned flags,
                            json_object **out)
{
    json_object *docs = NULL;
    *out = NULL;
    gotk_err *e = gotk_yaml_parse_flags(data, len, source, flags, &docs);
    if (e)
        return e;
    if (json_object_array_length(docs) > 0)
        *out = json_object_get(json_object_array_get_idx(docs, 0));
    json_object_put(docs);
    return NULL;
}

gotk_err *helm_yaml_one(const char *data, size_t len, const char *source, json_object **out)
{
    return yaml_first(data, len, source, GOTK_YAML_PARSE_SIGS, out);
}

gotk_err *helm_yaml_head(const char *data, size_t len, json_object **out)
{
    return yaml_first(data, len, NULL, GOTK_YAML_PARSE_SIGS | GOTK_YAML_PARSE_HEAD, out);
}

gotk_err *helm_os_error(const char *op, const char *path, int errnum)
{
    char msg[256];
    snprintf(msg, sizeof msg, "%s", strerror(errnum));
    if (msg[0])
        msg[0] = (char)tolower((unsigned char)msg[0]);
    return gotk_err_new(GOTK_E_IO, "%s %s: %s", op, path, msg);
}
