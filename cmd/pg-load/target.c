/*
 * target.c - the target table of pg-load: finding or creating it, matching the
 * stream's columns to it, --describe, and the rowstream.checkpoints table.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "log.h"
#include "pg-load.h"
#include "pgcatalog.h"
#include "pgconn.h"
#include "pgoid.h"
#include "pgquote.h"
#include "pgname.h"
#include "pgtext.h"
#include "state.h"

static uint32_t oid_of(const char *s)
{
	return (uint32_t)strtoul(s, NULL, 10);
}

static bool is_t(const char *s)
{
	return s[0] == 't';
}

PGconn *target_connect(const options *o)
{
	buf err;
	buf_init(&err);
	double delay = 0.5;
	unsigned attempt = 0;
	PGconn *c = NULL;
	for (;;) {
		buf_reset(&err);
		if ((c = pgconn_try_connect(o->conninfo, &err)) != NULL)
			break;
		if (!pgconn_may_retry(o->conninfo)) {
			/* the server answers: if it has just come up, this attempt is the one */
			buf_reset(&err);
			c = pgconn_try_connect(o->conninfo, &err);
			break;
		}
		if (attempt == o->retries)
			break;
		attempt++;
		log_warn("[%s] unable to connect: %s; retrying in %.1f s (%u of %u)", SIDE, buf_cstr(&err), delay, attempt,
		         o->retries);
		struct timespec ts = {(time_t)delay, (long)((delay - (double)(time_t)delay) * 1e9)};
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		delay = delay * 2 > 30 ? 30 : delay * 2;
	}
	if (!c) {
		char *m = pgconn_masked(o->conninfo ? o->conninfo : "");
		if (attempt)
			log_error("[%s] unable to connect to '%s' (%u attempts): %s", SIDE, m, attempt + 1, buf_cstr(&err));
		else
			log_error("[%s] unable to connect to '%s': %s", SIDE, m, buf_cstr(&err));
		free(m);
	} else if (attempt) {
		log_warn("[%s] connected after %u retr%s", SIDE, attempt, attempt == 1 ? "y" : "ies");
	}
	buf_free(&err);
	return c;
}

bool target_session(PGconn *c)
{
	/*
	 * A batch is one transaction that stays open while rows arrive from the
	 * pipe: no statement or idle-in-transaction timeout of the role may cut it.
	 * synchronous_commit is left as configured (on by default): one WAL flush
	 * per batch is cheap, and a commit reported is a commit kept, even across
	 * a server crash (see pg-load(1), SESSION SETTINGS).
	 */
	return pgconn_set(c, SIDE, "statement_timeout", "0") &&
	       pgconn_set(c, SIDE, "idle_in_transaction_session_timeout", "0") &&
	       pgconn_set(c, SIDE, "lock_timeout", "0");
}

/* ---------------------------------------------------------------- finding the table */

