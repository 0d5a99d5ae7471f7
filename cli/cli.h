/*
 * The gotk CLI: a thin layer of option parsing over libgotk. Each command is one
 * function taking the arguments after its name; it prints its own errors as one
 * line and returns the process exit code.
 */
#ifndef GOTK_CLI_H
#define GOTK_CLI_H

typedef int (*cli_command_fn)(int argc, char **argv);

typedef struct {
    const char *name;    /* first word after `gotk` */
    const char *summary; /* one line for `gotk --help` */
    cli_command_fn run;
} cli_command;

int cmd_version(int argc, char **argv);
int cmd_envsubst(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_kustomize(int argc, char **argv);

/* Print "✗ message" to stderr as flux does, and return 1. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The flags every gotk command takes (flux's root persistent flags). */
#include <json-c/json.h>
#include <stdbool.h>

#include "flags.h"
#include "gotk/core.h"

typedef struct {
    const char *namespace_; /* -n, --namespace: default flux-system */
    const char *kubeconfig;
    const char *context;
    gotk_duration timeout;  /* --timeout: default 5m0s */
    bool verbose;
} cli_globals;

void cli_globals_default(cli_globals *g);
/* Write the global flags into `f` (room for at least 5); returns how many. */
size_t cli_global_flags(cli_flag *f, cli_globals *g);

/* Progress lines as flux prints them to stderr: "► ...", "✔ ...", "◎ ...". */
void cli_step(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_wait_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Server-side apply `obj` to the cluster of `g`, then wait (up to g->timeout)
 * until its Ready condition is True, printing progress. Returns the exit code. */
int cli_apply_and_wait(const cli_globals *g, json_object *obj);

#endif
