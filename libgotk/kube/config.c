/*
 * kube/config.c: where a client finds its cluster and credentials.
 *
 * Kubeconfig files are YAML parsed into json-c trees. Several files (KUBECONFIG)
 * merge as client-go merges them: the first file to define a cluster, user or
 * context name keeps it, and the first non-empty current-context wins. Relative
 * paths inside a file (certificate-authority, client-certificate, client-key,
 * tokenFile, an exec command containing '/') are resolved against that file's
 * directory before merging. The chosen context then yields one gotk_kube_config,
 * with files read into memory (except tokenFile, which the transport re-reads so
 * rotated tokens are picked up).
 *
 * In-cluster config reads the service account directory and the
 * KUBERNETES_SERVICE_HOST/PORT variables, as rest.InClusterConfig does.
 */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SA_ROOT "/var/run/secrets/kubernetes.io/serviceaccount"

/* ---- small helpers ------------------------------------------------------ */

/* A string member of `o`, or NULL. */
static const char *jstr(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* A non-empty string member, or NULL. */
static const char *jstr_ne(json_object *o, const char *key)
{
    const char *s = jstr(o, key);
    return s && *s ? s : NULL;
}

/* A boolean member (false when absent). */
static bool jbool(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v))
        return false;
    return json_object_get_boolean(v);
}

/* Duplicate a possibly-NULL string. */
static char *dup_or_null(const char *s)
{
    return s ? gotk_xstrdup(s) : NULL;
}

/* Duplicate a byte block (NUL-terminated for convenience). */
static unsigned char *dup_bytes(const unsigned char *d, size_t n)
{
    if (!d)
        return NULL;
    unsigned char *p = gotk_xmalloc(n + 1);
    memcpy(p, d, n);
    p[n] = 0;
    return p;
}

