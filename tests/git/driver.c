/*
 * git_driver: a small command-line front end over libgotk's git and artifact
 * modules, run by tests/git/run.sh against real Git servers.
 *
 *   checkout URL DIR [--branch B] [--tag T] [--semver C] [--name R] [--commit H]
 *            [--user U] [--pass P] [--bearer T] [--identity F] [--known-hosts F]
 *            [--ca F] [--tls-crt F] [--tls-key F] [--last REV] [--timeout D]
 *            [--submodules]
 *       prints revision=, reference=, commit=, unchanged=, author=, message=
 *   resolve URL [options as for checkout]  ls-remote only: revision=, unchanged=
 *   push DIR BRANCH MESSAGE [--force] [auth options as above]
 *       prints commit=
 *   archive DIR OUT [--ignore TEXT]      prints digest= size=
 *   archive-git URL DIR OUT [--ignore TEXT] [options as for checkout]
 *       fetches without a work tree and archives from Git (checking out and
 *       archiving the work tree when it must): prints digest= size= streamed=
 *   list TARBALL                         prints one entry per line
 *   serve ROOT                           prints port=, serves until SIGTERM
 *   fetch URL DIGEST DIR                 downloads, verifies, extracts
 *   blackhole                            accepts TCP connections on 127.0.0.1 and
 *                                        never answers; prints port=, until SIGTERM
 * On failure it prints "error=<message>" and exits 1.
 */
#include <archive.h>
#include <archive_entry.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gotk/artifact.h"
#include "gotk/git.h"

typedef struct {
    gotk_git_auth auth;
    char *files[8]; /* file contents kept alive for the auth struct */
    size_t nfiles;
    gotk_git_checkout_opts co;
    bool force;
} options;

/* Read a whole file for the auth struct. */
static const char *slurp(options *o, const char *path, size_t *len)
{
    char *data;
    gotk_err *e = gotk_file_read(path, &data, len);
    if (e) {
        printf("error=%s\n", gotk_err_msg(e));
        exit(2);
    }
    o->files[o->nfiles++] = data;
    return data;
}

/* Parse the shared flags from argv[i...]. */
static void parse_flags(options *o, int argc, char **argv, int i)
{
    for (; i < argc; i++) {
        const char *f = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
        size_t len;
        if (!strcmp(f, "--submodules")) {
            o->co.recurse_submodules = true;
            continue;
        }
        if (!strcmp(f, "--force")) {
            o->force = true;
            continue;
        }
        i++;
        if (!strcmp(f, "--branch"))
            o->co.ref.branch = v;
        else if (!strcmp(f, "--tag"))
            o->co.ref.tag = v;
        else if (!strcmp(f, "--semver"))
            o->co.ref.semver = v;
        else if (!strcmp(f, "--name"))
            o->co.ref.name = v;
        else if (!strcmp(f, "--commit"))
            o->co.ref.commit = v;
        else if (!strcmp(f, "--last"))
            o->co.last_revision = v;
        else if (!strcmp(f, "--user"))
            gotk_git_auth_set(&o->auth, "username", v, strlen(v));
        else if (!strcmp(f, "--pass"))
            gotk_git_auth_set(&o->auth, "password", v, strlen(v));
        else if (!strcmp(f, "--bearer"))
            gotk_git_auth_set(&o->auth, "bearerToken", v, strlen(v));
        else if (!strcmp(f, "--timeout")) {
            gotk_err *e = gotk_duration_parse(v, &o->co.timeout);
            if (e) {
                printf("error=%s\n", gotk_err_msg(e));
                exit(2);
            }
        } else if (!strcmp(f, "--identity") || !strcmp(f, "--known-hosts") || !strcmp(f, "--ca") ||
                   !strcmp(f, "--tls-crt") || !strcmp(f, "--tls-key")) {
            const char *data = slurp(o, v, &len);
            const char *key = !strcmp(f, "--identity") ? "identity"
                              : !strcmp(f, "--ca")     ? "ca.crt"
                              : !strcmp(f, "--tls-crt") ? "tls.crt"
                              : !strcmp(f, "--tls-key") ? "tls.key"
                                                       : "known_hosts";
            gotk_git_auth_set(&o->auth, key, data, len);
        } else {
            printf("error=unknown flag %s\n", f);
            exit(2);
        }
    }
    o->co.auth = &o->auth;
}

