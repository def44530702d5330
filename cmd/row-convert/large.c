/*
 * large.c - values too large for a block (chunked values), converted through temporary
 * files: bytes straight into a spool, text piece by piece, the rest (json, geometry) mapped
 * whole from a temporary file. The spool of a column is written out after the row's other
 * values (rc_large_put). See row-convert.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "charset.h"
#include "log.h"
#include "row-convert.h"

#define PIECE_BYTES (1u << 20)
#define WHOLE_MAX ((uint64_t)1 << 30) /* values converted whole (json...) are held in memory */

static FILE *spool_get(rc_conv *c, size_t col)
{
	if (!c->spool[col]) {
		c->spool[col] = tmpfile();
		if (!c->spool[col]) {
			log_errno("unable to create a temporary file for a large value");
			return NULL;
		}
	} else {
		if (fseeko(c->spool[col], 0, SEEK_SET) != 0 || ftruncate(fileno(c->spool[col]), 0) != 0) {
			log_errno("unable to reset a temporary file");
			return NULL;
		}
	}
	return c->spool[col];
}

/* f NULL: --profile, the converted value is not kept */
static bool spool_write(FILE *f, const void *p, size_t n)
{
	if (f && n && fwrite(p, 1, n, f) != n) {
		log_errno("unable to write a large value to a temporary file");
		return false;
	}
	return true;
}

/* reads chunked value col entirely into a temporary file; returns it mapped */
static uint8_t *read_to_map(rc_conv *c, size_t col, uint64_t len, FILE **tmp)
{
	*tmp = tmpfile();
	if (!*tmp) {
		log_errno("unable to create a temporary file for a large value");
		return NULL;
	}
	uint8_t *piece = mem_alloc(PIECE_BYTES);
	uint64_t got = 0;
	bool ok = true;
	for (;;) {
		long long n = rs_reader_value_read(c->r, col, piece, PIECE_BYTES);
		if (n < 0) {
			ok = false;
			c->status = RC_STREAM;
			break;
		}
		if (n == 0)
			break;
		if (!spool_write(*tmp, piece, (size_t)n)) {
			ok = false;
			c->status = RC_IO;
			break;
		}
		got += (uint64_t)n;
	}
	free(piece);
	if (ok && got != len) {
		log_error("large value of column \"%s\": %" PRIu64 " bytes read, %" PRIu64 " announced",
		          c->in->cols[col].name, got, len);
		c->status = RC_STREAM;
		ok = false;
	}
	if (ok && fflush(*tmp) != 0) {
		log_errno("unable to write a large value to a temporary file");
		c->status = RC_IO;
		ok = false;
	}
	if (!ok || len == 0)
		return ok ? (uint8_t *)"" : NULL;
	void *m = mmap(NULL, (size_t)len, PROT_READ, MAP_PRIVATE, fileno(*tmp), 0);
	if (m == MAP_FAILED) {
		log_errno("unable to map a large value");
		c->status = RC_IO;
		return NULL;
	}
	return m;
}

static void unmap(uint8_t *m, uint64_t len, FILE *tmp)
{
	if (m && len)
		munmap(m, (size_t)len);
	if (tmp)
		fclose(tmp);
}

/* changed: the row's policy counters */
/* the large value of col is refused for reason: with --profile counted under class_name,
 * else its row is rejected (RC_LARGE_STOP when that stops the run) */
static rc_large refused(rc_conv *c, size_t col, const char *class_name, const char *reason, const uint8_t *src,
                        uint64_t len)
{
	if (c->prof) {
		profile_refused(c->prof, col, class_name);
		return RC_LARGE_REJECTED;
	}
	return rc_reject_row(c, col, reason, src, len) ? RC_LARGE_REJECTED : RC_LARGE_STOP;
}

