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

