/*
 * Checkout: source-controller's "fetch the reference and write the tree".
 *
 * When the caller knows its last revision, a detached remote (no repository,
 * nothing on disk) first lists the refs, and an unchanged revision ends the
 * checkout there: that is the common case and the cheapest answer. Otherwise
 * the repository is initialised in the target directory with a remote
 * "origin", the remote is connected (credentials and host checks come from
 * auth.c), and its advertised refs (git_remote_ls) are searched for the
 * reference the spec asks for:
 *   commit  -> the commit itself; with a branch, that branch is fetched and
 *              must contain it; alone, all branches and tags are fetched;
 *   name    -> exactly that refname (a tag is peeled through its `^{}` entry);
 *   semver  -> every tag entry whose name parses as a version and
 *              satisfies the constraint; the highest wins;
 *   tag     -> refs/tags/<tag>, peeled;
 *   branch  -> refs/heads/<branch>, "master" when nothing is set.
 * The revision string follows; if it equals the caller's last revision the
 * checkout stops there, "unchanged". Otherwise only the needed ref is fetched
 * (libgit2 1.5 cannot fetch shallow), the commit's tree is checked out with
 * force, HEAD is set (to a local branch for branch refs, detached otherwise),
 * and submodules are initialised and updated recursively when asked.
 *
 * Error texts follow Flux's: `unable to clone '<url>': couldn't find remote
 * ref "refs/heads/x"`, `no match found for semver: <c>`, `unable to resolve
 * ref '<name>' to a specific commit`.
 */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gotk/semver.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* libgit2 as Debian builds it (mbedTLS) parses the whole system CA bundle at
 * init, for a TLS stream that stream.c replaces with ours: pointing it at an
 * empty directory frees that chain (some 350 KB of heap for nothing). */
static void drop_libgit2_cas(void)
{
    const char *tmp = getenv("TMPDIR");
    char *dir = gotk_xasprintf("%s/gotk-no-cas-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir)) {
        git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, NULL, dir);
        git_error_clear();
        rmdir(dir);
    }
    free(dir);
}

static void do_init(void)
{
    git_libgit2_init();
    gotk_git_stream_register();
    drop_libgit2_cas();
}

/* Process-wide libgit2 setup. */
void gotk_git_init(void)
{
    pthread_once(&init_once, do_init);
}

/* Release libgit2's global state. */
void gotk_git_shutdown(void)
{
    git_libgit2_shutdown();
}

/* Is the string set? */
static bool set(const char *s)
{
    return s && *s;
}

typedef struct {
    char *fetch_ref;  /* refname to fetch, NULL: fetch all heads and tags */
    char *reference;  /* refname for the revision ("" for a bare commit) */
    bool absolute;    /* revision keeps the whole refname */
    bool local_branch;/* check out as a local branch */
    git_oid oid;      /* the commit to check out */
} target;

static void target_free(target *t)
{
    free(t->fetch_ref);
    free(t->reference);
}

/* The advertised head named `name`, or with `peel` its `^{}` entry if any. */
static const git_remote_head *find_head(const git_remote_head **heads, size_t n,
                                        const char *name, bool peel)
{
    const git_remote_head *plain = NULL;
    size_t nl = strlen(name);
    for (size_t i = 0; i < n; i++) {
        const char *hn = heads[i]->name;
        if (!strcmp(hn, name))
            plain = heads[i];
        else if (peel && !strncmp(hn, name, nl) && !strcmp(hn + nl, "^{}"))
            return heads[i];
    }
    return plain;
}

/* "couldn't find remote ref" in Flux's wording. */
static gotk_err *no_ref(const char *url, const char *refname)
{
    return gotk_err_new(GOTK_E_NOTFOUND, "unable to clone '%s': couldn't find remote ref \"%s\"",
                        url, refname);
}

