/*
 * gotk check | uninstall | events | tree | logs: the commands about the whole
 * installation rather than one object.
 *
 *  - check [--pre]: the API server's version against flux's constraint, then the
 *    CRDs; --pre reports what a cluster without gotk lacks and exits 1.
 *  - uninstall: finalizers off every gotk object first (so nothing hangs), then
 *    the objects, the components, the CRDs and the namespace.
 *  - events [--for Kind/name] [-A]: Flux objects' events as flux's table.
 *  - tree kustomization NAME: status.inventory, recursively through nested
 *    Kustomizations, drawn as flux draws it.
 *  - logs: in one-machine mode the controllers' log files under --state-dir,
 *    formatted as flux formats pod logs.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gotk/obj.h"
#include "gotk/runtime.h"
#include "gotk/semver.h"
#include "kinds.h"

#define PART_OF "app.kubernetes.io/part-of=flux"

/* Parse the command line of a command without subcommands. */
static gotk_err *parse_simple(cli_cmdline *cl, cli_globals *g, const cli_flag *own, size_t n, int argc,
                              char **argv, const char *help)
{
    cli_globals_default(g);
    return cli_cmdline_parse(cl, g, own, n, argc - 1, argv + 1, help);
}

/* ---- check ------------------------------------------------------------------------- */

/* The server's gitVersion ("v1.33.0"). New string. */
static gotk_err *server_version(gotk_kube_client *kube, char **out)
{
    json_object *v = NULL;
    gotk_err *e = gotk_kube_do_json(kube, "GET", "/version", NULL, NULL, 0, &v);
    if (e)
        return gotk_err_wrap(e, "Kubernetes API call failed");
    const char *gv = gotk_obj_get_str(v, "gitVersion");
    *out = gv ? gotk_xstrdup(gv[0] == 'v' ? gv + 1 : gv) : NULL;
    json_object_put(v);
    return *out ? NULL : gotk_err_new(GOTK_E_INVALID, "Kubernetes version can't be determined");
}

/* flux's kubernetesCheck; prints its line, returns false when it fails. */
static bool kubernetes_check(gotk_kube_client *kube)
{
    /* flux's constraint for the Kubernetes API it is built against; gotk-apiserver
     * serves the 1.32 API, which gotk's controllers are written for. */
    static const char constraint[] = ">=1.32.0-0";
    char *v = NULL;
    gotk_err *e = server_version(kube, &v);
    if (e) {
        cli_fail("%s", gotk_err_msg(e));
        gotk_err_free(e);
        return false;
    }
    gotk_semver *sv = NULL;
    gotk_semver_constraints *c = NULL;
    gotk_err *pe = gotk_semver_parse(v, &sv);
    if (!pe)
        pe = gotk_semver_constraints_parse(constraint, &c);
    bool ok = !pe && gotk_semver_constraints_check(c, sv);
    gotk_err_free(pe);
    gotk_semver_constraints_free(c);
    gotk_semver_free(sv);
    if (ok)
        cli_ok("Kubernetes %s %s", v, constraint);
    else
        cli_fail("Kubernetes version %s does not match %s", v, constraint);
    free(v);
    return ok;
}

/* The CRDs of every kind gotk serves: present ones printed with their stored
 * version; missing ones reported. Returns how many are missing. */
static size_t crds_check(gotk_kube_client *kube, bool quiet_present)
{
    size_t missing = 0;
    for (size_t i = 0; i < cli_nkinds; i++) {
        gotk_kube_ref ref = {"apiextensions.k8s.io/v1", "CustomResourceDefinition", NULL, cli_kinds[i].crd};
        json_object *crd = NULL;
        gotk_err *e = gotk_kube_get(kube, &ref, NULL, &crd);
        if (e) {
            if (gotk_err_code_of(e) == GOTK_E_NOTFOUND)
                cli_fail("CRD %s not found", cli_kinds[i].crd);
            else
                cli_fail("%s", gotk_err_msg(e));
            missing++;
        } else if (!quiet_present) {
            json_object *sv = gotk_obj_getp(crd, "status.storedVersions");
            size_t n = sv ? json_object_array_length(sv) : 0;
            if (n)
                cli_ok("%s/%s", cli_kinds[i].crd, json_object_get_string(json_object_array_get_idx(sv, n - 1)));
            else
                cli_ok("%s/%s", cli_kinds[i].crd, strrchr(cli_kinds[i].api_version, '/') + 1);
        }
        gotk_err_free(e);
        json_object_put(crd);
    }
    return missing;
}

