/*
 * kustomize: the kustomize build engine (kustomize v5.5.0 behaviour).
 *
 * gotk_kustomize_build() loads the kustomization in a directory (files named
 * kustomization.yaml, kustomization.yml or Kustomization), accumulates its
 * resources and bases recursively, runs its generators, components and
 * transformers, renames references to renamed objects, and returns the
 * resulting objects in kustomize's output order. The output formatted with
 * gotk_yaml_emit_stream(docs, GOTK_YAML_SORT_KEYS, ...) is byte-identical to
 * `kubectl kustomize` / `kustomize build`.
 *
 * Resources are indexed by id (group, version, kind, namespace, name) in hash
 * tables, and name references are resolved through an index of previous names,
 * so a build is linear in the number of resources rather than quadratic.
 *
 * Strategic merge patches merge lists by the OpenAPI schema of the patched
 * object's group/version/kind: kustomize's built-in Kubernetes v1.21.2 schema,
 * or the custom one a kustomization names in `openapi: path:`. Kustomization
 * files are read as kustomize reads them (sigs.k8s.io/yaml: YAML 1.1 words).
 * `buildMetadata` adds kustomize's origin and transformer annotations.
 *
 * Errors read like kustomize's and name the file. Remote resources and
 * helmCharts are not supported and say so.
 *
 * gotk_kustomize_generate() is Flux's case: a directory without a kustomization
 * file gets one listing every manifest below it, as kustomize-controller does.
 */
#ifndef GOTK_KUSTOMIZE_H
#define GOTK_KUSTOMIZE_H

#include <json-c/json.h>
#include <stdbool.h>

#include "gotk/core.h"

typedef enum {
    GOTK_KUSTOMIZE_REORDER_LEGACY = 0, /* kustomize's default GVK order */
    GOTK_KUSTOMIZE_REORDER_NONE,       /* input order (what Flux uses) */
} gotk_kustomize_reorder;

typedef struct {
    gotk_kustomize_reorder reorder;
    /* false: LoadRestrictionsRootOnly (the default); true: LoadRestrictionsNone */
    bool load_restrictor_none;
    /* Flux's secure filesystem (kustomize-controller builds with it and
     * load_restrictor_none): when set, no file or directory outside this
     * directory may be read, symlinks resolved; the error reads
     * "fs-security-constraint read PATH: path 'PATH' is not in or below 'ROOT'".
     * NULL: no confinement. */
    const char *fs_root;
    /* With fs_root: a directory that stands for the root, made of real
     * directories and symlinks into fs_root (kustomize-controller's work tree,
     * where it writes the kustomization file it generates without touching the
     * shared artifact). Paths in it count as inside the root; errors name it. */
    const char *fs_view;
} gotk_kustomize_opts;

/* Build the kustomization in `dir`. `*docs` is a new json array of objects the
 * caller frees with json_object_put. `opts` may be NULL for the defaults. */
gotk_err *gotk_kustomize_build(const char *dir, const gotk_kustomize_opts *opts,
                               json_object **docs);

/* Build and append the YAML stream, exactly as kustomize prints it. */
gotk_err *gotk_kustomize_build_yaml(const char *dir, const gotk_kustomize_opts *opts,
                                    gotk_buf *out);

/* `kustomize build -o DIR` with DIR a directory: each resource of `docs` (as
 * gotk_kustomize_build made them) in a file of its own, named as kustomize
 * names them. */
gotk_err *gotk_kustomize_write_dir(json_object *docs, const char *dir);

/* Flux's generator: when `dir` holds no kustomization file, write a
 * kustomization.yaml listing every Kubernetes manifest (*.yaml, *.yml, *.json)
 * found below it, and every subdirectory holding a kustomization file as a
 * directory resource. `*created` tells whether a file was written. */
gotk_err *gotk_kustomize_generate(const char *dir, bool *created);

#endif
