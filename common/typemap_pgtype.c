/* typemap_pgtype.c - PostgreSQL type names: the target side of the map (typemap.h) */
#include "typemap_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

/* ---------------------------------------------------------------- PostgreSQL types */

const char *typemap_pg_name(typemap_pg pg)
{
	static const char *const names[] = {
		[TM_PG_UNKNOWN] = "unknown", [TM_PG_BOOL] = "boolean", [TM_PG_INT2] = "smallint",
		[TM_PG_INT4] = "integer", [TM_PG_INT8] = "bigint", [TM_PG_NUMERIC] = "numeric",
		[TM_PG_FLOAT4] = "real", [TM_PG_FLOAT8] = "double precision", [TM_PG_DATE] = "date",
		[TM_PG_TIMESTAMP] = "timestamp without time zone",
		[TM_PG_TIMESTAMPTZ] = "timestamp with time zone", [TM_PG_INTERVAL] = "interval",
		[TM_PG_TIME] = "time without time zone", [TM_PG_BIT] = "bit", [TM_PG_VARBIT] = "bit varying",
		[TM_PG_TEXT] = "text", [TM_PG_VARCHAR] = "character varying", [TM_PG_BPCHAR] = "character",
		[TM_PG_BYTEA] = "bytea", [TM_PG_UUID] = "uuid", [TM_PG_JSONB] = "jsonb", [TM_PG_JSON] = "json",
		[TM_PG_TEXT_ARRAY] = "text[]", [TM_PG_INET] = "inet", [TM_PG_ENUM] = "enum",
		[TM_PG_GEOMETRY] = "geometry",
	};
	return (unsigned)pg < sizeof names / sizeof *names ? names[pg] : "unknown";
}

static uint32_t pg_oid(typemap_pg pg)
{
	switch (pg) {
	case TM_PG_BOOL: return PGOID_BOOL;
	case TM_PG_INT2: return PGOID_INT2;
	case TM_PG_INT4: return PGOID_INT4;
	case TM_PG_INT8: return PGOID_INT8;
	case TM_PG_NUMERIC: return PGOID_NUMERIC;
	case TM_PG_FLOAT4: return PGOID_FLOAT4;
	case TM_PG_FLOAT8: return PGOID_FLOAT8;
	case TM_PG_DATE: return PGOID_DATE;
	case TM_PG_TIMESTAMP: return PGOID_TIMESTAMP;
	case TM_PG_TIMESTAMPTZ: return PGOID_TIMESTAMPTZ;
	case TM_PG_INTERVAL: return PGOID_INTERVAL;
	case TM_PG_TIME: return PGOID_TIME;
	case TM_PG_BIT: return PGOID_BIT;
	case TM_PG_VARBIT: return PGOID_VARBIT;
	case TM_PG_TEXT: return PGOID_TEXT;
	case TM_PG_VARCHAR: return PGOID_VARCHAR;
	case TM_PG_BPCHAR: return PGOID_BPCHAR;
	case TM_PG_BYTEA: return PGOID_BYTEA;
	case TM_PG_UUID: return PGOID_UUID;
	case TM_PG_JSONB: return PGOID_JSONB;
	case TM_PG_JSON: return PGOID_JSON;
	case TM_PG_TEXT_ARRAY: return PGOID_TEXT_ARRAY;
	case TM_PG_INET: return PGOID_INET;
	default: return 0;
	}
}

/* fills pg_type (format_type() spelling) and oid from pg/mod/scale */
void typemap_set_target(typemap_result *r, typemap_pg pg, int32_t mod, int32_t scale)
{
	r->pg = pg;
	r->mod = mod;
	r->scale = scale;
	r->oid = pg_oid(pg);
	char *t = r->pg_type;
	size_t n = sizeof r->pg_type;
	switch (pg) {
	case TM_PG_NUMERIC:
		if (mod >= 0)
			snprintf(t, n, "numeric(%d,%d)", mod, scale);
		else
			snprintf(t, n, "numeric");
		break;
	case TM_PG_TIMESTAMP:
	case TM_PG_TIMESTAMPTZ:
		if (mod >= 0)
			snprintf(t, n, "timestamp(%d) %s time zone", mod, pg == TM_PG_TIMESTAMPTZ ? "with" : "without");
		else
			snprintf(t, n, "%s", typemap_pg_name(pg));
		break;
	case TM_PG_TIME:
		if (mod >= 0)
			snprintf(t, n, "time(%d) without time zone", mod);
		else
			snprintf(t, n, "time without time zone");
		break;
	case TM_PG_INTERVAL:
	case TM_PG_BIT:
	case TM_PG_VARBIT:
	case TM_PG_VARCHAR:
	case TM_PG_BPCHAR:
		if (mod >= 0)
			snprintf(t, n, "%s(%d)", typemap_pg_name(pg), mod);
		else
			snprintf(t, n, "%s", pg == TM_PG_BPCHAR ? "bpchar" : typemap_pg_name(pg));
		break;
	default:
		snprintf(t, n, "%s", typemap_pg_name(pg));
		break;
	}
}

