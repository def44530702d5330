/*
 * isolate.c - a batch the target refused: its rows one range at a time under savepoints,
 * the refused rows to the rejects (the policy is in load.c's header comment).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "loader.h"
#include "pgconn.h"

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
		L->pend = mem_realloc(L->pend, L->cappend * sizeof *L->pend);
	}
	buf reason;
	buf_init(&reason);
	pgconn_format_error(&reason, SIDE, *L->conn, err);
	const char *col = PQresultErrorField(err, PG_DIAG_COLUMN_NAME);
	pending_reject *pr = &L->pend[L->npend++];
	pr->row = row;
	pr->reason = mem_strdup(buf_cstr(&reason));
	pr->column = col ? mem_strdup(col) : NULL;
	buf_free(&reason);
	if (L->st->rejected + L->npend <= L->o->max_rejects)
		return PL_OK;
	buf key, text;
	buf_init(&key);
	buf_init(&text);
	if (load_spooled_row_text(L, row, &key, &text)) {
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
			int s = load_exec(L, "SAVEPOINT pg_load", 0, NULL);
			if (s != PL_OK)
				return s;
			s = load_copy_rows(L, a, b, &err);
			if (s == PL_OK)
				return load_exec(L, "RELEASE SAVEPOINT pg_load", 0, NULL);
			if (s != PL_REJECTABLE)
				return s;
			s = load_exec(L, "ROLLBACK TO SAVEPOINT pg_load", 0, NULL);
			if (s == PL_OK)
				s = load_exec(L, "RELEASE SAVEPOINT pg_load", 0, NULL);
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
int isolate_batch(loader *L, bool final, PGresult *err)
{
	load_pending_clear(L);
	log_info("the target refused a row of batch %" PRIu64 ": isolating it", L->st->batches + 1);
	int s = load_begin(L);
	if (s == PL_OK)
		s = load_exec(L, "SET CONSTRAINTS ALL IMMEDIATE", 0, NULL);
	if (s == PL_OK)
		s = isolate(L, 0, L->batch_rows, err);
	else
		PQclear(err);
	if (s == PL_OK)
		s = load_commit(L, final);
	if (s == PL_REJECTABLE) {
		/* refused at COMMIT although every COPY passed: no row to blame */
		log_error("[%s] the batch was refused at commit", SIDE);
		s = PL_FATAL;
	}
	if (s != PL_OK && s != PL_LOST)
		load_rollback(L);
	return s;
}
