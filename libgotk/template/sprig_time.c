/*
 * sprig_time.c: Go's time package for Sprig's dates (see sprig_time.h).
 *
 * Locations come from TZif files (version 2+ data, 64-bit times); past the
 * last transition the last zone stays in effect (Go would also apply the
 * file's POSIX TZ rule, which matters only after 2037 with Debian's files).
 * Layout chunks, formatting and parsing follow Go's time/format.go.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sprig_time.h"

#define SECS_PER_DAY 86400

/* ---- locations ---------------------------------------------------------------- */

static gotime_loc utc_loc; /* no zones: UTC */

static uint64_t be(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* Parse TZif data; NULL when it is not a TZif file. */
static gotime_loc *tzif_parse(const unsigned char *d, size_t len)
{
    if (len < 44 || memcmp(d, "TZif", 4) != 0)
        return NULL;
    int tsize = 4;
    size_t counts[6];
    for (int i = 0; i < 6; i++)
        counts[i] = (size_t)be(d + 20 + 4 * i, 4);
    const unsigned char *p = d + 44;
    if (d[4] >= '2') { /* skip the 32-bit block for the 64-bit one */
        size_t skip = counts[3] * 5 + counts[4] * 6 + counts[5] + counts[2] * 8 + counts[1] + counts[0];
        if ((size_t)(p - d) + skip + 44 > len)
            return NULL;
        p += skip;
        if (memcmp(p, "TZif", 4) != 0)
            return NULL;
        for (int i = 0; i < 6; i++)
            counts[i] = (size_t)be(p + 20 + 4 * i, 4);
        p += 44;
        tsize = 8;
    }
    size_t ntx = counts[3], ntypes = counts[4], nchars = counts[5];
    if (ntypes == 0 || (size_t)(p - d) + ntx * ((size_t)tsize + 1) + ntypes * 6 + nchars > len)
        return NULL;
    gotime_loc *loc = gotk_xcalloc(1, sizeof *loc);
    loc->ntx = (int)ntx;
    loc->tx_at = gotk_xcalloc(ntx + 1, sizeof *loc->tx_at);
    loc->tx_zone = gotk_xcalloc(ntx + 1, 1);
    for (size_t i = 0; i < ntx; i++, p += tsize)
        loc->tx_at[i] = tsize == 8 ? (int64_t)be(p, 8) : (int64_t)(int32_t)be(p, 4);
    for (size_t i = 0; i < ntx; i++)
        loc->tx_zone[i] = *p++ < ntypes ? p[-1] : 0;
    const unsigned char *chars = p + ntypes * 6;
    loc->nzones = (int)ntypes;
    loc->zones = gotk_xcalloc(ntypes, sizeof *loc->zones);
    for (size_t i = 0; i < ntypes; i++, p += 6) {
        loc->zones[i].off = (int32_t)be(p, 4);
        loc->zones[i].dst = p[4] != 0;
        size_t ai = p[5];
        if (ai < nchars)
            snprintf(loc->zones[i].abbr, sizeof loc->zones[i].abbr, "%.*s",
                     (int)strnlen((const char *)chars + ai, nchars - ai), chars + ai);
    }
    return loc;
}

static gotime_loc *load_file(const char *path)
{
    char *data = NULL;
    size_t len = 0;
    gotk_err *e = gotk_file_read(path, &data, &len);
    if (e) {
        gotk_err_free(e);
        return NULL;
    }
    gotime_loc *loc = tzif_parse((const unsigned char *)data, len);
    free(data);
    return loc;
}

gotime_loc *gotime_fixed(const char *abbr, int32_t off)
{
    gotime_loc *loc = gotk_xcalloc(1, sizeof *loc);
    loc->nzones = 1;
    loc->zones = gotk_xcalloc(1, sizeof *loc->zones);
    loc->zones[0].off = off;
    snprintf(loc->zones[0].abbr, sizeof loc->zones[0].abbr, "%s", abbr);
    return loc;
}

void gotime_loc_free(gotime_loc *loc)
{
    if (!loc || loc == &utc_loc || loc == gotime_local())
        return;
    free(loc->zones);
    free(loc->tx_at);
    free(loc->tx_zone);
    free(loc);
}

/* A zone name Go accepts: no "..", not absolute. */
static bool valid_zone_name(const char *name)
{
    return name[0] != '/' && name[0] != '\\' && !strstr(name, "..");
}

static gotime_loc *load_zoneinfo(const char *name)
{
    if (!valid_zone_name(name))
        return NULL;
    char path[512];
    const char *dir = getenv("ZONEINFO");
    if (dir && *dir) {
        snprintf(path, sizeof path, "%s/%s", dir, name);
        gotime_loc *l = load_file(path);
        if (l)
            return l;
    }
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
    return load_file(path);
}

static gotime_loc *local_loc;
static pthread_once_t local_once = PTHREAD_ONCE_INIT;

/* Go's initLocal. */
static void init_local(void)
{
    const char *tz = getenv("TZ");
    gotime_loc *l = NULL;
    if (!tz) {
        l = load_file("/etc/localtime");
    } else if (*tz) {
        if (*tz == ':')
            tz++;
        l = *tz == '/' ? load_file(tz) : (*tz && strcmp(tz, "UTC") ? load_zoneinfo(tz) : NULL);
    }
    local_loc = l ? l : &utc_loc;
}

const gotime_loc *gotime_local(void)
{
    pthread_once(&local_once, init_local);
    return local_loc;
}

gotime_loc *gotime_load(const char *name)
{
    if (!*name || strcmp(name, "UTC") == 0)
        return &utc_loc;
    if (strcmp(name, "Local") == 0)
        return (gotime_loc *)gotime_local();
    return load_zoneinfo(name);
}

/* Go's lookupFirstZone: the zone before the first transition. */
static int first_zone(const gotime_loc *loc)
{
    bool used = false;
    for (int i = 0; i < loc->ntx && !used; i++)
        used = loc->tx_zone[i] == 0;
    if (!used)
        return 0;
    if (loc->ntx > 0 && loc->zones[loc->tx_zone[0]].dst)
        for (int z = loc->tx_zone[0] - 1; z >= 0; z--)
            if (!loc->zones[z].dst)
                return z;
    for (int z = 0; z < loc->nzones; z++)
        if (!loc->zones[z].dst)
            return z;
    return 0;
}

/* The zone at sec with the period it covers [*start, *end). */
static const gotime_zone *lookup_span(const gotime_loc *loc, int64_t sec, int64_t *start,
                                      int64_t *end)
{
    static const gotime_zone utc = {0, false, "UTC"};
    *start = INT64_MIN;
    *end = INT64_MAX;
    if (!loc || loc->nzones == 0)
        return &utc;
    if (loc->ntx == 0 || sec < loc->tx_at[0]) {
        if (loc->ntx > 0)
            *end = loc->tx_at[0];
        return &loc->zones[first_zone(loc)];
    }
    int lo = 0, hi = loc->ntx;
    while (hi - lo > 1) {
        int m = (lo + hi) / 2;
        if (sec < loc->tx_at[m]) {
            *end = loc->tx_at[m];
            hi = m;
        } else {
            lo = m;
        }
    }
    *start = loc->tx_at[lo];
    return &loc->zones[loc->tx_zone[lo]];
}

void gotime_lookup(const gotime_loc *loc, int64_t sec, const char **abbr, int32_t *off)
{
    int64_t s, e;
    const gotime_zone *z = lookup_span(loc, sec, &s, &e);
    *abbr = z->abbr;
    *off = z->off;
}

/* ---- calendar ----------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

typedef struct {
    int64_t year;
    int month, day, yday, wday, hour, min, sec;
} civil;

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static civil civil_from_secs(int64_t secs)
{
    civil c;
    int64_t days = floor_div(secs, SECS_PER_DAY), rem = secs - days * SECS_PER_DAY;
    c.hour = (int)(rem / 3600);
    c.min = (int)(rem % 3600 / 60);
    c.sec = (int)(rem % 60);
    c.wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    c.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    c.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    c.year = yoe + era * 400 + (c.month <= 2);
    c.yday = (int)(days - days_from_civil(c.year, 1, 1)) + 1;
    return c;
}

static bool is_leap(int64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int days_in(int month, int64_t year)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : dm[month - 1];
}

/* time.Date in loc: wall clock values (normalized as Go does) to a time. */
gotime gotime_date(int64_t year, int64_t month, int64_t day, int64_t hour, int64_t min,
                      int64_t sec, int64_t nsec, const gotime_loc *loc)
{
    int64_t m0 = month - 1;
    year += floor_div(m0, 12);
    m0 -= floor_div(m0, 12) * 12;
    sec += floor_div(nsec, 1000000000);
    nsec -= floor_div(nsec, 1000000000) * 1000000000;
    int64_t unix = (days_from_civil(year, m0 + 1, 1) + day - 1) * SECS_PER_DAY + hour * 3600 +
                   min * 60 + sec;
    int64_t start, end;
    int32_t off = lookup_span(loc, unix, &start, &end)->off;
    if (off != 0) {
        int64_t utc = unix - off;
        if (utc < start || utc >= end)
            off = lookup_span(loc, utc, &start, &end)->off;
        unix -= off;
    }
    return (gotime){unix, (int32_t)nsec, loc, false, 0};
}

/* ---- layouts ------------------------------------------------------------------ */

enum {
    STD_NONE, STD_LONG_MONTH, STD_MONTH, STD_NUM_MONTH, STD_ZERO_MONTH, STD_LONG_WEEKDAY,
    STD_WEEKDAY, STD_DAY, STD_UNDER_DAY, STD_ZERO_DAY, STD_UNDER_YDAY, STD_ZERO_YDAY,
    STD_HOUR, STD_HOUR12, STD_ZERO_HOUR12, STD_MINUTE, STD_ZERO_MINUTE, STD_SECOND,
    STD_ZERO_SECOND, STD_LONG_YEAR, STD_YEAR, STD_PM, STD_pm, STD_TZ,
    STD_ISO_TZ, STD_ISO_SECONDS_TZ, STD_ISO_SHORT_TZ, STD_ISO_COLON_TZ, STD_ISO_COLON_SECONDS_TZ,
    STD_NUM_TZ, STD_NUM_SECONDS_TZ, STD_NUM_SHORT_TZ, STD_NUM_COLON_TZ, STD_NUM_COLON_SECONDS_TZ,
    STD_FRAC0, STD_FRAC9,
};

/* A layout chunk: text before it, its code, where it ends. */
typedef struct {
    size_t prefix; /* bytes of literal text before the chunk */
    int std;
    size_t len; /* bytes of the chunk */
    int digits; /* fractional seconds: how many */
    char sep;   /* fractional seconds: '.' or ',' */
} chunk;

static bool lower_at(const char *s)
{
    return *s >= 'a' && *s <= 'z';
}

static bool digit_at(const char *s, size_t i, size_t n)
{
    return i < n && s[i] >= '0' && s[i] <= '9';
}

/* Which std chunk starts at l[i] (of n bytes); STD_NONE for none. */
static int std_at(const char *l, size_t i, size_t n, size_t *len, chunk *c)
{
    const char *p = l + i;
    size_t r = n - i;
#define IS(str) (r >= sizeof(str) - 1 && memcmp(p, str, sizeof(str) - 1) == 0 && (*len = sizeof(str) - 1))
    switch (*p) {
    case 'J':
        if (IS("January")) return STD_LONG_MONTH;
        if (IS("Jan") && !lower_at(p + 3)) return STD_MONTH;
        break;
    case 'M':
        if (IS("Monday")) return STD_LONG_WEEKDAY;
        if (IS("Mon") && !lower_at(p + 3)) return STD_WEEKDAY;
        if (IS("MST")) return STD_TZ;
        break;
    case '0':
        if (r >= 2 && p[1] >= '1' && p[1] <= '6') {
            static const int z[] = {STD_ZERO_MONTH, STD_ZERO_DAY, STD_ZERO_HOUR12, STD_ZERO_MINUTE, STD_ZERO_SECOND, STD_YEAR};
            *len = 2;
            return z[p[1] - '1'];
        }
        if (IS("002")) return STD_ZERO_YDAY;
        break;
    case '1':
        if (IS("15")) return STD_HOUR;
        *len = 1;
        return STD_NUM_MONTH;
    case '2':
        if (IS("2006")) return STD_LONG_YEAR;
        *len = 1;
        return STD_DAY;
    case '_':
        if (r >= 2 && p[1] == '2') {
            if (r >= 5 && memcmp(p + 1, "2006", 4) == 0)
                return STD_NONE; /* "_2006" is "_" then the year: handled by the caller */
            *len = 2;
            return STD_UNDER_DAY;
        }
        if (IS("__2")) return STD_UNDER_YDAY;
        break;
    case '3': *len = 1; return STD_HOUR12;
    case '4': *len = 1; return STD_MINUTE;
    case '5': *len = 1; return STD_SECOND;
    case 'P': if (IS("PM")) return STD_PM; break;
    case 'p': if (IS("pm")) return STD_pm; break;
    case '-':
        if (IS("-070000")) return STD_NUM_SECONDS_TZ;
        if (IS("-07:00:00")) return STD_NUM_COLON_SECONDS_TZ;
        if (IS("-0700")) return STD_NUM_TZ;
        if (IS("-07:00")) return STD_NUM_COLON_TZ;
        if (IS("-07")) return STD_NUM_SHORT_TZ;
        break;
    case 'Z':
        if (IS("Z070000")) return STD_ISO_SECONDS_TZ;
        if (IS("Z07:00:00")) return STD_ISO_COLON_SECONDS_TZ;
        if (IS("Z0700")) return STD_ISO_TZ;
        if (IS("Z07:00")) return STD_ISO_COLON_TZ;
        if (IS("Z07")) return STD_ISO_SHORT_TZ;
        break;
    case '.': case ',':
        if (r >= 2 && (p[1] == '0' || p[1] == '9')) {
            size_t j = 1;
            while (j < r && p[j] == p[1])
                j++;
            if (!digit_at(p, j, r)) {
                *len = j;
                c->digits = (int)j - 1;
                c->sep = *p;
                return p[1] == '0' ? STD_FRAC0 : STD_FRAC9;
            }
        }
        break;
    }
#undef IS
    return STD_NONE;
}

/* Go's nextStdChunk over l[0, n). */
static chunk next_chunk(const char *l, size_t n)
{
    chunk c = {0};
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        if (l[i] == '_' && i + 5 <= n && memcmp(l + i + 1, "2006", 4) == 0) {
            c.prefix = i + 1;
            c.std = STD_LONG_YEAR;
            c.len = 4;
            return c;
        }
        int std = std_at(l, i, n, &len, &c);
        if (std != STD_NONE) {
            c.prefix = i;
            c.std = std;
            c.len = len;
            return c;
        }
    }
    c.prefix = n;
    return c;
}

