/* pgquote_test.c - PostgreSQL identifiers and literals as text */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pgquote.h"
#include "test.h"

TEST(identifiers_and_literals)
{
	buf b;
	buf_init(&b);
	pgquote_ident(&b, "order");
	pgquote_ident(&b, "rooms");
	pgquote_ident(&b, "Rooms");
	pgquote_ident(&b, "a\"b");
	pgquote_ident(&b, "x$1");
	pgquote_ident(&b, "1x");
	CHECK_STR(buf_cstr(&b), "\"order\"rooms\"Rooms\"\"a\"\"b\"x$1\"1x\"");
	CHECK(pgquote_is_keyword("user"));
	CHECK(pgquote_is_keyword("all"));
	CHECK(pgquote_is_keyword("xmltable"));
	CHECK(!pgquote_is_keyword("name"));
	buf_reset(&b);
	CHECK(pgquote_literal(&b, "it's", 4));
	CHECK(pgquote_literal(&b, "a\tb\\", 4));
	CHECK(!pgquote_literal(&b, "a\0b", 3));
	CHECK_STR(buf_cstr(&b), "'it''s'E'a\\tb\\\\'");
	char *s = pgquote_shorten("a_column_name_that_is_exactly_sixty_four_characters_long_abcdefh", 63);
	char *t = pgquote_shorten("a_column_name_that_is_exactly_sixty_four_characters_long_abcdefX", 63);
	CHECK(strlen(s) <= 63 && strlen(t) <= 63);
	CHECK(strcmp(s, t) != 0);
	CHECK(strncmp(s, "a_column_name_that_is_exactly_sixty_four_characters_lo_", 55) == 0);
	free(s);
	free(t);
	/* a UTF-8 character is not cut */
	s = pgquote_shorten("xääääääääääääääääääääääääääääääääääääää", 63);
	CHECK(strlen(s) == 62);
	CHECK(strncmp(s, "xääääääääääääääääääääääääää_", 54) == 0);
	free(s);
	s = pgquote_shorten("short", 63);
	CHECK_STR(s, "short");
	free(s);
	buf_free(&b);
}

TEST(keywords)
{
	/* the first and last of the list, and words around them */
	CHECK(pgquote_is_keyword("all"));
	CHECK(pgquote_is_keyword("xmltable"));
	CHECK(!pgquote_is_keyword("a"));
	CHECK(!pgquote_is_keyword("zzz"));
	CHECK(!pgquote_is_keyword("xmltablf"));
	/* unreserved keywords are written bare, as quote_ident() does */
	CHECK(pgquote_is_bare("abort"));
	CHECK(pgquote_is_bare("name"));
	CHECK(pgquote_is_bare("value"));
	CHECK(!pgquote_is_bare("select"));
	CHECK(!pgquote_is_bare("time"));
	CHECK(!pgquote_is_bare("Select"));
	CHECK(!pgquote_is_bare(""));
	CHECK(!pgquote_is_bare("a-b"));
	CHECK(!pgquote_is_bare("é"));
	char *s = pgquote_lower("MiXeD_Ä1");
	CHECK_STR(s, "mixed_Ä1");
	free(s);
	buf b;
	buf_init(&b);
	pgquote_qualified(&b, "Shop", "order");
	pgquote_bytea(&b, "\x00\xff", 2);
	CHECK_STR(buf_cstr(&b), "\"Shop\".\"order\"'\\x00ff'");
	buf_free(&b);
}

int main(void)
{
	log_verbosity = -1;
	RUN(identifiers_and_literals);
	RUN(keywords);
	return test_done();
}
