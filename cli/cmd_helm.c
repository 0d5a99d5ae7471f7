/*
 * gotk helm template [NAME] CHART [flags]: render a chart (a directory or a
 * .tgz) with libgotk's helm module and print what `helm template` (Helm
 * v3.17.3) prints, byte for byte; errors go to stderr as "Error: MESSAGE"
 * with exit status 1. Flags follow Helm's: the value flags (--set and
 * friends) are string arrays (not split on commas), -f and --api-versions are
 * comma-separated lists. Charts from repositories are not fetched.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "helm_outdir.h"
#include "gotk/helm.h"
#include "gotk/semver.h"
#include "gotk/template.h"

/* A growable NULL-terminated list of borrowed strings. */
typedef struct {
    const char **v;
    size_t n;
} str_list;

static void list_add(str_list *l, const char *s)
{
    l->v = gotk_xrealloc(l->v, (l->n + 2) * sizeof *l->v);
    l->v[l->n++] = s;
    l->v[l->n] = NULL;
}

/* Add each comma-separated part (pflag's StringSlice); the parts are leaked
 * into `owned` so the list can borrow them. */
static void list_add_csv(str_list *l, str_list *owned, const char *s)
{
    char *copy = gotk_xstrdup(s), *save = NULL;
    list_add(owned, copy);
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
        list_add(l, t);
}

typedef struct {
    str_list files, set, set_string, set_file, set_json, set_literal, show_only, apis, owned, args;
    const char *namespace_, *kube_version, *name_template, *dry_run, *output_dir;
    bool is_upgrade, no_hooks, skip_tests, include_crds, skip_schema, generate_name, debug;
    bool release_name_dir;
    bool enable_dns, validate;
} helm_cli;

static const char *const bool_flags[] = {
    "--is-upgrade", "--no-hooks", "--skip-tests", "--include-crds", "--skip-schema-validation",
    "--generate-name", "-g", "--debug", "--release-name", "--dependency-update", "--devel",
    "--skip-crds", "--disable-openapi-validation", "--atomic", "--wait", "--force",
    "--wait-for-jobs", "--create-namespace", "--enable-dns", "--render-subchart-notes",
    "--replace", "--hide-notes", "--take-ownership", "--insecure-skip-tls-verify",
    "--pass-credentials", "--plain-http", "--verify", "--validate", NULL,
};

static bool *bool_target(helm_cli *c, const char *name)
{
    static bool ignored;
    if (!strcmp(name, "--is-upgrade"))
        return &c->is_upgrade;
    if (!strcmp(name, "--no-hooks"))
        return &c->no_hooks;
    if (!strcmp(name, "--skip-tests"))
        return &c->skip_tests;
    if (!strcmp(name, "--include-crds"))
        return &c->include_crds;
    if (!strcmp(name, "--skip-schema-validation"))
        return &c->skip_schema;
    if (!strcmp(name, "--generate-name") || !strcmp(name, "-g"))
        return &c->generate_name;
    if (!strcmp(name, "--debug"))
        return &c->debug;
    if (!strcmp(name, "--enable-dns"))
        return &c->enable_dns;
    if (!strcmp(name, "--validate"))
        return &c->validate;
    if (!strcmp(name, "--release-name"))
        return &c->release_name_dir;
    return &ignored;
}

/* One value flag; returns false when `name` is not one. */
/* Flags that take a value, as `helm template` has them. */
static const char *const value_flags[] = {
    "-f", "--values", "--set", "--set-string", "--set-file", "--set-json", "--set-literal",
    "-s", "--show-only", "-a", "--api-versions", "-n", "--namespace", "--kube-version",
    "--name-template", "--output-dir", "--version", "--timeout", "--description", "--labels",
    "-l", NULL,
};

static bool is_value_flag(const char *name)
{
    for (size_t i = 0; value_flags[i]; i++)
        if (!strcmp(value_flags[i], name))
            return true;
    return false;
}