static bool target_columns(PGconn *c, target *t)
{
	char oidtext[16];
	snprintf(oidtext, sizeof oidtext, "%" PRIu32, t->oid);
	const char *params[] = {oidtext};
	PGresult *res = pgconn_query(
		c, SIDE,
		"SELECT a.attname, a.atttypid, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
		"a.atthasdef, a.attgenerated <> '', a.attidentity <> '', a.atttypmod, a.attcollation <> 0 "
		"FROM pg_catalog.pg_attribute a WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped "
		"ORDER BY a.attnum",
		1, params);
	if (!res)
		return false;
	t->ncols = (size_t)PQntuples(res);
	t->cols = mem_calloc(t->ncols ? t->ncols : 1, sizeof *t->cols);
	bool ok = true;
	for (size_t i = 0; i < t->ncols && ok; i++) {
		target_col *col = &t->cols[i];
		int r = (int)i;
		col->name = mem_strdup(PQgetvalue(res, r, 0));
		col->type = oid_of(PQgetvalue(res, r, 1));
		col->type_name = mem_strdup(PQgetvalue(res, r, 2));
		col->notnull = is_t(PQgetvalue(res, r, 3));
		col->has_default = is_t(PQgetvalue(res, r, 4));
		col->generated = is_t(PQgetvalue(res, r, 5));
		col->identity = is_t(PQgetvalue(res, r, 6));
		col->collatable = is_t(PQgetvalue(res, r, 8));
		/* resolve domains down to their base type (the typmod of the innermost domain) */
		uint32_t oid = col->type;
		char mod[16];
		snprintf(mod, sizeof mod, "%s", PQgetvalue(res, r, 7));
		for (int depth = 0; depth < 32; depth++) {
			char oidbuf[16];
			snprintf(oidbuf, sizeof oidbuf, "%" PRIu32, oid);
			const char *tp[] = {oidbuf, mod};
			PGresult *tr = pgconn_query(
				c, SIDE,
				"SELECT t.typtype, t.typbasetype, t.typtypmod, t.typcategory = 'A', t.typelem, "
				"coalesce(e.typtype = 'e', false), pg_catalog.format_type(t.oid, $2::int) "
				"FROM pg_catalog.pg_type t LEFT JOIN pg_catalog.pg_type e ON e.oid = t.typelem "
				"WHERE t.oid = $1::oid",
				2, tp);
			if (!tr || PQntuples(tr) != 1) {
				if (tr)
					log_error("[%s] type %s of column '%s' not found", SIDE, oidbuf, col->name);
				PQclear(tr);
				ok = false;
				break;
			}
			char typtype = PQgetvalue(tr, 0, 0)[0];
			if (typtype == 'd') {
				oid = oid_of(PQgetvalue(tr, 0, 1));
				snprintf(mod, sizeof mod, "%s", PQgetvalue(tr, 0, 2));
				PQclear(tr);
				continue;
			}
			col->base = oid;
			col->base_typmod = atoi(mod);
			col->typtype = typtype;
			col->is_array = is_t(PQgetvalue(tr, 0, 3));
			col->elem = col->is_array ? oid_of(PQgetvalue(tr, 0, 4)) : 0;
			col->elem_enum = col->is_array && is_t(PQgetvalue(tr, 0, 5));
			col->base_name = mem_strdup(PQgetvalue(tr, 0, 6));
			PQclear(tr);
			break;
		}
		if (ok && !col->base_name) {
			log_error("[%s] column '%s': domain nesting too deep", SIDE, col->name);
			ok = false;
		}
	}
	PQclear(res);
	return ok;
}

bool target_find(PGconn *c, const char *schema, const char *table, bool qs, bool qt, target *t, bool *found)
{
	memset(t, 0, sizeof *t);
	*found = false;
	pgcatalog_rel rel;
	bool got;
	if (!pgcatalog_find_table(c, SIDE, schema, qs, table, qt, PGCATALOG_TABLES, &rel, &got))
		return false;
	if (!got) {
		if (schema && pgname_schema_reserved(schema)) {
			char *r = pgname_schema(schema);
			log_warn("[%s] schema %s: my-schema names the schema of a MySQL database %s %s (the default target "
			         "of its streams)",
			         SIDE, schema, schema, r);
			free(r);
		}
		return true;
	}
	if (strcmp(rel.schema, STATE_SCHEMA) == 0) {
		log_error("[%s] table %s.%s is in schema %s, which holds the tools' own state (see pg-load(1), STATE): "
		          "rows are never loaded there",
		          SIDE, rel.schema, rel.table, STATE_SCHEMA);
		pgcatalog_rel_free(&rel);
		return false;
	}
	t->oid = rel.oid;
	t->schema = rel.schema;
	t->table = rel.table;
	buf q;
	buf_init(&q);
	bool ok = pgconn_qualified(&q, c, t->schema, t->table);
	t->qname = mem_strdup(buf_cstr(&q));
	buf_free(&q);
	if (!ok || !target_columns(c, t)) {
		target_free(t);
		return false;
	}
	*found = true;
	return true;
}