/* ---- formatting --------------------------------------------------------------- */

static const char *const long_months[] = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"};
static const char *const long_days[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

/* Go's appendInt: x zero-padded to width digits. */
static void put_int(gotk_buf *b, int64_t x, int width)
{
    if (x < 0) {
        gotk_buf_putc(b, '-');
        x = -x;
    }
    gotk_buf_printf(b, "%0*lld", width, (long long)x);
}

/* A numeric zone offset: +hh[[:]mm[[:]ss]]. */
static void put_offset(gotk_buf *b, int32_t off, int std)
{
    bool colon = std == STD_ISO_COLON_TZ || std == STD_NUM_COLON_TZ ||
                 std == STD_ISO_COLON_SECONDS_TZ || std == STD_NUM_COLON_SECONDS_TZ;
    bool secs = std == STD_ISO_SECONDS_TZ || std == STD_NUM_SECONDS_TZ ||
                std == STD_ISO_COLON_SECONDS_TZ || std == STD_NUM_COLON_SECONDS_TZ;
    int32_t zone = off / 60, abs = off;
    if (zone < 0) {
        gotk_buf_putc(b, '-');
        zone = -zone;
        abs = -abs;
    } else {
        gotk_buf_putc(b, '+');
    }
    put_int(b, zone / 60, 2);
    if (colon)
        gotk_buf_putc(b, ':');
    if (std != STD_NUM_SHORT_TZ && std != STD_ISO_SHORT_TZ)
        put_int(b, zone % 60, 2);
    if (secs) {
        if (colon)
            gotk_buf_putc(b, ':');
        put_int(b, abs % 60, 2);
    }
}

/* Fractional seconds: n digits, trailing zeros dropped for the 9 form. */
static void put_frac(gotk_buf *b, int32_t nsec, const chunk *c)
{
    char digits[10];
    snprintf(digits, sizeof digits, "%09d", nsec);
    int n = c->digits > 9 ? 9 : c->digits;
    if (c->std == STD_FRAC9) {
        while (n > 0 && digits[n - 1] == '0')
            n--;
        if (n == 0)
            return;
    }
    gotk_buf_putc(b, c->sep);
    gotk_buf_append(b, digits, (size_t)n);
}

static void put_chunk(gotk_buf *b, const chunk *c, const civil *cv, int32_t nsec, int32_t off,
                      const char *abbr)
{
    switch (c->std) {
    case STD_YEAR: put_int(b, (cv->year < 0 ? -cv->year : cv->year) % 100, 2); break;
    case STD_LONG_YEAR: put_int(b, cv->year, 4); break;
    case STD_MONTH: gotk_buf_append(b, long_months[cv->month - 1], 3); break;
    case STD_LONG_MONTH: gotk_buf_puts(b, long_months[cv->month - 1]); break;
    case STD_NUM_MONTH: put_int(b, cv->month, 0); break;
    case STD_ZERO_MONTH: put_int(b, cv->month, 2); break;
    case STD_WEEKDAY: gotk_buf_append(b, long_days[cv->wday], 3); break;
    case STD_LONG_WEEKDAY: gotk_buf_puts(b, long_days[cv->wday]); break;
    case STD_DAY: put_int(b, cv->day, 0); break;
    case STD_UNDER_DAY: gotk_buf_printf(b, "%2d", cv->day); break;
    case STD_ZERO_DAY: put_int(b, cv->day, 2); break;
    case STD_UNDER_YDAY: gotk_buf_printf(b, "%3d", cv->yday); break;
    case STD_ZERO_YDAY: put_int(b, cv->yday, 3); break;
    case STD_HOUR: put_int(b, cv->hour, 2); break;
    case STD_HOUR12: put_int(b, cv->hour % 12 ? cv->hour % 12 : 12, 0); break;
    case STD_ZERO_HOUR12: put_int(b, cv->hour % 12 ? cv->hour % 12 : 12, 2); break;
    case STD_MINUTE: put_int(b, cv->min, 0); break;
    case STD_ZERO_MINUTE: put_int(b, cv->min, 2); break;
    case STD_SECOND: put_int(b, cv->sec, 0); break;
    case STD_ZERO_SECOND: put_int(b, cv->sec, 2); break;
    case STD_PM: gotk_buf_puts(b, cv->hour >= 12 ? "PM" : "AM"); break;
    case STD_pm: gotk_buf_puts(b, cv->hour >= 12 ? "pm" : "am"); break;
    case STD_ISO_TZ: case STD_ISO_SECONDS_TZ: case STD_ISO_SHORT_TZ: case STD_ISO_COLON_TZ:
    case STD_ISO_COLON_SECONDS_TZ:
        if (off == 0) {
            gotk_buf_putc(b, 'Z');
            break;
        }
        put_offset(b, off, c->std);
        break;
    case STD_NUM_TZ: case STD_NUM_SECONDS_TZ: case STD_NUM_SHORT_TZ: case STD_NUM_COLON_TZ:
    case STD_NUM_COLON_SECONDS_TZ:
        put_offset(b, off, c->std);
        break;
    case STD_TZ:
        if (*abbr) {
            gotk_buf_puts(b, abbr);
        } else {
            int32_t z = off / 60;
            gotk_buf_putc(b, z < 0 ? '-' : '+');
            z = z < 0 ? -z : z;
            put_int(b, z / 60, 2);
            put_int(b, z % 60, 2);
        }
        break;
    case STD_FRAC0: case STD_FRAC9: put_frac(b, nsec, c); break;
    }
}

void gotime_format(const gotime *t, const char *layout, gotk_buf *out)
{
    const char *abbr;
    int32_t off;
    gotime_lookup(t->loc, t->sec, &abbr, &off);
    civil cv = civil_from_secs(t->sec + off);
    size_t n = strlen(layout);
    while (n > 0) {
        chunk c = next_chunk(layout, n);
        gotk_buf_append(out, layout, c.prefix);
        if (c.std == STD_NONE)
            break;
        put_chunk(out, &c, &cv, t->nsec, off, abbr);
        layout += c.prefix + c.len;
        n -= c.prefix + c.len;
    }
}

void gotime_string(const gotime *t, gotk_buf *out)
{
    gotime_format(t, "2006-01-02 15:04:05.999999999 -0700 MST", out);
    if (!t->has_mono)
        return;
    int64_t m = t->mono;
    char sign = m < 0 ? '-' : '+';
    uint64_t u = m < 0 ? (uint64_t)0 - (uint64_t)m : (uint64_t)m;
    gotk_buf_printf(out, " m=%c%llu.%09llu", sign, (unsigned long long)(u / 1000000000),
                    (unsigned long long)(u % 1000000000));
}

static struct timespec mono_start;
static pthread_once_t mono_once = PTHREAD_ONCE_INIT;

/* The monotonic clock at the first reading: Go counts from process start. */
static void mono_init(void)
{
    clock_gettime(CLOCK_MONOTONIC, &mono_start);
}

gotime gotime_now(void)
{
    struct timespec rt, mt;
    pthread_once(&mono_once, mono_init);
    clock_gettime(CLOCK_REALTIME, &rt);
    clock_gettime(CLOCK_MONOTONIC, &mt);
    int64_t mono = (int64_t)(mt.tv_sec - mono_start.tv_sec) * 1000000000 + (mt.tv_nsec - mono_start.tv_nsec) + 1;
    return (gotime){rt.tv_sec, (int32_t)rt.tv_nsec, gotime_local(), true, mono};
}

int64_t gotime_round(int64_t d, int64_t m)
{
    if (m <= 0)
        return d;
    int64_t r = d % m;
    if (d < 0) {
        r = -r;
        if ((uint64_t)r + (uint64_t)r < (uint64_t)m)
            return d + r;
        int64_t d1 = d - m + r;
        return d1 < d ? d1 : INT64_MIN;
    }
    if ((uint64_t)r + (uint64_t)r < (uint64_t)m)
        return d - r;
    int64_t d1 = d + m - r;
    return d1 > d ? d1 : INT64_MAX;
}

/* ---- parsing ------------------------------------------------------------------ */

/* Go's time.quote: in double quotes, bytes outside printable ASCII as \xNN. */
static void tquote(gotk_buf *b, const char *s, size_t n)
{
    gotk_buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 || c < ' ')
            gotk_buf_printf(b, "\\x%02x", c);
        else if (c == '"' || c == '\\')
            gotk_buf_printf(b, "\\%c", c);
        else
            gotk_buf_putc(b, (char)c);
    }
    gotk_buf_putc(b, '"');
}

