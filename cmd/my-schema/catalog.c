/*
 * catalog.c - reads one database's information_schema into the model.
 *
 * Columns come from mytable_read() (common/mytable.h), one table at a time;
 * indexes, checks, foreign keys, views, triggers, routines, events and
 * partitioning are read for the whole database at once. information_schema
 * compares names without case, so every row's table name is compared again
 * here, byte for byte.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "myconn.h"
#include "schema.h"

/* " WHERE <col> = 'db'" */
static void where_db(sc_db *d, buf *q, const char *col)
{
	buf_printf(q, " WHERE %s = ", col);
	myconn_quote_literal(d->m, q, d->db, strlen(d->db));
}

/* the rows of "<select> WHERE <col> = '<db>'<tail>", at least ncols columns; false (logged) on error */
static bool open_in_db(sc_db *d, myconn_rows *it, const char *select, const char *col, const char *tail,
                       unsigned ncols)
{
	buf q;
	buf_init(&q);
	buf_puts(&q, select);
	where_db(d, &q, col);
	if (tail)
		buf_puts(&q, tail);
	bool ok = myconn_rows_open(it, d->m, buf_cstr(&q), ncols);
	buf_free(&q);
	return ok;
}

/* the next row of the database: column 0 (its schema) is d->db byte for byte, and column 1
 * (a name) is not NULL */
static bool next_in_db(sc_db *d, myconn_rows *it)
{
	while (myconn_rows_next(it))
		if (myconn_rows_is(it, 0, d->db) && it->row[1])
			return true;
	return false;
}

