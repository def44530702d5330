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
	/* any case: libpq refuses PASSWORD=, its message must not show the password either */
	check_mask("host=h PASSWORD=s3cret", "host=h PASSWORD=********");
	check_mask("Password = 'with space' dbname=x", "Password = ******** dbname=x");
	check_mask("POSTGRESQL://app:s3cret@h/x?PassWord=two&sslmode=require",
	           "POSTGRESQL://app:********@h/x?PassWord=********&sslmode=require");
	check_mask("host=h password='it\\'s' password=again", "host=h password=******** password=********");
	check_mask("postgresql://app:s3cret@h1:5432,h2:5433/x", "postgresql://app:********@h1:5432,h2:5433/x");
	check_mask("postgresql://app:@h/x", "postgresql://app:********@h/x");
	check_mask("host=h\tpassword=s3cret", "host=h\tpassword=********");
}

/* take_conninfo: the copy is intact, the argument keeps its length and loses the passwords */
static void check_take(const char *in, const char *want_arg)
{
	char *arg = strdup(in);
	char *copy = pgconn_take_conninfo(arg);
	CHECK_STR(copy, in);
	CHECK_STR(arg, want_arg);
	CHECK(strlen(arg) == strlen(in));
	free(copy);
	free(arg);
}

TEST(takes_conninfo)
{
	check_take("host=h password=s3cret dbname=x", "host=h password=xxxxxx dbname=x");
	check_take("host=h PASSWORD = 'a b\\' c' dbname=x", "host=h PASSWORD = xxxxxxxxx dbname=x");
	check_take("postgresql://app:s3cret@db/x?password=two", "postgresql://app:xxxxxx@db/x?password=xxx");
	check_take("postgres://app:p%40ss@h/x?sslmode=require", "postgres://app:xxxxxx@h/x?sslmode=require");
	check_take("dbname=x user=u", "dbname=x user=u");
	check_take("mydb", "mydb");
	check_take("", "");
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
	RUN(takes_conninfo);
	RUN(splits_names);
	RUN(refuses_bad_names);
	return test_done();
}
