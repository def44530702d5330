/*
 * log.h - diagnostics on stderr, never on stdout.
 *
 * Messages are lowercase, without a final period, and name their object:
 *   my-extract: [source] unable to execute query 'SELECT ...': reason
 */
#ifndef LOG_H
#define LOG_H

#include "checked.h"

#include <stdarg.h>
#include <stdbool.h>

extern const char *log_progname;
/* -1 silent (unit tests), 0 quiet (-q: errors only), 1 normal (warnings and notices), 2 verbose (-v),
 * 3 debug (-vv) */
extern int log_verbosity;

void log_init(const char *argv0);
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* a summary line of a plain run ("prog: 3 orphans in 1 of 2 foreign keys ..."): shown unless -q */
void log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* more detail, with -v */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* errno-style: appends ": strerror(errno)" */
void log_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* refuse to write binary to a terminal unless forced; returns false and logs */
CHECKED bool log_check_stdout_binary(bool force);

#endif
