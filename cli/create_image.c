/*
 * gotk create image repository|policy|update: ImageRepository, ImagePolicy and
 * ImageUpdateAutomation objects (image.toolkit.fluxcd.io/v1) built from flags as
 * `flux create image ...` builds them, with flux's checks (Go regexp syntax of
 * --filter-regex and the capture groups --filter-extract uses).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "create.h"
#include "gotk/regex.h"

/* A flag given with a non-empty value. */
static bool given(const char *s)
{
    return s && *s;
}

/* ---- repository -------------------------------------------------------------- */

typedef struct {
    const char *image, *secret_ref, *cert_ref;
    gotk_duration scan_timeout;
} repo_args;

/* A repository reference as go-containerregistry's name.NewRepository accepts it. */
static gotk_err *check_image(const char *image)
{
    const char *slash = strchr(image, '/');
    const char *path = image;
    if (slash && (memchr(image, '.', (size_t)(slash - image)) || memchr(image, ':', (size_t)(slash - image)) ||
                  !strncmp(image, "localhost/", 10)))
        path = slash + 1;
    if (!*path)
        return gotk_err_new(GOTK_E_INVALID, "unable to parse image value: a repository name must be specified");
    for (const char *p = path; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || strchr("_-./", *p)))
            return gotk_err_new(GOTK_E_INVALID, "unable to parse image value: repository can only contain the "
                                                "characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: %s", path);
    return NULL;
}

/* The ImageRepository spec, or flux's error. */
static gotk_err *repo_spec(void *args, const create_args *ca, json_object **out)
{
    const repo_args *a = args;
    if (!given(a->image))
        return gotk_err_new(GOTK_E_INVALID, "an image repository (--image) is required");
    gotk_err *e = check_image(a->image);
    if (e)
        return e;
    json_object *spec = json_object_new_object();
    json_object_object_add(spec, "image", create_jstr(a->image));
    json_object_object_add(spec, "interval", create_jduration(ca->interval));
    if (a->scan_timeout)
        json_object_object_add(spec, "timeout", create_jduration(a->scan_timeout));
    if (given(a->secret_ref))
        json_object_object_add(spec, "secretRef", create_name_ref(a->secret_ref));
    if (given(a->cert_ref))
        json_object_object_add(spec, "certSecretRef", create_name_ref(a->cert_ref));
    *out = spec;
    return NULL;
}

/* gotk create image repository NAME. */
static int create_image_repository(int argc, char **argv)
{
    create_args ca = {.interval = GOTK_MINUTE};
    repo_args a = {0};
    const cli_flag own[] = {
        {"image", 0, FLAG_STRING, &a.image, "the image repository to scan; e.g., library/alpine"},
        {"secret-ref", 0, FLAG_STRING, &a.secret_ref, "the name of a docker-registry secret to use for credentials"},
        {"cert-ref", 0, FLAG_STRING, &a.cert_ref, "the name of a secret to use for TLS certificates"},
        {"scan-timeout", 0, FLAG_DURATION, &a.scan_timeout, "a timeout for scanning; this defaults to the interval if not set"},
    };
    static const char help[] =
        "The create image repository command generates an ImageRepository resource.\n"
        "An ImageRepository object specifies an image repository to scan.\n\n"
        "Usage:\n  gotk create image repository [name] [flags]\n\n"
        "Examples:\n  # Create an ImageRepository object to scan the alpine image repository:\n"
        "  gotk create image repository alpine-repo --image alpine --interval 20m\n\n"
        "  # Create an image repository that uses an image pull secret (assumed to\n"
        "  # have been created already):\n"
        "  gotk create image repository myapp-repo \\\n    --secret-ref image-pull \\\n"
        "    --image ghcr.io/example.com/myapp --interval 5m\n";
    return create_run(argc, argv, &ca, own, NFLAGS(own), help, "image.toolkit.fluxcd.io/v1",
                      "ImageRepository", repo_spec, &a);
}

/* ---- policy ------------------------------------------------------------------ */

typedef struct {
    const char *image_ref, *semver, *alpha, *numeric, *filter_regex, *filter_extract, *reflect;
    gotk_duration interval;
} policy_args;

/* The reference at the start of `s` ("$name", "${name}", "$1"): Go's regexp
 * extract. Returns false when malformed; *num is -1 for a name. */
