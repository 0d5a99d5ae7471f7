/*
 * pgp_verify.c: OpenPGP cryptography on OpenSSL (see pgp.h).
 *
 * Keys: RSA (n, e), DSA (p, q, g, y), ECDSA on NIST P-256/384/521 (curve
 * OID + uncompressed point), EdDSA legacy Ed25519 (OID + 0x40-prefixed point)
 * and RFC 9580's Ed25519/Ed448 (raw bytes) become EVP_PKEYs through OpenSSL
 * 3's EVP_PKEY_fromdata or raw-key constructors. Other algorithms (ElGamal,
 * ECDH encryption subkeys, ...) are kept without a key: they can be parsed
 * and skipped, never used to verify.
 *
 * Signatures (v4 and v6): the hash runs over the salt (v6), the signed
 * data, then the signature packet's first bytes through the hashed
 * subpackets, then the trailer <version> 0xFF <that length, 4 bytes>. The
 * first two digest bytes must match the packet's; then RSA checks PKCS#1
 * v1.5 over the digest, DSA and ECDSA a DER-encoded (r, s), and EdDSA the
 * 64-byte R||S over the digest as the message.
 *
 * A signing subkey also needs its cross-signature: the primary key binding
 * signature (0x19) embedded in its binding, made by the subkey itself.
 *
 * Keyring entries: a primary key followed by user IDs and subkeys, each with
 * its signatures. Self-certifications and direct-key signatures give the
 * primary's expiration and flags (the newest valid one wins); subkey binding
 * signatures bind a subkey and give its expiration and flags; revocation
 * signatures issued by the primary revoke. Signatures that do not verify are
 * ignored, as third-party certifications are.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "pgp.h"

/* ---- key material ---------------------------------------------------------- */

/* Read an MPI at d[*i]: its magnitude bytes (leading zeros dropped). */
static bool read_mpi(const uint8_t *d, size_t n, size_t *i, const uint8_t **v, size_t *vl)
{
    if (n - *i < 2)
        return false;
    size_t bits = (size_t)d[*i] << 8 | d[*i + 1];
    size_t bytes = (bits + 7) / 8;
    *i += 2;
    if (n - *i < bytes)
        return false;
    *v = d + *i;
    *vl = bytes;
    *i += bytes;
    return true;
}

/* A public key of OpenSSL type `type` from the parameters in `bld` (freed). */
static EVP_PKEY *key_from_params(const char *type, OSSL_PARAM_BLD *bld)
{
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    EVP_PKEY *pkey = NULL;
    if (ctx && params && EVP_PKEY_fromdata_init(ctx) > 0)
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    return pkey;
}

/* A key whose `n` parameters are big numbers (MPIs as magnitude bytes). */
static EVP_PKEY *bn_key(const char *type, int n, const char *const names[],
                        const uint8_t *const v[], const size_t l[])
{
    BIGNUM *bn[4];
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    for (int i = 0; i < n; i++) {
        bn[i] = BN_bin2bn(v[i], (int)l[i], NULL);
        OSSL_PARAM_BLD_push_BN(bld, names[i], bn[i]);
    }
    EVP_PKEY *pkey = key_from_params(type, bld);
    for (int i = 0; i < n; i++)
        BN_free(bn[i]);
    return pkey;
}

/* An RSA key from n and e. */
static EVP_PKEY *rsa_key(const uint8_t *nv, size_t nl, const uint8_t *ev, size_t el)
{
    static const char *const names[2] = {OSSL_PKEY_PARAM_RSA_N, OSSL_PKEY_PARAM_RSA_E};
    const uint8_t *v[2] = {nv, ev};
    const size_t l[2] = {nl, el};
    return bn_key("RSA", 2, names, v, l);
}

/* A DSA key from p, q, g and y. */
static EVP_PKEY *dsa_key(const uint8_t *v[4], const size_t l[4])
{
    static const char *const names[4] = {OSSL_PKEY_PARAM_FFC_P, OSSL_PKEY_PARAM_FFC_Q,
                                         OSSL_PKEY_PARAM_FFC_G, OSSL_PKEY_PARAM_PUB_KEY};
    return bn_key("DSA", 4, names, (const uint8_t *const *)v, l);
}

