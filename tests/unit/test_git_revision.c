/* git: revision strings, URL checks and Secret keys, without a network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/git.h"

#define HEX "5394cb7f48332b2de7c17dd8b8384bbc84b7e738"

static void test_revision(void **state)
{
    (void)state;
    static const struct {
        const char *ref;
        bool absolute;
        const char *want;
    } cases[] = {
        {"refs/heads/main", false, "main@sha1:" HEX},
        {"refs/heads/feature/x", false, "feature/x@sha1:" HEX},
        {"refs/tags/v1.0.0", false, "v1.0.0@sha1:" HEX},
        {"refs/pull/1/head", true, "refs/pull/1/head@sha1:" HEX},
        {"refs/heads/main", true, "refs/heads/main@sha1:" HEX},
        {"", false, "sha1:" HEX},
        {NULL, false, "sha1:" HEX},
        {NULL, true, "sha1:" HEX},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *r = gotk_git_revision(cases[i].ref, HEX, cases[i].absolute);
        assert_string_equal(r, cases[i].want);
        free(r);
    }
}

static void test_url_check(void **state)
{
    (void)state;
    const char *ok[] = {"https://github.com/org/repo", "http://127.0.0.1:8080/repo.git",
                        "ssh://git@github.com/org/repo", "ssh://git@127.0.0.1:2222/srv/r.git",
                        "git://127.0.0.1:9418/repo.git", "https://user@host/x",
                        "ssh://git@[::1]:22/r"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        gotk_err *e = gotk_git_url_check(ok[i]);
        if (e)
            fail_msg("%s: %s", ok[i], gotk_err_msg(e));
    }
    static const struct {
        const char *url, *msg;
    } bad[] = {
        {"git@github.com:org/repo",
         "invalid URL 'git@github.com:org/repo': the scp-like form is not supported, write it as "
         "'ssh://git@github.com/org/repo'"},
        {"github.com:org/repo.git", "write it as 'ssh://github.com/org/repo.git'"},
        {"ftp://host/repo", "scheme must be http, https, ssh or git"},
        {"file:///tmp/repo", "scheme must be http, https, ssh or git"},
        {"https:///repo", "no host"},
        {"/tmp/repo", "no scheme"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gotk_err *e = gotk_git_url_check(bad[i].url);
        assert_non_null(e);
        if (!strstr(gotk_err_msg(e), bad[i].msg))
            fail_msg("%s: got '%s'", bad[i].url, gotk_err_msg(e));
        assert_int_equal(gotk_err_code_of(e), GOTK_E_INVALID);
        gotk_err_free(e);
    }
}

static void test_auth_set(void **state)
{
    (void)state;
    gotk_git_auth a = {0};
    assert_true(gotk_git_auth_set(&a, "username", "u", 1));
    assert_true(gotk_git_auth_set(&a, "password", "pw", 2));
    assert_true(gotk_git_auth_set(&a, "bearerToken", "t", 1));
    assert_true(gotk_git_auth_set(&a, "identity.pub", "k", 1));
    assert_true(gotk_git_auth_set(&a, "known_hosts", "h", 1));
    assert_true(gotk_git_auth_set(&a, "ca.crt", "c", 1));
    assert_false(gotk_git_auth_set(&a, "caFile", "c", 1));
    assert_int_equal(a.password.len, 2);
    assert_memory_equal(a.identity_pub.data, "k", 1);
}

/* Option errors that come before any network access. */
static void test_checkout_option_errors(void **state)
{
    (void)state;
    gotk_git_auth a = {0};
    gotk_git_auth_set(&a, "username", "u", 1);
    gotk_git_auth_set(&a, "password", "s3cr3t", 6);
    gotk_git_auth_set(&a, "bearerToken", "t0k3n", 5);
    gotk_git_checkout_opts o = {.url = "https://127.0.0.1:1/repo.git", .auth = &a};
    gotk_git_result r;
    gotk_err *e = gotk_git_checkout(&o, "/nonexistent/never", &r);
    assert_non_null(e);
    assert_string_equal(gotk_err_msg(e), "basic auth and bearer token cannot be set at the same time");
    gotk_err_free(e);

    gotk_git_auth ssh = {0};
    o.url = "ssh://git@127.0.0.1:1/repo.git";
    o.auth = &ssh;
    e = gotk_git_checkout(&o, "/nonexistent/never", &r);
    assert_non_null(e);
    assert_string_equal(gotk_err_msg(e), "invalid 'ssh' auth option: 'identity' is required");
    gotk_err_free(e);
    gotk_git_auth_set(&ssh, "identity", "key", 3);
    e = gotk_git_checkout(&o, "/nonexistent/never", &r);
    assert_non_null(e);
    assert_string_equal(gotk_err_msg(e), "invalid 'ssh' auth option: 'known_hosts' is required");
    gotk_err_free(e);

    /* A bare commit already seen: no network at all. */
    gotk_git_checkout_opts c = {.url = "https://127.0.0.1:1/r.git",
                                .ref = {.commit = HEX},
                                .last_revision = "sha1:" HEX};
    assert_null(gotk_git_checkout(&c, "/nonexistent/never", &r));
    assert_true(r.unchanged);
    assert_string_equal(r.revision, "sha1:" HEX);
    gotk_git_result_free(&r);
    /* Legacy "<hex>" last revision is understood too. */
    c.last_revision = HEX;
    assert_null(gotk_git_checkout(&c, "/nonexistent/never", &r));
    assert_true(r.unchanged);
    gotk_git_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_revision),
        cmocka_unit_test(test_url_check),
        cmocka_unit_test(test_auth_set),
        cmocka_unit_test(test_checkout_option_errors),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    gotk_git_shutdown();
    return rc;
}
