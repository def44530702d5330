/*
 * cursor.h - bounded reads over memory: fixed-width little-endian integers, LEB128 varints
 * (minimal encodings only), byte runs and length-prefixed strings, as buf.h writes them.
 */
#ifndef CURSOR_H
#define CURSOR_H

#include "checked.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* bounded readers over memory; each returns false when the input is too short or malformed */
typedef struct cursor {
	const uint8_t *p;
	const uint8_t *end;
} cursor;

CHECKED bool cursor_u8(cursor *c, uint8_t *v);
CHECKED bool cursor_u16le(cursor *c, uint16_t *v);
CHECKED bool cursor_u32le(cursor *c, uint32_t *v);
CHECKED bool cursor_u64le(cursor *c, uint64_t *v);
CHECKED bool cursor_varint_slow(cursor *c, uint64_t *v);
static inline bool cursor_varint(cursor *c, uint64_t *v)
{
	if (c->p < c->end && !(*c->p & 0x80)) {
		*v = *c->p++;
		return true;
	}
	return cursor_varint_slow(c, v);
}
CHECKED bool cursor_bytes(cursor *c, size_t n, const uint8_t **p);
/* string: varint length then bytes; returns a malloc'd NUL-terminated copy in *s */
CHECKED bool cursor_str(cursor *c, char **s, size_t *n);

#endif
