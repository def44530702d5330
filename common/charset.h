/*
 * charset.h - MySQL character sets to UTF-8, with validation and policies.
 *
 * Supported source character sets (MySQL names):
 *   utf8mb4, utf8mb3 (alias utf8)  validated as UTF-8 the way PostgreSQL does
 *                                  (no overlong forms, no surrogates, <= U+10FFFF)
 *   latin1                          MySQL's latin1 is Windows cp1252: 0x80 is U+20AC,
 *                                   and the five bytes cp1252 leaves undefined (0x81,
 *                                   0x8D, 0x8F, 0x90, 0x9D) map to U+0081 etc., exactly
 *                                   as MySQL's CONVERT(... USING utf8mb4) does
 *   ascii                           bytes 0x00-0x7F; others are invalid
 *   binary                          not text: callers keep the bytes (bytea)
 *
 * PostgreSQL text cannot hold NUL, so a NUL byte is subject to a policy:
 *   reject  the value is refused (the default)
 *   strip   the NUL is removed
 *   escape  the NUL is replaced by the six characters \u0000
 * Bytes that are not valid in the source character set are subject to another:
 *   reject  the value is refused (the default)
 *   replace each maximal invalid subsequence becomes U+FFFD (Unicode's recommended
 *           practice, as in WHATWG decoders)
 *
 * A conversion can be fed in pieces (huge values): an incomplete UTF-8 sequence at
 * the end of a piece is carried over to the next.
 *
 *   charset_conv c;
 *   charset_conv_init(&c, CHARSET_LATIN1, CHARSET_NUL_REJECT, CHARSET_INVALID_REJECT);
 *   if (!charset_conv_feed(&c, p, n, &out) || !charset_conv_finish(&c, &out))
 *       reject(c.error);
 */
#ifndef CHARSET_H
#define CHARSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef enum charset_id {
	CHARSET_UNKNOWN = 0,
	CHARSET_UTF8MB4,
	CHARSET_UTF8MB3,
	CHARSET_LATIN1,
	CHARSET_ASCII,
	CHARSET_BINARY
} charset_id;

typedef enum charset_nul_action {
	CHARSET_NUL_REJECT = 0,
	CHARSET_NUL_STRIP,
	CHARSET_NUL_ESCAPE
} charset_nul_action;

typedef enum charset_invalid_action {
	CHARSET_INVALID_REJECT = 0,
	CHARSET_INVALID_REPLACE
} charset_invalid_action;

/* a MySQL character set name ("utf8mb4", "utf8", "latin1", ...); CHARSET_UNKNOWN otherwise */
charset_id charset_from_name(const char *name);
const char *charset_name(charset_id cs);

typedef struct charset_conv {
	charset_id cs;
	charset_nul_action nul;
	charset_invalid_action invalid;
	uint8_t pend[4];      /* incomplete UTF-8 sequence carried between pieces */
	size_t npend;
	uint64_t in_bytes;    /* source bytes consumed so far */
	uint64_t nchars;      /* characters written so far */
	uint64_t nul_changed; /* NUL bytes stripped or escaped */
	uint64_t invalid_changed; /* U+FFFD substitutions */
	const char *error;    /* why the value was refused (static string) */
	uint64_t error_offset; /* byte offset of the offending byte in the source value */
} charset_conv;

void charset_conv_init(charset_conv *c, charset_id cs, charset_nul_action nul,
                       charset_invalid_action invalid);
/* converts a piece; appends UTF-8 to out; false when the value must be refused (c->error) */
bool charset_conv_feed(charset_conv *c, const uint8_t *in, size_t n, buf *out);
/* ends the value (an incomplete trailing sequence is invalid) */
bool charset_conv_finish(charset_conv *c, buf *out);

/* whole value at once */
bool charset_to_utf8(charset_conv *c, const uint8_t *in, size_t n, buf *out);

/* the reverse, for text that is to be compared in the source character set (e.g. a
 * key printed by PostgreSQL): appends UTF-8 text in[0..n) in charset cs (latin1, ascii,
 * utf8mb3, utf8mb4) to out; false (nothing logged, out possibly partly written) when in is
 * not valid UTF-8 or holds a character cs cannot represent */
bool charset_from_utf8(charset_id cs, const uint8_t *in, size_t n, buf *out);

/* length of the valid UTF-8 sequence at p (1-4), 0 when p[0..n) is a valid but
 * incomplete prefix, or -k when invalid (k = length of the maximal invalid subpart, >= 1) */
int charset_utf8_seq(const uint8_t *p, size_t n);
/* number of characters of valid UTF-8 */
size_t charset_utf8_count(const uint8_t *p, size_t n);
/* appends code point cp as UTF-8 */
void charset_put_utf8(buf *out, uint32_t cp);

#endif
