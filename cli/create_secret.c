/*
 * gotk create secret git: the Secret flux writes for Git authentication.
 * HTTP/S: username/password, bearerToken, ca.crt. SSH: a key pair (generated
 * with OpenSSL — ECDSA P-384 by default, or RSA/Ed25519 — private key PKCS#8 PEM,
 * public key in authorized_keys form, as fluxcd/pkg/ssh writes them; or loaded
 * from --private-key-file), and known_hosts from the URL's host, scanned over SSH
 * (libssh2) as flux does: an unreachable host is an error. --export prints the
 * Secret with stringData; otherwise it is created or updated on the cluster.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libssh2.h>
#include <netdb.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "create.h"
#include "gotk/obj.h"

typedef struct {
    const char *url, *username, *password, *algo, *curve, *ca_file, *key_file, *bearer;
    int rsa_bits;
} secret_args;

/* ---- SSH wire encoding --------------------------------------------------------- */

static void put_u32(gotk_buf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                          (unsigned char)v};
    gotk_buf_append(b, x, 4);
}

/* An SSH string: length, then bytes. */
static void put_string(gotk_buf *b, const void *data, size_t len)
{
    put_u32(b, (uint32_t)len);
    gotk_buf_append(b, data, len);
}

/* An mpint: big-endian, a leading zero byte when the top bit is set. */
static void put_mpint(gotk_buf *b, const BIGNUM *n)
{
    int len = BN_num_bytes(n);
    unsigned char *x = gotk_xmalloc((size_t)len + 1);
    x[0] = 0;
    BN_bn2bin(n, x + 1);
    bool pad = len > 0 && (x[1] & 0x80);
    put_string(b, pad ? x : x + 1, (size_t)len + (pad ? 1 : 0));
    free(x);
}

/* "type base64\n" (ssh.MarshalAuthorizedKey) from a public key blob. */
static char *authorized_key(const unsigned char *blob, size_t len)
{
    uint32_t tl = len >= 4 ? (uint32_t)blob[0] << 24 | blob[1] << 16 | blob[2] << 8 | blob[3] : 0;
    if (tl > len - 4)
        tl = 0;
    char *b64 = gotk_base64_encode(blob, len);
    char *out = gotk_xasprintf("%.*s %s\n", (int)tl, (const char *)blob + 4, b64);
    free(b64);
    return out;
}

/* The SSH public key blob of an OpenSSL key. */
static gotk_err *public_blob(EVP_PKEY *pk, gotk_buf *b)
{
    int id = EVP_PKEY_get_base_id(pk);
    if (id == EVP_PKEY_ED25519) {
        unsigned char raw[32];
        size_t len = sizeof raw;
        EVP_PKEY_get_raw_public_key(pk, raw, &len);
        put_string(b, "ssh-ed25519", 11);
        put_string(b, raw, len);
        return NULL;
    }
    if (id == EVP_PKEY_RSA) {
        BIGNUM *n = NULL, *e = NULL;
        EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n);
        EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e);
        put_string(b, "ssh-rsa", 7);
        put_mpint(b, e);
        put_mpint(b, n);
        BN_free(n);
        BN_free(e);
        return NULL;
    }
    if (id == EVP_PKEY_EC) {
        char group[64] = "";
        size_t glen = 0;
        EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &glen);
        const char *curve = !strcmp(group, "prime256v1") || !strcmp(group, "P-256") ? "nistp256"
                            : !strcmp(group, "secp384r1") || !strcmp(group, "P-384") ? "nistp384"
                            : !strcmp(group, "secp521r1") || !strcmp(group, "P-521") ? "nistp521"
                                                                                    : NULL;
        if (!curve)
            return gotk_err_new(GOTK_E_INVALID, "unsupported ECDSA curve %s", group);
        unsigned char pt[256];
        size_t plen = 0;
        EVP_PKEY_get_octet_string_param(pk, OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof pt, &plen);
        char *type = gotk_xasprintf("ecdsa-sha2-%s", curve);
        put_string(b, type, strlen(type));
        put_string(b, curve, strlen(curve));
        put_string(b, pt, plen);
        free(type);
        return NULL;
    }
    return gotk_err_new(GOTK_E_INVALID, "unsupported key type");
}

