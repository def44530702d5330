/*
 * state.h - the tools' own state in a target PostgreSQL database.
 *
 * The tools keep their state (pg-load's checkpoints; later the migration's
 * steps) in one schema, PGNAME_STATE_SCHEMA ("rowstream", pgname.h), and
 * nothing else there: user data never lands in it (my-schema renames a
 * database named like it, pg-load refuses to load into it). The schema is
 * created with a mark,
 *
 *   COMMENT ON SCHEMA rowstream IS 'rowstream: state of the MySQL to PostgreSQL tools, see pg-load(1)'
 *
 * and a schema of that name without the mark is not the tools': they refuse to
 * use it and say so. (A schema made by an earlier pg-load, before the mark,
 * is recognised by the comment of its checkpoints table.)
 */
#ifndef STATE_H
#define STATE_H

#include "checked.h"

#include <stdbool.h>

#include <libpq-fe.h>

#include "pgname.h"

#define STATE_SCHEMA PGNAME_STATE_SCHEMA
#define STATE_SCHEMA_MARK STATE_SCHEMA ": state of the MySQL to PostgreSQL tools, see pg-load(1)"
/* the checkpoints of pg-load */
#define STATE_CHECKPOINTS STATE_SCHEMA ".checkpoints"
#define STATE_CHECKPOINTS_COMMENT "pg-load: last committed key per target table, see pg-load(1)"

/*
 * *exists: the state schema exists (and is the tools'). false after logging
 * "[side] schema rowstream exists but was not created by the tools ..." when a
 * schema of that name is someone else's, or on a query error.
 */
CHECKED bool state_schema_check(PGconn *c, const char *side, bool *exists);
/* creates the state schema with its mark (in the caller's transaction); false (logged) on error */
CHECKED bool state_schema_create(PGconn *c, const char *side);

#endif
