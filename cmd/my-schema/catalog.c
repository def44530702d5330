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

static char *dup_field(MYSQL_ROW row, unsigned long *len, unsigned i)
{
	return row[i] ? mem_strndup(row[i], len[i]) : NULL;
}

static bool field_is(MYSQL_ROW row, unsigned long *len, unsigned i, const char *s)
{
	return row[i] && len[i] == strlen(s) && memcmp(row[i], s, len[i]) == 0;
}

/* " WHERE <col> = 'db'" */
static void where_db(sc_db *d, buf *q, const char *col)
{
	buf_printf(q, " WHERE %s = ", col);
	myconn_quote_literal(d->m, q, d->db, strlen(d->db));
}

/* runs "<select> WHERE <col> = '<db>'<tail>" and stores its result; NULL (logged) on error */
static MYSQL_RES *store_in_db(sc_db *d, const char *select, const char *col, const char *tail)
{
	buf q;
	buf_init(&q);
	buf_puts(&q, select);
	where_db(d, &q, col);
	if (tail)
		buf_puts(&q, tail);
	MYSQL_RES *r = myconn_store(d->m, buf_cstr(&q));
	buf_free(&q);
	return r;
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
	MYSQL_RES *r = store_in_db(d,
	                           "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE, AUTO_INCREMENT, TABLE_COMMENT, CREATE_OPTIONS "
	                           "FROM information_schema.TABLES",
	                           "TABLE_SCHEMA", NULL);
	if (!r)
		return false;
	MYSQL_ROW row;
	while ((row = mysql_fetch_row(r))) {
		unsigned long *len = mysql_fetch_lengths(r);
		if (!field_is(row, len, 0, d->db) || !row[1])
			continue;
		d->tables = mem_realloc(d->tables, (d->n + 1) * sizeof *d->tables);
		sc_table *t = &d->tables[d->n++];
		memset(t, 0, sizeof *t);
		t->name = dup_field(row, len, 1);
		t->table_type = row[2] ? dup_field(row, len, 2) : mem_strdup("BASE TABLE");
		t->engine = dup_field(row, len, 3);
		t->auto_increment = dup_field(row, len, 4);
		t->comment = dup_field(row, len, 5);
		t->create_options = dup_field(row, len, 6);
		t->is_view = strcmp(t->table_type, "VIEW") == 0;
		names_init(&t->colnames);
		names_init(&t->connames);
		typemap_overrides_init(&t->ov);
	}
	mysql_free_result(r);
	qsort(d->tables, d->n, sizeof *d->tables, table_cmp);
	return true;
}

