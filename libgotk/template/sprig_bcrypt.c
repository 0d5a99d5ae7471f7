/*
 * sprig_bcrypt.c: bcrypt ($2a$, as golang.org/x/crypto/bcrypt writes it) for
 * Sprig's bcrypt and htpasswd. OpenSSL has no bcrypt, so this is the
 * algorithm from Provos and Mazieres' paper: Blowfish whose initial state is
 * the hexadecimal digits of pi (computed here once with Machin's formula, not
 * tabulated), the expensive key schedule (EksBlowfishSetup), then
 * "OrpheanBeholderScryDoubt" encrypted 64 times. Go's implementation keys with
 * the password plus its terminating NUL and encodes 23 of the 24 bytes.
 */
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <string.h>

#include "sprig.h"

/* Blowfish's state: 18 subkeys and four S-boxes, in one array. */
typedef struct {
    uint32_t p[18];
    uint32_t s[4][256];
} bf_state;

#define PI_WORDS (18 + 4 * 256)

static bf_state pi_state;
static pthread_once_t pi_once = PTHREAD_ONCE_INIT;

/* sum = atan(1/x) * 2^bits, by its Taylor series. */
static void atan_inv(BIGNUM *sum, BN_ULONG x, int bits)
{
    BIGNUM *term = BN_new(), *t = BN_new();
    BN_one(term);
    BN_lshift(term, term, bits);
    BN_div_word(term, x);
    BN_copy(sum, term);
    for (BN_ULONG k = 1; !BN_is_zero(term); k++) {
        BN_div_word(term, x * x);
        BN_copy(t, term);
        BN_div_word(t, 2 * k + 1);
        if (k & 1)
            BN_sub(sum, sum, t);
        else
            BN_add(sum, sum, t);
    }
    BN_free(term);
    BN_free(t);
}

/* The fraction of pi in hexadecimal, 32 bits per word: Blowfish's constants. */
static void compute_pi(void)
{
    enum { GUARD = 64, BITS = PI_WORDS * 32 + GUARD };
    BIGNUM *a = BN_new(), *b = BN_new(), *three = BN_new();
    atan_inv(a, 5, BITS);
    atan_inv(b, 239, BITS);
    BN_lshift(a, a, 4);  /* 16 atan(1/5) */
    BN_lshift(b, b, 2);  /* 4 atan(1/239) */
    BN_sub(a, a, b);     /* pi * 2^BITS */
    BN_set_word(three, 3);
    BN_lshift(three, three, BITS);
    BN_sub(a, a, three); /* the fraction */
    BN_rshift(a, a, GUARD);
    unsigned char bytes[PI_WORDS * 4];
    BN_bn2binpad(a, bytes, sizeof bytes);
    uint32_t *w = &pi_state.p[0];
    for (int i = 0; i < PI_WORDS; i++) {
        uint32_t v = (uint32_t)bytes[4 * i] << 24 | (uint32_t)bytes[4 * i + 1] << 16 |
                     (uint32_t)bytes[4 * i + 2] << 8 | bytes[4 * i + 3];
        if (i < 18)
            w[i] = v;
        else
            pi_state.s[(i - 18) / 256][(i - 18) % 256] = v;
    }
    BN_free(a);
    BN_free(b);
    BN_free(three);
}

static uint32_t bf_f(const bf_state *c, uint32_t x)
{
    return ((c->s[0][x >> 24] + c->s[1][(x >> 16) & 0xff]) ^ c->s[2][(x >> 8) & 0xff]) +
           c->s[3][x & 0xff];
}

static void bf_encrypt(const bf_state *c, uint32_t *l, uint32_t *r)
{
    uint32_t xl = *l ^ c->p[0], xr = *r;
    for (int i = 1; i <= 16; i += 2) {
        xr ^= bf_f(c, xl) ^ c->p[i];
        xl ^= bf_f(c, xr) ^ c->p[i + 1];
    }
    xr ^= c->p[17];
    *l = xr;
    *r = xl;
}

/* The next 32 bits of b (cycling), big-endian. */
static uint32_t next_word(const uint8_t *b, size_t n, size_t *pos)
{
    uint32_t w = 0;
    for (int i = 0; i < 4; i++) {
        w = w << 8 | b[*pos];
        *pos = (*pos + 1) % n;
    }
    return w;
}