rc_large rc_large_convert(rc_conv *c, size_t col, const rs_value *v, uint64_t *changed)
{
	const convert_column *cc = &c->cols[col];
	convert_stream_kind kind = convert_stream_kind_of(cc);
	if (kind == CONVERT_STREAM_COPY) {
		/* bytes stay bytes: straight into the spool, no second copy */
		FILE *out = c->prof ? NULL : spool_get(c, col);
		if (!out && !c->prof) {
			c->status = RC_IO;
			return RC_LARGE_STOP;
		}
		uint8_t *piece = mem_alloc(PIECE_BYTES);
		uint64_t got = 0;
		long long n;
		while ((n = rs_reader_value_read(c->r, col, piece, PIECE_BYTES)) > 0) {
			if (!spool_write(out, piece, (size_t)n)) {
				free(piece);
				c->status = RC_IO;
				return RC_LARGE_STOP;
			}
			got += (uint64_t)n;
		}
		free(piece);
		if (n < 0 || got != v->len) {
			if (n >= 0)
				log_error("large value of column \"%s\": %" PRIu64 " bytes read, %" PRIu64 " announced",
				          c->in->cols[col].name, got, v->len);
			c->status = RC_STREAM;
			return RC_LARGE_STOP;
		}
		if (out && fflush(out) != 0) {
			log_errno("unable to write a large value to a temporary file");
			c->status = RC_IO;
			return RC_LARGE_STOP;
		}
		c->spool_len[col] = got;
		return RC_LARGE_OK;
	}
	FILE *tmp = NULL;
	uint8_t *src = read_to_map(c, col, v->len, &tmp);
	if (!src) {
		if (tmp)
			fclose(tmp);
		return RC_LARGE_STOP;
	}
	FILE *out = c->prof ? NULL : spool_get(c, col);
	if (!out && !c->prof) {
		unmap(src, v->len, tmp);
		c->status = RC_IO;
		return RC_LARGE_STOP;
	}
	rc_large rc = RC_LARGE_OK;
	if (kind == CONVERT_STREAM_TEXT) {
		charset_conv cv;
		convert_text_begin(cc, &cv);
		buf piece;
		buf_init(&piece);
		uint64_t total = 0;
		bool ok = true;
		for (uint64_t off = 0; ok && off < v->len; off += PIECE_BYTES) {
			size_t n = v->len - off < PIECE_BYTES ? (size_t)(v->len - off) : PIECE_BYTES;
			buf_reset(&piece);
			ok = charset_conv_feed(&cv, src + off, n, &piece);
			if (ok) {
				if (!spool_write(out, piece.data, piece.len))
					rc = RC_LARGE_STOP;
				total += piece.len;
			}
		}
		buf_reset(&piece);
		if (ok)
			ok = charset_conv_finish(&cv, &piece);
		if (ok && !spool_write(out, piece.data, piece.len))
			rc = RC_LARGE_STOP;
		total += piece.len;
		buf_free(&piece);
		if (rc == RC_LARGE_OK && !ok) {
			char reason[160];
			snprintf(reason, sizeof reason, "%s (at byte %" PRIu64 ")", cv.error, cv.error_offset);
			rc = refused(c, col, c->prof ? rc_refusal_class(c, col, cv.error, src, (size_t)v->len) : NULL, reason,
			             src, v->len);
		} else if (rc == RC_LARGE_OK) {
			uint32_t ch = convert_text_changed(&cv);
			for (int k = 0; k < CONVERT_NCLASS; k++)
				if (ch & (1u << k))
					changed[k]++;
			if (c->prof && ch)
				profile_changed(c->prof, col, ch);
			c->spool_len[col] = total;
		}
	} else {
		if (v->len > WHOLE_MAX) {
			rc = refused(c, col, "too-large", "value too large to convert (more than 1 GiB)", src, v->len);
		} else {
			buf o;
			buf_init(&o);
			convert_status st;
			if (!convert_value(cc, src, (size_t)v->len, &o, &st)) {
				rc = refused(c, col, c->prof ? rc_refusal_class(c, col, st.reason, src, (size_t)v->len) : NULL,
				             st.reason, src, v->len);
			} else if (st.null) {
				/* policies never null a large value today; keep it explicit */
				rc = refused(c, col, "null-large", "large value would become NULL", src, v->len);
			} else {
				if (!spool_write(out, o.data, o.len))
					rc = RC_LARGE_STOP;
				c->spool_len[col] = o.len;
				for (int k = 0; k < CONVERT_NCLASS; k++)
					if (st.changed & (1u << k))
						changed[k]++;
				if (c->prof && st.changed)
					profile_changed(c->prof, col, st.changed);
			}
			buf_free(&o);
		}
	}
	if (rc == RC_LARGE_OK && out && fflush(out) != 0) {
		log_errno("unable to write a large value to a temporary file");
		rc = RC_LARGE_STOP;
	}
	if (rc == RC_LARGE_STOP && c->status == RC_OK)
		c->status = RC_IO;
	unmap(src, v->len, tmp);
	return rc;
}

bool rc_large_put(rc_conv *c, size_t col)
{
	FILE *f = c->spool[col];
	uint64_t left = c->spool_len[col];
	if (fseeko(f, 0, SEEK_SET) != 0) {
		log_errno("unable to rewind a temporary file");
		return false;
	}
	if (!rs_writer_put_begin(c->w, left))
		return false;
	uint8_t *piece = mem_alloc(PIECE_BYTES);
	bool ok = true;
	while (ok && left > 0) {
		size_t n = left < PIECE_BYTES ? (size_t)left : PIECE_BYTES;
		if (fread(piece, 1, n, f) != n) {
			log_errno("unable to read back a large value from a temporary file");
			ok = false;
			break;
		}
		ok = rs_writer_put_more(c->w, piece, n);
		left -= n;
	}
	free(piece);
	return ok && rs_writer_put_end(c->w);
}

