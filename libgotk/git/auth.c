/*
 * libgit2 callbacks: credentials, server identity checks, and the deadline.
 *
 * Credentials. The callback hands out the Secret's credentials once per kind;
 * when libgit2 asks again the server has refused them, so the operation stops
 * with "authentication failed" (the secret itself never reaches a message).
 * SSH keys are passed from memory (libssh2's frommemory API); the username is
 * the URL's, else "git". With nothing to offer, libgit2's own "authentication
 * required" error stands.
 *
 * Host keys (SSH). The raw key libssh2 received is compared with the keys
 * listed in `known_hosts` for the URL's host: `host` on port 22, else
 * `[host]:port`, each line's comma-separated patterns tried as plain names,
 * `*`/`?` wildcards, `!` negations and hashed `|1|salt|hmac` entries (HMAC-SHA1,
 * OpenSSL). `@revoked` lines reject their key; `@cert-authority` lines are
 * not supported and skipped. No entry for the host: "unknown host"; entries
 * but none with this key: "key mismatch". Both name the host.
 *
 * Certificates (HTTPS) are verified by our TLS stream (stream.c), against
 * `ca.crt` or the system store; the callback keeps that verdict.
 *
 * Deadline. Progress callbacks return an error once the deadline has passed;
 * libgit2 then aborts the transfer.
 */
#include "internal.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

/* Record a callback error (first one wins) and return code. */
static int fail(gotk_git_ctx *ctx, int code, const char *msg)
{
    if (!ctx->cb_error)
        ctx->cb_error = gotk_xstrdup(msg);
    git_error_set_str(GIT_ERROR_CALLBACK, msg);
    return code;
}

/* True (and marks the context) once the deadline has passed. */
static bool past_deadline(gotk_git_ctx *ctx)
{
    if (ctx->deadline_ms && gotk_git_now_ms() > ctx->deadline_ms)
        ctx->timed_out = true;
    return ctx->timed_out;
}

/* A NUL-terminated copy of Secret bytes (NULL when empty). Caller wipes+frees. */
static char *secret_str(gotk_git_bytes b)
{
    return b.len ? gotk_xstrndup(b.data, b.len) : NULL;
}

/* Wipe and free a secret copy. */
static void secret_free(char *s)
{
    if (s) {
        memset(s, 0, strlen(s));
        free(s);
    }
}

/* An SSH key credential from the Secret's identity. */
static int ssh_key_cred(git_credential **out, gotk_git_ctx *ctx, const char *user)
{
    const gotk_git_auth *a = ctx->auth;
    char *priv = secret_str(a->identity), *pub = secret_str(a->identity_pub);
    char *pass = secret_str(a->password);
    int rc = git_credential_ssh_key_memory_new(out, user, pub, priv, pass ? pass : "");
    secret_free(priv);
    secret_free(pub);
    secret_free(pass);
    if (rc < 0)
        return fail(ctx, GIT_EAUTH, "unable to use the SSH identity from the Secret");
    return 0;
}

