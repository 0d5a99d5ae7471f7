/*
 * gotk build kustomization | diff kustomization: what kustomize-controller would
 * apply for a Kustomization if its source held the local directory --path, and
 * how that differs from the cluster.
 *
 * build: copy --path to a temporary directory, generate a kustomization file when
 * there is none (as Flux does), write the Kustomization's targetNamespace,
 * namePrefix, nameSuffix, patches, images and components into it, build it with
 * the kustomize engine, substitute postBuild variables (substitute over
 * substituteFrom), label every object kustomize.toolkit.fluxcd.io/name and
 * /namespace, and mask SOPS-encrypted Secret values as flux does.
 *
 * diff: server-side dry-run apply each built object (fieldManager
 * kustomize-controller) and compare the result with the live object, printing
 * flux's "► Kind/ns/name created|drifted|deleted" lines and dyff-style diffs;
 * exit code 1 when anything differs.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gotk/kustomize.h"
#include "gotk/obj.h"
#include "kinds.h"

typedef struct {
    const char *path, *ks_file;
    bool dry_run, progress_bar;
    cli_strings ignore; /* --ignore-paths, .gitignore-like patterns */
} build_args;

/* ---- the local tree ------------------------------------------------------------- */

/* Whether `rel` (a path below --path) matches an --ignore-paths pattern: one
 * without a slash matches a name anywhere, others match from the root. */
static bool ignored(const cli_strings *ignore, const char *rel)
{
    const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
    for (size_t i = 0; i < ignore->n; i++) {
        const char *p = ignore->items[i];
        bool anchored = strchr(p, '/') != NULL;
        p += *p == '/';
        if (!fnmatch(p, anchored ? rel : base, 0))
            return true;
    }
    return false;
}

/* Copy the regular files and directories under `src` to `dst` (.git and
 * ignored paths skipped); `rel` is src's path below the root ("" at the root). */
static gotk_err *copy_tree(const char *src, const char *dst, const char *rel, const cli_strings *ignore)
{
    if (mkdir(dst, 0750) != 0 && errno != EEXIST)
        return gotk_err_errno(errno, "mkdir %s", dst);
    DIR *d = opendir(src);
    if (!d)
        return gotk_err_errno(errno, "invalid resource path \"%s\"", src);
    gotk_err *e = NULL;
    for (struct dirent *de; !e && (de = readdir(d));) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || !strcmp(de->d_name, ".git"))
            continue;
        char *r = *rel ? gotk_xasprintf("%s/%s", rel, de->d_name) : gotk_xstrdup(de->d_name);
        if (ignored(ignore, r)) {
            free(r);
            continue;
        }
        char *s = gotk_xasprintf("%s/%s", src, de->d_name), *t = gotk_xasprintf("%s/%s", dst, de->d_name);
        struct stat st;
        if (stat(s, &st) == 0 && S_ISDIR(st.st_mode)) {
            e = copy_tree(s, t, r, ignore);
            rmdir(t); /* an empty directory is dropped, as Git drops it (fails when not empty) */
        } else if (stat(s, &st) == 0 && S_ISREG(st.st_mode)) {
            char *data = NULL;
            size_t len = 0;
            e = gotk_file_read(s, &data, &len);
            if (!e)
                e = gotk_file_write_atomic(t, data, len, 0644);
            free(data);
        }
        free(r);
        free(s);
        free(t);
    }
    closedir(d);
    return e;
}

/* The kustomization file in `dir`, or NULL. New string. */
static char *kustomization_file(const char *dir)
{
    static const char *const names[] = {"kustomization.yaml", "kustomization.yml", "Kustomization"};
    for (size_t i = 0; i < 3; i++) {
        char *p = gotk_xasprintf("%s/%s", dir, names[i]);
        struct stat st;
        if (stat(p, &st) == 0)
            return p;
        free(p);
    }
    return NULL;
}

/* Append the elements of array `src` to dst[key]. */
static void append_list(json_object *dst, const char *key, json_object *src)
{
    if (!src || !json_object_array_length(src))
        return;
    json_object *arr = json_object_object_get(dst, key);
    if (!arr) {
        arr = json_object_new_array();
        json_object_object_add(dst, key, arr);
    }
    for (size_t i = 0; i < json_object_array_length(src); i++)
        json_object_array_add(arr, json_object_get(json_object_array_get_idx(src, i)));
}

