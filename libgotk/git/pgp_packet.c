/*
 * pgp_packet.c: OpenPGP text and binary formats (see pgp.h).
 *
 * Armor: a "-----BEGIN PGP <type>-----" line, optional "Key: value" headers
 * up to a blank line, base64 lines, an optional "=XXXX" CRC-24 line, and the
 * matching END line. The base64 is joined and decoded with core's decoder.
 *
 * Packets (RFC 4880 section 4.2): a header byte with bit 7 set; the old
 * format keeps the tag in bits 5..2 and a length type in bits 1..0, the new
 * format the tag in bits 5..0 followed by a one-, two- or five-byte length or
 * a chain of partial lengths that we join into one body.
 *
 * Signatures are parsed for v4 (what every Git signer writes today) and v6
 * (RFC 9580: four-byte area lengths and a salt); subpackets are read from
 * both areas, but times, expirations and key flags
 * only count from the hashed one. Keys are parsed for v4 and v6.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "pgp.h"

/* ---- armor ---------------------------------------------------------------- */

/* CRC-24 with RFC 4880's initial value and generator. */
uint32_t pgp_crc24(const uint8_t *d, size_t n)
{
    uint32_t crc = 0xB704CEu;
    for (size_t i = 0; i < n; i++) {
        crc ^= (uint32_t)d[i] << 16;
        for (int b = 0; b < 8; b++) {
            crc <<= 1;
            if (crc & 0x1000000u)
                crc ^= 0x1864CFBu;
        }
    }
    return crc & 0xFFFFFFu;
}

/* The line starting at text[*pos] (without CR/LF and trailing blanks);
 * advances *pos past it. Returns false at the end of the text. */
static bool next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *ll)
{
    if (*pos >= len)
        return false;
    const char *s = text + *pos;
    const char *nl = memchr(s, '\n', len - *pos);
    size_t n = nl ? (size_t)(nl - s) : len - *pos;
    *pos += nl ? n + 1 : n;
    while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    *line = s;
    *ll = n;
    return true;
}

/* Whether the line is the armor line "-----<what> PGP <type>-----". */
static bool is_armor_line(const char *line, size_t ll, const char *what, const char *type)
{
    char want[96];
    int n = snprintf(want, sizeof want, "-----%s PGP %s-----", what, type);
    return n > 0 && (size_t)n == ll && !memcmp(line, want, ll);
}

/* Append the base64 characters of a line to b, skipping blanks. */
static void add_base64(gotk_buf *b, const char *line, size_t ll)
{
    for (size_t i = 0; i < ll; i++)
        if (line[i] != ' ' && line[i] != '\t')
            gotk_buf_putc(b, line[i]);
}

/* Check the "=XXXX" checksum line against the decoded data. */
static gotk_err *check_crc(const char *line, size_t ll, const uint8_t *d, size_t n)
{
    unsigned char *crc = NULL;
    size_t cl = 0;
    if (ll != 5 || gotk_base64_decode(line + 1, 4, &crc, &cl) != NULL || cl != 3) {
        free(crc);
        return gotk_err_new(GOTK_E_INVALID, "armor: invalid checksum line '%.*s'",
                            (int)(ll > 16 ? 16 : ll), line);
    }
    uint32_t want = (uint32_t)crc[0] << 16 | (uint32_t)crc[1] << 8 | crc[2];
    free(crc);
    uint32_t got = pgp_crc24(d, n);
    if (want != got)
        return gotk_err_new(GOTK_E_INVALID,
                            "armor: checksum mismatch (CRC-24 %06X in the armor, %06X computed)",
                            (unsigned)want, (unsigned)got);
    return NULL;
}

/* Skip the header lines after BEGIN; leaves *pos at the first data line. */
static void skip_headers(const char *text, size_t len, size_t *pos)
{
    size_t p = *pos;
    const char *line;
    size_t ll;
    while (next_line(text, len, &p, &line, &ll)) {
        if (ll == 0) {
            *pos = p;
            return;
        }
        if (!memchr(line, ':', ll))
            return; /* no blank line: data starts here */
        *pos = p;
    }
}

