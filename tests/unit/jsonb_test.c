/* jsonb_test.c - JSON text to PostgreSQL's canonical jsonb text (common/jsonb.c).
 * Expected texts are what PostgreSQL 15 prints for '<input>'::jsonb::text. */
#include "jsonb.h"

#include "test.h"

static const char *canon(const char *in, buf *out)
{
	const char *err = NULL;
	buf_reset(out);
	if (!jsonb_canonical((const uint8_t *)in, strlen(in), out, &err))
		return NULL;
	return buf_cstr(out);
}

TEST(canonical_forms)
{
	static const char *const cases[][2] = {
		{"{\"b\":1,\"a\":2,\"b\":3}", "{\"a\": 2, \"b\": 3}"},
		{"{\"a\": 1e2, \"b\": -0, \"c\": 1.50e1, \"d\": 1E-5, \"e\": \"\\u00e9\\n\\u001f/\", \"f\": [], \"g\": {}, \"aa\": null}",
		 "{\"a\": 100, \"b\": 0, \"c\": 15.0, \"d\": 0.00001, \"e\": \"\xc3\xa9\\n\\u001f/\", \"f\": [], \"g\": {}, \"aa\": null}"},
		{"\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\""},
		{"-0.0e5", "0"},
		{"1.0e-3", "0.0010"},
		{" [ 1 , true,false ,null ] ", "[1, true, false, null]"},
		{"{\"zz\": {\"b\": [1, {\"y\": 2, \"x\": 1}], \"a\": -1.0e-2}, \"a\": 1E+2, \"\": []}",
		 "{\"\": [], \"a\": 100, \"zz\": {\"a\": -0.010, \"b\": [1, {\"x\": 1, \"y\": 2}]}}"},
		{"\"q\\\"\\\\\\/\\b\\f\\r\\t\"", "\"q\\\"\\\\/\\b\\f\\r\\t\""},
		{"12345678901234567890.5", "12345678901234567890.5"},
		{"0.00", "0.00"},
		{"{\"\xc3\xa9\": 1, \"b\": 2, \"ab\": 3}", "{\"b\": 2, \"ab\": 3, \"\xc3\xa9\": 1}"},
	};
	buf out;
	buf_init(&out);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		CHECK_STR(canon(cases[i][0], &out), cases[i][1]);
	buf_free(&out);
}

TEST(refused)
{
	static const char *const bad[] = {
		"", "[1,", "01", "1.", ".5", "+1", "[1,]", "{\"a\" 1}", "{1: 2}", "tru", "nul", "\"a", "\"\\u0000\"",
		"\"\\ud83d\"", "\"\\ude00\"", "\"\\x\"", "\"tab\there\"", "1 2", "\"\xff\"", "1e131072", "1e-16384",
		"[] x", "NaN",
	};
	buf out;
	buf_init(&out);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *r = canon(bad[i], &out);
		if (r)
			printf("# accepted: %s -> %s\n", bad[i], r);
		CHECK(r == NULL);
	}
	buf_free(&out);
}

TEST(limits)
{
	buf in, out;
	buf_init(&in);
	buf_init(&out);
	/* 1e131071 has 131072 digits: the largest numeric */
	CHECK(canon("1e131071", &out) && out.len == 131072);
	CHECK(canon("1e-16383", &out) && out.len == 16385);
	CHECK(canon("0e999999999", &out) && strcmp((char *)out.data, "0") == 0);
	/* nesting */
	for (int i = 0; i < JSONB_MAX_DEPTH - 1; i++)
		buf_putc(&in, '[');
	for (int i = 0; i < JSONB_MAX_DEPTH - 1; i++)
		buf_putc(&in, ']');
	CHECK(canon(buf_cstr(&in), &out) != NULL);
	buf_reset(&in);
	for (int i = 0; i < JSONB_MAX_DEPTH + 1; i++)
		buf_putc(&in, '[');
	CHECK(canon(buf_cstr(&in), &out) == NULL);
	buf_free(&in);
	buf_free(&out);
}

