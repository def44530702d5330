/*
 * pgtext.c - PostgreSQL binary COPY values rendered as PostgreSQL's text output.
 *
 * Each renderer follows what PostgreSQL 15's output function prints for the
 * type (see pgtext.h for the session settings assumed); the bats test
 * tests/bats/pgtext.bats compares them with a live server value by value.
 */
#include "pgtext.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "byteorder.h"
#include "hex.h"

#define USECS_PER_SEC INT64_C(1000000)
#define USECS_PER_MINUTE (60 * USECS_PER_SEC)
#define USECS_PER_HOUR (60 * USECS_PER_MINUTE)
#define USECS_PER_DAY (24 * USECS_PER_HOUR)
/* days from 1970-01-01 to 2000-01-01, PostgreSQL's epoch */
#define PG_EPOCH_DAYS 10957
#define PG_MAXDIM 6

static const struct {
	uint32_t oid;
	uint32_t array;
} pgtext_types[] = {
	{PGOID_BOOL, 1000},        {PGOID_BYTEA, 1001},   {PGOID_CHAR, 1002},    {PGOID_NAME, 1003},
	{PGOID_INT8, 1016},        {PGOID_INT2, 1005},    {PGOID_INT4, 1007},    {PGOID_TEXT, 1009},
	{PGOID_OID, 1028},         {PGOID_JSON, 199},     {PGOID_XML, 143},      {PGOID_FLOAT4, 1021},
	{PGOID_FLOAT8, 1022},      {PGOID_BPCHAR, 1014},  {PGOID_VARCHAR, 1015}, {PGOID_DATE, 1182},
	{PGOID_TIME, 1183},        {PGOID_TIMESTAMP, 1115}, {PGOID_TIMESTAMPTZ, 1185},
	{PGOID_INTERVAL, 1187},    {PGOID_TIMETZ, 1270},  {PGOID_BIT, 1561},     {PGOID_VARBIT, 1563},
	{PGOID_NUMERIC, 1231},     {PGOID_UUID, 2951},    {PGOID_JSONB, 3807},   {PGOID_UNKNOWN, 0},
};
#define PGTEXT_NTYPES (sizeof pgtext_types / sizeof *pgtext_types)

uint32_t pgtext_array_elem(uint32_t oid)
{
	for (size_t i = 0; i < PGTEXT_NTYPES; i++)
		if (pgtext_types[i].array == oid && oid != 0)
			return pgtext_types[i].oid;
	return 0;
}

uint32_t pgtext_array_of(uint32_t elem_oid)
{
	for (size_t i = 0; i < PGTEXT_NTYPES; i++)
		if (pgtext_types[i].oid == elem_oid)
			return pgtext_types[i].array;
	return 0;
}

bool pgtext_known(uint32_t oid)
{
	for (size_t i = 0; i < PGTEXT_NTYPES; i++)
		if (pgtext_types[i].oid == oid || (pgtext_types[i].array == oid && oid != 0))
			return true;
	return false;
}

bool pgtext_is_textlike(uint32_t oid)
{
	return oid == PGOID_TEXT || oid == PGOID_VARCHAR || oid == PGOID_BPCHAR || oid == PGOID_NAME ||
	       oid == PGOID_UNKNOWN;
}

/* ---------------------------------------------------------------- numbers */

static bool pgtext_int(buf *out, uint32_t oid, const uint8_t *p, size_t len)
{
	switch (oid) {
	case PGOID_INT2:
		if (len != 2)
			return false;
		buf_printf(out, "%d", (int)(int16_t)byteorder_get_u16be(p));
		return true;
	case PGOID_INT4:
		if (len != 4)
			return false;
		buf_printf(out, "%" PRId32, (int32_t)byteorder_get_u32be(p));
		return true;
	case PGOID_OID:
		if (len != 4)
			return false;
		buf_printf(out, "%" PRIu32, byteorder_get_u32be(p));
		return true;
	default: /* int8 */
		if (len != 8)
			return false;
		buf_printf(out, "%" PRId64, (int64_t)byteorder_get_u64be(p));
		return true;
	}
}

/*
 * Shortest decimal that reads back as the same float, as PostgreSQL prints
 * with extra_float_digits=1 (its Ryu code without STRICTLY_SHORTEST): the
 * decimal must lie strictly inside the interval of reals that round to v, a
 * tie exactly half way to a neighbouring float does not count even when it
 * would round to v. For each precision p, the correctly rounded p-digit
 * decimal is tried, then its neighbour on the other side of v (the interval
 * is lopsided at powers of two).
 */
