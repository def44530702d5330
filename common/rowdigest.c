/*
 * rowdigest.c - content digests of row streams (see rowdigest.h).
 */
#include "rowdigest.h"

#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "byteorder.h"
#include "hex.h"
#include "log.h"

/* seed for key buckets: any constant other than 0, so buckets are not row hashes */
#define BUCKET_SEED UINT64_C(0x6b65792d62756b74)

static rowhash from_xxh(XXH128_hash_t h)
{
	rowhash r = {h.low64, h.high64};
	return r;
}

void rowdigest_init(rowdigest *d, size_t ncols, bool ordered)
{
	memset(d, 0, sizeof *d);
	d->ordered = ordered;
	d->ncols = ncols;
	if (ordered) {
		XXH3_state_t *st = XXH3_createState();
		if (!st) {
			log_error("out of memory");
			abort();
		}
		XXH3_128bits_reset(st);
		d->seq = st;
	}
}

void rowdigest_free(rowdigest *d)
{
	if (d->seq)
		XXH3_freeState(d->seq);
	d->seq = NULL;
}

void rowdigest_add(rowdigest *d, rowhash h)
{
	d->rows++;
	if (d->ordered) {
		uint8_t b[16];
		byteorder_put_u64le(b, h.lo);
		byteorder_put_u64le(b + 8, h.hi);
		XXH3_128bits_update(d->seq, b, sizeof b);
	} else {
		d->sum_lo += h.lo;
		d->sum_hi += h.hi;
	}
}

static void hex128(uint64_t hi, uint64_t lo, char out[ROWDIGEST_HEX])
{
	uint8_t b[16];
	for (int i = 0; i < 8; i++) {
		b[i] = (uint8_t)(hi >> (56 - 8 * i));
		b[8 + i] = (uint8_t)(lo >> (56 - 8 * i));
	}
	hex_encode(out, b, 16, HEX_LOWER);
	out[32] = 0;
}

void rowdigest_hex(const rowdigest *d, char out[ROWDIGEST_HEX])
{
	uint8_t b[1 + 8 + 8 + 16];
	b[0] = d->ordered ? 'o' : 'u';
	byteorder_put_u64le(b + 1, (uint64_t)d->ncols);
	byteorder_put_u64le(b + 9, d->rows);
	if (d->ordered) {
		XXH128_hash_t s = XXH3_128bits_digest(d->seq);
		byteorder_put_u64le(b + 17, s.low64);
		byteorder_put_u64le(b + 25, s.high64);
	} else {
		byteorder_put_u64le(b + 17, d->sum_lo);
		byteorder_put_u64le(b + 25, d->sum_hi);
	}
	XXH128_hash_t f = XXH3_128bits(b, sizeof b);
	hex128(f.high64, f.low64, out);
}

void rowhash_hex(rowhash h, char out[ROWDIGEST_HEX])
{
	hex128(h.hi, h.lo, out);
}

bool rowhash_equal(rowhash a, rowhash b)
{
	return a.lo == b.lo && a.hi == b.hi;
}

void rowdigest_encode(buf *out, const rs_value *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rs_encode_value(out, v[i].data, (size_t)v[i].len, v[i].null);
}

rowhash rowdigest_hash_values(buf *scratch, const rs_value *v, size_t n)
{
	buf_reset(scratch);
	rowdigest_encode(scratch, v, n);
	return from_xxh(XXH3_128bits(scratch->data, scratch->len));
}

rowhash rowdigest_hash_bytes(const void *p, size_t n)
{
	return from_xxh(XXH3_128bits(p, n));
}

bool rowdigest_user_array(const rs_header *h, size_t col)
{
	const rs_column *c = &h->cols[col];
	size_t n = c->type ? strlen(c->type) : 0;
	return h->domain == RS_DOMAIN_PG && c->code == 0 && n > 2 && strcmp(c->type + n - 2, "[]") == 0;
}

