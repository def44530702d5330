#include "utf8.h"

#include <string.h>

#include "charset.h"

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

bool utf8_check(const uint8_t *p, size_t n, size_t *nchars)
{
	size_t i = 0, cont = 0; /* continuation bytes: characters = n - cont */
	while (i < n) {
		/* eight bytes at once while they are ASCII without NUL: a byte with its high bit set
		 * or a zero byte sets the high bit of its lane in w | ((w - ONES) & ~w) */
		while (n - i >= 8) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			uint64_t stop = (w | ((w - ONES) & ~w)) & HIGHS;
			if (stop != 0) {
				/* the lowest marked lane is exact (no borrow reaches it): the bytes
				 * before it are ASCII without NUL (little-endian: lane k is byte k) */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
				i += (size_t)__builtin_ctzll(stop) >> 3;
#endif
				break;
			}
			i += 8;
		}
		if (i == n)
			break;
		if (n - i < 8 && n >= 8) {
			/* the tail: the last eight bytes at once (some already checked) */
			uint64_t w;
			memcpy(&w, p + n - 8, 8);
			if (((w | ((w - ONES) & ~w)) & HIGHS) == 0)
				break;
		}
		uint8_t c = p[i];
		if (c < 0x80) {
			if (c == 0)
				return false;
			i++;
			continue;
		}
		/* two-byte sequences (Latin, Greek, Cyrillic, Turkish...) without a call */
		if (c >= 0xC2 && c <= 0xDF) {
			if (n - i < 2 || (p[i + 1] & 0xC0) != 0x80)
				return false;
			i += 2;
			cont++;
			continue;
		}
		int r = charset_utf8_seq(p + i, n - i);
		if (r <= 0)
			return false;
		i += (size_t)r;
		cont += (size_t)r - 1;
	}
	if (nchars)
		*nchars = n - cont;
	return true;
}
