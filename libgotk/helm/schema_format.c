/*
 * schema_format.c: the "format" keyword of values.schema.json, with the
 * checkers gojsonschema v1.2.0 (Helm 3.17's validator) has: dates and times
 * as Go's time.Parse takes them, hosts, IPs as net.ParseIP, e-mail, URIs,
 * UUIDs and JSON pointers. Formats it does not know pass.
 */
#include <arpa/inet.h>
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

/* "15:04:05" with optional fraction, and when zone: "Z07:00". */
static bool is_clock(const char *s, bool zone)
{
    if (!re_match(zone ? "^[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"
                       : "^[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?$", s))
        return false;
    return atoi(s) < 24 && atoi(s + 3) < 60 && atoi(s + 6) < 60;
}

/* Go's net.ParseIP. */
static bool is_ip(const char *s, int family)
{
    unsigned char buf[16];
    return inet_pton(family, s, buf) == 1;
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
        return re_match("^(\"[^\"]*\"|[^\\s@<>()\\[\\],;:\"]+)@[^\\s@<>()\\[\\],;:\"]+$", s) ||
               re_match("^[^<>]*<[^\\s@<>]+@[^\\s@<>]+>$", s);
    if (!strcmp(f, "ipv4"))
        return is_ip(s, AF_INET);
    if (!strcmp(f, "ipv6"))
        return strchr(s, ':') && (is_ip(s, AF_INET6));
    if (!strcmp(f, "uri") || !strcmp(f, "iri"))
        return !strchr(s, '\\') && re_match("^[a-zA-Z][a-zA-Z0-9+.-]*:[^\\s]*$", s);
    if (!strcmp(f, "uri-reference") || !strcmp(f, "iri-reference") || !strcmp(f, "uri-template"))
        return !strchr(s, '\\') && !re_match("[\\x00-\\x1f\\x7f ]", s);
    if (!strcmp(f, "uuid"))
        return re_match("^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$", s);
    if (!strcmp(f, "json-pointer"))
        return re_match("^(?:/(?:[^~/]|~0|~1)*)*$", s);
    if (!strcmp(f, "relative-json-pointer"))
        return re_match("^(?:0|[1-9][0-9]*)(?:#|(?:/(?:[^~/]|~0|~1)*)*)$", s);
    return true; /* regex, and formats gojsonschema does not know */
}
