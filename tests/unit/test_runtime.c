/* runtime: work queue, jitter, conditions, metrics, endpoints, flags. */
#include <arpa/inet.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "gotk/obj.h"
#include "gotk/runtime.h"

static void test_queue_dedups_and_orders(void **state)
{
    (void)state;
    gotk_queue *q = gotk_queue_new(750 * GOTK_MS, 15 * GOTK_MINUTE);
    gotk_queue_add(q, "ns/a");
    gotk_queue_add(q, "ns/b");
    gotk_queue_add(q, "ns/a");
    assert_int_equal(gotk_queue_len(q), 2);
    char *k1 = gotk_queue_get(q, 0), *k2 = gotk_queue_get(q, 0);
    assert_string_equal(k1, "ns/a");
    assert_string_equal(k2, "ns/b");
    assert_null(gotk_queue_get(q, 10 * GOTK_MS)); /* empty: times out */
    gotk_queue_done(q, k1);
    gotk_queue_done(q, k2);
    free(k1);
    free(k2);
    gotk_queue_free(q);
}

static void test_queue_never_hands_out_a_key_twice(void **state)
{
    (void)state;
    gotk_queue *q = gotk_queue_new(GOTK_MS, GOTK_SECOND);
    gotk_queue_add(q, "x");
    char *k = gotk_queue_get(q, 0);
    gotk_queue_add(q, "x"); /* while processing: remembered, not handed out */
    assert_int_equal(gotk_queue_len(q), 0);
    assert_null(gotk_queue_get(q, 20 * GOTK_MS));
    gotk_queue_done(q, k);
    free(k);
    k = gotk_queue_get(q, 0); /* and queued again once done */
    assert_non_null(k);
    assert_string_equal(k, "x");
    gotk_queue_done(q, k);
    free(k);
    assert_int_equal(gotk_queue_len(q), 0);
    gotk_queue_free(q);
}

static void test_queue_delays_and_earliest_wins(void **state)
{
    (void)state;
    gotk_queue *q = gotk_queue_new(GOTK_MS, GOTK_SECOND);
    gotk_queue_add_after(q, "late", 10 * GOTK_SECOND);
    gotk_queue_add_after(q, "soon", 30 * GOTK_MS);
    gotk_queue_add_after(q, "late", 60 * GOTK_MS); /* earlier time wins */
    assert_int_equal(gotk_queue_len(q), 0);
    char *a = gotk_queue_get(q, 2 * GOTK_SECOND), *b = gotk_queue_get(q, 2 * GOTK_SECOND);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, "soon");
    assert_string_equal(b, "late");
    gotk_queue_done(q, a);
    gotk_queue_done(q, b);
    free(a);
    free(b);
    gotk_queue_free(q);
}

static void test_queue_backoff_doubles_to_max(void **state)
{
    (void)state;
    gotk_queue *q = gotk_queue_new(750 * GOTK_MS, 15 * GOTK_MINUTE);
    gotk_duration want[] = {750 * GOTK_MS, 1500 * GOTK_MS, 3 * GOTK_SECOND, 6 * GOTK_SECOND};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(gotk_queue_next_backoff(q, "k"), want[i]);
        gotk_queue_add_rate_limited(q, "k");
    }
    for (int i = 0; i < 20; i++)
        gotk_queue_add_rate_limited(q, "k");
    assert_int_equal(gotk_queue_next_backoff(q, "k"), 15 * GOTK_MINUTE);
    gotk_queue_forget(q, "k");
    assert_int_equal(gotk_queue_next_backoff(q, "k"), 750 * GOTK_MS);
    gotk_queue_free(q);
}

typedef struct {
    gotk_queue *q;
    atomic_int got;
} worker_arg;

static void *worker(void *p)
{
    worker_arg *w = p;
    char *k;
    while ((k = gotk_queue_get(w->q, -1))) {
        atomic_fetch_add(&w->got, 1);
        usleep(20000);
        gotk_queue_done(w->q, k);
        free(k);
    }
    return NULL;
}

