/*
 * kube/transport.c: the client and its HTTP requests, over libcurl.
 *
 * A client keeps a pool of idle easy handles (up to KUBE_POOL_MAX): a request
 * takes the most recently used one (or makes one when all are busy, so
 * concurrent reconciles never wait for each other), resets and configures it,
 * and puts it back. Each handle keeps its own live connection across resets, so
 * sequential requests reuse one TLS connection (gotk_kube_stats shows it). All
 * handles, watches included, share DNS and TLS sessions through a share handle,
 * so a new connection resumes the TLS session. The connection cache itself is
 * not shared: libcurl's shared connection cache is not thread-safe (known bug
 * 11.11), and watches run on their own threads. Every handle verifies the server against the
 * cluster CA (CURLOPT_CAINFO_BLOB; no system CAs when the kubeconfig names one),
 * presents the client certificate from memory, asks for HTTP/2 over TLS, and
 * keeps TCP keepalive on so dead peers are noticed.
 *
 * Credentials are added per request: a static token, a token file re-read every
 * minute, or an exec plugin's token cached until it expires or a 401 says it is
 * stale (then the request is tried once more). Answers 429 and 5xx carrying
 * Retry-After are retried after that many seconds (at most 10, 5 times), as
 * client-go does. A token bucket in front of every request enforces qps/burst.
 * Secrets live only in header lists that are cleared and freed after use; the
 * trace callback sees Authorization masked.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

/* Initialize libcurl once per process. */
static void curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

int64_t kube_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- rate limiting ------------------------------------------------------- */

void gotk_kube_limiter_init(gotk_kube_limiter *l, double qps, int burst, int64_t now_ns)
{
    l->qps = qps;
    l->burst = burst < 1 ? 1 : burst;
    l->tokens = l->burst;
    l->last_ns = now_ns;
}

gotk_duration gotk_kube_limiter_reserve(gotk_kube_limiter *l, int64_t now_ns)
{
    if (l->qps <= 0)
        return 0;
    if (now_ns > l->last_ns) {
        l->tokens += (double)(now_ns - l->last_ns) / 1e9 * l->qps;
        if (l->tokens > l->burst)
            l->tokens = l->burst;
        l->last_ns = now_ns;
    }
    l->tokens -= 1;
    if (l->tokens >= 0)
        return 0;
    return (gotk_duration)(-l->tokens / l->qps * 1e9);
}

