/*
 * gotk create helmrelease: a HelmRelease built from flags as `flux create hr`
 * builds it — chart template from a HelmRepository/GitRepository/Bucket source
 * or a chartRef to an OCIRepository/HelmChart, values merged from local YAML
 * files, valuesFrom references, target and storage namespaces, dependsOn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "create.h"
#include "gotk/obj.h"

typedef struct {
    const char *release_name, *source, *chart, *chart_version, *chart_ref, *target_ns;
    const char *storage_ns, *sa, *crds, *strategy, *kubeconfig_secret;
    bool create_ns;
    cli_strings depends_on, values, values_from;
    gotk_duration chart_interval;
} hr_args;

/* Kind/name.namespace as utils.ParseObjectKindNameNamespace splits it (new strings). */
static void kind_name_ns(const char *in, char **kind, char **name, char **ns)
{
    const char *slash = strchr(in, '/');
    bool two = slash && !strchr(slash + 1, '/');
    *kind = two ? gotk_xstrndup(in, (size_t)(slash - in)) : gotk_xstrdup("");
    const char *n = two ? slash + 1 : in;
    const char *dot = strrchr(n, '.');
    *name = dot ? gotk_xstrndup(n, (size_t)(dot - n)) : gotk_xstrdup(n);
    *ns = gotk_xstrdup(dot ? dot + 1 : "");
}

/* The kind among `kinds` equal to `kind` ignoring case, or NULL. */
static const char *fold_kind(const char *kind, const char *const *kinds, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcasecmp(kind, kinds[i]))
            return kinds[i];
    return NULL;
}

/* --source: <kind>/<name>[.<namespace>] of a chart source kind. */
static gotk_err *check_source(const char *v)
{
    static const char *const kinds[] = {"HelmRepository", "GitRepository", "Bucket"};
    if (!v[strspn(v, " \t\n")])
        return gotk_err_new(GOTK_E_INVALID, "no helm chart source given, please specify source that "
                                            "contains the chart in the format '<kind>/<name>.<namespace>', "
                                            "where kind must be one of: (HelmRepository, GitRepository, Bucket)");
    char *kind, *name, *ns;
    kind_name_ns(v, &kind, &name, &ns);
    gotk_err *e = NULL;
    if (!*kind || !*name)
        e = gotk_err_new(GOTK_E_INVALID, "invalid helm chart source '%s', must be in format <kind>/<name>", v);
    else if (!fold_kind(kind, kinds, 3))
        e = gotk_err_new(GOTK_E_INVALID, "source kind '%s' is not supported, must be one of: "
                                         "HelmRepository, GitRepository, Bucket", kind);
    free(kind);
    free(name);
    free(ns);
    return e;
}

/* --crds: Skip, Create or CreateReplace. */
static gotk_err *check_crds(const char *v)
{
    if (!v[strspn(v, " \t\n")])
        return gotk_err_new(GOTK_E_INVALID, "no upgrade CRDs policy given, must be one of: Skip, Create, CreateReplace");
    if (strcmp(v, "Skip") && strcmp(v, "Create") && strcmp(v, "CreateReplace"))
        return gotk_err_new(GOTK_E_INVALID, "unsupported upgrade CRDs policy '%s', must be one of: "
                                            "Skip, Create, CreateReplace", v);
    return NULL;
}

/* {kind, name[, namespace]} from a Kind/name.namespace string whose kind is valid. */
static json_object *kind_ref(const char *kind, const char *v)
{
    char *k, *name, *ns;
    kind_name_ns(v, &k, &name, &ns);
    json_object *r = json_object_new_object();
    json_object_object_add(r, "kind", create_jstr(kind));
    json_object_object_add(r, "name", create_jstr(name));
    if (*ns)
        json_object_object_add(r, "namespace", create_jstr(ns));
    free(k);
    free(name);
    free(ns);
    return r;
}

