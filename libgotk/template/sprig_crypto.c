/*
 * sprig_crypto.c: Sprig's keys and certificates (genPrivateKey, genCA,
 * genSelfSignedCert, genSignedCert, their *WithKey forms, buildCustomCert),
 * encryptAES/decryptAES and derivePassword, with OpenSSL.
 *
 * Certificates carry what Go's x509.CreateCertificate writes for Sprig's
 * template: version 3, a random 128-bit serial, subject CN only, validity from
 * now for daysValid days, critical key usage (digitalSignature,
 * keyEncipherment, and certSign for CAs), extended key usage serverAuth and
 * clientAuth, critical basic constraints, a subject key id on CAs, the
 * issuer's key id on signed certificates, then DNS and IP alternative names.
 * Keys are PEM as Go marshals them: PKCS#1 for RSA, SEC 1 for ECDSA, the
 * OpenSSL/Go DSA sequence, PKCS#8 for Ed25519. A certificate is a value of
 * Go type sprig.certificate with fields Cert and Key; genSignedCert also takes
 * a plain map with those keys (Go would refuse it).
 */
#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sprig.h"

#define FN(name) \
    static gotk_err *name(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv, \
                          gotk_tpl_val *res, void *ud)
#define UNUSED (void)ex, (void)argc, (void)argv, (void)ud

/* Sprig's certificate struct: {Cert, Key}. */
static const char CERT_TYPE[] = "sprig.certificate";

static gotk_err *errorf(const char *fmt, const char *arg)
{
    return gotk_err_new(GOTK_E_INVALID, fmt, arg);
}

/* ---- keys ------------------------------------------------------------------- */

static EVP_PKEY *gen_key(const char *type, int bits)
{
    if (strcmp(type, "rsa") == 0)
        return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
    if (strcmp(type, "ecdsa") == 0)
        return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    if (strcmp(type, "ed25519") == 0)
        return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    /* dsa: L=2048, N=256 parameters, then a key */
    EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "DSA", NULL);
    EVP_PKEY *params = NULL, *key = NULL;
    if (pc && EVP_PKEY_paramgen_init(pc) > 0 && EVP_PKEY_CTX_set_dsa_paramgen_bits(pc, 2048) > 0 &&
        EVP_PKEY_CTX_set_dsa_paramgen_q_bits(pc, 256) > 0 && EVP_PKEY_paramgen(pc, &params) > 0) {
        EVP_PKEY_CTX *kc = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL);
        if (kc && EVP_PKEY_keygen_init(kc) > 0)
            EVP_PKEY_keygen(kc, &key);
        EVP_PKEY_CTX_free(kc);
    }
    EVP_PKEY_free(params);
    EVP_PKEY_CTX_free(pc);
    return key;
}

/* Go's pemBlockForKey: the key's PEM, appended to out. */
static void key_pem(EVP_PKEY *key, gotk_buf *out)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519) {
        PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL);
    } else {
        OSSL_ENCODER_CTX *ec = OSSL_ENCODER_CTX_new_for_pkey(key, EVP_PKEY_KEYPAIR, "PEM",
                                                             "type-specific", NULL);
        OSSL_ENCODER_to_bio(ec, bio);
        OSSL_ENCODER_CTX_free(ec);
    }
    char *data;
    long n = BIO_get_mem_data(bio, &data);
    gotk_buf_append(out, data, (size_t)n);
    BIO_free(bio);
}

/* genPrivateKey type: "rsa" (4096 bits), "dsa", "ecdsa" (P-256), "ed25519". */
FN(fn_gen_private_key)
{
    UNUSED;
    const char *type = SV(argv[0]);
    gotk_buf b = {0};
    if (!*type)
        type = "rsa";
    if (strcmp(type, "rsa") && strcmp(type, "dsa") && strcmp(type, "ecdsa") && strcmp(type, "ed25519")) {
        gotk_buf_printf(&b, "Unknown type %s", type);
    } else {
        EVP_PKEY *key = gen_key(type, 4096);
        if (key)
            key_pem(key, &b);
        else
            gotk_buf_puts(&b, "failed to generate private key: key generation failed");
        EVP_PKEY_free(key);
    }
    *res = sprig_take(ex, &b);
    return NULL;
}

