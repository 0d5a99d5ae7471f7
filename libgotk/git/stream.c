/*
 * Network streams for libgit2: plain TCP and TLS (OpenSSL), registered in
 * place of libgit2's own, so that what libgit2 1.5 cannot do per remote is
 * done here, from the operation's context:
 *
 *  - Deadlines. The socket connects without blocking and every connect, read
 *    and write waits at most until the operation's deadline (the spec's
 *    `timeout`), so a server that accepts and then says nothing cannot hang a
 *    reconcile. Past the deadline the call fails and the context records the
 *    timeout. SSH reads its socket through libssh2, which would wait forever
 *    in select(); a watchdog thread per plain socket shuts the socket down at
 *    the deadline, which ends that wait.
 *  - TLS per remote. The server is verified against `ca.crt` when the Secret
 *    has one (with the whole chain the server sends), else against the system
 *    store; the host name or IP must match. `tls.crt` + `tls.key` are
 *    presented as the client certificate. libgit2 still runs its certificate
 *    callback afterwards with our verdict as `valid`.
 *
 * The context of the operation running on this thread is found through a
 * thread-local pointer that gotk_git_ctx_init sets and gotk_git_ctx_free
 * clears; libgit2 performs network I/O on the calling thread. Without a
 * context (libgit2 used outside this module) there is no deadline and the
 * system CAs apply.
 *
 * SSH does not come through here: libssh2 owns its socket.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <git2/sys/stream.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static _Thread_local gotk_git_ctx *current;

/* Make ctx the operation of this thread (NULL to clear). */
void gotk_git_stream_bind(gotk_git_ctx *ctx)
{
    current = ctx;
}

/* Forget ctx if it is this thread's operation. */
void gotk_git_stream_unbind(gotk_git_ctx *ctx)
{
    if (current == ctx)
        current = NULL;
}

/* Milliseconds left before the deadline: -1 none, 0 passed. */
static int remaining_ms(void)
{
    if (!current || !current->deadline_ms)
        return -1;
    int64_t left = current->deadline_ms - gotk_git_now_ms();
    if (left <= 0) {
        current->timed_out = true;
        return 0;
    }
    return left > 0x7fffffff ? 0x7fffffff : (int)left;
}

/* Record an error for libgit2 and return -1. */
static int stream_fail(const char *msg)
{
    git_error_set_str(GIT_ERROR_NET, msg);
    return -1;
}

/* Wait for fd to become readable or writable within the deadline. */
static int wait_fd(int fd, short events)
{
    struct pollfd p = {.fd = fd, .events = events};
    for (;;) {
        int ms = remaining_ms();
        if (ms == 0)
            return stream_fail("operation timed out");
        int r = poll(&p, 1, ms);
        if (r > 0)
            return 0;
        if (r == 0)
            continue; /* remaining_ms() now reports the timeout */
        if (errno != EINTR)
            return stream_fail(strerror(errno));
    }
}

/* Connect a non-blocking socket to host:port within the deadline. */
static int tcp_connect(const char *host, const char *port, int *out)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_family = AF_UNSPEC}, *res = NULL;
    int gai = getaddrinfo(host, port, &hints, &res);
    if (gai != 0) {
        char *msg = gotk_xasprintf("failed to resolve address for %s: %s", host, gai_strerror(gai));
        stream_fail(msg);
        free(msg);
        return -1;
    }
    int fd = -1, err = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        err = errno;
        if (err == EINPROGRESS && wait_fd(fd, POLLOUT) == 0) {
            socklen_t el = sizeof err;
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
            if (err == 0)
                break;
        }
        close(fd);
        fd = -1;
        if (current && current->timed_out)
            break;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        if (current && current->timed_out)
            return stream_fail("operation timed out");
        char *msg = gotk_xasprintf("failed to connect to %s: %s", host, strerror(err ? err : EIO));
        stream_fail(msg);
        free(msg);
        return -1;
    }
    *out = fd;
    return 0;
}

/* ---- plain TCP ------------------------------------------------------------ */

/* The layout is libgit2's git_socket_stream on purpose: its SSH transport
 * reaches into the registered plain stream for the descriptor to hand to
 * libssh2. Keep these four fields first and in this order. */
typedef struct {
    git_stream parent;
    char *host;
    char *port;
    int fd;
    /* Watchdog for sockets we do not read ourselves (libssh2's): at the
     * deadline it shuts the socket down, which wakes libssh2's select. */
    int64_t deadline_ms;
    bool dog_running, closing;
    pthread_t dog;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} tcp_stream;