/* Write the Kustomization's spec into the kustomization file (Flux's generator). */
static gotk_err *write_overlay(const char *dir, json_object *ks)
{
    bool created;
    gotk_err *e = gotk_kustomize_generate(dir, &created);
    char *file = e ? NULL : kustomization_file(dir);
    json_object *docs = NULL;
    if (!e && !file)
        e = gotk_err_new(GOTK_E_NOTFOUND, "no kustomization file in %s", dir);
    if (!e)
        e = gotk_yaml_parse_file(file, &docs);
    json_object *k = docs && json_object_array_length(docs) ? json_object_array_get_idx(docs, 0) : NULL;
    if (!e && !k) {
        json_object_put(docs);
        docs = json_object_new_array();
        json_object_array_add(docs, (k = json_object_new_object()));
    }
    if (!e) {
        static const char *const scalars[][2] = {
            {"spec.targetNamespace", "namespace"}, {"spec.namePrefix", "namePrefix"}, {"spec.nameSuffix", "nameSuffix"}};
        for (size_t i = 0; i < 3; i++) {
            const char *v = gotk_obj_get_str(ks, scalars[i][0]);
            if (v && *v)
                json_object_object_add(k, scalars[i][1], json_object_new_string(v));
        }
        append_list(k, "patches", gotk_obj_getp(ks, "spec.patches"));
        append_list(k, "images", gotk_obj_getp(ks, "spec.images"));
        append_list(k, "components", gotk_obj_getp(ks, "spec.components"));
        char *y = gotk_yaml_to_string(k, 0);
        e = gotk_file_write_atomic(file, y, strlen(y), 0644);
        free(y);
    }
    json_object_put(docs);
    free(file);
    return e;
}

/* ---- postBuild -------------------------------------------------------------------- */

static const char *vars_lookup(const char *name, void *ud)
{
    json_object *v = json_object_object_get(ud, name);
    return v ? json_object_get_string(v) : NULL;
}

/* substituteFrom (ConfigMaps and Secrets from the cluster), then substitute over them. */
static gotk_err *postbuild_vars(gotk_kube_client *kube, json_object *ks, json_object **out)
{
    json_object *vars = json_object_new_object();
    json_object *from = gotk_obj_getp(ks, "spec.postBuild.substituteFrom");
    const char *ns = gotk_obj_get_str(ks, "metadata.namespace");
    for (size_t i = 0; kube && from && i < json_object_array_length(from); i++) {
        json_object *ref = json_object_array_get_idx(from, i);
        const char *kind = gotk_obj_get_str(ref, "kind"), *name = gotk_obj_get_str(ref, "name");
        bool secret = kind && !strcmp(kind, "Secret");
        gotk_kube_ref r = {"v1", secret ? "Secret" : "ConfigMap", ns, name};
        json_object *obj = NULL;
        gotk_err *e = gotk_kube_get(kube, &r, NULL, &obj);
        if (e && json_object_get_boolean(gotk_obj_getp(ref, "optional"))) {
            gotk_err_free(e);
            continue;
        }
        if (e) {
            json_object_put(vars);
            return gotk_err_wrap(e, "substitute from '%s/%s' error", kind ? kind : "ConfigMap", name ? name : "");
        }
        json_object *data = gotk_obj_getp(obj, "data");
        if (data) {
            json_object_object_foreach(data, key, val) {
                const char *s = json_object_get_string(val);
                if (!secret) {
                    json_object_object_add(vars, key, json_object_new_string(s));
                    continue;
                }
                unsigned char *raw = NULL;
                size_t rl = 0;
                if (!gotk_base64_decode(s, strlen(s), &raw, &rl)) {
                    json_object_object_add(vars, key, json_object_new_string_len((const char *)raw, (int)rl));
                    free(raw);
                }
            }
        }
        json_object_put(obj);
    }
    json_object *sub = gotk_obj_getp(ks, "spec.postBuild.substitute");
    if (sub) {
        json_object_object_foreach(sub, key, val)
            json_object_object_add(vars, key, json_object_new_string(json_object_get_string(val)));
    }
    *out = vars;
    return NULL;
}

