/* charset_test.c - MySQL character sets to UTF-8 (common/charset.c) */
#include "charset.h"

#include "test.h"

static int conv(charset_id cs, charset_nul_action nul, charset_invalid_action inv, const char *in, size_t n,
                buf *out, const char **err)
{
	charset_conv c;
	charset_conv_init(&c, cs, nul, inv);
	buf_reset(out);
	bool ok = charset_to_utf8(&c, (const uint8_t *)in, n, out);
	*err = c.error;
	return ok ? (int)c.nchars : -1;
}

TEST(names)
{
	CHECK(charset_from_name("utf8mb4") == CHARSET_UTF8MB4);
	CHECK(charset_from_name("utf8") == CHARSET_UTF8MB3);
	CHECK(charset_from_name("utf8mb3") == CHARSET_UTF8MB3);
	CHECK(charset_from_name("latin1") == CHARSET_LATIN1);
	CHECK(charset_from_name("ascii") == CHARSET_ASCII);
	CHECK(charset_from_name("binary") == CHARSET_BINARY);
	CHECK(charset_from_name("cp1251") == CHARSET_CP1251);
	CHECK(charset_from_name("gbk") == CHARSET_GBK);
	CHECK(charset_from_name("utf16le") == CHARSET_UTF16LE);
	CHECK(charset_from_name("ebcdic") == CHARSET_UNKNOWN);
	/* every set has a name that maps back, and (but for UTF-8 and binary) an iconv name */
	for (int i = 1; i < CHARSET_COUNT; i++) {
		CHECK(charset_from_name(charset_name((charset_id)i)) == (charset_id)i);
		if (i != CHARSET_UTF8MB4 && i != CHARSET_UTF8MB3 && i != CHARSET_BINARY)
			CHECK(charset_iconv_name((charset_id)i) != NULL);
	}
	CHECK(charset_from_name(NULL) == CHARSET_UNKNOWN);
}

/* MySQL's latin1 is cp1252; the 5 undefined bytes map to U+0081, U+008D, U+008F, U+0090, U+009D
 * (checked against MariaDB's CONVERT(_latin1 x'..' USING utf32)) */
TEST(latin1_is_cp1252)
{
	static const uint32_t expect[32] = {
		0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
		0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
		0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
	};
	buf out, want;
	buf_init(&out);
	buf_init(&want);
	for (int b = 0x80; b < 0x100; b++) {
		char in[1] = {(char)b};
		const char *err;
		CHECK(conv(CHARSET_LATIN1, CHARSET_NUL_REJECT, CHARSET_INVALID_REJECT, in, 1, &out, &err) == 1);
		buf_reset(&want);
		charset_put_utf8(&want, b < 0xA0 ? expect[b - 0x80] : (uint32_t)b);
		CHECK_MEM(out.data, out.len, want.data, want.len);
	}
	const char *err;
	CHECK(conv(CHARSET_LATIN1, CHARSET_NUL_REJECT, CHARSET_INVALID_REJECT, "caf\xe9 \x80", 6, &out, &err) == 6);
	CHECK_MEM(out.data, out.len, "caf\xc3\xa9 \xe2\x82\xac", 9);
	buf_free(&out);
	buf_free(&want);
}

