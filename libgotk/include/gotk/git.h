/*
 * git: what source-controller and image-automation-controller do with Git,
 * on libgit2 (1.5, with libssh2 for SSH and mbedTLS for HTTPS).
 *
 * Checkout. gotk_git_checkout lists the remote's refs, resolves the requested
 * reference to a commit, and returns "unchanged" without fetching when the
 * resulting revision equals the last one the caller saw. Otherwise it fetches
 * only the one ref it needs (libgit2 1.5 cannot fetch shallow; a single ref is
 * the closest it gets), checks the commit out into the directory (detached
 * HEAD), and optionally updates submodules recursively with the same
 * credentials.
 *
 * References, in Flux's precedence: commit (alone, or checked to be on
 * `branch`), name (any refname; annotated tags are peeled), semver (the
 * highest tag matching the constraint, tags parsed as Flux's version package
 * does), tag, branch (default "master").
 *
 * Revisions, exactly as Flux writes them: `<branch>@sha1:<hex>`,
 * `<tag>@sha1:<commit hex>`, `sha1:<hex>` for a bare commit, and for `name`
 * the full refname, `refs/pull/1/head@sha1:<hex>`.
 *
 * URLs: http://, https://, ssh://, git://. The scp form `git@host:org/repo` is
 * rejected with a message saying to write `ssh://git@host/org/repo`.
 *
 * Authentication comes from the Secret keys Flux uses (gotk_git_auth_set):
 *  - `username` + `password`: HTTP basic (over http:// too, as Flux allows);
 *  - `bearerToken`: an `Authorization: Bearer` header (not with basic auth);
 *  - `identity` (+ `identity.pub`, + `password` as its passphrase) and
 *    `known_hosts` (required for ssh://): the server's host key must appear in
 *    known_hosts for `host` or `[host]:port` (plain, hashed `|1|` and wildcard
 *    entries); an unknown host or a different key is an error naming the host;
 *  - `ca.crt`: HTTPS servers are verified against these CAs instead of the
 *    system's, host name or IP included;
 *  - `tls.crt` + `tls.key`: a client certificate for HTTPS.
 * libgit2 1.5 can do neither per remote, so this module registers its own
 * plain and TLS (OpenSSL) streams with libgit2 and applies the running
 * operation's Secret there. No error message ever contains a password, token
 * or key, and a password written into the URL is shown as "xxxxx".
 *
 * Timeout: a deadline for the whole operation. Our streams connect, read and
 * write within it (HTTP, HTTPS, git://); for SSH, whose socket libssh2
 * drives, libgit2's progress callbacks check it between packets.
 *
 * Commit and push: gotk_git_commit_push stages every change in a checkout,
 * commits it with the given author and message on top of HEAD, and pushes it
 * to a branch of the checkout's remote with the same authentication.
 *
 * Verification (`spec.verify`): OpenPGP signatures of commits and annotated
 * tags checked against a keyring built from a Secret's armored public keys,
 * with Flux's messages. SSH and X.509 signatures are not verified.
 *
 * Not here yet: proxies, sparse checkout.
 */
#ifndef GOTK_GIT_H
#define GOTK_GIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gotk/core.h"

/* Process-wide libgit2 setup (and our network streams); every gotk_git_*
 * function calls it. Safe to call more than once, from any thread. */
void gotk_git_init(void);
/* Release libgit2's global state (tests, to keep leak checkers quiet). */
void gotk_git_shutdown(void);

/* ---- authentication ---------------------------------------------------- */

typedef struct {
    const char *data; /* not owned; not NUL-terminated necessarily */
    size_t len;
} gotk_git_bytes;

/* The Secret's data, by Flux's key names. Pointers are borrowed. */
typedef struct {
    gotk_git_bytes username, password, bearer_token;
    gotk_git_bytes identity, identity_pub, known_hosts;
    gotk_git_bytes ca_crt, tls_crt, tls_key;
} gotk_git_auth;

/* Set the field for a Secret key ("username", "bearerToken", "identity.pub",
 * "ca.crt", ...). Returns false for keys Git authentication does not use. */
bool gotk_git_auth_set(gotk_git_auth *a, const char *key, const void *data, size_t len);

/* ---- references and revisions ------------------------------------------ */

typedef struct {
    const char *branch, *tag, *semver, *name, *commit; /* NULL or "" = unset */
} gotk_git_ref;

/* Flux's revision string for a commit reached through `reference` (a full
 * refname, or NULL/"" for a bare commit): "main@sha1:<hex>", "v1@sha1:<hex>",
 * "sha1:<hex>". With `absolute`, the full refname is kept
 * ("refs/pull/1/head@sha1:<hex>"). Caller frees. */
char *gotk_git_revision(const char *reference, const char *hex, bool absolute);

/* Check a URL: scheme http, https, ssh or git, a host, no scp form. */
gotk_err *gotk_git_url_check(const char *url);

/* ---- checkout ----------------------------------------------------------- */

typedef struct {
    const char *url;
    gotk_git_ref ref;
    const gotk_git_auth *auth;  /* NULL: anonymous */
    const char *last_revision;  /* skip the fetch when the revision equals it */
    bool recurse_submodules;
    bool fetch_only;            /* fetch and set HEAD, leave the work tree empty
                                   (gotk_git_checkout_head fills it later) */
    gotk_duration timeout;      /* 0: none */
} gotk_git_checkout_opts;

