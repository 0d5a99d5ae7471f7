/*
 * A commit's tree archived straight from the object database, byte for byte
 * as archive.c's directory walk would archive a checkout of it, without
 * writing the work tree: for a large repository, creating thousands of small
 * files costs more than fetching them.
 *
 * The checkout this stands for is libgit2's forced checkout: blobs become
 * files (the execute bit kept), symlinks links (which the walk skips), trees
 * directories. That holds only while nothing could change a blob's bytes on
 * the way out and every tree becomes a directory, so a first pass over the
 * tree gives up (done = false) on: a `.gitattributes` anywhere or an
 * attributes file outside the tree, core.autocrlf or core.symlinks=false, a
 * submodule, an empty tree, a name libgit2's checkout would refuse, or a
 * `.sourceignore` that is not a plain blob. The same pass gathers the
 * `.sourceignore` files in gotk_ignore_load_dir's order (a directory's own,
 * then its subdirectories' in name order); a matcher with `!` patterns also
 * gives up, since on disk those could re-include files under `.git`.
 *
 * The second pass writes entries in the walk's order: "." first, then each
 * directory's entries sorted bytewise by name (Git sorts a tree's names as if
 * directories ended in '/'), depth first, excluded directories pruned.
 */
#include "internal.h"

#include <ctype.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

typedef struct {
    git_repository *repo;
    gotk_ignore *found; /* .sourceignore patterns in load order */
    bool plain;         /* false: only a checkout gives the right bytes */
    gotk_err *err;
} survey;

/* A libgit2 failure as an error. */
static gotk_err *git_fail(const char *what)
{
    const git_error *ge = git_error_last();
    return gotk_err_new(GOTK_E_IO, "%s: %s", what, ge && ge->message ? ge->message : "unknown");
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(git_tree_entry_name(*(const git_tree_entry *const *)a),
                  git_tree_entry_name(*(const git_tree_entry *const *)b));
}

/* The tree's entries sorted bytewise by name. Caller frees the array. */
static const git_tree_entry **sorted_entries(const git_tree *tree, size_t *n)
{
    *n = git_tree_entrycount(tree);
    const git_tree_entry **v = gotk_xcalloc(*n + 1, sizeof *v);
    for (size_t i = 0; i < *n; i++)
        v[i] = git_tree_entry_byindex(tree, i);
    qsort(v, *n, sizeof *v, cmp_entry);
    return v;
}

/* Would libgit2's checkout refuse or rewrite this name (its .git and NTFS
 * protections), or is it a file that changes how others are written? */
static bool special_name(const char *name)
{
    size_t len = strlen(name);
    if (!strcasecmp(name, ".gitattributes") || !strncasecmp(name, "git~", 4) ||
        (!strncasecmp(name, ".git", 4) && (len == 4 || !isalnum((unsigned char)name[4]))))
        return true;
    if (len == 0 || name[len - 1] == '.' || name[len - 1] == ' ')
        return true;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || strchr("\\:<>\"|?*", *p))
            return true;
    return false;
}

/* Add a directory's `.sourceignore` blob, scoped to domain. */
static void read_sourceignore(survey *s, const git_tree_entry *e, const char *domain)
{
    git_filemode_t mode = git_tree_entry_filemode(e);
    if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) {
        s->plain = false;
        return;
    }
    git_blob *blob = NULL;
    if (git_blob_lookup(&blob, s->repo, git_tree_entry_id(e)) < 0) {
        s->err = git_fail("read .sourceignore");
        return;
    }
    gotk_ignore_add_lines(s->found, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
                          domain);
    git_blob_free(blob);
}

/* First pass over `tree` at `domain` ("" for the root). */
static void survey_tree(survey *s, const git_tree *tree, const char *domain)
{
    if (git_tree_entrycount(tree) == 0) {
        s->plain = false;
        return;
    }
    const git_tree_entry *si = git_tree_entry_byname(tree, GOTK_IGNORE_FILE);
    if (si)
        read_sourceignore(s, si, domain);
    size_t n = 0;
    const git_tree_entry **v = sorted_entries(tree, &n);
    for (size_t i = 0; i < n && s->plain && !s->err; i++) {
        const char *name = git_tree_entry_name(v[i]);
        git_filemode_t mode = git_tree_entry_filemode(v[i]);
        if (special_name(name) || mode == GIT_FILEMODE_COMMIT) {
            s->plain = false;
        } else if (mode == GIT_FILEMODE_TREE) {
            git_tree *sub = NULL;
            if (git_tree_lookup(&sub, s->repo, git_tree_entry_id(v[i])) < 0) {
                s->err = git_fail("read tree");
                break;
            }
            char *subdom = domain[0] ? gotk_xasprintf("%s/%s", domain, name) : gotk_xstrdup(name);
            survey_tree(s, sub, subdom);
            free(subdom);
            git_tree_free(sub);
        }
    }
    free(v);
}

/* Does a file exist at dir/name (dir may be NULL or empty: no)? */
static bool file_in(const char *dir, const char *name)
{
    if (!dir || !*dir)
        return false;
    char *p = gotk_xasprintf("%s/%s", dir, name);
    bool yes = access(p, F_OK) == 0;
    free(p);
    return yes;
}

/* Could configuration or an attributes file outside the tree make the
 * checkout write other bytes or other file types? */
