/* typemap_test.c - the MySQL -> PostgreSQL type map (common/typemap.c) */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "log.h"
#include "typemap.h"

#include "test.h"

/* a MySQL column as my-extract describes it: "COLUMN_TYPE", data_type, then key=value attrs */
static rs_header *hdr;

static rs_column *col(const char *name, const char *type, const char *data_type, uint32_t flags, ...)
{
	if (!hdr)
		hdr = rs_header_new(RS_DOMAIN_MYSQL, "db", "t");
	size_t i = rs_header_add_column(hdr, name, type, 0, flags, 0);
	rs_column_add_attr(&hdr->cols[i], "data_type", data_type);
	va_list ap;
	va_start(ap, flags);
	const char *k;
	while ((k = va_arg(ap, const char *)) != NULL)
		rs_column_add_attr(&hdr->cols[i], k, va_arg(ap, const char *));
	va_end(ap);
	return &hdr->cols[i];
}

static const char *map(const rs_column *c, const typemap_overrides *o, uint32_t *oid)
{
	static typemap_result r;
	if (!typemap_lookup(c, o, &r))
		return NULL;
	if (oid)
		*oid = r.oid;
	return r.pg_type;
}

TEST(default_map)
{
	static const struct {
		const char *type, *data_type;
		uint32_t flags;
		const char *pg;
		uint32_t oid;
	} cases[] = {
		{"tinyint(4)", "tinyint", 0, "smallint", 21},
		{"tinyint(1)", "tinyint", 0, "boolean", 16},
		{"tinyint(3) unsigned", "tinyint", RS_COL_UNSIGNED, "smallint", 21},
		{"smallint(6)", "smallint", 0, "smallint", 21},
		{"smallint(5) unsigned", "smallint", RS_COL_UNSIGNED, "integer", 23},
		{"mediumint(9)", "mediumint", 0, "integer", 23},
		{"mediumint(8) unsigned", "mediumint", RS_COL_UNSIGNED, "integer", 23},
		{"int(11)", "int", 0, "integer", 23},
		{"int(10) unsigned", "int", RS_COL_UNSIGNED, "bigint", 20},
		{"bigint(20)", "bigint", 0, "bigint", 20},
		{"bigint(20) unsigned", "bigint", RS_COL_UNSIGNED, "numeric(20,0)", 1700},
		{"decimal(65,30)", "decimal", 0, "numeric(65,30)", 1700},
		{"decimal(10,0) unsigned", "decimal", RS_COL_UNSIGNED, "numeric(10,0)", 1700},
		{"float", "float", 0, "real", 700},
		{"double", "double", 0, "double precision", 701},
		{"date", "date", 0, "date", 1082},
		{"datetime", "datetime", 0, "timestamp(0) with time zone", 1184},
		{"datetime(6)", "datetime", 0, "timestamp(6) with time zone", 1184},
		{"timestamp(3)", "timestamp", 0, "timestamp(3) with time zone", 1184},
		{"time(2)", "time", 0, "interval", 1186},
		{"year(4)", "year", 0, "smallint", 21},
		{"bit(1)", "bit", 0, "boolean", 16},
		{"bit(12)", "bit", 0, "bit(12)", 1560},
		{"enum('a','b')", "enum", 0, "text", 25},
		{"set('a','b')", "set", 0, "text[]", 1009},
		{"json", "json", 0, "jsonb", 3802},
		{"char(5)", "char", 0, "character(5)", 1042},
		{"char(0)", "char", 0, "text", 25},
		{"varchar(20)", "varchar", 0, "character varying(20)", 1043},
		{"mediumtext", "mediumtext", 0, "text", 25},
		{"binary(16)", "binary", RS_COL_BINARY, "bytea", 17},
		{"longblob", "longblob", RS_COL_BINARY, "bytea", 17},
		{"point", "point", RS_COL_BINARY, "bytea", 17},
		{"uuid", "uuid", 0, "uuid", 2950},
		{"inet6", "inet6", 0, "inet", 869},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char name[16];
		snprintf(name, sizeof name, "c%zu", i);
		rs_column *c = col(name, cases[i].type, cases[i].data_type, cases[i].flags, NULL);
		uint32_t oid = 0;
		const char *pg = map(c, NULL, &oid);
		CHECK_STR(pg, cases[i].pg);
		if (oid != cases[i].oid)
			printf("# %s: oid %u, expected %u\n", cases[i].type, oid, cases[i].oid);
		CHECK(oid == cases[i].oid);
	}
}