/* Set a value flag of value_flags; false when it is not one. */
static bool value_flag(helm_cli *c, const char *name, const char *v)
{
    if (!strcmp(name, "-f") || !strcmp(name, "--values"))
        list_add_csv(&c->files, &c->owned, v);
    else if (!strcmp(name, "--set"))
        list_add(&c->set, v);
    else if (!strcmp(name, "--set-string"))
        list_add(&c->set_string, v);
    else if (!strcmp(name, "--set-file"))
        list_add(&c->set_file, v);
    else if (!strcmp(name, "--set-json"))
        list_add(&c->set_json, v);
    else if (!strcmp(name, "--set-literal"))
        list_add(&c->set_literal, v);
    else if (!strcmp(name, "-s") || !strcmp(name, "--show-only"))
        list_add(&c->show_only, v);
    else if (!strcmp(name, "-a") || !strcmp(name, "--api-versions"))
        list_add_csv(&c->apis, &c->owned, v);
    else if (!strcmp(name, "-n") || !strcmp(name, "--namespace"))
        c->namespace_ = v;
    else if (!strcmp(name, "--kube-version"))
        c->kube_version = v;
    else if (!strcmp(name, "--name-template"))
        c->name_template = v;
    else if (!strcmp(name, "--output-dir"))
        c->output_dir = v;
    else if (strcmp(name, "--version") && strcmp(name, "--timeout") &&
             strcmp(name, "--description") && strcmp(name, "--labels") && strcmp(name, "-l"))
        return false; /* those change nothing `helm template` prints */
    return true;
}


static int usage(FILE *out, int rc)
{
    fputs("Usage:\n  gotk helm template [NAME] [CHART] [flags]\n\n"
          "Flags:\n"
          "  -a, --api-versions strings   Kubernetes api versions used for Capabilities.APIVersions\n"
          "  -g, --generate-name          generate the name (and omit the NAME parameter)\n"
          "      --include-crds           include CRDs in the templated output\n"
          "      --is-upgrade             set .Release.IsUpgrade instead of .Release.IsInstall\n"
          "      --kube-version string    Kubernetes version used for Capabilities.KubeVersion\n"
          "      --name-template string   specify template used to name the release\n"
          "  -n, --namespace string       namespace scope for this request\n"
          "      --output-dir string      writes the executed templates to files in output-dir instead of stdout\n"
          "      --release-name           use release name in the output-dir path\n"
          "      --no-hooks               prevent hooks from running during install\n"
          "      --set stringArray        set values on the command line (key1=val1,key2=val2)\n"
          "      --set-file stringArray   set values from respective files\n"
          "      --set-json stringArray   set JSON values on the command line\n"
          "      --set-literal stringArray set a literal STRING value on the command line\n"
          "      --set-string stringArray set STRING values on the command line\n"
          "  -s, --show-only stringArray  only show manifests rendered from the given templates\n"
          "      --skip-schema-validation disable JSON schema validation\n"
          "      --skip-tests             skip tests from templated output\n"
          "  -f, --values strings         specify values in a YAML file (can specify multiple)\n",
          out);
    return rc;
}

/* A value flag at argv[*i] (`a`, named `name`, with "=value" at eq), its value
 * inline or the next argument; errors as pflag words them. */
