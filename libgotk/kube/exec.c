/*
 * kube/exec.c: exec credential plugins (client.authentication.k8s.io).
 *
 * A kubeconfig user may name a helper (aws eks get-token, gke-gcloud-auth-plugin,
 * kubelogin, ...) that prints an ExecCredential on stdout. As client-go does, we
 * look it up in $PATH (as exec.LookPath) and run it with posix_spawn, no shell:
 * its configured args and env added to ours, KUBERNETES_EXEC_INFO describing the
 * request (and the cluster when provideClusterInfo is set), stdin from /dev/null
 * and stderr passed through.
 * The status's token (or client certificate and key) and expirationTimestamp
 * are kept in the client's credential cache. The output holds secrets: it is
 * never put in an error message.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* The KUBERNETES_EXEC_INFO value. Caller frees. */
static char *exec_info(const gotk_kube_config *cfg)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "kind", json_object_new_string("ExecCredential"));
    json_object_object_add(o, "apiVersion", json_object_new_string(cfg->exec->api_version));
    json_object *spec = json_object_new_object();
    if (cfg->exec->provide_cluster_info) {
        json_object *cl = json_object_new_object();
        json_object_object_add(cl, "server", json_object_new_string(cfg->server));
        if (cfg->ca_data) {
            char *b64 = gotk_base64_encode(cfg->ca_data, cfg->ca_len);
            json_object_object_add(cl, "certificate-authority-data", json_object_new_string(b64));
            free(b64);
        }
        if (cfg->insecure)
            json_object_object_add(cl, "insecure-skip-tls-verify", json_object_new_boolean(1));
        json_object_object_add(spec, "cluster", cl);
    }
    json_object_object_add(spec, "interactive", json_object_new_boolean(0));
    json_object_object_add(o, "spec", spec);
    char *s = gotk_json_to_string(o);
    json_object_put(o);
    return s;
}

/* environ + the plugin's env + KUBERNETES_EXEC_INFO. Caller frees with kube_strv_free. */
static char **exec_env(const gotk_kube_config *cfg)
{
    size_t n = 0, m = 0;
    while (environ[n])
        n++;
    while (cfg->exec->env && cfg->exec->env[m])
        m++;
    char **v = gotk_xcalloc(n + m + 2, sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "KUBERNETES_EXEC_INFO=", 21) != 0)
            v[k++] = gotk_xstrdup(environ[i]);
    for (size_t i = 0; i < m; i++)
        v[k++] = gotk_xstrdup(cfg->exec->env[i]);
    char *info = exec_info(cfg);
    v[k++] = gotk_xasprintf("KUBERNETES_EXEC_INFO=%s", info);
    free(info);
    return v;
}

/* argv: the command then its args. Caller frees the vector only. */
static char **exec_argv(const gotk_kube_exec *x)
{
    size_t n = 0;
    while (x->args && x->args[n])
        n++;
    char **v = gotk_xcalloc(n + 2, sizeof *v);
    v[0] = x->command;
    for (size_t i = 0; i < n; i++)
        v[i + 1] = x->args[i];
    return v;
}

/* The executable for `cmd` as Go's exec.LookPath finds it: a path when it contains
 * '/', else the first match in $PATH. NULL when there is none. Caller frees. */
static char *look_path(const char *cmd)
{
    if (strchr(cmd, '/'))
        return access(cmd, X_OK) == 0 ? gotk_xstrdup(cmd) : NULL;
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path;;) {
        const char *colon = strchr(p, ':');
        size_t n = colon ? (size_t)(colon - p) : strlen(p);
        char *cand = n ? gotk_xasprintf("%.*s/%s", (int)n, p, cmd) : gotk_xasprintf("./%s", cmd);
        if (access(cand, X_OK) == 0)
            return cand;
        free(cand);
        if (!colon)
            return NULL;
        p = colon + 1;
    }
}

