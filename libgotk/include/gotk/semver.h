/*
 * semver: semantic versions and version constraints, behaving exactly as
 * Masterminds/semver v3 (the Go library behind Flux's ImagePolicy
 * `semver.range`, GitRepository `ref.semver`, OCIRepository `ref.semver` and
 * Helm chart version ranges). The error texts are Masterminds' own, so a Ready
 * message reads the same as under Flux.
 *
 * Versions
 *   gotk_semver_parse is NewVersion: lenient. It accepts a `v` prefix, a
 *   missing minor or patch ("1", "v1.2"), leading zeros in the numbers
 *   ("2025.01.05"), a prerelease after `-` and build metadata after `+`.
 *   gotk_semver_parse_strict is StrictNewVersion: exactly MAJOR.MINOR.PATCH
 *   with optional prerelease and metadata, no prefix, no leading zeros.
 *   gotk_semver_parse_tag is Flux's version.ParseVersion: the string must hold
 *   at least two dots, then NewVersion rules apply; it is how Flux turns tags
 *   and chart versions into versions.
 *   A version keeps the string it was parsed from (original, with any `v`) and
 *   prints canonically as MAJOR.MINOR.PATCH[-PRE][+META].
 *   Ordering follows semver.org §11: numbers compare numerically; a version
 *   with a prerelease is lower than the same version without one; prerelease
 *   identifiers compare numerically when both are numbers, numbers sort below
 *   words, words compare by bytes, a shorter list sorts first; metadata is
 *   ignored.
 *
 * Constraints
 *   `||` separates alternatives; inside one, constraints separated by spaces
 *   or commas must all hold. Operators: `=` (or none), `!=`, `>`, `<`, `>=`
 *   (`=>`), `<=` (`=<`), `~` (`~>`), `^`; wildcards `x`, `X`, `*` or missing
 *   parts; hyphen ranges `1.2 - 1.4.5` (>= 1.2, <= 1.4.5). A prerelease version
 *   only matches when some constraint of the same alternative names a
 *   prerelease (or include_prerelease is set), and then it is compared like
 *   any other version. The quirks of Masterminds' operators are kept (">1.x"
 *   needs a higher major, "^0.x" keeps the minor, "~0.0.0" is any version, ...).
 *   Validate explains a failed check with Masterminds' messages, e.g.
 *   `"1.2.3" is less than "2.x"`.
 *
 * Masterminds parses constraints with Go regular expressions; we run the same
 * expressions through PCRE2, which picks the same matches (leftmost-first).
 *
 * Errors are GOTK_E_INVALID; their messages are Masterminds' ("invalid
 * semantic version", "improper constraint: \"foo\"", ...). Every object has
 * one owner, freed with its _free function; NULL is accepted by the frees.
 */
#ifndef GOTK_SEMVER_H
#define GOTK_SEMVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gotk/core.h"

typedef struct gotk_semver gotk_semver;
typedef struct gotk_semver_constraints gotk_semver_constraints;

/* ---- versions ----------------------------------------------------------- */

/* NewVersion: parse leniently (see above). */
gotk_err *gotk_semver_parse(const char *s, gotk_semver **out);
/* StrictNewVersion: parse a strict semver 2.0.0 version. */
gotk_err *gotk_semver_parse_strict(const char *s, gotk_semver **out);
/* Flux's version.ParseVersion: at least two dots, then as gotk_semver_parse. */
gotk_err *gotk_semver_parse_tag(const char *s, gotk_semver **out);
/* New: a version from its parts; pre and meta may be NULL or "" and are not
 * validated (as in Masterminds). Its original is its canonical string. */
gotk_semver *gotk_semver_new(uint64_t major, uint64_t minor, uint64_t patch, const char *pre,
                             const char *meta);
/* A deep copy. */
gotk_semver *gotk_semver_dup(const gotk_semver *v);
void gotk_semver_free(gotk_semver *v);

