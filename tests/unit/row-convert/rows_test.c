/*
 * rows_test.c - row-convert's modules without its main(): setup (rc_setup), the row loop
 * (rc_convert_rows) and the statuses they end with, on small streams in temporary files.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "log.h"
#include "row-convert.h"
#include "test.h"

static char dir[4096];
static char long_name[71];

/* a MySQL-domain stream of (id int key, name varchar(80) utf8mb4, d date) into path */
static void write_input(const char *path, uint8_t domain)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	rs_header *h = rs_header_new(domain, "db", "t");
	size_t k = rs_header_add_column(h, "id", "int(11)", 3, RS_COL_NOT_NULL, 1);
	rs_column_add_attr(&h->cols[k], "data_type", "int");
	k = rs_header_add_column(h, "name", "varchar(80)", 253, 0, 0);
	rs_column_add_attr(&h->cols[k], "data_type", "varchar");
	rs_column_add_attr(&h->cols[k], "charset", "utf8mb4");
	k = rs_header_add_column(h, "d", "date", 10, 0, 0);
	rs_column_add_attr(&h->cols[k], "data_type", "date");
	CHECK(rs_header_finish(h));
	rs_writer *w = rs_writer_new(fd, path, h, NULL);
	CHECK(w != NULL);
	/* name: short, long (a tag of two bytes), short again (one byte), NULL; d: row 4 invalid */
	const char *names[] = {"Ay\xc5\x9f" "e", long_name, "x", "y", NULL};
	const char *dates[] = {"2024-01-02", "2024-01-03", NULL, "2024-02-30", "2024-03-01"};
	for (int i = 0; i < 5; i++) {
		char id[16];
		snprintf(id, sizeof id, "%d", i + 1);
		CHECK(rs_writer_put(w, id, strlen(id)));
		CHECK(names[i] ? rs_writer_put(w, names[i], strlen(names[i])) : rs_writer_put_null(w));
		CHECK(dates[i] ? rs_writer_put(w, dates[i], strlen(dates[i])) : rs_writer_put_null(w));
		CHECK(rs_writer_end_row(w));
	}
	CHECK(rs_writer_finish(w));
	rs_writer_free(w);
	rs_header_free(h);
	close(fd);
}

typedef struct run_result {
	rc_status s;
	uint64_t rows_out, rejected;
	int out; /* the output (a memfd), at its start */
} run_result;

static run_result run(rc_options *o)
{
	run_result r = {0};
	r.out = memfd_create("out", 0);
	o->out_fd = r.out;
	o->force = true;
	rc_conv c;
	rc_conv_init(&c);
	r.s = rc_setup(&c, o);
	if (r.s == RC_OK)
		r.s = rc_convert_rows(&c);
	if (!rc_close_rejects(&c) && r.s == RC_OK)
		r.s = RC_IO;
	r.rows_out = c.rows_out;
	r.rejected = c.rejected;
	rc_conv_free(&c);
	lseek(r.out, 0, SEEK_SET);
	return r;
}

static rc_options options(const char *input)
{
	rc_options o = {.input = input, .max_rejects = -1};
	return o;
}

/* the output's rows: id, name and date as PostgreSQL sends them; n rows, then the trailer
 * when complete */
static void check_output(int fd, int n, bool complete)
{
	static const uint8_t ids[][4] = {{0, 0, 0, 1}, {0, 0, 0, 2}, {0, 0, 0, 3}, {0, 0, 0, 5}};
	static const uint8_t days[][4] = {{0, 0, 0x22, 0x3F}, {0, 0, 0x22, 0x40}, {0}, {0, 0, 0x22, 0x7A}};
	const char *names[] = {"Ay\xc5\x9f" "e", long_name, "x", NULL};
	rs_reader *r = rs_reader_new(fd, "out");
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK(rs_reader_header(r)->domain == RS_DOMAIN_PG);
	for (int i = 0; i < n; i++) {
		CHECK(rs_reader_next(r) == 1);
		const rs_value *v = rs_reader_values(r);
		CHECK_MEM(v[0].data, v[0].len, ids[i], 4);
		if (names[i])
			CHECK_MEM(v[1].data, v[1].len, names[i], strlen(names[i]));
		else
			CHECK(v[1].null);
		if (i == 2)
			CHECK(v[2].null);
		else
			CHECK_MEM(v[2].data, v[2].len, days[i], 4);
	}
	CHECK(rs_reader_next(r) == (complete ? 0 : -1));
	rs_reader_free(r);
	close(fd);
}