sc_table *catalog_find(sc_db *d, const char *name)
{
	size_t lo = 0, hi = d->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, d->tables[mid].name);
		if (c == 0)
			return &d->tables[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* the table (view: the view) that column 1 of the row names; NULL when the model has none,
 * or it is skipped, or of the other kind */
static sc_table *row_table(sc_db *d, const myconn_rows *it, bool view)
{
	char *tn = myconn_rows_dup(it, 1);
	sc_table *t = catalog_find(d, tn);
	free(tn);
	return t && !t->skip && t->is_view == view ? t : NULL;
}

static int table_cmp(const void *a, const void *b)
{
	return strcmp(((const sc_table *)a)->name, ((const sc_table *)b)->name);
}

static bool selected(const sc_opts *o, const char *name)
{
	if (o->ninclude) {
		bool in = false;
		for (size_t i = 0; i < o->ninclude && !in; i++)
			in = fnmatch(o->include[i], name, 0) == 0;
		if (!in)
			return false;
	}
	for (size_t i = 0; i < o->nexclude; i++)
		if (fnmatch(o->exclude[i], name, 0) == 0)
			return false;
	return true;
}

static bool read_tables(sc_db *d)
{
	myconn_rows it;
	if (!open_in_db(d, &it,
	                "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE, AUTO_INCREMENT, TABLE_COMMENT, CREATE_OPTIONS "
	                "FROM information_schema.TABLES",
	                "TABLE_SCHEMA", NULL, 7))
		return false;
	while (next_in_db(d, &it)) {
		d->tables = mem_realloc(d->tables, (d->n + 1) * sizeof *d->tables);
		sc_table *t = &d->tables[d->n++];
		memset(t, 0, sizeof *t);
		t->name = myconn_rows_dup(&it, 1);
		t->table_type = it.row[2] ? myconn_rows_dup(&it, 2) : mem_strdup("BASE TABLE");
		t->engine = myconn_rows_dup(&it, 3);
		t->auto_increment = myconn_rows_dup(&it, 4);
		t->comment = myconn_rows_dup(&it, 5);
		t->create_options = myconn_rows_dup(&it, 6);
		t->is_view = strcmp(t->table_type, "VIEW") == 0;
		names_init(&t->colnames);
		names_init(&t->connames);
		typemap_overrides_init(&t->ov);
	}
	myconn_rows_close(&it);
	qsort(d->tables, d->n, sizeof *d->tables, table_cmp);
	return true;
}

/* --postgis: the SRID of the table's geometry columns, as header attribute "srid"
 * (MySQL 8: COLUMNS.SRS_ID; MariaDB: GEOMETRY_COLUMNS.SRID, from REF_SYSTEM_ID) */
static bool read_srids(sc_db *d, sc_table *t)
{
	buf q;
	buf_init(&q);
	if (d->mariadb)
		buf_puts(&q, "SELECT G_GEOMETRY_COLUMN, SRID FROM information_schema.GEOMETRY_COLUMNS WHERE G_TABLE_SCHEMA = ");
	else if (d->version >= 80003)
		buf_puts(&q, "SELECT COLUMN_NAME, SRS_ID FROM information_schema.COLUMNS WHERE SRS_ID IS NOT NULL AND "
		             "TABLE_SCHEMA = ");
	else {
		buf_free(&q);
		return true;
	}
	myconn_quote_literal(d->m, &q, d->db, strlen(d->db));
	buf_puts(&q, d->mariadb ? " AND G_TABLE_NAME = " : " AND TABLE_NAME = ");
	myconn_quote_literal(d->m, &q, t->name, strlen(t->name));
	myconn_rows it;
	bool ok = myconn_rows_open(&it, d->m, buf_cstr(&q), 2);
	buf_free(&q);
	if (!ok)
		return false;
	while (myconn_rows_next(&it)) {
		const char *col = it.row[0], *srid = it.row[1];
		if (!col || !srid || strcmp(srid, "0") == 0)
			continue;
		for (size_t k = 0; k < t->hdr->ncols; k++)
			if (strcmp(t->hdr->cols[k].name, col) == 0 && !rs_column_attr(&t->hdr->cols[k], "srid"))
				rs_column_add_attr(&t->hdr->cols[k], "srid", srid);
	}
	myconn_rows_close(&it);
	return true;
}

static bool read_columns(sc_db *d)
{
	for (size_t i = 0; i < d->n; i++) {
		sc_table *t = &d->tables[i];
		if (!selected(d->opts, t->name)) {
			t->skip = true;
			continue;
		}
		if (strcmp(t->table_type, "SEQUENCE") == 0) {
			char what[512];
			snprintf(what, sizeof what, "sequence %s", t->name);
			report_add(d->rep, REP_NOT_CONVERTED, what, NULL, "MariaDB sequences are not converted");
			t->skip = true;
			continue;
		}
		mytable_status st = mytable_read(d->m, d->db, t->name, &t->mt);
		if (st == MYTABLE_ERROR)
			return false;
		if (st == MYTABLE_NOT_FOUND) {
			/* dropped meanwhile, no privilege on its columns, or an invalid view (logged) */
			t->skip = true;
			if (t->is_view) {
				char what[512];
				snprintf(what, sizeof what, "view %s", t->name);
				report_add(d->rep, REP_NOT_CONVERTED, what, NULL, "its columns cannot be read (an invalid view?)");
			} else {
				d->failed = true;
			}
			continue;
		}
		t->hdr = rs_header_new(RS_DOMAIN_MYSQL, d->db, t->name);
		t->ncols = t->mt->ncols;
		t->cols = mem_calloc(t->ncols ? t->ncols : 1, sizeof *t->cols);
		/* the result metadata too, as my-extract puts it in the stream's header: the type map
		 * then sees exactly what row-convert will see (e.g. MariaDB's format "json") */
		MYSQL_RES *meta = NULL;
		MYSQL_FIELD *fields = NULL;
		if (!t->is_view) {
			meta = mytable_select_nothing(d->m, t->mt, NULL, t->mt->ncols);
			if (!meta)
				return false;
			fields = mysql_fetch_fields(meta);
		}
		for (size_t k = 0; k < t->ncols; k++) {
			uint32_t keypos = mytable_key_position(t->mt, k);
			mytable_header_column(t->hdr, &t->mt->cols[k], fields ? &fields[k] : NULL, keypos);
			t->cols[k].my = &t->mt->cols[k];
		}
		if (meta)
			mysql_free_result(meta);
		if (d->opts->postgis && !t->is_view && !read_srids(d, t))
			return false;
		if (strcmp(t->table_type, "SYSTEM VERSIONED") == 0) {
			char what[512];
			snprintf(what, sizeof what, "table %s", t->name);
			report_add(d->rep, REP_APPROXIMATE, what, NULL,
			           "system versioning is not converted (the current rows only)");
		}
	}
	return true;
}

static int part_less(const sc_index *x, const sc_index *y)
{
	if (x->primary != y->primary)
		return x->primary ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int index_cmp(const void *a, const void *b)
{
	return part_less(a, b);
}

static bool read_indexes(sc_db *d)
{
	/* MySQL 8.0.13+ has functional key parts */
	bool has_expr = !d->mariadb && d->version >= 80013;
	buf q;
	buf_init(&q);
	buf_printf(&q, "SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, SUB_PART, "
	               "INDEX_TYPE, COLLATION, INDEX_COMMENT%s FROM information_schema.STATISTICS",
	           has_expr ? ", EXPRESSION" : "");
	where_db(d, &q, "TABLE_SCHEMA");
	buf_puts(&q, " ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX");
	myconn_rows it;
	bool ok = myconn_rows_open(&it, d->m, buf_cstr(&q), has_expr ? 11 : 10);
	buf_free(&q);
	if (!ok)
		return false;
	while (next_in_db(d, &it)) {
		sc_table *t = it.row[2] ? row_table(d, &it, false) : NULL;
		if (!t)
			continue;
		sc_index *ix = NULL;
		for (size_t i = 0; i < t->nidx && !ix; i++)
			if (myconn_rows_is(&it, 2, t->idx[i].name))
				ix = &t->idx[i];
		if (!ix) {
			t->idx = mem_realloc(t->idx, (t->nidx + 1) * sizeof *t->idx);
			ix = &t->idx[t->nidx++];
			memset(ix, 0, sizeof *ix);
			ix->name = myconn_rows_dup(&it, 2);
			ix->primary = strcmp(ix->name, "PRIMARY") == 0;
			ix->unique = myconn_rows_is(&it, 3, "0");
			ix->type = it.row[7] ? myconn_rows_dup(&it, 7) : mem_strdup("BTREE");
			ix->comment = it.row[9] && it.len[9] ? myconn_rows_dup(&it, 9) : NULL;
		}
		ix->parts = mem_realloc(ix->parts, (ix->n + 1) * sizeof *ix->parts);
		sc_part *p = &ix->parts[ix->n++];
		memset(p, 0, sizeof *p);
		p->col = -1;
		if (it.row[5]) {
			char *cn = myconn_rows_dup(&it, 5);
			p->col = names_find_col(t, cn);
			free(cn);
		} else if (has_expr && it.row[10]) {
			p->expr = myconn_rows_dup(&it, 10);
		}
		p->sub_part = it.row[6] ? strtol(it.row[6], NULL, 10) : 0;
		p->desc = myconn_rows_is(&it, 8, "D");
	}
	myconn_rows_close(&it);
	for (size_t i = 0; i < d->n; i++)
		if (d->tables[i].nidx > 1)
			qsort(d->tables[i].idx, d->tables[i].nidx, sizeof *d->tables[i].idx, index_cmp);
	return true;
}

static int check_cmp(const void *a, const void *b)
{
	return strcmp(((const sc_check *)a)->name, ((const sc_check *)b)->name);
}

static bool read_checks(sc_db *d)
{
	buf q;
	buf_init(&q);
	if (d->mariadb) {
		if (d->version < 100201)
			goto done; /* no information_schema.CHECK_CONSTRAINTS */
		buf_puts(&q, "SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, LEVEL "
		             "FROM information_schema.CHECK_CONSTRAINTS");
		where_db(d, &q, "CONSTRAINT_SCHEMA");
	} else {
		if (d->version < 80016)
			goto done;
		buf_puts(&q, "SELECT tc.TABLE_SCHEMA, tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE, 'Table' "
		             "FROM information_schema.TABLE_CONSTRAINTS tc JOIN information_schema.CHECK_CONSTRAINTS cc "
		             "ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME");
		where_db(d, &q, "tc.TABLE_SCHEMA");
		buf_puts(&q, " AND tc.CONSTRAINT_TYPE = 'CHECK'");
	}
	myconn_rows it;
	if (!myconn_rows_open(&it, d->m, buf_cstr(&q), 5)) {
		buf_free(&q);
		return false;
	}
	while (next_in_db(d, &it)) {
		sc_table *t = it.row[2] && it.row[3] ? row_table(d, &it, false) : NULL;
		if (!t)
			continue;
		t->checks = mem_realloc(t->checks, (t->nchecks + 1) * sizeof *t->checks);
		sc_check *c = &t->checks[t->nchecks++];
		memset(c, 0, sizeof *c);
		c->name = myconn_rows_dup(&it, 2);
		c->clause = myconn_rows_dup(&it, 3);
		c->column_level = myconn_rows_is(&it, 4, "Column");
	}
	myconn_rows_close(&it);
	for (size_t i = 0; i < d->n; i++)
		if (d->tables[i].nchecks > 1)
			qsort(d->tables[i].checks, d->tables[i].nchecks, sizeof *d->tables[i].checks, check_cmp);
done:
	buf_free(&q);
	return true;
}

static int fk_cmp(const void *a, const void *b)
{
	return strcmp(((const sc_fk *)a)->name, ((const sc_fk *)b)->name);
}

static bool read_fks(sc_db *d)
{
	myconn_rows it;
	if (!open_in_db(d, &it,
	                "SELECT k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, "
	                "k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE, r.TABLE_NAME "
	                "FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r "
	                "ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME "
	                "AND r.TABLE_NAME = k.TABLE_NAME",
	                "k.TABLE_SCHEMA",
	                " AND k.REFERENCED_TABLE_NAME IS NOT NULL ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, "
	                "k.ORDINAL_POSITION",
	                10))
		return false;
	while (next_in_db(d, &it)) {
		MYSQL_ROW row = it.row;
		unsigned long *len = it.len;
		if (!row[2] || !row[3] || !row[5] || !row[6] || !row[9] || len[1] != len[9] ||
		    memcmp(row[1], row[9], len[1]) != 0)
			continue;
		sc_table *t = row_table(d, &it, false);
		if (!t)
			continue;
		sc_fk *fk = NULL;
		for (size_t i = 0; i < t->nfks && !fk; i++)
			if (myconn_rows_is(&it, 2, t->fks[i].name))
				fk = &t->fks[i];
		if (!fk) {
			t->fks = mem_realloc(t->fks, (t->nfks + 1) * sizeof *t->fks);
			fk = &t->fks[t->nfks++];
			memset(fk, 0, sizeof *fk);
			fk->name = myconn_rows_dup(&it, 2);
			fk->ref_db = row[4] ? myconn_rows_dup(&it, 4) : mem_strdup(d->db);
			fk->ref_table = myconn_rows_dup(&it, 5);
			fk->on_update = row[7] ? myconn_rows_dup(&it, 7) : mem_strdup("RESTRICT");
			fk->on_delete = row[8] ? myconn_rows_dup(&it, 8) : mem_strdup("RESTRICT");
		}
		fk->cols = mem_realloc(fk->cols, (fk->n + 1) * sizeof *fk->cols);
		fk->ref_cols = mem_realloc(fk->ref_cols, (fk->n + 1) * sizeof *fk->ref_cols);
		fk->cols[fk->n] = myconn_rows_dup(&it, 3);
		fk->ref_cols[fk->n] = myconn_rows_dup(&it, 6);
		fk->n++;
	}
	myconn_rows_close(&it);
	for (size_t i = 0; i < d->n; i++)
		if (d->tables[i].nfks > 1)
			qsort(d->tables[i].fks, d->tables[i].nfks, sizeof *d->tables[i].fks, fk_cmp);
	return true;
}

static bool read_views(sc_db *d)
{
	myconn_rows it;
	if (!open_in_db(d, &it,
	                "SELECT TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE "
	                "FROM information_schema.VIEWS",
	                "TABLE_SCHEMA", NULL, 5))
		return false;
	while (next_in_db(d, &it)) {
		/* a skipped view is never translated: its definition is not needed */
		sc_table *t = row_table(d, &it, true);
		if (!t)
			continue;
		free(t->view_def);
		t->view_def = myconn_rows_dup(&it, 2);
		t->check_option = myconn_rows_dup(&it, 3);
		t->security = myconn_rows_dup(&it, 4);
	}
	myconn_rows_close(&it);
	return true;
}

static int named_cmp(const void *a, const void *b)
{
	const sc_named_sql *x = a, *y = b;
	int c = strcmp(x->what, y->what);
	return c ? c : strcmp(x->name, y->name);
}

/* rows of (schema, name, what, sql) into a sorted list */
static bool read_named(sc_db *d, const char *sql, sc_named_sql **out, size_t *n, bool filter_table)
{
	myconn_rows it;
	if (!myconn_rows_open(&it, d->m, sql, 5))
		return false;
	while (next_in_db(d, &it)) {
		if (filter_table && it.row[4]) {
			char *tn = myconn_rows_dup(&it, 4);
			bool sel = selected(d->opts, tn);
			free(tn);
			if (!sel)
				continue;
		}
		*out = mem_realloc(*out, (*n + 1) * sizeof **out);
		sc_named_sql *e = &(*out)[(*n)++];
		e->name = myconn_rows_dup(&it, 1);
		e->what = it.row[2] ? myconn_rows_dup(&it, 2) : mem_strdup("");
		e->sql = it.row[3] ? myconn_rows_dup(&it, 3) : mem_strdup("");
	}
	myconn_rows_close(&it);
	if (*n > 1)
		qsort(*out, *n, sizeof **out, named_cmp);
	return true;
}

static bool read_programs(sc_db *d)
{
	buf q;
	buf_init(&q);
	bool ok;
	buf_puts(&q, "SELECT TRIGGER_SCHEMA, TRIGGER_NAME, CONCAT(ACTION_TIMING, ' ', EVENT_MANIPULATION, ' ON ', "
	             "EVENT_OBJECT_TABLE, ' FOR EACH ', ACTION_ORIENTATION), ACTION_STATEMENT, EVENT_OBJECT_TABLE "
	             "FROM information_schema.TRIGGERS");
	where_db(d, &q, "TRIGGER_SCHEMA");
	ok = read_named(d, buf_cstr(&q), &d->triggers, &d->ntriggers, true);
	buf_reset(&q);
	buf_puts(&q, "SELECT ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_TYPE, ROUTINE_DEFINITION, NULL "
	             "FROM information_schema.ROUTINES");
	where_db(d, &q, "ROUTINE_SCHEMA");
	ok = ok && read_named(d, buf_cstr(&q), &d->routines, &d->nroutines, false);
	buf_reset(&q);
	buf_puts(&q, "SELECT EVENT_SCHEMA, EVENT_NAME, CONCAT(EVENT_TYPE, ' ', STATUS), EVENT_DEFINITION, NULL "
	             "FROM information_schema.EVENTS");
	where_db(d, &q, "EVENT_SCHEMA");
	ok = ok && read_named(d, buf_cstr(&q), &d->events, &d->nevents, false);
	buf_free(&q);
	return ok;
}

static bool read_partitions(sc_db *d)
{
	myconn_rows it;
	if (!open_in_db(d, &it,
	                "SELECT TABLE_SCHEMA, TABLE_NAME, PARTITION_METHOD, PARTITION_EXPRESSION, SUBPARTITION_METHOD, "
	                "PARTITION_NAME FROM information_schema.PARTITIONS",
	                "TABLE_SCHEMA", " AND PARTITION_NAME IS NOT NULL ORDER BY TABLE_NAME, PARTITION_ORDINAL_POSITION",
	                6))
		return false;
	sc_table *last = NULL;
	size_t count = 0;
	buf desc;
	buf_init(&desc);
	while (next_in_db(d, &it)) {
		MYSQL_ROW row = it.row;
		sc_table *t = row_table(d, &it, false); /* views have no partitions */
		if (!t)
			continue;
		if (t != last) {
			if (last) {
				buf_printf(&desc, ", %zu partitions", count);
				last->partition = mem_strdup(buf_cstr(&desc));
			}
			last = t;
			count = 0;
			buf_reset(&desc);
			buf_printf(&desc, "%s (%s)", row[2] ? row[2] : "?", row[3] ? row[3] : "");
			if (row[4])
				buf_printf(&desc, " subpartitioned by %s", row[4]);
		}
		count++;
	}
	if (last) {
		buf_printf(&desc, ", %zu partitions", count);
		last->partition = mem_strdup(buf_cstr(&desc));
	}
	buf_free(&desc);
	myconn_rows_close(&it);
	return true;
}

bool catalog_read(sc_db *d)
{
	d->mariadb = myconn_is_mariadb(d->m);
	d->version = mysql_get_server_version(d->m);
	d->quoted_defaults = d->mariadb && d->version >= 100207;
	if (!d->mariadb && d->version >= 80000 &&
	    !myconn_exec(d->m, "SET SESSION information_schema_stats_expiry = 0")) /* fresh AUTO_INCREMENT */
		return false;

	myconn_rows it;
	if (!open_in_db(d, &it, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA", "SCHEMA_NAME", NULL, 1))
		return false;
	bool found = false;
	while (myconn_rows_next(&it))
		found |= myconn_rows_is(&it, 0, d->db);
	myconn_rows_close(&it);
	if (!found) {
		log_error("[source] database %s not found (or no privilege on it)", d->db);
		return false;
	}
	return read_tables(d) && read_columns(d) && read_indexes(d) && read_checks(d) && read_fks(d) &&
	       read_views(d) && read_programs(d) && read_partitions(d);
}

static void free_named(sc_named_sql *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].what);
		free(v[i].sql);
	}
	free(v);
}

void catalog_free(sc_db *d)
{
	for (size_t i = 0; i < d->n; i++) {
		sc_table *t = &d->tables[i];
		free(t->name);
		free(t->pg);
		free(t->table_type);
		free(t->engine);
		free(t->comment);
		free(t->create_options);
		free(t->auto_increment);
		for (size_t k = 0; k < t->ncols; k++) {
			sc_col *c = &t->cols[k];
			free(c->pg);
			free(c->seq);
			free(c->gen_sql);
			free(c->default_sql);
			free(c->enum_type);
			free(c->domain_check);
			free(c->domain_check_name);
		}
		free(t->cols);
		for (size_t k = 0; k < t->nidx; k++) {
			sc_index *ix = &t->idx[k];
			free(ix->name);
			free(ix->pg);
			free(ix->type);
			free(ix->comment);
			for (size_t j = 0; j < ix->n; j++)
				free(ix->parts[j].expr);
			free(ix->parts);
			free(ix->sql);
		}
		free(t->idx);
		for (size_t k = 0; k < t->nfks; k++) {
			sc_fk *fk = &t->fks[k];
			free(fk->name);
			free(fk->pg);
			free(fk->ref_db);
			free(fk->ref_table);
			for (size_t j = 0; j < fk->n; j++) {
				free(fk->cols[j]);
				free(fk->ref_cols[j]);
			}
			free(fk->cols);
			free(fk->ref_cols);
			free(fk->on_update);
			free(fk->on_delete);
		}
		free(t->fks);
		for (size_t k = 0; k < t->nchecks; k++) {
			free(t->checks[k].name);
			free(t->checks[k].pg);
			free(t->checks[k].clause);
			free(t->checks[k].sql);
		}
		free(t->checks);
		free(t->partition);
		free(t->view_def);
		free(t->check_option);
		free(t->security);
		free(t->view_sql);
		free(t->deps);
		free(t->trig_fn);
		free(t->trig_name);
		names_free(&t->colnames);
		names_free(&t->connames);
		typemap_overrides_free(&t->ov);
		if (t->hdr)
			rs_header_free(t->hdr);
		mytable_free(t->mt);
	}
	free(d->tables);
	for (size_t i = 0; i < d->nenums; i++) {
		free(d->enums[i].sql_name);
		for (size_t k = 0; k < d->enums[i].n; k++)
			free(d->enums[i].labels[k]);
		free(d->enums[i].labels);
		free(d->enums[i].first_col);
	}
	free(d->enums);
	free_named(d->triggers, d->ntriggers);
	free_named(d->routines, d->nroutines);
	free_named(d->events, d->nevents);
	names_free(&d->rel);
	names_free(&d->funcs);
	free(d->db);
	free(d->schema);
}
