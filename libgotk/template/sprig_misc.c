/*
 * sprig_misc.c: Sprig's remaining string, path, regex, reflection and
 * randomness functions: hello, camelcase/snakecase/kebabcase (huandu/xstrings
 * v1.5.0), shuffle, wrap/wrapWith (goutils), the os* path functions (Linux's
 * filepath is path), b32dec, the must* regex variants, mustFromJson,
 * typeIsLike, randInt, randBytes and getHostByName (without DNS).
 *
 * Letters are classified as Go's unicode package does for ASCII and Latin-1;
 * past Latin-1 a rune with a case mapping counts as upper or lower case, other
 * runes as letters of neither case.
 */
#include <stdlib.h>
#include <string.h>

#include "gotk/obj.h"
#include "gotk/regex.h"
#include "sprig.h"

#define FN(name) \
    static gotk_err *name(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv, \
                          gotk_tpl_val *res, void *ud)
#define UNUSED (void)ex, (void)argc, (void)argv, (void)ud

/* ---- rune classes ----------------------------------------------------------- */

static bool rune_upper(int32_t r)
{
    if (r > 0xFF)
        return gotk_unicode_case((uint32_t)r, false) != (uint32_t)r;
    return (r >= 'A' && r <= 'Z') || (r >= 0xC0 && r <= 0xDE && r != 0xD7);
}

static bool rune_lower(int32_t r)
{
    if (r > 0xFF)
        return gotk_unicode_case((uint32_t)r, true) != (uint32_t)r;
    return (r >= 'a' && r <= 'z') || (r >= 0xDF && r <= 0xFF && r != 0xF7) || r == 0xB5 ||
           r == 0xAA || r == 0xBA;
}

static bool rune_letter(int32_t r)
{
    return rune_upper(r) || rune_lower(r) || r > 0x24F;
}

static bool rune_number(int32_t r)
{
    return (r >= '0' && r <= '9') || r == 0xB2 || r == 0xB3 || r == 0xB9 ||
           (r >= 0xBC && r <= 0xBE);
}

static bool rune_space(int32_t r)
{
    return r == ' ' || (r >= '\t' && r <= '\r') || r == 0x85 || r == 0xA0;
}

/* unicode.IsPunct: ASCII's P* categories and Latin-1's. */
static bool rune_punct(int32_t r)
{
    if (r < 0x80)
        return r > ' ' && strchr("!\"#%&'()*,-./:;?@[\\]_{}", r) != NULL;
    return r == 0xA1 || r == 0xA7 || r == 0xAB || r == 0xB6 || r == 0xB7 || r == 0xBB ||
           r == 0xBF;
}

static int32_t rune_to_upper(int32_t r)
{
    return (int32_t)gotk_unicode_case((uint32_t)r, true);
}

static int32_t rune_to_lower(int32_t r)
{
    return (int32_t)gotk_unicode_case((uint32_t)r, false);
}

/* xstrings' isAlphabet: a letter but not a common CJK ideograph. */
static bool rune_alphabet(int32_t r)
{
    if (!rune_letter(r))
        return false;
    return !((r >= 0x4E00 && r <= 0x9FCC) || (r >= 0x3400 && r <= 0x4D85) ||
             (r >= 0x20000 && r <= 0x2B81D));
}

static bool rune_connector(int32_t r)
{
    return r == '-' || r == '_' || rune_space(r);
}

/* The runes of s (decoded as Go's range does), malloc'd; *n gets the count. */
static int32_t *runes_of(const char *s, size_t len, size_t *n)
{
    int32_t *rs = gotk_xmalloc(sizeof *rs * (len + 1));
    *n = 0;
    for (size_t i = 0; i < len;) {
        i += (size_t)tpl_utf8_decode(s + i, len - i, &rs[*n]);
        (*n)++;
    }
    return rs;
}

/* ---- camelcase (xstrings.ToPascalCase) ------------------------------------------ */