/* Read the base64 lines, the checksum and the END line of one block. */
static gotk_err *read_armor_body(const char *text, size_t len, const char *type, size_t *pos,
                                 uint8_t **out, size_t *outlen)
{
    gotk_buf b = {0};
    const char *line, *crc = NULL;
    size_t ll, crclen = 0;
    bool ended = false;
    while (!ended && next_line(text, len, pos, &line, &ll)) {
        if (ll >= 5 && !memcmp(line, "-----", 5)) {
            if (!is_armor_line(line, ll, "END", type))
                break;
            ended = true;
        } else if (ll > 0 && line[0] == '=') {
            crc = line;
            crclen = ll;
        } else if (!crc) {
            add_base64(&b, line, ll);
        }
    }
    if (!ended) {
        gotk_buf_free(&b);
        return gotk_err_new(GOTK_E_INVALID, "armor: missing '-----END PGP %s-----' line", type);
    }
    unsigned char *d = NULL;
    size_t n = 0;
    gotk_err *e = gotk_base64_decode(b.data ? b.data : "", b.len, &d, &n);
    gotk_buf_free(&b);
    if (e)
        return gotk_err_wrap(e, "armor: invalid base64 data");
    if (crc && (e = check_crc(crc, crclen, d, n)) != NULL) {
        free(d);
        return e;
    }
    *out = d;
    *outlen = n;
    return NULL;
}

gotk_err *pgp_dearmor(const char *text, size_t len, const char *type, size_t *pos, bool *found,
                      uint8_t **out, size_t *outlen)
{
    const char *line;
    size_t ll;
    *found = false;
    *out = NULL;
    *outlen = 0;
    while (next_line(text, len, pos, &line, &ll)) {
        /* Tolerate leading blanks on the BEGIN line (YAML-indented Secrets). */
        while (ll > 0 && (*line == ' ' || *line == '\t'))
            line++, ll--;
        if (!is_armor_line(line, ll, "BEGIN", type))
            continue;
        *found = true;
        skip_headers(text, len, pos);
        return read_armor_body(text, len, type, pos, out, outlen);
    }
    return NULL;
}

/* ---- packets --------------------------------------------------------------- */

/* Read a big-endian number of `n` bytes. */
static uint32_t be(const uint8_t *d, size_t n)
{
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | d[i];
    return v;
}

/* Read one new-format length at d[*i]; *partial says whether more follows. */
static gotk_err *new_length(const uint8_t *d, size_t n, size_t *i, size_t *len, bool *partial)
{
    *partial = false;
    if (*i >= n)
        return gotk_err_new(GOTK_E_INVALID, "packet length truncated at offset %zu", *i);
    uint8_t o = d[*i];
    if (o < 192) {
        *len = o;
        *i += 1;
    } else if (o < 224) {
        if (*i + 2 > n)
            return gotk_err_new(GOTK_E_INVALID, "packet length truncated at offset %zu", *i);
        *len = ((size_t)(o - 192) << 8) + d[*i + 1] + 192;
        *i += 2;
    } else if (o == 255) {
        if (*i + 5 > n)
            return gotk_err_new(GOTK_E_INVALID, "packet length truncated at offset %zu", *i);
        *len = be(d + *i + 1, 4);
        *i += 5;
    } else {
        *len = (size_t)1 << (o & 0x1F);
        *partial = true;
        *i += 1;
    }
    return NULL;
}

/* Append `len` body bytes at d[*i] to b, checking they are there. */
static gotk_err *take_body(const uint8_t *d, size_t n, size_t *i, size_t len, gotk_buf *b,
                           unsigned tag, size_t start)
{
    if (len > n - *i)
        return gotk_err_new(GOTK_E_INVALID,
                            "packet (tag %u) at offset %zu: length %zu runs past the end of the "
                            "data (%zu bytes left)",
                            tag, start, len, n - *i);
    gotk_buf_append(b, d + *i, len);
    *i += len;
    return NULL;
}

