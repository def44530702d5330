/*
 * rowstream_test.c - the row stream writer and reader: round trips, golden
 * files, truncation at every offset, every single-byte corruption, whole
 * frames dropped, repeated, swapped or spliced from another stream at every
 * position, block keys out of order.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xxhash.h>

#include "buf.h"
#include "byteorder.h"
#include "keytext.h"
#include "log.h"
#include "rowstream.h"
#include "test.h"

#ifndef GOLDEN_DIR
#define GOLDEN_DIR "tests/unit/golden"
#endif

static int mem_fd(const void *p, size_t n)
{
	int fd = memfd_create("rs", 0);
	if (fd < 0)
		return -1;
	const uint8_t *q = p;
	while (n) {
		ssize_t w = write(fd, q, n);
		if (w <= 0)
			return -1;
		q += w;
		n -= (size_t)w;
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static bool read_fd_all(int fd, buf *out)
{
	lseek(fd, 0, SEEK_SET);
	uint8_t tmp[65536];
	for (;;) {
		ssize_t n = read(fd, tmp, sizeof tmp);
		if (n < 0)
			return false;
		if (n == 0)
			return true;
		buf_append(out, tmp, (size_t)n);
	}
}

static rs_header *sample_header(void)
{
	rs_header *h = rs_header_new(RS_DOMAIN_MYSQL, "hotel", "minibar_items");
	rs_header_add_meta(h, "source", "mysql");
	rs_header_add_meta(h, "binlog_pos", "4711");
	size_t c = rs_header_add_column(h, "id", "int(10) unsigned", 3, RS_COL_NOT_NULL | RS_COL_UNSIGNED, 1);
	rs_column_add_attr(&h->cols[c], "data_type", "int");
	c = rs_header_add_column(h, "name", "varchar(40)", 253, 0, 0);
	rs_column_add_attr(&h->cols[c], "charset", "utf8mb4");
	c = rs_header_add_column(h, "kind", "enum('food','drink')", 254, 0, 0);
	rs_column_add_attr(&h->cols[c], "member", "food");
	rs_column_add_attr(&h->cols[c], "member", "drink");
	rs_header_add_column(h, "photo", "blob", 252, RS_COL_BINARY, 0);
	CHECK(rs_header_finish(h));
	return h;
}

/* row i of the sample table; NULL name every 7th row, empty name every 5th */
static void sample_row(rs_writer *w, int i, buf *scratch)
{
	char id[16];
	int n = snprintf(id, sizeof id, "%d", i);
	CHECK(rs_writer_put(w, id, (size_t)n));
	if (i % 7 == 0) {
		CHECK(rs_writer_put_null(w));
	} else if (i % 5 == 0) {
		CHECK(rs_writer_put(w, "", 0));
	} else {
		buf_reset(scratch);
		buf_printf(scratch, "item \"%d\", ü\n", i);
		CHECK(rs_writer_put(w, scratch->data, scratch->len));
	}
	CHECK(rs_writer_put(w, i % 2 ? "food" : "drink", i % 2 ? 4 : 5));
	uint8_t bin[3] = {0, (uint8_t)i, 0xff};
	CHECK(rs_writer_put(w, bin, sizeof bin));
	CHECK(rs_writer_end_row(w));
}

static void write_sample(buf *out, int rows, const rs_writer_opts *o)
{
	rs_header *h = sample_header();
	int fd = memfd_create("w", 0);
	rs_writer *w = rs_writer_new(fd, "memfd", h, o);
	buf scratch;
	buf_init(&scratch);
	for (int i = 1; i <= rows; i++)
		sample_row(w, i, &scratch);
	CHECK(rs_writer_finish(w));
	rs_writer_free(w);
	buf_free(&scratch);
	read_fd_all(fd, out);
	close(fd);
	rs_header_free(h);
}

/* reads the whole stream; returns rows read, or -1 on a reader error */
static long read_all(const void *p, size_t n)
{
	int fd = mem_fd(p, n);
	rs_reader *r = rs_reader_new(fd, "memfd");
	if (!r) {
		close(fd);
		return -1;
	}
	long rows = 0;
	int k;
	uint8_t tmp[4096];
	while ((k = rs_reader_next(r)) > 0) {
		const rs_value *v = rs_reader_values(r);
		for (size_t i = 0; i < rs_reader_header(r)->ncols; i++)
			if (v[i].chunked)
				while (rs_reader_value_read(r, i, tmp, sizeof tmp) > 0)
					;
		rows++;
	}
	rs_reader_free(r);
	close(fd);
	return k < 0 ? -1 : rows;
}

