/*
 * main.c: gotk-apiserver's entry point.
 *
 *   gotk-apiserver --data-dir DIR [--listen HOST:PORT] [--kubeconfig-out PATH]
 *                  [--token-file PATH] [--audit-log-path FILE] [--watch-cache-size N] [--v]
 *
 * Startup: create the data directory, load or generate the TLS material and
 * the bearer token (DIR/token unless --token-file names one; a missing file is
 * created), open the SQLite store and the audit log (audit.c), create the default namespaces on first
 * start, load CRDs, bind the socket (port 0 picks a free one), start serving,
 * write the admin kubeconfig (mode 0600) and print
 * "listening on https://HOST:PORT". SIGTERM or SIGINT stops the server:
 * watches end, connections close, everything is freed, exit status 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apiserver.h"
#include "http.h"

#define RING_SIZE 1024 /* events kept per resource */

typedef struct {
    const char *data_dir, *listen, *kubeconfig_out, *token_file, *audit_log_path;
    int ring_size;
} options;

/* Print usage and exit with `code`. */
static void usage(int code)
{
    fprintf(code ? stderr : stdout,
            "usage: gotk-apiserver --data-dir DIR [--listen HOST:PORT] "
            "[--kubeconfig-out PATH] [--token-file PATH] [--audit-log-path FILE] "
            "[--watch-cache-size N] [--v]\n");
    exit(code);
}

/* Parse the command line. */
static void parse_flags(int argc, char **argv, options *o)
{
    static const struct option longs[] = {
        {"data-dir", required_argument, NULL, 'd'},   {"listen", required_argument, NULL, 'l'},
        {"kubeconfig-out", required_argument, NULL, 'k'}, {"token-file", required_argument, NULL, 't'},
        {"watch-cache-size", required_argument, NULL, 'w'},
        {"audit-log-path", required_argument, NULL, 'a'}, {"v", no_argument, NULL, 'v'},                {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int ch;
    o->listen = "127.0.0.1:6443";
    o->ring_size = RING_SIZE;
    while ((ch = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (ch) {
        case 'd': o->data_dir = optarg; break;
        case 'l': o->listen = optarg; break;
        case 'k': o->kubeconfig_out = optarg; break;
        case 't': o->token_file = optarg; break;
        case 'w': o->ring_size = atoi(optarg); break;
        case 'a': o->audit_log_path = optarg; break;
        case 'v': http_verbose = true; break;
        case 'h': usage(0); break;
        default: usage(2);
        }
    }
    if (!o->data_dir || optind != argc || o->ring_size < 1)
        usage(2);
}

/* Read the token file, or create it with a random token. */
static gotk_err *load_token(const char *path, char **token)
{
    char *data = NULL;
    if (access(path, F_OK) == 0) {
        gotk_err *e = ax_read_file(path, &data);
        if (e)
            return e;
        data[strcspn(data, "\r\n")] = '\0';
        if (!*data) {
            free(data);
            return gotk_err_new(GOTK_E_INVALID, "token file %s is empty", path);
        }
        *token = data;
        return NULL;
    }
    data = ax_random_hex(32);
    gotk_buf b = {0};
    gotk_buf_printf(&b, "%s\n", data);
    gotk_err *e = gotk_file_write_atomic(path, b.data, b.len, 0600);
    gotk_buf_free(&b);
    if (e) {
        free(data);
        return e;
    }
    *token = data;
    return NULL;
}

/* Parse HOST:PORT (IPv4 or "localhost") into addr. */
static gotk_err *parse_listen(const char *s, struct sockaddr_in *addr)
{
    const char *colon = strrchr(s, ':');
    if (!colon)
        return gotk_err_new(GOTK_E_INVALID, "--listen %s: want HOST:PORT", s);
    char *host = gotk_xstrndup(s, (size_t)(colon - s)), *end;
    long port = strtol(colon + 1, &end, 10);
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_port = htons((uint16_t)port);
    bool ok = !*end && port >= 0 && port <= 65535 &&
              (inet_pton(AF_INET, !strcmp(host, "localhost") ? "127.0.0.1" : host,
                         &addr->sin_addr) == 1);
    free(host);
    return ok ? NULL : gotk_err_new(GOTK_E_INVALID, "--listen %s: not an IPv4 HOST:PORT", s);
}

/* Bind and listen; returns the socket and the bound port. */
static gotk_err *open_listener(const char *spec, int *fd_out, int *port_out)
{
    struct sockaddr_in addr;
    gotk_err *e = parse_listen(spec, &addr);
    if (e)
        return e;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    socklen_t len = sizeof addr;
    if (fd < 0)
        return gotk_err_errno(errno, "socket");
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 128) < 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) < 0) {
        e = gotk_err_errno(errno, "listening on %s", spec);
        close(fd);
        return e;
    }
    *fd_out = fd;
    *port_out = ntohs(addr.sin_port);
    return NULL;
}

