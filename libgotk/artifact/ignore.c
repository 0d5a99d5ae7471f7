/*
 * Ignore rules: gitignore patterns matched the way Flux matches them (go-git's
 * plumbing/format/gitignore, as vendored by fluxcd/pkg sourceignore).
 *
 * A pattern is parsed into: a domain (the directory components it is scoped
 * to), its own components split on `/`, and three flags: inclusion (`!`),
 * directory-only (trailing `/`) and glob (a `/` anywhere else, which anchors
 * it to its domain). A path, split into components, is matched like this:
 *  - it must lie strictly below the domain;
 *  - a non-glob pattern matches if any one component matches it (so `*.png`
 *    excludes `a.png/inner` too); directory-only patterns cannot match a last
 *    component that is a file;
 *  - a glob pattern matches its components against the leading components of
 *    the path, `**` skipping any number of them, and a match of a prefix is a
 *    match (so `/deploy` covers everything under deploy/).
 * The matcher tries patterns from the highest priority (added last) down and
 * the first that matches decides: exclude, or include for `!` patterns.
 * Component matching is Go's filepath.Match (`*`, `?`, `[...]` with `^`
 * negation and ranges, `\` escapes; a malformed pattern matches nothing).
 *
 * gotk_ignore_load_dir reproduces sourceignore.LoadIgnorePatterns plus the
 * default selection source-controller makes (see gotk/artifact.h).
 */
#include "gotk/artifact.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    char **domain;
    size_t ndomain;
    char **parts;
    bool *valid; /* per part: well-formed for Go's Match (a bad one never matches) */
    size_t nparts;
    bool inclusion, dir_only, is_glob;
} pattern;

struct gotk_ignore {
    pattern *pats;
    size_t n, cap;
};

/* Split s on '/' into a new array of new strings; "" gives one empty part
 * unless skip_empty is set (then empty parts are dropped). */
static char **split_slash(const char *s, bool skip_empty, size_t *count)
{
    size_t cap = 4, n = 0;
    char **v = gotk_xmalloc(cap * sizeof *v);
    const char *p = s;
    for (;;) {
        const char *q = strchr(p, '/');
        size_t len = q ? (size_t)(q - p) : strlen(p);
        if (len > 0 || !skip_empty) {
            if (n == cap) {
                cap *= 2;
                v = gotk_xrealloc(v, cap * sizeof *v);
            }
            v[n++] = gotk_xstrndup(p, len);
        }
        if (!q)
            break;
        p = q + 1;
    }
    *count = n;
    return v;
}

/* Free an array made by split_slash. */
static void free_parts(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* A new empty matcher. */
gotk_ignore *gotk_ignore_new(void)
{
    return gotk_xcalloc(1, sizeof(gotk_ignore));
}

/* Free the matcher and its patterns. */
void gotk_ignore_free(gotk_ignore *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free_parts(m->pats[i].domain, m->pats[i].ndomain);
        free_parts(m->pats[i].parts, m->pats[i].nparts);
        free(m->pats[i].valid);
    }
    free(m->pats);
    free(m);
}

/* How many patterns the matcher holds. */
size_t gotk_ignore_count(const gotk_ignore *m)
{
    return m ? m->n : 0;
}

/* Does any pattern re-include (`!`)? */
bool gotk_ignore_has_negation(const gotk_ignore *m)
{
    for (size_t i = 0; m && i < m->n; i++)
        if (m->pats[i].inclusion)
            return true;
    return false;
}

static bool pattern_valid(const char *p);

