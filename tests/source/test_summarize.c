/*
 * Unit tests of source-controller/summarize.c: the Ready summary (fluxcd/pkg
 * conditions merge), the reconcile result computation for each kind of
 * outcome, bipolar conditions, and the merge patch written for status.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/obj.h"
#include "sc.h"

static const char *const summarize[] = {"StorageOperationFailed", "FetchFailed",
                                        "IncludeUnavailable", "ArtifactOutdated",
                                        "ArtifactInStorage", "SourceVerified", "Stalled",
                                        "Reconciling", NULL};
static const char *const negative[] = {"StorageOperationFailed", "FetchFailed",
                                       "IncludeUnavailable", "ArtifactOutdated", "Stalled",
                                       "Reconciling", NULL};
static const char *const bipolar[] = {"SourceVerified", NULL};
static const sc_conditions conds = {summarize, negative, bipolar};

/* A GitRepository at generation 2 with the given conditions (YAML flow list). */
static json_object *object(const char *conditions)
{
    char *text = gotk_xasprintf("metadata: {name: a, namespace: n, generation: 2}\n"
                                "status: {observedGeneration: 1, conditions: %s}\n",
                                conditions);
    json_object *o = NULL;
    assert_null(gotk_yaml_parse_one(text, strlen(text), NULL, &o));
    free(text);
    return o;
}

static const char *field(json_object *o, const char *type, const char *f)
{
    return gotk_obj_get_str(gotk_cond_get(o, type), f);
}

static int64_t observed(json_object *o)
{
    return json_object_get_int64(gotk_obj_getp(o, "status.observedGeneration"));
}

#define COND(t, s, r, m)                                                                        \
    "{type: " t ", status: '" s "', reason: " r ", message: '" m "', "                          \
    "lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: 1}"

static void test_summary_negative_true_wins(void **state)
{
    (void)state;
    json_object *o = object("[" COND("Reconciling", "True", "Progressing", "building") ", " COND(
        "FetchFailed", "True", "GitOperationFailed", "clone failed") ", " COND("ArtifactInStorage",
                                                                                "True", "Succeeded",
                                                                                "stored") "]");
    sc_summarize_ready(o, &conds);
    assert_string_equal(field(o, "Ready", "status"), "False");
    assert_string_equal(field(o, "Ready", "reason"), "GitOperationFailed");
    assert_string_equal(field(o, "Ready", "message"), "clone failed");
    json_object_put(o);
}

static void test_summary_positive_true(void **state)
{
    (void)state;
    json_object *o = object("[" COND("ArtifactInStorage", "True", "Succeeded", "stored x") "]");
    sc_summarize_ready(o, &conds);
    assert_string_equal(field(o, "Ready", "status"), "True");
    assert_string_equal(field(o, "Ready", "message"), "stored x");
    assert_int_equal(json_object_get_int(gotk_obj_get(gotk_cond_get(o, "Ready"),
                                                      "observedGeneration", NULL)), 2);
    json_object_put(o);
}

static void test_summary_nothing_in_scope(void **state)
{
    (void)state;
    json_object *o = object("[" COND("Other", "True", "X", "y") "]");
    sc_summarize_ready(o, &conds);
    assert_null(gotk_cond_get(o, "Ready"));
    json_object_put(o);
}

static void test_finish_success(void **state)
{
    (void)state;
    json_object *o = object("[" COND("Reconciling", "True", "Progressing", "building") ", " COND(
        "ArtifactInStorage", "True", "Succeeded", "stored") "]");
    sc_error err = {0};
    gotk_result res = {0};
    gotk_err *e = sc_finish(o, SC_RESULT_SUCCESS, &err, 5 * GOTK_SECOND, &conds, &res);
    assert_null(e);
    assert_int_equal(res.requeue_after, 5 * GOTK_SECOND);
    assert_null(gotk_cond_get(o, "Reconciling"));
    assert_string_equal(field(o, "Ready", "status"), "True");
    assert_int_equal(observed(o), 2);
    json_object_put(o);
}

