/*
 * rowstream.c - row stream format v2 (and reading v1): header, writer, reader.
 *
 * See rowstream.h for a summary and man/man5/rowstream.5 for the spec.
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

/* ------------------------------------------------------------------ header */

rs_header *rs_header_new(uint8_t domain, const char *schema, const char *table)
{
	rs_header *h = mem_calloc(1, sizeof *h);
	h->domain = domain;
	h->schema = mem_strdup(schema ? schema : "");
	h->table = mem_strdup(table ? table : "");
	return h;
}

static void attrs_free(rs_attr *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].key);
		free(a[i].value);
	}
	free(a);
}

void rs_header_free(rs_header *h)
{
	if (!h)
		return;
	free(h->schema);
	free(h->table);
	attrs_free(h->meta, h->nmeta);
	for (size_t i = 0; i < h->ncols; i++) {
		free(h->cols[i].name);
		free(h->cols[i].type);
		attrs_free(h->cols[i].attrs, h->cols[i].nattr);
	}
	free(h->cols);
	free(h->key);
	free(h);
}

static void attr_push(rs_attr **a, size_t *n, const char *key, const char *value, size_t vlen)
{
	*a = mem_realloc(*a, (*n + 1) * sizeof **a);
	(*a)[*n].key = mem_strdup(key);
	(*a)[*n].value = mem_strndup(value, vlen);
	(*a)[*n].value_len = vlen;
	(*n)++;
}

void rs_header_add_meta(rs_header *h, const char *key, const char *value)
{
	attr_push(&h->meta, &h->nmeta, key, value, strlen(value));
}

const char *rs_header_meta(const rs_header *h, const char *key)
{
	for (size_t i = 0; i < h->nmeta; i++)
		if (strcmp(h->meta[i].key, key) == 0)
			return h->meta[i].value;
	return NULL;
}

size_t rs_header_add_column(rs_header *h, const char *name, const char *type, uint32_t code,
                            uint32_t flags, uint32_t keypos)
{
	h->cols = mem_realloc(h->cols, (h->ncols + 1) * sizeof *h->cols);
	rs_column *c = &h->cols[h->ncols];
	memset(c, 0, sizeof *c);
	c->name = mem_strdup(name);
	c->type = mem_strdup(type ? type : "");
	c->code = code;
	c->flags = flags;
	c->keypos = keypos;
	return h->ncols++;
}

void rs_column_add_attr(rs_column *c, const char *key, const char *value)
{
	attr_push(&c->attrs, &c->nattr, key, value, strlen(value));
}

void rs_column_add_attr_n(rs_column *c, const char *key, const char *value, size_t n)
{
	attr_push(&c->attrs, &c->nattr, key, value, n);
}

const char *rs_column_attr(const rs_column *c, const char *key)
{
	for (size_t i = 0; i < c->nattr; i++)
		if (strcmp(c->attrs[i].key, key) == 0)
			return c->attrs[i].value;
	return NULL;
}

int rs_header_find(const rs_header *h, const char *name)
{
	for (size_t i = 0; i < h->ncols; i++)
		if (strcmp(h->cols[i].name, name) == 0)
			return (int)i;
	return -1;
}

bool rs_header_finish(rs_header *h)
{
	size_t nkey = 0;
	for (size_t i = 0; i < h->ncols; i++)
		if (h->cols[i].keypos)
			nkey++;
	free(h->key);
	h->key = mem_calloc(nkey ? nkey : 1, sizeof *h->key);
	h->nkey = nkey;
	bool *seen = mem_calloc(nkey + 1, sizeof *seen);
	bool ok = true;
	for (size_t i = 0; i < h->ncols; i++) {
		uint32_t kp = h->cols[i].keypos;
		if (!kp)
			continue;
		if (kp > nkey || seen[kp]) {
			log_error("invalid key position %" PRIu32 " of column '%s'", kp, h->cols[i].name);
			ok = false;
			break;
		}
		seen[kp] = true;
		h->key[kp - 1] = i;
	}
	free(seen);
	return ok;
}

rs_header *rs_header_copy(const rs_header *h)
{
	rs_header *c = rs_header_new(h->domain, h->schema, h->table);
	for (size_t i = 0; i < h->nmeta; i++)
		attr_push(&c->meta, &c->nmeta, h->meta[i].key, h->meta[i].value, h->meta[i].value_len);
	for (size_t i = 0; i < h->ncols; i++) {
		const rs_column *s = &h->cols[i];
		size_t k = rs_header_add_column(c, s->name, s->type, s->code, s->flags, s->keypos);
		for (size_t j = 0; j < s->nattr; j++)
			attr_push(&c->cols[k].attrs, &c->cols[k].nattr, s->attrs[j].key, s->attrs[j].value,
			          s->attrs[j].value_len);
	}
	if (!rs_header_finish(c)) {
		rs_header_free(c);
		return NULL;
	}
	return c;
}

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

/* -------------------------------------------------------------- value codec */

void rs_encode_value(buf *b, const void *data, size_t len, bool null)
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

bool rs_decode_values(const uint8_t *p, size_t len, size_t n, rs_value *out)
{
	cursor c = {p, p + len};
	for (size_t i = 0; i < n; i++)
		if (!decode_value(&c, &out[i], false))
			return false;
	return c.p == c.end;
}

/* ------------------------------------------------------------------ writer */

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

static void digest_add(uint64_t *digest, uint64_t checksum)
{
	uint8_t x[8];
	byteorder_put_u64le(x, checksum);
	*digest = XXH3_64bits_withSeed(x, 8, *digest);
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
		rs_encode_value(&w->lastkey, w->payload.data + w->lastoff[k], w->lastlen[k], false);
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
	rs_encode_value(&w->payload, data, len, false);
	w_note_key(w, 0, len, false);
	w->col++;
	return true;
}

bool rs_writer_put_null(rs_writer *w)
{
	if (!w_check_col(w))
		return false;
	rs_encode_value(&w->payload, NULL, 0, true);
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

bool rs_writer_put_row(rs_writer *w, const uint8_t *row, size_t len)
{
	if (w->failed)
		return false;
	if (w->col != 0 || w->in_value) {
		log_error("%s: whole row put inside a row", w->name);
		return false;
	}
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
	buf_append(&w->payload, row, len);
	w->col = w->h->ncols;
	return rs_writer_end_row(w);
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

/* ------------------------------------------------------------------ reader */

#define RBUF_SIZE (256u << 10)

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

/* reads exactly n bytes; *got tells how many arrived before EOF */
static bool r_read(rs_reader *r, void *dst, size_t n, size_t *got)
{
	uint8_t *d = dst;
	size_t have = 0;
	while (have < n) {
		if (r->in_pos == r->in_len) {
			if (r->eof)
				break;
			ssize_t k = read(r->fd, r->in, RBUF_SIZE);
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
			if (!rs_decode_values(r->key, r->key_len, n, r->kv) ||
			    !rs_decode_values(r->prevkey.data, r->prevkey.len, n, r->kv + n))
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
		bool ok = rs_decode_values(r->key, key_len, r->h->nkey, kv);
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
