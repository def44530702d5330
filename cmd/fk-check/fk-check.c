/*
 * fk-check - child rows whose parent row is missing, for every foreign key
 * of a MySQL/MariaDB database (the source) or a PostgreSQL schema (the
 * target); optionally moved aside into <table>_orphans so the constraint can
 * be added or validated. See fk-check(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "exitcodes.h"
#include "fk.h"
#include "keytext.h"
#include "log.h"
#include "pgconn.h"
#include "pgoid.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: fk-check --mysql " MYCONN_USAGE "\n"
	           "                [-q | -v] [--quarantine] [--table table]... [--stream file] [db]\n"
	           "       fk-check --pg [-d conninfo] [-q | -v] [--quarantine] [--table table]...\n"
	           "                [--stream file] [--source-fks db " MYCONN_USAGE "] [schema]\n");
}

static void help(void)
{
	usage(stdout);
	fputs("\nFinds child rows without a parent row, for every foreign key declared on one side:\n"
	      "MySQL/MariaDB (information_schema) or PostgreSQL (pg_constraint). Orphans are listed\n"
	      "on stdout, one per line; the exit status is 1 when there is any.\n"
	      "  --mysql               check a MySQL/MariaDB database (connection options as my-extract)\n"
	      "  --pg                  check a PostgreSQL schema (default public)\n"
	      "  -d, --dbname CONNINFO PostgreSQL database: a name, key=value pairs or a URI\n"
	      "  --table T             only foreign keys of child table T (repeatable)\n"
	      "  --stream FILE         also write the orphans to FILE as a row stream\n"
	      "  --source-fks DB       with --pg: check in PostgreSQL the foreign keys declared in\n"
	      "                        MySQL database DB too (before they exist in the target)\n"
	      "  --quarantine          move the orphans to <table>_orphans (same columns plus\n"
	      "                        constraint_name and moved_at), all in one transaction\n"
	      "  -q, --quiet           errors only;  -v, --verbose  one line per foreign key\n"
	      "See fk-check(1).\n",
	      stdout);
}

/* ---------------------------------------------------------------- shared */

void fk_out_flush(fkctx *x)
{
	size_t off = 0;
	while (!x->out_failed && off < x->out.len) {
		ssize_t w = write(STDOUT_FILENO, x->out.data + off, x->out.len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EPIPE)
				log_errno("stdout: write error");
			x->out_failed = true;
			break;
		}
		off += (size_t)w;
	}
	buf_reset(&x->out);
}

bool fk_table_selected(const fkctx *x, const char *table)
{
	if (x->ntables == 0)
		return true;
	for (size_t i = 0; i < x->ntables; i++)
		if (strcasecmp(x->tables[i], table) == 0)
			return true;
	return false;
}

void fk_free(fkey *k)
{
	free(k->name);
	free(k->child_schema);
	free(k->child_table);
	free(k->parent_schema);
	free(k->parent_table);
	for (size_t i = 0; i < k->ncols; i++) {
		free(k->cols[i]);
		free(k->refcols[i]);
	}
	free(k->cols);
	free(k->refcols);
	for (size_t i = 0; i < k->npk; i++)
		free(k->pk[i]);
	free(k->pk);
}

void fk_add(fkctx *x, fkey *fk)
{
	if (!fk_table_selected(x, fk->child_table)) {
		fk_free(fk);
		return;
	}
	x->fks = xrealloc(x->fks, (x->nfks + 1) * sizeof *x->fks);
	x->fks[x->nfks++] = *fk;
}

static void put_list(buf *b, char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(b, ", ");
		buf_puts(b, names[i]);
	}
}

/* key text of values, NULL shown as NULL */
static void put_values(buf *b, const char *const *v, const size_t *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		if (!v[i])
			buf_puts(b, "NULL");
		else
			keytext_format_field(b, v[i], l[i]);
	}
}

static bool stream_put(fkctx *x, const char *s, size_t n)
{
	return rs_writer_put(x->w, s, n);
}

static bool stream_put_buf(fkctx *x, buf *b)
{
	return rs_writer_put(x->w, b->len ? (const char *)b->data : "", b->len);
}