void target_free(target *t)
{
	for (size_t i = 0; i < t->ncols; i++) {
		free(t->cols[i].name);
		free(t->cols[i].type_name);
		free(t->cols[i].base_name);
	}
	free(t->cols);
	free(t->schema);
	free(t->table);
	free(t->qname);
	memset(t, 0, sizeof *t);
}

/* ---------------------------------------------------------------- types */

/*
 * OID of a type name as format_type() prints it ("numeric(20,0)", "hotel.room_status",
 * "text[]"); 0 when no such type. A name that is not exactly one type name (to_regtype
 * parses it as `SELECT NULL::<name>` and refuses anything else) or holds characters
 * that could end a column definition is refused: it will be spliced into CREATE TABLE.
 */
static uint32_t type_oid(PGconn *c, const char *name)
{
	if (!*name || strpbrk(name, ";\n\r\t\\") || strstr(name, "--") || strstr(name, "/*"))
		return 0;
	const char *params[] = {name};
	PGresult *res = PQexecParams(c, "SELECT pg_catalog.to_regtype($1)::oid", 1, NULL, params, NULL, NULL, 0);
	uint32_t oid = 0;
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		oid = oid_of(PQgetvalue(res, 0, 0));
	PQclear(res);
	return oid;
}

/* the stream column's type OID: its code, else its type name resolved in the target */
static uint32_t stream_type_oid(PGconn *c, const rs_column *sc)
{
	return sc->code ? sc->code : type_oid(c, sc->type);
}

/* a transaction under the advisory lock named key (concurrent pg-loads creating the same
 * catalog objects wait for each other instead of failing on each other's catalog rows) */
static bool begin_locked(PGconn *c, const char *key)
{
	if (!pgconn_exec(c, SIDE, "BEGIN"))
		return false;
	const char *params[] = {key};
	PGresult *res =
		pgconn_query(c, SIDE, "SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext($1))", 1, params);
	if (res) {
		PQclear(res);
		return true;
	}
	if (!pgconn_exec(c, SIDE, "ROLLBACK")) {
		/* logged; the failure before it is the one reported */
	}
	return false;
}

/* commits the transaction of begin_locked when ok, else rolls it back; whether it committed */
static bool end_locked(PGconn *c, bool ok)
{
	if (ok)
		return pgconn_exec(c, SIDE, "COMMIT");
	if (!pgconn_exec(c, SIDE, "ROLLBACK")) {
		/* logged; the failure before it is the one reported */
	}
	return false;
}

