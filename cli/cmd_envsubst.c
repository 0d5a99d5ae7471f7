/* placeholder: gotk envsubst is written with the envsubst module */
#include "cli.h"
int cmd_envsubst(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("envsubst: unavailable in this build");
}
