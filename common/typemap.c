#include "typemap.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

/* ---------------------------------------------------------------- overrides */

void typemap_overrides_init(typemap_overrides *o)
{
	memset(o, 0, sizeof *o);
}

void typemap_overrides_free(typemap_overrides *o)
{
	for (size_t i = 0; i < o->ncasts; i++) {
		free(o->casts[i].column);
		free(o->casts[i].type);
	}
	free(o->casts);
	for (size_t i = 0; i < o->nenums; i++) {
		free(o->enums[i].name);
		for (size_t k = 0; k < o->enums[i].nlabels; k++)
			free(o->enums[i].labels[k]);
		free(o->enums[i].labels);
	}
	free(o->enums);
	for (size_t i = 0; i < o->npolicies; i++)
		free(o->policies[i]);
	free(o->policies);
	free(o->timezone);
	memset(o, 0, sizeof *o);
}

void typemap_overrides_add_cast(typemap_overrides *o, const char *column, const char *type)
{
	for (size_t i = 0; i < o->ncasts; i++) {
		if (strcmp(o->casts[i].column, column) == 0) {
			free(o->casts[i].type);
			o->casts[i].type = xstrdup(type);
			return;
		}
	}
	o->casts = xrealloc(o->casts, (o->ncasts + 1) * sizeof *o->casts);
	o->casts[o->ncasts].column = xstrdup(column);
	o->casts[o->ncasts].type = xstrdup(type);
	o->ncasts++;
}

/* canonical form of a possibly qualified, possibly quoted type name: parts
 * unquoted ("" -> "), bare parts lowercased, joined by '.'; false when malformed */
static bool name_canon(const char *s, buf *out)
{
	buf_reset(out);
	const char *p = s;
	while (*p == ' ' || *p == '\t')
		p++;
	for (;;) {
		if (*p == '"') {
			p++;
			for (;;) {
				if (!*p)
					return false;
				if (*p == '"') {
					if (p[1] == '"') {
						buf_putc(out, '"');
						p += 2;
						continue;
					}
					p++;
					break;
				}
				buf_putc(out, (uint8_t)*p++);
			}
		} else {
			const char *st = p;
			while (*p && *p != '.' && *p != '"' && *p != ' ' && *p != '\t')
				buf_putc(out, (uint8_t)tolower((unsigned char)*p++));
			if (p == st)
				return false;
		}
		if (*p == '.') {
			buf_putc(out, '.');
			p++;
			continue;
		}
		break;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	buf_cstr(out);
	return *p == 0;
}

static bool name_equal(const char *a, const char *b)
{
	buf x, y;
	buf_init(&x);
	buf_init(&y);
	bool eq = name_canon(a, &x) && name_canon(b, &y) && strcmp(buf_cstr(&x), buf_cstr(&y)) == 0;
	buf_free(&x);
	buf_free(&y);
	return eq;
}

void typemap_overrides_add_enum(typemap_overrides *o, const char *name, char *const *labels, size_t n)
{
	typemap_enum *e = NULL;
	for (size_t i = 0; i < o->nenums; i++)
		if (name_equal(o->enums[i].name, name))
			e = &o->enums[i];
	if (e) {
		for (size_t k = 0; k < e->nlabels; k++)
			free(e->labels[k]);
		free(e->labels);
		free(e->name);
	} else {
		o->enums = xrealloc(o->enums, (o->nenums + 1) * sizeof *o->enums);
		e = &o->enums[o->nenums++];
	}
	e->name = xstrdup(name);
	e->nlabels = n;
	e->labels = xmalloc((n ? n : 1) * sizeof *e->labels);
	for (size_t k = 0; k < n; k++)
		e->labels[k] = xstrdup(labels[k]);
}

const typemap_enum *typemap_find_enum(const typemap_overrides *o, const char *name)
{
	if (!o)
		return NULL;
	for (size_t i = 0; i < o->nenums; i++)
		if (name_equal(o->enums[i].name, name))
			return &o->enums[i];
	return NULL;
}

bool typemap_overrides_add_cast_spec(typemap_overrides *o, const char *spec)
{
	const char *eq = strchr(spec, '=');
	if (!eq || eq == spec || !eq[1]) {
		log_error("invalid cast '%s': expected COLUMN=TYPE", spec);
		return false;
	}
	char *col = xstrndup(spec, (size_t)(eq - spec));
	typemap_overrides_add_cast(o, col, eq + 1);
	free(col);
	return true;
}

/* rules-file tokens */
typedef struct rtok {
	char kind; /* 'w' bare word, 'i' "identifier", 'l' 'literal', 0 end */
	buf text;
	const char *start, *end; /* raw extent in the line */
} rtok;

static bool rules_next(const char **pp, rtok *t, const char **err)
{
	const char *p = *pp;
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	buf_reset(&t->text);
	t->start = p;
	if (!*p) {
		t->kind = 0;
		t->end = p;
		*pp = p;
		return true;
	}
	if (*p == '"' || *p == '\'') {
		char q = *p++;
		t->kind = q == '"' ? 'i' : 'l';
		for (;;) {
			if (!*p) {
				*err = q == '"' ? "unterminated double-quoted identifier" : "unterminated quoted literal";
				return false;
			}
			if (*p == q) {
				if (p[1] == q) {
					buf_putc(&t->text, (uint8_t)q);
					p += 2;
					continue;
				}
				p++;
				break;
			}
			buf_putc(&t->text, (uint8_t)*p++);
		}
	} else {
		t->kind = 'w';
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '"' && *p != '\'')
			buf_putc(&t->text, (uint8_t)*p++);
	}
	buf_cstr(&t->text);
	t->end = p;
	*pp = p;
	return true;
}

