/*
 * rowstream_int.h - what the parts of the row stream code share (not for the tools):
 * the frame constants of man/man5/rowstream.5, the value decoder and the stream digest.
 *
 * The format is split over rowstream_header.c (the header), rowstream_value.c (values),
 * rowstream_write.c (the writer) and rowstream_read.c (the reader), behind rowstream.h.
 * The value decoder is static inline here so that the writer's and the reader's row loops
 * keep it inlined.
 */
#ifndef ROWSTREAM_INT_H
#define ROWSTREAM_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <xxhash.h>

#include "byteorder.h"
#include "cursor.h"
#include "rowstream.h"

#define FRAME_BLOCK 'B'
#define FRAME_CHUNK 'V'
#define FRAME_TRAILER 'T'
#define BLOCK_HDR_V1 20
#define CHUNK_HDR_V1 8
#define BLOCK_HDR 36 /* v2: v1's fields, then u64 seq, u64 prev */
#define CHUNK_HDR 24 /* v2: v1's fields, then u64 seq, u64 prev */
#define TRAILER_LEN 40
#define BLOCK_ZSTD 0x01
#define CHUNK_LAST 0x01

/* fuzzing builds skip checksum comparisons so the fuzzer reaches the parsers behind them */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define SUM_BAD(a, b) ((void)(a), (void)(b), false)
#else
#define SUM_BAD(a, b) ((a) != (b))
#endif

/* rs_encode_value, inlined where the writer puts values */
static inline void encode_value(buf *b, const void *data, size_t len, bool null)
{
	if (null) {
		buf_put_varint(b, 0);
		return;
	}
	buf_put_varint(b, ((uint64_t)len << 1) + 1);
	buf_append(b, data, len);
}

/* a value's tag: cur_varint, with the two-byte tags of values of 64 to 8191 bytes read in place */
static inline bool read_tag(cursor *c, uint64_t *v)
{
	if (c->p < c->end) {
		uint8_t b = c->p[0];
		if (!(b & 0x80)) {
			*v = b;
			c->p++;
			return true;
		}
		if (c->end - c->p >= 2 && c->p[1] != 0 && !(c->p[1] & 0x80)) {
			*v = (uint64_t)(b & 0x7F) | (uint64_t)c->p[1] << 7;
			c->p += 2;
			return true;
		}
	}
	return cursor_varint_slow(c, v);
}

/* decodes one value; chunked values are accepted only when allow_chunked */
static inline bool decode_value(cursor *c, rs_value *v, bool allow_chunked)
{
	uint64_t tag;
	if (!read_tag(c, &tag))
		return false;
	if (tag == 0) {
		*v = (rs_value){.null = true};
		return true;
	}
	tag -= 1;
	uint64_t len = tag >> 1;
	if (tag & 1) {
		if (!allow_chunked || len == 0)
			return false;
		*v = (rs_value){.len = len, .chunked = true};
		return true;
	}
	if (len > (uint64_t)(c->end - c->p))
		return false;
	*v = (rs_value){.data = c->p, .len = len};
	c->p += len;
	return true;
}

/* rs_decode_values, inlined where the reader checks block keys */
static inline bool decode_values(const uint8_t *p, size_t len, size_t n, rs_value *out)
{
	cursor c = {p, p + len};
	for (size_t i = 0; i < n; i++)
		if (!decode_value(&c, &out[i], false))
			return false;
	return c.p == c.end;
}

static inline void digest_add(uint64_t *digest, uint64_t checksum)
{
	uint8_t x[8];
	byteorder_put_u64le(x, checksum);
	*digest = XXH3_64bits_withSeed(x, 8, *digest);
}

#endif
