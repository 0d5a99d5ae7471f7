/*
 * semver versions: parsing (lenient NewVersion, StrictNewVersion), printing,
 * precedence and the Inc/Set helpers, following Masterminds/semver v3.
 *
 * The lenient grammar is Masterminds' loose regular expression
 *   v?[0-9]+(\.[0-9]+)?(\.[0-9]+)?(-IDENTS)?(\+IDENTS)?   IDENTS: [0-9A-Za-z-]+ joined by '.'
 * which is unambiguous, so a single left-to-right scan finds the same parts
 * the regular expression would. The strict parser mirrors StrictNewVersion
 * step by step (split on the first two dots, cut metadata, cut prerelease,
 * then check the numbers), because the order of those steps decides which
 * error text a bad version gets.
 *
 * A version is one allocation: the struct followed by its strings.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How a decimal segment failed to parse, as Go's strconv.ParseUint says it. */
typedef enum { NUM_OK = 0, NUM_RANGE, NUM_SYNTAX } num_status;

/* strconv.ParseUint(s, 10, 64) on s[0..len). */
static num_status parse_u64(const char *s, size_t len, uint64_t *out)
{
    if (len == 0)
        return NUM_SYNTAX;
    uint64_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return NUM_SYNTAX;
        unsigned d = (unsigned)(s[i] - '0');
        if (n > (UINT64_MAX - d) / 10)
            return NUM_RANGE;
        n = n * 10 + d;
    }
    *out = n;
    return NUM_OK;
}

/* The text of a strconv.NumError for ParseUint. */
static char *num_error_text(const char *s, size_t len, num_status st)
{
    gotk_buf b = {0};
    char *num = gotk_xstrndup(s, len);
    gotk_buf_puts(&b, "strconv.ParseUint: parsing ");
    semver_quote(&b, num);
    gotk_buf_puts(&b, st == NUM_RANGE ? ": value out of range" : ": invalid syntax");
    free(num);
    return gotk_buf_steal(&b);
}

/* An error carrying a strconv.NumError, with an optional prefix. */
static gotk_err *num_error(const char *prefix, const char *s, size_t len, num_status st)
{
    char *text = num_error_text(s, len, st);
    gotk_err *e = gotk_err_new(GOTK_E_INVALID, "%s%s", prefix, text);
    free(text);
    return e;
}

/* [0-9] */
static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* [0-9A-Za-z-]: the characters of prerelease and metadata identifiers. */
static bool is_ident_char(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* Length of the run of digits at p. */
static size_t span_digits(const char *p)
{
    size_t n = 0;
    while (is_digit(p[n]))
        n++;
    return n;
}

/* Length of the longest `[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*` at p (0: none). */
static size_t span_idents(const char *p)
{
    size_t n = 0;
    while (is_ident_char(p[n]))
        n++;
    if (n == 0)
        return 0;
    while (p[n] == '.' && is_ident_char(p[n + 1])) {
        n++;
        while (is_ident_char(p[n]))
            n++;
    }
    return n;
}

/* Calls fn on each '.'-separated piece of s[0..len), like strings.Split;
 * stops at and returns the first non-NULL result. */
static const char *each_piece(const char *s, size_t len,
                              const char *(*fn)(const char *, size_t))
{
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == '.') {
            const char *r = fn(s + start, i - start);
            if (r)
                return r;
            start = i + 1;
        }
    }
    return NULL;
}

/* One prerelease identifier: non-empty, no leading zero when numeric. */
static const char *check_pre_piece(const char *p, size_t len)
{
    if (len == 0)
        return SEMVER_ERR_PRE;
    size_t digits = 0;
    while (digits < len && is_digit(p[digits]))
        digits++;
    if (digits == len)
        return len > 1 && p[0] == '0' ? SEMVER_ERR_ZERO : NULL;
    for (size_t i = 0; i < len; i++)
        if (!is_ident_char(p[i]))
            return SEMVER_ERR_PRE;
    return NULL;
}

/* One metadata identifier: non-empty, [0-9A-Za-z-] only. */
static const char *check_meta_piece(const char *p, size_t len)
{
    if (len == 0)
        return SEMVER_ERR_META;
    for (size_t i = 0; i < len; i++)
        if (!is_ident_char(p[i]))
            return SEMVER_ERR_META;
    return NULL;
}

const char *semver_check_prerelease(const char *p, size_t len)
{
    return each_piece(p, len, check_pre_piece);
}

const char *semver_check_metadata(const char *m, size_t len)
{
    return each_piece(m, len, check_meta_piece);
}

