/*
 * pg2rs - a PostgreSQL table as a PG-domain row stream (test tool, not installed).
 *
 *   pg2rs [-d CONNINFO] [--schema S] [--table T] [--zero-elem] [--block-rows N] SCHEMA.TABLE > stream
 *
 * The header describes the table's columns (format_type, the type OID for
 * built-in types and 0 for user types, NOT NULL, the primary key); the rows
 * are `COPY (SELECT ... ORDER BY <key>) TO STDOUT (FORMAT binary)` with each
 * field's bytes taken as they are. --schema/--table set the stream's table
 * identity (default: the table's). --zero-elem writes element type OID 0 into
 * arrays of user types, as a producer that does not know the target's OIDs does.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "byteorder.h"
#include "log.h"
#include "pgconn.h"
#include "rowstream.h"

int main(int argc, char **argv)
{
	log_init(argv[0]);
	const char *conninfo = NULL, *as_schema = NULL, *as_table = NULL;
	bool zero_elem = false;
	uint32_t block_rows = 0;
	static const struct option longopts[] = {
		{"dbname", required_argument, NULL, 'd'},  {"schema", required_argument, NULL, 'S'},
		{"table", required_argument, NULL, 'T'},   {"zero-elem", no_argument, NULL, 'z'},
		{"block-rows", required_argument, NULL, 'B'}, {NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "d:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': conninfo = optarg; break;
		case 'S': as_schema = optarg; break;
		case 'T': as_table = optarg; break;
		case 'z': zero_elem = true; break;
		case 'B': block_rows = (uint32_t)strtoul(optarg, NULL, 10); break;
		default: return 2;
		}
	}
	if (optind + 1 != argc || !log_check_stdout_binary(false))
		return 2;
	PGconn *c = pgconn_connect(conninfo, "source");
	if (!c)
		return 4;
	const char *params[] = {argv[optind]};
	PGresult *res = pgconn_query(
		c, "source",
		"SELECT n.nspname, r.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), "
		"CASE WHEN a.atttypid < 16384 THEN a.atttypid ELSE 0 END, a.attnotnull, "
		"coalesce(pg_catalog.array_position(i.indkey::int2[], a.attnum) + 1, 0), "
		"t.typcategory = 'A' AND t.typelem >= 16384 "
		"FROM pg_catalog.pg_class r JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace "
		"JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped "
		"JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
		"LEFT JOIN pg_catalog.pg_index i ON i.indrelid = r.oid AND i.indisprimary "
		"WHERE r.oid = $1::regclass ORDER BY a.attnum",
		1, params);
	if (!res || PQntuples(res) == 0)
		return 4;
	int ncols = PQntuples(res);
	rs_header *h = rs_header_new(RS_DOMAIN_PG, as_schema ? as_schema : PQgetvalue(res, 0, 0),
	                             as_table ? as_table : PQgetvalue(res, 0, 1));
	rs_header_add_meta(h, "source", "pg2rs");
	bool *user_array = calloc((size_t)ncols, sizeof *user_array);
	buf sel, order;
	buf_init(&sel);
	buf_init(&order);
	int nkey = 0;
	for (int i = 0; i < ncols; i++) {
		uint32_t keypos = (uint32_t)atoi(PQgetvalue(res, i, 6));
		rs_header_add_column(h, PQgetvalue(res, i, 2), PQgetvalue(res, i, 3),
		                     (uint32_t)strtoul(PQgetvalue(res, i, 4), NULL, 10),
		                     PQgetvalue(res, i, 5)[0] == 't' ? RS_COL_NOT_NULL : 0, keypos);
		user_array[i] = PQgetvalue(res, i, 7)[0] == 't';
		if (i)
			buf_puts(&sel, ", ");
		if (!pgconn_ident(&sel, c, PQgetvalue(res, i, 2)))
			return 4;
		if (keypos)
			nkey++;
	}
	for (int k = 1; k <= nkey; k++)
		for (int i = 0; i < ncols; i++)
			if (atoi(PQgetvalue(res, i, 6)) == k) {
				buf_puts(&order, k > 1 ? ", " : " ORDER BY ");
				if (!pgconn_ident(&order, c, PQgetvalue(res, i, 2)))
					return 4;
			}
	PQclear(res);
	if (!rs_header_finish(h))
		return 3;
	rs_writer_opts wo = {.block_rows = block_rows};
	rs_writer *w = rs_writer_new(STDOUT_FILENO, "stdout", h, &wo);
	rs_header_free(h);
	if (!w)
		return 6;
	buf sql;
	buf_init(&sql);
	buf_printf(&sql, "COPY (SELECT %s FROM %s%s) TO STDOUT (FORMAT binary)", buf_cstr(&sel), argv[optind],
	           buf_cstr(&order));
	res = PQexec(c, buf_cstr(&sql));
	if (PQresultStatus(res) != PGRES_COPY_OUT) {
		pgconn_log_error("source", c, res, buf_cstr(&sql));
		return 4;
	}
	PQclear(res);
	char *row;
	int n;
	bool ok = true, first = true;
	while (ok && (n = PQgetCopyData(c, &row, 0)) > 0) {
		const uint8_t *p = (const uint8_t *)row, *end = p + n;
		if (first) {
			p += 19; /* signature, flags, extension length */
			first = false;
		}
		int nf = (int16_t)byteorder_get_u16be(p);
		p += 2;
		if (nf == -1) {
			PQfreemem(row);
			continue;
		}
		for (int i = 0; ok && i < nf && p + 4 <= end; i++) {
			int32_t len = (int32_t)byteorder_get_u32be(p);
			p += 4;
			if (len < 0) {
				ok = rs_writer_put_null(w);
				continue;
			}
			if (zero_elem && user_array[i] && len >= 12)
				memset((uint8_t *)p + 8, 0, 4);
			ok = rs_writer_put(w, p, (size_t)len);
			p += len;
		}
		ok = ok && rs_writer_end_row(w);
		PQfreemem(row);
	}
	res = PQgetResult(c);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		pgconn_log_error("source", c, res, "COPY");
		ok = false;
	}
	PQclear(res);
	ok = ok && rs_writer_finish(w);
	rs_writer_free(w);
	buf_free(&sql);
	buf_free(&sel);
	buf_free(&order);
	free(user_array);
	pgconn_close(c);
	return ok ? 0 : 6;
}