/* An EC key on the named group from an uncompressed point. */
static EVP_PKEY *ec_key(const char *group, const uint8_t *pt, size_t pl)
{
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pt, pl);
    return key_from_params("EC", bld);
}

/* The OpenSSL group name for an ECDSA curve OID, or NULL. */
static const char *ec_group(const uint8_t *oid, size_t ol)
{
    static const uint8_t p256[] = {0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
    static const uint8_t p384[] = {0x2B, 0x81, 0x04, 0x00, 0x22};
    static const uint8_t p521[] = {0x2B, 0x81, 0x04, 0x00, 0x23};
    if (ol == sizeof p256 && !memcmp(oid, p256, ol))
        return "P-256";
    if (ol == sizeof p384 && !memcmp(oid, p384, ol))
        return "P-384";
    if (ol == sizeof p521 && !memcmp(oid, p521, ol))
        return "P-521";
    return NULL;
}

/* Whether the OID is Ed25519's (legacy EdDSA). */
static bool is_ed25519_oid(const uint8_t *oid, size_t ol)
{
    static const uint8_t ed[] = {0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01};
    return ol == sizeof ed && !memcmp(oid, ed, ol);
}

/* ECDSA (19) or legacy EdDSA (22): curve OID then a point MPI. */
static gotk_err *curve_key(pgp_key *k, const uint8_t *d, size_t n, size_t i)
{
    if (i >= n || d[i] == 0 || d[i] == 0xFF || n - i - 1 < d[i])
        return gotk_err_new(GOTK_E_INVALID, "bad curve OID");
    const uint8_t *oid = d + i + 1, *pt;
    size_t ol = d[i], pl;
    i += 1 + ol;
    if (!read_mpi(d, n, &i, &pt, &pl))
        return gotk_err_new(GOTK_E_INVALID, "truncated key material");
    if (k->algo == 19) {
        const char *g = ec_group(oid, ol);
        if (g && !(k->pkey = ec_key(g, pt, pl)))
            return gotk_err_new(GOTK_E_INVALID, "invalid %s point", g);
        return NULL;
    }
    if (!is_ed25519_oid(oid, ol))
        return NULL; /* Ed448 legacy and others: kept, not used */
    if (pl != 33 || pt[0] != 0x40)
        return gotk_err_new(GOTK_E_INVALID, "invalid Ed25519 point");
    k->pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pt + 1, 32);
    return k->pkey ? NULL : gotk_err_new(GOTK_E_INVALID, "invalid Ed25519 key");
}

/* RFC 9580 Ed25519 (27) or Ed448 (28): raw public key bytes. */
static gotk_err *raw_ed_key(pgp_key *k, const uint8_t *d, size_t n, size_t i)
{
    size_t want = k->algo == 27 ? 32 : 57;
    if (n - i != want)
        return gotk_err_new(GOTK_E_INVALID, "key material is %zu bytes, want %zu", n - i, want);
    k->pkey = EVP_PKEY_new_raw_public_key(k->algo == 27 ? EVP_PKEY_ED25519 : EVP_PKEY_ED448,
                                          NULL, d + i, want);
    return k->pkey ? NULL : gotk_err_new(GOTK_E_INVALID, "invalid EdDSA key");
}

gotk_err *pgp_key_material(pgp_key *k, size_t off)
{
    const uint8_t *d = k->body;
    size_t n = k->len, i = off;
    switch (k->algo) {
    case 1:
    case 3: {
        const uint8_t *nv, *ev;
        size_t nl, el;
        if (!read_mpi(d, n, &i, &nv, &nl) || !read_mpi(d, n, &i, &ev, &el))
            return gotk_err_new(GOTK_E_INVALID, "truncated RSA key material");
        k->pkey = rsa_key(nv, nl, ev, el);
        return k->pkey ? NULL : gotk_err_new(GOTK_E_INVALID, "invalid RSA key");
    }
    case 17: {
        const uint8_t *v[4];
        size_t l[4];
        for (int j = 0; j < 4; j++)
            if (!read_mpi(d, n, &i, &v[j], &l[j]))
                return gotk_err_new(GOTK_E_INVALID, "truncated DSA key material");
        k->pkey = dsa_key(v, l);
        return k->pkey ? NULL : gotk_err_new(GOTK_E_INVALID, "invalid DSA key");
    }
    case 19:
    case 22:
        return curve_key(k, d, n, i);
    case 27:
    case 28:
        return raw_ed_key(k, d, n, i);
    default:
        return NULL; /* encryption-only or unsupported: no key */
    }
}

