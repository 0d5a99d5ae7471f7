/*
 * source-controller's GitRepository `spec.verify` end to end: a real
 * gotk-apiserver, git smart HTTP (tests/servers/start-git-http.sh) and the
 * source-controller binary. The setup makes an Ed25519 key and a second
 * ("other") key with GnuPG in a temporary GNUPGHOME, a repository whose main
 * commit and tag v1 are signed (plus an unsigned annotated tag), a repository
 * with an unsigned commit and annotated tag, and Secrets holding the armored
 * public keys. Each test waits for the SourceVerified and Ready conditions
 * Flux would write, message included.
 *
 * usage: test_gitrepository_verify GOTK_APISERVER SOURCE_CONTROLLER
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "apiserver_fixture.h"
#include "gotk/obj.h"
#include "gotk/runtime.h"

#define NS "verify"
#define GR_V1 "source.toolkit.fluxcd.io/v1"

static const char *server_bin, *controller_bin;
static apiserver_fixture srv;
static char *wd, *log_path, *storage, *git_srv;
static pid_t controller = -1;
static char signed_url[512], unsigned_url[512], key_id[17];
static char c_signed[41], c_unsigned[41], t_v1[41], t_v1u[41], t_u1[41];

/* ---- helpers ---------------------------------------------------------------- */

/* Run a shell command in wd (tests only); its first output line into out
 * (may be NULL). Returns the exit status. */
