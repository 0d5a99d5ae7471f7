/*
 * manifest.c: pkg/releaseutil: rendered files split into documents
 * (SplitManifests' "(?:^|\s*\n)---\s*" separator), each document's head read,
 * hooks set apart from the rest, and both sorted by kind in InstallOrder.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "helm_int.h"

/* Go's \s: [\t\n\f\r ] */
static bool go_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/* strings.TrimSpace (ASCII whitespace plus \v). */
static void trim(const char **s, size_t *n)
{
    while (*n && (go_space(**s) || **s == '\v'))
        (*s)++, (*n)--;
    while (*n && (go_space((*s)[*n - 1]) || (*s)[*n - 1] == '\v'))
        (*n)--;
}

/* The next separator at or after `pos`: [*start, *end). */
static bool next_sep(const char *s, size_t n, size_t pos, size_t *start, size_t *end)
{
    size_t j;
    if (pos == 0 && n >= 3 && !memcmp(s, "---", 3)) {
        *start = 0;
        j = 3;
    } else {
        const char *hit = NULL;
        for (size_t i = pos; i + 4 <= n && !hit; i++)
            if (s[i] == '\n' && !memcmp(s + i + 1, "---", 3))
                hit = s + i;
        if (!hit)
            return false;
        size_t i = (size_t)(hit - s);
        while (i > pos && go_space(s[i - 1]))
            i--;
        *start = i;
        j = (size_t)(hit - s) + 4;
    }
    while (j < n && go_space(s[j]))
        j++;
    *end = j;
    return true;
}

void helm_split_manifests(const char *s, size_t len, helm_docs *out)
{
    memset(out, 0, sizeof *out);
    trim(&s, &len);
    size_t pos = 0, cap = 0;
    for (;;) {
        size_t a, b;
        bool found = next_sep(s, len, pos, &a, &b);
        size_t dend = found ? a : len;
        const char *d = s + pos;
        size_t dn = dend - pos;
        if (dn) {
            trim(&d, &dn);
            if (out->n == cap) {
                cap = cap ? cap * 2 : 8;
                out->docs = gotk_xrealloc(out->docs, cap * sizeof *out->docs);
            }
            out->docs[out->n++] = gotk_xstrndup(d, dn);
        }
        if (!found)
            break;
        pos = b;
    }
}

void helm_docs_free(helm_docs *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->docs[i]);
    free(d->docs);
    memset(d, 0, sizeof *d);
}
