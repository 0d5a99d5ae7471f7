/*
 * envsubst: variable substitution with the syntax and the quirks of the Go library
 * Flux uses (drone/envsubst, as forked into fluxcd/pkg/envsubst) for `flux envsubst`
 * and kustomize-controller's postBuild.
 *
 * Only `${...}` is a substitution: a bare `$VAR` is left as it is, `$$` is one `$`,
 * and a backslash is ordinary text outside `${...}`. Inside, after the name:
 *   ${V}  ${#V}  ${V^} ${V^^} ${V,} ${V,,}  ${V:pos} ${V:pos:len}
 *   ${V#glob} ${V##glob} ${V%glob} ${V%%glob}
 *   ${V/old/new} ${V//old/new} ${V/#old/new} ${V/%old/new}  (\/ and \\ escape, $$ too)
 *   ${V=def} ${V:=def} ${V:-def} ${V:+def} ${V:?def}
 * and arguments may hold further ${...}. As in Flux, every "default" form means the
 * same thing: the variable's value, or the default when the value is empty (so
 * `${V:+x}` gives V when V is set). `${V-def}` is not supported ("missing closing
 * brace"). Lengths, offsets and substrings count bytes, as Go's do.
 *
 * How it works: the whole input is parsed first into a list of text and function
 * nodes (a parse error anywhere fails the whole input, before any lookup), then the
 * nodes are evaluated. The parser is a small scanner driven, like the original, by a
 * mode (which tokens may appear) and an acceptor (which characters extend a token);
 * that is what reproduces the original's handling of odd input exactly.
 *
 * Strict mode: a variable that is unset (lookup gives NULL) is an error, unless
 * the operator supplies a default; arguments are evaluated first, so an unset
 * variable inside a default is reported even when the default is not needed.
 */
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "gotk/core.h"


/* ---- the parse tree ------------------------------------------------------ */

typedef struct es_node es_node;
struct es_node {
    char *text;      /* a text node: its text; NULL for a function */
    char *param;     /* a function: the variable */
    char op[4];      /* its operator: "", "#", "##", ":", ":=", "//", ... */
    es_node **args;  /* its arguments, each a text or function node */
    size_t nargs;
    es_node *all;    /* every node of a tree, for freeing */
};

typedef struct {
    const char *s; /* input */
    size_t n;
    size_t pos;
    es_node *all;    /* every node made, for freeing */
    const char *err; /* the parse error, when one happened */
    gotk_buf tok;    /* text of the last token */
    int depth;       /* ${...} nesting, bounded to keep the C stack small */
} es_parser;

/* Scanner modes: which tokens a scan may return. */
enum { M_IDENT = 1, M_LBRACK = 2, M_RBRACK = 4, M_ESCAPE = 8 };
typedef enum { T_ILLEGAL, T_EOF, T_IDENT, T_LBRACK, T_RBRACK } es_token;

/* Decides whether rune r, ending at byte i of the token, extends it. */
typedef bool (*es_accept)(uint32_t r, size_t i);

/* Error texts of the original. */
#define E_BAD "bad substitution"
#define E_BRACE "missing closing brace"
#define E_NAME "unable to parse variable name"
#define E_FUNC "unable to parse substitution within function"
#define E_DEFAULT "unable to parse default function"
/* Ours: the original has no limit, but real input nests two or three deep. */
#define E_DEPTH "bad substitution: nested too deeply"
#define ES_MAX_DEPTH 200

/* ---- UTF-8 and Unicode ---------------------------------------------------- */


static pthread_once_t es_once = PTHREAD_ONCE_INIT;
static pcre2_code *es_word_code; /* one letter or decimal digit */

/* Set up the Unicode helpers once per process. */
static void es_init(void)
{
    static const char pat[] = "[\\p{L}\\p{Nd}]";
    int ec;
    PCRE2_SIZE eo;
    es_word_code = pcre2_compile((PCRE2_SPTR)pat, sizeof pat - 1, PCRE2_UTF | PCRE2_ANCHORED,
                                 &ec, &eo, NULL);
}