uint64_t gotk_semver_major(const gotk_semver *v);
uint64_t gotk_semver_minor(const gotk_semver *v);
uint64_t gotk_semver_patch(const gotk_semver *v);
/* The prerelease without its `-`; "" when there is none. */
const char *gotk_semver_prerelease(const gotk_semver *v);
/* The build metadata without its `+`; "" when there is none. */
const char *gotk_semver_metadata(const gotk_semver *v);
/* The string the version was parsed from, e.g. "v1.2". */
const char *gotk_semver_original(const gotk_semver *v);
/* The canonical form, e.g. "1.2.0" for "v1.2". Owned by the version. */
const char *gotk_semver_string(const gotk_semver *v);

/* -1, 0 or 1 as a is lower than, equal to or higher than b. */
int gotk_semver_compare(const gotk_semver *a, const gotk_semver *b);
/* Equal precedence (metadata ignored); two NULLs are equal, one NULL is not. */
bool gotk_semver_equal(const gotk_semver *a, const gotk_semver *b);

/* IncPatch / IncMinor / IncMajor: the next version, keeping a `v` prefix of
 * the original. A prerelease version's next patch drops the prerelease and
 * keeps the patch (1.2.3-beta -> 1.2.3). Fails when the number would
 * overflow (where Masterminds panics). */
gotk_err *gotk_semver_inc_patch(const gotk_semver *v, gotk_semver **out);
gotk_err *gotk_semver_inc_minor(const gotk_semver *v, gotk_semver **out);
gotk_err *gotk_semver_inc_major(const gotk_semver *v, gotk_semver **out);
/* SetPrerelease / SetMetadata: a copy with a new (validated) prerelease or
 * metadata; "" removes it. */
gotk_err *gotk_semver_set_prerelease(const gotk_semver *v, const char *pre, gotk_semver **out);
gotk_err *gotk_semver_set_metadata(const gotk_semver *v, const char *meta, gotk_semver **out);

/* ---- constraints -------------------------------------------------------- */

/* NewConstraint: parse a range such as ">= 1.2, < 2 || ^3.1". */
gotk_err *gotk_semver_constraints_parse(const char *s, gotk_semver_constraints **out);
void gotk_semver_constraints_free(gotk_semver_constraints *c);
/* IncludePrerelease: let prerelease versions match every alternative. */
void gotk_semver_constraints_set_include_prerelease(gotk_semver_constraints *c, bool on);
/* Check: does v satisfy the constraints? */
bool gotk_semver_constraints_check(const gotk_semver_constraints *c, const gotk_semver *v);
/* Validate: as check, and when it fails `*reasons` (if reasons is not NULL)
 * receives a NULL-terminated array of Masterminds' messages saying why, in
 * order; free it with gotk_semver_reasons_free. On success `*reasons` is NULL. */
bool gotk_semver_constraints_validate(const gotk_semver_constraints *c, const gotk_semver *v,
                                      char ***reasons);
void gotk_semver_reasons_free(char **reasons);
/* String: the constraints normalised, e.g. ">=1.2 <2 || ^3.1". Owned by c. */
const char *gotk_semver_constraints_string(const gotk_semver_constraints *c);

/* ---- picking versions from a list ---------------------------------------- */

/* ImagePolicy's semver policy (image-reflector-controller SemVer.Latest):
 * among `tags`, the highest version satisfying `c` (NULL: any version), where
 * tags that gotk_semver_parse_tag rejects are skipped. Ties (e.g. "1.0.0" and
 * "v1.0.0", or differing metadata) go to the first in the list. `*index` is
 * the winner's position in `tags`, whose string (with its `v`, if any) is the
 * result Flux reports. Errors (Flux's texts): "version list argument cannot be
 * empty" (GOTK_E_INVALID), "unable to determine latest version from provided
 * list" (GOTK_E_NOTFOUND). */
gotk_err *gotk_semver_latest(const gotk_semver_constraints *c, const char *const *tags,
                             size_t ntags, size_t *index);

/* Flux's version.Sort: the positions of the tags that parse (as
 * gotk_semver_parse_tag) and satisfy `c` (NULL: all), highest version first;
 * equal versions keep their list order. `order` needs room for ntags entries.
 * Returns how many were written. */
size_t gotk_semver_sort_desc(const gotk_semver_constraints *c, const char *const *tags,
                             size_t ntags, size_t *order);

#endif
