/*
 * yaml_bench: throughput of YAML parsing and emitting, in MB/s of input.
 *
 * Loads every FILE into memory first (so disk reads are not timed), then runs
 * four phases over all of them, each ROUNDS times, and prints the best round:
 *
 *   libyaml-events  yaml_parser_parse in a loop, events dropped: the floor any
 *                   libyaml-based parser stands on
 *   gotk-parse      gotk_yaml_parse (YAML -> json-c values), freeing untimed
 *   gotk-emit       gotk_yaml_emit_stream with sorted keys over values parsed
 *                   beforehand (untimed); MB/s still counts input bytes
 *   gotk-roundtrip  parse + emit + free, what `yaml_roundtrip` does per file
 *
 * Output is one tab-separated line per phase (phase, seconds, MB/s), after a
 * `#` comment line describing the input, so scripts can read it with awk.
 *
 * Usage: yaml_bench [-n ROUNDS] FILE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <yaml.h>

#include "gotk/core.h"
#include "gotk/obj.h"

typedef struct {
    const char *path;
    char *data;
    size_t len;
} input;

typedef struct {
    input *files;
    size_t n;
    size_t bytes;
} corpus;

/* Seconds on the monotonic clock. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Print an error and exit: a benchmark cannot go on with a broken input. */
static void die(gotk_err *e, const char *path)
{
    fprintf(stderr, "yaml_bench: %s: %s\n", path, gotk_err_msg(e));
    gotk_err_free(e);
    exit(1);
}

/* Read every file into memory. */
static void corpus_load(corpus *c, char **paths, size_t n)
{
    c->files = gotk_xcalloc(n, sizeof *c->files);
    c->n = n;
    c->bytes = 0;
    for (size_t i = 0; i < n; i++) {
        input *f = &c->files[i];
        f->path = paths[i];
        gotk_err *e = gotk_file_read(paths[i], &f->data, &f->len);
        if (e)
            die(e, paths[i]);
        c->bytes += f->len;
    }
}

static void corpus_free(corpus *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->files[i].data);
    free(c->files);
}

/* Drive libyaml's parser over one buffer, dropping every event. */
static double run_libyaml(const input *f)
{
    yaml_parser_t p;
    yaml_event_t ev;
    double t0 = now();
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)f->data, f->len);
    for (;;) {
        if (!yaml_parser_parse(&p, &ev)) {
            fprintf(stderr, "yaml_bench: %s: libyaml: %s\n", f->path,
                    p.problem ? p.problem : "error");
            exit(1);
        }
        int done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        if (done)
            break;
    }
    yaml_parser_delete(&p);
    return now() - t0;
}

/* Parse one buffer; only the parse is timed. */
static double run_parse(const input *f)
{
    json_object *docs = NULL;
    double t0 = now();
    gotk_err *e = gotk_yaml_parse(f->data, f->len, f->path, &docs);
    double dt = now() - t0;
    if (e)
        die(e, f->path);
    json_object_put(docs);
    return dt;
}

/* Emit one buffer's documents (parsed untimed) into `out`. */
static double run_emit(const input *f, gotk_buf *out)
{
    json_object *docs = NULL;
    gotk_err *e = gotk_yaml_parse(f->data, f->len, f->path, &docs);
    if (e)
        die(e, f->path);
    out->len = 0;
    double t0 = now();
    e = gotk_yaml_emit_stream(docs, GOTK_YAML_SORT_KEYS, out);
    double dt = now() - t0;
    if (e)
        die(e, f->path);
    json_object_put(docs);
    return dt;
}

/* Parse, emit and free one buffer, all timed. */
static double run_roundtrip(const input *f, gotk_buf *out)
{
    json_object *docs = NULL;
    out->len = 0;
    double t0 = now();
    gotk_err *e = gotk_yaml_parse(f->data, f->len, f->path, &docs);
    if (!e)
        e = gotk_yaml_emit_stream(docs, GOTK_YAML_SORT_KEYS, out);
    json_object_put(docs);
    double dt = now() - t0;
    if (e)
        die(e, f->path);
    return dt;
}

enum phase { LIBYAML, PARSE, EMIT, ROUNDTRIP };
static const char *const phase_names[] = {"libyaml-events", "gotk-parse", "gotk-emit",
                                          "gotk-roundtrip"};

/* One round of a phase over every file: the seconds it took. */
static double run_round(const corpus *c, enum phase ph, gotk_buf *out)
{
    double total = 0;
    for (size_t i = 0; i < c->n; i++) {
        const input *f = &c->files[i];
        switch (ph) {
        case LIBYAML: total += run_libyaml(f); break;
        case PARSE: total += run_parse(f); break;
        case EMIT: total += run_emit(f, out); break;
        case ROUNDTRIP: total += run_roundtrip(f, out); break;
        }
    }
    return total;
}

/* Best of `rounds` rounds of one phase, printed as "phase\tseconds\tMB/s". */
static void bench_phase(const corpus *c, enum phase ph, int rounds)
{
    gotk_buf out = {0};
    double best = 0;
    for (int r = 0; r < rounds; r++) {
        double t = run_round(c, ph, &out);
        if (r == 0 || t < best)
            best = t;
    }
    gotk_buf_free(&out);
    double mb = (double)c->bytes / 1e6;
    printf("%s\t%.3f\t%.1f\n", phase_names[ph], best, best > 0 ? mb / best : 0.0);
    fflush(stdout);
}

static int usage(void)
{
    fputs("usage: yaml_bench [-n ROUNDS] FILE...\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    int rounds = 3;
    int i = 1;
    if (i + 1 < argc && strcmp(argv[i], "-n") == 0) {
        rounds = atoi(argv[i + 1]);
        i += 2;
    }
    if (rounds < 1 || i >= argc)
        return usage();
    corpus c;
    corpus_load(&c, argv + i, (size_t)(argc - i));
    printf("# %zu files, %.1f MB, best of %d rounds; phase\tseconds\tMB/s\n", c.n,
           (double)c.bytes / 1e6, rounds);
    for (enum phase ph = LIBYAML; ph <= ROUNDTRIP; ph++)
        bench_phase(&c, ph, rounds);
    corpus_free(&c);
    return 0;
}
