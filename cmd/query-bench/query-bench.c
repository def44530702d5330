/*
 * query-bench - the same queries, timed on MySQL/MariaDB and on PostgreSQL by
 * one timer, their results compared. The measuring half of query-report(1).
 *
 * For each query NAME of a directory there are two files, NAME.mysql.sql and
 * NAME.pg.sql, one statement each, written to give the same rows as text. A
 * query is run on one connection per side, kept open for the whole run:
 *
 *   warm-up    W runs per side, not timed
 *   measured   N runs per side, interleaved (MySQL then PostgreSQL, then the
 *              other way round) so that load on the machine falls on both;
 *              the time of a run is CLOCK_MONOTONIC around sending the query
 *              and receiving all its rows (mysql_real_query + mysql_store_result,
 *              PQexec): what an application waits for
 *   results    every run's rows are digested as row-checksum(1) digests a
 *              stream (common/rowdigest.h, unordered: the two servers' collations
 *              order text differently), each value being the text the server
 *              sent; a side whose digest changes between runs is reported
 *   plans      EXPLAIN of the MySQL query (the indexes in its key column) and
 *              EXPLAIN (ANALYZE, FORMAT JSON) of the PostgreSQL one
 *
 * One JSON object per query goes to stdout, one line each (see query-bench(1)).
 * The PostgreSQL session gets search_path = the schema and TimeZone = --timezone,
 * so that timestamptz literals and to_char() mean what the MySQL DATETIMEs do.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <mysql.h>

#include "buf.h"
#include "cli.h"
#include "exitcodes.h"
#include "log.h"
#include "myconn.h"
#include "pgconn.h"
#include "rowdigest.h"

#define SIDE_MY "source"
#define SIDE_PG "target"
#define MAX_NAME 64

typedef enum qb_status { QB_OK, QB_USAGE, QB_SOURCE, QB_TARGET, QB_IO } qb_status;

typedef struct bench {
	myconn_opts myopts;
	char *conninfo;
	const char *schema;
	const char *timezone;
	const char *dir;
	const char *dump_dir;
	unsigned long long iterations, warmup;
	MYSQL *my;
	PGconn *pg;
	buf scratch;
} bench;

/* what one side of one query gave */
typedef struct side_result {
	double *ms; /* iterations */
	char digest[ROWDIGEST_HEX];
	unsigned long long rows;
	bool stable; /* every run gave the same digest */
} side_result;

static void usage(FILE *f)
{
	static const char *const forms[] = {
	    "query-bench " MYCONN_SYNOPSIS " [-d conninfo] [--schema name] [--timezone tz] [-n iterations] "
	    "[-w warmup] [--dump dir] [-q | -v] mydb dir [name ...]",
	    NULL,
	};
	cli_usage(f, forms);
}

