/*
 * The gotk-apiserver test fixture: spawn the server with --listen 127.0.0.1:0, read
 * its "listening on https://..." line, load the kubeconfig it wrote.
 */
#include "apiserver_fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

pid_t fixture_spawn(char *const argv[], const char *log)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (log) {
        posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        posix_spawn_file_actions_adddup2(&fa, 1, 2);
    }
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc == 0 ? pid : -1;
}

int fixture_stop_process(pid_t pid, int sig, int timeout_ms)
{
    if (pid <= 0)
        return -1;
    kill(pid, sig);
    for (int waited = 0; waited < timeout_ms; waited += 10) {
        int st;
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return st;
        struct timespec ts = {0, 10 * 1000000};
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

bool fixture_wait(bool (*cond)(void *ud), void *ud, int timeout_ms)
{
    for (int waited = 0; waited <= timeout_ms; waited += 20) {
        if (cond(ud))
            return true;
        struct timespec ts = {0, 20 * 1000000};
        nanosleep(&ts, NULL);
    }
    return false;
}

/* Read lines from the server's stdout until the listening line. */
static char *read_url(int fd)
{
    FILE *f = fdopen(fd, "r");
    char line[512];
    char *url = NULL;
    while (!url && fgets(line, sizeof line, f)) {
        char *at = strstr(line, "listening on ");
        if (at) {
            at += strlen("listening on ");
            at[strcspn(at, "\r\n")] = '\0';
            url = gotk_xstrdup(at);
        }
    }
    fclose(f);
    return url;
}

static int open_client(apiserver_fixture *f)
{
    gotk_kube_load_opts o = {.kubeconfig = f->kubeconfig, .no_in_cluster = true};
    gotk_err *e = gotk_kube_config_load(&o, &f->cfg);
    if (!e)
        e = gotk_kube_client_new(f->cfg, &f->client);
    if (e) {
        fprintf(stderr, "fixture: client: %s\n", gotk_err_msg(e));
        gotk_err_free(e);
        return -1;
    }
    return 0;
}

static int start(apiserver_fixture *f, const char *server_bin, bool audit)
{
    memset(f, 0, sizeof *f);
    signal(SIGPIPE, SIG_IGN);
    if (!server_bin)
        server_bin = getenv("GOTK_APISERVER");
    gotk_err *e = gotk_file_temp_dir("gotk-test", &f->dir);
    if (e || !server_bin) {
        fprintf(stderr, "fixture: %s\n", e ? gotk_err_msg(e) : "no gotk-apiserver path given");
        gotk_err_free(e);
        return -1;
    }
    f->kubeconfig = gotk_xasprintf("%s/kubeconfig", f->dir);
    char *data = gotk_xasprintf("%s/data", f->dir);
    int p[2];
    if (pipe(p) != 0)
        return -1;
    if (audit)
        f->audit_log = gotk_xasprintf("%s/audit.log", f->dir);
    char *argv[] = {(char *)server_bin, "--data-dir", data, "--listen", "127.0.0.1:0",
                    "--kubeconfig-out", f->kubeconfig, audit ? "--audit-log-path" : NULL,
                    f->audit_log, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    posix_spawn_file_actions_addclose(&fa, p[0]);
    int rc = posix_spawn(&f->pid, server_bin, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    free(data);
    close(p[1]);
    if (rc != 0) {
        close(p[0]);
        fprintf(stderr, "fixture: cannot start %s\n", server_bin);
        return -1;
    }
    f->url = read_url(p[0]);
    if (!f->url) {
        fprintf(stderr, "fixture: the server did not report its address\n");
        return -1;
    }
    return open_client(f);
}

int apiserver_start(apiserver_fixture *f, const char *server_bin)
{
    return start(f, server_bin, false);
}

int apiserver_start_audited(apiserver_fixture *f, const char *server_bin)
{
    return start(f, server_bin, true);
}

void apiserver_stop(apiserver_fixture *f)
{
    gotk_kube_client_free(f->client);
    gotk_kube_config_free(f->cfg);
    if (f->pid > 0)
        fixture_stop_process(f->pid, SIGTERM, 10000);
    if (f->dir)
        gotk_err_free(gotk_file_remove_all(f->dir));
    free(f->dir);
    free(f->kubeconfig);
    free(f->url);
    free(f->audit_log);
    memset(f, 0, sizeof *f);
}

json_object *fixture_yaml(const char *text)
{
    json_object *o = NULL;
    gotk_err *e = gotk_yaml_parse_one(text, strlen(text), NULL, &o);
    if (e) {
        fprintf(stderr, "yaml: %s\n", gotk_err_msg(e));
        gotk_err_free(e);
    }
    return o;
}

/* Parse the formatted YAML and send it: apply when `manager` is set, else create. */
static int send_object(apiserver_fixture *f, const char *manager, const char *fmt, va_list ap)
{
    gotk_buf b = {0};
    gotk_buf_vprintf(&b, fmt, ap);
    json_object *o = fixture_yaml(b.data);
    gotk_buf_free(&b);
    if (!o)
        return -1;
    gotk_kube_opts opts = {.field_manager = manager, .force = true};
    gotk_err *e = manager ? gotk_kube_apply(f->client, o, &opts, NULL)
                          : gotk_kube_create(f->client, o, NULL, NULL);
    json_object_put(o);
    if (!e)
        return 0;
    fprintf(stderr, "%s: %s\n", manager ? "apply" : "create", gotk_err_msg(e));
    gotk_err_free(e);
    return -1;
}

int fixture_apply(apiserver_fixture *f, const char *manager, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = send_object(f, manager, fmt, ap);
    va_end(ap);
    return rc;
}

int fixture_create(apiserver_fixture *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = send_object(f, NULL, fmt, ap);
    va_end(ap);
    return rc;
}
