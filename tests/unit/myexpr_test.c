/* myexpr_test.c - MySQL expressions and views as PostgreSQL SQL */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "myexpr.h"
#include "pgquote.h"
#include "test.h"

static const struct {
	const char *table, *name;
	myexpr_type type;
} cols[] = {
	{"t", "a", MYEXPR_INT},        {"t", "b", MYEXPR_INT},       {"t", "price", MYEXPR_NUMERIC},
	{"t", "qty", MYEXPR_INT},      {"t", "name", MYEXPR_TEXT},   {"t", "flag", MYEXPR_BOOL},
	{"t", "d", MYEXPR_DATE},       {"t", "ts", MYEXPR_TIMESTAMP}, {"t", "f", MYEXPR_FLOAT},
	{"t", "gen", MYEXPR_INT},      {"t", "Select", MYEXPR_INT},  {"u", "id", MYEXPR_INT},
	{"u", "a", MYEXPR_INT},        {"u", "label", MYEXPR_TEXT},
};

static bool col_cb(void *arg, const char *table, const char *col, buf *out, myexpr_type *type, bool *refused,
                   buf *why)
{
	(void)arg;
	if (!table)
		table = "t";
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) {
		if (strcmp(cols[i].table, table) != 0 || strcasecmp(cols[i].name, col) != 0)
			continue;
		if (strcmp(cols[i].name, "gen") == 0) {
			*refused = true;
			buf_puts(why, "uses generated column gen");
			return false;
		}
		char *low = pgquote_lower(cols[i].name);
		pgquote_ident(out, low);
		free(low);
		*type = cols[i].type;
		return true;
	}
	return false;
}

static bool table_cb(void *arg, const char *db, const char *table, buf *q, buf *bare, buf *why)
{
	(void)arg;
	if (db && strcmp(db, "shop") != 0) {
		buf_printf(why, "table %s.%s is in another database", db, table);
		return false;
	}
	if (strcmp(table, "t") != 0 && strcmp(table, "u") != 0) {
		buf_printf(why, "unknown table %s", table);
		return false;
	}
	buf_puts(q, "shop.");
	buf_puts(q, table);
	buf_puts(bare, table);
	return true;
}

static void alias_cb(void *arg, const char *name, buf *out)
{
	(void)arg;
	char *low = pgquote_lower(name);
	pgquote_ident(out, low);
	free(low);
}

static int check_one(myexpr_context ctx, myexpr_type target, const char *in, const char *want)
{
	myexpr_env env = {.context = ctx, .target = target, .column = col_cb, .table = table_cb, .alias = alias_cb};
	myexpr_result r;
	myexpr_result_init(&r);
	bool ok = ctx == MYEXPR_VIEW ? myexpr_translate_select(in, &env, &r) : myexpr_translate(in, &env, &r);
	int bad = 0;
	if (want && (!ok || strcmp((const char *)r.sql.data, want) != 0)) {
		printf("#   in:       %s\n#   got:      %s%s\n#   expected: %s\n", in, ok ? "" : "refused: ",
		       ok ? (const char *)r.sql.data : (const char *)r.why.data, want);
		bad = 1;
	} else if (!want && ok) {
		printf("#   in:       %s\n#   got:      %s\n#   expected: a refusal\n", in, (const char *)r.sql.data);
		bad = 1;
	}
	myexpr_result_free(&r);
	return bad;
}

#define X(ctx, in, want) CHECK(check_one(ctx, MYEXPR_UNKNOWN, in, want) == 0)
#define XT(ctx, target, in, want) CHECK(check_one(ctx, target, in, want) == 0)

