/*
 * ddl.c - decides the DDL: each MySQL object's PostgreSQL form.
 *
 * Column types come from typemap_lookup() (the one type map row-convert uses
 * too), with the rules that apply to the table: `cast COLUMN TYPE` lines apply
 * to every table with that column, `cast TABLE.COLUMN TYPE` to one table.
 * Expressions (defaults, generated columns, checks, views) go through myexpr.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonb.h"
#include "log.h"
#include "myconn.h"
#include "pgquote.h"
#include "schema.h"

/* ---------------------------------------------------------------- helpers */

static myexpr_type xtype_of(const typemap_result *tm)
{
	switch (tm->pg) {
	case TM_PG_BOOL: return MYEXPR_BOOL;
	case TM_PG_INT2:
	case TM_PG_INT4:
	case TM_PG_INT8: return MYEXPR_INT;
	case TM_PG_NUMERIC: return MYEXPR_NUMERIC;
	case TM_PG_FLOAT4:
	case TM_PG_FLOAT8: return MYEXPR_FLOAT;
	case TM_PG_DATE: return MYEXPR_DATE;
	case TM_PG_TIMESTAMP:
	case TM_PG_TIMESTAMPTZ: return MYEXPR_TIMESTAMP;
	case TM_PG_INTERVAL:
	case TM_PG_TIME: return MYEXPR_INTERVAL;
	case TM_PG_TEXT:
	case TM_PG_VARCHAR:
	case TM_PG_BPCHAR: return MYEXPR_TEXT;
	case TM_PG_BYTEA: return MYEXPR_BYTES;
	case TM_PG_JSON:
	case TM_PG_JSONB: return MYEXPR_JSON;
	default: return MYEXPR_OTHER;
	}
}

static bool is_text_pg(typemap_pg pg)
{
	return pg == TM_PG_TEXT || pg == TM_PG_VARCHAR || pg == TM_PG_BPCHAR;
}

static void obj_name(char *out, size_t n, const char *kind, const sc_table *t, const char *sub)
{
	if (sub)
		snprintf(out, n, "%s %s.%s", kind, t->name, sub);
	else
		snprintf(out, n, "%s %s", kind, t->name);
}

static bool has_ci(const char *hay, const char *needle)
{
	return hay && strcasestr(hay, needle) != NULL;
}

/* a name under the policy, as written in SQL */
static void put_policy(const sc_db *d, buf *out, const char *mysql_name)
{
	char *n = names_policy(d, mysql_name, false);
	names_put(d, out, n);
	free(n);
}

/* ---------------------------------------------------------------- rules per table */

static void build_overrides(const sc_db *d, sc_table *t)
{
	const typemap_overrides *g = &d->opts->ov;
	for (size_t i = 0; i < g->nenums; i++)
		typemap_overrides_add_enum(&t->ov, g->enums[i].name, g->enums[i].labels, g->enums[i].nlabels);
	size_t tl = strlen(t->name);
	for (size_t i = 0; i < g->ncasts; i++) {
		const char *col = g->casts[i].column;
		/* an exact column name first: MySQL column names may contain dots */
		if (names_find_col(t, col) >= 0 && strchr(col, '.') == NULL) {
			typemap_overrides_add_cast(&t->ov, col, g->casts[i].type);
			continue;
		}
		if (strncmp(col, t->name, tl) == 0 && col[tl] == '.' && col[tl + 1])
			typemap_overrides_add_cast(&t->ov, col + tl + 1, g->casts[i].type);
		else if (!strchr(col, '.'))
			typemap_overrides_add_cast(&t->ov, col, g->casts[i].type);
	}
	t->ov.timezone = g->timezone ? mem_strdup(g->timezone) : NULL;
	if (!d->opts->postgis)
		return;
	/* --postgis: geometry columns not cast otherwise become geometry(Type[,SRID]) */
	for (size_t i = 0; i < t->ncols; i++) {
		const rs_column *hc = &t->hdr->cols[i];
		if (typemap_source(hc) != TM_SRC_GEOMETRY)
			continue;
		bool cast = false;
		for (size_t k = 0; k < t->ov.ncasts && !cast; k++)
			cast = strcmp(t->ov.casts[k].column, hc->name) == 0;
		if (cast)
			continue;
		static const char *const kinds[][2] = {
			{"point", "Point"}, {"linestring", "LineString"}, {"polygon", "Polygon"},
			{"multipoint", "MultiPoint"}, {"multilinestring", "MultiLineString"},
			{"multipolygon", "MultiPolygon"}, {"geometrycollection", "GeometryCollection"},
			{"geomcollection", "GeometryCollection"},
		};
		const char *dt = rs_column_attr(hc, "data_type");
		const char *kind = "Geometry";
		for (size_t k = 0; dt && k < sizeof kinds / sizeof *kinds; k++)
			if (strcasecmp(dt, kinds[k][0]) == 0)
				kind = kinds[k][1];
		const char *srid = rs_column_attr(hc, "srid");
		char type[96];
		if (srid && strcmp(srid, "0") != 0)
			snprintf(type, sizeof type, "geometry(%s,%s)", kind, srid);
		else if (strcmp(kind, "Geometry") != 0)
			snprintf(type, sizeof type, "geometry(%s)", kind);
		else
			snprintf(type, sizeof type, "geometry");
		typemap_overrides_add_cast(&t->ov, hc->name, type);
	}
}

