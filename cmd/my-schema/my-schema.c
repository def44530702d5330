/*
 * my-schema - a MySQL/MariaDB database's catalog as PostgreSQL DDL, in a
 * pre-data and a post-data section (man/man1/my-schema.1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "exitcodes.h"
#include "log.h"
#include "myconn.h"
#include "pgname.h"
#include "schema.h"

static void usage(FILE *f)
{
	/* my-schema(1)'s SYNOPSIS (tests/bats/usage.bats keeps them equal) */
	static const char *const forms[] = {
	    "my-schema " MYCONN_SYNOPSIS " [-q | -v] [--section pre-data | post-data | all] [--schema name] "
	    "[--include pattern]... [--exclude pattern]... [--identifiers lower | preserve] [--rules file] "
	    "[--cast [table.]column=type]... [--report[=file]] [--strict] [--postgis] database",
	    "my-schema [--schema name] [--identifiers lower | preserve] --print-schema database",
	    NULL,
	};
	cli_usage(f, forms);
}

static void help(void)
{
	usage(stdout);
	fputs("\nWrites the PostgreSQL DDL of a MySQL/MariaDB database on stdout, by the type map\n"
	      "row-convert uses: pre-data (schema, types, tables) and post-data (indexes, keys).\n"
	      "  -h, -P, -u, -S, -p, -D, --defaults-file, ...  connection, as for my-extract\n"
	      "  --section S           pre-data, post-data or all (default)\n"
	      "  --schema NAME         the PostgreSQL schema (default: the database's name)\n"
	      "  --include PATTERN     only tables and views matching (repeatable)\n"
	      "  --exclude PATTERN     none matching (repeatable)\n"
	      "  --identifiers P       lower (default) or preserve\n"
	      "  --rules FILE          casts, enums, time zone, as for row-convert\n"
	      "  --cast [T.]COL=TYPE   a cast; overrides the rules (repeatable)\n"
	      "  --report[=FILE]       the report of what did not convert exactly, in one piece\n"
	      "  --strict              exit 1 when anything was not converted\n"
	      "  --postgis             geometry columns and SPATIAL indexes for PostGIS\n"
	      "  --print-schema        print the schema name the database gets, and exit\n"
	      "  -q, --quiet           errors only;  -v, --verbose  more\n"
	      "See my-schema(1).\n",
	      stdout);
}

enum {
	OPT_SECTION = 0x100,
	OPT_SCHEMA,
	OPT_INCLUDE,
	OPT_EXCLUDE,
	OPT_IDENTIFIERS,
	OPT_RULES,
	OPT_CAST,
	OPT_REPORT,
	OPT_STRICT,
	OPT_POSTGIS,
	OPT_PRINT_SCHEMA,
};

