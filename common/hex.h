/*
 * hex.h - bytes as hex digits and back: the one encoder and decoder of every tool.
 *
 *   hex_encode(dst, "\x0a\xff", 2, HEX_LOWER)   dst holds "0aff" (no NUL added)
 *   hex_append(b, "\x0a\xff", 2)                appends "0aff" to buf b
 *   hex_append_digits(b, p, n, HEX_UPPER)       appends "0AFF" (SQL X'...' literals)
 *   hex_value('F') == 15, hex_value('g') == -1
 *   hex_decode(b, "0aFF", 4)                    appends 0x0a 0xff; false for odd or non-hex input
 *
 * The encoders are inline and table-driven (two stores a byte, one reservation a call): they
 * sit on data paths (pg-extract's bytea text, row-cat, rejects).
 */
#ifndef HEX_H
#define HEX_H

#include "checked.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define HEX_LOWER "0123456789abcdef"
#define HEX_UPPER "0123456789ABCDEF"

/* the 2n hex digits of src[0..n) at dst, digits HEX_LOWER or HEX_UPPER */
static inline void hex_encode(char *dst, const void *src, size_t n, const char *digits)
{
	const uint8_t *p = src;
	for (size_t i = 0; i < n; i++) {
		dst[2 * i] = digits[p[i] >> 4];
		dst[2 * i + 1] = digits[p[i] & 15];
	}
}

static inline void hex_append_digits(buf *out, const void *src, size_t n, const char *digits)
{
	buf_reserve(out, 2 * n);
	hex_encode((char *)out->data + out->len, src, n, digits);
	out->len += 2 * n;
}

/* lowercase */
static inline void hex_append(buf *out, const void *src, size_t n)
{
	hex_append_digits(out, src, n, HEX_LOWER);
}

/* the value of hex digit c (either case), -1 when c is not one */
static inline int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* the n/2 bytes of the n hex digits at s appended to out; false (out unchanged) when n is
 * odd or a character is not a hex digit */
CHECKED bool hex_decode(buf *out, const char *s, size_t n);

#endif
