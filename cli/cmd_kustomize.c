/*
 * gotk kustomize build DIR: build a kustomization with libgotk's kustomize
 * engine and print the YAML stream on stdout (or to -o FILE; -o DIR, an
 * existing directory, gets a file per resource as kustomize writes them), exactly as
 * `kustomize build` / `kubectl kustomize` prints it. Errors go to stderr as
 * "Error: <message>" with exit status 1. --fs-root (gotk's own) confines the
 * build to a directory as kustomize-controller's secure filesystem does. Flags
 * are read as kubectl reads them (pflag, '_' in a name read as '-').
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "gotk/kustomize.h"

/* Print the usage. */
static int usage(FILE *out, int rc)
{
    fputs("Usage:\n  gotk kustomize build DIR [--reorder legacy|none] "
          "[--load-restrictor LoadRestrictionsRootOnly|LoadRestrictionsNone] [-o FILE]\n"
          "      [--fs-root ROOT]   (gotk: refuse every file outside ROOT, symlinks resolved,\n"
          "                          as kustomize-controller builds an artifact)\n"
          "kubectl's --enable-alpha-plugins, --enable-helm, -e/--env, --mount, --network,\n"
          "--network-name, --as-current-user and --helm-* are accepted and change nothing:\n"
          "gotk runs no exec/container plugins and refuses helmCharts.\n",
          out);
    return rc;
}

/* kubectl's flag values: pflag checks them, kubectl kustomize then checks the enums. */
typedef struct {
    const char *reorder, *load_restrictor, *output, *fs_root;
    const char *network_name, *helm_command, *helm_kube_version;
    bool as_current_user, enable_alpha_plugins, enable_helm, helm_debug, network;
    cli_strings env, mount, helm_api_versions;
} build_flags;

/* kubectl's flags for function plugins and Helm only matter to what gotk
 * refuses anyway (exec/container plugins, helmCharts), so they are parsed and
 * checked as kubectl does and change nothing. */
#define BUILD_FLAGS(f)                                                                    \
    {"reorder", 0, FLAG_STRING, &(f)->reorder, "", NULL, false},                          \
    {"load-restrictor", 0, FLAG_STRING, &(f)->load_restrictor, "", NULL, false},          \
    {"output", 'o', FLAG_STRING, &(f)->output, "", NULL, false},                          \
    {"fs-root", 0, FLAG_STRING, &(f)->fs_root, "", NULL, false},                          \
    {"as-current-user", 0, FLAG_BOOL, &(f)->as_current_user, "", NULL, false},            \
    {"enable-alpha-plugins", 0, FLAG_BOOL, &(f)->enable_alpha_plugins, "", NULL, false},  \
    {"enable-helm", 0, FLAG_BOOL, &(f)->enable_helm, "", NULL, false},                    \
    {"env", 'e', FLAG_STRINGS, &(f)->env, "", NULL, false},                               \
    {"helm-api-versions", 0, FLAG_STRINGS, &(f)->helm_api_versions, "", NULL, false},     \
    {"helm-command", 0, FLAG_STRING, &(f)->helm_command, "", NULL, false},                \
    {"helm-debug", 0, FLAG_BOOL, &(f)->helm_debug, "", NULL, false},                      \
    {"helm-kube-version", 0, FLAG_STRING, &(f)->helm_kube_version, "", NULL, false},      \
    {"mount", 0, FLAG_STRINGS, &(f)->mount, "", NULL, false},                             \
    {"network", 0, FLAG_BOOL, &(f)->network, "", NULL, false},                            \
    {"network-name", 0, FLAG_STRING, &(f)->network_name, "", NULL, false}

/* A copy of argv with '_' in long flag names read as '-', as kubectl's flag
 * name normalisation does (--load_restrictor is --load-restrictor). */
static char **normalised_args(int argc, char **argv)
{
    char **a = gotk_xcalloc((size_t)argc + 1, sizeof *a);
    bool only_args = false;
    for (int i = 0; i < argc; i++) {
        a[i] = gotk_xstrdup(argv[i]);
        if (!strcmp(argv[i], "--"))
            only_args = true;
        if (only_args || strncmp(argv[i], "--", 2))
            continue;
        for (char *p = a[i] + 2; *p && *p != '='; p++)
            if (*p == '_')
                *p = '-';
    }
    return a;
}

