/* artifact: the gitignore matcher, checked against go-git's semantics as Flux
 * uses them, including Flux's default exclusions and .sourceignore loading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "gotk/artifact.h"

typedef struct {
    const char *path;
    bool dir;
    bool want;
} probe;

/* Flux's default matcher: VCS + media/archives + CI + extras. */
static gotk_ignore *default_matcher(void)
{
    gotk_ignore *m = gotk_ignore_new();
    gotk_ignore_add_list(m, GOTK_IGNORE_VCS);
    gotk_ignore_add_list(m, GOTK_IGNORE_EXT);
    gotk_ignore_add_list(m, GOTK_IGNORE_CI);
    gotk_ignore_add_list(m, GOTK_IGNORE_EXTRA);
    return m;
}

static void check_probes(const gotk_ignore *m, const probe *p, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        bool got = gotk_ignore_match(m, p[i].path, p[i].dir);
        if (got != p[i].want)
            fail_msg("%s: %s (%s): got %d want %d", what, p[i].path, p[i].dir ? "dir" : "file",
                     got, p[i].want);
    }
}

static void test_defaults(void **state)
{
    (void)state;
    static const probe p[] = {
        {".git", true, true},
        {".git/config", false, true},
        {"a/.git/HEAD", false, true},
        {".gitignore", false, true},
        {"sub/.gitignore", false, true},
        {".gitmodules", false, true},
        {".gitattributes", false, true},
        {"logo.png", false, true},
        {"a/b/c.jpg", false, true},
        {"x.jpeg", false, true},
        {"x.gif", false, true},
        {"x.wmv", false, true},
        {"x.flv", false, true},
        {"release.tar.gz", false, true},
        {"deep/dir/x.zip", false, true},
        {"x.png.txt", false, false},
        {"dir.png/inner.yaml", false, true},
        {".github", true, true},
        {".github/workflows/ci.yaml", false, true},
        {".github", false, false},
        {".circleci/config.yml", false, true},
        {".travis.yml", false, true},
        {"sub/.travis.yml", false, true},
        {".gitlab-ci.yml", false, true},
        {"appveyor.yml", false, true},
        {".drone.yml", false, true},
        {"cloudbuild.yaml", false, true},
        {"codeship-services.yml", false, true},
        {"codeship-steps.yml", false, true},
        {".goreleaser.yml", false, true},
        {"a/b/.goreleaser.yml", false, true},
        {".sops.yaml", false, true},
        {"clusters/prod/.sops.yaml", false, true},
        {".flux.yaml", false, true},
        {"deploy/app.yaml", false, false},
        {"README.md", false, false},
        {".sourceignore", false, false},
        {"kustomization.yaml", false, false},
        {"deploy", true, false},
    };
    gotk_ignore *m = default_matcher();
    check_probes(m, p, sizeof p / sizeof p[0], "defaults");
    gotk_ignore_free(m);
}

typedef struct {
    const char *patterns; /* newline-separated, root domain */
    probe probes[8];
} custom_case;

static const custom_case custom[] = {
    {"/*\n!/deploy\n",
     {{"deploy/a.yaml", false, false},
      {"deploy", true, false},
      {"other/a.yaml", false, true},
      {"x.yaml", false, true},
      {"deploy/sub/b.yaml", false, false}}},
    {"*.txt\n!keep.txt\n",
     {{"a/b/c.txt", false, true}, {"keep.txt", false, false}, {"a/keep.txt", false, false},
      {"c.yaml", false, false}}},
    {"build/\n",
     {{"build", true, true}, {"build", false, false}, {"build/x", false, true},
      {"a/build/x", false, true}, {"builder", true, false}}},
    {"/root.yaml\n", {{"root.yaml", false, true}, {"a/root.yaml", false, false}}},
    {"docs/*.md\n",
     {{"docs/a.md", false, true}, {"x/docs/a.md", false, false}, {"docs/a.txt", false, false}}},
    {"**/tmp\n",
     {{"tmp", true, true}, {"a/b/tmp", true, true}, {"a/tmp/x", false, true},
      {"tmpx", false, false}}},
    {"a/**/z\n",
     {{"a/z", false, true}, {"a/b/c/z", false, true}, {"b/z", false, false},
      {"a/b/c", false, false}}},
    {"logs/**\n", {{"logs/x", false, true}, {"logs", true, true}, {"x/logs/y", false, false}}},
    {"[abc].yaml\n[^xyz].yml\n[m-o]x\n",
     {{"b.yaml", false, true}, {"d.yaml", false, false}, {"d.yml", false, true},
      {"x.yml", false, false}, {"nx", false, true}, {"px", false, false}}},
    {"\\#hash\n?.yaml\n",
     {{"#hash", false, true}, {"a.yaml", false, true}, {"ab.yaml", false, false}}},
    {"trailing   \n", {{"trailing", false, true}, {"trailing   ", false, false}}},
    {"# a comment\n\n   \n*.bak\r\n", {{"x.bak", false, true}, {"# a comment", false, false}}},
    {"[\n", {{"[", false, false}, {"x", false, false}}},
    {"*.png\n", {{"logo.png", false, true}, {".git/x", false, true}, {"x.jpg", false, false}}},
    {"!*.png\n", {{"logo.png", false, false}, {".gitignore", false, true}}},
    {"ünï*\n", {{"ünïcode", false, true}, {"unicode", false, false}}},
};