/* Deep merge of `src` into `dst` (transform.MergeMaps: maps merge, the rest replaces). */
static void merge_maps(json_object *dst, json_object *src)
{
    json_object_object_foreach(src, k, v) {
        json_object *cur = json_object_object_get(dst, k);
        if (cur && json_object_is_type(cur, json_type_object) && json_object_is_type(v, json_type_object)) {
            merge_maps(cur, v);
            continue;
        }
        json_object_object_add(dst, k, json_object_get(v));
    }
}

/* spec.values from the --values files, merged in order. */
static gotk_err *hr_values(const cli_strings *files, json_object **out)
{
    json_object *values = json_object_new_object();
    for (size_t i = 0; i < files->n; i++) {
        char *data = NULL;
        size_t len = 0;
        json_object *doc = NULL;
        gotk_err *e = gotk_file_read(files->items[i], &data, &len);
        if (e) {
            json_object_put(values);
            gotk_err_free(e);
            return gotk_err_new(GOTK_E_INVALID, "reading values from %s failed: open %s: no such file or directory",
                                files->items[i], files->items[i]);
        }
        e = gotk_yaml_parse_one(data, len, files->items[i], &doc);
        free(data);
        if (!e && doc && !json_object_is_type(doc, json_type_object))
            e = gotk_err_new(GOTK_E_INVALID, "cannot unmarshal into a map");
        if (e) {
            json_object_put(values);
            json_object_put(doc);
            return gotk_err_wrap(e, "converting values to JSON from %s failed", files->items[i]);
        }
        if (doc)
            merge_maps(values, doc);
        json_object_put(doc);
    }
    *out = values;
    return NULL;
}

/* spec.valuesFrom from Kind/name entries. */
static gotk_err *hr_values_from(const cli_strings *refs, json_object **out)
{
    static const char *const kinds[] = {"Secret", "ConfigMap"};
    json_object *arr = json_object_new_array();
    for (size_t i = 0; i < refs->n; i++) {
        const char *v = refs->items[i];
        const char *slash = strchr(v, '/');
        if (!slash || strchr(slash + 1, '/') || slash == v) {
            json_object_put(arr);
            return gotk_err_new(GOTK_E_INVALID, "invalid Kubernetes object reference '%s', must be in format <kind>/<name>", v);
        }
        char *kind = gotk_xstrndup(v, (size_t)(slash - v));
        const char *clean = fold_kind(kind, kinds, 2);
        if (!clean) {
            gotk_err *e = gotk_err_new(GOTK_E_INVALID, "reference kind '%s' is not supported, must be one of: Secret, ConfigMap", kind);
            free(kind);
            json_object_put(arr);
            return e;
        }
        free(kind);
        json_object *r = json_object_new_object();
        json_object_object_add(r, "kind", create_jstr(clean));
        json_object_object_add(r, "name", create_jstr(slash + 1));
        json_object_array_add(arr, r);
    }
    *out = arr;
    return NULL;
}

/* spec.chart or spec.chartRef. */
static gotk_err *hr_chart(const hr_args *a, json_object *spec)
{
    if (a->chart && *a->chart) {
        static const char *const kinds[] = {"HelmRepository", "GitRepository", "Bucket"};
        char *kind, *name, *ns;
        kind_name_ns(a->source ? a->source : "", &kind, &name, &ns);
        const char *clean = fold_kind(kind, kinds, 3);
        json_object *cs = json_object_new_object();
        json_object_object_add(cs, "chart", create_jstr(a->chart));
        if (a->chart_version && *a->chart_version)
            json_object_object_add(cs, "version", create_jstr(a->chart_version));
        json_object *src = json_object_new_object();
        if (clean)
            json_object_object_add(src, "kind", create_jstr(clean));
        json_object_object_add(src, "name", create_jstr(name));
        if (*ns)
            json_object_object_add(src, "namespace", create_jstr(ns));
        json_object_object_add(cs, "sourceRef", src);
        if (a->chart_interval)
            json_object_object_add(cs, "interval", create_jduration(a->chart_interval));
        if (a->strategy && *a->strategy)
            json_object_object_add(cs, "reconcileStrategy", create_jstr(a->strategy));
        json_object *chart = json_object_new_object();
        json_object_object_add(chart, "spec", cs);
        json_object_object_add(spec, "chart", chart);
        free(kind);
        free(name);
        free(ns);
        return NULL;
    }
    static const char *const ref_kinds[] = {"OCIRepository", "HelmChart"};
    char *kind, *name, *ns;
    kind_name_ns(a->chart_ref, &kind, &name, &ns);
    bool ok = !strcmp(kind, ref_kinds[0]) || !strcmp(kind, ref_kinds[1]);
    gotk_err *e = ok ? NULL
                     : gotk_err_new(GOTK_E_INVALID, "chart reference kind '%s' is not supported, must be one of: "
                                                    "OCIRepository, HelmChart", kind);
    if (ok)
        json_object_object_add(spec, "chartRef", kind_ref(kind, a->chart_ref));
    free(kind);
    free(name);
    free(ns);
    return e;
}