/* Go's unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'. */
static bool es_is_ident(uint32_t r)
{
    if (r < 0x80)
        return (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') ||
               r == '_';
    pthread_once(&es_once, es_init);
    if (!es_word_code || r == GOTK_RUNE_ERROR)
        return false;
    gotk_buf b = {0};
    gotk_utf8_append(&b, r);
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    int rc = md ? pcre2_match(es_word_code, (PCRE2_SPTR)b.data, b.len, 0, 0, md, NULL) : -1;
    pcre2_match_data_free(md);
    gotk_buf_free(&b);
    return rc >= 0;
}

/* ---- the scanner ---------------------------------------------------------- */

/* The rune at the current position, or 0 at the end (the original's eof). */
static uint32_t es_peek(const es_parser *p)
{
    uint32_t r;
    gotk_utf8_decode(p->s + p->pos, p->n - p->pos, &r);
    return p->pos >= p->n ? 0 : r;
}

/* `$` followed by `{` at `at`? */
static bool es_lbrack_at(const es_parser *p, size_t at)
{
    return at + 1 < p->n && p->s[at] == '$' && p->s[at + 1] == '{';
}

/* In escape mode: `$$`, `\/` and `\\` (the last two only inside `${...}`) at `at`. */
static bool es_escape_at(const es_parser *p, size_t at, int mode, bool backslash)
{
    if (!(mode & M_ESCAPE) || at + 1 >= p->n)
        return false;
    char c = p->s[at], d = p->s[at + 1];
    if (c == '$' && d == '$')
        return true;
    return backslash && c == '\\' && (d == '/' || d == '\\');
}

/* Scan one token in `mode`; its text goes to p->tok. `backslash` enables `\`
 * escapes (inside `${...}`). An escape drops its first character and keeps the
 * second without asking `accept`. */
static es_token es_scan(es_parser *p, int mode, es_accept accept, bool backslash)
{
    p->tok.len = 0;
    if (p->tok.data)
        p->tok.data[0] = '\0';
    if (p->pos >= p->n)
        return T_EOF;
    uint32_t r;
    size_t w = gotk_utf8_decode(p->s + p->pos, p->n - p->pos, &r);
    if ((mode & M_LBRACK) && es_lbrack_at(p, p->pos)) {
        p->pos += 2;
        return T_LBRACK;
    }
    if ((mode & M_RBRACK) && r == '}') {
        p->pos += 1;
        return T_RBRACK;
    }
    if (!(mode & M_IDENT))
        return T_ILLEGAL;
    bool first = true;
    while (p->pos < p->n) {
        w = gotk_utf8_decode(p->s + p->pos, p->n - p->pos, &r);
        if (!first && (mode & M_LBRACK) && es_lbrack_at(p, p->pos))
            break;
        if (es_escape_at(p, p->pos, mode, backslash)) {
            gotk_buf_putc(&p->tok, p->s[p->pos + 1]);
            p->pos += 2;
        } else if (accept(r, p->tok.len + w)) {
            gotk_buf_append(&p->tok, p->s + p->pos, w);
            p->pos += w;
        } else if (first) {
            return T_ILLEGAL;
        } else {
            break;
        }
        first = false;
    }
    return T_IDENT;
}

/* ---- acceptors ------------------------------------------------------------ */

/* Acceptors: which runes may extend a token (i = its length so far). */
static bool acc_any(uint32_t r, size_t i) { (void)r; (void)i; return true; }
static bool acc_ident(uint32_t r, size_t i) { (void)i; return es_is_ident(r); }
static bool acc_colon(uint32_t r, size_t i) { (void)i; return r == ':'; }
static bool acc_one_hash(uint32_t r, size_t i) { return r == '#' && i == 1; }
static bool acc_not_closing(uint32_t r, size_t i) { (void)i; return r != '}'; }
static bool acc_hash_op(uint32_t r, size_t i) { return r == '#' && i < 3; }
static bool acc_percent_op(uint32_t r, size_t i) { return r == '%' && i < 3; }
static bool acc_one_equal(uint32_t r, size_t i) { return i == 1 && r == '='; }
static bool acc_one_colon(uint32_t r, size_t i) { return i == 1 && r == ':'; }
static bool acc_not_colon_close(uint32_t r, size_t i) { (void)i; return r != ':' && r != '}'; }
static bool acc_slash(uint32_t r, size_t i) { (void)i; return r == '/'; }
static bool acc_not_slash(uint32_t r, size_t i) { (void)i; return r != '/'; }
static bool acc_casing(uint32_t r, size_t i) { return (r == ',' || r == '^') && i < 3; }

/* `:` then one of = - ? + (the default operators). */
static bool acc_default_op(uint32_t r, size_t i)
{
    return (i == 1 && r == ':') || (i == 2 && (r == '=' || r == '-' || r == '?' || r == '+'));
}

/* `/` then optionally one of / # %. */
static bool acc_replace_op(uint32_t r, size_t i)
{
    return (i == 1 && r == '/') || (i == 2 && (r == '/' || r == '#' || r == '%'));
}

/* ---- the parser ----------------------------------------------------------- */

/* A new node owned by the parser. */
static es_node *es_new(es_parser *p)
{
    es_node *nd = gotk_xcalloc(1, sizeof *nd);
    nd->all = p->all;
    p->all = nd;
    return nd;
}

/* A text node holding the last token. */
static es_node *es_text(es_parser *p)
{
    es_node *nd = es_new(p);
    nd->text = gotk_xstrndup(p->tok.data ? p->tok.data : "", p->tok.len);
    return nd;
}

/* A function node for variable `param`. */
static es_node *es_func(es_parser *p, const char *param)
{
    es_node *nd = es_new(p);
    nd->param = gotk_xstrdup(param);
    return nd;
}

/* Append an argument to a function node. */
static void es_add_arg(es_node *f, es_node *arg)
{
    f->args = gotk_xrealloc(f->args, (f->nargs + 1) * sizeof *f->args);
    f->args[f->nargs++] = arg;
}

/* Record the operator scanned into p->tok. */
static void es_set_op(es_parser *p, es_node *f)
{
    snprintf(f->op, sizeof f->op, "%s", p->tok.data ? p->tok.data : "");
}

/* Record the first parse error; returns NULL for the caller to return. */
static es_node *es_fail(es_parser *p, const char *msg)
{
    if (!p->err)
        p->err = msg;
    return NULL;
}

static es_node *es_parse_func(es_parser *p);

/* The closing `}` of a function. */
static es_node *es_close(es_parser *p, es_node *f)
{
    return es_scan(p, M_RBRACK, acc_any, true) == T_RBRACK ? f : es_fail(p, E_BAD);
}

/* One argument: a nested ${...} or a run of text. */
static es_node *es_parse_param(es_parser *p, es_accept accept, int mode)
{
    switch (es_scan(p, mode | M_LBRACK, accept, true)) {
    case T_LBRACK:
        return es_parse_func(p);
    case T_IDENT:
        return es_text(p);
    default:
        return es_fail(p, E_FUNC);
    }
}

/* ${#name} */
static es_node *es_parse_len(es_parser *p)
{
    if (es_scan(p, M_IDENT, acc_one_hash, true) != T_IDENT)
        return es_fail(p, E_BAD);
    if (es_scan(p, M_IDENT, acc_ident, true) != T_IDENT)
        return es_fail(p, E_BAD);
    es_node *f = es_func(p, p->tok.data);
    snprintf(f->op, sizeof f->op, "#");
    return es_close(p, f);
}

/* ${name=x} ${name:=x} ${name:-x} ${name:?x} ${name:+x}: any number of arguments. */
static es_node *es_parse_default(es_parser *p, es_node *f)
{
    es_accept acc = es_peek(p) == '=' ? acc_one_equal : acc_default_op;
    if (es_scan(p, M_IDENT, acc, true) != T_IDENT)
        return es_fail(p, E_DEFAULT);
    es_set_op(p, f);
    while (es_peek(p) != '}') {
        es_node *arg = es_parse_param(p, acc_not_closing, M_IDENT);
        if (!arg)
            return NULL;
        es_add_arg(f, arg);
    }
    return es_close(p, f);
}

/* ${name:pos} ${name:pos:len} */
static es_node *es_parse_substr(es_parser *p, es_node *f)
{
    if (es_scan(p, M_IDENT, acc_one_colon, true) != T_IDENT)
        return es_fail(p, E_BAD);
    es_set_op(p, f);
    es_node *arg = es_parse_param(p, acc_not_colon_close, M_IDENT);
    if (!arg)
        return NULL;
    es_add_arg(f, arg);
    es_token t = es_scan(p, M_IDENT | M_RBRACK, acc_colon, true);
    if (t == T_RBRACK)
        return f;
    if (t != T_IDENT)
        return es_fail(p, E_BAD);
    if (!(arg = es_parse_param(p, acc_not_closing, M_IDENT)))
        return NULL;
    es_add_arg(f, arg);
    return es_close(p, f);
}

/* After `${name:`: a default when the next character is = - ? +, else a substring.
 * The original steps back by the width of that next character, not of the colon,
 * which a multi-byte character turns into "bad substitution"; so does this. */
static es_node *es_parse_colon(es_parser *p, es_node *f)
{
    size_t after = p->pos + 1;
    uint32_t r;
    size_t w = gotk_utf8_decode(p->s + after, p->n - after, &r);
    if (after >= p->n)
        r = 0;
    p->pos = after - w;
    if (r == '=' || r == '-' || r == '?' || r == '+')
        return es_parse_default(p, f);
    return es_parse_substr(p, f);
}

/* ${name#glob} ${name##glob} ${name%glob} ${name%%glob} */
static es_node *es_parse_remove(es_parser *p, es_node *f, es_accept acc)
{
    if (es_scan(p, M_IDENT, acc, true) != T_IDENT)
        return es_fail(p, E_BAD);
    es_set_op(p, f);
    es_node *arg = es_parse_param(p, acc_not_closing, M_IDENT);
    if (!arg)
        return NULL;
    es_add_arg(f, arg);
    return es_close(p, f);
}

/* ${name/old/new} ${name//old/new} ${name/#old/new} ${name/%old/new} */
static es_node *es_parse_replace(es_parser *p, es_node *f)
{
    if (es_scan(p, M_IDENT, acc_replace_op, true) != T_IDENT)
        return es_fail(p, E_BAD);
    es_set_op(p, f);
    es_node *arg = es_parse_param(p, acc_not_slash, M_IDENT | M_ESCAPE);
    if (!arg)
        return NULL;
    es_add_arg(f, arg);
    if (es_scan(p, M_IDENT, acc_slash, true) != T_IDENT)
        return es_fail(p, E_BAD);
    if (es_peek(p) == '}' && p->pos < p->n)
        return es_close(p, f);
    if (!(arg = es_parse_param(p, acc_not_closing, M_IDENT | M_ESCAPE)))
        return NULL;
    es_add_arg(f, arg);
    return es_close(p, f);
}

/* ${name^} ${name^^} ${name,} ${name,,} */
static es_node *es_parse_casing(es_parser *p, es_node *f)
{
    if (es_scan(p, M_IDENT, acc_casing, true) != T_IDENT)
        return es_fail(p, E_BAD);
    es_set_op(p, f);
    return es_close(p, f);
}

/* After `${`: a name and what follows it. */
static es_node *es_parse_func_body(es_parser *p)
{
    if (p->pos < p->n && es_peek(p) == '#')
        return es_parse_len(p);
    if (es_scan(p, M_IDENT, acc_ident, true) != T_IDENT)
        return es_fail(p, E_NAME);
    es_node *f = es_func(p, p->tok.data);
    switch (p->pos < p->n ? es_peek(p) : 0) {
    case ':':
        return es_parse_colon(p, f);
    case '=':
        return es_parse_default(p, f);
    case ',': case '^':
        return es_parse_casing(p, f);
    case '/':
        return es_parse_replace(p, f);
    case '#':
        return es_parse_remove(p, f, acc_hash_op);
    case '%':
        return es_parse_remove(p, f, acc_percent_op);
    default:
        return es_scan(p, M_RBRACK, acc_ident, true) == T_RBRACK ? f : es_fail(p, E_BRACE);
    }
}

/* A function, nested at most ES_MAX_DEPTH deep. */
static es_node *es_parse_func(es_parser *p)
{
    if (p->depth >= ES_MAX_DEPTH)
        return es_fail(p, E_DEPTH);
    p->depth++;
    es_node *f = es_parse_func_body(p);
    p->depth--;
    return f;
}

/* The whole input: text (with `$$` escapes) and functions. */
static bool es_parse(es_parser *p, es_node ***list, size_t *len)
{
    for (;;) {
        es_node *nd;
        switch (es_scan(p, M_IDENT | M_LBRACK | M_ESCAPE, acc_any, false)) {
        case T_EOF:
            return true;
        case T_IDENT:
            nd = es_text(p);
            break;
        case T_LBRACK:
            if (!(nd = es_parse_func(p)))
                return false;
            break;
        default:
            es_fail(p, E_BAD);
            return false;
        }
        *list = gotk_xrealloc(*list, (*len + 1) * sizeof **list);
        (*list)[(*len)++] = nd;
    }
}

/* ---- string functions, as the original's ---------------------------------- */

/* Go's strings.Replace(s, old, new, n) with n = 1 or -1 (all), appended to out. */
static void es_replace(gotk_buf *out, const char *s, const char *old, const char *new_,
                       bool all)
{
    size_t olen = strlen(old), slen = strlen(s);
    if (!strcmp(old, new_) || (olen && !strstr(s, old))) {
        gotk_buf_puts(out, s);
        return;
    }
    size_t start = 0;
    for (bool once = false; !once || all; once = true) {
        if (olen == 0) {
            if (once) {
                if (start >= slen)
                    break;
                uint32_t r;
                size_t w = gotk_utf8_decode(s + start, slen - start, &r);
                gotk_buf_append(out, s + start, w);
                start += w;
            }
            gotk_buf_puts(out, new_);
            continue;
        }
        const char *hit = strstr(s + start, old);
        if (!hit)
            break;
        gotk_buf_append(out, s + start, (size_t)(hit - (s + start)));
        gotk_buf_puts(out, new_);
        start = (size_t)(hit - s) + olen;
    }
    gotk_buf_puts(out, s + start);
}

/* Go's strings.ToUpper / ToLower: ASCII stays as is; otherwise rune by rune, bad
 * bytes becoming U+FFFD. */
static void es_case_all(gotk_buf *out, const char *s, bool upper)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t r;
        size_t w = gotk_utf8_decode(s + i, n - i, &r);
        gotk_utf8_append(out, gotk_unicode_case(r, upper));
        i += w;
    }
}

