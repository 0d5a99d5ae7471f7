/*
 * The command-line flags every controller takes, named and defaulted as Flux's
 * controllers name them, plus the controller's own. `--name value` and
 * `--name=value` both work; booleans may stand alone.
 */
#include "gotk/runtime.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gotk_runtime_opts_default(gotk_runtime_opts *o)
{
    memset(o, 0, sizeof *o);
    o->concurrent = 4;
    o->requeue_dependency = 30 * GOTK_SECOND;
    o->watch_all_namespaces = true;
    o->log_level = GOTK_LOG_INFO;
    o->log_encoding = GOTK_LOG_JSON;
    o->min_retry_delay = 750 * GOTK_MS;
    o->max_retry_delay = 15 * GOTK_MINUTE;
    o->lease_duration = 35 * GOTK_SECOND;
    o->renew_deadline = 30 * GOTK_SECOND;
    o->retry_period = 5 * GOTK_SECOND;
    o->metrics_addr = ":8080";
    o->health_addr = ":9440";
    o->kube_api_qps = 50;
    o->kube_api_burst = 300;
    o->jitter_percent = 5;
    o->graceful_shutdown = 30 * GOTK_SECOND;
}

gotk_err *gotk_flag_string(const char *value, void *target)
{
    if (!value)
        return gotk_err_new(GOTK_E_INVALID, "needs a value");
    *(const char **)target = value;
    return NULL;
}

gotk_err *gotk_flag_int(const char *value, void *target)
{
    char *end;
    errno = 0;
    long v = value ? strtol(value, &end, 10) : 0;
    if (!value || !*value || *end || errno || v < -2147483647 || v > 2147483647)
        return gotk_err_new(GOTK_E_INVALID, "invalid integer \"%s\"", value ? value : "");
    *(int *)target = (int)v;
    return NULL;
}

gotk_err *gotk_flag_double(const char *value, void *target)
{
    char *end;
    double v = value ? strtod(value, &end) : 0;
    if (!value || !*value || *end)
        return gotk_err_new(GOTK_E_INVALID, "invalid number \"%s\"", value ? value : "");
    *(double *)target = v;
    return NULL;
}

gotk_err *gotk_flag_bool(const char *value, void *target)
{
    if (!value || !strcmp(value, "true") || !strcmp(value, "1"))
        *(bool *)target = true;
    else if (!strcmp(value, "false") || !strcmp(value, "0"))
        *(bool *)target = false;
    else
        return gotk_err_new(GOTK_E_INVALID, "invalid boolean \"%s\"", value);
    return NULL;
}

gotk_err *gotk_flag_duration(const char *value, void *target)
{
    if (!value)
        return gotk_err_new(GOTK_E_INVALID, "needs a value");
    return gotk_duration_parse(value, target);
}

static gotk_err *flag_log_level(const char *value, void *target)
{
    if (!value)
        return gotk_err_new(GOTK_E_INVALID, "needs a value");
    return gotk_log_level_parse(value, target);
}

static gotk_err *flag_log_encoding(const char *value, void *target)
{
    if (value && !strcmp(value, "json"))
        *(gotk_log_encoding *)target = GOTK_LOG_JSON;
    else if (value && !strcmp(value, "console"))
        *(gotk_log_encoding *)target = GOTK_LOG_CONSOLE;
    else
        return gotk_err_new(GOTK_E_INVALID, "must be json or console");
    return NULL;
}