/* Read a new-format body, joining partial lengths. */
static gotk_err *new_body(const uint8_t *d, size_t n, size_t *i, gotk_buf *b, unsigned tag,
                          size_t start)
{
    bool partial = true;
    while (partial) {
        size_t len = 0; /* set whenever new_length succeeds; gcc -O2 cannot tell */
        gotk_err *e = new_length(d, n, i, &len, &partial);
        if (!e)
            e = take_body(d, n, i, len, b, tag, start);
        if (e)
            return e;
    }
    return NULL;
}

/* Read an old-format length (bits 1..0 of the header) and body. */
static gotk_err *old_body(const uint8_t *d, size_t n, size_t *i, uint8_t hdr, gotk_buf *b,
                          unsigned tag, size_t start)
{
    size_t lt = hdr & 3, len;
    if (lt == 3) {
        len = n - *i; /* indeterminate: to the end */
    } else {
        size_t w = (size_t)1 << lt;
        if (*i + w > n)
            return gotk_err_new(GOTK_E_INVALID, "packet length truncated at offset %zu", start);
        len = be(d + *i, w);
        *i += w;
    }
    return take_body(d, n, i, len, b, tag, start);
}

/* Parse the packet at d[*i] into pk. */
static gotk_err *parse_packet(const uint8_t *d, size_t n, size_t *i, pgp_packet *pk)
{
    size_t start = *i;
    uint8_t hdr = d[(*i)++];
    if (!(hdr & 0x80))
        return gotk_err_new(GOTK_E_INVALID,
                            "invalid packet header byte 0x%02x at offset %zu (bit 7 not set)",
                            hdr, start);
    gotk_buf b = {0};
    bool newfmt = hdr & 0x40;
    unsigned tag = newfmt ? hdr & 0x3Fu : (hdr >> 2) & 0x0Fu;
    gotk_err *e = newfmt ? new_body(d, n, i, &b, tag, start) : old_body(d, n, i, hdr, &b, tag, start);
    if (e) {
        gotk_buf_free(&b);
        return e;
    }
    pk->tag = (uint8_t)tag;
    pk->len = b.len;
    pk->body = b.data ? (uint8_t *)b.data : gotk_xcalloc(1, 1);
    return NULL;
}

gotk_err *pgp_packets_parse(const uint8_t *d, size_t n, pgp_packets *out)
{
    pgp_packets p = {0};
    size_t cap = 0, i = 0;
    while (i < n) {
        if (p.n == cap) {
            cap = cap ? cap * 2 : 8;
            p.v = gotk_xrealloc(p.v, cap * sizeof *p.v);
        }
        gotk_err *e = parse_packet(d, n, &i, &p.v[p.n]);
        if (e) {
            pgp_packets_free(&p);
            return e;
        }
        p.n++;
    }
    *out = p;
    return NULL;
}

void pgp_packets_free(pgp_packets *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i].body);
    free(p->v);
    p->v = NULL;
    p->n = 0;
}

/* ---- signatures ---------------------------------------------------------- */

/* Whether a subpacket type is one whose critical bit we can honour. */
static bool known_subpacket(unsigned t)
{
    static const uint8_t known[] = {2, 3, 4, 5, 7, 9, 11, 16, 21, 22, 23, 24, 25, 27, 28, 30,
                                    31, 32, 33, 34, 39};
    for (size_t i = 0; i < sizeof known; i++)
        if (known[i] == t)
            return true;
    return false;
}

