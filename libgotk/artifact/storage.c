/*
 * Artifact storage: where artifacts live, their URLs, the `latest` link,
 * garbage collection and removal, following fluxcd/pkg artifact/storage.
 *
 * Paths are `<lower(kind)>/<namespace>/<name>/<file>` relative to the storage
 * base. A relative path from an object's status is joined to the base only
 * after a lexical clean in which `..` may not climb above the base, so a
 * crafted status cannot point outside storage.
 *
 * Garbage collection looks at the regular files in the artifact's directory
 * (not symlinks, not `.lock` files), never removes the current artifact,
 * removes every other file older than the TTL, and then the oldest until at
 * most `records` files remain (the current one included). A file's age is its
 * modification time, as in Flux.
 */
#include "gotk/artifact.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* "<lower(kind)>/<ns>/<name>/<file>". */
char *gotk_artifact_path(const char *kind, const char *ns, const char *name, const char *file)
{
    char *k = gotk_xstrdup(kind);
    for (char *p = k; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    char *out = gotk_xasprintf("%s/%s/%s/%s", k, ns, name, file);
    free(k);
    return out;
}

/* Clean rel lexically; NULL if `..` would leave the root. Caller frees. */
static char *clean_rel(const char *rel)
{
    size_t cap = strlen(rel) + 1, len = 0;
    char *out = gotk_xmalloc(cap);
    out[0] = '\0';
    const char *p = rel;
    while (*p) {
        while (*p == '/')
            p++;
        const char *q = p;
        while (*q && *q != '/')
            q++;
        size_t n = (size_t)(q - p);
        if (n == 0 || (n == 1 && p[0] == '.')) {
            /* skip */
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            char *slash = strrchr(out, '/');
            if (len == 0) {
                free(out);
                return NULL;
            }
            len = slash ? (size_t)(slash - out) : 0;
            out[len] = '\0';
        } else {
            if (len)
                out[len++] = '/';
            memcpy(out + len, p, n);
            len += n;
            out[len] = '\0';
        }
        p = q;
    }
    return out;
}

/* The artifact's file under base, or NULL when rel leaves base. */
char *gotk_artifact_local_path(const char *base, const char *rel)
{
    if (!rel || !*rel)
        return NULL;
    char *c = clean_rel(rel);
    if (!c)
        return NULL;
    if (!*c) {
        free(c);
        return NULL;
    }
    char *out = gotk_xasprintf("%s/%s", base, c);
    free(c);
    return out;
}

/* "http://<adv>/<rel>" (Flux's SetArtifactURL). */
char *gotk_artifact_url(const char *adv_addr, const char *rel)
{
    while (*rel == '/')
        rel++;
    bool has_scheme = !strncmp(adv_addr, "http://", 7) || !strncmp(adv_addr, "https://", 8);
    return has_scheme ? gotk_xasprintf("%s/%s", adv_addr, rel)
                      : gotk_xasprintf("http://%s/%s", adv_addr, rel);
}

/* The directory part of a path. Caller frees. */
static char *dir_part(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? gotk_xstrndup(path, (size_t)(slash - path)) : gotk_xstrdup(".");
}

/* Point <dir>/<linkname> at the artifact, replacing any old link atomically. */
gotk_err *gotk_artifact_symlink(const char *base, const char *rel, const char *linkname)
{
    char *local = gotk_artifact_local_path(base, rel);
    if (!local)
        return gotk_err_new(GOTK_E_INVALID, "invalid artifact path '%s'", rel);
    char *dir = dir_part(local);
    const char *file = strrchr(local, '/') + 1;
    char *link = gotk_xasprintf("%s/%s", dir, linkname);
    char *tmp = gotk_xasprintf("%s.tmp-%ld", link, (long)getpid());
    gotk_err *e = NULL;
    unlink(tmp);
    if (symlink(file, tmp) != 0)
        e = gotk_err_errno(errno, "symlink %s", tmp);
    else if (rename(tmp, link) != 0) {
        e = gotk_err_errno(errno, "rename %s %s", tmp, link);
        unlink(tmp);
    }
    free(tmp);
    free(link);
    free(dir);
    free(local);
    return e;
}

typedef struct {
    char *path;
    time_t mtime;
    long nsec;
} gc_file;

static int cmp_age(const void *x, const void *y)
{
    const gc_file *a = x, *b = y;
    if (a->mtime != b->mtime)
        return a->mtime < b->mtime ? -1 : 1;
    if (a->nsec != b->nsec)
        return a->nsec < b->nsec ? -1 : 1;
    return strcmp(a->path, b->path);
}

/* Regular, non-lock files of dir, oldest first. */
static gotk_err *list_artifacts(const char *dir, gc_file **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return NULL;
        return gotk_err_errno(errno, "open %s", dir);
    }
    size_t n = 0, cap = 8;
    gc_file *v = gotk_xmalloc(cap * sizeof *v);
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len >= 5 && !strcmp(de->d_name + len - 5, ".lock"))
            continue;
        char *p = gotk_xasprintf("%s/%s", dir, de->d_name);
        struct stat st;
        if (lstat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(p);
            continue;
        }
        if (n == cap) {
            cap *= 2;
            v = gotk_xrealloc(v, cap * sizeof *v);
        }
        v[n++] = (gc_file){p, st.st_mtim.tv_sec, st.st_mtim.tv_nsec};
    }
    closedir(d);
    qsort(v, n, sizeof *v, cmp_age);
    *out = v;
    *count = n;
    return NULL;
}