TEST(send_and_json)
{
	buf out;
	buf_init(&out);
	const char *err;
	CHECK(jsonb_send((const uint8_t *)"{\"a\":1}", 7, &out, &err));
	CHECK_MEM(out.data, out.len, "\x01{\"a\": 1}", 9);
	/* json keeps the text: \u0000, lone surrogates and big numbers pass its syntax check */
	CHECK(jsonb_validate_json((const uint8_t *)"\"\\u0000\"", 8, &err));
	CHECK(jsonb_validate_json((const uint8_t *)"\"\\ud83d\"", 8, &err));
	CHECK(jsonb_validate_json((const uint8_t *)"1e999999999999", 14, &err));
	CHECK(!jsonb_validate_json((const uint8_t *)"[1,2", 4, &err));
	buf_free(&out);
}

/* objects one after the other, as a JSON column gives them: the writer remembers the last
 * object's key order and uses it for the next object with the same keys in the same order;
 * any other object (another order, another key of the same length, an escaped key, a key
 * twice, nested objects) is sorted */
TEST(repeated_shapes)
{
	static const char *const cases[][2] = {
		{"{\"b\": 1, \"a\": 2}", "{\"a\": 2, \"b\": 1}"},
		{"{\"b\": 3, \"a\": 4}", "{\"a\": 4, \"b\": 3}"},
		{"{\"a\": 5, \"b\": 6}", "{\"a\": 5, \"b\": 6}"},
		{"{\"b\": 1, \"a\": 2}", "{\"a\": 2, \"b\": 1}"},
		{"{\"b\": 1, \"c\": 2}", "{\"b\": 1, \"c\": 2}"},
		{"{\"c\": 1, \"b\": 2}", "{\"b\": 2, \"c\": 1}"},
		{"{\"c\": 1, \"b\": 2, \"b\": 3}", "{\"b\": 3, \"c\": 1}"},
		{"{\"c\": 1, \"b\": 2, \"b\": 3}", "{\"b\": 3, \"c\": 1}"},
		{"{\"c\": 1, \"\\u0062\": 2}", "{\"b\": 2, \"c\": 1}"},
		{"{\"c\": 1, \"b\": 2}", "{\"b\": 2, \"c\": 1}"},
		{"{\"x\": {\"c\": 1, \"b\": 2}, \"y\": {\"c\": 1, \"b\": 2}}",
		 "{\"x\": {\"b\": 2, \"c\": 1}, \"y\": {\"b\": 2, \"c\": 1}}"},
		{"{\"floor\": 1, \"view\": \"deniz\", \"smoking\": false, \"tags\": [\"wifi\", 1]}",
		 "{\"tags\": [\"wifi\", 1], \"view\": \"deniz\", \"floor\": 1, \"smoking\": false}"},
		{"{\"floor\": 2, \"view\": \"bah\xc3\xa7" "e\", \"smoking\": true, \"tags\": [\"wifi\", 2]}",
		 "{\"tags\": [\"wifi\", 2], \"view\": \"bah\xc3\xa7" "e\", \"floor\": 2, \"smoking\": true}"},
		{"{\"floor\": 3, \"viev\": 0, \"smoking\": true, \"tags\": []}",
		 "{\"tags\": [], \"viev\": 0, \"floor\": 3, \"smoking\": true}"},
	};
	buf out;
	buf_init(&out);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		CHECK_STR(canon(cases[i][0], &out), cases[i][1]);
	/* a remembered shape and duplicate keys refused */
	const char *err;
	bool dups;
	buf_reset(&out);
	CHECK(jsonb_send_dups((const uint8_t *)"{\"b\":1,\"a\":2}", 13, JSONB_DUPS_REFUSE, &out, &dups, &err));
	CHECK(!jsonb_send_dups((const uint8_t *)"{\"b\":1,\"b\":2}", 13, JSONB_DUPS_REFUSE, &out, &dups, &err));
	CHECK(dups);
	buf_free(&out);
}

/* numbers without an exponent are copied as written, except numeric's lack of a negative zero;
 * the same as numeric_out of the parsed value; objects of more than 16 keys sort as small ones;
 * a large value after small ones (the parser keeps its arrays between values) */