/* The first PEM block of text: its type and bytes; false when there is none. */
static bool pem_first(const char *text, size_t len, char **name, unsigned char **der, long *derlen)
{
    BIO *bio = BIO_new_mem_buf(text, (int)len);
    char *header = NULL;
    bool ok = PEM_read_bio(bio, name, &header, der, derlen) == 1;
    OPENSSL_free(header);
    BIO_free(bio);
    ERR_clear_error();
    return ok;
}

static EVP_PKEY *d2i_key(int type, const unsigned char *der, long len)
{
    const unsigned char *p = der;
    if (type < 0)
        return d2i_AutoPrivateKey(NULL, &p, len);
    return d2i_PrivateKey(type, NULL, &p, len);
}

/* Sprig's parsePrivateKeyPEM, with its error texts. */
static gotk_err *parse_key_pem(const char *text, size_t len, EVP_PKEY **key)
{
    char *name = NULL;
    unsigned char *der = NULL;
    long dlen = 0;
    *key = NULL;
    if (!pem_first(text, len, &name, &der, &dlen))
        return gotk_err_new(GOTK_E_INVALID, "no PEM data in input");
    gotk_err *e = NULL;
    size_t nl = strlen(name);
    static const char suffix[] = " PRIVATE KEY";
    if (strcmp(name, "PRIVATE KEY") == 0) {
        if (!(*key = d2i_key(-1, der, dlen)))
            e = errorf("decoding PEM as PKCS#8: %s", "asn1: structure error");
    } else if (nl < sizeof suffix - 1 || strcmp(name + nl - (sizeof suffix - 1), suffix) != 0) {
        e = errorf("no private key data in PEM block of type %s", name);
    } else if (strcmp(name, "RSA PRIVATE KEY") == 0 || strcmp(name, "EC PRIVATE KEY") == 0 ||
               strcmp(name, "DSA PRIVATE KEY") == 0) {
        int type = name[0] == 'R' ? EVP_PKEY_RSA : name[0] == 'E' ? EVP_PKEY_EC : EVP_PKEY_DSA;
        if (!(*key = d2i_key(type, der, dlen)))
            e = errorf("parsing %s private key from PEM: asn1: structure error",
                       name[0] == 'R' ? "RSA" : name[0] == 'E' ? "EC" : "DSA");
    } else {
        e = errorf("invalid private key type %s", name);
    }
    OPENSSL_free(name);
    OPENSSL_free(der);
    ERR_clear_error();
    return e;
}

/* ---- certificates ------------------------------------------------------------ */

typedef struct {
    const char *cn;
    int64_t days;
    bool is_ca;
    gotk_buf dns; /* NUL-separated names */
    size_t ndns;
    unsigned char ips[32][16];
    int iplen[32];
    size_t nips;
} cert_spec;

/* "WHAT: %v is not a string" for a list element v. */
static gotk_err *not_a_string(const char *what, gotk_tpl_val v)
{
    gotk_buf m = {0};
    gotk_buf_printf(&m, "%s: ", what);
    gotk_tpl_sprint(&m, 1, &v);
    gotk_buf_puts(&m, " is not a string");
    gotk_err *e = gotk_err_new(GOTK_E_INVALID, "%s", m.data);
    gotk_buf_free(&m);
    return e;
}

/* Go's getNetIPs: strings that parse as IP addresses. */
static gotk_err *spec_ips(cert_spec *s, gotk_tpl_val list)
{
    size_t n = list.j ? json_object_array_length(list.j) : 0;
    for (size_t i = 0; i < n; i++) {
        gotk_tpl_val v = gotk_tpl_from_json(json_object_array_get_idx(list.j, i), true);
        v = tpl_indirect_iface(v);
        if (v.kind != GOTK_TPL_STRING)
            return not_a_string("error parsing ip", v);
        if (s->nips == 32)
            return gotk_err_new(GOTK_E_INVALID, "too many IP addresses");
        if (inet_pton(AF_INET, SV(v), s->ips[s->nips]) == 1)
            s->iplen[s->nips++] = 4;
        else if (inet_pton(AF_INET6, SV(v), s->ips[s->nips]) == 1)
            s->iplen[s->nips++] = 16;
        else
            return errorf("error parsing ip: %s", SV(v));
    }
    return NULL;
}