static void help(void)
{
	usage(stdout);
	fputs("\nRuns each query of dir (NAME.mysql.sql on MySQL database mydb, NAME.pg.sql on\n"
	      "PostgreSQL) warm-up times, then n times per side interleaved, timed by one clock;\n"
	      "prints per query one JSON line: latencies (ms), rows and digests of both sides,\n"
	      "the MySQL indexes and the PostgreSQL plan.\n"
	      "  -d, --dbname CONNINFO  PostgreSQL database (unset parts from PG*, ~/.pgpass)\n"
	      "  --schema NAME     PostgreSQL search_path (default: mydb)\n"
	      "  --timezone TZ     PostgreSQL TimeZone: the zone the migration gave DATETIMEs (default UTC)\n"
	      "  -n N              measured runs per side (default 20)\n"
	      "  -w N              warm-up runs per side (default 3)\n"
	      "  --dump DIR        write each side's rows of the first run to DIR/NAME.{mysql,pg}.tsv\n"
	      "  -q, --quiet       errors only;  -v, --verbose  each query's progress\n"
	      "See query-bench(1) and query-report(1).\n",
	      stdout);
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > MAX_NAME)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* the statement of a file: its text without trailing blanks and a final ';' */
static bool read_query(const char *path, buf *out)
{
	const char *name;
	int fd = cli_open_read(path, &name);
	if (fd < 0)
		return false;
	buf_reset(out);
	char chunk[8192];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_errno("%s", name);
			break;
		}
		buf_append(out, chunk, (size_t)n);
	}
	if (!cli_close(fd, name) || n < 0)
		return false;
	while (out->len > 0 && (out->data[out->len - 1] == ';' || out->data[out->len - 1] == ' ' ||
	                        out->data[out->len - 1] == '\n' || out->data[out->len - 1] == '\t' ||
	                        out->data[out->len - 1] == '\r'))
		out->len--;
	if (out->len == 0) {
		log_error("%s: no statement", path);
		return false;
	}
	buf_cstr(out);
	return true;
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* one field of a dump line: \N for NULL, tab, newline, CR and backslash escaped */
static void dump_field(FILE *f, const char *v, size_t n, bool null)
{
	if (null) {
		fputs("\\N", f);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		switch (v[i]) {
		case '\t': fputs("\\t", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\\': fputs("\\\\", f); break;
		default: fputc(v[i], f);
		}
	}
}

static FILE *dump_open(const bench *b, const char *name, const char *side)
{
	if (!b->dump_dir)
		return NULL;
	buf path;
	buf_init(&path);
	buf_printf(&path, "%s/%s.%s.tsv", b->dump_dir, name, side);
	const char *fname;
	int fd = cli_open_write(buf_cstr(&path), &fname);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (fd >= 0 && !f) {
		log_errno("%s", fname);
		close(fd);
	}
	buf_free(&path);
	return f;
}

static bool dump_close(FILE *f, const char *what)
{
	if (!f)
		return true;
	if (ferror(f) | (fclose(f) != 0)) {
		log_error("unable to write the rows of %s", what);
		return false;
	}
	return true;
}

/* one run on MySQL: ms and the digest of its rows; rows dumped to dump when not NULL */
static qb_status run_my(bench *b, const buf *sql, const char *name, double *ms, char digest[ROWDIGEST_HEX],
                        unsigned long long *rows, FILE *dump)
{
	double t0 = cli_now();
	if (mysql_real_query(b->my, (const char *)sql->data, sql->len) != 0) {
		myconn_log_error(b->my, "query %s", name);
		return QB_SOURCE;
	}
	MYSQL_RES *res = mysql_store_result(b->my);
	*ms = (cli_now() - t0) * 1000.0;
	if (!res) {
		if (mysql_errno(b->my) != 0)
			myconn_log_error(b->my, "query %s", name);
		else
			log_error("%s: the MySQL statement returns no rows", name);
		return QB_SOURCE;
	}
	unsigned ncols = mysql_num_fields(res);
	rs_value *v = calloc(ncols ? ncols : 1, sizeof *v);
	if (!v) {
		mysql_free_result(res);
		log_error("out of memory");
		return QB_IO;
	}
	rowdigest d;
	rowdigest_init(&d, ncols, false);
	MYSQL_ROW row;
	while ((row = mysql_fetch_row(res)) != NULL) {
		unsigned long *len = mysql_fetch_lengths(res);
		for (unsigned i = 0; i < ncols; i++) {
			v[i].null = row[i] == NULL;
			v[i].data = (const uint8_t *)row[i];
			v[i].len = row[i] ? len[i] : 0;
			v[i].chunked = false;
			if (dump) {
				if (i > 0)
					fputc('\t', dump);
				dump_field(dump, row[i], v[i].len, v[i].null);
			}
		}
		if (dump)
			fputc('\n', dump);
		rowdigest_add(&d, rowdigest_hash_values(&b->scratch, v, ncols));
	}
	*rows = d.rows;
	rowdigest_hex(&d, digest);
	rowdigest_free(&d);
	free(v);
	mysql_free_result(res);
	return QB_OK;
}

static qb_status run_pg(bench *b, const buf *sql, const char *name, double *ms, char digest[ROWDIGEST_HEX],
                        unsigned long long *rows, FILE *dump)
{
	double t0 = cli_now();
	PGresult *res = PQexec(b->pg, (const char *)sql->data);
	*ms = (cli_now() - t0) * 1000.0;
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		if (PQresultStatus(res) == PGRES_COMMAND_OK)
			log_error("%s: the PostgreSQL statement returns no rows", name);
		else
			pgconn_log_error(SIDE_PG, b->pg, res, name);
		PQclear(res);
		return QB_TARGET;
	}
	int ncols = PQnfields(res), nrows = PQntuples(res);
	rs_value *v = calloc(ncols ? (size_t)ncols : 1, sizeof *v);
	if (!v) {
		PQclear(res);
		log_error("out of memory");
		return QB_IO;
	}
	rowdigest d;
	rowdigest_init(&d, (size_t)ncols, false);
	for (int r = 0; r < nrows; r++) {
		for (int i = 0; i < ncols; i++) {
			v[i].null = PQgetisnull(res, r, i);
			v[i].data = v[i].null ? NULL : (const uint8_t *)PQgetvalue(res, r, i);
			v[i].len = v[i].null ? 0 : (uint64_t)PQgetlength(res, r, i);
			v[i].chunked = false;
			if (dump) {
				if (i > 0)
					fputc('\t', dump);
				dump_field(dump, (const char *)v[i].data, v[i].len, v[i].null);
			}
		}
		if (dump)
			fputc('\n', dump);
		rowdigest_add(&d, rowdigest_hash_values(&b->scratch, v, (size_t)ncols));
	}
	*rows = d.rows;
	rowdigest_hex(&d, digest);
	rowdigest_free(&d);
	free(v);
	PQclear(res);
	return QB_OK;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* nearest rank: the smallest value with at least p of the samples at or below it */
static double percentile(const double *sorted, size_t n, double p)
{
	size_t k = (size_t)ceil(p * (double)n);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return sorted[k - 1];
}

static void print_latency(FILE *f, double *ms, size_t n)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += ms[i];
	qsort(ms, n, sizeof *ms, cmp_double);
	fprintf(f, "{\"p50\":%.4f,\"p95\":%.4f,\"max\":%.4f,\"min\":%.4f,\"mean\":%.4f}", percentile(ms, n, 0.50),
	        percentile(ms, n, 0.95), ms[n - 1], ms[0], sum / (double)n);
}

