/*
 * schema_format.c: the "format" keyword of values.schema.json, with the
 * checkers gojsonschema v1.2.0 (Helm 3.17's validator) has: dates and times
 * as Go's time.Parse takes them, hosts, IPs as net.ParseIP, e-mail as
 * net/mail.ParseAddress, URIs as net/url.Parse, UUIDs and JSON pointers.
 * Formats it does not know pass.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gotk/regex.h"
#include "helm_int.h"

static const char *const formats[] = {
    "date", "time", "date-time", "hostname", "email", "idn-email", "ipv4", "ipv6", "uri",
    "uri-reference", "iri", "iri-reference", "uri-template", "uuid", "regex", "json-pointer",
    "relative-json-pointer", NULL,
};

bool helm_schema_known_format(const char *f)
{
    for (int i = 0; formats[i]; i++)
        if (!strcmp(formats[i], f))
            return true;
    return false;
}

static bool re_match(const char *pattern, const char *s)
{
    gotk_regex *re = NULL;
    gotk_err *e = gotk_regex_compile(pattern, &re);
    bool ok = !e && gotk_regex_match(re, s);
    gotk_err_free(e);
    gotk_regex_free(re);
    return ok;
}

/* Go's time.Parse of "2006-01-02" (with its day-of-month range check). */
static bool is_date(const char *s, size_t n)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (n != 10 || !re_match("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", s))
        return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m >= 1 && m <= 12 && d >= 1 && d <= (m == 2 && !leap ? 28 : mdays[m - 1]);
}

/* "15:04:05" with optional fraction, and when zone: "Z07:00" (Go reads the
 * hour "15" from one or two digits). */
static bool is_clock(const char *s, bool zone)
{
    if (!re_match(zone ? "^[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"
                       : "^[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?$", s))
        return false;
    const char *m = strchr(s, ':') + 1;
    return atoi(s) < 24 && atoi(m) < 60 && atoi(m + 3) < 60;
}

