/*
 * rowdigest_test.c - row digests depend on the values only: not on block
 * layout, compression, large-value chunking, names or types; they see row
 * order only when asked, and tell NULL from '' and duplicates apart.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "rowdigest.h"
#include "rowstream.h"
#include "test.h"

typedef struct trow {
	const char *v[3]; /* NULL: SQL NULL */
} trow;

static const trow rows3[] = {
	{{"1", "alice", ""}},
	{{"2", "bob", NULL}},
	{{"3", "carol", "x,y"}},
	{{"4", "dave", "long"}},
};

static rs_header *hdr(const char *table, const char *type)
{
	rs_header *h = rs_header_new(RS_DOMAIN_PG, "s", table);
	rs_header_add_column(h, "id", type, 25, RS_COL_NOT_NULL, 1);
	rs_header_add_column(h, "name", type, 25, 0, 0);
	rs_header_add_column(h, "note", type, 25, 0, 0);
	CHECK(rs_header_finish(h));
	return h;
}

/* a stream of the rows in the given order; big: note values repeated to 3 MiB */
static int make_stream(const rs_header *h, const trow *rows, const size_t *order, size_t n,
                       const rs_writer_opts *wo, bool big)
{
	int fd = memfd_create("rd", 0);
	rs_writer *w = rs_writer_new(fd, "memfd", h, wo);
	char *large = NULL;
	for (size_t i = 0; i < n; i++) {
		const trow *r = &rows[order ? order[i] : i];
		for (int c = 0; c < 3; c++) {
			const char *s = r->v[c];
			if (!s) {
				CHECK(rs_writer_put_null(w));
			} else if (big && c == 2 && strcmp(s, "long") == 0) {
				size_t len = 3u << 20;
				large = mem_alloc(len);
				for (size_t k = 0; k < len; k++)
					large[k] = (char)('a' + k % 26);
				CHECK(rs_writer_put(w, large, len));
				free(large);
			} else {
				CHECK(rs_writer_put(w, s, strlen(s)));
			}
		}
		CHECK(rs_writer_end_row(w));
	}
	CHECK(rs_writer_finish(w));
	rs_writer_free(w);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static void digest_of(int fd, bool ordered, char out[ROWDIGEST_HEX], uint64_t *rows)
{
	rs_reader *r = rs_reader_new(fd, "memfd");
	rowhasher rh;
	rowhasher_init(&rh);
	rowdigest d;
	rowdigest_init(&d, rs_reader_header(r)->ncols, ordered);
	rowhash hh;
	while (rs_reader_next(r) > 0) {
		CHECK(rowhasher_row(&rh, r, &hh));
		rowdigest_add(&d, hh);
	}
	rowdigest_hex(&d, out);
	if (rows)
		*rows = d.rows;
	rowdigest_free(&d);
	rowhasher_free(&rh);
	rs_reader_free(r);
	close(fd);
}

TEST(layout_independent)
{
	rs_header *h1 = hdr("t", "text"), *h2 = hdr("other_name", "character varying(10)");
	h2->cols[1].name[0] = 'N';
	char a[ROWDIGEST_HEX], b[ROWDIGEST_HEX], c[ROWDIGEST_HEX], d[ROWDIGEST_HEX], e[ROWDIGEST_HEX];
	rs_writer_opts plain = {0}, tiny = {.block_rows = 1}, z = {.zstd_level = 3},
	               chunk = {.inline_max = 1000, .block_rows = 3};
	digest_of(make_stream(h1, rows3, NULL, 4, &plain, true), false, a, NULL);
	digest_of(make_stream(h2, rows3, NULL, 4, &tiny, true), false, b, NULL);
	digest_of(make_stream(h1, rows3, NULL, 4, &z, true), false, c, NULL);
	digest_of(make_stream(h1, rows3, NULL, 4, &chunk, true), false, d, NULL);
	CHECK_STR(b, a);
	CHECK_STR(c, a);
	CHECK_STR(d, a); /* the 3 MiB value chunked in 'V' frames hashes as if inline */
	/* and the ordered digest too */
	digest_of(make_stream(h1, rows3, NULL, 4, &plain, true), true, a, NULL);
	digest_of(make_stream(h2, rows3, NULL, 4, &chunk, true), true, e, NULL);
	CHECK_STR(e, a);
	rs_header_free(h1);
	rs_header_free(h2);
}

TEST(order)
{
	rs_header *h = hdr("t", "text");
	size_t rev[] = {3, 2, 1, 0};
	char a[ROWDIGEST_HEX], b[ROWDIGEST_HEX], oa[ROWDIGEST_HEX], ob[ROWDIGEST_HEX];
	digest_of(make_stream(h, rows3, NULL, 4, NULL, false), false, a, NULL);
	digest_of(make_stream(h, rows3, rev, 4, NULL, false), false, b, NULL);
	CHECK_STR(b, a);
	digest_of(make_stream(h, rows3, NULL, 4, NULL, false), true, oa, NULL);
	digest_of(make_stream(h, rows3, rev, 4, NULL, false), true, ob, NULL);
	CHECK(strcmp(oa, ob) != 0);
	CHECK(strcmp(oa, a) != 0); /* the modes never give the same digest */
	rs_header_free(h);
}

static void digest_rows(const trow *rows, size_t n, char out[ROWDIGEST_HEX])
{
	rs_header *h = hdr("t", "text");
	digest_of(make_stream(h, rows, NULL, n, NULL, false), false, out, NULL);
	rs_header_free(h);
}

TEST(values_matter)
{
	char base[ROWDIGEST_HEX], x[ROWDIGEST_HEX];
	trow r[4];
	memcpy(r, rows3, sizeof r);
	digest_rows(r, 4, base);
	r[1].v[2] = ""; /* NULL -> '' */
	digest_rows(r, 4, x);
	CHECK(strcmp(x, base) != 0);
	memcpy(r, rows3, sizeof r);
	r[0].v[1] = "alic"; /* bytes moved across a column boundary */
	r[0].v[2] = "e";
	digest_rows(r, 4, x);
	CHECK(strcmp(x, base) != 0);
	memcpy(r, rows3, sizeof r);
	r[2].v[1] = "Carol";
	digest_rows(r, 4, x);
	CHECK(strcmp(x, base) != 0);
	digest_rows(r, 3, x); /* a missing row */
	CHECK(strcmp(x, base) != 0);
}

TEST(duplicates_matter)
{
	/* {A, A, B} and {A, B, B}: a sum keeps multiplicities (XOR would not) */
	trow aab[3] = {rows3[0], rows3[0], rows3[1]}, abb[3] = {rows3[0], rows3[1], rows3[1]};
	trow ab[2] = {rows3[0], rows3[1]}, aabb[4] = {rows3[0], rows3[0], rows3[1], rows3[1]};
	char x[ROWDIGEST_HEX], y[ROWDIGEST_HEX], z[ROWDIGEST_HEX], w[ROWDIGEST_HEX];
	digest_rows(aab, 3, x);
	digest_rows(abb, 3, y);
	digest_rows(ab, 2, z);
	digest_rows(aabb, 4, w);
	CHECK(strcmp(x, y) != 0);
	CHECK(strcmp(z, w) != 0);
	CHECK(strcmp(x, z) != 0);
}

TEST(canonical_encoding)
{
	/* the worked example of rowdigest.h: NULL is 00, 'ab' is 05 61 62, '' is 01 */
	rs_value v[3] = {{.null = true}, {.data = (const uint8_t *)"ab", .len = 2}, {.data = (const uint8_t *)"", .len = 0}};
	buf b;
	buf_init(&b);
	rowdigest_encode(&b, v, 3);
	CHECK_MEM(b.data, b.len, "\x00\x05\x61\x62\x01", 5);
	rowhash h = rowdigest_hash_values(&b, v, 3);
	rowhash g = rowdigest_hash_bytes("\x00\x05\x61\x62\x01", 5);
	CHECK(rowhash_equal(h, g));
	/* pinned: a change of the row hash or the digest breaks every stored checksum */
	char hx[ROWDIGEST_HEX];
	rowhash_hex(h, hx);
	CHECK_STR(hx, "334ef331a43cf24724e5231c4450b563");
	rowdigest d;
	rowdigest_init(&d, 3, false);
	rowdigest_hex(&d, hx);
	CHECK_STR(hx, "3eb6d4f2d75d24f251b0d5eeb061c93a");
	rowdigest_free(&d);
	buf_free(&b);
}

/* digest of one row holding one array value, in a column of the given type and code */
static void array_digest(const char *type, uint32_t code, const uint8_t *val, size_t len, size_t inline_max,
                         char out[ROWDIGEST_HEX])
{
	rs_header *h = rs_header_new(RS_DOMAIN_PG, "s", "t");
	rs_header_add_column(h, "a", type, code, 0, 0);
	CHECK(rs_header_finish(h));
	rs_writer_opts wo = {.inline_max = inline_max};
	int fd = memfd_create("rd", 0);
	rs_writer *w = rs_writer_new(fd, "memfd", h, &wo);
	CHECK(rs_writer_put(w, val, len));
	CHECK(rs_writer_end_row(w));
	CHECK(rs_writer_finish(w));
	rs_writer_free(w);
	rs_header_free(h);
	lseek(fd, 0, SEEK_SET);
	digest_of(fd, false, out, NULL);
}

TEST(user_array_element_oid)
{
	/* a one-element enum array: ndim 1, no nulls, element OID, dim 1, lower bound 1, "free" */
	uint8_t a[] = {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x40, 0x01, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 4, 'f', 'r', 'e', 'e'};
	uint8_t b[sizeof a];
	memcpy(b, a, sizeof a);
	b[10] = 0, b[11] = 0; /* element OID 0, as a producer that does not know it writes */
	char x[ROWDIGEST_HEX], y[ROWDIGEST_HEX];
	array_digest("hotel.status[]", 0, a, sizeof a, 0, x);
	array_digest("status[]", 0, b, sizeof b, 0, y);
	CHECK_STR(y, x);
	array_digest("status[]", 0, b, sizeof b, 16, y); /* chunked */
	CHECK_STR(y, x);
	b[sizeof b - 1] = 'x'; /* the content still counts */
	array_digest("status[]", 0, b, sizeof b, 0, y);
	CHECK(strcmp(x, y) != 0);
	/* a built-in array type's element OID is part of the value */
	memcpy(b, a, sizeof a);
	b[10] = 0, b[11] = 25;
	array_digest("text[]", 1009, a, sizeof a, 0, x);
	array_digest("text[]", 1009, b, sizeof b, 0, y);
	CHECK(strcmp(x, y) != 0);
	/* and a user type that is not an array is hashed as it is */
	array_digest("hotel.status", 0, a, sizeof a, 0, x);
	array_digest("hotel.status", 0, b, sizeof b, 0, y);
	CHECK(strcmp(x, y) != 0);
}

TEST(buckets)
{
	buf s;
	buf_init(&s);
	unsigned count[16] = {0};
	char key[16];
	for (int i = 0; i < 16000; i++) {
		int n = snprintf(key, sizeof key, "%d", i);
		rs_value v = {.data = (const uint8_t *)key, .len = (uint64_t)n};
		uint32_t b = rowdigest_bucket(&s, &v, 1, 16);
		CHECK(b < 16);
		if (b < 16)
			count[b]++;
		CHECK(rowdigest_bucket(&s, &v, 1, 16) == b);
		CHECK(rowdigest_bucket(&s, &v, 1, 1) == 0);
	}
	for (int i = 0; i < 16; i++)
		CHECK(count[i] > 800 && count[i] < 1200);
	buf_free(&s);
}

int main(void)
{
	log_verbosity = -1;
	RUN(layout_independent);
	RUN(order);
	RUN(values_matter);
	RUN(duplicates_matter);
	RUN(canonical_encoding);
	RUN(user_array_element_oid);
	RUN(buckets);
	return test_done();
}
