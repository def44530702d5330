/* load_test.c - row-cat's CSV/TSV into a row stream and back (cmd/row-cat/load.c, show.c),
 * through real files */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "row-cat.h"
#include "test.h"

/* a temporary file holding n bytes of p, open for reading and writing at offset 0 */
static int tmpfile_with(const void *p, size_t n)
{
	char path[4096];
	const char *dir = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/row-cat-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	unlink(path);
	if (n && write(fd, p, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static void slurp(int fd, buf *out)
{
	lseek(fd, 0, SEEK_SET);
	char chunk[4096];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		buf_append(out, chunk, (size_t)n);
}

/* text (CSV, or TSV) into a stream file; the status of rcat_load, *stream_fd the stream */
static rcat_status load(const char *text, bool tsv, const char *key, int *stream_fd)
{
	int in = tmpfile_with(text, strlen(text));
	*stream_fd = tmpfile_with("", 0);
	rcat_loader l = {.tsv = tsv, .name = "in", .schema = "s", .table = "t", .keycols = key,
	                 .out_fd = *stream_fd, .out_name = "out"};
	rcat_status s = rcat_load(in, &l);
	close(in);
	lseek(*stream_fd, 0, SEEK_SET);
	return s;
}

static const char csv[] = "id,name,note\n"
                          "1,\"a,b\",\"say \"\"hi\"\"\"\n"
                          "2,,\"line1\nline2\"\n"
                          "3,\"\",x\n";

TEST(csv_becomes_a_stream_with_nulls_and_key)
{
	int fd;
	CHECK(load(csv, false, "id", &fd) == RCAT_OK);
	rs_reader *r = rs_reader_new(fd, "out");
	CHECK(r != NULL);
	if (!r)
		return;
	const rs_header *h = rs_reader_header(r);
	CHECK(h->ncols == 3 && h->nkey == 1 && h->cols[0].keypos == 1);
	CHECK_STR(h->schema, "s");
	CHECK_STR(h->table, "t");
	CHECK_STR(h->cols[2].name, "note");
	CHECK(rs_reader_next(r) == 1);
	const rs_value *v = rs_reader_values(r);
	CHECK_MEM(v[1].data, v[1].len, "a,b", 3);
	CHECK_MEM(v[2].data, v[2].len, "say \"hi\"", 8);
	CHECK(rs_reader_next(r) == 1);
	v = rs_reader_values(r);
	CHECK(v[1].null); /* unquoted empty: NULL */
	CHECK_MEM(v[2].data, v[2].len, "line1\nline2", 11);
	CHECK(rs_reader_next(r) == 1);
	v = rs_reader_values(r);
	CHECK(!v[1].null && v[1].len == 0); /* quoted empty: '' */
	CHECK(rs_reader_next(r) == 0);
	rs_reader_free(r);
	close(fd);
}

TEST(csv_round_trip_is_byte_for_byte)
{
	int fd;
	CHECK(load(csv, false, NULL, &fd) == RCAT_OK);
	int out = tmpfile_with("", 0);
	rcat_show_opts o = {.header = true};
	CHECK(rcat_show(fd, "stream", out, &o) == RCAT_OK);
	buf got;
	buf_init(&got);
	slurp(out, &got);
	CHECK_MEM(got.data, got.len, csv, strlen(csv));
	buf_free(&got);
	close(fd);
	close(out);
}

TEST(tsv_in_and_out)
{
	const char tsv[] = "a\tb\n1\t\\N\nx\\ty\t\n";
	int fd;
	CHECK(load(tsv, true, NULL, &fd) == RCAT_OK);
	int out = tmpfile_with("", 0);
	rcat_show_opts o = {.tsv = true, .header = false};
	CHECK(rcat_show(fd, "stream", out, &o) == RCAT_OK);
	buf got;
	buf_init(&got);
	slurp(out, &got);
	CHECK_MEM(got.data, got.len, "1\t\\N\nx\\ty\t\n", 11);
	buf_free(&got);
	close(fd);
	close(out);
}

TEST(bad_input_is_refused_with_its_status)
{
	int fd;
	/* a record with the wrong number of fields, an unknown key column, no header line */
	CHECK(load("a,b\n1,2\n3\n", false, NULL, &fd) == RCAT_STREAM);
	close(fd);
	CHECK(load("a,b\n1,2\n", false, "c", &fd) == RCAT_USAGE);
	close(fd);
	CHECK(load("", false, NULL, &fd) == RCAT_STREAM);
	close(fd);
	CHECK(load("a\n1\\q\n", true, NULL, &fd) == RCAT_STREAM);
	close(fd);
	/* a stream that is not one */
	int in = tmpfile_with("id\n1\n", 5), out = tmpfile_with("", 0);
	rcat_show_opts o = {.header = true};
	CHECK(rcat_show(in, "csv", out, &o) == RCAT_STREAM);
	close(in);
	close(out);
}

int main(void)
{
	log_verbosity = -1;
	RUN(csv_becomes_a_stream_with_nulls_and_key);
	RUN(csv_round_trip_is_byte_for_byte);
	RUN(tsv_in_and_out);
	RUN(bad_input_is_refused_with_its_status);
	return test_done();
}
