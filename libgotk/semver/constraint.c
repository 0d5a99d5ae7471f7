/*
 * semver constraints: Masterminds/semver v3's NewConstraint, Check, Validate
 * and String.
 *
 * Parsing runs Masterminds' own regular expressions through PCRE2 (both pick
 * leftmost-first matches, so they agree; Go's \s is spelled [\t\n\f\r ] and
 * `$` is end-only as in Go):
 *   1. hyphen ranges "A - B" are rewritten to ">= A, <= B " (rewriteRange);
 *   2. the text is split on "||" into alternatives (OR groups);
 *   3. an alternative must match the whole-segment expression, else
 *      "improper constraint: <segment>";
 *   4. each "op version" inside it is found left to right and parsed: a
 *      wildcard (x, X, * or a missing part) makes the constraint "dirty" at
 *      that position and zeroes what follows, keeping any prerelease.
 * Checking evaluates each alternative's constraints in order; an alternative
 * lets prerelease versions through only if one of its constraints names a
 * prerelease (or include_prerelease is set). The per-operator functions keep
 * Masterminds' special cases and produce its messages for Validate.
 *
 * The compiled expressions are made once per process (pthread_once) and are
 * read-only afterwards, so parsing is thread-safe.
 */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* ---- the expressions ---------------------------------------------------- */

#define WS "[\\t\\n\\f\\r ]"
#define CV                                                                         \
    "v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?"                   \
    "(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?"                                   \
    "(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?"
#define OPS "=||!=|>|<|>=|=>|<=|=<|~|~>|\\^"

enum { RX_ONE, RX_RANGE, RX_FIND, RX_VALID, RX_COUNT };

static const char *const rx_source[RX_COUNT] = {
    [RX_ONE] = "^" WS "*(" OPS ")" WS "*(" CV ")" WS "*$",
    [RX_RANGE] = WS "*(" CV ")" WS "+-" WS "+(" CV ")" WS "*",
    [RX_FIND] = "(" OPS ")" WS "*(" CV ")",
    [RX_VALID] = "^(" WS "*(" OPS ")" WS "*(" CV ")" WS "*)((?:" WS "+|," WS "*)(" OPS ")" WS
                 "*(" CV ")" WS "*)*$",
};

static pcre2_code *rx_code[RX_COUNT];
static pthread_once_t rx_once = PTHREAD_ONCE_INIT;

/* Compile the expressions; they are fixed, so a failure is a bug. */
static void rx_compile(void)
{
    for (int i = 0; i < RX_COUNT; i++) {
        int err;
        PCRE2_SIZE off;
        rx_code[i] = pcre2_compile((PCRE2_SPTR)rx_source[i], PCRE2_ZERO_TERMINATED,
                                   PCRE2_DOLLAR_ENDONLY, &err, &off, NULL);
        if (!rx_code[i])
            abort();
    }
}

/* Free the expressions at exit so leak checkers see a clean process. */
__attribute__((destructor)) static void rx_release(void)
{
    for (int i = 0; i < RX_COUNT; i++) {
        pcre2_code_free(rx_code[i]);
        rx_code[i] = NULL;
    }
}

/* A match of one expression: its groups as offsets into the subject. */
typedef struct {
    pcre2_match_data *md;
    const char *subject;
} rx_match;

/* Match expression `which` against s[off..len). False on no match; a PCRE2
 * resource limit (only reachable on absurd input) also counts as no match. */
static bool rx_run(int which, const char *s, size_t len, size_t off, rx_match *m)
{
    pthread_once(&rx_once, rx_compile);
    m->subject = s;
    if (!m->md)
        m->md = pcre2_match_data_create_from_pattern(rx_code[which], NULL);
    return pcre2_match(rx_code[which], (PCRE2_SPTR)s, len, off, 0, m->md, NULL) > 0;
}

