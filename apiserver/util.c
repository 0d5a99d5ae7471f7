/*
 * util.c: file helpers the server needs before libgotk's core file functions
 * land (read a whole file; write a file atomically with a mode: temp file in the
 * same directory, fsync, rename), and random identifiers (uid, tokens).
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apiserver.h"

/* Read a whole file into a NUL-terminated buffer. */
gotk_err *ax_read_file(const char *path, char **out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return gotk_err_errno(errno, "reading %s", path);
    gotk_buf b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        gotk_buf_append(&b, chunk, n);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        gotk_buf_free(&b);
        return gotk_err_new(GOTK_E_IO, "reading %s failed", path);
    }
    *out = b.data ? gotk_buf_steal(&b) : gotk_xstrdup("");
    return NULL;
}

/* Write all of data to fd. */
static bool write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        data += w;
        len -= (size_t)w;
    }
    return true;
}

/* Temp file + fsync + rename, created with `mode`. */
gotk_err *ax_write_file(const char *path, const char *data, size_t len, int mode)
{
    char *tmp = gotk_xasprintf("%s.tmp.%d", path, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    gotk_err *e = NULL;
    if (fd < 0) {
        e = gotk_err_errno(errno, "writing %s", path);
    } else {
        bool ok = fchmod(fd, (mode_t)mode) == 0 && write_all(fd, data, len) && fsync(fd) == 0;
        int err = errno;
        ok = close(fd) == 0 && ok;
        if (!ok || rename(tmp, path) != 0) {
            e = gotk_err_errno(ok ? errno : err, "writing %s", path);
            unlink(tmp);
        }
    }
    free(tmp);
    return e;
}

/* Lowercase hex of n random bytes (2n characters). */
char *ax_random_hex(size_t n)
{
    unsigned char *raw = gotk_xmalloc(n);
    RAND_bytes(raw, (int)n);
    char *out = gotk_xmalloc(2 * n + 1);
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    free(raw);
    return out;
}

/* A random (version 4) UUID into out[37]. */
void ax_uuid(char out[37])
{
    unsigned char b[16];
    RAND_bytes(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
}

/* mkdir -p with `mode` for the directories it creates. */
gotk_err *ax_mkdir_all(const char *path, int mode)
{
    char *p = gotk_xstrdup(path);
    gotk_err *e = NULL;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
            e = gotk_err_errno(errno, "creating %s", p);
            break;
        }
        *s = c;
        if (!c)
            break;
    }
    free(p);
    return e;
}
