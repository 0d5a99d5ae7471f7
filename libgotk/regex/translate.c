/*
 * Go (RE2) pattern syntax -> PCRE2 pattern.
 *
 * One left-to-right pass over the pattern, following the order in which Go's
 * regexp/syntax parser looks at things, so that a pattern Go rejects is rejected here
 * with Go's message ("error parsing regexp: <problem>: `<piece>`") and a pattern Go
 * accepts is written out in a form PCRE2 reads with the same meaning:
 *
 *  - literal characters and escapes become `\x{hex}` (or stay as they are when they
 *    are letters, digits or non-ASCII), so nothing PCRE2 treats specially slips in;
 *  - `(?P<name>` and `(?<name>` become a plain `(`; the names are kept in a table;
 *  - flag groups are checked for Go's four flags (i, m, s, U) and copied;
 *  - `\s` and `\S` become Go's set of five spaces (PCRE2's also has \v);
 *  - `\p{Greek}` becomes `\p{sc:Greek}` (Go means the Script property);
 *  - a repeated assertion (`^*`, which Go accepts) is wrapped in `(?:...)`;
 *  - a repetition after a flag group (`a(?U)*`, which Go applies to `a` with the
 *    new flags) is written before the flag group, lazy or greedy as Go means it.
 *
 * Besides the syntax, it enforces Go's repeat limit: no repetition count above 1000,
 * nested counts included ("(a{500}){3}" is an invalid repeat count).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "regex_int.h"

#define NO_POS SIZE_MAX
#define MAX_REPEAT 1000

/* Go's error codes, as their text. */
#define E_CHAR_RANGE "invalid character class range"
#define E_ESCAPE "invalid escape sequence"
#define E_NAMED "invalid named capture"
#define E_PERL "invalid or unsupported Perl syntax"
#define E_REPEAT_OP "invalid nested repetition operator"
#define E_REPEAT_SIZE "invalid repeat count"
#define E_UTF8 "invalid UTF-8"
#define E_BRACKET "missing closing ]"
#define E_PAREN "missing closing )"
#define E_REPEAT_ARG "missing argument to repetition operator"
#define E_BACKSLASH "trailing backslash at end of expression"
#define E_UNEXPECTED_PAREN "unexpected )"

/* One open group: where it starts in the output and the largest repeat weight of
 * the items already finished inside it. */
typedef struct {
    size_t out_start;
    int max_weight;
    bool ungreedy; /* the U flag outside the group */
} tr_frame;

typedef struct {
    const char *p; /* the Go pattern */
    size_t n;      /* its length */
    size_t i;      /* current position */
    gotk_buf *out;
    gotk_regex_tr *res;
    size_t names_cap;
    tr_frame *fr; /* fr[0] is the whole pattern */
    int depth;
    int fr_cap;
    bool atom;        /* an item a repetition can apply to is pending */
    bool atom_assert; /* that item is an assertion such as ^ or \b */
    size_t atom_out;  /* where the item starts in the output */
    int atom_weight;  /* product of the repeat counts inside it */
    bool atom_repeated; /* it already carries a repetition */
    size_t atom_end;  /* where flag groups written after it start, or NO_POS */
    bool ungreedy;    /* the U flag in force now */
    bool ungreedy_at_end; /* ... and where atom_end is */
    size_t last_rep;  /* start of the repetition just before, or NO_POS */
} tr;

/* Go's error: "error parsing regexp: <code>: `<expr>`". */
static gotk_err *tr_error(const char *code, const char *expr, size_t len)
{
    return gotk_err_new(GOTK_E_INVALID, "error parsing regexp: %s: `%.*s`", code, (int)len,
                        expr);
}


/* Go's nextRune: decode at `at`, or fail with "invalid UTF-8" on bad input. */
static gotk_err *tr_next_rune(const tr *t, size_t at, uint32_t *r, size_t *w)
{
    *w = gotk_utf8_decode(t->p + at, t->n - at, r);
    if (*r == GOTK_RUNE_ERROR && *w == 1)
        return tr_error(E_UTF8, t->p + at, t->n - at);
    return NULL;
}

/* Go's checkUTF8 over s[0, n). */
static gotk_err *tr_check_utf8(const char *s, size_t n)
{
    for (size_t k = 0; k < n;) {
        uint32_t r;
        size_t w = gotk_utf8_decode(s + k, n - k, &r);
        if (r == GOTK_RUNE_ERROR && w == 1)
            return tr_error(E_UTF8, s + k, n - k);
        k += w;
    }
    return NULL;
}

