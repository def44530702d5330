/*
 * convert_corpus_test.c - compares a PostgreSQL-domain row stream with a binary COPY file.
 *
 *   convert_corpus_test                          self-test (no servers needed)
 *   convert_corpus_test STREAM COPYFILE [TYPES]  TAP: one test per row (values byte for
 *                                                byte), one for the column types
 *   convert_corpus_test --block-ends STREAM      prints the row number ending each block
 *
 * COPYFILE is `COPY (SELECT ... ORDER BY key) TO STDOUT (FORMAT binary)` of the expected
 * values; TYPES (optional) has one "name<TAB>format_type" line per column. Used by
 * tests/bats/row-convert.bats to prove that row-convert's values are byte-identical to
 * what PostgreSQL itself sends for the same values.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "byteorder.h"
#include "rowstream.h"
#include "test.h"

#define PGCOPY_SIG "PGCOPY\n\377\r\n\0"

typedef struct copyfile {
	buf data;
	size_t pos;
} copyfile;

static bool copy_open(copyfile *c, const uint8_t *p, size_t n)
{
	buf_init(&c->data);
	buf_append(&c->data, p, n);
	if (n < 19 || memcmp(p, PGCOPY_SIG, 11) != 0)
		return false;
	uint32_t ext = byteorder_get_u32be(p + 15);
	c->pos = 19 + ext;
	return c->pos <= n;
}

/* 1: a row (fields into vals), 0: trailer, -1: malformed */
static int copy_next(copyfile *c, rs_value *vals, size_t ncols)
{
	const uint8_t *p = c->data.data;
	if (c->pos + 2 > c->data.len)
		return -1;
	int16_t nf = (int16_t)byteorder_get_u16be(p + c->pos);
	c->pos += 2;
	if (nf == -1)
		return 0;
	if ((size_t)nf != ncols)
		return -1;
	for (size_t i = 0; i < ncols; i++) {
		if (c->pos + 4 > c->data.len)
			return -1;
		int32_t len = (int32_t)byteorder_get_u32be(p + c->pos);
		c->pos += 4;
		vals[i].null = len < 0;
		vals[i].chunked = false;
		vals[i].len = len < 0 ? 0 : (uint64_t)len;
		vals[i].data = len < 0 ? NULL : p + c->pos;
		if (len > 0) {
			if (c->pos + (size_t)len > c->data.len)
				return -1;
			c->pos += (size_t)len;
		}
	}
	return 1;
}

static bool read_file(const char *path, buf *b)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	char tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_append(b, tmp, n);
	fclose(f);
	return true;
}

