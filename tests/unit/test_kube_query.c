/* kube: paths, query escaping, label selectors and the rate limiter's math. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/kube.h"
#include "gotk/obj.h"

static void test_query_escape(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"app=web,tier!=db", "app%3Dweb%2Ctier%21%3Ddb"},
        {"metadata.name=x", "metadata.name%3Dx"},
        {"env in (a b)", "env%20in%20%28a%20b%29"},
        {"a-b_c.d~e", "a-b_c.d~e"},
        {"", ""},
        {"ü/", "%C3%BC%2F"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = gotk_kube_query_escape(cases[i][0]);
        assert_string_equal(s, cases[i][1]);
        free(s);
    }
}

static void test_selector_from_labels(void **state)
{
    (void)state;
    json_object *l = NULL;
    const char *j = "{\"z\":\"1\",\"app.kubernetes.io/name\":\"web\",\"a\":\"\"}";
    assert_null(gotk_json_parse(j, strlen(j), &l));
    char *s = gotk_kube_selector_from_labels(l);
    assert_string_equal(s, "a=,app.kubernetes.io/name=web,z=1");
    free(s);
    json_object_put(l);
    s = gotk_kube_selector_from_labels(NULL);
    assert_string_equal(s, "");
    free(s);
}

static void test_resource_path(void **state)
{
    (void)state;
    gotk_kube_resource cm = {.group = "", .version = "v1", .kind = "ConfigMap",
                             .plural = "configmaps", .namespaced = true};
    gotk_kube_resource gr = {.group = "source.toolkit.fluxcd.io", .version = "v1",
                             .kind = "GitRepository", .plural = "gitrepositories",
                             .namespaced = true, .has_status = true};
    gotk_kube_resource cr = {.group = "rbac.authorization.k8s.io", .version = "v1",
                             .kind = "ClusterRole", .plural = "clusterroles"};
    static const struct {
        int which;
        const char *ns, *name, *sub, *want;
    } cases[] = {
        {0, "default", "x", NULL, "/api/v1/namespaces/default/configmaps/x"},
        {0, NULL, NULL, NULL, "/api/v1/configmaps"},
        {0, "kube-system", NULL, NULL, "/api/v1/namespaces/kube-system/configmaps"},
        {1, "flux-system", "podinfo", "status",
         "/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/podinfo/status"},
        {2, "ignored", "system:controller:x", NULL,
         "/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Acontroller%3Ax"},
    };
    const gotk_kube_resource *rs[] = {&cm, &gr, &cr};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *p = gotk_kube_resource_path(rs[cases[i].which], cases[i].ns, cases[i].name,
                                          cases[i].sub);
        assert_string_equal(p, cases[i].want);
        free(p);
    }
}

#define S 1000000000LL

static void test_limiter_burst_then_rate(void **state)
{
    (void)state;
    gotk_kube_limiter l;
    gotk_kube_limiter_init(&l, 5, 10, 0);
    for (int i = 0; i < 10; i++) /* the burst is free */
        assert_int_equal(gotk_kube_limiter_reserve(&l, 0), 0);
    /* then each token costs 1/qps, queued behind the ones already owed */
    assert_int_equal(gotk_kube_limiter_reserve(&l, 0), 200 * GOTK_MS);
    assert_int_equal(gotk_kube_limiter_reserve(&l, 0), 400 * GOTK_MS);
    /* after 1 s, 5 tokens came back: the debt of 2 is paid, 3 are available */
    assert_int_equal(gotk_kube_limiter_reserve(&l, 1 * S), 0);
    assert_int_equal(gotk_kube_limiter_reserve(&l, 1 * S), 0);
    assert_int_equal(gotk_kube_limiter_reserve(&l, 1 * S), 0);
    assert_int_equal(gotk_kube_limiter_reserve(&l, 1 * S), 200 * GOTK_MS);
    /* a long idle refills only up to the burst */
    for (int i = 0; i < 10; i++)
        assert_int_equal(gotk_kube_limiter_reserve(&l, 100 * S), 0);
    assert_int_equal(gotk_kube_limiter_reserve(&l, 100 * S), 200 * GOTK_MS);
}

static void test_limiter_unlimited_and_clamped(void **state)
{
    (void)state;
    gotk_kube_limiter l;
    gotk_kube_limiter_init(&l, 0, 0, 0);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(gotk_kube_limiter_reserve(&l, 0), 0);
    gotk_kube_limiter_init(&l, 2, 0, 5 * S); /* burst 0 means 1 */
    assert_int_equal(l.burst, 1);
    assert_int_equal(gotk_kube_limiter_reserve(&l, 5 * S), 0);
    assert_int_equal(gotk_kube_limiter_reserve(&l, 5 * S), 500 * GOTK_MS);
    /* time going backwards (another thread read the clock first) refills nothing */
    assert_int_equal(gotk_kube_limiter_reserve(&l, 4 * S), 1000 * GOTK_MS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_escape),
        cmocka_unit_test(test_selector_from_labels),
        cmocka_unit_test(test_resource_path),
        cmocka_unit_test(test_limiter_burst_then_rate),
        cmocka_unit_test(test_limiter_unlimited_and_clamped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