typedef struct {
    const char *layout, *value; /* the whole inputs, for messages */
} parse_ctx;

/* A ParseError: "cannot parse VALUE_ELEM as LAYOUT_ELEM", or msg when given. */
static gotk_err *parse_error(const parse_ctx *pc, const char *lelem, size_t llen, const char *velem,
                             const char *msg)
{
    gotk_buf b = {0};
    gotk_buf_puts(&b, "parsing time ");
    tquote(&b, pc->value, strlen(pc->value));
    if (msg) {
        gotk_buf_puts(&b, msg);
    } else {
        gotk_buf_puts(&b, " as ");
        tquote(&b, pc->layout, strlen(pc->layout));
        gotk_buf_puts(&b, ": cannot parse ");
        tquote(&b, velem, strlen(velem));
        gotk_buf_puts(&b, " as ");
        tquote(&b, lelem, llen);
    }
    gotk_err *e = gotk_err_new(GOTK_E_INVALID, "%s", b.data);
    gotk_buf_free(&b);
    return e;
}

/* Go's skip: match literal layout text, runs of spaces matching runs. */
static bool skip_prefix(const char **v, const char *p, size_t n)
{
    const char *s = *v;
    size_t i = 0;
    while (i < n) {
        if (p[i] == ' ') {
            if (*s && *s != ' ')
                return false;
            while (i < n && p[i] == ' ')
                i++;
            while (*s == ' ')
                s++;
            continue;
        }
        if (!*s || *s != p[i])
            return false;
        s++;
        i++;
    }
    *v = s;
    return true;
}

