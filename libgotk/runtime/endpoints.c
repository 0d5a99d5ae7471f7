/*
 * The controller's HTTP endpoints, served by libmicrohttpd on its own thread:
 * /metrics (Prometheus text) on the metrics address, /healthz and /readyz on the
 * health address, as controller-runtime serves them. Anything else is a 404.
 */
#include "gotk/runtime.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

struct gotk_endpoints {
    struct MHD_Daemon *metrics, *health;
    gotk_metrics *m;
    const volatile bool *ready;
};

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned code, const char *type,
                             char *body, size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", type);
    enum MHD_Result ret = MHD_queue_response(conn, code, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result text(struct MHD_Connection *conn, unsigned code, const char *s)
{
    return reply(conn, code, "text/plain; charset=utf-8", gotk_xstrdup(s), strlen(s));
}

static enum MHD_Result serve_metrics(void *cls, struct MHD_Connection *conn, const char *url,
                                     const char *method, const char *version,
                                     const char *upload, size_t *upload_len, void **state)
{
    (void)version, (void)upload, (void)upload_len, (void)state;
    gotk_endpoints *e = cls;
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
    if (strcmp(url, "/metrics") != 0)
        return text(conn, MHD_HTTP_NOT_FOUND, "404 page not found\n");
    gotk_buf b = {0};
    gotk_metrics_render(e->m, &b);
    size_t len = b.len;
    return reply(conn, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8",
                 gotk_buf_steal(&b), len);
}

static enum MHD_Result serve_health(void *cls, struct MHD_Connection *conn, const char *url,
                                    const char *method, const char *version,
                                    const char *upload, size_t *upload_len, void **state)
{
    (void)version, (void)upload, (void)upload_len, (void)state, (void)method;
    gotk_endpoints *e = cls;
    if (!strcmp(url, "/healthz"))
        return text(conn, MHD_HTTP_OK, "ok");
    if (!strcmp(url, "/readyz")) {
        bool ok = !e->ready || *e->ready;
        return text(conn, ok ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE, ok ? "ok" : "not ready");
    }
    return text(conn, MHD_HTTP_NOT_FOUND, "404 page not found\n");
}

gotk_err *gotk_parse_listen_addr(const char *addr, char **host, int *port)
{
    const char *colon = strrchr(addr, ':');
    if (!colon)
        return gotk_err_new(GOTK_E_INVALID, "address %s: missing port", addr);
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || p < 0 || p > 65535)
        return gotk_err_new(GOTK_E_INVALID, "address %s: invalid port", addr);
    *host = colon == addr ? NULL : gotk_xstrndup(addr, (size_t)(colon - addr));
    *port = (int)p;
    return NULL;
}

/* Start one daemon on addr ("host:port", ":port"). */
static gotk_err *start_one(const char *addr, MHD_AccessHandlerCallback fn, gotk_endpoints *e,
                           struct MHD_Daemon **out)
{
    char *host = NULL;
    int port;
    gotk_err *err = gotk_parse_listen_addr(addr, &host, &port);
    if (err)
        return err;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_ANY);
    if (host && strcmp(host, "localhost") == 0)
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    else if (host && inet_pton(AF_INET, host, &sa.sin_addr) != 1)
        err = gotk_err_new(GOTK_E_INVALID, "address %s: %s is not an IPv4 address", addr, host);
    free(host);
    if (err)
        return err;
    *out = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
                            fn, e, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_END);
    if (!*out)
        return gotk_err_new(GOTK_E_IO, "listening on %s failed (address in use?)", addr);
    return NULL;
}

static bool enabled(const char *addr)
{
    return addr && *addr && strcmp(addr, "0") != 0;
}

gotk_err *gotk_endpoints_start(gotk_metrics *m, const char *metrics_addr,
                               const char *health_addr, const volatile bool *ready,
                               gotk_endpoints **out)
{
    gotk_endpoints *e = gotk_xcalloc(1, sizeof *e);
    e->m = m;
    e->ready = ready;
    gotk_err *err = NULL;
    if (enabled(metrics_addr))
        err = start_one(metrics_addr, serve_metrics, e, &e->metrics);
    if (!err && enabled(health_addr))
        err = start_one(health_addr, serve_health, e, &e->health);
    if (err) {
        gotk_endpoints_stop(e);
        return gotk_err_wrap(err, "starting the metrics and health endpoints");
    }
    *out = e;
    return NULL;
}

static int port_of(struct MHD_Daemon *d)
{
    const union MHD_DaemonInfo *i = d ? MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    return i ? i->port : 0;
}

int gotk_endpoints_metrics_port(gotk_endpoints *e)
{
    return port_of(e->metrics);
}

int gotk_endpoints_health_port(gotk_endpoints *e)
{
    return port_of(e->health);
}

void gotk_endpoints_stop(gotk_endpoints *e)
{
    if (!e)
        return;
    if (e->metrics)
        MHD_stop_daemon(e->metrics);
    if (e->health)
        MHD_stop_daemon(e->health);
    free(e);
}
