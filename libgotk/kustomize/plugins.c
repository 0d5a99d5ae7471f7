/*
 * kustomize's builtin plugin configurations, as listed in `transformers:` and
 * `generators:` (apiVersion: builtin, kind: LabelTransformer, PatchTransformer,
 * ConfigMapGenerator, ...).
 *
 * An entry is inline YAML (a mapping) or a path: a file of configuration
 * documents, or a directory whose kustomization builds them. Each configuration
 * is mapped onto the same engine calls the kustomization fields use, with the
 * field specs it names instead of the defaults. Other kinds (exec or Go
 * plugins) are refused.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

/* Field specs listed in a config (strings kept alive by cfg). */
static void specs_of(json_object *doc, kconfig *cfg, kfslist *out)
{
    json_object *a = json_object_object_get(doc, "fieldSpecs");
    for (size_t i = 0; a && json_object_is_type(a, json_type_array) &&
                       i < karr_n(a); i++) {
        json_object *f = json_object_array_get_idx(a, i);
        const char *keys[] = {"group", "version", "kind", "path"};
        const char *vals[4];
        for (int j = 0; j < 4; j++) {
            const char *s = gotk_obj_get_str(f, keys[j]);
            kstrv_push(&cfg->owned, s ? s : "");
            vals[j] = cfg->owned.v[cfg->owned.n - 1];
        }
        json_object *cr = json_object_object_get(f, "create");
        kfslist_add(out, vals[0], vals[1], vals[2], vals[3], cr && json_object_get_boolean(cr));
    }
}

/* NamespaceTransformer. */
static gotk_err *namespace_cfg(json_object *doc, kmap *m, kconfig *cfg)
{
    const char *ns = gotk_obj_get_str(doc, "metadata.namespace");
    const char *rb = gotk_obj_get_str(doc, "setRoleBindingSubjects");
    json_object *uo = json_object_object_get(doc, "unsetOnly");
    knsopts o = {uo && json_object_get_boolean(uo), 0};
    if (rb && !strcmp(rb, "allServiceAccounts"))
        o.rb_mode = 1;
    else if (rb && !strcmp(rb, "none"))
        o.rb_mode = 2;
    else if (rb && *rb && strcmp(rb, "defaultOnly"))
        return gotk_err_new(GOTK_E_INVALID, "invalid value \"%s\" for setRoleBindingSubjects: "
                                            "must be one of \"defaultOnly\", \"none\" or "
                                            "\"allServiceAccounts\"", rb);
    if (!ns || !*ns)
        return NULL;
    kfslist fs = {0};
    specs_of(doc, cfg, &fs);
    gotk_err *e = kt_namespace(m, ns, &fs, &o);
    kfslist_free(&fs);
    return e;
}

/* Prefix/Suffix/PrefixSuffixTransformer. */
static gotk_err *affix_cfg(json_object *doc, kmap *m, kconfig *cfg)
{
    kfslist fs = {0};
    specs_of(doc, cfg, &fs);
    gotk_err *e = kt_prefix_suffix(m, gotk_obj_get_str(doc, "prefix"),
                                   gotk_obj_get_str(doc, "suffix"), &fs, &fs);
    kfslist_free(&fs);
    return e;
}

/* Label/Annotations/ImageTag/ReplicaCount transformers: a value and field specs. */
static gotk_err *specs_cfg(const char *kind, json_object *doc, kmap *m, kconfig *cfg)
{
    kfslist fs = {0};
    specs_of(doc, cfg, &fs);
    gotk_err *e = NULL;
    if (!strcmp(kind, "LabelTransformer"))
        e = kt_labels(m, json_object_object_get(doc, "labels"), &fs);
    else if (!strcmp(kind, "AnnotationsTransformer"))
        e = kt_annotations(m, json_object_object_get(doc, "annotations"), &fs);
    else if (!strcmp(kind, "ImageTagTransformer"))
        e = kt_image(m, json_object_object_get(doc, "imageTag"), &fs);
    else
        e = kt_replicas(m, json_object_object_get(doc, "replica"), &fs);
    kfslist_free(&fs);
    return e;
}

