/*
 * verify.c: OpenPGP verification of signed Git commits and tags, as Flux's
 * source-controller does for GitRepository `spec.verify` (see gotk/git.h).
 *
 * A keyring holds the keys of every armored public key block it was given
 * (pgp_packet.c parses, pgp_verify.c checks self-signatures and bindings).
 * A detached signature names its issuer by key ID or fingerprint; every key
 * or subkey in the keyring with that ID is tried, and the first one whose
 * signature checks and which is bound, allowed to sign, not revoked and not
 * expired wins. The answer is its primary key's ID, as Flux reports it.
 *
 * Commits: libgit2's git_commit_extract_signature splits the `gpgsig` header
 * from the rest of the raw commit. Tags: the signature is the end of the tag
 * object, from the last line that starts a signature (as git's
 * parse_signed_buffer finds it); the signed data is everything before it.
 *
 * Error texts follow Flux (fluxcd/pkg git/signature): "unsupported signature
 * type: empty" for an unsigned commit, "unable to verify Git commit: unable
 * to verify payload with any of the given key rings: no matching key" when
 * no key verifies, to which we add why (the key ID that signed, a mismatch,
 * an expired or revoked key).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <git2.h>

#include "gotk/git.h"
#include "pgp.h"

struct gotk_git_keyring {
    pgp_entity *ents;
    size_t n;
};

/* ---- keyring ---------------------------------------------------------------- */

gotk_git_keyring *gotk_git_keyring_new(void)
{
    return gotk_xcalloc(1, sizeof(gotk_git_keyring));
}

/* Parse one binary key block into entities appended to kr. */
static gotk_err *add_binary(gotk_git_keyring *kr, const uint8_t *d, size_t n)
{
    pgp_packets p;
    gotk_err *e = pgp_packets_parse(d, n, &p);
    if (e)
        return e;
    e = pgp_entities_build(&p, &kr->ents, &kr->n);
    pgp_packets_free(&p);
    return e;
}

gotk_err *gotk_git_keyring_add_armored(gotk_git_keyring *kr, const char *text, size_t len)
{
    size_t pos = 0, before = kr->n;
    bool found = true;
    int blocks = 0;
    while (found) {
        uint8_t *d = NULL;
        size_t n = 0;
        gotk_err *e = pgp_dearmor(text, len, "PUBLIC KEY BLOCK", &pos, &found, &d, &n);
        if (!e && found) {
            blocks++;
            e = add_binary(kr, d, n);
        }
        free(d);
        if (e) {
            while (kr->n > before)
                pgp_entity_free(&kr->ents[--kr->n]);
            return gotk_err_wrap(e, "openpgp");
        }
    }
    if (!blocks)
        return gotk_err_new(GOTK_E_INVALID, "openpgp: no armored 'PGP PUBLIC KEY BLOCK' found");
    if (kr->n == before)
        return gotk_err_new(GOTK_E_INVALID, "openpgp: the key block holds no public key");
    return NULL;
}

size_t gotk_git_keyring_count(const gotk_git_keyring *kr)
{
    return kr ? kr->n : 0;
}

void gotk_git_keyring_free(gotk_git_keyring *kr)
{
    if (!kr)
        return;
    for (size_t i = 0; i < kr->n; i++)
        pgp_entity_free(&kr->ents[i]);
    free(kr->ents);
    free(kr);
}

/* ---- checking one key --------------------------------------------------------- */