/* ---- key pairs --------------------------------------------------------------- */

typedef struct {
    char *private_key; /* PEM or OpenSSH text */
    char *public_key;  /* authorized_keys line with "\n" */
} key_pair;

/* Free a key pair's strings. */
static void key_pair_free(key_pair *k)
{
    free(k->private_key);
    free(k->public_key);
}

/* Fill `k` from an OpenSSL key: PKCS#8 PEM and the authorized key. */
static gotk_err *key_pair_from(EVP_PKEY *pk, key_pair *k)
{
    gotk_buf blob = {0};
    gotk_err *e = public_blob(pk, &blob);
    if (e) {
        gotk_buf_free(&blob);
        return e;
    }
    k->public_key = authorized_key((unsigned char *)blob.data, blob.len);
    gotk_buf_free(&blob);
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PKCS8PrivateKey(bio, pk, NULL, NULL, 0, NULL, NULL);
    char *data;
    long n = BIO_get_mem_data(bio, &data);
    k->private_key = gotk_xstrndup(data, (size_t)n);
    BIO_free(bio);
    return NULL;
}

/* A new key pair of --ssh-key-algorithm (RSA bits, ECDSA curve). */
static gotk_err *generate_key(const secret_args *a, key_pair *k)
{
    EVP_PKEY *pk = NULL;
    if (!strcmp(a->algo, "rsa")) {
        pk = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)a->rsa_bits);
    } else if (!strcmp(a->algo, "ed25519")) {
        pk = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    } else if (!strcmp(a->algo, "ecdsa")) {
        const char *c = !strcmp(a->curve, "p256") ? "P-256" : !strcmp(a->curve, "p521") ? "P-521" : "P-384";
        pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", c);
    } else {
        return gotk_err_new(GOTK_E_INVALID, "unsupported public key algorithm: %s", a->algo);
    }
    if (!pk)
        return gotk_err_new(GOTK_E_IO, "key pair generation failed");
    gotk_err *e = key_pair_from(pk, k);
    EVP_PKEY_free(pk);
    return e;
}

/* The public key blob stored in clear in an "openssh-key-v1" private key. */
static gotk_err *openssh_public(const char *pem, key_pair *k)
{
    const char *begin = strstr(pem, "-----BEGIN OPENSSH PRIVATE KEY-----");
    const char *end = strstr(pem, "-----END OPENSSH PRIVATE KEY-----");
    gotk_buf b64 = {0};
    for (const char *p = begin + 35; p < end; p++)
        if (*p != '\n' && *p != '\r' && *p != ' ')
            gotk_buf_putc(&b64, *p);
    unsigned char *raw = NULL;
    size_t len = 0;
    gotk_err *e = gotk_base64_decode(b64.data ? b64.data : "", b64.len, &raw, &len);
    gotk_buf_free(&b64);
    if (e)
        return gotk_err_wrap(e, "ssh: no key found");
    /* magic, cipher, kdf, kdf options, key count, then the public key */
    size_t off = 15;
    for (int i = 0; i < 3 && off + 4 <= len; i++)
        off += 4 + ((uint32_t)raw[off] << 24 | raw[off + 1] << 16 | raw[off + 2] << 8 | raw[off + 3]);
    off += 4;
    uint32_t pl = off + 4 <= len ? ((uint32_t)raw[off] << 24 | raw[off + 1] << 16 | raw[off + 2] << 8 | raw[off + 3]) : 0;
    if (len < 15 || memcmp(raw, "openssh-key-v1", 15) || !pl || off + 4 + pl > len) {
        free(raw);
        return gotk_err_new(GOTK_E_INVALID, "ssh: malformed OpenSSH key");
    }
    k->public_key = authorized_key(raw + off + 4, pl);
    free(raw);
    return NULL;
}

