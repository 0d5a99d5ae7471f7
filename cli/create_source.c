/*
 * gotk create source helm|oci|bucket: HelmRepository, OCIRepository and Bucket
 * objects built from flags as `flux create source ...` builds them (the Go
 * structs' non-empty fields only); --export prints them, otherwise they are
 * applied and waited for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "create.h"

/* scheme and host of a URL as Go's url.Parse splits them; both are new strings. */
static void url_split(const char *url, char **scheme, char **host)
{
    size_t n = strcspn(url, ":/?#");
    bool has_scheme = url[n] == ':' && n > 0;
    *scheme = has_scheme ? gotk_xstrndup(url, n) : gotk_xstrdup("");
    for (char *p = *scheme; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    const char *rest = has_scheme ? url + n + 1 : url;
    if (strncmp(rest, "//", 2) != 0) {
        *host = gotk_xstrdup("");
        return;
    }
    rest += 2;
    const char *at = NULL;
    size_t hl = strcspn(rest, "/?#");
    for (size_t i = 0; i < hl; i++)
        if (rest[i] == '@')
            at = rest + i;
    *host = at ? gotk_xstrndup(at + 1, hl - (size_t)(at + 1 - rest)) : gotk_xstrndup(rest, hl);
}

/* ---- helm ------------------------------------------------------------------ */

typedef struct {
    const char *url, *username, *password, *cert_file, *key_file, *ca_file, *secret_ref;
    const char *oci_provider;
    bool pass_credentials;
    gotk_duration fetch_timeout;
} helm_args;

/* The HelmRepository spec, or flux's error. */
static gotk_err *helm_spec(void *args, const create_args *ca, json_object **out)
{
    const helm_args *a = args;
    if (!a->url || !*a->url)
        return gotk_err_new(GOTK_E_INVALID, "url is required");
    char *scheme, *host;
    url_split(a->url, &scheme, &host);
    gotk_err *e = NULL;
    bool oci = !strcmp(scheme, "oci");
    if (strcmp(scheme, "http") && strcmp(scheme, "https") && !oci)
        e = gotk_err_new(GOTK_E_INVALID, "url scheme '%s' not supported, can be: http, https and oci", scheme);
    else if (!*host)
        e = gotk_err_new(GOTK_E_INVALID, "url host is required");
    free(scheme);
    free(host);
    if (e)
        return e;
    json_object *spec = json_object_new_object();
    json_object_object_add(spec, "url", create_jstr(a->url));
    json_object_object_add(spec, "interval", create_jduration(ca->interval));
    if (oci) {
        json_object_object_add(spec, "type", create_jstr("oci"));
        if (a->oci_provider && *a->oci_provider)
            json_object_object_add(spec, "provider", create_jstr(a->oci_provider));
    }
    if (a->fetch_timeout > 0)
        json_object_object_add(spec, "timeout", create_jduration(a->fetch_timeout));
    if (a->secret_ref && *a->secret_ref) {
        json_object_object_add(spec, "secretRef", create_name_ref(a->secret_ref));
        if (a->pass_credentials)
            json_object_object_add(spec, "passCredentials", json_object_new_boolean(1));
    }
    *out = spec;
    return NULL;
}

/* gotk create source helm NAME. */
int create_source_helm(int argc, char **argv)
{
    create_args ca = {.interval = GOTK_MINUTE};
    helm_args a = {0};
    const cli_flag own[] = {
        {"url", 0, FLAG_STRING, &a.url, "Helm repository address"},
        {"username", 'u', FLAG_STRING, &a.username, "basic authentication username"},
        {"password", 'p', FLAG_STRING, &a.password, "basic authentication password"},
        {"cert-file", 0, FLAG_STRING, &a.cert_file, "TLS authentication cert file path"},
        {"key-file", 0, FLAG_STRING, &a.key_file, "TLS authentication key file path"},
        {"ca-file", 0, FLAG_STRING, &a.ca_file, "TLS authentication CA file path"},
        {"secret-ref", 0, FLAG_STRING, &a.secret_ref, "the name of an existing secret containing TLS, basic auth or docker-config credentials"},
        {"oci-provider", 0, FLAG_STRING, &a.oci_provider, "OCI provider for authentication"},
        {"pass-credentials", 0, FLAG_BOOL, &a.pass_credentials, "pass credentials to all domains"},
        {"fetch-timeout", 0, FLAG_DURATION, &a.fetch_timeout, "set a timeout for fetch operations performed by source-controller (e.g. 'Git clone' and 'Helm repository update')"},
    };
    static const char help[] =
        "The create source helm command generates a HelmRepository resource and waits for it to fetch the index.\n"
        "For private Helm repositories, the basic authentication credentials are stored in a Kubernetes secret.\n\n"
        "Usage:\n  gotk create source helm [name] [flags]\n\n"
        "Examples:\n  # Create a source for an HTTPS public Helm repository\n"
        "  gotk create source helm podinfo \\\n    --url=https://stefanprodan.github.io/podinfo \\\n    --interval=10m\n\n"
        "  # Create a source for an OCI Helm repository\n"
        "  gotk create source helm podinfo \\\n    --url=oci://ghcr.io/stefanprodan/charts/podinfo \\\n"
        "    --secret-ref=docker-config\n";
    return create_run(argc, argv, &ca, own, NFLAGS(own), help, "source.toolkit.fluxcd.io/v1",
                      "HelmRepository", helm_spec, &a);
}

/* ---- oci ------------------------------------------------------------------- */

typedef struct {
    const char *url, *tag, *semver, *digest, *secret_ref, *proxy_secret_ref, *sa, *cert_ref;
    const char *provider, *verify_provider, *verify_secret_ref, *verify_issuer, *verify_subject;
    const char *layer_selector;
    cli_strings ignore_paths;
    bool insecure;
    gotk_duration fetch_timeout;
} oci_args;

/* --provider of create source oci. */
static gotk_err *check_oci_provider(const char *v)
{
    if (!*v)
        return gotk_err_new(GOTK_E_INVALID, "no source OCI provider given, please specify the OCI provider name");
    if (strcmp(v, "generic") && strcmp(v, "aws") && strcmp(v, "azure") && strcmp(v, "gcp"))
        return gotk_err_new(GOTK_E_INVALID, "source OCI provider '%s' is not supported, must be one of: "
                                            "generic, aws, azure, gcp", v);
    return NULL;
}

/* --verify-provider: cosign only. */
static gotk_err *check_verify_provider(const char *v)
{
    if (!*v)
        return gotk_err_new(GOTK_E_INVALID, "no source OCI verify provider given, please specify the OCI verify provider name");
    if (strcmp(v, "cosign"))
        return gotk_err_new(GOTK_E_INVALID, "source OCI verify provider '%s' is not supported, must be one of: cosign", v);
    return NULL;
}

/* --layer-selector '<media-type>:<operation>'. */
static gotk_err *oci_layer_selector(const char *sel, json_object **out)
{
    *out = NULL;
    if (!sel || !*sel)
        return NULL;
    const char *colon = strchr(sel, ':');
    if (!colon || colon == sel || !colon[1])
        return gotk_err_new(GOTK_E_INVALID, "invalid --layer-selector \"%s\": must be in the format "
                                            "'<media-type>:<operation>'", sel);
    if (strcmp(colon + 1, "extract") && strcmp(colon + 1, "copy"))
        return gotk_err_new(GOTK_E_INVALID, "invalid --layer-selector \"%s\": operation must be "
                                            "\"extract\" or \"copy\"", sel);
    char *mt = gotk_xstrndup(sel, (size_t)(colon - sel));
    *out = json_object_new_object();
    json_object_object_add(*out, "mediaType", create_jstr(mt));
    json_object_object_add(*out, "operation", create_jstr(colon + 1));
    free(mt);
    return NULL;
}

/* A flag given with a non-empty value. */
static bool given(const char *s)
{
    return s && *s;
}

/* spec.verify from the --verify-* flags. */
static gotk_err *oci_verify(const oci_args *a, json_object **out)
{
    *out = NULL;
    if (!given(a->verify_provider)) {
        if (given(a->verify_secret_ref))
            return gotk_err_new(GOTK_E_INVALID, "a verification provider must be specified when a secret is specified");
        if (given(a->verify_issuer) || given(a->verify_subject))
            return gotk_err_new(GOTK_E_INVALID, "a verification provider must be specified when OIDC issuer/subject is specified");
        return NULL;
    }
    json_object *v = json_object_new_object();
    json_object_object_add(v, "provider", create_jstr(a->verify_provider));
    if (given(a->verify_secret_ref))
        json_object_object_add(v, "secretRef", create_name_ref(a->verify_secret_ref));
    if (given(a->verify_issuer) || given(a->verify_subject)) {
        json_object *m = json_object_new_object();
        json_object_object_add(m, "issuer", create_jstr(a->verify_issuer ? a->verify_issuer : ""));
        json_object_object_add(m, "subject", create_jstr(a->verify_subject ? a->verify_subject : ""));
        json_object *arr = json_object_new_array();
        json_object_array_add(arr, m);
        json_object_object_add(v, "matchOIDCIdentity", arr);
    }
    *out = v;
    return NULL;
}

/* The OCIRepository spec, or flux's error. */
static gotk_err *oci_spec(void *args, const create_args *ca, json_object **out)
{
    const oci_args *a = args;
    if (!given(a->url))
        return gotk_err_new(GOTK_E_INVALID, "url is required");
    if (!given(a->semver) && !given(a->tag) && !given(a->digest))
        return gotk_err_new(GOTK_E_INVALID, "--tag, --tag-semver or --digest is required");
    json_object *layer = NULL, *verify = NULL;
    gotk_err *e = oci_layer_selector(a->layer_selector, &layer);
    if (!e)
        e = oci_verify(a, &verify);
    if (e) {
        json_object_put(layer);
        return e;
    }
    json_object *spec = json_object_new_object();
    if (given(a->provider))
        json_object_object_add(spec, "provider", create_jstr(a->provider));
    json_object_object_add(spec, "url", create_jstr(a->url));
    if (a->insecure)
        json_object_object_add(spec, "insecure", json_object_new_boolean(1));
    json_object_object_add(spec, "interval", create_jduration(ca->interval));
    json_object *ref = json_object_new_object();
    if (given(a->digest))
        json_object_object_add(ref, "digest", create_jstr(a->digest));
    if (given(a->semver))
        json_object_object_add(ref, "semver", create_jstr(a->semver));
    if (given(a->tag))
        json_object_object_add(ref, "tag", create_jstr(a->tag));
    json_object_object_add(spec, "ref", ref);
    if (a->ignore_paths.n) {
        char *ign = create_join_lines(&a->ignore_paths);
        json_object_object_add(spec, "ignore", create_jstr(ign));
        free(ign);
    }
    if (layer)
        json_object_object_add(spec, "layerSelector", layer);
    if (a->fetch_timeout > 0)
        json_object_object_add(spec, "timeout", create_jduration(a->fetch_timeout));
    if (given(a->sa))
        json_object_object_add(spec, "serviceAccountName", create_jstr(a->sa));
    if (given(a->secret_ref))
        json_object_object_add(spec, "secretRef", create_name_ref(a->secret_ref));
    if (given(a->proxy_secret_ref))
        json_object_object_add(spec, "proxySecretRef", create_name_ref(a->proxy_secret_ref));
    if (given(a->cert_ref))
        json_object_object_add(spec, "certSecretRef", create_name_ref(a->cert_ref));
    if (verify)
        json_object_object_add(spec, "verify", verify);
    *out = spec;
    return NULL;
}

/* gotk create source oci NAME. */
int create_source_oci(int argc, char **argv)
{
    create_args ca = {.interval = GOTK_MINUTE};
    oci_args a = {.provider = "generic"};
    const cli_flag own[] = {
        {"provider", 0, FLAG_STRING, &a.provider, "the OCI provider name (generic|aws|azure|gcp)", check_oci_provider},
        {"url", 0, FLAG_STRING, &a.url, "the OCI repository URL"},
        {"tag", 0, FLAG_STRING, &a.tag, "the OCI artifact tag"},
        {"tag-semver", 0, FLAG_STRING, &a.semver, "the OCI artifact tag semver range"},
        {"digest", 0, FLAG_STRING, &a.digest, "the OCI artifact digest"},
        {"secret-ref", 0, FLAG_STRING, &a.secret_ref, "the name of the Kubernetes image pull secret (type 'kubernetes.io/dockerconfigjson')"},
        {"proxy-secret-ref", 0, FLAG_STRING, &a.proxy_secret_ref, "the name of an existing secret containing the proxy address and credentials"},
        {"service-account", 0, FLAG_STRING, &a.sa, "the name of the Kubernetes service account that refers to an image pull secret"},
        {"cert-ref", 0, FLAG_STRING, &a.cert_ref, "the name of a secret to use for TLS certificates"},
        {"verify-provider", 0, FLAG_STRING, &a.verify_provider, "the OCI verify provider name to use for signature verification (cosign)", check_verify_provider},
        {"verify-secret-ref", 0, FLAG_STRING, &a.verify_secret_ref, "the name of a secret to use for signature verification"},
        {"verify-subject", 0, FLAG_STRING, &a.verify_subject, "regular expression to use for the OIDC subject during signature verification"},
        {"verify-issuer", 0, FLAG_STRING, &a.verify_issuer, "regular expression to use for the OIDC issuer during signature verification"},
        {"ignore-paths", 0, FLAG_STRINGS, &a.ignore_paths, "set paths to ignore resources (can specify multiple paths with commas: path1,path2)"},
        {"insecure", 0, FLAG_BOOL, &a.insecure, "for when connecting to a non-TLS registries over plain HTTP"},
        {"layer-selector", 0, FLAG_STRING, &a.layer_selector, "the OCI artifact layer selector in the format '<media-type>:<operation>'"},
        {"fetch-timeout", 0, FLAG_DURATION, &a.fetch_timeout, "set a timeout for fetch operations performed by source-controller (e.g. 'Git clone' and 'Helm repository update')"},
    };
    static const char help[] =
        "The create source oci command generates an OCIRepository resource and waits for it to be ready.\n\n"
        "Usage:\n  gotk create source oci [name] [flags]\n\n"
        "Examples:\n  # Create an OCIRepository for a public container image\n"
        "  gotk create source oci podinfo \\\n    --url=oci://ghcr.io/stefanprodan/manifests/podinfo \\\n"
        "    --tag=6.6.2 \\\n    --interval=10m\n\n"
        "  # Create an OCIRepository for a Helm chart layer\n"
        "  gotk create source oci valkey-cluster \\\n    --url=oci://example.com/charts/valkey \\\n"
        "    --tag=0.11.6 \\\n    --layer-selector=application/vnd.cncf.helm.chart.content.v1.tar+gzip:copy\n";
    int rc = create_run(argc, argv, &ca, own, NFLAGS(own), help, "source.toolkit.fluxcd.io/v1",
                        "OCIRepository", oci_spec, &a);
    cli_strings_free(&a.ignore_paths);
    return rc;
}

/* ---- bucket ---------------------------------------------------------------- */

typedef struct {
    const char *provider, *bucket, *endpoint, *access_key, *secret_key, *region;
    const char *secret_ref, *proxy_secret_ref;
    bool insecure;
    cli_strings ignore_paths;
    gotk_duration fetch_timeout;
} bucket_args;

/* --provider of create source bucket. */
static gotk_err *check_bucket_provider(const char *v)
{
    if (!*v)
        return gotk_err_new(GOTK_E_INVALID, "no source bucket provider given, please specify the S3 compatible storage provider name");
    if (strcmp(v, "generic") && strcmp(v, "aws") && strcmp(v, "azure") && strcmp(v, "gcp"))
        return gotk_err_new(GOTK_E_INVALID, "source bucket provider '%s' is not supported, must be one of: "
                                            "generic, aws, azure, gcp", v);
    return NULL;
}

/* The Bucket spec, or flux's error. */
static gotk_err *bucket_spec(void *args, const create_args *ca, json_object **out)
{
    const bucket_args *a = args;
    if (!given(a->bucket))
        return gotk_err_new(GOTK_E_INVALID, "bucket-name is required");
    if (!given(a->endpoint))
        return gotk_err_new(GOTK_E_INVALID, "endpoint is required");
    json_object *spec = json_object_new_object();
    json_object_object_add(spec, "bucketName", create_jstr(a->bucket));
    if (given(a->provider))
        json_object_object_add(spec, "provider", create_jstr(a->provider));
    if (a->insecure)
        json_object_object_add(spec, "insecure", json_object_new_boolean(1));
    json_object_object_add(spec, "endpoint", create_jstr(a->endpoint));
    if (given(a->region))
        json_object_object_add(spec, "region", create_jstr(a->region));
    json_object_object_add(spec, "interval", create_jduration(ca->interval));
    if (a->ignore_paths.n) {
        char *ign = create_join_lines(&a->ignore_paths);
        json_object_object_add(spec, "ignore", create_jstr(ign));
        free(ign);
    }
    if (a->fetch_timeout > 0)
        json_object_object_add(spec, "timeout", create_jduration(a->fetch_timeout));
    if (given(a->secret_ref))
        json_object_object_add(spec, "secretRef", create_name_ref(a->secret_ref));
    if (given(a->proxy_secret_ref))
        json_object_object_add(spec, "proxySecretRef", create_name_ref(a->proxy_secret_ref));
    *out = spec;
    return NULL;
}

/* gotk create source bucket NAME. */
int create_source_bucket(int argc, char **argv)
{
    create_args ca = {.interval = GOTK_MINUTE};
    bucket_args a = {.provider = "generic"};
    const cli_flag own[] = {
        {"provider", 0, FLAG_STRING, &a.provider, "the S3 compatible storage provider name (generic|aws|azure|gcp)", check_bucket_provider},
        {"bucket-name", 0, FLAG_STRING, &a.bucket, "the bucket name"},
        {"endpoint", 0, FLAG_STRING, &a.endpoint, "the bucket endpoint address"},
        {"access-key", 0, FLAG_STRING, &a.access_key, "the bucket access key"},
        {"secret-key", 0, FLAG_STRING, &a.secret_key, "the bucket secret key"},
        {"region", 0, FLAG_STRING, &a.region, "the bucket region"},
        {"insecure", 0, FLAG_BOOL, &a.insecure, "for when connecting to a non-TLS S3 HTTP endpoint"},
        {"secret-ref", 0, FLAG_STRING, &a.secret_ref, "the name of an existing secret containing credentials"},
        {"proxy-secret-ref", 0, FLAG_STRING, &a.proxy_secret_ref, "the name of an existing secret containing the proxy address and credentials"},
        {"ignore-paths", 0, FLAG_STRINGS, &a.ignore_paths, "set paths to ignore in bucket resource (can specify multiple paths with commas: path1,path2)"},
        {"fetch-timeout", 0, FLAG_DURATION, &a.fetch_timeout, "set a timeout for fetch operations performed by source-controller (e.g. 'Git clone' and 'Helm repository update')"},
    };
    static const char help[] =
        "The create source bucket command generates a Bucket resource and waits for it to be downloaded.\n"
        "For Buckets with static authentication, the credentials are stored in a Kubernetes secret.\n\n"
        "Usage:\n  gotk create source bucket [name] [flags]\n\n"
        "Examples:\n  # Create a source for a Bucket using static authentication\n"
        "  gotk create source bucket podinfo \\\n\t--bucket-name=podinfo \\\n    --endpoint=minio.minio.svc.cluster.local:9000 \\\n"
        "\t--insecure=true \\\n\t--access-key=${ACCESS_KEY} \\\n\t--secret-key=${SECRET_KEY} \\\n\t--interval=10m\n\n"
        "  # Create a source for an Amazon S3 Bucket using the nodes' IAM role\n"
        "  gotk create source bucket podinfo \\\n\t--bucket-name=podinfo \\\n    --provider=aws \\\n"
        "    --endpoint=s3.amazonaws.com \\\n\t--region=us-east-1 \\\n\t--interval=10m\n";
    int rc = create_run(argc, argv, &ca, own, NFLAGS(own), help, "source.toolkit.fluxcd.io/v1",
                        "Bucket", bucket_spec, &a);
    cli_strings_free(&a.ignore_paths);
    return rc;
}