/* Seconds since the epoch as RFC 3339 UTC. */
static void rfc3339(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Whether `k` (a key of entity `ent`) may have made s at time `now`. */
static gotk_err *key_usable(const pgp_entity *ent, const pgp_key *k, const pgp_sig *s, int64_t now)
{
    char id[17], when[32];
    pgp_keyid_hex(k->keyid, id);
    const pgp_key *pk = &ent->primary;
    if (!k->bound)
        return gotk_err_new(GOTK_E_INVALID, "subkey %s has no valid binding signature", id);
    if (pk->revoked || k->revoked)
        return gotk_err_new(GOTK_E_INVALID, "key %s has been revoked", id);
    const pgp_key *exp = pk->expires && (!k->expires || pk->expires < k->expires) ? pk : k;
    if (exp->expires && exp->expires <= now) {
        rfc3339(exp->expires, when);
        return gotk_err_new(GOTK_E_INVALID, "key %s expired at %s", id, when);
    }
    if (!k->can_sign)
        return gotk_err_new(GOTK_E_INVALID, "key %s is not allowed to sign", id);
    if (s->created < k->created)
        return gotk_err_new(GOTK_E_INVALID, "signature predates key %s", id);
    if (s->sig_expires && s->created + s->sig_expires <= now) {
        rfc3339(s->created + s->sig_expires, when);
        return gotk_err_new(GOTK_E_INVALID, "signature expired at %s", when);
    }
    return NULL;
}

/* Check s over data with key k. */
static gotk_err *check_with(const pgp_entity *ent, const pgp_key *k, const pgp_sig *s,
                            const void *data, size_t len, int64_t now)
{
    EVP_MD_CTX *h = NULL;
    gotk_err *e = pgp_hash_begin(s, &h);
    if (e)
        return e;
    if (s->type == PGP_SIG_TEXT) {
        /* Text signatures hash lines ending in CRLF. */
        const char *d = data;
        for (size_t i = 0; i < len; i++) {
            if (d[i] == '\n' && (i == 0 || d[i - 1] != '\r'))
                EVP_DigestUpdate(h, "\r", 1);
            EVP_DigestUpdate(h, d + i, 1);
        }
    } else {
        EVP_DigestUpdate(h, data, len);
    }
    char id[17];
    pgp_keyid_hex(k->keyid, id);
    if ((e = pgp_sig_finish(s, k, h)) != NULL)
        return gotk_err_wrap(e, "key %s", id);
    return key_usable(ent, k, s, now);
}

/* Whether key k is the one s names. */
static bool issuer_is(const pgp_sig *s, const pgp_key *k)
{
    if (s->issuer_fpr_len)
        return s->issuer_fpr_len == k->fpr_len && !memcmp(s->issuer_fpr, k->fpr, k->fpr_len);
    return !memcmp(s->issuer, k->keyid, 8);
}

/* Try every key s names; on success copy the primary's ID to key_id. */
static gotk_err *check_keyring(const gotk_git_keyring *kr, const pgp_sig *s, const void *data,
                               size_t len, int64_t now, char key_id[17])
{
    gotk_err *first = NULL;
    for (size_t i = 0; i < kr->n; i++) {
        const pgp_entity *ent = &kr->ents[i];
        for (size_t j = 0; j <= ent->nsubs; j++) {
            const pgp_key *k = j == 0 ? &ent->primary : &ent->subs[j - 1];
            if (!issuer_is(s, k))
                continue;
            gotk_err *e = check_with(ent, k, s, data, len, now);
            if (!e) {
                gotk_err_free(first);
                pgp_keyid_hex(ent->primary.keyid, key_id);
                return NULL;
            }
            if (first)
                gotk_err_free(e);
            else
                first = e;
        }
    }
    if (first)
        return first;
    char id[17];
    pgp_keyid_hex(s->issuer, id);
    return gotk_err_new(GOTK_E_NOTFOUND, "signed with key ID %s, which is not in the key ring", id);
}

/* The first document signature among the packets. */
static gotk_err *find_sig(const pgp_packets *p, pgp_sig *s)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->v[i].tag != PGP_TAG_SIGNATURE)
            continue;
        gotk_err *e = pgp_sig_parse(&p->v[i], s);
        if (e)
            return e;
        if (s->type != PGP_SIG_BINARY && s->type != PGP_SIG_TEXT)
            return gotk_err_new(GOTK_E_INVALID, "signature type 0x%02x is not a document signature",
                                s->type);
        if (!s->has_issuer)
            return gotk_err_new(GOTK_E_INVALID, "signature names no issuer key");
        return NULL;
    }
    return gotk_err_new(GOTK_E_INVALID, "no signature packet in the signature");
}