/* the MySQL plan's indexes (column "key" of EXPLAIN), as a JSON array */
static qb_status my_explain(bench *b, const buf *sql, const char *name, buf *json)
{
	buf q;
	buf_init(&q);
	buf_puts(&q, "EXPLAIN ");
	buf_append(&q, sql->data, sql->len);
	MYSQL_RES *res = myconn_store(b->my, buf_cstr(&q));
	buf_free(&q);
	if (!res) {
		log_error("%s: unable to explain the MySQL statement", name);
		return QB_SOURCE;
	}
	unsigned ncols = mysql_num_fields(res), key = ncols;
	MYSQL_FIELD *fields = mysql_fetch_fields(res);
	for (unsigned i = 0; i < ncols; i++)
		if (strcmp(fields[i].name, "key") == 0)
			key = i;
	buf_reset(json);
	buf_putc(json, '[');
	MYSQL_ROW row;
	bool first = true;
	while ((row = mysql_fetch_row(res)) != NULL) {
		if (key == ncols || !row[key])
			continue;
		buf_printf(json, "%s\"", first ? "" : ",");
		for (const char *p = row[key]; *p; p++) {
			if (*p == '"' || *p == '\\')
				buf_putc(json, '\\');
			if ((unsigned char)*p >= 0x20)
				buf_putc(json, (uint8_t)*p);
		}
		buf_putc(json, '"');
		first = false;
	}
	buf_putc(json, ']');
	buf_cstr(json);
	mysql_free_result(res);
	return QB_OK;
}

