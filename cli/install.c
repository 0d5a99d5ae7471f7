/*
 * gotk install: the components' manifests (config/ built with the kustomize
 * engine, as flux builds its manifests base) and applying them to a cluster.
 *
 * The chosen components (--components, plus --components-extra) are composed by
 * a kustomization written to a temporary directory that lists the component
 * directories of config/ with the flux-system namespace and, with --registry,
 * the images moved to that registry. The result, headed by flux's generation
 * warning, is what bootstrap commits as gotk-components.yaml.
 *
 * Applying uses server-side apply: Namespaces and CRDs first, waiting for the
 * CRDs to be Established, then everything else.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "gotk/kube.h"
#include "gotk/kustomize.h"
#include "gotk/obj.h"
#include "gotk/runtime.h"

static const char *known_components[] = {
    "source-controller", "kustomize-controller", "helm-controller",
    "notification-controller", "image-reflector-controller", "image-automation-controller",
};

void cli_components_default(cli_components *c)
{
    memset(c, 0, sizeof *c);
    c->namespace_ = "flux-system";
    c->registry = "ghcr.io/gotk";
    c->version = "v" GOTK_CLI_VERSION;
}

gotk_err *cli_config_dir(char **out)
{
    const char *env = getenv("GOTK_CONFIG_DIR");
    char *dir = cli_exe_dir();
    char *candidates[] = {
        env && *env ? gotk_xstrdup(env) : NULL,
        gotk_xasprintf("%s/../../config", dir),       /* build tree: build/cli/gotk */
        gotk_xasprintf("%s/../share/gotk/config", dir), /* installed */
    };
    free(dir);
    *out = NULL;
    for (size_t i = 0; i < 3; i++) {
        char *kf = candidates[i] ? gotk_xasprintf("%s/kustomization.yaml", candidates[i]) : NULL;
        if (!*out && kf && access(kf, R_OK) == 0)
            *out = realpath(candidates[i], NULL);
        free(kf);
        free(candidates[i]);
    }
    if (!*out)
        return gotk_err_new(GOTK_E_NOTFOUND, "cannot find gotk's config directory "
                                             "(set GOTK_CONFIG_DIR)");
    return NULL;
}

/* The chosen components, in flux's order, checked against the known ones:
 * --components (the four defaults when not given), then --components-extra. */
static gotk_err *chosen(const cli_components *c, const char **out, size_t *n)
{
    *n = 0;
    if (c->components.n == 0)
        for (size_t k = 0; k < 4; k++)
            out[(*n)++] = known_components[k];
    const cli_strings *lists[] = {&c->components, &c->extra};
    for (size_t l = 0; l < 2; l++)
        for (size_t i = 0; i < lists[l]->n && *n < 12; i++) {
            const char *want = lists[l]->items[i];
            bool ok = false, dup = false;
            for (size_t k = 0; k < 6; k++)
                ok = ok || !strcmp(want, known_components[k]);
            if (!ok)
                return gotk_err_new(GOTK_E_INVALID, "component %s is not available", want);
            for (size_t k = 0; k < *n; k++)
                dup = dup || !strcmp(want, out[k]);
            if (!dup)
                out[(*n)++] = want;
        }
    return NULL;
}

