/*
 * token.c: the TokenRequest subresource, serviceaccounts/{name}/token
 * (`kubectl create token`).
 *
 * As on a real server, the request names a service account that must exist; the
 * answer is the TokenRequest with its spec defaulted (audiences, one hour) and
 * status.token and status.expirationTimestamp filled. The token is a JWT with
 * the claims a cluster puts in one (sub system:serviceaccount:NS:NAME, aud,
 * exp, the kubernetes.io block), signed HS256 with the server's admin token as
 * the key. gotk-apiserver authenticates only its admin token, so these tokens
 * are not accepted for requests; they are for clients that only pass them on.
 * Nothing is stored.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apiserver.h"

#define TOKEN_AUDIENCE "https://kubernetes.default.svc.cluster.local"
#define TOKEN_DEFAULT_SECONDS 3600
#define TOKEN_MIN_SECONDS 600

/* Unpadded URL-safe base64 (JWT segments). Caller frees. */
static char *b64url(const void *data, size_t len)
{
    char *s = gotk_base64_encode(data, len);
    size_t n = 0;
    for (char *p = s; *p && *p != '='; p++)
        s[n++] = *p == '+' ? '-' : *p == '/' ? '_' : *p;
    s[n] = '\0';
    return s;
}

/* The JWT's claims for service account `sa` with this audience list. */
static json_object *token_claims(json_object *sa, json_object *audiences, int64_t iat,
                                 int64_t exp)
{
    const char *ns = jx_get_str(jx_get(sa, "metadata"), "namespace");
    const char *name = jx_get_str(jx_get(sa, "metadata"), "name");
    const char *uid = jx_get_str(jx_get(sa, "metadata"), "uid");
    char jti[37];
    ax_uuid(jti);
    json_object *c = json_object_new_object();
    json_object_object_add(c, "aud", json_object_get(audiences));
    json_object_object_add(c, "exp", json_object_new_int64(exp));
    json_object_object_add(c, "iat", json_object_new_int64(iat));
    jx_set_str(c, "iss", TOKEN_AUDIENCE);
    jx_set_str(c, "jti", jti);
    json_object *k8s = json_object_new_object(), *who = json_object_new_object();
    jx_set_str(k8s, "namespace", ns);
    jx_set_str(who, "name", name);
    jx_set_str(who, "uid", uid ? uid : "");
    json_object_object_add(k8s, "serviceaccount", who);
    json_object_object_add(c, "kubernetes.io", k8s);
    json_object_object_add(c, "nbf", json_object_new_int64(iat));
    char *sub = gotk_xasprintf("system:serviceaccount:%s:%s", ns, name);
    jx_set_str(c, "sub", sub);
    free(sub);
    return c;
}

/* header.claims.signature, HS256 keyed by `key`. Caller frees. */
static char *sign_jwt(json_object *claims, const char *key)
{
    static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    const char *body = json_object_to_json_string_ext(
        claims, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    char *h = b64url(header, strlen(header)), *b = b64url(body, strlen(body));
    char *input = gotk_xasprintf("%s.%s", h, b);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)input, strlen(input), mac,
         &maclen);
    char *sig = b64url(mac, maclen);
    char *jwt = gotk_xasprintf("%s.%s", input, sig);
    free(h);
    free(b);
    free(input);
    free(sig);
    return jwt;
}

/* The request's spec with audiences and expirationSeconds defaulted; false with
 * `out` set when the duration is invalid. */
static bool default_spec(api_req *q, json_object *req, api_resp *out)
{
    json_object *spec = jx_ensure_obj(req, "spec");
    json_object *aud = jx_get(spec, "audiences");
    if (!aud || !json_object_is_type(aud, json_type_array) || !json_object_array_length(aud)) {
        aud = json_object_new_array();
        json_object_array_add(aud, json_object_new_string(TOKEN_AUDIENCE));
        json_object_object_add(spec, "audiences", aud);
    }
    json_object *es = jx_get(spec, "expirationSeconds");
    if (!es)
        json_object_object_add(spec, "expirationSeconds",
                               json_object_new_int64(TOKEN_DEFAULT_SECONDS));
    else if (json_object_get_int64(es) < TOKEN_MIN_SECONDS) {
        api_status(out, 422, "Invalid", "authentication.k8s.io", "TokenRequest", q->name,
                   "TokenRequest.authentication.k8s.io \"%s\" is invalid: spec.expirationSeconds: "
                   "Invalid value: %lld: may not specify a duration less than 10 minutes",
                   q->name, (long long)json_object_get_int64(es));
        return false;
    }
    return true;
}

/* Whether the body is an authentication.k8s.io/v1 TokenRequest (400 if not). */
static bool is_token_request(json_object *o, api_resp *out)
{
    const char *av = jx_get_str(o, "apiVersion"), *kind = jx_get_str(o, "kind");
    if (av && kind && !strcmp(av, "authentication.k8s.io/v1") && !strcmp(kind, "TokenRequest"))
        return true;
    api_status(out, 400, "BadRequest", NULL, NULL, NULL,
               "the body of a token request must be an authentication.k8s.io/v1 TokenRequest, "
               "not %s %s", av ? av : "(no apiVersion)", kind ? kind : "(no kind)");
    return false;
}

void do_token_request(api_req *q, api_resp *out)
{
    if (strcmp(q->method, "POST")) {
        api_status(out, 405, "MethodNotAllowed", NULL, NULL, NULL,
                   "the server does not allow this method on the requested resource");
        return;
    }
    json_object *sa = h_load(q, out), *req = NULL;
    if (!sa || !(req = h_parse_body(q, out)) || !is_token_request(req, out) ||
        !default_spec(q, req, out))
        goto done;
    json_object *spec = jx_get(req, "spec");
    int64_t iat = (int64_t)time(NULL);
    int64_t exp = iat + json_object_get_int64(jx_get(spec, "expirationSeconds"));
    json_object *claims = token_claims(sa, jx_get(spec, "audiences"), iat, exp);
    char *jwt = sign_jwt(claims, q->s->token);
    json_object_put(claims);

    json_object *meta = jx_ensure_obj(req, "metadata");
    jx_set_str(meta, "name", q->name);
    jx_set_str(meta, "namespace", q->ns);
    char now[32], expires[32];
    jx_now(now);
    jx_set_str(meta, "creationTimestamp", now);
    time_t t = (time_t)exp;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(expires, sizeof expires, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_object *status = json_object_new_object();
    jx_set_str(status, "token", jwt);
    jx_set_str(status, "expirationTimestamp", expires);
    json_object_object_add(req, "status", status);
    free(jwt);
    api_json(out, 201, req);
done:
    json_object_put(req);
    json_object_put(sa);
}