static bool extract_ref(const char *s, char **name, long *num, const char **rest)
{
    if (strlen(s) < 2 || s[0] != '$')
        return false;
    bool brace = s[1] == '{';
    s += brace ? 2 : 1;
    size_t i = 0;
    while (s[i] && (isalnum((unsigned char)s[i]) || s[i] == '_'))
        i++;
    if (i == 0 || (brace && s[i] != '}'))
        return false;
    *name = gotk_xstrndup(s, i);
    *rest = s + i + (brace ? 1 : 0);
    *num = -1;
    bool digits = true;
    for (size_t j = 0; j < i; j++)
        digits = digits && isdigit((unsigned char)s[j]);
    if (digits && i < 9)
        *num = strtol(*name, NULL, 10);
    return true;
}

/* flux's validateExtractStr: every named reference must be a group of `re`. */
static gotk_err *check_extract(const char *tmpl, const gotk_regex *re)
{
    while (*tmpl) {
        const char *d = strchr(tmpl, '$');
        if (!d)
            return NULL;
        if (d[1] == '$') {
            tmpl = d + 2;
            continue;
        }
        char *name;
        long num;
        if (!extract_ref(d, &name, &num, &tmpl))
            return gotk_err_new(GOTK_E_INVALID, "--filter-extract is malformed");
        bool found = num >= 0;
        for (int i = 1; !found && i <= gotk_regex_num_groups(re); i++)
            found = !strcmp(gotk_regex_group_name(re, i), name);
        gotk_err *e = found ? NULL
                            : gotk_err_new(GOTK_E_INVALID, "capture group $%s used in --filter-extract "
                                                           "not found in --filter-regex", name);
        free(name);
        if (e)
            return e;
    }
    return NULL;
}

/* spec.policy: one of semver, alphabetical, numerical. */
static gotk_err *policy_choice(const policy_args *a, json_object **out)
{
    bool s = given(a->semver), al = given(a->alpha), nu = given(a->numeric);
    json_object *choice = json_object_new_object();
    *out = choice;
    if ((s && al) || (s && nu))
        return NULL; /* flux's switch ends without a policy here */
    if (al && nu)
        return gotk_err_new(GOTK_E_INVALID, "only one of --select-semver, --select-alpha or --select-numeric can be specified");
    const char *key = s ? "semver" : al ? "alphabetical" : nu ? "numerical" : NULL;
    if (!key)
        return gotk_err_new(GOTK_E_INVALID, "a policy must be provided with either --select-semver or --select-alpha");
    const char *order = al ? a->alpha : a->numeric;
    if (!s && strcmp(order, "asc") && strcmp(order, "desc"))
        return gotk_err_new(GOTK_E_INVALID, "--select-%s must be one of [\"asc\", \"desc\"]", al ? "alpha" : "numeric");
    json_object *p = json_object_new_object();
    json_object_object_add(p, s ? "range" : "order", create_jstr(s ? a->semver : order));
    json_object_object_add(choice, key, p);
    return NULL;
}

/* spec.filterTags from --filter-regex and --filter-extract. */
static gotk_err *policy_filter(const policy_args *a, json_object **out)
{
    *out = NULL;
    if (!given(a->filter_regex)) {
        if (given(a->filter_extract))
            return gotk_err_new(GOTK_E_INVALID, "cannot specify --filter-extract without specifying --filter-regex");
        return NULL;
    }
    gotk_regex *re = NULL;
    gotk_err *e = gotk_regex_compile(a->filter_regex, &re);
    if (e) {
        gotk_err_free(e);
        return gotk_err_new(GOTK_E_INVALID, "--filter-regex is an invalid regex pattern");
    }
    if (given(a->filter_extract))
        e = check_extract(a->filter_extract, re);
    gotk_regex_free(re);
    if (e)
        return e;
    json_object *f = json_object_new_object();
    json_object_object_add(f, "pattern", create_jstr(a->filter_regex));
    json_object_object_add(f, "extract", create_jstr(given(a->filter_extract) ? a->filter_extract : ""));
    *out = f;
    return NULL;
}