gotk_semver *semver_make(uint64_t major, uint64_t minor, uint64_t patch, const char *pre,
                         size_t prelen, const char *meta, size_t metalen, const char *original)
{
    if (!pre)
        prelen = 0;
    if (!meta)
        metalen = 0;
    /* 3 x 20 digits, 2 dots, '-', '+', NUL */
    size_t strmax = 65 + prelen + metalen;
    size_t origlen = original ? strlen(original) : 0;
    size_t size = sizeof(gotk_semver) + prelen + 1 + metalen + 1 + strmax + origlen + 1;
    gotk_semver *v = gotk_xmalloc(size);
    char *p = (char *)(v + 1);
    v->major = major;
    v->minor = minor;
    v->patch = patch;
    memcpy(p, prelen ? pre : "", prelen);
    p[prelen] = '\0';
    v->pre = p;
    p += prelen + 1;
    memcpy(p, metalen ? meta : "", metalen);
    p[metalen] = '\0';
    v->meta = p;
    p += metalen + 1;
    int n = snprintf(p, strmax, "%llu.%llu.%llu%s%.*s%s%.*s", (unsigned long long)major,
                     (unsigned long long)minor, (unsigned long long)patch, prelen ? "-" : "",
                     (int)prelen, prelen ? pre : "", metalen ? "+" : "", (int)metalen,
                     metalen ? meta : "");
    v->str = p;
    if (original) {
        p += (size_t)n + 1;
        memcpy(p, original, origlen + 1);
        v->original = p;
    } else {
        v->original = v->str;
    }
    return v;
}

/* NewVersion's regular expression did not match. */
static gotk_err *invalid(void)
{
    return gotk_err_new(GOTK_E_INVALID, SEMVER_ERR_INVALID);
}

/* The pieces of a lenient version, as (pointer, length) pairs; an absent
 * piece has a NULL pointer. */
typedef struct {
    const char *num[3];
    size_t numlen[3];
    const char *pre, *meta;
    size_t prelen, metalen;
} lenient_parts;

/* Match NewVersion's loose expression against s; false when it does not. */
static bool scan_lenient(const char *s, lenient_parts *lp)
{
    memset(lp, 0, sizeof *lp);
    const char *p = s + (s[0] == 'v');
    lp->num[0] = p;
    lp->numlen[0] = span_digits(p);
    if (lp->numlen[0] == 0)
        return false;
    p += lp->numlen[0];
    for (int i = 1; i < 3 && p[0] == '.' && is_digit(p[1]); i++) {
        lp->num[i] = p + 1;
        lp->numlen[i] = span_digits(p + 1);
        p += 1 + lp->numlen[i];
    }
    if (p[0] == '-' && (lp->prelen = span_idents(p + 1)) > 0) {
        lp->pre = p + 1;
        p += 1 + lp->prelen;
    }
    if (p[0] == '+' && (lp->metalen = span_idents(p + 1)) > 0) {
        lp->meta = p + 1;
        p += 1 + lp->metalen;
    }
    return *p == '\0';
}

gotk_err *gotk_semver_parse(const char *s, gotk_semver **out)
{
    *out = NULL;
    lenient_parts lp;
    if (!scan_lenient(s, &lp))
        return invalid();
    uint64_t n[3] = {0, 0, 0};
    for (int i = 0; i < 3 && lp.num[i]; i++) {
        num_status st = parse_u64(lp.num[i], lp.numlen[i], &n[i]);
        if (st)
            return num_error("error parsing version segment: ", lp.num[i], lp.numlen[i], st);
    }
    const char *bad = lp.pre ? semver_check_prerelease(lp.pre, lp.prelen) : NULL;
    if (!bad && lp.meta)
        bad = semver_check_metadata(lp.meta, lp.metalen);
    if (bad)
        return gotk_err_new(GOTK_E_INVALID, "%s", bad);
    *out = semver_make(n[0], n[1], n[2], lp.pre, lp.prelen, lp.meta, lp.metalen, s);
    return NULL;
}

/* StrictNewVersion's check of one number segment: digits only, no leading 0. */
static const char *check_strict_number(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_digit(p[i]))
            return SEMVER_ERR_CHARS;
    if (len > 1 && p[0] == '0')
        return SEMVER_ERR_ZERO;
    return NULL;
}

/* StrictNewVersion, in its order of checks: split on the first two dots, cut
 * and validate metadata, then prerelease, then the three numbers. */