/* Remove a garbage file and its lock file, if any. */
static gotk_err *remove_garbage(const char *path)
{
    if (unlink(path) != 0 && errno != ENOENT)
        return gotk_err_errno(errno, "remove %s", path);
    char *lock = gotk_xasprintf("%s.lock", path);
    unlink(lock);
    free(lock);
    return NULL;
}

/* Garbage-collect the artifact's directory (see the file comment). */
gotk_err *gotk_artifact_gc(const char *base, const char *rel, int records, gotk_duration ttl,
                           size_t *deleted)
{
    if (deleted)
        *deleted = 0;
    char *local = gotk_artifact_local_path(base, rel);
    if (!local)
        return gotk_err_new(GOTK_E_INVALID, "invalid artifact path '%s'", rel);
    char *dir = dir_part(local);
    gc_file *files;
    size_t n;
    gotk_err *e = list_artifacts(dir, &files, &n);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    size_t remaining = n, removed = 0;
    for (size_t i = 0; !e && i < n; i++) {
        if (!strcmp(files[i].path, local))
            continue;
        gotk_duration age = (gotk_duration)(now.tv_sec - files[i].mtime) * GOTK_SECOND +
                            (now.tv_nsec - files[i].nsec);
        bool expired = age > ttl;
        bool too_many = records > 0 && remaining > (size_t)records;
        if (!expired && !too_many)
            continue;
        e = remove_garbage(files[i].path);
        if (!e) {
            remaining--;
            removed++;
        }
    }
    for (size_t i = 0; i < n; i++)
        free(files[i].path);
    free(files);
    free(dir);
    free(local);
    if (deleted)
        *deleted = removed;
    return e ? gotk_err_wrap(e, "garbage collection of '%s'", rel) : NULL;
}

/* Remove `<base>/<lower(kind)>/<ns>/<name>` and everything in it. */
gotk_err *gotk_artifact_remove_all(const char *base, const char *kind, const char *ns,
                                   const char *name)
{
    if (!*ns || !*name || strchr(ns, '/') || strchr(name, '/') || !strcmp(ns, "..") ||
        !strcmp(name, ".."))
        return gotk_err_new(GOTK_E_INVALID, "invalid object %s/%s", ns, name);
    char *rel = gotk_artifact_path(kind, ns, name, "");
    char *dir = gotk_xasprintf("%s/%s", base, rel);
    dir[strlen(dir) - 1] = '\0';
    gotk_err *e = gotk_file_remove_all(dir);
    free(dir);
    free(rel);
    return e;
}
