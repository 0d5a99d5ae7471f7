/*
 * git: OpenPGP verification of commits and tags (gotk_git_verify_*, keyring,
 * armor and packet errors).
 *
 * The group setup makes real keys and signatures once with GnuPG in a
 * temporary GNUPGHOME: RSA-3072 and Ed25519 primary signing keys, a
 * certify-only Ed25519 key with an ECDSA P-256 signing subkey, DSA-2048 and
 * ECDSA P-384 signing keys, a key that is not exported ("stranger"), a key
 * made in 2020 that expired in 2021, a key that expires in a day, and a
 * revoked key. A Git repository gets commits signed by each, an unsigned
 * commit, a tampered copy of a signed commit, and signed, unsigned,
 * lightweight and tampered tags. RFC 9580's sample v6 certificate and
 * signature cover v6; hand-made packets and random mutations cover the
 * parsers' error paths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "gotk/git.h"

/* Everything the setup made. */
typedef struct {
    char *tmp, *repo;
    char fpr_rsa[41], fpr_ed[41], fpr_sub[41], fpr_stranger[41], fpr_old[41], fpr_soon[41],
        fpr_revoked[41], fpr_dsa[41], fpr_p384[41];
    char c_rsa[41], c_ed[41], c_sub[41], c_unsigned[41], c_stranger[41], c_old[41],
        c_tampered[41];
    char *pub_all;       /* armored export of every key but the stranger */
    char *pub_rsa;       /* armored export of the RSA key alone */
    char *doc, *doc_sig_soon, *doc_sig_text, *doc_sig_revoked;
    char *pub_more, *doc_sig_dsa, *doc_sig_p384; /* DSA and ECDSA P-384 primary keys */
} fixture;

static fixture fx;

/* Run a shell command in the repo directory; return its stdout. */
static char *sh(const char *fmt, ...) GOTK_PRINTF(1, 2);
static char *sh(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gotk_buf cmd = {0};
    gotk_buf_printf(&cmd, "cd '%s' && (", fx.repo);
    gotk_buf_vprintf(&cmd, fmt, ap);
    gotk_buf_puts(&cmd, ") 2>/dev/null");
    va_end(ap);
    FILE *p = popen(cmd.data, "r");
    assert_non_null(p);
    gotk_buf out = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        gotk_buf_append(&out, chunk, n);
    int rc = pclose(p);
    if (rc != 0)
        fail_msg("command failed (%d): %s", rc, cmd.data);
    gotk_buf_free(&cmd);
    return out.data ? gotk_buf_steal(&out) : gotk_xstrdup("");
}

/* Copy the first 40 characters of s into out and free s. */
static void take40(char out[41], char *s)
{
    assert_true(strlen(s) >= 40);
    memcpy(out, s, 40);
    out[40] = '\0';
    free(s);
}

/* Generate a key; its primary fingerprint goes to fpr. */
static void gen_key(char fpr[41], const char *uid, const char *algo, const char *usage,
                    const char *expire, const char *faked)
{
    free(sh("gpg --batch --passphrase '' %s --quick-gen-key '%s' %s %s %s", faked, uid, algo,
            usage, expire));
    take40(fpr, sh("gpg --with-colons --list-keys '%s' | awk -F: '/^fpr/ {print $10; exit}'",
                   uid));
}

/* Commit (signed with key `fpr` unless NULL) and return its ID. */
static void commit(char out[41], const char *fpr, const char *msg, const char *gpg)
{
    free(sh("echo '%s' >> file && git add file", msg));
    if (fpr)
        free(sh("git -c gpg.program='%s' -c user.signingkey='%s%s' commit -q -S -m '%s'", gpg, fpr,
                fpr == fx.fpr_sub ? "" : "!", msg)); /* no '!': gpg picks the subkey */
    else
        free(sh("git commit -q -m '%s'", msg));
    take40(out, sh("git rev-parse HEAD"));
}

/* Keys and their exports. */
static void make_keys(void)
{
    gen_key(fx.fpr_rsa, "RSA Signer <rsa@test>", "rsa3072", "sign", "never", "");
    gen_key(fx.fpr_ed, "Ed Signer <ed@test>", "ed25519", "sign", "never", "");
    gen_key(fx.fpr_sub, "Sub Signer <sub@test>", "ed25519", "cert", "never", "");
    free(sh("gpg --batch --passphrase '' --quick-add-key %s nistp256/ecdsa sign never", fx.fpr_sub));
    gen_key(fx.fpr_stranger, "Stranger <stranger@test>", "ed25519", "sign", "never", "");
    gen_key(fx.fpr_old, "Old Signer <old@test>", "ed25519", "sign", "1y",
            "--faked-system-time 20200101T000000");
    gen_key(fx.fpr_soon, "Soon Signer <soon@test>", "ed25519", "sign", "1d", "");
    gen_key(fx.fpr_revoked, "Revoked Signer <revoked@test>", "rsa2048", "sign", "never", "");
    gen_key(fx.fpr_dsa, "DSA Signer <dsa@test>", "dsa2048", "sign", "never", "");
    gen_key(fx.fpr_p384, "P384 Signer <p384@test>", "nistp384", "sign", "never", "");
    fx.pub_more = sh("gpg --armor --export %s %s", fx.fpr_dsa, fx.fpr_p384);
    fx.pub_all = sh("gpg --armor --export %s %s %s %s %s %s", fx.fpr_rsa, fx.fpr_ed, fx.fpr_sub,
                    fx.fpr_old, fx.fpr_soon, fx.fpr_revoked);
    fx.pub_rsa = sh("gpg --armor --export %s", fx.fpr_rsa);
}

