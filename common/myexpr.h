/*
 * myexpr.h - MySQL/MariaDB expressions and simple SELECTs as PostgreSQL SQL.
 *
 * The input is an expression as information_schema shows it (a column default,
 * a GENERATION_EXPRESSION, a CHECK_CLAUSE) or a VIEW_DEFINITION; the output is
 * the PostgreSQL spelling, or a refusal with the reason. The translation is
 * conservative: what is not known to mean the same in PostgreSQL is refused,
 * never guessed. What is translated:
 *
 *   literals      'a''b' 'a\'b' _utf8mb4'x' N'x' (text); _binary'x' X'0a' 0x0a (bytea);
 *                 numbers; NULL TRUE FALSE; DATE/TIMESTAMP '...'
 *   operators     + - * / (int/int is computed in numeric, as MySQL does) DIV % MOD,
 *                 = <> != < <= > >= <=> (IS NOT DISTINCT FROM), AND OR XOR NOT ! && ||
 *                 (|| is OR: MySQL's default sql_mode), IS [NOT] NULL/TRUE/FALSE/UNKNOWN,
 *                 [NOT] BETWEEN, [NOT] IN (list or subquery), [NOT] LIKE [ESCAPE] (LIKE
 *                 is noted: it is case-sensitive in PostgreSQL), | & << >> ^ (as #),
 *                 CASE, CAST/CONVERT(x, type), INTERVAL n unit, EXISTS (subquery)
 *   functions     ifnull->coalesce, coalesce, nullif, if->CASE, concat->||, concat_ws,
 *                 upper/ucase, lower/lcase, length->octet_length, char_length,
 *                 character_length, trim, ltrim, rtrim, substr/substring, left, right,
 *                 replace, reverse, lpad, rpad, repeat, md5, round, truncate->trunc, floor,
 *                 ceil/ceiling, abs, sign, sqrt, exp, ln, log (1 argument: ln), log10, log2,
 *                 pow/power, mod, pi, rand->random, uuid->gen_random_uuid,
 *                 now/current_timestamp/localtime/localtimestamp/sysdate->CURRENT_TIMESTAMP,
 *                 curdate/current_date->CURRENT_DATE, year/month/day/dayofmonth (of a date),
 *                 date(x)->CAST(x AS date), count, sum, avg, min, max
 *   booleans      MySQL booleans are integers: a tinyint(1)/bit(1) column (PostgreSQL
 *                 boolean) compared with 0/1 compares with false/true; an integer used as a
 *                 condition becomes (x <> 0); a condition used as a number becomes x::integer
 *
 * Identifiers are resolved through callbacks (the caller owns the naming policy): in a
 * table context (default, generated column, check) bare column names of the table; in a
 * view, `db`.`table` references, aliases and qualified or bare column names.
 */
#ifndef MYEXPR_H
#define MYEXPR_H

#include "checked.h"

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef enum myexpr_type {
	MYEXPR_UNKNOWN = 0,
	MYEXPR_NULL,
	MYEXPR_BOOL,
	MYEXPR_INT,
	MYEXPR_NUMERIC,
	MYEXPR_FLOAT,
	MYEXPR_TEXT,
	MYEXPR_BYTES,
	MYEXPR_DATE,
	MYEXPR_TIMESTAMP,
	MYEXPR_INTERVAL,
	MYEXPR_JSON,
	MYEXPR_OTHER /* arrays, bit strings, uuid, inet...: compared, not computed with */
} myexpr_type;

typedef enum myexpr_context {
	MYEXPR_DEFAULT,   /* column default: any function */
	MYEXPR_GENERATED, /* generated column: immutable functions only */
	MYEXPR_CHECK,     /* CHECK constraint: the result is a condition */
	MYEXPR_VIEW       /* SELECT of a view */
} myexpr_context;

typedef struct myexpr_env {
	myexpr_context context;
	myexpr_type target; /* default/generated: the column's type (coerces booleans); else UNKNOWN */
	void *arg;
	/* column `col` of table `table` (a MySQL table name; in table contexts NULL means the
	 * table itself): append its PostgreSQL name, set its type, return true; false when the
	 * table has no such column. May refuse a column with a reason in why (return false and
	 * set *refused), e.g. a generated column used by another generated column. */
	bool (*column)(void *arg, const char *table, const char *col, buf *out, myexpr_type *type,
	               bool *refused, buf *why);
	/* a table reference in FROM (db NULL when unqualified): append the qualified PostgreSQL
	 * name to qualified and the bare one to bare; false with a reason in why when it cannot
	 * be referenced (another database, a table not converted...) */
	bool (*table)(void *arg, const char *db, const char *table, buf *qualified, buf *bare, buf *why);
	/* a name the query introduces (table alias, select alias): append it under the naming policy */
	void (*alias)(void *arg, const char *name, buf *out);
	/* the output name of the index-th item of the top-level select list (views: the view's
	 * column names); NULL: use alias() */
	void (*item_name)(void *arg, size_t index, const char *mysql_name, buf *out);
} myexpr_env;

typedef struct myexpr_result {
	buf sql;          /* the PostgreSQL text */
	myexpr_type type; /* its type when known */
	bool atomic;      /* needs no parentheses as an operand (literal, name, call) */
	bool literal;     /* a constant literal */
	buf notes;        /* approximations made, "; "-separated (empty: exact) */
	buf why;          /* why it was refused */
} myexpr_result;

void myexpr_result_init(myexpr_result *r);
void myexpr_result_free(myexpr_result *r);

/* translates one expression; false (r->why set, nothing logged) when it cannot */
CHECKED bool myexpr_translate(const char *sql, const myexpr_env *env, myexpr_result *r);
/* translates a view's SELECT (information_schema.VIEWS.VIEW_DEFINITION) */
CHECKED bool myexpr_translate_select(const char *sql, const myexpr_env *env, myexpr_result *r);

/* decodes a MySQL string literal body (between the quotes, escapes as MySQL reads them:
 * \0 \' \" \b \n \r \t \Z \\, '' doubled; \% and \_ keep their backslash) into out */
void myexpr_unescape(buf *out, const char *s, size_t n, char quote);

#endif
