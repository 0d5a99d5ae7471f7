/*
 * gotk create: builds Flux objects from flags exactly as `flux create` builds
 * them, and with --export prints them as flux does ("---", then the object as
 * sigs.k8s.io/yaml writes it: keys sorted, durations like "1m0s").
 *
 * Each kind has one builder that turns its flags into a json-c object in the
 * shape of Flux's Go struct (only the fields Go would not omit as empty).
 * Without --export the object is created or updated on the cluster.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "create.h"
#include "flags.h"
#include "gotk/obj.h"

/* A JSON string. */
json_object *create_jstr(const char *s)
{
    return json_object_new_string(s);
}

/* A duration as Go prints it ("1m0s"). */
json_object *create_jduration(gotk_duration d)
{
    char buf[32];
    return json_object_new_string(gotk_duration_format(d, buf));
}

/* metadata {name, namespace, labels} as ObjectMeta marshals it. */
gotk_err *create_object_meta(const char *name, const char *ns, const cli_strings *labels,
                             json_object **out)
{
    json_object *meta = json_object_new_object();
    json_object_object_add(meta, "name", create_jstr(name));
    json_object_object_add(meta, "namespace", create_jstr(ns));
    json_object *l = NULL;
    for (size_t i = 0; i < labels->n; i++) {
        const char *kv = labels->items[i];
        const char *eq = strchr(kv, '=');
        if (!eq || strchr(eq + 1, '=')) {
            json_object_put(l);
            json_object_put(meta);
            return gotk_err_new(GOTK_E_INVALID, "invalid label format '%s', must be key=value", kv);
        }
        if (!l)
            l = json_object_new_object();
        char *key = gotk_xstrndup(kv, (size_t)(eq - kv));
        json_object_object_add(l, key, create_jstr(eq + 1));
        free(key);
    }
    if (l)
        json_object_object_add(meta, "labels", l);
    *out = meta;
    return NULL;
}

json_object *create_new_object(const char *api_version, const char *kind, json_object *meta,
                               json_object *spec)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "apiVersion", create_jstr(api_version));
    json_object_object_add(o, "kind", create_jstr(kind));
    json_object_object_add(o, "metadata", meta);
    json_object_object_add(o, "spec", spec);
    return o;
}

/* What flux's printExport writes. */
int create_print_export(json_object *obj)
{
    gotk_buf b = {0};
    gotk_err *e = gotk_yaml_emit(obj, GOTK_YAML_SORT_KEYS, &b);
    if (e) {
        int rc = cli_fail("%s", gotk_err_msg(e));
        gotk_err_free(e);
        gotk_buf_free(&b);
        return rc;
    }
    while (b.len && b.data[b.len - 1] == '\n')
        b.data[--b.len] = '\0';
    printf("---\n%s\n", b.data);
    gotk_buf_free(&b);
    return 0;
}

