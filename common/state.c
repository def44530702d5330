/*
 * state.c - the tools' own state schema in a target database (state.h).
 */
#include "state.h"

#include <string.h>

#include "log.h"
#include "pgconn.h"

bool state_schema_check(PGconn *c, const char *side, bool *exists)
{
	*exists = false;
	const char *params[] = {STATE_SCHEMA, STATE_SCHEMA_MARK, STATE_CHECKPOINTS_COMMENT};
	PGresult *res = pgconn_query(
		c, side,
		"SELECT pg_catalog.obj_description(n.oid, 'pg_namespace') IS NOT DISTINCT FROM $2 "
		"OR (pg_catalog.obj_description(n.oid, 'pg_namespace') IS NULL "
		"AND pg_catalog.obj_description(pg_catalog.to_regclass(pg_catalog.quote_ident($1) || '.checkpoints'), "
		"'pg_class') IS NOT DISTINCT FROM $3) "
		"FROM pg_catalog.pg_namespace n WHERE n.nspname = $1",
		3, params);
	if (!res)
		return false;
	bool ok = true;
	if (PQntuples(res) == 1) {
		if (PQgetvalue(res, 0, 0)[0] == 't') {
			*exists = true;
		} else {
			log_error("[%s] schema %s exists but was not created by the tools: it is where pg-load keeps its "
			          "checkpoints (see pg-load(1), STATE), and user data must not be there; rename that schema "
			          "(ALTER SCHEMA %s RENAME TO ...) or load into another database",
			          side, STATE_SCHEMA, STATE_SCHEMA);
			ok = false;
		}
	}
	PQclear(res);
	return ok;
}

bool state_schema_create(PGconn *c, const char *side)
{
	return pgconn_exec(c, side,
	                   "CREATE SCHEMA " STATE_SCHEMA ";\n"
	                   "COMMENT ON SCHEMA " STATE_SCHEMA " IS '" STATE_SCHEMA_MARK "'");
}
