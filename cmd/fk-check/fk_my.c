/*
 * fk_my.c - fk-check on MySQL/MariaDB: foreign keys from information_schema
 * (REFERENTIAL_CONSTRAINTS + KEY_COLUMN_USAGE), orphans by LEFT JOIN, and
 * quarantine with INSERT ... SELECT and a multi-table DELETE.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fk.h"
#include "log.h"

static bool read_pk(fkctx *x, fkey *k)
{
	buf q;
	buf_init(&q);
	buf_puts(&q, "SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE");
	myconn_where_table(x->my, &q, k->child_schema, k->child_table);
	buf_puts(&q, " AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION");
	myconn_rows it;
	bool ok = myconn_rows_open(&it, x->my, buf_cstr(&q), 1);
	buf_free(&q);
	if (!ok)
		return false;
	while (myconn_rows_next(&it))
		mem_strv_push(&k->pk, &k->npk, it.row[0]);
	myconn_rows_close(&it);
	return true;
}

/* *found: sql returns a row */
static bool one_value(fkctx *x, const char *sql, bool *found)
{
	myconn_rows it;
	if (!myconn_rows_open(&it, x->my, sql, 1))
		return false;
	*found = myconn_rows_next(&it);
	myconn_rows_close(&it);
	return true;
}

