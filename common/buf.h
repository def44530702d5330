/*
 * buf.h - a growable byte buffer and LEB128 varints.
 */
#ifndef BUF_H
#define BUF_H

#include "checked.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct buf {
	uint8_t *data;
	size_t len;
	size_t cap;
} buf;

/* all functions abort the program on out-of-memory (the only exception to "no exit in library code") */
void buf_init(buf *b);
void buf_free(buf *b);
void buf_reset(buf *b);
/* slow path of buf_reserve */
void buf_grow(buf *b, size_t extra);
static inline void buf_reserve(buf *b, size_t extra)
{
	if (b->len + extra + 1 > b->cap)
		buf_grow(b, extra);
}
static inline void buf_append(buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	buf_reserve(b, n);
	__builtin_memcpy(b->data + b->len, p, n);
	b->len += n;
}
static inline void buf_putc(buf *b, uint8_t c)
{
	buf_reserve(b, 1);
	b->data[b->len++] = c;
}
void buf_puts(buf *b, const char *s);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_put_u16le(buf *b, uint16_t v);
void buf_put_u32le(buf *b, uint32_t v);
void buf_put_u64le(buf *b, uint64_t v);
void buf_put_u16be(buf *b, uint16_t v);
void buf_put_u32be(buf *b, uint32_t v);
void buf_put_u64be(buf *b, uint64_t v);
void buf_put_varint(buf *b, uint64_t v);
/* varint length, then bytes */
void buf_put_str(buf *b, const void *s, size_t n);
/* NUL-terminated copy of the contents (the buffer keeps its length) */
const char *buf_cstr(buf *b);

/* bounded readers over memory; each returns false when the input is too short or malformed */
typedef struct cursor {
	const uint8_t *p;
	const uint8_t *end;
} cursor;

CHECKED bool cur_u8(cursor *c, uint8_t *v);
CHECKED bool cur_u16le(cursor *c, uint16_t *v);
CHECKED bool cur_u32le(cursor *c, uint32_t *v);
CHECKED bool cur_u64le(cursor *c, uint64_t *v);
CHECKED bool cur_varint_slow(cursor *c, uint64_t *v);
static inline bool cur_varint(cursor *c, uint64_t *v)
{
	if (c->p < c->end && !(*c->p & 0x80)) {
		*v = *c->p++;
		return true;
	}
	return cur_varint_slow(c, v);
}
CHECKED bool cur_bytes(cursor *c, size_t n, const uint8_t **p);
/* string: varint length then bytes; returns a malloc'd NUL-terminated copy in *s */
CHECKED bool cur_str(cursor *c, char **s, size_t *n);

uint16_t rd_u16le(const uint8_t *p);
uint32_t rd_u32le(const uint8_t *p);
uint64_t rd_u64le(const uint8_t *p);
uint16_t rd_u16be(const uint8_t *p);
uint32_t rd_u32be(const uint8_t *p);
uint64_t rd_u64be(const uint8_t *p);
void wr_u32le(uint8_t *p, uint32_t v);
void wr_u64le(uint8_t *p, uint64_t v);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
