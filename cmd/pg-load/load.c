/*
 * load.c - batches: COPY, checkpoint and commit; reject isolation (isolate.c),
 * reconnection (recover.c) and the resume check (resume.c) are its helpers (loader.h).
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

#include "byteorder.h"
#include "cli.h"
#include "hex.h"
#include "keytext.h"
#include "loader.h"
#include "log.h"
#include "pgconn.h"
#include "pgtext.h"
#include "state.h"

/* COPY data goes to the server in CopyData messages of about this size. The backend reads a
 * whole message before it parses any of it, and a blocking send returns only when the whole
 * message is in the socket: with 256 KiB messages the backend waited for pg-load (the wide
 * benchmark table from a stored stream: 4.95 s where psql \copy, which sends 8 KiB, took 4.15 s,
 * the server's CPU the same); with 32 KiB, 4.25 s */
#define COPY_FLUSH (32u << 10)
#define PIECE (1u << 20)
#define ROW_TEXT_MAX (1u << 20) /* larger values appear in reject rows as "<N bytes>" */

/* ---------------------------------------------------------------- values as text */

void load_value_text(buf *out, const col_plan *p, const void *data, size_t len)
{
	bool ok = p->text_array && !pgtext_known(p->text_oid) ? pgtext_format_array(out, data, len)
	                                                       : pgtext_format(out, p->text_oid, data, len);
	if (!ok) {
		/* not a valid value of its type: show the bytes rather than lose them */
		buf_puts(out, "\\x");
		hex_append(out, data, len);
	}
}

/* key text of a decoded key (nkey values in key column order) */
void load_key_text(loader *L, buf *out, const rs_value *kv)
{
	size_t n = L->h->nkey;
	buf *texts = mem_calloc(n, sizeof *texts);
	const char **vals = mem_calloc(n, sizeof *vals);
	size_t *lens = mem_calloc(n, sizeof *lens);
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
void load_current_key_text(loader *L, buf *out)
{
	const rs_value *v = rs_reader_values(L->r);
	rs_value *kv = mem_calloc(L->h->nkey, sizeof *kv);
	for (size_t k = 0; k < L->h->nkey; k++)
		kv[k] = v[L->h->key[k]];
	load_key_text(L, out, kv);
	free(kv);
}

/* key and row text of spooled row `row` of the batch (for rejects and messages) */
bool load_spooled_row_text(loader *L, uint64_t row, buf *key, buf *rowtext)
{
	spool_cursor *cur = spool_cursor_new(L->sp, row);
	if (!cur)
		return false;
	size_t n = L->h->ncols;
	buf *texts = mem_calloc(n, sizeof *texts);
	rs_value *vals = mem_calloc(n, sizeof *vals);
	for (size_t i = 0; i < n; i++) {
		buf_init(&texts[i]);
		vals[i].null = true; /* columns not sent (generated in the target) */
	}
	bool ok = true;
	const uint8_t *p = spool_cursor_take(cur, 2);
	int nf = p ? (int16_t)byteorder_get_u16be(p) : -1;
	ok = nf == L->nsend;
	for (int f = 0; ok && f < nf; f++) {
		size_t col = L->field_col[f];
		if (!(p = spool_cursor_take(cur, 4))) {
			ok = false;
			break;
		}
		int32_t len = (int32_t)byteorder_get_u32be(p);
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
			const char **kvals = mem_calloc(L->h->nkey ? L->h->nkey : 1, sizeof *kvals);
			size_t *klens = mem_calloc(L->h->nkey ? L->h->nkey : 1, sizeof *klens);
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
int load_exec(loader *L, const char *sql, int nparams, const char *const *params)
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

void load_rollback(loader *L)
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
int load_copy_rows(loader *L, uint64_t a, uint64_t b, PGresult **err)
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
		int nf = (int16_t)byteorder_get_u16be(p);
		copy_put(L, p, 2);
		for (int f = 0; ok && f < nf; f++) {
			if (!(p = spool_cursor_take(cur, 4))) {
				ok = false;
				break;
			}
			int32_t len = (int32_t)byteorder_get_u32be(p);
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

int load_begin(loader *L)
{
	L->commit_sent = false;
	int s = load_exec(L, "BEGIN", 0, NULL);
	if (s == PL_OK && L->truncate_pending) {
		buf sql;
		buf_init(&sql);
		buf_printf(&sql, "TRUNCATE %s", L->t->qname);
		s = load_exec(L, buf_cstr(&sql), 0, NULL);
		buf_free(&sql);
		if (s == PL_OK && L->checkpoints) {
			const char *params[] = {L->t->schema, L->t->table};
			s = load_exec(L, "DELETE FROM " STATE_CHECKPOINTS " WHERE target_schema = $1 AND target_table = $2", 2, params);
		}
	}
	return s;
}

void load_pending_clear(loader *L)
{
	for (size_t i = 0; i < L->npend; i++) {
		free(L->pend[i].reason);
		free(L->pend[i].column);
	}
	L->npend = 0;
}

/* upserts the checkpoint and commits (batch_committed() then counts the batch) */
int load_commit(loader *L, bool final)
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
		s = load_exec(L,
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
		if (!load_spooled_row_text(L, pr->row, &key, &row) ||
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
	load_pending_clear(L);
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
			s = load_commit(L, final);
			if (s == PL_OK)
				s = batch_committed(L);
			else if (s == PL_REJECTABLE)
				deferred = true; /* a deferred constraint refused the COMMIT */
			if (s != PL_REJECTABLE && s != PL_LOST)
				break;
		} else if (s == PL_REJECTABLE) {
			load_rollback(L);
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
			s = recover_connection(L, &committed);
			if (s != PL_OK)
				break;
			if (committed) {
				log_info("batch %" PRIu64 " was committed before the connection was lost", L->st->batches + 1);
				s = batch_committed(L);
				break;
			}
			/* not committed: send the batch again from the spool */
			log_info("sending batch %" PRIu64 " again (%" PRIu64 " rows)", L->st->batches + 1, L->batch_rows);
			load_pending_clear(L);
			s = load_begin(L);
			if (s == PL_OK)
				s = load_copy_rows(L, 0, L->batch_rows, &err);
		} else {
			break;
		}
	}
	PQclear(err);
	if (s != PL_OK)
		load_rollback(L);
	return s;
}

/* ---------------------------------------------------------------- the run */

static void loader_free(loader *L)
{
	load_pending_clear(L);
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
	L.piece = mem_alloc(PIECE);
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
	L.field_col = mem_calloc(L.h->ncols ? L.h->ncols : 1, sizeof *L.field_col);
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
	L.copy_sql = mem_strdup(buf_cstr(&sql));
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
		s = resume_check(&L);
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
		load_pending_clear(&L);
		int ts = load_begin(&L);
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
				rs_value *kv = mem_calloc(L.h->nkey, sizeof *kv);
				if (klen && rs_decode_values(k, klen, L.h->nkey, kv))
					load_key_text(&L, &L.last_key, kv);
				else
					load_current_key_text(&L, &L.last_key);
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
			load_rollback(&L);
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
			int bs = load_begin(&L);
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