bool fk_report_orphan(fkctx *x, fkey *k, const char *const *pkv, const size_t *pkl, const char *const *fkv,
                      const size_t *fkl)
{
	k->orphans++;
	x->total_orphans++;
	/* constraint schema.table key: (cols)=(values) not in schema.parent(refcols) */
	buf *o = &x->out;
	buf_printf(o, "%s %s.%s ", k->name, k->child_schema, k->child_table);
	if (k->npk)
		put_values(o, pkv, pkl, k->npk);
	else
		buf_putc(o, '-');
	buf_puts(o, ": (");
	put_list(o, k->cols, k->ncols);
	buf_puts(o, ")=(");
	put_values(o, fkv, fkl, k->ncols);
	buf_printf(o, ") not in %s.%s(", k->parent_schema, k->parent_table);
	put_list(o, k->refcols, k->ncols);
	buf_puts(o, ")\n");
	if (o->len >= (1u << 16))
		fk_out_flush(x);
	if (!x->w)
		return true;
	buf t;
	buf_init(&t);
	bool ok = stream_put(x, k->name, strlen(k->name));
	buf_printf(&t, "%s.%s", k->child_schema, k->child_table);
	ok = ok && stream_put_buf(x, &t);
	if (ok && k->npk) {
		buf_reset(&t);
		put_values(&t, pkv, pkl, k->npk);
		ok = stream_put_buf(x, &t);
	} else if (ok) {
		ok = rs_writer_put_null(x->w);
	}
	buf_reset(&t);
	for (size_t i = 0; i < k->ncols; i++) {
		if (i)
			buf_putc(&t, ',');
		keytext_format_field(&t, k->cols[i], strlen(k->cols[i]));
	}
	ok = ok && stream_put_buf(x, &t);
	buf_reset(&t);
	put_values(&t, fkv, fkl, k->ncols);
	ok = ok && stream_put_buf(x, &t);
	buf_reset(&t);
	buf_printf(&t, "%s.%s", k->parent_schema, k->parent_table);
	ok = ok && stream_put_buf(x, &t);
	buf_reset(&t);
	for (size_t i = 0; i < k->ncols; i++) {
		if (i)
			buf_putc(&t, ',');
		keytext_format_field(&t, k->refcols[i], strlen(k->refcols[i]));
	}
	ok = ok && stream_put_buf(x, &t) && rs_writer_end_row(x->w);
	buf_free(&t);
	if (!ok)
		x->io_failed = true;
	return ok;
}

void fk_report_moved(fkctx *x, const fkey *k, uint64_t n, const char *orphans_table)
{
	buf_printf(&x->out, "moved %" PRIu64 " row%s of %s.%s to %s.%s (%s)\n", n, n == 1 ? "" : "s", k->child_schema,
	           k->child_table, k->child_schema, orphans_table, k->name);
}

static bool open_stream(fkctx *x, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_errno("%s", path);
		return false;
	}
	rs_header *h = rs_header_new(RS_DOMAIN_PG, x->scope, "fk_orphans");
	rs_header_add_meta(h, "source", x->pg ? "postgresql" : "mysql");
	rs_header_add_meta(h, "produced_by", "fk-check");
	static const char *const cols[] = {"constraint", "child_table", "child_key", "columns",
	                                   "missing",    "parent_table", "parent_columns"};
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		rs_header_add_column(h, cols[i], "text", PGOID_TEXT, i == 2 ? 0 : RS_COL_NOT_NULL, 0);
	rs_header_finish(h);
	x->w = rs_writer_new(fd, path, h, NULL);
	rs_header_free(h);
	return x->w != NULL;
}

/* one --table: a name as it is (commas included) */
static void add_tables(fkctx *x, const char *arg)
{
	x->tables = xrealloc(x->tables, (x->ntables + 1) * sizeof *x->tables);
	x->tables[x->ntables++] = xstrdup(arg);
}

