/*
 * load.c - batches: COPY, checkpoint and commit, reject isolation, reconnection.
 *
 * One batch is one transaction:
 *     BEGIN; [TRUNCATE (first batch, --truncate)];
 *     COPY t (cols) FROM STDIN (FORMAT binary);     -- streamed as rows arrive
 *     INSERT INTO rowstream.checkpoints ... ON CONFLICT DO UPDATE;  -- last key, counts
 *     COMMIT;
 * A batch ends after --batch-rows rows or --batch-bytes bytes, at the end of a
 * stream block (whose last key the block carries). Its rows are also written
 * to the spool (spool.c) so that the batch can be sent again:
 *   - the server refuses a row (SQLSTATE class 22, 23, P0, or 08P01 for a
 *     malformed value): the transaction is rolled back and the batch replayed
 *     inside one new transaction, each attempt under a SAVEPOINT: the rows
 *     before the failing line (the server names it in its error context) load
 *     at once, the failing row alone is tried and rejected, the rest goes on;
 *     without a line number the range is halved;
 *   - the connection is lost: reconnect with backoff, read the checkpoint
 *     (did the COMMIT land?), and replay the batch when it did not;
 *   - the input stream fails: PQputCopyEnd with the reason, rollback.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "keyorder.h"
#include "keytext.h"
#include "cli.h"
#include "log.h"
#include "pg-load.h"
#include "pgconn.h"
#include "pgtext.h"
#include "state.h"

#define COPY_FLUSH (256u << 10)
#define PIECE (1u << 20)
#define ROW_TEXT_MAX (1u << 20) /* larger values appear in reject rows as "<N bytes>" */

/* statuses internal to this file, after pl_status */
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


/* ---------------------------------------------------------------- values as text */

void load_value_text(buf *out, const col_plan *p, const void *data, size_t len)
{
	bool ok = p->text_array && !pgtext_known(p->text_oid) ? pgtext_format_array(out, data, len)
	                                                       : pgtext_format(out, p->text_oid, data, len);
	if (!ok) {
		/* not a valid value of its type: show the bytes rather than lose them */
		const uint8_t *b = data;
		buf_puts(out, "\\x");
		for (size_t i = 0; i < len; i++)
			buf_printf(out, "%02x", b[i]);
	}
}

/* key text of a decoded key (nkey values in key column order) */
static void key_text(loader *L, buf *out, const rs_value *kv)
{
	size_t n = L->h->nkey;
	buf *texts = xcalloc(n, sizeof *texts);
	const char **vals = xcalloc(n, sizeof *vals);
	size_t *lens = xcalloc(n, sizeof *lens);
	for (size_t k = 0; k < n; k++) {
		buf_init(&texts[k]);
		if (kv[k].chunked)
			buf_printf(&texts[k], "<%" PRIu64 " bytes>", kv[k].len);
		else
			load_value_text(&texts[k], &L->plan[L->h->key[k]], kv[k].data, (size_t)kv[k].len);
		vals[k] = (const char *)texts[k].data ? (const char *)texts[k].data : "";
		lens[k] = texts[k].len;
	}
	buf_reset(out);
	keytext_format(out, vals, lens, n);
	for (size_t k = 0; k < n; k++)
		buf_free(&texts[k]);
	free(texts);
	free(vals);
	free(lens);
}

/* key text of the reader's current row */
static void current_key_text(loader *L, buf *out)
{
	const rs_value *v = rs_reader_values(L->r);
	rs_value *kv = xcalloc(L->h->nkey, sizeof *kv);
	for (size_t k = 0; k < L->h->nkey; k++)
		kv[k] = v[L->h->key[k]];
	key_text(L, out, kv);
	free(kv);
}

/* key and row text of spooled row `row` of the batch (for rejects and messages) */
static bool spooled_row_text(loader *L, uint64_t row, buf *key, buf *rowtext)
{
	spool_cursor *cur = spool_cursor_new(L->sp, row);
	if (!cur)
		return false;
	size_t n = L->h->ncols;
	buf *texts = xcalloc(n, sizeof *texts);
	rs_value *vals = xcalloc(n, sizeof *vals);
	for (size_t i = 0; i < n; i++) {
		buf_init(&texts[i]);
		vals[i].null = true; /* columns not sent (generated in the target) */
	}
	bool ok = true;
	const uint8_t *p = spool_cursor_take(cur, 2);
	int nf = p ? (int16_t)rd_u16be(p) : -1;
	ok = nf == L->nsend;
	for (int f = 0; ok && f < nf; f++) {
		size_t col = L->field_col[f];
		if (!(p = spool_cursor_take(cur, 4))) {
			ok = false;
			break;
		}
		int32_t len = (int32_t)rd_u32be(p);
		if (len < 0)
			continue;
		vals[col].null = false;
		if ((uint32_t)len > ROW_TEXT_MAX) {
			vals[col].chunked = true;
			vals[col].len = (uint64_t)len;
			ok = spool_cursor_pass(cur, (uint64_t)len, NULL, NULL);
			continue;
		}
		const uint8_t *d = len ? spool_cursor_take(cur, (size_t)len) : (const uint8_t *)"";
		if (!d) {
			ok = false;
			break;
		}
		load_value_text(&texts[col], &L->plan[col], d, (size_t)len);
		vals[col].data = texts[col].data ? texts[col].data : (const uint8_t *)"";
		vals[col].len = texts[col].len;
	}
	spool_cursor_free(cur);
	if (ok) {
		if (key) {
			/* the texts are already rendered: format them as they are */
			const char **kvals = xcalloc(L->h->nkey ? L->h->nkey : 1, sizeof *kvals);
			size_t *klens = xcalloc(L->h->nkey ? L->h->nkey : 1, sizeof *klens);
			for (size_t k = 0; k < L->h->nkey; k++) {
				const rs_value *v = &vals[L->h->key[k]];
				kvals[k] = v->data ? (const char *)v->data : "";
				klens[k] = (size_t)v->len;
			}
			buf_reset(key);
			keytext_format(key, kvals, klens, L->h->nkey);
			free(kvals);
			free(klens);
		}
		if (rowtext) {
			buf_reset(rowtext);
			rejects_format_values(rowtext, vals, NULL, n);
		}
	} else {
		log_error("batch spool file: row %" PRIu64 " is malformed", row);
	}
	for (size_t i = 0; i < n; i++)
		buf_free(&texts[i]);
	free(texts);
	free(vals);
	return ok;
}

