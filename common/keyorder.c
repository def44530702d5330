/*
 * keyorder.c - a total order on key values (see keyorder.h).
 */
#include "keyorder.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "byteorder.h"

/* PostgreSQL type OIDs compared by value */
enum {
	OID_INT8 = 20,
	OID_INT2 = 21,
	OID_INT4 = 23,
	OID_FLOAT4 = 700,
	OID_FLOAT8 = 701,
	OID_DATE = 1082,
	OID_TIME = 1083,
	OID_TIMESTAMP = 1114,
	OID_TIMESTAMPTZ = 1184,
	OID_INTERVAL = 1186,
	OID_NUMERIC = 1700,
	OID_BYTEA = 17,
	OID_OID = 26
};

/* MYSQL_TYPE_* codes compared as numbers */
enum {
	MY_DECIMAL = 0,
	MY_TINY = 1,
	MY_SHORT = 2,
	MY_LONG = 3,
	MY_FLOAT = 4,
	MY_DOUBLE = 5,
	MY_LONGLONG = 8,
	MY_INT24 = 9,
	MY_YEAR = 13,
	MY_TIMESTAMP = 7,
	MY_DATE = 10,
	MY_DATETIME = 12,
	MY_NEWDATE = 14,
	MY_NEWDECIMAL = 246
};

static int cmp_bytes(const rs_value *a, const rs_value *b)
{
	uint64_t n = a->len < b->len ? a->len : b->len;
	int c = n ? memcmp(a->data, b->data, (size_t)n) : 0;
	if (c)
		return c < 0 ? -1 : 1;
	return (a->len > b->len) - (a->len < b->len);
}

static int cmp_double(double x, double y)
{
	bool nx = isnan(x), ny = isnan(y);
	if (nx || ny)
		return nx - ny;
	return (x > y) - (x < y);
}