/* Go's getAlternateDNSStrs. */
static gotk_err *spec_dns(cert_spec *s, gotk_tpl_val list)
{
    size_t n = list.j ? json_object_array_length(list.j) : 0;
    for (size_t i = 0; i < n; i++) {
        gotk_tpl_val v = tpl_indirect_iface(gotk_tpl_from_json(json_object_array_get_idx(list.j, i), true));
        if (v.kind != GOTK_TPL_STRING)
            return not_a_string("error processing alternate dns name", v);
        gotk_buf_append(&s->dns, SV(v), SL(v) + 1);
        s->ndns++;
    }
    return NULL;
}

static void add_ext(X509 *x, int nid, void *value, int critical)
{
    X509_add1_ext_i2d(x, nid, value, critical, X509V3_ADD_DEFAULT);
}

/* The extensions Go writes for Sprig's template, in Go's order. */
static void add_extensions(X509 *x, const cert_spec *s, X509 *issuer)
{
    ASN1_BIT_STRING *ku = ASN1_BIT_STRING_new();
    ASN1_BIT_STRING_set_bit(ku, 0, 1); /* digitalSignature */
    ASN1_BIT_STRING_set_bit(ku, 2, 1); /* keyEncipherment */
    if (s->is_ca)
        ASN1_BIT_STRING_set_bit(ku, 5, 1); /* keyCertSign */
    add_ext(x, NID_key_usage, ku, 1);
    ASN1_BIT_STRING_free(ku);

    EXTENDED_KEY_USAGE *eku = sk_ASN1_OBJECT_new_null();
    sk_ASN1_OBJECT_push(eku, OBJ_nid2obj(NID_server_auth));
    sk_ASN1_OBJECT_push(eku, OBJ_nid2obj(NID_client_auth));
    add_ext(x, NID_ext_key_usage, eku, 0);
    sk_ASN1_OBJECT_free(eku);

    BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();
    bc->ca = s->is_ca ? 0xFF : 0;
    add_ext(x, NID_basic_constraints, bc, 1);
    BASIC_CONSTRAINTS_free(bc);

    if (s->is_ca) {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int mdlen = 0;
        X509_pubkey_digest(x, EVP_sha1(), md, &mdlen);
        ASN1_OCTET_STRING *skid = ASN1_OCTET_STRING_new();
        ASN1_OCTET_STRING_set(skid, md, (int)mdlen);
        add_ext(x, NID_subject_key_identifier, skid, 0);
        ASN1_OCTET_STRING_free(skid);
    }
    const ASN1_OCTET_STRING *ikid = issuer ? X509_get0_subject_key_id(issuer) : NULL;
    if (ikid && X509_NAME_cmp(X509_get_subject_name(issuer), X509_get_subject_name(x)) != 0) {
        AUTHORITY_KEYID *akid = AUTHORITY_KEYID_new();
        akid->keyid = ASN1_OCTET_STRING_dup(ikid);
        add_ext(x, NID_authority_key_identifier, akid, 0);
        AUTHORITY_KEYID_free(akid);
    }
    if (s->ndns + s->nips == 0)
        return;
    GENERAL_NAMES *names = sk_GENERAL_NAME_new_null();
    const char *d = s->dns.data;
    for (size_t i = 0; i < s->ndns; i++, d += strlen(d) + 1) {
        ASN1_IA5STRING *ia5 = ASN1_IA5STRING_new();
        ASN1_STRING_set(ia5, d, (int)strlen(d));
        GENERAL_NAME *g = GENERAL_NAME_new();
        GENERAL_NAME_set0_value(g, GEN_DNS, ia5);
        sk_GENERAL_NAME_push(names, g);
    }
    for (size_t i = 0; i < s->nips; i++) {
        ASN1_OCTET_STRING *ip = ASN1_OCTET_STRING_new();
        ASN1_OCTET_STRING_set(ip, s->ips[i], s->iplen[i]);
        GENERAL_NAME *g = GENERAL_NAME_new();
        GENERAL_NAME_set0_value(g, GEN_IPADD, ip);
        sk_GENERAL_NAME_push(names, g);
    }
    add_ext(x, NID_subject_alt_name, names, 0);
    GENERAL_NAMES_free(names);
}

/* The PEM of a certificate. */
static void cert_pem(X509 *x, gotk_buf *out)
{
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, x);
    char *data;
    long n = BIO_get_mem_data(bio, &data);
    gotk_buf_append(out, data, (size_t)n);
    BIO_free(bio);
}