FN(fn_camelcase)
{
    UNUSED;
    size_t n;
    int32_t *rs = runes_of(SV(argv[0]), SL(argv[0]), &n);
    gotk_buf b = {0};
    size_t i = 0;
    int32_t r0 = 0, r1;
    bool first_upper = false;
    while (i < n) { /* leading connectors stay */
        r0 = rs[i++];
        if (!rune_connector(r0)) {
            first_upper = rune_upper(r0);
            r0 = rune_to_upper(r0);
            break;
        }
        tpl_utf8_encode(&b, r0);
    }
    if (i == n) {
        if (n > 0) /* as xstrings: a lone connector comes out twice */
            tpl_utf8_encode(&b, r0);
        free(rs);
        *res = sprig_take(ex, &b);
        return NULL;
    }
    while (i < n) {
        r1 = r0;
        r0 = rs[i++];
        if (rune_connector(r0) && rune_connector(r1)) {
            tpl_utf8_encode(&b, r1);
            continue;
        }
        if (rune_connector(r1)) {
            first_upper = rune_upper(r0);
            r0 = rune_to_upper(r0);
        } else {
            if (first_upper) {
                if (rune_upper(r0))
                    r0 = rune_to_lower(r0);
                else
                    first_upper = false;
            }
            tpl_utf8_encode(&b, r1);
        }
    }
    tpl_utf8_encode(&b, r0);
    free(rs);
    *res = sprig_take(ex, &b);
    return NULL;
}

/* ---- snakecase / kebabcase (xstrings.camelCaseToLowerCase) ----------------------- */

enum { W_INVALID, W_NUMBER, W_UPPER, W_ALPHA, W_CONNECTOR, W_PUNCT, W_OTHER };

typedef struct {
    const char *s;
    size_t len;
} span;

/* The next valid rune at s (skipping bad bytes); prev when there is none. */
static int32_t next_valid(const char *s, size_t len, int32_t prev, size_t *size)
{
    *size = 0;
    while (len > 0) {
        int32_t r;
        int w = tpl_utf8_decode(s, len, &r);
        *size += (size_t)w;
        if (!(r == 0xFFFD && w == 1))
            return r;
        s += w;
        len -= (size_t)w;
    }
    return prev;
}

/* Extend off over runes satisfying pred (the xstrings word loops). */
static void extend_word(const char *str, size_t len, size_t *off, int32_t r,
                        bool (*pred)(int32_t), bool stop_upper)
{
    while (*off < len) {
        size_t sz;
        r = next_valid(str + *off, len - *off, r, &sz);
        if (!pred(r) || (stop_upper && rune_upper(r)))
            break;
        *off += sz;
    }
}

static bool not_other_end(int32_t r)
{
    return !(rune_connector(r) || rune_alphabet(r) || rune_number(r) || rune_punct(r));
}

/* xstrings.nextWord: the type and extent of the word at the start of *rest. */
static int next_word(span *rest, span *word)
{
    const char *str = rest->s;
    size_t len = rest->len, off, sz;
    if (len == 0) {
        *word = (span){str, 0};
        return W_INVALID;
    }
    int32_t r = next_valid(str, len, 0xFFFD, &sz);
    off = sz;
    int wt;
    if (r == 0xFFFD) {
        wt = W_INVALID;
    } else if (rune_connector(r)) {
        wt = W_CONNECTOR;
        extend_word(str, len, &off, r, rune_connector, false);
    } else if (rune_punct(r)) {
        wt = W_PUNCT;
        extend_word(str, len, &off, r, rune_punct, false);
    } else if (rune_upper(r)) {
        wt = W_UPPER;
        if (off < len) {
            size_t s2;
            int32_t r2 = next_valid(str + off, len - off, r, &s2);
            if (rune_upper(r2)) {
                size_t prev = s2;
                off += s2;
                int32_t rr = r2;
                while (off < len) {
                    size_t s3;
                    rr = next_valid(str + off, len - off, rr, &s3);
                    if (!rune_upper(rr))
                        break;
                    prev = s3;
                    off += s3;
                }
                if (off < len && rune_alphabet(rr)) /* "HTTPStatus": S starts the next word */
                    off -= prev;
            } else if (rune_alphabet(r2)) {
                off += s2;
                extend_word(str, len, &off, r2, rune_alphabet, true);
            }
        }
    } else if (rune_alphabet(r)) {
        wt = W_ALPHA;
        extend_word(str, len, &off, r, rune_alphabet, true);
    } else if (rune_number(r)) {
        wt = W_NUMBER;
        extend_word(str, len, &off, r, rune_number, false);
    } else {
        wt = W_OTHER;
        extend_word(str, len, &off, r, not_other_end, false);
    }
    *word = (span){str, off};
    *rest = (span){str + off, len - off};
    return wt;
}

/* xstrings.toLower: upper-case and connector words lowered, connectors replaced. */
static void word_lower(gotk_buf *b, int wt, span w, char conn)
{
    if (wt != W_UPPER && wt != W_CONNECTOR) {
        gotk_buf_append(b, w.s, w.len);
        return;
    }
    for (size_t i = 0; i < w.len;) {
        int32_t r;
        i += (size_t)tpl_utf8_decode(w.s + i, w.len - i, &r);
        if (rune_connector(r))
            gotk_buf_putc(b, conn);
        else
            tpl_utf8_encode(b, rune_to_lower(r));
    }
}

