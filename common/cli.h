/*
 * cli.h - small pieces every command-line tool needs.
 */
#ifndef CLI_H
#define CLI_H

#include "checked.h"

#include <stdbool.h>
#include <stdio.h>

/* a decimal number in [min, max] for option opt; false (and logs) otherwise */
CHECKED bool cli_parse_number(const char *opt, const char *v, unsigned long long min, unsigned long long max,
                      unsigned long long *out);
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