/* --private-key-file: keep the file as it is, derive the public key. */
static gotk_err *load_key(const char *path, const char *password, key_pair *k)
{
    char *data = NULL;
    size_t len = 0;
    gotk_err *e = gotk_file_read(path, &data, &len);
    if (e)
        return gotk_err_wrap(e, "unable to read private key file");
    if (strstr(data, "-----BEGIN OPENSSH PRIVATE KEY-----")) {
        e = openssh_public(data, k);
    } else {
        BIO *bio = BIO_new_mem_buf(data, (int)len);
        EVP_PKEY *pk = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)(password ? password : ""));
        BIO_free(bio);
        gotk_buf blob = {0};
        e = pk ? public_blob(pk, &blob) : gotk_err_new(GOTK_E_INVALID, "ssh: no key found");
        if (!e)
            k->public_key = authorized_key((unsigned char *)blob.data, blob.len);
        gotk_buf_free(&blob);
        EVP_PKEY_free(pk);
    }
    if (e) {
        free(data);
        return e;
    }
    k->private_key = data;
    return NULL;
}

/* ---- host key scan --------------------------------------------------------------- */

/* Connect to host:port within `ms`; returns the socket or -1. */
static int dial(const char *host, const char *port, int ms)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    if (getaddrinfo(host, port, &hints, &res) != 0)
        return -1;
    int fd = -1;
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0)
            continue;
        int fl = fcntl(fd, F_GETFL);
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
        int rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
        struct pollfd p = {fd, POLLOUT, 0};
        int err = 0;
        socklen_t el = sizeof err;
        if (rc < 0 && (errno != EINPROGRESS || poll(&p, 1, ms) != 1 ||
                       getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0 || err)) {
            close(fd);
            fd = -1;
            continue;
        }
        fcntl(fd, F_SETFL, fl);
    }
    freeaddrinfo(res);
    return fd;
}

/* Go's host key preference order, limited to what this libssh2 supports (naming
 * an unsupported method makes libssh2_session_method_pref misbehave). */
static char *hostkey_pref(LIBSSH2_SESSION *s)
{
    static const char *const order[] = {"ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
                                        "ecdsa-sha2-nistp521", "ssh-ed25519", "rsa-sha2-512",
                                        "rsa-sha2-256", "ssh-rsa"};
    const char **algs = NULL;
    int n = libssh2_session_supported_algs(s, LIBSSH2_METHOD_HOSTKEY, &algs);
    gotk_buf b = {0};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        for (int j = 0; j < n; j++)
            if (!strcmp(order[i], algs[j])) {
                gotk_buf_printf(&b, "%s%s", b.len ? "," : "", order[i]);
                break;
            }
    if (n > 0)
        libssh2_free(s, algs);
    return b.len ? gotk_buf_steal(&b) : gotk_xstrdup("ssh-rsa");
}

