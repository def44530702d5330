/*
 * rowstream_write.c - the row stream writer: blocks, long values in chunks, the trailer
 * (rowstream.h, man/man5/rowstream.5).
 */
#include "rowstream.h"

#include <errno.h>
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

static void header_encode(buf *out, const rs_header *h)
{
	buf body;
	buf_init(&body);
	buf_putc(&body, h->domain);
	buf_putc(&body, 0);
	buf_put_str(&body, h->schema, strlen(h->schema));
	buf_put_str(&body, h->table, strlen(h->table));
	buf_put_varint(&body, h->nmeta);
	for (size_t i = 0; i < h->nmeta; i++) {
		buf_put_str(&body, h->meta[i].key, strlen(h->meta[i].key));
		buf_put_str(&body, h->meta[i].value, h->meta[i].value_len);
	}
	buf_put_varint(&body, h->ncols);
	for (size_t i = 0; i < h->ncols; i++) {
		const rs_column *c = &h->cols[i];
		buf_put_str(&body, c->name, strlen(c->name));
		buf_put_str(&body, c->type, strlen(c->type));
		buf_put_varint(&body, c->code);
		buf_put_varint(&body, c->flags);
		buf_put_varint(&body, c->keypos);
		buf_put_varint(&body, c->nattr);
		for (size_t j = 0; j < c->nattr; j++) {
			buf_put_str(&body, c->attrs[j].key, strlen(c->attrs[j].key));
			buf_put_str(&body, c->attrs[j].value, c->attrs[j].value_len);
		}
	}
	buf_append(out, RS_MAGIC, RS_MAGIC_LEN);
	buf_put_u16le(out, RS_VERSION);
	buf_put_u16le(out, 0);
	buf_put_u32le(out, (uint32_t)body.len);
	buf_append(out, body.data, body.len);
	buf_put_u64le(out, XXH3_64bits(out->data, out->len));
	buf_free(&body);
}

static bool write_all(int fd, const char *name, const void *p, size_t n)
{
	const uint8_t *q = p;
	while (n > 0) {
		ssize_t w = write(fd, q, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			log_errno("%s: write error", name);
			return false;
		}
		q += w;
		n -= (size_t)w;
	}
	return true;
}

typedef struct spooled {
	uint64_t len;
} spooled;

struct rs_writer {
	int fd;
	char *name;
	rs_header *h;
	rs_writer_opts o;
	bool failed;
	buf payload;   /* raw rows of the current block */
	buf lastkey;   /* encoded key of the last complete row */
	buf frame;     /* scratch for frame headers */
	buf zbuf;      /* compressed payload */
	ZSTD_CCtx *zctx;
	XXH3_state_t *xxh; /* reused for every frame checksum */
	uint32_t block_rows;
	size_t row_start; /* payload offset where the current row began */
	size_t col;       /* next column of the current row */
	size_t *keyoff;   /* per key column: payload offset and length of its value in the current row */
	size_t *keylen;
	bool *keynull;
	uint32_t *colkey; /* per column: its key position (0: not in the key), for rs_writer_put_row */
	size_t *lastoff;  /* the same of the last complete row (its key is the block's, encoded at the flush) */
	size_t *lastlen;
	/* a value being given in pieces */
	bool in_value;
	bool value_spooled;
	uint64_t value_total;
	uint64_t value_done;
	/* chunked values of the current row, spooled to a temporary file */
	FILE *spool;
	spooled *spools;
	size_t nspools;
	uint64_t rows;
	uint64_t frames;   /* also the sequence number of the next frame */
	uint64_t prev_sum; /* checksum of the last frame written (of the header at first) */
	uint64_t bytes;
	uint64_t digest;
};

static bool w_emit(rs_writer *w, const void *p, size_t n)
{
	if (w->failed)
		return false;
	if (!write_all(w->fd, w->name, p, n)) {
		w->failed = true;
		return false;
	}
	w->bytes += n;
	return true;
}

