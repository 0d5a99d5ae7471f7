/*
 * kustomize loading and the build pipeline.
 *
 * kbuild_dir() is kustomize's KustTarget.AccumulateTarget: find and parse the
 * kustomization file, accumulate resources (files, and directories built
 * recursively into their own map and appended), merge transformer
 * configurations, run generators, components, then the built-in transformers in
 * kustomize's order. gotk_kustomize_build() adds what runs once at the top:
 * name hashes, name-reference fixing, dropping local-config objects, ordering.
 *
 * Error texts follow kustomize's ("accumulating resources: accumulation
 * err='...'") so messages can be compared with kubectl's.
 */
#include <errno.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static const char *const kfile_names[] = {"kustomization.yaml", "kustomization.yml",
                                          "Kustomization"};

/* Join dir and rel (rel may be absolute) and clean "." and ".." lexically. */
char *kpath_join(const char *dir, const char *rel)
{
    char *full = rel[0] == '/' ? gotk_xstrdup(rel) : gotk_xasprintf("%s/%s", dir, rel);
    kstrv parts = {0};
    char *save = NULL;
    for (char *t = strtok_r(full, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
        if (!strcmp(t, ".") || !*t)
            continue;
        if (!strcmp(t, "..")) {
            if (parts.n)
                free(parts.v[--parts.n]);
            continue;
        }
        kstrv_push(&parts, t);
    }
    gotk_buf b = {0};
    for (size_t i = 0; i < parts.n; i++) {
        gotk_buf_putc(&b, '/');
        gotk_buf_puts(&b, parts.v[i]);
    }
    if (!b.len)
        gotk_buf_putc(&b, '/');
    kstrv_free(&parts);
    free(full);
    return gotk_buf_steal(&b);
}

/* Join relative paths and clean them lexically, keeping leading "..". */
char *krel_join(const char *a, const char *b)
{
    char *full = *a ? gotk_xasprintf("%s/%s", a, b) : gotk_xstrdup(b);
    kstrv parts = {0};
    char *save = NULL;
    for (char *t = strtok_r(full, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
        if (!strcmp(t, "."))
            continue;
        if (!strcmp(t, "..") && parts.n && strcmp(parts.v[parts.n - 1], "..")) {
            free(parts.v[--parts.n]);
            continue;
        }
        kstrv_push(&parts, t);
    }
    gotk_buf b2 = {0};
    for (size_t i = 0; i < parts.n; i++) {
        if (i)
            gotk_buf_putc(&b2, '/');
        gotk_buf_puts(&b2, parts.v[i]);
    }
    if (!b2.len)
        gotk_buf_putc(&b2, '.');
    kstrv_free(&parts);
    free(full);
    return gotk_buf_steal(&b2);
}

/* realpath, or a copy of p when it does not resolve. */
static char *real_or_copy(const char *p)
{
    char *r = realpath(p, NULL);
    return r ? r : gotk_xstrdup(p);
}

/* Read a file for a kustomization rooted at root, checking the load restrictor. */
gotk_err *kload_file(kctx *c, const char *root, const char *rel, char **data, size_t *len,
                     char **abspath)
{
    char *p = kpath_join(root, rel);
    gotk_err *se = ksecure_check(c, p, "read");
    if (se) {
        free(p);
        return se;
    }
    char *rp = realpath(p, NULL);
    if (!rp) { /* worded by the load restrictor: it resolves links, or just opens */
        gotk_err *e = c->opts.load_restrictor_none
                          ? gotk_err_new(GOTK_E_NOTFOUND, "open %s: no such file or directory", p)
                          : gotk_err_new(GOTK_E_NOTFOUND, "evalsymlink failure on '%s' : lstat "
                                                          "%s: no such file or directory", p, p);
        free(p);
        return e;
    }
    char *rroot = real_or_copy(root);
    if (!c->opts.load_restrictor_none && !kpath_within(rp, rroot)) {
        /* kustomize names the path as joined, a symlink unresolved */
        gotk_err *e = gotk_err_new(GOTK_E_INVALID, "security; file '%s' is not in or below '%s'",
                                   p, rroot);
        free(rroot);
        free(rp);
        free(p);
        return e;
    }
    free(rroot);
    struct stat st;
    if (stat(rp, &st) == 0 && S_ISDIR(st.st_mode)) { /* as the load restrictor words it */
        gotk_err *e = c->opts.load_restrictor_none
                          ? gotk_err_new(GOTK_E_INVALID, "read %s: is a directory", p)
                          : gotk_err_new(GOTK_E_INVALID, "'%s' must resolve to a file", p);
        free(rp);
        free(p);
        return e;
    }
    gotk_err *e = gotk_file_read(rp, data, len);
    if (abspath && !e)
        *abspath = p;
    else
        free(p);
    free(rp);
    return e;
}

/* Append the items of a List, or the object itself. */
static void add_resource_doc(json_object *out, json_object *doc)
{
    const char *kind = gotk_obj_get_str(doc, "kind");
    json_object *items = json_object_object_get(doc, "items");
    size_t kl = kind ? strlen(kind) : 0;
    if (kind && kl >= 4 && !strcmp(kind + kl - 4, "List") && items &&
        json_object_is_type(items, json_type_array)) {
        for (size_t i = 0; i < karr_n(items); i++)
            json_object_array_add(out, json_object_get(json_object_array_get_idx(items, i)));
        return;
    }
    json_object_array_add(out, json_object_get(doc));
}

/* Go's %v of a map[string]string: map[k:v k2:v2], keys sorted. */
static void go_map(gotk_buf *b, json_object *m)
{
    kstrv keys = {0};
    if (m && json_object_is_type(m, json_type_object)) {
        json_object_object_foreach(m, k, v) {
            (void)v;
            kstrv_push(&keys, k);
        }
    }
    for (size_t i = 1; i < keys.n; i++)
        for (size_t j = i; j > 0 && strcmp(keys.v[j - 1], keys.v[j]) > 0; j--) {
            char *t = keys.v[j];
            keys.v[j] = keys.v[j - 1];
            keys.v[j - 1] = t;
        }
    gotk_buf_puts(b, "map[");
    for (size_t i = 0; i < keys.n; i++) {
        json_object *v = json_object_object_get(m, keys.v[i]);
        gotk_buf_printf(b, "%s%s:%s", i ? " " : "", keys.v[i], v ? json_object_get_string(v) : "");
    }
    gotk_buf_puts(b, "]");
    kstrv_free(&keys);
}

/* kyaml's GetValidatedMetadata: kind, and a name unless a List. */
gotk_err *kvalidate_meta(json_object *d)
{
    const char *av = gotk_obj_get_str(d, "apiVersion"), *kind = gotk_obj_get_str(d, "kind");
    json_object *md = json_object_object_get(d, "metadata");
    bool no_md = !md || (json_object_is_type(md, json_type_object) && !json_object_object_length(md));
    if (!(av && *av) && !(kind && *kind) && no_md)
        return gotk_err_new(GOTK_E_NOTFOUND, "missing Resource metadata");
    const char *name = gotk_obj_get_str(d, "metadata.name");
    size_t kl = kind ? strlen(kind) : 0;
    if (kl && ((kl >= 4 && !strcmp(kind + kl - 4, "List")) || (name && *name)))
        return NULL;
    gotk_buf b = {0};
    const char *ns = gotk_obj_get_str(d, "metadata.namespace");
    gotk_buf_printf(&b, "{{%s %s} {{%s %s} ", av ? av : "", kind ? kind : "", name ? name : "",
                    ns ? ns : "");
    go_map(&b, md ? json_object_object_get(md, "labels") : NULL);
    gotk_buf_putc(&b, ' ');
    go_map(&b, md ? json_object_object_get(md, "annotations") : NULL);
    gotk_buf_puts(&b, "}}");
    gotk_err *e = gotk_err_new(GOTK_E_NOTFOUND, "missing %s in object %s",
                               kl ? "metadata.name" : "kind", b.data);
    gotk_buf_free(&b);
    return e;
}

/* Does the object hold an annotation whose value is not a string? */
static bool odd_annotations(json_object *d)
{
    json_object *an = gotk_obj_get(d, "metadata", "annotations", NULL);
    if (!json_object_is_type(an, json_type_object))
        return false;
    json_object_object_foreach(an, k, v) {
        (void)k;
        if (!json_object_is_type(v, json_type_string))
            return true;
    }
    return false;
}

/* kustomize rebuilds annotations from their scalar text (`1.10`, `True`,
 * `null` stay as written), so non-string values become that text; texts is
 * made from the source on first need. */
static void annotation_texts(json_object *d, const char *data, size_t len, json_object **texts)
{
    if (!odd_annotations(d))
        return;
    if (!*texts)
        *texts = kmeta_texts(data, len);
    json_object *t = json_object_object_get(kmeta_texts_for(*texts, d), "annotations");
    json_object *an = gotk_obj_get(d, "metadata", "annotations", NULL);
    json_object_object_foreach(an, k, v) {
        json_object *text = json_object_object_get(t, k);
        if (!json_object_is_type(v, json_type_string) && !json_object_is_type(v, json_type_object) &&
            !json_object_is_type(v, json_type_array) && text)
            json_object_object_add(an, k, json_object_get(text));
    }
}

/* A repeated key only inside annotations is no error for kustomize: it
 * rebuilds them (the last value winning, as text); read the stream keeping
 * first values and take the annotations from their text. */
static gotk_err *parse_dup_annotations(const char *data, size_t len, const char *source,
                                       gotk_err *e, json_object **raw)
{
    if (!strstr(gotk_err_msg(e), "already defined"))
        return e;
    char *dup = kdup_outside_annotations(data, len);
    if (dup && *dup) { /* reported as kustomize's writer does, annotations rebuilt */
        gotk_err_free(e);
        e = gotk_err_new(GOTK_E_INVALID, "map[string]interface {}(nil): yaml: unmarshal "
                                         "errors:\n  %s", dup);
    }
    if (dup) {
        free(dup);
        return e;
    }
    gotk_err *again = gotk_yaml_parse_flags(data, len, source, GOTK_YAML_PARSE_FIRST_KEY, raw);
    if (again) {
        gotk_err_free(again);
        return e;
    }
    gotk_err_free(e);
    json_object *texts = kmeta_texts(data, len);
    for (size_t i = 0; i < karr_n(*raw); i++) {
        json_object *d = json_object_array_get_idx(*raw, i);
        json_object *t = kmeta_texts_for(texts, d), *md = json_object_object_get(d, "metadata");
        json_object *an = json_object_object_get(t, "annotations");
        if (an && json_object_is_type(md, json_type_object))
            json_object_object_add(md, "annotations", json_object_get(an));
    }
    json_object_put(texts);
    return NULL;
}

/* Parse a resource stream; Lists become their items. */
gotk_err *kparse_resources(const char *data, size_t len, const char *source, json_object **docs)
{
    json_object *raw = NULL;
    gotk_err *e = gotk_yaml_parse(data, len, source, &raw);
    if (e)
        e = parse_dup_annotations(data, len, source, e, &raw);
    if (e)
        return e;
    json_object *out = json_object_new_array(), *texts = NULL;
    for (size_t i = 0; i < karr_n(raw); i++) {
        json_object *d = json_object_array_get_idx(raw, i);
        gotk_err *ve = NULL;
        if (!json_object_is_type(d, json_type_object))
            ve = gotk_err_new(GOTK_E_INVALID, "%s: expected a mapping document", source);
        else if (json_object_object_length(d) == 0)
            continue;
        else
            ve = kvalidate_meta(d);
        if (ve) {
            json_object_put(raw);
            json_object_put(out);
            json_object_put(texts);
            return ve;
        }
        annotation_texts(d, data, len, &texts);
        add_resource_doc(out, d);
    }
    json_object_put(raw);
    json_object_put(texts);
    *docs = out;
    return NULL;
}

/* Find the kustomization file in dir. */
static gotk_err *find_kfile(const char *dir, char **out)
{
    char *found = NULL;
    for (size_t i = 0; i < 3; i++) {
        char *p = gotk_xasprintf("%s/%s", dir, kfile_names[i]);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
            if (found) {
                free(p);
                free(found);
                return gotk_err_new(GOTK_E_INVALID,
                                    "Found multiple kustomization files under: %s", dir);
            }
            found = p;
        } else {
            free(p);
        }
    }
    if (!found)
        return gotk_err_new(GOTK_E_NOTFOUND,
                            "unable to find one of 'kustomization.yaml', 'kustomization.yml' or "
                            "'Kustomization' in directory '%s'", dir);
    *out = found;
    return NULL;
}

/* Is s a remote URL kustomize would fetch? */
static bool is_remote(const char *s)
{
    static const char *const pfx[] = {"http://", "https://", "git@", "ssh://", "git::",
                                      "github.com/", "gitlab.com/", "bitbucket.org/", NULL};
    for (size_t i = 0; pfx[i]; i++)
        if (!strncmp(s, pfx[i], strlen(pfx[i])))
            return true;
    return false;
}

/* The string items of an array field (NULL-safe); borrowed. */
static json_object *arr(json_object *k, const char *key)
{
    json_object *a = json_object_object_get(k, key);
    return a && json_object_is_type(a, json_type_array) ? a : NULL;
}

/* go-yaml's line for an error: the context line if not the first, else the
 * problem line if not the first, one more for scanner errors, 0 for none. */
static unsigned goyaml_line(unsigned problem1, unsigned context1, bool scanner)
{
    unsigned line = 0;
    if (context1 > 1)
        line = context1 - 1;
    else if (problem1 > 1)
        line = problem1 - 1;
    return line && scanner ? line + 1 : line;
}

/* Reword a YAML error "rel:LINE:COL: problem (while ... at line L)" as
 * kustomize's MalformedYAMLError, with go-yaml's line and wording. */
gotk_err *kmalformed(gotk_err *e, const char *rel)
{
    const char *msg = gotk_err_msg(e);
    size_t rl = strlen(rel);
    unsigned line = 0, col = 0, ctx = 0;
    int used = 0;
    if (strncmp(msg, rel, rl) || msg[rl] != ':' ||
        sscanf(msg + rl + 1, "%u:%u: %n", &line, &col, &used) < 2 || !used)
        return e;
    if (strstr(msg + rl + 1 + used, "already defined")) {
        /* kustomize fails decoding the parsed node and reports it unwrapped */
        gotk_err *n = gotk_err_new(GOTK_E_INVALID, "map[string]interface {}(nil): yaml: "
                                                   "unmarshal errors:\n  line %u: %s",
                                   line, msg + rl + 1 + used);
        gotk_err_free(e);
        return n;
    }
    char *problem = gotk_xstrdup(msg + rl + 1 + used);
    char *paren = strstr(problem, " (while ");
    bool scanner = strstr(problem, "mapping values are not allowed") ||
                   strstr(problem, "found character") || strstr(problem, "tab character");
    if (paren) {
        const char *at = strstr(paren, " at line ");
        if (at)
            sscanf(at + 9, "%u", &ctx);
        scanner = scanner || !strncmp(paren, " (while scanning", 16);
        *paren = 0;
    }
    if (strstr(problem, "found a tab character"))
        strcpy(problem, "found character that cannot start any token");
    unsigned gl = goyaml_line(line, ctx, scanner);
    char where[32] = "";
    if (gl)
        snprintf(where, sizeof where, "line %u: ", gl);
    gotk_err *n = gotk_err_new(GOTK_E_INVALID, "accumulating resources from '%s': "
                                               "MalformedYAMLError: yaml: %s%s in File: %s",
                               rel, where, problem, rel);
    free(problem);
    gotk_err_free(e);
    return n;
}

/* Append every object in a resource file to m. */
static gotk_err *accumulate_file(kctx *c, const char *root, const char *rel, kmap *m)
{
    char *data = NULL, *abs = NULL;
    size_t len = 0;
    gotk_err *e = kload_file(c, root, rel, &data, &len, &abs);
    if (e)
        return gotk_err_wrap(e, "accumulating resources from '%s'", rel);
    json_object *docs = NULL;
    e = kparse_resources(data, len, rel, &docs);
    free(data);
    free(abs);
    if (e && gotk_err_code_of(e) == GOTK_E_NOTFOUND)
        return gotk_err_wrap(e, "accumulating resources from '%s'", rel);
    if (e) {
        e = kmalformed(e, rel);
        if (!c->bare_err && !strncmp(gotk_err_msg(e), "map[string]", 11))
            c->bare_err = gotk_xstrdup(gotk_err_msg(e));
        return e;
    }
    char *origin = NULL;
    if (c->origin_on) {
        char *p = krel_join(c->origin, rel);
        origin = gotk_xasprintf("path: %s\n", p);
        free(p);
    }
    for (size_t i = 0; !e && i < karr_n(docs); i++) {
        json_object *d = json_object_get(json_object_array_get_idx(docs, i));
        kres *r = kres_new(d);
        if (origin)
            r->origin = gotk_xstrdup(origin);
        e = kmap_append(m, r);
        if (e)
            e = gotk_err_wrap(e, "merging resources from '%s'", rel);
    }
    json_object_put(docs);
    free(origin);
    return e;
}

/* Build a sub-directory with the origin path moved into it. */
static gotk_err *build_sub(kctx *c, const char *path, const char *rel, bool component,
                          kmap *m, kconfig *cfg)
{
    char *saved = c->origin;
    c->origin = krel_join(saved, rel);
    gotk_err *e = kbuild_dir(c, path, component, m, cfg);
    free(c->origin);
    c->origin = saved;
    return e;
}

/* Build a directory resource into its own map and append it to m. */
static gotk_err *accumulate_dir(kctx *c, const char *path, const char *rel, kmap *m,
                                kconfig *cfg)
{
    kmap sub = {0};
    kconfig subcfg = {0};
    gotk_err *e = build_sub(c, path, rel, false, &sub, &subcfg);
    for (size_t i = 0; !e && i < sub.n; i++) {
        e = kmap_append(m, sub.v[i]);
        sub.v[i] = NULL;
    }
    for (size_t i = 0; i < sub.n; i++)
        kres_free(sub.v[i]);
    sub.n = 0;
    kmap_free(&sub);
    const char *conflict = kconfig_absorb(cfg, &subcfg);
    if (!e && conflict) {
        char *rdir = real_or_copy(path);
        e = gotk_err_new(GOTK_E_INVALID, "recursed merging from path '%s': %s", rdir, conflict);
        free(rdir);
    }
    return e;
}

/* One entry of `resources:`: a file, else a directory with a kustomization. */
static gotk_err *accumulate_one(kctx *c, const char *root, const char *rel, kmap *m,
                                kconfig *cfg)
{
    if (is_remote(rel))
        return gotk_err_new(GOTK_E_INVALID,
                            "accumulating resources from '%s': remote resources are not "
                            "supported by gotk", rel);
    char *p = kpath_join(root, rel);
    struct stat st;
    gotk_err *e = ksecure_check(c, p, "read");
    if (e) {
        gotk_err *abs = ksecure_check(c, p, "abs");
        gotk_err *w = gotk_err_new(GOTK_E_INVALID, "accumulation err='accumulating resources "
                                   "from '%s': %s': must build at directory: not a valid "
                                   "directory: %s", rel, gotk_err_msg(e), gotk_err_msg(abs));
        gotk_err_free(abs);
        gotk_err_free(e);
        e = w;
    } else if (stat(p, &st) != 0) {
        /* reading it as a file failed as the load restrictor words it, and as
         * a directory kustomize refuses an absolute one before looking */
        char *as_file = c->opts.load_restrictor_none
                            ? gotk_xasprintf("open %s: no such file or directory", p)
                            : gotk_xasprintf("evalsymlink failure on '%s' : lstat %s: no such "
                                             "file or directory", p, p);
        if (rel[0] == '/')
            e = gotk_err_new(GOTK_E_NOTFOUND, "accumulation err='accumulating resources from "
                                              "'%s': %s': new root '%s' cannot be absolute",
                             rel, as_file, rel);
        else
            e = gotk_err_new(GOTK_E_NOTFOUND, "accumulation err='accumulating resources from "
                                              "'%s': %s': must build at directory: not a valid "
                                              "directory: evalsymlink failure on '%s' : lstat "
                                              "%s: no such file or directory", rel, as_file, p, p);
        free(as_file);
    } else if (S_ISDIR(st.st_mode)) {
        /* what reading it as a file said, as the load restrictor words it */
        char *as_file = c->opts.load_restrictor_none
                            ? gotk_xasprintf("read %s: is a directory", p)
                            : gotk_xasprintf("'%s' must resolve to a file", p);
        if (rel[0] == '/') /* kustomize's loader takes no absolute directory */
            e = gotk_err_new(GOTK_E_INVALID, "accumulation err='accumulating resources from "
                                             "'%s': %s': new root '%s' cannot be absolute",
                             rel, as_file, rel);
        else if ((e = accumulate_dir(c, p, rel, m, cfg)))
            e = gotk_err_wrap(e, "accumulation err='accumulating resources from '%s': %s'",
                              rel, as_file);
        free(as_file);
    } else {
        e = accumulate_file(c, root, rel, m);
        if (e && !strstr(gotk_err_msg(e), "MalformedYAMLError")) {
            gotk_err *w = rel[0] == '/'
                              ? gotk_err_new(gotk_err_code_of(e), "accumulation err='%s': new "
                                             "root '%s' cannot be absolute", gotk_err_msg(e), rel)
                              : gotk_err_new(gotk_err_code_of(e), "accumulation err='%s': must "
                                             "build at directory: '%s': file is not directory",
                                             gotk_err_msg(e), p);
            gotk_err_free(e);
            e = w;
        }
    }
    free(p);
    return e;
}

/* resources: and bases: in order. */
static gotk_err *accumulate_resources(kctx *c, const char *root, json_object *k, kmap *m,
                                      kconfig *cfg)
{
    static const char *const keys[] = {"resources", "bases"};
    /* (imageTags are appended to images when the transformers run) */
    for (size_t j = 0; j < 2; j++) {
        json_object *a = arr(k, keys[j]);
        for (size_t i = 0; a && i < karr_n(a); i++) {
            const char *rel = kstr(json_object_array_get_idx(a, i));
            gotk_err *e = accumulate_one(c, root, rel, m, cfg);
            if (e)
                return gotk_err_wrap(e, "accumulating resources");
        }
    }
    return NULL;
}

/* This level's transformer configuration: the `configurations:` files when
 * given (they replace kustomize's defaults at this level), else the defaults;
 * either is merged over what the bases brought (kustomize's MergeConfig). A
 * spec that conflicts with one already there (same gvk and path, the other
 * `create`) fails as in kustomize. */
static gotk_err *load_configurations(kctx *c, const char *root, json_object *k, kconfig *cfg)
{
    json_object *a = arr(k, "configurations");
    kconfig lvl, custom = {0};
    gotk_err *e = NULL;
    const char *conflict = NULL;
    for (size_t i = 0; !e && !conflict && i < karr_n(a); i++) {
        const char *rel = kstr(json_object_array_get_idx(a, i));
        char *data = NULL;
        size_t len = 0;
        json_object *doc = NULL;
        e = kload_file(c, root, rel, &data, &len, NULL);
        if (!e) /* (sigs.k8s.io/yaml's errors name no file) */
            e = kconfig_decode(data, len, NULL, &doc);
        free(data);
        kconfig one = {0};
        if (!e)
            kconfig_merge_doc(&one, doc);
        conflict = kconfig_absorb(&custom, &one);
        json_object_put(doc);
    }
    /* kustomize merges the files over its defaults, then that into the level */
    kconfig_default(&lvl);
    if (!e && !conflict && karr_n(a))
        conflict = kconfig_absorb(&lvl, &custom);
    else
        kconfig_free(&custom);
    if (e || conflict) {
        kconfig_free(&lvl);
        return e ? e : gotk_err_new(GOTK_E_INVALID, "%s", conflict);
    }
    char *shown = kconfig_go_string(&lvl);
    conflict = kconfig_absorb(cfg, &lvl);
    if (conflict)
        e = gotk_err_new(GOTK_E_INVALID, "merging config %s: %s", shown, conflict);
    free(shown);
    return e;
}

/* Append Go's %q of s. */
void kgo_quote(gotk_buf *b, const char *s)
{
    gotk_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            gotk_buf_putc(b, '\\');
        if (*s == '\n')
            gotk_buf_puts(b, "\\n");
        else if (*s == '\t')
            gotk_buf_puts(b, "\\t");
        else
            gotk_buf_putc(b, *s);
    }
    gotk_buf_putc(b, '"');
}