/* Write the admin kubeconfig. */
static gotk_err *write_kubeconfig(const char *path, const char *server, const char *ca_pem,
                                  const char *token)
{
    char *ca = gotk_base64_encode(ca_pem, strlen(ca_pem));
    gotk_buf b = {0};
    gotk_buf_printf(&b,
                    "apiVersion: v1\n"
                    "kind: Config\n"
                    "clusters:\n"
                    "- name: gotk\n"
                    "  cluster:\n"
                    "    server: %s\n"
                    "    certificate-authority-data: %s\n"
                    "contexts:\n"
                    "- name: gotk\n"
                    "  context:\n"
                    "    cluster: gotk\n"
                    "    user: gotk-admin\n"
                    "    namespace: default\n"
                    "current-context: gotk\n"
                    "users:\n"
                    "- name: gotk-admin\n"
                    "  user:\n"
                    "    token: %s\n",
                    server, ca, token);
    gotk_err *e = gotk_file_write_atomic(path, b.data, b.len, 0600);
    gotk_buf_free(&b);
    free(ca);
    return e;
}

/* Create the namespaces a fresh cluster has. */
static gotk_err *bootstrap(apisrv *s)
{
    static const char *const names[] = {"default", "kube-system", "kube-public", "kube-node-lease",
                                        NULL};
    json_object *have = store_get(s->st, "", "namespaces", "", "kube-system");
    if (have) {
        json_object_put(have);
        return NULL;
    }
    api_resource *r = res_find(&s->res, "", "v1", "namespaces");
    gotk_err *e = txn_begin(s);
    for (int i = 0; names[i] && !e; i++) {
        char uid[37], now[32];
        ax_uuid(uid);
        jx_now(now);
        json_object *ns = json_object_new_object(), *meta = json_object_new_object();
        obj_set_gvk(ns, r);
        jx_set_str(meta, "name", names[i]);
        jx_set_str(meta, "uid", uid);
        jx_set_str(meta, "creationTimestamp", now);
        json_object *labels = json_object_new_object();
        jx_set_str(labels, "kubernetes.io/metadata.name", names[i]);
        json_object_object_add(meta, "labels", labels);
        json_object_object_add(ns, "metadata", meta);
        json_object *spec = jx_ensure_obj(ns, "spec"), *fin = json_object_new_array();
        json_object_array_add(fin, json_object_new_string("kubernetes"));
        json_object_object_add(spec, "finalizers", fin);
        jx_set_str(jx_ensure_obj(ns, "status"), "phase", "Active");
        e = h_put(s, r, ns, "ADDED");
        json_object_put(ns);
    }
    if (e) {
        txn_rollback(s);
        return e;
    }
    return txn_commit(s);
}

/* Refill a resource's ring from the event log at startup. */
static void load_event(int64_t rev, const char *type, const char *group, const char *res,
                       const char *ns, const char *obj, const char *prev, void *ud)
{
    ring_push(ring_for(ud, group, res), rev, type, group, res, ns, gotk_xstrdup(obj),
              prev ? gotk_xstrdup(prev) : NULL);
}