/* Sleep until the deadline or close; at the deadline, shut the socket down. */
static void *watchdog(void *arg)
{
    tcp_stream *t = arg;
    struct timespec at = {(time_t)(t->deadline_ms / 1000), (long)(t->deadline_ms % 1000) * 1000000};
    pthread_mutex_lock(&t->mu);
    int rc = 0;
    while (!t->closing && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&t->cv, &t->mu, &at);
    if (!t->closing)
        shutdown(t->fd, SHUT_RDWR);
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

/* Start the watchdog when the operation has a deadline. */
static void watchdog_start(tcp_stream *t)
{
    if (!current || !current->deadline_ms)
        return;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&t->cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&t->mu, NULL);
    t->deadline_ms = current->deadline_ms;
    t->dog_running = pthread_create(&t->dog, NULL, watchdog, t) == 0;
    if (!t->dog_running) {
        pthread_cond_destroy(&t->cv);
        pthread_mutex_destroy(&t->mu);
    }
}

/* Stop and join the watchdog, if one runs. */
static void watchdog_stop(tcp_stream *t)
{
    if (!t->dog_running)
        return;
    pthread_mutex_lock(&t->mu);
    t->closing = true;
    pthread_cond_signal(&t->cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->dog, NULL);
    pthread_cond_destroy(&t->cv);
    pthread_mutex_destroy(&t->mu);
    t->dog_running = false;
}

/* Connect, then leave the descriptor blocking (libssh2 expects that); our own
 * reads and writes pass MSG_DONTWAIT and wait with poll instead. */
static int tcp_stream_connect(git_stream *s)
{
    tcp_stream *t = (tcp_stream *)s;
    if (tcp_connect(t->host, t->port, &t->fd) < 0)
        return -1;
    int fl = fcntl(t->fd, F_GETFL);
    if (fl >= 0)
        fcntl(t->fd, F_SETFL, fl & ~O_NONBLOCK);
    watchdog_start(t);
    return 0;
}

/* Read from a socket within the deadline. */
static ssize_t fd_read(int fd, void *buf, size_t len)
{
    for (;;) {
        ssize_t n = recv(fd, buf, len, MSG_DONTWAIT);
        if (n >= 0)
            return n;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return stream_fail(strerror(errno));
        if (wait_fd(fd, POLLIN) < 0)
            return -1;
    }
}

/* Write all of buf to a socket within the deadline. */
static ssize_t fd_write(int fd, const char *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = send(fd, buf + done, len - done, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            return stream_fail(strerror(errno));
        if (wait_fd(fd, POLLOUT) < 0)
            return -1;
    }
    return (ssize_t)len;
}

static ssize_t tcp_stream_read(git_stream *s, void *buf, size_t len)
{
    return fd_read(((tcp_stream *)s)->fd, buf, len);
}

static ssize_t tcp_stream_write(git_stream *s, const char *buf, size_t len, int flags)
{
    (void)flags;
    return fd_write(((tcp_stream *)s)->fd, buf, len);
}

static int tcp_stream_close(git_stream *s)
{
    tcp_stream *t = (tcp_stream *)s;
    watchdog_stop(t);
    if (t->fd >= 0)
        close(t->fd);
    t->fd = -1;
    return 0;
}

static void tcp_stream_free(git_stream *s)
{
    tcp_stream *t = (tcp_stream *)s;
    tcp_stream_close(s);
    free(t->host);
    free(t->port);
    free(t);
}

/* libgit2 constructor for plain streams. */
static int tcp_stream_new(git_stream **out, const char *host, const char *port)
{
    tcp_stream *t = gotk_xcalloc(1, sizeof *t);
    t->parent.version = GIT_STREAM_VERSION;
    t->parent.connect = tcp_stream_connect;
    t->parent.read = tcp_stream_read;
    t->parent.write = tcp_stream_write;
    t->parent.close = tcp_stream_close;
    t->parent.free = tcp_stream_free;
    t->host = gotk_xstrdup(host);
    t->port = gotk_xstrdup(port);
    t->fd = -1;
    *out = &t->parent;
    return 0;
}

/* ---- TLS -------------------------------------------------------------------- */