gotk_err *gotk_semver_parse_strict(const char *s, gotk_semver **out)
{
    *out = NULL;
    if (!*s)
        return gotk_err_new(GOTK_E_INVALID, SEMVER_ERR_EMPTY);
    const char *d1 = strchr(s, '.');
    const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    if (!d2)
        return invalid();
    const char *part[3] = {s, d1 + 1, d2 + 1};
    size_t len[3] = {(size_t)(d1 - s), (size_t)(d2 - d1 - 1), strlen(d2 + 1)};
    const char *meta = NULL, *pre = NULL, *bad = NULL;
    size_t metalen = 0, prelen = 0;
    const char *plus = memchr(part[2], '+', len[2]);
    if (plus) {
        meta = plus + 1;
        metalen = len[2] - (size_t)(meta - part[2]);
        len[2] = (size_t)(plus - part[2]);
        if ((bad = semver_check_metadata(meta, metalen)))
            return gotk_err_new(GOTK_E_INVALID, "%s", bad);
    }
    const char *dash = memchr(part[2], '-', len[2]);
    if (dash) {
        pre = dash + 1;
        prelen = len[2] - (size_t)(pre - part[2]);
        len[2] = (size_t)(dash - part[2]);
        if ((bad = semver_check_prerelease(pre, prelen)))
            return gotk_err_new(GOTK_E_INVALID, "%s", bad);
    }
    for (int i = 0; i < 3; i++)
        if ((bad = check_strict_number(part[i], len[i])))
            return gotk_err_new(GOTK_E_INVALID, "%s", bad);
    uint64_t n[3];
    for (int i = 0; i < 3; i++) {
        num_status st = parse_u64(part[i], len[i], &n[i]);
        if (st)
            return num_error("", part[i], len[i], st);
    }
    *out = semver_make(n[0], n[1], n[2], pre, prelen, meta, metalen, s);
    return NULL;
}

gotk_err *gotk_semver_parse_tag(const char *s, gotk_semver **out)
{
    *out = NULL;
    const char *d1 = strchr(s, '.');
    if (!d1 || !strchr(d1 + 1, '.'))
        return invalid();
    return gotk_semver_parse(s, out);
}

gotk_semver *gotk_semver_new(uint64_t major, uint64_t minor, uint64_t patch, const char *pre,
                             const char *meta)
{
    return semver_make(major, minor, patch, pre, pre ? strlen(pre) : 0, meta,
                       meta ? strlen(meta) : 0, NULL);
}

gotk_semver *gotk_semver_dup(const gotk_semver *v)
{
    return semver_make(v->major, v->minor, v->patch, v->pre, strlen(v->pre), v->meta,
                       strlen(v->meta), v->original);
}

void gotk_semver_free(gotk_semver *v)
{
    free(v);
}

/* Accessors; the strings belong to the version (see gotk/semver.h). */
uint64_t gotk_semver_major(const gotk_semver *v)
{
    return v->major;
}

uint64_t gotk_semver_minor(const gotk_semver *v)
{
    return v->minor;
}

uint64_t gotk_semver_patch(const gotk_semver *v)
{
    return v->patch;
}

const char *gotk_semver_prerelease(const gotk_semver *v)
{
    return v->pre;
}

const char *gotk_semver_metadata(const gotk_semver *v)
{
    return v->meta;
}

const char *gotk_semver_original(const gotk_semver *v)
{
    return v->original;
}

const char *gotk_semver_string(const gotk_semver *v)
{
    return v->str;
}

/* -1/0/1 for two numbers. */
static int cmp_u64(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b;
}

/* Go's string comparison: bytewise, a prefix sorts first. */
static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c)
        return c < 0 ? -1 : 1;
    return cmp_u64(alen, blen);
}

/* comparePrePart: one prerelease identifier against another ("" = absent).
 * An identifier is numeric when strconv.ParseUint accepts it. */
static int compare_pre_part(const char *s, size_t slen, const char *o, size_t olen)
{
    if (slen == olen && memcmp(s, o, slen) == 0)
        return 0;
    if (slen == 0)
        return -1;
    if (olen == 0)
        return 1;
    uint64_t si = 0, oi = 0;
    bool onum = parse_u64(o, olen, &oi) == NUM_OK;
    bool snum = parse_u64(s, slen, &si) == NUM_OK;
    if (!onum && !snum)
        return cmp_bytes(s, slen, o, olen) > 0 ? 1 : -1;
    if (!onum)
        return -1;
    if (!snum)
        return 1;
    return si > oi ? 1 : -1;
}

