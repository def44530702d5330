/*
 * rowstream.h - the binary row stream, format version 2 (writer and reader;
 * the reader also reads version 1).
 *
 * The normative specification is man/man5/rowstream.5; this is a summary.
 * All framing integers are little-endian; checksums are XXH3-64 (xxhash).
 *
 *   stream  = header frame*(block | value-chunk) trailer
 *   header  = magic[8] "\x89ROW\r\n\x1a\n" | u16 version=2 | u16 flags=0 |
 *             u32 body_len | body | u64 xxh3(magic..body)
 *   body    = u8 domain | u8 reserved=0 | str schema | str table |
 *             varint nmeta { str key | str value } |
 *             varint ncols { str name | str type | varint code | varint flags |
 *                            varint keypos | varint nattr { str key | str value } }
 *   block   = 'B' | u8 flags (bit0 zstd) | u16 0 | u32 nrows | u32 raw_len |
 *             u32 stored_len | u32 key_len | u64 seq | u64 prev | key[key_len] |
 *             payload[stored_len] | u64 xxh3(from 'B' to end of payload)
 *   chunk   = 'V' | u8 flags (bit0 last) | u16 0 | u32 len | u64 seq | u64 prev |
 *             data[len] | u64 xxh3(frame)
 *   trailer = 'T' | u8 0 | u16 0 | u32 0 | u64 rows | u64 frames | u64 digest | u64 xxh3(frame)
 *   row     = ncols x value; value = varint tag: 0 NULL, else tag-1 = len<<1 | chunked,
 *             followed by len bytes unless chunked.
 *   seq     = 0, 1, 2... over the block and chunk frames; prev = the checksum of the frame
 *             before (of the header for seq 0): a frame dropped, repeated, reordered or
 *             taken from another stream is rejected at that frame, before any of its rows.
 *   digest  = chain: d0 = header checksum; d = xxh3_withSeed(frame checksum as u64le, d)
 *
 * Block keys differ from block to block, and increase where the reader knows the order
 * of the key's types (keyorder_agrees()). Version 1 has no seq and prev (block 20 bytes,
 * chunk 8 bytes before the key/data): its reader relies on the key checks and the trailer.
 *
 * A worked example is in man/man5/rowstream.5 and tests/unit/golden/.
 *
 * Chunked ("large") values are those longer than the writer's inline limit.
 * They can only appear in the last row of a block; their bytes follow that
 * block in 'V' frames, value after value in column order.
 */
#ifndef ROWSTREAM_H
#define ROWSTREAM_H

#include "checked.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"

#define RS_VERSION 2
#define RS_MAGIC "\x89ROW\r\n\x1a\n"
#define RS_MAGIC_LEN 8

#define RS_DOMAIN_MYSQL 1 /* raw source values: MySQL text-protocol bytes */
#define RS_DOMAIN_PG 2    /* PostgreSQL binary COPY representation of the column type */

/* column flags */
#define RS_COL_NOT_NULL 0x01
#define RS_COL_UNSIGNED 0x02
#define RS_COL_GENERATED 0x04
#define RS_COL_BINARY 0x08 /* binary charset/collation: bytes, not text */
#define RS_COL_FLAGS_KNOWN 0x0f

/* limits a reader enforces (memory is bounded by these, never by the stream) */
#define RS_MAX_HEADER (16u << 20)
#define RS_MAX_BLOCK (64u << 20)
#define RS_MAX_CHUNK (16u << 20)
#define RS_MAX_COLS 4096

/* writer defaults */
#define RS_DEFAULT_BLOCK_BYTES (256u << 10)
#define RS_DEFAULT_INLINE_MAX (16u << 20) /* longer values are chunked */
#define RS_CHUNK_BYTES (1u << 20)

typedef struct rs_attr {
	char *key;
	char *value;
	size_t value_len;
} rs_attr;

typedef struct rs_column {
	char *name;
	char *type;      /* declared type in the stream's domain: "int(10) unsigned", "numeric(20,0)" */
	uint32_t code;   /* MySQL enum_field_types value, or PostgreSQL type OID (0: by name) */
	uint32_t flags;  /* RS_COL_* */
	uint32_t keypos; /* 0: not in the key; n: n-th column of the primary key */
	size_t nattr;
	rs_attr *attrs;  /* type parameters: precision, scale, fsp, charset, collation, member... */
} rs_column;

typedef struct rs_header {
	uint8_t domain;
	char *schema;
	char *table;
	size_t nmeta;
	rs_attr *meta; /* source metadata: e.g. source=mysql, binlog_file, binlog_pos, gtid */
	size_t ncols;
	rs_column *cols;
	size_t nkey;   /* number of key columns (derived) */
	size_t *key;   /* key[i] = column index of the (i+1)-th key column (derived) */
} rs_header;

/* building and inspecting headers */
rs_header *rs_header_new(uint8_t domain, const char *schema, const char *table);
void rs_header_free(rs_header *h);
/* a finished copy of h; NULL (logged) when its key positions are not 1..n */
rs_header *rs_header_copy(const rs_header *h);
void rs_header_add_meta(rs_header *h, const char *key, const char *value);
const char *rs_header_meta(const rs_header *h, const char *key);
/* returns the new column's index */
size_t rs_header_add_column(rs_header *h, const char *name, const char *type, uint32_t code,
                            uint32_t flags, uint32_t keypos);
