/* utf8_test.c - the fast UTF-8 check (common/utf8.c) agrees with the charset conversion */
#include "utf8.h"

#include <stdlib.h>

#include "charset.h"
#include "test.h"

/* the reference: charset.c's UTF-8 conversion with the default policies (reject) */
static bool reference(const uint8_t *p, size_t n, size_t *nchars)
{
	charset_conv c;
	static buf out;
	buf_reset(&out);
	charset_conv_init(&c, CHARSET_UTF8MB4, CHARSET_NUL_REJECT, CHARSET_INVALID_REJECT);
	bool ok = charset_to_utf8(&c, p, n, &out);
	if (ok) {
		ok = out.len == n && (n == 0 || memcmp(out.data, p, n) == 0); /* valid text is copied as it is */
		*nchars = (size_t)c.nchars;
	}
	return ok;
}

static int agree(const uint8_t *p, size_t n)
{
	size_t a = 99, b = 77;
	bool fa = utf8_check(p, n, &a), fb = reference(p, n, &b);
	if (fa != fb || (fa && a != b)) {
		printf("# utf8_check %d (%zu chars), reference %d (%zu chars)\n", fa, a, fb, b);
		test_hexdump("text", p, n);
		return 0;
	}
	return 1;
}

TEST(examples)
{
	size_t k = 0;
	CHECK(utf8_check((const uint8_t *)"", 0, &k) && k == 0);
	CHECK(utf8_check((const uint8_t *)"Ay\xc5\x9f" "e #7", 8, &k) && k == 7);
	CHECK(utf8_check((const uint8_t *)"0123456789abcdef\xf0\x9f\x98\x80", 20, &k) && k == 17);
	CHECK(!utf8_check((const uint8_t *)"a\0b", 3, &k));
	CHECK(!utf8_check((const uint8_t *)"0123456789\0bcdef", 16, &k)); /* NUL inside a word */
	CHECK(!utf8_check((const uint8_t *)"\xc0\xaf", 2, &k));            /* overlong */
	CHECK(!utf8_check((const uint8_t *)"\xed\xa0\x80", 3, &k));        /* a surrogate */
	CHECK(!utf8_check((const uint8_t *)"\xf4\x90\x80\x80", 4, &k));    /* above U+10FFFF */
	CHECK(!utf8_check((const uint8_t *)"abcdefg\xc5", 8, &k));         /* cut short */
	CHECK(!utf8_check((const uint8_t *)"\xc5" "abcdefgh", 9, &k));     /* lead without continuation */
	CHECK(utf8_check((const uint8_t *)"x", 1, NULL));
}

/* every sequence of one or two bytes, every three-byte one that starts with a lead byte of
 * three or four, and four-byte ones over every lead and second byte, each after 0 and after 9
 * ASCII bytes (the edges of the word loop) */
TEST(all_short_sequences)
{
	uint8_t b[24], s[4];
	int bad = 0;
	for (uint32_t v = 0; v < (1u << 16) + 21 * (1u << 16) + (1u << 16) && bad < 5; v++) {
		size_t len;
		if (v < 256) {
			len = 1;
			s[0] = (uint8_t)v;
		} else if (v < (1u << 16)) {
			len = 2;
			s[0] = (uint8_t)(v >> 8), s[1] = (uint8_t)v;
		} else if (v < 22 * (1u << 16)) {
			uint32_t w = v - (1u << 16);
			len = 3;
			s[0] = (uint8_t)(0xE0 + (w >> 16)), s[1] = (uint8_t)(w >> 8), s[2] = (uint8_t)w;
		} else {
			uint32_t w = v - 22 * (1u << 16);
			len = 4;
			s[0] = (uint8_t)(0xF0 + (w >> 13)), s[1] = (uint8_t)(w >> 5), s[2] = (uint8_t)(0x80 + (w & 0x1F)),
			s[3] = 0xBF;
		}
		for (size_t lead = 0; lead <= 9; lead += 9) {
			memset(b, 'a', lead);
			memcpy(b + lead, s, len);
			memset(b + lead + len, 'z', 3);
			if (!agree(b, lead + len + 3))
				bad++;
		}
	}
	CHECK(bad == 0);
}

/* random texts mostly of ASCII with some multi-byte characters, NULs and stray bytes */
TEST(random_texts)
{
	static const char *const pieces[] = {"a", "Z", " ", "#", "\xc5\x9f", "\xc4\xb1", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
	                                     "\0", "\x80", "\xc5", "\xed\xa0\x80", "\xef\xbf\xbd", "0123456789"};
	static const size_t lens[] = {1, 1, 1, 1, 2, 2, 3, 4, 1, 1, 1, 3, 3, 10};
	srand(7);
	uint8_t b[256];
	int bad = 0;
	for (int t = 0; t < 200000 && bad < 5; t++) {
		size_t n = 0;
		int k = rand() % 30;
		bool clean = rand() % 2;
		for (int i = 0; i < k; i++) {
			int which = rand() % 14;
			if (clean && which >= 8 && which <= 11)
				continue;
			memcpy(b + n, pieces[which], lens[which]);
			n += lens[which];
		}
		if (!agree(b, n))
			bad++;
	}
	CHECK(bad == 0);
}

int main(void)
{
	RUN(examples);
	RUN(all_short_sequences);
	RUN(random_texts);
	return test_done();
}