void kube_rate_wait(gotk_kube_client *c)
{
    pthread_mutex_lock(&c->mu);
    gotk_duration d = gotk_kube_limiter_reserve(&c->limiter, kube_now_ns());
    pthread_mutex_unlock(&c->mu);
    if (d <= 0)
        return;
    struct timespec ts = {(time_t)(d / GOTK_SECOND), (long)(d % GOTK_SECOND)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* ---- share handle locks --------------------------------------------------- */

/* curl share lock callback. */
static void share_lock(CURL *h, curl_lock_data data, curl_lock_access acc, void *ud)
{
    (void)h;
    (void)acc;
    gotk_kube_client *c = ud;
    pthread_mutex_lock(&c->share_locks[data]);
}

/* curl share unlock callback. */
static void share_unlock(CURL *h, curl_lock_data data, void *ud)
{
    (void)h;
    gotk_kube_client *c = ud;
    pthread_mutex_unlock(&c->share_locks[data]);
}

/* ---- client --------------------------------------------------------------- */

/* Strip trailing slashes in place. */
static void trim_slash(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '/')
        s[--n] = 0;
}

/* The URL to send requests to. With tls-server-name, the URL names that host (so
 * SNI and certificate checks use it) and CONNECT_TO sends the connection to the
 * server's real address. */
static gotk_err *setup_server_url(gotk_kube_client *c)
{
    const gotk_kube_config *cfg = c->cfg;
    if (!cfg->tls_server_name || !*cfg->tls_server_name) {
        c->base_url = gotk_xstrdup(cfg->server);
        return NULL;
    }
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL, *url = NULL;
    gotk_err *e = NULL;
    if (!u || curl_url_set(u, CURLUPART_URL, cfg->server, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK ||
        curl_url_set(u, CURLUPART_HOST, cfg->tls_server_name, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_URL, &url, 0) != CURLUE_OK) {
        e = gotk_err_new(GOTK_E_INVALID, "kube client: invalid server URL \"%s\" or "
                                         "tls-server-name \"%s\"",
                         cfg->server, cfg->tls_server_name);
    } else {
        c->base_url = gotk_xstrdup(url);
        trim_slash(c->base_url);
        char *line = gotk_xasprintf("%s:%s:%s:%s", cfg->tls_server_name, port, host, port);
        c->connect_to = curl_slist_append(NULL, line);
        free(line);
    }
    curl_free(host);
    curl_free(port);
    curl_free(url);
    curl_url_cleanup(u);
    return e;
}

gotk_err *gotk_kube_client_new(const gotk_kube_config *cfg, gotk_kube_client **out)
{
    if (!cfg || !cfg->server)
        return gotk_err_new(GOTK_E_INVALID, "kube client: no server configured");
    pthread_once(&curl_once, curl_init_once);
    gotk_kube_client *c = gotk_xcalloc(1, sizeof *c);
    c->cfg = gotk_kube_config_copy(cfg);
    pthread_mutex_init(&c->mu, NULL);
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&c->share_locks[i], NULL);
    c->share = curl_share_init();
    if (!c->share) {
        gotk_kube_client_free(c);
        return gotk_err_new(GOTK_E_NOMEM, "kube client: initializing libcurl");
    }
    gotk_err *e = setup_server_url(c);
    if (e) {
        gotk_kube_client_free(c);
        return e;
    }
    curl_share_setopt(c->share, CURLSHOPT_LOCKFUNC, share_lock);
    curl_share_setopt(c->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
    curl_share_setopt(c->share, CURLSHOPT_USERDATA, c);
    curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    gotk_kube_limiter_init(&c->limiter, cfg->qps, cfg->burst, kube_now_ns());
    *out = c;
    return NULL;
}

/* Clear and free cached credentials. */
static void creds_clear(kube_creds *cr)
{
    if (cr->file_token) {
        explicit_bzero(cr->file_token, strlen(cr->file_token));
        free(cr->file_token);
    }
    if (cr->exec_token) {
        explicit_bzero(cr->exec_token, strlen(cr->exec_token));
        free(cr->exec_token);
    }
    free(cr->exec_cert);
    if (cr->exec_key) {
        explicit_bzero(cr->exec_key, cr->exec_key_len);
        free(cr->exec_key);
    }
    memset(cr, 0, sizeof *cr);
}

void gotk_kube_client_free(gotk_kube_client *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->nidle; i++)
        curl_easy_cleanup(c->idle[i]);
    if (c->share)
        curl_share_cleanup(c->share);
    creds_clear(&c->creds);
    kube_discovery_free(c);
    free(c->base_url);
    curl_slist_free_all(c->connect_to);
    gotk_kube_config_free(c->cfg);
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_destroy(&c->share_locks[i]);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

const gotk_kube_config *gotk_kube_client_config(const gotk_kube_client *c)
{
    return c->cfg;
}

void gotk_kube_client_set_trace(gotk_kube_client *c, gotk_kube_trace_fn fn, void *ud)
{
    c->trace = fn;
    c->trace_ud = ud;
}

/* ---- credentials ----------------------------------------------------------- */

bool kube_creds_invalidate(gotk_kube_client *c)
{
    pthread_mutex_lock(&c->mu);
    bool had = c->cfg->exec != NULL || c->cfg->token_file != NULL;
    if (c->creds.exec_valid)
        c->creds.exec_valid = false;
    c->creds.file_read_at = 0;
    pthread_mutex_unlock(&c->mu);
    return had;
}

/* Re-read the token file when it is older than a minute (caller holds mu). */
static gotk_err *refresh_file_token(gotk_kube_client *c)
{
    time_t now = time(NULL);
    if (c->creds.file_token && now - c->creds.file_read_at < 60)
        return NULL;
    char *data = NULL;
    size_t len = 0;
    gotk_err *e = gotk_file_read(c->cfg->token_file, &data, &len);
    if (e)
        return gotk_err_wrap(e, "reading the bearer token file");
    while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r' || data[len - 1] == ' '))
        data[--len] = 0;
    if (c->creds.file_token) {
        explicit_bzero(c->creds.file_token, strlen(c->creds.file_token));
        free(c->creds.file_token);
    }
    c->creds.file_token = data;
    c->creds.file_read_at = now;
    return NULL;
}

/* Run the exec plugin when there is no valid credential (caller holds mu). */
static gotk_err *refresh_exec(gotk_kube_client *c)
{
    time_t now = time(NULL);
    if (c->creds.exec_valid && (!c->creds.exec_expiry || now < c->creds.exec_expiry - 10))
        return NULL;
    kube_creds fresh = {0};
    gotk_err *e = kube_exec_run(c->cfg, &fresh);
    if (e)
        return e;
    fresh.file_token = c->creds.file_token;
    fresh.file_read_at = c->creds.file_read_at;
    c->creds.file_token = NULL;
    creds_clear(&c->creds);
    c->creds = fresh;
    return NULL;
}

/* Append a header line built from a name and a value. */
static struct curl_slist *add_header(struct curl_slist *l, const char *name, const char *val)
{
    char *line = gotk_xasprintf("%s: %s", name, val);
    struct curl_slist *n = curl_slist_append(l, line);
    explicit_bzero(line, strlen(line));
    free(line);
    return n;
}

/* The Authorization header value's token, refreshing it if needed (holds mu). */
static gotk_err *current_token(gotk_kube_client *c, const char **tok)
{
    *tok = c->cfg->token;
    if (c->cfg->exec) {
        gotk_err *e = refresh_exec(c);
        if (e)
            return e;
        if (c->creds.exec_token)
            *tok = c->creds.exec_token;
    } else if (!*tok && c->cfg->token_file) {
        gotk_err *e = refresh_file_token(c);
        if (e)
            return e;
        *tok = c->creds.file_token;
    }
    return NULL;
}

/* Impersonation headers. */
static struct curl_slist *impersonation(const gotk_kube_config *cfg, struct curl_slist *h)
{
    if (cfg->impersonate_user)
        h = add_header(h, "Impersonate-User", cfg->impersonate_user);
    if (cfg->impersonate_uid)
        h = add_header(h, "Impersonate-Uid", cfg->impersonate_uid);
    for (size_t i = 0; cfg->impersonate_groups && cfg->impersonate_groups[i]; i++)
        h = add_header(h, "Impersonate-Group", cfg->impersonate_groups[i]);
    for (size_t i = 0; cfg->impersonate_extra && cfg->impersonate_extra[i]; i++) {
        const char *kv = cfg->impersonate_extra[i], *eq = strchr(kv, '=');
        if (!eq)
            continue;
        char *name = gotk_xasprintf("Impersonate-Extra-%.*s", (int)(eq - kv), kv);
        h = add_header(h, name, eq + 1);
        free(name);
    }
    return h;
}

gotk_err *kube_headers(gotk_kube_client *c, const char *content_type,
                       struct curl_slist **out)
{
    struct curl_slist *h = curl_slist_append(NULL, "Accept: application/json");
    h = curl_slist_append(h, "Expect:");
    if (content_type)
        h = add_header(h, "Content-Type", content_type);
    pthread_mutex_lock(&c->mu);
    const char *tok = NULL;
    gotk_err *e = current_token(c, &tok);
    if (!e && tok && *tok) {
        char *v = gotk_xasprintf("Bearer %s", tok);
        h = add_header(h, "Authorization", v);
        explicit_bzero(v, strlen(v));
        free(v);
    }
    pthread_mutex_unlock(&c->mu);
    if (e) {
        curl_slist_free_all(h);
        return e;
    }
    *out = impersonation(c->cfg, h);
    return NULL;
}

/* ---- easy handle setup ------------------------------------------------------ */

/* Client certificate from the config or the exec plugin (holds mu while reading). */
static void setup_client_cert(gotk_kube_client *c, CURL *h)
{
    pthread_mutex_lock(&c->mu);
    const unsigned char *cert = c->cfg->cert_data, *key = c->cfg->key_data;
    size_t clen = c->cfg->cert_len, klen = c->cfg->key_len;
    if (c->creds.exec_valid && c->creds.exec_cert) {
        cert = c->creds.exec_cert;
        clen = c->creds.exec_cert_len;
        key = c->creds.exec_key;
        klen = c->creds.exec_key_len;
    }
    if (cert && key) {
        struct curl_blob cb = {(void *)cert, clen, CURL_BLOB_COPY};
        struct curl_blob kb = {(void *)key, klen, CURL_BLOB_COPY};
        curl_easy_setopt(h, CURLOPT_SSLCERT_BLOB, &cb);
        curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
        curl_easy_setopt(h, CURLOPT_SSLKEY_BLOB, &kb);
        curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
    }
    pthread_mutex_unlock(&c->mu);
}

/* Milliseconds of a duration, at least 1 when positive. */
static long to_ms(gotk_duration d)
{
    if (d <= 0)
        return 0;
    long ms = (long)(d / GOTK_MS);
    return ms ? ms : 1;
}

void kube_easy_setup(gotk_kube_client *c, CURL *h)
{
    const gotk_kube_config *cfg = c->cfg;
    curl_easy_setopt(h, CURLOPT_SHARE, c->share);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(h, CURLOPT_USERAGENT, cfg->user_agent);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPIDLE, 30L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPINTVL, 30L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, to_ms(cfg->connect_timeout));
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    if (c->connect_to)
        curl_easy_setopt(h, CURLOPT_CONNECT_TO, c->connect_to);
    if (cfg->proxy_url)
        curl_easy_setopt(h, CURLOPT_PROXY, cfg->proxy_url);
    if (cfg->insecure) {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    } else if (cfg->ca_data) {
        struct curl_blob ca = {cfg->ca_data, cfg->ca_len, CURL_BLOB_COPY};
        curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &ca);
        curl_easy_setopt(h, CURLOPT_CAINFO, NULL);
        curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
    }
    setup_client_cert(c, h);
    if (cfg->username && cfg->password) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERNAME, cfg->username);
        curl_easy_setopt(h, CURLOPT_PASSWORD, cfg->password);
    }
    kube_trace_setup(c, h);
}