/* ASCII letter or digit. */
static bool is_alnum(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Value of a hex digit, or -1. */
static int unhex(uint32_t c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F')
        return (int)(c - 'A' + 10);
    return -1;
}

/* Write one code point so PCRE2 reads it as that literal character. */
static void emit_rune(gotk_buf *out, uint32_t r, const char *raw, size_t raw_len)
{
    if (raw && (is_alnum(r) || r >= 0x80))
        gotk_buf_append(out, raw, raw_len);
    else
        gotk_buf_printf(out, "\\x{%x}", (unsigned)r);
}

/* Fold the pending item's weight into its group. */
static void tr_commit(tr *t)
{
    if (t->atom && t->atom_weight > t->fr[t->depth].max_weight)
        t->fr[t->depth].max_weight = t->atom_weight;
}

/* A new item starts here in the output. */
static void tr_item(tr *t, bool assertion)
{
    tr_commit(t);
    t->atom = true;
    t->atom_assert = assertion;
    t->atom_out = t->out->len;
    t->atom_weight = 1;
    t->atom_repeated = false;
    t->atom_end = NO_POS;
}

/* Insert `text` at byte `at` of the output. */
static void tr_insert(tr *t, size_t at, const char *text)
{
    size_t n = strlen(text), tail = t->out->len - at;
    gotk_buf_append(t->out, text, n);
    memmove(t->out->data + at + n, t->out->data + at, tail);
    memcpy(t->out->data + at, text, n);
}

/* Record group `ncap`'s name (NULL for unnamed). */
static void tr_add_name(tr *t, const char *name, size_t len)
{
    gotk_regex_tr *res = t->res;
    if ((size_t)(res->ncap + 2) > t->names_cap) {
        t->names_cap = t->names_cap ? t->names_cap * 2 : 8;
        res->names = gotk_xrealloc(res->names, t->names_cap * sizeof *res->names);
    }
    res->ncap++;
    res->names[res->ncap] = name ? gotk_xstrndup(name, len) : gotk_xstrdup("");
}

/* Open a group whose text has already been written from `out_start`. */
static void tr_push(tr *t, size_t out_start)
{
    tr_commit(t);
    if (t->depth + 1 >= t->fr_cap) {
        t->fr_cap *= 2;
        t->fr = gotk_xrealloc(t->fr, (size_t)t->fr_cap * sizeof *t->fr);
    }
    t->depth++;
    t->fr[t->depth].out_start = out_start;
    t->fr[t->depth].max_weight = 1;
    t->fr[t->depth].ungreedy = t->ungreedy;
    t->atom = false;
}

/* `(?P<name>` or `(?<name>`, known to start at t->i. */
static gotk_err *tr_named_group(tr *t, size_t name_at)
{
    const char *s = t->p + t->i;
    size_t rest = t->n - t->i;
    const char *gt = memchr(s, '>', rest);
    if (!gt) {
        gotk_err *e = tr_check_utf8(s, rest);
        return e ? e : tr_error(E_NAMED, s, rest);
    }
    size_t end = (size_t)(gt - s);
    const char *name = s + name_at;
    size_t name_len = end - name_at;
    gotk_err *e = tr_check_utf8(name, name_len);
    if (e)
        return e;
    bool valid = name_len > 0;
    for (size_t k = 0; k < name_len; k++)
        if (name[k] != '_' && !is_alnum((unsigned char)name[k]))
            valid = false;
    if (!valid)
        return tr_error(E_NAMED, s, end + 1);
    size_t at = t->out->len;
    gotk_buf_putc(t->out, '(');
    tr_push(t, at);
    tr_add_name(t, name, name_len);
    t->i += end + 1;
    return NULL;
}

/* `(?flags)` or `(?flags:`: Go allows only i, m, s, U and one `-`. */
static gotk_err *tr_flag_group(tr *t)
{
    size_t j = t->i + 2;
    int sign = 1;
    bool saw_flag = false;
    bool ungreedy = t->ungreedy;
    while (j < t->n) {
        uint32_t c;
        size_t w;
        gotk_err *e = tr_next_rune(t, j, &c, &w);
        if (e)
            return e;
        j += w;
        if (c == 'i' || c == 'm' || c == 's' || c == 'U') {
            saw_flag = true;
            if (c == 'U')
                ungreedy = sign > 0;
        } else if (c == '-' && sign > 0) {
            sign = -1;
            saw_flag = false;
        } else if ((c == ':' || c == ')') && (sign > 0 || saw_flag)) {
            size_t at = t->out->len;
            if (c == ')' && t->atom && t->atom_end == NO_POS) {
                /* Go still repeats the item before the flags: remember where it ends */
                t->atom_end = at;
                t->ungreedy_at_end = t->ungreedy;
            }
            gotk_buf_append(t->out, t->p + t->i, j - t->i);
            if (c == ':')
                tr_push(t, at);
            t->ungreedy = ungreedy;
            t->i = j;
            return NULL;
        } else {
            break;
        }
    }
    return tr_error(E_PERL, t->p + t->i, j - t->i);
}

/* `(`: a capturing group, a named one, or flags. */
static gotk_err *tr_open(tr *t)
{
    const char *s = t->p + t->i;
    size_t rest = t->n - t->i;
    if (rest >= 2 && s[1] == '?') {
        if (rest > 4 && s[2] == 'P' && s[3] == '<')
            return tr_named_group(t, 4);
        if (rest > 3 && s[2] == '<')
            return tr_named_group(t, 3);
        return tr_flag_group(t);
    }
    size_t at = t->out->len;
    gotk_buf_putc(t->out, '(');
    tr_push(t, at);
    tr_add_name(t, NULL, 0);
    t->i++;
    return NULL;
}

/* `)`: close a group; it becomes the pending item. */
static gotk_err *tr_close(tr *t)
{
    tr_commit(t);
    if (t->depth == 0)
        return tr_error(E_UNEXPECTED_PAREN, t->p, t->n);
    tr_frame f = t->fr[t->depth--];
    gotk_buf_putc(t->out, ')');
    t->atom = true;
    t->atom_assert = false;
    t->atom_out = f.out_start;
    t->atom_weight = f.max_weight;
    t->atom_repeated = false;
    t->atom_end = NO_POS;
    t->ungreedy = f.ungreedy;
    t->i++;
    return NULL;
}

/* Go's parseInt for repeat counts: no leading zeros; too big gives -1. */
static bool parse_count(const tr *t, size_t *j, int *v)
{
    size_t k = *j;
    if (k >= t->n || t->p[k] < '0' || t->p[k] > '9')
        return false;
    if (k + 1 < t->n && t->p[k] == '0' && t->p[k + 1] >= '0' && t->p[k + 1] <= '9')
        return false;
    long n = 0;
    for (; k < t->n && t->p[k] >= '0' && t->p[k] <= '9'; k++)
        if (n >= 0)
            n = n >= 100000000 ? -1 : n * 10 + (t->p[k] - '0');
    *v = (int)n;
    *j = k;
    return true;
}

/* Go's parseRepeat: `{n}`, `{n,}`, `{n,m}` at t->i; false when it is a literal. */
static bool parse_braces(const tr *t, int *min, int *max, size_t *after)
{
    size_t j = t->i + 1;
    if (!parse_count(t, &j, min) || j >= t->n)
        return false;
    if (t->p[j] != ',') {
        *max = *min;
    } else {
        j++;
        if (j >= t->n)
            return false;
        if (t->p[j] == '}') {
            *max = -1;
        } else {
            if (!parse_count(t, &j, max))
                return false;
            if (*max < 0)
                *min = -1;
        }
    }
    if (j >= t->n || t->p[j] != '}')
        return false;
    *after = j + 1;
    return true;
}

/* Apply a repetition spanning [t->i, end) to the pending item, as Go's repeat():
 * a trailing `?` makes it lazy; then nesting, a missing operand and (for counted
 * repeats) the 1000 limit are checked. */
static gotk_err *tr_apply_repeat(tr *t, size_t end, bool counted, int min, int max)
{
    size_t start = t->i;
    bool lazy = end < t->n && t->p[end] == '?';
    if (lazy)
        end++;
    if (t->last_rep != NO_POS)
        return tr_error(E_REPEAT_OP, t->p + t->last_rep, end - t->last_rep);
    if (!t->atom)
        return tr_error(E_REPEAT_ARG, t->p + start, end - start);
    if (counted && max != 0) {
        int m = max < 0 ? min : max;
        if ((min >= 2 || max >= 2) && m > 0 && (long)m * t->atom_weight > MAX_REPEAT)
            return tr_error(E_REPEAT_SIZE, t->p + start, end - start);
        if (m > 0)
            t->atom_weight *= m;
    } else if (counted) {
        t->atom_weight = 1;
    }
    /* The operator goes right after the item, before any flag groups written since;
     * Go takes (?U) from the flags at the operator, PCRE2 from where it is written. */
    size_t at = t->atom_end != NO_POS ? t->atom_end : t->out->len;
    bool pcre_ungreedy = t->atom_end != NO_POS ? t->ungreedy_at_end : t->ungreedy;
    bool emit_lazy = (lazy != t->ungreedy) != pcre_ungreedy;
    char op[32];
    if (!counted)
        snprintf(op, sizeof op, "%c%s", t->p[start], emit_lazy ? "?" : "");
    else if (max == min)
        snprintf(op, sizeof op, "{%d}%s", min, emit_lazy ? "?" : "");
    else if (max < 0)
        snprintf(op, sizeof op, "{%d,}%s", min, emit_lazy ? "?" : "");
    else
        snprintf(op, sizeof op, "{%d,%d}%s", min, max, emit_lazy ? "?" : "");
    if (t->atom_assert || t->atom_repeated) {
        /* PCRE2 cannot repeat a bare assertion or a repetition; a group it can */
        tr_insert(t, at, ")");
        tr_insert(t, t->atom_out, "(?:");
        at += 4;
        if (t->atom_end != NO_POS)
            t->atom_end += 4;
        t->atom_assert = false;
    }
    tr_insert(t, at, op);
    if (t->atom_end != NO_POS)
        t->atom_end += strlen(op);
    t->atom_repeated = true;
    t->i = end;
    return NULL;
}

/* `{`: a counted repetition, or a literal brace when it does not parse as one. */
static gotk_err *tr_braces(tr *t, bool *was_repeat)
{
    int min = 0, max = 0;
    size_t after;
    if (!parse_braces(t, &min, &max, &after)) {
        tr_item(t, false);
        gotk_buf_puts(t->out, "\\x{7b}");
        t->i++;
        return NULL;
    }
    if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max))
        return tr_error(E_REPEAT_SIZE, t->p + t->i, after - t->i);
    *was_repeat = true;
    return tr_apply_repeat(t, after, true, min, max);
}