/* Group i of the last match ("" when it did not take part). */
static const char *rx_group(const rx_match *m, int i, size_t *len)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
    if (ov[2 * i] == PCRE2_UNSET) {
        *len = 0;
        return "";
    }
    *len = ov[2 * i + 1] - ov[2 * i];
    return m->subject + ov[2 * i];
}

/* Group i of the last match as a new string. */
static char *rx_group_dup(const rx_match *m, int i)
{
    size_t len;
    const char *p = rx_group(m, i, &len);
    return gotk_xstrndup(p, len);
}

/* Release a match's data. */
static void rx_done(rx_match *m)
{
    pcre2_match_data_free(m->md);
    m->md = NULL;
}

/* ---- the data ------------------------------------------------------------ */

typedef enum { OP_EQ, OP_NE, OP_GT, OP_LT, OP_GE, OP_LE, OP_TILDE, OP_CARET } op_kind;

typedef struct {
    gotk_semver *con; /* the version compared against, wildcards zeroed */
    char *orig;       /* the version text as written, e.g. "1.x" */
    char *op;         /* the operator as written, e.g. "=<" */
    op_kind kind;
    bool dirty;       /* some part is a wildcard */
    bool minor_dirty; /* the minor (and so the patch) is a wildcard */
    bool patch_dirty; /* only the patch is a wildcard */
} constraint;

typedef struct {
    constraint *items;
    size_t n;
    bool has_pre; /* some constraint names a prerelease */
} and_group;

struct gotk_semver_constraints {
    and_group *groups;
    size_t n;
    bool include_pre;
    char *str;
};

/* ---- parsing --------------------------------------------------------------- */

/* The operator's check function, from its spelling. */
static op_kind op_of(const char *op, size_t len)
{
    static const struct {
        const char *s;
        op_kind k;
    } ops[] = {{"", OP_EQ},  {"=", OP_EQ},  {"!=", OP_NE},    {">", OP_GT},
               {"<", OP_LT}, {">=", OP_GE}, {"=>", OP_GE},    {"<=", OP_LE},
               {"=<", OP_LE}, {"~", OP_TILDE}, {"~>", OP_TILDE}, {"^", OP_CARET}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strlen(ops[i].s) == len && memcmp(ops[i].s, op, len) == 0)
            return ops[i].k;
    return OP_EQ;
}

/* isX: a wildcard part. */
static bool is_x(const char *p, size_t len)
{
    return len == 1 && (p[0] == 'x' || p[0] == 'X' || p[0] == '*');
}

/* "improper constraint: <quoted s>". */
static gotk_err *improper(const char *s)
{
    gotk_buf b = {0};
    semver_quote(&b, s);
    gotk_err *e = gotk_err_new(GOTK_E_INVALID, "improper constraint: %s", b.data);
    gotk_buf_free(&b);
    return e;
}

/* The version a constraint compares against: wildcards become 0 and fix the
 * dirty flags; a prerelease is kept, metadata only when nothing is a wildcard. */
static char *constraint_version(const rx_match *m, constraint *c)
{
    size_t l3, l4, l5, l6, l2;
    const char *all = rx_group(m, 2, &l2), *maj = rx_group(m, 3, &l3),
               *min = rx_group(m, 4, &l4), *pat = rx_group(m, 5, &l5),
               *pre = rx_group(m, 6, &l6);
    if (is_x(maj, l3) || l3 == 0) {
        c->dirty = true;
        return gotk_xasprintf("0.0.0%.*s", (int)l6, pre);
    }
    if (l4 == 0 || is_x(min + 1, l4 - 1)) {
        c->dirty = c->minor_dirty = true;
        return gotk_xasprintf("%.*s.0.0%.*s", (int)l3, maj, (int)l6, pre);
    }
    if (l5 == 0 || is_x(pat + 1, l5 - 1)) {
        c->dirty = c->patch_dirty = true;
        return gotk_xasprintf("%.*s%.*s.0%.*s", (int)l3, maj, (int)l4, min, (int)l6, pre);
    }
    return gotk_xstrndup(all, l2);
}

