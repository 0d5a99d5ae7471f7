/*
 * sprig_time.h: Go's time package as Sprig's date functions need it (internal
 * to the template module): locations from the system's tz database (TZif
 * files, as Go's LoadLocation reads them), Time.Format and time.Parse with
 * Go's layouts ("2006-01-02 15:04:05") and Go's parse errors.
 */
#ifndef GOTK_SPRIG_TIME_H
#define GOTK_SPRIG_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "gotk/core.h"
#include "gotk/template.h"

/* A zone of a location: offset east of UTC and abbreviation. */
typedef struct {
    int32_t off;
    bool dst;
    char abbr[16];
} gotime_zone;

/* A location: UTC (no zones), a fixed zone (one zone, no transitions) or a
 * tz database zone. */
typedef struct {
    gotime_zone *zones;
    int nzones;
    int64_t *tx_at;   /* transition times */
    uint8_t *tx_zone; /* zone index from each transition on */
    int ntx;
} gotime_loc;

/* A Go time.Time: seconds since the Unix epoch, nanoseconds, its location
 * (borrowed) and the monotonic reading `now` carries. */
typedef struct {
    int64_t sec;
    int32_t nsec;
    const gotime_loc *loc;
    bool has_mono;
    int64_t mono; /* nanoseconds since the process's first reading */
} gotime;

/* time.LoadLocation: "UTC" and "" are UTC, "Local" the machine's zone (TZ or
 * /etc/localtime), others files under /usr/share/zoneinfo. NULL on failure. */
gotime_loc *gotime_load(const char *name);
/* The machine's zone, loaded once; never NULL (UTC when unknown). */
const gotime_loc *gotime_local(void);
/* A fixed zone (time.FixedZone). */
gotime_loc *gotime_fixed(const char *abbr, int32_t off);
void gotime_loc_free(gotime_loc *loc);

/* The zone in effect at sec: abbreviation and offset. */
void gotime_lookup(const gotime_loc *loc, int64_t sec, const char **abbr, int32_t *off);

/* time.Now in Local, with a monotonic reading. */
gotime gotime_now(void);
/* Time.Format(layout), appended to out. */
void gotime_format(const gotime *t, const char *layout, gotk_buf *out);
/* Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST" and " m=+S.NNNNNNNNN". */
void gotime_string(const gotime *t, gotk_buf *out);
/* time.ParseInLocation(layout, value, loc). A fixed zone the result needs is
 * allocated into *made (free it with the time); NULL error on success. */
gotk_err *gotime_parse(const char *layout, const char *value, const gotime_loc *loc, gotime *t,
                       gotime_loc **made);
/* time.Date(year, month, day, hour, min, sec, nsec, loc), normalizing overflows. */
gotime gotime_date(int64_t year, int64_t month, int64_t day, int64_t hour, int64_t min,
                   int64_t sec, int64_t nsec, const gotime_loc *loc);
/* Duration.Round(m). */
int64_t gotime_round(int64_t d, int64_t m);

/* A time.Duration of d nanoseconds as a template value, and its methods
 * (sprig_duration.c). */
gotk_tpl_val sprig_duration_value(gotk_tpl_exec *ex, int64_t d);
void sprig_add_duration_methods(gotk_tpl_set *set);

/* A time.Time as template data (sprig_dates.c): a new json value. */
json_object *sprig_time_json(const gotime *t);

#endif
