/* rejects_test.c - the rejects file (common/rejects.c), written to and read back from a real
 * file in a temporary directory */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "rejects.h"
#include "rowstream.h"
#include "test.h"

static char dir[256];

static const char *path_in(const char *name)
{
	static char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return p;
}

/* a MySQL-domain source header: id (key), name (utf8mb4 text), data (binary) */
static rs_header *source(void)
{
	rs_header *h = rs_header_new(RS_DOMAIN_MYSQL, "shop", "items");
	size_t id = rs_header_add_column(h, "id", "int(11)", 3, RS_COL_NOT_NULL, 1);
	(void)id;
	size_t name = rs_header_add_column(h, "name", "varchar(20)", 253, 0, 0);
	rs_column_add_attr(&h->cols[name], "charset", "utf8mb4");
	size_t data = rs_header_add_column(h, "data", "blob", 252, RS_COL_BINARY, 0);
	rs_column_add_attr(&h->cols[data], "charset", "binary");
	CHECK(rs_header_finish(h));
	return h;
}

static void check_value(const rs_value *v, const char *want, size_t n)
{
	CHECK(!v->null && !v->chunked);
	if (!v->null && !v->chunked)
		CHECK_MEM(v->data, (size_t)v->len, want, n);
}

TEST(rows_read_back_as_a_stream)
{
	rs_header *src = source();
	const char *p = path_in("a.rejects");
	rejects *rj = rejects_open(p, "row-convert", src);
	CHECK(rj != NULL);
	if (!rj) {
		rs_header_free(src);
		return;
	}
	static const char bytes[] = {'z', 0, 'e', 'r', 'o', '\xff'};
	CHECK(rejects_add(rj, "7", "data", "zero date", bytes, sizeof bytes, false, "7,x,\\x7a00"));
	CHECK(rejects_add(rj, NULL, NULL, "[target] 23505 duplicate key", NULL, 0, true, NULL));
	CHECK(rejects_count(rj) == 2);
	CHECK(rejects_close(rj));

	int fd = open(p, O_RDONLY);
	CHECK(fd >= 0);
	rs_reader *r = fd >= 0 ? rs_reader_new(fd, p) : NULL;
	CHECK(r != NULL);
	if (r) {
		const rs_header *h = rs_reader_header(r);
		CHECK(h->domain == RS_DOMAIN_MYSQL);
		CHECK_STR(h->schema, "shop");
		CHECK_STR(h->table, "items");
		CHECK_STR(rs_header_meta(h, "rejects"), "1");
		CHECK_STR(rs_header_meta(h, "stage"), "row-convert");
		/* the source's text columns' character sets, for row-cat */
		CHECK_STR(rs_header_meta(h, "row_charsets"), ",utf8mb4,");
		CHECK_STR(rs_header_meta(h, "key_charsets"), "");
		CHECK_STR(rs_header_meta(h, "charset:name"), "utf8mb4");
		CHECK(rs_header_meta(h, "charset:data") == NULL);
		static const char *const cols[] = {"stage", "key", "column", "reason", "value", "row"};
		CHECK(h->ncols == 6);
		for (size_t i = 0; i < 6 && i < h->ncols; i++)
			CHECK_STR(h->cols[i].name, cols[i]);
		CHECK(h->ncols == 6 && (h->cols[4].flags & RS_COL_BINARY));

		CHECK(rs_reader_next(r) == 1);
		const rs_value *v = rs_reader_values(r);
		check_value(&v[0], "row-convert", 11);
		check_value(&v[1], "7", 1);
		check_value(&v[2], "data", 4);
		check_value(&v[3], "zero date", 9);
		check_value(&v[4], bytes, sizeof bytes); /* the source bytes, NUL and all */
		check_value(&v[5], "7,x,\\x7a00", 10);

		CHECK(rs_reader_next(r) == 1);
		v = rs_reader_values(r);
		check_value(&v[1], "", 0); /* no key */
		check_value(&v[2], "", 0); /* the whole row */
		check_value(&v[3], "[target] 23505 duplicate key", 28);
		CHECK(v[4].null);
		CHECK(v[5].null);

		CHECK(rs_reader_next(r) == 0); /* the trailer verifies: two rows */
		CHECK(rs_reader_rows(r) == 2);
		rs_reader_free(r);
	}
	if (fd >= 0)
		close(fd);
	rs_header_free(src);
	unlink(p);
}

