/* hex_test.c - common/hex.h: the one hex encoder and decoder */
#include <string.h>

#include "hex.h"
#include "test.h"

TEST(encode_every_byte)
{
	uint8_t all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	char lower[512], upper[512];
	hex_encode(lower, all, 256, HEX_LOWER);
	hex_encode(upper, all, 256, HEX_UPPER);
	CHECK(memcmp(lower, "000102", 6) == 0);
	CHECK(memcmp(lower + 2 * 0x9f, "9fa0", 4) == 0);
	CHECK(memcmp(lower + 2 * 0xfe, "feff", 4) == 0);
	CHECK(memcmp(upper + 2 * 0xab, "ABAC", 4) == 0);
	/* and back: decoding either case gives the bytes again */
	buf b;
	buf_init(&b);
	CHECK(hex_decode(&b, lower, 512));
	CHECK(hex_decode(&b, upper, 512));
	CHECK_MEM(b.data, b.len > 256 ? 256 : b.len, all, 256);
	CHECK(b.len == 512 && memcmp(b.data + 256, all, 256) == 0);
	buf_free(&b);
}

TEST(append_keeps_what_is_there)
{
	buf b;
	buf_init(&b);
	buf_puts(&b, "\\x");
	hex_append(&b, "\x0a\xff", 2);
	hex_append(&b, "", 0);
	hex_append_digits(&b, "\xe9", 1, HEX_UPPER);
	CHECK_STR(buf_cstr(&b), "\\x0affE9");
	buf_free(&b);
}

TEST(decode_refuses_odd_and_non_hex)
{
	buf b;
	buf_init(&b);
	buf_puts(&b, "k");
	CHECK(!hex_decode(&b, "abc", 3));
	CHECK(!hex_decode(&b, "0g", 2));
	CHECK(!hex_decode(&b, "0 ", 2));
	CHECK(b.len == 1);
	CHECK(hex_decode(&b, "", 0));
	CHECK(hex_decode(&b, "4A6b", 4));
	CHECK_STR(buf_cstr(&b), "kJk");
	CHECK(hex_value('0') == 0 && hex_value('9') == 9 && hex_value('a') == 10 && hex_value('F') == 15);
	CHECK(hex_value('g') == -1 && hex_value('/') == -1 && hex_value(':') == -1 && hex_value('@') == -1);
	buf_free(&b);
}

int main(void)
{
	RUN(encode_every_byte);
	RUN(append_keeps_what_is_there);
	RUN(decode_refuses_odd_and_non_hex);
	return test_done();
}
