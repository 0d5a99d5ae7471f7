/*
 * load.c: reading a chart's files from a directory (filtered by .helmignore,
 * pkg/ignore's rules) or from a gzip'd tarball (libarchive), with the checks
 * loader.LoadArchiveFiles makes on entry names.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helm_int.h"

/* ---- .helmignore (pkg/ignore) ------------------------------------------- */

typedef struct {
    char *rule;
    bool negate, must_dir, base_only;
} ignore_rule;

typedef struct {
    ignore_rule *v;
    size_t n;
} ignore_rules;

static void ignore_free(ignore_rules *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i].rule);
    free(r->v);
}

/* filepath.Match's ErrBadPattern: an unclosed class or a trailing escape. */
static bool bad_pattern(const char *p)
{
    for (; *p; p++) {
        if (*p == '\\') {
            if (!*++p)
                return true;
        } else if (*p == '[') {
            p++;
            if (*p == '^')
                p++;
            if (*p == ']' || *p == '-')
                return true; /* Go's getEsc refuses both at a range's start */
            while (*p && *p != ']') {
                if (*p == '\\' && !*++p)
                    return true;
                p++;
            }
            if (!*p)
                return true;
        }
    }
    return false;
}

static gotk_err *ignore_parse_rule(ignore_rules *r, const char *line, size_t len)
{
    while (len && strchr(" \t\r\n\v\f", line[0]))
        line++, len--;
    while (len && strchr(" \t\r\n\v\f", line[len - 1]))
        len--;
    if (!len || line[0] == '#')
        return NULL;
    char *rule = gotk_xstrndup(line, len);
    if (strstr(rule, "**")) {
        free(rule);
        return gotk_err_new(GOTK_E_INVALID, "double-star (**) syntax is not supported");
    }
    if (bad_pattern(rule)) {
        free(rule);
        return gotk_err_new(GOTK_E_INVALID, "syntax error in pattern");
    }
    ignore_rule p = {0};
    char *s = rule;
    if (*s == '!')
        p.negate = true, s++;
    size_t n = strlen(s);
    if (n && s[n - 1] == '/')
        p.must_dir = true, s[--n] = 0;
    if (*s == '/')
        s++;
    else
        p.base_only = !strchr(s, '/');
    p.rule = gotk_xstrdup(s);
    free(rule);
    r->v = gotk_xrealloc(r->v, (r->n + 1) * sizeof *r->v);
    r->v[r->n++] = p;
    return NULL;
}

static bool ignore_match(const ignore_rules *r, const char *path, bool is_dir)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    for (size_t i = 0; i < r->n; i++) {
        const ignore_rule *p = &r->v[i];
        bool m = helm_path_match(p->rule, p->base_only ? base : path);
        if (p->negate) {
            /* pkg/ignore: a negated rule ignores whatever it does not match */
            if ((p->must_dir && !is_dir) || !m)
                return true;
            continue;
        }
        if (p->must_dir && !is_dir)
            continue;
        if (m)
            return true;
    }
    return false;
}

/* ---- directories --------------------------------------------------------- */

static int cmp_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static void strip_bom(const char **data, size_t *len)
{
    if (*len >= 3 && !memcmp(*data, "\xEF\xBB\xBF", 3))
        *data += 3, *len -= 3;
}

/* Walk `dir` (chart-relative `rel`) in lexical order, as filepath.Walk. */
/* sympath.Walk's log of a symbolic link it follows (the chart's path as
 * given, made absolute, then the link's target fully resolved). */
static void log_symlink(const char *shown_root, const char *rel, const char *full)
{
    char target[PATH_MAX];
    if (realpath(full, target))
        helm_warnf("walk.go:75: found symbolic link in path: %s/%s resolves to %s. Contents of "
                   "linked file included and used", shown_root, rel, target);
}

