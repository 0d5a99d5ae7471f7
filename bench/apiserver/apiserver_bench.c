/*
 * apiserver_bench: gotk-apiserver's speed and footprint, next to kubectl.
 *
 *   apiserver_bench [-n OBJECTS] [-w WATCHERS] PATH/TO/gotk-apiserver
 *
 * Starts a server in a temporary directory on 127.0.0.1 and prints:
 *  - its RSS idle;
 *  - server-side applies per second of OBJECTS small ConfigMaps through the
 *    libgotk client (one connection, then 4 threads);
 *  - the same count through `kubectl apply --server-side` of one file (kubectl
 *    is the reference; skipped when absent);
 *  - watch fan-out: WATCHERS watches on one namespace, the time from a create to
 *    the last watcher seeing it (median and worst of 20 rounds);
 *  - its RSS with everything stored.
 * It asserts nothing.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gotk/kube.h"
#include "gotk/obj.h"

extern char **environ;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct {
    pid_t pid;
    char *dir, *kubeconfig;
    gotk_kube_client *client;
} server;

/* Spawn the server and wait for its "listening on" line; open a client. */
static int server_start(server *s, const char *bin)
{
    gotk_err *e = gotk_file_temp_dir("gotk-bench", &s->dir);
    if (e)
        return -1;
    s->kubeconfig = gotk_xasprintf("%s/kubeconfig", s->dir);
    char *data = gotk_xasprintf("%s/data", s->dir);
    int p[2];
    if (pipe(p))
        return -1;
    char *argv[] = {(char *)bin, "--data-dir", data, "--listen", "127.0.0.1:0", "--kubeconfig-out",
                    s->kubeconfig, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    int rc = posix_spawn(&s->pid, bin, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(p[1]);
    free(data);
    if (rc)
        return -1;
    FILE *f = fdopen(p[0], "r");
    char line[256];
    bool up = false;
    while (!up && fgets(line, sizeof line, f))
        up = strstr(line, "listening on") != NULL;
    fclose(f);
    gotk_kube_load_opts lo = {.kubeconfig = s->kubeconfig, .no_in_cluster = true};
    gotk_kube_config *cfg = NULL;
    e = up ? gotk_kube_config_load(&lo, &cfg) : gotk_err_new(GOTK_E_IO, "server did not start");
    if (!e) {
        cfg->qps = 0; /* unlimited: measure the server, not the limiter */
        e = gotk_kube_client_new(cfg, &s->client);
    }
    gotk_kube_config_free(cfg);
    if (e) {
        fprintf(stderr, "%s\n", gotk_err_msg(e));
        gotk_err_free(e);
        return -1;
    }
    return 0;
}

static void server_stop(server *s)
{
    gotk_kube_client_free(s->client);
    kill(s->pid, SIGTERM);
    waitpid(s->pid, NULL, 0);
    gotk_err_free(gotk_file_remove_all(s->dir));
    free(s->dir);
    free(s->kubeconfig);
}

/* VmRSS of a process in MB. */
static double rss_mb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    double kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            kb = atof(line + 6);
    if (f)
        fclose(f);
    return kb / 1024.0;
}

static json_object *configmap(const char *ns, const char *prefix, int i)
{
    char text[256];
    snprintf(text, sizeof text,
             "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"%s-%d\","
             "\"namespace\":\"%s\",\"labels\":{\"app\":\"bench\"}},\"data\":{\"index\":\"%d\"}}",
             prefix, i, ns, i);
    json_object *o = NULL;
    gotk_err_free(gotk_json_parse(text, strlen(text), &o));
    return o;
}

typedef struct {
    gotk_kube_client *c;
    int from, to;
    const char *prefix;
    int errors;
} apply_job;

static void *apply_range(void *arg)
{
    apply_job *j = arg;
    gotk_kube_opts o = {.field_manager = "bench", .force = true};
    for (int i = j->from; i < j->to; i++) {
        json_object *cm = configmap("bench", j->prefix, i);
        gotk_err *e = gotk_kube_apply(j->c, cm, &o, NULL);
        j->errors += e != NULL;
        gotk_err_free(e);
        json_object_put(cm);
    }
    return NULL;
}

/* Apply n objects with `threads` threads; returns applies per second. */
static double client_applies(gotk_kube_client *c, int n, int threads, const char *prefix)
{
    pthread_t t[8];
    apply_job j[8];
    double t0 = now_s();
    for (int k = 0; k < threads; k++) {
        j[k] = (apply_job){c, n * k / threads, n * (k + 1) / threads, prefix, 0};
        pthread_create(&t[k], NULL, apply_range, &j[k]);
    }
    int errors = 0;
    for (int k = 0; k < threads; k++) {
        pthread_join(t[k], NULL);
        errors += j[k].errors;
    }
    double rate = n / (now_s() - t0);
    if (errors)
        printf("  (%d applies failed)\n", errors);
    return rate;
}

/* kubectl apply --server-side of one file with n ConfigMaps; applies/s or -1. */
static double kubectl_applies(const server *s, int n)
{
    char *file = gotk_xasprintf("%s/objects.yaml", s->dir);
    FILE *f = fopen(file, "w");
    for (int i = 0; i < n; i++)
        fprintf(f, "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: kubectl-%d, namespace: bench}\n"
                   "data: {index: \"%d\"}\n", i, i);
    fclose(f);
    char *argv[] = {"kubectl", "--kubeconfig", s->kubeconfig, "apply", "--server-side",
                    "--field-manager", "bench", "-f", file, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    double t0 = now_s();
    int rc = posix_spawnp(&pid, "kubectl", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    int st = 1;
    if (rc == 0)
        waitpid(pid, &st, 0);
    double rate = rc == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? n / (now_s() - t0) : -1;
    free(file);
    return rate;
}

typedef struct {
    gotk_kube_client *c;
    atomic_int *cancel;
    volatile double seen[32]; /* time each round's object was seen */
    volatile int connected;
} watcher;

static bool on_watch_event(gotk_kube_event t, json_object *obj, void *ud)
{
    watcher *w = ud;
    const char *name = gotk_obj_get_str(obj, "metadata.name");
    int round;
    if (t == GOTK_KUBE_ADDED && name && sscanf(name, "round-%d", &round) == 1 && round < 32)
        w->seen[round] = now_s();
    return true;
}

static void *watch_thread(void *arg)
{
    watcher *w = arg;
    w->connected = 1;
    gotk_kube_watch_opts o = {.cancel = w->cancel, .timeout = 5 * GOTK_MINUTE};
    gotk_kube_watch_result res;
    gotk_err_free(gotk_kube_watch(w->c, "v1", "ConfigMap", "watched", &o, on_watch_event, w, &res));
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* n watchers; 20 rounds of create -> last watcher sees it. */
static void watch_fanout(gotk_kube_client *c, int n)
{
    enum { ROUNDS = 20 };
    watcher *w = gotk_xcalloc((size_t)n, sizeof *w);
    pthread_t *t = gotk_xcalloc((size_t)n, sizeof *t);
    atomic_int cancel = 0;
    for (int i = 0; i < n; i++) {
        w[i].c = c;
        w[i].cancel = &cancel;
        pthread_create(&t[i], NULL, watch_thread, &w[i]);
    }
    usleep(1000 * 1000); /* let every watch connect */
    double lat[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        json_object *cm = configmap("watched", "round", r);
        double t0 = now_s();
        gotk_err_free(gotk_kube_create(c, cm, NULL, NULL));
        json_object_put(cm);
        double last = 0;
        for (int spin = 0; spin < 2000; spin++) {
            last = 0;
            bool all = true;
            for (int i = 0; i < n; i++) {
                all = all && w[i].seen[r] > 0;
                if (w[i].seen[r] > last)
                    last = w[i].seen[r];
            }
            if (all)
                break;
            usleep(1000);
        }
        lat[r] = (last - t0) * 1000;
    }
    atomic_store(&cancel, 1);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    qsort(lat, ROUNDS, sizeof lat[0], cmp_double);
    printf("watch fan-out, %d watchers: median %.2f ms, worst %.2f ms (create -> last watcher)\n", n,
           lat[ROUNDS / 2], lat[ROUNDS - 1]);
    free(w);
    free(t);
}

static void create_namespace(gotk_kube_client *c, const char *name)
{
    char text[128];
    snprintf(text, sizeof text, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"%s\"}}", name);
    json_object *o = NULL;
    gotk_err_free(gotk_json_parse(text, strlen(text), &o));
    gotk_err_free(gotk_kube_create(c, o, NULL, NULL));
    json_object_put(o);
}

int main(int argc, char **argv)
{
    int n = 10000, watchers = 20, opt;
    while ((opt = getopt(argc, argv, "n:w:")) != -1) {
        if (opt == 'n')
            n = atoi(optarg);
        else if (opt == 'w')
            watchers = atoi(optarg) > 32 ? 32 : atoi(optarg);
    }
    if (optind >= argc) {
        fprintf(stderr, "usage: %s [-n OBJECTS] [-w WATCHERS] PATH/TO/gotk-apiserver\n", argv[0]);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    server s = {0};
    if (server_start(&s, argv[optind]) != 0)
        return 1;
    usleep(500 * 1000);
    printf("gotk-apiserver RSS idle: %.1f MB\n", rss_mb(s.pid));
    create_namespace(s.client, "bench");
    create_namespace(s.client, "watched");
    printf("server-side apply, libgotk client, 1 thread: %.0f objects/s (%d objects)\n",
           client_applies(s.client, n, 1, "one"), n);
    printf("server-side apply, libgotk client, 4 threads: %.0f objects/s (%d objects)\n",
           client_applies(s.client, n, 4, "four"), n);
    double k = kubectl_applies(&s, n);
    if (k > 0)
        printf("server-side apply, kubectl (one file): %.0f objects/s (%d objects)\n", k, n);
    else
        printf("server-side apply, kubectl: not measured (kubectl missing or failed)\n");
    watch_fanout(s.client, watchers);
    printf("gotk-apiserver RSS with %d objects: %.1f MB\n", 3 * n, rss_mb(s.pid));
    server_stop(&s);
    return 0;
}