/* A document with detached signatures, then revoke one key. */
static void make_documents(void)
{
    fx.doc = gotk_xstrdup("apiVersion: v1\nkind: ConfigMap\n");
    free(sh("printf '%%s' '%s' > ../doc", fx.doc));
    fx.doc_sig_soon = sh("gpg -u '%s!' --armor --detach-sign -o - ../doc", fx.fpr_soon);
    fx.doc_sig_text = sh("gpg -u '%s!' --textmode --armor --detach-sign -o - ../doc", fx.fpr_ed);
    fx.doc_sig_revoked = sh("gpg -u '%s!' --armor --detach-sign -o - ../doc", fx.fpr_revoked);
    fx.doc_sig_dsa = sh("gpg -u '%s!' --armor --detach-sign -o - ../doc", fx.fpr_dsa);
    fx.doc_sig_p384 = sh("gpg -u '%s!' --armor --detach-sign -o - ../doc", fx.fpr_p384);
    free(sh("sed 's/^:-----/-----/' \"$GNUPGHOME/openpgp-revocs.d/%s.rev\" | gpg --batch --import",
            fx.fpr_revoked));
    free(fx.pub_all);
    fx.pub_all = sh("gpg --armor --export %s %s %s %s %s %s", fx.fpr_rsa, fx.fpr_ed, fx.fpr_sub,
                    fx.fpr_old, fx.fpr_soon, fx.fpr_revoked);
}

/* The repository: signed and unsigned commits and tags. */
static void make_repo(void)
{
    free(sh("git init -q -b main . && git config user.name T && git config user.email t@test"));
    commit(fx.c_rsa, fx.fpr_rsa, "rsa", "gpg");
    free(sh("git -c gpg.program=gpg -c user.signingkey='%s!' tag -s v1 -m 'signed tag'",
            fx.fpr_rsa));
    free(sh("git -c gpg.program=gpg -c user.signingkey='%s!' tag -s v1-stranger -m 'tag'",
            fx.fpr_stranger));
    free(sh("git tag -a v1-unsigned -m 'unsigned tag' && git tag v1-light"));
    free(sh("git cat-file tag v1 | sed 's/signed tag/signed tag!/' | git hash-object -t tag -w "
            "--stdin | xargs git update-ref refs/tags/v1-tampered"));
    commit(fx.c_ed, fx.fpr_ed, "ed", "gpg");
    free(sh("git -c gpg.program=gpg -c user.signingkey='%s!' tag -s v2 -m 'ed tag'", fx.fpr_ed));
    commit(fx.c_sub, fx.fpr_sub, "sub", "gpg");
    commit(fx.c_unsigned, NULL, "unsigned", "gpg");
    commit(fx.c_stranger, fx.fpr_stranger, "stranger", "gpg");
    free(sh("printf '#!/bin/sh\\nexec gpg --faked-system-time 20200601T000000 \"$@\"\\n' > "
            "../gpg-past && chmod +x ../gpg-past"));
    char *past = gotk_xasprintf("%s/gpg-past", fx.tmp);
    commit(fx.c_old, fx.fpr_old, "old", past);
    free(past);
    take40(fx.c_tampered, sh("git cat-file commit %s | sed 's/^rsa$/rsa!/' | git hash-object -t "
                             "commit -w --stdin", fx.c_rsa));
}

static int setup(void **state)
{
    (void)state;
    assert_null(gotk_file_temp_dir("gotk-verify", &fx.tmp));
    fx.repo = gotk_xasprintf("%s/repo", fx.tmp);
    char *home = gotk_xasprintf("%s/gnupg", fx.tmp);
    assert_int_equal(mkdir(home, 0700), 0);
    assert_int_equal(mkdir(fx.repo, 0755), 0);
    setenv("GNUPGHOME", home, 1);
    setenv("HOME", fx.tmp, 1);
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    free(home);
    make_keys();
    make_repo();
    make_documents();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(sh("gpgconf --kill all"));
    gotk_err_free(gotk_file_remove_all(fx.tmp));
    free(fx.tmp);
    free(fx.repo);
    free(fx.pub_all);
    free(fx.pub_rsa);
    free(fx.doc);
    free(fx.doc_sig_soon);
    free(fx.doc_sig_text);
    free(fx.doc_sig_revoked);
    free(fx.pub_more);
    free(fx.doc_sig_dsa);
    free(fx.doc_sig_p384);
    gotk_git_shutdown();
    return 0;
}

/* A keyring of every exported key. */
static gotk_git_keyring *keyring_all(void)
{
    gotk_git_keyring *kr = gotk_git_keyring_new();
    assert_null(gotk_git_keyring_add_armored(kr, fx.pub_all, strlen(fx.pub_all)));
    assert_int_equal(gotk_git_keyring_count(kr), 6);
    return kr;
}