/* Go's asn1 writes a name's string as a PrintableString when every byte is
 * one (letters, digits, space and '()+,-./:=?), else as a UTF8String. */
static int cn_string_type(const char *cn)
{
    for (const char *p = cn; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr(" '()+,-./:=?", *p))
            return MBSTRING_UTF8;
    return V_ASN1_PRINTABLESTRING;
}

/* Go's CreateCertificate for Sprig's template: key signed by signer (issuer
 * NULL: self-signed). Returns the certificate map. */
static gotk_err *make_cert(gotk_tpl_exec *ex, const cert_spec *s, EVP_PKEY *key, X509 *issuer,
                           EVP_PKEY *signer, gotk_tpl_val *res)
{
    int st = EVP_PKEY_get_base_id(signer);
    if (st == EVP_PKEY_DSA)
        return gotk_err_new(GOTK_E_INVALID, "error creating certificate: x509: certificate private key does not implement crypto.Signer");
    X509 *x = X509_new();
    X509_set_version(x, X509_VERSION_3);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, NULL);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
    BN_free(bn);
    X509_NAME *subject = X509_get_subject_name(x);
    if (*s->cn)
        X509_NAME_add_entry_by_NID(subject, NID_commonName, cn_string_type(s->cn),
                                   (const unsigned char *)s->cn, -1, -1, 0);
    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : subject);
    time_t now = time(NULL);
    ASN1_TIME_set(X509_getm_notBefore(x), now);
    ASN1_TIME_set(X509_getm_notAfter(x), now + (time_t)(s->days * 86400));
    X509_set_pubkey(x, key);
    add_extensions(x, s, issuer);
    bool ok = X509_sign(x, signer, st == EVP_PKEY_ED25519 ? NULL : EVP_sha256()) > 0;
    gotk_buf c = {0}, k = {0};
    if (ok) {
        cert_pem(x, &c);
        key_pem(key, &k);
    }
    X509_free(x);
    ERR_clear_error();
    if (!ok) {
        gotk_buf_free(&c);
        return gotk_err_new(GOTK_E_INVALID, "error creating certificate: signing failed");
    }
    json_object *m = json_object_new_object();
    json_object_object_add(m, "Cert", json_object_new_string_len(c.data, (int)c.len));
    json_object_object_add(m, "Key", json_object_new_string_len(k.data, (int)k.len));
    gotk_buf_free(&c);
    gotk_buf_free(&k);
    gotk_tpl_tag(m, CERT_TYPE, true);
    *res = gotk_tpl_own(ex, m);
    return NULL;
}

/* The signee's key: a new RSA 2048 key, or the PEM argument. */
static gotk_err *signee_key(const gotk_tpl_val *pem, EVP_PKEY **key)
{
    if (!pem) {
        *key = gen_key("rsa", 2048);
        return *key ? NULL : gotk_err_new(GOTK_E_INVALID, "error generating rsa key");
    }
    gotk_err *e = parse_key_pem(SV(*pem), SL(*pem), key);
    return e ? gotk_err_wrap(e, "parsing private key") : NULL;
}

/* genCA cn days, genCAWithKey cn days key (ud). */
FN(fn_gen_ca)
{
    UNUSED;
    cert_spec s = {.cn = SV(argv[0]), .days = json_object_get_int64(argv[1].j), .is_ca = true};
    EVP_PKEY *key;
    gotk_err *e = signee_key(ud ? &argv[2] : NULL, &key);
    if (!e)
        e = make_cert(ex, &s, key, NULL, key, res);
    EVP_PKEY_free(key);
    return e;
}

/* genSelfSignedCert cn ips dns days, and ...WithKey (ud) with a key. */
FN(fn_gen_self_signed)
{
    UNUSED;
    cert_spec s = {.cn = SV(argv[0]), .days = json_object_get_int64(argv[3].j)};
    gotk_err *e = spec_ips(&s, argv[1]);
    if (!e)
        e = spec_dns(&s, argv[2]);
    EVP_PKEY *key = NULL;
    if (!e)
        e = signee_key(ud ? &argv[4] : NULL, &key);
    if (!e)
        e = make_cert(ex, &s, key, NULL, key, res);
    EVP_PKEY_free(key);
    gotk_buf_free(&s.dns);
    return e;
}

