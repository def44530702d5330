/* numeric_test.c - decimals as PostgreSQL's numeric holds them (common/numeric.c), on its own */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "numeric.h"
#include "test.h"

static void hex(const buf *b, char *out)
{
	for (size_t i = 0; i < b->len; i++)
		sprintf(out + 2 * i, "%02x", b->data[i]);
	out[2 * b->len] = '\0';
}

/* text in: numeric_out's text and numeric_send's bytes (hex) */
static void check(const char *in, bool allow_exp, const char *out_text, const char *out_hex)
{
	numeric_dec d;
	numeric_init(&d);
	const char *err = NULL;
	CHECK(numeric_parse(&d, (const uint8_t *)in, strlen(in), allow_exp, true, &err));
	buf t, s;
	buf_init(&t);
	buf_init(&s);
	numeric_out(&d, &t);
	numeric_send(&d, &s);
	char h[256];
	hex(&s, h);
	CHECK_STR(buf_cstr(&t), out_text);
	CHECK_STR(h, out_hex);
	buf_free(&t);
	buf_free(&s);
	numeric_free(&d);
}

TEST(the_header_examples)
{
	check("12345678.9", false, "12345678.9", "000300010000000104d2162e2328");
	check("-1e2", true, "-100", "0001000040000000" "0064");
	check("0.00", false, "0.00", "0000000000000002");
}

TEST(scale_and_sign)
{
	check("-123.4500", false, "-123.4500", "0002000040000004007b1194");
	check("0.0010", false, "0.0010", "0001ffff00000004000a");
	check("+.5", false, "0.5", "0001ffff000000011388");
	check("NaN", false, "NaN", "00000000c0000000");
}

TEST(refused)
{
	const char *bad[] = {"", "-", ".", "1.2.3", "1e2", "12a", " 1", "1 ", "0x10", "--1"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		numeric_dec d;
		numeric_init(&d);
		const char *err = NULL;
		CHECK(!numeric_parse(&d, (const uint8_t *)bad[i], strlen(bad[i]), false, false, &err));
		CHECK(err != NULL);
		numeric_free(&d);
	}
}

TEST(typmod)
{
	numeric_dec d;
	numeric_init(&d);
	const char *err = NULL;
	/* numeric(5,2): 123.45 fits, 1234.5 overflows, 1.234 would be rounded */
	CHECK(numeric_parse(&d, (const uint8_t *)"123.45", 6, false, false, &err));
	CHECK(numeric_apply_typmod(&d, 5, 2, &err));
	numeric_free(&d);
	numeric_init(&d);
	CHECK(numeric_parse(&d, (const uint8_t *)"1234.5", 6, false, false, &err));
	CHECK(!numeric_apply_typmod(&d, 5, 2, &err));
	numeric_free(&d);
	numeric_init(&d);
	CHECK(numeric_parse(&d, (const uint8_t *)"1.234", 5, false, false, &err));
	CHECK(!numeric_apply_typmod(&d, 5, 2, &err));
	CHECK(numeric_int_digits(&d) == 1);
	numeric_free(&d);
}

int main(void)
{
	log_verbosity = -1;
	RUN(the_header_examples);
	RUN(scale_and_sign);
	RUN(refused);
	RUN(typmod);
	return test_done();
}
