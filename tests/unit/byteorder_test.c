/* byteorder_test.c - integers and floats in memory (common/byteorder.c) */
#include <math.h>

#include "byteorder.h"
#include "test.h"

TEST(integers_both_orders)
{
	const uint8_t p[8] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
	CHECK(byteorder_get_u16be(p) == 0x0102 && byteorder_get_u16le(p) == 0x0201);
	CHECK(byteorder_get_u32be(p) == 0x01020304u && byteorder_get_u32le(p) == 0x04030201u);
	CHECK(byteorder_get_u64be(p) == 0x0102030405060708ull && byteorder_get_u64le(p) == 0x0807060504030201ull);
	uint8_t q[8];
	byteorder_put_u64le(q, 0x0807060504030201ull);
	CHECK(memcmp(p, q, 8) == 0);
}

TEST(floats_big_endian)
{
	/* float4 1.5 is 3f c0 00 00, float8 -2.5 is c0 04 00 00 00 00 00 00 */
	CHECK(byteorder_get_f32be((const uint8_t[]){0x3f, 0xc0, 0, 0}) == 1.5f);
	CHECK(byteorder_get_f64be((const uint8_t[]){0xc0, 0x04, 0, 0, 0, 0, 0, 0}) == -2.5);
	float nz = byteorder_get_f32be((const uint8_t[]){0x80, 0, 0, 0});
	CHECK(nz == 0.0f && signbit(nz));
	CHECK(isinf(byteorder_get_f64be((const uint8_t[]){0x7f, 0xf0, 0, 0, 0, 0, 0, 0})));
	CHECK(isnan(byteorder_get_f32be((const uint8_t[]){0x7f, 0xc0, 0, 0})));
}

int main(void)
{
	RUN(integers_both_orders);
	RUN(floats_big_endian);
	return test_done();
}
