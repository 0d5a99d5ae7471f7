/*
 * The artifact file server: source-controller's `--storage-addr` endpoint,
 * serving the storage directory read-only over HTTP with libmicrohttpd.
 *
 * GET and HEAD only (405 otherwise). libmicrohttpd hands us the unescaped
 * path; any `..` segment is refused, the file is resolved with realpath (so
 * the `latest.tar.gz` symlink works) and must still lie inside the root's real
 * path and be a regular file, or the answer is 404. The body is sent from the
 * file descriptor, so Content-Length is the file's size. Content-Type follows
 * the extension the way Go's mime table does for what we store (`.gz` and
 * `.tgz` application/gzip, `.yaml` text/yaml, else octet-stream).
 *
 * The daemon runs its own polling thread; stop joins it.
 */
#include "gotk/artifact.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

struct gotk_artifact_server {
    struct MHD_Daemon *d;
    char *root; /* real path of the served directory */
    int port;
};

/* Queue a small text response with a status code. */
static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned status, const char *text)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Does the URL path contain a `..` segment? */
static bool has_dotdot(const char *url)
{
    const char *p = url;
    while (*p) {
        while (*p == '/')
            p++;
        const char *q = p;
        while (*q && *q != '/')
            q++;
        if (q - p == 2 && p[0] == '.' && p[1] == '.')
            return true;
        p = q;
    }
    return false;
}

/* Content-Type for a file name. */
static const char *content_type(const char *path)
{
    size_t n = strlen(path);
    if ((n > 3 && !strcmp(path + n - 3, ".gz")) || (n > 4 && !strcmp(path + n - 4, ".tgz")))
        return "application/gzip";
    if ((n > 5 && !strcmp(path + n - 5, ".yaml")) || (n > 4 && !strcmp(path + n - 4, ".yml")))
        return "text/yaml; charset=utf-8";
    if (n > 5 && !strcmp(path + n - 5, ".json"))
        return "application/json";
    return "application/octet-stream";
}

/* Resolve url under root: an open fd of a regular file inside it, or -1. */
static int open_inside(const gotk_artifact_server *s, const char *url, off_t *size)
{
    if (!*url || has_dotdot(url))
        return -1;
    char *joined = gotk_xasprintf("%s/%s", s->root, url);
    char real[PATH_MAX];
    bool ok = realpath(joined, real) != NULL;
    free(joined);
    size_t rl = strlen(s->root);
    if (!ok || strncmp(real, s->root, rl) != 0 || real[rl] != '/')
        return -1;
    int fd = open(real, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -1;
    }
    *size = st.st_size;
    return fd;
}

/* The request handler. */
static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **req)
{
    (void)version;
    (void)upload;
    (void)upload_size;
    (void)req;
    const gotk_artifact_server *s = cls;
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "405 method not allowed\n");
    off_t size = 0;
    int fd = open_inside(s, url, &size);
    if (fd < 0)
        return reply_text(c, MHD_HTTP_NOT_FOUND, "404 page not found\n");
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)size, fd);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", content_type(url));
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

/* Parse "host:port" / ":port" into an IPv4 socket address. */
static gotk_err *parse_addr(const char *addr, struct sockaddr_in *sa)
{
    const char *colon = strrchr(addr, ':');
    if (!colon)
        return gotk_err_new(GOTK_E_INVALID, "invalid address '%s': want host:port", addr);
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535 || end == colon + 1)
        return gotk_err_new(GOTK_E_INVALID, "invalid port in address '%s'", addr);
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    char *host = gotk_xstrndup(addr, (size_t)(colon - addr));
    gotk_err *e = NULL;
    if (!*host) {
        sa->sin_addr.s_addr = htonl(INADDR_ANY);
    } else if (inet_pton(AF_INET, host, &sa->sin_addr) != 1) {
        struct addrinfo hints = {.ai_family = AF_INET}, *res = NULL;
        if (getaddrinfo(host, NULL, &hints, &res) != 0 || !res)
            e = gotk_err_new(GOTK_E_INVALID, "cannot resolve host '%s'", host);
        else
            sa->sin_addr = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
        if (res)
            freeaddrinfo(res);
    }
    free(host);
    return e;
}

/* Start serving root on addr. */
gotk_err *gotk_artifact_server_start(const char *addr, const char *root,
                                     gotk_artifact_server **out)
{
    struct sockaddr_in sa;
    gotk_err *e = parse_addr(addr, &sa);
    if (e)
        return e;
    char real[PATH_MAX];
    if (!realpath(root, real))
        return gotk_err_errno(errno, "storage path %s", root);
    gotk_artifact_server *s = gotk_xcalloc(1, sizeof *s);
    s->root = gotk_xstrdup(real);
    s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, 0, NULL, NULL,
                            handle, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120, MHD_OPTION_END);
    if (!s->d) {
        free(s->root);
        free(s);
        return gotk_err_new(GOTK_E_IO, "listen on %s: cannot start the file server", addr);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : ntohs(sa.sin_port);
    *out = s;
    return NULL;
}

/* The bound port. */
int gotk_artifact_server_port(const gotk_artifact_server *s)
{
    return s->port;
}

/* Stop the daemon and free the server. */
void gotk_artifact_server_stop(gotk_artifact_server *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->d);
    free(s->root);
    free(s);
}