char **kube_strv_copy(char *const *v)
{
    if (!v)
        return NULL;
    size_t n = 0;
    while (v[n])
        n++;
    char **out = gotk_xcalloc(n + 1, sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = gotk_xstrdup(v[i]);
    return out;
}

void kube_strv_free(char **v)
{
    if (!v)
        return;
    for (size_t i = 0; v[i]; i++)
        free(v[i]);
    free(v);
}

/* Free the memory behind secret bytes after clearing it. */
static void free_secret(void *p, size_t n)
{
    if (!p)
        return;
    explicit_bzero(p, n);
    free(p);
}

/* Free a secret string after clearing it. */
static void free_secret_str(char *s)
{
    if (s)
        free_secret(s, strlen(s));
}

void kube_exec_free(gotk_kube_exec *x)
{
    if (!x)
        return;
    free(x->command);
    kube_strv_free(x->args);
    kube_strv_free(x->env);
    free(x->api_version);
    free(x->install_hint);
    free(x);
}

/* Copy an exec plugin description. */
static gotk_kube_exec *exec_copy(const gotk_kube_exec *x)
{
    if (!x)
        return NULL;
    gotk_kube_exec *y = gotk_xcalloc(1, sizeof *y);
    y->command = dup_or_null(x->command);
    y->args = kube_strv_copy(x->args);
    y->env = kube_strv_copy(x->env);
    y->api_version = dup_or_null(x->api_version);
    y->install_hint = dup_or_null(x->install_hint);
    y->provide_cluster_info = x->provide_cluster_info;
    return y;
}

/* A config with the defaults every source shares. */
static gotk_kube_config *config_new(void)
{
    gotk_kube_config *c = gotk_xcalloc(1, sizeof *c);
    c->qps = 50;
    c->burst = 300;
    c->connect_timeout = 10 * GOTK_SECOND;
    c->user_agent = gotk_xstrdup("gotk/0.1.0");
    return c;
}

void gotk_kube_config_free(gotk_kube_config *c)
{
    if (!c)
        return;
    free(c->server);
    free(c->namespace_);
    free(c->context);
    free(c->ca_data);
    free(c->tls_server_name);
    free(c->proxy_url);
    free_secret_str(c->token);
    free(c->token_file);
    free(c->cert_data);
    free_secret(c->key_data, c->key_len);
    free(c->username);
    free_secret_str(c->password);
    kube_exec_free(c->exec);
    free(c->impersonate_user);
    free(c->impersonate_uid);
    kube_strv_free(c->impersonate_groups);
    kube_strv_free(c->impersonate_extra);
    free(c->user_agent);
    free(c);
}

gotk_kube_config *gotk_kube_config_copy(const gotk_kube_config *c)
{
    gotk_kube_config *d = gotk_xcalloc(1, sizeof *d);
    *d = *c;
    d->server = dup_or_null(c->server);
    d->namespace_ = dup_or_null(c->namespace_);
    d->context = dup_or_null(c->context);
    d->ca_data = dup_bytes(c->ca_data, c->ca_len);
    d->tls_server_name = dup_or_null(c->tls_server_name);
    d->proxy_url = dup_or_null(c->proxy_url);
    d->token = dup_or_null(c->token);
    d->token_file = dup_or_null(c->token_file);
    d->cert_data = dup_bytes(c->cert_data, c->cert_len);
    d->key_data = dup_bytes(c->key_data, c->key_len);
    d->username = dup_or_null(c->username);
    d->password = dup_or_null(c->password);
    d->exec = exec_copy(c->exec);
    d->impersonate_user = dup_or_null(c->impersonate_user);
    d->impersonate_uid = dup_or_null(c->impersonate_uid);
    d->impersonate_groups = kube_strv_copy(c->impersonate_groups);
    d->impersonate_extra = kube_strv_copy(c->impersonate_extra);
    d->user_agent = dup_or_null(c->user_agent);
    return d;
}

void gotk_kube_config_impersonate(gotk_kube_config *c, const char *user)
{
    free(c->impersonate_user);
    c->impersonate_user = dup_or_null(user);
}

char *gotk_kube_sa_user(const char *ns, const char *name)
{
    return gotk_xasprintf("system:serviceaccount:%s:%s", ns, name);
}

/* ---- kubeconfig files --------------------------------------------------- */

/* Make `key` of `o` absolute against `dir` when it is a relative path. With
 * `need_slash`, only paths containing '/' are resolved (exec commands). */
static void resolve_path(json_object *o, const char *key, const char *dir, bool need_slash)
{
    const char *p = jstr_ne(o, key);
    if (!p || p[0] == '/' || (need_slash && !strchr(p, '/')))
        return;
    char *abs = gotk_xasprintf("%s/%s", dir, p);
    json_object_object_add(o, key, json_object_new_string(abs));
    free(abs);
}

/* Resolve the relative paths of every named entry's body under `list`/`body`. */
static void resolve_file_paths(json_object *doc, const char *dir)
{
    json_object *clusters = gotk_obj_get(doc, "clusters", NULL);
    size_t n = json_object_is_type(clusters, json_type_array) ? json_object_array_length(clusters) : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *c = gotk_obj_get(json_object_array_get_idx(clusters, i), "cluster", NULL);
        if (c)
            resolve_path(c, "certificate-authority", dir, false);
    }
    json_object *users = gotk_obj_get(doc, "users", NULL);
    n = json_object_is_type(users, json_type_array) ? json_object_array_length(users) : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *u = gotk_obj_get(json_object_array_get_idx(users, i), "user", NULL);
        if (!u)
            continue;
        resolve_path(u, "client-certificate", dir, false);
        resolve_path(u, "client-key", dir, false);
        resolve_path(u, "tokenFile", dir, false);
        json_object *x = gotk_obj_get(u, "exec", NULL);
        if (x)
            resolve_path(x, "command", dir, true);
    }
}

/* The directory part of a path ("." when there is none). Caller frees. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return gotk_xstrdup(".");
    if (slash == path)
        return gotk_xstrdup("/");
    return gotk_xstrndup(path, (size_t)(slash - path));
}

/* Add each named entry of `doc[list]` to `merged` unless the name is taken. */
static void merge_named(json_object *merged, json_object *doc, const char *list,
                        const char *body)
{
    json_object *arr = gotk_obj_get(doc, list, NULL);
    if (!json_object_is_type(arr, json_type_array))
        return;
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *ent = json_object_array_get_idx(arr, i);
        const char *name = jstr(ent, "name");
        json_object *b = gotk_obj_get(ent, body, NULL);
        if (!name || !b || json_object_object_get_ex(merged, name, NULL))
            continue;
        json_object_object_add(merged, name, json_object_get(b));
    }
}

