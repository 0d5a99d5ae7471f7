/*
 * gotk get: Flux objects as flux's tables (get sources git|helm|oci|bucket|chart|all,
 * kustomizations, helmreleases, images repository|policy|update|all, all), with
 * -A, --no-header, -l, --status-selector and --watch (a list, then a kube watch
 * from its resourceVersion, each event printed as flux prints it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gotk/obj.h"
#include "gotk/runtime.h"
#include "kinds.h"

typedef struct {
    bool all_ns, no_header, watch, show_source;
    const char *label_selector, *status_selector;
    bool get_all; /* `get all`, `get sources all`: kind-prefixed names, no errors when empty */
} get_opts;

/* --show-source applies to Kustomizations and HelmReleases. */
static bool shows_source(const cli_kind *k, const get_opts *o)
{
    return o->show_source && (k->cols == COL_APPLIED || k->cols == COL_RELEASE);
}

/* Column titles of a kind's table. */
static size_t get_headers(const cli_kind *k, const get_opts *o, const char **h)
{
    size_t n = 0;
    if (o->all_ns)
        h[n++] = "Namespace";
    h[n++] = "Name";
    if (shows_source(k, o))
        h[n++] = "Source";
    switch (k->cols) {
    case COL_SCAN:
        h[n++] = "Last scan";
        break;
    case COL_POLICY:
        h[n++] = "Image";
        h[n++] = "Tag";
        break;
    case COL_RUN:
        h[n++] = "Last run";
        break;
    default:
        h[n++] = "Revision";
    }
    if (k->cols != COL_POLICY)
        h[n++] = "Suspended";
    h[n++] = "Ready";
    h[n++] = "Message";
    return n;
}

/* The REVISION (or LAST SCAN / LAST RUN) cell; new string. */
static char *get_revision(const cli_kind *k, json_object *obj)
{
    const char *r = NULL;
    switch (k->cols) {
    case COL_ARTIFACT:
        return cli_truncate_hex((r = gotk_obj_get_str(obj, "status.artifact.revision")) ? r : "");
    case COL_CHART:
        r = gotk_obj_get_str(obj, "status.artifact.revision");
        break;
    case COL_APPLIED:
        return cli_truncate_hex((r = gotk_obj_get_str(obj, "status.lastAppliedRevision")) ? r : "");
    case COL_RELEASE: {
        json_object *h = gotk_obj_getp(obj, "status.history");
        if (h && json_object_array_length(h) > 0)
            r = gotk_obj_get_str(json_object_array_get_idx(h, 0), "chartVersion");
        else
            r = gotk_obj_get_str(obj, "status.lastAttemptedRevision");
        break;
    }
    case COL_SCAN:
        r = gotk_obj_get_str(obj, "status.lastScanResult.scanTime");
        break;
    case COL_RUN:
        r = gotk_obj_get_str(obj, "status.lastAutomationRunTime");
        break;
    case COL_POLICY:
        break;
    }
    return gotk_xstrdup(r ? r : "");
}

/* The SOURCE cell: Kind/namespace/name of spec.sourceRef (HelmRelease: chartRef
 * or chart.spec.sourceRef), the namespace defaulting to the object's. New string. */
static char *get_source(json_object *obj)
{
    json_object *src = gotk_obj_getp(obj, "spec.sourceRef");
    if (!src)
        src = gotk_obj_getp(obj, "spec.chartRef");
    if (!src)
        src = gotk_obj_getp(obj, "spec.chart.spec.sourceRef");
    const char *ns = gotk_obj_get_str(src, "namespace"), *kind = gotk_obj_get_str(src, "kind");
    const char *name = gotk_obj_get_str(src, "name");
    return gotk_xasprintf("%s/%s/%s", kind ? kind : "", ns ? ns : gotk_obj_get_str(obj, "metadata.namespace"),
                          name ? name : "");
}