static bool checkout_filtered(git_repository *repo)
{
    git_config *cfg = NULL;
    int autocrlf = 0, symlinks = 1;
    const char *attrfile = NULL;
    if (git_repository_config_snapshot(&cfg, repo) < 0)
        return true;
    git_config_get_bool(&autocrlf, cfg, "core.autocrlf");
    git_config_get_bool(&symlinks, cfg, "core.symlinks");
    bool has_attrfile = git_config_get_string(&attrfile, cfg, "core.attributesfile") == 0;
    git_config_free(cfg);
    if (autocrlf || !symlinks || has_attrfile)
        return true;
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    char *home_cfg = home && *home ? gotk_xasprintf("%s/.config", home) : NULL;
    bool found = file_in(git_repository_path(repo), "info/attributes") ||
                 file_in(xdg, "git/attributes") || file_in(home_cfg, "git/attributes") ||
                 file_in("/etc", "gitattributes");
    free(home_cfg);
    return found;
}

typedef struct {
    git_repository *repo;
    gotk_tgz *t;
    const gotk_ignore *filter;
} writer;

/* One blob as a file entry. */
static gotk_err *write_blob(writer *w, const git_tree_entry *e, const char *rel)
{
    git_blob *blob = NULL;
    if (git_blob_lookup(&blob, w->repo, git_tree_entry_id(e)) < 0)
        return git_fail(rel);
    int64_t size = (int64_t)git_blob_rawsize(blob);
    bool exec = (git_tree_entry_filemode(e) & 0111) != 0;
    gotk_err *err = gotk_tgz_header(w->t, rel, false, exec, size);
    if (!err)
        err = gotk_tgz_data(w->t, rel, git_blob_rawcontent(blob), (size_t)size);
    git_blob_free(blob);
    return err;
}

/* Second pass: the entries below `tree` (at `rel`, "" for the root). */
static gotk_err *write_tree(writer *w, const git_tree *tree, const char *rel)
{
    size_t n = 0;
    const git_tree_entry **v = sorted_entries(tree, &n);
    gotk_err *e = NULL;
    for (size_t i = 0; i < n && !e; i++) {
        git_filemode_t mode = git_tree_entry_filemode(v[i]);
        if (mode == GIT_FILEMODE_LINK)
            continue;
        bool dir = mode == GIT_FILEMODE_TREE;
        const char *name = git_tree_entry_name(v[i]);
        char *sub = rel[0] ? gotk_xasprintf("%s/%s", rel, name) : gotk_xstrdup(name);
        if (gotk_ignore_match(w->filter, sub, dir)) {
            free(sub);
            continue;
        }
        if (!dir) {
            e = write_blob(w, v[i], sub);
        } else if (!(e = gotk_tgz_header(w->t, sub, true, false, 0))) {
            git_tree *subtree = NULL;
            if (git_tree_lookup(&subtree, w->repo, git_tree_entry_id(v[i])) < 0)
                e = git_fail(sub);
            else
                e = write_tree(w, subtree, sub);
            git_tree_free(subtree);
        }
        free(sub);
    }
    free(v);
    return e;
}

/* The archive once the survey said it can be streamed. */
static gotk_err *stream(git_repository *repo, const git_tree *tree, const gotk_ignore *filter,
                        const char *dest, gotk_artifact_info *out)
{
    gotk_tgz *t = NULL;
    gotk_err *e = gotk_tgz_open(dest, &t);
    if (e)
        return e;
    writer w = {repo, t, filter};
    if ((e = gotk_tgz_header(t, ".", true, false, 0)) || (e = write_tree(&w, tree, ""))) {
        gotk_tgz_abort(t);
        return e;
    }
    return gotk_tgz_commit(t, out);
}

/* Open the repository and the commit's tree. */
static gotk_err *open_tree(const char *repo_dir, const char *commit_hex, git_repository **repo,
                           git_tree **tree)
{
    git_oid oid;
    git_commit *c = NULL;
    if (git_repository_open(repo, repo_dir) < 0)
        return git_fail(repo_dir);
    if (git_oid_fromstr(&oid, commit_hex) < 0 || git_commit_lookup(&c, *repo, &oid) < 0 ||
        git_commit_tree(tree, c) < 0) {
        git_commit_free(c);
        return git_fail(commit_hex);
    }
    git_commit_free(c);
    return NULL;
}

/* Archive a commit's tree from the object database (see gotk/artifact.h). */
gotk_err *gotk_artifact_archive_git(const char *repo_dir, const char *commit_hex,
                                    const char *spec_ignore, const char *dest,
                                    gotk_artifact_info *out, bool *done)
{
    *done = false;
    git_repository *repo = NULL;
    git_tree *tree = NULL;
    gotk_err *e = open_tree(repo_dir, commit_hex, &repo, &tree);
    survey s = {.repo = repo, .found = gotk_ignore_new(), .plain = true};
    if (!e && checkout_filtered(repo))
        s.plain = false;
    if (!e && s.plain) {
        survey_tree(&s, tree, "");
        e = s.err;
    }
    if (!e && s.plain) {
        gotk_ignore *filter = gotk_ignore_compose(s.found, spec_ignore);
        if (!gotk_ignore_has_negation(filter)) {
            e = stream(repo, tree, filter, dest, out);
            *done = e == NULL;
        }
        gotk_ignore_free(filter);
    }
    gotk_ignore_free(s.found);
    git_tree_free(tree);
    git_repository_free(repo);
    return e;
}
