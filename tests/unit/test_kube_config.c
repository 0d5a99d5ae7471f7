/* kube: kubeconfig loading and merging, exec plugins, in-cluster config. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "../../libgotk/kube/internal.h"
#include "gotk/kube.h"

/* A temp dir per test, removed afterwards. */
static int setup_dir(void **state)
{
    char *dir = NULL;
    gotk_err *e = gotk_file_temp_dir("kubecfg", &dir);
    if (e) {
        gotk_err_free(e);
        return -1;
    }
    *state = dir;
    unsetenv("KUBECONFIG");
    unsetenv("KUBERNETES_SERVICE_HOST");
    unsetenv("KUBERNETES_SERVICE_PORT");
    return 0;
}

static int teardown_dir(void **state)
{
    gotk_err_free(gotk_file_remove_all(*state));
    free(*state);
    return 0;
}

/* Write `text` to dir/name and return the path (caller frees). */
static char *write_file(const char *dir, const char *name, const char *text)
{
    char *path = gotk_xasprintf("%s/%s", dir, name);
    char *slash = strrchr(path, '/');
    *slash = 0;
    gotk_err_free(gotk_file_mkdir_all(path, 0755));
    *slash = '/';
    gotk_err *e = gotk_file_write_atomic(path, text, strlen(text), 0600);
    assert_null(e);
    return path;
}

/* base64("CA PEM") etc. */
#define CA_B64 "Q0EgUEVN"      /* "CA PEM" */
#define CERT_B64 "Q0VSVA=="    /* "CERT" */
#define KEY_B64 "S0VZ"         /* "KEY" */

static const char *kc_one =
    "apiVersion: v1\n"
    "kind: Config\n"
    "current-context: dev\n"
    "clusters:\n"
    "- name: dev-cluster\n"
    "  cluster:\n"
    "    server: https://127.0.0.1:6443/\n"
    "    certificate-authority-data: " CA_B64 "\n"
    "- name: prod-cluster\n"
    "  cluster:\n"
    "    server: prod.example.com:443\n"
    "    insecure-skip-tls-verify: true\n"
    "users:\n"
    "- name: dev-user\n"
    "  user:\n"
    "    token: s3cr3t\n"
    "- name: cert-user\n"
    "  user:\n"
    "    client-certificate-data: " CERT_B64 "\n"
    "    client-key-data: " KEY_B64 "\n"
    "    as: alice\n"
    "    as-groups: [devs, ops]\n"
    "contexts:\n"
    "- name: dev\n"
    "  context: {cluster: dev-cluster, user: dev-user, namespace: team-a}\n"
    "- name: prod\n"
    "  context: {cluster: prod-cluster, user: cert-user}\n";

static void test_single_file_current_context(void **state)
{
    char *path = write_file(*state, "config", kc_one);
    gotk_kube_config *c = NULL;
    const char *p = path;
    assert_null(gotk_kube_config_from_files(&p, 1, true, NULL, &c));
    assert_string_equal(c->server, "https://127.0.0.1:6443");
    assert_string_equal(c->namespace_, "team-a");
    assert_string_equal(c->context, "dev");
    assert_int_equal(c->ca_len, 6);
    assert_memory_equal(c->ca_data, "CA PEM", 6);
    assert_string_equal(c->token, "s3cr3t");
    assert_false(c->insecure);
    assert_null(c->cert_data);
    assert_true(c->qps == 50);
    assert_int_equal(c->burst, 300);
    gotk_kube_config_free(c);
    free(path);
}