/* Parse one pattern (go-git's ParsePattern) and append it. */
void gotk_ignore_add(gotk_ignore *m, const char *text, const char *domain)
{
    pattern p = {0};
    size_t len = strlen(text);
    const char *s = text;
    if (len > 0 && s[0] == '!') {
        p.inclusion = true;
        s++;
        len--;
    }
    char *buf = gotk_xstrndup(s, len);
    bool escaped_space = len >= 2 && buf[len - 2] == '\\' && buf[len - 1] == ' ';
    if (!escaped_space)
        while (len > 0 && buf[len - 1] == ' ')
            buf[--len] = '\0';
    if (len > 0 && buf[len - 1] == '/') {
        p.dir_only = true;
        buf[--len] = '\0';
    }
    p.is_glob = strchr(buf, '/') != NULL;
    p.parts = split_slash(buf, false, &p.nparts);
    p.valid = gotk_xcalloc(p.nparts, sizeof *p.valid);
    for (size_t i = 0; i < p.nparts; i++)
        p.valid[i] = pattern_valid(p.parts[i]);
    free(buf);
    p.domain = split_slash(domain ? domain : "", true, &p.ndomain);
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->pats = gotk_xrealloc(m->pats, m->cap * sizeof *m->pats);
    }
    m->pats[m->n++] = p;
}

/* Add each non-comment, non-blank line of a gitignore text. */
size_t gotk_ignore_add_lines(gotk_ignore *m, const char *text, size_t len, const char *domain)
{
    size_t added = 0, i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && text[j] != '\n')
            j++;
        size_t end = j;
        if (end > i && text[end - 1] == '\r')
            end--;
        char *line = gotk_xstrndup(text + i, end - i);
        bool blank = strspn(line, " \t\r\v\f") == strlen(line);
        if (line[0] != '#' && !blank) {
            gotk_ignore_add(m, line, domain);
            added++;
        }
        free(line);
        i = j + 1;
    }
    return added;
}

/* Add a comma-separated pattern list at the root. */
void gotk_ignore_add_list(gotk_ignore *m, const char *csv)
{
    char *copy = gotk_xstrdup(csv), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
        gotk_ignore_add(m, t, NULL);
    free(copy);
}

/* ---- Go's filepath.Match on one component ------------------------------ */

/* Decode one UTF-8 rune at *s (advancing it); invalid bytes count as one. */
static unsigned decode_rune(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    unsigned c = p[0];
    if (c < 0x80) {
        *s += 1;
        return c;
    }
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    unsigned r = n == 1 ? c : n == 2 ? (c & 0x1f) : n == 3 ? (c & 0x0f) : (c & 0x07);
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            *s += 1;
            return c;
        }
        r = (r << 6) | (p[i] & 0x3f);
    }
    *s += n;
    return r;
}

/* Read one class character (with `\` escape) at *p; false if malformed. */
static bool class_char(const char **p, unsigned *out)
{
    if (**p == '\0' || **p == '-' || **p == ']')
        return false;
    if (**p == '\\') {
        (*p)++;
        if (**p == '\0')
            return false;
    }
    *out = decode_rune(p);
    return true;
}

/* Match a `[...]` class at *p (just past '[') against rune r; sets *ok. */
static bool match_class(const char **p, unsigned r, bool *ok)
{
    bool negated = false, matched = false;
    int nrange = 0;
    if (**p == '^') {
        negated = true;
        (*p)++;
    }
    for (;;) {
        if (**p == ']' && nrange > 0) {
            (*p)++;
            break;
        }
        unsigned lo, hi;
        if (!class_char(p, &lo))
            return false;
        hi = lo;
        if (**p == '-') {
            (*p)++;
            if (!class_char(p, &hi))
                return false;
        }
        if (lo <= r && r <= hi)
            matched = true;
        nrange++;
    }
    *ok = matched != negated;
    return true;
}

/* Is the pattern well-formed for Go's Match? */
static bool pattern_valid(const char *p)
{
    while (*p) {
        if (*p == '\\') {
            if (*++p == '\0')
                return false;
            decode_rune(&p);
        } else if (*p == '[') {
            p++;
            bool ok;
            if (!match_class(&p, 0, &ok))
                return false;
        } else {
            decode_rune(&p);
        }
    }
    return true;
}