/* `json_valid(`col`)` as MariaDB shows the check of a JSON column: the column, or -1 */
static int json_check_column(const sc_table *t, const char *clause)
{
	static const char pre[] = "json_valid(`";
	size_t n = strlen(clause);
	if (strncasecmp(clause, pre, sizeof pre - 1) != 0 || n < sizeof pre + 2 || strcmp(clause + n - 2, "`)") != 0)
		return -1;
	char *name = mem_strndup(clause + sizeof pre - 1, n - (sizeof pre - 1) - 2);
	int c = strchr(name, '`') ? -1 : names_find_col(t, name);
	free(name);
	return c;
}

/* an enum type name as written in the rules, schema-qualified unless it already is */
static char *qualified_type(const sc_db *d, const char *name)
{
	bool q = false, dot = false;
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			q = !q;
		else if (*p == '.' && !q)
			dot = true;
	}
	buf b;
	buf_init(&b);
	if (!dot) {
		names_put(d, &b, d->schema);
		buf_putc(&b, '.');
	}
	buf_puts(&b, name);
	char *s = mem_strdup(buf_cstr(&b));
	buf_free(&b);
	return s;
}

static void register_enum(sc_db *d, sc_table *t, sc_col *c)
{
	const typemap_enum *e = c->tm.pg_enum;
	char **labels = e ? e->labels : c->my->members;
	size_t n = e ? e->nlabels : c->my->nmembers;
	c->enum_type = qualified_type(d, c->tm.pg_type);
	char what[512];
	obj_name(what, sizeof what, "column", t, c->my->name);
	if (e) {
		for (size_t k = 0; k < c->my->nmembers; k++) {
			bool found = false;
			for (size_t j = 0; j < n && !found; j++)
				found = strcmp(labels[j], c->my->members[k]) == 0;
			if (!found)
				report_add(d->rep, REP_APPROXIMATE, what, NULL,
				           "ENUM member '%s' is not a label of %s: rows with it will be rejected",
				           c->my->members[k], c->tm.pg_type);
		}
	}
	for (size_t i = 0; i < d->nenums; i++) {
		sc_enum_type *x = &d->enums[i];
		if (strcmp(x->sql_name, c->enum_type) != 0)
			continue;
		bool same = x->n == n;
		for (size_t k = 0; same && k < n; k++)
			same = strcmp(x->labels[k], labels[k]) == 0;
		if (!same) {
			log_error("column %s.%s: enum type %s already has other labels (from %s); declare its labels with an "
			          "enum line in the rules",
			          t->name, c->my->name, c->tm.pg_type, x->first_col);
			t->failed = true;
		}
		return;
	}
	d->enums = mem_realloc(d->enums, (d->nenums + 1) * sizeof *d->enums);
	sc_enum_type *x = &d->enums[d->nenums++];
	x->sql_name = mem_strdup(c->enum_type);
	x->n = n;
	x->labels = mem_alloc((n ? n : 1) * sizeof *x->labels);
	for (size_t k = 0; k < n; k++)
		x->labels[k] = mem_strdup(labels[k]);
	char col[512];
	snprintf(col, sizeof col, "%s.%s", t->name, c->my->name);
	x->first_col = mem_strdup(col);
}

/* text in a character set other than UTF-8 and latin1/ascii: its MySQL collation compares by
 * that set's rules, PostgreSQL compares the converted UTF-8 text by its own: a report note */
static void collation_note(sc_db *d, const sc_table *t, const sc_col *c)
{
	charset_id cs = charset_from_name(c->my->charset);
	if (!c->my->collation || !charset_is_text(cs) || cs == CHARSET_UTF8MB4 || cs == CHARSET_UTF8MB3 ||
	    cs == CHARSET_LATIN1 || cs == CHARSET_ASCII || c->tm.src != TM_SRC_TEXT || c->tm.pg == TM_PG_BYTEA)
		return;
	size_t n = strlen(c->my->collation);
	bool bin = n > 4 && strcmp(c->my->collation + n - 4, "_bin") == 0;
	char what[512];
	obj_name(what, sizeof what, "column", t, c->my->name);
	if (bin)
		report_add(d->rep, REP_APPROXIMATE, what, NULL,
		           "collation %s orders by the bytes of %s; PostgreSQL orders the UTF-8 text by its own "
		           "collation (ORDER BY, ranges and key order may differ)",
		           c->my->collation, c->my->charset);
	else
		report_add(d->rep, REP_APPROXIMATE, what, NULL,
		           "collation %s compares case-insensitively by the rules of %s; PostgreSQL compares the "
		           "UTF-8 text case-sensitively by its own collation (=, UNIQUE and ORDER BY may differ)",
		           c->my->collation, c->my->charset);
}

static void map_types(sc_db *d, sc_table *t)
{
	build_overrides(d, t);
	for (size_t i = 0; i < t->ncols; i++) {
		sc_col *c = &t->cols[i];
		c->tm_ok = typemap_lookup(&t->hdr->cols[i], &t->ov, &c->tm);
		if (!c->tm_ok) {
			/* a view's column types are only hints: its reason is not reported */
			if (!t->is_view) {
				char what[512];
				obj_name(what, sizeof what, "table", t, NULL);
				report_add(d->rep, REP_NOT_CONVERTED, what, NULL, "column %s: %s", c->my->name, c->tm.why);
				t->failed = true;
			}
			c->xt = MYEXPR_UNKNOWN;
			continue;
		}
		c->xt = xtype_of(&c->tm);
		if (c->tm.pg == TM_PG_ENUM && !t->is_view)
			register_enum(d, t, c);
		if (!t->is_view)
			collation_note(d, t, c);
	}
}

/* ---------------------------------------------------------------- expressions */

typedef struct xctx {
	sc_db *d;
	sc_table *t;       /* the table (table contexts) or the view being translated */
	bool generated;    /* refuse references to generated columns */
} xctx;

