/*
 * Flux's kustomization generator: kustomize-controller builds a path that has no
 * kustomization file by first writing one that lists every manifest below it.
 *
 * As fluxcd/pkg's generator does: walk the directory in lexical order; a
 * subdirectory holding a kustomization file is listed as one resource and not
 * descended into; every *.yaml / *.yml file is listed after checking that it
 * decodes as Kubernetes objects. The result is written as kustomization.yaml.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

/* qsort comparator for strings. */
static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Does dir hold a kustomization file? */
static bool has_kfile(const char *dir)
{
    static const char *const names[] = {"kustomization.yaml", "kustomization.yml",
                                        "Kustomization"};
    for (int i = 0; i < 3; i++) {
        char *p = gotk_xasprintf("%s/%s", dir, names[i]);
        struct stat st;
        bool ok = stat(p, &st) == 0 && S_ISREG(st.st_mode);
        free(p);
        if (ok)
            return true;
    }
    return false;
}

/* Sorted entry names of dir (without . and ..). */
static gotk_err *list_dir(const char *dir, kstrv *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return gotk_err_errno(errno, "reading %s", dir);
    for (struct dirent *de; (de = readdir(d));)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            kstrv_push(out, de->d_name);
    closedir(d);
    qsort(out->v, out->n, sizeof *out->v, cmp_names);
    return NULL;
}

/* Is the file a YAML manifest kustomize can decode? */
static gotk_err *check_manifest(const char *path)
{
    char *data = NULL;
    size_t len = 0;
    gotk_err *e = gotk_file_read(path, &data, &len);
    json_object *docs = NULL;
    if (!e)
        e = kparse_resources(data, len, path, &docs);
    free(data);
    json_object_put(docs);
    return e ? gotk_err_wrap(e, "failed to decode Kubernetes YAML from %s", path) : NULL;
}

/* Walk dir, appending resource paths relative to base. */
static gotk_err *scan(const char *dir, const char *rel, kstrv *out)
{
    kstrv names = {0};
    gotk_err *e = list_dir(dir, &names);
    for (size_t i = 0; !e && i < names.n; i++) {
        char *p = gotk_xasprintf("%s/%s", dir, names.v[i]);
        char *r = *rel ? gotk_xasprintf("%s/%s", rel, names.v[i]) : gotk_xstrdup(names.v[i]);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (has_kfile(p))
                kstrv_push(out, r);
            else
                e = scan(p, r, out);
        } else {
            const char *dot = strrchr(names.v[i], '.');
            if (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml"))) {
                e = check_manifest(p);
                if (!e)
                    kstrv_push(out, r);
            }
        }
        free(p);
        free(r);
    }
    kstrv_free(&names);
    return e;
}

/* Write a kustomization.yaml listing every manifest when dir has none. */
gotk_err *gotk_kustomize_generate(const char *dir, bool *created)
{
    *created = false;
    if (has_kfile(dir))
        return NULL;
    kstrv res = {0};
    gotk_err *e = scan(dir, "", &res);
    if (e) {
        kstrv_free(&res);
        return e;
    }
    gotk_buf b = {0};
    gotk_buf_puts(&b, "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n");
    gotk_buf_puts(&b, res.n ? "resources:\n" : "resources: []\n");
    for (size_t i = 0; i < res.n; i++) {
        json_object *s = json_object_new_string(res.v[i]);
        char *y = gotk_yaml_to_string(s, 0);
        gotk_buf_printf(&b, "- %s", y);
        free(y);
        json_object_put(s);
    }
    kstrv_free(&res);
    char *path = gotk_xasprintf("%s/kustomization.yaml", dir);
    e = gotk_file_write_atomic(path, b.data, b.len, 0644);
    free(path);
    gotk_buf_free(&b);
    if (!e)
        *created = true;
    return e;
}