/* Verify without Flux's wrapping: the reason only. */
static gotk_err *verify_detached(const gotk_git_keyring *kr, const char *sig, size_t siglen,
                                 const void *data, size_t len, int64_t now, char key_id[17])
{
    size_t pos = 0;
    bool found = false;
    uint8_t *d = NULL;
    size_t n = 0;
    gotk_err *e = pgp_dearmor(sig, siglen, "SIGNATURE", &pos, &found, &d, &n);
    if (!e && !found)
        e = gotk_err_new(GOTK_E_INVALID, "no armored 'PGP SIGNATURE' found");
    pgp_packets p = {0};
    if (!e)
        e = pgp_packets_parse(d, n, &p);
    free(d);
    pgp_sig s;
    if (!e)
        e = find_sig(&p, &s);
    if (!e)
        e = check_keyring(kr, &s, data, len, now, key_id);
    pgp_packets_free(&p);
    return e;
}

gotk_err *gotk_git_pgp_verify(const gotk_git_keyring *keys, const char *sig, size_t siglen,
                              const void *data, size_t len, int64_t now, char key_id[17])
{
    char id[17];
    if (!keys || !keys->n)
        return gotk_err_new(GOTK_E_GENERIC, "no OpenPGP public keys to verify with");
    if (siglen == 0)
        return gotk_err_new(GOTK_E_INVALID, "unable to verify payload: signature is empty");
    if (len == 0)
        return gotk_err_new(GOTK_E_INVALID, "unable to verify payload: payload is empty");
    gotk_err *e = verify_detached(keys, sig, siglen, data, len, now ? now : (int64_t)time(NULL), id);
    if (e)
        return gotk_err_wrap(e, "unable to verify payload with any of the given key rings: "
                                "no matching key");
    if (key_id)
        memcpy(key_id, id, 17);
    return NULL;
}

/* ---- Git objects --------------------------------------------------------------- */

/* The signature type of text that starts with a signature's first line. */
static const char *sig_prefix_type(const char *s, size_t len)
{
    static const struct {
        const char *prefix, *type;
    } types[] = {{"-----BEGIN PGP SIGNATURE-----", "openpgp"},
                 {"-----BEGIN SSH SIGNATURE-----", "ssh"},
                 {"-----BEGIN SIGNED MESSAGE-----", "x509"}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t pl = strlen(types[i].prefix);
        if (len >= pl && !memcmp(s, types[i].prefix, pl))
            return types[i].type;
    }
    return NULL;
}

const char *gotk_git_signature_type(const char *sig, size_t len)
{
    while (len > 0 && (*sig == ' ' || *sig == '\t' || *sig == '\n' || *sig == '\r'))
        sig++, len--;
    const char *t = sig_prefix_type(sig, len);
    return t ? t : len ? "unknown" : "empty";
}

/* Verify a Git object's signature as Flux does; `what` is "commit" or "tag". */
static gotk_err *verify_object(const char *what, const char *sig, size_t siglen, const char *data,
                               size_t len, const gotk_git_keyring *keys, char key_id[17])
{
    const char *type = gotk_git_signature_type(sig, siglen);
    if (strcmp(type, "openpgp") != 0)
        return gotk_err_new(GOTK_E_INVALID, "unsupported signature type: %s", type);
    gotk_err *e = gotk_git_pgp_verify(keys, sig, siglen, data, len, 0, key_id);
    return gotk_err_wrap(e, "unable to verify Git %s", what);
}

/* Open the repository at dir (a work tree or a bare repository). */
static gotk_err *open_repo(const char *dir, git_repository **repo)
{
    gotk_git_init();
    if (git_repository_open(repo, dir) < 0) {
        const git_error *ge = git_error_last();
        return gotk_err_new(GOTK_E_NOTFOUND, "opening repository %s: %s", dir,
                            ge ? ge->message : "unknown error");
    }
    return NULL;
}

