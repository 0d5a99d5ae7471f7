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
int cmd_kustomize(int argc, char **argv);

/* Print "✗ message" to stderr as flux does, and return 1. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