typedef struct pgtext_dec {
	char d[24]; /* digits, NUL-terminated */
	int p;      /* number of digits */
	int e;      /* value = d[0].d[1..] x 10^e */
} pgtext_dec;

static void pgtext_dec_str(const pgtext_dec *x, char *s, size_t n)
{
	snprintf(s, n, "%c.%se%d", x->d[0], x->d + 1, x->e);
}

/* x is exactly m (m has a finite decimal expansion: it is a dyadic rational) */
static bool pgtext_dec_equals(const pgtext_dec *x, long double m)
{
	char big[1300];
	snprintf(big, sizeof big, "%.1200Le", m);
	const char *e = strchr(big, 'e');
	if (!e || atoi(e + 1) != x->e || big[0] != x->d[0])
		return false;
	int i = 1;
	for (const char *c = big + 2; c < e; c++, i++) {
		char want = i < x->p ? x->d[i] : '0';
		if (*c != want)
			return false;
	}
	return i >= x->p;
}

static bool pgtext_dec_inside(const pgtext_dec *x, double v, bool single)
{
	char s[48];
	pgtext_dec_str(x, s, sizeof s);
	if (single ? strtof(s, NULL) != (float)v : strtod(s, NULL) != v)
		return false;
	/* a tie can only round to v when v's significand is even */
	bool even;
	if (single) {
		float f = (float)v;
		uint32_t u;
		memcpy(&u, &f, sizeof u);
		even = (u & 1) == 0;
	} else {
		uint64_t u;
		memcpy(&u, &v, sizeof u);
		even = (u & 1) == 0;
	}
	if (!even || LDBL_MANT_DIG < 55)
		return true;
	long double c = strtold(s, NULL);
	if (c == v)
		return true;
	double dir = c > v ? INFINITY : -INFINITY;
	long double next = single ? (long double)nextafterf((float)v, (float)dir) : (long double)nextafter(v, dir);
	if (isinf(next)) /* beyond the largest float: the gap below, mirrored */
		next = 2.0L * v - (single ? (long double)nextafterf((float)v, 0) : (long double)nextafter(v, 0));
	return !pgtext_dec_equals(x, ((long double)v + next) / 2);
}

static void pgtext_dec_step(pgtext_dec *x, int dir)
{
	int i = x->p - 1;
	if (dir > 0) {
		while (i >= 0 && x->d[i] == '9')
			x->d[i--] = '0';
		if (i >= 0) {
			x->d[i]++;
		} else { /* 99..9 -> 100..0 with the exponent one up */
			x->d[0] = '1';
			x->e++;
		}
	} else {
		while (i >= 0 && x->d[i] == '0')
			x->d[i--] = '9';
		x->d[i]--; /* i >= 0: the first digit of a normalised decimal is not 0 */
		if (x->d[0] == '0') { /* 10..0 -> 99..9 with the exponent one down */
			memset(x->d, '9', (size_t)x->p);
			x->e--;
		}
	}
}

static void pgtext_float_shortest(double v, bool single, pgtext_dec *x)
{
	int maxp = single ? 9 : 17;
	for (int p = 1; p <= maxp; p++) {
		char s[48];
		snprintf(s, sizeof s, "%.*e", p - 1, v);
		/* s = "d[.ddd]e[+-]xx" */
		x->p = 0;
		const char *c = s;
		for (; *c && *c != 'e'; c++)
			if (*c != '.')
				x->d[x->p++] = *c;
		x->d[x->p] = 0;
		x->e = atoi(c + 1);
		if (p == maxp || pgtext_dec_inside(x, v, single))
			return; /* 9 (17) digits always identify the float */
		long double back = strtold(s, NULL);
		pgtext_dec y = *x;
		pgtext_dec_step(&y, back > v ? -1 : 1);
		if (pgtext_dec_inside(&y, v, single)) {
			*x = y;
			return;
		}
	}
}