/* The key ID of a v4 fingerprint: its last 16 hex digits. */
static const char *keyid(const char *fpr)
{
    return fpr + 24;
}

/* Assert err is set with message `want`, then free it. */
static void assert_err(gotk_err *e, const char *want)
{
    assert_non_null(e);
    assert_string_equal(gotk_err_msg(e), want);
    gotk_err_free(e);
}

/* ---- commits ---- */

static void test_commit_rsa_ed25519_subkey(void **state)
{
    (void)state;
    gotk_git_keyring *kr = keyring_all();
    char id[17];
    assert_null(gotk_git_verify_commit(fx.repo, fx.c_rsa, kr, id));
    assert_string_equal(id, keyid(fx.fpr_rsa));
    assert_null(gotk_git_verify_commit(fx.repo, fx.c_ed, kr, id));
    assert_string_equal(id, keyid(fx.fpr_ed));
    /* Signed by the ECDSA P-256 subkey; Flux reports the primary's ID. */
    assert_null(gotk_git_verify_commit(fx.repo, fx.c_sub, kr, id));
    assert_string_equal(id, keyid(fx.fpr_sub));
    gotk_git_keyring_free(kr);
}

static void test_commit_keys_in_separate_values(void **state)
{
    (void)state;
    gotk_git_keyring *kr = gotk_git_keyring_new();
    char *ed = sh("gpg --armor --export %s", fx.fpr_ed);
    assert_null(gotk_git_keyring_add_armored(kr, fx.pub_rsa, strlen(fx.pub_rsa)));
    assert_null(gotk_git_keyring_add_armored(kr, ed, strlen(ed)));
    assert_int_equal(gotk_git_keyring_count(kr), 2);
    assert_null(gotk_git_verify_commit(fx.repo, fx.c_rsa, kr, NULL));
    assert_null(gotk_git_verify_commit(fx.repo, fx.c_ed, kr, NULL));
    gotk_git_keyring_free(kr);
    free(ed);
}

static void test_commit_unsigned(void **state)
{
    (void)state;
    gotk_git_keyring *kr = keyring_all();
    assert_err(gotk_git_verify_commit(fx.repo, fx.c_unsigned, kr, NULL),
               "unsupported signature type: empty");
    gotk_git_keyring_free(kr);
}

static void test_commit_tampered(void **state)
{
    (void)state;
    gotk_git_keyring *kr = keyring_all();
    char *want = gotk_xasprintf("unable to verify Git commit: unable to verify payload with any "
                                "of the given key rings: no matching key: key %s: signature does "
                                "not match the signed data",
                                keyid(fx.fpr_rsa));
    assert_err(gotk_git_verify_commit(fx.repo, fx.c_tampered, kr, NULL), want);
    free(want);
    gotk_git_keyring_free(kr);
}

static void test_commit_unknown_key(void **state)
{
    (void)state;
    gotk_git_keyring *kr = keyring_all();
    char *want = gotk_xasprintf("unable to verify Git commit: unable to verify payload with any "
                                "of the given key rings: no matching key: signed with key ID %s, "
                                "which is not in the key ring",
                                keyid(fx.fpr_stranger));
    assert_err(gotk_git_verify_commit(fx.repo, fx.c_stranger, kr, NULL), want);
    free(want);
    /* A keyring without the Ed25519 key does not verify its commit either. */
    gotk_git_keyring *rsa = gotk_git_keyring_new();
    assert_null(gotk_git_keyring_add_armored(rsa, fx.pub_rsa, strlen(fx.pub_rsa)));
    gotk_err *e = gotk_git_verify_commit(fx.repo, fx.c_ed, rsa, NULL);
    assert_non_null(e);
    assert_non_null(strstr(gotk_err_msg(e), keyid(fx.fpr_ed)));
    gotk_err_free(e);
    gotk_git_keyring_free(rsa);
    gotk_git_keyring_free(kr);
}

static void test_commit_expired_key(void **state)
{
    (void)state;
    gotk_git_keyring *kr = keyring_all();
    gotk_err *e = gotk_git_verify_commit(fx.repo, fx.c_old, kr, NULL);
    assert_non_null(e);
    char *want = gotk_xasprintf("no matching key: key %s expired at 202", keyid(fx.fpr_old));
    if (!strstr(gotk_err_msg(e), want))
        fail_msg("unexpected: %s", gotk_err_msg(e));
    free(want);
    gotk_err_free(e);
    gotk_git_keyring_free(kr);
}

static void test_commit_errors(void **state)
{
    (void)state;
    gotk_git_keyring *kr = keyring_all();
    gotk_git_keyring *empty = gotk_git_keyring_new();
    gotk_err *e = gotk_git_verify_commit(fx.repo, fx.c_rsa, empty, NULL);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_GENERIC); /* the code that says "no keys" */
    assert_err(e, "unable to verify Git commit: no OpenPGP public keys to verify with");
    /* An unsigned commit says so before the keyring is looked at. */
    assert_err(gotk_git_verify_commit(fx.repo, fx.c_unsigned, empty, NULL),
               "unsupported signature type: empty");
    char *want = gotk_xasprintf("commit '%040d' not found in %s", 0, fx.repo);
    char zero[41];
    snprintf(zero, sizeof zero, "%040d", 0);
    assert_err(gotk_git_verify_commit(fx.repo, zero, kr, NULL), want);
    free(want);
    gotk_git_keyring_free(empty);
    gotk_git_keyring_free(kr);
}

