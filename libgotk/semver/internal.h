/*
 * semver internals shared by version.c, constraint.c and select.c: the
 * version struct (one allocation holding the numbers and all its strings),
 * Masterminds' error texts, and Go's %q quoting used in its messages.
 */
#ifndef GOTK_SEMVER_INTERNAL_H
#define GOTK_SEMVER_INTERNAL_H

#include "gotk/semver.h"

struct gotk_semver {
    uint64_t major, minor, patch;
    const char *pre;      /* "" when none; points into the same block */
    const char *meta;     /* "" when none */
    const char *original; /* the parsed string */
    const char *str;      /* canonical MAJOR.MINOR.PATCH[-PRE][+META] */
};

/* Masterminds' error values (v3, lower-case since 3.4). */
#define SEMVER_ERR_INVALID "invalid semantic version"
#define SEMVER_ERR_EMPTY "version string empty"
#define SEMVER_ERR_CHARS "invalid characters in version"
#define SEMVER_ERR_ZERO "version segment starts with 0"
#define SEMVER_ERR_META "invalid metadata string"
#define SEMVER_ERR_PRE "invalid prerelease string"

/* A version in one allocation; pre/meta are (pointer, length) pairs, either
 * may be NULL, original NULL means "use the canonical string". */
gotk_semver *semver_make(uint64_t major, uint64_t minor, uint64_t patch, const char *pre,
                         size_t prelen, const char *meta, size_t metalen, const char *original);

/* Validate a prerelease / metadata per the spec; NULL or one of the error
 * texts above. */
const char *semver_check_prerelease(const char *p, size_t len);
const char *semver_check_metadata(const char *m, size_t len);

/* Compare two prerelease strings as Masterminds' comparePrerelease does. */
int semver_compare_prerelease(const char *a, const char *b);

/* Append s quoted as Go's %q (strconv.Quote) prints it. */
void semver_quote(gotk_buf *b, const char *s);

#endif
