/* typemap.c - the map: the PostgreSQL type of a MySQL column (typemap.h); overrides are in
 * typemap_rules.c, PostgreSQL type names in typemap_pgtype.c */
#include "typemap_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

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
	int n = typemap_parse_mods(&t, a, b);
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
				bool ok = typemap_name_canon(cast->type, &nb);
				buf_free(&nb);
				if (!ok) {
					return refuse(r, "cast to '%s': not a type name", cast->type);
				}
				r->pg = TM_PG_ENUM;
				r->oid = 0;
				r->mod = r->scale = -1;
				r->pg_enum = NULL;
				char *t = typemap_trim_dup(cast->type, cast->type + strlen(cast->type));
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
				typemap_set_target(r, TM_PG_BOOL, -1, -1);
			else if (!r->src_unsigned)
				typemap_set_target(r, r->src_bits <= 16 ? TM_PG_INT2 : r->src_bits <= 32 ? TM_PG_INT4 : TM_PG_INT8,
				           -1, -1);
			else if (r->src_bits == 64)
				typemap_set_target(r, TM_PG_NUMERIC, 20, 0);
			else
				typemap_set_target(r, r->src_bits == 8 ? TM_PG_INT2 : r->src_bits <= 24 ? TM_PG_INT4 : TM_PG_INT8,
				           -1, -1);
			break;
		case TM_SRC_DECIMAL:
			if (r->src_precision < 1 || r->src_precision > 65 || r->src_scale < 0 ||
			    r->src_scale > r->src_precision) {
				return refuse(r, "invalid decimal(%d,%d)", r->src_precision, r->src_scale);
			}
			typemap_set_target(r, TM_PG_NUMERIC, r->src_precision, r->src_scale);
			break;
		case TM_SRC_FLOAT: typemap_set_target(r, TM_PG_FLOAT4, -1, -1); break;
		case TM_SRC_DOUBLE: typemap_set_target(r, TM_PG_FLOAT8, -1, -1); break;
		case TM_SRC_DATE: typemap_set_target(r, TM_PG_DATE, -1, -1); break;
		case TM_SRC_DATETIME:
		case TM_SRC_TIMESTAMP: typemap_set_target(r, TM_PG_TIMESTAMPTZ, r->src_fsp, -1); break;
		case TM_SRC_TIME: typemap_set_target(r, TM_PG_INTERVAL, -1, -1); break;
		case TM_SRC_YEAR: typemap_set_target(r, TM_PG_INT2, -1, -1); break;
		case TM_SRC_BIT:
			if (r->src_bits == 1)
				typemap_set_target(r, TM_PG_BOOL, -1, -1);
			else
				typemap_set_target(r, TM_PG_BIT, r->src_bits, -1);
			break;
		case TM_SRC_ENUM: typemap_set_target(r, TM_PG_TEXT, -1, -1); break;
		case TM_SRC_SET: typemap_set_target(r, TM_PG_TEXT_ARRAY, -1, -1); break;
		case TM_SRC_JSON: typemap_set_target(r, TM_PG_JSONB, -1, -1); break;
		case TM_SRC_TEXT: {
			long len = attr_long(c, "length", nm == 1 ? a : -1);
			if (strcmp(dt, "char") == 0 && len >= 1)
				typemap_set_target(r, TM_PG_BPCHAR, (int32_t)len, -1);
			else if (strcmp(dt, "varchar") == 0 && len >= 1)
				typemap_set_target(r, TM_PG_VARCHAR, (int32_t)len, -1);
			else
				typemap_set_target(r, TM_PG_TEXT, -1, -1);
			break;
		}
		case TM_SRC_BINARY:
		case TM_SRC_GEOMETRY: typemap_set_target(r, TM_PG_BYTEA, -1, -1); break;
		case TM_SRC_UUID: typemap_set_target(r, TM_PG_UUID, -1, -1); break;
		case TM_SRC_INET: typemap_set_target(r, TM_PG_INET, -1, -1); break;
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