/* The merged view of several kubeconfig files. */
typedef struct {
    json_object *clusters, *users, *contexts; /* name -> body */
    char *current;
    size_t files; /* how many files were read */
} merged_cfg;

/* Free a merged view. */
static void merged_free(merged_cfg *m)
{
    json_object_put(m->clusters);
    json_object_put(m->users);
    json_object_put(m->contexts);
    free(m->current);
}

/* Read one kubeconfig file into the merged view. */
static gotk_err *merge_file(merged_cfg *m, const char *path, bool must_exist)
{
    char *data = NULL;
    size_t len = 0;
    gotk_err *e = gotk_file_read(path, &data, &len);
    if (e) {
        if (!must_exist && gotk_err_code_of(e) == GOTK_E_NOTFOUND) {
            gotk_err_free(e);
            return NULL;
        }
        return gotk_err_wrap(e, "loading kubeconfig");
    }
    json_object *docs = NULL;
    e = gotk_yaml_parse(data, len, path, &docs);
    free_secret(data, len);
    if (e)
        return gotk_err_wrap(e, "loading kubeconfig");
    m->files++;
    json_object *doc = json_object_array_length(docs) ? json_object_array_get_idx(docs, 0) : NULL;
    if (doc && !json_object_is_type(doc, json_type_object)) {
        json_object_put(docs);
        return gotk_err_new(GOTK_E_INVALID, "loading kubeconfig %s: not a mapping", path);
    }
    if (doc) {
        char *dir = dir_of(path);
        resolve_file_paths(doc, dir);
        free(dir);
        merge_named(m->clusters, doc, "clusters", "cluster");
        merge_named(m->users, doc, "users", "user");
        merge_named(m->contexts, doc, "contexts", "context");
        const char *cur = jstr_ne(doc, "current-context");
        if (cur && !m->current)
            m->current = gotk_xstrdup(cur);
    }
    json_object_put(docs);
    return NULL;
}

/* Decode base64 that may contain line breaks. */
static gotk_err *decode_b64(const char *s, unsigned char **out, size_t *len)
{
    size_t n = strlen(s);
    char *clean = gotk_xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            clean[k++] = s[i];
    clean[k] = 0;
    gotk_err *e = gotk_base64_decode(clean, k, out, len);
    free_secret(clean, k);
    return e;
}

/* Data from `<key>-data` (base64) or the file named by `key`; neither leaves NULL. */
static gotk_err *data_or_file(json_object *o, const char *key, const char *what,
                              unsigned char **out, size_t *len)
{
    char dkey[64];
    snprintf(dkey, sizeof dkey, "%s-data", key);
    const char *b64 = jstr_ne(o, dkey);
    if (b64) {
        gotk_err *e = decode_b64(b64, out, len);
        return e ? gotk_err_wrap(e, "decoding %s %s", what, dkey) : NULL;
    }
    const char *path = jstr_ne(o, key);
    if (!path)
        return NULL;
    char *data = NULL;
    gotk_err *e = gotk_file_read(path, &data, len);
    if (e)
        return gotk_err_wrap(e, "reading %s %s", what, key);
    *out = (unsigned char *)data;
    return NULL;
}

/* A NULL-terminated vector from a JSON array of strings. */
static char **strv_from_json(json_object *arr)
{
    if (!json_object_is_type(arr, json_type_array))
        return NULL;
    size_t n = json_object_array_length(arr);
    char **v = gotk_xcalloc(n + 1, sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *s = json_object_array_get_idx(arr, i);
        if (json_object_is_type(s, json_type_string))
            v[k++] = gotk_xstrdup(json_object_get_string(s));
    }
    return v;
}