TEST(roundtrip_multiblock)
{
	buf s;
	buf_init(&s);
	rs_writer_opts o = {.block_bytes = 200};
	write_sample(&s, 100, &o);
	int fd = mem_fd(s.data, s.len);
	rs_reader *r = rs_reader_new(fd, "memfd");
	CHECK(r != NULL);
	if (!r)
		return;
	const rs_header *h = rs_reader_header(r);
	CHECK_STR(h->schema, "hotel");
	CHECK_STR(h->table, "minibar_items");
	CHECK(h->domain == RS_DOMAIN_MYSQL);
	CHECK(h->ncols == 4);
	CHECK_STR(rs_header_meta(h, "binlog_pos"), "4711");
	CHECK(h->nkey == 1 && h->key[0] == 0);
	CHECK(h->cols[0].flags == (RS_COL_NOT_NULL | RS_COL_UNSIGNED));
	CHECK_STR(h->cols[2].attrs[1].value, "drink");
	int i = 0, k;
	buf exp;
	buf_init(&exp);
	int block_ends = 0;
	while ((k = rs_reader_next(r)) > 0) {
		i++;
		const rs_value *v = rs_reader_values(r);
		char id[16];
		int n = snprintf(id, sizeof id, "%d", i);
		CHECK_MEM(v[0].data, v[0].len, id, (size_t)n);
		if (i % 7 == 0) {
			CHECK(v[1].null);
		} else if (i % 5 == 0) {
			CHECK(!v[1].null && v[1].len == 0);
		} else {
			buf_reset(&exp);
			buf_printf(&exp, "item \"%d\", ü\n", i);
			CHECK_MEM(v[1].data, v[1].len, exp.data, exp.len);
		}
		CHECK(v[3].len == 3 && v[3].data[1] == (uint8_t)i);
		if (rs_reader_at_block_end(r)) {
			block_ends++;
			size_t kl;
			const uint8_t *key = rs_reader_block_key(r, &kl);
			rs_value kv;
			CHECK(rs_decode_values(key, kl, 1, &kv));
			CHECK_MEM(kv.data, kv.len, id, (size_t)n);
		}
	}
	CHECK(k == 0);
	CHECK(i == 100);
	CHECK(rs_reader_blocks(r) > 5);
	CHECK(block_ends == (int)rs_reader_blocks(r));
	rs_reader_free(r);
	close(fd);
	buf_free(&exp);
	buf_free(&s);
}

TEST(roundtrip_zstd_smaller)
{
	buf plain, z;
	buf_init(&plain);
	buf_init(&z);
	rs_writer_opts o = {0};
	write_sample(&plain, 5000, &o);
	o.zstd_level = 3;
	write_sample(&z, 5000, &o);
	CHECK(z.len < plain.len / 2);
	CHECK(read_all(z.data, z.len) == 5000);
	CHECK(read_all(plain.data, plain.len) == 5000);
	buf_free(&plain);
	buf_free(&z);
}

/* a stream with a large (chunked) value in the middle */
static void write_large(buf *out, size_t big, const rs_writer_opts *o)
{
	rs_header *h = rs_header_new(RS_DOMAIN_PG, "public", "blobs");
	rs_header_add_column(h, "id", "bigint", 20, RS_COL_NOT_NULL, 1);
	rs_header_add_column(h, "a", "bytea", 17, 0, 0);
	rs_header_add_column(h, "b", "bytea", 17, 0, 0);
	rs_header_add_column(h, "c", "text", 25, 0, 0);
	CHECK(rs_header_finish(h));
	int fd = memfd_create("w", 0);
	rs_writer *w = rs_writer_new(fd, "memfd", h, o);
	uint8_t *data = mem_alloc(big);
	for (size_t i = 0; i < big; i++)
		data[i] = (uint8_t)(i * 7 + 3);
	for (int r = 1; r <= 5; r++) {
		char id[8];
		int n = snprintf(id, sizeof id, "%d", r);
		CHECK(rs_writer_put(w, id, (size_t)n));
		if (r == 3) {
			/* given in pieces */
			CHECK(rs_writer_put_begin(w, big));
			for (size_t off = 0; off < big; off += 1000)
				CHECK(rs_writer_put_more(w, data + off, big - off < 1000 ? big - off : 1000));
			CHECK(rs_writer_put_end(w));
			CHECK(rs_writer_put(w, data, big / 2));
		} else {
			CHECK(rs_writer_put(w, "x", 1));
			CHECK(rs_writer_put_null(w));
		}
		CHECK(rs_writer_put(w, "tail", 4));
		CHECK(rs_writer_end_row(w));
	}
	CHECK(rs_writer_finish(w));
	rs_writer_free(w);
	read_fd_all(fd, out);
	close(fd);
	free(data);
	rs_header_free(h);
}

TEST(large_values_chunked)
{
	size_t big = 3u * RS_CHUNK_BYTES + 12345;
	rs_writer_opts o = {.inline_max = 1000};
	buf s;
	buf_init(&s);
	write_large(&s, big, &o);
	int fd = mem_fd(s.data, s.len);
	rs_reader *r = rs_reader_new(fd, "memfd");
	CHECK(r != NULL);
	int k, row = 0;
	uint8_t *got = mem_alloc(big);
	while ((k = rs_reader_next(r)) > 0) {
		row++;
		const rs_value *v = rs_reader_values(r);
		CHECK_MEM(v[3].data, v[3].len, "tail", 4);
		if (row != 3) {
			CHECK(!v[1].chunked && v[2].null);
			continue;
		}
		CHECK(v[1].chunked && v[1].len == big);
		CHECK(v[2].chunked && v[2].len == big / 2);
		CHECK(rs_reader_at_block_end(r));
		size_t have = 0;
		long long n;
		while ((n = rs_reader_value_read(r, 1, got + have, 777)) > 0)
			have += (size_t)n;
		CHECK(n == 0 && have == big);
		bool same = true;
		for (size_t i = 0; i < big; i++)
			same = same && got[i] == (uint8_t)(i * 7 + 3);
		CHECK(same);
		/* column b is left unread: the reader must skip it */
	}
	CHECK(k == 0 && row == 5);
	rs_reader_free(r);
	close(fd);
	/* skipping both values also works */
	CHECK(read_all(s.data, s.len) == 5);
	free(got);
	buf_free(&s);
}

