/*
 * Logging as Flux's controllers log: one line per event, by default a JSON
 * object as zap's JSON encoder writes it with Flux's settings
 * (fluxcd/pkg runtime/logger: ISO8601 time encoder), e.g.
 *
 *   {"level":"info","ts":"2026-11-21T23:39:14.123Z","msg":"stored artifact",
 *    "controller":"gitrepository","name":"podinfo","namespace":"flux-system",
 *    "reconcileID":"...","revision":"main@sha1:..."}
 *
 * Fields come in that order: level, ts (UTC, millisecond precision), msg, the
 * context fields that are set, then the caller's extra key/value pairs. A
 * NULL context field or NULL value is left out. Strings are escaped as zap
 * escapes them: `"` and `\` with a backslash, \n \r \t by name, other control
 * bytes as \u00XX, bytes that are not valid UTF-8 as \ufffd; valid UTF-8 and
 * DEL pass through.
 *
 * The console encoding (--log-encoding=console) is zap's development form:
 * "<ts>\t<LEVEL>\t<msg>\t{"key": "value", ...}", the field object omitted when
 * there are no fields.
 *
 * Settings are process-wide atomics. gotk_log formats the line in memory and
 * hands it to the kernel with a single write(2) (more only after a short
 * write), under a mutex, so lines from threads never interleave.
 */
#include "gotk/core.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static atomic_int log_min = GOTK_LOG_INFO;
static atomic_int log_enc = GOTK_LOG_JSON;
static atomic_int log_fd = STDERR_FILENO;
static pthread_mutex_t log_write_lock = PTHREAD_MUTEX_INITIALIZER;

/* Set the minimum level, the encoding and the output descriptor. */
void gotk_log_setup(gotk_log_level min, gotk_log_encoding enc, int fd)
{
    atomic_store(&log_min, (int)min);
    atomic_store(&log_enc, (int)enc);
    atomic_store(&log_fd, fd);
}

/* Parse Flux's --log-level. "trace" is accepted as Flux accepts it and maps
 * to debug, the most verbose level gotk has. */
gotk_err *gotk_log_level_parse(const char *s, gotk_log_level *out)
{
    static const struct {
        const char *name;
        gotk_log_level level;
    } names[] = {
        {"trace", GOTK_LOG_DEBUG},
        {"debug", GOTK_LOG_DEBUG},
        {"info", GOTK_LOG_INFO},
        {"error", GOTK_LOG_ERROR},
    };
    for (size_t i = 0; s && i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].level;
            return NULL;
        }
    }
    return gotk_err_new(GOTK_E_INVALID,
                        "invalid log level \"%s\": must be one of trace, debug, info, error",
                        s ? s : "");
}

/* The level's name as zap writes it: lowercase for JSON, capitals for console. */
static const char *log_level_name(gotk_log_level level, bool upper)
{
    switch (level) {
    case GOTK_LOG_DEBUG:
        return upper ? "DEBUG" : "debug";
    case GOTK_LOG_ERROR:
        return upper ? "ERROR" : "error";
    case GOTK_LOG_INFO:
    default:
        return upper ? "INFO" : "info";
    }
}

/* Append the current UTC time as zap's ISO8601 encoder: 2006-01-02T15:04:05.000Z. */
static void log_put_time(gotk_buf *out)
{
    struct timespec now;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    gotk_buf_printf(out, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
                    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                    now.tv_nsec / 1000000);
}

/* Is b a UTF-8 continuation byte in [lo, hi]? */
static bool in_range(unsigned char b, unsigned char lo, unsigned char hi)
{
    return b >= lo && b <= hi;
}

/* Length of the valid UTF-8 sequence at s (s[0] >= 0x80), or 0 when it is not
 * valid: overlong forms, surrogates and values past U+10FFFF are invalid. */
static size_t utf8_valid_len(const unsigned char *s)
{
    unsigned char c = s[0];
    if (in_range(c, 0xc2, 0xdf))
        return in_range(s[1], 0x80, 0xbf) ? 2 : 0;
    if (in_range(c, 0xe0, 0xef)) {
        unsigned char lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
        return in_range(s[1], lo, hi) && in_range(s[2], 0x80, 0xbf) ? 3 : 0;
    }
    if (in_range(c, 0xf0, 0xf4)) {
        unsigned char lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
        return in_range(s[1], lo, hi) && in_range(s[2], 0x80, 0xbf) &&
                       in_range(s[3], 0x80, 0xbf)
                   ? 4
                   : 0;
    }
    return 0;
}

/* Append one ASCII byte JSON-escaped as zap does. */
static void log_put_ascii(gotk_buf *out, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    if (c >= 0x20 && c != '\\' && c != '"') {
        gotk_buf_putc(out, (char)c);
        return;
    }
    switch (c) {
    case '\\':
    case '"':
        gotk_buf_putc(out, '\\');
        gotk_buf_putc(out, (char)c);
        break;
    case '\n':
        gotk_buf_puts(out, "\\n");
        break;
    case '\r':
        gotk_buf_puts(out, "\\r");
        break;
    case '\t':
        gotk_buf_puts(out, "\\t");
        break;
    default: {
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
        gotk_buf_append(out, esc, sizeof esc);
    }
    }
}

/* Append s as a quoted JSON string. The NUL terminator stops the UTF-8
 * checks from reading past the end, since NUL is never a continuation byte. */