TEST(literals)
{
	X(MYEXPR_DEFAULT, "'abc'", "'abc'");
	X(MYEXPR_DEFAULT, "'it''s'", "'it''s'");
	X(MYEXPR_DEFAULT, "'it\\'s'", "'it''s'");
	X(MYEXPR_DEFAULT, "_utf8mb4'x' 'y'", "'xy'");
	X(MYEXPR_DEFAULT, "'a\\nb'", "E'a\\nb'");
	X(MYEXPR_DEFAULT, "'back\\\\slash'", "'back\\slash'");
	X(MYEXPR_DEFAULT, "X'00ff'", "'\\x00ff'::bytea");
	X(MYEXPR_DEFAULT, "0x0A", "'\\x0a'::bytea");
	X(MYEXPR_DEFAULT, "_binary'ab'", "'\\x6162'::bytea");
	X(MYEXPR_DEFAULT, "-5", "-5");
	X(MYEXPR_DEFAULT, "1.50", "1.50");
	X(MYEXPR_DEFAULT, "NULL", "NULL");
	X(MYEXPR_DEFAULT, "'a\\0b'", NULL);
	X(MYEXPR_DEFAULT, "b'101'", NULL);
	X(MYEXPR_DEFAULT, "@x", NULL);
	X(MYEXPR_DEFAULT, "'unterminated", NULL);
	/* MySQL 8's escaped quotes in information_schema */
	X(MYEXPR_GENERATED, "concat(_utf8mb4\\'a\\',`name`,_utf8mb4\\'it\\\\\\'s\\')", "'a' || name || 'it''s'");
}

TEST(defaults)
{
	X(MYEXPR_DEFAULT, "current_timestamp()", "CURRENT_TIMESTAMP");
	X(MYEXPR_DEFAULT, "current_timestamp(6)", "CURRENT_TIMESTAMP");
	X(MYEXPR_DEFAULT, "CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP");
	X(MYEXPR_DEFAULT, "now()", "CURRENT_TIMESTAMP");
	X(MYEXPR_DEFAULT, "curdate()", "CURRENT_DATE");
	X(MYEXPR_DEFAULT, "(1 + 2)", "1 + 2");
	X(MYEXPR_DEFAULT, "rand()", "random()");
	XT(MYEXPR_DEFAULT, MYEXPR_OTHER, "uuid()", "gen_random_uuid()");
	XT(MYEXPR_DEFAULT, MYEXPR_TEXT, "uuid()", "gen_random_uuid()::text");
	XT(MYEXPR_DEFAULT, MYEXPR_BOOL, "1", "true");
	X(MYEXPR_DEFAULT, "point(0,0)", NULL);
	X(MYEXPR_DEFAULT, "date_format(now(), '%Y')", NULL);
}

TEST(generated)
{
	X(MYEXPR_GENERATED, "`price` * (1 + `qty`)", "price * (1 + qty)");
	X(MYEXPR_GENERATED, "`price` * 100", "price * 100");
	X(MYEXPR_GENERATED, "concat(`name`,' ',`a`)", "name || ' ' || a::text");
	X(MYEXPR_GENERATED, "concat(`name`,_utf8mb4'-',`d`)", NULL); /* date as text: not immutable */
	X(MYEXPR_GENERATED, "`a` / `b`", "a::numeric / nullif(b, 0)");
	X(MYEXPR_GENERATED, "`a` / 2", "a::numeric / 2");
	X(MYEXPR_GENERATED, "`a` DIV `b`", "a / nullif(b, 0)");
	X(MYEXPR_GENERATED, "`a` % 7", "a % 7");
	X(MYEXPR_GENERATED, "`a` + `flag`", "a + flag::integer");
	X(MYEXPR_GENERATED, "ucase(`name`)", "upper(name)");
	X(MYEXPR_GENERATED, "length(`name`)", "octet_length(name)");
	X(MYEXPR_GENERATED, "if(`a` > 0,`a`,0)", "CASE WHEN a > 0 THEN a ELSE 0 END");
	X(MYEXPR_GENERATED, "ifnull(`name`,'x')", "coalesce(name, 'x')");
	X(MYEXPR_GENERATED, "round(`f`,2)", "round(f::numeric, 2)");
	X(MYEXPR_GENERATED, "year(`d`)", "CAST(EXTRACT(YEAR FROM d) AS integer)");
	X(MYEXPR_GENERATED, "year(`ts`)", NULL);
	X(MYEXPR_GENERATED, "now()", NULL);
	X(MYEXPR_GENERATED, "`gen` + 1", NULL);
	X(MYEXPR_GENERATED, "`nosuch` + 1", NULL);
	X(MYEXPR_GENERATED, "`name` + 1", NULL);
	X(MYEXPR_GENERATED, "`d` + 1", NULL);
	X(MYEXPR_GENERATED, "`d` + interval 1 day", "d + INTERVAL '1 days'");
	X(MYEXPR_GENERATED, "`a` - -1", "a - -1");
	X(MYEXPR_GENERATED, "-(`a` + 1)", "-(a + 1)");
	X(MYEXPR_GENERATED, "(`a` + 1) * 2", "(a + 1) * 2");
	X(MYEXPR_GENERATED, "`a` + (1 * 2)", "a + 1 * 2");
	X(MYEXPR_GENERATED, "`a` - (1 - 2)", "a - (1 - 2)");
	X(MYEXPR_GENERATED, "`a` ^ 3", "a # 3");
	X(MYEXPR_GENERATED, "cast(`a` as char(5))", "CAST(a::text AS character varying(5))");
	X(MYEXPR_GENERATED, "cast(`name` as decimal(10,2))", "CAST(name AS numeric(10,2))");
	X(MYEXPR_GENERATED, "`select` + 1", "\"select\" + 1");
	X(MYEXPR_GENERATED, "`name` collate utf8mb4_bin", NULL);
}

