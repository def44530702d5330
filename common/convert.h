/*
 * convert.h - MySQL text-protocol values to PostgreSQL binary COPY values.
 *
 * A MySQL-domain value is the bytes mysql_fetch_row returns for it; the result
 * is the field of `COPY ... TO STDOUT (FORMAT binary)` for the target type
 * (typemap.h), byte-identical to what PostgreSQL 15 sends for the same value:
 *
 *   boolean            1 byte 0/1
 *   smallint/int/bigint big-endian two's complement, 2/4/8 bytes
 *   numeric            numeric.h (numeric_send)
 *   real/double        IEEE 754 bits, big-endian (strtof/strtod of the text, as float4in/float8in)
 *   date               int32 days since 2000-01-01 (-infinity: INT32_MIN)
 *   timestamp[tz]      int64 microseconds since 2000-01-01 00:00 (UTC for tz; -infinity: INT64_MIN)
 *   interval           int64 microseconds | int32 days (0) | int32 months (0)
 *   time               int64 microseconds since midnight
 *   bit(n)/varbit      int32 bit length | bytes, first bit in the high bit of the first byte
 *   text/varchar/bpchar/enum  UTF-8 bytes (bpchar padded with spaces to its length)
 *   bytea, uuid        the bytes / 16 bytes
 *   jsonb              version byte 1 | canonical text (jsonb.h); json: the text
 *   text[]             int32 ndim | int32 0 | int32 25 | (int32 n | int32 1) | n x (int32 len | bytes)
 *                      (empty array: ndim 0 and no dimension)
 *   inet               u8 family (2 IPv4, 3 IPv6) | u8 bits | u8 is_cidr 0 | u8 nbytes | address
 *
 * Nothing changes silently: a value converts exactly or is refused with a reason;
 * the only changes are the policies below, one per class, whose use is reported.
 *
 *   class           actions (first = default)
 *   zero-date       reject | null | -infinity   0000-00-00, 0000-00-00 00:00:00, and
 *                                              partial dates (month or day 00, year 0000)
 *   nul-in-text     reject | strip | escape     NUL bytes in text (escape: the six
 *                                              characters \u0000)
 *   invalid-utf8    reject | replace            bytes invalid in the source character set
 *                                              (replace: U+FFFD per maximal invalid subpart)
 *   tinyint1-range  reject | true               a tinyint(1) -> boolean value other than 0, 1
 *                                              (true: any non-zero value is true)
 *   json-duplicate-key reject | keep-last | keep-first
 *                                              a JSON object with a key twice, into jsonb
 *                                              (keep-last: as jsonb_in; keep-first: what
 *                                              MariaDB's JSON_EXTRACT answers)
 *
 * An ENUM column with the attribute enum_form=index:text (my-extract writes it for an
 * ENUM that declares '' as a member) has values "<member index>:<text>": index 0 is
 * MySQL's invalid value, which the text alone cannot tell from the member '', and is
 * refused; otherwise the text is converted as usual.
 *
 * Time zones: MySQL DATETIME values are wall-clock times in the source time zone
 * (default UTC); TIMESTAMP values are printed by the server in the extracting
 * session's time_zone (header meta "time_zone", UTC when absent). Both become
 * UTC instants. A local time that falls in a DST gap, or twice in a DST fold,
 * takes the UTC offset in force just before the transition: a gap time is thus
 * shifted forward by the gap (02:30 in a 02:00->03:00 jump is 03:30, as
 * PostgreSQL does), and a fold time is its first (earlier) occurrence.
 */
#ifndef CONVERT_H
#define CONVERT_H

#include "checked.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "charset.h"
#include "rowstream.h"
#include "typemap.h"
#include "tz.h" /* convert_tz: the source time zones */

typedef enum convert_class {
	CONVERT_ZERO_DATE = 0,
	CONVERT_NUL_IN_TEXT,
	CONVERT_INVALID_UTF8,
	CONVERT_TINYINT1_RANGE,
	CONVERT_JSON_DUP_KEY,
	CONVERT_NCLASS
} convert_class;