/* as-user-extra ({key: [values]}) as "key=value" strings, or NULL. */
static char **extra_from_json(json_object *m)
{
    if (!json_object_is_type(m, json_type_object))
        return NULL;
    size_t n = 0, k = 0;
    json_object_object_foreach(m, key, vals)
    {
        (void)key;
        n += json_object_is_type(vals, json_type_array) ? json_object_array_length(vals) : 0;
    }
    char **v = gotk_xcalloc(n + 1, sizeof *v);
    json_object_object_foreach(m, key2, vals2)
    {
        for (size_t i = 0; json_object_is_type(vals2, json_type_array) &&
                           i < json_object_array_length(vals2);
             i++)
            v[k++] = gotk_xasprintf("%s=%s", key2,
                                    json_object_get_string(json_object_array_get_idx(vals2, i)));
    }
    return v;
}

/* The exec plugin of a user, or NULL. */
static gotk_err *parse_exec(json_object *x, const char *user, gotk_kube_exec **out)
{
    const char *cmd = jstr_ne(x, "command");
    if (!cmd)
        return gotk_err_new(GOTK_E_INVALID, "user \"%s\": exec: command must be specified", user);
    const char *av = jstr_ne(x, "apiVersion");
    if (!av)
        return gotk_err_new(GOTK_E_INVALID, "user \"%s\": exec: apiVersion must be specified",
                            user);
    if (strcmp(av, "client.authentication.k8s.io/v1") != 0 &&
        strcmp(av, "client.authentication.k8s.io/v1beta1") != 0)
        return gotk_err_new(GOTK_E_INVALID,
                            "user \"%s\": exec plugin: invalid apiVersion \"%s\"", user, av);
    gotk_kube_exec *e = gotk_xcalloc(1, sizeof *e);
    e->command = gotk_xstrdup(cmd);
    e->api_version = gotk_xstrdup(av);
    e->args = strv_from_json(gotk_obj_get(x, "args", NULL));
    e->install_hint = dup_or_null(jstr_ne(x, "installHint"));
    e->provide_cluster_info = jbool(x, "provideClusterInfo");
    json_object *env = gotk_obj_get(x, "env", NULL);
    size_t n = json_object_is_type(env, json_type_array) ? json_object_array_length(env) : 0;
    e->env = gotk_xcalloc(n + 1, sizeof *e->env);
    for (size_t i = 0, k = 0; i < n; i++) {
        json_object *ev = json_object_array_get_idx(env, i);
        const char *name = jstr_ne(ev, "name"), *val = jstr(ev, "value");
        if (name)
            e->env[k++] = gotk_xasprintf("%s=%s", name, val ? val : "");
    }
    *out = e;
    return NULL;
}

/* Fill the cluster part of a config. */
static gotk_err *apply_cluster(gotk_kube_config *c, json_object *cl, const char *name)
{
    const char *server = jstr_ne(cl, "server");
    if (!server)
        return gotk_err_new(GOTK_E_INVALID,
                            "invalid configuration: no server found for cluster \"%s\"", name);
    c->server = strstr(server, "://") ? gotk_xstrdup(server)
                                      : gotk_xasprintf("https://%s", server);
    size_t n = strlen(c->server);
    while (n > 0 && c->server[n - 1] == '/')
        c->server[--n] = 0;
    c->insecure = jbool(cl, "insecure-skip-tls-verify");
    c->tls_server_name = dup_or_null(jstr_ne(cl, "tls-server-name"));
    c->proxy_url = dup_or_null(jstr_ne(cl, "proxy-url"));
    gotk_err *e = data_or_file(cl, "certificate-authority", "certificate authority",
                               &c->ca_data, &c->ca_len);
    return e ? gotk_err_wrap(e, "cluster \"%s\"", name) : NULL;
}

