/*
 * The kube transport against lighttpd over TLS: what gotk-apiserver does not
 * exercise. lighttpd-tls.sh (argv[1]) makes a CA, server and client certificates
 * and serves static files over HTTPS with HTTP/2 on and a client certificate
 * required. The tests check CA verification (file and data, a wrong CA fails),
 * client certificates from files and from base64 data (none fails the
 * handshake), insecure-skip-tls-verify, HTTP/2 being negotiated, connection
 * reuse over it, the generic error for a 404 that carries no Status, an exec
 * plugin handing out a client certificate, tls-server-name and proxy-url; and
 * recorded watch streams with awkward framing (CRLF, blank lines, an object
 * larger than a read, no final newline, ERROR events, bad lines), blocking and on
 * an event loop.
 * Exits 77 (skipped) when lighttpd, lighttpd-mod-openssl or openssl is missing.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "gotk/kube.h"
#include "gotk/obj.h"

extern char **environ;

static const char *script;

typedef struct {
    char *dir;
    pid_t pid;
    int port;
} server;

/* A port that was free a moment ago. */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int port = -1;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* Whether something accepts connections on the port. */
static bool port_open(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bool ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

/* Whether the process is still running. */
static bool alive(pid_t pid)
{
    int st;
    return waitpid(pid, &st, WNOHANG) == 0;
}

/* Start the script on a free port; try again if another process took the port. */
static int server_start(server *s)
{
    for (int attempt = 0; attempt < 5; attempt++) {
        s->port = free_port();
        char port[16];
        snprintf(port, sizeof port, "%d", s->port);
        char *log = gotk_xasprintf("%s/lighttpd.log", s->dir);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        posix_spawn_file_actions_adddup2(&fa, 1, 2);
        char *argv[] = {"/bin/sh", (char *)script, s->dir, port, NULL};
        int rc = posix_spawn(&s->pid, "/bin/sh", &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        free(log);
        if (rc != 0)
            return -1;
        for (int i = 0; i < 500 && alive(s->pid); i++) { /* up to 5 s (certs on first start) */
            if (port_open(s->port))
                return 0;
            usleep(10000);
        }
        if (!alive(s->pid))
            continue;
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
    }
    s->pid = 0;
    return -1;
}

/* Write www/<rel> (directories made as needed). */
static void put_file(const char *www, const char *rel, const char *text)
{
    char *path = gotk_xasprintf("%s/%s", www, rel);
    char *slash = strrchr(path, '/');
    *slash = 0;
    gotk_err_free(gotk_file_mkdir_all(path, 0755));
    *slash = '/';
    gotk_err_free(gotk_file_write_atomic(path, text, strlen(text), 0644));
    free(path);
}

#define EV(type, name, rv)                                                                  \
    "{\"type\":\"" type "\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","        \
    "\"metadata\":{\"name\":\"" name "\",\"namespace\":\"default\",\"resourceVersion\":\"" rv  \
    "\"}}}"

/* Recorded watch streams, as the API server sends them, with awkward framing. */
static void write_streams(const char *www)
{
    put_file(www, "discovery-v1",
             "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
             "{\"name\":\"configmaps\",\"singularName\":\"configmap\",\"namespaced\":true,"
             "\"kind\":\"ConfigMap\",\"verbs\":[\"get\",\"list\",\"watch\"],"
             "\"shortNames\":[\"cm\"]}]}");
    /* CRLF, a blank line, a bookmark, an object far larger than a read, and a
     * last event without its newline */
    gotk_buf b = {0};
    gotk_buf_puts(&b, EV("ADDED", "a", "11") "\r\n\n");
    gotk_buf_puts(&b, "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"ConfigMap\","
                      "\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"12\"}}}\n");
    gotk_buf_puts(&b, "{\"type\":\"MODIFIED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":"
                      "\"ConfigMap\",\"metadata\":{\"name\":\"big\",\"resourceVersion\":\"13\"},"
                      "\"data\":{\"blob\":\"");
    for (int i = 0; i < 300000; i++)
        gotk_buf_putc(&b, (char)('a' + i % 26));
    gotk_buf_puts(&b, "\"}}}\n");
    gotk_buf_puts(&b, EV("DELETED", "a", "14"));
    put_file(www, "api/v1/namespaces/default/configmaps", b.data);
    gotk_buf_free(&b);
    put_file(www, "api/v1/namespaces/gone/configmaps",
             EV("ADDED", "x", "39") "\n"
             "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
             "\"status\":\"Failure\",\"message\":\"too old resource version: 5 (40)\","
             "\"reason\":\"Expired\",\"code\":410}}\n");
    put_file(www, "api/v1/namespaces/bad/configmaps", EV("ADDED", "x", "1") "\n{not json\n");
    put_file(www, "api/v1/namespaces/odd/configmaps",
             "{\"type\":\"SURPRISE\",\"object\":{}}\n");
}

static int group_setup(void **state)
{
    signal(SIGPIPE, SIG_IGN);
    server *s = gotk_xcalloc(1, sizeof *s);
    *state = s;
    gotk_err *e = gotk_file_temp_dir("kube-tls", &s->dir);
    if (e) {
        gotk_err_free(e);
        return -1;
    }
    char *www = gotk_xasprintf("%s/www", s->dir);
    gotk_err_free(gotk_file_mkdir_all(www, 0755));
    char *ver = gotk_xasprintf("%s/version", www);
    const char *body = "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0\"}\n";
    e = gotk_file_write_atomic(ver, body, strlen(body), 0644);
    gotk_err_free(e);
    free(ver);
    write_streams(www);
    free(www);
    return server_start(s);
}

static int group_teardown(void **state)
{
    server *s = *state;
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
    }
    gotk_err_free(gotk_file_remove_all(s->dir));
    free(s->dir);
    free(s);
    return 0;
}

/* Base64 of a file in the fixture's tls directory. Caller frees. */
static char *b64_of(server *s, const char *name)
{
    char *path = gotk_xasprintf("%s/tls/%s", s->dir, name), *data = NULL;
    size_t len = 0;
    gotk_err *e = gotk_file_read(path, &data, &len);
    assert_null(e);
    char *b = gotk_base64_encode(data, len);
    free(data);
    free(path);
    return b;
}

/* A client from a kubeconfig for the server whose cluster and user entries are
 * `cluster` and `user` (YAML flow mappings without the server). */
static gotk_err *client_for(server *s, const char *cluster, const char *user,
                            gotk_kube_config **cfg, gotk_kube_client **c)
{
    char *text = gotk_xasprintf("current-context: x\n"
                                "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:%d', %s}}]\n"
                                "users: [{name: u, user: {%s}}]\n"
                                "contexts: [{name: x, context: {cluster: c, user: u}}]\n",
                                s->port, cluster, user);
    char *path = gotk_xasprintf("%s/kubeconfig", s->dir);
    gotk_err *e = gotk_file_write_atomic(path, text, strlen(text), 0600);
    free(text);
    const char *p = path;
    if (!e)
        e = gotk_kube_config_from_files(&p, 1, true, NULL, cfg);
    free(path);
    if (!e)
        e = gotk_kube_client_new(*cfg, c);
    return e;
}

typedef struct {
    char lines[4096];
} trace_log;

/* Keep traced header lines. */
static void trace(const char *line, void *ud)
{
    trace_log *t = ud;
    size_t len = strlen(t->lines);
    snprintf(t->lines + len, sizeof t->lines - len, "%s\n", line);
}

/* Fail with the error's message when there is one. */
static void ok_or_fail(gotk_err *e)
{
    if (e) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", gotk_err_msg(e));
        gotk_err_free(e);
        fail_msg("%s", msg);
    }
}

