/*
 * hex.c - hex digits back into bytes (hex.h; the encoders are inline there).
 */
#include "hex.h"

bool hex_decode(buf *out, const char *s, size_t n)
{
	if (n % 2 != 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (hex_value((unsigned char)s[i]) < 0)
			return false;
	buf_reserve(out, n / 2);
	for (size_t i = 0; i < n; i += 2)
		out->data[out->len++] = (uint8_t)(hex_value((unsigned char)s[i]) << 4 | hex_value((unsigned char)s[i + 1]));
	return true;
}