/* A string field of the certificate map ("" when missing). */
static const char *cert_field(gotk_tpl_val ca, const char *name, size_t *len)
{
    json_object *f;
    if (ca.kind == GOTK_TPL_MAP && ca.j && json_object_object_get_ex(ca.j, name, &f) &&
        json_object_is_type(f, json_type_string)) {
        *len = (size_t)json_object_get_string_len(f);
        return json_object_get_string(f);
    }
    *len = 0;
    return "";
}

/* The first PEM block of text parsed as a certificate (any block type, as Go). */
static gotk_err *parse_cert_pem(const char *text, size_t len, const char *what, X509 **x)
{
    char *name = NULL;
    unsigned char *der = NULL;
    long dlen = 0;
    *x = NULL;
    if (!pem_first(text, len, &name, &der, &dlen))
        return gotk_err_new(GOTK_E_INVALID, "unable to decode certificate");
    const unsigned char *p = der;
    *x = d2i_X509(NULL, &p, dlen);
    OPENSSL_free(name);
    OPENSSL_free(der);
    ERR_clear_error();
    if (!*x)
        return gotk_err_new(GOTK_E_INVALID, "error parsing certificate: %s: x509: malformed certificate", what);
    return NULL;
}

/* genSignedCert cn ips dns days ca, and ...WithKey (ud) with a key. */
FN(fn_gen_signed)
{
    UNUSED;
    gotk_tpl_val ca = tpl_indirect_iface(argv[4]);
    if (ca.kind != GOTK_TPL_MAP)
        return gotk_err_new(GOTK_E_INVALID, "wrong type for value; expected sprig.certificate; got %s",
                            ca.kind == GOTK_TPL_INVALID ? "<nil>" : gotk_tpl_type_name(ca));
    cert_spec s = {.cn = SV(argv[0]), .days = json_object_get_int64(argv[3].j)};
    size_t clen, klen;
    const char *ctext = cert_field(ca, "Cert", &clen), *ktext = cert_field(ca, "Key", &klen);
    X509 *issuer = NULL;
    EVP_PKEY *signer = NULL, *key = NULL;
    gotk_err *e = parse_cert_pem(ctext, clen, "decodedSignerCert.Bytes", &issuer);
    if (!e && (e = parse_key_pem(ktext, klen, &signer)))
        e = gotk_err_wrap(e, "error parsing private key");
    if (!e)
        e = spec_ips(&s, argv[1]);
    if (!e)
        e = spec_dns(&s, argv[2]);
    if (!e)
        e = signee_key(ud ? &argv[5] : NULL, &key);
    if (!e)
        e = make_cert(ex, &s, key, issuer, signer, res);
    EVP_PKEY_free(key);
    EVP_PKEY_free(signer);
    X509_free(issuer);
    gotk_buf_free(&s.dns);
    return e;
}

/* Standard base64 decoding, as Go's StdEncoding (false on bad input). */
static bool b64_decode(const char *s, size_t n, unsigned char **out, size_t *olen)
{
    gotk_err *e = gotk_base64_decode(s, n, out, olen);
    if (e) {
        gotk_err_free(e);
        return false;
    }
    return true;
}

/* buildCustomCert b64cert b64key: a certificate map from existing PEMs. */
FN(fn_build_custom_cert)
{
    UNUSED;
    unsigned char *cert = NULL, *key = NULL;
    size_t clen = 0, klen = 0;
    if (!b64_decode(SV(argv[0]), SL(argv[0]), &cert, &clen))
        return gotk_err_new(GOTK_E_INVALID, "unable to decode base64 certificate");
    if (!b64_decode(SV(argv[1]), SL(argv[1]), &key, &klen)) {
        free(cert);
        return gotk_err_new(GOTK_E_INVALID, "unable to decode base64 private key");
    }
    X509 *x = NULL;
    EVP_PKEY *k = NULL;
    gotk_err *e = parse_cert_pem((const char *)cert, clen, "decodedCert.Bytes", &x);
    if (!e && (e = parse_key_pem((const char *)key, klen, &k)))
        e = gotk_err_wrap(e, "error parsing private key");
    if (!e) {
        json_object *m = json_object_new_object();
        json_object_object_add(m, "Cert", json_object_new_string_len((const char *)cert, (int)clen));
        json_object_object_add(m, "Key", json_object_new_string_len((const char *)key, (int)klen));
        gotk_tpl_tag(m, CERT_TYPE, true);
        *res = gotk_tpl_own(ex, m);
    }
    X509_free(x);
    EVP_PKEY_free(k);
    free(cert);
    free(key);
    return e;
}

