/*
 * kustomize's ConfigMap and Secret generators, and the name hash.
 *
 * Each configMapGenerator / secretGenerator entry becomes one object: key/value
 * pairs from env files, then literals, then files (a repeated key is an error);
 * ConfigMap values that are not UTF-8 go to binaryData, Secret values are base64.
 * generatorOptions merge into each entry's options. The object is absorbed into
 * the level's resources by behavior: create (the id must be new), merge (labels,
 * annotations and data merged over the existing object, which keeps its place and
 * name) or replace.
 *
 * The name hash is kustomize's: sha256 of the Go JSON encoding of
 * {binaryData?, data, kind, name} (Secret: {data, kind, name, stringData?, type}),
 * keys sorted, first ten hex digits with 0,1,3,a,e mapped to g,h,k,m,t. The name
 * is always "": kustomize looks it up with a path its lookup does not split.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* qsort comparator for string pointers. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

const char **ksorted_keys(json_object *map, size_t *n)
{
    size_t i = 0;
    *n = (size_t)json_object_object_length(map);
    const char **keys = gotk_xcalloc(*n ? *n : 1, sizeof *keys);
    json_object_object_foreach(map, k, val) {
        (void)val;
        keys[i++] = k;
    }
    qsort(keys, *n, sizeof *keys, cmp_str);
    return keys;
}

json_object *ksorted_copy(json_object *v)
{
    if (json_object_is_type(v, json_type_array)) {
        json_object *a = json_object_new_array();
        for (size_t i = 0; i < karr_n(v); i++)
            json_object_array_add(a, ksorted_copy(json_object_array_get_idx(v, i)));
        return a;
    }
    if (!json_object_is_type(v, json_type_object))
        return gotk_obj_copy(v);
    size_t n;
    const char **keys = ksorted_keys(v, &n);
    json_object *o = json_object_new_object();
    for (size_t i = 0; i < n; i++)
        json_object_object_add(o, keys[i], ksorted_copy(json_object_object_get(v, keys[i])));
    free(keys);
    return o;
}

/* Add key: the value at field (a map copy, or "" when absent/scalar). */
static void add_field(json_object *h, json_object *obj, const char *field, const char *key,
                      bool only_if_map)
{
    json_object *v = json_object_object_get(obj, field);
    if (v && json_object_is_type(v, json_type_object))
        json_object_object_add(h, key, ksorted_copy(v));
    else if (!only_if_map)
        json_object_object_add(h, key, v && !json_object_is_type(v, json_type_null)
                                           ? json_object_new_string(json_object_get_string(v))
                                           : json_object_new_string(""));
}

/* kustomize's hash encoding of the first ten hex digits. */
static void encode_hash(const char *hex, char out[11])
{
    for (int i = 0; i < 10; i++) {
        char c = hex[i];
        out[i] = c == '0' ? 'g' : c == '1' ? 'h' : c == '3' ? 'k' : c == 'a' ? 'm'
               : c == 'e' ? 't' : c;
    }
    out[10] = 0;
}

/* The name hash of a ConfigMap or Secret (or any object: its JSON). */
gotk_err *kgen_hash(json_object *obj, char out[11])
{
    const char *kind = gotk_obj_get_str(obj, "kind");
    json_object *h = json_object_new_object();
    bool cm = kind && !strcmp(kind, "ConfigMap"), sec = kind && !strcmp(kind, "Secret");
    if (cm) {
        add_field(h, obj, "binaryData", "binaryData", true);
        add_field(h, obj, "data", "data", false);
        json_object_object_add(h, "kind", json_object_new_string("ConfigMap"));
        json_object_object_add(h, "name", json_object_new_string(""));
    } else if (sec) {
        add_field(h, obj, "data", "data", false);
        json_object_object_add(h, "kind", json_object_new_string("Secret"));
        json_object_object_add(h, "name", json_object_new_string(""));
        add_field(h, obj, "stringData", "stringData", true);
        add_field(h, obj, "type", "type", false);
    } else {
        json_object_put(h);
        h = gotk_obj_copy(obj);
    }
    char *js = gotk_json_to_string(h);
    char hex[65];
    gotk_sha256_hex(js, strlen(js), hex);
    encode_hash(hex, out);
    free(js);
    json_object_put(h);
    return NULL;
}

/* Is the buffer valid UTF-8? */
static bool valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!k || i + k > n)
            return false;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return false;
        i += k;
    }
    return true;
}

/* The pairs gathered for one generator. */
typedef struct {
    kstrv keys, vals;
    size_t *lens;
} kpairs;

