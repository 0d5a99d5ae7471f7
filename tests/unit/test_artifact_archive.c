/* artifact: deterministic tarballs, safe extraction of crafted archives,
 * digests, storage paths and garbage collection, and the file server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <fcntl.h>

#include "gotk/artifact.h"

/* Write a file (creating parents) with a mode, an mtime and an owner. */
static void put(const char *dir, const char *rel, const char *text, int mode, time_t mtime,
                int uid)
{
    char *p = gotk_xasprintf("%s/%s", dir, rel);
    char *slash = strrchr(p, '/');
    *slash = '\0';
    assert_null(gotk_file_mkdir_all(p, 0755));
    *slash = '/';
    assert_null(gotk_file_write_atomic(p, text, strlen(text), mode));
    chmod(p, (mode_t)mode);
    struct timespec ts[2] = {{mtime, 0}, {mtime, 0}};
    utimensat(AT_FDCWD, p, ts, 0);
    if (getuid() == 0)
        assert_int_equal(lchown(p, (uid_t)uid, (gid_t)uid), 0);
    free(p);
}

/* The same tree, with the given times, modes and owner. */
static char *make_tree(time_t mtime, int uid, int rw_mode)
{
    char *dir;
    assert_null(gotk_file_temp_dir("arch", &dir));
    put(dir, "kustomization.yaml", "resources: [deploy.yaml]\n", rw_mode, mtime, uid);
    put(dir, "deploy.yaml", "kind: Deployment\n", rw_mode, mtime, uid);
    put(dir, "bin/run.sh", "#!/bin/sh\n", 0755, mtime, uid);
    put(dir, "apps/b/z.yaml", "z\n", rw_mode, mtime, uid);
    put(dir, "apps/a.yaml", "a\n", rw_mode, mtime, uid);
    put(dir, "logo.png", "PNG", rw_mode, mtime, uid);
    put(dir, ".git/HEAD", "ref: refs/heads/main\n", rw_mode, mtime, uid);
    char *link = gotk_xasprintf("%s/link.yaml", dir);
    assert_int_equal(symlink("deploy.yaml", link), 0);
    free(link);
    return dir;
}

typedef struct {
    char name[256];
    unsigned mode;
    int type;
    int64_t uid, mtime;
} listed;

/* Read back a tarball's entries. */
static size_t list_tar(const char *path, listed *out, size_t max)
{
    struct archive *a = archive_read_new();
    archive_read_support_filter_gzip(a);
    archive_read_support_format_tar(a);
    assert_int_equal(archive_read_open_filename(a, path, 10240), ARCHIVE_OK);
    struct archive_entry *e;
    size_t n = 0;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK && n < max) {
        snprintf(out[n].name, sizeof out[n].name, "%s", archive_entry_pathname(e));
        out[n].mode = (unsigned)archive_entry_perm(e);
        out[n].type = (int)archive_entry_filetype(e);
        out[n].uid = archive_entry_uid(e) + archive_entry_gid(e);
        out[n].mtime = archive_entry_mtime(e);
        n++;
    }
    archive_read_free(a);
    return n;
}