static bool fk_my_list(fkctx *x)
{
	buf q;
	buf_init(&q);
	buf_puts(&q, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ");
	myconn_quote_literal(x->my, &q, x->scope, strlen(x->scope));
	bool found = false;
	if (!one_value(x, buf_cstr(&q), &found)) {
		buf_free(&q);
		return false;
	}
	if (!found) {
		log_error("[%s] database %s not found", x->side, x->scope);
		buf_free(&q);
		return false;
	}
	buf_reset(&q);
	buf_puts(&q, "SELECT rc.CONSTRAINT_NAME, rc.TABLE_NAME, k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, "
	             "k.COLUMN_NAME, k.REFERENCED_COLUMN_NAME "
	             "FROM information_schema.REFERENTIAL_CONSTRAINTS rc "
	             "JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA "
	             "AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME AND k.TABLE_NAME = rc.TABLE_NAME "
	             "WHERE rc.CONSTRAINT_SCHEMA = ");
	myconn_quote_literal(x->my, &q, x->scope, strlen(x->scope));
	buf_puts(&q, " AND k.REFERENCED_TABLE_NAME IS NOT NULL "
	             "ORDER BY rc.TABLE_NAME, rc.CONSTRAINT_NAME, k.ORDINAL_POSITION");
	myconn_rows it;
	bool ok = myconn_rows_open(&it, x->my, buf_cstr(&q), 6);
	buf_free(&q);
	if (!ok)
		return false;
	fkey cur;
	memset(&cur, 0, sizeof cur);
	bool have = false;
	while (myconn_rows_next(&it)) {
		MYSQL_ROW row = it.row;
		if (have && (strcmp(cur.name, row[0]) != 0 || strcmp(cur.child_table, row[1]) != 0)) {
			fk_add(x, &cur);
			memset(&cur, 0, sizeof cur);
			have = false;
		}
		if (!have) {
			cur.name = mem_strdup(row[0]);
			cur.child_schema = mem_strdup(x->scope);
			cur.child_table = mem_strdup(row[1]);
			cur.parent_schema = mem_strdup(row[2] ? row[2] : x->scope);
			cur.parent_table = mem_strdup(row[3]);
			cur.validated = true;
			have = true;
		}
		size_t n = cur.ncols;
		mem_strv_push(&cur.cols, &n, row[4]);
		mem_strv_push(&cur.refcols, &cur.ncols, row[5]);
	}
	if (have)
		fk_add(x, &cur);
	myconn_rows_close(&it);
	for (size_t i = 0; ok && i < x->nfks; i++)
		ok = read_pk(x, &x->fks[i]);
	return ok;
}

/* FROM child c LEFT JOIN parent p ON p.r = c.f ... WHERE p.r1 IS NULL AND c.f IS NOT NULL ... */
static void orphan_from(fkctx *x, const fkey *k, buf *q)
{
	buf_puts(q, " FROM ");
	myconn_quote_table(q, k->child_schema, k->child_table);
	buf_puts(q, " c LEFT JOIN ");
	myconn_quote_table(q, k->parent_schema, k->parent_table);
	buf_puts(q, " p ON ");
	for (size_t i = 0; i < k->ncols; i++) {
		if (i)
			buf_puts(q, " AND ");
		buf_puts(q, "p.");
		myconn_quote_ident(q, k->refcols[i]);
		buf_puts(q, " = c.");
		myconn_quote_ident(q, k->cols[i]);
	}
	buf_puts(q, " WHERE p.");
	myconn_quote_ident(q, k->refcols[0]);
	buf_puts(q, " IS NULL");
	for (size_t i = 0; i < k->ncols; i++) {
		buf_puts(q, " AND c.");
		myconn_quote_ident(q, k->cols[i]);
		buf_puts(q, " IS NOT NULL");
	}
	(void)x;
}

static bool fk_my_orphans(fkctx *x, fkey *k)
{
	buf q;
	buf_init(&q);
	buf_puts(&q, "SELECT ");
	for (size_t i = 0; i < k->npk; i++) {
		buf_puts(&q, "c.");
		myconn_quote_ident(&q, k->pk[i]);
		buf_puts(&q, ", ");
	}
	for (size_t i = 0; i < k->ncols; i++) {
		if (i)
			buf_puts(&q, ", ");
		buf_puts(&q, "c.");
		myconn_quote_ident(&q, k->cols[i]);
	}
	orphan_from(x, k, &q);
	if (k->npk) {
		buf_puts(&q, " ORDER BY ");
		for (size_t i = 0; i < k->npk; i++) {
			if (i)
				buf_puts(&q, ", ");
			buf_puts(&q, "c.");
			myconn_quote_ident(&q, k->pk[i]);
		}
	}
	MYSQL_RES *r = myconn_use(x->my, buf_cstr(&q));
	buf_free(&q);
	if (!r)
		return false;
	size_t n = k->npk + k->ncols;
	const char **v = mem_calloc(n, sizeof *v);
	size_t *l = mem_calloc(n, sizeof *l);
	MYSQL_ROW row;
	bool ok = true;
	while (ok && (row = mysql_fetch_row(r))) {
		unsigned long *len = mysql_fetch_lengths(r);
		for (size_t i = 0; i < n; i++) {
			v[i] = row[i];
			l[i] = len[i];
		}
		ok = fk_report_orphan(x, k, v, l, v + k->npk, l + k->npk);
	}
	if (ok && mysql_errno(x->my)) {
		myconn_log_error(x->my, "reading the orphans of %s", k->name);
		ok = false;
	}
	mysql_free_result(r);
	free(v);
	free(l);
	return ok;
}

/* ------------------------------------------------------------ quarantine */

typedef struct qtable {
	char *name;     /* <child>_orphans */
	bool created;   /* made by this run (dropped again when nothing went into it) */
	buf cols;       /* `a`, `b` (stored columns of the child) */
	buf ccols;      /* c.`a`, c.`b` */
} qtable;

/* creates <child>_orphans (LIKE the child, plus constraint_name and moved_at) */
static bool prepare_table(fkctx *x, const fkey *k, qtable *t)
{
	buf q;
	buf_init(&q);
	t->name = mem_alloc(strlen(k->child_table) + 9);
	sprintf(t->name, "%s_orphans", k->child_table);
	buf_puts(&q, "SELECT 1 FROM information_schema.TABLES");
	myconn_where_table(x->my, &q, k->child_schema, t->name);
	bool exists = false;
	if (!one_value(x, buf_cstr(&q), &exists)) {
		buf_free(&q);
		return false;
	}
	t->created = !exists;
	buf_reset(&q);
	buf_puts(&q, "CREATE TABLE IF NOT EXISTS ");
	myconn_quote_table(&q, k->child_schema, t->name);
	buf_puts(&q, " LIKE ");
	myconn_quote_table(&q, k->child_schema, k->child_table);
	bool ok = myconn_exec(x->my, buf_cstr(&q));
	bool found = false;
	if (ok) {
		buf_reset(&q);
		buf_puts(&q, "SELECT 1 FROM information_schema.COLUMNS");
		myconn_where_table(x->my, &q, k->child_schema, t->name);
		buf_puts(&q, " AND COLUMN_NAME = 'moved_at'");
		ok = one_value(x, buf_cstr(&q), &found);
	}
	if (ok && !found) {
		buf_reset(&q);
		buf_puts(&q, "ALTER TABLE ");
		myconn_quote_table(&q, k->child_schema, t->name);
		buf_puts(&q, " ADD COLUMN `constraint_name` varchar(64) NULL, ADD COLUMN `moved_at` datetime(6) NULL");
		ok = myconn_exec(x->my, buf_cstr(&q));
	}
	if (ok) {
		buf_reset(&q);
		buf_puts(&q, "SELECT COLUMN_NAME FROM information_schema.COLUMNS");
		myconn_where_table(x->my, &q, k->child_schema, k->child_table);
		buf_puts(&q, " AND EXTRA NOT LIKE '%VIRTUAL GENERATED%' AND EXTRA NOT LIKE '%STORED GENERATED%'"
		             " ORDER BY ORDINAL_POSITION");
		myconn_rows it;
		ok = myconn_rows_open(&it, x->my, buf_cstr(&q), 1);
		while (ok && myconn_rows_next(&it)) {
			if (t->cols.len) {
				buf_puts(&t->cols, ", ");
				buf_puts(&t->ccols, ", ");
			}
			myconn_quote_ident(&t->cols, it.row[0]);
			buf_puts(&t->ccols, "c.");
			myconn_quote_ident(&t->ccols, it.row[0]);
		}
		if (ok)
			myconn_rows_close(&it);
	}
	buf_free(&q);
	return ok;
}

/* runs one INSERT/UPDATE/DELETE; *n the rows it changed */
static bool exec_count(fkctx *x, const char *sql, uint64_t *n)
{
	log_debug("[%s] query: %s", x->side, sql);
	if (mysql_real_query(x->my, sql, strlen(sql)) != 0) {
		myconn_log_error(x->my, "query: %.200s", sql);
		return false;
	}
	*n = (uint64_t)mysql_affected_rows(x->my);
	return true;
}

/* moves the current orphans of k; *n the rows moved */
static bool move(fkctx *x, fkey *k, qtable *t, uint64_t *n)
{
	buf q;
	buf_init(&q);
	buf_puts(&q, "INSERT INTO ");
	myconn_quote_table(&q, k->child_schema, t->name);
	buf_printf(&q, " (%s, `constraint_name`, `moved_at`) SELECT %s, ", buf_cstr(&t->cols), buf_cstr(&t->ccols));
	myconn_quote_literal(x->my, &q, k->name, strlen(k->name));
	buf_puts(&q, ", NOW(6)");
	orphan_from(x, k, &q);
	uint64_t ins = 0, del = 0;
	bool ok = exec_count(x, buf_cstr(&q), &ins);
	*n = 0;
	if (ok && ins) {
		buf_reset(&q);
		buf_puts(&q, "DELETE c");
		orphan_from(x, k, &q);
		ok = exec_count(x, buf_cstr(&q), &del);
		if (ok && del != ins) {
			log_error("[%s] %s: copied %" PRIu64 " orphans of %s.%s but deleted %" PRIu64 "; rolling back", x->side,
			          k->name, ins, k->child_schema, k->child_table, del);
			ok = false;
		}
		*n = del;
	}
	buf_free(&q);
	return ok;
}

static bool fk_my_any(fkctx *x, const fkey *k, bool *any)
{
	buf q;
	buf_init(&q);
	buf_puts(&q, "SELECT 1");
	orphan_from(x, k, &q);
	buf_puts(&q, " LIMIT 1");
	bool ok = one_value(x, buf_cstr(&q), any);
	buf_free(&q);
	return ok;
}

static bool fk_my_quarantine(fkctx *x)
{
	qtable *t = mem_calloc(x->nfks, sizeof *t);
	/* a multi-table DELETE resolves its alias list in the default database */
	bool ok = mysql_select_db(x->my, x->scope) == 0;
	if (!ok)
		myconn_log_error(x->my, "selecting database %s", x->scope);
	/* DDL commits implicitly in MySQL: the side tables are made first, for the keys with
	 * orphans and the keys whose parent is the child of one (moving a row can orphan the rows
	 * that reference it) */
	bool *need = mem_calloc(x->nfks ? x->nfks : 1, sizeof *need);
	for (size_t i = 0; i < x->nfks; i++)
		need[i] = x->fks[i].orphans > 0;
	for (bool more = true; more;) {
		more = false;
		for (size_t i = 0; i < x->nfks; i++)
			for (size_t j = 0; need[i] && j < x->nfks; j++)
				if (!need[j] && strcmp(x->fks[j].parent_schema, x->fks[i].child_schema) == 0 &&
				    strcmp(x->fks[j].parent_table, x->fks[i].child_table) == 0)
					need[j] = more = true;
	}
	for (size_t i = 0; i < x->nfks; i++) {
		buf_init(&t[i].cols);
		buf_init(&t[i].ccols);
	}
	for (size_t i = 0; ok && i < x->nfks; i++)
		if (need[i])
			ok = prepare_table(x, &x->fks[i], &t[i]);
	free(need);
	/* no cascades while moving: rows referencing a moved row become orphans of their own */
	ok = ok && myconn_exec(x->my, "SET SESSION foreign_key_checks = 0") &&
	     myconn_exec(x->my, "START TRANSACTION");
	bool in_tx = ok;
	uint64_t moved = 1;
	for (size_t pass = 0; ok && moved && pass <= x->nfks; pass++) {
		moved = 0;
		for (size_t i = 0; ok && i < x->nfks; i++) {
			if (!t[i].name)
				continue;
			uint64_t n;
			ok = move(x, &x->fks[i], &t[i], &n);
			x->fks[i].moved += n;
			moved += n;
		}
	}
	if (ok)
		ok = myconn_exec(x->my, "COMMIT");
	else if (in_tx && !myconn_exec(x->my, "ROLLBACK")) {
		/* logged; already failing, and the server rolls back when the connection closes */
	}
	if (!myconn_exec(x->my, "SET SESSION foreign_key_checks = 1")) {
		/* logged; the setting ends with the session, and what was committed stays (ok unchanged:
		 * a false ok would drop the side tables below) */
	}
	/* side tables this run made and nothing went into */
	for (size_t i = 0; i < x->nfks; i++) {
		if (!t[i].created)
			continue;
		uint64_t into = 0;
		for (size_t j = 0; j < x->nfks; j++)
			if (t[j].name && strcmp(t[j].name, t[i].name) == 0)
				into += x->fks[j].moved;
		if (into == 0 || !ok) {
			buf q;
			buf_init(&q);
			buf_puts(&q, "DROP TABLE IF EXISTS ");
			myconn_quote_table(&q, x->fks[i].child_schema, t[i].name);
			if (!myconn_exec(x->my, buf_cstr(&q))) {
				/* logged: the side table stays, empty */
			}
			buf_free(&q);
		}
	}
	for (size_t i = 0; i < x->nfks; i++) {
		if (ok && x->fks[i].moved)
			fk_report_moved(x, &x->fks[i], x->fks[i].moved, t[i].name);
		free(t[i].name);
		buf_free(&t[i].cols);
		buf_free(&t[i].ccols);
	}
	free(t);
	if (!ok)
		for (size_t i = 0; i < x->nfks; i++)
			x->fks[i].moved = 0;
	return ok;
}

const fk_side fk_my_side = {fk_my_list, fk_my_orphans, fk_my_quarantine, fk_my_any};