/* Replace e by prefix + Go's %q of its message (kustomize wraps so). */
static gotk_err *go_quoted_wrap(gotk_err *e, const char *prefix)
{
    gotk_buf b = {0};
    gotk_buf_puts(&b, prefix);
    kgo_quote(&b, gotk_err_msg(e));
    gotk_err *n = gotk_err_new(gotk_err_code_of(e), "%s", b.data);
    gotk_buf_free(&b);
    gotk_err_free(e);
    return n;
}

/* components: each built on top of m. */
static gotk_err *accumulate_components(kctx *c, const char *root, json_object *k, kmap *m,
                                       kconfig *cfg)
{
    json_object *a = arr(k, "components");
    for (size_t i = 0; a && i < karr_n(a); i++) {
        const char *rel = kstr(json_object_array_get_idx(a, i));
        char *p = kpath_join(root, rel);
        gotk_err *e = ksecure_check(c, p, "abs");
        struct stat st;
        if (!e && stat(p, &st) != 0)
            e = gotk_err_new(GOTK_E_NOTFOUND, "evalsymlink failure on '%s' : lstat %s: no such "
                                              "file or directory", p, p);
        if (e) {
            free(p);
            e = gotk_err_wrap(e, "must build at directory: not a valid directory");
            return go_quoted_wrap(e, "accumulating components: loader.New ");
        }
        e = build_sub(c, p, rel, true, m, cfg);
        free(p);
        if (e)
            return go_quoted_wrap(e, "accumulating components: accumulateDirectory: ");
    }
    return NULL;
}

