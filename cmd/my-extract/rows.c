/*
 * rows.c - the rows of the result into the stream: each value as the text protocol sent
 * it, ENUM values with their member index where '' is a member, and long values left out
 * of the streamed row read apart, in pieces, by the row's key on the second connection.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "keytext.h"
#include "log.h"
#include "my-extract.h"

static mx_status locator_where(extract *x, buf *q, MYSQL_ROW row, unsigned long *lens)
{
	buf_puts(q, " WHERE ");
	for (size_t k = 0; k < x->nloc; k++) {
		const mytable_col *c = &x->t->cols[x->loc_col[k]];
		const char *v = row[x->sel_loc[k]];
		if (!v) {
			log_error("[source] key column %s of %s is NULL", c->name, x->qtable);
			return MX_SOURCE;
		}
		buf_puts(q, k ? " AND `src`." : "`src`.");
		myconn_quote_ident(q, c->name);
		buf_puts(q, " = ");
		if (!mytable_literal(x->m2, q, c, v, lens[x->sel_loc[k]]))
			return MX_SOURCE;
	}
	return MX_OK;
}

static void key_text(extract *x, buf *out, MYSQL_ROW row, unsigned long *lens)
{
	for (size_t k = 0; k < x->nloc; k++) {
		if (k)
			buf_putc(out, ',');
		const char *v = row[x->sel_loc[k]];
		keytext_format_field(out, v ? v : "", v ? lens[x->sel_loc[k]] : 0);
	}
}

/* The value of output column i (total bytes long) of the current row, in pieces, with one
 * query on the second connection that reads the value once:
 *   SELECT piece.i, LENGTH(src.c), SUBSTRING(CAST(src.c AS BINARY) FROM piece.i * P + 1 FOR P)
 *   FROM db.t AS src STRAIGHT_JOIN (SELECT 0 AS i UNION ALL SELECT 1 ...) AS piece
 *   WHERE src.k = key
 * The key makes src a constant table, read once; each result row is one piece (a query per
 * piece would make the server read the whole value again for every piece). */
static mx_status fetch_long(extract *x, size_t i, MYSQL_ROW row, unsigned long *lens, uint64_t total)
{
	const mytable_col *c = &x->t->cols[x->out_col[i]];
	buf keyt;
	buf_init(&keyt);
	key_text(x, &keyt, row, lens);
	if (!x->m2) {
		log_error("column %s of %s has a value of %" PRIu64 " bytes (row after %" PRIu64
		          " rows): values over %" PRIu64 " bytes are read apart by key, and the table has no "
		          "primary or NOT NULL unique key",
		          c->name, x->qtable, total, rs_writer_rows(x->w), x->long_cutoff);
		buf_free(&keyt);
		return MX_LIMIT;
	}
	uint64_t npieces = (total + x->piece - 1) / x->piece;
	buf q;
	buf_init(&q);
	buf_puts(&q, "SELECT `piece`.`i`, LENGTH(`src`.");
	myconn_quote_ident(&q, c->name);
	buf_puts(&q, "), SUBSTRING(CAST(`src`.");
	myconn_quote_ident(&q, c->name);
	buf_printf(&q, " AS BINARY) FROM `piece`.`i` * %" PRIu64 " + 1 FOR %" PRIu64 ") FROM ", x->piece, x->piece);
	buf_puts(&q, x->qtable);
	buf_puts(&q, " AS `src` STRAIGHT_JOIN (SELECT 0 AS `i`");
	for (uint64_t k = 1; k < npieces; k++)
		buf_printf(&q, " UNION ALL SELECT %" PRIu64, k);
	buf_puts(&q, ") AS `piece`");
	mx_status rc = locator_where(x, &q, row, lens);
	MYSQL_RES *r = NULL;
	if (rc == MX_OK) {
		r = myconn_use(x->m2, buf_cstr(&q));
		if (!r)
			rc = MX_SOURCE;
	}
	uint64_t off = 0, next = 0;
	MYSQL_ROW prow;
	while (rc == MX_OK && (prow = mysql_fetch_row(r))) {
		unsigned long *plen = mysql_fetch_lengths(r);
		uint64_t want = total - off < x->piece ? total - off : x->piece;
		if (!prow[0] || strtoull(prow[0], NULL, 10) != next) {
			log_error("[source] column %s of %s, key %s: piece %s arrived where piece %" PRIu64 " was expected",
			          c->name, x->qtable, buf_cstr(&keyt), prow[0] ? prow[0] : "NULL", next);
			rc = MX_SOURCE;
		} else if (!prow[1] || strtoull(prow[1], NULL, 10) != total || !prow[2] || plen[2] != want) {
			log_error("[source] column %s of %s, key %s, changed while it was read (%" PRIu64 " bytes, now %s; "
			          "use --snapshot for a consistent read)",
			          c->name, x->qtable, buf_cstr(&keyt), total, prow[1] ? prow[1] : "NULL");
			rc = MX_SOURCE;
		} else {
			if (next == 0 && !rs_writer_put_begin(x->w, total))
				rc = MX_IO;
			if (rc == MX_OK && !rs_writer_put_more(x->w, prow[2], plen[2]))
				rc = MX_IO;
			off += plen[2];
			next++;
		}
	}
	if (rc == MX_OK && mysql_errno(x->m2)) {
		myconn_log_error(x->m2, "reading column %s of %s, key %s", c->name, x->qtable, buf_cstr(&keyt));
		rc = MX_SOURCE;
	}
	if (rc == MX_OK && next != npieces) {
		if (next == 0)
			log_error("[source] row with key %s of %s vanished while its column %s was read (use --snapshot for "
			          "a consistent read)",
			          buf_cstr(&keyt), x->qtable, c->name);
		else
			log_error("[source] key %s of %s: %" PRIu64 " pieces of column %s instead of %" PRIu64
			          " (the key matches several rows?)",
			          buf_cstr(&keyt), x->qtable, next, c->name, npieces);
		rc = MX_SOURCE;
	}
	if (r) {
		if (rc != MX_OK)
			mariadb_cancel(x->m2); /* do not drain a result we abandon */
		mysql_free_result(r);
	}
	if (rc == MX_OK && !rs_writer_put_end(x->w))
		rc = MX_IO;
	if (rc == MX_OK) {
		x->big_values++;
		x->big_bytes += total;
	}
	buf_free(&keyt);
	buf_free(&q);
	return rc;
}