/* parseConstraint: one "op version" (or "" meaning any version). */
static gotk_err *parse_one(const char *s, constraint *c)
{
    memset(c, 0, sizeof *c);
    if (!*s) {
        c->op = gotk_xstrdup("");
        c->orig = gotk_xstrdup("");
        c->dirty = true;
        c->con = gotk_semver_new(0, 0, 0, NULL, NULL);
        return NULL;
    }
    rx_match m = {0};
    if (!rx_run(RX_ONE, s, strlen(s), 0, &m)) {
        rx_done(&m);
        return improper(s);
    }
    size_t oplen;
    const char *op = rx_group(&m, 1, &oplen);
    c->kind = op_of(op, oplen);
    c->op = gotk_xstrndup(op, oplen);
    c->orig = rx_group_dup(&m, 2);
    char *ver = constraint_version(&m, c);
    rx_done(&m);
    gotk_err *e = gotk_semver_parse(ver, &c->con);
    free(ver);
    if (e) {
        gotk_err_free(e);
        return gotk_err_new(GOTK_E_INVALID, "constraint parser error");
    }
    return NULL;
}

/* Free what a constraint owns. */
static void constraint_clear(constraint *c)
{
    gotk_semver_free(c->con);
    free(c->orig);
    free(c->op);
}

/* strings.Replace(s, old, new, 1), as a new string. */
static char *replace_first(const char *s, const char *old, size_t oldlen, const char *new)
{
    const char *at = oldlen ? strstr(s, old) : s;
    if (!at)
        return gotk_xstrdup(s);
    return gotk_xasprintf("%.*s%s%s", (int)(at - s), s, new, at + oldlen);
}

/* rewriteRange: every "A - B" becomes ">= A, <= B ", replacing the first
 * occurrence of each match's text in turn, as Masterminds does. */
static char *rewrite_range(const char *s)
{
    char *out = gotk_xstrdup(s);
    size_t len = strlen(s), off = 0;
    rx_match m = {0};
    while (off <= len && rx_run(RX_RANGE, s, len, off, &m)) {
        size_t l0, l1, l11;
        const char *whole = rx_group(&m, 0, &l0), *a = rx_group(&m, 1, &l1),
                   *b = rx_group(&m, 11, &l11);
        char *old = gotk_xstrndup(whole, l0);
        char *new = gotk_xasprintf(">= %.*s, <= %.*s ", (int)l1, a, (int)l11, b);
        char *next = replace_first(out, old, l0, new);
        free(out);
        free(old);
        free(new);
        out = next;
        off = (size_t)(whole - s) + (l0 ? l0 : 1);
    }
    rx_done(&m);
    return out;
}

/* Append a parsed constraint to a group. */
static void group_push(and_group *g, const constraint *c)
{
    g->items = gotk_xrealloc(g->items, (g->n + 1) * sizeof *g->items);
    g->items[g->n++] = *c;
    if (*c->con->pre)
        g->has_pre = true;
}

/* Parse one "one or more constraints" string into g. */
static gotk_err *parse_group(const char *seg, and_group *g)
{
    size_t len = strlen(seg), off = 0;
    rx_match m = {0};
    bool valid = rx_run(RX_VALID, seg, len, 0, &m);
    rx_done(&m);
    if (!valid)
        return improper(seg);
    gotk_err *e = NULL;
    while (!e && off < len && rx_run(RX_FIND, seg, len, off, &m)) {
        size_t l0;
        const char *whole = rx_group(&m, 0, &l0);
        char *one = gotk_xstrndup(whole, l0);
        constraint c;
        e = parse_one(one, &c);
        free(one);
        if (!e)
            group_push(g, &c);
        else
            constraint_clear(&c);
        off = (size_t)(whole - seg) + (l0 ? l0 : 1);
    }
    rx_done(&m);
    if (!e && g->n == 0) {
        constraint c;
        if ((e = parse_one(seg, &c)))
            constraint_clear(&c);
        else
            group_push(g, &c);
    }
    return e;
}