/* semver: the highest tag satisfying the constraint. */
static gotk_err *pick_semver(const char *url, const char *constraint,
                             const git_remote_head **heads, size_t n, target *t)
{
    gotk_semver_constraints *c = NULL;
    gotk_err *e = gotk_semver_constraints_parse(constraint, &c);
    if (e)
        return gotk_err_wrap(e, "semver parse error");
    const char **tags = gotk_xcalloc(n + 1, sizeof *tags);
    size_t nt = 0;
    for (size_t i = 0; i < n; i++) {
        const char *hn = heads[i]->name;
        size_t l = strlen(hn);
        if (strncmp(hn, "refs/tags/", 10) != 0 || (l > 3 && !strcmp(hn + l - 3, "^{}")))
            continue;
        tags[nt++] = hn + 10;
    }
    size_t *order = gotk_xcalloc(nt + 1, sizeof *order);
    size_t matched = gotk_semver_sort_desc(c, tags, nt, order);
    if (matched == 0) {
        e = gotk_err_new(GOTK_E_NOTFOUND, "no match found for semver: %s", constraint);
    } else {
        t->reference = gotk_xasprintf("refs/tags/%s", tags[order[0]]);
        t->fetch_ref = gotk_xstrdup(t->reference);
        git_oid_cpy(&t->oid, &find_head(heads, n, t->reference, true)->oid);
    }
    (void)url;
    free(order);
    free(tags);
    gotk_semver_constraints_free(c);
    return e;
}

/* Resolve the spec's reference against the advertised heads. */
static gotk_err *pick_target(const char *url, const gotk_git_ref *ref,
                             const git_remote_head **heads, size_t n, target *t)
{
    memset(t, 0, sizeof *t);
    if (set(ref->commit)) {
        if (git_oid_fromstr(&t->oid, ref->commit) < 0 || strlen(ref->commit) != 40)
            return gotk_err_new(GOTK_E_INVALID, "invalid commit '%s': want 40 hex digits",
                                ref->commit);
        t->reference = set(ref->branch) ? gotk_xasprintf("refs/heads/%s", ref->branch)
                                        : gotk_xstrdup("");
        if (set(ref->branch)) {
            if (!find_head(heads, n, t->reference, false)) {
                gotk_err *e = no_ref(url, t->reference);
                target_free(t);
                return e;
            }
            t->fetch_ref = gotk_xstrdup(t->reference);
        }
        return NULL;
    }
    if (set(ref->name)) {
        char *name = gotk_xstrdup(ref->name);
        size_t l = strlen(name);
        bool deref = l > 3 && !strcmp(name + l - 3, "^{}");
        if (deref)
            name[l - 3] = '\0';
        const git_remote_head *h = find_head(heads, n, name, true);
        if (!h) {
            gotk_err *e = gotk_err_new(GOTK_E_NOTFOUND,
                                       "unable to resolve ref '%s' to a specific commit", ref->name);
            free(name);
            return e;
        }
        git_oid_cpy(&t->oid, &h->oid);
        t->fetch_ref = name;
        t->reference = gotk_xstrdup(ref->name);
        t->absolute = true;
        return NULL;
    }
    if (set(ref->semver))
        return pick_semver(url, ref->semver, heads, n, t);
    bool is_tag = set(ref->tag);
    t->reference = is_tag ? gotk_xasprintf("refs/tags/%s", ref->tag)
                          : gotk_xasprintf("refs/heads/%s", set(ref->branch) ? ref->branch : "master");
    const git_remote_head *h = find_head(heads, n, t->reference, is_tag);
    if (!h) {
        gotk_err *e = no_ref(url, t->reference);
        target_free(t);
        return e;
    }
    git_oid_cpy(&t->oid, &h->oid);
    t->fetch_ref = gotk_xstrdup(t->reference);
    t->local_branch = !is_tag;
    return NULL;
}

/* Connect remote for fetching and list its heads. */
static gotk_err *connect_and_list(gotk_git_ctx *ctx, git_remote *remote,
                                  const git_remote_head ***heads, size_t *n)
{
    git_remote_callbacks cb;
    gotk_git_callbacks(ctx, &cb);
    git_proxy_options proxy;
    git_proxy_options_init(&proxy, GIT_PROXY_OPTIONS_VERSION);
    ctx->key_attempts = 0;
    int rc = git_remote_connect(remote, GIT_DIRECTION_FETCH, &cb, &proxy, &ctx->headers);
    if (rc == 0)
        rc = git_remote_ls(heads, n, remote);
    if (rc < 0)
        return gotk_git_error(ctx, rc, "unable to clone '%s'", ctx->safe_url);
    return NULL;
}

