/*
 * rowstream_read.c - the row stream reader: v2 and v1 streams, every check of
 * man/man5/rowstream.5 (rowstream.h).
 */
#include "rowstream.h"

#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>
#include <zstd.h>

#include "byteorder.h"
#include "cursor.h"
#include "keyorder.h"
#include "log.h"
#include "pipebuf.h"
#include "rowstream_int.h"

/* the read buffer: a fill takes a block header and the start of its payload */
#define RBUF_SIZE (16u << 10)

struct rs_reader {
	int fd;
	char *name;
	rs_header *h;
	bool failed;
	bool done;
	/* input buffer */
	uint8_t *in;
	size_t in_pos, in_len;
	bool eof;
	uint64_t offset; /* bytes consumed */
	/* current block */
	buf frame;  /* header + key + stored payload */
	buf raw;    /* decompressed payload (when compressed) */
	const uint8_t *payload;
	size_t payload_len;
	const uint8_t *key;
	size_t key_len;
	uint32_t block_nrows;
	uint32_t block_row; /* rows returned from this block */
	cursor rows;
	ZSTD_DCtx *zctx;
	rs_value *vals;
	/* chunked values of the current row */
	size_t chunk_col;     /* column index of the chunked value being read, or ncols */
	uint64_t chunk_left;  /* bytes of that value still to deliver */
	buf chunk;            /* current 'V' frame data */
	size_t chunk_pos;
	uint64_t rows_total;
	uint64_t blocks;
	uint64_t frames;   /* also the sequence number the next frame must carry (v2) */
	uint64_t digest;
	uint16_t version;  /* 1 or 2 */
	size_t block_hdr, chunk_hdr; /* fixed part of a block and a chunk frame in this version */
	uint64_t prev_sum; /* checksum of the last frame read (of the header at first) */
	bool key_ordered;  /* block keys must increase (keyorder), not only differ */
	buf prevkey;       /* key of the previous block */
	rs_value *kv;      /* 2 x nkey: this block's key and the previous one, decoded */
};

static bool r_fail(rs_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool r_fail(rs_reader *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!r->failed)
		log_error("%s: %s (at byte %" PRIu64 ")", r->name, msg, r->offset);
	r->failed = true;
	return false;
}

/* reads exactly n bytes; *got tells how many arrived before EOF. Small reads (a block's header)
 * go through the read buffer, which is filled RBUF_SIZE at a time; what is left of a large one
 * (a block's payload) once the buffer is empty is read straight into dst, so that most bytes
 * are not copied twice */
static bool r_read(rs_reader *r, void *dst, size_t n, size_t *got)
{
	uint8_t *d = dst;
	size_t have = 0;
	while (have < n) {
		if (r->in_pos == r->in_len) {
			if (r->eof)
				break;
			bool direct = n - have >= RBUF_SIZE;
			ssize_t k = direct ? read(r->fd, d + have, n - have) : read(r->fd, r->in, RBUF_SIZE);
			if (k < 0) {
				if (errno == EINTR)
					continue;
				log_errno("%s: read error", r->name);
				r->failed = true;
				if (got)
					*got = have;
				return false;
			}
			if (k == 0) {
				r->eof = true;
				break;
			}
			if (direct) {
				have += (size_t)k;
				continue;
			}
			r->in_pos = 0;
			r->in_len = (size_t)k;
		}
		size_t m = r->in_len - r->in_pos;
		if (m > n - have)
			m = n - have;
		memcpy(d + have, r->in + r->in_pos, m);
		r->in_pos += m;
		have += m;
	}
	r->offset += have;
	if (got)
		*got = have;
	return have == n;
}

static bool r_need(rs_reader *r, void *dst, size_t n, const char *what)
{
	size_t got = 0;
	if (r_read(r, dst, n, &got))
		return true;
	if (r->failed)
		return false;
	return r_fail(r, "truncated stream: %s cut short (%zu of %zu bytes)", what, got, n);
}

static bool parse_attrs(cursor *c, rs_attr **attrs, size_t *n)
{
	uint64_t cnt;
	if (!cursor_varint(c, &cnt) || cnt > (uint64_t)(c->end - c->p))
		return false;
	for (uint64_t i = 0; i < cnt; i++) {
		char *k = NULL, *v = NULL;
		size_t vl = 0;
		if (!cursor_str(c, &k, NULL)) {
			return false;
		}
		if (!cursor_str(c, &v, &vl)) {
			free(k);
			return false;
		}
		*attrs = mem_realloc(*attrs, (*n + 1) * sizeof **attrs);
		(*attrs)[*n].key = k;
		(*attrs)[*n].value = v;
		(*attrs)[*n].value_len = vl;
		(*n)++;
	}
	return true;
}