/* the reverse, for keys printed by PostgreSQL: every latin1 byte round-trips */
TEST(from_utf8)
{
	buf u, back;
	buf_init(&u);
	buf_init(&back);
	for (int b = 1; b < 0x100; b++) {
		char in[1] = {(char)b};
		const char *err;
		CHECK(conv(CHARSET_LATIN1, CHARSET_NUL_REJECT, CHARSET_INVALID_REJECT, in, 1, &u, &err) == 1);
		buf_reset(&back);
		CHECK(charset_from_utf8(CHARSET_LATIN1, u.data, u.len, &back));
		CHECK_MEM(back.data, back.len, in, 1);
	}
	buf_reset(&back);
	CHECK(charset_from_utf8(CHARSET_LATIN1, (const uint8_t *)"caf\xc3\xa9 \xe2\x82\xac", 9, &back));
	CHECK_MEM(back.data, back.len, "caf\xe9 \x80", 6);
	/* not representable, not UTF-8 */
	buf_reset(&back);
	CHECK(!charset_from_utf8(CHARSET_LATIN1, (const uint8_t *)"\xe6\x97\xa5", 3, &back));
	CHECK(!charset_from_utf8(CHARSET_LATIN1, (const uint8_t *)"\xc2\x80", 2, &back)); /* U+0080 */
	CHECK(!charset_from_utf8(CHARSET_LATIN1, (const uint8_t *)"\xe9", 1, &back));
	CHECK(!charset_from_utf8(CHARSET_ASCII, (const uint8_t *)"\xc3\xa9", 2, &back));
	CHECK(!charset_from_utf8(CHARSET_UTF8MB3, (const uint8_t *)"\xf0\x9f\x98\x80", 4, &back));
	CHECK(!charset_from_utf8(CHARSET_BINARY, (const uint8_t *)"a", 1, &back));
	buf_reset(&back);
	CHECK(charset_from_utf8(CHARSET_UTF8MB4, (const uint8_t *)"\xf0\x9f\x98\x80", 4, &back));
	CHECK_MEM(back.data, back.len, "\xf0\x9f\x98\x80", 4);
	buf_reset(&back);
	CHECK(charset_from_utf8(CHARSET_ASCII, (const uint8_t *)"plain", 5, &back));
	CHECK_MEM(back.data, back.len, "plain", 5);
	buf_free(&u);
	buf_free(&back);
}

TEST(utf8_validation)
{
	buf out;
	buf_init(&out);
	const char *err;
	CHECK(conv(CHARSET_UTF8MB4, 0, 0, "h\xc3\xa9llo \xf0\x9f\x98\x80", 11, &out, &err) == 7);
	CHECK_MEM(out.data, out.len, "h\xc3\xa9llo \xf0\x9f\x98\x80", 11);
	/* overlong, surrogate, beyond U+10FFFF, stray continuation, truncated */
	static const char *const bad[] = {"\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80",
	                                  "a\xe2\x82", "\xff"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		CHECK(conv(CHARSET_UTF8MB4, 0, 0, bad[i], strlen(bad[i]), &out, &err) < 0);
		CHECK_STR(err, "invalid UTF-8");
	}
	buf_free(&out);
}

TEST(utf8_replace_maximal_subparts)
{
	buf out;
	buf_init(&out);
	const char *err;
	/* "a" E2 82 (truncated 3-byte) "b" -> a U+FFFD b; F0 80: F0 alone is a maximal subpart, then 80 */
	CHECK(conv(CHARSET_UTF8MB4, 0, CHARSET_INVALID_REPLACE, "a\xe2\x82" "b", 4, &out, &err) == 3);
	CHECK_MEM(out.data, out.len, "a\xef\xbf\xbd" "b", 5);
	CHECK(conv(CHARSET_UTF8MB4, 0, CHARSET_INVALID_REPLACE, "\xf0\x80", 2, &out, &err) == 2);
	CHECK_MEM(out.data, out.len, "\xef\xbf\xbd\xef\xbf\xbd", 6);
	CHECK(conv(CHARSET_ASCII, 0, CHARSET_INVALID_REPLACE, "a\xe9", 2, &out, &err) == 2);
	CHECK_MEM(out.data, out.len, "a\xef\xbf\xbd", 4);
	buf_free(&out);
}

TEST(nul_policies)
{
	buf out;
	buf_init(&out);
	const char *err;
	CHECK(conv(CHARSET_UTF8MB4, CHARSET_NUL_REJECT, 0, "a\0b", 3, &out, &err) < 0);
	CHECK(err && strstr(err, "NUL"));
	CHECK(conv(CHARSET_UTF8MB4, CHARSET_NUL_STRIP, 0, "a\0b", 3, &out, &err) == 2);
	CHECK_MEM(out.data, out.len, "ab", 2);
	CHECK(conv(CHARSET_LATIN1, CHARSET_NUL_ESCAPE, 0, "a\0b", 3, &out, &err) == 8);
	CHECK_MEM(out.data, out.len, "a\\u0000b", 8);
	CHECK(conv(CHARSET_LATIN1, CHARSET_NUL_STRIP, 0, "\0\0", 2, &out, &err) == 0);
	CHECK(out.len == 0);
	buf_free(&out);
}

