/*
 * Templates and replacement, as Go's regexp package does them, and the ImagePolicy
 * tag filter built on them.
 *
 * Expand walks the template once: `$$` is a dollar; `$name` / `${name}` take the
 * longest run of letters, digits and `_` as the name; an all-digit name without a
 * leading zero (below 10^8) is a group number, anything else is looked up by name
 * (the leftmost group of that name that took part); a `$` that starts no valid
 * reference (`$`, `$-`, `${x`) is copied literally and scanning resumes after it.
 *
 * ReplaceAll searches from the end of each match, advancing at least one character,
 * and skips an empty match that touches the previous match, exactly like Go's
 * replaceAll loop.
 */
#include <stdlib.h>
#include <string.h>

#include "gotk/regex.h"
#include "regex_int.h"

/* A reference after `$`: its name, and where the template continues. */
typedef struct {
    const char *name;
    size_t name_len;
    long num; /* group number, or -1 for a name */
    const char *rest;
} expand_ref;

/* Go's extract(): parse `name` or `{name}` at `s`; false when malformed. */
static bool expand_extract(const char *s, expand_ref *ref)
{
    size_t n = strlen(s);
    bool brace = n > 0 && s[0] == '{';
    size_t i = brace ? 1 : 0;
    size_t start = i;
    for (size_t w; i < n && (w = gotk_regex_word_rune(s + i, n - i)) > 0;)
        i += w;
    if (i == start)
        return false;
    ref->name = s + start;
    ref->name_len = i - start;
    if (brace) {
        if (i >= n || s[i] != '}')
            return false;
        i++;
    }
    long num = 0;
    for (size_t k = 0; k < ref->name_len; k++) {
        char c = ref->name[k];
        if (c < '0' || c > '9' || num >= 100000000) {
            num = -1;
            break;
        }
        num = num * 10 + (c - '0');
    }
    if (ref->name[0] == '0' && ref->name_len > 1)
        num = -1;
    ref->num = num;
    ref->rest = s + i;
    return true;
}

/* Append group k's text, if it took part. */
static void expand_group(gotk_buf *out, const char *s, const gotk_regex_span *spans, int k)
{
    if (spans[k].start >= 0)
        gotk_buf_append(out, s + spans[k].start, (size_t)(spans[k].end - spans[k].start));
}

/* The group a reference names, or -1. */
static int expand_lookup(const gotk_regex *re, const gotk_regex_span *spans,
                         const expand_ref *ref)
{
    int n = gotk_regex_num_groups(re);
    if (ref->num >= 0)
        return ref->num <= n ? (int)ref->num : -1;
    for (int k = 1; k <= n; k++) {
        const char *name = gotk_regex_group_name(re, k);
        if (strlen(name) == ref->name_len && !memcmp(name, ref->name, ref->name_len) &&
            spans[k].start >= 0)
            return k;
    }
    return -1;
}

/* Go's Regexp.ExpandString, appending to out. */
void gotk_regex_expand(const gotk_regex *re, gotk_buf *out, const char *tmpl, const char *s,
                       const gotk_regex_span *spans)
{
    const char *t = tmpl;
    const char *dollar;
    while ((dollar = strchr(t, '$')) != NULL) {
        gotk_buf_append(out, t, (size_t)(dollar - t));
        t = dollar + 1;
        if (*t == '$') {
            gotk_buf_putc(out, '$');
            t++;
            continue;
        }
        expand_ref ref;
        if (!expand_extract(t, &ref)) {
            gotk_buf_putc(out, '$');
            continue;
        }
        t = ref.rest;
        int k = expand_lookup(re, spans, &ref);
        if (k >= 0)
            expand_group(out, s, spans, k);
    }
    gotk_buf_puts(out, t);
}

/* Go's ReplaceAllString. */
char *gotk_regex_replace_all(const gotk_regex *re, const char *s, const char *repl)
{
    size_t len = strlen(s);
    gotk_regex_span *spans =
        gotk_xcalloc((size_t)gotk_regex_num_groups(re) + 1, sizeof *spans);
    gotk_buf out = {0};
    size_t last_end = 0, search = 0;
    while (search <= len && gotk_regex_find(re, s, len, search, spans)) {
        size_t a0 = (size_t)spans[0].start, a1 = (size_t)spans[0].end;
        gotk_buf_append(&out, s + last_end, a0 - last_end);
        if (a1 > last_end || a0 == 0)
            gotk_regex_expand(re, &out, repl, s, spans);
        last_end = a1;
        uint32_t r;
        size_t width = gotk_utf8_decode(s + search, len - search, &r);
        if (search + width > a1)
            search += width;
        else if (search + 1 > a1)
            search++;
        else
            search = a1;
    }
    gotk_buf_append(&out, s + last_end, len - last_end);
    free(spans);
    char *res = gotk_buf_steal(&out);
    return res ? res : gotk_xstrdup("");
}

/* Compile filterTags.pattern with Flux's error context. */
gotk_err *gotk_regex_tag_filter_compile(const char *pattern, gotk_regex **out)
{
    gotk_err *e = gotk_regex_compile(pattern, out);
    return gotk_err_wrap(e, "invalid regular expression pattern '%s'", pattern);
}

/* image-reflector-controller's RegexFilter.Apply for one tag. */
bool gotk_regex_tag_filter(const gotk_regex *re, const char *extract, const char *tag,
                           char **out)
{
    *out = NULL;
    gotk_regex_span *spans =
        gotk_xcalloc((size_t)gotk_regex_num_groups(re) + 1, sizeof *spans);
    bool matched = gotk_regex_find(re, tag, strlen(tag), 0, spans);
    if (matched) {
        if (!extract || !*extract) {
            *out = gotk_xstrdup(tag);
        } else {
            gotk_buf b = {0};
            gotk_regex_expand(re, &b, extract, tag, spans);
            char *res = gotk_buf_steal(&b);
            *out = res ? res : gotk_xstrdup("");
        }
    }
    free(spans);
    return matched;
}