/* ---- tags ---- */

static void test_tag_signed(void **state)
{
    (void)state;
    gotk_git_keyring *kr = keyring_all();
    char id[17], hex[41];
    assert_null(gotk_git_verify_tag(fx.repo, "v1", kr, id, hex));
    assert_string_equal(id, keyid(fx.fpr_rsa));
    char *obj = sh("git rev-parse refs/tags/v1");
    assert_memory_equal(hex, obj, 40);
    free(obj);
    assert_null(gotk_git_verify_tag(fx.repo, "refs/tags/v2", kr, id, NULL));
    assert_string_equal(id, keyid(fx.fpr_ed));
    gotk_git_keyring_free(kr);
}

static void test_tag_failures(void **state)
{
    (void)state;
    gotk_git_keyring *kr = keyring_all();
    gotk_err *e = gotk_git_verify_tag(fx.repo, "v1-unsigned", kr, NULL, NULL);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_NOTFOUND);
    assert_err(e, "tag 'v1-unsigned' is not signed");
    char hex[41] = "";
    e = gotk_git_verify_tag(fx.repo, "v1-light", kr, NULL, hex);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_NOTFOUND);
    assert_string_equal(hex, ""); /* no tag object */
    assert_err(e, "tag 'v1-light' is not an annotated tag");
    assert_err(gotk_git_verify_tag(fx.repo, "nope", kr, NULL, NULL), "tag 'nope' not found");
    char *want = gotk_xasprintf("unable to verify Git tag: unable to verify payload with any of "
                                "the given key rings: no matching key: key %s: signature does not "
                                "match the signed data",
                                keyid(fx.fpr_rsa));
    assert_err(gotk_git_verify_tag(fx.repo, "v1-tampered", kr, NULL, NULL), want);
    free(want);
    want = gotk_xasprintf("unable to verify Git tag: unable to verify payload with any of the "
                          "given key rings: no matching key: signed with key ID %s, which is not "
                          "in the key ring",
                          keyid(fx.fpr_stranger));
    assert_err(gotk_git_verify_tag(fx.repo, "v1-stranger", kr, NULL, NULL), want);
    free(want);
    gotk_git_keyring_free(kr);
}

/* ---- detached signatures ---- */

static void test_detached_expiry_text_revoked(void **state)
{
    (void)state;
    gotk_git_keyring *kr = keyring_all();
    size_t dl = strlen(fx.doc);
    char id[17];
    int64_t now = (int64_t)time(NULL);
    assert_null(gotk_git_pgp_verify(kr, fx.doc_sig_soon, strlen(fx.doc_sig_soon), fx.doc, dl, 0, id));
    assert_string_equal(id, keyid(fx.fpr_soon));
    gotk_err *e = gotk_git_pgp_verify(kr, fx.doc_sig_soon, strlen(fx.doc_sig_soon), fx.doc, dl,
                                      now + 3 * 86400, NULL);
    assert_non_null(e);
    assert_non_null(strstr(gotk_err_msg(e), "expired at"));
    gotk_err_free(e);
    /* A text-mode signature (type 0x01) hashes CRLF line ends. */
    assert_null(gotk_git_pgp_verify(kr, fx.doc_sig_text, strlen(fx.doc_sig_text), fx.doc, dl, 0, id));
    assert_string_equal(id, keyid(fx.fpr_ed));
    char *want = gotk_xasprintf("unable to verify payload with any of the given key rings: no "
                                "matching key: key %s has been revoked",
                                keyid(fx.fpr_revoked));
    assert_err(gotk_git_pgp_verify(kr, fx.doc_sig_revoked, strlen(fx.doc_sig_revoked), fx.doc, dl,
                                   0, NULL),
               want);
    free(want);
    /* One changed byte of data. */
    char *bad = gotk_xstrdup(fx.doc);
    bad[0] = 'A';
    e = gotk_git_pgp_verify(kr, fx.doc_sig_text, strlen(fx.doc_sig_text), bad, dl, 0, NULL);
    assert_non_null(e);
    assert_non_null(strstr(gotk_err_msg(e), "signature does not match the signed data"));
    gotk_err_free(e);
    free(bad);
    assert_err(gotk_git_pgp_verify(kr, "", 0, fx.doc, dl, 0, NULL),
               "unable to verify payload: signature is empty");
    gotk_git_keyring_free(kr);
}