/* Field specs for one entry of `labels:`: its fields, then the configured
 * `labels` specs, selectors or templates, metadata/labels; a spec meeting one
 * with the other `create` fails as in kustomize. */
static gotk_err *label_specs(json_object *l, kconfig *cfg, kfslist *fss)
{
    static const char conflict[] = "failed to merge labels: conflicting fieldspecs";
    json_object *sel = json_object_object_get(l, "includeSelectors");
    json_object *tpl = json_object_object_get(l, "includeTemplates");
    json_object *fields = json_object_object_get(l, "fields");
    for (size_t i = 0; fields && json_object_is_type(fields, json_type_array) &&
                       i < karr_n(fields); i++) {
        json_object *f = json_object_array_get_idx(fields, i);
        json_object *cr = json_object_object_get(f, "create");
        kstrv_push(&cfg->owned, gotk_obj_get_str(f, "path") ? gotk_obj_get_str(f, "path") : "");
        const char *path = cfg->owned.v[cfg->owned.n - 1];
        const char *keys[] = {"group", "version", "kind"};
        const char *vals[3];
        for (int j = 0; j < 3; j++) {
            const char *s = gotk_obj_get_str(f, keys[j]);
            kstrv_push(&cfg->owned, s ? s : "");
            vals[j] = cfg->owned.v[cfg->owned.n - 1];
        }
        kfslist_add(fss, vals[0], vals[1], vals[2], path, cr && json_object_get_boolean(cr));
    }
    if (kfslist_merge(fss, &cfg->fs[KFS_LABELS]))
        return gotk_err_new(GOTK_E_INVALID, "%s", conflict);
    if (sel && json_object_get_boolean(sel))
        return kfslist_merge(fss, &cfg->fs[KFS_COMMON_LABELS])
                   ? gotk_err_new(GOTK_E_INVALID, "%s", conflict) : NULL;
    if (tpl && json_object_get_boolean(tpl) && kfslist_merge(fss, &cfg->fs[KFS_TEMPLATE_LABELS]))
        return gotk_err_new(GOTK_E_INVALID, "failed to merge template fieldSpec: "
                                            "conflicting fieldspecs");
    kfslist one = {0};
    kfslist_add(&one, "", "", "", "metadata/labels", true);
    bool bad = kfslist_merge(fss, &one);
    kfslist_free(&one);
    return bad ? gotk_err_new(GOTK_E_INVALID, "%s", conflict) : NULL;
}