/* The ImagePolicy spec, or flux's error. */
static gotk_err *policy_spec(void *args, const create_args *ca, json_object **out)
{
    (void)ca;
    const policy_args *a = args;
    if (!given(a->image_ref))
        return gotk_err_new(GOTK_E_INVALID, "the name of an ImageRepository in the namespace is required (--image-ref)");
    json_object *choice = NULL, *filter = NULL;
    gotk_err *e = policy_choice(a, &choice);
    if (!e)
        e = policy_filter(a, &filter);
    if (!e && given(a->reflect) && strcmp(a->reflect, "Never") && strcmp(a->reflect, "IfNotPresent") &&
        strcmp(a->reflect, "Always"))
        e = gotk_err_new(GOTK_E_INVALID, "invalid value for --reflect-digest, must be one of 'Never', 'IfNotPresent', 'Always'");
    if (!e && a->interval && (!a->reflect || strcmp(a->reflect, "Always")))
        e = gotk_err_new(GOTK_E_INVALID, "the --interval flag can only be used with the 'Always' digest "
                                         "reflection policy, use --reflect-digest=Always");
    if (e) {
        json_object_put(choice);
        json_object_put(filter);
        return e;
    }
    json_object *spec = json_object_new_object();
    json_object_object_add(spec, "imageRepositoryRef", create_name_ref(a->image_ref));
    json_object_object_add(spec, "policy", choice);
    if (filter)
        json_object_object_add(spec, "filterTags", filter);
    if (given(a->reflect))
        json_object_object_add(spec, "digestReflectionPolicy", create_jstr(a->reflect));
    if (a->interval)
        json_object_object_add(spec, "interval", create_jduration(a->interval));
    *out = spec;
    return NULL;
}

/* gotk create image policy NAME (its --interval is the digest reflection interval). */
static int create_image_policy(int argc, char **argv)
{
    create_args ca = {.interval = GOTK_MINUTE};
    policy_args a = {0};
    cli_flag own[] = {
        {"image-ref", 0, FLAG_STRING, &a.image_ref, "the name of an image repository object"},
        {"select-semver", 0, FLAG_STRING, &a.semver, "a semver range to apply to tags; e.g., '1.x'"},
        {"select-alpha", 0, FLAG_STRING, &a.alpha, "use alphabetical sorting to select image; either \"asc\" meaning select the last, or \"desc\" meaning select the first"},
        {"select-numeric", 0, FLAG_STRING, &a.numeric, "use numeric sorting to select image; either \"asc\" meaning select the last, or \"desc\" meaning select the first"},
        {"filter-regex", 0, FLAG_STRING, &a.filter_regex, "regular expression pattern used to filter the image tags"},
        {"filter-extract", 0, FLAG_STRING, &a.filter_extract, "replacement pattern (using capture groups from --filter-regex) to use for sorting"},
        {"reflect-digest", 0, FLAG_STRING, &a.reflect, "the digest reflection policy to use when observing latest image tags (one of 'Never', 'IfNotPresent', 'Never')"},
    };
    static const char help[] =
        "The create image policy command generates an ImagePolicy resource.\n"
        "An ImagePolicy object gives rules for selecting a \"latest\" image from an image repository.\n\n"
        "Usage:\n  gotk create image policy [name] [flags]\n\n"
        "Examples:\n  # Create an ImagePolicy to select the latest stable release\n"
        "  gotk create image policy podinfo \\\n    --image-ref=podinfo \\\n    --select-semver=\">=1.0.0\"\n\n"
        "  # Create an ImagePolicy to select the latest main branch build tagged as\n"
        "  # \"${GIT_BRANCH}-${GIT_SHA:0:7}-$(date +%s)\"\n"
        "  gotk create image policy podinfo \\\n    --image-ref=podinfo \\\n    --select-numeric=asc \\\n"
        "\t--filter-regex='^main-[a-f0-9]+-(?P<ts>[0-9]+)' \\\n\t--filter-extract='$ts'\n";
    /* The policy's --interval is its own (digest reflection), not the create flag. */
    cli_globals g;
    cli_globals_default(&g);
    cli_flag all[16];
    size_t n = 0;
    memcpy(all, own, sizeof own);
    n = NFLAGS(own);
    all[n++] = (cli_flag){"interval", 0, FLAG_DURATION, &a.interval,
                          "the interval at which to check for new image digests when the policy is set to 'Always'"};
    all[n++] = (cli_flag){"export", 0, FLAG_BOOL, &ca.export_, "export in YAML format to stdout"};
    all[n++] = (cli_flag){"label", 0, FLAG_STRINGS, &ca.labels,
                          "set labels on the resource (can specify multiple labels with commas: label1=value1,label2=value2)"};
    cli_cmdline cl;
    gotk_err *e = cli_cmdline_parse(&cl, &g, all, n, argc, argv, help);
    const char *name = cl.npos > 0 ? cl.pos[0] : NULL;
    if (!e && !cl.help && !name)
        e = gotk_err_new(GOTK_E_INVALID, "name is required");
    else if (!e && !cl.help && !create_valid_name(name))
        e = gotk_err_new(GOTK_E_INVALID, "name '%s' is invalid, it should adhere to standard defined in RFC 1123, "
                                         "the name can only contain alphanumeric characters or '-'", name);
    json_object *spec = NULL, *meta = NULL;
    if (!e && !cl.help)
        e = create_object_meta(name, g.namespace_, &ca.labels, &meta);
    if (!e && !cl.help && (e = policy_spec(&a, &ca, &spec)))
        json_object_put(meta);
    int rc = 0;
    if (e)
        rc = create_fail(e);
    else if (!cl.help)
        rc = create_finish(&g, &ca, create_new_object("image.toolkit.fluxcd.io/v1", "ImagePolicy", meta, spec));
    cli_cmdline_free(&cl);
    cli_strings_free(&ca.labels);
    return rc;
}

