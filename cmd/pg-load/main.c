/*
 * pg-load - load a PostgreSQL-domain row stream into a table, exactly once, resumably.
 *
 * See man/man1/pg-load.1. Modules: target.c (the table, checkpoints table),
 * spool.c (the batch kept for replays), load.c (batches).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exitcodes.h"
#include "cli.h"
#include "log.h"
#include "pg-load.h"
#include "pgcatalog.h"
#include "pgconn.h"
#include "pgname.h"

static void usage(FILE *f)
{
	/* pg-load(1)'s SYNOPSIS (tests/bats/usage.bats keeps them equal) */
	static const char *const forms[] = {
	    "pg-load [-d conninfo] [-q | -v] [--create] [--truncate] [--batch-rows n] [--batch-bytes n] "
	    "[--rejects file] [--max-rejects n] [--retries n] [--chunk name] [--progress] [--no-checkpoint] "
	    "[[schema.]table] < stream",
	    "pg-load [-d conninfo] [--chunk name] --checkpoint [schema.]table",
	    "pg-load [-d conninfo] [--chunk name] --reset-checkpoint [schema.]table",
	    "pg-load [-d conninfo] --describe [schema.]table",
	    NULL,
	};
	cli_usage(f, forms);
}

static void help(void)
{
	usage(stdout);
	fputs("\nLoads a row stream (domain postgresql) from stdin into a PostgreSQL table by binary\n"
	      "COPY, in batches each committed with its checkpoint; resumes after a crash.\n"
	      "  -d, --dbname CONNINFO  database: a name, key=value pairs or a postgresql:// URI\n"
	      "  --create               create the table from the stream's header when missing\n"
	      "  --truncate             empty the table in the first batch's transaction\n"
	      "  --batch-rows N         rows per batch (a plain number)\n"
	      "  --batch-bytes N        bytes per batch (K, M or G suffix allowed)\n"
	      "  --rejects FILE         rejected rows go to FILE (a row stream)\n"
	      "  --max-rejects N        stop when more than N rows were rejected (default 0)\n"
	      "  --retries N            reconnection attempts, 0 to 1000 (default 8)\n"
	      "  --chunk NAME           one checkpoint per NAME within the table (parallel loads)\n"
	      "  --progress             progress on stderr;  --no-checkpoint  no checkpoints\n"
	      "  --checkpoint           print the last committed key of TABLE\n"
	      "  --reset-checkpoint     delete the checkpoint of TABLE\n"
	      "  --describe             print the row-convert rules that fit TABLE\n"
	      "  -q, --quiet            errors only;  -v, --verbose  more (twice: each commit)\n"
	      "See pg-load(1).\n",
	      stdout);
}

enum {
	OPT_CREATE = 256,
	OPT_TRUNCATE,
	OPT_BATCH_ROWS,
	OPT_BATCH_BYTES,
	OPT_PROGRESS,
	OPT_NO_CHECKPOINT,
	OPT_CHECKPOINT,
	OPT_DESCRIBE,
	OPT_RESET_CHECKPOINT,
	OPT_RETRIES,
	OPT_CHUNK,
};

enum mode { MODE_LOAD, MODE_CHECKPOINT, MODE_RESET, MODE_DESCRIBE };