typedef struct {
    char *revision;  /* Flux's revision string */
    char *reference; /* full refname the commit came from, "" for a bare commit */
    char commit[41]; /* hex */
    bool unchanged;  /* revision == last_revision: nothing fetched or written */
    /* The commit, for events (NULL when unchanged). */
    char *message;
    char *author_name, *author_email;
    int64_t author_time; /* seconds since the epoch */
} gotk_git_result;

/* Check out opts->ref of opts->url into `dir` (created if missing; should be
 * empty; an unchanged revision writes nothing there). On error `out` holds
 * nothing to free. */
gotk_err *gotk_git_checkout(const gotk_git_checkout_opts *opts, const char *dir,
                            gotk_git_result *out);
/* Write HEAD's tree into the empty work tree of a fetch_only checkout. */
gotk_err *gotk_git_checkout_head(const char *dir);
/* Resolve the reference against the remote's ref list only (no fetch): fills
 * revision, reference and commit. Not possible for `commit` without branch
 * verification; that case is answered locally. */
gotk_err *gotk_git_resolve(const gotk_git_checkout_opts *opts, gotk_git_result *out);
void gotk_git_result_free(gotk_git_result *r);

/* ---- commit and push ----------------------------------------------------- */

typedef struct {
    const char *author_name, *author_email;
    const char *message;
    const char *branch;        /* push to refs/heads/<branch> */
    bool force;                /* force-push */
    const gotk_git_auth *auth; /* NULL: anonymous */
    gotk_duration timeout;
} gotk_git_push_opts;

/* Stage every change in the checkout at `dir`, commit it on top of HEAD and
 * push to the remote "origin". `commit_hex` (41 bytes, may be NULL) receives
 * the new commit. When nothing changed, returns an error with code
 * GOTK_E_CONFLICT and message "no changes to commit" and pushes nothing. */
gotk_err *gotk_git_commit_push(const char *dir, const gotk_git_push_opts *opts,
                               char commit_hex[41]);

/* ---- seeding ------------------------------------------------------------- */

/* Create a bare repository at `bare_dir` whose `branch` holds one commit with
 * every file under `src_dir`. An existing repository there is left as it is
 * (*created false). */
gotk_err *gotk_git_seed_bare(const char *bare_dir, const char *src_dir, const char *branch,
                             const char *author_name, const char *author_email,
                             const char *message, bool *created);

/* ---- signature verification (spec.verify) -------------------------------- */

/* OpenPGP public keys to verify signatures with (verify.c, pgp_*.c: our own
 * RFC 4880 / 9580 reader on OpenSSL). Keys: RSA, DSA, ECDSA P-256/384/521,
 * Ed25519 (legacy EdDSA and RFC 9580); v4 and v6 keys and signatures.
 * Signing subkeys count once their binding signature and cross-signature
 * (the embedded primary key binding) check; a key past the expiration its
 * newest self-signature gives, or revoked, verifies nothing. */
typedef struct gotk_git_keyring gotk_git_keyring;

gotk_git_keyring *gotk_git_keyring_new(void);
/* Add every key of the ASCII-armored "PGP PUBLIC KEY BLOCK"s in text (one
 * Secret value). On error (bad armor or CRC, bad packets) nothing is added. */
gotk_err *gotk_git_keyring_add_armored(gotk_git_keyring *kr, const char *text, size_t len);
/* Number of primary keys held. */
size_t gotk_git_keyring_count(const gotk_git_keyring *kr);
void gotk_git_keyring_free(gotk_git_keyring *kr);

/* "openpgp", "ssh", "x509", "unknown" or "empty", as Flux names a Git
 * signature's type from its first line. */
const char *gotk_git_signature_type(const char *sig, size_t len);

/* Verify an armored detached signature over data at time `now` (seconds
 * since the epoch; 0: the current time). On success `key_id` (may be NULL)
 * gets the signer's primary key ID, 16 uppercase hex digits. On failure the
 * message is Flux's ("unable to verify payload with any of the given key
 * rings: no matching key") followed by the reason, naming the key ID. An
 * empty keyring fails with code GOTK_E_GENERIC (other failures: INVALID). */
gotk_err *gotk_git_pgp_verify(const gotk_git_keyring *keys, const char *sig, size_t siglen,
                              const void *data, size_t len, int64_t now, char key_id[17]);

/* Verify the signature of commit `commit_hex` in the repository at
 * `repo_dir` (a checkout or bare repository). An unsigned commit fails with
 * "unsupported signature type: empty" (Flux's text), a bad one with "unable to
 * verify Git commit: ..." as above. */
gotk_err *gotk_git_verify_commit(const char *repo_dir, const char *commit_hex,
                                 const gotk_git_keyring *keys, char key_id[17]);
/* Verify the signature of the annotated tag refs/tags/<tag> (`tag` may also
 * be the full refname). `tag_hex` (may be NULL) gets the tag object's ID
 * (left untouched for a lightweight tag). A missing, lightweight or unsigned
 * tag fails with code GOTK_E_NOTFOUND ("tag 'v1' is not signed"), before the
 * signature type and the keyring are looked at; a bad signature with "unable
 * to verify Git tag: ...". */
gotk_err *gotk_git_verify_tag(const char *repo_dir, const char *tag, const gotk_git_keyring *keys,
                              char key_id[17], char tag_hex[41]);

/* A new local repository in `dir` (created if missing) with remote "origin" at
 * `url` and no commits: gotk_git_commit_push then makes the branch's first
 * commit. For bootstrapping a repository that is still empty. */
gotk_err *gotk_git_init_empty(const char *dir, const char *url);

#endif
