/* core: base64 (RFC 4648 vectors, Go's error offsets) and SHA digests (FIPS 180-2 vectors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/core.h"

typedef struct {
    const char *plain;
    const char *b64;
} b64_case;

static const b64_case rfc4648[] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
    {"flux-system", "Zmx1eC1zeXN0ZW0="},
};

static void test_base64_encode_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
        char *got = gotk_base64_encode(rfc4648[i].plain, strlen(rfc4648[i].plain));
        assert_string_equal(got, rfc4648[i].b64);
        free(got);
    }
}

static void test_base64_decode_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
        unsigned char *out = NULL;
        size_t n = 99;
        gotk_err *e = gotk_base64_decode(rfc4648[i].b64, strlen(rfc4648[i].b64), &out, &n);
        assert_null(e);
        assert_non_null(out);
        assert_int_equal(n, strlen(rfc4648[i].plain));
        assert_memory_equal(out, rfc4648[i].plain, n + 1); /* NUL-terminated too */
        free(out);
    }
}

/* Every byte value survives a round trip, at every length modulo 3. */
static void test_base64_binary_round_trip(void **state)
{
    (void)state;
    unsigned char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)(255 - i);
    for (size_t len = 250; len <= 256; len++) {
        char *enc = gotk_base64_encode(all, len);
        assert_int_equal(strlen(enc), (len + 2) / 3 * 4);
        unsigned char *dec = NULL;
        size_t n = 0;
        assert_null(gotk_base64_decode(enc, strlen(enc), &dec, &n));
        assert_int_equal(n, len);
        assert_memory_equal(dec, all, len);
        free(dec);
        free(enc);
    }
}

static void test_base64_alphabet_edges(void **state)
{
    (void)state;
    const unsigned char bin[] = {0xfb, 0xff};
    char *enc = gotk_base64_encode(bin, sizeof bin);
    assert_string_equal(enc, "+/8=");
    free(enc);
    unsigned char *dec = NULL;
    size_t n = 0;
    /* Only the first slen bytes count. */
    assert_null(gotk_base64_decode("Zm9vYmFy", 4, &dec, &n));
    assert_int_equal(n, 3);
    assert_string_equal((char *)dec, "foo");
    free(dec);
    /* Unused low bits are ignored, as Go's StdEncoding (non-strict) does. */
    assert_null(gotk_base64_decode("Zh==", 4, &dec, &n));
    assert_int_equal(n, 1);
    assert_int_equal(dec[0], 'f');
    free(dec);
}

typedef struct {
    const char *in;
    size_t len;
    const char *msg;
} b64_bad;

/* Bad input and the error (with the offset) Go's base64.StdEncoding reports. */
static const b64_bad bad_cases[] = {
    {"Zg=", 3, "illegal base64 data at input byte 3"},
    {"Zg", 2, "illegal base64 data at input byte 0"},
    {"Zm9", 3, "illegal base64 data at input byte 0"},
    {"Zm9vY", 5, "illegal base64 data at input byte 4"},
    {"Z===", 4, "illegal base64 data at input byte 1"},
    {"====", 4, "illegal base64 data at input byte 0"},
    {"Zg=a", 4, "illegal base64 data at input byte 2"},
    {"Zg===", 5, "illegal base64 data at input byte 4"},
    {"Zg==Zg==", 8, "illegal base64 data at input byte 4"},
    {"Zm8=x", 5, "illegal base64 data at input byte 4"},
    {"Zm!v", 4, "illegal base64 data at input byte 2"},
    {"Zm-_", 4, "illegal base64 data at input byte 2"},
    {"Zm9v\n", 5, "illegal base64 data at input byte 4"},
    {"Zm 9v", 5, "illegal base64 data at input byte 2"},
    {"Zg\0=", 4, "illegal base64 data at input byte 2"},
    {"Zm9v\xc3\xa9", 6, "illegal base64 data at input byte 4"},
};

static void test_base64_decode_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        unsigned char *out = (unsigned char *)"untouched";
        size_t n = 42;
        gotk_err *e = gotk_base64_decode(bad_cases[i].in, bad_cases[i].len, &out, &n);
        if (!e)
            fail_msg("decoding case %zu gave no error", i);
        assert_string_equal(gotk_err_msg(e), bad_cases[i].msg);
        assert_int_equal(gotk_err_code_of(e), GOTK_E_INVALID);
        assert_string_equal((char *)out, "untouched");
        assert_int_equal(n, 42);
        gotk_err_free(e);
    }
}

static void test_sha256_vectors(void **state)
{
    (void)state;
    char hex[65];
    gotk_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    gotk_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    gotk_sha256_hex(two, strlen(two), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *million = malloc(1000000);
    assert_non_null(million);
    memset(million, 'a', 1000000);
    gotk_sha256_hex(million, 1000000, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(million);
    assert_int_equal(strlen(hex), 64);
}

/* SHA-1 and SHA-512 of "abc" and "" (FIPS 180-2 vectors), full length hex. */
static void test_sha1_sha512_vectors(void **state)
{
    (void)state;
    char hex[129];
    gotk_digest_hex(GOTK_SHA1, "abc", 3, hex);
    assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    gotk_digest_hex(GOTK_SHA1, "", 0, hex);
    assert_string_equal(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    gotk_digest_hex(GOTK_SHA512, "abc", 3, hex);
    assert_string_equal(hex, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                             "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    gotk_digest_hex(GOTK_SHA256, "abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64_encode_vectors),
        cmocka_unit_test(test_base64_decode_vectors),
        cmocka_unit_test(test_base64_binary_round_trip),
        cmocka_unit_test(test_base64_alphabet_edges),
        cmocka_unit_test(test_base64_decode_errors),
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_sha1_sha512_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
