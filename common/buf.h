/*
 * buf.h - a growable byte buffer and LEB128 varints.
 *
 * Its memory comes from mem.h (included: every user of a buffer allocates the same way);
 * cursor.h reads back what it writes, byteorder.h has the byte-order helpers.
 */
#ifndef BUF_H
#define BUF_H

#include "checked.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem.h"

typedef struct buf {
	uint8_t *data;
	size_t len;
	size_t cap;
} buf;

/* all functions abort the program on out-of-memory (mem.h) */
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

#endif