/* parses "(a)" or "(a,b)" at s; returns the number of values (0 when no parenthesis), -1 malformed */
int typemap_parse_mods(const char **s, long *a, long *b)
{
	const char *p = *s;
	while (*p == ' ')
		p++;
	if (*p != '(')
		return 0;
	p++;
	char *e;
	errno = 0;
	*a = strtol(p, &e, 10);
	if (e == p || errno)
		return -1;
	p = e;
	while (*p == ' ')
		p++;
	int n = 1;
	if (*p == ',') {
		p++;
		errno = 0;
		*b = strtol(p, &e, 10);
		if (e == p || errno)
			return -1;
		p = e;
		n = 2;
		while (*p == ' ')
			p++;
	}
	if (*p != ')')
		return -1;
	*s = p + 1;
	return n;
}

static bool eat(const char **s, const char *word)
{
	const char *p = *s;
	while (*p == ' ')
		p++;
	size_t n = strlen(word);
	if (strncmp(p, word, n) != 0)
		return false;
	char c = p[n];
	if (isalnum((unsigned char)c) || c == '_')
		return false;
	*s = p + n;
	return true;
}

static bool at_end(const char *s)
{
	while (*s == ' ')
		s++;
	return *s == 0;
}

const char *typemap_geom_name(typemap_geom g)
{
	static const char *const names[] = {"Geometry", "Point", "LineString", "Polygon", "MultiPoint",
	                                    "MultiLineString", "MultiPolygon", "GeometryCollection"};
	return (unsigned)g < sizeof names / sizeof *names ? names[g] : "Geometry";
}

/*
 * "[schema.]geometry[(Type[,SRID])]" (low: lowercased, spaces collapsed; text: as
 * written, for the schema's spelling). The type name is printed as format_type()
 * prints it: "geometry(Point,4326)", "geometry(Geometry,4326)", "geometry(Point)",
 * "geometry" (no typmod, or Geometry without SRID). Z/M subtypes are refused:
 * MySQL geometries are 2D.
 */