TEST(checks)
{
	X(MYEXPR_CHECK, "`a` >= 0 and `a` < 10000", "a >= 0 AND a < 10000");
	X(MYEXPR_CHECK, "`a` between -2 and 60", "a BETWEEN -2 AND 60");
	X(MYEXPR_CHECK, "`flag` in (0,1)", "flag IN (false, true)");
	X(MYEXPR_CHECK, "`flag` = 1", "flag = true");
	X(MYEXPR_CHECK, "`flag` = 2", "flag::integer = 2");
	X(MYEXPR_CHECK, "`flag` in (0,1,2)", "flag::integer IN (0, 1, 2)");
	X(MYEXPR_CHECK, "`flag` between 0 and 1", "flag BETWEEN false AND true");
	X(MYEXPR_CHECK, "`flag` between 0 and 2", "flag::integer BETWEEN 0 AND 2");
	X(MYEXPR_CHECK, "`a`", "a <> 0");
	X(MYEXPR_CHECK, "`a` or `b` > 1", "a <> 0 OR b > 1");
	X(MYEXPR_CHECK, "not `a` = 1", "NOT a = 1");
	X(MYEXPR_CHECK, "!(`a` = 1 or `b` = 2)", "NOT (a = 1 OR b = 2)");
	X(MYEXPR_CHECK, "(`a` = 1 or `b` = 2) and `a` <> 3", "(a = 1 OR b = 2) AND a <> 3");
	X(MYEXPR_CHECK, "`a` <=> `b`", "a IS NOT DISTINCT FROM b");
	X(MYEXPR_CHECK, "`a` != 1 xor `b` != 1", "(a <> 1) <> (b <> 1)");
	X(MYEXPR_CHECK, "`name` is not null", "name IS NOT NULL");
	X(MYEXPR_CHECK, "`name` like 'a%'", "name LIKE 'a%'");
	X(MYEXPR_CHECK, "`name` not in ('x','y')", "name NOT IN ('x', 'y')");
	X(MYEXPR_CHECK, "`name` regexp '^a'", NULL);
	X(MYEXPR_CHECK, "`name` = 5", NULL);
	X(MYEXPR_CHECK, "`price` > '10'", "price > '10'");
	X(MYEXPR_CHECK, "case `a` when 1 then 'x' else 'y' end = 'x'", "CASE a WHEN 1 THEN 'x' ELSE 'y' END = 'x'");
	X(MYEXPR_CHECK, "json_valid(`name`)", NULL);
	X(MYEXPR_CHECK, "`a` > 0 /* comment */", "a > 0");
}

