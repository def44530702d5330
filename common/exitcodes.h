/*
 * exitcodes.h - the exit statuses of every tool, in one place.
 *
 * Only main() turns a failure into one of these; library code returns bool
 * and logs the error where it happens.
 */
#ifndef EXITCODES_H
#define EXITCODES_H

enum {
	EXIT_OK = 0,        /* everything done, nothing rejected, no difference */
	EXIT_FOUND = 1,     /* finished, but rows were rejected / differences or orphans found */
	EXIT_USAGE = 2,     /* bad command line or option file */
	EXIT_STREAM = 3,    /* input row stream invalid: truncated, corrupt, unknown version */
	EXIT_SOURCE = 4,    /* source database error (connect, query, lost connection) */
	EXIT_TARGET = 5,    /* target database error */
	EXIT_IO = 6,        /* local I/O error: read/write failure, file not found */
	EXIT_LIMIT = 7,     /* stopped because a limit was reached (e.g. --max-rejects) */
	EXIT_INTERNAL = 70  /* bug: please report */
};

#define EXIT_REJECTS EXIT_FOUND
#define EXIT_DIFFERENT EXIT_FOUND

#endif