/* PatchStrategicMergeTransformer: paths and/or inline patches. */
static gotk_err *psm_cfg(kctx *c, const char *root, json_object *doc, kmap *m)
{
    json_object *paths = json_object_object_get(doc, "paths");
    const char *inl = gotk_obj_get_str(doc, "patches");
    if (!paths && !(inl && *inl))
        return gotk_err_new(GOTK_E_INVALID, "empty file path and empty patch content");
    gotk_err *e = paths ? kpatch_psm(c, root, paths, m) : NULL;
    if (!e && inl && *inl) {
        json_object *one = json_object_new_array();
        json_object_array_add(one, json_object_new_string(inl));
        e = kpatch_psm(c, root, one, m);
        json_object_put(one);
    }
    return e;
}

/* PatchJson6902Transformer: {target, path, jsonOp}. */
static gotk_err *json6902_cfg(kctx *c, const char *root, json_object *doc, kmap *m)
{
    json_object *pe = json_object_new_object();
    json_object *t = json_object_object_get(doc, "target");
    if (t)
        json_object_object_add(pe, "target", json_object_get(t));
    const char *path = gotk_obj_get_str(doc, "path"), *op = gotk_obj_get_str(doc, "jsonOp");
    if (path)
        json_object_object_add(pe, "path", json_object_new_string(path));
    if (op)
        json_object_object_add(pe, "patch", json_object_new_string(op));
    gotk_err *e = kpatch_json6902_entry(c, root, pe, m);
    json_object_put(pe);
    return e;
}

/* ConfigMapGenerator / SecretGenerator: the generator entry with metadata lifted. */
static gotk_err *generator_cfg(kctx *c, const char *root, const char *kind, json_object *doc,
                               kmap *m)
{
    json_object *g = gotk_obj_copy(doc);
    const char *name = gotk_obj_get_str(doc, "metadata.name");
    const char *ns = gotk_obj_get_str(doc, "metadata.namespace");
    json_object_object_del(g, "metadata");
    json_object_object_del(g, "apiVersion");
    json_object_object_del(g, "kind");
    /* the generated object's name is `name`; metadata names the plugin */
    if (name && !gotk_obj_get_str(g, "name"))
        json_object_object_add(g, "name", json_object_new_string(name));
    if (ns && !gotk_obj_get_str(g, "namespace"))
        json_object_object_add(g, "namespace", json_object_new_string(ns));
    json_object *k = json_object_new_object(), *list = json_object_new_array();
    json_object_array_add(list, g);
    json_object_object_add(k, !strcmp(kind, "SecretGenerator") ? "secretGenerator"
                                                                : "configMapGenerator", list);
    c->plugin_name = name;
    c->plugin_ns = ns;
    gotk_err *e = kgen_run(c, root, k, m);
    c->plugin_name = c->plugin_ns = NULL;
    json_object_put(k);
    return e;
}

/* IAMPolicyGenerator: a GKE workload-identity ServiceAccount. */
static gotk_err *iam_cfg(json_object *doc, kmap *m)
{
    const char *cloud = gotk_obj_get_str(doc, "cloud");
    if (!cloud || strcmp(cloud, "gke"))
        return gotk_err_new(GOTK_E_INVALID, "cloud provider %s not supported yet",
                            cloud ? cloud : "");
    const char *ksa = gotk_obj_get_str(doc, "kubernetesService.name");
    const char *kns = gotk_obj_get_str(doc, "kubernetesService.namespace");
    const char *gsa = gotk_obj_get_str(doc, "serviceAccount.name");
    const char *proj = gotk_obj_get_str(doc, "serviceAccount.projectId");
    json_object *o = json_object_new_object(), *md = json_object_new_object();
    json_object *an = json_object_new_object();
    json_object_object_add(o, "apiVersion", json_object_new_string("v1"));
    json_object_object_add(o, "kind", json_object_new_string("ServiceAccount"));
    json_object_object_add(o, "metadata", md);
    char *v = gotk_xasprintf("%s@%s.iam.gserviceaccount.com", gsa ? gsa : "", proj ? proj : "");
    json_object_object_add(an, "iam.gke.io/gcp-service-account", json_object_new_string(v));
    free(v);
    json_object_object_add(md, "annotations", an);
    json_object_object_add(md, "name", json_object_new_string(ksa ? ksa : ""));
    if (kns && *kns)
        json_object_object_add(md, "namespace", json_object_new_string(kns));
    return kmap_append(m, kres_new(o));
}