/* labels: and commonLabels:. */
static gotk_err *run_labels(kctx *c, json_object *k, kmap *m, kconfig *cfg)
{
    json_object *a = arr(k, "labels");
    gotk_err *e = NULL;
    for (size_t i = 0; !e && a && i < karr_n(a); i++) {
        json_object *l = json_object_array_get_idx(a, i);
        kfslist fss = {0};
        e = label_specs(l, cfg, &fss);
        if (!e)
            e = kt_labels(m, json_object_object_get(l, "pairs"), &fss);
        kfslist_free(&fss);
        if (!e)
            ktrack_builtin(c, m, "LabelTransformer");
    }
    json_object *cl = json_object_object_get(k, "commonLabels");
    if (!e && cl)
        e = kt_labels(m, cl, &cfg->fs[KFS_COMMON_LABELS]);
    /* kustomize runs the commonLabels transformer whenever either is set */
    if (!e && (karr_n(a) || (cl && json_object_is_type(cl, json_type_object) &&
                             json_object_object_length(cl))))
        ktrack_builtin(c, m, "LabelTransformer");
    return e;
}

/* Is a string field set (non-empty)? */
static bool str_set(json_object *k, const char *key)
{
    const char *v = gotk_obj_get_str(k, key);
    return v && *v;
}

