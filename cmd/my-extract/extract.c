/*
 * extract.c - one run of my-extract: the table from the catalog, the plan and the query,
 * the header (result metadata of the columns, the source's metadata), --snapshot, then
 * the rows streamed with mysql_use_result into the writer on stdout.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <mysqld_error.h>

#include "log.h"
#include "my-extract.h"

static mx_status build_header(extract *x)
{
	/* result metadata of the plain columns: MYSQL_TYPE_* codes, binary charset */
	MYSQL_RES *r = mytable_select_nothing(x->m, x->t, x->out_col, x->nout);
	if (!r)
		return MX_SOURCE;
	MYSQL_FIELD *f = mysql_fetch_fields(r);
	for (size_t i = 0; i < x->nout; i++) {
		uint32_t keypos = x->key_in_output ? mytable_key_position(x->t, x->out_col[i]) : 0;
		size_t hc = mytable_header_column(x->h, &x->t->cols[x->out_col[i]], &f[i], keypos);
		if (mx_enum_index_form(x, i))
			rs_column_add_attr(&x->h->cols[hc], "enum_form", "index:text");
	}
	mysql_free_result(r);
	if (!rs_header_finish(x->h))
		return MX_INTERNAL;
	return MX_OK;
}

mx_status mx_run(extract *x)
{
	x->m = myconn_connect(&x->conn);
	if (!x->m)
		return MX_SOURCE;
	if (!x->db) {
		if (!myconn_value(x->m, "SELECT DATABASE()", &x->db))
			return MX_SOURCE;
		if (!x->db) {
			log_error("no database given: use DB.TABLE or -D DB");
			return MX_USAGE;
		}
	}
	mytable_status st = mytable_read(x->m, x->db, x->table, &x->t);
	if (st != MYTABLE_OK)
		return st == MYTABLE_NOT_FOUND ? MX_USAGE : MX_SOURCE;
	buf qt;
	buf_init(&qt);
	myconn_quote_table(&qt, x->t->db, x->t->name);
	x->qtable = mem_strdup(buf_cstr(&qt));
	buf_free(&qt);

	mx_status rc = mx_plan_columns(x);
	if (rc != MX_OK)
		return rc;
	if (x->t->npk == 0) {
		if (x->range.after || x->range.until) {
			log_error("%s: table %s has no primary key", x->range.after ? "--after" : "--until", x->qtable);
			return MX_USAGE;
		}
		log_warn("table %s has no primary key: its rows are extracted unordered and the stream has no key",
		         x->qtable);
	}
	buf q;
	buf_init(&q);
	rc = mx_build_query(x, &q);
	if (rc != MX_OK) {
		buf_free(&q);
		return rc;
	}

	if (x->long_cutoff && x->nloc) {
		x->m2 = myconn_connect(&x->conn);
		if (!x->m2) {
			buf_free(&q);
			return MX_SOURCE;
		}
		char *mp = NULL;
		if (!myconn_value(x->m2, "SELECT @@max_allowed_packet", &mp)) {
			buf_free(&q);
			return MX_SOURCE;
		}
		uint64_t maxp = mp ? strtoull(mp, NULL, 10) : 0;
		free(mp);
		x->piece = PIECE_MAX;
		if (maxp / 2 < x->piece && maxp / 2 >= (64u << 10))
			x->piece = maxp / 2;
	}

	x->h = rs_header_new(RS_DOMAIN_MYSQL, x->t->db, x->t->name);
	rs_header_add_meta(x->h, "source", "mysql");
	rs_header_add_meta(x->h, "server_version", mysql_get_server_info(x->m));
	rs_header_add_meta(x->h, "database", x->t->db);
	/* TIMESTAMP values are printed in the session time zone (myconn sets +00:00) */
	char *tz = NULL;
	if (!myconn_value(x->m, "SELECT @@session.time_zone", &tz)) {
		buf_free(&q);
		return MX_SOURCE;
	}
	rs_header_add_meta(x->h, "time_zone", tz ? tz : "");
	free(tz);
	if (!x->range.where && !x->range.after && !x->range.until && x->range.limit < 0) {
		/* the whole table: the catalog's row estimate lets pg-load show an ETA */
		buf eq;
		buf_init(&eq);
		buf_puts(&eq, "SELECT TABLE_ROWS FROM information_schema.TABLES");
		myconn_where_table(x->m, &eq, x->t->db, x->t->name);
		char *est = NULL;
		bool ok = myconn_value(x->m, buf_cstr(&eq), &est);
		buf_free(&eq);
		if (!ok) {
			buf_free(&q);
			return MX_SOURCE;
		}
		if (est && *est)
			rs_header_add_meta(x->h, "rows_estimate", est);
		free(est);
	}
	if (x->range.where)
		rs_header_add_meta(x->h, "where", x->range.where);
	if (x->range.after)
		rs_header_add_meta(x->h, "after", x->range.after);
	if (x->range.until)
		rs_header_add_meta(x->h, "until", x->range.until);
	if (x->range.limit >= 0) {
		char n[32];
		snprintf(n, sizeof n, "%lld", x->range.limit);
		rs_header_add_meta(x->h, "limit", n);
	}
	if (x->snapshot) {
		if (x->t->engine && strcasecmp(x->t->engine, "InnoDB") != 0)
			log_warn("table %s uses engine %s: a consistent snapshot covers transactional (InnoDB) tables only",
			         x->qtable, x->t->engine);
		rc = mx_take_snapshot(x);
		if (rc != MX_OK) {
			buf_free(&q);
			return rc;
		}
	}
	rc = build_header(x);
	if (rc != MX_OK) {
		buf_free(&q);
		return rc;
	}

	MYSQL_RES *res = myconn_use(x->m, buf_cstr(&q));
	buf_free(&q);
	if (!res) {
		unsigned e = mysql_errno(x->m);
		if (x->range.where && (e == ER_PARSE_ERROR || e == ER_BAD_FIELD_ERROR))
			return MX_USAGE; /* most likely the --where condition */
		return MX_SOURCE;
	}
	if (mysql_num_fields(res) != x->nsel) {
		log_error("[source] %s: expected %zu result columns, got %u", x->qtable, x->nsel, mysql_num_fields(res));
		mariadb_cancel(x->m);
		mysql_free_result(res);
		return MX_SOURCE;
	}
	rs_writer_opts wo = {
		.block_bytes = x->block_bytes,
		.inline_max = WRITER_INLINE_MAX,
		.zstd_level = x->zstd_level,
	};
	x->w = rs_writer_new(STDOUT_FILENO, "stdout", x->h, &wo);
	if (!x->w) {
		mariadb_cancel(x->m);
		mysql_free_result(res);
		return MX_IO;
	}
	rc = mx_stream_rows(x, res);
	if (rc != MX_OK)
		mariadb_cancel(x->m); /* freeing an unfinished result would read the rest of the table */
	mysql_free_result(res);
	/* the snapshot's transaction ends before the stream does: a failed COMMIT fails the run */
	if (rc == MX_OK && x->snapshot && !myconn_exec(x->m, "COMMIT"))
		rc = MX_SOURCE;
	if (rc == MX_OK && !rs_writer_finish(x->w))
		rc = MX_IO;
	return rc;
}

void mx_free(extract *x)
{
	if (x->w)
		rs_writer_free(x->w);
	rs_header_free(x->h);
	myconn_close(x->m2);
	myconn_close(x->m);
	mytable_free(x->t);
	free(x->out_col);
	free(x->sel_val);
	free(x->sel_len);
	free(x->sel_idx);
	buf_free(&x->scratch);
	free(x->sel_loc);
	free(x->qtable);
	free(x->db);
	free(x->table);
	myconn_opts_free(&x->conn);
}