/* Substitute in each object not opted out (kustomize.toolkit.fluxcd.io/substitute: disabled). */
static gotk_err *substitute(json_object *docs, json_object *vars)
{
    for (size_t i = 0; i < json_object_array_length(docs); i++) {
        json_object *obj = json_object_array_get_idx(docs, i);
        json_object *off = gotk_obj_get(obj, "metadata", "annotations", "kustomize.toolkit.fluxcd.io/substitute", NULL);
        if (off && !strcmp(json_object_get_string(off), "disabled"))
            continue;
        char *y = gotk_yaml_to_string(obj, 0), *out = NULL;
        gotk_err *e = gotk_envsubst(y, vars_lookup, vars, false, &out);
        free(y);
        json_object *fresh = NULL;
        if (!e)
            e = gotk_yaml_parse_one(out, strlen(out), NULL, &fresh);
        free(out);
        if (e)
            return gotk_err_wrap(e, "envsubst error");
        json_object_array_put_idx(docs, i, fresh);
    }
    return NULL;
}

/* ---- labels and SOPS masking ---------------------------------------------------------- */

static void add_labels(json_object *docs, const char *name, const char *ns)
{
    for (size_t i = 0; i < json_object_array_length(docs); i++) {
        json_object *obj = json_object_array_get_idx(docs, i);
        json_object *meta = json_object_object_get(obj, "metadata");
        if (!meta)
            continue;
        json_object *labels = json_object_object_get(meta, "labels");
        if (!labels) {
            labels = json_object_new_object();
            json_object_object_add(meta, "labels", labels);
        }
        json_object_object_add(labels, "kustomize.toolkit.fluxcd.io/name", json_object_new_string(name));
        json_object_object_add(labels, "kustomize.toolkit.fluxcd.io/namespace", json_object_new_string(ns));
    }
}

/* A value SOPS encrypted ("ENC[AES256_GCM,...]" or a whole sops document). */
static bool sops_value(const char *s, size_t n)
{
    return memmem(s, n, "ENC[AES256_GCM", 14) || memmem(s, n, "sops:", 5) || memmem(s, n, "\"sops\"", 6);
}

/* Mask SOPS-encrypted Secret values with "**SOPS**", as flux's build does. */
static void mask_sops(json_object *docs)
{
    static const char mask[] = "**SOPS**";
    char *b64 = gotk_base64_encode(mask, 8);
    for (size_t i = 0; i < json_object_array_length(docs); i++) {
        json_object *obj = json_object_array_get_idx(docs, i);
        const char *kind = gotk_obj_get_str(obj, "kind");
        if (!kind || strcmp(kind, "Secret"))
            continue;
        json_object_object_del(obj, "sops");
        json_object *sd = json_object_object_get(obj, "stringData");
        if (sd) {
            json_object_object_foreach(sd, k, v) {
                const char *s = json_object_get_string(v);
                if (sops_value(s, strlen(s)))
                    json_object_object_add(sd, k, json_object_new_string(mask));
            }
        }
        json_object *d = json_object_object_get(obj, "data");
        if (!d)
            continue;
        json_object_object_foreach(d, k, v) {
            const char *s = json_object_get_string(v);
            unsigned char *raw = NULL;
            size_t rl = 0;
            if (gotk_base64_decode(s, strlen(s), &raw, &rl))
                continue;
            if (sops_value((const char *)raw, rl)) {
                bool docker = !strcmp(k, ".dockerconfigjson");
                char *m = docker ? gotk_base64_encode("{\"mask\":\"**SOPS**\"}", 19) : gotk_xstrdup(b64);
                json_object_object_add(d, k, json_object_new_string(m));
                free(m);
            }
            free(raw);
        }
    }
    free(b64);
}

/* ---- the build ---------------------------------------------------------------------------- */

