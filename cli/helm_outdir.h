/*
 * helm_outdir.h: helm template --output-dir: each rendered manifest, CRD and
 * hook appended to a file under the directory instead of printed.
 */
#ifndef GOTK_CLI_HELM_OUTDIR_H
#define GOTK_CLI_HELM_OUTDIR_H

#include <stdbool.h>

#include "gotk/core.h"
#include "gotk/helm.h"

typedef struct {
    const char *dir;          /* --output-dir */
    const char *release_name; /* a subdirectory for templates and hooks when set (--release-name) */
    bool no_hooks, skip_tests;
} helm_outdir_opts;

/* Write rel's manifests (CRDs into the directory itself, as Helm) and then
 * its hooks as helm template does, appending "wrote PATH" lines to `out`. */
gotk_err *helm_outdir_write(const gotk_helm_release *rel, const helm_outdir_opts *o,
                            gotk_buf *out);

#endif