/* GET /version through `c`, expecting the fixture. */
static void get_version(gotk_kube_client *c)
{
    json_object *v = NULL;
    gotk_err *e = gotk_kube_do_json(c, "GET", "/version", NULL, NULL, 0, &v);
    if (e)
        fail_msg("GET /version: %s", gotk_err_msg(e));
    assert_string_equal(gotk_obj_get_str(v, "gitVersion"), "v1.32.0");
    json_object_put(v);
}

static void test_cert_files_and_http2(void **state)
{
    server *s = *state;
    char *cluster = gotk_xasprintf("certificate-authority: %s/tls/ca.crt", s->dir);
    char *user = gotk_xasprintf("client-certificate: %s/tls/client.crt, client-key: "
                                "%s/tls/client.key",
                                s->dir, s->dir);
    gotk_kube_config *cfg = NULL;
    gotk_kube_client *c = NULL;
    assert_null(client_for(s, cluster, user, &cfg, &c));
    trace_log t = {""};
    gotk_kube_client_set_trace(c, trace, &t);
    for (int i = 0; i < 5; i++)
        get_version(c);
    assert_non_null(strstr(t.lines, "GET /version HTTP/2\n"));
    gotk_kube_stats st;
    gotk_kube_client_stats(c, &st);
    assert_int_equal(st.requests, 5);
    assert_int_equal(st.connections, 1);
    gotk_kube_client_free(c);
    gotk_kube_config_free(cfg);
    free(cluster);
    free(user);
}