/* The kustomization composing config/ for these components. */
static char *compose(const char *config, const cli_components *c, const char **comps, size_t n)
{
    gotk_buf b = {0};
    gotk_buf_printf(&b, "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                        "namespace: %s\nresources:\n- %s/namespace\n", c->namespace_, config);
    for (size_t i = 0; i < n; i++)
        gotk_buf_printf(&b, "- %s/%s\n", config, comps[i]);
    gotk_buf_printf(&b, "- %s/rbac\n- %s/policies\n", config, config);
    if (strcmp(c->registry, "ghcr.io/gotk") != 0) {
        gotk_buf_puts(&b, "images:\n");
        for (size_t i = 0; i < n; i++)
            gotk_buf_printf(&b, "- name: ghcr.io/gotk/%s\n  newName: %s/%s\n", comps[i],
                            c->registry, comps[i]);
    }
    return gotk_buf_steal(&b);
}

static bool is_known_unchosen(const char *name, const char **comps, size_t n)
{
    bool known = false;
    for (size_t k = 0; k < 6; k++)
        known = known || !strcmp(name, known_components[k]);
    for (size_t i = 0; known && i < n; i++)
        if (!strcmp(name, comps[i]))
            return false;
    return known;
}

/* Binding subjects as flux's templates generate them: only the chosen
 * components' ServiceAccounts, in the install namespace. */
static void fix_subjects(json_object *docs, const char **comps, size_t n, const char *ns)
{
    size_t nd = json_object_array_length(docs);
    for (size_t i = 0; i < nd; i++) {
        json_object *subjects = gotk_obj_get(json_object_array_get_idx(docs, i), "subjects", NULL);
        if (!json_object_is_type(subjects, json_type_array))
            continue;
        for (size_t k = json_object_array_length(subjects); k-- > 0;) {
            json_object *s = json_object_array_get_idx(subjects, k);
            const char *kind = gotk_obj_get_str(s, "kind"), *name = gotk_obj_get_str(s, "name");
            if (!kind || !name || strcmp(kind, "ServiceAccount") != 0)
                continue;
            if (is_known_unchosen(name, comps, n))
                json_object_array_del_idx(subjects, k, 1);
            else
                json_object_object_add(s, "namespace", json_object_new_string(ns));
        }
    }
}

gotk_err *cli_components_build(const cli_components *c, json_object **docs, char **names)
{
    const char *comps[12];
    size_t n;
    char *config = NULL, *tmp = NULL;
    gotk_err *e = chosen(c, comps, &n);
    if (!e)
        e = cli_config_dir(&config);
    if (!e)
        e = gotk_file_temp_dir("gotk-install", &tmp);
    if (!e) {
        /* kustomize takes no absolute directory as a resource: config/ is
         * reached through a link beside the composed kustomization */
        char *link = gotk_xasprintf("%s/config", tmp);
        if (symlink(config, link) != 0)
            e = gotk_err_new(GOTK_E_IO, "symlink %s: %s", link, strerror(errno));
        free(link);
        char *k = compose("config", c, comps, n);
        char *path = gotk_xasprintf("%s/kustomization.yaml", tmp);
        if (!e)
            e = gotk_file_write_atomic(path, k, strlen(k), 0644);
        gotk_kustomize_opts ko = {.reorder = GOTK_KUSTOMIZE_REORDER_LEGACY, .load_restrictor_none = true};
        if (!e)
            e = gotk_kustomize_build(tmp, &ko, docs);
        if (!e)
            fix_subjects(*docs, comps, n, c->namespace_);
        free(k);
        free(path);
        gotk_err_free(gotk_file_remove_all(tmp));
    }
    if (!e && names) {
        gotk_buf b = {0};
        for (size_t i = 0; i < n; i++)
            gotk_buf_printf(&b, "%s%s", i ? "," : "", comps[i]);
        *names = gotk_buf_steal(&b);
    }
    free(config);
    free(tmp);
    return e ? gotk_err_wrap(e, "generating the component manifests") : NULL;
}

gotk_err *cli_components_yaml(const cli_components *c, char **out)
{
    json_object *docs = NULL;
    char *names = NULL;
    gotk_err *e = cli_components_build(c, &docs, &names);
    if (e)
        return e;
    gotk_buf b = {0};
    gotk_buf_printf(&b, "---\n# This manifest was generated by flux. DO NOT EDIT.\n"
                        "# Flux Version: %s\n# Components: %s\n", c->version, names);
    size_t n = json_object_array_length(docs);
    for (size_t i = 0; i < n && !e; i++) {
        gotk_buf_puts(&b, "---\n");
        e = gotk_yaml_emit(json_object_array_get_idx(docs, i), GOTK_YAML_SORT_KEYS, &b);
    }
    json_object_put(docs);
    free(names);
    if (e) {
        gotk_buf_free(&b);
        return e;
    }
    *out = gotk_buf_steal(&b);
    return NULL;
}

static bool is_kind(json_object *o, const char *kind)
{
    const char *k = gotk_obj_get_str(o, "kind");
    return k && !strcmp(k, kind);
}

/* Wait until every CRD in `docs` reports Established. */
static gotk_err *wait_crds(gotk_kube_client *kube, json_object *docs, gotk_duration timeout)
{
    size_t n = json_object_array_length(docs);
    for (gotk_duration waited = 0;; waited += 100 * GOTK_MS) {
        bool all = true;
        for (size_t i = 0; i < n && all; i++) {
            json_object *d = json_object_array_get_idx(docs, i), *crd = NULL;
            if (!is_kind(d, "CustomResourceDefinition"))
                continue;
            gotk_kube_ref ref = {"apiextensions.k8s.io/v1", "CustomResourceDefinition", NULL,
                                 gotk_obj_get_str(d, "metadata.name")};
            gotk_err *e = gotk_kube_get(kube, &ref, NULL, &crd);
            all = !e && gotk_cond_is_true(crd, "Established");
            gotk_err_free(e);
            json_object_put(crd);
        }
        if (all)
            return NULL;
        if (waited >= timeout)
            return gotk_err_new(GOTK_E_IO, "timeout waiting for the CRDs to be established");
        struct timespec ts = {0, 100 * 1000000};
        nanosleep(&ts, NULL);
    }
}

/* Apply the documents for which first_pass(doc) == pass. */
static gotk_err *apply_pass(gotk_kube_client *kube, json_object *docs, bool pass,
                            const char *manager)
{
    size_t n = json_object_array_length(docs);
    for (size_t i = 0; i < n; i++) {
        json_object *d = json_object_array_get_idx(docs, i);
        bool first = is_kind(d, "Namespace") || is_kind(d, "CustomResourceDefinition");
        if (first != pass)
            continue;
        gotk_kube_opts o = {.field_manager = manager, .force = true};
        gotk_err *e = gotk_kube_apply(kube, d, &o, NULL);
        if (e)
            return gotk_err_wrap(e, "%s/%s apply failed", gotk_obj_get_str(d, "kind"),
                                 gotk_obj_get_str(d, "metadata.name"));
    }
    return NULL;
}

gotk_err *cli_apply_objects(gotk_kube_client *kube, json_object *docs, const char *manager,
                            gotk_duration timeout)
{
    gotk_err *e = apply_pass(kube, docs, true, manager);
    if (!e)
        e = wait_crds(kube, docs, timeout);
    if (!e)
        e = apply_pass(kube, docs, false, manager);
    return e;
}

gotk_err *cli_kube_open(const cli_globals *g, gotk_kube_client **out)
{
    gotk_kube_load_opts lo = {.kubeconfig = g->kubeconfig, .context = g->context};
    gotk_kube_config *cfg = NULL;
    gotk_err *e = gotk_kube_config_load(&lo, &cfg);
    if (!e && cfg->timeout <= 0)
        cfg->timeout = g->timeout;
    if (!e)
        e = gotk_kube_client_new(cfg, out);
    gotk_kube_config_free(cfg);
    return e;
}

/* gotk install [--components a,b] [--components-extra c] [--registry r] [--export] */
int cmd_install(int argc, char **argv)
{
    cli_globals g;
    cli_globals_default(&g);
    cli_components c;
    cli_components_default(&c);
    bool export_ = false;
    const cli_flag own[] = {
        {"components", 0, FLAG_STRINGS, &c.components, "list of components, accepts comma-separated values"},
        {"components-extra", 0, FLAG_STRINGS, &c.extra, "list of components in addition to those supplied or defaulted, accepts values such as 'image-reflector-controller,image-automation-controller'"},
        {"registry", 0, FLAG_STRING, &c.registry, "container registry where the toolkit images are published"},
        {"export", 0, FLAG_BOOL, &export_, "write the install manifests to stdout and exit"},
    };
    static const char help_text[] =
        "Install or upgrade gotk\n\nUsage:\n  gotk install [flags]\n\nExamples:\n"
        "  # Install the default components\n  gotk install\n\n"
        "  # Write the install manifests of a subset of components\n"
        "  gotk install --components=\"source-controller,kustomize-controller\" --export\n";
    cli_cmdline cl;
    gotk_err *e = cli_cmdline_parse(&cl, &g, own, sizeof own / sizeof own[0], argc - 1, argv + 1,
                                    help_text);
    bool help = cl.help;
    cli_cmdline_free(&cl);
    c.namespace_ = g.namespace_;
    int rc = 0;
    if (!e && !help && export_) {
        char *yaml = NULL;
        if (!(e = cli_components_yaml(&c, &yaml)))
            fputs(yaml, stdout);
        free(yaml);
    } else if (!e && !help) {
        e = cli_install_apply(&g, &c);
    }
    if (e)
        rc = cli_fail("%s", gotk_err_msg(e));
    gotk_err_free(e);
    cli_strings_free(&c.components);
    cli_strings_free(&c.extra);
    return rc;
}

/* Whether the API server is gotk-apiserver, which runs no pods (its version
 * says "+gotk"): there, Deployments are records and never roll out. */
static bool runs_no_pods(gotk_kube_client *kube)
{
    json_object *v = NULL;
    gotk_err *e = gotk_kube_do_json(kube, "GET", "/version", NULL, NULL, 0, &v);
    const char *gv = e ? NULL : gotk_obj_get_str(v, "gitVersion");
    bool gotk = gv && strstr(gv, "+gotk");
    gotk_err_free(e);
    json_object_put(v);
    return gotk;
}

/* kstatus for a Deployment: the current generation rolled out and available. */
static bool deployment_ready(json_object *d)
{
    int64_t gen = json_object_get_int64(gotk_obj_getp(d, "metadata.generation"));
    int64_t seen = json_object_get_int64(gotk_obj_getp(d, "status.observedGeneration"));
    json_object *r = gotk_obj_getp(d, "spec.replicas");
    int64_t want = r ? json_object_get_int64(r) : 1;
    return seen >= gen &&
           json_object_get_int64(gotk_obj_getp(d, "status.updatedReplicas")) >= want &&
           json_object_get_int64(gotk_obj_getp(d, "status.availableReplicas")) >= want;
}

/* flux's "verifying installation": wait until each Deployment is ready. */
static gotk_err *verify_deployments(gotk_kube_client *kube, json_object *docs,
                                    gotk_duration timeout)
{
    cli_wait_msg("verifying installation");
    size_t n = json_object_array_length(docs);
    for (size_t i = 0; i < n; i++) {
        json_object *d = json_object_array_get_idx(docs, i);
        if (!is_kind(d, "Deployment"))
            continue;
        const char *name = gotk_obj_get_str(d, "metadata.name");
        gotk_kube_ref ref = {"apps/v1", "Deployment", gotk_obj_get_str(d, "metadata.namespace"), name};
        for (gotk_duration waited = 0;; waited += GOTK_SECOND) {
            json_object *live = NULL;
            gotk_err *e = gotk_kube_get(kube, &ref, NULL, &live);
            bool ready = !e && deployment_ready(live);
            gotk_err_free(e);
            json_object_put(live);
            if (ready) {
                cli_ok("%s: deployment ready", name);
                break;
            }
            if (waited >= timeout)
                return gotk_err_new(GOTK_E_IO, "%s: deployment not ready after %lld seconds", name,
                                    (long long)(timeout / GOTK_SECOND));
            struct timespec ts = {1, 0};
            nanosleep(&ts, NULL);
        }
    }
    return NULL;
}

gotk_err *cli_install_apply(const cli_globals *g, const cli_components *c)
{
    cli_step("generating manifests");
    json_object *docs = NULL;
    gotk_err *e = cli_components_build(c, &docs, NULL);
    if (e)
        return e;
    cli_ok("manifests build completed");
    cli_step("installing components in \"%s\" namespace", c->namespace_);
    gotk_kube_client *kube = NULL;
    e = cli_kube_open(g, &kube);
    if (!e)
        e = cli_apply_objects(kube, docs, "gotk", g->timeout);
    const char *force = getenv("GOTK_INSTALL_VERIFY"); /* tests: verify on gotk-apiserver too */
    if (!e && !(force && *force == '1') && runs_no_pods(kube))
        cli_ok("gotk-apiserver runs no pods: the controllers run as processes (gotk dev up)");
    else if (!e)
        e = verify_deployments(kube, docs, g->timeout);
    if (!e)
        cli_ok("install finished");
    gotk_kube_client_free(kube);
    json_object_put(docs);
    return e;
}
