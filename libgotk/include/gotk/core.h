/*
 * core: the ground every other module stands on.
 *
 *  - Errors. A failing call returns a gotk_err * (NULL means success). An error is
 *    a message chain: each caller on the way up wraps it with what it was doing, so
 *    the user finally reads "fetching artifact: HTTP 404 from http://...: not found".
 *    An error has one owner; whoever reports or discards it frees it.
 *  - Logging as JSON lines, with the fields Flux's controllers log (level, ts, msg,
 *    controller, name, namespace, reconcileID), or a console encoding.
 *  - Go-style durations ("1m30s", "500ms"), printed exactly as Go's time.Duration.
 *  - base64 (standard alphabet, padded) and SHA digests (via OpenSSL).
 *  - Files: read whole, atomic write (temp file + rename), recursive remove,
 *    temporary directories.
 *  - A growable byte buffer used by all of the above.
 */
#ifndef GOTK_CORE_H
#define GOTK_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define GOTK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define GOTK_WARN_UNUSED __attribute__((warn_unused_result))
#define GOTK_SENTINEL __attribute__((sentinel))
#else
#define GOTK_PRINTF(f, a)
#define GOTK_WARN_UNUSED
#define GOTK_SENTINEL
#endif

/* ---- errors ------------------------------------------------------------- */

/* What kind of failure an error is, for callers that branch on it. */
typedef enum {
    GOTK_E_GENERIC = 0,
    GOTK_E_INVALID,   /* bad input: syntax, types, values */
    GOTK_E_NOTFOUND,  /* a file, object or key that does not exist */
    GOTK_E_CONFLICT,  /* already exists, or stale version */
    GOTK_E_IO,        /* the system or network failed */
    GOTK_E_NOMEM,
} gotk_err_code;

typedef struct gotk_err gotk_err;

/* A new error with a printf-style message. Never returns NULL. */
gotk_err *gotk_err_new(gotk_err_code code, const char *fmt, ...) GOTK_PRINTF(2, 3);
/* Prefix the message of `cause` with context: "context: cause". Takes ownership
 * of `cause` and returns it (NULL stays NULL, so `return gotk_err_wrap(e, ...)`
 * is safe on any path). */
gotk_err *gotk_err_wrap(gotk_err *cause, const char *fmt, ...) GOTK_PRINTF(2, 3);
/* An error from errno: "context: strerror(errno)". */
gotk_err *gotk_err_errno(int errnum, const char *fmt, ...) GOTK_PRINTF(2, 3);
const char *gotk_err_msg(const gotk_err *e);
gotk_err_code gotk_err_code_of(const gotk_err *e);
void gotk_err_free(gotk_err *e);

/* ---- byte buffer -------------------------------------------------------- */

