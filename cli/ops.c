/*
 * gotk reconcile | suspend | resume | delete | export: the verbs that act on one
 * Flux object (or all of a kind in a namespace), with flux's messages.
 *
 * reconcile sets reconcile.fluxcd.io/requestedAt to the current time and waits
 * until status.lastHandledReconcileAt echoes it and Ready is decided, then prints
 * the revision the controller reports; --with-source does the same to the
 * object's source first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "gotk/obj.h"
#include "gotk/runtime.h"
#include "kinds.h"

/* The kind words at the start of argv; fails with flux's wording when unknown. */
static const cli_kind *verb_kind(const char *verb, int argc, char **argv, int *used)
{
    const cli_kind *k = cli_kind_from_words(argc, argv, used);
    if (!k)
        cli_fail("unknown command \"%s\" for \"gotk %s\"", argc > 0 ? argv[0] : "", verb);
    return k;
}

/* Current time as Go's time.RFC3339Nano (UTC). */
static void now_rfc3339nano(char out[64])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 64, "%Y-%m-%dT%H:%M:%S", &tm);
    if (ts.tv_nsec) {
        char frac[16];
        snprintf(frac, sizeof frac, ".%09ld", ts.tv_nsec);
        size_t l = strlen(frac);
        while (l > 1 && frac[l - 1] == '0')
            frac[--l] = '\0';
        n += (size_t)snprintf(out + n, 64 - n, "%s", frac);
    }
    snprintf(out + n, 64 - n, "Z");
}

/* Milliseconds on the monotonic clock. */
static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What flux prints when an object is reconciled (its successMessage). New string. */
static char *success_message(const cli_kind *k, json_object *obj)
{
    const char *rev = gotk_obj_get_str(obj, "status.artifact.revision");
    const char *type = gotk_obj_get_str(obj, "spec.type");
    const char *status, *msg;
    cli_ready(obj, &status, &msg);
    if (!strcmp(k->kind, "HelmRepository") && type && !strcmp(type, "oci"))
        return gotk_xstrdup(msg);
    if (k->cols == COL_ARTIFACT || k->cols == COL_CHART)
        return gotk_xasprintf("fetched revision %s", rev ? rev : "");
    if (k->cols == COL_APPLIED)
        return gotk_xasprintf("applied revision %s", (rev = gotk_obj_get_str(obj, "status.lastAppliedRevision")) ? rev : "");
    if (k->cols == COL_RELEASE) {
        json_object *h = gotk_obj_getp(obj, "status.history");
        rev = h && json_object_array_length(h) ? gotk_obj_get_str(json_object_array_get_idx(h, 0), "chartVersion")
                                               : gotk_obj_get_str(obj, "status.lastAttemptedRevision");
        return gotk_xasprintf("applied revision %s", rev ? rev : "");
    }
    if (k->cols == COL_SCAN)
        return gotk_xasprintf("scan fetched %d tags",
                              json_object_get_int(gotk_obj_getp(obj, "status.lastScanResult.tagCount")));
    if (k->cols == COL_POLICY) {
        const char *n = gotk_obj_get_str(obj, "status.latestRef.name"), *t = gotk_obj_get_str(obj, "status.latestRef.tag");
        const char *d = gotk_obj_get_str(obj, "status.latestRef.digest");
        return gotk_xasprintf("selected ref %s:%s%s%s", n ? n : "", t ? t : "", d ? "@" : "", d ? d : "");
    }
    if (gotk_cond_get(obj, "Ready"))
        return gotk_xstrdup(msg);
    const char *run = gotk_obj_get_str(obj, "status.lastAutomationRunTime");
    return run ? gotk_xasprintf("last run %s", run) : gotk_xstrdup("automation not yet run");
}