/* gotk check [--pre]. */
int cmd_check(int argc, char **argv)
{
    cli_globals g;
    bool pre = false;
    const cli_flag own[] = {{"pre", 0, FLAG_BOOL, &pre, "only run pre-installation checks"}};
    static const char help[] =
        "The check command will perform a series of checks to validate that\n"
        "the local environment is configured correctly and if the installed components are healthy.\n\n"
        "Usage:\n  gotk check [flags]\n\n"
        "Examples:\n  # Run pre-installation checks\n  gotk check --pre\n\n"
        "  # Run installation checks\n  gotk check\n";
    cli_cmdline cl;
    gotk_err *e = parse_simple(&cl, &g, own, 1, argc, argv, help);
    gotk_kube_client *kube = NULL;
    int rc = 0;
    if (!e && !cl.help) {
        cli_step("checking prerequisites");
        e = cli_kube_open(&g, &kube);
        if (e)
            e = gotk_err_wrap(e, "Kubernetes client initialization failed");
    }
    if (!e && !cl.help) {
        bool ok = kubernetes_check(kube);
        if (pre) {
            cli_step("checking what gotk needs on this cluster");
            size_t missing = crds_check(kube, true);
            if (missing)
                cli_fail("gotk is not installed: %zu of %zu CRDs missing (run gotk install or gotk bootstrap)",
                         missing, cli_nkinds);
            else
                cli_ok("gotk CRDs installed");
            if (ok && !missing)
                cli_ok("prerequisites checks passed");
            rc = ok && !missing ? 0 : 1;
        } else {
            cli_step("checking crds");
            size_t missing = crds_check(kube, false);
            if (!ok || missing)
                rc = cli_fail("check failed");
            else
                cli_ok("all checks passed");
        }
    }
    if (e)
        rc = cli_fail_err(e);
    gotk_kube_client_free(kube);
    cli_cmdline_free(&cl);
    return rc;
}

/* ---- uninstall --------------------------------------------------------------------- */

/* The gotk CRDs on the cluster: named *.toolkit.fluxcd.io or labelled part-of=flux. */
static json_object *gotk_crds(gotk_kube_client *kube)
{
    json_object *list = NULL, *out = json_object_new_array();
    gotk_err *e = gotk_kube_list(kube, "apiextensions.k8s.io/v1", "CustomResourceDefinition", NULL, NULL, &list);
    json_object *items = e ? NULL : gotk_obj_getp(list, "items");
    for (size_t i = 0; items && i < json_object_array_length(items); i++) {
        json_object *crd = json_object_array_get_idx(items, i);
        const char *name = gotk_obj_get_str(crd, "metadata.name");
        json_object *part = gotk_obj_get(crd, "metadata", "labels", "app.kubernetes.io/part-of", NULL);
        size_t l = strlen(name);
        if ((l > 18 && !strcmp(name + l - 18, ".toolkit.fluxcd.io")) ||
            (part && !strcmp(json_object_get_string(part), "flux")))
            json_object_array_add(out, json_object_get(crd));
    }
    gotk_err_free(e);
    json_object_put(list);
    return out;
}

/* apiVersion (group/storage version) and kind of a CRD. New string in *api. */
static const char *crd_kind(json_object *crd, char **api)
{
    const char *group = gotk_obj_get_str(crd, "spec.group"), *version = NULL;
    json_object *versions = gotk_obj_getp(crd, "spec.versions");
    for (size_t i = 0; versions && i < json_object_array_length(versions); i++) {
        json_object *v = json_object_array_get_idx(versions, i);
        if (!version || json_object_get_boolean(json_object_object_get(v, "storage")))
            version = gotk_obj_get_str(v, "name");
    }
    *api = gotk_xasprintf("%s/%s", group ? group : "", version ? version : "v1");
    return gotk_obj_get_str(crd, "spec.names.kind");
}

/* Every object of a CRD's kind in all namespaces, finalizers removed first. */
static void remove_finalizers(gotk_kube_client *kube, json_object *crd, json_object **items_out)
{
    char *api = NULL;
    const char *kind = crd_kind(crd, &api);
    json_object *list = NULL;
    gotk_err *e = gotk_kube_list(kube, api, kind, NULL, NULL, &list);
    *items_out = NULL;
    if (e) {
        gotk_err_free(e);
        free(api);
        return;
    }
    json_object *items = gotk_obj_getp(list, "items");
    for (size_t i = 0; items && i < json_object_array_length(items); i++) {
        json_object *it = json_object_array_get_idx(items, i);
        const char *ns = gotk_obj_get_str(it, "metadata.namespace"), *name = gotk_obj_get_str(it, "metadata.name");
        gotk_kube_ref ref = {api, kind, ns, name};
        json_object *patch = NULL;
        gotk_json_parse("{\"metadata\":{\"finalizers\":null}}", 33, &patch);
        e = gotk_kube_patch(kube, &ref, GOTK_KUBE_PATCH_MERGE, patch, NULL, NULL);
        json_object_put(patch);
        if (e)
            cli_fail("%s/%s/%s removing finalizers failed: %s", kind, ns, name, gotk_err_msg(e));
        else
            cli_ok("%s/%s/%s finalizers deleted ", kind, ns, name);
        gotk_err_free(e);
    }
    *items_out = json_object_get(items);
    json_object_put(list);
    free(api);
}

