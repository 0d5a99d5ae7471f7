/*
 * gotk envsubst: substitute environment variables in standard input, as
 * `flux envsubst` does, to preview a Kustomization's postBuild substitution.
 *
 * Like flux, it works line by line: each line of stdin (a trailing \r dropped) is
 * substituted with gotk_envsubst against the process environment and written to
 * stdout followed by a newline, so a `${...}` cannot span lines. With --strict a
 * variable that is unset and has no default stops the command: the lines before it
 * have been written, the error goes to stderr as one line, and the exit code is 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gotk/core.h"

static const char envsubst_help[] =
    "The envsubst command substitutes the values of environment variables\n"
    "in the string piped as standard input and writes the result to the standard output. This "
    "command can be used\n"
    "to replicate the behavior of the Flux Kustomization post-build substitutions.\n"
    "\n"
    "Usage:\n"
    "  gotk envsubst [flags]\n"
    "\n"
    "Examples:\n"
    "  # Run env var substitutions on the kustomization build output\n"
    "  export cluster_region=eu-central-1\n"
    "  kustomize build . | gotk envsubst\n"
    "\n"
    "  # Run env var substitutions and error out if a variable is not set\n"
    "  kustomize build . | gotk envsubst --strict\n"
    "\n"
    "Flags:\n"
    "  -h, --help     help for envsubst\n"
    "      --strict   fail if a variable without a default value is declared in the input "
    "but is missing from the environment\n";

/* Parse a boolean flag value as Go's strconv.ParseBool. */
static int envsubst_parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
    static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
    for (size_t k = 0; k < 6; k++) {
        if (!strcmp(v, yes[k])) {
            *out = true;
            return 0;
        }
        if (!strcmp(v, no[k])) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

/* Read the flags; returns -1 to run, or an exit code to stop with. */
static int envsubst_flags(int argc, char **argv, bool *strict)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(envsubst_help, stdout);
            return 0;
        }
        if (!strcmp(a, "--strict")) {
            *strict = true;
        } else if (!strncmp(a, "--strict=", 9)) {
            if (envsubst_parse_bool(a + 9, strict) < 0)
                return cli_fail("invalid argument \"%s\" for \"--strict\" flag: "
                                "strconv.ParseBool: parsing \"%s\": invalid syntax",
                                a + 9, a + 9);
        } else if (!strncmp(a, "--", 2) && a[2]) {
            return cli_fail("unknown flag: %s", a);
        } else if (a[0] == '-' && a[1] && a[1] != '-') {
            return cli_fail("unknown shorthand flag: '%c' in %s", a[1], a);
        } else {
            return cli_fail("unknown command \"%s\" for \"gotk envsubst\"", a);
        }
    }
    return -1;
}

/* gotk envsubst [--strict]: stdin to stdout, line by line. */
int cmd_envsubst(int argc, char **argv)
{
    bool strict = false;
    int rc = envsubst_flags(argc, argv, &strict);
    if (rc >= 0)
        return rc;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    rc = 0;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        if (n > 0 && line[n - 1] == '\n')
            line[--n] = '\0';
        if (n > 0 && line[n - 1] == '\r')
            line[--n] = '\0';
        char *out = NULL;
        gotk_err *e = gotk_envsubst(line, gotk_env_getenv, NULL, strict, &out);
        if (e) {
            fflush(stdout);
            rc = cli_fail("%s", gotk_err_msg(e));
            gotk_err_free(e);
            break;
        }
        fputs(out, stdout);
        fputc('\n', stdout);
        free(out);
    }
    free(line);
    if (fflush(stdout) != 0 && rc == 0)
        rc = cli_fail("writing output: %s", strerror(errno));
    return rc;
}
