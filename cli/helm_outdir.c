/*
 * helm_outdir.c: helm template --output-dir (see helm_outdir.h).
 *
 * As Helm's writeToFile: each document goes to DIR/SOURCE as
 * "---\n# Source: SOURCE\nDOCUMENT\n"; a file's first manifest creates (or
 * truncates) it, the next ones append. Hooks are written after the manifests
 * and append to any file that already exists, even one from an earlier run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helm_outdir.h"

#define SOURCE_MARK "---\n# Source: "

typedef struct {
    char **v;
    size_t n;
} name_set;

static bool name_set_has(const name_set *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i], name))
            return true;
    return false;
}

static void name_set_add(name_set *s, const char *name)
{
    s->v = gotk_xrealloc(s->v, (s->n + 1) * sizeof *s->v);
    s->v[s->n++] = gotk_xstrdup(name);
}

static void name_set_free(name_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

/* os.MkdirAll(path.Dir(file), 0755) */
static gotk_err *make_parents(const char *file)
{
    char *d = gotk_xstrdup(file);
    for (char *p = d + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(d, 0755) != 0 && errno != EEXIST) {
            gotk_err *e = gotk_err_errno(errno, "mkdir %s", d);
            free(d);
            return e;
        }
        *p = '/';
    }
    free(d);
    return NULL;
}

/* writeToFile: one document to dir/name, appended or in a new file. */
static gotk_err *write_doc(const char *dir, const char *name, const char *data, size_t len,
                           bool append, gotk_buf *out)
{
    char *path = gotk_xasprintf("%s/%s", dir, name);
    gotk_err *e = make_parents(path);
    int fd = -1;
    if (!e) {
        fd = append ? open(path, O_WRONLY | O_APPEND) : open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (fd < 0)
            e = gotk_err_errno(errno, "open %s", path);
    }
    if (!e) {
        gotk_buf b = {0};
        gotk_buf_printf(&b, SOURCE_MARK "%s\n", name);
        gotk_buf_append(&b, data, len);
        gotk_buf_puts(&b, "\n");
        if (write(fd, b.data, b.len) != (ssize_t)b.len)
            e = gotk_err_errno(errno, "write %s", path);
        gotk_buf_free(&b);
    }
    if (fd >= 0)
        close(fd);
    if (!e)
        gotk_buf_printf(out, "wrote %s\n", path);
    free(path);
    return e;
}

/* A CRD's source is CHART/crds/... or CHART/charts/SUB/crds/...: the part
 * before "crds" alternates chart names and "charts". */
static bool is_crd_source(const char *name)
{
    int depth = 0;
    for (const char *p = name; *p;) {
        const char *slash = strchr(p, '/');
        if (!slash)
            return false;
        size_t n = (size_t)(slash - p);
        if (depth % 2 == 1 && n == 4 && !strncmp(p, "crds", 4))
            return true;
        if (depth % 2 == 1 && (n != 6 || strncmp(p, "charts", 6)))
            return false;
        depth++;
        p = slash + 1;
    }
    return false;
}

static gotk_err *write_manifests(const char *manifest, const char *dir, const char *tdir,
                                 gotk_buf *out)
{
    name_set written = {0};
    gotk_err *e = NULL;
    const char *p = strncmp(manifest, SOURCE_MARK, strlen(SOURCE_MARK)) ? NULL : manifest;
    while (p && !e) {
        const char *name = p + strlen(SOURCE_MARK);
        const char *nl = strchr(name, '\n');
        if (!nl)
            break;
        const char *body = nl + 1;
        const char *next = strstr(body, "\n" SOURCE_MARK);
        size_t len = next ? (size_t)(next - body) : strlen(body);
        if (!next && len && body[len - 1] == '\n')
            len--; /* each entry ends with the "\n" Helm added */
        char *n = gotk_xstrndup(name, (size_t)(nl - name));
        e = write_doc(is_crd_source(n) ? dir : tdir, n, body, len, name_set_has(&written, n), out);
        name_set_add(&written, n);
        free(n);
        p = next ? next + 1 : NULL;
    }
    name_set_free(&written);
    return e;
}

gotk_err *helm_outdir_write(const gotk_helm_release *rel, const helm_outdir_opts *o,
                            gotk_buf *out)
{
    char *tdir = o->release_name ? gotk_xasprintf("%s/%s", o->dir, o->release_name)
                                 : gotk_xstrdup(o->dir);
    gotk_err *e = write_manifests(rel->manifest ? rel->manifest : "", o->dir, tdir, out);
    for (size_t i = 0; !e && !o->no_hooks && i < rel->nhooks; i++) {
        const gotk_helm_hook *h = &rel->hooks[i];
        if (o->skip_tests && h->test)
            continue;
        char *path = gotk_xasprintf("%s/%s", tdir, h->path);
        struct stat st;
        bool exists = stat(path, &st) == 0;
        free(path);
        e = write_doc(tdir, h->path, h->manifest, strlen(h->manifest), exists, out);
    }
    free(tdir);
    return e;
}