/* kstatus, as far as flux's waits need it: 1 Current, 0 InProgress, -1 Failed. */
static int kstatus(json_object *obj, const char **msg)
{
    int64_t gen = json_object_get_int64(gotk_obj_getp(obj, "metadata.generation"));
    int64_t seen = json_object_get_int64(gotk_obj_getp(obj, "status.observedGeneration"));
    json_object *ready = gotk_cond_get(obj, "Ready");
    const char *st = ready ? gotk_obj_get_str(ready, "status") : NULL;
    *msg = ready ? gotk_obj_get_str(ready, "message") : NULL;
    if (!*msg)
        *msg = "";
    if ((gen && seen < gen) || !st || gotk_cond_is_true(obj, "Reconciling") || !strcmp(st, "Unknown"))
        return 0;
    if (gotk_cond_is_true(obj, "Stalled"))
        return -1;
    return 1;
}

/* Poll `ref` until `done` says so or the timeout passes; *out gets the object. */
static gotk_err *poll_until(gotk_kube_client *kube, const gotk_kube_ref *ref, gotk_duration timeout,
                            bool (*done)(json_object *, void *), void *ud, json_object **out)
{
    long long deadline = mono_ms() + timeout / GOTK_MS;
    for (;;) {
        json_object *obj = NULL;
        gotk_err *e = gotk_kube_get(kube, ref, NULL, &obj);
        if (e)
            return e;
        if (done(obj, ud)) {
            *out = obj;
            return NULL;
        }
        json_object_put(obj);
        if (mono_ms() >= deadline)
            return gotk_err_new(GOTK_E_KUBE_TIMEOUT, "context deadline exceeded");
        usleep(200 * 1000);
    }
}

/* The reconcile request was handled and the outcome is known. */
static bool handled(json_object *obj, void *ud)
{
    const char *at = gotk_obj_get_str(obj, "status.lastHandledReconcileAt");
    const char *msg;
    return at && !strcmp(at, ud) && kstatus(obj, &msg) != 0;
}

/* HelmRelease's --force and --reset: extra request annotations. */
typedef struct {
    bool force, reset;
} reconcile_extra;

/* The merge patch setting requestedAt (and forceAt/resetAt) to `ts`. */
static json_object *request_patch(const char *ts, const reconcile_extra *x)
{
    json_object *ann = json_object_new_object();
    json_object_object_add(ann, "reconcile.fluxcd.io/requestedAt", json_object_new_string(ts));
    if (x && x->force)
        json_object_object_add(ann, "reconcile.fluxcd.io/forceAt", json_object_new_string(ts));
    if (x && x->reset)
        json_object_object_add(ann, "reconcile.fluxcd.io/resetAt", json_object_new_string(ts));
    json_object *meta = json_object_new_object(), *patch = json_object_new_object();
    json_object_object_add(meta, "annotations", ann);
    json_object_object_add(patch, "metadata", meta);
    return patch;
}

/* Annotate one object and wait for its reconciliation (flux's reconcileCommand.run). */
static gotk_err *reconcile_one(gotk_kube_client *kube, const cli_kind *k, const char *ns, const char *name,
                               gotk_duration timeout, const reconcile_extra *x)
{
    gotk_kube_ref ref = {k->api_version, k->kind, ns, name};
    json_object *obj = NULL;
    gotk_err *e = gotk_kube_get(kube, &ref, NULL, &obj);
    if (e)
        return e;
    bool suspended = json_object_get_boolean(gotk_obj_getp(obj, "spec.suspend"));
    const char *type = gotk_obj_get_str(obj, "spec.type");
    bool is_static = !strcmp(k->kind, "HelmRepository") && type && !strcmp(type, "oci");
    json_object_put(obj);
    if (is_static) {
        cli_ok("reconciliation not supported by the object");
        return NULL;
    }
    if (suspended)
        return gotk_err_new(GOTK_E_INVALID, "resource is suspended");
    cli_step("annotating %s %s in %s namespace", k->kind, name, ns);
    char ts[64];
    now_rfc3339nano(ts);
    json_object *patch = request_patch(ts, x);
    e = gotk_kube_patch(kube, &ref, GOTK_KUBE_PATCH_MERGE, patch, NULL, NULL);
    json_object_put(patch);
    if (e)
        return e;
    cli_ok("%s annotated", k->kind);
    cli_wait_msg("waiting for %s reconciliation", k->kind);
    obj = NULL;
    e = poll_until(kube, &ref, timeout, handled, ts, &obj);
    if (e)
        return e;
    const char *status, *msg;
    cli_ready(obj, &status, &msg);
    if (!gotk_cond_get(obj, "Ready"))
        e = gotk_err_new(GOTK_E_INVALID, "status can't be determined");
    else if (strcmp(status, "True"))
        e = gotk_err_new(GOTK_E_INVALID, "%s reconciliation failed: '%s'", k->kind, msg);
    if (!e) {
        char *m = success_message(k, obj);
        cli_ok("%s", m);
        free(m);
    }
    json_object_put(obj);
    return e;
}