TEST(truncated_at_every_offset)
{
	buf s;
	buf_init(&s);
	rs_writer_opts o = {.block_bytes = 100, .inline_max = 200};
	write_sample(&s, 30, &o);
	/* add a chunked value too: the large-value frames must also be covered */
	buf l;
	buf_init(&l);
	write_large(&l, 700, &o);
	int bad = 0;
	for (int pass = 0; pass < 2; pass++) {
		buf *b = pass ? &l : &s;
		CHECK(read_all(b->data, b->len) == (pass ? 5 : 30));
		for (size_t cut = 0; cut < b->len; cut++)
			if (read_all(b->data, cut) >= 0) {
				if (bad++ < 5)
					printf("# cut at %zu of %zu accepted\n", cut, b->len);
			}
	}
	CHECK(bad == 0);
	buf_free(&s);
	buf_free(&l);
}

TEST(every_byte_flip_rejected)
{
	buf s;
	buf_init(&s);
	rs_writer_opts o = {.block_bytes = 100, .inline_max = 200};
	write_sample(&s, 30, &o);
	buf l;
	buf_init(&l);
	write_large(&l, 700, &o);
	int bad = 0;
	for (int pass = 0; pass < 2; pass++) {
		buf *b = pass ? &l : &s;
		for (size_t i = 0; i < b->len; i++) {
			static const uint8_t masks[] = {0x01, 0x80, 0xff};
			for (size_t m = 0; m < sizeof masks; m++) {
				b->data[i] ^= masks[m];
				if (read_all(b->data, b->len) >= 0 && bad++ < 5)
					printf("# flip 0x%02x at %zu of %zu accepted\n", masks[m], i, b->len);
				b->data[i] ^= masks[m];
			}
		}
	}
	CHECK(bad == 0);
	/* appended garbage is rejected too */
	buf_putc(&s, 0);
	CHECK(read_all(s.data, s.len) < 0);
	buf_free(&s);
	buf_free(&l);
}

/* recompute the checksum of a frame after a deliberate change */
static void refresh_sum(uint8_t *frame, size_t len)
{
	byteorder_put_u64le(frame + len, XXH3_64bits(frame, len));
}

TEST(version_flags_reserved_rejected)
{
	buf s;
	buf_init(&s);
	rs_writer_opts o = {0};
	write_sample(&s, 3, &o);
	uint32_t body = byteorder_get_u32le(s.data + 12);
	size_t hlen = 16 + body;
	/* unknown version, with a valid checksum */
	s.data[8] = 3;
	refresh_sum(s.data, hlen);
	CHECK(read_all(s.data, s.len) < 0);
	s.data[8] = RS_VERSION;
	/* unknown header flag */
	s.data[10] = 0x04;
	refresh_sum(s.data, hlen);
	CHECK(read_all(s.data, s.len) < 0);
	s.data[10] = 0;
	refresh_sum(s.data, hlen);
	CHECK(read_all(s.data, s.len) == 3);
	/* unknown block flag: the block starts after the header checksum */
	size_t b = hlen + 8;
	CHECK(s.data[b] == 'B');
	uint32_t key_len = byteorder_get_u32le(s.data + b + 16), stored = byteorder_get_u32le(s.data + b + 12);
	s.data[b + 1] = 0x02;
	refresh_sum(s.data + b, 36 + key_len + stored);
	CHECK(read_all(s.data, s.len) < 0);
	s.data[b + 1] = 0;
	/* reserved field of a block */
	s.data[b + 2] = 1;
	refresh_sum(s.data + b, 36 + key_len + stored);
	CHECK(read_all(s.data, s.len) < 0);
	s.data[b + 2] = 0;
	refresh_sum(s.data + b, 36 + key_len + stored);
	CHECK(read_all(s.data, s.len) == 3);
	/* a valid block with a forged row count: the trailer totals disagree */
	s.data[b + 4] = 2;
	refresh_sum(s.data + b, 36 + key_len + stored);
	CHECK(read_all(s.data, s.len) < 0);
	buf_free(&s);
}

static bool read_file(const char *path, buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	uint8_t tmp[4096];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_append(out, tmp, n);
	fclose(f);
	return true;
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(p, 1, n, f);
		fclose(f);
	}
}

