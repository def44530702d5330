/*
 * pgconn.c - libpq connection conventions shared by the PostgreSQL-side tools.
 */
#include "pgconn.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

static void pgconn_mask_message(buf *msg, const char *conninfo);

PGconn *pgconn_try_connect(const char *conninfo, buf *err)
{
	const char *keys[] = {"dbname", "fallback_application_name", NULL};
	const char *vals[] = {conninfo && *conninfo ? conninfo : NULL, log_progname, NULL};
	PGconn *c = PQconnectdbParams(keys, vals, 1);
	if (!c) {
		if (err)
			buf_puts(err, "out of memory");
		return NULL;
	}
	if (PQstatus(c) != CONNECTION_OK || PQsetClientEncoding(c, "UTF8") != 0) {
		if (err) {
			/* libpq's message may span lines: keep one line */
			const char *m = PQerrorMessage(c);
			size_t n = strlen(m);
			while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
				n--;
			for (size_t i = 0; i < n; i++) {
				if (m[i] == '\n') {
					buf_puts(err, "; ");
					while (i + 1 < n && m[i + 1] == '\t')
						i++;
				} else {
					buf_putc(err, (uint8_t)m[i]);
				}
			}
		}
		PQfinish(c);
		if (err)
			pgconn_mask_message(err, conninfo);
		return NULL;
	}
	return c;
}

PGconn *pgconn_connect(const char *conninfo, const char *side)
{
	buf err;
	buf_init(&err);
	PGconn *c = pgconn_try_connect(conninfo, &err);
	if (!c) {
		char *m = pgconn_masked(conninfo ? conninfo : "");
		log_error("[%s] unable to connect to '%s': %s", side, m, buf_cstr(&err));
		free(m);
	}
	buf_free(&err);
	return c;
}

bool pgconn_may_retry(const char *conninfo)
{
	const char *keys[] = {"dbname", "fallback_application_name", NULL};
	const char *vals[] = {conninfo && *conninfo ? conninfo : NULL, log_progname, NULL};
	PGPing p = PQpingParams(keys, vals, 1);
	return p == PQPING_NO_RESPONSE || p == PQPING_REJECT;
}

void pgconn_close(PGconn *c)
{
	if (c)
		PQfinish(c);
}

/* ---------------------------------------------------------------- masking */

/* replaces in msg every occurrence of a password of conninfo (libpq may quote a part of the
 * conninfo it could not parse); passwords shorter than 4 bytes are left, or every message
 * would be garbled */
static void pgconn_mask_message(buf *msg, const char *conninfo)
{
	conninfo_span sp[CONNINFO_MAX_SPANS];
	size_t n = conninfo ? conninfo_password_spans(conninfo, sp) : 0;
	for (size_t i = 0; i < n; i++) {
		if (sp[i].len < 4)
			continue;
		const char *secret = conninfo + sp[i].off;
		buf out;
		buf_init(&out);
		const char *m = buf_cstr(msg), *hit;
		bool found = false;
		while ((hit = memmem(m, strlen(m), secret, sp[i].len)) != NULL) {
			buf_append(&out, m, (size_t)(hit - m));
			buf_puts(&out, CONNINFO_MASK);
			m = hit + sp[i].len;
			found = true;
		}
		if (found) {
			buf_puts(&out, m);
			buf_reset(msg);
			buf_append(msg, out.data, out.len);
		}
		buf_free(&out);
	}
}

/* ---------------------------------------------------------------- errors */

const char *pgconn_sqlstate(const PGresult *res)
{
	const char *s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	return s ? s : "";
}

/* appends s on one line, without trailing blanks */
static void pgconn_put_line(buf *out, const char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	for (size_t i = 0; i < n; i++)
		buf_putc(out, s[i] == '\n' ? ' ' : (uint8_t)s[i]);
}

void pgconn_format_error(buf *out, const char *side, PGconn *c, const PGresult *res)
{
	buf_printf(out, "[%s] ", side);
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (primary) {
		const char *state = pgconn_sqlstate(res);
		if (*state)
			buf_printf(out, "%s ", state);
		pgconn_put_line(out, primary);
		const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
		if (detail) {
			buf_puts(out, " (");
			pgconn_put_line(out, detail);
			buf_putc(out, ')');
		}
		return;
	}
	const char *m = res ? PQresultErrorMessage(res) : "";
	if (!*m && c)
		m = PQerrorMessage(c);
	if (!*m)
		m = "unknown error";
	if (strncmp(m, "ERROR:  ", 8) == 0)
		m += 8;
	pgconn_put_line(out, m);
}

void pgconn_log_error(const char *side, PGconn *c, const PGresult *res, const char *what)
{
	buf e;
	buf_init(&e);
	pgconn_format_error(&e, side, c, res);
	/* "[side] what: SQLSTATE message" */
	const char *msg = buf_cstr(&e) + strlen(side) + 3;
	log_error("[%s] %s: %s", side, what, msg);
	buf_free(&e);
}

