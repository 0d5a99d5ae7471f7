/*
 * What the `gotk create` commands share: the create flags, building objects in
 * the shape Flux's Go structs marshal to, --export printing, and the dispatch
 * entry of each kind group (create_source.c, create_helm.c, create_image.c,
 * create_secret.c).
 */
#ifndef GOTK_CLI_CREATE_H
#define GOTK_CLI_CREATE_H

#include <json-c/json.h>

#include "cli.h"

#define NFLAGS(a) (sizeof(a) / sizeof((a)[0]))

/* Flags every create command takes (flux's create persistent flags). */
typedef struct {
    gotk_duration interval;
    bool export_;
    cli_strings labels;
} create_args;

/* A JSON string; a duration as Go prints it ("1m0s"). */
json_object *create_jstr(const char *s);
json_object *create_jduration(gotk_duration d);
/* {"name": name}, as a LocalObjectReference. */
json_object *create_name_ref(const char *name);
/* A list joined with newlines (spec.ignore). Caller frees. */
char *create_join_lines(const cli_strings *s);
/* dependsOn entries from '<name>' or '<namespace>/<name>'. */
json_object *create_depends_on(const cli_strings *d);
/* metadata {name, namespace, labels} as ObjectMeta marshals it. */
gotk_err *create_object_meta(const char *name, const char *ns, const cli_strings *labels,
                             json_object **out);
/* {apiVersion, kind, metadata, spec}; takes `meta` and `spec`. */
json_object *create_new_object(const char *api_version, const char *kind, json_object *meta,
                               json_object *spec);
/* What flux's printExport writes: "---" and the object, keys sorted. */
int create_print_export(json_object *obj);
/* flux's validateObjectName. */
bool create_valid_name(const char *name);
/* Export or apply and wait. Takes ownership of `obj`. */
int create_finish(const cli_globals *g, const create_args *ca, json_object *obj);
/* Append --interval, --export, --label to `f`. */
void create_add_flags(cli_flag *f, size_t *n, create_args *ca);
/* Parse a create command and check the object name as flux does. */
gotk_err *create_parse(cli_cmdline *cl, cli_globals *g, create_args *ca, const cli_flag *own,
                       size_t nown, int argc, char **argv, const char *help, const char **name);
/* Fail with the error's message (freeing it) and return 1. */
int create_fail(gotk_err *e);

/* Builds a kind's spec from its flags (`args`) and the create flags. */
typedef gotk_err *(*create_spec_fn)(void *args, const create_args *ca, json_object **spec);
/* Parse, build the spec with `fn`, then export or apply: a whole create command. */
int create_run(int argc, char **argv, create_args *ca, const cli_flag *own, size_t nown,
               const char *help, const char *api_version, const char *kind,
               create_spec_fn fn, void *args);

/* The kind groups: argv starts after the kind's words. */
int create_source_helm(int argc, char **argv);
int create_source_oci(int argc, char **argv);
int create_source_bucket(int argc, char **argv);
int create_helmrelease(int argc, char **argv);
int create_image(int argc, char **argv);  /* argv[0]: repository|policy|update */
int create_secret(int argc, char **argv); /* argv[0]: git */

/* ---- SSH identities (create secret git, bootstrap git) ---------------------- */

typedef struct {
    char *private_key; /* PEM or OpenSSH text */
    char *public_key;  /* authorized_keys line, ending in a newline */
} cli_ssh_key;

/* The key of --private-key-file (with its passphrase), or a new one of `algo`
 * (rsa with rsa_bits, ecdsa on curve p256|p384|p521, ed25519). */
gotk_err *cli_ssh_key_get(const char *key_file, const char *password, const char *algo,
                          int rsa_bits, const char *curve, cli_ssh_key *out);
void cli_ssh_key_free(cli_ssh_key *k);
/* The known_hosts line of the SSH server in `url` (scanned over SSH). */
gotk_err *cli_ssh_known_hosts_for_url(const char *url, char **out);

#endif
