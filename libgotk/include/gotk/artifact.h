/*
 * artifact: the tarballs source-controller stores and serves, and the client
 * side that downloads, verifies and unpacks them (kustomize-controller,
 * helm-controller).
 *
 * Ignore rules. Flux filters a checkout with gitignore patterns as go-git's
 * gitignore package matches them (fluxcd/pkg sourceignore), which differs from
 * git itself in one way that matters: every path is matched on its own, so a
 * negated pattern can bring back a file inside an excluded directory. Patterns
 * come, lowest priority first, from the VCS exclusions (`.git/`, `.gitignore`,
 * `.gitmodules`, `.gitattributes`), then either Flux's default exclusions
 * (media, archives, CI files) when no other pattern exists at all, or else every
 * `.sourceignore` file in the tree (each scoped to its directory, parents
 * before children, siblings in name order) followed by `spec.ignore`.
 *
 * Tarballs. gotk_artifact_archive walks a directory in name order and writes
 * a gzip'd tar of its regular files and directories (symlinks and anything
 * else skipped, as Flux does), with the root itself as the entry ".", names
 * relative to the root, uid/gid 0, empty owner names, times zero, modes 0750
 * for directories, 0700 for executables and 0600 for other files, and a gzip
 * header without name or time. The same tree gives the same bytes whatever the
 * checkout's times and owners. (The bytes are not Flux's: Go's deflate and
 * zlib compress differently. The entries and headers are the same.)
 * The file is written to a temporary name beside the target and renamed.
 *
 * Storage. Artifacts live at `<storage>/<lower(kind)>/<ns>/<name>/<file>`;
 * their URL is `http://<advertised address>/<path>`. A `latest.tar.gz`
 * symlink may point at the newest. Garbage collection keeps the current
 * artifact, removes others older than the TTL and then the oldest until at
 * most `records` remain.
 *
 * Server. A read-only HTTP file server over the storage directory
 * (libmicrohttpd): GET and HEAD, no directory listings, no way out of the
 * root (`..` refused, symlinks followed only when they stay inside).
 *
 * Fetch. Download a tarball (libcurl, retried on network errors and 5xx),
 * check its sha256 digest, and extract it refusing absolute paths, `..`,
 * links that leave the target, and device files.
 */
#ifndef GOTK_ARTIFACT_H
#define GOTK_ARTIFACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gotk/core.h"

/* ---- ignore rules -------------------------------------------------------- */

/* Flux's lists (fluxcd/pkg sourceignore), comma-separated. */
#define GOTK_IGNORE_VCS ".git/,.gitignore,.gitmodules,.gitattributes"
#define GOTK_IGNORE_EXT "*.jpg,*.jpeg,*.gif,*.png,*.wmv,*.flv,*.tar.gz,*.zip"
#define GOTK_IGNORE_CI                                                                       \
    ".github/,.circleci/,.travis.yml,.gitlab-ci.yml,appveyor.yml,.drone.yml,"              \
    "cloudbuild.yaml,codeship-services.yml,codeship-steps.yml"
#define GOTK_IGNORE_EXTRA "**/.goreleaser.yml,**/.sops.yaml,**/.flux.yaml"
#define GOTK_IGNORE_FILE ".sourceignore"

typedef struct gotk_ignore gotk_ignore;

gotk_ignore *gotk_ignore_new(void);
void gotk_ignore_free(gotk_ignore *m);
/* Add one pattern with higher priority than all before it. `domain` is the
 * directory it is scoped to, relative to the root ("" or NULL for the root). */
void gotk_ignore_add(gotk_ignore *m, const char *pattern, const char *domain);
/* Add each line of a gitignore text (lines starting with `#` and blank lines
 * skipped); returns how many patterns were added. */
size_t gotk_ignore_add_lines(gotk_ignore *m, const char *text, size_t len, const char *domain);
/* Add a comma-separated list such as GOTK_IGNORE_VCS at the root. */
void gotk_ignore_add_list(gotk_ignore *m, const char *csv);
/* Is the relative path ("dir/file.yaml") excluded? */
bool gotk_ignore_match(const gotk_ignore *m, const char *path, bool is_dir);
/* How many patterns the matcher holds. */
size_t gotk_ignore_count(const gotk_ignore *m);
/* Does any pattern re-include (`!`)? Without one, an excluded directory's
 * whole subtree is excluded and a walk may skip it. */
