/*
 * typemap.h - the one MySQL -> PostgreSQL type map.
 *
 * my-schema (DDL) and row-convert (values) both ask this module what a MySQL
 * column becomes, so schema and data never disagree. The input is a column of a
 * MySQL-domain stream header (rowstream.h: type = COLUMN_TYPE, attrs data_type,
 * precision, scale, length, fsp, charset, member...); the answer is the
 * PostgreSQL type as format_type() prints it, its OID, its type modifiers and
 * how values are converted (convert.h).
 *
 * Default map (man/man1/row-convert.1 has the same table):
 *
 *   tinyint(1) [unsigned]              boolean
 *   tinyint, smallint                  smallint
 *   mediumint, int                     integer
 *   bigint                             bigint
 *   tinyint unsigned                   smallint
 *   smallint/mediumint unsigned        integer
 *   int unsigned                       bigint
 *   bigint unsigned                    numeric(20,0)
 *   decimal(p,s) [unsigned]            numeric(p,s)
 *   float / double                     real / double precision
 *   date                               date
 *   datetime(n), timestamp(n)          timestamp(n) with time zone
 *   time(n)                            interval
 *   year                               smallint
 *   bit(1) / bit(n)                    boolean / bit(n)
 *   enum(...)                          text
 *   set(...)                           text[]
 *   json (MySQL), MariaDB JSON         jsonb
 *   char(n), n >= 1                    character(n)   (values padded as PostgreSQL stores them)
 *   varchar(n), n >= 1                 character varying(n)
 *   char(0), varchar(0), *text         text
 *   binary, varbinary, *blob           bytea
 *   text types with charset binary     bytea
 *   geometry types                     bytea (WKB; EWKB with the SRID when it is not the column's);
 *                                      cast to geometry[(Type[,SRID])]: PostGIS geometry (EWKB)
 *   uuid (MariaDB)                     uuid
 *   inet4, inet6 (MariaDB)             inet
 *
 * MariaDB's JSON is LONGTEXT with a CHECK (json_valid(col)); it is recognised by
 * the column attribute "format" = "json" (MariaDB's field format name, which
 * my-extract records), "json" (any value but "0"), a "check" attribute that
 * contains "json_valid(", or a cast to jsonb.
 *
 * Overrides (rules file / --cast) replace the target type of a column:
 *   cast <column> <pg type>      any type listed in typemap_parse_pg_type(), or the
 *                                name of an enum declared with `enum` (or, for a MySQL
 *                                ENUM column, any other name: a PostgreSQL enum whose
 *                                labels are the column's members)
 *   enum <name> 'label' ...      labels of a PostgreSQL enum type
 *   policy <class>=<action>      passed on to convert.h
 *   timezone <name>              passed on to convert.h
 */
#ifndef TYPEMAP_H
#define TYPEMAP_H

#include "checked.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "charset.h"
#include "pgoid.h" /* typemap_entry.oid */
#include "rowstream.h"

/* what the MySQL bytes are (the parser row-convert uses) */
typedef enum typemap_src {
	TM_SRC_UNKNOWN = 0,
	TM_SRC_INT,      /* tinyint..bigint: decimal integer text */
	TM_SRC_DECIMAL,  /* decimal(p,s): "-123.450" */
	TM_SRC_FLOAT,    /* float: shortest text */
	TM_SRC_DOUBLE,   /* double */
	TM_SRC_DATE,     /* "YYYY-MM-DD" */
	TM_SRC_DATETIME, /* "YYYY-MM-DD hh:mm:ss[.ffffff]", wall clock in the source time zone */
	TM_SRC_TIMESTAMP,/* same text, in the extracting session's time zone */
	TM_SRC_TIME,     /* "[-]hhh:mm:ss[.ffffff]" */
	TM_SRC_YEAR,     /* "2024", "0000" */
	TM_SRC_BIT,      /* raw big-endian bytes, ceil(n/8) of them */
	TM_SRC_ENUM,     /* the label, in the column charset */
	TM_SRC_SET,      /* "a,b,c" */
	TM_SRC_JSON,     /* JSON text (utf8mb4) */
	TM_SRC_TEXT,     /* char/varchar/text in the column charset */
	TM_SRC_BINARY,   /* binary/varbinary/blob bytes */
	TM_SRC_GEOMETRY, /* 4-byte little-endian SRID + WKB */
	TM_SRC_UUID,     /* MariaDB uuid: "xxxxxxxx-xxxx-..." */
	TM_SRC_INET      /* MariaDB inet4/inet6 text */
} typemap_src;

/* the PostgreSQL target */
typedef enum typemap_pg {
	TM_PG_UNKNOWN = 0,
	TM_PG_BOOL, TM_PG_INT2, TM_PG_INT4, TM_PG_INT8, TM_PG_NUMERIC,
	TM_PG_FLOAT4, TM_PG_FLOAT8,
	TM_PG_DATE, TM_PG_TIMESTAMP, TM_PG_TIMESTAMPTZ, TM_PG_INTERVAL, TM_PG_TIME,
	TM_PG_BIT, TM_PG_VARBIT,
	TM_PG_TEXT, TM_PG_VARCHAR, TM_PG_BPCHAR,
	TM_PG_BYTEA, TM_PG_UUID, TM_PG_JSONB, TM_PG_JSON, TM_PG_TEXT_ARRAY, TM_PG_INET,
	TM_PG_ENUM,
	TM_PG_GEOMETRY /* PostGIS geometry (an extension type: OID 0 in stream headers) */
} typemap_pg;