/* getnum: one or two digits (exactly two when fixed). */
static bool getnum(const char **v, bool fixed, int *out)
{
    const char *s = *v;
    if (!(s[0] >= '0' && s[0] <= '9'))
        return false;
    if (!(s[1] >= '0' && s[1] <= '9')) {
        if (fixed)
            return false;
        *out = s[0] - '0';
        *v = s + 1;
        return true;
    }
    *out = (s[0] - '0') * 10 + s[1] - '0';
    *v = s + 2;
    return true;
}

static bool getnum3(const char **v, bool fixed, int *out)
{
    const char *s = *v;
    int n = 0, i = 0;
    for (; i < 3 && s[i] >= '0' && s[i] <= '9'; i++)
        n = n * 10 + s[i] - '0';
    if (i == 0 || (fixed && i != 3))
        return false;
    *out = n;
    *v = s + i;
    return true;
}

/* lookup: the index of the name (ASCII case-insensitive) the value starts with. */
static int lookup_name(const char *const *names, int count, size_t len, const char **v)
{
    for (int i = 0; i < count; i++) {
        size_t n = len ? len : strlen(names[i]);
        if (strlen(*v) >= n && strncasecmp(*v, names[i], n) == 0) {
            *v += n;
            return i;
        }
    }
    return -1;
}

