/* tz.c - source time zones: wall-clock times in a zone as UTC (tz.h) */
#include "tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

#define SECS_PER_DAY 86400LL

static const char *tz_active; /* the zone TZ is set to, NULL: not set by us */
static char tz_active_buf[160];

static bool tz_activate(const convert_tz *tz)
{
	if (tz_active && strcmp(tz_active, tz->name) == 0)
		return true;
	char env[160];
	snprintf(env, sizeof env, ":%s", tz->name);
	if (setenv("TZ", env, 1) != 0) {
		log_errno("unable to set TZ");
		return false;
	}
	tzset();
	snprintf(tz_active_buf, sizeof tz_active_buf, "%s", tz->name);
	tz_active = tz_active_buf;
	return true;
}

static bool parse_offset(const char *s, int32_t *off)
{
	if (*s != '+' && *s != '-')
		return false;
	int sign = *s == '-' ? -1 : 1;
	int h = 0, m = 0, sec = 0, n = 0;
	const char *p = s + 1;
	while (*p >= '0' && *p <= '9' && n < 2) {
		h = h * 10 + (*p++ - '0');
		n++;
	}
	if (n == 0)
		return false;
	if (*p == ':') {
		p++;
		if (!(p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9'))
			return false;
		m = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
		if (*p == ':') {
			p++;
			if (!(p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9'))
				return false;
			sec = (p[0] - '0') * 10 + (p[1] - '0');
			p += 2;
		}
	}
	if (*p || h > 15 || m > 59 || sec > 59)
		return false;
	*off = sign * (h * 3600 + m * 60 + sec);
	return true;
}

bool convert_tz_init(convert_tz *tz, const char *name)
{
	memset(tz, 0, sizeof *tz);
	tz->cache_day = INT64_MIN;
	if (!name || !*name || strlen(name) >= sizeof tz->name) {
		log_error("invalid time zone '%s'", name ? name : "");
		return false;
	}
	snprintf(tz->name, sizeof tz->name, "%s", name);
	if (strcmp(name, "UTC") == 0 || strcmp(name, "GMT") == 0 || strcmp(name, "Z") == 0) {
		tz->fixed = true;
		return true;
	}
	if (parse_offset(name, &tz->offset)) {
		tz->fixed = true;
		return true;
	}
	/* a tz database name: letters, digits, '_', '-', '+', '/', no "..", a TZif file */
	bool ok = name[0] != '/';
	for (const char *p = name; *p && ok; p++)
		ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		     *p == '_' || *p == '-' || *p == '+' || *p == '/';
	if (ok && strstr(name, ".."))
		ok = false;
	if (ok) {
		const char *dir = getenv("TZDIR");
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
		FILE *f = fopen(path, "rb");
		char magic[4] = {0};
		ok = f && fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
		if (f)
			fclose(f);
	}
	if (!ok) {
		log_error("unknown time zone '%s' (a tz database name such as Europe/Istanbul, UTC, or an offset "
		          "such as +03:00)",
		          name);
		return false;
	}
	return true;
}

static int32_t tz_offset_at(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!localtime_r(&tt, &tm))
		return 0;
	return (int32_t)tm.tm_gmtoff;
}

bool convert_tz_to_utc(convert_tz *tz, int64_t local, int64_t *utc)
{
	if (tz->fixed) {
		*utc = local - tz->offset;
		return true;
	}
	if (!tz_activate(tz))
		return false;
	int64_t day = local >= 0 ? local / SECS_PER_DAY : -((-local + SECS_PER_DAY - 1) / SECS_PER_DAY);
	if (tz->cache_ok && tz->cache_day == day) {
		*utc = local - tz->cache_off;
		return true;
	}
	/* offsets a little before and after; when equal and consistent with the middle,
	 * there is no transition near this local day (transitions are months apart) */
	int32_t a = tz_offset_at(local - 2 * SECS_PER_DAY);
	int32_t b = tz_offset_at(local + 2 * SECS_PER_DAY);
	if (a == b) {
		int64_t t = local - a;
		int32_t m1 = tz_offset_at(day * SECS_PER_DAY - a), m2 = tz_offset_at(day * SECS_PER_DAY + SECS_PER_DAY - a);
		if (tz_offset_at(t) == a && m1 == a && m2 == a) {
			tz->cache_day = day;
			tz->cache_off = a;
			tz->cache_ok = true;
			*utc = t;
			return true;
		}
	}
	tz->cache_ok = false;
	/* a transition nearby: the offset in force just before it (a) wins when it fits
	 * (fold: the first occurrence), else the one after (b); in a gap neither fits and
	 * the offset before applies, which moves the time forward past the gap */
	int64_t ta = local - a, tb = local - b;
	if (tz_offset_at(ta) == a) {
		*utc = ta;
		return true;
	}
	if (tz_offset_at(tb) == b) {
		*utc = tb;
		return true;
	}
	/* two transitions within the window: try the offset at the naive instant */
	int32_t c = tz_offset_at(local - tz_offset_at(local));
	if (tz_offset_at(local - c) == c) {
		*utc = local - c;
		return true;
	}
	*utc = ta;
	return true;
}