/* Go's unicode.ToUpper/ToLower of the first rune only. */
static void es_case_first(gotk_buf *out, const char *s, bool upper)
{
    size_t n = strlen(s);
    if (n == 0)
        return;
    uint32_t r;
    size_t w = gotk_utf8_decode(s, n, &r);
    gotk_utf8_append(out, gotk_unicode_case(r, upper));
    gotk_buf_puts(out, s + w);
}

/* Go's strconv.Atoi. */
static bool es_atoi(const char *s, long long *v)
{
    const char *d = s + (*s == '+' || *s == '-');
    if (!*d)
        return false;
    unsigned long long acc = 0;
    for (const char *c = d; *c; c++) {
        if (*c < '0' || *c > '9')
            return false;
        if (acc > (ULLONG_MAX - 9) / 10)
            return false;
        acc = acc * 10 + (unsigned)(*c - '0');
    }
    bool neg = *s == '-';
    if (acc > (unsigned long long)LLONG_MAX + (neg ? 1u : 0u))
        return false;
    *v = neg ? (long long)(0 - acc) : (long long)acc;
    return true;
}

/* ${V:pos} and ${V:pos:len}, by bytes. Where the original would crash (a negative
 * length reaching before pos) this is an error. */
static gotk_err *es_substr(gotk_buf *out, const char *s, char **args, size_t nargs)
{
    long long len = (long long)strlen(s), pos, length;
    if (!es_atoi(args[0], &pos)) {
        gotk_buf_puts(out, s);
        return NULL;
    }
    if (pos < 0 && (pos += len) < 0)
        pos = 0;
    if (nargs == 1) {
        if (pos < len)
            gotk_buf_puts(out, s + pos);
        return NULL;
    }
    if (!es_atoi(args[1], &length)) {
        gotk_buf_puts(out, s);
        return NULL;
    }
    long long end;
    if (__builtin_add_overflow(pos, length, &end) || (end < len && end < pos))
        return gotk_err_new(GOTK_E_INVALID, "bad substitution: substring %s:%s out of range",
                            args[0], args[1]);
    if (end >= len) {
        if (pos < len)
            gotk_buf_puts(out, s + pos);
        return NULL;
    }
    gotk_buf_append(out, s + pos, (size_t)(end - pos));
    return NULL;
}