static int sh(char *out, size_t n, const char *fmt, ...) GOTK_PRINTF(3, 4);
static int sh(char *out, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gotk_buf b = {0};
    gotk_buf_printf(&b, "cd '%s' && (", wd);
    gotk_buf_vprintf(&b, fmt, ap);
    gotk_buf_puts(&b, ")");
    va_end(ap);
    FILE *p = popen(b.data, "r");
    char line[1024] = "";
    if (p && fgets(line, sizeof line, p))
        line[strcspn(line, "\n")] = '\0';
    while (p && fgets((char[1024]){0}, 1024, p)) {
    }
    int rc = p ? pclose(p) : -1;
    if (out)
        snprintf(out, n, "%s", line);
    gotk_buf_free(&b);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Create an object from YAML (printf-style). */
static void create(const char *fmt, ...) GOTK_PRINTF(1, 2);
static void create(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gotk_buf b = {0};
    gotk_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    json_object *o = NULL;
    gotk_err *e = gotk_yaml_parse_one(b.data, b.len, NULL, &o);
    if (!e)
        e = gotk_kube_create(srv.client, o, NULL, NULL);
    if (e)
        fprintf(stderr, "create: %s\n", gotk_err_msg(e));
    assert_null(e);
    json_object_put(o);
    gotk_buf_free(&b);
}

/* A GitRepository as the API serves it, or NULL. */
static json_object *get_gr(const char *name)
{
    json_object *o = NULL;
    gotk_kube_ref ref = {GR_V1, "GitRepository", NS, name};
    gotk_err_free(gotk_kube_get(srv.client, &ref, NULL, &o));
    return o;
}

/* A condition field ("status", "reason", "message") of an object. */
static const char *cond_field(json_object *o, const char *type, const char *field)
{
    return gotk_obj_get_str(gotk_cond_get(o, type), field);
}

typedef struct {
    const char *name, *status, *reason; /* Ready to wait for */
    json_object *last;                  /* owned */
} want;

/* Does Ready match the wish? */
static bool matches(void *ud)
{
    want *w = ud;
    json_object_put(w->last);
    w->last = get_gr(w->name);
    const char *st = w->last ? cond_field(w->last, "Ready", "status") : NULL;
    const char *re = w->last ? cond_field(w->last, "Ready", "reason") : NULL;
    return st && re && !strcmp(st, w->status) && !strcmp(re, w->reason);
}

/* Wait for Ready with status and reason; the object is the caller's. */
static json_object *wait_ready(const char *name, const char *status, const char *reason)
{
    want w = {name, status, reason, NULL};
    if (!fixture_wait(matches, &w, 30000)) {
        char *s = w.last ? gotk_yaml_to_string(w.last, 0) : gotk_xstrdup("(absent)\n");
        fprintf(stderr, "timed out waiting for %s; last seen:\n%s", name, s);
        free(s);
        json_object_put(w.last);
        fail();
    }
    return w.last;
}

/* A GitRepository with spec.verify {mode, secretRef: secret}. */
static void create_gr(const char *name, const char *url, const char *ref, const char *mode,
                      const char *secret)
{
    create("apiVersion: " GR_V1 "\nkind: GitRepository\nmetadata: {name: %s, namespace: " NS
           "}\nspec:\n  interval: 1m\n  url: %s\n  ref: %s\n  verify: {mode: %s, secretRef: "
           "{name: %s}}\n",
           name, url, ref, mode, secret);
}

/* A Secret whose data key `key` holds the armored export of `who`. */
static void create_key_secret(const char *name, const char *key, const char *who)
{
    char b64[8192];
    assert_int_equal(sh(b64, sizeof b64, "gpg --armor --export '%s' | base64 -w0", who), 0);
    create("apiVersion: v1\nkind: Secret\nmetadata: {name: %s, namespace: " NS "}\n"
           "data: {%s: %s}\n", name, key, b64);
}

/* Assert SourceVerified's status, reason and message. */
static void assert_verified(json_object *o, const char *status, const char *reason,
                            const char *message)
{
    assert_string_equal(cond_field(o, "SourceVerified", "status"), status);
    assert_string_equal(cond_field(o, "SourceVerified", "reason"), reason);
    assert_string_equal(cond_field(o, "SourceVerified", "message"), message);
}

/* ---- setup ----------------------------------------------------------------- */

/* Keys, the Git server and both repositories. */
static int make_repos(void)
{
    const char *git = "git -c user.name=T -c user.email=t@test -c gpg.program=gpg";
    int rc = sh(NULL, 0, "mkdir -m 700 gnupg && gpg --batch --passphrase '' --quick-gen-key "
                         "'Signer <signer@test>' ed25519 sign never 2>/dev/null && "
                         "gpg --batch --passphrase '' --quick-gen-key 'Other <other@test>' "
                         "ed25519 sign never 2>/dev/null");
    char fpr[64];
    rc |= sh(fpr, sizeof fpr, "gpg --with-colons -k signer@test | awk -F: '/^fpr/{print $10; exit}'");
    if (strlen(fpr) != 40)
        return -1;
    memcpy(key_id, fpr + 24, 17);
    rc |= sh(NULL, 0, "%sstart-git-http.sh srv >/dev/null", git_srv);
    rc |= sh(signed_url, sizeof signed_url, ". srv/git-http.env && echo \"$URL\"");
    rc |= sh(NULL, 0, "git init -q -b main s && cd s && echo a > a.yaml && git add a.yaml && "
                      "%s -c user.signingkey=%s! commit -q -S -m signed && "
                      "%s -c user.signingkey=%s! tag -s v1 -m v1 && %s tag -a v1-unsigned -m u && "
                      "git push -q ../srv/repos/repo.git main --tags",
             git, fpr, git, fpr, git);
    rc |= sh(c_signed, sizeof c_signed, "git -C s rev-parse HEAD");
    rc |= sh(t_v1, sizeof t_v1, "git -C s rev-parse v1");
    rc |= sh(t_v1u, sizeof t_v1u, "git -C s rev-parse v1-unsigned");
    rc |= sh(NULL, 0, "git init -q --bare -b main srv/repos/unsigned.git && git init -q -b main u "
                      "&& cd u && echo b > b.yaml && git add b.yaml && %s commit -q -m plain && "
                      "%s tag -a u1 -m u1 && git push -q ../srv/repos/unsigned.git main --tags",
             git, git);
    rc |= sh(c_unsigned, sizeof c_unsigned, "git -C u rev-parse HEAD");
    rc |= sh(t_u1, sizeof t_u1, "git -C u rev-parse u1");
    snprintf(unsigned_url, sizeof unsigned_url, "%.*sunsigned.git",
             (int)(strlen(signed_url) - strlen("repo.git")), signed_url);
    return rc ? -1 : 0;
}

static int start_controller(void)
{
    char *argv[] = {(char *)controller_bin, "--kubeconfig", srv.kubeconfig, "--storage-path",
                    storage, "--storage-addr", "127.0.0.1:0", "--metrics-addr", "0",
                    "--health-addr", "0", "--min-retry-delay", "200ms", "--max-retry-delay",
                    "2s", NULL};
    const char *root = getenv("GOTK_SOURCE_ROOT");
    char *lsan = gotk_xasprintf("suppressions=%s/tests/source/lsan-libgit2.supp:"
                                "print_suppressions=0", root ? root : ".");
    setenv("LSAN_OPTIONS", lsan, 1);
    free(lsan);
    controller = fixture_spawn(argv, log_path);
    return controller > 0 ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    if (apiserver_start(&srv, server_bin) != 0)
        return -1;
    wd = srv.dir;
    log_path = gotk_xasprintf("%s/controller.log", wd);
    storage = gotk_xasprintf("%s/storage", wd);
    const char *root = getenv("GOTK_SOURCE_ROOT");
    git_srv = gotk_xasprintf("%s/tests/servers/", root ? root : ".");
    char *home = gotk_xasprintf("%s/gnupg", wd);
    setenv("GNUPGHOME", home, 1);
    setenv("HOME", wd, 1);
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    free(home);
    json_object *docs = NULL;
    char *crd = gotk_xasprintf("%s/config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml",
                               root ? root : ".");
    gotk_err *e = gotk_yaml_parse_file(crd, &docs);
    free(crd);
    if (!e)
        e = gotk_kube_create(srv.client, json_object_array_get_idx(docs, 0), NULL, NULL);
    json_object_put(docs);
    if (e) {
        fprintf(stderr, "CRD: %s\n", gotk_err_msg(e));
        gotk_err_free(e);
        return -1;
    }
    create("apiVersion: v1\nkind: Namespace\nmetadata: {name: " NS "}\n");
    if (make_repos() != 0) {
        fprintf(stderr, "making the keys and repositories failed\n");
        return -1;
    }
    create_key_secret("pgp", "author.asc", "signer@test");
    create_key_secret("other", "other", "other@test");
    create("apiVersion: v1\nkind: Secret\nmetadata: {name: ssh-only, namespace: " NS "}\n"
           "data: {key.pub: c3NoLWVkMjU1MTkgQUFBQQ==}\n");
    create("apiVersion: v1\nkind: Secret\nmetadata: {name: garbage, namespace: " NS "}\n"
           "data: {key.asc: bm90IGEga2V5}\n");
    return start_controller();
}

static int teardown(void **state)
{
    (void)state;
    int st = controller > 0 ? fixture_stop_process(controller, SIGTERM, 30000) : 0;
    int rc = 0;
    if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "source-controller did not exit 0 on SIGTERM (status %d)\n", st);
        sh(NULL, 0, "tail -30 '%s' >&2", log_path);
        rc = -1;
    }
    if (git_srv)
        sh(NULL, 0, "%sstop.sh srv >/dev/null 2>&1; gpgconf --kill all", git_srv);
    apiserver_stop(&srv);
    free(log_path);
    free(storage);
    free(git_srv);
    return rc;
}