static void test_deterministic(void **state)
{
    (void)state;
    char *a = make_tree(1000000000, 1234, 0644);
    char *b = make_tree(1700000000, 0, 0664);
    char *out;
    assert_null(gotk_file_temp_dir("arch-out", &out));
    char *ta = gotk_xasprintf("%s/a.tar.gz", out), *tb = gotk_xasprintf("%s/b.tar.gz", out);
    char *ta2 = gotk_xasprintf("%s/a2.tar.gz", out);
    gotk_ignore *m;
    assert_null(gotk_ignore_load_dir(a, NULL, &m));
    gotk_artifact_info ia, ib, ia2;
    assert_null(gotk_artifact_archive(a, m, ta, &ia));
    assert_null(gotk_artifact_archive(a, m, ta2, &ia2));
    assert_null(gotk_artifact_archive(b, m, tb, &ib));
    assert_string_equal(ia.digest, ib.digest);
    assert_string_equal(ia.digest, ia2.digest);
    assert_int_equal(ia.size, ib.size);
    char *da, *db;
    size_t la, lb;
    assert_null(gotk_file_read(ta, &da, &la));
    assert_null(gotk_file_read(tb, &db, &lb));
    assert_int_equal(la, lb);
    assert_memory_equal(da, db, la);
    assert_int_equal((int64_t)la, ia.size);
    /* gzip header: no mtime, no name flag */
    assert_int_equal((unsigned char)da[3] & 0x08, 0);
    assert_int_equal(da[4] | da[5] | da[6] | da[7], 0);
    gotk_artifact_info check;
    assert_null(gotk_artifact_file_digest(ta, &check));
    assert_string_equal(check.digest, ia.digest);
    assert_int_equal(strncmp(ia.digest, "sha256:", 7), 0);
    assert_int_equal(strlen(ia.digest), 71);
    struct stat st;
    assert_int_equal(stat(ta, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    listed ent[32];
    size_t n = list_tar(ta, ent, 32);
    static const char *want[] = {"./", "apps/", "apps/a.yaml", "apps/b/", "apps/b/z.yaml", "bin/",
                                 "bin/run.sh", "deploy.yaml", "kustomization.yaml"};
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(ent[i].name, want[i]);
        assert_int_equal(ent[i].uid, 0);
        assert_int_equal(ent[i].mtime, 0);
        bool dir = ent[i].type == AE_IFDIR;
        unsigned mode = dir ? 0750 : !strcmp(ent[i].name, "bin/run.sh") ? 0700 : 0600;
        assert_int_equal(ent[i].mode, mode);
    }
    free(da);
    free(db);
    gotk_ignore_free(m);
    free(ta);
    free(tb);
    free(ta2);
    gotk_file_remove_all(a);
    gotk_file_remove_all(b);
    gotk_file_remove_all(out);
    free(a);
    free(b);
    free(out);
}

/* The uncompressed stream: whole 512-byte blocks ending in two zero blocks,
 * with no record padding beyond them (Go's tar.Writer writes the same). */
static void test_tar_stream_shape(void **state)
{
    (void)state;
    char *a = make_tree(3, 0, 0644);
    char *t = gotk_xasprintf("%s.tar.gz", a);
    assert_null(gotk_artifact_archive(a, NULL, t, NULL));
    struct archive *r = archive_read_new();
    archive_read_support_filter_gzip(r);
    archive_read_support_format_raw(r);
    assert_int_equal(archive_read_open_filename(r, t, 10240), ARCHIVE_OK);
    struct archive_entry *e;
    assert_int_equal(archive_read_next_header(r, &e), ARCHIVE_OK);
    gotk_buf raw = {0};
    char buf[8192];
    la_ssize_t n;
    while ((n = archive_read_data(r, buf, sizeof buf)) > 0)
        gotk_buf_append(&raw, buf, (size_t)n);
    archive_read_free(r);
    assert_int_equal(raw.len % 512, 0);
    assert_true(raw.len >= 2048);
    static const char zeros[1024];
    assert_memory_equal(raw.data + raw.len - 1024, zeros, 1024);
    /* the block before the trailer is data, not more padding */
    assert_memory_not_equal(raw.data + raw.len - 1536, zeros, 512);
    gotk_buf_free(&raw);
    unlink(t);
    free(t);
    gotk_file_remove_all(a);
    free(a);
}

static void test_negation_inside_excluded_dir(void **state)
{
    (void)state;
    char *a = make_tree(1, 0, 0644);
    gotk_ignore *m;
    assert_null(gotk_ignore_load_dir(a, "/apps\n!/apps/b/z.yaml\n", &m));
    char *t = gotk_xasprintf("%s.tar.gz", a);
    assert_null(gotk_artifact_archive(a, m, t, NULL));
    listed ent[32];
    size_t n = list_tar(t, ent, 32);
    bool z = false, apps = false;
    for (size_t i = 0; i < n; i++) {
        z |= !strcmp(ent[i].name, "apps/b/z.yaml");
        apps |= !strcmp(ent[i].name, "apps/") || !strcmp(ent[i].name, "apps/a.yaml");
    }
    assert_true(z);
    assert_false(apps);
    unlink(t);
    free(t);
    gotk_ignore_free(m);
    gotk_file_remove_all(a);
    free(a);
}

/* Build a tar.gz with one crafted entry (and a normal file first). */
static char *crafted(const char *name, int type, const char *link, bool hard)
{
    char *path;
    char *dir;
    assert_null(gotk_file_temp_dir("crafted", &dir));
    path = gotk_xasprintf("%s/x.tar.gz", dir);
    free(dir);
    struct archive *a = archive_write_new();
    archive_write_add_filter_gzip(a);
    archive_write_set_format_pax_restricted(a);
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, "ok.txt");
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, 3);
    archive_write_header(a, e);
    archive_write_data(a, "ok\n", 3);
    archive_entry_clear(e);
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, (unsigned)type);
    archive_entry_set_perm(e, 0644);
    if (link && hard)
        archive_entry_set_hardlink(e, link);
    else if (link)
        archive_entry_set_symlink(e, link);
    if (type == AE_IFREG && !link) {
        archive_entry_set_size(e, 4);
        archive_write_header(a, e);
        archive_write_data(a, "bad\n", 4);
    } else {
        archive_entry_set_size(e, 0);
        archive_write_header(a, e);
    }
    archive_entry_free(e);
    archive_write_close(a);
    archive_write_free(a);
    return path;
}

