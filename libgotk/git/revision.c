/*
 * Revisions, URLs and Secret data: the parts of the git module that need no
 * network.
 *
 * Revisions follow fluxcd/pkg git.Commit: String() drops the first two
 * components of the refname ("refs/heads/main" -> "main@sha1:<hex>"),
 * AbsoluteReference() keeps it whole (used for `ref.name`), and a commit with
 * no reference is "sha1:<hex>". Old artifacts carry "<ref>/<hex>"; those are
 * turned into the new form before comparing, as Flux's TransformRevision does.
 *
 * URLs are split by hand into scheme, user, host and port (only what the
 * callbacks need: the host and port that known_hosts is matched against).
 */
#include "internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Flux's revision string for a commit reached through reference. */
char *gotk_git_revision(const char *reference, const char *hex, bool absolute)
{
    if (!reference || !*reference)
        return gotk_xasprintf("sha1:%s", hex);
    if (absolute)
        return gotk_xasprintf("%s@sha1:%s", reference, hex);
    const char *first = strchr(reference, '/');
    const char *second = first ? strchr(first + 1, '/') : NULL;
    if (!second)
        return gotk_xasprintf("sha1:%s", hex);
    return gotk_xasprintf("%s@sha1:%s", second + 1, hex);
}

/* Is s exactly 40 lowercase hex digits? */
static bool is_sha1_hex(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isxdigit((unsigned char)s[n]))
            return false;
    return n == 40;
}

/* TransformRevision: "<ref>/<hex>" -> "<ref>@sha1:<hex>", "<hex>" -> "sha1:<hex>". */
char *gotk_git_transform_revision(const char *rev)
{
    if (!rev || !*rev)
        return gotk_xstrdup("");
    if (strchr(rev, '@') || !strncmp(rev, "sha1:", 5))
        return gotk_xstrdup(rev);
    const char *slash = strrchr(rev, '/');
    if (slash && is_sha1_hex(slash + 1))
        return gotk_xasprintf("%.*s@sha1:%s", (int)(slash - rev), rev, slash + 1);
    if (is_sha1_hex(rev))
        return gotk_xasprintf("sha1:%s", rev);
    return gotk_xstrdup(rev);
}

/* Does the URL look like scp syntax ("user@host:path")? */
static bool is_scp_like(const char *url)
{
    if (strstr(url, "://"))
        return false;
    const char *colon = strchr(url, ':');
    const char *slash = strchr(url, '/');
    return colon && colon != url && (!slash || colon < slash);
}

/* Split url into its parts; NULL on success. Out strings are new. */
static gotk_err *parse_url(const char *url, char scheme[8], char **user, char **host, int *port)
{
    *user = *host = NULL;
    if (is_scp_like(url)) {
        const char *colon = strchr(url, ':');
        return gotk_err_new(GOTK_E_INVALID,
                            "invalid URL '%s': the scp-like form is not supported, write it as "
                            "'ssh://%.*s/%s'",
                            url, (int)(colon - url), url, colon + 1);
    }
    const char *sep = strstr(url, "://");
    if (!sep)
        return gotk_err_new(GOTK_E_INVALID, "invalid URL '%s': no scheme", url);
    size_t sl = (size_t)(sep - url);
    const char *known[] = {"http", "https", "ssh", "git"};
    bool ok = false;
    for (size_t i = 0; i < 4; i++)
        ok |= strlen(known[i]) == sl && !strncmp(url, known[i], sl);
    if (!ok)
        return gotk_err_new(GOTK_E_INVALID,
                            "invalid URL '%s': scheme must be http, https, ssh or git", url);
    memcpy(scheme, url, sl);
    scheme[sl] = '\0';
    const char *auth = sep + 3, *end = auth + strcspn(auth, "/?#");
    const char *at = memchr(auth, '@', (size_t)(end - auth));
    const char *hp = at ? at + 1 : auth;
    if (at) {
        size_t ul = strcspn(auth, ":@");
        *user = gotk_xstrndup(auth, ul);
    }
    const char *hend = end, *colon = NULL;
    if (*hp == '[') {
        const char *rb = memchr(hp, ']', (size_t)(end - hp));
        colon = rb && rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
    } else {
        colon = memchr(hp, ':', (size_t)(end - hp));
    }
    if (colon)
        hend = colon;
    *port = !strcmp(scheme, "https") ? 443 : !strcmp(scheme, "http") ? 80
            : !strcmp(scheme, "ssh") ? 22 : 9418;
    if (colon && colon + 1 < end)
        *port = atoi(colon + 1);
    if (hend == hp) {
        free(*user);
        *user = NULL;
        return gotk_err_new(GOTK_E_INVALID, "invalid URL '%s': no host", url);
    }
    if (*hp == '[' && hend[-1] == ']')
        *host = gotk_xstrndup(hp + 1, (size_t)(hend - hp - 2));
    else
        *host = gotk_xstrndup(hp, (size_t)(hend - hp));
    return NULL;
}

/* Check a URL (see gotk/git.h). */
gotk_err *gotk_git_url_check(const char *url)
{
    char scheme[8], *user, *host;
    int port;
    gotk_err *e = parse_url(url, scheme, &user, &host, &port);
    free(user);
    free(host);
    return e;
}

