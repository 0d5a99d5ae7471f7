/*
 * kustomize-controller end to end. One real gotk-apiserver with the CRDs of
 * config/crd/bases, one artifact HTTP server, and the
 * controller binary. The test plays source-controller: it archives a directory
 * with gotk_artifact_archive into the served storage and writes a GitRepository's
 * status.artifact through the status subresource. Each test works in its own
 * namespace and polls the Kustomization's Ready condition with a deadline.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "apiserver_fixture.h"
#include "gotk/artifact.h"
#include "gotk/obj.h"
#include "gotk/runtime.h"

static const char *server_bin, *controller_bin;
static apiserver_fixture srv;
static gotk_artifact_server *files;
static char *storage, *work, *ctl_log;
static pid_t ctl_pid;
static int publish_seq;

/* ---- helpers ------------------------------------------------------------------ */

static json_object *yaml(const char *text)
{
    json_object *o = fixture_yaml(text);
    assert_non_null(o);
    return o;
}

/* Server-side apply a YAML object as the test's own field manager. */
#define kapply(...) assert_int_equal(fixture_apply(&srv, "e2e-test", __VA_ARGS__), 0)

static json_object *get(const char *api, const char *kind, const char *ns, const char *name)
{
    gotk_kube_ref ref = {api, kind, ns, name};
    json_object *o = NULL;
    gotk_err *e = gotk_kube_get(srv.client, &ref, NULL, &o);
    gotk_err_free(e);
    return o;
}

static bool exists(const char *api, const char *kind, const char *ns, const char *name)
{
    json_object *o = get(api, kind, ns, name);
    json_object_put(o);
    return o != NULL;
}

