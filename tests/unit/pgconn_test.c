/*
 * pgconn_test.c - the parts of pgconn that need no server: password masking
 * and [SCHEMA.]TABLE parsing (the rest is exercised by tests/bats/pg-load.bats).
 */
#include <stdlib.h>
#include <string.h>

#include "pgconn.h"
#include "test.h"

static void check_mask(const char *in, const char *want)
{
	char *m = pgconn_masked(in);
	CHECK_STR(m, want);
	free(m);
}

TEST(masks_passwords)
{
	check_mask("postgresql://app:s3cret@db.example:5432/x", "postgresql://app:********@db.example:5432/x");
	check_mask("postgres://app:p%40ss@h/x?sslmode=require", "postgres://app:********@h/x?sslmode=require");
	check_mask("postgresql://a:b:c@h/x", "postgresql://a:********@h/x");
	check_mask("postgresql://app@h/x?password=s3cret&sslmode=require",
	           "postgresql://app@h/x?password=********&sslmode=require");
	check_mask("postgresql://h/x?sslmode=require&password=s3cret", "postgresql://h/x?sslmode=require&password=********");
	check_mask("postgresql://[::1]:5432/x", "postgresql://[::1]:5432/x");
	check_mask("host=h password=s3cret dbname=x", "host=h password=******** dbname=x");
	check_mask("host=h password = 'a b\\' c' dbname=x", "host=h password = ******** dbname=x");
	check_mask("password=s3cret", "password=********");
	check_mask("passwordfile=/p host=h", "passwordfile=/p host=h");
	check_mask("dbname=x", "dbname=x");
	check_mask("mydb", "mydb");
	check_mask("", "");
}

static void check_split(const char *in, const char *schema, const char *table, bool qs, bool qt)
{
	char *s = NULL, *t = NULL;
	bool gs = false, gt = false;
	CHECK(pgconn_split_name(in, &s, &t, &gs, &gt));
	if (schema)
		CHECK_STR(s, schema);
	else
		CHECK(s == NULL);
	CHECK_STR(t, table);
	CHECK(gs == qs);
	CHECK(gt == qt);
	free(s);
	free(t);
}

TEST(splits_names)
{
	check_split("t", NULL, "t", false, false);
	check_split("public.t", "public", "t", false, false);
	check_split("Hotel.Rooms", "Hotel", "Rooms", false, false);
	check_split("\"a.b\".\"c\"\"d\"", "a.b", "c\"d", true, true);
	check_split("\"x\"\"; DROP TABLE y; --\"", NULL, "x\"; DROP TABLE y; --", false, true);
	check_split("s.\"T\"", "s", "T", false, true);
}

TEST(refuses_bad_names)
{
	static const char *const bad[] = {"", ".", "a.", ".b", "a.b.c", "\"a", "\"a\"b", "\"\"", "a.\"\""};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *s = NULL, *t = NULL;
		bool qs, qt;
		bool ok = pgconn_split_name(bad[i], &s, &t, &qs, &qt);
		if (ok)
			printf("# accepted: %s\n", bad[i]);
		CHECK(!ok);
		CHECK(s == NULL && t == NULL);
	}
}

int main(void)
{
	RUN(masks_passwords);
	RUN(splits_names);
	RUN(refuses_bad_names);
	return test_done();
}