/* The revision for a target. */
static char *target_revision(const target *t)
{
    char hex[41];
    git_oid_tostr(hex, sizeof hex, &t->oid);
    return gotk_git_revision(t->reference, hex, t->absolute);
}

/* Fetch options for ctx. */
static void fetch_options(gotk_git_ctx *ctx, git_fetch_options *fo)
{
    git_fetch_options_init(fo, GIT_FETCH_OPTIONS_VERSION);
    gotk_git_callbacks(ctx, &fo->callbacks);
    fo->download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
    fo->update_fetchhead = 0;
    fo->custom_headers = ctx->headers;
}

/* Fetch the target's ref (or all heads and tags). */
static gotk_err *fetch_target(gotk_git_ctx *ctx, git_remote *remote, const target *t)
{
    char *specs[2];
    size_t ns = 0;
    if (t->fetch_ref) {
        specs[ns++] = !strncmp(t->fetch_ref, "refs/heads/", 11)
                          ? gotk_xasprintf("+%s:refs/remotes/origin/%s", t->fetch_ref,
                                           t->fetch_ref + 11)
                          : gotk_xasprintf("+%s:%s", t->fetch_ref, t->fetch_ref);
    } else {
        specs[ns++] = gotk_xstrdup("+refs/heads/*:refs/remotes/origin/*");
        specs[ns++] = gotk_xstrdup("+refs/tags/*:refs/tags/*");
    }
    git_strarray arr = {specs, ns};
    git_fetch_options fo;
    fetch_options(ctx, &fo);
    ctx->key_attempts = 0;
    int rc = git_remote_fetch(remote, &arr, &fo, NULL);
    for (size_t i = 0; i < ns; i++)
        free(specs[i]);
    if (rc < 0)
        return gotk_git_error(ctx, rc, "unable to clone '%s'", ctx->safe_url);
    return NULL;
}

/* Check the commit out (unless `fetch_only`) and point HEAD at it. */
static gotk_err *checkout_commit(git_repository *repo, const target *t, bool fetch_only,
                                 git_commit **out)
{
    char hex[41];
    git_oid_tostr(hex, sizeof hex, &t->oid);
    if (git_commit_lookup(out, repo, &t->oid) < 0)
        return gotk_err_new(GOTK_E_NOTFOUND, "unable to resolve commit object for '%s': %s", hex,
                            "object not found");
    git_checkout_options co;
    git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
    co.checkout_strategy = GIT_CHECKOUT_FORCE;
    int rc = fetch_only ? 0 : git_checkout_tree(repo, (git_object *)*out, &co);
    if (rc == 0 && t->local_branch) {
        git_reference *br = NULL;
        rc = git_branch_create(&br, repo, t->reference + 11, *out, 1);
        if (rc == 0)
            rc = git_repository_set_head(repo, t->reference);
        git_reference_free(br);
    } else if (rc == 0) {
        rc = git_repository_set_head_detached(repo, &t->oid);
    }
    if (rc < 0)
        return gotk_git_error(NULL, rc, "unable to checkout commit '%s'", hex);
    return NULL;
}

/* Write HEAD's tree into the work tree of a fetch_only checkout. */
gotk_err *gotk_git_checkout_head(const char *dir)
{
    gotk_git_init();
    git_repository *repo = NULL;
    git_checkout_options co;
    git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
    co.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_RECREATE_MISSING;
    git_oid head = {{0}};
    char hex[41];
    int rc = git_repository_open(&repo, dir);
    if (rc == 0)
        rc = git_reference_name_to_id(&head, repo, "HEAD");
    if (rc == 0)
        rc = git_checkout_head(repo, &co);
    git_repository_free(repo);
    git_oid_tostr(hex, sizeof hex, &head);
    if (rc < 0) /* checkout_commit's words */
        return gotk_git_error(NULL, rc, "unable to checkout commit '%s'", hex);
    return NULL;
}

static gotk_err *update_submodules(gotk_git_ctx *ctx, git_repository *repo);

typedef struct {
    gotk_git_ctx *ctx;
    gotk_err *err;
} sub_walk;

