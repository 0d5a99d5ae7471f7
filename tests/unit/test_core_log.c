/* core: log lines in Flux's zap JSON form and the console form, levels, escaping,
 * and whole-line writes from many threads. */
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "gotk/core.h"

/* Restore the defaults after each test so tests do not depend on order. */
static int reset_log(void **state)
{
    (void)state;
    gotk_log_setup(GOTK_LOG_INFO, GOTK_LOG_JSON, 2);
    return 0;
}

/* Check the timestamp is zap's ISO8601 UTC form, within a minute of now. */
static void assert_ts(const char *ts, size_t len)
{
    assert_int_equal(len, 24);
    const char *shape = "dddd-dd-ddTdd:dd:dd.dddZ";
    for (size_t i = 0; i < 24; i++) {
        if (shape[i] == 'd')
            assert_true(ts[i] >= '0' && ts[i] <= '9');
        else
            assert_int_equal(ts[i], shape[i]);
    }
    struct tm tm = {0};
    char copy[32];
    memcpy(copy, ts, 19);
    copy[19] = '\0';
    assert_non_null(strptime(copy, "%Y-%m-%dT%H:%M:%S", &tm));
    long diff = (long)(timegm(&tm) - time(NULL));
    assert_true(diff > -60 && diff < 60);
}

/* Split a JSON line at its ts value: check the ts and return the line with
 * the ts replaced by "TS" (caller frees). */
static char *mask_json_ts(const char *line)
{
    const char *key = "\"ts\":\"";
    const char *p = strstr(line, key);
    assert_non_null(p);
    p += strlen(key);
    const char *end = strchr(p, '"');
    assert_non_null(end);
    assert_ts(p, (size_t)(end - p));
    return gotk_xasprintf("%.*sTS%s", (int)(p - line), line, end);
}

static void test_json_line_fields_in_order(void **state)
{
    (void)state;
    gotk_log_ctx ctx = {"gitrepository", "podinfo", "flux-system", "5c8b1c3e-1b2a"};
    const char *kv[] = {"revision", "main@sha1:abc", "attempt", "2", NULL};
    gotk_buf b = {0};
    gotk_log_format(&b, GOTK_LOG_INFO, &ctx, "stored artifact", kv);
    char *masked = mask_json_ts(b.data);
    assert_string_equal(masked,
                        "{\"level\":\"info\",\"ts\":\"TS\",\"msg\":\"stored artifact\","
                        "\"controller\":\"gitrepository\",\"name\":\"podinfo\","
                        "\"namespace\":\"flux-system\",\"reconcileID\":\"5c8b1c3e-1b2a\","
                        "\"revision\":\"main@sha1:abc\",\"attempt\":\"2\"}\n");
    free(masked);
    gotk_buf_free(&b);
}

static void test_json_null_fields_omitted(void **state)
{
    (void)state;
    gotk_log_ctx ctx = {NULL, "podinfo", NULL, NULL};
    const char *kv[] = {"error", NULL, "ignored", "x", NULL};
    gotk_buf b = {0};
    gotk_log_format(&b, GOTK_LOG_ERROR, &ctx, "failed", kv);
    char *masked = mask_json_ts(b.data);
    assert_string_equal(masked, "{\"level\":\"error\",\"ts\":\"TS\",\"msg\":\"failed\","
                                "\"name\":\"podinfo\"}\n");
    free(masked);
    gotk_buf_free(&b);

    gotk_log_format(&b, GOTK_LOG_DEBUG, NULL, NULL, NULL);
    masked = mask_json_ts(b.data);
    assert_string_equal(masked, "{\"level\":\"debug\",\"ts\":\"TS\",\"msg\":\"\"}\n");
    free(masked);
    gotk_buf_free(&b);
}

