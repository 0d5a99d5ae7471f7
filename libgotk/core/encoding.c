/*
 * base64 and sha256.
 *
 * base64 is the standard alphabet (RFC 4648 section 4) with '=' padding, as
 * Kubernetes uses for Secret data. Decoding follows Go's base64.StdEncoding,
 * which is what the Kubernetes API server and Flux use, including its error
 * text "illegal base64 data at input byte N" and the offsets it reports:
 * input is taken in quanta of four characters; a character outside the
 * alphabet, padding that starts too early, is incomplete or is followed by
 * anything, or a final quantum without padding are all errors. As in Go's
 * non-strict mode, unused low bits in the last character are ignored. Unlike
 * Go, newlines are not skipped: no whitespace is accepted.
 *
 * Digests (SHA-1, SHA-256, SHA-512) are printed as lowercase hex. They use
 * OpenSSL's one-algorithm functions rather than EVP: the first EVP digest
 * sets up OpenSSL's provider machinery, 2.7 MB of memory in a process that
 * otherwise needs 3 (`gotk helm template`, `gotk kustomize build`).
 */
#define OPENSSL_API_COMPAT 0x10101000L /* SHA*_Init and friends, without warnings */

#include "gotk/core.h"

#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Encode with padding into a new NUL-terminated string. */
char *gotk_base64_encode(const void *data, size_t len)
{
    const unsigned char *in = data;
    char *out = gotk_xmalloc((len + 2) / 3 * 4 + 1);
    char *o = out;
    size_t i = 0;
    for (; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        *o++ = b64_alphabet[v >> 18 & 63];
        *o++ = b64_alphabet[v >> 12 & 63];
        *o++ = b64_alphabet[v >> 6 & 63];
        *o++ = b64_alphabet[v & 63];
    }
    if (i < len) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < len ? (uint32_t)in[i + 1] << 8 : 0);
        *o++ = b64_alphabet[v >> 18 & 63];
        *o++ = b64_alphabet[v >> 12 & 63];
        *o++ = i + 1 < len ? b64_alphabet[v >> 6 & 63] : '=';
        *o++ = '=';
    }
    *o = '\0';
    return out;
}

/* The 6-bit value of an alphabet character, or -1. */
static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Go's CorruptInputError text. */
static gotk_err *b64_corrupt(size_t offset)
{
    return gotk_err_new(GOTK_E_INVALID, "illegal base64 data at input byte %zu", offset);
}

/* Check the padding that starts at s[at] (a '=' in quantum position j) and
 * that nothing follows it. */
static gotk_err *b64_check_padding(const char *s, size_t slen, size_t at, int j)
{
    size_t si = at + 1;
    if (j < 2)
        return b64_corrupt(at); /* "=" as the 1st or 2nd character */
    if (j == 2) {
        if (si == slen)
            return b64_corrupt(slen); /* "xx=" needs a second '=' */
        if (s[si] != '=')
            return b64_corrupt(si - 1);
        si++;
    }
    if (si < slen)
        return b64_corrupt(si); /* data after the padding */
    return NULL;
}

/* Emit the bytes of a quantum of `n` characters (2..4) held in `v`. */
static size_t b64_emit(unsigned char *o, uint32_t v, int n)
{
    o[0] = (unsigned char)(v >> 16);
    if (n > 2)
        o[1] = (unsigned char)(v >> 8);
    if (n > 3)
        o[2] = (unsigned char)v;
    return (size_t)(n - 1);
}

/* Decode one quantum at s[*si]; *done is set at the end of the input. */
static gotk_err *b64_quantum(const char *s, size_t slen, size_t *si, unsigned char *o,
                             size_t *olen, bool *done)
{
    uint32_t v = 0;
    int j = 0;
    for (; j < 4; j++) {
        if (*si == slen) {
            if (j == 0) {
                *done = true;
                return NULL;
            }
            return b64_corrupt(*si - (size_t)j); /* unpadded final quantum */
        }
        unsigned char c = (unsigned char)s[(*si)++];
        int d = b64_value(c);
        if (d >= 0) {
            v |= (uint32_t)d << (18 - 6 * j);
            continue;
        }
        if (c != '=')
            return b64_corrupt(*si - 1);
        gotk_err *e = b64_check_padding(s, slen, *si - 1, j);
        if (e)
            return e;
        *olen += b64_emit(o + *olen, v, j);
        *done = true;
        return NULL;
    }
    *olen += b64_emit(o + *olen, v, 4);
    return NULL;
}

/* Decode standard padded base64 into a new buffer (NUL-terminated for
 * convenience; *outlen excludes the NUL). On error *out is left alone. */
gotk_err *gotk_base64_decode(const char *s, size_t slen, unsigned char **out, size_t *outlen)
{
    unsigned char *buf = gotk_xmalloc(slen / 4 * 3 + 4);
    size_t si = 0, n = 0;
    bool done = false;
    while (!done) {
        gotk_err *e = b64_quantum(s, slen, &si, buf, &n, &done);
        if (e) {
            free(buf);
            return e;
        }
    }
    buf[n] = '\0';
    *out = buf;
    *outlen = n;
    return NULL;
}

/* The digest of data by alg into md; its length. */
static size_t digest(gotk_digest_alg alg, const void *data, size_t len,
                     unsigned char md[SHA512_DIGEST_LENGTH])
{
    switch (alg) {
    case GOTK_SHA1: {
        SHA_CTX c;
        SHA1_Init(&c), SHA1_Update(&c, data, len), SHA1_Final(md, &c);
        return SHA_DIGEST_LENGTH;
    }
    case GOTK_SHA256: {
        SHA256_CTX c;
        SHA256_Init(&c), SHA256_Update(&c, data, len), SHA256_Final(md, &c);
        return SHA256_DIGEST_LENGTH;
    }
    case GOTK_SHA512: break;
    }
    SHA512_CTX c;
    SHA512_Init(&c), SHA512_Update(&c, data, len), SHA512_Final(md, &c);
    return SHA512_DIGEST_LENGTH;
}

/* Lowercase hex of the digest: out holds 2 * 64 + 1 bytes for SHA-512. */
void gotk_digest_hex(gotk_digest_alg alg, const void *data, size_t len, char *out)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[SHA512_DIGEST_LENGTH];
    size_t n = digest(alg, data, len, md);
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 0xf];
    }
    out[2 * n] = '\0';
}

/* Lowercase hex of sha256(data). */
void gotk_sha256_hex(const void *data, size_t len, char out[65])
{
    gotk_digest_hex(GOTK_SHA256, data, len, out);
}
