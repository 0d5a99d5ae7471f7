/*
 * runtime against a real gotk-apiserver: the informer's cache and events, leader
 * election between two candidates, Events, and controller processes (reconcile,
 * SIGTERM exits 0, leader hand-over when the leader is killed).
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "apiserver_fixture.h"
#include "gotk/obj.h"
#include "gotk/runtime.h"

static const char *server_bin, *controller_bin;
static apiserver_fixture srv;

static json_object *yaml(const char *text)
{
    json_object *o = fixture_yaml(text);
    assert_non_null(o);
    return o;
}

#define create(text) assert_int_equal(fixture_create(&srv, "%s", text), 0)

static int setup(void **state)
{
    (void)state;
    if (apiserver_start(&srv, server_bin) != 0)
        return -1;
    create("apiVersion: v1\nkind: Namespace\nmetadata: {name: rt}\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    apiserver_stop(&srv);
    return 0;
}

typedef struct {
    int added, modified, deleted;
} counts;

static void count_events(gotk_kube_event t, json_object *obj, json_object *old, void *ud)
{
    counts *c = ud;
    (void)obj;
    if (t == GOTK_KUBE_ADDED)
        c->added++;
    else if (t == GOTK_KUBE_MODIFIED && old)
        c->modified++;
    else if (t == GOTK_KUBE_DELETED)
        c->deleted++;
}

typedef struct {
    volatile int *v;
    int want;
} at_least;

static bool reached(void *ud)
{
    at_least *a = ud;
    return *a->v >= a->want;
}

static void test_informer_follows_changes(void **state)
{
    (void)state;
    create("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: before, namespace: rt}\n");
    counts c = {0};
    gotk_informer *inf = gotk_informer_new(srv.client, "v1", "ConfigMap", "rt", NULL,
                                           count_events, &c);
    gotk_informer_start(inf);
    assert_true(gotk_informer_wait_synced(inf, 10 * GOTK_SECOND));
    assert_int_equal(c.added, 1);
    create("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: after, namespace: rt}\ndata: {k: v}\n");
    at_least a = {&c.added, 2};
    assert_true(fixture_wait(reached, &a, 5000));
    json_object *patch = yaml("data: {k: changed}\n");
    gotk_kube_ref ref = {"v1", "ConfigMap", "rt", "after"};
    assert_null(gotk_kube_patch(srv.client, &ref, GOTK_KUBE_PATCH_MERGE, patch, NULL, NULL));
    json_object_put(patch);
    a = (at_least){&c.modified, 1};
    assert_true(fixture_wait(reached, &a, 5000));
    json_object *cached = gotk_informer_get(inf, "rt", "after");
    assert_non_null(cached);
    assert_string_equal(gotk_obj_get_str(cached, "data.k"), "changed");
    json_object_put(cached);
    assert_null(gotk_kube_delete(srv.client, &ref, NULL, NULL));
    a = (at_least){&c.deleted, 1};
    assert_true(fixture_wait(reached, &a, 5000));
    assert_null(gotk_informer_get(inf, "rt", "after"));
    json_object *all = gotk_informer_list(inf);
    assert_int_equal(json_object_array_length(all), 1);
    json_object_put(all);
    gotk_informer_free(inf);
}

typedef struct {
    gotk_leader *l;
    atomic_int *stop;
    bool got;
} try_arg;

static void *try_acquire_thread(void *p)
{
    try_arg *t = p;
    t->got = gotk_leader_acquire(t->l, t->stop);
    return NULL;
}

static void test_leader_election_between_two(void **state)
{
    (void)state;
    atomic_int stop = 0;
    gotk_leader *a = gotk_leader_new(srv.client, "rt", "lease-1", "a", 2 * GOTK_SECOND,
                                     GOTK_SECOND, 100 * GOTK_MS);
    gotk_leader *b = gotk_leader_new(srv.client, "rt", "lease-1", "b", 2 * GOTK_SECOND,
                                     GOTK_SECOND, 100 * GOTK_MS);
    assert_true(gotk_leader_acquire(a, &stop));
    gotk_leader_keep(a, NULL, NULL);
    json_object *lease = NULL;
    gotk_kube_ref ref = {"coordination.k8s.io/v1", "Lease", "rt", "lease-1"};
    assert_null(gotk_kube_get(srv.client, &ref, NULL, &lease));
    assert_string_equal(gotk_obj_get_str(lease, "spec.holderIdentity"), "a");
    json_object_put(lease);
    /* b cannot take it while a renews: its attempt is given up after 1.5s */
    atomic_int stop_b = 0;
    try_arg t = {b, &stop_b, true};
    pthread_t th;
    pthread_create(&th, NULL, try_acquire_thread, &t);
    usleep(1500 * 1000);
    atomic_store(&stop_b, 1);
    pthread_join(th, NULL);
    assert_false(t.got);
    atomic_store(&stop_b, 0);
    gotk_leader_release(a); /* hands over: b gets it without waiting for expiry */
    assert_true(gotk_leader_acquire(b, &stop_b));
    assert_null(gotk_kube_get(srv.client, &ref, NULL, &lease));
    assert_string_equal(gotk_obj_get_str(lease, "spec.holderIdentity"), "b");
    assert_int_equal(json_object_get_int64(gotk_obj_getp(lease, "spec.leaseTransitions")), 0);
    json_object_put(lease);
    gotk_leader_release(b);
    gotk_leader_free(a);
    gotk_leader_free(b);
}

