/*
 * helm_objects.c: Helm's built-in objects with methods, .Files and
 * .Capabilities, as Helm 3.17's engine and chartutil define them.
 *
 * .Files is engine.files (map[string][]byte) with Get, GetBytes, Glob, Lines,
 * AsConfig and AsSecrets; Glob matches as gobwas/glob with '/' as separator.
 * .Capabilities is *chartutil.Capabilities: KubeVersion (String and GitVersion
 * on the pointer), APIVersions (VersionSet.Has) and HelmVersion, with the
 * defaults `helm template` uses.
 */
#include <stdlib.h>
#include <string.h>

#include "gotk/obj.h"
#include "gotk/semver.h"
#include "sprig.h"

#define FN(name) \
    static gotk_err *name(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv, \
                          gotk_tpl_val *res, void *ud)
#define UNUSED (void)ex, (void)argc, (void)argv, (void)ud

#define FILES_TYPE "engine.files"

/* ---- glob ------------------------------------------------------------------ */

static bool glob_match(const char *p, const char *pe, const char *s, const char *se);

/* The end of a {...} group or [...] class starting at p, or NULL if unclosed. */
static const char *group_end(const char *p, const char *pe, char open, char close)
{
    int depth = 0;
    for (; p < pe; p++) {
        if (*p == '\\' && p + 1 < pe)
            p++;
        else if (*p == open && (open != '[' || depth == 0))
            depth++;
        else if (*p == close && --depth == 0)
            return p;
    }
    return NULL;
}

/* Whether the class [..] (p at '[', e at ']') matches rune c. */
static bool class_match(const char *p, const char *e, int32_t c)
{
    p++;
    bool neg = p < e && *p == '!';
    if (neg)
        p++;
    bool hit = false;
    while (p < e) {
        int32_t lo, hi;
        p += tpl_utf8_decode(p, (size_t)(e - p), &lo);
        hi = lo;
        if (p + 1 < e && *p == '-') {
            p++;
            p += tpl_utf8_decode(p, (size_t)(e - p), &hi);
        }
        hit |= c >= lo && c <= hi;
    }
    return hit != neg;
}

/* {a,b}rest: some alternative followed by the rest matches. */
static bool alt_match(const char *p, const char *close, const char *pe, const char *s,
                      const char *se)
{
    const char *a = p + 1;
    for (const char *q = a; q <= close; q++) {
        if (*q == '\\' && q < close) {
            q++;
            continue;
        }
        if (*q == '{') {
            q = group_end(q, close, '{', '}');
            continue;
        }
        if (*q != ',' && q != close)
            continue;
        size_t alen = (size_t)(q - a), rlen = (size_t)(pe - close - 1);
        char *cat = gotk_xmalloc(alen + rlen + 1);
        memcpy(cat, a, alen);
        memcpy(cat + alen, close + 1, rlen);
        bool ok = glob_match(cat, cat + alen + rlen, s, se);
        free(cat);
        if (ok)
            return true;
        a = q + 1;
    }
    return false;
}

/* gobwas/glob with separator '/': * stays within a path segment, ** crosses
 * them, ? is one non-separator character, [...] [!...] classes, {a,b}. */
static bool glob_match(const char *p, const char *pe, const char *s, const char *se)
{
    while (p < pe) {
        if (*p == '*') {
            bool any = p + 1 < pe && p[1] == '*';
            const char *rest = p + (any ? 2 : 1);
            for (const char *t = s;; t++) {
                if (glob_match(rest, pe, t, se))
                    return true;
                if (t == se || (!any && *t == '/'))
                    return false;
            }
        }
        if (*p == '{')
            return alt_match(p, group_end(p, pe, '{', '}'), pe, s, se);
        if (s == se)
            return false;
        int32_t c;
        int n = tpl_utf8_decode(s, (size_t)(se - s), &c);
        if (*p == '?') {
            if (c == '/')
                return false;
            p++;
        } else if (*p == '[') {
            const char *e = group_end(p, pe, '[', ']');
            if (!class_match(p, e, c))
                return false;
            p = e + 1;
        } else {
            if (*p == '\\' && p + 1 < pe)
                p++;
            if (*p != *s)
                return false;
            p++;
            n = 1;
        }
        s += n;
    }
    return s == se;
}

