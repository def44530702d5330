#include "charset.h"

#include <string.h>

/* cp1252 0x80-0x9F as MySQL's latin1 maps them (undefined bytes map to U+0080-U+009F) */
static const uint16_t latin1_high[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

charset_id charset_from_name(const char *name)
{
	if (!name)
		return CHARSET_UNKNOWN;
	if (strcmp(name, "utf8mb4") == 0)
		return CHARSET_UTF8MB4;
	if (strcmp(name, "utf8mb3") == 0 || strcmp(name, "utf8") == 0)
		return CHARSET_UTF8MB3;
	if (strcmp(name, "latin1") == 0)
		return CHARSET_LATIN1;
	if (strcmp(name, "ascii") == 0)
		return CHARSET_ASCII;
	if (strcmp(name, "binary") == 0)
		return CHARSET_BINARY;
	return CHARSET_UNKNOWN;
}

const char *charset_name(charset_id cs)
{
	switch (cs) {
	case CHARSET_UTF8MB4: return "utf8mb4";
	case CHARSET_UTF8MB3: return "utf8mb3";
	case CHARSET_LATIN1: return "latin1";
	case CHARSET_ASCII: return "ascii";
	case CHARSET_BINARY: return "binary";
	default: return "unknown";
	}
}

void charset_put_utf8(buf *out, uint32_t cp)
{
	uint8_t s[4];
	size_t n;
	if (cp < 0x80) {
		s[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		s[0] = (uint8_t)(0xC0 | (cp >> 6));
		s[1] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		s[0] = (uint8_t)(0xE0 | (cp >> 12));
		s[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
		s[2] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		s[0] = (uint8_t)(0xF0 | (cp >> 18));
		s[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
		s[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
		s[3] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_append(out, s, n);
}

int charset_utf8_seq(const uint8_t *p, size_t n)
{
	if (n == 0)
		return 0;
	uint8_t c = p[0];
	if (c < 0x80)
		return 1;
	size_t need;
	uint8_t lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
	if (c >= 0xC2 && c <= 0xDF)
		need = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		if (c == 0xE0)
			lo = 0xA0; /* no overlong forms */
		else if (c == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F; /* <= U+10FFFF */
	} else
		return -1;
	for (size_t i = 1; i < need; i++) {
		if (i >= n)
			return 0;
		uint8_t b = p[i];
		uint8_t l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xBF;
		if (b < l || b > h)
			return -(int)i;
	}
	return (int)need;
}

size_t charset_utf8_count(const uint8_t *p, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			k++;
	return k;
}

void charset_conv_init(charset_conv *c, charset_id cs, charset_nul_action nul,
                       charset_invalid_action invalid)
{
	memset(c, 0, sizeof *c);
	c->cs = cs;
	c->nul = nul;
	c->invalid = invalid;
}

static bool conv_nul(charset_conv *c, buf *out, uint64_t off)
{
	switch (c->nul) {
	case CHARSET_NUL_STRIP:
		c->nul_changed++;
		return true;
	case CHARSET_NUL_ESCAPE:
		buf_append(out, "\\u0000", 6);
		c->nchars += 6;
		c->nul_changed++;
		return true;
	default:
		c->error = "NUL byte in text (PostgreSQL text cannot hold it)";
		c->error_offset = off;
		return false;
	}
}

static bool conv_invalid(charset_conv *c, buf *out, uint64_t off)
{
	if (c->invalid == CHARSET_INVALID_REPLACE) {
		buf_append(out, "\xEF\xBF\xBD", 3);
		c->nchars++;
		c->invalid_changed++;
		return true;
	}
	c->error = c->cs == CHARSET_ASCII ? "byte outside ascii" : "invalid UTF-8";
	c->error_offset = off;
	return false;
}

/* UTF-8 input (utf8mb4/utf8mb3); offsets are base + index in this piece */
static bool feed_utf8(charset_conv *c, const uint8_t *in, size_t n, buf *out)
{
	uint64_t base = c->in_bytes;
	size_t i = 0;
	/* complete a sequence left over from the previous piece */
	while (c->npend > 0 && i < n) {
		uint8_t tmp[8];
		size_t take = n - i < 4 ? n - i : 4;
		memcpy(tmp, c->pend, c->npend);
		memcpy(tmp + c->npend, in + i, take);
		int r = charset_utf8_seq(tmp, c->npend + take);
		if (r > 0) {
			buf_append(out, tmp, (size_t)r);
			c->nchars++;
			i += (size_t)r - c->npend;
			c->npend = 0;
		} else if (r == 0) {
			/* still incomplete: this (short) piece is all pending */
			memcpy(c->pend + c->npend, in + i, take);
			c->npend += take;
			i += take;
		} else {
			/* the pending bytes were a valid prefix, so the invalid subpart covers them */
			size_t k = (size_t)-r;
			if (!conv_invalid(c, out, base - c->npend))
				return false;
			i += k - c->npend;
			c->npend = 0;
		}
	}
	size_t run = i; /* start of a run of valid bytes not yet copied */
	while (i < n) {
		uint8_t b = in[i];
		if (b >= 0x01 && b < 0x80) {
			i++;
			c->nchars++;
			continue;
		}
		if (b == 0) {
			buf_append(out, in + run, i - run);
			if (!conv_nul(c, out, base + i))
				return false;
			run = ++i;
			continue;
		}
		int r = charset_utf8_seq(in + i, n - i);
		if (r > 0) {
			i += (size_t)r;
			c->nchars++;
		} else if (r == 0) {
			buf_append(out, in + run, i - run);
			c->npend = n - i;
			memcpy(c->pend, in + i, c->npend);
			c->in_bytes = base + n;
			return true;
		} else {
			buf_append(out, in + run, i - run);
			if (!conv_invalid(c, out, base + i))
				return false;
			i += (size_t)-r;
			run = i;
		}
	}
	buf_append(out, in + run, i - run);
	c->in_bytes = base + n;
	return true;
}

bool charset_conv_feed(charset_conv *c, const uint8_t *in, size_t n, buf *out)
{
	if (c->error)
		return false;
	switch (c->cs) {
	case CHARSET_UTF8MB4:
	case CHARSET_UTF8MB3:
		return feed_utf8(c, in, n, out);
	case CHARSET_LATIN1:
	case CHARSET_ASCII: {
		size_t run = 0;
		for (size_t i = 0; i < n; i++) {
			uint8_t b = in[i];
			if (b >= 0x01 && b < 0x80)
				continue;
			buf_append(out, in + run, i - run);
			run = i + 1;
			if (b == 0) {
				if (!conv_nul(c, out, c->in_bytes + i))
					return false;
				c->nchars--; /* counted below with the run */
				continue;
			}
			if (c->cs == CHARSET_ASCII) {
				if (!conv_invalid(c, out, c->in_bytes + i))
					return false;
				c->nchars--;
				continue;
			}
			charset_put_utf8(out, b < 0xA0 ? latin1_high[b - 0x80] : b);
		}
		buf_append(out, in + run, n - run);
		c->nchars += n;
		c->in_bytes += n;
		return true;
	}
	default:
		c->error = "unsupported character set";
		c->error_offset = c->in_bytes;
		return false;
	}
}

bool charset_conv_finish(charset_conv *c, buf *out)
{
	if (c->error)
		return false;
	if (c->npend > 0) {
		uint64_t off = c->in_bytes - c->npend;
		c->npend = 0;
		if (!conv_invalid(c, out, off))
			return false;
	}
	return true;
}

bool charset_to_utf8(charset_conv *c, const uint8_t *in, size_t n, buf *out)
{
	return charset_conv_feed(c, in, n, out) && charset_conv_finish(c, out);
}

bool charset_from_utf8(charset_id cs, const uint8_t *in, size_t n, buf *out)
{
	if (cs != CHARSET_LATIN1 && cs != CHARSET_ASCII && cs != CHARSET_UTF8MB3 && cs != CHARSET_UTF8MB4)
		return false;
	for (size_t i = 0; i < n;) {
		int len = charset_utf8_seq(in + i, n - i);
		if (len <= 0)
			return false;
		uint32_t cp = len == 1 ? in[i] : (uint32_t)(in[i] & (0x7f >> len));
		for (int k = 1; k < len; k++)
			cp = cp << 6 | (in[i + (size_t)k] & 0x3f);
		if (cs == CHARSET_UTF8MB4 || (cs == CHARSET_UTF8MB3 && len <= 3) || (cs == CHARSET_ASCII && cp < 0x80)) {
			buf_append(out, in + i, (size_t)len);
		} else if (cs == CHARSET_LATIN1) {
			int b = -1;
			if (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff))
				b = (int)cp;
			for (int k = 0; k < 32 && b < 0; k++)
				if (latin1_high[k] == cp)
					b = 0x80 + k;
			if (b < 0)
				return false;
			buf_putc(out, (uint8_t)b);
		} else {
			return false;
		}
		i += (size_t)len;
	}
	return true;
}
