/*
 * kube/errors.c: API failures as gotk errors.
 *
 * The API server answers a failed request with a Status object: a message meant
 * for people ("configmaps \"x\" not found"), a machine reason (NotFound,
 * AlreadyExists, Conflict, Invalid, Forbidden, Unauthorized, Expired/Gone, ...),
 * the HTTP code, and for Invalid the field causes. The error's message is the
 * Status message (with any cause it does not already mention appended), and its
 * code comes from the reason, else from the HTTP status. A response that is not
 * a Status (a proxy's HTML, an empty 404) gets client-go's generic wording for
 * its status code.
 */
#include "internal.h"

#include <ctype.h>
#include <string.h>

const char *kube_generic_message(long code)
{
    switch (code) {
    case 400: return "the server rejected our request for an unknown reason";
    case 401: return "the server has asked for the client to provide credentials";
    case 403: return "the server does not allow access to the requested resource";
    case 404: return "the server could not find the requested resource";
    case 405: return "the server does not allow this method on the requested resource";
    case 406: return "the server was unable to respond with a content type that the client supports";
    case 409: return "the server reported a conflict";
    case 410: return "the requested resource is no longer available";
    case 413: return "the server has rejected the request because it is too large";
    case 415: return "the server does not support the media type sent";
    case 422: return "the server rejected our request due to an error in our request";
    case 429: return "the server has received too many requests and has asked us to try again later";
    case 500: return "an error on the server has prevented the request from succeeding";
    case 503: return "the server is currently unable to handle the request";
    case 504: return "the server was unable to return a response in the time allotted, but may still be processing the request";
    default: return code >= 500 ? "an error on the server has prevented the request from succeeding"
                                : "the server responded with an unexpected status";
    }
}

/* The error code for a Status reason; GOTK_E_GENERIC when unknown. */
static gotk_err_code code_for_reason(const char *r)
{
    static const struct {
        const char *reason;
        gotk_err_code code;
    } map[] = {
        {"NotFound", GOTK_E_NOTFOUND},
        {"AlreadyExists", GOTK_E_CONFLICT},
        {"Conflict", GOTK_E_CONFLICT},
        {"Invalid", GOTK_E_INVALID},
        {"BadRequest", GOTK_E_INVALID},
        {"MethodNotAllowed", GOTK_E_INVALID},
        {"NotAcceptable", GOTK_E_INVALID},
        {"UnsupportedMediaType", GOTK_E_INVALID},
        {"RequestEntityTooLarge", GOTK_E_INVALID},
        {"Unauthorized", GOTK_E_KUBE_UNAUTHORIZED},
        {"Forbidden", GOTK_E_KUBE_FORBIDDEN},
        {"Gone", GOTK_E_KUBE_GONE},
        {"Expired", GOTK_E_KUBE_GONE},
        {"Timeout", GOTK_E_KUBE_TIMEOUT},
        {"ServerTimeout", GOTK_E_KUBE_TIMEOUT},
        {"TooManyRequests", GOTK_E_KUBE_TIMEOUT},
        {"InternalError", GOTK_E_KUBE_SERVER},
        {"ServiceUnavailable", GOTK_E_KUBE_SERVER},
    };
    for (size_t i = 0; r && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i].reason, r) == 0)
            return map[i].code;
    return GOTK_E_GENERIC;
}

/* The error code for an HTTP status. */
static gotk_err_code code_for_http(long code)
{
    switch (code) {
    case 400: case 405: case 406: case 413: case 415: case 422: return GOTK_E_INVALID;
    case 401: return GOTK_E_KUBE_UNAUTHORIZED;
    case 403: return GOTK_E_KUBE_FORBIDDEN;
    case 404: return GOTK_E_NOTFOUND;
    case 409: return GOTK_E_CONFLICT;
    case 410: return GOTK_E_KUBE_GONE;
    case 429: case 504: return GOTK_E_KUBE_TIMEOUT;
    default: return code >= 500 ? GOTK_E_KUBE_SERVER : GOTK_E_GENERIC;
    }
}

/* Append the causes the message does not already contain: ": f: m, f2: m2". */
static void append_causes(gotk_buf *b, json_object *causes)
{
    size_t n = json_object_is_type(causes, json_type_array) ? json_object_array_length(causes) : 0;
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        json_object *c = json_object_array_get_idx(causes, i);
        const char *msg = gotk_obj_get_str(c, "message");
        const char *field = gotk_obj_get_str(c, "field");
        if (!msg || strstr(b->data ? b->data : "", msg))
            continue;
        gotk_buf_puts(b, first ? ": " : ", ");
        first = false;
        if (field && *field)
            gotk_buf_printf(b, "%s: ", field);
        gotk_buf_puts(b, msg);
    }
}

gotk_err *gotk_kube_status_obj_error(long http_code, json_object *st)
{
    long code = http_code;
    json_object *jc = gotk_obj_get(st, "code", NULL);
    if (jc && json_object_is_type(jc, json_type_int) && json_object_get_int64(jc) > 0)
        code = (long)json_object_get_int64(jc);
    const char *reason = gotk_obj_get_str(st, "reason");
    const char *msg = gotk_obj_get_str(st, "message");
    gotk_buf b = {0};
    gotk_buf_puts(&b, msg && *msg ? msg : kube_generic_message(code));
    append_causes(&b, gotk_obj_getp(st, "details.causes"));
    gotk_err_code ec = code_for_reason(reason);
    if (ec == GOTK_E_GENERIC)
        ec = code_for_http(code);
    gotk_err *e = gotk_err_new(ec, "%s", b.data);
    gotk_buf_free(&b);
    return e;
}

/* Whether a body is short printable text worth quoting. */
static bool is_short_text(const char *body, size_t len)
{
    if (!body || len == 0 || len > 256)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!isprint((unsigned char)body[i]) && !isspace((unsigned char)body[i]))
            return false;
    return body[0] != '<'; /* skip HTML pages */
}

gotk_err *gotk_kube_status_error(long http_code, const char *body, size_t len)
{
    json_object *st = NULL;
    gotk_err *pe = body && len ? gotk_json_parse(body, len, &st) : NULL;
    if (pe || !st) {
        gotk_err_free(pe);
        json_object_put(st);
        st = NULL;
    }
    const char *kind = st ? gotk_obj_get_str(st, "kind") : NULL;
    if (kind && strcmp(kind, "Status") == 0) {
        gotk_err *e = gotk_kube_status_obj_error(http_code, st);
        json_object_put(st);
        return e;
    }
    json_object_put(st);
    const char *generic = kube_generic_message(http_code);
    if (is_short_text(body, len) && !(len && body[0] == '{')) {
        size_t n = len;
        while (n > 0 && isspace((unsigned char)body[n - 1]))
            n--;
        return gotk_err_new(code_for_http(http_code), "%s (%.*s)", generic, (int)n, body);
    }
    return gotk_err_new(code_for_http(http_code), "%s", generic);
}