/* Record one subpacket's value in s (times and flags only when hashed). */
static gotk_err *take_subpacket(pgp_sig *s, unsigned t, const uint8_t *v, size_t n, bool hashed)
{
    if ((t == 2 || t == 3 || t == 9) && n != 4)
        return gotk_err_new(GOTK_E_INVALID, "signature subpacket %u has length %zu", t, n);
    if ((t == 16 && n != 8) || (t == 33 && (n < 21 || n > 33)))
        return gotk_err_new(GOTK_E_INVALID, "signature subpacket %u has length %zu", t, n);
    if (t == 2 && hashed)
        s->created = be(v, 4);
    else if (t == 3 && hashed)
        s->sig_expires = be(v, 4);
    else if (t == 9 && hashed)
        s->key_expires = be(v, 4);
    else if (t == 27 && hashed && n >= 1)
        s->key_flags = v[0];
    else if (t == 16 && !s->has_issuer) {
        memcpy(s->issuer, v, 8);
        s->has_issuer = true;
    } else if (t == 32 && !s->embedded) {
        s->embedded = v;
        s->embedded_len = n;
    } else if (t == 33 && !s->issuer_fpr_len) {
        s->issuer_fpr_len = n - 1;
        memcpy(s->issuer_fpr, v + 1, n - 1);
        memcpy(s->issuer, v[0] == 4 ? v + 1 + 12 : v + 1, 8);
        s->has_issuer = true;
    }
    return NULL;
}

/* Walk one subpacket area. */
static gotk_err *parse_subpackets(pgp_sig *s, const uint8_t *d, size_t n, bool hashed)
{
    size_t i = 0;
    while (i < n) {
        size_t len = 0; /* set whenever new_length succeeds; gcc -O2 cannot tell */
        bool partial = false;
        gotk_err *e = new_length(d, n, &i, &len, &partial);
        if (e || partial || len == 0 || len > n - i) {
            gotk_err_free(e);
            return gotk_err_new(GOTK_E_INVALID, "signature subpacket at offset %zu: bad length", i);
        }
        unsigned t = d[i] & 0x7Fu;
        if ((d[i] & 0x80) && hashed && !known_subpacket(t))
            return gotk_err_new(GOTK_E_INVALID, "signature has unknown critical subpacket %u", t);
        if ((e = take_subpacket(s, t, d + i + 1, len - 1, hashed)) != NULL)
            return e;
        i += len;
    }
    return NULL;
}

/* The salt (v6 only: a length byte, then the salt) and the signature
 * material after the two digest bytes at body[at]. */
static gotk_err *sig_tail(pgp_sig *s, const uint8_t *d, size_t n, size_t at)
{
    memcpy(s->left16, d + at, 2);
    at += 2;
    if (s->version == 6) {
        if (at >= n || d[at] > n - at - 1)
            return gotk_err_new(GOTK_E_INVALID, "signature packet truncated in salt");
        s->salt_len = d[at];
        s->salt = d + at + 1;
        at += 1 + s->salt_len;
    }
    s->mat = d + at;
    s->mat_len = n - at;
    return NULL;
}

gotk_err *pgp_sig_parse(const pgp_packet *p, pgp_sig *s)
{
    memset(s, 0, sizeof *s);
    s->created = -1;
    s->key_flags = -1;
    const uint8_t *d = p->body;
    size_t n = p->len;
    if (n < 1)
        return gotk_err_new(GOTK_E_INVALID, "signature packet is empty");
    if (d[0] != 4 && d[0] != 6)
        return gotk_err_new(GOTK_E_INVALID, "signature packet version %u is not supported", d[0]);
    size_t w = d[0] == 6 ? 4 : 2; /* width of the subpacket area lengths */
    if (n < 4 + w)
        return gotk_err_new(GOTK_E_INVALID, "signature packet truncated");
    s->version = d[0];
    s->type = d[1];
    s->pk_algo = d[2];
    s->hash_algo = d[3];
    s->body = d;
    size_t hl = be(d + 4, w);
    if (hl > n - 4 - w || n - 4 - w - hl < w)
        return gotk_err_new(GOTK_E_INVALID, "signature packet truncated in hashed subpackets");
    s->hashed_end = 4 + w + hl;
    size_t ul = be(d + s->hashed_end, w), u0 = s->hashed_end + w;
    if (ul > n - u0 || n - u0 - ul < 2)
        return gotk_err_new(GOTK_E_INVALID, "signature packet truncated in unhashed subpackets");
    gotk_err *e = parse_subpackets(s, d + 4 + w, hl, true);
    if (!e)
        e = parse_subpackets(s, d + u0, ul, false);
    if (!e)
        e = sig_tail(s, d, n, u0 + ul);
    if (e)
        return gotk_err_wrap(e, "signature packet");
    if (s->created < 0)
        return gotk_err_new(GOTK_E_INVALID, "signature packet has no creation time");
    return NULL;
}