/* Add a pair; a repeated key is an error. */
static gotk_err *pairs_add(kpairs *p, const char *name, const char *k, const char *v, size_t vl)
{
    for (size_t i = 0; i < p->keys.n; i++)
        if (!strcmp(p->keys.v[i], k))
            return gotk_err_new(GOTK_E_CONFLICT, "configmap %s illegally repeats the key `%s`",
                                name, k);
    kstrv_push(&p->keys, k);
    if (p->vals.n == p->vals.cap) {
        p->vals.cap = p->vals.cap ? p->vals.cap * 2 : 4;
        p->vals.v = gotk_xrealloc(p->vals.v, p->vals.cap * sizeof *p->vals.v);
    }
    p->vals.v[p->vals.n++] = gotk_xstrndup(v, vl);
    p->lens = gotk_xrealloc(p->lens, p->vals.n * sizeof *p->lens);
    p->lens[p->vals.n - 1] = vl;
    return NULL;
}

static void pairs_free(kpairs *p)
{
    kstrv_free(&p->keys);
    kstrv_free(&p->vals);
    free(p->lens);
}

/* Strip matching surrounding quotes. */
static char *remove_quotes(const char *s)
{
    size_t n = strlen(s);
    if (n >= 2 && s[0] == s[n - 1] && (s[0] == '"' || s[0] == '\''))
        return gotk_xstrndup(s + 1, n - 2);
    return gotk_xstrdup(s);
}

/* One env file: KEY=VALUE lines, '#' comments, bare KEY from the environment. */
static gotk_err *load_env(kctx *c, const char *root, const char *rel, const char *name,
                          kpairs *p)
{
    char *data = NULL;
    size_t len = 0;
    gotk_err *e = kload_file(c, root, rel, &data, &len, NULL);
    if (e)
        return e;
    char *save = NULL;
    char *start = data;
    if (len >= 3 && !memcmp(start, "\xEF\xBB\xBF", 3))
        start += 3;
    for (char *line = strtok_r(start, "\n", &save); !e && line; line = strtok_r(NULL, "\n", &save)) {
        while (*line == ' ' || *line == '\t' || *line == '\r')
            line++;
        size_t ll = strlen(line);
        if (ll && line[ll - 1] == '\r')
            line[--ll] = 0;
        if (!*line || *line == '#')
            continue;
        char *eq = strchr(line, '=');
        if (eq) {
            *eq = 0;
            e = pairs_add(p, name, line, eq + 1, strlen(eq + 1));
        } else {
            const char *v = getenv(line);
            e = pairs_add(p, name, line, v ? v : "", v ? strlen(v) : 0);
        }
    }
    free(data);
    return e;
}

/* One `files:` entry: [key=]path. */
static gotk_err *load_file_source(kctx *c, const char *root, const char *src,
                                  const char *name, kpairs *p)
{
    const char *eq = strchr(src, '=');
    char *key = eq ? gotk_xstrndup(src, (size_t)(eq - src)) : NULL;
    const char *path = eq ? eq + 1 : src;
    if (!key) {
        const char *slash = strrchr(path, '/');
        key = gotk_xstrdup(slash ? slash + 1 : path);
    }
    char *data = NULL;
    size_t len = 0;
    gotk_err *e = kload_file(c, root, path, &data, &len, NULL);
    if (!e)
        e = pairs_add(p, name, key, data, len);
    free(data);
    free(key);
    return e;
}

/* Wrap a source-loading error as kustomize's kv loader and generator do:
 * "loading KV pairs: env source files: [a.env b.env]: ..." (a repeated key is
 * reported later by kustomize, unwrapped). */
static gotk_err *kv_wrap(gotk_err *e, const char *what, json_object *list, const char *extra)
{
    if (!e || gotk_err_code_of(e) == GOTK_E_CONFLICT)
        return e;
    gotk_buf b = {0};
    gotk_buf_putc(&b, '[');
    for (size_t i = 0; i < karr_n(list); i++)
        gotk_buf_printf(&b, "%s%s", i ? " " : "", kstr(json_object_array_get_idx(list, i)));
    if (extra)
        gotk_buf_printf(&b, "%s%s", karr_n(list) ? " " : "", extra);
    gotk_buf_putc(&b, ']');
    e = gotk_err_wrap(e, "loading KV pairs: %s%s", what, b.data);
    gotk_buf_free(&b);
    return e;
}