static char *trim_dup(const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	return xstrndup(s, (size_t)(e - s));
}

static bool rules_line(typemap_overrides *o, const char *line, const char **err)
{
	rtok t;
	buf_init(&t.text);
	bool ok = false;
	const char *p = line;
	if (!rules_next(&p, &t, err))
		goto out;
	if (t.kind == 0) {
		ok = true;
		goto out;
	}
	if (t.kind != 'w') {
		*err = "expected a directive (cast, enum, policy, timezone)";
		goto out;
	}
	if (strcmp((char *)t.text.data, "cast") == 0) {
		if (!rules_next(&p, &t, err))
			goto out;
		if (t.kind != 'w' && t.kind != 'i') {
			*err = "cast: expected a column name";
			goto out;
		}
		char *col = xstrdup(buf_cstr(&t.text));
		char *type = trim_dup(p, p + strlen(p));
		if (!*type) {
			*err = "cast: expected a type after the column name";
			free(col);
			free(type);
			goto out;
		}
		typemap_overrides_add_cast(o, col, type);
		free(col);
		free(type);
		ok = true;
	} else if (strcmp((char *)t.text.data, "enum") == 0) {
		const char *name_start = p;
		const char *lit = NULL;
		/* the name is everything up to the first single-quoted literal */
		for (;;) {
			const char *before = p;
			if (!rules_next(&p, &t, err))
				goto out;
			if (t.kind == 0 || t.kind == 'l') {
				lit = before;
				break;
			}
		}
		char *name = trim_dup(name_start, lit);
		if (!*name) {
			*err = "enum: expected a type name";
			free(name);
			goto out;
		}
		size_t n = 0, cap = 8;
		char **labels = xmalloc(cap * sizeof *labels);
		p = lit;
		for (;;) {
			if (!rules_next(&p, &t, err))
				break;
			if (t.kind == 0) {
				ok = true;
				break;
			}
			if (t.kind != 'l') {
				*err = "enum: labels must be single-quoted literals";
				break;
			}
			if (n == cap)
				labels = xrealloc(labels, (cap *= 2) * sizeof *labels);
			labels[n++] = xstrdup(buf_cstr(&t.text));
		}
		if (ok && n == 0) {
			*err = "enum: expected at least one label";
			ok = false;
		}
		if (ok)
			typemap_overrides_add_enum(o, name, labels, n);
		for (size_t k = 0; k < n; k++)
			free(labels[k]);
		free(labels);
		free(name);
	} else if (strcmp((char *)t.text.data, "policy") == 0 || strcmp((char *)t.text.data, "timezone") == 0) {
		bool pol = t.text.data[0] == 'p';
		if (!rules_next(&p, &t, err))
			goto out;
		if (t.kind != 'w' && t.kind != 'l' && t.kind != 'i') {
			*err = pol ? "policy: expected CLASS=ACTION" : "timezone: expected a time zone name";
			goto out;
		}
		char *v = xstrdup(buf_cstr(&t.text));
		if (!rules_next(&p, &t, err)) {
			free(v);
			goto out;
		}
		if (t.kind != 0) {
			*err = "unexpected text after the value";
			free(v);
			goto out;
		}
		if (pol) {
			o->policies = xrealloc(o->policies, (o->npolicies + 1) * sizeof *o->policies);
			o->policies[o->npolicies++] = v;
		} else {
			free(o->timezone);
			o->timezone = v;
		}
		ok = true;
	} else {
		*err = "unknown directive (expected cast, enum, policy or timezone)";
	}
out:
	buf_free(&t.text);
	return ok;
}

