/*
 * kube: a client for the Kubernetes API, as client-go is for Go programs.
 *
 *  - Config. gotk_kube_config_load() finds credentials the way controller-runtime
 *    does: the --kubeconfig path, else $KUBECONFIG (several files separated by ':'
 *    merged, the first file to name a cluster/user/context or current-context wins),
 *    else the in-cluster service account, else ~/.kube/config. A kubeconfig gives
 *    the server, CA (data or file), insecure-skip-tls-verify, tls-server-name,
 *    proxy-url, bearer token or
 *    tokenFile, client certificate and key (data or file), impersonation, and exec
 *    credential plugins (client.authentication.k8s.io/v1 and v1beta1: the user's
 *    helper is run with posix_spawn and its ExecCredential status read).
 *  - Transport. libcurl easy handles pooled per client (each keeps its TLS
 *    connection, so sequential requests reuse one) and one per watch; TLS verified
 *    against the cluster CA, HTTP/2 when the server offers it, a token bucket
 *    (qps, burst) in front of every request, impersonation headers, retries
 *    on Retry-After. Tokens and keys never appear in errors or traces.
 *  - Discovery. GVK -> resource (plural, namespaced, status subresource) from
 *    /api/v1 and /apis/<group>/<version>, cached per group version and fetched
 *    again when a kind is missing (a CRD was just created).
 *  - Verbs on json-c objects: get, list (selectors, all pages collected), create,
 *    update, merge / JSON / strategic patch, server-side apply, the status
 *    subresource, delete (propagation, preconditions), dryRun=All.
 *  - Watch. A blocking call that streams events to a callback until the callback
 *    says stop, the timeout passes, the server closes, or a cancel flag is set;
 *    or the same driven by the caller's event loop (gotk_kube_loop). 410 Gone
 *    (too old a resourceVersion) is its own error code, so an informer knows to
 *    relist.
 *  - Errors. A failed call returns the API's Status message ("configmaps \"x\" not
 *    found"), with a code callers branch on: GOTK_E_NOTFOUND, GOTK_E_CONFLICT
 *    (AlreadyExists, Conflict), GOTK_E_INVALID (Invalid, BadRequest; field causes
 *    listed), GOTK_E_IO (network), and the kube codes below.
 *
 * A client is safe to use from several threads: concurrent requests each take a
 * pooled handle, watches run on their own.
 */
#ifndef GOTK_KUBE_H
#define GOTK_KUBE_H

#include <json-c/json.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gotk/core.h"

/* ---- error codes beyond core's ----------------------------------------- */

/* API failures that have no core code. They are gotk_err_code values outside
 * core's enumerators; gotk_err_code_of() returns them. */
#define GOTK_E_KUBE_UNAUTHORIZED ((gotk_err_code)64) /* 401: bad or missing credentials */
#define GOTK_E_KUBE_FORBIDDEN ((gotk_err_code)65)    /* 403: RBAC said no */
#define GOTK_E_KUBE_GONE ((gotk_err_code)66)         /* 410: resourceVersion too old */
#define GOTK_E_KUBE_TIMEOUT ((gotk_err_code)67)      /* 504, 429, or the client timed out */
#define GOTK_E_KUBE_SERVER ((gotk_err_code)68)       /* 5xx */

/* ---- config ------------------------------------------------------------ */

/* An exec credential plugin from a kubeconfig user. */
typedef struct {
    char *command;
    char **args;        /* NULL-terminated */
    char **env;         /* "NAME=VALUE", NULL-terminated */
    char *api_version;  /* client.authentication.k8s.io/v1 or v1beta1 */
    char *install_hint; /* shown when the command is missing */
    bool provide_cluster_info;
} gotk_kube_exec;