TEST(plain_numbers_and_sizes)
{
	static const char *const cases[][2] = {
		{"[-0, -0.00, -0.5, 0, 0.000, 1.50, -12.0, 100]", "[0, 0.00, -0.5, 0, 0.000, 1.50, -12.0, 100]"},
		{"123456789012345678901234567890123456789.5", "123456789012345678901234567890123456789.5"},
		{"-0000", NULL},
		{"01", NULL},
		{"1.", NULL},
		{"{\"q\":1,\"p\":2,\"o\":3,\"n\":4,\"m\":5,\"l\":6,\"k\":7,\"j\":8,\"i\":9,\"h\":10,\"g\":11,"
		 "\"f\":12,\"e\":13,\"d\":14,\"c\":15,\"b\":16,\"a\":17,\"aa\":0,\"a\":18}",
		 "{\"a\": 18, \"b\": 16, \"c\": 15, \"d\": 14, \"e\": 13, \"f\": 12, \"g\": 11, \"h\": 10, \"i\": 9, "
		 "\"j\": 8, \"k\": 7, \"l\": 6, \"m\": 5, \"n\": 4, \"o\": 3, \"p\": 2, \"q\": 1, \"aa\": 0}"},
	};
	buf out, in;
	buf_init(&out);
	buf_init(&in);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *r = canon(cases[i][0], &out);
		if (cases[i][1])
			CHECK_STR(r, cases[i][1]);
		else
			CHECK(r == NULL);
	}
	buf_putc(&in, '[');
	for (int i = 0; i < 200000; i++)
		buf_printf(&in, "%s{\"k%d\": %d.5}", i ? "," : "", i % 7, -i);
	buf_putc(&in, ']');
	CHECK(canon(buf_cstr(&in), &out) != NULL && out.len == in.len + 199999); /* ", " for "," */
	CHECK_STR(canon("{\"b\":1,\"a\":-0}", &out), "{\"a\": 0, \"b\": 1}");
	buf_free(&in);
	buf_free(&out);
}

/* duplicate keys, at any depth: refused, the last kept (jsonb_in), or the first (MariaDB) */
TEST(duplicate_keys)
{
	buf out;
	buf_init(&out);
	const char *err = NULL;
	bool dups = true;
	static const char nested[] = "{\"o\": {\"a\": 1, \"b\": [0], \"a\": 2}, \"x\": 3}";
	CHECK(jsonb_send_dups((const uint8_t *)"{\"a\":1,\"b\":2}", 13, JSONB_DUPS_REFUSE, &out, &dups, &err));
	CHECK(!dups);
	buf_reset(&out);
	CHECK(!jsonb_send_dups((const uint8_t *)nested, strlen(nested), JSONB_DUPS_REFUSE, &out, &dups, &err));
	CHECK(dups);
	CHECK_STR(err, "json object has a duplicate key");
	buf_reset(&out);
	dups = false;
	CHECK(jsonb_send_dups((const uint8_t *)nested, strlen(nested), JSONB_DUPS_LAST, &out, &dups, &err));
	CHECK(dups);
	CHECK_MEM(out.data, out.len, "\x01{\"o\": {\"a\": 2, \"b\": [0]}, \"x\": 3}", 34);
	buf_reset(&out);
	dups = false;
	CHECK(jsonb_send_dups((const uint8_t *)nested, strlen(nested), JSONB_DUPS_FIRST, &out, &dups, &err));
	CHECK(dups);
	CHECK_MEM(out.data, out.len, "\x01{\"o\": {\"a\": 1, \"b\": [0]}, \"x\": 3}", 34);
	/* three times the same key: first and last of the three */
	buf_reset(&out);
	CHECK(jsonb_send_dups((const uint8_t *)"{\"k\":1,\"k\":2,\"k\":3}", 19, JSONB_DUPS_FIRST, &out, NULL, &err));
	CHECK_MEM(out.data, out.len, "\x01{\"k\": 1}", 9);
	buf_reset(&out);
	CHECK(jsonb_send_dups((const uint8_t *)"{\"k\":1,\"k\":2,\"k\":3}", 19, JSONB_DUPS_LAST, &out, NULL, &err));
	CHECK_MEM(out.data, out.len, "\x01{\"k\": 3}", 9);
	/* equal keys written differently (an escape) are the same key */
	buf_reset(&out);
	CHECK(!jsonb_send_dups((const uint8_t *)"{\"a\":1,\"\\u0061\":2}", 18, JSONB_DUPS_REFUSE, &out, NULL, &err));
	buf_free(&out);
}

int main(void)
{
	RUN(canonical_forms);
	RUN(repeated_shapes);
	RUN(plain_numbers_and_sizes);
	RUN(refused);
	RUN(limits);
	RUN(send_and_json);
	RUN(duplicate_keys);
	return test_done();
}