/* Go's parseEscape: one escaped character at `at` (a backslash), as a code point. */
static gotk_err *tr_escape_char(const tr *t, size_t at, uint32_t *r, size_t *next)
{
    size_t j = at + 1;
    if (j >= t->n)
        return tr_error(E_BACKSLASH, "", 0);
    uint32_t c;
    size_t w;
    gotk_err *e = tr_next_rune(t, j, &c, &w);
    if (e)
        return e;
    j += w;
    switch (c) {
    case '1': case '2': case '3': case '4': case '5': case '6': case '7':
        if (j >= t->n || t->p[j] < '0' || t->p[j] > '7')
            break; /* a backreference: Go has none */
        /* fall through */
    case '0':
        *r = c - '0';
        for (int k = 1; k < 3 && j < t->n && t->p[j] >= '0' && t->p[j] <= '7'; k++)
            *r = *r * 8 + (uint32_t)(t->p[j++] - '0');
        *next = j;
        return NULL;
    case 'x': {
        if (j >= t->n)
            break;
        if ((e = tr_next_rune(t, j, &c, &w)))
            return e;
        j += w;
        if (c == '{') {
            uint32_t v = 0;
            int nhex = 0;
            for (;;) {
                if (j >= t->n)
                    goto bad;
                if ((e = tr_next_rune(t, j, &c, &w)))
                    return e;
                j += w;
                if (c == '}')
                    break;
                if (unhex(c) < 0)
                    goto bad;
                v = v * 16 + (uint32_t)unhex(c);
                if (v > 0x10FFFF)
                    goto bad;
                nhex++;
            }
            if (nhex == 0)
                break;
            *r = v;
            *next = j;
            return NULL;
        }
        int x = unhex(c);
        uint32_t c2 = GOTK_RUNE_ERROR;
        if (j < t->n) {
            if ((e = tr_next_rune(t, j, &c2, &w)))
                return e;
            j += w;
        }
        if (x < 0 || unhex(c2) < 0)
            break;
        *r = (uint32_t)(x * 16 + unhex(c2));
        *next = j;
        return NULL;
    }
    case 'a': *r = '\a'; *next = j; return NULL;
    case 'f': *r = '\f'; *next = j; return NULL;
    case 'n': *r = '\n'; *next = j; return NULL;
    case 'r': *r = '\r'; *next = j; return NULL;
    case 't': *r = '\t'; *next = j; return NULL;
    case 'v': *r = '\v'; *next = j; return NULL;
    default:
        if (c < 0x80 && !is_alnum(c)) {
            *r = c;
            *next = j;
            return NULL;
        }
    }
bad:
    return tr_error(E_ESCAPE, t->p + at, j - at);
}