static void expect_rejected(const char *name, int type, const char *link, bool hard,
                            const char *msg)
{
    char *tar = crafted(name, type, link, hard);
    char *dir;
    assert_null(gotk_file_temp_dir("extract", &dir));
    char *target = gotk_xasprintf("%s/out", dir);
    gotk_err *e = gotk_artifact_extract(tar, target);
    assert_non_null(e);
    if (!strstr(gotk_err_msg(e), msg))
        fail_msg("%s: got '%s', want '%s'", name, gotk_err_msg(e), msg);
    gotk_err_free(e);
    char *tdir = gotk_xstrdup(tar);
    *strrchr(tdir, '/') = '\0';
    gotk_file_remove_all(tdir);
    gotk_file_remove_all(dir);
    free(tdir);
    free(target);
    free(dir);
    free(tar);
}

static void test_extract_rejects(void **state)
{
    (void)state;
    expect_rejected("../evil", AE_IFREG, NULL, false, "illegal file path in archive: '../evil'");
    expect_rejected("a/../../evil", AE_IFREG, NULL, false, "illegal file path");
    expect_rejected("/etc/evil", AE_IFREG, NULL, false, "illegal file path");
    expect_rejected("l", AE_IFLNK, "../../etc", false, "symlink 'l' points outside the target");
    expect_rejected("l", AE_IFLNK, "/etc/passwd", false, "points outside the target: '/etc/passwd'");
    expect_rejected("h", AE_IFREG, "../x", true, "hard link 'h' points outside the target");
    expect_rejected("dev", AE_IFCHR, NULL, false, "unsupported file type in archive: 'dev'");
    expect_rejected("fifo", AE_IFIFO, NULL, false, "unsupported file type");
}