static void test_cert_data(void **state)
{
    server *s = *state;
    char *ca = b64_of(s, "ca.crt"), *crt = b64_of(s, "client.crt"), *key = b64_of(s, "client.key");
    char *cluster = gotk_xasprintf("certificate-authority-data: %s", ca);
    char *user = gotk_xasprintf("client-certificate-data: %s, client-key-data: %s", crt, key);
    gotk_kube_config *cfg = NULL;
    gotk_kube_client *c = NULL;
    assert_null(client_for(s, cluster, user, &cfg, &c));
    get_version(c);
    /* a 404 without a Status body gets client-go's generic message */
    gotk_err *e = gotk_kube_do_json(c, "GET", "/api/v1/namespaces/x/configmaps/y", NULL, NULL,
                                    0, NULL);
    assert_non_null(e);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_NOTFOUND);
    assert_string_equal(gotk_err_msg(e), "the server could not find the requested resource");
    gotk_err_free(e);
    gotk_kube_client_free(c);
    gotk_kube_config_free(cfg);
    /* without the client certificate the handshake fails */
    gotk_kube_config *nocert = NULL;
    assert_null(client_for(s, cluster, "token: abc", &nocert, &c));
    e = gotk_kube_do_json(c, "GET", "/version", NULL, NULL, 0, NULL);
    assert_non_null(e);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_IO);
    assert_null(strstr(gotk_err_msg(e), "abc"));
    gotk_err_free(e);
    gotk_kube_client_free(c);
    gotk_kube_config_free(nocert);
    free(cluster);
    free(user);
    free(ca);
    free(crt);
    free(key);
}

static void test_wrong_ca_and_insecure(void **state)
{
    server *s = *state;
    char *user = gotk_xasprintf("client-certificate: %s/tls/client.crt, client-key: "
                                "%s/tls/client.key",
                                s->dir, s->dir);
    char *cluster = gotk_xasprintf("certificate-authority: %s/tls/other-ca.crt", s->dir);
    gotk_kube_config *cfg = NULL;
    gotk_kube_client *c = NULL;
    assert_null(client_for(s, cluster, user, &cfg, &c));
    gotk_err *e = gotk_kube_do_json(c, "GET", "/version", NULL, NULL, 0, NULL);
    assert_non_null(e);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_IO);
    assert_non_null(strstr(gotk_err_msg(e), "certificate"));
    gotk_err_free(e);
    gotk_kube_client_free(c);
    gotk_kube_config_free(cfg);
    free(cluster);
    assert_null(client_for(s, "insecure-skip-tls-verify: true", user, &cfg, &c));
    get_version(c);
    gotk_kube_client_free(c);
    gotk_kube_config_free(cfg);
    free(user);
}