bool typemap_rules_parse(typemap_overrides *o, const char *text, size_t len, const char *name)
{
	size_t lineno = 0;
	const char *p = text, *end = text + len;
	bool ok = true;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		lineno++;
		char *line = xstrndup(p, (size_t)(le - p));
		const char *s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s && *s != '#') {
			const char *err = NULL;
			if (strlen(line) != (size_t)(le - p)) {
				log_error("%s:%zu: NUL byte in rules", name, lineno);
				ok = false;
			} else if (!rules_line(o, s, &err)) {
				log_error("%s:%zu: %s", name, lineno, err ? err : "syntax error");
				ok = false;
			}
		}
		free(line);
		p = nl ? nl + 1 : end;
	}
	return ok;
}

bool typemap_rules_load(typemap_overrides *o, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		log_errno("%s: unable to open rules file", path);
		return false;
	}
	buf b;
	buf_init(&b);
	char tmp[8192];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_append(&b, tmp, n);
	bool ok = !ferror(f);
	if (!ok)
		log_errno("%s: unable to read rules file", path);
	fclose(f);
	if (ok)
		ok = typemap_rules_parse(o, (const char *)b.data, b.len, path);
	buf_free(&b);
	return ok;
}

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
static void set_target(typemap_result *r, typemap_pg pg, int32_t mod, int32_t scale)
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
static int parse_mods(const char **s, long *a, long *b)
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
		nm = parse_mods(&s, &a, &b);
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
		if ((nm = parse_mods(&s, &a, &b)) < 0 || nm > 1)
			return false;
		mod = nm ? (int32_t)a : -1;
	} else if (eat(&s, "timestamp")) {
		if ((nm = parse_mods(&s, &a, &b)) < 0 || nm > 1)
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
		if ((nm = parse_mods(&s, &a, &b)) < 0 || nm > 1)
			return false;
		mod = nm ? (int32_t)a : -1;
		pg = TM_PG_TIME;
		if (eat(&s, "without")) {
			if (!eat(&s, "time") || !eat(&s, "zone"))
				return false;
		}
	} else if (eat(&s, "interval")) {
		if ((nm = parse_mods(&s, &a, &b)) < 0 || nm > 1)
			return false;
		mod = nm ? (int32_t)a : -1;
		pg = TM_PG_INTERVAL;
	} else if (eat(&s, "varbit")) {
		pg = TM_PG_VARBIT;
		if ((nm = parse_mods(&s, &a, &b)) < 0 || nm > 1)
			return false;
		mod = nm ? (int32_t)a : -1;
	} else if (eat(&s, "bit")) {
		pg = TM_PG_BIT;
		if (eat(&s, "varying"))
			pg = TM_PG_VARBIT;
		if ((nm = parse_mods(&s, &a, &b)) < 0 || nm > 1)
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
		if ((nm = parse_mods(&s, &a, &b)) < 0 || nm > 1)
			return false;
		mod = nm ? (int32_t)a : (pg == TM_PG_BPCHAR ? 1 : -1);
		if (nm && (a < 1 || a > 10485760))
			return false;
	} else if (eat(&s, "varchar")) {
		pg = TM_PG_VARCHAR;
		if ((nm = parse_mods(&s, &a, &b)) < 0 || nm > 1)
			return false;
		mod = nm ? (int32_t)a : -1;
		if (nm && (a < 1 || a > 10485760))
			return false;
	} else if (eat(&s, "bpchar")) {
		pg = TM_PG_BPCHAR;
		if ((nm = parse_mods(&s, &a, &b)) < 0 || nm > 1)
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
		set_target(r, pg, mod, scale);
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
		char *t = trim_dup(text, text + strlen(text));
		snprintf(r->pg_type, sizeof r->pg_type, "%s", t);
		free(t);
		return true;
	}
	return false;
}