TEST(golden_files)
{
	/* the writer's output for the sample table is fixed by the format */
	buf s, g;
	buf_init(&s);
	buf_init(&g);
	rs_writer_opts o = {.block_bytes = 150};
	write_sample(&s, 12, &o);
	if (getenv("REGEN_GOLDEN")) {
		/* sample.rs and its corrupt variants; example.rs comes from row-cat (see rowstream(5)) */
		write_file(GOLDEN_DIR "/sample.rs", s.data, s.len);
		write_file(GOLDEN_DIR "/truncated.rs", s.data, 200);
		buf_append(&g, s.data, s.len);
		g.data[300] ^= 0x01;
		write_file(GOLDEN_DIR "/flipped.rs", g.data, g.len);
		buf_reset(&g);
		if (read_file(GOLDEN_DIR "/example.rs", &g) && g.len > 16) {
			g.data[8] = RS_VERSION + 1;
			refresh_sum(g.data, 16 + byteorder_get_u32le(g.data + 12));
			write_file(GOLDEN_DIR "/version3.rs", g.data, g.len);
		}
		buf_reset(&g);
	}
	CHECK(read_file(GOLDEN_DIR "/sample.rs", &g));
	CHECK_MEM(s.data, s.len, g.data, g.len);
	CHECK(read_all(g.data, g.len) == 12);
	/* the example of rowstream(5) */
	buf_reset(&g);
	CHECK(read_file(GOLDEN_DIR "/example.rs", &g));
	CHECK(read_all(g.data, g.len) == 2);
	/* version 1 streams, written by the version 1 writer, are still read */
	buf_reset(&g);
	CHECK(read_file(GOLDEN_DIR "/sample-v1.rs", &g));
	CHECK(g.len > 8 && g.data[8] == 1);
	CHECK(read_all(g.data, g.len) == 12);
	buf_reset(&g);
	CHECK(read_file(GOLDEN_DIR "/example-v1.rs", &g));
	CHECK(read_all(g.data, g.len) == 2);
	/* corrupt golden variants, each rejected */
	static const char *const bad[] = {"truncated.rs", "flipped.rs", "version3.rs", "empty.rs"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char p[256];
		snprintf(p, sizeof p, GOLDEN_DIR "/%s", bad[i]);
		buf_reset(&g);
		CHECK(read_file(p, &g));
		if (read_all(g.data, g.len) >= 0) {
			printf("# %s accepted\n", bad[i]);
			test_cur_failed = 1;
		}
	}
	buf_free(&s);
	buf_free(&g);
}

/* ------------------------------------------------ whole frames moved around */

typedef struct frame_ref {
	size_t off, len;
	uint32_t rows;   /* rows of a block frame */
	uint32_t vbytes; /* value bytes of a chunk frame */
	bool chunk;
} frame_ref;

typedef struct framed {
	size_t hdr_len;
	size_t trailer;  /* offset of the trailer */
	size_t n;
	frame_ref f[64];
	long done[64];      /* rows complete (all their values read) once frames 0..i are read */
	uint64_t vdone[64]; /* value bytes of chunk frames 0..i */
} framed;

/* splits a version 2 stream into its header, frames and trailer */
static bool split_frames(const buf *s, framed *fr)
{
	memset(fr, 0, sizeof *fr);
	fr->hdr_len = 16 + byteorder_get_u32le(s->data + 12) + 8;
	size_t off = fr->hdr_len;
	while (off < s->len && s->data[off] != 'T') {
		if (fr->n == 64)
			return false;
		frame_ref *f = &fr->f[fr->n++];
		f->off = off;
		if (s->data[off] == 'B') {
			f->rows = byteorder_get_u32le(s->data + off + 4);
			f->len = 36 + byteorder_get_u32le(s->data + off + 16) + byteorder_get_u32le(s->data + off + 12) + 8;
		} else if (s->data[off] == 'V') {
			f->chunk = true;
			f->vbytes = byteorder_get_u32le(s->data + off + 4);
			f->len = 24 + f->vbytes + 8;
		} else {
			return false;
		}
		off += f->len;
	}
	fr->trailer = off;
	/* the last row of a block followed by chunk frames completes with its last chunk */
	long done = 0, pending = 0;
	uint64_t vdone = 0;
	for (size_t i = 0; i < fr->n; i++) {
		bool next_chunk = i + 1 < fr->n && fr->f[i + 1].chunk;
		if (!fr->f[i].chunk) {
			done += fr->f[i].rows - (next_chunk ? 1 : 0);
			pending = next_chunk;
		} else {
			vdone += fr->f[i].vbytes;
			if (!next_chunk) {
				done += pending;
				pending = 0;
			}
		}
		fr->done[i] = done;
		fr->vdone[i] = vdone;
	}
	return off + 40 == s->len;
}

/* reads a stream as a loader would; *rows: rows whose values were all read, *vbytes: chunked
 * value bytes delivered; true at a clean end */
