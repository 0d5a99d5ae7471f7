/*
 * sprig_strings.c: Sprig's string, conversion, encoding and path functions.
 *
 * Each function takes its Go signature's parameter types (declared in the
 * table at the end), so a float64 where Sprig wants a string fails as in Helm:
 * "wrong type for value; expected string; got float64". Go's panics inside
 * Sprig (a negative repeat count, substr out of range) become the errors Go's
 * template package reports for them. Case mapping covers ASCII and Latin-1.
 */
#include <stdlib.h>
#include <string.h>

#include "sprig.h"

#define FN(name) \
    static gotk_err *name(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv, \
                          gotk_tpl_val *res, void *ud)
#define UNUSED (void)ex, (void)argc, (void)argv, (void)ud

/* Upper- or lower-case one rune, as Go's unicode.ToUpper / ToLower. */
static int32_t map_case(int32_t r, bool upper)
{
    return (int32_t)gotk_unicode_case((uint32_t)r, upper);
}

/* Map every rune of s through map_case. */
static void case_string(const char *s, size_t n, bool upper, gotk_buf *out)
{
    for (size_t i = 0; i < n;) {
        int32_t r;
        int w = tpl_utf8_decode(s + i, n - i, &r);
        if (r == 0xFFFD && w == 1)
            gotk_buf_putc(out, s[i]);
        else
            tpl_utf8_encode(out, map_case(r, upper));
        i += (size_t)w;
    }
}

/* upper and lower, selected by ud. */
FN(fn_case)
{
    UNUSED;
    gotk_buf b = {0};
    case_string(SV(argv[0]), SL(argv[0]), ud != NULL, &b);
    *res = sprig_take(ex, &b);
    return NULL;
}

static bool is_space_rune(int32_t r);