/* Go's Unicode general categories (unicode.Categories). */
static bool is_category(const char *name, size_t len)
{
    static const char *const cats[] = {
        "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M",
        "Mc", "Me", "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf",
        "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs"};
    for (size_t k = 0; k < sizeof cats / sizeof cats[0]; k++)
        if (strlen(cats[k]) == len && !memcmp(cats[k], name, len))
            return true;
    return false;
}

/* Is `name` a script, spelt as Go spells them ("Greek", "Old_Italic")? PCRE2
 * knows the scripts; the spelling rule keeps out its looser forms. */
static bool is_script(const char *name, size_t len)
{
    if (len == 0 || len > 64 || name[0] < 'A' || name[0] > 'Z')
        return false;
    for (size_t k = 0; k < len; k++) {
        char c = name[k];
        bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (!letter && c != '_')
            return false;
        if (c == '_' && (k + 1 >= len || name[k + 1] < 'A' || name[k + 1] > 'Z'))
            return false;
    }
    char probe[80];
    int plen = snprintf(probe, sizeof probe, "\\p{sc:%.*s}", (int)len, name);
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *code =
        pcre2_compile((PCRE2_SPTR)probe, (size_t)plen, PCRE2_UTF, &ec, &eo, NULL);
    pcre2_code_free(code);
    return code != NULL;
}