/* Does an object field hold any key? */
static bool map_set(json_object *k, const char *key)
{
    json_object *v = json_object_object_get(k, key);
    return v && json_object_is_type(v, json_type_object) && json_object_object_length(v);
}

/* namespace, namePrefix and nameSuffix. */
static gotk_err *run_names(kctx *c, json_object *k, kmap *m, kconfig *cfg)
{
    gotk_err *e = NULL;
    knsopts nso = {false, 0};
    if (str_set(k, "namespace")) {
        e = kt_namespace(m, gotk_obj_get_str(k, "namespace"), &cfg->fs[KFS_NAMESPACE], &nso);
        ktrack_builtin(c, m, "NamespaceTransformer");
    }
    if (!e)
        e = kt_prefix_suffix(m, gotk_obj_get_str(k, "namePrefix"),
                             gotk_obj_get_str(k, "nameSuffix"), &cfg->fs[KFS_PREFIX],
                             &cfg->fs[KFS_SUFFIX]);
    if (!e && str_set(k, "namePrefix"))
        ktrack_builtin(c, m, "PrefixTransformer");
    if (!e && str_set(k, "nameSuffix"))
        ktrack_builtin(c, m, "SuffixTransformer");
    return e;
}

/* replicas:, then images: and the deprecated imageTags:. */
static gotk_err *run_replicas_images(kctx *c, json_object *k, kmap *m, kconfig *cfg)
{
    gotk_err *e = NULL;
    json_object *a = arr(k, "replicas");
    for (size_t i = 0; !e && a && i < karr_n(a); i++) {
        e = kt_replicas(m, json_object_array_get_idx(a, i), &cfg->fs[KFS_REPLICAS]);
        ktrack_builtin(c, m, "ReplicaCountTransformer");
    }
    static const char *const imgkeys[] = {"images", "imageTags"};
    for (int j = 0; j < 2; j++) {
        a = arr(k, imgkeys[j]);
        for (size_t i = 0; !e && a && i < karr_n(a); i++) {
            e = kt_image(m, json_object_array_get_idx(a, i), &cfg->fs[KFS_IMAGES]);
            ktrack_builtin(c, m, "ImageTagTransformer");
        }
    }
    return e;
}