/* Everything needed to talk to one API server. Strings are owned by the config. */
typedef struct {
    char *server;     /* https://host:port[/prefix], no trailing slash */
    char *namespace_; /* the context's namespace, else "default" */
    char *context;    /* the kubeconfig context used; NULL in-cluster */
    unsigned char *ca_data; /* PEM; NULL: the system's CAs */
    size_t ca_len;
    bool insecure;    /* insecure-skip-tls-verify */
    char *tls_server_name; /* tls-server-name: the name the certificate must carry */
    char *proxy_url;       /* proxy-url (http, https, socks5); NULL: $HTTPS_PROXY etc. */
    char *token;      /* bearer token */
    char *token_file; /* read again every minute (service account rotation) */
    unsigned char *cert_data, *key_data; /* client certificate and key, PEM */
    size_t cert_len, key_len;
    char *username, *password; /* basic auth, rarely used */
    gotk_kube_exec *exec;
    char *impersonate_user; /* Impersonate-User */
    char *impersonate_uid;  /* Impersonate-Uid */
    char **impersonate_groups; /* Impersonate-Group each, NULL-terminated */
    char **impersonate_extra;  /* "key=value" each (Impersonate-Extra-<key>), NULL-terminated */
    double qps;  /* requests per second; <= 0: unlimited. Default 50 (Flux) */
    int burst;   /* bucket size. Default 300 (Flux) */
    gotk_duration timeout;         /* whole request, 0: none (watches excepted) */
    gotk_duration connect_timeout; /* default 10s */
    char *user_agent;              /* default "gotk/<version>" */
} gotk_kube_config;

typedef struct {
    const char *kubeconfig;      /* --kubeconfig; must exist when given */
    const char *context;         /* --context; NULL: current-context */
    const char *in_cluster_root; /* NULL: /var/run/secrets/kubernetes.io/serviceaccount */
    bool no_in_cluster;          /* skip the in-cluster step */
} gotk_kube_load_opts;

/* Find and load a config: --kubeconfig, $KUBECONFIG, in-cluster, ~/.kube/config. */
gotk_err *gotk_kube_config_load(const gotk_kube_load_opts *opts, gotk_kube_config **out);
/* Load and merge kubeconfig files (first wins per name); missing files are skipped
 * unless `must_exist`. `context` NULL means current-context. */
gotk_err *gotk_kube_config_from_files(const char *const *paths, size_t npaths,
                                      bool must_exist, const char *context,
                                      gotk_kube_config **out);
/* In-cluster: token and ca.crt under `root` (NULL: the standard directory),
 * KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT from the environment. */
gotk_err *gotk_kube_config_in_cluster(const char *root, gotk_kube_config **out);
gotk_kube_config *gotk_kube_config_copy(const gotk_kube_config *c);
void gotk_kube_config_free(gotk_kube_config *c);
/* Set (or clear with NULL) the user to impersonate. */
void gotk_kube_config_impersonate(gotk_kube_config *c, const char *user);
/* "system:serviceaccount:<ns>:<name>", as Flux impersonates serviceAccountName.
 * Caller frees. */
char *gotk_kube_sa_user(const char *ns, const char *name);

/* ---- client ------------------------------------------------------------ */

typedef struct gotk_kube_client gotk_kube_client;

/* A client for `cfg` (copied). Initializes libcurl once per process. */
gotk_err *gotk_kube_client_new(const gotk_kube_config *cfg, gotk_kube_client **out);
void gotk_kube_client_free(gotk_kube_client *c);
const gotk_kube_config *gotk_kube_client_config(const gotk_kube_client *c);

/* Counters since the client was made. */
typedef struct {
    uint64_t requests;    /* HTTP requests completed (watches not counted) */
    uint64_t connections; /* new TCP+TLS connections they needed */
    uint64_t retries;     /* of those, repeats after 401 or Retry-After */
} gotk_kube_stats;
void gotk_kube_client_stats(gotk_kube_client *c, gotk_kube_stats *out);

/* Called with every request line and header sent, one line at a time, without
 * the line ending; Authorization values are masked. For debugging and tests. */
typedef void (*gotk_kube_trace_fn)(const char *line, void *ud);
void gotk_kube_client_set_trace(gotk_kube_client *c, gotk_kube_trace_fn fn, void *ud);