/* Fill the user part of a config. */
static gotk_err *apply_user(gotk_kube_config *c, json_object *u, const char *name)
{
    c->token = dup_or_null(jstr_ne(u, "token"));
    if (!c->token)
        c->token_file = dup_or_null(jstr_ne(u, "tokenFile"));
    c->username = dup_or_null(jstr_ne(u, "username"));
    c->password = dup_or_null(jstr_ne(u, "password"));
    c->impersonate_user = dup_or_null(jstr_ne(u, "as"));
    c->impersonate_uid = dup_or_null(jstr_ne(u, "as-uid"));
    c->impersonate_groups = strv_from_json(gotk_obj_get(u, "as-groups", NULL));
    c->impersonate_extra = extra_from_json(gotk_obj_get(u, "as-user-extra", NULL));
    if (!c->impersonate_user && (c->impersonate_uid || (c->impersonate_groups && *c->impersonate_groups) ||
                                 (c->impersonate_extra && *c->impersonate_extra)))
        return gotk_err_new(GOTK_E_INVALID,
                            "invalid configuration: requesting uid, groups or user-extra for %s "
                            "without impersonating a user",
                            name);
    gotk_err *e = data_or_file(u, "client-certificate", "client certificate", &c->cert_data,
                               &c->cert_len);
    if (!e)
        e = data_or_file(u, "client-key", "client key", &c->key_data, &c->key_len);
    if (e)
        return gotk_err_wrap(e, "user \"%s\"", name);
    if (!!c->cert_data != !!c->key_data)
        return gotk_err_new(GOTK_E_INVALID,
                            "invalid configuration: user \"%s\" needs both a client "
                            "certificate and a client key",
                            name);
    json_object *x = gotk_obj_get(u, "exec", NULL);
    return x ? parse_exec(x, name, &c->exec) : NULL;
}

/* Build a config from the merged view and a context name. */
static gotk_err *config_from_merged(merged_cfg *m, const char *context, gotk_kube_config **out)
{
    const char *ctxname = context && *context ? context : m->current;
    if (!ctxname)
        return gotk_err_new(GOTK_E_NOTFOUND,
                            "invalid configuration: no configuration has been provided "
                            "(no current-context)");
    json_object *ctx = NULL;
    if (!json_object_object_get_ex(m->contexts, ctxname, &ctx))
        return gotk_err_new(GOTK_E_NOTFOUND,
                            "invalid configuration: context was not found for specified "
                            "context: %s",
                            ctxname);
    const char *clname = jstr_ne(ctx, "cluster"), *uname = jstr_ne(ctx, "user");
    json_object *cl = NULL, *u = NULL;
    if (!clname || !json_object_object_get_ex(m->clusters, clname, &cl))
        return gotk_err_new(GOTK_E_NOTFOUND,
                            "invalid configuration: cluster \"%s\" of context \"%s\" was not "
                            "found",
                            clname ? clname : "", ctxname);
    if (uname)
        json_object_object_get_ex(m->users, uname, &u);
    gotk_kube_config *c = config_new();
    c->context = gotk_xstrdup(ctxname);
    const char *ns = jstr_ne(ctx, "namespace");
    c->namespace_ = gotk_xstrdup(ns ? ns : "default");
    gotk_err *e = apply_cluster(c, cl, clname);
    if (!e && u)
        e = apply_user(c, u, uname);
    if (e) {
        gotk_kube_config_free(c);
        return e;
    }
    *out = c;
    return NULL;
}

gotk_err *gotk_kube_config_from_files(const char *const *paths, size_t npaths,
                                      bool must_exist, const char *context,
                                      gotk_kube_config **out)
{
    merged_cfg m = {json_object_new_object(), json_object_new_object(),
                    json_object_new_object(), NULL, 0};
    gotk_err *e = NULL;
    for (size_t i = 0; i < npaths && !e; i++)
        if (paths[i] && *paths[i])
            e = merge_file(&m, paths[i], must_exist);
    if (!e && m.files == 0)
        e = gotk_err_new(GOTK_E_NOTFOUND, "invalid configuration: no kubeconfig file found");
    if (!e)
        e = config_from_merged(&m, context, out);
    merged_free(&m);
    return e;
}

/* ---- in-cluster ---------------------------------------------------------- */

/* Read a small file under `root` with trailing whitespace trimmed. */
static gotk_err *read_trimmed(const char *root, const char *name, char **out)
{
    char *path = gotk_xasprintf("%s/%s", root, name);
    size_t len = 0;
    gotk_err *e = gotk_file_read(path, out, &len);
    free(path);
    if (e)
        return e;
    while (len > 0 && isspace((unsigned char)(*out)[len - 1]))
        (*out)[--len] = 0;
    return NULL;
}