static void pgtext_float(buf *out, double v, bool single)
{
	if (isnan(v)) {
		buf_puts(out, "NaN");
		return;
	}
	if (isinf(v)) {
		buf_puts(out, v > 0 ? "Infinity" : "-Infinity");
		return;
	}
	if (v == 0) {
		buf_puts(out, signbit(v) ? "-0" : "0");
		return;
	}
	if (v < 0)
		buf_putc(out, '-');
	pgtext_dec x;
	pgtext_float_shortest(fabs(v), single, &x);
	while (x.p > 1 && x.d[x.p - 1] == '0')
		x.d[--x.p] = 0;
	/* fixed notation for exponents in [-4, 15) (float4: [-4, 6)), as %g would */
	if (x.e >= -4 && x.e < (single ? 6 : 15)) {
		if (x.e < 0) {
			buf_puts(out, "0.");
			for (int i = 0; i < -x.e - 1; i++)
				buf_putc(out, '0');
			buf_append(out, x.d, (size_t)x.p);
		} else {
			for (int i = 0; i <= x.e; i++)
				buf_putc(out, i < x.p ? x.d[i] : '0');
			if (x.p > x.e + 1) {
				buf_putc(out, '.');
				buf_append(out, x.d + x.e + 1, (size_t)(x.p - x.e - 1));
			}
		}
		return;
	}
	buf_putc(out, x.d[0]);
	if (x.p > 1) {
		buf_putc(out, '.');
		buf_append(out, x.d + 1, (size_t)(x.p - 1));
	}
	buf_printf(out, "e%c%02d", x.e < 0 ? '-' : '+', abs(x.e));
}

/*
 * numeric: int16 ndigits | int16 weight | uint16 sign | int16 dscale |
 * ndigits x int16 base-10000 digits, the first of weight 10000^weight.
 */
#define NUMERIC_POS 0x0000
#define NUMERIC_NEG 0x4000
#define NUMERIC_NAN 0xC000
#define NUMERIC_PINF 0xD000
#define NUMERIC_NINF 0xF000

static bool pgtext_numeric(buf *out, const uint8_t *p, size_t len)
{
	if (len < 8)
		return false;
	int ndigits = (int16_t)byteorder_get_u16be(p);
	int weight = (int16_t)byteorder_get_u16be(p + 2);
	unsigned sign = byteorder_get_u16be(p + 4);
	int dscale = (int16_t)byteorder_get_u16be(p + 6);
	if (ndigits < 0 || len != 8 + 2 * (size_t)ndigits)
		return false;
	if (sign == NUMERIC_NAN || sign == NUMERIC_PINF || sign == NUMERIC_NINF) {
		if (ndigits != 0)
			return false;
		buf_puts(out, sign == NUMERIC_NAN ? "NaN" : sign == NUMERIC_PINF ? "Infinity" : "-Infinity");
		return true;
	}
	if ((sign != NUMERIC_POS && sign != NUMERIC_NEG) || dscale < 0 || dscale > 0x3FFF)
		return false;
	const uint8_t *dig = p + 8;
	bool zero = true;
	for (int i = 0; i < ndigits; i++) {
		unsigned d = byteorder_get_u16be(dig + 2 * i);
		if (d >= 10000)
			return false;
		if (d)
			zero = false;
	}
#define NUMDIG(i) ((i) >= 0 && (i) < ndigits ? (int)byteorder_get_u16be(dig + 2 * (i)) : 0)
	if (sign == NUMERIC_NEG && !zero) /* PostgreSQL stores -0 as 0 */
		buf_putc(out, '-');
	if (weight < 0) {
		buf_putc(out, '0');
	} else {
		for (int i = 0; i <= weight; i++)
			buf_printf(out, i == 0 ? "%d" : "%04d", NUMDIG(i));
	}
	if (dscale > 0) {
		buf_putc(out, '.');
		int left = dscale;
		for (int i = weight + 1; left > 0; i++) {
			char g[16];
			snprintf(g, sizeof g, "%04d", NUMDIG(i));
			int n = left < 4 ? left : 4;
			buf_append(out, g, (size_t)n);
			left -= n;
		}
	}
#undef NUMDIG
	return true;
}

/* ---------------------------------------------------------------- dates and times */

/* proleptic Gregorian calendar date of a day number counted from 1970-01-01 */
static void pgtext_civil(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468; /* days from 0000-03-01 */
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;                                   /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);              /* [0, 365], from March 1 */
	int64_t mp = (5 * doy + 2) / 153;                                   /* [0, 11], March = 0 */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* "YYYY-MM-DD" without the BC suffix; returns whether the year is BC */