/* ---- tracing ---------------------------------------------------------------- */

/* Pass each header line to the trace callback, masking credentials. */
static int debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *ud)
{
    (void)h;
    gotk_kube_client *c = ud;
    if (type != CURLINFO_HEADER_OUT || !c->trace)
        return 0;
    const char *p = data, *end = data + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        if (n && p[n - 1] == '\r')
            n--;
        if (n) {
            char *line = strncasecmp(p, "Authorization:", 14) == 0
                             ? gotk_xstrdup("Authorization: <masked>")
                             : gotk_xstrndup(p, n);
            c->trace(line, c->trace_ud);
            free(line);
        }
        p = nl ? nl + 1 : end;
    }
    return 0;
}

void kube_trace_setup(gotk_kube_client *c, CURL *h)
{
    if (!c->trace)
        return;
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, debug_cb);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, c);
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
}

/* ---- requests ---------------------------------------------------------------- */

char *kube_url(gotk_kube_client *c, const char *path)
{
    return gotk_xasprintf("%s%s%s", c->base_url, path[0] == '/' ? "" : "/", path);
}

gotk_err *kube_curl_error(CURLcode rc, const char *errbuf, const char *method,
                          const char *url)
{
    gotk_err_code code = rc == CURLE_OPERATION_TIMEDOUT ? GOTK_E_KUBE_TIMEOUT : GOTK_E_IO;
    /* as Go's net/http prints it: Get "https://...": reason */
    char verb[16];
    snprintf(verb, sizeof verb, "%s", method);
    for (char *p = verb + 1; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    return gotk_err_new(code, "%s \"%s\": %s", verb, url,
                        errbuf && *errbuf ? errbuf : curl_easy_strerror(rc));
}

/* curl write callback appending to a gotk_buf. */
static size_t write_buf(char *p, size_t sz, size_t n, void *ud)
{
    gotk_buf_append(ud, p, sz * n);
    return sz * n;
}

/* Set the method and body on a handle. */
static void set_method(CURL *h, const char *method, const char *body, size_t len)
{
    if (strcmp(method, "GET") == 0) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        return;
    }
    if (strcmp(method, "HEAD") == 0) {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
        return;
    }
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(body ? len : 0));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? body : "");
    if (strcmp(method, "POST") != 0)
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
}

