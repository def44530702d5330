/*
 * pgquote.h - PostgreSQL identifiers and literals as text, without a connection.
 *
 * Identifiers follow quote_ident(): a name is written bare when it is
 * [a-z_][a-z0-9_$]* and not a keyword of PostgreSQL 15 other than an unreserved
 * one (pg_get_keywords() catcode <> 'U'), otherwise double-quoted with inner
 * double quotes doubled. PostgreSQL keeps at most 63 bytes of a name
 * (NAMEDATALEN - 1); pgquote_shorten() makes longer names fit without
 * collisions between names that share their first 54 bytes:
 *
 *   a_column_name_that_is_exactly_sixty_four_characters_long_abcdefh
 *   -> a_column_name_that_is_exactly_sixty_four_characters_lo_1f0c3a9e
 *      (54 bytes cut on a UTF-8 character boundary, '_', 8 hex digits of
 *       the low 32 bits of XXH3-64 of the whole name)
 *
 * Literals are written for standard_conforming_strings = on: 'it''s'. Text
 * with control characters uses the escape form E'a\nb' so that the DDL stays
 * one statement per line where possible.
 */
#ifndef PGQUOTE_H
#define PGQUOTE_H

#include "checked.h"

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define PGQUOTE_NAMEMAX 63

/* a keyword quote_ident() quotes: reserved, column-name or type/function-name keyword */
CHECKED bool pgquote_is_keyword(const char *name);
/* name can be written without quotes */
CHECKED bool pgquote_is_bare(const char *name);
/* appends name bare when possible, else quoted */
void pgquote_ident(buf *out, const char *name);
/* appends name always quoted */
void pgquote_ident_quoted(buf *out, const char *name);
/* appends schema.name, each part as pgquote_ident() */
void pgquote_qualified(buf *out, const char *schema, const char *name);
/* malloc'd copy of name, ASCII letters lowercased (PostgreSQL folds only those) */
char *pgquote_lower(const char *name);
/* malloc'd copy of name fitting in max bytes (see above); max >= 16 */
char *pgquote_shorten(const char *name, size_t max);
/* appends a string literal; false (nothing appended) when s holds a NUL byte */
CHECKED bool pgquote_literal(buf *out, const char *s, size_t n);
/* appends a bytea literal '\x0a1b' */
void pgquote_bytea(buf *out, const void *s, size_t n);

#endif