static void test_explicit_context(void **state)
{
    char *path = write_file(*state, "config", kc_one);
    gotk_kube_config *c = NULL;
    const char *p = path;
    assert_null(gotk_kube_config_from_files(&p, 1, true, "prod", &c));
    assert_string_equal(c->server, "https://prod.example.com:443");
    assert_string_equal(c->namespace_, "default");
    assert_true(c->insecure);
    assert_null(c->token);
    assert_memory_equal(c->cert_data, "CERT", 4);
    assert_memory_equal(c->key_data, "KEY", 3);
    assert_string_equal(c->impersonate_user, "alice");
    assert_string_equal(c->impersonate_groups[0], "devs");
    assert_string_equal(c->impersonate_groups[1], "ops");
    assert_null(c->impersonate_groups[2]);
    gotk_kube_config *d = gotk_kube_config_copy(c);
    gotk_kube_config_free(c);
    assert_memory_equal(d->key_data, "KEY", 3);
    gotk_kube_config_impersonate(d, "system:serviceaccount:ns:sa");
    assert_string_equal(d->impersonate_user, "system:serviceaccount:ns:sa");
    gotk_kube_config_free(d);
    free(path);
}

static void test_missing_context(void **state)
{
    char *path = write_file(*state, "config", kc_one);
    gotk_kube_config *c = NULL;
    const char *p = path;
    gotk_err *e = gotk_kube_config_from_files(&p, 1, true, "nope", &c);
    assert_non_null(e);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_NOTFOUND);
    assert_string_equal(gotk_err_msg(e),
                        "invalid configuration: context was not found for specified context: nope");
    gotk_err_free(e);
    free(path);
}

static void test_merge_first_wins(void **state)
{
    const char *a = "current-context: ''\n"
                    "clusters:\n"
                    "- name: shared\n"
                    "  cluster: {server: 'https://first:1'}\n"
                    "users:\n"
                    "- name: u\n"
                    "  user: {token: first-token}\n";
    const char *b = "current-context: ctx\n"
                    "clusters:\n"
                    "- name: shared\n"
                    "  cluster: {server: 'https://second:2'}\n"
                    "users:\n"
                    "- name: u\n"
                    "  user: {token: second-token}\n"
                    "contexts:\n"
                    "- name: ctx\n"
                    "  context: {cluster: shared, user: u}\n";
    char *pa = write_file(*state, "a/config", a);
    char *pb = write_file(*state, "b/config", b);
    char *list = gotk_xasprintf("%s/missing:%s::%s", (char *)*state, pa, pb);
    setenv("KUBECONFIG", list, 1);
    gotk_kube_load_opts o = {.no_in_cluster = true};
    gotk_kube_config *c = NULL;
    assert_null(gotk_kube_config_load(&o, &c));
    assert_string_equal(c->server, "https://first:1");
    assert_string_equal(c->token, "first-token");
    assert_string_equal(c->context, "ctx");
    gotk_kube_config_free(c);
    unsetenv("KUBECONFIG");
    free(list);
    free(pa);
    free(pb);
}

static void test_relative_paths(void **state)
{
    char *ca = write_file(*state, "k/certs/ca.pem", "FILE CA");
    char *tok = write_file(*state, "k/token", "file-token\n");
    char *crt = write_file(*state, "k/c.crt", "C");
    char *key = write_file(*state, "k/c.key", "K");
    const char *kc = "current-context: x\n"
                     "clusters: [{name: c, cluster: {server: 'https://h:1', "
                     "certificate-authority: certs/ca.pem}}]\n"
                     "users: [{name: u, user: {tokenFile: token, client-certificate: c.crt, "
                     "client-key: c.key}}]\n"
                     "contexts: [{name: x, context: {cluster: c, user: u}}]\n";
    char *path = write_file(*state, "k/config", kc);
    gotk_kube_load_opts o = {.kubeconfig = path};
    gotk_kube_config *c = NULL;
    assert_null(gotk_kube_config_load(&o, &c));
    assert_int_equal(c->ca_len, 7);
    assert_memory_equal(c->ca_data, "FILE CA", 7);
    assert_string_equal(c->token_file, tok);
    assert_null(c->token);
    assert_memory_equal(c->cert_data, "C", 1);
    assert_memory_equal(c->key_data, "K", 1);
    gotk_kube_config_free(c);
    free(ca);
    free(tok);
    free(crt);
    free(key);
    free(path);
}

