/*
 * charset.h - MySQL character sets to UTF-8, with validation and policies.
 *
 * Every character set MariaDB 10.11 lists in information_schema.character_sets (and gb18030
 * of MySQL 8), by MySQL name, with ONE table in charset.c (name -> how its bytes are read):
 *   utf8mb4, utf8mb3 (alias utf8)  validated as UTF-8 the way PostgreSQL does
 *                                  (no overlong forms, no surrogates, <= U+10FFFF)
 *   single-byte sets (latin1, cp1251, koi8r, ...)  a 256-entry table built from glibc iconv
 *                                  on first use
 *   multi-byte and wide sets (gbk, big5, sjis, ujis, ucs2, utf16, utf32, ...)  glibc iconv
 *   binary                          not text: callers keep the bytes (bytea)
 * Where MySQL maps a character differently from iconv (its latin1 is cp1252 with the five
 * undefined bytes as U+0081 etc.; sjis 0x5C is a backslash; gbk 0x80 and the lone C1 bytes of
 * ujis/eucjpms are not characters; big5 lacks the ETEN extensions; cp1256, cp866, greek, tis620,
 * keybcs2 (cp437 based: glibc has no keybcs2) ...), the deviation list charset_devs.h, generated
 * from the server's own CONVERT(... USING utf8mb4) by tests/charset-sweep, says so. What MySQL
 * itself turns into '?' or U+FFFD, and ucs2 surrogates, are invalid here.
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
 * A conversion can be fed in pieces (huge values): an incomplete character at the end of
 * a piece is carried over to the next. Invalid sequences are replaced one code unit at a
 * time (a byte; 2 bytes for ucs2/utf16/utf16le, 4 for utf32), error_offset is the source
 * offset of the first bad byte (or of a NUL character). Not thread-safe (tables and iconv
 * descriptors are built once per process, on first use).
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
	CHARSET_BINARY,
	/* the others MariaDB 10.11 lists in information_schema.character_sets, through iconv */
	CHARSET_ARMSCII8,
	CHARSET_BIG5,
	CHARSET_CP1250,
	CHARSET_CP1251,
	CHARSET_CP1256,
	CHARSET_CP1257,
	CHARSET_CP850,
	CHARSET_CP852,
	CHARSET_CP866,
	CHARSET_CP932,
	CHARSET_DEC8,
	CHARSET_EUCJPMS,
	CHARSET_EUCKR,
	CHARSET_GB2312,
	CHARSET_GBK,
	CHARSET_GEOSTD8,
	CHARSET_GREEK,
	CHARSET_HEBREW,
	CHARSET_HP8,
	CHARSET_KEYBCS2,
	CHARSET_KOI8R,
	CHARSET_KOI8U,
	CHARSET_LATIN2,
	CHARSET_LATIN5,
	CHARSET_LATIN7,
	CHARSET_MACCE,
	CHARSET_MACROMAN,
	CHARSET_SJIS,
	CHARSET_SWE7,
	CHARSET_TIS620,
	CHARSET_UCS2,
	CHARSET_UJIS,
	CHARSET_UTF16,
	CHARSET_UTF16LE,
	CHARSET_UTF32,
	CHARSET_GB18030, /* MySQL 8 */
	CHARSET_COUNT
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
/* the glibc iconv name the set is read with, before MySQL's deviations (NULL: UTF-8, binary) */
const char *charset_iconv_name(charset_id cs);
/* a known set that is text (not binary) */
bool charset_is_text(charset_id cs);
/* bytes per code unit: 2 for ucs2/utf16/utf16le, 4 for utf32, 1 otherwise */
int charset_unit(charset_id cs);

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
 * key printed by PostgreSQL): appends UTF-8 text in[0..n) in charset cs to out; false (nothing
 * logged, out possibly partly written) when in is not valid UTF-8, holds a character cs cannot
 * represent, or does not convert back to exactly in */
bool charset_from_utf8(charset_id cs, const uint8_t *in, size_t n, buf *out);

/* length of the valid UTF-8 sequence at p (1-4), 0 when p[0..n) is a valid but
 * incomplete prefix, or -k when invalid (k = length of the maximal invalid subpart, >= 1) */
int charset_utf8_seq(const uint8_t *p, size_t n);
/* number of characters of valid UTF-8 */
size_t charset_utf8_count(const uint8_t *p, size_t n);
/* appends code point cp as UTF-8 */
void charset_put_utf8(buf *out, uint32_t cp);

#endif