static void test_finish_generic_failure(void **state)
{
    (void)state;
    json_object *o = object("[" COND("Reconciling", "True", "Progressing", "building") ", " COND(
        "FetchFailed", "True", "GitOperationFailed", "clone failed") "]");
    sc_error err = {0};
    sc_error_set(&err, SC_ERR_GENERIC, "GitOperationFailed", "clone failed");
    assert_true(err.warning);
    assert_false(err.log);
    gotk_result res = {0};
    gotk_err *e = sc_finish(o, SC_RESULT_EMPTY, &err, 5 * GOTK_SECOND, &conds, &res);
    assert_non_null(e);
    assert_string_equal(gotk_err_msg(e), "clone failed");
    gotk_err_free(e);
    assert_int_equal(res.requeue_after, 0);
    assert_string_equal(field(o, "Reconciling", "reason"), "ProgressingWithRetry");
    assert_string_equal(field(o, "Reconciling", "message"), "building");
    assert_string_equal(field(o, "Ready", "reason"), "GitOperationFailed");
    assert_int_equal(observed(o), 1);
    sc_error_clear(&err);
    json_object_put(o);
}

static void test_finish_stalling(void **state)
{
    (void)state;
    json_object *o = object("[" COND("Reconciling", "True", "Progressing", "building") ", " COND(
        "FetchFailed", "True", "URLInvalid", "bad url") "]");
    sc_error err = {0};
    sc_error_set(&err, SC_ERR_STALLING, "URLInvalid", "bad url");
    gotk_result res = {0};
    assert_null(sc_finish(o, SC_RESULT_EMPTY, &err, 5 * GOTK_SECOND, &conds, &res));
    assert_int_equal(res.requeue_after, 0);
    assert_null(gotk_cond_get(o, "Reconciling"));
    assert_string_equal(field(o, "Stalled", "status"), "True");
    assert_string_equal(field(o, "Stalled", "message"), "bad url");
    assert_string_equal(field(o, "Ready", "status"), "False");
    assert_string_equal(field(o, "Ready", "reason"), "URLInvalid");
    assert_int_equal(observed(o), 2);
    sc_error_clear(&err);
    json_object_put(o);
}

static void test_finish_ignored_and_waiting(void **state)
{
    (void)state;
    json_object *o = object("[" COND("Reconciling", "True", "Progressing", "x") ", " COND(
        "ArtifactInStorage", "True", "Succeeded", "stored") "]");
    sc_error err = {0};
    sc_error_set(&err, SC_ERR_GENERIC, "GitOperationSucceeded", "no changes");
    err.ignore = true;
    gotk_result res = {0};
    assert_null(sc_finish(o, SC_RESULT_EMPTY, &err, 5 * GOTK_SECOND, &conds, &res));
    assert_int_equal(res.requeue_after, 5 * GOTK_SECOND);
    assert_null(gotk_cond_get(o, "Reconciling"));
    assert_string_equal(field(o, "Ready", "status"), "True");
    assert_int_equal(observed(o), 2);
    json_object_put(o);
    o = object("[" COND("Reconciling", "True", "Progressing", "x") ", " COND(
        "IncludeUnavailable", "True", "NoArtifact", "no artifact") "]");
    sc_error_set(&err, SC_ERR_WAITING, "NoArtifact", "no artifact");
    assert_false(err.warning);
    err.requeue_after = 30 * GOTK_SECOND;
    assert_null(sc_finish(o, SC_RESULT_EMPTY, &err, 5 * GOTK_SECOND, &conds, &res));
    assert_int_equal(res.requeue_after, 30 * GOTK_SECOND);
    assert_string_equal(field(o, "Ready", "reason"), "NoArtifact");
    assert_int_equal(observed(o), 1);
    sc_error_clear(&err);
    json_object_put(o);
}

static void test_finish_success_not_ready_is_an_error(void **state)
{
    (void)state;
    json_object *o = object("[" COND("ArtifactOutdated", "True", "NewRevision", "new rev") "]");
    sc_error err = {0};
    gotk_result res = {0};
    gotk_err *e = sc_finish(o, SC_RESULT_SUCCESS, &err, GOTK_SECOND, &conds, &res);
    assert_non_null(e);
    assert_string_equal(gotk_err_msg(e), "new rev");
    gotk_err_free(e);
    json_object_put(o);
}

