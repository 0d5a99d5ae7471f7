/*
 * The Flux kinds the operating commands (get, reconcile, suspend, resume,
 * delete, export, tree, events, uninstall) work on, the words that name them on
 * the command line ("source git", "ks", "image policy"), and the helpers those
 * commands share: flux's table printer, hex truncation, conditions.
 */
#ifndef GOTK_CLI_KINDS_H
#define GOTK_CLI_KINDS_H

#include <json-c/json.h>

#include "cli.h"

typedef enum {
    COL_ARTIFACT,   /* REVISION from status.artifact.revision */
    COL_CHART,      /* the same, not truncated (a SemVer) */
    COL_APPLIED,    /* REVISION from status.lastAppliedRevision */
    COL_RELEASE,    /* REVISION from history[0].chartVersion or lastAttemptedRevision */
    COL_SCAN,       /* LAST SCAN */
    COL_POLICY,     /* IMAGE, TAG, no SUSPENDED */
    COL_RUN,        /* LAST RUN */
} cli_kind_cols;

typedef struct {
    const char *kind;        /* GitRepository */
    const char *api_version; /* source.toolkit.fluxcd.io/v1 */
    const char *human;       /* "source git", as flux names it in messages */
    const char *crd;         /* gitrepositories.source.toolkit.fluxcd.io */
    cli_kind_cols cols;
    bool reconcilable;       /* gotk reconcile works on it */
} cli_kind;

extern const cli_kind cli_kinds[];
extern const size_t cli_nkinds;

/* The kind named by the words at argv[0] (and argv[1]): "source git", "sources
 * helm", "kustomization", "ks", "helmrelease", "hr", "image policy", ...; sets
 * *used to how many words it took. NULL when unknown. */
const cli_kind *cli_kind_from_words(int argc, char **argv, int *used);
const cli_kind *cli_kind_by_name(const char *kind);

/* Ready's status and message, or flux's "False"/"waiting to be reconciled". */
void cli_ready(json_object *obj, const char **status, const char **message);
/* Hex runs of 40..128 characters shortened to 8 (utils.TruncateHex). Caller frees. */
char *cli_truncate_hex(const char *s);

/* A table as flux's printers.TablePrinter writes it (tablewriter, tab-padded). */
typedef struct {
    size_t ncols, nrows;
    char **cells; /* nrows * ncols, owned */
    char **header; /* ncols, owned; NULL: no header */
} cli_table;

void cli_table_init(cli_table *t, size_t ncols, const char *const *header);
/* Append a row of `ncols` strings (copied). */
void cli_table_add(cli_table *t, const char *const *row);
void cli_table_print(const cli_table *t, FILE *out);
void cli_table_free(cli_table *t);

/* Print an error as one line and return 1. */
int cli_fail_err(gotk_err *e);

#endif