static bool table_column(void *arg, const char *table, const char *col, buf *out, myexpr_type *type, bool *refused,
                         buf *why)
{
	xctx *x = arg;
	sc_table *t = x->t;
	if (table && strcmp(table, t->name) != 0) {
		t = catalog_find(x->d, table);
		if (!t)
			return false;
	}
	int k = names_find_col(t, col);
	if (k < 0)
		return false;
	sc_col *c = &t->cols[k];
	if (x->generated && c->generated) {
		*refused = true;
		buf_printf(why, "uses generated column %s (PostgreSQL does not allow that)", c->my->name);
		return false;
	}
	names_put(x->d, out, c->pg);
	*type = c->xt;
	return true;
}

static bool view_table(void *arg, const char *db, const char *table, buf *qualified, buf *bare, buf *why)
{
	xctx *x = arg;
	if (db && strcmp(db, x->d->db) != 0) {
		buf_printf(why, "reads %s.%s, in another database", db, table);
		return false;
	}
	sc_table *t = catalog_find(x->d, table);
	if (!t) {
		buf_printf(why, "reads %s, which is not in the database", table);
		return false;
	}
	if (t->skip || t->failed) {
		buf_printf(why, "reads %s, which is not converted", table);
		return false;
	}
	if (t->is_view) {
		if (t == x->t) {
			buf_puts(why, "reads itself");
			return false;
		}
		size_t idx = (size_t)(t - x->d->tables);
		x->t->deps = mem_realloc(x->t->deps, (x->t->ndeps + 1) * sizeof *x->t->deps);
		x->t->deps[x->t->ndeps++] = idx;
	}
	names_put_qualified(x->d, qualified, t->pg);
	names_put(x->d, bare, t->pg);
	return true;
}

static void policy_alias(void *arg, const char *name, buf *out)
{
	xctx *x = arg;
	put_policy(x->d, out, name);
}

static void view_item_name(void *arg, size_t index, const char *mysql_name, buf *out)
{
	xctx *x = arg;
	if (index < x->t->ncols)
		names_put(x->d, out, x->t->cols[index].pg);
	else if (mysql_name)
		put_policy(x->d, out, mysql_name);
}

static void env_for_table(myexpr_env *env, xctx *x, myexpr_context ctx, myexpr_type target)
{
	memset(env, 0, sizeof *env);
	env->context = ctx;
	env->target = target;
	env->arg = x;
	env->column = table_column;
	env->table = view_table;
	env->alias = policy_alias;
}

static void report_notes(sc_db *d, const char *what, const myexpr_result *r, const char *sql)
{
	if (r->notes.len)
		report_add(d->rep, REP_APPROXIMATE, what, sql, "%s", (const char *)r->notes.data);
}

/* ---------------------------------------------------------------- defaults */

static bool is_number(const char *s)
{
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return *p == 0;
}

/* 'text' as a whole, quotes doubled or backslash-escaped inside */
static bool is_quoted(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || s[0] != '\'' || s[n - 1] != '\'')
		return false;
	for (size_t i = 1; i < n - 1; i++) {
		if (s[i] == '\\') {
			i++;
			continue;
		}
		if (s[i] == '\'') {
			if (s[i + 1] != '\'' || i + 1 == n - 1)
				return false;
			i++;
		}
	}
	return true;
}

/* b'0101' */
static bool is_bits(const char *s, const char **digits, size_t *n)
{
	size_t len = strlen(s);
	if (len < 3 || (s[0] != 'b' && s[0] != 'B') || s[1] != '\'' || s[len - 1] != '\'')
		return false;
	for (size_t i = 2; i < len - 1; i++)
		if (s[i] != '0' && s[i] != '1')
			return false;
	*digits = s + 2;
	*n = len - 3;
	return true;
}

/* a zero or partial date: year, month or day 0 */
static bool zero_date(const char *s)
{
	int y, m, dd;
	if (sscanf(s, "%d-%d-%d", &y, &m, &dd) != 3)
		return false;
	return y == 0 || m == 0 || dd == 0;
}

static void put_bits(buf *out, const char *digits, size_t n, int width)
{
	/* drop leading zeros beyond the width, pad to it */
	while (width > 0 && n > (size_t)width && *digits == '0') {
		digits++;
		n--;
	}
	buf_puts(out, "B'");
	for (int k = (int)n; k < width; k++)
		buf_putc(out, '0');
	buf_append(out, digits, n);
	buf_putc(out, '\'');
}

static bool bits_value(const char *digits, size_t n, unsigned long long *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (*v >> 63)
			return false;
		*v = *v << 1 | (unsigned long long)(digits[i] - '0');
	}
	return true;
}

/* the PostgreSQL form of a MySQL literal default value; false when it has none (reported) */
/* appends a default's string literal; false (reported) when it holds a NUL byte */
static bool put_literal(sc_db *d, const char *what, const char *raw, buf *out, const char *s, size_t n)
{
	if (pgquote_literal(out, s, n))
		return true;
	report_add(d->rep, REP_NOT_CONVERTED, what, raw, "default holds a NUL character: no default");
	return false;
}