/* ---------------------------------------------------------------- MySQL columns */

static const char *data_type_of(const rs_column *c, char *tmp, size_t n)
{
	const char *dt = rs_column_attr(c, "data_type");
	const char *src = dt ? dt : (c->type ? c->type : "");
	size_t k = 0;
	while (src[k] && src[k] != '(' && src[k] != ' ' && k + 1 < n) {
		tmp[k] = (char)tolower((unsigned char)src[k]);
		k++;
	}
	tmp[k] = 0;
	return tmp;
}

static bool is_json_text(const rs_column *c)
{
	const char *j = rs_column_attr(c, "json");
	if (j && strcmp(j, "0") != 0)
		return true;
	const char *f = rs_column_attr(c, "format"); /* MariaDB's field format name */
	if (f && strcmp(f, "json") == 0)
		return true;
	for (size_t i = 0; i < c->nattr; i++)
		if (strcmp(c->attrs[i].key, "check") == 0 && c->attrs[i].value &&
		    strstr(c->attrs[i].value, "json_valid("))
			return true;
	return false;
}

typemap_src typemap_source(const rs_column *c)
{
	char dt[64];
	data_type_of(c, dt, sizeof dt);
	static const struct {
		const char *name;
		typemap_src src;
	} map[] = {
		{"tinyint", TM_SRC_INT}, {"smallint", TM_SRC_INT}, {"mediumint", TM_SRC_INT},
		{"int", TM_SRC_INT}, {"integer", TM_SRC_INT}, {"bigint", TM_SRC_INT},
		{"decimal", TM_SRC_DECIMAL}, {"numeric", TM_SRC_DECIMAL}, {"float", TM_SRC_FLOAT},
		{"double", TM_SRC_DOUBLE}, {"real", TM_SRC_DOUBLE}, {"date", TM_SRC_DATE},
		{"datetime", TM_SRC_DATETIME}, {"timestamp", TM_SRC_TIMESTAMP}, {"time", TM_SRC_TIME},
		{"year", TM_SRC_YEAR}, {"bit", TM_SRC_BIT}, {"enum", TM_SRC_ENUM}, {"set", TM_SRC_SET},
		{"json", TM_SRC_JSON}, {"char", TM_SRC_TEXT}, {"varchar", TM_SRC_TEXT},
		{"tinytext", TM_SRC_TEXT}, {"text", TM_SRC_TEXT}, {"mediumtext", TM_SRC_TEXT},
		{"longtext", TM_SRC_TEXT}, {"binary", TM_SRC_BINARY}, {"varbinary", TM_SRC_BINARY},
		{"tinyblob", TM_SRC_BINARY}, {"blob", TM_SRC_BINARY}, {"mediumblob", TM_SRC_BINARY},
		{"longblob", TM_SRC_BINARY}, {"geometry", TM_SRC_GEOMETRY}, {"point", TM_SRC_GEOMETRY},
		{"linestring", TM_SRC_GEOMETRY}, {"polygon", TM_SRC_GEOMETRY},
		{"multipoint", TM_SRC_GEOMETRY}, {"multilinestring", TM_SRC_GEOMETRY},
		{"multipolygon", TM_SRC_GEOMETRY}, {"geometrycollection", TM_SRC_GEOMETRY},
		{"geomcollection", TM_SRC_GEOMETRY}, {"uuid", TM_SRC_UUID}, {"inet4", TM_SRC_INET},
		{"inet6", TM_SRC_INET},
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
		if (strcmp(dt, map[i].name) != 0)
			continue;
		typemap_src s = map[i].src;
		if (s == TM_SRC_TEXT) {
			const char *cs = rs_column_attr(c, "charset");
			if (cs && strcmp(cs, "binary") == 0)
				return TM_SRC_BINARY;
			if (strcmp(dt, "longtext") == 0 && is_json_text(c))
				return TM_SRC_JSON;
		}
		return s;
	}
	return TM_SRC_UNKNOWN;
}