/* Go's atoi on exactly n bytes (sign allowed). */
static bool atoi_n(const char *s, size_t n, int64_t *out)
{
    bool neg = false;
    if (n > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        s++;
        n--;
    }
    if (n == 0)
        return false;
    int64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9' || x > (INT64_MAX - 9) / 10)
            return false;
        x = x * 10 + s[i] - '0';
    }
    *out = neg ? -x : x;
    return true;
}

/* parseNanoseconds of value[0, nbytes) (separator included). */
static bool parse_nanos(const char *v, size_t nbytes, int32_t *ns, const char **range)
{
    if (v[0] != '.' && v[0] != ',')
        return false;
    if (nbytes > 10)
        nbytes = 10;
    int64_t x;
    if (!atoi_n(v + 1, nbytes - 1, &x))
        return false;
    if (x < 0) {
        *range = "fractional second";
        return true;
    }
    for (size_t i = nbytes; i < 10; i++)
        x *= 10;
    *ns = (int32_t)x;
    return true;
}

/* parseSignedOffset: length of "+hh" style offsets (hours up to 12), or 0. */
static size_t signed_offset(const char *v)
{
    if (v[0] != '-' && v[0] != '+')
        return 0;
    size_t i = 1;
    int64_t x = 0;
    while (v[i] >= '0' && v[i] <= '9' && x < 100)
        x = x * 10 + v[i++] - '0';
    if (i == 1 || x > 12)
        return 0;
    return i;
}

