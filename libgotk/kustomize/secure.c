/*
 * Flux's secure filesystem for kustomize builds (fluxcd/pkg/kustomize's
 * MakeFsOnDiskSecureBuild): every path the build opens must lie in or below a
 * confinement root once symlinks are resolved, whatever the load restrictor
 * says inside it. kustomize-controller builds an artifact so, with
 * LoadRestrictionsNone, so a kustomization may reach a sibling directory of
 * the artifact but nothing outside it, and a symlink cannot escape it. Its
 * work tree over the shared artifact (a view: directories and symlinks into
 * the root) counts as inside too.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

bool kpath_within(const char *path, const char *root)
{
    size_t rl = strlen(root);
    if (!strcmp(root, "/"))
        return true;
    return !strncmp(path, root, rl) && (path[rl] == '/' || !path[rl]);
}

/* The directory a path confirms to, as Flux's isSecurePath: symlinks resolved
 * and a file's parent when it exists, the path itself when it does not. */
static char *confirmed_dir(const char *abs)
{
    char *d = realpath(abs, NULL);
    if (!d)
        return gotk_xstrdup(abs);
    struct stat st;
    if (stat(d, &st) == 0 && !S_ISDIR(st.st_mode)) {
        char *slash = strrchr(d, '/');
        if (slash == d)
            slash[1] = 0;
        else if (slash)
            *slash = 0;
    }
    return d;
}

gotk_err *ksecure_check(const kctx *c, const char *abs, const char *op)
{
    if (!c->secure_root)
        return NULL;
    char *d = confirmed_dir(abs);
    bool ok = kpath_within(d, c->secure_root) ||
              (c->secure_view && kpath_within(d, c->secure_view));
    free(d);
    if (ok)
        return NULL;
    return gotk_err_new(GOTK_E_INVALID, "fs-security-constraint %s %s: path '%s' is not in or "
                                        "below '%s'", op, abs, abs,
                        c->secure_view ? c->secure_view : c->secure_root);
}
