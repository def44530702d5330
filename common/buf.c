#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void oom(void)
{
	static const char msg[] = "out of memory\n";
	ssize_t w = write(2, msg, sizeof msg - 1);
	(void)w;
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom();
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void buf_init(buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void buf_free(buf *b)
{
	free(b->data);
	buf_init(b);
}

void buf_reset(buf *b)
{
	b->len = 0;
}

void buf_grow(buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1) {
		if (cap > SIZE_MAX / 2)
			oom();
		cap *= 2;
	}
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void buf_puts(buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void buf_put_u16le(buf *b, uint16_t v)
{
	uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	buf_append(b, x, 2);
}

void buf_put_u32le(buf *b, uint32_t v)
{
	uint8_t x[4];
	wr_u32le(x, v);
	buf_append(b, x, 4);
}

void buf_put_u64le(buf *b, uint64_t v)
{
	uint8_t x[8];
	wr_u64le(x, v);
	buf_append(b, x, 8);
}

void buf_put_u16be(buf *b, uint16_t v)
{
	uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	buf_append(b, x, 2);
}

void buf_put_u32be(buf *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
	buf_append(b, x, 4);
}

void buf_put_u64be(buf *b, uint64_t v)
{
	buf_put_u32be(b, (uint32_t)(v >> 32));
	buf_put_u32be(b, (uint32_t)v);
}

void buf_put_varint(buf *b, uint64_t v)
{
	if (v < 0x80) {
		buf_putc(b, (uint8_t)v);
		return;
	}
	buf_reserve(b, 10);
	while (v >= 0x80) {
		b->data[b->len++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	b->data[b->len++] = (uint8_t)v;
}

void buf_put_str(buf *b, const void *s, size_t n)
{
	buf_put_varint(b, n);
	buf_append(b, s, n);
}

const char *buf_cstr(buf *b)
{
	buf_reserve(b, 1);
	b->data[b->len] = 0;
	return (const char *)b->data;
}

bool cur_u8(cursor *c, uint8_t *v)
{
	if (c->end - c->p < 1)
		return false;
	*v = *c->p++;
	return true;
}

bool cur_u16le(cursor *c, uint16_t *v)
{
	if (c->end - c->p < 2)
		return false;
	*v = rd_u16le(c->p);
	c->p += 2;
	return true;
}

bool cur_u32le(cursor *c, uint32_t *v)
{
	if (c->end - c->p < 4)
		return false;
	*v = rd_u32le(c->p);
	c->p += 4;
	return true;
}

bool cur_u64le(cursor *c, uint64_t *v)
{
	if (c->end - c->p < 8)
		return false;
	*v = rd_u64le(c->p);
	c->p += 8;
	return true;
}

bool cur_varint_slow(cursor *c, uint64_t *v)
{
	uint64_t r = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (c->p >= c->end)
			return false;
		uint8_t x = *c->p++;
		if (shift == 63 && (x & 0xfe))
			return false; /* overflow */
		r |= (uint64_t)(x & 0x7f) << shift;
		if (!(x & 0x80)) {
			/* reject non-minimal encodings (trailing zero groups) */
			if (x == 0 && shift > 0)
				return false;
			*v = r;
			return true;
		}
	}
	return false;
}

bool cur_bytes(cursor *c, size_t n, const uint8_t **p)
{
	if ((size_t)(c->end - c->p) < n)
		return false;
	*p = c->p;
	c->p += n;
	return true;
}

bool cur_str(cursor *c, char **s, size_t *n)
{
	uint64_t len;
	const uint8_t *p;
	if (!cur_varint(c, &len) || len > (uint64_t)(c->end - c->p))
		return false;
	if (!cur_bytes(c, (size_t)len, &p))
		return false;
	*s = xstrndup((const char *)p, (size_t)len);
	if (n)
		*n = (size_t)len;
	return true;
}

uint16_t rd_u16le(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
uint32_t rd_u32le(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
uint64_t rd_u64le(const uint8_t *p) { return (uint64_t)rd_u32le(p) | ((uint64_t)rd_u32le(p + 4) << 32); }
uint16_t rd_u16be(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
uint32_t rd_u32be(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}
uint64_t rd_u64be(const uint8_t *p) { return ((uint64_t)rd_u32be(p) << 32) | rd_u32be(p + 4); }
void wr_u32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}
void wr_u64le(uint8_t *p, uint64_t v)
{
	wr_u32le(p, (uint32_t)v);
	wr_u32le(p + 4, (uint32_t)(v >> 32));
}