static void test_event_is_recorded(void **state)
{
    (void)state;
    create("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: evt, namespace: rt}\n");
    json_object *obj = NULL;
    gotk_kube_ref ref = {"v1", "ConfigMap", "rt", "evt"};
    assert_null(gotk_kube_get(srv.client, &ref, NULL, &obj));
    json_object *ann = yaml("{source.toolkit.fluxcd.io/revision: main@sha1:abc}");
    gotk_event_record(srv.client, obj, "test-controller", true, "ReconciliationFailed",
                      "something failed", ann);
    /* the same Event again is folded into the first (count 2) */
    gotk_event_record(srv.client, obj, "test-controller", true, "ReconciliationFailed",
                      "something failed", ann);
    json_object_put(ann);
    json_object *list = NULL;
    gotk_kube_list_opts lo = {0};
    assert_null(gotk_kube_list(srv.client, "v1", "Event", "rt", &lo, &list));
    json_object *items = gotk_obj_get(list, "items", NULL);
    assert_int_equal(json_object_array_length(items), 1);
    json_object *ev = json_object_array_get_idx(items, 0);
    assert_string_equal(gotk_obj_get_str(ev, "type"), "Warning");
    assert_string_equal(gotk_obj_get_str(ev, "reason"), "ReconciliationFailed");
    assert_string_equal(gotk_obj_get_str(ev, "involvedObject.name"), "evt");
    assert_string_equal(gotk_obj_get_str(ev, "involvedObject.kind"), "ConfigMap");
    assert_string_equal(gotk_obj_get_str(ev, "source.component"), "test-controller");
    assert_non_null(strstr(gotk_obj_get_str(ev, "metadata.name"), "evt."));
    assert_int_equal(json_object_get_int(gotk_obj_get(ev, "count", NULL)), 2);
    json_object_put(list);
    /* another message is another Event */
    gotk_event_record(srv.client, obj, "test-controller", false, "Progressing", "other", NULL);
    json_object_put(obj);
    assert_null(gotk_kube_list(srv.client, "v1", "Event", "rt", &lo, &list));
    assert_int_equal(json_object_array_length(gotk_obj_get(list, "items", NULL)), 2);
    json_object_put(list);
}

/* Start the sample controller with its logs in the test's directory. */
static pid_t start_controller(const char *extra1, const char *extra2)
{
    char *log = gotk_xasprintf("%s/controller.log", srv.dir);
    char *argv[] = {(char *)controller_bin, "--kubeconfig", srv.kubeconfig, "--metrics-addr",
                    "0", "--health-addr", "0", "--leader-election-namespace", "rt",
                    "--leader-election-lease-duration", "2s", "--leader-election-renew-deadline",
                    "1s", "--leader-election-retry-period", "200ms", (char *)extra1,
                    (char *)extra2, NULL};
    pid_t pid = fixture_spawn(argv, log);
    free(log);
    return pid;
}

