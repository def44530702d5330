/*
 * cli.h - small pieces every command-line tool needs.
 */
#ifndef CLI_H
#define CLI_H

#include "checked.h"

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Option values. A count (rows, rejects, retries, a level) is a plain decimal number:
 * "1K" is refused. A size in bytes is a decimal number with an optional suffix K, M or
 * G (either case) for 2^10, 2^20, 2^30: "65536", "64K", "256M", "1G". Both are checked
 * against [min, max]; on a bad value they log
 *   invalid --max-rejects '1K' (0 to 18446744073709551615)
 *   invalid --block-bytes '1K' (4096 to 33554432 bytes, or with a K, M or G suffix)
 * and return false.
 */
CHECKED bool cli_parse_number(const char *opt, const char *v, unsigned long long min, unsigned long long max,
                              unsigned long long *out);
CHECKED bool cli_parse_size(const char *opt, const char *v, unsigned long long min, unsigned long long max,
                            unsigned long long *out);
/* the one minimum of --block-bytes (a block holds at least a few rows); its maximum is
 * RS_MAX_BLOCK / 2 (rowstream.h) */
#define CLI_BLOCK_BYTES_MIN 4096u
/* --block-bytes: cli_parse_size between those */
CHECKED bool cli_parse_block_bytes(const char *v, size_t *out);
/*
 * The options every tool shares, declared once, as myconn.h declares the MySQL connection
 * options: the same option means the same in every tool.
 *   -q, --quiet            errors only (log_verbosity 0)
 *   -v, --verbose          one level more; counted in order, so "-q -v" is the normal level
 *   -h, --help             the full help, exit 0 (--help alone where -h is the MySQL host)
 *   -f, --force            write a binary stream even to a terminal
 *   -d, --dbname CONNINFO  the PostgreSQL database; kept as a copy, and the password in argv
 *                          is overwritten at once (pgconn_take_conninfo)
 *   --zstd[=LEVEL]         compress written blocks, LEVEL 1 to 22 (3 when not given)
 *   --block-bytes N        a written block's raw size: cli_parse_block_bytes
 *   --rejects FILE         rejected rows to FILE (a row stream)
 *   --max-rejects N        a count, 0 to 9223372036854775807
 * and the rows of a table an extractor reads (my-extract, pg-extract):
 *   --columns LIST         the columns to read, by name (NULL: all)
 *   --where CONDITION      an SQL condition ANDed with the rest
 *   --after KEY, --until KEY   the key range (keytext.h); an empty KEY is no bound
 *   --limit N              at most N rows, a count from 0 to 9223372036854775807
 * A tool puts the entries it accepts into its getopt_long table and their letters into
 * its short options, and reads its options with cli_getopt, which handles the shared ones
 * and returns only the tool's own:
 *
 *   static const struct option longopts[] = {CLI_LONG_COMMON, CLI_LONG_WRITER,
 *                                            {"where", required_argument, NULL, O_WHERE}, {0}};
 *   while ((c = cli_getopt(argc, argv, CLI_SHORT_COMMON CLI_SHORT_HELP "...", longopts, &cs)) != -1) {
 *           switch (c) {
 *           case CLI_HELP: help(); return EXIT_OK;
 *           case CLI_BAD: return EXIT_USAGE;                (a bad value, logged)
 *           case O_WHERE: ...                               (the tool's own)
 *           default: usage(stderr); return EXIT_USAGE;      ('?': getopt_long said why)
 *           }
 *   }
 *
 * -h is --help where it takes no argument; where the tool declares "h:" (the MySQL host,
 * MYCONN_SHORT_OPTIONS) it is the tool's. Another family of shared options (the MySQL
 * connection options: myconn_opts_more) joins through cs.more.
 */
/* the rows of a table an extractor reads: an extractor embeds it in its state and takes
 * cli_settings.range whole */
typedef struct cli_range {
	char *columns, *where;   /* --columns, --where: NULL when not given */
	char *after, *until;     /* --after, --until: NULL when not given or empty */
	long long limit;         /* --limit: -1 when not given */
} cli_range;

typedef struct cli_settings {
	bool force;              /* -f */
	char *conninfo;          /* -d: owned (cli_settings_free); NULL when not given */
	int zstd_level;          /* --zstd: 0 when not given */
	size_t block_bytes;      /* --block-bytes: 0 when not given (the writer's default) */
	const char *rejects;     /* --rejects: NULL when not given */
	long long max_rejects;   /* --max-rejects: -1 when not given */
	cli_range range;         /* --columns, --where, --after, --until, --limit */
	/* more shared options, tried after these: 1 handled, 0 not one of them, -1 a bad value
	 * (logged) */
	int (*more)(void *ctx, int c, char *arg);
	void *more_ctx;
} cli_settings;

