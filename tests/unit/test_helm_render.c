/*
 * helm render: the structured release gotk_helm_render returns (what
 * helm-controller needs besides the printed stream): the manifest without
 * hooks, hooks with their events, weight and delete policy in Helm's kind
 * order, the chart's notes, and the partial release left by a failed render.
 * Uses the charts of tests/helm (own-hooks, bad-fail, bad-yaml-out).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/helm.h"

static gotk_helm_chart *load(const char *name)
{
    const char *dir = getenv("GOTK_TESTS_DIR");
    char *path = gotk_xasprintf("%s/helm/charts/%s", dir ? dir : "tests", name);
    gotk_helm_chart *c = NULL;
    gotk_err *e = gotk_helm_load(path, &c);
    if (e)
        fail_msg("%s: %s", path, gotk_err_msg(e));
    free(path);
    return c;
}

static void test_hooks_and_notes(void **state)
{
    (void)state;
    gotk_helm_chart *c = load("own-hooks");
    gotk_helm_template_opts o = {.release_name = "rel"};
    gotk_helm_release *rel = NULL;
    assert_null(gotk_helm_render(c, NULL, &o, &rel));
    assert_string_equal(rel->notes, "Thanks for installing rel\n");
    /* the unknown hook is dropped; ConfigMap, Pods, then the Job (kind order) */
    assert_int_equal(rel->nhooks, 4);
    assert_string_equal(rel->hooks[0].kind, "ConfigMap");
    assert_string_equal(rel->hooks[0].events, "post-install");
    assert_string_equal(rel->hooks[1].name, "test");
    assert_true(rel->hooks[1].test);
    assert_string_equal(rel->hooks[2].events, "test-success");
    assert_true(rel->hooks[2].test);
    assert_string_equal(rel->hooks[3].kind, "Job");
    assert_string_equal(rel->hooks[3].events, "pre-install,pre-upgrade");
    assert_int_equal(rel->hooks[3].weight, -5);
    assert_string_equal(rel->hooks[3].delete_policy, "before-hook-creation");
    assert_string_equal(rel->hooks[3].path, "own-hooks/templates/hooks.yaml");
    assert_false(rel->hooks[3].test);
    /* hooks stay out of the manifest, which starts with the Namespace */
    assert_null(strstr(rel->manifest, "name: pre\n"));
    assert_non_null(strstr(rel->manifest, "name: annotated-not-hook"));
    assert_int_equal(strncmp(rel->manifest, "---\n# Source: own-hooks/templates/all.yaml\n"
                                            "apiVersion: v1\nkind: Namespace\n", 73), 0);
    assert_int_equal((int)json_object_get_int(json_object_object_get(rel->values, "replicas")), 2);
    gotk_helm_release_free(rel);
    gotk_helm_chart_free(c);
}

/* Rendering errors leave a release (as Helm's); earlier ones do not. */
static void test_failed_renders(void **state)
{
    (void)state;
    gotk_helm_template_opts o = {0};
    gotk_helm_release *rel = NULL;
    gotk_helm_chart *c = load("bad-fail");
    gotk_err *e = gotk_helm_render(c, NULL, &o, &rel);
    assert_non_null(e);
    assert_string_equal(gotk_err_msg(e),
                        "execution error at (bad-fail/templates/x.yaml:1:27): ok must be set");
    assert_non_null(rel);
    assert_string_equal(rel->manifest, "");
    gotk_err_free(e);
    gotk_helm_release_free(rel);
    gotk_helm_chart_free(c);

    c = load("bad-yaml-out");
    e = gotk_helm_render(c, NULL, &o, &rel);
    assert_non_null(e);
    assert_non_null(rel);
    assert_non_null(strstr(rel->manifest, "# Source: bad-yaml-out/templates/x.yaml\n"));
    gotk_err_free(e);
    gotk_helm_release_free(rel);
    gotk_helm_chart_free(c);

    c = load("own-hooks");
    o.release_name = "Not_Valid";
    e = gotk_helm_render(c, NULL, &o, &rel);
    assert_non_null(e);
    assert_null(rel);
    assert_non_null(strstr(gotk_err_msg(e), "release name \"Not_Valid\": invalid release name"));
    gotk_err_free(e);
    gotk_helm_chart_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hooks_and_notes),
        cmocka_unit_test(test_failed_renders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