static qb_status pg_explain(bench *b, const buf *sql, const char *name, buf *json)
{
	buf q;
	buf_init(&q);
	buf_puts(&q, "EXPLAIN (ANALYZE, FORMAT JSON) ");
	buf_append(&q, sql->data, sql->len);
	PGresult *res = pgconn_query(b->pg, SIDE_PG, buf_cstr(&q), 0, NULL);
	buf_free(&q);
	if (!res || PQntuples(res) != 1) {
		log_error("%s: unable to explain the PostgreSQL statement", name);
		PQclear(res);
		return QB_TARGET;
	}
	/* on one line: PostgreSQL indents its JSON; a newline is never inside a string there (it
	 * would be escaped), so newlines and the indentation after them go */
	buf_reset(json);
	for (const char *p = PQgetvalue(res, 0, 0); *p; p++) {
		if (*p == '\n') {
			while (p[1] == ' ')
				p++;
			continue;
		}
		buf_putc(json, (uint8_t)*p);
	}
	buf_cstr(json);
	PQclear(res);
	return QB_OK;
}

static qb_status bench_query(bench *b, const char *name)
{
	qb_status st = QB_OK;
	buf path, my_sql, pg_sql, my_plan, pg_plan;
	buf_init(&path);
	buf_init(&my_sql);
	buf_init(&pg_sql);
	buf_init(&my_plan);
	buf_init(&pg_plan);
	side_result my = {0}, pg = {0};
	FILE *dmy = NULL, *dpg = NULL;
	my.ms = calloc(b->iterations, sizeof *my.ms);
	pg.ms = calloc(b->iterations, sizeof *pg.ms);
	if (!my.ms || !pg.ms) {
		log_error("out of memory");
		st = QB_IO;
		goto out;
	}
	buf_printf(&path, "%s/%s.mysql.sql", b->dir, name);
	if (!read_query(buf_cstr(&path), &my_sql)) {
		st = QB_USAGE;
		goto out;
	}
	buf_reset(&path);
	buf_printf(&path, "%s/%s.pg.sql", b->dir, name);
	if (!read_query(buf_cstr(&path), &pg_sql)) {
		st = QB_USAGE;
		goto out;
	}
	log_info("%s: %llu warm-up and %llu measured runs per side", name, b->warmup, b->iterations);

	double ms;
	char dg[ROWDIGEST_HEX];
	unsigned long long rows;
	for (unsigned long long i = 0; i < b->warmup; i++) {
		if ((st = run_my(b, &my_sql, name, &ms, dg, &rows, NULL)) != QB_OK ||
		    (st = run_pg(b, &pg_sql, name, &ms, dg, &rows, NULL)) != QB_OK)
			goto out;
	}
	my.stable = pg.stable = true;
	for (unsigned long long i = 0; i < b->iterations; i++) {
		if (i == 0 && b->dump_dir) {
			if (!(dmy = dump_open(b, name, "mysql")) || !(dpg = dump_open(b, name, "pg"))) {
				st = QB_IO;
				goto out;
			}
		}
		for (int k = 0; k < 2; k++) {
			bool mysql_turn = (k == 0) == (i % 2 == 0);
			side_result *s = mysql_turn ? &my : &pg;
			st = mysql_turn ? run_my(b, &my_sql, name, &s->ms[i], dg, &rows, i == 0 ? dmy : NULL)
			                : run_pg(b, &pg_sql, name, &s->ms[i], dg, &rows, i == 0 ? dpg : NULL);
			if (st != QB_OK)
				goto out;
			if (i == 0) {
				memcpy(s->digest, dg, sizeof dg);
				s->rows = rows;
			} else if (strcmp(s->digest, dg) != 0 || s->rows != rows) {
				s->stable = false;
			}
		}
		if (i == 0) {
			bool ok = dump_close(dmy, name) & dump_close(dpg, name);
			dmy = dpg = NULL;
			if (!ok) {
				st = QB_IO;
				goto out;
			}
		}
	}
	if ((st = my_explain(b, &my_sql, name, &my_plan)) != QB_OK || (st = pg_explain(b, &pg_sql, name, &pg_plan)) != QB_OK)
		goto out;

	const char *pg_version = PQparameterStatus(b->pg, "server_version");
	printf("{\"name\":");
	json_string(stdout, name);
	printf(",\"iterations\":%llu,\"warmup\":%llu,\"mysql\":{\"server\":", b->iterations, b->warmup);
	json_string(stdout, mysql_get_server_info(b->my));
	printf(",\"rows\":%llu,\"digest\":\"%s\",\"stable\":%s,\"ms\":", my.rows, my.digest, my.stable ? "true" : "false");
	print_latency(stdout, my.ms, b->iterations);
	printf(",\"indexes\":%s},\"pg\":{\"server\":", buf_cstr(&my_plan));
	json_string(stdout, pg_version ? pg_version : "");
	printf(",\"rows\":%llu,\"digest\":\"%s\",\"stable\":%s,\"ms\":", pg.rows, pg.digest, pg.stable ? "true" : "false");
	print_latency(stdout, pg.ms, b->iterations);
	printf(",\"plan\":%s}}\n", buf_cstr(&pg_plan));
	if (fflush(stdout) != 0 || ferror(stdout)) {
		log_errno("stdout");
		st = QB_IO;
	}
out:
	if (dmy)
		fclose(dmy);
	if (dpg)
		fclose(dpg);
	free(my.ms);
	free(pg.ms);
	buf_free(&path);
	buf_free(&my_sql);
	buf_free(&pg_sql);
	buf_free(&my_plan);
	buf_free(&pg_plan);
	return st;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* every NAME of dir/NAME.mysql.sql, sorted; NULL-terminated, malloc'd */
static char **list_queries(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	if (!d) {
		log_errno("%s", dir);
		return NULL;
	}
	size_t cap = 16;
	char **names = malloc(cap * sizeof *names);
	*n = 0;
	struct dirent *e;
	static const char suffix[] = ".mysql.sql";
	while (names && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len <= sizeof suffix - 1 || strcmp(e->d_name + len - (sizeof suffix - 1), suffix) != 0)
			continue;
		if (*n + 1 >= cap) {
			char **more = realloc(names, (cap *= 2) * sizeof *names);
			if (!more) {
				free(names);
				names = NULL;
				break;
			}
			names = more;
		}
		names[*n] = strndup(e->d_name, len - (sizeof suffix - 1));
		if (!names[*n])
			break;
		(*n)++;
	}
	closedir(d);
	if (!names) {
		log_error("out of memory");
		return NULL;
	}
	qsort(names, *n, sizeof *names, cmp_str);
	names[*n] = NULL;
	return names;
}