/* The known_hosts line of the SSH server at `hostport` ("host" or "host:port"). */
static gotk_err *scan_host_key(const char *hostport, char **out)
{
    char *host, *port;
    const char *colon = strrchr(hostport, ':');
    bool bracket = hostport[0] == '[';
    if (colon && (!bracket || colon[-1] == ']')) {
        host = gotk_xstrndup(hostport + bracket, (size_t)(colon - hostport) - 2 * bracket);
        port = gotk_xstrdup(colon + 1);
    } else {
        host = gotk_xstrdup(hostport);
        port = gotk_xstrdup("22");
    }
    char *shown = gotk_xasprintf(strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, port);
    int fd = dial(host, port, 30000);
    gotk_err *e = NULL;
    if (fd < 0) {
        e = gotk_err_new(GOTK_E_IO, "SSH key scan for host %s failed, error: dial tcp %s: connection failed",
                         shown, shown);
    } else {
        libssh2_init(0);
        LIBSSH2_SESSION *s = libssh2_session_init();
        libssh2_session_set_timeout(s, 30000);
        char *pref = hostkey_pref(s);
        libssh2_session_method_pref(s, LIBSSH2_METHOD_HOSTKEY, pref);
        free(pref);
        size_t len = 0;
        int type = 0;
        const char *key = libssh2_session_handshake(s, fd) == 0 ? libssh2_session_hostkey(s, &len, &type) : NULL;
        if (!key) {
            e = gotk_err_new(GOTK_E_IO, "SSH key scan for host %s failed, error: ssh: handshake failed", shown);
        } else {
            char *ak = authorized_key((const unsigned char *)key, len);
            ak[strlen(ak) - 1] = '\0';
            *out = strcmp(port, "22") ? gotk_xasprintf("[%s]:%s %s", host, port, ak)
                                      : gotk_xasprintf("%s %s", host, ak);
            free(ak);
        }
        libssh2_session_disconnect(s, "");
        libssh2_session_free(s);
        libssh2_exit();
        close(fd);
    }
    free(host);
    free(port);
    free(shown);
    return e;
}

/* ---- for bootstrap ---------------------------------------------------------------- */

gotk_err *cli_ssh_key_get(const char *key_file, const char *password, const char *algo,
                          int rsa_bits, const char *curve, cli_ssh_key *out)
{
    key_pair k = {0};
    secret_args a = {.algo = algo, .rsa_bits = rsa_bits, .curve = curve};
    gotk_err *e = key_file && *key_file ? load_key(key_file, password, &k) : generate_key(&a, &k);
    out->private_key = k.private_key;
    out->public_key = k.public_key;
    return e;
}

void cli_ssh_key_free(cli_ssh_key *k)
{
    free(k->private_key);
    free(k->public_key);
    k->private_key = k->public_key = NULL;
}

static void url_parts(const char *url, char **scheme, char **host);

gotk_err *cli_ssh_known_hosts_for_url(const char *url, char **out)
{
    char *scheme = NULL, *host = NULL;
    url_parts(url, &scheme, &host);
    gotk_err *e = scan_host_key(host, out);
    free(scheme);
    free(host);
    return e;
}

/* ---- the Secret ------------------------------------------------------------------ */

/* user@host:port of a URL as Go's url.Parse gives Host (new string), and the scheme. */
static void url_parts(const char *url, char **scheme, char **host)
{
    const char *sep = strstr(url, "://");
    *scheme = sep ? gotk_xstrndup(url, (size_t)(sep - url)) : gotk_xstrdup("");
    const char *h = sep ? sep + 3 : url;
    size_t hl = strcspn(h, "/?#");
    const char *at = memchr(h, '@', hl);
    *host = at ? gotk_xstrndup(at + 1, hl - (size_t)(at + 1 - h)) : gotk_xstrndup(h, hl);
}

/* stringData for SSH: identity, identity.pub, known_hosts[, password]. */
static gotk_err *ssh_data(const secret_args *a, const char *host, json_object *data)
{
    key_pair k = {0};
    gotk_err *e = a->key_file && *a->key_file ? load_key(a->key_file, a->password, &k) : generate_key(a, &k);
    char *known = NULL;
    if (!e)
        e = scan_host_key(host, &known);
    if (!e) {
        json_object_object_add(data, "identity", create_jstr(k.private_key));
        json_object_object_add(data, "identity.pub", create_jstr(k.public_key));
        json_object_object_add(data, "known_hosts", create_jstr(known));
        if (a->password && *a->password)
            json_object_object_add(data, "password", create_jstr(a->password));
    }
    free(known);
    key_pair_free(&k);
    return e;
}

