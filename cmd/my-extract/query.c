/*
 * query.c - what my-extract asks the server: the output columns (--columns), the long
 * columns read apart and the key that finds a row again, and the SELECT (values, their
 * LENGTH()s, ENUM member indexes, locator columns; --where, --after, --until, --limit;
 * primary-key order). Identifiers are quoted with myconn_quote_ident, key values are
 * literals of their column's type (mytable_key_literal).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "collist.h"
#include "keytext.h"
#include "log.h"
#include "my-extract.h"

static int find_column_fn(const void *t, const char *name)
{
	return mytable_find(t, name);
}

mx_status mx_plan_columns(extract *x)
{
	mytable *t = x->t;
	if (!collist_resolve(x->range.columns, x->qtable, find_column_fn, t, t->ncols, &x->out_col, &x->nout))
		return MX_USAGE;
	x->key_in_output = collist_has_key(x->out_col, x->nout, t->pk, t->npk);
	if (t->npk) {
		x->nloc = t->npk;
		x->loc_col = t->pk;
	} else if (t->nuniq) {
		x->nloc = t->nuniq;
		x->loc_col = t->uniq;
	}
	size_t nlong = 0;
	for (size_t i = 0; i < x->nout; i++)
		if (mytable_col_is_long(&t->cols[x->out_col[i]]))
			nlong++;
	if (nlong) {
		uint64_t cut = LONG_ROW_BUDGET / nlong;
		if (x->nloc && cut > LONG_INLINE_MAX)
			cut = LONG_INLINE_MAX;
		if (cut < LONG_INLINE_MIN)
			cut = LONG_INLINE_MIN;
		x->long_cutoff = cut;
	}
	return MX_OK;
}

static bool is_locator_col(const extract *x, size_t c)
{
	for (size_t k = 0; k < x->nloc; k++)
		if (x->loc_col[k] == c)
			return true;
	return false;
}

/* An ENUM that declares '' as a member: MySQL's invalid value (index 0) reads as '' too,
 * so the member index is read alongside (col+0). */
static bool enum_with_empty_member(const mytable_col *c)
{
	if (strcmp(c->data_type, "enum") != 0)
		return false;
	for (size_t k = 0; k < c->nmembers; k++)
		if (c->member_lens[k] == 0)
			return true;
	return false;
}

/* its values are written as "<index>:<text>" (column attribute enum_form=index:text);
 * a key column keeps its text (block keys, locators) and stops at the invalid value */
bool mx_enum_index_form(const extract *x, size_t i)
{
	return x->sel_idx[i] >= 0 && !is_locator_col(x, x->out_col[i]);
}

/* A FLOAT column read as DOUBLE: the server prints FLOAT with 6 significant digits
 * (1.2345678 as "1.23457"), DOUBLE with the shortest text that reads back as the same
 * double, and a FLOAT's value is exactly a double. CAST AS DOUBLE exists in MariaDB and
 * MySQL 8.0.17; older MySQL adds a double zero instead (the same value, but -0 becomes 0). */
static void select_float(extract *x, buf *q, const char *name)
{
	if (myconn_is_mariadb(x->m) || mysql_get_server_version(x->m) >= 80017) {
		buf_puts(q, "CAST(");
		myconn_quote_ident(q, name);
		buf_puts(q, " AS DOUBLE)");
	} else {
		buf_putc(q, '(');
		myconn_quote_ident(q, name);
		buf_puts(q, " + 0e0)");
	}
}

/* SELECT list: output values (long ones wrapped, FLOAT as DOUBLE), their LENGTH()s, locator columns */
static void build_select_list(extract *x, buf *q)
{
	mytable *t = x->t;
	x->sel_val = mem_calloc(x->nout ? x->nout : 1, sizeof *x->sel_val);
	x->sel_len = mem_calloc(x->nout ? x->nout : 1, sizeof *x->sel_len);
	x->sel_idx = mem_calloc(x->nout ? x->nout : 1, sizeof *x->sel_idx);
	x->sel_loc = mem_calloc(x->nloc ? x->nloc : 1, sizeof *x->sel_loc);
	size_t pos = 0;
	for (size_t i = 0; i < x->nout; i++) {
		const mytable_col *c = &t->cols[x->out_col[i]];
		if (pos)
			buf_puts(q, ", ");
		x->sel_len[i] = -1;
		if (x->long_cutoff && mytable_col_is_long(c) && !is_locator_col(x, x->out_col[i])) {
			buf_puts(q, "IF(LENGTH(");
			myconn_quote_ident(q, c->name);
			buf_printf(q, ") > %" PRIu64 ", NULL, ", x->long_cutoff);
			myconn_quote_ident(q, c->name);
			buf_putc(q, ')');
		} else if (strcmp(c->data_type, "float") == 0) {
			select_float(x, q, c->name);
		} else {
			myconn_quote_ident(q, c->name);
		}
		x->sel_val[i] = pos++;
	}
	for (size_t i = 0; i < x->nout; i++) {
		const mytable_col *c = &t->cols[x->out_col[i]];
		if (x->long_cutoff && mytable_col_is_long(c) && !is_locator_col(x, x->out_col[i])) {
			buf_puts(q, pos ? ", LENGTH(" : "LENGTH(");
			myconn_quote_ident(q, c->name);
			buf_putc(q, ')');
			x->sel_len[i] = (long)pos++;
		}
	}
	for (size_t i = 0; i < x->nout; i++) {
		const mytable_col *c = &t->cols[x->out_col[i]];
		x->sel_idx[i] = -1;
		if (enum_with_empty_member(c)) {
			buf_puts(q, pos ? ", " : "");
			myconn_quote_ident(q, c->name);
			buf_puts(q, " + 0");
			x->sel_idx[i] = (long)pos++;
		}
	}
	for (size_t k = 0; k < x->nloc; k++) {
		bool found = false;
		for (size_t i = 0; i < x->nout && !found; i++) {
			if (x->out_col[i] == x->loc_col[k]) {
				x->sel_loc[k] = x->sel_val[i];
				found = true;
			}
		}
		if (!found) {
			const mytable_col *c = &t->cols[x->loc_col[k]];
			buf_puts(q, pos ? ", " : "");
			if (strcmp(c->data_type, "float") == 0)
				select_float(x, q, c->name);
			else
				myconn_quote_ident(q, c->name);
			x->sel_loc[k] = pos++;
		}
	}
	if (pos == 0)
		buf_putc(q, '1'); /* --columns with nothing in it cannot happen, but stay valid SQL */
	x->nsel = pos;
}