static int run_mode(enum mode mode, const options *o)
{
	PGconn *c = target_connect(o);
	if (!c)
		return EXIT_TARGET;
	int rc = EXIT_OK;
	target t = {0};
	bool found = false;
	char *schema = NULL, *table = NULL;
	bool qs = false, qt = false;
	if (!pgconn_split_name(o->table, &schema, &table, &qs, &qt)) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (!target_session(c) || !target_find(c, schema, table, qs, qt, &t, &found)) {
		rc = EXIT_TARGET;
		goto out;
	}
	if (!found) {
		if (mode == MODE_CHECKPOINT)
			goto out; /* no table, no checkpoint: nothing to print */
		pgcatalog_log_missing(SIDE, schema, qs, table, qt, NULL);
		rc = EXIT_TARGET;
		goto out;
	}
	if (mode == MODE_DESCRIBE) {
		if (!target_describe(c, &t))
			rc = EXIT_TARGET;
	} else if (mode == MODE_CHECKPOINT) {
		checkpoint cp;
		if (!checkpoint_read(c, &t, o->chunk, &cp)) {
			rc = EXIT_TARGET;
			goto out;
		}
		if (cp.exists && !cp.valid)
			log_warn("the checkpoint of %s was written for a table that has since been dropped: ignored", t.qname);
		if (cp.exists && cp.valid) {
			log_info("%s: %" PRIu64 " rows loaded, %" PRIu64 " rejected, %s, updated %s", t.qname, cp.rows,
			         cp.rejected, cp.complete ? "complete" : "incomplete", cp.updated_at);
			if (cp.has_key && (printf("%s\n", cp.last_key) < 0 || fflush(stdout) != 0)) {
				log_errno("stdout: write failed");
				rc = EXIT_IO;
			}
		}
		checkpoint_free(&cp);
	} else {
		bool got;
		if (!checkpoint_lock(c, &t, o->chunk, &got)) {
			rc = EXIT_TARGET;
		} else if (!got) {
			log_error("[%s] %s is being loaded by another pg-load: not resetting its checkpoint", SIDE, t.qname);
			rc = EXIT_TARGET;
		} else if (!checkpoint_delete(c, &t, o->chunk)) {
			rc = EXIT_TARGET;
		} else {
			log_info("checkpoint of %s deleted", t.qname);
		}
	}
out:
	free(schema);
	free(table);
	target_free(&t);
	pgconn_close(c);
	return rc;
}