bool gotk_ignore_has_negation(const gotk_ignore *m);
/* Flux's matcher for a checkout: `.sourceignore` files found under `dir` (not
 * inside `.git`), then `spec_ignore` (may be NULL); with no pattern at all,
 * the VCS and default exclusions, otherwise the VCS ones plus the patterns. */
gotk_err *gotk_ignore_load_dir(const char *dir, const char *spec_ignore, gotk_ignore **out);
/* The same matcher from `.sourceignore` patterns already gathered into
 * `found` in load order (it is emptied; the caller still frees it). */
gotk_ignore *gotk_ignore_compose(gotk_ignore *found, const char *spec_ignore);

/* ---- tarballs and digests ------------------------------------------------ */

typedef struct {
    char digest[72]; /* "sha256:<64 hex>" */
    int64_t size;    /* bytes of the compressed file */
} gotk_artifact_info;

/* Archive `dir` into `dest` (atomic rename), skipping what `filter` (may be
 * NULL) excludes; fills `out` with the tarball's digest and size. */
gotk_err *gotk_artifact_archive(const char *dir, const gotk_ignore *filter, const char *dest,
                                gotk_artifact_info *out);
/* Archive commit `commit_hex` of the repository at `repo_dir` straight from
 * its object database, with the bytes gotk_artifact_archive would write for
 * a checkout of it filtered by gotk_ignore_load_dir(checkout, spec_ignore).
 * `*done` is false, and nothing is written, when that cannot be promised
 * without a checkout: Git attributes or CRLF conversion, submodules, empty
 * trees, a `.sourceignore` that is not a plain file, or `!` patterns (which
 * may reach into `.git`). */
gotk_err *gotk_artifact_archive_git(const char *repo_dir, const char *commit_hex,
                                    const char *spec_ignore, const char *dest,
                                    gotk_artifact_info *out, bool *done);
/* Digest and size of an existing file. */
gotk_err *gotk_artifact_file_digest(const char *path, gotk_artifact_info *out);
/* Check a file against "sha256:<hex>": mismatch names both digests. */
gotk_err *gotk_artifact_verify_file(const char *path, const char *digest);

/* ---- storage ------------------------------------------------------------- */

/* "<lower(kind)>/<ns>/<name>/<file>". Caller frees. */
char *gotk_artifact_path(const char *kind, const char *ns, const char *name, const char *file);
/* The artifact's file under `base`, or NULL if `rel` tries to leave it. Caller
 * frees. */
char *gotk_artifact_local_path(const char *base, const char *rel);
/* "http://<adv>/<rel>", or "<adv>/<rel>" when adv already has a scheme.
 * Caller frees. */
char *gotk_artifact_url(const char *adv_addr, const char *rel);
/* Point `<dir of rel>/<linkname>` at the artifact (atomically replaced). */
gotk_err *gotk_artifact_symlink(const char *base, const char *rel, const char *linkname);
/* Garbage-collect the directory of `rel` (see above). `*deleted` (may be NULL)
 * receives how many files were removed. records <= 0 means no count limit. */
gotk_err *gotk_artifact_gc(const char *base, const char *rel, int records, gotk_duration ttl,
                           size_t *deleted);
/* Remove every artifact of an object: `<base>/<lower(kind)>/<ns>/<name>`. */
gotk_err *gotk_artifact_remove_all(const char *base, const char *kind, const char *ns,
                                   const char *name);

/* ---- HTTP file server ---------------------------------------------------- */

typedef struct gotk_artifact_server gotk_artifact_server;

/* Serve `root` on `addr` ("host:port", ":port"; port 0 picks a free one). */
gotk_err *gotk_artifact_server_start(const char *addr, const char *root,
                                     gotk_artifact_server **out);
/* The port actually bound. */
int gotk_artifact_server_port(const gotk_artifact_server *s);
void gotk_artifact_server_stop(gotk_artifact_server *s);

/* ---- fetch, verify, extract ---------------------------------------------- */

/* Download `url` (retrying up to `retries` times on network errors and 5xx),
 * verify it against `digest` ("sha256:<hex>", or NULL to skip) and extract it
 * into `dir` (created if missing). */
gotk_err *gotk_artifact_fetch(const char *url, const char *digest, const char *dir, int retries);
/* Extract a local tar.gz into `dir` with the same safety checks. */
gotk_err *gotk_artifact_extract(const char *tarball, const char *dir);

#endif