bool target_create(PGconn *c, const char *schema, const char *table, const rs_header *h)
{
	if (h->ncols == 0) {
		log_error("cannot create table '%s': the stream has no columns", table);
		return false;
	}
	if (schema && pgname_equal(schema, STATE_SCHEMA)) {
		log_error("[%s] cannot create table %s.%s: schema %s holds the tools' own state (see pg-load(1), STATE)",
		          SIDE, schema, table, STATE_SCHEMA);
		return false;
	}
	buf sql;
	buf_init(&sql);
	/* concurrent pg-load --create (parallel tables of a new schema, chunks of a new table)
	 * must not race: CREATE SCHEMA / TABLE IF NOT EXISTS of the same name in two sessions at
	 * once fails in one of them with a unique violation in the catalog. One transaction under
	 * an advisory lock; the second one waits, then sees what the first one made. */
	bool began = begin_locked(c, STATE_SCHEMA ": pg-load --create");
	bool ok = began;
	/* columns named like PostgreSQL's system columns are renamed as my-schema does (pgname.h) */
	const char **names = mem_calloc(h->ncols, sizeof *names);
	char **pgnames = mem_calloc(h->ncols, sizeof *pgnames);
	for (size_t i = 0; i < h->ncols; i++)
		names[i] = h->cols[i].name;
	for (size_t i = 0; i < h->ncols; i++)
		pgnames[i] = pgname_column(names[i], names, h->ncols, i);
	if (ok && schema) {
		const char *params[] = {schema};
		PGresult *res = pgconn_query(c, SIDE, "SELECT pg_catalog.to_regnamespace(pg_catalog.quote_ident($1)) IS NULL",
		                             1, params);
		if (!res) {
			ok = false;
			goto out;
		}
		bool missing = is_t(PQgetvalue(res, 0, 0));
		PQclear(res);
		if (missing) {
			buf_puts(&sql, "CREATE SCHEMA IF NOT EXISTS ");
			ok = pgconn_ident(&sql, c, schema) && pgconn_exec(c, SIDE, buf_cstr(&sql));
			if (ok)
				log_info("created schema %s", buf_cstr(&sql) + strlen("CREATE SCHEMA IF NOT EXISTS "));
			buf_reset(&sql);
		}
	}
	buf_puts(&sql, "CREATE TABLE IF NOT EXISTS ");
	ok = ok && pgconn_qualified(&sql, c, schema, table);
	buf_puts(&sql, " (\n");
	for (size_t i = 0; ok && i < h->ncols; i++) {
		const rs_column *col = &h->cols[i];
		uint32_t oid = type_oid(c, col->type);
		if (!oid || (col->code && col->code != oid)) {
			if (!oid)
				log_error("cannot create column '%s': type '%s' does not exist in the target", col->name,
				          col->type);
			else
				log_error("cannot create column '%s': type '%s' is OID %" PRIu32 " in the target, the stream "
				          "says %" PRIu32,
				          col->name, col->type, oid, col->code);
			ok = false;
			break;
		}
		buf_puts(&sql, "\t");
		ok = pgconn_ident(&sql, c, pgnames[i]);
		buf_printf(&sql, " %s%s,\n", col->type, (col->flags & RS_COL_NOT_NULL) || col->keypos ? " NOT NULL" : "");
	}
	if (ok && h->nkey) {
		buf_puts(&sql, "\tPRIMARY KEY (");
		for (size_t k = 0; ok && k < h->nkey; k++) {
			if (k)
				buf_puts(&sql, ", ");
			ok = pgconn_ident(&sql, c, pgnames[h->key[k]]);
		}
		buf_puts(&sql, ")\n");
	} else if (ok) {
		sql.len -= 2; /* the last ",\n" */
		buf_puts(&sql, "\n");
	}
	buf_puts(&sql, ")");
	if (ok) {
		log_debug("%s", buf_cstr(&sql));
		ok = pgconn_exec(c, SIDE, buf_cstr(&sql));
	}
out:
	if (began)
		ok = end_locked(c, ok);
	for (size_t i = 0; i < h->ncols; i++)
		free(pgnames[i]);
	free(pgnames);
	free(names);
	buf_free(&sql);
	return ok;
}

/* ---------------------------------------------------------------- mapping */

static const char *col_name_at(const void *table, size_t i)
{
	return ((const target *)table)->cols[i].name;
}

/* a column by name: exact, else ASCII case-insensitive when unique (-2: several) */
static int find_plain(const void *table, const char *name)
{
	return pgname_find(name, false, ((const target *)table)->ncols, col_name_at, table);
}