static bool parse_header_body(rs_reader *r, const uint8_t *p, size_t len)
{
	cursor c = {p, p + len};
	uint8_t domain, reserved;
	if (!cursor_u8(&c, &domain) || !cursor_u8(&c, &reserved))
		return r_fail(r, "malformed header");
	if (domain != RS_DOMAIN_MYSQL && domain != RS_DOMAIN_PG)
		return r_fail(r, "unknown value domain %u in header", domain);
	if (reserved != 0)
		return r_fail(r, "reserved header byte is 0x%02x, must be zero", reserved);
	rs_header *h = mem_calloc(1, sizeof *h);
	r->h = h;
	h->domain = domain;
	if (!cursor_str(&c, &h->schema, NULL) || !cursor_str(&c, &h->table, NULL) || !parse_attrs(&c, &h->meta, &h->nmeta))
		return r_fail(r, "malformed header");
	uint64_t ncols;
	if (!cursor_varint(&c, &ncols) || ncols == 0 || ncols > RS_MAX_COLS)
		return r_fail(r, "malformed header: bad column count");
	h->cols = mem_calloc((size_t)ncols, sizeof *h->cols);
	for (uint64_t i = 0; i < ncols; i++) {
		rs_column *col = &h->cols[i];
		h->ncols++;
		uint64_t code, flags, keypos;
		if (!cursor_str(&c, &col->name, NULL) || !cursor_str(&c, &col->type, NULL) || !cursor_varint(&c, &code) ||
		    !cursor_varint(&c, &flags) || !cursor_varint(&c, &keypos) || !parse_attrs(&c, &col->attrs, &col->nattr))
			return r_fail(r, "malformed header: column %" PRIu64, i + 1);
		if (code > UINT32_MAX || keypos > ncols)
			return r_fail(r, "malformed header: column '%s'", col->name);
		if (flags & ~(uint64_t)RS_COL_FLAGS_KNOWN)
			return r_fail(r, "unknown column flags 0x%" PRIx64 " on column '%s'", flags, col->name);
		col->code = (uint32_t)code;
		col->flags = (uint32_t)flags;
		col->keypos = (uint32_t)keypos;
	}
	if (c.p != c.end)
		return r_fail(r, "malformed header: %zu unexpected bytes at its end", (size_t)(c.end - c.p));
	if (!rs_header_finish(h))
		return r_fail(r, "malformed header: invalid key positions");
	return true;
}