/* ---------------------------------------------------------------- progress */

static void progress(loader *L, bool final)
{
	if (!L->progress)
		return;
	double t = cli_now();
	if (!final && t - L->last_progress < (L->progress_tty ? 0.5 : 10.0))
		return;
	L->last_progress = t;
	double el = t - L->t0;
	uint64_t rows = L->st->rows + (final ? 0 : L->batch_rows); /* at the end, batches are counted */
	double mb = (double)rs_reader_offset(L->r) / 1e6;
	double rate = el > 0 ? (double)rows / el : 0;
	buf line;
	buf_init(&line);
	buf_printf(&line, "%s%s: %s: %" PRIu64 " rows, %.1f MB, %.0f rows/s", L->progress_tty ? "\r" : "", log_progname,
	           L->t->qname, rows, mb, rate);
	if (L->rows_estimate && rate > 0) {
		double est = strtod(L->rows_estimate, NULL);
		if (est > (double)rows) {
			long eta = lround((est - (double)rows) / rate);
			buf_printf(&line, ", ETA %ld:%02ld:%02ld", eta / 3600, eta / 60 % 60, eta % 60);
		}
	}
	if (L->progress_tty)
		buf_puts(&line, "\033[K");
	if (!L->progress_tty || final)
		buf_putc(&line, '\n');
	ssize_t w = write(STDERR_FILENO, line.data, line.len);
	(void)w;
	buf_free(&line);
}

/* ---------------------------------------------------------------- statements */

static bool rejectable(const char *state)
{
	return strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0 || strncmp(state, "P0", 2) == 0 ||
	       strcmp(state, "08P01") == 0;
}

static bool lost(loader *L, const PGresult *res)
{
	/* not 08P01 "insufficient data left in message" (a malformed value) on a live connection */
	return pgconn_is_lost(*L->conn, res);
}

/* classifies a failed result; logs fatal errors with what */
static int failure(loader *L, PGresult *res, const char *what)
{
	if (lost(L, res)) {
		buf e;
		buf_init(&e);
		pgconn_format_error(&e, SIDE, *L->conn, res);
		log_warn("connection lost (%s): %s", what, buf_cstr(&e));
		buf_free(&e);
		return PL_LOST;
	}
	if (rejectable(pgconn_sqlstate(res)))
		return PL_REJECTABLE;
	pgconn_log_error(SIDE, *L->conn, res, what);
	return PL_FATAL;
}

/* runs a statement; PL_OK, PL_LOST or PL_FATAL (logged) */
static int run(loader *L, const char *sql, int nparams, const char *const *params)
{
	PGresult *res = PQexecParams(*L->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	int s = PL_OK;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		s = failure(L, res, sql);
		if (s == PL_REJECTABLE) {
			pgconn_log_error(SIDE, *L->conn, res, sql);
			s = PL_FATAL;
		}
	}
	PQclear(res);
	return s;
}

static void rollback(loader *L)
{
	if (*L->conn && PQstatus(*L->conn) == CONNECTION_OK && PQtransactionStatus(*L->conn) != PQTRANS_IDLE) {
		PGresult *res = PQexec(*L->conn, "ROLLBACK");
		PQclear(res);
	}
}

/* ---------------------------------------------------------------- COPY */

static bool copy_flush(loader *L)
{
	if (L->send_failed) {
		L->out.len = 0;
		return false;
	}
	if (L->out.len && PQputCopyData(*L->conn, (const char *)L->out.data, (int)L->out.len) != 1) {
		log_debug("[%s] sending COPY data failed: %s", SIDE, PQerrorMessage(*L->conn));
		L->send_failed = true;
	}
	L->out.len = 0;
	return !L->send_failed;
}

static bool copy_put(loader *L, const void *p, size_t n)
{
	if (L->send_failed)
		return false;
	buf_append(&L->out, p, n);
	if (L->out.len >= COPY_FLUSH)
		return copy_flush(L);
	return true;
}

/* starts COPY FROM STDIN and queues the binary COPY header */
static int copy_start(loader *L)
{
	L->out.len = 0;
	L->send_failed = false;
	PGresult *res = PQexec(*L->conn, L->copy_sql);
	int s = PL_OK;
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		s = failure(L, res, L->copy_sql);
		if (s == PL_REJECTABLE) {
			pgconn_log_error(SIDE, *L->conn, res, L->copy_sql);
			s = PL_FATAL;
		}
	}
	PQclear(res);
	if (s == PL_OK) {
		/* signature, flags field, header extension length */
		buf_append(&L->out, "PGCOPY\n\377\r\n\0", 11);
		buf_put_u32be(&L->out, 0);
		buf_put_u32be(&L->out, 0);
	}
	return s;
}