static bool pgtext_put_date(buf *out, int64_t days_since_2000)
{
	int64_t y;
	int m, d;
	pgtext_civil(days_since_2000 + PG_EPOCH_DAYS, &y, &m, &d);
	bool bc = y <= 0;
	if (bc)
		y = 1 - y;
	buf_printf(out, "%04" PRId64 "-%02d-%02d", y, m, d);
	return bc;
}

/* seconds with the fraction, trailing zeros dropped: "05", "05.25" */
static void pgtext_put_seconds(buf *out, int64_t sec, int64_t usec)
{
	buf_printf(out, "%02" PRId64, sec);
	if (usec) {
		char f[24];
		snprintf(f, sizeof f, "%06" PRId64, usec);
		int n = 6;
		while (n > 0 && f[n - 1] == '0')
			n--;
		buf_putc(out, '.');
		buf_append(out, f, (size_t)n);
	}
}

/* "HH:MM:SS[.ffffff]" of a time of day in microseconds (hours may reach 24) */
static void pgtext_put_time(buf *out, int64_t t)
{
	int64_t h = t / USECS_PER_HOUR;
	t -= h * USECS_PER_HOUR;
	int64_t mi = t / USECS_PER_MINUTE;
	t -= mi * USECS_PER_MINUTE;
	buf_printf(out, "%02" PRId64 ":%02" PRId64 ":", h, mi);
	pgtext_put_seconds(out, t / USECS_PER_SEC, t % USECS_PER_SEC);
}

/* "+HH[:MM[:SS]]" of a zone offset given as seconds west of UTC (PostgreSQL's convention) */
static void pgtext_put_zone(buf *out, int32_t west)
{
	int64_t east = -(int64_t)west;
	buf_putc(out, east < 0 ? '-' : '+');
	if (east < 0)
		east = -east;
	int64_t h = east / 3600, mi = east / 60 % 60, s = east % 60;
	buf_printf(out, "%02" PRId64, h);
	if (mi || s)
		buf_printf(out, ":%02" PRId64, mi);
	if (s)
		buf_printf(out, ":%02" PRId64, s);
}

static bool pgtext_date(buf *out, const uint8_t *p, size_t len)
{
	if (len != 4)
		return false;
	int32_t v = (int32_t)byteorder_get_u32be(p);
	if (v == INT32_MAX || v == INT32_MIN) {
		buf_puts(out, v == INT32_MAX ? "infinity" : "-infinity");
		return true;
	}
	if (pgtext_put_date(out, v))
		buf_puts(out, " BC");
	return true;
}

static bool pgtext_timestamp(buf *out, const uint8_t *p, size_t len, bool tz)
{
	if (len != 8)
		return false;
	int64_t v = (int64_t)byteorder_get_u64be(p);
	if (v == INT64_MAX || v == INT64_MIN) {
		buf_puts(out, v == INT64_MAX ? "infinity" : "-infinity");
		return true;
	}
	int64_t days = v / USECS_PER_DAY, t = v % USECS_PER_DAY;
	if (t < 0) {
		t += USECS_PER_DAY;
		days--;
	}
	bool bc = pgtext_put_date(out, days);
	buf_putc(out, ' ');
	pgtext_put_time(out, t);
	if (tz)
		buf_puts(out, "+00");
	if (bc)
		buf_puts(out, " BC");
	return true;
}

static bool pgtext_time(buf *out, const uint8_t *p, size_t len, bool tz)
{
	if (len != (tz ? 12u : 8u))
		return false;
	int64_t t = (int64_t)byteorder_get_u64be(p);
	if (t < 0 || t > USECS_PER_DAY)
		return false;
	pgtext_put_time(out, t);
	if (tz)
		pgtext_put_zone(out, (int32_t)byteorder_get_u32be(p + 8));
	return true;
}

/* one "N unit[s]" part of an interval in the postgres style */
static void pgtext_interval_part(buf *out, int64_t v, const char *unit, bool *is_zero, bool *is_before)
{
	if (v == 0)
		return;
	buf_printf(out, "%s%s%" PRId64 " %s%s", *is_zero ? "" : " ", *is_before && v > 0 ? "+" : "", v, unit,
	           v != 1 ? "s" : "");
	*is_before = v < 0;
	*is_zero = false;
}

