/*
 * pgtext-check - compares pgtext_format() with a live PostgreSQL server (test tool).
 *
 *   pgtext-check [-d CONNINFO] [-v] [-t OID] < queries
 *
 * Each input line is a query returning one column (blank lines and lines
 * starting with '#' are skipped). Its rows are kept in a temporary table,
 * then for each row the binary COPY form of the value
 *     COPY (SELECT v FROM t ORDER BY n) TO STDOUT (FORMAT binary)
 * rendered with pgtext_format() is compared with the server's own text output
 * of the same value (SELECT v FROM t ORDER BY n, in text result format: the
 * type's output function, which is what `v::text` calls except for bpchar).
 * Mismatches are printed (with both texts); the exit status is 1 when there
 * was any, 2 on errors. The last line of output counts the values compared.
 * -t OID renders every value as type OID instead of its own (to show that a
 * wrong rendering is caught).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "byteorder.h"
#include "log.h"
#include "pgconn.h"
#include "pgtext.h"

static const char *side = "target";
static uint32_t force_oid;

static void show(const char *label, const uint8_t *p, size_t n)
{
	printf("  %s: \"", label);
	for (size_t i = 0; i < n; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
			putchar(p[i]);
		else
			printf("\\x%02x", p[i]);
	}
	printf("\"\n");
}

/* runs one query; adds to *values and *bad; false on error */
static bool check_query(PGconn *c, const char *q, unsigned long *values, unsigned long *bad, bool verbose)
{
	buf sql;
	buf_init(&sql);
	buf_printf(&sql, "DROP TABLE IF EXISTS pg_temp.pgtext_check; "
	                 "CREATE TEMP TABLE pgtext_check AS SELECT row_number() OVER () AS n, v FROM (%s) AS q(v)", q);
	bool ok = pgconn_exec(c, side, buf_cstr(&sql));
	buf_free(&sql);
	if (!ok)
		return false;
	PGresult *res = pgconn_query(c, side,
	                             "SELECT t.oid, t.typcategory FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
	                             "WHERE a.attrelid = 'pg_temp.pgtext_check'::regclass AND a.attname = 'v'",
	                             0, NULL);
	if (!res)
		return false;
	uint32_t oid = force_oid ? force_oid : (uint32_t)strtoul(PQgetvalue(res, 0, 0), NULL, 10);
	bool is_array = PQgetvalue(res, 0, 1)[0] == 'A';
	PQclear(res);
	PGresult *text = pgconn_query(c, side, "SELECT v FROM pgtext_check ORDER BY n", 0, NULL);
	if (!text)
		return false;

	res = PQexec(c, "COPY (SELECT v FROM pgtext_check ORDER BY n) TO STDOUT (FORMAT binary)");
	if (PQresultStatus(res) != PGRES_COPY_OUT) {
		pgconn_log_error(side, c, res, q);
		PQclear(res);
		PQclear(text);
		return false;
	}
	PQclear(res);
	buf data, got;
	buf_init(&data);
	buf_init(&got);
	char *chunk;
	int n;
	while ((n = PQgetCopyData(c, &chunk, 0)) > 0) {
		buf_append(&data, chunk, (size_t)n);
		PQfreemem(chunk);
	}
	res = PQgetResult(c);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		pgconn_log_error(side, c, res, q);
	PQclear(res);
	while ((res = PQgetResult(c)))
		PQclear(res);
	/* signature (11) + flags (4) + extension length (4), then per row: int16 1 | int32 len | bytes */
	size_t off = 19;
	for (int row = 0; ok && row < PQntuples(text); row++) {
		if (off + 6 > data.len || byteorder_get_u16be(data.data + off) != 1) {
			printf("malformed COPY data at row %d of: %s\n", row, q);
			ok = false;
			break;
		}
		int32_t len = (int32_t)byteorder_get_u32be(data.data + off + 2);
		const uint8_t *val = data.data + off + 6;
		off += 6 + (len > 0 ? (size_t)len : 0);
		if (len < 0)
			continue;
		const uint8_t *want = (const uint8_t *)PQgetvalue(text, row, 0);
		size_t wantlen = (size_t)PQgetlength(text, row, 0);
		(*values)++;
		buf_reset(&got);
		bool fok = is_array && !pgtext_known(oid) ? pgtext_format_array(&got, val, (size_t)len)
		                                          : pgtext_format(&got, oid, val, (size_t)len);
		if (!fok || got.len != wantlen || memcmp(got.data, want, wantlen) != 0) {
			(*bad)++;
			printf("mismatch (type %u)%s in: %s\n", oid, fok ? "" : " (invalid binary value)", q);
			show("binary", val, (size_t)len);
			show("pgtext", got.data, got.len);
			show("server", want, wantlen);
		} else if (verbose) {
			printf("ok %u: %.*s\n", oid, (int)got.len, (const char *)got.data);
		}
	}
	PQclear(text);
	buf_free(&data);
	buf_free(&got);
	return ok;
}

int main(int argc, char **argv)
{
	log_init(argv[0]);
	const char *conninfo = NULL;
	bool verbose = false;
	int opt;
	while ((opt = getopt(argc, argv, "d:vt:")) != -1) {
		if (opt == 'd')
			conninfo = optarg;
		else if (opt == 'v')
			verbose = true;
		else if (opt == 't')
			force_oid = (uint32_t)strtoul(optarg, NULL, 10);
		else
			return 2;
	}
	PGconn *c = pgconn_connect(conninfo, side);
	if (!c)
		return 2;
	int rc = 0;
	static const char *const settings[][2] = {
		{"TimeZone", "UTC"},          {"DateStyle", "ISO, MDY"}, {"IntervalStyle", "postgres"},
		{"extra_float_digits", "1"}, {"bytea_output", "hex"},       {"client_min_messages", "warning"},
	};
	for (size_t i = 0; i < sizeof settings / sizeof *settings; i++)
		if (!pgconn_set(c, side, settings[i][0], settings[i][1]))
			rc = 2;
	unsigned long values = 0, bad = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while (rc == 0 && (n = getline(&line, &cap, stdin)) > 0) {
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		if (!n || line[0] == '#')
			continue;
		if (!check_query(c, line, &values, &bad, verbose))
			rc = 2;
	}
	free(line);
	pgconn_close(c);
	printf("%lu values compared, %lu mismatches\n", values, bad);
	if (rc == 0 && bad)
		rc = 1;
	return rc;
}