/* The Kustomization: from --kustomization-file, or the cluster. */
static gotk_err *load_kustomization(gotk_kube_client *kube, const build_args *a, const char *ns, const char *name,
                                    json_object **out)
{
    if (a->ks_file && *a->ks_file) {
        json_object *docs = NULL;
        gotk_err *e = gotk_yaml_parse_file(a->ks_file, &docs);
        for (size_t i = 0; !e && i < json_object_array_length(docs); i++) {
            json_object *d = json_object_array_get_idx(docs, i);
            const char *k = gotk_obj_get_str(d, "kind"), *n = gotk_obj_get_str(d, "metadata.name");
            if (k && !strcmp(k, "Kustomization") && n && !strcmp(n, name)) {
                *out = json_object_get(d);
                if (!gotk_obj_get_str(d, "metadata.namespace"))
                    gotk_obj_setp(*out, "metadata.namespace", json_object_new_string(ns));
                json_object_put(docs);
                return NULL;
            }
        }
        json_object_put(docs);
        return e ? e : gotk_err_new(GOTK_E_NOTFOUND, "failed to find object: Kustomization '%s' not found in %s",
                                    name, a->ks_file);
    }
    gotk_kube_ref ref = {"kustomize.toolkit.fluxcd.io/v1", "Kustomization", ns, name};
    return gotk_kube_get(kube, &ref, NULL, out);
}

/* Build what kustomize-controller would apply. `kube` may be NULL (--dry-run). */
static gotk_err *build_objects(gotk_kube_client *kube, const build_args *a, json_object *ks, json_object **out)
{
    char *tmp = NULL;
    gotk_err *e = gotk_file_temp_dir("gotk-build-", &tmp);
    char *dir = e ? NULL : gotk_xasprintf("%s/src", tmp);
    struct stat st;
    if (!e && (stat(a->path, &st) != 0 || !S_ISDIR(st.st_mode)))
        e = gotk_err_new(GOTK_E_NOTFOUND, "invalid resource path \"%s\"", a->path);
    if (!e)
        e = copy_tree(a->path, dir, "", &a->ignore);
    if (!e)
        e = write_overlay(dir, ks);
    json_object *docs = NULL, *vars = NULL;
    gotk_kustomize_opts ko = {.reorder = GOTK_KUSTOMIZE_REORDER_NONE};
    if (!e)
        e = gotk_kustomize_build(dir, &ko, &docs);
    if (!e && gotk_obj_getp(ks, "spec.postBuild"))
        e = postbuild_vars(kube, ks, &vars);
    if (!e && vars)
        e = substitute(docs, vars);
    if (!e) {
        add_labels(docs, gotk_obj_get_str(ks, "metadata.name"), gotk_obj_get_str(ks, "metadata.namespace"));
        mask_sops(docs);
        *out = docs;
        docs = NULL;
    }
    json_object_put(docs);
    json_object_put(vars);
    if (tmp)
        gotk_err_free(gotk_file_remove_all(tmp));
    free(tmp);
    free(dir);
    return e;
}

