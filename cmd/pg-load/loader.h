/*
 * loader.h - the loader's state and the steps its modules share (private to load.c,
 * isolate.c, recover.c, resume.c; pg-load.h has the tool's interfaces).
 *
 * Steps return a pl_status or PL_REJECTABLE and log their errors once.
 */
#ifndef LOADER_H
#define LOADER_H

#include <stdbool.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "buf.h"
#include "pg-load.h"

/* statuses internal to the loader, after pl_status */
enum { PL_REJECTABLE = 100 };

typedef struct pending_reject {
	uint64_t row; /* within the batch */
	char *reason;
	char *column;
} pending_reject;

typedef struct loader {
	PGconn **conn;
	const options *o;
	const target *t;
	rs_reader *r;
	const rs_header *h;
	const col_plan *plan;
	const checkpoint *cp;
	rejects *rj;
	load_stats *st;
	spool *sp;
	char *copy_sql;
	int nsend;
	size_t *field_col; /* stream column of each COPY field */
	bool checkpoints;  /* keep rowstream.checkpoints */
	bool batching;     /* commit batch by batch (the table has a key) */
	bool truncate_pending;
	char load_id[40];
	uint64_t base_rows, base_rejected, base_batches;
	/* the current batch */
	uint64_t batch_rows, batch_bytes;
	buf last_key;
	bool have_last_key;
	bool commit_sent;
	pending_reject *pend;
	size_t npend, cappend;
	/* the COPY in progress */
	buf out, tup;
	bool send_failed;
	uint8_t *piece;
	/* progress */
	bool progress, progress_tty;
	double t0, last_progress;
	const char *rows_estimate;
} loader;

/* ---------------------------------------------------------------- load.c */

/* key text of a decoded key (nkey values in key column order) */
void load_key_text(loader *L, buf *out, const rs_value *kv);
/* key text of the reader's current row */
void load_current_key_text(loader *L, buf *out);
/* key and row text of spooled row `row` of the batch (for rejects and messages) */
bool load_spooled_row_text(loader *L, uint64_t row, buf *key, buf *rowtext);
/* runs a statement; PL_OK, PL_LOST or PL_FATAL (logged) */
int load_exec(loader *L, const char *sql, int nparams, const char *const *params);
void load_rollback(loader *L);
/* rows [a, b) of the spool as one COPY; PL_OK, PL_REJECTABLE (*err set), PL_LOST, PL_FATAL, PL_IO */
int load_copy_rows(loader *L, uint64_t a, uint64_t b, PGresult **err);
/* BEGIN, and the TRUNCATE of --truncate with the first batch */
int load_begin(loader *L);
void load_pending_clear(loader *L);
/* upserts the checkpoint and commits; PL_REJECTABLE: a deferred constraint refused it */
int load_commit(loader *L, bool final);

/* ---------------------------------------------------------------- isolate.c */

/* after a refused COPY of the whole batch (err, rolled back): load it row-safely */
int isolate_batch(loader *L, bool final, PGresult *err);

/* ---------------------------------------------------------------- recover.c */

/* after a lost connection: a new one in *L->conn; *committed when the batch in flight
 * had committed */
int recover_connection(loader *L, bool *committed);

/* ---------------------------------------------------------------- resume.c */

/* the reader is on the first row: refuses (PL_USAGE, PL_STREAM) a stream that does not
 * start after the table's checkpoint */
int resume_check(loader *L);

#endif
