/* collist_test.c - --columns lists resolved against a table (common/collist.c) */
#include <stdlib.h>
#include <string.h>

#include "collist.h"
#include "log.h"
#include "test.h"

/* a table: its column names, looked up exactly as the tools' find functions do */
typedef struct table {
	const char *const *names;
	size_t n;
} table;

static int find(const void *arg, const char *name)
{
	const table *t = arg;
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->names[i], name) == 0)
			return (int)i;
	return -1;
}

static const char *const abc[] = {"a", "b", "c,d", "e\"f"};
static const table t_abc = {abc, 4};

/* resolves spec; checks the result against want (n entries), or a refusal when n < 0 */
static void check(bool pg, const table *t, const char *spec, const size_t *want, int n)
{
	size_t *cols = NULL, ncols = 99;
	bool ok = pg ? collist_resolve_pg(spec, "db.t", find, t, t->n, &cols, &ncols)
	             : collist_resolve(spec, "db.t", find, t, t->n, &cols, &ncols);
	if (n < 0) {
		if (ok)
			printf("# '%s' was accepted\n", spec ? spec : "(null)");
		CHECK(!ok);
		return;
	}
	CHECK(ok);
	if (!ok)
		return;
	CHECK(ncols == (size_t)n);
	for (size_t i = 0; i < ncols && i < (size_t)n; i++)
		CHECK(cols[i] == want[i]);
	free(cols);
}

TEST(no_list_is_every_column_in_table_order)
{
	check(false, &t_abc, NULL, (size_t[]){0, 1, 2, 3}, 4);
	static const table empty = {NULL, 0};
	check(false, &empty, NULL, NULL, 0);
}

TEST(a_list_in_its_own_order)
{
	check(false, &t_abc, "b", (size_t[]){1}, 1);
	check(false, &t_abc, "c,\"d\",a", NULL, -1); /* no column c: "c,d" is one name only when quoted */
	check(false, &t_abc, "\"c,d\",a", (size_t[]){2, 0}, 2);
	check(false, &t_abc, "\"e\"\"f\",b,a", (size_t[]){3, 1, 0}, 3);
}

TEST(unknown_repeated_and_malformed_lists_are_refused)
{
	check(false, &t_abc, "a,x", NULL, -1);
	check(false, &t_abc, "A", NULL, -1); /* names are exact */
	check(false, &t_abc, "a,b,a", NULL, -1);
	check(false, &t_abc, "a,,b", NULL, -1);
	check(false, &t_abc, "", NULL, -1);
	check(false, &t_abc, "\"a", NULL, -1);
}

TEST(system_column_names_are_the_ones_my_schema_renamed)
{
	/* my-schema renames a MySQL column xmin to xmin_ (pgname.h) */
	static const char *const renamed[] = {"id", "xmin_"};
	static const table t = {renamed, 2};
	check(true, &t, "xmin,id", (size_t[]){1, 0}, 2);
	/* only for PostgreSQL tables */
	check(false, &t, "xmin,id", NULL, -1);
	/* a name that is not a system column is not looked for elsewhere */
	check(true, &t, "id,other", NULL, -1);
	/* two candidates: the list cannot tell which one it means */
	static const char *const two[] = {"xmin_", "xmin__"};
	static const table t2 = {two, 2};
	check(true, &t2, "xmin", NULL, -1);
}

TEST(has_key)
{
	size_t cols[] = {3, 0, 2};
	CHECK(collist_has_key(cols, 3, (size_t[]){0}, 1));
	CHECK(collist_has_key(cols, 3, (size_t[]){2, 3}, 2));
	CHECK(!collist_has_key(cols, 3, (size_t[]){0, 1}, 2));
	CHECK(!collist_has_key(cols, 3, NULL, 0)); /* no key: nothing to resume by */
	CHECK(!collist_has_key(NULL, 0, (size_t[]){0}, 1));
}

int main(void)
{
	log_verbosity = -1;
	RUN(no_list_is_every_column_in_table_order);
	RUN(a_list_in_its_own_order);
	RUN(unknown_repeated_and_malformed_lists_are_refused);
	RUN(system_column_names_are_the_ones_my_schema_renamed);
	RUN(has_key);
	return test_done();
}
