/*
 * my-extract - one MySQL/MariaDB table as a row stream (domain mysql) on stdout.
 *
 * Values are exactly the bytes of the text protocol (character_set_results NULL:
 * each string column in its own character set, recorded in the header). The
 * table is streamed with mysql_use_result, in primary-key order; values of long
 * columns (MEDIUM/LONG BLOB/TEXT, JSON) above a threshold are left out of the
 * streamed row and read in pieces on a second connection, by primary key, so
 * memory stays bounded whatever the row size. See man/man1/my-extract.1.
 *
 * Modules (my-extract.h): extract.c (a run), query.c (columns and SELECT), snapshot.c
 * (--snapshot), rows.c (rows and long values into the stream).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exitcodes.h"
#include "keytext.h"
#include "log.h"
#include "my-extract.h"

static void usage(FILE *f)
{
	/* my-extract(1)'s SYNOPSIS (tests/bats/usage.bats keeps them equal) */
	static const char *const forms[] = {
	    "my-extract " MYCONN_SYNOPSIS " [-q | -v] [-f] [--columns column[,column...]] [--where condition] "
	    "[--after key] [--until key] [--limit n] [--snapshot] [--block-bytes n] [--zstd[=level]] "
	    "database.table | -D database table",
	    NULL,
	};
	cli_usage(f, forms);
}

static void help(void)
{
	usage(stdout);
	fputs("\nWrites one table as a binary row stream (domain mysql) on stdout.\n"
	      "  -h, --host, -P, --port, -u, --user, -S, --socket, -D, --database\n"
	      "  -p[PASSWORD], --password[=PASSWORD]   bare: prompt on /dev/tty\n"
	      "  --defaults-file=F, --defaults-extra-file=F, --no-defaults\n"
	      "  --ssl-mode=DISABLED|PREFERRED|REQUIRED|VERIFY_CA|VERIFY_IDENTITY, --ssl-ca, --ssl-cert, --ssl-key\n"
	      "  --connect-timeout=SECONDS\n"
	      "  --columns a,b,c   only these columns, in this order\n"
	      "  --where COND      only rows where COND holds (SQL, ANDed)\n"
	      "  --after KEY       only rows whose primary key is greater than KEY (key text)\n"
	      "  --until KEY       only rows whose primary key is at most KEY\n"
	      "  --limit N         at most N rows\n"
	      "  --snapshot        consistent snapshot; records the binary log position\n"
	      "  --block-bytes N   block size of the stream (default 262144)\n"
	      "  --zstd[=LEVEL]    compress blocks (default level 3)\n"
	      "  -f, --force       write the stream even to a terminal\n"
	      "  -q, --quiet       errors only;  -v, --verbose  summary (and more with -vv)\n"
	      "See my-extract(1).\n",
	      stdout);
}

static int exit_code(mx_status s)
{
	switch (s) {
	case MX_OK: return EXIT_OK;
	case MX_USAGE: return EXIT_USAGE;
	case MX_SOURCE: return EXIT_SOURCE;
	case MX_IO: return EXIT_IO;
	case MX_LIMIT: return EXIT_LIMIT;
	case MX_INTERNAL: break;
	}
	return EXIT_INTERNAL;
}

int main(int argc, char **argv)
{
	cli_init(argv[0]);
	enum { O_SNAPSHOT = 256 };
	static const struct option longopts[] = {
		MYCONN_LONG_OPTIONS,
		CLI_LONG_COMMON,
		CLI_LONG_WRITER,
		CLI_LONG_RANGE,
		{"snapshot", no_argument, NULL, O_SNAPSHOT},
		{NULL, 0, NULL, 0},
	};
	extract x;
	memset(&x, 0, sizeof x);
	myconn_opts_init(&x.conn);
	int rc = EXIT_OK, c;
	cli_settings cs;
	cli_settings_init(&cs);
	cs.more = myconn_opts_more;
	cs.more_ctx = &x.conn;
	while ((c = cli_getopt(argc, argv, CLI_SHORT_COMMON CLI_SHORT_FORCE MYCONN_SHORT_OPTIONS, longopts, &cs)) != -1) {
		switch (c) {
		case CLI_HELP: help(); goto out;
		case CLI_BAD: rc = EXIT_USAGE; goto out;
		case O_SNAPSHOT: x.snapshot = true; break;
		default:
			usage(stderr);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	x.force = cs.force;
	x.range = cs.range;
	x.block_bytes = cs.block_bytes;
	x.zstd_level = cs.zstd_level;
	if (argc - optind != 1) {
		usage(stderr);
		rc = EXIT_USAGE;
		goto out;
	}
	if (x.conn.database) { /* -D DB TABLE: the table name as it is */
		x.db = mem_strdup(x.conn.database);
		x.table = mem_strdup(argv[optind]);
	} else if (!myconn_split_name(argv[optind], &x.db, &x.table)) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (!myconn_opts_finish(&x.conn)) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (x.range.columns && !*x.range.columns) {
		log_error("--columns: no column given");
		rc = EXIT_USAGE;
		goto out;
	}
	if (!log_check_stdout_binary(x.force)) {
		rc = EXIT_USAGE;
		goto out;
	}
	double t0 = cli_now();
	mx_status st = mx_run(&x);
	rc = exit_code(st);
	if (st == MX_OK && x.w) {
		double dt = cli_now() - t0;
		log_info("%s: %" PRIu64 " rows, %" PRIu64 " bytes in %.2f s (%.0f rows/s)", x.qtable, rs_writer_rows(x.w),
		         rs_writer_bytes(x.w), dt, dt > 0 ? (double)rs_writer_rows(x.w) / dt : 0.0);
		if (x.big_values)
			log_info("%s: %" PRIu64 " long values (%" PRIu64 " bytes) read in pieces", x.qtable, x.big_values,
			         x.big_bytes);
	}
out:
	mx_free(&x);
	mysql_library_end();
	return rc;
}