/* Whether the pattern compiles: gobwas rejects an unclosed or empty class.
 * (An unclosed '{' compiles to a pattern matching nothing: see files_glob.) */
static bool glob_valid(const char *p, const char *pe)
{
    for (; p < pe; p++) {
        if (*p == '\\' && p + 1 < pe) {
            p++;
        } else if (*p == '[') {
            const char *e = group_end(p, pe, '[', ']');
            if (!e || e == p + 1)
                return false;
            p = e;
        }
    }
    return true;
}

/* Whether every '{' of the pattern is closed. */
static bool braces_closed(const char *p, const char *pe)
{
    int depth = 0;
    for (; p < pe; p++) {
        if (*p == '\\' && p + 1 < pe)
            p++;
        else if (*p == '{')
            depth++;
        else if (*p == '}' && depth > 0)
            depth--;
    }
    return depth == 0;
}

/* ---- .Files ---------------------------------------------------------------- */

/* The content of a file, or NULL. */
static json_object *file_of(gotk_tpl_val files, const char *name)
{
    json_object *c = NULL;
    if (files.j && json_object_object_get_ex(files.j, name, &c) &&
        json_object_is_type(c, json_type_string))
        return c;
    return NULL;
}

/* Get name: the content as a string, "" when absent. */
FN(files_get)
{
    UNUSED;
    json_object *c = file_of(argv[0], SV(argv[1]));
    *res = c ? gotk_tpl_string(ex, json_object_get_string(c), (size_t)json_object_get_string_len(c))
             : gotk_tpl_string(ex, "", 0);
    return NULL;
}

/* GetBytes name: the content as []byte (empty when absent). */
FN(files_get_bytes)
{
    UNUSED;
    json_object *c = file_of(argv[0], SV(argv[1]));
    if (c) {
        *res = gotk_tpl_from_json(c, false);
    } else { /* []byte{}, not nil */
        *res = gotk_tpl_string(ex, "", 0);
        tpl_tag_bytes(res->j);
        res->tname = TPL_BYTES_TYPE;
    }
    return NULL;
}

/* Glob pattern: the files whose path matches ("**" if it does not compile). */
FN(files_glob)
{
    UNUSED;
    const char *p = SV(argv[1]);
    size_t n = SL(argv[1]);
    if (!glob_valid(p, p + n)) {
        p = "**";
        n = 2;
    }
    json_object *out = json_object_new_object();
    if (argv[0].j && braces_closed(p, p + n)) {
        json_object_object_foreach(argv[0].j, k, v) {
            if (glob_match(p, p + n, k, k + strlen(k)))
                json_object_object_add(out, k, json_object_get(v));
        }
    }
    tpl_tag_bytes_map(out, FILES_TYPE);
    *res = gotk_tpl_own(ex, out);
    return NULL;
}

/* Lines path: the lines of a file, without a final newline's empty line. */
FN(files_lines)
{
    UNUSED;
    json_object *c = file_of(argv[0], SV(argv[1]));
    json_object *a = json_object_new_array();
    *res = gotk_tpl_own(ex, a);
    res->tname = "[]string";
    if (!c)
        return NULL;
    const char *s = json_object_get_string(c);
    size_t n = (size_t)json_object_get_string_len(c);
    if (n == 0) /* Helm indexes s[len(s)-1] and panics */
        return gotk_err_new(GOTK_E_INVALID, "runtime error: index out of range [-1]");
    if (s[n - 1] == '\n')
        n--;
    for (size_t start = 0;;) {
        const char *nl = memchr(s + start, '\n', n - start);
        size_t end = nl ? (size_t)(nl - s) : n;
        json_object_array_add(a, json_object_new_string_len(s + start, (int)(end - start)));
        if (!nl)
            break;
        start = end + 1;
    }
    return NULL;
}

