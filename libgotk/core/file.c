/*
 * Files: read whole, write atomically, remove trees, create directory paths
 * and temporary directories.
 *
 * Errors name the operation and the path as Go's os package does
 * ("open /etc/nope: No such file or directory"), so callers only add what
 * they were doing.
 *
 * gotk_file_write_atomic writes a temp file next to the target (same
 * directory, hence same filesystem), sets its mode, fsyncs it, renames it over
 * the target and fsyncs the directory: readers see the old content or the new
 * one, never a mix. gotk_file_remove_all walks directories through descriptors
 * opened with O_NOFOLLOW and removes symlinks as links, so it never leaves the
 * tree it was given, even if a directory is swapped for a link under it.
 */
#include "gotk/core.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Read a whole file into a new NUL-terminated buffer; *len excludes the NUL. */
gotk_err *gotk_file_read(const char *path, char **data, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return gotk_err_errno(errno, "open %s", path);
    gotk_buf b = {0};
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;
            close(fd);
            gotk_buf_free(&b);
            return gotk_err_errno(err, "read %s", path);
        }
        if (n == 0)
            break;
        gotk_buf_append(&b, chunk, (size_t)n);
    }
    close(fd);
    *len = b.len;
    *data = gotk_buf_steal(&b);
    return NULL;
}

/* Write all of data to fd, retrying on EINTR and short writes. */
static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The directory part of path ("." when there is none). Caller frees. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return gotk_xstrdup(".");
    if (slash == path)
        return gotk_xstrdup("/");
    return gotk_xstrndup(path, (size_t)(slash - path));
}

/* fsync a directory so a rename in it is durable. Errors are ignored: some
 * filesystems refuse fsync on directories and the data is already safe. */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    (void)fsync(fd);
    close(fd);
}

/* Fill the temp file: mode, data, fsync, close. Returns the failing step's
 * error; the descriptor is closed on every path. */
static gotk_err *fill_temp(int fd, const char *tmp, const void *data, size_t len, int mode)
{
    const char *op = NULL;
    if (fchmod(fd, (mode_t)mode & 07777) < 0)
        op = "chmod";
    else if (write_all(fd, data, len) < 0)
        op = "write";
    else if (fsync(fd) < 0)
        op = "fsync";
    int err = errno;
    if (close(fd) < 0 && !op) {
        op = "close";
        err = errno;
    }
    return op ? gotk_err_errno(err, "%s %s", op, tmp) : NULL;
}

/* Replace path's content atomically with data, giving it `mode`. */
gotk_err *gotk_file_write_atomic(const char *path, const void *data, size_t len, int mode)
{
    char *dir = dir_of(path);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    char *tmp = gotk_xasprintf("%s/.%s.tmp-XXXXXX", dir, base);
    gotk_err *e = NULL;
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        e = gotk_err_errno(errno, "create temp file for %s", path);
        goto out;
    }
    e = fill_temp(fd, tmp, data, len, mode);
    if (!e && rename(tmp, path) < 0)
        e = gotk_err_errno(errno, "rename %s %s", tmp, path);
    if (e)
        unlink(tmp);
    else
        sync_dir(dir);
out:
    free(tmp);
    free(dir);
    return e;
}

static gotk_err *remove_tree_at(int dfd, const char *dpath);

/* Remove one directory entry `name` of dfd (path dpath/name for messages).
 * Directories are emptied first through an O_NOFOLLOW descriptor. */
static gotk_err *remove_entry_at(int dfd, const char *dpath, const char *name)
{
    char *path = gotk_xasprintf("%s/%s", dpath, name);
    gotk_err *e = NULL;
    struct stat st;
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
        if (errno != ENOENT)
            e = gotk_err_errno(errno, "stat %s", path);
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) {
            if (errno != ENOENT)
                e = gotk_err_errno(errno, "open %s", path);
            goto out;
        }
        e = remove_tree_at(sub, path);
        if (e)
            goto out;
    }
    if (unlinkat(dfd, name, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) < 0 && errno != ENOENT)
        e = gotk_err_errno(errno, "remove %s", path);
out:
    free(path);
    return e;
}

/* Empty the directory open as dfd (takes ownership of dfd). Passes repeat
 * until one finds nothing, so entries missed while the directory changes
 * under readdir are still removed. */