TEST(json_and_binary_text)
{
	/* MariaDB JSON: longtext with the json format / check */
	CHECK_STR(map(col("j1", "longtext", "longtext", 0, "charset", "utf8mb4", "format", "json", NULL), NULL, NULL),
	          "jsonb");
	CHECK_STR(map(col("j2", "longtext", "longtext", 0, "check", "json_valid(`j2`)", NULL), NULL, NULL), "jsonb");
	CHECK_STR(map(col("j3", "longtext", "longtext", 0, "charset", "utf8mb4", NULL), NULL, NULL), "text");
	/* text with charset binary is bytes */
	CHECK_STR(map(col("b1", "varchar(10)", "varchar", 0, "charset", "binary", NULL), NULL, NULL), "bytea");
	/* unknown charsets are refused unless cast to bytea */
	CHECK(map(col("k1", "varchar(10)", "varchar", 0, "charset", "ebcdic", NULL), NULL, NULL) == NULL);
	/* every set MariaDB lists converts */
	CHECK_STR(map(col("k0", "varchar(10)", "varchar", 0, "charset", "cp1251", NULL), NULL, NULL), "character varying(10)");
	CHECK_STR(map(col("k3", "text", "text", 0, "charset", "gbk", NULL), NULL, NULL), "text");
	typemap_overrides o;
	typemap_overrides_init(&o);
	typemap_overrides_add_cast(&o, "k2", "bytea");
	CHECK_STR(map(col("k2", "varchar(10)", "varchar", 0, "charset", "ebcdic", NULL), &o, NULL), "bytea");
	typemap_overrides_free(&o);
}

TEST(parse_pg_types)
{
	static const char *const cases[][2] = {
		{"int4", "integer"}, {"INT", "integer"}, {"bool", "boolean"}, {"decimal(10,2)", "numeric(10,2)"},
		{"numeric(7)", "numeric(7,0)"}, {"numeric", "numeric"}, {"float8", "double precision"},
		{"Double  Precision", "double precision"}, {"timestamptz", "timestamp with time zone"},
		{"timestamptz(3)", "timestamp(3) with time zone"}, {"timestamp(6) without time zone", "timestamp(6) without time zone"},
		{"timestamp", "timestamp without time zone"}, {"time(0) without time zone", "time(0) without time zone"},
		{"interval(3)", "interval(3)"}, {"bit", "bit(1)"}, {"varbit(5)", "bit varying(5)"},
		{"character varying(10)", "character varying(10)"}, {"varchar", "character varying"},
		{"char(3)", "character(3)"}, {"text[]", "text[]"}, {"pg_catalog.uuid", "uuid"}, {"jsonb", "jsonb"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		typemap_result r;
		memset(&r, 0, sizeof r);
		CHECK(typemap_parse_pg_type(cases[i][0], NULL, &r));
		CHECK_STR(r.pg_type, cases[i][1]);
	}
	static const char *const bad[] = {"integer x", "numeric(2,3)", "timestamp(7)", "varchar(0)", "money", "int["};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		typemap_result r;
		CHECK(!typemap_parse_pg_type(bad[i], NULL, &r));
	}
}

