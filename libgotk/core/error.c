/*
 * Errors as message chains. An error is one heap string plus a code; wrapping
 * builds "context: message" in a new string and frees the old one, so an error
 * is always a single allocation pair with one owner.
 */
#include "gotk/core.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gotk_err {
    gotk_err_code code;
    char *msg;
};

static char *vformat(const char *fmt, va_list ap)
{
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        abort();
    return s;
}

gotk_err *gotk_err_new(gotk_err_code code, const char *fmt, ...)
{
    gotk_err *e = gotk_xmalloc(sizeof *e);
    va_list ap;
    va_start(ap, fmt);
    e->msg = vformat(fmt, ap);
    va_end(ap);
    e->code = code;
    return e;
}

gotk_err *gotk_err_wrap(gotk_err *cause, const char *fmt, ...)
{
    if (!cause)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    char *ctx = vformat(fmt, ap);
    va_end(ap);
    char *joined = gotk_xasprintf("%s: %s", ctx, cause->msg);
    free(ctx);
    free(cause->msg);
    cause->msg = joined;
    return cause;
}

gotk_err *gotk_err_errno(int errnum, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *ctx = vformat(fmt, ap);
    va_end(ap);
    gotk_err_code code = errnum == ENOENT ? GOTK_E_NOTFOUND
                         : errnum == EEXIST ? GOTK_E_CONFLICT
                         : errnum == ENOMEM ? GOTK_E_NOMEM
                                            : GOTK_E_IO;
    gotk_err *e = gotk_err_new(code, "%s: %s", ctx, strerror(errnum));
    free(ctx);
    return e;
}

const char *gotk_err_msg(const gotk_err *e)
{
    return e ? e->msg : "";
}

gotk_err_code gotk_err_code_of(const gotk_err *e)
{
    return e ? e->code : GOTK_E_GENERIC;
}

void gotk_err_free(gotk_err *e)
{
    if (!e)
        return;
    free(e->msg);
    free(e);
}
