/* gotk version: prints the CLI version, as `flux version --client`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef GOTK_VERSION
#define GOTK_VERSION "dev"
#endif

int cmd_version(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            puts("Print the version of the gotk CLI.\n\nUsage:\n  gotk version [flags]\n\n"
                 "Examples:\n  gotk version --client");
            return 0;
        }
        if (strcmp(argv[i], "--client") != 0)
            return cli_fail("unknown flag: %s", argv[i]);
    }
    printf("gotk: v%s\n", GOTK_VERSION);
    return 0;
}