static gotk_err *take_value_flag(helm_cli *c, const char *a, const char *name, const char *eq,
                                 char **argv, int argc, int *i)
{
    bool shorthand = a[1] != '-';
    char shorty[3] = {'-', a[1], 0};
    if (shorthand ? !is_value_flag(shorty) : !is_value_flag(name))
        return shorthand ? gotk_err_new(GOTK_E_INVALID, "unknown shorthand flag: '%c' in %s", a[1], a)
                         : gotk_err_new(GOTK_E_INVALID, "unknown flag: %s", name);
    /* -fx and -f=x, as pflag reads a shorthand's value */
    const char *v = shorthand && a[2] ? a + 2 + (a[2] == '=')
                    : eq          ? eq + 1
                                  : (*i + 1 < argc ? argv[++*i] : NULL);
    if (!v)
        return shorthand ? gotk_err_new(GOTK_E_INVALID, "flag needs an argument: '%c' in %s", a[1], a)
                         : gotk_err_new(GOTK_E_INVALID, "flag needs an argument: %s", name);
    if (!strcmp(name, "--timeout")) {
        gotk_duration d;
        gotk_err *e = gotk_duration_parse(v, &d);
        if (e) {
            gotk_err *w = gotk_err_new(GOTK_E_INVALID, "invalid argument \"%s\" for \"--timeout\" flag: %s",
                                       v, gotk_err_msg(e));
            gotk_err_free(e);
            return w;
        }
    }
    value_flag(c, shorthand ? shorty : name, v);
    return NULL;
}

static gotk_err *parse_args(int argc, char **argv, helm_cli *c)
{
    bool dashdash = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (dashdash || a[0] != '-' || !a[1]) {
            list_add(&c->args, a);
            continue;
        }
        if (!strcmp(a, "--")) {
            dashdash = true;
            continue;
        }
        const char *eq = a[1] == '-' ? strchr(a, '=') : NULL;
        char *name = eq ? gotk_xstrndup(a, (size_t)(eq - a)) : gotk_xstrdup(a);
        bool is_bool = false;
        for (int b = 0; bool_flags[b] && !is_bool; b++)
            is_bool = !strcmp(bool_flags[b], name);
        gotk_err *e = NULL;
        if (is_bool) {
            *bool_target(c, name) = !eq || strcmp(eq + 1, "false");
        } else if (!strcmp(name, "--dry-run")) {
            c->dry_run = eq ? eq + 1 : "client"; /* its value is optional */
        } else {
            e = take_value_flag(c, a, name, eq, argv, argc, &i);
        }
        free(name);
        if (e)
            return e;
    }
    return NULL;
}

/* Sprig's own fail (Helm's engine has another): the message as the error. */
static gotk_err *sprig_fail(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv,
                            gotk_tpl_val *res, void *ud)
{
    (void)ex, (void)argc, (void)res, (void)ud;
    return gotk_err_new(GOTK_E_INVALID, "%s", json_object_get_string(argv[0].j));
}

/* --name-template, as action.TemplateName: Sprig's functions, nil data. */
static gotk_err *name_from_template(const char *text, char **name)
{
    gotk_tpl_set *set = gotk_template_new();
    gotk_template_add_sprig(set);
    gotk_template_add_func(set, "fail", "s", sprig_fail, NULL);
    gotk_buf b = {0};
    gotk_err *e = gotk_template_parse(set, "name-template", text, strlen(text));
    if (!e)
        e = gotk_template_execute(set, "name-template", NULL, &b);
    gotk_template_free(set);
    if (e) {
        gotk_buf_free(&b);
        return e;
    }
    *name = gotk_xstrdup(b.data ? b.data : "");
    gotk_buf_free(&b);
    return NULL;
}

/* NameAndChart */
static gotk_err *name_and_chart(helm_cli *c, char **name, const char **chart)
{
    if (c->args.n == 0)
        return gotk_err_new(GOTK_E_INVALID, "\"gotk helm template\" requires at least 1 argument");
    if (c->args.n > 2) {
        gotk_buf b = {0};
        for (size_t i = 2; i < c->args.n; i++)
            gotk_buf_printf(&b, "%s%s", i > 2 ? ", " : "", c->args.v[i]);
        gotk_err *e = gotk_err_new(GOTK_E_INVALID,
                                   "expected at most two arguments, unexpected arguments: %s",
                                   b.data);
        gotk_buf_free(&b);
        return e;
    }
    if (c->args.n == 2) {
        if (c->generate_name)
            return gotk_err_new(GOTK_E_INVALID, "cannot set --generate-name and also specify a name");
        if (c->name_template && *c->name_template)
            return gotk_err_new(GOTK_E_INVALID, "cannot set --name-template and also specify a name");
        *name = gotk_xstrdup(c->args.v[0]);
        *chart = c->args.v[1];
        return NULL;
    }
    *chart = c->args.v[0];
    if (c->name_template && *c->name_template)
        return name_from_template(c->name_template, name);
    /* helm template presets the name, so --generate-name never generates one */
    *name = gotk_xstrdup("release-name");
    return NULL;
}