/* Parse `build|diff kustomization NAME --path DIR ...` and load the Kustomization. */
static gotk_err *build_setup(int argc, char **argv, const char *verb, cli_cmdline *cl, cli_globals *g,
                             build_args *a, gotk_kube_client **kube, json_object **ks)
{
    cli_globals_default(g);
    const cli_flag own[] = {
        {"path", 0, FLAG_STRING, &a->path, "Path to the manifests location."},
        {"kustomization-file", 0, FLAG_STRING, &a->ks_file, "Path to the Flux Kustomization YAML file."},
        {"ignore-paths", 0, FLAG_STRINGS, &a->ignore, "set paths to ignore in .gitignore format"},
        {"progress-bar", 0, FLAG_BOOL, &a->progress_bar, "Boolean to set the progress bar (accepted for flux compatibility; gotk shows none)"},
        {"dry-run", 0, FLAG_BOOL, &a->dry_run, "Dry run mode."},
    };
    char *help = gotk_xasprintf(
        !strcmp(verb, "build")
            ? "The build command queries the Kubernetes API and fetches the specified Flux Kustomization.\n"
              "It then uses the fetched in cluster flux kustomization to perform needed transformation on the local kustomization.yaml\n"
              "pointed at by --path. The local kustomization.yaml is generated if it does not exist. Finally it builds the overlays using the local kustomization.yaml, and write the resulting multi-doc YAML to stdout.\n\n"
              "Usage:\n  gotk build kustomization [name] [flags]\n\n"
              "Examples:\n  # Build the local manifests as they were built on the cluster\n"
              "  gotk build kustomization my-app --path ./path/to/local/manifests\n\n"
              "  # Build using a local flux kustomization file\n"
              "  gotk build kustomization my-app --path ./path/to/local/manifests \\\n"
              "    --kustomization-file ./path/to/local/my-app.yaml\n"
            : "The diff command does a build, then it performs a server-side dry-run and prints the diff.\n"
              "Exit status: 0 No differences were found. 1 Differences were found. >1 diff failed with an error.\n\n"
              "Usage:\n  gotk diff kustomization [name] [flags]\n\n"
              "Examples:\n  # Preview local changes as they were applied on the cluster\n"
              "  gotk diff kustomization my-app --path ./path/to/local/manifests\n");
    gotk_err *e = cli_cmdline_parse(cl, g, own, !strcmp(verb, "build") ? 5 : 4, argc, argv, help);
    free(help);
    if (e || cl->help)
        return e;
    if (cl->npos < 1)
        return gotk_err_new(GOTK_E_INVALID, "%s name is required", "kustomization");
    if (!a->path || !*a->path)
        return gotk_err_new(GOTK_E_INVALID, "invalid resource path \"%s\"", a->path ? a->path : "");
    if (!a->dry_run && (e = cli_kube_open(g, kube)))
        return e;
    if (a->dry_run && (!a->ks_file || !*a->ks_file))
        return gotk_err_new(GOTK_E_INVALID, "dry-run mode requires a kustomization file");
    return load_kustomization(*kube, a, g->namespace_, cl->pos[0], ks);
}

/* `build kustomization` / `diff kustomization`: the kind word. */
static int check_kind_word(const char *verb, int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fprintf(argc < 2 ? stderr : stdout,
                "%s a flux resource\n\nUsage:\n  gotk %s [command]\n\nAvailable Commands:\n"
                "  kustomization %s Kustomization\n", !strcmp(verb, "build") ? "Build" : "Diff", verb,
                !strcmp(verb, "build") ? "Build" : "Diff");
        return argc < 2 ? 1 : 0;
    }
    if (strcmp(argv[1], "kustomization") && strcmp(argv[1], "ks"))
        return cli_fail("unknown command \"%s\" for \"gotk %s\"", argv[1], verb);
    return -1;
}

/* gotk build kustomization NAME --path DIR. */
int cmd_build(int argc, char **argv)
{
    int rc = check_kind_word("build", argc, argv);
    if (rc >= 0)
        return rc;
    cli_cmdline cl;
    cli_globals g;
    build_args a = {0};
    gotk_kube_client *kube = NULL;
    json_object *ks = NULL, *docs = NULL;
    gotk_err *e = build_setup(argc - 2, argv + 2, "build", &cl, &g, &a, &kube, &ks);
    if (!e && !cl.help)
        e = build_objects(kube, &a, ks, &docs);
    if (!e && !cl.help) {
        for (size_t i = 0; i < json_object_array_length(docs); i++) {
            char *y = gotk_yaml_to_string(json_object_array_get_idx(docs, i), GOTK_YAML_SORT_KEYS);
            printf("%s---\n", y);
            free(y);
        }
    }
    rc = e ? cli_fail_err(e) : 0;
    json_object_put(docs);
    json_object_put(ks);
    gotk_kube_client_free(kube);
    cli_cmdline_free(&cl);
    cli_strings_free(&a.ignore);
    return rc;
}

/* ---- diff ----------------------------------------------------------------------------- */

static const char *const count_words[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};

/* YAML of `v` indented by `indent` spaces, one line per line. */
static void put_yaml(gotk_buf *b, json_object *v, int indent)
{
    char *y = gotk_yaml_to_string(v, GOTK_YAML_SORT_KEYS);
    for (char *line = y; *line;) {
        size_t n = strcspn(line, "\n");
        gotk_buf_printf(b, "%*s%.*s\n", indent, "", (int)n, line);
        line += n + (line[n] == '\n');
    }
    free(y);
}

