/*
 * Starting repositories: a new bare repository whose branch holds one commit
 * with every file under a directory (gotk dev's demo repository), and an empty
 * local repository with an origin, for bootstrapping a remote that has no
 * commits yet. Blobs and trees are written straight into the object database
 * with libgit2, walking the directory in name order; symlinks and special files
 * are skipped, executables keep their mode.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>

#include "gotk/git.h"

/* Insert one directory's entries into a tree builder, recursing into subdirs. */
static int build_tree(git_repository *repo, const char *dir, git_oid *out)
{
    git_treebuilder *tb = NULL;
    int rc = git_treebuilder_new(&tb, repo, NULL);
    DIR *d = rc == 0 ? opendir(dir) : NULL;
    if (!d)
        rc = rc ? rc : -1;
    for (struct dirent *ent; rc == 0 && (ent = readdir(d));) {
        if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, "..") || !strcmp(ent->d_name, ".git"))
            continue;
        char *path = gotk_xasprintf("%s/%s", dir, ent->d_name);
        struct stat sb;
        git_oid id;
        if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            rc = build_tree(repo, path, &id);
            if (rc == 0)
                rc = git_treebuilder_insert(NULL, tb, ent->d_name, &id, GIT_FILEMODE_TREE);
        } else if (lstat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
            rc = git_blob_create_from_disk(&id, repo, path);
            git_filemode_t mode = sb.st_mode & 0111 ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
            if (rc == 0)
                rc = git_treebuilder_insert(NULL, tb, ent->d_name, &id, mode);
        }
        free(path);
    }
    if (d)
        closedir(d);
    if (rc == 0)
        rc = git_treebuilder_write(out, tb);
    git_treebuilder_free(tb);
    return rc;
}

/* The single commit on refs/heads/<branch>, made HEAD. */
static int commit_tree(git_repository *repo, const git_oid *tree_id, const char *branch,
                       const char *name, const char *email, const char *message)
{
    git_tree *tree = NULL;
    git_signature *sig = NULL;
    git_oid commit;
    char *ref = gotk_xasprintf("refs/heads/%s", branch);
    int rc = git_tree_lookup(&tree, repo, tree_id);
    if (rc == 0)
        rc = git_signature_now(&sig, name, email);
    if (rc == 0)
        rc = git_commit_create(&commit, repo, ref, sig, sig, NULL, message, tree, 0, NULL);
    if (rc == 0)
        rc = git_repository_set_head(repo, ref);
    free(ref);
    git_signature_free(sig);
    git_tree_free(tree);
    return rc;
}

gotk_err *gotk_git_seed_bare(const char *bare_dir, const char *src_dir, const char *branch,
                             const char *author_name, const char *author_email,
                             const char *message, bool *created)
{
    gotk_git_init();
    *created = false;
    git_repository *repo = NULL;
    if (git_repository_open_bare(&repo, bare_dir) == 0) {
        git_repository_free(repo);
        return NULL; /* already there: keep its history */
    }
    struct stat sb;
    if (stat(src_dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return gotk_err_new(GOTK_E_NOTFOUND, "seeding %s: %s is not a directory", bare_dir, src_dir);
    git_oid tree;
    int rc = git_repository_init(&repo, bare_dir, 1);
    if (rc == 0)
        rc = build_tree(repo, src_dir, &tree);
    if (rc == 0)
        rc = commit_tree(repo, &tree, branch, author_name, author_email, message);
    const git_error *ge = rc ? git_error_last() : NULL;
    gotk_err *e = rc ? gotk_err_new(GOTK_E_IO, "seeding %s from %s: %s", bare_dir, src_dir,
                                    ge && ge->message ? ge->message : "libgit2 error")
                     : NULL;
    git_repository_free(repo);
    if (e)
        gotk_err_free(gotk_file_remove_all(bare_dir));
    else
        *created = true;
    return e;
}

gotk_err *gotk_git_init_empty(const char *dir, const char *url)
{
    gotk_git_init();
    gotk_err *e = gotk_git_url_check(url);
    if (e)
        return e;
    if ((e = gotk_file_mkdir_all(dir, 0755)))
        return e;
    git_repository *repo = NULL;
    git_config *cfg = NULL;
    int rc = git_repository_init(&repo, dir, 0);
    /* origin by config alone: git_remote_create applies url.insteadOf, where
     * libgit2 1.5 leaks PCRE2 memory, and push reads only remote.origin.url */
    if (rc == 0)
        rc = git_repository_config(&cfg, repo);
    if (rc == 0)
        rc = git_config_set_string(cfg, "remote.origin.url", url);
    if (rc < 0) {
        const git_error *ge = git_error_last();
        e = gotk_err_new(GOTK_E_IO, "unable to initialise a repository in %s: %s", dir,
                         ge && ge->message ? ge->message : "libgit2 error");
    }
    git_config_free(cfg);
    git_repository_free(repo);
    return e;
}
