/*
 * gen-pgstream - benchmark input for row-checksum: a 9-column PG-domain row
 * stream of N rows (values in PostgreSQL binary COPY form), or a raw XXH3
 * pass over a file to compare with.
 *
 *   gen-pgstream ROWS [ZSTD_LEVEL] > file     columns: id int8 (key), qty int4,
 *       price numeric(12,2), name text, email varchar(100), created timestamptz,
 *       active bool, score float8, note text (NULL in every 7th row)
 *   gen-pgstream --xxh3 FILE                  XXH3-128 of FILE, read in 1 MiB pieces
 *
 * Built and run by scripts/bench-checksum; not installed.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

#include "buf.h"
#include "log.h"
#include "rowstream.h"

static int raw_pass(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		log_errno("%s", path);
		return 1;
	}
	XXH3_state_t *st = XXH3_createState();
	XXH3_128bits_reset(st);
	static uint8_t b[1 << 20];
	ssize_t n;
	while ((n = read(fd, b, sizeof b)) > 0)
		XXH3_128bits_update(st, b, (size_t)n);
	close(fd);
	XXH128_hash_t h = XXH3_128bits_digest(st);
	XXH3_freeState(st);
	printf("%016" PRIx64 "%016" PRIx64 "\n", h.high64, h.low64);
	return n < 0;
}

static void be32(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v; }
static void be64(uint8_t *p, uint64_t v) { be32(p, (uint32_t)(v >> 32)); be32(p + 4, (uint32_t)v); }

int main(int argc, char **argv)
{
	log_init(argv[0]);
	if (argc == 3 && strcmp(argv[1], "--xxh3") == 0)
		return raw_pass(argv[2]);
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: gen-pgstream ROWS [ZSTD_LEVEL] > FILE | gen-pgstream --xxh3 FILE\n");
		return 2;
	}
	uint64_t rows = strtoull(argv[1], NULL, 10);
	rs_writer_opts wo = {0};
	if (argc == 3)
		wo.zstd_level = atoi(argv[2]);
	rs_header *h = rs_header_new(RS_DOMAIN_PG, "bench", "orders");
	rs_header_add_column(h, "id", "bigint", 20, RS_COL_NOT_NULL, 1);
	rs_header_add_column(h, "qty", "integer", 23, RS_COL_NOT_NULL, 0);
	rs_header_add_column(h, "price", "numeric(12,2)", 1700, 0, 0);
	rs_header_add_column(h, "name", "text", 25, 0, 0);
	rs_header_add_column(h, "email", "character varying(100)", 1043, 0, 0);
	rs_header_add_column(h, "created", "timestamp with time zone", 1184, 0, 0);
	rs_header_add_column(h, "active", "boolean", 16, 0, 0);
	rs_header_add_column(h, "score", "double precision", 701, 0, 0);
	rs_header_add_column(h, "note", "text", 25, 0, 0);
	if (!rs_header_finish(h))
		return 1;
	rs_writer *w = rs_writer_new(STDOUT_FILENO, "stdout", h, &wo);
	if (!w)
		return 1;
	uint64_t x = 88172645463325252ull;
	char text[128];
	for (uint64_t i = 1; i <= rows; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		uint8_t b[16];
		be64(b, i);
		if (!rs_writer_put(w, b, 8))
			return 1;
		be32(b, (uint32_t)(x % 1000));
		if (!rs_writer_put(w, b, 4))
			return 1;
		/* numeric 1234.56: ndigits 2, weight 0, sign +, dscale 2, digits 1234, 5600 */
		uint8_t num[12] = {0, 2, 0, 0, 0, 0, 0, 2};
		num[8] = (uint8_t)((x % 9999) >> 8), num[9] = (uint8_t)(x % 9999);
		num[10] = 0x15, num[11] = 0xe0;
		if (!rs_writer_put(w, num, sizeof num))
			return 1;
		int n = snprintf(text, sizeof text, "customer %" PRIu64 " of batch %" PRIu64, x % 100000, i / 1000);
		if (!rs_writer_put(w, text, (size_t)n))
			return 1;
		n = snprintf(text, sizeof text, "user%" PRIu64 "@example.com", x % 1000003);
		if (!rs_writer_put(w, text, (size_t)n))
			return 1;
		be64(b, (uint64_t)(700000000000000ll + (int64_t)(x % 100000000000ll)));
		if (!rs_writer_put(w, b, 8))
			return 1;
		b[0] = (uint8_t)(x & 1);
		if (!rs_writer_put(w, b, 1))
			return 1;
		double d = (double)(x % 100000) / 7.0;
		uint64_t u;
		memcpy(&u, &d, 8);
		be64(b, u);
		if (!rs_writer_put(w, b, 8))
			return 1;
		if (!(i % 7 == 0 ? rs_writer_put_null(w) : rs_writer_put(w, "shipped", 7)) || !rs_writer_end_row(w))
			return 1;
	}
	bool ok = rs_writer_finish(w);
	rs_writer_free(w);
	rs_header_free(h);
	return ok ? 0 : 1;
}
