/*
 * row-checksum - the row count and a content digest of a row stream, per
 * stream, per key range or per row; and the differing rows of two streams.
 *
 * The digest depends only on the values, column by column (rowdigest.h), so
 * `my-extract T | row-convert | row-checksum` and `pg-extract T | row-checksum`
 * print the same line exactly when the migrated table holds the same rows.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exitcodes.h"
#include "keyorder.h"
#include "cli.h"
#include "log.h"
#include "rc.h"
#include "rowdigest.h"
#include "rowstream.h"

#define MAX_RANGES 65536

static void usage(FILE *f)
{
	/* row-checksum(1)'s SYNOPSIS (tests/bats/usage.bats keeps them equal) */
	static const char *const forms[] = {
	    "row-checksum [-q | -v] [--ranges n | --by-key | --bounds n] [--ordered] [file]",
	    "row-checksum [-q | -v] [--show-bytes n] --diff a b",
	    NULL,
	};
	cli_usage(f, forms);
}

static void help(void)
{
	usage(stdout);
	fputs("\nPrints the row count and a digest of the values of a row stream:\n"
	      "    rows N digest HEX\n"
	      "The digest depends on the values only (not on names, types, blocks or compression)\n"
	      "and, unless --ordered, not on the order of the rows.\n"
	      "  --ordered         a digest that also depends on the row order\n"
	      "  --ranges N        also one line per bucket of the key space (by key hash):\n"
	      "                    range B rows N digest HEX min KEY max KEY\n"
	      "  --by-key          also one line per row: its hash and its key text\n"
	      "  --bounds N        instead, the key text of every N-th row but the last, one per\n"
	      "                    line: chunk boundaries of a stream in key order\n"
	      "  --diff A B        print the rows that differ between streams A and B\n"
	      "                    (< for A, > for B; exit 1 when they differ)\n"
	      "  --show-bytes N    with --diff: show at most N bytes of a value (default 200, 0: all)\n"
	      "  -q, --quiet       errors only;  -v, --verbose  statistics on stderr\n"
	      "See row-checksum(1).\n",
	      stdout);
}

typedef struct range {
	rowdigest d;
	buf min, max;     /* encoded key values */
	rs_value *minv, *maxv;
} range;


static void range_set(buf *b, rs_value **v, const rs_value *kv, size_t nkey)
{
	buf_reset(b);
	rowdigest_encode(b, kv, nkey);
	if (!*v)
		*v = mem_calloc(nkey, sizeof **v);
	/* cannot fail: b was made by rowdigest_encode */
	if (!rs_decode_values(b->data, b->len, nkey, *v))
		abort();
}

static bool put_range_key(buf *o, const rs_header *h, const rs_value *kv, const char *name)
{
	if (!rc_render_key(o, h, kv)) {
		log_error("%s: a key value is not valid for its type", name);
		return false;
	}
	return true;
}

typedef struct opts {
	uint32_t ranges;
	uint64_t bounds;
	bool by_key, ordered;
} opts;

/* --bounds: the key text of every n-th row, except the last row's (a chunk
 * ending there would leave the next one empty); no digest */
static int bounds(rs_reader *r, const char *name, uint64_t n)
{
	const rs_header *h = rs_reader_header(r);
	if (h->nkey == 0) {
		log_error("%s: --bounds needs a stream with a primary key (table %s.%s has none)", name, h->schema,
		          h->table);
		return EXIT_USAGE;
	}
	int rc = EXIT_OK;
	outbuf out;
	outbuf_init(&out, STDOUT_FILENO);
	rs_value *kv = mem_calloc(h->nkey, sizeof *kv);
	buf pending;
	buf_init(&pending);
	bool have = false;
	uint64_t rows = 0;
	int k;
	while ((k = rs_reader_next(r)) > 0) {
		if (have) {
			buf_append(&out.b, pending.data, pending.len);
			buf_putc(&out.b, '\n');
			outbuf_maybe_flush(&out);
			if (out.failed)
				break;
			have = false;
		}
		if (++rows % n != 0)
			continue;
		const rs_value *v = rs_reader_values(r);
		for (size_t i = 0; i < h->nkey; i++)
			kv[i] = v[h->key[i]];
		buf_reset(&pending);
		if (!put_range_key(&pending, h, kv, name)) {
			rc = EXIT_STREAM;
			break;
		}
		have = true;
	}
	if (k < 0)
		rc = EXIT_STREAM;
	if (rc == EXIT_OK)
		log_info("%s: %" PRIu64 " rows", name, rows);
	if (!outbuf_close(&out) && rc == EXIT_OK)
		rc = EXIT_IO;
	buf_free(&pending);
	free(kv);
	return rc;
}