/* getopt_long values of the long-only ones, above every tool's own and myconn's */
enum {
	CLI_OPT_ZSTD = 0x4300,
	CLI_OPT_BLOCK_BYTES,
	CLI_OPT_REJECTS,
	CLI_OPT_MAX_REJECTS,
	CLI_OPT_COLUMNS,
	CLI_OPT_WHERE,
	CLI_OPT_AFTER,
	CLI_OPT_UNTIL,
	CLI_OPT_LIMIT,
};
/* every tool: -q, -v, --help (-h too with CLI_SHORT_HELP, where -h is not the MySQL host) */
#define CLI_SHORT_COMMON "qv"
#define CLI_SHORT_HELP "h"
#define CLI_LONG_COMMON                                                      \
	{"quiet", no_argument, NULL, 'q'}, {"verbose", no_argument, NULL, 'v'}, \
	{"help", no_argument, NULL, 'h'}
/* a tool that writes a row stream to stdout: -f, --zstd, --block-bytes */
#define CLI_SHORT_FORCE "f"
#define CLI_LONG_FORCE {"force", no_argument, NULL, 'f'}
#define CLI_LONG_ZSTD {"zstd", optional_argument, NULL, CLI_OPT_ZSTD}
#define CLI_LONG_WRITER                                                      \
	CLI_LONG_FORCE, CLI_LONG_ZSTD, {"block-bytes", required_argument, NULL, CLI_OPT_BLOCK_BYTES}
/* a PostgreSQL tool: -d */
#define CLI_SHORT_DBNAME "d:"
#define CLI_LONG_DBNAME {"dbname", required_argument, NULL, 'd'}
/* a tool that keeps rejected rows */
#define CLI_LONG_REJECTS                                                     \
	{"rejects", required_argument, NULL, CLI_OPT_REJECTS},               \
	{"max-rejects", required_argument, NULL, CLI_OPT_MAX_REJECTS}

/* an extractor: which rows and columns of a table */
#define CLI_LONG_RANGE                                                       \
	{"columns", required_argument, NULL, CLI_OPT_COLUMNS},               \
	{"where", required_argument, NULL, CLI_OPT_WHERE},                   \
	{"after", required_argument, NULL, CLI_OPT_AFTER},                   \
	{"until", required_argument, NULL, CLI_OPT_UNTIL},                   \
	{"limit", required_argument, NULL, CLI_OPT_LIMIT}

/* what cli_getopt returns besides the tool's options and -1 (below every option value) */
enum { CLI_HELP = -2, CLI_BAD = -3 };
/* the defaults: nothing given, no more options */
void cli_settings_init(cli_settings *s);
void cli_settings_free(cli_settings *s);
/* getopt_long with the shared options handled (above): the tool's own option (optarg set
 * as getopt_long sets it), '?' for an unknown option or a missing argument (getopt_long
 * said which), -1 at the end, CLI_HELP for --help, CLI_BAD for a bad value (logged as
 * cli_parse_number/cli_parse_size do) */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts, cli_settings *s);
/*
 * Prints a tool's usage: "usage: " and each of its forms (NULL-terminated), a form
 * being one line as its man page's SYNOPSIS has it ("fk-check --pg [-d conninfo]
 * ... [schema]"), wrapped at 80 columns between bracketed groups, the continuation
 * lines aligned after the program name:
 *
 *   usage: fk-check --pg [-d conninfo] [-q | -v] [--quarantine] [--table table] ...
 *                   [--stream file] [--source-fks db [mysql-options]] [schema]
 *          fk-check --help
 */
void cli_usage(FILE *f, const char *const *forms);
/*
 * "file or -": the one way a tool opens a path given on its command line. NULL or "-" is
 * standard input (cli_open_read) or standard output (cli_open_write: created or emptied,
 * mode 0644 before the umask); *name is what messages call it: "stdin", "stdout" or the
 * path. On failure both log, as err(3) does,
 *   row-cat: nosuch.rs: No such file or directory
 * and return -1. cli_close closes what they opened (never the standard descriptors) and
 * logs "path: close failed: reason" when that fails.
 */
CHECKED int cli_open_read(const char *path, const char **name);
CHECKED int cli_open_write(const char *path, const char **name);
CHECKED bool cli_close(int fd, const char *name);
/* whether path means a standard stream to those two (NULL or "-"): for a second output,
 * which cannot be stdout when stdout carries the stream or the report */
bool cli_is_std(const char *path);
/* seconds on the monotonic clock, for rates and durations */
double cli_now(void);
/*
 * The start of every tool's main(): the program name for messages (log_init) and the one
 * SIGPIPE policy. A reader that goes away (`tool | head -c1`: a closed stdout pipe) ends
 * the tool at its next write, quietly, with EXIT_IO (6, "output closed" in every man
 * page), never with status 141 (killed by SIGPIPE) and never half-way through a message.
 * The policy is a handler that calls _exit(EXIT_IO) rather than an ignored signal and a
 * check of EPIPE after every write: every module writes (the stream writer, outbuf,
 * stdio), and one handler covers them all. Databases are not affected: libpq and the
 * MySQL client send with MSG_NOSIGNAL, and myconn keeps the policy across the MySQL
 * client library's initialisation (which ignores SIGPIPE).
 */
void cli_init(const char *argv0);
/* the SIGPIPE policy alone (cli_init sets it): SIGPIPE handled as above and unblocked */
void cli_sigpipe_exits(void);

#endif