/* kustomize's builtin plugin kinds (apiVersion `builtin`), by role. */
static const char *const builtin_generators[] = {
    "ConfigMapGenerator", "SecretGenerator", "IAMPolicyGenerator",
    "HelmChartInflationGenerator", NULL,
};
static const char *const builtin_transformers[] = {
    "AnnotationsTransformer", "HashTransformer", "ImageTagTransformer", "LabelTransformer",
    "NamespaceTransformer", "PatchJson6902Transformer", "PatchStrategicMergeTransformer",
    "PatchTransformer", "PrefixSuffixTransformer", "PrefixTransformer", "SuffixTransformer",
    "ReplicaCountTransformer", "ReplacementTransformer", "SortOrderTransformer",
    "ValueAddTransformer", NULL,
};

static bool in_list(const char *const *l, const char *s)
{
    for (; *l; l++)
        if (!strcmp(*l, s))
            return true;
    return false;
}

/* kustomize's plugin loader, with external plugins disabled: only apiVersion
 * `builtin` loads, a known kind in the role it is listed for. */
static gotk_err *plugin_check(json_object *doc, bool generator)
{
    const char *kind = gotk_obj_get_str(doc, "kind"), *av = gotk_obj_get_str(doc, "apiVersion");
    kind = kind ? kind : "";
    if (!av || strcmp(av, "builtin"))
        return gotk_err_new(GOTK_E_INVALID, "external plugins disabled; unable to load external "
                                            "plugin '%s'", kind);
    bool gen = in_list(builtin_generators, kind), tr = in_list(builtin_transformers, kind);
    if (!gen && !tr)
        return gotk_err_new(GOTK_E_INVALID, "unable to load builtin %s.builtin.[noGrp]", kind);
    if (gen == generator)
        return NULL;
    kres tmp = {0};
    tmp.obj = doc;
    char *id = kres_id_string(&tmp);
    gotk_err *e = gotk_err_new(GOTK_E_INVALID, "plugin %s not a %s", id,
                               generator ? "generator" : "transformer");
    free(id);
    return e;
}

/* Run one builtin configuration document. */
static gotk_err *run_config(kctx *c, const char *root, json_object *doc, kmap *m, kconfig *cfg)
{
    const char *kind = gotk_obj_get_str(doc, "kind");
    const char *av = gotk_obj_get_str(doc, "apiVersion");
    if (!kind)
        return gotk_err_new(GOTK_E_INVALID, "missing kind in plugin configuration");
    if (!strcmp(kind, "NamespaceTransformer"))
        return namespace_cfg(doc, m, cfg);
    if (!strcmp(kind, "PrefixSuffixTransformer") || !strcmp(kind, "PrefixTransformer") ||
        !strcmp(kind, "SuffixTransformer"))
        return affix_cfg(doc, m, cfg);
    if (!strcmp(kind, "LabelTransformer") || !strcmp(kind, "AnnotationsTransformer") ||
        !strcmp(kind, "ImageTagTransformer") || !strcmp(kind, "ReplicaCountTransformer"))
        return specs_cfg(kind, doc, m, cfg);
    if (!strcmp(kind, "PatchTransformer"))
        return kpatch_entry(c, root, doc, m);
    if (!strcmp(kind, "PatchStrategicMergeTransformer"))
        return psm_cfg(c, root, doc, m);
    if (!strcmp(kind, "PatchJson6902Transformer"))
        return json6902_cfg(c, root, doc, m);
    if (!strcmp(kind, "ReplacementTransformer"))
        return krepl_run(c, root, doc, m);
    if (!strcmp(kind, "ConfigMapGenerator") || !strcmp(kind, "SecretGenerator"))
        return generator_cfg(c, root, kind, doc, m);
    if (!strcmp(kind, "IAMPolicyGenerator"))
        return iam_cfg(doc, m);
    if (!strcmp(kind, "SortOrderTransformer") || !strcmp(kind, "HashTransformer"))
        return NULL;
    return gotk_err_new(GOTK_E_INVALID, "plugin %s.%s is not a builtin plugin supported by gotk "
                                        "(exec and Go plugins are not supported)",
                        kind, av ? av : "");
}

/* Where a configuration built from directory `entry` was configured: its
 * origin path when tracked. */