/* the table column of stream column `self`; -1 none, -2 several differing in case, -3 several renamed */
static int find_col(const target *t, const rs_header *h, size_t self)
{
	const char *name = h->cols[self].name;
	int hit = find_plain(t, name);
	if (hit == -1 && strlen(name) > PGQUOTE_NAMEMAX) {
		/* a name too long for PostgreSQL: my-schema shortened it with pgquote_shorten(),
		 * of the name as is or lowercased */
		char *lower = pgquote_lower(name);
		char *forms[2] = {pgquote_shorten(name, PGQUOTE_NAMEMAX), pgquote_shorten(lower, PGQUOTE_NAMEMAX)};
		for (size_t f = 0; f < 2 && hit == -1; f++)
			for (size_t i = 0; i < t->ncols; i++)
				if (strcmp(t->cols[i].name, forms[f]) == 0) {
					hit = (int)i;
					break;
				}
		free(forms[0]);
		free(forms[1]);
		free(lower);
	}
	if (hit == -1 && pgname_is_system_column(name)) {
		/* a name PostgreSQL refuses: my-schema renamed it (pgname.h); the stream's other
		 * columns tell which candidate */
		const char **names = mem_calloc(h->ncols, sizeof *names);
		for (size_t i = 0; i < h->ncols; i++)
			names[i] = h->cols[i].name;
		hit = pgname_find_renamed(name, names, h->ncols, self, find_plain, t, t->ncols);
		free(names);
		if (hit == -2)
			hit = -3;
	}
	return hit;
}

static bool is_textlike_target(const target_col *tc)
{
	return pgtext_is_textlike(tc->base) || tc->base == PGOID_JSON || tc->typtype == 'e' ||
	       strcmp(tc->base_name, "citext") == 0 || strcmp(tc->base_name, "public.citext") == 0;
}

/* types whose values the server rounds silently to the column's typmod */
static bool rounds_to_typmod(uint32_t oid)
{
	return oid == PGOID_NUMERIC || oid == PGOID_TIMESTAMP || oid == PGOID_TIMESTAMPTZ || oid == PGOID_TIME ||
	       oid == PGOID_TIMETZ || oid == PGOID_INTERVAL;
}

bool target_plan(PGconn *c, const target *t, const rs_header *h, col_plan *plan)
{
	bool ok = true;
	for (size_t i = 0; i < t->ncols; i++)
		t->cols[i].used = false;
	for (size_t i = 0; i < h->ncols; i++) {
		const rs_column *sc = &h->cols[i];
		col_plan *p = &plan[i];
		memset(p, 0, sizeof *p);
		p->tcol = -1;
		p->text_oid = sc->code;
		size_t tl = strlen(sc->type);
		p->text_array = sc->code == 0 && tl > 2 && strcmp(sc->type + tl - 2, "[]") == 0;
		int k = find_col(t, h, i);
		if (k == -3) {
			log_error("stream column '%s' is named like a PostgreSQL system column, and several columns of %s "
			          "may be the one my-schema renamed it to (%s_...): load a stream with all the table's columns",
			          sc->name, t->qname, sc->name);
			ok = false;
			continue;
		}
		if (k == -2) {
			log_error("stream column '%s' matches several columns of %s that differ only in case", sc->name,
			          t->qname);
			ok = false;
			continue;
		}
		if (k < 0) {
			log_error("stream column '%s' does not exist in table %s", sc->name, t->qname);
			ok = false;
			continue;
		}
		target_col *tc = &t->cols[k];
		if (tc->used) {
			log_error("stream column '%s' maps to column '%s' of %s, which another stream column already fills",
			          sc->name, tc->name, t->qname);
			ok = false;
			continue;
		}
		tc->used = true;
		if (tc->generated) {
			if (sc->keypos) {
				log_error("key column '%s' is a generated column in %s", sc->name, t->qname);
				ok = false;
			} else {
				log_info("column '%s' is generated in %s: its stream values are not loaded", tc->name, t->qname);
			}
			continue;
		}
		p->send = true;
		p->tcol = k;
		if (!p->text_oid)
			p->text_oid = tc->base;
		if (tc->is_array && !p->text_array && !pgtext_known(p->text_oid))
			p->text_array = true;
		uint32_t soid = stream_type_oid(c, sc);
		bool compatible = soid == tc->base;
		if (!compatible && pgtext_is_textlike(soid) && is_textlike_target(tc))
			compatible = true; /* the same bytes on the wire; the server checks them */
		if (!compatible && sc->code == 0 && (tc->typtype == 'e' || tc->elem_enum || is_textlike_target(tc))) {
			/* a user type the stream names differently (schema, quoting): enum labels are text */
			if (soid == 0 || (tc->is_array == p->text_array)) {
				log_warn("column '%s': stream type '%s' loaded into type %s", sc->name, sc->type, tc->type_name);
				compatible = true;
			}
		}
		if (!compatible) {
			log_error("column '%s': stream type '%s' (OID %" PRIu32 ") cannot be loaded into column '%s' of %s, "
			          "type %s: convert it with row-convert --rules (pg-load --describe prints them)",
			          sc->name, sc->type, soid, tc->name, t->qname, tc->type_name);
			ok = false;
			continue;
		}
		if (soid == tc->base && strcmp(sc->type, tc->base_name) != 0) {
			if (rounds_to_typmod(tc->base))
				log_warn("column '%s': stream type %s, table column type %s: values are rounded to the column's "
				         "precision",
				         sc->name, sc->type, tc->base_name);
			else
				log_info("column '%s': stream type %s, table column type %s", sc->name, sc->type, tc->base_name);
		}
		/* arrays of user types carry an element OID the producer cannot know */
		if (tc->is_array && tc->elem >= PGOID_FIRST_NORMAL && sc->code == 0)
			p->patch_elem = tc->elem;
	}
	for (size_t i = 0; ok && i < t->ncols; i++) {
		const target_col *tc = &t->cols[i];
		if (!tc->used && tc->notnull && !tc->has_default && !tc->identity && !tc->generated) {
			log_error("column '%s' of %s is NOT NULL without a default, and the stream has no such column",
			          tc->name, t->qname);
			ok = false;
		}
	}
	return ok;
}