rs_writer *rs_writer_new(int fd, const char *name, const rs_header *h, const rs_writer_opts *opts)
{
	rs_writer *w = mem_calloc(1, sizeof *w);
	w->fd = fd;
	pipebuf_grow(fd);
	w->name = mem_strdup(name ? name : "stdout");
	w->h = rs_header_copy(h);
	if (opts)
		w->o = *opts;
	if (!w->o.block_bytes)
		w->o.block_bytes = RS_DEFAULT_BLOCK_BYTES;
	if (w->o.block_bytes > RS_MAX_BLOCK / 2)
		w->o.block_bytes = RS_MAX_BLOCK / 2;
	if (!w->o.inline_max)
		w->o.inline_max = RS_DEFAULT_INLINE_MAX;
	if (w->o.inline_max > RS_MAX_BLOCK / 4)
		w->o.inline_max = RS_MAX_BLOCK / 4;
	buf_init(&w->payload);
	buf_init(&w->lastkey);
	buf_init(&w->frame);
	buf_init(&w->zbuf);
	w->xxh = XXH3_createState();
	if (!w->h) {
		rs_writer_free(w);
		return NULL;
	}
	if (!w->xxh) {
		log_error("%s: out of memory for a checksum state", w->name);
		rs_writer_free(w);
		return NULL;
	}
	size_t nk = w->h->nkey ? w->h->nkey : 1;
	w->keyoff = mem_calloc(nk, sizeof *w->keyoff);
	w->keylen = mem_calloc(nk, sizeof *w->keylen);
	w->keynull = mem_calloc(nk, sizeof *w->keynull);
	w->lastoff = mem_calloc(nk, sizeof *w->lastoff);
	w->colkey = mem_calloc(w->h->ncols ? w->h->ncols : 1, sizeof *w->colkey);
	for (size_t i = 0; i < w->h->ncols; i++)
		w->colkey[i] = w->h->cols[i].keypos;
	w->lastlen = mem_calloc(nk, sizeof *w->lastlen);
	if (w->o.zstd_level > 0) {
		w->zctx = ZSTD_createCCtx();
		if (!w->zctx) {
			log_error("%s: unable to create zstd context", w->name);
			rs_writer_free(w);
			return NULL;
		}
	}
	buf hdr;
	buf_init(&hdr);
	header_encode(&hdr, w->h);
	w->digest = byteorder_get_u64le(hdr.data + hdr.len - 8);
	w->prev_sum = w->digest;
	bool ok = w_emit(w, hdr.data, hdr.len);
	buf_free(&hdr);
	if (!ok) {
		rs_writer_free(w);
		return NULL;
	}
	return w;
}

static bool w_flush_block(rs_writer *w)
{
	if (w->failed)
		return false;
	if (w->block_rows == 0)
		return true;
	const uint8_t *stored = w->payload.data;
	size_t stored_len = w->payload.len;
	uint8_t flags = 0;
	if (w->zctx) {
		size_t bound = ZSTD_compressBound(w->payload.len);
		buf_reset(&w->zbuf);
		buf_reserve(&w->zbuf, bound);
		size_t z = ZSTD_compressCCtx(w->zctx, w->zbuf.data, bound, w->payload.data, w->payload.len,
		                             w->o.zstd_level);
		if (ZSTD_isError(z)) {
			log_error("%s: zstd compression failed: %s", w->name, ZSTD_getErrorName(z));
			w->failed = true;
			return false;
		}
		if (z < w->payload.len) { /* keep only when it helps */
			stored = w->zbuf.data;
			stored_len = z;
			flags |= BLOCK_ZSTD;
		}
	}
	/* the block's key: the last complete row's, still in the payload */
	buf_reset(&w->lastkey);
	for (size_t k = 0; k < w->h->nkey; k++)
		encode_value(&w->lastkey, w->payload.data + w->lastoff[k], w->lastlen[k], false);
	buf_reset(&w->frame);
	buf_putc(&w->frame, FRAME_BLOCK);
	buf_putc(&w->frame, flags);
	buf_put_u16le(&w->frame, 0);
	buf_put_u32le(&w->frame, w->block_rows);
	buf_put_u32le(&w->frame, (uint32_t)w->payload.len);
	buf_put_u32le(&w->frame, (uint32_t)stored_len);
	buf_put_u32le(&w->frame, (uint32_t)w->lastkey.len);
	buf_put_u64le(&w->frame, w->frames);
	buf_put_u64le(&w->frame, w->prev_sum);
	buf_append(&w->frame, w->lastkey.data, w->lastkey.len);
	XXH3_64bits_reset(w->xxh);
	XXH3_64bits_update(w->xxh, w->frame.data, w->frame.len);
	XXH3_64bits_update(w->xxh, stored, stored_len);
	uint64_t sum = XXH3_64bits_digest(w->xxh);
	uint8_t tail[8];
	byteorder_put_u64le(tail, sum);
	if (!w_emit(w, w->frame.data, w->frame.len) || !w_emit(w, stored, stored_len) || !w_emit(w, tail, 8))
		return false;
	digest_add(&w->digest, sum);
	w->prev_sum = sum;
	w->frames++;
	buf_reset(&w->payload);
	w->block_rows = 0;
	w->row_start = 0;
	return true;
}

