/* kube: API Status objects and other failed responses as gotk errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/kube.h"
#include "gotk/obj.h"

/* Check the message and code made from an HTTP status and a body. */
static void check(long http, const char *body, gotk_err_code code, const char *msg)
{
    gotk_err *e = gotk_kube_status_error(http, body, body ? strlen(body) : 0);
    assert_non_null(e);
    if (strcmp(gotk_err_msg(e), msg) != 0)
        fail_msg("HTTP %ld: got \"%s\", want \"%s\"", http, gotk_err_msg(e), msg);
    assert_int_equal(gotk_err_code_of(e), code);
    gotk_err_free(e);
}

static void test_status_reasons(void **state)
{
    (void)state;
    check(404,
          "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
          "\"message\":\"configmaps \\\"x\\\" not found\",\"reason\":\"NotFound\","
          "\"details\":{\"name\":\"x\",\"kind\":\"configmaps\"},\"code\":404}",
          GOTK_E_NOTFOUND, "configmaps \"x\" not found");
    check(409,
          "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"configmaps \\\"x\\\" "
          "already exists\",\"reason\":\"AlreadyExists\",\"code\":409}",
          GOTK_E_CONFLICT, "configmaps \"x\" already exists");
    check(409,
          "{\"kind\":\"Status\",\"message\":\"Operation cannot be fulfilled on configmaps "
          "\\\"x\\\": the object has been modified; please apply your changes to the latest "
          "version and try again\",\"reason\":\"Conflict\",\"code\":409}",
          GOTK_E_CONFLICT,
          "Operation cannot be fulfilled on configmaps \"x\": the object has been modified; "
          "please apply your changes to the latest version and try again");
    check(403,
          "{\"kind\":\"Status\",\"message\":\"secrets is forbidden: User \\\"system:serviceaccount:"
          "apps:sa\\\" cannot list resource \\\"secrets\\\" in API group \\\"\\\" in the "
          "namespace \\\"apps\\\"\",\"reason\":\"Forbidden\",\"code\":403}",
          GOTK_E_KUBE_FORBIDDEN,
          "secrets is forbidden: User \"system:serviceaccount:apps:sa\" cannot list resource "
          "\"secrets\" in API group \"\" in the namespace \"apps\"");
    check(401, "{\"kind\":\"Status\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\","
               "\"code\":401}",
          GOTK_E_KUBE_UNAUTHORIZED, "Unauthorized");
    check(410, "{\"kind\":\"Status\",\"message\":\"too old resource version: 5 (42)\","
               "\"reason\":\"Expired\",\"code\":410}",
          GOTK_E_KUBE_GONE, "too old resource version: 5 (42)");
    check(500, "{\"kind\":\"Status\",\"message\":\"etcdserver: request timed out\","
               "\"reason\":\"InternalError\",\"code\":500}",
          GOTK_E_KUBE_SERVER, "etcdserver: request timed out");
    check(429, "{\"kind\":\"Status\",\"reason\":\"TooManyRequests\",\"code\":429}",
          GOTK_E_KUBE_TIMEOUT,
          "the server has received too many requests and has asked us to try again later");
}

static void test_invalid_causes(void **state)
{
    (void)state;
    /* Causes already in the message are not repeated. */
    check(422,
          "{\"kind\":\"Status\",\"message\":\"ConfigMap \\\"Bad\\\" is invalid: metadata.name: "
          "Invalid value: \\\"Bad\\\": a lowercase RFC 1123 subdomain must consist of lower case "
          "alphanumeric characters\",\"reason\":\"Invalid\",\"details\":{\"causes\":[{\"reason\":"
          "\"FieldValueInvalid\",\"message\":\"Invalid value: \\\"Bad\\\": a lowercase RFC 1123 "
          "subdomain must consist of lower case alphanumeric characters\",\"field\":"
          "\"metadata.name\"}]},\"code\":422}",
          GOTK_E_INVALID,
          "ConfigMap \"Bad\" is invalid: metadata.name: Invalid value: \"Bad\": a lowercase RFC "
          "1123 subdomain must consist of lower case alphanumeric characters");
    /* Causes missing from the message are listed with their fields. */
    check(422,
          "{\"kind\":\"Status\",\"message\":\"GitRepository.source.toolkit.fluxcd.io \\\"x\\\" "
          "is invalid\",\"reason\":\"Invalid\",\"details\":{\"causes\":[{\"reason\":"
          "\"FieldValueRequired\",\"message\":\"Required value\",\"field\":\"spec.url\"},"
          "{\"reason\":\"FieldValueNotSupported\",\"message\":\"Unsupported value: \\\"x\\\"\","
          "\"field\":\"spec.provider\"}]},\"code\":422}",
          GOTK_E_INVALID,
          "GitRepository.source.toolkit.fluxcd.io \"x\" is invalid: spec.url: Required value, "
          "spec.provider: Unsupported value: \"x\"");
}