/* action.validateDryRunOptionFlag ("" is the flag's default) */
static gotk_err *check_dry_run(const char *v)
{
    static const char *const allowed[] = {"", "false", "true", "none", "client", "server", NULL};
    for (int i = 0; v && allowed[i]; i++)
        if (!strcmp(v, allowed[i]))
            return NULL;
    return !v ? NULL : gotk_err_new(GOTK_E_INVALID, "Invalid dry-run flag. Flag must one of the following: "
                                               "false, true, none, client, server");
}

static gotk_err *check_kube_version(const char *kv)
{
    if (!kv || !*kv)
        return NULL;
    gotk_semver *v = NULL;
    gotk_err *e = gotk_semver_parse(kv, &v);
    gotk_semver_free(v);
    if (!e)
        return NULL;
    /* Helm 3.17 has Masterminds/semver v3.3, whose texts are capitalized */
    const char *m = gotk_err_msg(e);
    gotk_err *n = !strcmp(m, "invalid semantic version")
                      ? gotk_err_new(GOTK_E_INVALID, "invalid kube version '%s': Invalid Semantic Version", kv)
                      : gotk_err_new(GOTK_E_INVALID, "invalid kube version '%s': %c%s", kv,
                                     toupper((unsigned char)m[0]), m + 1);
    gotk_err_free(e);
    return n;
}

/* --output-dir: the files written, then the empty manifest Helm prints;
 * --show-only finds nothing left. A failed render reports as without the
 * flag (the chart is rendered once: rendering processes it). */
static gotk_err *template_to_dir(gotk_helm_chart *chart, json_object *vals,
                                 gotk_helm_template_opts *o, const helm_outdir_opts *od,
                                 gotk_buf *out)
{
    const char *const *show_only = o->show_only;
    o->show_only = NULL;
    gotk_helm_release *rel = NULL;
    gotk_err *e = gotk_helm_render(chart, vals, o, &rel);
    o->show_only = show_only;
    if (e && rel && o->debug) { /* what was rendered, trimmed as strings.TrimSpace */
        const char *m = rel->manifest;
        size_t n = strlen(m);
        while (n && isspace((unsigned char)m[n - 1]))
            n--;
        while (n && isspace((unsigned char)*m))
            m++, n--;
        gotk_buf_append(out, m, n);
        gotk_buf_puts(out, "\n");
    } else if (e && rel) {
        gotk_err *n = gotk_err_new(gotk_err_code_of(e),
                                   "%s\n\nUse --debug flag to render out invalid YAML",
                                   gotk_err_msg(e));
        gotk_err_free(e);
        e = n;
    } else if (!e) {
        e = helm_outdir_write(rel, od, out);
    }
    gotk_helm_release_free(rel);
    if (!e && show_only && show_only[0])
        return gotk_err_new(GOTK_E_INVALID, "could not find template %s in chart", show_only[0]);
    if (!e)
        gotk_buf_puts(out, "\n");
    return e;
}