static bool w_emit_chunk(rs_writer *w, const uint8_t *p, size_t n, bool last)
{
	uint8_t hdr[CHUNK_HDR];
	hdr[0] = FRAME_CHUNK;
	hdr[1] = last ? CHUNK_LAST : 0;
	hdr[2] = hdr[3] = 0;
	byteorder_put_u32le(hdr + 4, (uint32_t)n);
	byteorder_put_u64le(hdr + 8, w->frames);
	byteorder_put_u64le(hdr + 16, w->prev_sum);
	XXH3_64bits_reset(w->xxh);
	XXH3_64bits_update(w->xxh, hdr, sizeof hdr);
	XXH3_64bits_update(w->xxh, p, n);
	uint64_t sum = XXH3_64bits_digest(w->xxh);
	uint8_t tail[8];
	byteorder_put_u64le(tail, sum);
	if (!w_emit(w, hdr, sizeof hdr) || !w_emit(w, p, n) || !w_emit(w, tail, 8))
		return false;
	digest_add(&w->digest, sum);
	w->prev_sum = sum;
	w->frames++;
	return true;
}

static bool w_check_col(rs_writer *w)
{
	if (w->failed)
		return false;
	if (w->in_value) {
		log_error("%s: value put while another value is incomplete", w->name);
		return false;
	}
	if (w->col >= w->h->ncols) {
		log_error("%s: too many values in row %" PRIu64 " (table has %zu columns)", w->name, w->rows + 1,
		          w->h->ncols);
		return false;
	}
	return true;
}

static void w_note_key(rs_writer *w, size_t vstart, size_t len, bool null)
{
	uint32_t kp = w->h->cols[w->col].keypos;
	if (kp) {
		w->keyoff[kp - 1] = w->payload.len - len;
		w->keylen[kp - 1] = len;
		w->keynull[kp - 1] = null;
	}
	(void)vstart;
}

bool rs_writer_put(rs_writer *w, const void *data, size_t len)
{
	if (len > w->o.inline_max) {
		return rs_writer_put_begin(w, len) && rs_writer_put_more(w, data, len) && rs_writer_put_end(w);
	}
	if (!w_check_col(w))
		return false;
	encode_value(&w->payload, data, len, false);
	w_note_key(w, 0, len, false);
	w->col++;
	return true;
}

bool rs_writer_put_null(rs_writer *w)
{
	if (!w_check_col(w))
		return false;
	encode_value(&w->payload, NULL, 0, true);
	w_note_key(w, 0, 0, true);
	w->col++;
	return true;
}

bool rs_writer_put_begin(rs_writer *w, uint64_t total_len)
{
	if (!w_check_col(w))
		return false;
	w->in_value = true;
	w->value_total = total_len;
	w->value_done = 0;
	if (total_len <= w->o.inline_max) {
		w->value_spooled = false;
		buf_put_varint(&w->payload, (total_len << 1) + 1);
		buf_reserve(&w->payload, (size_t)total_len);
		return true;
	}
	if (w->h->cols[w->col].keypos) {
		log_error("%s: key column '%s' has a value of %" PRIu64 " bytes, too long for a key", w->name,
		          w->h->cols[w->col].name, total_len);
		w->in_value = false;
		return false;
	}
	w->value_spooled = true;
	if (!w->spool) {
		w->spool = tmpfile();
		if (!w->spool) {
			log_errno("%s: unable to create a temporary file for a large value", w->name);
			w->in_value = false;
			return false;
		}
	}
	buf_put_varint(&w->payload, ((total_len << 1) | 1) + 1);
	w->spools = mem_realloc(w->spools, (w->nspools + 1) * sizeof *w->spools);
	w->spools[w->nspools++].len = total_len;
	return true;
}