static bool parse_geometry(const char *low, const char *text, typemap_result *r)
{
	const char *g = strstr(low, "geometry");
	if (!g)
		return false;
	size_t plen = (size_t)(g - low);
	const char *par = strchr(low, '(');
	if (plen > 0 && (low[plen - 1] != '.' || (par && par < g)))
		return false;
	const char *s = g + 8;
	if (*s == ' ')
		s++;
	typemap_geom geom = TM_GEOM_ANY;
	long srid = 0;
	if (*s == '(') {
		s++;
		while (*s == ' ')
			s++;
		const char *st = s;
		while (isalpha((unsigned char)*s))
			s++;
		size_t n = (size_t)(s - st);
		bool found = false;
		for (int k = TM_GEOM_ANY; k <= TM_GEOM_COLLECTION && !found; k++) {
			const char *nm = typemap_geom_name((typemap_geom)k);
			if (strlen(nm) == n && strncasecmp(nm, st, n) == 0) {
				geom = (typemap_geom)k;
				found = true;
			}
		}
		if (!found)
			return false;
		while (*s == ' ')
			s++;
		if (*s == ',') {
			s++;
			char *e;
			errno = 0;
			srid = strtol(s, &e, 10);
			if (e == s || errno || srid < 0 || srid > (long)TM_GEOM_SRID_MAX)
				return false;
			s = e;
			while (*s == ' ')
				s++;
		}
		if (*s != ')')
			return false;
		s++;
	}
	if (!at_end(s))
		return false;
	/* the schema as written (text has the same characters, case aside, up to "geometry"
	 * when it holds no runs of spaces: refuse anything else) */
	char prefix[TM_TYPE_MAX] = "";
	if (plen) {
		const char *t = text;
		while (isspace((unsigned char)*t))
			t++;
		if (strncasecmp(t, low, plen) != 0)
			return false;
		snprintf(prefix, sizeof prefix, "%.*s", (int)plen, t);
	}
	r->pg = TM_PG_GEOMETRY;
	r->oid = 0;
	r->mod = r->scale = -1;
	r->pg_enum = NULL;
	r->pg_geom = geom;
	r->pg_srid = (uint32_t)srid;
	/* a name that does not fit is refused, never cut */
	int n;
	if (geom == TM_GEOM_ANY && srid == 0)
		n = snprintf(r->pg_type, sizeof r->pg_type, "%sgeometry", prefix);
	else if (srid == 0)
		n = snprintf(r->pg_type, sizeof r->pg_type, "%sgeometry(%s)", prefix, typemap_geom_name(geom));
	else
		n = snprintf(r->pg_type, sizeof r->pg_type, "%sgeometry(%s,%ld)", prefix, typemap_geom_name(geom), srid);
	return n >= 0 && (size_t)n < sizeof r->pg_type;
}

