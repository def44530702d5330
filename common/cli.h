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
/* seconds on the monotonic clock, for rates and durations */
double cli_now(void);
/* a closed stdout pipe (the reader went away) ends the tool quietly with EXIT_IO */
void cli_sigpipe_exits(void);

#endif