static void test_queue_shutdown_drains(void **state)
{
    (void)state;
    gotk_queue *q = gotk_queue_new(GOTK_MS, GOTK_SECOND);
    worker_arg w = {.q = q};
    pthread_t t;
    pthread_create(&t, NULL, worker, &w);
    gotk_queue_add(q, "a");
    for (int i = 0; i < 2000 && !atomic_load(&w.got); i++)
        usleep(1000); /* wait until the worker holds the key (slow under valgrind) */
    assert_int_equal(atomic_load(&w.got), 1);
    /* the key is being processed: shutdown waits for it */
    assert_true(gotk_queue_shutdown_drain(q, 5 * GOTK_SECOND));
    pthread_join(t, NULL);
    assert_int_equal(atomic_load(&w.got), 1);
    gotk_queue_add(q, "after"); /* ignored after shutdown */
    assert_null(gotk_queue_get(q, 0));
    gotk_queue_free(q);
}

static void test_jitter_bounds(void **state)
{
    (void)state;
    for (int i = 0; i < 1000; i++) {
        gotk_duration d = gotk_jitter(GOTK_MINUTE, 0.05);
        assert_true(d >= 57 * GOTK_SECOND && d <= 63 * GOTK_SECOND);
    }
    assert_int_equal(gotk_jitter(GOTK_MINUTE, 0), GOTK_MINUTE);
}

static json_object *object(const char *yaml)
{
    json_object *o = NULL;
    assert_null(gotk_yaml_parse_one(yaml, strlen(yaml), NULL, &o));
    return o;
}

static void test_conditions_like_flux(void **state)
{
    (void)state;
    json_object *o = object("metadata: {name: x, generation: 3}\n");
    gotk_condition custom = {"ArtifactInStorage", "True", "Succeeded", "stored"};
    gotk_cond_set(o, &custom, "2026-01-01T00:00:00Z");
    gotk_condition ready = {"Ready", "False", "GitOperationFailed", "failed to checkout"};
    gotk_cond_set(o, &ready, "2026-01-01T00:00:00Z");
    gotk_condition rec = {"Reconciling", "True", "Progressing", "working"};
    gotk_cond_set(o, &rec, "2026-01-01T00:00:01Z");
    /* same state again: the transition time is kept */
    gotk_cond_set(o, &ready, "2026-01-01T00:00:05Z");
    char *s = gotk_json_to_string(gotk_obj_getp(o, "status.conditions"));
    assert_string_equal(s,
        "[{\"type\":\"Reconciling\",\"status\":\"True\",\"observedGeneration\":3,"
        "\"lastTransitionTime\":\"2026-01-01T00:00:01Z\",\"reason\":\"Progressing\",\"message\":\"working\"},"
        "{\"type\":\"Ready\",\"status\":\"False\",\"observedGeneration\":3,"
        "\"lastTransitionTime\":\"2026-01-01T00:00:00Z\",\"reason\":\"GitOperationFailed\","
        "\"message\":\"failed to checkout\"},"
        "{\"type\":\"ArtifactInStorage\",\"status\":\"True\",\"observedGeneration\":3,"
        "\"lastTransitionTime\":\"2026-01-01T00:00:00Z\",\"reason\":\"Succeeded\",\"message\":\"stored\"}]");
    free(s);
    gotk_condition ok = {"Ready", "True", "Succeeded", "stored artifact"};
    gotk_cond_set(o, &ok, "2026-01-01T00:01:00Z");
    assert_string_equal(gotk_obj_get_str(gotk_cond_get(o, "Ready"), "lastTransitionTime"),
                        "2026-01-01T00:01:00Z");
    assert_true(gotk_cond_is_true(o, "Ready"));
    assert_true(gotk_cond_delete(o, "Reconciling"));
    assert_false(gotk_cond_delete(o, "Reconciling"));
    assert_null(gotk_cond_get(o, "Reconciling"));
    json_object_put(o);
}