/* Set a field from a Secret key. */
bool gotk_git_auth_set(gotk_git_auth *a, const char *key, const void *data, size_t len)
{
    struct {
        const char *key;
        gotk_git_bytes *field;
    } map[] = {
        {"username", &a->username},       {"password", &a->password},
        {"bearerToken", &a->bearer_token}, {"identity", &a->identity},
        {"identity.pub", &a->identity_pub}, {"known_hosts", &a->known_hosts},
        {"ca.crt", &a->ca_crt},           {"tls.crt", &a->tls_crt},
        {"tls.key", &a->tls_key},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (!strcmp(key, map[i].key)) {
            map[i].field->data = data;
            map[i].field->len = len;
            return true;
        }
    }
    return false;
}

/* Check the auth options against the transport, as Flux's Validate does. */
static gotk_err *check_auth(const char *scheme, const gotk_git_auth *a)
{
    bool http = !strcmp(scheme, "http") || !strcmp(scheme, "https");
    if (!strcmp(scheme, "ssh")) {
        if (!a || !a->identity.len)
            return gotk_err_new(GOTK_E_INVALID, "invalid 'ssh' auth option: 'identity' is required");
        if (!a->known_hosts.len)
            return gotk_err_new(GOTK_E_INVALID,
                                "invalid 'ssh' auth option: 'known_hosts' is required");
    }
    if (!a || !http)
        return NULL;
    if (a->bearer_token.len && (a->username.len || a->password.len))
        return gotk_err_new(GOTK_E_INVALID,
                            "basic auth and bearer token cannot be set at the same time");
    if (!a->tls_crt.len != !a->tls_key.len)
        return gotk_err_new(GOTK_E_INVALID,
                            "invalid TLS auth option: 'tls.crt' and 'tls.key' must be set together");
    return NULL;
}

/* Milliseconds on the monotonic clock. */
int64_t gotk_git_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The URL with a password in its user info replaced by "xxxxx" (Go's
 * url.Redacted), so it can appear in messages. Caller frees. */
static char *redact_url(const char *url)
{
    const char *sep = strstr(url, "://");
    if (!sep)
        return gotk_xstrdup(url);
    const char *auth = sep + 3, *end = auth + strcspn(auth, "/?#");
    const char *at = NULL;
    for (const char *p = auth; p < end; p++)
        if (*p == '@')
            at = p;
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (!colon)
        return gotk_xstrdup(url);
    return gotk_xasprintf("%.*sxxxxx%s", (int)(colon + 1 - url), url, at);
}

/* Validate and fill the context. */
gotk_err *gotk_git_ctx_init(gotk_git_ctx *ctx, const char *url, const gotk_git_auth *auth,
                            gotk_duration timeout)
{
    memset(ctx, 0, sizeof *ctx);
    gotk_err *e = parse_url(url, ctx->scheme, &ctx->user, &ctx->host, &ctx->port);
    if (!e)
        e = check_auth(ctx->scheme, auth);
    if (e) {
        gotk_git_ctx_free(ctx);
        return e;
    }
    ctx->url = gotk_xstrdup(url);
    ctx->safe_url = redact_url(url);
    ctx->auth = auth;
    ctx->timeout = timeout;
    if (timeout > 0)
        ctx->deadline_ms = gotk_git_now_ms() + timeout / GOTK_MS;
    bool http = !strcmp(ctx->scheme, "http") || !strcmp(ctx->scheme, "https");
    if (http && auth && auth->bearer_token.len) {
        ctx->header = gotk_xasprintf("Authorization: Bearer %.*s", (int)auth->bearer_token.len,
                                     auth->bearer_token.data);
        ctx->header_v[0] = ctx->header;
        ctx->headers.strings = ctx->header_v;
        ctx->headers.count = 1;
    }
    gotk_git_stream_bind(ctx);
    return NULL;
}

/* Free what the context owns (wiping the header that holds a token). */
void gotk_git_ctx_free(gotk_git_ctx *ctx)
{
    gotk_git_stream_unbind(ctx);
    free(ctx->url);
    free(ctx->safe_url);
    free(ctx->host);
    free(ctx->user);
    free(ctx->cb_error);
    if (ctx->header) {
        memset(ctx->header, 0, strlen(ctx->header));
        free(ctx->header);
    }
    memset(ctx, 0, sizeof *ctx);
}

/* The error for a failed libgit2 call. */
gotk_err *gotk_git_error(gotk_git_ctx *ctx, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gotk_buf b = {0};
    gotk_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    const git_error *ge = git_error_last();
    const char *msg = ge && ge->message ? ge->message : "unknown error";
    if (ctx && ctx->deadline_ms && gotk_git_now_ms() >= ctx->deadline_ms)
        ctx->timed_out = true;
    if (ctx && ctx->timed_out) {
        char d[32];
        gotk_buf_printf(&b, ": operation timed out after %s", gotk_duration_format(ctx->timeout, d));
    } else if (ctx && ctx->cb_error) {
        gotk_buf_printf(&b, ": %s", ctx->cb_error);
    } else if (ctx && (ctx->auth_failed || rc == GIT_EAUTH)) {
        gotk_buf_printf(&b, ": authentication failed");
    } else {
        gotk_buf_printf(&b, ": %s", msg);
    }
    gotk_err_code code = rc == GIT_ENOTFOUND ? GOTK_E_NOTFOUND : GOTK_E_IO;
    gotk_err *e = gotk_err_new(code, "%s", b.data);
    gotk_buf_free(&b);
    return e;
}
