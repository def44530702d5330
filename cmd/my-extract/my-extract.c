/*
 * my-extract - one MySQL/MariaDB table as a row stream (domain mysql) on stdout.
 *
 * Values are exactly the bytes of the text protocol (character_set_results NULL:
 * each string column in its own character set, recorded in the header). The
 * table is streamed with mysql_use_result, in primary-key order; values of long
 * columns (MEDIUM/LONG BLOB/TEXT, JSON) above a threshold are left out of the
 * streamed row and read in pieces on a second connection, by primary key, so
 * memory stays bounded whatever the row size. See man/man1/my-extract.1.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mysqld_error.h>

#include "buf.h"
#include "cli.h"
#include "collist.h"
#include "exitcodes.h"
#include "keytext.h"
#include "log.h"
#include "myconn.h"
#include "mytable.h"
#include "rowstream.h"

/* values of long columns longer than this are fetched apart, in pieces (per row, the
 * streamed connection holds at most LONG_ROW_BUDGET of long values) */
#define LONG_ROW_BUDGET (16u << 20)
#define LONG_INLINE_MAX (4u << 20)
#define LONG_INLINE_MIN (64u << 10)
#define PIECE_MAX (16u << 20)
#define WRITER_INLINE_MAX (4u << 20)

static void usage(FILE *f)
{
	/* my-extract(1)'s SYNOPSIS (tests/bats/usage.bats keeps them equal) */
	static const char *const forms[] = {
	    "my-extract " MYCONN_SYNOPSIS " [-q | -v] [-f] [--columns column[,column...]] [--where condition] "
	    "[--after key] [--until key] [--limit n] [--snapshot] [--block-bytes n] [--zstd[=level]] "
	    "database.table | -D database table",
	    NULL,
	};
	cli_usage(f, forms);
}

static void help(void)
{
	usage(stdout);
	fputs("\nWrites one table as a binary row stream (domain mysql) on stdout.\n"
	      "  -h, --host, -P, --port, -u, --user, -S, --socket, -D, --database\n"
	      "  -p[PASSWORD], --password[=PASSWORD]   bare: prompt on /dev/tty\n"
	      "  --defaults-file=F, --defaults-extra-file=F, --no-defaults\n"
	      "  --ssl-mode=DISABLED|PREFERRED|REQUIRED|VERIFY_CA|VERIFY_IDENTITY, --ssl-ca, --ssl-cert, --ssl-key\n"
	      "  --connect-timeout=SECONDS\n"
	      "  --columns a,b,c   only these columns, in this order\n"
	      "  --where COND      only rows where COND holds (SQL, ANDed)\n"
	      "  --after KEY       only rows whose primary key is greater than KEY (key text)\n"
	      "  --until KEY       only rows whose primary key is at most KEY\n"
	      "  --limit N         at most N rows\n"
	      "  --snapshot        consistent snapshot; records the binary log position\n"
	      "  --block-bytes N   block size of the stream (default 262144)\n"
	      "  --zstd[=LEVEL]    compress blocks (default level 3)\n"
	      "  -f, --force       write the stream even to a terminal\n"
	      "  -q, --quiet       errors only;  -v, --verbose  summary (and more with -vv)\n"
	      "See my-extract(1).\n",
	      stdout);
}

typedef struct extract {
	/* options */
	myconn_opts conn;
	char *db, *table;
	char *columns, *where, *after, *until;
	long long limit; /* -1: none */
	bool snapshot;
	size_t block_bytes;
	int zstd_level;
	bool force;
	/* state */
	MYSQL *m;  /* streams the table */
	MYSQL *m2; /* fetches long values in pieces */
	mytable *t;
	size_t nout;
	size_t *out_col;   /* table column of each output column */
	size_t *sel_val;   /* select-list position of each output column's value */
	long *sel_len;     /* select-list position of its LENGTH(), -1 when not a long column */
	long *sel_idx;     /* select-list position of its member index (col+0), -1 when none */
	size_t nloc;       /* locator: the key that finds a row again (primary or unique) */
	size_t *loc_col;
	size_t *sel_loc;
	size_t nsel;
	bool key_in_output; /* every primary key column is output: the stream has a key */
	uint64_t long_cutoff;
	uint64_t piece;
	rs_header *h;
	rs_writer *w;
	char *qtable; /* `db`.`table` */
	/* statistics */
	uint64_t big_values;
	uint64_t big_bytes;
	buf scratch; /* one value put together */
} extract;

