/* core: reading, atomic writing, removing trees, mkdir -p and temp dirs, each in a
 * fresh temporary directory, with the error texts of the failure paths. */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "gotk/core.h"

/* Each test gets its own directory as *state, removed afterwards. */
static int make_dir(void **state)
{
    char *dir = NULL;
    gotk_err *e = gotk_file_temp_dir("gotk-file-test", &dir);
    if (e) {
        gotk_err_free(e);
        return -1;
    }
    *state = dir;
    return 0;
}

static int drop_dir(void **state)
{
    gotk_err *e = gotk_file_remove_all(*state);
    free(*state);
    if (e) {
        gotk_err_free(e);
        return -1;
    }
    return 0;
}

/* Write a small file the plain way, for setting up trees. */
static void put(const char *path, const char *content)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(content, f);
    assert_int_equal(fclose(f), 0);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Number of entries in a directory, . and .. excluded. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *ent; (ent = readdir(d)) != NULL;)
        n += strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void test_read_small_empty_and_large(void **state)
{
    const char *dir = *state;
    char *path = gotk_xasprintf("%s/small", dir);
    put(path, "hello\n");
    char *data = NULL;
    size_t len = 0;
    assert_null(gotk_file_read(path, &data, &len));
    assert_int_equal(len, 6);
    assert_memory_equal(data, "hello\n", 7);
    free(data);

    put(path, "");
    assert_null(gotk_file_read(path, &data, &len));
    assert_int_equal(len, 0);
    assert_string_equal(data, "");
    free(data);

    size_t big = 300000;
    char *blob = malloc(big);
    assert_non_null(blob);
    for (size_t i = 0; i < big; i++)
        blob[i] = (char)(i * 7 % 251);
    assert_null(gotk_file_write_atomic(path, blob, big, 0644));
    assert_null(gotk_file_read(path, &data, &len));
    assert_int_equal(len, big);
    assert_memory_equal(data, blob, big);
    assert_int_equal(data[big], '\0');
    free(data);
    free(blob);
    free(path);
}

static void test_read_errors(void **state)
{
    const char *dir = *state;
    char *data = (char *)"untouched";
    size_t len = 7;
    char *missing = gotk_xasprintf("%s/missing", dir);
    gotk_err *e = gotk_file_read(missing, &data, &len);
    char *want = gotk_xasprintf("open %s: No such file or directory", missing);
    assert_string_equal(gotk_err_msg(e), want);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_NOTFOUND);
    assert_string_equal(data, "untouched");
    assert_int_equal(len, 7);
    gotk_err_free(e);
    free(want);
    free(missing);

    /* A directory opens but cannot be read. */
    e = gotk_file_read(dir, &data, &len);
    want = gotk_xasprintf("read %s: Is a directory", dir);
    assert_string_equal(gotk_err_msg(e), want);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_IO);
    gotk_err_free(e);
    free(want);

    /* A path through a regular file. */
    char *file = gotk_xasprintf("%s/f", dir);
    put(file, "x");
    char *through = gotk_xasprintf("%s/f/g", dir);
    e = gotk_file_read(through, &data, &len);
    want = gotk_xasprintf("open %s: Not a directory", through);
    assert_string_equal(gotk_err_msg(e), want);
    gotk_err_free(e);
    free(want);
    free(through);

    /* Without read permission (root reads anything, so only as a user). */
    assert_int_equal(chmod(file, 0), 0);
    e = gotk_file_read(file, &data, &len);
    if (geteuid() != 0) {
        want = gotk_xasprintf("open %s: Permission denied", file);
        assert_string_equal(gotk_err_msg(e), want);
        assert_int_equal(gotk_err_code_of(e), GOTK_E_IO);
        free(want);
    } else {
        assert_null(e);
        assert_string_equal(data, "x");
        free(data);
    }
    gotk_err_free(e);
    free(file);
}

