/*
 * fk_pg.c - fk-check on PostgreSQL: foreign keys from pg_constraint
 * (contype 'f', NOT VALID ones included), orphans by NOT EXISTS (an anti-join,
 * MATCH SIMPLE or FULL as declared), quarantine in one transaction.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fk_pg.h"
#include "log.h"
#include "pgcatalog.h"
#include "pgconn.h"
#include "pgname.h"

static bool read_pk(fkctx *x, fkey *k)
{
	const char *p[] = {k->child_schema, k->child_table};
	PGresult *r = pgconn_query(x->pgc, x->side,
	                           "SELECT a.attname FROM pg_catalog.pg_index i "
	                           "CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, pos) "
	                           "JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
	                           "WHERE i.indisprimary AND i.indrelid = (SELECT c.oid FROM pg_catalog.pg_class c "
	                           "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	                           "  WHERE n.nspname = $1 AND c.relname = $2) ORDER BY k.pos",
	                           2, p);
	if (!r)
		return false;
	for (int j = 0; j < PQntuples(r); j++)
		mem_strv_push(&k->pk, &k->npk, PQgetvalue(r, j, 0));
	PQclear(r);
	return true;
}

/* the columns of a table, for pgname_find() and pgname_find_renamed() */
static const char *colname_at(const void *arg, size_t i)
{
	return PQgetvalue(arg, (int)i, 0);
}

static int colnames_find(const void *arg, const char *name)
{
	return pgname_find(name, false, (size_t)PQntuples(arg), colname_at, arg);
}

/* the name of a table (col NULL) or of a column of it as the target spells it, by the one rule
 * (pgcatalog.h), a column named like a system column also by my-schema's rename (pgname.h);
 * false when absent (*out NULL) or on error (*err set: logged) */
static bool resolve(fkctx *x, const char *schema, const char *table, const char *col, char **out, bool *err)
{
	*out = NULL;
	if (!col) {
		pgcatalog_rel rel;
		bool found;
		if (!pgcatalog_find_table(x->pgc, x->side, schema, true, table, false, PGCATALOG_TABLES, &rel, &found)) {
			*err = true;
			return false;
		}
		if (found) {
			*out = rel.table;
			free(rel.schema);
		}
		return found;
	}
	const char *p[] = {schema, table};
	PGresult *r = pgconn_query(x->pgc, x->side,
	                           "SELECT a.attname FROM pg_catalog.pg_attribute a "
	                           "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
	                           "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	                           "WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped "
	                           "ORDER BY a.attnum",
	                           2, p);
	if (!r) {
		*err = true;
		return false;
	}
	int k = colnames_find(r, col);
	if (k == -1)
		k = pgname_find_renamed(col, NULL, 0, SIZE_MAX, colnames_find, r, (size_t)PQntuples(r));
	if (k >= 0)
		*out = mem_strdup(PQgetvalue(r, k, 0));
	PQclear(r);
	return *out != NULL;
}