/* Seconds from a Retry-After header (delta-seconds form), else 0. */
static long retry_after(CURL *h)
{
    struct curl_header *hdr = NULL;
    if (curl_easy_header(h, "Retry-After", 0, CURLH_HEADER, -1, &hdr) != CURLHE_OK)
        return 0;
    char *end = NULL;
    long secs = strtol(hdr->value, &end, 10);
    return end != hdr->value && secs > 0 ? secs : 0;
}

/* An easy handle from the pool (or a new one), reset for a request. */
static CURL *handle_get(gotk_kube_client *c)
{
    pthread_mutex_lock(&c->mu);
    CURL *h = c->nidle ? c->idle[--c->nidle] : NULL;
    pthread_mutex_unlock(&c->mu);
    if (!h)
        h = curl_easy_init();
    else
        curl_easy_reset(h);
    if (!h)
        abort(); /* out of memory, as gotk_xmalloc */
    return h;
}

/* Give a handle back to the pool; it keeps no pointer into the request. */
static void handle_put(gotk_kube_client *c, CURL *h)
{
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
    pthread_mutex_lock(&c->mu);
    bool kept = c->nidle < KUBE_POOL_MAX;
    if (kept)
        c->idle[c->nidle++] = h;
    pthread_mutex_unlock(&c->mu);
    if (!kept)
        curl_easy_cleanup(h);
}