/* ends the COPY (errmsg non-NULL: abort it with that reason); *err keeps a failed result */
static int copy_end(loader *L, const char *errmsg, PGresult **err)
{
	*err = NULL;
	if (!errmsg) {
		buf_put_u16be(&L->out, 0xFFFF); /* trailer: field count -1 */
		copy_flush(L);
	}
	int s = PL_OK;
	if (PQputCopyEnd(*L->conn, errmsg) != 1) {
		log_debug("[%s] ending COPY failed: %s", SIDE, PQerrorMessage(*L->conn));
		L->send_failed = true;
	}
	PGresult *res;
	bool got = false;
	while ((res = PQgetResult(*L->conn))) {
		ExecStatusType st = PQresultStatus(res);
		if (st == PGRES_COPY_IN) {
			/* the end did not go through: the connection is gone */
			PQclear(res);
			s = PL_LOST;
			break;
		}
		if (!got) {
			got = true;
			if (st != PGRES_COMMAND_OK && !errmsg) {
				s = failure(L, res, "COPY");
				*err = res;
				continue;
			}
		}
		PQclear(res);
	}
	if (!got && s == PL_OK && !errmsg)
		s = PQstatus(*L->conn) == CONNECTION_OK ? PL_FATAL : PL_LOST;
	if (s == PL_FATAL && !*err)
		log_error("[%s] COPY ended without a result: %s", SIDE, PQerrorMessage(*L->conn));
	if (s != PL_REJECTABLE && *err) {
		PQclear(*err);
		*err = NULL;
	}
	return s;
}

static bool sink_copy(void *ctx, const uint8_t *p, size_t n)
{
	return copy_put(ctx, p, n);
}

/* rows [a, b) of the spool as one COPY; PL_OK, PL_REJECTABLE (*err set), PL_LOST, PL_FATAL, PL_IO */
static int copy_rows(loader *L, uint64_t a, uint64_t b, PGresult **err)
{
	*err = NULL;
	int s = copy_start(L);
	if (s != PL_OK)
		return s;
	spool_cursor *cur = spool_cursor_new(L->sp, a);
	if (!cur) {
		PGresult *e;
		copy_end(L, "pg-load: batch spool file unreadable", &e);
		PQclear(e);
		return PL_IO;
	}
	bool ok = true;
	for (uint64_t row = a; ok && row < b && !L->send_failed; row++) {
		const uint8_t *p = spool_cursor_take(cur, 2);
		if (!p) {
			ok = false;
			break;
		}
		int nf = (int16_t)rd_u16be(p);
		copy_put(L, p, 2);
		for (int f = 0; ok && f < nf; f++) {
			if (!(p = spool_cursor_take(cur, 4))) {
				ok = false;
				break;
			}
			int32_t len = (int32_t)rd_u32be(p);
			copy_put(L, p, 4);
			if (len > 0)
				ok = spool_cursor_pass(cur, (uint64_t)len, sink_copy, L) || L->send_failed;
		}
	}
	spool_cursor_free(cur);
	if (!ok) {
		PGresult *e;
		copy_end(L, "pg-load: batch spool file unreadable", &e);
		PQclear(e);
		return PL_IO;
	}
	return copy_end(L, NULL, err);
}

/* ---------------------------------------------------------------- the streaming pass */

/* value bytes of an array of a user type, with the element OID the target expects */
static void patch_elem(uint8_t *v, size_t len, size_t at, uint32_t elem)
{
	/* bytes 8..11 of the value hold the element type OID; v holds bytes at..at+len */
	uint8_t oid[4] = {(uint8_t)(elem >> 24), (uint8_t)(elem >> 16), (uint8_t)(elem >> 8), (uint8_t)elem};
	for (size_t k = 8; k < 12; k++)
		if (k >= at && k < at + len)
			v[k - at] = oid[k - 8];
}

/* spools and sends bytes of the current row, in pieces of at most COPY_FLUSH bytes so that
 * neither the COPY buffer nor libpq's output buffer grows with the size of a value */
static bool emit(loader *L, const void *p, size_t n)
{
	const uint8_t *q = p;
	while (n > 0) {
		size_t k = n < COPY_FLUSH ? n : COPY_FLUSH;
		if (!spool_append(L->sp, q, k))
			return false;
		copy_put(L, q, k);
		L->batch_bytes += k;
		q += k;
		n -= k;
	}
	return true;
}