static char *dir_doc_in(kctx *c, const kres *r, const char *entry)
{
    if (r->origin && !strncmp(r->origin, "path: ", 6)) {
        char *in = gotk_xstrdup(r->origin + 6);
        in[strcspn(in, "\n")] = 0;
        return in;
    }
    return krel_join(c->origin, entry);
}

/* Build directory entry `p` into configuration documents and their files. */
static gotk_err *dir_docs(kctx *c, const char *p, const char *entry, json_object **out,
                          kstrv *ins)
{
    kmap sub = {0};
    kconfig scfg = {0};
    char *saved = c->origin;
    c->origin = krel_join(saved, entry);
    gotk_err *e = kbuild_dir(c, p, false, &sub, &scfg);
    free(c->origin);
    c->origin = saved;
    json_object *arr = json_object_new_array();
    for (size_t i = 0; !e && i < sub.n; i++) {
        json_object_array_add(arr, json_object_get(sub.v[i]->obj));
        char *in = dir_doc_in(c, sub.v[i], entry);
        kstrv_push(ins, in);
        free(in);
    }
    kmap_free(&sub);
    kconfig_free(&scfg);
    *out = arr;
    return e;
}

/* Did inline YAML fail only for a repeated key? kustomize reads the entry as
 * inline YAML (kyaml allows it) and fails later, decoding the configuration. */
static bool dup_key_err(const gotk_err *e)
{
    return e && strstr(gotk_err_msg(e), "already defined");
}

/* The configuration documents of one entry: inline, a file or a directory;
 * `ins` gets the file each came from (relative to the top). */
static gotk_err *entry_docs(kctx *c, const char *root, const char *entry, json_object **out,
                            kstrv *ins)
{
    json_object *docs = NULL;
    gotk_err *pe = gotk_yaml_parse(entry, strlen(entry), "inline", &docs);
    if (!pe && karr_n(docs) > 0 &&
        json_object_is_type(json_object_array_get_idx(docs, 0), json_type_object)) {
        char *in = krel_join(c->origin, c->kfile ? c->kfile : "kustomization.yaml");
        for (size_t i = 0; i < karr_n(docs); i++)
            kstrv_push(ins, in);
        free(in);
        *out = docs;
        return NULL;
    }
    if (dup_key_err(pe)) {
        json_object_put(docs);
        return gotk_err_wrap(pe, "marshalling yaml from inline configuration");
    }
    gotk_err_free(pe);
    json_object_put(docs);
    char *p = kpath_join(root, entry);
    struct stat st;
    gotk_err *e = NULL;
    if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
        e = dir_docs(c, p, entry, out, ins);
    } else {
        char *data = NULL;
        size_t len = 0;
        e = kload_file(c, root, entry, &data, &len, NULL);
        if (e && stat(p, &st) != 0) { /* kustomize tried it as a resource, then a base */
            gotk_err *w = gotk_err_new(gotk_err_code_of(e), "accumulation err='accumulating "
                                       "resources from '%s': %s': must build at directory: not "
                                       "a valid directory: evalsymlink failure on '%s' : lstat "
                                       "%s: no such file or directory", entry, gotk_err_msg(e),
                                       p, p);
            gotk_err_free(e);
            e = w;
        }
        if (!e && (e = kparse_resources(data, len, entry, out)))
            e = kmalformed(e, entry);
        free(data);
        char *in = krel_join(c->origin, entry);
        for (size_t i = 0; !e && i < karr_n(*out); i++)
            kstrv_push(ins, in);
        free(in);
    }
    free(p);
    return e;
}

/* Is a `transformers:` / `generators:` entry inline YAML rather than a path? */
static bool is_inline(const char *entry)
{
    json_object *docs = NULL;
    gotk_err *e = gotk_yaml_parse(entry, strlen(entry), "inline", &docs);
    bool r = dup_key_err(e) ||
             (!e && karr_n(docs) > 0 &&
              json_object_is_type(json_object_array_get_idx(docs, 0), json_type_object));
    gotk_err_free(e);
    json_object_put(docs);
    return r;
}

/* `transformers:` or `generators:` of one level: as kustomize, the inline
 * configurations first, then the ones loaded from paths. */