static char in[4200], pgin[4200], rej[4200], rej2[4200];

TEST(rejects_file_keeps_the_rest)
{
	rc_options o = options(in);
	o.rejects_path = rej;
	run_result r = run(&o);
	CHECK(r.s == RC_REJECTED);
	CHECK(r.rows_out == 4 && r.rejected == 1);
	check_output(r.out, 4, true);
	/* the rejects file is a finished stream with the one row */
	int fd = open(rej, O_RDONLY);
	rs_reader *rr = rs_reader_new(fd, rej);
	CHECK(rr && rs_reader_next(rr) == 1 && rs_reader_next(rr) == 0);
	rs_reader_free(rr);
	close(fd);
}

TEST(first_reject_stops_without_a_rejects_file)
{
	rc_options o = options(in);
	run_result r = run(&o);
	CHECK(r.s == RC_REJECTED);
	CHECK(r.rows_out == 3 && r.rejected == 1);
	/* the rows before it were in the block being built: the output is the header alone, no
	 * trailer, and looks truncated */
	check_output(r.out, 0, false);
}

TEST(max_rejects_is_a_limit)
{
	rc_options o = options(in);
	o.rejects_path = rej2;
	o.max_rejects = 0;
	run_result r = run(&o);
	CHECK(r.s == RC_LIMIT);
	close(r.out);
}

TEST(setup_statuses)
{
	rc_options o = options(in);
	char *cast = "nosuch=text";
	o.casts = &cast;
	o.ncasts = 1;
	run_result r = run(&o);
	CHECK(r.s == RC_USAGE);
	close(r.out);

	o = options(in);
	char *pol = "zero-date=maybe";
	o.policies = &pol;
	o.npolicies = 1;
	r = run(&o);
	CHECK(r.s == RC_USAGE);
	close(r.out);

	o = options(in);
	o.timezone = "Nowhere/Atlantis";
	r = run(&o);
	CHECK(r.s == RC_USAGE);
	close(r.out);

	o = options("/nonexistent/input.rs");
	r = run(&o);
	CHECK(r.s == RC_IO);
	close(r.out);

	o = options(pgin);
	r = run(&o);
	CHECK(r.s == RC_STREAM);
	close(r.out);
}

TEST(profile_writes_no_stream)
{
	rc_options o = options(in);
	o.profile = true;
	run_result r = run(&o);
	CHECK(r.s == RC_REJECTED); /* a run would reject a row */
	char text[4096];
	ssize_t n = read(r.out, text, sizeof text - 1);
	CHECK(n > 0);
	text[n > 0 ? n : 0] = 0;
	CHECK(strstr(text, "\"rows\":5,\"rows_ok\":4,\"rows_rejected\":1") != NULL);
	close(r.out);
}

int main(void)
{
	log_verbosity = -1;
	memset(long_name, 'n', sizeof long_name - 1);
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/rc_rows_test.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	snprintf(in, sizeof in, "%s/in.rs", dir);
	snprintf(pgin, sizeof pgin, "%s/pg.rs", dir);
	snprintf(rej, sizeof rej, "%s/rej.rs", dir);
	snprintf(rej2, sizeof rej2, "%s/rej2.rs", dir);
	write_input(in, RS_DOMAIN_MYSQL);
	write_input(pgin, RS_DOMAIN_PG);
	RUN(rejects_file_keeps_the_rest);
	RUN(first_reject_stops_without_a_rejects_file);
	RUN(max_rejects_is_a_limit);
	RUN(setup_statuses);
	RUN(profile_writes_no_stream);
	unlink(in);
	unlink(pgin);
	unlink(rej);
	unlink(rej2);
	rmdir(dir);
	return test_done();
}