/* ---------------------------------------------------------------- describe */

static void put_quoted(buf *out, const char *s, char q)
{
	buf_putc(out, (uint8_t)q);
	for (; *s; s++) {
		if (*s == q)
			buf_putc(out, (uint8_t)q);
		buf_putc(out, (uint8_t)*s);
	}
	buf_putc(out, (uint8_t)q);
}

bool target_describe(PGconn *c, const target *t)
{
	/* type names qualified by their schema whatever the search path */
	if (!pgconn_set(c, SIDE, "search_path", "pg_catalog"))
		return false;
	buf out;
	buf_init(&out);
	buf_printf(&out, "# target %s\n", t->qname);
	char oidtext[16];
	snprintf(oidtext, sizeof oidtext, "%" PRIu32, t->oid);
	const char *params[] = {oidtext};
	bool ok = true;
	PGresult *res;
	for (size_t i = 0; ok && i < t->ncols; i++) {
		const target_col *tc = &t->cols[i];
		if (tc->generated) {
			buf_puts(&out, "# ");
			put_quoted(&out, tc->name, '"');
			buf_puts(&out, " is a generated column: not loaded\n");
			continue;
		}
		/* a domain is described by its base type: that is what the stream must carry */
		char b[16], m[16], d[16];
		snprintf(b, sizeof b, "%" PRIu32, tc->base);
		snprintf(m, sizeof m, "%d", tc->base_typmod);
		snprintf(d, sizeof d, "%" PRIu32, tc->type);
		const char *tp[] = {b, m, d};
		res = pgconn_query(c, SIDE, "SELECT pg_catalog.format_type($1::oid, $2::int), pg_catalog.format_type($3::oid, NULL)",
		                   3, tp);
		if (!res) {
			ok = false;
			break;
		}
		if (tc->type != tc->base) {
			buf_puts(&out, "# ");
			put_quoted(&out, tc->name, '"');
			buf_printf(&out, " is of domain %s\n", PQgetvalue(res, 0, 1));
		}
		buf_puts(&out, "cast ");
		put_quoted(&out, tc->name, '"');
		buf_printf(&out, " %s\n", PQgetvalue(res, 0, 0));
		/* a column my-schema renamed (pgname.h): the rule also under the stream's name,
		 * when the table says which name it was */
		size_t len = strlen(tc->name), base = len;
		while (base > 0 && tc->name[base - 1] == '_')
			base--;
		char *stem = mem_strndup(tc->name, base);
		if (base < len && pgname_find_renamed(stem, NULL, 0, SIZE_MAX, find_plain, t, t->ncols) == (int)i) {
			buf_puts(&out, "cast ");
			put_quoted(&out, stem, '"');
			buf_printf(&out, " %s\n", PQgetvalue(res, 0, 0));
		}
		free(stem);
		PQclear(res);
	}
	/* enum types used by the columns (directly, through domains, or as array elements) */
	if (ok) {
		res = pgconn_query(
			c, SIDE,
			"WITH RECURSIVE ty(oid) AS ("
			" SELECT a.atttypid FROM pg_catalog.pg_attribute a"
			"  WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''"
			" UNION SELECT CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.typelem END"
			"  FROM ty JOIN pg_catalog.pg_type t ON t.oid = ty.oid"
			"  WHERE t.typtype = 'd' OR (t.typcategory = 'A' AND t.typelem <> 0))"
			"SELECT pg_catalog.format_type(t.oid, NULL), e.enumlabel"
			" FROM ty JOIN pg_catalog.pg_type t ON t.oid = ty.oid AND t.typtype = 'e'"
			" JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid"
			" ORDER BY 1, e.enumsortorder",
			1, params);
		if (!res) {
			ok = false;
		} else {
			const char *cur = NULL;
			for (int i = 0; i < PQntuples(res); i++) {
				const char *name = PQgetvalue(res, i, 0);
				if (!cur || strcmp(cur, name) != 0) {
					if (cur)
						buf_putc(&out, '\n');
					buf_printf(&out, "enum %s", name);
					cur = name;
				}
				buf_putc(&out, ' ');
				put_quoted(&out, PQgetvalue(res, i, 1), '\'');
			}
			if (cur)
				buf_putc(&out, '\n');
			PQclear(res);
		}
	}
	if (ok && (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0)) {
		log_errno("stdout: write failed");
		ok = false;
	}
	buf_free(&out);
	return ok;
}