rs_reader *rs_reader_new(int fd, const char *name)
{
	rs_reader *r = mem_calloc(1, sizeof *r);
	r->fd = fd;
	pipebuf_grow(fd);
	r->name = mem_strdup(name ? name : "stdin");
	r->in = mem_alloc(RBUF_SIZE);
	buf_init(&r->frame);
	buf_init(&r->raw);
	buf_init(&r->chunk);
	buf_init(&r->prevkey);
	uint8_t fixed[16];
	size_t got = 0;
	if (!r_read(r, fixed, sizeof fixed, &got)) {
		if (!r->failed) {
			if (got == 0)
				r_fail(r, "empty input, not a row stream");
			else if (memcmp(fixed, RS_MAGIC, got < RS_MAGIC_LEN ? got : RS_MAGIC_LEN) != 0)
				r_fail(r, "not a row stream (bad magic number)");
			else
				r_fail(r, "truncated stream: header cut short");
		}
		rs_reader_free(r);
		return NULL;
	}
	if (memcmp(fixed, RS_MAGIC, RS_MAGIC_LEN) != 0) {
		r_fail(r, "not a row stream (bad magic number)");
		rs_reader_free(r);
		return NULL;
	}
	uint16_t version = byteorder_get_u16le(fixed + 8), flags = byteorder_get_u16le(fixed + 10);
	uint32_t body_len = byteorder_get_u32le(fixed + 12);
	if (version != RS_VERSION && version != 1) {
		r_fail(r, "unsupported row stream version %u (this reader knows versions 1 and %d)", version, RS_VERSION);
		rs_reader_free(r);
		return NULL;
	}
	if (flags != 0) {
		r_fail(r, "unknown header flags 0x%04x", flags);
		rs_reader_free(r);
		return NULL;
	}
	if (body_len > RS_MAX_HEADER) {
		r_fail(r, "header too large (%" PRIu32 " bytes)", body_len);
		rs_reader_free(r);
		return NULL;
	}
	buf_reset(&r->frame);
	buf_append(&r->frame, fixed, sizeof fixed);
	buf_reserve(&r->frame, (size_t)body_len + 8);
	uint8_t *body = r->frame.data + 16;
	if (!r_need(r, body, (size_t)body_len + 8, "header")) {
		rs_reader_free(r);
		return NULL;
	}
	r->frame.len = 16 + (size_t)body_len;
	uint64_t sum = byteorder_get_u64le(body + body_len);
	if (SUM_BAD(XXH3_64bits(r->frame.data, r->frame.len), sum)) {
		r_fail(r, "header checksum mismatch: corrupt stream");
		rs_reader_free(r);
		return NULL;
	}
	if (!parse_header_body(r, body, body_len)) {
		rs_reader_free(r);
		return NULL;
	}
	r->digest = sum;
	r->prev_sum = sum;
	r->version = version;
	r->block_hdr = version == 1 ? BLOCK_HDR_V1 : BLOCK_HDR;
	r->chunk_hdr = version == 1 ? CHUNK_HDR_V1 : CHUNK_HDR;
	r->key_ordered = keyorder_agrees(r->h);
	r->kv = mem_calloc(2 * (r->h->nkey ? r->h->nkey : 1), sizeof *r->kv);
	if (version == 1)
		log_warn("%s: row stream version 1: a missing or repeated block is only detected at its end, after "
		         "its rows were passed on (version 2 detects it at the block)", r->name);
	r->vals = mem_calloc(r->h->ncols, sizeof *r->vals);
	r->chunk_col = r->h->ncols;
	return r;
}

void rs_reader_free(rs_reader *r)
{
	if (!r)
		return;
	rs_header_free(r->h);
	buf_free(&r->frame);
	buf_free(&r->raw);
	buf_free(&r->chunk);
	buf_free(&r->prevkey);
	if (r->zctx)
		ZSTD_freeDCtx(r->zctx);
	free(r->kv);
	free(r->vals);
	free(r->in);
	free(r->name);
	free(r);
}

const rs_header *rs_reader_header(const rs_reader *r) { return r->h; }
const rs_value *rs_reader_values(const rs_reader *r) { return r->vals; }
uint64_t rs_reader_rows(const rs_reader *r) { return r->rows_total; }
uint64_t rs_reader_blocks(const rs_reader *r) { return r->blocks; }
uint64_t rs_reader_offset(const rs_reader *r) { return r->offset; }

bool rs_reader_at_block_end(const rs_reader *r)
{
	return r->block_nrows > 0 && r->block_row == r->block_nrows;
}

const uint8_t *rs_reader_block_key(const rs_reader *r, size_t *len)
{
	*len = r->key_len;
	return r->key;
}

/* v2: the frame's sequence number and the checksum of the frame before it, at p; what names it */
static bool r_check_chain(rs_reader *r, const uint8_t *p, const char *what, uint64_t n)
{
	if (r->version < 2)
		return true;
	uint64_t seq = byteorder_get_u64le(p), prev = byteorder_get_u64le(p + 8);
	if (seq > r->frames)
		return r_fail(r, "%s %" PRIu64 " out of sequence: frame %" PRIu64 " where frame %" PRIu64 " was expected, "
		              "a missing or reordered frame", what, n, seq, r->frames);
	if (seq < r->frames)
		return r_fail(r, "%s %" PRIu64 " out of sequence: frame %" PRIu64 " again where frame %" PRIu64 " was "
		              "expected, a repeated or reordered frame", what, n, seq, r->frames);
	if (SUM_BAD(prev, r->prev_sum))
		return r_fail(r, "%s %" PRIu64 " does not follow the frame before it: a frame of another stream", what, n);
	return true;
}

/* the block key (already checked to decode) must differ from the previous block's, and sort after it
 * where the reader knows the order of the key's types */