/* --with-source: reconcile the object's source (and a HelmRelease's HelmChart) first. */
static gotk_err *reconcile_source_of(gotk_kube_client *kube, const cli_kind *k, const char *ns,
                                     const char *name, gotk_duration timeout)
{
    gotk_kube_ref ref = {k->api_version, k->kind, ns, name};
    json_object *obj = NULL;
    gotk_err *e = gotk_kube_get(kube, &ref, NULL, &obj);
    if (e)
        return e;
    json_object *src = gotk_obj_getp(obj, "spec.sourceRef");
    bool chart = false;
    if (!strcmp(k->kind, "HelmRelease")) {
        src = gotk_obj_getp(obj, "spec.chartRef");
        if (!src && (src = gotk_obj_getp(obj, "spec.chart.spec.sourceRef")))
            chart = true;
    }
    const char *skind = gotk_obj_get_str(src, "kind"), *sname = gotk_obj_get_str(src, "name");
    const char *sns = gotk_obj_get_str(src, "namespace");
    if (!sns)
        sns = ns;
    const cli_kind *sk = skind ? cli_kind_by_name(skind) : NULL;
    if (!sk || !sname)
        e = gotk_err_new(GOTK_E_INVALID, "cannot reconcile source of kind %s", skind ? skind : "(none)");
    else
        e = reconcile_one(kube, sk, sns, sname, timeout, NULL);
    if (!e && chart) {
        char *hc = gotk_xasprintf("%s-%s", ns, name);
        e = reconcile_one(kube, cli_kind_by_name("HelmChart"), sns, hc, timeout, NULL);
        free(hc);
    }
    json_object_put(obj);
    return e;
}