/* ---------------------------------------------------------------- checkpoints */

#define CHECKPOINT_TABLE STATE_CHECKPOINTS

bool checkpoint_table_exists(PGconn *c, bool *exists)
{
	/* a schema of that name that is not the tools' is refused here, not met later as an obscure error */
	if (!state_schema_check(c, SIDE, exists))
		return false;
	if (!*exists)
		return true;
	PGresult *res = pgconn_query(c, SIDE, "SELECT pg_catalog.to_regclass('" CHECKPOINT_TABLE "') IS NOT NULL", 0,
	                             NULL);
	if (!res)
		return false;
	*exists = is_t(PQgetvalue(res, 0, 0));
	PQclear(res);
	return true;
}

bool checkpoint_ensure_table(PGconn *c)
{
	bool exists;
	if (!checkpoint_table_exists(c, &exists))
		return false;
	if (exists)
		return true;
	/* concurrent pg-loads (parallel tables) must not race on creating the schema and the table */
	bool schema = false;
	bool began = begin_locked(c, CHECKPOINT_TABLE);
	bool ok = began && state_schema_check(c, SIDE, &schema) && (schema || state_schema_create(c, SIDE));
	ok = ok && pgconn_exec(
		c, SIDE,
		"CREATE TABLE IF NOT EXISTS " CHECKPOINT_TABLE " (\n"
		"  target_schema text NOT NULL,\n"
		"  target_table text NOT NULL,\n"
		"  chunk text NOT NULL DEFAULT '',\n"
		"  target_oid oid NOT NULL,\n"
		"  last_key text,\n"
		"  rows_loaded bigint NOT NULL DEFAULT 0,\n"
		"  rows_rejected bigint NOT NULL DEFAULT 0,\n"
		"  batches bigint NOT NULL DEFAULT 0,\n"
		"  complete boolean NOT NULL DEFAULT false,\n"
		"  source text,\n"
		"  load_id text,\n"
		"  updated_at timestamptz NOT NULL DEFAULT now(),\n"
		"  PRIMARY KEY (target_schema, target_table, chunk)\n"
		");\n"
		"COMMENT ON TABLE " CHECKPOINT_TABLE " IS '" STATE_CHECKPOINTS_COMMENT "'");
	return began && end_locked(c, ok);
}