/* A raw response. */
typedef struct {
    long code;  /* HTTP status */
    char *body; /* NUL-terminated */
    size_t len;
    long retry_after; /* seconds from a Retry-After header, 0 if none */
} gotk_kube_response;
void gotk_kube_response_free(gotk_kube_response *r);

/* One request to `path` (with its query), relative to the server URL. Fails only
 * when no response came; any HTTP status is returned in `resp`. A 401 is tried
 * once more with fresh exec/token-file credentials; a 429 or 5xx with Retry-After
 * is retried after waiting (up to 5 times, 10 s each at most). */
gotk_err *gotk_kube_do(gotk_kube_client *c, const char *method, const char *path,
                       const char *content_type, const char *body, size_t len,
                       gotk_kube_response *resp);
/* The same, decoding a 2xx JSON body into `*out` (may be NULL to ignore) and
 * turning any other status into an error from the API's Status. */
gotk_err *gotk_kube_do_json(gotk_kube_client *c, const char *method, const char *path,
                            const char *content_type, const char *body, size_t len,
                            json_object **out);

/* ---- discovery --------------------------------------------------------- */

/* A served resource. Pointers stay valid until the client is freed. */
typedef struct {
    const char *group;   /* "" for the core group */
    const char *version;
    const char *kind;
    const char *plural;  /* "configmaps" */
    const char *singular;
    bool namespaced;
    bool has_status;     /* serves the status subresource */
    const char *const *subresources; /* "status", "scale", ...; NULL-terminated */
    const char *const *short_names; /* NULL-terminated */
    const char *const *verbs;       /* NULL-terminated */
} gotk_kube_resource;

/* The resource serving `kind` in `api_version` ("v1", "apps/v1"). Discovery of that
 * group version is cached and fetched again when the kind is not in it. The error
 * on a miss is client-go's: `no matches for kind "X" in version "g/v"`. */
gotk_err *gotk_kube_resource_for(gotk_kube_client *c, const char *api_version,
                                 const char *kind, const gotk_kube_resource **out);
/* Find a resource by plural, singular, short name or kind, optionally qualified as
 * "name.group" (what kubectl accepts). Reads every group's preferred version. */
gotk_err *gotk_kube_resource_lookup(gotk_kube_client *c, const char *name,
                                    const gotk_kube_resource **out);
/* Forget cached discovery (the next lookup fetches again). */
void gotk_kube_discovery_reset(gotk_kube_client *c);

/* ---- verbs ------------------------------------------------------------- */

/* Which object: namespace_ may be NULL for cluster-scoped kinds (for namespaced
 * kinds NULL or "" means the config's namespace). */
typedef struct {
    const char *api_version;
    const char *kind;
    const char *namespace_;
    const char *name;
} gotk_kube_ref;

/* Options for a write; all optional. */
typedef struct {
    const char *subresource;   /* "status" */
    bool dry_run;              /* dryRun=All */
    const char *field_manager; /* fieldManager; required for apply */
    bool force;                /* apply: take fields from other managers */
    const char *propagation;   /* delete: Foreground, Background or Orphan */
    const char *precondition_uid;              /* delete */
    const char *precondition_resource_version; /* delete */
} gotk_kube_opts;

typedef enum {
    GOTK_KUBE_PATCH_MERGE,     /* application/merge-patch+json */
    GOTK_KUBE_PATCH_JSON,      /* application/json-patch+json */
    GOTK_KUBE_PATCH_STRATEGIC, /* application/strategic-merge-patch+json */
    GOTK_KUBE_PATCH_APPLY,     /* application/apply-patch+yaml (server-side apply) */
} gotk_kube_patch_type;

/* Results are new objects the caller puts; `out` may be NULL. */
gotk_err *gotk_kube_get(gotk_kube_client *c, const gotk_kube_ref *ref,
                        const gotk_kube_opts *o, json_object **out);
gotk_err *gotk_kube_create(gotk_kube_client *c, json_object *obj, const gotk_kube_opts *o,
                           json_object **out);
