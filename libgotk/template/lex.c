/*
 * lex.c: the template lexer, a state machine as in Go's text/template/parse.
 *
 * tpl_lex_next returns one item at a time: text between actions, then inside an
 * action the delimiters, spaces, identifiers, fields (.x), variables ($x),
 * numbers, strings, keywords and punctuation. Trim markers ("{{- ", " -}}") are
 * handled here: the text item next to them simply loses its white space, so the
 * parser never sees them. Comments (slash-star ... star-slash right inside the
 * delimiters) produce no item. Item values
 * point into the input; an error item's value is the message, and the lexer
 * then keeps returning EOF.
 */
#include <stdio.h>
#include <string.h>

#include "tpl_int.h"

enum { S_TEXT, S_LDELIM, S_COMMENT, S_RDELIM, S_INSIDE, S_SPACE, S_DONE };

/* Whether c is one of Go's template space characters. */
static bool is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Whether a non-ASCII rune is a letter or digit for Go (unicode.IsLetter,
 * IsDigit), approximated: printable and outside the symbol and punctuation
 * blocks. */
static bool letter_rune(int32_t r)
{
    static const int32_t sym[][2] = {
        {0x80, 0xBF}, {0xD7, 0xD7}, {0xF7, 0xF7}, {0x2000, 0x206F}, {0x20A0, 0x20CF},
        {0x2190, 0x2BFF}, {0x2E00, 0x2E7F}, {0x3000, 0x303F}, {0xFE30, 0xFE4F},
        {0xFF01, 0xFF0F}, {0x1F000, 0x1FAFF},
    };
    if (!tpl_is_print(r))
        return false;
    for (size_t i = 0; i < sizeof sym / sizeof sym[0]; i++)
        if (r >= sym[i][0] && r <= sym[i][1])
            return false;
    return true;
}

/* Letters, digits and '_' (ASCII bytes only; see alnum_at for the rest). */
static bool is_alnum(int c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* Start lexing input with the given delimiters (NULL: {{ }}). */
void tpl_lex_init(tpl_lexer *l, const char *input, size_t len, const char *ld,
                  const char *rd)
{
    memset(l, 0, sizeof *l);
    l->input = input;
    l->len = len;
    l->ldelim = ld && *ld ? ld : "{{";
    l->rdelim = rd && *rd ? rd : "}}";
    l->line = l->start_line = 1;
    l->state = S_TEXT;
    l->break_ok = l->continue_ok = true;
}

/* The byte at the current position, or -1 at the end. */
static int peekc(const tpl_lexer *l)
{
    return l->pos < l->len ? (unsigned char)l->input[l->pos] : -1;
}

/* Consume one byte, counting lines. */
static int nextc(tpl_lexer *l)
{
    int c = peekc(l);
    if (c < 0)
        return c;
    l->pos++;
    if (c == '\n')
        l->line++;
    return c;
}

/* Whether a letter, digit or '_' starts at the position; *w its length. */
static bool alnum_at(const tpl_lexer *l, size_t *w)
{
    *w = 1;
    if (l->pos >= l->len)
        return false;
    unsigned char c = (unsigned char)l->input[l->pos];
    if (c < 0x80)
        return is_alnum(c);
    int32_t r;
    *w = (size_t)tpl_utf8_decode(l->input + l->pos, l->len - l->pos, &r);
    return !(r == 0xFFFD && *w == 1) && letter_rune(r);
}

/* Step back over the byte just consumed. */
static void backup(tpl_lexer *l)
{
    l->pos--;
    if (l->input[l->pos] == '\n')
        l->line--;
}

/* Whether the input at `at` starts with p. */
static bool has_prefix(const tpl_lexer *l, size_t at, const char *p)
{
    size_t n = strlen(p);
    return at + n <= l->len && memcmp(l->input + at, p, n) == 0;
}

/* "- " after a left delimiter (any space character after the minus). */
static bool left_trim_at(const tpl_lexer *l, size_t at)
{
    return at + 2 <= l->len && l->input[at] == '-' && is_space((unsigned char)l->input[at + 1]);
}

/* " -" before a right delimiter. */
static bool right_trim_at(const tpl_lexer *l, size_t at)
{
    return at + 2 <= l->len && is_space((unsigned char)l->input[at]) && l->input[at + 1] == '-';
}

/* Make an item of the pending input and start the next one. */
static tpl_item emit(tpl_lexer *l, tpl_itype t)
{
    tpl_item it = {t, l->start, l->input + l->start, l->pos - l->start, l->start_line};
    l->start = l->pos;
    l->start_line = l->line;
    return it;
}

/* Skip the pending input, counting its newlines. */
static void ignore(tpl_lexer *l)
{
    for (size_t i = l->start; i < l->pos; i++)
        if (l->input[i] == '\n')
            l->line++;
    l->start = l->pos;
    l->start_line = l->line;
}

/* An error item; lexing stops. */
static tpl_item errorf(tpl_lexer *l, const char *fmt, ...) GOTK_PRINTF(2, 3);
static tpl_item errorf(tpl_lexer *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->errbuf, sizeof l->errbuf, fmt, ap);
    va_end(ap);
    l->state = S_DONE;
    tpl_item it = {IT_ERROR, l->start, l->errbuf, strlen(l->errbuf), l->start_line};
    return it;
}