/* ---- hashing --------------------------------------------------------------- */

/* The digest for an OpenPGP hash algorithm ID, or NULL. */
static const EVP_MD *hash_md(uint8_t id)
{
    switch (id) {
    case 2: return EVP_sha1();
    case 8: return EVP_sha256();
    case 9: return EVP_sha384();
    case 10: return EVP_sha512();
    case 11: return EVP_sha224();
    case 12: return EVP_sha3_256();
    case 14: return EVP_sha3_512();
    default: return NULL;
    }
}

/* The salt length a v6 signature must have for a hash (RFC 9580 9.5). */
static size_t v6_salt_len(uint8_t id)
{
    switch (id) {
    case 9: return 24;
    case 10:
    case 14: return 32;
    default: return 16;
    }
}

gotk_err *pgp_hash_begin(const pgp_sig *s, EVP_MD_CTX **out)
{
    const EVP_MD *md = hash_md(s->hash_algo);
    if (!md)
        return gotk_err_new(GOTK_E_INVALID, "hash algorithm %u is not supported", s->hash_algo);
    if (s->version == 6 && s->salt_len != v6_salt_len(s->hash_algo))
        return gotk_err_new(GOTK_E_INVALID, "signature salt is %zu bytes, want %zu for hash %u",
                            s->salt_len, v6_salt_len(s->hash_algo), s->hash_algo);
    EVP_MD_CTX *h = EVP_MD_CTX_new();
    if (!h || EVP_DigestInit_ex(h, md, NULL) != 1) {
        EVP_MD_CTX_free(h);
        return gotk_err_new(GOTK_E_GENERIC, "cannot start hash algorithm %u", s->hash_algo);
    }
    if (s->salt_len)
        EVP_DigestUpdate(h, s->salt, s->salt_len);
    *out = h;
    return NULL;
}

void pgp_hash_key(EVP_MD_CTX *h, const pgp_key *k)
{
    uint8_t hdr[5];
    if (k->version == 6) {
        hdr[0] = 0x9B;
        hdr[1] = (uint8_t)(k->len >> 24), hdr[2] = (uint8_t)(k->len >> 16);
        hdr[3] = (uint8_t)(k->len >> 8), hdr[4] = (uint8_t)k->len;
        EVP_DigestUpdate(h, hdr, 5);
    } else {
        hdr[0] = 0x99, hdr[1] = (uint8_t)(k->len >> 8), hdr[2] = (uint8_t)k->len;
        EVP_DigestUpdate(h, hdr, 3);
    }
    EVP_DigestUpdate(h, k->body, k->len);
}

void pgp_hash_uid(EVP_MD_CTX *h, const uint8_t *uid, size_t len)
{
    uint8_t hdr[5] = {0xB4, (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                      (uint8_t)len};
    EVP_DigestUpdate(h, hdr, 5);
    EVP_DigestUpdate(h, uid, len);
}

/* ---- signature check ------------------------------------------------------- */

/* Copy an MPI into out[0..width), left-padded with zeros. */
static bool mpi_fixed(const uint8_t *d, size_t n, size_t *i, uint8_t *out, size_t width)
{
    const uint8_t *v;
    size_t vl;
    if (!read_mpi(d, n, i, &v, &vl) || vl > width)
        return false;
    memset(out, 0, width - vl);
    memcpy(out + width - vl, v, vl);
    return true;
}

/* RSA PKCS#1 v1.5 over the digest. */
static bool check_rsa(const pgp_sig *s, EVP_PKEY *pkey, const uint8_t *dg, size_t dl)
{
    size_t i = 0, w = (size_t)EVP_PKEY_get_size(pkey);
    uint8_t *sig = gotk_xmalloc(w);
    bool ok = false;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL);
    if (mpi_fixed(s->mat, s->mat_len, &i, sig, w) && ctx && EVP_PKEY_verify_init(ctx) > 0 &&
        EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0 &&
        EVP_PKEY_CTX_set_signature_md(ctx, hash_md(s->hash_algo)) > 0)
        ok = EVP_PKEY_verify(ctx, sig, w, dg, dl) == 1;
    EVP_PKEY_CTX_free(ctx);
    free(sig);
    return ok;
}