/* gotk reconcile KIND NAME [--with-source]. */
int cmd_reconcile(int argc, char **argv)
{
    argc--, argv++;
    if (argc < 1 || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
        fputs("The reconcile sub-commands trigger a reconciliation of sources and resources.\n\n"
              "Usage:\n  gotk reconcile [command]\n\nAvailable Commands:\n"
              "  helmrelease   Reconcile a HelmRelease resource\n"
              "  image         Reconcile image automation objects\n"
              "  kustomization Reconcile a Kustomization resource\n"
              "  source        Reconcile sources\n\n"
              "Examples:\n  # Trigger a reconciliation of a Kustomization and its source\n"
              "  gotk reconcile kustomization podinfo --with-source\n", argc < 1 ? stderr : stdout);
        return argc < 1;
    }
    int used;
    const cli_kind *k = verb_kind("reconcile", argc, argv, &used);
    if (!k)
        return 1;
    cli_globals g;
    cli_globals_default(&g);
    bool with_source = false;
    reconcile_extra x = {false, false};
    cli_flag own[3];
    size_t n = 0;
    if (!strcmp(k->kind, "Kustomization") || !strcmp(k->kind, "HelmRelease"))
        own[n++] = (cli_flag){"with-source", 0, FLAG_BOOL, &with_source, "reconcile the source as well"};
    if (!strcmp(k->kind, "HelmRelease")) {
        own[n++] = (cli_flag){"force", 0, FLAG_BOOL, &x.force, "force a one-off install or upgrade of the HelmRelease resource"};
        own[n++] = (cli_flag){"reset", 0, FLAG_BOOL, &x.reset, "reset the retry counter for the HelmRelease resource"};
    }
    char *help = gotk_xasprintf("The reconcile %s command triggers a reconciliation of a %s resource and waits "
                                "for it to finish.\n\nUsage:\n  gotk reconcile %s [name] [flags]\n\n"
                                "Examples:\n  # Trigger a reconciliation for an existing object\n"
                                "  gotk reconcile %s podinfo\n", k->human, k->kind, k->human, k->human);
    cli_cmdline cl;
    gotk_err *e = cli_cmdline_parse(&cl, &g, own, n, argc - used, argv + used, help);
    free(help);
    gotk_kube_client *kube = NULL;
    if (!e && !cl.help && cl.npos < 1)
        e = gotk_err_new(GOTK_E_INVALID, "%s name is required", k->kind);
    if (!e && !cl.help)
        e = cli_kube_open(&g, &kube);
    if (!e && !cl.help && with_source)
        e = reconcile_source_of(kube, k, g.namespace_, cl.pos[0], g.timeout);
    if (!e && !cl.help)
        e = reconcile_one(kube, k, g.namespace_, cl.pos[0], g.timeout, &x);
    int rc = e ? cli_fail_err(e) : 0;
    gotk_kube_client_free(kube);
    cli_cmdline_free(&cl);
    return rc;
}

/* ---- suspend / resume ------------------------------------------------------------- */

/* The names to act on: the arguments, or with --all every object of the kind. */
static gotk_err *target_names(gotk_kube_client *kube, const cli_kind *k, const char *ns, bool all,
                              const cli_cmdline *cl, json_object **names)
{
    *names = json_object_new_array();
    if (!all) {
        for (int i = 0; i < cl->npos; i++)
            json_object_array_add(*names, json_object_new_string(cl->pos[i]));
        return NULL;
    }
    json_object *list = NULL;
    gotk_err *e = gotk_kube_list(kube, k->api_version, k->kind, ns, NULL, &list);
    json_object *items = e ? NULL : gotk_obj_getp(list, "items");
    for (size_t i = 0; items && i < json_object_array_length(items); i++)
        json_object_array_add(*names, json_object_new_string(
                                          gotk_obj_get_str(json_object_array_get_idx(items, i), "metadata.name")));
    json_object_put(list);
    return e;
}

/* Merge-patch spec.suspend. */
static gotk_err *set_suspend(gotk_kube_client *kube, const gotk_kube_ref *ref, bool suspend)
{
    json_object *patch = NULL;
    const char *body = suspend ? "{\"spec\":{\"suspend\":true}}" : "{\"spec\":{\"suspend\":null}}";
    gotk_json_parse(body, strlen(body), &patch);
    gotk_err *e = gotk_kube_patch(kube, ref, GOTK_KUBE_PATCH_MERGE, patch, NULL, NULL);
    json_object_put(patch);
    return e;
}

/* Ready=True for the current generation (isObjectReadyConditionFunc). */
static bool ready_now(json_object *obj, void *ud)
{
    (void)ud;
    const char *msg;
    return kstatus(obj, &msg) != 0;
}