/* Blowfish's key expansion, mixing in salt (when given) as bcrypt does. */
static void expand_key(bf_state *c, const uint8_t *key, size_t klen, const uint8_t *salt,
                       size_t slen)
{
    size_t j = 0;
    for (int i = 0; i < 18; i++)
        c->p[i] ^= next_word(key, klen, &j);
    j = 0;
    uint32_t l = 0, r = 0;
    uint32_t *words = c->p;
    for (int i = 0; i < PI_WORDS; i += 2) {
        if (salt) {
            l ^= next_word(salt, slen, &j);
            r ^= next_word(salt, slen, &j);
        }
        bf_encrypt(c, &l, &r);
        if (i < 18) {
            words[i] = l;
            words[i + 1] = r;
        } else {
            c->s[(i - 18) / 256][(i - 18) % 256] = l;
            c->s[(i - 18) / 256][(i - 18) % 256 + 1] = r;
        }
    }
}

/* bcrypt's base64: its own alphabet, no padding. */
static void bcrypt_b64(const uint8_t *in, size_t n, gotk_buf *out)
{
    static const char alpha[] = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
                     (i + 2 < n ? in[i + 2] : 0);
        size_t chars = n - i >= 3 ? 4 : n - i + 1;
        for (size_t k = 0; k < chars; k++)
            gotk_buf_putc(out, alpha[(v >> (18 - 6 * k)) & 63]);
    }
}

/* "$2a$COST$" + salt + hash of password (at most 72 bytes). */
void sprig_bcrypt_hash(const char *pw, size_t len, const uint8_t salt[16], int cost, gotk_buf *out)
{
    pthread_once(&pi_once, compute_pi);
    uint8_t key[73];
    memcpy(key, pw, len);
    key[len] = 0; /* Go, as C bcrypt, keys with the terminating NUL */
    size_t klen = len + 1;
    bf_state c = pi_state;
    expand_key(&c, key, klen, salt, 16);
    for (uint64_t i = 0; i < (uint64_t)1 << cost; i++) {
        expand_key(&c, key, klen, NULL, 0);
        expand_key(&c, salt, 16, NULL, 0);
    }
    static const char magic[] = "OrpheanBeholderScryDoubt";
    uint32_t data[6];
    for (int i = 0; i < 6; i++)
        data[i] = (uint32_t)magic[4 * i] << 24 | (uint32_t)magic[4 * i + 1] << 16 |
                  (uint32_t)magic[4 * i + 2] << 8 | (uint32_t)magic[4 * i + 3];
    for (int i = 0; i < 6; i += 2)
        for (int j = 0; j < 64; j++)
            bf_encrypt(&c, &data[i], &data[i + 1]);
    uint8_t bytes[24];
    for (int i = 0; i < 6; i++)
        for (int k = 0; k < 4; k++)
            bytes[4 * i + k] = (uint8_t)(data[i] >> (24 - 8 * k));
    gotk_buf_printf(out, "$2a$%02d$", cost);
    bcrypt_b64(salt, 16, out);
    bcrypt_b64(bytes, 23, out);
    OPENSSL_cleanse(&c, sizeof c);
    OPENSSL_cleanse(key, sizeof key);
}

/* bcrypt.GenerateFromPassword(pw, DefaultCost) as Sprig reports it. */
static void bcrypt_text(const char *pw, size_t len, gotk_buf *out)
{
    if (len > 72) {
        gotk_buf_puts(out, "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes");
        return;
    }
    uint8_t salt[16];
    sprig_random(salt, sizeof salt);
    sprig_bcrypt_hash(pw, len, salt, 10, out);
}

#define FN(name) \
    static gotk_err *name(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv, \
                          gotk_tpl_val *res, void *ud)

/* bcrypt s */
FN(fn_bcrypt)
{
    (void)argc, (void)ud;
    gotk_buf b = {0};
    bcrypt_text(SV(argv[0]), SL(argv[0]), &b);
    *res = sprig_take(ex, &b);
    return NULL;
}

/* htpasswd user password: "user:" and the bcrypt hash. */
FN(fn_htpasswd)
{
    (void)argc, (void)ud;
    gotk_buf b = {0};
    if (memchr(SV(argv[0]), ':', SL(argv[0]))) {
        gotk_buf_printf(&b, "invalid username: %s", SV(argv[0]));
    } else {
        gotk_buf_append(&b, SV(argv[0]), SL(argv[0]));
        gotk_buf_putc(&b, ':');
        bcrypt_text(SV(argv[1]), SL(argv[1]), &b);
    }
    *res = sprig_take(ex, &b);
    return NULL;
}

/* Register bcrypt and htpasswd. */
void sprig_add_bcrypt(gotk_tpl_set *set)
{
    gotk_template_add_func(set, "bcrypt", "s", fn_bcrypt, NULL);
    gotk_template_add_func(set, "htpasswd", "ss", fn_htpasswd, NULL);
}