/* An exec plugin may hand out a client certificate and key instead of a token. */
static void test_exec_client_cert(void **state)
{
    server *s = *state;
    /* the plugin prints the PEM files as JSON strings (newlines escaped) */
    char *text = gotk_xasprintf(
        "#!/bin/sh\n"
        "esc() { sed -e ':a' -e 'N' -e '$!ba' -e 's/\\n/\\\\n/g' \"$1\"; }\n"
        "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
        "\"status\":{\"clientCertificateData\":\"%%s\",\"clientKeyData\":\"%%s\"}}' "
        "\"$(esc %s/tls/client.crt)\" \"$(esc %s/tls/client.key)\"\n",
        s->dir, s->dir);
    char *plugin = gotk_xasprintf("%s/cert-plugin.sh", s->dir);
    assert_null(gotk_file_write_atomic(plugin, text, strlen(text), 0700));
    char *cluster = gotk_xasprintf("certificate-authority: %s/tls/ca.crt", s->dir);
    char *user = gotk_xasprintf("exec: {apiVersion: client.authentication.k8s.io/v1, "
                                "command: %s}",
                                plugin);
    gotk_kube_config *cfg = NULL;
    gotk_kube_client *c = NULL;
    assert_null(client_for(s, cluster, user, &cfg, &c));
    get_version(c);
    gotk_kube_client_free(c);
    gotk_kube_config_free(cfg);
    free(user);
    free(cluster);
    free(plugin);
    free(text);
}

/* tls-server-name decides the name the certificate is checked against. */
static void test_tls_server_name(void **state)
{
    server *s = *state;
    char *user = gotk_xasprintf("client-certificate: %s/tls/client.crt, client-key: "
                                "%s/tls/client.key",
                                s->dir, s->dir);
    char *good = gotk_xasprintf("certificate-authority: %s/tls/ca.crt, tls-server-name: localhost",
                                s->dir);
    gotk_kube_config *cfg = NULL;
    gotk_kube_client *c = NULL;
    assert_null(client_for(s, good, user, &cfg, &c));
    assert_string_equal(cfg->tls_server_name, "localhost");
    trace_log t = {""};
    gotk_kube_client_set_trace(c, trace, &t);
    get_version(c);
    assert_non_null(strstr(t.lines, "Host: localhost:")); /* SNI and Host use the name */
    gotk_kube_client_free(c);
    gotk_kube_config_free(cfg);
    char *bad = gotk_xasprintf("certificate-authority: %s/tls/ca.crt, "
                               "tls-server-name: other.example", s->dir);
    assert_null(client_for(s, bad, user, &cfg, &c));
    gotk_err *e = gotk_kube_do_json(c, "GET", "/version", NULL, NULL, 0, NULL);
    assert_non_null(e);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_IO);
    assert_non_null(strstr(gotk_err_msg(e), "other.example"));
    gotk_err_free(e);
    gotk_kube_client_free(c);
    gotk_kube_config_free(cfg);
    free(bad);
    free(good);
    free(user);
}

/* proxy-url is read and used: a proxy that is not there fails the request. */
static void test_proxy_url(void **state)
{
    server *s = *state;
    char *cluster = gotk_xasprintf("certificate-authority: %s/tls/ca.crt, "
                                   "proxy-url: 'http://127.0.0.1:%d'",
                                   s->dir, free_port());
    gotk_kube_config *cfg = NULL;
    gotk_kube_client *c = NULL;
    assert_null(client_for(s, cluster, "token: t", &cfg, &c));
    assert_non_null(strstr(cfg->proxy_url, "http://127.0.0.1:"));
    gotk_err *e = gotk_kube_do_json(c, "GET", "/version", NULL, NULL, 0, NULL);
    assert_non_null(e);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_IO);
    gotk_err_free(e);
    gotk_kube_client_free(c);
    gotk_kube_config_free(cfg);
    free(cluster);
}