/* The value as one YAML scalar line (or a block). */
static void put_value(gotk_buf *b, const char *sign, json_object *v)
{
    char *y = gotk_yaml_to_string(v, GOTK_YAML_SORT_KEYS);
    size_t l = strlen(y);
    while (l && y[l - 1] == '\n')
        y[--l] = '\0';
    gotk_buf_printf(b, "%s %s\n", sign, y);
    free(y);
}

/* Entries added (sign '+') or removed ('-') under `path`, dyff style. */
static void put_entries(gotk_buf *b, const char *path, char sign, json_object *entries, bool list)
{
    size_t n = list ? json_object_array_length(entries) : (size_t)json_object_object_length(entries);
    gotk_buf_printf(b, "\n%s\n%c %s %s %s %s:\n", path, sign, n <= 10 ? count_words[n] : "many",
                    list ? "list" : "map", n == 1 ? "entry" : "entries", sign == '+' ? "added" : "removed");
    put_yaml(b, entries, 2);
}

/* The name identifying a list item (its "name"), or NULL. */
static const char *item_name(json_object *v)
{
    return json_object_is_type(v, json_type_object) ? gotk_obj_get_str(v, "name") : NULL;
}

/* Compare `a` (live) with `b` (desired), appending dyff-style differences. */
static void diff_values(gotk_buf *b, const char *path, json_object *a, json_object *c);

/* Maps: entries removed, added, then the common keys compared. */
static void diff_maps(gotk_buf *b, const char *path, json_object *a, json_object *c)
{
    json_object *added = json_object_new_object(), *removed = json_object_new_object();
    json_object_object_foreach(c, k, v) {
        if (!json_object_object_get_ex(a, k, NULL))
            json_object_object_add(added, k, json_object_get(v));
    }
    json_object_object_foreach(a, k2, v2) {
        if (!json_object_object_get_ex(c, k2, NULL))
            json_object_object_add(removed, k2, json_object_get(v2));
    }
    const char *shown = *path ? path : "(root level)";
    if (json_object_object_length(removed))
        put_entries(b, shown, '-', removed, false);
    if (json_object_object_length(added))
        put_entries(b, shown, '+', added, false);
    json_object_object_foreach(c, k3, v3) {
        json_object *old = json_object_object_get(a, k3);
        if (!json_object_object_get_ex(a, k3, NULL))
            continue;
        char *sub = *path ? gotk_xasprintf("%s.%s", path, k3) : gotk_xstrdup(k3);
        diff_values(b, sub, old, v3);
        free(sub);
    }
    json_object_put(added);
    json_object_put(removed);
}

/* Lists: by item name when every item has one, else by position. */
static void diff_lists(gotk_buf *b, const char *path, json_object *a, json_object *c)
{
    size_t na = json_object_array_length(a), nc = json_object_array_length(c);
    bool named = true;
    for (size_t i = 0; i < na && named; i++)
        named = item_name(json_object_array_get_idx(a, i)) != NULL;
    for (size_t i = 0; i < nc && named; i++)
        named = item_name(json_object_array_get_idx(c, i)) != NULL;
    if (!named) {
        if (na != nc) {
            gotk_buf_printf(b, "\n%s\n± value change\n", path);
            put_value(b, "-", a);
            put_value(b, "+", c);
            return;
        }
        for (size_t i = 0; i < na; i++) {
            char *sub = gotk_xasprintf("%s.%zu", path, i);
            diff_values(b, sub, json_object_array_get_idx(a, i), json_object_array_get_idx(c, i));
            free(sub);
        }
        return;
    }
    json_object *added = json_object_new_array(), *removed = json_object_new_array();
    for (size_t i = 0; i < na; i++) {
        json_object *x = json_object_array_get_idx(a, i);
        bool found = false;
        for (size_t j = 0; j < nc && !found; j++)
            found = !strcmp(item_name(x), item_name(json_object_array_get_idx(c, j)));
        if (!found)
            json_object_array_add(removed, json_object_get(x));
    }
    for (size_t j = 0; j < nc; j++) {
        json_object *y = json_object_array_get_idx(c, j), *match = NULL;
        for (size_t i = 0; i < na && !match; i++)
            if (!strcmp(item_name(y), item_name(json_object_array_get_idx(a, i))))
                match = json_object_array_get_idx(a, i);
        if (!match) {
            json_object_array_add(added, json_object_get(y));
            continue;
        }
        char *sub = gotk_xasprintf("%s.%s", path, item_name(y));
        diff_values(b, sub, match, y);
        free(sub);
    }
    if (json_object_array_length(removed))
        put_entries(b, path, '-', removed, true);
    if (json_object_array_length(added))
        put_entries(b, path, '+', added, true);
    json_object_put(added);
    json_object_put(removed);
}

