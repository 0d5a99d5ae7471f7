/*
 * gotk dev up | down: the local control plane.
 *
 * `dev up` keeps its state in a directory (default .gotk/): the API server's
 * data, the artifact storage, the kubeconfig, logs, and the ports it chose on
 * first start. It starts a detached supervisor (supervise.c) running
 * gotk-apiserver, source-controller, kustomize-controller and, without --url, a
 * Git server for the demo repository (a bare copy of examples/demo), then
 * bootstraps the cluster path from the Git URL exactly as `gotk bootstrap git`
 * does, and prints what was applied. The processes keep running; `dev down`
 * stops them, and `dev up` again resumes with the state kept.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "dev.h"
#include "gotk/git.h"
#include "gotk/kube.h"
#include "gotk/obj.h"
#include "gotk/runtime.h"

/* A free TCP port on 127.0.0.1. */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    int port = -1;
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        port = ntohs(sa.sin_port);
    close(fd);
    return port;
}

/* Read <dir>/ports, or choose ports and write it. */
static gotk_err *load_ports(dev_state *st)
{
    char *path = gotk_xasprintf("%s/ports", st->dir);
    char *text = NULL;
    size_t len;
    gotk_err *e = gotk_file_read(path, &text, &len);
    if (!e && sscanf(text, "api=%d artifacts=%d git=%d", &st->api_port, &st->artifact_port,
                     &st->git_port) == 3) {
        free(text);
        free(path);
        return NULL;
    }
    gotk_err_free(e);
    free(text);
    st->api_port = free_port();
    st->artifact_port = free_port();
    st->git_port = free_port();
    char *out = gotk_xasprintf("api=%d artifacts=%d git=%d\n", st->api_port, st->artifact_port,
                               st->git_port);
    e = gotk_file_write_atomic(path, out, strlen(out), 0644);
    free(out);
    free(path);
    return e;
}

/* A gotk program next to this one (installed) or in its build directory. */
static char *find_program(const char *name, const char *subdir)
{
    char *dir = cli_exe_dir();
    char *candidates[] = {gotk_xasprintf("%s/%s", dir, name),
                          gotk_xasprintf("%s/../%s/%s", dir, subdir, name)};
    free(dir);
    char *found = NULL;
    for (size_t i = 0; i < 2; i++) {
        if (!found && access(candidates[i], X_OK) == 0)
            found = realpath(candidates[i], NULL);
        free(candidates[i]);
    }
    return found;
}

/* The demo repository's files: $GOTK_EXAMPLES_DIR, the source tree, or share. */
static char *examples_dir(void)
{
    const char *env = getenv("GOTK_EXAMPLES_DIR");
    if (env && *env)
        return gotk_xstrdup(env);
    char *dir = cli_exe_dir();
    char *tries[] = {gotk_xasprintf("%s/../../examples/demo", dir),
                     gotk_xasprintf("%s/../share/gotk/examples/demo", dir)};
    free(dir);
    char *found = NULL;
    for (size_t i = 0; i < 2; i++) {
        if (!found && access(tries[i], R_OK) == 0)
            found = realpath(tries[i], NULL);
        free(tries[i]);
    }
    return found;
}

/* lighttpd serving <dir>/git over smart HTTP (git-http-backend), push allowed. */
static gotk_err *git_server_config(const dev_state *st, char **conf)
{
    const char *backend = "/usr/lib/git-core/git-http-backend";
    if (access(backend, X_OK) != 0 || access("/usr/sbin/lighttpd", X_OK) != 0)
        return gotk_err_new(GOTK_E_NOTFOUND, "the demo Git server needs lighttpd and git "
                                             "(scripts/setup installs them); or pass --url");
    char *www = gotk_xasprintf("%s/git-www", st->dir);
    gotk_err *e = gotk_file_mkdir_all(www, 0755);
    free(www);
    if (e)
        return e;
    char *text = gotk_xasprintf(
        "server.modules = ( \"mod_alias\", \"mod_setenv\", \"mod_cgi\" )\n"
        "server.bind = \"127.0.0.1\"\nserver.port = %d\n"
        "server.document-root = \"%s/git-www\"\nserver.upload-dirs = ( \"%s\" )\n"
        "alias.url = ( \"/\" => \"%s/\" )\ncgi.assign = ( \"\" => \"\" )\n"
        "setenv.set-environment = ( \"GIT_PROJECT_ROOT\" => \"%s/git\", \"GIT_HTTP_EXPORT_ALL\" => \"1\",\n"
        "  \"GIT_CONFIG_COUNT\" => \"2\", \"GIT_CONFIG_KEY_0\" => \"http.receivepack\",\n"
        "  \"GIT_CONFIG_VALUE_0\" => \"true\", \"GIT_CONFIG_KEY_1\" => \"safe.directory\",\n"
        "  \"GIT_CONFIG_VALUE_1\" => \"*\" )\n",
        st->git_port, st->dir, st->dir, backend, st->dir);
    *conf = gotk_xasprintf("%s/git-http.conf", st->dir);
    e = gotk_file_write_atomic(*conf, text, strlen(text), 0644);
    free(text);
    return e;
}