static int compare(const char *stream, const char *copy, const char *types)
{
	int fd = open(stream, O_RDONLY);
	rs_reader *r = fd >= 0 ? rs_reader_new(fd, stream) : NULL;
	buf cb;
	buf_init(&cb);
	copyfile cf;
	if (!r || !read_file(copy, &cb) || !copy_open(&cf, cb.data, cb.len)) {
		printf("Bail out! cannot read %s or %s\n", stream, copy);
		return 1;
	}
	const rs_header *h = rs_reader_header(r);
	size_t ncols = h->ncols;
	rs_value *exp = calloc(ncols, sizeof *exp);
	uint8_t *big = malloc(1u << 20);
	int row = 0;
	for (;;) {
		int a = rs_reader_next(r);
		int b = copy_next(&cf, exp, ncols);
		if (a <= 0 || b <= 0) {
			test_cur_failed = a != 0 || b != 0;
			if (test_cur_failed)
				printf("# stream %s (%d), copy %s (%d) after %d rows\n", a == 0 ? "ended" : a < 0 ? "failed" : "has more",
				       a, b == 0 ? "ended" : b < 0 ? "malformed" : "has more", b, row);
			test_n++;
			test_failed_total += test_cur_failed;
			printf("%s %d - both sides end together after %d rows\n", test_cur_failed ? "not ok" : "ok", test_n, row);
			break;
		}
		row++;
		test_cur_failed = 0;
		const rs_value *got = rs_reader_values(r);
		for (size_t i = 0; i < ncols; i++) {
			const rs_value *g = &got[i];
			buf gv;
			buf_init(&gv);
			if (g->chunked) {
				long long n;
				while ((n = rs_reader_value_read(r, i, big, 1u << 20)) > 0)
					buf_append(&gv, big, (size_t)n);
			} else if (!g->null)
				buf_append(&gv, g->data, (size_t)g->len);
			if (g->null != exp[i].null) {
				printf("# row %d column %s: %s, expected %s\n", row, h->cols[i].name, g->null ? "NULL" : "a value",
				       exp[i].null ? "NULL" : "a value");
				test_cur_failed = 1;
			} else if (!g->null && !test_mem_eq(gv.data, gv.len, exp[i].data, (size_t)exp[i].len)) {
				printf("# row %d column %s (%s) differs\n", row, h->cols[i].name, h->cols[i].type);
				test_cur_failed = 1;
			}
			buf_free(&gv);
		}
		test_n++;
		test_failed_total += test_cur_failed;
		printf("%s %d - row %d\n", test_cur_failed ? "not ok" : "ok", test_n, row);
	}
	if (types) {
		buf tb;
		buf_init(&tb);
		test_cur_failed = 0;
		if (!read_file(types, &tb)) {
			printf("# cannot read %s\n", types);
			test_cur_failed = 1;
		} else {
			const char *s = buf_cstr(&tb);
			size_t i = 0;
			while (*s) {
				const char *nl = strchr(s, '\n');
				size_t len = nl ? (size_t)(nl - s) : strlen(s);
				char *line = strndup(s, len);
				char *tab = strchr(line, '\t');
				if (tab) {
					*tab = 0;
					if (i >= ncols || strcmp(h->cols[i].name, line) != 0 || strcmp(h->cols[i].type, tab + 1) != 0) {
						printf("# column %zu: got %s %s, expected %s %s\n", i + 1, i < ncols ? h->cols[i].name : "-",
						       i < ncols ? h->cols[i].type : "-", line, tab + 1);
						test_cur_failed = 1;
					}
					i++;
				}
				free(line);
				s = nl ? nl + 1 : s + len;
			}
			if (i != ncols) {
				printf("# %zu columns in the stream, %zu expected\n", ncols, i);
				test_cur_failed = 1;
			}
		}
		buf_free(&tb);
		test_n++;
		test_failed_total += test_cur_failed;
		printf("%s %d - column types as format_type() prints them\n", test_cur_failed ? "not ok" : "ok", test_n);
	}
	free(exp);
	free(big);
	buf_free(&cb);
	buf_free(&cf.data);
	rs_reader_free(r);
	close(fd);
	return test_done();
}

/* ---------------------------------------------------------------- self-test */

TEST(copy_parser)
{
	static const uint8_t file[] = "PGCOPY\n\377\r\n\0"
	                              "\0\0\0\0" "\0\0\0\0"
	                              "\0\2" "\0\0\0\4\0\0\0\x2a" "\xff\xff\xff\xff"
	                              "\xff\xff";
	copyfile c;
	CHECK(copy_open(&c, file, sizeof file - 1));
	rs_value v[2];
	CHECK(copy_next(&c, v, 2) == 1);
	CHECK(!v[0].null && v[0].len == 4 && v[0].data[3] == 0x2a);
	CHECK(v[1].null);
	CHECK(copy_next(&c, v, 2) == 0);
	buf_free(&c.data);
}

TEST(copy_rejects_garbage)
{
	copyfile c;
	CHECK(!copy_open(&c, (const uint8_t *)"PGCOPX\n\377\r\n\0\0\0\0\0\0\0\0\0", 19));
	buf_free(&c.data);
}

static int block_ends(const char *stream)
{
	int fd = open(stream, O_RDONLY);
	rs_reader *r = fd >= 0 ? rs_reader_new(fd, stream) : NULL;
	if (!r)
		return 1;
	int rc;
	uint64_t row = 0;
	while ((rc = rs_reader_next(r)) > 0) {
		row++;
		if (rs_reader_at_block_end(r))
			printf("%llu\n", (unsigned long long)row);
	}
	rs_reader_free(r);
	close(fd);
	return rc < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--block-ends") == 0)
		return block_ends(argv[2]);
	if (argc >= 3)
		return compare(argv[1], argv[2], argc > 3 ? argv[3] : NULL);
	RUN(copy_parser);
	RUN(copy_rejects_garbage);
	return test_done();
}