/* Go's parseUnicodeClass at `at` (`\p` or `\P`): writes the PCRE2 form. */
static gotk_err *tr_unicode_class(tr *t, size_t at, size_t *next)
{
    const char *s = t->p + at;
    size_t rest = t->n - at;
    bool neg = s[1] == 'P';
    uint32_t c;
    size_t w = gotk_utf8_decode(s + 2, rest - 2, &c);
    if (c == GOTK_RUNE_ERROR && w == 1)
        return tr_error(E_UTF8, s + 2, rest - 2);
    const char *name;
    size_t name_len, seq_len;
    if (c != '{') {
        seq_len = 2 + w;
        name = s + 2;
        name_len = w;
    } else {
        const char *close = memchr(s, '}', rest);
        if (!close) {
            gotk_err *e = tr_check_utf8(s, rest);
            return e ? e : tr_error(E_CHAR_RANGE, s, rest);
        }
        seq_len = (size_t)(close - s) + 1;
        name = s + 3;
        name_len = seq_len - 4;
        gotk_err *e = tr_check_utf8(name, name_len);
        if (e)
            return e;
    }
    if (name_len > 0 && name[0] == '^') {
        neg = !neg;
        name++;
        name_len--;
    }
    const char *prefix;
    if (name_len == 3 && !memcmp(name, "Any", 3))
        prefix = "";
    else if (is_category(name, name_len))
        prefix = "";
    else if (is_script(name, name_len))
        prefix = "sc:";
    else
        return tr_error(E_CHAR_RANGE, s, seq_len);
    gotk_buf_printf(t->out, "\\%c{%s%.*s}", neg ? 'P' : 'p', prefix, (int)name_len, name);
    *next = at + seq_len;
    return NULL;
}

/* Go's Perl classes \d \D \s \S \w \W at `at`; false when it is none. Go's \s is
 * [\t\n\f\r ] (PCRE2's adds \v), so it is spelt out. */