static bool literal_default(sc_db *d, sc_table *t, sc_col *c, const char *val, size_t vlen, bool numeric_text,
                            buf *out, const char *what)
{
	const char *raw = c->my->column_default;
	switch (c->tm.pg) {
	case TM_PG_BOOL:
		if (is_number(val)) {
			double v = strtod(val, NULL);
			if (v != 0 && v != 1)
				report_add(d->rep, REP_APPROXIMATE, what, raw, "default %s taken as true", val);
			buf_puts(out, v != 0 ? "true" : "false");
			return true;
		}
		break;
	case TM_PG_INT2:
	case TM_PG_INT4:
	case TM_PG_INT8:
	case TM_PG_NUMERIC:
	case TM_PG_FLOAT4:
	case TM_PG_FLOAT8:
		if (is_number(val)) {
			buf_puts(out, val);
			return true;
		}
		break;
	case TM_PG_DATE:
	case TM_PG_TIMESTAMP:
	case TM_PG_TIMESTAMPTZ:
		if (zero_date(val)) {
			report_add(d->rep, REP_NOT_CONVERTED, what, raw,
			           "default '%s' (a zero date) has no PostgreSQL value: no default", val);
			return false;
		}
		if (c->tm.pg == TM_PG_TIMESTAMPTZ) {
			/* DATETIME is wall-clock time in the source time zone (default UTC, as row-convert);
			 * TIMESTAMP defaults are shown in our session's time zone, UTC */
			const char *tz = c->tm.src == TM_SRC_DATETIME && t->ov.timezone ? t->ov.timezone : "UTC";
			buf v;
			buf_init(&v);
			buf_printf(&v, "%s %s", val, tz);
			bool ok = put_literal(d, what, raw, out, (const char *)v.data, v.len);
			buf_free(&v);
			return ok;
		}
		return put_literal(d, what, raw, out, val, vlen);
	case TM_PG_TEXT_ARRAY: {
		buf_puts(out, "ARRAY[");
		const char *p = val, *end = val + vlen;
		size_t k = 0;
		while (vlen && p <= end) {
			const char *comma = memchr(p, ',', (size_t)(end - p));
			const char *e = comma ? comma : end;
			if (k++)
				buf_puts(out, ", ");
			if (!put_literal(d, what, raw, out, p, (size_t)(e - p)))
				return false;
			p = e + 1;
		}
		buf_puts(out, "]::text[]");
		return true;
	}
	case TM_PG_BYTEA: {
		if (numeric_text)
			break;
		/* information_schema shows bytes that are not valid UTF-8 as '?': only trust ASCII without '?' */
		for (size_t i = 0; i < vlen; i++) {
			unsigned char ch = (unsigned char)val[i];
			if (ch >= 0x80 || ch == '?') {
				report_add(d->rep, REP_NOT_CONVERTED, what, raw,
				           "default of a binary column cannot be read exactly from information_schema: no default");
				return false;
			}
		}
		buf bytes;
		buf_init(&bytes);
		buf_append(&bytes, val, vlen);
		long width = strcmp(c->my->data_type, "binary") == 0 && c->my->char_max_length
		                 ? strtol(c->my->char_max_length, NULL, 10)
		                 : 0;
		while ((long)bytes.len < width)
			buf_putc(&bytes, 0); /* BINARY(n) pads with zero bytes */
		pgquote_bytea(out, bytes.data, bytes.len);
		buf_free(&bytes);
		return true;
	}
	case TM_PG_JSONB:
	case TM_PG_JSON: {
		buf canon;
		buf_init(&canon);
		const char *err = NULL;
		bool valid = jsonb_canonical((const uint8_t *)val, vlen, &canon, &err);
		buf_free(&canon);
		if (!valid) {
			report_add(d->rep, REP_NOT_CONVERTED, what, raw, "default is not valid JSON (%s): no default", err);
			return false;
		}
		return put_literal(d, what, raw, out, val, vlen);
	}
	case TM_PG_BIT:
	case TM_PG_VARBIT:
		break;
	case TM_PG_ENUM:
		for (size_t i = 0; i < d->nenums; i++) {
			const sc_enum_type *e = &d->enums[i];
			if (!c->enum_type || strcmp(e->sql_name, c->enum_type) != 0)
				continue;
			bool found = false;
			for (size_t k = 0; k < e->n && !found; k++)
				found = strlen(e->labels[k]) == vlen && memcmp(e->labels[k], val, vlen) == 0;
			if (!found) {
				report_add(d->rep, REP_NOT_CONVERTED, what, raw, "default '%s' is not a label of %s: no default", val,
				           c->tm.pg_type);
				return false;
			}
		}
		return put_literal(d, what, raw, out, val, vlen);
	default:
		return put_literal(d, what, raw, out, val, vlen);
	}
	report_add(d->rep, REP_NOT_CONVERTED, what, raw, "default '%s' does not fit %s: no default", val, c->tm.pg_type);
	return false;
}