/* PUT; the object's metadata.resourceVersion makes it conditional (409 if stale). */
gotk_err *gotk_kube_update(gotk_kube_client *c, json_object *obj, const gotk_kube_opts *o,
                           json_object **out);
gotk_err *gotk_kube_patch(gotk_kube_client *c, const gotk_kube_ref *ref,
                          gotk_kube_patch_type type, json_object *patch,
                          const gotk_kube_opts *o, json_object **out);
/* Server-side apply of `obj` (its apiVersion, kind, namespace, name say where). */
gotk_err *gotk_kube_apply(gotk_kube_client *c, json_object *obj, const gotk_kube_opts *o,
                          json_object **out);
/* `out` gets the object (when deletion waits on finalizers) or the Status. */
gotk_err *gotk_kube_delete(gotk_kube_client *c, const gotk_kube_ref *ref,
                           const gotk_kube_opts *o, json_object **out);

typedef struct {
    const char *label_selector;
    const char *field_selector;
    const char *resource_version; /* "0": from the watch cache */
    long limit;                   /* page size; 0: the server's choice */
    const char *continue_;        /* gotk_kube_list_page only */
} gotk_kube_list_opts;

/* A list with every page collected (the pages are fetched with `limit` each). Each
 * item gets apiVersion and kind. `ns` NULL or "" lists all namespaces. */
gotk_err *gotk_kube_list(gotk_kube_client *c, const char *api_version, const char *kind,
                         const char *ns, const gotk_kube_list_opts *lo, json_object **out);
/* One page; the next one's token is in metadata.continue. */
gotk_err *gotk_kube_list_page(gotk_kube_client *c, const char *api_version,
                              const char *kind, const char *ns,
                              const gotk_kube_list_opts *lo, json_object **out);

/* ---- watch ------------------------------------------------------------- */

typedef enum {
    GOTK_KUBE_ADDED,
    GOTK_KUBE_MODIFIED,
    GOTK_KUBE_DELETED,
    GOTK_KUBE_BOOKMARK,
} gotk_kube_event;

/* Called for each event with a borrowed object (take a reference to keep it).
 * Return false to end the watch. */
typedef bool (*gotk_kube_watch_fn)(gotk_kube_event type, json_object *obj, void *ud);

typedef struct {
    const char *label_selector;
    const char *field_selector;
    const char *resource_version; /* resume after this revision; NULL: from now */
    bool bookmarks;               /* allowWatchBookmarks */
    gotk_duration timeout;        /* end after this long (also sent as timeoutSeconds); 0: none */
    atomic_int *cancel;           /* when non-NULL and set, the watch ends within ~100 ms */
} gotk_kube_watch_opts;

typedef struct {
    char resource_version[128]; /* last seen, to resume from; "" if none */
    unsigned events;            /* events delivered (bookmarks included) */
    bool stopped;               /* the callback returned false */
    bool cancelled;
    bool timed_out;
} gotk_kube_watch_result;

/* Watch `kind` in `ns` (NULL: all namespaces) until the callback stops it, the
 * server ends the stream, the timeout passes or the cancel flag is set; each of
 * those returns NULL with `res` saying which. A resourceVersion the server no
 * longer has fails with GOTK_E_KUBE_GONE (relist, then watch from the list's). */
gotk_err *gotk_kube_watch(gotk_kube_client *c, const char *api_version, const char *kind,
                          const char *ns, const gotk_kube_watch_opts *o,
                          gotk_kube_watch_fn fn, void *ud, gotk_kube_watch_result *res);
const char *gotk_kube_event_name(gotk_kube_event t);

/* ---- watches on the caller's event loop ------------------------------------ */

/* A set of watches driven by the caller's event loop (libuv, poll, ...) instead of
 * a blocking call: libcurl's multi-socket interface under the hood. The caller
 * watches the file descriptors and runs the one timer the hooks ask for, and
 * reports back with gotk_kube_loop_fd_ready / gotk_kube_loop_timeout. Everything
 * runs on the loop's thread; callbacks are called from those two functions. */
typedef struct gotk_kube_loop gotk_kube_loop;

