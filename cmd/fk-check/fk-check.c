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

#include "cli.h"
#include "exitcodes.h"
#include "fk.h"
#include "fk_pg.h"
#include "keytext.h"
#include "log.h"
#include "pgconn.h"
#include "pgoid.h"

static void usage(FILE *f)
{
	static const char *const forms[] = {
	    "fk-check --mysql " MYCONN_SYNOPSIS " [-q | -v] [--quarantine] [--table table]... [--stream file] [db]",
	    "fk-check --pg [-d conninfo] [-q | -v] [--quarantine] [--table table]... [--stream file] "
	    "[--source-fks db [mysql-options]] [schema]",
	    "fk-check --help",
	    NULL,
	};
	cli_usage(f, forms);
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
	      "                        MySQL database DB too (before they exist in the target);\n"
	      "                        the MySQL connection options (mysql-options) as with --mysql\n"
	      "  --quarantine          move the orphans to <table>_orphans (same columns plus\n"
	      "                        constraint_name and moved_at), all in one transaction\n"
	      "  -q, --quiet           errors only;  -v, --verbose  one line per foreign key\n"
	      "See fk-check(1).\n",
	      stdout);
}

/* a MySQL session whose catalog text and values come as UTF-8, for people; NULL (logged) on error */
static MYSQL *connect_my(myconn_opts *mo)
{
	MYSQL *m = myconn_connect(mo);
	if (m && !myconn_exec(m, "SET character_set_results = utf8mb4")) {
		myconn_close(m);
		return NULL;
	}
	return m;
}

