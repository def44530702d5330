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