static bool read_counting(const void *p, size_t n, long *rows, uint64_t *vbytes)
{
	*rows = 0;
	*vbytes = 0;
	int fd = mem_fd(p, n);
	rs_reader *r = rs_reader_new(fd, "memfd");
	if (!r) {
		close(fd);
		return false;
	}
	int k;
	bool ok = true;
	uint8_t tmp[65536];
	while (ok && (k = rs_reader_next(r)) > 0) {
		const rs_value *v = rs_reader_values(r);
		for (size_t i = 0; ok && i < rs_reader_header(r)->ncols; i++) {
			if (!v[i].chunked)
				continue;
			long long got;
			while ((got = rs_reader_value_read(r, i, tmp, sizeof tmp)) > 0)
				*vbytes += (uint64_t)got;
			ok = got == 0;
		}
		if (ok)
			(*rows)++;
	}
	rs_reader_free(r);
	close(fd);
	return ok && k == 0;
}

/* the stream with frames in the order given (indexes into fr; the header and trailer of s) */
static void assemble(buf *out, const buf *s, const framed *fr, const size_t *order, size_t n)
{
	buf_reset(out);
	buf_append(out, s->data, fr->hdr_len);
	for (size_t i = 0; i < n; i++)
		buf_append(out, s->data + fr->f[order[i]].off, fr->f[order[i]].len);
	buf_append(out, s->data + fr->trailer, 40);
}

/* a damaged stream whose frames first differ from the original at position p: rejected, with
 * every row and value byte before p passed on and nothing of p or after */
static bool rejected_at(const buf *d, const framed *fr, size_t p, const char *what, size_t at)
{
	long rows;
	uint64_t vbytes;
	bool clean = read_counting(d->data, d->len, &rows, &vbytes);
	long want = p ? fr->done[p - 1] : 0;
	uint64_t vwant = p ? fr->vdone[p - 1] : 0;
	if (clean || rows != want || vbytes != vwant) {
		printf("# %s frame %zu (of %zu): %s, %ld rows (%ld expected), %" PRIu64 " value bytes (%" PRIu64
		       " expected)\n", what, at, fr->n, clean ? "accepted" : "rejected", rows, want, vbytes, vwant);
		return false;
	}
	return true;
}

/* drop, repeat and swap every frame of s */
static int damage_every_frame(const buf *s, long total_rows)
{
	framed fr;
	if (!split_frames(s, &fr)) {
		printf("# unable to split the stream into frames\n");
		return 1;
	}
	long rows;
	uint64_t vb;
	if (!read_counting(s->data, s->len, &rows, &vb) || rows != total_rows || fr.done[fr.n - 1] != total_rows) {
		printf("# the undamaged stream is not read whole\n");
		return 1;
	}
	int bad = 0;
	size_t order[70];
	buf d;
	buf_init(&d);
	for (size_t i = 0; i < fr.n; i++) {
		/* drop frame i */
		size_t k = 0;
		for (size_t j = 0; j < fr.n; j++)
			if (j != i)
				order[k++] = j;
		assemble(&d, s, &fr, order, k);
		bad += !rejected_at(&d, &fr, i, "dropped", i);
		/* repeat frame i */
		k = 0;
		for (size_t j = 0; j < fr.n; j++) {
			order[k++] = j;
			if (j == i)
				order[k++] = j;
		}
		assemble(&d, s, &fr, order, k);
		bad += !rejected_at(&d, &fr, i + 1, "repeated", i);
		/* swap frames i and i + 1 */
		if (i + 1 < fr.n) {
			for (size_t j = 0; j < fr.n; j++)
				order[j] = j == i ? i + 1 : j == i + 1 ? i : j;
			assemble(&d, s, &fr, order, fr.n);
			bad += !rejected_at(&d, &fr, i, "swapped", i);
		}
		/* frame i moved to the end (a block reordered further away) */
		if (i + 2 < fr.n) {
			k = 0;
			for (size_t j = 0; j < fr.n; j++)
				if (j != i)
					order[k++] = j;
			order[k++] = i;
			assemble(&d, s, &fr, order, k);
			bad += !rejected_at(&d, &fr, i, "moved", i);
		}
	}
	buf_free(&d);
	return bad;
}

TEST(frames_dropped_repeated_swapped)
{
	/* several blocks, plain and compressed */
	for (int z = 0; z < 2; z++) {
		buf s;
		buf_init(&s);
		rs_writer_opts o = {.block_bytes = 120, .zstd_level = z ? 3 : 0};
		write_sample(&s, 60, &o);
		CHECK(damage_every_frame(&s, 60) == 0);
		buf_free(&s);
	}
	/* blocks and chunk frames: two chunked values of 3 and 2 chunk frames each, between blocks */
	for (int z = 0; z < 2; z++) {
		buf s;
		buf_init(&s);
		rs_writer_opts o = {.block_bytes = 20, .inline_max = 1000, .zstd_level = z ? 3 : 0};
		write_large(&s, 2 * RS_CHUNK_BYTES + 100, &o);
		framed fr;
		/* B B V V V V V B: the chunks of row 3 follow its block */
		CHECK(split_frames(&s, &fr) && fr.n == 8 && !fr.f[1].chunk && fr.f[2].chunk && fr.f[6].chunk &&
		      !fr.f[7].chunk);
		CHECK(damage_every_frame(&s, 5) == 0);
		buf_free(&s);
	}
}

