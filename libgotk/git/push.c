/*
 * Commit and push: what image-automation-controller does after editing files
 * in a checkout.
 *
 * Every change in the work tree is staged (additions and modifications with
 * git_index_add_all, deletions with git_index_update_all). If the resulting
 * tree equals HEAD's, there is nothing to commit. Otherwise a commit with the
 * given author (also the committer, at the current time) and message is made
 * on top of HEAD (or, in a repository without commits yet, as its first commit),
 * the local branch refs/heads/<branch> is moved to it, and it is pushed to the
 * same branch of "origin".
 *
 * Unless forced, the push must fast-forward: the push-negotiation callback
 * sees the remote's current commit for the branch and refuses when the new
 * commit does not descend from it (git's own client refuses the same way;
 * the server would otherwise accept a rewrite of a bare repository). Refusals
 * the server reports per ref come back through push_update_reference.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Refuse non-fast-forward updates unless forced. */
static int negotiate(const git_push_update **updates, size_t len, void *payload)
{
    gotk_git_ctx *ctx = payload;
    for (size_t i = 0; i < len && !ctx->force; i++) {
        const git_push_update *u = updates[i];
        /* src: the remote's current commit; dst: the one we push */
        if (git_oid_is_zero(&u->src) || git_oid_equal(&u->src, &u->dst))
            continue;
        if (git_graph_descendant_of(ctx->repo, &u->dst, &u->src) != 1) {
            char *msg = gotk_xasprintf("failed to push to '%s': non-fast-forward update of %s",
                                       ctx->safe_url, u->dst_refname);
            ctx->cb_error = msg;
            git_error_set_str(GIT_ERROR_CALLBACK, msg);
            return -1;
        }
    }
    return 0;
}

/* Record a ref the server refused. */
static int ref_status(const char *refname, const char *status, void *payload)
{
    gotk_git_ctx *ctx = payload;
    if (status && !ctx->cb_error)
        ctx->cb_error = gotk_xasprintf("push rejected for %s: %s", refname, status);
    return 0;
}

/* Stage everything; *tree gets the index's tree. */
static int stage_all(git_repository *repo, git_oid *tree)
{
    git_index *idx = NULL;
    char *all = "*";
    git_strarray spec = {&all, 1};
    int rc = git_repository_index(&idx, repo);
    if (rc == 0)
        rc = git_index_add_all(idx, &spec, GIT_INDEX_ADD_DEFAULT, NULL, NULL);
    if (rc == 0)
        rc = git_index_update_all(idx, &spec, NULL, NULL);
    if (rc == 0)
        rc = git_index_write(idx);
    if (rc == 0)
        rc = git_index_write_tree(tree, idx);
    git_index_free(idx);
    return rc;
}

/* Make the commit on top of HEAD and point refs/heads/<branch> at it. */
static gotk_err *make_commit(git_repository *repo, const gotk_git_push_opts *o, git_oid *out)
{
    git_oid tree_id;
    git_commit *head = NULL;
    git_tree *tree = NULL;
    git_signature *sig = NULL;
    git_reference *br = NULL;
    gotk_err *e = NULL;
    int rc = stage_all(repo, &tree_id);
    if (rc == 0) {
        rc = git_revparse_single((git_object **)&head, repo, "HEAD^{commit}");
        if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH)
            rc = 0; /* no commit yet: this one starts the branch */
    }
    if (rc < 0) {
        e = gotk_git_error(NULL, rc, "unable to stage changes");
        goto done;
    }
    git_oid empty;
    git_oid_fromstr(&empty, "4b825dc642cb6eb9a060e54bf8d69288fbee4904"); /* the empty tree */
    if (git_oid_equal(&tree_id, head ? git_commit_tree_id(head) : &empty)) {
        e = gotk_err_new(GOTK_E_CONFLICT, "no changes to commit");
        goto done;
    }
    rc = git_tree_lookup(&tree, repo, &tree_id);
    if (rc == 0)
        rc = git_signature_now(&sig, o->author_name, o->author_email);
    const git_commit *parents[1] = {head};
    if (rc == 0)
        rc = git_commit_create(out, repo, NULL, sig, sig, NULL, o->message, tree, head ? 1 : 0,
                               parents);
    if (rc == 0) {
        char *name = gotk_xasprintf("refs/heads/%s", o->branch);
        rc = git_reference_create(&br, repo, name, out, 1, NULL);
        if (rc == 0)
            rc = git_repository_set_head(repo, name);
        free(name);
    }
    if (rc < 0)
        e = gotk_git_error(NULL, rc, "unable to commit");