static void test_bad_configs(void **state)
{
    static const struct {
        const char *yaml, *msg;
    } cases[] = {
        {"current-context: x\nclusters: [{name: c, cluster: {server: 'https://h'}}]\n"
         "users: [{name: u, user: {client-certificate-data: " CERT_B64 "}}]\n"
         "contexts: [{name: x, context: {cluster: c, user: u}}]\n",
         "invalid configuration: user \"u\" needs both a client certificate and a client key"},
        {"current-context: x\nclusters: [{name: c, cluster: {}}]\n"
         "contexts: [{name: x, context: {cluster: c}}]\n",
         "invalid configuration: no server found for cluster \"c\""},
        {"current-context: x\ncontexts: [{name: x, context: {cluster: gone}}]\n",
         "invalid configuration: cluster \"gone\" of context \"x\" was not found"},
        {"apiVersion: v1\n",
         "invalid configuration: no configuration has been provided (no current-context)"},
        {"current-context: x\nclusters: [{name: c, cluster: {server: 'https://h', "
         "certificate-authority: /nonexistent/ca.pem}}]\n"
         "contexts: [{name: x, context: {cluster: c}}]\n",
         "cluster \"c\": reading certificate authority certificate-authority: "},
        {"current-context: x\nclusters: [{name: c, cluster: {server: 'https://h'}}]\n"
         "users: [{name: u, user: {exec: {command: foo, apiVersion: "
         "client.authentication.k8s.io/v1alpha1}}}]\n"
         "contexts: [{name: x, context: {cluster: c, user: u}}]\n",
         "user \"u\": exec plugin: invalid apiVersion \"client.authentication.k8s.io/v1alpha1\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *path = write_file(*state, "bad", cases[i].yaml);
        const char *p = path;
        gotk_kube_config *c = NULL;
        gotk_err *e = gotk_kube_config_from_files(&p, 1, true, NULL, &c);
        assert_non_null(e);
        if (strncmp(gotk_err_msg(e), cases[i].msg, strlen(cases[i].msg)) != 0)
            fail_msg("case %zu: got \"%s\"", i, gotk_err_msg(e));
        gotk_err_free(e);
        free(path);
    }
    gotk_kube_load_opts o = {.kubeconfig = "/nonexistent/kubeconfig"};
    gotk_kube_config *c = NULL;
    gotk_err *e = gotk_kube_config_load(&o, &c);
    assert_non_null(e);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_NOTFOUND);
    assert_non_null(strstr(gotk_err_msg(e), "/nonexistent/kubeconfig"));
    gotk_err_free(e);
}

static void test_in_cluster(void **state)
{
    char *tok = write_file(*state, "sa/token", "sa-token\n");
    char *ca = write_file(*state, "sa/ca.crt", "SA CA");
    char *ns = write_file(*state, "sa/namespace", "flux-system\n");
    char *root = gotk_xasprintf("%s/sa", (char *)*state);
    gotk_kube_config *c = NULL;
    gotk_err *e = gotk_kube_config_in_cluster(root, &c);
    assert_non_null(e);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_NOTFOUND);
    assert_string_equal(gotk_err_msg(e),
                        "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and "
                        "KUBERNETES_SERVICE_PORT must be defined");
    gotk_err_free(e);
    setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1", 1);
    setenv("KUBERNETES_SERVICE_PORT", "443", 1);
    gotk_kube_load_opts o = {.in_cluster_root = root};
    assert_null(gotk_kube_config_load(&o, &c));
    assert_string_equal(c->server, "https://10.0.0.1:443");
    assert_string_equal(c->token_file, tok);
    assert_memory_equal(c->ca_data, "SA CA", 5);
    assert_string_equal(c->namespace_, "flux-system");
    assert_null(c->context);
    gotk_kube_config_free(c);
    setenv("KUBERNETES_SERVICE_HOST", "fd00::1", 1);
    assert_null(gotk_kube_config_in_cluster(root, &c));
    assert_string_equal(c->server, "https://[fd00::1]:443");
    gotk_kube_config_free(c);
    unlink(tok);
    e = gotk_kube_config_in_cluster(root, &c);
    assert_non_null(e);
    assert_non_null(strstr(gotk_err_msg(e), "reading the service account token"));
    gotk_err_free(e);
    unsetenv("KUBERNETES_SERVICE_HOST");
    unsetenv("KUBERNETES_SERVICE_PORT");
    free(tok);
    free(ca);
    free(ns);
    free(root);
}

