/*
 * build.c: from the artifact's tree to the objects to apply.
 *
 * Work tree. Flux rewrites the kustomization file inside the extracted artifact;
 * ours is shared read-only between Kustomizations, so each reconcile gets a small
 * tree of its own: the directories on the way down to spec.path are real, their
 * other entries are symlinks into the shared tree (bases and components such as
 * `../base` resolve there; left out when no file below spec.path holds ".." nor
 * a symlink, so the build cannot reach them), and spec.path itself is a tree of
 * hard links (files cost no copy; a copy only when links are refused). The
 * kustomization file is then replaced by a new file (never written through a
 * link), so the shared tree is never modified. kustomize builds as Flux's does:
 * no load restrictor, but confined to the artifact (fs_root) and this work tree
 * standing for it (fs_view); hard links resolve to themselves, symlinks into the
 * shared tree, and one that escapes the artifact is refused.
 *
 * Build, as Flux's generator and build do: a directory without a kustomization
 * file gets one listing its manifests; the Kustomization's targetNamespace,
 * namePrefix, nameSuffix, patches, patchesStrategicMerge, patchesJson6902,
 * images and components are written into the kustomization file; kustomize
 * builds it; then postBuild substitutes variables (substitute over
 * substituteFrom ConfigMaps and Secrets) in each object not opted out with
 * `kustomize.toolkit.fluxcd.io/substitute: disabled`.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gotk/kustomize.h"
#include "gotk/obj.h"
#include "kc.h"

/* ---- work tree --------------------------------------------------------------- */

/* Copy one regular file (when a hard link is refused). */
static gotk_err *copy_file(const char *src, const char *dst)
{
    char *data = NULL;
    size_t len = 0;
    gotk_err *e = gotk_file_read(src, &data, &len);
    if (!e)
        e = gotk_file_write_atomic(dst, data, len, 0600);
    free(data);
    return e;
}

/* Mirror the tree `src` into `dst` with hard links (directories made real). */
static gotk_err *link_tree(const char *src, const char *dst)
{
    if (mkdir(dst, 0750) != 0 && errno != EEXIST)
        return gotk_err_errno(errno, "mkdir %s", dst);
    DIR *d = opendir(src);
    if (!d)
        return gotk_err_errno(errno, "reading %s", src);
    gotk_err *e = NULL;
    for (struct dirent *de; !e && (de = readdir(d));) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char *s = gotk_xasprintf("%s/%s", src, de->d_name);
        char *t = gotk_xasprintf("%s/%s", dst, de->d_name);
        struct stat st;
        if (lstat(s, &st) != 0)
            e = gotk_err_errno(errno, "stat %s", s);
        else if (S_ISDIR(st.st_mode))
            e = link_tree(s, t);
        else if (S_ISLNK(st.st_mode)) {
            char buf[4096];
            ssize_t n = readlink(s, buf, sizeof buf - 1);
            if (n >= 0) {
                buf[n] = '\0';
                if (symlink(buf, t) != 0)
                    e = gotk_err_errno(errno, "symlink %s", t);
            }
        } else if (S_ISREG(st.st_mode) && link(s, t) != 0)
            e = copy_file(s, t);
        free(s);
        free(t);
    }
    closedir(d);
    return e;
}

/* Symlink every entry of `src` except `skip` into `dst`. */
static gotk_err *link_siblings(const char *src, const char *dst, const char *skip)
{
    DIR *d = opendir(src);
    if (!d)
        return gotk_err_errno(errno, "reading %s", src);
    gotk_err *e = NULL;
    for (struct dirent *de; !e && (de = readdir(d));) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || !strcmp(de->d_name, skip))
            continue;
        char *s = gotk_xasprintf("%s/%s", src, de->d_name);
        char *t = gotk_xasprintf("%s/%s", dst, de->d_name);
        if (symlink(s, t) != 0)
            e = gotk_err_errno(errno, "symlink %s", t);
        free(s);
        free(t);
    }
    closedir(d);
    return e;
}

/* Can a build of the tree `dir` reach outside it? Only through a path with
 * "..", or a symlink: a tree with neither anywhere (a conservative byte search
 * of every file) never reads its siblings, so they need no links. */