/* ---- update ------------------------------------------------------------------ */

typedef struct {
    const char *repo, *repo_ns, *repo_path, *checkout, *push, *tmpl, *author_name, *author_email;
    const char *signing_secret, *signing_type;
} update_args;

/* flux's checks of the create image update flags. */
static gotk_err *update_check(const update_args *a)
{
    if (!given(a->repo))
        return gotk_err_new(GOTK_E_INVALID, "a reference to a GitRepository is required (--git-repo-ref)");
    if (!given(a->checkout))
        return gotk_err_new(GOTK_E_INVALID, "the Git repository branch is required (--checkout-branch)");
    if (!given(a->author_name))
        return gotk_err_new(GOTK_E_INVALID, "the author name is required (--author-name)");
    if (!given(a->author_email))
        return gotk_err_new(GOTK_E_INVALID, "the author email is required (--author-email)");
    if (given(a->signing_type) && !given(a->signing_secret))
        return gotk_err_new(GOTK_E_INVALID, "--signing-key-type requires --signing-key-secret");
    if (given(a->signing_type) && strcmp(a->signing_type, "gpg") && strcmp(a->signing_type, "ssh"))
        return gotk_err_new(GOTK_E_INVALID, "--signing-key-type must be one of: gpg, ssh");
    return NULL;
}

/* spec.git: checkout, commit (author, signing key, template), push. */
static json_object *update_git(const update_args *a)
{
    json_object *ref = json_object_new_object();
    json_object_object_add(ref, "branch", create_jstr(a->checkout));
    json_object *checkout = json_object_new_object();
    json_object_object_add(checkout, "ref", ref);
    json_object *author = json_object_new_object();
    json_object_object_add(author, "name", create_jstr(a->author_name));
    json_object_object_add(author, "email", create_jstr(a->author_email));
    json_object *commit = json_object_new_object();
    json_object_object_add(commit, "author", author);
    if (given(a->tmpl))
        json_object_object_add(commit, "messageTemplate", create_jstr(a->tmpl));
    if (given(a->signing_secret)) {
        json_object *sk = json_object_new_object();
        json_object_object_add(sk, "secretRef", create_name_ref(a->signing_secret));
        if (given(a->signing_type))
            json_object_object_add(sk, "type", create_jstr(a->signing_type));
        json_object_object_add(commit, "signingKey", sk);
    }
    json_object *git = json_object_new_object();
    json_object_object_add(git, "checkout", checkout);
    json_object_object_add(git, "commit", commit);
    if (given(a->push)) {
        json_object *push = json_object_new_object();
        json_object_object_add(push, "branch", create_jstr(a->push));
        json_object_object_add(git, "push", push);
    }
    return git;
}

/* The ImageUpdateAutomation spec, or flux's error. */
static gotk_err *update_spec(void *args, const create_args *ca, json_object **out)
{
    const update_args *a = args;
    gotk_err *e = update_check(a);
    if (e)
        return e;
    json_object *spec = json_object_new_object();
    json_object *src = json_object_new_object();
    json_object_object_add(src, "kind", create_jstr("GitRepository"));
    json_object_object_add(src, "name", create_jstr(a->repo));
    if (given(a->repo_ns))
        json_object_object_add(src, "namespace", create_jstr(a->repo_ns));
    json_object_object_add(spec, "sourceRef", src);
    json_object_object_add(spec, "git", update_git(a));
    json_object_object_add(spec, "interval", create_jduration(ca->interval));
    if (given(a->repo_path)) {
        json_object *u = json_object_new_object();
        json_object_object_add(u, "path", create_jstr(a->repo_path));
        json_object_object_add(u, "strategy", create_jstr("Setters"));
        json_object_object_add(spec, "update", u);
    }
    *out = spec;
    return NULL;
}