/* The HelmRelease spec, or flux's error. */
static gotk_err *hr_spec(void *args, const create_args *ca, json_object **out)
{
    const hr_args *a = args;
    bool chart = a->chart && *a->chart, ref = a->chart_ref && *a->chart_ref;
    if (!chart && !ref)
        return gotk_err_new(GOTK_E_INVALID, "chart or chart-ref is required");
    if (chart && ref)
        return gotk_err_new(GOTK_E_INVALID, "cannot use --chart in combination with --chart-ref");
    if (strcmp(a->strategy, "ChartVersion") && strcmp(a->strategy, "Revision"))
        return gotk_err_new(GOTK_E_INVALID, "'%s' is an invalid reconcile strategy(valid: Revision, ChartVersion)",
                            a->strategy);
    json_object *spec = json_object_new_object();
    if (a->release_name && *a->release_name)
        json_object_object_add(spec, "releaseName", create_jstr(a->release_name));
    json_object_object_add(spec, "interval", create_jduration(ca->interval));
    if (a->target_ns && *a->target_ns)
        json_object_object_add(spec, "targetNamespace", create_jstr(a->target_ns));
    const char *storage = a->storage_ns && *a->storage_ns ? a->storage_ns : a->target_ns;
    if (storage && *storage)
        json_object_object_add(spec, "storageNamespace", create_jstr(storage));
    if (a->depends_on.n)
        json_object_object_add(spec, "dependsOn", create_depends_on(&a->depends_on));
    gotk_err *e = hr_chart(a, spec);
    if (!e && a->kubeconfig_secret && *a->kubeconfig_secret) {
        json_object *kc = json_object_new_object();
        json_object_object_add(kc, "secretRef", create_name_ref(a->kubeconfig_secret));
        json_object_object_add(spec, "kubeConfig", kc);
    }
    json_object *install = NULL;
    if (a->create_ns) {
        install = json_object_new_object();
        json_object_object_add(install, "createNamespace", json_object_new_boolean(1));
    }
    if (a->sa && *a->sa)
        json_object_object_add(spec, "serviceAccountName", create_jstr(a->sa));
    if (a->crds && *a->crds) {
        if (!install)
            install = json_object_new_object();
        json_object_object_add(install, "crds", create_jstr("Create"));
        json_object *upgrade = json_object_new_object();
        json_object_object_add(upgrade, "crds", create_jstr(a->crds));
        json_object_object_add(spec, "upgrade", upgrade);
    }
    if (install)
        json_object_object_add(spec, "install", install);
    json_object *values = NULL, *from = NULL;
    if (!e && a->values.n && !(e = hr_values(&a->values, &values)))
        json_object_object_add(spec, "values", values);
    if (!e && a->values_from.n && !(e = hr_values_from(&a->values_from, &from)))
        json_object_object_add(spec, "valuesFrom", from);
    if (e) {
        json_object_put(spec);
        return e;
    }
    *out = spec;
    return NULL;
}