static void free_options(options *o)
{
    for (size_t i = 0; i < o->nfiles; i++)
        free(o->files[i]);
}

/* Print an error and return the exit code 1. */
static int report(gotk_err *e)
{
    printf("error=%s\n", gotk_err_msg(e));
    gotk_err_free(e);
    return 1;
}

/* First line of a message. */
static void print_first_line(const char *key, const char *s)
{
    size_t n = strcspn(s, "\n");
    printf("%s=%.*s\n", key, (int)n, s);
}

static int cmd_checkout(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    options o = {0};
    o.co.url = argv[2];
    parse_flags(&o, argc, argv, 4);
    gotk_git_result r;
    gotk_err *e = gotk_git_checkout(&o.co, argv[3], &r);
    free_options(&o);
    if (e)
        return report(e);
    printf("revision=%s\nreference=%s\ncommit=%s\nunchanged=%d\n", r.revision, r.reference,
           r.commit, r.unchanged);
    if (!r.unchanged) {
        printf("author=%s <%s>\n", r.author_name, r.author_email);
        print_first_line("message", r.message);
    }
    gotk_git_result_free(&r);
    return 0;
}

static int cmd_resolve(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    options o = {0};
    o.co.url = argv[2];
    parse_flags(&o, argc, argv, 3);
    gotk_git_result r;
    gotk_err *e = gotk_git_resolve(&o.co, &r);
    free_options(&o);
    if (e)
        return report(e);
    printf("revision=%s\nreference=%s\ncommit=%s\nunchanged=%d\n", r.revision, r.reference,
           r.commit, r.unchanged);
    gotk_git_result_free(&r);
    return 0;
}

static int cmd_push(int argc, char **argv)
{
    if (argc < 5)
        return 2;
    options o = {0};
    parse_flags(&o, argc, argv, 5);
    gotk_git_push_opts p = {.author_name = "Flux Bot", .author_email = "flux@example.com",
                            .message = argv[4], .branch = argv[3], .force = o.force,
                            .auth = &o.auth, .timeout = o.co.timeout};
    char hex[41];
    gotk_err *e = gotk_git_commit_push(argv[2], &p, hex);
    free_options(&o);
    if (e)
        return report(e);
    printf("commit=%s\n", hex);
    return 0;
}

/* Archive a checkout directory with its ignore rules. */
static gotk_err *archive_dir(const char *dir, const char *ignore, const char *out,
                             gotk_artifact_info *info)
{
    gotk_ignore *m;
    gotk_err *e = gotk_ignore_load_dir(dir, ignore, &m);
    if (e)
        return e;
    e = gotk_artifact_archive(dir, m, out, info);
    gotk_ignore_free(m);
    return e;
}

static int cmd_archive(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    const char *ignore = argc >= 6 && !strcmp(argv[4], "--ignore") ? argv[5] : NULL;
    gotk_artifact_info info;
    gotk_err *e = archive_dir(argv[2], ignore, argv[3], &info);
    if (e)
        return report(e);
    printf("digest=%s\nsize=%lld\n", info.digest, (long long)info.size);
    return 0;
}

/* Fetch without a work tree and archive from Git, as source-controller does;
 * when that cannot be promised identical, check out and archive the work tree. */