/* Go's net.ParseIP: an IPv4 or IPv6 address. */
static bool is_ip(const char *s)
{
    unsigned char buf[16];
    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* ---- net/mail.ParseAddress ----------------------------------------------- */

typedef struct {
    const char *s;
} mailp;

static void mail_space(mailp *p)
{
    while (*p->s == ' ' || *p->s == '\t')
        p->s++;
}

/* A (possibly nested) comment, at '('. */
static bool mail_comment(mailp *p)
{
    int depth = 0;
    do {
        if (!*p->s)
            return false;
        if (*p->s == '\\' && p->s[1])
            p->s++;
        else if (*p->s == '(')
            depth++;
        else if (*p->s == ')')
            depth--;
        p->s++;
    } while (depth > 0);
    return true;
}

/* skipCFWS: spaces and comments. */
static bool mail_cfws(mailp *p)
{
    for (mail_space(p); *p->s == '('; mail_space(p))
        if (!mail_comment(p))
            return false;
    return true;
}

/* isAtext: visible characters (any non-ASCII byte too) but the specials. */
static bool mail_atext(unsigned char c, bool dot)
{
    if (c == '.')
        return dot;
    if (strchr("()<>[]:;@\\,\"", c))
        return false;
    return c >= 0x80 || (c > 0x20 && c < 0x7f);
}

/* consumeAtom: a dot-atom with dot (no dot first, last or doubled unless
 * permissive). */
static bool mail_atom(mailp *p, bool dot, bool permissive)
{
    const char *b = p->s;
    while (*p->s && mail_atext((unsigned char)*p->s, dot))
        p->s++;
    size_t n = (size_t)(p->s - b);
    if (!n)
        return false;
    if (dot && !permissive && (b[0] == '.' || b[n - 1] == '.' || memmem(b, n, "..", 2)))
        return false;
    return true;
}

/* consumeQuotedString, at '"': false when unterminated; *empty when "". */
static bool mail_quoted(mailp *p, bool *empty)
{
    const char *b = ++p->s;
    while (*p->s && *p->s != '"') {
        if (*p->s == '\\' && p->s[1])
            p->s++;
        p->s++;
    }
    if (!*p->s)
        return false;
    *empty = p->s == b;
    p->s++;
    return true;
}

/* consumeAddrSpec: local-part "@" domain (a domain literal holds an IP). */
static bool mail_addr_spec(mailp *p)
{
    mail_space(p);
    bool empty = false;
    if (*p->s == '"' ? !mail_quoted(p, &empty) || empty : !mail_atom(p, true, false))
        return false;
    if (*p->s++ != '@')
        return false;
    mail_space(p);
    if (*p->s != '[')
        return mail_atom(p, true, false);
    const char *b = ++p->s;
    while (*p->s && *p->s != ']')
        p->s++;
    if (!*p->s)
        return false;
    char ip[64];
    snprintf(ip, sizeof ip, "%.*s", (int)(p->s - b), b);
    p->s++;
    return is_ip(ip);
}

/* consumePhrase: words (atoms, dots allowed, or quoted strings). */
static bool mail_phrase(mailp *p)
{
    int words = 0;
    for (;;) {
        if (!mail_cfws(p))
            return false;
        bool empty;
        if (*p->s == '"') {
            if (!mail_quoted(p, &empty))
                return false;
        } else if (!mail_atom(p, true, true)) {
            break;
        }
        words++;
    }
    return words > 0;
}

/* mail.ParseAddress succeeds: an addr-spec (an optional comment after it),
 * or a display name and "<addr-spec>"; nothing else but spaces and
 * comments around. */
static bool is_mail_address(const char *s)
{
    mailp p = {s};
    mail_space(&p);
    if (!*p.s)
        return false;
    mailp spec = p;
    if (mail_addr_spec(&spec)) {
        p = spec;
    } else {
        if (*p.s != '<' && !mail_phrase(&p))
            return false;
        mail_space(&p);
        if (*p.s++ != '<' || !mail_addr_spec(&p) || *p.s++ != '>')
            return false;
    }
    return mail_cfws(&p) && !*p.s;
}

/* ---- net/url.Parse --------------------------------------------------------- */

static bool hex_digit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* unescape's checks of n bytes: every '%' starts two hex digits; in a host
 * (host: true) such escapes stand for bytes >= 0x80 or "%25", and the bytes
 * left as they are are those a host may hold (shouldEscape). */
static bool url_escapes_ok(const char *s, size_t n, bool host)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            if (i + 2 >= n || !hex_digit(s[i + 1]) || !hex_digit(s[i + 2]))
                return false;
            if (host && s[i + 1] < '8' && strncmp(s + i, "%25", 3))
                return false;
            i += 2;
        } else if (host && c < 0x80 && !isalnum(c) && !strchr("-._~!$&'()*+,;=:[]<>\"", c)) {
            return false;
        }
    }
    return true;
}

