/*
 * pgtext.h - PostgreSQL binary COPY values rendered as PostgreSQL's text output.
 *
 * A PG-domain row stream carries each value exactly as `COPY ... TO STDOUT
 * (FORMAT binary)` writes it (the bytes after the int32 length). This module
 * turns such a value into the text PostgreSQL 15 itself prints for it with the
 * default session settings and TimeZone=UTC:
 *
 *     DateStyle=ISO, IntervalStyle=postgres, bytea_output=hex,
 *     extra_float_digits=1 (shortest exact float output), TimeZone=UTC
 *
 * so that `SELECT v::text` and pgtext_format() of the binary form of v are
 * byte-identical. Worked examples (binary value in hex -> text):
 *
 *     int4        00 00 00 2a                         -> 42
 *     numeric     0002 0000 4000 0002 0001 0d80       -> -1.3456  (ndigits 2, weight 0,
 *                                                        sign neg, dscale 4: digits 1, 3456)
 *     date        ff ff ff e7                         -> 1999-12-07 (-25 days from 2000-01-01)
 *     timestamptz 00 00 00 00 00 00 00 00             -> 2000-01-01 00:00:00+00
 *     text[]      00000001 00000000 00000019          -> {a,"b c"}
 *                 (ndim 1, no nulls, element type 25)
 *                 00000002 00000001  (dimension 2, lower bound 1)
 *                 00000001 61  00000003 622063  (elements "a" and "b c")
 *
 * Types rendered by their own rules: bool, "char", name, int2, int4, int8,
 * oid, float4, float8, numeric, text, varchar, bpchar, json, jsonb, xml,
 * bytea, date, time, timetz, timestamp, timestamptz (always shown in UTC with
 * the +00 offset), interval, uuid, bit, varbit and arrays of any of them (any
 * number of dimensions, with PostgreSQL's quoting and [lb:ub]= decoration).
 * Any other OID (enums, user types, 0) is shown as its bytes, which is the
 * label for an enum and the text for text-like user types.
 *
 * The functions never log: they return false when the bytes are not a valid
 * binary representation of the type (out is then left unchanged) and the
 * caller reports it with the column it knows.
 */
#ifndef PGTEXT_H
#define PGTEXT_H

#include "checked.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "pgoid.h" /* the type OIDs pgtext_format takes */


/* appends the text output of the binary value (data, len) of type oid to out */
CHECKED bool pgtext_format(buf *out, uint32_t oid, const void *data, size_t len);
/* the same for a value known to be an array (e.g. of a user type, whose OID
 * the caller does not know): elements are rendered by their own OID */
CHECKED bool pgtext_format_array(buf *out, const void *data, size_t len);

/* element type of a built-in array type, 0 when oid is not one */
uint32_t pgtext_array_elem(uint32_t oid);
/* array type of a built-in element type, 0 when unknown */
uint32_t pgtext_array_of(uint32_t elem_oid);
/* true when pgtext_format renders the OID by rules of its own (not as bytes) */
CHECKED bool pgtext_known(uint32_t oid);
/* true for types whose binary form is their text bytes (text, varchar, bpchar,
 * name, unknown): such values can go into any column of these types, json, or an enum */
CHECKED bool pgtext_is_textlike(uint32_t oid);

#endif