typedef struct {
    char *data; /* always NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
} gotk_buf;

void gotk_buf_append(gotk_buf *b, const void *data, size_t len);
void gotk_buf_puts(gotk_buf *b, const char *s);
void gotk_buf_putc(gotk_buf *b, char c);
void gotk_buf_printf(gotk_buf *b, const char *fmt, ...) GOTK_PRINTF(2, 3);
void gotk_buf_vprintf(gotk_buf *b, const char *fmt, va_list ap);
/* Hand the contents to the caller (who frees them) and reset the buffer. */
char *gotk_buf_steal(gotk_buf *b);
void gotk_buf_free(gotk_buf *b);

/* Allocation that aborts on out-of-memory: there is no sane recovery for the
 * small allocations a controller makes. */
void *gotk_xmalloc(size_t n);
void *gotk_xcalloc(size_t n, size_t size);
void *gotk_xrealloc(void *p, size_t n);
char *gotk_xstrdup(const char *s);
char *gotk_xstrndup(const char *s, size_t n);
char *gotk_xasprintf(const char *fmt, ...) GOTK_PRINTF(1, 2);

/* ---- logging ------------------------------------------------------------ */

typedef enum {
    GOTK_LOG_DEBUG = 0,
    GOTK_LOG_INFO,
    GOTK_LOG_ERROR,
} gotk_log_level;

typedef enum { GOTK_LOG_JSON = 0, GOTK_LOG_CONSOLE } gotk_log_encoding;

/* Process-wide settings: minimum level, encoding, output (default stderr). */
void gotk_log_setup(gotk_log_level min, gotk_log_encoding enc, int fd);
/* Parse "debug" | "info" | "error" (Flux's --log-level). */
gotk_err *gotk_log_level_parse(const char *s, gotk_log_level *out);

/* Fields that identify what a log line is about; any may be NULL. */
typedef struct {
    const char *controller;
    const char *name;
    const char *namespace_;
    const char *reconcile_id;
} gotk_log_ctx;

/* One JSON line: {"level":"info","ts":"...","msg":"...","controller":...,
 * then any extra key/value string pairs, terminated by NULL}. */
void gotk_log(gotk_log_level level, const gotk_log_ctx *ctx, const char *msg, ...)
    GOTK_SENTINEL;
/* Write one formatted line into `out` instead of the log (for tests). */
void gotk_log_format(gotk_buf *out, gotk_log_level level, const gotk_log_ctx *ctx,
                     const char *msg, const char *const *kv);

/* ---- durations ---------------------------------------------------------- */

/* Nanoseconds, as Go's time.Duration. */
typedef int64_t gotk_duration;
#define GOTK_NS ((gotk_duration)1)
#define GOTK_US ((gotk_duration)1000)
#define GOTK_MS ((gotk_duration)1000000)
#define GOTK_SECOND ((gotk_duration)1000000000)
#define GOTK_MINUTE (60 * GOTK_SECOND)
#define GOTK_HOUR (60 * GOTK_MINUTE)

/* Parse Go's duration syntax ("1m30s", "1.5h", "500ms", "-2h45m", "0"). */
gotk_err *gotk_duration_parse(const char *s, gotk_duration *out);
/* Print as Go's Duration.String(): "1m0s", "1h0m0s", "1.5s", "500ms", "0s".
 * `out` needs room for 32 bytes. Returns out. */
char *gotk_duration_format(gotk_duration d, char out[32]);

/* An age as kubectl prints it (k8s.io/apimachinery duration.HumanDuration):
 * "45s", "3m20s", "5h", "2d4h", "3y". `out` needs 32 bytes. */
void gotk_duration_human(long long secs, char out[32]);

/* ---- encoding and digests ---------------------------------------------- */

/* Standard base64 with padding. Caller frees. */
char *gotk_base64_encode(const void *data, size_t len);
/* Decode standard base64; whitespace is not accepted. */
gotk_err *gotk_base64_decode(const char *s, size_t slen, unsigned char **out, size_t *outlen);
/* Lowercase hex of sha256(data): 64 chars + NUL. */
void gotk_sha256_hex(const void *data, size_t len, char out[65]);
typedef enum { GOTK_SHA1, GOTK_SHA256, GOTK_SHA512 } gotk_digest_alg;
/* Lowercase hex of a digest of data; out holds 129 bytes (SHA-512's). */
void gotk_digest_hex(gotk_digest_alg alg, const void *data, size_t len, char *out);

/* ---- files -------------------------------------------------------------- */

gotk_err *gotk_file_read(const char *path, char **data, size_t *len);
/* Write to a temp file in the same directory, fsync, then rename over `path`. */
gotk_err *gotk_file_write_atomic(const char *path, const void *data, size_t len, int mode);
/* rm -rf; a missing path is not an error. */
gotk_err *gotk_file_remove_all(const char *path);
/* mkdir -p */
gotk_err *gotk_file_mkdir_all(const char *path, int mode);
/* A new empty directory under $TMPDIR (or /tmp) named prefix-XXXXXX. Caller frees. */
gotk_err *gotk_file_temp_dir(const char *prefix, char **out);

/* ---- UTF-8 --------------------------------------------------------------- */

#define GOTK_RUNE_ERROR 0xFFFDu

/* Decode one code point as Go's utf8.DecodeRuneInString: invalid input gives
 * U+FFFD with width 1, an empty input width 0. Returns the width. */
size_t gotk_utf8_decode(const char *s, size_t n, uint32_t *r);
/* Append `r` as UTF-8 (an invalid code point becomes U+FFFD, as Go's AppendRune). */
void gotk_utf8_append(gotk_buf *b, uint32_t r);
/* Go's unicode.ToUpper / unicode.ToLower of r (simple case mapping, from the
 * C library's Unicode tables; r itself when there are none). */
uint32_t gotk_unicode_case(uint32_t r, bool upper);
/* Go's unicode.ToTitle of r: ToUpper but for the digraphs (U+01C6 -> U+01C5). */
uint32_t gotk_unicode_title(uint32_t r);
/* Whether s[0..n) is valid UTF-8. */
bool gotk_utf8_valid(const char *s, size_t n);

/* ---- envsubst ---------------------------------------------------------- */

/* Look a variable up; NULL when unset. */
typedef const char *(*gotk_env_lookup)(const char *name, void *ud);
/* The process environment, as a gotk_env_lookup. */
const char *gotk_env_getenv(const char *name, void *ud);

/* Substitute variables in `in` as Flux does (drone/envsubst syntax, see
 * core/envsubst.c): ${VAR}, ${VAR:=default}, ${VAR:-default}, ${VAR=default},
 * ${VAR:+alt}, ${#VAR}, ${VAR:pos:len}, case, trim and replace forms, and `$$` as an
 * escaped `$`. As in Flux, a bare $VAR is left as it is and ${VAR-default} is a
 * parse error. Without `strict` an unset variable is empty; with it, an unset
 * variable without a default is an error that names it
 * (`variable not set (strict mode): "VAR"`). `*out` is a new string the caller
 * frees; on error it is NULL. */
gotk_err *gotk_envsubst(const char *in, gotk_env_lookup lookup, void *ud, bool strict,
                        char **out);

#endif
