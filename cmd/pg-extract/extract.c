/*
 * extract.c - one run of pg-extract: a REPEATABLE READ, READ ONLY transaction (in the
 * snapshot of --snapshot, or exported for the second connection when long values are read
 * apart), the catalog, the header, the COPY, COMMIT.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"
#include "pg-extract.h"

/* --snapshot: the transaction just begun reads what the exporting session sees; the export must
 * still be open (its transaction not ended), else the server refuses the identifier */
static bool import_snapshot(extract *x)
{
	char *lit = PQescapeLiteral(x->c, x->import_snapshot, strlen(x->import_snapshot));
	if (!lit) {
		log_error("[%s] snapshot %s: %s", SIDE, x->import_snapshot, PQerrorMessage(x->c));
		return false;
	}
	buf q;
	buf_init(&q);
	buf_printf(&q, "SET TRANSACTION SNAPSHOT %s", lit);
	PQfreemem(lit);
	bool ok = pgconn_exec(x->c, SIDE, buf_cstr(&q));
	buf_free(&q);
	return ok;
}

px_status px_run(extract *x)
{
	x->c = pgconn_connect(x->conninfo, SIDE);
	if (!x->c)
		return PX_SOURCE;
	if (!pgconn_exec(x->c, SIDE,
	                 "SET statement_timeout = 0; SET lock_timeout = 0; "
	                 "SET idle_in_transaction_session_timeout = 0; "
	                 "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
		return PX_SOURCE;
	if (x->import_snapshot && !import_snapshot(x))
		return PX_SOURCE;
	const char *enc = PQparameterStatus(x->c, "server_encoding");
	x->utf8_server = enc && (strcmp(enc, "UTF8") == 0 || strcmp(enc, "SQL_ASCII") == 0);
	if (!px_resolve_table(x) || !px_read_columns(x))
		return PX_SOURCE;
	px_status rc = px_plan_columns(x);
	if (rc != PX_OK)
		return rc;
	buf q;
	buf_init(&q);
	rc = px_build_query(x, &q);
	if (rc != PX_OK) {
		buf_free(&q);
		return rc;
	}
	bool apart = false;
	for (size_t i = 0; i < x->nout; i++)
		apart = apart || x->lenpos[i] != SIZE_MAX;
	if (apart && x->import_snapshot) {
		x->snapshot = mem_strdup(x->import_snapshot); /* the second connection reads in it too */
	} else if (apart) {
		PGresult *r = pgconn_query(x->c, SIDE, "SELECT pg_catalog.pg_export_snapshot()", 0, NULL);
		if (!r) {
			buf_free(&q);
			return PX_SOURCE;
		}
		x->snapshot = mem_strdup(PQgetvalue(r, 0, 0));
		PQclear(r);
	}
	log_debug("query: %s", buf_cstr(&q));
	if (!px_make_header(x)) {
		buf_free(&q);
		return PX_SOURCE;
	}
	if (!x->wo.inline_max)
		x->wo.inline_max = WRITER_INLINE_MAX;
	double t0 = cli_now();
	x->w = rs_writer_new(STDOUT_FILENO, "stdout", x->h, &x->wo);
	if (!x->w) {
		buf_free(&q);
		return PX_IO;
	}
	rc = px_run_copy(x, buf_cstr(&q));
	buf_free(&q);
	if (rc != PX_OK)
		return rc;
	if (!rs_writer_finish(x->w))
		return PX_IO;
	if (!pgconn_exec(x->c, SIDE, "COMMIT"))
		return PX_SOURCE;
	double dt = cli_now() - t0;
	log_info("%s: %" PRIu64 " rows, %.1f MiB written in %.2f s (%.0f rows/s)", x->qtable, x->rows,
	         (double)rs_writer_bytes(x->w) / 1048576.0, dt, dt > 0 ? (double)x->rows / dt : 0.0);
	if (x->big_values)
		log_info("%s: %" PRIu64 " long values (%" PRIu64 " bytes) read in pieces", x->qtable, x->big_values,
		         x->big_bytes);
	return PX_OK;
}

void px_free(extract *x)
{
	rs_writer_free(x->w);
	rs_header_free(x->h);
	pgconn_close(x->c2);
	pgconn_close(x->c);
	free(x->conninfo);
	for (size_t i = 0; i < x->ncols; i++) {
		free(x->cols[i].name);
		free(x->cols[i].type);
		for (size_t l = 0; l < x->cols[i].nlabels; l++)
			free(x->cols[i].labels[l]);
		free(x->cols[i].labels);
	}
	free(x->cols);
	free(x->pk);
	free(x->out);
	free(x->lenpos);
	free(x->pkpos);
	free(x->schema);
	free(x->table);
	free(x->qtable);
	free(x->snapshot);
	free(x->want_schema);
	free(x->want_table);
	buf_free(&x->piece_sql);
}
