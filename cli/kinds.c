/*
 * The Flux kinds of the operating commands, the words naming them, and flux's
 * table printer (olekukonko/tablewriter as printers.TablePrinter sets it up:
 * cells padded to the column's width, separated by a tab; every row ends with a
 * tab, the header does not).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gotk/obj.h"
#include "gotk/runtime.h"
#include "kinds.h"

const cli_kind cli_kinds[] = {
    {"GitRepository", "source.toolkit.fluxcd.io/v1", "source git", "gitrepositories.source.toolkit.fluxcd.io", COL_ARTIFACT, true},
    {"HelmRepository", "source.toolkit.fluxcd.io/v1", "source helm", "helmrepositories.source.toolkit.fluxcd.io", COL_ARTIFACT, true},
    {"OCIRepository", "source.toolkit.fluxcd.io/v1", "source oci", "ocirepositories.source.toolkit.fluxcd.io", COL_ARTIFACT, true},
    {"Bucket", "source.toolkit.fluxcd.io/v1", "source bucket", "buckets.source.toolkit.fluxcd.io", COL_ARTIFACT, true},
    {"HelmChart", "source.toolkit.fluxcd.io/v1", "source chart", "helmcharts.source.toolkit.fluxcd.io", COL_CHART, true},
    {"Kustomization", "kustomize.toolkit.fluxcd.io/v1", "kustomization", "kustomizations.kustomize.toolkit.fluxcd.io", COL_APPLIED, true},
    {"HelmRelease", "helm.toolkit.fluxcd.io/v2", "helmrelease", "helmreleases.helm.toolkit.fluxcd.io", COL_RELEASE, true},
    {"ImageRepository", "image.toolkit.fluxcd.io/v1", "image repository", "imagerepositories.image.toolkit.fluxcd.io", COL_SCAN, true},
    {"ImagePolicy", "image.toolkit.fluxcd.io/v1", "image policy", "imagepolicies.image.toolkit.fluxcd.io", COL_POLICY, true},
    {"ImageUpdateAutomation", "image.toolkit.fluxcd.io/v1", "image update", "imageupdateautomations.image.toolkit.fluxcd.io", COL_RUN, true},
};
const size_t cli_nkinds = sizeof cli_kinds / sizeof cli_kinds[0];

/* The kind named exactly so, or NULL. */
const cli_kind *cli_kind_by_name(const char *kind)
{
    for (size_t i = 0; i < cli_nkinds; i++)
        if (!strcmp(cli_kinds[i].kind, kind))
            return &cli_kinds[i];
    return NULL;
}

/* Whether w equals one of a, b, c (each may be NULL). */
static bool is(const char *w, const char *a, const char *b, const char *c)
{
    return w && ((a && !strcmp(w, a)) || (b && !strcmp(w, b)) || (c && !strcmp(w, c)));
}

/* The kind named by the command words (see kinds.h). */
const cli_kind *cli_kind_from_words(int argc, char **argv, int *used)
{
    const char *w0 = argc > 0 ? argv[0] : NULL, *w1 = argc > 1 ? argv[1] : NULL;
    *used = 1;
    if (is(w0, "kustomization", "kustomizations", "ks"))
        return cli_kind_by_name("Kustomization");
    if (is(w0, "helmrelease", "helmreleases", "hr"))
        return cli_kind_by_name("HelmRelease");
    *used = 2;
    if (is(w0, "source", "sources", NULL)) {
        static const char *const words[] = {"git", "helm", "oci", "bucket", "chart"};
        for (size_t i = 0; i < 5; i++)
            if (is(w1, words[i], NULL, NULL))
                return &cli_kinds[i];
    }
    if (is(w0, "image", "images", NULL)) {
        if (is(w1, "repository", NULL, NULL))
            return cli_kind_by_name("ImageRepository");
        if (is(w1, "policy", NULL, NULL))
            return cli_kind_by_name("ImagePolicy");
        if (is(w1, "update", NULL, NULL))
            return cli_kind_by_name("ImageUpdateAutomation");
    }
    *used = 0;
    return NULL;
}