typedef struct {
    char log[512];
    size_t big; /* length of the big object's blob */
    bool done;
    gotk_err *err;
    gotk_kube_watch_result res;
} stream_log;

/* Record each event as "TYPE name" (bookmarks as "BOOKMARK rv"). */
static bool on_event(gotk_kube_event t, json_object *obj, void *ud)
{
    stream_log *l = ud;
    const char *name = gotk_obj_get_str(obj, "metadata.name");
    if (t == GOTK_KUBE_BOOKMARK)
        name = gotk_obj_get_str(obj, "metadata.resourceVersion");
    const char *blob = gotk_obj_get_str(obj, "data.blob");
    if (blob)
        l->big = strlen(blob);
    size_t n = strlen(l->log);
    snprintf(l->log + n, sizeof l->log - n, "%s%s %s", n ? "," : "", gotk_kube_event_name(t),
             name ? name : "?");
    return true;
}

/* A client that trusts the fixture's CA and presents its client certificate. */
static void stream_client(server *s, gotk_kube_config **cfg, gotk_kube_client **c)
{
    char *cluster = gotk_xasprintf("certificate-authority: %s/tls/ca.crt", s->dir);
    char *user = gotk_xasprintf("client-certificate: %s/tls/client.crt, client-key: "
                                "%s/tls/client.key",
                                s->dir, s->dir);
    assert_null(client_for(s, cluster, user, cfg, c));
    free(cluster);
    free(user);
}

static void test_watch_stream_framing(void **state)
{
    server *s = *state;
    gotk_kube_config *cfg = NULL;
    gotk_kube_client *c = NULL;
    stream_client(s, &cfg, &c);
    stream_log l = {""};
    gotk_kube_watch_opts o = {.bookmarks = true, .timeout = 5 * GOTK_SECOND};
    gotk_kube_watch_result res;
    gotk_err *e = gotk_kube_watch(c, "v1", "ConfigMap", "default", &o, on_event, &l, &res);
    if (e)
        fail_msg("watch: %s", gotk_err_msg(e));
    assert_string_equal(l.log, "ADDED a,BOOKMARK 12,MODIFIED big,DELETED a");
    assert_int_equal(l.big, 300000);
    assert_int_equal(res.events, 4);
    assert_string_equal(res.resource_version, "14");
    assert_false(res.stopped || res.cancelled || res.timed_out); /* the server closed it */
    struct {
        const char *ns, *log, *msg;
        gotk_err_code code;
    } bad[] = {
        {"gone", "ADDED x", "watch: too old resource version: 5 (40)", GOTK_E_KUBE_GONE},
        {"bad", "ADDED x", "watch: decoding a watch event: invalid JSON", GOTK_E_INVALID},
        {"odd", "", "watch: unexpected event type \"SURPRISE\"", GOTK_E_INVALID},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        stream_log b = {""};
        e = gotk_kube_watch(c, "v1", "ConfigMap", bad[i].ns, &o, on_event, &b, &res);
        assert_non_null(e);
        assert_int_equal(gotk_err_code_of(e), bad[i].code);
        assert_memory_equal(gotk_err_msg(e), bad[i].msg, strlen(bad[i].msg));
        assert_string_equal(b.log, bad[i].log);
        gotk_err_free(e);
    }
    gotk_kube_client_free(c);
    gotk_kube_config_free(cfg);
}

/* A poll(2) loop standing in for libuv: the fds and the timer curl asked for. */
typedef struct {
    struct pollfd fds[8];
    int n;
    long timer_ms; /* -1: none; else fire on the next turn after that long */
} mini_poll;

static void mp_watch_fd(int fd, int mask, void *ud)
{
    mini_poll *p = ud;
    int i = 0;
    while (i < p->n && p->fds[i].fd != fd)
        i++;
    if (mask & GOTK_KUBE_POLL_REMOVE) {
        if (i < p->n)
            p->fds[i] = p->fds[--p->n];
        return;
    }
    if (i == p->n)
        p->n++;
    p->fds[i].fd = fd;
    p->fds[i].events = (short)(((mask & GOTK_KUBE_POLL_IN) ? POLLIN : 0) |
                               ((mask & GOTK_KUBE_POLL_OUT) ? POLLOUT : 0));
}