/* ---- AES ---------------------------------------------------------------------- */

/* AES-256-CBC without padding of n bytes (a multiple of 16). */
static void aes_cbc(const char *password, size_t plen, const unsigned char *iv, const unsigned char *in,
                    size_t n, unsigned char *out, int enc)
{
    unsigned char key[32] = {0};
    memcpy(key, password, plen < 32 ? plen : 32);
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0;
    EVP_CipherInit_ex(c, EVP_aes_256_cbc(), NULL, key, iv, enc);
    EVP_CIPHER_CTX_set_padding(c, 0);
    EVP_CipherUpdate(c, out, &len, in, (int)n);
    EVP_CIPHER_CTX_free(c);
    OPENSSL_cleanse(key, sizeof key);
}

/* encryptAES password text: base64 of a random IV and the PKCS#7-padded text. */
FN(fn_encrypt_aes)
{
    UNUSED;
    size_t n = SL(argv[1]);
    if (n == 0) {
        *res = gotk_tpl_string(ex, "", 0);
        return NULL;
    }
    size_t pad = 16 - n % 16, total = 16 + n + pad;
    unsigned char *buf = gotk_xmalloc(total), *plain = gotk_xmalloc(n + pad);
    memcpy(plain, SV(argv[1]), n);
    memset(plain + n, (int)pad, pad);
    RAND_bytes(buf, 16);
    aes_cbc(SV(argv[0]), SL(argv[0]), buf, plain, n + pad, buf + 16, 1);
    char *enc = gotk_base64_encode(buf, total);
    *res = gotk_tpl_string(ex, enc, strlen(enc));
    free(enc);
    free(buf);
    free(plain);
    return NULL;
}

/* decryptAES password b64: the text back (Go's errors and panics for bad input). */
FN(fn_decrypt_aes)
{
    UNUSED;
    if (SL(argv[1]) == 0) {
        *res = gotk_tpl_string(ex, "", 0);
        return NULL;
    }
    unsigned char *raw = NULL;
    size_t n = 0;
    gotk_err *e = gotk_base64_decode(SV(argv[1]), SL(argv[1]), &raw, &n);
    if (e)
        return e;
    if (n < 16) {
        free(raw);
        return gotk_err_new(GOTK_E_INVALID, "runtime error: slice bounds out of range [:16] with capacity %zu", n);
    }
    size_t m = n - 16;
    if (m % 16) {
        free(raw);
        return gotk_err_new(GOTK_E_INVALID, "crypto/cipher: input not full blocks");
    }
    if (m == 0) {
        free(raw);
        return gotk_err_new(GOTK_E_INVALID, "runtime error: index out of range [-1]");
    }
    unsigned char *out = gotk_xmalloc(m);
    aes_cbc(SV(argv[0]), SL(argv[0]), raw, raw + 16, m, out, 0);
    size_t pad = out[m - 1];
    if (pad > m)
        e = gotk_err_new(GOTK_E_INVALID, "runtime error: slice bounds out of range [:%lld]",
                         (long long)m - (long long)pad);
    else
        *res = gotk_tpl_string(ex, (const char *)out, m - pad);
    free(out);
    free(raw);
    return e;
}

/* ---- derivePassword (Master Password) ------------------------------------------ */

static const struct {
    const char *type;
    const char *templates[21];
} password_templates[] = {
    {"maximum", {"anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"}},
    {"long", {"CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv",
              "CvccCvcvCvcvno", "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc",
              "CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno",
              "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc",
              "CvccCvcvCvccno"}},
    {"medium", {"CvcnoCvc", "CvcCvcno"}},
    {"short", {"Cvcn"}},
    {"basic", {"aaanaaan", "aannaaan", "aaannaaa"}},
    {"pin", {"nnnn"}},
};

static const char *template_chars(char c)
{
    switch (c) {
    case 'V': return "AEIOU";
    case 'C': return "BCDFGHJKLMNPQRSTVWXYZ";
    case 'v': return "aeiou";
    case 'c': return "bcdfghjklmnpqrstvwxyz";
    case 'A': return "AEIOUBCDFGHJKLMNPQRSTVWXYZ";
    case 'a': return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";
    case 'n': return "0123456789";
    case 'o': return "@&%?,=[]_:-+*$#!'^~;()/.";
    default: return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()";
    }
}