static bool r_check_key(rs_reader *r)
{
	size_t n = r->h->nkey;
	if (!n)
		return true;
	if (r->prevkey.len) {
		int c;
		if (r->key_ordered) {
			if (!decode_values(r->key, r->key_len, n, r->kv) ||
			    !decode_values(r->prevkey.data, r->prevkey.len, n, r->kv + n))
				return r_fail(r, "block %" PRIu64 ": its key cannot be decoded", r->blocks + 1);
			c = keyorder_cmp(r->h, r->kv, r->kv + n);
		} else {
			c = r->key_len != r->prevkey.len || memcmp(r->key, r->prevkey.data, r->key_len) != 0;
		}
		if (c <= 0)
			return r_fail(r, "block %" PRIu64 ": its key %s the previous block's key: a repeated or reordered "
			              "block", r->blocks + 1, r->key_ordered ? "does not sort after" : "equals");
	}
	buf_reset(&r->prevkey);
	buf_append(&r->prevkey, r->key, r->key_len);
	return true;
}

static bool r_read_block(rs_reader *r, const uint8_t *first)
{
	uint8_t hdr[BLOCK_HDR];
	const size_t bh = r->block_hdr;
	hdr[0] = first[0];
	if (!r_need(r, hdr + 1, bh - 1, "block header"))
		return false;
	uint8_t flags = hdr[1];
	uint16_t reserved = byteorder_get_u16le(hdr + 2);
	uint32_t nrows = byteorder_get_u32le(hdr + 4), raw_len = byteorder_get_u32le(hdr + 8);
	uint32_t stored_len = byteorder_get_u32le(hdr + 12), key_len = byteorder_get_u32le(hdr + 16);
	if (flags & ~BLOCK_ZSTD)
		return r_fail(r, "unknown block flags 0x%02x in block %" PRIu64, flags, r->blocks + 1);
	if (reserved != 0)
		return r_fail(r, "reserved block header field is not zero in block %" PRIu64, r->blocks + 1);
	if (nrows == 0)
		return r_fail(r, "block %" PRIu64 " has no rows", r->blocks + 1);
	if (raw_len > RS_MAX_BLOCK || stored_len > RS_MAX_BLOCK || key_len > RS_MAX_BLOCK)
		return r_fail(r, "block %" PRIu64 " too large", r->blocks + 1);
	if (!(flags & BLOCK_ZSTD) && stored_len != raw_len)
		return r_fail(r, "block %" PRIu64 ": stored length differs from raw length", r->blocks + 1);
	if ((uint64_t)nrows > raw_len)
		return r_fail(r, "block %" PRIu64 ": more rows than bytes", r->blocks + 1);
	buf_reset(&r->frame);
	buf_reserve(&r->frame, bh + (size_t)key_len + stored_len + 8);
	memcpy(r->frame.data, hdr, bh);
	if (!r_need(r, r->frame.data + bh, (size_t)key_len + stored_len + 8, "block"))
		return false;
	size_t flen = bh + (size_t)key_len + stored_len;
	r->frame.len = flen;
	uint64_t sum = byteorder_get_u64le(r->frame.data + flen);
	if (SUM_BAD(XXH3_64bits(r->frame.data, flen), sum))
		return r_fail(r, "block %" PRIu64 " checksum mismatch: corrupt stream", r->blocks + 1);
	if (!r_check_chain(r, hdr + BLOCK_HDR_V1, "block", r->blocks + 1))
		return false;
	r->key = r->frame.data + bh;
	r->key_len = key_len;
	const uint8_t *stored = r->key + key_len;
	if (flags & BLOCK_ZSTD) {
		if (!r->zctx && !(r->zctx = ZSTD_createDCtx()))
			return r_fail(r, "unable to create zstd context");
		unsigned long long fsz = ZSTD_getFrameContentSize(stored, stored_len);
		if (fsz != raw_len)
			return r_fail(r, "block %" PRIu64 ": compressed size does not match", r->blocks + 1);
		buf_reset(&r->raw);
		buf_reserve(&r->raw, raw_len);
		size_t z = ZSTD_decompressDCtx(r->zctx, r->raw.data, raw_len, stored, stored_len);
		if (ZSTD_isError(z) || z != raw_len)
			return r_fail(r, "block %" PRIu64 ": zstd decompression failed", r->blocks + 1);
		r->payload = r->raw.data;
	} else {
		r->payload = stored;
	}
	r->payload_len = raw_len;
	/* the key must be a full key of this table */
	if (r->h->nkey == 0 ? key_len != 0 : key_len == 0)
		return r_fail(r, "block %" PRIu64 ": key does not match the table's key", r->blocks + 1);
	if (key_len) {
		rs_value *kv = r->kv;
		bool ok = decode_values(r->key, key_len, r->h->nkey, kv);
		for (size_t i = 0; ok && i < r->h->nkey; i++)
			ok = !kv[i].null;
		if (!ok)
			return r_fail(r, "block %" PRIu64 ": malformed key", r->blocks + 1);
	}
	if (!r_check_key(r))
		return false;
	r->block_nrows = nrows;
	r->block_row = 0;
	r->rows.p = r->payload;
	r->rows.end = r->payload + raw_len;
	r->blocks++;
	r->frames++;
	r->prev_sum = sum;
	digest_add(&r->digest, sum);
	return true;
}