int main(int argc, char **argv)
{
	cli_init(argv[0]);
	enum { O_MYSQL = 256, O_PG, O_QUARANTINE, O_TABLE, O_STREAM, O_SOURCE_FKS };
	static const struct option lopts[] = {
		MYCONN_LONG_OPTIONS,
		{"mysql", no_argument, NULL, O_MYSQL},
		{"pg", no_argument, NULL, O_PG},
		CLI_LONG_DBNAME,
		{"quarantine", no_argument, NULL, O_QUARANTINE},
		{"table", required_argument, NULL, O_TABLE},
		{"stream", required_argument, NULL, O_STREAM},
		{"source-fks", required_argument, NULL, O_SOURCE_FKS},
		CLI_LONG_COMMON,
		{NULL, 0, NULL, 0},
	};
	fkctx x;
	memset(&x, 0, sizeof x);
	outbuf_init(&x.out, STDOUT_FILENO);
	x.stream_fd = -1;
	myconn_opts mo;
	myconn_opts_init(&mo);
	bool mysql = false, pg = false, quarantine = false;
	cli_settings cs;
	cli_settings_init(&cs);
	const char *stream = NULL, *source_fks = NULL;
	int rc = EXIT_OK, c;
	cs.more = myconn_opts_more;
	cs.more_ctx = &mo;
	while ((c = cli_getopt(argc, argv, CLI_SHORT_COMMON CLI_SHORT_DBNAME MYCONN_SHORT_OPTIONS, lopts, &cs)) != -1) {
		switch (c) {
		case CLI_HELP: help(); goto out;
		case CLI_BAD: rc = EXIT_USAGE; goto out;
		case O_MYSQL: mysql = true; break;
		case O_PG: pg = true; break;
		case O_QUARANTINE: quarantine = true; break;
		case O_TABLE: mem_strv_push(&x.tables, &x.ntables, optarg); break; /* a name as it is, commas included */
		case O_STREAM: stream = optarg; break;
		case O_SOURCE_FKS: source_fks = optarg; break;
		default: usage(stderr); rc = EXIT_USAGE; goto out;
		}
	}
	if (mysql == pg || argc - optind > 1 || (pg && mo.given && !source_fks) || (mysql && cs.conninfo) ||
	    (mysql && source_fks)) {
		if (mysql == pg)
			log_error("say which side to check: --mysql or --pg");
		else if (mysql && source_fks)
			log_error("--source-fks goes with --pg");
		else if (pg && mo.given)
			log_error("MySQL connection options given with --pg (and no --source-fks)");
		else if (mysql && cs.conninfo)
			log_error("-d is for --pg; MySQL takes -h, -P, -u, -S, -p, -D");
		usage(stderr);
		rc = EXIT_USAGE;
		goto out;
	}
	x.pg = pg;
	x.side = pg ? "target" : "source";
	int fail = pg ? EXIT_TARGET : EXIT_SOURCE;
	const fk_side *ops = pg ? &fk_pg_side : &fk_my_side;
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
		x.scope = mem_strdup(argv[optind]);
	else if (mysql && mo.database)
		x.scope = mem_strdup(mo.database);
	else if (pg)
		x.scope = mem_strdup("public");
	else {
		log_error("name the database to check (argument or -D)");
		usage(stderr);
		rc = EXIT_USAGE;
		goto out;
	}
	if (pg) {
		x.pgc = pgconn_connect(cs.conninfo, x.side);
		if (!x.pgc) {
			rc = fail;
			goto out;
		}
	} else {
		x.my = connect_my(&mo);
		if (!x.my) {
			rc = fail;
			goto out;
		}
	}
	if (!ops->list(&x)) {
		rc = fail;
		goto out;
	}
	if (source_fks) {
		/* the foreign keys of the MySQL database, to be checked in the target */
		fkctx s;
		memset(&s, 0, sizeof s);
		s.side = "source";
		s.scope = mem_strdup(source_fks);
		s.tables = x.tables;
		s.ntables = x.ntables;
		s.my = connect_my(&mo);
		bool ok = s.my && fk_my_side.list(&s);
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
	if (stream && !fk_stream_open(&x, stream)) {
		rc = EXIT_IO;
		goto out;
	}
	for (size_t i = 0; i < x.nfks; i++) {
		fkey *k = &x.fks[i];
		if (!ops->orphans(&x, k)) {
			rc = x.io_failed ? EXIT_IO : fail;
			goto out;
		}
		log_info("%s %s.%s -> %s.%s: %" PRIu64 " orphan%s%s", k->name, k->child_schema, k->child_table,
		         k->parent_schema, k->parent_table, k->orphans, k->orphans == 1 ? "" : "s",
		         k->from_source            ? " (declared in the source only)"
		         : pg && !k->validated ? " (constraint NOT VALID)"
		                               : "");
	}
	outbuf_flush(&x.out);
	uint64_t found = x.total_orphans;
	size_t with = 0;
	for (size_t i = 0; i < x.nfks; i++)
		with += x.fks[i].orphans > 0;
	log_notice("%" PRIu64 " orphan%s in %zu of %zu foreign key%s of %s %s", found, found == 1 ? "" : "s", with,
	           x.nfks, x.nfks == 1 ? "" : "s", pg ? "schema" : "database", x.scope);
	if (!fk_stream_close(&x, true)) {
		rc = EXIT_IO;
		goto out;
	}
	rc = found ? EXIT_FOUND : EXIT_OK;
	if (quarantine && found) {
		if (!ops->quarantine(&x)) {
			rc = fail;
			goto out;
		}
		/* when no orphan is left, the constraints can be added or validated */
		rc = EXIT_OK;
		for (size_t i = 0; i < x.nfks; i++) {
			bool any = false;
			if (!ops->any(&x, &x.fks[i], &any)) {
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
	/* a list that could not be written is an I/O error, orphans or not */
	if (!outbuf_close(&x.out) && (rc == EXIT_OK || rc == EXIT_FOUND))
		rc = EXIT_IO;
	if (!fk_stream_close(&x, false) && (rc == EXIT_OK || rc == EXIT_FOUND))
		rc = EXIT_IO;
	if (x.my)
		myconn_close(x.my);
	pgconn_close(x.pgc);
	myconn_opts_free(&mo);
	for (size_t i = 0; i < x.nfks; i++)
		fk_free(&x.fks[i]);
	free(x.fks);
	mem_strv_free(x.tables, x.ntables);
	free(x.scope);
	cli_settings_free(&cs);
	return rc;
}