/* String: "op+version" joined by spaces, groups by " || ". */
static char *constraints_format(const gotk_semver_constraints *cs)
{
    gotk_buf b = {0};
    gotk_buf_puts(&b, "");
    for (size_t i = 0; i < cs->n; i++) {
        if (i)
            gotk_buf_puts(&b, " || ");
        for (size_t j = 0; j < cs->groups[i].n; j++) {
            const constraint *c = &cs->groups[i].items[j];
            gotk_buf_printf(&b, "%s%s%s", j ? " " : "", c->op, c->orig);
        }
    }
    return gotk_buf_steal(&b);
}

gotk_err *gotk_semver_constraints_parse(const char *s, gotk_semver_constraints **out)
{
    *out = NULL;
    char *text = rewrite_range(s);
    gotk_semver_constraints *cs = gotk_xcalloc(1, sizeof *cs);
    gotk_err *e = NULL;
    const char *seg = text;
    while (!e) {
        const char *bar = strstr(seg, "||");
        char *piece = bar ? gotk_xstrndup(seg, (size_t)(bar - seg)) : gotk_xstrdup(seg);
        cs->groups = gotk_xrealloc(cs->groups, (cs->n + 1) * sizeof *cs->groups);
        memset(&cs->groups[cs->n], 0, sizeof cs->groups[cs->n]);
        e = parse_group(piece, &cs->groups[cs->n++]);
        free(piece);
        if (!bar)
            break;
        seg = bar + 2;
    }
    free(text);
    if (e) {
        gotk_semver_constraints_free(cs);
        return e;
    }
    cs->str = constraints_format(cs);
    *out = cs;
    return NULL;
}

void gotk_semver_constraints_free(gotk_semver_constraints *cs)
{
    if (!cs)
        return;
    for (size_t i = 0; i < cs->n; i++) {
        for (size_t j = 0; j < cs->groups[i].n; j++)
            constraint_clear(&cs->groups[i].items[j]);
        free(cs->groups[i].items);
    }
    free(cs->groups);
    free(cs->str);
    free(cs);
}

void gotk_semver_constraints_set_include_prerelease(gotk_semver_constraints *cs, bool on)
{
    cs->include_pre = on;
}

const char *gotk_semver_constraints_string(const gotk_semver_constraints *cs)
{
    return cs->str;
}

/* ---- checking ---------------------------------------------------------------- */

/* Record why a check failed: `"<v>"<middle>"<orig>"<suffix>`; returns false. */
static bool fail(gotk_buf *why, const gotk_semver *v, const constraint *c, const char *middle,
                 const char *suffix)
{
    if (why) {
        semver_quote(why, v->str);
        gotk_buf_puts(why, middle);
        semver_quote(why, c->orig);
        gotk_buf_puts(why, suffix);
    }
    return false;
}

/* The message for a prerelease version that the constraint ignores. */
static bool fail_pre(gotk_buf *why, const gotk_semver *v)
{
    if (why) {
        semver_quote(why, v->str);
        gotk_buf_puts(why, " is a prerelease version and the constraint is only looking for "
                           "release versions");
    }
    return false;
}

/* constraintNotEqual */
static bool check_ne(const gotk_semver *v, const constraint *c, gotk_buf *why)
{
    const gotk_semver *k = c->con;
    if (c->dirty) {
        if (k->major != v->major)
            return true;
        if (k->minor != v->minor && !c->minor_dirty)
            return true;
        if (c->minor_dirty)
            return fail(why, v, c, " is equal to ", "");
        if (k->patch != v->patch && !c->patch_dirty)
            return true;
        if (c->patch_dirty) {
            if ((*v->pre || *k->pre) && semver_compare_prerelease(v->pre, k->pre) != 0)
                return true;
            return fail(why, v, c, " is equal to ", "");
        }
    }
    if (gotk_semver_equal(v, k))
        return fail(why, v, c, " is equal to ", "");
    return true;
}

