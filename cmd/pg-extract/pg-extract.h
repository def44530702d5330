/*
 * pg-extract.h - internal interfaces of pg-extract (one binary, six modules):
 *   main.c     command line, the one status -> exit-code mapping
 *   extract.c  a run: transaction and snapshot, then catalog, header, COPY, COMMIT
 *   catalog.c  the table, its columns and key, the output columns, the header
 *   query.c    the COPY query
 *   copy.c     COPY binary tuples into the stream
 *   pieces.c   long values read apart, in pieces, on a second connection
 * The modules log their errors once, where they happen, and return bool or a px_status.
 */
#ifndef PG_EXTRACT_H
#define PG_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "buf.h"
#include "byteorder.h"
#include "cli.h"
#include "cursor.h"
#include "pgconn.h"
#include "rowstream.h"

#define SIDE "source"
#define LONG_INLINE (4u << 20)  /* longer bytea/text values are fetched in pieces */
#define PIECE_BYTES (16u << 20) /* bytes per piece (environment PG_EXTRACT_PIECE_BYTES, for tests) */
#define WRITER_INLINE_MAX (4u << 20)

typedef enum {
	PX_OK = 0,
	PX_USAGE,  /* the command line does not fit the table (a column, a key) */
	PX_SOURCE, /* the server failed, or the table is not there */
	PX_IO,     /* writing the stream failed */
} px_status;

typedef struct pcol {
	int attnum;
	char *name;
	char *type;      /* format_type() */
	uint32_t typoid; /* pg_attribute.atttypid */
	uint32_t code;   /* base type OID when built in, else 0 */
	bool notnull, generated, is_enum;
	bool longable;   /* bytea/text/varchar: long values fetched in pieces */
	bool text;       /* longable and text (pieces by characters) */
	size_t nlabels;
	char **labels;
} pcol;

typedef struct extract {
	/* options */
	char *conninfo;
	char *target;
	char *want_schema, *want_table; /* the name as given, split */
	bool quoted_schema, quoted_table;
	cli_range range; /* --columns, --where, --after, --until, --limit (cli.h) */
	bool unordered; /* --unordered: no ORDER BY */
	rs_writer_opts wo;
	bool force;
	/* catalog */
	PGconn *c, *c2;
	char *snapshot;
	const char *import_snapshot; /* --snapshot: read in a snapshot another session exported */
	uint32_t reloid;
	char relkind;
	char *schema, *table, *qtable;
	size_t ncols;
	pcol *cols;
	size_t npk;
	size_t *pk;     /* column indexes of the primary key, in key order */
	size_t nout;
	size_t *out;    /* column index of each output column */
	size_t *lenpos; /* per output column: COPY field of its octet_length(), or SIZE_MAX */
	size_t nfields; /* fields per COPY row */
	size_t *pkpos;  /* COPY field of each locator column: the primary key, else tableoid and ctid */
	size_t nloc;    /* locator columns: npk, or 2 (tableoid, ctid) without a primary key */
	uint64_t long_inline, piece_bytes;
	bool key_in_output;
	bool utf8_server;
	/* output */
	rs_header *h;
	rs_writer *w;
	uint64_t rows, big_values, big_bytes;
	buf piece_sql;
} extract;

/* ---------------------------------------------------------------- extract.c */

/* the whole run, with x's options set */
px_status px_run(extract *x);
void px_free(extract *x);

/* ---------------------------------------------------------------- catalog.c */

bool px_resolve_table(extract *x);
bool px_read_columns(extract *x);
px_status px_plan_columns(extract *x);
bool px_make_header(extract *x);

/* ---------------------------------------------------------------- query.c */

/* the COPY (after px_plan_columns): x->lenpos, x->pkpos, x->nfields say where each field is */
px_status px_build_query(extract *x, buf *q);
/* locator column k (quoted, for connection c) and its type OID */
bool px_loc_ident(buf *q, const extract *x, PGconn *c, size_t k);
uint32_t px_loc_type(const extract *x, size_t k);

/* ---------------------------------------------------------------- copy.c */

typedef struct px_field {
	const uint8_t *p;
	int32_t len; /* -1: NULL */
} px_field;

/* one tuple of COPY binary data at c (after the file header), nfields fields into f:
 * 1 a row, 0 the trailer, -1 malformed, -2 incomplete (c unchanged is the caller's job) */
int px_parse_tuple(cursor *c, size_t nfields, px_field *f);
/* runs the COPY sql and writes its rows into x->w */
px_status px_run_copy(extract *x, const char *sql);

/* ---------------------------------------------------------------- pieces.c */

/* the value of output column i (total bytes) of the row whose locator fields (COPY bytes)
 * are pkv/pkl, streamed into x->w */
bool px_fetch_pieces(extract *x, size_t i, uint64_t total, const uint8_t *const *pkv, const int *pkl);

#endif