/* SELECT <the columns> FROM the table LIMIT 0: the columns' result metadata */
static MYSQL_RES *select_nothing(sc_db *d, const sc_table *t)
{
	buf q;
	buf_init(&q);
	buf_puts(&q, "SELECT ");
	for (size_t i = 0; i < t->mt->ncols; i++) {
		if (i)
			buf_puts(&q, ", ");
		myconn_quote_ident(&q, t->mt->cols[i].name);
	}
	buf_puts(&q, " FROM ");
	myconn_quote_table(&q, d->db, t->name);
	buf_puts(&q, " LIMIT 0");
	MYSQL_RES *r = myconn_store(d->m, buf_cstr(&q));
	buf_free(&q);
	if (r && mysql_num_fields(r) != t->mt->ncols) {
		log_error("[source] %s.%s: expected %zu result columns, got %u", d->db, t->name, t->mt->ncols,
		          mysql_num_fields(r));
		mysql_free_result(r);
		r = NULL;
	}
	return r;
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
	MYSQL_RES *r = myconn_store(d->m, buf_cstr(&q));
	buf_free(&q);
	if (!r)
		return false;
	MYSQL_ROW row;
	while ((row = mysql_fetch_row(r))) {
		if (!row[0] || !row[1] || strcmp(row[1], "0") == 0)
			continue;
		for (size_t k = 0; k < t->hdr->ncols; k++)
			if (strcmp(t->hdr->cols[k].name, row[0]) == 0 && !rs_column_attr(&t->hdr->cols[k], "srid"))
				rs_column_add_attr(&t->hdr->cols[k], "srid", row[1]);
	}
	mysql_free_result(r);
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
			meta = select_nothing(d, t);
			if (!meta)
				return false;
			fields = mysql_fetch_fields(meta);
		}
		for (size_t k = 0; k < t->ncols; k++) {
			uint32_t keypos = 0;
			for (size_t j = 0; j < t->mt->npk; j++)
				if (t->mt->pk[j] == k)
					keypos = (uint32_t)j + 1;
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
	MYSQL_RES *r = myconn_store(d->m, buf_cstr(&q));
	buf_free(&q);
	if (!r)
		return false;
	MYSQL_ROW row;
	while ((row = mysql_fetch_row(r))) {
		unsigned long *len = mysql_fetch_lengths(r);
		if (!field_is(row, len, 0, d->db) || !row[1] || !row[2])
			continue;
		char *tn = dup_field(row, len, 1);
		sc_table *t = catalog_find(d, tn);
		free(tn);
		if (!t || t->skip || t->is_view)
			continue;
		sc_index *ix = NULL;
		for (size_t i = 0; i < t->nidx && !ix; i++)
			if (field_is(row, len, 2, t->idx[i].name))
				ix = &t->idx[i];
		if (!ix) {
			t->idx = mem_realloc(t->idx, (t->nidx + 1) * sizeof *t->idx);
			ix = &t->idx[t->nidx++];
			memset(ix, 0, sizeof *ix);
			ix->name = dup_field(row, len, 2);
			ix->primary = strcmp(ix->name, "PRIMARY") == 0;
			ix->unique = field_is(row, len, 3, "0");
			ix->type = row[7] ? dup_field(row, len, 7) : mem_strdup("BTREE");
			ix->comment = row[9] && len[9] ? dup_field(row, len, 9) : NULL;
		}
		ix->parts = mem_realloc(ix->parts, (ix->n + 1) * sizeof *ix->parts);
		sc_part *p = &ix->parts[ix->n++];
		memset(p, 0, sizeof *p);
		p->col = -1;
		if (row[5]) {
			char *cn = dup_field(row, len, 5);
			p->col = names_find_col(t, cn);
			free(cn);
		} else if (has_expr && row[10]) {
			p->expr = dup_field(row, len, 10);
		}
		p->sub_part = row[6] ? strtol(row[6], NULL, 10) : 0;
		p->desc = field_is(row, len, 8, "D");
	}
	mysql_free_result(r);
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
	MYSQL_RES *r = myconn_store(d->m, buf_cstr(&q));
	if (!r) {
		buf_free(&q);
		return false;
	}
	MYSQL_ROW row;
	while ((row = mysql_fetch_row(r))) {
		unsigned long *len = mysql_fetch_lengths(r);
		if (!field_is(row, len, 0, d->db) || !row[1] || !row[2] || !row[3])
			continue;
		char *tn = dup_field(row, len, 1);
		sc_table *t = catalog_find(d, tn);
		free(tn);
		if (!t || t->skip || t->is_view)
			continue;
		t->checks = mem_realloc(t->checks, (t->nchecks + 1) * sizeof *t->checks);
		sc_check *c = &t->checks[t->nchecks++];
		memset(c, 0, sizeof *c);
		c->name = dup_field(row, len, 2);
		c->clause = dup_field(row, len, 3);
		c->column_level = field_is(row, len, 4, "Column");
	}
	mysql_free_result(r);
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
	MYSQL_RES *r = store_in_db(d,
	                           "SELECT k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, "
	                           "k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE, r.TABLE_NAME "
	                           "FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r "
	                           "ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME "
	                           "AND r.TABLE_NAME = k.TABLE_NAME",
	                           "k.TABLE_SCHEMA",
	                           " AND k.REFERENCED_TABLE_NAME IS NOT NULL ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, "
	                           "k.ORDINAL_POSITION");
	if (!r)
		return false;
	MYSQL_ROW row;
	while ((row = mysql_fetch_row(r))) {
		unsigned long *len = mysql_fetch_lengths(r);
		if (!field_is(row, len, 0, d->db) || !row[1] || !row[2] || !row[3] || !row[5] || !row[6] || !row[9] ||
		    len[1] != len[9] || memcmp(row[1], row[9], len[1]) != 0)
			continue;
		char *tn = dup_field(row, len, 1);
		sc_table *t = catalog_find(d, tn);
		free(tn);
		if (!t || t->skip || t->is_view)
			continue;
		sc_fk *fk = NULL;
		for (size_t i = 0; i < t->nfks && !fk; i++)
			if (field_is(row, len, 2, t->fks[i].name))
				fk = &t->fks[i];
		if (!fk) {
			t->fks = mem_realloc(t->fks, (t->nfks + 1) * sizeof *t->fks);
			fk = &t->fks[t->nfks++];
			memset(fk, 0, sizeof *fk);
			fk->name = dup_field(row, len, 2);
			fk->ref_db = row[4] ? dup_field(row, len, 4) : mem_strdup(d->db);
			fk->ref_table = dup_field(row, len, 5);
			fk->on_update = row[7] ? dup_field(row, len, 7) : mem_strdup("RESTRICT");
			fk->on_delete = row[8] ? dup_field(row, len, 8) : mem_strdup("RESTRICT");
		}
		fk->cols = mem_realloc(fk->cols, (fk->n + 1) * sizeof *fk->cols);
		fk->ref_cols = mem_realloc(fk->ref_cols, (fk->n + 1) * sizeof *fk->ref_cols);
		fk->cols[fk->n] = dup_field(row, len, 3);
		fk->ref_cols[fk->n] = dup_field(row, len, 6);
		fk->n++;
	}
	mysql_free_result(r);
	for (size_t i = 0; i < d->n; i++)
		if (d->tables[i].nfks > 1)
			qsort(d->tables[i].fks, d->tables[i].nfks, sizeof *d->tables[i].fks, fk_cmp);
	return true;
}