typedef struct {
    git_stream parent;
    char *host, *port;
    int fd;
    SSL_CTX *ctx;
    SSL *ssl;
    git_cert_x509 cert;
    unsigned char *der;
} tls_stream;

/* Load every certificate of a PEM bundle into the store. */
static int load_cas(X509_STORE *store, const gotk_git_bytes *pem)
{
    BIO *bio = BIO_new_mem_buf(pem->data, (int)pem->len);
    STACK_OF(X509_INFO) *infos = PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL);
    BIO_free(bio);
    int added = 0;
    for (int i = 0; infos && i < sk_X509_INFO_num(infos); i++) {
        X509_INFO *info = sk_X509_INFO_value(infos, i);
        if (info->x509 && X509_STORE_add_cert(store, info->x509) == 1)
            added++;
    }
    sk_X509_INFO_pop_free(infos, X509_INFO_free);
    return added > 0 ? 0 : stream_fail("failed to parse 'ca.crt': no PEM certificate found");
}

/* Use tls.crt (leaf first, then its chain) and tls.key as client identity. */
static int load_client_cert(SSL_CTX *c, const gotk_git_auth *a)
{
    BIO *bio = BIO_new_mem_buf(a->tls_crt.data, (int)a->tls_crt.len);
    X509 *leaf = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    int rc = leaf && SSL_CTX_use_certificate(c, leaf) == 1 ? 0 : -1;
    X509 *extra;
    while (rc == 0 && (extra = PEM_read_bio_X509(bio, NULL, NULL, NULL)))
        if (SSL_CTX_add_extra_chain_cert(c, extra) != 1)
            X509_free(extra);
    X509_free(leaf);
    BIO_free(bio);
    ERR_clear_error();
    if (rc < 0)
        return stream_fail("failed to parse 'tls.crt': no PEM certificate found");
    bio = BIO_new_mem_buf(a->tls_key.data, (int)a->tls_key.len);
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    BIO_free(bio);
    rc = key && SSL_CTX_use_PrivateKey(c, key) == 1 && SSL_CTX_check_private_key(c) == 1 ? 0 : -1;
    EVP_PKEY_free(key);
    ERR_clear_error();
    return rc < 0 ? stream_fail("invalid 'tls.key': it does not match 'tls.crt'") : 0;
}

