/*
 * funcs.c: text/template's builtin functions.
 *
 * Each builtin has the Go signature's parameter types (see
 * gotk_template_add_func), so arguments arrive converted as Go would convert
 * them, and returns Go's error texts ("incompatible types for comparison",
 * "index out of range: 5", ...). and, or and call are recognised by the
 * executor, which short-circuits and/or and reports call's errors.
 */
#include <string.h>

#include "tpl_int.h"

typedef enum { K_INVALID, K_BOOL, K_INT, K_FLOAT, K_STRING, K_UINT } basic_kind;

/* Go's basicKind for comparisons. */
static basic_kind basic(gotk_tpl_val v)
{
    switch (v.kind) {
    case GOTK_TPL_BOOL: return K_BOOL;
    case GOTK_TPL_INT: case GOTK_TPL_INT64: return K_INT;
    case GOTK_TPL_UINT8: return K_UINT;
    case GOTK_TPL_FLOAT64: return K_FLOAT;
    case GOTK_TPL_STRING: return K_STRING;
    default: return K_INVALID;
    }
}

/* Whether the value is nil (or a nil map or slice). */
static bool is_nil(gotk_tpl_val v)
{
    return v.kind == GOTK_TPL_INVALID || v.kind == GOTK_TPL_NIL ||
           ((v.kind == GOTK_TPL_MAP || v.kind == GOTK_TPL_SLICE) && !v.j);
}

/* Go 1.23's message (newer Go versions name the two types). */
static gotk_err *incompatible(void)
{
    return gotk_err_new(GOTK_E_INVALID, "incompatible types for comparison");
}

/* Go compares signed with unsigned integers; treat them as one kind. */
static basic_kind merge_int(basic_kind k)
{
    return k == K_UINT ? K_INT : k;
}

/* Whether a == b for basic values of the same kind. */
static bool basic_equal(basic_kind k, gotk_tpl_val a, gotk_tpl_val b)
{
    switch (k) {
    case K_BOOL: return json_object_get_boolean(a.j) == json_object_get_boolean(b.j);
    case K_INT:
    case K_UINT: return json_object_get_int64(a.j) == json_object_get_int64(b.j);
    case K_FLOAT: return json_object_get_double(a.j) == json_object_get_double(b.j);
    case K_STRING:
        return json_object_get_string_len(a.j) == json_object_get_string_len(b.j) &&
               memcmp(json_object_get_string(a.j), json_object_get_string(b.j),
                      (size_t)json_object_get_string_len(a.j)) == 0;
    default: return false;
    }
}

/* eq for two non-basic values of the same kind: only nil compares. */
static gotk_err *other_equal(gotk_tpl_exec *ex, gotk_tpl_val a, gotk_tpl_val b, bool *truth)
{
    (void)ex;
    bool a_invalid = a.kind == GOTK_TPL_INVALID, b_invalid = b.kind == GOTK_TPL_INVALID;
    if (a.kind != b.kind && !a_invalid && !b_invalid) {
        gotk_buf s = {0}, t = {0};
        gotk_tpl_sprintf(&s, "%s", 2, 1, &a);
        gotk_tpl_sprintf(&t, "%v", 2, 1, &b);
        gotk_err *e = gotk_err_new(GOTK_E_INVALID, "non-comparable types %s: %s, %s: %s", s.data,
                                   gotk_tpl_type_name(a), gotk_tpl_type_name(b), t.data);
        gotk_buf_free(&s);
        gotk_buf_free(&t);
        return e;
    }
    if (is_nil(a) || is_nil(b)) {
        *truth = is_nil(a) == is_nil(b);
        return NULL;
    }
    gotk_buf s = {0};
    gotk_tpl_sprintf(&s, "%s", 2, 1, &b);
    gotk_err *e = gotk_err_new(GOTK_E_INVALID, "non-comparable type %s: %s", s.data,
                               gotk_tpl_type_name(b));
    gotk_buf_free(&s);
    return e;
}