/* The authority after "//": userinfo@host:port. */
static bool url_authority_ok(const char *a, size_t n)
{
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (a[i] == '@')
            at = a + i;
    if (at) { /* validUserinfo */
        for (const char *u = a; u < at; u++)
            if (!isalnum((unsigned char)*u) && !strchr("-._:~!$&'()*+,;=%@", *u))
                return false;
        n -= (size_t)(at + 1 - a);
        a = at + 1;
    }
    const char *port = NULL;
    if (n && a[0] == '[') {
        const char *close = memchr(a, ']', n);
        if (!close)
            return false;
        if ((size_t)(close + 1 - a) < n) {
            if (close[1] != ':')
                return false;
            port = close + 1;
        }
    } else {
        for (size_t i = n; i > 0; i--)
            if (a[i - 1] == ':') {
                port = a + i - 1;
                break;
            }
    }
    size_t hn = port ? (size_t)(port - a) : n;
    for (const char *p = port ? port + 1 : NULL; p && p < a + n; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    return url_escapes_ok(a, hn, true);
}

/* Whether url.Parse accepts s; *scheme: whether it names a scheme. */
static bool go_url_parse(const char *s, bool *scheme)
{
    *scheme = false;
    for (const char *c = s; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return false; /* invalid control character */
    size_t n = strlen(s);
    const char *hash = strchr(s, '#');
    if (hash) {
        if (!url_escapes_ok(hash + 1, strlen(hash + 1), false))
            return false;
        n = (size_t)(hash - s);
    }
    size_t i = 0; /* getScheme */
    while (i < n && (isalpha((unsigned char)s[i]) ||
                     (i > 0 && (isdigit((unsigned char)s[i]) || strchr("+-.", s[i])))))
        i++;
    if (i < n && s[i] == ':') {
        if (i == 0)
            return false; /* missing protocol scheme */
        *scheme = true;
        s += i + 1;
        n -= i + 1;
    }
    const char *q = memchr(s, '?', n);
    if (q)
        n = (size_t)(q - s);
    if (!n || s[0] != '/') {
        if (*scheme)
            return true; /* opaque */
        const char *slash = memchr(s, '/', n), *colon = memchr(s, ':', n);
        if (colon && (!slash || colon < slash))
            return false; /* first path segment in URL cannot contain colon */
    }
    if (n >= 2 && s[0] == '/' && s[1] == '/' && (*scheme || n < 3 || s[2] != '/')) {
        const char *end = memchr(s + 2, '/', n - 2);
        size_t an = end ? (size_t)(end - s - 2) : n - 2;
        if (!url_authority_ok(s + 2, an))
            return false;
        s += 2 + an;
        n -= 2 + an;
    }
    return url_escapes_ok(s, n, false);
}

/* gojsonschema's format checkers (Go's time, net, net/mail and url parsers,
 * approximated where they are lenient). */
bool helm_schema_format_ok(const char *f, const char *s, size_t n)
{
    if (!strcmp(f, "date"))
        return is_date(s, n);
    if (!strcmp(f, "time"))
        return is_clock(s, true) || is_clock(s, false);
    if (!strcmp(f, "date-time")) {
        char day[11];
        snprintf(day, sizeof day, "%.10s", s);
        return is_clock(s, false) || is_clock(s, true) || is_date(s, n) ||
               (n > 11 && s[10] == 'T' && is_date(day, 10) && is_clock(s + 11, true));
    }
    if (!strcmp(f, "hostname"))
        return n < 256 && re_match("^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9])"
                                   "(\\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9]))*$", s);
    if (!strcmp(f, "email") || !strcmp(f, "idn-email"))
        return is_mail_address(s);
    if (!strcmp(f, "ipv4"))
        return is_ip(s) && strchr(s, '.'); /* "::ffff:1.2.3.4" too, as Go */
    if (!strcmp(f, "ipv6"))
        return is_ip(s) && strchr(s, ':');
    if (!strcmp(f, "uri") || !strcmp(f, "iri") || !strcmp(f, "uri-reference") ||
        !strcmp(f, "iri-reference") || !strcmp(f, "uri-template")) {
        bool scheme;
        if (strchr(s, '\\') || !go_url_parse(s, &scheme))
            return false;
        if (!strcmp(f, "uri-template")) /* its pattern, on the whole text here */
            return re_match("^([^{]*({[^}]*})?)*$", s);
        return scheme || strstr(f, "reference"); /* uri and iri need a scheme */
    }
    if (!strcmp(f, "uuid"))
        return re_match("^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$", s);
    if (!strcmp(f, "json-pointer"))
        return re_match("^(?:/(?:[^~/]|~0|~1)*)*$", s);
    if (!strcmp(f, "relative-json-pointer"))
        return re_match("^(?:0|[1-9][0-9]*)(?:#|(?:/(?:[^~/]|~0|~1)*)*)$", s);
    if (!strcmp(f, "regex")) { /* "" or what Go's regexp compiles */
        gotk_regex *re = NULL;
        gotk_err *e = *s ? gotk_regex_compile(s, &re) : NULL;
        bool ok = !e;
        gotk_err_free(e);
        gotk_regex_free(re);
        return ok;
    }
    return true; /* formats gojsonschema does not know */
}