static void test_condition_message_trimmed(void **state)
{
    (void)state;
    json_object *o = object("metadata: {name: x}\n");
    char *big = malloc(40000);
    memset(big, 'm', 39999);
    big[39999] = '\0';
    gotk_condition c = {"Ready", "False", "Failed", big};
    gotk_cond_set(o, &c, "2026-01-01T00:00:00Z");
    const char *msg = gotk_obj_get_str(gotk_cond_get(o, "Ready"), "message");
    assert_int_equal(strlen(msg), 32768);
    assert_string_equal(msg + 32765, "...");
    free(big);
    json_object_put(o);
}

static void test_metrics_render_like_client_golang(void **state)
{
    (void)state;
    gotk_metrics *m = gotk_metrics_new();
    gotk_metrics_define_flux(m);
    gotk_metrics_record_ready(m, "GitRepository", "flux-system", "repo", "True");
    gotk_metrics_record_duration(m, "GitRepository", "flux-system", "repo", 0.5);
    gotk_metrics_record_suspend(m, "GitRepository", "flux-system", "repo", false);
    gotk_buf b = {0};
    gotk_metrics_render(m, &b);
    assert_non_null(strstr(b.data, "# TYPE gotk_reconcile_condition gauge\n"
        "gotk_reconcile_condition{kind=\"GitRepository\",name=\"repo\",namespace=\"flux-system\","
        "type=\"Ready\",status=\"False\"} 0\n"));
    assert_non_null(strstr(b.data, "status=\"True\"} 1\n"));
    assert_non_null(strstr(b.data, "gotk_reconcile_duration_seconds_bucket{kind=\"GitRepository\","
        "name=\"repo\",namespace=\"flux-system\",le=\"0.01\"} 0\n"));
    assert_non_null(strstr(b.data, "le=\"0.564621617328617\"} 1\n"));
    assert_non_null(strstr(b.data, "le=\"1799.9999999999984\"} 1\n"));
    assert_non_null(strstr(b.data, "le=\"+Inf\"} 1\n"));
    assert_non_null(strstr(b.data, "gotk_reconcile_duration_seconds_sum{kind=\"GitRepository\","
        "name=\"repo\",namespace=\"flux-system\"} 0.5\n"));
    assert_non_null(strstr(b.data, "gotk_suspend_status{kind=\"GitRepository\",name=\"repo\","
        "namespace=\"flux-system\"} 0\n"));
    assert_null(strstr(b.data, "workqueue_depth")); /* no series, no family */
    gotk_buf_free(&b);
    const char *v[] = {"GitRepository", "repo", "flux-system"};
    gotk_metrics_delete(m, "gotk_suspend_status", v);
    gotk_metrics_render(m, &b);
    assert_null(strstr(b.data, "gotk_suspend_status"));
    gotk_buf_free(&b);
    gotk_metrics_free(m);
}

/* A plain HTTP/1.0 GET on 127.0.0.1, for checking the endpoints. */
static char *http_get(int port, const char *path)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    char req[256];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n", path);
    assert_int_equal(write(fd, req, (size_t)n), n);
    gotk_buf b = {0};
    char chunk[4096];
    ssize_t r;
    while ((r = read(fd, chunk, sizeof chunk)) > 0)
        gotk_buf_append(&b, chunk, (size_t)r);
    close(fd);
    return gotk_buf_steal(&b);
}

