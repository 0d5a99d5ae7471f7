/*
 * Deterministic tar.gz artifacts, the way Flux's Storage.Archive builds them.
 *
 * The walk is filepath.Walk's: the root first (entry "."), then each
 * directory's entries in byte order of their names, depth first, using lstat
 * so symlinks are seen as links and skipped like every other non-regular file.
 * Each path (relative to the root) goes through the ignore matcher; an
 * excluded directory still has its children considered one by one, unless the
 * matcher has no `!` pattern, in which case nothing below it can come back and
 * the subtree is skipped.
 *
 * Headers are normalized as Flux's sanitizeHeader does: uid/gid 0, no owner
 * names, mtime 0, and modes 0750 (directories), 0700 (files with any execute
 * bit) or 0600. libarchive writes ustar (pax only for what ustar cannot hold)
 * through its gzip filter with the timestamp turned off; the tar stream ends
 * with the two zero blocks and the compressed output is not padded.
 *
 * The output is written to a temporary file in the target's directory while a
 * sha256 and a byte count are taken from the same bytes; the file is then
 * chmod 0600, fsynced and renamed over the target. That writer (gotk_tgz,
 * internal.h) is shared with gittree.c, which archives a commit's tree
 * straight from the object database.
 */
#include "internal.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct gotk_tgz {
    struct archive *a;
    int fd;
    char *tmp, *dest;
    EVP_MD_CTX *md;
    int64_t size;
};

/* libarchive write callback: to the file, the digest and the counter. */
static la_ssize_t sink_write(struct archive *a, void *ud, const void *buf, size_t len)
{
    gotk_tgz *t = ud;
    const char *p = buf;
    size_t left = len;
    while (left > 0) {
        ssize_t n = write(t->fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            archive_set_error(a, errno, "write: %s", strerror(errno));
            return -1;
        }
        p += n;
        left -= (size_t)n;
    }
    EVP_DigestUpdate(t->md, buf, len);
    t->size += (int64_t)len;
    return (la_ssize_t)len;
}

/* "sha256:<hex>" from a finished digest context. */
static void digest_final(EVP_MD_CTX *md, char out[72])
{
    unsigned char raw[32];
    unsigned int n = 0;
    EVP_DigestFinal_ex(md, raw, &n);
    memcpy(out, "sha256:", 7);
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 7 + 2 * i, 3, "%02x", raw[i]);
}

/* Free the writer and its temp file's name (the file itself is handled by
 * the caller). */
static void tgz_free(gotk_tgz *t)
{
    if (t->a)
        archive_write_free(t->a);
    if (t->fd >= 0)
        close(t->fd);
    EVP_MD_CTX_free(t->md);
    free(t->tmp);
    free(t->dest);
    free(t);
}

/* Start a deterministic tar.gz in "<dest>.tmp-XXXXXX" (see internal.h). */
gotk_err *gotk_tgz_open(const char *dest, gotk_tgz **out)
{
    gotk_tgz *t = gotk_xcalloc(1, sizeof *t);
    t->dest = gotk_xstrdup(dest);
    t->tmp = gotk_xasprintf("%s.tmp-XXXXXX", dest);
    t->fd = mkstemp(t->tmp);
    if (t->fd < 0) {
        gotk_err *e = gotk_err_errno(errno, "create temp file for %s", dest);
        tgz_free(t);
        return e;
    }
    t->md = EVP_MD_CTX_new();
    EVP_DigestInit_ex(t->md, EVP_sha256(), NULL);
    t->a = archive_write_new();
    archive_write_add_filter_gzip(t->a);
    archive_write_set_filter_option(t->a, "gzip", "timestamp", NULL);
    archive_write_set_format_pax_restricted(t->a);
    archive_write_set_bytes_per_block(t->a, 0);
    archive_write_set_bytes_in_last_block(t->a, 1);
    if (archive_write_open(t->a, t, NULL, sink_write, NULL) != ARCHIVE_OK) {
        gotk_tgz_abort(t);
        return gotk_err_new(GOTK_E_IO, "archive %s: cannot open writer", dest);
    }
    *out = t;
    return NULL;
}