/* eq arg1 arg2...: true when arg1 equals any of the others. */
static gotk_err *fn_eq(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv,
                       gotk_tpl_val *res, void *ud)
{
    (void)ud;
    gotk_tpl_val a = tpl_indirect_iface(argv[0]);
    if (argc < 2)
        return gotk_err_new(GOTK_E_INVALID, "missing argument for comparison");
    basic_kind k1 = basic(a);
    for (int i = 1; i < argc; i++) {
        gotk_tpl_val b = tpl_indirect_iface(argv[i]);
        basic_kind k2 = basic(b);
        bool truth = false;
        if (merge_int(k1) != merge_int(k2)) {
            if (a.kind != GOTK_TPL_INVALID && b.kind != GOTK_TPL_INVALID)
                return incompatible();
        } else if (k1 != K_INVALID) {
            truth = basic_equal(merge_int(k1), a, b);
        } else {
            gotk_err *e = other_equal(ex, a, b, &truth);
            if (e)
                return e;
        }
        if (truth) {
            *res = gotk_tpl_bool(ex, true);
            return NULL;
        }
    }
    *res = gotk_tpl_bool(ex, false);
    return NULL;
}

/* ne a b */
static gotk_err *fn_ne(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv,
                       gotk_tpl_val *res, void *ud)
{
    gotk_err *e = fn_eq(ex, argc, argv, res, ud);
    if (!e)
        *res = gotk_tpl_bool(ex, !json_object_get_boolean(res->j));
    return e;
}

/* a < b for basic values. */
static gotk_err *less(gotk_tpl_val a, gotk_tpl_val b, bool *truth)
{
    a = tpl_indirect_iface(a);
    b = tpl_indirect_iface(b);
    basic_kind k1 = basic(a), k2 = basic(b);
    if (k1 == K_INVALID || k2 == K_INVALID)
        return gotk_err_new(GOTK_E_INVALID, "invalid type for comparison");
    if (merge_int(k1) != merge_int(k2))
        return incompatible();
    switch (merge_int(k1)) {
    case K_INT:
    case K_UINT: *truth = json_object_get_int64(a.j) < json_object_get_int64(b.j); break;
    case K_FLOAT: *truth = json_object_get_double(a.j) < json_object_get_double(b.j); break;
    case K_STRING: {
        size_t la = (size_t)json_object_get_string_len(a.j), lb = (size_t)json_object_get_string_len(b.j);
        int c = memcmp(json_object_get_string(a.j), json_object_get_string(b.j), la < lb ? la : lb);
        *truth = c < 0 || (c == 0 && la < lb);
        break;
    }
    default: return gotk_err_new(GOTK_E_INVALID, "invalid type for comparison");
    }
    return NULL;
}

/* lt, le, gt, ge, selected by ud: "lt" ... */
static gotk_err *fn_cmp(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv,
                        gotk_tpl_val *res, void *ud)
{
    (void)argc;
    const char *op = ud;
    bool lt = false, eq = false;
    gotk_err *e = less(argv[0], argv[1], &lt);
    if (e)
        return e;
    if (op[1] == 'e' && !lt) {
        gotk_tpl_val r;
        if ((e = fn_eq(ex, 2, argv, &r, NULL)))
            return e;
        eq = json_object_get_boolean(r.j);
    }
    bool out = op[0] == 'l' ? (op[1] == 't' ? lt : lt || eq) : (op[1] == 't' ? !(lt || eq) : !lt);
    if (op[0] == 'g' && op[1] == 't' && !lt) {
        gotk_tpl_val r;
        if ((e = fn_eq(ex, 2, argv, &r, NULL)))
            return e;
        out = !json_object_get_boolean(r.j);
    }
    *res = gotk_tpl_bool(ex, out);
    return NULL;
}

/* not x */
static gotk_err *fn_not(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv,
                        gotk_tpl_val *res, void *ud)
{
    (void)argc, (void)ud;
    *res = gotk_tpl_bool(ex, !tpl_is_true(tpl_indirect_iface(argv[0])));
    return NULL;
}