/* Escapes as zap writes them; invalid UTF-8 bytes each become \ufffd. */
static void test_json_escaping(void **state)
{
    (void)state;
    const char *msg = "a\"b\\c\nd\re\tf\x01g\x1f\x7fh/<>&";
    const char *kv[] = {"utf8", "\xc2\xb5s \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbd",
                        "bad", "\xff|\xc0\xaf|\xed\xa0\x80|\xe2\x82|\xf4\x90\x80\x80", NULL};
    gotk_buf b = {0};
    gotk_log_format(&b, GOTK_LOG_INFO, NULL, msg, kv);
    char *masked = mask_json_ts(b.data);
    assert_string_equal(
        masked, "{\"level\":\"info\",\"ts\":\"TS\","
                "\"msg\":\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001f\x7fh/<>&\","
                "\"utf8\":\"\xc2\xb5s \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbd\","
                "\"bad\":\"\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|\\ufffd\\ufffd|"
                "\\ufffd\\ufffd\\ufffd\\ufffd\"}\n");
    free(masked);
    /* And a JSON parser reads the message back unchanged. */
    json_object *o = json_tokener_parse(b.data);
    assert_non_null(o);
    json_object *m = NULL;
    assert_true(json_object_object_get_ex(o, "msg", &m));
    assert_string_equal(json_object_get_string(m), msg);
    json_object_put(o);
    gotk_buf_free(&b);
}

static void test_console_line(void **state)
{
    (void)state;
    gotk_log_setup(GOTK_LOG_INFO, GOTK_LOG_CONSOLE, 2);
    gotk_log_ctx ctx = {"kustomization", "apps", "flux-system", NULL};
    const char *kv[] = {"error", "dial tcp: \"refused\"", NULL};
    gotk_buf b = {0};
    gotk_log_format(&b, GOTK_LOG_ERROR, &ctx, "reconciliation failed\nretrying", kv);
    assert_ts(b.data, 24);
    assert_string_equal(b.data + 24,
                        "\tERROR\treconciliation failed retrying\t{\"controller\": "
                        "\"kustomization\", \"name\": \"apps\", \"namespace\": "
                        "\"flux-system\", \"error\": \"dial tcp: \\\"refused\\\"\"}\n");
    gotk_buf_free(&b);
    gotk_log_format(&b, GOTK_LOG_DEBUG, NULL, "plain", NULL);
    assert_string_equal(b.data + 24, "\tDEBUG\tplain\n");
    gotk_buf_free(&b);
}

/* Read everything from fd (a pipe whose write end is closed) into a string. */
static char *drain(int fd)
{
    gotk_buf b = {0};
    char chunk[4096];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0)
        gotk_buf_append(&b, chunk, (size_t)n);
    return gotk_buf_steal(&b);
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void test_levels_below_minimum_dropped(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    gotk_log_ctx ctx = {"helmrelease", NULL, NULL, NULL};
    gotk_log_setup(GOTK_LOG_INFO, GOTK_LOG_JSON, p[1]);
    gotk_log(GOTK_LOG_DEBUG, &ctx, "hidden", NULL);
    gotk_log(GOTK_LOG_INFO, &ctx, "shown", "k", "v", "skipped", (char *)NULL, "k2", "v2",
             (char *)NULL);
    gotk_log(GOTK_LOG_ERROR, NULL, "also shown", (char *)NULL);
    gotk_log_setup(GOTK_LOG_ERROR, GOTK_LOG_JSON, p[1]);
    gotk_log(GOTK_LOG_INFO, NULL, "hidden too", (char *)NULL);
    gotk_log_setup(GOTK_LOG_DEBUG, GOTK_LOG_JSON, p[1]);
    gotk_log(GOTK_LOG_DEBUG, NULL, "debug now shown", (char *)NULL);
    close(p[1]);
    char *out = drain(p[0]);
    close(p[0]);
    assert_int_equal(count_lines(out), 3);
    assert_null(strstr(out, "hidden"));
    assert_non_null(strstr(out, "\"msg\":\"shown\",\"controller\":\"helmrelease\","
                                "\"k\":\"v\",\"k2\":\"v2\"}\n"));
    assert_non_null(strstr(out, "{\"level\":\"error\","));
    assert_non_null(strstr(out, "{\"level\":\"debug\","));
    assert_null(strstr(out, "skipped"));
    free(out);
}