typedef struct {
    const char *name;
    char want[32];
} reconciled;

static bool is_reconciled(void *ud)
{
    reconciled *r = ud;
    json_object *obj = NULL;
    gotk_kube_ref ref = {"v1", "ConfigMap", "rt", r->name};
    gotk_err *e = gotk_kube_get(srv.client, &ref, NULL, &obj);
    gotk_err_free(e);
    json_object *ann = gotk_obj_getp(obj, "metadata.annotations"), *v = NULL;
    bool ok = ann && json_object_object_get_ex(ann, "gotk.test/reconciled-by", &v) &&
              (!r->want[0] || !strcmp(json_object_get_string(v), r->want));
    json_object_put(obj);
    return ok;
}

static void test_controller_reconciles_and_exits_on_sigterm(void **state)
{
    (void)state;
    pid_t pid = start_controller(NULL, NULL);
    assert_true(pid > 0);
    create("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ctl-1, namespace: rt}\n");
    reconciled r = {.name = "ctl-1"};
    snprintf(r.want, sizeof r.want, "%d", (int)pid);
    assert_true(fixture_wait(is_reconciled, &r, 15000));
    int st = fixture_stop_process(pid, SIGTERM, 15000);
    assert_true(st >= 0 && WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}

static void test_leader_hand_over_between_processes(void **state)
{
    (void)state;
    pid_t first = start_controller("--leader-elect", NULL);
    create("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ha-1, namespace: rt}\n");
    reconciled r = {.name = "ha-1"};
    snprintf(r.want, sizeof r.want, "%d", (int)first);
    assert_true(fixture_wait(is_reconciled, &r, 15000));
    pid_t second = start_controller("--leader-elect", NULL);
    usleep(500 * 1000);
    kill(first, SIGKILL); /* no release: the second must wait out the lease */
    waitpid(first, NULL, 0);
    create("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ha-2, namespace: rt}\n");
    reconciled r2 = {.name = "ha-2"};
    snprintf(r2.want, sizeof r2.want, "%d", (int)second);
    assert_true(fixture_wait(is_reconciled, &r2, 15000));
    int st = fixture_stop_process(second, SIGTERM, 15000);
    assert_true(st >= 0 && WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    json_object *lease = NULL;
    gotk_kube_ref ref = {"coordination.k8s.io/v1", "Lease", "rt",
                         "sample-controller-leader-election"};
    assert_null(gotk_kube_get(srv.client, &ref, NULL, &lease));
    assert_string_equal(gotk_obj_get_str(lease, "spec.holderIdentity"), ""); /* released */
    json_object_put(lease);
}

static void test_controller_bad_flag(void **state)
{
    (void)state;
    char *log = gotk_xasprintf("%s/bad.log", srv.dir);
    char *argv[] = {(char *)controller_bin, "--concurrent=zero", NULL};
    pid_t pid = fixture_spawn(argv, log);
    int st;
    waitpid(pid, &st, 0);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 1);
    char *text = NULL;
    size_t len;
    assert_null(gotk_file_read(log, &text, &len));
    assert_non_null(strstr(text, "invalid argument for --concurrent: invalid integer \"zero\""));
    free(text);
    free(log);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s GOTK_APISERVER SAMPLE_CONTROLLER\n", argv[0]);
        return 2;
    }
    server_bin = argv[1];
    controller_bin = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_informer_follows_changes),
        cmocka_unit_test(test_leader_election_between_two),
        cmocka_unit_test(test_event_is_recorded),
        cmocka_unit_test(test_controller_reconciles_and_exits_on_sigterm),
        cmocka_unit_test(test_leader_hand_over_between_processes),
        cmocka_unit_test(test_controller_bad_flag),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