/* len x: of a string, map or slice. */
static gotk_err *fn_len(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv,
                        gotk_tpl_val *res, void *ud)
{
    (void)argc, (void)ud;
    gotk_tpl_val v = argv[0];
    if (v.kind == GOTK_TPL_NIL)
        return gotk_err_new(GOTK_E_INVALID, "len of nil pointer");
    if (v.kind == GOTK_TPL_INVALID)
        return gotk_err_new(GOTK_E_INVALID, "reflect: call of reflect.Value.Type on zero Value");
    if (v.kind != GOTK_TPL_STRING && v.kind != GOTK_TPL_MAP && v.kind != GOTK_TPL_SLICE)
        return gotk_err_new(GOTK_E_INVALID, "len of type %s", gotk_tpl_type_name(v));
    *res = gotk_tpl_int(ex, (int64_t)tpl_len(v));
    return NULL;
}

/* An index argument for slices and strings (Go's indexArg). */
static gotk_err *index_arg(gotk_tpl_val i, size_t cap, size_t *out)
{
    i = tpl_indirect_iface(i);
    if (i.kind == GOTK_TPL_INVALID)
        return gotk_err_new(GOTK_E_INVALID, "cannot index slice/array with nil");
    if (i.kind != GOTK_TPL_INT && i.kind != GOTK_TPL_INT64 && i.kind != GOTK_TPL_UINT8)
        return gotk_err_new(GOTK_E_INVALID, "cannot index slice/array with type %s",
                            gotk_tpl_type_name(i));
    int64_t x = json_object_get_int64(i.j);
    if (x < 0 || (uint64_t)x > cap)
        return gotk_err_new(GOTK_E_INVALID, "index out of range: %lld", (long long)x);
    *out = (size_t)x;
    return NULL;
}

/* item[index] for one step of index. */
static gotk_err *index_step(gotk_tpl_exec *ex, gotk_tpl_val *item, gotk_tpl_val idx)
{
    if (item->kind == GOTK_TPL_NIL)
        return gotk_err_new(GOTK_E_INVALID, "index of nil pointer");
    size_t x = 0, n = tpl_len(*item);
    gotk_err *e;
    switch (item->kind) {
    case GOTK_TPL_SLICE:
    case GOTK_TPL_STRING:
        if ((e = index_arg(idx, n, &x)))
            return e;
        if (x == n)
            return gotk_err_new(GOTK_E_INVALID, "reflect: %s index out of range",
                                item->kind == GOTK_TPL_STRING ? "string" : "slice");
        if (item->kind == GOTK_TPL_STRING) {
            *item = gotk_tpl_int(ex, (unsigned char)json_object_get_string(item->j)[x]);
            item->kind = GOTK_TPL_UINT8;
        } else {
            *item = gotk_tpl_from_json(json_object_array_get_idx(item->j, x), true);
        }
        return NULL;
    case GOTK_TPL_MAP: {
        idx = tpl_indirect_iface(idx);
        if (idx.kind == GOTK_TPL_INVALID)
            return gotk_err_new(GOTK_E_INVALID, "value is nil; should be of type string");
        if (idx.kind != GOTK_TPL_STRING)
            return gotk_err_new(GOTK_E_INVALID, "value has type %s; should be string",
                                gotk_tpl_type_name(idx));
        json_object *child = NULL;
        if (item->j && json_object_object_get_ex(item->j, json_object_get_string(idx.j), &child))
            *item = gotk_tpl_from_json(child, true);
        else
            *item = tpl_map_zero(ex, *item);
        return NULL;
    }
    default:
        return gotk_err_new(GOTK_E_INVALID, "can't index item of type %s", gotk_tpl_type_name(*item));
    }
}

/* index x i j...: x[i][j]... */
static gotk_err *fn_index(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv,
                          gotk_tpl_val *res, void *ud)
{
    (void)ud;
    gotk_tpl_val item = tpl_indirect_iface(argv[0]);
    if (item.kind == GOTK_TPL_INVALID)
        return gotk_err_new(GOTK_E_INVALID, "index of untyped nil");
    for (int i = 1; i < argc; i++) {
        gotk_err *e = index_step(ex, &item, argv[i]);
        if (e)
            return e;
    }
    *res = item;
    return NULL;
}

