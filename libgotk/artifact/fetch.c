/*
 * Fetching artifacts: what kustomize-controller and helm-controller do with
 * the URL and digest in a source's status.
 *
 * Download: libcurl into an unnamed temporary file, hashing as it goes.
 * Network errors and 5xx answers are retried (up to `retries` more times,
 * waiting 1s, 2s, 4s, ... capped at 8s); other HTTP errors fail at once with
 * the status, as Flux's fetcher reports them.
 *
 * Verify: the sha256 of the bytes must equal the expected digest; a mismatch
 * names both.
 *
 * Extract: libarchive reads the tar.gz; each entry is checked before anything
 * is written: no absolute names, no `..` component, only directories, regular
 * files, symlinks and hard links; a symlink's target must be relative and free
 * of `..` (so it can only point below its own directory), a hard link's target
 * must pass the same name checks. Files are created with O_NOFOLLOW, so an
 * existing link is never written through. Modes keep the permission bits
 * (owner read/write always set); owners and times are not restored.
 */
#include "gotk/artifact.h"

#include <archive.h>
#include <archive_entry.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- download ------------------------------------------------------------- */

typedef struct {
    FILE *f;
    EVP_MD_CTX *md;
} dl_sink;

/* curl write callback: to the temp file and the digest. */
static size_t dl_write(char *ptr, size_t size, size_t nmemb, void *ud)
{
    dl_sink *s = ud;
    size_t n = size * nmemb;
    if (fwrite(ptr, 1, n, s->f) != n)
        return 0;
    EVP_DigestUpdate(s->md, ptr, n);
    return n;
}

/* One attempt: *status gets the HTTP code (0 on network failure). */
static gotk_err *download_once(const char *url, dl_sink *s, long *status)
{
    CURL *c = curl_easy_init();
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, dl_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode rc = curl_easy_perform(c);
    *status = 0;
    gotk_err *e = NULL;
    if (rc != CURLE_OK)
        e = gotk_err_new(GOTK_E_IO, "failed to download artifact from %s: %s", url,
                         errbuf[0] ? errbuf : curl_easy_strerror(rc));
    else
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    curl_easy_cleanup(c);
    return e;
}

/* Download url into a new temp file (rewound); *digest gets its sha256. */
static gotk_err *download(const char *url, int retries, FILE **out, char digest[72])
{
    for (int attempt = 0;; attempt++) {
        dl_sink s = {tmpfile(), EVP_MD_CTX_new()};
        if (!s.f) {
            EVP_MD_CTX_free(s.md);
            return gotk_err_errno(errno, "create temp file");
        }
        EVP_DigestInit_ex(s.md, EVP_sha256(), NULL);
        long status = 0;
        gotk_err *e = download_once(url, &s, &status);
        if (!e && status == 200) {
            unsigned char raw[32];
            unsigned int n = 0;
            EVP_DigestFinal_ex(s.md, raw, &n);
            memcpy(digest, "sha256:", 7);
            for (unsigned i = 0; i < 32; i++)
                snprintf(digest + 7 + 2 * i, 3, "%02x", raw[i]);
            EVP_MD_CTX_free(s.md);
            fflush(s.f);
            rewind(s.f);
            *out = s.f;
            return NULL;
        }
        EVP_MD_CTX_free(s.md);
        fclose(s.f);
        bool retry = e != NULL || status >= 500;
        if (!e)
            e = gotk_err_new(status == 404 ? GOTK_E_NOTFOUND : GOTK_E_IO,
                             "failed to download artifact from %s, status: %ld", url, status);
        if (!retry || attempt >= retries)
            return e;
        gotk_err_free(e);
        unsigned wait = attempt < 3 ? 1u << attempt : 8u;
        struct timespec ts = {(time_t)wait, 0};
        nanosleep(&ts, NULL);
    }
}

/* ---- extraction ------------------------------------------------------------ */

/* A safe entry name: relative, no `..`. Leading "./" is dropped. */
static bool name_ok(const char *name)
{
    if (!name || name[0] == '/')
        return false;
    const char *p = name;
    while (*p) {
        const char *q = p;
        while (*q && *q != '/')
            q++;
        if (q - p == 2 && p[0] == '.' && p[1] == '.')
            return false;
        p = *q ? q + 1 : q;
    }
    return true;
}

/* Create the parent directories of dir/rel. */
static gotk_err *make_parents(const char *full)
{
    char *parent = gotk_xstrdup(full);
    char *slash = strrchr(parent, '/');
    gotk_err *e = NULL;
    if (slash) {
        *slash = '\0';
        e = gotk_file_mkdir_all(parent, 0755);
    }
    free(parent);
    return e;
}