static bool pg_session(bench *b)
{
	buf q;
	buf_init(&q);
	bool ok = pgconn_ident(&q, b->pg, b->schema) && pgconn_set(b->pg, SIDE_PG, "search_path", buf_cstr(&q)) &&
	          pgconn_set(b->pg, SIDE_PG, "TimeZone", b->timezone);
	buf_free(&q);
	return ok;
}

/* the query cache would answer the MySQL side from memory: off for this session (a server
 * without one, MySQL 8, does not know the variable: 1193) */
static bool my_session(bench *b)
{
	if (mysql_query(b->my, "SET SESSION query_cache_type = OFF") != 0 && mysql_errno(b->my) != 1193) {
		myconn_log_error(b->my, "SET SESSION query_cache_type = OFF");
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	cli_init(argv[0]);
	enum { O_SCHEMA = 256, O_TIMEZONE, O_DUMP };
	static const struct option lopts[] = {
		MYCONN_LONG_OPTIONS,
		CLI_LONG_DBNAME,
		{"schema", required_argument, NULL, O_SCHEMA},
		{"timezone", required_argument, NULL, O_TIMEZONE},
		{"dump", required_argument, NULL, O_DUMP},
		CLI_LONG_COMMON,
		{NULL, 0, NULL, 0},
	};
	bench b;
	memset(&b, 0, sizeof b);
	myconn_opts_init(&b.myopts);
	buf_init(&b.scratch);
	b.iterations = 20;
	b.warmup = 3;
	b.timezone = "UTC";
	int rc = EXIT_OK, c;
	char **names = NULL;
	bool own_names = false;
	size_t nnames = 0;
	cli_settings cs;
	cli_settings_init(&cs);
	cs.more = myconn_opts_more;
	cs.more_ctx = &b.myopts;
	while ((c = cli_getopt(argc, argv, CLI_SHORT_COMMON CLI_SHORT_DBNAME MYCONN_SHORT_OPTIONS "n:w:", lopts, &cs)) !=
	       -1) {
		switch (c) {
		case CLI_HELP: help(); goto out;
		case CLI_BAD: rc = EXIT_USAGE; goto out;
		case O_SCHEMA: b.schema = optarg; break;
		case O_TIMEZONE: b.timezone = optarg; break;
		case O_DUMP: b.dump_dir = optarg; break;
		case 'n':
			if (!cli_parse_number("-n", optarg, 1, 1000000, &b.iterations)) {
				rc = EXIT_USAGE;
				goto out;
			}
			break;
		case 'w':
			if (!cli_parse_number("-w", optarg, 0, 1000000, &b.warmup)) {
				rc = EXIT_USAGE;
				goto out;
			}
			break;
		default: usage(stderr); rc = EXIT_USAGE; goto out;
		}
	}
	/* b owns the connection string from here */
	b.conninfo = cs.conninfo;
	cs.conninfo = NULL;
	if (argc - optind < 2) {
		usage(stderr);
		rc = EXIT_USAGE;
		goto out;
	}
	const char *mydb = argv[optind];
	b.dir = argv[optind + 1];
	if (!b.schema)
		b.schema = mydb;
	if (argc - optind > 2) {
		names = argv + optind + 2;
		nnames = (size_t)(argc - optind - 2);
	} else {
		if (!(names = list_queries(b.dir, &nnames))) {
			rc = EXIT_IO;
			goto out;
		}
		own_names = true;
		if (nnames == 0) {
			log_error("%s: no queries (NAME.mysql.sql and NAME.pg.sql)", b.dir);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	for (size_t i = 0; i < nnames; i++) {
		if (!valid_name(names[i])) {
			log_error("%s: a query name is letters, digits, _ and -, at most %d", names[i], MAX_NAME);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	free(b.myopts.database);
	if (!(b.myopts.database = strdup(mydb))) {
		log_error("out of memory");
		rc = EXIT_IO;
		goto out;
	}
	if (!(b.my = myconn_connect(&b.myopts)) || !my_session(&b)) {
		rc = EXIT_SOURCE;
		goto out;
	}
	if (!(b.pg = pgconn_connect(b.conninfo ? b.conninfo : "", SIDE_PG)) || !pg_session(&b)) {
		rc = EXIT_TARGET;
		goto out;
	}
	for (size_t i = 0; i < nnames; i++) {
		qb_status st = bench_query(&b, names[i]);
		if (st != QB_OK) {
			rc = st == QB_USAGE ? EXIT_USAGE : st == QB_SOURCE ? EXIT_SOURCE : st == QB_TARGET ? EXIT_TARGET : EXIT_IO;
			goto out;
		}
	}
out:
	if (own_names) {
		for (size_t i = 0; i < nnames; i++)
			free(names[i]);
		free(names);
	}
	if (b.my)
		myconn_close(b.my);
	if (b.pg)
		pgconn_close(b.pg);
	buf_free(&b.scratch);
	myconn_opts_free(&b.myopts);
	free(b.conninfo);
	cli_settings_free(&cs);
	return rc;
}
