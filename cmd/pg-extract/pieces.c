/*
 * pieces.c - long values read apart: on a second connection in the first one's snapshot,
 * one query per value that detoasts it once and returns its pieces as rows, read one at a
 * time (single-row mode) into the writer.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pg-extract.h"
#include "pgoid.h"

/* the piece query: substring of the column by primary key, on the second connection */
static bool open_second(extract *x)
{
	x->c2 = pgconn_connect(x->conninfo, SIDE);
	if (!x->c2)
		return false;
	buf q;
	buf_init(&q);
	char *lit = PQescapeLiteral(x->c2, x->snapshot, strlen(x->snapshot));
	buf_printf(&q, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET TRANSACTION SNAPSHOT %s", lit ? lit : "''");
	PQfreemem(lit);
	bool ok = pgconn_exec(x->c2, SIDE, buf_cstr(&q));
	buf_free(&q);
	return ok;
}

/* streams the value of output column i of the row whose locator fields are pkv (COPY bytes):
 * one query that detoasts the value once, its pieces read as rows one at a time */
bool px_fetch_pieces(extract *x, size_t i, uint64_t total, const uint8_t *const *pkv, const int *pkl)
{
	if (!x->c2 && !open_second(x))
		return false;
	const pcol *col = &x->cols[x->out[i]];
	buf *q = &x->piece_sql;
	buf_reset(q);
	/* text as its bytes (the server encoding is UTF-8 for text fetched apart), so that pieces
	 * are cut by bytes; || makes a plain copy, which substring reads without decompressing */
	buf_puts(q, "WITH \"v\" AS MATERIALIZED (SELECT ");
	if (col->text)
		buf_puts(q, "pg_catalog.textsend(");
	else
		buf_putc(q, '(');
	if (!pgconn_ident(q, x->c2, col->name))
		return false;
	buf_puts(q, col->text ? "::pg_catalog.text) AS \"v\" FROM " : " OPERATOR(pg_catalog.||) ''::pg_catalog.bytea) AS \"v\" FROM ");
	buf_puts(q, x->qtable);
	buf_puts(q, " WHERE ");
	for (size_t k = 0; k < x->nloc; k++) {
		if (k)
			buf_puts(q, " AND ");
		if (!px_loc_ident(q, x, x->c2, k))
			return false;
		buf_printf(q, " OPERATOR(pg_catalog.=) $%zu", k + 2);
	}
	buf_puts(q, ") SELECT \"i\", pg_catalog.substring(\"v\".\"v\", (\"i\" * $1 + 1)::pg_catalog.int4, "
	            "$1::pg_catalog.int4) FROM \"v\", pg_catalog.generate_series(0::pg_catalog.int8, "
	            "(pg_catalog.octet_length(\"v\".\"v\") - 1) / $1) AS \"i\"");
	size_t np = 1 + x->nloc;
	const char **vals = mem_calloc(np, sizeof *vals);
	int *lens = mem_calloc(np, sizeof *lens), *fmts = mem_calloc(np, sizeof *fmts);
	Oid *types = mem_calloc(np, sizeof *types);
	char step[24];
	snprintf(step, sizeof step, "%" PRIu64, x->piece_bytes);
	vals[0] = step;
	types[0] = PGOID_INT8;
	for (size_t k = 0; k < x->nloc; k++) {
		vals[1 + k] = (const char *)pkv[k];
		lens[1 + k] = pkl[k];
		fmts[1 + k] = 1; /* binary, as COPY sent it */
		types[1 + k] = px_loc_type(x, k);
	}
	bool ok = rs_writer_put_begin(x->w, total);
	if (!PQsendQueryParams(x->c2, buf_cstr(q), (int)np, types, vals, lens, fmts, 1) ||
	    !PQsetSingleRowMode(x->c2)) {
		pgconn_log_error(SIDE, x->c2, NULL, "unable to read a long value in pieces");
		ok = false;
	}
	uint64_t done = 0, expect = 0;
	bool failed = !ok, vanished = true;
	PGresult *r;
	/* every result is read, also after a failure, so that the connection is ready again */
	while ((r = PQgetResult(x->c2)) != NULL) {
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_SINGLE_TUPLE && !failed) {
			vanished = false;
			size_t n = (size_t)PQgetlength(r, 0, 1);
			uint64_t idx = 0;
			if (PQgetlength(r, 0, 0) == 8) {
				const uint8_t *b = (const uint8_t *)PQgetvalue(r, 0, 0);
				for (int k = 0; k < 8; k++)
					idx = idx << 8 | b[k];
			}
			if (PQgetisnull(r, 0, 1) || idx != expect || n == 0 || n > total - done) {
				log_error("[%s] column '%s' of %s: pieces do not add up to its octet_length %" PRIu64, SIDE,
				          col->name, x->qtable, total);
				failed = true;
			} else if (!rs_writer_put_more(x->w, PQgetvalue(r, 0, 1), n)) {
				failed = true;
			} else {
				done += n;
				expect++;
			}
		} else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && !failed) {
			pgconn_log_error(SIDE, x->c2, r, "unable to read a long value in pieces");
			failed = true;
		}
		PQclear(r);
	}
	ok = !failed;
	if (ok && vanished) {
		log_error("[%s] row of %s vanished while reading its column '%s' in pieces", SIDE, x->qtable, col->name);
		ok = false;
	} else if (ok && done != total) {
		log_error("[%s] column '%s' of %s: pieces do not add up to its octet_length %" PRIu64, SIDE, col->name,
		          x->qtable, total);
		ok = false;
	}
	if (ok)
		ok = rs_writer_put_end(x->w);
	free(vals);
	free(lens);
	free(fmts);
	free(types);
	if (ok) {
		x->big_values++;
		x->big_bytes += total;
	}
	return ok;
}