/* gotk create image update NAME. */
static int create_image_update(int argc, char **argv)
{
    create_args ca = {.interval = GOTK_MINUTE};
    update_args a = {0};
    const cli_flag own[] = {
        {"git-repo-ref", 0, FLAG_STRING, &a.repo, "the name of a GitRepository resource with details of the upstream Git repository"},
        {"git-repo-namespace", 0, FLAG_STRING, &a.repo_ns, "the namespace of the GitRepository resource, defaults to the ImageUpdateAutomation namespace"},
        {"git-repo-path", 0, FLAG_STRING, &a.repo_path, "path to the directory containing the manifests to be updated, defaults to the repository root"},
        {"checkout-branch", 0, FLAG_STRING, &a.checkout, "the branch to checkout"},
        {"push-branch", 0, FLAG_STRING, &a.push, "the branch to push commits to, defaults to the checkout branch if not specified"},
        {"commit-template", 0, FLAG_STRING, &a.tmpl, "a template for commit messages"},
        {"author-name", 0, FLAG_STRING, &a.author_name, "the name to use for commit author"},
        {"author-email", 0, FLAG_STRING, &a.author_email, "the email to use for commit author"},
        {"signing-key-secret", 0, FLAG_STRING, &a.signing_secret, "name of the Secret containing the signing key referenced in spec.git.commit.signingKey"},
        {"signing-key-type", 0, FLAG_STRING, &a.signing_type, "signing-key format: gpg or ssh (defaults to gpg when --signing-key-secret is set)"},
    };
    static const char help[] =
        "The create image update command generates an ImageUpdateAutomation resource.\n"
        "An ImageUpdateAutomation object specifies an automated update to images\n"
        "mentioned in YAMLs in a git repository.\n\n"
        "Usage:\n  gotk create image update [name] [flags]\n\n"
        "Examples:\n  # Configure image updates for the main repository created by gotk bootstrap\n"
        "  gotk create image update flux-system \\\n    --git-repo-ref=flux-system \\\n"
        "    --git-repo-path=\"./clusters/my-cluster\" \\\n    --checkout-branch=main \\\n"
        "    --author-name=flux \\\n    --author-email=flux@example.com \\\n"
        "    --commit-template=\"{{range .Updated.Images}}{{println .}}{{end}}\"\n\n"
        "  # Configure image updates to push changes to a different branch, if the branch doesn't exists it will be created\n"
        "  gotk create image update flux-system \\\n    --git-repo-ref=flux-system \\\n"
        "    --git-repo-path=\"./clusters/my-cluster\" \\\n    --checkout-branch=main \\\n"
        "    --push-branch=image-updates \\\n    --author-name=flux \\\n    --author-email=flux@example.com \\\n"
        "    --commit-template=\"{{range .Updated.Images}}{{println .}}{{end}}\"\n";
    return create_run(argc, argv, &ca, own, NFLAGS(own), help, "image.toolkit.fluxcd.io/v1",
                      "ImageUpdateAutomation", update_spec, &a);
}

/* gotk create image repository|policy|update. */
int create_image(int argc, char **argv)
{
    const char *sub = argc > 0 ? argv[0] : NULL;
    if (!sub || !strcmp(sub, "--help") || !strcmp(sub, "-h")) {
        puts("Create or update resources dealing with image automation\n\nUsage:\n  gotk create image [command]\n\n"
             "Available Commands:\n  policy      Create or update an ImagePolicy object\n"
             "  repository  Create or update an ImageRepository object\n"
             "  update      Create or update an ImageUpdateAutomation object\n");
        return sub ? 0 : 1;
    }
    if (!strcmp(sub, "repository"))
        return create_image_repository(argc - 1, argv + 1);
    if (!strcmp(sub, "policy"))
        return create_image_policy(argc - 1, argv + 1);
    if (!strcmp(sub, "update"))
        return create_image_update(argc - 1, argv + 1);
    return cli_fail("unknown command \"%s\" for \"gotk create image\"", sub);
}