/* Write a regular file's data from the archive. */
static gotk_err *extract_file(struct archive *a, const char *full, unsigned mode)
{
    int fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0)
        return gotk_err_errno(errno, "create %s", full);
    gotk_err *e = NULL;
    const void *buf;
    size_t len;
    la_int64_t off;
    int r;
    while ((r = archive_read_data_block(a, &buf, &len, &off)) == ARCHIVE_OK) {
        if (pwrite(fd, buf, len, off) != (ssize_t)len) {
            e = gotk_err_errno(errno, "write %s", full);
            break;
        }
    }
    if (!e && r != ARCHIVE_EOF)
        e = gotk_err_new(GOTK_E_INVALID, "read archive: %s", archive_error_string(a));
    if (!e && fchmod(fd, mode) != 0)
        e = gotk_err_errno(errno, "chmod %s", full);
    close(fd);
    return e;
}

/* Check and write one entry. */
static gotk_err *extract_entry(struct archive *a, struct archive_entry *ent, const char *dir)
{
    const char *name = archive_entry_pathname(ent);
    if (!name_ok(name))
        return gotk_err_new(GOTK_E_INVALID, "illegal file path in archive: '%s'",
                            name ? name : "");
    while (name[0] == '.' && name[1] == '/')
        name += 2;
    if (!*name || !strcmp(name, "."))
        return NULL;
    char *full = gotk_xasprintf("%s/%s", dir, name);
    size_t fl = strlen(full);
    while (fl > 1 && full[fl - 1] == '/')
        full[--fl] = '\0';
    unsigned perm = (unsigned)archive_entry_perm(ent) & 0777;
    const char *hard = archive_entry_hardlink(ent);
    mode_t type = archive_entry_filetype(ent);
    gotk_err *e = NULL;
    if (hard) {
        if (!name_ok(hard))
            e = gotk_err_new(GOTK_E_INVALID, "hard link '%s' points outside the target: '%s'",
                             name, hard);
        char *target = e ? NULL : gotk_xasprintf("%s/%s", dir, hard);
        if (!e && !(e = make_parents(full)) && link(target, full) != 0)
            e = gotk_err_errno(errno, "link %s", full);
        free(target);
    } else if (type == AE_IFDIR) {
        e = gotk_file_mkdir_all(full, 0755);
        if (!e && chmod(full, perm | 0700) != 0)
            e = gotk_err_errno(errno, "chmod %s", full);
    } else if (type == AE_IFREG) {
        if (!(e = make_parents(full)))
            e = extract_file(a, full, perm | 0600);
    } else if (type == AE_IFLNK) {
        const char *t = archive_entry_symlink(ent);
        if (!t || t[0] == '/' || !name_ok(t))
            e = gotk_err_new(GOTK_E_INVALID, "symlink '%s' points outside the target: '%s'",
                             name, t ? t : "");
        else if (!(e = make_parents(full)) && symlink(t, full) != 0)
            e = gotk_err_errno(errno, "symlink %s", full);
    } else {
        e = gotk_err_new(GOTK_E_INVALID, "unsupported file type in archive: '%s'", name);
    }
    free(full);
    return e;
}

/* Extract every entry of an opened archive into dir. */
static gotk_err *extract_all(struct archive *a, const char *dir)
{
    gotk_err *e = gotk_file_mkdir_all(dir, 0755);
    struct archive_entry *ent;
    while (!e) {
        int r = archive_read_next_header(a, &ent);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            e = gotk_err_new(GOTK_E_INVALID, "read archive: %s", archive_error_string(a));
            break;
        }
        e = extract_entry(a, ent, dir);
    }
    return e;
}

/* A libarchive reader for tar.gz (and plain tar). */
static struct archive *new_reader(void)
{
    struct archive *a = archive_read_new();
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_none(a);
    archive_read_support_format_tar(a);
    return a;
}

/* Extract a local tarball. */
gotk_err *gotk_artifact_extract(const char *tarball, const char *dir)
{
    struct archive *a = new_reader();
    gotk_err *e = NULL;
    if (archive_read_open_filename(a, tarball, 65536) != ARCHIVE_OK)
        e = gotk_err_new(GOTK_E_INVALID, "open archive %s: %s", tarball, archive_error_string(a));
    else
        e = extract_all(a, dir);
    archive_read_free(a);
    return e ? gotk_err_wrap(e, "failed to extract archive") : NULL;
}

/* Download, verify and extract (see gotk/artifact.h). */
gotk_err *gotk_artifact_fetch(const char *url, const char *digest, const char *dir, int retries)
{
    FILE *f = NULL;
    char got[72];
    gotk_err *e = download(url, retries, &f, got);
    if (e)
        return e;
    if (digest && strcmp(got, digest) != 0) {
        fclose(f);
        return gotk_err_new(GOTK_E_INVALID,
                            "failed to verify artifact from %s: computed digest '%s' doesn't "
                            "match '%s'",
                            url, got, digest);
    }
    struct archive *a = new_reader();
    if (archive_read_open_FILE(a, f) != ARCHIVE_OK)
        e = gotk_err_new(GOTK_E_INVALID, "open archive: %s", archive_error_string(a));
    else
        e = extract_all(a, dir);
    archive_read_free(a);
    fclose(f);
    return e ? gotk_err_wrap(e, "failed to extract archive from %s", url) : NULL;
}