/* The built-in transformers in kustomize's order. */
static gotk_err *run_transformers(kctx *c, const char *root, json_object *k, kmap *m,
                                  kconfig *cfg)
{
    gotk_err *e = kpatch_run(c, root, k, m, 0);
    if (!e)
        e = run_names(c, k, m, cfg);
    if (!e)
        e = run_labels(c, k, m, cfg);
    if (!e && json_object_object_get(k, "commonAnnotations")) {
        e = kt_annotations(m, json_object_object_get(k, "commonAnnotations"),
                           &cfg->fs[KFS_ANNOTATIONS]);
        if (map_set(k, "commonAnnotations"))
            ktrack_builtin(c, m, "AnnotationsTransformer");
    }
    if (!e)
        e = kpatch_run(c, root, k, m, 1);
    if (!e)
        e = run_replicas_images(c, k, m, cfg);
    if (!e)
        e = krepl_run(c, root, k, m);
    if (!e && karr_n(arr(k, "replacements")))
        ktrack_builtin(c, m, "ReplacementTransformer");
    if (!e)
        e = kplugins_run(c, root, k, "transformers", m, cfg);
    return e;
}

/* Refuse what gotk does not do. */
static gotk_err *check_unsupported(json_object *k)
{
    if (arr(k, "helmCharts") && karr_n(arr(k, "helmCharts")))
        return gotk_err_new(GOTK_E_INVALID, "helmCharts are not supported by gotk");
    return NULL;
}

/* kustomize's strict decoding, CheckEmpty and EnforceFields. */
static gotk_err *validate_kustomization(json_object *k, const char *dir)
{
    size_t set = 0;
    gotk_err *e = kstrict_kustomization(k);
    if (e)
        return e;
    json_object_object_foreach(k, key, val) {
        bool empty = !val || (json_object_is_type(val, json_type_array) &&
                              !karr_n(val)) ||
                     (json_object_is_type(val, json_type_object) &&
                      !json_object_object_length(val)) ||
                     (json_object_is_type(val, json_type_string) && !*json_object_get_string(val));
        if (strcmp(key, "apiVersion") && strcmp(key, "kind") && !empty)
            set++;
    }
    if (!set)
        return gotk_err_new(GOTK_E_INVALID, "kustomization.yaml is empty");
    const char *kind = gotk_obj_get_str(k, "kind"), *av = gotk_obj_get_str(k, "apiVersion");
    bool comp = kind && !strcmp(kind, "Component");
    if (kind && *kind && strcmp(kind, "Kustomization") && !comp)
        return gotk_err_new(GOTK_E_INVALID, "Failed to read kustomization file under %s:\n"
                                            "kind should be Kustomization or Component", dir);
    const char *want = comp ? "kustomize.config.k8s.io/v1alpha1" : "kustomize.config.k8s.io/v1beta1";
    if (av && *av && strcmp(av, want))
        return gotk_err_new(GOTK_E_INVALID, "Failed to read kustomization file under %s:\n"
                                            "apiVersion for %s should be %s", dir,
                            kind && *kind ? kind : "Kustomization", want);
    return NULL;
}

/* kustomize reads a kustomization with sigs.k8s.io/yaml's YAMLToJSON (go-yaml
 * v2: YAML 1.1 scalars such as yes/no/on/off, timestamps left as strings, a
 * repeated key's last value winning), then decodes the JSON strictly. */
static gotk_err *parse_kustomization(const char *data, size_t len, json_object **docs)
{
    gotk_err *e = gotk_yaml_parse_flags(data, len, NULL, GOTK_YAML_PARSE_SIGS, docs);
    if (!e)
        return NULL;
    static const char conv[] = "error converting YAML to JSON: ";
    const char *msg = gotk_err_msg(e);
    if (!strncmp(msg, conv, sizeof conv - 1))
        msg += sizeof conv - 1;
    gotk_err *n = gotk_err_new(GOTK_E_INVALID, "invalid Kustomization: %s", msg);
    gotk_err_free(e);
    return n;
}

/* Load and parse dir's kustomization file. */
static gotk_err *load_kustomization(const kctx *c, const char *dir, json_object **out,
                                     const char **kfile)
{
    char *file = NULL;
    gotk_err *e = find_kfile(dir, &file);
    if (!e && (e = ksecure_check(c, file, "read")) != NULL)
        free(file);
    if (e)
        return e;
    for (int i = 0; i < 3; i++)
        if (!strcmp(strrchr(file, '/') + 1, kfile_names[i]))
            *kfile = kfile_names[i];
    json_object *k = NULL;
    char *data = NULL;
    size_t len = 0;
    e = gotk_file_read(file, &data, &len);
    json_object *docs = NULL;
    if (!e)
        e = parse_kustomization(data, len, &docs);
    if (!e && karr_n(docs) == 0)
        e = gotk_err_new(GOTK_E_INVALID, "kustomization.yaml is empty");
    else if (!e && karr_n(docs) > 1)
        e = gotk_err_new(GOTK_E_INVALID, "invalid Kustomization: %s holds more than one document",
                         file);
    if (!e)
        k = json_object_get(json_object_array_get_idx(docs, 0));
    json_object_put(docs);
    free(data);
    free(file);
    if (!e && !json_object_is_type(k, json_type_object))
        e = gotk_err_new(GOTK_E_INVALID, "invalid Kustomization: not a mapping");
    if (!e)
        e = validate_kustomization(k, dir);
    if (e) {
        json_object_put(k);
        return e;
    }
    *out = k;
    return NULL;
}

