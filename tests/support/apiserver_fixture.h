/*
 * Test fixture: a real gotk-apiserver in a temporary directory on 127.0.0.1 with a
 * free port, and a kube client for it. Every test that starts one stops it.
 */
#ifndef GOTK_TEST_APISERVER_FIXTURE_H
#define GOTK_TEST_APISERVER_FIXTURE_H

#include <stdbool.h>
#include <sys/types.h>

#include "gotk/kube.h"
#include "gotk/obj.h"

typedef struct {
    char *dir;        /* temporary directory, removed by stop */
    char *kubeconfig; /* admin kubeconfig written by the server */
    char *url;        /* https://127.0.0.1:PORT */
    char *audit_log;  /* the server's audit log (apiserver_start_audited), or NULL */
    pid_t pid;
    gotk_kube_config *cfg;
    gotk_kube_client *client;
} apiserver_fixture;

/* Start the server binary (path from argv or $GOTK_APISERVER) and open a client.
 * Returns 0, or -1 with a message on stderr. */
int apiserver_start(apiserver_fixture *f, const char *server_bin);
/* The same, with the server writing audit events (one JSON object a line) to
 * f->audit_log, where tests see who did what, e.g. the impersonated user. */
int apiserver_start_audited(apiserver_fixture *f, const char *server_bin);
/* SIGTERM the server and wait; close the client; remove the directory. */
void apiserver_stop(apiserver_fixture *f);
/* Start a program with arguments, its stdout/stderr appended to `log` (may be
 * NULL). Returns the pid or -1. */
pid_t fixture_spawn(char *const argv[], const char *log);
/* Send `sig` and wait up to `timeout_ms` for the process to exit; returns its
 * exit status as from waitpid, or -1 when it did not exit in time (then killed). */
int fixture_stop_process(pid_t pid, int sig, int timeout_ms);
/* Poll `cond(ud)` every 20 ms for up to `timeout_ms`. */
bool fixture_wait(bool (*cond)(void *ud), void *ud, int timeout_ms);

/* Parse one YAML document; NULL, with the error on stderr, when it is not one. */
json_object *fixture_yaml(const char *text);
/* Server-side apply (forced) the printf-formatted YAML object as field manager
 * `manager`. Returns 0, or -1 with the API's message on stderr. */
int fixture_apply(apiserver_fixture *f, const char *manager, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Create the printf-formatted YAML object. Returns 0, or -1 with the message. */
int fixture_create(apiserver_fixture *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