static bool r_read_trailer(rs_reader *r, const uint8_t *first)
{
	uint8_t t[TRAILER_LEN];
	t[0] = first[0];
	if (!r_need(r, t + 1, TRAILER_LEN - 1, "trailer"))
		return false;
	if (SUM_BAD(byteorder_get_u64le(t + 32), XXH3_64bits(t, 32)))
		return r_fail(r, "trailer checksum mismatch: corrupt stream");
	if (t[1] != 0 || byteorder_get_u16le(t + 2) != 0 || byteorder_get_u32le(t + 4) != 0)
		return r_fail(r, "reserved trailer field is not zero");
	uint64_t rows = byteorder_get_u64le(t + 8), frames = byteorder_get_u64le(t + 16), digest = byteorder_get_u64le(t + 24);
	if (rows != r->rows_total)
		return r_fail(r, "trailer says %" PRIu64 " rows, stream has %" PRIu64, rows, r->rows_total);
	if (frames != r->frames)
		return r_fail(r, "trailer says %" PRIu64 " frames, stream has %" PRIu64, frames, r->frames);
	if (SUM_BAD(digest, r->digest))
		return r_fail(r, "stream digest mismatch: frames missing, reordered or altered");
	uint8_t extra;
	size_t got = 0;
	r_read(r, &extra, 1, &got);
	if (r->failed)
		return false;
	if (got != 0)
		return r_fail(r, "unexpected data after the stream trailer");
	return true;
}

/* reads the next 'V' frame of the current chunked value into r->chunk */
static bool r_read_chunk(rs_reader *r)
{
	uint8_t hdr[CHUNK_HDR];
	const size_t ch = r->chunk_hdr;
	if (!r_need(r, hdr, ch, "large value"))
		return false;
	if (hdr[0] != FRAME_CHUNK)
		return r_fail(r, "expected a large-value chunk, found frame type 0x%02x", hdr[0]);
	if (hdr[1] & ~CHUNK_LAST)
		return r_fail(r, "unknown chunk flags 0x%02x", hdr[1]);
	if (byteorder_get_u16le(hdr + 2) != 0)
		return r_fail(r, "reserved chunk field is not zero");
	uint32_t len = byteorder_get_u32le(hdr + 4);
	if (len > RS_MAX_CHUNK)
		return r_fail(r, "large-value chunk too large (%" PRIu32 " bytes)", len);
	buf_reset(&r->chunk);
	buf_reserve(&r->chunk, (size_t)len + ch + 8);
	memcpy(r->chunk.data, hdr, ch);
	if (!r_need(r, r->chunk.data + ch, (size_t)len + 8, "large-value chunk"))
		return false;
	uint64_t sum = byteorder_get_u64le(r->chunk.data + ch + len);
	if (SUM_BAD(XXH3_64bits(r->chunk.data, ch + (size_t)len), sum))
		return r_fail(r, "large-value chunk checksum mismatch: corrupt stream");
	if (!r_check_chain(r, hdr + CHUNK_HDR_V1, "large-value chunk of block", r->blocks))
		return false;
	bool last = hdr[1] & CHUNK_LAST;
	if (len == 0 || len > r->chunk_left || last != (len == r->chunk_left))
		return r_fail(r, "large value of column '%s' has the wrong length", r->h->cols[r->chunk_col].name);
	r->chunk.len = ch + (size_t)len;
	r->chunk_pos = ch;
	r->frames++;
	r->prev_sum = sum;
	digest_add(&r->digest, sum);
	return true;
}

static size_t next_chunked_col(const rs_reader *r, size_t from)
{
	for (size_t i = from; i < r->h->ncols; i++)
		if (r->vals[i].chunked)
			return i;
	return r->h->ncols;
}