bool typemap_parse_pg_type(const char *text, const typemap_overrides *o, typemap_result *r)
{
	/* lowercase, whitespace collapsed */
	char low[TM_TYPE_MAX];
	size_t k = 0;
	bool sp = false;
	for (const char *p = text; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (isspace(c)) {
			sp = k > 0;
			continue;
		}
		if (sp && k + 1 < sizeof low)
			low[k++] = ' ';
		sp = false;
		if (k + 1 >= sizeof low)
			return false;
		low[k++] = (char)tolower(c);
	}
	low[k] = 0;
	const char *s = low;
	if (strncmp(s, "pg_catalog.", 11) == 0)
		s += 11;
	if (parse_geometry(low, text, r))
		return true;
	long a = -1, b = -1;
	int nm;
	typemap_pg pg = TM_PG_UNKNOWN;
	int32_t mod = -1, scale = -1;
	if (eat(&s, "boolean") || eat(&s, "bool"))
		pg = TM_PG_BOOL;
	else if (eat(&s, "smallint") || eat(&s, "int2"))
		pg = TM_PG_INT2;
	else if (eat(&s, "integer") || eat(&s, "int4") || eat(&s, "int"))
		pg = TM_PG_INT4;
	else if (eat(&s, "bigint") || eat(&s, "int8"))
		pg = TM_PG_INT8;
	else if (eat(&s, "numeric") || eat(&s, "decimal")) {
		pg = TM_PG_NUMERIC;
		nm = typemap_parse_mods(&s, &a, &b);
		if (nm < 0)
			return false;
		if (nm >= 1) {
			if (a < 1 || a > 1000)
				return false;
			mod = (int32_t)a;
			scale = nm == 2 ? (int32_t)b : 0;
			if (scale < 0 || scale > mod)
				return false;
		}
	} else if (eat(&s, "real") || eat(&s, "float4"))
		pg = TM_PG_FLOAT4;
	else if (eat(&s, "double")) {
		if (!eat(&s, "precision"))
			return false;
		pg = TM_PG_FLOAT8;
	} else if (eat(&s, "float8") || eat(&s, "float"))
		pg = TM_PG_FLOAT8;
	else if (eat(&s, "date"))
		pg = TM_PG_DATE;
	else if (eat(&s, "timestamptz")) {
		pg = TM_PG_TIMESTAMPTZ;
		if ((nm = typemap_parse_mods(&s, &a, &b)) < 0 || nm > 1)
			return false;
		mod = nm ? (int32_t)a : -1;
	} else if (eat(&s, "timestamp")) {
		if ((nm = typemap_parse_mods(&s, &a, &b)) < 0 || nm > 1)
			return false;
		mod = nm ? (int32_t)a : -1;
		pg = TM_PG_TIMESTAMP;
		if (eat(&s, "with")) {
			if (!eat(&s, "time") || !eat(&s, "zone"))
				return false;
			pg = TM_PG_TIMESTAMPTZ;
		} else if (eat(&s, "without")) {
			if (!eat(&s, "time") || !eat(&s, "zone"))
				return false;
		}
	} else if (eat(&s, "time")) {
		if ((nm = typemap_parse_mods(&s, &a, &b)) < 0 || nm > 1)
			return false;
		mod = nm ? (int32_t)a : -1;
		pg = TM_PG_TIME;
		if (eat(&s, "without")) {
			if (!eat(&s, "time") || !eat(&s, "zone"))
				return false;
		}
	} else if (eat(&s, "interval")) {
		if ((nm = typemap_parse_mods(&s, &a, &b)) < 0 || nm > 1)
			return false;
		mod = nm ? (int32_t)a : -1;
		pg = TM_PG_INTERVAL;
	} else if (eat(&s, "varbit")) {
		pg = TM_PG_VARBIT;
		if ((nm = typemap_parse_mods(&s, &a, &b)) < 0 || nm > 1)
			return false;
		mod = nm ? (int32_t)a : -1;
	} else if (eat(&s, "bit")) {
		pg = TM_PG_BIT;
		if (eat(&s, "varying"))
			pg = TM_PG_VARBIT;
		if ((nm = typemap_parse_mods(&s, &a, &b)) < 0 || nm > 1)
			return false;
		mod = nm ? (int32_t)a : (pg == TM_PG_BIT ? 1 : -1);
		if (nm && (a < 1 || a > 83886080))
			return false;
	} else if (eat(&s, "text")) {
		pg = TM_PG_TEXT;
		if (strncmp(s, "[]", 2) == 0) {
			s += 2;
			pg = TM_PG_TEXT_ARRAY;
		}
	} else if (eat(&s, "_text"))
		pg = TM_PG_TEXT_ARRAY;
	else if (eat(&s, "character") || eat(&s, "char")) {
		pg = TM_PG_BPCHAR;
		if (eat(&s, "varying"))
			pg = TM_PG_VARCHAR;
		if ((nm = typemap_parse_mods(&s, &a, &b)) < 0 || nm > 1)
			return false;
		mod = nm ? (int32_t)a : (pg == TM_PG_BPCHAR ? 1 : -1);
		if (nm && (a < 1 || a > 10485760))
			return false;
	} else if (eat(&s, "varchar")) {
		pg = TM_PG_VARCHAR;
		if ((nm = typemap_parse_mods(&s, &a, &b)) < 0 || nm > 1)
			return false;
		mod = nm ? (int32_t)a : -1;
		if (nm && (a < 1 || a > 10485760))
			return false;
	} else if (eat(&s, "bpchar")) {
		pg = TM_PG_BPCHAR;
		if ((nm = typemap_parse_mods(&s, &a, &b)) < 0 || nm > 1)
			return false;
		mod = nm ? (int32_t)a : -1;
	} else if (eat(&s, "bytea"))
		pg = TM_PG_BYTEA;
	else if (eat(&s, "uuid"))
		pg = TM_PG_UUID;
	else if (eat(&s, "jsonb"))
		pg = TM_PG_JSONB;
	else if (eat(&s, "json"))
		pg = TM_PG_JSON;
	else if (eat(&s, "inet"))
		pg = TM_PG_INET;
	if ((pg == TM_PG_TIMESTAMP || pg == TM_PG_TIMESTAMPTZ || pg == TM_PG_TIME || pg == TM_PG_INTERVAL) &&
	    (mod < -1 || mod > 6))
		return false;
	if (pg != TM_PG_UNKNOWN && at_end(s)) {
		typemap_set_target(r, pg, mod, scale);
		r->pg_enum = NULL;
		return true;
	}
	/* an enum declared in the rules */
	const typemap_enum *e = typemap_find_enum(o, text);
	if (e) {
		r->pg = TM_PG_ENUM;
		r->oid = 0;
		r->mod = r->scale = -1;
		r->pg_enum = e;
		char *t = typemap_trim_dup(text, text + strlen(text));
		snprintf(r->pg_type, sizeof r->pg_type, "%s", t);
		free(t);
		return true;
	}
	return false;
}