typedef enum convert_action {
	CONVERT_REJECT = 0,
	CONVERT_NULL,
	CONVERT_NEG_INFINITY,
	CONVERT_STRIP,
	CONVERT_ESCAPE,
	CONVERT_REPLACE,
	CONVERT_TRUE,
	CONVERT_KEEP_LAST,
	CONVERT_KEEP_FIRST
} convert_action;

typedef struct convert_policies {
	convert_action action[CONVERT_NCLASS];
} convert_policies;

void convert_policies_init(convert_policies *p); /* all: reject */
/* "class=action"; false (and logs) when unknown or not allowed for the class */
CHECKED bool convert_policy_set(convert_policies *p, const char *spec);
const char *convert_class_name(convert_class c);
const char *convert_action_name(convert_action a);

typedef struct convert_column {
	typemap_result map;
	convert_policies pol;
	convert_tz *tz;         /* DATETIME/DATE sources */
	convert_tz *session_tz; /* TIMESTAMP sources */
	size_t nlabels;         /* enum labels (UTF-8) for TM_PG_ENUM */
	char **labels;
	size_t *label_lens;
	char *name;             /* column name, for messages */
	bool enum_index;        /* attribute enum_form=index:text: values are "<index>:<text>" */
	bool utf8;              /* text read as UTF-8 (utf8mb4, utf8mb3): checked, not converted */
} convert_column;

/* sets up the conversion of a MySQL column; false (and logs) when impossible */
CHECKED bool convert_column_init(convert_column *cc, const rs_column *mysql_col, const typemap_overrides *o,
                         const convert_policies *pol, convert_tz *tz, convert_tz *session_tz);
void convert_column_free(convert_column *cc);

typedef struct convert_status {
	bool null;          /* a policy turned the value into NULL */
	const char *reason; /* why the value was refused (static string); NULL when converted */
	uint32_t changed;   /* bit (1 << convert_class) per policy that changed the value */
} convert_status;

/* converts one value; true: out has the binary value appended (nothing when st->null);
 * false: refused, st->reason says why */
CHECKED bool convert_value(const convert_column *c, const uint8_t *in, size_t n, buf *out, convert_status *st);

/* how a value too large to hold (a chunked stream value) is converted */
typedef enum convert_stream_kind {
	CONVERT_STREAM_COPY,  /* output bytes = input bytes (bytea from bytes) */
	CONVERT_STREAM_TEXT,  /* charset conversion piece by piece (text targets without length) */
	CONVERT_STREAM_WHOLE  /* must be held whole (json, geometry...): convert_value */
} convert_stream_kind;

convert_stream_kind convert_stream_kind_of(const convert_column *c);
/* CONVERT_STREAM_TEXT: set up a charset conversion with the column's policies */
void convert_text_begin(const convert_column *c, charset_conv *cv);
/* after charset_conv_finish: the policy bits of the changes made */
uint32_t convert_text_changed(const charset_conv *cv);

/*
 * Profiling (row-convert --profile): naming what happened to a value.
 *
 * convert_refused_class: the policy class behind a refusal (reason as convert_value or the
 * text conversion gave it): the first class, in the order of the policy table, whose action
 * is reject and whose first other allowed action changes the outcome of the same conversion;
 * -1 when no policy covers it. Costs one conversion per class tried: call it for refused
 * values only.
 * convert_reason_slug: a short stable name for a refusal no policy covers: out-of-range,
 * time-out-of-range, too-long, not-enum-member, fraction-lost, time-of-day-lost,
 * invalid-date, invalid-time, invalid-number, time-zone, invalid-bits, invalid-uuid,
 * invalid-inet, invalid-geometry, invalid-json, unsupported-charset, unsupported; "refused"
 * for a reason not in that list.
 */
int convert_refused_class(const convert_column *c, const uint8_t *in, size_t n, const char *reason);
const char *convert_reason_slug(const convert_column *c, const char *reason);

#endif