static void test_detached_dsa_and_p384(void **state)
{
    (void)state;
    gotk_git_keyring *kr = gotk_git_keyring_new();
    assert_null(gotk_git_keyring_add_armored(kr, fx.pub_more, strlen(fx.pub_more)));
    assert_int_equal(gotk_git_keyring_count(kr), 2);
    size_t dl = strlen(fx.doc);
    char id[17];
    assert_null(gotk_git_pgp_verify(kr, fx.doc_sig_dsa, strlen(fx.doc_sig_dsa), fx.doc, dl, 0, id));
    assert_string_equal(id, keyid(fx.fpr_dsa));
    assert_null(gotk_git_pgp_verify(kr, fx.doc_sig_p384, strlen(fx.doc_sig_p384), fx.doc, dl, 0, id));
    assert_string_equal(id, keyid(fx.fpr_p384));
    gotk_err *e = gotk_git_pgp_verify(kr, fx.doc_sig_dsa, strlen(fx.doc_sig_dsa), "x", 1, 0, NULL);
    assert_non_null(e);
    assert_non_null(strstr(gotk_err_msg(e), "signature does not match the signed data"));
    gotk_err_free(e);
    gotk_git_keyring_free(kr);
}

/* RFC 9580 Appendix A.3: a v6 certificate (Ed25519 primary, X25519 subkey). */
static const char rfc9580_cert[] =
    "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n"
    "xioGY4d/4xsAAAAg+U2nu0jWCmHlZ3BqZYfQMxmZu52JGggkLq2EVD34laPCsQYf\n"
    "GwoAAABCBYJjh3/jAwsJBwUVCg4IDAIWAAKbAwIeCSIhBssYbE8GCaaX5NUt+mxy\n"
    "KwwfHifBilZwj2Ul7Ce62azJBScJAgcCAAAAAK0oIBA+LX0ifsDm185Ecds2v8lw\n"
    "gyU2kCcUmKfvBXbAf6rhRYWzuQOwEn7E/aLwIwRaLsdry0+VcallHhSu4RN6HWaE\n"
    "QsiPlR4zxP/TP7mhfVEe7XWPxtnMUMtf15OyA51YBM4qBmOHf+MZAAAAIIaTJINn\n"
    "+eUBXbki+PSAld2nhJh/LVmFsS+60WyvXkQ1wpsGGBsKAAAALAWCY4d/4wKbDCIh\n"
    "BssYbE8GCaaX5NUt+mxyKwwfHifBilZwj2Ul7Ce62azJAAAAAAQBIKbpGG2dWTX8\n"
    "j+VjFM21J0hqWlEg+bdiojWnKfA5AQpWUWtnNwDEM0g12vYxoWM8Y81W+bHBw805\n"
    "I8kWVkXU6vFOi+HWvv/ira7ofJu16NnoUkhclkUrk0mXubZvyl4GBg==\n"
    "-----END PGP PUBLIC KEY BLOCK-----\n";

/* RFC 9580 Appendix A.6: the v6 text signature of the cleartext message. */
static const char rfc9580_sig[] =
    "-----BEGIN PGP SIGNATURE-----\n\n"
    "wpgGARsKAAAAKQWCY5ijYyIhBssYbE8GCaaX5NUt+mxyKwwfHifBilZwj2Ul7Ce6\n"
    "2azJAAAAAGk2IHZJX1AhiJD39eLuPBgiUU9wUA9VHYblySHkBONKU/usJ9BvuAqo\n"
    "/FvLFuGWMbKAdA+epq7V4HOtAPlBWmU8QOd6aud+aSunHQaaEJ+iTFjP2OMW0KBr\n"
    "NK2ay45cX1IVAQ==\n"
    "-----END PGP SIGNATURE-----\n";

static void test_rfc9580_v6(void **state)
{
    (void)state;
    const char *text = "What we need from the grocery store:\n\n- tofu\n- vegetables\n- noodles\n";
    gotk_git_keyring *kr = gotk_git_keyring_new();
    assert_null(gotk_git_keyring_add_armored(kr, rfc9580_cert, strlen(rfc9580_cert)));
    char id[17];
    assert_null(gotk_git_pgp_verify(kr, rfc9580_sig, strlen(rfc9580_sig), text, strlen(text), 0,
                                    id));
    assert_string_equal(id, "CB186C4F0609A697"); /* a v6 key ID leads its fingerprint */
    gotk_err *e = gotk_git_pgp_verify(kr, rfc9580_sig, strlen(rfc9580_sig), "tofu\n", 5, 0, NULL);
    assert_non_null(e);
    assert_non_null(strstr(gotk_err_msg(e), "key CB186C4F0609A697: signature does not match"));
    gotk_err_free(e);
    gotk_git_keyring_free(kr);
}

static void test_signature_type(void **state)
{
    (void)state;
    const char *pgp = "\n-----BEGIN PGP SIGNATURE-----\n", *ssh = "-----BEGIN SSH SIGNATURE-----";
    assert_string_equal(gotk_git_signature_type(pgp, strlen(pgp)), "openpgp");
    assert_string_equal(gotk_git_signature_type(ssh, strlen(ssh)), "ssh");
    assert_string_equal(gotk_git_signature_type("x", 1), "unknown");
    assert_string_equal(gotk_git_signature_type("", 0), "empty");
}

/* ---- armor and packets ---- */

/* CRC-24 of RFC 4880 (the test's own copy). */
static uint32_t crc24(const uint8_t *d, size_t n)
{
    uint32_t crc = 0xB704CE;
    for (size_t i = 0; i < n; i++) {
        crc ^= (uint32_t)d[i] << 16;
        for (int b = 0; b < 8; b++)
            if ((crc <<= 1) & 0x1000000)
                crc ^= 0x1864CFB;
    }
    return crc & 0xFFFFFF;
}

