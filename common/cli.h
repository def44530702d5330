/*
 * cli.h - small pieces every command-line tool needs.
 */
#ifndef CLI_H
#define CLI_H

#include "checked.h"

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
 * A tool puts the entries it accepts into its getopt_long table and their letters into
 * its short options, then hands every getopt_long result to cli_common_opt first:
 *
 *   static const struct option longopts[] = {CLI_LONG_LOG, CLI_LONG_HELP, CLI_LONG_ZSTD,
 *                                            {"where", required_argument, NULL, O_WHERE}, {0}};
 *   while ((c = getopt_long(argc, argv, CLI_SHORT_LOG CLI_SHORT_HELP, longopts, NULL)) != -1) {
 *           int k = cli_common_opt(c, optarg, &cs);
 *           if (k == CLI_ERROR) return EXIT_USAGE;          (logged)
 *           if (k == CLI_HELP) { help(); return EXIT_OK; }
 *           if (k == CLI_HANDLED) continue;
 *           switch (c) { the tool's own options }
 *   }
 */
typedef struct cli_settings {
	bool force;              /* -f */
	char *conninfo;          /* -d: owned (cli_settings_free); NULL when not given */
	int zstd_level;          /* --zstd: 0 when not given */
	size_t block_bytes;      /* --block-bytes: 0 when not given (the writer's default) */
	const char *rejects;     /* --rejects: NULL when not given */
	long long max_rejects;   /* --max-rejects: -1 when not given */
} cli_settings;

/* getopt_long values of the long-only ones, above every tool's own and myconn's */
enum {
	CLI_OPT_HELP = 0x4300,
	CLI_OPT_ZSTD,
	CLI_OPT_BLOCK_BYTES,
	CLI_OPT_REJECTS,
	CLI_OPT_MAX_REJECTS,
};
#define CLI_SHORT_LOG "qv"
#define CLI_SHORT_HELP "h"
#define CLI_SHORT_FORCE "f"
#define CLI_SHORT_DBNAME "d:"
#define CLI_LONG_LOG {"quiet", no_argument, NULL, 'q'}, {"verbose", no_argument, NULL, 'v'}
#define CLI_LONG_HELP {"help", no_argument, NULL, 'h'}
#define CLI_LONG_HELP_ONLY {"help", no_argument, NULL, CLI_OPT_HELP}
#define CLI_LONG_FORCE {"force", no_argument, NULL, 'f'}
#define CLI_LONG_DBNAME {"dbname", required_argument, NULL, 'd'}
#define CLI_LONG_ZSTD {"zstd", optional_argument, NULL, CLI_OPT_ZSTD}
#define CLI_LONG_BLOCK_BYTES {"block-bytes", required_argument, NULL, CLI_OPT_BLOCK_BYTES}
#define CLI_LONG_REJECTS                                                     \
	{"rejects", required_argument, NULL, CLI_OPT_REJECTS},               \
	{"max-rejects", required_argument, NULL, CLI_OPT_MAX_REJECTS}

enum { CLI_ERROR = -1, CLI_NOT_MINE = 0, CLI_HANDLED = 1, CLI_HELP = 2 };
void cli_settings_init(cli_settings *s);
void cli_settings_free(cli_settings *s);
/* one getopt_long result c (and its optarg): CLI_HANDLED (s or log_verbosity set), CLI_HELP
 * (--help: the tool prints its help and exits 0), CLI_NOT_MINE (the tool's own option, or
 * '?'), CLI_ERROR (a bad value, logged as cli_parse_number/cli_parse_size do) */
int cli_common_opt(int c, char *arg, cli_settings *s);
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
