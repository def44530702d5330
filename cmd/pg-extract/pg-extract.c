/*
 * pg-extract - one PostgreSQL table (or a key range of it) as a row stream
 * (domain postgresql) on stdout, in primary-key order.
 *
 * Values are exactly the bytes `COPY ... TO STDOUT (FORMAT binary)` sends, so
 * a table migrated by my-extract | row-convert | pg-load gives, through
 * pg-extract, the same values row-convert wrote, and row-checksum can compare
 * the two sides. Rows arrive one at a time (PQgetCopyData) and go out in
 * blocks: memory holds a block and one row. Values of bytea, text and varchar
 * columns longer than LONG_INLINE bytes are left out of the COPY and read in
 * pieces on a second connection that shares the first one's snapshot, found
 * again by primary key (without one: by tableoid and ctid, which name one row
 * version in that snapshot), so they stream through whatever their size.
 * The piece query detoasts the value once and returns its pieces as rows, one
 * at a time (single-row mode):
 *   WITH v AS MATERIALIZED (SELECT col || ''::bytea AS v FROM t WHERE k = $2)
 *   SELECT i, substring(v.v FROM i * $1 + 1 FOR $1) FROM v, generate_series(0, ...) AS i
 * (a substring per query would decompress a compressed value from its start for
 * every piece: quadratic). See pg-extract(1).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "buf.h"
#include "byteorder.h"
#include "cli.h"
#include "collist.h"
#include "cursor.h"
#include "exitcodes.h"
#include "keytext.h"
#include "log.h"
#include "pgcatalog.h"
#include "pgconn.h"
#include "pgname.h"
#include "pgoid.h"
#include "pgquote.h"
#include "pgtext.h"
#include "rowstream.h"

#define SIDE "source"
#define LONG_INLINE (4u << 20)  /* longer bytea/text values are fetched in pieces */
#define PIECE_BYTES (16u << 20) /* bytes per piece (environment PG_EXTRACT_PIECE_BYTES, for tests) */
#define WRITER_INLINE_MAX (4u << 20)

static const char copy_signature[11] = "PGCOPY\n\377\r\n";

static void usage(FILE *f)
{
	/* pg-extract(1)'s SYNOPSIS (tests/bats/usage.bats keeps them equal) */
	static const char *const forms[] = {
	    "pg-extract [-d conninfo] [-q | -v] [-f] [--columns column[,column...]] [--after key] [--until key] "
	    "[--limit n] [--where condition] [--block-bytes n] [--zstd[=level]] [--snapshot id] [schema.]table",
	    NULL,
	};
	cli_usage(f, forms);
}

static void help(void)
{
	usage(stdout);
	fputs("\nWrites one PostgreSQL table as a binary row stream (domain postgresql) on stdout,\n"
	      "each value exactly as COPY ... TO STDOUT (FORMAT binary) sends it.\n"
	      "  -d, --dbname CONNINFO  database: a name, key=value pairs or a postgresql:// URI\n"
	      "                         (unset parts from PGHOST, PGPORT, PGUSER, ~/.pgpass...)\n"
	      "  --columns a,b,c   only these columns, in this order (default: all, by attnum)\n"
	      "  --after KEY       only rows whose primary key is greater than KEY (key text)\n"
	      "  --until KEY       only rows whose primary key is at most KEY\n"
	      "  --limit N         at most N rows\n"
	      "  --where COND      only rows where COND holds (SQL, ANDed)\n"
	      "  --block-bytes N   block size of the stream (default 262144)\n"
	      "  --zstd[=LEVEL]    compress blocks (default level 3)\n"
	      "  --snapshot ID     read in the snapshot another session exported (pg_export_snapshot)\n"
	      "  -f, --force       write the stream even to a terminal\n"
	      "  -q, --quiet       errors only;  -v, --verbose  a summary (and the query with -vv)\n"
	      "See pg-extract(1).\n",
	      stdout);
}