/* Backtracking matcher for `*`, `?`, classes and escapes (no separators). */
static bool glob_here(const char *p, const char *s)
{
    while (*p) {
        if (*p == '*') {
            while (*p == '*')
                p++;
            if (!*p)
                return true;
            for (const char *t = s;;) {
                if (glob_here(p, t))
                    return true;
                if (!*t)
                    return false;
                decode_rune(&t);
            }
        }
        if (!*s)
            return false;
        unsigned r = decode_rune(&s);
        if (*p == '?') {
            p++;
        } else if (*p == '[') {
            p++;
            bool ok = false;
            if (!match_class(&p, r, &ok) || !ok)
                return false;
        } else {
            if (*p == '\\')
                p++;
            if (decode_rune(&p) != r)
                return false;
        }
    }
    return *s == '\0';
}

/* Go's filepath.Match of part i of the pattern against one path component. */
static bool name_match(const pattern *p, size_t i, const char *name)
{
    return p->valid[i] && glob_here(p->parts[i], name);
}

/* ---- pattern matching ---------------------------------------------------- */

/* A non-glob pattern: any component may match. */
static bool simple_match(const pattern *p, char **path, size_t n, bool is_dir)
{
    for (size_t i = 0; i < n; i++) {
        if (!name_match(p, 0, path[i]))
            continue;
        if (p->dir_only && !is_dir && i == n - 1)
            return false;
        return true;
    }
    return false;
}

/* A glob pattern, anchored at the domain, `**` spanning directories. */
static bool glob_match(const pattern *p, char **path, size_t n, bool is_dir)
{
    bool matched = false, traverse = false;
    size_t at = 0;
    for (size_t i = 0; i < p->nparts; i++) {
        const char *part = p->parts[i];
        if (part[0] == '\0') {
            traverse = false;
            continue;
        }
        if (strcmp(part, "**") == 0) {
            if (i == p->nparts - 1)
                break;
            traverse = true;
            continue;
        }
        if (strstr(part, "**"))
            return false;
        if (at >= n)
            return false;
        if (traverse) {
            traverse = false;
            while (at < n) {
                const char *e = path[at++];
                if (name_match(p, i, e)) {
                    matched = true;
                    break;
                } else if (at == n) {
                    matched = false;
                }
            }
        } else {
            if (!name_match(p, i, path[at]))
                return false;
            matched = true;
            at++;
        }
    }
    if (matched && p->dir_only && !is_dir && at == n)
        matched = false;
    return matched;
}

/* 0: no match, 1: exclude, 2: include. */
static int pattern_match(const pattern *p, char **path, size_t n, bool is_dir)
{
    if (n <= p->ndomain)
        return 0;
    for (size_t i = 0; i < p->ndomain; i++)
        if (strcmp(path[i], p->domain[i]) != 0)
            return 0;
    path += p->ndomain;
    n -= p->ndomain;
    bool ok = p->is_glob ? glob_match(p, path, n, is_dir) : simple_match(p, path, n, is_dir);
    if (!ok)
        return 0;
    return p->inclusion ? 2 : 1;
}

/* Is the relative path excluded? The last matching pattern decides. */
bool gotk_ignore_match(const gotk_ignore *m, const char *path, bool is_dir)
{
    if (!m || m->n == 0)
        return false;
    size_t n = 0;
    char **parts = split_slash(path, true, &n);
    bool excluded = false;
    for (size_t i = m->n; i-- > 0;) {
        int r = pattern_match(&m->pats[i], parts, n, is_dir);
        if (r) {
            excluded = r == 1;
            break;
        }
    }
    free_parts(parts, n);
    return excluded;
}

/* ---- loading a checkout's rules ------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read `<dir>/.sourceignore` if it exists, scoped to `domain`. */
static gotk_err *read_ignore_file(gotk_ignore *m, const char *dir, const char *domain)
{
    char *path = gotk_xasprintf("%s/%s", dir, GOTK_IGNORE_FILE);
    char *data = NULL;
    size_t len = 0;
    gotk_err *e = gotk_file_read(path, &data, &len);
    free(path);
    if (e) {
        if (gotk_err_code_of(e) == GOTK_E_NOTFOUND) {
            gotk_err_free(e);
            return NULL;
        }
        return e;
    }
    gotk_ignore_add_lines(m, data, len, domain);
    free(data);
    return NULL;
}