/* stringData for HTTP/S. */
static gotk_err *http_data(const secret_args *a, json_object *data)
{
    bool user = a->username && *a->username && a->password && *a->password;
    bool bearer = a->bearer && *a->bearer;
    if (!user && !bearer)
        return gotk_err_new(GOTK_E_INVALID, "for Git over HTTP/S the username and password, or a bearer token is required");
    if (user && bearer)
        return gotk_err_new(GOTK_E_INVALID, "user credentials and bearer token cannot be used together");
    if (user) {
        json_object_object_add(data, "username", create_jstr(a->username));
        json_object_object_add(data, "password", create_jstr(a->password));
    }
    if (bearer)
        json_object_object_add(data, "bearerToken", create_jstr(a->bearer));
    if (a->ca_file && *a->ca_file) {
        char *ca = NULL;
        size_t len = 0;
        gotk_err *e = gotk_file_read(a->ca_file, &ca, &len);
        if (e)
            return gotk_err_wrap(e, "unable to read TLS CA file");
        json_object_object_add(data, "ca.crt", json_object_new_string_len(ca, (int)len));
        free(ca);
    }
    return NULL;
}

/* stringData of the Git secret for the URL's scheme. */
static gotk_err *git_secret(const secret_args *a, json_object *data)
{
    if (!a->url || !*a->url)
        return gotk_err_new(GOTK_E_INVALID, "url is required");
    char *scheme, *host;
    url_parts(a->url, &scheme, &host);
    gotk_err *e;
    if (!strcmp(scheme, "ssh"))
        e = ssh_data(a, host, data);
    else if (!strcmp(scheme, "http") || !strcmp(scheme, "https"))
        e = http_data(a, data);
    else
        e = gotk_err_new(GOTK_E_INVALID, "git URL scheme '%s' not supported, can be: ssh, http and https", scheme);
    free(scheme);
    free(host);
    return e;
}

/* Create or update the Secret on the cluster, as flux's upsertSecret. */
static int upsert_secret(const cli_globals *g, json_object *secret)
{
    gotk_kube_client *kube = NULL;
    gotk_err *e = cli_kube_open(g, &kube);
    if (!e) {
        gotk_kube_opts o = {.field_manager = "flux", .force = true};
        e = gotk_kube_apply(kube, secret, &o, NULL);
    }
    gotk_kube_client_free(kube);
    if (e)
        return create_fail(e);
    cli_step("git secret '%s' created in '%s' namespace", gotk_obj_get_str(secret, "metadata.name"),
             gotk_obj_get_str(secret, "metadata.namespace"));
    return 0;
}

/* --ssh-key-algorithm: rsa, ecdsa or ed25519. */
static gotk_err *check_algo(const char *v)
{
    if (strcmp(v, "rsa") && strcmp(v, "ecdsa") && strcmp(v, "ed25519"))
        return gotk_err_new(GOTK_E_INVALID, "unsupported public key algorithm '%s', must be one of: rsa, ecdsa, ed25519", v);
    return NULL;
}

/* --ssh-ecdsa-curve: p256, p384 or p521. */
static gotk_err *check_curve(const char *v)
{
    if (strcmp(v, "p256") && strcmp(v, "p384") && strcmp(v, "p521"))
        return gotk_err_new(GOTK_E_INVALID, "unsupported curve '%s', must be one of: p256, p384, p521", v);
    return NULL;
}