static bool same_names(char *const *a, char *const *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

bool fk_pg_add_source(fkctx *x, const fkey *src, size_t n, const char *src_db)
{
	size_t declared = x->nfks;
	for (size_t i = 0; i < n; i++) {
		const fkey *m = &src[i];
		fkey k;
		memset(&k, 0, sizeof k);
		bool err = false;
		/* the source database is the target schema; other databases keep their name */
		const char *ps = strcmp(m->parent_schema, src_db) == 0 ? x->scope : m->parent_schema;
		k.name = mem_strdup(m->name);
		k.child_schema = mem_strdup(x->scope);
		k.parent_schema = mem_strdup(ps);
		k.validated = false;
		k.from_source = true;
		bool ok = resolve(x, x->scope, m->child_table, NULL, &k.child_table, &err) &&
		          resolve(x, ps, m->parent_table, NULL, &k.parent_table, &err);
		k.cols = mem_calloc(m->ncols, sizeof *k.cols);
		k.refcols = mem_calloc(m->ncols, sizeof *k.refcols);
		k.ncols = m->ncols;
		for (size_t c = 0; ok && c < m->ncols; c++)
			ok = resolve(x, x->scope, k.child_table, m->cols[c], &k.cols[c], &err) &&
			     resolve(x, ps, k.parent_table, m->refcols[c], &k.refcols[c], &err);
		if (err) {
			fk_free(&k);
			return false;
		}
		if (!ok) {
			log_warn("[%s] foreign key %s of the source (%s.%s -> %s.%s): a table or column is missing in "
			         "schema %s, not checked",
			         x->side, m->name, src_db, m->child_table, m->parent_schema, m->parent_table, x->scope);
			fk_free(&k);
			continue;
		}
		/* already declared in the target: checked as such */
		bool dup = false;
		for (size_t j = 0; j < declared && !dup; j++) {
			const fkey *d = &x->fks[j];
			dup = d->ncols == k.ncols && strcmp(d->child_table, k.child_table) == 0 &&
			      strcmp(d->parent_schema, k.parent_schema) == 0 && strcmp(d->parent_table, k.parent_table) == 0 &&
			      same_names(d->cols, k.cols, k.ncols) && same_names(d->refcols, k.refcols, k.ncols);
		}
		if (dup || !read_pk(x, &k)) {
			fk_free(&k);
			if (!dup)
				return false;
			continue;
		}
		fk_add(x, &k);
	}
	return true;
}

/* the schema as the catalog spells it, by the one rule (pgcatalog.h) */
static bool resolve_schema(fkctx *x)
{
	char *nsp;
	if (!pgcatalog_find_schema(x->pgc, x->side, x->scope, x->scope_quoted, &nsp))
		return false;
	if (!nsp) {
		const char *q = x->scope_quoted ? "\"" : "";
		log_error("[%s] schema %s%s%s not found", x->side, q, x->scope, q);
		return false;
	}
	free(x->scope);
	x->scope = nsp;
	return true;
}

static bool fk_pg_list(fkctx *x)
{
	if (!resolve_schema(x))
		return false;
	const char *sql =
	    "SELECT con.conname, cn.nspname, cc.relname, pn.nspname, pc.relname, con.confmatchtype = 'f', "
	    "       con.convalidated, ca.attname, pa.attname, con.oid, con.conrelid "
	    "FROM pg_catalog.pg_constraint con "
	    "JOIN pg_catalog.pg_class cc ON cc.oid = con.conrelid "
	    "JOIN pg_catalog.pg_namespace cn ON cn.oid = cc.relnamespace "
	    "JOIN pg_catalog.pg_class pc ON pc.oid = con.confrelid "
	    "JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace "
	    "CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(ck, pk, pos) "
	    "JOIN pg_catalog.pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = k.ck "
	    "JOIN pg_catalog.pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = k.pk "
	    "WHERE con.contype = 'f' AND con.conparentid = 0 AND cn.nspname = $1 "
	    "ORDER BY cc.relname, con.conname, con.oid, k.pos";
	const char *params[] = {x->scope};
	PGresult *r = pgconn_query(x->pgc, x->side, sql, 1, params);
	if (!r)
		return false;
	fkey cur;
	memset(&cur, 0, sizeof cur);
	const char *cur_oid = NULL;
	int n = PQntuples(r);
	for (int i = 0; i < n; i++) {
		if (cur_oid && strcmp(cur_oid, PQgetvalue(r, i, 9)) != 0) {
			fk_add(x, &cur);
			memset(&cur, 0, sizeof cur);
			cur_oid = NULL;
		}
		if (!cur_oid) {
			cur_oid = PQgetvalue(r, i, 9);
			cur.name = mem_strdup(PQgetvalue(r, i, 0));
			cur.child_schema = mem_strdup(PQgetvalue(r, i, 1));
			cur.child_table = mem_strdup(PQgetvalue(r, i, 2));
			cur.parent_schema = mem_strdup(PQgetvalue(r, i, 3));
			cur.parent_table = mem_strdup(PQgetvalue(r, i, 4));
			cur.match_full = PQgetvalue(r, i, 5)[0] == 't';
			cur.validated = PQgetvalue(r, i, 6)[0] == 't';
		}
		size_t m = cur.ncols;
		mem_strv_push(&cur.cols, &m, PQgetvalue(r, i, 7));
		mem_strv_push(&cur.refcols, &cur.ncols, PQgetvalue(r, i, 8));
	}
	if (cur_oid)
		fk_add(x, &cur);
	PQclear(r);
	/* the child's primary key, to name the orphan rows */
	for (size_t i = 0; i < x->nfks; i++)
		if (!read_pk(x, &x->fks[i]))
			return false;
	return true;
}

/* FROM child c WHERE <c violates k> */
static bool orphan_from(fkctx *x, const fkey *k, buf *q, bool delete)
{
	PGconn *c = x->pgc;
	buf_puts(q, delete ? "DELETE FROM " : " FROM ");
	if (!pgconn_qualified(q, c, k->child_schema, k->child_table))
		return false;
	buf_puts(q, " c WHERE ");
	if (k->match_full) {
		/* MATCH FULL: all NULL is fine; partly NULL is a violation; else the parent must exist */
		buf_puts(q, "NOT (");
		for (size_t i = 0; i < k->ncols; i++) {
			if (i)
				buf_puts(q, " AND ");
			buf_puts(q, "c.");
			if (!pgconn_ident(q, c, k->cols[i]))
				return false;
			buf_puts(q, " IS NULL");
		}
		buf_puts(q, ") AND (");
		for (size_t i = 0; i < k->ncols; i++) {
			buf_puts(q, "c.");
			if (!pgconn_ident(q, c, k->cols[i]))
				return false;
			buf_puts(q, " IS NULL OR ");
		}
	} else {
		/* MATCH SIMPLE: a key with any NULL needs no parent */
		for (size_t i = 0; i < k->ncols; i++) {
			buf_puts(q, "c.");
			if (!pgconn_ident(q, c, k->cols[i]))
				return false;
			buf_puts(q, " IS NOT NULL AND ");
		}
	}
	buf_puts(q, "NOT EXISTS (SELECT 1 FROM ");
	if (!pgconn_qualified(q, c, k->parent_schema, k->parent_table))
		return false;
	buf_puts(q, " p WHERE ");
	for (size_t i = 0; i < k->ncols; i++) {
		if (i)
			buf_puts(q, " AND ");
		buf_puts(q, "p.");
		if (!pgconn_ident(q, c, k->refcols[i]))
			return false;
		buf_puts(q, " = c.");
		if (!pgconn_ident(q, c, k->cols[i]))
			return false;
	}
	buf_puts(q, k->match_full ? "))" : ")");
	return true;
}

static bool fk_pg_orphans(fkctx *x, fkey *k)
{
	buf q;
	buf_init(&q);
	buf_puts(&q, "SELECT ");
	bool ok = true;
	for (size_t i = 0; ok && i < k->npk; i++) {
		buf_puts(&q, "c.");
		ok = pgconn_ident(&q, x->pgc, k->pk[i]);
		buf_puts(&q, "::text, ");
	}
	for (size_t i = 0; ok && i < k->ncols; i++) {
		if (i)
			buf_puts(&q, ", ");
		buf_puts(&q, "c.");
		ok = pgconn_ident(&q, x->pgc, k->cols[i]);
		buf_puts(&q, "::text");
	}
	ok = ok && orphan_from(x, k, &q, false);
	if (ok && k->npk) {
		buf_puts(&q, " ORDER BY ");
		for (size_t i = 0; ok && i < k->npk; i++) {
			if (i)
				buf_puts(&q, ", ");
			buf_puts(&q, "c.");
			ok = pgconn_ident(&q, x->pgc, k->pk[i]);
		}
	}
	if (!ok) {
		buf_free(&q);
		return false;
	}
	/* one row at a time: the orphans of a big table need not fit in memory */
	if (!PQsendQuery(x->pgc, buf_cstr(&q)) || !PQsetSingleRowMode(x->pgc)) {
		pgconn_log_error(x->side, x->pgc, NULL, "unable to look for orphans");
		buf_free(&q);
		return false;
	}
	size_t n = k->npk + k->ncols;
	const char **v = mem_calloc(n, sizeof *v);
	size_t *l = mem_calloc(n, sizeof *l);
	PGresult *r;
	while ((r = PQgetResult(x->pgc)) != NULL) {
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_SINGLE_TUPLE && ok) {
			for (size_t i = 0; i < n; i++) {
				bool null = PQgetisnull(r, 0, (int)i);
				v[i] = null ? NULL : PQgetvalue(r, 0, (int)i);
				l[i] = null ? 0 : (size_t)PQgetlength(r, 0, (int)i);
			}
			ok = fk_report_orphan(x, k, v, l, v + k->npk, l + k->npk);
		} else if (st != PGRES_TUPLES_OK && st != PGRES_SINGLE_TUPLE && ok) {
			buf w;
			buf_init(&w);
			buf_printf(&w, "unable to look for orphans of %s", k->name);
			pgconn_log_error(x->side, x->pgc, r, buf_cstr(&w));
			buf_free(&w);
			ok = false;
		}
		PQclear(r);
	}
	free(v);
	free(l);
	buf_free(&q);
	return ok;
}