static int cmd_archive_git(int argc, char **argv)
{
    if (argc < 5)
        return 2;
    bool has_ignore = argc >= 7 && !strcmp(argv[5], "--ignore");
    const char *ignore = has_ignore ? argv[6] : NULL;
    options o = {0};
    o.co.url = argv[2];
    parse_flags(&o, argc, argv, has_ignore ? 7 : 5);
    o.co.fetch_only = true;
    gotk_git_result r;
    gotk_err *e = gotk_git_checkout(&o.co, argv[3], &r);
    free_options(&o);
    if (e)
        return report(e);
    gotk_artifact_info info;
    bool done = false;
    e = gotk_artifact_archive_git(argv[3], r.commit, ignore, argv[4], &info, &done);
    if (!e && !done && !(e = gotk_git_checkout_head(argv[3])))
        e = archive_dir(argv[3], ignore, argv[4], &info);
    gotk_git_result_free(&r);
    if (e)
        return report(e);
    printf("digest=%s\nsize=%lld\nstreamed=%d\n", info.digest, (long long)info.size, done);
    return 0;
}

static int cmd_list(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    struct archive *a = archive_read_new();
    archive_read_support_filter_gzip(a);
    archive_read_support_format_tar(a);
    if (archive_read_open_filename(a, argv[2], 10240) != ARCHIVE_OK) {
        printf("error=%s\n", archive_error_string(a));
        archive_read_free(a);
        return 1;
    }
    struct archive_entry *ent;
    while (archive_read_next_header(a, &ent) == ARCHIVE_OK)
        printf("%s\n", archive_entry_pathname(ent));
    archive_read_free(a);
    return 0;
}

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

/* SIGTERM sets `stop` and interrupts blocking calls (no SA_RESTART). */
static void catch_term(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
}

static int cmd_serve(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    gotk_artifact_server *s;
    gotk_err *e = gotk_artifact_server_start("127.0.0.1:0", argv[2], &s);
    if (e)
        return report(e);
    catch_term();
    printf("port=%d\n", gotk_artifact_server_port(s));
    fflush(stdout);
    while (!stop)
        pause();
    gotk_artifact_server_stop(s);
    return 0;
}

/* Listen on 127.0.0.1, accept connections and never answer them. */
static int cmd_blackhole(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof sa;
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 16) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
        printf("error=cannot listen\n");
        return 1;
    }
    catch_term();
    printf("port=%d\n", ntohs(sa.sin_port));
    fflush(stdout);
    int held[64], n = 0;
    while (!stop) {
        int c = accept(fd, NULL, NULL);
        if (c >= 0 && n < 64)
            held[n++] = c;
        else if (c >= 0)
            close(c);
    }
    while (n > 0)
        close(held[--n]);
    close(fd);
    return 0;
}

static int cmd_fetch(int argc, char **argv)
{
    if (argc < 5)
        return 2;
    gotk_err *e = gotk_artifact_fetch(argv[2], argv[3], argv[4], 2);
    if (e)
        return report(e);
    printf("ok\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: git_driver checkout|push|archive|list|serve|fetch ...\n");
        return 2;
    }
    int rc = 2;
    if (!strcmp(argv[1], "checkout"))
        rc = cmd_checkout(argc, argv);
    else if (!strcmp(argv[1], "resolve"))
        rc = cmd_resolve(argc, argv);
    else if (!strcmp(argv[1], "push"))
        rc = cmd_push(argc, argv);
    else if (!strcmp(argv[1], "archive"))
        rc = cmd_archive(argc, argv);
    else if (!strcmp(argv[1], "archive-git"))
        rc = cmd_archive_git(argc, argv);
    else if (!strcmp(argv[1], "list"))
        rc = cmd_list(argc, argv);
    else if (!strcmp(argv[1], "serve"))
        rc = cmd_serve(argc, argv);
    else if (!strcmp(argv[1], "fetch"))
        rc = cmd_fetch(argc, argv);
    else if (!strcmp(argv[1], "blackhole"))
        rc = cmd_blackhole();
    gotk_git_shutdown();
    return rc;
}
