/*
 * pgcatalog.h - finding a PostgreSQL schema or table by the name a user (or a
 * stream) gives: one rule and one message for pg-extract, pg-load and fk-check.
 *
 * A name is "[SCHEMA.]TABLE" (pgconn_split_name), each part bare or quoted.
 * Each part is matched by pgname_find's rule: the object of exactly that name,
 * else the one whose name is the same in ASCII case-insensitive comparison
 * when exactly one exists; a quoted part only matches exactly. The schema is
 * found first, then the table in it. Without a schema the search path decides
 * (current_schemas(false), in order): the first schema holding a table of
 * exactly that name, else the first holding case-insensitive matches, which
 * must be unique there. For example, with public."Dup", public.dup and
 * hotel."Rooms" on the path public, hotel:
 *
 *   dup -> public.dup   "Dup" -> public."Dup"   DUP -> ambiguous   rooms -> hotel."Rooms"
 *   "rooms" -> not found   HOTEL.rooms -> hotel."Rooms"
 *
 * Messages (logged here, once):
 *   [side] table name DUP is ambiguous: public.Dup and public.dup (quote it)
 *   [side] schema name X is ambiguous: X and x (quote it)
 * and, through pgcatalog_log_missing() when the caller decides a missing
 * table is an error:
 *   [side] table "rooms" not found
 * The name in a message is spelled as given: quoted parts in double quotes.
 */
#ifndef PGCATALOG_H
#define PGCATALOG_H

#include "checked.h"

#include <stdbool.h>
#include <stdint.h>

#include <libpq-fe.h>

/* relkinds: tables one can load into, and relations one can read */
#define PGCATALOG_TABLES "rp"
#define PGCATALOG_READABLE "rpvmf"

typedef struct pgcatalog_rel {
	uint32_t oid;
	char relkind;
	char *schema, *table; /* as the catalog spells them */
} pgcatalog_rel;

/*
 * The schema named name (quoted: exactly): *out is the catalog's spelling
 * (malloc'd), NULL when there is none. false (and logs) on a query error or
 * when the name is ambiguous.
 */
CHECKED bool pgcatalog_find_schema(PGconn *c, const char *side, const char *name, bool quoted, char **out);
/*
 * The relation [schema.]table whose relkind is one of relkinds (schema NULL:
 * the search path). *found false when there is none (a missing schema
 * included: nothing is logged). false (and logs) on a query error or when a
 * part is ambiguous. Free *rel with pgcatalog_rel_free() when found.
 */
CHECKED bool pgcatalog_find_table(PGconn *c, const char *side, const char *schema, bool quoted_schema, const char *table,
                          bool quoted_table, const char *relkinds, pgcatalog_rel *rel, bool *found);
void pgcatalog_rel_free(pgcatalog_rel *rel);
/* logs "[side] table NAME not found" and hint (may be NULL) after it */
void pgcatalog_log_missing(const char *side, const char *schema, bool quoted_schema, const char *table,
                           bool quoted_table, const char *hint);

#endif
