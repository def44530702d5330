/*
 * query.c - the COPY of the run: the output columns (long bytea/text values left out when
 * longer than x->long_inline, their octet_length()s beside them), the locator of each row
 * (primary key, else tableoid and ctid), --where, --after, --until, key order, --limit.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "keytext.h"
#include "log.h"
#include "pg-extract.h"
#include "pgoid.h"

static bool is_pk_col(const extract *x, size_t c)
{
	for (size_t k = 0; k < x->npk; k++)
		if (x->pk[k] == c)
			return true;
	return false;
}

/* a long value can be fetched again, in the same snapshot, by primary key or, in a table
 * without one, by tableoid and ctid (not in views and foreign tables, which have no ctid) */
static bool can_find_again(const extract *x)
{
	return x->npk > 0 || x->relkind == 'r' || x->relkind == 'p' || x->relkind == 'm';
}

static bool fetch_apart(const extract *x, size_t c)
{
	const pcol *p = &x->cols[c];
	return can_find_again(x) && p->longable && !is_pk_col(x, c) && (!p->text || x->utf8_server);
}

/* the name of locator column k (quoted), and its type */
bool px_loc_ident(buf *q, const extract *x, PGconn *c, size_t k)
{
	if (x->npk == 0) {
		buf_puts(q, k == 0 ? "tableoid" : "ctid");
		return true;
	}
	return pgconn_ident(q, c, x->cols[x->pk[k]].name);
}

uint32_t px_loc_type(const extract *x, size_t k)
{
	if (x->npk == 0)
		return k == 0 ? PGOID_OID : PGOID_TID;
	return x->cols[x->pk[k]].typoid;
}

static bool select_list(extract *x, buf *q)
{
	x->lenpos = mem_calloc(x->nout, sizeof *x->lenpos);
	x->nloc = x->npk ? x->npk : 2;
	x->pkpos = mem_calloc(x->nloc, sizeof *x->pkpos);
	size_t pos = 0;
	for (size_t i = 0; i < x->nout; i++) {
		size_t c = x->out[i];
		if (i)
			buf_puts(q, ", ");
		x->lenpos[i] = SIZE_MAX;
		if (fetch_apart(x, c)) {
			buf_puts(q, "CASE WHEN pg_catalog.octet_length(");
			if (!pgconn_ident(q, x->c, x->cols[c].name))
				return false;
			buf_printf(q, ") <= %" PRIu64 " THEN ", x->long_inline);
			if (!pgconn_ident(q, x->c, x->cols[c].name))
				return false;
			buf_puts(q, " END");
		} else if (!pgconn_ident(q, x->c, x->cols[c].name)) {
			return false;
		}
		pos++;
	}
	for (size_t i = 0; i < x->nout; i++) {
		if (!fetch_apart(x, x->out[i]))
			continue;
		buf_puts(q, ", pg_catalog.octet_length(");
		if (!pgconn_ident(q, x->c, x->cols[x->out[i]].name))
			return false;
		buf_putc(q, ')');
		x->lenpos[i] = pos++;
	}
	bool need_pk = false;
	for (size_t i = 0; i < x->nout; i++)
		need_pk = need_pk || x->lenpos[i] != SIZE_MAX;
	for (size_t k = 0; k < x->nloc && need_pk; k++) {
		bool found = false;
		for (size_t i = 0; i < x->nout && !found && x->npk; i++)
			if (x->out[i] == x->pk[k])
				x->pkpos[k] = i, found = true;
		if (!found) {
			buf_puts(q, ", ");
			if (!px_loc_ident(q, x, x->c, k))
				return false;
			x->pkpos[k] = pos++;
		}
	}
	x->nfields = pos;
	return true;
}

/* ((k1, k2) op (lit1::type1, lit2::type2)) */
static px_status key_condition(extract *x, buf *q, const char *opt, const char *keytext, const char *op)
{
	if (x->npk == 0) {
		log_error("%s: table %s has no primary key", opt, x->qtable);
		return PX_USAGE;
	}
	char **vals;
	size_t *lens, n;
	if (!keytext_parse(keytext, &vals, &lens, &n))
		return PX_USAGE;
	px_status rc = PX_OK;
	if (n != x->npk) {
		log_error("%s: key '%s' has %zu value%s, the primary key of %s has %zu column%s", opt, keytext, n,
		          n == 1 ? "" : "s", x->qtable, x->npk, x->npk == 1 ? "" : "s");
		rc = PX_USAGE;
		goto out;
	}
	buf_puts(q, "((");
	for (size_t k = 0; k < n; k++) {
		if (k)
			buf_puts(q, ", ");
		if (!pgconn_ident(q, x->c, x->cols[x->pk[k]].name)) {
			rc = PX_USAGE;
			goto out;
		}
	}
	buf_printf(q, ") %s (", op);
	for (size_t k = 0; k < n; k++) {
		if (k)
			buf_puts(q, ", ");
		char *lit = PQescapeLiteral(x->c, vals[k], lens[k]);
		if (!lit) {
			log_error("%s: invalid key '%s': %s", opt, keytext, PQerrorMessage(x->c));
			rc = PX_USAGE;
			goto out;
		}
		buf_printf(q, "%s::%s", lit, x->cols[x->pk[k]].type);
		PQfreemem(lit);
	}
	buf_puts(q, "))");
out:
	keytext_free(vals, lens, n);
	return rc;
}

px_status px_build_query(extract *x, buf *q)
{
	buf_puts(q, "COPY (SELECT ");
	if (!select_list(x, q))
		return PX_SOURCE;
	buf_puts(q, " FROM ");
	buf_puts(q, x->qtable);
	const char *sep = " WHERE ";
	if (x->range.where) {
		buf_printf(q, "%s(%s)", sep, x->range.where);
		sep = " AND ";
	}
	px_status rc;
	if (x->range.after) {
		buf_puts(q, sep);
		if ((rc = key_condition(x, q, "--after", x->range.after, ">")) != PX_OK)
			return rc;
		sep = " AND ";
	}
	if (x->range.until) {
		buf_puts(q, sep);
		if ((rc = key_condition(x, q, "--until", x->range.until, "<=")) != PX_OK)
			return rc;
	}
	if (x->npk && !x->unordered) {
		buf_puts(q, " ORDER BY ");
		for (size_t k = 0; k < x->npk; k++) {
			if (k)
				buf_puts(q, ", ");
			if (!pgconn_ident(q, x->c, x->cols[x->pk[k]].name))
				return PX_SOURCE;
		}
	}
	if (x->range.limit >= 0)
		buf_printf(q, " LIMIT %lld", x->range.limit);
	buf_puts(q, ") TO STDOUT (FORMAT binary)");
	return PX_OK;
}