/* DSA and ECDSA: (r, s) MPIs re-encoded as DER (the same SEQUENCE of two
 * INTEGERs for both), over the digest. */
static bool check_dsa(const pgp_sig *s, EVP_PKEY *pkey, const uint8_t *dg, size_t dl)
{
    const uint8_t *rv, *sv;
    size_t rl, sl, i = 0;
    if (!read_mpi(s->mat, s->mat_len, &i, &rv, &rl) || !read_mpi(s->mat, s->mat_len, &i, &sv, &sl))
        return false;
    ECDSA_SIG *es = ECDSA_SIG_new();
    ECDSA_SIG_set0(es, BN_bin2bn(rv, (int)rl, NULL), BN_bin2bn(sv, (int)sl, NULL));
    unsigned char *der = NULL;
    int derlen = i2d_ECDSA_SIG(es, &der);
    ECDSA_SIG_free(es);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL);
    bool ok = derlen > 0 && ctx && EVP_PKEY_verify_init(ctx) > 0 &&
              EVP_PKEY_verify(ctx, der, (size_t)derlen, dg, dl) == 1;
    EVP_PKEY_CTX_free(ctx);
    OPENSSL_free(der);
    return ok;
}

/* EdDSA: R||S (two MPIs for legacy, raw bytes for RFC 9580), the digest as
 * the message. */
static bool check_eddsa(const pgp_sig *s, EVP_PKEY *pkey, const uint8_t *dg, size_t dl)
{
    uint8_t sig[114];
    size_t sl = 64, i = 0;
    if (s->pk_algo == 22) {
        if (!mpi_fixed(s->mat, s->mat_len, &i, sig, 32) ||
            !mpi_fixed(s->mat, s->mat_len, &i, sig + 32, 32))
            return false;
    } else {
        sl = s->pk_algo == 27 ? 64 : 114;
        if (s->mat_len != sl)
            return false;
        memcpy(sig, s->mat, sl);
    }
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    bool ok = m && EVP_DigestVerifyInit(m, NULL, NULL, NULL, pkey) == 1 &&
              EVP_DigestVerify(m, sig, sl, dg, dl) == 1;
    EVP_MD_CTX_free(m);
    return ok;
}

/* Whether signature algorithm `sa` can be made by a key of algorithm `ka`. */
static bool algo_matches(uint8_t sa, uint8_t ka)
{
    bool srsa = sa == 1 || sa == 3, krsa = ka == 1 || ka == 3;
    return srsa ? krsa : sa == ka;
}

gotk_err *pgp_sig_finish(const pgp_sig *s, const pgp_key *key, EVP_MD_CTX *h)
{
    size_t hl = s->hashed_end;
    uint8_t trailer[6] = {s->version, 0xFF, (uint8_t)(hl >> 24), (uint8_t)(hl >> 16),
                          (uint8_t)(hl >> 8), (uint8_t)hl};
    uint8_t dg[EVP_MAX_MD_SIZE];
    unsigned int dl = 0;
    EVP_DigestUpdate(h, s->body, hl);
    EVP_DigestUpdate(h, trailer, sizeof trailer);
    EVP_DigestFinal_ex(h, dg, &dl);
    EVP_MD_CTX_free(h);
    if (!key->pkey)
        return gotk_err_new(GOTK_E_INVALID, "public key algorithm %u is not supported", key->algo);
    if ((s->version == 6) != (key->version == 6))
        return gotk_err_new(GOTK_E_INVALID, "a v%u signature cannot come from a v%u key",
                            s->version, key->version);
    if (!algo_matches(s->pk_algo, key->algo))
        return gotk_err_new(GOTK_E_INVALID, "signature algorithm %u does not match key algorithm %u",
                            s->pk_algo, key->algo);
    bool ok = dl >= 2 && !memcmp(dg, s->left16, 2);
    if (ok && (s->pk_algo == 1 || s->pk_algo == 3))
        ok = check_rsa(s, key->pkey, dg, dl);
    else if (ok && (s->pk_algo == 17 || s->pk_algo == 19))
        ok = check_dsa(s, key->pkey, dg, dl);
    else if (ok)
        ok = check_eddsa(s, key->pkey, dg, dl);
    return ok ? NULL : gotk_err_new(GOTK_E_INVALID, "signature does not match the signed data");
}