/* Start the plugin with its stdout on a pipe; *pid and *fd on success. */
static gotk_err *spawn_plugin(const gotk_kube_config *cfg, pid_t *pid, int *fd)
{
    char *exe = look_path(cfg->exec->command);
    if (!exe)
        return gotk_err_new(GOTK_E_NOTFOUND, "exec: executable %s not found%s%s",
                            cfg->exec->command, cfg->exec->install_hint ? "\n\n" : "",
                            cfg->exec->install_hint ? cfg->exec->install_hint : "");
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) {
        free(exe);
        return gotk_err_errno(errno, "exec plugin: pipe");
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    char **argv = exec_argv(cfg->exec);
    char **envp = exec_env(cfg);
    int rc = posix_spawn(pid, exe, &fa, NULL, argv, envp);
    free(exe);
    posix_spawn_file_actions_destroy(&fa);
    free(argv);
    kube_strv_free(envp);
    close(p[1]);
    if (rc != 0) {
        close(p[0]);
        return gotk_err_errno(rc, "exec: running %s", cfg->exec->command);
    }
    *fd = p[0];
    return NULL;
}

/* Read everything from fd, then reap the child. */
static gotk_err *collect(const char *cmd, pid_t pid, int fd, gotk_buf *out)
{
    char chunk[4096];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        gotk_buf_append(out, chunk, (size_t)r);
    }
    close(fd);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return NULL;
    if (WIFEXITED(status))
        return gotk_err_new(GOTK_E_GENERIC, "exec: executable %s failed with exit code %d",
                            cmd, WEXITSTATUS(status));
    return gotk_err_new(GOTK_E_GENERIC, "exec: executable %s was killed by signal %d", cmd,
                        WTERMSIG(status));
}

/* Parse an RFC 3339 UTC time ("2026-01-02T03:04:05Z") into a time_t; 0 if bad. */
static time_t parse_rfc3339(const char *s)
{
    struct tm tm = {0};
    const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
    if (!end)
        return 0;
    return timegm(&tm);
}

/* Take the credential out of the ExecCredential text. */
static gotk_err *parse_credential(const gotk_kube_config *cfg, const char *text, size_t len,
                                  kube_creds *cr)
{
    json_object *o = NULL;
    gotk_err *e = gotk_json_parse(text, len, &o);
    if (e) { /* the text may hold a secret: do not quote it */
        gotk_err_free(e);
        return gotk_err_new(GOTK_E_INVALID, "exec plugin: decoding stdout: not a JSON object");
    }
    const char *kind = gotk_obj_get_str(o, "kind"), *av = gotk_obj_get_str(o, "apiVersion");
    if (!kind || strcmp(kind, "ExecCredential") != 0 || !av ||
        strcmp(av, cfg->exec->api_version) != 0) {
        e = gotk_err_new(GOTK_E_INVALID,
                         "exec plugin is configured to use API version %s, plugin returned "
                         "version %s",
                         cfg->exec->api_version, av ? av : "(none)");
        json_object_put(o);
        return e;
    }
    const char *tok = gotk_obj_get_str(o, "status.token");
    const char *cert = gotk_obj_get_str(o, "status.clientCertificateData");
    const char *key = gotk_obj_get_str(o, "status.clientKeyData");
    if ((!tok || !*tok) && (!cert || !key)) {
        json_object_put(o);
        return gotk_err_new(GOTK_E_INVALID,
                            "exec plugin didn't return a token or cert/key pair");
    }
    cr->exec_token = tok && *tok ? gotk_xstrdup(tok) : NULL;
    if (cert && key) {
        cr->exec_cert = (unsigned char *)gotk_xstrdup(cert);
        cr->exec_cert_len = strlen(cert);
        cr->exec_key = (unsigned char *)gotk_xstrdup(key);
        cr->exec_key_len = strlen(key);
    }
    cr->exec_expiry = parse_rfc3339(gotk_obj_get_str(o, "status.expirationTimestamp"));
    cr->exec_valid = true;
    json_object_put(o);
    return NULL;
}

gotk_err *kube_exec_run(const gotk_kube_config *cfg, kube_creds *cr)
{
    pid_t pid = 0;
    int fd = -1;
    gotk_err *e = spawn_plugin(cfg, &pid, &fd);
    if (e)
        return gotk_err_wrap(e, "getting credentials");
    gotk_buf out = {0};
    e = collect(cfg->exec->command, pid, fd, &out);
    if (!e)
        e = parse_credential(cfg, out.data ? out.data : "", out.len, cr);
    if (out.data)
        explicit_bzero(out.data, out.len);
    gotk_buf_free(&out);
    return gotk_err_wrap(e, "getting credentials");
}