/* Compare `a` (live) with `c` (desired), appending dyff-style differences. */
static void diff_values(gotk_buf *b, const char *path, json_object *a, json_object *c)
{
    if (gotk_obj_equal(a, c))
        return;
    if (json_object_is_type(a, json_type_object) && json_object_is_type(c, json_type_object)) {
        diff_maps(b, path, a, c);
        return;
    }
    if (json_object_is_type(a, json_type_array) && json_object_is_type(c, json_type_array)) {
        diff_lists(b, path, a, c);
        return;
    }
    gotk_buf_printf(b, "\n%s\n± value change\n", path);
    put_value(b, "-", a);
    put_value(b, "+", c);
}

/* What the server manages, not the user: left out of the comparison. */
static void strip_server_fields(json_object *o)
{
    static const char *const meta[] = {"managedFields", "resourceVersion", "generation", "uid",
                                       "creationTimestamp", "selfLink"};
    json_object *m = json_object_object_get(o, "metadata");
    for (size_t i = 0; m && i < sizeof meta / sizeof meta[0]; i++)
        json_object_object_del(m, meta[i]);
    json_object *ann = m ? json_object_object_get(m, "annotations") : NULL;
    if (ann) {
        json_object_object_del(ann, "kubectl.kubernetes.io/last-applied-configuration");
        if (!json_object_object_length(ann))
            json_object_object_del(m, "annotations");
    }
    json_object_object_del(o, "status");
}

/* "Kind/ns/name" or "Kind/name" for cluster-scoped objects. */
static char *object_label(gotk_kube_client *kube, json_object *obj, const char *default_ns)
{
    const gotk_kube_resource *r = NULL;
    const char *kind = gotk_obj_get_str(obj, "kind"), *name = gotk_obj_get_str(obj, "metadata.name");
    const char *ns = gotk_obj_get_str(obj, "metadata.namespace");
    gotk_err *e = gotk_kube_resource_for(kube, gotk_obj_get_str(obj, "apiVersion"), kind, &r);
    bool namespaced = e ? ns != NULL : r->namespaced;
    gotk_err_free(e);
    if (namespaced && !ns)
        gotk_obj_setp(obj, "metadata.namespace", json_object_new_string(default_ns));
    ns = gotk_obj_get_str(obj, "metadata.namespace");
    return namespaced ? gotk_xasprintf("%s/%s/%s", kind, ns, name) : gotk_xasprintf("%s/%s", kind, name);
}

/* One object: dry-run apply, compare, print. Returns whether it differs. */
static bool diff_object(gotk_kube_client *kube, json_object *obj, const char *default_ns, gotk_buf *out)
{
    char *label = object_label(kube, obj, default_ns);
    gotk_kube_ref ref = {gotk_obj_get_str(obj, "apiVersion"), gotk_obj_get_str(obj, "kind"),
                         gotk_obj_get_str(obj, "metadata.namespace"), gotk_obj_get_str(obj, "metadata.name")};
    json_object *live = NULL, *dry = NULL;
    gotk_err *e = gotk_kube_get(kube, &ref, NULL, &live);
    bool changed = true;
    if (e && gotk_err_code_of(e) == GOTK_E_NOTFOUND) {
        gotk_buf_printf(out, "► %s created\n", label);
    } else if (e) {
        gotk_buf_printf(out, "✗ %s: %s\n", label, gotk_err_msg(e));
    } else {
        gotk_kube_opts o = {.dry_run = true, .field_manager = "kustomize-controller", .force = true};
        gotk_err *ae = gotk_kube_apply(kube, obj, &o, &dry);
        if (ae) {
            gotk_buf_printf(out, "✗ %s dry-run failed: %s\n", label, gotk_err_msg(ae));
            gotk_err_free(ae);
        } else {
            strip_server_fields(live);
            strip_server_fields(dry);
            gotk_buf d = {0};
            diff_values(&d, "", live, dry);
            changed = d.len > 0;
            if (changed)
                gotk_buf_printf(out, "► %s drifted\n%s\n", label, d.data);
            gotk_buf_free(&d);
        }
    }
    gotk_err_free(e);
    json_object_put(live);
    json_object_put(dry);
    free(label);
    return changed;
}