/* Armor binary data as a block of `type`, with a correct checksum. */
static char *armor_as(const char *type, const uint8_t *d, size_t n)
{
    uint32_t c = crc24(d, n);
    uint8_t cb[3] = {(uint8_t)(c >> 16), (uint8_t)(c >> 8), (uint8_t)c};
    char *b64 = gotk_base64_encode(d, n), *crc = gotk_base64_encode(cb, 3);
    gotk_buf out = {0};
    gotk_buf_printf(&out, "-----BEGIN PGP %s-----\n\n", type);
    for (size_t i = 0, l = strlen(b64); i < l; i += 64) {
        gotk_buf_append(&out, b64 + i, l - i < 64 ? l - i : 64);
        gotk_buf_putc(&out, '\n');
    }
    gotk_buf_printf(&out, "=%s\n-----END PGP %s-----\n", crc, type);
    free(b64);
    free(crc);
    return gotk_buf_steal(&out);
}

/* Armor binary data as a public key block. */
static char *armor(const uint8_t *d, size_t n)
{
    return armor_as("PUBLIC KEY BLOCK", d, n);
}

/* Add armored binary data to a fresh keyring; return the error text. */
static char *add_error(const uint8_t *d, size_t n)
{
    char *text = armor(d, n);
    gotk_git_keyring *kr = gotk_git_keyring_new();
    gotk_err *e = gotk_git_keyring_add_armored(kr, text, strlen(text));
    char *msg = e ? gotk_xstrdup(gotk_err_msg(e)) : NULL;
    gotk_err_free(e);
    gotk_git_keyring_free(kr);
    free(text);
    return msg;
}

/* Assert the text fails to load with message `want`. */
static void assert_add_fails(const char *text, const char *want)
{
    gotk_git_keyring *kr = gotk_git_keyring_new();
    assert_err(gotk_git_keyring_add_armored(kr, text, strlen(text)), want);
    assert_int_equal(gotk_git_keyring_count(kr), 0);
    gotk_git_keyring_free(kr);
}

static void test_armor_errors(void **state)
{
    (void)state;
    assert_add_fails("not a key", "openpgp: no armored 'PGP PUBLIC KEY BLOCK' found");
    assert_add_fails("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQ==\n",
                     "openpgp: armor: missing '-----END PGP PUBLIC KEY BLOCK-----' line");
    char *bad = gotk_xstrdup(fx.pub_rsa);
    char *eq = strstr(bad, "\n=");
    assert_non_null(eq);
    eq[2] = eq[2] == 'A' ? 'B' : 'A';
    gotk_git_keyring *kr = gotk_git_keyring_new();
    gotk_err *e = gotk_git_keyring_add_armored(kr, bad, strlen(bad));
    assert_non_null(e);
    assert_non_null(strstr(gotk_err_msg(e), "openpgp: armor: checksum mismatch (CRC-24 "));
    gotk_err_free(e);
    gotk_git_keyring_free(kr);
    free(bad);
    assert_add_fails("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nm!Q=\n-----END PGP PUBLIC KEY "
                     "BLOCK-----\n",
                     "openpgp: armor: invalid base64 data: illegal base64 data at input byte 1");
    /* A second, broken block undoes the first. */
    char *two = gotk_xasprintf("%s\n-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n", fx.pub_rsa);
    assert_add_fails(two, "openpgp: armor: missing '-----END PGP PUBLIC KEY BLOCK-----' line");
    free(two);
}