static void test_custom(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof custom / sizeof custom[0]; i++) {
        gotk_ignore *m = gotk_ignore_new();
        gotk_ignore_add_list(m, GOTK_IGNORE_VCS);
        gotk_ignore_add_lines(m, custom[i].patterns, strlen(custom[i].patterns), NULL);
        size_t n = 0;
        while (n < 8 && custom[i].probes[n].path)
            n++;
        check_probes(m, custom[i].probes, n, custom[i].patterns);
        gotk_ignore_free(m);
    }
}

static void test_domain(void **state)
{
    (void)state;
    gotk_ignore *m = gotk_ignore_new();
    gotk_ignore_add(m, "*.yaml", "sub");
    gotk_ignore_add(m, "/x", "sub/deep");
    static const probe p[] = {
        {"sub/a.yaml", false, true},  {"a.yaml", false, false},       {"sub", true, false},
        {"sub/deep/x", false, true},  {"x", false, false},            {"sub/x", false, false},
        {"other/sub/a.yaml", false, false},
    };
    check_probes(m, p, sizeof p / sizeof p[0], "domain");
    assert_int_equal(gotk_ignore_count(m), 2);
    assert_false(gotk_ignore_has_negation(m));
    gotk_ignore_add(m, "!keep", NULL);
    assert_true(gotk_ignore_has_negation(m));
    gotk_ignore_free(m);
}

static void write_file(const char *dir, const char *rel, const char *text)
{
    char *p = gotk_xasprintf("%s/%s", dir, rel);
    char *slash = strrchr(p, '/');
    *slash = '\0';
    assert_null(gotk_file_mkdir_all(p, 0755));
    *slash = '/';
    assert_null(gotk_file_write_atomic(p, text, strlen(text), 0644));
    free(p);
}

static void test_load_dir(void **state)
{
    (void)state;
    char *dir;
    assert_null(gotk_file_temp_dir("ignore", &dir));
    write_file(dir, ".sourceignore", "*.md\n");
    write_file(dir, "apps/.sourceignore", "/secret.yaml\n!README.md\n");
    write_file(dir, ".git/.sourceignore", "*.yaml\n");
    gotk_ignore *m;
    assert_null(gotk_ignore_load_dir(dir, "/tmp\n", &m));
    static const probe p[] = {
        {"README.md", false, true},      {"apps/README.md", false, false},
        {"apps/secret.yaml", false, true}, {"secret.yaml", false, false},
        {"tmp", true, true},             {"apps/tmp", true, false},
        {".git/config", false, true},    {"logo.png", false, false}, /* defaults dropped */
        {"x.yaml", false, false},
    };
    check_probes(m, p, sizeof p / sizeof p[0], "load_dir");
    gotk_ignore_free(m);

    /* No pattern anywhere: the defaults apply. */
    char *plain;
    assert_null(gotk_file_temp_dir("ignore", &plain));
    write_file(plain, "a/b.yaml", "x");
    assert_null(gotk_ignore_load_dir(plain, "", &m));
    assert_true(gotk_ignore_match(m, "logo.png", false));
    assert_true(gotk_ignore_match(m, ".github/x", false));
    assert_false(gotk_ignore_match(m, "a/b.yaml", false));
    gotk_ignore_free(m);
    assert_null(gotk_file_remove_all(plain));
    assert_null(gotk_file_remove_all(dir));
    free(plain);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_custom),
        cmocka_unit_test(test_domain),
        cmocka_unit_test(test_load_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
