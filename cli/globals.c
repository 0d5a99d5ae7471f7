/*
 * What all gotk commands share: the global flags and flux's progress output.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_globals_default(cli_globals *g)
{
    const char *ns = getenv("FLUX_SYSTEM_NAMESPACE");
    g->namespace_ = ns && *ns ? ns : "flux-system";
    g->kubeconfig = NULL;
    g->context = NULL;
    g->timeout = 5 * GOTK_MINUTE;
    g->verbose = false;
}

size_t cli_global_flags(cli_flag *f, cli_globals *g)
{
    const cli_flag globals[] = {
        {"namespace", 'n', FLAG_STRING, &g->namespace_, "the namespace scope for this operation"},
        {"kubeconfig", 0, FLAG_STRING, &g->kubeconfig, "Path to the kubeconfig file to use for CLI requests."},
        {"context", 0, FLAG_STRING, &g->context, "The name of the kubeconfig context to use"},
        {"timeout", 0, FLAG_DURATION, &g->timeout, "timeout for this operation"},
        {"verbose", 0, FLAG_BOOL, &g->verbose, "print generated objects"},
    };
    for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++)
        f[i] = globals[i];
    return sizeof globals / sizeof globals[0];
}

gotk_err *cli_cmdline_parse(cli_cmdline *cl, cli_globals *g, const cli_flag *own, size_t nown,
                            int argc, char **argv, const char *help_text)
{
    memset(cl, 0, sizeof *cl);
    cl->nflags = cli_global_flags(cl->flags, g);
    for (size_t i = 0; i < nown && cl->nflags < sizeof cl->flags / sizeof cl->flags[0]; i++)
        cl->flags[cl->nflags++] = own[i];
    gotk_err *e = cli_parse(argc, argv, cl->flags, cl->nflags, &cl->pos, &cl->npos, &cl->help);
    if (!e && cl->help) {
        puts(help_text);
        cli_print_flags(cl->flags, cl->nflags);
    }
    return e;
}

void cli_cmdline_free(cli_cmdline *cl)
{
    free(cl->pos);
    cl->pos = NULL;
}

static void line(const char *symbol, const char *fmt, va_list ap)
{
    fputs(symbol, stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_step(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    line("► ", fmt, ap);
    va_end(ap);
}

void cli_ok(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    line("✔ ", fmt, ap);
    va_end(ap);
}

void cli_wait_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    line("◎ ", fmt, ap);
    va_end(ap);
}