static int64_t be_signed(const uint8_t *p, size_t n)
{
	uint64_t v = (p[0] & 0x80) ? UINT64_MAX : 0;
	for (size_t i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return (int64_t)v;
}

/* numeric binary: ndigits, weight, sign, dscale (int16 each), then base-10000 digits */
#define NUM_POS 0x0000
#define NUM_NEG 0x4000
#define NUM_NAN 0xC000
#define NUM_PINF 0xD000
#define NUM_NINF 0xF000

typedef struct num {
	int cls; /* -2 -inf, -1 negative, 0 zero, 1 positive, 2 +inf, 3 NaN */
	int weight;
	const uint8_t *digits;
	int ndigits;
} num;

static bool num_parse(const rs_value *v, num *n)
{
	if (v->len < 8)
		return false;
	const uint8_t *p = v->data;
	int nd = (int16_t)byteorder_get_u16be(p);
	int weight = (int16_t)byteorder_get_u16be(p + 2);
	uint16_t sign = byteorder_get_u16be(p + 4);
	if (nd < 0 || v->len != 8 + 2 * (uint64_t)nd)
		return false;
	const uint8_t *d = p + 8;
	switch (sign) {
	case NUM_NAN: n->cls = 3; return true;
	case NUM_PINF: n->cls = 2; return true;
	case NUM_NINF: n->cls = -2; return true;
	case NUM_POS: case NUM_NEG: break;
	default: return false;
	}
	/* strip zero digits at both ends (the canonical form has none) */
	while (nd > 0 && byteorder_get_u16be(d) == 0) {
		d += 2;
		nd--;
		weight--;
	}
	while (nd > 0 && byteorder_get_u16be(d + 2 * (nd - 1)) == 0)
		nd--;
	n->weight = weight;
	n->digits = d;
	n->ndigits = nd;
	n->cls = nd == 0 ? 0 : sign == NUM_NEG ? -1 : 1;
	return true;
}

static int num_cmp_abs(const num *a, const num *b)
{
	if (a->weight != b->weight)
		return a->weight > b->weight ? 1 : -1;
	int n = a->ndigits > b->ndigits ? a->ndigits : b->ndigits;
	for (int i = 0; i < n; i++) {
		unsigned x = i < a->ndigits ? byteorder_get_u16be(a->digits + 2 * i) : 0;
		unsigned y = i < b->ndigits ? byteorder_get_u16be(b->digits + 2 * i) : 0;
		if (x != y)
			return x > y ? 1 : -1;
	}
	return 0;
}

/* 0 when equal as numbers, 2 when a value is malformed (fall back to bytes) */
static int cmp_numeric(const rs_value *a, const rs_value *b)
{
	num x, y;
	if (!num_parse(a, &x) || !num_parse(b, &y))
		return 2;
	if (x.cls != y.cls)
		return x.cls > y.cls ? 1 : -1;
	if (x.cls == 1)
		return num_cmp_abs(&x, &y);
	if (x.cls == -1)
		return -num_cmp_abs(&x, &y);
	return 0;
}

/* decimal text "-0012.500": sign, integer digits without leading zeros, fraction without trailing zeros */
typedef struct dec {
	bool neg, ok;
	const char *ip, *fp;
	size_t in, fn;
} dec;

static dec dec_parse(const rs_value *v)
{
	dec d = {0};
	const char *s = (const char *)v->data, *e = s + v->len;
	while (s < e && *s == ' ')
		s++;
	if (s < e && (*s == '-' || *s == '+'))
		d.neg = *s++ == '-';
	while (s < e && *s == '0')
		s++;
	d.ip = s;
	while (s < e && *s >= '0' && *s <= '9')
		s++;
	d.in = (size_t)(s - d.ip);
	if (s < e && *s == '.') {
		s++;
		d.fp = s;
		while (s < e && *s >= '0' && *s <= '9')
			s++;
		d.fn = (size_t)(s - d.fp);
		while (d.fn && d.fp[d.fn - 1] == '0')
			d.fn--;
	}
	d.ok = s == e;
	if (d.in == 0 && d.fn == 0)
		d.neg = false; /* -0 */
	return d;
}

static int dec_cmp_abs(const dec *a, const dec *b)
{
	if (a->in != b->in)
		return a->in > b->in ? 1 : -1;
	int c = a->in ? memcmp(a->ip, b->ip, a->in) : 0;
	if (c)
		return c > 0 ? 1 : -1;
	size_t n = a->fn < b->fn ? a->fn : b->fn;
	c = n ? memcmp(a->fp, b->fp, n) : 0;
	if (c)
		return c > 0 ? 1 : -1;
	return (a->fn > b->fn) - (a->fn < b->fn);
}

static int cmp_decimal_text(const rs_value *a, const rs_value *b)
{
	dec x = dec_parse(a), y = dec_parse(b);
	if (!x.ok || !y.ok)
		return 2;
	if (x.neg != y.neg)
		return x.neg ? -1 : 1;
	int c = dec_cmp_abs(&x, &y);
	return x.neg ? -c : c;
}

static int cmp_float_text(const rs_value *a, const rs_value *b)
{
	char x[64], y[64];
	if (a->len >= sizeof x || b->len >= sizeof y)
		return 2;
	memcpy(x, a->data, (size_t)a->len);
	x[a->len] = 0;
	memcpy(y, b->data, (size_t)b->len);
	y[b->len] = 0;
	char *ex, *ey;
	double dx = strtod(x, &ex), dy = strtod(y, &ey);
	if (*ex || *ey)
		return 2;
	return cmp_double(dx, dy);
}

static int cmp_pg(const rs_column *c, const rs_value *a, const rs_value *b)
{
	switch (c->code) {
	case OID_INT2: case OID_INT4: case OID_INT8: case OID_DATE: case OID_TIME:
	case OID_TIMESTAMP: case OID_TIMESTAMPTZ:
		if (a->len != b->len || a->len == 0 || a->len > 8)
			return 2;
		{
			int64_t x = be_signed(a->data, (size_t)a->len), y = be_signed(b->data, (size_t)b->len);
			return (x > y) - (x < y);
		}
	case OID_FLOAT4:
		if (a->len != 4 || b->len != 4)
			return 2;
		return cmp_double(byteorder_get_f32be(a->data), byteorder_get_f32be(b->data));
	case OID_FLOAT8:
		if (a->len != 8 || b->len != 8)
			return 2;
		return cmp_double(byteorder_get_f64be(a->data), byteorder_get_f64be(b->data));
	case OID_NUMERIC:
		return cmp_numeric(a, b);
	case OID_INTERVAL:
		if (a->len != 16 || b->len != 16)
			return 2;
		{
			/* time (µs), days, months: a month counts 30 days, a day 24 hours */
			__int128 sa = (__int128)(int64_t)byteorder_get_u64be(a->data) +
			              ((__int128)(int32_t)byteorder_get_u32be(a->data + 8) + (__int128)(int32_t)byteorder_get_u32be(a->data + 12) * 30) *
			                  INT64_C(86400000000);
			__int128 sb = (__int128)(int64_t)byteorder_get_u64be(b->data) +
			              ((__int128)(int32_t)byteorder_get_u32be(b->data + 8) + (__int128)(int32_t)byteorder_get_u32be(b->data + 12) * 30) *
			                  INT64_C(86400000000);
			return (sa > sb) - (sa < sb);
		}
	default:
		return 2;
	}
}

static int cmp_mysql(const rs_column *c, const rs_value *a, const rs_value *b)
{
	switch (c->code) {
	case MY_DECIMAL: case MY_TINY: case MY_SHORT: case MY_LONG: case MY_LONGLONG:
	case MY_INT24: case MY_YEAR: case MY_NEWDECIMAL:
		return cmp_decimal_text(a, b);
	case MY_FLOAT: case MY_DOUBLE:
		return cmp_float_text(a, b);
	default:
		return 2;
	}
}

static bool agrees(uint8_t domain, const rs_column *c)
{
	if (domain == RS_DOMAIN_PG) {
		switch (c->code) {
		case OID_INT2: case OID_INT4: case OID_INT8: case OID_OID: case OID_NUMERIC:
		case OID_FLOAT4: case OID_FLOAT8: case OID_DATE: case OID_TIME: case OID_TIMESTAMP:
		case OID_TIMESTAMPTZ: case OID_INTERVAL: case OID_BYTEA:
			return true;
		default:
			return false;
		}
	}
	switch (c->code) {
	case MY_DECIMAL: case MY_TINY: case MY_SHORT: case MY_LONG: case MY_LONGLONG: case MY_INT24:
	case MY_YEAR: case MY_NEWDECIMAL: case MY_FLOAT: case MY_DOUBLE:
	case MY_DATE: case MY_NEWDATE: case MY_DATETIME: case MY_TIMESTAMP:
		return true;
	default:
		/* strings of a binary character set sort byte by byte */
		return (c->flags & RS_COL_BINARY) != 0;
	}
}

bool keyorder_agrees(const rs_header *h)
{
	for (size_t i = 0; i < h->nkey; i++)
		if (!agrees(h->domain, &h->cols[h->key[i]]))
			return false;
	return true;
}

int keyorder_cmp_value(uint8_t domain, const rs_column *c, const rs_value *a, const rs_value *b)
{
	if (a->null || b->null)
		return a->null == b->null ? 0 : a->null ? -1 : 1;
	if (a->chunked || b->chunked) /* keys are never chunked; order by length only */
		return (a->len > b->len) - (a->len < b->len);
	int r = domain == RS_DOMAIN_PG ? cmp_pg(c, a, b) : cmp_mysql(c, a, b);
	if (r == 0 || r == 2)
		return cmp_bytes(a, b);
	return r;
}

int keyorder_cmp(const rs_header *h, const rs_value *a, const rs_value *b)
{
	for (size_t i = 0; i < h->nkey; i++) {
		int r = keyorder_cmp_value(h->domain, &h->cols[h->key[i]], &a[i], &b[i]);
		if (r)
			return r;
	}
	return 0;
}