/* PostGIS geometry subtypes (the typmod's type, the WKB type codes) */
typedef enum typemap_geom {
	TM_GEOM_ANY = 0, TM_GEOM_POINT, TM_GEOM_LINESTRING, TM_GEOM_POLYGON, TM_GEOM_MULTIPOINT,
	TM_GEOM_MULTILINESTRING, TM_GEOM_MULTIPOLYGON, TM_GEOM_COLLECTION
} typemap_geom;
/* the largest SRID PostGIS keeps as it is */
#define TM_GEOM_SRID_MAX 999999u
/* PostGIS's typmod spelling of a geometry subtype ("Point", "Geometry" for ANY) */
const char *typemap_geom_name(typemap_geom g);

typedef struct typemap_enum {
	char *name;    /* as written in the rules: "hotel.room_status" */
	size_t nlabels;
	char **labels; /* UTF-8 */
} typemap_enum;

typedef struct typemap_cast {
	char *column;
	char *type;
} typemap_cast;

typedef struct typemap_overrides {
	size_t ncasts;
	typemap_cast *casts;
	size_t nenums;
	typemap_enum *enums;
	size_t npolicies;
	char **policies; /* "class=action", for convert_policy_set() */
	char *timezone;  /* NULL: not set */
} typemap_overrides;

void typemap_overrides_init(typemap_overrides *o);
void typemap_overrides_free(typemap_overrides *o);
/* a later cast of the same column replaces an earlier one */
void typemap_overrides_add_cast(typemap_overrides *o, const char *column, const char *type);
void typemap_overrides_add_enum(typemap_overrides *o, const char *name, char *const *labels, size_t n);
/* "COL=TYPE" as given to --cast; false (and logs) when malformed */
CHECKED bool typemap_overrides_add_cast_spec(typemap_overrides *o, const char *spec);
/* reads a rules file (format in the header comment); false (and logs, with line
 * numbers) on a syntax error or an unreadable file */
CHECKED bool typemap_rules_load(typemap_overrides *o, const char *path);
/* parses rules text already in memory; name is used in messages */
CHECKED bool typemap_rules_parse(typemap_overrides *o, const char *text, size_t len, const char *name);
const typemap_enum *typemap_find_enum(const typemap_overrides *o, const char *name);

#define TM_TYPE_MAX 320

typedef struct typemap_result {
	/* target */
	char pg_type[TM_TYPE_MAX]; /* as format_type() prints it, e.g. "numeric(20,0)" */
	uint32_t oid;              /* 0 for enums */
	typemap_pg pg;
	int32_t mod;               /* length (varchar/char/bit), precision (numeric), fsp
	                              (timestamp/time/interval); -1 when none */
	int32_t scale;             /* numeric scale; -1 when none */
	const typemap_enum *pg_enum; /* TM_PG_ENUM with labels from the rules, else NULL */
	typemap_geom pg_geom;      /* TM_PG_GEOMETRY: the typmod's subtype (ANY: none) */
	uint32_t pg_srid;          /* TM_PG_GEOMETRY: the typmod's SRID (0: none) */
	bool cast;                 /* the target came from an override */
	/* source */
	typemap_src src;
	charset_id charset;        /* text-like sources (text, enum, set, json) */
	bool src_unsigned;
	int src_bits;              /* integers: 8/16/24/32/64; bit(n): n */
	int src_precision, src_scale, src_fsp;
	uint32_t srid;             /* geometry: the column's SRID (attr "srid"), 0 when unknown */
	bool tinyint1;             /* source is tinyint(1) */
	/* why a lookup failed, without the column's name: "unsupported MySQL type 'foo' (cast
	 * it with --cast or a rules file)"; the caller logs it (column "c": why), reports it or
	 * ignores it */
	char why[512];
} typemap_result;

/* the PostgreSQL type of a MySQL column (domain mysql); false (r->why set, nothing
 * logged) when the column's type is unknown or an override cannot apply */
CHECKED bool typemap_lookup(const rs_column *mysql_col, const typemap_overrides *o, typemap_result *r);
/* parses a PostgreSQL type name (format_type() output or a usual spelling:
 * int4, varchar(10), timestamptz, "double precision", bool, decimal(10,2) ...)
 * into r's target fields; an unknown name is looked up in o's enums. False when
 * not a supported type (no log: callers word the message). */
CHECKED bool typemap_parse_pg_type(const char *text, const typemap_overrides *o, typemap_result *r);
/* the source class of a MySQL column (no override applied) */
typemap_src typemap_source(const rs_column *mysql_col);
const char *typemap_pg_name(typemap_pg pg);

#endif
