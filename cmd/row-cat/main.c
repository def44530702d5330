/*
 * row-cat - a row stream as CSV/TSV for people, and CSV/TSV into a row stream.
 *
 * See man/man1/row-cat.1. Modules (row-cat.h): text.c (quoting, escaping, other
 * character sets), show.c (stream to text), load.c (text to stream).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "exitcodes.h"
#include "log.h"
#include "row-cat.h"

static void usage(FILE *f)
{
	/* row-cat(1)'s SYNOPSIS (tests/bats/usage.bats keeps them equal) */
	static const char *const forms[] = {
	    "row-cat [-q | -v] [--tsv] [--no-header] [--header-only] [--raw] [file]",
	    "row-cat --from-csv | --from-tsv [-q | -v] [-f] [--table schema.table] [--key column[,column...]] "
	    "[--zstd[=level]] [--block-bytes n] [file]",
	    NULL,
	};
	cli_usage(f, forms);
}

static void help(void)
{
	usage(stdout);
	fputs("\nWrites a row stream (FILE, or stdin) as CSV or TSV for people and CSV tools; with\n"
	      "--from-csv or --from-tsv, makes a row stream of CSV or TSV whose first line names the columns.\n"
	      "  --tsv             TSV (PostgreSQL's text format) instead of CSV\n"
	      "  --no-header       no line of column names\n"
	      "  --header-only     the stream's header: table, metadata, columns, one a line\n"
	      "  --raw             text in other character sets as its bytes, not decoded\n"
	      "  --from-csv, --from-tsv   CSV or TSV in, a row stream (domain mysql) out\n"
	      "  --table S.T       the table the stream names (default csv)\n"
	      "  --key a,b         the primary key columns, in order\n"
	      "  --zstd[=LEVEL]    compress blocks (default level 3)\n"
	      "  --block-bytes N   block size of the stream (default 262144, at least 4096; K, M or G suffix)\n"
	      "  -f, --force       write the stream even to a terminal\n"
	      "  -q, --quiet       errors only;  -v, --verbose  more\n"
	      "See row-cat(1).\n",
	      stdout);
}

static int exit_code(rcat_status s)
{
	switch (s) {
	case RCAT_OK: return EXIT_OK;
	case RCAT_USAGE: return EXIT_USAGE;
	case RCAT_STREAM: return EXIT_STREAM;
	case RCAT_IO: return EXIT_IO;
	case RCAT_INTERNAL: break;
	}
	return EXIT_INTERNAL;
}

int main(int argc, char **argv)
{
	cli_init(argv[0]);
	enum { O_TSV = 256, O_RAW, O_FROM_CSV, O_FROM_TSV, O_NO_HEADER, O_HEADER_ONLY, O_TABLE, O_KEY };
	static const struct option opts[] = {
		{"tsv", no_argument, NULL, O_TSV},
		{"raw", no_argument, NULL, O_RAW},
		{"from-csv", no_argument, NULL, O_FROM_CSV},
		{"from-tsv", no_argument, NULL, O_FROM_TSV},
		{"no-header", no_argument, NULL, O_NO_HEADER},
		{"header-only", no_argument, NULL, O_HEADER_ONLY},
		{"table", required_argument, NULL, O_TABLE},
		{"key", required_argument, NULL, O_KEY},
		CLI_LONG_COMMON,
		CLI_LONG_WRITER,
		{NULL, 0, NULL, 0},
	};
	rcat_show_opts so = {.header = true};
	bool from_csv = false, from_tsv = false;
	char *table = NULL;
	rcat_loader l = {.schema = "", .table = "csv", .out_fd = STDOUT_FILENO, .out_name = "stdout"};
	cli_settings cs;
	cli_settings_init(&cs);
	int c;
	while ((c = cli_getopt(argc, argv, CLI_SHORT_COMMON CLI_SHORT_HELP CLI_SHORT_FORCE, opts, &cs)) != -1) {
		switch (c) {
		case CLI_HELP: help(); return EXIT_OK;
		case CLI_BAD: return EXIT_USAGE;
		case O_TSV: so.tsv = true; break;
		case O_RAW: so.raw = true; break;
		case O_FROM_CSV: from_csv = true; break;
		case O_FROM_TSV: from_tsv = true; break;
		case O_NO_HEADER: so.header = false; break;
		case O_HEADER_ONLY: so.header_only = true; break;
		case O_TABLE: table = optarg; break;
		case O_KEY: l.keycols = optarg; break;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	l.wo.zstd_level = cs.zstd_level;
	l.wo.block_bytes = cs.block_bytes;
	if (argc - optind > 1 || (from_csv && from_tsv)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *name;
	int fd = cli_open_read(optind < argc ? argv[optind] : NULL, &name);
	if (fd < 0)
		return EXIT_IO;
	rcat_status s;
	char *tcopy = NULL;
	if (from_csv || from_tsv) {
		if (!log_check_stdout_binary(cs.force)) {
			s = RCAT_USAGE;
			goto out;
		}
		if (table) {
			tcopy = mem_strdup(table);
			char *dot = strchr(tcopy, '.');
			if (dot) {
				*dot = 0;
				l.schema = tcopy;
				l.table = dot + 1;
			} else {
				l.table = tcopy;
			}
		}
		l.tsv = from_tsv;
		l.name = name;
		s = rcat_load(fd, &l);
	} else {
		s = rcat_show(fd, name, STDOUT_FILENO, &so);
	}
out:
	free(tcopy);
	if (!cli_close(fd, name) && s == RCAT_OK)
		s = RCAT_IO;
	return exit_code(s);
}
