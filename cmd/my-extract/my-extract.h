/*
 * my-extract.h - internal interfaces of my-extract (one binary, five modules):
 *   main.c      command line, the summary, the one status -> exit-code mapping
 *   extract.c   a run: the table, the header, the result streamed into the writer
 *   query.c     the output columns, the long columns read apart, the SELECT
 *   snapshot.c  --snapshot: consistent read and the binary log position
 *   rows.c      rows into the stream; long values in pieces by key on a second connection
 * The modules log their errors once, where they happen, and return an mx_status.
 */
#ifndef MY_EXTRACT_H
#define MY_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mysql.h>

#include "buf.h"
#include "cli.h"
#include "myconn.h"
#include "mytable.h"
#include "rowstream.h"

/* values of long columns longer than this are fetched apart, in pieces (per row, the
 * streamed connection holds at most LONG_ROW_BUDGET of long values) */
#define LONG_ROW_BUDGET (16u << 20)
#define LONG_INLINE_MAX (4u << 20)
#define LONG_INLINE_MIN (64u << 10)
#define PIECE_MAX (16u << 20)
#define WRITER_INLINE_MAX (4u << 20)

typedef enum {
	MX_OK = 0,
	MX_USAGE,   /* the command line does not fit the table (no such table or column, a bad key or --where) */
	MX_SOURCE,  /* the server failed or the table changed under a read that is not a snapshot */
	MX_IO,      /* writing the stream failed */
	MX_LIMIT,   /* a long value in a table without a key to read it apart by */
	MX_INTERNAL /* the header could not be built: a bug */
} mx_status;

typedef struct extract {
	/* options */
	myconn_opts conn;
	char *db, *table;
	cli_range range; /* --columns, --where, --after, --until, --limit (cli.h) */
	bool snapshot;
	size_t block_bytes;
	int zstd_level;
	bool force;
	/* state */
	MYSQL *m;  /* streams the table */
	MYSQL *m2; /* fetches long values in pieces */
	mytable *t;
	size_t nout;
	size_t *out_col;   /* table column of each output column */
	size_t *sel_val;   /* select-list position of each output column's value */
	long *sel_len;     /* select-list position of its LENGTH(), -1 when not a long column */
	long *sel_idx;     /* select-list position of its member index (col+0), -1 when none */
	size_t nloc;       /* locator: the key that finds a row again (primary or unique) */
	size_t *loc_col;
	size_t *sel_loc;
	size_t nsel;
	bool key_in_output; /* every primary key column is output: the stream has a key */
	uint64_t long_cutoff;
	uint64_t piece;
	rs_header *h;
	rs_writer *w;
	char *qtable; /* `db`.`table` */
	/* statistics */
	uint64_t big_values;
	uint64_t big_bytes;
	buf scratch; /* one value put together */
} extract;

/* ---------------------------------------------------------------- extract.c */

/* the whole run, with x's options set; x->w is the writer once the stream has begun */
mx_status mx_run(extract *x);
void mx_free(extract *x);

/* ---------------------------------------------------------------- query.c */

/* the output columns (x->range.columns, else all), the locator key and the long-value cutoff */
mx_status mx_plan_columns(extract *x);
/* the SELECT of the run (after mx_plan_columns): x->sel_* say where each value is */
mx_status mx_build_query(extract *x, buf *q);
/* output column i is written as "<index>:<text>" (an ENUM with '' among its members) */
bool mx_enum_index_form(const extract *x, size_t i);

/* ---------------------------------------------------------------- snapshot.c */

mx_status mx_take_snapshot(extract *x);

/* ---------------------------------------------------------------- rows.c */

/* the rows of res (the query of mx_build_query) into x->w */
mx_status mx_stream_rows(extract *x, MYSQL_RES *res);

#endif
