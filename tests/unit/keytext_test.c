/* keytext_test.c - primary-key values as one line of text (common/keytext.c), on its own */
#include <stdlib.h>
#include <string.h>

#include "keytext.h"
#include "log.h"
#include "test.h"

static void check_format(const char *const *vals, size_t n, const char *want)
{
	size_t lens[8];
	for (size_t i = 0; i < n; i++)
		lens[i] = strlen(vals[i]);
	buf b;
	buf_init(&b);
	keytext_format(&b, vals, lens, n);
	CHECK_STR(buf_cstr(&b), want);
	/* and back */
	char **out;
	size_t *ol, m;
	CHECK(keytext_parse(buf_cstr(&b), &out, &ol, &m));
	CHECK(m == n);
	for (size_t i = 0; i < n && i < m; i++) {
		CHECK(ol[i] == lens[i]);
		CHECK_STR(out[i], vals[i]);
	}
	keytext_free(out, ol, m);
	buf_free(&b);
}

TEST(the_header_examples)
{
	check_format((const char *[]){"42"}, 1, "42");
	check_format((const char *[]){"17", "a,b"}, 2, "17,\"a,b\"");
	check_format((const char *[]){"", "7"}, 2, "\"\",7");
	check_format((const char *[]){"say \"hi\""}, 1, "\"say \"\"hi\"\"\"");
}

TEST(what_is_quoted)
{
	check_format((const char *[]){" lead", "trail ", "in side"}, 3, "\" lead\",\"trail \",in side");
	check_format((const char *[]){"a\\b", "tab\there", "nl\nx"}, 3, "\"a\\b\",\"tab\there\",\"nl\nx\"");
	check_format((const char *[]){"é", "-1.5", "2024-01-02 03:04:05"}, 3, "é,-1.5,2024-01-02 03:04:05");
}

TEST(a_value_with_a_nul_byte)
{
	/* a key value is bytes: a NUL inside is kept (quoted as a control character) */
	buf b;
	buf_init(&b);
	keytext_format_field(&b, "a\0b", 3);
	CHECK(b.len == 5 && b.data[0] == '"' && b.data[2] == '\0' && b.data[4] == '"');
	buf_free(&b);
}

TEST(malformed)
{
	const char *bad[] = {"", "1,", ",a", "\"open", "\"a\"b", "a,,b", "\"x\"y,1"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char **out = NULL;
		size_t *ol = NULL, n = 99;
		CHECK(!keytext_parse(bad[i], &out, &ol, &n));
	}
}

TEST(bounds)
{
	char empty[] = "", one[] = "1", quoted[] = "\"\"";
	CHECK(keytext_bound(empty) == NULL);
	CHECK(keytext_bound(one) == one);
	CHECK(keytext_bound(quoted) == quoted);
}

int main(void)
{
	log_verbosity = -1;
	RUN(the_header_examples);
	RUN(what_is_quoted);
	RUN(a_value_with_a_nul_byte);
	RUN(malformed);
	RUN(bounds);
	return test_done();
}
