/*
 * sprig_dates.c: Sprig's date functions: now, date, dateInZone, htmlDate,
 * htmlDateInZone, dateModify, mustDateModify, toDate, mustToDate, unixEpoch,
 * ago, duration and durationRound (with their snake_case aliases).
 *
 * A time.Time is a struct value of Go type "time.Time" holding, under the key
 * "" (no template field can name it), what Go prints for it (Time.String(),
 * e.g. "2023-11-14 22:13:20 +0000 UTC"); the functions and methods taking a
 * time read it back. Its methods: String, MarshalJSON, Format, Unix,
 * UnixMilli, UnixNano, Year, Month, Day, Hour, Minute, Second, Nanosecond,
 * YearDay, Weekday, IsZero, UTC, Local, Add, AddDate, Before, After, Equal,
 * Sub (a time.Duration, sprig_duration.c). Like Sprig, numbers given as
 * dates count only when they are Go ints or int64s (seconds since the epoch);
 * anything else (Helm's float64 values, strings) means now.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sprig.h"
#include "sprig_time.h"

#define FN(name) \
    static gotk_err *name(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv, \
                          gotk_tpl_val *res, void *ud)
#define UNUSED (void)ex, (void)argc, (void)argv, (void)ud

static const char TIME_TYPE[] = "time.Time";
static const char STRING_LAYOUT[] = "2006-01-02 15:04:05.999999999 -0700 MST";

json_object *sprig_time_json(const gotime *t)
{
    gotk_buf b = {0};
    gotime_string(t, &b);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "", json_object_new_string_len(b.data, (int)b.len));
    gotk_buf_free(&b);
    tpl_tag_value(o, TIME_TYPE, true);
    return o;
}

/* A time value for templates. */
static gotk_tpl_val time_value(gotk_tpl_exec *ex, const gotime *t)
{
    return gotk_tpl_own(ex, sprig_time_json(t));
}

static bool is_time(gotk_tpl_val v)
{
    return v.kind == GOTK_TPL_MAP && v.j && v.tname && strcmp(v.tname, TIME_TYPE) == 0;
}

/* What a time value holds: Time.String(). */
static const char *time_text(gotk_tpl_val v)
{
    json_object *s = NULL;
    json_object_object_get_ex(v.j, "", &s);
    return s ? json_object_get_string(s) : "0001-01-01 00:00:00 +0000 UTC";
}

/* Read back a time value; a fixed zone it needs goes to *made. */
static void time_of(gotk_tpl_val v, gotime *t, gotime_loc **made)
{
    const char *s = time_text(v);
    const char *m = strstr(s, " m=");
    size_t n = m ? (size_t)(m - s) : strlen(s);
    char *text = gotk_xmalloc(n + 1);
    memcpy(text, s, n);
    text[n] = 0;
    const char *abbr = strrchr(text, ' ');
    bool numeric = abbr && (abbr[1] == '+' || abbr[1] == '-');
    if (numeric) /* an unnamed fixed zone prints its offset twice */
        text[abbr - text] = 0;
    gotk_err *e = gotime_parse(numeric ? "2006-01-02 15:04:05.999999999 -0700" : STRING_LAYOUT,
                               text, gotime_local(), t, made);
    if (e && abbr && !numeric) { /* a zone named as no abbreviation is: fromToml's "date-local" */
        gotk_err_free(e);
        text[abbr - text] = 0;
        e = gotime_parse("2006-01-02 15:04:05.999999999 -0700", text, gotime_local(), t, made);
        if (!e) {
            const char *ignored;
            int32_t off;
            gotime_lookup(t->loc, t->sec, &ignored, &off);
            gotime_loc_free(*made);
            t->loc = *made = gotime_fixed(abbr + 1, off);
        }
    }
    free(text);
    if (e) { /* not ours: cannot happen for values this file made */
        gotk_err_free(e);
        *t = (gotime){0};
    }
    t->has_mono = m != NULL;
    if (m) {
        char *end;
        double secs = strtod(m + 3, &end);
        t->mono = (int64_t)(secs * 1e9);
    }
}

