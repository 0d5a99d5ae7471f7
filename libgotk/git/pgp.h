/*
 * pgp: the OpenPGP subset that checking Git signatures needs (RFC 4880, with
 * RFC 9580's Ed25519), on OpenSSL. Internal to the git module; verify.c is
 * its only user.
 *
 * pgp_packet.c turns text into structures: ASCII armor (CRC24 checked when
 * present) -> binary packets (old and new formats, partial body lengths) ->
 * public key packets (v4 and v6: algorithm, creation time, fingerprint, key
 * ID, key material) and v4 and v6 signature packets (hashed and unhashed
 * subpackets: creation and expiration times, issuer key ID and fingerprint,
 * key flags).
 *
 * pgp_verify.c does the cryptography: OpenSSL keys from key material (RSA,
 * DSA, ECDSA P-256/384/521, EdDSA legacy and Ed25519), the v4 hash over signed
 * data + hashed subpackets + trailer, and the signature check; and it builds
 * keyring entries: a primary key, its user ID self-signatures and subkey
 * binding signatures checked, expiration and revocation applied.
 */
#ifndef GOTK_GIT_PGP_H
#define GOTK_GIT_PGP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "gotk/core.h"

/* Packet tags we look at. */
enum {
    PGP_TAG_SIGNATURE = 2,
    PGP_TAG_PUBLIC_KEY = 6,
    PGP_TAG_USER_ID = 13,
    PGP_TAG_PUBLIC_SUBKEY = 14,
};

/* Signature types we look at. */
enum {
    PGP_SIG_BINARY = 0x00,
    PGP_SIG_TEXT = 0x01,
    PGP_SIG_CERT_FIRST = 0x10, /* 0x10..0x13: user ID certifications */
    PGP_SIG_CERT_LAST = 0x13,
    PGP_SIG_SUBKEY_BINDING = 0x18,
    PGP_SIG_PRIMARY_BINDING = 0x19, /* a signing subkey's cross-signature */
    PGP_SIG_DIRECT_KEY = 0x1F,
    PGP_SIG_KEY_REVOCATION = 0x20,
    PGP_SIG_SUBKEY_REVOCATION = 0x28,
};

/* One packet; the body is owned (partial lengths are joined). */
typedef struct {
    uint8_t tag;
    uint8_t *body;
    size_t len;
} pgp_packet;

typedef struct {
    pgp_packet *v;
    size_t n;
} pgp_packets;

/* A signature packet, pointing into its packet's body. */
typedef struct {
    uint8_t version, type, pk_algo, hash_algo;
    const uint8_t *body;     /* the whole packet body */
    size_t hashed_end;       /* body[0..hashed_end) goes into the hash */
    uint8_t left16[2];       /* first two bytes of the digest */
    const uint8_t *salt;     /* v6: hashed before everything else */
    size_t salt_len;
    const uint8_t *mat;      /* algorithm-specific signature material */
    size_t mat_len;
    int64_t created;         /* signature creation time, -1 if absent */
    int64_t sig_expires;     /* seconds after creation, 0: never */
    int64_t key_expires;     /* seconds after key creation, 0: never */
    int key_flags;           /* -1 if absent */
    bool has_issuer;
    uint8_t issuer[8];       /* issuer key ID (from the fingerprint if given) */
    size_t issuer_fpr_len;   /* 0 if absent */
    uint8_t issuer_fpr[32];
    const uint8_t *embedded; /* embedded signature (subpacket 32) body, or NULL */
    size_t embedded_len;
} pgp_sig;

/* A public key or subkey; its key material turned into an OpenSSL key. */
typedef struct {
    uint8_t version, algo;
    int64_t created;
    uint8_t *body;           /* the packet body, owned (hashed by key signatures) */
    size_t len;
    uint8_t fpr[32];
    size_t fpr_len;          /* 20 (v4) or 32 (v6) */
    uint8_t keyid[8];
    EVP_PKEY *pkey;          /* NULL when the algorithm is not one we verify with */
    int64_t expires;         /* absolute expiration time, 0: never */
    bool revoked;
    bool bound;              /* primary: always; subkey: valid binding signature */
    bool can_sign;
} pgp_key;

/* A primary key with its subkeys, as one keyring entry. */
typedef struct {
    pgp_key primary;
    pgp_key *subs;
    size_t nsubs;
} pgp_entity;

/* ---- pgp_packet.c ---- */

/* Decode the next armored block of `type` ("PUBLIC KEY BLOCK", "SIGNATURE")
 * at or after text[*pos]. Sets *found false when there is none; advances *pos
 * past the block. `out` is a new buffer the caller frees. */
gotk_err *pgp_dearmor(const char *text, size_t len, const char *type, size_t *pos, bool *found,
                      uint8_t **out, size_t *outlen);
/* CRC-24 of RFC 4880 section 6.1. */
uint32_t pgp_crc24(const uint8_t *d, size_t n);
/* Split binary data into packets. On error `out` holds nothing. */
gotk_err *pgp_packets_parse(const uint8_t *d, size_t n, pgp_packets *out);
void pgp_packets_free(pgp_packets *p);
/* Parse a signature packet (v4 or v6). `s` points into p's body. */
gotk_err *pgp_sig_parse(const pgp_packet *p, pgp_sig *s);
/* Parse a public key or subkey packet: version, times, fingerprint, key ID
 * and (pgp_verify.c) the OpenSSL key. Copies the body. */
gotk_err *pgp_key_parse(const pgp_packet *p, pgp_key *k);
void pgp_key_free(pgp_key *k);
/* Uppercase hex of a key ID (16 characters + NUL). */
void pgp_keyid_hex(const uint8_t id[8], char out[17]);

/* ---- pgp_verify.c ---- */

/* The OpenSSL key for the key material in k->body (from offset `off`), or
 * NULL with k->pkey left NULL for algorithms we do not verify with. */
gotk_err *pgp_key_material(pgp_key *k, size_t off);
/* A digest context for s's hash algorithm. */
gotk_err *pgp_hash_begin(const pgp_sig *s, EVP_MD_CTX **out);
/* Feed a key packet as key signatures hash it (0x99/0x9B + length + body). */
void pgp_hash_key(EVP_MD_CTX *h, const pgp_key *k);
/* Feed a user ID as certifications hash it (0xB4 + length + text). */
void pgp_hash_uid(EVP_MD_CTX *h, const uint8_t *uid, size_t len);
/* Finish the hash with s's hashed part and trailer and check the signature
 * with `key`. Frees h. */
gotk_err *pgp_sig_finish(const pgp_sig *s, const pgp_key *key, EVP_MD_CTX *h);
/* Build keyring entries from the packets of a transferable public key
 * sequence (several keys may follow one another). Appends to *ents. */
gotk_err *pgp_entities_build(const pgp_packets *p, pgp_entity **ents, size_t *n);
void pgp_entity_free(pgp_entity *e);

#endif