enum {
    GOTK_KUBE_POLL_IN = 1,
    GOTK_KUBE_POLL_OUT = 2,
    GOTK_KUBE_POLL_REMOVE = 4, /* stop watching the fd */
};

typedef struct {
    /* Watch `fd` for `events` (GOTK_KUBE_POLL_IN | _OUT), or stop (_REMOVE). */
    void (*watch_fd)(int fd, int events, void *ud);
    /* Call gotk_kube_loop_timeout once after `ms` (0: as soon as possible),
     * replacing any earlier request; -1 cancels the timer. */
    void (*set_timer)(long ms, void *ud);
    void *ud;
} gotk_kube_loop_hooks;

gotk_kube_loop *gotk_kube_loop_new(const gotk_kube_loop_hooks *hooks);
/* Stop every watch still running (each gets its done callback), then free. */
void gotk_kube_loop_free(gotk_kube_loop *l);
/* Report that `fd` is ready for `events`. */
void gotk_kube_loop_fd_ready(gotk_kube_loop *l, int fd, int events);
/* Report that the timer fired. */
void gotk_kube_loop_timeout(gotk_kube_loop *l);
/* How many watches are running. */
size_t gotk_kube_loop_count(const gotk_kube_loop *l);

/* Called once when a watch ends, with the same outcome gotk_kube_watch returns
 * (the callee owns `err`, NULL for a normal end) and `res` saying how it ended. */
typedef void (*gotk_kube_watch_done_fn)(gotk_err *err, const gotk_kube_watch_result *res,
                                        void *ud);
typedef struct gotk_kube_watch_handle gotk_kube_watch_handle;

/* Start a watch on the loop; events go to `fn`, the end to `done`, both with `ud`.
 * `o->cancel` is ignored (use gotk_kube_watch_stop); `o->timeout` ends the watch
 * normally with timed_out. Discovery of the kind may block on its first use.
 * `out` (may be NULL) is valid until `done` has been called. */
gotk_err *gotk_kube_watch_start(gotk_kube_loop *l, gotk_kube_client *c,
                                const char *api_version, const char *kind, const char *ns,
                                const gotk_kube_watch_opts *o, gotk_kube_watch_fn fn,
                                gotk_kube_watch_done_fn done, void *ud,
                                gotk_kube_watch_handle **out);
/* End a watch: `done` is called with res->cancelled (at once, or when the loop
 * leaves the callback that asked for it). */
void gotk_kube_watch_stop(gotk_kube_watch_handle *h);

/* ---- errors and helpers -------------------------------------------------- */

/* An error from an HTTP status and the response body (a Status object or not). */
gotk_err *gotk_kube_status_error(long http_code, const char *body, size_t len);
/* The same from a parsed Status object (as in a watch ERROR event). */
gotk_err *gotk_kube_status_obj_error(long http_code, json_object *status);

/* "a=1,b=2" from a labels object, keys sorted (as labels.SelectorFromSet). Caller frees. */
char *gotk_kube_selector_from_labels(json_object *labels);
/* Percent-encode a query value (RFC 3986 unreserved kept). Caller frees. */
char *gotk_kube_query_escape(const char *s);
/* The path of a resource: /api/v1/namespaces/ns/configmaps/name/status; `ns`,
 * `name` and `sub` may be NULL. Caller frees. */
char *gotk_kube_resource_path(const gotk_kube_resource *r, const char *ns,
                              const char *name, const char *sub);

/* Token bucket as client-go's (golang.org/x/time/rate): starts full with `burst`
 * tokens and refills at `qps` per second. */
typedef struct {
    double qps;
    int burst;
    double tokens;
    int64_t last_ns;
} gotk_kube_limiter;
void gotk_kube_limiter_init(gotk_kube_limiter *l, double qps, int burst, int64_t now_ns);
/* Take one token at time `now_ns`; returns how long to wait before using it (0 when
 * one was available). Tokens taken ahead are owed, so waits queue up fairly. */
gotk_duration gotk_kube_limiter_reserve(gotk_kube_limiter *l, int64_t now_ns);

#endif
