/*
 * tz.h - source time zones: local wall-clock times as UTC.
 *
 * A zone is "UTC" (also GMT, Z), a fixed offset ("+03:00", "-05:30", "+05:30:15"), or a
 * tz database name whose TZif file exists under $TZDIR (default /usr/share/zoneinfo).
 * Named zones are resolved by the C library: converting in one sets the process's TZ
 * environment variable (and calls tzset()) when another zone was active, so one process
 * converts in one named zone at a time; fixed offsets need nothing. A local time in a
 * gap (spring forward) moves forward past it; one that occurs twice (fall back) is the
 * first occurrence.
 *
 * The names keep the convert_ prefix of the module they were cut out of (convert.h,
 * which includes this header), so that their callers did not change.
 */
#ifndef TZ_H
#define TZ_H

#include "checked.h"

#include <stdbool.h>
#include <stdint.h>

/* a source time zone: "UTC", a fixed offset "+03:00", or a tz database name */
typedef struct convert_tz {
	bool fixed;
	int32_t offset; /* seconds east of UTC, when fixed */
	char name[128];
	/* cache of the last local day resolved without a nearby transition */
	int64_t cache_day;
	int32_t cache_off;
	bool cache_ok;
} convert_tz;

/* false (and logs) when the name is not a known zone (glibc would silently use UTC) */
CHECKED bool convert_tz_init(convert_tz *tz, const char *name);
/* local wall-clock seconds (since 1970-01-01 as if UTC) -> UTC seconds */
CHECKED bool convert_tz_to_utc(convert_tz *tz, int64_t local, int64_t *utc);

#endif