/* ------------------------------------------------------------ quarantine */

static char *orphans_name(const fkey *k)
{
	char *s = mem_alloc(strlen(k->child_table) + 9);
	sprintf(s, "%s_orphans", k->child_table);
	return s;
}

/* CREATE the side table when missing; the stored columns of the child as a list */
static bool prepare_table(fkctx *x, const fkey *k, const char *name, buf *cols)
{
	buf q;
	buf_init(&q);
	buf_puts(&q, "CREATE TABLE IF NOT EXISTS ");
	bool ok = pgconn_qualified(&q, x->pgc, k->child_schema, name);
	buf_puts(&q, " (LIKE ");
	ok = ok && pgconn_qualified(&q, x->pgc, k->child_schema, k->child_table);
	buf_puts(&q, "); ALTER TABLE ");
	ok = ok && pgconn_qualified(&q, x->pgc, k->child_schema, name);
	buf_puts(&q, " ADD COLUMN IF NOT EXISTS constraint_name text, ADD COLUMN IF NOT EXISTS moved_at timestamptz");
	ok = ok && pgconn_exec(x->pgc, x->side, buf_cstr(&q));
	buf_free(&q);
	if (!ok)
		return false;
	const char *p[] = {k->child_schema, k->child_table};
	PGresult *r = pgconn_query(x->pgc, x->side,
	                           "SELECT a.attname FROM pg_catalog.pg_attribute a "
	                           "WHERE a.attrelid = (SELECT c.oid FROM pg_catalog.pg_class c "
	                           "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	                           "  WHERE n.nspname = $1 AND c.relname = $2) "
	                           "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
	                           2, p);
	if (!r)
		return false;
	for (int i = 0; ok && i < PQntuples(r); i++) {
		if (i)
			buf_puts(cols, ", ");
		ok = pgconn_ident(cols, x->pgc, PQgetvalue(r, i, 0));
	}
	PQclear(r);
	return ok;
}