/* Open storage and the tables. */
static gotk_err *open_state(apisrv *s, const char *dir, int ring_size)
{
    char *db = gotk_xasprintf("%s/state.db", dir);
    gotk_err *e = store_open(db, &s->st);
    free(db);
    if (e)
        return e;
    res_init_builtin(&s->res);
    res_reload_crds(s);
    s->ring_cap = ring_size;
    s->start_rev = store_events_floor(s->st);
    e = store_load_events(s->st, ring_size, load_event, s);
    for (int i = 0; !e && i < s->nrings; i++) {
        api_ring *r = &s->rings[i]; /* full: older events may exist in the log */
        if (r->count == r->cap && r->ev[r->head].rev - 1 > r->floor)
            r->floor = r->ev[r->head].rev - 1;
    }
    return e ? e : bootstrap(s);
}

/* Free everything the server holds. */
static void close_state(apisrv *s)
{
    rings_free(s);
    json_object_put(s->removed);
    res_free(&s->res);
    store_close(s->st);
    audit_close(s->audit);
    free(s->pending);
    free(s->token);
    free(s->server_addr);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->cond);
}

/* Block SIGTERM/SIGINT (threads inherit the mask) and wait for one. */
static void wait_for_signal(const sigset_t *set)
{
    int sig;
    sigwait(set, &sig);
}

/* Run the server until a signal; returns the exit status. */
static int serve(const options *o, apisrv *s, const sigset_t *sigs)
{
    char *ca = NULL, *cert = NULL, *key = NULL, *token_path = NULL;
    int fd = -1, port = 0, status = 1;
    struct MHD_Daemon *d = NULL;
    gotk_err *e = gotk_file_mkdir_all(o->data_dir, 0700);
    if (!e)
        e = tls_ensure(o->data_dir, &ca, &cert, &key);
    token_path = o->token_file ? gotk_xstrdup(o->token_file)
                               : gotk_xasprintf("%s/token", o->data_dir);
    if (!e)
        e = load_token(token_path, &s->token);
    if (!e)
        e = open_state(s, o->data_dir, o->ring_size);
    if (!e && o->audit_log_path)
        e = audit_open(o->audit_log_path, &s->audit);
    if (!e)
        e = open_listener(o->listen, &fd, &port);
    if (!e) {
        char *host = gotk_xstrndup(o->listen, strcspn(o->listen, ":"));
        if (!strcmp(host, "0.0.0.0") || !strcmp(host, "localhost")) {
            free(host);
            host = gotk_xstrdup("127.0.0.1");
        }
        s->server_addr = gotk_xasprintf("%s:%d", host, port);
        free(host);
        d = http_start(s, fd, cert, key);
        if (!d)
            e = gotk_err_new(GOTK_E_IO, "starting the HTTPS server failed");
    }
    if (!e && o->kubeconfig_out) {
        char *server = gotk_xasprintf("https://%s", s->server_addr);
        e = write_kubeconfig(o->kubeconfig_out, server, ca, s->token);
        free(server);
    }
    if (!e) {
        printf("listening on https://%s\n", s->server_addr);
        fflush(stdout);
        wait_for_signal(sigs);
        pthread_mutex_lock(&s->lock);
        s->stopping = true;
        pthread_cond_broadcast(&s->cond);
        pthread_mutex_unlock(&s->lock);
        status = 0;
    } else {
        fprintf(stderr, "gotk-apiserver: %s\n", gotk_err_msg(e));
        gotk_err_free(e);
    }
    if (d)
        MHD_stop_daemon(d);
    if (fd >= 0)
        close(fd);
    free(ca);
    free(cert);
    free(key);
    free(token_path);
    return status;
}

/* Parse flags, block the stop signals for every thread, serve, clean up. */
int main(int argc, char **argv)
{
    options o = {0};
    parse_flags(argc, argv, &o);
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    apisrv s = {0};
    pthread_mutex_init(&s.lock, NULL);
    pthread_cond_init(&s.cond, NULL);
    int status = serve(&o, &s, &sigs);
    close_state(&s);
    return status;
}