static gotk_err *remove_tree_at(int dfd, const char *dpath)
{
    DIR *d = fdopendir(dfd);
    if (!d) {
        int err = errno;
        close(dfd);
        return gotk_err_errno(err, "open %s", dpath);
    }
    gotk_err *e = NULL;
    bool found = true;
    while (found && !e) {
        found = false;
        rewinddir(d);
        struct dirent *ent;
        while (!e && (ent = readdir(d)) != NULL) {
            if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
                continue;
            found = true;
            e = remove_entry_at(dirfd(d), dpath, ent->d_name);
        }
    }
    closedir(d);
    return e;
}

/* Remove the tree at path, which has no trailing slash. */
static gotk_err *remove_path(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT ? NULL : gotk_err_errno(errno, "stat %s", path);
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path) < 0 && errno != ENOENT)
            return gotk_err_errno(errno, "remove %s", path);
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? NULL : gotk_err_errno(errno, "open %s", path);
    gotk_err *e = remove_tree_at(fd, path);
    if (e)
        return e;
    if (rmdir(path) < 0 && errno != ENOENT)
        return gotk_err_errno(errno, "remove %s", path);
    return NULL;
}

/* True for "/" and paths whose last element is "." or "..", which rm -rf
 * refuses too. */
static bool refuse_remove(const char *p, size_t n)
{
    const char *base = memrchr(p, '/', n);
    base = base ? base + 1 : p;
    size_t blen = n - (size_t)(base - p);
    return (n == 1 && p[0] == '/') || (blen == 1 && base[0] == '.') ||
           (blen == 2 && base[0] == '.' && base[1] == '.');
}

/* rm -rf path; a missing path is not an error. Trailing slashes are dropped
 * first, so "link/" removes the symlink, not what it points to. */
gotk_err *gotk_file_remove_all(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    if (refuse_remove(path, n))
        return gotk_err_new(GOTK_E_INVALID, "refusing to remove %s", path);
    char *p = gotk_xstrndup(path, n);
    gotk_err *e = remove_path(p);
    free(p);
    return e;
}

/* mkdir one path; an existing directory is fine, anything else there is
 * ENOTDIR. */
static gotk_err *mkdir_one(const char *path, int mode)
{
    if (mkdir(path, (mode_t)mode) == 0)
        return NULL;
    int err = errno;
    struct stat st;
    if (stat(path, &st) == 0)
        return S_ISDIR(st.st_mode) ? NULL : gotk_err_errno(ENOTDIR, "mkdir %s", path);
    return gotk_err_errno(err, "mkdir %s", path);
}

/* mkdir -p: create path and any missing parents with `mode`. */
gotk_err *gotk_file_mkdir_all(const char *path, int mode)
{
    struct stat st;
    if (stat(path, &st) == 0)
        return S_ISDIR(st.st_mode) ? NULL : gotk_err_errno(ENOTDIR, "mkdir %s", path);
    if (*path == '\0')
        return gotk_err_errno(ENOENT, "mkdir %s", path);
    char *p = gotk_xstrdup(path);
    gotk_err *e = NULL;
    for (char *s = p + 1; *s && !e; s++) {
        if (*s != '/' || s[-1] == '/')
            continue;
        *s = '\0';
        e = mkdir_one(p, mode);
        *s = '/';
    }
    if (!e)
        e = mkdir_one(p, mode);
    free(p);
    return e;
}

/* A new empty directory $TMPDIR/prefix-XXXXXX (or under /tmp). */
gotk_err *gotk_file_temp_dir(const char *prefix, char **out)
{
    if (strchr(prefix, '/'))
        return gotk_err_new(GOTK_E_INVALID, "temp dir prefix \"%s\" contains a path separator",
                            prefix);
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    size_t blen = strlen(base);
    while (blen > 1 && base[blen - 1] == '/')
        blen--;
    char *tmpl = gotk_xasprintf("%.*s/%s-XXXXXX", (int)blen, base, prefix);
    if (!mkdtemp(tmpl)) {
        /* mkdtemp may have filled in the Xs; name the pattern in the error. */
        int err = errno;
        memcpy(tmpl + strlen(tmpl) - 6, "XXXXXX", 6);
        gotk_err *e = gotk_err_errno(err, "mkdtemp %s", tmpl);
        free(tmpl);
        return e;
    }
    *out = tmpl;
    return NULL;
}
