/*
 * mytable.h - one MySQL/MariaDB table as information_schema describes it, and its
 * row stream header (domain mysql).
 *
 *   mytable *t;
 *   if (mytable_read(conn, "shop", "orders", &t) != MYTABLE_OK) ...
 *   rs_header *h = rs_header_new(RS_DOMAIN_MYSQL, t->db, t->name);
 *   for each column: mytable_header_column(h, &t->cols[i], field, keypos);
 *
 * Columns come from information_schema.COLUMNS, the primary key (and, for
 * tables without one, the first UNIQUE index over NOT NULL columns, usable to
 * find a row again) from information_schema.STATISTICS. All text is UTF-8 as
 * the server's catalog holds it (the session has character_set_results NULL).
 *
 * Header column, as the project decided (see /work/shared decisions):
 *   type  COLUMN_TYPE ("int(10) unsigned", "enum('a','b')")
 *   code  MYSQL_TYPE_* of the result metadata
 *   flags NOT_NULL (IS_NULLABLE = NO), UNSIGNED, GENERATED (a generation
 *         expression), BINARY (binary character set: binary/varbinary/blob types,
 *         BIT and geometry, i.e. result metadata with charset 63 on a
 *         string-like type)
 *   attrs data_type, precision, scale, length (CHARACTER_MAXIMUM_LENGTH), fsp,
 *         charset, collation, member (one per ENUM/SET member, in order, UTF-8),
 *         extra, default (COLUMN_DEFAULT as the server shows it), comment,
 *         generation_expression, and format (MariaDB's extended result metadata,
 *         e.g. "json" for a JSON column, which MariaDB stores as longtext);
 *         each only when the catalog has a value (extra/comment/
 *         generation_expression/format only when not empty).
 */
#ifndef MYTABLE_H
#define MYTABLE_H

#include "checked.h"

#include <mysql.h>
#include <stdbool.h>
#include <stddef.h>

#include "rowstream.h"

typedef struct mytable_col {
	char *name;
	char *column_type;   /* COLUMN_TYPE */
	char *data_type;     /* DATA_TYPE, lowercase */
	bool nullable;
	bool generated;
	bool is_unsigned;
	/* catalog values as text, NULL when NULL */
	char *char_max_length;
	char *numeric_precision;
	char *numeric_scale;
	char *datetime_precision;
	char *charset;
	char *collation;
	char *extra;
	char *column_default;
	char *comment;
	char *generation_expression;
	/* ENUM/SET members (UTF-8), in order */
	size_t nmembers;
	char **members;
	size_t *member_lens;
} mytable_col;

typedef struct mytable {
	char *db;
	char *name;
	char *table_type; /* "BASE TABLE", "VIEW", "SYSTEM VERSIONED", ... */
	char *engine;     /* NULL for views */
	size_t ncols;
	mytable_col *cols;
	size_t npk;
	size_t *pk;       /* column indexes of the primary key, in key order */
	size_t nuniq;
	size_t *uniq;     /* without a primary key: first UNIQUE index on NOT NULL columns */
} mytable;

typedef enum mytable_status {
	MYTABLE_OK,
	MYTABLE_NOT_FOUND, /* logged */
	MYTABLE_ERROR      /* server error, logged */
} mytable_status;

/* db and table as the user wrote them; an exact (case-sensitive) catalog match wins over
 * a case-insensitive one */
mytable_status mytable_read(MYSQL *m, const char *db, const char *table, mytable **out);
void mytable_free(mytable *t);
int mytable_find(const mytable *t, const char *name); /* -1 when absent */

/* LONGBLOB, LONGTEXT, MEDIUMBLOB, MEDIUMTEXT, JSON: values that can exceed a few MiB */
CHECKED bool mytable_col_is_long(const mytable_col *c);
/* the MYSQL_TYPE_* code a text-protocol result gives for c, from its DATA_TYPE (for
 * callers without result metadata) */
uint32_t mytable_col_type_code(const mytable_col *c);
/* adds c to h with the flags and attributes described above; field is c's result
 * metadata (from a SELECT of the column; NULL: code and BINARY flag from DATA_TYPE), keypos its
 * position in the stream's key (0: none) */
size_t mytable_header_column(rs_header *h, const mytable_col *c, const MYSQL_FIELD *field, uint32_t keypos);
/* the result metadata of "SELECT <columns cols[0..n) of t> FROM `db`.`table` LIMIT 0"
 * (cols NULL: all of t's, n = t->ncols): field i of the result is column cols[i]'s, for
 * mytable_header_column. NULL (logged) on error. */
MYSQL_RES *mytable_select_nothing(MYSQL *m, const mytable *t, const size_t *cols, size_t n);
/* column col's 1-based position in t's primary key, 0 when it is not in it */
uint32_t mytable_key_position(const mytable *t, size_t col);

/* an SQL expression equal to the value v (n bytes, as the text protocol returns it) of
 * column c, comparing and sorting as the column does:
 *   integers, YEAR, DECIMAL, FLOAT, DOUBLE   the number itself (checked to be one)
 *   BIT                                      its bytes as an unsigned integer
 *   ENUM                                     the member's index; SET its bit mask
 *   character strings                        _charset X'hex' (the bytes as stored)
 *   binary strings                           _binary X'hex'
 *   anything else (dates, times...)          'text' via mysql_real_escape_string
 * false (and logs) when v is not a valid value of c. */
CHECKED bool mytable_literal(MYSQL *m, buf *out, const mytable_col *c, const char *v, size_t n);

/* the same for a key value a user gives (--after, --until), which may also be the
 * PostgreSQL text output of the value row-convert made of it (a pg-load checkpoint):
 *   tinyint(1), bit(1)        t, f, true, false (boolean)
 *   bit(n), n > 1             n binary digits (bit(n)), besides the raw bytes
 *   binary(n)                 \x and 2n hex digits (bytea), besides the n raw bytes;
 *                             for binary(16) also a uuid's text
 *   varbinary, blobs          \x and hex digits (bytea): a raw value of that form is
 *                             read as bytea text
 *   char(n)                   trailing spaces dropped (character(n) pads, MySQL never
 *                             returns them)
 *   latin1 and ascii strings  valid UTF-8 is read as UTF-8 (PostgreSQL text) when every
 *                             character exists in the column's character set; other
 *                             bytes as the column's own
 *   date, datetime, timestamp a trailing UTC offset +00 or +00:00 dropped (timestamptz
 *                             output in UTC); -infinity is the zero date
 * Other types have the same text on both sides. */
CHECKED bool mytable_key_literal(MYSQL *m, buf *out, const mytable_col *c, const char *v, size_t n);

#endif
