/* sprig crypto: what the Helm oracle cannot compare because it is random —
 * the certificates genCA/genSignedCert/genSelfSignedCert make (parsed and
 * verified with OpenSSL: fields, extensions, validity, signatures), bcrypt
 * against published vectors and an independent verifier (htpasswd), AES
 * round trips, random functions' shapes, and `now`. Key generation is kept
 * to what the functions do anyway (RSA 2048, ECDSA, Ed25519), as valgrind runs
 * these tests too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "gotk/template.h"

/* Internal to the template module (sprig_bcrypt.c). */
void sprig_bcrypt_hash(const char *pw, size_t len, const uint8_t salt[16], int cost, gotk_buf *out);

/* Render text with Helm's functions; the output, or "ERR: message". */
static char *render(const char *text)
{
    gotk_tpl_set *set = gotk_template_new();
    gotk_template_add_helm(set);
    gotk_buf out = {0};
    gotk_err *e = gotk_template_parse(set, "t", text, strlen(text));
    if (!e)
        e = gotk_template_execute(set, "t", NULL, &out);
    char *r;
    if (e) {
        r = gotk_xasprintf("ERR: %s", gotk_err_msg(e));
        gotk_err_free(e);
    } else {
        r = gotk_xstrdup(out.data ? out.data : "");
    }
    gotk_buf_free(&out);
    gotk_template_free(set);
    return r;
}

/* The PEM blocks of text split at "|". */
static X509 *read_cert(const char *pem)
{
    BIO *b = BIO_new_mem_buf(pem, -1);
    X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
    BIO_free(b);
    assert_non_null(x);
    return x;
}

static EVP_PKEY *read_key(const char *pem)
{
    BIO *b = BIO_new_mem_buf(pem, -1);
    EVP_PKEY *k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
    BIO_free(b);
    assert_non_null(k);
    return k;
}

static void assert_cn(X509_NAME *name, const char *want)
{
    char cn[256] = "";
    X509_NAME_get_text_by_NID(name, NID_commonName, cn, sizeof cn);
    assert_string_equal(cn, want);
}

/* Days between notBefore and notAfter, and notBefore's distance from now. */
static void assert_validity(X509 *x, int days)
{
    int d = 0, s = 0;
    assert_int_equal(ASN1_TIME_diff(&d, &s, X509_get0_notBefore(x), X509_get0_notAfter(x)), 1);
    assert_int_equal(d, days);
    assert_int_equal(s, 0);
    assert_true(X509_cmp_time(X509_get0_notBefore(x), NULL) <= 0);
    time_t later = time(NULL) + 120;
    assert_true(X509_cmp_time(X509_get0_notBefore(x), &later) < 0);
}

/* Split "A|B|C|D" rendered output into n parts (in place). */
static void split(char *s, char **parts, int n)
{
    for (int i = 0; i < n; i++) {
        parts[i] = s;
        char *bar = strchr(s, '|');
        if (i < n - 1) {
            assert_non_null(bar);
            *bar = 0;
            s = bar + 1;
        }
    }
}

static void test_ca_and_signed_cert(void **state)
{
    (void)state;
    char *out = render("{{ $ca := genCA \"my-ca\" 365 }}{{ $c := genSignedCert \"svc\" "
                       "(list \"127.0.0.1\" \"::1\") (list \"svc.ns\" \"svc.ns.svc\") 30 $ca }}"
                       "{{ $ca.Cert }}|{{ $ca.Key }}|{{ $c.Cert }}|{{ $c.Key }}");
    char *p[4];
    split(out, p, 4);
    X509 *ca = read_cert(p[0]), *c = read_cert(p[2]);
    EVP_PKEY *cakey = read_key(p[1]), *ckey = read_key(p[3]);
    assert_true(strncmp(p[1], "-----BEGIN RSA PRIVATE KEY-----\n", 32) == 0);
    assert_int_equal(EVP_PKEY_get_bits(cakey), 2048);
    assert_int_equal(X509_get_version(ca), X509_VERSION_3);
    assert_cn(X509_get_subject_name(ca), "my-ca");
    assert_cn(X509_get_issuer_name(ca), "my-ca");
    assert_cn(X509_get_subject_name(c), "svc");
    assert_cn(X509_get_issuer_name(c), "my-ca");
    assert_validity(ca, 365);
    assert_validity(c, 30);
    assert_int_equal(X509_check_private_key(ca, cakey), 1);
    assert_int_equal(X509_check_private_key(c, ckey), 1);
    assert_int_equal(X509_verify(ca, cakey), 1);
    assert_int_equal(X509_verify(c, cakey), 1);
    assert_int_equal(X509_get_signature_nid(c), NID_sha256WithRSAEncryption);
    assert_int_equal(X509_check_ca(ca), 1);
    assert_int_equal(X509_check_ca(c), 0);
    assert_int_equal(X509_get_key_usage(ca), KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT | KU_KEY_CERT_SIGN);
    assert_int_equal(X509_get_key_usage(c), KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT);
    assert_int_equal(X509_get_extended_key_usage(c), XKU_SSL_SERVER | XKU_SSL_CLIENT);
    assert_non_null(X509_get0_subject_key_id(ca));
    assert_null(X509_get0_subject_key_id(c));
    assert_int_equal(ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(c), X509_get0_subject_key_id(ca)), 0);
    assert_int_equal(X509_check_host(c, "svc.ns.svc", 0, 0, NULL), 1);
    assert_int_equal(X509_check_ip_asc(c, "127.0.0.1", 0), 1);
    assert_int_equal(X509_check_ip_asc(c, "::1", 0), 1);
    assert_int_equal(X509_check_host(c, "other", 0, 0, NULL), 0);
    int crit = 0;
    BASIC_CONSTRAINTS *bc = X509_get_ext_d2i(c, NID_basic_constraints, &crit, NULL);
    assert_non_null(bc);
    assert_int_equal(crit, 1);
    BASIC_CONSTRAINTS_free(bc);
    const ASN1_INTEGER *serial = X509_get0_serialNumber(c);
    assert_true(ASN1_STRING_length(serial) <= 17);
    X509_free(ca);
    X509_free(c);
    EVP_PKEY_free(cakey);
    EVP_PKEY_free(ckey);
    free(out);
}

