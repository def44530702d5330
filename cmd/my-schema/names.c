/*
 * names.c - PostgreSQL names for MySQL objects.
 *
 * Policy --identifiers lower (default): a MySQL name becomes its lowercase form
 * (ASCII letters only, as PostgreSQL folds), written bare when it is a safe
 * identifier and not a keyword, double-quoted otherwise; names that would
 * collide once lowercased (tables `Mixed` and `mixed`; columns cannot, MySQL
 * compares them without case) keep their case and are always quoted.
 * Policy preserve: names keep their case and are always quoted.
 *
 * Names PostgreSQL refuses follow the one rule of common/pgname.h (which
 * pg-load follows too): a table column named like a system column (xmin, ctid,
 * ...) gets '_' appended until no other column has its name; a schema derived
 * from a database named pg_... or like the tools' state schema gets the prefix
 * my_.
 *
 * Names longer than 63 bytes are shortened (pgquote_shorten); a name already
 * taken in its namespace gets a suffix _2, _3... Namespaces: the schema's
 * relations (tables, views, indexes, sequences, enum types), functions, and per
 * table its columns and its constraints. Objects are named in a fixed order
 * (tables and views by MySQL name, then per table in a fixed order), so the
 * same catalog always gives the same names.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <xxhash.h>

#include "log.h"
#include "pgname.h"
#include "pgquote.h"
#include "schema.h"

void names_init(names *ns)
{
	memset(ns, 0, sizeof *ns);
}

void names_free(names *ns)
{
	for (size_t i = 0; i < ns->cap; i++)
		free(ns->slots[i]);
	free(ns->slots);
	memset(ns, 0, sizeof *ns);
}

static size_t slot_of(const names *ns, const char *name)
{
	size_t i = (size_t)XXH3_64bits(name, strlen(name)) & (ns->cap - 1);
	while (ns->slots[i] && strcmp(ns->slots[i], name) != 0)
		i = (i + 1) & (ns->cap - 1);
	return i;
}

bool names_has(const names *ns, const char *name)
{
	return ns->cap && ns->slots[slot_of(ns, name)] != NULL;
}

void names_add(names *ns, const char *name)
{
	if ((ns->n + 1) * 2 > ns->cap) {
		names old = *ns;
		ns->cap = old.cap ? old.cap * 2 : 64;
		ns->slots = mem_calloc(ns->cap, sizeof *ns->slots);
		ns->n = 0;
		for (size_t i = 0; i < old.cap; i++) {
			if (old.slots[i]) {
				ns->slots[slot_of(ns, old.slots[i])] = old.slots[i];
				ns->n++;
			}
		}
		free(old.slots);
	}
	size_t i = slot_of(ns, name);
	if (!ns->slots[i]) {
		ns->slots[i] = mem_strdup(name);
		ns->n++;
	}
}

char *names_policy(const sc_db *d, const char *mysql_name, bool keep_case)
{
	if (d->opts->policy == IDENT_PRESERVE || keep_case)
		return mem_strdup(mysql_name);
	return pgquote_lower(mysql_name);
}

void names_put(const sc_db *d, buf *out, const char *pgname)
{
	if (d->opts->policy == IDENT_PRESERVE)
		pgquote_ident_quoted(out, pgname);
	else
		pgquote_ident(out, pgname);
}

void names_put_qualified(const sc_db *d, buf *out, const char *pgname)
{
	names_put(d, out, d->schema);
	buf_putc(out, '.');
	names_put(d, out, pgname);
}

char *names_make(sc_db *d, names *ns, const char *base, const char *suffix, const char *what, const char *extra)
{
	buf want;
	buf_init(&want);
	buf_puts(&want, base);
	if (suffix)
		buf_puts(&want, suffix);
	const char *w = buf_cstr(&want);
	char *name = pgquote_shorten(w, PGQUOTE_NAMEMAX);
	bool shortened = strcmp(name, w) != 0, taken = false;
	for (int k = 2; names_has(ns, name); k++) {
		taken = true;
		char sfx[16];
		snprintf(sfx, sizeof sfx, "_%d", k);
		/* the suffix must survive the 63-byte limit */
		char *cut = pgquote_shorten(w, PGQUOTE_NAMEMAX - strlen(sfx));
		free(name);
		name = mem_alloc(strlen(cut) + strlen(sfx) + 1);
		strcpy(name, cut);
		strcat(name, sfx);
		free(cut);
	}
	names_add(ns, name);
	if ((shortened || taken) && what)
		report_add(d->rep, REP_APPROXIMATE, what, NULL, "%s, named %s%s%s",
		           shortened ? "name longer than 63 bytes" : "name already used in PostgreSQL", name,
		           extra ? ": " : "", extra ? extra : "");
	buf_free(&want);
	return name;
}

