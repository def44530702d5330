/*
 * keyorder_test.c - the order on key values: numbers as numbers (both
 * domains), text byte by byte, total (bytes break ties).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "keyorder.h"
#include "log.h"
#include "rowstream.h"
#include "test.h"

static rs_value val(const void *p, size_t n)
{
	rs_value v = {.data = p, .len = n};
	return v;
}

static int cmp(uint8_t domain, uint32_t code, rs_value a, rs_value b)
{
	rs_column c = {.name = "k", .type = "", .code = code};
	return keyorder_cmp_value(domain, &c, &a, &b);
}

/* PostgreSQL binary forms */
static rs_value i4(buf *b, int32_t x)
{
	size_t at = b->len;
	buf_put_u32be(b, (uint32_t)x);
	return val(b->data + at, 4);
}

static rs_value i8(buf *b, int64_t x)
{
	size_t at = b->len;
	buf_put_u64be(b, (uint64_t)x);
	return val(b->data + at, 8);
}

static rs_value f8(buf *b, double x)
{
	uint64_t u;
	memcpy(&u, &x, 8);
	size_t at = b->len;
	buf_put_u64be(b, u);
	return val(b->data + at, 8);
}

/* numeric: ndigits, weight, sign, dscale, digits */
static rs_value num(buf *b, int weight, uint16_t sign, int dscale, int nd, const uint16_t *d)
{
	size_t at = b->len;
	buf_put_u16be(b, (uint16_t)nd);
	buf_put_u16be(b, (uint16_t)weight);
	buf_put_u16be(b, sign);
	buf_put_u16be(b, (uint16_t)dscale);
	for (int i = 0; i < nd; i++)
		buf_put_u16be(b, d[i]);
	return val(b->data + at, 8 + 2 * (size_t)nd);
}

static rs_value txt(const char *s) { return val(s, strlen(s)); }

TEST(pg_integers)
{
	buf b;
	buf_init(&b);
	buf_reserve(&b, 4096); /* values point into b: no reallocation */
	CHECK(cmp(RS_DOMAIN_PG, 23, i4(&b, -1), i4(&b, 1)) < 0);
	CHECK(cmp(RS_DOMAIN_PG, 23, i4(&b, 256), i4(&b, 255)) > 0);
	CHECK(cmp(RS_DOMAIN_PG, 23, i4(&b, 7), i4(&b, 7)) == 0);
	CHECK(cmp(RS_DOMAIN_PG, 20, i8(&b, INT64_MIN), i8(&b, INT64_MAX)) < 0);
	CHECK(cmp(RS_DOMAIN_PG, 1184, i8(&b, -5), i8(&b, 3)) < 0); /* timestamptz before 2000 */
	CHECK(cmp(RS_DOMAIN_PG, 1082, i4(&b, -5), i4(&b, 3)) < 0); /* date */
	buf_free(&b);
}

TEST(pg_floats)
{
	buf b;
	buf_init(&b);
	buf_reserve(&b, 4096);
	CHECK(cmp(RS_DOMAIN_PG, 701, f8(&b, -2.5), f8(&b, 1.0)) < 0);
	CHECK(cmp(RS_DOMAIN_PG, 701, f8(&b, 1e300), f8(&b, 0.0 / 0.0)) < 0); /* NaN last */
	CHECK(cmp(RS_DOMAIN_PG, 701, f8(&b, 0.0 / 0.0), f8(&b, 0.0 / 0.0)) == 0);
	buf_free(&b);
}

TEST(pg_numeric)
{
	buf b;
	buf_init(&b);
	buf_reserve(&b, 4096);
	uint16_t d1[] = {1}, d12[] = {1, 2000}, d9999[] = {9999}, d5[] = {5000};
	rs_value one = num(&b, 0, 0, 0, 1, d1);             /* 1 */
	rs_value one_0 = num(&b, 0, 0, 1, 1, d1);           /* 1.0 */
	rs_value one_2 = num(&b, 0, 0, 1, 2, d12);          /* 1.2 */
	rs_value big = num(&b, 1, 0, 0, 1, d1);             /* 10000 */
	rs_value small = num(&b, -1, 0, 1, 1, d5);          /* 0.5 */
	rs_value neg = num(&b, 0, 0x4000, 0, 1, d9999);     /* -9999 */
	rs_value neg_big = num(&b, 1, 0x4000, 0, 1, d1);    /* -10000 */
	rs_value zero = num(&b, 0, 0, 0, 0, NULL);          /* 0 */
	rs_value nan = num(&b, 0, 0xC000, 0, 0, NULL);
	rs_value pinf = num(&b, 0, 0xD000, 0, 0, NULL), ninf = num(&b, 0, 0xF000, 0, 0, NULL);
	rs_value order[] = {ninf, neg_big, neg, zero, small, one, one_2, big, pinf, nan};
	size_t n = sizeof order / sizeof *order;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			int c = cmp(RS_DOMAIN_PG, 1700, order[i], order[j]);
			CHECK(i < j ? c < 0 : i > j ? c > 0 : c == 0);
		}
	/* equal as numbers, different bytes: ordered, never equal */
	int c = cmp(RS_DOMAIN_PG, 1700, one, one_0);
	CHECK(c != 0);
	CHECK(cmp(RS_DOMAIN_PG, 1700, one_0, one) == -c);
	CHECK(cmp(RS_DOMAIN_PG, 1700, one_0, one_2) < 0);
	buf_free(&b);
}