/* path.Base of a slash-separated path. */
static const char *path_base(const char *p)
{
    const char *slash = strrchr(p, '/');
    return slash && slash[1] ? slash + 1 : p;
}

/* AsConfig / AsSecrets (ud set): base names to contents (base64 for secrets),
 * as Helm's toYAML writes the map. */
FN(files_as_map)
{
    UNUSED;
    json_object *m = json_object_new_object();
    size_t n;
    const char **keys = tpl_sorted_keys(argv[0].j, &n);
    for (size_t i = 0; i < n; i++) {
        json_object *c = file_of(argv[0], keys[i]);
        json_object *v;
        if (ud) {
            char *b64 = gotk_base64_encode(c ? json_object_get_string(c) : "",
                                           c ? (size_t)json_object_get_string_len(c) : 0);
            v = json_object_new_string(b64);
            free(b64);
        } else {
            v = c ? json_object_get(c) : json_object_new_string("");
        }
        json_object_object_add(m, path_base(keys[i]), v);
    }
    free(keys);
    *res = tpl_helm_to_yaml(ex, m);
    return NULL;
}

json_object *gotk_tpl_helm_files(json_object *files)
{
    if (!files)
        files = json_object_new_object();
    tpl_tag_bytes_map(files, FILES_TYPE); /* map[string][]byte */
    return files;
}

/* ---- .Capabilities --------------------------------------------------------- */

/* chartutil.DefaultVersionSet of Helm 3.17.3 (client-go 0.32's scheme). */
static const char *const default_api_versions[] = {
    "v1", "admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1", "internal.apiserver.k8s.io/v1alpha1", "apps/v1",
    "apps/v1beta1", "apps/v1beta2", "authentication.k8s.io/v1", "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1", "authorization.k8s.io/v1", "authorization.k8s.io/v1beta1",
    "autoscaling/v1", "autoscaling/v2", "autoscaling/v2beta1", "autoscaling/v2beta2", "batch/v1",
    "batch/v1beta1", "certificates.k8s.io/v1", "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1", "coordination.k8s.io/v1alpha2", "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1", "discovery.k8s.io/v1", "discovery.k8s.io/v1beta1", "events.k8s.io/v1",
    "events.k8s.io/v1beta1", "extensions/v1beta1", "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1", "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3", "networking.k8s.io/v1", "networking.k8s.io/v1alpha1",
    "networking.k8s.io/v1beta1", "node.k8s.io/v1", "node.k8s.io/v1alpha1", "node.k8s.io/v1beta1",
    "policy/v1", "policy/v1beta1", "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1", "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1beta1", "resource.k8s.io/v1alpha3", "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1", "scheduling.k8s.io/v1", "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1", "storage.k8s.io/v1alpha1", "storagemigration.k8s.io/v1alpha1",
    "apiextensions.k8s.io/v1beta1", "apiextensions.k8s.io/v1",
};

json_object *gotk_tpl_helm_default_api_versions(void)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < sizeof default_api_versions / sizeof *default_api_versions; i++)
        json_object_array_add(a, json_object_new_string(default_api_versions[i]));
    return a;
}

/* KubeVersion{Version: "v"+canonical, Major, Minor} from "v1.32.0" style text
 * (kept as given when it does not parse). */
static json_object *kube_version(const char *text)
{
    json_object *kv = json_object_new_object();
    gotk_semver *v = NULL;
    gotk_err *e = gotk_semver_parse(text, &v);
    if (e) {
        gotk_err_free(e);
        json_object_object_add(kv, "Version", json_object_new_string(text));
        json_object_object_add(kv, "Major", json_object_new_string(""));
        json_object_object_add(kv, "Minor", json_object_new_string(""));
    } else {
        char *s = gotk_xasprintf("v%s", gotk_semver_string(v));
        json_object_object_add(kv, "Version", json_object_new_string(s));
        free(s);
        s = gotk_xasprintf("%llu", (unsigned long long)gotk_semver_major(v));
        json_object_object_add(kv, "Major", json_object_new_string(s));
        free(s);
        s = gotk_xasprintf("%llu", (unsigned long long)gotk_semver_minor(v));
        json_object_object_add(kv, "Minor", json_object_new_string(s));
        free(s);
        gotk_semver_free(v);
    }
    gotk_tpl_tag(kv, "chartutil.KubeVersion", true);
    return kv;
}