/* constraintGreaterThan: a wildcard demands a higher major (">1.x") or
 * minor (">1.2.x") rather than a higher version. */
static bool check_gt(const gotk_semver *v, const constraint *c, gotk_buf *why)
{
    const gotk_semver *k = c->con;
    const char *msg = " is less than or equal to ";
    if (!c->dirty)
        return gotk_semver_compare(v, k) == 1 ? true : fail(why, v, c, msg, "");
    if (v->major > k->major)
        return true;
    if (v->major < k->major || c->minor_dirty)
        return fail(why, v, c, msg, "");
    if (c->patch_dirty)
        return v->minor > k->minor ? true : fail(why, v, c, msg, "");
    /* only the major was a wildcard ("*"), so k is 0.0.0[-pre] */
    return gotk_semver_compare(v, k) == 1 ? true : fail(why, v, c, msg, "");
}

/* constraintLessThan */
static bool check_lt(const gotk_semver *v, const constraint *c, gotk_buf *why)
{
    if (gotk_semver_compare(v, c->con) < 0)
        return true;
    return fail(why, v, c, " is greater than or equal to ", "");
}

/* constraintGreaterThanEqual */
static bool check_ge(const gotk_semver *v, const constraint *c, gotk_buf *why)
{
    if (gotk_semver_compare(v, c->con) >= 0)
        return true;
    return fail(why, v, c, " is less than ", "");
}

/* constraintLessThanEqual: with a wildcard, anything up to the end of the
 * wildcarded range passes. */
static bool check_le(const gotk_semver *v, const constraint *c, gotk_buf *why)
{
    const gotk_semver *k = c->con;
    const char *msg = " is greater than ";
    if (!c->dirty)
        return gotk_semver_compare(v, k) <= 0 ? true : fail(why, v, c, msg, "");
    if (v->major > k->major)
        return fail(why, v, c, msg, "");
    if (v->major == k->major && v->minor > k->minor && !c->minor_dirty)
        return fail(why, v, c, msg, "");
    return true;
}

/* constraintTilde: >= the version, same major (and minor unless wildcarded);
 * "~0.0.0" without wildcards accepts everything. */
static bool check_tilde(const gotk_semver *v, const constraint *c, gotk_buf *why)
{
    const gotk_semver *k = c->con;
    if (gotk_semver_compare(v, k) < 0)
        return fail(why, v, c, " is less than ", "");
    if (k->major == 0 && k->minor == 0 && k->patch == 0 && !c->minor_dirty && !c->patch_dirty)
        return true;
    if (v->major != k->major)
        return fail(why, v, c, " does not have same major version as ", "");
    if (v->minor != k->minor && !c->minor_dirty)
        return fail(why, v, c, " does not have same major and minor version as ", "");
    return true;
}

/* constraintTildeOrEqual: a wildcard behaves as ~, otherwise equality. */
static bool check_eq(const gotk_semver *v, const constraint *c, gotk_buf *why)
{
    if (c->dirty)
        return check_tilde(v, c, why);
    if (gotk_semver_equal(v, c->con))
        return true;
    return fail(why, v, c, " is not equal to ", "");
}

/* constraintCaret: same major when it is > 0 (or wildcarded); for 0.y same
 * minor; for 0.0.z the same patch. */