int main(int argc, char **argv)
{
	log_init(argv[0]);
	enum { O_MYSQL = 256, O_PG, O_QUARANTINE, O_TABLE, O_STREAM, O_SOURCE_FKS, O_HELP };
	static const struct option lopts[] = {
		MYCONN_LONG_OPTIONS,
		{"mysql", no_argument, NULL, O_MYSQL},
		{"pg", no_argument, NULL, O_PG},
		{"dbname", required_argument, NULL, 'd'},
		{"quarantine", no_argument, NULL, O_QUARANTINE},
		{"table", required_argument, NULL, O_TABLE},
		{"stream", required_argument, NULL, O_STREAM},
		{"source-fks", required_argument, NULL, O_SOURCE_FKS},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, O_HELP},
		{NULL, 0, NULL, 0},
	};
	fkctx x;
	memset(&x, 0, sizeof x);
	buf_init(&x.out);
	myconn_opts mo;
	myconn_opts_init(&mo);
	bool mysql = false, pg = false, quarantine = false, my_opts = false;
	char *conninfo = NULL;
	const char *stream = NULL, *source_fks = NULL;
	int rc = EXIT_OK, c;
	while ((c = getopt_long(argc, argv, MYCONN_SHORT_OPTIONS "d:qv", lopts, NULL)) != -1) {
		int k = myconn_opts_parse(&mo, c, optarg);
		if (k < 0) {
			rc = EXIT_USAGE;
			goto out;
		}
		if (k > 0) {
			my_opts = true;
			continue;
		}
		switch (c) {
		case O_MYSQL: mysql = true; break;
		case O_PG: pg = true; break;
		case 'd': /* a copy; the password in argv is overwritten at once (ps, /proc/PID/cmdline) */
			free(conninfo);
			conninfo = pgconn_take_conninfo(optarg);
			break;
		case O_QUARANTINE: quarantine = true; break;
		case O_TABLE: add_tables(&x, optarg); break;
		case O_STREAM: stream = optarg; break;
		case O_SOURCE_FKS: source_fks = optarg; break;
		case 'q': log_verbosity = 0; break;
		case 'v': log_verbosity++; break;
		case O_HELP: help(); goto out;
		default: usage(stderr); rc = EXIT_USAGE; goto out;
		}
	}
	if (mysql == pg || argc - optind > 1 || (pg && my_opts && !source_fks) || (mysql && conninfo) ||
	    (mysql && source_fks)) {
		if (mysql == pg)
			log_error("say which side to check: --mysql or --pg");
		else if (mysql && source_fks)
			log_error("--source-fks goes with --pg");
		else if (pg && my_opts)
			log_error("MySQL connection options given with --pg (and no --source-fks)");
		else if (mysql && conninfo)
			log_error("-d is for --pg; MySQL takes -h, -P, -u, -S, -p, -D");
		usage(stderr);
		rc = EXIT_USAGE;
		goto out;
	}
	x.pg = pg;
	x.side = pg ? "target" : "source";
	int fail = pg ? EXIT_TARGET : EXIT_SOURCE;
	if (optind < argc && pg && argv[optind][0] == '"') {
		/* a quoted schema name matches exactly (pgcatalog.h) */
		char *dot = NULL;
		if (!pgconn_split_name(argv[optind], &dot, &x.scope, &(bool){false}, &x.scope_quoted) || dot) {
			if (dot)
				log_error("invalid schema name '%s'", argv[optind]);
			free(dot);
			rc = EXIT_USAGE;
			goto out;
		}
	} else if (optind < argc)
		x.scope = xstrdup(argv[optind]);
	else if (mysql && mo.database)
		x.scope = xstrdup(mo.database);
	else if (pg)
		x.scope = xstrdup("public");
	else {
		log_error("name the database to check (argument or -D)");
		usage(stderr);
		rc = EXIT_USAGE;
		goto out;
	}
	if (pg) {
		x.pgc = pgconn_connect(conninfo, x.side);
		if (!x.pgc) {
			rc = fail;
			goto out;
		}
	} else {
		x.my = myconn_connect(&mo);
		/* catalog text and values as UTF-8, for people */
		if (!x.my || !myconn_exec(x.my, "SET character_set_results = utf8mb4")) {
			rc = fail;
			goto out;
		}
	}
	if (!(pg ? fk_pg_list(&x) : fk_my_list(&x))) {
		rc = fail;
		goto out;
	}
	if (source_fks) {
		/* the foreign keys of the MySQL database, to be checked in the target */
		fkctx s;
		memset(&s, 0, sizeof s);
		s.side = "source";
		s.scope = xstrdup(source_fks);
		s.tables = x.tables;
		s.ntables = x.ntables;
		s.my = myconn_connect(&mo);
		bool ok = s.my && myconn_exec(s.my, "SET character_set_results = utf8mb4") && fk_my_list(&s);
		if (!ok)
			rc = EXIT_SOURCE;
		else if (!fk_pg_add_source(&x, s.fks, s.nfks, source_fks))
			rc = fail;
		if (s.my)
			myconn_close(s.my);
		for (size_t i = 0; i < s.nfks; i++)
			fk_free(&s.fks[i]);
		free(s.fks);
		free(s.scope);
		if (rc != EXIT_OK)
			goto out;
	}
	for (size_t i = 0; i < x.ntables; i++) {
		bool any = false;
		for (size_t j = 0; j < x.nfks && !any; j++)
			any = strcasecmp(x.fks[j].child_table, x.tables[i]) == 0;
		if (!any)
			log_warn("--table %s: no foreign key of %s has it as child table", x.tables[i], x.scope);
	}
	if (stream && !open_stream(&x, stream)) {
		rc = EXIT_IO;
		goto out;
	}
	for (size_t i = 0; i < x.nfks; i++) {
		fkey *k = &x.fks[i];
		if (!(pg ? fk_pg_orphans(&x, k) : fk_my_orphans(&x, k))) {
			rc = x.io_failed ? EXIT_IO : fail;
			goto out;
		}
		log_info("%s %s.%s -> %s.%s: %" PRIu64 " orphan%s%s", k->name, k->child_schema, k->child_table,
		         k->parent_schema, k->parent_table, k->orphans, k->orphans == 1 ? "" : "s",
		         k->from_source            ? " (declared in the source only)"
		         : pg && !k->validated ? " (constraint NOT VALID)"
		                               : "");
	}
	fk_out_flush(&x);
	uint64_t found = x.total_orphans;
	size_t with = 0;
	for (size_t i = 0; i < x.nfks; i++)
		with += x.fks[i].orphans > 0;
	if (log_verbosity >= 1)
		fprintf(stderr, "%s: %" PRIu64 " orphan%s in %zu of %zu foreign key%s of %s %s\n", log_progname, found,
		        found == 1 ? "" : "s", with, x.nfks, x.nfks == 1 ? "" : "s", pg ? "schema" : "database", x.scope);
	if (x.w) {
		if (!rs_writer_finish(x.w)) {
			rc = EXIT_IO;
			goto out;
		}
	}
	rc = found ? EXIT_FOUND : EXIT_OK;
	if (quarantine && found) {
		if (!(pg ? fk_pg_quarantine(&x) : fk_my_quarantine(&x))) {
			rc = fail;
			goto out;
		}
		/* when no orphan is left, the constraints can be added or validated */
		rc = EXIT_OK;
		for (size_t i = 0; i < x.nfks; i++) {
			bool any = false;
			if (!(pg ? fk_pg_any(&x, &x.fks[i], &any) : fk_my_any(&x, &x.fks[i], &any))) {
				rc = fail;
				goto out;
			}
			if (any) {
				log_warn("%s: %s.%s still has orphans after the quarantine", x.fks[i].name,
				         x.fks[i].child_schema, x.fks[i].child_table);
				rc = EXIT_FOUND;
			}
		}
	}
out:
	fk_out_flush(&x);
	if (x.out_failed && rc == EXIT_OK)
		rc = EXIT_IO;
	rs_writer_free(x.w);
	if (x.my)
		myconn_close(x.my);
	pgconn_close(x.pgc);
	myconn_opts_free(&mo);
	for (size_t i = 0; i < x.nfks; i++)
		fk_free(&x.fks[i]);
	free(x.fks);
	for (size_t i = 0; i < x.ntables; i++)
		free(x.tables[i]);
	free(x.tables);
	free(x.scope);
	buf_free(&x.out);
	free(conninfo);
	return rc;
}
