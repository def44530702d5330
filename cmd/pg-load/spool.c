/*
 * spool.c - the rows of the current batch, kept to be sent again.
 *
 * A batch is streamed to the server as it arrives; the same bytes (binary
 * COPY tuples: int16 field count, then int32 length + value per field) go to
 * an unlinked temporary file in $TMPDIR, so that the batch can be replayed
 * after a lost connection or split to isolate refused rows. Memory stays
 * bounded: a write buffer, a read buffer, and the file offset of every
 * SPOOL_MARK-th row.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "byteorder.h"
#include "log.h"
#include "pg-load.h"

#define SPOOL_MARK 1024
#define SPOOL_BUF (1u << 20)

struct spool {
	int fd;
	buf w;            /* written, not yet in the file */
	uint64_t flushed; /* bytes in the file */
	uint64_t rows;
	uint64_t *marks;  /* marks[k] = offset of row k * SPOOL_MARK */
	size_t nmarks, capmarks;
};

spool *spool_new(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	buf path;
	buf_init(&path);
	buf_printf(&path, "%s/pg-load-spool.XXXXXX", dir);
	char *p = (char *)buf_cstr(&path);
	int fd = mkstemp(p);
	if (fd < 0) {
		log_errno("%s: unable to create the batch spool file", p);
		buf_free(&path);
		return NULL;
	}
	if (unlink(p) != 0)
		log_warn("%s: unable to unlink the spool file: %s", p, strerror(errno));
	buf_free(&path);
	spool *s = mem_calloc(1, sizeof *s);
	s->fd = fd;
	buf_init(&s->w);
	return s;
}

void spool_free(spool *s)
{
	if (!s)
		return;
	close(s->fd);
	buf_free(&s->w);
	free(s->marks);
	free(s);
}

static bool spool_write(spool *s, const void *p, size_t n)
{
	const uint8_t *q = p;
	while (n) {
		ssize_t w = pwrite(s->fd, q, n, (off_t)s->flushed);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			log_errno("batch spool file (in $TMPDIR): write failed");
			return false;
		}
		q += w;
		n -= (size_t)w;
		s->flushed += (uint64_t)w;
	}
	return true;
}

static bool spool_flush(spool *s)
{
	if (!s->w.len)
		return true;
	bool ok = spool_write(s, s->w.data, s->w.len);
	s->w.len = 0;
	return ok;
}

bool spool_reset(spool *s)
{
	s->w.len = 0;
	s->flushed = 0;
	s->rows = 0;
	s->nmarks = 0;
	if (ftruncate(s->fd, 0) != 0) {
		log_errno("batch spool file: truncate failed");
		return false;
	}
	return true;
}

void spool_row(spool *s)
{
	if (s->rows % SPOOL_MARK == 0) {
		if (s->nmarks == s->capmarks) {
			s->capmarks = s->capmarks ? 2 * s->capmarks : 64;
			s->marks = mem_realloc(s->marks, s->capmarks * sizeof *s->marks);
		}
		s->marks[s->nmarks++] = s->flushed + s->w.len;
	}
	s->rows++;
}

bool spool_append(spool *s, const void *p, size_t n)
{
	if (s->w.len + n > SPOOL_BUF && !spool_flush(s))
		return false;
	if (n >= SPOOL_BUF)
		return spool_write(s, p, n);
	buf_append(&s->w, p, n);
	return true;
}

uint64_t spool_rows(const spool *s) { return s->rows; }
uint64_t spool_bytes(const spool *s) { return s->flushed + s->w.len; }

/* ---------------------------------------------------------------- reading */

struct spool_cursor {
	spool *s;
	uint8_t *buf;
	size_t pos, len;
	uint64_t off; /* file offset of buf[len] (the next byte to read from the file) */
};

/* keeps the unread bytes and reads more, to hold at least want bytes if the file has them */
static bool cursor_fill(spool_cursor *cur, size_t want)
{
	memmove(cur->buf, cur->buf + cur->pos, cur->len - cur->pos);
	cur->len -= cur->pos;
	cur->pos = 0;
	while (cur->len < want) {
		ssize_t n = pread(cur->s->fd, cur->buf + cur->len, SPOOL_BUF - cur->len, (off_t)cur->off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_errno("batch spool file: read failed");
			return false;
		}
		if (n == 0) {
			log_error("batch spool file: unexpected end (%" PRIu64 " bytes)", cur->off);
			return false;
		}
		cur->len += (size_t)n;
		cur->off += (uint64_t)n;
	}
	return true;
}

const uint8_t *spool_cursor_take(spool_cursor *cur, size_t n)
{
	if (cur->len - cur->pos < n && !cursor_fill(cur, n))
		return NULL;
	const uint8_t *p = cur->buf + cur->pos;
	cur->pos += n;
	return p;
}

bool spool_cursor_pass(spool_cursor *cur, uint64_t n, bool (*sink)(void *ctx, const uint8_t *p, size_t n), void *ctx)
{
	while (n) {
		if (cur->pos == cur->len && !cursor_fill(cur, 1))
			return false;
		size_t k = cur->len - cur->pos;
		if (k > n)
			k = (size_t)n;
		if (sink && !sink(ctx, cur->buf + cur->pos, k))
			return false;
		cur->pos += k;
		n -= k;
	}
	return true;
}

static bool cursor_skip_row(spool_cursor *cur)
{
	const uint8_t *p = spool_cursor_take(cur, 2);
	if (!p)
		return false;
	int nf = (int16_t)byteorder_get_u16be(p);
	for (int i = 0; i < nf; i++) {
		if (!(p = spool_cursor_take(cur, 4)))
			return false;
		int32_t len = (int32_t)byteorder_get_u32be(p);
		if (len > 0 && !spool_cursor_pass(cur, (uint64_t)len, NULL, NULL))
			return false;
	}
	return true;
}

spool_cursor *spool_cursor_new(spool *s, uint64_t row)
{
	if (!spool_flush(s))
		return NULL;
	if (row > s->rows) {
		log_error("batch spool file: row %" PRIu64 " requested, %" PRIu64 " spooled", row, s->rows);
		return NULL;
	}
	spool_cursor *cur = mem_calloc(1, sizeof *cur);
	cur->s = s;
	cur->buf = mem_alloc(SPOOL_BUF);
	uint64_t k = row / SPOOL_MARK;
	cur->off = k < s->nmarks ? s->marks[k] : s->flushed;
	for (uint64_t r = k * SPOOL_MARK; r < row; r++) {
		if (!cursor_skip_row(cur)) {
			spool_cursor_free(cur);
			return NULL;
		}
	}
	return cur;
}

void spool_cursor_free(spool_cursor *cur)
{
	if (!cur)
		return;
	free(cur->buf);
	free(cur);
}
