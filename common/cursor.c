/* cursor.c - bounded reads over memory (cursor.h) */
#include "cursor.h"

#include "byteorder.h"
#include "mem.h"

bool cursor_u8(cursor *c, uint8_t *v)
{
	if (c->end - c->p < 1)
		return false;
	*v = *c->p++;
	return true;
}

bool cursor_u16le(cursor *c, uint16_t *v)
{
	if (c->end - c->p < 2)
		return false;
	*v = byteorder_get_u16le(c->p);
	c->p += 2;
	return true;
}

bool cursor_u32le(cursor *c, uint32_t *v)
{
	if (c->end - c->p < 4)
		return false;
	*v = byteorder_get_u32le(c->p);
	c->p += 4;
	return true;
}

bool cursor_u64le(cursor *c, uint64_t *v)
{
	if (c->end - c->p < 8)
		return false;
	*v = byteorder_get_u64le(c->p);
	c->p += 8;
	return true;
}

bool cursor_varint_slow(cursor *c, uint64_t *v)
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

bool cursor_bytes(cursor *c, size_t n, const uint8_t **p)
{
	if ((size_t)(c->end - c->p) < n)
		return false;
	*p = c->p;
	c->p += n;
	return true;
}

bool cursor_str(cursor *c, char **s, size_t *n)
{
	uint64_t len;
	const uint8_t *p;
	if (!cursor_varint(c, &len) || len > (uint64_t)(c->end - c->p))
		return false;
	if (!cursor_bytes(c, (size_t)len, &p))
		return false;
	*s = mem_strndup((const char *)p, (size_t)len);
	if (n)
		*n = (size_t)len;
	return true;
}