/* Initialise, clone/update and recurse into one submodule. */
static int update_one(git_submodule *sm, const char *name, void *payload)
{
    sub_walk *w = payload;
    git_submodule_update_options uo;
    git_submodule_update_options_init(&uo, GIT_SUBMODULE_UPDATE_OPTIONS_VERSION);
    fetch_options(w->ctx, &uo.fetch_opts);
    uo.checkout_opts.checkout_strategy = GIT_CHECKOUT_FORCE;
    w->ctx->key_attempts = 0;
    int rc = git_submodule_update(sm, 1, &uo);
    git_repository *sub = NULL;
    if (rc == 0)
        rc = git_submodule_open(&sub, sm);
    if (rc < 0) {
        w->err = gotk_git_error(w->ctx, rc, "failed to update submodule '%s'", name);
        return -1;
    }
    w->err = update_submodules(w->ctx, sub);
    git_repository_free(sub);
    return w->err ? -1 : 0;
}

/* Update every submodule of repo, recursively. */
static gotk_err *update_submodules(gotk_git_ctx *ctx, git_repository *repo)
{
    sub_walk w = {ctx, NULL};
    int rc = git_submodule_foreach(repo, update_one, &w);
    if (w.err)
        return w.err;
    if (rc < 0)
        return gotk_git_error(ctx, rc, "failed to list submodules");
    return NULL;
}

/* Fill the result's commit details. */
static void fill_commit(gotk_git_result *out, git_commit *c)
{
    const git_signature *a = git_commit_author(c);
    const char *msg = git_commit_message(c);
    out->message = gotk_xstrdup(msg ? msg : "");
    out->author_name = gotk_xstrdup(a && a->name ? a->name : "");
    out->author_email = gotk_xstrdup(a && a->email ? a->email : "");
    out->author_time = a ? (int64_t)a->when.time : 0;
}

/* Fill revision, reference and commit from a target. */
static void fill_target(gotk_git_result *out, const target *t)
{
    memset(out, 0, sizeof *out);
    out->revision = target_revision(t);
    out->reference = gotk_xstrdup(t->reference);
    git_oid_tostr(out->commit, sizeof out->commit, &t->oid);
}

/* Is rev the caller's last revision (legacy forms accepted)? */
static bool same_revision(const char *last, const char *rev)
{
    if (!set(last))
        return false;
    char *norm = gotk_git_transform_revision(last);
    bool same = !strcmp(norm, rev);
    free(norm);
    return same;
}

/* A bare commit needs no network to know its revision. */
static bool bare_commit_unchanged(const gotk_git_checkout_opts *o, gotk_git_result *out)
{
    if (!set(o->ref.commit) || set(o->ref.branch) || strlen(o->ref.commit) != 40)
        return false;
    char *rev = gotk_git_revision(NULL, o->ref.commit, false);
    if (!same_revision(o->last_revision, rev)) {
        free(rev);
        return false;
    }
    memset(out, 0, sizeof *out);
    out->revision = rev;
    out->reference = gotk_xstrdup("");
    memcpy(out->commit, o->ref.commit, 41);
    out->unchanged = true;
    return true;
}

/* Fetch and check out the target into the initialised repo. */
static gotk_err *fetch_and_checkout(gotk_git_ctx *ctx, git_repository *repo, git_remote *remote,
                                    const gotk_git_checkout_opts *o, const target *t,
                                    gotk_git_result *out)
{
    gotk_err *e = fetch_target(ctx, remote, t);
    git_commit *c = NULL;
    if (!e)
        e = checkout_commit(repo, t, o->fetch_only, &c);
    if (!e && o->recurse_submodules)
        e = update_submodules(ctx, repo);
    if (!e)
        fill_commit(out, c);
    git_commit_free(c);
    return e;
}

/* Add the remote "origin" without url.insteadOf rewriting (Flux does none,
 * and libgit2 1.5 leaks a PCRE2 match block per config entry doing it). */
static int create_origin(git_remote **out, git_repository *repo, const char *url)
{
    git_remote_create_options ro;
    git_remote_create_options_init(&ro, GIT_REMOTE_CREATE_OPTIONS_VERSION);
    ro.repository = repo;
    ro.name = "origin";
    ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF;
    return git_remote_create_with_opts(out, url, &ro);
}