/* Objects in the Kustomization's inventory that the build no longer has. */
static bool diff_deleted(json_object *ks, json_object *docs, gotk_buf *out)
{
    json_object *entries = gotk_obj_getp(ks, "status.inventory.entries");
    bool any = false;
    if (!json_object_get_boolean(gotk_obj_getp(ks, "spec.prune")))
        return false;
    for (size_t i = 0; entries && i < json_object_array_length(entries); i++) {
        const char *id = gotk_obj_get_str(json_object_array_get_idx(entries, i), "id");
        bool found = false;
        for (size_t j = 0; id && j < json_object_array_length(docs) && !found; j++) {
            json_object *d = json_object_array_get_idx(docs, j);
            const char *api = gotk_obj_get_str(d, "apiVersion"), *slash = strchr(api, '/');
            char *group = slash ? gotk_xstrndup(api, (size_t)(slash - api)) : gotk_xstrdup("");
            const char *ns = gotk_obj_get_str(d, "metadata.namespace");
            char *did = gotk_xasprintf("%s_%s_%s_%s", ns ? ns : "", gotk_obj_get_str(d, "metadata.name"), group,
                                       gotk_obj_get_str(d, "kind"));
            found = !strcmp(did, id);
            free(group);
            free(did);
        }
        if (found || !id)
            continue;
        char *parts[4] = {0};
        const char *s = id;
        for (int p = 0; p < 3; p++) {
            const char *u = strchr(s, '_');
            parts[p] = gotk_xstrndup(s, u ? (size_t)(u - s) : strlen(s));
            s = u ? u + 1 : s + strlen(s);
        }
        parts[3] = gotk_xstrdup(s);
        if (*parts[0])
            gotk_buf_printf(out, "► %s/%s/%s deleted\n", parts[3], parts[0], parts[1]);
        else
            gotk_buf_printf(out, "► %s/%s deleted\n", parts[3], parts[1]);
        for (int p = 0; p < 4; p++)
            free(parts[p]);
        any = true;
    }
    return any;
}

/* gotk diff kustomization NAME --path DIR: exit 1 when anything differs. */
int cmd_diff(int argc, char **argv)
{
    int rc = check_kind_word("diff", argc, argv);
    if (rc >= 0)
        return rc;
    cli_cmdline cl;
    cli_globals g;
    build_args a = {0};
    gotk_kube_client *kube = NULL;
    json_object *ks = NULL, *docs = NULL;
    gotk_err *e = build_setup(argc - 2, argv + 2, "diff", &cl, &g, &a, &kube, &ks);
    if (!e && !cl.help)
        e = build_objects(kube, &a, ks, &docs);
    bool changed = false;
    if (!e && !cl.help) {
        gotk_buf out = {0};
        gotk_buf_puts(&out, "");
        const char *target = gotk_obj_get_str(ks, "spec.targetNamespace");
        const char *def_ns = target && *target ? target : gotk_obj_get_str(ks, "metadata.namespace");
        for (size_t i = 0; i < json_object_array_length(docs); i++)
            changed |= diff_object(kube, json_object_array_get_idx(docs, i), def_ns, &out);
        changed |= diff_deleted(ks, docs, &out);
        fputs(out.data, stdout);
        fflush(stdout);
        gotk_buf_free(&out);
    }
    rc = e ? cli_fail_err(e) : 0;
    if (!e && changed) {
        fputs("⚠️ identified at least one change, exiting with non-zero exit code\n", stderr);
        rc = 1;
    }
    json_object_put(docs);
    json_object_put(ks);
    gotk_kube_client_free(kube);
    cli_cmdline_free(&cl);
    cli_strings_free(&a.ignore);
    return rc;
}