/* The common flags, bound to `o`. Returns how many were written to `out`. */
static size_t common_flags(gotk_runtime_opts *o, gotk_flag *out)
{
    const gotk_flag f[] = {
        {"kubeconfig", "Path to a kubeconfig.", false, gotk_flag_string, &o->kubeconfig},
        {"concurrent", "The number of concurrent reconciles.", false, gotk_flag_int, &o->concurrent},
        {"requeue-dependency", "The interval at which failing dependencies are reevaluated.",
         false, gotk_flag_duration, &o->requeue_dependency},
        {"watch-all-namespaces", "Watch for custom resources in all namespaces.", true,
         gotk_flag_bool, &o->watch_all_namespaces},
        {"watch-label-selector", "Watch for resources with matching labels.", false,
         gotk_flag_string, &o->watch_label_selector},
        {"log-level", "Log verbosity: debug, info or error.", false, flag_log_level, &o->log_level},
        {"log-encoding", "Log encoding format: json or console.", false, flag_log_encoding,
         &o->log_encoding},
        {"min-retry-delay", "The minimum amount of time to wait before retrying.", false,
         gotk_flag_duration, &o->min_retry_delay},
        {"max-retry-delay", "The maximum amount of time to wait before retrying.", false,
         gotk_flag_duration, &o->max_retry_delay},
        {"enable-leader-election", "Enable leader election (alias of --leader-elect).", true,
         gotk_flag_bool, &o->leader_elect},
        {"leader-elect", "Enable leader election.", true, gotk_flag_bool, &o->leader_elect},
        {"leader-election-lease-duration", "Lease duration.", false, gotk_flag_duration,
         &o->lease_duration},
        {"leader-election-renew-deadline", "Renew deadline.", false, gotk_flag_duration,
         &o->renew_deadline},
        {"leader-election-retry-period", "Retry period.", false, gotk_flag_duration,
         &o->retry_period},
        {"leader-election-namespace", "Namespace of the leader election Lease.", false,
         gotk_flag_string, &o->leader_election_namespace},
        {"metrics-addr", "The address the metric endpoint binds to.", false, gotk_flag_string,
         &o->metrics_addr},
        {"health-addr", "The address the health endpoint binds to.", false, gotk_flag_string,
         &o->health_addr},
        {"kube-api-qps", "The maximum queries-per-second of requests to the API server.", false,
         gotk_flag_double, &o->kube_api_qps},
        {"kube-api-burst", "The maximum burst of requests to the API server.", false,
         gotk_flag_int, &o->kube_api_burst},
        {"interval-jitter-percentage", "Percentage of jitter applied to interval durations.",
         false, gotk_flag_int, &o->jitter_percent},
        {"graceful-shutdown-timeout", "How long in-flight reconciles may take on SIGTERM.", false,
         gotk_flag_duration, &o->graceful_shutdown},
    };
    memcpy(out, f, sizeof f);
    return sizeof f / sizeof f[0];
}

static const gotk_flag *find_flag(const gotk_flag *flags, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(flags[i].name) == len && !strncmp(flags[i].name, name, len))
            return &flags[i];
    return NULL;
}

static void print_help(const char *prog, const gotk_flag *flags, size_t n)
{
    printf("Usage of %s:\n", prog);
    for (size_t i = 0; i < n; i++)
        printf("      --%-34s %s\n", flags[i].name, flags[i].help);
}

/* One argument at argv[*i]; consumes a separate value when needed. */
static gotk_err *parse_one(int argc, char **argv, int *i, const gotk_flag *flags, size_t n)
{
    const char *arg = argv[*i];
    const char *name = arg + (arg[1] == '-' ? 2 : 1);
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const gotk_flag *f = find_flag(flags, n, name, len);
    if (!f)
        return gotk_err_new(GOTK_E_INVALID, "unknown flag: --%.*s", (int)len, name);
    const char *value = eq ? eq + 1 : NULL;
    if (!value && !f->is_bool) {
        if (*i + 1 >= argc)
            return gotk_err_new(GOTK_E_INVALID, "flag needs an argument: --%s", f->name);
        value = argv[++*i];
    }
    gotk_err *e = f->set(value, f->target);
    return e ? gotk_err_wrap(e, "invalid argument for --%s", f->name) : NULL;
}

gotk_err *gotk_runtime_parse_flags(int argc, char **argv, gotk_runtime_opts *o,
                                   const gotk_flag *extra, size_t nextra, bool *help)
{
    gotk_flag flags[64];
    size_t n = common_flags(o, flags);
    for (size_t i = 0; i < nextra && n < 64; i++)
        flags[n++] = extra[i];
    *help = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            print_help(argv[0], flags, n);
            *help = true;
            return NULL;
        }
        if (argv[i][0] != '-')
            return gotk_err_new(GOTK_E_INVALID, "unexpected argument \"%s\"", argv[i]);
        gotk_err *e = parse_one(argc, argv, &i, flags, n);
        if (e)
            return e;
    }
    if (o->concurrent < 1)
        return gotk_err_new(GOTK_E_INVALID, "invalid argument for --concurrent: must be at least 1");
    if (o->jitter_percent < 0 || o->jitter_percent >= 100)
        return gotk_err_new(GOTK_E_INVALID,
                            "the interval jitter percentage must be a non-negative value and less than 100");
    return NULL;
}
