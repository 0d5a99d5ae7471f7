/* kustomize: builds confined to a root directory (opts.fs_root), as
 * kustomize-controller builds an artifact with Flux's secure filesystem and
 * LoadRestrictionsNone: siblings inside the root load, files, directories,
 * components, generator files and kustomization files outside it (directly or
 * through a symlink) are refused with Flux's error text. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gotk/kustomize.h"

/* A temporary tree: TMP/root/... and TMP/outside/... */
typedef struct {
    char tmp[PATH_MAX];
    char root[PATH_MAX]; /* symlinks resolved, as the errors print it */
} tree;

static void put(const tree *t, const char *name, const char *text)
{
    char *p = gotk_xasprintf("%s/%s", t->tmp, name);
    char *slash = strrchr(p, '/');
    *slash = 0;
    gotk_err_free(gotk_file_mkdir_all(p, 0755));
    *slash = '/';
    assert_null(gotk_file_write_atomic(p, text, strlen(text), 0644));
    free(p);
}

static void link_to(const tree *t, const char *target, const char *name)
{
    char *p = gotk_xasprintf("%s/%s", t->tmp, name);
    assert_int_equal(symlink(target, p), 0);
    free(p);
}

static const char cm_outside[] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside\n";
static const char cm_shared[] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n";

static int setup(void **state)
{
    tree *t = calloc(1, sizeof *t);
    strcpy(t->tmp, "/tmp/gotk-kust-secure.XXXXXX");
    assert_non_null(mkdtemp(t->tmp));
    put(t, "outside/cm.yaml", cm_outside);
    put(t, "outside/base/kustomization.yaml", "resources: [../cm.yaml]\n");
    put(t, "outside/comp/kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
        "commonAnnotations: {a: b}\n");
    put(t, "outside/env.txt", "A=1\n");
    put(t, "root/shared/cm.yaml", cm_shared);
    link_to(t, "../../outside/cm.yaml", "root/shared/link.yaml");
    char *r = gotk_xasprintf("%s/root", t->tmp);
    assert_non_null(realpath(r, t->root));
    free(r);
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    tree *t = *state;
    assert_null(gotk_file_remove_all(t->tmp));
    free(t);
    return 0;
}

/* Build TMP/root/app (its kustomization given) confined to TMP/root. */
static gotk_err *build_app(const tree *t, const char *kust, bool confined, gotk_buf *out)
{
    put(t, "root/app/kustomization.yaml", kust);
    char *dir = gotk_xasprintf("%s/root/app", t->tmp);
    char *root = gotk_xasprintf("%s/root", t->tmp);
    gotk_kustomize_opts o = {.load_restrictor_none = true, .fs_root = confined ? root : NULL};
    gotk_err *e = gotk_kustomize_build_yaml(dir, &o, out);
    free(root);
    free(dir);
    return e;
}

/* The error of a confined build, which must fail. Caller frees. */
static char *refused(const tree *t, const char *kust)
{
    gotk_buf b = {0};
    gotk_err *e = build_app(t, kust, true, &b);
    assert_non_null(e);
    char *msg = gotk_xstrdup(gotk_err_msg(e));
    gotk_err_free(e);
    gotk_buf_free(&b);
    return msg;
}

/* A sibling directory inside the root loads (LoadRestrictionsNone inside). */
static void test_sibling_inside_root(void **state)
{
    tree *t = *state;
    gotk_buf b = {0};
    assert_null(build_app(t, "resources: [../shared/cm.yaml]\n", true, &b));
    assert_non_null(strstr(b.data, "name: shared"));
    gotk_buf_free(&b);
}

/* A file outside the root: Flux's read constraint, then the directory try. */
static void test_file_outside(void **state)
{
    tree *t = *state;
    char *msg = refused(t, "resources: [../../outside/cm.yaml]\n");
    char *want = gotk_xasprintf(
        "accumulating resources: accumulation err='accumulating resources from "
        "'../../outside/cm.yaml': fs-security-constraint read %s/outside/cm.yaml: path "
        "'%s/outside/cm.yaml' is not in or below '%s'': must build at directory: not a valid "
        "directory: fs-security-constraint abs %s/outside/cm.yaml: path '%s/outside/cm.yaml' "
        "is not in or below '%s'",
        t->tmp, t->tmp, t->root, t->tmp, t->tmp, t->root);
    assert_string_equal(msg, want);
    free(want);
    free(msg);
}

/* The same without confinement builds (the control). */
static void test_unconfined_control(void **state)
{
    tree *t = *state;
    const char *kusts[] = {"resources: [../../outside/cm.yaml]\n",
                           "resources: [../shared/link.yaml]\n"};
    for (int i = 0; i < 2; i++) {
        gotk_buf b = {0};
        assert_null(build_app(t, kusts[i], false, &b));
        assert_non_null(strstr(b.data, "name: outside"));
        gotk_buf_free(&b);
    }
}

