/*
 * Private to the regex module: the Go-to-PCRE2 translation and the helpers the
 * module's files share. Nothing here is part of the public API.
 */
#ifndef GOTK_REGEX_INT_H
#define GOTK_REGEX_INT_H

#include <stddef.h>
#include <stdint.h>

#include "gotk/core.h"

/* The result of translating a Go pattern. */
typedef struct {
    gotk_buf pcre; /* the equivalent PCRE2 pattern */
    char **names;  /* names[0 .. ncap], "" for unnamed groups; each owned */
    int ncap;      /* number of capturing groups */
} gotk_regex_tr;

/* Check `pat` against Go's syntax and write its PCRE2 equivalent into `out`
 * (zeroed by the caller). On error, `out` is left empty. */
gotk_err *gotk_regex_translate(const char *pat, size_t len, gotk_regex_tr *out);
void gotk_regex_tr_free(gotk_regex_tr *t);

/* Width of the letter, decimal digit or `_` at the start of s[0, n) (Go's
 * unicode.IsLetter / IsDigit), or 0 when it is none of those. */
size_t gotk_regex_word_rune(const char *s, size_t n);

#endif