static void col_default(sc_db *d, sc_table *t, sc_col *c)
{
	const char *def = c->my->column_default;
	if (!def || c->auto_inc || c->generated)
		return;
	if (d->quoted_defaults && strcmp(def, "NULL") == 0)
		return;
	char what[512];
	obj_name(what, sizeof what, "default of column", t, c->my->name);
	const char *extra = c->my->extra ? c->my->extra : "";
	const char *digits;
	size_t nd;
	buf out, val;
	buf_init(&out);
	buf_init(&val);
	bool have = false, expression = false;
	if (is_bits(def, &digits, &nd)) {
		unsigned long long v;
		if (c->tm.pg == TM_PG_BOOL) {
			have = bits_value(digits, nd, &v);
			if (have)
				buf_puts(&out, v ? "true" : "false");
		} else if (c->tm.pg == TM_PG_BIT || c->tm.pg == TM_PG_VARBIT) {
			put_bits(&out, digits, nd, c->tm.pg == TM_PG_BIT ? c->tm.mod : 0);
			have = true;
		} else if (bits_value(digits, nd, &v)) {
			buf_printf(&val, "%llu", v);
			have = literal_default(d, t, c, buf_cstr(&val), val.len, true, &out, what);
		} else {
			report_add(d->rep, REP_NOT_CONVERTED, what, def, "bit value does not fit %s: no default", c->tm.pg_type);
		}
	} else if (d->quoted_defaults) {
		if (is_quoted(def)) {
			myexpr_unescape(&val, def + 1, strlen(def) - 2, '\'');
			have = literal_default(d, t, c, buf_cstr(&val), val.len, false, &out, what);
		} else if (is_number(def)) {
			have = literal_default(d, t, c, def, strlen(def), true, &out, what);
		} else {
			expression = true;
		}
	} else {
		/* MySQL: the value as text; expressions marked DEFAULT_GENERATED (8.0.13+) */
		if (has_ci(extra, "DEFAULT_GENERATED") || strncasecmp(def, "current_timestamp", 17) == 0)
			expression = true;
		else
			have = literal_default(d, t, c, def, strlen(def), is_number(def), &out, what);
	}
	if (expression) {
		xctx x = {d, t, false};
		myexpr_env env;
		env_for_table(&env, &x, MYEXPR_DEFAULT, c->xt);
		myexpr_result r;
		myexpr_result_init(&r);
		if (myexpr_translate(def, &env, &r)) {
			if (!r.atomic)
				buf_putc(&out, '(');
			buf_append(&out, r.sql.data, r.sql.len);
			if (!r.atomic)
				buf_putc(&out, ')');
			have = true;
			report_notes(d, what, &r, def);
		} else {
			report_add(d->rep, REP_NOT_CONVERTED, what, def, "%s: no default", (const char *)r.why.data);
		}
		myexpr_result_free(&r);
	}
	if (have)
		c->default_sql = mem_strdup(buf_cstr(&out));
	buf_free(&out);
	buf_free(&val);
}

/* ---------------------------------------------------------------- columns */

static void col_generated(sc_db *d, sc_table *t, sc_col *c)
{
	const char *expr = c->my->generation_expression;
	char what[512];
	obj_name(what, sizeof what, "generated column", t, c->my->name);
	c->gen_virtual = has_ci(c->my->extra, "VIRTUAL");
	xctx x = {d, t, true};
	myexpr_env env;
	env_for_table(&env, &x, MYEXPR_GENERATED, c->xt);
	myexpr_result r;
	myexpr_result_init(&r);
	if (myexpr_translate(expr, &env, &r)) {
		c->gen_sql = mem_strdup((const char *)r.sql.data);
		if (c->gen_virtual)
			report_add(d->rep, REP_APPROXIMATE, what, NULL, "VIRTUAL column is STORED (PostgreSQL 15 has no virtual "
			                                                "generated columns)");
		report_notes(d, what, &r, expr);
	} else {
		report_add(d->rep, REP_NOT_CONVERTED, what, expr, "expression not translated (%s): a plain column, filled "
		                                                  "from the source",
		           (const char *)r.why.data);
	}
	myexpr_result_free(&r);
}

static const char *int_max(typemap_pg pg)
{
	return pg == TM_PG_INT2 ? "32767" : pg == TM_PG_INT4 ? "2147483647" : "9223372036854775807";
}

/* a decimal string greater than another (both plain non-negative integers) */
static bool dec_greater(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	return la != lb ? la > lb : strcmp(a, b) > 0;
}

static void col_auto_inc(sc_db *d, sc_table *t, sc_col *c)
{
	char what[512];
	obj_name(what, sizeof what, "column", t, c->my->name);
	const char *ai = t->auto_increment;
	bool valid = ai && *ai && strspn(ai, "0123456789") == strlen(ai);
	if (c->tm.pg == TM_PG_INT2 || c->tm.pg == TM_PG_INT4 || c->tm.pg == TM_PG_INT8) {
		c->identity = true;
		if (valid && dec_greater(ai, int_max(c->tm.pg))) {
			report_add(d->rep, REP_APPROXIMATE, what, NULL, "AUTO_INCREMENT counter %s exceeds %s: identity starts "
			                                                "at its maximum",
			           ai, c->tm.pg_type);
			free(t->auto_increment);
			t->auto_increment = mem_strdup(int_max(c->tm.pg));
		}
	} else {
		char base[600];
		snprintf(base, sizeof base, "%s_%s", t->pg, c->pg);
		c->seq = names_make(d, &d->rel, base, "_seq", what, NULL);
		report_add(d->rep, REP_APPROXIMATE, what, NULL,
		           "AUTO_INCREMENT on %s: a bigint sequence (PostgreSQL identity columns are integers)",
		           c->tm.pg_type);
	}
}

static void domain_check(sc_db *d, sc_table *t, sc_col *c)
{
	bool set = c->tm.src == TM_SRC_SET && c->tm.pg == TM_PG_TEXT_ARRAY;
	bool en = c->tm.src == TM_SRC_ENUM && is_text_pg(c->tm.pg);
	if (!set && !en)
		return;
	buf b;
	buf_init(&b);
	names_put(d, &b, c->pg);
	buf_puts(&b, set ? " <@ ARRAY[" : " IN (");
	for (size_t k = 0; k < c->my->nmembers; k++) {
		if (k)
			buf_puts(&b, ", ");
		if (!pgquote_literal(&b, c->my->members[k], c->my->member_lens[k])) {
			/* a member with a NUL byte (PostgreSQL text cannot hold one): no CHECK */
			buf_free(&b);
			return;
		}
	}
	buf_puts(&b, set ? "]::text[]" : ")");
	c->domain_check = mem_strdup(buf_cstr(&b));
	buf_free(&b);
	char base[600];
	snprintf(base, sizeof base, "%s_%s", t->pg, c->pg);
	c->domain_check_name = names_make(d, &t->connames, base, "_check", NULL, NULL);
}