/* After a number word: take the following letters and numbers. */
static int after_number(gotk_buf *b, int wt, span *word, span *rest, char conn)
{
    while (wt == W_ALPHA || wt == W_NUMBER) {
        word_lower(b, wt, *word, conn);
        wt = next_word(rest, word);
    }
    if (wt != W_INVALID && wt != W_PUNCT && wt != W_CONNECTOR)
        gotk_buf_putc(b, conn);
    return wt;
}

/* After a letter word followed by a number (the default case of the loop). */
static int after_letters(gotk_buf *b, int wt, span *word, span *rest, char conn)
{
    if (wt != W_NUMBER) {
        if (wt != W_CONNECTOR && wt != W_PUNCT)
            gotk_buf_putc(b, conn);
        return wt;
    }
    if (rest->len == 0)
        return wt;
    span last = *word;
    wt = next_word(rest, word);
    if (wt != W_ALPHA) { /* "Bld4Floor": the number belongs to the word before */
        word_lower(b, W_NUMBER, last, conn);
        if (wt != W_CONNECTOR && wt != W_PUNCT)
            gotk_buf_putc(b, conn);
        return wt;
    }
    gotk_buf_putc(b, conn); /* "HTTP2xx": the number starts a word */
    word_lower(b, W_NUMBER, last, conn);
    return after_number(b, wt, word, rest, conn);
}

/* snakecase (ud "_") and kebabcase (ud "-"). */
FN(fn_lowercase_words)
{
    UNUSED;
    char conn = *(const char *)ud;
    gotk_buf b = {0};
    span rest = {SV(argv[0]), SL(argv[0])}, word;
    if (rest.len == 0) {
        *res = sprig_take(ex, &b);
        return NULL;
    }
    int wt = next_word(&rest, &word);
    while (rest.len > 0) {
        if (wt != W_CONNECTOR)
            word_lower(&b, wt, word, conn);
        int prev = wt;
        span last = word;
        wt = next_word(&rest, &word);
        if (prev == W_NUMBER)
            wt = after_number(&b, wt, &word, &rest, conn);
        else if (prev == W_CONNECTOR)
            word_lower(&b, prev, last, conn);
        else if (prev != W_PUNCT)
            wt = after_letters(&b, wt, &word, &rest, conn);
    }
    word_lower(&b, wt, word, conn);
    *res = sprig_take(ex, &b);
    return NULL;
}

/* ---- shuffle, wrap ------------------------------------------------------------ */

uint64_t sprig_rand_below(uint64_t n)
{
    uint64_t r, lim = UINT64_MAX - UINT64_MAX % n;
    do
        sprig_random(&r, sizeof r);
    while (r >= lim);
    return r % n;
}

/* shuffle s: its runes in random order. */
FN(fn_shuffle)
{
    UNUSED;
    size_t n;
    int32_t *rs = runes_of(SV(argv[0]), SL(argv[0]), &n);
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)sprig_rand_below(i), k = i - 1;
        int32_t t = rs[k];
        rs[k] = rs[j];
        rs[j] = t;
    }
    gotk_buf b = {0};
    for (size_t i = 0; i < n; i++)
        tpl_utf8_encode(&b, rs[i]);
    free(rs);
    *res = sprig_take(ex, &b);
    return NULL;
}

/* Last index of ' ' in s[from, to), or -1. */
static ptrdiff_t last_space(const char *s, size_t from, size_t to)
{
    for (size_t i = to; i > from; i--)
        if (s[i - 1] == ' ')
            return (ptrdiff_t)(i - 1);
    return -1;
}

/* goutils.WrapCustom(str, width, nl, long_words). */
static void wrap_custom(const char *s, size_t len, int64_t width, const char *nl, bool long_words,
                        gotk_buf *b)
{
    if (len == 0)
        return;
    if (!*nl)
        nl = "\n";
    size_t w = width < 1 ? 1 : (size_t)width, off = 0;
    while (len - off > w) {
        if (s[off] == ' ') {
            off++;
            continue;
        }
        ptrdiff_t sp = last_space(s, off, w + off + 1);
        if (sp >= (ptrdiff_t)off) {
            gotk_buf_append(b, s + off, (size_t)sp - off);
            gotk_buf_puts(b, nl);
            off = (size_t)sp + 1;
        } else if (long_words) {
            gotk_buf_append(b, s + off, w);
            gotk_buf_puts(b, nl);
            off += w;
        } else {
            const char *next = memchr(s + off + w, ' ', len - off - w);
            if (!next) {
                gotk_buf_append(b, s + off, len - off);
                off = len;
            } else {
                gotk_buf_append(b, s + off, (size_t)(next - s) - off);
                gotk_buf_puts(b, nl);
                off = (size_t)(next - s) + 1;
            }
        }
    }
    gotk_buf_append(b, s + off, len - off);
}