TEST(spliced_from_another_stream)
{
	/* the same rows behind another header: from frame k on, the frames of the second stream */
	rs_writer_opts o = {.block_bytes = 120};
	buf a, b, d;
	buf_init(&a);
	buf_init(&b);
	buf_init(&d);
	write_sample(&a, 60, &o);
	rs_header *h = sample_header();
	free(h->meta[1].value);
	h->meta[1].value = mem_strdup("4712"); /* another binlog position */
	h->meta[1].value_len = 4;
	int fd = memfd_create("w", 0);
	rs_writer *w = rs_writer_new(fd, "memfd", h, &o);
	buf scratch;
	buf_init(&scratch);
	for (int i = 1; i <= 60; i++)
		sample_row(w, i, &scratch);
	CHECK(rs_writer_finish(w));
	rs_writer_free(w);
	read_fd_all(fd, &b);
	close(fd);
	rs_header_free(h);
	framed fa, fb;
	CHECK(split_frames(&a, &fa) && split_frames(&b, &fb) && fa.n == fb.n && fa.n > 5);
	long rows;
	uint64_t vb;
	CHECK(read_counting(b.data, b.len, &rows, &vb) && rows == 60);
	int bad = 0;
	for (size_t k = 0; k < fa.n; k++) {
		buf_reset(&d);
		buf_append(&d, a.data, fa.f[k].off);
		buf_append(&d, b.data + fb.f[k].off, b.len - fb.f[k].off);
		bad += !rejected_at(&d, &fa, k, "spliced at", k);
	}
	CHECK(bad == 0);
	buf_free(&scratch);
	buf_free(&a);
	buf_free(&b);
	buf_free(&d);
}

/* a stream of one-row blocks with the given keys, in the given column type */
static void write_keys(buf *out, uint8_t domain, const char *type, uint32_t code, const char *const *keys,
                       size_t n)
{
	rs_header *h = rs_header_new(domain, "s", "t");
	rs_header_add_column(h, "k", type, code, RS_COL_NOT_NULL, 1);
	CHECK(rs_header_finish(h));
	rs_writer_opts o = {.block_rows = 1};
	int fd = memfd_create("w", 0);
	rs_writer *w = rs_writer_new(fd, "memfd", h, &o);
	for (size_t i = 0; i < n; i++) {
		CHECK(rs_writer_put(w, keys[i], strlen(keys[i])));
		CHECK(rs_writer_end_row(w));
	}
	CHECK(rs_writer_finish(w));
	rs_writer_free(w);
	buf_reset(out);
	read_fd_all(fd, out);
	close(fd);
	rs_header_free(h);
}

TEST(block_keys_must_increase)
{
	buf s;
	buf_init(&s);
	long rows;
	uint64_t vb;
	/* MySQL integers sort as numbers: 9 < 10 */
	static const char *const ints[] = {"-5", "9", "10", "200"};
	write_keys(&s, RS_DOMAIN_MYSQL, "int(11)", 3, ints, 4);
	CHECK(read_counting(s.data, s.len, &rows, &vb) && rows == 4);
	/* a block whose key does not sort after the previous one: rejected at that block */
	static const char *const back[] = {"1", "2", "3", "2", "4"};
	write_keys(&s, RS_DOMAIN_MYSQL, "int(11)", 3, back, 5);
	CHECK(!read_counting(s.data, s.len, &rows, &vb) && rows == 3);
	static const char *const same[] = {"1", "2", "2", "3"};
	write_keys(&s, RS_DOMAIN_MYSQL, "int(11)", 3, same, 4);
	CHECK(!read_counting(s.data, s.len, &rows, &vb) && rows == 2);
	/* text in a collation: the reader cannot know the order, only that a key must not repeat */
	static const char *const text[] = {"b", "B", "a", "\xc3\xa4"};
	write_keys(&s, RS_DOMAIN_MYSQL, "varchar(10)", 253, text, 4);
	CHECK(read_counting(s.data, s.len, &rows, &vb) && rows == 4);
	static const char *const text_same[] = {"b", "a", "a"};
	write_keys(&s, RS_DOMAIN_MYSQL, "varchar(10)", 253, text_same, 3);
	CHECK(!read_counting(s.data, s.len, &rows, &vb) && rows == 2);
	buf_free(&s);
}

TEST(writer_misuse)
{
	rs_header *h = sample_header();
	int fd = memfd_create("w", 0);
	rs_writer *w = rs_writer_new(fd, "memfd", h, NULL);
	CHECK(rs_writer_put(w, "1", 1));
	CHECK(!rs_writer_end_row(w)); /* too few values */
	rs_writer_abort_row(w);
	CHECK(rs_writer_put_null(w)); /* NULL key */
	CHECK(rs_writer_put(w, "a", 1));
	CHECK(rs_writer_put(w, "a", 1));
	CHECK(rs_writer_put(w, "a", 1));
	CHECK(!rs_writer_put(w, "a", 1)); /* too many */
	CHECK(!rs_writer_end_row(w));
	rs_writer_free(w);
	close(fd);
	rs_header_free(h);
}

/* row i of put_row_same_stream: the sample table with names up to 300 bytes (tags of one
 * and two bytes) */