static bool tr_perl_class(tr *t, size_t at, bool in_class)
{
    if (at + 1 >= t->n || t->p[at] != '\\')
        return false;
    char c = t->p[at + 1];
    if (c == 'd' || c == 'D' || c == 'w' || c == 'W') {
        gotk_buf_append(t->out, t->p + at, 2);
    } else if (c == 's') {
        gotk_buf_puts(t->out, in_class ? "\\t\\n\\f\\r\\x{20}" : "[\\t\\n\\f\\r\\x{20}]");
    } else if (c == 'S') {
        gotk_buf_puts(t->out, in_class ? "\\x{0}-\\x{8}\\x{b}\\x{e}-\\x{1f}\\x{21}-\\x{10ffff}"
                                       : "[^\\t\\n\\f\\r\\x{20}]");
    } else {
        return false;
    }
    return true;
}

/* Go's parseNamedClass: `[:alpha:]` at `at` inside a class. *matched is false when
 * the text is not of that form (then `[` is an ordinary character). */
static gotk_err *tr_posix_class(tr *t, size_t at, size_t *next, bool *matched)
{
    static const char *const names[] = {"alnum", "alpha", "ascii", "blank", "cntrl",
                                        "digit", "graph", "lower", "print", "punct",
                                        "space", "upper", "word", "xdigit"};
    *matched = false;
    const char *s = t->p + at;
    size_t rest = t->n - at;
    const char *end = NULL;
    for (size_t k = 2; k + 1 < rest; k++)
        if (s[k] == ':' && s[k + 1] == ']') {
            end = s + k;
            break;
        }
    if (!end)
        return NULL;
    size_t len = (size_t)(end - s) + 2;
    const char *name = s + 2;
    size_t name_len = len - 4;
    if (name_len > 0 && name[0] == '^') {
        name++;
        name_len--;
    }
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strlen(names[k]) == name_len && !memcmp(names[k], name, name_len)) {
            gotk_buf_append(t->out, s, len);
            *next = at + len;
            *matched = true;
            return NULL;
        }
    return tr_error(E_CHAR_RANGE, s, len);
}

/* Go's parseClassChar: one character inside a class, escaped or not. */
static gotk_err *tr_class_char(const tr *t, size_t at, size_t class_at, uint32_t *r,
                               size_t *next)
{
    if (at >= t->n)
        return tr_error(E_BRACKET, t->p + class_at, t->n - class_at);
    if (t->p[at] == '\\')
        return tr_escape_char(t, at, r, next);
    size_t w;
    gotk_err *e = tr_next_rune(t, at, r, &w);
    *next = at + w;
    return e;
}

/* Go's parseClass: `[...]` at t->i. */
static gotk_err *tr_class(tr *t)
{
    size_t class_at = t->i;
    size_t j = t->i + 1;
    tr_item(t, false);
    gotk_buf_putc(t->out, '[');
    if (j < t->n && t->p[j] == '^') {
        gotk_buf_putc(t->out, '^');
        j++;
    }
    bool first = true;
    while (j >= t->n || t->p[j] != ']' || first) {
        first = false;
        gotk_err *e;
        if (t->n - j > 2 && t->p[j] == '[' && t->p[j + 1] == ':') {
            bool matched;
            if ((e = tr_posix_class(t, j, &j, &matched)))
                return e;
            if (matched)
                continue;
        }
        if (j + 1 < t->n && t->p[j] == '\\' && (t->p[j + 1] == 'p' || t->p[j + 1] == 'P')) {
            if ((e = tr_unicode_class(t, j, &j)))
                return e;
            continue;
        }
        if (tr_perl_class(t, j, true)) {
            j += 2;
            continue;
        }
        size_t range_at = j;
        uint32_t lo, hi;
        if ((e = tr_class_char(t, j, class_at, &lo, &j)))
            return e;
        hi = lo;
        if (t->n - j >= 2 && t->p[j] == '-' && t->p[j + 1] != ']') {
            if ((e = tr_class_char(t, j + 1, class_at, &hi, &j)))
                return e;
            if (hi < lo)
                return tr_error(E_CHAR_RANGE, t->p + range_at, j - range_at);
        }
        gotk_buf_printf(t->out, "\\x{%x}", (unsigned)lo);
        if (hi != lo)
            gotk_buf_printf(t->out, "-\\x{%x}", (unsigned)hi);
    }
    gotk_buf_putc(t->out, ']');
    t->i = j + 1;
    return NULL;
}