/* The steps of one level after loading. */
static gotk_err *build_level(kctx *c, const char *dir, json_object *k, const char *kfile,
                             kmap *m, kconfig *cfg)
{
    gotk_err *e = check_unsupported(k);
    if (!e)
        e = accumulate_resources(c, dir, k, m, cfg);
    if (!e)
        e = load_configurations(c, dir, k, cfg);
    if (!e)
        e = kcrds_load(c, dir, k, cfg);
    c->kfile = kfile;
    if (!e)
        e = kgen_run(c, dir, k, m);
    if (!e)
        e = kplugins_run(c, dir, k, "generators", m, cfg);
    if (!e)
        e = accumulate_components(c, dir, k, m, cfg);
    c->kfile = kfile; /* components loaded their own */
    if (!e)
        e = run_transformers(c, dir, k, m, cfg);
    if (!e && karr_n(arr(k, "validators")))
        e = kvalidators_run(c, dir, k, m, cfg);
    if (!e)
        e = kvars_merge(c, k, m);
    return e;
}

/* kustomize's openapi.SetSchema: the first level (the top one first) whose
 * `openapi:` names a schema chooses it for the rest of the build: a custom
 * file (`path:`), or the built-in one (`version:`, only v1.21.2 is built in). */
static gotk_err *set_schema(kctx *c, const char *dir, json_object *k)
{
    json_object *oa = json_object_object_get(k, "openapi");
    json_object *path = NULL, *ver = NULL;
    if (c->schema_set || !oa || !json_object_is_type(oa, json_type_object))
        return NULL;
    bool has_path = json_object_object_get_ex(oa, "path", &path);
    bool has_ver = json_object_object_get_ex(oa, "version", &ver);
    if (has_path) {
        char *data = NULL;
        size_t len = 0;
        gotk_err *e = kload_file(c, dir, kstr(path), &data, &len, NULL);
        if (!e && has_ver)
            e = gotk_err_new(GOTK_E_INVALID, "builtin version and custom schema provided, "
                                             "cannot use both");
        if (!e) {
            c->schema = gotk_xcalloc(1, sizeof *c->schema);
            e = kschema_load(c->schema, data, len, kstr(path));
            c->schema_set = true;
        }
        free(data);
        return e;
    }
    if (has_ver && *kstr(ver)) {
        if (strcmp(kstr(ver), "v1.21.2"))
            return gotk_err_new(GOTK_E_INVALID, "the specified OpenAPI version is not built in");
        c->schema_set = true;
    }
    return NULL;
}

/* The schema choice, then the kind: nested levels must be of the kind their
 * use asks for. */
static gotk_err *check_openapi_and_kind(kctx *c, const char *dir, json_object *k, bool component)
{
    gotk_err *e = set_schema(c, dir, k);
    if (e)
        return e;
    if (!c->stack.n)
        return NULL;
    const char *kind = gotk_obj_get_str(k, "kind");
    bool is_comp = kind && !strcmp(kind, "Component");
    if (component && !is_comp)
        return gotk_err_new(GOTK_E_INVALID, "expected kind 'Component' for path '%s' but got '%s'",
                            dir, kind && *kind ? kind : "Kustomization");
    if (!component && is_comp)
        return gotk_err_new(GOTK_E_INVALID, "expected kind != 'Component' for path '%s'", dir);
    return NULL;
}

static bool build_meta(kctx *c, const char *word);

/* Build one directory into out (see internal.h). */
gotk_err *kbuild_dir(kctx *c, const char *dir, bool component, kmap *out, kconfig *cfg)
{
    char *rdir = real_or_copy(dir);
    for (size_t i = 0; i < c->stack.n; i++)
        if (!strcmp(c->stack.v[i], rdir)) {
            gotk_err *e = gotk_err_new(GOTK_E_INVALID,
                                       "cycle detected: candidate root '%s' contains visited "
                                       "root '%s'", rdir, rdir);
            free(rdir);
            return e;
        }
    json_object *k = NULL;
    const char *kfile = "kustomization.yaml";
    gotk_err *e = load_kustomization(c, rdir, &k, &kfile);
    if (e && c->stack.n)
        e = gotk_err_wrap(e, "couldn't make target for path '%s'", rdir);
    if (!e)
        e = check_openapi_and_kind(c, rdir, k, component);
    if (e) {
        json_object_put(k);
        free(rdir);
        return e;
    }
    if (!c->stack.n) {
        json_object *bm = json_object_object_get(k, "buildMetadata");
        c->top_k = json_object_get(k);
        c->origin_on = bm && json_object_is_type(bm, json_type_array) &&
                       karr_n(bm) > 0;
        c->track_on = build_meta(c, "transformerAnnotations");
    }
    kstrv_push(&c->stack, rdir);
    e = build_level(c, rdir, k, kfile, out, cfg);
    if (e && c->stack.n > 1)
        e = gotk_err_wrap(e, "recursed accumulation of path '%s'", rdir);
    free(c->stack.v[--c->stack.n]);
    json_object_put(k);
    free(rdir);
    return e;
}

/* Drop objects annotated config.kubernetes.io/local-config: "true". */
static void drop_local(kmap *m)
{
    for (size_t i = m->n; i-- > 0;) {
        const char *v = gotk_obj_get_str(m->v[i]->obj, "metadata.annotations");
        (void)v;
        json_object *an = gotk_obj_get(m->v[i]->obj, "metadata", "annotations", NULL);
        json_object *lc = an ? json_object_object_get(an, "config.kubernetes.io/local-config")
                             : NULL;
        if (lc && json_object_is_type(lc, json_type_string) &&
            !strcmp(json_object_get_string(lc), "true"))
            kmap_remove(m, i);
    }
}

/* Is word listed in the top kustomization's buildMetadata? */
static bool build_meta(kctx *c, const char *word)
{
    json_object *bm = c->top_k ? json_object_object_get(c->top_k, "buildMetadata") : NULL;
    for (size_t i = 0; bm && json_object_is_type(bm, json_type_array) &&
                       i < karr_n(bm); i++)
        if (!strcmp(kstr(json_object_array_get_idx(bm, i)), word))
            return true;
    return false;
}