/* parseTimeZone: length of a zone abbreviation at v, or 0. */
static size_t zone_name_len(const char *v)
{
    size_t n = strlen(v);
    if (n < 3)
        return 0;
    if (n >= 4 && (strncmp(v, "ChST", 4) == 0 || strncmp(v, "MeST", 4) == 0))
        return 4;
    if (strncmp(v, "GMT", 3) == 0)
        return 3 + (v[3] ? signed_offset(v + 3) : 0);
    if (v[0] == '+' || v[0] == '-')
        return signed_offset(v);
    size_t up = 0;
    while (up < 6 && up < n && v[up] >= 'A' && v[up] <= 'Z')
        up++;
    switch (up) {
    case 5: return v[4] == 'T' ? 5 : 0;
    case 4: return v[3] == 'T' || strncmp(v, "WITA", 4) == 0 ? 4 : 0;
    case 3: return 3;
    default: return 0;
    }
}

typedef struct {
    int64_t year;
    int month, day, yday, hour, min, sec;
    int32_t nsec;
    bool am, pm, utc;
    int32_t zone_off; /* -1: none */
    bool has_zone_off;
    char zone_name[16];
} parsed;

static bool parse_offset(const char **v, int std, parsed *p, const char **range)
{
    const char *s = *v;
    size_t n = strlen(s);
    char hh[3] = {0}, mm[3] = "00", ss[3] = "00";
    if (std == STD_ISO_COLON_TZ || std == STD_NUM_COLON_TZ) {
        if (n < 6 || s[3] != ':')
            return false;
        memcpy(hh, s + 1, 2), memcpy(mm, s + 4, 2), *v = s + 6;
    } else if (std == STD_NUM_SHORT_TZ || std == STD_ISO_SHORT_TZ) {
        if (n < 3)
            return false;
        memcpy(hh, s + 1, 2), *v = s + 3;
    } else if (std == STD_ISO_COLON_SECONDS_TZ || std == STD_NUM_COLON_SECONDS_TZ) {
        if (n < 9 || s[3] != ':' || s[6] != ':')
            return false;
        memcpy(hh, s + 1, 2), memcpy(mm, s + 4, 2), memcpy(ss, s + 7, 2), *v = s + 9;
    } else if (std == STD_ISO_SECONDS_TZ || std == STD_NUM_SECONDS_TZ) {
        if (n < 7)
            return false;
        memcpy(hh, s + 1, 2), memcpy(mm, s + 3, 2), memcpy(ss, s + 5, 2), *v = s + 7;
    } else {
        if (n < 5)
            return false;
        memcpy(hh, s + 1, 2), memcpy(mm, s + 3, 2), *v = s + 5;
    }
    int h, m, sec;
    const char *ph = hh, *pm = mm, *ps = ss;
    if (!getnum(&ph, true, &h) || !getnum(&pm, true, &m) || !getnum(&ps, true, &sec))
        return false;
    if (h > 24)
        *range = "time zone offset hour";
    if (m > 60)
        *range = "time zone offset minute";
    if (sec > 60)
        *range = "time zone offset second";
    p->zone_off = (h * 60 + m) * 60 + sec;
    p->has_zone_off = true;
    if (s[0] == '-')
        p->zone_off = -p->zone_off;
    else if (s[0] != '+')
        return false;
    return true;
}

/* Parse one std chunk from *v into p; false for a mismatch, *range for a
 * value out of range. `rest` is the layout after the chunk. */