static int run_load(const options *o)
{
	if (isatty(STDIN_FILENO)) {
		log_error("stdin is a terminal: pipe a row stream in (row-convert ... | pg-load TABLE)");
		return EXIT_USAGE;
	}
	double t0 = cli_now();
	rs_reader *r = rs_reader_new(STDIN_FILENO, "stdin");
	if (!r)
		return EXIT_STREAM;
	const rs_header *h = rs_reader_header(r);
	int rc = EXIT_OK;
	PGconn *c = NULL;
	target t = {0};
	checkpoint cp = {0};
	col_plan *plan = NULL;
	rejects *rj = NULL;
	char *schema = NULL, *table = NULL;
	load_stats st = {0};
	pl_status s = PL_OK;
	if (h->domain != RS_DOMAIN_PG) {
		log_error("stdin: a MySQL-domain stream (values as the MySQL server sent them): convert it first, "
		          "my-extract ... | row-convert | pg-load");
		rc = EXIT_USAGE;
		goto out;
	}
	if (!(c = target_connect(o)) || !target_session(c)) {
		rc = EXIT_TARGET;
		goto out;
	}
	bool found = false, qs = false, qt = false;
	if (o->table) {
		if (!pgconn_split_name(o->table, &schema, &table, &qs, &qt)) {
			rc = EXIT_USAGE;
			goto out;
		}
	} else {
		if (!*h->table) {
			log_error("the stream names no table: give the target TABLE");
			rc = EXIT_USAGE;
			goto out;
		}
		/* the stream's database, renamed as my-schema renames it (pgname.h) */
		schema = *h->schema ? pgname_schema(h->schema) : NULL;
		table = mem_strdup(h->table);
	}
	if (!target_find(c, schema, table, qs, qt, &t, &found)) {
		rc = EXIT_TARGET;
		goto out;
	}
	if (!found) {
		if (!o->create) {
			pgcatalog_log_missing(SIDE, schema, qs, table, qt, "(--create makes it from the stream's header)");
			rc = EXIT_TARGET;
			goto out;
		}
		if (!target_create(c, schema, table, h) || !target_find(c, schema, table, true, true, &t, &found) ||
		    !found) {
			if (!found)
				pgcatalog_log_missing(SIDE, schema, true, table, true, "after creating it");
			rc = EXIT_TARGET;
			goto out;
		}
		log_info("created table %s", t.qname);
	}
	plan = mem_calloc(h->ncols ? h->ncols : 1, sizeof *plan);
	if (!target_plan(c, &t, h, plan)) {
		rc = EXIT_TARGET;
		goto out;
	}
	/* the backend of a pg-load that was just killed may hold the lock a moment longer */
	bool got = false;
	for (int i = 0; i < 25 && !got; i++) {
		if (!checkpoint_lock(c, &t, o->chunk, &got)) {
			rc = EXIT_TARGET;
			goto out;
		}
		if (!got) {
			struct timespec ts = {0, 200 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	if (!got) {
		log_error("[%s] %s%s%s is being loaded by another pg-load", SIDE, t.qname, *o->chunk ? " chunk " : "",
		          o->chunk);
		rc = EXIT_TARGET;
		goto out;
	}
	if (!o->no_checkpoint && (!checkpoint_ensure_table(c) || !checkpoint_read(c, &t, o->chunk, &cp))) {
		rc = EXIT_TARGET;
		goto out;
	}
	if (h->nkey == 0)
		log_info("%s: the stream has no key: loading it in one transaction", t.qname);
	if (!(rj = rejects_open(o->rejects_path, "pg-load", h))) {
		rc = EXIT_IO;
		goto out;
	}
	s = load_run(&c, o, &t, r, plan, &cp, rj, &st);
	switch (s) {
	case PL_OK:
		rc = st.rejected ? EXIT_FOUND : EXIT_OK;
		break;
	case PL_LIMIT:
		rc = EXIT_LIMIT;
		break;
	case PL_STREAM:
		rc = EXIT_STREAM;
		break;
	case PL_IO:
		rc = EXIT_IO;
		break;
	case PL_USAGE:
		rc = EXIT_USAGE;
		break;
	default:
		rc = EXIT_TARGET;
		break;
	}
	if (s != PL_USAGE) { /* the summary: a notice, silenced by -q */
		double el = cli_now() - t0;
		buf line;
		buf_init(&line);
		buf_printf(&line, "%s: %" PRIu64 " rows loaded in %" PRIu64 " batch%s", t.qname, st.rows, st.batches,
		           st.batches == 1 ? "" : "es");
		if (st.rejected)
			buf_printf(&line, ", %" PRIu64 " rejected%s%s", st.rejected, o->rejects_path ? " to " : "",
			           o->rejects_path ? o->rejects_path : "");
		if (st.reconnects)
			buf_printf(&line, ", %" PRIu64 " reconnection%s", st.reconnects, st.reconnects == 1 ? "" : "s");
		double mb = (double)rs_reader_offset(r) / 1e6;
		buf_printf(&line, ", %.1f MB read in %.1f s (%.0f rows/s, %.1f MB/s)%s", mb, el,
		           el > 0 ? (double)st.rows / el : 0.0, el > 0 ? mb / el : 0.0,
		           s == PL_OK ? "" : "; stopped by the error above");
		log_notice("%.*s", (int)line.len, line.data);
		buf_free(&line);
	}
out:
	if (rj && !rejects_close(rj) && rc == EXIT_OK)
		rc = EXIT_IO;
	free(plan);
	free(schema);
	free(table);
	checkpoint_free(&cp);
	target_free(&t);
	pgconn_close(c);
	rs_reader_free(r);
	return rc;
}

int main(int argc, char **argv)
{
	cli_init(argv[0]);
	options o = {
		.chunk = "",
		/* batches by size: every COPY takes a fresh ring of shared buffers, which the backend
		 * touches (page faults) the first time; see pg-load(1) */
		.batch_rows = UINT64_MAX,
		.batch_bytes = 256u << 20,
		.max_rejects = 0,
		.retries = 8,
	};
	enum mode mode = MODE_LOAD;
	int nmodes = 0;
	cli_settings cs;
	cli_settings_init(&cs);
	static const struct option longopts[] = {
		CLI_LONG_COMMON,
		CLI_LONG_DBNAME,
		CLI_LONG_REJECTS,
		{"create", no_argument, NULL, OPT_CREATE},
		{"truncate", no_argument, NULL, OPT_TRUNCATE},
		{"batch-rows", required_argument, NULL, OPT_BATCH_ROWS},
		{"batch-bytes", required_argument, NULL, OPT_BATCH_BYTES},
		{"progress", no_argument, NULL, OPT_PROGRESS},
		{"no-checkpoint", no_argument, NULL, OPT_NO_CHECKPOINT},
		{"checkpoint", no_argument, NULL, OPT_CHECKPOINT},
		{"reset-checkpoint", no_argument, NULL, OPT_RESET_CHECKPOINT},
		{"describe", no_argument, NULL, OPT_DESCRIBE},
		{"retries", required_argument, NULL, OPT_RETRIES},
		{"chunk", required_argument, NULL, OPT_CHUNK},
		{NULL, 0, NULL, 0},
	};
	int opt, rc = EXIT_USAGE;
	unsigned long long n;
	while ((opt = cli_getopt(argc, argv, CLI_SHORT_COMMON CLI_SHORT_HELP CLI_SHORT_DBNAME, longopts, &cs)) != -1) {
		switch (opt) {
		case CLI_HELP:
			help();
			rc = EXIT_OK;
			goto out;
		case CLI_BAD:
			goto out;
		case OPT_CREATE:
			o.create = true;
			break;
		case OPT_TRUNCATE:
			o.truncate = true;
			break;
		case OPT_BATCH_ROWS:
			if (!cli_parse_number("--batch-rows", optarg, 1, UINT64_MAX, &n))
				goto out;
			o.batch_rows = n;
			break;
		case OPT_BATCH_BYTES:
			if (!cli_parse_size("--batch-bytes", optarg, 1, UINT64_MAX, &n))
				goto out;
			o.batch_bytes = n;
			break;
		case OPT_PROGRESS:
			o.progress = true;
			break;
		case OPT_NO_CHECKPOINT:
			o.no_checkpoint = true;
			break;
		case OPT_CHECKPOINT:
			mode = MODE_CHECKPOINT;
			nmodes++;
			break;
		case OPT_RESET_CHECKPOINT:
			mode = MODE_RESET;
			nmodes++;
			break;
		case OPT_DESCRIBE:
			mode = MODE_DESCRIBE;
			nmodes++;
			break;
		case OPT_RETRIES:
			if (!cli_parse_number("--retries", optarg, 0, 1000, &n))
				goto out;
			o.retries = (unsigned)n;
			break;
		case OPT_CHUNK:
			o.chunk = optarg;
			break;
		default:
			usage(stderr);
			goto out;
		}
	}
	o.conninfo = cs.conninfo;
	o.rejects_path = cs.rejects;
	if (cs.max_rejects >= 0)
		o.max_rejects = (uint64_t)cs.max_rejects;
	if (optind < argc)
		o.table = argv[optind++];
	if (optind < argc) {
		log_error("unexpected argument '%s'", argv[optind]);
		usage(stderr);
		goto out;
	}
	if (nmodes > 1) {
		log_error("--checkpoint, --reset-checkpoint and --describe exclude each other");
		goto out;
	}
	if (mode != MODE_LOAD && !o.table) {
		log_error("%s needs a TABLE", mode == MODE_DESCRIBE ? "--describe" : mode == MODE_CHECKPOINT ? "--checkpoint" : "--reset-checkpoint");
		goto out;
	}
	if (mode != MODE_LOAD && (o.create || o.truncate || o.rejects_path || o.no_checkpoint)) {
		log_error("--create, --truncate, --rejects and --no-checkpoint are options of a load");
		goto out;
	}
	if (o.max_rejects > 0 && !o.rejects_path) {
		log_error("--max-rejects %" PRIu64 " needs --rejects FILE to keep the rejected rows", o.max_rejects);
		goto out;
	}
	if (*o.chunk && (o.truncate || o.no_checkpoint)) {
		log_error("--chunk names a checkpoint: it excludes --truncate and --no-checkpoint");
		goto out;
	}
	if (mode != MODE_LOAD) {
		rc = run_mode(mode, &o);
	} else {
		if (isatty(STDERR_FILENO) && log_verbosity >= 1)
			o.progress = true;
		if (log_verbosity == 0)
			o.progress = false;
		rc = run_load(&o);
	}
out:
	cli_settings_free(&cs);
	return rc;
}