/* version.BuildInfo's json tags */
static const gotk_tpl_json_field build_info_json[] = {
    {"Version", "version", true}, {"GitCommit", "git_commit", true},
    {"GitTreeState", "git_tree_state", true}, {"GoVersion", "go_version", true},
    {NULL, NULL, false},
};

json_object *gotk_tpl_helm_capabilities(const char *kube_ver, json_object *api_versions)
{
    json_object *caps = json_object_new_object();
    json_object_object_add(caps, "KubeVersion", kube_version(kube_ver ? kube_ver : "v1.32.0"));
    if (!api_versions)
        api_versions = gotk_tpl_helm_default_api_versions();
    gotk_tpl_tag(api_versions, "chartutil.VersionSet", false);
    json_object_object_add(caps, "APIVersions", api_versions);
    json_object *hv = json_object_new_object();
    json_object_object_add(hv, "Version", json_object_new_string("v3.17.3"));
    json_object_object_add(hv, "GitCommit",
                           json_object_new_string("e4da49785aa6e6ee2b86efd5dd9e43400318262b"));
    json_object_object_add(hv, "GitTreeState", json_object_new_string("clean"));
    json_object_object_add(hv, "GoVersion", json_object_new_string("go1.23.7"));
    gotk_tpl_tag(hv, "version.BuildInfo", true);
    gotk_tpl_tag_json(hv, build_info_json);
    json_object_object_add(caps, "HelmVersion", hv);
    gotk_tpl_tag(caps, "*chartutil.Capabilities", true);
    return caps;
}

/* KubeVersion.String and GitVersion: the Version field. */
FN(kube_version_string)
{
    UNUSED;
    json_object *v = NULL;
    json_object_object_get_ex(argv[0].j, "Version", &v);
    *res = gotk_tpl_from_json(v, false);
    return NULL;
}

/* VersionSet.Has apiVersion. */
FN(version_set_has)
{
    UNUSED;
    bool has = false;
    size_t n = tpl_len(argv[0]);
    for (size_t i = 0; i < n && !has; i++) {
        json_object *x = json_object_array_get_idx(argv[0].j, i);
        has = json_object_is_type(x, json_type_string) && !strcmp(json_object_get_string(x), SV(argv[1]));
    }
    *res = gotk_tpl_bool(ex, has);
    return NULL;
}

/* Register the methods of .Files and .Capabilities. */
void tpl_add_helm_methods(gotk_tpl_set *set)
{
    static const struct {
        const char *type, *name, *params;
        gotk_tpl_fn fn;
        const char *ud;
    } t[] = {
        {FILES_TYPE, "Get", "s", files_get, NULL},
        {FILES_TYPE, "GetBytes", "s", files_get_bytes, NULL},
        {FILES_TYPE, "Glob", "s", files_glob, NULL},
        {FILES_TYPE, "Lines", "s", files_lines, NULL},
        {FILES_TYPE, "AsConfig", "", files_as_map, NULL},
        {FILES_TYPE, "AsSecrets", "", files_as_map, "s"},
        {"*chartutil.KubeVersion", "String", "", kube_version_string, NULL},
        {"*chartutil.KubeVersion", "GitVersion", "", kube_version_string, NULL},
        {"chartutil.VersionSet", "Has", "s", version_set_has, NULL},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        gotk_template_add_method(set, t[i].type, t[i].name, t[i].params, t[i].fn, (void *)t[i].ud);
}