/* gotk create secret git NAME. */
static int create_secret_git(int argc, char **argv)
{
    cli_globals g;
    cli_globals_default(&g);
    create_args ca = {.interval = GOTK_MINUTE};
    secret_args a = {.algo = "ecdsa", .curve = "p384", .rsa_bits = 2048};
    const cli_flag own[] = {
        {"url", 0, FLAG_STRING, &a.url, "git address, e.g. ssh://git@host/org/repository"},
        {"username", 'u', FLAG_STRING, &a.username, "basic authentication username"},
        {"password", 'p', FLAG_STRING, &a.password, "basic authentication password"},
        {"ssh-key-algorithm", 0, FLAG_STRING, &a.algo, "SSH public key algorithm (rsa, ecdsa, ed25519)", check_algo},
        {"ssh-rsa-bits", 0, FLAG_INT, &a.rsa_bits, "SSH RSA public key bit size (multiplies of 8, min 1024, max 8192)"},
        {"ssh-ecdsa-curve", 0, FLAG_STRING, &a.curve, "SSH ECDSA public key curve (p256, p384, p521)", check_curve},
        {"ca-crt-file", 0, FLAG_STRING, &a.ca_file, "path to TLS CA certificate file used for validating self-signed certificates"},
        {"private-key-file", 0, FLAG_STRING, &a.key_file, "path to a passwordless private key file used for authenticating to the Git SSH server"},
        {"bearer-token", 0, FLAG_STRING, &a.bearer, "bearer authentication token"},
    };
    static const char help[] =
        "The create secret git command generates a Kubernetes secret with Git credentials.\n"
        "For Git over SSH, the host and SSH keys are automatically generated and stored\nin the secret.\n"
        "For Git over HTTP/S, the provided basic authentication credentials or bearer\n"
        "authentication token are stored in the secret.\n\n"
        "Usage:\n  gotk create secret git [name] [flags]\n\n"
        "Examples:\n  # Create a Git SSH authentication secret using an ECDSA P-521 curve public key\n"
        "  gotk create secret git podinfo-auth \\\n    --url=ssh://git@github.com/stefanprodan/podinfo \\\n"
        "    --ssh-key-algorithm=ecdsa \\\n    --ssh-ecdsa-curve=p521\n\n"
        "  # Create a secret for a Git repository using basic authentication\n"
        "  gotk create secret git podinfo-auth \\\n    --url=https://github.com/stefanprodan/podinfo \\\n"
        "    --username=username \\\n    --password=password\n\n"
        "  # Create a Git SSH secret on disk\n"
        "  gotk create secret git podinfo-auth \\\n    --url=ssh://git@github.com/stefanprodan/podinfo \\\n"
        "    --export > podinfo-auth.yaml\n";
    cli_cmdline cl;
    const char *name = NULL;
    json_object *meta = NULL, *data = json_object_new_object();
    gotk_err *e = create_parse(&cl, &g, &ca, own, NFLAGS(own), argc, argv, help, &name);
    if (!e && !cl.help)
        e = create_object_meta(name, g.namespace_, &ca.labels, &meta);
    if (!e && !cl.help)
        e = git_secret(&a, data);
    int rc = 0;
    if (e) {
        rc = create_fail(e);
        json_object_put(meta);
    } else if (!cl.help) {
        json_object *s = json_object_new_object();
        json_object_object_add(s, "apiVersion", create_jstr("v1"));
        json_object_object_add(s, "kind", create_jstr("Secret"));
        json_object_object_add(s, "metadata", meta);
        json_object_object_add(s, "stringData", json_object_get(data));
        if (ca.export_) {
            rc = create_print_export(s);
            putchar('\n');
        } else {
            json_object *pub = json_object_object_get(data, "identity.pub");
            if (pub)
                fprintf(stderr, "✚ deploy key: %s\n", json_object_get_string(pub));
            rc = upsert_secret(&g, s);
        }
        json_object_put(s);
    }
    json_object_put(data);
    cli_cmdline_free(&cl);
    cli_strings_free(&ca.labels);
    return rc;
}

/* gotk create secret git. */
int create_secret(int argc, char **argv)
{
    const char *sub = argc > 0 ? argv[0] : NULL;
    if (!sub || !strcmp(sub, "--help") || !strcmp(sub, "-h")) {
        puts("Create or update Kubernetes secrets\n\nUsage:\n  gotk create secret [command]\n\n"
             "Available Commands:\n  git         Create or update a Kubernetes secret for Git authentication\n");
        return sub ? 0 : 1;
    }
    if (!strcmp(sub, "git"))
        return create_secret_git(argc - 1, argv + 1);
    return cli_fail("unknown command \"%s\" for \"gotk create secret\"", sub);
}