/* The time a date argument means: a time, int seconds, or now. */
static gotime date_arg(gotk_tpl_val v, gotime_loc **made)
{
    gotime t;
    v = tpl_indirect_iface(v);
    if (is_time(v)) {
        time_of(v, &t, made);
    } else if (v.kind == GOTK_TPL_INT || v.kind == GOTK_TPL_INT64) {
        t = (gotime){json_object_get_int64(v.j), 0, gotime_local(), false, 0};
    } else {
        t = gotime_now();
    }
    return t;
}

/* Sprig's dateInZone: the date formatted in a zone (UTC for unknown zones). */
static gotk_tpl_val format_in_zone(gotk_tpl_exec *ex, const char *layout, gotk_tpl_val date,
                                   const char *zone)
{
    gotime_loc *made = NULL, *loc = gotime_load(zone);
    if (!loc)
        loc = gotime_load("UTC");
    gotime t = date_arg(date, &made);
    t.loc = loc;
    gotk_buf b = {0};
    gotime_format(&t, layout, &b);
    gotime_loc_free(made);
    gotime_loc_free(loc);
    return sprig_take(ex, &b);
}

/* date fmt d */
FN(fn_date)
{
    UNUSED;
    *res = format_in_zone(ex, SV(argv[0]), argv[1], "Local");
    return NULL;
}

/* dateInZone fmt d zone */
FN(fn_date_in_zone)
{
    UNUSED;
    *res = format_in_zone(ex, SV(argv[0]), argv[1], SV(argv[2]));
    return NULL;
}

/* htmlDate d, htmlDateInZone d zone (ud) */
FN(fn_html_date)
{
    UNUSED;
    *res = format_in_zone(ex, "2006-01-02", argv[0], ud ? SV(argv[1]) : "Local");
    return NULL;
}

FN(fn_now)
{
    UNUSED;
    gotime t = gotime_now();
    *res = time_value(ex, &t);
    return NULL;
}

/* t plus nanoseconds. */
static gotime time_add(gotime t, int64_t d)
{
    int64_t ns = t.nsec + d % 1000000000;
    t.sec += d / 1000000000 + (ns >= 1000000000) - (ns < 0);
    t.nsec = (int32_t)(ns >= 1000000000 ? ns - 1000000000 : ns < 0 ? ns + 1000000000 : ns);
    t.mono += d;
    return t;
}

/* dateModify d t (ud NULL: t unchanged for a bad duration; "m": mustDateModify). */
FN(fn_date_modify)
{
    UNUSED;
    gotk_tpl_val tv = argv[1];
    gotk_duration d;
    gotk_err *e = gotk_duration_parse(SV(argv[0]), &d);
    if (e && !ud) {
        gotk_err_free(e);
        *res = tv;
        return NULL;
    }
    if (e)
        return e;
    gotime_loc *made = NULL;
    gotime t;
    time_of(tv, &t, &made);
    t = time_add(t, d);
    *res = time_value(ex, &t);
    gotime_loc_free(made);
    return NULL;
}

/* toDate fmt s (the zero time when s does not parse), mustToDate (ud: the error). */
FN(fn_to_date)
{
    UNUSED;
    gotime t, zero = {-62135596800, 0, gotime_load("UTC"), false, 0};
    gotime_loc *made = NULL;
    gotk_err *e = gotime_parse(SV(argv[0]), SV(argv[1]), gotime_local(), &t, &made);
    if (e && ud)
        return e;
    gotk_err_free(e);
    *res = time_value(ex, e ? &zero : &t);
    gotime_loc_free(made);
    return NULL;
}

/* unixEpoch t: seconds since the epoch. */
FN(fn_unix_epoch)
{
    UNUSED;
    gotk_tpl_val tv = argv[0];
    gotime_loc *made = NULL;
    gotime t;
    time_of(tv, &t, &made);
    gotk_buf b = {0};
    gotk_buf_printf(&b, "%lld", (long long)t.sec);
    *res = sprig_take(ex, &b);
    gotime_loc_free(made);
    return NULL;
}

/* Nanoseconds from t to now. */
static int64_t since(const gotime *t)
{
    gotime now = gotime_now();
    return (now.sec - t->sec) * 1000000000 + (now.nsec - t->nsec);
}