typedef struct {
    char *bins[3];
    char *conf;
    char *args[16];
    size_t nargs;
} child_strings;

/* A formatted argument kept alive for the children's argv. */
static char *arg(child_strings *cs, char *s)
{
    cs->args[cs->nargs++] = s;
    return s;
}

/* The supervised processes: API server, controllers, the demo Git server. */
static gotk_err *plan_children(const dev_state *st, bool demo, dev_child *kids, size_t *n,
                               child_strings *cs)
{
    static const char *progs[][2] = {{"gotk-apiserver", "apiserver"},
                                     {"source-controller", "source-controller"},
                                     {"kustomize-controller", "kustomize-controller"}};
    for (size_t i = 0; i < 3; i++)
        if (!(cs->bins[i] = find_program(progs[i][0], progs[i][1])))
            return gotk_err_new(GOTK_E_NOTFOUND, "cannot find %s (build the project first: "
                                                 "scripts/setup)", progs[i][0]);
    char *kc = arg(cs, gotk_xasprintf("%s/kubeconfig", st->dir));
    kids[0] = (dev_child){.name = "apiserver", .argv = {cs->bins[0], "--data-dir",
        arg(cs, gotk_xasprintf("%s/apiserver", st->dir)), "--listen",
        arg(cs, gotk_xasprintf("127.0.0.1:%d", st->api_port)), "--kubeconfig-out", kc}};
    char *art = arg(cs, gotk_xasprintf("127.0.0.1:%d", st->artifact_port));
    kids[1] = (dev_child){.name = "source-controller", .argv = {cs->bins[1], "--kubeconfig", kc,
        "--storage-path", arg(cs, gotk_xasprintf("%s/storage", st->dir)), "--storage-addr", art,
        "--storage-adv-addr", art, "--metrics-addr", "127.0.0.1:0", "--health-addr", "127.0.0.1:0"}};
    /* one machine: recheck dependencies every 2s rather than Flux's 30s */
    kids[2] = (dev_child){.name = "kustomize-controller", .argv = {cs->bins[2], "--kubeconfig", kc,
        "--metrics-addr", "127.0.0.1:0", "--health-addr", "127.0.0.1:0",
        "--requeue-dependency", "2s"}};
    *n = 3;
    if (!demo)
        return NULL;
    gotk_err *e = git_server_config(st, &cs->conf);
    if (!e)
        kids[(*n)++] = (dev_child){.name = "git-server",
                                   .argv = {"/usr/sbin/lighttpd", "-D", "-f", cs->conf}};
    return e;
}

static void child_strings_free(child_strings *cs)
{
    for (size_t i = 0; i < 3; i++)
        free(cs->bins[i]);
    for (size_t i = 0; i < cs->nargs; i++)
        free(cs->args[i]);
    free(cs->conf);
}

/* The supervisor's pid when it is running, else 0. */
static pid_t running_supervisor(const dev_state *st)
{
    char *path = gotk_xasprintf("%s/supervisor.pid", st->dir);
    char *text = NULL;
    size_t len;
    pid_t pid = 0;
    gotk_err *e = gotk_file_read(path, &text, &len);
    if (!e)
        pid = (pid_t)atoi(text);
    if (pid > 0 && kill(pid, 0) != 0)
        pid = 0;
    gotk_err_free(e);
    free(text);
    free(path);
    return pid;
}