/* Ready's status and message as flux's statusAndMessage gives them. */
void cli_ready(json_object *obj, const char **status, const char **message)
{
    json_object *c = gotk_cond_get(obj, "Ready");
    *status = c ? gotk_obj_get_str(c, "status") : NULL;
    *message = c ? gotk_obj_get_str(c, "message") : NULL;
    if (!c) {
        *status = "False";
        *message = "waiting to be reconciled";
    }
    if (!*status)
        *status = "";
    if (!*message)
        *message = "";
}

/* A lower-case hex digit. */
static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* A \w character. */
static bool is_word(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* utils.TruncateHex: \b[a-f0-9]{40,128}\b shortened to 8 characters. */
char *cli_truncate_hex(const char *s)
{
    gotk_buf b = {0};
    size_t n = strlen(s), i = 0;
    gotk_buf_puts(&b, "");
    while (i < n) {
        size_t j = i;
        while (j < n && is_hex(s[j]))
            j++;
        bool bounded = (i == 0 || !is_word(s[i - 1])) && (j == n || !is_word(s[j]));
        if (j - i >= 40 && j - i <= 128 && bounded) {
            gotk_buf_append(&b, s + i, 8);
            i = j;
        } else {
            gotk_buf_putc(&b, s[i++]);
        }
    }
    return gotk_buf_steal(&b);
}

/* Width as tablewriter counts it: one per UTF-8 code point. */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/* An empty table; the header is upper-cased as tablewriter does. */
void cli_table_init(cli_table *t, size_t ncols, const char *const *header)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
    if (!header)
        return;
    t->header = gotk_xcalloc(ncols, sizeof *t->header);
    for (size_t i = 0; i < ncols; i++) {
        t->header[i] = gotk_xstrdup(header[i]);
        for (char *p = t->header[i]; *p; p++)
            *p = (char)toupper((unsigned char)*p);
    }
}

/* Append one row. */
void cli_table_add(cli_table *t, const char *const *row)
{
    t->cells = gotk_xrealloc(t->cells, (t->nrows + 1) * t->ncols * sizeof *t->cells);
    for (size_t i = 0; i < t->ncols; i++)
        t->cells[t->nrows * t->ncols + i] = gotk_xstrdup(row[i] ? row[i] : "");
    t->nrows++;
}

/* A cell padded with spaces to the column width. */
static void pad(FILE *out, const char *s, size_t w)
{
    fputs(s, out);
    for (size_t n = width(s); n < w; n++)
        fputc(' ', out);
}

/* Print the table as printers.TablePrinter does. */
void cli_table_print(const cli_table *t, FILE *out)
{
    size_t *w = gotk_xcalloc(t->ncols, sizeof *w);
    for (size_t c = 0; c < t->ncols; c++) {
        w[c] = t->header ? width(t->header[c]) : 0;
        for (size_t r = 0; r < t->nrows; r++) {
            size_t cw = width(t->cells[r * t->ncols + c]);
            if (cw > w[c])
                w[c] = cw;
        }
    }
    for (size_t c = 0; t->header && c < t->ncols; c++) {
        pad(out, t->header[c], w[c]);
        fputs(c + 1 < t->ncols ? "\t" : "\n", out);
    }
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            pad(out, t->cells[r * t->ncols + c], w[c]);
            fputc('\t', out);
        }
        fputc('\n', out);
    }
    free(w);
    fflush(out);
}

/* Free the table's cells. */
void cli_table_free(cli_table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    for (size_t i = 0; t->header && i < t->ncols; i++)
        free(t->header[i]);
    free(t->cells);
    free(t->header);
}

/* Print the error as one line, free it, return 1. */
int cli_fail_err(gotk_err *e)
{
    int rc = cli_fail("%s", gotk_err_msg(e));
    gotk_err_free(e);
    return rc;
}