/* Go's %#U of the rune at p: U+0021 '!'. */
static void fmt_rune(const tpl_lexer *l, size_t p, char *out, size_t n)
{
    int32_t r = 0;
    int w = p < l->len ? tpl_utf8_decode(l->input + p, l->len - p, &r) : 0;
    if (p >= l->len)
        snprintf(out, n, "U+FFFFFFFFFFFFFFFF");
    else if (r >= 0x20 && r != 0x7f)
        snprintf(out, n, "U+%04X '%.*s'", (unsigned)r, w, l->input + p);
    else
        snprintf(out, n, "U+%04X", (unsigned)r);
}

/* Scan text up to the next left delimiter. */
static bool lex_text(tpl_lexer *l, tpl_item *it)
{
    const char *hit = memmem(l->input + l->pos, l->len - l->pos, l->ldelim, strlen(l->ldelim));
    if (hit) {
        l->pos = (size_t)(hit - l->input);
        size_t trim = 0;
        if (left_trim_at(l, l->pos + strlen(l->ldelim)))
            while (trim < l->pos - l->start && is_space((unsigned char)l->input[l->pos - trim - 1]))
                trim++;
        l->pos -= trim;
        bool got = false;
        if (l->pos > l->start) {
            for (size_t i = l->start; i < l->pos; i++)
                if (l->input[i] == '\n')
                    l->line++;
            *it = emit(l, IT_TEXT);
            got = true;
        }
        l->pos += trim;
        ignore(l);
        l->state = S_LDELIM;
        return got;
    }
    l->pos = l->len;
    if (l->pos > l->start) {
        for (size_t i = l->start; i < l->pos; i++)
            if (l->input[i] == '\n')
                l->line++;
        *it = emit(l, IT_TEXT);
        return true;
    }
    *it = emit(l, IT_EOF);
    l->state = S_DONE;
    return true;
}

/* Scan the left delimiter, possibly with a trim marker, or a comment. */
static bool lex_ldelim(tpl_lexer *l, tpl_item *it)
{
    l->pos += strlen(l->ldelim);
    size_t after = left_trim_at(l, l->pos) ? 2 : 0;
    if (has_prefix(l, l->pos + after, "/*")) {
        l->pos += after;
        ignore(l);
        l->state = S_COMMENT;
        return false;
    }
    *it = emit(l, IT_LDELIM);
    l->pos += after;
    ignore(l);
    l->paren_depth = 0;
    l->state = S_INSIDE;
    return true;
}

/* At a right delimiter? *trim says it carries a trim marker. */
static bool at_rdelim(const tpl_lexer *l, bool *trim)
{
    if (right_trim_at(l, l->pos) && has_prefix(l, l->pos + 2, l->rdelim)) {
        *trim = true;
        return true;
    }
    *trim = false;
    return has_prefix(l, l->pos, l->rdelim);
}

/* Skip a comment, which must end right before the right delimiter. */
static bool lex_comment(tpl_lexer *l, tpl_item *it)
{
    l->pos += 2;
    const char *end = memmem(l->input + l->pos, l->len - l->pos, "*/", 2);
    if (!end) {
        *it = errorf(l, "unclosed comment");
        return true;
    }
    l->pos = (size_t)(end - l->input) + 2;
    bool trim;
    if (!at_rdelim(l, &trim)) {
        *it = errorf(l, "comment ends before closing delimiter");
        return true;
    }
    l->pos += (trim ? 2 : 0) + strlen(l->rdelim);
    if (trim)
        while (l->pos < l->len && is_space((unsigned char)l->input[l->pos]))
            l->pos++;
    ignore(l);
    l->state = S_TEXT;
    return false;
}

/* Scan the right delimiter, trimming the following space if marked. */
static bool lex_rdelim(tpl_lexer *l, tpl_item *it)
{
    bool trim = right_trim_at(l, l->pos);
    if (trim) {
        l->pos += 2;
        ignore(l);
    }
    l->pos += strlen(l->rdelim);
    *it = emit(l, IT_RDELIM);
    if (trim) {
        while (l->pos < l->len && is_space((unsigned char)l->input[l->pos]))
            l->pos++;
        ignore(l);
    }
    l->state = S_TEXT;
    return true;
}