static void test_packet_errors(void **state)
{
    (void)state;
    static const struct {
        uint8_t d[8];
        size_t n;
        const char *want;
    } cases[] = {
        {{0x05, 0x00}, 2, "openpgp: invalid packet header byte 0x05 at offset 0 (bit 7 not set)"},
        {{0xC6, 0x10, 0x04}, 3,
         "openpgp: packet (tag 6) at offset 0: length 16 runs past the end of the data (1 bytes "
         "left)"},
        {{0xC6, 0xFF, 0x00}, 3, "openpgp: packet length truncated at offset 1"},
        {{0x99, 0x00}, 2, "openpgp: packet length truncated at offset 0"},
        {{0xC6, 0x01, 0x03}, 3, "openpgp: public key packet version 3 is not supported"},
        {{0xC6, 0x03, 0x04, 0x00, 0x00}, 5, "openpgp: public key packet truncated"},
        {{0xC2, 0x01, 0x04}, 3,
         "openpgp: key data does not start with a public key packet (found packet tag 2)"},
        {{0xC5, 0x01, 0x04}, 3,
         "openpgp: key data does not start with a public key packet (found packet tag 5)"},
        {{0xC6, 0x06, 0x04, 0, 0, 0, 0, 0x01}, 8,
         "openpgp: public key 0000000000000000: truncated RSA key material"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *msg = add_error(cases[i].d, cases[i].n);
        assert_non_null(msg);
        if (strstr(cases[i].want, "0000000000000000")) {
            /* The key ID depends on the hash; compare around it. */
            assert_non_null(strstr(msg, "truncated RSA key material"));
            assert_non_null(strstr(msg, "openpgp: public key "));
        } else {
            assert_string_equal(msg, cases[i].want);
        }
        free(msg);
    }
}

/* Decode the armored text's binary (the test's own minimal dearmor). */
static uint8_t *dearmor(const char *text, size_t *n)
{
    const char *p = strstr(text, "\n\n");
    assert_non_null(p);
    gotk_buf b64 = {0};
    for (p += 2; *p && *p != '=' && *p != '-';) { /* whole lines up to "=CRC" or END */
        size_t l = strcspn(p, "\n");
        gotk_buf_append(&b64, p, l);
        p += l + (p[l] == '\n');
    }
    unsigned char *d = NULL;
    assert_null(gotk_base64_decode(b64.data, b64.len, &d, n));
    gotk_buf_free(&b64);
    return d;
}

/* Re-encode old-format packets as new-format ones; the user ID packets with
 * partial body lengths of one byte each chunk but the last. */
static uint8_t *new_format(const uint8_t *d, size_t n, size_t *outlen)
{
    gotk_buf out = {0};
    for (size_t i = 0; i < n;) {
        uint8_t h = d[i++];
        assert_true((h & 0xC0) == 0x80);
        unsigned tag = (h >> 2) & 0xF, lt = h & 3;
        size_t w = (size_t)1 << lt, len = 0;
        for (size_t k = 0; k < w; k++)
            len = len << 8 | d[i++];
        gotk_buf_putc(&out, (char)(0xC0 | tag));
        if (tag == 13 && len > 1) {
            for (size_t k = 0; k + 1 < len; k++) {
                gotk_buf_putc(&out, (char)0xE0); /* partial: 2^0 = 1 byte */
                gotk_buf_putc(&out, (char)d[i + k]);
            }
            gotk_buf_putc(&out, 1);
            gotk_buf_putc(&out, (char)d[i + len - 1]);
        } else {
            uint8_t l5[5] = {0xFF, (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                             (uint8_t)len};
            gotk_buf_append(&out, l5, 5);
            gotk_buf_append(&out, d + i, len);
        }
        i += len;
    }
    *outlen = out.len;
    return (uint8_t *)gotk_buf_steal(&out);
}

/* Verify a hand-made signature packet (body `b`) over the document. */
static char *sig_error(const uint8_t *b, size_t n)
{
    uint8_t pkt[64] = {0xC2, (uint8_t)n};
    assert_true(n < sizeof pkt - 2);
    memcpy(pkt + 2, b, n);
    char *text = armor_as("SIGNATURE", pkt, n + 2);
    gotk_git_keyring *kr = keyring_all();
    gotk_err *e = gotk_git_pgp_verify(kr, text, strlen(text), fx.doc, strlen(fx.doc), 0, NULL);
    assert_non_null(e);
    const char *prefix = "unable to verify payload with any of the given key rings: no matching "
                         "key: ";
    assert_memory_equal(gotk_err_msg(e), prefix, strlen(prefix));
    char *msg = gotk_xstrdup(gotk_err_msg(e) + strlen(prefix));
    gotk_err_free(e);
    gotk_git_keyring_free(kr);
    free(text);
    return msg;
}

static void test_signature_packet_errors(void **state)
{
    (void)state;
    uint8_t id[8];
    for (int i = 0; i < 8; i++) /* the RSA key's ID, from its fingerprint's hex */
        sscanf(keyid(fx.fpr_rsa) + 2 * i, "%2hhx", &id[i]);
    /* version, type, RSA, SHA-256; hashed: creation time; unhashed: issuer */
    uint8_t good[] = {4, 0x00, 1, 8, 0, 6, 5, 2, 0, 0, 0, 1, 0, 10, 9, 16, id[0], id[1], id[2],
                      id[3], id[4], id[5], id[6], id[7], 0xAB, 0xCD, 0, 1, 1};
    uint8_t b[sizeof good];
    static const struct {
        size_t at;
        uint8_t v;
        const char *want;
    } cases[] = {
        {0, 3, "signature packet version 3 is not supported"},
        {1, 0x13, "signature type 0x13 is not a document signature"},
        {3, 1, "hash algorithm 1 is not supported"},
        {7, 0x82, NULL}, /* a critical creation time is fine */
        {7, 0xE4, "signature packet: signature has unknown critical subpacket 100"},
        {15, 20, "signature names no issuer key"},
        {15, 3, "signature packet: signature subpacket 3 has length 8"},
        {5, 40, "signature packet truncated in hashed subpackets"},
        {0, 4, NULL}, /* unchanged: the key exists, the numbers are wrong */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memcpy(b, good, sizeof b);
        b[cases[i].at] = cases[i].v;
        char *msg = sig_error(b, sizeof b);
        char *want = cases[i].want ? gotk_xstrdup(cases[i].want)
                                   : gotk_xasprintf("key %s: signature does not match the signed "
                                                    "data", keyid(fx.fpr_rsa));
        assert_string_equal(msg, want);
        free(want);
        free(msg);
    }
    char *msg = sig_error(good, 3);
    assert_string_equal(msg, "signature packet truncated");
    free(msg);
}

static void test_new_format_and_partial_lengths(void **state)
{
    (void)state;
    size_t n, m;
    uint8_t *bin = dearmor(fx.pub_rsa, &n);
    assert_int_equal(bin[0] & 0xC0, 0x80); /* GnuPG writes the old format */
    uint8_t *nf = new_format(bin, n, &m);
    char *text = armor(nf, m);
    gotk_git_keyring *kr = gotk_git_keyring_new();
    assert_null(gotk_git_keyring_add_armored(kr, text, strlen(text)));
    char id[17];
    assert_null(gotk_git_verify_commit(fx.repo, fx.c_rsa, kr, id));
    assert_string_equal(id, keyid(fx.fpr_rsa));
    gotk_git_keyring_free(kr);
    free(text);
    free(nf);
    free(bin);
}

/* Random byte changes in a real key block and signature never crash the
 * parsers (the sanitizer and valgrind runs check memory). */
static void test_mutations(void **state)
{
    (void)state;
    size_t n, sn;
    uint8_t *key = dearmor(fx.pub_rsa, &n), *sig = dearmor(fx.doc_sig_text, &sn);
    gotk_git_keyring *all = keyring_all();
    uint32_t seed = 12345;
    for (int round = 0; round < 600; round++) {
        bool on_sig = round % 2;
        uint8_t *d = gotk_xmalloc(on_sig ? sn : n);
        size_t len = on_sig ? sn : n;
        memcpy(d, on_sig ? sig : key, len);
        for (int k = 0; k < 1 + round % 4; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % (len < 64 ? len : (round % 3 ? 64 : len));
            d[at] = (uint8_t)(seed >> 24);
        }
        if (round % 5 == 0)
            len = (seed >> 4) % len; /* truncated */
        char *text = armor_as(on_sig ? "SIGNATURE" : "PUBLIC KEY BLOCK", d, len);
        gotk_git_keyring *kr = gotk_git_keyring_new();
        gotk_err_free(on_sig ? gotk_git_pgp_verify(all, text, strlen(text), fx.doc,
                                                   strlen(fx.doc), 0, NULL)
                             : gotk_git_keyring_add_armored(kr, text, strlen(text)));
        gotk_git_keyring_free(kr);
        free(text);
        free(d);
    }
    gotk_git_keyring_free(all);
    free(key);
    free(sig);
}

/* Hide the cross-signature of the subkey binding in a key block: the
 * unhashed subpacket 32 becomes an unknown type (old-format packets, as
 * GnuPG writes them). */
static void drop_cross_signature(uint8_t *d, size_t n)
{
    unsigned last_tag = 0;
    for (size_t i = 0; i < n;) {
        uint8_t h = d[i++];
        unsigned tag = (h >> 2) & 0xF;
        size_t w = (size_t)1 << (h & 3), len = 0;
        for (size_t k = 0; k < w; k++)
            len = len << 8 | d[i++];
        if (tag == 2 && last_tag == 14) {
            uint8_t *b = d + i;
            size_t u = 6 + ((size_t)b[4] << 8 | b[5]);
            size_t ul = (size_t)b[u] << 8 | b[u + 1];
            for (size_t j = u + 2; j < u + 2 + ul; j += 1 + b[j]) {
                assert_true(b[j] < 192);
                if (b[j + 1] == 32)
                    b[j + 1] = 100;
            }
        }
        if (tag != 2)
            last_tag = tag;
        i += len;
    }
}

static void test_subkey_needs_cross_signature(void **state)
{
    (void)state;
    char *pub = sh("gpg --armor --export %s", fx.fpr_sub);
    size_t n;
    uint8_t *bin = dearmor(pub, &n);
    drop_cross_signature(bin, n);
    char *text = armor(bin, n);
    gotk_git_keyring *kr = gotk_git_keyring_new();
    assert_null(gotk_git_keyring_add_armored(kr, text, strlen(text)));
    gotk_err *e = gotk_git_verify_commit(fx.repo, fx.c_sub, kr, NULL);
    assert_non_null(e);
    if (!strstr(gotk_err_msg(e), "is not allowed to sign"))
        fail_msg("unexpected: %s", gotk_err_msg(e));
    gotk_err_free(e);
    gotk_git_keyring_free(kr);
    free(text);
    free(bin);
    free(pub);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commit_rsa_ed25519_subkey),
        cmocka_unit_test(test_commit_keys_in_separate_values),
        cmocka_unit_test(test_commit_unsigned),
        cmocka_unit_test(test_commit_tampered),
        cmocka_unit_test(test_commit_unknown_key),
        cmocka_unit_test(test_commit_expired_key),
        cmocka_unit_test(test_commit_errors),
        cmocka_unit_test(test_tag_signed),
        cmocka_unit_test(test_tag_failures),
        cmocka_unit_test(test_detached_expiry_text_revoked),
        cmocka_unit_test(test_detached_dsa_and_p384),
        cmocka_unit_test(test_rfc9580_v6),
        cmocka_unit_test(test_signature_type),
        cmocka_unit_test(test_armor_errors),
        cmocka_unit_test(test_packet_errors),
        cmocka_unit_test(test_signature_packet_errors),
        cmocka_unit_test(test_new_format_and_partial_lengths),
        cmocka_unit_test(test_subkey_needs_cross_signature),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
