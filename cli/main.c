/*
 * gotk: entry point. Finds the command named by the first argument in the table
 * below and runs it; `gotk --help` lists them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const cli_command commands[] = {
    {"bootstrap", "Deploy gotk on a cluster the GitOps way.", cmd_bootstrap},
    {"build", "Build a flux resource", cmd_build},
    {"check", "Check requirements and installation", cmd_check},
    {"completion", "Generates completion scripts for various shells", cmd_completion},
    {"create", "Create or update sources and resources", cmd_create},
    {"delete", "Delete sources and resources", cmd_delete},
    {"dev", "Run gotk on this machine and sync it from Git", cmd_dev},
    {"diff", "Diff a flux resource", cmd_diff},
    {"envsubst", "Substitute environment variables in stdin, as flux envsubst", cmd_envsubst},
    {"events", "Display Kubernetes events for Flux resources", cmd_events},
    {"export", "Export resources in YAML format", cmd_export},
    {"get", "Get the resources and their status", cmd_get},
    {"helm", "Render Helm charts, as helm template", cmd_helm},
    {"install", "Install or upgrade gotk", cmd_install},
    {"kustomize", "Build a kustomization target, as kustomize build", cmd_kustomize},
    {"logs", "Display formatted logs for Flux components", cmd_logs},
    {"reconcile", "Reconcile sources and resources", cmd_reconcile},
    {"resume", "Resume suspended resources", cmd_resume},
    {"suspend", "Suspend resources", cmd_suspend},
    {"tree", "Print the resources reconciled by Flux", cmd_tree},
    {"uninstall", "Uninstall Flux and its custom resource definitions", cmd_uninstall},
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

int main(int argc, char **argv)
{
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
            return commands[i].run(argc - 1, argv + 1);
    return cli_fail("unknown command \"%s\" for \"gotk\"", argv[1]);
}