static void del(const char *api, const char *kind, const char *ns, const char *name)
{
    gotk_kube_ref ref = {api, kind, ns, name};
    gotk_err *e = gotk_kube_delete(srv.client, &ref, NULL, NULL);
    if (e)
        fprintf(stderr, "delete: %s\n", gotk_err_msg(e));
    assert_null(e);
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

/* Play source-controller: archive `files` (pairs of path, content, NULL-ended)
 * and point GitRepository ns/name at it. `bad_digest` advertises a wrong one. */
static void publish_ex(const char *ns, const char *name, bool bad_digest, const char *const *fl)
{
    int seq = ++publish_seq;
    char *dir = gotk_xasprintf("%s/src-%d", work, seq);
    assert_null(gotk_file_mkdir_all(dir, 0755));
    for (size_t i = 0; fl[i]; i += 2)
        write_file(dir, fl[i], fl[i + 1]);
    char *rel = gotk_xasprintf("gitrepository/%s/%s/%d.tar.gz", ns, name, seq);
    char *dest = gotk_xasprintf("%s/%s", storage, rel);
    char *parent = gotk_xstrdup(dest);
    *strrchr(parent, '/') = '\0';
    assert_null(gotk_file_mkdir_all(parent, 0755));
    gotk_artifact_info info;
    assert_null(gotk_artifact_archive(dir, NULL, dest, &info));
    char sha[65];
    gotk_sha256_hex(info.digest, strlen(info.digest), sha);
    sha[40] = '\0';
    kapply("apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\n"
           "metadata: {name: %s, namespace: %s}\n"
           "spec: {url: 'https://example.com/repo', interval: 1h}\n",
           name, ns);
    char *patch = gotk_xasprintf(
        "status:\n  artifact:\n    path: %s\n    url: http://127.0.0.1:%d/%s\n"
        "    revision: main@sha1:%s\n    digest: %s\n    size: %lld\n"
        "    lastUpdateTime: '2026-11-22T00:00:00Z'\n",
        rel, gotk_artifact_server_port(files), rel, sha,
        bad_digest ? "sha256:0000000000000000000000000000000000000000000000000000000000000000"
                   : info.digest,
        (long long)info.size);
    json_object *p = yaml(patch);
    gotk_kube_ref ref = {"source.toolkit.fluxcd.io/v1", "GitRepository", ns, name};
    gotk_kube_opts o = {.subresource = "status"};
    assert_null(gotk_kube_patch(srv.client, &ref, GOTK_KUBE_PATCH_MERGE, p, &o, NULL));
    json_object_put(p);
    free(patch);
    free(parent);
    free(dest);
    free(rel);
    free(dir);
}

#define publish(ns, name, ...)                                                               \
    publish_ex(ns, name, false, (const char *const[]){__VA_ARGS__, NULL})

static void make_ns(const char *ns)
{
    kapply("apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n", ns);
}

/* A Kustomization in ns on GitRepository `src`, with extra spec lines. */
static void kustomization(const char *ns, const char *name, const char *src, const char *extra)
{
    kapply("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
           "metadata: {name: %s, namespace: %s}\n"
           "spec:\n  interval: 1m\n  retryInterval: 2s\n  prune: true\n"
           "  sourceRef: {kind: GitRepository, name: %s}\n%s",
           name, ns, src, extra ? extra : "");
}

/* Is status.lastHandledReconcileAt of t-drift/ks `want`? */
static bool handled(const char *want)
{
    json_object *k = get("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "t-drift", "ks");
    const char *v = gotk_obj_get_str(k, "status.lastHandledReconcileAt");
    bool ok = v && !strcmp(v, want);
    json_object_put(k);
    return ok;
}

/* Ask for a reconcile now, as `flux reconcile` does; returns the token number. */
static int request_reconcile(const char *ns, const char *name)
{
    static int n;
    char *p = gotk_xasprintf("metadata:\n  annotations:\n    reconcile.fluxcd.io/requestedAt: "
                             "'req-%d'\n",
                             ++n);
    json_object *patch = yaml(p);
    gotk_kube_ref ref = {"kustomize.toolkit.fluxcd.io/v1", "Kustomization", ns, name};
    assert_null(gotk_kube_patch(srv.client, &ref, GOTK_KUBE_PATCH_MERGE, patch, NULL, NULL));
    json_object_put(patch);
    free(p);
    return n;
}

static void nap_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The Ready condition's status and message (copied into the buffers). */
static bool ready_of(const char *ns, const char *name, char *status, char *msg, size_t n)
{
    json_object *k = get("kustomize.toolkit.fluxcd.io/v1", "Kustomization", ns, name);
    json_object *c = k ? gotk_cond_get(k, "Ready") : NULL;
    bool ok = c != NULL;
    snprintf(status, 16, "%s", c ? gotk_obj_get_str(c, "status") : "");
    snprintf(msg, n, "%s", c && gotk_obj_get_str(c, "message") ? gotk_obj_get_str(c, "message") : "");
    json_object_put(k);
    return ok;
}

/* Poll until Ready has `status` and its message contains `substr`. */
static void expect_ready(const char *ns, const char *name, const char *status, const char *substr)
{
    char st[16] = "", msg[4096] = "";
    for (int i = 0; i < 600; i++) {
        if (ready_of(ns, name, st, msg, sizeof msg) && !strcmp(st, status) &&
            (!substr || strstr(msg, substr)))
            return;
        nap_ms(50);
    }
    fprintf(stderr, "Kustomization %s/%s: Ready=%s %s (wanted %s with \"%s\")\n", ns, name, st,
            msg, status, substr ? substr : "");
    fail();
}

/* Poll until `cond(ud)` holds. */
static void expect_eventually(bool (*cond)(void *), void *ud, const char *what)
{
    if (!fixture_wait(cond, ud, 30000)) {
        fprintf(stderr, "timed out waiting for %s\n", what);
        fail();
    }
}

#define ABSENT "(absent)"

typedef struct {
    const char *ns, *name, *key, *want; /* data key == want (NULL: no object; ABSENT: no key) */
} cm_check;

static bool cm_is(void *ud)
{
    cm_check *c = ud;
    json_object *o = get("v1", "ConfigMap", c->ns, c->name);
    bool ok;
    if (!c->want)
        ok = o == NULL;
    else if (!strcmp(c->want, ABSENT))
        ok = o && !gotk_obj_get_str(gotk_obj_get(o, "data", NULL), c->key);
    else {
        const char *v = o ? gotk_obj_get_str(gotk_obj_get(o, "data", NULL), c->key) : NULL;
        ok = v && !strcmp(v, c->want);
    }
    json_object_put(o);
    return ok;
}

static void expect_cm(const char *ns, const char *name, const char *key, const char *want)
{
    cm_check c = {ns, name, key, want};
    char what[256];
    snprintf(what, sizeof what, "ConfigMap %s/%s %s=%s", ns, name, key, want ? want : "(gone)");
    expect_eventually(cm_is, &c, what);
}

static const char *label(json_object *o, const char *key)
{
    json_object *l = gotk_obj_get(o, "metadata", "labels", NULL), *v = NULL;
    return l && json_object_object_get_ex(l, key, &v) ? json_object_get_string(v) : "(none)";
}

#define CM(name, key, val)                                                                   \
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " name "\ndata:\n  " key ": " val "\n"

/* Does some Event in ns carry a message containing `substr`? */
static bool event_has(const char *ns, const char *substr)
{
    json_object *list = NULL;
    gotk_err *e = gotk_kube_list(srv.client, "v1", "Event", ns, NULL, &list);
    gotk_err_free(e);
    json_object *items = gotk_obj_get(list, "items", NULL);
    bool found = false;
    for (size_t i = 0; items && i < json_object_array_length(items) && !found; i++) {
        const char *m = gotk_obj_get_str(json_object_array_get_idx(items, i), "message");
        found = m && strstr(m, substr);
    }
    json_object_put(list);
    return found;
}

/* ---- fixtures ----------------------------------------------------------------- */

/* A CRD from config/crd/bases (config/'s own), or Flux's copy in the YAML corpus. */
static void create_crd(const char *file, const char *corpus)
{
    char *path = gotk_xasprintf("%s/../config/crd/bases/%s", getenv("GOTK_TESTS_DIR"), file);
    if (access(path, R_OK) != 0) {
        free(path);
        path = gotk_xasprintf("%s/yaml-corpus/%s", getenv("GOTK_TESTS_DIR"), corpus);
    }
    json_object *docs = NULL;
    assert_null(gotk_yaml_parse_file(path, &docs));
    assert_null(gotk_kube_create(srv.client, json_object_array_get_idx(docs, 0), NULL, NULL));
    json_object_put(docs);
    free(path);
}

static int setup(void **state)
{
    (void)state;
    if (!getenv("GOTK_TESTS_DIR"))
        return -1;
    if (apiserver_start_audited(&srv, server_bin) != 0)
        return -1;
    create_crd("kustomize.toolkit.fluxcd.io_kustomizations.yaml", "flux-crd-kustomizations.yaml");
    create_crd("source.toolkit.fluxcd.io_gitrepositories.yaml", "flux-crd-gitrepositories.yaml");
    create_crd("source.toolkit.fluxcd.io_ocirepositories.yaml", "flux-crd-ocirepositories.yaml");
    create_crd("source.toolkit.fluxcd.io_buckets.yaml", "flux-crd-buckets.yaml");
    storage = gotk_xasprintf("%s/storage", srv.dir);
    work = gotk_xasprintf("%s/work", srv.dir);
    if (gotk_file_mkdir_all(storage, 0755) || gotk_file_mkdir_all(work, 0755) ||
        gotk_artifact_server_start("127.0.0.1:0", storage, &files))
        return -1;
    ctl_log = gotk_xasprintf("%s/controller.log", srv.dir);
    char *argv[] = {(char *)controller_bin, "--kubeconfig", srv.kubeconfig,
                    "--metrics-addr", "127.0.0.1:0", "--health-addr", "127.0.0.1:0",
                    "--requeue-dependency", "1s", "--concurrent", "4",
                    "--feature-gates", "StrictPostBuildSubstitutions=true", NULL};
    ctl_pid = fixture_spawn(argv, ctl_log);
    return ctl_pid > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    int rc = 0;
    if (ctl_pid > 0) {
        int st = fixture_stop_process(ctl_pid, SIGTERM, 40000);
        if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            fprintf(stderr, "kustomize-controller did not exit 0 on SIGTERM (status %d)\n", st);
            rc = -1;
        }
    }
    if (getenv("KC_TEST_LOG_COPY")) {
        char *log = NULL;
        size_t len = 0;
        if (!gotk_file_read(ctl_log, &log, &len))
            gotk_err_free(gotk_file_write_atomic(getenv("KC_TEST_LOG_COPY"), log, len, 0644));
        free(log);
    }
    if (rc != 0) {
        char *log = NULL;
        size_t len = 0;
        if (!gotk_file_read(ctl_log, &log, &len))
            fprintf(stderr, "--- controller log (tail) ---\n%s\n",
                    len > 8000 ? log + len - 8000 : log);
        free(log);
    }
    gotk_artifact_server_stop(files);
    apiserver_stop(&srv);
    free(storage);
    free(work);
    free(ctl_log);
    return rc;
}

/* ---- tests --------------------------------------------------------------------- */

/* Objects appear with the owner labels; the inventory lists them as Flux does. */
static void test_apply_labels_inventory(void **state)
{
    (void)state;
    make_ns("t-apply");
    publish("t-apply", "repo", "app/cm.yaml", CM("cfg", "color", "blue"),
            "app/deploy.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
            "spec:\n  selector: {matchLabels: {app: web}}\n  template:\n"
            "    metadata: {labels: {app: web}}\n"
            "    spec: {containers: [{name: web, image: 'nginx:1.25'}]}\n");
    kustomization("t-apply", "apps", "repo",
                  "  path: ./app\n  targetNamespace: t-apply\n"
                  "  commonMetadata: {labels: {team: blue}}\n"
                  "  images: [{name: nginx, newTag: '1.27'}]\n");
    expect_ready("t-apply", "apps", "True", "Applied revision: main@sha1:");
    json_object *cm = get("v1", "ConfigMap", "t-apply", "cfg");
    assert_non_null(cm);
    assert_string_equal(label(cm, "kustomize.toolkit.fluxcd.io/name"), "apps");
    assert_string_equal(label(cm, "kustomize.toolkit.fluxcd.io/namespace"), "t-apply");
    assert_string_equal(label(cm, "team"), "blue");
    json_object_put(cm);
    json_object *d = get("apps/v1", "Deployment", "t-apply", "web");
    assert_non_null(d);
    json_object *c0 = json_object_array_get_idx(gotk_obj_getp(d, "spec.template.spec.containers"), 0);
    assert_string_equal(gotk_obj_get_str(c0, "image"), "nginx:1.27");
    json_object_put(d);
    json_object *k = get("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "t-apply", "apps");
    json_object *entries = gotk_obj_getp(k, "status.inventory.entries");
    assert_non_null(entries);
    assert_int_equal(json_object_array_length(entries), 2);
    assert_string_equal(gotk_obj_get_str(json_object_array_get_idx(entries, 0), "id"),
                        "t-apply_cfg__ConfigMap");
    assert_string_equal(gotk_obj_get_str(json_object_array_get_idx(entries, 0), "v"), "v1");
    assert_string_equal(gotk_obj_get_str(json_object_array_get_idx(entries, 1), "id"),
                        "t-apply_web_apps_Deployment");
    const char *rev = gotk_obj_get_str(k, "status.lastAppliedRevision");
    assert_non_null(rev);
    assert_string_equal(rev, gotk_obj_get_str(k, "status.lastAttemptedRevision"));
    json_object *fin = gotk_obj_getp(k, "metadata.finalizers");
    assert_non_null(fin);
    assert_string_equal(json_object_get_string(json_object_array_get_idx(fin, 0)),
                        "finalizers.fluxcd.io");
    json_object *hist = gotk_obj_getp(k, "status.history");
    assert_non_null(hist);
    assert_string_equal(gotk_obj_get_str(json_object_array_get_idx(hist, 0), "lastReconciledStatus"),
                        "ReconciliationSucceeded");
    assert_null(gotk_cond_get(k, "Reconciling"));
    json_object_put(k);
    assert_true(event_has("t-apply", "ConfigMap/t-apply/cfg created"));
    assert_true(event_has("t-apply", "Deployment/t-apply/web created"));
}

static bool role_gone(void *ud)
{
    (void)ud;
    return !exists("rbac.authorization.k8s.io/v1", "ClusterRole", NULL, "e2e:reader");
}

/* A changed field changes the object; a removed file prunes it (not when
 * annotated prune: disabled); the Event lists what changed. */
static void test_change_and_prune(void **state)
{
    (void)state;
    make_ns("t-prune");
    publish("t-prune", "repo", "a.yaml", CM("a", "v", "one"), "b.yaml", CM("b", "v", "one"),
            "keep.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\n  annotations:\n"
            "    kustomize.toolkit.fluxcd.io/prune: disabled\ndata: {v: one}\n",
            "role.yaml",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
            "metadata: {name: 'e2e:reader'}\nrules: []\n");
    kustomization("t-prune", "ks", "repo", "  targetNamespace: t-prune\n");
    expect_ready("t-prune", "ks", "True", "Applied revision");
    assert_true(exists("v1", "ConfigMap", "t-prune", "b"));
    assert_true(exists("rbac.authorization.k8s.io/v1", "ClusterRole", NULL, "e2e:reader"));
    json_object *k0 = get("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "t-prune", "ks");
    json_object *e0 = json_object_array_get_idx(gotk_obj_getp(k0, "status.inventory.entries"), 0);
    /* ClusterRoles come first in Flux's order; a colon is written "__". */
    assert_string_equal(gotk_obj_get_str(e0, "id"), "_e2e__reader_rbac.authorization.k8s.io_ClusterRole");
    json_object_put(k0);
    publish("t-prune", "repo", "a.yaml", CM("a", "v", "two"));
    expect_cm("t-prune", "a", "v", "two");
    expect_cm("t-prune", "b", "v", NULL);
    assert_true(exists("v1", "ConfigMap", "t-prune", "keep"));
    /* Cluster-scoped objects are pruned after namespaced ones: wait for it too. */
    expect_eventually(role_gone, NULL, "ClusterRole e2e:reader pruned");
    expect_ready("t-prune", "ks", "True", "Applied revision");
    assert_true(event_has("t-prune", "ConfigMap/t-prune/a configured"));
    assert_true(event_has("t-prune", "ConfigMap/t-prune/b deleted"));
    json_object *k = get("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "t-prune", "ks");
    assert_int_equal(json_object_array_length(gotk_obj_getp(k, "status.inventory.entries")), 1);
    json_object_put(k);
}

/* prune: false leaves removed objects in place. */
static void test_no_prune(void **state)
{
    (void)state;
    make_ns("t-noprune");
    publish("t-noprune", "repo", "a.yaml", CM("a", "v", "one"), "b.yaml", CM("b", "v", "one"));
    kapply("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
           "metadata: {name: ks, namespace: t-noprune}\n"
           "spec: {interval: 1m, prune: false, targetNamespace: t-noprune,\n"
           "       sourceRef: {kind: GitRepository, name: repo}}\n");
    expect_cm("t-noprune", "b", "v", "one");
    publish("t-noprune", "repo", "a.yaml", CM("a", "v", "two"));
    expect_cm("t-noprune", "a", "v", "two");
    expect_ready("t-noprune", "ks", "True", "Applied revision");
    assert_true(exists("v1", "ConfigMap", "t-noprune", "b"));
}

/* A field changed by hand is put back on the next reconcile; an object marked
 * reconcile: disabled is left alone. */
static void test_drift_corrected(void **state)
{
    (void)state;
    make_ns("t-drift");
    publish("t-drift", "repo", "a.yaml", CM("a", "v", "git"), "off.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: off\n  annotations:\n"
            "    kustomize.toolkit.fluxcd.io/reconcile: disabled\ndata: {v: git}\n");
    kustomization("t-drift", "ks", "repo", "  targetNamespace: t-drift\n");
    expect_cm("t-drift", "a", "v", "git");
    assert_false(exists("v1", "ConfigMap", "t-drift", "off"));
    expect_ready("t-drift", "ks", "True", NULL);
    json_object *patch = yaml("data: {v: by-hand}\n");
    gotk_kube_ref ref = {"v1", "ConfigMap", "t-drift", "a"};
    gotk_kube_opts o = {.field_manager = "kubectl-edit"};
    assert_null(gotk_kube_patch(srv.client, &ref, GOTK_KUBE_PATCH_MERGE, patch, &o, NULL));
    json_object_put(patch);
    expect_cm("t-drift", "a", "v", "by-hand");
    int n = request_reconcile("t-drift", "ks");
    expect_cm("t-drift", "a", "v", "git");
    char want[32];
    snprintf(want, sizeof want, "req-%d", n);
    for (int i = 0; i < 200 && !handled(want); i++)
        nap_ms(50);
    assert_true(handled(want));
}

/* dependsOn across three Kustomizations: c waits for b, b for a. */
static void test_depends_on(void **state)
{
    (void)state;
    make_ns("t-deps");
    kustomization("t-deps", "c", "repo-c", "  targetNamespace: t-deps\n  dependsOn: [{name: b}]\n");
    kustomization("t-deps", "b", "repo-b", "  targetNamespace: t-deps\n  dependsOn: [{name: a}]\n");
    kustomization("t-deps", "a", "repo-a", "  targetNamespace: t-deps\n");
    publish("t-deps", "repo-c", "c.yaml", CM("c", "v", "c"));
    publish("t-deps", "repo-b", "b.yaml", CM("b", "v", "b"));
    expect_ready("t-deps", "c", "False", "dependency 't-deps/b' is not ready");
    expect_ready("t-deps", "b", "False", "dependency 't-deps/a' is not ready");
    assert_false(exists("v1", "ConfigMap", "t-deps", "b"));
    assert_false(exists("v1", "ConfigMap", "t-deps", "c"));
    publish("t-deps", "repo-a", "a.yaml", CM("a", "v", "a"));
    expect_ready("t-deps", "a", "True", NULL);
    expect_ready("t-deps", "b", "True", NULL);
    expect_ready("t-deps", "c", "True", NULL);
    json_object *a = get("v1", "ConfigMap", "t-deps", "a"), *b = get("v1", "ConfigMap", "t-deps", "b"),
                *c = get("v1", "ConfigMap", "t-deps", "c");
    /* Created in dependency order: resourceVersions grow a < b < c. */
    long long ra = atoll(gotk_obj_get_str(a, "metadata.resourceVersion"));
    long long rb = atoll(gotk_obj_get_str(b, "metadata.resourceVersion"));
    long long rc = atoll(gotk_obj_get_str(c, "metadata.resourceVersion"));
    assert_true(ra < rb && rb < rc);
    json_object_put(a);
    json_object_put(b);
    json_object_put(c);
}

/* A CRD and its custom resources in one build: the CRD is applied and
 * Established first. */
static void test_crd_before_cr(void **state)
{
    (void)state;
    make_ns("t-crd");
    publish("t-crd", "repo", "crd.yaml",
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
            "metadata: {name: widgets.e2e.example.com}\n"
            "spec:\n  group: e2e.example.com\n  scope: Namespaced\n"
            "  names: {plural: widgets, singular: widget, kind: Widget}\n"
            "  versions:\n  - name: v1\n    served: true\n    storage: true\n"
            "    schema:\n      openAPIV3Schema:\n        type: object\n"
            "        x-kubernetes-preserve-unknown-fields: true\n",
            "w.yaml", "apiVersion: e2e.example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 3}\n");
    kustomization("t-crd", "ks", "repo", "  targetNamespace: t-crd\n");
    expect_ready("t-crd", "ks", "True", "Applied revision");
    json_object *w = get("e2e.example.com/v1", "Widget", "t-crd", "w1");
    assert_non_null(w);
    assert_int_equal(json_object_get_int(gotk_obj_getp(w, "spec.size")), 3);
    json_object_put(w);
    json_object *crd = get("apiextensions.k8s.io/v1", "CustomResourceDefinition", NULL,
                           "widgets.e2e.example.com");
    assert_non_null(crd);
    assert_string_equal(label(crd, "kustomize.toolkit.fluxcd.io/name"), "ks");
    json_object_put(crd);
}

/* postBuild: substitute over substituteFrom a ConfigMap and a Secret; the
 * opt-out annotation keeps an object verbatim. */
static void test_post_build(void **state)
{
    (void)state;
    make_ns("t-vars");
    kapply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: vars, namespace: t-vars}\n"
           "data: {cluster: edge-1, region: from-cm}\n");
    kapply("apiVersion: v1\nkind: Secret\nmetadata: {name: secret-vars, namespace: t-vars}\n"
           "stringData: {token: s3cr3t}\n");
    publish("t-vars", "repo", "a.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: out}\n"
            "data:\n  cluster: ${cluster}\n  region: ${region}\n  token: ${token}\n"
            "  size: ${size:=small}\n",
            "b.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: raw\n  annotations:\n"
            "    kustomize.toolkit.fluxcd.io/substitute: disabled\ndata: {v: '${cluster}'}\n");
    kustomization("t-vars", "ks", "repo",
                  "  targetNamespace: t-vars\n  postBuild:\n    substitute: {region: inline}\n"
                  "    substituteFrom:\n    - {kind: ConfigMap, name: vars}\n"
                  "    - {kind: Secret, name: secret-vars}\n"
                  "    - {kind: ConfigMap, name: missing, optional: true}\n");
    expect_ready("t-vars", "ks", "True", "Applied revision");
    expect_cm("t-vars", "out", "cluster", "edge-1");
    expect_cm("t-vars", "out", "region", "inline");
    expect_cm("t-vars", "out", "token", "s3cr3t");
    expect_cm("t-vars", "out", "size", "small");
    expect_cm("t-vars", "raw", "v", "${cluster}");
}

/* suspend stops reconciling; resume catches up. */
static void test_suspend_resume(void **state)
{
    (void)state;
    make_ns("t-suspend");
    publish("t-suspend", "repo", "a.yaml", CM("a", "v", "one"));
    kustomization("t-suspend", "ks", "repo", "  targetNamespace: t-suspend\n");
    expect_cm("t-suspend", "a", "v", "one");
    kustomization("t-suspend", "ks", "repo", "  targetNamespace: t-suspend\n  suspend: true\n");
    nap_ms(500);
    publish("t-suspend", "repo", "a.yaml", CM("a", "v", "two"));
    nap_ms(1500);
    expect_cm("t-suspend", "a", "v", "one");
    kustomization("t-suspend", "ks", "repo", "  targetNamespace: t-suspend\n  suspend: false\n");
    expect_cm("t-suspend", "a", "v", "two");
}

/* Deleting the Kustomization: MirrorPrune (prune true) and Delete remove the
 * objects; Orphan and MirrorPrune with prune false keep them. */
static void test_deletion_policy(void **state)
{
    (void)state;
    make_ns("t-del");
    static const struct {
        const char *name, *policy, *prune;
        bool deleted;
    } cases[] = {{"mirror", "MirrorPrune", "true", true},
                 {"mirrorkeep", "MirrorPrune", "false", false},
                 {"delete", "Delete", "false", true},
                 {"orphan", "Orphan", "true", false},
                 {"waitterm", "WaitForTermination", "false", true}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char cm[256];
        snprintf(cm, sizeof cm, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\ndata: {v: x}\n",
                 cases[i].name);
        publish("t-del", cases[i].name, "a.yaml", cm);
        kapply("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
               "metadata: {name: %s, namespace: t-del}\n"
               "spec: {interval: 1m, prune: %s, deletionPolicy: %s, targetNamespace: t-del,\n"
               "       sourceRef: {kind: GitRepository, name: %s}}\n",
               cases[i].name, cases[i].prune, cases[i].policy, cases[i].name);
        expect_ready("t-del", cases[i].name, "True", NULL);
        assert_true(exists("v1", "ConfigMap", "t-del", cases[i].name));
    }
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        del("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "t-del", cases[i].name);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        for (int t = 0; t < 400 && exists("kustomize.toolkit.fluxcd.io/v1", "Kustomization",
                                          "t-del", cases[i].name);
             t++)
            nap_ms(50);
        assert_false(exists("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "t-del",
                            cases[i].name));
        if (exists("v1", "ConfigMap", "t-del", cases[i].name) == cases[i].deleted)
            fprintf(stderr, "deletionPolicy %s prune %s\n", cases[i].policy, cases[i].prune);
        assert_int_equal(exists("v1", "ConfigMap", "t-del", cases[i].name), !cases[i].deleted);
    }
}

