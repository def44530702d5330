/* text_test.c - row-cat's CSV quoting, TSV escaping and decoded character sets (cmd/row-cat/text.c) */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "row-cat.h"
#include "test.h"

/* the field as rcat_put_field writes it */
static char *field(bool tsv, const char *s, size_t n)
{
	static buf b;
	buf_reset(&b);
	rcat_put_field(&b, tsv, (const uint8_t *)s, n);
	buf_putc(&b, 0);
	return (char *)b.data;
}
#define F(tsv, lit) field(tsv, lit, sizeof lit - 1)

TEST(csv_quotes_only_when_it_must)
{
	CHECK_STR(F(false, "plain"), "plain");
	CHECK_STR(F(false, " spaced "), " spaced ");
	/* empty is "" (NULL is nothing, written by the caller) */
	CHECK_STR(F(false, ""), "\"\"");
	CHECK_STR(F(false, "a,b"), "\"a,b\"");
	CHECK_STR(F(false, "say \"hi\""), "\"say \"\"hi\"\"\"");
	CHECK_STR(F(false, "line1\nline2"), "\"line1\nline2\"");
	CHECK_STR(F(false, "cr\r"), "\"cr\r\"");
	/* a lone \. would end the data of some loaders */
	CHECK_STR(F(false, "\\."), "\"\\.\"");
	CHECK_STR(F(false, "\\.x"), "\\.x");
}

TEST(tsv_escapes)
{
	CHECK_STR(F(true, "a\tb\nc\rd\\e"), "a\\tb\\nc\\rd\\\\e");
	CHECK_STR(F(true, ""), "");
	CHECK_STR(F(true, "a,\"b\""), "a,\"b\"");
	/* bytes other than the four pass as they are */
	CHECK_STR(field(true, "a\0b", 3), "a");
	buf b;
	buf_init(&b);
	rcat_put_field(&b, true, (const uint8_t *)"a\0b", 3);
	CHECK_MEM(b.data, b.len, "a\0b", 3);
	buf_free(&b);
}

TEST(escape_in_pieces_is_the_escape_of_the_whole)
{
	const char *v = "ab\"cd\"\"e\tf\\";
	size_t n = strlen(v);
	for (int tsv = 0; tsv < 2; tsv++) {
		buf whole, parts;
		buf_init(&whole);
		buf_init(&parts);
		(tsv ? rcat_tsv_escape : rcat_csv_escape)(&whole, (const uint8_t *)v, n);
		for (size_t i = 0; i < n; i++)
			(tsv ? rcat_tsv_escape : rcat_csv_escape)(&parts, (const uint8_t *)v + i, 1);
		CHECK_MEM(parts.data, parts.len, whole.data, whole.len);
		buf_free(&whole);
		buf_free(&parts);
	}
}

TEST(decoded_character_sets)
{
	CHECK(rcat_shown_charset("utf8mb4") == CHARSET_UNKNOWN);
	CHECK(rcat_shown_charset("binary") == CHARSET_UNKNOWN);
	CHECK(rcat_shown_charset(NULL) == CHARSET_UNKNOWN);
	charset_id latin1 = rcat_shown_charset("latin1");
	CHECK(latin1 != CHARSET_UNKNOWN);
	buf b;
	buf_init(&b);
	/* latin1 0xe9 is U+00E9 */
	rcat_decode_text(&b, latin1, (const uint8_t *)"caf\xe9", 4);
	CHECK_MEM(b.data, b.len, "caf\xc3\xa9", 5);
	/* a rejects row: fields decoded by their columns' sets, \x hex of a NUL-holding one too */
	buf_reset(&b);
	const char *row = "caf\xe9,\\x6100,plain";
	rcat_decode_fields(&b, "latin1,latin1,utf8mb4", (const uint8_t *)row, strlen(row));
	CHECK_MEM(b.data, b.len, "caf\xc3\xa9,a\\x00,plain", 17);
	buf_free(&b);
}

int main(void)
{
	log_verbosity = -1;
	RUN(csv_quotes_only_when_it_must);
	RUN(tsv_escapes);
	RUN(escape_in_pieces_is_the_escape_of_the_whole);
	RUN(decoded_character_sets);
	return test_done();
}