/* The ASN.1 string type of a certificate's subject CN. */
static int cn_type(const char *pem)
{
    X509 *x = read_cert(pem);
    X509_NAME *n = X509_get_subject_name(x);
    int i = X509_NAME_get_index_by_NID(n, NID_commonName, -1);
    assert_true(i >= 0);
    int t = ASN1_STRING_type(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i)));
    X509_free(x);
    return t;
}

/* As Go's asn1: a PrintableString CN when it can be one, else UTF8String. */
static void test_cn_string_types(void **state)
{
    (void)state;
    char *out = render("{{ (genSelfSignedCert \"svc.ns-1.svc:8443 (x)\" nil nil 1).Cert }}|"
                       "{{ (genCA \"*.example.com\" 1).Cert }}|"
                       "{{ (genCA \"caf\u00e9\" 1).Cert }}|{{ (genCA \"a&b_c\" 1).Cert }}");
    char *p[4];
    split(out, p, 4);
    assert_int_equal(cn_type(p[0]), V_ASN1_PRINTABLESTRING);
    assert_int_equal(cn_type(p[1]), V_ASN1_UTF8STRING);
    assert_int_equal(cn_type(p[2]), V_ASN1_UTF8STRING);
    assert_int_equal(cn_type(p[3]), V_ASN1_UTF8STRING);
    free(out);
}

static void test_self_signed_ecdsa_and_ed25519(void **state)
{
    (void)state;
    char *out = render("{{ $k := genPrivateKey \"ecdsa\" }}{{ $s := genSelfSignedCertWithKey \"self\" nil "
                       "(list \"a.example\") 7 $k }}{{ $e := genPrivateKey \"ed25519\" }}"
                       "{{ $ca := genCAWithKey \"edca\" 3 $e }}{{ $s.Cert }}|{{ $k }}|{{ $ca.Cert }}|{{ $e }}");
    char *p[4];
    split(out, p, 4);
    X509 *s = read_cert(p[0]), *ca = read_cert(p[2]);
    EVP_PKEY *k = read_key(p[1]), *e = read_key(p[3]);
    assert_int_equal(EVP_PKEY_get_base_id(k), EVP_PKEY_EC);
    assert_int_equal(EVP_PKEY_get_base_id(e), EVP_PKEY_ED25519);
    assert_int_equal(X509_verify(s, k), 1);
    assert_int_equal(X509_get_signature_nid(s), NID_ecdsa_with_SHA256);
    assert_int_equal(X509_verify(ca, e), 1);
    assert_int_equal(X509_get_signature_nid(ca), NID_ED25519);
    assert_validity(s, 7);
    assert_int_equal(X509_check_host(s, "a.example", 0, 0, NULL), 1);
    assert_null(X509_get0_authority_key_id(s));
    X509_free(s);
    X509_free(ca);
    EVP_PKEY_free(k);
    EVP_PKEY_free(e);
    free(out);
}

static const char DSA_KEY[] =
    "-----BEGIN DSA PRIVATE KEY-----\n"
    "MIIBywIBAAKBgQCZRdnEW+RWUdyOglRdrXtFsf8YqzB8QEP1aHbw19QdMnlf0yQV\n"
    "p4TUa9HTmUi+QY/z0ydzoZ2ekeLsSrFeFjvvoNay03sXtI+I+M/wnOubgPQKXrL6\n"
    "MqMaodouHocPtZtG3mxe7qrWnca43iWL8/8QcO69XwuQvtsPOCB1kacUSQIdAJf3\n"
    "v0Pp5KDp3ueHJ+JAzXGRv9i/TRL9i/luMccCgYB12oHhsdZHrh9V2oQljS0qUclb\n"
    "2zNFOH1uyqgr3p8U5sQU2NeDC9Iv6QwlyGPgn7eEYUEyoDtMGQuTOn072jh9cjzh\n"
    "e408OTzcJEKBXcNh1jJrB2TerfVd3iGDvHx1uMa3FHt86ipc9Q9xWyLWCtLsTr0U\n"
    "8ZgRYCqerCJ4CmT6PgKBgQCCLkOWvzOnKi9t3LcLWQkAybF1Lz6ZqLko08WH7BHR\n"
    "0Wh8MBy5pCedqWhWEYOLmAYbQbptDWaL5JahjoNtrYRLO9/BjYJSclbF7aCCCUV2\n"
    "LTpPJPOd0tF/WrgJW/mmqv1PQSe3emJYirw87zFiviq3j42hwkrUEyrduJcQcxgy\n"
    "QQIcUDDb56dEhitNt7U1Nk2NI1gYKjdNWzYhOEj3cw==\n"
    "-----END DSA PRIVATE KEY-----\n";