/* wrap width s, and wrapWith width sep s (ud). */
FN(fn_wrap)
{
    UNUSED;
    gotk_buf b = {0};
    int64_t w = json_object_get_int64(argv[0].j);
    if (ud)
        wrap_custom(SV(argv[2]), SL(argv[2]), w, SV(argv[1]), true, &b);
    else
        wrap_custom(SV(argv[1]), SL(argv[1]), w, "", false, &b);
    *res = sprig_take(ex, &b);
    return NULL;
}

/* ---- functions that behave as others ---------------------------------------------- */

/* The registered function `name` called with the same arguments (osBase is base...). */
static gotk_err *call_named(gotk_tpl_exec *ex, const char *name, int argc,
                            const gotk_tpl_val *argv, gotk_tpl_val *res)
{
    const tpl_func *f = tpl_find_func(gotk_tpl_exec_set(ex), name, strlen(name));
    if (!f || !f->fn)
        return gotk_err_new(GOTK_E_GENERIC, "function %s missing", name);
    return f->fn(ex, argc, argv, res, f->ud);
}

/* osBase, osDir, ... (ud: the path function they equal on Linux). */
FN(fn_alias)
{
    return call_named(ex, ud, argc, argv, res);
}

/* mustRegexFind... (ud: the plain function): regexp.Compile's error, not a panic. */
FN(fn_must_regex)
{
    gotk_regex *re = NULL;
    gotk_err *e = gotk_regex_compile(SV(argv[0]), &re);
    gotk_regex_free(re);
    if (e)
        return e;
    return call_named(ex, ud, argc, argv, res);
}

/* ---- small ones --------------------------------------------------------------- */

FN(fn_hello)
{
    UNUSED;
    *res = gotk_tpl_string(ex, "Hello!", 6);
    return NULL;
}

/* typeIsLike t v: typeOf v is t or *t. */
FN(fn_type_is_like)
{
    UNUSED;
    gotk_tpl_val v = tpl_indirect_iface(argv[1]);
    const char *t = v.kind == GOTK_TPL_INVALID ? "<nil>" : gotk_tpl_type_name(v);
    const char *want = SV(argv[0]);
    *res = gotk_tpl_bool(ex, strcmp(t, want) == 0 || (t[0] == '*' && strcmp(t + 1, want) == 0));
    return NULL;
}

/* randInt min max: rand.Intn(max-min) + min. */
FN(fn_rand_int)
{
    UNUSED;
    int64_t lo = json_object_get_int64(argv[0].j), hi = json_object_get_int64(argv[1].j);
    if (hi - lo <= 0)
        return gotk_err_new(GOTK_E_INVALID, "invalid argument to Intn");
    *res = gotk_tpl_int(ex, (int64_t)sprig_rand_below((uint64_t)(hi - lo)) + lo);
    return NULL;
}

/* randBytes n: n random bytes in base64. */
FN(fn_rand_bytes)
{
    UNUSED;
    int64_t n = json_object_get_int64(argv[0].j);
    if (n < 0)
        return gotk_err_new(GOTK_E_INVALID, "runtime error: makeslice: len out of range");
    unsigned char *raw = gotk_xmalloc((size_t)n + 1);
    sprig_random(raw, (size_t)n);
    char *enc = gotk_base64_encode(raw, (size_t)n);
    *res = gotk_tpl_string(ex, enc, strlen(enc));
    free(enc);
    free(raw);
    return NULL;
}

/* One quantum of base32 (Go's decode loop); returns the bytes it yields, or
 * -1 with *bad set to the offset of the error. *end turns true at padding. */