/* Order the output: sortOptions win over the reorder option. */
static gotk_err *apply_sort(kctx *c, kmap *m)
{
    json_object *so = c->top_k ? json_object_object_get(c->top_k, "sortOptions") : NULL;
    if (!so) {
        if (c->opts.reorder == GOTK_KUSTOMIZE_REORDER_LEGACY)
            ksort_legacy(m, NULL, NULL);
        return NULL;
    }
    const char *order = gotk_obj_get_str(so, "order");
    json_object *lso = json_object_object_get(so, "legacySortOptions");
    if (order && !strcmp(order, "fifo") && lso)
        return gotk_err_new(GOTK_E_INVALID, "the field 'sortOptions.legacySortOptions' is set but "
                                            "the selected sort order is 'fifo', not 'legacy'");
    if (order && !strcmp(order, "legacy")) {
        if (lso)
            ksort_legacy(m, json_object_object_get(lso, "orderFirst"),
                         json_object_object_get(lso, "orderLast"));
        else
            ksort_legacy(m, NULL, NULL);
        return NULL;
    }
    if (order && !strcmp(order, "fifo"))
        return NULL;
    return gotk_err_new(GOTK_E_INVALID,
                        "the field 'sortOptions.order' must be one of [fifo, legacy]");
}

/* Set a label or annotation on metadata. */
static void set_meta(json_object *o, const char *map, const char *key, const char *val)
{
    json_object *md = json_object_object_get(o, "metadata");
    if (!md)
        return;
    json_object *mm = json_object_object_get(md, map);
    if (!mm || !json_object_is_type(mm, json_type_object)) {
        mm = json_object_new_object();
        json_object_object_add(md, map, mm);
    }
    json_object_object_add(mm, key, json_object_new_string(val));
}

/* kustomize rewrites non-empty annotations as a string map when it drops its
 * build annotations, so every scalar annotation value comes out as a string. */
static void stringify_annotations(json_object *o)
{
    json_object *an = gotk_obj_get(o, "metadata", "annotations", NULL);
    if (!an || !json_object_is_type(an, json_type_object) || !json_object_object_length(an))
        return;
    json_object_object_foreach(an, k, v) {
        if (!v)
            json_object_object_add(an, k, json_object_new_string(""));
        else if (!json_object_is_type(v, json_type_string) &&
                 !json_object_is_type(v, json_type_object) &&
                 !json_object_is_type(v, json_type_array))
            json_object_object_add(an, k, json_object_new_string(json_object_get_string(v)));
    }
}

/* What runs once at the end: order and build metadata. */
static gotk_err *finish(kctx *c, kmap *m)
{
    gotk_err *e = apply_sort(c, m);
    bool managed = build_meta(c, "managedByLabel"), origin = build_meta(c, "originAnnotations");
    for (size_t i = 0; !e && i < m->n && !managed; i++)
        if (m->v[i]->dup_labels) /* (the managed-by label rebuilds the map) */
            e = gotk_err_new(GOTK_E_INVALID, "map[string]interface {}(nil): yaml: unmarshal "
                                             "errors:\n  %s", m->v[i]->dup_labels);
    for (size_t i = 0; !e && i < m->n; i++) {
        stringify_annotations(m->v[i]->obj);
        if (managed)
            set_meta(m->v[i]->obj, "labels", "app.kubernetes.io/managed-by", "kustomize-(devel)");
        if (origin && m->v[i]->origin)
            set_meta(m->v[i]->obj, "annotations", "config.kubernetes.io/origin", m->v[i]->origin);
        if (m->v[i]->transforms)
            set_meta(m->v[i]->obj, "annotations", "alpha.config.kubernetes.io/transformations",
                     m->v[i]->transforms);
    }
    return e;
}

/* Build dir into a new array of objects. */
gotk_err *gotk_kustomize_build(const char *dir, const gotk_kustomize_opts *opts,
                               json_object **docs)
{
    kctx c = {0};
    if (opts)
        c.opts = *opts;
    c.origin = gotk_xstrdup("");
    kmap m = {0};
    kconfig cfg = {0};
    char *abs = real_or_copy(dir);
    struct stat st;
    if (c.opts.fs_root)
        c.secure_root = real_or_copy(c.opts.fs_root);
    if (c.opts.fs_root && c.opts.fs_view)
        c.secure_view = real_or_copy(c.opts.fs_view);
    gotk_err *e = ksecure_check(&c, abs, "abs");
    if (e)
        e = gotk_err_wrap(e, "must build at directory: not a valid directory");
    else if (stat(abs, &st) != 0 || !S_ISDIR(st.st_mode)) {
        char *cwd = getcwd(NULL, 0);
        char *full = kpath_join(cwd ? cwd : "/", dir);
        e = gotk_err_new(GOTK_E_NOTFOUND, "must build at directory: not a valid directory: "
                                          "evalsymlink failure on '%s' : lstat %s: no such "
                                          "file or directory", dir, full);
        free(full);
        free(cwd);
    }
    if (!e)
        e = kbuild_dir(&c, abs, false, &m, &cfg);
    if (!e)
        e = kt_hash_names(&m);
    if (!e)
        e = kt_namerefs(&m, &cfg);
    if (!e)
        e = kvars_resolve(&c, &m, &cfg);
    if (!e) {
        drop_local(&m);
        e = finish(&c, &m);
    }
    if (!e)
        e = kcheck_nonfinite(&m);
    if (e && c.bare_err) {
        gotk_err_free(e);
        e = gotk_err_new(GOTK_E_INVALID, "%s", c.bare_err);
    }
    if (!e) {
        json_object *out = json_object_new_array();
        for (size_t i = 0; i < m.n; i++)
            json_object_array_add(out, json_object_get(m.v[i]->obj));
        *docs = out;
    }
    kmap_free(&m);
    kconfig_free(&cfg);
    kstrv_free(&c.stack);
    json_object_put(c.top_k);
    json_object_put(c.vars);
    kschema_free(c.schema);
    free(c.schema);
    free(c.bare_err);
    free(c.origin);
    free(c.secure_root);
    free(c.secure_view);
    free(abs);
    return e;
}

/* Build and print as kustomize does. */
gotk_err *gotk_kustomize_build_yaml(const char *dir, const gotk_kustomize_opts *opts,
                                    gotk_buf *out)
{
    json_object *docs = NULL;
    gotk_err *e = gotk_kustomize_build(dir, opts, &docs);
    if (e)
        return e;
    e = gotk_yaml_emit_stream(docs, GOTK_YAML_SORT_KEYS, out);
    json_object_put(docs);
    return e;
}