/* ---- glob matching for # ## % %% (the original's path.Match variant, where `*`
 * also matches `/`) ---------------------------------------------------------- */

typedef enum { G_NO, G_YES, G_BAD } es_glob;

/* One possibly escaped character of a bracket range; G_BAD on bad syntax. */
static es_glob es_glob_esc(const char **chunk, const char *end, uint32_t *r)
{
    const char *c = *chunk;
    if (c >= end || *c == '-' || *c == ']')
        return G_BAD;
    if (*c == '\\' && ++c >= end)
        return G_BAD;
    size_t w = gotk_utf8_decode(c, (size_t)(end - c), r);
    bool bad = *r == GOTK_RUNE_ERROR && w == 1;
    *chunk = c + w;
    return bad || *chunk >= end ? G_BAD : G_YES;
}

/* Match the chunk [c, ce) against the start of [s, se); on success *rest is
 * where the text continues. */
static es_glob es_glob_chunk(const char *c, const char *ce, const char *s, const char *se,
                             const char **rest)
{
    while (c < ce) {
        if (s >= se)
            return G_NO;
        if (*c == '[') {
            uint32_t r, lo, hi;
            s += gotk_utf8_decode(s, (size_t)(se - s), &r);
            c++;
            bool negated = c < ce && *c == '^';
            c += negated;
            bool match = false;
            for (int nrange = 0;; nrange++) {
                if (c < ce && *c == ']' && nrange > 0) {
                    c++;
                    break;
                }
                if (es_glob_esc(&c, ce, &lo) == G_BAD)
                    return G_BAD;
                hi = lo;
                if (*c == '-') {
                    c++;
                    if (es_glob_esc(&c, ce, &hi) == G_BAD)
                        return G_BAD;
                }
                if (lo <= r && r <= hi)
                    match = true;
            }
            if (match == negated)
                return G_NO;
        } else if (*c == '?') {
            uint32_t r;
            s += gotk_utf8_decode(s, (size_t)(se - s), &r);
            c++;
        } else {
            if (*c == '\\' && ++c >= ce)
                return G_BAD;
            if (*c != *s)
                return G_NO;
            s++;
            c++;
        }
    }
    *rest = s;
    return G_YES;
}

