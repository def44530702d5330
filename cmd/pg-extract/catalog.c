/*
 * catalog.c - the table as PostgreSQL's catalog describes it: its name resolved by the one
 * rule of pgcatalog, its columns (types, NOT NULL, generated, enum labels), its primary
 * key, the output columns (--columns) and the stream header made of them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collist.h"
#include "log.h"
#include "pg-extract.h"
#include "pgcatalog.h"
#include "pgname.h"
#include "pgoid.h"
#include "pgquote.h"

bool px_resolve_table(extract *x)
{
	pgcatalog_rel rel;
	bool found;
	if (!pgcatalog_find_table(x->c, SIDE, x->want_schema, x->quoted_schema, x->want_table, x->quoted_table,
	                          PGCATALOG_READABLE, &rel, &found))
		return false;
	if (!found) {
		pgcatalog_log_missing(SIDE, x->want_schema, x->quoted_schema, x->want_table, x->quoted_table, NULL);
		return false;
	}
	x->reloid = rel.oid;
	x->relkind = rel.relkind;
	x->schema = rel.schema;
	x->table = rel.table;
	buf q;
	buf_init(&q);
	bool ok = pgconn_qualified(&q, x->c, x->schema, x->table);
	x->qtable = mem_strdup(buf_cstr(&q));
	buf_free(&q);
	return ok;
}

bool px_read_columns(extract *x)
{
	char oid[16];
	snprintf(oid, sizeof oid, "%" PRIu32, x->reloid);
	const char *params[] = {oid};
	const char *sql =
	    "SELECT a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.atttypid, "
	    "       a.attnotnull, a.attgenerated <> '', t.typtype = 'e', "
	    "       CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END "
	    "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
	    "WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
	PGresult *r = pgconn_query(x->c, SIDE, sql, 1, params);
	if (!r)
		return false;
	x->ncols = (size_t)PQntuples(r);
	x->cols = mem_calloc(x->ncols ? x->ncols : 1, sizeof *x->cols);
	for (size_t i = 0; i < x->ncols; i++) {
		pcol *c = &x->cols[i];
		int row = (int)i;
		c->attnum = atoi(PQgetvalue(r, row, 0));
		c->name = mem_strdup(PQgetvalue(r, row, 1));
		c->type = mem_strdup(PQgetvalue(r, row, 2));
		c->typoid = (uint32_t)strtoul(PQgetvalue(r, row, 3), NULL, 10);
		c->notnull = PQgetvalue(r, row, 4)[0] == 't';
		c->generated = PQgetvalue(r, row, 5)[0] == 't';
		c->is_enum = PQgetvalue(r, row, 6)[0] == 't';
		uint32_t base = (uint32_t)strtoul(PQgetvalue(r, row, 7), NULL, 10);
		c->code = base < PGOID_FIRST_NORMAL ? base : 0;
		c->longable = base == PGOID_BYTEA || base == PGOID_TEXT || base == PGOID_VARCHAR;
		c->text = base != PGOID_BYTEA;
	}
	PQclear(r);
	if (x->ncols == 0) {
		log_error("[%s] table %s has no columns", SIDE, x->qtable);
		return false;
	}
	/* enum labels, in order */
	for (size_t i = 0; i < x->ncols; i++) {
		pcol *c = &x->cols[i];
		if (!c->is_enum)
			continue;
		char t[16];
		snprintf(t, sizeof t, "%" PRIu32, c->typoid);
		const char *p[] = {t};
		r = pgconn_query(x->c, SIDE,
		                 "SELECT enumlabel FROM pg_catalog.pg_enum WHERE enumtypid = $1 ORDER BY enumsortorder", 1,
		                 p);
		if (!r)
			return false;
		c->nlabels = (size_t)PQntuples(r);
		c->labels = mem_calloc(c->nlabels ? c->nlabels : 1, sizeof *c->labels);
		for (size_t k = 0; k < c->nlabels; k++)
			c->labels[k] = mem_strdup(PQgetvalue(r, (int)k, 0));
		PQclear(r);
	}
	/* primary key, in key order */
	r = pgconn_query(x->c, SIDE,
	                 "SELECT k.attnum FROM pg_catalog.pg_index i, "
	                 "     unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, pos) "
	                 "WHERE i.indrelid = $1 AND i.indisprimary ORDER BY k.pos",
	                 1, params);
	if (!r)
		return false;
	x->npk = (size_t)PQntuples(r);
	x->pk = mem_calloc(x->npk ? x->npk : 1, sizeof *x->pk);
	for (size_t k = 0; k < x->npk; k++) {
		int attnum = atoi(PQgetvalue(r, (int)k, 0));
		for (size_t i = 0; i < x->ncols; i++)
			if (x->cols[i].attnum == attnum)
				x->pk[k] = i;
	}
	PQclear(r);
	return true;
}

/* a column by name: exact, else ASCII case-insensitive when unique, else its shortened form */
static const char *column_name_at(const void *x, size_t i)
{
	return ((const extract *)x)->cols[i].name;
}

static int find_column(const extract *x, const char *name)
{
	int found = pgname_find(name, false, x->ncols, column_name_at, x);
	if (found >= 0)
		return found;
	if (strlen(name) > PGQUOTE_NAMEMAX) {
		char *s = pgquote_shorten(name, PGQUOTE_NAMEMAX);
		found = -1;
		for (size_t i = 0; i < x->ncols && found < 0; i++)
			if (strcmp(x->cols[i].name, s) == 0)
				found = (int)i;
		free(s);
		return found;
	}
	return -1;
}

static int find_column_fn(const void *x, const char *name)
{
	return find_column(x, name);
}

px_status px_plan_columns(extract *x)
{
	if (!collist_resolve_pg(x->range.columns, x->qtable, find_column_fn, x, x->ncols, &x->out, &x->nout))
		return PX_USAGE;
	x->key_in_output = !x->unordered && collist_has_key(x->out, x->nout, x->pk, x->npk);
	return PX_OK;
}

/* the stream header: names, format_type(), OIDs, NOT NULL, key positions, enum labels */
bool px_make_header(extract *x)
{
	rs_header *h = rs_header_new(RS_DOMAIN_PG, x->schema, x->table);
	rs_header_add_meta(h, "source", "postgresql");
	const char *v = PQparameterStatus(x->c, "server_version");
	if (v)
		rs_header_add_meta(h, "server_version", v);
	rs_header_add_meta(h, "database", PQdb(x->c));
	for (size_t i = 0; i < x->nout; i++) {
		pcol *c = &x->cols[x->out[i]];
		uint32_t keypos = 0;
		if (x->key_in_output)
			for (size_t k = 0; k < x->npk; k++)
				if (x->pk[k] == x->out[i])
					keypos = (uint32_t)k + 1;
		uint32_t flags = (c->notnull ? RS_COL_NOT_NULL : 0) | (c->generated ? RS_COL_GENERATED : 0);
		size_t k = rs_header_add_column(h, c->name, c->type, c->code, flags, keypos);
		for (size_t l = 0; l < c->nlabels; l++)
			rs_column_add_attr(&h->cols[k], "member", c->labels[l]);
	}
	x->h = h;
	return rs_header_finish(h);
}
