/*
 * source-controller: the program. It parses the flags every Flux controller
 * takes plus the storage ones (--storage-path, --storage-addr,
 * --storage-adv-addr, --artifact-retention-ttl, --artifact-retention-records,
 * with Flux's defaults and STORAGE_PATH / STORAGE_ADDRESS / STORAGE_ADV_ADDR
 * from the environment), starts the artifact file server, and runs the
 * GitRepository controller on the runtime until SIGTERM.
 *
 * The advertised address is Flux's (fluxcd/pkg artifact/config
 * GetAdvertisedAddress): the flag when set, else the storage address with an
 * empty host turned into "localhost" and 0.0.0.0 into $HOSTNAME or the host
 * name. A port of 0 picks a free port, which is then advertised and logged.
 *
 * GitRepository is watched at v1, or at v1beta2 when the API server serves
 * only that older version; both carry the same fields the reconciler reads.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gotk/artifact.h"
#include "gotk/git.h"
#include "sc.h"

/* The environment's value, or the default. */
static const char *env_or(const char *name, const char *def)
{
    const char *v = getenv(name);
    return v && *v ? v : def;
}

/* Flux's advertised address, with the bound port when ":0" was asked for. */
static char *advertised_addr(const char *adv, const char *addr, int bound_port)
{
    if (adv && *adv)
        return gotk_xstrdup(adv);
    char *host = NULL;
    int port = 0;
    gotk_err *e = gotk_parse_listen_addr(addr, &host, &port);
    gotk_err_free(e);
    const char *h = host;
    char hn[256];
    if (!h || !*h) {
        h = "localhost";
    } else if (!strcmp(h, "0.0.0.0")) {
        h = getenv("HOSTNAME");
        if ((!h || !*h) && gethostname(hn, sizeof hn) == 0) {
            hn[sizeof hn - 1] = '\0';
            h = hn;
        }
    }
    char *out = strchr(h ? h : "", ':') ? gotk_xasprintf("[%s]:%d", h, bound_port)
                                        : gotk_xasprintf("%s:%d", h ? h : "", bound_port);
    free(host);
    return out;
}

/* The GitRepository version to watch: v1, or v1beta2 when the API server
 * serves only that (an older CRD). */
static const char *pick_version(const gotk_runtime_opts *o)
{
    gotk_kube_load_opts lo = {.kubeconfig = o->kubeconfig};
    gotk_kube_config *cfg = NULL;
    gotk_kube_client *kube = NULL;
    const char *version = SC_GROUP "/v1";
    gotk_err *e = gotk_kube_config_load(&lo, &cfg);
    if (!e)
        e = gotk_kube_client_new(cfg, &kube);
    const gotk_kube_resource *r = NULL;
    if (!e && (e = gotk_kube_resource_for(kube, version, "GitRepository", &r))) {
        gotk_err *e2 = gotk_kube_resource_for(kube, SC_GROUP "/v1beta2", "GitRepository", &r);
        if (!e2)
            version = SC_GROUP "/v1beta2";
        gotk_err_free(e2);
    }
    gotk_err_free(e);
    gotk_kube_client_free(kube);
    gotk_kube_config_free(cfg);
    return version;
}

/* Print an error and return the exit code 1. */
static int fail(const char *what, gotk_err *e)
{
    gotk_log(GOTK_LOG_ERROR, NULL, what, "error", gotk_err_msg(e), (char *)NULL);
    gotk_err_free(e);
    return 1;
}

/* Start the artifact server and run the controller. */
static int run(const gotk_runtime_opts *o, sc_storage *st, const char *addr, const char *adv)
{
    gotk_err *e = gotk_file_mkdir_all(st->path, 0755);
    if (e)
        return fail("unable to create the storage directory", e);
    gotk_artifact_server *srv = NULL;
    if ((e = gotk_artifact_server_start(addr, st->path, &srv)))
        return fail("unable to start the artifact server", e);
    st->adv_addr = advertised_addr(adv, addr, gotk_artifact_server_port(srv));
    char port[16];
    snprintf(port, sizeof port, "%d", gotk_artifact_server_port(srv));
    gotk_log(GOTK_LOG_INFO, NULL, "starting storage server", "addr", addr, "port", port,
             "advertised", st->adv_addr, "path", st->path, (char *)NULL);
    gotk_controller_def def = {SC_CONTROLLER, pick_version(o), "GitRepository",
                               sc_gitrepository_reconcile, st};
    gotk_controller *c = NULL;
    int rc = 1;
    if ((e = gotk_controller_new(&def, o, &c))) {
        fail("unable to create the controller", e);
    } else {
        rc = gotk_controller_run(c);
        gotk_controller_free(c);
    }
    gotk_artifact_server_stop(srv);
    free(st->adv_addr);
    return rc;
}

int main(int argc, char **argv)
{
    gotk_runtime_opts o;
    gotk_runtime_opts_default(&o);
    o.concurrent = 2; /* source-controller's default */
    sc_storage st = {.path = env_or("STORAGE_PATH", "/data"),
                     .retention_records = 2,
                     .retention_ttl = GOTK_MINUTE};
    const char *addr = env_or("STORAGE_ADDRESS", ":9090");
    const char *adv = env_or("STORAGE_ADV_ADDR", "");
    const gotk_flag flags[] = {
        {"storage-path", "The path to the directory where artifacts will be stored.", false,
         gotk_flag_string, &st.path},
        {"storage-addr", "The address the artifact server will bind to.", false,
         gotk_flag_string, &addr},
        {"storage-adv-addr", "The in-cluster address the artifact server will advertise to "
         "clients.", false, gotk_flag_string, &adv},
        {"artifact-retention-ttl", "The duration after which stale artifacts are garbage "
         "collected.", false, gotk_flag_duration, &st.retention_ttl},
        {"artifact-retention-records", "The maximum number of artifacts to be kept in storage "
         "after a garbage collection.", false, gotk_flag_int, &st.retention_records},
    };
    bool help = false;
    gotk_err *e = gotk_runtime_parse_flags(argc, argv, &o, flags, sizeof flags / sizeof flags[0],
                                           &help);
    if (e || help) {
        int code = e ? 1 : 0;
        if (e)
            fprintf(stderr, "%s\n", gotk_err_msg(e));
        gotk_err_free(e);
        return code;
    }
    gotk_log_setup(o.log_level, o.log_encoding, 2);
    signal(SIGPIPE, SIG_IGN);
    gotk_git_init();
    int rc = run(&o, &st, addr, adv);
    gotk_git_shutdown();
    return rc;
}