static bool parse_chunk(const chunk *c, const char **v, parsed *p, const char **range,
                        const char *rest, size_t rest_len)
{
    const char *s = *v;
    int n;
    switch (c->std) {
    case STD_YEAR: {
        int64_t y;
        if (strlen(s) < 2 || !atoi_n(s, 2, &y))
            return false;
        p->year = y >= 69 ? y + 1900 : y + 2000;
        *v = s + 2;
        return true;
    }
    case STD_LONG_YEAR:
        if (strlen(s) < 4 || !(s[0] >= '0' && s[0] <= '9') || !atoi_n(s, 4, &p->year))
            return false;
        *v = s + 4;
        return true;
    case STD_MONTH: case STD_LONG_MONTH:
        n = lookup_name(long_months, 12, c->std == STD_MONTH ? 3 : 0, v);
        p->month = n + 1;
        return n >= 0;
    case STD_NUM_MONTH: case STD_ZERO_MONTH:
        if (!getnum(v, c->std == STD_ZERO_MONTH, &p->month))
            return false;
        if (p->month <= 0 || p->month > 12)
            *range = "month";
        return true;
    case STD_WEEKDAY: case STD_LONG_WEEKDAY:
        return lookup_name(long_days, 7, c->std == STD_WEEKDAY ? 3 : 0, v) >= 0;
    case STD_DAY: case STD_UNDER_DAY: case STD_ZERO_DAY:
        if (c->std == STD_UNDER_DAY && *s == ' ')
            (*v)++;
        return getnum(v, c->std == STD_ZERO_DAY, &p->day);
    case STD_UNDER_YDAY: case STD_ZERO_YDAY:
        for (int i = 0; i < 2; i++)
            if (c->std == STD_UNDER_YDAY && **v == ' ')
                (*v)++;
        return getnum3(v, c->std == STD_ZERO_YDAY, &p->yday);
    case STD_HOUR:
        if (!getnum(v, false, &p->hour))
            return false;
        if (p->hour >= 24)
            *range = "hour";
        return true;
    case STD_HOUR12: case STD_ZERO_HOUR12:
        if (!getnum(v, c->std == STD_ZERO_HOUR12, &p->hour))
            return false;
        if (p->hour > 12)
            *range = "hour";
        return true;
    case STD_MINUTE: case STD_ZERO_MINUTE:
        if (!getnum(v, c->std == STD_ZERO_MINUTE, &p->min))
            return false;
        if (p->min >= 60)
            *range = "minute";
        return true;
    case STD_SECOND: case STD_ZERO_SECOND: {
        if (!getnum(v, c->std == STD_ZERO_SECOND, &p->sec))
            return false;
        if (p->sec >= 60) {
            *range = "second";
            return true;
        }
        s = *v;
        if (strlen(s) >= 2 && (s[0] == '.' || s[0] == ',') && s[1] >= '0' && s[1] <= '9') {
            chunk nc = next_chunk(rest, rest_len);
            if (nc.std == STD_FRAC0 || nc.std == STD_FRAC9)
                return true;
            size_t k = 2;
            while (s[k] >= '0' && s[k] <= '9')
                k++;
            if (!parse_nanos(s, k, &p->nsec, range))
                return false;
            *v = s + k;
        }
        return true;
    }
    case STD_PM: case STD_pm: {
        if (strlen(s) < 2)
            return false;
        const char *pm = c->std == STD_PM ? "PM" : "pm", *am = c->std == STD_PM ? "AM" : "am";
        if (strncmp(s, pm, 2) == 0)
            p->pm = true;
        else if (strncmp(s, am, 2) == 0)
            p->am = true;
        else
            return false;
        *v = s + 2;
        return true;
    }
    case STD_ISO_TZ: case STD_ISO_SECONDS_TZ: case STD_ISO_SHORT_TZ: case STD_ISO_COLON_TZ:
    case STD_ISO_COLON_SECONDS_TZ:
        if (*s == 'Z') {
            *v = s + 1;
            p->utc = true;
            return true;
        }
        return parse_offset(v, c->std, p, range);
    case STD_NUM_TZ: case STD_NUM_SECONDS_TZ: case STD_NUM_SHORT_TZ: case STD_NUM_COLON_TZ:
    case STD_NUM_COLON_SECONDS_TZ:
        return parse_offset(v, c->std, p, range);
    case STD_TZ: {
        if (strncmp(s, "UTC", 3) == 0) {
            p->utc = true;
            *v = s + 3;
            return true;
        }
        size_t zl = zone_name_len(s);
        if (!zl)
            return false;
        snprintf(p->zone_name, sizeof p->zone_name, "%.*s", (int)zl, s);
        *v = s + zl;
        return true;
    }
    case STD_FRAC0: {
        size_t nd = 1 + (size_t)c->digits;
        if (strlen(s) < nd || !parse_nanos(s, nd, &p->nsec, range))
            return false;
        *v = s + nd;
        return true;
    }
    case STD_FRAC9: {
        if (strlen(s) < 2 || (s[0] != '.' && s[0] != ',') || s[1] < '0' || s[1] > '9')
            return true;
        size_t i = 0;
        while (s[i + 1] >= '0' && s[i + 1] <= '9')
            i++;
        if (!parse_nanos(s, 1 + i, &p->nsec, range))
            return false;
        *v = s + 1 + i;
        return true;
    }
    }
    return false;
}

