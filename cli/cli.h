/*
 * The gotk CLI: a thin layer of option parsing over libgotk. Each command is one
 * function taking the arguments after its name; it prints its own errors as one
 * line and returns the process exit code.
 */
#ifndef GOTK_CLI_H
#define GOTK_CLI_H

typedef int (*cli_command_fn)(int argc, char **argv);

typedef struct {
    const char *name;    /* first word after `gotk` */
    const char *summary; /* one line for `gotk --help` */
    cli_command_fn run;
} cli_command;

int cmd_version(int argc, char **argv);
int cmd_envsubst(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_install(int argc, char **argv);
int cmd_bootstrap(int argc, char **argv);
int cmd_dev(int argc, char **argv);
int cmd_kustomize(int argc, char **argv);
int cmd_helm(int argc, char **argv);
int cmd_get(int argc, char **argv);
int cmd_reconcile(int argc, char **argv);
int cmd_suspend(int argc, char **argv);
int cmd_resume(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_uninstall(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_tree(int argc, char **argv);
int cmd_logs(int argc, char **argv);
int cmd_completion(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_diff(int argc, char **argv);

/* Run this command line (main's argv) in the gotk-cluster beside this
 * executable: how the offline front hands over what it does not carry.
 * Returns only when that fails, with 1 after printing why. */
int cli_run_cluster(void);
/* The directory of this executable ("." when unknown). Caller frees. */
char *cli_exe_dir(void);

/* Print "✗ message" to stderr as flux does, and return 1. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The flags every gotk command takes (flux's root persistent flags). */
#include <json-c/json.h>
#include <stdbool.h>

#include "flags.h"
#include "gotk/core.h"
#include "gotk/kube.h"

#ifndef GOTK_CLI_VERSION
#define GOTK_CLI_VERSION "0.1.0"
#endif

typedef struct {
    const char *namespace_; /* -n, --namespace: default flux-system */
    const char *kubeconfig;
    const char *context;
    gotk_duration timeout;  /* --timeout: default 5m0s */
    bool verbose;
} cli_globals;

void cli_globals_default(cli_globals *g);
/* Write the global flags into `f` (room for at least 5); returns how many. */
size_t cli_global_flags(cli_flag *f, cli_globals *g);

/* One command's parsed command line: the global flags plus the command's own. */
typedef struct {
    cli_flag flags[80];
    size_t nflags;
    char **pos; /* positional arguments (borrowed strings) */
    int npos;
    bool help;  /* --help was given and printed */
} cli_cmdline;

/* Parse `argv` (the arguments after the command's words) with the global flags
 * bound to `g` and `own`. On --help print `help_text` and the flags. */
gotk_err *cli_cmdline_parse(cli_cmdline *cl, cli_globals *g, const cli_flag *own, size_t nown,
                            int argc, char **argv, const char *help_text);
void cli_cmdline_free(cli_cmdline *cl);

/* Progress lines as flux prints them to stderr: "► ...", "✔ ...", "◎ ...". */
void cli_step(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_wait_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Open a kube client for the globals' --kubeconfig / --context. */
gotk_err *cli_kube_open(const cli_globals *g, gotk_kube_client **out);

/* ---- components (install, bootstrap) ------------------------------------- */

typedef struct {
    cli_strings components; /* empty: the default four */
    cli_strings extra;      /* --components-extra */
    const char *namespace_;
    const char *registry;
    const char *version;
} cli_components;

void cli_components_default(cli_components *c);
/* config/: $GOTK_CONFIG_DIR, the source tree of a build, or <prefix>/share/gotk. */
gotk_err *cli_config_dir(char **out);
/* The components' objects (kustomize-built), and their names joined by commas. */
gotk_err *cli_components_build(const cli_components *c, json_object **docs, char **names);
/* gotk-components.yaml as flux writes it. */
gotk_err *cli_components_yaml(const cli_components *c, char **out);
/* Apply objects: Namespaces and CRDs first (waiting until Established), then the rest. */
gotk_err *cli_apply_objects(gotk_kube_client *kube, json_object *docs, const char *manager,
                            gotk_duration timeout);
/* Build and apply the components, printing progress. */
gotk_err *cli_install_apply(const cli_globals *g, const cli_components *c);

/* ---- bootstrap -------------------------------------------------------------- */

typedef struct {
    const char *url, *branch, *path;
    gotk_duration interval;
    const char *secret_name;
    const char *username, *password;
    bool bearer, token_auth;
    const char *private_key_file;           /* SSH: the key for Git and the Secret */
    const char *ssh_algo, *ssh_curve;       /* a generated deploy key: ecdsa p384 */
    int ssh_rsa_bits;
    bool silent;                            /* do not ask to confirm the deploy key */
    const char *author_name, *author_email, *commit_appendix;
    bool local_components; /* dev mode: the controllers run as local processes */
    cli_components comps;
} cli_bootstrap_opts;

void cli_bootstrap_default(cli_bootstrap_opts *o);
/* Run every bootstrap step against the cluster of `g`, printing progress. */
gotk_err *cli_bootstrap_run(const cli_globals *g, const cli_bootstrap_opts *o);

/* Server-side apply `obj` to the cluster of `g`, then wait (up to g->timeout)
 * until its Ready condition is True, printing progress. Returns the exit code. */
int cli_apply_and_wait(const cli_globals *g, json_object *obj);

#endif
