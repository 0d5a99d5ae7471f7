/*
 * tls.c: the server's CA and serving certificate.
 *
 * On first start the data directory gets a self-signed CA (EC P-256, ten years)
 * and a serving certificate it signs, valid for 127.0.0.1 and localhost, written
 * as PEM: ca.crt, ca.key, server.crt, server.key (keys mode 0600). Later starts
 * load the same files, so a kubeconfig written once keeps working. The PEM texts
 * go to libmicrohttpd (GnuTLS) and into the kubeconfig's certificate-authority-data.
 */
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "apiserver.h"

/* Add one extension written in OpenSSL's config syntax. */
static bool add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (!ext)
        return false;
    bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

/* A certificate for `key` named `cn`, signed by issuer/issuer_key (self when NULL). */
static X509 *make_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key,
                       bool ca)
{
    X509 *c = X509_new();
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f;
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, NULL);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(c));
    BN_free(bn);
    X509_set_version(c, 2);
    X509_gmtime_adj(X509_getm_notBefore(c), -3600);
    X509_gmtime_adj(X509_getm_notAfter(c), 10L * 365 * 24 * 3600);
    X509_set_pubkey(c, key);
    X509_NAME *name = X509_get_subject_name(c);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : name);
    X509 *iss = issuer ? issuer : c;
    bool ok = add_ext(c, iss, NID_subject_key_identifier, "hash");
    if (ca) {
        ok = ok && add_ext(c, iss, NID_basic_constraints, "critical,CA:TRUE") &&
             add_ext(c, iss, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature");
    } else {
        ok = ok && add_ext(c, iss, NID_basic_constraints, "critical,CA:FALSE") &&
             add_ext(c, iss, NID_key_usage, "critical,digitalSignature,keyEncipherment") &&
             add_ext(c, iss, NID_ext_key_usage, "serverAuth") &&
             add_ext(c, iss, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost") &&
             add_ext(c, iss, NID_authority_key_identifier, "keyid:always");
    }
    if (!ok || !X509_sign(c, issuer_key ? issuer_key : key, EVP_sha256())) {
        X509_free(c);
        return NULL;
    }
    return c;
}

/* PEM text of a certificate or a private key. */
static char *pem_of(X509 *cert, EVP_PKEY *key)
{
    BIO *b = BIO_new(BIO_s_mem());
    if (cert)
        PEM_write_bio_X509(b, cert);
    else
        PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL);
    char *data;
    long n = BIO_get_mem_data(b, &data);
    char *out = gotk_xstrndup(data, (size_t)n);
    BIO_free(b);
    return out;
}

/* Write one PEM file. */
static gotk_err *write_pem(const char *dir, const char *name, const char *pem, int mode)
{
    char *path = gotk_xasprintf("%s/%s", dir, name);
    gotk_err *e = gotk_file_write_atomic(path, pem, strlen(pem), mode);
    free(path);
    return e;
}

/* Generate the CA and serving pair and write all four files. */
static gotk_err *generate(const char *dir)
{
    EVP_PKEY *cakey = EVP_EC_gen("P-256"), *key = EVP_EC_gen("P-256");
    X509 *ca = cakey ? make_cert(cakey, "gotk-apiserver-ca", NULL, NULL, true) : NULL;
    X509 *srv = ca && key ? make_cert(key, "gotk-apiserver", ca, cakey, false) : NULL;
    gotk_err *e = NULL;
    if (!srv) {
        e = gotk_err_new(GOTK_E_GENERIC, "generating certificates failed");
    } else {
        char *pems[4] = {pem_of(ca, NULL), pem_of(NULL, cakey), pem_of(srv, NULL),
                         pem_of(NULL, key)};
        e = write_pem(dir, "ca.key", pems[1], 0600);
        if (!e)
            e = write_pem(dir, "server.key", pems[3], 0600);
        if (!e)
            e = write_pem(dir, "server.crt", pems[2], 0644);
        if (!e) /* last: its presence means the set is complete */
            e = write_pem(dir, "ca.crt", pems[0], 0644);
        for (int i = 0; i < 4; i++)
            free(pems[i]);
    }
    X509_free(ca);
    X509_free(srv);
    EVP_PKEY_free(cakey);
    EVP_PKEY_free(key);
    return e;
}

/* Read data_dir/name into *out. */
static gotk_err *read_pem(const char *dir, const char *name, char **out)
{
    char *path = gotk_xasprintf("%s/%s", dir, name);
    gotk_err *e = ax_read_file(path, out);
    free(path);
    return e;
}

/* Load, generating on first start. */
gotk_err *tls_ensure(const char *data_dir, char **ca_pem, char **cert_pem, char **key_pem)
{
    char *ca_path = gotk_xasprintf("%s/ca.crt", data_dir);
    struct stat sb;
    bool have = stat(ca_path, &sb) == 0;
    free(ca_path);
    gotk_err *e = have ? NULL : generate(data_dir);
    *ca_pem = *cert_pem = *key_pem = NULL;
    if (!e)
        e = read_pem(data_dir, "ca.crt", ca_pem);
    if (!e)
        e = read_pem(data_dir, "server.crt", cert_pem);
    if (!e)
        e = read_pem(data_dir, "server.key", key_pem);
    if (e) {
        free(*ca_pem);
        free(*cert_pem);
        free(*key_pem);
        *ca_pem = *cert_pem = *key_pem = NULL;
        return gotk_err_wrap(e, "TLS material in %s", data_dir);
    }
    return NULL;
}