static bool pgtext_interval(buf *out, const uint8_t *p, size_t len)
{
	if (len != 16)
		return false;
	int64_t t = (int64_t)byteorder_get_u64be(p);
	int32_t days = (int32_t)byteorder_get_u32be(p + 8);
	int32_t months = (int32_t)byteorder_get_u32be(p + 12);
	int64_t hour = t / USECS_PER_HOUR;
	t -= hour * USECS_PER_HOUR;
	int64_t min = t / USECS_PER_MINUTE;
	t -= min * USECS_PER_MINUTE;
	int64_t sec = t / USECS_PER_SEC;
	int64_t fsec = t - sec * USECS_PER_SEC;
	bool is_zero = true, is_before = false;
	pgtext_interval_part(out, months / 12, "year", &is_zero, &is_before);
	pgtext_interval_part(out, months % 12, "mon", &is_zero, &is_before);
	pgtext_interval_part(out, days, "day", &is_zero, &is_before);
	if (is_zero || hour || min || sec || fsec) {
		bool minus = hour < 0 || min < 0 || sec < 0 || fsec < 0;
		buf_printf(out, "%s%s%02" PRId64 ":%02" PRId64 ":", is_zero ? "" : " ", minus ? "-" : is_before ? "+" : "",
		           hour < 0 ? -hour : hour, min < 0 ? -min : min);
		pgtext_put_seconds(out, sec < 0 ? -sec : sec, fsec < 0 ? -fsec : fsec);
	}
	return true;
}

/* ---------------------------------------------------------------- other scalars */

static bool pgtext_uuid(buf *out, const uint8_t *p, size_t len)
{
	if (len != 16)
		return false;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf_putc(out, '-');
		hex_append(out, p + i, 1);
	}
	return true;
}

static bool pgtext_bits(buf *out, const uint8_t *p, size_t len)
{
	if (len < 4)
		return false;
	int32_t n = (int32_t)byteorder_get_u32be(p);
	if (n < 0 || len != 4 + ((size_t)n + 7) / 8)
		return false;
	buf_reserve(out, (size_t)n);
	for (int32_t i = 0; i < n; i++)
		out->data[out->len++] = (p[4 + i / 8] >> (7 - i % 8)) & 1 ? '1' : '0';
	return true;
}

static bool pgtext_char(buf *out, const uint8_t *p, size_t len)
{
	if (len != 1)
		return false;
	if (p[0] & 0x80)
		buf_printf(out, "\\%03o", p[0]);
	else if (p[0])
		buf_putc(out, p[0]);
	return true;
}

/* ---------------------------------------------------------------- arrays */

static bool pgtext_array_elem_needs_quotes(const uint8_t *s, size_t n)
{
	if (n == 0 || (n == 4 && strncasecmp((const char *)s, "null", 4) == 0))
		return true;
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '"': case '\\': case '{': case '}': case ',':
		case ' ': case '\t': case '\n': case '\r': case '\v': case '\f':
			return true;
		default:
			break;
		}
	}
	return false;
}