/* ---- keyring entries ------------------------------------------------------- */

/* What the packet walk is looking at while it builds one entity. */
typedef struct {
    pgp_entity *e;
    const pgp_packet *uid;   /* the current user ID, or NULL */
    pgp_key *sub;            /* the current subkey, or NULL */
    int64_t primary_sig_at;  /* creation time of the self-signature in effect */
    int64_t sub_sig_at;
} build_state;

/* Whether s was issued by the entity's primary key (or names no issuer). */
static bool by_primary(const pgp_sig *s, const pgp_key *primary)
{
    return !s->has_issuer || !memcmp(s->issuer, primary->keyid, 8);
}

/* Check a key signature of type s over the primary, then uid or subkey. */
static bool key_sig_valid(const pgp_sig *s, const pgp_key *primary, const pgp_packet *uid,
                          const pgp_key *sub)
{
    EVP_MD_CTX *h = NULL;
    gotk_err *e = pgp_hash_begin(s, &h);
    if (e) {
        gotk_err_free(e);
        return false;
    }
    pgp_hash_key(h, primary);
    if (uid)
        pgp_hash_uid(h, uid->body, uid->len);
    if (sub)
        pgp_hash_key(h, sub);
    e = pgp_sig_finish(s, primary, h);
    gotk_err_free(e);
    return e == NULL;
}

/* Take expiration and flags from a valid self-signature if it is newest. */
static void take_self_sig(pgp_key *k, const pgp_sig *s, int64_t *sig_at)
{
    if (s->created < *sig_at)
        return;
    *sig_at = s->created;
    k->expires = s->key_expires ? k->created + s->key_expires : 0;
    k->can_sign = s->key_flags < 0 || (s->key_flags & 0x02);
}

/* Whether a subkey's embedded primary key binding signature (the subkey
 * signing primary + subkey) checks: without it anyone could claim another's
 * signing subkey as theirs. */
static bool cross_signed(const pgp_sig *binding, const pgp_key *primary, const pgp_key *sub)
{
    if (!binding->embedded)
        return false;
    pgp_packet p = {PGP_TAG_SIGNATURE, (uint8_t *)binding->embedded, binding->embedded_len};
    pgp_sig back;
    EVP_MD_CTX *h = NULL;
    gotk_err *e = pgp_sig_parse(&p, &back);
    if (!e && back.type != PGP_SIG_PRIMARY_BINDING)
        e = gotk_err_new(GOTK_E_INVALID, "not a primary key binding signature");
    if (!e)
        e = pgp_hash_begin(&back, &h);
    if (!e) {
        pgp_hash_key(h, primary);
        pgp_hash_key(h, sub);
        e = pgp_sig_finish(&back, sub, h);
    }
    bool ok = e == NULL;
    gotk_err_free(e);
    return ok;
}

/* A valid subkey binding signature: the subkey is bound; the newest one
 * gives its expiration and flags; signing needs the cross-signature. */
static void take_binding(build_state *st, const pgp_sig *s)
{
    if (s->created < st->sub_sig_at)
        return;
    st->sub->bound = true;
    take_self_sig(st->sub, s, &st->sub_sig_at);
    if (st->sub->can_sign && !cross_signed(s, &st->e->primary, st->sub))
        st->sub->can_sign = false;
}