/* `\Q...\E`: everything up to `\E` (or the end) is literal. */
static gotk_err *tr_quoted(tr *t)
{
    size_t j = t->i + 2;
    size_t end = t->n, resume = t->n;
    for (size_t k = j; k + 1 < t->n; k++)
        if (t->p[k] == '\\' && t->p[k + 1] == 'E') {
            end = k;
            resume = k + 2;
            break;
        }
    while (j < end) {
        uint32_t r;
        size_t w = gotk_utf8_decode(t->p + j, end - j, &r);
        if (r == GOTK_RUNE_ERROR && w == 1)
            return tr_error(E_UTF8, t->p + j, end - j);
        tr_item(t, false);
        emit_rune(t->out, r, t->p + j, w);
        j += w;
    }
    t->i = resume;
    return NULL;
}

/* A backslash outside a class. */
static gotk_err *tr_backslash(tr *t)
{
    size_t at = t->i;
    if (at + 1 >= t->n)
        return tr_error(E_BACKSLASH, "", 0);
    switch (t->p[at + 1]) {
    case 'A': case 'b': case 'B': case 'z':
        tr_item(t, true);
        gotk_buf_append(t->out, t->p + at, 2);
        t->i += 2;
        return NULL;
    case 'C':
        return tr_error(E_ESCAPE, t->p + at, 2);
    case 'Q':
        return tr_quoted(t);
    case 'p': case 'P':
        tr_item(t, false);
        return tr_unicode_class(t, at, &t->i);
    default:
        break;
    }
    tr_item(t, false);
    if (tr_perl_class(t, at, false)) {
        t->i += 2;
        return NULL;
    }
    uint32_t r;
    gotk_err *e = tr_escape_char(t, at, &r, &t->i);
    if (e)
        return e;
    emit_rune(t->out, r, NULL, 0);
    return NULL;
}

/* One token at t->i; sets *was_repeat when it was a repetition operator. */
static gotk_err *tr_token(tr *t, bool *was_repeat)
{
    char c = t->p[t->i];
    switch (c) {
    case '(':
        return tr_open(t);
    case ')':
        return tr_close(t);
    case '|':
        tr_commit(t);
        t->atom = false;
        gotk_buf_putc(t->out, '|');
        t->i++;
        return NULL;
    case '^': case '$': case '.':
        tr_item(t, c != '.');
        gotk_buf_putc(t->out, c);
        t->i++;
        return NULL;
    case '[':
        return tr_class(t);
    case '*': case '+': case '?':
        *was_repeat = true;
        return tr_apply_repeat(t, t->i + 1, false, 0, 0);
    case '{':
        return tr_braces(t, was_repeat);
    case '\\':
        return tr_backslash(t);
    default: {
        uint32_t r;
        size_t w;
        gotk_err *e = tr_next_rune(t, t->i, &r, &w);
        if (e)
            return e;
        tr_item(t, false);
        emit_rune(t->out, r, t->p + t->i, w);
        t->i += w;
        return NULL;
    }
    }
}

/* Walk the whole pattern, token by token, as Go's parser does. */
gotk_err *gotk_regex_translate(const char *pat, size_t len, gotk_regex_tr *out)
{
    tr t = {.p = pat, .n = len, .out = &out->pcre, .res = out, .last_rep = NO_POS};
    t.fr_cap = 16;
    t.fr = gotk_xcalloc((size_t)t.fr_cap, sizeof *t.fr);
    t.fr[0].max_weight = 1;
    out->ncap = -1;
    tr_add_name(&t, NULL, 0); /* group 0, the whole match */
    gotk_err *e = NULL;
    while (!e && t.i < t.n) {
        size_t start = t.i;
        bool was_repeat = false;
        e = tr_token(&t, &was_repeat);
        t.last_rep = was_repeat ? start : NO_POS;
    }
    if (!e && t.depth != 0)
        e = tr_error(E_PAREN, pat, len);
    free(t.fr);
    if (e)
        gotk_regex_tr_free(out);
    return e;
}

/* Free a translation's pattern and names. */
void gotk_regex_tr_free(gotk_regex_tr *t)
{
    if (t->names)
        for (int k = 0; k <= t->ncap; k++)
            free(t->names[k]);
    free(t->names);
    gotk_buf_free(&t->pcre);
    t->names = NULL;
    t->ncap = 0;
}
