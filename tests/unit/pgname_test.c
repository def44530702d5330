/* pgname_test.c - the names PostgreSQL refuses or the tools keep, and their one rename rule */
#include <stdint.h>
#include <stdlib.h>

#include "log.h"
#include "pgname.h"
#include "test.h"

static void check_col(const char *const *cols, size_t n, size_t self, const char *want)
{
	char *got = pgname_column(cols[self], cols, n, self);
	CHECK_STR(got, want);
	free(got);
}

TEST(system_columns)
{
	const char *sys[] = {"tableoid", "xmin", "cmin", "xmax", "cmax", "ctid", "XMIN", "CtId"};
	for (size_t i = 0; i < sizeof sys / sizeof *sys; i++)
		CHECK(pgname_is_system_column(sys[i]));
	CHECK(!pgname_is_system_column("oid")); /* not since PostgreSQL 12 */
	CHECK(!pgname_is_system_column("xmin_"));
	CHECK(!pgname_is_system_column("xmi"));
	CHECK(!pgname_is_system_column(""));
	CHECK(!pgname_is_system_column("xmín"));
}

TEST(column_rule)
{
	/* the example of pgname.h */
	const char *cols[] = {"id", "xmin", "ctid", "TableOID", "xmin_"};
	check_col(cols, 5, 0, "id");
	check_col(cols, 5, 1, "xmin__");
	check_col(cols, 5, 2, "ctid_");
	check_col(cols, 5, 3, "TableOID_");
	check_col(cols, 5, 4, "xmin_");
	/* taken names compare without case; repeated until unique */
	const char *many[] = {"XMIN_", "xmin", "Xmin__", "xmin___x"};
	check_col(many, 4, 1, "xmin___");
	/* a name not among the columns */
	char *s = pgname_column("cmax", many, 4, SIZE_MAX);
	CHECK_STR(s, "cmax_");
	free(s);
	s = pgname_column("cmax", NULL, 0, SIZE_MAX);
	CHECK_STR(s, "cmax_");
	free(s);
}

TEST(schema_rule)
{
	CHECK(pgname_schema_reserved("pg_hotel"));
	CHECK(pgname_schema_reserved("PG_Hotel"));
	CHECK(pgname_schema_reserved("pg_"));
	CHECK(pgname_schema_reserved("rowstream"));
	CHECK(pgname_schema_reserved("RowStream"));
	CHECK(!pgname_schema_reserved("pg"));
	CHECK(!pgname_schema_reserved("pgx_hotel"));
	CHECK(!pgname_schema_reserved("rowstream_"));
	CHECK(!pgname_schema_reserved("my_pg_hotel"));
	CHECK(!pgname_schema_reserved(""));
	const char *in[] = {"pg_hotel", "rowstream", "PG_X", "hotel", "my_rowstream"};
	const char *want[] = {"my_pg_hotel", "my_rowstream", "my_PG_X", "hotel", "my_rowstream"};
	for (size_t i = 0; i < 5; i++) {
		char *s = pgname_schema(in[i]);
		CHECK_STR(s, want[i]);
		CHECK(!pgname_schema_reserved(s));
		free(s);
	}
	CHECK(pgname_equal("Rowstream", "rowSTREAM"));
	CHECK(!pgname_equal("rowstream", "rowstrea"));
	CHECK(!pgname_equal("Ä", "ä"));
}

/* a table's columns for pgname_find_renamed: exact, else case-insensitive (-2 when several) */
typedef struct table {
	const char *const *cols;
	size_t n;
} table;

static int find(const void *arg, const char *name)
{
	const table *t = arg;
	int hit = -1;
	for (size_t i = 0; i < t->n; i++)
		if (pgname_equal(t->cols[i], name)) {
			if (hit >= 0)
				return -2;
			hit = (int)i;
		}
	return hit;
}

TEST(find_renamed)
{
	/* the PostgreSQL table my-schema made of (id, xmin, ctid, xmin_) */
	const char *pg[] = {"id", "xmin__", "ctid_", "xmin_"};
	table t = {pg, 4};
	const char *all[] = {"id", "xmin", "ctid", "xmin_"};
	CHECK(pgname_find_renamed("xmin", all, 4, 1, find, &t, 4) == 1);
	CHECK(pgname_find_renamed("ctid", all, 4, 2, find, &t, 4) == 2);
	/* without xmin_, xmin may be xmin_ or xmin__: refused */
	const char *some[] = {"id", "xmin"};
	CHECK(pgname_find_renamed("xmin", some, 2, 1, find, &t, 4) == -2);
	/* ctid has one candidate whatever the other columns */
	CHECK(pgname_find_renamed("CTID", some, 2, SIZE_MAX, find, &t, 4) == 2);
	/* none, and not a system column */
	CHECK(pgname_find_renamed("cmax", all, 4, SIZE_MAX, find, &t, 4) == -1);
	CHECK(pgname_find_renamed("id", all, 4, 0, find, &t, 4) == -1);
	/* candidates that differ only in case are several */
	const char *pg2[] = {"xmin_", "XMIN_"};
	table t2 = {pg2, 2};
	CHECK(pgname_find_renamed("xmin", NULL, 0, SIZE_MAX, find, &t2, 2) == -2);
}

static const char *name_at(const void *arg, size_t i)
{
	return ((const char *const *)arg)[i];
}

TEST(find_rule)
{
	/* the one rule: exact, else unique without ASCII case; quoted: exact only */
	const char *names[] = {"Dup", "dup", "Rooms", "Ärger", "x"};
	CHECK(pgname_find("dup", false, 5, name_at, names) == 1);
	CHECK(pgname_find("Dup", false, 5, name_at, names) == 0);
	CHECK(pgname_find("DUP", false, 5, name_at, names) == -2);
	CHECK(pgname_find("DUP", true, 5, name_at, names) == -1);
	CHECK(pgname_find("rooms", false, 5, name_at, names) == 2);
	CHECK(pgname_find("rooms", true, 5, name_at, names) == -1);
	CHECK(pgname_find("\"Rooms\"", false, 5, name_at, names) == -1);
	/* other bytes compare exactly */
	CHECK(pgname_find("ärger", false, 5, name_at, names) == -1);
	CHECK(pgname_find("äRGER", false, 5, name_at, names) == -1);
	CHECK(pgname_find("ÄRGER", false, 5, name_at, names) == 3);
	CHECK(pgname_find("Ärger", true, 5, name_at, names) == 3);
	CHECK(pgname_find("X", false, 5, name_at, names) == 4);
	CHECK(pgname_find("x", false, 0, name_at, names) == -1);
}

int main(void)
{
	log_verbosity = -1;
	RUN(system_columns);
	RUN(column_rule);
	RUN(schema_rule);
	RUN(find_renamed);
	RUN(find_rule);
	return test_done();
}