/* flux's validateObjectName. */
bool create_valid_name(const char *name)
{
    regex_t re;
    regcomp(&re, "^[a-z0-9]([a-z0-9-]){0,61}[a-z0-9]$", REG_EXTENDED | REG_NOSUB);
    bool ok = regexec(&re, name, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

/* Common checks, then export or create. Takes ownership of `obj`. */
int create_finish(const cli_globals *g, const create_args *ca, json_object *obj)
{
    int rc = ca->export_ ? create_print_export(obj) : cli_apply_and_wait(g, obj);
    json_object_put(obj);
    return rc;
}

/* Append --interval, --export and --label. */
void create_add_flags(cli_flag *f, size_t *n, create_args *ca)
{
    f[(*n)++] = (cli_flag){"interval", 0, FLAG_DURATION, &ca->interval, "source sync interval"};
    f[(*n)++] = (cli_flag){"export", 0, FLAG_BOOL, &ca->export_, "export in YAML format to stdout"};
    f[(*n)++] = (cli_flag){"label", 0, FLAG_STRINGS, &ca->labels,
                           "set labels on the resource (can specify multiple labels with commas: "
                           "label1=value1,label2=value2)"};
}

/* ---- create source git ----------------------------------------------------- */

typedef struct {
    const char *url, *branch, *tag, *semver, *ref_name, *commit, *secret_ref, *provider;
    const char *username, *password, *ca_file, *private_key_file, *proxy_secret_ref;
    bool recurse_submodules, silent;
    cli_strings ignore_paths, sparse;
    gotk_duration timeout;
} git_args;

/* --provider of create source git. */
static gotk_err *check_git_provider(const char *v)
{
    if (!*v)
        return gotk_err_new(GOTK_E_INVALID, "no source Git provider given, please specify the Git provider name");
    if (strcmp(v, "generic") && strcmp(v, "github") && strcmp(v, "aws") && strcmp(v, "azure"))
        return gotk_err_new(GOTK_E_INVALID,
                            "source Git provider '%s' is not supported, must be one of: "
                            "generic|github|aws|azure", v);
    return NULL;
}

/* Join a list with newlines (spec.ignore). */
char *create_join_lines(const cli_strings *s)
{
    gotk_buf b = {0};
    for (size_t i = 0; i < s->n; i++) {
        if (i)
            gotk_buf_putc(&b, '\n');
        gotk_buf_puts(&b, s->items[i]);
    }
    return gotk_buf_steal(&b);
}

/* spec.ref from the ref flags, the most specific one winning as in flux. */
static json_object *git_ref(const git_args *a)
{
    json_object *ref = json_object_new_object();
    if (a->commit && *a->commit) {
        if (a->branch && *a->branch)
            json_object_object_add(ref, "branch", create_jstr(a->branch));
        json_object_object_add(ref, "commit", create_jstr(a->commit));
    } else if (a->ref_name && *a->ref_name) {
        json_object_object_add(ref, "name", create_jstr(a->ref_name));
    } else if (a->semver && *a->semver) {
        json_object_object_add(ref, "semver", create_jstr(a->semver));
    } else if (a->tag && *a->tag) {
        json_object_object_add(ref, "tag", create_jstr(a->tag));
    } else if (a->branch && *a->branch) {
        json_object_object_add(ref, "branch", create_jstr(a->branch));
    }
    return ref;
}

/* A LocalObjectReference. */
json_object *create_name_ref(const char *name)
{
    json_object *r = json_object_new_object();
    json_object_object_add(r, "name", create_jstr(name));
    return r;
}

/* The GitRepository spec from the flags, or an error as flux words it. */
static gotk_err *git_spec(const git_args *a, const create_args *ca, json_object **out)
{
    if (!a->url || !*a->url)
        return gotk_err_new(GOTK_E_INVALID, "url is required");
    const char *colon = strstr(a->url, "://");
    size_t slen = colon ? (size_t)(colon - a->url) : 0;
    if (!colon || !((slen == 3 && !strncmp(a->url, "ssh", 3)) || (slen == 4 && !strncmp(a->url, "http", 4)) ||
                    (slen == 5 && !strncmp(a->url, "https", 5))))
        return gotk_err_new(GOTK_E_INVALID, "git URL scheme '%.*s' not supported, can be: ssh, http and https",
                            (int)slen, a->url);
    bool any_ref = (a->branch && *a->branch) || (a->tag && *a->tag) || (a->semver && *a->semver) ||
                   (a->commit && *a->commit) || (a->ref_name && *a->ref_name);
    if (!any_ref)
        return gotk_err_new(GOTK_E_INVALID, "a Git ref is required, use one of the following: "
                                            "--branch, --tag, --commit, --ref-name or --tag-semver");
    if (a->ca_file && *a->ca_file && slen == 3)
        return gotk_err_new(GOTK_E_INVALID, "specifying a CA file is not supported for Git over SSH");
    json_object *spec = json_object_new_object();
    json_object_object_add(spec, "url", create_jstr(a->url));
    if (a->secret_ref && *a->secret_ref)
        json_object_object_add(spec, "secretRef", create_name_ref(a->secret_ref));
    if (a->provider && *a->provider)
        json_object_object_add(spec, "provider", create_jstr(a->provider));
    json_object_object_add(spec, "interval", create_jduration(ca->interval));
    if (a->timeout > 0)
        json_object_object_add(spec, "timeout", create_jduration(a->timeout));
    json_object_object_add(spec, "ref", git_ref(a));
    if (a->ignore_paths.n) {
        char *ign = create_join_lines(&a->ignore_paths);
        json_object_object_add(spec, "ignore", create_jstr(ign));
        free(ign);
    }
    if (a->recurse_submodules)
        json_object_object_add(spec, "recurseSubmodules", json_object_new_boolean(1));
    if (a->sparse.n) {
        json_object *arr = json_object_new_array();
        for (size_t i = 0; i < a->sparse.n; i++)
            json_object_array_add(arr, create_jstr(a->sparse.items[i]));
        json_object_object_add(spec, "sparseCheckout", arr);
    }
    if (a->proxy_secret_ref && *a->proxy_secret_ref)
        json_object_object_add(spec, "proxySecretRef", create_name_ref(a->proxy_secret_ref));
    *out = spec;
    return NULL;
}


/* Parse a create command (global, create and the kind's flags), then check the
 * object name as flux does. */
gotk_err *create_parse(cli_cmdline *cl, cli_globals *g, create_args *ca,
                              const cli_flag *own, size_t nown, int argc, char **argv,
                              const char *help, const char **name)
{
    cli_flag all[64];
    size_t n = 0;
    create_add_flags(all, &n, ca);
    memcpy(all + n, own, nown * sizeof *own);
    n += nown;
    gotk_err *e = cli_cmdline_parse(cl, g, all, n, argc, argv, help);
    if (e || cl->help)
        return e;
    *name = cl->npos > 0 ? cl->pos[0] : NULL;
    if (!*name)
        return gotk_err_new(GOTK_E_INVALID, "name is required");
    if (!create_valid_name(*name))
        return gotk_err_new(GOTK_E_INVALID,
                            "name '%s' is invalid, it should adhere to standard defined in RFC 1123, "
                            "the name can only contain alphanumeric characters or '-'", *name);
    return NULL;
}

/* gotk create source git NAME. */
static gotk_err *git_spec_fn(void *args, const create_args *ca, json_object **out)
{
    return git_spec(args, ca, out);
}

static int create_source_git(int argc, char **argv)
{
    create_args ca = {.interval = GOTK_MINUTE};
    git_args a = {0};
    const cli_flag own[] = {
        {"url", 0, FLAG_STRING, &a.url, "git address, e.g. ssh://git@host/org/repository"},
        {"branch", 0, FLAG_STRING, &a.branch, "git branch"},
        {"tag", 0, FLAG_STRING, &a.tag, "git tag"},
        {"tag-semver", 0, FLAG_STRING, &a.semver, "git tag semver range"},
        {"ref-name", 0, FLAG_STRING, &a.ref_name, "git reference name"},
        {"commit", 0, FLAG_STRING, &a.commit, "git commit"},
        {"username", 'u', FLAG_STRING, &a.username, "basic authentication username"},
        {"password", 'p', FLAG_STRING, &a.password, "basic authentication password"},
        {"secret-ref", 0, FLAG_STRING, &a.secret_ref, "the name of an existing secret containing SSH or basic credentials"},
        {"proxy-secret-ref", 0, FLAG_STRING, &a.proxy_secret_ref, "the name of an existing secret containing the proxy address and credentials"},
        {"provider", 0, FLAG_STRING, &a.provider, "the Git provider name (generic|github|aws|azure)", check_git_provider},
        {"ca-file", 0, FLAG_STRING, &a.ca_file, "path to TLS CA file used for validating self-signed certificates"},
        {"private-key-file", 0, FLAG_STRING, &a.private_key_file, "path to a passwordless private key file used for authenticating to the Git SSH server"},
        {"recurse-submodules", 0, FLAG_BOOL, &a.recurse_submodules, "include Git submodules in the artifact"},
        {"silent", 's', FLAG_BOOL, &a.silent, "assumes the deploy key is already setup, skips confirmation"},
        {"ignore-paths", 0, FLAG_STRINGS, &a.ignore_paths, "set paths to ignore in git resource (comma-separated)"},
        {"sparse-checkout-paths", 0, FLAG_STRINGS, &a.sparse, "set paths to sparse checkout in git resource (comma-separated)"},
        {"fetch-timeout", 0, FLAG_DURATION, &a.timeout, "set a timeout for fetch operations performed by source-controller (e.g. 'Git clone' and 'Helm repository update')"},
    };
    static const char help[] =
        "Create or update a GitRepository source\n\nUsage:\n  gotk create source git [name] [flags]\n\n"
        "Examples:\n  # Create a source for a public Git repository\n"
        "  gotk create source git podinfo \\\n    --url=https://github.com/stefanprodan/podinfo \\\n"
        "    --branch=master --interval=1m0s --export\n";
    int rc = create_run(argc, argv, &ca, own, NFLAGS(own), help, "source.toolkit.fluxcd.io/v1",
                        "GitRepository", git_spec_fn, &a);
    cli_strings_free(&a.ignore_paths);
    cli_strings_free(&a.sparse);
    return rc;
}

/* ---- create kustomization -------------------------------------------------- */

typedef struct {
    const char *source, *path, *target_ns, *sa, *decryption_provider, *decryption_secret;
    const char *kubeconfig_secret, *validation;
    bool prune, wait;
    cli_strings health, depends_on;
    gotk_duration health_timeout, retry_interval;
} ks_args;

/* --source: [<kind>/]<name>[.<namespace>], kind GitRepository by default. */
static gotk_err *ks_source(const char *v, json_object **out)
{
    static const char *kinds[] = {"OCIRepository", "GitRepository", "Bucket"};
    if (!v || !*v)
        return gotk_err_new(GOTK_E_INVALID, "source is required");
    if (!v[strspn(v, " \t")])
        return gotk_err_new(GOTK_E_INVALID, "invalid argument \"%s\" for \"--source\" flag: no "
                                            "Kustomization source given", v);
    const char *slash = strchr(v, '/');
    char *kind = slash ? gotk_xstrndup(v, (size_t)(slash - v)) : NULL;
    const char *rest = slash ? slash + 1 : v;
    const char *dot = strchr(rest, '.');
    char *name = dot ? gotk_xstrndup(rest, (size_t)(dot - rest)) : gotk_xstrdup(rest);
    const char *clean = kind ? NULL : "GitRepository";
    for (size_t i = 0; kind && i < 3; i++)
        if (!strcasecmp(kind, kinds[i]))
            clean = kinds[i];
    gotk_err *e = NULL;
    if (!*name)
        e = gotk_err_new(GOTK_E_INVALID, "no name given for source of kind '%s'", kind ? kind : "");
    else if (!clean)
        e = gotk_err_new(GOTK_E_INVALID, "source kind '%s' is not supported, must be one of: "
                                         "OCIRepository, GitRepository, Bucket", kind);
    if (!e) {
        json_object *ref = json_object_new_object();
        json_object_object_add(ref, "kind", create_jstr(clean));
        json_object_object_add(ref, "name", create_jstr(name));
        if (dot && dot[1])
            json_object_object_add(ref, "namespace", create_jstr(dot + 1));
        *out = ref;
    }
    free(kind);
    free(name);
    return e ? gotk_err_wrap(e, "invalid argument \"%s\" for \"--source\" flag", v) : NULL;
}

/* --health-check Kind/name.namespace entries. */
static gotk_err *ks_health_checks(const cli_strings *hc, json_object **out)
{
    json_object *arr = json_object_new_array();
    for (size_t i = 0; i < hc->n; i++) {
        const char *w = hc->items[i];
        const char *slash = strchr(w, '/');
        const char *dot = slash ? strchr(slash + 1, '.') : NULL;
        if (!slash || strchr(slash + 1, '/') || !dot || strchr(dot + 1, '.')) {
            json_object_put(arr);
            return gotk_err_new(GOTK_E_INVALID, "invalid health check '%s' must be in the format "
                                                "'kind/name.namespace'", w);
        }
        char *kind = gotk_xstrndup(w, (size_t)(slash - w));
        if (strcmp(kind, "Deployment") && strcmp(kind, "DaemonSet") &&
            strcmp(kind, "StatefulSet") && strcmp(kind, "HelmRelease")) {
            gotk_err *e = gotk_err_new(GOTK_E_INVALID, "invalid health check kind '%s' can be "
                                       "HelmRelease, Deployment, DaemonSet or StatefulSet", kind);
            free(kind);
            json_object_put(arr);
            return e;
        }
        json_object *c = json_object_new_object();
        if (!strcmp(kind, "HelmRelease"))
            json_object_object_add(c, "apiVersion", create_jstr("helm.toolkit.fluxcd.io/v2"));
        json_object_object_add(c, "kind", create_jstr(kind));
        char *name = gotk_xstrndup(slash + 1, (size_t)(dot - slash - 1));
        json_object_object_add(c, "name", create_jstr(name));
        json_object_object_add(c, "namespace", create_jstr(dot + 1));
        json_object_array_add(arr, c);
        free(kind);
        free(name);
    }
    *out = arr;
    return NULL;
}

/* --depends-on: "<name>" or "<namespace>/<name>" (meta.MakeDependsOn). */
json_object *create_depends_on(const cli_strings *d)
{
    json_object *arr = json_object_new_array();
    for (size_t i = 0; i < d->n; i++) {
        json_object *r = json_object_new_object();
        const char *slash = strchr(d->items[i], '/');
        json_object_object_add(r, "name", create_jstr(slash ? slash + 1 : d->items[i]));
        if (slash) {
            char *ns = gotk_xstrndup(d->items[i], (size_t)(slash - d->items[i]));
            json_object_object_add(r, "namespace", create_jstr(ns));
            free(ns);
        }
        json_object_array_add(arr, r);
    }
    return arr;
}

/* The Kustomization spec, or flux's error. */
static gotk_err *ks_spec(const ks_args *a, const create_args *ca, json_object **out)
{
    if (!a->path || !*a->path)
        return gotk_err_new(GOTK_E_INVALID, "path is required");
    if (strncmp(a->path, "./", 2) != 0)
        return gotk_err_new(GOTK_E_INVALID, "path must begin with ./");
    json_object *src = NULL, *checks = NULL;
    gotk_err *e = ks_source(a->source, &src);
    if (!e && a->health.n && !a->wait)
        e = ks_health_checks(&a->health, &checks);
    if (e) {
        json_object_put(src);
        return e;
    }
    json_object *spec = json_object_new_object();
    if (a->depends_on.n)
        json_object_object_add(spec, "dependsOn", create_depends_on(&a->depends_on));
    json_object_object_add(spec, "interval", create_jduration(ca->interval));
    if (a->retry_interval > 0)
        json_object_object_add(spec, "retryInterval", create_jduration(a->retry_interval));
    if (a->kubeconfig_secret && *a->kubeconfig_secret) {
        json_object *kc = json_object_new_object();
        json_object_object_add(kc, "secretRef", create_name_ref(a->kubeconfig_secret));
        json_object_object_add(spec, "kubeConfig", kc);
    }
    json_object_object_add(spec, "path", create_jstr(a->path));
    json_object_object_add(spec, "prune", json_object_new_boolean(a->prune));
    if (checks)
        json_object_object_add(spec, "healthChecks", checks);
    if (a->sa && *a->sa)
        json_object_object_add(spec, "serviceAccountName", create_jstr(a->sa));
    json_object_object_add(spec, "sourceRef", src);
    if (a->decryption_provider && *a->decryption_provider) {
        json_object *d = json_object_new_object();
        json_object_object_add(d, "provider", create_jstr(a->decryption_provider));
        if (a->decryption_secret && *a->decryption_secret)
            json_object_object_add(d, "secretRef", create_name_ref(a->decryption_secret));
        json_object_object_add(spec, "decryption", d);
    }
    if (a->target_ns && *a->target_ns)
        json_object_object_add(spec, "targetNamespace", create_jstr(a->target_ns));
    if (checks || a->wait)
        json_object_object_add(spec, "timeout", create_jduration(a->health_timeout));
    if (a->wait)
        json_object_object_add(spec, "wait", json_object_new_boolean(1));
    *out = spec;
    return NULL;
}

/* --decryption-provider: sops only. */
static gotk_err *check_decryption_provider(const char *v)
{
    if (strcmp(v, "sops") != 0)
        return gotk_err_new(GOTK_E_INVALID, "decryption provider '%s' is not supported, must be one of: sops", v);
    return NULL;
}

/* gotk create kustomization NAME. */
static gotk_err *ks_spec_fn(void *args, const create_args *ca, json_object **out)
{
    return ks_spec(args, ca, out);
}

static int create_kustomization(int argc, char **argv)
{
    create_args ca = {.interval = GOTK_MINUTE};
    ks_args a = {.health_timeout = 2 * GOTK_MINUTE};
    const cli_flag own[] = {
        {"source", 0, FLAG_STRING, &a.source, "source that contains the Kubernetes manifests in the format '[<kind>/]<name>.<namespace>', where kind must be one of: (OCIRepository, GitRepository, Bucket), if kind is not specified it defaults to GitRepository"},
        {"path", 0, FLAG_STRING, &a.path, "path to the directory containing a kustomization.yaml file"},
        {"prune", 0, FLAG_BOOL, &a.prune, "enable garbage collection"},
        {"wait", 0, FLAG_BOOL, &a.wait, "enable health checking of all the applied resources"},
        {"health-check", 0, FLAG_STRINGS, &a.health, "workload to be included in the health assessment, in the format '<kind>/<name>.<namespace>'"},
        {"health-check-timeout", 0, FLAG_DURATION, &a.health_timeout, "timeout of health checking operations"},
        {"validation", 0, FLAG_STRING, &a.validation, "deprecated: all resources are validated using server-side apply dry-run"},
        {"depends-on", 0, FLAG_STRINGS, &a.depends_on, "Kustomization that must be ready before this Kustomization can be applied, supported formats '<name>' and '<namespace>/<name>'"},
        {"service-account", 0, FLAG_STRING, &a.sa, "the name of the service account to impersonate when reconciling this Kustomization"},
        {"decryption-provider", 0, FLAG_STRING, &a.decryption_provider, "decryption provider, available options are: (sops)", check_decryption_provider},
        {"decryption-secret", 0, FLAG_STRING, &a.decryption_secret, "set the Kubernetes secret name that contains the OpenPGP private keys used for sops decryption"},
        {"target-namespace", 0, FLAG_STRING, &a.target_ns, "overrides the namespace of all Kustomization objects reconciled by this Kustomization"},
        {"kubeconfig-secret-ref", 0, FLAG_STRING, &a.kubeconfig_secret, "the name of the Kubernetes Secret that contains a key with the kubeconfig file for connecting to a remote cluster"},
        {"retry-interval", 0, FLAG_DURATION, &a.retry_interval, "the interval at which to retry a previously failed reconciliation"},
    };
    static const char help[] =
        "Create or update a Kustomization resource\n\nUsage:\n  gotk create kustomization [name] [flags]\n\n"
        "Examples:\n  # Create a Kustomization resource from a source at a given path\n"
        "  gotk create kustomization kyverno \\\n    --source=GitRepository/kyverno \\\n"
        "    --path=\"./config/release\" \\\n    --prune=true \\\n    --interval=60m \\\n"
        "    --wait=true \\\n    --health-check-timeout=3m\n";
    int rc = create_run(argc, argv, &ca, own, NFLAGS(own), help, "kustomize.toolkit.fluxcd.io/v1",
                        "Kustomization", ks_spec_fn, &a);
    cli_strings_free(&a.health);
    cli_strings_free(&a.depends_on);
    return rc;
}

/* ---- the shape every kind shares ------------------------------------------------ */

int create_run(int argc, char **argv, create_args *ca, const cli_flag *own, size_t nown,
               const char *help, const char *api_version, const char *kind,
               create_spec_fn fn, void *args)
{
    cli_globals g;
    cli_globals_default(&g);
    cli_cmdline cl;
    const char *name = NULL;
    json_object *meta = NULL, *spec = NULL;
    gotk_err *e = create_parse(&cl, &g, ca, own, nown, argc, argv, help, &name);
    if (!e && !cl.help)
        e = fn(args, ca, &spec);
    if (!e && !cl.help)
        e = create_object_meta(name, g.namespace_, &ca->labels, &meta);
    int rc = 0;
    if (e) {
        json_object_put(spec);
        rc = create_fail(e);
    } else if (!cl.help) {
        rc = create_finish(&g, ca, create_new_object(api_version, kind, meta, spec));
    }
    cli_cmdline_free(&cl);
    cli_strings_free(&ca->labels);
    return rc;
}

/* ---- dispatch --------------------------------------------------------------- */

int create_fail(gotk_err *e)
{
    int rc = cli_fail("%s", gotk_err_msg(e));
    gotk_err_free(e);
    return rc;
}

/* gotk create --help. */
static void create_usage(void)
{
    puts("Create or update sources and resources\n\nUsage:\n  gotk create [command]\n\n"
         "Available Commands:\n"
         "  helmrelease   Create or update a HelmRelease resource\n"
         "  image         Create or update resources dealing with image automation\n"
         "  kustomization Create or update a Kustomization resource\n"
         "  secret        Create or update Kubernetes secrets\n"
         "  source        Create or update sources\n");
}

/* gotk create source --help. */
static void create_source_usage(void)
{
    puts("Create or update sources\n\nUsage:\n  gotk create source [command]\n\n"
         "Available Commands:\n"
         "  bucket      Create or update a Bucket source\n"
         "  git         Create or update a GitRepository source\n"
         "  helm        Create or update a HelmRepository source\n"
         "  oci         Create or update an OCIRepository\n");
}

/* gotk create source KIND ... */
static int create_source(int argc, char **argv)
{
    const char *kind = argc > 0 ? argv[0] : NULL;
    if (!kind || !strcmp(kind, "--help") || !strcmp(kind, "-h")) {
        create_source_usage();
        return kind ? 0 : 1;
    }
    if (!strcmp(kind, "git"))
        return create_source_git(argc - 1, argv + 1);
    if (!strcmp(kind, "helm"))
        return create_source_helm(argc - 1, argv + 1);
    if (!strcmp(kind, "oci"))
        return create_source_oci(argc - 1, argv + 1);
    if (!strcmp(kind, "bucket"))
        return create_source_bucket(argc - 1, argv + 1);
    return cli_fail("unknown command \"%s\" for \"gotk create source\"", kind);
}

/* gotk create KIND ...: dispatch to the kind groups. */
int cmd_create(int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : NULL;
    if (!sub || !strcmp(sub, "--help") || !strcmp(sub, "-h")) {
        create_usage();
        return sub ? 0 : 1;
    }
    if (!strcmp(sub, "kustomization") || !strcmp(sub, "ks"))
        return create_kustomization(argc - 2, argv + 2);
    if (!strcmp(sub, "source"))
        return create_source(argc - 2, argv + 2);
    if (!strcmp(sub, "helmrelease") || !strcmp(sub, "hr"))
        return create_helmrelease(argc - 2, argv + 2);
    if (!strcmp(sub, "image"))
        return create_image(argc - 2, argv + 2);
    if (!strcmp(sub, "secret"))
        return create_secret(argc - 2, argv + 2);
    return cli_fail("unknown command \"%s\" for \"gotk create\"", sub);
}
