/*
 * Picking versions out of a list of tags, as Flux's controllers do:
 *  - gotk_semver_latest is image-reflector-controller's SemVer policy
 *    (internal/policy/semver.go): walk the tags in order, keep the first
 *    strictly greater matching version, report its original string (so a
 *    "v1.2.3" tag stays "v1.2.3").
 *  - gotk_semver_sort_desc is fluxcd/pkg/version.Sort, used for Helm chart
 *    versions and OCI tags: filter, then order highest first.
 * Both parse tags with Flux's version.ParseVersion (gotk_semver_parse_tag),
 * so "1.2" and "latest" are skipped while "v1.2.3" and "2024.01.05" count.
 */
#include "internal.h"

#include <stdlib.h>

/* Parse a tag and test it against c (NULL: any); NULL when it does not count. */
static gotk_semver *candidate(const gotk_semver_constraints *c, const char *tag)
{
    gotk_semver *v = NULL;
    gotk_err *e = gotk_semver_parse_tag(tag, &v);
    if (e) {
        gotk_err_free(e);
        return NULL;
    }
    if (c && !gotk_semver_constraints_check(c, v)) {
        gotk_semver_free(v);
        return NULL;
    }
    return v;
}

gotk_err *gotk_semver_latest(const gotk_semver_constraints *c, const char *const *tags,
                             size_t ntags, size_t *index)
{
    if (ntags == 0)
        return gotk_err_new(GOTK_E_INVALID, "version list argument cannot be empty");
    gotk_semver *best = NULL;
    for (size_t i = 0; i < ntags; i++) {
        gotk_semver *v = candidate(c, tags[i]);
        if (v && (!best || gotk_semver_compare(v, best) > 0)) {
            gotk_semver_free(best);
            best = v;
            *index = i;
        } else {
            gotk_semver_free(v);
        }
    }
    if (!best)
        return gotk_err_new(GOTK_E_NOTFOUND,
                            "unable to determine latest version from provided list");
    gotk_semver_free(best);
    return NULL;
}

/* A parsed tag and where it came from, for sorting. */
typedef struct {
    gotk_semver *v;
    size_t index;
} ranked;

/* Highest version first; equal versions in list order (a stable order). */
static int rank_cmp(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    int d = gotk_semver_compare(y->v, x->v);
    if (d)
        return d;
    return x->index < y->index ? -1 : x->index > y->index;
}

size_t gotk_semver_sort_desc(const gotk_semver_constraints *c, const char *const *tags,
                             size_t ntags, size_t *order)
{
    ranked *r = gotk_xcalloc(ntags ? ntags : 1, sizeof *r);
    size_t n = 0;
    for (size_t i = 0; i < ntags; i++) {
        gotk_semver *v = candidate(c, tags[i]);
        if (v)
            r[n++] = (ranked){v, i};
    }
    qsort(r, n, sizeof *r, rank_cmp);
    for (size_t i = 0; i < n; i++) {
        order[i] = r[i].index;
        gotk_semver_free(r[i].v);
    }
    free(r);
    return n;
}