/* starts the chunked value at column col (which has no frame read yet) */
static void r_start_chunked(rs_reader *r, size_t col)
{
	r->chunk_col = col;
	r->chunk_left = col < r->h->ncols ? r->vals[col].len : 0;
	r->chunk.len = 0;
	r->chunk_pos = 0;
}

/* delivers up to cap bytes of the current chunked value; 0 at its end */
static long long r_chunk_take(rs_reader *r, uint8_t *out, size_t cap)
{
	if (r->chunk_pos >= r->chunk.len) {
		if (r->chunk_left == 0)
			return 0;
		if (!r_read_chunk(r))
			return -1;
	}
	size_t avail = r->chunk.len - r->chunk_pos;
	size_t n = avail < cap ? avail : cap;
	if (out)
		memcpy(out, r->chunk.data + r->chunk_pos, n);
	r->chunk_pos += n;
	r->chunk_left -= n;
	return (long long)n;
}

/* skips the rest of the current chunked value, verifying it */
static bool r_chunk_skip(rs_reader *r)
{
	long long n;
	while ((n = r_chunk_take(r, NULL, SIZE_MAX)) > 0)
		;
	return n == 0;
}

long long rs_reader_value_read(rs_reader *r, size_t col, void *out, size_t cap)
{
	if (r->failed)
		return -1;
	if (col >= r->h->ncols || !r->vals[col].chunked) {
		log_error("%s: column %zu of the current row is not a large value", r->name, col);
		return -1;
	}
	if (col < r->chunk_col) {
		log_error("%s: large value of column '%s' read out of order", r->name, r->h->cols[col].name);
		return -1;
	}
	while (r->chunk_col < col) {
		if (!r_chunk_skip(r))
			return -1;
		r_start_chunked(r, next_chunked_col(r, r->chunk_col + 1));
	}
	if (cap == 0)
		return 0;
	return r_chunk_take(r, out, cap);
}

/* finishes the chunked values of the current row */
static bool r_finish_chunked(rs_reader *r)
{
	while (r->chunk_col < r->h->ncols) {
		if (!r_chunk_skip(r))
			return false;
		r_start_chunked(r, next_chunked_col(r, r->chunk_col + 1));
	}
	return true;
}

int rs_reader_next(rs_reader *r)
{
	if (r->failed)
		return -1;
	if (r->done)
		return 0;
	if (!r_finish_chunked(r))
		return -1;
	if (r->block_row == r->block_nrows) {
		if (r->block_nrows && r->rows.p != r->rows.end)
			return r_fail(r, "block %" PRIu64 " has data after its last row", r->blocks), -1;
		uint8_t kind;
		size_t got = 0;
		if (!r_read(r, &kind, 1, &got)) {
			if (!r->failed)
				r_fail(r, "truncated stream: no trailer after %" PRIu64 " rows", r->rows_total);
			return -1;
		}
		if (kind == FRAME_TRAILER) {
			if (!r_read_trailer(r, &kind))
				return -1;
			r->done = true;
			r->block_nrows = r->block_row = 0;
			return 0;
		}
		if (kind != FRAME_BLOCK) {
			r_fail(r, "unknown frame type 0x%02x", kind);
			return -1;
		}
		if (!r_read_block(r, &kind))
			return -1;
	}
	bool last = r->block_row + 1 == r->block_nrows;
	const size_t ncols = r->h->ncols;
	size_t first_chunked = ncols;
	rs_value *vals = r->vals;
	cursor rows = r->rows;
	for (size_t i = 0; i < ncols; i++) {
		if (!decode_value(&rows, &vals[i], last)) {
			r_fail(r, "block %" PRIu64 ": malformed row %" PRIu32, r->blocks, r->block_row + 1);
			return -1;
		}
		if (vals[i].null && r->h->cols[i].keypos) {
			r_fail(r, "block %" PRIu64 ": NULL in key column '%s'", r->blocks, r->h->cols[i].name);
			return -1;
		}
		if (vals[i].chunked && first_chunked == ncols)
			first_chunked = i;
	}
	r->rows = rows;
	r->block_row++;
	r->rows_total++;
	if (last && r->rows.p != r->rows.end) {
		r_fail(r, "block %" PRIu64 " has data after its last row", r->blocks);
		return -1;
	}
	r_start_chunked(r, first_chunked);
	return 1;
}