static int b32_quantum(const char *src, size_t len, size_t *pos, uint8_t *out, bool *end,
                       size_t *bad)
{
    static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    uint8_t d[8] = {0};
    int dlen = 8;
    for (int j = 0; j < 8;) {
        if (*pos == len) {
            *bad = len - (size_t)j;
            return -1;
        }
        char in = src[(*pos)++];
        size_t left = len - *pos;
        if (in == '=' && j >= 2 && left < 8) {
            if (left + (size_t)j < 7) {
                *bad = len;
                return -1;
            }
            for (int k = 0; k < 7 - j; k++)
                if (left > (size_t)k && src[*pos + (size_t)k] != '=') {
                    *bad = *pos + (size_t)k - 1;
                    return -1;
                }
            dlen = j;
            *end = true;
            if (dlen == 1 || dlen == 3 || dlen == 6) {
                *bad = *pos - 1;
                return -1;
            }
            break;
        }
        const char *p = in ? memchr(alpha, in, 32) : NULL;
        if (!p) {
            *bad = *pos - 1;
            return -1;
        }
        d[j++] = (uint8_t)(p - alpha);
    }
    uint64_t acc = 0;
    for (int j = 0; j < 8; j++)
        acc = acc << 5 | d[j];
    static const int bytes_for[] = {0, 0, 1, 0, 2, 3, 0, 4, 5};
    for (int j = 0; j < bytes_for[dlen]; j++)
        out[j] = (uint8_t)(acc >> (32 - 8 * j));
    return bytes_for[dlen];
}

/* b32dec s: the decoded text, or Go's error text. */
FN(fn_b32dec)
{
    UNUSED;
    gotk_buf src = {0}, b = {0};
    for (size_t i = 0; i < SL(argv[0]); i++) /* Go drops line breaks first */
        if (SV(argv[0])[i] != '\r' && SV(argv[0])[i] != '\n')
            gotk_buf_putc(&src, SV(argv[0])[i]);
    size_t pos = 0, bad = 0;
    bool end = false;
    while (pos < src.len && !end) {
        uint8_t out[5];
        int n = b32_quantum(src.data, src.len, &pos, out, &end, &bad);
        if (n < 0) {
            b.len = 0;
            gotk_buf_printf(&b, "illegal base32 data at input byte %zu", bad);
            break;
        }
        gotk_buf_append(&b, (const char *)out, (size_t)n);
    }
    gotk_buf_free(&src);
    *res = sprig_take(ex, &b);
    return NULL;
}

/* mustFromJson s: any JSON value (numbers as float64), or Go's error. */
FN(fn_must_from_json)
{
    UNUSED;
    json_object *doc = NULL;
    gotk_err *e = sprig_json_parse(SV(argv[0]), SL(argv[0]), &doc);
    if (e)
        return e;
    if (json_object_is_type(doc, json_type_int)) { /* floatify changes only what is inside */
        json_object *d = json_object_new_double(json_object_get_double(doc));
        json_object_put(doc);
        doc = d;
    }
    *res = doc ? gotk_tpl_own(ex, gotk_template_floatify(doc)) : gotk_tpl_nil();
    return NULL;
}

/* getHostByName name: "", as Helm's engine has it unless DNS lookups are
 * enabled (gotk_template_enable_dns, in sprig_dns.c). */
FN(fn_host_by_name)
{
    UNUSED;
    *res = gotk_tpl_string(ex, "", 0);
    return NULL;
}

/* Register the functions of this file. */
void sprig_add_misc(gotk_tpl_set *set)
{
    static const struct {
        const char *name, *params;
        gotk_tpl_fn fn;
        const char *ud;
    } t[] = {
        {"hello", "", fn_hello, NULL}, {"camelcase", "s", fn_camelcase, NULL},
        {"snakecase", "s", fn_lowercase_words, "_"}, {"kebabcase", "s", fn_lowercase_words, "-"},
        {"shuffle", "s", fn_shuffle, NULL}, {"wrap", "is", fn_wrap, NULL},
        {"wrapWith", "iss", fn_wrap, "w"},
        {"osBase", "s", fn_alias, "base"}, {"osClean", "s", fn_alias, "clean"},
        {"osDir", "s", fn_alias, "dir"}, {"osExt", "s", fn_alias, "ext"},
        {"osIsAbs", "s", fn_alias, "isAbs"},
        {"mustRegexFind", "ss", fn_must_regex, "regexFind"},
        {"mustRegexFindAll", "ssi", fn_must_regex, "regexFindAll"},
        {"mustRegexSplit", "ssi", fn_must_regex, "regexSplit"},
        {"mustRegexReplaceAll", "sss", fn_must_regex, "regexReplaceAll"},
        {"mustRegexReplaceAllLiteral", "sss", fn_must_regex, "regexReplaceAllLiteral"},
        {"typeIsLike", "sv", fn_type_is_like, NULL}, {"randInt", "ii", fn_rand_int, NULL},
        {"randBytes", "i", fn_rand_bytes, NULL}, {"b32dec", "s", fn_b32dec, NULL},
        {"mustFromJson", "s", fn_must_from_json, NULL},
        {"getHostByName", "s", fn_host_by_name, NULL},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        gotk_template_add_func(set, t[i].name, t[i].params, t[i].fn, (void *)t[i].ud);
}
