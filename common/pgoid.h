/*
 * pgoid.h - the OIDs of PostgreSQL's built-in types, defined once.
 *
 * pg_type.oid of a built-in type is fixed in PostgreSQL's catalog
 * (src/include/catalog/pg_type.dat) and the same in every version since 8.x,
 * so a stream's column code (rowstream(5), domain postgresql), a binary COPY
 * array's element type and the type map's targets can name them as constants.
 * User-defined types (enums, domains, PostGIS) get OIDs from
 * PGOID_FIRST_NORMAL on, which differ between databases: a stream carries 0
 * for them.
 *
 *   text = 25 = 0x00000019: the element type of a text[] in binary COPY is
 *   written 00 00 00 19.
 */
#ifndef PGOID_H
#define PGOID_H

enum {
	PGOID_BOOL = 16,
	PGOID_BYTEA = 17,
	PGOID_CHAR = 18,
	PGOID_NAME = 19,
	PGOID_INT8 = 20,
	PGOID_INT2 = 21,
	PGOID_INT4 = 23,
	PGOID_TEXT = 25,
	PGOID_OID = 26,
	PGOID_TID = 27,
	PGOID_JSON = 114,
	PGOID_XML = 142,
	PGOID_FLOAT4 = 700,
	PGOID_FLOAT8 = 701,
	PGOID_UNKNOWN = 705,
	PGOID_INET = 869,
	PGOID_TEXT_ARRAY = 1009,
	PGOID_BPCHAR = 1042,
	PGOID_VARCHAR = 1043,
	PGOID_DATE = 1082,
	PGOID_TIME = 1083,
	PGOID_TIMESTAMP = 1114,
	PGOID_TIMESTAMPTZ = 1184,
	PGOID_INTERVAL = 1186,
	PGOID_TIMETZ = 1266,
	PGOID_BIT = 1560,
	PGOID_VARBIT = 1562,
	PGOID_NUMERIC = 1700,
	PGOID_UUID = 2950,
	PGOID_JSONB = 3802,
	/* FirstNormalObjectId: user-defined objects have OIDs from here on */
	PGOID_FIRST_NORMAL = 16384
};

#endif