/* Whether the repository holds the commit. */
static bool commit_exists(git_repository *repo, const git_oid *oid)
{
    git_commit *c = NULL;
    int rc = git_commit_lookup(&c, repo, oid);
    git_commit_free(c);
    return rc == 0;
}

gotk_err *gotk_git_verify_commit(const char *repo_dir, const char *commit_hex,
                                 const gotk_git_keyring *keys, char key_id[17])
{
    git_repository *repo = NULL;
    gotk_err *e = open_repo(repo_dir, &repo);
    if (e)
        return e;
    git_oid oid;
    git_buf sig = {0}, data = {0};
    int rc = git_oid_fromstr(&oid, commit_hex);
    if (rc == 0)
        rc = git_commit_extract_signature(&sig, &data, repo, &oid, NULL);
    if (rc == GIT_ENOTFOUND && commit_exists(repo, &oid))
        e = verify_object("commit", "", 0, "", 0, keys, key_id); /* unsigned */
    else if (rc < 0)
        e = gotk_err_new(GOTK_E_NOTFOUND, "commit '%s' not found in %s", commit_hex, repo_dir);
    else
        e = verify_object("commit", sig.ptr, sig.size, data.ptr, data.size, keys, key_id);
    git_buf_dispose(&sig);
    git_buf_dispose(&data);
    git_repository_free(repo);
    return e;
}

/* Where the signature starts in a raw tag: the last line that begins one. */
static size_t tag_signature_start(const char *raw, size_t len)
{
    size_t match = len, i = 0;
    while (i < len) {
        if (sig_prefix_type(raw + i, len - i))
            match = i;
        const char *nl = memchr(raw + i, '\n', len - i);
        i = nl ? (size_t)(nl - raw) + 1 : len;
    }
    return match;
}

/* Read the annotated tag `refs/tags/<name>`; NOTFOUND when lightweight. */
static gotk_err *read_tag(git_repository *repo, const char *name, git_odb_object **obj,
                          char tag_hex[41])
{
    char *ref = strncmp(name, "refs/tags/", 10) ? gotk_xasprintf("refs/tags/%s", name)
                                                : gotk_xstrdup(name);
    git_oid oid;
    git_odb *odb = NULL;
    int rc = git_reference_name_to_id(&oid, repo, ref);
    free(ref);
    if (rc < 0)
        return gotk_err_new(GOTK_E_NOTFOUND, "tag '%s' not found", name);
    if (git_repository_odb(&odb, repo) < 0 || git_odb_read(obj, odb, &oid) < 0) {
        *obj = NULL;
        git_odb_free(odb);
        return gotk_err_new(GOTK_E_NOTFOUND, "tag '%s': object not readable", name);
    }
    git_odb_free(odb);
    if (git_odb_object_type(*obj) != GIT_OBJECT_TAG) {
        git_odb_object_free(*obj);
        *obj = NULL;
        return gotk_err_new(GOTK_E_NOTFOUND, "tag '%s' is not an annotated tag", name);
    }
    if (tag_hex)
        git_oid_tostr(tag_hex, 41, &oid);
    return NULL;
}

gotk_err *gotk_git_verify_tag(const char *repo_dir, const char *tag, const gotk_git_keyring *keys,
                              char key_id[17], char tag_hex[41])
{
    git_repository *repo = NULL;
    git_odb_object *obj = NULL;
    gotk_err *e = open_repo(repo_dir, &repo);
    if (!e)
        e = read_tag(repo, tag, &obj, tag_hex);
    if (!e) {
        const char *raw = git_odb_object_data(obj);
        size_t len = git_odb_object_size(obj), at = tag_signature_start(raw, len);
        if (at == len)
            e = gotk_err_new(GOTK_E_NOTFOUND, "tag '%s' is not signed", tag);
        else
            e = verify_object("tag", raw + at, len - at, raw, at, keys, key_id);
    }
    git_odb_object_free(obj);
    git_repository_free(repo);
    return e;
}