static void ddl_checks(sc_db *d, sc_table *t)
{
	for (size_t i = 0; i < t->nchecks; i++) {
		sc_check *k = &t->checks[i];
		char what[512];
		obj_name(what, sizeof what, "check constraint", t, k->name);
		int jc = json_check_column(t, k->clause);
		if (jc >= 0 && (t->cols[jc].tm.pg == TM_PG_JSONB || t->cols[jc].tm.pg == TM_PG_JSON)) {
			log_info("%s: dropped, %s validates JSON itself", what, t->cols[jc].tm.pg_type);
			continue;
		}
		xctx x = {d, t, false};
		myexpr_env env;
		env_for_table(&env, &x, MYEXPR_CHECK, MYEXPR_BOOL);
		myexpr_result r;
		myexpr_result_init(&r);
		if (myexpr_translate(k->clause, &env, &r)) {
			k->sql = mem_strdup((const char *)r.sql.data);
			report_notes(d, what, &r, k->clause);
			char *base = names_policy(d, k->name, false);
			if (k->column_level) {
				char b2[600];
				snprintf(b2, sizeof b2, "%s_%s", t->pg, base);
				k->pg = names_make(d, &t->connames, b2, "_check", what, NULL);
			} else {
				k->pg = names_make(d, &t->connames, base, NULL, what, NULL);
			}
			free(base);
		} else {
			report_add(d->rep, REP_NOT_CONVERTED, what, k->clause, "%s", (const char *)r.why.data);
		}
		myexpr_result_free(&r);
	}
}

/* ---------------------------------------------------------------- indexes */

static char *index_name(sc_db *d, sc_table *t, const sc_index *ix, const char *what)
{
	if (ix->primary)
		return names_make(d, &d->rel, t->pg, "_pkey", what, NULL);
	char *base = names_policy(d, ix->name, false);
	char *name;
	if (names_has(&d->rel, base)) {
		/* MySQL index names are per table, PostgreSQL's per schema */
		char b2[600];
		snprintf(b2, sizeof b2, "%s_%s", t->pg, base);
		name = names_make(d, &d->rel, b2, NULL, what, NULL);
	} else {
		name = names_make(d, &d->rel, base, NULL, what, NULL);
	}
	free(base);
	return name;
}

/* one key part; false when it cannot be expressed (reported) */
static bool index_part(sc_db *d, sc_table *t, const sc_part *p, buf *out, bool *approx, const char *what)
{
	if (p->col < 0) {
		if (!p->expr) {
			report_add(d->rep, REP_NOT_CONVERTED, what, NULL, "a key part is not a column of the table");
			return false;
		}
		xctx x = {d, t, false};
		myexpr_env env;
		env_for_table(&env, &x, MYEXPR_GENERATED, MYEXPR_UNKNOWN);
		myexpr_result r;
		myexpr_result_init(&r);
		bool ok = myexpr_translate(p->expr, &env, &r);
		if (ok) {
			buf_putc(out, '(');
			buf_append(out, r.sql.data, r.sql.len);
			buf_putc(out, ')');
			report_notes(d, what, &r, p->expr);
		} else {
			report_add(d->rep, REP_NOT_CONVERTED, what, p->expr, "functional key part: %s", (const char *)r.why.data);
		}
		myexpr_result_free(&r);
		return ok;
	}
	const sc_col *c = &t->cols[p->col];
	if (p->sub_part > 0) {
		if (is_text_pg(c->tm.pg)) {
			buf_puts(out, "left(");
			names_put(d, out, c->pg);
			buf_printf(out, ", %ld)", p->sub_part);
			*approx = true;
		} else if (c->tm.pg == TM_PG_BYTEA) {
			buf_puts(out, "substr(");
			names_put(d, out, c->pg);
			buf_printf(out, ", 1, %ld)", p->sub_part);
			*approx = true;
		} else {
			report_add(d->rep, REP_NOT_CONVERTED, what, NULL, "prefix key part on column %s of type %s",
			           c->my->name, c->tm.pg_type);
			return false;
		}
	} else {
		names_put(d, out, c->pg);
	}
	if (p->desc)
		buf_puts(out, " DESC");
	return true;
}

