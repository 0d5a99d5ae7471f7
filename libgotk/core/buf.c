/*
 * A growable, always NUL-terminated byte buffer, and allocation helpers that
 * abort on out-of-memory.
 */
#include "gotk/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *gotk_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        abort();
    return p;
}

void *gotk_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        abort();
    return p;
}

void *gotk_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        abort();
    return p;
}

char *gotk_xstrdup(const char *s)
{
    return gotk_xstrndup(s, strlen(s));
}

char *gotk_xstrndup(const char *s, size_t n)
{
    char *p = gotk_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *gotk_xasprintf(const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0)
        abort();
    return s;
}

/* Make room for `extra` more bytes plus the terminating NUL. */
static void buf_reserve(gotk_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = gotk_xrealloc(b->data, cap);
    b->cap = cap;
}

void gotk_buf_append(gotk_buf *b, const void *data, size_t len)
{
    buf_reserve(b, len);
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void gotk_buf_puts(gotk_buf *b, const char *s)
{
    gotk_buf_append(b, s, strlen(s));
}

void gotk_buf_putc(gotk_buf *b, char c)
{
    gotk_buf_append(b, &c, 1);
}

void gotk_buf_vprintf(gotk_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        abort();
    buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void gotk_buf_printf(gotk_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gotk_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

char *gotk_buf_steal(gotk_buf *b)
{
    char *d = b->data ? b->data : gotk_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

void gotk_buf_free(gotk_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