static void test_home_fallback(void **state)
{
    char *path = write_file(*state, "home/.kube/config", kc_one);
    char *home = gotk_xasprintf("%s/home", (char *)*state);
    char *old = getenv("HOME") ? gotk_xstrdup(getenv("HOME")) : NULL;
    setenv("HOME", home, 1);
    gotk_kube_config *c = NULL;
    assert_null(gotk_kube_config_load(NULL, &c));
    assert_string_equal(c->context, "dev");
    gotk_kube_config_free(c);
    setenv("HOME", *state, 1); /* no .kube/config there */
    gotk_kube_load_opts o = {.no_in_cluster = true};
    gotk_err *e = gotk_kube_config_load(&o, &c);
    assert_non_null(e);
    assert_non_null(strstr(gotk_err_msg(e), "no configuration has been provided"));
    gotk_err_free(e);
    if (old)
        setenv("HOME", old, 1);
    free(old);
    free(home);
    free(path);
}

static const char *kc_exec_fmt =
    "current-context: x\n"
    "clusters: [{name: c, cluster: {server: 'https://h:1', certificate-authority-data: " CA_B64
    "}}]\n"
    "users:\n"
    "- name: u\n"
    "  user:\n"
    "    exec:\n"
    "      apiVersion: client.authentication.k8s.io/v1\n"
    "      command: %s\n"
    "      args: [--region, eu]\n"
    "      env: [{name: PLUGIN_MODE, value: test}]\n"
    "      provideClusterInfo: true\n"
    "      installHint: install the plugin\n"
    "contexts: [{name: x, context: {cluster: c, user: u}}]\n";

/* A config whose user runs `cmd`. */
static gotk_kube_config *exec_config(const char *dir, const char *cmd)
{
    char *yaml = gotk_xasprintf(kc_exec_fmt, cmd);
    char *path = write_file(dir, "config", yaml);
    const char *p = path;
    gotk_kube_config *c = NULL;
    gotk_err *e = gotk_kube_config_from_files(&p, 1, true, NULL, &c);
    assert_null(e);
    free(yaml);
    free(path);
    return c;
}

static void test_exec_plugin(void **state)
{
    /* The plugin checks its args, env and KUBERNETES_EXEC_INFO, then answers. */
    const char *script =
        "#!/bin/sh\n"
        "[ \"$1 $2\" = '--region eu' ] || exit 3\n"
        "[ \"$PLUGIN_MODE\" = test ] || exit 4\n"
        "case \"$KUBERNETES_EXEC_INFO\" in *'\"server\":\"https://h:1\"'*) ;; *) exit 5;; esac\n"
        "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
        "\"status\":{\"token\":\"plugin-token\",\"expirationTimestamp\":\"2099-01-01T00:00:00Z\"}}'\n";
    char *plugin = write_file(*state, "bin/plugin", script);
    chmod(plugin, 0755);
    gotk_kube_config *c = exec_config(*state, "bin/plugin"); /* relative to the kubeconfig */
    assert_string_equal(c->exec->command, plugin);
    assert_string_equal(c->exec->env[0], "PLUGIN_MODE=test");
    assert_true(c->exec->provide_cluster_info);
    kube_creds cr = {0};
    assert_null(kube_exec_run(c, &cr));
    assert_string_equal(cr.exec_token, "plugin-token");
    assert_true(cr.exec_valid);
    assert_int_equal(cr.exec_expiry, 4070908800);
    free(cr.exec_token);
    gotk_kube_config_free(c);
    free(plugin);
}