static bool reaches_out(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return true;
    bool out = false;
    for (struct dirent *de; !out && (de = readdir(d));) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char *p = gotk_xasprintf("%s/%s", dir, de->d_name);
        struct stat st;
        char *data = NULL;
        size_t len = 0;
        if (lstat(p, &st) != 0 || S_ISLNK(st.st_mode))
            out = true;
        else if (S_ISDIR(st.st_mode))
            out = reaches_out(p);
        else if (S_ISREG(st.st_mode)) {
            gotk_err *e = gotk_file_read(p, &data, &len);
            out = e || memmem(data, len, "..", 2) != NULL;
            gotk_err_free(e);
            free(data);
        }
        free(p);
    }
    closedir(d);
    return out;
}

/* Does the build at `src` (spec.path in the shared tree) need the entries
 * beside the directories on its way down? Linking them costs one symlink per
 * entry per reconcile: with a thousand Kustomizations at apps/<name>, a million
 * per round. spec.components is joined to spec.path, so ".." there reaches out. */
static bool needs_siblings(kc_ctx *x, const char *src)
{
    json_object *comps = gotk_obj_getp(x->obj, "spec.components");
    for (size_t i = 0; comps && i < json_object_array_length(comps); i++) {
        const char *c = json_object_get_string(json_object_array_get_idx(comps, i));
        if (!c || strstr(c, ".."))
            return true;
    }
    return reaches_out(src);
}

/* spec.path cleaned as securejoin does: "." and "" dropped, ".." never above the
 * root. Returns the components joined with '/', "" for the root. */
static char *clean_path(const char *p)
{
    gotk_buf out = {0};
    gotk_buf_puts(&out, "");
    char *copy = gotk_xstrdup(p ? p : "");
    char *save = NULL;
    for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
        if (!strcmp(c, "."))
            continue;
        if (!strcmp(c, "..")) {
            char *slash = strrchr(out.data, '/');
            out.len = slash ? (size_t)(slash - out.data) : 0;
            out.data[out.len] = '\0';
            continue;
        }
        if (out.len)
            gotk_buf_putc(&out, '/');
        gotk_buf_puts(&out, c);
    }
    free(copy);
    return gotk_buf_steal(&out);
}

/* Make the per-reconcile work tree and find spec.path in it. */
gotk_err *kc_prepare_tree(kc_ctx *x)
{
    const char *root = kc_artifact_dir(x->artifact);
    char *tmpl = gotk_xasprintf("%s/kustomization-XXXXXX", x->st->work_root);
    if (!mkdtemp(tmpl)) {
        gotk_err *e = gotk_err_errno(errno, "tmp dir error: mkdir %s", tmpl);
        free(tmpl);
        return e;
    }
    x->workdir = tmpl;
    char *rel = clean_path(gotk_obj_get_str(x->obj, "spec.path"));
    char *src = gotk_xstrdup(root), *dst = gotk_xstrdup(x->workdir);
    char *leaf = *rel ? gotk_xasprintf("%s/%s", root, rel) : gotk_xstrdup(root);
    struct stat lst;
    bool siblings = stat(leaf, &lst) != 0 || needs_siblings(x, leaf);
    free(leaf);
    gotk_err *e = NULL;
    char *save = NULL;
    for (char *c = strtok_r(rel, "/", &save); c && !e; c = strtok_r(NULL, "/", &save)) {
        char *s = gotk_xasprintf("%s/%s", src, c), *d = gotk_xasprintf("%s/%s", dst, c);
        struct stat st;
        if (stat(s, &st) != 0 || !S_ISDIR(st.st_mode))
            e = gotk_err_new(GOTK_E_NOTFOUND,
                             "kustomization path not found: stat %s: no such file or directory",
                             gotk_obj_get_str(x->obj, "spec.path"));
        else if (!(siblings && (e = link_siblings(src, dst, c))) && mkdir(d, 0750) != 0)
            e = gotk_err_errno(errno, "mkdir %s", d);
        free(src);
        free(dst);
        src = s;
        dst = d;
    }
    if (!e)
        e = link_tree(src, dst);
    if (!e)
        x->build_dir = gotk_xstrdup(dst);
    free(src);
    free(dst);
    free(rel);
    x->rel_path = clean_path(gotk_obj_get_str(x->obj, "spec.path"));
    return e;
}

/* ---- the kustomization file ------------------------------------------------ */