static gotk_err *walk(const char *dir, const char *rel, const ignore_rules *rules, helm_files *fs,
                      const char *shown_root)
{
    struct dirent **ents;
    int n = scandir(dir, &ents, NULL, cmp_name);
    if (n < 0)
        return gotk_err_errno(errno, "open %s", dir);
    gotk_err *e = NULL;
    for (int i = 0; i < n; i++) {
        const char *nm = ents[i]->d_name;
        if (e || !strcmp(nm, ".") || !strcmp(nm, ".."))
            continue;
        char *full = gotk_xasprintf("%s/%s", dir, nm);
        char *r = *rel ? gotk_xasprintf("%s/%s", rel, nm) : gotk_xstrdup(nm);
        struct stat st;
        if (lstat(full, &st) == 0 && S_ISLNK(st.st_mode))
            log_symlink(shown_root, r, full);
        if (stat(full, &st) != 0) {
            e = gotk_err_errno(errno, "stat %s", full);
        } else if (S_ISDIR(st.st_mode)) {
            if (!ignore_match(rules, r, true))
                e = walk(full, r, rules, fs, shown_root);
        } else if (!ignore_match(rules, r, false)) {
            if (!S_ISREG(st.st_mode)) {
                e = gotk_err_new(GOTK_E_INVALID,
                                 "cannot load irregular file %s as it has file mode type bits set",
                                 full);
            } else {
                char *data;
                size_t len;
                e = gotk_file_read(full, &data, &len);
                if (e) {
                    e = gotk_err_wrap(e, "error reading %s", r);
                } else {
                    const char *d = data;
                    strip_bom(&d, &len);
                    e = helm_files_add(fs, r, d, len);
                    free(data);
                }
            }
        }
        free(full);
        free(r);
    }
    for (int i = 0; i < n; i++)
        free(ents[i]);
    free(ents);
    return e;
}

static gotk_err *load_dir(const char *dir, const char *shown_root, gotk_helm_chart **out)
{
    ignore_rules rules = {0};
    char *ifile = gotk_xasprintf("%s/.helmignore", dir);
    char *text = NULL;
    size_t len = 0;
    gotk_err *e = NULL;
    if (access(ifile, F_OK) == 0)
        e = gotk_file_read(ifile, &text, &len);
    free(ifile);
    const char *p = text;
    if (text)
        strip_bom(&p, &len);
    for (const char *end = p + len; !e && p && p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        e = ignore_parse_rule(&rules, p, l);
        p += l + (nl != NULL);
    }
    free(text);
    if (!e)
        e = ignore_parse_rule(&rules, "templates/.?*", 13);
    helm_files fs = {0};
    if (!e)
        e = walk(dir, "", &rules, &fs, shown_root);
    if (!e)
        e = helm_load_files(&fs, out);
    helm_files_free(&fs);
    ignore_free(&rules);
    return e;
}

/* ---- archives ------------------------------------------------------------ */