/* ago d: time since d, rounded to the second. */
FN(fn_ago)
{
    UNUSED;
    gotk_tpl_val v = tpl_indirect_iface(argv[0]);
    gotime_loc *made = NULL;
    gotime t = v.kind == GOTK_TPL_INT64 || v.kind == GOTK_TPL_INT || is_time(v) ? date_arg(v, &made)
                                                                                 : gotime_now();
    char out[32];
    gotk_duration_format(gotime_round(since(&t), GOTK_SECOND), out);
    gotime_loc_free(made);
    *res = gotk_tpl_string(ex, out, strlen(out));
    return NULL;
}

/* strconv.ParseInt(s, 10, 64), 0 on error. */
static int64_t parse_int10(const char *s)
{
    const char *d = s + (*s == '+' || *s == '-');
    if (!*d)
        return 0;
    uint64_t u = 0;
    for (; *d; d++) {
        if (*d < '0' || *d > '9' || u > (UINT64_MAX - 9) / 10)
            return 0;
        u = u * 10 + (uint64_t)(*d - '0');
    }
    if (u > (uint64_t)INT64_MAX + (*s == '-'))
        return 0;
    return *s == '-' ? (int64_t)(0 - u) : (int64_t)u;
}

/* duration secs: a string or int64 of seconds as a Go duration. */
FN(fn_duration)
{
    UNUSED;
    gotk_tpl_val v = tpl_indirect_iface(argv[0]);
    int64_t n = 0;
    if (v.kind == GOTK_TPL_STRING)
        n = parse_int10(SV(v));
    else if (v.kind == GOTK_TPL_INT64)
        n = json_object_get_int64(v.j);
    char out[32];
    gotk_duration_format((gotk_duration)((uint64_t)n * (uint64_t)GOTK_SECOND), out);
    *res = gotk_tpl_string(ex, out, strlen(out));
    return NULL;
}

/* durationRound d: the largest whole unit ("2h", "3mo", "1y"). */
FN(fn_duration_round)
{
    UNUSED;
    gotk_tpl_val v = tpl_indirect_iface(argv[0]);
    int64_t d = 0;
    if (is_time(v)) {
        gotime_loc *made = NULL;
        gotime t;
        time_of(v, &t, &made);
        d = since(&t);
        gotime_loc_free(made);
    } else if (v.kind == GOTK_TPL_STRING) {
        gotk_err_free(gotk_duration_parse(SV(v), &d));
    } else if (v.kind == GOTK_TPL_INT64) {
        d = json_object_get_int64(v.j);
    }
    uint64_t u = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;
    static const struct {
        uint64_t unit;
        const char *suffix;
    } units[] = {
        {3600000000000ull * 24 * 365, "y"}, {3600000000000ull * 24 * 30, "mo"},
        {3600000000000ull * 24, "d"}, {3600000000000ull, "h"}, {60000000000ull, "m"},
        {1000000000ull, "s"},
    };
    gotk_buf b = {0};
    for (size_t i = 0; i < sizeof units / sizeof units[0] && !b.len; i++)
        if (u > units[i].unit)
            gotk_buf_printf(&b, "%llu%s", (unsigned long long)(u / units[i].unit), units[i].suffix);
    if (!b.len)
        gotk_buf_puts(&b, "0s");
    *res = sprig_take(ex, &b);
    return NULL;
}

/* ---- methods of time.Time ---------------------------------------------------- */

enum { M_UNIX, M_UNIX_MILLI, M_UNIX_NANO, M_YEAR, M_MONTH, M_DAY, M_HOUR, M_MINUTE, M_SECOND,
       M_NANOSECOND, M_YEARDAY, M_WEEKDAY, M_IS_ZERO, M_STRING, M_JSON };

/* The receiver (argv[0]) as a time; made gets a zone to free. */
static gotime receiver(const gotk_tpl_val *argv, gotime_loc **made)
{
    gotime t;
    *made = NULL;
    time_of(argv[0], &t, made);
    return t;
}

/* A Go int from a layout's digits of t ("2006" -> year...). */
static int64_t field_of(const gotime *t, const char *layout)
{
    gotk_buf b = {0};
    gotime_format(t, layout, &b);
    int64_t v = strtoll(b.data ? b.data : "0", NULL, 10);
    gotk_buf_free(&b);
    return v;
}