/* The kustomization file of `dir` (written by the generator when missing). */
static char *kfile_of(const char *dir)
{
    static const char *const names[] = {"kustomization.yaml", "kustomization.yml",
                                        "Kustomization"};
    for (int i = 0; i < 3; i++) {
        char *p = gotk_xasprintf("%s/%s", dir, names[i]);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
            return p;
        free(p);
    }
    return gotk_xasprintf("%s/kustomization.yaml", dir);
}

/* The array at `key` of kus, created when missing. */
static json_object *kus_array(json_object *kus, const char *key)
{
    json_object *a = NULL;
    if (!json_object_object_get_ex(kus, key, &a) || !json_object_is_type(a, json_type_array)) {
        a = json_object_new_array();
        json_object_object_add(kus, key, a);
    }
    return a;
}

/* Flux's selector → kustomize's (same field names; empty ones dropped). */
static json_object *adapt_target(json_object *t)
{
    static const char *const keys[] = {"group", "version", "kind", "name", "namespace",
                                       "labelSelector", "annotationSelector"};
    json_object *out = json_object_new_object();
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        const char *v = gotk_obj_get_str(t, keys[i]);
        if (v && *v)
            json_object_object_add(out, keys[i], json_object_new_string(v));
    }
    return out;
}

/* Is a component path local and relative (no scheme, not absolute)? */
static bool local_relative(const char *p)
{
    return p && *p != '/' && !strstr(p, "://") && strncmp(p, "github.com/", 11) != 0;
}

/* Does `rel`, taken from directory `base` (both relative to the artifact root),
 * stay inside the root? Flux's secure file system refuses what leaves it. */
static bool stays_inside(const char *base, const char *rel)
{
    int depth = 0;
    char *joined = gotk_xasprintf("%s/%s", base, rel);
    char *save = NULL;
    bool ok = true;
    for (char *c = strtok_r(joined, "/", &save); c && ok; c = strtok_r(NULL, "/", &save)) {
        if (!strcmp(c, ".."))
            ok = --depth >= 0;
        else if (strcmp(c, "."))
            depth++;
    }
    free(joined);
    return ok;
}

/* Merge spec.images into the kustomization's images as Flux's generator does. */
static void add_images(json_object *kus, json_object *images)
{
    json_object *arr = kus_array(kus, "images");
    for (size_t i = 0; i < json_object_array_length(images); i++) {
        json_object *im = json_object_array_get_idx(images, i);
        const char *name = gotk_obj_get_str(im, "name");
        json_object *found = NULL;
        for (size_t j = 0; name && j < json_object_array_length(arr); j++) {
            const char *n = gotk_obj_get_str(json_object_array_get_idx(arr, j), "name");
            if (n && !strcmp(n, name))
                found = json_object_array_get_idx(arr, j);
        }
        const char *nn = gotk_obj_get_str(im, "newName"), *nt = gotk_obj_get_str(im, "newTag"),
                   *dg = gotk_obj_get_str(im, "digest");
        if (!found) {
            found = json_object_new_object();
            json_object_object_add(found, "name", json_object_new_string(name ? name : ""));
            json_object_array_add(arr, found);
        }
        if (nn && *nn)
            json_object_object_add(found, "newName", json_object_new_string(nn));
        if ((nt && *nt) || (dg && *dg)) {
            json_object_object_del(found, "newTag");
            json_object_object_del(found, "digest");
            if (nt && *nt)
                json_object_object_add(found, "newTag", json_object_new_string(nt));
            if (dg && *dg)
                json_object_object_add(found, "digest", json_object_new_string(dg));
        }
    }
}