/* true when k has orphans right now; *ok false on error */
static bool has_orphans(fkctx *x, const fkey *k, bool *ok)
{
	buf q;
	buf_init(&q);
	buf_puts(&q, "SELECT EXISTS (SELECT 1");
	*ok = orphan_from(x, k, &q, false);
	buf_putc(&q, ')');
	PGresult *r = *ok ? pgconn_query(x->pgc, x->side, buf_cstr(&q), 0, NULL) : NULL;
	buf_free(&q);
	if (!r) {
		*ok = false;
		return false;
	}
	bool yes = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	return yes;
}

static bool move(fkctx *x, fkey *k, const char *name, const char *cols, uint64_t *n)
{
	buf q;
	buf_init(&q);
	buf_puts(&q, "WITH moved AS (");
	bool ok = orphan_from(x, k, &q, true);
	buf_puts(&q, " RETURNING c.*) INSERT INTO ");
	ok = ok && pgconn_qualified(&q, x->pgc, k->child_schema, name);
	buf_printf(&q, " (%s, constraint_name, moved_at) SELECT %s, $1, now() FROM moved", cols, cols);
	const char *p[] = {k->name};
	PGresult *r = ok ? pgconn_query(x->pgc, x->side, buf_cstr(&q), 1, p) : NULL;
	buf_free(&q);
	if (!r)
		return false;
	*n = strtoull(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return true;
}

static bool fk_pg_any(fkctx *x, const fkey *k, bool *any)
{
	bool ok;
	*any = has_orphans(x, k, &ok);
	return ok;
}

static bool fk_pg_quarantine(fkctx *x)
{
	if (!pgconn_exec(x->pgc, x->side, "BEGIN"))
		return false;
	/* triggers off (superuser only): no ON DELETE action runs for the rows moved; rows
	 * referencing them become orphans of their own and are moved in the next pass */
	bool ok = pgconn_exec(x->pgc, x->side, "SAVEPOINT fk_check");
	PGresult *r = ok ? PQexec(x->pgc, "SET LOCAL session_replication_role = replica") : NULL;
	if (ok && r && PQresultStatus(r) == PGRES_COMMAND_OK) {
		x->quarantine_replica = true;
	} else if (ok) {
		log_warn("[%s] not allowed to set session_replication_role: ON DELETE actions of foreign keys "
		         "referencing the moved rows will run",
		         x->side);
		ok = pgconn_exec(x->pgc, x->side, "ROLLBACK TO SAVEPOINT fk_check");
	}
	PQclear(r);
	char **names = mem_calloc(x->nfks ? x->nfks : 1, sizeof *names);
	buf *cols = mem_calloc(x->nfks ? x->nfks : 1, sizeof *cols);
	for (size_t i = 0; i < x->nfks; i++)
		buf_init(&cols[i]);
	uint64_t moved = 1;
	for (size_t pass = 0; ok && moved && pass <= x->nfks; pass++) {
		moved = 0;
		for (size_t i = 0; ok && i < x->nfks; i++) {
			fkey *k = &x->fks[i];
			if (!names[i]) {
				/* tables are made only for keys that have orphans (transactional DDL) */
				bool any = k->orphans > 0;
				if (!any && pass > 0 && !has_orphans(x, k, &ok))
					continue;
				if (!ok)
					break;
				if (!any && pass == 0)
					continue;
				names[i] = orphans_name(k);
				ok = prepare_table(x, k, names[i], &cols[i]);
				if (!ok)
					break;
			}
			uint64_t n = 0;
			ok = move(x, k, names[i], buf_cstr(&cols[i]), &n);
			k->moved += n;
			moved += n;
		}
	}
	ok = ok && pgconn_exec(x->pgc, x->side, "COMMIT");
	if (!ok) {
		PQclear(PQexec(x->pgc, "ROLLBACK"));
		for (size_t i = 0; i < x->nfks; i++)
			x->fks[i].moved = 0;
	}
	for (size_t i = 0; i < x->nfks; i++) {
		if (ok && x->fks[i].moved)
			fk_report_moved(x, &x->fks[i], x->fks[i].moved, names[i]);
		free(names[i]);
		buf_free(&cols[i]);
	}
	free(names);
	free(cols);
	return ok;
}

const fk_side fk_pg_side = {fk_pg_list, fk_pg_orphans, fk_pg_quarantine, fk_pg_any};
