/*
 * rowdigest.h - content digests of row streams, independent of how the
 * stream is laid out.
 *
 * A row's hash is XXH3-128 of its canonical encoding: for each column, in
 * order, the value as a block payload encodes it inline (rowstream.h):
 *
 *     NULL          varint 0
 *     value v       varint (len(v) << 1) + 1, then the len(v) bytes of v
 *
 * So NULL and the empty string differ (00 versus 01), a value's bytes cannot
 * run into the next column's, and nothing depends on the table's name, the
 * column names or types, the block boundaries, compression, or whether a
 * large value was carried inline or in 'V' chunks: a row without chunked
 * values hashes exactly the bytes the block payload holds for it.
 *
 * A stream's digest combines the row hashes:
 *
 *   unordered (default)  two 64-bit sums modulo 2^64, of the low and of the
 *                        high halves of the row hashes: a multiset hash, so the
 *                        order of the rows does not matter while duplicates do
 *                        (a sum, unlike XOR, does not cancel a row seen twice);
 *   ordered              XXH3-128 over the sequence of row hashes.
 *
 * and the printed digest is XXH3-128 of (mode byte 'u' or 'o', column count,
 * row count, the combination), as 32 lowercase hex digits.
 *
 * One exception to "the bytes as they are": an array of a user type (an enum,
 * a domain...) carries its element type's OID (bytes 8-11 of the binary array),
 * a number private to one database that whoever wrote the stream may not know
 * (row-convert, or a producer writing 0). In PostgreSQL-domain columns whose
 * code is 0 and whose type ends in "[]", those four bytes are hashed as zeros.
 *
 * Why the unordered digest is sound enough: with row hashes that behave as
 * independent uniform 128-bit values, two different multisets of rows get the
 * same pair of sums with probability about 2^-128 (their difference is a
 * non-empty signed sum of random values that must vanish in both lanes). That
 * is far below the chance of an undetected disk or memory error. It protects
 * against accidents (a lost, duplicated, truncated or changed row), not
 * against someone crafting rows on purpose: XXH3 is not a cryptographic hash
 * and additive multiset hashes admit generalised-birthday attacks.
 */
#ifndef ROWDIGEST_H
#define ROWDIGEST_H

#include "checked.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "rowstream.h"

#define ROWDIGEST_HEX 33 /* 32 hex digits and a NUL */

typedef struct rowhash {
	uint64_t lo, hi;
} rowhash;

typedef struct rowdigest {
	bool ordered;
	size_t ncols;
	uint64_t rows;
	uint64_t sum_lo, sum_hi; /* unordered */
	void *seq;               /* ordered: XXH3 state */
} rowdigest;

void rowdigest_init(rowdigest *d, size_t ncols, bool ordered);
void rowdigest_free(rowdigest *d);
void rowdigest_add(rowdigest *d, rowhash h);
/* 32 hex digits of the digest so far */
void rowdigest_hex(const rowdigest *d, char out[ROWDIGEST_HEX]);
/* 32 hex digits of one row hash */
void rowhash_hex(rowhash h, char out[ROWDIGEST_HEX]);
CHECKED bool rowhash_equal(rowhash a, rowhash b);

/* appends the canonical encoding of n inline values (none chunked) */
void rowdigest_encode(buf *out, const rs_value *v, size_t n);
/* the hash of n inline values; scratch is reused between calls */
rowhash rowdigest_hash_values(buf *scratch, const rs_value *v, size_t n);
/* the hash of a byte string (XXH3-128, seed 0) */
rowhash rowdigest_hash_bytes(const void *p, size_t n);

/* true when column col of h is an array of a user type (see above) */
CHECKED bool rowdigest_user_array(const rs_header *h, size_t col);
/* zeroes the element type OID of an array value, for the n bytes p that start at
 * offset off of the value (a piece of a large value, or the whole value at 0) */
void rowdigest_zero_elem(uint8_t *p, size_t n, uint64_t off);

/* hashing the current row of a reader, large values included */
typedef struct rowhasher {
	buf scratch;
	void *state; /* XXH3 state, for rows with chunked values */
	uint8_t *chunk;
	const rs_header *h; /* the header user_array was computed for */
	bool *user_array;   /* per column: rowdigest_user_array() */
	bool any_user_array;
} rowhasher;

void rowhasher_init(rowhasher *rh);
void rowhasher_free(rowhasher *rh);
/* hashes the reader's current row; chunked values are read (so they cannot be
 * read again). false on a read error (logged by the reader). */
CHECKED bool rowhasher_row(rowhasher *rh, rs_reader *r, rowhash *out);

/* the bucket (0..n-1) of a row by its key: key values (in key order) are
 * encoded canonically and hashed (XXH3-64) with a seed of their own, and the
 * hash's top 32 bits mapped to 0..n-1 by multiply-high; so both sides of a
 * comparison agree whatever the stream's order and layout */
uint32_t rowdigest_bucket(buf *scratch, const rs_value *key, size_t nkey, uint32_t n);

#endif