/* Many key/value pairs grow the internal array. */
static void test_many_pairs(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    gotk_log_setup(GOTK_LOG_INFO, GOTK_LOG_JSON, p[1]);
    gotk_log(GOTK_LOG_INFO, NULL, "m", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5", "f",
             "6", "g", "7", "h", "8", "i", "9", (char *)NULL);
    close(p[1]);
    char *out = drain(p[0]);
    close(p[0]);
    assert_non_null(strstr(out, "\"a\":\"1\",\"b\":\"2\",\"c\":\"3\",\"d\":\"4\",\"e\":\"5\","
                                "\"f\":\"6\",\"g\":\"7\",\"h\":\"8\",\"i\":\"9\"}\n"));
    free(out);
}

#define THREADS 8
#define PER_THREAD 300

static void *log_worker(void *arg)
{
    const char *id = arg;
    char filler[2000];
    memset(filler, 'x', sizeof filler - 1);
    filler[sizeof filler - 1] = '\0';
    gotk_log_ctx ctx = {"worker", id, NULL, NULL};
    for (int i = 0; i < PER_THREAD; i++)
        gotk_log(GOTK_LOG_INFO, &ctx, "line", "filler", filler, (char *)NULL);
    return NULL;
}

/* Lines written concurrently never interleave: each one parses as JSON. */
static void test_threads_write_whole_lines(void **state)
{
    (void)state;
    char *dir = NULL;
    assert_null(gotk_file_temp_dir("gotk-log-test", &dir));
    char *path = gotk_xasprintf("%s/log", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    assert_true(fd >= 0);
    gotk_log_setup(GOTK_LOG_INFO, GOTK_LOG_JSON, fd);
    pthread_t th[THREADS];
    char ids[THREADS][8];
    for (int i = 0; i < THREADS; i++) {
        snprintf(ids[i], sizeof ids[i], "w%d", i);
        assert_int_equal(pthread_create(&th[i], NULL, log_worker, ids[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    close(fd);
    char *data = NULL;
    size_t len = 0;
    assert_null(gotk_file_read(path, &data, &len));
    assert_int_equal(count_lines(data), THREADS * PER_THREAD);
    size_t lines = 0;
    for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
        json_object *o = json_tokener_parse(line);
        if (!o)
            fail_msg("line %zu is not JSON: %.80s", lines, line);
        json_object_put(o);
        lines++;
    }
    assert_int_equal(lines, THREADS * PER_THREAD);
    free(data);
    assert_null(gotk_file_remove_all(dir));
    free(path);
    free(dir);
}

static void test_level_parse(void **state)
{
    (void)state;
    gotk_log_level l = GOTK_LOG_ERROR;
    assert_null(gotk_log_level_parse("debug", &l));
    assert_int_equal(l, GOTK_LOG_DEBUG);
    assert_null(gotk_log_level_parse("info", &l));
    assert_int_equal(l, GOTK_LOG_INFO);
    assert_null(gotk_log_level_parse("error", &l));
    assert_int_equal(l, GOTK_LOG_ERROR);
    assert_null(gotk_log_level_parse("trace", &l));
    assert_int_equal(l, GOTK_LOG_DEBUG);
    const char *bad[] = {"INFO", "warn", "", " info"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        l = GOTK_LOG_ERROR;
        gotk_err *e = gotk_log_level_parse(bad[i], &l);
        assert_non_null(e);
        char *want = gotk_xasprintf(
            "invalid log level \"%s\": must be one of trace, debug, info, error", bad[i]);
        assert_string_equal(gotk_err_msg(e), want);
        assert_int_equal(gotk_err_code_of(e), GOTK_E_INVALID);
        assert_int_equal(l, GOTK_LOG_ERROR);
        free(want);
        gotk_err_free(e);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_json_line_fields_in_order, reset_log),
        cmocka_unit_test_teardown(test_json_null_fields_omitted, reset_log),
        cmocka_unit_test_teardown(test_json_escaping, reset_log),
        cmocka_unit_test_teardown(test_console_line, reset_log),
        cmocka_unit_test_teardown(test_levels_below_minimum_dropped, reset_log),
        cmocka_unit_test_teardown(test_many_pairs, reset_log),
        cmocka_unit_test_teardown(test_threads_write_whole_lines, reset_log),
        cmocka_unit_test_teardown(test_level_parse, reset_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
