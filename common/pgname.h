/*
 * pgname.h - the names PostgreSQL refuses or the tools keep for themselves, and
 * the one rule that renames them.
 *
 * my-schema names the PostgreSQL objects with these rules; pg-load follows the
 * same rules to match a stream's MySQL names (a column, the stream's database as
 * the default target schema) to the objects my-schema made. Names are compared
 * as PostgreSQL folds unquoted names: ASCII letters without case, other bytes
 * exactly.
 *
 * Columns. PostgreSQL refuses a table column named like a system column
 * (tableoid, xmin, cmin, xmax, cmax, ctid: "column name ... conflicts with a
 * system column name"). Such a column gets '_' appended, again and again until
 * its name is no other column's of the table:
 *
 *   columns  (id, xmin, ctid, TableOID, xmin_)
 *   become   (id, xmin__, ctid_, TableOID_, xmin_)
 *
 *   (xmin_ is taken by another column, so xmin becomes xmin__; the case is
 *   kept, the identifier policy lowercases afterwards or not.) Views have no
 *   system columns: their columns keep their names.
 *
 * Schemas. PostgreSQL refuses schema names that start with pg_ ("unacceptable
 * schema name"), and the tools keep their own state (pg-load's checkpoints) in
 * the schema PGNAME_STATE_SCHEMA, where user data must never land. A target
 * schema derived from a MySQL database name like these gets the prefix my_:
 *
 *   pg_hotel -> my_pg_hotel      rowstream -> my_rowstream      PG_X -> my_PG_X
 *
 * A schema name given explicitly (my-schema --schema) is never renamed: such a
 * name is refused instead.
 */
#ifndef PGNAME_H
#define PGNAME_H

#include "checked.h"

#include <stdbool.h>
#include <stddef.h>

/* the schema of the tools' own state in a target database (see pg-load(1), STATE) */
#define PGNAME_STATE_SCHEMA "rowstream"
/* the prefix of a renamed schema */
#define PGNAME_SCHEMA_PREFIX "my_"

/* ASCII letters compared without case, other bytes exactly */
CHECKED bool pgname_equal(const char *a, const char *b);
/*
 * The one rule by which the tools match a name to PostgreSQL's objects (a
 * schema, a table, a column): the object named exactly so, else the one
 * whose name is the same in ASCII case-insensitive comparison when there is
 * exactly one; a quoted name (exact) only matches exactly. name_at(arg, i)
 * gives the name of candidate i of n. Returns its index, -1 when none
 * matches, -2 when several match without case and none exactly.
 */
int pgname_find(const char *name, bool exact, size_t n, const char *(*name_at)(const void *arg, size_t i),
                const void *arg);
/* name is a PostgreSQL system column name */
CHECKED bool pgname_is_system_column(const char *name);
/*
 * The name of column `self` of a table whose columns are named cols[0..n-1]
 * (self < n; SIZE_MAX when name is not among cols): a copy of name, or, for a
 * system column name, name with '_' appended until it is no other column's.
 * malloc'd.
 */
char *pgname_column(const char *name, const char *const *cols, size_t n, size_t self);
/*
 * Finds the column that a MySQL column `name` named like a system column was
 * renamed to, in a PostgreSQL table with ncols columns looked up by find
 * (index >= 0; -1 none; less: ambiguous). others[0..n-1] are MySQL column
 * names known to be the table's (self: name's index among them, or SIZE_MAX):
 * the candidates are name_, name__, ... from the first one they leave free
 * (the one taken by a MySQL column that others lacks comes later). Returns the
 * index of the one candidate the table has, -1 when none, -2 when several.
 */
int pgname_find_renamed(const char *name, const char *const *others, size_t n, size_t self,
                        int (*find)(const void *table, const char *name), const void *table, size_t ncols);
/* name is refused as a target schema derived from a database name: pg_..., the tools' schema */
CHECKED bool pgname_schema_reserved(const char *name);
/* the target schema for a schema name derived from a MySQL database name: a copy of
 * name, or PGNAME_SCHEMA_PREFIX + name when it is reserved. malloc'd. */
char *pgname_schema(const char *name);

#endif
