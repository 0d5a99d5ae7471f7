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
 * chmod 0600, fsynced and renamed over the target.
 */
#include "gotk/artifact.h"

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

typedef struct {
    int fd;
    EVP_MD_CTX *md;
    int64_t size;
    int err; /* errno of a failed write */
} sink;

/* libarchive write callback: to the file, the digest and the counter. */
static la_ssize_t sink_write(struct archive *a, void *ud, const void *buf, size_t len)
{
    (void)a;
    sink *s = ud;
    const char *p = buf;
    size_t left = len;
    while (left > 0) {
        ssize_t n = write(s->fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            s->err = errno;
            archive_set_error(a, errno, "write: %s", strerror(errno));
            return -1;
        }
        p += n;
        left -= (size_t)n;
    }
    EVP_DigestUpdate(s->md, buf, len);
    s->size += (int64_t)len;
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

/* Flux's setDefaultMode. */
static unsigned normal_mode(const struct stat *st)
{
    if (S_ISDIR(st->st_mode))
        return 0750;
    return (st->st_mode & 0111) ? 0700 : 0600;
}

/* Copy a regular file's bytes into the archive. */
static gotk_err *copy_data(struct archive *a, const char *path)
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
        if (n == 0)
            break;
        if (archive_write_data(a, buf, (size_t)n) < 0) {
            e = gotk_err_new(GOTK_E_IO, "archive %s: %s", path, archive_error_string(a));
            break;
        }
    }
    close(fd);
    return e;
}

/* Write one header (and the data of a regular file). */
static gotk_err *write_entry(struct archive *a, const char *path, const char *rel,
                             const struct stat *st)
{
    struct archive_entry *ent = archive_entry_new();
    archive_entry_set_pathname(ent, rel);
    archive_entry_set_filetype(ent, S_ISDIR(st->st_mode) ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(ent, normal_mode(st));
    archive_entry_set_size(ent, S_ISREG(st->st_mode) ? st->st_size : 0);
    archive_entry_set_mtime(ent, 0, 0);
    archive_entry_set_uid(ent, 0);
    archive_entry_set_gid(ent, 0);
    gotk_err *e = NULL;
    if (archive_write_header(a, ent) != ARCHIVE_OK)
        e = gotk_err_new(GOTK_E_IO, "archive %s: %s", rel, archive_error_string(a));
    archive_entry_free(ent);
    if (!e && S_ISREG(st->st_mode))
        e = copy_data(a, path);
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
    struct archive *a;
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
        gotk_err *e = write_entry(w->a, path, root ? "." : rel, &st);
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

/* A libarchive writer producing deterministic tar.gz into the sink. */
static struct archive *open_writer(sink *s)
{
    struct archive *a = archive_write_new();
    archive_write_add_filter_gzip(a);
    archive_write_set_filter_option(a, "gzip", "timestamp", NULL);
    archive_write_set_format_pax_restricted(a);
    archive_write_set_bytes_per_block(a, 0);
    archive_write_set_bytes_in_last_block(a, 1);
    if (archive_write_open(a, s, NULL, sink_write, NULL) != ARCHIVE_OK) {
        archive_write_free(a);
        return NULL;
    }
    return a;
}

/* Create a temp file beside dest: "<dest>.tmp-XXXXXX". */
static gotk_err *temp_beside(const char *dest, char **tmp, int *fd)
{
    *tmp = gotk_xasprintf("%s.tmp-XXXXXX", dest);
    *fd = mkstemp(*tmp);
    if (*fd < 0) {
        gotk_err *e = gotk_err_errno(errno, "create temp file for %s", dest);
        free(*tmp);
        *tmp = NULL;
        return e;
    }
    return NULL;
}

/* Finish: close the archive, fsync, chmod 0600 and rename into place. */
static gotk_err *finish(struct archive *a, sink *s, const char *tmp, const char *dest)
{
    gotk_err *e = NULL;
    if (archive_write_close(a) != ARCHIVE_OK)
        e = gotk_err_new(GOTK_E_IO, "archive %s: %s", dest, archive_error_string(a));
    if (!e && (fchmod(s->fd, 0600) != 0 || fsync(s->fd) != 0))
        e = gotk_err_errno(errno, "sync %s", tmp);
    if (close(s->fd) != 0 && !e)
        e = gotk_err_errno(errno, "close %s", tmp);
    s->fd = -1;
    if (!e && rename(tmp, dest) != 0)
        e = gotk_err_errno(errno, "rename %s %s", tmp, dest);
    return e;
}

/* Archive dir into dest (see gotk/artifact.h). */
gotk_err *gotk_artifact_archive(const char *dir, const gotk_ignore *filter, const char *dest,
                                gotk_artifact_info *out)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return gotk_err_new(GOTK_E_INVALID, "invalid dir path: %s", dir);
    sink s = {.fd = -1};
    char *tmp = NULL;
    gotk_err *e = temp_beside(dest, &tmp, &s.fd);
    if (e)
        return e;
    s.md = EVP_MD_CTX_new();
    EVP_DigestInit_ex(s.md, EVP_sha256(), NULL);
    struct archive *a = open_writer(&s);
    if (!a) {
        e = gotk_err_new(GOTK_E_IO, "archive %s: cannot open writer", dest);
    } else {
        walker w = {.a = a, .filter = filter, .can_prune = !gotk_ignore_has_negation(filter)};
        e = walk(&w, dir, "");
        if (!e)
            e = finish(a, &s, tmp, dest);
        archive_write_free(a);
    }
    if (s.fd >= 0)
        close(s.fd);
    if (e) {
        unlink(tmp);
    } else if (out) {
        digest_final(s.md, out->digest);
        out->size = s.size;
    }
    EVP_MD_CTX_free(s.md);
    free(tmp);
    return e;
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