static void ddl_index(sc_db *d, sc_table *t, sc_index *ix)
{
	char what[512];
	obj_name(what, sizeof what, "index", t, ix->name);
	bool fulltext = strcasecmp(ix->type, "FULLTEXT") == 0;
	if (strcasecmp(ix->type, "SPATIAL") == 0 || strcasecmp(ix->type, "RTREE") == 0) {
		if (ix->n == 1 && ix->parts[0].col >= 0 && t->cols[ix->parts[0].col].tm_ok &&
		    t->cols[ix->parts[0].col].tm.pg == TM_PG_GEOMETRY) {
			/* --postgis: a GiST index */
			ix->pg = index_name(d, t, ix, what);
			buf s;
			buf_init(&s);
			buf_puts(&s, "CREATE INDEX ");
			names_put(d, &s, ix->pg);
			buf_puts(&s, " ON ");
			names_put_qualified(d, &s, t->pg);
			buf_puts(&s, " USING gist (");
			names_put(d, &s, t->cols[ix->parts[0].col].pg);
			buf_puts(&s, ");");
			ix->sql = mem_strdup(buf_cstr(&s));
			buf_free(&s);
			return;
		}
		report_add(d->rep, REP_NOT_CONVERTED, what, NULL,
		           "SPATIAL index: geometry columns are bytea (WKB) without PostGIS");
		ix->skip = true;
		return;
	}
	for (size_t k = 0; k < ix->n; k++)
		if (ix->parts[k].col >= 0 && !t->cols[ix->parts[k].col].tm_ok) {
			ix->skip = true;
			return;
		}
	buf cols;
	buf_init(&cols);
	bool approx = false, plain = true;
	for (size_t k = 0; k < ix->n; k++) {
		const sc_part *p = &ix->parts[k];
		if (p->sub_part > 0 || p->desc || p->col < 0)
			plain = false;
		if (fulltext) {
			if (p->col < 0 || !is_text_pg(t->cols[p->col].tm.pg)) {
				report_add(d->rep, REP_NOT_CONVERTED, what, NULL, "FULLTEXT index on a column that is not text");
				ix->skip = true;
				buf_free(&cols);
				return;
			}
			if (k)
				buf_puts(&cols, " || ' ' || ");
			if (ix->n > 1)
				buf_puts(&cols, "coalesce(");
			names_put(d, &cols, t->cols[p->col].pg);
			if (ix->n > 1)
				buf_puts(&cols, ", '')");
			continue;
		}
		if (k)
			buf_puts(&cols, ", ");
		if (!index_part(d, t, p, &cols, &approx, what)) {
			ix->skip = true;
			buf_free(&cols);
			return;
		}
	}
	ix->pg = index_name(d, t, ix, what);
	buf s;
	buf_init(&s);
	if (!fulltext && plain && (ix->primary || ix->unique)) {
		if (names_has(&t->connames, ix->pg)) {
			/* a check constraint of the table has that name */
			char *base = ix->pg;
			ix->pg = names_make(d, &d->rel, base, "_key", what, NULL);
			free(base);
		}
		names_add(&t->connames, ix->pg);
		buf_puts(&s, "ALTER TABLE ONLY ");
		names_put_qualified(d, &s, t->pg);
		buf_puts(&s, "\n    ADD CONSTRAINT ");
		names_put(d, &s, ix->pg);
		buf_printf(&s, " %s (", ix->primary ? "PRIMARY KEY" : "UNIQUE");
		buf_append(&s, cols.data, cols.len);
		buf_puts(&s, ");");
	} else {
		buf_printf(&s, "CREATE %sINDEX ", !fulltext && (ix->unique || ix->primary) ? "UNIQUE " : "");
		names_put(d, &s, ix->pg);
		buf_puts(&s, " ON ");
		names_put_qualified(d, &s, t->pg);
		if (fulltext) {
			buf_puts(&s, " USING gin (to_tsvector('simple'::regconfig, ");
			buf_append(&s, cols.data, cols.len);
			buf_puts(&s, "));");
			report_add(d->rep, REP_APPROXIMATE, what, NULL,
			           "FULLTEXT index: GIN index on to_tsvector('simple', ...); queries must use that expression "
			           "with @@ instead of MATCH ... AGAINST");
		} else {
			buf_puts(&s, " USING btree (");
			buf_append(&s, cols.data, cols.len);
			buf_puts(&s, ");");
		}
		if (ix->primary)
			report_add(d->rep, REP_APPROXIMATE, what, NULL,
			           "primary key with a prefix or descending part: a unique index, not a primary key");
	}
	if (approx)
		report_add(d->rep, REP_APPROXIMATE, what, NULL,
		           "prefix key part: expression index on left(column, n) (substr(column, 1, n) for bytea); queries "
		           "must use that expression to use it%s",
		           ix->unique ? " (uniqueness of the prefix is kept)" : "");
	ix->sql = mem_strdup(buf_cstr(&s));
	buf_free(&s);
	buf_free(&cols);
}

/* ---------------------------------------------------------------- foreign keys */

static bool unique_on(const sc_table *rt, int *cols, size_t n)
{
	for (size_t i = 0; i < rt->nidx; i++) {
		const sc_index *ix = &rt->idx[i];
		if (!(ix->primary || ix->unique) || ix->skip || ix->n != n || strcasecmp(ix->type, "FULLTEXT") == 0)
			continue;
		bool all = true;
		for (size_t k = 0; k < ix->n && all; k++) {
			const sc_part *p = &ix->parts[k];
			bool found = false;
			for (size_t j = 0; j < n && !found; j++)
				found = p->col == cols[j];
			all = found && p->sub_part == 0 && p->col >= 0;
		}
		if (all)
			return true;
	}
	return false;
}

static void ddl_fk(sc_db *d, sc_table *t, sc_fk *fk)
{
	char what[512];
	obj_name(what, sizeof what, "foreign key", t, fk->name);
	fk->skip = true;
	if (strcmp(fk->ref_db, d->db) != 0) {
		report_add(d->rep, REP_NOT_CONVERTED, what, NULL, "references %s.%s, in another database", fk->ref_db,
		           fk->ref_table);
		return;
	}
	sc_table *rt = catalog_find(d, fk->ref_table);
	if (!rt || rt->skip || rt->failed || rt->is_view) {
		report_add(d->rep, REP_NOT_CONVERTED, what, NULL, "references table %s, which is not converted",
		           fk->ref_table);
		return;
	}
	int *rc = mem_alloc(fk->n * sizeof *rc);
	bool ok = true;
	for (size_t k = 0; k < fk->n && ok; k++) {
		rc[k] = names_find_col(rt, fk->ref_cols[k]);
		ok = rc[k] >= 0 && names_find_col(t, fk->cols[k]) >= 0;
	}
	if (!ok)
		report_add(d->rep, REP_NOT_CONVERTED, what, NULL, "a column is missing");
	else if (!unique_on(rt, rc, fk->n)) {
		report_add(d->rep, REP_NOT_CONVERTED, what, NULL,
		           "the referenced columns of %s have no primary key or unique constraint (InnoDB allows that, "
		           "PostgreSQL does not)",
		           rt->name);
		ok = false;
	}
	free(rc);
	if (!ok)
		return;
	char *base = names_policy(d, fk->name, false);
	fk->pg = names_make(d, &t->connames, base, NULL, what, NULL);
	free(base);
	fk->skip = false;
}