/* An SSL_CTX for the current operation's Secret. */
static int make_ssl_ctx(SSL_CTX **out)
{
    SSL_CTX *c = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
    SSL_CTX_set_verify(c, SSL_VERIFY_NONE, NULL);
    const gotk_git_auth *a = current ? current->auth : NULL;
    int rc = 0;
    if (a && a->ca_crt.len)
        rc = load_cas(SSL_CTX_get_cert_store(c), &a->ca_crt);
    else
        SSL_CTX_set_default_verify_paths(c);
    if (rc == 0 && a && a->tls_crt.len && a->tls_key.len)
        rc = load_client_cert(c, a);
    if (rc < 0) {
        SSL_CTX_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

/* Drive an SSL call that may want I/O, waiting within the deadline. */
static int ssl_wait(tls_stream *t, int ret)
{
    int err = SSL_get_error(t->ssl, ret);
    if (err == SSL_ERROR_WANT_READ)
        return wait_fd(t->fd, POLLIN);
    if (err == SSL_ERROR_WANT_WRITE)
        return wait_fd(t->fd, POLLOUT);
    unsigned long e = ERR_get_error();
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    return stream_fail(e ? buf : err == SSL_ERROR_ZERO_RETURN ? "TLS connection closed"
                                                                : "TLS I/O error");
}

/* Connect, handshake, then check the server's certificate. */
static int tls_stream_connect(git_stream *s)
{
    tls_stream *t = (tls_stream *)s;
    if (make_ssl_ctx(&t->ctx) < 0 || tcp_connect(t->host, t->port, &t->fd) < 0)
        return -1;
    t->ssl = SSL_new(t->ctx);
    SSL_set_fd(t->ssl, t->fd);
    struct in6_addr ip;
    bool is_ip = inet_pton(AF_INET, t->host, &ip) == 1 || inet_pton(AF_INET6, t->host, &ip) == 1;
    if (!is_ip)
        SSL_set_tlsext_host_name(t->ssl, t->host);
    X509_VERIFY_PARAM *vp = SSL_get0_param(t->ssl);
    if (!is_ip || X509_VERIFY_PARAM_set1_ip_asc(vp, t->host) != 1)
        SSL_set1_host(t->ssl, t->host);
    int r;
    while ((r = SSL_connect(t->ssl)) != 1)
        if (ssl_wait(t, r) < 0)
            return -1;
    long v = SSL_get_verify_result(t->ssl);
    if (v != X509_V_OK) {
        char *msg = gotk_xasprintf("tls: failed to verify certificate for '%s': x509: %s", t->host,
                                   X509_verify_cert_error_string(v));
        git_error_set_str(GIT_ERROR_SSL, msg);
        if (current && !current->cb_error)
            current->cb_error = msg;
        else
            free(msg);
        return GIT_ECERTIFICATE;
    }
    return 0;
}

/* The server's certificate, for libgit2's certificate callback. */
static int tls_stream_certificate(git_cert **out, git_stream *s)
{
    tls_stream *t = (tls_stream *)s;
    X509 *peer = SSL_get1_peer_certificate(t->ssl);
    if (!peer)
        return stream_fail("the server did not present a certificate");
    free(t->der);
    t->der = NULL;
    unsigned char *p = NULL;
    int len = i2d_X509(peer, &p);
    X509_free(peer);
    if (len <= 0)
        return stream_fail("cannot encode the server's certificate");
    t->der = gotk_xmalloc((size_t)len);
    memcpy(t->der, p, (size_t)len);
    OPENSSL_free(p);
    t->cert.parent.cert_type = GIT_CERT_X509;
    t->cert.data = t->der;
    t->cert.len = (size_t)len;
    *out = &t->cert.parent;
    return 0;
}

static ssize_t tls_stream_read(git_stream *s, void *buf, size_t len)
{
    tls_stream *t = (tls_stream *)s;
    for (;;) {
        int n = SSL_read(t->ssl, buf, len > 0x40000000 ? 0x40000000 : (int)len);
        if (n > 0)
            return n;
        if (SSL_get_error(t->ssl, n) == SSL_ERROR_ZERO_RETURN)
            return 0;
        if (ssl_wait(t, n) < 0)
            return -1;
    }
}

static ssize_t tls_stream_write(git_stream *s, const char *buf, size_t len, int flags)
{
    (void)flags;
    tls_stream *t = (tls_stream *)s;
    size_t done = 0;
    while (done < len) {
        size_t chunk = len - done > 0x40000000 ? 0x40000000 : len - done;
        int n = SSL_write(t->ssl, buf + done, (int)chunk);
        if (n > 0)
            done += (size_t)n;
        else if (ssl_wait(t, n) < 0)
            return -1;
    }
    return (ssize_t)len;
}

static int tls_stream_close(git_stream *s)
{
    tls_stream *t = (tls_stream *)s;
    if (t->ssl)
        SSL_shutdown(t->ssl);
    if (t->fd >= 0)
        close(t->fd);
    t->fd = -1;
    ERR_clear_error();
    return 0;
}

static void tls_stream_free(git_stream *s)
{
    tls_stream *t = (tls_stream *)s;
    if (t->fd >= 0)
        close(t->fd);
    SSL_free(t->ssl);
    SSL_CTX_free(t->ctx);
    free(t->der);
    free(t->host);
    free(t->port);
    free(t);
}

/* libgit2 constructor for TLS streams. */
static int tls_stream_new(git_stream **out, const char *host, const char *port)
{
    tls_stream *t = gotk_xcalloc(1, sizeof *t);
    t->parent.version = GIT_STREAM_VERSION;
    t->parent.encrypted = 1;
    t->parent.connect = tls_stream_connect;
    t->parent.certificate = tls_stream_certificate;
    t->parent.read = tls_stream_read;
    t->parent.write = tls_stream_write;
    t->parent.close = tls_stream_close;
    t->parent.free = tls_stream_free;
    t->host = gotk_xstrdup(host);
    t->port = gotk_xstrdup(port);
    t->fd = -1;
    *out = &t->parent;
    return 0;
}

/* Register both stream kinds with libgit2 (once, from gotk_git_init). */
void gotk_git_stream_register(void)
{
    git_stream_registration plain = {GIT_STREAM_VERSION, tcp_stream_new, NULL};
    git_stream_registration tls = {GIT_STREAM_VERSION, tls_stream_new, NULL};
    git_stream_register(GIT_STREAM_STANDARD, &plain);
    git_stream_register(GIT_STREAM_TLS, &tls);
}