static void test_bipolar_false_decides_ready(void **state)
{
    (void)state;
    json_object *o = object("[" COND("Reconciling", "True", "Progressing", "x") ", " COND(
        "SourceVerified", "False", "InvalidCommitSignature", "bad signature") "]");
    sc_error err = {0};
    sc_error_set(&err, SC_ERR_GENERIC, "InvalidCommitSignature", "bad signature");
    gotk_result res = {0};
    gotk_err_free(sc_finish(o, SC_RESULT_EMPTY, &err, GOTK_SECOND, &conds, &res));
    assert_string_equal(field(o, "Ready", "status"), "False");
    assert_string_equal(field(o, "Ready", "reason"), "InvalidCommitSignature");
    sc_error_clear(&err);
    json_object_put(o);
}

static void test_progressive_status(void **state)
{
    (void)state;
    json_object *o = object("[" COND("Ready", "True", "Succeeded", "ok") ", " COND(
        "Stalled", "True", "X", "y") "]");
    sc_progressive_status(o, false, "Progressing", "reconciliation in progress");
    assert_null(gotk_cond_get(o, "Stalled"));
    assert_string_equal(field(o, "Reconciling", "message"), "reconciliation in progress");
    assert_string_equal(field(o, "Ready", "status"), "True");
    sc_progressive_status(o, true, "Progressing", "building artifact: %s", "new");
    assert_string_equal(field(o, "Ready", "status"), "Unknown");
    assert_string_equal(field(o, "Ready", "message"), "building artifact: new");
    json_object_put(o);
}

static void test_merge_diff(void **state)
{
    (void)state;
    json_object *a = NULL, *b = NULL;
    const char *x = "{\"k\":1,\"gone\":true,\"o\":{\"same\":1,\"chg\":1,\"del\":2},\"l\":[1,2]}";
    const char *y = "{\"k\":1,\"o\":{\"same\":1,\"chg\":3},\"l\":[1,2,3],\"new\":\"v\"}";
    assert_null(gotk_json_parse(x, strlen(x), &a));
    assert_null(gotk_json_parse(y, strlen(y), &b));
    json_object *p = sc_merge_diff(a, b);
    char *s = gotk_json_to_string(p);
    assert_string_equal(s, "{\"gone\":null,\"o\":{\"del\":null,\"chg\":3},\"l\":[1,2,3],"
                           "\"new\":\"v\"}");
    free(s);
    gotk_obj_merge(a, p);
    assert_true(gotk_obj_equal(a, b));
    json_object_put(p);
    assert_null(sc_merge_diff(a, b));
    json_object_put(a);
    json_object_put(b);
}

static void test_record_reconcile_request(void **state)
{
    (void)state;
    json_object *o = object("[]");
    sc_record_reconcile_request(o);
    assert_null(gotk_obj_getp(o, "status.lastHandledReconcileAt"));
    json_object *ann = json_object_new_object();
    json_object_object_add(ann, SC_REQUESTED_AT, json_object_new_string("now"));
    assert_null(gotk_obj_setp(o, "metadata.annotations", ann));
    sc_record_reconcile_request(o);
    assert_string_equal(gotk_obj_get_str(o, "status.lastHandledReconcileAt"), "now");
    json_object_put(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_negative_true_wins),
        cmocka_unit_test(test_summary_positive_true),
        cmocka_unit_test(test_summary_nothing_in_scope),
        cmocka_unit_test(test_finish_success),
        cmocka_unit_test(test_finish_generic_failure),
        cmocka_unit_test(test_finish_stalling),
        cmocka_unit_test(test_finish_ignored_and_waiting),
        cmocka_unit_test(test_finish_success_not_ready_is_an_error),
        cmocka_unit_test(test_bipolar_false_decides_ready),
        cmocka_unit_test(test_progressive_status),
        cmocka_unit_test(test_merge_diff),
        cmocka_unit_test(test_record_reconcile_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
