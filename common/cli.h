/*
 * cli.h - small pieces every command-line tool needs.
 */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>

/* a decimal number in [min, max] for option opt; false (and logs) otherwise */
bool cli_parse_number(const char *opt, const char *v, unsigned long long min, unsigned long long max,
                      unsigned long long *out);
/* seconds on the monotonic clock, for rates and durations */
double cli_now(void);
/* a closed stdout pipe (the reader went away) ends the tool quietly with EXIT_IO */
void cli_sigpipe_exits(void);

#endif