/* the reader's current row as a COPY tuple; PL_OK, PL_STREAM, PL_IO */
static int put_row(loader *L)
{
	const rs_value *v = rs_reader_values(L->r);
	spool_row(L->sp);
	buf *tup = &L->tup;
	tup->len = 0;
	buf_put_u16be(tup, (uint16_t)L->nsend);
	for (int f = 0; f < L->nsend; f++) {
		size_t i = L->field_col[f];
		const col_plan *p = &L->plan[i];
		if (v[i].null) {
			buf_put_u32be(tup, 0xFFFFFFFFu);
			continue;
		}
		if (v[i].len > INT32_MAX) {
			log_error("column '%s': value of %" PRIu64 " bytes is larger than PostgreSQL accepts",
			          L->h->cols[i].name, v[i].len);
			return PL_STREAM;
		}
		buf_put_u32be(tup, (uint32_t)v[i].len);
		if (!v[i].chunked && v[i].len > COPY_FLUSH && !p->patch_elem) {
			/* a long value of the block: sent from the block, not copied into the tuple */
			if (!emit(L, tup->data, tup->len) || !emit(L, v[i].data, (size_t)v[i].len))
				return PL_IO;
			tup->len = 0;
			continue;
		}
		if (!v[i].chunked) {
			size_t at = tup->len;
			buf_append(tup, v[i].data, (size_t)v[i].len);
			if (p->patch_elem)
				patch_elem(tup->data + at, (size_t)v[i].len, 0, p->patch_elem);
			continue;
		}
		/* a large value: through a piece buffer, never whole in memory */
		if (!emit(L, tup->data, tup->len))
			return PL_IO;
		tup->len = 0;
		uint64_t done = 0;
		long long n;
		while ((n = rs_reader_value_read(L->r, i, L->piece, PIECE)) > 0) {
			if (p->patch_elem)
				patch_elem(L->piece, (size_t)n, (size_t)done, p->patch_elem);
			if (!emit(L, L->piece, (size_t)n))
				return PL_IO;
			done += (uint64_t)n;
		}
		if (n < 0)
			return PL_STREAM;
	}
	return emit(L, tup->data, tup->len) ? PL_OK : PL_IO;
}

/* ---------------------------------------------------------------- transactions */

static int begin(loader *L)
{
	L->commit_sent = false;
	int s = run(L, "BEGIN", 0, NULL);
	if (s == PL_OK && L->truncate_pending) {
		buf sql;
		buf_init(&sql);
		buf_printf(&sql, "TRUNCATE %s", L->t->qname);
		s = run(L, buf_cstr(&sql), 0, NULL);
		buf_free(&sql);
		if (s == PL_OK && L->checkpoints) {
			const char *params[] = {L->t->schema, L->t->table};
			s = run(L, "DELETE FROM " STATE_CHECKPOINTS " WHERE target_schema = $1 AND target_table = $2", 2, params);
		}
	}
	return s;
}

static void pending_clear(loader *L)
{
	for (size_t i = 0; i < L->npend; i++) {
		free(L->pend[i].reason);
		free(L->pend[i].column);
	}
	L->npend = 0;
}

/* upserts the checkpoint and commits (batch_committed() then counts the batch) */
static int commit(loader *L, bool final)
{
	uint64_t good = L->batch_rows - L->npend;
	int s = PL_OK;
	if (L->checkpoints) {
		char oid[16], rows[24], rej[24], batches[24];
		snprintf(oid, sizeof oid, "%" PRIu32, L->t->oid);
		snprintf(rows, sizeof rows, "%" PRIu64, L->base_rows + L->st->rows + good);
		snprintf(rej, sizeof rej, "%" PRIu64, L->base_rejected + L->st->rejected + L->npend);
		snprintf(batches, sizeof batches, "%" PRIu64, L->st->batches + 1);
		buf source;
		buf_init(&source);
		if (*L->h->schema)
			buf_printf(&source, "%s.", L->h->schema);
		buf_puts(&source, L->h->table);
		const char *src_meta = rs_header_meta(L->h, "source");
		if (src_meta)
			buf_printf(&source, " (%s)", src_meta);
		/* an empty batch keeps the key it had */
		const char *key = L->have_last_key ? buf_cstr(&L->last_key) : NULL;
		const char *params[] = {L->t->schema, L->t->table, L->o->chunk, oid,   key,    rows,
		                        rej,          batches,     final ? "t" : "f", buf_cstr(&source), L->load_id};
		s = run(L,
		        "INSERT INTO " STATE_CHECKPOINTS " AS c (target_schema, target_table, chunk, target_oid, last_key, "
		        "rows_loaded, rows_rejected, batches, complete, source, load_id, updated_at) "
		        "VALUES ($1, $2, $3, $4::oid, $5, $6::bigint, $7::bigint, $8::bigint, $9::boolean, $10, $11, now()) "
		        "ON CONFLICT (target_schema, target_table, chunk) DO UPDATE SET target_oid = EXCLUDED.target_oid, "
		        "last_key = coalesce(EXCLUDED.last_key, CASE WHEN c.target_oid = EXCLUDED.target_oid THEN c.last_key END), "
		        "rows_loaded = EXCLUDED.rows_loaded, rows_rejected = EXCLUDED.rows_rejected, "
		        "batches = EXCLUDED.batches, complete = EXCLUDED.complete, source = EXCLUDED.source, "
		        "load_id = EXCLUDED.load_id, updated_at = EXCLUDED.updated_at",
		        11, params);
		buf_free(&source);
		if (s != PL_OK)
			return s;
	}
	L->commit_sent = true;
	PGresult *res = PQexec(*L->conn, "COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		s = failure(L, res, "COMMIT");
		PQclear(res);
		return s; /* PL_REJECTABLE: a deferred constraint */
	}
	if (strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		log_error("[%s] the batch transaction was rolled back by the server", SIDE);
		PQclear(res);
		return PL_FATAL;
	}
	PQclear(res);
	return PL_OK;
}

/* ---------------------------------------------------------------- rejects */

/* the line of the failing row in the COPY error context ("COPY t, line 3, column x") */
static uint64_t error_line(loader *L, const PGresult *res)
{
	const char *ctx = PQresultErrorField(res, PG_DIAG_CONTEXT);
	if (!ctx)
		return 0;
	buf pat;
	buf_init(&pat);
	buf_printf(&pat, "COPY %s, line ", L->t->table);
	uint64_t line = 0;
	const char *p = ctx;
	while ((p = strstr(p, buf_cstr(&pat)))) {
		p += pat.len;
		char *end;
		unsigned long long v = strtoull(p, &end, 10);
		if (end != p && (*end == 0 || *end == ',' || *end == '\n'))
			line = v;
	}
	buf_free(&pat);
	return line;
}