/* Day and month from a day of the year; an error message or NULL. */
static const char *apply_yday(parsed *p)
{
    static const int before[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};
    int yday = p->yday, m = 0, d = 0;
    if (is_leap(p->year)) {
        if (yday == 31 + 29)
            m = 2, d = 29;
        else if (yday > 31 + 29)
            yday--;
    }
    if (yday < 1 || yday > 365)
        return ": day-of-year out of range";
    if (m == 0) {
        m = (yday - 1) / 31 + 1;
        if (before[m] < yday)
            m++;
        d = yday - before[m - 1];
    }
    if (p->month >= 0 && p->month != m)
        return ": day-of-year does not match month";
    if (p->day >= 0 && p->day != d)
        return ": day-of-year does not match day";
    p->month = m;
    p->day = d;
    return NULL;
}

/* Offset of the zone named `name` in loc around unix (Go's lookupName). */
static bool lookup_zone_name(const gotime_loc *loc, const char *name, int64_t unix, int32_t *off)
{
    for (int i = 0; loc && i < loc->nzones; i++) {
        if (strcmp(loc->zones[i].abbr, name) != 0)
            continue;
        const char *a;
        int32_t o;
        gotime_lookup(loc, unix - loc->zones[i].off, &a, &o);
        if (strcmp(a, name) == 0) {
            *off = o;
            return true;
        }
    }
    for (int i = 0; loc && i < loc->nzones; i++)
        if (strcmp(loc->zones[i].abbr, name) == 0) {
            *off = loc->zones[i].off;
            return true;
        }
    return false;
}

/* The time of parsed fields, with the zone rules of Go's parse. */
static gotime finish(const parsed *p, const gotime_loc *loc, gotime_loc **made)
{
    const gotime_loc *local = gotime_local();
    if (p->utc)
        return gotime_date(p->year, p->month, p->day, p->hour, p->min, p->sec, p->nsec, gotime_load("UTC"));
    gotime t = gotime_date(p->year, p->month, p->day, p->hour, p->min, p->sec, p->nsec, gotime_load("UTC"));
    if (p->has_zone_off) {
        t.sec -= p->zone_off;
        const char *a;
        int32_t o;
        gotime_lookup(local, t.sec, &a, &o);
        if (o == p->zone_off && (!p->zone_name[0] || strcmp(a, p->zone_name) == 0)) {
            t.loc = local;
            return t;
        }
        *made = gotime_fixed(p->zone_name, p->zone_off);
        t.loc = *made;
        return t;
    }
    if (p->zone_name[0]) {
        int32_t off = 0;
        if (lookup_zone_name(local, p->zone_name, t.sec, &off)) {
            t.sec -= off;
            t.loc = local;
            return t;
        }
        if (strlen(p->zone_name) > 3 && strncmp(p->zone_name, "GMT", 3) == 0)
            off = atoi(p->zone_name + 3) * 3600;
        *made = gotime_fixed(p->zone_name, off);
        t.loc = *made;
        return t;
    }
    return gotime_date(p->year, p->month, p->day, p->hour, p->min, p->sec, p->nsec, loc);
}

gotk_err *gotime_parse(const char *layout, const char *value, const gotime_loc *loc, gotime *t,
                       gotime_loc **made)
{
    parse_ctx pc = {layout, value};
    parsed p = {.year = 0, .month = -1, .day = -1, .yday = -1, .zone_off = -1};
    const char *l = layout, *v = value;
    size_t ln = strlen(layout);
    *made = NULL;
    for (;;) {
        chunk c = next_chunk(l, ln);
        if (!skip_prefix(&v, l, c.prefix))
            return parse_error(&pc, l, c.prefix, v, NULL);
        if (c.std == STD_NONE) {
            if (*v) {
                gotk_buf m = {0};
                gotk_buf_puts(&m, ": extra text: ");
                tquote(&m, v, strlen(v));
                gotk_err *e = parse_error(&pc, "", 0, v, m.data);
                gotk_buf_free(&m);
                return e;
            }
            break;
        }
        const char *stdstr = l + c.prefix, *hold = v, *range = NULL;
        l += c.prefix + c.len;
        ln -= c.prefix + c.len;
        bool ok = parse_chunk(&c, &v, &p, &range, l, ln);
        if (range) {
            gotk_buf m = {0};
            gotk_buf_printf(&m, ": %s out of range", range);
            gotk_err *e = parse_error(&pc, stdstr, c.len, v, m.data);
            gotk_buf_free(&m);
            return e;
        }
        if (!ok)
            return parse_error(&pc, stdstr, c.len, hold, NULL);
    }
    if (p.pm && p.hour < 12)
        p.hour += 12;
    else if (p.am && p.hour == 12)
        p.hour = 0;
    if (p.yday >= 0) {
        const char *msg = apply_yday(&p);
        if (msg)
            return parse_error(&pc, "", 0, v, msg);
    } else {
        if (p.month < 0)
            p.month = 1;
        if (p.day < 0)
            p.day = 1;
    }
    if (p.day < 1 || p.day > days_in(p.month, p.year))
        return parse_error(&pc, "", 0, v, ": day out of range");
    *t = finish(&p, loc, made);
    return NULL;
}