/* Split off the next chunk: leading stars, then up to an unbracketed star. */
static const char *es_glob_scan(const char *pat, const char *pe, bool *star, const char **ce)
{
    *star = false;
    while (pat < pe && *pat == '*') {
        pat++;
        *star = true;
    }
    bool inrange = false;
    const char *k = pat;
    for (; k < pe; k++) {
        if (*k == '\\') {
            if (k + 1 < pe)
                k++;
        } else if (*k == '[') {
            inrange = true;
        } else if (*k == ']') {
            inrange = false;
        } else if (*k == '*' && !inrange) {
            break;
        }
    }
    *ce = k;
    return pat;
}

/* Does the whole of name[0, nlen) match the pattern? */
static es_glob es_glob_match(const char *pat, const char *name, size_t nlen)
{
    const char *pe = pat + strlen(pat), *s = name, *se = name + nlen;
    while (pat < pe) {
        bool star;
        const char *ce, *c = es_glob_scan(pat, pe, &star, &ce), *t = NULL;
        pat = ce;
        if (star && c == ce)
            return G_YES;
        es_glob g = es_glob_chunk(c, ce, s, se, &t);
        if (g == G_YES && (t == se || pat < pe)) {
            s = t;
            continue;
        }
        if (g == G_BAD)
            return G_BAD;
        bool advanced = false;
        for (const char *k = s; star && k < se && !advanced; k++) {
            g = es_glob_chunk(c, ce, k + 1, se, &t);
            if (g == G_YES && !(pat >= pe && t < se)) {
                s = t;
                advanced = true;
            } else if (g == G_BAD) {
                return G_BAD;
            }
        }
        if (!advanced)
            return G_NO;
    }
    return s == se ? G_YES : G_NO;
}

