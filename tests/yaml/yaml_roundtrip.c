/*
 * yaml_roundtrip: the gotk side of the YAML differential tests.
 *
 * Reads one YAML file with gotk_yaml_parse_file and prints the documents back
 * with gotk_yaml_emit_stream, keys sorted as kustomize prints them, so that
 * tests/yaml/diff-kustomize.sh can compare the output byte for byte with
 * `kubectl kustomize --reorder none`. A parse or emit error goes to stderr as
 * the library words it ("file:line:col: message") and the exit status is 1.
 *
 * Usage: yaml_roundtrip [--keep-order] FILE
 *   --keep-order  emit keys in input order instead of sorting them
 */
#include <stdio.h>
#include <string.h>

#include "gotk/core.h"
#include "gotk/obj.h"

/* Print a usage line and return the exit status for bad arguments. */
static int usage(void)
{
    fputs("usage: yaml_roundtrip [--keep-order] FILE\n", stderr);
    return 2;
}

/* Report an error once, free it, and return exit status 1. */
static int fail(gotk_err *e)
{
    fprintf(stderr, "%s\n", gotk_err_msg(e));
    gotk_err_free(e);
    return 1;
}

/* Parse `path`, emit it with `flags` and write the result to stdout. */
static int roundtrip(const char *path, unsigned flags)
{
    json_object *docs = NULL;
    gotk_err *e = gotk_yaml_parse_file(path, &docs);
    if (e)
        return fail(e);
    gotk_buf out = {0};
    e = gotk_yaml_emit_stream(docs, flags, &out);
    json_object_put(docs);
    if (e) {
        gotk_buf_free(&out);
        return fail(e);
    }
    size_t n = out.len ? fwrite(out.data, 1, out.len, stdout) : 0;
    int bad = n != out.len || fflush(stdout) != 0;
    gotk_buf_free(&out);
    if (bad) {
        perror("yaml_roundtrip: writing stdout");
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    unsigned flags = GOTK_YAML_SORT_KEYS;
    int i = 1;
    if (i < argc && strcmp(argv[i], "--keep-order") == 0) {
        flags = 0;
        i++;
    }
    if (argc - i != 1)
        return usage();
    return roundtrip(argv[i], flags);
}