/* path.Clean for a relative slash path. Caller frees. */
static char *clean_path(const char *p)
{
    size_t n = strlen(p);
    char **parts = gotk_xcalloc(n + 1, sizeof *parts);
    size_t np = 0;
    bool abs = *p == '/';
    char *copy = gotk_xstrdup(p), *save = NULL;
    for (char *t = strtok_r(copy, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
        if (!strcmp(t, "."))
            continue;
        if (!strcmp(t, "..") && np && strcmp(parts[np - 1], ".."))
            np--;
        else if (!(abs && !strcmp(t, "..") && !np))
            parts[np++] = t;
    }
    gotk_buf b = {0};
    if (abs)
        gotk_buf_putc(&b, '/');
    for (size_t i = 0; i < np; i++) {
        if (i)
            gotk_buf_putc(&b, '/');
        gotk_buf_puts(&b, parts[i]);
    }
    if (!b.len)
        gotk_buf_putc(&b, '.');
    free(parts);
    free(copy);
    return gotk_buf_steal(&b);
}

/* The chart-relative name of a tar entry, or an error as Helm's. */
static gotk_err *entry_name(const char *hd, char **out)
{
    *out = NULL;
    char delim = strchr(hd, '\\') ? '\\' : '/';
    const char *first = strchr(hd, delim);
    if (!strncmp(hd, "Chart.yaml", 10) && (hd[10] == delim || !hd[10]))
        return gotk_err_new(GOTK_E_INVALID, "chart yaml not in base directory");
    char *n = gotk_xstrdup(first ? first + 1 : "");
    for (char *q = n; *q; q++)
        if (*q == '\\')
            *q = '/';
    if (*n == '/') {
        free(n);
        return gotk_err_new(GOTK_E_INVALID, "chart illegally contains absolute paths");
    }
    char *c = clean_path(n);
    free(n);
    if (!strcmp(c, ".")) {
        free(c);
        gotk_buf q = {0};
        helm_go_quote(&q, hd, strlen(hd));
        gotk_err *e = gotk_err_new(GOTK_E_INVALID,
                                   "chart illegally contains content outside the base directory: %s",
                                   q.data);
        gotk_buf_free(&q);
        return e;
    }
    if (!strncmp(c, "..", 2)) {
        free(c);
        return gotk_err_new(GOTK_E_INVALID, "chart illegally references parent directory");
    }
    if (((c[0] >= 'a' && c[0] <= 'z') || (c[0] >= 'A' && c[0] <= 'Z')) && c[1] == ':') {
        free(c);
        return gotk_err_new(GOTK_E_INVALID, "chart contains illegally named files");
    }
    *out = c;
    return NULL;
}

static gotk_err *read_entries(struct archive *a, helm_files *fs)
{
    struct archive_entry *ent;
    int r;
    while ((r = archive_read_next_header(a, &ent)) == ARCHIVE_OK) {
        if (archive_entry_filetype(ent) == AE_IFDIR)
            continue;
        const char *hd = archive_entry_pathname(ent);
        char *name;
        gotk_err *e = entry_name(hd ? hd : "", &name);
        if (e)
            return e;
        gotk_buf b = {0};
        char chunk[65536];
        la_ssize_t got;
        while ((got = archive_read_data(a, chunk, sizeof chunk)) > 0)
            gotk_buf_append(&b, chunk, (size_t)got);
        if (got < 0) {
            free(name);
            gotk_buf_free(&b);
            return gotk_err_new(GOTK_E_INVALID, "%s", archive_error_string(a));
        }
        const char *d = b.data ? b.data : "";
        size_t len = b.len;
        strip_bom(&d, &len);
        e = helm_files_add(fs, name, d, len);
        free(name);
        gotk_buf_free(&b);
        if (e)
            return e;
    }
    if (r != ARCHIVE_EOF)
        return gotk_err_new(GOTK_E_INVALID, "%s", archive_error_string(a));
    return NULL;
}

static gotk_err *load_archive(const void *data, size_t len, gotk_helm_chart **out)
{
    *out = NULL;
    if (len < 2 || ((const unsigned char *)data)[0] != 0x1f ||
        ((const unsigned char *)data)[1] != 0x8b)
        return gotk_err_new(GOTK_E_INVALID, "gzip: invalid header");
    struct archive *a = archive_read_new();
    archive_read_support_filter_gzip(a);
    archive_read_support_format_tar(a);
    gotk_err *e = NULL;
    helm_files fs = {0};
    if (archive_read_open_memory(a, data, len) != ARCHIVE_OK)
        e = gotk_err_new(GOTK_E_INVALID, "%s", archive_error_string(a));
    if (!e)
        e = read_entries(a, &fs);
    archive_read_free(a);
    if (!e && fs.n == 0)
        e = gotk_err_new(GOTK_E_INVALID, "no files in chart archive");
    if (!e)
        e = helm_load_files(&fs, out);
    helm_files_free(&fs);
    return e;
}

/* Helm's log while loading goes with the chart (gotk_helm_render prints it),
 * unless an outer load or render collects it already. */
static gotk_buf *log_begin(gotk_buf *log)
{
    gotk_buf *prev = helm_warn_sink(NULL);
    helm_warn_sink(prev ? prev : log);
    return prev;
}

static void log_end(gotk_buf *prev, gotk_buf *log, gotk_helm_chart *c)
{
    helm_warn_sink(prev);
    if (c && log->len)
        c->load_log = gotk_buf_steal(log);
    gotk_buf_free(log);
}

gotk_err *gotk_helm_load_archive(const void *data, size_t len, gotk_helm_chart **out)
{
    gotk_buf log = {0}, *prev = log_begin(&log);
    gotk_err *e = load_archive(data, len, out);
    log_end(prev, &log, *out);
    return e;
}

/* http.DetectContentType of the first 512 bytes read into a zeroed buffer,
 * as far as a chart file goes: shorter files look binary (the zeros). */
static const char *content_type(const char *data, size_t len)
{
    if (len < 512)
        return "application/octet-stream";
    for (size_t i = 0; i < 512; i++) {
        unsigned char c = (unsigned char)data[i];
        if (c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1A) || (c >= 0x1C && c <= 0x1F))
            return "application/octet-stream";
    }
    return "text/plain; charset=utf-8";
}

