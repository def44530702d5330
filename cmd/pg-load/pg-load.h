/*
 * pg-load.h - internal interfaces of pg-load (one binary, these modules):
 *   main.c    command line, modes, exit codes
 *   target.c  the target table: name resolution, --create, column mapping and type
 *             checks, --describe, the rowstream.checkpoints table
 *   spool.c   the current batch's rows as binary COPY tuples in a temporary file
 *   load.c    batches: COPY, checkpoint, commit (its helpers share loader.h:)
 *   isolate.c   reject isolation: a refused batch row by row under savepoints
 *   recover.c   reconnection after a lost connection; did the batch commit?
 *   resume.c    a stream against the table's checkpoint: does it start after it?
 */
#ifndef PG_LOAD_H
#define PG_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "buf.h"
#include "rejects.h"
#include "rowstream.h"

#define SIDE "target"

/* outcome of an operation against the target */
typedef enum {
	PL_OK = 0,
	PL_FATAL,  /* error logged; give up (EXIT_TARGET unless said otherwise) */
	PL_LOST,   /* connection lost: reconnect and retry the batch */
	PL_LIMIT,  /* --max-rejects exceeded */
	PL_STREAM, /* the input stream failed */
	PL_IO,     /* local I/O error (spool, rejects file) */
	PL_USAGE,  /* refused: the stream does not fit the table's checkpoint */
} pl_status;

typedef struct options {
	const char *conninfo;
	const char *table; /* as given, NULL: the stream's */
	const char *rejects_path;
	const char *chunk; /* checkpoint name within the table, "" by default */
	bool create, truncate, no_checkpoint, progress;
	uint64_t batch_rows, batch_bytes, max_rejects;
	unsigned retries;
} options;

/* ---------------------------------------------------------------- target.c */

typedef struct target_col {
	char *name;
	uint32_t type;      /* pg_attribute.atttypid */
	uint32_t base;      /* type with domains resolved */
	char *type_name;    /* format_type(atttypid, atttypmod) */
	char *base_name;    /* format_type of the base type with its typmod */
	int base_typmod;
	char typtype;       /* of the base type: b, e (enum), c, r, m... */
	bool is_array;      /* base type is an array */
	uint32_t elem;      /* its element type */
	bool elem_enum;     /* the element type is an enum */
	bool collatable;
	bool notnull, has_default, generated, identity;
	bool used;          /* a stream column maps to it */
} target_col;

typedef struct target {
	char *schema, *table; /* resolved names */
	uint32_t oid;
	char *qname;          /* "schema"."table", quoted */
	size_t ncols;
	target_col *cols;
} target;

/* how each stream column is sent */
typedef struct col_plan {
	bool send;          /* in the COPY column list (not generated in the target) */
	int tcol;           /* target column index, -1 when not sent */
	uint32_t text_oid;  /* OID to render the value as text (pgtext) */
	bool text_array;    /* render with pgtext_format_array */
	uint32_t patch_elem; /* nonzero: overwrite an array's element type OID with this */
} col_plan;

/* the first connection: a failure that may be transient (pgconn_may_retry) is tried
 * again with the backoff of reconnections (0.5 s doubling to 30 s, o->retries times),
 * others fail at once; logs and returns NULL on failure */
PGconn *target_connect(const options *o);
/* session settings for bulk loading, after every (re)connect */
bool target_session(PGconn *c);
/* finds the table (exact names, else unique case-insensitive match); *found false when
 * absent. schema NULL: the search path */
bool target_find(PGconn *c, const char *schema, const char *table, bool qs, bool qt, target *t, bool *found);
bool target_create(PGconn *c, const char *schema, const char *table, const rs_header *h);
void target_free(target *t);
/* maps stream columns to target columns and checks their types; plan has h->ncols entries */
bool target_plan(PGconn *c, const target *t, const rs_header *h, col_plan *plan);
/* the rules file of --describe on stdout */
bool target_describe(PGconn *c, const target *t);

/* checkpoints */
typedef struct checkpoint {
	bool exists;      /* a row for this table and chunk */
	bool valid;       /* ... and it is for this table (same OID) */
	bool has_key;
	char *last_key;
	uint64_t rows, rejected, batches;
	bool complete;
	char *load_id;
	char *updated_at;
	char *source;
} checkpoint;

bool checkpoint_table_exists(PGconn *c, bool *exists);
bool checkpoint_ensure_table(PGconn *c);
bool checkpoint_read(PGconn *c, const target *t, const char *chunk, checkpoint *cp);
void checkpoint_free(checkpoint *cp);
/* deletes the checkpoint(s) of the table: one chunk, or all when chunk is NULL */
bool checkpoint_delete(PGconn *c, const target *t, const char *chunk);
/* session-level advisory lock for (table, chunk); *got false when another session has it */
bool checkpoint_lock(PGconn *c, const target *t, const char *chunk, bool *got);

/* ---------------------------------------------------------------- spool.c */

typedef struct spool spool;

spool *spool_new(void);
void spool_free(spool *s);
bool spool_reset(spool *s);
/* a new row starts (for the row index) */
void spool_row(spool *s);
bool spool_append(spool *s, const void *p, size_t n);
uint64_t spool_rows(const spool *s);
uint64_t spool_bytes(const spool *s);

/* a sequential reader over the spooled rows */
typedef struct spool_cursor spool_cursor;
/* positioned at the start of row `row`; NULL on I/O error (logged) */
spool_cursor *spool_cursor_new(spool *s, uint64_t row);
void spool_cursor_free(spool_cursor *cur);
/* small reads (headers): pointer valid until the next call; NULL on error */
const uint8_t *spool_cursor_take(spool_cursor *cur, size_t n);
/* reads n bytes in pieces of at most the cursor's buffer, calling sink for each */
bool spool_cursor_pass(spool_cursor *cur, uint64_t n, bool (*sink)(void *ctx, const uint8_t *p, size_t n),
                       void *ctx);

/* ---------------------------------------------------------------- load.c */

typedef struct load_stats {
	uint64_t rows;     /* committed rows */
	uint64_t rejected; /* rows in the rejects (committed batches) */
	uint64_t batches;
	uint64_t reconnects;
} load_stats;

/* loads the stream of r into t (plan from target_plan); *conn may be replaced */
pl_status load_run(PGconn **conn, const options *o, const target *t, rs_reader *r, const col_plan *plan,
                   const checkpoint *cp, rejects *rj, load_stats *st);

/* renders a stream value as text for keys and messages (pgtext; hex when malformed) */
void load_value_text(buf *out, const col_plan *p, const void *data, size_t len);

#endif