/* One header, normalized as Flux's sanitizeHeader does. */
gotk_err *gotk_tgz_header(gotk_tgz *t, const char *name, bool dir, bool exec, int64_t size)
{
    struct archive_entry *ent = archive_entry_new();
    archive_entry_set_pathname(ent, name);
    archive_entry_set_filetype(ent, dir ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(ent, dir ? 0750 : exec ? 0700 : 0600);
    archive_entry_set_size(ent, dir ? 0 : size);
    archive_entry_set_mtime(ent, 0, 0);
    archive_entry_set_uid(ent, 0);
    archive_entry_set_gid(ent, 0);
    gotk_err *e = NULL;
    if (archive_write_header(t->a, ent) != ARCHIVE_OK)
        e = gotk_err_new(GOTK_E_IO, "archive %s: %s", name, archive_error_string(t->a));
    archive_entry_free(ent);
    return e;
}

/* Bytes of the current file entry. */
gotk_err *gotk_tgz_data(gotk_tgz *t, const char *name, const void *buf, size_t len)
{
    if (len > 0 && archive_write_data(t->a, buf, len) < 0)
        return gotk_err_new(GOTK_E_IO, "archive %s: %s", name, archive_error_string(t->a));
    return NULL;
}

/* Finish: close the archive, fsync, chmod 0600 and rename into place. */
gotk_err *gotk_tgz_commit(gotk_tgz *t, gotk_artifact_info *out)
{
    gotk_err *e = NULL;
    if (archive_write_close(t->a) != ARCHIVE_OK)
        e = gotk_err_new(GOTK_E_IO, "archive %s: %s", t->dest, archive_error_string(t->a));
    if (!e && (fchmod(t->fd, 0600) != 0 || fsync(t->fd) != 0))
        e = gotk_err_errno(errno, "sync %s", t->tmp);
    if (close(t->fd) != 0 && !e)
        e = gotk_err_errno(errno, "close %s", t->tmp);
    t->fd = -1;
    if (!e && rename(t->tmp, t->dest) != 0)
        e = gotk_err_errno(errno, "rename %s %s", t->tmp, t->dest);
    if (e) {
        unlink(t->tmp);
    } else if (out) {
        digest_final(t->md, out->digest);
        out->size = t->size;
    }
    tgz_free(t);
    return e;
}

/* Drop the temp file and the writer. */
void gotk_tgz_abort(gotk_tgz *t)
{
    if (!t)
        return;
    unlink(t->tmp);
    tgz_free(t);
}

/* Copy a regular file's bytes into the archive. */
static gotk_err *copy_data(gotk_tgz *t, const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return gotk_err_errno(errno, "open %s", path);
    char buf[65536];
    gotk_err *e = NULL;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            e = gotk_err_errno(errno, "read %s", path);
            break;
        }
        if (n == 0 || (e = gotk_tgz_data(t, path, buf, (size_t)n)))
            break;
    }
    close(fd);
    return e;
}

/* Write one header (and the data of a regular file). */
static gotk_err *write_entry(gotk_tgz *t, const char *path, const char *rel,
                             const struct stat *st)
{
    bool dir = S_ISDIR(st->st_mode);
    gotk_err *e = gotk_tgz_header(t, rel, dir, (st->st_mode & 0111) != 0, st->st_size);
    if (!e && !dir)
        e = copy_data(t, path);
    return e;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The entry names of a directory, sorted bytewise. */
static gotk_err *read_names(const char *dir, char ***out, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d)
        return gotk_err_errno(errno, "open %s", dir);
    size_t n = 0, cap = 16;
    char **v = gotk_xmalloc(cap * sizeof *v);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
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

typedef struct {
    gotk_tgz *t;
    const gotk_ignore *filter;
    bool can_prune; /* no negations: an excluded dir's subtree is excluded */
} walker;

/* Visit path (relative name rel, "" for the root) and what lies below it. */
static gotk_err *walk(walker *w, const char *path, const char *rel)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return gotk_err_errno(errno, "lstat %s", path);
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        return NULL;
    bool root = rel[0] == '\0';
    bool excluded = !root && gotk_ignore_match(w->filter, rel, S_ISDIR(st.st_mode));
    if (!excluded) {
        gotk_err *e = write_entry(w->t, path, root ? "." : rel, &st);
        if (e)
            return e;
    }
    if (!S_ISDIR(st.st_mode) || (excluded && w->can_prune))
        return NULL;
    char **names = NULL;
    size_t n = 0;
    gotk_err *e = read_names(path, &names, &n);
    if (e)
        return e;
    for (size_t i = 0; i < n && !e; i++) {
        char *sub = gotk_xasprintf("%s/%s", path, names[i]);
        char *subrel = root ? gotk_xstrdup(names[i]) : gotk_xasprintf("%s/%s", rel, names[i]);
        e = walk(w, sub, subrel);
        free(sub);
        free(subrel);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return e;
}

/* Archive dir into dest (see gotk/artifact.h). */
gotk_err *gotk_artifact_archive(const char *dir, const gotk_ignore *filter, const char *dest,
                                gotk_artifact_info *out)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return gotk_err_new(GOTK_E_INVALID, "invalid dir path: %s", dir);
    gotk_tgz *t = NULL;
    gotk_err *e = gotk_tgz_open(dest, &t);
    if (e)
        return e;
    walker w = {.t = t, .filter = filter, .can_prune = !gotk_ignore_has_negation(filter)};
    if ((e = walk(&w, dir, ""))) {
        gotk_tgz_abort(t);
        return e;
    }
    return gotk_tgz_commit(t, out);
}

/* Digest and size of a file. */
gotk_err *gotk_artifact_file_digest(const char *path, gotk_artifact_info *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return gotk_err_errno(errno, "open %s", path);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    char buf[65536];
    int64_t size = 0;
    gotk_err *e = NULL;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            e = gotk_err_errno(errno, "read %s", path);
            break;
        }
        if (n == 0)
            break;
        EVP_DigestUpdate(md, buf, (size_t)n);
        size += n;
    }
    close(fd);
    if (!e) {
        digest_final(md, out->digest);
        out->size = size;
    }
    EVP_MD_CTX_free(md);
    return e;
}

/* Check a file against an expected "sha256:<hex>" digest. */
gotk_err *gotk_artifact_verify_file(const char *path, const char *digest)
{
    if (!digest || strncmp(digest, "sha256:", 7) != 0)
        return gotk_err_new(GOTK_E_INVALID, "unsupported digest '%s': want sha256:<hex>",
                            digest ? digest : "");
    gotk_artifact_info info;
    gotk_err *e = gotk_artifact_file_digest(path, &info);
    if (e)
        return e;
    if (strcmp(info.digest, digest) != 0)
        return gotk_err_new(GOTK_E_INVALID, "computed digest '%s' doesn't match '%s'",
                            info.digest, digest);
    return NULL;
}