static int reject(loader *L, uint64_t row, const PGresult *err)
{
	if (L->npend == L->cappend) {
		L->cappend = L->cappend ? 2 * L->cappend : 16;
		L->pend = xrealloc(L->pend, L->cappend * sizeof *L->pend);
	}
	buf reason;
	buf_init(&reason);
	pgconn_format_error(&reason, SIDE, *L->conn, err);
	const char *col = PQresultErrorField(err, PG_DIAG_COLUMN_NAME);
	pending_reject *pr = &L->pend[L->npend++];
	pr->row = row;
	pr->reason = xstrdup(buf_cstr(&reason));
	pr->column = col ? xstrdup(col) : NULL;
	buf_free(&reason);
	if (L->st->rejected + L->npend <= L->o->max_rejects)
		return PL_OK;
	buf key, text;
	buf_init(&key);
	buf_init(&text);
	if (spooled_row_text(L, row, &key, &text)) {
		if (L->h->nkey)
			log_error("row with key %s refused: %s", buf_cstr(&key), pr->reason);
		else
			log_error("row %s refused: %s", buf_cstr(&text), pr->reason);
	}
	log_error("more than %" PRIu64 " rejected row%s (--max-rejects): stopping; nothing of the current batch is "
	          "committed",
	          L->o->max_rejects, L->o->max_rejects == 1 ? "" : "s");
	buf_free(&key);
	buf_free(&text);
	return PL_LIMIT;
}

/* loads rows [a, b) of the batch under savepoints, rejecting the rows the server refuses.
 * known: the failure of a COPY of exactly [a, b) in the same state, not to be repeated */
static int isolate(loader *L, uint64_t a, uint64_t b, PGresult *known)
{
	while (a < b) {
		PGresult *err = known;
		known = NULL;
		if (!err) {
			int s = run(L, "SAVEPOINT pg_load", 0, NULL);
			if (s != PL_OK)
				return s;
			s = copy_rows(L, a, b, &err);
			if (s == PL_OK)
				return run(L, "RELEASE SAVEPOINT pg_load", 0, NULL);
			if (s != PL_REJECTABLE)
				return s;
			s = run(L, "ROLLBACK TO SAVEPOINT pg_load", 0, NULL);
			if (s == PL_OK)
				s = run(L, "RELEASE SAVEPOINT pg_load", 0, NULL);
			if (s != PL_OK) {
				PQclear(err);
				return s;
			}
		}
		if (b - a == 1) {
			int s = reject(L, a, err);
			PQclear(err);
			return s;
		}
		uint64_t line = error_line(L, err);
		PQclear(err);
		if (line >= 1 && line <= b - a) {
			uint64_t bad = a + line - 1;
			int s = bad > a ? isolate(L, a, bad, NULL) : PL_OK;
			if (s == PL_OK)
				s = isolate(L, bad, bad + 1, NULL);
			if (s != PL_OK)
				return s;
			a = bad + 1;
		} else {
			uint64_t mid = a + (b - a) / 2;
			int s = isolate(L, a, mid, NULL);
			if (s != PL_OK)
				return s;
			a = mid;
		}
	}
	return PL_OK;
}

/* after a refused COPY of the whole batch (err, rolled back): load it row-safely */
static int isolate_batch(loader *L, bool final, PGresult *err)
{
	pending_clear(L);
	log_info("the target refused a row of batch %" PRIu64 ": isolating it", L->st->batches + 1);
	int s = begin(L);
	if (s == PL_OK)
		s = run(L, "SET CONSTRAINTS ALL IMMEDIATE", 0, NULL);
	if (s == PL_OK)
		s = isolate(L, 0, L->batch_rows, err);
	else
		PQclear(err);
	if (s == PL_OK)
		s = commit(L, final);
	if (s == PL_REJECTABLE) {
		/* refused at COMMIT although every COPY passed: no row to blame */
		log_error("[%s] the batch was refused at commit", SIDE);
		s = PL_FATAL;
	}
	if (s != PL_OK && s != PL_LOST)
		rollback(L);
	return s;
}

/* ---------------------------------------------------------------- reconnecting */