static void test_write_atomic_creates_and_replaces(void **state)
{
    const char *dir = *state;
    char *path = gotk_xasprintf("%s/config.yaml", dir);
    assert_null(gotk_file_write_atomic(path, "a: 1\n", 5, 0640));
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    char *data = NULL;
    size_t len = 0;
    assert_null(gotk_file_read(path, &data, &len));
    assert_string_equal(data, "a: 1\n");
    free(data);

    /* Replacing keeps a reader's open descriptor on the old content. */
    FILE *old = fopen(path, "r");
    assert_non_null(old);
    assert_null(gotk_file_write_atomic(path, "b: 2\nc: 3\n", 10, 0600));
    char buf[16] = {0};
    assert_int_equal(fread(buf, 1, sizeof buf - 1, old), 5);
    assert_string_equal(buf, "a: 1\n");
    fclose(old);
    assert_null(gotk_file_read(path, &data, &len));
    assert_int_equal(len, 10);
    assert_string_equal(data, "b: 2\nc: 3\n");
    free(data);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);

    /* No temp files are left next to it, and an empty write is fine. */
    assert_null(gotk_file_write_atomic(path, "", 0, 0644));
    assert_int_equal(count_entries(dir), 1);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 0);
    free(path);
}

static void test_write_atomic_errors(void **state)
{
    const char *dir = *state;
    char *path = gotk_xasprintf("%s/no/such/dir/file", dir);
    gotk_err *e = gotk_file_write_atomic(path, "x", 1, 0644);
    char *want = gotk_xasprintf("create temp file for %s: No such file or directory", path);
    assert_string_equal(gotk_err_msg(e), want);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_NOTFOUND);
    gotk_err_free(e);
    free(want);
    free(path);

    /* Renaming over a non-empty directory fails and the temp file is cleaned up. */
    char *sub = gotk_xasprintf("%s/sub", dir);
    char *inner = gotk_xasprintf("%s/sub/keep", dir);
    assert_null(gotk_file_mkdir_all(sub, 0755));
    put(inner, "k");
    e = gotk_file_write_atomic(sub, "x", 1, 0644);
    assert_non_null(e);
    assert_int_equal(strncmp(gotk_err_msg(e), "rename ", 7), 0);
    assert_non_null(strstr(gotk_err_msg(e), ": Is a directory"));
    assert_int_equal(count_entries(dir), 1);
    assert_true(exists(inner));
    gotk_err_free(e);
    free(inner);
    free(sub);
}

static void test_remove_all_tree_without_following_links(void **state)
{
    const char *dir = *state;
    char *outside = gotk_xasprintf("%s/outside", dir);
    char *precious = gotk_xasprintf("%s/outside/precious", dir);
    char *deep = gotk_xasprintf("%s/tree/a/b/c", dir);
    assert_null(gotk_file_mkdir_all(outside, 0755));
    put(precious, "keep me");
    assert_null(gotk_file_mkdir_all(deep, 0755));
    char *f1 = gotk_xasprintf("%s/tree/a/file", dir);
    char *f2 = gotk_xasprintf("%s/tree/a/b/c/file", dir);
    char *link_dir = gotk_xasprintf("%s/tree/a/b/link-to-outside", dir);
    char *link_file = gotk_xasprintf("%s/tree/link-to-precious", dir);
    char *dangling = gotk_xasprintf("%s/tree/a/dangling", dir);
    put(f1, "1");
    put(f2, "2");
    assert_int_equal(symlink(outside, link_dir), 0);
    assert_int_equal(symlink(precious, link_file), 0);
    assert_int_equal(symlink("/nonexistent/target", dangling), 0);
    /* An empty directory and many siblings, too. */
    char *empty = gotk_xasprintf("%s/tree/a/empty", dir);
    assert_null(gotk_file_mkdir_all(empty, 0700));
    for (int i = 0; i < 300; i++) {
        char *p = gotk_xasprintf("%s/tree/a/b/f%03d", dir, i);
        put(p, "x");
        free(p);
    }

    char *tree = gotk_xasprintf("%s/tree", dir);
    assert_null(gotk_file_remove_all(tree));
    assert_false(exists(tree));
    assert_true(exists(precious));
    char *data = NULL;
    size_t len = 0;
    assert_null(gotk_file_read(precious, &data, &len));
    assert_string_equal(data, "keep me");
    free(data);

    /* Removing again, or anything missing, is not an error. */
    assert_null(gotk_file_remove_all(tree));
    assert_null(gotk_file_remove_all(""));

    free(tree);
    free(empty);
    free(dangling);
    free(link_file);
    free(link_dir);
    free(f2);
    free(f1);
    free(deep);
    free(precious);
    free(outside);
}