/* strings.Title's word separators. */
static bool title_separator(int32_t r)
{
    if (r < 0x80)
        return !((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_');
    return r == 0x85 || r == 0xA0 || r == 0x2028 || r == 0x2029 || r == 0x3000;
}

/* title: upper-case the first letter of each word; untitle (ud): lower-case the
 * first letter of each space-separated word. */
FN(fn_title)
{
    UNUSED;
    const char *s = SV(argv[0]);
    size_t n = SL(argv[0]);
    gotk_buf b = {0};
    bool prev_sep = true;
    for (size_t i = 0; i < n;) {
        int32_t r;
        int w = tpl_utf8_decode(s + i, n - i, &r);
        bool first = prev_sep;
        if (first && !(r == 0xFFFD && w == 1))
            tpl_utf8_encode(&b, ud ? map_case(r, false) : (int32_t)gotk_unicode_title((uint32_t)r));
        else
            gotk_buf_append(&b, s + i, (size_t)w);
        prev_sep = ud ? is_space_rune(r) : title_separator(r);
        i += (size_t)w;
    }
    *res = sprig_take(ex, &b);
    return NULL;
}

/* Whether a rune is in a cutset string. */
static bool in_cutset(int32_t r, const char *set, size_t n)
{
    for (size_t i = 0; i < n;) {
        int32_t c;
        i += (size_t)tpl_utf8_decode(set + i, n - i, &c);
        if (c == r)
            return true;
    }
    return false;
}

/* unicode.IsSpace for the runes charts meet. */
static bool is_space_rune(int32_t r)
{
    return r == ' ' || (r >= '\t' && r <= '\r') || r == 0x85 || r == 0xA0 || r == 0x1680 ||
           (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 || r == 0x202F ||
           r == 0x205F || r == 0x3000;
}

/* Length of the rune ending at s[n-1]. */
static size_t last_rune(const char *s, size_t n, int32_t *r)
{
    size_t start = n - 1;
    while (start > 0 && n - start < 4 && ((unsigned char)s[start] & 0xC0) == 0x80)
        start--;
    if ((size_t)tpl_utf8_decode(s + start, n - start, r) != n - start) {
        *r = 0xFFFD;
        return 1;
    }
    return n - start;
}

/* Trim runes from both ends: those in cutset, or spaces when cutset is NULL. */
static void trim_runes(const char *s, size_t n, const char *cut, size_t cn, size_t *a, size_t *b)
{
    size_t i = 0, j = n;
    while (i < j) {
        int32_t r;
        int w = tpl_utf8_decode(s + i, j - i, &r);
        if (!(cut ? in_cutset(r, cut, cn) : is_space_rune(r)))
            break;
        i += (size_t)w;
    }
    while (j > i) {
        int32_t r;
        size_t w = last_rune(s, j, &r);
        if (!(cut ? in_cutset(r, cut, cn) : is_space_rune(r)))
            break;
        j -= w;
    }
    *a = i, *b = j;
}

/* trim (strings.TrimSpace) and trimAll cutset s (strings.Trim(s, cutset)). */
FN(fn_trim)
{
    UNUSED;
    size_t a, b;
    if (ud)
        trim_runes(SV(argv[1]), SL(argv[1]), SV(argv[0]), SL(argv[0]), &a, &b);
    else
        trim_runes(SV(argv[0]), SL(argv[0]), NULL, 0, &a, &b);
    const char *s = SV(argv[ud ? 1 : 0]);
    *res = gotk_tpl_string(ex, s + a, b - a);
    return NULL;
}

/* trimPrefix p s, trimSuffix p s (ud). */
FN(fn_trim_affix)
{
    UNUSED;
    const char *p = SV(argv[0]), *s = SV(argv[1]);
    size_t pn = SL(argv[0]), sn = SL(argv[1]);
    if (pn <= sn && !ud && memcmp(s, p, pn) == 0)
        s += pn, sn -= pn;
    else if (pn <= sn && ud && memcmp(s + sn - pn, p, pn) == 0)
        sn -= pn;
    *res = gotk_tpl_string(ex, s, sn);
    return NULL;
}

/* contains sub s, hasPrefix p s, hasSuffix p s (ud: "c", "p", "s"). */
FN(fn_contains)
{
    UNUSED;
    const char *p = SV(argv[0]), *s = SV(argv[1]), *which = ud;
    size_t pn = SL(argv[0]), sn = SL(argv[1]);
    bool r = false;
    if (which[0] == 'c')
        r = pn == 0 || (pn <= sn && memmem(s, sn, p, pn) != NULL);
    else if (which[0] == 'p')
        r = pn <= sn && memcmp(s, p, pn) == 0;
    else
        r = pn <= sn && memcmp(s + sn - pn, p, pn) == 0;
    *res = gotk_tpl_bool(ex, r);
    return NULL;
}

/* replace old new src: strings.Replace(src, old, new, -1). */
FN(fn_replace)
{
    UNUSED;
    const char *old = SV(argv[0]), *nw = SV(argv[1]), *s = SV(argv[2]);
    size_t on = SL(argv[0]), nn = SL(argv[1]), sn = SL(argv[2]);
    gotk_buf b = {0};
    if (on == 0) { /* an empty old matches before every rune and at the end */
        for (size_t i = 0; i < sn;) {
            int32_t r;
            int w = tpl_utf8_decode(s + i, sn - i, &r);
            gotk_buf_append(&b, nw, nn);
            gotk_buf_append(&b, s + i, (size_t)w);
            i += (size_t)w;
        }
        gotk_buf_append(&b, nw, nn);
    } else {
        size_t i = 0;
        for (const char *hit; (hit = memmem(s + i, sn - i, old, on)); i = (size_t)(hit - s) + on) {
            gotk_buf_append(&b, s + i, (size_t)(hit - s) - i);
            gotk_buf_append(&b, nw, nn);
        }
        gotk_buf_append(&b, s + i, sn - i);
    }
    *res = sprig_take(ex, &b);
    return NULL;
}

/* repeat count s */
FN(fn_repeat)
{
    UNUSED;
    int64_t count = json_object_get_int64(argv[0].j);
    if (count < 0)
        return gotk_err_new(GOTK_E_INVALID, "strings: negative Repeat count");
    gotk_buf b = {0};
    for (int64_t i = 0; i < count; i++)
        gotk_buf_append(&b, SV(argv[1]), SL(argv[1]));
    *res = sprig_take(ex, &b);
    return NULL;
}

/* substr start end s: byte slicing with Go's out-of-range panics. */
FN(fn_substr)
{
    UNUSED;
    int64_t start = json_object_get_int64(argv[0].j), end = json_object_get_int64(argv[1].j);
    int64_t n = (int64_t)SL(argv[2]);
    if (start < 0) {
        if (end < 0 || end > n)
            return gotk_err_new(GOTK_E_INVALID, end < 0 ? "runtime error: slice bounds out of range [:%lld]"
                                                        : "runtime error: slice bounds out of range [:%lld] with length %lld",
                                (long long)end, (long long)n);
        start = 0;
    } else if (end < 0 || end > n) {
        if (start > n)
            return gotk_err_new(GOTK_E_INVALID, "runtime error: slice bounds out of range [%lld:%lld]",
                                (long long)start, (long long)n);
        end = n;
    } else if (start > end) {
        return gotk_err_new(GOTK_E_INVALID, "runtime error: slice bounds out of range [%lld:%lld]",
                            (long long)start, (long long)end);
    }
    *res = gotk_tpl_string(ex, SV(argv[2]) + start, (size_t)(end - start));
    return NULL;
}

/* trunc c s: the first c bytes, or the last -c. */
FN(fn_trunc)
{
    UNUSED;
    int64_t c = json_object_get_int64(argv[0].j), n = (int64_t)SL(argv[1]);
    const char *s = SV(argv[1]);
    if (c < 0 && n + c > 0)
        *res = gotk_tpl_string(ex, s + n + c, (size_t)-c);
    else if (c >= 0 && n > c)
        *res = gotk_tpl_string(ex, s, (size_t)c);
    else
        *res = argv[1];
    return NULL;
}

/* quote (ud NULL) and squote: each non-nil argument quoted, joined by spaces. */
FN(fn_quote)
{
    UNUSED;
    gotk_buf b = {0}, s = {0};
    bool any = false;
    for (int i = 0; i < argc; i++) {
        if (argv[i].kind == GOTK_TPL_NIL || argv[i].kind == GOTK_TPL_INVALID)
            continue;
        if (any)
            gotk_buf_putc(&b, ' ');
        any = true;
        s.len = 0;
        if (ud) {
            gotk_buf_putc(&b, '\'');
            gotk_tpl_sprintf(&b, "%v", 2, 1, &argv[i]);
            gotk_buf_putc(&b, '\'');
        } else {
            sprig_strval(argv[i], &s);
            tpl_quote(&b, s.data ? s.data : "", s.len);
        }
    }
    gotk_buf_free(&s);
    *res = sprig_take(ex, &b);
    return NULL;
}

/* cat: non-nil arguments as %v, joined by spaces. */
FN(fn_cat)
{
    UNUSED;
    gotk_buf b = {0};
    bool any = false;
    for (int i = 0; i < argc; i++) {
        if (argv[i].kind == GOTK_TPL_NIL || argv[i].kind == GOTK_TPL_INVALID)
            continue;
        if (any)
            gotk_buf_putc(&b, ' ');
        any = true;
        gotk_tpl_sprintf(&b, "%v", 2, 1, &argv[i]);
    }
    *res = sprig_take(ex, &b);
    return NULL;
}

/* indent n s; nindent (ud) adds a leading newline. */
FN(fn_indent)
{
    UNUSED;
    int64_t n = json_object_get_int64(argv[0].j);
    if (n < 0)
        return gotk_err_new(GOTK_E_INVALID, "strings: negative Repeat count");
    gotk_buf b = {0};
    if (ud)
        gotk_buf_putc(&b, '\n');
    const char *s = SV(argv[1]);
    size_t len = SL(argv[1]);
    for (int64_t i = 0; i < n; i++)
        gotk_buf_putc(&b, ' ');
    for (size_t i = 0; i < len; i++) {
        gotk_buf_putc(&b, s[i]);
        for (int64_t k = 0; s[i] == '\n' && k < n; k++)
            gotk_buf_putc(&b, ' ');
    }
    *res = sprig_take(ex, &b);
    return NULL;
}

/* nospace: drop every space rune. */
FN(fn_nospace)
{
    UNUSED;
    const char *s = SV(argv[0]);
    size_t n = SL(argv[0]);
    gotk_buf b = {0};
    for (size_t i = 0; i < n;) {
        int32_t r;
        int w = tpl_utf8_decode(s + i, n - i, &r);
        if (!is_space_rune(r))
            gotk_buf_append(&b, s + i, (size_t)w);
        i += (size_t)w;
    }
    *res = sprig_take(ex, &b);
    return NULL;
}

/* plural one many count */
FN(fn_plural)
{
    UNUSED;
    *res = json_object_get_int64(argv[2].j) == 1 ? argv[0] : argv[1];
    return NULL;
}

/* toString v */
FN(fn_to_string)
{
    UNUSED;
    gotk_buf b = {0};
    sprig_strval(argv[0], &b);
    *res = sprig_take(ex, &b);
    return NULL;
}

/* atoi s: strconv.Atoi, 0 on error. */
FN(fn_atoi)
{
    UNUSED;
    const char *s = SV(argv[0]);
    size_t n = SL(argv[0]), i = s[0] == '-' || s[0] == '+';
    int64_t v = 0;
    bool ok = n > i;
    for (size_t k = i; ok && k < n; k++) {
        ok = s[k] >= '0' && s[k] <= '9' && v <= (INT64_MAX - (s[k] - '0')) / 10;
        if (ok)
            v = v * 10 + (s[k] - '0');
    }
    *res = gotk_tpl_int(ex, ok ? (s[0] == '-' ? -v : v) : 0);
    return NULL;
}

/* int, int64 (ud "I") and float64 (ud "f") through cast. */
FN(fn_convert)
{
    UNUSED;
    const char *which = ud;
    if (which[0] == 'f')
        *res = gotk_tpl_float(ex, sprig_to_float64(argv[0]));
    else if (which[0] == 'I')
        *res = gotk_tpl_int64(ex, sprig_to_int64(argv[0]));
    else
        *res = gotk_tpl_int(ex, sprig_to_int64(argv[0]));
    return NULL;
}

/* b64enc s */
FN(fn_b64enc)
{
    UNUSED;
    char *e = gotk_base64_encode(SV(argv[0]), SL(argv[0]));
    *res = gotk_tpl_string(ex, e, strlen(e));
    free(e);
    return NULL;
}

/* Value of a base64 character, or -1. */
static int b64val(int c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* The next input byte at or after *si that is not \r or \n, or -1. */
static int b64_next(const char *s, size_t n, size_t *si)
{
    while (*si < n && (s[*si] == '\r' || s[*si] == '\n'))
        (*si)++;
    return *si < n ? (unsigned char)s[(*si)++] : -1;
}

/* Padding after j characters of a quantum; the first '=' is consumed. Go's
 * error offsets: false with *bad set on bad padding or trailing input. */
static bool b64_padding(const char *s, size_t n, size_t si, int j, size_t *bad)
{
    if (j < 2) {
        *bad = si - 1;
        return false;
    }
    if (j == 2) {
        size_t at = si;
        int c = b64_next(s, n, &at);
        if (c < 0) {
            *bad = n;
            return false;
        }
        if (c != '=') {
            *bad = at - 1;
            return false;
        }
        si = at;
    }
    size_t rest = si;
    if (b64_next(s, n, &rest) >= 0) {
        *bad = rest - 1;
        return false;
    }
    return true;
}

/* Go's StdEncoding.DecodeString; on error *bad is Go's CorruptInputError offset. */
static bool b64_decode(const char *s, size_t n, gotk_buf *out, size_t *bad)
{
    size_t si = 0;
    for (;;) {
        uint32_t acc = 0;
        int j = 0;
        for (; j < 4; j++) {
            int c = b64_next(s, n, &si);
            if (c < 0) {
                if (j == 0)
                    return true;
                *bad = si - (size_t)j;
                return false;
            }
            if (c == '=') {
                if (!b64_padding(s, n, si, j, bad))
                    return false;
                for (int k = 0; k < j - 1; k++)
                    gotk_buf_putc(out, (char)(acc << (6 * (4 - j)) >> (16 - 8 * k)));
                return true;
            }
            int v = b64val(c);
            if (v < 0) {
                *bad = si - 1;
                return false;
            }
            acc = acc << 6 | (uint32_t)v;
        }
        gotk_buf_putc(out, (char)(acc >> 16));
        gotk_buf_putc(out, (char)(acc >> 8));
        gotk_buf_putc(out, (char)acc);
    }
}

/* b64dec s: the decoded text, or Go's error text as the result. */
FN(fn_b64dec)
{
    UNUSED;
    gotk_buf b = {0};
    size_t bad = 0;
    if (!b64_decode(SV(argv[0]), SL(argv[0]), &b, &bad)) {
        b.len = 0;
        gotk_buf_printf(&b, "illegal base64 data at input byte %zu", bad);
    }
    *res = sprig_take(ex, &b);
    return NULL;
}

/* sha1sum, sha256sum and sha512sum (ud: "1", "256" or "512"). */
FN(fn_digest)
{
    UNUSED;
    const char *bits = ud;
    char hex[129];
    gotk_digest_hex(bits[0] == '1' ? GOTK_SHA1 : bits[0] == '2' ? GOTK_SHA256 : GOTK_SHA512,
                    SV(argv[0]), SL(argv[0]), hex);
    *res = gotk_tpl_string(ex, hex, strlen(hex));
    return NULL;
}

/* path.Clean of p into out (Go's lexical algorithm). */
static void path_clean(const char *p, size_t n, gotk_buf *out)
{
    if (n == 0) {
        gotk_buf_putc(out, '.');
        return;
    }
    bool rooted = p[0] == '/';
    size_t start = out->len, dotdot = rooted ? 1 : 0, r = rooted ? 1 : 0;
    if (rooted)
        gotk_buf_putc(out, '/');
    while (r < n) {
        if (p[r] == '/' || (p[r] == '.' && (r + 1 == n || p[r + 1] == '/'))) {
            r++;
        } else if (p[r] == '.' && p[r + 1] == '.' && (r + 2 == n || p[r + 2] == '/')) {
            r += 2;
            if (out->len - start > dotdot) {
                out->len--;
                while (out->len - start > dotdot && out->data[out->len] != '/')
                    out->len--;
                out->data[out->len] = 0;
            } else if (!rooted) {
                if (out->len - start > 0)
                    gotk_buf_putc(out, '/');
                gotk_buf_puts(out, "..");
                dotdot = out->len - start;
            }
        } else {
            if ((rooted && out->len - start != 1) || (!rooted && out->len - start != 0))
                gotk_buf_putc(out, '/');
            for (; r < n && p[r] != '/'; r++)
                gotk_buf_putc(out, p[r]);
        }
    }
    if (out->len == start)
        gotk_buf_putc(out, '.');
}

/* base, dir, clean, ext and isAbs of the path package (ud selects). */
FN(fn_path)
{
    UNUSED;
    const char *p = SV(argv[0]), *which = ud;
    size_t n = SL(argv[0]);
    gotk_buf b = {0};
    if (which[0] == 'c') {
        path_clean(p, n, &b);
    } else if (which[0] == 'i') {
        *res = gotk_tpl_bool(ex, n > 0 && p[0] == '/');
        return NULL;
    } else if (which[0] == 'e') {
        size_t i = n;
        while (i > 0 && p[i - 1] != '/' && p[i - 1] != '.')
            i--;
        if (i > 0 && p[i - 1] == '.')
            gotk_buf_append(&b, p + i - 1, n - i + 1);
    } else if (which[0] == 'd') {
        size_t i = n;
        while (i > 0 && p[i - 1] != '/')
            i--;
        path_clean(p, i, &b);
    } else {
        while (n > 1 && p[n - 1] == '/')
            n--;
        size_t i = n;
        while (i > 0 && p[i - 1] != '/')
            i--;
        if (n == 0)
            gotk_buf_putc(&b, '.');
        else if (i == n)
            gotk_buf_putc(&b, '/');
        else
            gotk_buf_append(&b, p + i, n - i);
    }
    *res = sprig_take(ex, &b);
    return NULL;
}

/* Register the string, conversion, encoding and path functions. */
void sprig_add_strings(gotk_tpl_set *set)
{
    static const struct {
        const char *name, *params;
        gotk_tpl_fn fn;
        const char *ud;
    } t[] = {
        {"upper", "s", fn_case, "u"}, {"lower", "s", fn_case, NULL},
        {"title", "s", fn_title, NULL}, {"untitle", "s", fn_title, "u"},
        {"trim", "s", fn_trim, NULL}, {"trimAll", "ss", fn_trim, "a"}, {"trimall", "ss", fn_trim, "a"},
        {"trimPrefix", "ss", fn_trim_affix, NULL}, {"trimSuffix", "ss", fn_trim_affix, "s"},
        {"contains", "ss", fn_contains, "c"}, {"hasPrefix", "ss", fn_contains, "p"},
        {"hasSuffix", "ss", fn_contains, "s"}, {"replace", "sss", fn_replace, NULL},
        {"repeat", "is", fn_repeat, NULL}, {"substr", "iis", fn_substr, NULL},
        {"trunc", "is", fn_trunc, NULL}, {"quote", "v...", fn_quote, NULL},
        {"squote", "v...", fn_quote, "s"}, {"cat", "v...", fn_cat, NULL},
        {"indent", "is", fn_indent, NULL}, {"nindent", "is", fn_indent, "n"},
        {"nospace", "s", fn_nospace, NULL}, {"plural", "ssi", fn_plural, NULL},
        {"toString", "v", fn_to_string, NULL}, {"atoi", "s", fn_atoi, NULL},
        {"int", "v", fn_convert, "i"}, {"int64", "v", fn_convert, "I"},
        {"float64", "v", fn_convert, "f"}, {"b64enc", "s", fn_b64enc, NULL},
        {"b64dec", "s", fn_b64dec, NULL}, {"sha1sum", "s", fn_digest, "1"},
        {"sha256sum", "s", fn_digest, "256"}, {"sha512sum", "s", fn_digest, "512"},
        {"base", "s", fn_path, "b"}, {"dir", "s", fn_path, "d"}, {"clean", "s", fn_path, "c"},
        {"ext", "s", fn_path, "e"}, {"isAbs", "s", fn_path, "i"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        gotk_template_add_func(set, t[i].name, t[i].params, t[i].fn, (void *)t[i].ud);
}