static void test_non_status_bodies(void **state)
{
    (void)state;
    check(404, "", GOTK_E_NOTFOUND, "the server could not find the requested resource");
    check(404, NULL, GOTK_E_NOTFOUND, "the server could not find the requested resource");
    check(401, "Unauthorized\n", GOTK_E_KUBE_UNAUTHORIZED,
          "the server has asked for the client to provide credentials (Unauthorized)");
    check(502, "<html><body>Bad Gateway</body></html>", GOTK_E_KUBE_SERVER,
          "an error on the server has prevented the request from succeeding");
    check(409, "{\"kind\":\"ConfigMap\"}", GOTK_E_CONFLICT, "the server reported a conflict");
    check(400, "{not json", GOTK_E_INVALID,
          "the server rejected our request for an unknown reason");
    check(403, "\x01\x02", GOTK_E_KUBE_FORBIDDEN,
          "the server does not allow access to the requested resource");
}

static void test_status_object(void **state)
{
    (void)state;
    json_object *st = NULL;
    const char *s = "{\"kind\":\"Status\",\"code\":410,\"reason\":\"Gone\","
                    "\"message\":\"resourceVersion too old\"}";
    assert_null(gotk_json_parse(s, strlen(s), &st));
    gotk_err *e = gotk_kube_status_obj_error(0, st);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_KUBE_GONE);
    assert_string_equal(gotk_err_msg(e), "resourceVersion too old");
    gotk_err_free(e);
    json_object_put(st);
    e = gotk_kube_status_obj_error(404, NULL);
    assert_int_equal(gotk_err_code_of(e), GOTK_E_NOTFOUND);
    assert_string_equal(gotk_err_msg(e), "the server could not find the requested resource");
    gotk_err_free(e);
}

/* Every prefix of a Status, and random bytes, still give an error with a message. */
static void test_truncated_and_random(void **state)
{
    (void)state;
    const char *st = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                     "\"message\":\"x is invalid\",\"reason\":\"Invalid\",\"details\":"
                     "{\"causes\":[{\"field\":\"spec\",\"message\":\"bad\"}]},\"code\":422}";
    for (size_t n = 0; n <= strlen(st); n++) {
        gotk_err *e = gotk_kube_status_error(422, st, n);
        assert_non_null(e);
        assert_true(strlen(gotk_err_msg(e)) > 0);
        assert_int_equal(gotk_err_code_of(e), GOTK_E_INVALID);
        gotk_err_free(e);
    }
    unsigned seed = 12345;
    char buf[300];
    for (int round = 0; round < 2000; round++) {
        size_t n = (size_t)(rand_r(&seed) % (int)sizeof buf);
        for (size_t i = 0; i < n; i++)
            buf[i] = (char)(rand_r(&seed) % 256);
        long code = 400 + rand_r(&seed) % 200;
        gotk_err *e = gotk_kube_status_error(code, buf, n);
        assert_non_null(e);
        assert_true(strlen(gotk_err_msg(e)) > 0);
        gotk_err_free(e);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_reasons),
        cmocka_unit_test(test_invalid_causes),
        cmocka_unit_test(test_non_status_bodies),
        cmocka_unit_test(test_status_object),
        cmocka_unit_test(test_truncated_and_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
