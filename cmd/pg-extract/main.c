/*
 * pg-extract - one PostgreSQL table (or a key range of it) as a row stream
 * (domain postgresql) on stdout, in primary-key order.
 *
 * Values are exactly the bytes `COPY ... TO STDOUT (FORMAT binary)` sends, so
 * a table migrated by my-extract | row-convert | pg-load gives, through
 * pg-extract, the same values row-convert wrote, and row-checksum can compare
 * the two sides. Rows arrive one at a time (PQgetCopyData) and go out in
 * blocks: memory holds a block and one row. Values of bytea, text and varchar
 * columns longer than LONG_INLINE bytes are left out of the COPY and read in
 * pieces on a second connection that shares the first one's snapshot, found
 * again by primary key (without one: by tableoid and ctid, which name one row
 * version in that snapshot), so they stream through whatever their size.
 * The piece query detoasts the value once and returns its pieces as rows, one
 * at a time (single-row mode):
 *   WITH v AS MATERIALIZED (SELECT col || ''::bytea AS v FROM t WHERE k = $2)
 *   SELECT i, substring(v.v FROM i * $1 + 1 FOR $1) FROM v, generate_series(0, ...) AS i
 * (a substring per query would decompress a compressed value from its start for
 * every piece: quadratic). See pg-extract(1).
 *
 * Modules (pg-extract.h): extract.c (a run), catalog.c (the table), query.c (the COPY),
 * copy.c (tuples into the stream), pieces.c (long values).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exitcodes.h"
#include "keytext.h"
#include "log.h"
#include "pg-extract.h"

static void usage(FILE *f)
{
	/* pg-extract(1)'s SYNOPSIS (tests/bats/usage.bats keeps them equal) */
	static const char *const forms[] = {
	    "pg-extract [-d conninfo] [-q | -v] [-f] [--columns column[,column...]] [--after key] [--until key] "
	    "[--limit n | --unordered] [--where condition] [--block-bytes n] [--zstd[=level]] [--snapshot id] [schema.]table",
	    NULL,
	};
	cli_usage(f, forms);
}

static void help(void)
{
	usage(stdout);
	fputs("\nWrites one PostgreSQL table as a binary row stream (domain postgresql) on stdout,\n"
	      "each value exactly as COPY ... TO STDOUT (FORMAT binary) sends it.\n"
	      "  -d, --dbname CONNINFO  database: a name, key=value pairs or a postgresql:// URI\n"
	      "                         (unset parts from PGHOST, PGPORT, PGUSER, ~/.pgpass...)\n"
	      "  --columns a,b,c   only these columns, in this order (default: all, by attnum)\n"
	      "  --after KEY       only rows whose primary key is greater than KEY (key text)\n"
	      "  --until KEY       only rows whose primary key is at most KEY\n"
	      "  --limit N         at most N rows\n"
	      "  --unordered       rows as the server reads them, not in key order (for digests)\n"
	      "  --where COND      only rows where COND holds (SQL, ANDed)\n"
	      "  --block-bytes N   block size of the stream (default 262144)\n"
	      "  --zstd[=LEVEL]    compress blocks (default level 3)\n"
	      "  --snapshot ID     read in the snapshot another session exported (pg_export_snapshot)\n"
	      "  -f, --force       write the stream even to a terminal\n"
	      "  -q, --quiet       errors only;  -v, --verbose  a summary (and the query with -vv)\n"
	      "See pg-extract(1).\n",
	      stdout);
}

static int exit_code(px_status s)
{
	switch (s) {
	case PX_OK: return EXIT_OK;
	case PX_USAGE: return EXIT_USAGE;
	case PX_SOURCE: return EXIT_SOURCE;
	case PX_IO: return EXIT_IO;
	}
	return EXIT_INTERNAL;
}

int main(int argc, char **argv)
{
	cli_init(argv[0]);
	enum { O_SNAPSHOT = 256, O_UNORDERED };
	static const struct option lopts[] = {
		CLI_LONG_COMMON,
		CLI_LONG_DBNAME,
		CLI_LONG_WRITER,
		CLI_LONG_RANGE,
		{"unordered", no_argument, NULL, O_UNORDERED},
		{"snapshot", required_argument, NULL, O_SNAPSHOT},
		{NULL, 0, NULL, 0},
	};
	extract x;
	memset(&x, 0, sizeof x);
	buf_init(&x.piece_sql);
	x.long_inline = LONG_INLINE;
	x.piece_bytes = PIECE_BYTES;
	const char *pb = getenv("PG_EXTRACT_PIECE_BYTES");
	if (pb && *pb) {
		unsigned long long v;
		if (!cli_parse_number("PG_EXTRACT_PIECE_BYTES", pb, 1, 1u << 30, &v))
			return EXIT_USAGE;
		x.piece_bytes = v;
	}
	int c;
	cli_settings cs;
	cli_settings_init(&cs);
	int rc = EXIT_USAGE;
	while ((c = cli_getopt(argc, argv, CLI_SHORT_COMMON CLI_SHORT_HELP CLI_SHORT_FORCE CLI_SHORT_DBNAME, lopts, &cs)) !=
	       -1) {
		switch (c) {
		case CLI_HELP:
			help();
			rc = EXIT_OK;
			goto stop;
		case CLI_BAD: goto stop;
		case O_SNAPSHOT: x.import_snapshot = optarg; break;
		case O_UNORDERED: x.unordered = true; break;
		default:
			usage(stderr);
			goto stop;
		}
	}
	/* x owns the connection string from here (px_free) */
	x.conninfo = cs.conninfo;
	x.force = cs.force;
	x.range = cs.range;
	x.wo.block_bytes = cs.block_bytes;
	x.wo.zstd_level = cs.zstd_level;
	if (argc - optind != 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (x.unordered && x.range.limit >= 0) {
		log_error("--limit and --unordered: which rows a limit keeps depends on their order");
		return EXIT_USAGE;
	}
	x.target = argv[optind];
	if (!pgconn_split_name(x.target, &x.want_schema, &x.want_table, &x.quoted_schema, &x.quoted_table))
		return EXIT_USAGE;
	if (!log_check_stdout_binary(x.force)) {
		free(x.want_schema);
		free(x.want_table);
		return EXIT_USAGE;
	}
	rc = exit_code(px_run(&x));
	px_free(&x);
	return rc;
stop: /* options only: nothing but the connection string to free */
	cli_settings_free(&cs);
	return rc;
}