static int checksum(int fd, const char *name, const opts *op)
{
	rs_reader *r = rs_reader_new(fd, name);
	if (!r)
		return EXIT_STREAM;
	if (op->bounds) {
		int brc = bounds(r, name, op->bounds);
		rs_reader_free(r);
		return brc;
	}
	const rs_header *h = rs_reader_header(r);
	int rc = EXIT_OK;
	outbuf out;
	outbuf_init(&out, STDOUT_FILENO);
	rowhasher rh;
	rowhasher_init(&rh);
	rowdigest total;
	rowdigest_init(&total, h->ncols, op->ordered);
	range *rg = NULL;
	rs_value *kv = mem_calloc(h->nkey ? h->nkey : 1, sizeof *kv);
	buf scratch;
	buf_init(&scratch);
	double t0 = cli_now();
	if (op->ranges && h->nkey == 0) {
		log_error("%s: --ranges needs a stream with a primary key (table %s.%s has none)", name, h->schema,
		          h->table);
		rc = EXIT_USAGE;
		goto out;
	}
	if (op->ranges) {
		rg = mem_calloc(op->ranges, sizeof *rg);
		for (uint32_t i = 0; i < op->ranges; i++) {
			rowdigest_init(&rg[i].d, h->ncols, op->ordered);
			buf_init(&rg[i].min);
			buf_init(&rg[i].max);
		}
	}
	int k;
	while ((k = rs_reader_next(r)) > 0) {
		const rs_value *v = rs_reader_values(r);
		for (size_t i = 0; i < h->nkey; i++)
			kv[i] = v[h->key[i]];
		rowhash hh;
		/* reads large values: the key values stay valid (keys are never chunked) */
		if (!rowhasher_row(&rh, r, &hh)) {
			rc = EXIT_STREAM;
			goto out;
		}
		rowdigest_add(&total, hh);
		if (op->ranges) {
			range *x = &rg[rowdigest_bucket(&scratch, kv, h->nkey, op->ranges)];
			rowdigest_add(&x->d, hh);
			if (x->d.rows == 1 || keyorder_cmp(h, kv, x->minv) < 0)
				range_set(&x->min, &x->minv, kv, h->nkey);
			if (x->d.rows == 1 || keyorder_cmp(h, kv, x->maxv) > 0)
				range_set(&x->max, &x->maxv, kv, h->nkey);
		} else if (op->by_key) {
			char hx[ROWDIGEST_HEX];
			rowhash_hex(hh, hx);
			buf_append(&out.b, hx, 32);
			if (h->nkey) {
				buf_putc(&out.b, ' ');
				if (!put_range_key(&out.b, h, kv, name)) {
					rc = EXIT_STREAM;
					goto out;
				}
			}
			buf_putc(&out.b, '\n');
			outbuf_maybe_flush(&out);
			if (out.failed)
				break;
		}
	}
	if (k < 0) {
		rc = EXIT_STREAM;
		goto out;
	}
	char hx[ROWDIGEST_HEX];
	for (uint32_t i = 0; i < op->ranges; i++) {
		range *x = &rg[i];
		rowdigest_hex(&x->d, hx);
		buf_printf(&out.b, "range %" PRIu32 " rows %" PRIu64 " digest %s min ", i, x->d.rows, hx);
		if (x->d.rows == 0) {
			buf_puts(&out.b, "- max -\n");
			continue;
		}
		if (!put_range_key(&out.b, h, x->minv, name)) {
			rc = EXIT_STREAM;
			goto out;
		}
		buf_puts(&out.b, " max ");
		if (!put_range_key(&out.b, h, x->maxv, name)) {
			rc = EXIT_STREAM;
			goto out;
		}
		buf_putc(&out.b, '\n');
		outbuf_maybe_flush(&out);
	}
	rowdigest_hex(&total, hx);
	buf_printf(&out.b, "rows %" PRIu64 " digest %s\n", total.rows, hx);
	double dt = cli_now() - t0;
	log_info("%s: %" PRIu64 " rows, %" PRIu64 " blocks, %.1f MiB in %.2f s (%.0f rows/s)", name, total.rows,
	         rs_reader_blocks(r), (double)rs_reader_offset(r) / 1048576.0, dt, dt > 0 ? (double)total.rows / dt : 0.0);
out:
	if (!outbuf_close(&out) && rc == EXIT_OK)
		rc = EXIT_IO;
	if (rg) {
		for (uint32_t i = 0; i < op->ranges; i++) {
			rowdigest_free(&rg[i].d);
			buf_free(&rg[i].min);
			buf_free(&rg[i].max);
			free(rg[i].minv);
			free(rg[i].maxv);
		}
		free(rg);
	}
	rowdigest_free(&total);
	rowhasher_free(&rh);
	buf_free(&scratch);
	free(kv);
	rs_reader_free(r);
	return rc;
}