/* Apply one signature packet to the entity being built. */
static void apply_sig(build_state *st, const pgp_packet *p)
{
    pgp_sig s;
    gotk_err *e = pgp_sig_parse(p, &s);
    pgp_key *pk = &st->e->primary;
    if (e || !by_primary(&s, pk)) {
        gotk_err_free(e);
        return;
    }
    if (s.type == PGP_SIG_KEY_REVOCATION && key_sig_valid(&s, pk, NULL, NULL))
        pk->revoked = true;
    else if (s.type == PGP_SIG_DIRECT_KEY && !st->uid && !st->sub &&
             key_sig_valid(&s, pk, NULL, NULL))
        take_self_sig(pk, &s, &st->primary_sig_at);
    else if (s.type >= PGP_SIG_CERT_FIRST && s.type <= PGP_SIG_CERT_LAST && st->uid &&
             key_sig_valid(&s, pk, st->uid, NULL))
        take_self_sig(pk, &s, &st->primary_sig_at);
    else if (s.type == PGP_SIG_SUBKEY_BINDING && st->sub && key_sig_valid(&s, pk, NULL, st->sub))
        take_binding(st, &s);
    else if (s.type == PGP_SIG_SUBKEY_REVOCATION && st->sub &&
               key_sig_valid(&s, pk, NULL, st->sub))
        st->sub->revoked = true;
}

/* Start a new entity with the primary key packet p. */
static gotk_err *start_entity(build_state *st, const pgp_packet *p, pgp_entity **ents, size_t *n)
{
    pgp_key k;
    gotk_err *e = pgp_key_parse(p, &k);
    if (e)
        return e;
    *ents = gotk_xrealloc(*ents, (*n + 1) * sizeof **ents);
    pgp_entity *ent = &(*ents)[(*n)++];
    memset(ent, 0, sizeof *ent);
    ent->primary = k;
    ent->primary.bound = true;
    ent->primary.can_sign = true;
    memset(st, 0, sizeof *st);
    st->e = ent;
    st->primary_sig_at = -1;
    return NULL;
}

/* Add the subkey packet p to the current entity. */
static gotk_err *add_subkey(build_state *st, const pgp_packet *p)
{
    pgp_key k;
    gotk_err *e = pgp_key_parse(p, &k);
    if (e)
        return gotk_err_wrap(e, "subkey");
    pgp_entity *ent = st->e;
    ent->subs = gotk_xrealloc(ent->subs, (ent->nsubs + 1) * sizeof *ent->subs);
    ent->subs[ent->nsubs] = k;
    st->sub = &ent->subs[ent->nsubs++];
    st->sub_sig_at = -1;
    st->uid = NULL;
    return NULL;
}

/* Handle one packet of a key sequence. */
static gotk_err *build_step(build_state *st, const pgp_packet *p, pgp_entity **ents, size_t *n)
{
    if (p->tag == PGP_TAG_PUBLIC_KEY)
        return start_entity(st, p, ents, n);
    if (!st->e)
        return gotk_err_new(GOTK_E_INVALID, "key data does not start with a public key packet "
                                            "(found packet tag %u)", p->tag);
    if (p->tag == PGP_TAG_USER_ID)
        st->uid = p, st->sub = NULL;
    else if (p->tag == 17) /* user attribute: its signatures are not ours to use */
        st->uid = NULL, st->sub = NULL;
    else if (p->tag == PGP_TAG_PUBLIC_SUBKEY)
        return add_subkey(st, p);
    else if (p->tag == PGP_TAG_SIGNATURE)
        apply_sig(st, p);
    else if (p->tag == 5 || p->tag == 7)
        return gotk_err_new(GOTK_E_INVALID, "key data holds a secret key; give the public key");
    return NULL;
}

gotk_err *pgp_entities_build(const pgp_packets *p, pgp_entity **ents, size_t *n)
{
    build_state st = {0};
    size_t first = *n;
    for (size_t i = 0; i < p->n; i++) {
        gotk_err *e = build_step(&st, &p->v[i], ents, n);
        if (e) {
            while (*n > first)
                pgp_entity_free(&(*ents)[--*n]);
            return e;
        }
    }
    return NULL;
}

void pgp_entity_free(pgp_entity *e)
{
    pgp_key_free(&e->primary);
    for (size_t i = 0; i < e->nsubs; i++)
        pgp_key_free(&e->subs[i]);
    free(e->subs);
    e->subs = NULL;
    e->nsubs = 0;
}