/* Reverse a string rune by rune, bad bytes becoming U+FFFD, as Go's []rune does. */
static char *es_reverse(const char *s)
{
    size_t n = strlen(s);
    gotk_buf b = {0};
    uint32_t *runes = gotk_xcalloc(n + 1, sizeof *runes);
    size_t count = 0;
    for (size_t k = 0; k < n;)
        k += gotk_utf8_decode(s + k, n - k, &runes[count++]);
    for (size_t i = count; i > 0; i--)
        gotk_utf8_append(&b, runes[i - 1]);
    free(runes);
    return gotk_buf_steal(&b);
}

/* Remove the shortest (or longest) prefix of s matching the glob. */
static void es_trim_prefix(gotk_buf *out, const char *s, const char *glob, bool longest)
{
    size_t n = strlen(s), best = 0;
    for (size_t i = 0; i < n; i++) {
        es_glob g = es_glob_match(glob, s, n - i);
        if (g == G_BAD) {
            best = 0;
            break;
        }
        if (g == G_YES) {
            best = n - i;
            if (longest)
                break;
        }
    }
    gotk_buf_puts(out, s + best);
}

/* The suffix forms: trim the prefix of the reversed string with the reversed glob. */
static void es_trim_suffix(gotk_buf *out, const char *s, const char *glob, bool longest)
{
    char *rs = es_reverse(s), *rg = es_reverse(glob);
    gotk_buf tmp = {0};
    es_trim_prefix(&tmp, rs, rg, longest);
    char *back = es_reverse(tmp.data ? tmp.data : "");
    gotk_buf_puts(out, back);
    free(back);
    gotk_buf_free(&tmp);
    free(rs);
    free(rg);
}