/* Fork the detached supervisor. The parent returns; the child never does. */
static gotk_err *start_supervisor(const dev_state *st, bool demo)
{
    dev_child kids[8];
    size_t n = 0;
    child_strings cs = {0};
    gotk_err *e = plan_children(st, demo, kids, &n, &cs);
    if (e) {
        child_strings_free(&cs);
        return e;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        child_strings_free(&cs);
        return gotk_err_errno(errno, "starting the supervisor");
    }
    if (pid > 0) {
        child_strings_free(&cs);
        return NULL;
    }
    setsid();
    char *log = gotk_xasprintf("%s/logs/supervisor.log", st->dir);
    int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    int null = open("/dev/null", O_RDONLY);
    dup2(null, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    char *pidfile = gotk_xasprintf("%s/supervisor.pid", st->dir);
    char pidtext[32];
    snprintf(pidtext, sizeof pidtext, "%d\n", (int)getpid());
    gotk_err_free(gotk_file_write_atomic(pidfile, pidtext, strlen(pidtext), 0644));
    int rc = dev_supervise(st, kids, n);
    unlink(pidfile);
    _exit(rc);
}

/* Wait for the kubeconfig and the API server's port. */
static gotk_err *wait_control_plane(const dev_state *st)
{
    char *kc = gotk_xasprintf("%s/kubeconfig", st->dir);
    bool ok = false;
    for (int i = 0; i < 600 && !ok; i++) {
        ok = access(kc, R_OK) == 0 && dev_port_open(st->api_port);
        if (!ok) {
            struct timespec ts = {0, 50 * 1000000};
            nanosleep(&ts, NULL);
        }
    }
    free(kc);
    return ok ? NULL : gotk_err_new(GOTK_E_IO, "the API server did not start (see %s/logs/apiserver.log)",
                                    st->dir);
}

/* The demo repository: a bare copy of examples/demo, made once, served by the
 * supervisor's Git server (waited for here). */
static gotk_err *seed_demo(const dev_state *st, char **url)
{
    for (int i = 0; i < 600 && !dev_port_open(st->git_port); i++) {
        struct timespec ts = {0, 50 * 1000000};
        nanosleep(&ts, NULL);
    }
    if (!dev_port_open(st->git_port))
        return gotk_err_new(GOTK_E_IO, "the demo Git server did not start (see %s/logs/git-server.log)",
                            st->dir);
    char *src = examples_dir();
    if (!src)
        return gotk_err_new(GOTK_E_NOTFOUND, "cannot find examples/demo (set GOTK_EXAMPLES_DIR)");
    char *bare = gotk_xasprintf("%s/git/demo.git", st->dir);
    bool created = false;
    gotk_err *e = gotk_git_seed_bare(bare, src, "main", "gotk", "gotk@localhost",
                                     "Demo fleet: clusters, infrastructure and apps", &created);
    if (!e && created)
        cli_ok("created the demo repository from %s", src);
    free(src);
    free(bare);
    *url = gotk_xasprintf("http://127.0.0.1:%d/demo.git", st->git_port);
    return e;
}

/* "<ns>_<name>_<group>_<kind>" -> "Kind/ns/name" */
static void print_inventory_entry(const char *id)
{
    char *copy = gotk_xstrdup(id);
    char *parts[4] = {0};
    char *p = copy;
    for (int i = 0; i < 3 && p; i++) {
        parts[i] = p;
        p = strchr(p, '_');
        if (p)
            *p++ = '\0';
    }
    parts[3] = p;
    if (parts[3])
        printf("    %s/%s%s%s\n", parts[3], parts[0], *parts[0] ? "/" : "", parts[1]);
    free(copy);
}

/* What each Kustomization applied, from its status. */
static void print_applied(gotk_kube_client *kube)
{
    json_object *list = NULL;
    gotk_kube_list_opts lo = {0};
    gotk_err *e = gotk_kube_list(kube, "kustomize.toolkit.fluxcd.io/v1", "Kustomization", NULL, &lo, &list);
    json_object *items = e ? NULL : gotk_obj_get(list, "items", NULL);
    size_t n = items ? json_object_array_length(items) : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *ks = json_object_array_get_idx(items, i);
        const char *rev = gotk_obj_get_str(ks, "status.lastAppliedRevision");
        printf("Kustomization/%s/%s %s at %s\n", gotk_obj_get_str(ks, "metadata.namespace"),
               gotk_obj_get_str(ks, "metadata.name"),
               gotk_cond_is_true(ks, "Ready") ? "Ready" : "not ready", rev ? rev : "-");
        json_object *entries = gotk_obj_getp(ks, "status.inventory.entries");
        size_t m = entries ? json_object_array_length(entries) : 0;
        for (size_t k = 0; k < m; k++)
            print_inventory_entry(gotk_obj_get_str(json_object_array_get_idx(entries, k), "id"));
    }
    gotk_err_free(e);
    json_object_put(list);
}