typedef struct pcol {
	int attnum;
	char *name;
	char *type;      /* format_type() */
	uint32_t typoid; /* pg_attribute.atttypid */
	uint32_t code;   /* base type OID when built in, else 0 */
	bool notnull, generated, is_enum;
	bool longable;   /* bytea/text/varchar: long values fetched in pieces */
	bool text;       /* longable and text (pieces by characters) */
	size_t nlabels;
	char **labels;
} pcol;

typedef struct extract {
	/* options */
	char *conninfo;
	char *target, *columns, *where, *after, *until;
	char *want_schema, *want_table; /* the name as given, split */
	bool quoted_schema, quoted_table;
	long long limit;
	rs_writer_opts wo;
	bool force;
	/* catalog */
	PGconn *c, *c2;
	char *snapshot;
	const char *import_snapshot; /* --snapshot: read in a snapshot another session exported */
	uint32_t reloid;
	char relkind;
	char *schema, *table, *qtable;
	size_t ncols;
	pcol *cols;
	size_t npk;
	size_t *pk;     /* column indexes of the primary key, in key order */
	size_t nout;
	size_t *out;    /* column index of each output column */
	size_t *lenpos; /* per output column: COPY field of its octet_length(), or SIZE_MAX */
	size_t nfields; /* fields per COPY row */
	size_t *pkpos;  /* COPY field of each locator column: the primary key, else tableoid and ctid */
	size_t nloc;    /* locator columns: npk, or 2 (tableoid, ctid) without a primary key */
	uint64_t long_inline, piece_bytes;
	bool key_in_output;
	bool utf8_server;
	/* output */
	rs_header *h;
	rs_writer *w;
	uint64_t rows, big_values, big_bytes;
	buf piece_sql;
} extract;

/* ------------------------------------------------------------ catalog */

static bool resolve_table(extract *x)
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

static bool read_columns(extract *x)
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

static int plan_columns(extract *x)
{
	if (!collist_resolve_pg(x->columns, x->qtable, find_column_fn, x, x->ncols, &x->out, &x->nout))
		return EXIT_USAGE;
	x->key_in_output = collist_has_key(x->out, x->nout, x->pk, x->npk);
	return EXIT_OK;
}

/* the stream header: names, format_type(), OIDs, NOT NULL, key positions, enum labels */
static bool make_header(extract *x)
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

/* ------------------------------------------------------------ query */

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
static bool loc_ident(buf *q, const extract *x, PGconn *c, size_t k)
{
	if (x->npk == 0) {
		buf_puts(q, k == 0 ? "tableoid" : "ctid");
		return true;
	}
	return pgconn_ident(q, c, x->cols[x->pk[k]].name);
}

static uint32_t loc_type(const extract *x, size_t k)
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
			if (!loc_ident(q, x, x->c, k))
				return false;
			x->pkpos[k] = pos++;
		}
	}
	x->nfields = pos;
	return true;
}