/* Delete one object and print flux's line; `label` is "Kind/ns/name" or "Kind/name". */
static void delete_one(gotk_kube_client *kube, const gotk_kube_ref *ref, const char *label)
{
    gotk_err *e = gotk_kube_delete(kube, ref, NULL, NULL);
    if (e && gotk_err_code_of(e) != GOTK_E_NOTFOUND)
        cli_fail("%s deletion failed: %s", label, gotk_err_msg(e));
    else if (!e)
        cli_ok("%s deleted ", label);
    gotk_err_free(e);
}

/* The components: Deployments, Services, NetworkPolicies, ServiceAccounts in the
 * namespace, ClusterRoles and ClusterRoleBindings, all labelled part-of=flux. */
static void delete_components(gotk_kube_client *kube, const char *ns)
{
    static const char *const kinds[][2] = {
        {"apps/v1", "Deployment"}, {"v1", "Service"}, {"networking.k8s.io/v1", "NetworkPolicy"},
        {"v1", "ServiceAccount"}, {"rbac.authorization.k8s.io/v1", "ClusterRole"},
        {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"}};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        bool cluster = !strncmp(kinds[k][1], "Cluster", 7);
        json_object *list = NULL;
        gotk_kube_list_opts lo = {.label_selector = PART_OF};
        gotk_err *e = gotk_kube_list(kube, kinds[k][0], kinds[k][1], cluster ? NULL : ns, &lo, &list);
        json_object *items = e ? NULL : gotk_obj_getp(list, "items");
        for (size_t i = 0; items && i < json_object_array_length(items); i++) {
            const char *name = gotk_obj_get_str(json_object_array_get_idx(items, i), "metadata.name");
            gotk_kube_ref ref = {kinds[k][0], kinds[k][1], cluster ? NULL : ns, name};
            char *label = cluster ? gotk_xasprintf("%s/%s", kinds[k][1], name)
                                  : gotk_xasprintf("%s/%s/%s", kinds[k][1], ns, name);
            delete_one(kube, &ref, label);
            free(label);
        }
        gotk_err_free(e);
        json_object_put(list);
    }
}

/* Finalizers off every object of every gotk CRD, then the objects themselves. */
static void delete_objects(gotk_kube_client *kube, json_object *crds)
{
    size_t n = json_object_array_length(crds);
    json_object **items = gotk_xcalloc(n + 1, sizeof *items);
    for (size_t k = 0; k < n; k++)
        remove_finalizers(kube, json_object_array_get_idx(crds, k), &items[k]);
    for (size_t k = 0; k < n; k++) {
        char *api = NULL;
        const char *kind = crd_kind(json_object_array_get_idx(crds, k), &api);
        for (size_t i = 0; items[k] && i < json_object_array_length(items[k]); i++) {
            json_object *it = json_object_array_get_idx(items[k], i);
            const char *ns = gotk_obj_get_str(it, "metadata.namespace"), *name = gotk_obj_get_str(it, "metadata.name");
            gotk_kube_ref ref = {api, kind, ns, name};
            char *label = gotk_xasprintf("%s/%s/%s", kind, ns, name);
            delete_one(kube, &ref, label);
            free(label);
        }
        json_object_put(items[k]);
        free(api);
    }
    free(items);
}

/* The CRDs themselves. */
static void delete_crds(gotk_kube_client *kube, json_object *crds)
{
    for (size_t i = 0; i < json_object_array_length(crds); i++) {
        const char *name = gotk_obj_get_str(json_object_array_get_idx(crds, i), "metadata.name");
        gotk_kube_ref ref = {"apiextensions.k8s.io/v1", "CustomResourceDefinition", NULL, name};
        char *label = gotk_xasprintf("CustomResourceDefinition/%s", name);
        delete_one(kube, &ref, label);
        free(label);
    }
}

/* gotk uninstall [--keep-namespace] [--silent]. */
int cmd_uninstall(int argc, char **argv)
{
    cli_globals g;
    bool keep_ns = false, silent = false, dry_run = false;
    const cli_flag own[] = {
        {"keep-namespace", 0, FLAG_BOOL, &keep_ns, "skip namespace deletion"},
        {"silent", 's', FLAG_BOOL, &silent, "delete components without asking for confirmation"},
        {"dry-run", 0, FLAG_BOOL, &dry_run, "only print the objects that would be deleted"},
    };
    static const char help[] =
        "The uninstall command removes the gotk components and the toolkit.fluxcd.io resources from the cluster.\n\n"
        "Usage:\n  gotk uninstall [flags]\n\n"
        "Examples:\n  # Uninstall gotk components, its custom resources and namespace\n  gotk uninstall --namespace=flux-system\n\n"
        "  # Uninstall gotk but keep the namespace\n  gotk uninstall --namespace=infra --keep-namespace=true\n";
    cli_cmdline cl;
    gotk_err *e = parse_simple(&cl, &g, own, 2, argc, argv, help);
    gotk_kube_client *kube = NULL;
    if (!e && !cl.help && !silent) {
        bool yes = false;
        if (isatty(STDIN_FILENO)) {
            fputs("? Are you sure you want to delete Flux and its custom resource definitions? [y/N] ", stderr);
            char line[16] = "";
            yes = fgets(line, sizeof line, stdin) && (line[0] == 'y' || line[0] == 'Y');
        }
        if (!yes)
            e = gotk_err_new(GOTK_E_INVALID, "aborting");
    }
    if (!e && !cl.help)
        e = cli_kube_open(&g, &kube);
    if (!e && !cl.help) {
        cli_step("deleting components in %s namespace", g.namespace_);
        delete_components(kube, g.namespace_);
        json_object *crds = gotk_crds(kube);
        cli_step("deleting toolkit.fluxcd.io finalizers in all namespaces");
        delete_objects(kube, crds);
        cli_step("deleting toolkit.fluxcd.io custom resource definitions");
        delete_crds(kube, crds);
        json_object_put(crds);
        if (!keep_ns) {
            gotk_kube_ref ref = {"v1", "Namespace", NULL, g.namespace_};
            char *label = gotk_xasprintf("Namespace/%s", g.namespace_);
            delete_one(kube, &ref, label);
            free(label);
        }
        cli_ok("uninstall finished");
    }
    int rc = e ? cli_fail_err(e) : 0;
    gotk_kube_client_free(kube);
    cli_cmdline_free(&cl);
    return rc;
}

/* ---- events ------------------------------------------------------------------------ */

/* Seconds since the Unix epoch of an RFC 3339 time, or -1. */
static long long parse_time(const char *s)
{
    struct tm tm = {0};
    if (!s || !strptime(s, "%Y-%m-%dT%H:%M:%S", &tm))
        return -1;
    return (long long)timegm(&tm);
}

/* The time an event sorts by (flux's eventTime). */
static long long event_time(json_object *ev)
{
    long long t = parse_time(gotk_obj_get_str(ev, "series.lastObservedTime"));
    if (t < 0)
        t = parse_time(gotk_obj_get_str(ev, "lastTimestamp"));
    if (t < 0)
        t = parse_time(gotk_obj_get_str(ev, "eventTime"));
    return t;
}

/* qsort order of events: oldest first. */
static int by_event_time(const void *a, const void *b)
{
    long long x = event_time(*(json_object *const *)a), y = event_time(*(json_object *const *)b);
    return (x > y) - (x < y);
}

/* "<since>", or "<last> (xN over <first>)". */
static void last_seen(json_object *ev, long long now, char out[96])
{
    char first[32], last[32];
    long long ft = parse_time(gotk_obj_get_str(ev, "eventTime"));
    if (ft < 0)
        ft = parse_time(gotk_obj_get_str(ev, "firstTimestamp"));
    if (ft < 0)
        snprintf(first, sizeof first, "<unknown>");
    else
        gotk_duration_human(now - ft, first);
    int count = json_object_get_int(gotk_obj_getp(ev, "count"));
    long long lt = parse_time(gotk_obj_get_str(ev, "lastTimestamp"));
    if (count > 1) {
        if (lt < 0)
            snprintf(last, sizeof last, "<unknown>");
        else
            gotk_duration_human(now - lt, last);
        snprintf(out, 96, "%s (x%d over %s)", last, count, first);
    } else {
        snprintf(out, 96, "%s", first);
    }
}

/* What `events` shows: a kind (and name) and, for --for Kind/name, the object's
 * source (flux's getObjectRef), whose events are listed too. */
typedef struct {
    char *kind;
    const char *name;
    const char *ns;
    char *ref_kind, *ref_name, *ref_ns;
    cli_strings types;
    bool all_ns;
} events_filter;

/* Parse --for; errors as flux words them. */
static gotk_err *events_for(const char *sel, events_filter *f)
{
    const char *slash = strchr(sel, '/');
    f->kind = slash ? gotk_xstrndup(sel, (size_t)(slash - sel)) : gotk_xstrdup(sel);
    f->name = slash && slash[1] ? slash + 1 : NULL;
    if (!*f->kind)
        return gotk_err_new(GOTK_E_INVALID, "--for selector must be of format <kind>[/<name>]");
    for (size_t i = 0; i < cli_nkinds; i++)
        if (!strcasecmp(cli_kinds[i].kind, f->kind)) {
            free(f->kind);
            f->kind = gotk_xstrdup(cli_kinds[i].kind);
            return NULL;
        }
    return gotk_err_new(GOTK_E_INVALID, "'%s' is not a recognized Flux kind", f->kind);
}

/* The source a Kustomization or HelmRelease refers to (its events are shown too). */
static gotk_err *events_ref(gotk_kube_client *kube, events_filter *f)
{
    if (!f->kind || !f->name)
        return NULL;
    const cli_kind *k = cli_kind_by_name(f->kind);
    const char *field = !strcmp(f->kind, "Kustomization") ? "spec.sourceRef"
                        : !strcmp(f->kind, "HelmRelease") ? "spec.chart.spec.sourceRef" : NULL;
    if (!field)
        return NULL;
    gotk_kube_ref ref = {k->api_version, k->kind, f->ns, f->name};
    json_object *obj = NULL;
    gotk_err *e = gotk_kube_get(kube, &ref, NULL, &obj);
    json_object *src = e ? NULL : gotk_obj_getp(obj, field);
    if (!src && !e && !strcmp(f->kind, "HelmRelease"))
        src = gotk_obj_getp(obj, "spec.chartRef");
    const char *rk = gotk_obj_get_str(src, "kind"), *rn = gotk_obj_get_str(src, "name");
    const char *rns = gotk_obj_get_str(src, "namespace");
    if (rk && rn) {
        f->ref_kind = gotk_xstrdup(rk);
        f->ref_name = gotk_xstrdup(rn);
        f->ref_ns = gotk_xstrdup(rns ? rns : f->ns);
    }
    json_object_put(obj);
    return e;
}

/* Whether an event passes the filter: a Flux kind, the --for object or its
 * source, one of --types. */
static bool events_match(json_object *ev, const events_filter *f)
{
    const char *ik = gotk_obj_get_str(ev, "involvedObject.kind"), *in = gotk_obj_get_str(ev, "involvedObject.name");
    const char *ins = gotk_obj_get_str(ev, "metadata.namespace"), *type = gotk_obj_get_str(ev, "type");
    if (!ik || !in || !cli_kind_by_name(ik))
        return false;
    bool self = (!f->kind || !strcmp(ik, f->kind)) && (!f->name || !strcmp(in, f->name)) &&
                (f->all_ns || (ins && !strcmp(ins, f->ns)));
    bool ref = f->ref_kind && !strcmp(ik, f->ref_kind) && !strcmp(in, f->ref_name) && ins && !strcmp(ins, f->ref_ns);
    bool typed = !f->types.n;
    for (size_t t = 0; type && t < f->types.n; t++)
        typed = typed || !strcasecmp(f->types.items[t], type);
    return (self || ref) && typed;
}

/* The table of the matching events, oldest first. Returns how many rows. */
static size_t events_table(json_object *items, const events_filter *f, bool show_ns, cli_table *t)
{
    size_t n = items ? json_object_array_length(items) : 0, m = 0;
    json_object **evs = gotk_xcalloc(n + 1, sizeof *evs);
    for (size_t i = 0; i < n; i++)
        if (events_match(json_object_array_get_idx(items, i), f))
            evs[m++] = json_object_array_get_idx(items, i);
    qsort(evs, m, sizeof *evs, by_event_time);
    const char *hdr[] = {"Namespace", "Last seen", "Type", "Reason", "Object", "Message"};
    cli_table_init(t, show_ns ? 6 : 5, show_ns ? hdr : hdr + 1);
    long long now = (long long)time(NULL);
    for (size_t i = 0; i < m; i++) {
        char seen[96];
        last_seen(evs[i], now, seen);
        char *obj = gotk_xasprintf("%s/%s", gotk_obj_get_str(evs[i], "involvedObject.kind"),
                                   gotk_obj_get_str(evs[i], "involvedObject.name"));
        const char *row[] = {gotk_obj_get_str(evs[i], "metadata.namespace"), seen, gotk_obj_get_str(evs[i], "type"),
                             gotk_obj_get_str(evs[i], "reason"), obj, gotk_obj_get_str(evs[i], "message")};
        cli_table_add(t, show_ns ? row : row + 1);
        free(obj);
    }
    free(evs);
    return m;
}

/* gotk events [--for Kind[/name]] [-A] [--types]. */
int cmd_events(int argc, char **argv)
{
    cli_globals g;
    bool all_ns = false;
    const char *for_sel = NULL;
    events_filter f = {0};
    const cli_flag own[] = {
        {"all-namespaces", 'A', FLAG_BOOL, &all_ns, "display events from Flux resources across all namespaces"},
        {"for", 0, FLAG_STRING, &for_sel, "get the events for a particular object, in the format <kind>[/<name>]"},
        {"types", 0, FLAG_STRINGS, &f.types, "filter events for certain types (valid types are: Normal, Warning)"},
    };
    static const char help[] =
        "The events sub-command shows Kubernetes events from Flux resources.\n\n"
        "Usage:\n  gotk events [flags]\n\n"
        "Examples:\n  # Display events for flux resources in default namespace\n  gotk events -n default\n\n"
        "  # Display events for flux resources in all namespaces\n  gotk events -A\n\n"
        "  # Display events for a Kustomization named podinfo\n  gotk events --for Kustomization/podinfo\n";
    cli_cmdline cl;
    gotk_err *e = parse_simple(&cl, &g, own, 3, argc, argv, help);
    f.ns = g.namespace_;
    f.all_ns = all_ns;
    if (!e && !cl.help && for_sel)
        e = events_for(for_sel, &f);
    for (size_t i = 0; !e && i < f.types.n; i++)
        if (strcasecmp(f.types.items[i], "Normal") && strcasecmp(f.types.items[i], "Warning"))
            e = gotk_err_new(GOTK_E_INVALID, "type '%s' not supported. Supported types are Normal, Warning",
                             f.types.items[i]);
    gotk_kube_client *kube = NULL;
    json_object *list = NULL;
    if (!e && !cl.help)
        e = cli_kube_open(&g, &kube);
    if (!e && !cl.help)
        e = events_ref(kube, &f);
    bool other_ns = f.ref_ns && strcmp(f.ref_ns, g.namespace_);
    if (!e && !cl.help)
        e = gotk_kube_list(kube, "v1", "Event", all_ns || other_ns ? NULL : g.namespace_, NULL, &list);
    if (!e && !cl.help) {
        cli_table t;
        if (!events_table(gotk_obj_getp(list, "items"), &f, all_ns || other_ns, &t))
            all_ns ? cli_fail("No events found.") : cli_fail("No events found in %s namespace.", g.namespace_);
        else
            cli_table_print(&t, stdout);
        cli_table_free(&t);
    }
    int rc = e ? cli_fail_err(e) : 0;
    free(f.kind);
    free(f.ref_kind);
    free(f.ref_name);
    free(f.ref_ns);
    json_object_put(list);
    cli_strings_free(&f.types);
    gotk_kube_client_free(kube);
    cli_cmdline_free(&cl);
    return rc;
}

/* ---- tree ------------------------------------------------------------------------- */

/* An inventory id "<ns>_<name>_<group>_<Kind>" as "Kind/ns/name" (or "Kind/name"). */
static bool parse_inventory_id(const char *id, char **ns, char **name, char **group, char **kind)
{
    const char *p[3];
    const char *s = id;
    for (int i = 0; i < 3; i++) {
        p[i] = strchr(s, '_');
        if (!p[i])
            return false;
        s = p[i] + 1;
    }
    *ns = gotk_xstrndup(id, (size_t)(p[0] - id));
    *name = gotk_xstrndup(p[0] + 1, (size_t)(p[1] - p[0] - 1));
    *group = gotk_xstrndup(p[1] + 1, (size_t)(p[2] - p[1] - 1));
    *kind = gotk_xstrdup(p[2] + 1);
    return true;
}

typedef struct {
    gotk_buf out;
    bool compact;
} tree_ctx;

/* Print the inventory of Kustomization `ks` below `prefix`. */
static gotk_err *tree_walk(gotk_kube_client *kube, tree_ctx *t, json_object *ks, const char *prefix)
{
    json_object *entries = gotk_obj_getp(ks, "status.inventory.entries");
    size_t n = entries ? json_object_array_length(entries) : 0;
    const char *kns = gotk_obj_get_str(ks, "metadata.namespace"), *kname = gotk_obj_get_str(ks, "metadata.name");
    /* the entries to show, so the last one gets └── */
    size_t *show = gotk_xcalloc(n + 1, sizeof *show), m = 0;
    for (size_t i = 0; i < n; i++) {
        char *ns, *name, *group, *kind;
        if (!parse_inventory_id(gotk_obj_get_str(json_object_array_get_idx(entries, i), "id"), &ns, &name, &group, &kind))
            continue;
        bool self = !strcmp(group, "kustomize.toolkit.fluxcd.io") && !strcmp(kind, "Kustomization") &&
                    !strcmp(ns, kns) && !strcmp(name, kname);
        bool hidden = t->compact && !strstr(group, "toolkit.fluxcd.io");
        if (!self && !hidden)
            show[m++] = i;
        free(ns), free(name), free(group), free(kind);
    }
    gotk_err *e = NULL;
    for (size_t j = 0; !e && j < m; j++) {
        char *ns, *name, *group, *kind;
        parse_inventory_id(gotk_obj_get_str(json_object_array_get_idx(entries, show[j]), "id"), &ns, &name, &group, &kind);
        bool last = j + 1 == m;
        if (*ns)
            gotk_buf_printf(&t->out, "%s%s%s/%s/%s\n", prefix, last ? "└── " : "├── ", kind, ns, name);
        else
            gotk_buf_printf(&t->out, "%s%s%s/%s\n", prefix, last ? "└── " : "├── ", kind, name);
        if (!strcmp(group, "kustomize.toolkit.fluxcd.io") && !strcmp(kind, "Kustomization") &&
            !gotk_obj_getp(ks, "spec.kubeConfig")) {
            gotk_kube_ref ref = {"kustomize.toolkit.fluxcd.io/v1", "Kustomization", ns, name};
            json_object *child = NULL;
            e = gotk_kube_get(kube, &ref, NULL, &child);
            if (e) {
                e = gotk_err_wrap(e, "failed to find object");
            } else {
                char *sub = gotk_xasprintf("%s%s", prefix, last ? "    " : "│   ");
                e = tree_walk(kube, t, child, sub);
                free(sub);
            }
            json_object_put(child);
        }
        free(ns), free(name), free(group), free(kind);
    }
    free(show);
    return e;
}

/* gotk tree kustomization NAME [--compact]. */
int cmd_tree(int argc, char **argv)
{
    argc--, argv++;
    if (argc < 1 || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
        fputs("The tree command prints the resources reconciled by Flux.\n\nUsage:\n  gotk tree [command]\n\n"
              "Available Commands:\n  kustomization Print the resource inventory of a Kustomization\n",
              argc < 1 ? stderr : stdout);
        return argc < 1;
    }
    if (strcmp(argv[0], "kustomization") && strcmp(argv[0], "ks"))
        return cli_fail("unknown command \"%s\" for \"gotk tree\"", argv[0]);
    cli_globals g;
    cli_globals_default(&g);
    tree_ctx t = {{0}, false};
    const cli_flag own[] = {{"compact", 0, FLAG_BOOL, &t.compact, "list Flux resources only."}};
    static const char help[] =
        "The tree command prints the resource list reconciled by a Kustomization.\n\n"
        "Usage:\n  gotk tree kustomization [name] [flags]\n\n"
        "Examples:\n  # Print the resources managed by the root Kustomization\n  gotk tree kustomization flux-system\n\n"
        "  # Print the Flux resources managed by the root Kustomization\n  gotk tree kustomization flux-system --compact\n";
    cli_cmdline cl;
    gotk_err *e = cli_cmdline_parse(&cl, &g, own, 1, argc - 1, argv + 1, help);
    gotk_kube_client *kube = NULL;
    json_object *ks = NULL;
    if (!e && !cl.help && cl.npos < 1)
        e = gotk_err_new(GOTK_E_INVALID, "kustomization name is required");
    if (!e && !cl.help)
        e = cli_kube_open(&g, &kube);
    if (!e && !cl.help) {
        gotk_kube_ref ref = {"kustomize.toolkit.fluxcd.io/v1", "Kustomization", g.namespace_, cl.pos[0]};
        e = gotk_kube_get(kube, &ref, NULL, &ks);
    }
    if (!e && !cl.help) {
        gotk_buf_printf(&t.out, "Kustomization/%s/%s\n", g.namespace_, cl.pos[0]);
        e = tree_walk(kube, &t, ks, "");
    }
    if (!e && !cl.help)
        printf("%s\n", t.out.data);
    int rc = e ? cli_fail_err(e) : 0;
    gotk_buf_free(&t.out);
    json_object_put(ks);
    gotk_kube_client_free(kube);
    cli_cmdline_free(&cl);
    return rc;
}

/* ---- logs ------------------------------------------------------------------------- */

typedef struct {
    const char *level, *kind, *name, *ns;
    bool all_ns;
} log_filter;

/* The Kind a log line is about: "reconciler kind", "controllerKind", or our
 * "controller" (the kind in lower case). */
static const char *log_kind(json_object *l)
{
    const char *k = gotk_obj_get_str(l, "reconciler kind");
    if (!k)
        k = gotk_obj_get_str(l, "controllerKind");
    const char *c = k ? NULL : gotk_obj_get_str(l, "controller");
    for (size_t i = 0; c && i < cli_nkinds; i++)
        if (!strcasecmp(cli_kinds[i].kind, c))
            return cli_kinds[i].kind;
    return k ? k : "";
}

/* One JSON log line as flux's logs template prints it, if it passes the filter. */
static void print_log_line(const char *line, const log_filter *f)
{
    json_object *l = NULL;
    gotk_err *e = gotk_json_parse(line, strlen(line), &l);
    if (e || !json_object_is_type(l, json_type_object)) {
        gotk_err_free(e);
        json_object_put(l);
        return;
    }
    const char *level = gotk_obj_get_str(l, "level"), *kind = log_kind(l);
    const char *name = gotk_obj_get_str(l, "name"), *ns = gotk_obj_get_str(l, "namespace");
    bool ok = (!f->level || (level && !strcmp(level, f->level))) && (!f->kind || !strcasecmp(f->kind, kind)) &&
              (!f->name || (name && !strcasecmp(f->name, name))) && (f->all_ns || (ns && !strcasecmp(f->ns, ns)));
    if (ok) {
        const char *err = gotk_obj_get_str(l, "error"), *ts = gotk_obj_get_str(l, "ts"), *msg = gotk_obj_get_str(l, "msg");
        printf("%s %s %s", ts ? ts : "", level ? level : "", kind);
        if (name && *name)
            printf("/%s.%s", name, ns ? ns : "");
        printf(" - %s %s\n", msg ? msg : "", err ? err : "");
    }
    json_object_put(l);
}

/* Every *.log of a controller under DIR/logs, in name order. */
static int logs_from_dir(const char *dir, const log_filter *f)
{
    char *logs = gotk_xasprintf("%s/logs", dir);
    struct dirent **names = NULL;
    int n = scandir(logs, &names, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        const char *nm = names[i]->d_name;
        size_t l = strlen(nm);
        if (l > 4 && !strcmp(nm + l - 4, ".log") && strstr(nm, "controller")) {
            char *path = gotk_xasprintf("%s/%s", logs, nm);
            FILE *fp = fopen(path, "r");
            char *line = NULL;
            size_t cap = 0;
            while (fp && getline(&line, &cap, fp) > 0)
                print_log_line(line, f);
            free(line);
            if (fp)
                fclose(fp);
            free(path);
        }
        free(names[i]);
    }
    free(names);
    free(logs);
    return 0;
}

/* gotk logs: the controllers' logs of a one-machine state directory. */
int cmd_logs(int argc, char **argv)
{
    cli_globals g;
    log_filter f = {0};
    const char *state_dir = ".gotk", *flux_ns = NULL;
    const cli_flag own[] = {
        {"level", 0, FLAG_STRING, &f.level, "log level, available options are: (debug, info, error)"},
        {"kind", 0, FLAG_STRING, &f.kind, "displays errors of a particular toolkit kind e.g GitRepository"},
        {"name", 0, FLAG_STRING, &f.name, "specifies the name of the object logs to be displayed"},
        {"all-namespaces", 'A', FLAG_BOOL, &f.all_ns, "displays logs for objects across all namespaces"},
        {"flux-namespace", 0, FLAG_STRING, &flux_ns, "the namespace where the Flux components are running"},
        {"state-dir", 0, FLAG_STRING, &state_dir, "the state directory of `gotk dev up` (one-machine mode)"},
    };
    static const char help[] =
        "The logs command displays formatted logs from various gotk components.\n"
        "In one-machine mode (gotk dev up) it reads the controllers' log files in the state directory.\n\n"
        "Usage:\n  gotk logs [flags]\n\n"
        "Examples:\n  # Print the reconciliation logs of all Flux custom resources in your cluster\n"
        "  gotk logs --all-namespaces\n\n"
        "  # Filter logs by kind, name and namespace\n  gotk logs --kind=Kustomization --name=podinfo --namespace=default\n";
    cli_cmdline cl;
    gotk_err *e = parse_simple(&cl, &g, own, sizeof own / sizeof own[0], argc, argv, help);
    f.ns = g.namespace_;
    if (!e && !cl.help && cl.npos > 0)
        e = gotk_err_new(GOTK_E_INVALID, "no argument required");
    if (!e && !cl.help && f.level && strcmp(f.level, "debug") && strcmp(f.level, "info") && strcmp(f.level, "error"))
        e = gotk_err_new(GOTK_E_INVALID, "invalid argument \"%s\" for \"--level\" flag: unsupported log level '%s'",
                         f.level, f.level);
    int rc = 0;
    if (!e && !cl.help) {
        char *logs = gotk_xasprintf("%s/logs", state_dir);
        struct stat st;
        if (stat(logs, &st) == 0 && S_ISDIR(st.st_mode))
            rc = logs_from_dir(state_dir, &f);
        else
            e = gotk_err_new(GOTK_E_NOTFOUND,
                             "no log files in %s: gotk logs reads the logs of `gotk dev up` (--state-dir); "
                             "on a cluster the controllers' logs are pod logs, which gotk-apiserver does not "
                             "serve (use kubectl logs -n %s deploy/<controller> against a Kubernetes cluster)",
                             logs, flux_ns ? flux_ns : g.namespace_);
        free(logs);
    }
    if (e)
        rc = cli_fail_err(e);
    cli_cmdline_free(&cl);
    return rc;
}