static int recover(loader *L, bool *committed)
{
	*committed = false;
	bool commit_sent = L->commit_sent;
	pgconn_close(*L->conn);
	*L->conn = NULL;
	double delay = 0.5;
	PGconn *c = NULL;
	buf err;
	buf_init(&err);
	for (unsigned attempt = 1; attempt <= L->o->retries && !c; attempt++) {
		struct timespec ts = {(time_t)delay, (long)((delay - floor(delay)) * 1e9)};
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		buf_reset(&err);
		c = pgconn_try_connect(L->o->conninfo, &err);
		if (!c)
			log_warn("[%s] reconnection attempt %u of %u failed: %s", SIDE, attempt, L->o->retries, buf_cstr(&err));
		delay = delay * 2 > 30 ? 30 : delay * 2;
	}
	buf_free(&err);
	if (!c) {
		log_error("[%s] connection lost, and %u reconnection attempts failed", SIDE, L->o->retries);
		return PL_FATAL;
	}
	*L->conn = c;
	L->st->reconnects++;
	log_warn("[%s] reconnected", SIDE);
	if (!target_session(c))
		return PL_FATAL;
	/* the old session's lock goes when the server notices it is gone */
	bool got = false;
	for (int i = 0; i < 60 && !got; i++) {
		if (!checkpoint_lock(c, L->t, L->o->chunk, &got))
			return PL_FATAL;
		if (!got)
			sleep(1);
	}
	if (!got) {
		log_error("[%s] another session holds the load lock of %s", SIDE, L->t->qname);
		return PL_FATAL;
	}
	if (!L->checkpoints) {
		if (commit_sent) {
			log_error("[%s] the connection was lost while committing batch %" PRIu64 ": without checkpoints its "
			          "outcome cannot be known",
			          SIDE, L->st->batches + 1);
			return PL_FATAL;
		}
		return PL_OK;
	}
	checkpoint cp;
	if (!checkpoint_read(c, L->t, L->o->chunk, &cp))
		return PL_FATAL;
	bool ours = cp.exists && cp.load_id && strcmp(cp.load_id, L->load_id) == 0;
	uint64_t mine = L->st->batches;
	int s = PL_OK;
	if (ours && cp.batches == mine + 1) {
		*committed = true;
	} else if (!(ours ? cp.batches == mine : mine == 0)) {
		log_error("[%s] the checkpoint of %s changed during the load (%" PRIu64 " batches committed, checkpoint "
		          "has %" PRIu64 " of load %s): stopping",
		          SIDE, L->t->qname, mine, cp.batches, cp.load_id ? cp.load_id : "(none)");
		s = PL_FATAL;
	}
	checkpoint_free(&cp);
	return s;
}

/* counts a batch that committed and records its rejects */
static int batch_committed(loader *L)
{
	L->commit_sent = false;
	L->truncate_pending = false;
	int rs = PL_OK;
	buf key, row;
	buf_init(&key);
	buf_init(&row);
	for (size_t i = 0; i < L->npend && rs == PL_OK; i++) {
		const pending_reject *pr = &L->pend[i];
		if (!spooled_row_text(L, pr->row, &key, &row) ||
		    !rejects_add(L->rj, L->h->nkey ? buf_cstr(&key) : "", pr->column, pr->reason, NULL, 0, true,
		                 buf_cstr(&row))) {
			rs = PL_IO;
			break;
		}
		log_info("rejected row %s%s: %s", L->h->nkey ? "with key " : "", L->h->nkey ? buf_cstr(&key) : buf_cstr(&row),
		         pr->reason);
	}
	buf_free(&key);
	buf_free(&row);
	L->st->rows += L->batch_rows - L->npend;
	L->st->rejected += L->npend;
	L->st->batches++;
	log_debug("batch %" PRIu64 " committed: %" PRIu64 " rows, %zu rejected, last key %s", L->st->batches,
	          L->batch_rows - L->npend, L->npend, L->have_last_key ? buf_cstr(&L->last_key) : "(none)");
	pending_clear(L);
	return rs;
}

/* finishes the current batch whose COPY ended with status s (err: the refusal); commits it,
 * isolating refused rows and reconnecting as needed */
static int finish_batch(loader *L, bool final, int s, PGresult *err)
{
	unsigned recoveries = 0;
	bool deferred = false;
	for (;;) {
		if (s == PL_OK) {
			s = commit(L, final);
			if (s == PL_OK)
				s = batch_committed(L);
			else if (s == PL_REJECTABLE)
				deferred = true; /* a deferred constraint refused the COMMIT */
			if (s != PL_REJECTABLE && s != PL_LOST)
				break;
		} else if (s == PL_REJECTABLE) {
			rollback(L);
			s = isolate_batch(L, final, deferred ? NULL : err);
			if (deferred)
				PQclear(err);
			err = NULL;
			if (s == PL_OK)
				s = batch_committed(L);
			if (s != PL_LOST)
				break;
		} else if (s == PL_LOST) {
			PQclear(err);
			err = NULL;
			if (++recoveries > L->o->retries) {
				log_error("[%s] connection lost %u times during one batch: giving up", SIDE, recoveries);
				s = PL_FATAL;
				break;
			}
			bool committed;
			s = recover(L, &committed);
			if (s != PL_OK)
				break;
			if (committed) {
				log_info("batch %" PRIu64 " was committed before the connection was lost", L->st->batches + 1);
				s = batch_committed(L);
				break;
			}
			/* not committed: send the batch again from the spool */
			log_info("sending batch %" PRIu64 " again (%" PRIu64 " rows)", L->st->batches + 1, L->batch_rows);
			pending_clear(L);
			s = begin(L);
			if (s == PL_OK)
				s = copy_rows(L, 0, L->batch_rows, &err);
		} else {
			break;
		}
	}
	PQclear(err);
	if (s != PL_OK)
		rollback(L);
	return s;
}

/* ---------------------------------------------------------------- resuming */

/* a resumed stream's first row sorts after the checkpoint: its first block must end after it too
 * (later blocks: the reader checks that block keys increase, or differ where it cannot know their
 * order). Keys of a type whose order this side knows (keyorder.h) must not sort before the first
 * row; any key must not be the checkpoint's. */
