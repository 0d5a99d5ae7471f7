/*
 * Go's %q for strings (strconv.Quote), which Masterminds uses to quote
 * versions and constraints in its error messages.
 *
 * Printable ASCII is copied, `"` and `\` are escaped, the C escapes \a \b \f
 * \n \r \t \v are used for those controls, other control bytes and bytes that
 * are not valid UTF-8 become \xNN, and a valid multi-byte character is copied
 * unless Go considers it unprintable, when it becomes \uNNNN or \UNNNNNNNN.
 * Go's unprintable set comes from its Unicode tables; we cover the
 * characters that matter in practice (C1 controls, spaces other than ' ',
 * format characters, private use, non-characters, the unassigned planes),
 * but not each unassigned code point inside the assigned blocks, which Go
 * escapes and we copy. Only error messages about garbage input can differ.
 */
#include "internal.h"

#include <stdio.h>

/* Decode one UTF-8 character at s as Go does (no overlongs, surrogates or
 * values above U+10FFFF); returns its length, or 0 when invalid. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    unsigned c = s[0];
    size_t n;
    uint32_t min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, *cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, *cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, *cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return n;
}

/* Whether Go's strconv.IsPrint rejects this non-ASCII code point. */
static bool unprintable(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0xA0) || cp == 0xAD || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
           (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || (cp >= 0xE000 && cp <= 0xF8FF) ||
           cp == 0xFEFF || (cp >= 0xFFF0 && cp <= 0xFFFB) || (cp & 0xFFFE) == 0xFFFE ||
           (cp >= 0x323B0 && cp <= 0xE00FF) || cp >= 0xE01F0;
}

/* The escape for an ASCII control or quote character, or NULL. */
static const char *ascii_escape(unsigned char c)
{
    switch (c) {
    case '\a': return "\\a";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    case '\v': return "\\v";
    case '"': return "\\\"";
    case '\\': return "\\\\";
    default: return NULL;
    }
}

void semver_quote(gotk_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    gotk_buf_putc(b, '"');
    while (*p) {
        const char *esc = ascii_escape(*p);
        uint32_t cp = 0;
        size_t n;
        if (esc) {
            gotk_buf_puts(b, esc);
            p++;
        } else if (*p >= 0x20 && *p < 0x7F) {
            gotk_buf_putc(b, (char)*p++);
        } else if (*p < 0x80 || (n = utf8_decode(p, &cp)) == 0) {
            gotk_buf_printf(b, "\\x%02x", *p++);
        } else if (unprintable(cp)) {
            gotk_buf_printf(b, cp < 0x10000 ? "\\u%04x" : "\\U%08x", (unsigned)cp);
            p += n;
        } else {
            gotk_buf_append(b, p, n);
            p += n;
        }
    }
    gotk_buf_putc(b, '"');
}
