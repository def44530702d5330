/*
 * row-convert.h - internal interfaces of row-convert (one binary, five modules):
 *   main.c     command line, the one mapping from a status to an exit status, the summary
 *   setup.c    rules, casts, policies and time zones; the input stream, each column's
 *              conversion, the output header, the writer and the rejects file
 *   rows.c     the row loop: values converted, rows written or rejected
 *   large.c    values too large for a block (chunked values), through temporary files
 *   profile.c  --profile: what a run would do, counted per column (profile.h)
 * The modules log an error once, where it happens, and return a status (or false, with the
 * status in rc_conv.status); only main() turns a status into an exit status.
 */
#ifndef ROW_CONVERT_H
#define ROW_CONVERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "checked.h"
#include "convert.h"
#include "profile.h"
#include "rejects.h"
#include "rowstream.h"
#include "typemap.h"

/* how a conversion ended */
typedef enum rc_status {
	RC_OK = 0,
	RC_REJECTED, /* finished with rows rejected, or stopped at the first one (no --rejects);
	              * --profile: a run would reject or change rows */
	RC_USAGE,    /* bad option, rules file, cast, policy or time zone; a column that cannot convert */
	RC_STREAM,   /* the input stream is invalid, truncated or not of domain mysql */
	RC_IO,       /* local I/O: input or output, the rejects file, temporary files */
	RC_LIMIT,    /* more than --max-rejects rows rejected */
} rc_status;

typedef struct rc_options {
	const char *input;        /* file; NULL or "-": standard input */
	int out_fd;               /* where the stream goes (standard output) */
	const char *rules_path;   /* --rules */
	const char *timezone;     /* --timezone; NULL: the rules', else UTC */
	const char *rejects_path; /* --rejects; NULL: the first reject stops */
	char **casts;             /* --cast COL=TYPE... */
	size_t ncasts;
	char **policies;          /* --policy CLASS=ACTION... */
	size_t npolicies;
	long long max_rejects;    /* -1: no limit */
	int zstd_level;           /* 0: not compressed */
	bool force;               /* -f: binary even to a terminal */
	bool profile;             /* --profile */
} rc_options;

/* one conversion: its input, columns, output and counters */
typedef struct rc_conv {
	int fd;              /* the input file, -1: standard input */
	int out_fd;          /* the stream (or the profile) goes there */
	const char *inname;  /* for messages */
	rs_reader *r;
	rs_writer *w;        /* NULL with --profile */
	const rs_header *in;
	rs_header *out;
	typemap_overrides ov;
	convert_policies pol;
	convert_tz tz, session_tz; /* DATETIME's (--timezone) and TIMESTAMP's (the session's) */
	convert_column *cols;
	size_t ncols_init;   /* cols[0..ncols_init) set up */
	rejects *rej;
	const char *rejects_path;
	long long max_rejects;
	profile *prof;       /* --profile: count, write nothing */
	uint64_t rows_in, rows_out, rejected;
	uint64_t changed[CONVERT_NCLASS];
	rc_status status;    /* why the conversion stopped */
	/* the current row */
	buf row;             /* converted in-memory values, encoded as the writer writes them */
	size_t *off, *len;   /* per column: its converted value in row */
	uint8_t *tagw;       /* per column: bytes of the tag of its last value */
	bool *null;
	FILE **spool;        /* per chunked column: its converted value, when not streamed */
	uint64_t *spool_len;
	buf key, rowtext;    /* a rejected row's key and values, as text */
	size_t *all_idx;
} rc_conv;

/* ---------------------------------------------------------------- setup.c */

/* an empty conversion (rc_conv_free is then safe) */
void rc_conv_init(rc_conv *c);
/* everything before the first row: policies, the input, columns, the output; RC_OK or why not */
rc_status rc_setup(rc_conv *c, const rc_options *o);
/* closes the rejects file: false (logged) when it could not be written whole */
CHECKED bool rc_close_rejects(rc_conv *c);
/* releases everything (a rejects file still open is closed unchecked: the run failed anyway) */
void rc_conv_free(rc_conv *c);

/* ---------------------------------------------------------------- rows.c */

/* converts every row, then writes the trailer (or prints the profile); RC_OK, RC_REJECTED
 * when rows were rejected (with --profile: a run would reject or change rows), or why it stopped */
rc_status rc_convert_rows(rc_conv *c);
/* records the current row as rejected for column col (value: the source bytes); false: stop
 * (c->status says why: no --rejects file, a write error, --max-rejects) */
CHECKED bool rc_reject_row(rc_conv *c, size_t col, const char *reason, const uint8_t *value, uint64_t value_len);
/* --profile: the class of a refused value (cause: the static reason convert.h gave) */
const char *rc_refusal_class(const rc_conv *c, size_t col, const char *cause, const uint8_t *value, size_t len);

/* ---------------------------------------------------------------- large.c */

typedef enum rc_large {
	RC_LARGE_OK,       /* converted into its spool (c->spool_len[col]) */
	RC_LARGE_REJECTED, /* the row was rejected (recorded) */
	RC_LARGE_STOP,     /* stop: c->status says why */
} rc_large;

/* converts the chunked value of column col of the current row (changed: the row's policy
 * counters) */
rc_large rc_large_convert(rc_conv *c, size_t col, const rs_value *v, uint64_t *changed);
/* writes the spooled value of column col to the output */
CHECKED bool rc_large_put(rc_conv *c, size_t col);

#endif