/* sql about the checkpoints of t ($1, $2: its schema and table, $3: chunk) when the
 * checkpoints table exists: *res its result, NULL when there is no such table; false
 * (logged) on error */
static bool checkpoint_query(PGconn *c, const target *t, const char *chunk, const char *sql, PGresult **res)
{
	*res = NULL;
	bool exists;
	if (!checkpoint_table_exists(c, &exists))
		return false;
	if (!exists)
		return true;
	const char *params[] = {t->schema, t->table, chunk};
	*res = pgconn_query(c, SIDE, sql, 3, params);
	return *res != NULL;
}

bool checkpoint_read(PGconn *c, const target *t, const char *chunk, checkpoint *cp)
{
	memset(cp, 0, sizeof *cp);
	PGresult *res;
	if (!checkpoint_query(c, t, chunk,
	                      "SELECT target_oid, last_key, rows_loaded, rows_rejected, batches, complete, "
	                      "load_id, updated_at::text, source FROM " CHECKPOINT_TABLE
	                      " WHERE target_schema = $1 AND target_table = $2 AND chunk = $3",
	                      &res))
		return false;
	if (res && PQntuples(res) == 1) {
		cp->exists = true;
		cp->valid = oid_of(PQgetvalue(res, 0, 0)) == t->oid;
		cp->has_key = !PQgetisnull(res, 0, 1);
		cp->last_key = mem_strdup(PQgetvalue(res, 0, 1));
		cp->rows = strtoull(PQgetvalue(res, 0, 2), NULL, 10);
		cp->rejected = strtoull(PQgetvalue(res, 0, 3), NULL, 10);
		cp->batches = strtoull(PQgetvalue(res, 0, 4), NULL, 10);
		cp->complete = is_t(PQgetvalue(res, 0, 5));
		cp->load_id = mem_strdup(PQgetvalue(res, 0, 6));
		cp->updated_at = mem_strdup(PQgetvalue(res, 0, 7));
		cp->source = mem_strdup(PQgetvalue(res, 0, 8));
	}
	PQclear(res);
	return true;
}

void checkpoint_free(checkpoint *cp)
{
	free(cp->last_key);
	free(cp->load_id);
	free(cp->updated_at);
	free(cp->source);
	memset(cp, 0, sizeof *cp);
}

bool checkpoint_delete(PGconn *c, const target *t, const char *chunk)
{
	PGresult *res;
	bool ok = checkpoint_query(c, t, chunk,
	                           "DELETE FROM " CHECKPOINT_TABLE " WHERE target_schema = $1 AND target_table = $2 "
	                           "AND ($3::text IS NULL OR chunk = $3)",
	                           &res);
	PQclear(res);
	return ok;
}

bool checkpoint_lock(PGconn *c, const target *t, const char *chunk, bool *got)
{
	buf k;
	buf_init(&k);
	buf_printf(&k, "%s/%s", t->qname, chunk);
	const char *params[] = {buf_cstr(&k)};
	PGresult *res = pgconn_query(
		c, SIDE, "SELECT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtext('" CHECKPOINT_TABLE "'), pg_catalog.hashtext($1))",
		1, params);
	buf_free(&k);
	if (!res)
		return false;
	*got = is_t(PQgetvalue(res, 0, 0));
	PQclear(res);
	return true;
}