/* Wait until every Kustomization is Ready at its current generation. */
static gotk_err *wait_all_ready(gotk_kube_client *kube, gotk_duration timeout)
{
    cli_wait_msg("waiting for all Kustomizations to be reconciled");
    for (gotk_duration waited = 0;; waited += 500 * GOTK_MS) {
        json_object *list = NULL;
        gotk_kube_list_opts lo = {0};
        gotk_err *e = gotk_kube_list(kube, "kustomize.toolkit.fluxcd.io/v1", "Kustomization",
                                     NULL, &lo, &list);
        json_object *items = e ? NULL : gotk_obj_get(list, "items", NULL);
        size_t n = items ? json_object_array_length(items) : 0, ready = 0;
        const char *pending = NULL, *why = NULL;
        for (size_t i = 0; i < n; i++) {
            json_object *ks = json_object_array_get_idx(items, i);
            bool ok = gotk_cond_is_true(ks, "Ready") &&
                      json_object_get_int64(gotk_obj_getp(ks, "status.observedGeneration")) ==
                          json_object_get_int64(gotk_obj_getp(ks, "metadata.generation"));
            if (ok)
                ready++;
            else if (!pending) {
                pending = gotk_obj_get_str(ks, "metadata.name");
                why = gotk_obj_get_str(gotk_cond_get(ks, "Ready"), "message");
            }
        }
        gotk_err *out = NULL;
        if (!e && n > 0 && ready == n)
            cli_ok("all %zu Kustomizations are Ready", n);
        else if (waited >= timeout)
            out = gotk_err_new(GOTK_E_IO, "kustomization '%s' not ready: '%s'",
                               pending ? pending : "?", why ? why : "timeout");
        bool done = (!e && n > 0 && ready == n) || out;
        gotk_err_free(e);
        json_object_put(list);
        if (done)
            return out;
        struct timespec ts = {0, 500 * 1000000};
        nanosleep(&ts, NULL);
    }
}

typedef struct {
    const char *state_dir;
    cli_bootstrap_opts boot;
} dev_args;

/* dev up: supervisor (unless running), demo repository, bootstrap, report. */
static gotk_err *dev_up(cli_globals *g, dev_args *a)
{
    dev_state st = {0};
    gotk_err *e = gotk_file_mkdir_all(a->state_dir, 0755);
    if (!e)
        st.dir = realpath(a->state_dir, NULL);
    char *logs = st.dir ? gotk_xasprintf("%s/logs", st.dir) : NULL;
    if (!e && logs)
        e = gotk_file_mkdir_all(logs, 0755);
    free(logs);
    if (!e)
        e = load_ports(&st);
    bool demo = !a->boot.url || !*a->boot.url;
    if (!e && running_supervisor(&st)) {
        cli_ok("control plane already running in %s", st.dir);
    } else if (!e) {
        cli_step("starting the control plane in %s", st.dir);
        e = start_supervisor(&st, demo);
    }
    if (!e)
        e = wait_control_plane(&st);
    char *kc = st.dir ? gotk_xasprintf("%s/kubeconfig", st.dir) : NULL;
    char *url = NULL;
    if (!e) {
        cli_ok("API server listening on https://127.0.0.1:%d (kubeconfig: %s)", st.api_port, kc);
        if (demo && !(e = seed_demo(&st, &url)))
            a->boot.url = url;
    }
    g->kubeconfig = kc;
    if (!e)
        e = cli_bootstrap_run(g, &a->boot);
    gotk_kube_client *kube = NULL;
    if (!e && !(e = cli_kube_open(g, &kube)))
        e = wait_all_ready(kube, g->timeout);
    if (!e) {
        print_applied(kube);
        printf("\nkubectl --kubeconfig %s get all -A\n", kc);
    }
    gotk_kube_client_free(kube);
    free(url);
    free(kc);
    free(st.dir);
    return e;
}