/* ------------------------------------------------------------ plan */

static int find_column_fn(const void *t, const char *name)
{
	return mytable_find(t, name);
}

static int plan_columns(extract *x)
{
	mytable *t = x->t;
	if (!collist_resolve(x->columns, x->qtable, find_column_fn, t, t->ncols, &x->out_col, &x->nout))
		return EXIT_USAGE;
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
	return EXIT_OK;
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
static bool enum_index_form(const extract *x, size_t i)
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
static int key_condition(extract *x, buf *q, const char *opt, const char *keytext, const char *op,
                         const char *first_op)
{
	mytable *t = x->t;
	if (t->npk == 0) {
		log_error("%s: table %s has no primary key", opt, x->qtable);
		return EXIT_USAGE;
	}
	char **vals;
	size_t *lens, n;
	if (!keytext_parse(keytext, &vals, &lens, &n))
		return EXIT_USAGE;
	if (n != t->npk) {
		log_error("%s: key '%s' has %zu value%s, the primary key of %s has %zu column%s", opt, keytext, n,
		          n == 1 ? "" : "s", x->qtable, t->npk, t->npk == 1 ? "" : "s");
		keytext_free(vals, lens, n);
		return EXIT_USAGE;
	}
	buf lit[2];
	buf_init(&lit[0]);
	buf_init(&lit[1]);
	int rc = EXIT_OK;
	buf cols, litlist;
	buf_init(&cols);
	buf_init(&litlist);
	for (size_t k = 0; k < n; k++) {
		buf_reset(&lit[0]);
		if (!mytable_key_literal(x->m, &lit[0], &t->cols[t->pk[k]], vals[k], lens[k])) {
			rc = EXIT_USAGE; /* logged, naming the column */
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

static int build_query(extract *x, buf *q)
{
	buf_puts(q, "SELECT ");
	build_select_list(x, q);
	buf_puts(q, " FROM ");
	buf_puts(q, x->qtable);
	const char *sep = " WHERE ";
	if (x->where) {
		buf_puts(q, sep);
		buf_putc(q, '(');
		buf_puts(q, x->where);
		buf_putc(q, ')');
		sep = " AND ";
	}
	int rc;
	if (x->after) {
		buf_puts(q, sep);
		if ((rc = key_condition(x, q, "--after", x->after, ">", ">=")) != EXIT_OK)
			return rc;
		sep = " AND ";
	}
	if (x->until) {
		buf_puts(q, sep);
		if ((rc = key_condition(x, q, "--until", x->until, "<=", "<=")) != EXIT_OK)
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
	if (x->limit >= 0)
		buf_printf(q, " LIMIT %lld", x->limit);
	return EXIT_OK;
}

/* ------------------------------------------------------------ snapshot */

/* FLUSH TABLES WITH READ LOCK (when permitted), consistent-snapshot transactions on every
 * connection while it is held, the binary log position, UNLOCK TABLES */
static int take_snapshot(extract *x)
{
	MYSQL *conns[2] = {x->m, x->m2};
	for (size_t i = 0; i < 2; i++)
		if (conns[i] && !myconn_exec(conns[i], "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
			return EXIT_SOURCE;
	bool locked = true;
	log_debug("[source] query: FLUSH TABLES WITH READ LOCK");
	if (mysql_query(x->m, "FLUSH TABLES WITH READ LOCK") != 0) {
		unsigned e = mysql_errno(x->m);
		if (e != ER_SPECIFIC_ACCESS_DENIED_ERROR && e != ER_ACCESS_DENIED_ERROR && e != ER_DBACCESS_DENIED_ERROR) {
			myconn_log_error(x->m, "FLUSH TABLES WITH READ LOCK");
			return EXIT_SOURCE;
		}
		locked = false;
		log_warn("[source] FLUSH TABLES WITH READ LOCK not permitted (%s): snapshot taken without the global "
		         "read lock, so the recorded %s may not match it exactly%s",
		         mysql_error(x->m), myconn_is_mariadb(x->m) ? "GTID position" : "binary log position",
		         x->m2 ? ", and long values read apart may come from a slightly later state" : "");
	}
	for (size_t i = 0; i < 2; i++) {
		if (conns[i] && !myconn_exec(conns[i], "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")) {
			if (locked)
				myconn_exec(x->m, "UNLOCK TABLES");
			return EXIT_SOURCE;
		}
	}
	bool mariadb = myconn_is_mariadb(x->m);
	char *file = NULL, *pos = NULL, *gtid = NULL;
	if (mariadb) {
		/* exact for this transaction's snapshot, lock or no lock */
		MYSQL_RES *r = myconn_store(x->m, "SHOW SESSION STATUS LIKE 'binlog_snapshot_%'");
		if (!r)
			goto fail;
		MYSQL_ROW row;
		while ((row = mysql_fetch_row(r))) {
			if (!row[0] || !row[1] || !row[1][0])
				continue;
			if (strcmp(row[0], "Binlog_snapshot_file") == 0)
				file = mem_strdup(row[1]);
			else if (strcmp(row[0], "Binlog_snapshot_position") == 0)
				pos = mem_strdup(row[1]);
		}
		mysql_free_result(r);
		if (!myconn_value(x->m, "SELECT @@GLOBAL.gtid_binlog_pos", &gtid))
			goto fail;
	} else {
		/* MySQL: under the lock, SHOW MASTER STATUS (SHOW BINARY LOG STATUS from 8.4) */
		MYSQL_RES *r = NULL;
		log_debug("[source] query: SHOW MASTER STATUS");
		if (mysql_query(x->m, "SHOW MASTER STATUS") == 0) {
			r = mysql_store_result(x->m);
		} else if (mysql_errno(x->m) == ER_PARSE_ERROR) {
			r = myconn_store(x->m, "SHOW BINARY LOG STATUS");
			if (!r)
				goto fail;
		} else {
			log_warn("[source] %u %s (SHOW MASTER STATUS): no binary log position recorded", mysql_errno(x->m),
			         mysql_error(x->m));
		}
		if (r) {
			MYSQL_ROW row = mysql_fetch_row(r);
			if (row && mysql_num_fields(r) >= 2 && row[0] && row[1]) {
				file = mem_strdup(row[0]);
				pos = mem_strdup(row[1]);
			}
			if (row && mysql_num_fields(r) >= 5 && row[4] && row[4][0])
				gtid = mem_strdup(row[4]);
			mysql_free_result(r);
		}
	}
	if (locked && !myconn_exec(x->m, "UNLOCK TABLES"))
		goto fail_unlocked;
	if (file && pos) {
		rs_header_add_meta(x->h, "binlog_file", file);
		rs_header_add_meta(x->h, "binlog_pos", pos);
		log_info("[source] snapshot at binary log %s:%s", file, pos);
	} else {
		log_warn("[source] binary log disabled or not visible: no position recorded for the snapshot");
	}
	if (gtid && *gtid)
		rs_header_add_meta(x->h, mariadb ? "gtid_binlog_pos" : "gtid_executed", gtid);
	free(file);
	free(pos);
	free(gtid);
	return EXIT_OK;
fail:
	if (locked)
		myconn_exec(x->m, "UNLOCK TABLES");
fail_unlocked:
	free(file);
	free(pos);
	free(gtid);
	return EXIT_SOURCE;
}

/* ------------------------------------------------------------ long values */

static int locator_where(extract *x, buf *q, MYSQL_ROW row, unsigned long *lens)
{
	buf_puts(q, " WHERE ");
	for (size_t k = 0; k < x->nloc; k++) {
		const mytable_col *c = &x->t->cols[x->loc_col[k]];
		const char *v = row[x->sel_loc[k]];
		if (!v) {
			log_error("[source] key column %s of %s is NULL", c->name, x->qtable);
			return EXIT_SOURCE;
		}
		buf_puts(q, k ? " AND `src`." : "`src`.");
		myconn_quote_ident(q, c->name);
		buf_puts(q, " = ");
		if (!mytable_literal(x->m2, q, c, v, lens[x->sel_loc[k]]))
			return EXIT_SOURCE;
	}
	return EXIT_OK;
}

static void key_text(extract *x, buf *out, MYSQL_ROW row, unsigned long *lens)
{
	for (size_t k = 0; k < x->nloc; k++) {
		if (k)
			buf_putc(out, ',');
		const char *v = row[x->sel_loc[k]];
		keytext_format_field(out, v ? v : "", v ? lens[x->sel_loc[k]] : 0);
	}
}

/* The value of output column i (total bytes long) of the current row, in pieces, with one
 * query on the second connection that reads the value once:
 *   SELECT piece.i, LENGTH(src.c), SUBSTRING(CAST(src.c AS BINARY) FROM piece.i * P + 1 FOR P)
 *   FROM db.t AS src STRAIGHT_JOIN (SELECT 0 AS i UNION ALL SELECT 1 ...) AS piece
 *   WHERE src.k = key
 * The key makes src a constant table, read once; each result row is one piece (a query per
 * piece would make the server read the whole value again for every piece). */
static int fetch_long(extract *x, size_t i, MYSQL_ROW row, unsigned long *lens, uint64_t total)
{
	const mytable_col *c = &x->t->cols[x->out_col[i]];
	buf keyt;
	buf_init(&keyt);
	key_text(x, &keyt, row, lens);
	if (!x->m2) {
		log_error("column %s of %s has a value of %" PRIu64 " bytes (row after %" PRIu64
		          " rows): values over %" PRIu64 " bytes are read apart by key, and the table has no "
		          "primary or NOT NULL unique key",
		          c->name, x->qtable, total, rs_writer_rows(x->w), x->long_cutoff);
		buf_free(&keyt);
		return EXIT_LIMIT;
	}
	uint64_t npieces = (total + x->piece - 1) / x->piece;
	buf q;
	buf_init(&q);
	buf_puts(&q, "SELECT `piece`.`i`, LENGTH(`src`.");
	myconn_quote_ident(&q, c->name);
	buf_puts(&q, "), SUBSTRING(CAST(`src`.");
	myconn_quote_ident(&q, c->name);
	buf_printf(&q, " AS BINARY) FROM `piece`.`i` * %" PRIu64 " + 1 FOR %" PRIu64 ") FROM ", x->piece, x->piece);
	buf_puts(&q, x->qtable);
	buf_puts(&q, " AS `src` STRAIGHT_JOIN (SELECT 0 AS `i`");
	for (uint64_t k = 1; k < npieces; k++)
		buf_printf(&q, " UNION ALL SELECT %" PRIu64, k);
	buf_puts(&q, ") AS `piece`");
	int rc = locator_where(x, &q, row, lens);
	MYSQL_RES *r = NULL;
	if (rc == EXIT_OK) {
		r = myconn_use(x->m2, buf_cstr(&q));
		if (!r)
			rc = EXIT_SOURCE;
	}
	uint64_t off = 0, next = 0;
	MYSQL_ROW prow;
	while (rc == EXIT_OK && (prow = mysql_fetch_row(r))) {
		unsigned long *plen = mysql_fetch_lengths(r);
		uint64_t want = total - off < x->piece ? total - off : x->piece;
		if (!prow[0] || strtoull(prow[0], NULL, 10) != next) {
			log_error("[source] column %s of %s, key %s: piece %s arrived where piece %" PRIu64 " was expected",
			          c->name, x->qtable, buf_cstr(&keyt), prow[0] ? prow[0] : "NULL", next);
			rc = EXIT_SOURCE;
		} else if (!prow[1] || strtoull(prow[1], NULL, 10) != total || !prow[2] || plen[2] != want) {
			log_error("[source] column %s of %s, key %s, changed while it was read (%" PRIu64 " bytes, now %s; "
			          "use --snapshot for a consistent read)",
			          c->name, x->qtable, buf_cstr(&keyt), total, prow[1] ? prow[1] : "NULL");
			rc = EXIT_SOURCE;
		} else {
			if (next == 0 && !rs_writer_put_begin(x->w, total))
				rc = EXIT_IO;
			if (rc == EXIT_OK && !rs_writer_put_more(x->w, prow[2], plen[2]))
				rc = EXIT_IO;
			off += plen[2];
			next++;
		}
	}
	if (rc == EXIT_OK && mysql_errno(x->m2)) {
		myconn_log_error(x->m2, "reading column %s of %s, key %s", c->name, x->qtable, buf_cstr(&keyt));
		rc = EXIT_SOURCE;
	}
	if (rc == EXIT_OK && next != npieces) {
		if (next == 0)
			log_error("[source] row with key %s of %s vanished while its column %s was read (use --snapshot for "
			          "a consistent read)",
			          buf_cstr(&keyt), x->qtable, c->name);
		else
			log_error("[source] key %s of %s: %" PRIu64 " pieces of column %s instead of %" PRIu64
			          " (the key matches several rows?)",
			          buf_cstr(&keyt), x->qtable, next, c->name, npieces);
		rc = EXIT_SOURCE;
	}
	if (r) {
		if (rc != EXIT_OK)
			mariadb_cancel(x->m2); /* do not drain a result we abandon */
		mysql_free_result(r);
	}
	if (rc == EXIT_OK && !rs_writer_put_end(x->w))
		rc = EXIT_IO;
	if (rc == EXIT_OK) {
		x->big_values++;
		x->big_bytes += total;
	}
	buf_free(&keyt);
	buf_free(&q);
	return rc;
}

/* ------------------------------------------------------------ the run */

static int build_header(extract *x)
{
	/* result metadata of the plain columns: MYSQL_TYPE_* codes, binary charset */
	buf q;
	buf_init(&q);
	buf_puts(&q, "SELECT ");
	for (size_t i = 0; i < x->nout; i++) {
		if (i)
			buf_puts(&q, ", ");
		myconn_quote_ident(&q, x->t->cols[x->out_col[i]].name);
	}
	buf_puts(&q, " FROM ");
	buf_puts(&q, x->qtable);
	buf_puts(&q, " LIMIT 0");
	MYSQL_RES *r = myconn_store(x->m, buf_cstr(&q));
	buf_free(&q);
	if (!r)
		return EXIT_SOURCE;
	if (mysql_num_fields(r) != x->nout) {
		log_error("[source] %s: expected %zu result columns, got %u", x->qtable, x->nout, mysql_num_fields(r));
		mysql_free_result(r);
		return EXIT_SOURCE;
	}
	MYSQL_FIELD *f = mysql_fetch_fields(r);
	for (size_t i = 0; i < x->nout; i++) {
		uint32_t keypos = 0;
		if (x->key_in_output)
			for (size_t k = 0; k < x->t->npk; k++)
				if (x->t->pk[k] == x->out_col[i])
					keypos = (uint32_t)k + 1;
		size_t hc = mytable_header_column(x->h, &x->t->cols[x->out_col[i]], &f[i], keypos);
		if (enum_index_form(x, i))
			rs_column_add_attr(&x->h->cols[hc], "enum_form", "index:text");
	}
	mysql_free_result(r);
	if (!rs_header_finish(x->h))
		return EXIT_INTERNAL;
	return EXIT_OK;
}

/* an ENUM value with its member index (see enum_with_empty_member) */
static int put_enum_index(extract *x, size_t i, MYSQL_ROW row, unsigned long *lens)
{
	size_t s = x->sel_val[i];
	const char *idx = row[x->sel_idx[i]];
	if (!idx)
		return EXIT_SOURCE; /* cannot be: the value is not NULL */
	if (!enum_index_form(x, i)) {
		if (strcmp(idx, "0") != 0)
			return rs_writer_put(x->w, row[s], lens[s]) ? EXIT_OK : EXIT_IO;
		buf keyt;
		buf_init(&keyt);
		key_text(x, &keyt, row, lens);
		log_error("[source] %s: row with key %s: key column %s holds MySQL's invalid ENUM value (index 0), "
		          "which reads as its member ''", x->qtable, buf_cstr(&keyt), x->t->cols[x->out_col[i]].name);
		buf_free(&keyt);
		return EXIT_SOURCE;
	}
	x->scratch.len = 0;
	buf_puts(&x->scratch, idx);
	buf_putc(&x->scratch, ':');
	buf_append(&x->scratch, row[s], lens[s]);
	return rs_writer_put(x->w, x->scratch.data, x->scratch.len) ? EXIT_OK : EXIT_IO;
}

static int stream_rows(extract *x, MYSQL_RES *res)
{
	MYSQL_ROW row;
	int rc = EXIT_OK;
	while ((row = mysql_fetch_row(res))) {
		unsigned long *lens = mysql_fetch_lengths(res);
		for (size_t i = 0; i < x->nout && rc == EXIT_OK; i++) {
			size_t s = x->sel_val[i];
			if (row[s] && x->sel_idx[i] >= 0) {
				rc = put_enum_index(x, i, row, lens);
				continue;
			}
			if (row[s]) {
				if (!rs_writer_put(x->w, row[s], lens[s]))
					rc = EXIT_IO;
				continue;
			}
			long ls = x->sel_len[i];
			if (ls >= 0 && row[ls]) {
				/* left out of the row for its size: read it apart */
				rc = fetch_long(x, i, row, lens, strtoull(row[ls], NULL, 10));
				continue;
			}
			if (!rs_writer_put_null(x->w))
				rc = EXIT_IO;
		}
		if (rc == EXIT_OK && !rs_writer_end_row(x->w))
			rc = EXIT_IO;
		if (rc != EXIT_OK)
			break;
	}
	if (rc == EXIT_OK && mysql_errno(x->m)) {
		/* mysql_fetch_row returns NULL at the end and on errors alike */
		myconn_log_error(x->m, "reading rows of %s after %" PRIu64 " rows", x->qtable, rs_writer_rows(x->w));
		rc = EXIT_SOURCE;
	}
	return rc;
}

static int run(extract *x)
{
	x->m = myconn_connect(&x->conn);
	if (!x->m)
		return EXIT_SOURCE;
	if (!x->db) {
		if (!myconn_value(x->m, "SELECT DATABASE()", &x->db))
			return EXIT_SOURCE;
		if (!x->db) {
			log_error("no database given: use DB.TABLE or -D DB");
			return EXIT_USAGE;
		}
	}
	mytable_status st = mytable_read(x->m, x->db, x->table, &x->t);
	if (st != MYTABLE_OK)
		return st == MYTABLE_NOT_FOUND ? EXIT_USAGE : EXIT_SOURCE;
	buf qt;
	buf_init(&qt);
	myconn_quote_table(&qt, x->t->db, x->t->name);
	x->qtable = mem_strdup(buf_cstr(&qt));
	buf_free(&qt);

	int rc = plan_columns(x);
	if (rc != EXIT_OK)
		return rc;
	if (x->t->npk == 0) {
		if (x->after || x->until) {
			log_error("%s: table %s has no primary key", x->after ? "--after" : "--until", x->qtable);
			return EXIT_USAGE;
		}
		log_warn("table %s has no primary key: its rows are extracted unordered and the stream has no key",
		         x->qtable);
	}
	buf q;
	buf_init(&q);
	rc = build_query(x, &q);
	if (rc != EXIT_OK) {
		buf_free(&q);
		return rc;
	}

	if (x->long_cutoff && x->nloc) {
		x->m2 = myconn_connect(&x->conn);
		if (!x->m2) {
			buf_free(&q);
			return EXIT_SOURCE;
		}
		char *mp = NULL;
		if (!myconn_value(x->m2, "SELECT @@max_allowed_packet", &mp)) {
			buf_free(&q);
			return EXIT_SOURCE;
		}
		uint64_t maxp = mp ? strtoull(mp, NULL, 10) : 0;
		free(mp);
		x->piece = PIECE_MAX;
		if (maxp / 2 < x->piece && maxp / 2 >= (64u << 10))
			x->piece = maxp / 2;
	}

	x->h = rs_header_new(RS_DOMAIN_MYSQL, x->t->db, x->t->name);
	rs_header_add_meta(x->h, "source", "mysql");
	rs_header_add_meta(x->h, "server_version", mysql_get_server_info(x->m));
	rs_header_add_meta(x->h, "database", x->t->db);
	/* TIMESTAMP values are printed in the session time zone (myconn sets +00:00) */
	char *tz = NULL;
	if (!myconn_value(x->m, "SELECT @@session.time_zone", &tz)) {
		buf_free(&q);
		return EXIT_SOURCE;
	}
	rs_header_add_meta(x->h, "time_zone", tz ? tz : "");
	free(tz);
	if (!x->where && !x->after && !x->until && x->limit < 0) {
		/* the whole table: the catalog's row estimate lets pg-load show an ETA */
		buf eq;
		buf_init(&eq);
		buf_puts(&eq, "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ");
		myconn_quote_literal(x->m, &eq, x->t->db, strlen(x->t->db));
		buf_puts(&eq, " AND TABLE_NAME = ");
		myconn_quote_literal(x->m, &eq, x->t->name, strlen(x->t->name));
		char *est = NULL;
		bool ok = myconn_value(x->m, buf_cstr(&eq), &est);
		buf_free(&eq);
		if (!ok) {
			buf_free(&q);
			return EXIT_SOURCE;
		}
		if (est && *est)
			rs_header_add_meta(x->h, "rows_estimate", est);
		free(est);
	}
	if (x->where)
		rs_header_add_meta(x->h, "where", x->where);
	if (x->after)
		rs_header_add_meta(x->h, "after", x->after);
	if (x->until)
		rs_header_add_meta(x->h, "until", x->until);
	if (x->limit >= 0) {
		char n[32];
		snprintf(n, sizeof n, "%lld", x->limit);
		rs_header_add_meta(x->h, "limit", n);
	}
	if (x->snapshot) {
		if (x->t->engine && strcasecmp(x->t->engine, "InnoDB") != 0)
			log_warn("table %s uses engine %s: a consistent snapshot covers transactional (InnoDB) tables only",
			         x->qtable, x->t->engine);
		rc = take_snapshot(x);
		if (rc != EXIT_OK) {
			buf_free(&q);
			return rc;
		}
	}
	rc = build_header(x);
	if (rc != EXIT_OK) {
		buf_free(&q);
		return rc;
	}

	MYSQL_RES *res = myconn_use(x->m, buf_cstr(&q));
	buf_free(&q);
	if (!res) {
		unsigned e = mysql_errno(x->m);
		if (x->where && (e == ER_PARSE_ERROR || e == ER_BAD_FIELD_ERROR))
			return EXIT_USAGE; /* most likely the --where condition */
		return EXIT_SOURCE;
	}
	if (mysql_num_fields(res) != x->nsel) {
		log_error("[source] %s: expected %zu result columns, got %u", x->qtable, x->nsel, mysql_num_fields(res));
		mariadb_cancel(x->m);
		mysql_free_result(res);
		return EXIT_SOURCE;
	}
	rs_writer_opts wo = {
		.block_bytes = x->block_bytes,
		.inline_max = WRITER_INLINE_MAX,
		.zstd_level = x->zstd_level,
	};
	x->w = rs_writer_new(STDOUT_FILENO, "stdout", x->h, &wo);
	if (!x->w) {
		mariadb_cancel(x->m);
		mysql_free_result(res);
		return EXIT_IO;
	}
	rc = stream_rows(x, res);
	if (rc != EXIT_OK)
		mariadb_cancel(x->m); /* freeing an unfinished result would read the rest of the table */
	mysql_free_result(res);
	if (rc == EXIT_OK && x->snapshot)
		(void)mysql_query(x->m, "COMMIT");
	if (rc == EXIT_OK && !rs_writer_finish(x->w))
		rc = EXIT_IO;
	return rc;
}

static void extract_free(extract *x)
{
	if (x->w)
		rs_writer_free(x->w);
	rs_header_free(x->h);
	myconn_close(x->m2);
	myconn_close(x->m);
	mytable_free(x->t);
	free(x->out_col);
	free(x->sel_val);
	free(x->sel_len);
	free(x->sel_idx);
	buf_free(&x->scratch);
	free(x->sel_loc);
	free(x->qtable);
	free(x->db);
	free(x->table);
	myconn_opts_free(&x->conn);
}

int main(int argc, char **argv)
{
	log_init(argv[0]);
	enum {
		O_COLUMNS = 256,
		O_WHERE,
		O_AFTER,
		O_UNTIL,
		O_LIMIT,
		O_SNAPSHOT,
		O_BLOCK,
		O_ZSTD,
		O_HELP
	};
	static const struct option longopts[] = {
		MYCONN_LONG_OPTIONS,
		{"columns", required_argument, NULL, O_COLUMNS},
		{"where", required_argument, NULL, O_WHERE},
		{"after", required_argument, NULL, O_AFTER},
		{"until", required_argument, NULL, O_UNTIL},
		{"limit", required_argument, NULL, O_LIMIT},
		{"snapshot", no_argument, NULL, O_SNAPSHOT},
		{"block-bytes", required_argument, NULL, O_BLOCK},
		{"zstd", optional_argument, NULL, O_ZSTD},
		{"force", no_argument, NULL, 'f'},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, O_HELP},
		{NULL, 0, NULL, 0},
	};
	extract x;
	memset(&x, 0, sizeof x);
	myconn_opts_init(&x.conn);
	x.limit = -1;
	int rc = EXIT_OK, c;
	unsigned long long n;
	while ((c = getopt_long(argc, argv, MYCONN_SHORT_OPTIONS "qvf", longopts, NULL)) != -1) {
		int k = myconn_opts_parse(&x.conn, c, optarg);
		if (k < 0) {
			rc = EXIT_USAGE;
			goto out;
		}
		if (k > 0)
			continue;
		switch (c) {
		case 'q': log_verbosity = 0; break;
		case 'v': log_verbosity = log_verbosity < 1 ? 2 : log_verbosity + 1; break;
		case 'f': x.force = true; break;
		case O_COLUMNS: x.columns = optarg; break;
		case O_WHERE: x.where = optarg; break;
		case O_AFTER: x.after = keytext_bound(optarg); break; /* an empty argument: no bound */
		case O_UNTIL: x.until = keytext_bound(optarg); break;
		case O_LIMIT:
			if (!cli_parse_number("--limit", optarg, 0, (unsigned long long)INT64_MAX, &n)) {
				rc = EXIT_USAGE;
				goto out;
			}
			x.limit = (long long)n;
			break;
		case O_SNAPSHOT: x.snapshot = true; break;
		case O_BLOCK:
			if (!cli_parse_block_bytes(optarg, &x.block_bytes)) {
				rc = EXIT_USAGE;
				goto out;
			}
			break;
		case O_ZSTD:
			x.zstd_level = 3;
			if (optarg) {
				if (!cli_parse_number("--zstd level", optarg, 1, 22, &n)) {
					rc = EXIT_USAGE;
					goto out;
				}
				x.zstd_level = (int)n;
			}
			break;
		case O_HELP: help(); goto out;
		default:
			usage(stderr);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		rc = EXIT_USAGE;
		goto out;
	}
	if (x.conn.database) { /* -D DB TABLE: the table name as it is */
		x.db = mem_strdup(x.conn.database);
		x.table = mem_strdup(argv[optind]);
	} else if (!myconn_split_name(argv[optind], &x.db, &x.table)) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (!myconn_opts_finish(&x.conn)) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (x.columns && !*x.columns) {
		log_error("--columns: no column given");
		rc = EXIT_USAGE;
		goto out;
	}
	if (!log_check_stdout_binary(x.force)) {
		rc = EXIT_USAGE;
		goto out;
	}
	/* the client library ignores SIGPIPE when it initialises: initialise it first */
	if (mysql_library_init(0, NULL, NULL) != 0) {
		log_error("unable to initialise the MySQL client library");
		rc = EXIT_SOURCE;
		goto out;
	}
	cli_sigpipe_exits(); /* after mysql_library_init, which ignores SIGPIPE */
	sigset_t pipe_set;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_UNBLOCK, &pipe_set, NULL);

	double t0 = cli_now();
	rc = run(&x);
	if (rc == EXIT_OK && x.w) {
		double dt = cli_now() - t0;
		log_info("%s: %" PRIu64 " rows, %" PRIu64 " bytes in %.2f s (%.0f rows/s)", x.qtable, rs_writer_rows(x.w),
		         rs_writer_bytes(x.w), dt, dt > 0 ? (double)rs_writer_rows(x.w) / dt : 0.0);
		if (x.big_values)
			log_info("%s: %" PRIu64 " long values (%" PRIu64 " bytes) read in pieces", x.qtable, x.big_values,
			         x.big_bytes);
	}
out:
	extract_free(&x);
	mysql_library_end();
	return rc;
}
