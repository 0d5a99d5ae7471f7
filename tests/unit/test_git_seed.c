/* git: seeding a bare repository from a directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <git2.h>

#include "gotk/git.h"

static void write(const char *dir, const char *rel, const char *text, int mode)
{
    char *path = gotk_xasprintf("%s/%s", dir, rel);
    char *parent = gotk_xstrdup(path);
    *strrchr(parent, '/') = '\0';
    assert_null(gotk_file_mkdir_all(parent, 0755));
    assert_null(gotk_file_write_atomic(path, text, strlen(text), mode));
    free(parent);
    free(path);
}

/* The blob at `path` in the tree of refs/heads/main, as a new string. */
static char *read_blob(git_repository *repo, const char *path, git_filemode_t *mode)
{
    git_object *obj = NULL;
    git_tree_entry *entry = NULL;
    assert_int_equal(git_revparse_single(&obj, repo, "refs/heads/main^{tree}"), 0);
    if (git_tree_entry_bypath(&entry, (git_tree *)obj, path) != 0) {
        git_object_free(obj);
        return NULL;
    }
    *mode = git_tree_entry_filemode(entry);
    git_blob *blob = NULL;
    assert_int_equal(git_blob_lookup(&blob, repo, git_tree_entry_id(entry)), 0);
    char *s = gotk_xstrndup(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
    git_blob_free(blob);
    git_tree_entry_free(entry);
    git_object_free(obj);
    return s;
}

static void test_seed_bare(void **state)
{
    (void)state;
    char *tmp = NULL;
    assert_null(gotk_file_temp_dir("gotk-seed", &tmp));
    char *src = gotk_xasprintf("%s/src", tmp), *bare = gotk_xasprintf("%s/repo.git", tmp);
    write(src, "clusters/c1/apps.yaml", "kind: Kustomization\n", 0644);
    write(src, "scripts/run.sh", "#!/bin/sh\n", 0755);
    write(src, "README.md", "demo\n", 0644);
    bool created = false;
    assert_null(gotk_git_seed_bare(bare, src, "main", "gotk", "gotk@localhost", "Seed", &created));
    assert_true(created);
    git_repository *repo = NULL;
    assert_int_equal(git_repository_open_bare(&repo, bare), 0);
    git_filemode_t mode;
    char *s = read_blob(repo, "clusters/c1/apps.yaml", &mode);
    assert_string_equal(s, "kind: Kustomization\n");
    assert_int_equal(mode, GIT_FILEMODE_BLOB);
    free(s);
    s = read_blob(repo, "scripts/run.sh", &mode);
    assert_int_equal(mode, GIT_FILEMODE_BLOB_EXECUTABLE);
    free(s);
    git_reference *head = NULL;
    assert_int_equal(git_repository_head(&head, repo), 0);
    assert_string_equal(git_reference_name(head), "refs/heads/main");
    git_reference_free(head);
    git_repository_free(repo);
    /* a second seed leaves the repository alone */
    assert_null(gotk_git_seed_bare(bare, src, "main", "gotk", "gotk@localhost", "Seed", &created));
    assert_false(created);
    gotk_err *e = gotk_git_seed_bare(bare, "/nonexistent-src", "main", "a", "b", "m", &created);
    assert_null(e); /* existing repository: nothing to do, source not even read */
    char *other = gotk_xasprintf("%s/other.git", tmp);
    e = gotk_git_seed_bare(other, "/nonexistent-src", "main", "a", "b", "m", &created);
    assert_non_null(e);
    assert_non_null(strstr(gotk_err_msg(e), "/nonexistent-src is not a directory"));
    gotk_err_free(e);
    gotk_err_free(gotk_file_remove_all(tmp));
    free(other);
    free(src);
    free(bare);
    free(tmp);
    gotk_git_shutdown();
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_seed_bare)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