static void test_extract_ok(void **state)
{
    (void)state;
    char *src = make_tree(5, 0, 0644);
    char *tar = gotk_xasprintf("%s.tar.gz", src);
    assert_null(gotk_artifact_archive(src, NULL, tar, NULL));
    char *dir;
    assert_null(gotk_file_temp_dir("extract", &dir));
    assert_null(gotk_artifact_extract(tar, dir));
    char *p = gotk_xasprintf("%s/apps/b/z.yaml", dir), *data;
    size_t len;
    assert_null(gotk_file_read(p, &data, &len));
    assert_string_equal(data, "z\n");
    free(data);
    free(p);
    p = gotk_xasprintf("%s/bin/run.sh", dir);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    free(p);
    /* an inside symlink is fine */
    char *l = crafted("link", AE_IFLNK, "ok.txt", false);
    assert_null(gotk_artifact_extract(l, dir));
    p = gotk_xasprintf("%s/link", dir);
    assert_int_equal(lstat(p, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    free(p);
    *strrchr(l, '/') = '\0';
    gotk_file_remove_all(l);
    free(l);
    unlink(tar);
    free(tar);
    gotk_file_remove_all(src);
    gotk_file_remove_all(dir);
    free(src);
    free(dir);
}

static void test_digest_mismatch(void **state)
{
    (void)state;
    char *dir;
    assert_null(gotk_file_temp_dir("digest", &dir));
    char *f = gotk_xasprintf("%s/f", dir);
    assert_null(gotk_file_write_atomic(f, "hello", 5, 0644));
    const char *good = "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    const char *bad = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
    assert_null(gotk_artifact_verify_file(f, good));
    gotk_err *e = gotk_artifact_verify_file(f, bad);
    assert_non_null(e);
    char *want = gotk_xasprintf("computed digest '%s' doesn't match '%s'", good, bad);
    assert_string_equal(gotk_err_msg(e), want);
    free(want);
    gotk_err_free(e);
    e = gotk_artifact_verify_file(f, "md5:abc");
    assert_non_null(e);
    assert_non_null(strstr(gotk_err_msg(e), "unsupported digest 'md5:abc'"));
    gotk_err_free(e);
    free(f);
    gotk_file_remove_all(dir);
    free(dir);
}

static void test_storage(void **state)
{
    (void)state;
    char *p = gotk_artifact_path("GitRepository", "flux-system", "podinfo", "abc.tar.gz");
    assert_string_equal(p, "gitrepository/flux-system/podinfo/abc.tar.gz");
    char *u = gotk_artifact_url("source-controller.flux-system.svc.cluster.local.", p);
    assert_string_equal(u, "http://source-controller.flux-system.svc.cluster.local./"
                           "gitrepository/flux-system/podinfo/abc.tar.gz");
    free(u);
    u = gotk_artifact_url("https://example.com", "/x/y");
    assert_string_equal(u, "https://example.com/x/y");
    free(u);
    char *l = gotk_artifact_local_path("/data", "a/./b/../c");
    assert_string_equal(l, "/data/a/c");
    free(l);
    assert_null(gotk_artifact_local_path("/data", "../etc/passwd"));
    assert_null(gotk_artifact_local_path("/data", "a/../../x"));
    free(p);

    char *base;
    assert_null(gotk_file_temp_dir("storage", &base));
    char *d = gotk_xasprintf("%s/gitrepository/ns/name", base);
    assert_null(gotk_file_mkdir_all(d, 0755));
    const char *names[] = {"1.tar.gz", "2.tar.gz", "3.tar.gz", "4.tar.gz"};
    time_t now = time(NULL);
    for (int i = 0; i < 4; i++) {
        char *f = gotk_xasprintf("%s/%s", d, names[i]);
        assert_null(gotk_file_write_atomic(f, "x", 1, 0600));
        struct timespec ts[2] = {{now - 100 + i, 0}, {now - 100 + i, 0}};
        utimensat(AT_FDCWD, f, ts, 0);
        free(f);
    }
    char *lock = gotk_xasprintf("%s/1.tar.gz.lock", d);
    assert_null(gotk_file_write_atomic(lock, "", 0, 0600));
    assert_null(gotk_artifact_symlink(base, "gitrepository/ns/name/4.tar.gz", "latest.tar.gz"));
    size_t deleted = 0;
    /* Keep 2 (current = 4 is the newest), TTL long: 1 and 2 go. */
    assert_null(gotk_artifact_gc(base, "gitrepository/ns/name/4.tar.gz", 2, GOTK_HOUR, &deleted));
    assert_int_equal(deleted, 2);
    struct stat st;
    char *f1 = gotk_xasprintf("%s/1.tar.gz", d), *f3 = gotk_xasprintf("%s/3.tar.gz", d);
    assert_int_not_equal(stat(f1, &st), 0);
    assert_int_not_equal(stat(lock, &st), 0);
    assert_int_equal(stat(f3, &st), 0);
    /* TTL 1s: 3 expires, the current one stays. */
    assert_null(gotk_artifact_gc(base, "gitrepository/ns/name/4.tar.gz", 5, GOTK_SECOND, &deleted));
    assert_int_equal(deleted, 1);
    char *latest = gotk_xasprintf("%s/latest.tar.gz", d), *data;
    size_t len;
    assert_null(gotk_file_read(latest, &data, &len));
    assert_string_equal(data, "x");
    free(data);
    assert_null(gotk_artifact_remove_all(base, "GitRepository", "ns", "name"));
    assert_int_not_equal(stat(d, &st), 0);
    gotk_err *e = gotk_artifact_remove_all(base, "GitRepository", "..", "x");
    assert_non_null(e);
    gotk_err_free(e);
    free(latest);
    free(f1);
    free(f3);
    free(lock);
    free(d);
    gotk_file_remove_all(base);
    free(base);
}

/* GET a URL; returns the status, body into *body. */
static long http_get(const char *url, bool as_is, gotk_buf *body, double *clen)
{
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, as_is ? 1L : 0L);
    FILE *f = tmpfile();
    curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_off_t cl = -1;
    curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
    *clen = (double)cl;
    rewind(f);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        gotk_buf_append(body, buf, n);
    fclose(f);
    curl_easy_cleanup(c);
    return status;
}

static void test_server_and_fetch(void **state)
{
    (void)state;
    char *base;
    assert_null(gotk_file_temp_dir("serve", &base));
    char *src = make_tree(7, 0, 0644);
    char *rel = gotk_artifact_path("GitRepository", "ns", "app", "c0ffee.tar.gz");
    char *local = gotk_artifact_local_path(base, rel);
    char *d = gotk_xstrdup(local);
    *strrchr(d, '/') = '\0';
    assert_null(gotk_file_mkdir_all(d, 0755));
    gotk_artifact_info info;
    assert_null(gotk_artifact_archive(src, NULL, local, &info));
    assert_null(gotk_artifact_symlink(base, rel, "latest.tar.gz"));
    char *outside = gotk_xasprintf("%s/../secret-%d", base, (int)getpid());
    assert_null(gotk_file_write_atomic(outside, "s", 1, 0600));
    char *esc = gotk_xasprintf("%s/escape", d);
    assert_int_equal(symlink(outside, esc), 0);

    gotk_artifact_server *s;
    assert_null(gotk_artifact_server_start("127.0.0.1:0", base, &s));
    int port = gotk_artifact_server_port(s);
    assert_true(port > 0);
    char *adv = gotk_xasprintf("127.0.0.1:%d", port);
    char *url = gotk_artifact_url(adv, rel);
    gotk_buf body = {0};
    double clen = 0;
    assert_int_equal(http_get(url, false, &body, &clen), 200);
    assert_int_equal((int64_t)body.len, info.size);
    assert_int_equal((int64_t)clen, info.size);
    gotk_buf_free(&body);
    char *u2 = gotk_xasprintf("http://%s/gitrepository/ns/app/latest.tar.gz", adv);
    assert_int_equal(http_get(u2, false, &body, &clen), 200);
    assert_int_equal((int64_t)body.len, info.size);
    gotk_buf_free(&body);
    char *u3 = gotk_xasprintf("http://%s/gitrepository/ns/app/nope.tar.gz", adv);
    assert_int_equal(http_get(u3, false, &body, &clen), 404);
    gotk_buf_free(&body);
    char *u4 = gotk_xasprintf("http://%s/gitrepository/../../etc/passwd", adv);
    assert_int_equal(http_get(u4, true, &body, &clen), 404);
    gotk_buf_free(&body);
    char *u5 = gotk_xasprintf("http://%s/gitrepository/ns/app/escape", adv);
    assert_int_equal(http_get(u5, false, &body, &clen), 404);
    gotk_buf_free(&body);
    char *u6 = gotk_xasprintf("http://%s/gitrepository/ns/app", adv);
    assert_int_equal(http_get(u6, false, &body, &clen), 404);
    gotk_buf_free(&body);

    char *dest;
    assert_null(gotk_file_temp_dir("fetched", &dest));
    assert_null(gotk_artifact_fetch(url, info.digest, dest, 1));
    char *p = gotk_xasprintf("%s/kustomization.yaml", dest), *data;
    size_t len;
    assert_null(gotk_file_read(p, &data, &len));
    assert_string_equal(data, "resources: [deploy.yaml]\n");
    free(data);
    free(p);
    const char *bad = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    gotk_err *e = gotk_artifact_fetch(url, bad, dest, 0);
    assert_non_null(e);
    char *want = gotk_xasprintf("failed to verify artifact from %s: computed digest '%s' doesn't "
                                "match '%s'", url, info.digest, bad);
    assert_string_equal(gotk_err_msg(e), want);
    free(want);
    gotk_err_free(e);
    e = gotk_artifact_fetch(u3, NULL, dest, 3);
    assert_non_null(e);
    assert_non_null(strstr(gotk_err_msg(e), "status: 404"));
    gotk_err_free(e);

    gotk_artifact_server_stop(s);
    unlink(outside);
    free(outside);
    free(esc);
    free(u2);
    free(u3);
    free(u4);
    free(u5);
    free(u6);
    free(url);
    free(adv);
    free(d);
    free(local);
    free(rel);
    gotk_file_remove_all(dest);
    gotk_file_remove_all(src);
    gotk_file_remove_all(base);
    free(dest);
    free(src);
    free(base);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_tar_stream_shape),
        cmocka_unit_test(test_negation_inside_excluded_dir),
        cmocka_unit_test(test_extract_rejects),
        cmocka_unit_test(test_extract_ok),
        cmocka_unit_test(test_digest_mismatch),
        cmocka_unit_test(test_storage),
        cmocka_unit_test(test_server_and_fetch),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
