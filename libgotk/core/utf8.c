/*
 * UTF-8 as Go's unicode/utf8 package handles it: decoding yields U+FFFD with
 * width 1 for any invalid byte (overlong forms, surrogates, values past
 * U+10FFFF, truncated sequences), so callers walk bad input one byte at a time
 * exactly as Go programs do.
 */
#include "gotk/core.h"

#include <locale.h>
#include <pthread.h>
#include <wctype.h>

size_t gotk_utf8_decode(const char *str, size_t n, uint32_t *r)
{
    static const uint32_t min_for_width[5] = {0, 0, 0x80, 0x800, 0x10000};
    const unsigned char *s = (const unsigned char *)str;
    *r = GOTK_RUNE_ERROR;
    if (n == 0)
        return 0;
    if (s[0] < 0x80) {
        *r = s[0];
        return 1;
    }
    size_t w = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
    if (w == 0 || s[0] > 0xF4 || w > n)
        return 1;
    uint32_t c = s[0] & (0x7Fu >> w);
    for (size_t k = 1; k < w; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 1;
        c = (c << 6) | (s[k] & 0x3Fu);
    }
    if (c < min_for_width[w] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 1;
    *r = c;
    return w;
}

void gotk_utf8_append(gotk_buf *b, uint32_t r)
{
    if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
        r = GOTK_RUNE_ERROR;
    char u[4];
    size_t n;
    if (r < 0x80) {
        u[0] = (char)r;
        n = 1;
    } else if (r < 0x800) {
        u[0] = (char)(0xC0 | (r >> 6));
        u[1] = (char)(0x80 | (r & 0x3F));
        n = 2;
    } else if (r < 0x10000) {
        u[0] = (char)(0xE0 | (r >> 12));
        u[1] = (char)(0x80 | ((r >> 6) & 0x3F));
        u[2] = (char)(0x80 | (r & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (r >> 18));
        u[1] = (char)(0x80 | ((r >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((r >> 6) & 0x3F));
        u[3] = (char)(0x80 | (r & 0x3F));
        n = 4;
    }
    gotk_buf_append(b, u, n);
}

bool gotk_utf8_valid(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t r;
        size_t w = gotk_utf8_decode(s + i, n - i, &r);
        if (r == GOTK_RUNE_ERROR && w == 1) /* a real U+FFFD decodes with width 3 */
            return false;
        i += w;
    }
    return true;
}

static pthread_once_t case_once = PTHREAD_ONCE_INIT;
static locale_t case_locale; /* C.UTF-8, whose towupper knows Unicode */

static void case_init(void)
{
    case_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

static uint32_t latin1_case(uint32_t r, bool upper)
{
    if (upper && r >= 0xE0 && r <= 0xFE && r != 0xF7)
        return r - 0x20;
    if (upper && (r == 0xFF || r == 0xB5))
        return r == 0xFF ? 0x178 : 0x39C;
    if (!upper && r >= 0xC0 && r <= 0xDE && r != 0xD7)
        return r + 0x20;
    return r;
}

uint32_t gotk_unicode_case(uint32_t r, bool upper)
{
    if (r < 0x80) {
        if (upper && r >= 'a' && r <= 'z')
            return r - 32;
        if (!upper && r >= 'A' && r <= 'Z')
            return r + 32;
        return r;
    }
    pthread_once(&case_once, case_init);
    if (!case_locale) /* no C.UTF-8 installed: Latin-1 by hand */
        return latin1_case(r, upper);
    if (r > 0x10FFFF)
        return r;
    return (uint32_t)(upper ? towupper_l((wint_t)r, case_locale) : towlower_l((wint_t)r, case_locale));
}

uint32_t gotk_unicode_title(uint32_t r)
{
    static const uint32_t digraph_title[] = {0x1C5, 0x1C8, 0x1CB};
    if (r >= 0x1C4 && r <= 0x1CC)
        return digraph_title[(r - 0x1C4) / 3];
    if (r >= 0x1F1 && r <= 0x1F3)
        return 0x1F2;
    return gotk_unicode_case(r, true);
}
