/* kube: client errors that need no server (bad config, refused connections). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "gotk/kube.h"

/* A config pointing at `server` with a token. */
static gotk_kube_config *config_for(const char *server)
{
    gotk_kube_config c = {0};
    c.server = (char *)server;
    c.token = "secret-token-xyz";
    c.namespace_ = "default";
    c.connect_timeout = 2 * GOTK_SECOND;
    c.user_agent = "gotk-test";
    return gotk_kube_config_copy(&c);
}

static void test_no_server(void **state)
{
    (void)state;
    gotk_kube_config c = {0};
    gotk_kube_client *k = NULL;
    gotk_err *e = gotk_kube_client_new(&c, &k);
    assert_non_null(e);
    assert_string_equal(gotk_err_msg(e), "kube client: no server configured");
    gotk_err_free(e);
    gotk_kube_config *bad = config_for("https://127.0.0.1:1");
    bad->tls_server_name = gotk_xstrdup("bad name with spaces");
    e = gotk_kube_client_new(bad, &k);
    assert_non_null(e);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_INVALID);
    gotk_err_free(e);
    gotk_kube_config_free(bad);
}

static void test_connection_refused(void **state)
{
    (void)state;
    gotk_kube_config *cfg = config_for("https://127.0.0.1:1/prefix");
    gotk_kube_client *k = NULL;
    assert_null(gotk_kube_client_new(cfg, &k));
    gotk_kube_response r;
    gotk_err *e = gotk_kube_do(k, "GET", "/version", NULL, NULL, 0, &r);
    assert_non_null(e);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_IO);
    const char *want = "Get \"https://127.0.0.1:1/prefix/version\": ";
    assert_memory_equal(gotk_err_msg(e), want, strlen(want));
    assert_null(strstr(gotk_err_msg(e), "secret-token-xyz"));
    gotk_err_free(e);
    /* the verbs go through discovery first, and say so */
    gotk_kube_ref ref = {"v1", "ConfigMap", "default", "x"};
    e = gotk_kube_get(k, &ref, NULL, NULL);
    assert_non_null(e);
    want = "resource mapping: Get \"https://127.0.0.1:1/prefix/api/v1\": ";
    assert_memory_equal(gotk_err_msg(e), want, strlen(want));
    gotk_err_free(e);
    e = gotk_kube_patch(k, &ref, GOTK_KUBE_PATCH_MERGE, NULL, NULL, NULL);
    assert_non_null(e);
    gotk_err_free(e);
    gotk_kube_watch_result res;
    e = gotk_kube_watch(k, "v1", "ConfigMap", NULL, NULL, NULL, NULL, &res);
    assert_non_null(e);
    gotk_err_free(e);
    gotk_kube_stats st;
    gotk_kube_client_stats(k, &st);
    assert_int_equal(st.requests, 4); /* /version and three discovery attempts */
    assert_int_equal(st.connections, 0);
    gotk_kube_client_free(k);
    gotk_kube_config_free(cfg);
}

static void test_bad_objects(void **state)
{
    (void)state;
    gotk_kube_config *cfg = config_for("https://127.0.0.1:1");
    gotk_kube_client *k = NULL;
    assert_null(gotk_kube_client_new(cfg, &k));
    json_object *o = json_object_new_object();
    gotk_err *e = gotk_kube_create(k, o, NULL, NULL);
    assert_non_null(e);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_INVALID);
    assert_string_equal(gotk_err_msg(e), "object has no apiVersion or kind");
    gotk_err_free(e);
    const gotk_kube_resource *r = NULL;
    e = gotk_kube_resource_for(k, "", "ConfigMap", &r);
    assert_non_null(e);
    assert_string_equal(gotk_err_msg(e), "object has no apiVersion or kind");
    gotk_err_free(e);
    json_object_put(o);
    gotk_kube_client_free(k);
    gotk_kube_config_free(cfg);
}

/* A server that accepts connections (the kernel does, from the backlog) and never
 * answers: the request must end at the configured timeout. */
static void test_request_timeout(void **state)
{
    (void)state;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 8), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    char *url = gotk_xasprintf("https://127.0.0.1:%d", ntohs(a.sin_port));
    gotk_kube_config *cfg = config_for(url);
    cfg->timeout = 300 * GOTK_MS;
    gotk_kube_client *k = NULL;
    assert_null(gotk_kube_client_new(cfg, &k));
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    gotk_kube_response r;
    gotk_err *e = gotk_kube_do(k, "GET", "/version", NULL, NULL, 0, &r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_non_null(e);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_KUBE_TIMEOUT);
    assert_non_null(strstr(gotk_err_msg(e), "Get \"https://127.0.0.1:")); /* curl words the rest */
    gotk_err_free(e);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(secs >= 0.29 && secs < 5);
    gotk_kube_client_free(k);
    gotk_kube_config_free(cfg);
    free(url);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_server),
        cmocka_unit_test(test_connection_refused),
        cmocka_unit_test(test_bad_objects),
        cmocka_unit_test(test_request_timeout),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
