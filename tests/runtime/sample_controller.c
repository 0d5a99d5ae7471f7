/*
 * A minimal controller on the gotk runtime, for tests: it reconciles ConfigMaps
 * by writing the annotation gotk.test/reconciled-by=<pid> (merge patch) and an
 * Event, then asks to come back in an hour. It takes every common flag.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gotk/obj.h"
#include "gotk/runtime.h"

static gotk_err *reconcile(gotk_controller *c, const char *ns, const char *name,
                           gotk_result *res, void *ud)
{
    (void)ud;
    json_object *obj = gotk_informer_get(gotk_controller_informer(c), ns, name);
    if (!obj)
        return NULL; /* deleted */
    char pid[32];
    snprintf(pid, sizeof pid, "%d", (int)getpid());
    const char *have = gotk_obj_get_str(obj, "metadata.annotations.gotk.test/reconciled-by");
    (void)have; /* dotted paths cannot hold that key; read it directly */
    json_object *ann = gotk_obj_getp(obj, "metadata.annotations");
    json_object *cur = NULL;
    bool done = ann && json_object_object_get_ex(ann, "gotk.test/reconciled-by", &cur) &&
                !strcmp(json_object_get_string(cur), pid);
    gotk_err *e = NULL;
    if (!done) {
        json_object *patch = json_object_new_object();
        json_object *meta = json_object_new_object(), *a = json_object_new_object();
        json_object_object_add(a, "gotk.test/reconciled-by", json_object_new_string(pid));
        json_object_object_add(meta, "annotations", a);
        json_object_object_add(patch, "metadata", meta);
        gotk_kube_ref ref = {"v1", "ConfigMap", ns, name};
        e = gotk_kube_patch(gotk_controller_kube(c), &ref, GOTK_KUBE_PATCH_MERGE, patch, NULL,
                            NULL);
        json_object_put(patch);
        if (!e)
            gotk_event_record(gotk_controller_kube(c), obj, "sample-controller", false,
                              "Reconciled", "reconciled by the sample controller", NULL);
    }
    json_object_put(obj);
    res->requeue_after = GOTK_HOUR;
    return e;
}

int main(int argc, char **argv)
{
    gotk_runtime_opts o;
    gotk_runtime_opts_default(&o);
    bool help;
    gotk_err *e = gotk_runtime_parse_flags(argc, argv, &o, NULL, 0, &help);
    if (e || help) {
        if (e)
            fprintf(stderr, "%s\n", gotk_err_msg(e));
        gotk_err_free(e);
        return e ? 1 : 0;
    }
    gotk_log_setup(o.log_level, o.log_encoding, 2);
    gotk_controller_def def = {"sample-controller", "v1", "ConfigMap", reconcile, NULL};
    gotk_controller *c = NULL;
    if ((e = gotk_controller_new(&def, &o, &c))) {
        fprintf(stderr, "%s\n", gotk_err_msg(e));
        gotk_err_free(e);
        return 1;
    }
    int rc = gotk_controller_run(c);
    gotk_controller_free(c);
    return rc;
}