/* ---- tests ---------------------------------------------------------------- */

/* mode HEAD on a signed commit: SourceVerified True, the mode observed. */
static void test_head_signed(void **state)
{
    (void)state;
    create_gr("head", signed_url, "{branch: main}", "HEAD", "pgp");
    json_object *o = wait_ready("head", "True", "Succeeded");
    char *msg = gotk_xasprintf("verified signature of\n\t- commit '%s' with key '%s'", c_signed,
                               key_id);
    assert_verified(o, "True", "Succeeded", msg);
    assert_string_equal(gotk_obj_get_str(o, "status.sourceVerificationMode"), "HEAD");
    assert_non_null(gotk_obj_getp(o, "status.artifact"));
    free(msg);
    json_object_put(o);
}

/* mode Tag and TagAndHEAD on a signed tag of a signed commit. */
static void test_tag_and_head_signed(void **state)
{
    (void)state;
    create_gr("tag", signed_url, "{tag: v1}", "Tag", "pgp");
    create_gr("both", signed_url, "{tag: v1}", "TagAndHEAD", "pgp");
    json_object *o = wait_ready("tag", "True", "Succeeded");
    char *msg = gotk_xasprintf("verified signature of\n\t- tag 'v1@%s' with key '%s'", t_v1, key_id);
    assert_verified(o, "True", "Succeeded", msg);
    assert_string_equal(gotk_obj_get_str(o, "status.sourceVerificationMode"), "Tag");
    json_object_put(o);
    o = wait_ready("both", "True", "Succeeded");
    char *msg2 = gotk_xasprintf("%s\n\t- commit '%s' with key '%s'", msg, c_signed, key_id);
    assert_verified(o, "True", "Succeeded", msg2);
    free(msg);
    free(msg2);
    json_object_put(o);
}