/* Gather env files, literals and files. */
static gotk_err *load_pairs(kctx *c, const char *root, json_object *g, const char *name,
                            kpairs *p)
{
    gotk_err *e = NULL;
    json_object *a = json_object_object_get(g, "envs");
    for (size_t i = 0; !e && a && i < karr_n(a); i++)
        e = load_env(c, root, kstr(json_object_array_get_idx(a, i)), name, p);
    json_object *env = json_object_object_get(g, "env");
    bool env1 = env && json_object_is_type(env, json_type_string) && *json_object_get_string(env);
    if (!e && env1)
        e = load_env(c, root, json_object_get_string(env), name, p);
    if (e)
        return kv_wrap(e, "env source files: ", a, env1 ? json_object_get_string(env) : NULL);
    a = json_object_object_get(g, "literals");
    for (size_t i = 0; !e && a && i < karr_n(a); i++) {
        const char *lit = kstr(json_object_array_get_idx(a, i));
        const char *eq = strchr(lit, '=');
        if (!eq || eq == lit) /* a leading '=' names no key */
            return kv_wrap(gotk_err_new(GOTK_E_INVALID, "invalid literal source %s, expected "
                                                        "key=value", lit),
                           "literal sources ", a, NULL);
        char *k = gotk_xstrndup(lit, (size_t)(eq - lit));
        char *v = remove_quotes(eq + 1);
        e = pairs_add(p, name, k, v, strlen(v));
        free(k);
        free(v);
    }
    a = json_object_object_get(g, "files");
    for (size_t i = 0; !e && a && i < karr_n(a); i++)
        e = load_file_source(c, root, kstr(json_object_array_get_idx(a, i)),
                             name, p);
    return kv_wrap(e, "file sources: ", a, NULL);
}

/* Merge the global map into the local one (local keys win). */
static json_object *merge_maps(json_object *local, json_object *global)
{
    json_object *out = json_object_new_object();
    if (local && json_object_is_type(local, json_type_object)) {
        json_object_object_foreach(local, k, v) json_object_object_add(out, k, json_object_get(v));
    }
    if (global && json_object_is_type(global, json_type_object)) {
        json_object_object_foreach(global, k, v) {
            if (!json_object_object_get_ex(out, k, NULL))
                json_object_object_add(out, k, json_object_get(v));
        }
    }
    return out;
}

/* A boolean option set locally or globally. */
static bool opt_bool(json_object *local, json_object *global, const char *key)
{
    json_object *v = NULL;
    if (local && json_object_object_get_ex(local, key, &v) && json_object_get_boolean(v))
        return true;
    return global && json_object_object_get_ex(global, key, &v) && json_object_get_boolean(v);
}

/* Put sorted labels or annotations into metadata. */
static void set_meta_map(json_object *md, const char *key, json_object *map)
{
    if (json_object_object_length(map) == 0)
        return;
    json_object_object_add(md, key, ksorted_copy(map));
}

/* Build the object for one generator entry. */
static gotk_err *make_object(kctx *c, const char *root, json_object *g, json_object *gopts,
                             bool secret, kres **out)
{
    const char *name = gotk_obj_get_str(g, "name");
    const char *ns = gotk_obj_get_str(g, "namespace");
    if (!name || !*name)
        return gotk_err_new(GOTK_E_INVALID, "a configmap must have a name");
    kpairs p = {0};
    gotk_err *e = load_pairs(c, root, g, name, &p);
    if (e) {
        pairs_free(&p);
        return e;
    }
    json_object *o = json_object_new_object(), *md = json_object_new_object();
    json_object_object_add(o, "apiVersion", json_object_new_string("v1"));
    json_object_object_add(o, "kind", json_object_new_string(secret ? "Secret" : "ConfigMap"));
    json_object_object_add(o, "metadata", md);
    json_object_object_add(md, "name", json_object_new_string(name));
    if (ns && *ns)
        json_object_object_add(md, "namespace", json_object_new_string(ns));
    json_object *data = NULL, *bin = NULL;
    for (size_t i = 0; i < p.keys.n; i++) {
        const char *v = p.vals.v[i];
        if (secret || !valid_utf8((const unsigned char *)v, p.lens[i])) {
            json_object **dst = secret ? &data : &bin;
            if (!*dst)
                *dst = json_object_new_object();
            char *b64 = gotk_base64_encode(v, p.lens[i]);
            json_object_object_add(*dst, p.keys.v[i], json_object_new_string(b64));
            free(b64);
        } else {
            if (!data)
                data = json_object_new_object();
            json_object_object_add(data, p.keys.v[i], json_object_new_string_len(v, (int)p.lens[i]));
        }
    }
    pairs_free(&p);
    if (data)
        json_object_object_add(o, "data", data);
    if (bin)
        json_object_object_add(o, "binaryData", bin);
    if (secret) {
        const char *type = gotk_obj_get_str(g, "type");
        json_object_object_add(o, "type", json_object_new_string(type && *type ? type : "Opaque"));
    }
    json_object *lopts = json_object_object_get(g, "options");
    json_object *labels = merge_maps(lopts ? json_object_object_get(lopts, "labels") : NULL,
                                     gopts ? json_object_object_get(gopts, "labels") : NULL);
    json_object *annos = merge_maps(lopts ? json_object_object_get(lopts, "annotations") : NULL,
                                    gopts ? json_object_object_get(gopts, "annotations") : NULL);
    set_meta_map(md, "labels", labels);
    set_meta_map(md, "annotations", annos);
    json_object_put(labels);
    json_object_put(annos);
    if (opt_bool(lopts, gopts, "immutable"))
        json_object_object_add(o, "immutable", json_object_new_boolean(1));
    kres *r = kres_new(o);
    r->needs_hash = !opt_bool(lopts, gopts, "disableNameSuffixHash");
    *out = r;
    return NULL;
}