TEST(views)
{
	X(MYEXPR_VIEW, "select `shop`.`t`.`a` AS `a`,`shop`.`t`.`name` AS `Name` from `shop`.`t` where `shop`.`t`.`flag` = 1",
	  "SELECT t.a AS a, t.name AS name\n  FROM shop.t\n  WHERE t.flag = true");
	X(MYEXPR_VIEW,
	  "select `x`.`a` AS `a`,sum(`y`.`a`) AS `total`,ifnull(max(`x`.`ts`),'2000-01-01') AS `last` from (`shop`.`t` `x` "
	  "join `shop`.`u` `y` on(`y`.`id` = `x`.`a`)) group by `x`.`a`",
	  "SELECT x.a AS a, sum(y.a) AS total, coalesce(max(x.ts), '2000-01-01') AS last\n  FROM (shop.t x JOIN shop.u y "
	  "ON y.id = x.a)\n  GROUP BY x.a");
	X(MYEXPR_VIEW, "select `a` AS `a` from `shop`.`t` order by `a` desc limit 5,10",
	  "SELECT a AS a\n  FROM shop.t\n  ORDER BY a DESC\n  LIMIT 10 OFFSET 5");
	X(MYEXPR_VIEW, "select `t`.`a` AS `a` from `shop`.`t` left join `shop`.`u` on(`u`.`id` = `t`.`a`) where `u`.`id` is null",
	  "SELECT t.a AS a\n  FROM shop.t LEFT JOIN shop.u ON u.id = t.a\n  WHERE u.id IS NULL");
	X(MYEXPR_VIEW, "select `t`.`a` AS `a` from `shop`.`t` where exists(select 1 from `shop`.`u` where `u`.`id` = `t`.`a`)",
	  "SELECT t.a AS a\n  FROM shop.t\n  WHERE EXISTS (SELECT 1 FROM shop.u WHERE u.id = t.a)");
	X(MYEXPR_VIEW, "select `a` AS `a` from `shop`.`t` union all select `id` AS `id` from `shop`.`u`",
	  "SELECT a AS a\n  FROM shop.t\n  UNION ALL SELECT id AS id\n  FROM shop.u");
	X(MYEXPR_VIEW, "select `d`.`n` AS `n` from (select count(0) AS `n` from `shop`.`t`) `d`",
	  "SELECT d.n AS n\n  FROM (SELECT count(0) AS n FROM shop.t) d");
	X(MYEXPR_VIEW, "select `t`.`a` AS `a` from `shop`.`t` order by `t`.`a`,`t`.`b` desc limit 2",
	  "SELECT t.a AS a\n  FROM shop.t\n  ORDER BY t.a, t.b DESC\n  LIMIT 2");
	X(MYEXPR_VIEW, "select `t`.`a` AS `x` from `shop`.`t` union select `u`.`id` AS `id` from `shop`.`u` order by `x`",
	  "SELECT t.a AS x\n  FROM shop.t\n  UNION SELECT u.id AS id\n  FROM shop.u\n  ORDER BY x");
	X(MYEXPR_VIEW, "select `t`.`a` AS `a` from `shop`.`t` join `shop`.`u` where `t`.`a` = `u`.`id`",
	  "SELECT t.a AS a\n  FROM shop.t CROSS JOIN shop.u\n  WHERE t.a = u.id");
	/* refusals */
	X(MYEXPR_VIEW, "select `a` AS `a`,`name` AS `name` from `shop`.`t` group by `a`", NULL);
	X(MYEXPR_VIEW, "select `x`.`a` AS `a` from `other`.`t` `x`", NULL);
	X(MYEXPR_VIEW, "select date_format(`d`,'%Y') AS `y` from `shop`.`t`", NULL);
	X(MYEXPR_VIEW, "select * from `shop`.`t`", NULL);
	X(MYEXPR_VIEW, "select `a` AS `a` from `shop`.`t` for update", NULL);
	X(MYEXPR_VIEW, "with c as (select 1) select 1", NULL);
}

TEST(hostile_input)
{
	/* a backslash outside quotes that unescaping does not remove */
	X(MYEXPR_DEFAULT, "\\x", NULL);
	X(MYEXPR_DEFAULT, "", NULL);
	X(MYEXPR_VIEW, "", NULL);
	/* nesting is bounded */
	char deep[2000];
	size_t n = 0;
	for (int i = 0; i < 600; i++)
		deep[n++] = '(';
	deep[n++] = '1';
	for (int i = 0; i < 600; i++)
		deep[n++] = ')';
	deep[n] = 0;
	X(MYEXPR_DEFAULT, deep, NULL);
	memcpy(deep, "select 1 AS `x` from ", 21);
	n = 21;
	for (int i = 0; i < 600; i++)
		deep[n++] = '(';
	memcpy(deep + n, "`t`", 3);
	n += 3;
	for (int i = 0; i < 600; i++)
		deep[n++] = ')';
	deep[n] = 0;
	X(MYEXPR_VIEW, deep, NULL);
	X(MYEXPR_DEFAULT, "((((1))))", "1");
}

int main(void)
{
	log_verbosity = -1;
	RUN(literals);
	RUN(defaults);
	RUN(generated);
	RUN(checks);
	RUN(views);
	RUN(hostile_input);
	return test_done();
}