/* Add the patches of the three spec lists. */
static void add_patches(json_object *kus, json_object *spec)
{
    json_object *l = gotk_obj_get(spec, "patches", NULL);
    for (size_t i = 0; l && i < json_object_array_length(l); i++) {
        json_object *p = json_object_array_get_idx(l, i), *o = json_object_new_object();
        const char *text = gotk_obj_get_str(p, "patch");
        json_object_object_add(o, "patch", json_object_new_string(text ? text : ""));
        json_object *t = gotk_obj_get(p, "target", NULL);
        if (t)
            json_object_object_add(o, "target", adapt_target(t));
        json_object_array_add(kus_array(kus, "patches"), o);
    }
    l = gotk_obj_get(spec, "patchesStrategicMerge", NULL);
    for (size_t i = 0; l && i < json_object_array_length(l); i++) {
        char *s = gotk_json_to_string(json_object_array_get_idx(l, i));
        json_object_array_add(kus_array(kus, "patchesStrategicMerge"), json_object_new_string(s));
        free(s);
    }
    l = gotk_obj_get(spec, "patchesJson6902", NULL);
    for (size_t i = 0; l && i < json_object_array_length(l); i++) {
        json_object *p = json_object_array_get_idx(l, i), *o = json_object_new_object();
        char *s = gotk_json_to_string(gotk_obj_get(p, "patch", NULL));
        json_object_object_add(o, "patch", json_object_new_string(s));
        free(s);
        json_object *t = gotk_obj_get(p, "target", NULL);
        if (t)
            json_object_object_add(o, "target", adapt_target(t));
        json_object_array_add(kus_array(kus, "patchesJson6902"), o);
    }
}

/* Set a string field of kus from spec when spec has it. */
static void set_from_spec(json_object *kus, json_object *spec, const char *from, const char *to)
{
    const char *v = gotk_obj_get_str(spec, from);
    if (v)
        json_object_object_add(kus, to, json_object_new_string(v));
}

/* Write the Kustomization's own settings into the kustomization file. */
static gotk_err *write_kustomization(kc_ctx *x, bool created)
{
    char *path = kfile_of(x->build_dir);
    char *data = NULL;
    size_t len = 0;
    json_object *kus = NULL;
    gotk_err *e = gotk_file_read(path, &data, &len);
    if (!e)
        e = gotk_yaml_parse_one(data, len, path, &kus);
    free(data);
    if (!e && !json_object_is_type(kus, json_type_object))
        e = gotk_err_new(GOTK_E_INVALID, "%s: not a kustomization", path);
    if (e) {
        json_object_put(kus);
        free(path);
        return e;
    }
    json_object *spec = gotk_obj_get(x->obj, "spec", NULL);
    json_object *res = gotk_obj_get(kus, "resources", NULL);
    if (!created && (!res || json_object_array_length(res) == 0)) {
        json_object *bm = json_object_new_array();
        json_object_array_add(bm, json_object_new_string("originAnnotations"));
        json_object_object_add(kus, "buildMetadata", bm);
    }
    set_from_spec(kus, spec, "targetNamespace", "namespace");
    set_from_spec(kus, spec, "namePrefix", "namePrefix");
    set_from_spec(kus, spec, "nameSuffix", "nameSuffix");
    add_patches(kus, spec);
    json_object *comps = gotk_obj_get(spec, "components", NULL);
    bool ignore_missing = json_object_get_boolean(gotk_obj_get(spec, "ignoreMissingComponents", NULL));
    for (size_t i = 0; !e && comps && i < json_object_array_length(comps); i++) {
        const char *c = json_object_get_string(json_object_array_get_idx(comps, i));
        if (!local_relative(c) || !stays_inside(x->rel_path, c)) {
            e = gotk_err_new(GOTK_E_INVALID, "component path '%s' must be local and relative", c);
            break;
        }
        char *p = gotk_xasprintf("%s/%s", x->build_dir, c);
        struct stat st;
        if (stat(p, &st) == 0 || !ignore_missing)
            json_object_array_add(kus_array(kus, "components"), json_object_new_string(c));
        free(p);
    }
    json_object *images = gotk_obj_get(spec, "images", NULL);
    if (images && json_object_is_type(images, json_type_array))
        add_images(kus, images);
    if (!e) {
        char *y = gotk_yaml_to_string(kus, 0);
        unlink(path); /* a hard link into the shared tree: replace, never write through */
        e = gotk_file_write_atomic(path, y, strlen(y), 0600);
        free(y);
    }
    json_object_put(kus);
    free(path);
    return e;
}

/* ---- postBuild --------------------------------------------------------------- */

typedef struct {
    json_object *vars; /* name -> string */
} var_table;

/* gotk_env_lookup over the variable table. */
static const char *lookup_var(const char *name, void *ud)
{
    json_object *v = NULL;
    return json_object_object_get_ex(((var_table *)ud)->vars, name, &v) ? json_object_get_string(v)
                                                                        : NULL;
}