static void test_remove_all_link_and_file(void **state)
{
    const char *dir = *state;
    char *target = gotk_xasprintf("%s/target", dir);
    char *kept = gotk_xasprintf("%s/target/kept", dir);
    char *link = gotk_xasprintf("%s/link", dir);
    char *link_slash = gotk_xasprintf("%s/link/", dir);
    assert_null(gotk_file_mkdir_all(target, 0755));
    put(kept, "k");
    assert_int_equal(symlink(target, link), 0);
    /* "link/" removes the link, never the contents of what it points to. */
    assert_null(gotk_file_remove_all(link_slash));
    assert_false(exists(link));
    assert_true(exists(kept));
    /* A plain file. */
    assert_null(gotk_file_remove_all(kept));
    assert_false(exists(kept));
    free(link_slash);
    free(link);
    free(kept);
    free(target);
}

static void test_remove_all_refuses_root_and_dots(void **state)
{
    const char *dir = *state;
    const char *refused[] = {"/", "//", ".", "..", "a/.", "a/..", "./", "../"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        gotk_err *e = gotk_file_remove_all(refused[i]);
        char *want = gotk_xasprintf("refusing to remove %s", refused[i]);
        assert_non_null(e);
        assert_string_equal(gotk_err_msg(e), want);
        assert_int_equal(gotk_err_code_of(e), GOTK_E_INVALID);
        free(want);
        gotk_err_free(e);
    }
    char *dotted = gotk_xasprintf("%s/sub/..", dir);
    gotk_err *e = gotk_file_remove_all(dotted);
    assert_non_null(e);
    assert_true(exists(dir));
    gotk_err_free(e);
    free(dotted);
}

static void test_remove_all_error_names_path(void **state)
{
    const char *dir = *state;
    if (geteuid() == 0) {
        /* Root ignores directory permissions; check the missing-parent path. */
        char *p = gotk_xasprintf("%s/file/x", dir);
        char *file = gotk_xasprintf("%s/file", dir);
        put(file, "f");
        gotk_err *e = gotk_file_remove_all(p);
        char *want = gotk_xasprintf("stat %s: Not a directory", p);
        assert_string_equal(gotk_err_msg(e), want);
        gotk_err_free(e);
        free(want);
        free(file);
        free(p);
        return;
    }
    char *locked = gotk_xasprintf("%s/locked", dir);
    char *inner = gotk_xasprintf("%s/locked/inner", dir);
    assert_null(gotk_file_mkdir_all(locked, 0755));
    put(inner, "i");
    assert_int_equal(chmod(locked, 0555), 0);
    gotk_err *e = gotk_file_remove_all(locked);
    char *want = gotk_xasprintf("remove %s: Permission denied", inner);
    assert_string_equal(gotk_err_msg(e), want);
    gotk_err_free(e);
    free(want);
    assert_int_equal(chmod(locked, 0755), 0);
    free(inner);
    free(locked);
}