/* Parse `behavior:`. */
static gotk_err *parse_behavior(json_object *g, int *out)
{
    const char *b = gotk_obj_get_str(g, "behavior");
    *out = KBEH_UNSPEC;
    if (!b || !*b)
        return NULL;
    if (!strcmp(b, "create"))
        *out = KBEH_CREATE;
    else if (!strcmp(b, "merge"))
        *out = KBEH_MERGE;
    else if (!strcmp(b, "replace"))
        *out = KBEH_REPLACE;
    /* any other word is kustomize's BehaviorUnspecified, as no word at all */
    return NULL;
}

/* An existing resource whose current or previous id equals r's current id. */
static kres *find_any(kmap *m, kres *r)
{
    kres *hit = kmap_find(m, r);
    if (hit)
        return hit;
    const char *kind = kres_kind(r), *name = kres_name(r);
    const char *ns = kres_eff_ns(r);
    for (size_t i = 0; i < m->n; i++) {
        kres *o = m->v[i];
        if (strcmp(kres_apiversion(o), kres_apiversion(r)))
            continue;
        for (size_t j = 0; j < o->nprev; j++)
            if (!strcmp(o->prev[j].name, name) && !strcmp(o->prev[j].kind, kind) &&
                !strcmp(o->prev[j].ns, ns))
                return o;
    }
    return NULL;
}

/* Go's %#v of a ResId, as kustomize's messages print it. */
static char *resid_gostring(kres *r)
{
    const char *g, *v;
    size_t gl;
    kres_gvk(r->obj, &g, &gl, &v);
    return gotk_xasprintf("resid.ResId{Gvk:resid.Gvk{Group:\"%.*s\", Version:\"%s\", "
                          "Kind:\"%s\", isClusterScoped:false}, Name:\"%s\", Namespace:\"%s\"}",
                          (int)gl, g, v, kres_kind(r), kres_name(r), kres_ns(r));
}

/* A string map at a metadata key, or an empty new map. */
static json_object *meta_map(json_object *o, const char *key)
{
    json_object *m = gotk_obj_get(o, "metadata", key, NULL);
    return m && json_object_is_type(m, json_type_object) ? m : NULL;
}

/* Merge old's labels/annotations (and data for merge) under r, taking old's name. */
static void merge_from(kres *r, kres *old, bool data)
{
    json_object *md = json_object_object_get(r->obj, "metadata");
    static const char *const keys[] = {"labels", "annotations"};
    for (int i = 0; i < 2; i++) {
        json_object *mm = merge_maps(meta_map(r->obj, keys[i]), meta_map(old->obj, keys[i]));
        if (json_object_object_length(mm))
            json_object_object_add(md, keys[i], mm);
        else
            json_object_put(mm);
    }
    json_object_object_add(md, "name", json_object_new_string(kres_name(old)));
    if (*kres_ns(old))
        json_object_object_add(md, "namespace", json_object_new_string(kres_ns(old)));
    else
        json_object_object_del(md, "namespace");
    static const char *const dk[] = {"data", "binaryData"};
    for (int i = 0; data && i < 2; i++) {
        json_object *mm = merge_maps(json_object_object_get(r->obj, dk[i]),
                                     json_object_object_get(old->obj, dk[i]));
        if (json_object_object_length(mm))
            json_object_object_add(r->obj, dk[i], mm);
        else
            json_object_put(mm);
    }
    /* kustomize keeps the old object's build history */
    for (size_t i = 0; i < old->nprev; i++) {
        kres_store_prev(r);
        kprev *p = &r->prev[r->nprev - 1];
        free(p->name);
        free(p->ns);
        free(p->kind);
        p->name = gotk_xstrdup(old->prev[i].name);
        p->ns = gotk_xstrdup(old->prev[i].ns);
        p->kind = gotk_xstrdup(old->prev[i].kind);
    }
    for (size_t i = 0; i < old->prefixes.n; i++)
        kstrv_push(&r->prefixes, old->prefixes.v[i]);
    for (size_t i = 0; i < old->suffixes.n; i++)
        kstrv_push(&r->suffixes, old->suffixes.v[i]);
    if (data && old->origin) {
        free(r->origin);
        r->origin = gotk_xstrdup(old->origin);
    }
}

