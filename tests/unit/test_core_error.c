/* core: error chains and the byte buffer. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/core.h"

static gotk_err *fetch(int status)
{
    return gotk_err_new(GOTK_E_NOTFOUND, "HTTP %d from http://127.0.0.1/a.tar.gz: not found",
                        status);
}

static void test_wrap_builds_chain(void **state)
{
    (void)state;
    gotk_err *e = gotk_err_wrap(fetch(404), "fetching artifact");
    assert_string_equal(gotk_err_msg(e),
                        "fetching artifact: HTTP 404 from http://127.0.0.1/a.tar.gz: not found");
    assert_int_equal(gotk_err_code_of(e), GOTK_E_NOTFOUND);
    gotk_err_free(e);
}

static void test_wrap_null_stays_null(void **state)
{
    (void)state;
    assert_null(gotk_err_wrap(NULL, "context %d", 1));
    gotk_err_free(NULL);
    assert_string_equal(gotk_err_msg(NULL), "");
}

static void test_errno_error(void **state)
{
    (void)state;
    gotk_err *e = gotk_err_errno(ENOENT, "opening %s", "/nope");
    assert_string_equal(gotk_err_msg(e), "opening /nope: No such file or directory");
    assert_int_equal(gotk_err_code_of(e), GOTK_E_NOTFOUND);
    gotk_err_free(e);
}

static void test_buf_grows_and_steals(void **state)
{
    (void)state;
    gotk_buf b = {0};
    for (int i = 0; i < 1000; i++)
        gotk_buf_printf(&b, "%d,", i % 10);
    assert_int_equal(b.len, 2000);
    assert_int_equal(b.data[b.len], '\0');
    gotk_buf_putc(&b, 'x');
    gotk_buf_puts(&b, "yz");
    assert_memory_equal(b.data + 2000, "xyz", 4);
    char *s = gotk_buf_steal(&b);
    assert_null(b.data);
    assert_int_equal(strlen(s), 2003);
    free(s);
    gotk_buf empty = {0};
    char *e = gotk_buf_steal(&empty);
    assert_string_equal(e, "");
    free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrap_builds_chain),
        cmocka_unit_test(test_wrap_null_stays_null),
        cmocka_unit_test(test_errno_error),
        cmocka_unit_test(test_buf_grows_and_steals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