static gotk_err *load_file(const char *path, gotk_helm_chart **out)
{
    char *data;
    size_t len;
    gotk_err *e = gotk_file_read(path, &data, &len);
    if (e)
        return e;
    if (len < 2 || (unsigned char)data[0] != 0x1f || (unsigned char)data[1] != 0x8b) {
        size_t pl = strlen(path);
        bool yaml = (pl > 4 && !strcmp(path + pl - 4, ".yml")) ||
                    (pl > 5 && !strcmp(path + pl - 5, ".yaml"));
        const char *type = content_type(data, len);
        free(data);
        if (yaml)
            return gotk_err_new(GOTK_E_INVALID,
                                "file '%s' seems to be a YAML file, but expected a gzipped archive",
                                path);
        return gotk_err_new(GOTK_E_INVALID,
                            "file '%s' does not appear to be a gzipped archive; got '%s'", path,
                            type);
    }
    e = gotk_helm_load_archive(data, len, out);
    free(data);
    return e;
}

/* ChartPathOptions.LocateChart's answers for a chart that is not a local
 * path (repositories are not consulted: gotk renders local charts). */
static gotk_err *locate_error(const char *path)
{
    if (path[0] == '/' || path[0] == '.') {
        gotk_buf q = {0};
        helm_go_quote(&q, path, strlen(path));
        gotk_err *e = gotk_err_new(GOTK_E_NOTFOUND, "path %s not found", q.data);
        gotk_buf_free(&q);
        return e;
    }
    if (!strncmp(path, "oci://", 6))
        return gotk_err_new(GOTK_E_NOTFOUND, "%s: OCI charts are not fetched by gotk", path);
    const char *slash = strchr(path, '/');
    if (slash)
        return gotk_err_new(GOTK_E_NOTFOUND, "repo %.*s not found", (int)(slash - path), path);
    return gotk_err_new(GOTK_E_NOTFOUND,
                        "non-absolute URLs should be in form of repo_name/path_to_chart, got: %s",
                        path);
}

/* filepath.Abs: the path joined to the working directory and cleaned
 * (symbolic links left as they are). */
static char *go_abs(const char *path)
{
    char cwd[PATH_MAX];
    char *joined = path[0] == '/' || !getcwd(cwd, sizeof cwd) ? gotk_xstrdup(path)
                                                              : gotk_xasprintf("%s/%s", cwd, path);
    char *clean = clean_path(joined);
    free(joined);
    return clean;
}

gotk_err *gotk_helm_load(const char *path, gotk_helm_chart **out)
{
    struct stat st;
    *out = NULL;
    if (stat(path, &st) != 0)
        return locate_error(path);
    char abs[PATH_MAX];
    if (!realpath(path, abs))
        return gotk_err_errno(errno, "%s", path);
    gotk_buf log = {0}, *prev = log_begin(&log);
    char *shown = go_abs(path);
    gotk_err *e = S_ISDIR(st.st_mode) ? load_dir(abs, shown, out) : load_file(abs, out);
    free(shown);
    log_end(prev, &log, *out);
    return e;
}