static void mp_set_timer(long ms, void *ud)
{
    ((mini_poll *)ud)->timer_ms = ms;
}

/* One turn: wait for the fds (at most the timer's delay), then report. */
static void mp_turn(mini_poll *p, gotk_kube_loop *l)
{
    struct pollfd fds[8];
    int n = p->n;
    memcpy(fds, p->fds, sizeof fds);
    long wait = p->timer_ms >= 0 && p->timer_ms < 50 ? p->timer_ms : 50;
    int ready = poll(fds, (nfds_t)n, (int)wait);
    for (int i = 0; ready > 0 && i < n; i++) {
        int ev = ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) ? GOTK_KUBE_POLL_IN : 0) |
                 ((fds[i].revents & POLLOUT) ? GOTK_KUBE_POLL_OUT : 0);
        if (ev)
            gotk_kube_loop_fd_ready(l, fds[i].fd, ev);
    }
    if (ready == 0 && p->timer_ms >= 0) {
        p->timer_ms = -1;
        gotk_kube_loop_timeout(l);
    }
}

/* Done callback: keep the outcome. */
static void on_done(gotk_err *err, const gotk_kube_watch_result *res, void *ud)
{
    stream_log *l = ud;
    l->done = true;
    l->err = err;
    l->res = *res;
}

static void test_watch_stream_on_loop(void **state)
{
    server *s = *state;
    gotk_kube_config *cfg = NULL;
    gotk_kube_client *c = NULL;
    stream_client(s, &cfg, &c);
    mini_poll p = {.timer_ms = -1};
    gotk_kube_loop_hooks hooks = {mp_watch_fd, mp_set_timer, &p};
    gotk_kube_loop *l = gotk_kube_loop_new(&hooks);
    stream_log a = {""}, g = {""};
    ok_or_fail(gotk_kube_watch_start(l, c, "v1", "ConfigMap", "default", NULL, on_event,
                                     on_done, &a, NULL));
    ok_or_fail(gotk_kube_watch_start(l, c, "v1", "ConfigMap", "gone", NULL, on_event, on_done,
                                     &g, NULL));
    for (int i = 0; i < 200 && !(a.done && g.done); i++)
        mp_turn(&p, l);
    assert_true(a.done && g.done);
    assert_null(a.err);
    assert_string_equal(a.log, "ADDED a,BOOKMARK 12,MODIFIED big,DELETED a");
    assert_string_equal(a.res.resource_version, "14");
    assert_non_null(g.err);
    assert_int_equal(gotk_err_code_of(g.err), GOTK_E_KUBE_GONE);
    gotk_err_free(g.err);
    gotk_kube_loop_free(l);
    gotk_kube_client_free(c);
    gotk_kube_config_free(cfg);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s lighttpd-tls.sh\n", argv[0]);
        return 2;
    }
    if (access("/usr/sbin/lighttpd", X_OK) != 0 ||
        access("/usr/lib/lighttpd/mod_openssl.so", R_OK) != 0 ||
        access("/usr/bin/openssl", X_OK) != 0) {
        fprintf(stderr, "lighttpd, lighttpd-mod-openssl or openssl missing: skipped\n");
        return 77;
    }
    script = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cert_files_and_http2),
        cmocka_unit_test(test_cert_data),
        cmocka_unit_test(test_wrong_ca_and_insecure),
        cmocka_unit_test(test_exec_client_cert),
        cmocka_unit_test(test_tls_server_name),
        cmocka_unit_test(test_proxy_url),
        cmocka_unit_test(test_watch_stream_framing),
        cmocka_unit_test(test_watch_stream_on_loop),
    };
    int rc = cmocka_run_group_tests(tests, group_setup, group_teardown);
    curl_global_cleanup();
    return rc;
}