bool pgconn_is_lost(PGconn *c, const PGresult *res)
{
	if (!c || PQstatus(c) == CONNECTION_BAD)
		return true;
	const char *s = pgconn_sqlstate(res);
	if (strcmp(s, "08P01") == 0)
		return false; /* protocol violation, e.g. a malformed binary value: the session goes on */
	return strncmp(s, "08", 2) == 0 || strcmp(s, "57P01") == 0 || strcmp(s, "57P02") == 0 ||
	       strcmp(s, "57P03") == 0;
}

/* ---------------------------------------------------------------- statements */

/* the statement as shown in messages: its first line, at most 60 characters */
static void pgconn_what(buf *out, const char *sql)
{
	size_t n = strcspn(sql, "\n");
	buf_puts(out, "unable to execute '");
	if (n > 60) {
		buf_append(out, sql, 57);
		buf_puts(out, "...");
	} else {
		buf_append(out, sql, n);
		if (sql[n])
			buf_puts(out, " ...");
	}
	buf_putc(out, '\'');
}

/* res of sql when it succeeded; else logs why (naming sql), clears res and returns NULL */
static PGresult *result_ok(PGconn *c, const char *side, const char *sql, PGresult *res)
{
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return res;
	buf w;
	buf_init(&w);
	pgconn_what(&w, sql);
	pgconn_log_error(side, c, res, buf_cstr(&w));
	buf_free(&w);
	PQclear(res);
	return NULL;
}

PGresult *pgconn_query(PGconn *c, const char *side, const char *sql, int nparams, const char *const *params)
{
	return result_ok(c, side, sql, PQexecParams(c, sql, nparams, NULL, params, NULL, NULL, 0));
}

bool pgconn_exec(PGconn *c, const char *side, const char *sql)
{
	/* the simple protocol: sql may hold several statements */
	PGresult *res = result_ok(c, side, sql, PQexec(c, sql));
	PQclear(res);
	return res != NULL;
}

bool pgconn_set(PGconn *c, const char *side, const char *name, const char *value)
{
	const char *params[] = {name, value};
	PGresult *res = pgconn_query(c, side, "SELECT pg_catalog.set_config($1, $2, false)", 2, params);
	PQclear(res);
	return res != NULL;
}

/* ---------------------------------------------------------------- identifiers */

bool pgconn_ident(buf *out, PGconn *c, const char *name)
{
	char *q = PQescapeIdentifier(c, name, strlen(name));
	if (!q) {
		log_error("unable to quote identifier '%s': %s", name, PQerrorMessage(c));
		return false;
	}
	buf_puts(out, q);
	PQfreemem(q);
	return true;
}

bool pgconn_qualified(buf *out, PGconn *c, const char *schema, const char *name)
{
	if (schema && *schema) {
		if (!pgconn_ident(out, c, schema))
			return false;
		buf_putc(out, '.');
	}
	return pgconn_ident(out, c, name);
}

/* one part of a name: "quoted" or bare up to the next '.'; advances *p */
static bool pgconn_name_part(const char **p, char **part, bool *quoted)
{
	const char *s = *p;
	buf b;
	buf_init(&b);
	if (*s == '"') {
		s++;
		for (;;) {
			if (!*s) {
				buf_free(&b);
				return false;
			}
			if (*s == '"') {
				if (s[1] != '"')
					break;
				s++;
			}
			buf_putc(&b, (uint8_t)*s++);
		}
		s++;
		*quoted = true;
	} else {
		while (*s && *s != '.')
			buf_putc(&b, (uint8_t)*s++);
		*quoted = false;
	}
	if (b.len == 0 || (*s && *s != '.')) {
		buf_free(&b);
		return false;
	}
	*part = mem_strdup(buf_cstr(&b));
	buf_free(&b);
	*p = s;
	return true;
}

bool pgconn_split_name(const char *s, char **schema, char **table, bool *quoted_schema, bool *quoted_table)
{
	const char *p = s;
	char *a = NULL, *b = NULL;
	bool qa = false, qb = false;
	*schema = *table = NULL;
	if (!pgconn_name_part(&p, &a, &qa))
		goto bad;
	if (*p == '.') {
		p++;
		if (!pgconn_name_part(&p, &b, &qb) || *p)
			goto bad;
		*schema = a;
		*table = b;
		*quoted_schema = qa;
		*quoted_table = qb;
		return true;
	}
	*table = a;
	*quoted_schema = false;
	*quoted_table = qa;
	return true;
bad:
	free(a);
	free(b);
	log_error("invalid table name '%s': expected [SCHEMA.]TABLE, parts bare or \"double-quoted\"", s);
	return false;
}
