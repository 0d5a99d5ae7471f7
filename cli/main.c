/*
 * gotk: entry point. Finds the command named by the first argument in the table
 * below and runs it; `gotk --help` lists them.
 *
 * Built twice (see meson.build): as gotk-cluster with every command, and as the
 * front `gotk` (GOTK_CLI_FRONT) with only the offline ones compiled in; the front
 * hands any other command to the gotk-cluster beside it, with the same arguments.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "gotk/core.h"

#ifdef GOTK_CLI_FRONT
#define CLUSTER(fn) NULL
#else
#define CLUSTER(fn) fn
#endif

static const cli_command commands[] = {
    {"bootstrap", "Deploy gotk on a cluster the GitOps way.", CLUSTER(cmd_bootstrap)},
    {"build", "Build a flux resource", CLUSTER(cmd_build)},
    {"check", "Check requirements and installation", CLUSTER(cmd_check)},
    {"completion", "Generates completion scripts for various shells", cmd_completion},
    {"create", "Create or update sources and resources", CLUSTER(cmd_create)},
    {"delete", "Delete sources and resources", CLUSTER(cmd_delete)},
    {"dev", "Run gotk on this machine and sync it from Git", CLUSTER(cmd_dev)},
    {"diff", "Diff a flux resource", CLUSTER(cmd_diff)},
    {"envsubst", "Substitute environment variables in stdin, as flux envsubst", cmd_envsubst},
    {"events", "Display Kubernetes events for Flux resources", CLUSTER(cmd_events)},
    {"export", "Export resources in YAML format", CLUSTER(cmd_export)},
    {"get", "Get the resources and their status", CLUSTER(cmd_get)},
    {"helm", "Render Helm charts, as helm template", cmd_helm},
    {"install", "Install or upgrade gotk", CLUSTER(cmd_install)},
    {"kustomize", "Build a kustomization target, as kustomize build", cmd_kustomize},
    {"logs", "Display formatted logs for Flux components", CLUSTER(cmd_logs)},
    {"reconcile", "Reconcile sources and resources", CLUSTER(cmd_reconcile)},
    {"resume", "Resume suspended resources", CLUSTER(cmd_resume)},
    {"suspend", "Suspend resources", CLUSTER(cmd_suspend)},
    {"tree", "Print the resources reconciled by Flux", CLUSTER(cmd_tree)},
    {"uninstall", "Uninstall Flux and its custom resource definitions", CLUSTER(cmd_uninstall)},
    {"version", "Print the gotk version", cmd_version},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

int cli_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("✗ ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 1;
}

static void usage(FILE *out)
{
    fputs("Command line utility for assembling Kubernetes CD pipelines the GitOps way.\n\n"
          "Usage:\n  gotk [command]\n\nAvailable Commands:\n", out);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fputs("\nUse \"gotk [command] --help\" for more information about a command.\n", out);
}

static char **cli_argv;

char *cli_exe_dir(void)
{
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
        return gotk_xstrdup(".");
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    if (slash)
        *slash = '\0';
    return gotk_xstrdup(path);
}

int cli_run_cluster(void)
{
    char *dir = cli_exe_dir();
    char *path = gotk_xasprintf("%s/gotk-cluster", dir);
    free(dir);
    execv(path, cli_argv);
    int rc = cli_fail("cannot run %s: %s", path, strerror(errno));
    free(path);
    return rc;
}

int main(int argc, char **argv)
{
    cli_argv = argv;
    if (argc < 2) {
        usage(stderr);
        return 1;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run ? commands[i].run(argc - 1, argv + 1) : cli_run_cluster();
    return cli_fail("unknown command \"%s\" for \"gotk\"", argv[1]);
}
