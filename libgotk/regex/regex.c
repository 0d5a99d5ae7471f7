/*
 * Compiled regular expressions: a Go pattern translated (translate.c) and compiled
 * by PCRE2, plus the group-name table the translation kept.
 *
 * PCRE2 options give Go's meanings: UTF mode (patterns and subjects are UTF-8;
 * invalid subject bytes simply never match), `$` only at the very end of the text
 * (DOLLAR_ENDONLY), `(?m)^` also after a final newline (ALT_CIRCUMFLEX), only \n
 * is a newline, and no UCP, so \d \w \b are ASCII as in Go. A compiled regex is
 * read-only after compilation and may be shared between threads; each match
 * allocates its own match data.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "gotk/regex.h"
#include "regex_int.h"

struct gotk_regex {
    char *pattern;
    pcre2_code *code;
    char **names; /* names[0 .. ncap] */
    int ncap;
};

/* PCRE2 compile options that give Go's semantics. */
#define GOTK_PCRE2_OPTIONS                                                            \
    (PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_ALT_CIRCUMFLEX | \
     PCRE2_NEVER_BACKSLASH_C)

/* Go allows 1000 levels of nesting; PCRE2's default is 250. */
#define GOTK_PCRE2_NEST_LIMIT 1000

/* Hand a PCRE2 compile failure back in Go's error shape. */
static gotk_err *compile_error(int code, const char *pattern)
{
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(code, msg, sizeof msg);
    return gotk_err_new(GOTK_E_INVALID, "error parsing regexp: %s: `%s`", (const char *)msg,
                        pattern);
}

/* Translate, then compile with PCRE2. */
gotk_err *gotk_regex_compile(const char *pattern, gotk_regex **out)
{
    *out = NULL;
    gotk_regex_tr tr = {0};
    gotk_err *e = gotk_regex_translate(pattern, strlen(pattern), &tr);
    if (e)
        return e;
    pcre2_compile_context *cctx = pcre2_compile_context_create(NULL);
    if (!cctx) {
        gotk_regex_tr_free(&tr);
        return gotk_err_new(GOTK_E_NOMEM, "regexp: out of memory");
    }
    pcre2_set_newline(cctx, PCRE2_NEWLINE_LF);
    pcre2_set_parens_nest_limit(cctx, GOTK_PCRE2_NEST_LIMIT);
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)(tr.pcre.data ? tr.pcre.data : ""),
                                     tr.pcre.len, GOTK_PCRE2_OPTIONS, &ec, &eo, cctx);
    pcre2_compile_context_free(cctx);
    if (!code) {
        gotk_regex_tr_free(&tr);
        return compile_error(ec, pattern);
    }
    gotk_regex *re = gotk_xcalloc(1, sizeof *re);
    re->pattern = gotk_xstrdup(pattern);
    re->code = code;
    re->names = tr.names;
    re->ncap = tr.ncap;
    tr.names = NULL;
    gotk_regex_tr_free(&tr);
    *out = re;
    return NULL;
}

/* Free a compiled regex; NULL is fine. */
void gotk_regex_free(gotk_regex *re)
{
    if (!re)
        return;
    for (int k = 0; k <= re->ncap; k++)
        free(re->names[k]);
    free(re->names);
    pcre2_code_free(re->code);
    free(re->pattern);
    free(re);
}

/* The Go pattern it was compiled from. */
const char *gotk_regex_pattern(const gotk_regex *re)
{
    return re->pattern;
}

/* Go's NumSubexp. */
int gotk_regex_num_groups(const gotk_regex *re)
{
    return re->ncap;
}

/* Go's SubexpNames[i]. */
const char *gotk_regex_group_name(const gotk_regex *re, int i)
{
    return i >= 0 && i <= re->ncap ? re->names[i] : "";
}

/* Go's SubexpIndex: the leftmost group of that name. */
int gotk_regex_group_index(const gotk_regex *re, const char *name)
{
    if (!name || !*name)
        return -1;
    for (int k = 1; k <= re->ncap; k++)
        if (!strcmp(re->names[k], name))
            return k;
    return -1;
}

/* Leftmost-first match from `from`, groups as byte spans. */
bool gotk_regex_find(const gotk_regex *re, const char *s, size_t len, size_t from,
                     gotk_regex_span *spans)
{
    if (from > len)
        return false;
    pcre2_match_data *md = pcre2_match_data_create((uint32_t)re->ncap + 1, NULL);
    if (!md)
        return false;
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, from, 0, md, NULL);
    if (rc >= 0 && spans) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        for (int k = 0; k <= re->ncap; k++) {
            bool unset = k >= rc || ov[2 * k] == PCRE2_UNSET;
            spans[k].start = unset ? -1 : (ptrdiff_t)ov[2 * k];
            spans[k].end = unset ? -1 : (ptrdiff_t)ov[2 * k + 1];
        }
    }
    pcre2_match_data_free(md);
    return rc >= 0;
}

/* Go's MatchString. */
bool gotk_regex_match(const gotk_regex *re, const char *s)
{
    return gotk_regex_find(re, s, strlen(s), 0, NULL);
}

/* ---- Unicode letters and digits, for $names ----------------------------- */

static pcre2_code *word_code;
static pthread_once_t word_once = PTHREAD_ONCE_INIT;

/* Compile the one-character class Go's template names are made of. */
static void word_init(void)
{
    static const char pat[] = "[\\p{L}\\p{Nd}_]";
    int ec;
    PCRE2_SIZE eo;
    word_code = pcre2_compile((PCRE2_SPTR)pat, sizeof pat - 1,
                              PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_ANCHORED, &ec, &eo,
                              NULL);
}

/* Width of a leading letter, digit or `_`; PCRE2 knows Unicode. */
size_t gotk_regex_word_rune(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80) {
        bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                  (c >= 'a' && c <= 'z') || c == '_';
        return ok ? 1 : 0;
    }
    pthread_once(&word_once, word_init);
    if (!word_code)
        return 0;
    uint32_t r;
    size_t w = gotk_utf8_decode(s, n, &r);
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    if (!md)
        return 0;
    int rc = pcre2_match(word_code, (PCRE2_SPTR)s, w, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    return rc >= 0 ? w : 0;
}