static bool pgtext_array(buf *out, const uint8_t *p, size_t len)
{
	if (len < 12)
		return false;
	int32_t ndim = (int32_t)byteorder_get_u32be(p);
	int32_t flags = (int32_t)byteorder_get_u32be(p + 4);
	uint32_t elem = byteorder_get_u32be(p + 8);
	if (ndim < 0 || ndim > PG_MAXDIM || (flags != 0 && flags != 1))
		return false;
	size_t off = 12;
	int32_t dims[PG_MAXDIM], lbs[PG_MAXDIM], idx[PG_MAXDIM];
	uint64_t nitems = ndim ? 1 : 0;
	bool decorate = false;
	for (int32_t i = 0; i < ndim; i++) {
		if (len - off < 8)
			return false;
		dims[i] = (int32_t)byteorder_get_u32be(p + off);
		lbs[i] = (int32_t)byteorder_get_u32be(p + off + 4);
		off += 8;
		if (dims[i] < 0 || (int64_t)lbs[i] + dims[i] - 1 > INT32_MAX)
			return false;
		nitems *= (uint64_t)dims[i];
		if (nitems > len) /* each element takes at least 4 bytes */
			return false;
		if (lbs[i] != 1)
			decorate = true;
		idx[i] = 0;
	}
	size_t start = out->len;
	if (nitems == 0) {
		if (off != len)
			return false;
		buf_puts(out, "{}");
		return true;
	}
	if (decorate) {
		for (int32_t i = 0; i < ndim; i++)
			buf_printf(out, "[%" PRId32 ":%" PRId32 "]", lbs[i], lbs[i] + dims[i] - 1);
		buf_putc(out, '=');
	}
	for (int32_t i = 0; i < ndim; i++)
		buf_putc(out, '{');
	buf el;
	buf_init(&el);
	for (uint64_t k = 0; k < nitems; k++) {
		if (len - off < 4)
			goto bad;
		int32_t n = (int32_t)byteorder_get_u32be(p + off);
		off += 4;
		if (n == -1) {
			buf_puts(out, "NULL");
		} else {
			if (n < 0 || (size_t)n > len - off)
				goto bad;
			buf_reset(&el);
			if (!pgtext_format(&el, elem, p + off, (size_t)n))
				goto bad;
			off += (size_t)n;
			if (pgtext_array_elem_needs_quotes(el.data, el.len)) {
				buf_putc(out, '"');
				for (size_t i = 0; i < el.len; i++) {
					if (el.data[i] == '"' || el.data[i] == '\\')
						buf_putc(out, '\\');
					buf_putc(out, el.data[i]);
				}
				buf_putc(out, '"');
			} else {
				buf_append(out, el.data, el.len);
			}
		}
		int32_t j = ndim - 1;
		while (j >= 0) {
			if (++idx[j] < dims[j])
				break;
			idx[j] = 0;
			buf_putc(out, '}');
			j--;
		}
		if (j >= 0) {
			buf_putc(out, ',');
			for (int32_t t = j + 1; t < ndim; t++)
				buf_putc(out, '{');
		}
	}
	buf_free(&el);
	if (off != len) {
		out->len = start;
		return false;
	}
	return true;
bad:
	buf_free(&el);
	out->len = start;
	return false;
}

bool pgtext_format_array(buf *out, const void *data, size_t len)
{
	return pgtext_array(out, data, len);
}

/* ---------------------------------------------------------------- dispatch */

bool pgtext_format(buf *out, uint32_t oid, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t start = out->len;
	bool ok;
	switch (oid) {
	case PGOID_BOOL:
		ok = len == 1;
		if (ok)
			buf_putc(out, p[0] ? 't' : 'f');
		break;
	case PGOID_CHAR:
		ok = pgtext_char(out, p, len);
		break;
	case PGOID_INT2:
	case PGOID_INT4:
	case PGOID_INT8:
	case PGOID_OID:
		ok = pgtext_int(out, oid, p, len);
		break;
	case PGOID_FLOAT4:
		ok = len == 4;
		if (ok)
			pgtext_float(out, byteorder_get_f32be(p), true);
		break;
	case PGOID_FLOAT8:
		ok = len == 8;
		if (ok)
			pgtext_float(out, byteorder_get_f64be(p), false);
		break;
	case PGOID_NUMERIC:
		ok = pgtext_numeric(out, p, len);
		break;
	case PGOID_BYTEA:
		buf_puts(out, "\\x");
		hex_append(out, p, len);
		ok = true;
		break;
	case PGOID_JSONB:
		ok = len >= 1 && p[0] == 1;
		if (ok)
			buf_append(out, p + 1, len - 1);
		break;
	case PGOID_DATE:
		ok = pgtext_date(out, p, len);
		break;
	case PGOID_TIME:
		ok = pgtext_time(out, p, len, false);
		break;
	case PGOID_TIMETZ:
		ok = pgtext_time(out, p, len, true);
		break;
	case PGOID_TIMESTAMP:
		ok = pgtext_timestamp(out, p, len, false);
		break;
	case PGOID_TIMESTAMPTZ:
		ok = pgtext_timestamp(out, p, len, true);
		break;
	case PGOID_INTERVAL:
		ok = pgtext_interval(out, p, len);
		break;
	case PGOID_UUID:
		ok = pgtext_uuid(out, p, len);
		break;
	case PGOID_BIT:
	case PGOID_VARBIT:
		ok = pgtext_bits(out, p, len);
		break;
	default:
		if (pgtext_array_elem(oid)) {
			ok = pgtext_array(out, p, len);
		} else {
			/* text, varchar, bpchar, name, json, xml, unknown, enums, user types */
			buf_append(out, p, len);
			ok = true;
		}
		break;
	}
	if (!ok)
		out->len = start;
	return ok;
}