/* Scan a run of spaces, minding a " -}}" that follows. */
static bool lex_space(tpl_lexer *l, tpl_item *it)
{
    int n = 0;
    while (is_space(peekc(l))) {
        nextc(l);
        n++;
    }
    if (right_trim_at(l, l->pos - 1) && has_prefix(l, l->pos + 1, l->rdelim)) {
        backup(l);
        if (n == 1) {
            l->state = S_RDELIM;
            return false;
        }
    }
    *it = emit(l, IT_SPACE);
    l->state = S_INSIDE;
    return true;
}

/* Whether the next byte may follow an identifier, field or variable. */
static bool at_terminator(const tpl_lexer *l)
{
    int c = peekc(l);
    if (c < 0 || is_space(c) || strchr(".,|:)(", c))
        return true;
    return has_prefix(l, l->pos, l->rdelim);
}

/* Keyword for a word, or IT_IDENT. */
static tpl_itype keyword(const char *w, size_t n)
{
    static const struct {
        const char *w;
        tpl_itype t;
    } kw[] = {{".", IT_DOT},       {"block", IT_BLOCK}, {"break", IT_BREAK},
              {"continue", IT_CONTINUE}, {"define", IT_DEFINE}, {"else", IT_ELSE},
              {"end", IT_END},     {"if", IT_IF},       {"range", IT_RANGE},
              {"nil", IT_NIL},     {"template", IT_TEMPLATE}, {"with", IT_WITH}};
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (strlen(kw[i].w) == n && memcmp(kw[i].w, w, n) == 0)
            return kw[i].t;
    return IT_IDENT;
}

/* An identifier or keyword. */
static tpl_item lex_identifier(tpl_lexer *l)
{
    size_t width;
    while (alnum_at(l, &width))
        l->pos += width;
    if (!at_terminator(l)) {
        char r[32];
        fmt_rune(l, l->pos, r, sizeof r);
        return errorf(l, "bad character %s", r);
    }
    const char *w = l->input + l->start;
    size_t n = l->pos - l->start;
    tpl_itype t = keyword(w, n);
    if ((t == IT_BREAK && !l->break_ok) || (t == IT_CONTINUE && !l->continue_ok))
        t = IT_IDENT;
    if (t == IT_IDENT && ((n == 4 && !memcmp(w, "true", 4)) || (n == 5 && !memcmp(w, "false", 5))))
        t = IT_BOOL;
    l->state = S_INSIDE;
    return emit(l, t);
}

/* A field (.x) or variable ($x); the '.' or '$' is consumed. */
static tpl_item lex_field_or_var(tpl_lexer *l, tpl_itype typ)
{
    if (at_terminator(l))
        return emit(l, typ == IT_VARIABLE ? IT_VARIABLE : IT_DOT);
    size_t w;
    while (alnum_at(l, &w))
        l->pos += w;
    if (!at_terminator(l)) {
        char r[32];
        fmt_rune(l, l->pos, r, sizeof r);
        return errorf(l, "bad character %s", r);
    }
    return emit(l, typ);
}

/* Accept one byte from `valid`. */
static bool accept(tpl_lexer *l, const char *valid)
{
    int c = peekc(l);
    if (c > 0 && strchr(valid, c)) {
        nextc(l);
        return true;
    }
    return false;
}

/* Accept a run of bytes from `valid`. */
static void accept_run(tpl_lexer *l, const char *valid)
{
    while (accept(l, valid)) {
    }
}

/* Scan something number-like; the parser validates it. */
static bool scan_number(tpl_lexer *l)
{
    accept(l, "+-");
    const char *digits = "0123456789_";
    if (accept(l, "0")) {
        if (accept(l, "xX"))
            digits = "0123456789abcdefABCDEF_";
        else if (accept(l, "oO"))
            digits = "01234567_";
        else if (accept(l, "bB"))
            digits = "01_";
    }
    accept_run(l, digits);
    if (accept(l, "."))
        accept_run(l, digits);
    if (strlen(digits) == 11 && accept(l, "eE")) {
        accept(l, "+-");
        accept_run(l, "0123456789_");
    }
    if (strlen(digits) == 23 && accept(l, "pP")) {
        accept(l, "+-");
        accept_run(l, "0123456789_");
    }
    accept(l, "i");
    size_t w;
    if (alnum_at(l, &w)) {
        l->pos += w;
        return false;
    }
    return true;
}