/* The accessors without arguments (ud: which). */
FN(time_get)
{
    (void)argc;
    gotime_loc *made;
    gotime t = receiver(argv, &made);
    static const char *const layouts[] = {
        [M_YEAR] = "2006", [M_MONTH] = "January", [M_DAY] = "2", [M_HOUR] = "15",
        [M_MINUTE] = "4", [M_SECOND] = "5", [M_YEARDAY] = "002", [M_WEEKDAY] = "Monday",
    };
    int which = (int)(intptr_t)ud;
    gotk_buf b = {0};
    switch (which) {
    case M_UNIX: *res = gotk_tpl_int64(ex, t.sec); break;
    case M_UNIX_MILLI: *res = gotk_tpl_int64(ex, t.sec * 1000 + t.nsec / 1000000); break;
    case M_UNIX_NANO: *res = gotk_tpl_int64(ex, t.sec * 1000000000 + t.nsec); break;
    case M_NANOSECOND: *res = gotk_tpl_int(ex, t.nsec); break;
    case M_IS_ZERO: *res = gotk_tpl_bool(ex, t.sec == -62135596800 && t.nsec == 0); break;
    case M_MONTH: case M_WEEKDAY: /* time.Month and time.Weekday print as names */
        gotime_format(&t, layouts[which], &b);
        *res = sprig_take(ex, &b);
        res->tname = which == M_MONTH ? "time.Month" : "time.Weekday";
        break;
    case M_STRING: *res = gotk_tpl_string(ex, time_text(argv[0]), strlen(time_text(argv[0]))); break;
    case M_JSON:
        gotk_buf_putc(&b, '"');
        gotime_format(&t, "2006-01-02T15:04:05.999999999Z07:00", &b);
        gotk_buf_putc(&b, '"');
        *res = sprig_take(ex, &b);
        tpl_tag_bytes(res->j);
        res->tname = TPL_BYTES_TYPE;
        break;
    default: *res = gotk_tpl_int(ex, field_of(&t, layouts[which])); break;
    }
    gotime_loc_free(made);
    return NULL;
}

/* Format layout */
FN(time_format)
{
    (void)argc, (void)ud;
    gotime_loc *made;
    gotime t = receiver(argv, &made);
    gotk_buf b = {0};
    gotime_format(&t, SV(argv[1]), &b);
    *res = sprig_take(ex, &b);
    gotime_loc_free(made);
    return NULL;
}

/* UTC and Local (ud): the same instant in another location. */
FN(time_in)
{
    (void)argc;
    gotime_loc *made;
    gotime t = receiver(argv, &made);
    t.loc = ud ? gotime_local() : gotime_load("UTC");
    *res = time_value(ex, &t);
    gotime_loc_free(made);
    return NULL;
}

/* Add d (a time.Duration in nanoseconds). */
FN(time_add_method)
{
    (void)argc, (void)ud;
    gotime_loc *made;
    gotime t = time_add(receiver(argv, &made), json_object_get_int64(argv[1].j));
    *res = time_value(ex, &t);
    gotime_loc_free(made);
    return NULL;
}

/* AddDate years months days: normalized as time.Date does. */
FN(time_add_date)
{
    (void)argc, (void)ud;
    gotime_loc *made;
    gotime t = receiver(argv, &made);
    gotk_buf b = {0};
    gotime_format(&t, "2006 1 2 15 4 5", &b);
    long long y, mo, d, h, mi, se;
    sscanf(b.data, "%lld %lld %lld %lld %lld %lld", &y, &mo, &d, &h, &mi, &se);
    gotk_buf_free(&b);
    gotime n = gotime_date(y + json_object_get_int64(argv[1].j), mo + json_object_get_int64(argv[2].j),
                           d + json_object_get_int64(argv[3].j), h, mi, se, t.nsec, t.loc);
    *res = time_value(ex, &n);
    gotime_loc_free(made);
    return NULL;
}

/* Before, After, Equal (ud '<', '>', '='). */
FN(time_compare)
{
    (void)argc;
    gotime_loc *m1, *m2;
    gotime a = receiver(argv, &m1), b = receiver(argv + 1, &m2);
    int c = a.sec != b.sec ? (a.sec < b.sec ? -1 : 1) : (a.nsec > b.nsec) - (a.nsec < b.nsec);
    char op = (char)(intptr_t)ud;
    *res = gotk_tpl_bool(ex, op == '<' ? c < 0 : op == '>' ? c > 0 : c == 0);
    gotime_loc_free(m1);
    gotime_loc_free(m2);
    return NULL;
}