done:
    git_reference_free(br);
    git_signature_free(sig);
    git_tree_free(tree);
    git_commit_free(head);
    return e;
}

/* An in-memory remote for origin's URL, without url.insteadOf rewriting
 * (git_remote_lookup applies it, and libgit2 1.5 leaks PCRE2 memory there). */
static int open_origin(git_remote **out, git_repository *repo, const char *url)
{
    git_remote_create_options ro;
    git_remote_create_options_init(&ro, GIT_REMOTE_CREATE_OPTIONS_VERSION);
    ro.repository = repo;
    ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
    return git_remote_create_with_opts(out, url, &ro);
}

/* The URL of remote "origin" from the repository's config. Caller frees. */
static char *origin_url(git_repository *repo)
{
    git_config *cfg = NULL;
    git_buf b = GIT_BUF_INIT;
    char *url = NULL;
    if (git_repository_config_snapshot(&cfg, repo) == 0 &&
        git_config_get_string_buf(&b, cfg, "remote.origin.url") == 0)
        url = gotk_xstrdup(b.ptr);
    git_buf_dispose(&b);
    git_config_free(cfg);
    return url;
}

/* Push refs/heads/<branch> to origin. */
static gotk_err *push_branch(gotk_git_ctx *ctx, git_repository *repo, const gotk_git_push_opts *o)
{
    git_remote *remote = NULL;
    if (open_origin(&remote, repo, ctx->url) < 0)
        return gotk_git_error(NULL, -1, "no remote 'origin'");
    char *spec = gotk_xasprintf("%srefs/heads/%s:refs/heads/%s", o->force ? "+" : "", o->branch,
                                o->branch);
    git_strarray specs = {&spec, 1};
    git_push_options po;
    git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
    gotk_git_callbacks(ctx, &po.callbacks);
    po.callbacks.push_negotiation = negotiate;
    po.callbacks.push_update_reference = ref_status;
    po.custom_headers = ctx->headers;
    ctx->repo = repo;
    ctx->force = o->force;
    ctx->key_attempts = 0;
    int rc = git_remote_push(remote, &specs, &po);
    gotk_err *e = NULL;
    if (rc < 0)
        e = gotk_git_error(ctx, rc, "failed to push to '%s'", ctx->safe_url);
    else if (ctx->cb_error)
        e = gotk_err_new(GOTK_E_CONFLICT, "failed to push to '%s': %s", ctx->safe_url,
                         ctx->cb_error);
    free(spec);
    git_remote_free(remote);
    return e;
}

/* Stage, commit and push (see gotk/git.h). */
gotk_err *gotk_git_commit_push(const char *dir, const gotk_git_push_opts *o, char commit_hex[41])
{
    gotk_git_init();
    git_repository *repo = NULL;
    if (git_repository_open(&repo, dir) < 0)
        return gotk_git_error(NULL, -1, "unable to open repository %s", dir);
    gotk_err *e = NULL;
    char *url = origin_url(repo);
    if (!url)
        e = gotk_err_new(GOTK_E_NOTFOUND, "no remote 'origin' in %s", dir);
    gotk_git_ctx ctx;
    bool have_ctx = false;
    if (!e && !(e = gotk_git_ctx_init(&ctx, url, o->auth, o->timeout)))
        have_ctx = true;
    free(url);
    git_oid id;
    if (!e)
        e = make_commit(repo, o, &id);
    if (!e)
        e = push_branch(&ctx, repo, o);
    if (!e && commit_hex)
        git_oid_tostr(commit_hex, 41, &id);
    if (have_ctx)
        gotk_git_ctx_free(&ctx);
    git_repository_free(repo);
    return e;
}