/* A number, or a complex number as Go's lexer allows. */
static tpl_item lex_number(tpl_lexer *l)
{
    if (!scan_number(l))
        return errorf(l, "bad number syntax: \"%.*s\"", (int)(l->pos - l->start),
                      l->input + l->start);
    int c = peekc(l);
    if (c == '+' || c == '-') {
        if (!scan_number(l) || l->input[l->pos - 1] != 'i')
            return errorf(l, "bad number syntax: \"%.*s\"", (int)(l->pos - l->start),
                          l->input + l->start);
        return emit(l, IT_COMPLEX);
    }
    return emit(l, IT_NUMBER);
}

/* A quoted string or character constant; the opening quote is consumed. */
static tpl_item lex_quote(tpl_lexer *l, int q, tpl_itype t, const char *what)
{
    for (;;) {
        int c = nextc(l);
        if (c == '\\') {
            c = nextc(l);
            if (c >= 0 && c != '\n')
                continue;
        }
        if (c < 0 || c == '\n')
            return errorf(l, "unterminated %s", what);
        if (c == q)
            return emit(l, t);
    }
}

/* A raw `...` string; the opening quote is consumed. */
static tpl_item lex_raw(tpl_lexer *l)
{
    for (;;) {
        int c = nextc(l);
        if (c < 0)
            return errorf(l, "unterminated raw quoted string");
        if (c == '`')
            return emit(l, IT_RAWSTRING);
    }
}

/* Punctuation and other single characters inside an action. */
static bool lex_punct(tpl_lexer *l, int c, tpl_item *it)
{
    switch (c) {
    case '=':
        *it = emit(l, IT_ASSIGN);
        return true;
    case ':':
        if (nextc(l) != '=') {
            *it = errorf(l, "expected :=");
            return true;
        }
        *it = emit(l, IT_DECLARE);
        return true;
    case '|':
        *it = emit(l, IT_PIPE);
        return true;
    case '(':
        *it = emit(l, IT_LPAREN);
        l->paren_depth++;
        return true;
    case ')':
        *it = emit(l, IT_RPAREN);
        if (--l->paren_depth < 0)
            *it = errorf(l, "unexpected right paren");
        return true;
    }
    if (c < 0x80 && c >= 0x20 && c != 0x7f) {
        *it = emit(l, IT_CHAR);
        return true;
    }
    char r[32];
    fmt_rune(l, l->start, r, sizeof r);
    *it = errorf(l, "unrecognized character in action: %s", r);
    return true;
}

/* Scan one element inside an action. */
static bool lex_inside(tpl_lexer *l, tpl_item *it)
{
    bool trim;
    if (at_rdelim(l, &trim)) {
        if (l->paren_depth == 0) {
            l->state = S_RDELIM;
            return false;
        }
        *it = errorf(l, "unclosed left paren");
        return true;
    }
    int c = nextc(l);
    if (c < 0) {
        *it = errorf(l, "unclosed action");
        return true;
    }
    if (is_space(c)) {
        backup(l);
        l->state = S_SPACE;
        return false;
    }
    switch (c) {
    case '"':
        *it = lex_quote(l, '"', IT_STRING, "quoted string");
        return true;
    case '`':
        *it = lex_raw(l);
        return true;
    case '$':
        *it = lex_field_or_var(l, IT_VARIABLE);
        return true;
    case '\'':
        *it = lex_quote(l, '\'', IT_CHARCONST, "character constant");
        return true;
    case '.':
        if (l->pos < l->len && (l->input[l->pos] < '0' || l->input[l->pos] > '9')) {
            *it = lex_field_or_var(l, IT_FIELD);
            return true;
        }
        /* '.' can start a number */
        /* fall through */
    case '+': case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        backup(l);
        *it = lex_number(l);
        return true;
    }
    backup(l);
    size_t w;
    if (alnum_at(l, &w)) {
        *it = lex_identifier(l);
        return true;
    }
    nextc(l);
    return lex_punct(l, c, it);
}

/* The next item: runs the state machine until one is made. */
tpl_item tpl_lex_next(tpl_lexer *l)
{
    tpl_item it;
    for (;;) {
        bool got = false;
        switch (l->state) {
        case S_TEXT: got = lex_text(l, &it); break;
        case S_LDELIM: got = lex_ldelim(l, &it); break;
        case S_COMMENT: got = lex_comment(l, &it); break;
        case S_RDELIM: got = lex_rdelim(l, &it); break;
        case S_INSIDE: got = lex_inside(l, &it); break;
        case S_SPACE: got = lex_space(l, &it); break;
        default: {
            tpl_item eof = {IT_EOF, l->pos, l->input + l->pos, 0, l->line};
            return eof;
        }
        }
        if (got)
            return it;
    }
}