gotk_err *kplugins_run(kctx *c, const char *root, json_object *k, const char *field, kmap *m,
                       kconfig *cfg)
{
    json_object *a = json_object_object_get(k, field);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < karr_n(a); i++) {
            const char *entry = kstr(json_object_array_get_idx(a, i));
            bool inl = is_inline(entry);
            if (inl != (pass == 0))
                continue;
            json_object *docs = NULL;
            kstrv ins = {0};
            gotk_err *e = entry_docs(c, root, entry, &docs, &ins);
            if (e && !strcmp(field, "generators"))
                e = gotk_err_wrap(e, "loading generator plugins");
            c->plugin_file = inl ? NULL : entry;
            bool gen = !strcmp(field, "generators");
            for (size_t j = 0; !e && j < karr_n(docs); j++) {
                json_object *doc = json_object_array_get_idx(docs, j);
                size_t before = m->n;
                if ((e = plugin_check(doc, gen)) && gen)
                    e = gotk_err_wrap(e, "loading generator plugins: failed to load generator");
                if (!e)
                    e = run_config(c, root, doc, m, cfg);
                if (!e && !strcmp(field, "transformers") && j < ins.n)
                    ktrack_plugin(c, m, doc, ins.v[j]);
                else if (!e && gen && j < ins.n)
                    ktrack_generated(c, m, before, doc, ins.v[j]);
            }
            c->plugin_file = NULL;
            kstrv_free(&ins);
            json_object_put(docs);
            if (e)
                return e;
        }
    return NULL;
}

/* The start of kustomize's "nodes unequal" text: both resources as JSON. */
static gotk_err *nodes_unequal(json_object *was, json_object *now)
{
    json_object *a = ksorted_copy(was), *b = ksorted_copy(now);
    char *sa = gotk_json_to_string(a), *sb = gotk_json_to_string(b);
    gotk_err *e = gotk_err_new(GOTK_E_INVALID, "validator shouldn't modify the resource map: "
                                               "nodes unequal: \n -- %s,\n -- %s\n", sa, sb);
    free(sa);
    free(sb);
    json_object_put(a);
    json_object_put(b);
    return e;
}

/* validators: kustomize runs them as transformers that must leave the
 * resources as they were ("validator shouldn't modify the resource map"). */
gotk_err *kvalidators_run(kctx *c, const char *root, json_object *k, kmap *m, kconfig *cfg)
{
    size_t n = m->n;
    char **ids = gotk_xcalloc(n ? n : 1, sizeof *ids);
    json_object **objs = gotk_xcalloc(n ? n : 1, sizeof *objs);
    for (size_t i = 0; i < n; i++) {
        ids[i] = kres_id_string(m->v[i]);
        objs[i] = gotk_obj_copy(m->v[i]->obj);
    }
    gotk_err *e = kplugins_run(c, root, k, "validators", m, cfg);
    const char *why = NULL;
    char *id = NULL;
    int matches = 0;
    kres *changed = NULL;
    size_t changed_at = 0;
    if (!e && m->n != n)
        why = "lists have different number of entries";
    for (size_t i = 0; !e && !why && i < n; i++) {
        kres *hit = NULL;
        matches = 0;
        for (size_t j = 0; j < m->n; j++) {
            char *other = kres_id_string(m->v[j]);
            if (!strcmp(other, ids[i])) {
                hit = m->v[j];
                matches++;
            }
            free(other);
        }
        id = ids[i];
        why = !matches ? "id in self missing from other"
              : matches > 1 ? "id in self matches"
              : !gotk_obj_equal(objs[i], hit->obj) ? "nodes unequal" : NULL;
        changed = hit;
        changed_at = i;
    }
    if (why && !strcmp(why, "id in self matches"))
        e = gotk_err_new(GOTK_E_INVALID, "validator shouldn't modify the resource map: id in self "
                                         "matches %d in other; id: %s", matches, id);
    else if (why && !strcmp(why, "id in self missing from other"))
        e = gotk_err_new(GOTK_E_INVALID, "validator shouldn't modify the resource map: id in self "
                                         "missing from other; id: %s", id);
    else if (why && !strcmp(why, "nodes unequal"))
        e = nodes_unequal(objs[changed_at], changed->obj);
    else if (why)
        e = gotk_err_new(GOTK_E_INVALID, "validator shouldn't modify the resource map: %s", why);
    for (size_t i = 0; i < n; i++) {
        free(ids[i]);
        json_object_put(objs[i]);
    }
    free(ids);
    free(objs);
    return e;
}