TEST(pg_text_and_interval)
{
	CHECK(cmp(RS_DOMAIN_PG, 25, txt("B"), txt("a")) < 0); /* COLLATE "C" */
	CHECK(cmp(RS_DOMAIN_PG, 25, txt("ab"), txt("abc")) < 0);
	CHECK(cmp(RS_DOMAIN_PG, 25, txt(""), txt("a")) < 0);
	CHECK(cmp(RS_DOMAIN_PG, 25, txt("é"), txt("z")) > 0);
	/* interval: 1 month (30 days) > 29 days, < 31 days */
	uint8_t mon[16] = {0}, d29[16] = {0}, d31[16] = {0};
	mon[15] = 1;
	d29[11] = 29;
	d31[11] = 31;
	CHECK(cmp(RS_DOMAIN_PG, 1186, val(mon, 16), val(d29, 16)) > 0);
	CHECK(cmp(RS_DOMAIN_PG, 1186, val(mon, 16), val(d31, 16)) < 0);
}

TEST(mysql_numbers)
{
	CHECK(cmp(RS_DOMAIN_MYSQL, 3, txt("9"), txt("10")) < 0);
	CHECK(cmp(RS_DOMAIN_MYSQL, 3, txt("-10"), txt("-9")) < 0);
	CHECK(cmp(RS_DOMAIN_MYSQL, 8, txt("18446744073709551615"), txt("9223372036854775807")) > 0);
	CHECK(cmp(RS_DOMAIN_MYSQL, 246, txt("1.50"), txt("1.499")) > 0);
	CHECK(cmp(RS_DOMAIN_MYSQL, 246, txt("-0.5"), txt("0.00")) < 0);
	CHECK(cmp(RS_DOMAIN_MYSQL, 246, txt("-0.00"), txt("0.00")) != 0); /* equal numbers: bytes decide */
	CHECK(cmp(RS_DOMAIN_MYSQL, 246, txt("-0.00"), txt("-0.01")) > 0);
	CHECK(cmp(RS_DOMAIN_MYSQL, 246, txt("-0.00"), txt("0.01")) < 0);
	CHECK(cmp(RS_DOMAIN_MYSQL, 5, txt("1e3"), txt("999.5")) > 0);
	CHECK(cmp(RS_DOMAIN_MYSQL, 253, txt("9"), txt("10")) > 0); /* varchar: bytes */
}

TEST(keys)
{
	rs_header *h = rs_header_new(RS_DOMAIN_MYSQL, "s", "t");
	rs_header_add_column(h, "a", "varchar(5)", 253, RS_COL_NOT_NULL, 2);
	rs_header_add_column(h, "x", "int", 3, 0, 0);
	rs_header_add_column(h, "b", "int", 3, RS_COL_NOT_NULL, 1);
	CHECK(rs_header_finish(h));
	/* key order (b, a) */
	rs_value k1[] = {txt("2"), txt("z")}, k2[] = {txt("10"), txt("a")}, k3[] = {txt("10"), txt("b")};
	CHECK(keyorder_cmp(h, k1, k2) < 0);
	CHECK(keyorder_cmp(h, k2, k3) < 0);
	CHECK(keyorder_cmp(h, k3, k3) == 0);
	rs_header_free(h);
}

int main(void)
{
	log_verbosity = -1;
	RUN(pg_integers);
	RUN(pg_floats);
	RUN(pg_numeric);
	RUN(pg_text_and_interval);
	RUN(mysql_numbers);
	RUN(keys);
	return test_done();
}