gotk_err *gotk_kube_config_in_cluster(const char *root, gotk_kube_config **out)
{
    const char *host = getenv("KUBERNETES_SERVICE_HOST");
    const char *port = getenv("KUBERNETES_SERVICE_PORT");
    if (!host || !*host || !port || !*port)
        return gotk_err_new(GOTK_E_NOTFOUND,
                            "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST "
                            "and KUBERNETES_SERVICE_PORT must be defined");
    if (!root)
        root = SA_ROOT;
    char *token = NULL;
    gotk_err *e = read_trimmed(root, "token", &token);
    if (e)
        return gotk_err_wrap(e, "in-cluster configuration: reading the service account token");
    free_secret_str(token);
    gotk_kube_config *c = config_new();
    c->server = strchr(host, ':') ? gotk_xasprintf("https://[%s]:%s", host, port)
                                  : gotk_xasprintf("https://%s:%s", host, port);
    c->token_file = gotk_xasprintf("%s/token", root);
    char *ca_path = gotk_xasprintf("%s/ca.crt", root);
    char *ca = NULL;
    e = gotk_file_read(ca_path, &ca, &c->ca_len);
    free(ca_path);
    if (e) { /* client-go logs this and goes on with the system CAs */
        gotk_err_free(e);
        c->ca_len = 0;
    }
    c->ca_data = (unsigned char *)ca;
    char *ns = NULL;
    e = read_trimmed(root, "namespace", &ns);
    gotk_err_free(e);
    c->namespace_ = ns && *ns ? ns : (free(ns), gotk_xstrdup("default"));
    *out = c;
    return NULL;
}

/* ---- the search order ----------------------------------------------------- */

/* Split a KUBECONFIG value on ':' into a vector (empty parts dropped). */
static char **split_list(const char *s, size_t *n)
{
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += *p == ':';
    char **v = gotk_xcalloc(cap + 1, sizeof *v);
    *n = 0;
    const char *start = s;
    for (const char *p = s;; p++) {
        if (*p == ':' || !*p) {
            if (p > start)
                v[(*n)++] = gotk_xstrndup(start, (size_t)(p - start));
            if (!*p)
                break;
            start = p + 1;
        }
    }
    return v;
}

/* Load $KUBECONFIG's files. */
static gotk_err *load_env_list(const char *list, const char *context, gotk_kube_config **out)
{
    size_t n = 0;
    char **v = split_list(list, &n);
    gotk_err *e = gotk_kube_config_from_files((const char *const *)v, n, false, context, out);
    kube_strv_free(v);
    return e;
}

gotk_err *gotk_kube_config_load(const gotk_kube_load_opts *opts, gotk_kube_config **out)
{
    gotk_kube_load_opts none = {0};
    if (!opts)
        opts = &none;
    if (opts->kubeconfig && *opts->kubeconfig)
        return gotk_kube_config_from_files(&opts->kubeconfig, 1, true, opts->context, out);
    const char *env = getenv("KUBECONFIG");
    if (env && *env)
        return load_env_list(env, opts->context, out);
    if (!opts->no_in_cluster) {
        gotk_err *e = gotk_kube_config_in_cluster(opts->in_cluster_root, out);
        if (!e || gotk_err_code_of(e) != GOTK_E_NOTFOUND)
            return e;
        gotk_err_free(e);
    }
    const char *home = getenv("HOME");
    if (home && *home) {
        char *path = gotk_xasprintf("%s/.kube/config", home);
        const char *p = path;
        gotk_err *e = NULL;
        bool found = access(path, F_OK) == 0;
        if (found)
            e = gotk_kube_config_from_files(&p, 1, true, opts->context, out);
        free(path);
        if (found)
            return e;
    }
    return gotk_err_new(GOTK_E_NOTFOUND,
                        "invalid configuration: no configuration has been provided: use "
                        "--kubeconfig, set KUBECONFIG, run in a cluster, or create "
                        "~/.kube/config");
}