/* kustomize wraps these with "merging from generator %v" of its generator
 * plugin, which prints a Go pointer (&{0xc00072add0 <nil>}); ours is a fixed
 * stand-in of the same shape, so the text around it reads the same. */
#define GENERATOR_PREFIX "merging from generator &{0xc000000000 <nil>}"

/* Absorb a generated resource by its behavior. Takes r. */
static gotk_err *absorb(kmap *m, kres *r)
{
    kres *old = find_any(m, r);
    gotk_err *e = NULL;
    if (!old) {
        if (r->behavior == KBEH_MERGE || r->behavior == KBEH_REPLACE) {
            char *id = resid_gostring(r);
            e = gotk_err_new(GOTK_E_NOTFOUND, "%s: id %s does not exist; cannot merge or "
                                              "replace", GENERATOR_PREFIX, id);
            free(id);
            kres_free(r);
            return e;
        }
        return kmap_append(m, r);
    }
    if (r->behavior != KBEH_MERGE && r->behavior != KBEH_REPLACE) {
        char *id = resid_gostring(r);
        e = gotk_err_new(GOTK_E_CONFLICT, "%s: id %s exists; behavior must be merge or replace",
                         GENERATOR_PREFIX, id);
        free(id);
        kres_free(r);
        return e;
    }
    merge_from(r, old, r->behavior == KBEH_MERGE);
    /* the hash request survives only when both sides had it */
    r->needs_hash = r->needs_hash && old->needs_hash;
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i] == old) {
            m->v[i] = r;
            kres_free(old);
            break;
        }
    kmap_reindex(m);
    return NULL;
}

/* The origin annotation of a generated object. */
static char *gen_origin(kctx *c, bool secret)
{
    const char *file = c->plugin_file ? c->plugin_file
                                      : c->kfile ? c->kfile : "kustomization.yaml";
    char *in = krel_join(c->origin, file);
    gotk_buf b = {0};
    gotk_buf_printf(&b, "configuredIn: %s\nconfiguredBy:\n  apiVersion: builtin\n  kind: %s\n",
                    in, secret ? "SecretGenerator" : "ConfigMapGenerator");
    if (c->plugin_name && *c->plugin_name)
        gotk_buf_printf(&b, "  name: %s\n", c->plugin_name);
    if (c->plugin_ns && *c->plugin_ns)
        gotk_buf_printf(&b, "  namespace: %s\n", c->plugin_ns);
    free(in);
    return gotk_buf_steal(&b);
}

/* Run one generator list. */
static gotk_err *run_list(kctx *c, const char *root, json_object *k, const char *key,
                          bool secret, kmap *m)
{
    json_object *a = json_object_object_get(k, key);
    json_object *gopts = json_object_object_get(k, "generatorOptions");
    for (size_t i = 0; a && json_object_is_type(a, json_type_array) &&
                       i < karr_n(a); i++) {
        json_object *g = json_object_array_get_idx(a, i);
        kres *r = NULL;
        int beh = 0;
        gotk_err *e = parse_behavior(g, &beh);
        if (!e)
            e = make_object(c, root, g, gopts, secret, &r);
        if (!e) {
            r->behavior = beh;
            r->generated = true;
            if (c->origin_on)
                r->origin = gen_origin(c, secret);
            e = absorb(m, r);
        }
        if (e)
            return e;
    }
    return NULL;
}

/* configMapGenerator and secretGenerator of one level. */
gotk_err *kgen_run(kctx *c, const char *root, json_object *k, kmap *m)
{
    gotk_err *e = run_list(c, root, k, "configMapGenerator", false, m);
    if (!e)
        e = run_list(c, root, k, "secretGenerator", true, m);
    return e;
}