/* Length of the '.'-separated piece starting at s. */
static size_t piece_len(const char *s)
{
    const char *dot = strchr(s, '.');
    return dot ? (size_t)(dot - s) : strlen(s);
}

int semver_compare_prerelease(const char *a, const char *b)
{
    /* strings.Split gives at least one (possibly empty) piece per side; a
     * side that runs out compares as "". */
    bool amore = true, bmore = true;
    while (amore || bmore) {
        size_t alen = amore ? piece_len(a) : 0, blen = bmore ? piece_len(b) : 0;
        int d = compare_pre_part(amore ? a : "", alen, bmore ? b : "", blen);
        if (d)
            return d;
        if (amore) {
            amore = a[alen] == '.';
            a += alen + amore;
        }
        if (bmore) {
            bmore = b[blen] == '.';
            b += blen + bmore;
        }
    }
    return 0;
}

int gotk_semver_compare(const gotk_semver *a, const gotk_semver *b)
{
    int d = cmp_u64(a->major, b->major);
    if (!d)
        d = cmp_u64(a->minor, b->minor);
    if (!d)
        d = cmp_u64(a->patch, b->patch);
    if (d)
        return d;
    if (!*a->pre && !*b->pre)
        return 0;
    if (!*a->pre)
        return 1;
    if (!*b->pre)
        return -1;
    return semver_compare_prerelease(a->pre, b->pre);
}

bool gotk_semver_equal(const gotk_semver *a, const gotk_semver *b)
{
    if (a == b)
        return true;
    if (!a || !b)
        return false;
    return gotk_semver_compare(a, b) == 0;
}

/* A derived version whose original is the `v` prefix of v's (if any) plus
 * the canonical string, as Masterminds' Inc and Set methods make it. */
static gotk_semver *derive(const gotk_semver *v, uint64_t major, uint64_t minor, uint64_t patch,
                           const char *pre, const char *meta)
{
    gotk_semver *canon = gotk_semver_new(major, minor, patch, pre, meta);
    if (v->original[0] != 'v')
        return canon;
    char *orig = gotk_xasprintf("v%s", canon->str);
    gotk_semver *out = semver_make(major, minor, patch, canon->pre, strlen(canon->pre),
                                   canon->meta, strlen(canon->meta), orig);
    free(orig);
    gotk_semver_free(canon);
    return out;
}

gotk_err *gotk_semver_inc_patch(const gotk_semver *v, gotk_semver **out)
{
    *out = NULL;
    if (*v->pre) {
        *out = derive(v, v->major, v->minor, v->patch, NULL, NULL);
        return NULL;
    }
    if (v->patch == UINT64_MAX)
        return gotk_err_new(GOTK_E_INVALID, "patch version increment would overflow uint64");
    *out = derive(v, v->major, v->minor, v->patch + 1, NULL, NULL);
    return NULL;
}

gotk_err *gotk_semver_inc_minor(const gotk_semver *v, gotk_semver **out)
{
    *out = NULL;
    if (v->minor == UINT64_MAX)
        return gotk_err_new(GOTK_E_INVALID, "minor version increment would overflow uint64");
    *out = derive(v, v->major, v->minor + 1, 0, NULL, NULL);
    return NULL;
}

gotk_err *gotk_semver_inc_major(const gotk_semver *v, gotk_semver **out)
{
    *out = NULL;
    if (v->major == UINT64_MAX)
        return gotk_err_new(GOTK_E_INVALID, "major version increment would overflow uint64");
    *out = derive(v, v->major + 1, 0, 0, NULL, NULL);
    return NULL;
}

gotk_err *gotk_semver_set_prerelease(const gotk_semver *v, const char *pre, gotk_semver **out)
{
    *out = NULL;
    const char *bad = *pre ? semver_check_prerelease(pre, strlen(pre)) : NULL;
    if (bad)
        return gotk_err_new(GOTK_E_INVALID, "%s", bad);
    *out = derive(v, v->major, v->minor, v->patch, pre, v->meta);
    return NULL;
}

gotk_err *gotk_semver_set_metadata(const gotk_semver *v, const char *meta, gotk_semver **out)
{
    *out = NULL;
    const char *bad = *meta ? semver_check_metadata(meta, strlen(meta)) : NULL;
    if (bad)
        return gotk_err_new(GOTK_E_INVALID, "%s", bad);
    *out = derive(v, v->major, v->minor, v->patch, v->pre, meta);
    return NULL;
}