static void put_row_values(int i, buf *name, rs_value v[4])
{
	static char id[16];
	static uint8_t bin[3];
	int n = snprintf(id, sizeof id, "%d", i);
	v[0] = (rs_value){.data = (const uint8_t *)id, .len = (uint64_t)n};
	buf_reset(name);
	for (int k = 0; k < (i * 37) % 300; k++)
		buf_putc(name, (uint8_t)('a' + k % 26));
	v[1] = i % 7 == 0 ? (rs_value){.null = true} : (rs_value){.data = name->data, .len = name->len};
	v[2] = (rs_value){.data = (const uint8_t *)(i % 2 ? "food" : "drink"), .len = i % 2 ? 4u : 5u};
	bin[1] = (uint8_t)i;
	bin[2] = 0xff;
	v[3] = (rs_value){.data = bin, .len = 3};
}

/* rs_writer_put_row, and rs_writer_put_row_at told where the values are, write the very bytes
 * that a put per value writes, block keys included */
TEST(put_row_same_stream)
{
	rs_header *h = sample_header();
	rs_writer_opts o = {.block_rows = 7};
	int fa = memfd_create("a", 0), fb = memfd_create("b", 0), fc = memfd_create("c", 0);
	rs_writer *a = rs_writer_new(fa, "a", h, &o), *b = rs_writer_new(fb, "b", h, &o), *c = rs_writer_new(fc, "c", h, &o);
	buf name, row, sa, sb, sc;
	buf_init(&name);
	buf_init(&row);
	buf_init(&sa);
	buf_init(&sb);
	buf_init(&sc);
	for (int i = 1; i <= 100; i++) {
		rs_value v[4];
		size_t off[4], len[4];
		bool null[4];
		put_row_values(i, &name, v);
		buf_reset(&row);
		for (int k = 0; k < 4; k++) {
			CHECK(v[k].null ? rs_writer_put_null(a) : rs_writer_put(a, v[k].data, (size_t)v[k].len));
			rs_encode_value(&row, v[k].data, (size_t)v[k].len, v[k].null);
			null[k] = v[k].null;
			len[k] = null[k] ? 0 : (size_t)v[k].len;
			off[k] = null[k] ? 99999 : row.len - len[k]; /* unread when NULL */
		}
		CHECK(rs_writer_end_row(a));
		CHECK(rs_writer_put_row(b, row.data, row.len));
		CHECK(rs_writer_put_row_at(c, row.data, row.len, off, len, null));
		if (i % 30 == 0) {
			CHECK(rs_writer_flush(a));
			CHECK(rs_writer_flush(b));
			CHECK(rs_writer_flush(c));
		}
	}
	CHECK(rs_writer_finish(a));
	CHECK(rs_writer_finish(b));
	CHECK(rs_writer_finish(c));
	read_fd_all(fa, &sa);
	read_fd_all(fb, &sb);
	read_fd_all(fc, &sc);
	CHECK_MEM(sb.data, sb.len, sa.data, sa.len);
	CHECK_MEM(sc.data, sc.len, sa.data, sa.len);
	CHECK(read_all(sb.data, sb.len) == 100);
	rs_writer_free(a);
	rs_writer_free(b);
	rs_writer_free(c);
	buf_free(&name);
	buf_free(&row);
	buf_free(&sa);
	buf_free(&sb);
	buf_free(&sc);
	close(fa);
	close(fb);
	close(fc);
	rs_header_free(h);
}

/* rs_writer_put_row_at refuses a NULL key, and a row inside a row put value by value */
TEST(put_row_at_misuse)
{
	rs_header *h = sample_header();
	int fd = memfd_create("w", 0);
	rs_writer *w = rs_writer_new(fd, "memfd", h, NULL);
	buf row;
	buf_init(&row);
	const char *vals[] = {"1", "n", "food", "b"};
	size_t off[4], len[4];
	bool null[4] = {false, false, false, false};
	for (int k = 0; k < 4; k++) {
		rs_encode_value(&row, vals[k], strlen(vals[k]), false);
		len[k] = strlen(vals[k]);
		off[k] = row.len - len[k];
	}
	CHECK(rs_writer_put(w, "4", 1));
	CHECK(!rs_writer_put_row_at(w, row.data, row.len, off, len, null)); /* inside a row */
	rs_writer_abort_row(w);
	CHECK(rs_writer_put_row_at(w, row.data, row.len, off, len, null));
	null[0] = true;
	CHECK(!rs_writer_put_row_at(w, row.data, row.len, off, len, null)); /* NULL key */
	rs_writer_free(w);
	close(fd);
	buf_free(&row);
	rs_header_free(h);
}

/* rows rs_writer_put_row refuses: a value short, a value too many, a chunked or cut value,
 * a value over inline_max, a NULL key, inside a row put value by value */