TEST(rules_file)
{
	static const char rules[] =
		"# target hotel.rooms\n"
		"cast \"is_active\" boolean\n"
		"cast status hotel.room_status\n"
		"cast \"We\"\"ird\" character varying(10)\n"
		"enum hotel.room_status 'free' 'it''s taken' 'closed'\n"
		"policy zero-date=null\n"
		"timezone Europe/Istanbul\n"
		"\n";
	typemap_overrides o;
	typemap_overrides_init(&o);
	CHECK(typemap_rules_parse(&o, rules, sizeof rules - 1, "rules"));
	CHECK(o.ncasts == 3);
	CHECK_STR(o.casts[0].column, "is_active");
	CHECK_STR(o.casts[0].type, "boolean");
	CHECK_STR(o.casts[2].column, "We\"ird");
	CHECK(o.nenums == 1 && o.enums[0].nlabels == 3);
	CHECK_STR(o.enums[0].labels[1], "it's taken");
	CHECK(o.npolicies == 1);
	CHECK_STR(o.policies[0], "zero-date=null");
	CHECK_STR(o.timezone, "Europe/Istanbul");
	/* the enum cast resolves, also when spelled with quotes */
	typemap_result r;
	rs_column *c = col("status", "enum('free','closed')", "enum", 0, "charset", "utf8mb4", NULL);
	CHECK(typemap_lookup(c, &o, &r));
	CHECK(r.pg == TM_PG_ENUM && r.oid == 0 && r.pg_enum == &o.enums[0]);
	CHECK_STR(r.pg_type, "hotel.room_status");
	CHECK(typemap_find_enum(&o, "\"hotel\".\"room_status\"") == &o.enums[0]);
	/* tinyint(4) cast to boolean */
	c = col("is_active", "tinyint(4)", "tinyint", 0, NULL);
	CHECK(typemap_lookup(c, &o, &r) && r.pg == TM_PG_BOOL);
	typemap_overrides_free(&o);

	static const char *const bad[] = {"cast x\n", "frobnicate x\n", "enum e\n", "enum e 'a' b\n", "policy\n",
	                                  "cast \"x int\n", "timezone a b\n"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		typemap_overrides_init(&o);
		CHECK(!typemap_rules_parse(&o, bad[i], strlen(bad[i]), "bad"));
		typemap_overrides_free(&o);
	}
}

/* typemap_lookup with stderr captured at the most verbose level: *logged when it wrote anything */
static bool lookup_logged(const rs_column *c, const typemap_overrides *o, typemap_result *r, bool *logged)
{
	fflush(stderr);
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	int v = log_verbosity;
	log_verbosity = 3;
	bool ok = typemap_lookup(c, o, r);
	log_verbosity = v;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	*logged = fseek(tmp, 0, SEEK_END) == 0 && ftell(tmp) > 0;
	fclose(tmp);
	return ok;
}

TEST(impossible_casts)
{
	typemap_overrides o;
	typemap_overrides_init(&o);
	typemap_overrides_add_cast(&o, "d1", "inet");
	typemap_overrides_add_cast(&o, "d2", "no_such_type");
	typemap_overrides_add_cast(&o, "d3", "boolean");
	typemap_result r;
	bool logged;
	/* the reason comes back in r.why, without the column's name, and nothing is logged */
	CHECK(!lookup_logged(col("d1", "date", "date", 0, NULL), &o, &r, &logged));
	CHECK_STR(r.why, "cannot convert MySQL date to inet");
	CHECK(!logged);
	CHECK(!lookup_logged(col("d2", "int(11)", "int", 0, NULL), &o, &r, &logged));
	CHECK_STR(r.why, "cast to 'no_such_type': unsupported PostgreSQL type");
	CHECK(!logged);
	CHECK(!lookup_logged(col("d3", "bit(2)", "bit", 0, NULL), &o, &r, &logged));
	CHECK_STR(r.why, "only bit(1) converts to boolean");
	CHECK(!logged);
	CHECK(!lookup_logged(col("d4", "geometry_thing", "sdo_geometry", 0, NULL), &o, &r, &logged));
	CHECK_STR(r.why, "unsupported MySQL type 'geometry_thing' (cast it with --cast or a rules file)");
	CHECK(!logged);
	/* a success leaves no reason */
	CHECK(lookup_logged(col("d5", "int(11)", "int", 0, NULL), &o, &r, &logged));
	CHECK_STR(r.why, "");
	typemap_overrides_free(&o);
}

int main(void)
{
	RUN(default_map);
	RUN(json_and_binary_text);
	RUN(parse_pg_types);
	RUN(rules_file);
	RUN(impossible_casts);
	rs_header_free(hdr);
	return test_done();
}