static bool check_caret(const gotk_semver *v, const constraint *c, gotk_buf *why)
{
    const gotk_semver *k = c->con;
    if (gotk_semver_compare(v, k) < 0)
        return fail(why, v, c, " is less than ", "");
    if (k->major > 0 || c->minor_dirty) {
        if (v->major == k->major)
            return true;
        return fail(why, v, c, " does not have same major version as ", "");
    }
    if (v->major > 0)
        return fail(why, v, c, " does not have same major version as ", "");
    if (k->minor > 0 || c->patch_dirty) {
        if (v->minor == k->minor)
            return true;
        return fail(why, v, c, " does not have same minor version as ",
                    ". Expected minor versions to match when constraint major version is 0");
    }
    if (v->minor > 0)
        return fail(why, v, c, " does not have same minor version as ", "");
    if (k->patch == v->patch)
        return true;
    return fail(why, v, c, " does not equal ",
                ". Expect version and constraint to equal when major and minor versions are 0");
}

/* constraint.check: the operator's function, after the shared prerelease
 * gate. */
static bool check_one(const gotk_semver *v, const constraint *c, bool include_pre, gotk_buf *why)
{
    static bool (*const fn[])(const gotk_semver *, const constraint *, gotk_buf *) = {
        [OP_EQ] = check_eq, [OP_NE] = check_ne,       [OP_GT] = check_gt,
        [OP_LT] = check_lt, [OP_GE] = check_ge,       [OP_LE] = check_le,
        [OP_TILDE] = check_tilde, [OP_CARET] = check_caret,
    };
    if (*v->pre && !include_pre)
        return fail_pre(why, v);
    return fn[c->kind](v, c, why);
}

bool gotk_semver_constraints_check(const gotk_semver_constraints *cs, const gotk_semver *v)
{
    for (size_t i = 0; i < cs->n; i++) {
        const and_group *g = &cs->groups[i];
        bool inc = cs->include_pre || g->has_pre, ok = true;
        for (size_t j = 0; ok && j < g->n; j++)
            ok = check_one(v, &g->items[j], inc, NULL);
        if (ok)
            return true;
    }
    return false;
}

/* A growing NULL-terminated list of messages. */
typedef struct {
    char **items;
    size_t n;
} reason_list;

/* Append a message (taking ownership), keeping the list NULL-terminated. */
static void reasons_push(reason_list *l, char *msg)
{
    l->items = gotk_xrealloc(l->items, (l->n + 2) * sizeof *l->items);
    l->items[l->n++] = msg;
    l->items[l->n] = NULL;
}

/* Validate one alternative, appending why its constraints fail; the
 * prerelease message is given once across all alternatives. */
static bool validate_group(const gotk_semver_constraints *cs, const and_group *g,
                           const gotk_semver *v, reason_list *out, bool *pre_said)
{
    bool inc = cs->include_pre || g->has_pre, ok = true;
    for (size_t j = 0; j < g->n; j++) {
        gotk_buf why = {0};
        if (!inc && *v->pre) {
            if (!*pre_said) {
                fail_pre(&why, v);
                reasons_push(out, gotk_buf_steal(&why));
                *pre_said = true;
            }
            ok = false;
        } else if (!check_one(v, &g->items[j], inc, &why)) {
            reasons_push(out, gotk_buf_steal(&why));
            ok = false;
        }
        gotk_buf_free(&why);
    }
    return ok;
}

bool gotk_semver_constraints_validate(const gotk_semver_constraints *cs, const gotk_semver *v,
                                      char ***reasons)
{
    reason_list l = {0};
    bool pre_said = false;
    for (size_t i = 0; i < cs->n; i++) {
        if (validate_group(cs, &cs->groups[i], v, &l, &pre_said)) {
            gotk_semver_reasons_free(l.items);
            if (reasons)
                *reasons = NULL;
            return true;
        }
    }
    if (reasons)
        *reasons = l.items;
    else
        gotk_semver_reasons_free(l.items);
    return false;
}

void gotk_semver_reasons_free(char **reasons)
{
    if (!reasons)
        return;
    for (char **p = reasons; *p; p++)
        free(*p);
    free(reasons);
}