static void test_mkdir_all(void **state)
{
    const char *dir = *state;
    char *deep = gotk_xasprintf("%s/a//b/c/", dir);
    assert_null(gotk_file_mkdir_all(deep, 0750));
    char *c = gotk_xasprintf("%s/a/b/c", dir);
    struct stat st;
    assert_int_equal(stat(c, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    /* Existing directories are fine, including through a symlink. */
    assert_null(gotk_file_mkdir_all(deep, 0750));
    assert_null(gotk_file_mkdir_all(dir, 0750));
    char *link = gotk_xasprintf("%s/link", dir);
    assert_int_equal(symlink(c, link), 0);
    char *via = gotk_xasprintf("%s/link/d", dir);
    assert_null(gotk_file_mkdir_all(via, 0700));
    char *d = gotk_xasprintf("%s/a/b/c/d", dir);
    assert_true(exists(d));
    free(d);
    free(via);
    free(link);
    free(c);
    free(deep);
}

static void test_mkdir_all_errors(void **state)
{
    const char *dir = *state;
    char *file = gotk_xasprintf("%s/file", dir);
    put(file, "f");
    gotk_err *e = gotk_file_mkdir_all(file, 0755);
    char *want = gotk_xasprintf("mkdir %s: Not a directory", file);
    assert_string_equal(gotk_err_msg(e), want);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_IO);
    gotk_err_free(e);
    free(want);

    char *under = gotk_xasprintf("%s/file/x/y", dir);
    e = gotk_file_mkdir_all(under, 0755);
    want = gotk_xasprintf("mkdir %s: Not a directory", file);
    assert_string_equal(gotk_err_msg(e), want);
    gotk_err_free(e);
    free(want);
    free(under);
    free(file);

    e = gotk_file_mkdir_all("", 0755);
    assert_string_equal(gotk_err_msg(e), "mkdir : No such file or directory");
    gotk_err_free(e);
}

static void test_temp_dir(void **state)
{
    const char *dir = *state;
    const char *saved = getenv("TMPDIR");
    char *saved_copy = saved ? gotk_xstrdup(saved) : NULL;
    char *tmpdir = gotk_xasprintf("%s/", dir); /* a trailing slash is dropped */
    setenv("TMPDIR", tmpdir, 1);
    char *a = NULL, *b = NULL;
    assert_null(gotk_file_temp_dir("gotk-src", &a));
    assert_null(gotk_file_temp_dir("gotk-src", &b));
    assert_string_not_equal(a, b);
    char *prefix = gotk_xasprintf("%s/gotk-src-", dir);
    assert_int_equal(strncmp(a, prefix, strlen(prefix)), 0);
    assert_int_equal(strlen(a), strlen(prefix) + 6);
    struct stat st;
    assert_int_equal(stat(a, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(count_entries(a), 0);

    /* Errors: a separator in the prefix, a TMPDIR that does not exist. */
    char *out = (char *)"untouched";
    gotk_err *e = gotk_file_temp_dir("a/b", &out);
    assert_string_equal(gotk_err_msg(e), "temp dir prefix \"a/b\" contains a path separator");
    assert_int_equal(gotk_err_code_of(e), GOTK_E_INVALID);
    assert_string_equal(out, "untouched");
    gotk_err_free(e);
    setenv("TMPDIR", "/nonexistent-gotk-dir", 1);
    e = gotk_file_temp_dir("p", &out);
    assert_string_equal(gotk_err_msg(e),
                        "mkdtemp /nonexistent-gotk-dir/p-XXXXXX: No such file or directory");
    gotk_err_free(e);

    /* Unset or empty TMPDIR means /tmp. */
    setenv("TMPDIR", "", 1);
    char *c = NULL;
    assert_null(gotk_file_temp_dir("gotk-unit", &c));
    assert_int_equal(strncmp(c, "/tmp/gotk-unit-", 15), 0);
    assert_null(gotk_file_remove_all(c));
    assert_false(exists(c));

    if (saved_copy)
        setenv("TMPDIR", saved_copy, 1);
    else
        unsetenv("TMPDIR");
    free(saved_copy);
    free(c);
    free(prefix);
    free(tmpdir);
    free(b);
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_read_small_empty_and_large, make_dir, drop_dir),
        cmocka_unit_test_setup_teardown(test_read_errors, make_dir, drop_dir),
        cmocka_unit_test_setup_teardown(test_write_atomic_creates_and_replaces, make_dir,
                                        drop_dir),
        cmocka_unit_test_setup_teardown(test_write_atomic_errors, make_dir, drop_dir),
        cmocka_unit_test_setup_teardown(test_remove_all_tree_without_following_links, make_dir,
                                        drop_dir),
        cmocka_unit_test_setup_teardown(test_remove_all_link_and_file, make_dir, drop_dir),
        cmocka_unit_test_setup_teardown(test_remove_all_refuses_root_and_dots, make_dir,
                                        drop_dir),
        cmocka_unit_test_setup_teardown(test_remove_all_error_names_path, make_dir, drop_dir),
        cmocka_unit_test_setup_teardown(test_mkdir_all, make_dir, drop_dir),
        cmocka_unit_test_setup_teardown(test_mkdir_all_errors, make_dir, drop_dir),
        cmocka_unit_test_setup_teardown(test_temp_dir, make_dir, drop_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
