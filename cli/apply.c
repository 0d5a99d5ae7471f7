/*
 * Creating objects on the cluster from the CLI, as `flux create` does without
 * --export: apply the object, then poll until its Ready condition says True (or
 * False with a message, or the timeout passes), printing flux's progress lines.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "gotk/kube.h"
#include "gotk/obj.h"
#include "gotk/runtime.h"

/* Ready=True (1), Ready=False for the current generation (-1), or not yet (0). */
static int ready_state(json_object *obj, const char **message)
{
    json_object *c = gotk_cond_get(obj, "Ready");
    const char *status = gotk_obj_get_str(c, "status");
    *message = gotk_obj_get_str(c, "message");
    int64_t gen = json_object_get_int64(gotk_obj_getp(obj, "metadata.generation"));
    int64_t seen = json_object_get_int64(gotk_obj_getp(obj, "status.observedGeneration"));
    if (!status || seen < gen)
        return 0;
    if (!strcmp(status, "True"))
        return 1;
    return !strcmp(status, "False") && !gotk_cond_is_true(obj, "Reconciling") ? -1 : 0;
}

/* Poll every 500ms until Ready is decided or the timeout passes. */
static int wait_ready(const cli_globals *g, gotk_kube_client *kube, const gotk_kube_ref *ref)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        json_object *obj = NULL;
        gotk_err *e = gotk_kube_get(kube, ref, NULL, &obj);
        const char *msg = NULL;
        int st = e ? 0 : ready_state(obj, &msg);
        if (st == 1) {
            cli_ok("%s reconciliation completed", ref->kind);
            const char *rev = gotk_obj_get_str(obj, "status.artifact.revision");
            if (!rev)
                rev = gotk_obj_get_str(obj, "status.lastAppliedRevision");
            if (rev)
                cli_ok("fetched revision: %s", rev);
        }
        int rc = st == 1 ? 0 : st == -1 ? cli_fail("%s", msg ? msg : "reconciliation failed") : -1;
        gotk_err_free(e);
        json_object_put(obj);
        if (rc >= 0)
            return rc;
        clock_gettime(CLOCK_MONOTONIC, &now);
        gotk_duration spent = (now.tv_sec - start.tv_sec) * GOTK_SECOND + (now.tv_nsec - start.tv_nsec);
        if (spent >= g->timeout)
            return cli_fail("timeout waiting for %s to become ready", ref->kind);
        struct timespec ts = {0, 500 * 1000000};
        nanosleep(&ts, NULL);
    }
}

int cli_apply_and_wait(const cli_globals *g, json_object *obj)
{
    gotk_kube_client *kube = NULL;
    gotk_err *e = cli_kube_open(g, &kube);
    if (e) {
        int rc = cli_fail("%s", gotk_err_msg(e));
        gotk_err_free(e);
        return rc;
    }
    const char *kind = gotk_obj_get_str(obj, "kind");
    cli_step("applying %s", kind);
    gotk_kube_opts o = {.field_manager = "gotk", .force = true};
    e = gotk_kube_apply(kube, obj, &o, NULL);
    int rc;
    if (e) {
        rc = cli_fail("%s", gotk_err_msg(e));
        gotk_err_free(e);
    } else {
        cli_ok("%s created", kind);
        cli_wait_msg("waiting for %s reconciliation", kind);
        gotk_kube_ref ref = {gotk_obj_get_str(obj, "apiVersion"), kind,
                             gotk_obj_get_str(obj, "metadata.namespace"),
                             gotk_obj_get_str(obj, "metadata.name")};
        rc = wait_ready(g, kube, &ref);
    }
    gotk_kube_client_free(kube);
    return rc;
}