/* Wait for a resumed object; prints flux's completion lines. Returns false on failure. */
static bool resume_wait(gotk_kube_client *kube, const cli_kind *k, const char *ns, const char *name,
                        gotk_duration timeout)
{
    gotk_kube_ref ref = {k->api_version, k->kind, ns, name};
    json_object *obj = NULL;
    gotk_err *e = poll_until(kube, &ref, timeout, ready_now, NULL, &obj);
    const char *status = "", *msg = "";
    if (!e) {
        cli_ready(obj, &status, &msg);
        if (strcmp(status, "True"))
            e = gotk_err_new(GOTK_E_INVALID, "%s", msg);
    }
    if (e) {
        cli_fail("%s %s reconciliation failed: %s", k->kind, name, gotk_err_msg(e));
        gotk_err_free(e);
        json_object_put(obj);
        return false;
    }
    cli_ok("%s %s reconciliation completed", k->kind, name);
    char *m = success_message(k, obj);
    cli_ok("%s", m);
    free(m);
    json_object_put(obj);
    return true;
}

/* suspend (resume = false) or resume every target. */
static int suspend_resume(int argc, char **argv, bool resume)
{
    const char *verb = resume ? "resume" : "suspend";
    argc--, argv++;
    int used;
    const cli_kind *k = argc > 0 && strcmp(argv[0], "--help") && strcmp(argv[0], "-h")
                            ? verb_kind(verb, argc, argv, &used) : NULL;
    if (!k && argc > 0 && strcmp(argv[0], "--help") && strcmp(argv[0], "-h"))
        return 1;
    if (!k) {
        printf("The %s sub-commands %s the reconciliation of a resource.\n\nUsage:\n  gotk %s [command]\n\n"
               "Available Commands:\n  helmrelease\n  image\n  kustomization\n  source\n\n"
               "Examples:\n  gotk %s kustomization podinfo\n", verb, resume ? "resume" : "suspend", verb, verb);
        return argc < 1;
    }
    cli_globals g;
    cli_globals_default(&g);
    bool all = false, wait = true;
    const cli_flag own[] = {
        {"all", 0, FLAG_BOOL, &all, resume ? "resume all resources in that namespace" : "suspend all resources in that namespace"},
        {"wait", 0, FLAG_BOOL, &wait, "waits for one resource to reconcile before moving to the next one"},
    };
    char *help = gotk_xasprintf("The %s %s command %ss the reconciliation of a %s resource.\n\n"
                                "Usage:\n  gotk %s %s [name] [flags]\n\nExamples:\n  gotk %s %s podinfo\n",
                                verb, k->human, verb, k->kind, verb, k->human, verb, k->human);
    cli_cmdline cl;
    gotk_err *e = cli_cmdline_parse(&cl, &g, own, resume ? 2 : 1, argc - used, argv + used, help);
    free(help);
    gotk_kube_client *kube = NULL;
    json_object *names = NULL;
    if (!e && !cl.help && cl.npos < 1 && !all)
        e = gotk_err_new(GOTK_E_INVALID, "%s name is required", k->human);
    if (!e && !cl.help)
        e = cli_kube_open(&g, &kube);
    if (!e && !cl.help)
        e = target_names(kube, k, g.namespace_, all, &cl, &names);
    int rc = 0, failed = 0;
    bool should_wait = resume && (cli_flag_given(cl.flags, cl.nflags, "wait") ? wait : cl.npos == 1);
    for (size_t i = 0; !e && names && i < json_object_array_length(names); i++) {
        const char *name = json_object_get_string(json_object_array_get_idx(names, i));
        gotk_kube_ref ref = {k->api_version, k->kind, g.namespace_, name};
        json_object *obj = NULL;
        gotk_err *ge = gotk_kube_get(kube, &ref, NULL, &obj);
        json_object_put(obj);
        if (ge) {
            cli_fail("%s %s not found in %s namespace", k->kind, name, g.namespace_);
            gotk_err_free(ge);
            rc = 1;
            continue;
        }
        cli_step("%s %s %s in %s namespace", resume ? "resuming" : "suspending", k->human, name, g.namespace_);
        e = set_suspend(kube, &ref, !resume);
        if (!e)
            cli_ok("%s %s", k->human, resume ? "resumed" : "suspended");
        if (!e && should_wait) {
            cli_wait_msg("waiting for %s reconciliation", k->kind);
            failed += !resume_wait(kube, k, g.namespace_, name, g.timeout);
        }
    }
    if (!e && failed)
        e = gotk_err_new(GOTK_E_INVALID, "reconciliation failed for %d %s(s)", failed, k->kind);
    if (e)
        rc = cli_fail_err(e);
    json_object_put(names);
    gotk_kube_client_free(kube);
    cli_cmdline_free(&cl);
    return rc;
}