/* ((k1, k2) op (lit1::type1, lit2::type2)) */
static int key_condition(extract *x, buf *q, const char *opt, const char *keytext, const char *op)
{
	if (x->npk == 0) {
		log_error("%s: table %s has no primary key", opt, x->qtable);
		return EXIT_USAGE;
	}
	char **vals;
	size_t *lens, n;
	if (!keytext_parse(keytext, &vals, &lens, &n))
		return EXIT_USAGE;
	int rc = EXIT_OK;
	if (n != x->npk) {
		log_error("%s: key '%s' has %zu value%s, the primary key of %s has %zu column%s", opt, keytext, n,
		          n == 1 ? "" : "s", x->qtable, x->npk, x->npk == 1 ? "" : "s");
		rc = EXIT_USAGE;
		goto out;
	}
	buf_puts(q, "((");
	for (size_t k = 0; k < n; k++) {
		if (k)
			buf_puts(q, ", ");
		if (!pgconn_ident(q, x->c, x->cols[x->pk[k]].name)) {
			rc = EXIT_USAGE;
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
			rc = EXIT_USAGE;
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

static int build_query(extract *x, buf *q)
{
	buf_puts(q, "COPY (SELECT ");
	if (!select_list(x, q))
		return EXIT_SOURCE;
	buf_puts(q, " FROM ");
	buf_puts(q, x->qtable);
	const char *sep = " WHERE ";
	if (x->where) {
		buf_printf(q, "%s(%s)", sep, x->where);
		sep = " AND ";
	}
	int rc;
	if (x->after) {
		buf_puts(q, sep);
		if ((rc = key_condition(x, q, "--after", x->after, ">")) != EXIT_OK)
			return rc;
		sep = " AND ";
	}
	if (x->until) {
		buf_puts(q, sep);
		if ((rc = key_condition(x, q, "--until", x->until, "<=")) != EXIT_OK)
			return rc;
	}
	if (x->npk) {
		buf_puts(q, " ORDER BY ");
		for (size_t k = 0; k < x->npk; k++) {
			if (k)
				buf_puts(q, ", ");
			if (!pgconn_ident(q, x->c, x->cols[x->pk[k]].name))
				return EXIT_SOURCE;
		}
	}
	if (x->limit >= 0)
		buf_printf(q, " LIMIT %lld", x->limit);
	buf_puts(q, ") TO STDOUT (FORMAT binary)");
	return EXIT_OK;
}

/* ------------------------------------------------------------ long values */

/* the piece query: substring of the column by primary key, on the second connection */
static bool open_second(extract *x)
{
	x->c2 = pgconn_connect(x->conninfo, SIDE);
	if (!x->c2)
		return false;
	buf q;
	buf_init(&q);
	char *lit = PQescapeLiteral(x->c2, x->snapshot, strlen(x->snapshot));
	buf_printf(&q, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET TRANSACTION SNAPSHOT %s", lit ? lit : "''");
	PQfreemem(lit);
	bool ok = pgconn_exec(x->c2, SIDE, buf_cstr(&q));
	buf_free(&q);
	return ok;
}

/* streams the value of output column i of the row whose locator fields are pkv (COPY bytes):
 * one query that detoasts the value once, its pieces read as rows one at a time */
static bool fetch_pieces(extract *x, size_t i, uint64_t total, const uint8_t *const *pkv, const int *pkl)
{
	if (!x->c2 && !open_second(x))
		return false;
	const pcol *col = &x->cols[x->out[i]];
	buf *q = &x->piece_sql;
	buf_reset(q);
	/* text as its bytes (the server encoding is UTF-8 for text fetched apart), so that pieces
	 * are cut by bytes; || makes a plain copy, which substring reads without decompressing */
	buf_puts(q, "WITH \"v\" AS MATERIALIZED (SELECT ");
	if (col->text)
		buf_puts(q, "pg_catalog.textsend(");
	else
		buf_putc(q, '(');
	if (!pgconn_ident(q, x->c2, col->name))
		return false;
	buf_puts(q, col->text ? "::pg_catalog.text) AS \"v\" FROM " : " OPERATOR(pg_catalog.||) ''::pg_catalog.bytea) AS \"v\" FROM ");
	buf_puts(q, x->qtable);
	buf_puts(q, " WHERE ");
	for (size_t k = 0; k < x->nloc; k++) {
		if (k)
			buf_puts(q, " AND ");
		if (!loc_ident(q, x, x->c2, k))
			return false;
		buf_printf(q, " OPERATOR(pg_catalog.=) $%zu", k + 2);
	}
	buf_puts(q, ") SELECT \"i\", pg_catalog.substring(\"v\".\"v\", (\"i\" * $1 + 1)::pg_catalog.int4, "
	            "$1::pg_catalog.int4) FROM \"v\", pg_catalog.generate_series(0::pg_catalog.int8, "
	            "(pg_catalog.octet_length(\"v\".\"v\") - 1) / $1) AS \"i\"");
	size_t np = 1 + x->nloc;
	const char **vals = mem_calloc(np, sizeof *vals);
	int *lens = mem_calloc(np, sizeof *lens), *fmts = mem_calloc(np, sizeof *fmts);
	Oid *types = mem_calloc(np, sizeof *types);
	char step[24];
	snprintf(step, sizeof step, "%" PRIu64, x->piece_bytes);
	vals[0] = step;
	types[0] = PGOID_INT8;
	for (size_t k = 0; k < x->nloc; k++) {
		vals[1 + k] = (const char *)pkv[k];
		lens[1 + k] = pkl[k];
		fmts[1 + k] = 1; /* binary, as COPY sent it */
		types[1 + k] = loc_type(x, k);
	}
	bool ok = rs_writer_put_begin(x->w, total);
	if (!PQsendQueryParams(x->c2, buf_cstr(q), (int)np, types, vals, lens, fmts, 1) ||
	    !PQsetSingleRowMode(x->c2)) {
		pgconn_log_error(SIDE, x->c2, NULL, "unable to read a long value in pieces");
		ok = false;
	}
	uint64_t done = 0, expect = 0;
	bool failed = !ok, vanished = true;
	PGresult *r;
	/* every result is read, also after a failure, so that the connection is ready again */
	while ((r = PQgetResult(x->c2)) != NULL) {
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_SINGLE_TUPLE && !failed) {
			vanished = false;
			size_t n = (size_t)PQgetlength(r, 0, 1);
			uint64_t idx = 0;
			if (PQgetlength(r, 0, 0) == 8) {
				const uint8_t *b = (const uint8_t *)PQgetvalue(r, 0, 0);
				for (int k = 0; k < 8; k++)
					idx = idx << 8 | b[k];
			}
			if (PQgetisnull(r, 0, 1) || idx != expect || n == 0 || n > total - done) {
				log_error("[%s] column '%s' of %s: pieces do not add up to its octet_length %" PRIu64, SIDE,
				          col->name, x->qtable, total);
				failed = true;
			} else if (!rs_writer_put_more(x->w, PQgetvalue(r, 0, 1), n)) {
				failed = true;
			} else {
				done += n;
				expect++;
			}
		} else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && !failed) {
			pgconn_log_error(SIDE, x->c2, r, "unable to read a long value in pieces");
			failed = true;
		}
		PQclear(r);
	}
	ok = !failed;
	if (ok && vanished) {
		log_error("[%s] row of %s vanished while reading its column '%s' in pieces", SIDE, x->qtable, col->name);
		ok = false;
	} else if (ok && done != total) {
		log_error("[%s] column '%s' of %s: pieces do not add up to its octet_length %" PRIu64, SIDE, col->name,
		          x->qtable, total);
		ok = false;
	}
	if (ok)
		ok = rs_writer_put_end(x->w);
	free(vals);
	free(lens);
	free(fmts);
	free(types);
	if (ok) {
		x->big_values++;
		x->big_bytes += total;
	}
	return ok;
}

/* ------------------------------------------------------------ the copy */

typedef struct field {
	const uint8_t *p;
	int32_t len; /* -1: NULL */
} field;

/* parses one tuple at c; 1 a row, 0 the trailer, -1 malformed, -2 incomplete */
static int parse_tuple(cursor *c, size_t nfields, field *f)
{
	uint16_t n;
	const uint8_t *p;
	if (!cursor_bytes(c, 2, &p))
		return -2;
	n = byteorder_get_u16be(p);
	if (n == 0xffff)
		return 0;
	if (n != nfields)
		return -1;
	for (size_t i = 0; i < nfields; i++) {
		if (!cursor_bytes(c, 4, &p))
			return -2;
		int32_t len = (int32_t)byteorder_get_u32be(p);
		if (len < -1)
			return -1;
		f[i].len = len;
		f[i].p = NULL;
		if (len > 0 && !cursor_bytes(c, (size_t)len, &f[i].p))
			return -2;
		if (len == 0)
			f[i].p = (const uint8_t *)"";
	}
	return 1;
}

static bool put_row(extract *x, const field *f)
{
	for (size_t i = 0; i < x->nout; i++) {
		bool ok;
		if (x->lenpos[i] != SIZE_MAX && f[x->lenpos[i]].len >= 0) {
			const field *lf = &f[x->lenpos[i]];
			if (lf->len != 4) {
				log_error("[%s] malformed octet_length in the COPY data", SIDE);
				return false;
			}
			uint64_t total = byteorder_get_u32be(lf->p);
			if (f[i].len >= 0) {
				ok = rs_writer_put(x->w, f[i].p, (size_t)f[i].len);
			} else {
				const uint8_t *pkv[64];
				int pkl[64];
				if (x->nloc > 64) {
					log_error("[%s] primary key of %s has more than 64 columns", SIDE, x->qtable);
					return false;
				}
				for (size_t k = 0; k < x->nloc; k++) {
					pkv[k] = f[x->pkpos[k]].p;
					pkl[k] = f[x->pkpos[k]].len;
				}
				ok = fetch_pieces(x, i, total, pkv, pkl);
			}
		} else if (f[i].len < 0) {
			ok = rs_writer_put_null(x->w);
		} else {
			ok = rs_writer_put(x->w, f[i].p, (size_t)f[i].len);
		}
		if (!ok)
			return false;
	}
	if (!rs_writer_end_row(x->w))
		return false;
	x->rows++;
	return true;
}

static int run_copy(extract *x, const char *sql)
{
	PGresult *r = PQexec(x->c, sql);
	if (!r || PQresultStatus(r) != PGRES_COPY_OUT) {
		pgconn_log_error(SIDE, x->c, r, "unable to start COPY");
		PQclear(r);
		return EXIT_SOURCE;
	}
	PQclear(r);
	field *f = mem_calloc(x->nfields, sizeof *f);
	buf pending; /* COPY data not yet parsed (a message normally holds one whole tuple) */
	buf_init(&pending);
	bool header = false, trailer = false;
	int rc = EXIT_OK;
	for (;;) {
		char *data = NULL;
		int n = PQgetCopyData(x->c, &data, 0);
		if (n == -1)
			break;
		if (n < 0) {
			pgconn_log_error(SIDE, x->c, NULL, "COPY failed");
			rc = EXIT_SOURCE;
			goto out;
		}
		const uint8_t *p = (const uint8_t *)data;
		size_t len = (size_t)n;
		if (pending.len) {
			buf_append(&pending, data, len);
			p = pending.data;
			len = pending.len;
		}
		cursor c = {p, p + len};
		if (!header) {
			const uint8_t *h;
			if (!cursor_bytes(&c, 19, &h) || memcmp(h, copy_signature, 11) != 0) {
				log_error("[%s] COPY data does not start with the binary signature", SIDE);
				PQfreemem(data);
				rc = EXIT_SOURCE;
				goto out;
			}
			uint32_t ext = byteorder_get_u32be(h + 15);
			if (!cursor_bytes(&c, ext, &h)) {
				log_error("[%s] COPY header extension cut short", SIDE);
				PQfreemem(data);
				rc = EXIT_SOURCE;
				goto out;
			}
			header = true;
		}
		while (c.p < c.end && !trailer) {
			cursor save = c;
			int k = parse_tuple(&c, x->nfields, f);
			if (k == -2) {
				c = save;
				break;
			}
			if (k < 0) {
				log_error("[%s] malformed COPY data after %" PRIu64 " rows", SIDE, x->rows);
				PQfreemem(data);
				rc = EXIT_SOURCE;
				goto out;
			}
			if (k == 0) {
				trailer = true;
				break;
			}
			if (!put_row(x, f)) {
				PQfreemem(data);
				rc = x->c2 && PQstatus(x->c2) != CONNECTION_OK ? EXIT_SOURCE : EXIT_IO;
				goto out;
			}
		}
		/* keep what is left for the next message */
		size_t left = (size_t)(c.end - c.p);
		if (left && !trailer) {
			if (pending.len) {
				memmove(pending.data, c.p, left);
				pending.len = left;
			} else {
				buf_append(&pending, c.p, left);
			}
		} else {
			buf_reset(&pending);
		}
		PQfreemem(data);
	}
	r = PQgetResult(x->c);
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
		pgconn_log_error(SIDE, x->c, r, "COPY failed");
		rc = EXIT_SOURCE;
	} else if (!trailer) {
		log_error("[%s] COPY data ended without its trailer", SIDE);
		rc = EXIT_SOURCE;
	}
	PQclear(r);
	while ((r = PQgetResult(x->c)) != NULL)
		PQclear(r);
out:
	free(f);
	buf_free(&pending);
	return rc;
}

/* ------------------------------------------------------------ main */

/* --snapshot: the transaction just begun reads what the exporting session sees; the export must
 * still be open (its transaction not ended), else the server refuses the identifier */
static bool import_snapshot(extract *x)
{
	char *lit = PQescapeLiteral(x->c, x->import_snapshot, strlen(x->import_snapshot));
	if (!lit) {
		log_error("[%s] snapshot %s: %s", SIDE, x->import_snapshot, PQerrorMessage(x->c));
		return false;
	}
	buf q;
	buf_init(&q);
	buf_printf(&q, "SET TRANSACTION SNAPSHOT %s", lit);
	PQfreemem(lit);
	bool ok = pgconn_exec(x->c, SIDE, buf_cstr(&q));
	buf_free(&q);
	return ok;
}

static int extract_run(extract *x)
{
	x->c = pgconn_connect(x->conninfo, SIDE);
	if (!x->c)
		return EXIT_SOURCE;
	if (!pgconn_exec(x->c, SIDE,
	                 "SET statement_timeout = 0; SET lock_timeout = 0; "
	                 "SET idle_in_transaction_session_timeout = 0; "
	                 "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
		return EXIT_SOURCE;
	if (x->import_snapshot && !import_snapshot(x))
		return EXIT_SOURCE;
	const char *enc = PQparameterStatus(x->c, "server_encoding");
	x->utf8_server = enc && (strcmp(enc, "UTF8") == 0 || strcmp(enc, "SQL_ASCII") == 0);
	if (!resolve_table(x) || !read_columns(x))
		return EXIT_SOURCE;
	int rc = plan_columns(x);
	if (rc != EXIT_OK)
		return rc;
	buf q;
	buf_init(&q);
	rc = build_query(x, &q);
	if (rc != EXIT_OK) {
		buf_free(&q);
		return rc;
	}
	bool apart = false;
	for (size_t i = 0; i < x->nout; i++)
		apart = apart || x->lenpos[i] != SIZE_MAX;
	if (apart && x->import_snapshot) {
		x->snapshot = mem_strdup(x->import_snapshot); /* the second connection reads in it too */
	} else if (apart) {
		PGresult *r = pgconn_query(x->c, SIDE, "SELECT pg_catalog.pg_export_snapshot()", 0, NULL);
		if (!r) {
			buf_free(&q);
			return EXIT_SOURCE;
		}
		x->snapshot = mem_strdup(PQgetvalue(r, 0, 0));
		PQclear(r);
	}
	log_debug("query: %s", buf_cstr(&q));
	if (!make_header(x)) {
		buf_free(&q);
		return EXIT_SOURCE;
	}
	if (!x->wo.inline_max)
		x->wo.inline_max = WRITER_INLINE_MAX;
	double t0 = cli_now();
	x->w = rs_writer_new(STDOUT_FILENO, "stdout", x->h, &x->wo);
	if (!x->w) {
		buf_free(&q);
		return EXIT_IO;
	}
	rc = run_copy(x, buf_cstr(&q));
	buf_free(&q);
	if (rc != EXIT_OK)
		return rc;
	if (!rs_writer_finish(x->w))
		return EXIT_IO;
	if (!pgconn_exec(x->c, SIDE, "COMMIT"))
		return EXIT_SOURCE;
	double dt = cli_now() - t0;
	log_info("%s: %" PRIu64 " rows, %.1f MiB written in %.2f s (%.0f rows/s)", x->qtable, x->rows,
	         (double)rs_writer_bytes(x->w) / 1048576.0, dt, dt > 0 ? (double)x->rows / dt : 0.0);
	if (x->big_values)
		log_info("%s: %" PRIu64 " long values (%" PRIu64 " bytes) read in pieces", x->qtable, x->big_values,
		         x->big_bytes);
	return EXIT_OK;
}

static void extract_free(extract *x)
{
	rs_writer_free(x->w);
	rs_header_free(x->h);
	pgconn_close(x->c2);
	pgconn_close(x->c);
	free(x->conninfo);
	for (size_t i = 0; i < x->ncols; i++) {
		free(x->cols[i].name);
		free(x->cols[i].type);
		for (size_t l = 0; l < x->cols[i].nlabels; l++)
			free(x->cols[i].labels[l]);
		free(x->cols[i].labels);
	}
	free(x->cols);
	free(x->pk);
	free(x->out);
	free(x->lenpos);
	free(x->pkpos);
	free(x->schema);
	free(x->table);
	free(x->qtable);
	free(x->snapshot);
	free(x->want_schema);
	free(x->want_table);
	buf_free(&x->piece_sql);
}

int main(int argc, char **argv)
{
	log_init(argv[0]);
	enum { O_COLUMNS = 256, O_AFTER, O_UNTIL, O_LIMIT, O_WHERE, O_BLOCK, O_ZSTD, O_SNAPSHOT };
	static const struct option lopts[] = {
		{"dbname", required_argument, NULL, 'd'},
		{"columns", required_argument, NULL, O_COLUMNS},
		{"after", required_argument, NULL, O_AFTER},
		{"until", required_argument, NULL, O_UNTIL},
		{"limit", required_argument, NULL, O_LIMIT},
		{"where", required_argument, NULL, O_WHERE},
		{"block-bytes", required_argument, NULL, O_BLOCK},
		{"zstd", optional_argument, NULL, O_ZSTD},
		{"snapshot", required_argument, NULL, O_SNAPSHOT},
		{"force", no_argument, NULL, 'f'},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	extract x;
	memset(&x, 0, sizeof x);
	x.limit = -1;
	buf_init(&x.piece_sql);
	x.long_inline = LONG_INLINE;
	x.piece_bytes = PIECE_BYTES;
	const char *pb = getenv("PG_EXTRACT_PIECE_BYTES");
	if (pb && *pb) {
		unsigned long long v;
		if (!cli_parse_number("PG_EXTRACT_PIECE_BYTES", pb, 1, 1u << 30, &v))
			return EXIT_USAGE;
		x.piece_bytes = v;
	}
	unsigned long long n;
	int c;
	while ((c = getopt_long(argc, argv, "d:fqvh", lopts, NULL)) != -1) {
		switch (c) {
		case 'd': /* a copy; the password in argv is overwritten at once (ps, /proc/PID/cmdline) */
			free(x.conninfo);
			x.conninfo = pgconn_take_conninfo(optarg);
			break;
		case O_COLUMNS: x.columns = optarg; break;
		case O_AFTER: x.after = keytext_bound(optarg); break; /* an empty argument: no bound */
		case O_UNTIL: x.until = keytext_bound(optarg); break;
		case O_WHERE: x.where = optarg; break;
		case O_SNAPSHOT: x.import_snapshot = optarg; break;
		case O_LIMIT:
			if (!cli_parse_number("--limit", optarg, 0, (unsigned long long)INT64_MAX, &n))
				return EXIT_USAGE;
			x.limit = (long long)n;
			break;
		case O_BLOCK:
			if (!cli_parse_block_bytes(optarg, &x.wo.block_bytes))
				return EXIT_USAGE;
			break;
		case O_ZSTD:
			if (!optarg) {
				x.wo.zstd_level = 3;
			} else {
				if (!cli_parse_number("--zstd", optarg, 1, 22, &n))
					return EXIT_USAGE;
				x.wo.zstd_level = (int)n;
			}
			break;
		case 'f': x.force = true; break;
		case 'q': log_verbosity = 0; break;
		case 'v': log_verbosity++; break;
		case 'h': help(); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	x.target = argv[optind];
	if (!pgconn_split_name(x.target, &x.want_schema, &x.want_table, &x.quoted_schema, &x.quoted_table))
		return EXIT_USAGE;
	if (!log_check_stdout_binary(x.force)) {
		free(x.want_schema);
		free(x.want_table);
		return EXIT_USAGE;
	}
	cli_sigpipe_exits();
	int rc = extract_run(&x);
	extract_free(&x);
	return rc;
}