/* ---- evaluation ----------------------------------------------------------- */

typedef struct {
    gotk_env_lookup lookup;
    void *ud;
    bool strict;
} es_env;

/* Operators that supply their own value when the variable is unset. */
static bool es_is_default_op(const char *op)
{
    static const char *const ops[] = {"-", "+", "=", "?", ":-", ":+", ":=", ":?"};
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++)
        if (!strcmp(op, ops[k]))
            return true;
    return false;
}

/* Apply operator `op` to value v with evaluated arguments. */
static gotk_err *es_apply(gotk_buf *out, const char *op, const char *v, char **args,
                          size_t nargs)
{
    if (!strcmp(op, ","))
        es_case_first(out, v, false);
    else if (!strcmp(op, ",,"))
        es_case_all(out, v, false);
    else if (!strcmp(op, "^"))
        es_case_first(out, v, true);
    else if (!strcmp(op, "^^"))
        es_case_all(out, v, true);
    else if (!strcmp(op, "#") && nargs == 0)
        gotk_buf_printf(out, "%zu", strlen(v));
    else if (!strcmp(op, "#") || !strcmp(op, "##"))
        es_trim_prefix(out, v, args[0], op[1] == '#');
    else if (!strcmp(op, "%") || !strcmp(op, "%%"))
        es_trim_suffix(out, v, args[0], op[1] == '%');
    else if (!strcmp(op, ":"))
        return es_substr(out, v, args, nargs);
    else if (!strcmp(op, "/#") || !strcmp(op, "/%")) {
        size_t vl = strlen(v), al = nargs == 2 ? strlen(args[0]) : 0;
        if (nargs != 2)
            gotk_buf_puts(out, v);
        else if (op[1] == '#' && !strncmp(v, args[0], al))
            es_replace(out, v, args[0], args[1], false);
        else if (op[1] == '%' && vl >= al && !strcmp(v + vl - al, args[0])) {
            gotk_buf_append(out, v, vl - al);
            gotk_buf_puts(out, args[1]);
        } else
            gotk_buf_puts(out, v);
    } else if (!strcmp(op, "/") || !strcmp(op, "//"))
        es_replace(out, v, args[0], nargs > 1 ? args[1] : "", op[1] == '/');
    else if (*v == '\0' && nargs > 0)
        for (size_t k = 0; k < nargs; k++)
            gotk_buf_puts(out, args[k]);
    else
        gotk_buf_puts(out, v);
    return NULL;
}