TEST(each_reject_is_on_disk_when_added)
{
	/* a crash after a reject keeps it: the block is written before rejects_add returns */
	const char *p = path_in("b.rejects");
	rejects *rj = rejects_open(p, "pg-load", NULL);
	CHECK(rj != NULL);
	if (!rj)
		return;
	struct stat st0, st1;
	CHECK(stat(p, &st0) == 0);
	CHECK(rejects_add(rj, "1", "c", "why", "v", 1, false, "1,v"));
	CHECK(stat(p, &st1) == 0 && st1.st_size > st0.st_size);
	int fd = open(p, O_RDONLY);
	rs_reader *r = fd >= 0 ? rs_reader_new(fd, p) : NULL;
	CHECK(r != NULL);
	if (r) {
		/* no source: an empty table name */
		CHECK_STR(rs_reader_header(r)->table, "");
		CHECK(rs_reader_next(r) == 1);
		check_value(&rs_reader_values(r)[0], "pg-load", 7);
		rs_reader_free(r);
	}
	if (fd >= 0)
		close(fd);
	CHECK(rejects_close(rj));
	unlink(p);
}

TEST(an_earlier_runs_rejects_are_never_overwritten)
{
	const char *p = path_in("c.rejects");
	FILE *f = fopen(p, "w");
	CHECK(f && fputs("earlier", f) >= 0 && fclose(f) == 0);
	CHECK(rejects_open(p, "row-convert", NULL) == NULL);
	struct stat st;
	CHECK(stat(p, &st) == 0 && st.st_size == 7);
	/* an empty file is taken */
	f = fopen(p, "w");
	CHECK(f && fclose(f) == 0);
	rejects *rj = rejects_open(p, "row-convert", NULL);
	CHECK(rj != NULL);
	CHECK(rejects_close(rj));
	unlink(p);
	/* a directory that does not exist */
	CHECK(rejects_open(path_in("no/such/dir"), "row-convert", NULL) == NULL);
}

TEST(without_a_file_rejects_are_counted)
{
	rejects *rj = rejects_open(NULL, "row-convert", NULL);
	CHECK(rj != NULL);
	if (!rj)
		return;
	CHECK(rejects_add(rj, "1", "c", "why", "v", 1, false, NULL));
	CHECK(rejects_add(rj, "2", "c", "why", NULL, 0, true, NULL));
	CHECK(rejects_count(rj) == 2);
	CHECK(rejects_close(rj));
	CHECK(rejects_close(NULL));
}

TEST(format_values)
{
	rs_value v[] = {
		{.data = (const uint8_t *)"42", .len = 2},
		{.null = true},
		{.data = (const uint8_t *)"a,b", .len = 3},
		{.data = (const uint8_t *)"x\0\xff", .len = 3},
		{.chunked = true, .len = 5000000},
		{.data = (const uint8_t *)"", .len = 0},
	};
	buf b;
	buf_init(&b);
	rejects_format_values(&b, v, NULL, 6);
	CHECK_STR(buf_cstr(&b), "42,\\N,\"a,b\",\\x7800ff,\"<5000000 bytes>\",\"\"");
	/* a subset, in the order given (a key) */
	buf_reset(&b);
	rejects_format_values(&b, v, (const size_t[]){2, 0}, 2);
	CHECK_STR(buf_cstr(&b), "\"a,b\",42");
	buf_free(&b);
}

int main(void)
{
	log_verbosity = -1;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/rejects_test.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(rows_read_back_as_a_stream);
	RUN(each_reject_is_on_disk_when_added);
	RUN(an_earlier_runs_rejects_are_never_overwritten);
	RUN(without_a_file_rejects_are_counted);
	RUN(format_values);
	rmdir(dir);
	return test_done();
}
