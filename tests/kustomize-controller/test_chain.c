/*
 * The whole GitOps chain: a Git repository over smart HTTP (lighttpd +
 * git-http-backend, git-repo.sh), gotk-apiserver with the config/ CRDs,
 * source-controller turning commits into artifacts, and kustomize-controller
 * applying them. Commits add, change and remove manifests; the cluster follows.
 * kustomize-controller runs with --no-cross-namespace-refs here.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "apiserver_fixture.h"
#include "gotk/obj.h"
#include "gotk/runtime.h"

static const char *server_bin, *source_bin, *kc_bin;
static apiserver_fixture srv;
static char *script, *wd, *repo_url, *sc_log, *kc_log, *storage;
static pid_t sc_pid = -1, kc_pid = -1;

/* Run git-repo.sh with arguments (tests only); returns its exit status. */
static int repo(const char *cmd, const char *file, const char *text)
{
    pid_t pid = fork();
    if (pid == 0) {
        execl(script, script, cmd, wd, file, text, (char *)NULL);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define kapply(text) assert_int_equal(fixture_apply(&srv, "chain-test", "%s", text), 0)

static int create_crd(const char *name)
{
    const char *root = getenv("GOTK_SOURCE_ROOT");
    char *path = gotk_xasprintf("%s/config/crd/bases/%s", root ? root : ".", name);
    json_object *docs = NULL;
    gotk_err *e = gotk_yaml_parse_file(path, &docs);
    if (!e)
        e = gotk_kube_create(srv.client, json_object_array_get_idx(docs, 0), NULL, NULL);
    json_object_put(docs);
    free(path);
    if (e)
        fprintf(stderr, "CRD %s: %s\n", name, gotk_err_msg(e));
    gotk_err_free(e);
    return e ? -1 : 0;
}

/* The URL line git-repo.sh start prints. */
static char *start_repo(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return NULL;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        execl(script, script, "start", wd, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char buf[512] = "";
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    close(fds[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    if (n <= 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return NULL;
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    return gotk_xstrdup(buf);
}

static int setup(void **state)
{
    (void)state;
    if (apiserver_start(&srv, server_bin) != 0)
        return -1;
    if (create_crd("source.toolkit.fluxcd.io_gitrepositories.yaml") ||
        create_crd("kustomize.toolkit.fluxcd.io_kustomizations.yaml"))
        return -1;
    const char *root = getenv("GOTK_SOURCE_ROOT");
    script = gotk_xasprintf("%s/tests/kustomize-controller/git-repo.sh", root ? root : ".");
    wd = gotk_xasprintf("%s/git", srv.dir);
    storage = gotk_xasprintf("%s/storage", srv.dir);
    if (!(repo_url = start_repo()))
        return -1;
    sc_log = gotk_xasprintf("%s/source-controller.log", srv.dir);
    kc_log = gotk_xasprintf("%s/kustomize-controller.log", srv.dir);
    /* libgit2 leaks a little per connection (tests/source/lsan-libgit2.supp). */
    char *lsan = gotk_xasprintf("suppressions=%s/tests/source/lsan-libgit2.supp:print_suppressions=0",
                                root ? root : ".");
    setenv("LSAN_OPTIONS", lsan, 1);
    free(lsan);
    const char *asan = getenv("ASAN_OPTIONS");
    char *asan2 = gotk_xasprintf("%s%sfast_unwind_on_malloc=0", asan ? asan : "",
                                 asan && *asan ? ":" : "");
    setenv("ASAN_OPTIONS", asan2, 1);
    free(asan2);
    char *sc_argv[] = {(char *)source_bin, "--kubeconfig", srv.kubeconfig, "--storage-path",
                       storage, "--storage-addr", "127.0.0.1:0", "--metrics-addr", "0",
                       "--health-addr", "0", NULL};
    sc_pid = fixture_spawn(sc_argv, sc_log);
    char *kc_argv[] = {(char *)kc_bin, "--kubeconfig", srv.kubeconfig, "--metrics-addr", "0",
                       "--health-addr", "0", "--requeue-dependency", "1s",
                       "--no-cross-namespace-refs", NULL};
    kc_pid = fixture_spawn(kc_argv, kc_log);
    return sc_pid > 0 && kc_pid > 0 ? 0 : -1;
}

/* Stop a controller; false unless it exited 0. */
static bool stop(pid_t pid, const char *name, const char *log)
{
    if (pid <= 0)
        return true;
    int st = fixture_stop_process(pid, SIGTERM, 40000);
    if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return true;
    fprintf(stderr, "%s did not exit 0 on SIGTERM (status %d)\n", name, st);
    char *text = NULL;
    size_t len = 0;
    if (!gotk_file_read(log, &text, &len))
        fprintf(stderr, "--- %s log (tail) ---\n%s\n", name, len > 6000 ? text + len - 6000 : text);
    free(text);
    return false;
}

static int teardown(void **state)
{
    (void)state;
    bool ok = stop(kc_pid, "kustomize-controller", kc_log);
    ok &= stop(sc_pid, "source-controller", sc_log);
    if (wd)
        repo("stop", "", "");
    apiserver_stop(&srv);
    free(script);
    free(wd);
    free(repo_url);
    free(sc_log);
    free(kc_log);
    free(storage);
    return ok ? 0 : -1;
}

typedef struct {
    const char *name, *want; /* ConfigMap chain/name data.v == want; NULL: gone */
} cm_want;

static bool cm_matches(void *ud)
{
    cm_want *w = ud;
    gotk_kube_ref ref = {"v1", "ConfigMap", "chain", w->name};
    json_object *o = NULL;
    gotk_err *e = gotk_kube_get(srv.client, &ref, NULL, &o);
    gotk_err_free(e);
    const char *v = o ? gotk_obj_getp(o, "data.v") ? gotk_obj_get_str(o, "data.v") : "" : NULL;
    bool ok = w->want ? v && !strcmp(v, w->want) : o == NULL;
    json_object_put(o);
    return ok;
}

static void expect_cm(const char *name, const char *want)
{
    cm_want w = {name, want};
    if (!fixture_wait(cm_matches, &w, 60000)) {
        fprintf(stderr, "ConfigMap chain/%s never became %s\n", name, want ? want : "(gone)");
        fail();
    }
}

/* Commit, the cluster follows: create, change, prune. */
static void test_git_to_cluster(void **state)
{
    (void)state;
    kapply("apiVersion: v1\nkind: Namespace\nmetadata: {name: chain}\n");
    assert_int_equal(repo("write", "deploy/a.yaml",
                          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {v: one}"),
                     0);
    assert_int_equal(repo("write", "deploy/b.yaml",
                          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {v: one}"),
                     0);
    char *gr = gotk_xasprintf("apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\n"
                              "metadata: {name: repo, namespace: chain}\n"
                              "spec: {url: '%s', interval: 2s, ref: {branch: main}}\n",
                              repo_url);
    kapply(gr);
    free(gr);
    kapply("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
           "metadata: {name: apps, namespace: chain}\n"
           "spec: {interval: 1m, prune: true, path: ./deploy, targetNamespace: chain,\n"
           "       sourceRef: {kind: GitRepository, name: repo}}\n");
    expect_cm("a", "one");
    expect_cm("b", "one");
    gotk_kube_ref ref = {"v1", "ConfigMap", "chain", "a"};
    json_object *a = NULL;
    assert_null(gotk_kube_get(srv.client, &ref, NULL, &a));
    json_object *labels = gotk_obj_getp(a, "metadata.labels"), *v = NULL;
    assert_true(json_object_object_get_ex(labels, "kustomize.toolkit.fluxcd.io/name", &v));
    assert_string_equal(json_object_get_string(v), "apps");
    json_object_put(a);

    assert_int_equal(repo("write", "deploy/a.yaml",
                          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {v: two}"),
                     0);
    expect_cm("a", "two");
    assert_int_equal(repo("rm", "deploy/b.yaml", ""), 0);
    expect_cm("b", NULL);

    gotk_kube_ref kref = {"kustomize.toolkit.fluxcd.io/v1", "Kustomization", "chain", "apps"};
    json_object *k = NULL;
    for (int i = 0; i < 200; i++) {
        json_object_put(k);
        k = NULL;
        assert_null(gotk_kube_get(srv.client, &kref, NULL, &k));
        json_object *entries = gotk_obj_getp(k, "status.inventory.entries");
        if (entries && json_object_array_length(entries) == 1)
            break;
        struct timespec nap = {0, 50 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
    json_object *entries = gotk_obj_getp(k, "status.inventory.entries");
    assert_int_equal(json_object_array_length(entries), 1);
    assert_string_equal(gotk_obj_get_str(json_object_array_get_idx(entries, 0), "id"),
                        "chain_a__ConfigMap");
    const char *rev = gotk_obj_get_str(k, "status.lastAppliedRevision");
    assert_non_null(rev);
    assert_true(!strncmp(rev, "main@sha1:", 10));
    json_object_put(k);
}

/* --no-cross-namespace-refs: a sourceRef into another namespace is refused,
 * Ready False and Stalled with Flux's AccessDenied reason and message. */
static void test_cross_namespace_refused(void **state)
{
    (void)state;
    kapply("apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n");
    kapply("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
           "metadata: {name: sneaky, namespace: other}\n"
           "spec: {interval: 1m, prune: true, path: ./deploy, targetNamespace: other,\n"
           "       sourceRef: {kind: GitRepository, name: repo, namespace: chain}}\n");
    gotk_kube_ref kref = {"kustomize.toolkit.fluxcd.io/v1", "Kustomization", "other", "sneaky"};
    const char *want = "can't access 'GitRepository/chain/repo', cross-namespace references "
                       "have been blocked";
    bool ok = false;
    for (int i = 0; i < 400 && !ok; i++) {
        json_object *k = NULL;
        gotk_err_free(gotk_kube_get(srv.client, &kref, NULL, &k));
        json_object *r = k ? gotk_cond_get(k, "Ready") : NULL;
        const char *m = r ? gotk_obj_get_str(r, "message") : NULL;
        const char *reason = r ? gotk_obj_get_str(r, "reason") : NULL;
        ok = m && !strcmp(m, want) && reason && !strcmp(reason, "AccessDenied") &&
             gotk_cond_is_true(k, "Stalled");
        json_object_put(k);
        if (!ok) {
            struct timespec nap = {0, 50 * 1000 * 1000};
            nanosleep(&nap, NULL);
        }
    }
    assert_true(ok);
    gotk_kube_ref cm = {"v1", "ConfigMap", "other", "a"};
    gotk_err *e = gotk_kube_get(srv.client, &cm, NULL, NULL);
    assert_non_null(e);
    gotk_err_free(e);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s GOTK_APISERVER SOURCE_CONTROLLER KUSTOMIZE_CONTROLLER\n",
                argv[0]);
        return 2;
    }
    server_bin = argv[1];
    source_bin = argv[2];
    kc_bin = argv[3];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_git_to_cluster),
        cmocka_unit_test(test_cross_namespace_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