int names_find_col(const sc_table *t, const char *mysql_name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].my->name, mysql_name) == 0)
			return (int)i;
	/* MySQL column names compare without case */
	for (size_t i = 0; i < t->ncols; i++)
		if (strcasecmp(t->cols[i].my->name, mysql_name) == 0)
			return (int)i;
	return -1;
}

/* marks the entries whose lowercase forms collide (keep_case) */
static void mark_collisions(char **lower, bool *keep, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k < n; k++)
			if (strcmp(lower[i], lower[k]) == 0)
				keep[i] = keep[k] = true;
}

static void assign_table(sc_db *d, sc_table *t)
{
	char what[512];
	snprintf(what, sizeof what, "%s %s", t->is_view ? "view" : "table", t->name);
	char *base = names_policy(d, t->name, t->keep_case);
	t->pg = names_make(d, &d->rel, base, NULL, what, NULL);
	free(base);

	/* columns: (with MySQL's case-insensitive names only shortening can collide) */
	char **lower = mem_calloc(t->ncols ? t->ncols : 1, sizeof *lower);
	bool *keep = mem_calloc(t->ncols ? t->ncols : 1, sizeof *keep);
	for (size_t i = 0; i < t->ncols; i++)
		lower[i] = pgquote_lower(t->cols[i].my->name);
	mark_collisions(lower, keep, t->ncols);
	for (size_t i = 0; i < t->ncols; i++) {
		sc_col *c = &t->cols[i];
		c->keep_case = keep[i];
		char cwhat[512];
		snprintf(cwhat, sizeof cwhat, "column %s.%s", t->name, c->my->name);
		char *cb = names_policy(d, c->my->name, c->keep_case);
		if (!t->is_view && pgname_is_system_column(cb)) {
			/* PostgreSQL refuses it: the rule of pgname.h, which pg-load follows */
			char *r = pgname_column(cb, (const char *const *)lower, t->ncols, i);
			report_add(d->rep, REP_APPROXIMATE, cwhat, NULL,
			           "%s is a PostgreSQL system column name, named %s (pg-load loads the stream's column %s "
			           "into it)",
			           c->my->name, r, c->my->name);
			free(cb);
			cb = r;
		}
		c->pg = names_make(d, &t->colnames, cb, NULL, cwhat,
		                   t->is_view ? NULL : "pg-load cannot match it to the stream's column by name");
		free(cb);
	}
	for (size_t i = 0; i < t->ncols; i++)
		free(lower[i]);
	free(lower);
	free(keep);
}

void names_schema(sc_db *d)
{
	if (d->opts->schema) {
		d->schema = mem_strdup(d->opts->schema); /* never reserved: my-schema.c refuses it */
	} else {
		d->schema = names_policy(d, d->db, false);
		if (pgname_schema_reserved(d->schema)) {
			/* pg_... is PostgreSQL's, rowstream the tools' state: the rule of pgname.h, which pg-load follows */
			char *r = pgname_schema(d->schema);
			report_add(d->rep, REP_APPROXIMATE, "schema", NULL,
			           "%s is %s, named %s (pg-load loads the stream's database %s into it)", d->schema,
			           pgname_equal(d->schema, PGNAME_STATE_SCHEMA) ? "the schema of the tools' own state"
			                                                         : "a name PostgreSQL reserves (pg_)",
			           r, d->db);
			free(d->schema);
			d->schema = r;
		}
	}
	if (strlen(d->schema) > PGQUOTE_NAMEMAX) {
		char *s = pgquote_shorten(d->schema, PGQUOTE_NAMEMAX);
		report_add(d->rep, REP_APPROXIMATE, "schema", NULL, "name longer than 63 bytes, shortened to %s", s);
		free(d->schema);
		d->schema = s;
	}
}

void names_assign(sc_db *d)
{
	/* tables and views: lowercase collisions keep their case */
	char **lower = mem_calloc(d->n ? d->n : 1, sizeof *lower);
	bool *keep = mem_calloc(d->n ? d->n : 1, sizeof *keep);
	for (size_t i = 0; i < d->n; i++)
		lower[i] = pgquote_lower(d->tables[i].name);
	mark_collisions(lower, keep, d->n);
	for (size_t i = 0; i < d->n; i++) {
		d->tables[i].keep_case = keep[i];
		free(lower[i]);
	}
	free(lower);
	free(keep);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < d->n; i++)
			if (!d->tables[i].skip && d->tables[i].is_view == (pass == 1))
				assign_table(d, &d->tables[i]);
	if (d->opts->policy == IDENT_LOWER)
		for (size_t i = 0; i < d->n; i++)
			if (d->tables[i].keep_case && !d->tables[i].skip)
			{
				char what[512];
				snprintf(what, sizeof what, "%s %s", d->tables[i].is_view ? "view" : "table", d->tables[i].name);
				report_add(d->rep, REP_APPROXIMATE, what, NULL,
				           "keeps its case (\"%s\"): another name differs from it only in case", d->tables[i].pg);
			}
}
