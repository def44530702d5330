/* cli_test.c - option values and usage text (common/cli.c) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "log.h"
#include "rowstream.h"
#include "test.h"

TEST(counts)
{
	unsigned long long v = 7;
	CHECK(cli_parse_number("--n", "0", 0, 10, &v) && v == 0);
	CHECK(cli_parse_number("--n", "10", 0, 10, &v) && v == 10);
	CHECK(cli_parse_number("--n", "18446744073709551615", 0, ~0ull, &v) && v == ~0ull);
	v = 7;
	/* a count takes no suffix, sign, space or fraction; the range holds */
	const char *bad[] = {"1K", "1k", "", "-1", "+1", " 1", "1 ", "1.5", "0x10", "11", "18446744073709551616"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(!cli_parse_number("--n", bad[i], 0, 10, &v));
	CHECK(v == 7);
	CHECK(!cli_parse_number("--n", "0", 1, 10, &v));
}

TEST(sizes)
{
	unsigned long long v = 0;
	CHECK(cli_parse_size("--s", "65536", 0, ~0ull, &v) && v == 65536);
	CHECK(cli_parse_size("--s", "64K", 0, ~0ull, &v) && v == 65536);
	CHECK(cli_parse_size("--s", "64k", 0, ~0ull, &v) && v == 65536);
	CHECK(cli_parse_size("--s", "256M", 0, ~0ull, &v) && v == 256ull << 20);
	CHECK(cli_parse_size("--s", "1G", 0, ~0ull, &v) && v == 1ull << 30);
	CHECK(cli_parse_size("--s", "3g", 0, ~0ull, &v) && v == 3ull << 30);
	CHECK(cli_parse_size("--s", "0", 0, ~0ull, &v) && v == 0);
	/* 2^34 G overflows 64 bits */
	CHECK(!cli_parse_size("--s", "17179869184G", 0, ~0ull, &v));
	const char *bad[] = {"", "K", "1KB", "1T", "-1K", "+1", "1 K", "1.5M", "1KK"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(!cli_parse_size("--s", bad[i], 0, ~0ull, &v));
	CHECK(!cli_parse_size("--s", "2K", 0, 2047, &v));
}

TEST(block_bytes)
{
	size_t n = 0;
	CHECK(cli_parse_block_bytes("4096", &n) && n == 4096);
	CHECK(cli_parse_block_bytes("4K", &n) && n == 4096);
	CHECK(cli_parse_block_bytes("256K", &n) && n == 262144);
	CHECK(cli_parse_block_bytes("32M", &n) && n == RS_MAX_BLOCK / 2);
	CHECK(!cli_parse_block_bytes("4095", &n));
	CHECK(!cli_parse_block_bytes("1K", &n));
	CHECK(!cli_parse_block_bytes("33M", &n));
}

/* cli_usage into a string */
static char *usage_text(const char *const *forms)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);
	cli_usage(f, forms);
	fclose(f);
	return s;
}

TEST(usage_wraps_and_aligns)
{
	static const char *const forms[] = {
	    "tool [-a] [--long-option value] [--another-option value] [--third-option value] [file]",
	    "tool --other [x]",
	    NULL,
	};
	char *s = usage_text(forms);
	CHECK_STR(s, "usage: tool [-a] [--long-option value] [--another-option value]\n"
	             "            [--third-option value] [file]\n"
	             "       tool --other [x]\n");
	free(s);
	/* a bracketed group is not broken unless it alone is wider than a line */
	static const char *const nested[] = {
	    "t [--choose one | two | three | four | five | six | seven | eight | nine | ten | eleven | twelve] f",
	    NULL,
	};
	s = usage_text(nested);
	CHECK_STR(s, "usage: t [--choose one | two | three | four | five | six | seven | eight | nine\n"
	             "         | ten | eleven | twelve] f\n");
	free(s);
}

int main(void)
{
	log_verbosity = -1;
	RUN(counts);
	RUN(sizes);
	RUN(block_bytes);
	RUN(usage_wraps_and_aligns);
	return test_done();
}
