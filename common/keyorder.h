/*
 * keyorder.h - one total order on primary-key values, the same for every
 * stream whatever its layout or the server it came from.
 *
 * Used to report the smallest and largest key of a set of rows and to
 * merge two key-ordered streams. Values compare by their type:
 *
 *   PostgreSQL domain (binary COPY values, by type OID)
 *     int2 int4 int8 date time timestamp timestamptz   as signed integers
 *     float4 float8                  as numbers, NaN after everything
 *     numeric                        as numbers: -Infinity < ... < Infinity < NaN
 *     interval                       by total span (a month is 30 days), as PostgreSQL does
 *     oid, bool, uuid, text, varchar, bpchar, bytea and everything else
 *                                    byte by byte (a prefix first): the order of
 *                                    PostgreSQL's COLLATE "C"
 *   MySQL domain (text protocol bytes, by MYSQL_TYPE_* code)
 *     integer, year and decimal types as decimal numbers; float/double as numbers
 *     everything else                byte by byte
 *
 * Values of a type that are equal as numbers but differ in bytes (numeric
 * 1.0 and 1.00) are ordered by their bytes, so the order stays total and two
 * different byte strings never compare equal. NULL sorts first (keys never
 * hold NULL, but the order is total anyway).
 */
#ifndef KEYORDER_H
#define KEYORDER_H

#include "checked.h"

#include <stdbool.h>
#include <stdint.h>

#include "rowstream.h"

/* true when every key column of h has a type that MySQL, PostgreSQL and this order all sort
 * the same way (integers, decimals, floats, dates and times, binary strings), so that
 * streams extracted in primary-key order from either server are in this order; text keys
 * (collations), enums (declaration order), uuids and booleans are not */
CHECKED bool keyorder_agrees(const rs_header *h);

/* compares two values of column c of a stream of the given domain */
int keyorder_cmp_value(uint8_t domain, const rs_column *c, const rs_value *a, const rs_value *b);
/* compares two keys of h (nkey values each, in key order) */
int keyorder_cmp(const rs_header *h, const rs_value *a, const rs_value *b);

#endif
