/*
 * kustomize-controller: reconciles kustomize.toolkit.fluxcd.io Kustomizations,
 * as Flux's kustomize-controller does (see kustomization.c for the reconciler).
 *
 * main() parses the runtime's common flags and Flux's own
 * (--no-cross-namespace-refs, --default-service-account, --http-retry,
 * --feature-gates=StrictPostBuildSubstitutions=true), makes a temporary
 * directory for the shared artifact cache and the per-reconcile work trees,
 * watches the source kinds so that a new artifact revision enqueues the
 * Kustomizations that use it, and runs the controller until SIGTERM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gotk/obj.h"
#include "kc.h"

gotk_err *kc_reconcile(gotk_controller *c, const char *ns, const char *name, gotk_result *res,
                       void *ud);

typedef struct {
    kc_state *st;
    const char *kind;
} source_watch;

/* A source's artifact changed: enqueue every Kustomization that references it. */
static void on_source(gotk_kube_event type, json_object *obj, json_object *old, void *ud)
{
    source_watch *w = ud;
    if (type == GOTK_KUBE_DELETED || type == GOTK_KUBE_BOOKMARK)
        return;
    const char *rev = gotk_obj_get_str(obj, "status.artifact.revision");
    const char *was = old ? gotk_obj_get_str(old, "status.artifact.revision") : NULL;
    const char *dg = gotk_obj_get_str(obj, "status.artifact.digest");
    const char *dg0 = old ? gotk_obj_get_str(old, "status.artifact.digest") : NULL;
    if (!rev || (was && !strcmp(rev, was) && (!dg || (dg0 && !strcmp(dg, dg0)))))
        return;
    const char *sns = gotk_obj_get_str(obj, "metadata.namespace");
    const char *sname = gotk_obj_get_str(obj, "metadata.name");
    json_object *all = gotk_informer_list(gotk_controller_informer(w->st->ctrl));
    for (size_t i = 0; all && i < json_object_array_length(all); i++) {
        json_object *k = json_object_array_get_idx(all, i);
        const char *kind = gotk_obj_get_str(k, "spec.sourceRef.kind");
        const char *name = gotk_obj_get_str(k, "spec.sourceRef.name");
        const char *ns = gotk_obj_get_str(k, "spec.sourceRef.namespace");
        const char *kns = gotk_obj_get_str(k, "metadata.namespace");
        if (!ns || !*ns)
            ns = kns;
        if (kind && !strcmp(kind, w->kind) && name && !strcmp(name, sname) && ns && sns &&
            !strcmp(ns, sns))
            gotk_controller_enqueue(w->st->ctrl, kns, gotk_obj_get_str(k, "metadata.name"));
    }
    json_object_put(all);
}

/* --feature-gates: only StrictPostBuildSubstitutions matters here. */
static gotk_err *flag_feature_gates(const char *value, void *target)
{
    bool *strict = target;
    char *copy = gotk_xstrdup(value ? value : "");
    char *save = NULL;
    gotk_err *e = NULL;
    for (char *g = strtok_r(copy, ",", &save); g && !e; g = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(g, '=');
        if (!eq) {
            e = gotk_err_new(GOTK_E_INVALID, "missing bool value for %s", g);
            break;
        }
        *eq = '\0';
        bool on = !strcmp(eq + 1, "true");
        if (!on && strcmp(eq + 1, "false"))
            e = gotk_err_new(GOTK_E_INVALID, "invalid value of %s: %s", g, eq + 1);
        else if (!strcmp(g, "StrictPostBuildSubstitutions"))
            *strict = on;
    }
    free(copy);
    return e;
}

/* Flags, the cache directory, source watches, then the controller loop. */
int main(int argc, char **argv)
{
    gotk_runtime_opts o;
    gotk_runtime_opts_default(&o);
    kc_state st = {.http_retry = 9};
    const char *gates = NULL;
    gotk_flag extra[] = {
        {"no-cross-namespace-refs", "When set to true, references between custom resources "
                                    "are allowed only if the reference and the referee are in "
                                    "the same namespace.",
         true, gotk_flag_bool, &st.no_cross_namespace_refs},
        {"default-service-account", "Default service account used for impersonation.", false,
         gotk_flag_string, &st.default_service_account},
        {"http-retry", "The maximum number of retries when failing to fetch artifacts over "
                       "HTTP.",
         false, gotk_flag_int, &st.http_retry},
        {"feature-gates", "A comma separated list of key=value pairs defining the state of "
                          "experimental features.",
         false, gotk_flag_string, &gates},
    };
    bool help = false;
    gotk_err *e = gotk_runtime_parse_flags(argc, argv, &o, extra, sizeof extra / sizeof *extra,
                                           &help);
    if (!e && gates)
        e = flag_feature_gates(gates, &st.strict_substitutions);
    if (e || help) {
        if (e)
            fprintf(stderr, "%s\n", gotk_err_msg(e));
        gotk_err_free(e);
        return e ? 1 : 0;
    }
    gotk_log_setup(o.log_level, o.log_encoding, 2);
    char *base = NULL;
    if ((e = gotk_file_temp_dir("kustomize-controller", &base))) {
        fprintf(stderr, "%s\n", gotk_err_msg(e));
        gotk_err_free(e);
        return 1;
    }
    char *cache_dir = gotk_xasprintf("%s/artifacts", base);
    gotk_err_free(gotk_file_mkdir_all(cache_dir, 0700));
    st.cache = kc_cache_new(cache_dir, 16);
    st.work_root = base;
    gotk_controller_def def = {KC_NAME, KC_API_VERSION, "Kustomization", kc_reconcile, &st};
    int rc = 1;
    if ((e = gotk_controller_new(&def, &o, &st.ctrl))) {
        gotk_log(GOTK_LOG_ERROR, NULL, "unable to create controller", "error", gotk_err_msg(e),
                 (char *)NULL);
        gotk_err_free(e);
    } else {
        source_watch watches[] = {{&st, "GitRepository"}, {&st, "OCIRepository"}, {&st, "Bucket"}};
        for (size_t i = 0; i < 3; i++)
            gotk_controller_watch(st.ctrl, "source.toolkit.fluxcd.io/v1", watches[i].kind,
                                  on_source, &watches[i]);
        rc = gotk_controller_run(st.ctrl);
        gotk_controller_free(st.ctrl);
    }
    kc_cache_free(st.cache);
    gotk_err_free(gotk_file_remove_all(base));
    free(cache_dir);
    free(base);
    return rc;
}