void rs_column_add_attr(rs_column *c, const char *key, const char *value);
void rs_column_add_attr_n(rs_column *c, const char *key, const char *value, size_t n);
/* first attribute named key, or NULL */
const char *rs_column_attr(const rs_column *c, const char *key);
/* recomputes nkey/key from keypos; false (and logs) when the key positions are not 1..n */
CHECKED bool rs_header_finish(rs_header *h);
int rs_header_find(const rs_header *h, const char *name); /* -1 when absent */

/* ---------------------------------------------------------------- writer */

typedef struct rs_writer_opts {
	size_t block_bytes; /* flush a block when its raw payload reaches this; 0: default */
	size_t inline_max;  /* values longer than this are chunked; 0: default */
	int zstd_level;     /* 0: no compression */
	uint32_t block_rows; /* flush after this many rows; 0: no limit */
} rs_writer_opts;

typedef struct rs_writer rs_writer;

/* writes the header at once; name is used in messages ("stdout", a path) */
rs_writer *rs_writer_new(int fd, const char *name, const rs_header *h, const rs_writer_opts *opts);
/* values of a row, in column order; end_row checks the count */
CHECKED bool rs_writer_put(rs_writer *w, const void *data, size_t len);
CHECKED bool rs_writer_put_null(rs_writer *w);
/* a value given in pieces (for huge values): begin with its total length, then more... */
CHECKED bool rs_writer_put_begin(rs_writer *w, uint64_t total_len);
CHECKED bool rs_writer_put_more(rs_writer *w, const void *data, size_t len);
CHECKED bool rs_writer_put_end(rs_writer *w);
CHECKED bool rs_writer_end_row(rs_writer *w);
/* a whole row at once, its values already encoded one after the other as rs_encode_value
 * encodes them (none chunked, none longer than inline_max): rs_writer_put of each, then
 * rs_writer_end_row, without a call per value */
CHECKED bool rs_writer_put_row(rs_writer *w, const uint8_t *row, size_t len);
/* the same for a row its caller encoded and knows: voff[i], vlen[i] and vnull[i] say where
 * column i's value is in row (voff and vlen unread when vnull), so the row is not walked again;
 * the values' encoding is the caller's promise, not checked */
CHECKED bool rs_writer_put_row_at(rs_writer *w, const uint8_t *row, size_t len, const size_t *voff,
                                  const size_t *vlen, const bool *vnull);
/* drops the values put since the last end_row */
void rs_writer_abort_row(rs_writer *w);
/* ends the current block now (e.g. at a batch boundary) */
CHECKED bool rs_writer_flush(rs_writer *w);
/* writes the last block and the trailer; false on any write error so far */
CHECKED bool rs_writer_finish(rs_writer *w);
void rs_writer_free(rs_writer *w);
uint64_t rs_writer_rows(const rs_writer *w);
uint64_t rs_writer_bytes(const rs_writer *w); /* bytes written so far */

/* ---------------------------------------------------------------- reader */

typedef struct rs_value {
	const uint8_t *data; /* NULL when null or chunked */
	uint64_t len;        /* total length (also for chunked values) */
	bool null;
	bool chunked;        /* read it with rs_reader_value_read() */
} rs_value;

typedef struct rs_reader rs_reader;

/* reads and verifies the header; NULL (and logs) on error. Reads versions 1 and 2 (warns
 * about version 1, whose missing or repeated blocks are only detected at the trailer). */
rs_reader *rs_reader_new(int fd, const char *name);
void rs_reader_free(rs_reader *r);
const rs_header *rs_reader_header(const rs_reader *r);
/* 1: a row is ready, 0: clean end of stream (trailer verified), -1: error (logged) */
int rs_reader_next(rs_reader *r);
/* values of the current row; valid until the next rs_reader_next */
const rs_value *rs_reader_values(const rs_reader *r);
/* reads up to cap bytes of chunked value col; returns bytes read, 0 at its end, -1 on error.
 * Chunked values must be read in column order; unread ones are skipped (and verified). */
long long rs_reader_value_read(rs_reader *r, size_t col, void *out, size_t cap);
/* statistics */
uint64_t rs_reader_rows(const rs_reader *r);     /* rows returned so far */
uint64_t rs_reader_blocks(const rs_reader *r);   /* blocks read so far */
/* the current row is the last of its block; its key (encoded as a row of the key columns) */
CHECKED bool rs_reader_at_block_end(const rs_reader *r);
const uint8_t *rs_reader_block_key(const rs_reader *r, size_t *len);
uint64_t rs_reader_offset(const rs_reader *r); /* bytes consumed from the input */

/* encode a row of values (as in a block payload) into b; used for keys */
void rs_encode_value(buf *b, const void *data, size_t len, bool null);
/* decode n values from an encoded key/row; false when malformed */
CHECKED bool rs_decode_values(const uint8_t *p, size_t len, size_t n, rs_value *out);

#endif
