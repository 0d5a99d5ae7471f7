/*
 * parsed.c: a set's memory of the texts it parsed, so that a text parsed
 * again under another name (Helm: the same subchart under several aliases,
 * or vendored into several charts) shares the first parse's nodes instead of
 * building them again. Only successful parses are remembered; parsing never
 * depends on functions added later except to reject a text, so a parse that
 * succeeded stays valid. Names in nodes are interned here too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tpl_int.h"

#define NBUCKETS 512

struct tpl_parsed {
    tpl_parsed *next;
    size_t hash;
    const tpl_src *src;
    tpl_parse_mode mode; /* delimiters copied into the arena */
    const tpl_tree *trees;
    int ntrees;
};

/* A hash of a whole text, eight bytes a step (texts run to tens of KB). */
static size_t text_hash(const char *s, size_t n)
{
    const uint64_t k = 0xff51afd7ed558ccdULL;
    uint64_t h = (uint64_t)n * 0x9e3779b97f4a7c15ULL, w;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        h = (h ^ w) * k;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, s + i, n - i);
    h = (h ^ w) * k;
    return (size_t)(h ^ (h >> 29));
}

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static bool same_mode(const tpl_parse_mode *a, const tpl_parse_mode *b)
{
    return same_str(a->ldelim, b->ldelim) && same_str(a->rdelim, b->rdelim) &&
           a->break_ok == b->break_ok && a->continue_ok == b->continue_ok;
}

static const char *arena_str(gotk_tpl_set *set, const char *s)
{
    return s ? tpl_strndup(&set->arena, s, strlen(s)) : NULL;
}

void tpl_parsed_add(gotk_tpl_set *set, const tpl_src *src, const tpl_parse_mode *mode,
                    const tpl_tree *trees, int ntrees)
{
    if (!set->parsed)
        set->parsed = gotk_xcalloc(NBUCKETS, sizeof *set->parsed);
    tpl_parsed *pp = tpl_alloc(&set->arena, sizeof *pp);
    tpl_tree *copy = tpl_alloc(&set->arena, sizeof *copy * (size_t)ntrees);
    memcpy(copy, trees, sizeof *copy * (size_t)ntrees);
    pp->hash = text_hash(src->text, src->len);
    pp->src = src;
    pp->mode = (tpl_parse_mode){arena_str(set, mode->ldelim), arena_str(set, mode->rdelim),
                                mode->break_ok, mode->continue_ok};
    pp->trees = copy;
    pp->ntrees = ntrees;
    pp->next = set->parsed[pp->hash % NBUCKETS];
    set->parsed[pp->hash % NBUCKETS] = pp;
}

static const tpl_parsed *find(const gotk_tpl_set *set, const char *text, size_t len,
                              const tpl_parse_mode *mode)
{
    if (!set->parsed)
        return NULL;
    size_t h = text_hash(text, len);
    for (const tpl_parsed *pp = set->parsed[h % NBUCKETS]; pp; pp = pp->next)
        if (pp->hash == h && pp->src->len == len && same_mode(&pp->mode, mode) &&
            memcmp(pp->src->text, text, len) == 0)
            return pp;
    return NULL;
}

bool tpl_parsed_reuse(gotk_tpl_set *set, const char *name, const char *text, size_t len,
                      const tpl_parse_mode *mode, tpl_tree **trees, int *ntrees)
{
    const tpl_parsed *pp = find(set, text, len, mode);
    if (!pp)
        return false;
    int top = pp->ntrees - 1;
    for (int i = 0; i < top; i++)
        if (!strcmp(pp->trees[i].name, name))
            return false; /* here a {{define}} would take the new name */
    tpl_src *src = tpl_alloc(&set->arena, sizeof *src);
    src->name = tpl_strndup(&set->arena, name, strlen(name));
    src->text = pp->src->text;
    src->len = len;
    *trees = gotk_xcalloc((size_t)pp->ntrees, sizeof **trees);
    for (int i = 0; i < pp->ntrees; i++)
        (*trees)[i] = (tpl_tree){i == top ? src->name : pp->trees[i].name, pp->trees[i].root, src};
    *ntrees = pp->ntrees;
    return true;
}

/* ---- interned names ------------------------------------------------------ */

/* Grow the name table to twice its size (or 256 slots), rehashing. */
static void intern_grow(tpl_names *t)
{
    size_t cap = t->cap ? t->cap * 2 : 256;
    const char **slots = gotk_xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slots[i])
            continue;
        size_t j = text_hash(t->slots[i], strlen(t->slots[i])) & (cap - 1);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
}

/* The set's one arena copy of the name s[0..n): field and function names
 * repeat thousands of times over a chart's templates. */
const char *tpl_intern(gotk_tpl_set *set, const char *s, size_t n)
{
    tpl_names *t = &set->names;
    if (2 * (t->count + 1) > t->cap)
        intern_grow(t);
    size_t j = text_hash(s, n) & (t->cap - 1);
    for (; t->slots[j]; j = (j + 1) & (t->cap - 1))
        if (!strncmp(t->slots[j], s, n) && t->slots[j][n] == 0)
            return t->slots[j];
    t->count++;
    return t->slots[j] = tpl_strndup(&set->arena, s, n);
}
