/*
 * kube/internal.h: what the kube module's files share and nobody else sees.
 *
 * The client holds its config, a small pool of idle libcurl easy handles for
 * ordinary requests (each keeps its connection), a share handle for DNS and TLS
 * sessions, and state guarded by `mu`: the handle pool, the rate limiter, cached
 * credentials (token file, exec plugin), the discovery cache and the counters.
 */
#ifndef GOTK_KUBE_INTERNAL_H
#define GOTK_KUBE_INTERNAL_H

#include <curl/curl.h>
#include <pthread.h>
#include <time.h>

#include "gotk/kube.h"
#include "gotk/obj.h"

/* One resource of the discovery cache (the public struct plus owned storage). */
typedef struct kube_res {
    gotk_kube_resource pub;
    char *strs[6]; /* group, version, kind, plural, singular owned here */
    char **short_names;
    char **verbs;
    char **subs;  /* subresource names */
    size_t nsubs;
} kube_res;

/* The resources of one group version. */
typedef struct kube_gv {
    char *group, *version;
    kube_res **res;
    size_t n;
    struct kube_gv *next;
} kube_gv;

/* How many idle easy handles a client keeps (one per concurrent request). */
#define KUBE_POOL_MAX 8

/* Credentials fetched at run time. */
typedef struct {
    char *file_token;      /* from token_file */
    time_t file_read_at;
    char *exec_token;      /* from the exec plugin */
    unsigned char *exec_cert, *exec_key;
    size_t exec_cert_len, exec_key_len;
    time_t exec_expiry;    /* 0: no expiry given */
    bool exec_valid;
} kube_creds;

struct gotk_kube_client {
    gotk_kube_config *cfg;
    char *base_url;                 /* the server URL requests go to */
    struct curl_slist *connect_to;  /* with tls-server-name: name -> real host */
    CURLSH *share;
    pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];
    pthread_mutex_t mu; /* guards everything below */
    CURL *idle[KUBE_POOL_MAX]; /* easy handles between requests */
    int nidle;
    gotk_kube_stats stats;
    gotk_kube_limiter limiter;
    kube_creds creds;
    kube_gv *gvs;      /* cached group versions */
    kube_gv *retired;  /* replaced entries, kept until free (pointers were handed out) */
    bool all_discovered;
    gotk_kube_trace_fn trace;
    void *trace_ud;
};

/* ---- transport.c ------------------------------------------------------- */

/* Configure a fresh (or reset) easy handle: TLS, timeouts, agent, share. */
void kube_easy_setup(gotk_kube_client *c, CURL *h);
/* The request headers: auth, impersonation, Accept, Content-Type and `extra`.
 * May run the exec plugin. The list holds secrets: free it with
 * curl_slist_free_all and never log it. */
gotk_err *kube_headers(gotk_kube_client *c, const char *content_type,
                       struct curl_slist **out);
/* Wait for the rate limiter. */
void kube_rate_wait(gotk_kube_client *c);
/* The full URL for a path. Caller frees. */
char *kube_url(gotk_kube_client *c, const char *path);
/* Mark exec credentials stale (after a 401). Returns whether there were any. */
bool kube_creds_invalidate(gotk_kube_client *c);
/* Turn a curl failure into an error naming the URL (never a secret). */
gotk_err *kube_curl_error(CURLcode rc, const char *errbuf, const char *method,
                          const char *url);
/* Count a finished transfer on `h` in the client's statistics. */
void kube_count(gotk_kube_client *c, CURL *h, bool retry);
/* Install the trace callback on a handle (when one is set). */
void kube_trace_setup(gotk_kube_client *c, CURL *h);
/* Monotonic clock in nanoseconds. */
int64_t kube_now_ns(void);

/* ---- exec.c ------------------------------------------------------------- */

/* Run the exec plugin and parse its ExecCredential into `cr`. */
gotk_err *kube_exec_run(const gotk_kube_config *cfg, kube_creds *cr);

/* ---- config.c ----------------------------------------------------------- */

void kube_exec_free(gotk_kube_exec *x);
char **kube_strv_copy(char *const *v);
void kube_strv_free(char **v);

/* ---- query.c ------------------------------------------------------------ */

/* Append "?k=v" or "&k=v" (value escaped) to a path buffer; NULL values skip. */
void kube_query_add(gotk_buf *b, const char *key, const char *val);
/* The namespace a request uses for `r`: NULL for cluster-scoped kinds. */
const char *kube_effective_ns(gotk_kube_client *c, const gotk_kube_resource *r,
                              const char *ns, bool all_ok);
/* Split "group/version" (or "v1") into new strings. */
void kube_split_api_version(const char *av, char **group, char **version);

/* ---- watch.c ------------------------------------------------------------ */

/* One watch stream: its handle and the state of its line splitter. */
typedef struct kube_watch {
    gotk_kube_watch_fn fn;
    void *ud;
    gotk_kube_watch_result *res;
    CURL *h;
    gotk_buf line;    /* bytes of the current, incomplete line */
    gotk_buf errbody; /* the body of a non-200 answer */
    gotk_err *err;    /* from an ERROR event or a bad line */
    bool stop;        /* the callback said stop, or an error ended the stream */
    char *url;
    struct curl_slist *hdrs; /* holds the token: freed, never logged */
    char errbuf[CURL_ERROR_SIZE];
} kube_watch;

/* Prepare `w` (which must not move afterwards) for a watch; nothing is sent yet. */
gotk_err *kube_watch_open(gotk_kube_client *c, const char *api_version, const char *kind,
                          const char *ns, const gotk_kube_watch_opts *o,
                          gotk_kube_watch_fn fn, void *ud, gotk_kube_watch_result *res,
                          kube_watch *w);
/* The result of a finished transfer (`rc` from curl). Takes w->err into the result. */
gotk_err *kube_watch_outcome(kube_watch *w, CURLcode rc);
/* Free everything `w` holds. */
void kube_watch_close(kube_watch *w);

/* ---- discovery.c -------------------------------------------------------- */

void kube_discovery_free(gotk_kube_client *c);

/* ---- errors.c ----------------------------------------------------------- */

/* The generic message client-go uses when a response carries no Status. */
const char *kube_generic_message(long code);

#endif