/* Sub u: t - u as a time.Duration, saturated; by the monotonic readings
 * when both have one. */
FN(time_sub)
{
    (void)argc, (void)ud;
    gotime_loc *m1, *m2;
    gotime a = receiver(argv, &m1), b = receiver(argv + 1, &m2);
    int64_t d;
    if (a.has_mono && b.has_mono) {
        if (__builtin_sub_overflow(a.mono, b.mono, &d))
            d = a.mono > b.mono ? INT64_MAX : INT64_MIN;
    } else {
        int64_t s, ns;
        bool over = __builtin_sub_overflow(a.sec, b.sec, &s) ||
                    __builtin_mul_overflow(s, (int64_t)1000000000, &ns) ||
                    __builtin_add_overflow(ns, (int64_t)a.nsec - b.nsec, &d);
        if (over)
            d = a.sec > b.sec ? INT64_MAX : INT64_MIN;
    }
    *res = sprig_duration_value(ex, d);
    gotime_loc_free(m1);
    gotime_loc_free(m2);
    return NULL;
}

/* Register time.Time's methods. */
static void add_time_methods(gotk_tpl_set *set)
{
    static const struct {
        const char *name, *params;
        gotk_tpl_fn fn;
        intptr_t ud;
    } m[] = {
        {"String", "", time_get, M_STRING}, {"MarshalJSON", "", time_get, M_JSON},
        {"Unix", "", time_get, M_UNIX}, {"UnixMilli", "", time_get, M_UNIX_MILLI},
        {"UnixNano", "", time_get, M_UNIX_NANO}, {"Year", "", time_get, M_YEAR},
        {"Month", "", time_get, M_MONTH}, {"Day", "", time_get, M_DAY},
        {"Hour", "", time_get, M_HOUR}, {"Minute", "", time_get, M_MINUTE},
        {"Second", "", time_get, M_SECOND}, {"Nanosecond", "", time_get, M_NANOSECOND},
        {"YearDay", "", time_get, M_YEARDAY}, {"Weekday", "", time_get, M_WEEKDAY},
        {"IsZero", "", time_get, M_IS_ZERO}, {"Format", "s", time_format, 0},
        {"UTC", "", time_in, 0}, {"Local", "", time_in, 1},
        {"Add", "I", time_add_method, 0}, {"AddDate", "iii", time_add_date, 0},
        {"Before", "R", time_compare, '<'}, {"After", "R", time_compare, '>'},
        {"Equal", "R", time_compare, '='}, {"Sub", "R", time_sub, 0},
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        gotk_template_add_method(set, TIME_TYPE, m[i].name, m[i].params, m[i].fn, (void *)m[i].ud);
}

/* Register the date functions. */
void sprig_add_dates(gotk_tpl_set *set)
{
    static const struct {
        const char *name, *params;
        gotk_tpl_fn fn;
        const char *ud;
    } t[] = {
        {"now", "", fn_now, NULL}, {"date", "sv", fn_date, NULL},
        {"dateInZone", "svs", fn_date_in_zone, NULL}, {"date_in_zone", "svs", fn_date_in_zone, NULL},
        {"htmlDate", "v", fn_html_date, NULL}, {"htmlDateInZone", "vs", fn_html_date, "z"},
        {"dateModify", "st", fn_date_modify, NULL}, {"date_modify", "st", fn_date_modify, NULL},
        {"mustDateModify", "st", fn_date_modify, "m"}, {"must_date_modify", "st", fn_date_modify, "m"},
        {"toDate", "ss", fn_to_date, NULL}, {"mustToDate", "ss", fn_to_date, "m"},
        {"unixEpoch", "t", fn_unix_epoch, NULL}, {"ago", "v", fn_ago, NULL},
        {"duration", "v", fn_duration, NULL}, {"durationRound", "v", fn_duration_round, NULL},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        gotk_template_add_func(set, t[i].name, t[i].params, t[i].fn, (void *)t[i].ud);
    add_time_methods(set);
    sprig_add_duration_methods(set);
}
