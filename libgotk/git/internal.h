/*
 * git internals shared by the module's files: the per-operation context that
 * libgit2's callbacks receive, and the helpers that build callbacks and turn
 * libgit2 failures into gotk errors without leaking secrets.
 */
#ifndef GOTK_GIT_INTERNAL_H
#define GOTK_GIT_INTERNAL_H

#include <git2.h>

#include "gotk/git.h"

typedef struct {
    const gotk_git_auth *auth; /* may be NULL */
    char *url;
    char *safe_url;            /* url with any password replaced, for messages */
    char scheme[8];            /* "http", "https", "ssh", "git" */
    char *host;
    int port;                  /* explicit or the scheme's default */
    char *user;                /* user from the URL, or NULL */
    int64_t deadline_ms;       /* monotonic ms; 0: none */
    gotk_duration timeout;
    int key_attempts;          /* credentials handed out so far */
    bool auth_failed;          /* credentials were rejected */
    bool timed_out;
    char *cb_error;            /* message from one of our callbacks */
    char *header;              /* "Authorization: Bearer ..." or NULL */
    char *header_v[1];
    git_strarray headers;
    git_repository *repo;      /* for push negotiation */
    bool force;
} gotk_git_ctx;

/* Validate the URL and auth, fill ctx. On error ctx holds nothing. */
gotk_err *gotk_git_ctx_init(gotk_git_ctx *ctx, const char *url, const gotk_git_auth *auth,
                            gotk_duration timeout);
void gotk_git_ctx_free(gotk_git_ctx *ctx);
/* Callbacks (credentials, certificate check, progress/deadline) for ctx. */
void gotk_git_callbacks(gotk_git_ctx *ctx, git_remote_callbacks *cb);
/* The error for a failed libgit2 call: our callbacks' message if any, else
 * libgit2's, prefixed by what (printf-style). */
gotk_err *gotk_git_error(gotk_git_ctx *ctx, int rc, const char *fmt, ...) GOTK_PRINTF(3, 4);
/* Milliseconds on the monotonic clock. */
int64_t gotk_git_now_ms(void);
/* Streams (stream.c): register ours with libgit2, and make ctx the operation
 * whose deadline and TLS settings this thread's connections use. */
void gotk_git_stream_register(void);
void gotk_git_stream_bind(gotk_git_ctx *ctx);
void gotk_git_stream_unbind(gotk_git_ctx *ctx);
/* Convert a legacy "<ref>/<hex>" revision to "<ref>@sha1:<hex>". Caller frees. */
char *gotk_git_transform_revision(const char *rev);

#endif