/* ---- keys ------------------------------------------------------------------ */

void pgp_keyid_hex(const uint8_t id[8], char out[17])
{
    for (int i = 0; i < 8; i++)
        snprintf(out + 2 * i, 3, "%02X", id[i]);
}

/* Fingerprint and key ID of a parsed key. */
static void fingerprint(pgp_key *k)
{
    uint8_t hdr[5];
    size_t hl;
    const EVP_MD *md;
    if (k->version == 6) {
        hdr[0] = 0x9B;
        hdr[1] = (uint8_t)(k->len >> 24), hdr[2] = (uint8_t)(k->len >> 16);
        hdr[3] = (uint8_t)(k->len >> 8), hdr[4] = (uint8_t)k->len;
        hl = 5;
        md = EVP_sha256();
    } else {
        hdr[0] = 0x99, hdr[1] = (uint8_t)(k->len >> 8), hdr[2] = (uint8_t)k->len;
        hl = 3;
        md = EVP_sha1();
    }
    EVP_MD_CTX *h = EVP_MD_CTX_new();
    unsigned int fl = 0;
    EVP_DigestInit_ex(h, md, NULL);
    EVP_DigestUpdate(h, hdr, hl);
    EVP_DigestUpdate(h, k->body, k->len);
    EVP_DigestFinal_ex(h, k->fpr, &fl);
    EVP_MD_CTX_free(h);
    k->fpr_len = fl;
    memcpy(k->keyid, k->version == 6 ? k->fpr : k->fpr + fl - 8, 8);
}

gotk_err *pgp_key_parse(const pgp_packet *p, pgp_key *k)
{
    memset(k, 0, sizeof *k);
    const uint8_t *d = p->body;
    if (p->len < 1)
        return gotk_err_new(GOTK_E_INVALID, "public key packet is empty");
    if (d[0] != 4 && d[0] != 6)
        return gotk_err_new(GOTK_E_INVALID, "public key packet version %u is not supported", d[0]);
    size_t off = d[0] == 6 ? 10 : 6;
    if (p->len < off)
        return gotk_err_new(GOTK_E_INVALID, "public key packet truncated");
    if (d[0] == 6 && be(d + 6, 4) != p->len - off)
        return gotk_err_new(GOTK_E_INVALID, "public key packet: key material length %u, %zu present",
                            (unsigned)be(d + 6, 4), p->len - off);
    k->version = d[0];
    k->created = be(d + 1, 4);
    k->algo = d[5];
    k->len = p->len;
    k->body = gotk_xmalloc(p->len);
    memcpy(k->body, d, p->len);
    fingerprint(k);
    gotk_err *e = pgp_key_material(k, off);
    if (e) {
        char id[17];
        pgp_keyid_hex(k->keyid, id);
        pgp_key_free(k);
        return gotk_err_wrap(e, "public key %s", id);
    }
    return NULL;
}

void pgp_key_free(pgp_key *k)
{
    EVP_PKEY_free(k->pkey);
    free(k->body);
    memset(k, 0, sizeof *k);
}
