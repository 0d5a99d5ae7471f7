/*
 * regex: regular expressions written in Go's syntax (RE2), matched by PCRE2.
 *
 * Flux users write Go regexps: ImagePolicy `filterTags.pattern` with `extract`,
 * `(?P<name>...)` groups, `(?i)`, `\pL`. Go's regexp package defines what those mean,
 * so this module accepts exactly Go's syntax and rejects what Go rejects, with Go's
 * error text ("error parsing regexp: invalid escape sequence: `\1`"). That matters
 * most where PCRE would silently accept a pattern and give it another meaning:
 * backreferences, lookarounds, possessive quantifiers, atomic groups, `\Z`, `(*VERB)`.
 *
 * How it works: a small scanner walks the Go pattern once, checks each piece against
 * Go's rules, and writes an equivalent PCRE2 pattern (group names are kept here, not
 * passed on; `\s` becomes Go's five spaces; `$` only matches at the very end, as in
 * Go). PCRE2 then compiles and matches it, in UTF mode, without UCP: `\d`, `\w`, `\b`
 * and the POSIX classes are ASCII-only, as in Go.
 *
 * Matching is leftmost-first, as Go's regexp.Compile (not CompilePOSIX). Known
 * differences from Go: a subject with invalid UTF-8 cannot match `.` at the bad
 * bytes; `(?i)` does not fold `\p{Lu}`; a pattern whose backtracking exceeds PCRE2's
 * match limit reports no match. Offsets are byte offsets.
 *
 * Expansion follows Go's Regexp.Expand: `$name`, `${name}`, `$1`, `${1}`, `$$`; a name
 * is the longest run of letters, digits and `_` (so `$1x` is the group named "1x");
 * unknown names and groups that did not take part expand to nothing; a `$` that starts
 * no valid reference is copied as it is.
 */
#ifndef GOTK_REGEX_H
#define GOTK_REGEX_H

#include <stdbool.h>
#include <stddef.h>

#include "gotk/core.h"

typedef struct gotk_regex gotk_regex;

/* Where a group matched: byte offsets [start, end), both -1 when it took no part. */
typedef struct {
    ptrdiff_t start;
    ptrdiff_t end;
} gotk_regex_span;

/* Compile a Go-syntax pattern. A bad pattern's error is Go's own text, e.g.
 * "error parsing regexp: missing closing ): `(a`"; callers add the context their
 * Flux counterpart adds (see gotk_regex_tag_filter_compile). */
gotk_err *gotk_regex_compile(const char *pattern, gotk_regex **out);
void gotk_regex_free(gotk_regex *re);

/* The pattern as given to gotk_regex_compile. */
const char *gotk_regex_pattern(const gotk_regex *re);
/* Number of capturing groups (Go's NumSubexp). */
int gotk_regex_num_groups(const gotk_regex *re);
/* Name of group i (0 = whole match, always ""); "" for unnamed groups and out of
 * range (Go's SubexpNames). */
const char *gotk_regex_group_name(const gotk_regex *re, int i);
/* Index of the leftmost group with this name, -1 if none (Go's SubexpIndex). */
int gotk_regex_group_index(const gotk_regex *re, const char *name);

/* Does the pattern match anywhere in the NUL-terminated string? (MatchString) */
bool gotk_regex_match(const gotk_regex *re, const char *s);
/* Leftmost match in s[0, len) starting the search at byte `from` (earlier bytes still
 * count for `\b` and `^`). On a match fills spans[0 .. num_groups] and returns true. */
bool gotk_regex_find(const gotk_regex *re, const char *s, size_t len, size_t from,
                     gotk_regex_span *spans);

/* Append `tmpl` to `out` with $-references replaced by the groups of a match of
 * `re` in `s` (spans from gotk_regex_find), as Go's Regexp.ExpandString. */
void gotk_regex_expand(const gotk_regex *re, gotk_buf *out, const char *tmpl, const char *s,
                       const gotk_regex_span *spans);
/* Go's ReplaceAllString: every match replaced by the expansion of `repl`; an empty
 * match right after a previous match is not replaced. Caller frees. */
char *gotk_regex_replace_all(const gotk_regex *re, const char *s, const char *repl);

/* ---- ImagePolicy filterTags, as image-reflector-controller ------------- */

/* Compile `filterTags.pattern`; the error reads as Flux's:
 * "invalid regular expression pattern '<pattern>': error parsing regexp: ...". */
gotk_err *gotk_regex_tag_filter_compile(const char *pattern, gotk_regex **out);
/* Apply the filter to one tag. No match: false, the tag is dropped. A match: true,
 * and `*out` (caller frees) is the tag itself when `extract` is NULL or "", else
 * `extract` expanded against the leftmost match (which may be ""). When several tags
 * give the same value, Flux keeps the last one in the list. */
bool gotk_regex_tag_filter(const gotk_regex *re, const char *extract, const char *tag,
                           char **out);

#endif