/* gotk suspend KIND NAME... [--all]. */
int cmd_suspend(int argc, char **argv)
{
    return suspend_resume(argc, argv, false);
}

/* gotk resume KIND NAME... [--all] [--wait]. */
int cmd_resume(int argc, char **argv)
{
    return suspend_resume(argc, argv, true);
}

/* ---- delete ------------------------------------------------------------------------ */

/* flux asks "Are you sure you want to delete this <kind>"; without a terminal the
 * prompt fails and flux aborts. */
static bool confirm(const cli_kind *k)
{
    if (!isatty(STDIN_FILENO))
        return false;
    fprintf(stderr, "? Are you sure you want to delete this %s? [y/N] ", k->human);
    char line[16] = "";
    if (!fgets(line, sizeof line, stdin))
        return false;
    return line[0] == 'y' || line[0] == 'Y';
}

/* gotk delete KIND NAME [--silent]. */
int cmd_delete(int argc, char **argv)
{
    argc--, argv++;
    if (argc < 1 || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
        fputs("The delete sub-commands delete sources and resources.\n\nUsage:\n  gotk delete [command]\n\n"
              "Available Commands:\n  helmrelease\n  image\n  kustomization\n  source\n\n"
              "Examples:\n  # Delete a Kustomization without asking\n  gotk delete kustomization podinfo --silent\n",
              argc < 1 ? stderr : stdout);
        return argc < 1;
    }
    int used;
    const cli_kind *k = verb_kind("delete", argc, argv, &used);
    if (!k)
        return 1;
    cli_globals g;
    cli_globals_default(&g);
    bool silent = false;
    const cli_flag own[] = {{"silent", 's', FLAG_BOOL, &silent, "delete resource without asking for confirmation"}};
    char *help = gotk_xasprintf("The delete %s command deletes the given %s from the cluster.\n\n"
                                "Usage:\n  gotk delete %s [name] [flags]\n\nExamples:\n"
                                "  gotk delete %s podinfo --silent\n", k->human, k->kind, k->human, k->human);
    cli_cmdline cl;
    gotk_err *e = cli_cmdline_parse(&cl, &g, own, 1, argc - used, argv + used, help);
    free(help);
    gotk_kube_client *kube = NULL;
    if (!e && !cl.help && cl.npos < 1)
        e = gotk_err_new(GOTK_E_INVALID, "%s name is required", k->human);
    if (!e && !cl.help)
        e = cli_kube_open(&g, &kube);
    gotk_kube_ref ref = {k->api_version, k->kind, g.namespace_, cl.npos > 0 ? cl.pos[0] : NULL};
    if (!e && !cl.help)
        e = gotk_kube_get(kube, &ref, NULL, NULL);
    if (!e && !cl.help && !silent && !confirm(k))
        e = gotk_err_new(GOTK_E_INVALID, "aborting");
    if (!e && !cl.help) {
        cli_step("deleting %s %s in %s namespace", k->human, ref.name, g.namespace_);
        e = gotk_kube_delete(kube, &ref, NULL, NULL);
        if (!e)
            cli_ok("%s deleted", k->human);
    }
    int rc = e ? cli_fail_err(e) : 0;
    gotk_kube_client_free(kube);
    cli_cmdline_free(&cl);
    return rc;
}

/* ---- export -------------------------------------------------------------------------- */