bool rs_writer_put_more(rs_writer *w, const void *data, size_t len)
{
	if (w->failed)
		return false;
	if (!w->in_value) {
		log_error("%s: value piece without rs_writer_put_begin", w->name);
		return false;
	}
	if (len > w->value_total - w->value_done) {
		log_error("%s: value of column '%s' longer than announced (%" PRIu64 " bytes)", w->name,
		          w->h->cols[w->col].name, w->value_total);
		return false;
	}
	if (w->value_spooled) {
		if (len && fwrite(data, 1, len, w->spool) != len) {
			log_errno("%s: unable to write a large value to a temporary file", w->name);
			w->failed = true;
			return false;
		}
	} else {
		buf_append(&w->payload, data, len);
	}
	w->value_done += len;
	return true;
}

bool rs_writer_put_end(rs_writer *w)
{
	if (w->failed)
		return false;
	if (!w->in_value) {
		log_error("%s: rs_writer_put_end without rs_writer_put_begin", w->name);
		return false;
	}
	if (w->value_done != w->value_total) {
		log_error("%s: value of column '%s' shorter (%" PRIu64 " bytes) than announced (%" PRIu64 ")",
		          w->name, w->h->cols[w->col].name, w->value_done, w->value_total);
		return false;
	}
	w->in_value = false;
	if (!w->value_spooled)
		w_note_key(w, 0, (size_t)w->value_total, false);
	w->col++;
	return true;
}

/* whether a whole row may be put now */
static bool whole_row_ok(rs_writer *w)
{
	if (w->failed)
		return false;
	if (w->col != 0 || w->in_value) {
		log_error("%s: whole row put inside a row", w->name);
		return false;
	}
	return true;
}

/* a whole row whose key values are found: appended and ended */
static bool put_row_end(rs_writer *w, const uint8_t *row, size_t len)
{
	buf_append(&w->payload, row, len);
	w->col = w->h->ncols;
	return rs_writer_end_row(w);
}

bool rs_writer_put_row_at(rs_writer *w, const uint8_t *row, size_t len, const size_t *voff, const size_t *vlen,
                          const bool *vnull)
{
	if (!whole_row_ok(w))
		return false;
	size_t base = w->payload.len;
	for (size_t k = 0; k < w->h->nkey; k++) {
		size_t i = w->h->key[k];
		w->keynull[k] = vnull[i];
		w->keyoff[k] = vnull[i] ? base : base + voff[i];
		w->keylen[k] = vnull[i] ? 0 : vlen[i];
	}
	return put_row_end(w, row, len);
}

bool rs_writer_put_row(rs_writer *w, const uint8_t *row, size_t len)
{
	if (!whole_row_ok(w))
		return false;
	/* walked once: the column count, no chunked or over-long value, where the key values are */
	size_t base = w->payload.len;
	cursor c = {row, row + len};
	const size_t ncols = w->h->ncols, inline_max = w->o.inline_max;
	for (size_t i = 0; i < ncols; i++) {
		uint64_t tag, vlen = 0;
		if (!read_tag(&c, &tag))
			goto bad;
		if (tag) {
			if ((tag - 1) & 1)
				goto bad;
			vlen = (tag - 1) >> 1;
			if (vlen > (uint64_t)(c.end - c.p) || vlen > inline_max)
				goto bad;
		}
		uint32_t kp = w->colkey[i];
		if (kp) {
			w->keyoff[kp - 1] = base + (size_t)(c.p - row);
			w->keylen[kp - 1] = (size_t)vlen;
			w->keynull[kp - 1] = tag == 0;
		}
		c.p += vlen;
	}
	if (c.p != c.end)
		goto bad;
	return put_row_end(w, row, len);
bad:
	log_error("%s: row %" PRIu64 " is not %zu encoded values of at most %zu bytes each", w->name, w->rows + 1,
	          w->h->ncols, w->o.inline_max);
	return false;
}