/* Put a value with newlines removed, as Flux does. */
static void put_var(json_object *vars, const char *k, const char *v, size_t len)
{
    char *s = gotk_xmalloc(len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (v[i] != '\n')
            s[n++] = v[i];
    s[n] = '\0';
    json_object_object_add(vars, k, json_object_new_string(s));
    free(s);
}

/* Variables from spec.postBuild.substituteFrom, then spec.postBuild.substitute. */
static gotk_err *load_vars(kc_ctx *x, json_object *vars)
{
    json_object *from = gotk_obj_getp(x->obj, "spec.postBuild.substituteFrom");
    gotk_kube_client *kube = gotk_controller_kube(x->st->ctrl);
    for (size_t i = 0; from && i < json_object_array_length(from); i++) {
        json_object *r = json_object_array_get_idx(from, i);
        const char *kind = gotk_obj_get_str(r, "kind"), *name = gotk_obj_get_str(r, "name");
        bool optional = json_object_get_boolean(gotk_obj_get(r, "optional", NULL));
        if (!kind || (strcmp(kind, "ConfigMap") && strcmp(kind, "Secret")))
            continue;
        gotk_kube_ref ref = {"v1", kind, x->ns, name ? name : ""};
        json_object *o = NULL;
        gotk_err *e = gotk_kube_get(kube, &ref, NULL, &o);
        if (e && optional && gotk_err_code_of(e) == GOTK_E_NOTFOUND) {
            gotk_err_free(e);
            continue;
        }
        if (e)
            return gotk_err_wrap(e, "substitute from '%s/%s' error", kind, name ? name : "");
        bool secret = !strcmp(kind, "Secret");
        json_object *data = gotk_obj_get(o, "data", NULL);
        if (!data || !json_object_is_type(data, json_type_object)) {
            json_object_put(o);
            continue;
        }
        json_object_object_foreach(data, k, v)
        {
            const char *s = json_object_get_string(v);
            if (!secret) {
                put_var(vars, k, s, strlen(s));
                continue;
            }
            unsigned char *raw = NULL;
            size_t rl = 0;
            gotk_err *de = gotk_base64_decode(s, strlen(s), &raw, &rl);
            if (!de)
                put_var(vars, k, (const char *)raw, rl);
            gotk_err_free(de);
            free(raw);
        }
        json_object_put(o);
    }
    json_object *sub = gotk_obj_getp(x->obj, "spec.postBuild.substitute");
    if (sub && json_object_is_type(sub, json_type_object)) {
        json_object_object_foreach(sub, k, v)
        {
            const char *s = json_object_get_string(v);
            put_var(vars, k, s, strlen(s));
        }
    }
    return NULL;
}

/* Does a name match ^[_[:alpha:]][_[:alpha:][:digit:]]*$ ? */
static bool valid_var_name(const char *s)
{
    if (!*s || !(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
        return false;
    for (; *s; s++)
        if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

/* Label or annotation `key` equal to `value` exactly. */
static bool meta_equals(json_object *obj, const char *key, const char *value)
{
    const char *where[] = {"labels", "annotations"};
    for (int i = 0; i < 2; i++) {
        json_object *m = gotk_obj_get(obj, "metadata", where[i], NULL), *v = NULL;
        if (m && json_object_object_get_ex(m, key, &v) && !strcmp(json_object_get_string(v), value))
            return true;
    }
    return false;
}

/* kustomize's Gvk.String(): "~G_v1_ConfigMap", "apps_v1_Deployment". */
static char *gvk_string(json_object *obj)
{
    const char *api = gotk_obj_get_str(obj, "apiVersion"), *kind = gotk_obj_get_str(obj, "kind");
    const char *slash = api ? strchr(api, '/') : NULL;
    if (slash)
        return gotk_xasprintf("%.*s_%s_%s", (int)(slash - api), api, slash + 1, kind);
    return gotk_xasprintf("~G_%s_%s", api && *api ? api : "~V", kind ? kind : "~K");
}

/* Substitute variables in one object; replaces it in `docs` at index i. */
static gotk_err *substitute_one(kc_ctx *x, json_object *docs, size_t i, var_table *vt)
{
    json_object *obj = json_object_array_get_idx(docs, i);
    char *y = gotk_yaml_to_string(obj, 0), *out = NULL;
    gotk_err *e = gotk_envsubst(y, lookup_var, vt, x->st->strict_substitutions, &out);
    free(y);
    json_object *res = NULL;
    if (e)
        e = gotk_err_wrap(e, "envsubst error: variable substitution failed");
    else if ((e = gotk_yaml_parse_one(out, strlen(out), NULL, &res)))
        e = gotk_err_wrap(e, "envsubst error: YAMLToJSON");
    free(out);
    if (e) {
        char *g = gvk_string(obj);
        e = gotk_err_wrap(e, "post build failed for '%s/%s'", g, gotk_obj_get_str(obj, "metadata.name"));
        free(g);
        return e;
    }
    json_object_array_put_idx(docs, i, res);
    return NULL;
}

/* Flux's postBuild over every built object. */
static gotk_err *post_build(kc_ctx *x)
{
    if (!gotk_obj_getp(x->obj, "spec.postBuild"))
        return NULL;
    var_table vt = {json_object_new_object()};
    gotk_err *e = load_vars(x, vt.vars);
    if (e) {
        /* Flux reports the first object's failure with this error. */
        json_object *first = json_object_array_get_idx(x->objects, 0);
        if (first) {
            char *g = gvk_string(first);
            e = gotk_err_wrap(e, "post build failed for '%s/%s'", g,
                              gotk_obj_get_str(first, "metadata.name"));
            free(g);
        }
    }
    json_object_object_foreach(vt.vars, k, v)
    {
        (void)v;
        if (!e && !valid_var_name(k))
            e = gotk_err_new(GOTK_E_INVALID,
                             "'%s' var name is invalid, must match "
                             "'^[_[:alpha:]][_[:alpha:][:digit:]]*$'",
                             k);
    }
    bool any = json_object_object_length(vt.vars) > 0;
    for (size_t i = 0; !e && any && i < json_object_array_length(x->objects); i++) {
        json_object *obj = json_object_array_get_idx(x->objects, i);
        if (meta_equals(obj, "kustomize.toolkit.fluxcd.io/substitute", "disabled"))
            continue;
        e = substitute_one(x, x->objects, i, &vt);
    }
    json_object_put(vt.vars);
    return e;
}

/* ---- build ------------------------------------------------------------------- */

/* Every object needs apiVersion, kind and name. */
static gotk_err *check_objects(json_object *docs)
{
    for (size_t i = 0; i < json_object_array_length(docs); i++) {
        json_object *o = json_object_array_get_idx(docs, i);
        const char *a = gotk_obj_get_str(o, "apiVersion"), *k = gotk_obj_get_str(o, "kind"),
                   *n = gotk_obj_get_str(o, "metadata.name");
        if (!a || !*a || !k || !*k || !n || !*n) {
            char *y = gotk_yaml_to_string(o, 0);
            gotk_err *e = gotk_err_new(GOTK_E_INVALID,
                                       "failed to decode Kubernetes apiVersion, kind and name "
                                       "from: %s",
                                       y);
            free(y);
            return e;
        }
    }
    return NULL;
}

/* Generate, build and substitute; x->objects and x->checksum on success. */
gotk_err *kc_build(kc_ctx *x)
{
    bool created = false;
    gotk_err *e = gotk_kustomize_generate(x->build_dir, &created);
    if (!e)
        e = write_kustomization(x, created);
    if (e)
        return e;
    /* As Flux: no load restrictor, but nothing outside the artifact. */
    gotk_kustomize_opts ko = {.reorder = GOTK_KUSTOMIZE_REORDER_LEGACY,
                              .load_restrictor_none = true,
                              .fs_root = kc_artifact_dir(x->artifact),
                              .fs_view = x->workdir};
    if ((e = gotk_kustomize_build(x->build_dir, &ko, &x->objects)))
        return gotk_err_wrap(e, "kustomize build failed");
    if ((e = check_objects(x->objects)) || (e = post_build(x)))
        return e;
    gotk_buf b = {0};
    if ((e = gotk_yaml_emit_stream(x->objects, GOTK_YAML_SORT_KEYS, &b))) {
        gotk_buf_free(&b);
        return gotk_err_wrap(e, "kustomize build failed");
    }
    char hex[65];
    gotk_sha256_hex(b.data ? b.data : "", b.len, hex);
    gotk_buf_free(&b);
    x->checksum = gotk_xasprintf("sha256:%s", hex);
    return NULL;
}