/* a sequence split across pieces is carried over, byte by byte */
TEST(streaming_pieces)
{
	const char *s = "\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x82\xac";
	size_t n = strlen(s);
	buf out;
	buf_init(&out);
	charset_conv c;
	charset_conv_init(&c, CHARSET_UTF8MB4, 0, 0);
	for (size_t i = 0; i < n; i++)
		CHECK(charset_conv_feed(&c, (const uint8_t *)s + i, 1, &out));
	CHECK(charset_conv_finish(&c, &out));
	CHECK_MEM(out.data, out.len, s, n);
	CHECK(c.nchars == 7);
	/* a truncated sequence at the very end is invalid */
	buf_reset(&out);
	charset_conv_init(&c, CHARSET_UTF8MB4, 0, 0);
	CHECK(charset_conv_feed(&c, (const uint8_t *)"ab\xe2\x82", 4, &out));
	CHECK(!charset_conv_finish(&c, &out));
	CHECK(c.error_offset == 2);
	/* invalid continuation in the next piece: the error points at the lead byte */
	buf_reset(&out);
	charset_conv_init(&c, CHARSET_UTF8MB4, 0, CHARSET_INVALID_REPLACE);
	CHECK(charset_conv_feed(&c, (const uint8_t *)"x\xe2", 2, &out));
	CHECK(charset_conv_feed(&c, (const uint8_t *)"y", 1, &out));
	CHECK(charset_conv_finish(&c, &out));
	CHECK_MEM(out.data, out.len, "x\xef\xbf\xbdy", 5);
	buf_free(&out);
}

/* multi-byte and wide sets through iconv (values checked against MariaDB's CONVERT) */
TEST(iconv_sets)
{
	buf out;
	buf_init(&out);
	const char *err;
	/* gbk "中文" */
	CHECK(conv(CHARSET_GBK, 0, 0, "\xd6\xd0\xce\xc4", 4, &out, &err) == 2);
	CHECK_MEM(out.data, out.len, "\xe4\xb8\xad\xe6\x96\x87", 6);
	/* utf16 "a" U+1F600, utf16le "a", utf32 U+00E9, ucs2 U+20AC */
	CHECK(conv(CHARSET_UTF16, 0, 0, "\0a\xd8\x3d\xde\x00", 6, &out, &err) == 2);
	CHECK_MEM(out.data, out.len, "a\xf0\x9f\x98\x80", 5);
	CHECK(conv(CHARSET_UTF16LE, 0, 0, "a\0", 2, &out, &err) == 1);
	CHECK_MEM(out.data, out.len, "a", 1);
	CHECK(conv(CHARSET_UTF32, 0, 0, "\0\0\0\xe9", 4, &out, &err) == 1);
	CHECK_MEM(out.data, out.len, "\xc3\xa9", 2);
	CHECK(conv(CHARSET_UCS2, 0, 0, "\x20\xac", 2, &out, &err) == 1);
	CHECK_MEM(out.data, out.len, "\xe2\x82\xac", 3);
	/* MySQL's own mappings: sjis 0x5C is a backslash (iconv: yen), 815F too; gbk 0x80 is not
	 * a character (iconv: euro); cp866 0xFC is U+207F */
	CHECK(conv(CHARSET_SJIS, 0, 0, "\x95\x5c\x5c\x81\x5f~", 6, &out, &err) == 4);
	CHECK_MEM(out.data, out.len, "\xe8\xa1\xa8\\\\~", 6);
	CHECK(conv(CHARSET_GBK, 0, 0, "a\x80", 2, &out, &err) < 0);
	CHECK_STR(err, "invalid gbk byte sequence");
	CHECK(conv(CHARSET_CP866, 0, 0, "\xfc", 1, &out, &err) == 1);
	CHECK_MEM(out.data, out.len, "\xe2\x81\xbf", 3);
	/* invalid: a lone surrogate, a gbk lead byte without its trail; replaced one unit each */
	CHECK(conv(CHARSET_UTF16, 0, 0, "\xd8\x00\0a", 4, &out, &err) < 0);
	CHECK_STR(err, "invalid utf16 byte sequence");
	CHECK(conv(CHARSET_UTF16, 0, CHARSET_INVALID_REPLACE, "\xd8\x00\0a", 4, &out, &err) == 2);
	CHECK_MEM(out.data, out.len, "\xef\xbf\xbd" "a", 4);
	CHECK(conv(CHARSET_GBK, 0, CHARSET_INVALID_REPLACE, "\xd6 ", 2, &out, &err) == 2);
	CHECK_MEM(out.data, out.len, "\xef\xbf\xbd ", 4);
	CHECK(conv(CHARSET_GBK, 0, 0, "ab\xd6", 3, &out, &err) < 0); /* truncated at the end */
	buf_free(&out);
}