/* The names of the subdirectories of dir (not .git, not symlinks), sorted. */
static gotk_err *list_subdirs(const char *dir, char ***out, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d)
        return gotk_err_errno(errno, "open %s", dir);
    size_t n = 0, cap = 8;
    char **v = gotk_xmalloc(cap * sizeof *v);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || !strcmp(de->d_name, ".git"))
            continue;
        bool is_dir = de->d_type == DT_DIR;
        if (de->d_type == DT_UNKNOWN) {
            struct stat st;
            char *p = gotk_xasprintf("%s/%s", dir, de->d_name);
            is_dir = lstat(p, &st) == 0 && S_ISDIR(st.st_mode);
            free(p);
        }
        if (!is_dir)
            continue;
        if (n == cap) {
            cap *= 2;
            v = gotk_xrealloc(v, cap * sizeof *v);
        }
        v[n++] = gotk_xstrdup(de->d_name);
    }
    closedir(d);
    qsort(v, n, sizeof *v, cmp_str);
    *out = v;
    *count = n;
    return NULL;
}

/* LoadIgnorePatterns: this directory's file, then each subdirectory's. */
static gotk_err *load_tree(gotk_ignore *m, const char *dir, const char *domain)
{
    gotk_err *e = read_ignore_file(m, dir, domain);
    if (e)
        return e;
    char **subs = NULL;
    size_t n = 0;
    if ((e = list_subdirs(dir, &subs, &n)))
        return e;
    for (size_t i = 0; i < n && !e; i++) {
        char *sub = gotk_xasprintf("%s/%s", dir, subs[i]);
        char *subdom = domain[0] ? gotk_xasprintf("%s/%s", domain, subs[i]) : gotk_xstrdup(subs[i]);
        e = load_tree(m, sub, subdom);
        free(sub);
        free(subdom);
    }
    free_parts(subs, n);
    return e;
}

/* Move every pattern of src to the end of dst, emptying src. */
static void append_all(gotk_ignore *dst, gotk_ignore *src)
{
    for (size_t i = 0; i < src->n; i++) {
        if (dst->n == dst->cap) {
            dst->cap = dst->cap ? dst->cap * 2 : 16;
            dst->pats = gotk_xrealloc(dst->pats, dst->cap * sizeof *dst->pats);
        }
        dst->pats[dst->n++] = src->pats[i];
    }
    src->n = 0;
}

/* Flux's matcher from gathered `.sourceignore` patterns (see gotk/artifact.h). */
gotk_ignore *gotk_ignore_compose(gotk_ignore *found, const char *spec_ignore)
{
    if (spec_ignore)
        gotk_ignore_add_lines(found, spec_ignore, strlen(spec_ignore), NULL);
    gotk_ignore *m = gotk_ignore_new();
    gotk_ignore_add_list(m, GOTK_IGNORE_VCS);
    if (found->n == 0) {
        gotk_ignore_add_list(m, GOTK_IGNORE_EXT);
        gotk_ignore_add_list(m, GOTK_IGNORE_CI);
        gotk_ignore_add_list(m, GOTK_IGNORE_EXTRA);
    }
    append_all(m, found);
    return m;
}

/* Flux's matcher for a checkout directory (see gotk/artifact.h). */
gotk_err *gotk_ignore_load_dir(const char *dir, const char *spec_ignore, gotk_ignore **out)
{
    gotk_ignore *found = gotk_ignore_new();
    gotk_err *e = load_tree(found, dir, "");
    if (e) {
        gotk_ignore_free(found);
        return gotk_err_wrap(e, "failed to load source ignore patterns from repository");
    }
    *out = gotk_ignore_compose(found, spec_ignore);
    gotk_ignore_free(found);
    return NULL;
}