/* libgit2 credentials callback. */
static int cred_cb(git_credential **out, const char *url, const char *user_from_url,
                   unsigned int allowed, void *payload)
{
    (void)url;
    gotk_git_ctx *ctx = payload;
    const gotk_git_auth *a = ctx->auth;
    const char *user = user_from_url && *user_from_url ? user_from_url
                       : ctx->user                       ? ctx->user
                                                         : "git";
    if (past_deadline(ctx))
        return GIT_EUSER;
    if (allowed & GIT_CREDENTIAL_USERNAME)
        return git_credential_username_new(out, user);
    bool ssh_ok = allowed & (GIT_CREDENTIAL_SSH_KEY | GIT_CREDENTIAL_SSH_MEMORY);
    bool have_ssh = a && a->identity.len;
    bool have_basic = a && (a->username.len || a->password.len);
    if (!(ssh_ok && have_ssh) && !((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && have_basic))
        return GIT_PASSTHROUGH;
    if (ctx->key_attempts++ > 0) {
        ctx->auth_failed = true;
        return fail(ctx, GIT_EAUTH, "authentication failed");
    }
    if (ssh_ok && have_ssh)
        return ssh_key_cred(out, ctx, user);
    char *u = secret_str(a->username), *p = secret_str(a->password);
    int rc = git_credential_userpass_plaintext_new(out, u ? u : "", p ? p : "");
    secret_free(u);
    secret_free(p);
    return rc;
}

/* ---- known_hosts ------------------------------------------------------------ */

/* Does a hashed "|1|salt|hash" pattern match name? */
static bool hashed_match(const char *pat, const char *name)
{
    const char *salt = pat + 3, *bar = strchr(salt, '|');
    if (!bar)
        return false;
    unsigned char *s = NULL, *h = NULL;
    size_t sl = 0, hl = 0;
    bool ok = false;
    gotk_err *e = gotk_base64_decode(salt, (size_t)(bar - salt), &s, &sl);
    if (!e)
        e = gotk_base64_decode(bar + 1, strlen(bar + 1), &h, &hl);
    if (!e) {
        unsigned char mac[EVP_MAX_MD_SIZE];
        unsigned int ml = 0;
        HMAC(EVP_sha1(), s, (int)sl, (const unsigned char *)name, strlen(name), mac, &ml);
        ok = ml == hl && memcmp(mac, h, ml) == 0;
    }
    gotk_err_free(e);
    free(s);
    free(h);
    return ok;
}

/* known_hosts wildcards: `*` any run, `?` one character, case-insensitive;
 * everything else (including `[` of "[host]:port") is literal. */
static bool wild_match(const char *p, const char *s)
{
    for (; *p; p++, s++) {
        if (*p == '*') {
            for (const char *t = s;; t++) {
                if (wild_match(p + 1, t))
                    return true;
                if (!*t)
                    return false;
            }
        }
        if (!*s || (*p != '?' && tolower((unsigned char)*p) != tolower((unsigned char)*s)))
            return false;
    }
    return *s == '\0';
}

/* Does one comma-separated host field match addr? */
static bool hosts_match(char *field, const char *addr)
{
    bool matched = false;
    char *save = NULL;
    for (char *p = strtok_r(field, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        bool neg = p[0] == '!';
        const char *pat = neg ? p + 1 : p;
        bool m = !strncmp(pat, "|1|", 3) ? hashed_match(pat, addr)
                                          : wild_match(pat, addr);
        if (m && neg)
            return false;
        matched |= m;
    }
    return matched;
}

typedef enum { KH_UNKNOWN, KH_MATCH, KH_MISMATCH, KH_REVOKED } kh_result;

/* Check one known_hosts line against addr and the key blob. */
static kh_result check_line(char *line, const char *addr, const unsigned char *key, size_t klen)
{
    char *save = NULL;
    char *f = strtok_r(line, " \t", &save);
    bool revoked = false;
    if (f && f[0] == '@') {
        if (strcmp(f, "@revoked") != 0)
            return KH_UNKNOWN; /* @cert-authority: not supported */
        revoked = true;
        f = strtok_r(NULL, " \t", &save);
    }
    char *type = f ? strtok_r(NULL, " \t", &save) : NULL;
    char *b64 = type ? strtok_r(NULL, " \t\r", &save) : NULL;
    if (!b64 || !hosts_match(f, addr))
        return KH_UNKNOWN;
    unsigned char *blob = NULL;
    size_t bl = 0;
    gotk_err *e = gotk_base64_decode(b64, strlen(b64), &blob, &bl);
    bool same = !e && bl == klen && memcmp(blob, key, klen) == 0;
    gotk_err_free(e);
    free(blob);
    if (revoked)
        return same ? KH_REVOKED : KH_UNKNOWN;
    return same ? KH_MATCH : KH_MISMATCH;
}

/* Look the host key up in known_hosts. */
static kh_result known_hosts_check(const gotk_git_bytes *kh, const char *addr,
                                   const unsigned char *key, size_t klen)
{
    char *text = gotk_xstrndup(kh->data, kh->len), *save = NULL;
    kh_result res = KH_UNKNOWN;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        while (*line == ' ' || *line == '\t')
            line++;
        if (!*line || *line == '#')
            continue;
        kh_result r = check_line(line, addr, key, klen);
        if (r == KH_REVOKED) {
            res = r;
            break;
        }
        if (r == KH_MATCH)
            res = KH_MATCH;
        else if (r == KH_MISMATCH && res == KH_UNKNOWN)
            res = KH_MISMATCH;
    }
    free(text);
    return res;
}

/* Verify an SSH host key against the Secret's known_hosts. */
static int check_hostkey(gotk_git_ctx *ctx, const git_cert_hostkey *hk)
{
    char *addr = ctx->port == 22 ? gotk_xstrdup(ctx->host)
                                 : gotk_xasprintf("[%s]:%d", ctx->host, ctx->port);
    int rc = 0;
    if (!(hk->type & GIT_CERT_SSH_RAW)) {
        rc = fail(ctx, GIT_ECERTIFICATE, "ssh: the server's host key could not be read");
    } else {
        kh_result r = known_hosts_check(&ctx->auth->known_hosts, addr,
                                        (const unsigned char *)hk->hostkey, hk->hostkey_len);
        if (r == KH_UNKNOWN && ctx->port == 22) { /* "[host]:22" is the same host */
            char *alt = gotk_xasprintf("[%s]:22", ctx->host);
            r = known_hosts_check(&ctx->auth->known_hosts, alt, (const unsigned char *)hk->hostkey,
                                  hk->hostkey_len);
            free(alt);
        }
        if (r != KH_MATCH) {
            char *msg = gotk_xasprintf(
                r == KH_UNKNOWN  ? "ssh: handshake failed: knownhosts: key is unknown for host '%s'"
                : r == KH_REVOKED ? "ssh: handshake failed: knownhosts: key is revoked for host '%s'"
                                  : "ssh: handshake failed: knownhosts: key mismatch for host '%s'",
                addr);
            rc = fail(ctx, GIT_ECERTIFICATE, msg);
            free(msg);
        }
    }
    free(addr);
    return rc;
}

/* libgit2 certificate callback. */
static int cert_cb(git_cert *cert, int valid, const char *host, void *payload)
{
    gotk_git_ctx *ctx = payload;
    if (past_deadline(ctx))
        return GIT_EUSER;
    if (cert->cert_type == GIT_CERT_HOSTKEY_LIBSSH2) {
        if (!ctx->auth || !ctx->auth->known_hosts.len)
            return fail(ctx, GIT_ECERTIFICATE, "invalid 'ssh' auth option: 'known_hosts' is required");
        return check_hostkey(ctx, (const git_cert_hostkey *)cert);
    }
    /* X.509: our TLS stream (stream.c) verified the chain against ca.crt or
     * the system store; `valid` is its verdict. */
    (void)valid;
    (void)host;
    return GIT_PASSTHROUGH;
}

/* ---- progress and deadline ---------------------------------------------------- */

static int transfer_cb(const git_indexer_progress *stats, void *payload)
{
    (void)stats;
    return past_deadline(payload) ? -1 : 0;
}

static int sideband_cb(const char *str, int len, void *payload)
{
    (void)str;
    (void)len;
    return past_deadline(payload) ? -1 : 0;
}

static int push_progress_cb(unsigned int current, unsigned int total, size_t bytes, void *payload)
{
    (void)current;
    (void)total;
    (void)bytes;
    return past_deadline(payload) ? -1 : 0;
}

/* Fill callbacks for ctx. */
void gotk_git_callbacks(gotk_git_ctx *ctx, git_remote_callbacks *cb)
{
    git_remote_init_callbacks(cb, GIT_REMOTE_CALLBACKS_VERSION);
    cb->credentials = cred_cb;
    cb->certificate_check = cert_cb;
    cb->transfer_progress = transfer_cb;
    cb->sideband_progress = sideband_cb;
    cb->push_transfer_progress = push_progress_cb;
    cb->payload = ctx;
}