/* a NUL character of a wide set is a NUL: the policy decides, the offset is the source's */
TEST(iconv_nul)
{
	buf out;
	buf_init(&out);
	const char *err;
	charset_conv c;
	charset_conv_init(&c, CHARSET_UTF16, CHARSET_NUL_REJECT, 0);
	CHECK(!charset_to_utf8(&c, (const uint8_t *)"\0a\0b\0\0\0c", 8, &out));
	CHECK(c.error_offset == 4);
	CHECK(conv(CHARSET_UTF16, CHARSET_NUL_ESCAPE, 0, "\0a\0\0", 4, &out, &err) == 7);
	CHECK_MEM(out.data, out.len, "a\\u0000", 7);
	CHECK(conv(CHARSET_UTF32, CHARSET_NUL_STRIP, 0, "\0\0\0\0\0\0\0z", 8, &out, &err) == 1);
	CHECK_MEM(out.data, out.len, "z", 1);
	buf_free(&out);
}

/* pieces split inside characters, for every split point */
TEST(iconv_pieces)
{
	static const char gbk[] = "a\xd6\xd0\xce\xc4" "b", u16[] = "\0a\xd8\x3d\xde\x00\0b";
	const struct { charset_id cs; const char *s; size_t n; } v[] = {
		{CHARSET_GBK, gbk, sizeof gbk - 1}, {CHARSET_UTF16, u16, sizeof u16 - 1}};
	buf out, whole;
	buf_init(&out);
	buf_init(&whole);
	for (size_t k = 0; k < 2; k++) {
		const char *err;
		CHECK(conv(v[k].cs, 0, 0, v[k].s, v[k].n, &whole, &err) > 0);
		for (size_t cut = 0; cut <= v[k].n; cut++) {
			charset_conv c;
			charset_conv_init(&c, v[k].cs, 0, 0);
			buf_reset(&out);
			for (size_t i = 0; i < v[k].n; i += cut ? cut : 1)
				CHECK(charset_conv_feed(&c, (const uint8_t *)v[k].s + i,
				                        (cut ? cut : 1) < v[k].n - i ? (cut ? cut : 1) : v[k].n - i, &out));
			CHECK(charset_conv_finish(&c, &out));
			CHECK_MEM(out.data, out.len, whole.data, whole.len);
		}
	}
	buf_free(&out);
	buf_free(&whole);
}

/* keys printed by PostgreSQL back into their set */
TEST(iconv_from_utf8)
{
	buf back;
	buf_init(&back);
	CHECK(charset_from_utf8(CHARSET_GBK, (const uint8_t *)"\xe4\xb8\xad\xe6\x96\x87", 6, &back));
	CHECK_MEM(back.data, back.len, "\xd6\xd0\xce\xc4", 4);
	buf_reset(&back);
	CHECK(charset_from_utf8(CHARSET_UTF16, (const uint8_t *)"a\xf0\x9f\x98\x80", 5, &back));
	CHECK_MEM(back.data, back.len, "\0a\xd8\x3d\xde\x00", 6);
	buf_reset(&back);
	CHECK(charset_from_utf8(CHARSET_CP1251, (const uint8_t *)"\xd0\x96", 2, &back)); /* Ж */
	CHECK_MEM(back.data, back.len, "\xc6", 1);
	buf_reset(&back);
	CHECK(!charset_from_utf8(CHARSET_GBK, (const uint8_t *)"\xe2\x82\xac", 3, &back)); /* no euro */
	buf_reset(&back);
	CHECK(charset_from_utf8(CHARSET_SJIS, (const uint8_t *)"\\~", 2, &back));
	CHECK_MEM(back.data, back.len, "\\~", 2);
	buf_free(&back);
}

int main(void)
{
	RUN(names);
	RUN(latin1_is_cp1252);
	RUN(from_utf8);
	RUN(utf8_validation);
	RUN(utf8_replace_maximal_subparts);
	RUN(nul_policies);
	RUN(streaming_pieces);
	RUN(iconv_sets);
	RUN(iconv_nul);
	RUN(iconv_pieces);
	RUN(iconv_from_utf8);
	return test_done();
}
