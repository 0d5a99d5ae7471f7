/*
 * artifact internals shared by the module's files: the deterministic tar.gz
 * writer (archive.c) that both the directory walk and the Git tree walk
 * (gittree.c) feed, so their bytes cannot drift apart.
 */
#ifndef GOTK_ARTIFACT_INTERNAL_H
#define GOTK_ARTIFACT_INTERNAL_H

#include "gotk/artifact.h"

/* A tar.gz written to "<dest>.tmp-XXXXXX" with a sha256 and a byte count
 * taken on the way; committed by an fsync and a rename over dest. */
typedef struct gotk_tgz gotk_tgz;

gotk_err *gotk_tgz_open(const char *dest, gotk_tgz **out);
/* A directory or regular file header, normalized as Flux's sanitizeHeader:
 * owner 0, mtime 0, mode 0750 (directory), 0700 (exec) or 0600. */
gotk_err *gotk_tgz_header(gotk_tgz *t, const char *name, bool dir, bool exec, int64_t size);
/* Bytes of the file whose header came last (name is for messages). */
gotk_err *gotk_tgz_data(gotk_tgz *t, const char *name, const void *buf, size_t len);
/* Close, sync, rename into place and fill out (may be NULL). Frees t. */
gotk_err *gotk_tgz_commit(gotk_tgz *t, gotk_artifact_info *out);
/* Remove the temp file. Frees t (NULL is fine). */
void gotk_tgz_abort(gotk_tgz *t);

#endif