TEST(put_row_misuse)
{
	rs_header *h = sample_header();
	rs_writer_opts o = {.inline_max = 8};
	int fd = memfd_create("w", 0);
	rs_writer *w = rs_writer_new(fd, "memfd", h, &o);
	buf row;
	buf_init(&row);
	const char *vals[] = {"1", "n", "food", "b"};
	for (int k = 0; k < 3; k++)
		rs_encode_value(&row, vals[k], strlen(vals[k]), false);
	CHECK(!rs_writer_put_row(w, row.data, row.len)); /* three values */
	rs_encode_value(&row, vals[3], 1, false);
	CHECK(rs_writer_put_row(w, row.data, row.len)); /* four: fine */
	CHECK(!rs_writer_put_row(w, row.data, row.len - 1)); /* the last value cut */
	rs_encode_value(&row, "x", 1, false);
	CHECK(!rs_writer_put_row(w, row.data, row.len)); /* five */
	buf_reset(&row);
	rs_encode_value(&row, "2", 1, false);
	buf_put_varint(&row, (5 << 1 | 1) + 1); /* a chunked value */
	rs_encode_value(&row, "food", 4, false);
	rs_encode_value(&row, "b", 1, false);
	CHECK(!rs_writer_put_row(w, row.data, row.len));
	buf_reset(&row);
	rs_encode_value(&row, "3", 1, false);
	rs_encode_value(&row, "a name longer than 8", 20, false); /* over inline_max */
	rs_encode_value(&row, "food", 4, false);
	rs_encode_value(&row, "b", 1, false);
	CHECK(!rs_writer_put_row(w, row.data, row.len));
	buf_reset(&row);
	rs_encode_value(&row, NULL, 0, true); /* NULL key */
	for (int k = 1; k < 4; k++)
		rs_encode_value(&row, vals[k], strlen(vals[k]), false);
	CHECK(!rs_writer_put_row(w, row.data, row.len));
	rs_writer_free(w);
	close(fd);

	fd = memfd_create("w", 0);
	w = rs_writer_new(fd, "memfd", h, &o);
	buf_reset(&row);
	for (int k = 0; k < 4; k++)
		rs_encode_value(&row, vals[k], strlen(vals[k]), false);
	CHECK(rs_writer_put(w, "4", 1));
	CHECK(!rs_writer_put_row(w, row.data, row.len)); /* inside a row */
	rs_writer_abort_row(w);
	CHECK(rs_writer_put_row(w, row.data, row.len));
	CHECK(rs_writer_finish(w));
	buf all;
	buf_init(&all);
	read_fd_all(fd, &all);
	CHECK(read_all(all.data, all.len) == 1);
	buf_free(&all);
	rs_writer_free(w);
	close(fd);
	buf_free(&row);
	rs_header_free(h);
}

TEST(keytext)
{
	const char *vals[] = {"42", "a,b", "", "say \"hi\"", " x"};
	size_t lens[] = {2, 3, 0, 8, 2};
	buf b;
	buf_init(&b);
	keytext_format(&b, vals, lens, 5);
	CHECK_STR(buf_cstr(&b), "42,\"a,b\",\"\",\"say \"\"hi\"\"\",\" x\"");
	char **out;
	size_t *ol, n;
	CHECK(keytext_parse(buf_cstr(&b), &out, &ol, &n));
	CHECK(n == 5);
	for (size_t i = 0; i < n && i < 5; i++)
		CHECK_MEM(out[i], ol[i], vals[i], lens[i]);
	keytext_free(out, ol, n);
	CHECK(!keytext_parse("\"open", &out, &ol, &n));
	CHECK(!keytext_parse("\"a\"b", &out, &ol, &n));
	/* an empty value has one spelling, "": an empty unquoted field is refused */
	static const char *const empty_fields[] = {"", "1,", ",a", "a,,b", "\"\","};
	for (size_t i = 0; i < sizeof empty_fields / sizeof *empty_fields; i++)
		CHECK(!keytext_parse(empty_fields[i], &out, &ol, &n));
	CHECK(keytext_parse("\"\"", &out, &ol, &n));
	CHECK(n == 1 && ol[0] == 0 && out[0][0] == 0);
	keytext_free(out, ol, n);
	CHECK(keytext_parse("\"\",\"\"", &out, &ol, &n));
	CHECK(n == 2 && ol[0] == 0 && ol[1] == 0);
	keytext_free(out, ol, n);
	/* a range option: an empty argument is no bound, "" is the key '' */
	char empty[] = "", quoted[] = "\"\"";
	CHECK(keytext_bound(empty) == NULL);
	CHECK(keytext_bound(NULL) == NULL);
	CHECK(keytext_bound(quoted) == quoted);
	buf_free(&b);
}

int main(void)
{
	/* silence the reader errors the tests provoke on purpose */
	log_verbosity = -1;
	RUN(roundtrip_multiblock);
	RUN(roundtrip_zstd_smaller);
	RUN(large_values_chunked);
	RUN(truncated_at_every_offset);
	RUN(every_byte_flip_rejected);
	RUN(version_flags_reserved_rejected);
	RUN(golden_files);
	RUN(frames_dropped_repeated_swapped);
	RUN(spliced_from_another_stream);
	RUN(block_keys_must_increase);
	RUN(writer_misuse);
	RUN(put_row_same_stream);
	RUN(put_row_misuse);
	RUN(put_row_at_misuse);
	RUN(keytext);
	return test_done();
}