static long attr_long(const rs_column *c, const char *key, long dflt)
{
	const char *v = rs_column_attr(c, key);
	if (!v || !*v)
		return dflt;
	char *e;
	errno = 0;
	long x = strtol(v, &e, 10);
	return (*e || errno) ? dflt : x;
}

/* the "(a[,b])" of COLUMN_TYPE; returns the count */
static int type_mods(const rs_column *c, long *a, long *b)
{
	const char *t = c->type ? strchr(c->type, '(') : NULL;
	if (!t || strncmp(c->type, "enum", 4) == 0 || strncmp(c->type, "set", 3) == 0)
		return 0;
	int n = parse_mods(&t, a, b);
	return n < 0 ? 0 : n;
}

static bool col_unsigned(const rs_column *c)
{
	return (c->flags & RS_COL_UNSIGNED) || (c->type && strstr(c->type, "unsigned"));
}

/* is (source, target) a conversion convert.c implements? */
static bool compatible(typemap_src s, typemap_pg pg, const typemap_result *r)
{
	switch (pg) {
	case TM_PG_TEXT:
	case TM_PG_VARCHAR:
	case TM_PG_BPCHAR:
		return s != TM_SRC_BIT && s != TM_SRC_GEOMETRY && s != TM_SRC_UNKNOWN;
	case TM_PG_BOOL:
		return s == TM_SRC_INT || s == TM_SRC_BIT || s == TM_SRC_TEXT;
	case TM_PG_INT2:
	case TM_PG_INT4:
	case TM_PG_INT8:
	case TM_PG_NUMERIC:
		return s == TM_SRC_INT || s == TM_SRC_YEAR || s == TM_SRC_DECIMAL || s == TM_SRC_BIT ||
		       s == TM_SRC_TEXT || (pg == TM_PG_NUMERIC && (s == TM_SRC_FLOAT || s == TM_SRC_DOUBLE));
	case TM_PG_FLOAT4:
	case TM_PG_FLOAT8:
		return s == TM_SRC_FLOAT || s == TM_SRC_DOUBLE || s == TM_SRC_INT || s == TM_SRC_DECIMAL ||
		       s == TM_SRC_TEXT || s == TM_SRC_YEAR;
	case TM_PG_DATE:
	case TM_PG_TIMESTAMP:
	case TM_PG_TIMESTAMPTZ:
		return s == TM_SRC_DATE || s == TM_SRC_DATETIME || s == TM_SRC_TIMESTAMP || s == TM_SRC_TEXT;
	case TM_PG_INTERVAL:
	case TM_PG_TIME:
		return s == TM_SRC_TIME || s == TM_SRC_TEXT;
	case TM_PG_BIT:
	case TM_PG_VARBIT:
		return s == TM_SRC_BIT;
	case TM_PG_BYTEA:
		return s == TM_SRC_BINARY || s == TM_SRC_GEOMETRY || s == TM_SRC_TEXT || s == TM_SRC_BIT ||
		       s == TM_SRC_JSON;
	case TM_PG_UUID:
		return s == TM_SRC_UUID || s == TM_SRC_TEXT || s == TM_SRC_BINARY;
	case TM_PG_JSONB:
	case TM_PG_JSON:
		return s == TM_SRC_JSON || s == TM_SRC_TEXT || s == TM_SRC_BINARY;
	case TM_PG_TEXT_ARRAY:
		return s == TM_SRC_SET || s == TM_SRC_TEXT;
	case TM_PG_INET:
		return s == TM_SRC_INET || s == TM_SRC_TEXT;
	case TM_PG_ENUM:
		return s == TM_SRC_ENUM || s == TM_SRC_TEXT;
	case TM_PG_GEOMETRY:
		return s == TM_SRC_GEOMETRY;
	default:
		(void)r;
		return false;
	}
}