static int check_first_block(loader *L)
{
	size_t klen, n = L->h->nkey;
	const uint8_t *k = rs_reader_block_key(L->r, &klen);
	rs_value *kv = xcalloc(2 * n, sizeof *kv);
	const rs_value *v = rs_reader_values(L->r);
	int s = PL_OK;
	if (klen && rs_decode_values(k, klen, n, kv)) {
		for (size_t i = 0; i < n; i++)
			kv[n + i] = v[L->h->key[i]];
		buf last;
		buf_init(&last);
		key_text(L, &last, kv);
		bool back = keyorder_agrees(L->h) && keyorder_cmp(L->h, kv, kv + n) < 0;
		if (back || strcmp(buf_cstr(&last), L->cp->last_key) == 0) {
			log_error("%s has a checkpoint at key %s; the stream starts after it but its first block ends at key %s, "
			          "%s: the stream is not in key order, nothing of it is loaded",
			          L->t->qname, L->cp->last_key, buf_cstr(&last), back ? "before its first row" : "the checkpoint");
			s = PL_STREAM;
		}
		buf_free(&last);
	}
	free(kv);
	return s;
}

static int check_resume(loader *L)
{
	const checkpoint *cp = L->cp;
	if (!L->checkpoints || L->o->truncate || !cp->exists)
		return PL_OK;
	if (!cp->valid) {
		log_warn("the checkpoint of %s was written for a table that has since been dropped: ignored",
		         L->t->qname);
		return PL_OK;
	}
	L->base_rows = cp->rows;
	L->base_rejected = cp->rejected;
	if (!cp->has_key) {
		if (cp->rows == 0)
			return PL_OK;
		log_error("%s was already loaded by pg-load (%" PRIu64 " rows, %s) in one transaction, as a table "
		          "without a key: reload it with --truncate, or forget that load with --reset-checkpoint",
		          L->t->qname, cp->rows, cp->updated_at);
		return PL_USAGE;
	}
	if (L->h->nkey == 0) {
		log_error("%s has a checkpoint at key %s but the stream has no key: reload with --truncate", L->t->qname,
		          cp->last_key);
		return PL_USAGE;
	}
	buf first;
	buf_init(&first);
	current_key_text(L, &first);
	bool refuse = strcmp(buf_cstr(&first), cp->last_key) == 0;
	bool collatable = false;
	for (size_t k = 0; k < L->h->nkey; k++)
		collatable |= L->t->cols[L->plan[L->h->key[k]].tcol].collatable;
	int s = PL_OK;
	if (!refuse) {
		char **fv = NULL, **cv = NULL;
		size_t *fl = NULL, *cl = NULL, fn = 0, cn = 0;
		if (!keytext_parse(buf_cstr(&first), &fv, &fl, &fn) || !keytext_parse(cp->last_key, &cv, &cl, &cn) ||
		    fn != L->h->nkey || cn != L->h->nkey) {
			log_error("the checkpoint key %s of %s does not fit the stream's key", cp->last_key, L->t->qname);
			s = PL_USAGE;
		} else {
			/* non-collatable keys compare the same everywhere: first key <= checkpoint?
			 * text keys may sort differently in the source: is the first row already here? */
			buf sql, a, b;
			buf_init(&sql);
			buf_init(&a);
			buf_init(&b);
			const char **params = xcalloc(2 * fn, sizeof *params);
			for (size_t k = 0; k < fn; k++) {
				const target_col *tc = &L->t->cols[L->plan[L->h->key[k]].tcol];
				params[k] = fv[k];
				params[fn + k] = cv[k];
				buf_printf(&a, "%s$%zu::%s", k ? ", " : "", k + 1, tc->type_name);
				buf_printf(&b, "%s$%zu::%s", k ? ", " : "", fn + k + 1, tc->type_name);
			}
			if (!collatable) {
				buf_printf(&sql, "SELECT ROW(%s) <= ROW(%s)", buf_cstr(&a), buf_cstr(&b));
			} else {
				buf_printf(&sql, "SELECT EXISTS (SELECT 1 FROM %s WHERE ", L->t->qname);
				for (size_t k = 0; k < fn; k++) {
					const target_col *tc = &L->t->cols[L->plan[L->h->key[k]].tcol];
					if (k)
						buf_puts(&sql, " AND ");
					pgconn_ident(&sql, *L->conn, tc->name);
					buf_printf(&sql, " = $%zu::%s", k + 1, tc->type_name);
				}
				buf_puts(&sql, ")");
			}
			PGresult *res = pgconn_query(*L->conn, SIDE, buf_cstr(&sql), collatable ? (int)fn : (int)(2 * fn),
			                             params);
			if (!res)
				s = PL_FATAL;
			else
				refuse = PQgetvalue(res, 0, 0)[0] == 't';
			PQclear(res);
			free(params);
			buf_free(&sql);
			buf_free(&a);
			buf_free(&b);
		}
		keytext_free(fv, fl, fn);
		keytext_free(cv, cl, cn);
	}
	if (s == PL_OK && refuse) {
		log_error("%s has a checkpoint at key %s (%" PRIu64 " rows committed, %s) and the stream starts at key %s, "
		          "%s: resume with the rows after it (key=$(pg-load --checkpoint %s); my-extract --after \"$key\" "
		          "...), or reload with --truncate",
		          L->t->qname, cp->last_key, cp->rows, cp->updated_at, buf_cstr(&first),
		          collatable ? "which is already in the table" : "not after it", L->t->qname);
		s = PL_USAGE;
	}
	buf_free(&first);
	if (s == PL_OK)
		s = check_first_block(L);
	return s;
}

/* ---------------------------------------------------------------- the run */

static void loader_free(loader *L)
{
	pending_clear(L);
	free(L->pend);
	free(L->copy_sql);
	free(L->field_col);
	free(L->piece);
	buf_free(&L->last_key);
	buf_free(&L->out);
	buf_free(&L->tup);
	spool_free(L->sp);
}

static int map_status(int s)
{
	return s == PL_REJECTABLE ? PL_FATAL : s;
}