static void test_endpoints_serve(void **state)
{
    (void)state;
    gotk_metrics *m = gotk_metrics_new();
    gotk_metrics_define_flux(m);
    gotk_metrics_record_ready(m, "Kustomization", "ns", "app", "Unknown");
    volatile bool ready = false;
    gotk_endpoints *e = NULL;
    assert_null(gotk_endpoints_start(m, "127.0.0.1:0", "127.0.0.1:0", &ready, &e));
    int mp = gotk_endpoints_metrics_port(e), hp = gotk_endpoints_health_port(e);
    assert_true(mp > 0 && hp > 0 && mp != hp);
    char *r = http_get(mp, "/metrics");
    assert_non_null(strstr(r, "200 OK"));
    assert_non_null(strstr(r, "status=\"Unknown\"} 1"));
    free(r);
    r = http_get(hp, "/readyz");
    assert_non_null(strstr(r, "503"));
    free(r);
    ready = true;
    r = http_get(hp, "/readyz");
    assert_non_null(strstr(r, "200 OK"));
    free(r);
    r = http_get(hp, "/healthz");
    assert_non_null(strstr(r, "200 OK"));
    free(r);
    r = http_get(mp, "/nope");
    assert_non_null(strstr(r, "404"));
    free(r);
    gotk_endpoints_stop(e);
    gotk_metrics_free(m);
    gotk_endpoints *bad = NULL;
    gotk_err *err = gotk_endpoints_start(NULL, "nohost", NULL, NULL, &bad);
    assert_non_null(err);
    assert_string_equal(gotk_err_msg(err),
                        "starting the metrics and health endpoints: address nohost: missing port");
    gotk_err_free(err);
}

static void test_flags(void **state)
{
    (void)state;
    gotk_runtime_opts o;
    gotk_runtime_opts_default(&o);
    const char *storage = "/data";
    gotk_flag extra[] = {{"storage-path", "Where artifacts go.", false, gotk_flag_string, &storage}};
    char *argv[] = {"c", "--concurrent=8", "--min-retry-delay", "2s", "--leader-elect",
                    "--log-level=debug", "--storage-path", "/tmp/s", "--watch-all-namespaces=false"};
    bool help;
    assert_null(gotk_runtime_parse_flags(9, argv, &o, extra, 1, &help));
    assert_false(help);
    assert_int_equal(o.concurrent, 8);
    assert_int_equal(o.min_retry_delay, 2 * GOTK_SECOND);
    assert_int_equal(o.max_retry_delay, 15 * GOTK_MINUTE);
    assert_true(o.leader_elect);
    assert_false(o.watch_all_namespaces);
    assert_int_equal(o.log_level, GOTK_LOG_DEBUG);
    assert_string_equal(storage, "/tmp/s");
    assert_string_equal(o.metrics_addr, ":8080");

    static const struct {
        const char *arg, *want;
    } bad[] = {
        {"--nope", "unknown flag: --nope"},
        {"--concurrent=x", "invalid argument for --concurrent: invalid integer \"x\""},
        {"--min-retry-delay=5", "invalid argument for --min-retry-delay: time: missing unit in duration \"5\""},
        {"--log-encoding=xml", "invalid argument for --log-encoding: must be json or console"},
        {"--concurrent=0", "invalid argument for --concurrent: must be at least 1"},
        {"--interval-jitter-percentage=100", "the interval jitter percentage must be a non-negative value and less than 100"},
        {"--metrics-addr", "flag needs an argument: --metrics-addr"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gotk_runtime_opts_default(&o);
        char *av[] = {"c", (char *)bad[i].arg};
        gotk_err *e = gotk_runtime_parse_flags(2, av, &o, NULL, 0, &help);
        assert_non_null(e);
        assert_string_equal(gotk_err_msg(e), bad[i].want);
        gotk_err_free(e);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue_dedups_and_orders),
        cmocka_unit_test(test_queue_never_hands_out_a_key_twice),
        cmocka_unit_test(test_queue_delays_and_earliest_wins),
        cmocka_unit_test(test_queue_backoff_doubles_to_max),
        cmocka_unit_test(test_queue_shutdown_drains),
        cmocka_unit_test(test_jitter_bounds),
        cmocka_unit_test(test_conditions_like_flux),
        cmocka_unit_test(test_condition_message_trimmed),
        cmocka_unit_test(test_metrics_render_like_client_golang),
        cmocka_unit_test(test_endpoints_serve),
        cmocka_unit_test(test_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