/* One row of a kind's table. */
static void get_row(const cli_kind *k, json_object *obj, const get_opts *o, cli_table *t)
{
    const char *row[8];
    size_t n = 0;
    char *name = NULL, *rev = NULL, *msg = NULL, *src = NULL;
    if (o->all_ns)
        row[n++] = gotk_obj_get_str(obj, "metadata.namespace");
    const char *nm = gotk_obj_get_str(obj, "metadata.name");
    if (o->get_all) {
        name = gotk_xasprintf("%s/%s", k->kind, nm);
        for (char *p = name; *p != '/'; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    }
    row[n++] = name ? name : nm;
    if (shows_source(k, o))
        row[n++] = src = get_source(obj);
    const char *status, *message;
    cli_ready(obj, &status, &message);
    const char *type = gotk_obj_get_str(obj, "spec.type");
    if (!strcmp(k->kind, "HelmRepository") && type && !strcmp(type, "oci")) {
        status = "True";
        message = "Helm repository is Ready";
    }
    if (k->cols == COL_POLICY) {
        row[n++] = gotk_obj_get_str(obj, "status.latestRef.name");
        row[n++] = gotk_obj_get_str(obj, "status.latestRef.tag");
    } else {
        row[n++] = rev = get_revision(k, obj);
        json_object *s = gotk_obj_getp(obj, "spec.suspend");
        row[n++] = s && json_object_get_boolean(s) ? "True" : "False";
    }
    row[n++] = status;
    bool truncate = k->cols != COL_RELEASE && k->cols < COL_SCAN;
    row[n++] = truncate ? (msg = cli_truncate_hex(message)) : message;
    cli_table_add(t, row);
    free(name);
    free(rev);
    free(msg);
    free(src);
}

/* --status-selector type=status or type!=status. */
static gotk_err *status_filter(const char *sel, json_object *obj, bool *keep)
{
    *keep = true;
    if (!sel || !*sel)
        return NULL;
    const char *ne = strstr(sel, "!="), *eq = strchr(sel, '=');
    if (!eq)
        return gotk_err_new(GOTK_E_INVALID, "expected status selector in type=status or type!=status format, "
                                            "but found: %s", sel);
    const char *op = ne ? ne : eq;
    char *type = gotk_xstrndup(sel, (size_t)(op - sel));
    const char *want = op + (ne ? 2 : 1);
    bool match = false;
    json_object *conds = gotk_obj_getp(obj, "status.conditions");
    for (size_t i = 0; conds && i < json_object_array_length(conds); i++) {
        json_object *c = json_object_array_get_idx(conds, i);
        const char *t = gotk_obj_get_str(c, "type"), *s = gotk_obj_get_str(c, "status");
        if (t && !strcasecmp(t, type))
            match = s && !strcasecmp(s, want);
    }
    free(type);
    *keep = ne ? !match : match;
    return NULL;
}

/* List one kind and print its table (flux's getCommand.run). */
static gotk_err *get_kind(gotk_kube_client *kube, const cli_kind *k, const cli_globals *g,
                          const get_opts *o, const char *name)
{
    json_object *list = NULL;
    gotk_kube_list_opts lo = {.label_selector = o->label_selector};
    gotk_err *e = gotk_kube_list(kube, k->api_version, k->kind, o->all_ns ? NULL : g->namespace_, &lo, &list);
    if (e) {
        if (o->get_all && gotk_err_code_of(e) == GOTK_E_NOTFOUND) {
            gotk_err_free(e);
            return NULL;
        }
        return e;
    }
    const char *h[8];
    size_t nh = get_headers(k, o, h);
    cli_table t;
    cli_table_init(&t, nh, o->no_header ? NULL : h);
    json_object *items = gotk_obj_getp(list, "items");
    size_t found = 0;
    for (size_t i = 0; !e && items && i < json_object_array_length(items); i++) {
        json_object *it = json_object_array_get_idx(items, i);
        if (name && strcmp(gotk_obj_get_str(it, "metadata.name"), name))
            continue;
        found++;
        bool keep;
        e = status_filter(o->status_selector, it, &keep);
        if (!e && keep)
            get_row(k, it, o, &t);
    }
    char *where = o->all_ns ? gotk_xstrdup("any") : gotk_xasprintf("\"%s\"", g->namespace_);
    if (!e && !found && name)
        e = gotk_err_new(GOTK_E_NOTFOUND, "%s object '%s' not found in %s namespace", k->kind, name, where);
    else if (!e && !found && !o->get_all)
        e = gotk_err_new(GOTK_E_NOTFOUND, "no %s objects found in %s namespace", k->kind, where);
    if (!e && t.nrows) {
        cli_table_print(&t, stdout);
        if (o->get_all)
            putchar('\n');
    }
    free(where);
    cli_table_free(&t);
    json_object_put(list);
    return e;
}

/* ---- --watch ------------------------------------------------------------------ */

typedef struct {
    const cli_kind *k;
    const get_opts *o;
    const char *name;
    bool first;
} watch_state;

/* Print one object as its own table (flux prints each watch event so). */
static bool watch_print(gotk_kube_event type, json_object *obj, void *ud)
{
    watch_state *w = ud;
    if (type == GOTK_KUBE_BOOKMARK)
        return true;
    if (w->name && strcmp(gotk_obj_get_str(obj, "metadata.name"), w->name))
        return true;
    bool keep;
    gotk_err *e = status_filter(w->o->status_selector, obj, &keep);
    if (e) {
        gotk_err_free(e);
        return true;
    }
    const char *h[8];
    size_t nh = get_headers(w->k, w->o, h);
    cli_table t;
    cli_table_init(&t, nh, w->first && !w->o->no_header ? h : NULL);
    if (keep)
        get_row(w->k, obj, w->o, &t);
    cli_table_print(&t, stdout);
    cli_table_free(&t);
    w->first = false;
    return true;
}

static gotk_err *get_watch(gotk_kube_client *kube, const cli_kind *k, const cli_globals *g,
                           const get_opts *o, const char *name)
{
    const char *ns = o->all_ns ? NULL : g->namespace_;
    json_object *list = NULL;
    gotk_kube_list_opts lo = {.label_selector = o->label_selector};
    gotk_err *e = gotk_kube_list(kube, k->api_version, k->kind, ns, &lo, &list);
    if (e)
        return e;
    watch_state w = {k, o, name, true};
    json_object *items = gotk_obj_getp(list, "items");
    for (size_t i = 0; items && i < json_object_array_length(items); i++)
        watch_print(GOTK_KUBE_ADDED, json_object_array_get_idx(items, i), &w);
    gotk_kube_watch_opts wo = {.label_selector = o->label_selector,
                               .resource_version = gotk_obj_get_str(list, "metadata.resourceVersion"),
                               .timeout = g->timeout};
    gotk_kube_watch_result res = {0};
    e = gotk_kube_watch(kube, k->api_version, k->kind, ns, &wo, watch_print, &w, &res);
    json_object_put(list);
    if (!e && res.timed_out)
        e = gotk_err_new(GOTK_E_KUBE_TIMEOUT, "timed out waiting for the condition");
    return e;
}

/* ---- the command ----------------------------------------------------------------- */

static const char get_help[] =
    "The get sub-commands print the statuses of Flux resources.\n\n"
    "Usage:\n  gotk get [command]\n\n"
    "Available Commands:\n"
    "  all           Get all resources and statuses\n"
    "  helmreleases  Get HelmRelease statuses\n"
    "  images        Get image automation object status\n"
    "  kustomizations Get Kustomization statuses\n"
    "  sources       Get source statuses\n\n"
    "Examples:\n  # List all Kustomizations and their status\n  gotk get kustomizations\n\n"
    "  # List all sources in all namespaces\n  gotk get sources all --all-namespaces\n\n"
    "  # Watch the status of a GitRepository\n  gotk get sources git podinfo --watch\n";

/* The kinds `words` name: one kind, or a group for "all". */
static size_t get_targets(int argc, char **argv, const cli_kind **out, int *used, bool *all)
{
    *all = false;
    const cli_kind *k = cli_kind_from_words(argc, argv, used);
    if (k) {
        out[0] = k;
        return 1;
    }
    const char *w0 = argc > 0 ? argv[0] : "", *w1 = argc > 1 ? argv[1] : "";
    static const char *const sources[] = {"OCIRepository", "Bucket", "GitRepository", "HelmRepository", "HelmChart"};
    static const char *const images[] = {"ImageRepository", "ImagePolicy", "ImageUpdateAutomation"};
    size_t n = 0;
    bool src = (!strcmp(w0, "sources") || !strcmp(w0, "source")) && !strcmp(w1, "all");
    bool img = (!strcmp(w0, "images") || !strcmp(w0, "image")) && !strcmp(w1, "all");
    bool every = !strcmp(w0, "all");
    *used = every ? 1 : 2;
    for (size_t i = 0; (src || every) && i < 5; i++)
        out[n++] = cli_kind_by_name(sources[i]);
    for (size_t i = 0; (img || every) && i < 3; i++)
        out[n++] = cli_kind_by_name(images[i]);
    if (every) {
        out[n++] = cli_kind_by_name("HelmRelease");
        out[n++] = cli_kind_by_name("Kustomization");
    }
    *all = n > 0;
    return n;
}

/* gotk get KIND [NAME]. */
int cmd_get(int argc, char **argv)
{
    argc--, argv++;
    if (argc < 1 || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
        fputs(get_help, argc < 1 ? stderr : stdout);
        return argc < 1;
    }
    const cli_kind *kinds[16];
    int used;
    bool all;
    size_t nk = get_targets(argc, argv, kinds, &used, &all);
    if (!nk)
        return cli_fail("unknown command \"%s\" for \"gotk get\"", argv[0]);
    cli_globals g;
    cli_globals_default(&g);
    get_opts o = {.get_all = all};
    const cli_flag own[] = {
        {"all-namespaces", 'A', FLAG_BOOL, &o.all_ns, "list the requested object(s) across all namespaces"},
        {"no-header", 0, FLAG_BOOL, &o.no_header, "skip the header when printing the results"},
        {"watch", 'w', FLAG_BOOL, &o.watch, "After listing/getting the requested object, watch for changes."},
        {"label-selector", 'l', FLAG_STRING, &o.label_selector, "filter objects by label selector"},
        {"status-selector", 0, FLAG_STRING, &o.status_selector, "specify the status condition name and the desired state to filter the get result, e.g. ready=false"},
        {"show-source", 0, FLAG_BOOL, &o.show_source, "show the source reference for each kustomization or helmrelease"},
    };
    char *help = gotk_xasprintf("Get the status of %s objects.\n\nUsage:\n  gotk get %s [name] [flags]\n\n"
                                "Examples:\n  # List the objects and their status\n  gotk get %s\n\n"
                                "  # List them across all namespaces\n  gotk get %s --all-namespaces\n",
                                all ? "all" : kinds[0]->kind, argv[0], argv[0], argv[0]);
    cli_cmdline cl;
    gotk_err *e = cli_cmdline_parse(&cl, &g, own, sizeof own / sizeof own[0], argc - used, argv + used, help);
    free(help);
    gotk_kube_client *kube = NULL;
    const char *name = !e && cl.npos > 0 ? cl.pos[0] : NULL;
    if (!e && !cl.help && o.watch && all)
        e = gotk_err_new(GOTK_E_INVALID, "expected a single resource type, but found all");
    if (!e && !cl.help)
        e = cli_kube_open(&g, &kube);
    int rc = 0;
    for (size_t i = 0; !e && !cl.help && i < nk; i++) {
        gotk_err *ke = o.watch ? get_watch(kube, kinds[i], &g, &o, name) : get_kind(kube, kinds[i], &g, &o, name);
        if (ke && all)
            rc = cli_fail_err(ke);
        else
            e = ke;
    }
    if (e)
        rc = cli_fail_err(e);
    gotk_kube_client_free(kube);
    cli_cmdline_free(&cl);
    return rc;
}