static gotk_err *es_eval(const es_env *env, const es_node *nd, gotk_buf *out);

/* A function node: arguments first, then the variable, then the operator. */
static gotk_err *es_eval_func(const es_env *env, const es_node *nd, gotk_buf *out)
{
    char **args = gotk_xcalloc(nd->nargs + 1, sizeof *args);
    gotk_err *e = NULL;
    for (size_t k = 0; k < nd->nargs && !e; k++) {
        gotk_buf b = {0};
        e = es_eval(env, nd->args[k], &b);
        args[k] = gotk_buf_steal(&b);
    }
    if (!e) {
        const char *v = env->lookup(nd->param, env->ud);
        if (!v && env->strict && !es_is_default_op(nd->op))
            e = gotk_err_new(GOTK_E_NOTFOUND, "variable not set (strict mode): \"%s\"",
                             nd->param);
        else
            e = es_apply(out, nd->op, v ? v : "", args, nd->nargs);
    }
    for (size_t k = 0; k < nd->nargs; k++)
        free(args[k]);
    free(args);
    return e;
}

/* Evaluate one node into out. */
static gotk_err *es_eval(const es_env *env, const es_node *nd, gotk_buf *out)
{
    if (nd->text) {
        gotk_buf_puts(out, nd->text);
        return NULL;
    }
    return es_eval_func(env, nd, out);
}

/* Free every node a parse made. */
static void es_free_nodes(es_node *all)
{
    while (all) {
        es_node *next = all->all;
        free(all->text);
        free(all->param);
        free(all->args);
        free(all);
        all = next;
    }
}

/* Parse everything, then evaluate node by node. */
gotk_err *gotk_envsubst(const char *in, gotk_env_lookup lookup, void *ud, bool strict,
                        char **out)
{
    *out = NULL;
    es_parser p = {.s = in, .n = strlen(in)};
    es_node **list = NULL;
    size_t len = 0;
    gotk_err *e = NULL;
    if (!es_parse(&p, &list, &len)) {
        e = gotk_err_new(GOTK_E_INVALID, "%s", p.err ? p.err : E_BAD);
    } else {
        es_env env = {.lookup = lookup, .ud = ud, .strict = strict};
        gotk_buf b = {0};
        for (size_t k = 0; k < len && !e; k++)
            e = es_eval(&env, list[k], &b);
        if (e)
            gotk_buf_free(&b);
        else
            *out = gotk_buf_steal(&b);
    }
    free(list);
    es_free_nodes(p.all);
    gotk_buf_free(&p.tok);
    return e;
}

/* getenv(3) as a gotk_env_lookup. */
const char *gotk_env_getenv(const char *name, void *ud)
{
    (void)ud;
    return getenv(name);
}
