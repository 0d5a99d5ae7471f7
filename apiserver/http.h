/*
 * http.h: starting the HTTPS server (http.c) from main.c.
 */
#ifndef GOTK_APISERVER_HTTP_H
#define GOTK_APISERVER_HTTP_H

#include <microhttpd.h>

#include "apiserver.h"

/* Log one line per request to stderr (--v). */
extern bool http_verbose;
/* Serve the API on a listening socket with the PEM certificate and key. */
struct MHD_Daemon *http_start(apisrv *s, int fd, const char *cert, const char *key);

#endif