static bool write_all(FILE *f, const char *name, const buf *b)
{
	if ((b->len && fwrite(b->data, 1, b->len, f) != b->len) || fflush(f) != 0) {
		if (errno != EPIPE)
			log_errno("%s: write error", name);
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	cli_init(argv[0]);
	static const struct option longopts[] = {
		MYCONN_LONG_OPTIONS,
		CLI_LONG_COMMON,
		{"section", required_argument, NULL, OPT_SECTION},
		{"schema", required_argument, NULL, OPT_SCHEMA},
		{"include", required_argument, NULL, OPT_INCLUDE},
		{"exclude", required_argument, NULL, OPT_EXCLUDE},
		{"identifiers", required_argument, NULL, OPT_IDENTIFIERS},
		{"rules", required_argument, NULL, OPT_RULES},
		{"cast", required_argument, NULL, OPT_CAST},
		{"report", optional_argument, NULL, OPT_REPORT},
		{"strict", no_argument, NULL, OPT_STRICT},
		{"postgis", no_argument, NULL, OPT_POSTGIS},
		{"print-schema", no_argument, NULL, OPT_PRINT_SCHEMA},
		{NULL, 0, NULL, 0},
	};
	myconn_opts co;
	myconn_opts_init(&co);
	sc_opts so;
	memset(&so, 0, sizeof so);
	so.policy = IDENT_LOWER;
	typemap_overrides_init(&so.ov);
	bool pre = true, post = true, strict = false, want_report = false, print_schema = false;
	char *report_file = NULL;
	int rc = EXIT_OK;
	MYSQL *m = NULL;
	report rep;
	report_init(&rep);
	sc_db d;
	memset(&d, 0, sizeof d);
	buf out;
	buf_init(&out);

	int opt;
	cli_settings cs;
	cli_settings_init(&cs);
	cs.more = myconn_opts_more;
	cs.more_ctx = &co;
	while ((opt = cli_getopt(argc, argv, CLI_SHORT_COMMON MYCONN_SHORT_OPTIONS, longopts, &cs)) != -1) {
		switch (opt) {
		case CLI_HELP: help(); goto out;
		case CLI_BAD: rc = EXIT_USAGE; goto out;
		case OPT_SECTION:
			if (strcmp(optarg, "pre-data") == 0) {
				pre = true;
				post = false;
			} else if (strcmp(optarg, "post-data") == 0) {
				pre = false;
				post = true;
			} else if (strcmp(optarg, "all") == 0) {
				pre = post = true;
			} else {
				log_error("invalid --section '%s': expected pre-data, post-data or all", optarg);
				rc = EXIT_USAGE;
				goto out;
			}
			break;
		case OPT_SCHEMA:
			if (!*optarg) {
				log_error("--schema: empty name");
				rc = EXIT_USAGE;
				goto out;
			}
			if (pgname_schema_reserved(optarg)) {
				log_error("--schema %s: %s", optarg,
				          pgname_equal(optarg, PGNAME_STATE_SCHEMA)
				                  ? "the tools keep their own state in that schema (see pg-load(1), STATE)"
				                  : "PostgreSQL reserves schema names starting with pg_");
				rc = EXIT_USAGE;
				goto out;
			}
			so.schema = optarg;
			break;
		case OPT_INCLUDE: mem_strv_push(&so.include, &so.ninclude, optarg); break;
		case OPT_EXCLUDE: mem_strv_push(&so.exclude, &so.nexclude, optarg); break;
		case OPT_IDENTIFIERS:
			if (strcmp(optarg, "lower") == 0)
				so.policy = IDENT_LOWER;
			else if (strcmp(optarg, "preserve") == 0)
				so.policy = IDENT_PRESERVE;
			else {
				log_error("invalid --identifiers '%s': expected lower or preserve", optarg);
				rc = EXIT_USAGE;
				goto out;
			}
			break;
		case OPT_RULES:
			if (!typemap_rules_load(&so.ov, optarg)) {
				rc = EXIT_USAGE;
				goto out;
			}
			break;
		case OPT_CAST:
			if (!typemap_overrides_add_cast_spec(&so.ov, optarg)) {
				rc = EXIT_USAGE;
				goto out;
			}
			break;
		case OPT_REPORT:
			want_report = true;
			free(report_file);
			report_file = optarg && *optarg && strcmp(optarg, "-") != 0 ? mem_strdup(optarg) : NULL;
			break;
		case OPT_STRICT: strict = true; break;
		case OPT_POSTGIS: so.postgis = true; break;
		case OPT_PRINT_SCHEMA: print_schema = true; break;
		default:
			usage(stderr);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (optind < argc) {
		free(co.database);
		co.database = mem_strdup(argv[optind++]);
	}
	if (optind < argc || !co.database || !*co.database) {
		if (optind < argc)
			log_error("unexpected argument '%s'", argv[optind]);
		else
			log_error("no database given");
		usage(stderr);
		rc = EXIT_USAGE;
		goto out;
	}

	if (print_schema) {
		/* the schema name alone, by the rules of names.c: no connection needed */
		d.db = mem_strdup(co.database);
		d.opts = &so;
		d.rep = &rep;
		names_schema(&d);
		if (printf("%s\n", d.schema) < 0 || fflush(stdout) != 0) {
			log_errno("stdout: write error");
			rc = EXIT_IO;
		}
		goto out;
	}
	m = myconn_connect(&co);
	if (!m) {
		rc = EXIT_SOURCE;
		goto out;
	}
	d.m = m;
	d.db = mem_strdup(co.database);
	d.opts = &so;
	d.rep = &rep;
	names_init(&d.rel);
	names_init(&d.funcs);
	if (!catalog_read(&d)) {
		rc = EXIT_SOURCE;
		goto out;
	}
	ddl_decide(&d);
	if (pre)
		emit_pre_data(&d, &out);
	if (post)
		emit_post_data(&d, &out);
	if (!write_all(stdout, "stdout", &out)) {
		rc = EXIT_IO;
		goto out;
	}
	if (want_report) {
		/* "-" or no FILE: stderr (report_file NULL), as stdout carries the DDL */
		FILE *f = stderr;
		if (report_file) {
			const char *name;
			int fd = cli_open_write(report_file, &name);
			if (fd < 0 || !(f = fdopen(fd, "w"))) {
				if (fd >= 0) {
					log_errno("%s", report_file);
					close(fd);
				}
				rc = EXIT_IO;
				goto out;
			}
		}
		bool ok = report_write(&rep, f, report_file ? report_file : "stderr", d.db, d.schema);
		if (report_file && fclose(f) != 0 && ok) {
			log_errno("%s: unable to write the report", report_file);
			ok = false;
		}
		if (!ok) {
			rc = EXIT_IO;
			goto out;
		}
		if (report_file && (rep.not_converted || rep.approximate))
			log_warn("%zu objects not converted, %zu converted approximately (see %s)", rep.not_converted,
			         rep.approximate, report_file);
	} else {
		report_log(&rep);
	}
	if (d.failed) {
		log_error("some tables could not be converted (see above)");
		rc = EXIT_FOUND;
	} else if (strict && rep.not_converted) {
		rc = EXIT_FOUND;
	}
out:
	if (d.db)
		catalog_free(&d);
	if (m)
		myconn_close(m);
	buf_free(&out);
	report_free(&rep);
	mem_strv_free(so.include, so.ninclude);
	mem_strv_free(so.exclude, so.nexclude);
	typemap_overrides_free(&so.ov);
	free(report_file);
	myconn_opts_free(&co);
	if (fclose(stdout) != 0 && rc == EXIT_OK) {
		log_errno("stdout: write error");
		rc = EXIT_IO;
	}
	return rc;
}
