/* query_test.c - my-extract's plan and SELECT (cmd/my-extract/query.c) for a table described
 * by hand: long columns read apart, ENUM member indexes, the locator, --columns, --where,
 * --limit and key order */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "my-extract.h"
#include "test.h"

/* t(id INT PRIMARY KEY, doc LONGTEXT, e ENUM('', 'a'), note VARCHAR(10)) */
static mytable_col cols[4];
static size_t pk[1] = {0};
static char *members[2] = {"", "a"};
static size_t member_lens[2] = {0, 1};
static mytable table = {.db = "d", .name = "t", .ncols = 4, .cols = cols, .npk = 1, .pk = pk};

static void setup(extract *x)
{
	cols[0] = (mytable_col){.name = "id", .data_type = "int", .column_type = "int(11)"};
	cols[1] = (mytable_col){.name = "doc", .data_type = "longtext", .column_type = "longtext", .nullable = true};
	cols[2] = (mytable_col){.name = "e", .data_type = "enum", .column_type = "enum('','a')", .nmembers = 2,
	                        .members = members, .member_lens = member_lens};
	cols[3] = (mytable_col){.name = "no`te", .data_type = "varchar", .column_type = "varchar(10)"};
	memset(x, 0, sizeof *x);
	x->t = &table;
	x->qtable = "`d`.`t`";
	x->range.limit = -1;
}

static void teardown(extract *x)
{
	free(x->out_col);
	free(x->sel_val);
	free(x->sel_len);
	free(x->sel_idx);
	free(x->sel_loc);
}

TEST(whole_table)
{
	extract x;
	setup(&x);
	buf q;
	buf_init(&q);
	CHECK(mx_plan_columns(&x) == MX_OK);
	CHECK(x.nout == 4 && x.key_in_output);
	/* one long column, and a key to read it apart by: 4 MiB inline at most */
	CHECK(x.long_cutoff == 4u << 20);
	CHECK(mx_build_query(&x, &q) == MX_OK);
	CHECK_STR(buf_cstr(&q), "SELECT `id`, IF(LENGTH(`doc`) > 4194304, NULL, `doc`), `e`, `no``te`, LENGTH(`doc`), "
	                        "`e` + 0 FROM `d`.`t` ORDER BY `id`");
	/* where each value is in the result */
	CHECK(x.nsel == 6);
	CHECK(x.sel_val[1] == 1 && x.sel_len[1] == 4 && x.sel_len[0] == -1);
	CHECK(x.sel_idx[2] == 5 && x.sel_idx[0] == -1);
	CHECK(x.nloc == 1 && x.sel_loc[0] == 0);
	/* the ENUM with '' as a member is written with its index; the key is not */
	CHECK(mx_enum_index_form(&x, 2));
	CHECK(!mx_enum_index_form(&x, 0));
	buf_free(&q);
	teardown(&x);
}

TEST(columns_where_limit)
{
	extract x;
	setup(&x);
	x.range.columns = "note,doc";
	x.range.where = "id > 1";
	x.range.limit = 5;
	cols[3].name = "note";
	buf q;
	buf_init(&q);
	CHECK(mx_plan_columns(&x) == MX_OK);
	CHECK(x.nout == 2 && !x.key_in_output);
	CHECK(mx_build_query(&x, &q) == MX_OK);
	/* the key is read for the long value, though not written */
	CHECK_STR(buf_cstr(&q), "SELECT `note`, IF(LENGTH(`doc`) > 4194304, NULL, `doc`), LENGTH(`doc`), `id` FROM "
	                        "`d`.`t` WHERE (id > 1) ORDER BY `id` LIMIT 5");
	CHECK(x.sel_loc[0] == 3);
	buf_free(&q);
	teardown(&x);
}

TEST(refused_with_usage)
{
	extract x;
	setup(&x);
	x.range.columns = "id,nosuch";
	CHECK(mx_plan_columns(&x) == MX_USAGE);
	teardown(&x);
	/* --after on a table without a primary key */
	setup(&x);
	table.npk = 0;
	x.range.after = "1";
	buf q;
	buf_init(&q);
	CHECK(mx_plan_columns(&x) == MX_OK);
	CHECK(mx_build_query(&x, &q) == MX_USAGE);
	table.npk = 1;
	buf_free(&q);
	teardown(&x);
}

int main(void)
{
	log_verbosity = -1;
	RUN(whole_table);
	RUN(columns_where_limit);
	RUN(refused_with_usage);
	return test_done();
}
