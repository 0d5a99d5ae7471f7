/*
 * The one-machine supervisor behind `gotk dev up`: a detached process that runs
 * gotk-apiserver, the controllers and (for the demo) a Git HTTP server as child
 * processes, each logging to <state>/logs/<name>.log, and restarts any that
 * exits (after a second, then backing off to 30s). SIGTERM stops the children
 * in reverse order (SIGTERM, then SIGKILL after 10s) and exits.
 *
 * The API server starts first; the others start once its kubeconfig exists
 * and its port accepts connections.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dev.h"

extern char **environ;

static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
    (void)sig;
    stopping = 1;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

/* Start one child with its log; returns its pid or -1. */
static pid_t start_child(const dev_state *st, dev_child *c)
{
    char *log = gotk_xasprintf("%s/logs/%s.log", st->dir, c->name);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid;
    int rc = posix_spawn(&pid, c->argv[0], &fa, NULL, c->argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    free(log);
    if (rc != 0)
        return -1;
    c->pid = pid;
    c->started_ms = now_ms();
    return pid;
}

/* Whether 127.0.0.1:port accepts a connection. */
bool dev_port_open(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    close(fd);
    return ok;
}

/* Wait for the API server: its kubeconfig and its port. */
static bool wait_apiserver(const dev_state *st, int timeout_ms)
{
    char *kc = gotk_xasprintf("%s/kubeconfig", st->dir);
    bool ok = false;
    for (int64_t end = now_ms() + timeout_ms; !ok && !stopping && now_ms() < end; sleep_ms(50))
        ok = access(kc, R_OK) == 0 && dev_port_open(st->api_port);
    free(kc);
    return ok;
}

/* Restart children that exited, with back-off. */
static void reap_and_restart(const dev_state *st, dev_child *kids, size_t n)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (size_t i = 0; i < n; i++) {
            if (kids[i].pid != pid)
                continue;
            kids[i].pid = 0;
            bool quick = now_ms() - kids[i].started_ms < 10000;
            kids[i].backoff_ms = quick ? (kids[i].backoff_ms ? kids[i].backoff_ms * 2 : 1000) : 1000;
            if (kids[i].backoff_ms > 30000)
                kids[i].backoff_ms = 30000;
            kids[i].restart_at = now_ms() + kids[i].backoff_ms;
            fprintf(stderr, "supervisor: %s exited (status %d), restarting in %dms\n", kids[i].name,
                    status, kids[i].backoff_ms);
        }
    }
    for (size_t i = 0; i < n; i++)
        if (!kids[i].pid && kids[i].restart_at && now_ms() >= kids[i].restart_at) {
            kids[i].restart_at = 0;
            if (start_child(st, &kids[i]) < 0)
                fprintf(stderr, "supervisor: cannot start %s\n", kids[i].name);
        }
}

/* Stop children in reverse order: SIGTERM, then SIGKILL after 10s. */
static void stop_all(dev_child *kids, size_t n)
{
    for (size_t i = n; i-- > 0;) {
        if (kids[i].pid <= 0)
            continue;
        kill(kids[i].pid, SIGTERM);
        int64_t end = now_ms() + 10000;
        while (waitpid(kids[i].pid, NULL, WNOHANG) == 0 && now_ms() < end)
            sleep_ms(20);
        if (waitpid(kids[i].pid, NULL, WNOHANG) == 0) {
            kill(kids[i].pid, SIGKILL);
            waitpid(kids[i].pid, NULL, 0);
        }
        kids[i].pid = 0;
    }
}

int dev_supervise(const dev_state *st, dev_child *kids, size_t n)
{
    struct sigaction sa = {.sa_handler = on_term};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (start_child(st, &kids[0]) < 0 || !wait_apiserver(st, 30000)) {
        fprintf(stderr, "supervisor: the API server did not start\n");
        stop_all(kids, n);
        return 1;
    }
    for (size_t i = 1; i < n; i++)
        if (start_child(st, &kids[i]) < 0)
            fprintf(stderr, "supervisor: cannot start %s\n", kids[i].name);
    while (!stopping) {
        reap_and_restart(st, kids, n);
        sleep_ms(200);
    }
    stop_all(kids, n);
    return 0;
}
