/* core: UTF-8 decoding and encoding with Go's rules for invalid input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/core.h"

static void test_decode(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        uint32_t rune;
        size_t width;
    } cases[] = {
        {"a", 'a', 1},
        {"\xc3\xa9", 0xE9, 2},
        {"\xe2\x9c\x93", 0x2713, 3},
        {"\xf0\x9f\x98\x80", 0x1F600, 4},
        {"\xef\xbf\xbd", 0xFFFD, 3},   /* a real U+FFFD */
        {"\xff", GOTK_RUNE_ERROR, 1},  /* never valid */
        {"\xc0\x80", GOTK_RUNE_ERROR, 1}, /* overlong NUL */
        {"\xed\xa0\x80", GOTK_RUNE_ERROR, 1}, /* surrogate */
        {"\xf4\x90\x80\x80", GOTK_RUNE_ERROR, 1}, /* past U+10FFFF */
        {"\xe2\x9c", GOTK_RUNE_ERROR, 1}, /* truncated */
        {"\x80", GOTK_RUNE_ERROR, 1},  /* lone continuation byte */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t r;
        size_t w = gotk_utf8_decode(cases[i].in, strlen(cases[i].in), &r);
        assert_int_equal(r, cases[i].rune);
        assert_int_equal(w, cases[i].width);
    }
    uint32_t r;
    assert_int_equal(gotk_utf8_decode("", 0, &r), 0);
    assert_int_equal(r, GOTK_RUNE_ERROR);
}

static void test_append_and_valid(void **state)
{
    (void)state;
    gotk_buf b = {0};
    gotk_utf8_append(&b, 'x');
    gotk_utf8_append(&b, 0xE9);
    gotk_utf8_append(&b, 0x2713);
    gotk_utf8_append(&b, 0x1F600);
    gotk_utf8_append(&b, 0xD800);   /* surrogate: U+FFFD */
    gotk_utf8_append(&b, 0x110000); /* out of range: U+FFFD */
    assert_string_equal(b.data, "x\xc3\xa9\xe2\x9c\x93\xf0\x9f\x98\x80\xef\xbf\xbd\xef\xbf\xbd");
    assert_true(gotk_utf8_valid(b.data, b.len));
    assert_false(gotk_utf8_valid("a\xffz", 3));
    assert_false(gotk_utf8_valid("\xe2\x9c", 2));
    assert_true(gotk_utf8_valid("", 0));
    gotk_buf_free(&b);
}

/* Go's unicode.ToUpper/ToLower/ToTitle; Latin-1 holds with or without an
 * installed C.UTF-8 locale. */
static void test_unicode_case(void **state)
{
    (void)state;
    assert_int_equal(gotk_unicode_case('a', true), 'A');
    assert_int_equal(gotk_unicode_case('Z', false), 'z');
    assert_int_equal(gotk_unicode_case('1', true), '1');
    assert_int_equal(gotk_unicode_case(0xE9, true), 0xC9);   /* é -> É */
    assert_int_equal(gotk_unicode_case(0xC9, false), 0xE9);
    assert_int_equal(gotk_unicode_case(0xFF, true), 0x178);  /* ÿ -> Ÿ */
    assert_int_equal(gotk_unicode_case(0xB5, true), 0x39C);  /* µ -> Μ */
    assert_int_equal(gotk_unicode_case(0xDF, true), 0xDF);   /* ß has no simple upper case */
    assert_int_equal(gotk_unicode_case(0xF7, true), 0xF7);   /* ÷ */
    assert_int_equal(gotk_unicode_title(0x1C6), 0x1C5);      /* ǆ -> ǅ */
    assert_int_equal(gotk_unicode_title(0x1C4), 0x1C5);
    assert_int_equal(gotk_unicode_title(0x1F3), 0x1F2);
    assert_int_equal(gotk_unicode_title('q'), 'Q');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_append_and_valid),
        cmocka_unit_test(test_unicode_case),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