/* gotk create helmrelease NAME. */
int create_helmrelease(int argc, char **argv)
{
    create_args ca = {.interval = GOTK_MINUTE};
    hr_args a = {.strategy = "ChartVersion"};
    const cli_flag own[] = {
        {"release-name", 0, FLAG_STRING, &a.release_name, "name used for the Helm release, defaults to a composition of '[<target-namespace>-]<HelmRelease-name>'"},
        {"source", 0, FLAG_STRING, &a.source, "source that contains the chart in the format '<kind>/<name>.<namespace>', where kind must be one of: (HelmRepository, GitRepository, Bucket)", check_source},
        {"chart", 0, FLAG_STRING, &a.chart, "Helm chart name or path"},
        {"chart-version", 0, FLAG_STRING, &a.chart_version, "Helm chart version, accepts a semver range (ignored for charts from GitRepository sources)"},
        {"depends-on", 0, FLAG_STRINGS, &a.depends_on, "HelmReleases that must be ready before this release can be installed, supported formats '<name>' and '<namespace>/<name>'"},
        {"target-namespace", 0, FLAG_STRING, &a.target_ns, "namespace to install this release, defaults to the HelmRelease namespace"},
        {"storage-namespace", 0, FLAG_STRING, &a.storage_ns, "namespace to store the Helm release, defaults to the target namespace"},
        {"create-target-namespace", 0, FLAG_BOOL, &a.create_ns, "create the target namespace if it does not exist"},
        {"service-account", 0, FLAG_STRING, &a.sa, "the name of the service account to impersonate when reconciling this HelmRelease"},
        {"reconcile-strategy", 0, FLAG_STRING, &a.strategy, "the reconcile strategy for helm chart created by the helm release(accepted values: Revision and ChartRevision)"},
        {"chart-interval", 0, FLAG_DURATION, &a.chart_interval, "the interval of which to check for new chart versions"},
        {"values", 0, FLAG_STRINGS, &a.values, "local path to values.yaml files, also accepts comma-separated values"},
        {"values-from", 0, FLAG_STRINGS, &a.values_from, "a Kubernetes object reference that contains the values.yaml data key in the format '<kind>/<name>', where kind must be one of: (Secret,ConfigMap)"},
        {"crds", 0, FLAG_STRING, &a.crds, "upgrade CRDs policy, available options are: (Skip, Create, CreateReplace)", check_crds},
        {"kubeconfig-secret-ref", 0, FLAG_STRING, &a.kubeconfig_secret, "the name of the Kubernetes Secret that contains a key with the kubeconfig file for connecting to a remote cluster"},
        {"chart-ref", 0, FLAG_STRING, &a.chart_ref, "the name of the HelmChart resource to use as source for the HelmRelease, in the format '<kind>/<name>.<namespace>', where kind must be one of: (OCIRepository,HelmChart)"},
    };
    static const char help[] =
        "The helmrelease create command generates a HelmRelease resource for a given HelmRepository source.\n\n"
        "Usage:\n  gotk create helmrelease [name] [flags]\n\nAliases:\n  helmrelease, hr\n\n"
        "Examples:\n  # Create a HelmRelease with a chart from a HelmRepository source\n"
        "  gotk create hr podinfo \\\n    --interval=10m \\\n    --source=HelmRepository/podinfo \\\n"
        "    --chart=podinfo \\\n    --chart-version=\">4.0.0\"\n\n"
        "  # Create a HelmRelease with values from local YAML files\n"
        "  gotk create hr podinfo \\\n    --source=HelmRepository/podinfo \\\n    --chart=podinfo \\\n"
        "    --values=./my-values1.yaml \\\n    --values=./my-values2.yaml\n\n"
        "  # Create a HelmRelease targeting another namespace than the resource\n"
        "  gotk create hr podinfo \\\n    --target-namespace=test \\\n    --create-target-namespace=true \\\n"
        "    --source=HelmRepository/podinfo \\\n    --chart=podinfo\n\n"
        "  # Create a HelmRelease using a chart from an OCIRepository resource\n"
        "  gotk create hr podinfo \\\n    --namespace=default \\\n    --chart-ref=OCIRepository/podinfo.flux-system\n";
    int rc = create_run(argc, argv, &ca, own, NFLAGS(own), help, "helm.toolkit.fluxcd.io/v2",
                        "HelmRelease", hr_spec, &a);
    cli_strings_free(&a.depends_on);
    cli_strings_free(&a.values);
    cli_strings_free(&a.values_from);
    return rc;
}