void rowdigest_zero_elem(uint8_t *p, size_t n, uint64_t off)
{
	/* binary array: ndim int32, has-nulls int32, element type OID int32, ... */
	for (uint64_t i = 8; i < 12; i++)
		if (i >= off && i - off < n)
			p[i - off] = 0;
}

void rowhasher_init(rowhasher *rh)
{
	memset(rh, 0, sizeof *rh);
	buf_init(&rh->scratch);
}

void rowhasher_free(rowhasher *rh)
{
	buf_free(&rh->scratch);
	if (rh->state)
		XXH3_freeState(rh->state);
	free(rh->chunk);
	free(rh->user_array);
	memset(rh, 0, sizeof *rh);
}

bool rowhasher_row(rowhasher *rh, rs_reader *r, rowhash *out)
{
	const rs_header *h = rs_reader_header(r);
	const rs_value *v = rs_reader_values(r);
	if (rh->h != h) {
		free(rh->user_array);
		rh->user_array = mem_calloc(h->ncols ? h->ncols : 1, sizeof *rh->user_array);
		rh->any_user_array = false;
		for (size_t c = 0; c < h->ncols; c++)
			rh->any_user_array |= rh->user_array[c] = rowdigest_user_array(h, c);
		rh->h = h;
	}
	buf *s = &rh->scratch;
	buf_reset(s);
	size_t i = 0;
	/* the common case: every value inline, one contiguous encoding */
	for (; i < h->ncols; i++) {
		if (v[i].chunked)
			break;
		rs_encode_value(s, v[i].data, (size_t)v[i].len, v[i].null);
		if (rh->any_user_array && rh->user_array[i] && !v[i].null)
			rowdigest_zero_elem(s->data + s->len - v[i].len, (size_t)v[i].len, 0);
	}
	if (i == h->ncols) {
		*out = from_xxh(XXH3_128bits(s->data, s->len));
		return true;
	}
	/* large values: stream them through, encoded as if inline */
	if (!rh->state) {
		rh->state = XXH3_createState();
		rh->chunk = mem_alloc(RS_CHUNK_BYTES);
		if (!rh->state) {
			log_error("out of memory");
			abort();
		}
	}
	XXH3_state_t *st = rh->state;
	XXH3_128bits_reset(st);
	for (; i < h->ncols; i++) {
		if (!v[i].chunked) {
			rs_encode_value(s, v[i].data, (size_t)v[i].len, v[i].null);
			if (rh->user_array[i] && !v[i].null)
				rowdigest_zero_elem(s->data + s->len - v[i].len, (size_t)v[i].len, 0);
			continue;
		}
		buf_put_varint(s, (v[i].len << 1) + 1);
		XXH3_128bits_update(st, s->data, s->len);
		buf_reset(s);
		long long k;
		uint64_t got = 0;
		while ((k = rs_reader_value_read(r, i, rh->chunk, RS_CHUNK_BYTES)) > 0) {
			if (rh->user_array[i])
				rowdigest_zero_elem(rh->chunk, (size_t)k, got);
			XXH3_128bits_update(st, rh->chunk, (size_t)k);
			got += (uint64_t)k;
		}
		if (k < 0)
			return false;
		if (got != v[i].len) {
			log_error("large value of column '%s' has %llu bytes, %llu announced", h->cols[i].name,
			          (unsigned long long)got, (unsigned long long)v[i].len);
			return false;
		}
	}
	XXH3_128bits_update(st, s->data, s->len);
	*out = from_xxh(XXH3_128bits_digest(st));
	return true;
}

uint32_t rowdigest_bucket(buf *scratch, const rs_value *key, size_t nkey, uint32_t n)
{
	buf_reset(scratch);
	rowdigest_encode(scratch, key, nkey);
	uint64_t x = XXH3_64bits_withSeed(scratch->data, scratch->len, BUCKET_SEED);
	/* multiply-high on the top 32 bits: uniform over 0..n-1 without a modulo's bias */
	return (uint32_t)(((x >> 32) * (uint64_t)n) >> 32);
}