/* Write a Deployment's status the way its controller would. */
static void set_deploy_status(const char *ns, const char *name, int ready)
{
    json_object *d = get("apps/v1", "Deployment", ns, name);
    assert_non_null(d);
    long long gen = json_object_get_int64(gotk_obj_getp(d, "metadata.generation"));
    json_object_put(d);
    char *s = gotk_xasprintf("status: {observedGeneration: %lld, replicas: 1, updatedReplicas: 1,"
                             " readyReplicas: %d, availableReplicas: %d}\n",
                             gen, ready, ready);
    json_object *p = yaml(s);
    gotk_kube_ref ref = {"apps/v1", "Deployment", ns, name};
    gotk_kube_opts o = {.subresource = "status"};
    assert_null(gotk_kube_patch(srv.client, &ref, GOTK_KUBE_PATCH_MERGE, p, &o, NULL));
    json_object_put(p);
    free(s);
}

typedef struct {
    const char *ns, *name;
} ks_ref;

static bool deploy_exists(void *ud)
{
    ks_ref *r = ud;
    return exists("apps/v1", "Deployment", r->ns, r->name);
}

/* wait: true holds Ready until the Deployment rolls out; a failed Job fails the
 * health check early with Flux's message. */
static void test_health(void **state)
{
    (void)state;
    make_ns("t-health");
    publish("t-health", "repo", "d.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
            "spec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n"
            "    metadata: {labels: {app: web}}\n"
            "    spec: {containers: [{name: web, image: nginx}]}\n");
    kustomization("t-health", "ks", "repo", "  targetNamespace: t-health\n  wait: true\n");
    ks_ref r = {"t-health", "web"};
    expect_eventually(deploy_exists, &r, "Deployment t-health/web");
    nap_ms(1500);
    char st[16], msg[4096];
    assert_true(ready_of("t-health", "ks", st, msg, sizeof msg));
    assert_string_not_equal(st, "True");
    json_object *k = get("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "t-health", "ks");
    json_object *h = gotk_cond_get(k, "Healthy");
    assert_non_null(h);
    assert_string_equal(gotk_obj_get_str(h, "status"), "Unknown");
    assert_non_null(strstr(gotk_obj_get_str(h, "message"), "Running health checks for revision"));
    json_object_put(k);
    set_deploy_status("t-health", "web", 1);
    expect_ready("t-health", "ks", "True", "Applied revision");
    k = get("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "t-health", "ks");
    assert_true(gotk_cond_is_true(k, "Healthy"));
    json_object_put(k);

    publish("t-health", "jobs", "j.yaml",
            "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\n"
            "spec:\n  template:\n    spec:\n      restartPolicy: Never\n"
            "      containers: [{name: m, image: busybox}]\n");
    kustomization("t-health", "jobs", "jobs",
                  "  targetNamespace: t-health\n  healthChecks:\n"
                  "  - {apiVersion: batch/v1, kind: Job, name: migrate, namespace: t-health}\n");
    ks_ref jr = {"t-health", "migrate"};
    (void)jr;
    for (int i = 0; i < 400 && !exists("batch/v1", "Job", "t-health", "migrate"); i++)
        nap_ms(50);
    json_object *p = yaml("status: {conditions: [{type: Failed, status: 'True', reason: "
                          "BackoffLimitExceeded}]}\n");
    gotk_kube_ref ref = {"batch/v1", "Job", "t-health", "migrate"};
    gotk_kube_opts o = {.subresource = "status"};
    assert_null(gotk_kube_patch(srv.client, &ref, GOTK_KUBE_PATCH_MERGE, p, &o, NULL));
    json_object_put(p);
    expect_ready("t-health", "jobs", "False",
                 "failed early due to stalled resources: [Job/t-health/migrate status: 'Failed'");
}

/* Several Kustomizations share one artifact: each builds with its own settings
 * and none sees another's (the shared tree is never written). */
static void test_shared_artifact(void **state)
{
    (void)state;
    make_ns("t-share");
    publish("t-share", "mono", "apps/kustomization.yaml", "resources: [cm.yaml]\n",
            "apps/cm.yaml", CM("cfg", "v", "x"), "plain/p.yaml", CM("plain", "v", "y"));
    kustomization("t-share", "one", "mono",
                  "  path: apps\n  targetNamespace: t-share\n  namePrefix: one-\n"
                  "  patches:\n  - patch: |\n      apiVersion: v1\n      kind: ConfigMap\n"
                  "      metadata: {name: cfg, labels: {patched: 'yes'}}\n"
                  "    target: {kind: ConfigMap}\n");
    kustomization("t-share", "two", "mono", "  path: ./apps/\n  targetNamespace: t-share\n  namePrefix: two-\n");
    kustomization("t-share", "three", "mono", "  path: plain\n  targetNamespace: t-share\n");
    make_ns("t-share-other");
    kapply("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
           "metadata: {name: cross, namespace: t-share-other}\n"
           "spec: {interval: 1m, prune: true, path: apps, targetNamespace: t-share-other,\n"
           "       sourceRef: {kind: GitRepository, name: mono, namespace: t-share}}\n");
    expect_ready("t-share-other", "cross", "True", NULL);
    assert_true(exists("v1", "ConfigMap", "t-share-other", "cfg"));
    expect_ready("t-share", "one", "True", NULL);
    expect_ready("t-share", "two", "True", NULL);
    expect_ready("t-share", "three", "True", NULL);
    json_object *one = get("v1", "ConfigMap", "t-share", "one-cfg");
    json_object *two = get("v1", "ConfigMap", "t-share", "two-cfg");
    assert_non_null(one);
    assert_non_null(two);
    assert_string_equal(label(one, "patched"), "yes");
    assert_string_equal(label(two, "patched"), "(none)");
    assert_string_equal(label(two, "kustomize.toolkit.fluxcd.io/name"), "two");
    json_object_put(one);
    json_object_put(two);
    assert_true(exists("v1", "ConfigMap", "t-share", "plain"));
}

/* kustomize.toolkit.fluxcd.io/ssa: IfNotPresent creates once and never updates;
 * Ignore never applies. Fields kubectl set that Git lacks are removed once the
 * controller takes kubectl's field ownership over, as Flux does. */
static void test_ssa_annotations(void **state)
{
    (void)state;
    make_ns("t-ssa");
    json_object *legacy = yaml("apiVersion: v1\nkind: ConfigMap\n"
                               "metadata: {name: legacy, namespace: t-ssa}\n"
                               "data: {a: '1', extra: from-kubectl}\n");
    gotk_kube_opts ko = {.field_manager = "kubectl"};
    assert_null(gotk_kube_create(srv.client, legacy, &ko, NULL));
    json_object_put(legacy);
    publish("t-ssa", "repo", "once.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: once\n  annotations:\n"
            "    kustomize.toolkit.fluxcd.io/ssa: IfNotPresent\ndata: {v: first}\n",
            "never.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: never\n  annotations:\n"
            "    kustomize.toolkit.fluxcd.io/ssa: Ignore\ndata: {v: first}\n",
            "legacy.yaml", CM("legacy", "a", "'1'"));
    kustomization("t-ssa", "ks", "repo", "  targetNamespace: t-ssa\n");
    expect_ready("t-ssa", "ks", "True", NULL);
    expect_cm("t-ssa", "once", "v", "first");
    assert_false(exists("v1", "ConfigMap", "t-ssa", "never"));
    expect_cm("t-ssa", "legacy", "extra", ABSENT);
    publish("t-ssa", "repo", "once.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: once\n  annotations:\n"
            "    kustomize.toolkit.fluxcd.io/ssa: IfNotPresent\ndata: {v: second}\n",
            "legacy.yaml", CM("legacy", "a", "'1'"), "marker.yaml", CM("marker", "v", "'2'"));
    expect_cm("t-ssa", "marker", "v", "2");
    expect_cm("t-ssa", "once", "v", "first");
}

/* The uid of a live object ("" when it does not exist), copied into `out`. */
static void uid_of(const char *api, const char *kind, const char *ns, const char *name,
                   char out[64])
{
    json_object *o = get(api, kind, ns, name);
    const char *u = o ? gotk_obj_get_str(o, "metadata.uid") : NULL;
    snprintf(out, 64, "%s", u ? u : "");
    json_object_put(o);
}

#define DEPLOY(sel)                                                                          \
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"                          \
    "spec:\n  selector: {matchLabels: {app: " sel "}}\n  template:\n"                            \
    "    metadata: {labels: {app: " sel "}}\n"                                                 \
    "    spec: {containers: [{name: web, image: 'nginx:1.25'}]}\n"

/* A change to an immutable field fails with the API's reason and leaves the
 * object alone; with spec.force, or the force annotation on the object, the
 * object is deleted and created anew (a new uid). */
static void test_force_recreate(void **state)
{
    (void)state;
    make_ns("t-force");
    publish("t-force", "repo", "deploy.yaml", DEPLOY("a"));
    kustomization("t-force", "ks", "repo", "  targetNamespace: t-force\n");
    expect_ready("t-force", "ks", "True", "Applied revision");
    char uid0[64], uid1[64], uid2[64];
    uid_of("apps/v1", "Deployment", "t-force", "web", uid0);
    assert_true(*uid0);
    publish("t-force", "repo", "deploy.yaml", DEPLOY("b"));
    expect_ready("t-force", "ks", "False",
                 "Deployment/t-force/web dry-run failed (Invalid): Deployment.apps \"web\" is "
                 "invalid: spec.selector: Invalid value:");
    expect_ready("t-force", "ks", "False", "field is immutable");
    uid_of("apps/v1", "Deployment", "t-force", "web", uid1);
    assert_string_equal(uid0, uid1);
    kustomization("t-force", "ks", "repo", "  targetNamespace: t-force\n  force: true\n");
    expect_ready("t-force", "ks", "True", "Applied revision");
    uid_of("apps/v1", "Deployment", "t-force", "web", uid1);
    assert_true(*uid1);
    assert_string_not_equal(uid0, uid1);
    json_object *d = get("apps/v1", "Deployment", "t-force", "web");
    assert_string_equal(gotk_obj_get_str(d, "spec.selector.matchLabels.app"), "b");
    json_object_put(d);
    /* Without spec.force, the object's own annotation asks for it. */
    kustomization("t-force", "ks", "repo", "  targetNamespace: t-force\n  force: false\n");
    publish("t-force", "repo", "deploy.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n"
            "    kustomize.toolkit.fluxcd.io/force: Enabled\n"
            "spec:\n  selector: {matchLabels: {app: c}}\n  template:\n"
            "    metadata: {labels: {app: c}}\n"
            "    spec: {containers: [{name: web, image: 'nginx:1.25'}]}\n");
    for (int i = 0; i < 600; i++) {
        uid_of("apps/v1", "Deployment", "t-force", "web", uid2);
        if (*uid2 && strcmp(uid2, uid1))
            break;
        nap_ms(50);
    }
    assert_true(*uid2);
    assert_string_not_equal(uid1, uid2);
    expect_ready("t-force", "ks", "True", "Applied revision");
    assert_true(event_has("t-force", "Deployment/t-force/web created"));
}

/* Did the audit log record `verb` on `resource` ns/name done as `user`? */
static bool audited_as(const char *verb, const char *resource, const char *ns, const char *name,
                       const char *user)
{
    char *log = NULL;
    size_t len = 0;
    if (gotk_file_read(srv.audit_log, &log, &len))
        return false;
    bool found = false;
    for (char *line = log, *nl; line && *line && !found; line = nl ? nl + 1 : NULL) {
        if ((nl = strchr(line, '\n')))
            *nl = '\0';
        json_object *ev = json_tokener_parse(line);
        const char *v = gotk_obj_get_str(ev, "verb"), *r = gotk_obj_get_str(ev, "objectRef.resource"),
                   *n = gotk_obj_get_str(ev, "objectRef.name"),
                   *s = gotk_obj_get_str(ev, "objectRef.namespace"),
                   *u = gotk_obj_get_str(ev, "impersonatedUser.username");
        found = v && r && n && s && u && !strcmp(v, verb) && !strcmp(r, resource) &&
                !strcmp(n, name) && !strcmp(s, ns) && !strcmp(u, user);
        json_object_put(ev);
    }
    free(log);
    return found;
}

/* serviceAccountName: the controller acts as system:serviceaccount:NS:NAME for
 * the objects it applies, as the API server's audit log shows. */
static void test_impersonation(void **state)
{
    (void)state;
    make_ns("t-sa");
    kapply("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: deployer, namespace: t-sa}\n");
    publish("t-sa", "repo", "cm.yaml", CM("as-sa", "v", "one"));
    kustomization("t-sa", "ks", "repo", "  targetNamespace: t-sa\n  serviceAccountName: deployer\n");
    expect_ready("t-sa", "ks", "True", "Applied revision");
    assert_true(audited_as("patch", "configmaps", "t-sa", "as-sa",
                           "system:serviceaccount:t-sa:deployer"));
    /* The Kustomization's own status is the controller's, not the account's. */
    assert_false(audited_as("patch", "kustomizations", "t-sa", "ks",
                            "system:serviceaccount:t-sa:deployer"));
}

/* As Flux, files anywhere in the artifact load (no load restrictor), but
 * nothing outside it. */
static void test_load_within_artifact(void **state)
{
    (void)state;
    make_ns("t-load");
    publish("t-load", "repo", "patches/color.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {color: green}\n",
            "apps/overlay/kustomization.yaml",
            "resources: [cm.yaml]\npatches: [{path: ../../patches/color.yaml}]\n",
            "apps/overlay/cm.yaml", CM("cfg", "color", "blue"));
    kustomization("t-load", "ks", "repo", "  path: ./apps/overlay\n  targetNamespace: t-load\n");
    expect_cm("t-load", "cfg", "color", "green");
    expect_ready("t-load", "ks", "True", "Applied revision");
    publish("t-load", "repo", "apps/overlay/kustomization.yaml",
            "resources: [cm.yaml, ../../../../../../../../../../etc/hostname]\n",
            "apps/overlay/cm.yaml", CM("cfg", "color", "blue"));
    expect_ready("t-load", "ks", "False", "/etc/hostname' is not in or below '");
    expect_cm("t-load", "cfg", "color", "green");
}

/* The work tree links the entries beside spec.path only when the build can
 * reach them: a base and a component named with "../" still resolve, and a
 * path whose files never leave it builds alone beside many siblings. */
static void test_siblings_when_reached(void **state)
{
    (void)state;
    make_ns("t-sib");
    publish("t-sib", "repo", "apps/base/kustomization.yaml", "resources: [cm.yaml]\n",
            "apps/base/cm.yaml", CM("base", "from", "base"),
            "apps/comp/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
            "resources: [extra.yaml]\n",
            "apps/comp/extra.yaml", CM("extra", "from", "comp"),
            "apps/overlay/kustomization.yaml", "resources: [../base]\n",
            "apps/alone/cm.yaml", CM("alone", "from", "alone"),
            "apps/other/cm.yaml", CM("other", "from", "other"));
    kustomization("t-sib", "overlay", "repo",
                  "  path: apps/overlay\n  targetNamespace: t-sib\n  namePrefix: ov-\n"
                  "  components: [../comp]\n");
    kustomization("t-sib", "alone", "repo", "  path: apps/alone\n  targetNamespace: t-sib\n");
    expect_ready("t-sib", "overlay", "True", "Applied revision");
    expect_ready("t-sib", "alone", "True", "Applied revision");
    expect_cm("t-sib", "ov-base", "from", "base");
    expect_cm("t-sib", "ov-extra", "from", "comp");
    expect_cm("t-sib", "alone", "from", "alone");
    assert_false(exists("v1", "ConfigMap", "t-sib", "other"));
}

/* ---- bad input: Ready False with the reason, and nothing applied ---------------- */

/* Publish `files`, make a Kustomization and expect Ready False with `want`; the
 * ConfigMap `sentinel` from the same build must not appear. */
static void expect_failure(const char *ns, const char *extra, const char *want,
                           const char *const *fl)
{
    make_ns(ns);
    publish_ex(ns, "repo", false, fl);
    kustomization(ns, "ks", "repo", extra);
    expect_ready(ns, "ks", "False", want);
    assert_false(exists("v1", "ConfigMap", ns, "sentinel"));
}

#define SENTINEL "ok.yaml", CM("sentinel", "v", "x")

static void test_bad_yaml(void **state)
{
    (void)state;
    expect_failure("t-badyaml", "  targetNamespace: t-badyaml\n",
                   "bad.yaml:4:5: did not find expected ',' or '}'",
                   (const char *const[]){SENTINEL, "bad.yaml",
                                         "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n"
                                         "data:\n  - : :\n",
                                         NULL});
}

static void test_kustomize_error(void **state)
{
    (void)state;
    expect_failure("t-kerr", "  targetNamespace: t-kerr\n", "kustomize build failed",
                   (const char *const[]){SENTINEL, "kustomization.yaml",
                                         "resources: [ok.yaml, missing.yaml]\n", NULL});
}

static void test_unknown_kind(void **state)
{
    (void)state;
    expect_failure("t-kind", "  targetNamespace: t-kind\n",
                   "Gadget/t-kind/g dry-run failed: no matches for kind \"Gadget\"",
                   (const char *const[]){SENTINEL, "g.yaml",
                                         "apiVersion: nowhere.example.com/v1\nkind: Gadget\n"
                                         "metadata: {name: g}\n",
                                         NULL});
}

static void test_api_rejects(void **state)
{
    (void)state;
    expect_failure("t-reject", "  targetNamespace: t-reject\n",
                   "ConfigMap/t-reject/Bad_Name dry-run failed (Invalid)",
                   (const char *const[]){SENTINEL, "bad.yaml", CM("Bad_Name", "v", "x"), NULL});
}

static void test_missing_variable(void **state)
{
    (void)state;
    expect_failure("t-novar",
                   "  targetNamespace: t-novar\n  postBuild: {substitute: {known: yes-it-is}}\n",
                   "variable not set (strict mode): \"unknown\"",
                   (const char *const[]){SENTINEL, "v.yaml", CM("v", "x", "${unknown}"), NULL});
    char st[16], msg[4096];
    assert_true(ready_of("t-novar", "ks", st, msg, sizeof msg));
    assert_non_null(strstr(msg, "post build failed for '~G_v1_ConfigMap/v'"));
}

static void test_digest_mismatch(void **state)
{
    (void)state;
    make_ns("t-digest");
    publish_ex("t-digest", "repo", true, (const char *const[]){SENTINEL, NULL});
    kustomization("t-digest", "ks", "repo", "  targetNamespace: t-digest\n");
    expect_ready("t-digest", "ks", "False", "doesn't match 'sha256:0000");
    assert_false(exists("v1", "ConfigMap", "t-digest", "sentinel"));
    json_object *k = get("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "t-digest", "ks");
    assert_string_equal(gotk_obj_get_str(gotk_cond_get(k, "Ready"), "reason"), "ArtifactFailed");
    json_object_put(k);
}

static void test_source_not_found(void **state)
{
    (void)state;
    make_ns("t-nosrc");
    kustomization("t-nosrc", "ks", "nowhere", "");
    expect_ready("t-nosrc", "ks", "False", "not found");
    char st[16], msg[4096];
    assert_true(ready_of("t-nosrc", "ks", st, msg, sizeof msg));
    assert_non_null(strstr(msg, "nowhere"));
}

static void test_no_artifact_yet(void **state)
{
    (void)state;
    make_ns("t-noart");
    kapply("apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\n"
           "metadata: {name: repo, namespace: t-noart}\n"
           "spec: {url: 'https://example.com/repo', interval: 1h}\n");
    kustomization("t-noart", "ks", "repo", "");
    expect_ready("t-noart", "ks", "False", "Source artifact not found, retrying in 1s");
}

static void test_decryption_refused(void **state)
{
    (void)state;
    expect_failure("t-sops",
                   "  targetNamespace: t-sops\n  decryption: {provider: sops}\n",
                   "decryption is not supported yet",
                   (const char *const[]){SENTINEL, NULL});
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s GOTK_APISERVER KUSTOMIZE_CONTROLLER\n", argv[0]);
        return 2;
    }
    server_bin = argv[1];
    controller_bin = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_apply_labels_inventory),
        cmocka_unit_test(test_change_and_prune),
        cmocka_unit_test(test_no_prune),
        cmocka_unit_test(test_drift_corrected),
        cmocka_unit_test(test_depends_on),
        cmocka_unit_test(test_crd_before_cr),
        cmocka_unit_test(test_post_build),
        cmocka_unit_test(test_suspend_resume),
        cmocka_unit_test(test_deletion_policy),
        cmocka_unit_test(test_health),
        cmocka_unit_test(test_shared_artifact),
        cmocka_unit_test(test_ssa_annotations),
        cmocka_unit_test(test_force_recreate),
        cmocka_unit_test(test_impersonation),
        cmocka_unit_test(test_load_within_artifact),
        cmocka_unit_test(test_siblings_when_reached),
        cmocka_unit_test(test_bad_yaml),
        cmocka_unit_test(test_kustomize_error),
        cmocka_unit_test(test_unknown_kind),
        cmocka_unit_test(test_api_rejects),
        cmocka_unit_test(test_missing_variable),
        cmocka_unit_test(test_digest_mismatch),
        cmocka_unit_test(test_source_not_found),
        cmocka_unit_test(test_no_artifact_yet),
        cmocka_unit_test(test_decryption_refused),
    };
    if (getenv("KC_TEST_FILTER"))
        cmocka_set_test_filter(getenv("KC_TEST_FILTER"));
    return cmocka_run_group_tests(tests, setup, teardown);
}
