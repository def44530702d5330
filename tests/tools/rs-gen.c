/*
 * rs-gen - writes a synthetic row stream for tests (test tool, not installed).
 *
 *   rs-gen [--schema S] [--table T] [--rows N] [--start ID] [--block-rows N]
 *          [--mysql] [--nokey] [--dup ID=KEY] [--bad ID] [--big BYTES] [--pause-at N --pause-file PATH]
 *          [--charset CS] [--text ID=HEX]
 *          > stream
 *
 * PG domain (default): columns id int8 (the key), t text, b bytea, n int4; row i has
 *   id = i, t = "row <i>" (every 5th row with a comma, a quote and a non-ASCII letter),
 *   b = i % 32 bytes of a pattern, n = i * 3 or NULL when i % 7 == 0.
 * --mysql:    the same values in the MySQL domain (text bytes, MySQL types).
 * --nokey:    no key column.
 * --dup ID=KEY: the row that would have id ID gets id KEY instead (a duplicate key);
 *             up to 16 times.
 * --bad ID:   the row with id ID has a malformed n: 3 bytes for an int4.
 * --big BYTES: one more row at the end whose b holds BYTES bytes (a chunked value,
 *             written in pieces: the generator's memory stays small).
 * --pause-at N --pause-file PATH: after N rows, flush and wait until PATH exists.
 * --charset CS: (--mysql) column t is declared in MySQL character set CS.
 * --text ID=HEX: the row with id ID has these bytes as t (up to 16 times).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "rowstream.h"

static uint64_t be64(int64_t v)
{
	uint64_t u = (uint64_t)v;
	uint64_t r = 0;
	for (int i = 0; i < 8; i++)
		r |= ((u >> (8 * i)) & 0xff) << (8 * (7 - i));
	return r;
}

int main(int argc, char **argv)
{
	log_init(argv[0]);
	const char *schema = "public", *table = "gen", *pause_file = NULL;
	int64_t rows = 1000, start = 1, dup_id[16], dup_key[16], pause_at = -1, bad_id = -1;
	int ndup = 0;
	uint64_t big = 0;
	uint32_t block_rows = 0;
	bool mysql = false, nokey = false;
	const char *charset = NULL;
	int64_t text_id[16];
	buf text_val[16];
	int ntext = 0;
	static const struct option longopts[] = {
		{"schema", required_argument, NULL, 'S'},  {"table", required_argument, NULL, 'T'},
		{"rows", required_argument, NULL, 'n'},    {"start", required_argument, NULL, 's'},
		{"block-rows", required_argument, NULL, 'B'}, {"mysql", no_argument, NULL, 'm'},
		{"nokey", no_argument, NULL, 'k'},         {"dup", required_argument, NULL, 'D'},
		{"big", required_argument, NULL, 'b'},     {"pause-at", required_argument, NULL, 'p'},
		{"pause-file", required_argument, NULL, 'P'}, {"bad", required_argument, NULL, 'x'},
		{"charset", required_argument, NULL, 'C'}, {"text", required_argument, NULL, 'X'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'S': schema = optarg; break;
		case 'T': table = optarg; break;
		case 'n': rows = strtoll(optarg, NULL, 10); break;
		case 's': start = strtoll(optarg, NULL, 10); break;
		case 'B': block_rows = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'm': mysql = true; break;
		case 'k': nokey = true; break;
		case 'D': {
			char *eq;
			if (ndup == 16)
				return 2;
			dup_id[ndup] = strtoll(optarg, &eq, 10);
			dup_key[ndup++] = *eq == '=' ? strtoll(eq + 1, NULL, 10) : 0;
			break;
		}
		case 'b': big = strtoull(optarg, NULL, 10); break;
		case 'p': pause_at = strtoll(optarg, NULL, 10); break;
		case 'P': pause_file = optarg; break;
		case 'x': bad_id = strtoll(optarg, NULL, 10); break;
		case 'C': charset = optarg; break;
		case 'X': {
			char *eq;
			if (ntext == 16)
				return 2;
			text_id[ntext] = strtoll(optarg, &eq, 10);
			buf_init(&text_val[ntext]);
			for (const char *q = *eq == '=' ? eq + 1 : eq; q[0] && q[1]; q += 2) {
				unsigned v;
				if (sscanf(q, "%2x", &v) != 1)
					return 2;
				buf_putc(&text_val[ntext], (uint8_t)v);
			}
			ntext++;
			break;
		}
		default: return 2;
		}
	}
	if (!log_check_stdout_binary(false))
		return 2;
	rs_header *h = rs_header_new(mysql ? RS_DOMAIN_MYSQL : RS_DOMAIN_PG, schema, table);
	rs_header_add_meta(h, "source", "rs-gen");
	char est[32];
	snprintf(est, sizeof est, "%" PRId64, rows + (big ? 1 : 0));
	rs_header_add_meta(h, "rows_estimate", est);
	if (mysql) {
		rs_header_add_column(h, "id", "bigint(20)", 8, RS_COL_NOT_NULL, nokey ? 0 : 1);
		rs_header_add_column(h, "t", "text", 252, 0, 0);
		if (charset)
			rs_column_add_attr(&h->cols[h->ncols - 1], "charset", charset);
		rs_header_add_column(h, "b", "longblob", 252, RS_COL_BINARY, 0);
		rs_header_add_column(h, "n", "int(11)", 3, 0, 0);
	} else {
		rs_header_add_column(h, "id", "bigint", 20, RS_COL_NOT_NULL, nokey ? 0 : 1);
		rs_header_add_column(h, "t", "text", 25, 0, 0);
		rs_header_add_column(h, "b", "bytea", 17, 0, 0);
		rs_header_add_column(h, "n", "integer", 23, 0, 0);
	}
	if (!rs_header_finish(h))
		return 2;
	rs_writer_opts wo = {.block_rows = block_rows};
	rs_writer *w = rs_writer_new(STDOUT_FILENO, "stdout", h, &wo);
	rs_header_free(h);
	if (!w)
		return 6;
	bool ok = true;
	char text[64];
	uint8_t bytes[32];
	int64_t total = rows + (big ? 1 : 0);
	for (int64_t k = 0; ok && k < total; k++) {
		if (k == pause_at && pause_file) {
			ok = rs_writer_flush(w);
			struct stat sb;
			while (ok && stat(pause_file, &sb) != 0) {
				struct timespec ts = {0, 20 * 1000 * 1000};
				nanosleep(&ts, NULL);
			}
		}
		int64_t i = start + k;
		int64_t id = i;
		for (int d = 0; d < ndup; d++)
			if (i == dup_id[d])
				id = dup_key[d];
		if (mysql) {
			snprintf(text, sizeof text, "%" PRId64, id);
			ok = rs_writer_put(w, text, strlen(text));
		} else {
			uint64_t v = be64(id);
			ok = rs_writer_put(w, &v, 8);
		}
		if (i % 5 == 0)
			snprintf(text, sizeof text, "row %" PRId64 ", \"quoted\" \xc3\xa9", i);
		else
			snprintf(text, sizeof text, "row %" PRId64, i);
		int tv = -1;
		for (int d = 0; d < ntext; d++)
			if (i == text_id[d])
				tv = d;
		if (tv >= 0)
			ok = ok && rs_writer_put(w, text_val[tv].data, text_val[tv].len);
		else
			ok = ok && rs_writer_put(w, text, strlen(text));
		if (k == rows) {
			/* the big value, in pieces */
			ok = ok && rs_writer_put_begin(w, big);
			static uint8_t piece[1 << 16];
			for (uint64_t off = 0; ok && off < big; off += sizeof piece) {
				size_t n = big - off < sizeof piece ? (size_t)(big - off) : sizeof piece;
				for (size_t j = 0; j < n; j++)
					piece[j] = (uint8_t)((off + j) * 7 + (off + j) / 251);
				ok = rs_writer_put_more(w, piece, n);
			}
			ok = ok && rs_writer_put_end(w);
		} else {
			size_t n = (size_t)(i % 32);
			for (size_t j = 0; j < n; j++)
				bytes[j] = (uint8_t)(i * 31 + (int64_t)j * 17);
			ok = ok && rs_writer_put(w, bytes, n);
		}
		if (i % 7 == 0) {
			ok = ok && rs_writer_put_null(w);
		} else if (mysql) {
			snprintf(text, sizeof text, "%" PRId64, i * 3);
			ok = ok && rs_writer_put(w, text, strlen(text));
		} else {
			uint32_t n = (uint32_t)(i * 3);
			uint8_t b4[4] = {(uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n};
			ok = ok && rs_writer_put(w, b4, i == bad_id ? 3 : 4);
		}
		ok = ok && rs_writer_end_row(w);
	}
	ok = ok && rs_writer_finish(w);
	rs_writer_free(w);
	return ok ? 0 : 6;
}