void kube_count(gotk_kube_client *c, CURL *h, bool retry)
{
    long connects = 0;
    curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &connects);
    pthread_mutex_lock(&c->mu);
    c->stats.requests++;
    c->stats.connections += (uint64_t)(connects > 0 ? connects : 0);
    c->stats.retries += retry;
    pthread_mutex_unlock(&c->mu);
}

void gotk_kube_client_stats(gotk_kube_client *c, gotk_kube_stats *out)
{
    pthread_mutex_lock(&c->mu);
    *out = c->stats;
    pthread_mutex_unlock(&c->mu);
}

/* One attempt on a pooled handle (`retry`: it repeats an earlier attempt). */
static gotk_err *do_once(gotk_kube_client *c, const char *method, const char *url,
                         const char *ctype, const char *body, size_t len,
                         gotk_kube_response *resp, bool retry)
{
    struct curl_slist *hdrs = NULL;
    gotk_err *e = kube_headers(c, ctype, &hdrs);
    if (e)
        return e;
    gotk_buf buf = {0};
    char errbuf[CURL_ERROR_SIZE] = "";
    CURL *h = handle_get(c);
    kube_easy_setup(c, h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_buf);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &buf);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, to_ms(c->cfg->timeout));
    set_method(h, method, body, len);
    CURLcode rc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    resp->retry_after = rc == CURLE_OK ? retry_after(h) : 0;
    kube_count(c, h, retry);
    handle_put(c, h);
    curl_slist_free_all(hdrs);
    if (rc != CURLE_OK) {
        gotk_buf_free(&buf);
        return kube_curl_error(rc, errbuf, method, url);
    }
    if (!buf.data)
        gotk_buf_puts(&buf, "");
    resp->code = code;
    resp->len = buf.len;
    resp->body = gotk_buf_steal(&buf);
    return NULL;
}

#define MAX_RETRIES 5
#define MAX_RETRY_WAIT 10 /* seconds */

/* Whether an answer asks to be retried later. */
static bool should_retry(const gotk_kube_response *r)
{
    return r->retry_after > 0 && (r->code == 429 || r->code >= 500);
}

gotk_err *gotk_kube_do(gotk_kube_client *c, const char *method, const char *path,
                       const char *content_type, const char *body, size_t len,
                       gotk_kube_response *resp)
{
    memset(resp, 0, sizeof *resp);
    char *url = kube_url(c, path);
    kube_rate_wait(c);
    gotk_err *e = do_once(c, method, url, content_type, body, len, resp, false);
    if (!e && resp->code == 401 && kube_creds_invalidate(c)) {
        gotk_kube_response_free(resp);
        e = do_once(c, method, url, content_type, body, len, resp, true);
    }
    /* As client-go: 429 and 5xx answers that say when to come back are retried. */
    for (int i = 0; !e && i < MAX_RETRIES && should_retry(resp); i++) {
        long secs = resp->retry_after > MAX_RETRY_WAIT ? MAX_RETRY_WAIT : resp->retry_after;
        gotk_kube_response_free(resp);
        struct timespec ts = {secs, 0};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
            ;
        kube_rate_wait(c);
        e = do_once(c, method, url, content_type, body, len, resp, true);
    }
    free(url);
    return e;
}

void gotk_kube_response_free(gotk_kube_response *r)
{
    if (!r)
        return;
    free(r->body);
    memset(r, 0, sizeof *r);
}

gotk_err *gotk_kube_do_json(gotk_kube_client *c, const char *method, const char *path,
                            const char *content_type, const char *body, size_t len,
                            json_object **out)
{
    gotk_kube_response r;
    gotk_err *e = gotk_kube_do(c, method, path, content_type, body, len, &r);
    if (e)
        return e;
    if (r.code < 200 || r.code > 299) {
        e = gotk_kube_status_error(r.code, r.body, r.len);
    } else if (out) {
        e = gotk_json_parse(r.body, r.len, out);
        if (e)
            e = gotk_err_wrap(e, "decoding the response to %s %s", method, path);
    }
    gotk_kube_response_free(&r);
    return e;
}