/* slice x i j k: x[i:j:k] of a string or slice. */
static gotk_err *fn_slice(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv,
                          gotk_tpl_val *res, void *ud)
{
    (void)ud;
    gotk_tpl_val item = tpl_indirect_iface(argv[0]);
    if (item.kind == GOTK_TPL_INVALID)
        return gotk_err_new(GOTK_E_INVALID, "slice of untyped nil");
    if (argc - 1 > 3)
        return gotk_err_new(GOTK_E_INVALID, "too many slice indexes: %d", argc - 1);
    if (item.kind == GOTK_TPL_STRING && argc - 1 == 3)
        return gotk_err_new(GOTK_E_INVALID, "cannot 3-index slice a string");
    if (item.kind != GOTK_TPL_STRING && item.kind != GOTK_TPL_SLICE)
        return gotk_err_new(GOTK_E_INVALID, "can't slice item of type %s", gotk_tpl_type_name(item));
    size_t cap = tpl_len(item), idx[3] = {0, cap, cap};
    for (int i = 1; i < argc; i++) {
        gotk_err *e = index_arg(argv[i], cap, &idx[i - 1]);
        if (e)
            return e;
    }
    if (idx[0] > idx[1])
        return gotk_err_new(GOTK_E_INVALID, "invalid slice index: %zu > %zu", idx[0], idx[1]);
    if (argc - 1 == 3 && idx[1] > idx[2])
        return gotk_err_new(GOTK_E_INVALID, "invalid slice index: %zu > %zu", idx[1], idx[2]);
    if (item.kind == GOTK_TPL_STRING) {
        *res = gotk_tpl_string(ex, json_object_get_string(item.j) + idx[0], idx[1] - idx[0]);
        return NULL;
    }
    json_object *a = json_object_new_array();
    for (size_t i = idx[0]; i < idx[1]; i++)
        json_object_array_add(a, json_object_get(json_object_array_get_idx(item.j, i)));
    *res = gotk_tpl_own(ex, a);
    return NULL;
}

/* print, printf and println, selected by ud. */
static gotk_err *fn_print(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv,
                          gotk_tpl_val *res, void *ud)
{
    gotk_buf b = {0};
    const char *which = ud;
    if (which[0] == 'f')
        gotk_tpl_sprintf(&b, json_object_get_string(argv[0].j),
                         (size_t)json_object_get_string_len(argv[0].j), argc - 1, argv + 1);
    else if (which[0] == 'l')
        gotk_tpl_sprintln(&b, argc, argv);
    else
        gotk_tpl_sprint(&b, argc, argv);
    *res = gotk_tpl_string(ex, b.data ? b.data : "", b.len);
    gotk_buf_free(&b);
    return NULL;
}

/* The text of escaper arguments: one string as is, else Sprint with nil as
 * <no value> (Go's evalArgs). */
static void eval_args_text(int argc, const gotk_tpl_val *argv, gotk_buf *out)
{
    if (argc == 1 && argv[0].kind == GOTK_TPL_STRING) {
        gotk_buf_append(out, json_object_get_string(argv[0].j),
                        (size_t)json_object_get_string_len(argv[0].j));
        return;
    }
    bool prev_string = false;
    for (int i = 0; i < argc; i++) {
        bool nil = argv[i].kind == GOTK_TPL_NIL || argv[i].kind == GOTK_TPL_INVALID;
        bool s = argv[i].kind == GOTK_TPL_STRING || nil;
        if (i > 0 && !s && !prev_string)
            gotk_buf_putc(out, ' ');
        if (nil)
            gotk_buf_puts(out, "<no value>");
        else
            gotk_tpl_sprint(out, 1, &argv[i]);
        prev_string = s;
    }
}

/* HTMLEscapeString: " ' & < > as entities. */
static void html_escape(const char *s, size_t n, gotk_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '"': gotk_buf_puts(out, "&#34;"); break;
        case '\'': gotk_buf_puts(out, "&#39;"); break;
        case '&': gotk_buf_puts(out, "&amp;"); break;
        case '<': gotk_buf_puts(out, "&lt;"); break;
        case '>': gotk_buf_puts(out, "&gt;"); break;
        default: gotk_buf_putc(out, s[i]);
        }
    }
}