/* ---------------------------------------------------------------- views */

static void translate_view(sc_db *d, sc_table *v)
{
	char what[512];
	obj_name(what, sizeof what, "view", v, NULL);
	if (!v->view_def || !*v->view_def) {
		report_add(d->rep, REP_NOT_CONVERTED, what, NULL,
		           "definition not visible (SHOW VIEW privilege needed on the source)");
		return;
	}
	xctx x = {d, v, false};
	myexpr_env env;
	env_for_table(&env, &x, MYEXPR_VIEW, MYEXPR_UNKNOWN);
	env.item_name = view_item_name;
	myexpr_result r;
	myexpr_result_init(&r);
	if (myexpr_translate_select(v->view_def, &env, &r)) {
		v->view_sql = mem_strdup((const char *)r.sql.data);
		report_notes(d, what, &r, NULL);
	} else {
		report_add(d->rep, REP_NOT_CONVERTED, what, v->view_def, "%s", (const char *)r.why.data);
	}
	myexpr_result_free(&r);
}

static void ddl_views(sc_db *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->tables[i].is_view && !d->tables[i].skip)
			translate_view(d, &d->tables[i]);
	/* a view reading a view that is not converted is not converted either */
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t i = 0; i < d->n; i++) {
			sc_table *v = &d->tables[i];
			if (!v->is_view || v->skip || !v->view_sql)
				continue;
			for (size_t k = 0; k < v->ndeps; k++) {
				sc_table *dep = &d->tables[v->deps[k]];
				if (!dep->view_sql) {
					char what[512];
					obj_name(what, sizeof what, "view", v, NULL);
					report_add(d->rep, REP_NOT_CONVERTED, what, v->view_def, "reads view %s, which is not converted",
					           dep->name);
					free(v->view_sql);
					v->view_sql = NULL;
					changed = true;
					break;
				}
			}
		}
	}
}

/* ---------------------------------------------------------------- tables */

static void ddl_table(sc_db *d, sc_table *t)
{
	char what[512];
	for (size_t i = 0; i < t->ncols; i++) {
		sc_col *c = &t->cols[i];
		c->generated = c->my->generated;
		c->auto_inc = has_ci(c->my->extra, "auto_increment");
		c->on_update = has_ci(c->my->extra, "on update current_timestamp");
	}
	for (size_t i = 0; i < t->ncols; i++) {
		sc_col *c = &t->cols[i];
		if (!c->tm_ok)
			continue;
		if (c->tm.cast) {
			obj_name(what, sizeof what, "column", t, c->my->name);
			log_info("%s: %s -> %s (rules)", what, c->my->column_type, c->tm.pg_type);
		}
		if (c->auto_inc)
			col_auto_inc(d, t, c);
		if (c->generated)
			col_generated(d, t, c);
		col_default(d, t, c);
		domain_check(d, t, c);
		if (has_ci(c->my->extra, "INVISIBLE")) {
			obj_name(what, sizeof what, "column", t, c->my->name);
			report_add(d->rep, REP_APPROXIMATE, what, NULL, "INVISIBLE column is visible in PostgreSQL");
		}
		if (c->on_update && !t->trig_fn) {
			t->trig_fn = names_make(d, &d->funcs, t->pg, "_on_update", NULL, NULL);
			t->trig_name = names_make(d, &t->connames, t->pg, "_on_update", NULL, NULL);
		}
	}
	ddl_checks(d, t);
	for (size_t i = 0; i < t->nidx; i++)
		ddl_index(d, t, &t->idx[i]);
	if (t->partition) {
		obj_name(what, sizeof what, "table", t, NULL);
		report_add(d->rep, REP_APPROXIMATE, what, NULL, "partitioned by %s: one table in PostgreSQL",
		           t->partition);
	}
}

void ddl_decide(sc_db *d)
{
	names_schema(d);
	for (size_t i = 0; i < d->n; i++)
		if (!d->tables[i].skip)
			map_types(d, &d->tables[i]);
	names_assign(d);
	for (size_t i = 0; i < d->n; i++) {
		sc_table *t = &d->tables[i];
		if (t->skip || t->is_view)
			continue;
		if (t->failed) {
			d->failed = true;
			continue;
		}
		ddl_table(d, t);
	}
	for (size_t i = 0; i < d->n; i++) {
		sc_table *t = &d->tables[i];
		if (t->skip || t->is_view || t->failed)
			continue;
		for (size_t k = 0; k < t->nfks; k++)
			ddl_fk(d, t, &t->fks[k]);
	}
	ddl_views(d);
	for (size_t i = 0; i < d->ntriggers; i++) {
		char what[512];
		snprintf(what, sizeof what, "trigger %s (%s)", d->triggers[i].name, d->triggers[i].what);
		report_add(d->rep, REP_NOT_CONVERTED, what, d->triggers[i].sql, "triggers are not converted");
	}
	for (size_t i = 0; i < d->nroutines; i++) {
		char what[512];
		snprintf(what, sizeof what, "%s %s", d->routines[i].what, d->routines[i].name);
		for (char *p = what; *p && *p != ' '; p++)
			*p = (char)tolower((unsigned char)*p);
		report_add(d->rep, REP_NOT_CONVERTED, what, d->routines[i].sql, "stored routines are not converted");
	}
	for (size_t i = 0; i < d->nevents; i++) {
		char what[512];
		snprintf(what, sizeof what, "event %s (%s)", d->events[i].name, d->events[i].what);
		report_add(d->rep, REP_NOT_CONVERTED, what, d->events[i].sql, "events are not converted");
	}
	for (size_t i = 0; i < d->n; i++)
		if (d->tables[i].failed)
			d->failed = true;
}