static const typemap_cast *find_cast(const typemap_overrides *o, const char *name)
{
	if (!o)
		return NULL;
	for (size_t i = 0; i < o->ncasts; i++)
		if (strcmp(o->casts[i].column, name) == 0)
			return &o->casts[i];
	const typemap_cast *found = NULL;
	for (size_t i = 0; i < o->ncasts; i++) {
		if (strcasecmp(o->casts[i].column, name) == 0) {
			if (found)
				return NULL; /* ambiguous without the exact spelling */
			found = &o->casts[i];
		}
	}
	return found;
}

/* fails a lookup with the reason in r->why (typemap.h) */
static bool refuse(typemap_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool refuse(typemap_result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof r->why, fmt, ap);
	va_end(ap);
	return false;
}

bool typemap_lookup(const rs_column *c, const typemap_overrides *o, typemap_result *r)
{
	memset(r, 0, sizeof *r);
	r->mod = r->scale = -1;
	char dt[64];
	data_type_of(c, dt, sizeof dt);
	r->src = typemap_source(c);
	r->src_unsigned = col_unsigned(c);
	r->srid = (uint32_t)attr_long(c, "srid", 0);
	const char *csname = rs_column_attr(c, "charset");
	r->charset = csname ? charset_from_name(csname) : (c->flags & RS_COL_BINARY) ? CHARSET_BINARY : CHARSET_UTF8MB4;
	if (r->src == TM_SRC_JSON && !csname)
		r->charset = CHARSET_UTF8MB4;
	long a = -1, b = -1;
	int nm = type_mods(c, &a, &b);
	switch (r->src) {
	case TM_SRC_INT:
		r->src_bits = dt[0] == 't' ? 8 : dt[0] == 's' ? 16 : dt[0] == 'm' ? 24 : dt[0] == 'b' ? 64 : 32;
		r->tinyint1 = r->src_bits == 8 && nm == 1 && a == 1;
		break;
	case TM_SRC_DECIMAL:
		r->src_precision = (int)attr_long(c, "precision", nm >= 1 ? a : 10);
		r->src_scale = (int)attr_long(c, "scale", nm == 2 ? b : 0);
		break;
	case TM_SRC_DATETIME:
	case TM_SRC_TIMESTAMP:
	case TM_SRC_TIME:
		r->src_fsp = (int)attr_long(c, "fsp", nm == 1 ? a : 0);
		if (r->src_fsp < 0 || r->src_fsp > 6) {
			return refuse(r, "invalid fractional second precision %d", r->src_fsp);
		}
		break;
	case TM_SRC_BIT:
		r->src_bits = (int)(nm == 1 ? a : attr_long(c, "precision", 1));
		if (r->src_bits < 1 || r->src_bits > 64) {
			return refuse(r, "invalid bit width %d", r->src_bits);
		}
		break;
	default:
		break;
	}

	const typemap_cast *cast = find_cast(o, c->name);
	if (cast) {
		r->cast = true;
		if (!typemap_parse_pg_type(cast->type, o, r)) {
			if (r->src == TM_SRC_ENUM || r->src == TM_SRC_TEXT) {
				/* a PostgreSQL enum with the MySQL column's members as labels */
				buf nb;
				buf_init(&nb);
				bool ok = name_canon(cast->type, &nb);
				buf_free(&nb);
				if (!ok) {
					return refuse(r, "cast to '%s': not a type name", cast->type);
				}
				r->pg = TM_PG_ENUM;
				r->oid = 0;
				r->mod = r->scale = -1;
				r->pg_enum = NULL;
				char *t = trim_dup(cast->type, cast->type + strlen(cast->type));
				snprintf(r->pg_type, sizeof r->pg_type, "%s", t);
				free(t);
			} else {
				return refuse(r, "cast to '%s': unsupported PostgreSQL type", cast->type);
			}
		}
		if (!compatible(r->src, r->pg, r)) {
			return refuse(r, "cannot convert MySQL %s to %s", c->type ? c->type : dt,
			          r->pg_type);
		}
		if (r->pg == TM_PG_ENUM && !r->pg_enum && r->src != TM_SRC_ENUM) {
			return refuse(r, "cast to enum '%s' needs its labels (an enum line in the rules)", r->pg_type);
		}
		if (r->pg == TM_PG_BOOL && r->src == TM_SRC_BIT && r->src_bits != 1) {
			return refuse(r, "only bit(1) converts to boolean");
		}
	} else {
		switch (r->src) {
		case TM_SRC_INT:
			if (r->tinyint1)
				set_target(r, TM_PG_BOOL, -1, -1);
			else if (!r->src_unsigned)
				set_target(r, r->src_bits <= 16 ? TM_PG_INT2 : r->src_bits <= 32 ? TM_PG_INT4 : TM_PG_INT8,
				           -1, -1);
			else if (r->src_bits == 64)
				set_target(r, TM_PG_NUMERIC, 20, 0);
			else
				set_target(r, r->src_bits == 8 ? TM_PG_INT2 : r->src_bits <= 24 ? TM_PG_INT4 : TM_PG_INT8,
				           -1, -1);
			break;
		case TM_SRC_DECIMAL:
			if (r->src_precision < 1 || r->src_precision > 65 || r->src_scale < 0 ||
			    r->src_scale > r->src_precision) {
				return refuse(r, "invalid decimal(%d,%d)", r->src_precision, r->src_scale);
			}
			set_target(r, TM_PG_NUMERIC, r->src_precision, r->src_scale);
			break;
		case TM_SRC_FLOAT: set_target(r, TM_PG_FLOAT4, -1, -1); break;
		case TM_SRC_DOUBLE: set_target(r, TM_PG_FLOAT8, -1, -1); break;
		case TM_SRC_DATE: set_target(r, TM_PG_DATE, -1, -1); break;
		case TM_SRC_DATETIME:
		case TM_SRC_TIMESTAMP: set_target(r, TM_PG_TIMESTAMPTZ, r->src_fsp, -1); break;
		case TM_SRC_TIME: set_target(r, TM_PG_INTERVAL, -1, -1); break;
		case TM_SRC_YEAR: set_target(r, TM_PG_INT2, -1, -1); break;
		case TM_SRC_BIT:
			if (r->src_bits == 1)
				set_target(r, TM_PG_BOOL, -1, -1);
			else
				set_target(r, TM_PG_BIT, r->src_bits, -1);
			break;
		case TM_SRC_ENUM: set_target(r, TM_PG_TEXT, -1, -1); break;
		case TM_SRC_SET: set_target(r, TM_PG_TEXT_ARRAY, -1, -1); break;
		case TM_SRC_JSON: set_target(r, TM_PG_JSONB, -1, -1); break;
		case TM_SRC_TEXT: {
			long len = attr_long(c, "length", nm == 1 ? a : -1);
			if (strcmp(dt, "char") == 0 && len >= 1)
				set_target(r, TM_PG_BPCHAR, (int32_t)len, -1);
			else if (strcmp(dt, "varchar") == 0 && len >= 1)
				set_target(r, TM_PG_VARCHAR, (int32_t)len, -1);
			else
				set_target(r, TM_PG_TEXT, -1, -1);
			break;
		}
		case TM_SRC_BINARY:
		case TM_SRC_GEOMETRY: set_target(r, TM_PG_BYTEA, -1, -1); break;
		case TM_SRC_UUID: set_target(r, TM_PG_UUID, -1, -1); break;
		case TM_SRC_INET: set_target(r, TM_PG_INET, -1, -1); break;
		default:
			return refuse(r, "unsupported MySQL type '%s' (cast it with --cast or a rules file)", c->type ? c->type : dt);
		}
	}
	bool textlike = r->src == TM_SRC_TEXT || r->src == TM_SRC_ENUM || r->src == TM_SRC_SET ||
	                r->src == TM_SRC_JSON;
	if (textlike && r->charset == CHARSET_UNKNOWN && r->pg != TM_PG_BYTEA) {
		return refuse(r, "unsupported character set '%s' (supported: those of MariaDB 10.11 and MySQL 8; "
		          "or cast it to bytea)", csname ? csname : "");
	}
	return true;
}