/* JSEscapeString: quotes, backslash, < > & = and controls as escapes. */
static void js_escape(const char *s, size_t n, gotk_buf *out)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            switch (c) {
            case '\\': gotk_buf_puts(out, "\\\\"); break;
            case '\'': gotk_buf_puts(out, "\\'"); break;
            case '"': gotk_buf_puts(out, "\\\""); break;
            case '<': gotk_buf_puts(out, "\\u003C"); break;
            case '>': gotk_buf_puts(out, "\\u003E"); break;
            case '&': gotk_buf_puts(out, "\\u0026"); break;
            case '=': gotk_buf_puts(out, "\\u003D"); break;
            default:
                if (c < ' ')
                    gotk_buf_printf(out, "\\u%04X", c);
                else
                    gotk_buf_putc(out, (char)c);
            }
            i++;
            continue;
        }
        int32_t r;
        int w = tpl_utf8_decode(s + i, n - i, &r);
        if (tpl_is_print(r) && !(r == 0xFFFD && w == 1))
            gotk_buf_append(out, s + i, (size_t)w);
        else
            gotk_buf_printf(out, "\\u%04X", (unsigned)r);
        i += (size_t)w;
    }
}

/* url.QueryEscape: space as '+', the rest as %XX. */
static void url_escape(const char *s, size_t n, gotk_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~')
            gotk_buf_putc(out, (char)c);
        else if (c == ' ')
            gotk_buf_putc(out, '+');
        else
            gotk_buf_printf(out, "%%%02X", c);
    }
}

/* html, js and urlquery, selected by ud. */
static gotk_err *fn_escape(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv,
                           gotk_tpl_val *res, void *ud)
{
    gotk_buf text = {0}, out = {0};
    eval_args_text(argc, argv, &text);
    const char *which = ud;
    if (which[0] == 'h')
        html_escape(text.data, text.len, &out);
    else if (which[0] == 'j')
        js_escape(text.data, text.len, &out);
    else
        url_escape(text.data, text.len, &out);
    *res = gotk_tpl_string(ex, out.data ? out.data : "", out.len);
    gotk_buf_free(&text);
    gotk_buf_free(&out);
    return NULL;
}

/* Placeholder for executor-handled builtins. */
static gotk_err *fn_special(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv,
                            gotk_tpl_val *res, void *ud)
{
    (void)ex, (void)argc, (void)argv, (void)res, (void)ud;
    return gotk_err_new(GOTK_E_GENERIC, "unreachable");
}

/* Install text/template's builtins in a new set. */
void tpl_add_builtins(gotk_tpl_set *set)
{
    static const struct {
        const char *name, *params;
        gotk_tpl_fn fn;
        const char *ud;
        int builtin;
    } b[] = {
        {"and", "rr...", fn_special, NULL, BI_AND},
        {"or", "rr...", fn_special, NULL, BI_OR},
        {"call", "rr...", fn_special, NULL, BI_CALL},
        {"html", "v...", fn_escape, "html", 0},
        {"js", "v...", fn_escape, "js", 0},
        {"urlquery", "v...", fn_escape, "url", 0},
        {"index", "rr...", fn_index, NULL, 0},
        {"slice", "rr...", fn_slice, NULL, 0},
        {"len", "r", fn_len, NULL, 0},
        {"not", "r", fn_not, NULL, 0},
        {"print", "v...", fn_print, "s", 0},
        {"printf", "sv...", fn_print, "f", 0},
        {"println", "v...", fn_print, "l", 0},
        {"eq", "rr...", fn_eq, NULL, 0},
        {"ne", "rr", fn_ne, NULL, 0},
        {"lt", "rr", fn_cmp, "lt", 0},
        {"le", "rr", fn_cmp, "le", 0},
        {"gt", "rr", fn_cmp, "gt", 0},
        {"ge", "rr", fn_cmp, "ge", 0},
    };
    for (size_t i = 0; i < sizeof b / sizeof b[0]; i++) {
        gotk_template_add_func(set, b[i].name, b[i].params, b[i].fn, (void *)b[i].ud);
        ((tpl_func *)tpl_find_func(set, b[i].name, strlen(b[i].name)))->builtin = b[i].builtin;
    }
}