static void log_put_string(gotk_buf *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    gotk_buf_putc(out, '"');
    while (*p) {
        if (*p < 0x80) {
            log_put_ascii(out, *p++);
            continue;
        }
        size_t n = utf8_valid_len(p);
        if (n == 0) {
            gotk_buf_puts(out, "\\ufffd");
            p++;
            continue;
        }
        gotk_buf_append(out, p, n);
        p += n;
    }
    gotk_buf_putc(out, '"');
}

/* Append `"key":"value"` (or `"key": "value"` when spaced), preceded by a
 * separator unless it opens the object; NULL values are skipped. */
static void log_put_field(gotk_buf *out, bool *first, bool spaced, const char *key,
                          const char *value)
{
    if (!key || !value)
        return;
    if (!*first)
        gotk_buf_puts(out, spaced ? ", " : ",");
    *first = false;
    log_put_string(out, key);
    gotk_buf_puts(out, spaced ? ": " : ":");
    log_put_string(out, value);
}

/* Append the context fields and extra pairs, in that order. */
static void log_put_fields(gotk_buf *out, bool *first, bool spaced, const gotk_log_ctx *ctx,
                           const char *const *kv)
{
    if (ctx) {
        log_put_field(out, first, spaced, "controller", ctx->controller);
        log_put_field(out, first, spaced, "name", ctx->name);
        log_put_field(out, first, spaced, "namespace", ctx->namespace_);
        log_put_field(out, first, spaced, "reconcileID", ctx->reconcile_id);
    }
    for (size_t i = 0; kv && kv[i]; i += 2) {
        log_put_field(out, first, spaced, kv[i], kv[i + 1]);
        if (!kv[i + 1])
            break; /* a key without a value ends the list */
    }
}

/* True when the line has any field to print after msg. */
static bool log_has_fields(const gotk_log_ctx *ctx, const char *const *kv)
{
    if (ctx && (ctx->controller || ctx->name || ctx->namespace_ || ctx->reconcile_id))
        return true;
    return kv && kv[0] && kv[1];
}

/* One JSON line. */
static void log_format_json(gotk_buf *out, gotk_log_level level, const gotk_log_ctx *ctx,
                            const char *msg, const char *const *kv)
{
    gotk_buf_puts(out, "{\"level\":");
    log_put_string(out, log_level_name(level, false));
    gotk_buf_puts(out, ",\"ts\":\"");
    log_put_time(out);
    gotk_buf_puts(out, "\",\"msg\":");
    log_put_string(out, msg);
    bool first = false;
    log_put_fields(out, &first, false, ctx, kv);
    gotk_buf_puts(out, "}\n");
}

/* One console line: ts, level, msg and the fields as a spaced JSON object. */
static void log_format_console(gotk_buf *out, gotk_log_level level, const gotk_log_ctx *ctx,
                               const char *msg, const char *const *kv)
{
    log_put_time(out);
    gotk_buf_putc(out, '\t');
    gotk_buf_puts(out, log_level_name(level, true));
    gotk_buf_putc(out, '\t');
    /* The message is printed raw, as zap does, but kept on one line. */
    for (const char *p = msg ? msg : ""; *p; p++)
        gotk_buf_putc(out, *p == '\n' || *p == '\r' ? ' ' : *p);
    if (log_has_fields(ctx, kv)) {
        gotk_buf_puts(out, "\t{");
        bool first = true;
        log_put_fields(out, &first, true, ctx, kv);
        gotk_buf_putc(out, '}');
    }
    gotk_buf_putc(out, '\n');
}

/* Append one line, newline included, in the configured encoding. `kv` is
 * key, value, key, value, ..., NULL; a NULL value also ends the list. */
void gotk_log_format(gotk_buf *out, gotk_log_level level, const gotk_log_ctx *ctx,
                     const char *msg, const char *const *kv)
{
    if (atomic_load(&log_enc) == GOTK_LOG_CONSOLE)
        log_format_console(out, level, ctx, msg, kv);
    else
        log_format_json(out, level, ctx, msg, kv);
}

/* Write the whole line; retry only on EINTR or a short write. */
static void log_write(int fd, const char *data, size_t len)
{
    pthread_mutex_lock(&log_write_lock);
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* nowhere left to report a failing log */
        data += n;
        len -= (size_t)n;
    }
    pthread_mutex_unlock(&log_write_lock);
}

/* Log one line if `level` is at or above the minimum. */
void gotk_log(gotk_log_level level, const gotk_log_ctx *ctx, const char *msg, ...)
{
    if ((int)level < atomic_load(&log_min))
        return;
    size_t n = 0, cap = 8;
    const char **kv = gotk_xmalloc(cap * sizeof *kv);
    va_list ap;
    va_start(ap, msg);
    for (const char *key; (key = va_arg(ap, const char *)) != NULL;) {
        const char *value = va_arg(ap, const char *);
        if (!value)
            continue; /* a NULL value omits its field */
        if (n + 3 > cap) {
            cap *= 2;
            kv = gotk_xrealloc(kv, cap * sizeof *kv);
        }
        kv[n++] = key;
        kv[n++] = value;
    }
    va_end(ap);
    kv[n] = NULL;
    gotk_buf line = {0};
    gotk_log_format(&line, level, ctx, msg, kv);
    log_write(atomic_load(&log_fd), line.data, line.len);
    gotk_buf_free(&line);
    free(kv);
}