static bool read_views(sc_db *d)
{
	MYSQL_RES *r = store_in_db(d,
	                           "SELECT TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE "
	                           "FROM information_schema.VIEWS",
	                           "TABLE_SCHEMA", NULL);
	if (!r)
		return false;
	MYSQL_ROW row;
	while ((row = mysql_fetch_row(r))) {
		unsigned long *len = mysql_fetch_lengths(r);
		if (!field_is(row, len, 0, d->db) || !row[1])
			continue;
		char *tn = dup_field(row, len, 1);
		sc_table *t = catalog_find(d, tn);
		free(tn);
		if (!t || !t->is_view)
			continue;
		free(t->view_def);
		t->view_def = dup_field(row, len, 2);
		t->check_option = dup_field(row, len, 3);
		t->security = dup_field(row, len, 4);
	}
	mysql_free_result(r);
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
	MYSQL_RES *r = myconn_store(d->m, sql);
	if (!r)
		return false;
	MYSQL_ROW row;
	while ((row = mysql_fetch_row(r))) {
		unsigned long *len = mysql_fetch_lengths(r);
		if (!field_is(row, len, 0, d->db) || !row[1])
			continue;
		if (filter_table && row[4]) {
			char *tn = dup_field(row, len, 4);
			bool sel = selected(d->opts, tn);
			free(tn);
			if (!sel)
				continue;
		}
		*out = mem_realloc(*out, (*n + 1) * sizeof **out);
		sc_named_sql *e = &(*out)[(*n)++];
		e->name = dup_field(row, len, 1);
		e->what = row[2] ? dup_field(row, len, 2) : mem_strdup("");
		e->sql = row[3] ? dup_field(row, len, 3) : mem_strdup("");
	}
	mysql_free_result(r);
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
	MYSQL_RES *r = store_in_db(d,
	                           "SELECT TABLE_SCHEMA, TABLE_NAME, PARTITION_METHOD, PARTITION_EXPRESSION, SUBPARTITION_METHOD, "
	                           "PARTITION_NAME FROM information_schema.PARTITIONS",
	                           "TABLE_SCHEMA", " AND PARTITION_NAME IS NOT NULL ORDER BY TABLE_NAME, PARTITION_ORDINAL_POSITION");
	if (!r)
		return false;
	MYSQL_ROW row;
	sc_table *last = NULL;
	size_t count = 0;
	buf desc;
	buf_init(&desc);
	while ((row = mysql_fetch_row(r))) {
		unsigned long *len = mysql_fetch_lengths(r);
		if (!field_is(row, len, 0, d->db) || !row[1])
			continue;
		char *tn = dup_field(row, len, 1);
		sc_table *t = catalog_find(d, tn);
		free(tn);
		if (!t || t->skip)
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
	mysql_free_result(r);
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

	MYSQL_RES *r = store_in_db(d,
	                           "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA",
	                           "SCHEMA_NAME", NULL);
	if (!r)
		return false;
	bool found = false;
	MYSQL_ROW row;
	while ((row = mysql_fetch_row(r)))
		found |= field_is(row, mysql_fetch_lengths(r), 0, d->db);
	mysql_free_result(r);
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