/* dev down: stop the supervisor and wait for it. */
static gotk_err *dev_down(const char *state_dir)
{
    dev_state st = {.dir = realpath(state_dir, NULL)};
    if (!st.dir)
        return gotk_err_new(GOTK_E_NOTFOUND, "no control plane state in %s", state_dir);
    pid_t pid = running_supervisor(&st);
    gotk_err *e = NULL;
    if (!pid) {
        cli_ok("the control plane in %s is not running", st.dir);
    } else {
        cli_step("stopping the control plane in %s", st.dir);
        kill(pid, SIGTERM);
        for (int i = 0; i < 600 && kill(pid, 0) == 0; i++) {
            struct timespec ts = {0, 50 * 1000000};
            nanosleep(&ts, NULL);
        }
        if (kill(pid, 0) == 0)
            e = gotk_err_new(GOTK_E_IO, "the supervisor (pid %d) did not stop", (int)pid);
        else
            cli_ok("stopped");
    }
    free(st.dir);
    return e;
}

int cmd_dev(int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "";
    bool up = !strcmp(sub, "up"), down = !strcmp(sub, "down");
    if (!up && !down) {
        puts("Run gotk on this machine: an API server and the controllers as local processes.\n\n"
             "Usage:\n  gotk dev [command]\n\nAvailable Commands:\n"
             "  up          Start the control plane and bootstrap it from a Git repository\n"
             "  down        Stop the control plane (its state is kept)\n");
        return !strcmp(sub, "--help") || !strcmp(sub, "-h") ? 0 : 1;
    }
    cli_globals g;
    cli_globals_default(&g);
    dev_args a = {.state_dir = ".gotk"};
    cli_bootstrap_default(&a.boot);
    a.boot.path = "clusters/cluster1";
    a.boot.local_components = true;
    const cli_flag own[] = {
        {"state-dir", 0, FLAG_STRING, &a.state_dir, "directory for the control plane's data, logs and kubeconfig"},
        {"url", 0, FLAG_STRING, &a.boot.url, "Git repository URL (default: the demo repository)"},
        {"branch", 0, FLAG_STRING, &a.boot.branch, "Git branch"},
        {"path", 0, FLAG_STRING, &a.boot.path, "path of the cluster in the repository"},
        {"username", 'u', FLAG_STRING, &a.boot.username, "basic authentication username"},
        {"password", 'p', FLAG_STRING, &a.boot.password, "basic authentication password"},
        {"interval", 0, FLAG_DURATION, &a.boot.interval, "sync interval"},
        {"components-extra", 0, FLAG_STRINGS, &a.boot.comps.extra, "list of components in addition to the default ones"},
    };
    char *help_text = gotk_xasprintf(
        "Usage:\n  gotk dev %s [flags]\n\nExamples:\n  gotk dev up\n"
        "  gotk dev up --url=https://git.example.com/fleet.git --path=clusters/site-7\n"
        "  gotk dev down\n", sub);
    cli_cmdline cl;
    gotk_err *e = cli_cmdline_parse(&cl, &g, own, sizeof own / sizeof own[0], argc - 2, argv + 2,
                                    help_text);
    bool help = cl.help;
    cli_cmdline_free(&cl);
    free(help_text);
    a.boot.comps.namespace_ = g.namespace_;
    if (!e && !help)
        e = up ? dev_up(&g, &a) : dev_down(a.state_dir);
    int rc = e ? cli_fail("%s", gotk_err_msg(e)) : 0;
    gotk_err_free(e);
    cli_strings_free(&a.boot.comps.extra);
    return rc;
}
