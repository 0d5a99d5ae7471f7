/*
 * gotk dev: the whole toolkit on one machine. Shared between the command
 * (dev.c) and the supervisor process it starts (supervise.c).
 */
#ifndef GOTK_CLI_DEV_H
#define GOTK_CLI_DEV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "gotk/core.h"

/* Where a control plane lives and the ports it uses (chosen once, kept). */
typedef struct {
    char *dir;
    int api_port, artifact_port, git_port;
} dev_state;

/* One supervised process. */
typedef struct {
    const char *name;
    char *argv[32];
    pid_t pid;
    int64_t started_ms;
    int backoff_ms;
    int64_t restart_at;
} dev_child;

/* Run the children until SIGTERM (kids[0] must be the API server). */
int dev_supervise(const dev_state *st, dev_child *kids, size_t n);
bool dev_port_open(int port);

#endif
