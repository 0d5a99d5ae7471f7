/*
 * A small Prometheus registry: metric families with label names, series keyed by
 * their label values, rendered in the text exposition format the way Go's
 * client_golang renders it (families sorted by name, series by label values,
 * numbers in Go's shortest 'g' form). One mutex makes it safe from any thread.
 */
#include "gotk/obj.h"
#include "gotk/runtime.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LABELS 8

typedef struct {
    char **values;   /* one per label */
    double value;    /* counter/gauge; histogram sum */
    uint64_t count;  /* histogram */
    uint64_t *hits;  /* histogram: per bucket (not cumulative) */
} series;

typedef struct {
    char *name, *help;
    gotk_metric_type type;
    char *labels[MAX_LABELS];
    size_t nlabels;
    double *buckets;
    size_t nbuckets;
    series *series;
    size_t nseries, cap;
} family;

struct gotk_metrics {
    pthread_mutex_t mu;
    family *families;
    size_t nfamilies;
};

gotk_metrics *gotk_metrics_new(void)
{
    gotk_metrics *m = gotk_xcalloc(1, sizeof *m);
    pthread_mutex_init(&m->mu, NULL);
    return m;
}

static void series_free(const family *f, series *s)
{
    for (size_t i = 0; i < f->nlabels; i++)
        free(s->values[i]);
    free(s->values);
    free(s->hits);
}

void gotk_metrics_free(gotk_metrics *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nfamilies; i++) {
        family *f = &m->families[i];
        for (size_t k = 0; k < f->nseries; k++)
            series_free(f, &f->series[k]);
        for (size_t k = 0; k < f->nlabels; k++)
            free(f->labels[k]);
        free(f->series);
        free(f->buckets);
        free(f->name);
        free(f->help);
    }
    free(m->families);
    pthread_mutex_destroy(&m->mu);
    free(m);
}

void gotk_metrics_define(gotk_metrics *m, const char *name, const char *help,
                         gotk_metric_type type, const char *const *labels,
                         const double *buckets, size_t nbuckets)
{
    pthread_mutex_lock(&m->mu);
    m->families = gotk_xrealloc(m->families, (m->nfamilies + 1) * sizeof *m->families);
    family *f = &m->families[m->nfamilies++];
    memset(f, 0, sizeof *f);
    f->name = gotk_xstrdup(name);
    f->help = gotk_xstrdup(help);
    f->type = type;
    for (; labels && labels[f->nlabels] && f->nlabels < MAX_LABELS; f->nlabels++)
        f->labels[f->nlabels] = gotk_xstrdup(labels[f->nlabels]);
    if (type == GOTK_METRIC_HISTOGRAM && nbuckets) {
        f->buckets = gotk_xmalloc(nbuckets * sizeof *f->buckets);
        memcpy(f->buckets, buckets, nbuckets * sizeof *f->buckets);
        f->nbuckets = nbuckets;
    }
    pthread_mutex_unlock(&m->mu);
}

static family *find_family(gotk_metrics *m, const char *name)
{
    for (size_t i = 0; i < m->nfamilies; i++)
        if (!strcmp(m->families[i].name, name))
            return &m->families[i];
    return NULL;
}

static bool values_match(const family *f, const series *s, const char *const *values)
{
    for (size_t i = 0; i < f->nlabels; i++)
        if (strcmp(s->values[i], values[i] ? values[i] : "") != 0)
            return false;
    return true;
}

/* The series with these label values, created when `create`. */
static series *find_series(family *f, const char *const *values, bool create)
{
    for (size_t i = 0; i < f->nseries; i++)
        if (values_match(f, &f->series[i], values))
            return &f->series[i];
    if (!create)
        return NULL;
    if (f->nseries == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 8;
        f->series = gotk_xrealloc(f->series, f->cap * sizeof *f->series);
    }
    series *s = &f->series[f->nseries++];
    memset(s, 0, sizeof *s);
    s->values = gotk_xcalloc(f->nlabels ? f->nlabels : 1, sizeof *s->values);
    for (size_t i = 0; i < f->nlabels; i++)
        s->values[i] = gotk_xstrdup(values[i] ? values[i] : "");
    if (f->type == GOTK_METRIC_HISTOGRAM)
        s->hits = gotk_xcalloc(f->nbuckets + 1, sizeof *s->hits);
    return s;
}