/* Check the enum flags as kubectl kustomize does and fill the options. */
static int apply_flags(const build_flags *f, gotk_kustomize_opts *o)
{
    if (f->reorder && !strcmp(f->reorder, "legacy"))
        o->reorder = GOTK_KUSTOMIZE_REORDER_LEGACY;
    else if (f->reorder && !strcmp(f->reorder, "none"))
        o->reorder = GOTK_KUSTOMIZE_REORDER_NONE;
    else if (f->reorder)
        return cli_fail("illegal flag value --reorder %s; legal values: [legacy none]",
                        f->reorder);
    if (f->load_restrictor && !strcmp(f->load_restrictor, "LoadRestrictionsNone"))
        o->load_restrictor_none = true;
    else if (f->load_restrictor && strcmp(f->load_restrictor, "LoadRestrictionsRootOnly"))
        return cli_fail("illegal flag value --load-restrictor %s; legal values: "
                        "[LoadRestrictionsRootOnly LoadRestrictionsNone]",
                        f->load_restrictor);
    o->fs_root = f->fs_root;
    return 0;
}

/* Parse the flags of `build` from args (argc of them): 0 to build, -1 after
 * --help, else the exit status. */
static int parse(int argc, char **args, build_flags *f, gotk_kustomize_opts *o,
                 const char **dir)
{
    cli_flag flags[] = {BUILD_FLAGS(f)};
    char **pos = NULL;
    int npos = 0, rc = 0;
    bool help = false;
    gotk_err *e = cli_parse(argc, args, flags, sizeof flags / sizeof *flags, &pos, &npos, &help);
    if (e) {
        rc = cli_fail("%s", gotk_err_msg(e));
        gotk_err_free(e);
    } else if (help)
        rc = usage(stdout, 0) - 1;
    else if (npos > 1)
        rc = cli_fail("specify one path to kustomization.yaml");
    else if (!(rc = apply_flags(f, o)))
        *dir = npos ? pos[0] : ".";
    free(pos);
    return rc;
}

static void free_args(int argc, char **args, build_flags *f)
{
    for (int i = 0; i < argc; i++)
        free(args[i]);
    free(args);
    cli_strings_free(&f->env);
    cli_strings_free(&f->mount);
    cli_strings_free(&f->helm_api_versions);
}

/* Write the output to stdout or the file. */
static int write_out(const gotk_buf *b, const char *outfile)
{
    FILE *f = outfile ? fopen(outfile, "w") : stdout;
    if (!f)
        return cli_fail("cannot write %s", outfile);
    if (b->len)
        fwrite(b->data, 1, b->len, f);
    if (outfile)
        fclose(f);
    return 0;
}

/* Build `dir` with options `o` into outfile (a file, a directory, or stdout when NULL). */
static int build(const char *dir, const gotk_kustomize_opts *o, const char *outfile)
{
    struct stat st;
    if (outfile && stat(outfile, &st) == 0 && S_ISDIR(st.st_mode)) { /* a file per resource */
        json_object *docs = NULL;
        gotk_err *e = gotk_kustomize_build(dir, o, &docs);
        if (!e)
            e = gotk_kustomize_write_dir(docs, outfile);
        json_object_put(docs);
        if (e) {
            fprintf(stderr, "Error: %s\n", gotk_err_msg(e));
            gotk_err_free(e);
            return 1;
        }
        return 0;
    }
    gotk_buf b = {0};
    gotk_err *e = gotk_kustomize_build_yaml(dir, o, &b);
    if (e) {
        fprintf(stderr, "Error: %s\n", gotk_err_msg(e));
        gotk_err_free(e);
        gotk_buf_free(&b);
        return 1;
    }
    int rc = write_out(&b, outfile);
    gotk_buf_free(&b);
    return rc;
}

int cmd_kustomize(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "build"))
        return usage(stderr, 1);
    gotk_kustomize_opts o = {0};
    build_flags f = {0};
    const char *dir = NULL;
    char **args = normalised_args(argc - 2, argv + 2);
    int rc = parse(argc - 2, args, &f, &o, &dir);
    if (!rc)
        rc = build(dir, &o, f.output);
    free_args(argc - 2, args, &f);
    return rc < 0 ? 0 : rc;
}
