/*
 * gotk kustomize build DIR: build a kustomization with libgotk's kustomize
 * engine and print the YAML stream on stdout (or to -o FILE; -o DIR, an
 * existing directory, gets a file per resource as kustomize writes them), exactly as
 * `kustomize build` / `kubectl kustomize` prints it. Errors go to stderr as
 * "Error: <message>" with exit status 1. --fs-root (gotk's own) confines the
 * build to a directory as kustomize-controller's secure filesystem does.
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
          "                          as kustomize-controller builds an artifact)\n",
          out);
    return rc;
}

/* The value of --flag=value or --flag value. */
static const char *flag_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (!strcmp(argv[*i], name) && *i + 1 < argc)
        return argv[++*i];
    return NULL;
}

/* Parse the flags of `build`. */
static int parse(int argc, char **argv, gotk_kustomize_opts *o, const char **dir,
                 const char **outfile)
{
    for (int i = 2; i < argc; i++) {
        const char *v;
        if ((v = flag_value(argc, argv, &i, "--reorder"))) {
            if (!strcmp(v, "legacy"))
                o->reorder = GOTK_KUSTOMIZE_REORDER_LEGACY;
            else if (!strcmp(v, "none"))
                o->reorder = GOTK_KUSTOMIZE_REORDER_NONE;
            else
                return cli_fail("illegal --reorder value \"%s\": use legacy or none", v);
        } else if ((v = flag_value(argc, argv, &i, "--load-restrictor"))) {
            if (!strcmp(v, "LoadRestrictionsNone"))
                o->load_restrictor_none = true;
            else if (!strcmp(v, "LoadRestrictionsRootOnly"))
                o->load_restrictor_none = false;
            else
                return cli_fail("illegal --load-restrictor value \"%s\"", v);
        } else if ((v = flag_value(argc, argv, &i, "--fs-root"))) {
            o->fs_root = v;
        } else if ((v = flag_value(argc, argv, &i, "-o")) ||
                   (v = flag_value(argc, argv, &i, "--output"))) {
            *outfile = v;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            return usage(stdout, 0) - 1;
        } else if (argv[i][0] == '-') {
            return cli_fail("unknown flag: %s", argv[i]);
        } else if (!*dir) {
            *dir = argv[i];
        } else {
            return cli_fail("specify one path to kustomization.yaml");
        }
    }
    return 0;
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

int cmd_kustomize(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "build"))
        return usage(stderr, 1);
    gotk_kustomize_opts o = {0};
    const char *dir = NULL, *outfile = NULL;
    int rc = parse(argc, argv, &o, &dir, &outfile);
    if (rc)
        return rc < 0 ? 0 : rc;
    struct stat st;
    if (outfile && stat(outfile, &st) == 0 && S_ISDIR(st.st_mode)) { /* a file per resource */
        json_object *docs = NULL;
        gotk_err *e = gotk_kustomize_build(dir ? dir : ".", &o, &docs);
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
    gotk_err *e = gotk_kustomize_build_yaml(dir ? dir : ".", &o, &b);
    if (e) {
        fprintf(stderr, "Error: %s\n", gotk_err_msg(e));
        gotk_err_free(e);
        gotk_buf_free(&b);
        return 1;
    }
    rc = write_out(&b, outfile);
    gotk_buf_free(&b);
    return rc;
}
