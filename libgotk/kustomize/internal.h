/*
 * kustomize internals: the types shared by the engine's files.
 *
 * A build is one `kctx` (options, the stack of directories being loaded for cycle
 * detection). Each kustomization level accumulates a `kmap`: resources in order,
 * each a `kres` holding its json-c object plus what kustomize keeps in build
 * annotations (previous ids, applied prefixes and suffixes, generator behavior),
 * kept here as C fields instead. A kmap indexes its resources by current id in a
 * hash table so lookups and conflict checks cost O(1).
 */
#ifndef GOTK_KUSTOMIZE_INTERNAL_H
#define GOTK_KUSTOMIZE_INTERNAL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "gotk/core.h"
#include "gotk/kustomize.h"
#include "gotk/obj.h"

/* The length of a json array; 0 for anything else (user input may have any type). */
static inline size_t karr_n(json_object *a)
{
    return a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

/* The text of a scalar; "" for NULL (a YAML null) or anything without text. */
static inline const char *kstr(json_object *o)
{
    const char *s = o ? json_object_get_string(o) : NULL;
    return s ? s : "";
}

/* ---- string list / hash ------------------------------------------------- */

typedef struct {
    char **v;
    size_t n, cap;
} kstrv;

void kstrv_push(kstrv *s, const char *str);
void kstrv_free(kstrv *s);

/* A string -> pointer hash table (open addressing); keys are copied. */
typedef struct {
    char **keys;
    void **vals;
    size_t n, cap;
} khash;

void *khash_get(const khash *h, const char *key);
void khash_put(khash *h, const char *key, void *val);
void khash_free(khash *h);

/* ---- resources ---------------------------------------------------------- */

/* A previous id recorded when a transformer renamed a resource. */
typedef struct {
    char *name, *ns, *kind; /* ns is the effective namespace */
} kprev;

enum { KBEH_UNSPEC = 0, KBEH_CREATE, KBEH_MERGE, KBEH_REPLACE };

typedef struct kres {
    json_object *obj; /* owned */
    kprev *prev;
    size_t nprev;
    kstrv prefixes, suffixes;
    int behavior;     /* generator behavior */
    bool needs_hash;  /* generated without disableNameSuffixHash */
    bool generated;   /* made by a configMapGenerator or secretGenerator entry */
    bool local;       /* config.kubernetes.io/local-config */
    char *origin;     /* the config.kubernetes.io/origin text, when tracked */
    char *transforms; /* the alpha.config.kubernetes.io/transformations list */
    kstrv refvars;    /* names of the vars this resource defines */
    char *dup_labels; /* a repeated label key a patch brought in whole (yaml.v3's
                         complaint when kustomize writes the resource out) */
} kres;

typedef struct {
    kres **v;
    size_t n, cap;
    khash idx; /* current id key -> kres* */
} kmap;

/* Group, version, kind, name, namespace of an object (never NULL). */
void kres_gvk(json_object *o, const char **group_out, size_t *glen, const char **version);
const char *kres_kind(const kres *r);
const char *kres_name(const kres *r);
const char *kres_ns(const kres *r);
const char *kres_apiversion(const kres *r);
/* The effective namespace: "_non_namespaceable_" for cluster-scoped kinds,
 * "default" for empty. */
const char *keff_ns(const char *apiversion, const char *kind, const char *ns);
const char *kres_eff_ns(const kres *r);
bool kres_cluster(const kres *r);
bool kav_cluster_scoped(const char *apiversion, const char *kind);
bool kgk_cluster_scoped(const char *group, size_t glen, const char *kind);
/* Id as kustomize prints it: Kind.version.group/name.namespace */
char *kres_id_string(const kres *r);
/* The hash key of the current id. */
char *kres_key(const kres *r);
/* Remember the current name/namespace/kind as a previous id. */
void kres_store_prev(kres *r);
/* Original id name (first previous name, or the current one). */
const char *kres_org_name(const kres *r);
const char *kres_org_ns_eff(const kres *r);
/* Does the selector group/version/kind select (group, version, kind)? */
bool kgvk_selected(const char *g, const char *v, const char *k, const char *sg,
                   const char *sv, const char *sk);

/* Shrink the hash tables of o's maps to their sizes (recursively). */
void kobj_compact(json_object *o);
/* v to set somewhere: scalars shared (a new reference), maps and lists copied. */
json_object *kval_share(json_object *v);
/* A new empty map with a small table. */
json_object *kobj_new_small(void);

kres *kres_new(json_object *obj); /* compacts obj */
void kres_free(kres *r);
void kres_set_name(kres *r, const char *name);

/* Append; fails with kustomize's message when the id is taken. Takes r. */
gotk_err *kmap_append(kmap *m, kres *r);
kres *kmap_find(kmap *m, const kres *like);
/* Rebuild the id index after transformers changed ids. */
void kmap_reindex(kmap *m);
/* Remove entry i (frees it). */
void kmap_remove(kmap *m, size_t i);
void kmap_free(kmap *m);

/* ---- field specs -------------------------------------------------------- */

typedef struct {
    const char *group, *version, *kind, *path;
    bool create;
    kstrv segs; /* path split at unescaped slashes, owned by the list */
} kfspec;

/* An object's group, version and kind, looked up once for many spec checks. */
typedef struct {
    char group[256];
    const char *version, *kind;
} kgvk;

void kgvk_of(json_object *o, kgvk *out);
bool kfs_matches_gvk(const kfspec *fs, const kgvk *g);

/* A list of field specs (static tables plus ones loaded from configurations). */
typedef struct {
    kfspec *v;
    size_t n, cap;
} kfslist;

enum {
    KFS_COMMON_LABELS,
    KFS_TEMPLATE_LABELS,
    KFS_ANNOTATIONS,
    KFS_NAMESPACE,
    KFS_PREFIX,
    KFS_SUFFIX,
    KFS_IMAGES,
    KFS_REPLICAS,
    KFS_VARREF,
    KFS_LABELS, /* `labels:` in configurations, merged into every labels entry's fields */
    KFS_NCLASSES
};

/* A name reference: referrer field specs pointing at a target gvk. */
typedef struct {
    const char *group, *version, *kind; /* the target */
    kfslist refs;
} knameref;

typedef struct {
    kfslist fs[KFS_NCLASSES];
    knameref *nr;
    size_t nnr;
    kstrv owned; /* strings read from configuration files */
} kconfig;

/* Merge a sub-level's configuration into c, taking over its strings; frees sub.
 * Returns NULL, or kustomize's "failed to merge X fieldSpec: conflicting
 * fieldspecs" for the first list (in kustomize's order) where a spec met one
 * for the same gvk and path with the other `create` (c is merged regardless). */
const char *kconfig_absorb(kconfig *c, kconfig *sub);
/* Merge field specs `add` into `into`, skipping ones already present; true
 * when one of them differed from the present one in `create` (kustomize's
 * "conflicting fieldspecs"). */
bool kfslist_merge(kfslist *into, const kfslist *add);
void kfslist_free(kfslist *l);

void kconfig_default(kconfig *c);
void kconfig_free(kconfig *c);
void kfslist_add(kfslist *l, const char *g, const char *v, const char *k, const char *path,
                 bool create);
/* Add the field specs of a decoded configuration file (see kconfig_decode) to
 * an empty c, as kustomize's decoding does: each list sorted, not merged. */
void kconfig_merge_doc(kconfig *c, json_object *doc);
/* Go's %v of kustomize's *TransformerConfig, as its "merging config" error
 * prints it. */
char *kconfig_go_string(const kconfig *c);
/* Decode a `configurations:` file strictly, as kustomize (tconfig.c); *out is
 * the document with canonical field names and typed values. */
gotk_err *kconfig_decode(const char *data, size_t len, const char *source, json_object **out);

/* The place a value lives in its parent, so a setter can read and replace it. */
typedef struct {
    json_object *parent;
    const char *key; /* when the parent is an object */
    size_t idx;      /* when the parent is an array */
} kslot;

json_object *kslot_get(const kslot *s);
/* Replace the value (takes ownership of v). */
void kslot_set(const kslot *s, json_object *v);

typedef gotk_err *(*kfs_fn)(const kslot *s, void *ud);

/* Apply fn at `path` ("spec/template/metadata/labels", "a/b[]/c", escaped "\/")
 * in obj. With create, missing fields are made: maps on the way and the last one
 * of type create_last (json_type_object or json_type_string); json_type_null
 * means never create. */
gotk_err *kfs_apply(json_object *obj, const char *path, bool create, json_type create_last,
                    kfs_fn fn, void *ud);
/* The same with a spec's pre-split path and its create flag. */
gotk_err *kfs_apply_spec(json_object *obj, const kfspec *fs, bool create, json_type create_last,
                         kfs_fn fn, void *ud);
/* Does spec select the resource's gvk? */
bool kfs_matches(const kfspec *fs, json_object *obj);

/* kustomize's strict decoding of a kustomization, nested types included
 * (kstrict.c); renames keys that match a field only ignoring case. */
gotk_err *kstrict_kustomization(json_object *k);
/* A parse error of file rel worded as kustomize's MalformedYAMLError (takes e). */
gotk_err *kmalformed(gotk_err *e, const char *rel);
/* kustomize's refusal to write NaN or an infinity (nonfinite.c), or NULL. */
gotk_err *kcheck_nonfinite(const kmap *m);

/* ---- label and annotation text (metatext.c) ----------------------------- */

/* Per mapping document of a stream: {"kind", "name", "labels": {k: text},
 * "annotations": {k: text}} with each value's scalar text as written and the
 * last of a repeated key winning (kyaml's GetLabels/GetAnnotations); also
 * "labels/nulls" and "annotations/nulls": {k: true} where that value is null,
 * "labels/first" and "annotations/first": each key's first text. */
json_object *kmeta_texts(const char *data, size_t len);
/* The first key the stream repeats anywhere but in metadata.annotations, as
 * yaml.v3 words it ("line 7: mapping key \"y\" already defined at line 6"),
 * "" when the stream does not parse, or NULL. */
char *kdup_outside_annotations(const char *data, size_t len);
/* The entry of kmeta_texts for an object (same kind and name), or NULL. */
json_object *kmeta_texts_for(json_object *texts, json_object *obj);

/* ---- OpenAPI schema (schema.c) ------------------------------------------ */

/* A custom schema from `openapi: path:` (definitions indexed by gvk). */
typedef struct {
    json_object *doc;
    khash bygvk; /* "apiVersion\nkind" -> definition (borrowed) */
    char *broken; /* a file that did not parse: kustomize fails only once a
                     patch needs the schema ("invalid schema file: yaml: ...") */
} kschema;

/* A place in the active schema: a node of the built-in table (bi), or of a
 * custom schema (js); neither when the schema says nothing there. */
typedef struct {
    int bi;
    json_object *js, *defs;
} ksnode;

gotk_err *kschema_load(kschema *s, const char *data, size_t len, const char *source);
void kschema_free(kschema *s);
/* The node of a kind in the custom schema, or the built-in one when NULL. */
ksnode ksch_root(const kschema *custom, const char *apiversion, const char *kind);
/* A map field's node (a property, else the additionalProperties schema). */
ksnode ksch_field(ksnode n, const char *field);
/* A list's element node. */
ksnode ksch_elems(ksnode n);
/* How a list merges: NULL replaced, "" merged as a set of scalars, else its
 * merge keys ("name", "containerPort,protocol"). */
const char *ksch_list_keys(ksnode n);

/* ---- the build context -------------------------------------------------- */

typedef struct {
    gotk_kustomize_opts opts;
    char *secure_root;  /* opts.fs_root resolved, or NULL */
    char *secure_view;  /* opts.fs_view resolved, or NULL */
    kstrv stack;        /* directories being loaded (cycle detection) */
    json_object *top_k; /* the top kustomization (sortOptions, buildMetadata) */
    bool origin_on;     /* buildMetadata asks for origin annotations */
    bool track_on;      /* buildMetadata asks for transformer annotations */
    char *origin;       /* directory of the level being loaded, relative to the top */
    const char *kfile;  /* file name of the kustomization being loaded */
    json_object *vars;  /* every var declared so far (array) */
    kschema *schema;    /* the custom OpenAPI schema in use, NULL: built in */
    bool schema_set;    /* a level chose the schema (kustomize sets it once) */
    char *bare_err;     /* an error kustomize reports without its wrapping */
    /* set while a `generators:` entry runs: its file (NULL inline) and name */
    const char *plugin_file, *plugin_name, *plugin_ns;
} kctx;

/* Join relative paths and clean them as Go's filepath.Join does. Caller frees. */
char *krel_join(const char *a, const char *b);

/* A loaded kustomization: its directory and parsed file. */
typedef struct {
    char *dir;       /* absolute, clean */
    char *file;      /* the kustomization file's path */
    json_object *k;  /* parsed kustomization */
    bool component;
} kdir;

/* Build the directory into `out` (the full pipeline minus hashes/refs/sort when
 * `top` is false). For components, `out` holds the parent's resources. */
gotk_err *kbuild_dir(kctx *c, const char *dir, bool component, kmap *out, kconfig *cfg);

/* Read a file below the kustomization root, honouring the load restrictor. */
gotk_err *kload_file(kctx *c, const char *root, const char *rel, char **data, size_t *len,
                     char **abspath);
/* Is path inside (or equal to) root? Both absolute and clean. */
bool kpath_within(const char *path, const char *root);
/* With a confinement root (opts.fs_root), refuse an absolute path that is not
 * in or below it once symlinks are resolved, in Flux's words ("fs-security-
 * constraint OP PATH: ..."). NULL when allowed or unconfined. */
gotk_err *ksecure_check(const kctx *c, const char *abs, const char *op);
/* Join and clean a path. Caller frees. */
char *kpath_join(const char *dir, const char *rel);

/* ---- transformers ------------------------------------------------------- */

/* NamespaceTransformer options: rb_mode 0 defaultOnly, 1 allServiceAccounts, 2 none. */
typedef struct {
    bool unset_only;
    int rb_mode;
} knsopts;

gotk_err *kt_namespace(kmap *m, const char *ns, const kfslist *fs, const knsopts *o);
gotk_err *kt_prefix_suffix(kmap *m, const char *prefix, const char *suffix,
                           const kfslist *pfs, const kfslist *sfs);
gotk_err *kt_labels(kmap *m, json_object *labels, const kfslist *specs);
gotk_err *kt_annotations(kmap *m, json_object *annos, const kfslist *specs);
gotk_err *kt_image(kmap *m, json_object *image, const kfslist *specs);
gotk_err *kt_replicas(kmap *m, json_object *replica, const kfslist *specs);
/* Rename references to renamed resources (after all levels). */
gotk_err *kt_namerefs(kmap *m, const kconfig *cfg);
/* Add the content hash to generated names. */
gotk_err *kt_hash_names(kmap *m);
/* The namespace transformer's error for resources it gave one id (inmemory.c). */
gotk_err *kt_namespace_conflict(const kmap *m);
/* kyaml's check of a resource a JSON patch rewrote: a map, with a kind, and a
 * name unless the kind is a List; the error prints its ResourceMeta. */
gotk_err *kres_validate_meta(const kres *r);
/* kustomize's name hash of a ConfigMap or Secret. */
gotk_err *kgen_hash(json_object *obj, char out[11]);
/* A copy of v with map keys sorted at every level, as Go encodes maps. */
json_object *ksorted_copy(json_object *v);
/* A map's keys in byte order (borrowed from the map). Caller frees the array. */
const char **ksorted_keys(json_object *map, size_t *n);

/* ---- transformer annotations (buildMetadata: [transformerAnnotations]) --- */

/* Record that the builtin transformer `kind` of the level being built ran:
 * every resource in m gets it in its transformations (or as its origin when
 * it has none), as kustomize's multiTransformer does. No-op unless tracking. */
void ktrack_builtin(kctx *c, kmap *m, const char *kind);
/* The same for a `transformers:` configuration document configured in file
 * `in` (relative to the top). */
void ktrack_plugin(kctx *c, kmap *m, json_object *doc, const char *in);
/* Resources a `generators:` configuration added (m's entries from `from`)
 * without an origin get the configuration as theirs, when origins are tracked. */
void ktrack_generated(kctx *c, kmap *m, size_t from, json_object *doc, const char *in);

/* ---- generators --------------------------------------------------------- */

gotk_err *kgen_run(kctx *c, const char *root, json_object *k, kmap *m);

/* ---- builtin plugin configs (transformers: / generators:) -------------- */

gotk_err *kplugins_run(kctx *c, const char *root, json_object *k, const char *field, kmap *m,
                       kconfig *cfg);

/* ---- patches ------------------------------------------------------------ */

/* Strategic merge `patch` into `dst` (modified in place), with the merge
 * keys of the custom schema, or of the built-in one when NULL. */
gotk_err *ksmp_apply(json_object **dst, json_object *patch, const kschema *custom);
/* Apply JSON 6902 operations (array). */
gotk_err *kjson6902_apply(json_object **dst, json_object *ops);
/* Patches of one kustomization level: phase 0 runs patchesStrategicMerge and
 * patches, phase 1 patchesJson6902 (kustomize runs them at different points). */
gotk_err *kpatch_run(kctx *c, const char *root, json_object *k, kmap *m, int phase);
/* One `patches:`-shaped entry ({patch|path, target, options}). */
gotk_err *kpatch_entry(kctx *c, const char *root, json_object *pe, kmap *m);
/* One `patchesJson6902:`-shaped entry ({target, path|patch}) with
 * PatchJson6902Transformer's checks (a target name, one of path and patch). */
gotk_err *kpatch_json6902_entry(kctx *c, const char *root, json_object *pe, kmap *m);
/* patchesStrategicMerge-shaped list of files or inline documents. */
gotk_err *kpatch_psm(kctx *c, const char *root, json_object *list, kmap *m);
/* kyaml's metadata check of one document (kind; a name unless a List). */
gotk_err *kvalidate_meta(json_object *d);
/* Append Go's %q quoting of s. */
void kgo_quote(gotk_buf *b, const char *s);
/* Parse a resource file's documents into a list of objects (Lists expanded). */
gotk_err *kparse_resources(const char *data, size_t len, const char *source,
                           json_object **docs);

/* Does a Kubernetes label selector ("a=b,c in (x,y),!d") select the map? */
bool ksel_match(const char *sel, json_object *map);

/* ---- replacements ------------------------------------------------------- */

gotk_err *krepl_run(kctx *c, const char *root, json_object *k, kmap *m);

/* ---- crds --------------------------------------------------------------- */

/* Merge the field specs found in a level's `crds:` definitions into cfg. */
gotk_err *kcrds_load(kctx *c, const char *root, json_object *k, kconfig *cfg);
/* `validators:` of one level: run as transformers that must change nothing
 * (plugins.c). */
gotk_err *kvalidators_run(kctx *c, const char *root, json_object *k, kmap *m, kconfig *cfg);

/* ---- vars --------------------------------------------------------------- */

/* Register a level's vars: mark the resources they name. */
gotk_err *kvars_merge(kctx *c, json_object *k, kmap *m);
/* Substitute $(VAR) in the varReference fields of every resource. */
gotk_err *kvars_resolve(kctx *c, kmap *m, const kconfig *cfg);
/* Walk a dotted field path ("spec.ports[0].port", "a.[k=v].b") to a value. */
json_object *kfield_get(json_object *obj, const char *path);

/* ---- ordering ----------------------------------------------------------- */

/* A kind's rank in kustomize's default legacy order (negative first, 0 unknown). */
int kkind_order(const char *kind);
/* Reorder m in kustomize's legacy order; first/last may be NULL for the
 * default kind lists (sortOptions.legacySortOptions). */
void ksort_legacy(kmap *m, json_object *first, json_object *last);

#endif
