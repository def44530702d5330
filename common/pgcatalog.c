/*
 * pgcatalog.c - schemas and tables by name, one rule (pgcatalog.h).
 *
 * The queries fetch every candidate that is the same as the name in ASCII
 * case-insensitive comparison (folded with translate(), which unlike lower()
 * does not depend on the database's locale); the rule is applied here, by
 * pgname_find().
 */
#include "pgcatalog.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "pgconn.h"
#include "pgname.h"

#define FOLD(x) "pg_catalog.translate(" x ", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"

/* a part of a name as given: bare, or "double-quoted" with "" for a quote */
static void put_part(buf *b, const char *s, bool quoted)
{
	if (!quoted) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, (uint8_t)*s);
	}
	buf_putc(b, '"');
}

static void put_name(buf *b, const char *schema, bool qs, const char *table, bool qt)
{
	if (schema) {
		put_part(b, schema, qs);
		buf_putc(b, '.');
	}
	put_part(b, table, qt);
}

/* candidates [from, from + n) of a result, by the text of one column */
typedef struct rows {
	const PGresult *r;
	int from, col;
} rows;

static const char *row_name(const void *arg, size_t i)
{
	const rows *w = arg;
	return PQgetvalue(w->r, w->from + (int)i, w->col);
}

/* "a and b", "a, b and c": the candidates of an ambiguous name */
static void put_candidates(buf *b, const PGresult *r, int from, int n, int schema_col, int name_col)
{
	for (int i = 0; i < n; i++) {
		if (i)
			buf_puts(b, i == n - 1 ? " and " : ", ");
		if (schema_col >= 0)
			buf_printf(b, "%s.", PQgetvalue(r, from + i, schema_col));
		buf_puts(b, PQgetvalue(r, from + i, name_col));
	}
}

bool pgcatalog_find_schema(PGconn *c, const char *side, const char *name, bool quoted, char **out)
{
	*out = NULL;
	const char *params[] = {name};
	PGresult *r = pgconn_query(c, side,
	                           "SELECT nspname FROM pg_catalog.pg_namespace WHERE " FOLD("nspname") " = " FOLD(
	                               "$1") " ORDER BY nspname",
	                           1, params);
	if (!r)
		return false;
	rows w = {r, 0, 0};
	int n = PQntuples(r);
	int k = pgname_find(name, quoted, (size_t)n, row_name, &w);
	if (k >= 0)
		*out = mem_strdup(PQgetvalue(r, k, 0));
	if (k == -2) {
		buf b;
		buf_init(&b);
		put_candidates(&b, r, 0, n, -1, 0);
		log_error("[%s] schema name %s is ambiguous: %s (quote it)", side, name, buf_cstr(&b));
		buf_free(&b);
	}
	PQclear(r);
	return k != -2;
}

bool pgcatalog_find_table(PGconn *c, const char *side, const char *schema, bool quoted_schema, const char *table,
                          bool quoted_table, const char *relkinds, pgcatalog_rel *rel, bool *found)
{
	memset(rel, 0, sizeof *rel);
	*found = false;
	char *nsp = NULL;
	if (schema) {
		if (!pgcatalog_find_schema(c, side, schema, quoted_schema, &nsp))
			return false;
		if (!nsp)
			return true;
	}
	const char *params[] = {nsp, table, relkinds};
	PGresult *r = pgconn_query(
	    c, side,
	    "SELECT c.oid, n.nspname, c.relname, c.relkind, "
	    "       coalesce(pg_catalog.array_position(pg_catalog.current_schemas(false), n.nspname::text), 0) AS pos "
	    "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	    "WHERE pg_catalog.strpos($3, c.relkind::text) > 0 AND " FOLD("c.relname") " = " FOLD("$2") " "
	    "  AND CASE WHEN $1::text IS NULL THEN n.nspname = ANY (pg_catalog.current_schemas(false)) "
	    "           ELSE n.nspname = $1 END "
	    "ORDER BY pos, c.relname",
	    3, params);
	free(nsp);
	if (!r)
		return false;
	int n = PQntuples(r), pick = -1;
	/* exactly the name: the first schema (of the path) holding it */
	for (int i = 0; i < n && pick < 0; i++)
		if (strcmp(PQgetvalue(r, i, 2), table) == 0)
			pick = i;
	if (pick < 0 && n > 0) {
		/* else case-insensitively, within the first schema holding a match */
		int group = 1;
		while (group < n && strcmp(PQgetvalue(r, group, 4), PQgetvalue(r, 0, 4)) == 0)
			group++;
		rows w = {r, 0, 2};
		pick = pgname_find(table, quoted_table, (size_t)group, row_name, &w);
		if (pick == -2) {
			buf b, nm;
			buf_init(&b);
			buf_init(&nm);
			put_candidates(&b, r, 0, group, 1, 2);
			put_name(&nm, schema, quoted_schema, table, quoted_table);
			log_error("[%s] table name %s is ambiguous: %s (quote it)", side, buf_cstr(&nm), buf_cstr(&b));
			buf_free(&nm);
			buf_free(&b);
			PQclear(r);
			return false;
		}
	}
	if (pick >= 0) {
		rel->oid = (uint32_t)strtoul(PQgetvalue(r, pick, 0), NULL, 10);
		rel->schema = mem_strdup(PQgetvalue(r, pick, 1));
		rel->table = mem_strdup(PQgetvalue(r, pick, 2));
		rel->relkind = PQgetvalue(r, pick, 3)[0];
		*found = true;
	}
	PQclear(r);
	return true;
}

void pgcatalog_rel_free(pgcatalog_rel *rel)
{
	free(rel->schema);
	free(rel->table);
	memset(rel, 0, sizeof *rel);
}

void pgcatalog_log_missing(const char *side, const char *schema, bool quoted_schema, const char *table,
                           bool quoted_table, const char *hint)
{
	buf b;
	buf_init(&b);
	put_name(&b, schema, quoted_schema, table, quoted_table);
	log_error("[%s] table %s not found%s%s", side, buf_cstr(&b), hint ? " " : "", hint ? hint : "");
	buf_free(&b);
}