/* Key generation itself (RSA 4096, DSA parameters) is too slow for valgrind
 * runs; a DSA key is read instead, for the error Go gives when signing. */
static void test_dsa_key_cannot_sign(void **state)
{
    (void)state;
    char *text = gotk_xasprintf("{{ $d := `%s` }}{{ (genSelfSignedCertWithKey \"x\" nil nil 1 $d).Key }}", DSA_KEY);
    char *out = render(text);
    assert_string_equal(out, "ERR: template: t:13:8: executing \"t\" at <genSelfSignedCertWithKey \"x\" nil nil 1 $d>: "
                             "error calling genSelfSignedCertWithKey: error creating certificate: x509: certificate "
                             "private key does not implement crypto.Signer");
    free(out);
    free(text);
    out = render("{{ genPrivateKey \"rsa2\" }}");
    assert_string_equal(out, "Unknown type rsa2");
    free(out);
}

/* Salt bytes from bcrypt's base64 (22 characters). */
static void bcrypt_salt(const char *s, uint8_t salt[16])
{
    static const char alpha[] = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    uint8_t bits[24] = {0};
    for (int i = 0; i < 22; i++)
        bits[i] = (uint8_t)(strchr(alpha, s[i]) - alpha);
    for (int i = 0, o = 0; o < 16; i += 4) {
        uint32_t v = (uint32_t)bits[i] << 18 | (uint32_t)bits[i + 1] << 12 | (uint32_t)bits[i + 2] << 6 | bits[i + 3];
        for (int k = 0; k < 3 && o < 16; k++)
            salt[o++] = (uint8_t)(v >> (16 - 8 * k));
    }
}

static void check_bcrypt(const char *pw, const char *want)
{
    uint8_t salt[16];
    bcrypt_salt(want + 7, salt);
    gotk_buf b = {0};
    sprig_bcrypt_hash(pw, strlen(pw), salt, atoi(want + 4), &b);
    assert_string_equal(b.data, want);
    gotk_buf_free(&b);
}

static void test_bcrypt_vectors(void **state)
{
    (void)state;
    check_bcrypt("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW");
    check_bcrypt("", "$2a$04$......................w74bL5gU7LSJClZClCa.Pkz14aTv/XO");
    check_bcrypt("password", "$2a$10$abcdefghijklmnopqrstuu5Lo0g67CiD3M4RpN1BmBb4Crp5w7dbK");
}

/* htpasswd's output verified by Apache's own htpasswd -v. */
static void test_htpasswd_verifies(void **state)
{
    (void)state;
    if (access("/usr/bin/htpasswd", X_OK) != 0)
        skip();
    char *line = render("{{ htpasswd \"admin\" \"s3cr3t pass\" }}");
    char path[] = "/tmp/gotk-htpasswd-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "%s\n", line);
    fclose(f);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "/usr/bin/htpasswd -vb %s admin 's3cr3t pass' >/dev/null 2>&1", path);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "/usr/bin/htpasswd -vb %s admin wrong >/dev/null 2>&1", path);
    assert_int_not_equal(system(cmd), 0);
    unlink(path);
    free(line);
}

static void test_aes_and_random(void **state)
{
    (void)state;
    char *out = render("{{ $c := encryptAES \"key\" \"some secret text\" }}{{ decryptAES \"key\" $c }}|"
                       "{{ ne $c (encryptAES \"key\" \"some secret text\") }}|{{ len (b64dec $c) }}|"
                       "{{ randBytes 32 | len }}|{{ uuidv4 | len }}|{{ shuffle \"abcdef\" | len }}|"
                       "{{ typeOf now }}|{{ now | date \"2006\" | atoi | lt 2024 }}");
    assert_string_equal(out, "some secret text|true|48|44|36|6|time.Time|true");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ca_and_signed_cert),
        cmocka_unit_test(test_cn_string_types),
        cmocka_unit_test(test_self_signed_ecdsa_and_ed25519),
        cmocka_unit_test(test_dsa_key_cannot_sign),
        cmocka_unit_test(test_bcrypt_vectors),
        cmocka_unit_test(test_htpasswd_verifies),
        cmocka_unit_test(test_aes_and_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