/* (k1 >= v1 AND (k1, k2) > (v1, v2)) for op ">"; a single key: k1 > v1 */
static mx_status key_condition(extract *x, buf *q, const char *opt, const char *keytext, const char *op,
                         const char *first_op)
{
	mytable *t = x->t;
	if (t->npk == 0) {
		log_error("%s: table %s has no primary key", opt, x->qtable);
		return MX_USAGE;
	}
	char **vals;
	size_t *lens, n;
	if (!keytext_parse(keytext, &vals, &lens, &n))
		return MX_USAGE;
	if (n != t->npk) {
		log_error("%s: key '%s' has %zu value%s, the primary key of %s has %zu column%s", opt, keytext, n,
		          n == 1 ? "" : "s", x->qtable, t->npk, t->npk == 1 ? "" : "s");
		keytext_free(vals, lens, n);
		return MX_USAGE;
	}
	buf lit[2];
	buf_init(&lit[0]);
	buf_init(&lit[1]);
	mx_status rc = MX_OK;
	buf cols, litlist;
	buf_init(&cols);
	buf_init(&litlist);
	for (size_t k = 0; k < n; k++) {
		buf_reset(&lit[0]);
		if (!mytable_key_literal(x->m, &lit[0], &t->cols[t->pk[k]], vals[k], lens[k])) {
			rc = MX_USAGE; /* logged, naming the column */
			goto out;
		}
		if (k) {
			buf_puts(&cols, ", ");
			buf_puts(&litlist, ", ");
		}
		myconn_quote_ident(&cols, t->cols[t->pk[k]].name);
		buf_append(&litlist, lit[0].data, lit[0].len);
		if (k == 0)
			buf_append(&lit[1], lit[0].data, lit[0].len);
	}
	buf_putc(q, '(');
	if (n == 1) {
		buf_append(q, cols.data, cols.len);
		buf_printf(q, " %s ", op);
		buf_append(q, litlist.data, litlist.len);
	} else {
		/* the bound on the first column lets the server use the index as a range */
		myconn_quote_ident(q, t->cols[t->pk[0]].name);
		buf_printf(q, " %s ", first_op);
		buf_append(q, lit[1].data, lit[1].len);
		buf_puts(q, " AND (");
		buf_append(q, cols.data, cols.len);
		buf_printf(q, ") %s (", op);
		buf_append(q, litlist.data, litlist.len);
		buf_putc(q, ')');
	}
	buf_putc(q, ')');
out:
	buf_free(&lit[0]);
	buf_free(&lit[1]);
	buf_free(&cols);
	buf_free(&litlist);
	keytext_free(vals, lens, n);
	return rc;
}

mx_status mx_build_query(extract *x, buf *q)
{
	buf_puts(q, "SELECT ");
	build_select_list(x, q);
	buf_puts(q, " FROM ");
	buf_puts(q, x->qtable);
	const char *sep = " WHERE ";
	if (x->range.where) {
		buf_puts(q, sep);
		buf_putc(q, '(');
		buf_puts(q, x->range.where);
		buf_putc(q, ')');
		sep = " AND ";
	}
	mx_status rc;
	if (x->range.after) {
		buf_puts(q, sep);
		if ((rc = key_condition(x, q, "--after", x->range.after, ">", ">=")) != MX_OK)
			return rc;
		sep = " AND ";
	}
	if (x->range.until) {
		buf_puts(q, sep);
		if ((rc = key_condition(x, q, "--until", x->range.until, "<=", "<=")) != MX_OK)
			return rc;
	}
	if (x->t->npk) {
		buf_puts(q, " ORDER BY ");
		for (size_t k = 0; k < x->t->npk; k++) {
			if (k)
				buf_puts(q, ", ");
			myconn_quote_ident(q, x->t->cols[x->t->pk[k]].name);
		}
	}
	if (x->range.limit >= 0)
		buf_printf(q, " LIMIT %lld", x->range.limit);
	return MX_OK;
}