static void put_be32(gotk_buf *b, uint32_t v)
{
    for (int i = 3; i >= 0; i--)
        gotk_buf_putc(b, (char)(v >> (8 * i)));
}

/* derivePassword counter type password user site */
FN(fn_derive_password)
{
    UNUSED;
    gotk_tpl_val cv = tpl_indirect_iface(argv[0]);
    if (cv.kind != GOTK_TPL_INT && cv.kind != GOTK_TPL_INT64)
        return gotk_err_new(GOTK_E_INVALID, "wrong type for value; expected uint32; got %s",
                            cv.kind == GOTK_TPL_INVALID ? "<nil>" : gotk_tpl_type_name(cv));
    uint32_t counter = (uint32_t)json_object_get_int64(cv.j);
    const char *const *tpls = NULL;
    size_t ntpl = 0;
    for (size_t i = 0; i < sizeof password_templates / sizeof password_templates[0]; i++)
        if (strcmp(password_templates[i].type, SV(argv[1])) == 0)
            for (tpls = password_templates[i].templates; ntpl < 21 && tpls[ntpl];)
                ntpl++;
    gotk_buf b = {0};
    if (!tpls) {
        gotk_buf_printf(&b, "cannot find password template %s", SV(argv[1]));
        *res = sprig_take(ex, &b);
        return NULL;
    }
    static const char seed[] = "com.lyndir.masterpassword";
    gotk_buf salt = {0};
    gotk_buf_puts(&salt, seed);
    put_be32(&salt, (uint32_t)SL(argv[3]));
    gotk_buf_append(&salt, SV(argv[3]), SL(argv[3]));
    unsigned char key[64];
    if (EVP_PBE_scrypt(SV(argv[2]), SL(argv[2]), (const unsigned char *)salt.data, salt.len, 32768, 8,
                       2, 128 * 1024 * 1024, key, sizeof key) != 1) {
        gotk_buf_free(&salt);
        gotk_buf_puts(&b, "failed to derive password: scrypt failed");
        *res = sprig_take(ex, &b);
        return NULL;
    }
    salt.len = 0;
    gotk_buf_puts(&salt, seed);
    put_be32(&salt, (uint32_t)SL(argv[4]));
    gotk_buf_append(&salt, SV(argv[4]), SL(argv[4]));
    put_be32(&salt, counter);
    unsigned char mac[32];
    unsigned int mlen = 0;
    HMAC(EVP_sha256(), key, sizeof key, (const unsigned char *)salt.data, salt.len, mac, &mlen);
    const char *tpl = tpls[mac[0] % ntpl];
    for (size_t i = 0; tpl[i]; i++) {
        const char *chars = template_chars(tpl[i]);
        gotk_buf_putc(&b, chars[mac[i + 1] % strlen(chars)]);
    }
    gotk_buf_free(&salt);
    OPENSSL_cleanse(key, sizeof key);
    *res = sprig_take(ex, &b);
    return NULL;
}

/* Register the key, certificate, AES and password functions. */
void sprig_add_crypto(gotk_tpl_set *set)
{
    static const struct {
        const char *name, *params;
        gotk_tpl_fn fn;
        const char *ud;
    } t[] = {
        {"genPrivateKey", "s", fn_gen_private_key, NULL},
        {"genCA", "si", fn_gen_ca, NULL}, {"genCAWithKey", "sis", fn_gen_ca, "k"},
        {"genSelfSignedCert", "slli", fn_gen_self_signed, NULL},
        {"genSelfSignedCertWithKey", "sllis", fn_gen_self_signed, "k"},
        {"genSignedCert", "slliv", fn_gen_signed, NULL},
        {"genSignedCertWithKey", "sllivs", fn_gen_signed, "k"},
        {"buildCustomCert", "ss", fn_build_custom_cert, NULL},
        {"encryptAES", "ss", fn_encrypt_aes, NULL}, {"decryptAES", "ss", fn_decrypt_aes, NULL},
        {"derivePassword", "vssss", fn_derive_password, NULL},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        gotk_template_add_func(set, t[i].name, t[i].params, t[i].fn, (void *)t[i].ud);
}