/* An unsigned commit fails with Flux's message and publishes no artifact. */
static void test_head_unsigned(void **state)
{
    (void)state;
    create_gr("unsigned", unsigned_url, "{branch: main}", "HEAD", "pgp");
    json_object *o = wait_ready("unsigned", "False", "InvalidCommitSignature");
    char *msg = gotk_xasprintf("signature verification of commit '%s' failed: unsupported "
                               "signature type: empty", c_unsigned);
    assert_verified(o, "False", "InvalidCommitSignature", msg);
    assert_string_equal(cond_field(o, "Ready", "message"), msg);
    assert_null(gotk_obj_getp(o, "status.artifact"));
    free(msg);
    json_object_put(o);
}

/* Unsigned tags, and mode Tag without a tag reference (stalled). */
static void test_tag_unsigned_and_no_tag(void **state)
{
    (void)state;
    create_gr("u1", unsigned_url, "{tag: u1}", "Tag", "pgp");
    create_gr("v1u", signed_url, "{tag: v1-unsigned}", "TagAndHEAD", "pgp");
    create_gr("notag", signed_url, "{branch: main}", "Tag", "pgp");
    json_object *o = wait_ready("u1", "False", "InvalidGitObject");
    char *msg = gotk_xasprintf("cannot verify signature of tag 'u1@%s' since it is not signed", t_u1);
    assert_verified(o, "False", "InvalidGitObject", msg);
    free(msg);
    json_object_put(o);
    o = wait_ready("v1u", "False", "InvalidGitObject");
    msg = gotk_xasprintf("cannot verify signature of tag 'v1-unsigned@%s' since it is not signed",
                         t_v1u);
    assert_verified(o, "False", "InvalidGitObject", msg);
    free(msg);
    json_object_put(o);
    o = wait_ready("notag", "False", "InvalidVerificationMode");
    assert_verified(o, "False", "InvalidVerificationMode",
                    "cannot verify tag object's signature if a tag reference is not specified");
    assert_string_equal(cond_field(o, "Stalled", "status"), "True");
    json_object_put(o);
}

/* Keys that do not verify: another key, no PGP key, a value that is no key. */
static void test_wrong_keys(void **state)
{
    (void)state;
    create_gr("other", signed_url, "{branch: main}", "HEAD", "other");
    create_gr("sshonly", signed_url, "{branch: main}", "HEAD", "ssh-only");
    create_gr("garbage", signed_url, "{tag: v1}", "Tag", "garbage");
    create_gr("nosecret", signed_url, "{branch: main}", "HEAD", "absent");
    json_object *o = wait_ready("other", "False", "InvalidCommitSignature");
    char *msg = gotk_xasprintf("signature verification of commit '%s' failed: unable to verify "
                               "Git commit: unable to verify payload with any of the given key "
                               "rings: no matching key: signed with key ID %s, which is not in "
                               "the key ring", c_signed, key_id);
    assert_verified(o, "False", "InvalidCommitSignature", msg);
    free(msg);
    json_object_put(o);
    o = wait_ready("sshonly", "False", "InvalidCommitSignature");
    msg = gotk_xasprintf("signature verification of commit '%s' failed: PGP signature detected "
                         "but no PGP public keys found in secret (keys with .asc suffix)", c_signed);
    assert_verified(o, "False", "InvalidCommitSignature", msg);
    free(msg);
    json_object_put(o);
    o = wait_ready("garbage", "False", "InvalidTagSignature");
    msg = gotk_xasprintf("signature verification of tag 'v1@%s' failed: unable to verify Git tag: "
                         "unable to read armored key ring: openpgp: no armored 'PGP PUBLIC KEY "
                         "BLOCK' found", t_v1);
    assert_verified(o, "False", "InvalidTagSignature", msg);
    free(msg);
    json_object_put(o);
    o = wait_ready("nosecret", "False", "VerificationError");
    assert_string_equal(cond_field(o, "SourceVerified", "message"),
                        "public keys secret error: secrets \"absent\" not found");
    json_object_put(o);
}

int main(int argc, char **argv)
{
    server_bin = argc > 1 ? argv[1] : getenv("GOTK_APISERVER");
    controller_bin = argc > 2 ? argv[2] : getenv("GOTK_SOURCE_CONTROLLER");
    if (!server_bin || !controller_bin) {
        fprintf(stderr, "usage: %s GOTK_APISERVER SOURCE_CONTROLLER\n", argv[0]);
        return 2;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_head_signed),
        cmocka_unit_test(test_tag_and_head_signed),
        cmocka_unit_test(test_head_unsigned),
        cmocka_unit_test(test_tag_unsigned_and_no_tag),
        cmocka_unit_test(test_wrong_keys),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