/* A symlink inside the root that points outside is refused. */
static void test_symlink_escape(void **state)
{
    tree *t = *state;
    char *msg = refused(t, "resources: [../shared/link.yaml]\n");
    char *want = gotk_xasprintf("fs-security-constraint read %s/root/shared/link.yaml: path "
                                "'%s/root/shared/link.yaml' is not in or below '%s'",
                                t->tmp, t->tmp, t->root);
    assert_non_null(strstr(msg, want));
    free(want);
    free(msg);
}

/* Directories, components, generator files and kustomization files outside. */
static void test_other_inputs_outside(void **state)
{
    tree *t = *state;
    char *msg = refused(t, "resources: [../../outside/base]\n");
    assert_non_null(strstr(msg, "must build at directory: not a valid directory: "
                                "fs-security-constraint abs "));
    free(msg);
    msg = refused(t, "components: [../../outside/comp]\n");
    assert_non_null(strstr(msg, "accumulating components: loader.New \"must build at "
                                "directory: not a valid directory: fs-security-constraint abs "));
    free(msg);
    msg = refused(t, "configMapGenerator:\n- name: g\n  envs: [../../outside/env.txt]\n");
    assert_non_null(strstr(msg, "fs-security-constraint read "));
    assert_non_null(strstr(msg, "/outside/env.txt' is not in or below '"));
    free(msg);
    put(t, "root/ln/placeholder", "");
    link_to(t, "../../outside/base/kustomization.yaml", "root/ln/kustomization.yaml");
    msg = refused(t, "resources: [../ln]\n");
    assert_non_null(strstr(msg, "fs-security-constraint read "));
    assert_non_null(strstr(msg, "/root/ln/kustomization.yaml' is not in or below '"));
    free(msg);
}

/* The build directory itself must be inside the root. */
static void test_dir_outside_root(void **state)
{
    tree *t = *state;
    char *dir = gotk_xasprintf("%s/outside/base", t->tmp);
    char *root = gotk_xasprintf("%s/root", t->tmp);
    gotk_kustomize_opts o = {.load_restrictor_none = true, .fs_root = root};
    json_object *docs = NULL;
    gotk_err *e = gotk_kustomize_build(dir, &o, &docs);
    assert_non_null(e);
    assert_non_null(strstr(gotk_err_msg(e), "must build at directory: not a valid directory: "
                                            "fs-security-constraint abs "));
    gotk_err_free(e);
    free(root);
    free(dir);
}

/* A view of the root (kustomize-controller's work tree: real directories and
 * symlinks into the root, with its own kustomization file) builds as the root
 * does; a symlink escaping the root is still refused, named against the view. */
static void test_view_of_root(void **state)
{
    tree *t = *state;
    put(t, "root/app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n");
    put(t, "view/app/kustomization.yaml", "resources: [cm.yaml, ../shared/cm.yaml]\n");
    link_to(t, "../../root/app/cm.yaml", "view/app/cm.yaml");
    link_to(t, "../root/shared", "view/shared");
    char *dir = gotk_xasprintf("%s/view/app", t->tmp), *root = gotk_xasprintf("%s/root", t->tmp),
         *view = gotk_xasprintf("%s/view", t->tmp);
    gotk_kustomize_opts o = {.load_restrictor_none = true, .fs_root = root, .fs_view = view};
    gotk_buf b = {0};
    gotk_err *e = gotk_kustomize_build_yaml(dir, &o, &b);
    if (e)
        fprintf(stderr, "%s\n", gotk_err_msg(e));
    assert_null(e);
    assert_non_null(strstr(b.data, "name: app"));
    assert_non_null(strstr(b.data, "name: shared"));
    gotk_buf_free(&b);
    put(t, "view/app/kustomization.yaml", "resources: [../shared/link.yaml]\n");
    e = gotk_kustomize_build_yaml(dir, &o, &b);
    assert_non_null(e);
    char *want = gotk_xasprintf("/view/shared/link.yaml' is not in or below '%s/view'", t->tmp);
    char real_tmp[PATH_MAX];
    assert_non_null(realpath(t->tmp, real_tmp));
    char *want_real = gotk_xasprintf("/view/shared/link.yaml' is not in or below '%s/view'",
                                     real_tmp);
    assert_true(strstr(gotk_err_msg(e), want) || strstr(gotk_err_msg(e), want_real));
    gotk_err_free(e);
    gotk_buf_free(&b);
    free(want_real);
    free(want);
    free(view);
    free(root);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sibling_inside_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_outside, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unconfined_control, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlink_escape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_inputs_outside, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dir_outside_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_view_of_root, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
