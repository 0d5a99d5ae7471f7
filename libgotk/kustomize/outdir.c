/* outdir.c: `kustomize build -o DIR` when DIR is a directory: one file per
 * resource, named lower("group_version_kind") + "_" + lower(name) + ".yaml",
 * prefixed with the lower-cased namespace when the resources span more than
 * one (a namespace-less one counts as "default"; cluster-scoped ones take no
 * prefix), each holding the resource alone as kustomize writes it. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "gotk/core.h"
#include "gotk/kustomize.h"
#include "gotk/obj.h"
#include "internal.h"

/* Append s lower-cased. */
static void put_lower(gotk_buf *b, const char *s)
{
    for (; s && *s; s++)
        gotk_buf_putc(b, (char)tolower((unsigned char)*s));
}

/* kustomize's fileName: Gvk.StringWoEmptyField and the name, lower-cased. */
static char *file_name(json_object *o, const char *ns_prefix)
{
    const char *av = gotk_obj_get_str(o, "apiVersion"), *kind = gotk_obj_get_str(o, "kind");
    const char *name = gotk_obj_get_str(o, "metadata.name");
    const char *slash = av ? strchr(av, '/') : NULL;
    gotk_buf b = {0};
    if (ns_prefix) {
        put_lower(&b, ns_prefix);
        gotk_buf_putc(&b, '_');
    }
    const char *parts[3] = {NULL, av, kind};
    char *group = slash ? gotk_xstrndup(av, (size_t)(slash - av)) : NULL;
    if (slash) {
        parts[0] = group;
        parts[1] = slash + 1;
    }
    bool first = true;
    for (int i = 0; i < 3; i++)
        if (parts[i] && *parts[i]) {
            if (!first)
                gotk_buf_putc(&b, '_');
            put_lower(&b, parts[i]);
            first = false;
        }
    gotk_buf_putc(&b, '_');
    put_lower(&b, name);
    gotk_buf_puts(&b, ".yaml");
    free(group);
    return gotk_buf_steal(&b);
}

/* The namespace a resource is grouped under, or NULL when cluster-scoped. */
static const char *group_ns(json_object *o)
{
    const char *ns = keff_ns(gotk_obj_get_str(o, "apiVersion"), gotk_obj_get_str(o, "kind"),
                             gotk_obj_get_str(o, "metadata.namespace"));
    return strcmp(ns, "_non_namespaceable_") ? ns : NULL;
}

gotk_err *gotk_kustomize_write_dir(json_object *docs, const char *dir)
{
    bool many = false;
    const char *seen = NULL;
    for (size_t i = 0; i < karr_n(docs); i++) {
        const char *ns = group_ns(json_object_array_get_idx(docs, i));
        if (ns && seen && strcmp(ns, seen))
            many = true;
        if (ns && !seen)
            seen = ns;
    }
    gotk_err *e = NULL;
    for (size_t i = 0; !e && i < karr_n(docs); i++) {
        json_object *o = json_object_array_get_idx(docs, i);
        const char *ns = group_ns(o);
        char *fname = file_name(o, ns && many ? ns : NULL);
        char *path = gotk_xasprintf("%s/%s", dir, fname);
        gotk_buf y = {0};
        e = gotk_yaml_emit(o, GOTK_YAML_SORT_KEYS, &y);
        if (!e)
            e = gotk_file_write_atomic(path, y.data ? y.data : "", y.len, 0644);
        gotk_buf_free(&y);
        free(path);
        free(fname);
    }
    return e;
}