/* an ENUM value with its member index (see enum_with_empty_member) */
static mx_status put_enum_index(extract *x, size_t i, MYSQL_ROW row, unsigned long *lens)
{
	size_t s = x->sel_val[i];
	const char *idx = row[x->sel_idx[i]];
	if (!idx)
		return MX_SOURCE; /* cannot be: the value is not NULL */
	if (!mx_enum_index_form(x, i)) {
		if (strcmp(idx, "0") != 0)
			return rs_writer_put(x->w, row[s], lens[s]) ? MX_OK : MX_IO;
		buf keyt;
		buf_init(&keyt);
		key_text(x, &keyt, row, lens);
		log_error("[source] %s: row with key %s: key column %s holds MySQL's invalid ENUM value (index 0), "
		          "which reads as its member ''", x->qtable, buf_cstr(&keyt), x->t->cols[x->out_col[i]].name);
		buf_free(&keyt);
		return MX_SOURCE;
	}
	x->scratch.len = 0;
	buf_puts(&x->scratch, idx);
	buf_putc(&x->scratch, ':');
	buf_append(&x->scratch, row[s], lens[s]);
	return rs_writer_put(x->w, x->scratch.data, x->scratch.len) ? MX_OK : MX_IO;
}

mx_status mx_stream_rows(extract *x, MYSQL_RES *res)
{
	MYSQL_ROW row;
	mx_status rc = MX_OK;
	while ((row = mysql_fetch_row(res))) {
		unsigned long *lens = mysql_fetch_lengths(res);
		for (size_t i = 0; i < x->nout && rc == MX_OK; i++) {
			size_t s = x->sel_val[i];
			if (row[s] && x->sel_idx[i] >= 0) {
				rc = put_enum_index(x, i, row, lens);
				continue;
			}
			if (row[s]) {
				if (!rs_writer_put(x->w, row[s], lens[s]))
					rc = MX_IO;
				continue;
			}
			long ls = x->sel_len[i];
			if (ls >= 0 && row[ls]) {
				/* left out of the row for its size: read it apart */
				rc = fetch_long(x, i, row, lens, strtoull(row[ls], NULL, 10));
				continue;
			}
			if (!rs_writer_put_null(x->w))
				rc = MX_IO;
		}
		if (rc == MX_OK && !rs_writer_end_row(x->w))
			rc = MX_IO;
		if (rc != MX_OK)
			break;
	}
	if (rc == MX_OK && mysql_errno(x->m)) {
		/* mysql_fetch_row returns NULL at the end and on errors alike */
		myconn_log_error(x->m, "reading rows of %s after %" PRIu64 " rows", x->qtable, rs_writer_rows(x->w));
		rc = MX_SOURCE;
	}
	return rc;
}