/* The object as flux exports it: apiVersion, kind, metadata (name, namespace,
 * labels, annotations) and spec. */
static void print_exported(json_object *obj)
{
    json_object *out = json_object_new_object();
    json_object_object_add(out, "apiVersion", json_object_get(json_object_object_get(obj, "apiVersion")));
    json_object_object_add(out, "kind", json_object_get(json_object_object_get(obj, "kind")));
    json_object *meta = json_object_new_object();
    static const char *const keep[] = {"name", "namespace", "labels", "annotations"};
    for (size_t i = 0; i < 4; i++) {
        json_object *v = gotk_obj_get(obj, "metadata", keep[i], NULL);
        if (v)
            json_object_object_add(meta, keep[i], json_object_get(v));
    }
    json_object_object_add(out, "metadata", meta);
    json_object *spec = json_object_object_get(obj, "spec");
    if (spec)
        json_object_object_add(out, "spec", json_object_get(spec));
    char *y = gotk_yaml_to_string(out, GOTK_YAML_SORT_KEYS);
    size_t l = strlen(y);
    while (l && y[l - 1] == '\n')
        y[--l] = '\0';
    printf("---\n%s\n", y);
    free(y);
    json_object_put(out);
}

/* gotk export KIND [NAME] [--all]. */
int cmd_export(int argc, char **argv)
{
    argc--, argv++;
    if (argc < 1 || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
        fputs("The export sub-commands export resources in YAML format.\n\nUsage:\n  gotk export [command]\n\n"
              "Available Commands:\n  helmrelease\n  image\n  kustomization\n  source\n\n"
              "Examples:\n  # Export all sources in the flux-system namespace\n  gotk export source git --all > sources.yaml\n",
              argc < 1 ? stderr : stdout);
        return argc < 1;
    }
    int used;
    const cli_kind *k = verb_kind("export", argc, argv, &used);
    if (!k)
        return 1;
    cli_globals g;
    cli_globals_default(&g);
    bool all = false;
    const cli_flag own[] = {{"all", 0, FLAG_BOOL, &all, "select all resources"}};
    char *help = gotk_xasprintf("The export %s command exports %s resources in YAML format.\n\n"
                                "Usage:\n  gotk export %s [name] [flags]\n\nExamples:\n"
                                "  # Export all of them\n  gotk export %s --all > all.yaml\n\n"
                                "  # Export one\n  gotk export %s podinfo > podinfo.yaml\n",
                                k->human, k->kind, k->human, k->human, k->human);
    cli_cmdline cl;
    gotk_err *e = cli_cmdline_parse(&cl, &g, own, 1, argc - used, argv + used, help);
    free(help);
    gotk_kube_client *kube = NULL;
    json_object *list = NULL;
    if (!e && !cl.help && cl.npos < 1 && !all)
        e = gotk_err_new(GOTK_E_INVALID, "name is required");
    if (!e && !cl.help)
        e = cli_kube_open(&g, &kube);
    if (!e && !cl.help && all) {
        e = gotk_kube_list(kube, k->api_version, k->kind, g.namespace_, NULL, &list);
        json_object *items = e ? NULL : gotk_obj_getp(list, "items");
        if (!e && (!items || !json_object_array_length(items)))
            e = gotk_err_new(GOTK_E_NOTFOUND, "no objects found in %s namespace", g.namespace_);
        for (size_t i = 0; !e && i < json_object_array_length(items); i++)
            print_exported(json_object_array_get_idx(items, i));
    } else if (!e && !cl.help) {
        gotk_kube_ref ref = {k->api_version, k->kind, g.namespace_, cl.pos[0]};
        if (!(e = gotk_kube_get(kube, &ref, NULL, &list)))
            print_exported(list);
    }
    int rc = e ? cli_fail_err(e) : 0;
    json_object_put(list);
    gotk_kube_client_free(kube);
    cli_cmdline_free(&cl);
    return rc;
}