/* Resolve the reference through a detached remote: no repository, nothing
 * written to disk. */
static gotk_err *resolve_detached(gotk_git_ctx *ctx, const gotk_git_checkout_opts *o,
                                  gotk_git_result *out)
{
    git_remote *remote = NULL;
    const git_remote_head **heads = NULL;
    size_t n = 0;
    target t;
    gotk_err *e = NULL;
    if (git_remote_create_detached(&remote, o->url) < 0)
        e = gotk_git_error(NULL, -1, "invalid remote '%s'", ctx->safe_url);
    if (!e)
        e = connect_and_list(ctx, remote, &heads, &n);
    if (!e)
        e = pick_target(ctx->safe_url, &o->ref, heads, n, &t);
    if (!e) {
        fill_target(out, &t);
        out->unchanged = same_revision(o->last_revision, out->revision);
        target_free(&t);
    }
    git_remote_free(remote);
    return e;
}

/* What both entry points start with: libgit2 ready and `out` cleared; then a
 * bare commit already seen is answered locally (*answered), else ctx is set
 * up for the remote. */
static gotk_err *begin(const gotk_git_checkout_opts *o, gotk_git_result *out, gotk_git_ctx *ctx,
                       bool *answered)
{
    gotk_git_init();
    memset(out, 0, sizeof *out);
    *answered = bare_commit_unchanged(o, out);
    return *answered ? NULL : gotk_git_ctx_init(ctx, o->url, o->auth, o->timeout);
}

/* Resolve the reference from the remote's ref list only. */
gotk_err *gotk_git_resolve(const gotk_git_checkout_opts *o, gotk_git_result *out)
{
    gotk_git_ctx ctx;
    bool answered = false;
    gotk_err *e = begin(o, out, &ctx, &answered);
    if (e || answered)
        return e;
    e = resolve_detached(&ctx, o, out);
    gotk_git_ctx_free(&ctx);
    return e;
}

/* Check out the reference into dir (see gotk/git.h). */
gotk_err *gotk_git_checkout(const gotk_git_checkout_opts *o, const char *dir, gotk_git_result *out)
{
    gotk_git_ctx ctx;
    bool answered = false;
    gotk_err *e = begin(o, out, &ctx, &answered);
    if (e || answered)
        return e;
    /* With a last revision the answer is often "unchanged": find out without
     * initialising a repository on disk (that costs more than the ref list). */
    if (set(o->last_revision)) {
        e = resolve_detached(&ctx, o, out);
        if (e || out->unchanged) {
            gotk_git_ctx_free(&ctx);
            return e;
        }
        gotk_git_result_free(out);
    }
    git_repository *repo = NULL;
    git_remote *remote = NULL;
    const git_remote_head **heads = NULL;
    size_t n = 0;
    target t = {0};
    bool have_target = false;
    if ((e = gotk_file_mkdir_all(dir, 0755)))
        goto done;
    if (git_repository_init(&repo, dir, 0) < 0 || create_origin(&remote, repo, o->url) < 0) {
        e = gotk_git_error(NULL, -1, "unable to initialise repository in %s", dir);
        goto done;
    }
    if ((e = connect_and_list(&ctx, remote, &heads, &n)))
        goto done;
    if ((e = pick_target(ctx.safe_url, &o->ref, heads, n, &t)))
        goto done;
    have_target = true;
    fill_target(out, &t);
    if (same_revision(o->last_revision, out->revision)) {
        out->unchanged = true;
        goto done;
    }
    e = fetch_and_checkout(&ctx, repo, remote, o, &t, out);
done:
    if (e)
        gotk_git_result_free(out);
    if (have_target)
        target_free(&t);
    git_remote_free(remote);
    git_repository_free(repo);
    gotk_git_ctx_free(&ctx);
    return e;
}

/* Free what a result owns. */
void gotk_git_result_free(gotk_git_result *r)
{
    if (!r)
        return;
    free(r->revision);
    free(r->reference);
    free(r->message);
    free(r->author_name);
    free(r->author_email);
    memset(r, 0, sizeof *r);
}