/* Apply op to one series: 0 add, 1 set, 2 observe. */
static void update(gotk_metrics *m, const char *name, const char *const *values, double v, int op)
{
    pthread_mutex_lock(&m->mu);
    family *f = find_family(m, name);
    series *s = f ? find_series(f, values, true) : NULL;
    if (s && op == 0)
        s->value += v;
    else if (s && op == 1)
        s->value = v;
    else if (s && op == 2 && f->type == GOTK_METRIC_HISTOGRAM) {
        size_t b = 0;
        while (b < f->nbuckets && v > f->buckets[b])
            b++;
        s->hits[b]++;
        s->count++;
        s->value += v;
    }
    pthread_mutex_unlock(&m->mu);
}

void gotk_metrics_add(gotk_metrics *m, const char *name, const char *const *values, double v)
{
    update(m, name, values, v, 0);
}

void gotk_metrics_set(gotk_metrics *m, const char *name, const char *const *values, double v)
{
    update(m, name, values, v, 1);
}

void gotk_metrics_observe(gotk_metrics *m, const char *name, const char *const *values,
                          double v)
{
    update(m, name, values, v, 2);
}

void gotk_metrics_delete(gotk_metrics *m, const char *name, const char *const *values)
{
    pthread_mutex_lock(&m->mu);
    family *f = find_family(m, name);
    series *s = f ? find_series(f, values, false) : NULL;
    if (s) {
        series_free(f, s);
        size_t i = (size_t)(s - f->series);
        memmove(s, s + 1, (f->nseries - i - 1) * sizeof *s);
        f->nseries--;
    }
    pthread_mutex_unlock(&m->mu);
}

static void put_number(gotk_buf *out, double v)
{
    char num[32];
    if (isinf(v))
        gotk_buf_puts(out, v > 0 ? "+Inf" : "-Inf");
    else
        gotk_buf_puts(out, gotk_go_float_g(v, num));
}

/* {a="x",b="y"} with an optional extra label (le for buckets). */
static void put_labels(gotk_buf *out, const family *f, const series *s, const char *extra,
                       double extra_v)
{
    if (!f->nlabels && !extra)
        return;
    gotk_buf_putc(out, '{');
    for (size_t i = 0; i < f->nlabels; i++) {
        gotk_buf_printf(out, "%s%s=\"", i ? "," : "", f->labels[i]);
        for (const char *c = s->values[i]; *c; c++) {
            if (*c == '\\' || *c == '"')
                gotk_buf_putc(out, '\\');
            if (*c == '\n')
                gotk_buf_puts(out, "\\n");
            else
                gotk_buf_putc(out, *c);
        }
        gotk_buf_putc(out, '"');
    }
    if (extra) {
        gotk_buf_printf(out, "%s%s=\"", f->nlabels ? "," : "", extra);
        put_number(out, extra_v);
        gotk_buf_putc(out, '"');
    }
    gotk_buf_putc(out, '}');
}

static void render_histogram(gotk_buf *out, const family *f, const series *s)
{
    uint64_t cum = 0;
    for (size_t b = 0; b <= f->nbuckets; b++) {
        cum += s->hits[b];
        gotk_buf_printf(out, "%s_bucket", f->name);
        put_labels(out, f, s, "le", b < f->nbuckets ? f->buckets[b] : INFINITY);
        gotk_buf_printf(out, " %llu\n", (unsigned long long)cum);
    }
    gotk_buf_printf(out, "%s_sum", f->name);
    put_labels(out, f, s, NULL, 0);
    gotk_buf_putc(out, ' ');
    put_number(out, s->value);
    gotk_buf_printf(out, "\n%s_count", f->name);
    put_labels(out, f, s, NULL, 0);
    gotk_buf_printf(out, " %llu\n", (unsigned long long)s->count);
}

static size_t sort_nlabels;
static int series_cmp(const void *x, const void *y)
{
    const series *a = x, *b = y;
    for (size_t i = 0; i < sort_nlabels; i++) {
        int c = strcmp(a->values[i], b->values[i]);
        if (c)
            return c;
    }
    return 0;
}

