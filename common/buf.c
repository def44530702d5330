/* buf.c - a growable byte buffer (buf.h) */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byteorder.h"

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
			mem_oom();
		cap *= 2;
	}
	b->data = mem_realloc(b->data, cap);
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
	byteorder_put_u32le(x, v);
	buf_append(b, x, 4);
}

void buf_put_u64le(buf *b, uint64_t v)
{
	uint8_t x[8];
	byteorder_put_u64le(x, v);
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