pl_status load_run(PGconn **conn, const options *o, const target *t, rs_reader *r, const col_plan *plan,
                   const checkpoint *cp, rejects *rj, load_stats *st)
{
	loader L = {0};
	L.conn = conn;
	L.o = o;
	L.t = t;
	L.r = r;
	L.h = rs_reader_header(r);
	L.plan = plan;
	L.cp = cp;
	L.rj = rj;
	L.st = st;
	L.checkpoints = !o->no_checkpoint;
	L.batching = L.h->nkey > 0;
	L.truncate_pending = o->truncate;
	L.progress = o->progress;
	L.progress_tty = isatty(STDERR_FILENO);
	L.rows_estimate = rs_header_meta(L.h, "rows_estimate");
	L.t0 = L.last_progress = cli_now();
	buf_init(&L.last_key);
	buf_init(&L.out);
	buf_init(&L.tup);
	L.piece = xmalloc(PIECE);
	{
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		snprintf(L.load_id, sizeof L.load_id, "%ld.%09ld.%ld", (long)ts.tv_sec, ts.tv_nsec, (long)getpid());
	}
	int s = PL_OK;
	if (!(L.sp = spool_new())) {
		loader_free(&L);
		return PL_IO;
	}
	/* COPY t (c1, c2, ...) FROM STDIN (FORMAT binary), the stream's columns in its order */
	buf sql;
	buf_init(&sql);
	buf_printf(&sql, "COPY %s (", t->qname);
	L.field_col = xcalloc(L.h->ncols ? L.h->ncols : 1, sizeof *L.field_col);
	for (size_t i = 0; i < L.h->ncols; i++) {
		if (!plan[i].send)
			continue;
		if (L.nsend)
			buf_puts(&sql, ", ");
		if (!pgconn_ident(&sql, *conn, t->cols[plan[i].tcol].name))
			s = PL_FATAL;
		L.field_col[L.nsend++] = i;
	}
	buf_puts(&sql, ") FROM STDIN (FORMAT binary)");
	L.copy_sql = xstrdup(buf_cstr(&sql));
	buf_free(&sql);
	if (s != PL_OK || L.nsend == 0) {
		if (L.nsend == 0)
			log_error("no stream column can be loaded into %s", t->qname);
		loader_free(&L);
		return PL_FATAL;
	}

	int more = rs_reader_next(r);
	if (more < 0) {
		loader_free(&L);
		return PL_STREAM;
	}
	if (more == 1)
		s = check_resume(&L);
	else if (L.checkpoints && !o->truncate && cp->exists && cp->valid) {
		L.base_rows = cp->rows;
		L.base_rejected = cp->rejected;
	}
	while (s == PL_OK) {
		/* one batch */
		if (!spool_reset(L.sp)) {
			s = PL_IO;
			break;
		}
		L.batch_rows = L.batch_bytes = 0;
		L.have_last_key = false;
		pending_clear(&L);
		int ts = begin(&L);
		if (ts == PL_OK)
			ts = copy_start(&L);
		if (ts == PL_FATAL) {
			s = PL_FATAL;
			break;
		}
		if (ts == PL_LOST)
			L.send_failed = true; /* read the batch into the spool, then reconnect */
		bool boundary = false;
		while (more == 1) {
			s = put_row(&L);
			if (s != PL_OK)
				break;
			L.batch_rows++;
			if (rs_reader_at_block_end(r) && L.h->nkey) {
				size_t klen;
				const uint8_t *k = rs_reader_block_key(r, &klen);
				rs_value *kv = xcalloc(L.h->nkey, sizeof *kv);
				if (klen && rs_decode_values(k, klen, L.h->nkey, kv))
					key_text(&L, &L.last_key, kv);
				else
					current_key_text(&L, &L.last_key);
				free(kv);
				L.have_last_key = true;
				boundary = L.batching && (L.batch_rows >= o->batch_rows || L.batch_bytes >= o->batch_bytes);
			}
			if (((L.st->rows + L.batch_rows) & 255) == 0)
				progress(&L, false);
			if (boundary)
				break;
			more = rs_reader_next(r);
			if (more < 0)
				s = PL_STREAM;
		}
		if (s != PL_OK) {
			/* the input failed mid-batch: nothing of it may be committed */
			if (*conn && PQstatus(*conn) == CONNECTION_OK && PQtransactionStatus(*conn) == PQTRANS_ACTIVE) {
				PGresult *e;
				copy_end(&L, "pg-load: the input stream failed; batch abandoned", &e);
				PQclear(e);
			}
			rollback(&L);
			break;
		}
		bool final = more == 0;
		PGresult *err = NULL;
		int cs = L.send_failed && PQstatus(*conn) != CONNECTION_OK ? PL_LOST : copy_end(&L, NULL, &err);
		s = map_status(finish_batch(&L, final, cs, err));
		if (s != PL_OK || final)
			break;
		more = rs_reader_next(r);
		if (more < 0) {
			s = PL_STREAM;
			break;
		}
		if (more == 0 && L.checkpoints) {
			/* the stream ended right after a batch: mark the load complete */
			L.batch_rows = 0;
			int bs = begin(&L);
			if (bs == PL_OK || bs == PL_LOST)
				bs = finish_batch(&L, true, bs, NULL);
			s = map_status(bs);
			if (s == PL_OK)
				L.st->batches--; /* not a batch of rows */
			break;
		}
		if (more == 0)
			break;
	}
	progress(&L, true);
	loader_free(&L);
	return (pl_status)s;
}