static gotk_err *run(helm_cli *c, gotk_buf *out, gotk_buf *warnings)
{
    char *name = NULL;
    const char *chart_path = NULL;
    gotk_err *e = check_kube_version(c->kube_version);
    if (!e)
        e = name_and_chart(c, &name, &chart_path);
    json_object *vals = NULL;
    gotk_helm_value_opts vo = {c->files.v, c->set_json.v, c->set.v, c->set_string.v,
                               c->set_file.v, c->set_literal.v};
    gotk_helm_chart *chart = NULL;
    struct stat st; /* Helm locates the chart before reading values */
    if (!e && stat(chart_path, &st) != 0)
        e = gotk_helm_load(chart_path, &chart);
    if (!e)
        e = gotk_helm_user_values(&vo, &vals);
    if (!e)
        e = gotk_helm_load(chart_path, &chart);
    if (!e && gotk_helm_chart_deprecated(chart)) /* before the render's own warnings */
        gotk_buf_puts(warnings, "WARNING: This chart is deprecated\n");
    if (!e)
        e = check_dry_run(c->dry_run);
    if (!e && c->validate) /* Helm asks the cluster here */
        e = gotk_err_new(GOTK_E_INVALID, "Kubernetes cluster unreachable: --validate checks the "
                                         "manifests against a cluster, which gotk helm template "
                                         "does not use");
    /* HELM_NAMESPACE is the flag's default; an empty one means the
     * kubeconfig's namespace, "default" without a cluster */
    const char *ns = c->namespace_ ? c->namespace_ : getenv("HELM_NAMESPACE");
    gotk_helm_template_opts o = {
        .release_name = name,
        .namespace_ = ns && *ns ? ns : "default",
        .is_upgrade = c->is_upgrade,
        .kube_version = c->kube_version,
        .api_versions = c->apis.v,
        .no_hooks = c->no_hooks,
        .skip_tests = c->skip_tests,
        .include_crds = c->include_crds,
        .skip_schema_validation = c->skip_schema,
        .show_only = c->show_only.v,
        .debug = c->debug,
        .warnings = warnings,
#ifndef GOTK_CLI_FRONT
        .add_funcs = c->enable_dns ? gotk_template_enable_dns : NULL,
#endif
    };
    if (!e && c->output_dir) {
        helm_outdir_opts od = {c->output_dir, c->release_name_dir ? name : NULL, c->no_hooks,
                               c->skip_tests};
        e = template_to_dir(chart, vals, &o, &od, out);
    } else if (!e) {
        e = gotk_helm_template(chart, vals, &o, out);
    }
    gotk_helm_chart_free(chart);
    json_object_put(vals);
    free(name);
    return e;
}

static void cli_free(helm_cli *c)
{
    str_list *ls[] = {&c->files, &c->set, &c->set_string, &c->set_file, &c->set_json,
                      &c->set_literal, &c->show_only, &c->apis, &c->args};
    for (size_t i = 0; i < sizeof ls / sizeof ls[0]; i++)
        free(ls[i]->v);
    for (size_t i = 0; i < c->owned.n; i++)
        free((char *)c->owned.v[i]);
    free(c->owned.v);
}

int cmd_helm(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "template"))
        return usage(argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
                         ? stdout : stderr,
                     argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) ? 0 : 1);
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return usage(stdout, 0);
    helm_cli c = {0};
    gotk_buf out = {0};
    gotk_err *e = parse_args(argc - 2, argv + 2, &c);
#ifdef GOTK_CLI_FRONT
    if (!e && c.enable_dns) { /* the offline front has no name resolver */
        cli_free(&c);
        return cli_run_cluster();
    }
#endif
    gotk_buf warnings = {0};
    if (!e)
        e = run(&c, &out, &warnings);
    int rc = 0;
    if (warnings.len) /* Helm's log, on stderr */
        fwrite(warnings.data, 1, warnings.len, stderr);
    gotk_buf_free(&warnings);
    /* with --debug, helm template prints what it rendered even when failing */
    if (out.len)
        fwrite(out.data, 1, out.len, stdout);
    if (e) {
        fprintf(stderr, "Error: %s\n", gotk_err_msg(e));
        gotk_err_free(e);
        rc = 1;
    }
    gotk_buf_free(&out);
    cli_free(&c);
    return rc;
}
