/*
 * pgconn.h - libpq connection conventions shared by the PostgreSQL-side tools.
 *
 * Connecting: `-d/--dbname CONNINFO` takes anything libpq takes as a dbname
 * with expansion: a URI (postgresql://user@host:5432/db?sslmode=require), a
 * key=value string (host=/run/postgresql dbname=app), or a plain database
 * name. Whatever it leaves unset comes from the PG* environment variables,
 * ~/.pgpass and the service file (service=NAME), exactly as for psql. The
 * connection is always set to client_encoding UTF8 (streams carry UTF-8).
 *
 * Errors are logged as "[side] SQLSTATE message (detail)", side being
 * "source" or "target": e.g.
 *     pg-load: [target] 23505 duplicate key value violates unique constraint "t_pkey" (Key (id)=(5) already exists.)
 * and a conninfo is only ever printed through pgconn_masked(), which hides
 * passwords ("postgresql://app:********@db/x", "password=********"); a
 * password that libpq's own message quotes is masked there too.
 *
 * Identifiers in SQL are always quoted with pgconn_ident() (PQescapeIdentifier).
 */
#ifndef PGCONN_H
#define PGCONN_H

#include "checked.h"

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "buf.h"
#include "conninfo.h"

/* connects and logs "[side] unable to connect to <masked>: reason" on failure */
PGconn *pgconn_connect(const char *conninfo, const char *side);
/* the same without logging: the reason goes to err (may be NULL) */
PGconn *pgconn_try_connect(const char *conninfo, buf *err);
void pgconn_close(PGconn *c);
/* after a failed connection attempt: true when trying again later may help, that is the
 * server did not answer (no socket file, connection refused, host unreachable) or refuses
 * connections for now (starting up, shutting down, in recovery), as PQpingParams tells;
 * false when it answers (a wrong password or a missing database stay errors) or the
 * conninfo itself is wrong */
CHECKED bool pgconn_may_retry(const char *conninfo);

/* pgconn_masked, pgconn_take_conninfo: see conninfo.h */

/* appends "[side] SQLSTATE message (detail)" for a failed result (res may be NULL:
 * then the connection's error message is used) */
void pgconn_format_error(buf *out, const char *side, PGconn *c, const PGresult *res);
/* logs "[side] what: SQLSTATE message (detail)" */
void pgconn_log_error(const char *side, PGconn *c, const PGresult *res, const char *what);
/* SQLSTATE of a result, "" when it has none */
const char *pgconn_sqlstate(const PGresult *res);
/* true when the failure means the connection is gone (closed socket, class 08 but
 * 08P01 on a live connection, administrator shutdown 57P01..57P03): worth reconnecting */
CHECKED bool pgconn_is_lost(PGconn *c, const PGresult *res);

/* runs statements (several allowed, simple protocol), ignoring rows; logs on failure */
CHECKED bool pgconn_exec(PGconn *c, const char *side, const char *sql);
/* runs a query with text parameters; the result (PGRES_TUPLES_OK or
 * PGRES_COMMAND_OK) or NULL after logging; PQclear() it */
PGresult *pgconn_query(PGconn *c, const char *side, const char *sql, int nparams, const char *const *params);
/* sets a session parameter with set_config(name, value, false) */
CHECKED bool pgconn_set(PGconn *c, const char *side, const char *name, const char *value);

/* appends name quoted as an SQL identifier; false (and logs) when libpq refuses it
 * (invalid encoding) */
CHECKED bool pgconn_ident(buf *out, PGconn *c, const char *name);
/* appends "schema"."name" (or just "name" when schema is NULL or empty) */
CHECKED bool pgconn_qualified(buf *out, PGconn *c, const char *schema, const char *name);

/*
 * Splits a table name as written on a command line, "[SCHEMA.]TABLE", each
 * part either bare or "double-quoted" ("" escaping "): a.b, "A.x".b, t.
 * Bare parts are returned as written (callers decide how to match them) and
 * *quoted_schema and *quoted_table say which parts were quoted. *schema is NULL
 * when absent. false (and logs) on a malformed name.
 */
CHECKED bool pgconn_split_name(const char *s, char **schema, char **table, bool *quoted_schema, bool *quoted_table);

#endif