int main(int argc, char **argv)
{
	cli_init(argv[0]);
	enum { O_RANGES = 256, O_BY_KEY, O_BOUNDS, O_ORDERED, O_DIFF, O_SHOW };
	static const struct option lopts[] = {
		{"ranges", required_argument, NULL, O_RANGES},
		{"by-key", no_argument, NULL, O_BY_KEY},
		{"bounds", required_argument, NULL, O_BOUNDS},
		{"ordered", no_argument, NULL, O_ORDERED},
		{"diff", no_argument, NULL, O_DIFF},
		{"show-bytes", required_argument, NULL, O_SHOW},
		CLI_LONG_COMMON,
		{NULL, 0, NULL, 0},
	};
	opts op = {0};
	bool diff = false;
	rc_diff_opts dop = {.show_max = 200};
	unsigned long long n;
	int c;
	cli_settings cs;
	cli_settings_init(&cs);
	while ((c = cli_getopt(argc, argv, CLI_SHORT_COMMON CLI_SHORT_HELP, lopts, &cs)) != -1) {
		switch (c) {
		case CLI_HELP: help(); return EXIT_OK;
		case CLI_BAD: return EXIT_USAGE;
		case O_RANGES:
			if (!cli_parse_number("--ranges", optarg, 1, MAX_RANGES, &n))
				return EXIT_USAGE;
			op.ranges = (uint32_t)n;
			break;
		case O_BY_KEY: op.by_key = true; break;
		case O_BOUNDS:
			if (!cli_parse_number("--bounds", optarg, 1, UINT64_MAX, &n))
				return EXIT_USAGE;
			op.bounds = n;
			break;
		case O_ORDERED: op.ordered = true; break;
		case O_DIFF: diff = true; break;
		case O_SHOW:
			if (!cli_parse_size("--show-bytes", optarg, 0, 1ull << 30, &n))
				return EXIT_USAGE;
			dop.show_max = (size_t)n;
			break;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	int nargs = argc - optind;
	if (diff) {
		if (nargs != 2 || op.ranges || op.by_key || op.bounds || op.ordered) {
			usage(stderr);
			return EXIT_USAGE;
		}
		return rc_diff(argv[optind], argv[optind + 1], &dop);
	}
	if (nargs > 1 || (op.ranges && op.by_key) || (op.bounds && (op.ranges || op.by_key || op.ordered))) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *name;
	int fd = cli_open_read(nargs ? argv[optind] : NULL, &name);
	if (fd < 0)
		return EXIT_IO;
	int rc = checksum(fd, name, &op);
	if (!cli_close(fd, name) && rc == EXIT_OK)
		rc = EXIT_IO;
	return rc;
}