static bool w_emit_spooled(rs_writer *w)
{
	if (fflush(w->spool) != 0 || fseeko(w->spool, 0, SEEK_SET) != 0) {
		log_errno("%s: unable to rewind the large-value temporary file", w->name);
		w->failed = true;
		return false;
	}
	uint8_t *chunk = mem_alloc(RS_CHUNK_BYTES);
	bool ok = true;
	for (size_t i = 0; ok && i < w->nspools; i++) {
		uint64_t left = w->spools[i].len;
		while (ok) {
			size_t n = left < RS_CHUNK_BYTES ? (size_t)left : RS_CHUNK_BYTES;
			if (n && fread(chunk, 1, n, w->spool) != n) {
				log_errno("%s: unable to read back a large value from a temporary file", w->name);
				w->failed = true;
				ok = false;
				break;
			}
			left -= n;
			ok = w_emit_chunk(w, chunk, n, left == 0);
			if (left == 0)
				break;
		}
	}
	free(chunk);
	w->nspools = 0;
	if (fseeko(w->spool, 0, SEEK_SET) != 0 || ftruncate(fileno(w->spool), 0) != 0) {
		log_errno("%s: unable to reset the large-value temporary file", w->name);
		w->failed = true;
		return false;
	}
	return ok;
}

bool rs_writer_end_row(rs_writer *w)
{
	if (w->failed)
		return false;
	if (w->in_value) {
		log_error("%s: row ended inside a value", w->name);
		return false;
	}
	if (w->col != w->h->ncols) {
		log_error("%s: row %" PRIu64 " has %zu values, table has %zu columns", w->name, w->rows + 1, w->col,
		          w->h->ncols);
		return false;
	}
	for (size_t k = 0; k < w->h->nkey; k++) {
		if (w->keynull[k]) {
			log_error("%s: key column '%s' is NULL in row %" PRIu64, w->name, w->h->cols[w->h->key[k]].name,
			          w->rows + 1);
			w->failed = true;
			return false;
		}
		w->lastoff[k] = w->keyoff[k];
		w->lastlen[k] = w->keylen[k];
	}
	w->col = 0;
	w->block_rows++;
	w->rows++;
	w->row_start = w->payload.len;
	if (w->nspools > 0)
		return w_flush_block(w) && w_emit_spooled(w);
	if (w->payload.len >= w->o.block_bytes || (w->o.block_rows && w->block_rows >= w->o.block_rows))
		return w_flush_block(w);
	return true;
}

void rs_writer_abort_row(rs_writer *w)
{
	w->payload.len = w->row_start;
	w->col = 0;
	w->in_value = false;
	if (w->nspools > 0) {
		w->nspools = 0;
		if (fseeko(w->spool, 0, SEEK_SET) != 0 || ftruncate(fileno(w->spool), 0) != 0)
			w->failed = true;
	}
}

bool rs_writer_flush(rs_writer *w)
{
	if (w->col != 0 || w->in_value) {
		log_error("%s: block flush inside a row", w->name);
		return false;
	}
	return w_flush_block(w);
}

bool rs_writer_finish(rs_writer *w)
{
	if (w->col != 0 || w->in_value) {
		log_error("%s: stream finished inside a row", w->name);
		return false;
	}
	if (!w_flush_block(w))
		return false;
	uint8_t t[TRAILER_LEN];
	memset(t, 0, sizeof t);
	t[0] = FRAME_TRAILER;
	byteorder_put_u64le(t + 8, w->rows);
	byteorder_put_u64le(t + 16, w->frames);
	byteorder_put_u64le(t + 24, w->digest);
	byteorder_put_u64le(t + 32, XXH3_64bits(t, 32));
	return w_emit(w, t, sizeof t);
}

void rs_writer_free(rs_writer *w)
{
	if (!w)
		return;
	buf_free(&w->payload);
	buf_free(&w->lastkey);
	buf_free(&w->frame);
	buf_free(&w->zbuf);
	if (w->zctx)
		ZSTD_freeCCtx(w->zctx);
	XXH3_freeState(w->xxh);
	if (w->spool)
		fclose(w->spool);
	free(w->spools);
	free(w->keyoff);
	free(w->keylen);
	free(w->keynull);
	free(w->lastoff);
	free(w->colkey);
	free(w->lastlen);
	rs_header_free(w->h);
	free(w->name);
	free(w);
}

uint64_t rs_writer_rows(const rs_writer *w) { return w->rows; }
uint64_t rs_writer_bytes(const rs_writer *w) { return w->bytes; }