static void test_exec_plugin_failures(void **state)
{
    static const struct {
        const char *script, *msg;
    } cases[] = {
        {"#!/bin/sh\nexit 7\n",
         "getting credentials: exec: executable %s failed with exit code 7"},
        {"#!/bin/sh\necho 'secret-looking output'\n",
         "getting credentials: exec plugin: decoding stdout: not a JSON object"},
        {"#!/bin/sh\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\","
         "\"kind\":\"ExecCredential\",\"status\":{\"token\":\"t\"}}'\n",
         "getting credentials: exec plugin is configured to use API version "
         "client.authentication.k8s.io/v1, plugin returned version "
         "client.authentication.k8s.io/v1beta1"},
        {"#!/bin/sh\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1\","
         "\"kind\":\"ExecCredential\",\"status\":{}}'\n",
         "getting credentials: exec plugin didn't return a token or cert/key pair"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *plugin = write_file(*state, "p.sh", cases[i].script);
        chmod(plugin, 0755);
        gotk_kube_config *c = exec_config(*state, plugin);
        kube_creds cr = {0};
        gotk_err *e = kube_exec_run(c, &cr);
        assert_non_null(e);
        char *want = gotk_xasprintf(cases[i].msg, plugin);
        assert_string_equal(gotk_err_msg(e), want);
        assert_null(strstr(gotk_err_msg(e), "secret"));
        free(want);
        gotk_err_free(e);
        gotk_kube_config_free(c);
        free(plugin);
    }
    gotk_kube_config *c = exec_config(*state, "no-such-plugin-xyz");
    kube_creds cr = {0};
    gotk_err *e = kube_exec_run(c, &cr);
    assert_non_null(e);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_NOTFOUND);
    assert_string_equal(gotk_err_msg(e), "getting credentials: exec: executable "
                                         "no-such-plugin-xyz not found\n\ninstall the plugin");
    gotk_err_free(e);
    gotk_kube_config_free(c);
}

/* Random byte changes to a kubeconfig give a config or an error, never a crash. */
static void test_mutated_kubeconfigs(void **state)
{
    size_t len = strlen(kc_one);
    char *buf = gotk_xmalloc(len + 1);
    unsigned seed = 777;
    int loaded = 0, failed = 0;
    for (int round = 0; round < 300; round++) {
        memcpy(buf, kc_one, len + 1);
        static const char junk[] = ":-[]{}'\"\n #a0";
        for (int k = 0; k < 1 + round % 4; k++)
            buf[rand_r(&seed) % len] = junk[rand_r(&seed) % (sizeof junk - 1)];
        char *path = write_file(*state, "mutated", buf);
        const char *p = path;
        gotk_kube_config *c = NULL;
        gotk_err *e = gotk_kube_config_from_files(&p, 1, true, NULL, &c);
        if (e) {
            assert_true(strlen(gotk_err_msg(e)) > 0);
            assert_null(strstr(gotk_err_msg(e), "s3cr3t"));
            gotk_err_free(e);
            failed++;
        } else {
            assert_non_null(c->server);
            gotk_kube_config_free(c);
            loaded++;
        }
        free(path);
    }
    assert_true(loaded > 0 && failed > 0);
    free(buf);
}

static void test_sa_user(void **state)
{
    (void)state;
    char *u = gotk_kube_sa_user("apps", "deployer");
    assert_string_equal(u, "system:serviceaccount:apps:deployer");
    free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_single_file_current_context, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_explicit_context, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_missing_context, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_merge_first_wins, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_relative_paths, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_bad_configs, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_in_cluster, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_home_fallback, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_exec_plugin, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_exec_plugin_failures, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_mutated_kubeconfigs, setup_dir, teardown_dir),
        cmocka_unit_test(test_sa_user),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