static int family_cmp(const void *x, const void *y)
{
    return strcmp(((const family *)x)->name, ((const family *)y)->name);
}

void gotk_metrics_render(gotk_metrics *m, gotk_buf *out)
{
    static const char *types[] = {"counter", "gauge", "histogram"};
    pthread_mutex_lock(&m->mu);
    qsort(m->families, m->nfamilies, sizeof *m->families, family_cmp);
    for (size_t i = 0; i < m->nfamilies; i++) {
        family *f = &m->families[i];
        if (!f->nseries)
            continue;
        sort_nlabels = f->nlabels; /* safe: under the registry mutex */
        qsort(f->series, f->nseries, sizeof *f->series, series_cmp);
        gotk_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", f->name, f->help, f->name,
                        types[f->type]);
        for (size_t k = 0; k < f->nseries; k++) {
            series *s = &f->series[k];
            if (f->type == GOTK_METRIC_HISTOGRAM) {
                render_histogram(out, f, s);
                continue;
            }
            gotk_buf_puts(out, f->name);
            put_labels(out, f, s, NULL, 0);
            gotk_buf_putc(out, ' ');
            put_number(out, s->value);
            gotk_buf_putc(out, '\n');
        }
    }
    pthread_mutex_unlock(&m->mu);
}

/* client_golang's ExponentialBucketsRange, multiplied up step by step as it does. */
static void exponential_buckets_range(double min, double max, size_t count, double *out)
{
    double growth = pow(max / min, 1.0 / (double)(count - 1));
    for (size_t i = 0; i < count; i++) {
        out[i] = min;
        min *= growth;
    }
}

void gotk_metrics_define_flux(gotk_metrics *m)
{
    static const char *cond_labels[] = {"kind", "name", "namespace", "type", "status", NULL};
    static const char *obj_labels[] = {"kind", "name", "namespace", NULL};
    static const char *ctrl_labels[] = {"controller", "result", NULL};
    static const char *queue_labels[] = {"name", NULL};
    double buckets[10];
    exponential_buckets_range(10e-3, 1800, 10, buckets);
    gotk_metrics_define(m, "gotk_reconcile_condition",
                        "The current condition status of a GitOps Toolkit resource reconciliation.",
                        GOTK_METRIC_GAUGE, cond_labels, NULL, 0);
    gotk_metrics_define(m, "gotk_suspend_status",
                        "The current suspend status of a GitOps Toolkit resource.",
                        GOTK_METRIC_GAUGE, obj_labels, NULL, 0);
    gotk_metrics_define(m, "gotk_reconcile_duration_seconds",
                        "The duration in seconds of a GitOps Toolkit resource reconciliation.",
                        GOTK_METRIC_HISTOGRAM, obj_labels, buckets, 10);
    gotk_metrics_define(m, "controller_runtime_reconcile_total",
                        "Total number of reconciliations per controller",
                        GOTK_METRIC_COUNTER, ctrl_labels, NULL, 0);
    gotk_metrics_define(m, "workqueue_depth", "Current depth of workqueue",
                        GOTK_METRIC_GAUGE, queue_labels, NULL, 0);
}

void gotk_metrics_record_ready(gotk_metrics *m, const char *kind, const char *ns,
                               const char *name, const char *status)
{
    static const char *statuses[] = {"True", "False", "Unknown"};
    for (size_t i = 0; i < 3; i++) {
        const char *v[] = {kind, name, ns, "Ready", statuses[i]};
        gotk_metrics_set(m, "gotk_reconcile_condition", v,
                         status && !strcmp(status, statuses[i]) ? 1 : 0);
    }
}

void gotk_metrics_record_suspend(gotk_metrics *m, const char *kind, const char *ns,
                                 const char *name, bool suspended)
{
    const char *v[] = {kind, name, ns};
    gotk_metrics_set(m, "gotk_suspend_status", v, suspended ? 1 : 0);
}

void gotk_metrics_record_duration(gotk_metrics *m, const char *kind, const char *ns,
                                  const char *name, double seconds)
{
    const char *v[] = {kind, name, ns};
    gotk_metrics_observe(m, "gotk_reconcile_duration_seconds", v, seconds);
}
