/* copy_test.c - pg-extract's reading of COPY binary tuples (cmd/pg-extract/copy.c) */
#include <string.h>

#include "log.h"
#include "pg-extract.h"
#include "test.h"

/* a tuple of 3 fields: int4 7, NULL, '' ; then the trailer */
static const uint8_t data[] = {
	0x00, 0x03,                                     /* 3 fields */
	0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x07, /* 4 bytes: 7 */
	0xff, 0xff, 0xff, 0xff,                         /* -1: NULL */
	0x00, 0x00, 0x00, 0x00,                         /* 0 bytes: '' */
	0xff, 0xff,                                     /* trailer */
};

TEST(a_row_then_the_trailer)
{
	cursor c = {data, data + sizeof data};
	px_field f[3];
	CHECK(px_parse_tuple(&c, 3, f) == 1);
	CHECK(f[0].len == 4 && f[0].p && f[0].p[3] == 7);
	CHECK(f[1].len == -1);
	CHECK(f[2].len == 0 && f[2].p != NULL);
	CHECK(px_parse_tuple(&c, 3, f) == 0);
	CHECK(c.p == c.end);
}

TEST(every_cut_is_incomplete_never_a_row)
{
	px_field f[3];
	for (size_t n = 0; n < sizeof data - 2; n++) {
		cursor c = {data, data + n};
		CHECK(px_parse_tuple(&c, 3, f) == -2);
	}
}

TEST(malformed)
{
	px_field f[3];
	/* a field count that is not the query's */
	cursor c = {data, data + sizeof data};
	CHECK(px_parse_tuple(&c, 2, f) == -1);
	/* a length below -1 */
	static const uint8_t bad[] = {0x00, 0x01, 0xff, 0xff, 0xff, 0xfe};
	cursor b = {bad, bad + sizeof bad};
	CHECK(px_parse_tuple(&b, 1, f) == -1);
}

int main(void)
{
	log_verbosity = -1;
	RUN(a_row_then_the_trailer);
	RUN(every_cut_is_incomplete_never_a_row);
	RUN(malformed);
	return test_done();
}
